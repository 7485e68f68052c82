//! `check` on docs a team already has: pasted policies in every fence spelling, pages without a
//! catalog, the summary line, hidden files, binary files. Through the binary, as a user runs it.

mod common;

use std::path::Path;

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// No control character but line breaks reached the terminal.
fn assert_only_text(printed: &str) {
    let control: Vec<char> = printed
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        control.is_empty(),
        "control characters printed: {control:?}"
    );
}

const BAD_POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObjekt\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";

#[test]
fn pages_without_a_catalog_have_their_pasted_policies_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/page.md",
        format!("# Reading objects\n\nAttach:\n\n```\n{BAD_POLICY}```\n"),
    );
    write(dir.path(), "docs/other.md", "# Nothing here\n");
    let o = common::run(dir.path(), &["check", "docs"], "");
    let stderr = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("docs/page.md:11:17: error[invalid-action]"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "mdbook-iam: 2 pages read without a catalog, 1 pasted policy examined on 1 page: \
             1 error, 0 warnings\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_directive_on_a_page_without_a_catalog_names_the_missing_catalog() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "page.md",
        "Intro.\n\n<<#iam-policy s3-readonly>>\n",
    );
    let o = common::run(dir.path(), &["check", "page.md"], "");
    let stderr = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("page.md:3:1: error[catalog-not-found]: `iam-policy` needs a catalog"),
        "{stderr}"
    );
    assert!(stderr.contains("no iam-catalog.toml in"), "{stderr}");
}

#[test]
fn a_clean_run_still_says_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = BAD_POLICY.replace("GetObjekt", "GetObject");
    write(dir.path(), "a.md", format!("```json\n{good}```\n"));
    write(
        dir.path(),
        "b.md",
        format!("```jsonc\n// a comment\n{good}```\n"),
    );
    let o = common::run(dir.path(), &["check"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert_eq!(
        common::stderr(&o),
        "mdbook-iam: 2 pages read without a catalog, 2 pasted policies examined on 2 pages: \
         0 errors, 0 warnings\n"
    );
}

#[test]
fn hidden_and_apple_double_files_are_not_pages() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "page.md", "# A page\n");
    // What macOS leaves beside a copied file: binary resource data under `._NAME`.
    write(
        dir.path(),
        "._page.md",
        b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\xb0\x1b\x07".as_slice(),
    );
    write(
        dir.path(),
        ".draft.md",
        "```\n{\"Version\": \"2012-10-17\"\n```\n",
    );
    let o = common::run(dir.path(), &["check", "."], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).starts_with("mdbook-iam: 1 page read without a catalog"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn a_binary_page_given_by_name_is_reported_without_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "._page.md",
        b"\x00\x05\x16\x07\x1b[31mred\x07 Mac OS X \xb0\x1b".as_slice(),
    );
    let o = common::run(dir.path(), &["check", "._page.md"], "");
    let stderr = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[invalid-encoding]"), "{stderr}");
    assert_only_text(&stderr);
}

#[test]
fn json_and_sarif_keep_stdout_and_give_the_figures_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "page.md", format!("```\n{BAD_POLICY}```\n"));
    for format in ["json", "sarif"] {
        let o = common::run(dir.path(), &["check", "--format", format, "."], "");
        assert_eq!(o.status.code(), Some(1));
        let out: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
        if format == "json" {
            assert_eq!(out.as_array().unwrap().len(), 1);
        } else {
            assert_eq!(out["version"], "2.1.0");
            assert_eq!(out["runs"][0]["properties"]["summary"]["policies"], 1);
        }
        let figures: serde_json::Value = serde_json::from_str(&common::stderr(&o)).unwrap();
        let s = &figures["summary"];
        assert_eq!(
            (
                &s["pages"],
                &s["policies"],
                &s["pages_with_policies"],
                &s["errors"]
            ),
            (
                &serde_json::json!(1),
                &serde_json::json!(1),
                &serde_json::json!(1),
                &serde_json::json!(1)
            ),
            "{figures}"
        );
        assert!(s["catalog"].is_null());
    }
}

