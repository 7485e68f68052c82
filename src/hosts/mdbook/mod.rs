//! The mdBook host: reads `[context, book]` from mdBook, expands every chapter, and returns the
//! book. A thin adapter: configuration and chapter bookkeeping here, everything else in `expand`.

pub mod install;

use crate::aws_data::AwsData;
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::expand::Expander;
use crate::render::Flavor;
use crate::source::SourceFile;
use crate::source::Span;
use crate::validate::Validator;
use mdbook_preprocessor::book::{Book, BookItem};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The mdBook versions whose protocol this binary speaks.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// `[preprocessor.iam]`. mdBook's own keys are accepted and ignored; anything else is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Config {
    catalog: Option<PathBuf>,
    flavor: Option<String>,
    /// A folder with fresher AWS data, relative to the book root.
    aws_data: Option<PathBuf>,
    #[serde(flatten)]
    other: BTreeMap<String, toml::Value>,
}

const MDBOOK_KEYS: [&str; 5] = ["command", "renderers", "before", "after", "optional"];

pub struct Outcome {
    /// The book to hand back; `None` when the build must fail.
    pub book: Option<Book>,
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// The book as the JSON mdBook reads back.
    pub fn book_json(&self) -> Option<String> {
        let book = self.book.as_ref()?;
        Some(serde_json::to_string(book).expect("a book serializes"))
    }
}

/// Writes the book as mdBook reads it back, streamed (the expanded book is never held twice).
pub fn write_book(book: &Book, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut w, book)?;
    std::io::Write::flush(&mut w)
}

fn fail(findings: Vec<Finding>) -> Outcome {
    Outcome {
        book: None,
        findings,
    }
}

/// The flavor for a renderer when the book does not set one.
pub fn flavor_for_renderer(renderer: &str) -> Flavor {
    match renderer {
        "markdown" => Flavor::Gfm,
        _ => Flavor::Mdbook,
    }
}

pub fn supports_renderer(_renderer: &str) -> bool {
    // Every renderer gets Markdown; `flavor_for_renderer` picks what suits it.
    true
}

/// `mdbook_version` from the request's context, reading nothing else of the book.
fn request_version(input: &str) -> Result<String, serde_json::Error> {
    #[derive(Deserialize)]
    struct Ctx {
        mdbook_version: String,
    }
    let (ctx, _): (Ctx, serde::de::IgnoredAny) = serde_json::from_str(input)?;
    Ok(ctx.mdbook_version)
}

pub fn preprocess(input: &str) -> Outcome {
    preprocess_owned(input.to_string(), None)
}

/// As [`preprocess`], from the request's bytes as read: a request that is not UTF-8 is a
/// located `invalid-encoding` finding. `aws` (from `--aws-data`) overrides the book's
/// `aws-data` and the built-in data.
pub fn preprocess_bytes(input: Vec<u8>, aws: Option<&AwsData>) -> Outcome {
    match String::from_utf8(input) {
        Ok(text) => preprocess_owned(text, aws),
        Err(e) => match crate::files::text("<mdBook request>".into(), e.into_bytes()) {
            Err(f) => fail(vec![f]),
            Ok(_) => unreachable!("the bytes were just found not to be UTF-8"),
        },
    }
}

/// Why a request could not be read, checked in this order: an mdBook of another version (whose
/// JSON may differ), a request cut short, anything else.
fn unreadable(input: &str, e: &serde_json::Error) -> Finding {
    let eof = e.is_eof();
    match request_version(input).as_deref().map(semver::Version::parse) {
        Ok(Ok(v)) if !supported().matches(&v) => other_mdbook(&v),
        _ if eof => Finding::new(
            Code::UnsupportedMdbook,
            format!("mdBook's request is cut short: the JSON ends at byte {} (line {}, column {}) before it is complete", input.len(), e.line(), e.column()),
            None,
        )
        .with_help("the process that ran mdbook-iam closed its input early; run `mdbook build` again"),
        Ok(Ok(_)) => Finding::new(
            Code::UnsupportedMdbook,
            format!("cannot read mdBook's request: {e:#}"),
            None,
        ),
        _ => Finding::new(Code::UnsupportedMdbook, "the input is not an mdBook preprocessor request ([context, book] JSON with `mdbook_version`)", None)
            .with_help("mdbook-iam without arguments is run by `mdbook build`; use `mdbook-iam expand FILE` on the command line"),
    }
}

fn supported() -> semver::VersionReq {
    semver::VersionReq::parse(SUPPORTED_MDBOOK).expect("valid requirement")
}

fn other_mdbook(v: &semver::Version) -> Finding {
    Finding::new(Code::UnsupportedMdbook, format!("mdbook-iam {} works with mdBook {SUPPORTED_MDBOOK}, but this book is built by mdBook {v}", env!("CARGO_PKG_VERSION")), None)
        .with_help("install mdBook 0.5 (`cargo install mdbook --locked --version 0.5.4`), or an mdbook-iam release for your mdBook")
}

