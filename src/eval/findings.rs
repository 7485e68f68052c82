//! Claims as findings: claim text assembled from words written in a page or a catalog (so a
//! word's place in the claim maps back to its place in the file), a refutation as a finding
//! that names the deciding statements, the catalog's own `claims` proven, and a proven claim
//! as the sentence it states.

use super::Decided;
use super::claim::{Claim, Quantified, Refutation, Verb, prove};
use crate::aws_data::AwsData;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::source::{Span, Spanned};
use std::ops::Range;

/// Claim text assembled from spanned words, and where each word came from.
pub struct ClaimText {
    pub text: String,
    /// (start in `text`, the word's span).
    pieces: Vec<(usize, Span)>,
    /// Where the whole claim stands, for ranges no word holds.
    whole: Span,
}

impl ClaimText {
    pub fn new(whole: &Span) -> ClaimText {
        ClaimText {
            text: String::new(),
            pieces: Vec::new(),
            whole: whole.clone(),
        }
    }

    /// Appends a word written at `span`.
    pub fn word(&mut self, text: &str, span: &Span) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pieces.push((self.text.len(), span.clone()));
        self.text.push_str(text);
    }

    /// Appends a word of the tool's own (no place of its own: it maps to the whole claim).
    pub fn filler(&mut self, text: &str) {
        let whole = self.whole.clone();
        self.word(text, &whole);
    }

    /// The page (or catalog) span of a range of the claim text.
    pub fn span(&self, range: &Range<usize>) -> Span {
        let at = |pos: usize| {
            let i = self.pieces.partition_point(|(start, _)| *start <= pos);
            i.checked_sub(1).map(|i| &self.pieces[i])
        };
        match (
            at(range.start),
            at(range.end.saturating_sub(1).max(range.start)),
        ) {
            (Some((s0, a)), Some((s1, b))) if Span::same_file(a, b) && a != &self.whole => {
                let start = (a.range.start + (range.start - s0)).min(a.range.end);
                let end = (b.range.start + (range.end - s1)).clamp(start, b.range.end.max(start));
                Span::new(&a.file, start..end)
            }
            _ => self.whole.clone(),
        }
    }
}

/// The finding for a claim that does not hold or cannot be checked.
pub fn refuted(r: Refutation, text: &ClaimText, at: &Span) -> Finding {
    match r {
        Refutation::Invalid { message, range } => {
            Finding::at(Code::InvalidClaim, message, &text.span(&range))
        }
        Refutation::Counterexample(c) => {
            let (request, evaluation) = (c.request, c.evaluation);
            let mut f = Finding::at(
                Code::FalseClaim,
                format!(
                    "this claim does not hold: the policies allow {}",
                    crate::access::claims::describe_request(&request),
                ),
                at,
            );
            for d in &evaluation.statements {
                f = f.with_note(Some(d.span.clone()), deciding(d));
            }
            f.with_help("correct the claim, or the catalog if the claim is what the docs mean")
        }
        Refutation::Name { problem, range } => problem.finding(Some(&text.span(&range))),
        Refutation::False {
            decided,
            reason,
            statements,
            statement,
            missing_context_keys,
        } => {
            let mut f = Finding::at(
                Code::FalseClaim,
                format!(
                    "this claim does not hold: the evaluator finds it {}: {reason}",
                    decided_words(&decided)
                ),
                at,
            );
            for d in &statements {
                f = f.with_note(Some(d.span.clone()), deciding(d));
            }
            if let Some(s) = statement {
                f = f.with_note(Some(s), "the statement, as the catalog defines it");
            }
            if !missing_context_keys.is_empty() {
                f = f.with_note(
                    None,
                    format!(
                        "the request carried none of: {}",
                        missing_context_keys
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            f.with_help("correct the claim, or the catalog if the claim is what the docs mean")
        }
    }
}

fn decided_words(decided: &str) -> String {
    match decided {
        "Allowed" => "allowed".into(),
        "ExplicitlyDenied" => "explicitly denied".into(),
        "ImplicitlyDenied" => "implicitly denied (nothing allows it)".into(),
        other => other.to_string(),
    }
}

pub(crate) fn deciding(d: &Decided) -> String {
    let sid = d
        .sid
        .as_deref()
        .map(|s| format!(" (`{s}`)"))
        .unwrap_or_default();
    format!(
        "decided by statement {}{sid} of `{}`, which says {}",
        d.index + 1,
        d.policy,
        d.effect.as_str()
    )
}

fn verb_text(v: Verb) -> &'static str {
    match v {
        Verb::Allows => "allows",
        Verb::Denies => "denies",
        Verb::ExplicitlyDenies => "explicitly denies",
        Verb::ImplicitlyDenies => "implicitly denies",
        Verb::Applies => "applies",
        Verb::DoesNotApply => "does not apply",
    }
}

/// `allows only `s3:GetObject` and `s3:ListBucket``, `grants no Write or Tagging access`.
fn quantified_text(q: &Quantified, verb: &str) -> String {
    let list = |items: Vec<String>, last: &str| match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} {last} {}", items[..n - 1].join(", "), items[n - 1]),
    };
    match q {
        Quantified::AllowsOnly(words) | Quantified::DeniesEvery(words) => {
            let joiner = if matches!(q, Quantified::AllowsOnly(_)) {
                "and"
            } else {
                "or"
            };
            let names = words.iter().map(|w| format!("`{}`", w.text)).collect();
            if words.is_empty() {
                format!("{verb} action")
            } else {
                format!("{verb} {}", list(names, joiner))
            }
        }
        Quantified::GrantsNo(levels) | Quantified::GrantsOnly(levels) => {
            let joiner = if matches!(q, Quantified::GrantsNo(_)) {
                "or"
            } else {
                "and"
            };
            let names = levels.iter().map(|(l, _)| l.as_str().to_string()).collect();
            format!("{verb} {} access", list(names, joiner))
        }
    }
}

