//! What the cursor is in: a directive's words (written whole, or half-typed with no closing
//! `>>` yet), or a policy's JSON (a pasted code block) or the catalog's TOML, read just far enough
//! to say which element's value or key is being typed. Completion, hover and definition start
//! here.

use crate::page::scan::{Found, Scan};
use std::ops::Range;

/// A directive around the cursor.
#[derive(Debug, Clone)]
pub struct DirectiveAt {
    /// The directive's words (delimiters excluded), up to the closing delimiter or, for a
    /// directive still being typed, up to the cursor.
    pub words: Range<usize>,
    /// The whole directive, when it is closed (its site in the page's scan).
    pub site: Option<usize>,
}

/// One whitespace-separated word of a directive, by byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub range: Range<usize>,
    pub text: String,
}

/// The directive whose words hold `at`, or the one being typed before it (an opening `<<#` or
/// `{/*` with no closing in the same paragraph, or a fence line whose info starts with `iam-`).
pub fn directive_at(text: &str, scan: &Scan, at: usize) -> Option<DirectiveAt> {
    for (i, f) in scan.found.iter().enumerate() {
        // The whole directive, delimiters included, but not the position just after it, where
        // the next text is typed.
        if let Found::Directive(site) = f
            && site.span.start <= at
            && (at < site.span.end || at == site.text.end)
        {
            return Some(DirectiveAt {
                words: site.text.clone(),
                site: Some(i),
            });
        }
    }
    let before = &text[..at];
    let para = paragraph_start(before);
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    // A fence being typed: "```iam-po".
    let line = &before[line_start..];
    let trimmed = line.trim_start_matches([' ', '>']);
    for fence in ["```", "~~~"] {
        if let Some(info) = trimmed.strip_prefix(fence) {
            let info = info.trim_start_matches(fence.as_bytes()[0] as char);
            if info.trim_start().is_empty() || info.trim_start().starts_with("iam-") {
                return Some(DirectiveAt {
                    words: at - info.len()..at,
                    site: None,
                });
            }
        }
    }
    let open = |opening: &str, closing: &str| {
        let o = before[para..].rfind(opening)? + para;
        (!before[o..].contains(closing)).then_some(o + opening.len())
    };
    let angle = open("<<#", ">>");
    let comment = open("{/*", "*/}").filter(|&s| {
        let w = before[s..].trim_start();
        w.is_empty() || "iam-".starts_with(w) || w.starts_with("iam-")
    });
    let start = match (angle, comment) {
        (Some(a), Some(c)) => a.max(c),
        (Some(s), None) | (None, Some(s)) => s,
        (None, None) => return None,
    };
    if scan.in_code(start) {
        return None;
    }
    Some(DirectiveAt {
        words: start..at,
        site: None,
    })
}

/// The sync region begin marker holding `at` (`<!-- iam:begin iam-policy NAME -->`), as a
/// directive site: its names are uses of the catalog like a directive's.
pub fn marker_at(text: &str, at: usize) -> Option<crate::page::scan::Site> {
    if !text.contains("iam:begin") {
        return None;
    }
    let page = crate::source::SourceFile::new("page", text.to_string());
    crate::sync::region_directives(&page)
        .into_iter()
        .find(|(begin, _)| begin.start <= at && at < begin.end)
        .map(|(begin, words)| crate::page::scan::Site {
            form: if text[begin.clone()].starts_with("{/*") {
                crate::page::directive::Form::Comment
            } else {
                crate::page::directive::Form::Angle
            },
            span: begin,
            text: words,
            line_prefix: Some(String::new()),
        })
}

/// Where the paragraph holding the end of `before` starts (after the last blank line).
fn paragraph_start(before: &str) -> usize {
    let a = before.rfind("\n\n").map_or(0, |n| n + 2);
    let b = before.rfind("\n\r\n").map_or(0, |n| n + 3);
    a.max(b)
}

/// The words of a directive, with a word's range in the page. Quoted parameter values keep
/// their spaces (`file="a b.json"`). Blockquote markers at a line's start are not words.
pub fn words(text: &str, range: Range<usize>) -> Vec<Word> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = range.start;
    let mut line_start = true;
    while i < range.end {
        if b[i].is_ascii_whitespace() {
            line_start |= b[i] == b'\n';
            i += 1;
            continue;
        }
        if line_start && b[i] == b'>' {
            i += 1;
            continue;
        }
        line_start = false;
        let start = i;
        let mut quote: Option<u8> = None;
        while i < range.end {
            match quote {
                Some(q) if b[i] == q => quote = None,
                Some(_) => {}
                None if b[i].is_ascii_whitespace() => break,
                None if (b[i] == b'"' || b[i] == b'\'') && i > start && b[i - 1] == b'=' => {
                    quote = Some(b[i])
                }
                None => {}
            }
            i += 1;
        }
        out.push(Word {
            range: start..i,
            text: text[start..i].to_string(),
        });
    }
    out
}

