//! Bad input, end to end through the binary: each case asserts the stable code, the
//! `file:line:col`, and a non-zero exit, and that nothing is printed as a result.

mod common;

use std::path::Path;

/// Expands `page` (written as `page.md` next to a copy of the example catalog, or `catalog`).
fn expand_page(page: &str, catalog: Option<&str>) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let cat = match catalog {
        Some(c) => c.to_string(),
        None => std::fs::read_to_string(common::example_catalog()).unwrap(),
    };
    std::fs::write(dir.path().join("iam-catalog.toml"), cat).unwrap();
    std::fs::write(dir.path().join("page.md"), page).unwrap();
    let o = common::run(dir.path(), &["expand", "page.md"], "");
    (
        o.status.code().unwrap_or(-1),
        common::stdout(&o),
        common::stderr(&o),
    )
}

fn assert_error(page: &str, code: &str, place: &str) -> String {
    let (exit, out, err) = expand_page(page, None);
    assert_eq!(exit, 1, "exit code for {code}: {err}");
    assert!(out.is_empty(), "nothing may be printed on error, got {out}");
    let header = format!("{place}: error[{code}]");
    assert!(err.contains(&header), "expected `{header}` in:\n{err}");
    err
}

#[test]
fn unknown_kind() {
    let err = assert_error(
        "# T\n\n<<#iam-polcy s3-readonly>>\n",
        "unknown-kind",
        "page.md:3:4",
    );
    assert!(err.contains("did you mean `iam-policy`?"));
}

#[test]
fn unknown_policy_names_line_and_suggests() {
    let err = assert_error(
        "# T\n\ntext\n<<#iam-policy s3-readnly>>\n",
        "unknown-policy",
        "page.md:4:15",
    );
    assert!(err.contains("did you mean `s3-readonly`?"), "{err}");
}

#[test]
fn unknown_modifier() {
    let err = assert_error(
        "<<#iam-policy s3-readonly mcp-scopd>>\n",
        "unknown-modifier",
        "page.md:1:27",
    );
    assert!(err.contains("did you mean `mcp-scoped`?"));
}

#[test]
fn unknown_parameter() {
    let err = assert_error(
        "<<#iam-callout not-authorized acton=s3:GetObject>>\n",
        "unknown-parameter",
        "page.md:1:31",
    );
    assert!(err.contains("did you mean `action`?"));
    assert!(
        err.contains("iam-catalog.toml:"),
        "the catalog place is shown too: {err}"
    );
}

#[test]
fn parameter_of_the_wrong_type() {
    assert_error(
        "<<#iam-callout not-authorized action=s3GetObject>>\n",
        "invalid-parameter",
        "page.md:1:38",
    );
}

