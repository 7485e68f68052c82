//! The promises the fuzz targets check on every input, beyond "no panic". The stable regression
//! test (`tests/fuzz_regressions.rs`) includes this same file, so a saved input goes through
//! exactly the code the fuzzer ran. Each check panics with the promise it found broken.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::diagnostic::{Code, Finding, TextStyle, render_json, render_text};
use mdbook_iam::expand::Expander;
use mdbook_iam::page::scan::{Found, scan, scan_full};
use mdbook_iam::policy::to_prettier_json;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::render::Flavor;
use mdbook_iam::source::SourceFile;
use mdbook_iam::sync::sync;
use mdbook_iam::validate::Validator;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The example book, which every page and request is expanded against.
pub const EXAMPLE_CATALOG: &str = include_str!("../../book-example/iam-catalog.toml");
pub const EXAMPLE_CHAPTERS: [(&str, &str); 6] = [
    (
        "SUMMARY.md",
        include_str!("../../book-example/src/SUMMARY.md"),
    ),
    (
        "directives.md",
        include_str!("../../book-example/src/directives.md"),
    ),
    (
        "included-snippet.md",
        include_str!("../../book-example/src/included-snippet.md"),
    ),
    (
        "introduction.md",
        include_str!("../../book-example/src/introduction.md"),
    ),
    (
        "team-roles.md",
        include_str!("../../book-example/src/team-roles.md"),
    ),
    (
        "tutorial.md",
        include_str!("../../book-example/src/tutorial.md"),
    ),
];

pub fn example_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let loaded = Catalog::from_text("iam-catalog.toml", EXAMPLE_CATALOG);
        assert!(!loaded.has_errors(), "the example catalog loads cleanly");
        loaded.catalog
    })
}

/// Whether a text could hold a directive or an escape at all, judged without the scanner: every
/// spelling starts with `<<#`, `{/*` or names an `iam-` kind.
pub fn has_directive_syntax(text: &str) -> bool {
    text.contains("<<#") || text.contains("{/*") || text.contains("iam-")
}

/// What two runs must agree on: each finding's code, severity, message and place.
type Summary = Vec<(Code, String, Option<(String, std::ops::Range<usize>)>)>;

fn summary(findings: &[Finding]) -> Summary {
    findings
        .iter()
        .map(|f| {
            let at = f
                .span
                .as_ref()
                .map(|s| (s.file.name().to_string(), s.range.clone()));
            (f.code, format!("{:?} {}", f.severity, f.message), at)
        })
        .collect()
}

