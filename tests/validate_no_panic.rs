//! No input makes the validator panic: policies built from pieces chosen to sit on the edges of
//! every check (wildcards, variables, colons, placeholders, non-ASCII text, wrong JSON types),
//! validated as each policy kind, with findings rendered as text and JSON.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::diagnostic::{TextStyle, render_json, render_text};
use mdbook_iam::json;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use proptest::prelude::*;
use serde_json::{Value, json};

const PIECES: &[&str] = &[
    "",
    "*",
    "?",
    "${",
    "}",
    "${}",
    "${*}",
    "${aws:username",
    "${aws:username}",
    "${ aws:userid }",
    ":",
    "::",
    "/",
    "arn",
    "arn:",
    "aws",
    "aws-cn",
    "s3",
    "iam",
    "aws-mcp",
    "ec2",
    "é",
    "😀",
    "<YOUR_AWS_ACCOUNT_ID>",
    "123456789012",
    "us-east-1",
    "Get*",
    "InvokeMcp",
    "aws:RequestTag/",
    "aws:PrincipalTag/team",
    "s3:prefix",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:TagKeys",
    "iam:PassedToService",
    "aws:CalledViaAWSMCP",
    "10.0.0.0/8",
    "2019-07-16T12:00:00Z",
    "true",
    "false",
    "3600",
    "-1.5e3",
    ".amazonaws.com",
    "tag-key",
    "\\",
    "\"",
    "\n",
    " ",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringLike",
    "ForAllValues:StringLike",
    "ForAnyValue:StringEqualsIfExists",
    "NumericLessThan",
    "DateGreaterThan",
    "Bool",
    "BoolIfExists",
    "IpAddress",
    "ArnLike",
    "Null",
    "NullIfExists",
    "BinaryEquals",
    "Bogus",
    "ForAllValues:",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..6).prop_map(|p| p.concat())
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => text().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i32>().prop_map(|n| json!(n)),
        1 => Just(Value::Null),
    ]
}

fn list() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => scalar(),
        2 => prop::collection::vec(scalar(), 0..4).prop_map(Value::Array),
        1 => Just(json!({"Fn::Sub": "x"})),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(OPERATORS),
            prop::collection::vec((text(), list()), 0..3),
        ),
        0..3,
    )
    .prop_map(|clauses| {
        let mut m = serde_json::Map::new();
        for (op, entries) in clauses {
            let inner: serde_json::Map<String, Value> = entries.into_iter().collect();
            m.insert(op.to_string(), Value::Object(inner));
        }
        Value::Object(m)
    })
}

fn principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        (
            prop::sample::select(&["AWS", "Service", "Federated", "CanonicalUser", "Bogus"][..]),
            list()
        )
            .prop_map(|(k, v)| json!({ k: v })),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::option::of(text()),
        prop::sample::select(&["Allow", "Deny", "allow"][..]),
        prop::option::of(principal()),
        any::<bool>(),
        list(),
        any::<bool>(),
        prop::option::of(list()),
        prop::option::of(condition()),
    )
        .prop_map(
            |(sid, effect, principal, not_action, action, not_resource, resource, condition)| {
                let mut m = serde_json::Map::new();
                if let Some(sid) = sid {
                    m.insert("Sid".into(), json!(sid));
                }
                m.insert("Effect".into(), json!(effect));
                if let Some(p) = principal {
                    m.insert("Principal".into(), p);
                }
                m.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    action,
                );
                if let Some(r) = resource {
                    m.insert(
                        if not_resource {
                            "NotResource"
                        } else {
                            "Resource"
                        }
                        .into(),
                        r,
                    );
                }
                if let Some(c) = condition {
                    m.insert("Condition".into(), c);
                }
                Value::Object(m)
            },
        )
}

fn policy() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["2012-10-17", "2008-10-17", "x"][..]),
        prop::collection::vec(statement(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(version, statements, pretty)| {
            let doc = json!({ "Version": version, "Statement": statements });
            if pretty {
                serde_json::to_string_pretty(&doc).unwrap()
            } else {
                doc.to_string()
            }
        })
}

fn check(text: &str) {
    let catalog = Catalog::from_text(
        "c.toml",
        "[placeholders.\"<YOUR_AWS_ACCOUNT_ID>\"]\nexample = \"123456789012\"\n",
    )
    .catalog;
    let validator = Validator::new(&catalog);
    let file = SourceFile::new("p.json", text);
    let Ok(doc) = json::parse(&file) else { return };
    for kind in PolicyKind::ALL {
        let read = Policy::read(&doc, kind);
        let mut findings = read.findings;
        findings.extend(validator.policy(&read.value, kind));
        for s in &read.value.statements {
            validator.statement(s, &mut findings);
        }
        let _ = render_text(&findings, TextStyle::default());
        let _ = render_json(&findings);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn generated_policies_never_panic(text in policy()) {
        check(&text);
    }

    #[test]
    fn mangled_policies_never_panic(text in policy(), cut in any::<prop::sample::Index>(), insert in prop::sample::select(PIECES)) {
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        check(&format!("{}{insert}{}", &text[..at], &text[at..]));
    }
}

#[test]
fn pathological_single_values_never_panic() {
    let long = "a".repeat(5000);
    for value in [
        "*",
        "arn:aws:s3:::",
        "arn:${aws:username}:s3:::b",
        "arn:aws:s3:::${",
        &format!("arn:aws:iam::123456789012:role/{long}"),
        &format!("{long}:{long}"),
    ] {
        let v = serde_json::to_string(value).unwrap();
        for body in [
            format!(r#""Action":{v},"Resource":"*""#),
            format!(r#""Action":"s3:GetObject","Resource":{v}"#),
            format!(
                r#""Action":"s3:GetObject","Resource":"*","Condition":{{"StringLike":{{{v}:{v}}}}}"#
            ),
            format!(
                r#""Principal":{{"AWS":{v},"Service":{v},"Federated":{v}}},"Action":"sts:AssumeRole""#
            ),
        ] {
            check(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{body}}}]}}"#
            ));
        }
    }
}
