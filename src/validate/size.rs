//! Policy size, as IAM counts it: characters of the stored JSON, whitespace not counted, against
//! the quota for the policy's kind. A warning, not an error: the quotas differ by where the
//! policy goes (a customer managed policy, an inline policy, an AWS managed policy, a trust policy
//! whose quota was raised), and Access Analyzer's own check is a warning too.

use crate::diagnostic::{Code, Finding};
use crate::json::{Kind, Value};
use crate::policy::{Policy, PolicyKind};

/// IAM's default quota for a kind, in non-whitespace characters: customer managed identity
/// policies 6,144; role trust policies 2,048 (adjustable). Resource policies have per-service
/// quotas and are not measured.
pub fn size_limit(kind: PolicyKind) -> Option<usize> {
    match kind {
        PolicyKind::Identity => Some(6_144),
        PolicyKind::Trust => Some(2_048),
        PolicyKind::Resource => None,
    }
}

/// The policy's size as IAM counts it.
pub fn policy_size(policy: &Policy) -> usize {
    let mut n = 0;
    count(&policy.to_value(), &mut n);
    n
}

fn count(v: &Value, n: &mut usize) {
    match &v.kind {
        Kind::Null => *n += 4,
        Kind::Bool(b) => *n += if *b { 4 } else { 5 },
        Kind::Number(s) => *n += s.chars().filter(|c| !c.is_whitespace()).count(),
        Kind::String(s) => *n += string(s),
        Kind::Array(items) => {
            *n += 2 + items.len().saturating_sub(1);
            items.iter().for_each(|i| count(i, n));
        }
        Kind::Object(members) => {
            *n += 2 + members.len().saturating_sub(1);
            for m in members {
                *n += string(&m.key) + 1;
                count(&m.value, n);
            }
        }
    }
}

/// A string's length as JSON (quotes and escapes included), without its whitespace.
fn string(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' => 2,
            c if (c as u32) < 0x20 => 6,
            c if c.is_whitespace() => 0,
            _ => 1,
        })
        .sum::<usize>()
}

pub(super) fn check(policy: &Policy, kind: PolicyKind, out: &mut Vec<Finding>) {
    let Some(limit) = size_limit(kind) else {
        return;
    };
    let size = policy_size(policy);
    if size > limit {
        let what = match kind {
            PolicyKind::Trust => "a role trust policy (2,048 by default; the quota can be raised)",
            _ => "a customer managed policy",
        };
        out.push(
            Finding::at(Code::PolicyTooLarge, format!("the policy is {size} characters long without whitespace; IAM accepts at most {limit} for {what}"), &policy.span)
                .with_help("split it into several policies, or use wildcards where they keep the grant the same"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::json::parse;
    use crate::source::SourceFile;

    fn read(src: &str) -> Policy {
        Policy::read(
            &parse(&SourceFile::new("p.json", src)).unwrap(),
            PolicyKind::Identity,
        )
        .value
    }

    #[test]
    fn size_ignores_whitespace() {
        let compact = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(policy_size(&read(compact)), compact.len());
        let spaced = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\" } ]\n}";
        assert_eq!(policy_size(&read(spaced)), compact.len());
    }

    #[test]
    fn large_policies_are_warned_about() {
        let many: Vec<String> = (0..400)
            .map(|i| format!("\"arn:aws:s3:::bucket-number-{i}/*\""))
            .collect();
        let big = stmt(&format!(
            r#""Action":"s3:GetObject","Resource":[{}]"#,
            many.join(",")
        ));
        assert_eq!(codes(&big), ["policy-too-large"]);
        assert!(codes(&on_star(r#""Action":"s3:GetObject""#)).is_empty());
    }
}
