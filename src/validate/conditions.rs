//! Conditions: the key exists (global, service, tag-key and federation forms) and applies to the
//! statement's actions; the operator fits the key's type and its set qualifier fits whether the
//! key is multivalued; values have the operator's format (Bool, Null, Numeric, Date, IP
//! address); wildcards only with `Like`; policy variables only where IAM reads them; and the value
//! rules AWS's types do not carry (keys that hold service principals).

use super::{Cx, Validator, has_wildcard, variables};
use crate::aws_data::ConditionKeyInfo;
use crate::catalog::ValueRule;
use crate::diagnostic::{Code, Finding, Severity};
use crate::keys::{Fit, KeyType};
use crate::policy::{ConditionEntry, ConditionValue, Operator, OperatorFamily, SetQualifier, Sp};

/// Boolean keys that requests may lack, and when. `Bool` with `"false"` does not match a request
/// without the key; the condition then needs `BoolIfExists`.
const OPTIONAL_BOOL_KEYS: [(&str, &str); 2] = [
    (
        "aws:MultiFactorAuthPresent",
        "requests signed with long-term access keys carry no `aws:MultiFactorAuthPresent` key",
    ),
    (
        "aws:ViaAWSMCPService",
        "requests that do not come through an AWS-managed MCP server (direct API calls) carry no `aws:ViaAWSMCPService` key",
    ),
];

/// Global keys IAM accepts that AWS's Service Authorization Reference does not list; AWS's own
/// managed policies use them (`aws:PrincipalOrgMasterAccountId` in AWSSSOServiceRolePolicy).
const UNLISTED_GLOBAL_KEYS: [(&str, KeyType); 1] =
    [("aws:PrincipalOrgMasterAccountId", KeyType::String)];

/// Tag-key prefixes whose key needs a tag name after the slash.
const TAG_PREFIXES: [&str; 3] = ["aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag"];

/// A key whose prefix is an identity provider (`accounts.google.com:aud`,
/// `token.actions.githubusercontent.com:sub`, `my-idp.example.com/path:aud`): providers define
/// their own claims, so any such key is accepted.
pub(crate) fn is_federation_key(key: &str) -> bool {
    key.rsplit_once(':').is_some_and(|(p, k)| {
        !k.is_empty() && (p.contains('.') || p.contains('/')) && !p.contains(char::is_whitespace)
    })
}

/// What a condition key is, as far as the checks need it.
pub(super) struct Key<'a> {
    ty: Option<KeyType>,
    /// A key of a service (not global, not a federation claim): it should apply to an action.
    service_key: Option<&'a ConditionKeyInfo>,
}

pub(super) fn check(cx: &Cx<'_, '_>, out: &mut Vec<Finding>) {
    for clause in &cx.s.condition {
        let op = &clause.operator;
        for (i, entry) in clause.entries.iter().enumerate() {
            if let Some(first) = clause.entries[..i].iter().find(|e| {
                e.key.value.eq_ignore_ascii_case(&entry.key.value) && e.key.value != entry.key.value
            }) {
                out.push(
                    Finding::at(
                        Code::DuplicateConditionKey,
                        format!(
                            "`{}` and `{}` are the same key written twice in one `{}` block",
                            first.key.value, entry.key.value, op.value
                        ),
                        &entry.key.span,
                    )
                    .with_note(Some(first.key.span.clone()), "first written here")
                    .with_help("condition keys are case-insensitive: merge the two entries"),
                );
            }
            self::entry(cx, op, entry, out);
        }
    }
}

fn entry(cx: &Cx<'_, '_>, op: &Sp<Operator>, entry: &ConditionEntry, out: &mut Vec<Finding>) {
    let key_text = cx.v.substitute(&entry.key.value);
    if let Some(key) = lookup(cx.v, &key_text, &entry.key, out) {
        if let Some(info) = key.service_key {
            applies(cx, &key_text, info, &entry.key, out);
        }
        if let Some(t) = key.ty {
            typed(&key_text, t, op, entry, out);
        }
    }
    values(cx, &key_text, op, entry, out);
}