/// Every finding and note points inside its own file, on character boundaries; with `located`,
/// every finding has a place; the text and JSON renderings work, and the JSON parses.
pub fn check_findings(what: &str, findings: &[Finding], located: bool) {
    for f in findings {
        assert!(
            !f.message.is_empty(),
            "{what}: a finding without a message: {f:?}"
        );
        if located {
            assert!(
                f.span.is_some(),
                "{what}: `{}` has no location: {}",
                f.code.as_str(),
                f.message
            );
        }
        let spans = f
            .span
            .iter()
            .chain(f.notes.iter().filter_map(|n| n.span.as_ref()));
        for s in spans {
            let text = s.file.text();
            assert!(
                s.range.start <= s.range.end && s.range.end <= text.len(),
                "{what}: `{}` points at {:?}, outside {} ({} bytes)",
                f.code.as_str(),
                s.range,
                s.file.name(),
                text.len()
            );
            assert!(
                text.is_char_boundary(s.range.start) && text.is_char_boundary(s.range.end),
                "{what}: `{}` points at {:?} in {}, inside a character",
                f.code.as_str(),
                s.range,
                s.file.name()
            );
        }
    }
    let _ = render_text(findings, TextStyle { color: false });
    let json = render_json(findings);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("{what}: the findings' JSON does not parse: {e}\n{json}");
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

/// A page from arbitrary bytes (invalid UTF-8 replaced, as no host hands the engine bytes).
pub fn page(bytes: &[u8]) {
    check_page(&String::from_utf8_lossy(bytes));
}

/// Expands, checks and syncs a page in every flavor against the example catalog.
pub fn check_page(text: &str) {
    let fast = scan(text);
    let full = scan_full(text);
    // Where mdBook's parser fails on the page there is no reading of it to agree with: the full
    // path reports the failure, and the line-based path, which parses at most a few paragraphs,
    // may still answer (mdBook itself then fails on the page).
    if full.parser_failure.is_none() {
        assert_eq!(
            fast.found, full.found,
            "the line-based code finder and mdBook's parser find different directives"
        );
        assert_eq!(
            fast.unclosed, full.unclosed,
            "the line-based code finder and mdBook's parser find different unclosed `<<#`"
        );
    } else {
        assert!(
            fast.found.is_empty() || fast.parser_failure.is_none(),
            "a scan that reports a parser failure found directives"
        );
    }
    let catalog = example_catalog();
    for flavor in Flavor::ALL {
        let name = if flavor == Flavor::Docusaurus {
            "page.mdx"
        } else {
            "page.md"
        };
        let page = SourceFile::new(name, text);
        let expander = Expander::new(catalog, flavor);
        let first = expander.expand(&page);
        let f = flavor.as_str();
        check_findings(&format!("expand ({f})"), &first.findings, true);
        // Text outside directives comes back byte for byte; each directive becomes its own
        // expansion (computed alone, with no cache) or, when it fails, stays as written.
        assert!(
            first.text == spliced(&page, &fast.found, flavor),
            "expand ({f}): the page is not its text with each directive replaced by its own expansion"
        );
        if !has_directive_syntax(text) {
            assert!(
                first.text == text,
                "expand ({f}): a page without directives changed"
            );
            assert_eq!(
                first.expanded, 0,
                "expand ({f}): directives counted in a page without any"
            );
        }
        // Deterministic, with the render cache now warm.
        let again = expander.expand(&page);
        assert!(
            first.text == again.text,
            "expand ({f}): a second expansion differs"
        );
        assert_eq!(
            summary(&first.findings),
            summary(&again.findings),
            "expand ({f}): a second expansion reports other findings"
        );
        check_sync(&page, &expander, &full);
    }
}

/// The page with each found directive replaced by what a fresh expander renders for it alone.
fn spliced(page: &Arc<SourceFile>, found: &[Found], flavor: Flavor) -> String {
    let text = page.text();
    let mut out = String::new();
    let mut last = 0;
    for f in found {
        let (range, with): (std::ops::Range<usize>, String) = match f {
            Found::Escape(at) if flavor == Flavor::Docusaurus => (*at..at + 4, "&lt;&lt;#".into()),
            Found::Escape(at) => (*at..at + 1, String::new()),
            Found::Directive(site) => {
                let alone = Expander::new(example_catalog(), flavor);
                let rendered = alone.directive(page, site, &mut Vec::new());
                let with = match rendered {
                    Some(r) => {
                        let rest = &text[site.span.end..];
                        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
                        // The line's own ending; on a last line with none (no line break
                        // follows at all), the ending of the line before.
                        let before = &text[..site.span.start];
                        let last_line = !rest.contains(['\n', '\r']);
                        let newline = if rest.contains('\n') && line.ends_with('\r')
                            || last_line
                                && before
                                    .rfind('\n')
                                    .is_some_and(|n| before[..n].ends_with('\r'))
                        {
                            "\r\n"
                        } else {
                            "\n"
                        };
                        with_prefix(&r, site.line_prefix.as_deref().unwrap_or(""), newline)
                    }
                    None => text[site.span.clone()].to_string(),
                };
                (site.span.clone(), with)
            }
        };
        assert!(
            last <= range.start && range.end <= text.len(),
            "the scanner found overlapping or unordered directives: {found:?}"
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "the scanner found a directive at {range:?}, inside a character"
        );
        out.push_str(&text[last..range.start]);
        out.push_str(&with);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// A block's further lines carry the directive's line prefix (trimmed on blank lines).
/// The block as the page gets it: each further line with the page's prefix, and the page's line
/// ending (a directive on a line ending in CRLF expands with CRLF).
fn with_prefix(block: &str, prefix: &str, newline: &str) -> String {
    let mut out = String::new();
    for (i, line) in block.split('\n').enumerate() {
        if i > 0 {
            out.push_str(newline);
            out.push_str(if line.is_empty() {
                prefix.trim_end()
            } else {
                prefix
            });
        }
        out.push_str(line);
    }
    out
}

const BEGIN_MARKERS: [&str; 2] = ["<!-- iam:begin ", "{/* iam:begin "];

fn check_sync(
    page: &Arc<SourceFile>,
    expander: &Expander<'_>,
    full: &mdbook_iam::page::scan::Scan,
) {
    let f = expander.flavor().as_str();
    let text = page.text();
    let synced = sync(page, expander);
    check_findings(&format!("sync ({f})"), &synced.findings, true);
    check_findings(&format!("sync ({f})"), &synced.drift, true);
    if synced.drift.is_empty() {
        assert!(
            synced.text == text,
            "sync ({f}): a page reported up to date was changed"
        );
    }
    // A begin marker holds what the author wrote; sync rewrites only what lies between markers.
    // (An end marker may sit inside a region's generated text, which sync replaces.)
    for m in BEGIN_MARKERS {
        assert_eq!(
            synced.text.matches(m).count(),
            text.matches(m).count(),
            "sync ({f}): the page lost or gained a `{m}` marker"
        );
    }
    if synced.findings.is_empty() {
        // Every begin marker outside code opens a region.
        let markers = BEGIN_MARKERS
            .iter()
            .flat_map(|m| text.match_indices(m).map(|(i, _)| i))
            .filter(|&i| !full.in_code(i))
            .count();
        assert_eq!(
            synced.regions, markers,
            "sync ({f}): begin markers outside code were skipped"
        );
        // What sync writes is up to date.
        let again = sync(&SourceFile::new(page.name(), synced.text.clone()), expander);
        assert!(
            again.drift.is_empty(),
            "sync ({f}): a page sync just wrote has drifted"
        );
        assert!(
            again.text == synced.text,
            "sync ({f}): syncing twice differs"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Catalogs

pub fn catalog(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let loaded = Catalog::from_text("iam-catalog.toml", &text);
    check_findings("catalog load", &loaded.findings, true);
    let again = Catalog::from_text("iam-catalog.toml", &text);
    assert_eq!(
        summary(&loaded.findings),
        summary(&again.findings),
        "catalog load: loading twice reports other findings"
    );
    if loaded
        .findings
        .iter()
        .any(|f| f.code == Code::CatalogSyntax)
    {
        return;
    }
    let checked = Validator::new(&loaded.catalog).catalog();
    check_findings("catalog check", &checked, true);
    let clean = !loaded.has_errors() && !checked.iter().any(Finding::is_error);
    let page = SourceFile::new("uses.md", page_using(&loaded.catalog));
    for flavor in Flavor::ALL {
        let f = flavor.as_str();
        let exp = Expander::new(&loaded.catalog, flavor).expand(&page);
        check_findings(&format!("catalog use ({f})"), &exp.findings, true);
        if clean {
            let errors: Vec<_> = exp.findings.iter().filter(|x| x.is_error()).collect();
            assert!(
                errors.is_empty(),
                "catalog use ({f}): a catalog that passes check fails to render its own entries:\n{}{}",
                page.text(),
                render_text(&exp.findings, TextStyle { color: false })
            );
        }
    }
}

/// A page with one directive per catalog entry whose name a directive can spell, and whose
/// callout parameters all have defaults.
fn page_using(catalog: &Catalog) -> String {
    let plain = |n: &str| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let mut page = String::from("# Uses\n\n<<#iam-condition-keys>>\n\n");
    for p in catalog.policies.iter().filter(|p| plain(&p.name.value)) {
        page.push_str(&format!(
            "<<#iam-policy {0}>>\n\n<<#iam-actions {0}>>\n\n",
            p.name.value
        ));
    }
    for s in catalog.statements.iter().filter(|s| plain(&s.name.value)) {
        page.push_str(&format!("<<#iam-statement {}>>\n\n", s.name.value));
    }
    for r in catalog.roles.iter().filter(|r| plain(&r.name.value)) {
        page.push_str(&format!("<<#iam-role-commands {}>>\n\n", r.name.value));
    }
    for c in catalog.callouts.iter().filter(|c| plain(&c.name.value)) {
        if c.params.iter().all(|p| p.default.is_some()) {
            page.push_str(&format!("<<#iam-callout {}>>\n\n", c.name.value));
        }
    }
    page
}

// ---------------------------------------------------------------------------------------------
// Policies

pub fn policy(bytes: &[u8]) {
    let file = SourceFile::new("policy.json", String::from_utf8_lossy(bytes));
    let validator = Validator::new(example_catalog());
    for kind in PolicyKind::ALL {
        let k = kind.as_str();
        let findings = validator.document(&file, kind);
        check_findings(&format!("validate ({k})"), &findings, true);
        let again = validator.document(&file, kind);
        assert_eq!(
            summary(&findings),
            summary(&again),
            "validate ({k}): validating twice reports other findings"
        );
        if findings.iter().any(Finding::is_error) {
            continue;
        }
        // A valid policy's canonical form (what pages show) is valid too, and canonical.
        let canonical = canonical(&file, kind);
        let written = SourceFile::new("canonical.json", canonical.clone());
        let refound = validator.document(&written, kind);
        let errors: Vec<_> = refound.iter().filter(|f| f.is_error()).cloned().collect();
        assert!(
            errors.is_empty(),
            "validate ({k}): the canonical form of a valid policy has errors:\n{canonical}\n{}",
            render_text(&errors, TextStyle { color: false })
        );
        assert!(
            canonical == self::canonical(&written, kind),
            "validate ({k}): writing the canonical form again changes it:\n{canonical}"
        );
    }
}

fn canonical(file: &Arc<SourceFile>, kind: PolicyKind) -> String {
    let doc = mdbook_iam::json::parse(file).expect("a policy without errors is JSON");
    to_prettier_json(&Policy::read(&doc, kind).value.to_value())
}

// ---------------------------------------------------------------------------------------------
// mdBook requests

/// Writes the example book (catalog and chapter files) under `root`, for [`mdbook_request`].
pub fn write_example_book(root: &Path) {
    std::fs::create_dir_all(root.join("src")).expect("create the example book's folder");
    let mut files = vec![(PathBuf::from("iam-catalog.toml"), EXAMPLE_CATALOG)];
    files.extend(
        EXAMPLE_CHAPTERS
            .iter()
            .map(|(n, t)| (Path::new("src").join(n), *t)),
    );
    for (name, text) in files {
        let path = root.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).expect("write the example book");
        }
    }
}

/// A relative path of plain names: one that cannot leave the book's folder.
fn inside(p: &Path) -> bool {
    p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The request with every path it names kept inside the book at `root`: the engine's own
/// confinement is issue material of its own, and a fuzzer must not read `/dev/zero`.
fn confined(input: &str, root: &Path) -> Option<String> {
    let (mut ctx, mut book): (PreprocessorContext, Book) = serde_json::from_str(input).ok()?;
    ctx.root = root.to_path_buf();
    if !inside(&ctx.config.book.src) {
        ctx.config.book.src = PathBuf::from("src");
    }
    for (key, default) in [("catalog", "iam-catalog.toml"), ("aws-data", "aws-data")] {
        let key = format!("preprocessor.iam.{key}");
        if let Ok(Some(serde_json::Value::String(p))) = ctx.config.get::<serde_json::Value>(&key)
            && !inside(Path::new(&p))
        {
            ctx.config.set(&key, default).expect("set a config key");
        }
    }
    book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item {
            if ch.source_path.as_deref().is_some_and(|p| !inside(p)) {
                ch.source_path = None;
            }
            if ch.path.as_deref().is_some_and(|p| !inside(p)) {
                ch.path = None;
            }
        }
    });
    Some(serde_json::to_string(&(ctx, book)).expect("a request serializes"))
}

/// `[context, book]` through the mdBook host, in the example book at `root`.
pub fn mdbook_request(bytes: &[u8], root: &Path) {
    let text = String::from_utf8_lossy(bytes);
    let Some(input) = confined(&text, root) else {
        // Not a request: refused before anything is read.
        let out = mdbook_iam::hosts::mdbook::preprocess(&text);
        assert!(
            out.book.is_none(),
            "mdbook: a book from something that is not a request"
        );
        assert!(
            out.findings.iter().any(Finding::is_error),
            "mdbook: refused without an error"
        );
        check_findings("mdbook", &out.findings, false);
        return;
    };
    let out = mdbook_iam::hosts::mdbook::preprocess(&input);
    check_findings("mdbook", &out.findings, false);
    let again = mdbook_iam::hosts::mdbook::preprocess(&input);
    assert!(
        out.book_json() == again.book_json(),
        "mdbook: a second run hands back another book"
    );
    assert_eq!(
        summary(&out.findings),
        summary(&again.findings),
        "mdbook: a second run reports other findings"
    );
    let Some(back) = out.book_json() else {
        assert!(
            out.findings.iter().any(Finding::is_error),
            "mdbook: the build failed without an error"
        );
        return;
    };
    assert!(
        !out.findings.iter().any(Finding::is_error),
        "mdbook: a book handed back despite errors"
    );
    let (_, sent): (PreprocessorContext, Book) = serde_json::from_str(&input).expect("confined");
    let back: Book = match serde_json::from_str(&back) {
        Ok(b) => b,
        Err(e) => panic!("mdbook: the book handed back is not a book: {e}"),
    };
    let (sent, back): (Vec<_>, Vec<_>) = (sent.iter().collect(), back.iter().collect());
    assert_eq!(
        sent.len(),
        back.len(),
        "mdbook: the book handed back has other items"
    );
    for (s, b) in sent.iter().zip(&back) {
        match (s, b) {
            (BookItem::Chapter(s), BookItem::Chapter(b)) => {
                assert_eq!(s.name, b.name, "mdbook: a chapter was renamed");
                if !has_directive_syntax(&s.content) {
                    assert!(
                        s.content == b.content,
                        "mdbook: a chapter without directives changed"
                    );
                }
            }
            (s, b) => assert_eq!(
                serde_json::to_string(s).ok(),
                serde_json::to_string(b).ok(),
                "mdbook: a separator or part title changed"
            ),
        }
    }
}
