//! One test per rule of `adopt`: the round trip (containers, CRLF, a missing final newline, both
//! flavors, titles), deduplication, reusable statements, names, what is listed and why, and an
//! existing catalog extended without being rewritten.

use super::*;
use crate::run::{ExpandRequest, PageSource};

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

const OTHER: &str = r#"{
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

fn fence(body: &str) -> String {
    format!("```json\n{body}\n```")
}

/// Every line of `text` after the first with `prefix` before it (blank lines trimmed).
fn prefixed(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    push_lines(&mut out, text, Some(prefix), "\n");
    out
}

struct Run {
    dir: tempfile::TempDir,
    adoption: Adoption,
}

fn plan(pages: &[(&str, &str)], catalog: Option<&str>, reformat: bool, invalid: bool) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in pages {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    if let Some(c) = catalog {
        std::fs::write(dir.path().join("iam-catalog.toml"), c).unwrap();
    }
    let paths = [dir.path().to_path_buf()];
    let adoption = adopt(
        &Request {
            paths: &paths,
            catalog: None,
            reformat,
            include_invalid: invalid,
        },
        AwsData::embedded(),
    )
    .unwrap();
    Run { dir, adoption }
}

impl Run {
    fn after(&self, name: &str) -> String {
        self.adoption
            .pages
            .iter()
            .find(|p| p.path.ends_with(name))
            .map(|p| p.after.clone())
            .unwrap_or_else(|| std::fs::read_to_string(self.dir.path().join(name)).unwrap())
    }

    /// Writes the adoption, then expands a page as `expand` does.
    fn expand(&self, name: &str) -> String {
        write(&self.adoption).unwrap();
        let e = crate::run::expand(
            ExpandRequest {
                page: PageSource::File(self.dir.path().join(name)),
                catalog: None,
                flavor: None,
                dependencies: false,
            },
            AwsData::embedded(),
        )
        .unwrap();
        e.text.unwrap_or_else(|| panic!("{:#?}", e.findings))
    }

    fn catalog(&self) -> &str {
        &self.adoption.catalog_after
    }
}

#[test]
fn a_canonical_block_becomes_a_directive_and_expands_back() {
    let page = format!(
        "# Guide\n\n## Read objects\n\nText.\n\n{}\n\nMore.\n",
        fence(POLICY)
    );
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!(r.adoption.blocks, 1);
    assert_eq!(
        r.after("a.md"),
        "# Guide\n\n## Read objects\n\nText.\n\n<<#iam-policy read-objects file=\"\">>\n\nMore.\n"
    );
    assert!(
        r.catalog().contains("[policies.read-objects]"),
        "{}",
        r.catalog()
    );
    assert_eq!(r.expand("a.md"), page);
}

#[test]
fn identical_policies_on_several_pages_become_one_entry() {
    let page = format!("# One\n\n{}\n", fence(POLICY));
    let other = format!("# Two\n\n{}\n", fence(POLICY));
    let r = plan(&[("a.md", &page), ("b.md", &other)], None, false, false);
    assert_eq!((r.adoption.blocks, r.adoption.policies), (2, 1));
    assert!(r.after("b.md").contains("<<#iam-policy one file=\"\">>"));
    assert_eq!(r.expand("a.md"), page);
    assert_eq!(r.expand("b.md"), other);
}

#[test]
fn a_statement_in_several_policies_becomes_reusable() {
    let page = format!("# One\n\n{}\n\n# Two\n\n{}\n", fence(POLICY), fence(OTHER));
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!((r.adoption.policies, r.adoption.statements), (2, 1));
    let c = r.catalog();
    assert!(c.contains("[statements.read-objects]"), "{c}");
    assert_eq!(c.matches("use = \"read-objects\"").count(), 2, "{c}");
    assert_eq!(r.expand("a.md"), page);
}

