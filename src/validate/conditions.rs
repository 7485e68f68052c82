//! Conditions: the key is looked up (`condition_keys`); the operator fits the key's type and its
//! set qualifier fits whether the key is multivalued; values have the operator's format (Bool, Null, Numeric, Date, IP
//! address); wildcards only with `Like`; policy variables only where IAM reads them; and the value
//! rules AWS's types do not carry (keys that hold service principals).
//!
//! Over 700 lines only with its unit tests, kept beside the code they pin.

use super::condition_keys::{applies, lookup};
use super::{Cx, variables};
use crate::catalog::ValueRule;
use crate::diagnostic::{Code, Finding, Severity};
use crate::iam::condition_key::OPTIONAL_BOOL_KEYS;
use crate::iam::key_type::{
    Fit, KeyType, numeric_operators_documented, string_operators_documented,
};
use crate::iam::operator::{Operator, OperatorFamily, SetQualifier};
use crate::iam::values::{is_date, is_ip_range, is_number};
use crate::iam::variables::has_wildcard;
use crate::policy::{ConditionEntry, ConditionValue};
use crate::source::Spanned;

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

/// Keys AWS's data types as lists (`ArrayOfString`) that IAM Access Analyzer reads as single
/// values: it reports no missing qualifier on them. `events:detail-type` is compared with plain
/// `StringEquals` in AWSAuditManagerServiceRolePolicy, which Access Analyzer's ValidatePolicy found
/// clean on 2026-03-07, and EventBridge's guide shows it with one value per event.
const SINGLE_VALUED_FOR_ACCESS_ANALYZER: &[&str] = &["events:detail-type"];

