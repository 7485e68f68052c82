//! Finds directives in a page: `<<#...>>`, the MDX-valid fenced and `{/* ... */}` spellings, and
//! `\<<#` escapes, skipping code exactly as mdBook's Markdown parser sees it. Also finds the JSON
//! code blocks that `check` validates. Only finds; reading a directive is `directive::read`.
//!
//! Over 700 lines only with its unit tests, kept beside the code they pin.

use super::splice::line_prefix;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use std::ops::Range;

/// Something in the page the expansion must act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Directive(Site),
    /// `\<<#`: the backslash at this offset is removed, the rest stays literal.
    Escape(usize),
}

/// Where a directive stands in the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The whole directive, delimiters included.
    pub span: Range<usize>,
    /// The directive's words (without delimiters; for a fence, the info string and body).
    pub text: Range<usize>,
    pub form: crate::page::directive::Form,
    /// Set when the directive stands alone on its line(s): the prefix to repeat on each further
    /// line of a block expansion (blockquote `>` markers, list indentation).
    pub line_prefix: Option<String>,
}

/// A code block that may hold a pasted policy: a fence whose language is empty or names JSON or
/// YAML in any spelling, or indented code. Its content ranges (one per line, container prefixes
/// excluded) and its info string; whether it holds a policy is decided from its text
/// (`page::pasted`).
#[derive(Debug, Clone, PartialEq)]
pub struct PastedBlock {
    pub span: Range<usize>,
    pub content: Vec<Range<usize>>,
    pub lang: BlockLang,
    /// The info string after the language word (attributes such as `title="a.json"` or
    /// `iam=key-policy`), trimmed; empty for indented code.
    pub attributes: Box<str>,
}

/// The language a candidate block is labelled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockLang {
    /// `json`, `JSON`, `json{...}`: strict JSON, as IAM reads it.
    Json,
    /// `jsonc`: JSON with comments and trailing commas.
    Jsonc,
    /// `json5`: read as `jsonc`; what JSON5 adds beyond comments and trailing commas is not read.
    Json5,
    /// `yaml`, `yml`: a CloudFormation or SAM template, if anything.
    Yaml,
    /// A fence with no info string.
    Unlabeled,
    /// Indented code.
    Indented,
}

/// The language of a fence whose info string is `info`, when the block may hold a policy: empty,
/// or JSON or YAML in any spelling (`json`, `JSON`, `jsonc`, `json5`, `yaml`, `yml`, pandoc's
/// `json{...}`). Blocks marked [`UNCHECKED`] are not candidates.
pub fn fence_lang(info: &str) -> Option<(BlockLang, &str)> {
    let info = info.trim();
    let end = info.find([' ', '\t', ',']).unwrap_or(info.len());
    let (first, rest) = info.split_at(end);
    let word = first.split('{').next().unwrap_or("");
    if is_block_word(first) {
        // No language, then block words: ```` ``` iam=trust ````.
        if info.split([' ', '\t', ',']).any(|w| w == UNCHECKED) {
            return None;
        }
        return Some((BlockLang::Unlabeled, info.trim_end()));
    }
    let lang = if first.is_empty() {
        BlockLang::Unlabeled
    } else if word.eq_ignore_ascii_case("json") {
        BlockLang::Json
    } else if word.eq_ignore_ascii_case("jsonc") {
        BlockLang::Jsonc
    } else if word.eq_ignore_ascii_case("json5") {
        BlockLang::Json5
    } else if word.eq_ignore_ascii_case("yaml") || word.eq_ignore_ascii_case("yml") {
        BlockLang::Yaml
    } else {
        return None;
    };
    if unchecked(info) {
        return None;
    }
    Some((lang, rest.trim_start_matches([' ', '\t', ',']).trim_end()))
}

#[derive(Debug, Default)]
pub struct Scan {
    pub found: Vec<Found>,
    /// The code blocks that may hold a pasted policy.
    pub pasted: Vec<PastedBlock>,
    /// `<<#` with no closing `>>` before the paragraph ends.
    pub unclosed: Vec<Range<usize>>,
    /// Code (fenced, indented, inline), sorted by start.
    pub code: Vec<Range<usize>>,
    /// The code blocks among them (fenced, indented), sorted by start. A block ends the
    /// paragraph before it, so no directive closes past one.
    pub code_blocks: Vec<Range<usize>>,
    /// HTML comments (`<!-- ... -->`), sorted by start: a directive in one is commented out and
    /// left alone. Kept apart from code because sync markers are HTML comments themselves.
    pub comments: Vec<Range<usize>>,
    /// Set when mdBook's Markdown parser fails on the page (it panics on a few inputs; mdBook's
    /// own build crashes on them too): the end of the first line at which the page, cut there,
    /// already makes it fail. Nothing else is found then, so nothing on the page is changed.
    pub parser_failure: Option<usize>,
}

fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].end > at
}

impl Scan {
    pub fn in_code(&self, at: usize) -> bool {
        in_ranges(&self.code, at)
    }

