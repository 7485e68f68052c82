//! Condition operators at evaluation time. A statement's conditions hold when every operator
//! holds, an operator holds when every key under it holds, and a key holds when any of its policy
//! values matches (for a negated operator: when none matches).
//! (IAM User Guide, "Conditions with multiple context keys or values", including "Evaluation
//! logic for negated matching condition operators".)
//!
//! A key the request lacks: plain operators are false, negated ones true; `...IfExists` is true;
//! `Null` tests exactly that ("IAM JSON policy elements: Condition operators", the note at the top
//! of the page). `ForAllValues` is true for a missing or empty key, `ForAnyValue` false, whatever
//! the operator ("Single-valued vs. multivalued context keys"). A request value of several items
//! under an operator without a set qualifier never matches: multivalued keys need one (same page,
//! "Multivalued context keys require a condition set operator"). A value that cannot be read as
//! the operator's type (a number, a date, a Boolean, an IP address, an ARN) matches nothing,
//! under negated operators too.

use super::request::{Context, ContextValue};
use super::variables::{Reading, Tok, resolve};
use crate::iam::operator::{OperatorFamily, SetQualifier};
use crate::policy::{ConditionClause, ConditionValue};

/// What one key under one operator gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOutcome {
    /// The operator as written (`BoolIfExists`).
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// Whether the request carried the key.
    pub present: bool,
    pub matched: bool,
}

/// Evaluates every key of one operator block. Keys the request lacks, and keys that variables in
/// the values needed, are added to `missing`.
pub fn clause(
    c: &ConditionClause,
    ctx: &Context,
    variables: bool,
    missing: &mut Vec<String>,
) -> Vec<KeyOutcome> {
    let op = &c.operator.value;
    c.entries
        .iter()
        .map(|e| {
            let value = ctx.get(&e.key.value);
            if value.is_none() && !missing.iter().any(|m| m.eq_ignore_ascii_case(&e.key.value)) {
                missing.push(e.key.value.clone());
            }
            let policy: Vec<&ConditionValue> = e.values.items.iter().map(|v| &v.value).collect();
            KeyOutcome {
                operator: op.to_string(),
                key: e.key.value.clone(),
                present: value.is_some(),
                matched: key_matches(op, value, &policy, ctx, variables, missing),
            }
        })
        .collect()
}

/// Whether every key of one operator block holds, without the per-key report (the evaluator's
/// fast path). Keys the request lacks are added to `missing` as in `clause`.
pub fn clause_holds(
    c: &ConditionClause,
    ctx: &Context,
    variables: bool,
    missing: &mut Vec<String>,
) -> bool {
    let mut all = true;
    for e in &c.entries {
        let value = ctx.get(&e.key.value);
        if value.is_none() && !missing.iter().any(|m| m.eq_ignore_ascii_case(&e.key.value)) {
            missing.push(e.key.value.clone());
        }
        let policy: Vec<&ConditionValue> = e.values.items.iter().map(|v| &v.value).collect();
        all &= key_matches(&c.operator.value, value, &policy, ctx, variables, missing);
    }
    all
}

fn key_matches(
    op: &crate::iam::operator::Operator,
    value: Option<&ContextValue>,
    policy: &[&ConditionValue],
    ctx: &Context,
    variables: bool,
    missing: &mut Vec<String>,
) -> bool {
    if op.family == OperatorFamily::Null {
        // `"Null": {"k": "true"}` holds when the key is absent; "false" when present.
        let absent = value.is_none();
        return policy.iter().any(|p| match bool_text(p.text()) {
            Some(want_absent) => want_absent == absent,
            None => false,
        });
    }
    let cmp = Comparison::new(op, policy, ctx, variables, missing);
    match op.qualifier {
        Some(SetQualifier::ForAllValues) => match value {
            None => true,
            Some(v) => v.values().iter().all(|r| cmp.one(r)),
        },
        Some(SetQualifier::ForAnyValue) => match value {
            None => false,
            Some(v) => v.values().iter().any(|r| cmp.one(r)),
        },
        None => match value {
            None => op.if_exists || op.negated,
            Some(ContextValue::One(r)) => cmp.one(r),
            Some(ContextValue::Many(_)) => false,
        },
    }
}

