//! `mdbook-iam validate` on CloudFormation and SAM templates (tests/fixtures/templates): each
//! policy inside is checked as its kind, findings at the template's line and column.

mod common;

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/templates").join(name)
}

/// Runs `validate --format json` on one fixture: exit code, and each finding as
/// `severity code line:column`.
fn validate(name: &str) -> (Option<i32>, Vec<String>, String) {
    let dir = common::root();
    let path = fixture(name);
    let o = common::run(
        Path::new(&dir),
        &["validate", "--format", "json", path.to_str().unwrap()],
        "",
    );
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let findings: Vec<String> = serde_json::from_str::<serde_json::Value>(&stdout)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["severity"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or(""),
                f["line"],
                f["column"]
            )
        })
        .collect();
    (o.status.code(), findings, common::stderr(&o))
}

#[test]
fn a_yaml_template_s_error_is_found_at_its_line_and_column() {
    let (code, findings, stderr) = validate("app.yaml");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        findings.contains(&"error invalid-action 48:21".to_string()),
        "{findings:?}"
    );
}

/// The bucket policy's `Sid` with dashes is valid in an S3 bucket policy, and `!GetAtt`/`!Sub`
/// are placeholders: the typo is the one error. (Needs the resource-policy Sid rule and the
/// placeholder reading of `<...>` from the other parts of issue 16.)
#[test]
fn a_yaml_template_has_no_error_but_its_typo() {
    let (_, findings, _) = validate("app.yaml");
    let errors: Vec<&String> = findings.iter().filter(|f| f.starts_with("error")).collect();
    assert_eq!(errors, ["error invalid-action 48:21"]);
}

#[test]
fn a_json_template_is_read_as_a_template() {
    let (code, findings, stderr) = validate("app.json");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        findings.contains(&"error invalid-action 21:56".to_string()),
        "{findings:?}"
    );
    // The key policy is read as a resource policy: its `Principal` is expected there.
    assert!(
        !findings.iter().any(|f| f.contains("principal")),
        "{findings:?}"
    );
}

/// KMS's own default Sids are valid in a key policy. (Needs the resource-policy Sid rule from
/// another part of issue 16.)
#[test]
fn a_json_template_has_no_error_but_its_typo() {
    let (_, findings, _) = validate("app.json");
    let errors: Vec<&String> = findings.iter().filter(|f| f.starts_with("error")).collect();
    assert_eq!(errors, ["error invalid-action 21:56"]);
}

#[test]
fn a_template_that_is_not_yaml_is_a_yaml_syntax_error() {
    let (code, findings, stderr) = validate("broken.yaml");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].starts_with("error yaml-syntax 7:"),
        "{findings:?}"
    );
}

#[test]
fn a_yaml_file_that_is_not_a_template_is_refused() {
    let (code, findings, stderr) = validate("not-a-template.yaml");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(findings.is_empty());
    assert!(
        stderr.contains("not a CloudFormation or SAM template"),
        "{stderr}"
    );
}
