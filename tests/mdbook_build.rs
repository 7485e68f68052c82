//! A real `mdbook build` of `book-example/` through the preprocessor protocol (mdBook 0.5 runs
//! the binary as a subprocess), and a real failing build.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "book" {
            continue;
        }
        let target = to.join(&name);
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn build(book: &Path) -> std::process::Output {
    let bin_dir = common::bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    Command::new(common::mdbook())
        .arg("build")
        .current_dir(book)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mdbook")
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of every `<code class="language-json">` block in an HTML page.
fn json_blocks(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<code class=\"language-json") {
        let after = &rest[i..];
        let start = after.find('>').unwrap() + 1;
        let end = after.find("</code>").unwrap();
        out.push(html_unescape(&after[start..end]));
        rest = &after[end..];
    }
    out
}

fn actions(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "Action" || k == "NotAction" {
                    match x {
                        serde_json::Value::String(s) => out.push(s.clone()),
                        serde_json::Value::Array(a) => {
                            out.extend(a.iter().filter_map(|s| s.as_str().map(String::from)))
                        }
                        _ => {}
                    }
                } else {
                    actions(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| actions(x, out)),
        _ => {}
    }
}

#[test]
fn example_book_builds_with_valid_prettier_clean_policies() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    let o = build(&book);
    assert!(
        o.status.success(),
        "mdbook build failed:\n{}",
        common::stderr(&o)
    );

    let mut blocks = Vec::new();
    let mut all_html = String::new();
    for e in std::fs::read_dir(book.join("book")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "html") && p.file_name().unwrap() != "print.html" {
            let html = std::fs::read_to_string(&p).unwrap();
            blocks.extend(json_blocks(&html));
            all_html.push_str(&html);
        }
    }
    assert!(
        blocks.len() >= 4,
        "expected the tutorial's policies, found {} JSON blocks",
        blocks.len()
    );
    let json_dir = dir.path().join("json");
    std::fs::create_dir_all(&json_dir).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut granted = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let v: serde_json::Value =
            serde_json::from_str(b).unwrap_or_else(|e| panic!("block {i} is not JSON ({e}):\n{b}"));
        actions(&v, &mut granted);
        let f = json_dir.join(format!("block{i}.json"));
        std::fs::write(&f, b).unwrap();
        files.push(f);
    }
    assert!(
        granted.iter().all(|a| !a.starts_with("aws-mcp:")),
        "a policy grants a retired action: {granted:?}"
    );
    assert!(granted.iter().any(|a| a == "s3:GetObject"));
    for needle in [
        "aws:CalledViaAWSMCP",
        "aws:ViaAWSMCPService",
        "DenyDirectAPIAccess",
        "BoolIfExists",
    ] {
        assert!(all_html.contains(needle), "the book lacks {needle}");
    }
    let tutorial = std::fs::read_to_string(book.join("book/tutorial.html")).unwrap();
    assert!(
        !tutorial.contains("&lt;&lt;#"),
        "an unexpanded directive is left in the tutorial"
    );
    assert!(
        tutorial.contains("<details>"),
        "the troubleshooting callout is there"
    );
    // The access summaries: the default role's is the one call STS answers for anyone.
    for needle in [
        "What <code>mcp-default</code> allows",
        "What <code>mcp-s3-readonly</code> allows",
        "<code>get-caller-identity</code>",
    ] {
        assert!(tutorial.contains(needle), "the tutorial lacks {needle}");
    }
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    common::assert_node_check("prettier-check.mjs", &refs);
}

#[test]
fn unknown_policy_fails_the_build_with_chapter_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    std::fs::write(
        book.join("src/zz-bad.md"),
        "# Bad\n\nThis page names a policy that does not exist.\n<<#iam-policy no-such-policy>>\n",
    )
    .unwrap();
    let mut summary = std::fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    summary.push_str("\n- [Bad](zz-bad.md)\n");
    std::fs::write(book.join("src/SUMMARY.md"), summary).unwrap();
    let o = build(&book);
    assert!(!o.status.success(), "the build must fail");
    let err = common::stderr(&o);
    assert!(
        err.contains("src/zz-bad.md:4:15: error[unknown-policy]"),
        "{err}"
    );
}

