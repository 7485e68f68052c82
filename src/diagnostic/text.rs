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
    let _ = writeln!(out, "{}{head}: {}", paint(style, "1", &place), f.message);
    if let Some(span) = &f.span {
        snippet(out, span, style, sev_color);
    }
    for note in &f.notes {
        match &note.span {
            Some(span) => {
                let (l, c) = span.line_col();
                let _ = writeln!(
                    out,
                    "  = note: {} ({}:{l}:{c})",
                    note.message,
                    span.file.name()
                );
                snippet(out, span, style, "1;34");
            }
            None => {
                let _ = writeln!(out, "  = note: {}", note.message);
            }
        }
    }
    if let Some(help) = &f.help {
        let _ = writeln!(out, "  = help: {help}");
    }
}

fn snippet(out: &mut String, span: &Span, style: TextStyle, color: &str) {
    let (line, col) = span.line_col();
    let text = span.file.line_text(line);
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let (end_line, end_col) = span.file.line_col(span.range.end.max(span.range.start));
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        text.chars().count().saturating_sub(col - 1).max(1)
    };
    let bar = paint(style, "1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {text}", paint(style, "1;34", &gutter));
    let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
    let _ = writeln!(out, "{pad} {bar} {}", paint(style, color, &caret));
}
