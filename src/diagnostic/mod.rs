//! Findings: what is wrong, where, and how bad. A finding is a value; rendering it as rustc-style
//! text or as JSON is a separate step, so the engine never prints.

mod codes;
mod json;
pub mod levels;
mod text;

pub use codes::Code;
pub use json::render_json;
pub use text::{TextStyle, render_text};

use crate::source::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The note a finding re-pointed at a directive keeps for its catalog place.
const SEEN_FROM: &str = "defined here in the catalog";

/// A secondary place or remark attached to a finding.
#[derive(Debug, Clone)]
pub struct Note {
    pub span: Option<Span>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where the problem is; `None` only for problems with no place (a missing file).
    pub span: Option<Span>,
    pub notes: Vec<Note>,
    pub help: Option<String>,
    /// Whether the text rendering quotes the source line (off for files whose text must not be
    /// shown, such as a file that failed to parse as a catalog).
    pub excerpt: bool,
    /// Set when a team's level (`[lints]`, a block's fence) applied to the finding: the severity
    /// it had before, and where the level is written (boxed: most findings have none, and a
    /// finding stays small enough to return in a `Result`).
    pub level_origin: Option<Box<levels::LevelOrigin>>,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>, span: Option<Span>) -> Finding {
        Finding {
            severity: code.default_severity(),
            code,
            message: message.into(),
            span,
            notes: Vec::new(),
            help: None,
            excerpt: true,
            level_origin: None,
        }
    }

    pub fn at(code: Code, message: impl Into<String>, span: &Span) -> Finding {
        Finding::new(code, message, Some(span.clone()))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Finding {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }

    /// The finding without the quoted source line in text output (its place is still given).
    pub fn without_excerpt(mut self) -> Finding {
        self.excerpt = false;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Re-points a finding found inside a catalog policy at the page directive that used it, keeping
    /// the catalog place as a note.
    pub fn seen_from(mut self, directive: &Span) -> Finding {
        if let Some(orig) = self.span.replace(directive.clone()) {
            let note = Note {
                span: Some(orig),
                message: SEEN_FROM.into(),
            };
            self.notes.insert(0, note);
        }
        self
    }

    /// For a finding [`seen_from`](Finding::seen_from) a directive: the catalog place it was
    /// found at.
    pub fn catalog_origin(&self) -> Option<&Span> {
        self.notes
            .first()
            .filter(|n| n.message == SEEN_FROM)
            .and_then(|n| n.span.as_ref())
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The severity the finding has without the team's levels, when a level changed it.
    pub fn default_severity(&self) -> Option<Severity> {
        self.level_origin
            .as_ref()
            .map(|o| o.default)
            .filter(|d| *d != self.severity)
    }
}

/// "did you mean" for a misspelled name, from the names that exist.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let given_l = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given_l, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{s} is not kebab-case"
            );
        }
    }

    #[test]
    fn text_has_path_line_col_header_and_caret() {
        let file = SourceFile::new("src/a.md", "one\n  <<#iam-policy nope>>\n");
        let f = Finding::at(
            Code::UnknownPolicy,
            "no policy `nope`",
            &Span::new(&file, 6..26),
        )
        .with_help("did you mean `s3-readonly`?");
        let text = render_text(&[f], TextStyle::default());
        assert_eq!(
            text,
            "src/a.md:2:3: error[unknown-policy]: no policy `nope`\n  |\n2 |   <<#iam-policy nope>>\n  |   ^^^^^^^^^^^^^^^^^^^^\n  = help: did you mean `s3-readonly`?\n"
        );
    }

    #[test]
    fn color_only_when_asked() {
        let f = Finding::new(Code::CatalogNotFound, "missing", None);
        assert!(
            !render_text(std::slice::from_ref(&f), TextStyle { color: false }).contains('\x1b')
        );
        assert!(render_text(&[f], TextStyle { color: true }).contains('\x1b'));
    }

    #[test]
    fn json_has_required_fields() {
        let file = SourceFile::new("p.json", "{\n}");
        let f = Finding::at(
            Code::MissingStatement,
            "no Statement",
            &Span::new(&file, 0..1),
        );
        let v: serde_json::Value = serde_json::from_str(&render_json(&[f])).unwrap();
        let row = &v[0];
        assert_eq!(row["severity"], "error");
        assert_eq!(row["code"], "missing-statement");
        assert_eq!(row["file"], "p.json");
        assert_eq!(row["line"], 1);
        assert_eq!(row["column"], 1);
        assert_eq!(row["access_analyzer"], "MISSING_STATEMENT");
    }

    #[test]
    fn json_reports_the_level_used_and_the_default_where_it_differs() {
        let file = SourceFile::new("p.json", "{\n}");
        let catalog = SourceFile::new("iam-catalog.toml", "[lints]\ninvalid-action = \"warn\"\n");
        let mut lints = levels::Lints::default();
        lints.set(
            Code::InvalidAction,
            levels::Level::Warn,
            Span::new(&catalog, 8..22),
        );
        let mut fs = vec![
            Finding::at(
                Code::InvalidAction,
                "no such action",
                &Span::new(&file, 0..1),
            ),
            Finding::at(Code::InvalidSid, "bad Sid", &Span::new(&file, 0..1)),
        ];
        levels::apply(&lints, &mut fs);
        let v: serde_json::Value = serde_json::from_str(&render_json(&fs)).unwrap();
        assert_eq!(v[0]["severity"], "warning");
        assert_eq!(v[0]["default_severity"], "error");
        assert_eq!(v[0]["level_set_by"], "lints");
        assert_eq!(
            v[0]["notes"][0]["message"],
            "lowered to warning by `[lints]` in iam-catalog.toml:2 (default: error)"
        );
        assert_eq!(v[1]["severity"], "error");
        assert!(v[1].get("default_severity").is_none());
        assert!(v[1].get("level_set_by").is_none());
        let text = render_text(&fs[..1], TextStyle::default());
        assert!(
            text.starts_with("p.json:1:1: warning[invalid-action]: no such action\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  = note: lowered to warning by `[lints]` in iam-catalog.toml:2 (default: error)\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(
            did_you_mean("s3-readnoly", ["s3-readonly", "default"]),
            Some("did you mean `s3-readonly`?".into())
        );
        assert_eq!(did_you_mean("zzz", ["s3-readonly"]), None);
    }
}
