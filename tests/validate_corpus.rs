//! The corpora written outside this project (`../shared/corpus`), with the expectations their
//! READMEs and INDEX files state: parliament's failing and passing cases, the AWS MCP Server
//! authorization change, and two fragments from Access Analyzer's check reference.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::diagnostic::{Finding, Severity};
use mdbook_iam::json;
use mdbook_iam::policy::{Policy, PolicyKind, Statement};
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::path::{Path, PathBuf};

/// Whether the corpora are here. They live beside the repository (CI has them); without them (a
/// user's clone) each test that reads them skips, saying so in one line.
fn corpora_absent(test: &str) -> bool {
    let absent = !Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .is_dir();
    if absent {
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: ../shared/corpus is absent (the shared corpora beside the repository)"
        );
    }
    absent
}

fn corpus(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(dir)
}

/// The kind a policy of unknown origin most likely is, guessed as `check` guesses it for pasted
/// JSON blocks.
fn kind_of(text: &str) -> PolicyKind {
    let file = mdbook_iam::source::SourceFile::new("corpus.json", text);
    match mdbook_iam::json::parse(&file) {
        Ok(v) => mdbook_iam::page::pasted::guess_kind(&v),
        Err(_) => PolicyKind::Identity,
    }
}

/// Every finding for a policy document: JSON syntax, grammar, validation.
fn validate(name: &str, text: &str, kind: PolicyKind) -> Vec<Finding> {
    let catalog = Catalog::default();
    let validator = Validator::new(&catalog);
    let file = SourceFile::new(name, text);
    let doc = match json::parse(&file) {
        Ok(d) => d,
        Err(e) => {
            return vec![Finding::at(
                mdbook_iam::diagnostic::Code::JsonSyntax,
                e.message,
                &mdbook_iam::source::Span::new(&file, e.offset..e.offset),
            )];
        }
    };
    let read = Policy::read(&doc, kind);
    let mut out = read.findings;
    out.extend(validator.policy(&read.value, kind));
    out
}

/// Findings for statements given on their own (one object, or an array of them).
fn validate_statements(name: &str, text: &str) -> Vec<Finding> {
    let catalog = Catalog::default();
    let validator = Validator::new(&catalog);
    let file = SourceFile::new(name, text);
    let doc = json::parse(&file).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let items = match &doc.kind {
        json::Kind::Array(items) => items.clone(),
        _ => vec![doc.clone()],
    };
    let mut out = Vec::new();
    for item in &items {
        let read = Statement::read(item, PolicyKind::Identity);
        out.extend(read.findings);
        if let Some(s) = read.value {
            validator.statement(&s, &mut out);
        }
    }
    out
}

fn describe(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{}[{}] {}", f.severity.as_str(), f.code.as_str(), f.message))
        .collect::<Vec<_>>()
        .join("\n    ")
}

/// The rows of an INDEX.tsv: file name and parliament's finding ids.
fn index(dir: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(corpus(dir).join("INDEX.tsv")).unwrap_or_else(|e| {
        panic!("{dir}/INDEX.tsv: {e} (the shared corpora live next to this repository)")
    });
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let ids = cols[1]
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "(none)")
                .map(String::from)
                .collect();
            (cols[0].to_string(), ids)
        })
        .collect()
}

