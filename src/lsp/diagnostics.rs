//! Findings as the protocol's diagnostics: the page's findings, as `check` reports them, and the
//! catalog's, each with its code linked to the guide's page for it.

use super::text::LineIndex;
use super::workspace::{Document, Opened, file_of};
use crate::aws_data::AwsData;
use crate::diagnostic::{Finding, Severity};
use crate::run::PageChecker;
use crate::source::{SourceFile, Span};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The page's findings, as `check` reports them for it (none when its catalog cannot be read:
/// `check` stops there too, and the catalog's diagnostics say why).
pub fn page_findings(
    doc: &Document,
    opened: &Opened,
    aws: &AwsData,
) -> (Arc<SourceFile>, Vec<Finding>) {
    let page = doc.source();
    if !opened.usable() {
        return (page, Vec::new());
    }
    let checker = PageChecker::new(
        opened.catalog(),
        &opened.loaded.findings,
        opened.missing.clone(),
        aws,
    );
    let findings = checker.check(&page).findings;
    (page, findings)
}

/// The page's diagnostics: its findings that are placed in it.
pub fn page(doc: &Document, opened: &Opened, aws: &AwsData) -> Vec<Diagnostic> {
    let (page, findings) = page_findings(doc, opened, aws);
    findings
        .iter()
        .filter(|f| f.span.as_ref().is_some_and(|s| Arc::ptr_eq(&s.file, &page)))
        .map(|f| diagnostic(f, &doc.index))
        .collect()
}

/// The catalog's diagnostics, per file (the catalog and each file it includes; every file it
/// reads is listed, so fixed problems are cleared).
pub fn catalog(opened: &Opened) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    let Some(top) = &opened.path else {
        return out;
    };
    for p in &opened.catalog().paths {
        out.entry(std::path::absolute(p).unwrap_or_else(|_| p.clone()))
            .or_default();
    }
    out.entry(top.clone()).or_default();
    for f in &opened.loaded.findings {
        let (file, d) = match &f.span {
            Some(s) => (
                file_of(s.file.name()),
                diagnostic(f, &LineIndex::new(s.file.text())),
            ),
            None => (top.clone(), diagnostic(f, &LineIndex::default())),
        };
        out.entry(file).or_default().push(d);
    }
    out
}

/// One finding as a diagnostic; `index` is the index of the finding's own file.
pub fn diagnostic(f: &Finding, index: &LineIndex) -> Diagnostic {
    let range = match &f.span {
        Some(s) => index.range(s.file.text(), s.range.clone()),
        None => lsp_types::Range::default(),
    };
    let mut message = f.message.clone();
    if let Some(h) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .notes
        .iter()
        .filter_map(|n| {
            let s = n.span.as_ref()?;
            Some(DiagnosticRelatedInformation {
                location: location(s)?,
                message: n.message.clone(),
            })
        })
        .collect();
    // Notes without a place are part of the message.
    for n in f.notes.iter().filter(|n| n.span.is_none()) {
        message.push_str("\nnote: ");
        message.push_str(&n.message);
    }
    Diagnostic {
        range,
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.code.as_str().to_string())),
        code_description: Url::parse(&crate::sarif::help_uri(f.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("mdbook-iam".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A place as a protocol location (in its own file).
pub fn location(s: &Span) -> Option<Location> {
    if s.is_generated() {
        return None;
    }
    let uri = Url::from_file_path(file_of(s.file.name())).ok()?;
    let index = LineIndex::new(s.file.text());
    Some(Location {
        uri,
        range: index.range(s.file.text(), s.range.clone()),
    })
}