fn preprocess_owned(input: String, aws: Option<&AwsData>) -> Outcome {
    // The same as `mdbook_preprocessor::parse_input`, from the text read rather than a reader
    // (faster). The request is let go as soon as it is parsed: a large book is held once.
    let parsed: Result<(mdbook_preprocessor::PreprocessorContext, Book), _> =
        serde_json::from_str(&input);
    let (ctx, mut book) = match parsed {
        Ok(x) => x,
        Err(e) => return fail(vec![unreadable(&input, &e)]),
    };
    drop(input);
    match semver::Version::parse(&ctx.mdbook_version) {
        Ok(v) if supported().matches(&v) => {}
        Ok(v) => return fail(vec![other_mdbook(&v)]),
        Err(_) => {
            return fail(vec![Finding::new(
                Code::UnsupportedMdbook,
                format!(
                    "mdBook's request names the version `{}`, which is not a version number",
                    ctx.mdbook_version
                ),
                None,
            )]);
        }
    }
    let config: Config = match ctx.config.get("preprocessor.iam") {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            return fail(vec![Finding::new(
                Code::InvalidConfig,
                format!("[preprocessor.iam] in book.toml: {e:#}"),
                None,
            )]);
        }
    };
    let mut findings = Vec::new();
    for key in config.other.keys() {
        if !MDBOOK_KEYS.contains(&key.as_str()) {
            let mut f = Finding::new(
                Code::InvalidConfig,
                format!("unknown key `{key}` in [preprocessor.iam] of book.toml"),
                None,
            );
            f = f.with_help(
                did_you_mean(key, ["catalog", "flavor"].into_iter().chain(MDBOOK_KEYS))
                    .unwrap_or_else(|| "known keys: catalog, flavor (and mdBook's own)".into()),
            );
            findings.push(f);
        }
    }
    let flavor = match config.flavor.as_deref() {
        None => flavor_for_renderer(&ctx.renderer),
        Some(f) => match Flavor::parse(f) {
            Some(fl) => fl,
            None => {
                findings.push(
                    Finding::new(
                        Code::InvalidConfig,
                        format!("unknown flavor `{f}` in [preprocessor.iam]"),
                        None,
                    )
                    .with_help("use mdbook, docusaurus or gfm"),
                );
                Flavor::Mdbook
            }
        },
    };
    if !findings.is_empty() {
        return fail(findings);
    }
    let config_span = |key: &str| book_toml_span(&ctx.root, key);
    let from_book;
    let aws = match (aws, &config.aws_data) {
        (Some(a), _) => a,
        (None, Some(dir)) => {
            let path = ctx.root.join(dir);
            if !crate::files::within(&path, &ctx.root) {
                return fail(vec![outside_book(
                    &path,
                    "aws-data",
                    config_span("aws-data"),
                )]);
            }
            match AwsData::from_dir(&path) {
                Ok(d) => {
                    from_book = d;
                    &from_book
                }
                Err(e) => {
                    return fail(vec![Finding::new(
                        Code::InvalidConfig,
                        format!("aws-data in [preprocessor.iam]: {e}"),
                        config_span("aws-data"),
                    )]);
                }
            }
        }
        (None, None) => AwsData::embedded(),
    };
    let catalog_path = ctx.root.join(
        config
            .catalog
            .unwrap_or_else(|| PathBuf::from(crate::catalog::DEFAULT_FILE_NAME)),
    );
    if !crate::files::within(&catalog_path, &ctx.root) {
        return fail(vec![outside_book(
            &catalog_path,
            "catalog",
            config_span("catalog"),
        )]);
    }
    let loaded = crate::run::open_catalog(&catalog_path, &ctx.root, aws);
    findings.extend(loaded.findings);
    if findings.iter().any(Finding::is_error) {
        return fail(findings);
    }
    let expander = Expander::with_validator(Validator::with_aws_data(&loaded.catalog, aws), flavor);
    let src = ctx.config.book.src.clone();
    book.for_each_mut(|item| {
        let BookItem::Chapter(ch) = item else { return };
        let name = match &ch.source_path {
            Some(p) => src.join(p).display().to_string(),
            None => format!("{} (chapter `{}`)", src.display(), ch.name),
        };
        let page = SourceFile::new(name, std::mem::take(&mut ch.content));
        let mut exp = expander.expand(&page);
        crate::diagnostic::levels::apply(&loaded.catalog.lints, &mut exp.findings);
        if exp.has_errors() {
            ch.content = page.text().to_string();
        } else {
            ch.content = exp.text;
        }
        if exp.findings.is_empty() {
            return;
        }
        match &ch.source_path {
            Some(p) => findings.extend(locate_in_sources(exp.findings, &page, &ctx.root, &src, p)),
            None => findings.extend(exp.findings),
        }
    });
    if findings.iter().any(Finding::is_error) {
        return fail(findings);
    }
    Outcome {
        book: Some(book),
        findings,
    }
}