/// How parliament's finding ids map to ours. Grammar-level ids must each map to codes of ours
/// at error or warning level; lint ids map to the warning we have for them, or to nothing where
/// we do not implement that lint (with the reason).
fn ours(parliament_id: &str) -> Option<&'static [&'static str]> {
    Some(match parliament_id {
        // Grammar level.
        "MALFORMED_JSON" => &["json-syntax"],
        "MALFORMED" => &[
            "unsupported-element-combination",
            "missing-action",
            "missing-statement",
            "missing-effect",
            "missing-resource",
            "unknown-element",
            "invalid-element-type",
        ],
        "INVALID_SID" => &["invalid-sid"],
        "DUPLICATE_SID" => &["duplicate-sid"],
        "UNKNOWN_ACTION" => &["invalid-action", "invalid-service"],
        "UNKNOWN_OPERATOR" => &["invalid-condition-operator"],
        // Parliament reports an unknown operator as a type mismatch too.
        "MISMATCHED_TYPE" => &[
            "condition-type-mismatch",
            "invalid-condition-value",
            "invalid-condition-operator",
        ],
        "MISMATCHED_TYPE_BUT_USABLE" => &["condition-type-mismatch"],
        "INVALID_ARN" => &[
            "invalid-arn",
            "invalid-element-type",
            "invalid-arn-partition",
            "invalid-arn-region",
            "invalid-arn-account",
        ],
        "UNKNOWN_CONDITION_FOR_ACTION" => &[
            "condition-key-not-for-action",
            "invalid-service-condition-key",
            "invalid-global-condition-key",
            "invalid-condition-key-format",
        ],
        // Lints we have a warning for.
        "BAD_PATTERN_FOR_MFA" => &["bool-without-if-exists"],
        "NOTRESOURCE_WITH_ALLOW" => &["allow-with-not-resource"],
        "NOTPRINCIPAL_WITH_ALLOW" => &["allow-with-not-principal"],
        // Lints we do not implement: `"Resource": "*"` is how docs grant read access, and the
        // remaining ones are parliament's opinions on which actions are sensitive. Parliament's
        // RESOURCE_MISMATCH expands every wildcard action; we match literal actions and each
        // resource, so `s3:*Object*` next to a bucket ARN is not reported.
        "RESOURCE_STAR"
        | "RESOURCE_EFFECTIVELY_STAR"
        | "PRIVILEGE_ESCALATION"
        | "CREDENTIALS_EXPOSURE"
        | "PERMISSIONS_MANAGEMENT_ACTIONS"
        | "SENSITIVE_ACCESS"
        | "RESOURCE_POLICY_PRIVILEGE_ESCALATION"
        | "RESOURCE_MISMATCH" => return None,
        other => panic!("parliament id {other} has no mapping: decide what it maps to in `ours`"),
    })
}

/// Parliament's grammar-level ids: each must map to findings of ours.
const GRAMMAR_IDS: [&str; 10] = [
    "MALFORMED_JSON",
    "MALFORMED",
    "INVALID_SID",
    "DUPLICATE_SID",
    "UNKNOWN_ACTION",
    "UNKNOWN_OPERATOR",
    "MISMATCHED_TYPE",
    "MISMATCHED_TYPE_BUT_USABLE",
    "INVALID_ARN",
    "UNKNOWN_CONDITION_FOR_ACTION",
];

#[test]
fn every_grammar_level_id_maps_to_ours() {
    for id in GRAMMAR_IDS {
        assert!(ours(id).is_some_and(|c| !c.is_empty()), "{id}");
    }
}

