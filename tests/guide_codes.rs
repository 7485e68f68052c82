//! The guide's code pages (`guide/src/codes/CODE.md`): one per code of `Code::ALL`, listed in
//! `guide/src/SUMMARY.md` in that order, each with run examples, so none can be missing or go
//! stale. The page format is documented for contributors in `guide/src/codes/README.md`.
//!
//! A page is a `` # `CODE` `` heading, prose, and fenced blocks. A block whose info string carries
//! a mark after the language is run (`iam-unchecked`, which keeps a failing policy out of the
//! guide's own build, may stand beside the mark):
//!
//! - `fails` must report the page's code; `fixed` must report nothing at all.
//! - `json fails` / `json fixed` is a policy document, validated as an identity policy;
//!   `fails=trust`, `fails=resource` (and `fixed=...`) pick the other kinds.
//! - `toml fails` / `toml fixed` is a catalog, written to `iam-catalog.toml` in an empty folder and
//!   opened and checked as `mdbook-iam check` does.
//! - `toml fails=book` / `toml fixed=book` is a `book.toml`, given to the mdBook preprocessor with
//!   `guide/` as the book root (so the guide's catalog).
//! - `markdown fails` / `markdown fixed` is a page, expanded (gfm flavor) and synced against the
//!   guide's catalog, or against the page's `toml given` block when it has one.
//! - `json fails=simulation` / `json fixed=simulation` is a simulation document, read, validated
//!   and decided as `mdbook-iam simulate` does.
//!
//! Codes whose failing example cannot be run this way are listed in `PROSE_ONLY`, each with its
//! reason; every other code needs at least one `fails` block. The table of codes in
//! `guide/src/codes/README.md` is generated from `Code::ALL`; `UPDATE_GUIDE=1 cargo test --test
//! guide_codes` rewrites it.
//!
//! `GUIDE_CODES_DEBUG=1 cargo test --test guide_codes -- --nocapture` prints every block's codes.

mod common;

use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::diagnostic::{Code, Finding, Severity};
use mdbook_iam::expand::Expander;
use mdbook_iam::open_catalog;
use mdbook_iam::policy::PolicyKind;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

/// Codes whose entry has no run example, and why.
const PROSE_ONLY: &[(&str, &str)] = &[
    (
        "unsupported-mdbook",
        "the failing case is a different mdBook running the preprocessor",
    ),
    (
        "invalid-encoding",
        "the failing file holds bytes that are not UTF-8, which a page cannot show",
    ),
    (
        "invalid-block-level",
        "reported at a fence by the page scanner, which reads the fence's level words \
         (`diagnostic::levels::block_levels`); its run example comes with that reading",
    ),
    (
        "policy-too-large",
        "a failing policy has over 6,144 characters, too long to show",
    ),
];

fn codes_dir() -> PathBuf {
    common::root().join("guide/src/codes")
}

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
    /// 1-based page line of the opening fence.
    line: usize,
    mark: Option<(Mark, Run)>,
    unchecked: bool,
    text: String,
}

#[derive(Debug)]
struct Entry {
    code: String,
    /// The page, as findings name it: `guide/src/codes/CODE.md`.
    file: String,
    prose: Vec<String>,
    blocks: Vec<Block>,
}

/// Reads a fence's info string: the language, then an optional mark and `iam-unchecked`.
fn mark(info: &str, at: &str) -> (Option<(Mark, Run)>, bool) {
    let mut words = info.split_whitespace();
    let lang = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let unchecked = rest.contains(&"iam-unchecked");
    let marks: Vec<&str> = rest.into_iter().filter(|w| *w != "iam-unchecked").collect();
    assert!(marks.len() <= 1, "{at}: one mark per block: `{info}`");
    let Some(word) = marks.first().copied() else {
        return (None, unchecked);
    };
    let (mark, kind) = match word.split_once('=') {
        Some((m, k)) => (m, Some(k)),
        None => (word, None),
    };
    let mark = match mark {
        "fails" => Mark::Fails,
        "fixed" => Mark::Fixed,
        "given" => Mark::Given,
        _ => panic!("{at}: unknown mark `{word}` (fails, fixed, given)"),
    };
    let run = match (lang, kind, mark) {
        (_, Some(_), Mark::Given) => panic!("{at}: `given` takes no kind"),
        ("toml", None, Mark::Given) => Run::Catalog,
        (_, _, Mark::Given) => panic!("{at}: `given` marks a toml catalog"),
        ("json", None, _) => Run::Policy(PolicyKind::Identity),
        ("json", Some("simulation"), _) => Run::Simulation,
        ("json", Some(k), _) => Run::Policy(
            PolicyKind::parse(k).unwrap_or_else(|| panic!("{at}: unknown policy kind `{k}`")),
        ),
        ("toml", None | Some("catalog"), _) => Run::Catalog,
        ("toml", Some("book"), _) => Run::Book,
        ("markdown", None, _) => Run::Page,
        _ => panic!("{at}: cannot run `{info}`"),
    };
    (Some((mark, run)), unchecked)
}

