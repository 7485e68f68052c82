//! `check` on a real docs tree nobody here wrote: AWS's IAM User Guide as AWS published its
//! Markdown (402 pages, `../shared/corpus/iam-user-guide/` beside the repository). Nothing in it is
//! labelled by hand: which blocks hold policies is decided here from their text, by a reading of
//! the fences of its own and serde_json, and compared with what `check` examined.
//!
//! Without the corpus (a user's clone) the tests skip with one line; under `CI=true` a missing
//! corpus fails them, so CI cannot pass by losing its data.

mod common;

use mdbook_iam::catalog::Catalog;
use mdbook_iam::page::pasted::check_block;
use mdbook_iam::page::scan::scan;
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The guide's pages: `.md` files, not the AppleDouble `._*` files beside them.
fn pages(dir: &PathBuf) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".md") && !name.starts_with('.')
        })
        .collect();
    out.sort();
    out
}

/// The fenced blocks whose text is a policy, a statement or a list of statements, as
/// (page, line of the opening fence): fences read line by line (this guide puts every fence at
/// the start of a line or under list indentation, never in a blockquote), text by serde_json.
fn policy_blocks(page: &str) -> Vec<usize> {
    let is_statement = |v: &serde_json::Value| {
        v.get("Effect").is_some() && (v.get("Action").is_some() || v.get("NotAction").is_some())
    };
    let mut out = Vec::new();
    let lines: Vec<&str> = page.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if !t.starts_with("```") {
            i += 1;
            continue;
        }
        let indent = lines[i].len() - t.len();
        let ticks = t.bytes().take_while(|&b| b == b'`').count();
        let mut j = i + 1;
        while j < lines.len() {
            let c = lines[j].trim();
            if c.len() >= ticks && c.bytes().all(|b| b == b'`') {
                break;
            }
            j += 1;
        }
        let body: String = lines[i + 1..j.min(lines.len())]
            .iter()
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or(l.trim_start())))
            .collect();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&body) {
            let policy = v.get("Statement").is_some() || is_statement(&v);
            let list = v
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(is_statement));
            if policy || list {
                out.push(i + 1);
            }
        }
        i = j + 1;
    }
    out
}

#[test]
fn every_policy_block_of_the_guide_is_examined() {
    let Some(dir) = common::iam_user_guide() else {
        return;
    };
    let catalog = Catalog::default();
    let validator = Validator::new(&catalog);
    let mut expected: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut examined: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut pages_with_policies = 0;
    for path in pages(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let blocks = policy_blocks(&text);
        pages_with_policies += usize::from(!blocks.is_empty());
        expected.extend(blocks.into_iter().map(|l| (name.clone(), l)));
        let file = SourceFile::new(name.clone(), text.as_str());
        for block in &scan(&text).pasted {
            if check_block(&file, block, &validator).policies > 0 {
                let line = text[..block.span.start].matches('\n').count() + 1;
                examined.insert((name.clone(), line));
            }
        }
    }
    assert_eq!(expected.len(), 304, "blocks that parse as IAM policies");
    assert_eq!(pages_with_policies, 143);
    let missed: Vec<_> = expected.difference(&examined).collect();
    assert!(missed.is_empty(), "blocks not examined: {missed:?}");
}

#[test]
fn check_reads_the_guide_without_configuration() {
    let Some(dir) = common::iam_user_guide() else {
        return;
    };
    let o = common::run(&dir, &["check", "--format", "json", "."], "");
    // Findings exit 1; a usage error (no catalog) would be 2.
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let figures: serde_json::Value = serde_json::from_str(&common::stderr(&o)).unwrap();
    let s = &figures["summary"];
    assert_eq!(s["pages"], 402, "{figures}");
    assert_eq!(s["pages_with_policies"], 143, "{figures}");
    // Every block that parses, and the blocks that start like a policy and do not.
    assert!(s["policies"].as_u64().unwrap() >= 304, "{figures}");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert!(
        findings.iter().all(|f| f["code"] != "invalid-encoding"),
        "the AppleDouble file was read as a page"
    );
}

