//! Hover: on a directive, what it renders (the JSON, the callout, the table) as `expand` renders
//! it for the page; on a claim, whether the build proves it and which statement decides; on an
//! action, AWS's description, access level, resource types and condition keys; on a condition
//! key, its type.

use super::context::{directive_at, words};
use super::workspace::{Document, Opened};
use crate::aws_data::{Action, AwsData, Service};
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::eval::claim::{Claim, prove};
use crate::eval::findings::{ClaimText, deciding};
use crate::expand::Expander;
use crate::page::directive::DirectiveKind;
use crate::page::scan::{Found, scan};
use crate::validate::Validator;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};
use std::ops::Range;

pub fn hover(doc: &Document, opened: &Opened, aws: &AwsData, pos: Position) -> Option<Hover> {
    let text = &doc.text;
    let at = doc.index.offset(text, pos);
    let (value, range) = if doc.is_toml() {
        opened.path.as_ref()?;
        let (word, range) = quoted_word(text, at)?;
        let v = catalog_claim(doc, opened, &range)
            .or_else(|| name_info(&word, opened.catalog(), aws))
            .or_else(|| catalog_entry(&word, opened.catalog()))?;
        (v, range)
    } else {
        let scanned = scan(text);
        match directive_at(text, &scanned, at).filter(|d| d.site.is_some()) {
            Some(d) => {
                let Some(Found::Directive(site)) = d.site.map(|i| &scanned.found[i]) else {
                    return None;
                };
                let word = words(text, d.words.clone())
                    .into_iter()
                    .find(|w| w.range.start <= at && at <= w.range.end);
                // A word that names an action or key is explained; the rest of the directive
                // shows what it renders.
                let about_word = word.as_ref().and_then(|w| {
                    let v = w.text.split_once('=').map_or(w.text.as_str(), |(_, v)| v);
                    let v = v.trim_matches(['"', '\'', '`']);
                    v.contains(':')
                        .then(|| name_info(v, opened.catalog(), aws))
                        .flatten()
                });
                match about_word {
                    Some(v) => (v, word.map(|w| w.range).unwrap_or(site.span.clone())),
                    None => (directive(doc, opened, aws, site)?, site.span.clone()),
                }
            }
            None => match super::context::marker_at(text, at) {
                // A sync region's begin marker renders as its directive does.
                Some(site) => (directive(doc, opened, aws, &site)?, site.span.clone()),
                None => {
                    let (word, range) = quoted_word(text, at)?;
                    (name_info(&word, opened.catalog(), aws)?, range)
                }
            },
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(doc.index.range(text, range)),
    })
}

/// What a directive renders on this page, or the findings that stop it; for a claim, the proof.
fn directive(
    doc: &Document,
    opened: &Opened,
    aws: &AwsData,
    site: &crate::page::scan::Site,
) -> Option<String> {
    let page = doc.source();
    let d = Expander::read(&page, site).ok()?;
    if d.kind == DirectiveKind::Claim {
        return Some(claim(&d, opened.catalog(), aws));
    }
    if opened.path.is_none() {
        return Some(format!(
            "No `{}` in this page's folder or any folder above it: directives need one.",
            crate::catalog::DEFAULT_FILE_NAME
        ));
    }
    if !opened.usable() {
        return Some("The catalog cannot be read: see its diagnostics.".into());
    }
    let flavor = match doc.path.as_deref() {
        Some(p) => crate::discover::flavor_for(None, p),
        None => crate::render::Flavor::Gfm,
    };
    let expander =
        Expander::with_validator(Validator::with_aws_data(opened.catalog(), aws), flavor);
    let mut findings = Vec::new();
    let rendered = expander.directive(&page, site, &mut findings);
    let mut out = format!(
        "**{}** renders ({} flavor):\n\n",
        d.kind.name(),
        flavor.as_str()
    );
    match rendered {
        Some(r) if !findings.iter().any(Finding::is_error) => out.push_str(&r),
        _ => {
            out = format!("**{}** does not render:\n\n", d.kind.name());
            for f in &findings {
                out.push_str(&format!("- `{}`: {}\n", f.code.as_str(), f.message));
            }
        }
    }
    Some(out)
}

/// A claim on a page: proven (by which statements) or refuted (by which request and statement).
fn claim(d: &crate::page::directive::Directive, catalog: &Catalog, aws: &AwsData) -> String {
    let mut text = ClaimText::new(&d.span);
    for w in &d.args {
        text.word(&w.value, &w.span);
    }
    let c = match Claim::parse(&text.text) {
        Ok(c) => c,
        Err(e) => return format!("**Claim** cannot be read: {}", e.message),
    };
    match prove(&c, catalog, aws) {
        Ok(proof) => {
            let mut out = format!(
                "**Proven by the build**: {}\n",
                crate::eval::findings::sentence(&c)
            );
            if let Some(e) = &proof.evaluation {
                for s in &e.statements {
                    out.push_str(&format!("\n- {}", deciding(s)));
                }
            }
            out
        }
        Err(r) => {
            let f = crate::eval::findings::refuted(r, &text, &d.span);
            refutation(&f)
        }
    }
}

fn refutation(f: &Finding) -> String {
    let mut out = if f.code == Code::FalseClaim {
        format!("**Refuted**: {}\n", f.message)
    } else {
        format!("**`{}`**: {}\n", f.code.as_str(), f.message)
    };
    for n in &f.notes {
        out.push_str(&format!("\n- {}", n.message));
    }
    out
}