/// A configured path that leaves the book's folder.
fn outside_book(path: &Path, key: &str, at: Option<Span>) -> Finding {
    Finding::new(
        Code::OutsideDocsTree,
        format!(
            "`{key}` in [preprocessor.iam] names {}, outside the book's folder; mdbook-iam reads only files inside it",
            path.display()
        ),
        at,
    )
    .with_help(format!("move the {key} into the book's folder (next to book.toml) and name it relative to it"))
}

/// Where `[preprocessor.iam] KEY` is written in the book's `book.toml`, when it can be found.
fn book_toml_span(root: &Path, key: &str) -> Option<Span> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    let table = toml::de::DeTable::parse(&text).ok()?;
    let pre = table.get_ref().get("preprocessor")?;
    let toml::de::DeValue::Table(pre) = pre.get_ref() else {
        return None;
    };
    let iam = pre.get("iam")?;
    let toml::de::DeValue::Table(iam) = iam.get_ref() else {
        return None;
    };
    let value = iam.get(key)?;
    let file = SourceFile::new("book.toml", text.clone());
    Some(Span::new(&file, value.span()))
}

/// mdBook hands over chapters with `{{#include}}`s already expanded, so a finding's line is one
/// of the expanded chapter. Where the chapter's file differs from that text, each finding is moved
/// to the file (the chapter's or an included one) holding its line, when exactly one line of
/// those files matches; otherwise it keeps the chapter's line and says so.
fn locate_in_sources(
    findings: Vec<Finding>,
    page: &Arc<SourceFile>,
    root: &Path,
    src: &Path,
    chapter: &Path,
) -> Vec<Finding> {
    let chapter_path = root.join(src).join(chapter);
    let Ok(on_disk) = std::fs::read_to_string(&chapter_path) else {
        return findings;
    };
    if on_disk == page.text() {
        return findings;
    }
    let mut files = Vec::new();
    collect_sources(
        &chapter_path,
        src.join(chapter),
        on_disk,
        root,
        &mut files,
        0,
    );
    findings
        .into_iter()
        .map(|f| {
            let Some(span) = f.span.clone().filter(|s| Arc::ptr_eq(&s.file, page)) else { return f };
            let (line, _) = span.line_col();
            let text = page.line_text(line);
            let line_start = page.text()[..span.range.start].rfind('\n').map_or(0, |n| n + 1);
            let within = span.range.start - line_start;
            let hits: Vec<(&Arc<SourceFile>, usize)> = files
                .iter()
                .flat_map(|file| {
                    let mut at = 0;
                    file.text().split_inclusive('\n').filter_map(move |l| {
                        let start = at;
                        at += l.len();
                        (l.trim_end_matches(['\n', '\r']) == text).then_some((file, start))
                    })
                })
                .collect();
            match hits.as_slice() {
                [(file, start)] => {
                    let begin = start + within;
                    let end = (begin + span.range.len()).min(start + text.len()).max(begin);
                    let mut moved = f.clone();
                    moved.span = Some(Span::new(file, begin..end));
                    moved
                }
                _ => f.with_note(None, "the line is counted in the chapter as mdBook hands it over, with {{#include}}d files expanded"),
            }
        })
        .collect()
}

/// The chapter's file and the files it includes (`{{#include}}`, `{{#rustdoc_include}}`), named
/// relative to the book root.
fn collect_sources(
    path: &Path,
    name: PathBuf,
    text: String,
    root: &Path,
    out: &mut Vec<Arc<SourceFile>>,
    depth: usize,
) {
    let includes: Vec<PathBuf> = text
        .match_indices("{{#")
        .filter_map(|(i, _)| {
            let rest = &text[i + 3..];
            let rest = rest
                .strip_prefix("include ")
                .or_else(|| rest.strip_prefix("rustdoc_include "))?;
            let target = rest[..rest.find("}}")?].trim();
            let file = target.split(':').next()?.trim();
            Some(path.parent().unwrap_or(Path::new(".")).join(file))
        })
        .collect();
    out.push(SourceFile::new(name.display().to_string(), text));
    if depth >= 4 {
        return;
    }
    for inc in includes {
        // Only regular files inside the book are opened (a FIFO would hang the build).
        if !crate::files::really_within(&inc, root) || !inc.is_file() {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(&inc) {
            let rel = inc
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| inc.clone());
            if !out.iter().any(|f| f.name() == rel.display().to_string()) {
                collect_sources(&inc, rel, t, root, out, depth + 1);
            }
        }
    }
}
