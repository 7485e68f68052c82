//! Policy size, as IAM counts it: characters of the stored JSON, whitespace not counted, against
//! the quota for the policy's kind. A warning, not an error: the quotas differ by where the
//! policy goes (a customer managed policy, an inline policy, an AWS managed policy, a trust policy
//! whose quota was raised), and Access Analyzer's own check is a warning too.

use crate::diagnostic::{Code, Finding};
use crate::iam::element;
use crate::policy::{ConditionValue, List, Policy, PolicyKind, Principal, Statement, Targets};

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

/// The policy's size as IAM counts it: the characters of its canonical JSON
/// ([`Policy::to_value`]), counted on the model without building that value (this runs for every
/// document validated). A test holds the two to the same figure.
pub fn policy_size(policy: &Policy) -> usize {
    let mut n = object(
        [
            policy
                .version
                .as_ref()
                .map(|v| (element::VERSION, string(&v.value))),
            policy.id.as_ref().map(|v| (element::ID, string(&v.value))),
        ]
        .into_iter()
        .flatten(),
    );
    // "Statement": [...], always an array.
    let statements: usize = policy.statements.iter().map(statement_size).sum();
    n += usize::from(n > 2) + string(element::STATEMENT) + 1;
    n + array_of(policy.statements.len(), statements)
}

/// An object's size from its members' keys and value sizes.
fn object<'k>(members: impl Iterator<Item = (&'k str, usize)>) -> usize {
    let (mut n, mut count) = (2, 0usize);
    for (key, value) in members {
        n += string(key) + 1 + value;
        count += 1;
    }
    n + count.saturating_sub(1)
}

/// An array of `len` items whose sizes sum to `items`.
fn array_of(len: usize, items: usize) -> usize {
    2 + len.saturating_sub(1) + items
}

/// A list as written: one item bare unless it was written as an array.
fn list_size<T>(list: &List<T>, item: impl Fn(&T) -> usize) -> usize {
    let items: usize = list.items.iter().map(|i| item(&i.value)).sum();
    if list.written_as_array || list.items.len() != 1 {
        array_of(list.items.len(), items)
    } else {
        items
    }
}

fn statement_size(s: &Statement) -> usize {
    let principal = s.principal.as_ref().map(|p| {
        let name = if p.negated {
            element::NOT_PRINCIPAL
        } else {
            element::PRINCIPAL
        };
        let size = match &p.principal {
            Principal::Any(_) => string("*"),
            Principal::Map(entries) => object(
                entries
                    .iter()
                    .map(|(k, ids)| (k.value.as_str(), list_size(ids, |v| string(v)))),
            ),
        };
        (name, size)
    });
    let targets = |t: &Option<Targets>, pos, neg| {
        t.as_ref().map(|t| {
            (
                if t.negated { neg } else { pos },
                list_size(&t.list, |v| string(v)),
            )
        })
    };
    let condition = (!s.condition.is_empty()).then(|| {
        let operators: Vec<String> = s
            .condition
            .iter()
            .map(|c| c.operator.value.to_string())
            .collect();
        let size = object(s.condition.iter().zip(&operators).map(|(c, operator)| {
            (
                operator.as_str(),
                object(c.entries.iter().map(|e| {
                    (
                        e.key.value.as_str(),
                        list_size(&e.values, |v| match v {
                            ConditionValue::String(s) => string(s),
                            ConditionValue::Bool(b) => 4 + usize::from(!*b),
                            ConditionValue::Number(n) => number(n),
                        }),
                    )
                })),
            )
        }));
        (element::CONDITION, size)
    });
    object(
        [
            s.sid.as_ref().map(|v| (element::SID, string(&v.value))),
            s.effect
                .as_ref()
                .map(|e| (element::EFFECT, string(e.value.as_str()))),
            principal,
            targets(&s.action, element::ACTION, element::NOT_ACTION),
            targets(&s.resource, element::RESOURCE, element::NOT_RESOURCE),
            condition,
        ]
        .into_iter()
        .flatten(),
    )
}

