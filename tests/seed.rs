//! The case that started the project (`../shared/seed/`): the catalog expresses the tutorial's
//! IAM both before and after AWS's 2026-03-24 change, byte for byte as the tutorial prints it,
//! and validation rejects the "before" state with the migration hint.

mod common;

use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::open_catalog;
use mdbook_iam::policy::to_prettier_json;
use mdbook_iam::validate::Validator;

const DEFAULT_BEFORE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool"],
      "Resource": "*"
    }
  ]
}
"#;

const S3_BEFORE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "aws-mcp:InvokeMcp",
        "aws-mcp:CallReadOnlyTool",
        "aws-mcp:CallReadWriteTool"
      ],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "*"
    }
  ]
}
"#;

/// The deny guardrail the seed issue proposes, as it prints it.
const GUARDRAIL: &str = r#"{
  "Sid": "DenyDirectAPIAccess",
  "Effect": "Deny",
  "Action": "*",
  "Resource": "*",
  "Condition": {
    "BoolIfExists": {
      "aws:ViaAWSMCPService": "false"
    }
  }
}
"#;

fn before() -> Catalog {
    let text =
        std::fs::read_to_string(common::root().join("tests/fixtures/seed-before.toml")).unwrap();
    let loaded = Catalog::from_text("seed-before.toml", &text);
    assert!(loaded.findings.is_empty(), "the before state loads");
    loaded.catalog
}

#[test]
fn before_state_renders_exactly_as_the_tutorial_printed_it() {
    let c = before();
    let render = |name: &str| {
        let (policy, findings) = c.build_policy(c.policy(name).unwrap(), &[]);
        assert!(findings.is_empty());
        to_prettier_json(&policy.to_value())
    };
    assert_eq!(render("default-before"), DEFAULT_BEFORE);
    assert_eq!(render("s3-readonly-before"), S3_BEFORE);
}

#[test]
fn before_state_is_rejected_with_the_migration_hint() {
    let c = before();
    let findings = Validator::new(&c).catalog();
    let retired: Vec<_> = findings
        .iter()
        .filter(|f| f.code.as_str() == "deprecated-action")
        .collect();
    assert_eq!(retired.len(), 5, "every aws-mcp action, in both policies");
    assert!(retired.iter().all(|f| {
        f.is_error()
            && f.help
                .as_deref()
                .is_some_and(|h| h.contains("aws:ViaAWSMCPService"))
    }));
    let (line, _) = retired[0].span.as_ref().unwrap().line_col();
    assert_eq!(line, 11, "points at the catalog line");
}

#[test]
fn after_state_has_the_guardrail_the_seed_asks_for_and_no_retired_action() {
    let path = common::example_catalog();
    let loaded = open_catalog(&path, path.parent().unwrap(), AwsData::embedded());
    assert!(!loaded.findings.iter().any(|f| f.is_error()));
    let c = &loaded.catalog;
    let (stmt, _) = c.build_statement(c.statement("DenyDirectAPIAccess").unwrap());
    assert_eq!(to_prettier_json(&stmt.unwrap().to_value()), GUARDRAIL);
    for p in &c.policies {
        let (policy, _) = c.build_policy(p, &[]);
        let json = to_prettier_json(&policy.to_value());
        assert!(
            !json.contains("aws-mcp:"),
            "{} still grants an aws-mcp action",
            p.name.value
        );
        if p.kind == mdbook_iam::policy::PolicyKind::Identity {
            assert!(
                json.contains("\"DenyDirectAPIAccess\""),
                "{} lacks the guardrail",
                p.name.value
            );
        }
    }
}