    pub fn in_comment(&self, at: usize) -> bool {
        in_ranges(&self.comments, at)
    }

    /// Whether a code block lies (in part) between two offsets: the paragraph ends before it.
    fn block_between(&self, from: usize, to: usize) -> bool {
        let i = self.code_blocks.partition_point(|r| r.start < to);
        i > 0 && self.code_blocks[i - 1].end > from
    }
}

/// The info-string word that keeps a `json` block out of validation, for pages that show a policy
/// that is wrong on purpose (```` ```json iam-unchecked ````).
pub const UNCHECKED: &str = "iam-unchecked";

/// Whether a fence's info string carries [`UNCHECKED`] after its language. Words may be separated
/// by spaces or commas, as mdBook separates them.
fn unchecked(info: &str) -> bool {
    info.split([' ', '\t', ',']).skip(1).any(|w| w == UNCHECKED)
}

/// Whether an info string or comment starts with a directive kind (`iam-` and a letter), not
/// with one of the words a code block takes ([`is_block_word`]).
fn is_directive_word(s: &str) -> bool {
    s.strip_prefix("iam-")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
        && !is_block_word(s)
}

/// The words a code block's info string may carry after its language, or alone on an unlabeled
/// fence: [`UNCHECKED`], the kind (`iam=trust`) and the level words (`iam-allow=CODE`, ...).
fn is_block_word(s: &str) -> bool {
    s == UNCHECKED
        || ["iam=", "iam-allow=", "iam-info=", "iam-warn=", "iam-deny="]
            .iter()
            .any(|p| s.starts_with(p))
}

/// Finds everything in a page. Most pages take a line-based path that locates their code without
/// a full Markdown parse; pages whose code it cannot place exactly take the full parse.
pub fn scan(text: &str) -> Scan {
    let mut out = match fast_code_ranges(text) {
        Some((code, code_blocks, pasted)) => Scan {
            code,
            code_blocks,
            pasted,
            ..Scan::default()
        },
        None => parse_code(text),
    };
    if out.parser_failure.is_none() {
        find_directives(text, &mut out);
    }
    out
}

/// The full path: code, fenced directives and JSON blocks exactly as mdBook's parser sees them.
pub fn scan_full(text: &str) -> Scan {
    let mut out = parse_code(text);
    if out.parser_failure.is_none() {
        find_directives(text, &mut out);
    }
    out
}

fn parse_code(text: &str) -> Scan {
    match guarded(|| parse_code_unguarded(text)) {
        Some(scan) => scan,
        None => Scan {
            parser_failure: Some(failing_prefix(text)),
            ..Scan::default()
        },
    }
}

/// The end of the first line at which the page, cut after it, makes the parser fail: a binary
/// search over line ends keeping "the cut before parses, the cut here fails" (the whole page
/// fails, so such a line exists).
fn failing_prefix(text: &str) -> usize {
    let ends: Vec<usize> = lines(text)
        .scan(0, |at, line| {
            *at += line.len();
            Some(*at)
        })
        .collect();
    let fails = |end: usize| guarded(|| drain(&text[..end])).is_none();
    let (mut lo, mut hi) = (0, ends.len().saturating_sub(1));
    match ends.first() {
        Some(&first) if !fails(first) => {}
        _ => return ends.first().copied().unwrap_or(0),
    }
    // ends[lo] parses, ends[hi] fails.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fails(ends[mid]) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    ends[hi]
}

/// mdBook's parser, with the options mdBook gives it.
fn parser(text: &str) -> pulldown_cmark::Parser<'_> {
    mdbook_markdown::new_cmark_parser(text, &mdbook_markdown::MarkdownOptions::default())
}

fn drain(text: &str) {
    parser(text).into_offset_iter().for_each(drop);
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a parse, turning a panic of the parser into `None`. Written here because the parser is
/// mdBook's own (its panics are its bugs, which a docs build should report, not crash with). The
/// panic hook is wrapped once so that panics inside a guarded parse print nothing; every other
/// panic goes to the hook that was installed before.
fn guarded<T>(parse: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.get() {
                previous(info);
            }
        }));
    });
    let was = GUARDED.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.set(was);
    result.ok()
}

fn parse_code_unguarded(text: &str) -> Scan {
    let mut out = Scan::default();
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut in_pasted: Option<PastedBlock> = None;
    for (event, range) in parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let candidate = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        let first = info.split_whitespace().next().unwrap_or("");
                        if is_directive_word(first) {
                            out.found
                                .push(Found::Directive(fence_site(text, range.clone())));
                            None
                        } else {
                            fence_lang(info).map(|(lang, rest)| (lang, rest.into()))
                        }
                    }
                    CodeBlockKind::Indented => Some((BlockLang::Indented, "".into())),
                };
                if let Some((lang, attributes)) = candidate {
                    in_pasted = Some(PastedBlock {
                        span: range.clone(),
                        content: Vec::new(),
                        lang,
                        attributes,
                    });
                }
                out.code_blocks.push(range.clone());
                code.push(range);
            }
            Event::Text(_) if in_pasted.is_some() => {
                if let Some(b) = in_pasted.as_mut() {
                    b.content.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = in_pasted.take() {
                    out.pasted.push(b);
                }
            }
            Event::Code(_) => code.push(range),
            // A comment is an HTML block of its own (type 2, to the line with `-->`) or a span
            // of inline HTML; the parser's range is the comment's extent either way.
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_)
                if text[range.clone()].trim_start().starts_with("<!--") =>
            {
                out.comments.push(range);
            }
            _ => {}
        }
    }
    code.sort_by_key(|r| r.start);
    out.code = code;
    out
}

