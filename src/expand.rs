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
    cache: RefCell<HashMap<String, String>>,
}

impl<'a> Expander<'a> {
    pub fn new(catalog: &'a Catalog, flavor: Flavor) -> Expander<'a> {
        Expander {
            catalog,
            validator: Validator::new(catalog),
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
                Finding::at(Code::MalformedDirective, "`<<#` is not closed by `>>` before the paragraph ends", &Span::new(page, r.clone()))
                    .with_help("close the directive with `>>`, or write `\\<<#` for a literal `<<#`")
            })
            .collect();
        let mut out = String::with_capacity(text.len() + scanned.found.len() * 256);
        let mut last = 0;
        let mut expanded = 0;
        for found in &scanned.found {
            match found {
                Found::Escape(at) => {
                    out.push_str(&text[last..*at]);
                    if self.flavor == Flavor::Docusaurus {
                        // MDX reads `<` as the start of JSX; character references keep it text.
                        out.push_str("&lt;&lt;#");
                        last = at + 4;
                    } else {
                        last = at + 1;
                    }
                }
                Found::Directive(site) => {
                    let Some(replacement) = self.directive(page, site, &mut findings) else {
                        continue;
                    };
                    out.push_str(&text[last..site.span.start]);
                    push_with_prefix(&mut out, &replacement, site.line_prefix.as_deref());
                    last = site.span.end;
                    expanded += 1;
                }
            }
        }
        out.push_str(&text[last..]);
        for block in &scanned.json_blocks {
            findings.extend(crate::raw::check_block(page, block, &self.validator));
        }
        findings.sort_by_key(|f| f.span.as_ref().map_or(0, |s| s.range.start));
        Expansion { text: out, findings, expanded }
    }

    /// The directive read from the page (for `check` and `sync`).
    pub fn read(page: &Arc<SourceFile>, site: &Site) -> Result<Directive, Finding> {
        directive::read(page, site.text.clone(), Span::new(page, site.span.clone()), site.form)
    }

    /// The rendered text of one directive, or `None` (with findings) when it fails.
    pub fn directive(&self, page: &Arc<SourceFile>, site: &Site, findings: &mut Vec<Finding>) -> Option<String> {
        let d = match Self::read(page, site) {
            Ok(d) => d,
            Err(f) => {
                findings.push(f);
                return None;
            }
        };
        if d.kind.is_block() && site.line_prefix.is_none() {
            findings.push(
                Finding::at(Code::InlineBlockDirective, format!("`{}` renders a block, but shares its line with other text", d.kind.name()), &d.span)
                    .with_help("put the directive on a line of its own, with a blank line before it"),
            );
        }
        let key = format!("{}|{:?}", cache_key(&d), site.line_prefix);
        if let Some(hit) = self.cache.borrow().get(&key) {
            return Some(hit.clone());
        }
        let r = resolve(&d, self.catalog, &self.validator);
        let clean = r.findings.is_empty();
        findings.extend(r.findings);
        let Some(resolved) = r.resolved else {
            if !findings.iter().any(Finding::is_error) {
                findings.push(Finding::at(Code::MalformedDirective, "the directive could not be expanded", &d.span));
            }
            return None;
        };
        let indent = site.line_prefix.as_deref().map_or(0, |p| p.chars().count());
        let text = render(&resolved, self.flavor, indent);
        // Only clean renders are cached, so every use of a faulty directive reports its findings.
        if clean {
            self.cache.borrow_mut().insert(key, text.clone());
        }
        Some(text)
    }
}

fn cache_key(d: &Directive) -> String {
    let mut k = d.kind.name().to_string();
    for a in &d.args {
        k.push(' ');
        k.push_str(&a.value);
    }
    for p in &d.params {
        k.push_str(&format!(" {}={:?}", p.key.value, p.value.value));
    }
    k
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