#[test]
fn deprecated_action_as_a_parameter() {
    let err = assert_error(
        "<<#iam-callout not-authorized action=aws-mcp:InvokeMcp>>\n",
        "deprecated-action",
        "page.md:1:38",
    );
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn malformed_directive() {
    assert_error(
        "intro\n\n<<#iam-policy s3-readonly\n\nnext paragraph\n",
        "malformed-directive",
        "page.md:3:1",
    );
    assert_error(
        "<<#iam-callout not-authorized action=\"open>>\n",
        "malformed-directive",
        "page.md:1:38",
    );
}

#[test]
fn wrong_number_of_names() {
    assert_error(
        "<<#iam-statement A B>>\n",
        "wrong-argument-count",
        "page.md:1:20",
    );
}

#[test]
fn undocumented_condition_key() {
    assert_error(
        "<<#iam-condition-keys aws:ViaAWSMCPServce>>\n",
        "undocumented-condition-key",
        "page.md:1:23",
    );
}

#[test]
fn pasted_policy_with_a_retired_action_fails_at_its_line() {
    let page = "# Old\n\n```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"aws-mcp:InvokeMcp\", \"s3:GetObject\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n```\n";
    let err = assert_error(page, "deprecated-action", "page.md:9:18");
    assert!(
        err.contains("aws:ViaAWSMCPService"),
        "the migration hint is shown: {err}"
    );
}

#[test]
fn malformed_catalog_names_the_catalog_line() {
    let (exit, out, err) = expand_page(
        "<<#iam-policy a>>\n",
        Some("schema-version = \"1.0\"\n[policies.a\nkind = \"identity\"\n"),
    );
    assert_eq!(exit, 1);
    assert!(out.is_empty());
    assert!(err.contains("iam-catalog.toml:2:"), "{err}");
    assert!(err.contains("error[catalog-syntax]"), "{err}");
}

#[test]
fn unknown_catalog_field_suggests() {
    let cat = "schema-version = \"1.0\"\n[policies.a]\ntitel = \"x\"\nstatements = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\" }]\n";
    let (exit, _, err) = expand_page("<<#iam-policy a>>\n", Some(cat));
    assert_eq!(exit, 1);
    assert!(
        err.contains("iam-catalog.toml:3:1: error[catalog-schema]"),
        "{err}"
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn deprecated_action_in_the_catalog() {
    let cat = "schema-version = \"1.0\"\n[policies.old]\nstatements = [\n  { Effect = \"Allow\", Action = [\"aws-mcp:InvokeMcp\"], Resource = \"*\" },\n]\n";
    let (exit, out, err) = expand_page("<<#iam-policy old>>\n", Some(cat));
    assert_eq!(exit, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("iam-catalog.toml:4:33: error[deprecated-action]"),
        "{err}"
    );
}

#[test]
fn unsupported_schema_version() {
    let (exit, _, err) = expand_page("text\n", Some("schema-version = \"2.0\"\n"));
    assert_eq!(exit, 1);
    assert!(
        err.contains("iam-catalog.toml:1:18: error[catalog-version]"),
        "{err}"
    );
}

#[test]
fn missing_catalog_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.md"), "<<#iam-policy a>>\n").unwrap();
    let o = common::run(
        dir.path(),
        &["expand", "--catalog", "nope.toml", "page.md"],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains("error[catalog-not-found]"));
}

#[test]
fn mdbook_version_mismatch_is_reported_before_parsing() {
    let input = r#"[{"root":"/tmp","config":{},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[],"__non_exhaustive":null}]"#;
    let o = common::run(Path::new("."), &[], input);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains("error[unsupported-mdbook]"), "{err}");
    assert!(err.contains("0.4.40"), "{err}");
    assert!(!err.contains("Unable to parse"), "{err}");
    assert!(common::stdout(&o).is_empty());
}

#[test]
fn check_json_output_has_the_interface_fields() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::example_catalog(),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("page.md"), "# T\n\n<<#iam-policy nope>>\n").unwrap();
    let o = common::run(dir.path(), &["check", "--format", "json", "."], "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    let f = &v[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["code"], "unknown-policy");
    assert_eq!(f["file"], "page.md");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 15);
    assert!(f["message"].as_str().unwrap().contains("nope"));
}

#[test]
fn clean_check_exits_zero() {
    let o = common::run(&common::root().join("book-example"), &["check", "src"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
}

#[test]
fn failed_page_keeps_text_outside_directives() {
    // Library level: a page with one bad directive comes back unchanged, with the finding.
    use mdbook_iam::{
        aws_data::AwsData, expand::Expander, open_catalog, render::Flavor, source::SourceFile,
    };
    let path = common::example_catalog();
    let loaded = open_catalog(&path, path.parent().unwrap(), AwsData::embedded());
    let page = "a\n\n<<#iam-policy nope>>\n\n<<#iam-policy s3-readonly>>\n";
    let exp = Expander::new(&loaded.catalog, Flavor::Gfm).expand(&SourceFile::new("p.md", page));
    assert!(exp.has_errors());
    assert!(exp.text.contains("<<#iam-policy nope>>"));
}

#[test]
fn block_directive_sharing_a_line_is_a_warning() {
    let (exit, out, err) = expand_page("Here: <<#iam-policy s3-readonly>>\n", None);
    assert_eq!(exit, 0, "{err}");
    assert!(
        err.contains("page.md:1:7: warning[inline-block-directive]"),
        "{err}"
    );
    assert!(out.contains("\"s3:GetObject\""));
}

#[test]
fn install_adds_the_table_once_and_keeps_comments() {
    let dir = tempfile::tempdir().unwrap();
    let before = "# my book\n[book]\ntitle = \"T\" # the title\n";
    std::fs::write(dir.path().join("book.toml"), before).unwrap();
    let o = common::run(dir.path(), &["install"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let after = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    assert!(after.starts_with(before));
    assert!(after.contains("[preprocessor.iam]\nafter = [\"links\"]"));
    let o = common::run(dir.path(), &["install"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
        after
    );
    let o = common::run(dir.path(), &["install", "no-such-dir"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn export_writes_each_policy_prettier_laid_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = common::run(
        dir.path(),
        &[
            "export",
            "--catalog",
            common::example_catalog().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let trust = std::fs::read_to_string(out.join("trust-policy.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&trust).unwrap();
    assert_eq!(v["Statement"][0]["Action"], "sts:AssumeRoleWithWebIdentity");
    assert!(out.join("s3-readonly-permissions.json").is_file());
}