/// The finding for a page mdBook's parser fails on: at the line found by [`Scan::parser_failure`].
pub fn parser_failure_finding(
    page: &std::sync::Arc<crate::source::SourceFile>,
    at: usize,
) -> crate::diagnostic::Finding {
    let text = page.text();
    let line_start = text[..at.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |n| n + 1);
    let line_end = text[line_start..at].trim_end_matches(['\n', '\r']).len() + line_start;
    crate::diagnostic::Finding::at(
        crate::diagnostic::Code::UnparsablePage,
        "mdBook's Markdown parser fails on this page (the page cut after this line already makes it fail)",
        &crate::source::Span::new(page, line_start..line_end),
    )
    .with_help(
        "`mdbook build` crashes on this page too: change the Markdown on this line or the lines just above it",
    )
}

/// Searches the text outside code for `<<#`, its escape and the MDX comment form.
fn find_directives(text: &str, out: &mut Scan) {
    let bytes = text.as_bytes();
    let mut closers = Closers::new(text);
    let mut i = 0;
    while let Some(rel) = memchr::memchr2(b'<', b'{', &bytes[i..]) {
        let at = i + rel;
        i = at + 1;
        if out.in_code(at) || out.in_comment(at) {
            continue;
        }
        if text[at..].starts_with("<<#") {
            // `\<<#` is an escape; `\\<<#` is an escaped backslash, then a directive.
            let backslashes = bytes[..at]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 1 {
                out.found.push(Found::Escape(at - 1));
                i = at + 3;
                continue;
            }
            // A `>>` inside code (a fence opening below, say) closes nothing: the paragraph
            // ended before it.
            match closers
                .close(at + 3, true)
                .filter(|&end| !out.in_code(end) && !out.block_between(at, end))
            {
                Some(end) => {
                    out.found.push(Found::Directive(Site {
                        span: at..end + 2,
                        text: at + 3..end,
                        form: crate::page::directive::Form::Angle,
                        line_prefix: line_prefix(text, at, end + 2),
                    }));
                    i = end + 2;
                }
                None => out.unclosed.push(at..at + 3),
            }
        } else if text[at..].starts_with("{/*") {
            let inner = at + 3;
            let word_start = inner + text[inner..].len() - text[inner..].trim_start().len();
            if !is_directive_word(&text[word_start..]) {
                continue;
            }
            if let Some(end) = closers
                .close(inner, false)
                .filter(|&end| !out.in_code(end) && !out.block_between(at, end))
            {
                out.found.push(Found::Directive(Site {
                    span: at..end + 3,
                    text: inner..end,
                    form: crate::page::directive::Form::Comment,
                    line_prefix: line_prefix(text, at, end + 3),
                }));
                i = end + 3;
            }
        }
    }
    out.found.sort_by_key(|f| match f {
        Found::Directive(s) => s.span.start,
        Found::Escape(at) => *at,
    });
}

/// A candidate block's language and attributes.
type Candidate<'t> = (BlockLang, &'t str);

type CodeRanges = (Vec<Range<usize>>, Vec<Range<usize>>, Vec<PastedBlock>);

