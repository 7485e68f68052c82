//! README.md's "Each code, failing and fixed" section (between `<!-- code-examples:begin -->` and
//! `<!-- code-examples:end -->`) has an entry for every code, in the order of `Code::ALL`, and its
//! examples are run, so they cannot go stale.
//!
//! An entry is a `#### `code`` heading, prose, and fenced blocks. A block whose info string carries
//! a mark after the language is run:
//!
//! - `fails` must report the entry's code; `fixed` must report nothing at all.
//! - `json fails` / `json fixed` is a policy document, validated as an identity policy;
//!   `fails=trust`, `fails=resource` (and `fixed=...`) pick the other kinds.
//! - `toml fails` / `toml fixed` is a catalog, written to `iam-catalog.toml` in an empty folder and
//!   opened and checked as `mdbook-iam check` does.
//! - `toml fails=book` / `toml fixed=book` is a `book.toml`, given to the mdBook preprocessor with
//!   `book-example/` as the book root (so its catalog).
//! - `markdown fails` / `markdown fixed` is a page, expanded (gfm flavor) and synced against the
//!   example catalog, or against the entry's `toml given` block when it has one.
//! - `json fails=simulation` / `json fixed=simulation` is a simulation document, read, validated
//!   and decided as `mdbook-iam simulate` does.
//!
//! Codes whose failing example cannot be run this way are listed in `PROSE_ONLY`, each with its
//! reason; every other code needs at least one `fails` block.
//!
//! `README_CODES_DEBUG=1 cargo test --test readme_codes -- --nocapture` prints every block's codes.

mod common;

use mdbook_iam::catalog::Catalog;
use mdbook_iam::check::open_catalog;
use mdbook_iam::diagnostic::{Code, Finding};
use mdbook_iam::expand::Expander;
use mdbook_iam::policy::PolicyKind;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::str::FromStr;
use std::sync::OnceLock;

/// Codes whose entry has no run example, and why.
const PROSE_ONLY: &[(&str, &str)] = &[
    (
        "unsupported-mdbook",
        "the failing case is a different mdBook running the preprocessor",
    ),
    (
        "policy-too-large",
        "a failing policy has over 6,144 characters, too long to show",
    ),
];

const BEGIN: &str = "<!-- code-examples:begin -->";
const END: &str = "<!-- code-examples:end -->";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Fails,
    Fixed,
    /// The catalog the entry's pages are expanded against.
    Given,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Run {
    Policy(PolicyKind),
    Catalog,
    Book,
    Page,
    Simulation,
}

#[derive(Debug)]
struct Block {
    /// 1-based README line of the opening fence.
    line: usize,
    mark: Option<(Mark, Run)>,
    text: String,
}

#[derive(Debug)]
struct Entry {
    code: String,
    line: usize,
    prose: Vec<String>,
    blocks: Vec<Block>,
}

/// Reads a fence's info string: the language, then an optional mark.
fn mark(info: &str, line: usize) -> Option<(Mark, Run)> {
    let mut words = info.split_whitespace();
    let lang = words.next().unwrap_or("");
    let word = words.next()?;
    assert!(
        words.next().is_none(),
        "README.md:{line}: one mark per block: `{info}`"
    );
    let (mark, kind) = match word.split_once('=') {
        Some((m, k)) => (m, Some(k)),
        None => (word, None),
    };
    let mark = match mark {
        "fails" => Mark::Fails,
        "fixed" => Mark::Fixed,
        "given" => Mark::Given,
        _ => panic!("README.md:{line}: unknown mark `{word}` (fails, fixed, given)"),
    };
    let run = match (lang, kind, mark) {
        (_, Some(_), Mark::Given) => panic!("README.md:{line}: `given` takes no kind"),
        ("toml", None, Mark::Given) => Run::Catalog,
        (_, _, Mark::Given) => panic!("README.md:{line}: `given` marks a toml catalog"),
        ("json", None, _) => Run::Policy(PolicyKind::Identity),
        ("json", Some("simulation"), _) => Run::Simulation,
        ("json", Some(k), _) => Run::Policy(
            PolicyKind::parse(k)
                .unwrap_or_else(|| panic!("README.md:{line}: unknown policy kind `{k}`")),
        ),
        ("toml", None | Some("catalog"), _) => Run::Catalog,
        ("toml", Some("book"), _) => Run::Book,
        ("markdown", None, _) => Run::Page,
        _ => panic!("README.md:{line}: cannot run `{info}`"),
    };
    Some((mark, run))
}

