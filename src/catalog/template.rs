//! Callout templates: `{param}` placeholders in a title or body, `{{` and `}}` for literal braces.

use crate::source::Span;
use std::ops::Range;

/// The placeholders in a template, with their byte ranges (including the braces).
pub fn placeholders(template: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let b = template.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if b.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let end = template[i + 1..].find('}').map(|e| i + 1 + e);
                match end {
                    Some(e) if is_name(&template[i + 1..e]) => {
                        out.push((template[i + 1..e].to_string(), i..e + 1));
                        i = e + 1;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Fills a template; `value` gives each placeholder's text (already escaped for the output).
pub fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut last = 0;
    let places = placeholders(template);
    let unescape = |s: &str| s.replace("{{", "{").replace("}}", "}");
    for (name, range) in places {
        out.push_str(&unescape(&template[last..range.start]));
        out.push_str(&value(&name));
        last = range.end;
    }
    out.push_str(&unescape(&template[last..]));
    out
}

/// The span of part of a TOML string value, assuming a basic or literal string whose text is
/// written unescaped (true of callout templates in practice); falls back to the whole value.
pub fn inner_span(value: &Span, range: Range<usize>) -> Span {
    let src = value.text();
    let quote = if src.starts_with("\"\"\"") || src.starts_with("'''") {
        3
    } else {
        1
    };
    // A multi-line string's first newline is trimmed by TOML.
    let skip_nl = usize::from(quote == 3 && src[quote..].starts_with('\n'));
    let start = value.range.start + quote + skip_nl + range.start;
    let end = value.range.start + quote + skip_nl + range.end;
    if end <= value.range.end {
        Span::new(&value.file, start..end)
    } else {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_skips_escapes() {
        let p = placeholders("perform {action} on {{literal}} {role-name} {not a name}");
        let names: Vec<_> = p.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["action", "role-name"]);
        assert_eq!(p[0].1, 8..16);
    }

    #[test]
    fn fill_substitutes_and_unescapes() {
        let out = fill("a {x} {{y}}", |n| format!("<{n}>"));
        assert_eq!(out, "a <x> {y}");
    }
}