#[test]
fn titles_go_to_the_catalog_in_both_flavors() {
    let md = format!("Intro\n\n**`read.json`**\n\n{}\n", fence(POLICY));
    let mdx = format!(
        "Intro\n\n```json title=\"list.json\"\n{OTHER}\n```\n\nAnd again, untitled:\n\n{}\n",
        fence(OTHER)
    );
    let r = plan(&[("a.md", &md), ("b.mdx", &mdx)], None, false, false);
    assert_eq!(r.after("a.md"), "Intro\n\n<<#iam-policy read>>\n");
    assert_eq!(
        r.after("b.mdx"),
        "Intro\n\n{/* iam-policy list */}\n\nAnd again, untitled:\n\n{/* iam-policy list file=\"\" */}\n"
    );
    assert!(r.catalog().contains("file = \"read.json\""));
    assert_eq!(r.expand("a.md"), md);
    assert_eq!(r.expand("b.mdx"), mdx);
}

#[test]
fn list_items_and_blockquotes_keep_their_prefixes() {
    let page = format!(
        "# Nested\n\n1. Step:\n\n   {}\n\n> {}\n>\n> - {}\n",
        prefixed(&fence(POLICY), "   "),
        prefixed(&fence(OTHER), "> "),
        prefixed(&fence(POLICY), ">   ")
    );
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!(r.adoption.blocks, 3, "{:#?}", r.adoption.listed);
    let after = r.after("a.md");
    assert!(
        after.contains("   <<#iam-policy nested file=\"\">>\n"),
        "{after}"
    );
    assert!(
        after.contains("> - <<#iam-policy nested file=\"\">>\n"),
        "{after}"
    );
    assert_eq!(r.expand("a.md"), page);
}

#[test]
fn crlf_pages_and_a_missing_final_newline_survive() {
    let page = format!("# Windows\r\n\r\n{}", fence(POLICY).replace('\n', "\r\n"));
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!(r.adoption.blocks, 1, "{:#?}", r.adoption.listed);
    assert_eq!(
        r.after("a.md"),
        "# Windows\r\n\r\n<<#iam-policy windows file=\"\">>"
    );
    assert_eq!(r.expand("a.md"), page);
}

#[test]
fn a_block_in_another_layout_is_listed_and_adopted_only_with_reformat() {
    let compact = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \
                   \"Action\": \"s3:ListBucket\", \"Resource\": \"*\"}}";
    let page = format!("# Compact\n\n```\n{compact}\n```\n");
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!(r.adoption.blocks, 0);
    assert!(r.adoption.pages.is_empty());
    let listed = &r.adoption.listed[0];
    assert_eq!(
        (listed.why.clone(), listed.adopted),
        (Why::NotCanonical, false)
    );
    let diff = listed.difference.as_deref().unwrap();
    assert!(
        diff.contains("-```\n") && diff.contains("+```json\n"),
        "{diff}"
    );
    let r = plan(&[("a.md", &page)], None, true, false);
    assert_eq!((r.adoption.blocks, r.adoption.reformatted), (1, 1));
    let shown = r.expand("a.md");
    assert!(
        shown.contains("```json\n{\n  \"Version\": \"2012-10-17\",\n"),
        "{shown}"
    );
    assert!(shown.contains("\"Statement\": [\n"), "{shown}");
}