/// The claim as the sentence it states, names in code: "`s3-readonly` denies `s3:PutObject`".
pub fn sentence(c: &Claim) -> String {
    let code = |s: &str| format!("`{s}`");
    let mut out = code(&c.subject.text);
    if !c.modifiers.is_empty() {
        let mods: Vec<String> = c.modifiers.iter().map(|m| code(&m.text)).collect();
        out.push_str(&format!(" with {}", mods.join(" ")));
    }
    out.push(' ');
    match &c.quantified {
        Some(q) => out.push_str(&quantified_text(q, &c.quantifier)),
        None => out.push_str(verb_text(c.verb)),
    }
    if let Some(a) = &c.action {
        out.push_str(&format!(" {}", code(&a.text)));
    }
    if let Some(r) = &c.resource {
        out.push_str(&format!(" on {}", code(&r.text)));
    }
    if let Some(p) = &c.principal {
        out.push_str(&format!(" as {}", code(&p.text)));
    }
    for (i, cond) in c.conditions.iter().enumerate() {
        out.push_str(if i == 0 { " when " } else { " and " });
        match &cond.value {
            Some(v) => out.push_str(&format!("{} is {}", code(&cond.key.text), code(&v.text))),
            None => out.push_str(&format!("{} is absent", code(&cond.key.text))),
        }
    }
    out
}

/// The catalog's own claims (`claims` on policies, roles and reusable statements), each written
/// after its entry's name, proven; a claim that does not hold is an error at its catalog line.
pub fn catalog_claims(catalog: &Catalog, aws: &AwsData) -> Vec<Finding> {
    let entries = catalog
        .policies
        .iter()
        .map(|p| (&p.name, &p.claims))
        .chain(catalog.roles.iter().map(|r| (&r.name, &r.claims)))
        .chain(catalog.statements.iter().map(|s| (&s.name, &s.claims)));
    let mut findings = Vec::new();
    for (name, claims) in entries {
        for claim in claims {
            findings.extend(catalog_claim(name, claim, catalog, aws));
        }
    }
    findings
}

fn catalog_claim(
    name: &Spanned<String>,
    claim: &Spanned<String>,
    catalog: &Catalog,
    aws: &AwsData,
) -> Option<Finding> {
    let mut text = ClaimText::new(&claim.span);
    text.word(&name.value, &name.span);
    let inner = crate::catalog::template::inner_span(&claim.span, 0..claim.value.len());
    text.word(&claim.value, &inner);
    let c = match Claim::parse(&text.text) {
        Ok(c) => c,
        Err(e) => {
            return Some(Finding::at(
                Code::InvalidClaim,
                e.message,
                &text.span(&e.range),
            ));
        }
    };
    prove(&c, catalog, aws)
        .err()
        .map(|r| refuted(r, &text, &claim.span))
}