/// Code ranges found line by line, or `None` when the page has code this cannot place exactly
/// (fences not at column 0 or inside containers, possible indented code, HTML blocks, fenced
/// directives or JSON blocks). Paragraphs that hold a directive candidate and a backtick or `<`
/// are parsed alone for their code spans: a paragraph's inline parse does not depend on the rest
/// of the page once its block boundaries are known.
fn fast_code_ranges(text: &str) -> Option<CodeRanges> {
    // The parser treats a carriage return apart (a line ending of its own, or left out of code
    // blocks' text), a NUL becomes U+FFFD, a byte order mark is not text: pages with any of them
    // take the full parse.
    let b = text.as_bytes();
    if b.starts_with("\u{feff}".as_bytes()) || memchr::memchr2(0, b'\r', b).is_some() {
        return None;
    }
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut code_blocks: Vec<Range<usize>> = Vec::new();
    let mut pasted: Vec<PastedBlock> = Vec::new();
    // The open fence: its character, length, start, where its content starts, and its language
    // and attributes when it may hold a policy.
    let mut fence: Option<(u8, usize, usize, usize, Option<Candidate<'_>>)> = None;
    let pasted_block = |open_at: usize,
                        content_start: usize,
                        content_end: usize,
                        end: usize,
                        (lang, attributes): (BlockLang, &str)| PastedBlock {
        span: open_at..end,
        content: if content_end > content_start {
            std::iter::once(content_start..content_end).collect()
        } else {
            Vec::new()
        },
        lang,
        attributes: attributes.into(),
    };
    let mut block: Option<usize> = None;
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    for line in lines(text) {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((ch, n, open_at, content_start, json)) = fence {
            let body = content
                .strip_prefix("   ")
                .or_else(|| content.strip_prefix("  "))
                .or_else(|| content.strip_prefix(' '))
                .unwrap_or(content);
            let run = body.bytes().take_while(|&b| b == ch).count();
            // Only spaces may follow a closing fence as mdBook's parser reads it (CommonMark
            // also allows tabs; pulldown-cmark 0.13 leaves the block open after a tab, as after a
            // no-break space or a form feed).
            if run >= n && body[run..].bytes().all(|b| b == b' ') {
                code.push(open_at..pos);
                code_blocks.push(open_at..pos);
                if let Some(lang) = json {
                    // The block ends with its closing fence, before the line ending.
                    pasted.push(pasted_block(
                        open_at,
                        content_start,
                        start,
                        start + content.len(),
                        lang,
                    ));
                }
                fence = None;
            }
            continue;
        }
        // Most lines are prose starting with a letter: only a fence-like run inside them matters.
        if content
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
        {
            if memchr::memchr2(b'`', b'~', content.as_bytes()).is_some() && has_fence_run(content) {
                return None;
            }
            block.get_or_insert(start);
            continue;
        }
        let trimmed = content.trim_start_matches([' ', '\t']);
        let is_blank = trimmed.is_empty();
        if is_blank {
            if let Some(b) = block.take() {
                blocks.push(b..start);
            }
            continue;
        }
        if content.starts_with("```") || content.starts_with("~~~") {
            let ch = content.as_bytes()[0];
            let n = content.bytes().take_while(|&b| b == ch).count();
            let info = &content[n..];
            // Entities and escapes in an info string are decoded by the parser.
            if ch == b'`' && info.contains('`') || info.contains(['&', '\\']) {
                return None;
            }
            let first = info.split_whitespace().next().unwrap_or("");
            if is_directive_word(first) {
                return None;
            }
            if let Some(b) = block.take() {
                blocks.push(b..start);
            }
            fence = Some((ch, n, start, pos, fence_lang(info)));
            continue;
        }
        // Container markers followed by four spaces or a tab may open indented code.
        let lead = container_lead(content);
        let fence_like =
            memchr::memchr2(b'`', b'~', content.as_bytes()).is_some() && has_fence_run(content);
        // A definition (`: `) or footnote definition (`[^note]:`) is read by what comes before
        // it (a list item's lazy lines, a term), which a paragraph parsed alone does not see.
        let lead_text = &content[..lead];
        if lead_text.contains("    ") || lead_text.contains(['\t', ':']) || fence_like {
            return None;
        }
        // An HTML block may open here, inside a container too (`- <!--` runs on past blank
        // lines as the list item's content).
        let after_lead = &content[lead..];
        if after_lead.starts_with('<') && !after_lead.starts_with("<<#") {
            return None;
        }

        block.get_or_insert(start);
    }
    // A fence left open to the end of the page: the parser's reading of its last lines is
    // subtle (trailing blank lines), so such pages take the full parse.
    if fence.is_some() {
        return None;
    }
    if let Some(b) = block {
        blocks.push(b..text.len());
    }
    for b in blocks {
        let para = &text[b.clone()];
        let bytes = para.as_bytes();
        let candidate =
            finder(&OPEN).find(bytes).is_some() || finder(&COMMENT).find(bytes).is_some();
        if !candidate {
            continue;
        }
        // A directive may be commented out inside the paragraph (a comment opening a line is an
        // HTML block, which took the full parse above).
        if memchr::memmem::find(bytes, b"<!--").is_some() {
            return None;
        }
        let has_lt = memchr::memchr_iter(b'<', bytes).any(|i| {
            !(bytes[i..].starts_with(b"<<#") || i > 0 && bytes[i - 1..].starts_with(b"<<#"))
        });
        if memchr::memchr(b'`', bytes).is_some() || has_lt {
            // A list marker that cannot interrupt a paragraph (an ordered one not numbered 1,
            // an empty item) continues the paragraph when it is parsed alone, yet may start a
            // new item where the paragraph sits in a list: such paragraphs take the full parse.
            if lines(para).skip(1).any(cannot_interrupt_a_paragraph) {
                return None;
            }
            // A parser failure here sends the page to the full parse, which reports it.
            let spans = guarded(|| {
                parser(para)
                    .into_offset_iter()
                    .filter_map(|(event, range)| {
                        let block = match event {
                            Event::Code(_) => false,
                            Event::Start(Tag::CodeBlock(_)) => true,
                            _ => return None,
                        };
                        Some((b.start + range.start..b.start + range.end, block))
                    })
                    .collect::<Vec<_>>()
            })?;
            for (range, block) in spans {
                if block {
                    code_blocks.push(range.clone());
                }
                code.push(range);
            }
        }
    }
    code.sort_by_key(|r| r.start);
    code_blocks.sort_by_key(|r| r.start);
    Some((code, code_blocks, pasted))
}

/// Whether a line, after its indentation, starts with a list item that may not interrupt a
/// paragraph: an ordered one not numbered 1, or an empty one (`-`, `*`, `+`, or up to nine
/// digits and `.` or `)`, then only blanks).
fn cannot_interrupt_a_paragraph(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (after, numbered_one) = match rest.as_bytes().first() {
        Some(b'-' | b'*' | b'+') => (&rest[1..], true),
        Some(b'0'..=b'9') if digits <= 9 && rest[digits..].starts_with(['.', ')']) => (
            &rest[digits + 1..],
            rest[..digits].trim_start_matches('0') == "1",
        ),
        _ => return false,
    };
    let empty = after
        .trim_end_matches(['\n', '\r'])
        .bytes()
        .all(|b| b == b' ' || b == b'\t');
    (after.is_empty() || after.starts_with([' ', '\t', '\n', '\r'])) && (empty || !numbered_one)
}

/// The length of a line's leading run of what may be container markers: blanks, blockquote and
/// list markers, definition-list colons and footnote-definition labels (`[^note]:`). Over-long
/// on purpose (`1.5` counts): a caller only asks whether four spaces or a tab follow a marker.
fn container_lead(line: &str) -> usize {
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches([
            ' ', '\t', '>', '-', '*', '+', '.', ')', ':', '0', '1', '2', '3', '4', '5', '6', '7',
            '8', '9',
        ]);
        match rest
            .strip_prefix("[^")
            .and_then(|r| r.find("]:").map(|n| &r[n + 2..]))
        {
            Some(after) => rest = after,
            None => return line.len() - rest.len(),
        }
    }
}