/// Every error `check` reports on the guide, by page, line and code, each with what makes it an
/// error. Nothing else may be an error: no placeholder, no policy AWS accepts.
const EXPECTED_ERRORS: &[(&str, usize, &str, &str)] = &[
    (
        "access_policies_access-advisor.md",
        84,
        "json-syntax",
        "the policy's closing brace is missing",
    ),
    (
        "access_policies_understand-policy-summary.md",
        196,
        "invalid-action",
        "`ec2:GetConsoleScreenshots`, misspelled on purpose (the page explains how the summary shows it)",
    ),
    (
        "access_policies_understand-policy-summary.md",
        205,
        "invalid-service",
        "`codedploy:*`, misspelled on purpose",
    ),
    (
        "access_policies_understand-policy-summary.md",
        218,
        "invalid-action",
        "`s3:DeletObject`, misspelled on purpose",
    ),
    (
        "id_tags_users.md",
        40,
        "invalid-arn",
        "`arn:aws:iam::user/${aws:username}` lacks its account field",
    ),
    (
        "reference_policies_examples_datapipeline_not-owned.md",
        35,
        "missing-set-qualifier",
        "`datapipeline:PipelineCreator` is multivalued in AWS's data and compared with plain `StringNotEquals`",
    ),
    (
        "reference_policies_iam-condition-keys.md",
        207,
        "json-syntax",
        "a `Condition` written straight into the `Statement` array",
    ),
    (
        "reference_policies_iam-condition-keys.md",
        477,
        "invalid-principal",
        "an AWS principal with a leading space",
    ),
    (
        "reference_policies_variables.md",
        265,
        "json-syntax",
        "a condition operator outside any `Condition` element",
    ),
    (
        "troubleshoot_policies.md",
        236,
        "invalid-arn",
        "`arn:aws:cloudfront:*` has four fields",
    ),
    (
        "troubleshoot_policies.md",
        262,
        "invalid-arn",
        "`arn:aws:cloudfront:*` has four fields",
    ),
    (
        "troubleshoot_policies.md",
        411,
        "json-syntax",
        "two policies in one block, shown wrong on purpose",
    ),
    (
        "troubleshoot_policies.md",
        429,
        "invalid-arn",
        "`\" *\"`: a leading space in `Resource`",
    ),
    (
        "troubleshoot_policies.md",
        454,
        "duplicate-key",
        "two `Statement` keys, shown wrong on purpose",
    ),
    (
        "troubleshoot_policies.md",
        492,
        "duplicate-key",
        "two `Effect` keys, shown wrong on purpose",
    ),
    (
        "troubleshoot_policies.md",
        493,
        "invalid-action-format",
        "`\"ec2:* \"`: a trailing space",
    ),
    (
        "troubleshoot_policies.md",
        513,
        "invalid-action-format",
        "`\"ec2:* \"`: a trailing space",
    ),
    (
        "troubleshoot_policies.md",
        528,
        "duplicate-key",
        "two `Resource` keys, shown wrong on purpose",
    ),
    (
        "troubleshoot_policies.md",
        561,
        "unsupported-policy-variable",
        "a policy variable in a policy without `Version`, shown wrong on purpose",
    ),
];

#[test]
fn the_errors_are_the_guides_real_problems_and_nothing_else() {
    let Some(dir) = common::iam_user_guide() else {
        return;
    };
    let o = common::run(&dir, &["check", "--format", "json", "."], "");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&common::stdout(&o)).unwrap();
    let got: BTreeSet<(String, u64, String)> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let page = file.rsplit('/').next().unwrap().to_string();
            (
                page,
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64, String)> = EXPECTED_ERRORS
        .iter()
        .map(|(p, l, c, why)| {
            assert!(!why.is_empty());
            (p.to_string(), *l as u64, c.to_string())
        })
        .collect();
    let unexpected: Vec<_> = got.difference(&want).collect();
    let missed: Vec<_> = want.difference(&got).collect();
    assert!(
        unexpected.is_empty() && missed.is_empty(),
        "errors not expected: {unexpected:#?}\nerrors expected and not found: {missed:#?}"
    );
}

/// The worked example on the guide's page "Checking the docs you have" quotes the summary line
/// of this run; it must be what the binary prints.
#[test]
fn the_guides_worked_example_quotes_the_real_summary() {
    let Some(dir) = common::iam_user_guide() else {
        return;
    };
    let o = common::run(&dir, &["check", "."], "");
    let stderr = common::stderr(&o);
    let summary = stderr.lines().last().unwrap();
    let page = std::fs::read_to_string(common::root().join("guide/src/checking-docs.md")).unwrap();
    assert!(
        page.contains(summary),
        "guide/src/checking-docs.md does not quote the summary line `check` prints on the IAM \
         User Guide:\n{summary}"
    );
}