fn number(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// A string's length as JSON (quotes and escapes included), without its whitespace.
fn string(s: &str) -> usize {
    if s.is_ascii() {
        // The same count on bytes: of ASCII whitespace only the space goes uncounted (tab,
        // line feed and carriage return are written escaped, the rest of C0 as `\uXXXX`).
        return 2 + s
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' => 2,
                0..0x20 => 6,
                b' ' => 0,
                _ => 1,
            })
            .sum::<usize>();
    }
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
    use crate::json::{Kind, Value, parse};
    use crate::source::SourceFile;

    /// The size of a JSON value, counted on the value: what [`policy_size`] must agree with.
    fn count(v: &Value, n: &mut usize) {
        match &v.kind {
            Kind::Null => *n += 4,
            Kind::Bool(b) => *n += if *b { 4 } else { 5 },
            Kind::Number(s) => *n += number(s),
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

    /// The size counted on the model is the size of the canonical JSON, for every shape the
    /// model holds.
    #[test]
    fn size_is_that_of_the_canonical_value() {
        let texts = [
            r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Id":"x y","Statement":[]}"#,
            r#"{"Id":"only"}"#,
            r#"{}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A b","Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:aws:s3:::b/\"q\"\\\u0001 \t","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"aws:MultiFactorAuthAge":3600, "s3:max-keys": [1, 2.5e3]},"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["caf\u00e9", "a\u00a0b", "café"]}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::123456789012:root"],"Service":"ec2.amazonaws.com"},"Action":["s3:GetObject"],"Resource":["a","b"],"Condition":{"Null":{"aws:x":true}}}]}"#,
        ];
        for text in texts {
            let policy = read(text);
            let mut want = 0;
            count(&policy.to_value(), &mut want);
            assert_eq!(policy_size(&policy), want, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn size_matches_canonical_on_generated_policies(
            statements in proptest::collection::vec(
                (
                    proptest::option::of("[a-zA-Z0-9 ]{0,6}"),
                    proptest::bool::ANY,
                    proptest::collection::vec("[a-z0-9:*\\\" é\t]{1,8}", 1..4),
                    proptest::bool::ANY,
                    proptest::option::of(proptest::collection::vec(
                        ("(Bool|StringLike|NumericEquals|ForAllValues:StringEqualsIfExists)", "[a-z:]{1,6}", proptest::collection::vec("(true|false|12|\"x y\"|\"\")", 1..3)),
                        1..3,
                    )),
                ),
                0..4,
            ),
            id in proptest::option::of("[a-z]{0,4}"),
        ) {
            let stmts: Vec<String> = statements.iter().map(|(sid, allow, actions, array, condition)| {
                let list: Vec<String> = actions.iter().map(|a| serde_json::to_string(a).unwrap()).collect();
                let action = if *array || list.len() != 1 { format!("[{}]", list.join(",")) } else { list[0].clone() };
                let mut members = Vec::new();
                if let Some(sid) = sid { members.push(format!(r#""Sid":{}"#, serde_json::to_string(sid).unwrap())); }
                members.push(format!(r#""Effect":"{}""#, if *allow { "Allow" } else { "Deny" }));
                members.push(format!(r#""Action":{action}"#));
                members.push(r#""Resource":"*""#.to_string());
                if let Some(clauses) = condition {
                    let c: Vec<String> = clauses.iter().enumerate().map(|(i, (op, key, values))| {
                        format!(r#""{op}{i}":{{"{key}":[{}]}}"#, values.join(","))
                    }).collect();
                    members.push(format!(r#""Condition":{{{}}}"#, c.join(",")));
                }
                format!("{{{}}}", members.join(","))
            }).collect();
            let id = id.map(|i| format!(r#""Id":"{i}","#)).unwrap_or_default();
            let text = format!(r#"{{{id}"Version":"2012-10-17","Statement":[{}]}}"#, stmts.join(","));
            let policy = read(&text);
            let mut want = 0;
            count(&policy.to_value(), &mut want);
            proptest::prop_assert_eq!(policy_size(&policy), want, "{}", text);
        }
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