/// The entries of the README region, with the README line each starts on.
fn entries() -> Vec<Entry> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme.find(BEGIN).expect("code-examples:begin marker");
    let stop = readme.find(END).expect("code-examples:end marker");
    assert!(start < stop, "code-examples markers out of order");
    let first_line = readme[..start].lines().count() + 1;
    let region: Vec<&str> = readme[start..stop].lines().collect();
    let mut out: Vec<Entry> = Vec::new();
    let mut i = 0;
    while i < region.len() {
        let line = first_line + i;
        let text = region[i];
        let fence_len = text.len() - text.trim_start_matches('`').len();
        if fence_len >= 3 {
            let info = &text[fence_len..];
            let close = "`".repeat(fence_len);
            let body_start = i + 1;
            let mut j = body_start;
            while j < region.len() && region[j] != close {
                j += 1;
            }
            assert!(j < region.len(), "README.md:{line}: unclosed fence");
            let mut body = region[body_start..j].join("\n");
            body.push('\n');
            let entry = out
                .last_mut()
                .unwrap_or_else(|| panic!("README.md:{line}: a block before the first entry"));
            entry.blocks.push(Block {
                line,
                mark: mark(info, line),
                text: body,
            });
            i = j + 1;
            continue;
        }
        if let Some(rest) = text.strip_prefix("#### ") {
            let code = rest
                .strip_prefix('`')
                .and_then(|r| r.strip_suffix('`'))
                .unwrap_or_else(|| panic!("README.md:{line}: write the heading as #### `code`"));
            out.push(Entry {
                code: code.to_string(),
                line,
                prose: Vec::new(),
                blocks: Vec::new(),
            });
        } else if text.starts_with('#') {
            panic!("README.md:{line}: only #### `code` headings belong in this section");
        } else if let Some(e) = out.last_mut()
            && !text.trim().is_empty()
        {
            e.prose.push(text.to_string());
        }
        i += 1;
    }
    out
}

fn example_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let path = common::example_catalog();
        let loaded = open_catalog(&path, path.parent().unwrap());
        assert!(
            loaded.findings.is_empty(),
            "the example catalog is not clean"
        );
        loaded.catalog
    })
}

/// Opens a catalog written to `iam-catalog.toml` in a fresh folder, as `mdbook-iam check` would.
fn open_catalog_text(text: &str) -> (Catalog, Vec<Finding>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iam-catalog.toml");
    std::fs::write(&path, text).unwrap();
    let loaded = open_catalog(&path, dir.path());
    (loaded.catalog, loaded.findings)
}

/// Runs `book.toml` text through the mdBook preprocessor, with `book-example/` as the book root
/// and no chapters.
fn preprocess_book(text: &str) -> Vec<Finding> {
    use mdbook_preprocessor::PreprocessorContext;
    use mdbook_preprocessor::book::Book;
    use mdbook_preprocessor::config::Config;
    let config = Config::from_str(text).expect("the book.toml example is TOML mdBook reads");
    let root = common::root().join("book-example");
    let ctx = PreprocessorContext::new(root, config, "html".into());
    let input = serde_json::to_string(&(ctx, Book::new())).unwrap();
    mdbook_iam::mdbook::preprocess(&input).findings
}

/// Expands a page and checks its synced regions.
fn page_findings(text: &str, catalog: &Catalog) -> Vec<Finding> {
    let page = SourceFile::new("page.md", text);
    let expander = Expander::new(catalog, Flavor::Gfm);
    let mut findings = expander.expand(&page).findings;
    let synced = mdbook_iam::sync::sync(&page, &expander);
    findings.extend(synced.findings);
    findings.extend(synced.drift);
    findings
}

