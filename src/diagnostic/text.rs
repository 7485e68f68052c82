//! Findings as rustc-style text: `path:line:col: error[code]: message`, the source line, a caret.

use super::{Finding, Severity};
use crate::source::Span;
use std::fmt::Write as _;

/// Options for text rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
}

/// Renders findings as text: `path:line:col: error[code]: message`, then the source line with a
/// caret. Written by hand because that first line is a fixed interface (editors and CI annotators
/// match it), and the snippet crates lead with `error[code]` instead.
pub fn render_text(findings: &[Finding], style: TextStyle) -> String {
    let mut out = String::new();
    for f in findings {
        render_one(&mut out, f, style);
    }
    out
}

fn paint(style: TextStyle, ansi: &str, text: &str) -> String {
    if style.color {
        format!("\x1b[{ansi}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The text with control characters (a binary file read as a page, an escape sequence written in
/// a policy's JSON) shown as U+FFFD, one character each: the terminal gets only text, and a
/// caret stays under its column. Tabs and line breaks are text.
fn text_only(s: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| c.is_control() && c != '\t' && c != '\n';
    if s.contains(control) {
        s.chars()
            .map(|c| if control(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

fn render_one(out: &mut String, f: &Finding, style: TextStyle) {
    let sev_color = match f.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    };
    let place = match &f.span {
        Some(span) => {
            let (l, c) = span.line_col();
            format!("{}:{l}:{c}: ", span.file.name())
        }
        None => String::new(),
    };
    let head = paint(
        style,
        sev_color,
        &format!("{}[{}]", f.severity.as_str(), f.code.as_str()),
    );
    let _ = writeln!(
        out,
        "{}{head}: {}",
        paint(style, "1", &place),
        text_only(&f.message)
    );
    if let Some(span) = f.span.as_ref().filter(|_| f.excerpt) {
        snippet(out, span, style, sev_color);
    }
    for note in &f.notes {
        match &note.span {
            Some(span) => {
                let (l, c) = span.line_col();
                let _ = writeln!(
                    out,
                    "  = note: {} ({}:{l}:{c})",
                    text_only(&note.message),
                    span.file.name()
                );
                snippet(out, span, style, "1;34");
            }
            None => {
                let _ = writeln!(out, "  = note: {}", text_only(&note.message));
            }
        }
    }
    if let Some(help) = &f.help {
        let _ = writeln!(out, "  = help: {}", text_only(help));
    }
}

/// How many bytes of a long line are quoted on each side of the place: a minified policy is one
/// line, and a finding must cost the same on it as on a short line.
const LONG_LINE: usize = 240;
const EXCERPT_BEFORE: usize = 60;
const EXCERPT_AFTER: usize = 100;

fn snippet(out: &mut String, span: &Span, style: TextStyle, color: &str) {
    let (line, _) = span.line_col();
    let file = &span.file;
    let text = file.line_text(line);
    let line_start = file.line_start(line);
    let at = floor_boundary(text, (span.range.start - line_start).min(text.len()));
    // A span running past the line is underlined to the line's end.
    let end = ceil_boundary(
        text,
        (span.range.end.max(span.range.start) - line_start)
            .min(text.len())
            .max(at),
    );
    let (from, to) = if text.len() <= LONG_LINE {
        (0, text.len())
    } else {
        (
            floor_boundary(text, at.saturating_sub(EXCERPT_BEFORE)),
            ceil_boundary(text, at + EXCERPT_AFTER),
        )
    };
    let (lead, tail) = (
        if from > 0 { "..." } else { "" },
        if to < text.len() { "..." } else { "" },
    );
    let shown = text_only(&text[from..to]);
    let col = lead.len() + text[from..at].chars().count();
    let width = text[at..end.min(to)].chars().count().max(1);
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let bar = paint(style, "1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {lead}{shown}{tail}",
        paint(style, "1;34", &gutter)
    );
    let caret = format!("{}{}", " ".repeat(col), "^".repeat(width));
    let _ = writeln!(out, "{pad} {bar} {}", paint(style, color, &caret));
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
