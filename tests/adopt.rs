//! `mdbook-iam adopt` through the binary: a tree of `.md` and `.mdx` pages adopted with `--write`
//! expands back to its bytes, `check` reports no more errors than before, nothing is written
//! without `--write` or on an error, a real `mdbook build` gives the same HTML before and after,
//! and AWS's IAM User Guide (`../shared/corpus/iam-user-guide/`, skipped with one line where
//! absent) goes through whole.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadObjects",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
    }
  ]
}"#;

const TWO: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadObjects",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"
    }
  ]
}"#;

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else if l.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The pages of the tree: (name, text).
fn pages() -> Vec<(&'static str, String)> {
    let fence = |b: &str| format!("```json\n{b}\n```");
    vec![
        (
            "read.md",
            format!(
                "# Reading objects\n\nPaste this:\n\n{}\n\n- In a list:\n\n  **`read-list.json`**\n\n  {}\n\n> Quoted:\n>\n> {}\n",
                fence(POLICY),
                indent(&fence(TWO), "  "),
                indent(&fence(POLICY), "> ")
            ),
        ),
        (
            "tabs.mdx",
            format!(
                "import Tabs from '@theme/Tabs';\n\n## Listing\n\n<Tabs>\n<TabItem value=\"a\">\n\n```json title=\"list.json\"\n{TWO}\n```\n\n</TabItem>\n</Tabs>\n"
            ),
        ),
        (
            "windows.md",
            format!("# Windows\r\n\r\n{}", fence(POLICY).replace('\n', "\r\n")),
        ),
        (
            "left.md",
            "# Left as it is\n\n```\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\"}]}\n```\n\n```json\n{ \"Effect\": \"Deny\", ... }\n```\n".to_string(),
        ),
    ]
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in pages() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, args, "")
}