type LazyFinder = std::sync::LazyLock<memchr::memmem::Finder<'static>>;
static OPEN: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new("<<#"));
static COMMENT: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new("{/*"));
static CLOSE: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new(">>"));
static COMMENT_CLOSE: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new("*/}"));

static TICKS: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new("```"));
static TILDES: LazyFinder = LazyFinder::new(|| memchr::memmem::Finder::new("~~~"));

/// Whether a line holds a run of three backticks or tildes (a fence, or inline code that looks
/// like one).
fn has_fence_run(line: &str) -> bool {
    let b = line.as_bytes();
    TICKS.find(b).is_some() || TILDES.find(b).is_some()
}

/// The lines of a text, each with its line ending.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |n| at + n + 1);
        let line = &text[at..end];
        at = end;
        Some(line)
    })
}

fn finder(f: &'static LazyFinder) -> &'static memchr::memmem::Finder<'static> {
    f
}

/// Finds where directives close, in one pass over the page: the searches move forward only, so
/// a page with many unclosed `<<#` costs what one pass costs.
struct Closers<'t> {
    text: &'t str,
    /// The next `>>` and `*/}` at or after the last search start (`None`: none left).
    angle: Cursor,
    comment: Cursor,
    /// The start of the next blank line (spaces, tabs, a carriage return) at or after the last
    /// search start.
    blank: Cursor,
}

#[derive(Default)]
struct Cursor {
    from: usize,
    at: Option<Option<usize>>,
}

