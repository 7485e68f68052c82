//! The catalog loader: every table read into the model, and each schema rule reported with its
//! code at the catalog place it concerns.

use super::*;
use crate::diagnostic::Code;

fn load(text: &str) -> Loaded {
    Catalog::from_text("c.toml", text)
}

/// The codes of a catalog's findings, with the text each points at.
fn findings(text: &str) -> Vec<(&'static str, String)> {
    load(text)
        .findings
        .iter()
        .map(|f| {
            (
                f.code.as_str(),
                f.span
                    .as_ref()
                    .map(|s| s.text().to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

const FULL: &str = r#"schema-version = "1.0"

[placeholders."<ACCOUNT>"]
example = "123456789012"
description = "An account."

[condition-keys."aws:ViaAWSMCPService"]
type = "Bool"
description = "Through MCP."

[condition-keys."aws:CalledViaAWSMCP"]
type = "String"
values = "service-principal"
description = "Which server."

[deprecations."aws-mcp:InvokeMcp"]
since = 2026-03-24
hint = "Grant the service actions."

[statements.Guard]
description = "The guardrail."
Effect = "Deny"
Action = "*"
Resource = "*"

[modifiers.scoped]
description = "Only through MCP."
add-condition = { Bool = { "aws:ViaAWSMCPService" = "true" } }
applies-to = "allow"
append = ["Guard"]

[policies.read]
file = "read.json"
name = "ReadPolicy"
title = "Read"
description = "Reads."
modifiers = ["scoped"]

[[policies.read.statements]]
Effect = "Allow"
Action = "s3:GetObject"
Resource = "*"

[[policies.read.statements]]
use = "Guard"

[policies.trust]
kind = "trust"

[[policies.trust.statements]]
Effect = "Allow"
Principal = { Service = "ec2.amazonaws.com" }
Action = "sts:AssumeRole"

[roles.reader]
name = "ReaderRole"
trust-policy = "trust"
policies = ["read"]

[callouts.denied]
style = "troubleshooting"
title = "Denied {action}"
body = "Allow `{action}`."

[callouts.denied.params.action]
type = "action"
default = "s3:GetObject"
description = "The action."
"#;

#[test]
fn every_table_is_read_into_the_model() {
    let l = load(FULL);
    assert!(l.findings.is_empty(), "{:?}", l.findings);
    let c = &l.catalog;
    assert_eq!(c.schema_version.as_ref().unwrap().value, "1.0");
    assert_eq!(c.placeholders[0].token.value, "<ACCOUNT>");
    assert_eq!(c.placeholders[0].example, "123456789012");
    assert_eq!(c.condition_keys.len(), 2);
    assert_eq!(
        c.condition_key("aws:calledviaawsmcp").unwrap().values,
        Some(ValueRule::ServicePrincipal)
    );
    assert_eq!(c.deprecations[0].since.as_deref(), Some("2026-03-24"));
    let guard = c.statement("Guard").unwrap();
    assert_eq!(guard.description.as_deref(), Some("The guardrail."));
    assert!(
        guard.body.get("description").is_none(),
        "catalog fields stay out of the body"
    );
    let m = c.modifier("scoped").unwrap();
    assert_eq!(m.applies_to, AppliesTo::Allow);
    assert_eq!(m.add_condition.len(), 1);
    assert_eq!(m.append[0].value, "Guard");
    let p = c.policy("read").unwrap();
    assert_eq!(p.kind, PolicyKind::Identity);
    assert_eq!(p.file.as_deref(), Some("read.json"));
    assert_eq!(p.policy_name.as_deref(), Some("ReadPolicy"));
    assert!(matches!(p.statements[0], StatementRef::Inline(_)));
    assert!(matches!(&p.statements[1], StatementRef::Named(n) if n.value == "Guard"));
    assert_eq!(c.policy("trust").unwrap().kind, PolicyKind::Trust);
    let r = c.role("reader").unwrap();
    assert_eq!(r.role_name, "ReaderRole");
    assert_eq!(r.trust_policy.value, "trust");
    let callout = c.callout("denied").unwrap();
    assert_eq!(callout.style, CalloutStyle::Troubleshooting);
    assert_eq!(callout.params[0].ty, ParamType::Action);
    assert_eq!(
        callout.params[0].default.as_ref().unwrap().value,
        "s3:GetObject"
    );
}

#[test]
fn places_point_at_the_catalog_text() {
    let l = load(FULL);
    let p = l.catalog.policy("read").unwrap();
    assert_eq!(p.name.span.text(), "read");
    assert_eq!(p.name.span.line_col().0, 32);
}

#[test]
fn invalid_toml_is_catalog_syntax_at_its_place() {
    let f = findings("[policies.x\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, "catalog-syntax");
}

#[test]
fn unknown_fields_are_reported_with_a_suggestion() {
    let l = load("[polices.x]\n");
    assert_eq!(l.findings[0].code, Code::CatalogSchema);
    assert_eq!(l.findings[0].span.as_ref().unwrap().text(), "polices");
    assert_eq!(
        l.findings[0].help.as_deref(),
        Some("did you mean `policies`?")
    );
    assert_eq!(
        findings("[policies.x]\nkind = \"identity\"\nstatments = []\n")[0],
        ("catalog-schema", "statments".to_string())
    );
}

#[test]
fn values_of_the_wrong_type() {
    assert_eq!(findings("policies = 1\n")[0].0, "catalog-schema");
    assert_eq!(findings("[policies]\nx = 1\n")[0].0, "catalog-schema");
    assert_eq!(
        findings("[policies.x]\nstatements = \"S\"\n")[0],
        ("catalog-schema", "\"S\"".to_string())
    );
    assert_eq!(
        findings("[policies.x]\nkind = \"role\"\nstatements = []\n")[0],
        ("catalog-schema", "\"role\"".to_string())
    );
    assert_eq!(findings("[policies.x]\n")[0].0, "catalog-schema");
}

#[test]
fn schema_versions_are_checked_with_semver() {
    assert!(findings("schema-version = \"1\"\n").is_empty());
    assert_eq!(
        findings("schema-version = \"2.0\"\n")[0].0,
        "catalog-version"
    );
    assert_eq!(
        findings("schema-version = \"1.9\"\n")[0].0,
        "catalog-version"
    );
    assert_eq!(
        findings("schema-version = \"one\"\n")[0].0,
        "catalog-version"
    );
}

#[test]
fn statement_tables_hold_iam_elements_and_a_description() {
    let f = findings(
        "[statements.S]\nEffect = \"Deny\"\nAction = \"*\"\nResource = \"*\"\nnote = \"x\"\n",
    );
    assert_eq!(f, [("catalog-schema", "note".to_string())]);
    let f = findings(
        "[policies.p]\n[[policies.p.statements]]\nuse = \"S\"\nSid = \"A\"\n[statements.S]\nEffect = \"Deny\"\nAction = \"*\"\nResource = \"*\"\n",
    );
    assert_eq!(f[0].0, "catalog-schema");
}

#[test]
fn a_modifier_must_change_something() {
    assert_eq!(
        findings("[modifiers.m]\ndescription = \"nothing\"\n"),
        [("catalog-schema", "m".to_string())]
    );
    assert_eq!(
        findings("[modifiers.m]\nappend = [\"S\"]\napplies-to = \"some\"\n")[0],
        ("catalog-schema", "\"some\"".to_string())
    );
}

#[test]
fn callout_placeholders_must_be_declared() {
    let f = findings("[callouts.c]\ntitle = \"About {thing}\"\nbody = \"x\"\n");
    assert_eq!(f, [("catalog-schema", "{thing}".to_string())]);
    assert!(findings("[callouts.c]\ntitle = \"A {{literal}}\"\nbody = \"x\"\n").is_empty());
    assert_eq!(
        findings("[callouts.c]\nstyle = \"warn\"\ntitle = \"t\"\nbody = \"b\"\n")[0].0,
        "catalog-schema"
    );
    assert_eq!(
        findings(
            "[callouts.c]\ntitle = \"t\"\nbody = \"b\"\n[callouts.c.params.p]\ntype = \"number\"\n"
        )[0],
        ("catalog-schema", "\"number\"".to_string())
    );
}

#[test]
fn condition_key_docs_need_a_known_type() {
    let f = findings("[condition-keys.\"aws:X\"]\ntype = \"Truth\"\ndescription = \"d\"\n");
    assert_eq!(f, [("catalog-schema", "\"Truth\"".to_string())]);
    let f = findings(
        "[condition-keys.\"aws:X\"]\ntype = \"String\"\ndescription = \"d\"\nvalues = \"arn\"\n",
    );
    assert_eq!(f, [("catalog-schema", "\"arn\"".to_string())]);
}

#[test]
fn deprecations_are_keyed_by_action_and_need_a_hint() {
    assert_eq!(
        findings("[deprecations.InvokeMcp]\nhint = \"h\"\n"),
        [("catalog-schema", "InvokeMcp".to_string())]
    );
    assert_eq!(
        findings("[deprecations.\"a:B\"]\nsince = 2026-01-01\n")[0].0,
        "catalog-schema"
    );
}

#[test]
fn file_names_are_plain_and_iam_names_follow_iam() {
    assert_eq!(
        findings("[policies.p]\nfile = \"../../x.json\"\nstatements = []\n"),
        [("catalog-schema", "\"../../x.json\"".to_string())]
    );
    assert_eq!(
        findings("[policies.p]\nfile = \"/tmp/x.json\"\nstatements = []\n")[0].0,
        "catalog-schema"
    );
    assert_eq!(
        findings("[policies.p]\nname = \"My Policy\"\nstatements = []\n")[0].0,
        "catalog-schema"
    );
    assert_eq!(
        findings("[roles.r]\nname = \"My Role; rm -rf ~\"\ntrust-policy = \"t\"\n"),
        [("catalog-schema", "\"My Role; rm -rf ~\"".to_string())]
    );
    assert!(
        findings("[roles.r]\nname = \"Ops+Admin=1,a.b@c_d-e\"\ntrust-policy = \"t\"\n").is_empty()
    );
    assert!(
        is_plain_file_name("policy.json")
            && !is_plain_file_name("..")
            && !is_plain_file_name("a/b")
    );
}

#[test]
fn includes_need_a_file_and_stay_inside_the_docs_tree() {
    assert_eq!(
        findings("include = [\"more.toml\"]\n"),
        [("catalog-include", "\"more.toml\"".to_string())]
    );
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(dir.path().join("outside.toml"), "").unwrap();
    std::fs::write(
        docs.join("a.toml"),
        "[statements.S]\nEffect = \"Deny\"\nAction = \"*\"\nResource = \"*\"\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("b.toml"),
        "[statements.S]\nEffect = \"Deny\"\nAction = \"*\"\nResource = \"*\"\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("iam-catalog.toml"),
        "include = [\"../outside.toml\", \"a.toml\", \"a.toml\", \"b.toml\", \"missing.toml\"]\n",
    )
    .unwrap();
    let l = Catalog::load(&docs.join("iam-catalog.toml"), &docs);
    let codes: Vec<(&str, String)> = l
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.message.clone()))
        .collect();
    assert_eq!(codes.len(), 4, "{codes:?}");
    assert!(codes[0].1.contains("outside the docs tree"), "{codes:?}");
    assert!(codes[1].1.contains("included twice"), "{codes:?}");
    assert!(codes[2].1.contains("defined twice"), "{codes:?}");
    assert!(codes[3].1.contains("missing.toml"), "{codes:?}");
    assert!(codes.iter().all(|(c, _)| *c == "catalog-include"));
    let deps = l.catalog.dependencies();
    assert!(deps.iter().any(|p| p.ends_with("missing.toml")), "{deps:?}");
    assert!(
        !deps.iter().any(|p| p.ends_with("outside.toml")),
        "{deps:?}"
    );
}

#[test]
fn a_missing_catalog_is_catalog_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let l = Catalog::load(&dir.path().join("iam-catalog.toml"), dir.path());
    assert_eq!(l.findings[0].code, Code::CatalogNotFound);
}

#[test]
fn lints_are_read_with_their_places() {
    use crate::diagnostic::levels::Level;
    let l = load(
        r#"[lints]
retired-action = "warn"
resource-type-mismatch = "allow"
allow-star-on-star = "deny"
redundant-action = "info"
json-syntax = "deny"
"#,
    );
    assert!(l.findings.is_empty(), "{:?}", l.findings);
    let lints = &l.catalog.lints;
    assert_eq!(lints.level(Code::RetiredAction), Some(Level::Warn));
    assert_eq!(lints.level(Code::ResourceTypeMismatch), Some(Level::Allow));
    assert_eq!(lints.level(Code::AllowStarOnStar), Some(Level::Deny));
    assert_eq!(lints.level(Code::RedundantAction), Some(Level::Info));
    assert_eq!(lints.level(Code::JsonSyntax), Some(Level::Deny));
    assert_eq!(lints.level(Code::InvalidSid), None);
    let (_, _, at) = lints.entries().next().unwrap();
    assert_eq!(at.text(), "retired-action");
    assert_eq!(at.line_col(), (2, 1));
}

#[test]
fn bad_lints_are_schema_errors_at_the_key_or_the_value() {
    let text = r#"[lints]
retired-actoin = "warn"
nothing-like-it = "warn"
invalid-sid = "error"
invalid-arn = "loud"
json-syntax = "warn"
catalog-schema = "allow"
invalid-action = 2
"#;
    assert_eq!(
        findings(text),
        vec![
            ("catalog-schema", "retired-actoin".into()),
            ("catalog-schema", "nothing-like-it".into()),
            ("catalog-schema", "\"error\"".into()),
            ("catalog-schema", "\"loud\"".into()),
            ("catalog-schema", "\"warn\"".into()),
            ("catalog-schema", "\"allow\"".into()),
            ("catalog-schema", "2".into()),
        ]
    );
    let l = load(text);
    let help: Vec<Option<&str>> = l.findings.iter().map(|f| f.help.as_deref()).collect();
    assert_eq!(help[0], Some("did you mean `retired-action`?"));
    assert!(help[1].unwrap().contains("Diagnostic codes"), "{help:?}");
    assert_eq!(help[2], Some("write `deny`"));
    assert!(l.findings[4].message.contains("cannot be set"));
    assert!(l.catalog.lints.is_empty());
    assert_eq!(
        findings("lints = 3\n"),
        vec![("catalog-schema", "3".into())]
    );
}

#[test]
fn lints_belong_in_the_top_catalog_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iam-catalog.toml"),
        "include = [\"more.toml\"]\n\n[lints]\ninvalid-sid = \"warn\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("more.toml"),
        "[lints]\ninvalid-arn = \"warn\"\n",
    )
    .unwrap();
    let l = Catalog::load(&dir.path().join("iam-catalog.toml"), dir.path());
    let codes: Vec<(&str, String)> = l
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.span.as_ref().unwrap().text().to_string()))
        .collect();
    assert_eq!(codes, vec![("catalog-schema", "lints".into())]);
    assert!(l.findings[0].message.contains("top catalog file"));
    assert_eq!(
        l.catalog.lints.level(Code::InvalidSid),
        Some(crate::diagnostic::levels::Level::Warn)
    );
    assert_eq!(l.catalog.lints.level(Code::InvalidArn), None);
}
