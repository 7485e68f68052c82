//! The team's levels through the binary: the catalog's `[lints]` table sets how loud each code is
//! in every command, the exit code follows the level used, and JSON and SARIF output say it.

mod common;

use std::path::Path;

const BAD_ACTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjectt","Resource":"*"}]}"#;
const RETIRED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["qapps:ImportDocumentToQApp","deepracer:ListModels"],"Resource":"*"}]}"#;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn page(policy: &str) -> String {
    format!("# Page\n\n```json\n{policy}\n```\n")
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = common::run(dir, args, "");
    (
        o.status.code().unwrap_or(-1),
        common::stdout(&o),
        common::stderr(&o),
    )
}

#[test]
fn an_error_lowered_to_warn_exits_zero_and_says_where_its_level_is_set() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("iam-catalog.toml", ""), ("p.md", &page(BAD_ACTION))],
    );
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-action]"), "{err}");

    write(
        dir.path(),
        &[(
            "iam-catalog.toml",
            "# While we migrate.\n[lints]\ninvalid-action = \"warn\"\n",
        )],
    );
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("p.md:4:"), "{err}");
    assert!(err.contains("warning[invalid-action]"), "{err}");
    assert!(
        err.contains("= note: lowered to warning by `[lints]` in "),
        "{err}"
    );
    assert!(err.contains("iam-catalog.toml:3 (default: error)"), "{err}");
}

#[test]
fn allow_drops_the_finding_and_deny_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let star =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    write(
        dir.path(),
        &[
            (
                "iam-catalog.toml",
                "[lints]\ninvalid-action = \"allow\"\nallow-star-on-star = \"deny\"\n",
            ),
            ("a.md", &page(BAD_ACTION)),
            ("b.md", &page(star)),
        ],
    );
    let (code, _, err) = run(dir.path(), &["check", "a.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("invalid-action"), "{err}");
    let (code, _, err) = run(dir.path(), &["check", "b.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[allow-star-on-star]"), "{err}");
    assert!(err.contains("raised to error"), "{err}");
}

#[test]
fn a_team_keeps_retired_actions_as_warnings_while_it_migrates() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "iam-catalog.toml",
                "[lints]\nretired-action = \"warn\"\nretired-service = \"warn\"\n",
            ),
            ("p.md", &page(RETIRED)),
        ],
    );
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[retired-action]"), "{err}");
    assert!(err.contains("warning[retired-service]"), "{err}");
    // The migration done, the team makes them errors, whatever the default.
    write(
        dir.path(),
        &[(
            "iam-catalog.toml",
            "[lints]\nretired-action = \"deny\"\nretired-service = \"deny\"\n",
        )],
    );
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[retired-action]"), "{err}");
    assert!(err.contains("error[retired-service]"), "{err}");
}

#[test]
fn json_and_sarif_report_the_level_used() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("iam-catalog.toml", "[lints]\ninvalid-action = \"warn\"\n"),
            ("p.md", &page(BAD_ACTION)),
        ],
    );
    let (code, out, err) = run(dir.path(), &["check", "--format", "json", "p.md"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "invalid-action")
        .expect("the finding");
    assert_eq!(row["severity"], "warning");
    assert_eq!(row["default_severity"], "error");
    assert_eq!(row["level_set_by"], "lints");
    assert_eq!(row["file"], "p.md");

    let (code, out, err) = run(dir.path(), &["check", "--format", "sarif", "p.md"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &v["runs"][0];
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "invalid-action")
        .expect("the result");
    assert_eq!(result["level"], "warning");
    assert_eq!(result["properties"]["defaultLevel"], "error");
    let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "invalid-action");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    let o = &run["invocations"][0]["ruleConfigurationOverrides"][0];
    assert_eq!(o["descriptor"]["id"], "invalid-action");
    assert_eq!(o["configuration"]["level"], "warning");
}

#[test]
fn a_lowered_error_in_a_catalog_policy_still_expands_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = r#"[lints]
invalid-action = "warn"

[policies.reader]
file = "reader.json"
statements = [{ Effect = "Allow", Action = "s3:GetObjectt", Resource = "*" }]
"#;
    write(
        dir.path(),
        &[
            ("iam-catalog.toml", catalog),
            ("p.md", "# P\n\n<<#iam-policy reader>>\n"),
        ],
    );
    let (code, out, err) = run(dir.path(), &["expand", "p.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"s3:GetObjectt\""), "{out}");
    assert!(!out.contains("<<#iam-policy"), "{out}");
    assert!(err.contains("warning[invalid-action]"), "{err}");
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(dir.path(), &["export", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/reader.json").is_file());

    // Without the table, the same catalog fails every command.
    write(
        dir.path(),
        &[(
            "iam-catalog.toml",
            &catalog.replace("[lints]\ninvalid-action = \"warn\"\n", ""),
        )],
    );
    let (code, out, err) = run(dir.path(), &["expand", "p.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
}

#[test]
fn validate_uses_the_nearest_catalogs_levels() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("iam-catalog.toml", "[lints]\ninvalid-action = \"info\"\n"),
            ("p.json", BAD_ACTION),
        ],
    );
    let (code, _, err) = run(dir.path(), &["validate", "p.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("info[invalid-action]"), "{err}");
}

#[test]
fn a_bad_lints_table_fails_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "iam-catalog.toml",
                "[lints]\ninvalid-actoin = \"warn\"\njson-syntax = \"allow\"\ninvalid-sid = \"off\"\n",
            ),
            ("p.md", "# P\n"),
        ],
    );
    let (code, _, err) = run(dir.path(), &["check", "p.md"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("iam-catalog.toml:2:1: error[catalog-schema]: `[lints]` names `invalid-actoin`, which is no code"),
        "{err}"
    );
    assert!(err.contains("did you mean `invalid-action`?"), "{err}");
    assert!(
        err.contains(
            "iam-catalog.toml:3:15: error[catalog-schema]: the level of `json-syntax` cannot be set"
        ),
        "{err}"
    );
    assert!(
        err.contains("iam-catalog.toml:4:15: error[catalog-schema]"),
        "{err}"
    );
    assert!(err.contains("help: write `allow`"), "{err}");
}

#[test]
fn the_mdbook_preprocessor_follows_the_levels() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("iam-catalog.toml", "[lints]\ninvalid-action = \"warn\"\n")],
    );
    let request = |content: &str| {
        serde_json::json!([
            {"root": dir.path(), "config": {"book": {"title": "T"}, "preprocessor": {"iam": {}}},
             "renderer": "html", "mdbook_version": "0.5.4"},
            {"items": [{"Chapter": {"name": "P", "content": content, "number": [1],
             "sub_items": [], "path": "p.md", "source_path": "p.md", "parent_names": []}}]}
        ])
        .to_string()
    };
    let o = common::run(dir.path(), &[], &request(&page(BAD_ACTION)));
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[invalid-action]"), "{err}");
    assert!(common::stdout(&o).contains("GetObjectt"));

    write(dir.path(), &[("iam-catalog.toml", "")]);
    let o = common::run(dir.path(), &[], &request(&page(BAD_ACTION)));
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
}