fn entry(cx: &Cx<'_, '_>, op: &Spanned<Operator>, entry: &ConditionEntry, out: &mut Vec<Finding>) {
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

/// Operator family and set qualifier against the key's type.
fn typed(
    key: &str,
    t: KeyType,
    op: &Spanned<Operator>,
    entry: &ConditionEntry,
    out: &mut Vec<Finding>,
) {
    let o = &op.value;
    let fit = match t.accepts(o.family) {
        Fit::No
            if t.family() == OperatorFamily::IpAddress
                && o.family == OperatorFamily::String
                && compares_with_keys(entry) =>
        {
            // An IP address key compared with another key's value: policy variables work only
            // with String and ARN operators ("You can use a policy variable for Condition values
            // in any condition that involves the string operators or the ARN operators. ... You
            // can't use a policy variable with other operators, such as ... IP Address", IAM User
            // Guide, "IAM policy elements: Variables and tags"), so a String operator is the one
            // way, and AWS's own guardrail takes it: `"StringNotEquals":
            // {"aws:Ec2InstanceSourcePrivateIPv4": "${aws:VpcSourceIp}"}` (IAM User Guide, "AWS
            // global condition context keys", aws:Ec2InstanceSourcePrivateIPv4).
            Fit::Yes
        }
        Fit::Discouraged
            if t.family() == OperatorFamily::Arn
                && o.family == OperatorFamily::String
                && string_operators_documented(key) =>
        {
            Fit::Yes
        }
        Fit::No
            if t.family() == OperatorFamily::Date
                && o.family == OperatorFamily::Numeric
                && numeric_operators_documented(key) =>
        {
            Fit::Yes
        }
        fit => fit,
    };
    match fit {
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
    let multivalued = t.is_multivalued()
        && !SINGLE_VALUED_FOR_ACCESS_ANALYZER
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key));
    match (multivalued, o.qualifier) {
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

/// Whether every value of the entry is one whole policy variable (`"${aws:VpcSourceIp}"`): the
/// condition compares the key with another key of the request.
fn compares_with_keys(entry: &ConditionEntry) -> bool {
    !entry.values.items.is_empty()
        && entry.values.items.iter().all(|v| {
            let t = v.value.text();
            t.starts_with("${")
                && t.ends_with('}')
                && matches!(crate::iam::variables::variables(t)[..], [Some(var)] if var.len() + 3 == t.len())
        })
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
    op: &Spanned<Operator>,
    entry: &ConditionEntry,
    out: &mut Vec<Finding>,
) {
    let o = &op.value;
    let items = &entry.values.items;
    for v in items {
        let Some(substituted) = cx.v.condition_value(v.value.text(), &v.span, out) else {
            continue;
        };
        let t: &str = &substituted;
        let variables_here = match o.family {
            OperatorFamily::String | OperatorFamily::Arn => None,
            f => Some(format!(
                "with {} operators (only String and Arn operators read them)",
                f.as_str()
            )),
        };
        let before = out.len();
        variables::check(cx, t, &v.span, variables_here.as_deref(), out);
        if o.family == OperatorFamily::IpAddress {
            for f in &mut out[before..] {
                if f.code == Code::UnsupportedPolicyVariable {
                    f.help = Some(format!(
                        "IAM reads `${{...}}` here as literal text; to compare `{key}` with another key's value, use a String operator, as AWS's own guardrail does: `\"StringNotEquals\": {{\"aws:Ec2InstanceSourcePrivateIPv4\": \"${{aws:VpcSourceIp}}\"}}`"
                    ));
                }
            }
        }
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
        let Some(t) = cx.v.service_principal_value(v.value.text()) else {
            continue;
        };
        let t: &str = &t;
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
                if sp::parse(&t).is_some() {
                    format!("`{key}` holds {holds}, and `{t}` is not in the form this key takes: {message}")
                } else {
                    format!("`{key}` holds {holds}, and `{t}` is not a service principal: {message}")
                },
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::policy::PolicyKind;

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
    fn an_ip_address_key_compared_with_another_key_takes_a_string_operator() {
        // IAM User Guide, "AWS global condition context keys", aws:Ec2InstanceSourcePrivateIPv4,
        // gives this guardrail: `"StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4":
        // "${aws:VpcSourceIp}"}`. And "IAM policy elements: Variables and tags": "You can use a
        // policy variable for Condition values in any condition that involves the string
        // operators or the ARN operators. ... You can't use a policy variable with other
        // operators, such as Numeric, Date, Boolean, Binary, IP Address, or Null operators."
        let guardrail = r#"{"StringNotEquals":{"aws:Ec2InstanceSourcePrivateIPv4":"${aws:VpcSourceIp}"},"Null":{"ec2:SourceInstanceARN":"false"},"BoolIfExists":{"aws:ViaAWSService":"false"}}"#;
        let deny = |condition: &str| {
            codes(
                &stmt(&format!(
                    r#""Action":"*","Resource":"*","Condition":{condition}"#
                ))
                .replace("\"Allow\"", "\"Deny\""),
            )
        };
        assert!(deny(guardrail).is_empty(), "{:?}", deny(guardrail));
        // A String operator on the IP key with a literal address is still a mismatch.
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:SourceIp":"203.0.113.5"}}"#
            ),
            ["condition-type-mismatch"]
        );
        // With an IP address operator the variable is literal text, and the help names the
        // spelling that works.
        let f = findings(
            &on_star(
                r#""Action":"s3:GetObject","Condition":{"NotIpAddress":{"aws:Ec2InstanceSourcePrivateIPv4":"${aws:VpcSourceIp}"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code.as_str(), "unsupported-policy-variable");
        assert!(
            f[0].help
                .as_deref()
                .is_some_and(|h| h.contains("StringNotEquals")),
            "{:?}",
            f[0].help
        );
    }

    #[test]
    fn epoch_time_takes_numeric_operators() {
        // IAM User Guide, "AWS global condition context keys", aws:EpochTime: "Works with date
        // operators or numeric operators. ... This key also accepts the number of seconds since
        // January 1, 1970."
        assert!(
            cond(
                "s3:GetObject",
                r#"{"NumericLessThan":{"aws:EpochTime":"1700000000"}}"#
            )
            .is_empty()
        );
        assert!(
            cond(
                "s3:GetObject",
                r#"{"DateLessThan":{"aws:EpochTime":"2026-01-01T00:00:00Z"}}"#
            )
            .is_empty()
        );
        // aws:CurrentTime "Works with date operators" only.
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"NumericLessThan":{"aws:CurrentTime":"1700000000"}}"#
            ),
            ["condition-type-mismatch"]
        );
    }

    #[test]
    fn string_operators_on_arn_keys_are_documented() {
        // IAM User Guide, "AWS global condition context keys": aws:PrincipalArn "Works with ARN
        // operators and string operators", and so does aws:SourceArn; on such keys a String
        // operator gets nothing.
        for (action, condition) in [
            (
                "s3:GetObject",
                r#"{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/team-*"}}"#,
            ),
            (
                "sqs:SendMessage",
                r#"{"StringEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#,
            ),
            // "Permissions boundaries for IAM entities" compares iam:PermissionsBoundary with
            // StringEquals: "iam:PermissionsBoundary":
            // "arn:aws:iam::123456789012:policy/XCompanyBoundaries".
            (
                "iam:CreateUser",
                r#"{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::123456789012:policy/XCompanyBoundaries"}}"#,
            ),
        ] {
            assert!(
                cond(action, condition).is_empty(),
                "{condition}: {:?}",
                cond(action, condition)
            );
        }
        // On an ARN key AWS documents with ARN operators only, it stays a warning.
        let f = findings(
            &on_star(
                r#""Action":"ec2:TerminateInstances","Condition":{"StringEquals":{"ec2:InstanceProfile":"arn:aws:iam::123456789012:instance-profile/app"}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].code.as_str(), f[0].severity),
            ("condition-type-mismatch", Severity::Warning)
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
        // Typed `ArrayOfString` by AWS's data, read as one value by Access Analyzer.
        assert!(
            cond(
                "events:PutRule",
                r#"{"StringEquals":{"events:detail-type":"Security Hub Findings - Imported"}}"#
            )
            .is_empty()
        );
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
        // The aws:CalledVia keys take the service's own principal, `service-name.amazonaws.com`
        // (IAM User Guide, "AWS global condition context keys", aws:CalledVia: "you must provide
        // the service principals ... AWS supports using the following service principals with
        // aws:CalledVia", each of that form). Access Analyzer reports the sub-service principal
        // in CloudWatchApplicationSignalsReadOnlyAccess as INVALID_SERVICE_PRINCIPAL_FORMAT; in
        // iam:AWSServiceName, a service-linked role's principal, it is right.
        let f = findings(
            &on_star(
                r#""Action":"xray:BatchGetTraces","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":["application-signals.cloudwatch.amazonaws.com"]}}"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code.as_str(), "invalid-service-principal");
        assert_eq!(
            f[0].code.access_analyzer(),
            Some("INVALID_SERVICE_PRINCIPAL_FORMAT")
        );
        assert!(
            f[0].message.contains("service-name.amazonaws.com"),
            "{}",
            f[0].message
        );
        assert!(
            cond(
                "iam:CreateServiceLinkedRole",
                r#"{"StringEquals":{"iam:AWSServiceName":"application-signals.cloudwatch.amazonaws.com"}}"#
            )
            .is_empty()
        );
        assert_eq!(
            cond(
                "s3:GetObject",
                r#"{"StringEquals":{"aws:CalledViaLast":"ops.emr-serverless.amazonaws.com"}}"#
            ),
            ["invalid-service-principal"]
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
                r#"{"StringLike":{"iam:PassedToService":"ecs-taks.*.amazonaws.com"}}"#
            ),
            ["unknown-service-principal"]
        );
        // The wildcard may stand for the partition's suffix: IAM Access Analyzer finds
        // AmazonECSInfrastructureRolePolicyForManagedInstances (`ec2.*`),
        // AutoScalingServiceRolePolicy and the EMR v2 policies (`ec2.amazonaws.com*`) clean.
        for pattern in [
            "ec2.*",
            "ec2.amazonaws.com*",
            "application-autoscaling.amazonaws.com*",
        ] {
            assert!(
                cond(
                    "iam:PassRole",
                    &format!(r#"{{"StringLike":{{"iam:PassedToService":"{pattern}"}}}}"#)
                )
                .is_empty(),
                "{pattern}"
            );
        }
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