#[test]
fn pasted_seed_policy_fails_the_build_at_the_retired_action() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    let page = "# Old S3 policy\n\n```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"aws-mcp:InvokeMcp\",\n        \"aws-mcp:CallReadOnlyTool\",\n        \"aws-mcp:CallReadWriteTool\"\n      ],\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n```\n";
    std::fs::write(book.join("src/zz-old.md"), page).unwrap();
    let mut summary = std::fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    summary.push_str("\n- [Old](zz-old.md)\n");
    std::fs::write(book.join("src/SUMMARY.md"), summary).unwrap();
    let o = build(&book);
    assert!(!o.status.success());
    let err = common::stderr(&o);
    assert!(
        err.contains("src/zz-old.md:10:9: error[deprecated-action]"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn findings_in_included_files_name_the_included_file() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    std::fs::write(
        book.join("src/zz-inc.md"),
        "# Including\n\nFirst paragraph.\n\n{{#include zz-part.md}}\n\nLast.\n",
    )
    .unwrap();
    std::fs::write(
        book.join("src/zz-part.md"),
        "Part one.\n\n<<#iam-policy no-such-policy>>\n",
    )
    .unwrap();
    let mut summary = std::fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    summary.push_str("\n- [Including](zz-inc.md)\n");
    std::fs::write(book.join("src/SUMMARY.md"), summary).unwrap();
    let o = build(&book);
    assert!(!o.status.success());
    let err = common::stderr(&o);
    assert!(
        err.contains("src/zz-part.md:3:15: error[unknown-policy]"),
        "{err}"
    );
}

/// The guardrail's table in the built tutorial, as mdBook renders it: one row per case.
fn guardrail_rows(html: &str) -> Vec<Vec<String>> {
    let at = html
        .find("<th><code>aws:ViaAWSMCPService</code></th>")
        .expect("the tutorial has the generated guardrail table");
    let table = &html[at..at + html[at..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|c| {
                    let c = &c[..c.find("</td>").unwrap_or(c.len())];
                    c.replace("<code>", "").replace("</code>", "")
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_tutorials_guardrail_table_is_computed_and_says_the_deny_applies_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    let o = build(&book);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let tutorial = std::fs::read_to_string(book.join("book/tutorial.html")).unwrap();
    let rows = guardrail_rows(&tutorial);
    assert_eq!(
        rows,
        [
            ["absent", "yes", "yes"],
            ["true", "no", "no"],
            ["false", "yes", "yes"]
        ],
        "the first row: no key, the condition matches, the deny applies"
    );
}

#[test]
fn a_page_stating_the_old_tables_first_row_fails_the_build_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book-example");
    copy_dir(&common::root().join("book-example"), &book);
    std::fs::write(
        book.join("src/zz-claim.md"),
        "# Claim\n\nWithout the key,\n<<#iam-claim DenyDirectAPIAccess does not apply when aws:ViaAWSMCPService is absent>>.\n",
    )
    .unwrap();
    let mut summary = std::fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    summary.push_str("\n- [Claim](zz-claim.md)\n");
    std::fs::write(book.join("src/SUMMARY.md"), summary).unwrap();
    let o = build(&book);
    assert!(!o.status.success(), "the build must fail");
    let err = common::stderr(&o);
    assert!(
        err.contains("src/zz-claim.md:4:1: error[false-claim]"),
        "{err}"
    );
    assert!(err.contains("finds it applies"), "the reason: {err}");
    assert!(
        err.contains("iam-catalog.toml:"),
        "the statement's catalog line: {err}"
    );
}
