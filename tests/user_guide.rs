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

fn guide() -> Option<PathBuf> {
    let dir = common::root().join("../shared/corpus/iam-user-guide/doc_source");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "{} is missing under CI=true; CI must have the corpus",
        dir.display()
    );
    // Straight to stderr: the test harness captures the output of passing tests.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is absent (the shared corpora beside the repository)",
        dir.display()
    );
    None
}

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
    let Some(dir) = guide() else { return };
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
    let Some(dir) = guide() else { return };
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
