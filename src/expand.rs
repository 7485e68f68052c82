//! Expanding a page: find the directives, read, resolve and render each, and splice the results
//! back by byte offset. Text outside directives is copied unchanged; a directive that fails keeps
//! its original text and yields findings, so a failed page is never half-rewritten.

use crate::catalog::{Catalog, Uses};
use crate::diagnostic::{Code, Finding};
use crate::page::directive::{self, Directive, DirectiveKind};
use crate::page::scan::{Found, Site, scan};
use crate::page::splice::{Edit, line_ending_at, splice};
use crate::render::{Flavor, render};
use crate::resolve::resolve;
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
    /// Pasted policies examined (`page::pasted`), and fragments of policies recognised and left
    /// alone.
    pub policies: usize,
    pub fragments: usize,
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
    /// Set when pages are checked without a catalog: what a directive is told.
    without_catalog: Option<String>,
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
            without_catalog: None,
        }
    }

    /// An expander for pages checked without a catalog (`check` where there is none): pasted
    /// policies are validated as usual, and each directive is a `catalog-not-found` error with
    /// this help.
    pub fn without_catalog(mut self, help: String) -> Expander<'a> {
        self.without_catalog = Some(help);
        self
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
        if let Some(at) = scanned.parser_failure {
            return Expansion {
                text: text.to_string(),
                findings: vec![crate::page::scan::parser_failure_finding(page, at)],
                expanded: 0,
                policies: 0,
                fragments: 0,
            };
        }
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
        let mut edits: Vec<(std::ops::Range<usize>, Edit)> =
            Vec::with_capacity(scanned.found.len());
        let mut expanded = 0;
        for found in &scanned.found {
            match found {
                Found::Escape(at) => {
                    // `\<<#` becomes the flavor's literal `<<#`.
                    let literal = self.flavor.literal_directive_opening();
                    edits.push((*at..at + 4, Edit::Text(literal.into())));
                }
                Found::Directive(site) => {
                    let Some(replacement) = self.directive(page, site, &mut findings) else {
                        continue;
                    };
                    edits.push((
                        site.span.clone(),
                        Edit::Block {
                            text: replacement,
                            prefix: site.line_prefix.clone(),
                            newline: line_ending_at(text, site.span.end),
                        },
                    ));
                    expanded += 1;
                }
            }
        }
        let out = splice(text, &edits);
        let mut policies = 0;
        let mut fragments = 0;
        for block in &scanned.pasted {
            let checked = crate::page::pasted::check_block(page, block, &self.validator);
            findings.extend(checked.findings);
            policies += checked.policies;
            fragments += checked.fragments;
        }
        findings.sort_by_key(|f| f.span.as_ref().map_or(0, |s| s.range.start));
        Expansion {
            text: out,
            findings,
            expanded,
            policies,
            fragments,
        }
    }

    /// The catalog entries the page's directives use (see [`Uses`]). Directives that cannot be
    /// read are skipped: expanding the page reports them.
    pub fn uses(&self, page: &Arc<SourceFile>) -> Uses {
        let mut uses = Uses::default();
        let scanned = scan(page.text());
        for found in &scanned.found {
            let Found::Directive(site) = found else {
                continue;
            };
            let Ok(d) = Self::read(page, site) else {
                continue;
            };
            let Some(first) = d.args.first().map(|a| a.value.as_str()) else {
                if d.kind == DirectiveKind::ConditionKeys {
                    uses.condition_keys = true;
                }
                continue;
            };
            match d.kind {
                DirectiveKind::Policy | DirectiveKind::Actions => {
                    let modifiers = d.args[1..].iter().map(|a| a.value.as_str());
                    uses.policy(self.catalog, first, modifiers);
                }
                DirectiveKind::Statement => {
                    uses.statements.insert(first.to_string());
                }
                DirectiveKind::Callout => {
                    uses.callouts.insert(first.to_string());
                }
                DirectiveKind::ConditionKeys => uses.condition_keys = true,
                DirectiveKind::RoleCommands => uses.role(self.catalog, first),
                DirectiveKind::AccessSummary if self.catalog.policy(first).is_none() => {
                    uses.role(self.catalog, first)
                }
                DirectiveKind::AccessSummary => {
                    let modifiers = d.args[1..].iter().map(|a| a.value.as_str());
                    uses.policy(self.catalog, first, modifiers);
                }
                DirectiveKind::TruthTable | DirectiveKind::Claim => {
                    uses.subject(self.catalog, first)
                }
            }
        }
        uses
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

    /// The rendered text of a block directive written as words (`iam-policy x`) at `words`,
    /// standing alone on its line with `prefix` before it: a synced region's begin marker.
    pub fn block_directive(
        &self,
        page: &Arc<SourceFile>,
        words: std::ops::Range<usize>,
        whole: std::ops::Range<usize>,
        prefix: &str,
        findings: &mut Vec<Finding>,
    ) -> Option<Rc<str>> {
        let site = Site {
            span: whole,
            text: words,
            form: crate::page::directive::Form::Comment,
            line_prefix: Some(prefix.to_string()),
        };
        self.directive(page, &site, findings)
    }

    /// The rendered text of one directive found in the page, or `None` (with findings) when it
    /// fails.
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
        if let Some(help) = &self.without_catalog {
            findings.push(
                Finding::at(
                    Code::CatalogNotFound,
                    format!(
                        "`{}` needs a catalog, and this page is checked without one",
                        d.kind.name()
                    ),
                    &d.span,
                )
                .with_help(help.clone()),
            );
            return None;
        }
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
            let compiles = self.flavor.blocks_may_share_a_line();
            if !compiles {
                // The page would not build; fail here, at the source line.
                f = f.with_severity(crate::diagnostic::Severity::Error);
            }
            findings.push(f);
            if !compiles {
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