/// A catalog claim (a string in `claims`): refuted when the catalog's findings say so, else
/// proven (every catalog claim is proven when the catalog opens).
fn catalog_claim(doc: &Document, opened: &Opened, range: &Range<usize>) -> Option<String> {
    let here = |s: &crate::source::Span| {
        doc.path.as_deref() == Some(super::workspace::file_of(s.file.name()).as_path())
    };
    let catalog = opened.catalog();
    let claim = catalog
        .policies
        .iter()
        .flat_map(|p| &p.claims)
        .chain(catalog.statements.iter().flat_map(|s| &s.claims))
        .chain(catalog.roles.iter().flat_map(|r| &r.claims))
        .find(|c| {
            here(&c.span) && c.span.range.start <= range.start && range.end <= c.span.range.end + 1
        })?;
    let overlaps = |s: &crate::source::Span| {
        s.range.start < claim.span.range.end && claim.span.range.start < s.range.end
    };
    let problem = opened.loaded.findings.iter().find(|f| {
        (f.code == Code::FalseClaim || f.code == Code::InvalidClaim)
            && f.span.as_ref().is_some_and(|s| here(s) && overlaps(s))
    });
    Some(match problem {
        Some(f) => refutation(f),
        None if opened.loaded.has_errors() => {
            "This claim is proven once the catalog's errors are fixed.".into()
        }
        None => format!("**Proven by the build**: {}", claim.value),
    })
}

/// A catalog policy's name: the policy as it is published (its statements and own modifiers).
fn catalog_entry(word: &str, catalog: &Catalog) -> Option<String> {
    let p = catalog.policy(word)?;
    let (built, findings) = catalog.build_policy(p, &[]);
    if findings.iter().any(Finding::is_error) {
        return None;
    }
    let json = crate::policy::to_prettier_json(&built.to_value());
    let title = p.title.as_deref().unwrap_or(word);
    Some(format!("**{title}**, as published:\n\n```json\n{json}```"))
}

/// What a word names: an action (AWS's data), a condition key (the catalog's documentation, then
/// AWS's type).
pub fn name_info(word: &str, catalog: &Catalog, aws: &AwsData) -> Option<String> {
    let (service, name) = word.split_once(':')?;
    if let Some(s) = aws.service(service) {
        if let Some(a) = s.action(name) {
            return Some(action_doc(aws, s, a));
        }
        if name.contains(['*', '?']) {
            let matched = s.match_actions(name);
            if !matched.is_empty() {
                let shown: Vec<String> = matched
                    .iter()
                    .take(12)
                    .map(|a| format!("`{}:{}`", s.prefix, a.name))
                    .collect();
                let more = matched.len().saturating_sub(12);
                return Some(format!(
                    "**{word}** matches {} action{} of {}: {}{}",
                    matched.len(),
                    if matched.len() == 1 { "" } else { "s" },
                    s.name,
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
        }
    }
    if let Some(doc) = catalog.condition_key(word) {
        return Some(format!(
            "**{}** ({}): {}\n\nDocumented in the catalog.",
            doc.key.value, doc.key_type.value, doc.description
        ));
    }
    let k = aws.condition_key(word)?;
    let ty = k
        .key_type
        .map(|t| t.to_string())
        .unwrap_or_else(|| "type not known to this version".into());
    Some(format!("**{}** (condition key, {ty})", k.name))
}

/// An action as AWS's data describes it.
pub fn action_doc(_aws: &AwsData, s: &Service, a: &Action) -> String {
    let mut out = format!(
        "**{}:{}** ({}), {}",
        s.prefix,
        a.name,
        a.access_level().as_str(),
        s.name
    );
    let resources: Vec<String> = s
        .action_resource_types(a)
        .map(|(t, r)| {
            format!(
                "`{}`{}",
                t.name,
                if r.required { " (required)" } else { "" }
            )
        })
        .collect();
    if resources.is_empty() {
        out.push_str("\n\nResource: `*` only (no resource-level permissions)");
    } else {
        out.push_str(&format!("\n\nResource types: {}", resources.join(", ")));
    }
    let keys: Vec<String> = s
        .action_condition_keys(a)
        .iter()
        .map(|k| format!("`{}`", k.name))
        .collect();
    if !keys.is_empty() {
        out.push_str(&format!("\n\nCondition keys: {}", keys.join(", ")));
    }
    out
}

/// The quoted string (or bare word) around `at`, without its quotes.
fn quoted_word(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let line = &text[line_start..line_end];
    let rel = at - line_start;
    // Inside quotes: from the quote before to the one after.
    let mut start = None;
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match quote {
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start = Some(i + 1);
            }
            Some(q) if c == q => {
                let s = start?;
                if s <= rel && rel <= i {
                    return Some((line[s..i].to_string(), line_start + s..line_start + i));
                }
                quote = None;
            }
            _ => {}
        }
    }
    let is_word = |c: char| {
        c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '*' | '?' | '/' | '$' | '{' | '}')
    };
    let std::ops::Range { start: s, end: e } = super::context::word_around(line, rel, is_word);
    (s < e).then(|| (line[s..e].to_string(), line_start + s..line_start + e))
}
