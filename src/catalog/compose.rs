//! Composing published policies: a catalog policy's statements (inline or reusable), then its
//! modifiers (conditions added to matching statements, guardrail statements appended), and the
//! references between entries.

use super::*;
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::policy::{ConditionClause, Policy, PolicyKind, Statement};
use crate::source::Spanned;

impl Catalog {
    /// Builds a catalog policy as published: its statements, then its own modifiers, then `extra`.
    /// Unknown statement or modifier names are reported at `used_at` (a directive) when given.
    pub fn build_policy(
        &self,
        policy: &CatalogPolicy,
        extra: &[Spanned<String>],
    ) -> (Policy, Vec<Finding>) {
        self.build_policy_filled(policy, extra, &[])
    }

    /// [`Catalog::build_policy`] with placeholders filled: each `(token, value)` replaces the
    /// token wherever it stands in the statements' keys and strings (a directive's placeholder
    /// parameters). Conditions a modifier adds are its own and are not filled.
    pub fn build_policy_filled(
        &self,
        policy: &CatalogPolicy,
        extra: &[Spanned<String>],
        fill: &[(String, String)],
    ) -> (Policy, Vec<Finding>) {
        let mut findings = Vec::new();
        let mut statements = Vec::new();
        for r in &policy.statements {
            if let Some(s) = self.read_statement_ref(r, policy.kind, fill, &mut findings) {
                statements.push(s);
            }
        }
        let mut built = Policy::from_statements(statements, policy.name.span.clone());
        for m in policy.modifiers.iter().chain(extra) {
            match self.modifier(&m.value) {
                Some(modifier) => {
                    self.apply(modifier, &mut built, policy.kind, fill, &mut findings)
                }
                None => findings.push(self.unknown_modifier(m)),
            }
        }
        (built, findings)
    }

    pub fn unknown_modifier(&self, m: &Spanned<String>) -> Finding {
        let mut f = Finding::at(
            Code::UnknownModifier,
            format!("no modifier named `{}` in the catalog", m.value),
            &m.span,
        );
        if let Some(h) = did_you_mean(
            &m.value,
            self.modifiers.iter().map(|x| x.name.value.as_str()),
        ) {
            f = f.with_help(h);
        }
        f
    }

    pub fn unknown_statement(&self, n: &Spanned<String>) -> Finding {
        let mut f = Finding::at(
            Code::UnknownStatement,
            format!("no statement named `{}` in the catalog", n.value),
            &n.span,
        );
        if let Some(h) = did_you_mean(
            &n.value,
            self.statements.iter().map(|x| x.name.value.as_str()),
        ) {
            f = f.with_help(h);
        }
        f
    }

    fn read_statement_ref(
        &self,
        r: &StatementRef,
        kind: PolicyKind,
        fill: &[(String, String)],
        findings: &mut Vec<Finding>,
    ) -> Option<Statement> {
        let body = match r {
            StatementRef::Inline(v) => v,
            StatementRef::Named(n) => match self.statement(&n.value) {
                Some(s) => &s.body,
                None => {
                    findings.push(self.unknown_statement(n));
                    return None;
                }
            },
        };
        let filled;
        let body = if fill.is_empty() {
            body
        } else {
            filled = fill_value(body, fill);
            &filled
        };
        let read = Statement::read(body, kind);
        findings.extend(read.findings);
        read.value
    }

    /// Reads a named statement on its own (for `iam-statement`).
    pub fn build_statement(&self, s: &NamedStatement) -> (Option<Statement>, Vec<Finding>) {
        let read = Statement::read(&s.body, PolicyKind::Identity);
        (read.value, read.findings)
    }

    fn apply(
        &self,
        m: &Modifier,
        policy: &mut Policy,
        kind: PolicyKind,
        fill: &[(String, String)],
        findings: &mut Vec<Finding>,
    ) {
        if !m.add_condition.is_empty() {
            for s in policy
                .statements
                .iter_mut()
                .filter(|s| m.applies_to.matches(s))
            {
                for clause in &m.add_condition {
                    merge_clause(&mut s.condition, clause);
                }
            }
        }
        for name in &m.append {
            let Some(s) =
                self.read_statement_ref(&StatementRef::Named(name.clone()), kind, fill, findings)
            else {
                continue;
            };
            let already = policy.statements.iter().any(|p| match (&p.sid, &s.sid) {
                (Some(a), Some(b)) => a.value == b.value,
                _ => p.to_value() == s.to_value(),
            });
            if !already {
                policy.statements.push(s);
            }
        }
    }

