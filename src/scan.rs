//! Finds directives in a page: `<<#...>>`, the MDX-valid fenced and `{/* ... */}` spellings, and
//! `\<<#` escapes, skipping code exactly as mdBook's Markdown parser sees it. Also finds the JSON
//! code blocks that `check` validates. Only finds; reading a directive is `directive::read`.

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
    pub form: crate::directive::Form,
    /// Set when the directive stands alone on its line(s): the prefix to repeat on each further
    /// line of a block expansion (blockquote `>` markers, list indentation).
    pub line_prefix: Option<String>,
}

/// A fenced ```json block: its content ranges (one per line, container prefixes excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonBlock {
    pub span: Range<usize>,
    pub content: Vec<Range<usize>>,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub found: Vec<Found>,
    pub json_blocks: Vec<JsonBlock>,
    /// `<<#` with no closing `>>` before the paragraph ends.
    pub unclosed: Vec<Range<usize>>,
}

/// Whether an info string or comment starts with a directive kind (`iam-` and a letter).
fn is_directive_word(s: &str) -> bool {
    s.strip_prefix("iam-").is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
}

pub fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let mut code: Vec<Range<usize>> = Vec::new();
    let parser = mdbook_markdown::new_cmark_parser(text, &mdbook_markdown::MarkdownOptions::default());
    let mut in_json: Option<JsonBlock> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                if let CodeBlockKind::Fenced(info) = &kind {
                    let first = info.split_whitespace().next().unwrap_or("");
                    if is_directive_word(first) {
                        out.found.push(Found::Directive(fence_site(text, range.clone())));
                    } else if first == "json" || first.starts_with("json{") {
                        in_json = Some(JsonBlock { span: range.clone(), content: Vec::new() });
                    }
                }
                code.push(range);
            }
            Event::Text(_) if in_json.is_some() => {
                if let Some(b) = in_json.as_mut() {
                    b.content.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = in_json.take() {
                    out.json_blocks.push(b);
                }
            }
            Event::Code(_) => code.push(range),
            _ => {}
        }
    }
    code.sort_by_key(|r| r.start);
    let in_code = |at: usize| {
        let i = code.partition_point(|r| r.start <= at);
        i > 0 && code[i - 1].end > at
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(rel) = text[i..].find(['<', '{']) {
        let at = i + rel;
        i = at + 1;
        if in_code(at) {
            continue;
        }
        if text[at..].starts_with("<<#") {
            if at > 0 && bytes[at - 1] == b'\\' {
                out.found.push(Found::Escape(at - 1));
                i = at + 3;
                continue;
            }
            match closing(text, at + 3, ">>") {
                Some(end) => {
                    out.found.push(Found::Directive(Site {
                        span: at..end + 2,
                        text: at + 3..end,
                        form: crate::directive::Form::Angle,
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
            if let Some(end) = closing(text, inner, "*/}") {
                out.found.push(Found::Directive(Site {
                    span: at..end + 3,
                    text: inner..end,
                    form: crate::directive::Form::Comment,
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
    out
}

/// The offset of `close`, if it comes before the paragraph ends (a blank line).
fn closing(text: &str, from: usize, close: &str) -> Option<usize> {
    let end = text[from..].find(close)? + from;
    let between = &text[from..end];
    let blank_line = between.split('\n').skip(1).any(|l| l.trim().is_empty());
    (!blank_line).then_some(end)
}

/// For a directive alone on its line(s), the prefix that further lines of its expansion need.
fn line_prefix(text: &str, start: usize, end: usize) -> Option<String> {
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let before = &text[line_start..start];
    let after = text[end..].split('\n').next().unwrap_or("");
    if !after.trim().is_empty() {
        return None;
    }
    continuation_prefix(before)
}

/// `> - ` becomes `>   `: blockquote markers stay, list markers become indentation. `None` when
/// the text is not only container markers.
fn continuation_prefix(before: &str) -> Option<String> {
    let mut out = String::with_capacity(before.len());
    let mut rest = before;
    while !rest.is_empty() {
        let c = rest.chars().next().expect("non-empty");
        if c == '>' || c == ' ' || c == '\t' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let marker_len = if matches!(c, '-' | '*' | '+') {
            1
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 || !matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        };
        if !matches!(rest.as_bytes().get(marker_len), Some(b' ' | b'\t')) {
            return None;
        }
        out.extend(std::iter::repeat_n(' ', marker_len));
        rest = &rest[marker_len..];
    }
    Some(out)
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
    let body_end = text[..end].rfind('\n').filter(|&n| n >= info_start).map_or(end, |n| {
        let last = text[n + 1..end].trim_start_matches([' ', '>']);
        if last.starts_with(&text[range.start..range.start + ticks]) { n } else { end }
    });
    Site {
        span: range.start..end,
        text: info_start..body_end.max(info_start),
        form: crate::directive::Form::Fence,
        line_prefix: line_prefix(text, range.start, end).or(Some(String::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directive::Form;

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
        assert_eq!(sites("a\n\n<<#iam-policy x>>\n"), [("<<#iam-policy x>>".into(), Some(String::new()))]);
    }

    #[test]
    fn inline_directive_has_no_prefix() {
        assert_eq!(sites("Grant <<#iam-actions x>> only."), [("<<#iam-actions x>>".into(), None)]);
    }

    #[test]
    fn directive_may_span_lines() {
        assert_eq!(sites("<<#iam-policy\n  x y>>\n")[0].0, "<<#iam-policy\n  x y>>");
    }

    #[test]
    fn unclosed_at_paragraph_end() {
        let s = scan("<<#iam-policy x\n\nmore>>");
        assert!(s.found.is_empty());
        assert_eq!(s.unclosed, [0..3]);
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
        assert_eq!(sites("10. <<#iam-policy x>>\n")[0].1.as_deref(), Some("    "));
        assert_eq!(sites("> <<#iam-policy x>>\n")[0].1.as_deref(), Some("> "));
        assert_eq!(sites("> - <<#iam-policy x>>\n")[0].1.as_deref(), Some(">   "));
        assert_eq!(sites("text <<#iam-policy x>>\n")[0].1, None);
        assert_eq!(sites("<<#iam-policy x>> text\n")[0].1, None);
    }

    #[test]
    fn mdx_spellings() {
        let text = "```iam-policy s3-readonly mcp-scoped\n```\n\nUse {/* iam-actions s3 */} here.\n";
        let s = scan(text);
        let Found::Directive(fence) = &s.found[0] else { panic!() };
        assert_eq!(fence.form, Form::Fence);
        assert_eq!(&text[fence.span.clone()], "```iam-policy s3-readonly mcp-scoped\n```");
        assert_eq!(&text[fence.text.clone()], "iam-policy s3-readonly mcp-scoped");
        let Found::Directive(c) = &s.found[1] else { panic!() };
        assert_eq!(c.form, Form::Comment);
        assert_eq!(&text[c.text.clone()], " iam-actions s3 ");
        assert!(sites("{/* a comment */}").is_empty());
    }

    #[test]
    fn fence_body_holds_more_words() {
        let text = "```iam-callout not-authorized\naction=s3:ListBucket\n```";
        let Found::Directive(f) = &scan(text).found[0] else { panic!() };
        assert_eq!(&text[f.text.clone()], "iam-callout not-authorized\naction=s3:ListBucket");
    }

    #[test]
    fn finds_json_blocks_with_content_ranges() {
        let text = "> ```json\n> {\"a\": 1}\n> ```\n";
        let s = scan(text);
        assert_eq!(s.json_blocks.len(), 1);
        let content: String = s.json_blocks[0].content.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(content, "{\"a\": 1}\n");
    }
}
