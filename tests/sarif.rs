//! `--format sarif` through the binary: the logs of `check`, `validate` and `sync --check` pass
//! Microsoft's SARIF validator (node-tests/sarif-validate.mjs, the SARIF and GitHub rules), and
//! each result names the rule, file, line and column that the JSON output gives for the same
//! finding, with a `helpUri` whose page exists in the built guide.

mod common;

use mdbook_iam::sarif::GUIDE_URL;
use serde_json::Value;
use std::path::Path;

/// A docs folder with the guide's catalog and a page with several kinds of finding: an unknown
/// policy, a parameter of the wrong type, a retired action (errors), a policy without a
/// Version (warning) and a redundant action (info).
fn docs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("guide/iam-catalog.toml"),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("docs/bad page.md"),
        "# Bad\n\n<<#iam-policy s3-readonli>>\n\n<<#iam-callout not-authorized action=ListBucket>>\n\n\
         ```json\n{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \
         \"Action\": [\"aws-mcp:InvokeMcp\", \"s3:Get*\", \"s3:GetObject\"],\n      \
         \"Resource\": \"*\"\n    }\n  ]\n}\n```\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docs/good.md"),
        "# Good\n\n<<#iam-policy s3-readonly>>\n",
    )
    .unwrap();
    dir
}

fn validate_sarif(file: &Path) {
    let o = common::node("sarif-validate.mjs", &[file]);
    assert!(
        o.status.success(),
        "{} is not valid SARIF:\n{}{}",
        file.display(),
        common::stdout(&o),
        common::stderr(&o)
    );
}

/// Runs the binary twice, for SARIF and for JSON, and returns both (and the exit code).
fn both(dir: &Path, args: &[&str]) -> (Value, Value, Option<i32>) {
    let mut sarif_args = args.to_vec();
    sarif_args.extend(["--format", "sarif"]);
    let o = common::run(dir, &sarif_args, "");
    let sarif_text = common::stdout(&o);
    let file = dir.join("out.sarif");
    std::fs::write(&file, &sarif_text).unwrap();
    validate_sarif(&file);
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let j = common::run(dir, &json_args, "");
    assert_eq!(
        o.status.code(),
        j.status.code(),
        "SARIF and JSON exit alike"
    );
    (
        serde_json::from_str(&sarif_text).unwrap(),
        serde_json::from_str(&common::stdout(&j)).unwrap(),
        o.status.code(),
    )
}

/// Each SARIF result is the JSON output's finding: rule, file, line, column, level.
fn assert_results_match(sarif: &Value, json: &Value) {
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let findings = json.as_array().unwrap();
    assert_eq!(results.len(), findings.len(), "one result per finding");
    for (r, f) in results.iter().zip(findings) {
        let code = f["code"].as_str().unwrap();
        assert_eq!(r["ruleId"], code);
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], code);
        assert_eq!(
            r["level"],
            match f["severity"].as_str().unwrap() {
                "info" => "note",
                other => other,
            }
        );
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(uri.replace("%20", " "), f["file"].as_str().unwrap());
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], f["line"]);
        assert_eq!(loc["region"]["startColumn"], f["column"]);
    }
}

#[test]
fn check_sarif_is_valid_and_names_rule_file_line_and_column() {
    let dir = docs();
    let (sarif, json, code) = both(dir.path(), &["check", "docs"]);
    assert_eq!(code, Some(1));
    assert_results_match(&sarif, &json);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    for want in [
        "unknown-policy",
        "invalid-parameter",
        "deprecated-action",
        "missing-version",
        "redundant-action",
    ] {
        assert!(kinds.contains(want), "no {want} result in {kinds:?}");
    }
    let levels: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "warning"].into_iter().collect());
    // The page's own place, fixed here too, not only as the JSON output has it.
    let unknown = results
        .iter()
        .find(|r| r["ruleId"] == "unknown-policy")
        .unwrap();
    let loc = &unknown["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "docs/bad%20page.md");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 15);
    assert_eq!(loc["region"]["snippet"]["text"], "s3-readonli");
}

#[test]
fn every_rule_links_to_its_page_in_the_built_guide() {
    let dir = docs();
    let (sarif, _, _) = both(dir.path(), &["check", "docs/good.md"]);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    let guide = tempfile::tempdir().unwrap();
    let built = common::build_guide(guide.path());
    assert!(built.status.success(), "{}", common::stderr(&built));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), mdbook_iam::diagnostic::Code::ALL.len());
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap();
        let page = uri
            .strip_prefix(GUIDE_URL)
            .unwrap_or_else(|| panic!("{uri} is not below {GUIDE_URL}"));
        assert!(
            guide.path().join(page).is_file(),
            "{uri}: the built guide has no {page}"
        );
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn validate_sarif_is_valid() {
    let dir = docs();
    std::fs::write(
        dir.path().join("policy.json"),
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    { \"Effect\": \"allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\" }\n  ]\n}\n",
    )
    .unwrap();
    let (sarif, json, code) = both(dir.path(), &["validate", "policy.json"]);
    assert_eq!(code, Some(1));
    assert_results_match(&sarif, &json);
    assert!(json.as_array().unwrap().len() >= 2, "{json}");
}

#[test]
fn sync_check_sarif_reports_drift() {
    let dir = docs();
    let page = dir.path().join("docs/synced.md");
    std::fs::write(
        &page,
        "# P\n\n<!-- iam:begin iam-policy default-permissions -->\n<!-- iam:end -->\n",
    )
    .unwrap();
    let o = common::run(dir.path(), &["sync", "docs/synced.md"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("sts:GetCallerIdentity", "sts:GetSessionToken"),
    )
    .unwrap();
    let (sarif, json, code) = both(dir.path(), &["sync", "--check", "docs/synced.md"]);
    assert_eq!(code, Some(1));
    assert_results_match(&sarif, &json);
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "sync-drift");
}

#[test]
fn levels_set_by_the_catalog_are_valid_sarif_and_match_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iam-catalog.toml"),
        "[lints]\ninvalid-action = \"warn\"\nallow-star-on-star = \"deny\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.md"),
        "# P\n\n```json\n{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObjekt\",\"*\"],\"Resource\":\"*\"}]}\n```\n",
    )
    .unwrap();
    let (sarif, json, code) = both(dir.path(), &["check", "p.md"]);
    assert_eq!(code, Some(1), "{json}");
    assert_results_match(&sarif, &json);
    let run = &sarif["runs"][0];
    let levels: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["ruleId"].as_str()?, r["level"].as_str()?)))
        .collect();
    assert!(
        levels.contains(&("invalid-action", "warning")),
        "{levels:?}"
    );
    assert!(
        levels.contains(&("allow-star-on-star", "error")),
        "{levels:?}"
    );
    let overrides = run["invocations"][0]["ruleConfigurationOverrides"]
        .as_array()
        .expect("the catalog's levels as configuration overrides");
    assert_eq!(overrides.len(), 2, "{overrides:?}");
}