    /// Every catalog-level problem: dangling references, callout defaults, and every policy as
    /// built with its own modifiers (grammar here; the validator adds the rest).
    pub fn dangling_references(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        for m in &self.modifiers {
            for a in &m.append {
                if self.statement(&a.value).is_none() {
                    findings.push(self.unknown_statement(a));
                }
            }
        }
        for r in &self.roles {
            match self.policy(&r.trust_policy.value) {
                None => findings.push(unknown_name(
                    Code::UnknownPolicy,
                    "policy",
                    &r.trust_policy,
                    self.policies.iter().map(|p| p.name.value.as_str()),
                )),
                Some(p) if p.kind != PolicyKind::Trust => findings.push(Finding::at(
                    Code::CatalogSchema,
                    format!(
                        "`{}` is a {} policy; a role's trust-policy must be a trust policy",
                        p.name.value,
                        p.kind.as_str()
                    ),
                    &r.trust_policy.span,
                )),
                _ => {}
            }
            for p in &r.policies {
                match self.policy(&p.value) {
                    None => findings.push(unknown_name(Code::UnknownPolicy, "policy", p, self.policies.iter().map(|p| p.name.value.as_str()))),
                    Some(pol) if pol.kind != PolicyKind::Identity => findings.push(Finding::at(
                        Code::CatalogSchema,
                        format!("`{}` is a {} policy; a role's permission policies must be identity policies", pol.name.value, pol.kind.as_str()),
                        &p.span,
                    )),
                    Some(pol) if pol.policy_name.is_none() => findings.push(
                        Finding::at(Code::CatalogSchema, format!("policy `{}` is attached to a role but has no `name`", pol.name.value), &pol.name.span)
                            .with_help("add `name = \"...\"`: the IAM policy name that `aws iam put-role-policy` uses"),
                    ),
                    _ => {}
                }
            }
        }
        findings
    }
}

/// A value with each `(token, value)` replaced in its strings and object keys; spans are kept,
/// so findings still point at the catalog.
pub fn fill_value(v: &Value, fill: &[(String, String)]) -> Value {
    let text = |s: &str| {
        fill.iter()
            .fold(s.to_string(), |s, (token, value)| s.replace(token, value))
    };
    let kind = match &v.kind {
        crate::json::Kind::String(s) => crate::json::Kind::String(text(s)),
        crate::json::Kind::Array(items) => {
            crate::json::Kind::Array(items.iter().map(|i| fill_value(i, fill)).collect())
        }
        crate::json::Kind::Object(members) => crate::json::Kind::Object(
            members
                .iter()
                .map(|m| crate::json::Member {
                    key: text(&m.key),
                    key_span: m.key_span.clone(),
                    value: fill_value(&m.value, fill),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Value::new(kind, v.span.clone())
}

pub fn unknown_name<'a>(
    code: Code,
    what: &str,
    name: &Spanned<String>,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Finding {
    let mut f = Finding::at(
        code,
        format!("no {what} named `{}` in the catalog", name.value),
        &name.span,
    );
    if let Some(h) = did_you_mean(&name.value, candidates) {
        f = f.with_help(h);
    }
    f
}

/// Adds a clause's entries to a statement's conditions, joining an existing clause with the same
/// operator; an entry for a key the clause already has replaces it.
fn merge_clause(conditions: &mut Vec<ConditionClause>, add: &ConditionClause) {
    match conditions
        .iter_mut()
        .find(|c| c.operator.value == add.operator.value)
    {
        Some(existing) => {
            for e in &add.entries {
                match existing
                    .entries
                    .iter_mut()
                    .find(|x| x.key.value == e.key.value)
                {
                    Some(x) => *x = e.clone(),
                    None => existing.entries.push(e.clone()),
                }
            }
        }
        None => conditions.push(add.clone()),
    }
}