impl Cursor {
    fn next(&mut self, from: usize, find: impl FnOnce(usize) -> Option<usize>) -> Option<usize> {
        match self.at {
            Some(Some(at)) if at >= from => Some(at),
            Some(None) if from >= self.from => None,
            _ => {
                let found = find(from);
                self.from = from;
                self.at = Some(found);
                found
            }
        }
    }
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

impl<'t> Closers<'t> {
    fn new(text: &'t str) -> Closers<'t> {
        Closers {
            text,
            angle: Cursor::default(),
            comment: Cursor::default(),
            blank: Cursor::default(),
        }
    }

    /// The offset of `>>` (or `*/}` for the MDX form) after `from`, if it comes before the
    /// paragraph ends: a blank line, or the closing text starting its own line (`>>` there would
    /// open a blockquote).
    fn close(&mut self, from: usize, angle: bool) -> Option<usize> {
        let text = self.text;
        let bytes = text.as_bytes();
        let (cursor, finder) = if angle {
            (&mut self.angle, finder(&CLOSE))
        } else {
            (&mut self.comment, finder(&COMMENT_CLOSE))
        };
        let end = cursor.next(from, |f| finder.find(&bytes[f..]).map(|n| f + n))?;
        let blank = self.blank.next(from, |f| {
            let mut nl = memchr::memchr_iter(b'\n', &bytes[f..])
                .map(|n| f + n)
                .peekable();
            while let Some(n) = nl.next() {
                let line_end = nl.peek().copied().unwrap_or(text.len());
                if is_blank(&text[n + 1..line_end]) && line_end < text.len() {
                    return Some(n + 1);
                }
            }
            None
        });
        if blank.is_some_and(|b| b < end) {
            return None;
        }
        // The closing text's own line, up to it: nothing but blanks there ends the paragraph.
        let line_start = memchr::memrchr(b'\n', &bytes[from..end]).map(|n| from + n + 1);
        match line_start {
            Some(s) if is_blank(&text[s..end]) => None,
            _ => Some(end),
        }
    }
}

fn fence_site(text: &str, range: Range<usize>) -> Site {
    // The range covers the opening fence line through the closing fence (and its newline).
    let block = &text[range.clone()];
    let fence_char = block.as_bytes()[0];
    let ticks = block.bytes().take_while(|b| *b == fence_char).count();
    let info_start = range.start + ticks;
    let mut end = range.end;
    if text[..end].ends_with('\n') {
        end -= 1;
    }
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    // The words end where the closing fence line starts.
    let body_end = text[..end]
        .rfind('\n')
        .filter(|&n| n >= info_start)
        .map_or(end, |n| {
            let last = text[n + 1..end].trim_start_matches([' ', '>']);
            if last.starts_with(&text[range.start..range.start + ticks]) {
                n
            } else {
                end
            }
        });
    Site {
        span: range.start..end,
        text: info_start..body_end.max(info_start),
        form: crate::page::directive::Form::Fence,
        line_prefix: line_prefix(text, range.start, end).or(Some(String::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::directive::Form;

    fn sites(text: &str) -> Vec<(String, Option<String>)> {
        scan(text)
            .found
            .into_iter()
            .filter_map(|f| match f {
                Found::Directive(s) => Some((text[s.span].to_string(), s.line_prefix)),
                Found::Escape(_) => None,
            })
            .collect()
    }

    #[test]
    fn finds_a_directive_on_its_own_line() {
        assert_eq!(
            sites("a\n\n<<#iam-policy x>>\n"),
            [("<<#iam-policy x>>".into(), Some(String::new()))]
        );
    }

    #[test]
    fn inline_directive_has_no_prefix() {
        assert_eq!(
            sites("Grant <<#iam-actions x>> only."),
            [("<<#iam-actions x>>".into(), None)]
        );
    }

    #[test]
    fn directive_may_span_lines() {
        assert_eq!(
            sites("<<#iam-policy\n  x y>>\n")[0].0,
            "<<#iam-policy\n  x y>>"
        );
    }

    #[test]
    fn unclosed_at_paragraph_end() {
        let s = scan("<<#iam-policy x\n\nmore>>");
        assert!(s.found.is_empty());
        assert_eq!(s.unclosed, vec![0..3]);
    }

    #[test]
    fn left_alone_in_fenced_indented_and_inline_code() {
        assert!(sites("```\n<<#iam-policy x>>\n```\n").is_empty());
        assert!(sites("para\n\n    <<#iam-policy x>>\n").is_empty());
        assert!(sites("see `<<#iam-policy x>>` here").is_empty());
        assert!(sites("~~~md\n{/* iam-policy x */}\n~~~\n").is_empty());
    }

    #[test]
    fn escape_is_found_not_expanded() {
        let s = scan("write \\<<#iam-policy x>> like this");
        assert_eq!(s.found, [Found::Escape(6)]);
    }

    #[test]
    fn list_and_blockquote_prefixes() {
        assert_eq!(sites("- <<#iam-policy x>>\n")[0].1.as_deref(), Some("  "));
        assert_eq!(
            sites("10. <<#iam-policy x>>\n")[0].1.as_deref(),
            Some("    ")
        );
        assert_eq!(sites("> <<#iam-policy x>>\n")[0].1.as_deref(), Some("> "));
        assert_eq!(
            sites("> - <<#iam-policy x>>\n")[0].1.as_deref(),
            Some(">   ")
        );
        assert_eq!(sites("text <<#iam-policy x>>\n")[0].1, None);
        assert_eq!(sites("<<#iam-policy x>> text\n")[0].1, None);
    }

    #[test]
    fn mdx_spellings() {
        let text =
            "```iam-policy s3-readonly mcp-scoped\n```\n\nUse {/* iam-actions s3 */} here.\n";
        let s = scan(text);
        let Found::Directive(fence) = &s.found[0] else {
            panic!()
        };
        assert_eq!(fence.form, Form::Fence);
        assert_eq!(
            &text[fence.span.clone()],
            "```iam-policy s3-readonly mcp-scoped\n```"
        );
        assert_eq!(
            &text[fence.text.clone()],
            "iam-policy s3-readonly mcp-scoped"
        );
        let Found::Directive(c) = &s.found[1] else {
            panic!()
        };
        assert_eq!(c.form, Form::Comment);
        assert_eq!(&text[c.text.clone()], " iam-actions s3 ");
        assert!(sites("{/* a comment */}").is_empty());
    }

    #[test]
    fn fence_body_holds_more_words() {
        let text = "```iam-callout not-authorized\naction=s3:ListBucket\n```";
        let Found::Directive(f) = &scan(text).found[0] else {
            panic!()
        };
        assert_eq!(
            &text[f.text.clone()],
            "iam-callout not-authorized\naction=s3:ListBucket"
        );
    }

    /// Whenever the line-based path answers, it finds what the full parse finds.
    fn paths_agree(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        if fast_code_ranges(text).is_some() {
            let fast = scan(text);
            let full = scan_full(text);
            proptest::prop_assert_eq!(fast.found, full.found, "text: {:?}", text);
            proptest::prop_assert_eq!(fast.unclosed, full.unclosed, "text: {:?}", text);
            proptest::prop_assert_eq!(fast.pasted, full.pasted, "text: {:?}", text);
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, failure_persistence: None, ..Default::default() })]

        /// The line-based path, whenever it answers, finds exactly what the full parse finds.
        #[test]
        fn fast_path_agrees_with_the_full_parse(tokens in proptest::collection::vec(proptest::sample::select(vec![
            "<<#iam-policy a>>", "<<#iam-policy\nb>>", "<<#", ">>", "`", "``", "```", "~~~", "```iam-policy a", "```json", "\n", "\n\n",
            " ", "   ", "    ", "\t", "> ", "- ", "1. ", "a", "\\", "<b>", "</b>", "<pre>", "{/* iam-actions a */}", "{/*", "*/}",
            "[x](y)", "**", "# h", "---", "|", "<http://a>", "&amp;",
            // Bytes a line-based reading easily gets wrong: other line endings and whitespace,
            // NUL, a byte order mark, text in other scripts before a `<`.
            "\r", "\r\n", "\u{a0}", "\u{c}", "\u{b}", "\0", "\u{feff}", "\u{2003}", "é<", "日本語<b>", "€<10",
            // JSON blocks and comments, which the line-based path finds too.
            "{", "}", "\"Effect\"", "```jsonc", "~~~json", "```json{x}", "``` json", "<!--", "-->", "&#111;",
            "```JSON title=\"a\"", "```yaml", "```json5,iam=trust", "```json iam-unchecked", "```bash",
            "``` iam=trust", "``` iam-allow=x", "```iam-unchecked",
            // Containers a paragraph parsed alone does not see: definitions, footnote
            // definitions, HTML opened inside a list item; heading attributes.
            ": ", "[^n]: ", "[^1]:", "[", "]", "- <!--", "> <pre>", "{#id}", "===", "2. ", "0) ", "-\n", "```\t",
        ]), 0..40)) {
            let text: String = tokens.concat();
            paths_agree(&text)?;
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, failure_persistence: None, ..Default::default() })]

        /// The same on pages built from ordinary Markdown lines, where the line-based path
        /// answers most of the time (the test above mostly exercises its refusals).
        #[test]
        fn fast_path_agrees_on_ordinary_pages(lines in proptest::collection::vec(proptest::sample::select(vec![
            "Some prose with `code` and <<#iam-actions a>> inline.\n", "Prose <<#iam-policy a>> shares a line.\n",
            "<<#iam-policy a>>\n", "<<#iam-policy\n", "  b>>\n", "\n", "\n", "- item <<#iam-actions a>>\n", "1. step\n",
            "> quoted <<#iam-actions a>>\n", "```json\n", "~~~json\n", "```bash\n", "```\n", "~~~\n", "{\n", "  \"Effect\": \"Allow\"\n",
            "}\n", "    indented <<#iam-policy a>>\n", "# Heading\n", "| a | b |\n", "text `<<#iam-policy a>>` in code\n",
            "``two`` <<#iam-actions a>>\n", "use {/* iam-actions a */} here\n", "\\<<#iam-policy a>>\n", "`unclosed <<#iam-actions a>>\n",
            "Term\n", ": a definition <<#iam-actions a>>\n", ":     indented\n", "[^note]: a footnote `x`\n", "- <!--\n", "-->\n",
            "   <<#iam-actions a>> and `code`\n", "```JSON\n", "```jsonc title=\"a.json\"\n", "```yml\n",
            "```json iam=key-policy\n", "```json iam-unchecked\n",
        ]), 0..30)) {
            let text: String = lines.concat();
            paths_agree(&text)?;
        }
    }