#[test]
fn a_policy_in_a_list_item_is_found_at_its_page_line() {
    let dir = tempfile::tempdir().unwrap();
    let indented: String = BAD_POLICY.lines().map(|l| format!("   {l}\n")).collect();
    write(
        dir.path(),
        "steps.md",
        format!("1. Create the policy:\n\n   ```json title=\"read.json\"\n{indented}   ```\n"),
    );
    let o = common::run(dir.path(), &["check", "steps.md"], "");
    assert!(
        common::stderr(&o).contains("steps.md:9:20: error[invalid-action]"),
        "{}",
        common::stderr(&o)
    );
}

/// A page written the way docs teams write IAM pages (`tests/fixtures/pasted/day-one.md`),
/// labelled: every finding `check` must report on it, and nothing else.
#[test]
fn a_labelled_day_one_page_gets_exactly_its_findings() {
    let o = common::run(
        &common::root(),
        &["check", "tests/fixtures/pasted/day-one.md"],
        "",
    );
    let stderr = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let got: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("tests/fixtures/pasted/day-one.md:"))
        .map(|l| {
            let l = l.trim_start_matches("tests/fixtures/pasted/day-one.md:");
            &l[..l.find("]:").map_or(l.len(), |n| n + 1)]
        })
        .collect();
    assert_eq!(
        got,
        [
            // The KMS key ID, `amzn-s3-demo-bucket` and `111122223333` are valid as they are;
            // `REGION` and `account-id` are placeholders, named.
            "28:25: info[documentation-placeholder]",
            "28:25: info[documentation-placeholder]",
            // A trailing space in an action.
            "110:51: error[invalid-action-format]",
            // An ARN without its account field, in a blockquote inside a list item.
            "119:80: error[invalid-arn]",
            // A missing closing brace: the JSON ends where it breaks.
            "129:1: error[json-syntax]",
            // The template's misspelled action; its intrinsics and the bucket policy's Sid
            // are accepted.
            "153:21: error[invalid-action]",
        ],
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "mdbook-iam: 1 page read without a catalog, 9 pasted policies examined on 1 page \
             (1 fragment left alone): 4 errors, 0 warnings, 2 notes\n"
        ),
        "{stderr}"
    );
}

/// The words a fence takes (`iam=KIND`, level words, `title=`) are valid MDX: the page compiles
/// with the MDX compiler Docusaurus uses, and `check` reads them.
#[test]
fn fence_words_are_valid_mdx_and_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let page = "# Keys\n\n```json title=\"key.json\" iam=key-policy iam-allow=redundant-action\n\
                {\"Sid\": \"Allow access for Key Administrators\", \"Effect\": \"Allow\", \
                \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/Admin\"}, \
                \"Action\": [\"kms:*\", \"kms:Describe*\"], \"Resource\": \"*\"}\n```\n\n\
                > ```jsonc iam=identity\n\
                > {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \
                \"Resource\": \"*\"}\n> ```\n";
    write(dir.path(), "keys.mdx", page);
    common::assert_node_check("mdx-compile.mjs", &[&dir.path().join("keys.mdx")]);
    let o = common::run(dir.path(), &["check", "keys.mdx"], "");
    let stderr = common::stderr(&o);
    // The key policy statement is a resource statement with KMS's Sid and its redundant action
    // allowed; the statement said to be an identity statement must not name a Principal.
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let codes: Vec<&str> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once(": error[")
                .map(|(_, r)| &r[..r.find(']').unwrap()])
        })
        .collect();
    assert_eq!(codes, ["unsupported-principal"], "{stderr}");
    assert!(!stderr.contains("redundant-action"), "{stderr}");
}

/// Escape sequences written in a policy's JSON (`\u001b`) reach the message as control
/// characters; the terminal gets U+FFFD instead.
#[test]
fn messages_print_only_text() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "page.md",
        "```json\n{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \
         \"Action\": \"s3:Get\\u001b[31mRED\\u0007\", \"Resource\": \"*\"}}\n```\n",
    );
    let o = common::run(dir.path(), &["check", "page.md"], "");
    let stderr = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("s3:Get\u{fffd}[31mRED\u{fffd}"), "{stderr}");
    assert_only_text(&stderr);
}