/// Reads one code page.
fn page(code: &str) -> Result<Entry, String> {
    let file = format!("guide/src/codes/{code}.md");
    let text = std::fs::read_to_string(codes_dir().join(format!("{code}.md"))).map_err(|e| {
        format!("{file}: {e}: every code needs a page (see guide/src/codes/README.md)")
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let title = format!("# `{code}`");
    if lines.first() != Some(&title.as_str()) {
        return Err(format!(
            "{file}:1: the page must start with the heading {title}"
        ));
    }
    let mut entry = Entry {
        code: code.to_string(),
        file: file.clone(),
        prose: Vec::new(),
        blocks: Vec::new(),
    };
    let mut i = 1;
    while i < lines.len() {
        let line = i + 1;
        let text = lines[i];
        let fence_len = text.len() - text.trim_start_matches('`').len();
        if fence_len >= 3 {
            let info = &text[fence_len..];
            let close = "`".repeat(fence_len);
            let body_start = i + 1;
            let mut j = body_start;
            while j < lines.len() && lines[j] != close {
                j += 1;
            }
            if j == lines.len() {
                return Err(format!("{file}:{line}: unclosed fence"));
            }
            let mut body = lines[body_start..j].join("\n");
            body.push('\n');
            let (mark, unchecked) = mark(info, &format!("{file}:{line}"));
            entry.blocks.push(Block {
                line,
                mark,
                unchecked,
                text: body,
            });
            i = j + 1;
            continue;
        }
        if text.starts_with('#') {
            return Err(format!(
                "{file}:{line}: a code page has one heading, its title"
            ));
        } else if !text.trim().is_empty() {
            entry.prose.push(text.to_string());
        }
        i += 1;
    }
    Ok(entry)
}

/// Every code's page, in `Code::ALL` order.
fn entries() -> Vec<Entry> {
    let (ok, missing): (Vec<_>, Vec<_>) = Code::ALL
        .iter()
        .map(|c| page(c.as_str()))
        .partition(Result::is_ok);
    let missing: Vec<String> = missing.into_iter().filter_map(Result::err).collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    ok.into_iter().map(Result::unwrap).collect()
}

fn guide_catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let path = common::root().join("guide/iam-catalog.toml");
        let loaded = open_catalog(&path, path.parent().unwrap(), AwsData::embedded());
        assert!(
            loaded.findings.is_empty(),
            "the guide's catalog is not clean"
        );
        loaded.catalog
    })
}

/// Opens a catalog written to `iam-catalog.toml` in a fresh folder, as `mdbook-iam check` would.
fn open_catalog_text(text: &str) -> (Catalog, Vec<Finding>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iam-catalog.toml");
    std::fs::write(&path, text).unwrap();
    let loaded = open_catalog(&path, dir.path(), AwsData::embedded());
    (loaded.catalog, loaded.findings)
}

