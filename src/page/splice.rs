//! Splicing expansions back into a page by byte offset: every byte outside the edited ranges is
//! copied as it was, and each further line of a block expansion gets the page's line prefix
//! (blockquote markers, list indentation), found here too.

use std::ops::Range;
use std::rc::Rc;

/// What replaces a range of the page.
pub enum Edit {
    Text(String),
    Block(Rc<str>, Option<String>),
}

impl Edit {
    /// An upper bound of the text this adds (prefixes included).
    fn len(&self) -> usize {
        match self {
            Edit::Text(t) => t.len(),
            Edit::Block(b, prefix) => match prefix.as_deref() {
                None | Some("") => b.len(),
                Some(p) => b.len() + memchr::memchr_iter(b'\n', b.as_bytes()).count() * p.len(),
            },
        }
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
            Edit::Block(b, prefix) => push_with_prefix(&mut out, b, prefix.as_deref()),
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Appends block text, repeating the page's line prefix on every line after the first (blank
/// lines get the prefix without trailing spaces, as editors and Prettier write them).
pub fn push_with_prefix(out: &mut String, text: &str, prefix: Option<&str>) {
    let Some(prefix) = prefix.filter(|p| !p.is_empty()) else {
        out.push_str(text);
        return;
    };
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
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
    fn prefix_is_repeated_and_trimmed_on_blank_lines() {
        let mut out = String::new();
        push_with_prefix(&mut out, "a\n\nb", Some("> "));
        assert_eq!(out, "a\n>\n> b");
        let mut out = String::new();
        push_with_prefix(&mut out, "a\nb", Some(""));
        assert_eq!(out, "a\nb");
    }
}