#[test]
fn parliament_cases_are_reported() {
    if corpora_absent("parliament_cases_are_reported") {
        return;
    }
    let rows = index("parliament-cases");
    assert!(rows.len() >= 30, "{} rows", rows.len());
    let mut failures = Vec::new();
    for (file, ids) in &rows {
        let text = std::fs::read_to_string(corpus("parliament-cases").join(file)).unwrap();
        let findings = validate(file, &text, kind_of(&text));
        let strict_json = !file.ends_with(".txt");
        if !strict_json && !findings.iter().any(|f| f.code.as_str() == "json-syntax") {
            failures.push(format!("{file}: not strict JSON, but no json-syntax error"));
        }
        for id in ids {
            let Some(codes) = ours(id) else { continue };
            // A file that is not strict JSON can only show its JSON error.
            if !strict_json && *id != "MALFORMED_JSON" {
                continue;
            }
            let hit = findings
                .iter()
                .any(|f| codes.contains(&f.code.as_str()) && f.severity >= Severity::Warning);
            if !hit {
                failures.push(format!(
                    "{file}: {id} expected one of {codes:?}, found:\n    {}",
                    describe(&findings)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `Id` is not part of an identity policy's grammar, which parliament, having no policy kinds,
/// does not check: these files are identity policies (no Principal) that carry one.
fn id_without_principal(text: &str) -> bool {
    text.contains("\"Id\"") && !text.contains("Principal")
}

#[test]
fn parliament_good_policies_have_no_errors() {
    if corpora_absent("parliament_good_policies_have_no_errors") {
        return;
    }
    let rows = index("parliament-good");
    assert!(rows.len() >= 20, "{} rows", rows.len());
    let mut failures = Vec::new();
    for (file, ids) in &rows {
        let text = std::fs::read_to_string(corpus("parliament-good").join(file)).unwrap();
        let findings = validate(file, &text, kind_of(&text));
        let errors: Vec<Finding> = findings
            .into_iter()
            .filter(|f| f.is_error())
            .filter(|f| {
                !(f.code.as_str() == "id-in-identity-policy" && id_without_principal(&text))
            })
            .filter(|f| {
                !ids.iter()
                    .any(|id| ours(id).is_some_and(|c| c.contains(&f.code.as_str())))
            })
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{file}:\n    {}", describe(&errors)));
        }
    }
    assert!(
        failures.is_empty(),
        "errors on policies parliament accepts:\n{}",
        failures.join("\n")
    );
}

fn mcp_files(prefix: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(corpus("mcp"))
        .expect("../shared/corpus/mcp")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".json"))
        .map(|n| {
            let text = std::fs::read_to_string(corpus("mcp").join(&n)).unwrap();
            (n, text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn retired_mcp_actions_fail_with_the_migration_hint() {
    if corpora_absent("retired_mcp_actions_fail_with_the_migration_hint") {
        return;
    }
    let files = mcp_files("bad_");
    assert!(files.len() >= 2);
    for (name, text) in files {
        let findings = validate(&name, &text, PolicyKind::Identity);
        let retired = text.matches("\"aws-mcp:").count();
        let deprecated: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code.as_str() == "deprecated-action")
            .collect();
        assert_eq!(deprecated.len(), retired, "{name}: {}", describe(&findings));
        for f in &deprecated {
            assert!(f.is_error(), "{name}: {}", f.message);
            assert!(
                f.span.as_ref().unwrap().text().starts_with("\"aws-mcp:"),
                "{name}: points at the action"
            );
            let hint = f.help.as_deref().unwrap_or("");
            assert!(
                hint.contains("aws:ViaAWSMCPService") && hint.contains("s3:GetObject"),
                "{name}: migration hint missing: {hint}"
            );
        }
        let others: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.is_error() && f.code.as_str() != "deprecated-action")
            .collect();
        assert!(others.is_empty(), "{name}: {others:?}");
    }
}

#[test]
fn aws_documented_mcp_statements_validate_cleanly() {
    if corpora_absent("aws_documented_mcp_statements_validate_cleanly") {
        return;
    }
    let files = mcp_files("good_");
    assert!(files.len() >= 2);
    for (name, text) in files {
        let findings: Vec<Finding> = validate_statements(&name, &text)
            .into_iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(findings.is_empty(), "{name}:\n    {}", describe(&findings));
    }
}

#[test]
fn the_mcp_managed_policy_validates() {
    if corpora_absent("the_mcp_managed_policy_validates") {
        return;
    }
    let text = std::fs::read_to_string(
        corpus("mcp").join("aws-managed_AWSMcpServiceActionsFullAccess.json"),
    )
    .unwrap();
    let findings = validate(
        "AWSMcpServiceActionsFullAccess.json",
        &text,
        PolicyKind::Identity,
    );
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "{}",
        describe(&findings)
    );
    // `aws:IsMcpServiceAction` is a Bool global key, and the condition keeps `*` on `*` in check.
    assert!(findings.is_empty(), "{}", describe(&findings));
}

/// A fragment (`{"Action": [...]}` or `{"Condition": {...}}`) completed into a statement.
fn statement_from_fragment(text: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).expect("fragments are JSON");
    let m = v.as_object_mut().unwrap();
    m.entry("Effect").or_insert("Allow".into());
    m.entry("Action").or_insert("s3:GetObject".into());
    m.entry("Resource").or_insert("*".into());
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn access_analyzer_fragments_give_suggestions() {
    if corpora_absent("access_analyzer_fragments_give_suggestions") {
        return;
    }
    for (file, code, at) in [
        (
            "redundant-action.fragment.json",
            "redundant-action",
            "\"iam:GetCredentialReport\"",
        ),
        (
            "redundant-condition-value-num.fragment.json",
            "redundant-condition-value",
            "\"2700\"",
        ),
    ] {
        let text = std::fs::read_to_string(corpus("aws-docs-fragments").join(file)).unwrap();
        let findings = validate_statements(file, &statement_from_fragment(&text));
        assert_eq!(findings.len(), 1, "{file}: {}", describe(&findings));
        let f = &findings[0];
        assert_eq!(
            (f.code.as_str(), f.severity),
            (code, Severity::Info),
            "{file}"
        );
        assert_eq!(f.span.as_ref().unwrap().text(), at, "{file}");
    }
}
