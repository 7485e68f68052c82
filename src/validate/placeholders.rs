//! AWS's documentation placeholders in policies (`crate::iam::placeholder` knows the
//! conventions): each value's placeholders are filled with valid examples so that the rest of the
//! value is still checked, and each placeholder is reported once per policy as an Info finding
//! `documentation-placeholder` that names its convention. The catalog's own `[placeholders]` are substituted
//! first (`Validator::substitute`) and so take precedence; with `strict-placeholders = true` in
//! the catalog nothing here applies and undeclared placeholders are errors.

use super::Validator;
use crate::diagnostic::{Code, Finding};
use crate::iam::placeholder::{self, Field, Found, fill_arn, whole_token};
use crate::iam::principal::PrincipalType;
use crate::source::Span;
use std::borrow::Cow;

/// The note for one placeholder.
fn note(found: &Found, span: &Span) -> Finding {
    let checked = match found.example {
        Some(e) => format!("the rest of the value was checked with `{e}` in its place"),
        None => "the rest of the value was checked without it".to_string(),
    };
    Finding::at(
        Code::Placeholder,
        format!(
            "`{}` is a documentation placeholder (AWS's convention: {}); {checked}",
            found.token, found.convention.name
        ),
        span,
    )
    .with_help(format!(
        "fill in a real value before readers use the policy, or declare the placeholder in the catalog (`[placeholders.\"{}\"]` with `example = \"{}\"`); `strict-placeholders = true` in the catalog makes undeclared placeholders errors",
        found.token.replace('"', "\\\""),
        found.example.unwrap_or("...")
    ))
}