    #[test]
    fn pages_read_by_their_context_take_the_full_parse() {
        for page in [
            // Definitions and footnote definitions.
            "Term\n:     <<#iam-actions a>>\n",
            "[^1]: *     <<#iam-actions a>>\n",
            "[^note]: x\n\n  `<<#iam-actions a>>\n: `\n",
            // An HTML comment opened in a list item runs past the blank line.
            "- <!--\n\n  <<#iam-actions a>>\n",
            // `2.` continues a paragraph parsed alone but starts an item in the list.
            "1. a\n\n   `x <<#iam-actions a>>\n2. y`\n",
        ] {
            assert!(fast_code_ranges(page).is_none(), "{page:?}");
            assert_eq!(scan(page).found, scan_full(page).found, "{page:?}");
        }
        // A closing fence followed by a tab does not close the block for mdBook's parser.
        let page = "```json\n{}\n```\t\n\n<<#iam-actions a>>\n";
        assert_eq!(scan(page).found, Vec::new());
        assert_eq!(scan(page).pasted, scan_full(page).pasted);
        // Items that may interrupt a paragraph keep the line-based path.
        assert!(fast_code_ranges("1. a `x` <<#iam-actions a>>\n1. b\n- c `y`\n").is_some());
    }

    #[test]
    fn no_directive_closes_past_a_code_block() {
        // The block ends the paragraph the opening is in, so the closing text after it closes
        // nothing; the fenced directive is found on its own.
        let page = "{/* iam-actions\n```iam-callout x\n```\na */}\n";
        let found = scan(page).found;
        assert_eq!(found, scan_full(page).found);
        assert!(
            matches!(found.as_slice(), [Found::Directive(s)] if s.form == Form::Fence),
            "{found:?}"
        );
        for page in [
            "<<#iam-actions a\n```\ncode\n```\nb>>\n",
            "<<#iam-actions a\n~~~\n~~~\nb>>\n",
        ] {
            let (fast, full) = (scan(page), scan_full(page));
            assert!(fast.found.is_empty(), "{page:?}: {:?}", fast.found);
            assert_eq!(fast.unclosed, vec![0..3], "{page:?}");
            assert_eq!(full.unclosed, fast.unclosed, "{page:?}");
        }
    }