/// Finds the key; reports it when IAM does not know it.
pub(super) fn lookup<'a>(
    v: &Validator<'a>,
    key: &str,
    at: &Sp<String>,
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
    if let Some(gone) = aws.history().condition_key(key) {
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
        if let Some(h) = super::suggest(
            key,
            aws.global_condition_keys().iter().map(|k| k.name.as_str()),
        ) {
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
        Some(s) => super::suggest(key, s.condition_keys.iter().map(|k| k.name.as_str())),
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
fn applies(
    cx: &Cx<'_, '_>,
    key: &str,
    info: &ConditionKeyInfo,
    at: &Sp<String>,
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

/// Operator family and set qualifier against the key's type.
fn typed(key: &str, t: KeyType, op: &Sp<Operator>, entry: &ConditionEntry, out: &mut Vec<Finding>) {
    let o = &op.value;
    match t.accepts(o.family) {
        Fit::Yes => {}
        Fit::Discouraged => out.push(
            Finding::at(Code::ConditionTypeMismatch, format!("`{key}` is {} key; `{o}` works on it by comparing text, but AWS documents {} operators for it", a(t), family_name(t)), &op.span)
                .with_severity(Severity::Warning)
                .with_note(Some(entry.key.span.clone()), "the key")
                .with_help(format!("use a {} operator", family_name(t))),
        ),
        Fit::No => out.push(
            Finding::at(Code::ConditionTypeMismatch, format!("`{key}` is {} key, but `{o}` compares {} values", a(t), o.family.as_str()), &op.span)
                .with_note(Some(entry.key.span.clone()), "the key")
                .with_help(format!("use a {} operator", family_name(t))),
        ),
    }
    if o.family == OperatorFamily::Null {
        return;
    }
    match (t.is_multivalued(), o.qualifier) {
        (true, None) => out.push(
            Finding::at(Code::MissingSetQualifier, format!("`{key}` can hold several values, so `{o}` needs `ForAllValues:` or `ForAnyValue:`"), &op.span)
                .with_note(Some(entry.key.span.clone()), "the multivalued key")
                .with_help(format!("write `ForAnyValue:{o}` (any value matches) or `ForAllValues:{o}` (every value matches)")),
        ),
        (false, Some(SetQualifier::ForAllValues)) => out.push(
            Finding::at(Code::ForAllValuesWithSingleValuedKey, format!("`{key}` holds one value; `ForAllValues:` is also true when the request lacks the key, which makes `{o}` more permissive than it reads"), &op.span)
                .with_note(Some(entry.key.span.clone()), "the single-valued key")
                .with_help(format!("remove `ForAllValues:`: `{}`", Operator { qualifier: None, ..o.clone() })),
        ),
        _ => {}
    }
}

/// "a String", "an ARN".
fn a(t: KeyType) -> String {
    let article = if t.name().starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {}", t.name())
}

fn family_name(t: KeyType) -> &'static str {
    match t.family() {
        OperatorFamily::Binary => "BinaryEquals",
        f => f.as_str(),
    }
}

/// Checks on the values, by the operator's family.
fn values(
    cx: &Cx<'_, '_>,
    key: &str,
    op: &Sp<Operator>,
    entry: &ConditionEntry,
    out: &mut Vec<Finding>,
) {
    let o = &op.value;
    let items = &entry.values.items;
    for v in items {
        let substituted = cx.v.substitute(v.value.text());
        let t: &str = &substituted;
        let variables_here = match o.family {
            OperatorFamily::String | OperatorFamily::Arn => None,
            f => Some(format!(
                "with {} operators (only String and Arn operators read them)",
                f.as_str()
            )),
        };
        variables::check(cx, t, &v.span, variables_here.as_deref(), out);
        match o.family {
            OperatorFamily::Bool | OperatorFamily::Null if t != "true" && t != "false" => {
                out.push(Finding::at(
                    Code::InvalidBoolValue,
                    format!("`{}` takes \"true\" or \"false\", not `{t}`", o.base),
                    &v.span,
                ));
            }
            OperatorFamily::Numeric if !t.contains("${") && !is_number(t) => {
                out.push(
                    Finding::at(
                        Code::InvalidConditionValue,
                        format!("`{o}` compares numbers, and `{t}` is not one"),
                        &v.span,
                    )
                    .with_help("write an integer or decimal number, such as \"3600\""),
                );
            }
            OperatorFamily::Date if !t.contains("${") && !is_date(t) => {
                out.push(Finding::at(Code::InvalidConditionValue, format!("`{o}` compares dates, and `{t}` is not one"), &v.span).with_help("write an ISO 8601 date such as \"2026-03-24T00:00:00Z\", or seconds since the epoch"));
            }
            OperatorFamily::IpAddress if !t.contains("${") && !is_ip_range(t) => {
                out.push(Finding::at(Code::InvalidConditionValue, format!("`{o}` compares IP addresses, and `{t}` is not an IPv4 or IPv6 address or CIDR range"), &v.span).with_help("write an address or range such as \"203.0.113.0/24\" or \"2001:db8::/32\""));
            }
            OperatorFamily::String if !o.wildcards && has_wildcard(t) => {
                out.push(
                    Finding::at(Code::WildcardWithoutLike, format!("`{o}` compares `{t}` literally: `*` and `?` are wildcards only for `StringLike` and `StringNotLike`"), &v.span)
                        .with_help(format!("use `{}` if you meant a wildcard", like_of(o))),
                );
            }
            _ => {}
        }
    }
    if o.family == OperatorFamily::Bool && items.len() > 1 {
        out.push(Finding::at(
            Code::MultipleBoolValues,
            format!("`{key}` is compared with more than one Boolean value"),
            &entry.values.span,
        ));
    }
    service_principals(cx, key, o, entry, out);
    optional_bool(cx, key, o, entry, out);
    redundant_values(o, entry, out);
}

fn like_of(o: &Operator) -> Operator {
    let base = if o.negated {
        "StringNotLike"
    } else {
        "StringLike"
    };
    Operator::parse(base)
        .map(|b| Operator {
            qualifier: o.qualifier,
            if_exists: o.if_exists,
            ..b
        })
        .unwrap_or_else(|| o.clone())
}

/// Values of keys that hold service principals (`crate::iam::service_principals`'s table, and
/// keys the catalog marks `values = "service-principal"`): a Boolean can never match; with a
/// String operator the value must be a service principal (a pattern of known ones with `Like`)
/// of a service AWS's data knows.
fn service_principals(
    cx: &Cx<'_, '_>,
    key: &str,
    o: &Operator,
    entry: &ConditionEntry,
    out: &mut Vec<Finding>,
) {
    use crate::iam::service_principals::{self as sp, Form, Problem};
    if o.family == OperatorFamily::Null {
        return;
    }
    let (form, holds, example) = match sp::service_principal_key(key) {
        Some(k) => (k.form, k.holds, k.example),
        None if cx.v.catalog.value_rule(key) == Some(ValueRule::ServicePrincipal) => {
            (Form::Any, "a service principal", "ec2.amazonaws.com")
        }
        None => return,
    };
    let known = sp::Known::new(cx.v.aws);
    for v in &entry.values.items {
        let t = v.value.text();
        let boolish = matches!(v.value, ConditionValue::Bool(_))
            || t.eq_ignore_ascii_case("true")
            || t.eq_ignore_ascii_case("false");
        if boolish {
            let mut help = format!("compare it with a service principal such as \"{example}\"");
            if key.eq_ignore_ascii_case("aws:CalledViaAWSMCP") {
                help.push_str(
                    ", or use `aws:ViaAWSMCPService` (Bool) to match any AWS-managed MCP server",
                );
            }
            out.push(
                Finding::at(
                    Code::ServicePrincipalExpected,
                    format!("`{key}` holds {holds}, so `{t}` can never match"),
                    &v.span,
                )
                .with_help(help),
            );
            continue;
        }
        if o.family != OperatorFamily::String || t.contains("${") {
            continue;
        }
        // `StringEqualsIgnoreCase` compares without case: `EC2.amazonaws.com` matches.
        let t = if o.base.ends_with("IgnoreCase") {
            t.to_ascii_lowercase()
        } else {
            t.to_string()
        };
        let finding = match sp::check(&known, &t, form, o.wildcards) {
            Ok(()) => continue,
            Err(Problem::Format { message, suggestion }) => Finding::at(
                Code::InvalidServicePrincipal,
                format!("`{key}` holds {holds}, and `{t}` is not a service principal: {message}"),
                &v.span,
            )
            .with_help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("write a service principal such as \"{example}\""),
            }),
            Err(Problem::Unknown { service, suggestion }) => Finding::at(
                Code::UnknownServicePrincipal,
                format!("`{key}` holds {holds}, and `{service}` in `{t}` names no service in AWS's data"),
                &v.span,
            )
            .with_help(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "check the service's principal in its documentation (it is usually `prefix.amazonaws.com`)".to_string(),
            }),
        };
        out.push(finding);
    }
}

