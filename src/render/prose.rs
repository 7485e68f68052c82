//! Re-wraps catalog prose (callout bodies and titles) to the print width, the way Prettier does
//! with `proseWrap: "always"`, so generated text is left unchanged by docs sites that format
//! with it (and by `"preserve"`, Prettier's default). Written by hand: no crate fills Markdown
//! paragraphs with Prettier's rules, and catalog prose uses only the simple subset handled here
//! (paragraphs and list items; fences, tables, headings and HTML pass through).

const PRINT_WIDTH: usize = 80;

/// Re-wraps `text` for a place where each line is preceded by `indent` columns of prefix.
pub fn reflow(text: &str, indent: usize) -> String {
    let width = PRINT_WIDTH.saturating_sub(indent).max(20);
    let mut out: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            out.push(String::new());
            i += 1;
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            out.push(line.to_string());
            i += 1;
            while i < lines.len() {
                out.push(lines[i].to_string());
                i += 1;
                if lines[i - 1].trim_start().starts_with(fence) {
                    break;
                }
            }
        } else if is_verbatim(trimmed) {
            out.push(line.to_string());
            i += 1;
        } else if let Some(marker) = list_marker(line) {
            // A list item: its text continues on lines indented at least to the marker's width.
            let mut words = String::from(&line[marker..]);
            i += 1;
            while i < lines.len()
                && !lines[i].trim().is_empty()
                && list_marker(lines[i]).is_none()
                && lines[i].starts_with(&" ".repeat(marker.min(2)))
                && !is_verbatim(lines[i].trim_start())
            {
                words.push(' ');
                words.push_str(lines[i].trim());
                i += 1;
            }
            let filled = fill(&words, width - marker);
            for (n, l) in filled.into_iter().enumerate() {
                let lead = if n == 0 {
                    line[..marker].to_string()
                } else {
                    " ".repeat(marker)
                };
                out.push(format!("{lead}{l}"));
            }
        } else {
            let mut words = String::from(trimmed);
            i += 1;
            while i < lines.len()
                && !lines[i].trim().is_empty()
                && list_marker(lines[i]).is_none()
                && !is_verbatim(lines[i].trim_start())
                && !lines[i].trim_start().starts_with("```")
            {
                words.push(' ');
                words.push_str(lines[i].trim());
                i += 1;
            }
            out.extend(fill(&words, width));
        }
    }
    out.join("\n")
}

fn is_verbatim(trimmed: &str) -> bool {
    trimmed.starts_with('|')
        || trimmed.starts_with('<')
        || trimmed.starts_with('#')
        || trimmed.starts_with(":::")
        || trimmed.starts_with('>')
}

/// The byte length of a list marker and its space (`- `, `12. `), if the line starts an item.
fn list_marker(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    if matches!(b.first(), Some(b'-' | b'*' | b'+')) && b.get(1) == Some(&b' ') {
        return Some(2);
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0
        && digits < 10
        && matches!(b.get(digits), Some(b'.' | b')'))
        && b.get(digits + 1) == Some(&b' ')
    {
        return Some(digits + 2);
    }
    None
}

/// Splits prose into words; an inline code span is one word even with spaces inside.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        if c.is_whitespace() && !in_code {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Greedy fill, as Prettier's `fill`: a word goes on the line when it fits, else starts the next.
fn fill(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in words(text) {
        if cur.is_empty() {
            cur = w;
        } else if cur.chars().count() + 1 + w.chars().count() <= width {
            cur.push(' ');
            cur.push_str(&w);
        } else {
            lines.push(std::mem::replace(&mut cur, w));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_paragraphs_to_the_width() {
        let w = "x".repeat(39);
        let text = format!("{w}\n{w} {w}");
        assert_eq!(reflow(&text, 0), format!("{w} {w}\n{w}"));
        assert_eq!(reflow(&text, 2), format!("{w}\n{w}\n{w}"));
    }

    #[test]
    fn code_spans_are_not_split() {
        let text = format!("{} `a b c`", "x".repeat(75));
        assert_eq!(reflow(&text, 0), format!("{}\n`a b c`", "x".repeat(75)));
    }

    #[test]
    fn list_items_keep_their_markers_and_indent() {
        let text = format!("1. {}\n   more\n2. two", "word ".repeat(16).trim_end());
        let out = reflow(&text, 0);
        assert_eq!(
            out,
            format!("1. {}\n   word more\n2. two", "word ".repeat(15).trim_end())
        );
    }

    #[test]
    fn fences_tables_and_html_pass_through() {
        let text = "```\na      b\n```\n| a |\n<b>x</b>";
        assert_eq!(reflow(text, 0), text);
    }
}
