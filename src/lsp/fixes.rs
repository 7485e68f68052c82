//! Code actions: the fixes the findings already suggest ("did you mean `X`?", a retired action
//! to the name AWS lists now), and a pasted policy replaced by the directive that renders it
//! where the catalog holds the same policy.

use super::diagnostics::{diagnostic, page_findings};
use super::text::LineIndex;
use super::workspace::{Document, Opened, file_of};
use crate::aws_data::AwsData;
use crate::diagnostic::Finding;
use crate::page::pasted::block_text;
use crate::page::scan::scan;
use crate::policy::to_prettier_json;
use crate::render::Flavor;
use crate::source::SourceFile;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;
use std::sync::Arc;

pub fn code_actions(
    uri: &Url,
    doc: &Document,
    opened: &Opened,
    aws: &AwsData,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let text = &doc.text;
    let (from, to) = (
        doc.index.offset(text, range.start),
        doc.index.offset(text, range.end),
    );
    let overlaps = |r: &std::ops::Range<usize>| r.start <= to && from <= r.end;
    let mut out = Vec::new();
    let findings: Vec<Finding> = if doc.is_toml() {
        let me = doc.path.clone();
        opened
            .loaded
            .findings
            .iter()
            .filter(|f| {
                f.span
                    .as_ref()
                    .is_some_and(|s| Some(file_of(s.file.name())) == me)
            })
            .cloned()
            .collect()
    } else {
        let (page, findings) = page_findings(doc, opened, aws);
        findings
            .into_iter()
            .filter(|f| f.span.as_ref().is_some_and(|s| Arc::ptr_eq(&s.file, &page)))
            .collect()
    };
    for f in &findings {
        let Some(span) = &f.span else {
            continue;
        };
        if !overlaps(&span.range) {
            continue;
        }
        let Some((edit, to_text)) = replacement(f, span.file.text()) else {
            continue;
        };
        let index = LineIndex::new(span.file.text());
        let edit = TextEdit {
            range: index.range(span.file.text(), edit),
            new_text: to_text.clone(),
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Replace with `{to_text}`"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic(f, &index)]),
            edit: Some(one_edit(uri, edit)),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    if !doc.is_toml() {
        out.extend(pasted_to_directive(uri, doc, opened, aws, from, to));
    }
    out
}

/// The range to replace and its new text, from a finding's help: the help names the right word
/// in backticks, and the message names the wrong one first.
fn replacement(f: &Finding, text: &str) -> Option<(std::ops::Range<usize>, String)> {
    let help = f.help.as_deref()?;
    let suggested = ["did you mean `", "AWS now lists it as `"]
        .iter()
        .find_map(|lead| help.strip_prefix(lead))
        .and_then(|rest| rest.split_once('`'))
        .map(|(s, _)| s.to_string())?;
    let span = f.span.as_ref()?;
    let shown = &text[span.range.clone()];
    let inner = shown.trim_matches(['"', '\'']);
    let lead = shown.len() - shown.trim_start_matches(['"', '\'']).len();
    if !inner.is_empty() && !inner.contains(char::is_whitespace) {
        let start = span.range.start + lead;
        return Some((start..start + inner.len(), suggested));
    }
    // A wider span (a whole directive): the wrong word is the message's first `quoted` one.
    let wrong = f.message.split('`').nth(1)?;
    let at = shown
        .match_indices(wrong)
        .find(|(i, _)| {
            let before = shown[..*i].chars().next_back();
            let after = shown[i + wrong.len()..].chars().next();
            !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
        })?
        .0;
    let start = span.range.start + at;
    Some((start..start + wrong.len(), suggested))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':')
}

fn one_edit(uri: &Url, edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..WorkspaceEdit::default()
    }
}

/// "Replace with `<<#iam-policy NAME>>`" for each pasted policy in the range that the catalog
/// already holds (same statements and elements, any key order).
fn pasted_to_directive(
    uri: &Url,
    doc: &Document,
    opened: &Opened,
    aws: &AwsData,
    from: usize,
    to: usize,
) -> Vec<CodeActionOrCommand> {
    let catalog = opened.catalog();
    if catalog.policies.is_empty() || !opened.usable() {
        return Vec::new();
    }
    let text = &doc.text;
    let scanned = scan(text);
    let mut known: Option<HashMap<String, String>> = None;
    let mut out = Vec::new();
    let flavor = doc
        .path
        .as_deref()
        .map_or(Flavor::Gfm, |p| crate::discover::flavor_for(None, p));
    for b in &scanned.pasted {
        if !(b.span.start <= to && from <= b.span.end) {
            continue;
        }
        let Some((base, body)) = block_text(text, b) else {
            continue;
        };
        let file = SourceFile::new("pasted", text.to_string());
        let Ok(v) = crate::json::parse_at(&body, base, &file) else {
            continue;
        };
        let known = known.get_or_insert_with(|| {
            catalog
                .policies
                .iter()
                .filter_map(|p| {
                    let (built, findings) = catalog.build_policy(p, &[]);
                    (!findings.iter().any(Finding::is_error))
                        .then(|| (canonical(&built.to_value()), p.name.value.clone()))
                })
                .collect()
        });
        let Some(name) = known.get(&canonical(&v)) else {
            continue;
        };
        let directive = match flavor {
            Flavor::Docusaurus => format!("{{/* iam-policy {name} */}}"),
            Flavor::Mdbook | Flavor::Gfm => format!("<<#iam-policy {name}>>"),
        };
        // Where the page shows the policy as the directive renders it (a title line above the
        // block in some flavors), the whole rendering is replaced, so the page renders the same.
        let replaced = rendered_before(text, b.span.end, &directive, opened, aws, flavor)
            .unwrap_or(b.span.clone());
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Replace this pasted policy with `{directive}` (the catalog holds it)"),
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(one_edit(
                uri,
                TextEdit {
                    range: doc.index.range(text, replaced),
                    new_text: directive,
                },
            )),
            ..CodeAction::default()
        }));
    }
    out
}

/// The range of the page, ending at `end`, that holds exactly what `directive` renders in this
/// flavor; `None` when the page shows it otherwise (another title, another layout).
fn rendered_before(
    text: &str,
    end: usize,
    directive: &str,
    opened: &Opened,
    aws: &AwsData,
    flavor: Flavor,
) -> Option<std::ops::Range<usize>> {
    let expander = crate::expand::Expander::with_validator(
        crate::validate::Validator::with_aws_data(opened.catalog(), aws),
        flavor,
    );
    let e = expander.expand(&SourceFile::new("directive", format!("{directive}\n")));
    if e.has_errors() {
        return None;
    }
    let rendered = e.text.trim_end_matches(['\n', '\r']);
    let shown = text[..end].trim_end_matches(['\n', '\r']);
    shown
        .ends_with(rendered)
        .then(|| shown.len() - rendered.len()..shown.len())
        .filter(|r| r.start == 0 || text[..r.start].ends_with('\n'))
}

/// A policy's form for comparison: members sorted by key at every level (as `adopt` compares).
fn canonical(v: &crate::json::Value) -> String {
    to_prettier_json(&crate::adopt::sorted(v))
}
