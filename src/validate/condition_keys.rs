//! Condition keys: the key exists (a global, service, tag-key or identity-provider key, or one
//! the catalog documents) and, for a service key, applies to one of the statement's actions.

use super::{Cx, Validator};
use crate::aws_data::ConditionKeyInfo;
use crate::diagnostic::{Code, Finding};
use crate::iam::condition_key::{TAG_PREFIXES, UNLISTED_GLOBAL_KEYS, is_federation_key};
use crate::iam::key_type::KeyType;
use crate::source::Spanned;

/// What a condition key is, as far as the checks need it.
pub(super) struct Key<'a> {
    pub ty: Option<KeyType>,
    /// A key of a service (not global, not a federation claim): it should apply to an action.
    pub service_key: Option<&'a ConditionKeyInfo>,
}

/// Finds the key; reports it when IAM does not know it.
pub(super) fn lookup<'a>(
    v: &Validator<'a>,
    key: &str,
    at: &Spanned<String>,
    out: &mut Vec<Finding>,
) -> Option<Key<'a>> {
    let aws = v.aws;
    // A key the catalog documents is known with the documented type, even before AWS's data has it.
    let documented = v
        .catalog
        .condition_key(key)
        .and_then(|d| KeyType::parse(&d.key_type.value));
    if let Some(info) = aws.global_condition_key(key) {
        return Some(Key {
            ty: documented.or(info.key_type),
            service_key: None,
        });
    }
    if documented.is_some() {
        return Some(Key {
            ty: documented,
            service_key: None,
        });
    }
    if let Some((_, t)) = UNLISTED_GLOBAL_KEYS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
    {
        return Some(Key {
            ty: Some(*t),
            service_key: None,
        });
    }
    let Some((prefix, name)) = key.split_once(':') else {
        out.push(
            Finding::at(
                Code::InvalidConditionKeyFormat,
                format!("`{key}` is not a condition key: write `aws:key` or `service:key`"),
                &at.span,
            )
            .with_help("for example `aws:SourceIp` or `s3:prefix`"),
        );
        return None;
    };
    if prefix.is_empty() || name.is_empty() {
        out.push(Finding::at(
            Code::InvalidConditionKeyFormat,
            format!("`{key}` is not a condition key: write `aws:key` or `service:key`"),
            &at.span,
        ));
        return None;
    }
    let service = aws.service(prefix);
    if let Some(info) = service.and_then(|s| s.condition_key(key)) {
        return Some(Key {
            ty: info.key_type,
            service_key: Some(info),
        });
    }
    if let Some(info) = aws.condition_key(key) {
        return Some(Key {
            ty: info.key_type,
            service_key: None,
        });
    }
    // Keys of identity providers (`token.actions.githubusercontent.com:sub`) have a host for a
    // prefix; AWS's services never do, so the history (read on first use) is not consulted.
    if !prefix.contains('.')
        && let Some(gone) = aws.history().condition_key(key)
    {
        out.push(super::retired::condition_key(aws, key, gone, at));
        return Some(Key {
            ty: gone.key.key_type,
            service_key: None,
        });
    }
    if let Some(tag) = missing_tag_key(v, key) {
        out.push(
            Finding::at(
                Code::MissingTagKey,
                format!("`{key}` names no tag key"),
                &at.span,
            )
            .with_help(format!(
                "write the tag's key after the slash, for example `{tag}/team`"
            )),
        );
        return None;
    }
    if prefix.eq_ignore_ascii_case("aws") {
        let mut f = Finding::at(
            Code::InvalidGlobalConditionKey,
            format!("`{key}` is not an AWS global condition key"),
            &at.span,
        );
        if let Some(h) = super::suggest(key, aws.global_condition_keys().iter().map(|k| k.name)) {
            f = f.with_help(h);
        }
        out.push(f);
        return None;
    }
    if is_federation_key(key) {
        return Some(Key {
            ty: None,
            service_key: None,
        });
    }
    let mut f = match service {
        Some(s) => Finding::at(
            Code::InvalidServiceConditionKey,
            format!("{} has no condition key `{key}`", s.name),
            &at.span,
        ),
        None => Finding::at(
            Code::InvalidServiceConditionKey,
            format!("`{key}` is not a condition key: no AWS service has the prefix `{prefix}`"),
            &at.span,
        ),
    };
    let hint = match service {
        Some(s) => super::suggest(key, s.condition_keys.iter().map(|k| k.name)),
        None => super::suggest(prefix, aws.services().map(|(p, _)| p)).map(|_| {
            "the prefix of a condition key is a service prefix, as in `s3:prefix`".to_string()
        }),
    };
    if let Some(h) = hint {
        f = f.with_help(h);
    }
    out.push(f);
    None
}