/// Keeps the first `documentation-placeholder` finding of each placeholder (same message) in
/// `out[from..]`, and none for CloudFormation's intrinsic functions: a template's `!Ref` or
/// `!GetAtt` is filled in by CloudFormation, not by the reader, so there is nothing to say.
pub(super) fn dedup(out: &mut Vec<Finding>, from: usize) {
    let mut seen = std::collections::HashSet::new();
    let intrinsic = format!("(AWS's convention: {})", placeholder::CLOUDFORMATION.name);
    let mut i = from;
    while i < out.len() {
        if out[i].code == Code::Placeholder
            && (!seen.insert(out[i].message.clone()) || out[i].message.contains(&intrinsic))
        {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}

impl Validator<'_> {
    /// Whether AWS's conventions are recognised (the catalog does not make placeholders strict).
    fn lenient(&self) -> bool {
        !self.catalog.strict_placeholders
    }

    /// An ARN with its placeholders filled, without reporting (`None`: nothing to fill, or
    /// strict placeholders).
    pub(crate) fn filled_arn(&self, text: &str) -> Option<placeholder::Filled> {
        if !self.lenient() || !text.starts_with("arn:") {
            return None;
        }
        fill_arn(text)
    }

    /// Whether a value is one placeholder token from end to end (`<bucket-arn>`,
    /// `<Ref:MyBucket>`), which can stand wherever a value of its element can.
    pub(crate) fn is_whole_placeholder(&self, text: &str) -> bool {
        self.lenient() && whole_token(text).is_some()
    }

    /// A whole-value placeholder: reported; returns whether the value was one.
    pub(crate) fn whole_placeholder(
        &self,
        text: &str,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> bool {
        self.whole(text, whole_token, span, out)
    }

    fn whole(
        &self,
        text: &str,
        recognise: fn(&str) -> Option<&'static placeholder::Convention>,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> bool {
        if !self.lenient() {
            return false;
        }
        let Some(convention) = recognise(text) else {
            return false;
        };
        out.push(note(
            &Found {
                token: text.to_string(),
                convention,
                example: None,
            },
            span,
        ));
        true
    }

    /// A resource (or other ARN-valued text), catalog placeholders already substituted, with
    /// AWS's conventions filled and reported. Also returns whether the filled ARN stands for
    /// resources of any type (a placeholder service).
    pub(crate) fn fill_resource<'t>(
        &self,
        text: Cow<'t, str>,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> (Cow<'t, str>, bool) {
        match self.filled_arn(&text) {
            Some(f) => {
                out.extend(f.found.iter().map(|x| note(x, span)));
                (Cow::Owned(f.text), f.open)
            }
            None => (text, false),
        }
    }

    /// A condition value with its placeholders filled and reported; `None` when the whole value
    /// is a placeholder (nothing left to check).
    pub(crate) fn condition_value<'t>(
        &self,
        raw: &'t str,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> Option<Cow<'t, str>> {
        let text = self.substitute(raw);
        if !self.lenient() {
            return Some(text);
        }
        // Condition values may hold words (a tag's value): only bracketed tokens stand whole.
        if self.whole(&text, placeholder::whole_bracket_token, span, out) {
            return None;
        }
        if text.starts_with("arn:") {
            return Some(self.fill_resource(text, span, out).0);
        }
        let tokens = placeholder::tokens(&text);
        if tokens.is_empty() {
            return Some(text);
        }
        let mut filled = String::with_capacity(text.len());
        let mut at = 0;
        for (range, convention) in &tokens {
            let token = &text[range.clone()];
            out.push(note(
                &Found {
                    token: token.to_string(),
                    convention,
                    example: None,
                },
                span,
            ));
            filled.push_str(&text[at..range.start]);
            // A `${Name}` that is no policy variable is plain text here, as `<Name>`.
            match token.strip_prefix("${") {
                Some(inner) => {
                    filled.push('<');
                    filled.push_str(inner.strip_suffix('}').unwrap_or(inner));
                    filled.push('>');
                }
                None => filled.push_str(token),
            }
            at = range.end;
        }
        filled.push_str(&text[at..]);
        Some(Cow::Owned(filled))
    }

    /// A service principal with a placeholder name filled (`SERVICE-NAME.amazonaws.com` ->
    /// `ec2.amazonaws.com`), without reporting; `None` for a whole-value placeholder.
    pub(crate) fn service_principal_value<'t>(&self, text: &'t str) -> Option<Cow<'t, str>> {
        if !self.lenient() {
            return Some(Cow::Borrowed(text));
        }
        if placeholder::whole_bracket_token(text).is_some() {
            return None;
        }
        Some(match fill_service_principal(text) {
            Some((filled, _)) => Cow::Owned(filled),
            None => Cow::Borrowed(text),
        })
    }

    /// A principal's value, catalog placeholders substituted and AWS's conventions filled and
    /// reported; `None` when the whole value is a placeholder.
    pub(crate) fn principal_value<'t>(
        &self,
        ty: PrincipalType,
        raw: &'t str,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> Option<Cow<'t, str>> {
        let text = self.substitute(raw);
        if !self.lenient() {
            return Some(text);
        }
        if self.whole_placeholder(&text, span, out) {
            return None;
        }
        match ty {
            PrincipalType::Service => match fill_service_principal(&text) {
                Some((filled, found)) => {
                    out.push(note(&found, span));
                    Some(Cow::Owned(filled))
                }
                None => Some(text),
            },
            PrincipalType::Aws if !text.starts_with("arn:") => {
                match placeholder::recognise(Field::Principal, &text)
                    .or_else(|| placeholder::recognise(Field::Account, &text))
                    .filter(|r| !r.convention.valid_as_is)
                {
                    Some(r) => {
                        let found = Found {
                            token: text.to_string(),
                            convention: r.convention,
                            example: Some("123456789012"),
                        };
                        out.push(note(&found, span));
                        Some(Cow::Borrowed("123456789012"))
                    }
                    None => Some(text),
                }
            }
            _ => Some(self.fill_resource(text, span, out).0),
        }
    }

    /// An action whose service prefix or action name is a placeholder (`service-prefix:action-name`,
    /// `someservice:*`, `s3:<action>`, `<action>`), reported; `None` for any other action (a
    /// misspelled real one, `codedploy:*`, stays what the action checks make of it).
    pub(crate) fn action_placeholder(
        &self,
        text: &str,
        span: &Span,
        out: &mut Vec<Finding>,
    ) -> bool {
        if !self.lenient() {
            return false;
        }
        if self.whole_placeholder(text, span, out) {
            return true;
        }
        let Some((prefix, name)) = text.split_once(':') else {
            return false;
        };
        let service_placeholder = || {
            whole_token(prefix).map(|c| (c, None)).or_else(|| {
                // Only a prefix AWS's data does not have can be a placeholder.
                (maybe_word(prefix, &["service"]) && self.aws.service(prefix).is_none())
                    .then(|| placeholder::recognise(Field::ServicePrefix, prefix))
                    .flatten()
                    .map(|r| (r.convention, r.example))
            })
        };
        let action_placeholder = || {
            whole_token(name).map(|c| (c, None)).or_else(|| {
                let known = self
                    .aws
                    .service(prefix)
                    .is_some_and(|s| name.contains(['*', '?']) || s.action(name).is_some());
                (maybe_word(name, &["action", "operation"]) && !known)
                    .then(|| placeholder::recognise(Field::ActionName, name))
                    .flatten()
                    .map(|r| (r.convention, r.example))
            })
        };
        let mut any = false;
        for (token, found) in [
            (prefix, service_placeholder()),
            (name, action_placeholder()),
        ] {
            if let Some((convention, example)) = found {
                any = true;
                out.push(note(
                    &Found {
                        token: token.to_string(),
                        convention,
                        example,
                    },
                    span,
                ));
            }
        }
        any
    }
}