/// Runs `book.toml` text through the mdBook preprocessor, with `guide/` as the book root and no
/// chapters.
fn preprocess_book(text: &str) -> Vec<Finding> {
    use mdbook_preprocessor::PreprocessorContext;
    use mdbook_preprocessor::book::Book;
    use mdbook_preprocessor::config::Config;
    let config = Config::from_str(text).expect("the book.toml example is TOML mdBook reads");
    let root = common::root().join("guide");
    let ctx = PreprocessorContext::new(root, config, "html".into());
    let input = serde_json::to_string(&(ctx, Book::new())).unwrap();
    mdbook_iam::hosts::mdbook::preprocess(&input).findings
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
            Validator::new(guide_catalog()).document(&file, kind)
        }
        Run::Catalog => open_catalog_text(&block.text).1,
        Run::Book => preprocess_book(&block.text),
        Run::Page => page_findings(&block.text, given.unwrap_or_else(|| guide_catalog())),
        Run::Simulation => {
            let file = SourceFile::new("case.json", block.text.as_str());
            mdbook_iam::simulate::simulate_document(&file, &Validator::new(guide_catalog()))
                .findings
        }
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn every_code_has_a_page_and_every_page_is_a_code() {
    let entries = entries();
    for e in &entries {
        assert!(
            !e.prose.is_empty(),
            "{}: `{}` says nothing about when it fires",
            e.file,
            e.code
        );
        let has_fix = e.prose.iter().any(|p| p.starts_with("Fix:"))
            || e.blocks
                .iter()
                .any(|b| matches!(b.mark, Some((Mark::Fixed, _))));
        assert!(
            has_fix,
            "{}: `{}` has neither a `Fix:` line nor a `fixed` block",
            e.file, e.code
        );
    }
    for f in std::fs::read_dir(codes_dir()).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        let Some(code) = name.strip_suffix(".md") else {
            continue;
        };
        assert!(
            code == "README" || Code::ALL.iter().any(|c| c.as_str() == code),
            "guide/src/codes/{name} is the page of no code"
        );
    }
}

#[test]
fn the_summary_lists_every_code_page_in_order() {
    let summary = std::fs::read_to_string(common::root().join("guide/src/SUMMARY.md")).unwrap();
    let listed: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.split("](codes/").nth(1)?.strip_suffix(".md)"))
        .filter(|c| *c != "README")
        .collect();
    let want: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for code in &want {
        assert!(
            listed.contains(code),
            "guide/src/SUMMARY.md has no line `  - [`{code}`](codes/{code}.md)`"
        );
    }
    assert_eq!(
        listed, want,
        "guide/src/SUMMARY.md lists the code pages out of `Code::ALL` order"
    );
}

fn table() -> String {
    let mut out =
        String::from("| code | severity | Access Analyzer | meaning |\n|---|---|---|---|\n");
    for c in Code::ALL {
        let sev = match c.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let aa = c
            .access_analyzer()
            .map(|a| format!("`{a}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| [`{0}`]({0}.md) | {sev} | {aa} | {1} |\n",
            c.as_str(),
            c.summary().replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn the_code_table_is_generated_from_the_codes() {
    let path = codes_dir().join("README.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- codes:begin -->\n", "<!-- codes:end -->");
    let start = page.find(begin).expect("codes:begin marker") + begin.len();
    let stop = page.find(end).expect("codes:end marker");
    let want = table();
    if page[start..stop] != want {
        if std::env::var_os("UPDATE_GUIDE").is_some() {
            std::fs::write(&path, format!("{}{want}{}", &page[..start], &page[stop..])).unwrap();
        } else {
            panic!(
                "guide/src/codes/README.md's code table is out of date; run `UPDATE_GUIDE=1 cargo test --test guide_codes`"
            );
        }
    }
}

#[test]
fn failing_policies_are_marked_unchecked() {
    for e in entries() {
        for b in &e.blocks {
            if let Some((Mark::Fails, Run::Policy(_))) = b.mark {
                assert!(
                    b.unchecked,
                    "{}:{}: a failing json example needs `iam-unchecked` after `json`, or the guide's build fails on it",
                    e.file, b.line
                );
            }
        }
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
                "{}: `{code}` now has a run example; remove it from PROSE_ONLY",
                e.file
            );
        }
    }
}

#[test]
fn examples_fail_with_their_code_and_fixes_are_clean() {
    let debug = std::env::var_os("GUIDE_CODES_DEBUG").is_some();
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
                        "{}:{}: the given catalog has findings: {:?}",
                        e.file,
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
                eprintln!("{}:{} {mark:?}: {found_codes:?}", e.file, b.line);
            }
            match mark {
                Mark::Fails => {
                    failing += 1;
                    if !found_codes.contains(&e.code.as_str()) {
                        problems.push(format!(
                            "{}:{}: the failing example of `{}` reports {found_codes:?}",
                            e.file, b.line, e.code
                        ));
                    }
                }
                Mark::Fixed => {
                    if !found.is_empty() {
                        problems.push(format!(
                            "{}:{}: the fixed example of `{}` still reports {found_codes:?}",
                            e.file, b.line, e.code
                        ));
                    }
                }
                Mark::Given => {}
            }
        }
        if failing == 0 && !exempt {
            problems.push(format!(
                "{}: `{}` has no run failing example (a `fails` block); add one, or \
                 list the code in PROSE_ONLY with the reason",
                e.file, e.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