#[test]
fn what_cannot_be_adopted_stays_with_its_reason() {
    let page = "# Left\n\n\
        ```json\n{ \"Effect\": \"Deny\", ... }\n```\n\n\
        ```json iam-unchecked\n{\"Version\": \"2012-10-17\", \"Statement\": []}\n```\n\n\
        ```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\" \"Resource\": \"*\"}]}\n```\n\n\
        ```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObjekt\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n```\n\n\
        ```json\n{\"Name\": \"not IAM\"}\n```\n";
    let r = plan(&[("a.md", page)], None, false, false);
    let whys: Vec<Why> = r.adoption.listed.iter().map(|l| l.why.clone()).collect();
    assert_eq!(
        whys,
        [
            Why::Unchecked,
            Why::Fragment,
            Why::NotJson,
            Why::Invalid(vec!["invalid-action"])
        ]
    );
    assert!(r.adoption.pages.is_empty());
    let r = plan(&[("a.md", page)], None, false, true);
    assert_eq!(r.adoption.blocks, 1);
    assert!(r.adoption.listed.iter().any(|l| l.adopted));
    let empty = "```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n```\n";
    let r = plan(&[("c.md", empty)], None, true, true);
    assert_eq!(r.adoption.blocks, 0, "{:#?}", r.adoption.listed);
    assert!(
        r.adoption
            .listed
            .iter()
            .any(|l| l.why == Why::NotRepresentable("a policy with no statement".into())),
        "{:#?}",
        r.adoption.listed
    );
    assert!(!r.adoption.failed());
    let levels = format!("```json iam-allow=invalid-sid\n{POLICY}\n```\n");
    let r = plan(&[("b.md", &levels)], None, true, false);
    assert_eq!(r.adoption.blocks, 0);
    assert!(matches!(r.adoption.listed[0].why, Why::NotRepresentable(_)));
}

#[test]
fn an_existing_catalog_is_extended_and_its_entries_reused() {
    let catalog = "# The team's catalog\nschema-version = \"1.0\"\n\n\
        [policies.existing]   # kept\nfile = \"existing.json\"\nstatements = [\n  \
        { Sid = \"ReadObjects\", Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::amzn-s3-demo-bucket/*\" },\n]\n";
    let page = format!(
        "# Reuse\n\n**`existing.json`**\n\n{}\n\n{}\n",
        fence(POLICY),
        fence(OTHER)
    );
    let r = plan(&[("a.md", &page)], Some(catalog), false, false);
    assert_eq!(
        (r.adoption.blocks, r.adoption.reused, r.adoption.policies),
        (2, 1, 1)
    );
    assert!(r.catalog().starts_with(catalog), "{}", r.catalog());
    let after = r.after("a.md");
    assert!(after.contains("<<#iam-policy existing>>"), "{after}");
    assert!(after.contains("<<#iam-policy reuse file=\"\">>"), "{after}");
    assert_eq!(r.expand("a.md"), page);
}

#[test]
fn names_come_from_headings_else_the_page_and_never_clash() {
    let one = format!("{}\n\n{}\n", fence(POLICY), fence(OTHER));
    let catalog = "schema-version = \"1.0\"\n\n[policies.notes-1]\nstatements = [{ Effect = \"Allow\", Action = \"s3:ListAllMyBuckets\", Resource = \"*\" }]\n";
    let r = plan(&[("notes.md", &one)], Some(catalog), false, false);
    let after = r.after("notes.md");
    assert!(
        after.contains("<<#iam-policy notes-1-2 file=\"\">>"),
        "{after}"
    );
    assert!(
        after.contains("<<#iam-policy notes-2 file=\"\">>"),
        "{after}"
    );
}

#[test]
fn nothing_is_written_without_write() {
    let page = format!("# Plan\n\n{}\n", fence(POLICY));
    let r = plan(&[("a.md", &page)], None, false, false);
    assert_eq!(r.adoption.blocks, 1);
    assert_eq!(
        std::fs::read_to_string(r.dir.path().join("a.md")).unwrap(),
        page
    );
    assert!(!r.dir.path().join("iam-catalog.toml").exists());
    let diff = r.adoption.diff();
    assert!(diff.contains("--- /dev/null\n+++ b/"), "{diff}");
    assert!(diff.contains("+<<#iam-policy plan file=\"\">>"), "{diff}");
}

#[test]
fn a_catalog_with_errors_stops_the_adoption() {
    let page = format!("# Plan\n\n{}\n", fence(POLICY));
    let r = plan(
        &[("a.md", &page)],
        Some("schema-version = \"1.0\"\n[policies.x\n"),
        false,
        false,
    );
    assert!(r.adoption.failed());
    assert!(write(&r.adoption).is_err());
    assert_eq!(
        std::fs::read_to_string(r.dir.path().join("a.md")).unwrap(),
        page
    );
}