/// The run of word characters around `at` (which may start after a character of several bytes).
pub fn word_around(text: &str, at: usize, is_word: impl Fn(char) -> bool) -> Range<usize> {
    let start = text[..at]
        .char_indices()
        .rfind(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| at + i);
    start..end
}

/// A position inside a policy's JSON or the catalog's TOML: the keys of the containers around
/// it, from the outside in, and what is being typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeAt {
    /// For each open container (object, array, TOML table), the key it is the value of.
    pub path: Vec<String>,
    /// Whether the innermost container is an array.
    pub in_array: bool,
    /// Whether the cursor is where an object's key goes (not its value).
    pub at_key: bool,
    /// The string (or bare word) being typed, from its first character to the cursor, and its
    /// range (quotes excluded).
    pub word: Option<Word>,
    /// Where the innermost object around the cursor starts (a statement, for condition keys).
    pub object_start: Option<usize>,
}

/// Reads `text[start..at]` as JSON or TOML (the two share enough for this: strings, `{}`,
/// `[]`, `key:`/`key =`; TOML table headers set the path) and says where `at` is.
///
/// Written by hand: a parser for either format stops at the first half-typed line, and what a
/// completion needs is exactly the open containers before the cursor.
pub fn code_at(text: &str, start: usize, at: usize, toml: bool) -> CodeAt {
    #[derive(Clone)]
    struct Frame {
        key: String,
        array: bool,
        start: usize,
        /// A key was read and its `:`/`=` seen: what follows is a value.
        in_value: bool,
    }
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // TOML's current table header, as the outermost frames.
    let mut header: Vec<Frame> = vec![Frame {
        key: String::new(),
        array: false,
        start,
        in_value: false,
    }];
    let mut last_key = String::new();
    let mut i = start;
    let mut line_start = true;
    let mut word: Option<Word> = None;
    let top = |stack: &Vec<Frame>, header: &Vec<Frame>| -> Frame {
        stack.last().or(header.last()).cloned().unwrap_or(Frame {
            key: String::new(),
            array: false,
            start,
            in_value: false,
        })
    };
    while i < at {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                // A TOML key/value ends at the line's end outside containers.
                if stack.is_empty()
                    && let Some(h) = header.last_mut()
                {
                    h.in_value = false;
                }
                i += 1;
                continue;
            }
            b'#' if toml && (stack.is_empty() || !top(&stack, &header).array) => {
                // A TOML comment (JSON has none; a `#` outside strings is not JSON anyway).
                while i < at && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let q = c;
                let s = i + 1;
                let mut j = s;
                while j < at && b[j] != q && b[j] != b'\n' {
                    if b[j] == b'\\' && q == b'"' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= at {
                    // The cursor is inside this string.
                    word = Some(Word {
                        range: s..at,
                        text: text[s..at].to_string(),
                    });
                    break;
                }
                if b[j] == b'\n' {
                    i = j;
                    continue;
                }
                last_key = text[s..j].to_string();
                i = j + 1;
                line_start = false;
                continue;
            }
            b'[' if toml && line_start && stack.is_empty() => {
                // A TOML table header: `[policies.x]`, `[[roles]]`.
                let end = text[i..at].find('\n').map(|n| i + n);
                let Some(end) = end else {
                    break;
                };
                let inner = text[i..end].trim().trim_start_matches('[');
                let inner = inner.trim_end_matches(']');
                header = split_dotted(inner)
                    .into_iter()
                    .map(|k| Frame {
                        key: k,
                        array: false,
                        start: i,
                        in_value: false,
                    })
                    .collect();
                if header.is_empty() {
                    header.push(Frame {
                        key: String::new(),
                        array: false,
                        start: i,
                        in_value: false,
                    });
                }
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let parent_in_value = top(&stack, &header).in_value;
                let key = if parent_in_value || top(&stack, &header).array {
                    if top(&stack, &header).array {
                        String::new()
                    } else {
                        last_key.clone()
                    }
                } else {
                    String::new()
                };
                stack.push(Frame {
                    key,
                    array: c == b'[',
                    start: i,
                    in_value: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
                if let Some(f) = stack.last_mut().or(header.last_mut())
                    && !f.array
                {
                    f.in_value = false;
                }
            }
            b':' | b'=' => {
                if let Some(f) = stack.last_mut().or(header.last_mut()) {
                    f.in_value = true;
                }
            }
            b',' => {
                if let Some(f) = stack.last_mut()
                    && !f.array
                {
                    f.in_value = false;
                }
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                // A bare TOML key (or a JSON literal, read as one and harmless).
                let s = i;
                while i < at && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-' | b'.'))
                {
                    i += 1;
                }
                if i >= at {
                    word = Some(Word {
                        range: s..at,
                        text: text[s..at].to_string(),
                    });
                    break;
                }
                last_key = text[s..i].to_string();
                line_start = false;
                continue;
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            line_start = false;
        }
        i += 1;
    }
    let inner = top(&stack, &header);
    let mut path: Vec<String> = header
        .iter()
        .map(|f| f.key.clone())
        .filter(|k| !k.is_empty())
        .collect();
    // The document's own outermost container is the value of no key.
    let nested = match stack.first() {
        Some(f) if f.key.is_empty() => &stack[1..],
        _ => &stack[..],
    };
    path.extend(nested.iter().map(|f| f.key.clone()));
    let at_key = !inner.array && !inner.in_value;
    // Inside a value, after `key =`/`key:` with no container of its own: the key is the path's
    // last step.
    if !inner.array && inner.in_value {
        path.push(last_key.clone());
    }
    // The statement: the object holding `Condition` (or a modifier's `add-condition`) when the
    // cursor is inside one, else the innermost object.
    let frames: Vec<&Frame> = header.iter().chain(stack.iter()).collect();
    let object_start = frames
        .iter()
        .position(|f| f.key == "Condition" || f.key == "add-condition")
        .and_then(|i| i.checked_sub(1))
        .map(|i| frames[i].start)
        .or_else(|| stack.iter().rev().find(|f| !f.array).map(|f| f.start))
        .or(Some(inner.start));
    CodeAt {
        path,
        in_array: inner.array,
        at_key,
        word,
        object_start,
    }
}

/// `a."b.c".d` as keys.
fn split_dotted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => out.push(std::mem::take(&mut cur).trim().to_string()),
            (None, c) => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out.retain(|k| !k.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::scan::scan;

    fn at(text: &str) -> (String, usize) {
        let i = text.find('|').unwrap();
        (text.replacen('|', "", 1), i)
    }

    fn directive(text: &str) -> Option<String> {
        let (t, i) = at(text);
        let s = scan(&t);
        directive_at(&t, &s, i).map(|d| t[d.words].to_string())
    }

    #[test]
    fn a_closed_directive_holds_the_cursor() {
        assert_eq!(
            directive("a |<<#iam-policy s3-readonly>> b").as_deref(),
            Some("iam-policy s3-readonly")
        );
        assert_eq!(directive("a <<#iam-policy s3-readonly>>| b"), None);
        assert_eq!(
            directive("a <<#iam-policy s3|-readonly>> b").as_deref(),
            Some("iam-policy s3-readonly")
        );
    }

    #[test]
    fn a_half_typed_directive_runs_to_the_cursor() {
        assert_eq!(
            directive("text\n\n<<#iam-policy s3-|").as_deref(),
            Some("iam-policy s3-")
        );
        assert_eq!(directive("<<#|").as_deref(), Some(""));
    }

    #[test]
    fn a_closed_directive_before_the_cursor_is_not_typed_on() {
        assert_eq!(directive("<<#iam-policy a>> more |"), None);
    }

    #[test]
    fn a_blank_line_ends_the_search() {
        assert_eq!(directive("<<#iam-policy\n\nmore |"), None);
    }

    #[test]
    fn mdx_comments_and_fences() {
        assert_eq!(
            directive("{/* iam-callout |").as_deref(),
            Some(" iam-callout ")
        );
        assert_eq!(directive("```iam-pol|").as_deref(), Some("iam-pol"));
        assert_eq!(directive("{/* a comment |"), None);
    }

    #[test]
    fn words_keep_quoted_values() {
        let t = "iam-policy a file=\"x y.json\" b";
        let w: Vec<String> = words(t, 0..t.len()).into_iter().map(|w| w.text).collect();
        assert_eq!(w, ["iam-policy", "a", "file=\"x y.json\"", "b"]);
    }

    fn code(text: &str) -> CodeAt {
        let (t, i) = at(text);
        code_at(&t, 0, i, !t.starts_with('{'))
    }

    #[test]
    fn json_action_values() {
        let c = code(r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:Get|"#);
        assert_eq!(c.path, ["Statement", "", "Action"]);
        assert!(c.in_array);
        assert_eq!(c.word.unwrap().text, "s3:Get");
        let c = code(r#"{"Action": "s3:|"#);
        assert_eq!(c.path, ["Action"]);
        assert!(!c.at_key);
    }

    #[test]
    fn json_condition_keys_and_operators() {
        let c = code(r#"{"Condition": {"StringEquals": {"aws:Req|"#);
        assert_eq!(c.path, ["Condition", "StringEquals"]);
        assert!(c.at_key);
        let c = code(r#"{"Condition": {"Bool": {"a": "b"}, "Str|"#);
        assert_eq!(c.path, ["Condition"]);
        assert!(c.at_key);
    }

    #[test]
    fn toml_tables_and_inline_values() {
        let c = code("[statements.read]\nEffect = \"Allow\"\nAction = [\"s3:Li|");
        assert_eq!(c.path, ["statements", "read", "Action"]);
        assert!(c.in_array);
        let c = code("[statements.read.Condition.StringEquals]\n\"aws:|");
        assert_eq!(c.path, ["statements", "read", "Condition", "StringEquals"]);
        assert!(c.at_key);
        let c = code("[modifiers.m]\nadd-condition = { Bool = { \"aws:Sec|");
        assert_eq!(c.path, ["modifiers", "m", "add-condition", "Bool"]);
        assert!(c.at_key);
    }
}