fn run(block: &Block, run: Run, given: Option<&Catalog>) -> Vec<Finding> {
    match run {
        Run::Policy(kind) => {
            let file = SourceFile::new("example.json", block.text.as_str());
            mdbook_iam::validate_document(&file, kind, &Validator::new(example_catalog()))
        }
        Run::Catalog => open_catalog_text(&block.text).1,
        Run::Book => preprocess_book(&block.text),
        Run::Page => page_findings(&block.text, given.unwrap_or_else(|| example_catalog())),
        Run::Simulation => {
            let file = SourceFile::new("case.json", block.text.as_str());
            mdbook_iam::simulate::simulate_document(&file, &Validator::new(example_catalog()))
                .findings
        }
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn every_code_has_an_entry_in_order() {
    let want: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let entries = entries();
    let have: Vec<&str> = entries.iter().map(|e| e.code.as_str()).collect();
    for code in &want {
        assert!(
            have.contains(code),
            "README.md has no `#### `{code}`` entry between the code-examples markers"
        );
    }
    for e in &entries {
        assert!(
            want.contains(&e.code.as_str()),
            "README.md:{}: `{}` is not a code",
            e.line,
            e.code
        );
    }
    assert_eq!(
        have, want,
        "README.md's entries are not in `Code::ALL` order"
    );
    for e in &entries {
        assert!(
            !e.prose.is_empty(),
            "README.md:{}: `{}` says nothing about when it fires",
            e.line,
            e.code
        );
        let has_fix = e.prose.iter().any(|p| p.starts_with("Fix:"))
            || e.blocks
                .iter()
                .any(|b| matches!(b.mark, Some((Mark::Fixed, _))));
        assert!(
            has_fix,
            "README.md:{}: `{}` has neither a `Fix:` line nor a `fixed` block",
            e.line, e.code
        );
    }
}

#[test]
fn prose_only_exemptions_are_current() {
    let entries = entries();
    for (code, why) in PROSE_ONLY {
        assert!(!why.is_empty());
        assert!(
            Code::ALL.iter().any(|c| c.as_str() == *code),
            "PROSE_ONLY names `{code}`, which is not a code"
        );
        if let Some(e) = entries.iter().find(|e| e.code == *code) {
            assert!(
                !e.blocks
                    .iter()
                    .any(|b| matches!(b.mark, Some((Mark::Fails, _)))),
                "README.md:{}: `{code}` now has a run example; remove it from PROSE_ONLY",
                e.line
            );
        }
    }
}

#[test]
fn examples_fail_with_their_code_and_fixes_are_clean() {
    let debug = std::env::var_os("README_CODES_DEBUG").is_some();
    let mut problems = Vec::new();
    for e in entries() {
        let exempt = PROSE_ONLY.iter().any(|(c, _)| *c == e.code);
        let given = e
            .blocks
            .iter()
            .find(|b| matches!(b.mark, Some((Mark::Given, _))))
            .map(|b| {
                let (catalog, findings) = open_catalog_text(&b.text);
                if !findings.is_empty() {
                    problems.push(format!(
                        "README.md:{}: the given catalog has findings: {:?}",
                        b.line,
                        codes(&findings)
                    ));
                }
                catalog
            });
        let mut failing = 0;
        for b in &e.blocks {
            let Some((mark, how)) = b.mark else { continue };
            if mark == Mark::Given {
                continue;
            }
            let found = run(b, how, given.as_ref());
            let found_codes = codes(&found);
            if debug {
                eprintln!("README.md:{} {} {mark:?}: {found_codes:?}", b.line, e.code);
            }
            match mark {
                Mark::Fails => {
                    failing += 1;
                    if !found_codes.contains(&e.code.as_str()) {
                        problems.push(format!(
                            "README.md:{}: the failing example of `{}` reports {found_codes:?}",
                            b.line, e.code
                        ));
                    }
                }
                Mark::Fixed => {
                    if !found.is_empty() {
                        problems.push(format!(
                            "README.md:{}: the fixed example of `{}` still reports {found_codes:?}",
                            b.line, e.code
                        ));
                    }
                }
                Mark::Given => {}
            }
        }
        if failing == 0 && !exempt {
            problems.push(format!(
                "README.md:{}: `{}` has no run failing example (a `fails` block); add one, or \
                 list the code in PROSE_ONLY with the reason",
                e.line, e.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