/// `Bool` (without `IfExists`) comparing a key some requests lack with `"false"`.
fn optional_bool(
    cx: &Cx<'_, '_>,
    key: &str,
    o: &Operator,
    entry: &ConditionEntry,
    out: &mut Vec<Finding>,
) {
    if o.family != OperatorFamily::Bool || o.if_exists {
        return;
    }
    let Some((_, why)) = OPTIONAL_BOOL_KEYS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
    else {
        return;
    };
    if !entry.values.items.iter().any(|v| v.value.text() == "false") {
        return;
    }
    let effect = if cx.is_allow() { "allows" } else { "denies" };
    out.push(
        Finding::at(Code::BoolWithoutIfExists, format!("{why}, so this statement never {effect} them: `Bool` with \"false\" matches only requests that carry the key"), &entry.key.span)
            .with_help("use `BoolIfExists` so that a request without the key matches \"false\" too"),
    );
}

/// Values of one key that another value already covers: for `NumericLessThan`, the smaller
/// bounds; for any operator, the same value twice.
fn redundant_values(o: &Operator, entry: &ConditionEntry, out: &mut Vec<Finding>) {
    let items = &entry.values.items;
    if items.len() < 2 {
        return;
    }
    for (i, v) in items.iter().enumerate() {
        if let Some(first) = items[..i].iter().find(|p| p.value.text() == v.value.text()) {
            out.push(
                Finding::at(
                    Code::RedundantConditionValue,
                    format!(
                        "`{}` is listed twice for `{}`",
                        v.value.text(),
                        entry.key.value
                    ),
                    &v.span,
                )
                .with_note(Some(first.span.clone()), "first listed here"),
            );
        }
    }
    if o.family != OperatorFamily::Numeric || o.negated || o.qualifier.is_some() {
        return;
    }
    // The values are alternatives: the widest bound is the only one that matters.
    let wider = match o.base {
        "NumericLessThan" | "NumericLessThanEquals" => |a: f64, b: f64| a > b,
        "NumericGreaterThan" | "NumericGreaterThanEquals" => |a: f64, b: f64| a < b,
        _ => return,
    };
    let nums: Vec<Option<f64>> = items
        .iter()
        .map(|v| v.value.text().parse::<f64>().ok())
        .collect();
    let Some(best) = nums
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| if wider(b, a) { b } else { a })
    else {
        return;
    };
    let best_at = nums.iter().position(|n| *n == Some(best)).unwrap_or(0);
    for (i, n) in nums.iter().enumerate() {
        if let Some(n) = n
            && wider(best, *n)
        {
            out.push(
                Finding::at(
                    Code::RedundantConditionValue,
                    format!(
                        "`{}` adds nothing: `{}` with `{}` already matches every value it matches",
                        n,
                        o,
                        items[best_at].value.text()
                    ),
                    &items[i].span,
                )
                .with_note(Some(items[best_at].span.clone()), "the widest bound")
                .with_help(format!("keep only \"{}\"", items[best_at].value.text())),
            );
        }
    }
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.bytes().all(|c| c.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

/// ISO 8601 as IAM reads it (a date, or a date and time with an optional fraction and zone), or
/// seconds since the epoch.
fn is_date(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|c| c.is_ascii_digit());
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let date_ok = match date.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u8>().unwrap_or(0))
        }
        [y, m] => digits(y, 4) && digits(m, 2),
        [y] => digits(y, 4),
        _ => false,
    };
    let Some(time) = time else { return date_ok };
    let (clock, zone) = if let Some(c) = time.strip_suffix('Z') {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        (time, None)
    };
    let (clock, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let clock_ok = match clock.split(':').collect::<Vec<_>>()[..] {
        [h, m, s] => digits(h, 2) && digits(m, 2) && digits(s, 2),
        [h, m] => digits(h, 2) && digits(m, 2),
        _ => false,
    };
    let zone_ok = zone.is_none_or(|z| {
        matches!(z.split(':').collect::<Vec<_>>()[..], [h, m] if digits(h, 2) && digits(m, 2))
            || digits(z, 4)
            || digits(z, 2)
    });
    date_ok && clock_ok && zone_ok && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
}