/// The error count of `check`'s summary line.
fn errors(o: &Output) -> usize {
    let text = common::stderr(o);
    let line = text.lines().last().unwrap_or_default().to_string();
    let n = line
        .split(": ")
        .last()
        .and_then(|s| s.split(" error").next())
        .and_then(|n| n.trim().parse().ok());
    n.unwrap_or_else(|| panic!("no summary line in:\n{text}"))
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn adopt_write_gives_every_page_back_through_expand() {
    let dir = tree();
    let before = errors(&run(dir.path(), &["check", "."]));
    let o = run(dir.path(), &["adopt", "--write", "."]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let report = common::stderr(&o);
    assert!(
        report.contains("5 blocks on 3 pages adopted into 2 new policies and 1 reusable statement"),
        "{report}"
    );
    assert!(report.contains("left.md:3: left on the page: it is not in the canonical layout"));
    assert!(report.contains("left.md:7: left on the page: it is a fragment"));
    let catalog = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    assert!(
        catalog.starts_with(&format!("{}schema-version = \"1.0\"\n", schema_line())),
        "{catalog}"
    );
    for (name, text) in pages() {
        let o = run(dir.path(), &["expand", name]);
        assert!(o.status.success(), "{name}: {}", common::stderr(&o));
        assert_eq!(common::stdout(&o), text, "{name} does not expand back");
        if name != "left.md" {
            let now = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(now.contains("iam-policy"), "{name} was not adopted:\n{now}");
        }
    }
    let after = errors(&run(dir.path(), &["check", "."]));
    assert!(
        after <= before,
        "check: {before} errors before, {after} after"
    );
    // The adopted MDX page is still MDX.
    common::assert_node_check("mdx-compile.mjs", &[&dir.path().join("tabs.mdx")]);
}

#[test]
fn without_write_it_prints_a_diff_and_changes_nothing() {
    let dir = tree();
    let was = snapshot(dir.path());
    let o = run(dir.path(), &["adopt", "."]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let diff = common::stdout(&o);
    assert!(diff.contains("--- a/read.md\n+++ b/read.md\n"), "{diff}");
    // The same policy titled otherwise on another page: one entry, this block's title kept.
    assert!(
        diff.contains("+{/* iam-policy read-list file=\"list.json\" */}"),
        "{diff}"
    );
    assert!(
        diff.contains("+> <<#iam-policy reading-objects file=\"\">>"),
        "{diff}"
    );
    assert!(
        diff.contains("--- /dev/null\n+++ b/iam-catalog.toml\n"),
        "{diff}"
    );
    assert_eq!(snapshot(dir.path()), was);
}

#[test]
fn pages_that_differ_only_in_an_account_id_share_one_entry() {
    let policy = |account: &str| {
        format!(
            "```json\n{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \
             \"Effect\": \"Allow\",\n      \"Action\": \"iam:PassRole\",\n      \"Resource\": \
             \"arn:aws:iam::{account}:role/app\"\n    }}\n  ]\n}}\n```"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let pages = [
        (
            "one.md",
            format!("# Passing the role\n\n{}\n", policy("111122223333")),
        ),
        (
            "two.mdx",
            format!("## Passing the role\n\n{}\n", policy("444455556666")),
        ),
    ];
    for (name, text) in &pages {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let o = run(dir.path(), &["adopt", "--write", "."]);
    let report = common::stderr(&o);
    assert!(o.status.success(), "{report}");
    assert!(
        report.contains("2 blocks on 2 pages adopted into 1 new policy"),
        "{report}"
    );
    let catalog = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    assert!(
        catalog.contains(
            "[placeholders.\"<ACCOUNT_ID>\"]\nexample = \"111122223333\"\nparam = \"account\"\n"
        ),
        "{catalog}"
    );
    assert!(
        catalog.contains("Resource = \"arn:aws:iam::<ACCOUNT_ID>:role/app\""),
        "{catalog}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("one.md")).unwrap(),
        "# Passing the role\n\n<<#iam-policy passing-the-role account=111122223333 file=\"\">>\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("two.mdx")).unwrap(),
        "## Passing the role\n\n{/* iam-policy passing-the-role account=444455556666 file=\"\" */}\n"
    );
    for (name, text) in &pages {
        let o = run(dir.path(), &["expand", name]);
        assert!(o.status.success(), "{name}: {}", common::stderr(&o));
        assert_eq!(&common::stdout(&o), text, "{name} does not expand back");
    }
    let o = run(dir.path(), &["check", "."]);
    assert_eq!(errors(&o), 0, "{}", common::stderr(&o));
}

#[test]
fn nothing_is_written_on_an_error() {
    let dir = tree();
    std::fs::write(
        dir.path().join("iam-catalog.toml"),
        "schema-version = \"1.0\"\n[policies.x\n",
    )
    .unwrap();
    let was = snapshot(dir.path());
    let o = run(dir.path(), &["adopt", "--write", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert_eq!(snapshot(dir.path()), was);
    let o = run(dir.path(), &["adopt", "--write", "missing"]);
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert_eq!(snapshot(dir.path()), was);
}

#[test]
fn an_existing_catalog_keeps_its_text_and_comments() {
    let dir = tree();
    let catalog = "# Our catalog: comments stay.\nschema-version = \"1.0\"   # the schema\n\n[placeholders.\"<BUCKET>\"]\nexample = \"amzn-s3-demo-bucket\"\n";
    std::fs::write(dir.path().join("iam-catalog.toml"), catalog).unwrap();
    let o = run(dir.path(), &["adopt", "--write", "."]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let now = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    assert!(now.starts_with(catalog), "{now}");
    assert!(now.len() > catalog.len());
}

/// The tutorial that started the project (`../shared/seed/`), as it was written before AWS's
/// 2026-03-24 change: its two policies grant the retired `aws-mcp:*` actions, so `adopt` leaves
/// them with the reason, and `--include-invalid` moves them into this catalog.
const SEED_BEFORE: &str = r#"---
title: Federating an MCP proxy to AWS with STS
---

## Create the default role

The default role lets every authenticated user call the MCP server's read-only tools:

```json title="default-permissions.json"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool"],
      "Resource": "*"
    }
  ]
}
```

## Create an S3 read-only role

```json title="s3-readonly-permissions.json"
{
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
```
"#;

#[test]
fn the_seed_tutorial_before_the_change_is_adopted_only_with_include_invalid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aws-sts-integration.mdx"), SEED_BEFORE).unwrap();
    let o = run(dir.path(), &["adopt", "--write", "."]);
    let report = common::stderr(&o);
    assert!(o.status.success(), "{report}");
    assert!(
        report.contains(
            "aws-sts-integration.mdx:9: left on the page: it has error-level findings \
             (deprecated-action); --include-invalid moves it"
        ),
        "{report}"
    );
    assert!(!dir.path().join("iam-catalog.toml").exists());
    let o = run(dir.path(), &["adopt", "--write", "--include-invalid", "."]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let page = std::fs::read_to_string(dir.path().join("aws-sts-integration.mdx")).unwrap();
    assert!(
        page.contains("\n{/* iam-policy default-permissions */}\n"),
        "{page}"
    );
    assert!(
        page.contains("\n{/* iam-policy s3-readonly-permissions */}\n"),
        "{page}"
    );
    let catalog = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    assert_eq!(
        catalog,
        schema_line()
            + r#"schema-version = "1.0"

[policies.default-permissions]
file = "default-permissions.json"

[[policies.default-permissions.statements]]
Effect = "Allow"
Action = ["aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool"]
Resource = "*"

[policies.s3-readonly-permissions]
file = "s3-readonly-permissions.json"

[[policies.s3-readonly-permissions.statements]]
Effect = "Allow"
Action = ["aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool", "aws-mcp:CallReadWriteTool"]
Resource = "*"

[[policies.s3-readonly-permissions.statements]]
Effect = "Allow"
Action = ["s3:GetObject", "s3:ListBucket"]
Resource = "*"
"#
    );
    // `check` now reports the retired actions at the catalog's lines.
    let o = run(dir.path(), &["check", "."]);
    let text = common::stderr(&o);
    assert!(
        text.contains("iam-catalog.toml:9:11: error[deprecated-action]"),
        "{text}"
    );
}

/// The first line of a catalog `adopt` creates: where editors find its JSON Schema, at this
/// version's tag.
fn schema_line() -> String {
    format!(
        "#:schema https://raw.githubusercontent.com/mdbook-iam/mdbook-iam/v{}/schema/iam-catalog.schema.json\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn build(book: &Path) -> Output {
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

/// A book of the `.md` pages, built by mdBook with the preprocessor.
fn book(dir: &Path) {
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Adopted\"\nsrc = \"src\"\n\n[preprocessor.iam]\nafter = [\"links\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("iam-catalog.toml"), "schema-version = \"1.0\"\n").unwrap();
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (name, text) in pages() {
        if name.ends_with(".md") {
            std::fs::write(src.join(name), text).unwrap();
            summary.push_str(&format!("- [{name}]({name})\n"));
        }
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
}

#[test]
fn mdbook_builds_the_same_html_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, adopted) = (dir.path().join("plain"), dir.path().join("adopted"));
    for b in [&plain, &adopted] {
        std::fs::create_dir_all(b).unwrap();
        book(b);
    }
    let o = run(&adopted, &["adopt", "--write", "src"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        std::fs::read_to_string(adopted.join("src/read.md"))
            .unwrap()
            .contains("<<#iam-policy")
    );
    for b in [&plain, &adopted] {
        let o = build(b);
        assert!(
            o.status.success(),
            "mdbook build failed:\n{}",
            common::stderr(&o)
        );
    }
    for (name, _) in pages().iter().filter(|(n, _)| n.ends_with(".md")) {
        let html = name.replace(".md", ".html");
        let a = std::fs::read_to_string(plain.join("book").join(&html)).unwrap();
        let b = std::fs::read_to_string(adopted.join("book").join(&html)).unwrap();
        assert!(
            a == b,
            "{html} differs between the plain and the adopted book"
        );
    }
}

fn copy_pages(from: &Path, to: &Path) -> Vec<String> {
    std::fs::create_dir_all(to).unwrap();
    let mut names = Vec::new();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") && !name.starts_with('.') {
            std::fs::copy(&p, to.join(&name)).unwrap();
            names.push(name);
        }
    }
    names.sort();
    names
}

/// Each page expanded, or `None` where `expand` fails (a page with an error left on it).
fn expand_all(dir: &Path, names: &[String]) -> Vec<Option<Vec<u8>>> {
    names
        .iter()
        .map(|n| {
            let o = run(dir, &["expand", n]);
            o.status.success().then_some(o.stdout)
        })
        .collect()
}

/// Builds a book of `pages` (taken from `from`, with its catalog) in `dir` with the pinned mdBook
/// and this binary as preprocessor, and returns each page's HTML, in order.
fn corpus_book(dir: &Path, from: &Path, pages: &[&String]) -> Vec<String> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"IAM\"\nsrc = \"src\"\n\n[preprocessor.iam]\nafter = [\"links\"]\n",
    )
    .unwrap();
    std::fs::copy(from.join("iam-catalog.toml"), dir.join("iam-catalog.toml")).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for name in pages {
        std::fs::copy(from.join(name), src.join(name)).unwrap();
        summary.push_str(&format!("- [{name}]({name})\n"));
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
    let o = build(dir);
    assert!(o.status.success(), "mdbook build: {}", common::stderr(&o));
    pages
        .iter()
        .map(|n| {
            let html = dir.join("book").join(n.replace(".md", ".html"));
            std::fs::read_to_string(&html).unwrap_or_else(|e| panic!("{}: {e}", html.display()))
        })
        .collect()
}

/// The summary figure before `word` in adopt's last line (`291 blocks`, `17 reformatted`).
fn figure(report: &str, word: &str) -> usize {
    let line = report.lines().last().unwrap_or_default();
    let at = line
        .find(word)
        .unwrap_or_else(|| panic!("no `{word}` in {line}"));
    let before = line[..at].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap()
}

#[test]
fn the_iam_user_guide_is_adopted_and_expands_back() {
    let Some(source) = common::iam_user_guide() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let names = copy_pages(&source, &first);
    let before = errors(&run(&first, &["check", "."]));
    let o = run(&first, &["adopt", "--write", "--reformat", "."]);
    let report = common::stderr(&o);
    assert!(o.status.success(), "{report}");
    let after = errors(&run(&first, &["check", "."]));
    assert!(
        after <= before,
        "check: {before} errors before, {after} after"
    );

    // Pages whose blocks were canonical (here: the pages with no block adopted) come back as
    // they were; the others come back in the canonical layout.
    let expanded = expand_all(&first, &names);
    let mut reproduced = 0;
    for (name, e) in names.iter().zip(&expanded) {
        if e.as_deref() == Some(&std::fs::read(source.join(name)).unwrap()[..]) {
            reproduced += 1;
        }
    }

    // A second adoption of the canonical pages: no block needs a reformat, and every page
    // comes back byte for byte.
    let second = dir.path().join("second");
    copy_pages(&source, &second);
    for (name, e) in names.iter().zip(&expanded) {
        if let Some(text) = e {
            std::fs::write(second.join(name), text).unwrap();
        }
    }
    // `expand` needs a catalog; adopt extends this one.
    std::fs::write(
        second.join("iam-catalog.toml"),
        "schema-version = \"1.0\"\n",
    )
    .unwrap();
    let canonical = expand_all(&second, &names);
    // A real mdBook build of the pages that expand (the others keep an error of the original,
    // which fails a build): as pasted in the canonical layout now, and adopted below.
    let buildable: Vec<&String> = names
        .iter()
        .zip(&canonical)
        .filter(|(_, c)| c.is_some())
        .map(|(n, _)| n)
        .collect();
    let before_html = corpus_book(&dir.path().join("book-before"), &second, &buildable);
    let o = run(&second, &["adopt", "--write", "."]);
    let report2 = common::stderr(&o);
    assert!(o.status.success(), "{report2}");
    // Blocks left for their layout only on pages `expand` could not give (an error left on them
    // in the original), which kept their original text.
    for line in report2
        .lines()
        .filter(|l| l.contains("not in the canonical layout"))
    {
        let name = line
            .trim_start_matches("mdbook-iam: ")
            .split(':')
            .next()
            .unwrap();
        let i = names.iter().position(|n| n == name).unwrap();
        assert!(expanded[i].is_none(), "{line}");
    }
    let after_html = corpus_book(&dir.path().join("book-after"), &second, &buildable);
    assert_eq!(before_html.len(), buildable.len());
    let differ: Vec<&String> = buildable
        .iter()
        .zip(before_html.iter().zip(&after_html))
        .filter(|(_, (a, b))| a != b)
        .map(|(n, _)| *n)
        .collect();
    assert!(
        differ.is_empty(),
        "mdBook builds different HTML after adopt for {} pages: {differ:?}",
        differ.len()
    );
    let again = expand_all(&second, &names);
    let mut same = 0;
    for ((name, a), b) in names.iter().zip(&canonical).zip(&again) {
        assert_eq!(
            a.is_some(),
            b.is_some(),
            "{name}: expand succeeds before xor after"
        );
        assert!(a == b, "{name} does not expand back to its canonical text");
        same += usize::from(a.is_some());
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "IAM User Guide: {} pages; {} blocks adopted ({} reformatted) into {} policies and {} \
         reusable statements; check errors {before} -> {after}; {reproduced} pages expand to \
         their original bytes; after one reformat, {} blocks adopted as they stand and {same} \
         pages expand back byte for byte",
        names.len(),
        figure(&report, "blocks on"),
        figure(&report, "reformatted"),
        figure(&report, "new polic"),
        figure(&report, "reusable statement"),
        figure(&report2, "blocks on"),
    );
}

/// In a Docusaurus site, `.md` pages are MDX too: adopt writes the MDX spelling there, keeps
/// Docusaurus's `title="..."` form, and `expand` (which takes the site's flavor) gives the page
/// back.
#[test]
fn md_pages_of_a_docusaurus_site_are_adopted_in_its_flavor() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docusaurus.config.js"),
        "module.exports = {};\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    let page = format!("# Reading\n\n```json title=\"read.json\"\n{POLICY}\n```\n");
    std::fs::write(dir.path().join("docs/read.md"), &page).unwrap();
    let o = run(dir.path(), &["adopt", "--write", "docs"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let now = std::fs::read_to_string(dir.path().join("docs/read.md")).unwrap();
    assert!(now.contains("{/* iam-policy read"), "{now}");
    let o = run(dir.path(), &["expand", "docs/read.md"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(common::stdout(&o), page);
    common::assert_node_check("mdx-compile.mjs", &[&dir.path().join("docs/read.md")]);
}

/// Every page adopted must find the catalog adopt extends, as `expand` and `check` look for it:
/// folders given side by side share a new catalog above them, and a page under a catalog of its
/// own keeps its blocks, listed with the reason.
#[test]
fn every_adopted_page_finds_the_catalog_it_was_adopted_into() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!("# Reading\n\n```json\n{POLICY}\n```\n");
    for p in ["docs/intro.md", "blog/post.md", "sub/own.md"] {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &page).unwrap();
    }
    std::fs::write(
        dir.path().join("sub/iam-catalog.toml"),
        "schema-version = \"1.0\"\n",
    )
    .unwrap();
    let o = run(dir.path(), &["adopt", "--write", "docs", "blog"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(dir.path().join("iam-catalog.toml").is_file());
    for p in ["docs/intro.md", "blog/post.md"] {
        let now = std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert!(now.contains("<<#iam-policy"), "{p}: {now}");
        let o = run(dir.path(), &["expand", p]);
        assert!(o.status.success(), "{p}: {}", common::stderr(&o));
        assert_eq!(common::stdout(&o), page, "{p}");
    }
    // The whole tree: `sub/own.md` reads `sub/iam-catalog.toml`, so it stays as it is.
    let o = run(dir.path(), &["adopt", "--write", "."]);
    let report = common::stderr(&o);
    assert!(o.status.success(), "{report}");
    assert!(
        report.contains("sub/own.md:3: left on the page: it reads another catalog"),
        "{report}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sub/own.md")).unwrap(),
        page
    );
}

/// A value the catalog's TOML would write otherwise (`-0`) keeps its block on the page; the
/// rest of the tree is adopted.
#[test]
fn a_value_toml_cannot_keep_leaves_only_its_block() {
    let dir = tempfile::tempdir().unwrap();
    let odd = POLICY.replace(
        "\"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\"",
        "\"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\",\n      \"Condition\": { \"NumericLessThan\": { \"aws:MultiFactorAuthAge\": -0 } }",
    );
    std::fs::write(dir.path().join("odd.md"), format!("```json\n{odd}\n```\n")).unwrap();
    std::fs::write(
        dir.path().join("fine.md"),
        format!("```json\n{POLICY}\n```\n"),
    )
    .unwrap();
    let o = run(dir.path(), &["adopt", "--write", "."]);
    let report = common::stderr(&o);
    assert!(o.status.success(), "{report}");
    assert!(
        std::fs::read_to_string(dir.path().join("fine.md"))
            .unwrap()
            .contains("<<#iam-policy"),
        "{report}"
    );
    assert!(
        !std::fs::read_to_string(dir.path().join("odd.md"))
            .unwrap()
            .contains("<<#"),
        "{report}"
    );
}
