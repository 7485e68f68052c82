//! What a policy set allows, action by action, read off an exploration: the resources, the
//! conditions under which, and what an explicit Deny takes away.

use super::space::{Class, Explored, Question};
use crate::eval::matching::arn_covers;
use crate::eval::truth_table::Case;
use crate::eval::{Decision, Request};

/// The values of one condition key under which an action is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCondition {
    pub key: String,
    /// The compared values (as the policies write them) that allow.
    pub values: Vec<String>,
    /// Allowed when the key is absent from the request.
    pub absent: bool,
    /// Allowed when the key has some value no policy compares it with.
    pub other: bool,
    /// Allowed whatever other value the key has (every such case tried allows).
    pub other_all: bool,
    /// Every compared value of the key, allowed or not (to say what "other" excludes).
    pub compared: Vec<String>,
}

impl KeyCondition {
    /// `aws:ViaAWSMCPService is true`, `aws:SourceVpc is absent or any value but vpc-1`.
    pub fn describe(&self) -> String {
        let quote = |v: &str| format!("`{v}`");
        let denied: Vec<String> = self
            .compared
            .iter()
            .filter(|c| !self.values.contains(c))
            .map(|c| quote(c))
            .collect();
        let mut parts: Vec<String> = if self.other && !self.other_all {
            // Only some of the values no policy names (a number below a bound, a set of
            // values): the named ones, and "some other values".
            let mut p: Vec<String> = self.values.iter().map(|v| quote(v)).collect();
            p.push("some other values".into());
            p
        } else if self.other && denied.is_empty() {
            vec!["present".into()]
        } else if self.other {
            vec![format!("any value but {}", denied.join(" or "))]
        } else {
            self.values.iter().map(|v| quote(v)).collect()
        };
        if self.absent {
            if parts == ["present"] {
                parts.clear();
            }
            parts.push("absent".into());
        }
        format!("`{}` is {}", self.key, parts.join(" or "))
    }
}

/// One allowed action.
#[derive(Debug, Clone)]
pub struct Row {
    /// Index into the universe.
    pub action: usize,
    /// The ARN patterns on which it is allowed (`*`: any resource).
    pub resources: Vec<String>,
    /// Patterns inside those on which it is never allowed: an explicit Deny, or a service rule
    /// that needs another policy (a KMS key policy, a role's trust policy).
    pub except: Vec<String>,
    /// True when the allow depends on the request's context.
    pub conditional: bool,
    pub conditions: Vec<KeyCondition>,
    /// One allowed request.
    pub witness: Request,
}

/// The allowed actions of side `side`, in the universe's order.
pub fn rows(e: &Explored, q: &Question<'_>, side: usize) -> Vec<Row> {
    let mut out = Vec::new();
    for class in &e.classes {
        let Some(template) = class_row(class, q, side) else {
            continue;
        };
        for &a in &class.actions {
            let mut row = template.clone();
            row.action = a;
            row.witness.action = e.universe.actions[a].full.clone();
            out.push(row);
        }
    }
    out.sort_by_key(|r| r.action);
    out
}

fn class_row(class: &Class, q: &Question<'_>, side: usize) -> Option<Row> {
    let allowed = |r: usize, c: usize| class.decision(side, r, c) == Decision::Allowed;
    let reps = 0..class.resources.len();
    let allowed_reps: Vec<usize> = reps
        .clone()
        .filter(|&r| (0..class.contexts).any(|c| allowed(r, c)))
        .collect();
    let first = *allowed_reps.first()?;
    let witness_cell = (0..class.contexts).find(|&c| allowed(first, c))?;
    let pattern_of = |r: usize| {
        class.resources[r]
            .pattern
            .clone()
            .unwrap_or_else(|| "*".to_string())
    };
    let minimal = minimal_patterns(class, &allowed_reps);
    // Taken away: by an explicit Deny, or by a service rule that needs more than the policies
    // given (a KMS key's key policy, a role's trust policy).
    let by_rule = |r: usize| {
        class.resources[r].pattern.as_deref().is_some_and(|p| {
            crate::eval::service_rules::RULES
                .iter()
                .any(|rule| rule.resources.contains(&p))
        })
    };
    let except: Vec<String> = reps
        .filter(|r| !allowed_reps.contains(r))
        .filter(|&r| {
            by_rule(r)
                || (0..class.contexts)
                    .any(|c| class.decision(side, r, c) == Decision::ExplicitlyDenied)
        })
        .map(pattern_of)
        .filter(|p| minimal.iter().any(|m| arn_covers(m, p)))
        .collect();
    let unconditional = allowed_reps
        .iter()
        .any(|&r| (0..class.contexts).all(|c| allowed(r, c)));
    let mut conditions = Vec::new();
    if !unconditional {
        for (k, key) in class.keys.iter().enumerate() {
            let mut hit = vec![false; key.cases.len()];
            for &r in &allowed_reps {
                for c in 0..class.contexts {
                    if allowed(r, c) {
                        let idx = case_index(class, c, k);
                        hit[idx] = true;
                    }
                }
            }
            // A value tried twice (as one value and as a list of one, see `KeyCases::single`)
            // counts once: allowed when either form is.
            let logical = if key.single > 0 && key.single < key.cases.len() {
                key.single
            } else {
                key.cases.len()
            };
            for i in logical..key.cases.len() {
                if hit[i]
                    && let Some(j) = key.cases[..logical]
                        .iter()
                        .position(|c| c.value() == key.cases[i].value())
                {
                    hit[j] = true;
                }
            }
            hit.truncate(logical);
            if hit.iter().all(|h| *h) {
                continue;
            }
            let mut kc = KeyCondition {
                key: key.key.clone(),
                values: Vec::new(),
                absent: false,
                other: false,
                other_all: true,
                compared: Vec::new(),
            };
            for (case, h) in key.cases.iter().zip(&hit) {
                match case {
                    Case::Absent => kc.absent = *h,
                    Case::Other(_) => {
                        kc.other |= *h;
                        kc.other_all &= *h;
                    }
                    Case::Value(v) => {
                        kc.compared.push(v.clone());
                        if *h {
                            kc.values.push(v.clone());
                        }
                    }
                }
            }
            conditions.push(kc);
        }
    }
    Some(Row {
        action: class.actions[0],
        resources: minimal,
        except,
        conditional: !unconditional,
        conditions,
        witness: class.request(q, "", first, witness_cell),
    })
}

/// The patterns the representatives `reps` stand for (`*` for the one outside them all), each
/// once, without those another of them covers.
pub(super) fn minimal_patterns(class: &Class, reps: &[usize]) -> Vec<String> {
    let mut resources: Vec<String> = Vec::new();
    for &r in reps {
        let p = class.resources[r]
            .pattern
            .clone()
            .unwrap_or_else(|| "*".to_string());
        if !resources.contains(&p) {
            resources.push(p);
        }
    }
    resources
        .iter()
        .filter(|p| {
            !resources
                .iter()
                .any(|o| o != *p && arn_covers(o, p) && !(arn_covers(p, o) && o > *p))
        })
        .cloned()
        .collect()
}

/// The index of key `k`'s case in context `c`.
pub(super) fn case_index(class: &Class, mut c: usize, k: usize) -> usize {
    for key in class.keys[k + 1..].iter().rev() {
        c /= key.cases.len();
    }
    c % class.keys[k].cases.len()
}