    #[test]
    fn a_parser_failure_is_located_and_finds_nothing() {
        // pulldown-cmark 0.13.6 panics on a setext heading with an attribute block in a list
        // item; the tab keeps the line-based path from answering.
        let page = "<<#iam-actions a>>\n\n- Step one\n\tnotes\n   {#notes}\n  ===\n\nMore.\n";
        let at = page.find("  ===\n").unwrap() + "  ===\n".len();
        for scanned in [scan(page), scan_full(page)] {
            assert_eq!(scanned.parser_failure, Some(at));
            assert!(scanned.found.is_empty() && scanned.code.is_empty());
        }
        // A page the parser reads has none.
        assert_eq!(scan_full("- Step one\n  notes\n").parser_failure, None);
    }

    #[test]
    fn the_line_based_path_answers_for_most_ordinary_pages() {
        // Pages of prose, lists, top-level fences and JSON blocks, as books are written.
        let page = "# T\n\nProse with `code` and <<#iam-actions a>>.\n\n```json\n{\n  \"Effect\": \"Allow\"\n}\n```\n\n- item\n- item\n\n<<#iam-policy a>>\n";
        let (_, _, blocks) = fast_code_ranges(page).expect("answered line by line");
        assert_eq!(blocks.len(), 1);
    }

    #[test]
    fn fast_path_is_taken_for_plain_pages() {
        assert!(
            fast_code_ranges("# T\n\ntext `code` here\n\n```bash\nls\n```\n\n<<#iam-policy a>>\n")
                .is_some()
        );
        assert!(fast_code_ranges("- item\n\n  ```\n  code\n  ```\n").is_none());
        assert!(fast_code_ranges("```iam-policy a\n```\n").is_none());
        // JSON blocks at the top level are found line by line, as the parser finds them.
        for page in [
            "```json\n{}\n```\n",
            "a\n\n~~~json\n{\n}\n~~~\nb\n",
            "```json\n```",
        ] {
            let (_, _, blocks) = fast_code_ranges(page).expect("the line-based path");
            assert_eq!(blocks, scan_full(page).pasted, "{page:?}");
        }
        assert!(fast_code_ranges(">     <<#iam-policy a>>").is_none());
        assert!(fast_code_ranges("-     <<#iam-policy a>>").is_none());
    }

    #[test]
    fn unchecked_pasted_are_not_collected() {
        assert_eq!(scan("```json iam-unchecked\n{}\n```\n").pasted.len(), 0);
        assert_eq!(scan("```json,iam-unchecked\n{}\n```\n").pasted.len(), 0);
        assert_eq!(
            scan("```json title=\"a.json\" iam-unchecked\n{}\n```\n")
                .pasted
                .len(),
            0
        );
        // Only as a word of its own after the language.
        assert_eq!(scan("```json iam-uncheckedx\n{}\n```\n").pasted.len(), 1);
        assert_eq!(scan("```json\n{}\n```\n").pasted.len(), 1);
    }

    #[test]
    fn finds_pasted_with_content_ranges() {
        let text = "> ```json\n> {\"a\": 1}\n> ```\n";
        let s = scan(text);
        assert_eq!(s.pasted.len(), 1);
        let content: String = s.pasted[0]
            .content
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(content, "{\"a\": 1}\n");
    }
}