/// For `aws:RequestTag`, `aws:RequestTag/`, `s3:ExistingObjectTag/` and the like: the tag-key
/// template the key lacks a tag name for.
fn missing_tag_key(v: &Validator<'_>, key: &str) -> Option<String> {
    let bare = key.strip_suffix('/').unwrap_or(key);
    if let Some(t) = TAG_PREFIXES.iter().find(|t| t.eq_ignore_ascii_case(bare)) {
        return Some(t.to_string());
    }
    let (prefix, _) = key.split_once(':')?;
    let service = v.aws.service(prefix)?;
    let probe = format!("{bare}/x");
    let template = service.condition_key(&probe)?;
    template.is_template().then(|| bare.to_string())
}

/// A service key that none of the statement's actions lists: the condition never holds for
/// them (or, negated, always does).
pub(super) fn applies(
    cx: &Cx<'_, '_>,
    key: &str,
    info: &ConditionKeyInfo,
    at: &Spanned<String>,
    out: &mut Vec<Finding>,
) {
    let Some(known) = &cx.known else {
        return;
    };
    if known.is_empty() {
        return;
    }
    let listed = known.iter().any(|(service, action)| {
        service.action_has_condition_key(action, |k| std::ptr::eq(k, info) || k.matches(key))
    });
    if !listed {
        let names: Vec<&str> =
            cx.s.action
                .iter()
                .flat_map(|t| &t.list.items)
                .map(|a| a.value.as_str())
                .collect();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        out.push(
            Finding::at(Code::ConditionKeyNotForAction, format!("AWS lists `{key}` for none of this statement's actions ({shown}), so the request never carries it"), &at.span)
                .with_help("check the key against the actions in AWS's Service Authorization Reference, or move the condition to a statement with the actions it applies to"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn keys_must_exist() {
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            cond("s3:GetObject", r#"{"StringEquals":{"aws:NoSuchKey":"x"}}"#),
            ["invalid-global-condition-key"]
        );
        assert_eq!(
            cond("s3:ListBucket", r#"{"StringEquals":{"s3:x":"y"}}"#),
            ["invalid-service-condition-key"]
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"nosuchservice:x":"y"}}"#
            ),
            ["invalid-service-condition-key"]
        );
        assert_eq!(
            cond("s3:GetObject", r#"{"StringEquals":{"bad":"y"}}"#),
            ["invalid-condition-key-format"]
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:RequestTag/":"y"}}"#
            ),
            ["missing-tag-key"]
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:ResourceTag":"y"}}"#
            ),
            ["missing-tag-key"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:ResourceTag/team":"y"}}"#
            )
            .is_empty()
        );
        assert!(
            cond(
                "sts:AssumeRoleWithWebIdentity",
                r#"{"StringEquals":{"auth.example.com:aud":"y"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn service_keys_must_apply_to_an_action() {
        assert_eq!(
            cond(
                "s3:ListBucket",
                r#"{"StringEquals":{"s3:x-amz-storage-class":"STANDARD"}}"#
            ),
            ["condition-key-not-for-action"]
        );
        assert!(
            cond(
                "s3:PutObject",
                r#"{"StringEquals":{"s3:x-amz-storage-class":"STANDARD"}}"#
            )
            .is_empty()
        );
        // Not decided when the actions are not all known.
        assert!(
            cond(
                "*",
                r#"{"StringEquals":{"s3:x-amz-storage-class":"STANDARD"}}"#
            )
            .is_empty()
        );
    }
}
