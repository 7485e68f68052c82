//! Whole-catalog validation: every policy as published, every reusable statement, every callout
//! default, every reference between entries. Run once per build, before any page; `expand` of
//! one page runs it on the entries the page uses ([`Uses`]).

use super::Validator;
use crate::catalog::Uses;
use crate::diagnostic::Finding;

/// `uses`: only these entries (`None`: all).
pub(super) fn check(validator: &Validator<'_>, uses: Option<&Uses>) -> Vec<Finding> {
    let catalog = validator.catalog;
    let mut findings = catalog.dangling_references();
    if uses.is_none_or(|u| u.condition_keys) {
        findings.extend(validator.catalog_condition_keys());
    }
    let used = |set: fn(&Uses) -> &std::collections::BTreeSet<String>, name: &str| {
        uses.is_none_or(|u| set(u).contains(name))
    };
    for p in &catalog.policies {
        if !used(|u| &u.policies, &p.name.value) {
            continue;
        }
        let (policy, fs) = catalog.build_policy(p, &[]);
        findings.extend(fs);
        findings.extend(validator.policy(&policy, p.kind));
    }
    for s in &catalog.statements {
        if !used(|u| &u.statements, &s.name.value) {
            continue;
        }
        let (stmt, fs) = catalog.build_statement(s);
        findings.extend(fs);
        if let Some(stmt) = stmt {
            validator.statement(&stmt, &mut findings);
        }
    }
    for c in &catalog.callouts {
        if !used(|u| &u.callouts, &c.name.value) {
            continue;
        }
        for p in &c.params {
            if let Some(d) = &p.default {
                super::params::check(validator, p.ty, d, &mut findings);
            }
        }
    }
    dedup(findings)
}

/// The same finding reached twice (a statement used by two policies) is reported once.
pub fn dedup(findings: Vec<Finding>) -> Vec<Finding> {
    // Keyed by what makes two findings the same: code, place (file and range) and message.
    let mut seen = std::collections::HashSet::new();
    findings
        .into_iter()
        .filter(|f| {
            let place = f
                .span
                .as_ref()
                .map(|s| (std::sync::Arc::as_ptr(&s.file), s.range.clone()));
            seen.insert((f.code, place, f.message.clone()))
        })
        .collect()
}
