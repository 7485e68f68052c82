//! Expanding a page: find the directives, read, resolve and render each, and splice the results
//! back by byte offset. Text outside directives is copied unchanged; a directive that fails keeps
//! its original text and yields findings, so a failed page is never half-rewritten.

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::directive::{self, Directive};
use crate::render::{Flavor, render};
use crate::resolve::resolve;
use crate::scan::{Found, Site, scan};
use crate::source::{SourceFile, Span};
use crate::validate::Validator;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

pub struct Expansion {
    pub text: String,
    pub findings: Vec<Finding>,
    /// How many directives were expanded.
    pub expanded: usize,
}

impl Expansion {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Expands pages against one catalog. Renders are cached per directive text, since books repeat
/// the same few directives across many chapters.
pub struct Expander<'a> {
    catalog: &'a Catalog,
    validator: Validator<'a>,
    flavor: Flavor,
    cache: RefCell<HashMap<String, Rc<str>>>,
}

impl<'a> Expander<'a> {
    pub fn new(catalog: &'a Catalog, flavor: Flavor) -> Expander<'a> {
        Expander::with_validator(Validator::new(catalog), flavor)
    }

    /// An expander whose validator uses other AWS data (`--aws-data`).
    pub fn with_validator(validator: Validator<'a>, flavor: Flavor) -> Expander<'a> {
        Expander {
            catalog: validator.catalog,
            validator,
            flavor,
            cache: RefCell::new(HashMap::new()),
        }
    }

    pub fn validator(&self) -> &Validator<'a> {
        &self.validator
    }

    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    pub fn expand(&self, page: &Arc<SourceFile>) -> Expansion {
        let text = page.text();
        let scanned = scan(text);
        let mut findings: Vec<Finding> = scanned
            .unclosed
            .iter()
            .map(|r| {
                Finding::at(
                    Code::MalformedDirective,
                    "`<<#` is not closed by `>>` before the paragraph ends",
                    &Span::new(page, r.clone()),
                )
                .with_help("close the directive with `>>`, or write `\\<<#` for a literal `<<#`")
            })
            .collect();
        // Render first, then build the page once at its exact size.
        let mut edits: Vec<(std::ops::Range<usize>, Replacement)> =
            Vec::with_capacity(scanned.found.len());
        let mut expanded = 0;
        for found in &scanned.found {
            match found {
                Found::Escape(at) => {
                    if self.flavor == Flavor::Docusaurus {
                        // MDX reads `<` as the start of JSX; character references keep it text.
                        edits.push((*at..at + 4, Replacement::Text("&lt;&lt;#".into())));
                    } else {
                        edits.push((*at..at + 1, Replacement::Text(String::new())));
                    }
                }
                Found::Directive(site) => {
                    let Some(replacement) = self.directive(page, site, &mut findings) else {
                        continue;
                    };
                    edits.push((
                        site.span.clone(),
                        Replacement::Block(replacement, site.line_prefix.clone()),
                    ));
                    expanded += 1;
                }
            }
        }
        let size = text.len() + edits.iter().map(|(_, r)| r.len()).sum::<usize>();
        let mut out = String::with_capacity(size);
        let mut last = 0;
        for (range, r) in &edits {
            out.push_str(&text[last..range.start]);
            match r {
                Replacement::Text(t) => out.push_str(t),
                Replacement::Block(b, prefix) => push_with_prefix(&mut out, b, prefix.as_deref()),
            }
            last = range.end;
        }
        out.push_str(&text[last..]);
        for block in &scanned.json_blocks {
            findings.extend(crate::raw::check_block(page, block, &self.validator));
        }
        findings.sort_by_key(|f| f.span.as_ref().map_or(0, |s| s.range.start));
        Expansion {
            text: out,
            findings,
            expanded,
        }
    }

    /// The directive read from the page (for `check` and `sync`).
    pub fn read(page: &Arc<SourceFile>, site: &Site) -> Result<Directive, Finding> {
        directive::read(
            page,
            site.text.clone(),
            Span::new(page, site.span.clone()),
            site.form,
        )
    }

    /// The rendered text of one directive, or `None` (with findings) when it fails.
    pub fn directive(
        &self,
        page: &Arc<SourceFile>,
        site: &Site,
        findings: &mut Vec<Finding>,
    ) -> Option<Rc<str>> {
        // Keyed by the directive's text as written: repeated directives skip reading entirely.
        let raw = &page.text()[site.text.clone()];
        // Directives at the start of a line with no prefix (the common case) are looked up by
        // their text alone, without building a key.
        let top_level = site.line_prefix.as_deref() == Some("");
        let key = match &site.line_prefix {
            Some(p) if !p.is_empty() => format!("{raw}\u{0}{p}"),
            Some(_) => String::new(),
            None => format!("{raw}\u{1}"),
        };
        let hit = if top_level {
            self.cache.borrow().get(raw).cloned()
        } else {
            self.cache.borrow().get(&key).cloned()
        };
        if let Some(hit) = hit {
            return Some(hit);
        }
        let d = match Self::read(page, site) {
            Ok(d) => d,
            Err(f) => {
                findings.push(f);
                return None;
            }
        };
        if d.kind.is_block() && site.line_prefix.is_none() {
            let mut f = Finding::at(
                Code::InlineBlockDirective,
                format!(
                    "`{}` renders a block, but shares its line with other text",
                    d.kind.name()
                ),
                &d.span,
            )
            .with_help("put the directive on a line of its own, with a blank line before it");
            if self.flavor == Flavor::Docusaurus {
                // In MDX a block inside a paragraph does not compile; fail here, at the source line.
                f = f.with_severity(crate::diagnostic::Severity::Error);
            }
            findings.push(f);
            if self.flavor == Flavor::Docusaurus {
                return None;
            }
        }
        let r = resolve(&d, self.catalog, &self.validator);
        let warned_inline = d.kind.is_block() && site.line_prefix.is_none();
        let clean = r.findings.is_empty() && !warned_inline;
        findings.extend(r.findings);
        let Some(resolved) = r.resolved else {
            if !findings.iter().any(Finding::is_error) {
                findings.push(Finding::at(
                    Code::MalformedDirective,
                    "the directive could not be expanded",
                    &d.span,
                ));
            }
            return None;
        };
        let indent = site.line_prefix.as_deref().map_or(0, |p| p.chars().count());
        let text: Rc<str> = render(&resolved, self.flavor, indent).into();
        // Only clean renders are cached, so every use of a faulty directive reports its findings.
        if clean {
            let key = if top_level { raw.to_string() } else { key };
            self.cache.borrow_mut().insert(key, Rc::clone(&text));
        }
        Some(text)
    }
}

enum Replacement {
    Text(String),
    Block(Rc<str>, Option<String>),
}

impl Replacement {
    /// An upper bound of the text this adds (prefixes included).
    fn len(&self) -> usize {
        match self {
            Replacement::Text(t) => t.len(),
            Replacement::Block(b, prefix) => match prefix.as_deref() {
                None | Some("") => b.len(),
                Some(p) => b.len() + memchr::memchr_iter(b'\n', b.as_bytes()).count() * p.len(),
            },
        }
    }
}

/// Appends block text, repeating the page's line prefix on every line after the first (blank
/// lines get the prefix without trailing spaces, as editors and Prettier write them).
fn push_with_prefix(out: &mut String, text: &str, prefix: Option<&str>) {
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