fn is_ip_range(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 3
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u8>().is_ok_and(|n| n <= max)
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::policy::PolicyKind;

    fn cond(action: &str, condition: &str) -> Vec<&'static str> {
        codes(&on_star(&format!(
            r#""Action":"{action}","Condition":{condition}"#
        )))
    }

    #[test]
    fn value_formats() {
        assert!(
            is_number("3600")
                && is_number("-1.5")
                && !is_number("1.")
                && !is_number("abc")
                && !is_number("")
        );
        assert!(
            is_date("2019-07-16T12:00:00Z")
                && is_date("2019-07-16")
                && is_date("1563278400")
                && is_date("2019-07-16T12:00:00.123+02:00")
        );
        assert!(!is_date("bad") && !is_date("2019-13-01") && !is_date("16/07/2019"));
        assert!(
            is_ip_range("203.0.113.0/24")
                && is_ip_range("10.0.0.1")
                && is_ip_range("2001:db8::/32")
        );
        assert!(
            !is_ip_range("10.0.0.0/33") && !is_ip_range("example.com") && !is_ip_range("10.0.0/8")
        );
    }

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

    #[test]
    fn operators_must_fit_the_key_type() {
        assert_eq!(
            cond(
                "s3:ListBucket",
                r#"{"NumericEquals":{"s3:prefix":"home/"}}"#
            ),
            ["condition-type-mismatch", "invalid-condition-value"]
        );
        let f = findings(
            &on_star(
                r#""Action":"s3:ListBucket","Condition":{"StringEquals":{"s3:signatureAge":"10"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code.as_str(), f[0].severity),
            ("condition-type-mismatch", Severity::Warning)
        );
        assert!(
            cond(
                "s3:ListBucket",
                r#"{"NumericLessThan":{"s3:signatureAge":"10"}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:ViaAWSMCPService":"true"}}"#
            ),
            ["condition-type-mismatch"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"BoolIfExists":{"aws:ViaAWSMCPService":"false"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn set_qualifiers_fit_multivalued_keys() {
        assert_eq!(
            cond("s3:GetObject", r#"{"StringEquals":{"aws:TagKeys":"team"}}"#),
            ["missing-set-qualifier"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}"#
            )
            .is_empty()
        );
        assert!(cond("s3:GetObject", r#"{"Null":{"aws:TagKeys":"false"}}"#).is_empty());
        let f = findings(
            &on_star(
                r#""Action":"s3:GetObject","Condition":{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(
            f.iter()
                .map(|f| (f.code.as_str(), f.severity))
                .collect::<Vec<_>>(),
            [("forallvalues-with-single-valued-key", Severity::Warning)]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn values_must_have_the_operator_format() {
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"DateGreaterThan":{"aws:CurrentTime":"bad"}}"#
            ),
            ["invalid-condition-value"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"DateGreaterThan":{"aws:CurrentTime":"2019-07-16T12:00:00Z"}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/40"}}"#
            ),
            ["invalid-condition-value"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"an hour"}}"#
            ),
            ["invalid-condition-value"]
        );
        assert_eq!(
            cond("s3:GetObject", r#"{"Bool":{"aws:SecureTransport":"yes"}}"#),
            ["invalid-bool-value"]
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"Bool":{"aws:SecureTransport":["true","false"]}}"#
            ),
            ["multiple-bool-values"]
        );
        assert!(cond("s3:GetObject", r#"{"Bool":{"aws:SecureTransport":true}}"#).is_empty());
    }

    #[test]
    fn wildcards_need_like() {
        let f = findings(
            &on_star(
                r#""Action":"s3:GetObject","Condition":{"StringEquals":{"aws:PrincipalTag/team":"dev*"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(
            f.iter()
                .map(|f| (f.code.as_str(), f.severity))
                .collect::<Vec<_>>(),
            [("wildcard-without-like", Severity::Warning)]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("use `StringLike` if you meant a wildcard")
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"StringLike":{"aws:PrincipalTag/team":"dev*"}}"#
            )
            .is_empty()
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn variables_only_with_string_and_arn_operators() {
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"NumericEquals":{"aws:MultiFactorAuthAge":"${aws:username}"}}"#
            ),
            ["unsupported-policy-variable"]
        );
    }

    #[test]
    fn service_principal_keys() {
        assert_eq!(
            cond(
                "iam:PassRole",
                r#"{"StringEquals":{"iam:PassedToService":"ec2"}}"#
            ),
            ["invalid-service-principal"]
        );
        assert!(
            cond(
                "iam:PassRole",
                r#"{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#
            )
            .is_empty()
        );
        assert!(
            cond(
                "iam:PassRole",
                r#"{"StringLike":{"iam:PassedToService":"*.amazonaws.com"}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:CalledViaAWSMCP":"true"}}"#
            ),
            ["service-principal-expected"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:CalledViaAWSMCP":"aws-mcp.amazonaws.com"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn service_principal_values_name_known_services() {
        let pass = |v: &str| {
            cond(
                "iam:PassRole",
                &format!(r#"{{"StringEquals":{{"iam:PassedToService":"{v}"}}}}"#),
            )
        };
        assert_eq!(
            pass("ecs-task.amazonaws.com"),
            ["unknown-service-principal"]
        );
        assert_eq!(pass("ec2.amazonaw.com"), ["invalid-service-principal"]);
        assert!(pass("ecs-tasks.amazonaws.com").is_empty());
        assert!(pass("logs.us-east-1.amazonaws.com").is_empty());
        let f = findings(
            &on_star(
                r#""Action":"iam:PassRole","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaw.com"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("did you mean `ec2.amazonaws.com`?")
        );
        // Every key of the table, whatever the case it is written in.
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"ForAnyValue:StringEquals":{"aws:calledvia":"athena.amazonaw.com"}}"#
            ),
            ["invalid-service-principal"]
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:CalledViaFirst":"cloudformaton.amazonaws.com"}}"#
            ),
            ["unknown-service-principal"]
        );
        // kms:ViaService takes the regional form.
        assert_eq!(
            cond(
                "kms:Decrypt",
                r#"{"StringEquals":{"kms:ViaService":"s3.amazonaws.com"}}"#
            ),
            ["invalid-service-principal"]
        );
        assert!(
            cond(
                "kms:Decrypt",
                r#"{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"}}"#
            )
            .is_empty()
        );
        // Wildcards follow the operator: patterns with StringLike, literal text otherwise.
        assert!(
            cond(
                "kms:Decrypt",
                r#"{"StringLike":{"kms:ViaService":"ec2.*.amazonaws.com"}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "iam:PassRole",
                r#"{"StringLike":{"iam:PassedToService":"ecs-taks.*"}}"#
            ),
            ["unknown-service-principal"]
        );
        assert_eq!(
            cond(
                "iam:PassRole",
                r#"{"StringEquals":{"iam:PassedToService":"ec2.*"}}"#
            ),
            ["wildcard-without-like", "invalid-service-principal"]
        );
        // Case matters unless the operator ignores it.
        assert_eq!(pass("EC2.amazonaws.com"), ["invalid-service-principal"]);
        assert!(
            cond(
                "iam:PassRole",
                r#"{"StringEqualsIgnoreCase":{"iam:PassedToService":"EC2.amazonaws.com"}}"#
            )
            .is_empty()
        );
        // A Boolean never matches a service principal, for any key of the table.
        assert_eq!(pass("true"), ["service-principal-expected"]);
    }

    #[test]
    fn bool_false_on_optional_keys_needs_if_exists() {
        let deny = |op: &str| {
            codes(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"{op}":{{"aws:ViaAWSMCPService":"false"}}}}}}]}}"#
            ))
        };
        assert_eq!(deny("Bool"), ["bool-without-if-exists"]);
        assert!(deny("BoolIfExists").is_empty());
        assert_eq!(
            cond("*", r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#),
            ["bool-without-if-exists"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn duplicate_keys_in_different_case() {
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:SourceVpce":"a","aws:sourcevpce":"b"}}"#
            ),
            ["duplicate-condition-key"]
        );
    }

    #[test]
    fn redundant_values_are_suggestions() {
        let f = findings(
            &on_star(
                r#""Action":"s3:GetObject","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":["2700","3600"]}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(
            f.iter()
                .map(|f| (f.code.as_str(), f.severity))
                .collect::<Vec<_>>(),
            [("redundant-condition-value", Severity::Info)]
        );
        assert_eq!(f[0].span.as_ref().unwrap().text(), "\"2700\"");
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:SourceVpce":["a","a"]}}"#
            ),
            ["redundant-condition-value"]
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"NumericEquals":{"aws:MultiFactorAuthAge":["2700","3600"]}}"#
            )
            .is_empty()
        );
    }
}