/// `true`/`false`, any case.
fn bool_text(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A policy value made ready for comparison.
enum Prepared {
    /// Tokens for string and ARN operators (variables resolved).
    Pattern(Vec<Tok>),
    Text(String),
    /// A value that cannot take part: a variable without value, or text not of the type.
    Unusable,
}

/// One operator's policy values, prepared once for every request value.
struct Comparison {
    base: &'static str,
    negated: bool,
    values: Vec<Prepared>,
}

/// The positive operator a negated one negates.
fn positive(base: &'static str) -> &'static str {
    match base {
        "StringNotEquals" => "StringEquals",
        "StringNotEqualsIgnoreCase" => "StringEqualsIgnoreCase",
        "StringNotLike" => "StringLike",
        "NumericNotEquals" => "NumericEquals",
        "DateNotEquals" => "DateEquals",
        "NotIpAddress" => "IpAddress",
        "ArnNotEquals" => "ArnEquals",
        "ArnNotLike" => "ArnLike",
        b => b,
    }
}

impl Comparison {
    fn new(
        op: &crate::iam::operator::Operator,
        policy: &[&ConditionValue],
        ctx: &Context,
        variables: bool,
        missing: &mut Vec<String>,
    ) -> Comparison {
        let base = positive(op.base);
        let takes_variables =
            variables && matches!(op.family, OperatorFamily::String | OperatorFamily::Arn);
        let values = policy
            .iter()
            .map(|p| {
                let text = p.text();
                match op.family {
                    OperatorFamily::String | OperatorFamily::Arn => {
                        let how = Reading {
                            variables: takes_variables,
                            wildcards: base == "StringLike" || op.family == OperatorFamily::Arn,
                        };
                        match resolve(text, ctx, how, missing) {
                            Some(t) => Prepared::Pattern(t),
                            None => Prepared::Unusable,
                        }
                    }
                    _ => Prepared::Text(text.to_string()),
                }
            })
            .collect();
        Comparison {
            base,
            negated: op.negated,
            values,
        }
    }

    /// Whether one request value satisfies the operator: some policy value matches (negated: the
    /// value is readable and no policy value matches).
    fn one(&self, r: &str) -> bool {
        let results = self.values.iter().map(|p| self.test(r, p));
        if self.negated {
            let mut all_no = true;
            for res in results {
                if res != Some(false) {
                    all_no = false;
                }
            }
            all_no
        } else {
            results.into_iter().any(|res| res == Some(true))
        }
    }

    /// Whether the request value matches one policy value; `None` when either cannot be read.
    fn test(&self, r: &str, p: &Prepared) -> Option<bool> {
        let p_text = match p {
            Prepared::Unusable => return None,
            Prepared::Pattern(t) => {
                return match self.base {
                    "StringEquals" | "StringLike" => {
                        Some(super::matching::tokens_match(t, r, false))
                    }
                    "StringEqualsIgnoreCase" => Some(super::matching::tokens_match(t, r, true)),
                    // ARN operators: the request value must be an ARN; both read wildcards.
                    _ => {
                        if r.splitn(6, ':').count() < 6 || !r.starts_with("arn:") {
                            return None;
                        }
                        Some(super::matching::arn_matches(t, r))
                    }
                };
            }
            Prepared::Text(s) => s.as_str(),
        };
        match self.base {
            "Bool" => Some(bool_text(r)? == bool_text(p_text)?),
            "BinaryEquals" => Some(r == p_text),
            "IpAddress" => Some(ip_in(r, p_text)?),
            b if b.starts_with("Numeric") => {
                let (x, y) = (number(r)?, number(p_text)?);
                Some(order(b.trim_start_matches("Numeric"), x.partial_cmp(&y)?))
            }
            b if b.starts_with("Date") => {
                let (x, y) = (date_millis(r)?, date_millis(p_text)?);
                Some(order(b.trim_start_matches("Date"), x.cmp(&y)))
            }
            _ => None,
        }
    }
}

fn order(name: &str, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match name {
        "Equals" => o == Equal,
        "LessThan" => o == Less,
        "LessThanEquals" => o != Greater,
        "GreaterThan" => o == Greater,
        "GreaterThanEquals" => o != Less,
        _ => false,
    }
}

/// An integer or decimal, as IAM's numeric operators read them.
fn number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.bytes().all(|c| c.is_ascii_digit())
        && !(body.contains('.') && frac.is_empty());
    if ok { s.parse().ok() } else { None }
}

/// Milliseconds since the epoch of an ISO 8601 date or date-time (a date alone, `YYYY-MM`,
/// `YYYY`; a time with optional seconds, fraction and zone), or of epoch seconds. Written here
/// because IAM accepts these shortened forms, which RFC 3339 parsers such as `time` or `chrono`
/// reject.
pub fn date_millis(s: &str) -> Option<i64> {
    if !s.is_empty() && s.len() <= 12 && s.bytes().all(|c| c.is_ascii_digit()) && s.len() != 4 {
        return s.parse::<i64>().ok().map(|secs| secs * 1000);
    }
    let num = |t: &str, n: usize| -> Option<i64> {
        (t.len() == n && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let (y, m, d) = match parts[..] {
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        [y, m] => (num(y, 4)?, num(m, 2)?, 1),
        [y] => (num(y, 4)?, 1, 1),
        _ => return None,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut millis = days_from_civil(y, m, d) * 86_400_000;
    let Some(time) = time else {
        return Some(millis);
    };
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let zone = &time[i + 1..];
        let (zh, zm) = match zone.split_once(':') {
            Some((h, m)) => (num(h, 2)?, num(m, 2)?),
            None if zone.len() == 4 => (num(&zone[..2], 2)?, num(&zone[2..], 2)?),
            None => (num(zone, 2)?, 0),
        };
        let sign = if &time[i..=i] == "-" { -1 } else { 1 };
        (&time[..i], sign * (zh * 60 + zm) * 60_000)
    } else {
        (time, 0)
    };
    let (clock, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let f: Vec<&str> = clock.split(':').collect();
    let (h, mi, sec) = match f[..] {
        [h, mi, sec] => (num(h, 2)?, num(mi, 2)?, num(sec, 2)?),
        [h, mi] => (num(h, 2)?, num(mi, 2)?, 0),
        _ => return None,
    };
    if h > 24 || mi > 59 || sec > 60 || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ms = format!("{frac:0<3}")[..3].parse::<i64>().ok()?;
    millis += ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
    Some(millis)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether an IP address lies in an address or CIDR range (`IpAddress` operators). Hand-written:
/// a prefix comparison over `std::net` addresses is all it takes.
fn ip_in(addr: &str, range: &str) -> Option<bool> {
    use std::net::IpAddr;
    let ip: IpAddr = addr.parse().ok()?;
    let (net, bits) = match range.split_once('/') {
        Some((n, b)) => (n.parse::<IpAddr>().ok()?, Some(b.parse::<u32>().ok()?)),
        None => (range.parse::<IpAddr>().ok()?, None),
    };
    let (a, n, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u32::from(a) as u128, u32::from(n) as u128, 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
        _ => return Some(false),
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return None;
    }
    if bits == 0 {
        return Some(true);
    }
    let shift = width - bits;
    Some(a >> shift == n >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::policy::{PolicyKind, Statement};
    use crate::source::SourceFile;

    /// The outcome of a statement's only condition for one context.
    fn holds(condition: &str, ctx: &Context) -> bool {
        let file = SourceFile::new(
            "s.json",
            format!(
                r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{condition}}}"#
            ),
        );
        let s = Statement::read(&parse(&file).unwrap(), PolicyKind::Identity)
            .value
            .unwrap();
        let mut missing = Vec::new();
        s.condition
            .iter()
            .flat_map(|c| clause(c, ctx, true, &mut missing))
            .all(|o| o.matched)
    }

    fn one(k: &str, v: &str) -> Context {
        Context::new().with(k, v)
    }

    fn many(k: &str, v: &[&str]) -> Context {
        let mut c = Context::new();
        c.insert(
            k,
            ContextValue::Many(v.iter().map(|s| s.to_string()).collect()),
        );
        c
    }

    const NONE: &Context = &Context::new();

    // The seed's guardrail: IAM User Guide, "...IfExists condition operators": "If the key is
    // not present, the condition evaluates to true".
    #[test]
    fn bool_if_exists_is_true_for_a_missing_key() {
        let c = r#"{"BoolIfExists":{"aws:ViaAWSMCPService":"false"}}"#;
        assert!(holds(c, NONE));
        assert!(holds(c, &one("aws:ViaAWSMCPService", "false")));
        assert!(!holds(c, &one("aws:ViaAWSMCPService", "true")));
    }

    // "Condition operators": a key that is not present does not match.
    #[test]
    fn plain_bool_is_false_for_a_missing_key() {
        let c = r#"{"Bool":{"aws:ViaAWSMCPService":"false"}}"#;
        assert!(!holds(c, NONE));
        assert!(holds(c, &one("aws:ViaAWSMCPService", "false")));
    }

    // "Condition operators": "If the policy condition requires that the key is not matched, such
    // as StringNotLike or ArnNotLike, and the right key is not present, the condition is true."
    #[test]
    fn negated_operators_are_true_for_a_missing_key() {
        assert!(holds(
            r#"{"StringNotEquals":{"aws:PrincipalTag/team":"x"}}"#,
            NONE
        ));
        assert!(holds(
            r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::b"}}"#,
            NONE
        ));
        assert!(!holds(
            r#"{"StringEquals":{"aws:PrincipalTag/team":"x"}}"#,
            NONE
        ));
    }

    // "Condition operators", Null: "true" when the key is absent, "false" when present.
    #[test]
    fn null_tests_presence() {
        let absent = r#"{"Null":{"aws:TokenIssueTime":"true"}}"#;
        assert!(holds(absent, NONE));
        assert!(!holds(
            absent,
            &one("aws:TokenIssueTime", "2026-01-01T00:00:00Z")
        ));
        let present = r#"{"Null":{"aws:TokenIssueTime":"false"}}"#;
        assert!(holds(present, &one("aws:TokenIssueTime", "x")));
    }

    // "Conditions with multiple context keys or values": values OR'd, keys and operators AND'd.
    #[test]
    fn values_are_ored_and_keys_anded() {
        let c =
            r#"{"StringEquals":{"aws:PrincipalTag/team":["a","b"],"aws:PrincipalTag/env":"prod"}}"#;
        let ctx = one("aws:PrincipalTag/team", "b").with("aws:PrincipalTag/env", "prod");
        assert!(holds(c, &ctx));
        let ctx = one("aws:PrincipalTag/team", "b").with("aws:PrincipalTag/env", "dev");
        assert!(!holds(c, &ctx));
        let two = r#"{"StringEquals":{"aws:PrincipalTag/team":"b"},"Bool":{"aws:SecureTransport":"true"}}"#;
        assert!(!holds(two, &one("aws:PrincipalTag/team", "b")));
    }

    // "Evaluation logic for negated matching condition operators": StringNotEquals with several
    // values holds only when the request value equals none of them.
    #[test]
    fn negated_operators_over_several_values_need_every_value_to_differ() {
        let c = r#"{"StringNotEquals":{"aws:PrincipalTag/team":["a","b"]}}"#;
        assert!(holds(c, &one("aws:PrincipalTag/team", "c")));
        assert!(!holds(c, &one("aws:PrincipalTag/team", "b")));
    }

    // "Single-valued vs. multivalued context keys": ForAllValues is true when the key is missing
    // or empty; ForAnyValue is false.
    #[test]
    fn set_qualifiers_on_missing_and_empty_keys() {
        let all = r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#;
        let any = r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}"#;
        assert!(holds(all, NONE));
        assert!(holds(all, &many("aws:TagKeys", &[])));
        assert!(!holds(any, NONE));
        assert!(!holds(any, &many("aws:TagKeys", &[])));
        assert!(holds(all, &many("aws:TagKeys", &["a", "b"])));
        assert!(!holds(all, &many("aws:TagKeys", &["a", "c"])));
        assert!(holds(any, &many("aws:TagKeys", &["a", "c"])));
        assert!(!holds(any, &many("aws:TagKeys", &["c"])));
        // ForAnyValue stays false for a missing key even with IfExists.
        assert!(!holds(
            r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}"#,
            NONE
        ));
    }

    // "Examples: multivalued context keys", ForAllValues:StringNotLike with "key1*".
    #[test]
    fn for_all_values_with_a_negated_operator() {
        let c = r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}"#;
        assert!(!holds(c, &many("aws:TagKeys", &["key1:legal"])));
        assert!(!holds(
            c,
            &many("aws:TagKeys", &["key1:hr", "key1:personnel"])
        ));
        assert!(holds(c, &many("aws:TagKeys", &["key2:audit"])));
        assert!(holds(c, NONE));
    }

    #[test]
    fn a_list_under_a_plain_operator_never_matches() {
        let c = r#"{"StringEquals":{"aws:TagKeys":"a"}}"#;
        assert!(!holds(c, &many("aws:TagKeys", &["a"])));
        let n = r#"{"StringNotEquals":{"aws:TagKeys":"a"}}"#;
        assert!(!holds(n, &many("aws:TagKeys", &["b"])));
    }

    #[test]
    fn string_operators() {
        assert!(holds(
            r#"{"StringLike":{"s3:prefix":"home/*"}}"#,
            &one("s3:prefix", "home/a/b")
        ));
        assert!(!holds(
            r#"{"StringEquals":{"s3:prefix":"home/*"}}"#,
            &one("s3:prefix", "home/a")
        ));
        assert!(holds(
            r#"{"StringEquals":{"s3:prefix":"home/*"}}"#,
            &one("s3:prefix", "home/*")
        ));
        assert!(holds(
            r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/t":"ABC"}}"#,
            &one("aws:PrincipalTag/t", "abc")
        ));
        assert!(!holds(
            r#"{"StringEquals":{"aws:PrincipalTag/t":"ABC"}}"#,
            &one("aws:PrincipalTag/t", "abc")
        ));
    }

    #[test]
    fn variables_in_condition_values() {
        let c = r#"{"StringEquals":{"s3:prefix":"home/${aws:username}"}}"#;
        let ctx = one("s3:prefix", "home/ana").with("aws:username", "ana");
        assert!(holds(c, &ctx));
        assert!(!holds(c, &one("s3:prefix", "home/ana")));
    }

    #[test]
    fn numeric_date_ip_binary_and_arn_operators() {
        assert!(holds(
            r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#,
            &one("s3:max-keys", "9")
        ));
        assert!(!holds(
            r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#,
            &one("s3:max-keys", "10")
        ));
        assert!(holds(
            r#"{"NumericGreaterThanEquals":{"s3:max-keys":"1.5"}}"#,
            &one("s3:max-keys", "2")
        ));
        assert!(holds(
            r#"{"DateLessThan":{"aws:CurrentTime":"2026-04-01T00:00:00Z"}}"#,
            &one("aws:CurrentTime", "2026-03-31")
        ));
        assert!(holds(
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2026-04-01T00:00:00Z"}}"#,
            &one("aws:CurrentTime", "2026-04-01T01:00:00+00:30")
        ));
        assert!(holds(
            r#"{"DateEquals":{"aws:EpochTime":"1700000000"}}"#,
            &one("aws:EpochTime", "2023-11-14T22:13:20Z")
        ));
        assert!(holds(
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &one("aws:SourceIp", "203.0.113.9")
        ));
        assert!(!holds(
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &one("aws:SourceIp", "203.0.114.9")
        ));
        assert!(holds(
            r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            &one("aws:SourceIp", "198.51.100.1")
        ));
        assert!(holds(
            r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#,
            &one("aws:SourceIp", "2001:db8::1")
        ));
        assert!(holds(
            r#"{"BinaryEquals":{"k:b":"QmluYXJ5"}}"#,
            &one("k:b", "QmluYXJ5")
        ));
        assert!(holds(
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::b*"}}"#,
            &one("aws:SourceArn", "arn:aws:s3:::bucket")
        ));
        assert!(holds(
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sqs:*:111122223333:q"}}"#,
            &one("aws:SourceArn", "arn:aws:sqs:us-east-1:111122223333:q")
        ));
    }

    #[test]
    fn unreadable_values_match_nothing_even_negated() {
        assert!(!holds(
            r#"{"NumericEquals":{"s3:max-keys":"10"}}"#,
            &one("s3:max-keys", "ten")
        ));
        assert!(!holds(
            r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#,
            &one("s3:max-keys", "ten")
        ));
        assert!(!holds(
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            &one("aws:SecureTransport", "yes")
        ));
        assert!(!holds(
            r#"{"DateNotEquals":{"aws:CurrentTime":"2026-01-01"}}"#,
            &one("aws:CurrentTime", "soon")
        ));
        assert!(!holds(
            r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            &one("aws:SourceIp", "host")
        ));
        assert!(!holds(
            r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::b"}}"#,
            &one("aws:SourceArn", "b")
        ));
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(date_millis("1970-01-02"), Some(86_400_000));
        assert_eq!(date_millis("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(date_millis("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(date_millis("86400"), Some(86_400_000));
        assert_eq!(date_millis("2026-13-01"), None);
        assert_eq!(date_millis("tomorrow"), None);
    }
}