/// A cheap test before the recogniser: the text contains one of the stems, in any case.
fn maybe_word(text: &str, stems: &[&str]) -> bool {
    text.len() < 40
        && stems.iter().any(|stem| {
            text.as_bytes()
                .windows(stem.len())
                .any(|w| w.eq_ignore_ascii_case(stem.as_bytes()))
        })
}

/// `SERVICE-NAME.amazonaws.com`, `<service>.amazonaws.com`: the first label filled with the
/// field's example, and the placeholder.
fn fill_service_principal(text: &str) -> Option<(String, Found)> {
    let (name, rest) = text.split_once('.')?;
    let (convention, example) = match whole_token(name) {
        Some(c) => (c, placeholder::example(Field::ServicePrincipalName)),
        None => {
            let r = placeholder::recognise(Field::ServicePrincipalName, name)?;
            (r.convention, r.example)
        }
    };
    let example = example?;
    Some((
        format!("{example}.{rest}"),
        Found {
            token: name.to_string(),
            convention,
            example: Some(example),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::catalog::Catalog;
    use crate::diagnostic::Severity;
    use crate::policy::PolicyKind;

    fn strict() -> Catalog {
        Catalog::from_text("c.toml", "strict-placeholders = true\n").catalog
    }

    fn codes_with(catalog: &Catalog, policy: &str, kind: PolicyKind) -> Vec<&'static str> {
        findings_with(catalog, policy, kind)
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    fn trust(principal: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
        )
    }

    #[test]
    fn aws_conventions_are_notes_that_name_them() {
        let p = trust(r#"{"AWS":"arn:aws:iam::account-id:root"}"#);
        let f = findings(&p, PolicyKind::Trust);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code.as_str(), "documentation-placeholder");
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].message.contains("`account-id`") && f[0].message.contains("account-ID word"));
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains("fill in a real value") && help.contains("[placeholders.\"account-id\"]")
        );
        for principal in [
            r#"{"AWS":"Example Corp's AWS Account ID"}"#,
            r#"{"AWS":["ACCOUNT-B-ID","arn:aws:sts::account-id:federated-user/Bob"]}"#,
            r#"{"Federated":"arn:aws:iam::account-id:saml-provider/PROVIDER-NAME"}"#,
            r#"{"AWS":"<role-arn>"}"#,
            r#"{"Service":"SERVICE-NAME.amazonaws.com"}"#,
        ] {
            let codes = codes_of(&trust(principal), PolicyKind::Trust);
            assert!(
                codes.iter().all(|c| *c == "documentation-placeholder") && !codes.is_empty(),
                "{principal}: {codes:?}"
            );
        }
    }

    #[test]
    fn the_rest_of_the_value_is_still_checked() {
        let p = stmt(
            r#""Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:moon-1:account-id:log-group:x""#,
        );
        assert_eq!(
            codes(&p),
            ["documentation-placeholder", "invalid-arn-region"]
        );
        let p = stmt(r#""Action":"iam:GetRole","Resource":"arn:aws:iam:REGION:ACCOUNT-ID:role/x""#);
        assert_eq!(
            codes(&p),
            [
                "documentation-placeholder",
                "documentation-placeholder",
                "arn-region-not-allowed"
            ]
        );
        // A placeholder account in a principal with a wrong resource type.
        let p = trust(r#"{"AWS":"arn:aws:iam::account-id:group/devs"}"#);
        assert_eq!(
            codes_of(&p, PolicyKind::Trust),
            ["documentation-placeholder", "invalid-principal"]
        );
        let p = stmt(r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::<bucket>""#);
        assert_eq!(
            codes(&p),
            ["documentation-placeholder", "resource-type-mismatch"]
        );
    }

    #[test]
    fn placeholder_services_and_actions_but_not_typos() {
        for action in [
            "service:*",
            "service-prefix:action-name",
            "someservice:*",
            "service-prefix-1:action-name-a",
            "s3:action-name",
            "<action>",
            "A list of the permissions the role is allowed to use",
        ] {
            let p = on_star(&format!(r#""Action":"{action}""#));
            assert!(
                codes(&p).iter().all(|c| *c == "documentation-placeholder")
                    && !codes(&p).is_empty(),
                "{action}: {:?}",
                codes(&p)
            );
        }
        assert_eq!(
            codes(&on_star(r#""Action":"codedploy:*""#)),
            ["invalid-service"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"s3:DeletObject""#)),
            ["invalid-action"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"ec2:* ""#)),
            ["invalid-action-format"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"servicecatalg:*""#)),
            ["invalid-service"]
        );
    }

    #[test]
    fn whole_value_placeholders_stand_for_any_value() {
        for resource in ["<bucket-arn>", "{{resource}}", "<bucket-arn>/*"] {
            let p = stmt(&format!(
                r#""Action":["s3:GetObject","s3:ListAllMyBuckets"],"Resource":"{resource}""#
            ));
            assert_eq!(codes(&p), ["documentation-placeholder"], "{resource}");
        }
        // CloudFormation's intrinsics are filled in by CloudFormation, not by the reader: they
        // are accepted without a note.
        for value in [
            r#""Resource":"<GetAtt:Bucket.Arn>""#,
            r#""Resource":"<Ref:MyBucket>""#,
            r#""Resource":"<GetAtt:Bucket.Arn>/*""#,
            r#""Resource":"arn:<AWS::Partition>:s3:::<Ref:Bucket>/*""#,
        ] {
            let p = stmt(&format!(r#""Action":"s3:GetObject",{value}"#));
            assert_eq!(codes(&p), Vec::<&str>::new(), "{value}");
        }
        assert_eq!(
            codes_of(
                &trust(r#"{"AWS":"arn:aws:iam::<AWS::AccountId>:root"}"#),
                PolicyKind::Trust
            ),
            Vec::<&str>::new()
        );
        let p = stmt(
            r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"<ip-range>"},"StringEquals":{"aws:SourceAccount":"{{account}}","aws:ResourceTag/team":"Blue team one"}}"#,
        );
        assert_eq!(
            codes(&p),
            ["documentation-placeholder", "documentation-placeholder"]
        );
        let p = stmt(
            r#""Action":"iam:CreateServiceLinkedRole","Resource":"*","Condition":{"StringEquals":{"iam:AWSServiceName":"SERVICE-NAME.amazonaws.com"}}"#,
        );
        assert!(
            !codes(&p).contains(&"invalid-service-principal"),
            "{:?}",
            codes(&p)
        );
        let p = stmt(
            r#""Action":"s3:GetObject","Resource":"arn:${AWS::Partition}:s3:::${BucketName}/*""#,
        );
        // `${BucketName}` is the reader's to fill in; `${AWS::Partition}` is CloudFormation's.
        assert_eq!(codes(&p), ["documentation-placeholder"]);
    }

    #[test]
    fn one_note_per_placeholder_per_policy() {
        let p = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:GetRole","Resource":["arn:aws:iam::account-id:role/a","arn:aws:iam::account-id:role/b"]},
            {"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::account-id:user/c"}]}"#;
        assert_eq!(codes(p), ["documentation-placeholder"]);
        // Two placeholders that fill to the same example are not redundant with each other.
        let p = stmt(
            r#""Action":"iam:GetRole","Resource":["arn:aws:iam::ACCOUNT-A-ID:role/x","arn:aws:iam::ACCOUNT-B-ID:role/x"]"#,
        );
        assert_eq!(
            codes(&p),
            ["documentation-placeholder", "documentation-placeholder"]
        );
    }

    #[test]
    fn the_catalogs_placeholders_take_precedence() {
        let p = stmt(
            r#""Action":"iam:GetRole","Resource":"arn:aws:iam::<YOUR_AWS_ACCOUNT_ID>:role/x""#,
        );
        assert!(codes(&p).is_empty());
        let catalog = Catalog::from_text(
            "c.toml",
            "[placeholders.\"account-id\"]\nexample = \"12345\"\n",
        )
        .catalog;
        let p = stmt(r#""Action":"iam:GetRole","Resource":"arn:aws:iam::account-id:role/x""#);
        assert_eq!(
            codes_with(&catalog, &p, PolicyKind::Identity),
            ["invalid-arn-account"]
        );
    }

    #[test]
    fn strict_placeholders_bring_the_errors_back() {
        let s = strict();
        assert!(s.strict_placeholders);
        let p = stmt(
            r#""Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:region:account-id:log-group:x""#,
        );
        assert_eq!(
            codes_with(&s, &p, PolicyKind::Identity),
            ["invalid-arn-region", "invalid-arn-account"]
        );
        assert_eq!(
            codes_with(
                &s,
                &on_star(r#""Action":"service-prefix:action-name""#),
                PolicyKind::Identity
            ),
            ["invalid-service"]
        );
        assert_eq!(
            codes_with(
                &s,
                &stmt(r#""Action":"s3:GetObject","Resource":"<bucket-arn>""#),
                PolicyKind::Identity
            ),
            ["invalid-arn"]
        );
        let f = findings_with(
            &s,
            &trust(r#"{"AWS":"arn:aws:iam::account-id:root"}"#),
            PolicyKind::Trust,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code.as_str(), "invalid-principal");
        // The message says what is wrong: the account, not the kind of principal.
        assert!(
            f[0].message
                .contains("the account field `account-id` is not a 12-digit account ID"),
            "{}",
            f[0].message
        );
        let f = findings_with(
            &s,
            &trust(r#"{"Federated":"arn:aws:iam::account-id:saml-provider/P"}"#),
            PolicyKind::Trust,
        );
        assert!(
            f[0].message.contains("the account field"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn the_setting_is_a_boolean() {
        let loaded = Catalog::from_text("c.toml", "strict-placeholders = \"yes\"\n");
        assert_eq!(loaded.findings.len(), 1);
        assert_eq!(loaded.findings[0].code.as_str(), "catalog-schema");
        assert!(!Catalog::from_text("c.toml", "").catalog.strict_placeholders);
    }
}
