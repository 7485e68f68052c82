//! The catalog entries one page uses. `expand` of a single page validates only these (the
//! page's directives validate what they render on top); `check`, the mdBook preprocessor and
//! the Docusaurus plugin (once per build) validate the whole catalog and prove its claims.

use super::{Catalog, StatementRef};
use std::collections::BTreeSet;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Uses {
    pub policies: BTreeSet<String>,
    pub statements: BTreeSet<String>,
    pub callouts: BTreeSet<String>,
    /// An `iam-condition-keys` directive shows the documented keys.
    pub condition_keys: bool,
}

impl Uses {
    /// A policy as a page shows it, with `modifiers` on top of its own: the policy, and the
    /// reusable statements it and the modifiers name. Names the catalog lacks are kept (the
    /// directive reports them).
    pub fn policy<'m>(
        &mut self,
        catalog: &Catalog,
        name: &str,
        modifiers: impl IntoIterator<Item = &'m str>,
    ) {
        self.policies.insert(name.to_string());
        let Some(p) = catalog.policy(name) else {
            return;
        };
        for s in &p.statements {
            if let StatementRef::Named(n) = s {
                self.statements.insert(n.value.clone());
            }
        }
        let own = p.modifiers.iter().map(|m| m.value.clone());
        let names: Vec<String> = own
            .chain(modifiers.into_iter().map(str::to_string))
            .collect();
        for m in &names {
            if let Some(m) = catalog.modifier(m) {
                self.statements
                    .extend(m.append.iter().map(|a| a.value.clone()));
            }
        }
    }

    /// A role: its trust policy and its permission policies (the role itself holds no policy
    /// text to validate; its references are checked with the whole catalog's).
    pub fn role(&mut self, catalog: &Catalog, name: &str) {
        if let Some(r) = catalog.role(name) {
            for p in std::iter::once(&r.trust_policy).chain(&r.policies) {
                self.policy(catalog, &p.value, []);
            }
        }
    }

    /// The subject of a claim or truth table: the policy, role or reusable statement so named.
    pub fn subject(&mut self, catalog: &Catalog, name: &str) {
        if catalog.policy(name).is_some() {
            self.policy(catalog, name, []);
        }
        if catalog.role(name).is_some() {
            self.role(catalog, name);
        }
        if catalog.statement(name).is_some() {
            self.statements.insert(name.to_string());
        }
    }
}
