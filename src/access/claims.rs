//! Quantified claims, proven over every request the policies tell apart (`super::space`):
//!
//! - `allows only A, B` / `allows nothing but A`: every allowed request's action is one of
//!   these (each may be a pattern: `s3:Get*`);
//! - `denies every action` / `denies every A, B` / `allows no A`: no request for these actions
//!   is allowed;
//! - `grants no Write or Tagging access`: no allowed action is listed under one of these access
//!   levels in AWS's data; `grants only List and Read access`: every allowed action is listed
//!   under these levels only.
//!
//! Condition keys the claim names after `when` are fixed; every other key ranges over its
//! cases (absent, each compared value, any other value). `on` limits the resources, `as` sets
//! the principal, as in point claims. Actions a service answers whatever the policies say
//! (`sts:GetCallerIdentity`) are no policy's grant and are not counted.
//!
//! A claim that does not hold is refuted by one concrete request, with the statements that
//! allowed it. A claim is never proven on an exploration that was cut short or approximate: it
//! is then reported as unprovable.

use super::space::{Explored, Question, explore};
use super::universe::{UAction, Universe};
use crate::aws_data::AwsData;
use crate::catalog::Catalog;
use crate::eval::claim::{Claim, Prepared, Proof, Quantified, Refutation, prepare};
use crate::eval::service_rules::Effect as RuleEffect;
use crate::eval::{Decision, evaluate};
use crate::iam::wildcard::matches_ignore_case;

/// Whether the claim counts an allowed request for `a` against itself.
fn violates(q: &Quantified, a: &UAction) -> bool {
    let listed = |words: &[crate::eval::claim::Word]| {
        words.iter().any(|w| matches_ignore_case(&w.text, &a.full))
    };
    match q {
        Quantified::AllowsOnly(words) => !listed(words),
        Quantified::DeniesEvery(words) => words.is_empty() || listed(words),
        Quantified::GrantsNo(levels) => levels.iter().any(|(l, _)| a.levels.contains(l)),
        Quantified::GrantsOnly(levels) => {
            a.levels.iter().any(|l| !levels.iter().any(|(k, _)| k == l))
        }
    }
}

/// The actions worth exploring for the claim (all of them, or only those it speaks of).
fn candidates(q: &Quantified, u: &Universe) -> Option<Vec<usize>> {
    match q {
        Quantified::AllowsOnly(_) | Quantified::GrantsOnly(_) => None,
        Quantified::DeniesEvery(words) if words.is_empty() => None,
        _ => Some(
            (0..u.actions.len())
                .filter(|&i| violates(q, &u.actions[i]))
                .collect(),
        ),
    }
}

/// Proves a quantified claim, or gives the request that refutes it.
pub fn prove(claim: &Claim, catalog: &Catalog, aws: &AwsData) -> Result<Proof, Refutation> {
    let Some(quantified) = &claim.quantified else {
        return crate::eval::claim::prove(claim, catalog, aws);
    };
    let prepared = prepare(claim, catalog, aws)?;
    crate::eval::claim_names::check_claim(claim, catalog, aws)?;
    let Prepared::Policies { request, .. } = &prepared else {
        return Err(Refutation::Invalid {
            message: "a claim about every request is said of a policy or role, not of a statement"
                .into(),
            range: claim.subject.range.clone(),
        });
    };
    let fixed: Vec<(String, Option<String>)> = claim
        .conditions
        .iter()
        .map(|c| {
            let key = c.key.text.clone();
            let value = request
                .context
                .get(&key)
                .and_then(|v| v.values().first().cloned());
            (key, value)
        })
        .collect();
    let q = Question {
        sides: vec![prepared.policy_set()],
        principal: request.principal.clone(),
        fixed,
        resource: request.resource.clone(),
    };
    let universe = Universe::of(aws);
    let only = candidates(quantified, &universe);
    let explored = explore(&q, aws, only.as_deref()).map_err(|e| Refutation::Invalid {
        message: format!("this claim cannot be proven: {e}"),
        range: claim.verb_range.clone(),
    })?;
    if let Some(r) = counterexample(quantified, &explored, &q, aws, &claim.verb_range) {
        return Err(r);
    }
    if explored.classes.iter().any(|c| c.approximate) {
        return Err(Refutation::Invalid {
            message: "this claim cannot be proven: some resources or condition values the policies tell apart are not all explored (resource patterns with no ARN that stands for all of it or that overlap in several ways, policy variables, condition patterns that overlap in several ways; see the guide's access page)".into(),
            range: claim.verb_range.clone(),
        });
    }
    Ok(Proof {
        request: request.clone(),
        evaluation: None,
        outcome: None,
    })
}

/// The first allowed request the claim forbids, decided again with its reasons. Only a request
/// the evaluator allows is given; a cell allowed for the class's first action but for none of
/// the class's actions the claim forbids would mean the class was not decided alike, and the
/// claim is then reported as unprovable rather than refuted or proven.
fn counterexample(
    quantified: &Quantified,
    e: &Explored,
    q: &Question<'_>,
    aws: &AwsData,
    range: &std::ops::Range<usize>,
) -> Option<Refutation> {
    for class in &e.classes {
        let forbidden: Vec<usize> = class
            .actions
            .iter()
            .copied()
            .filter(|&a| violates(quantified, &e.universe.actions[a]))
            .collect();
        if forbidden.is_empty() {
            continue;
        }
        'cells: for r in 0..class.resources.len() {
            for c in 0..class.contexts {
                if class.decision(0, r, c) != Decision::Allowed {
                    continue;
                }
                for &action in &forbidden {
                    let full = &e.universe.actions[action].full;
                    for request in [
                        class.witness(q, aws, full, r, c),
                        class.request(q, full, r, c),
                    ] {
                        let evaluation = evaluate(&request, &q.sides[0], aws);
                        if evaluation.decision != Decision::Allowed {
                            continue;
                        }
                        if evaluation
                            .rule
                            .is_some_and(|rule| rule.effect == RuleEffect::AlwaysAllowed)
                        {
                            // The service answers it whatever the policies say: no grant to
                            // count.
                            continue 'cells;
                        }
                        return Some(Refutation::Counterexample(Box::new(
                            crate::eval::claim::Counterexample {
                                request,
                                evaluation,
                            },
                        )));
                    }
                }
                return Some(Refutation::Invalid {
                    message: format!(
                        "this claim cannot be proven: `{}` and the actions decided with it were not decided alike",
                        e.universe.actions[class.actions[0]].full
                    ),
                    range: range.clone(),
                });
            }
        }
    }
    None
}

/// A request in words: "`s3:PutObjectAcl` on `arn:aws:s3:::example` when `k` is `v`".
pub fn describe_request(r: &crate::eval::Request) -> String {
    let mut out = format!("`{}`", r.action);
    match &r.resource {
        Some(res) => out.push_str(&format!(" on `{res}`")),
        None => out.push_str(" on `*`"),
    }
    let ctx: Vec<String> = r
        .context
        .iter()
        .map(|(k, v)| {
            let vals: Vec<String> = v.values().iter().map(|x| format!("`{x}`")).collect();
            format!("`{k}` is {}", vals.join(" and "))
        })
        .collect();
    if ctx.is_empty() {
        out.push_str(" with no condition keys");
    } else {
        out.push_str(&format!(" when {}", ctx.join(" and ")));
    }
    out
}
