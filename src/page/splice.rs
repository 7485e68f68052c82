//! Splicing expansions back into a page by byte offset: every byte outside the edited ranges is
//! copied as it was, and each further line of a block expansion gets the page's line prefix
//! (blockquote markers, list indentation), found here too.

use std::ops::Range;
use std::rc::Rc;

/// What replaces a range of the page.
pub enum Edit {
    Text(String),
    /// Rendered text (lines end with `\n`), written with the page's line prefix on each further
    /// line and the page's line ending.
    Block {
        text: Rc<str>,
        prefix: Option<String>,
        newline: &'static str,
    },
}

impl Edit {
    /// An upper bound of the text this adds (prefixes and line endings included).
    fn len(&self) -> usize {
        match self {
            Edit::Text(t) => t.len(),
            Edit::Block {
                text,
                prefix,
                newline,
            } => {
                let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
                text.len() + lines * (prefix.as_deref().map_or(0, str::len) + newline.len() - 1)
            }
        }
    }
}

/// The line ending of the line that holds `at`: `\r\n` in a page written with them, else `\n`.
/// On the page's last line, when it has no ending (no line break at all follows), the line before
/// it tells.
pub fn line_ending_at(text: &str, at: usize) -> &'static str {
    let b = text.as_bytes();
    match memchr::memchr(b'\n', &b[at..]) {
        Some(n) if n > 0 && b[at + n - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        // A carriage return alone ends lines too (old Mac pages): then this is no last line.
        None if memchr::memchr(b'\r', &b[at..]).is_some() => "\n",
        None => match memchr::memrchr(b'\n', &b[..at]) {
            Some(n) if n > 0 && b[n - 1] == b'\r' => "\r\n",
            _ => "\n",
        },
    }
}

/// The page with every edit applied, built once at its exact size. Edits are sorted by start
/// and do not overlap.
pub fn splice(text: &str, edits: &[(Range<usize>, Edit)]) -> String {
    let size = text.len() + edits.iter().map(|(_, r)| r.len()).sum::<usize>();
    let mut out = String::with_capacity(size);
    let mut last = 0;
    for (range, r) in edits {
        out.push_str(&text[last..range.start]);
        match r {
            Edit::Text(t) => out.push_str(t),
            Edit::Block {
                text,
                prefix,
                newline,
            } => push_lines(&mut out, text, prefix.as_deref(), newline),
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Appends block text with the page's line ending, repeating the page's line prefix on every
/// line after the first (blank lines get the prefix without trailing spaces, as editors and
/// Prettier write them).
pub fn push_lines(out: &mut String, text: &str, prefix: Option<&str>, newline: &str) {
    let prefix = prefix.unwrap_or("");
    if prefix.is_empty() && newline == "\n" {
        out.push_str(text);
        return;
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(newline);
            if line.is_empty() {
                out.push_str(prefix.trim_end());
            } else {
                out.push_str(prefix);
            }
        }
        out.push_str(line);
    }
}

/// For a directive alone on its line(s), the prefix that further lines of its expansion need.
pub fn line_prefix(text: &str, start: usize, end: usize) -> Option<String> {
    let line_start = memchr::memrchr(b'\n', &text.as_bytes()[..start]).map_or(0, |n| n + 1);
    // A byte order mark opening the page is no part of its first line's text.
    let line_start = if line_start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        line_start
    };
    let before = &text[line_start..start];
    let after =
        &text[end..memchr::memchr(b'\n', &text.as_bytes()[end..]).map_or(text.len(), |n| end + n)];
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
            if digits == 0
                || digits > 9
                || !matches!(rest.as_bytes().get(digits), Some(b'.' | b')'))
            {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_last_line_without_ending_takes_the_page_line_ending() {
        assert_eq!(line_ending_at("a\r\nb", 3), "\r\n");
        assert_eq!(line_ending_at("a\nb", 2), "\n");
        assert_eq!(line_ending_at("b", 0), "\n");
        assert_eq!(line_ending_at("a\r\nb\n", 3), "\n");
        // Lines ended by a carriage return alone: not a last line.
        assert_eq!(line_ending_at("a\r\nb\rc", 3), "\n");
    }

    #[test]
    fn prefix_is_repeated_and_trimmed_on_blank_lines() {
        let mut out = String::new();
        push_lines(&mut out, "a\n\nb", Some("> "), "\n");
        assert_eq!(out, "a\n>\n> b");
        let mut out = String::new();
        push_lines(&mut out, "a\nb", Some(""), "\n");
        assert_eq!(out, "a\nb");
    }

    #[test]
    fn a_crlf_page_gets_crlf_expansions() {
        let mut out = String::new();
        push_lines(&mut out, "a\n\nb", Some("> "), "\r\n");
        assert_eq!(out, "a\r\n>\r\n> b");
        assert_eq!(line_ending_at("x <<#a>>\r\ny", 2), "\r\n");
        assert_eq!(line_ending_at("x <<#a>>\ny", 2), "\n");
        assert_eq!(line_ending_at("x <<#a>>", 2), "\n");
        let edits = [(
            2..8,
            Edit::Block {
                text: "p\nq".into(),
                prefix: Some("> ".into()),
                newline: "\r\n",
            },
        )];
        let out = splice("> <<#a>>\r\n", &edits);
        assert_eq!(out, "> p\r\n> q\r\n");
    }
}
