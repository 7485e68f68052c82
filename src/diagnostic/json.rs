//! Findings as one JSON array (the `--format json` interface).

use super::{Code, Finding, Severity};
use crate::source::Span;
use serde::Serialize;

#[derive(Serialize)]
struct JsonFinding<'a> {
    /// The level used: the team's (`[lints]`, a block's fence) where one applied.
    severity: Severity,
    /// The severity without the team's levels, only where a level changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    default_severity: Option<Severity>,
    /// Where that level is set (`lints` or `block`), only where a level changed the severity.
    #[serde(skip_serializing_if = "Option::is_none")]
    level_set_by: Option<&'static str>,
    code: Code,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<JsonNote<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_analyzer: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
}

fn place(span: Option<&Span>) -> (Option<&str>, Option<usize>, Option<usize>) {
    match span {
        Some(s) => {
            let (l, c) = s.line_col();
            (Some(s.file.name()), Some(l), Some(c))
        }
        None => (None, None, None),
    }
}

/// Renders findings as one JSON array (the `--format json` interface).
pub fn render_json(findings: &[Finding]) -> String {
    let rows: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|f| {
            let (file, line, column) = place(f.span.as_ref());
            let default_severity = f.default_severity();
            JsonFinding {
                severity: f.severity,
                default_severity,
                level_set_by: default_severity
                    .and(f.level_origin.as_ref())
                    .map(|o| o.by.as_str()),
                code: f.code,
                message: &f.message,
                file,
                line,
                column,
                help: f.help.as_deref(),
                notes: f
                    .notes
                    .iter()
                    .map(|n| {
                        let (file, line, column) = place(n.span.as_ref());
                        JsonNote {
                            message: &n.message,
                            file,
                            line,
                            column,
                        }
                    })
                    .collect(),
                access_analyzer: f.code.access_analyzer(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("findings serialize")
}
