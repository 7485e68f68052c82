//! Go to definition, from a directive's names (and a catalog's references to its own entries) to
//! the catalog entry; references, from a catalog entry to every page that uses it and every
//! catalog entry that names it.

use super::context::{directive_at, words};
use super::diagnostics::location;
use super::text::LineIndex;
use super::workspace::{Document, Opened, Workspace, same};
use crate::catalog::Catalog;
use crate::discover;
use crate::expand::Expander;
use crate::page::scan::{Found, scan};
use crate::source::{SourceFile, Span};
use lsp_types::{Location, Position, Url};
use std::path::Path;

/// The catalog entry a name stands for: a policy, role, reusable statement, modifier, callout
/// or documented condition key, in that order.
pub fn entry(catalog: &Catalog, name: &str) -> Option<Span> {
    let name = name.trim_matches(['`', '"', '\'']);
    catalog
        .policy(name)
        .map(|p| p.name.span.clone())
        .or_else(|| catalog.role(name).map(|r| r.name.span.clone()))
        .or_else(|| catalog.statement(name).map(|s| s.name.span.clone()))
        .or_else(|| catalog.modifier(name).map(|m| m.name.span.clone()))
        .or_else(|| catalog.callout(name).map(|c| c.name.span.clone()))
        .or_else(|| catalog.condition_key(name).map(|k| k.key.span.clone()))
}

/// The name under the cursor: a directive's word on a page, a string or bare word in the catalog.
fn name_at(doc: &Document, at: usize) -> Option<(String, std::ops::Range<usize>)> {
    let text = &doc.text;
    if doc.is_toml() {
        return word_at(text, at);
    }
    let scanned = scan(text);
    let range = match directive_at(text, &scanned, at).filter(|d| d.site.is_some()) {
        Some(d) => d.words,
        None => super::context::marker_at(text, at)?.text,
    };
    let w = words(text, range)
        .into_iter()
        .find(|w| w.range.start <= at && at <= w.range.end)?;
    Some((w.text.trim_matches(['`', '"', '\'']).to_string(), w.range))
}

fn word_at(text: &str, at: usize) -> Option<(String, std::ops::Range<usize>)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '/');
    let std::ops::Range { start: s, end: e } = super::context::word_around(text, at, is_word);
    // `[policies.NAME]`: the last dotted part under the cursor.
    let w = &text[s..e];
    let mut start = s;
    for part in w.split('.') {
        let end = start + part.len();
        if start <= at && at <= end && !part.is_empty() {
            return Some((part.to_string(), start..end));
        }
        start = end + 1;
    }
    None
}

pub fn definition(doc: &Document, opened: &Opened, pos: Position) -> Option<Location> {
    let at = doc.index.offset(&doc.text, pos);
    let (name, _) = name_at(doc, at)?;
    let span = entry(opened.catalog(), &name)?;
    location(&span)
}

pub fn references(
    ws: &Workspace,
    doc: &Document,
    opened: &Opened,
    pos: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let at = doc.index.offset(&doc.text, pos);
    let Some((name, _)) = name_at(doc, at) else {
        return Vec::new();
    };
    let catalog = opened.catalog();
    let Some(decl) = entry(catalog, &name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if include_declaration {
        out.extend(location(&decl));
    }
    // The catalog's own references: the name as a string value elsewhere in its files.
    for file in &catalog.files {
        for (i, _) in file.text().match_indices(&name) {
            let end = i + name.len();
            let t = file.text().as_bytes();
            let quoted = i > 0 && matches!(t[i - 1], b'"' | b'\'') && t.get(end) == Some(&t[i - 1]);
            let is_decl = Span::same_file(&decl, &Span::new(file, i..end))
                && decl.range.start <= i
                && end <= decl.range.end;
            if quoted && !is_decl {
                out.extend(location(&Span::new(file, i..end)));
            }
        }
    }
    // Every page under the catalog's folder.
    let Some(root) = opened.path.as_deref().map(discover::catalog_root) else {
        return out;
    };
    let Ok(pages) = discover::pages(&[root]) else {
        return out;
    };
    for path in pages {
        let path = std::path::absolute(&path).unwrap_or(path);
        let text = match open_text(ws, &path) {
            Some(t) => t,
            None => match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(_) => continue,
            },
        };
        if !text.contains(&name) {
            continue;
        }
        let Ok(uri) = Url::from_file_path(&path) else {
            continue;
        };
        let page = SourceFile::new(path.display().to_string(), text);
        let index = LineIndex::new(page.text());
        for f in scan(page.text()).found {
            let Found::Directive(site) = f else {
                continue;
            };
            let Ok(d) = Expander::read(&page, &site) else {
                continue;
            };
            for w in &d.args {
                if w.value.trim_matches(['`', '"', '\'']) == name {
                    out.push(Location {
                        uri: uri.clone(),
                        range: index.range(page.text(), w.span.range.clone()),
                    });
                }
            }
        }
        // Sync regions' begin markers name entries too.
        for (_, range) in crate::sync::region_directives(&page) {
            for w in words(page.text(), range) {
                if w.text.trim_matches(['`', '"', '\'']) == name {
                    out.push(Location {
                        uri: uri.clone(),
                        range: index.range(page.text(), w.range),
                    });
                }
            }
        }
    }
    out
}

fn open_text(ws: &Workspace, path: &Path) -> Option<String> {
    ws.docs
        .values()
        .find(|d| d.path.as_deref().is_some_and(|p| same(p, path)))
        .map(|d| d.text.clone())
}
