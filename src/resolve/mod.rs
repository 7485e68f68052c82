//! Resolving a directive against the catalog: the policy it names with its modifiers applied and
//! validated, the callout with its parameters checked and filled, and so on. The result is data;
//! `render` turns it into text for a flavor.

use crate::catalog::{CalloutStyle, Catalog, unknown_name};
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::page::directive::{Directive, DirectiveKind};
use crate::policy::{Effect, Policy, Statement};
use crate::source::Spanned;
use crate::validate::Validator;

mod access_summary;
mod computed;

#[derive(Debug, Clone)]
pub enum Resolved {
    Policy {
        policy: Policy,
        file: Option<String>,
    },
    Statement(Statement),
    Callout {
        style: CalloutStyle,
        title: String,
        body: String,
    },
    ConditionKeys(Vec<KeyRow>),
    /// A computed table (`iam-truth-table`): header cells and rows, Markdown inline text.
    Table(Table),
    /// A proven claim, as the sentence it states.
    Claim(String),
    Actions(Vec<String>),
    RoleCommands(RoleCommands),
    /// What a policy or role allows (`iam-access-summary`): a sentence, then a table.
    AccessSummary {
        intro: String,
        table: Table,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub key: String,
    pub key_type: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleCommands {
    pub role_name: String,
    pub trust_file: String,
    /// (IAM policy name, file name) of each permission policy.
    pub policies: Vec<(String, String)>,
}

/// The outcome: what to render (absent when there are errors) and every finding.
pub struct Resolution {
    pub resolved: Option<Resolved>,
    pub findings: Vec<Finding>,
}

/// The `iam-policy` parameter that sets one block's title (`file="a.json"`), or drops it
/// (`file=""`): pages that show a catalog policy under another name, or with no title, as pages
/// that adopted their pasted policies do.
pub const FILE_PARAM: &str = "file";

/// The file name a policy is written to: its `file`, else `NAME.json`.
pub fn policy_file(p: &crate::catalog::CatalogPolicy) -> String {
    p.file
        .clone()
        .unwrap_or_else(|| format!("{}.json", p.name.value))
}

pub fn resolve(d: &Directive, catalog: &Catalog, validator: &Validator<'_>) -> Resolution {
    let mut findings = Vec::new();
    let takes: &[&str] = match d.kind {
        DirectiveKind::TruthTable => &computed::TABLE_PARAMS,
        _ => &[],
    };
    if d.kind == DirectiveKind::Policy {
        policy_params(d, catalog, &mut findings);
    } else if d.kind != DirectiveKind::Callout {
        for p in d
            .params
            .iter()
            .filter(|p| !takes.contains(&p.key.value.as_str()))
        {
            findings.push(
                Finding::at(
                    Code::UnknownParameter,
                    format!("`{}` takes no `key=value` parameters", d.kind.name()),
                    &p.key.span,
                )
                .with_help(format!("usage: {}", d.kind.usage())),
            );
        }
    }
    let resolved = match d.kind {
        DirectiveKind::Policy | DirectiveKind::Actions => {
            built_policy(d, catalog, validator, &mut findings).map(|(policy, file)| {
                if d.kind == DirectiveKind::Policy {
                    // `file=NAME` titles this one block; `file=""` shows it without a title.
                    let file = match d.param(FILE_PARAM) {
                        Some(p) if p.value.value.is_empty() => None,
                        Some(p) => Some(p.value.value.clone()),
                        None => Some(file),
                    };
                    Resolved::Policy { policy, file }
                } else {
                    Resolved::Actions(allowed_actions(&policy))
                }
            })
        }
        DirectiveKind::Statement => {
            let name = &d.args[0];
            match catalog.statement(&name.value) {
                None => {
                    findings.push(catalog.unknown_statement(name));
                    None
                }
                Some(s) => {
                    let (stmt, fs) = catalog.build_statement(s);
                    findings.extend(fs.into_iter().map(|f| f.seen_from(&d.span)));
                    if let Some(stmt) = &stmt {
                        let mut out = Vec::new();
                        validator.statement(stmt, &mut out);
                        findings.extend(out.into_iter().map(|f| f.seen_from(&d.span)));
                    }
                    stmt.map(Resolved::Statement)
                }
            }
        }
        DirectiveKind::Callout => callout(d, catalog, validator, &mut findings),
        DirectiveKind::ConditionKeys => {
            let mut rows = Vec::new();
            let docs: Vec<_> = if d.args.is_empty() {
                catalog.condition_keys.iter().collect()
            } else {
                d.args
                    .iter()
                    .filter_map(|k| {
                        let doc = catalog.condition_key(&k.value);
                        if doc.is_none() {
                            findings.push(unknown_name(
                                Code::UndocumentedConditionKey,
                                "documented condition key",
                                k,
                                catalog.condition_keys.iter().map(|c| c.key.value.as_str()),
                            ));
                        }
                        doc
                    })
                    .collect()
            };
            for doc in docs {
                rows.push(KeyRow {
                    key: doc.key.value.clone(),
                    key_type: doc.key_type.value.clone(),
                    description: doc.description.clone(),
                });
            }
            Some(Resolved::ConditionKeys(rows))
        }
        DirectiveKind::RoleCommands => role_commands(&d.args[0], catalog, &mut findings),
        DirectiveKind::TruthTable => {
            computed::truth_table_directive(d, catalog, validator, &mut findings)
        }
        DirectiveKind::Claim => computed::claim(d, catalog, validator, &mut findings),
        DirectiveKind::AccessSummary => {
            access_summary::resolve(d, catalog, validator, &mut findings)
        }
    };
    // The team's levels first: an error its `[lints]` lowers does not keep the directive out.
    crate::diagnostic::levels::apply(&catalog.lints, &mut findings);
    let resolved = if findings.iter().any(Finding::is_error) {
        None
    } else {
        resolved
    };
    Resolution { resolved, findings }
}

fn built_policy(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<(Policy, String)> {
    let name = &d.args[0];
    let Some(cp) = catalog.policy(&name.value) else {
        findings.push(unknown_name(
            Code::UnknownPolicy,
            "policy",
            name,
            catalog.policies.iter().map(|p| p.name.value.as_str()),
        ));
        return None;
    };
    let extra = &d.args[1..];
    // Unknown modifiers are reported at the directive's own word, not through the catalog.
    let mut ok = true;
    for m in extra {
        if catalog.modifier(&m.value).is_none() {
            findings.push(catalog.unknown_modifier(m));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    // `iam-policy NAME account=111122223333`: the placeholders whose `param` is given are filled
    // with the page's values before the policy is validated and rendered.
    let fill: Vec<(String, String)> = if d.kind == DirectiveKind::Policy {
        d.params
            .iter()
            .filter_map(|p| {
                let ph = catalog.placeholder_for_param(&p.key.value)?;
                Some((ph.token.value.clone(), p.value.value.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    let (policy, fs) = catalog.build_policy_filled(cp, extra, &fill);
    findings.extend(fs.into_iter().map(|f| f.seen_from(&d.span)));
    findings.extend(
        validator
            .policy(&policy, cp.kind)
            .into_iter()
            .map(|f| f.seen_from(&d.span)),
    );
    let mut file = policy_file(cp);
    if !extra.is_empty() {
        // A policy with extra modifiers is a different document; give it its own file name, so
        // readers who save both do not overwrite one with the other.
        let stem = file.strip_suffix(".json").unwrap_or(&file).to_string();
        let mods: Vec<&str> = extra.iter().map(|m| m.value.as_str()).collect();
        file = format!("{stem}.{}.json", mods.join("."));
    }
    Some((policy, file))
}

/// Reports `iam-policy`'s parameters that are neither `file` nor a catalog placeholder's `param`.
fn policy_params(d: &Directive, catalog: &Catalog, findings: &mut Vec<Finding>) {
    let known: Vec<&str> = std::iter::once(FILE_PARAM)
        .chain(
            catalog
                .placeholders
                .iter()
                .filter_map(|p| p.param.as_ref().map(|n| n.value.as_str())),
        )
        .collect();
    for p in d
        .params
        .iter()
        .filter(|p| !known.contains(&p.key.value.as_str()))
    {
        let f = Finding::at(
            Code::UnknownParameter,
            format!("`iam-policy` has no parameter `{}`", p.key.value),
            &p.key.span,
        );
        let f = match did_you_mean(&p.key.value, known.iter().copied()) {
            Some(h) => f.with_help(h),
            None => f.with_help(format!(
                "its parameters: {} (a catalog placeholder's `param` names one)",
                known.join(", ")
            )),
        };
        findings.push(f);
    }
}

/// The actions a policy allows, in order of appearance, each once.
pub fn allowed_actions(policy: &Policy) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &policy.statements {
        if !matches!(
            s.effect,
            Some(Spanned {
                value: Effect::Allow,
                ..
            })
        ) {
            continue;
        }
        if let Some(t) = s.action.as_ref().filter(|t| !t.negated) {
            for a in &t.list.items {
                if !out.contains(&a.value) {
                    out.push(a.value.clone());
                }
            }
        }
    }
    out
}

fn callout(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let name = &d.args[0];
    let Some(c) = catalog.callout(&name.value) else {
        findings.push(unknown_name(
            Code::UnknownCallout,
            "callout",
            name,
            catalog.callouts.iter().map(|c| c.name.value.as_str()),
        ));
        return None;
    };
    let mut values: Vec<(String, String)> = Vec::new();
    for p in &d.params {
        let Some(decl) = c.params.iter().find(|x| x.name.value == p.key.value) else {
            let mut f = Finding::at(
                Code::UnknownParameter,
                format!(
                    "callout `{}` has no parameter `{}`",
                    c.name.value, p.key.value
                ),
                &p.key.span,
            );
            let names: Vec<&str> = c.params.iter().map(|x| x.name.value.as_str()).collect();
            f = match did_you_mean(&p.key.value, names.iter().copied()) {
                Some(h) => f.with_help(h),
                None if names.is_empty() => f.with_help("it takes no parameters"),
                None => f.with_help(format!("its parameters: {}", names.join(", "))),
            };
            findings.push(f.with_note(Some(c.name.span.clone()), "callout defined here"));
            continue;
        };
        validator.param(decl.ty, &p.value, findings);
        values.push((p.key.value.clone(), p.value.value.clone()));
    }
    for decl in &c.params {
        if values.iter().any(|(k, _)| *k == decl.name.value) {
            continue;
        }
        match &decl.default {
            Some(def) => values.push((decl.name.value.clone(), def.value.clone())),
            None => findings.push(
                Finding::at(
                    Code::MissingParameter,
                    format!("callout `{}` needs `{}=...`", c.name.value, decl.name.value),
                    &d.span,
                )
                .with_note(
                    Some(decl.name.span.clone()),
                    format!("`{}` is declared here without a default", decl.name.value),
                ),
            ),
        }
    }
    let get = |k: &str| {
        values
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Some(Resolved::Callout {
        style: c.style,
        title: crate::catalog::template::fill(&c.title.value, get),
        body: crate::catalog::template::fill(&c.body.value, get)
            .trim()
            .to_string(),
    })
}

fn role_commands(
    name: &Spanned<String>,
    catalog: &Catalog,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let Some(role) = catalog.role(&name.value) else {
        findings.push(unknown_name(
            Code::UnknownRole,
            "role",
            name,
            catalog.roles.iter().map(|r| r.name.value.as_str()),
        ));
        return None;
    };
    // Dangling names are catalog errors (`Catalog::dangling_references`); here they are reported at
    // the directive too, so the page never silently keeps an unexpanded directive.
    let missing = |n: &Spanned<String>| {
        unknown_name(
            Code::UnknownPolicy,
            "policy",
            n,
            catalog.policies.iter().map(|p| p.name.value.as_str()),
        )
        .seen_from(&name.span)
    };
    let Some(trust) = catalog.policy(&role.trust_policy.value) else {
        findings.push(missing(&role.trust_policy));
        return None;
    };
    let mut policies = Vec::new();
    for p in &role.policies {
        let Some(cp) = catalog.policy(&p.value) else {
            findings.push(missing(p));
            return None;
        };
        let policy_name = cp
            .policy_name
            .clone()
            .unwrap_or_else(|| cp.name.value.clone());
        policies.push((policy_name, policy_file(cp)));
    }
    Some(Resolved::RoleCommands(RoleCommands {
        role_name: role.role_name.clone(),
        trust_file: policy_file(trust),
        policies,
    }))
}

#[cfg(test)]
mod tests;
