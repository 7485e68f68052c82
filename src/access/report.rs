//! An access summary of one policy or role, as people and scripts read it: the rows of
//! [`super::summary`] with the policy's name, grouped per service and access level, and written
//! as JSON (one object per allowed action), text, or Markdown tables.
//!
//! Wildcards are shown only where they are exact: an `Action` entry of the policy's own Allow
//! statements (`s3:Get*`) stands for its actions only when every action AWS's data has that it
//! matches is allowed, with the same resources, exceptions and conditions. Everything else is
//! listed action by action.

use super::space::{Question, TooComplex, explore};
use super::summary::{KeyCondition, Row, rows};
use super::universe::Universe;
use crate::aws_data::{AccessLevel, AwsData};
use crate::eval::request::ContextValue;
use crate::eval::service_rules::{Effect as RuleEffect, RULES};
use crate::policy::Effect;
use serde_json::{Value, json};
use std::sync::Arc;

/// What one policy or role allows.
pub struct Summary {
    /// The catalog name, or the file as given.
    pub policy: String,
    /// The principal every request is made as (an ARN, as `simulate --principal` takes it).
    pub principal: String,
    pub universe: Arc<Universe>,
    /// The allowed actions, in the universe's order (by service, then as AWS lists them).
    pub rows: Vec<Row>,
    /// Per row: the service rule that allows it whatever the policies say, if any.
    pub rules: Vec<Option<&'static str>>,
    /// Per row: its class of actions had a pattern without a generic ARN (see
    /// [`super::space`]), so its resources are read off an ARN that may match more patterns.
    pub approximate: Vec<bool>,
    /// The `Action` entries of the Allow statements, each once, as written.
    pub patterns: Vec<String>,
}

/// Explores `q` (its first side) over every action of AWS's data and reads the summary off it.
pub fn summarize(
    policy: &str,
    principal: &str,
    q: &Question<'_>,
    aws: &AwsData,
) -> Result<Summary, TooComplex> {
    let e = explore(q, aws, None)?;
    let mut rows = rows(&e, q, 0);
    // An action a service answers whatever the policies say (`sts:GetCallerIdentity`) is no
    // policy's grant: listed only when an Allow statement names it, as quantified claims count
    // it (and as an evaluator without the rule decides it).
    let allow_statements: Vec<&crate::policy::Statement> = q
        .sides
        .iter()
        .take(1)
        .flat_map(crate::eval::truth_table::set_statements)
        .map(|(_, _, s)| s)
        .filter(|s| s.effect.as_ref().map(|e| e.value) == Some(Effect::Allow))
        .collect();
    rows.retain(|r| {
        let full = &e.universe.actions[r.action].full;
        always_allowed_rule(full).is_none()
            || allow_statements.iter().any(|s| {
                s.action
                    .as_ref()
                    .is_some_and(|t| crate::eval::matching::action_matches(t, full))
            })
    });
    let mut approx = vec![false; e.universe.actions.len()];
    for c in &e.classes {
        for &a in &c.actions {
            approx[a] = c.approximate;
        }
    }
    let rules = rows
        .iter()
        .map(|r| always_allowed_rule(&e.universe.actions[r.action].full))
        .collect();
    let approximate = rows.iter().map(|r| approx[r.action]).collect();
    let mut patterns: Vec<String> = Vec::new();
    for side in q.sides.iter().take(1) {
        for (_, _, s) in crate::eval::truth_table::set_statements(side) {
            if s.effect.as_ref().map(|e| e.value) != Some(Effect::Allow) {
                continue;
            }
            if let Some(t) = s.action.as_ref().filter(|t| !t.negated) {
                for p in &t.list.items {
                    if !patterns.contains(&p.value) {
                        patterns.push(p.value.clone());
                    }
                }
            }
        }
    }
    Ok(Summary {
        policy: policy.to_string(),
        principal: principal.to_string(),
        universe: e.universe.clone(),
        rows,
        rules,
        approximate,
        patterns,
    })
}

/// The id of a service rule that allows `action` whatever the policies say.
fn always_allowed_rule(action: &str) -> Option<&'static str> {
    RULES
        .iter()
        .find(|r| {
            r.effect == RuleEffect::AlwaysAllowed
                && r.resources.is_empty()
                && r.actions
                    .iter()
                    .any(|a| crate::iam::wildcard::matches_ignore_case(a, action))
        })
        .map(|r| r.id)
}

fn context_json(row: &Row) -> Value {
    let mut map = serde_json::Map::new();
    for (k, v) in row.witness.context.iter() {
        map.insert(
            k.to_string(),
            match v {
                ContextValue::One(s) => Value::String(s.clone()),
                ContextValue::Many(l) => json!(l),
            },
        );
    }
    Value::Object(map)
}

fn condition_json(c: &KeyCondition) -> Value {
    json!({
        "key": c.key,
        "values": c.values,
        "absent": c.absent,
        "otherValues": c.other,
    })
}

impl Summary {
    /// One JSON object per allowed action (see the guide's `access` page for the fields).
    pub fn json_rows(&self) -> Vec<Value> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = &self.universe.actions[r.action];
                let mut o = json!({
                    "policy": self.policy,
                    "action": a.full,
                    "service": a.service,
                    "accessLevel": a.level.as_str(),
                    "resources": r.resources,
                    "except": r.except,
                    "conditional": r.conditional,
                    "conditions": r.conditions.iter().map(condition_json).collect::<Vec<_>>(),
                    "witness": {
                        "principal": self.principal,
                        "action": r.witness.action,
                        "resource": r.witness.resource.as_deref().unwrap_or("*"),
                        "resourceAccount": r.witness.resource_account,
                        "context": context_json(r),
                    },
                });
                if let Some(rule) = self.rules[i] {
                    o["rule"] = json!(rule);
                }
                if self.approximate[i] {
                    o["approximate"] = json!(true);
                }
                o
            })
            .collect()
    }

    /// The summary grouped for reading: one [`Line`] per set of actions allowed alike, in
    /// [`Scope`] order.
    pub fn lines(&self) -> Vec<Line> {
        let u = &*self.universe;
        // Rows by universe index.
        let mut by_action: Vec<Option<usize>> = vec![None; u.actions.len()];
        for (i, r) in self.rows.iter().enumerate() {
            by_action[r.action] = Some(i);
        }
        // Allowed alike: the same resources, exceptions and conditions (a service rule that
        // allows an action anyway changes why, not what).
        let same = |a: usize, b: usize| {
            let (x, y) = (&self.rows[a], &self.rows[b]);
            x.resources == y.resources
                && x.except == y.except
                && x.conditional == y.conditional
                && x.conditions == y.conditions
        };
        let mut shown = vec![false; self.rows.len()];
        let mut lines: Vec<Line> = Vec::new();
        // Exact wildcards, widest first.
        let mut exact: Vec<(String, Vec<usize>)> = Vec::new();
        // The policy's wildcards, and those that span services (`*`, `*:Get*`) narrowed to each
        // service (`s3:*`, `s3:Get*`): the same entry, read one service at a time.
        let mut candidates: Vec<String> = Vec::new();
        for p in self.patterns.iter().filter(|p| p.contains(['*', '?'])) {
            candidates.push(p.clone());
            let (svc, name) = p.split_once(':').unwrap_or(("*", "*"));
            if svc.contains(['*', '?']) {
                let mut last = "";
                for a in &u.actions {
                    if a.service != last
                        && crate::iam::wildcard::matches_ignore_case(svc, a.service)
                    {
                        candidates.push(format!("{}:{name}", a.service));
                    }
                    last = a.service;
                }
            }
        }
        for p in &candidates {
            let matched = u.matching(p);
            let Some(rows): Option<Vec<usize>> = matched.iter().map(|&a| by_action[a]).collect()
            else {
                continue;
            };
            if rows.len() < 2 || !rows.iter().all(|&r| same(rows[0], r)) {
                continue;
            }
            exact.push((p.clone(), rows));
        }
        exact.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
        for (p, rows) in exact {
            if rows.iter().all(|&r| shown[r]) {
                continue;
            }
            for &r in &rows {
                shown[r] = true;
            }
            let actions: Vec<usize> = rows.iter().map(|&r| self.rows[r].action).collect();
            lines.push(Line {
                scope: Scope::of(u, &actions),
                actions: vec![p],
                count: actions.len(),
                row: rows[0],
                wildcard: true,
            });
        }
        // The rest, action by action, joined when allowed alike.
        for (i, done) in shown.iter_mut().enumerate() {
            if *done {
                continue;
            }
            let a = &u.actions[self.rows[i].action];
            let scope = Scope::Level(a.service.to_string(), a.level);
            match lines
                .iter_mut()
                .find(|l| !l.wildcard && l.scope == scope && same(l.row, i))
            {
                Some(l) => {
                    l.actions.push(a.full.clone());
                    l.count += 1;
                }
                None => lines.push(Line {
                    scope,
                    actions: vec![a.full.clone()],
                    count: 1,
                    row: i,
                    wildcard: false,
                }),
            }
            *done = true;
        }
        lines.sort_by_key(|l| l.scope.order());
        lines
    }

    /// Where a line's resources are allowed: "`*`", "`arn...`, `arn...` except `arn...`".
    pub fn resources_text(&self, row: usize) -> String {
        let r = &self.rows[row];
        let code = |v: &[String]| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut s = code(&r.resources);
        if !r.except.is_empty() {
            s.push_str(&format!(" except {}", code(&r.except)));
        }
        if self.approximate[row] {
            s.push_str(" (approximate)");
        }
        s
    }

    /// The conditions of a line in prose: "`k` is `v` and `k2` is absent", "always (a service
    /// rule: ...)", or "none".
    pub fn conditions_text(&self, row: usize) -> String {
        let r = &self.rows[row];
        if let Some(rule) = self.rules[row] {
            return format!("always (service rule `{rule}`)");
        }
        if !r.conditional {
            return "none".into();
        }
        if r.conditions.is_empty() {
            // Conditional, yet every key's every case allows somewhere: the keys decide together.
            return "some combinations of condition values (see the witness)".into();
        }
        r.conditions
            .iter()
            .map(KeyCondition::describe)
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// The actions cell of a line: "`s3:Get*` (58 actions)", "`s3:GetObject`, `s3:ListBucket`".
    pub fn actions_text(line: &Line) -> String {
        let code: Vec<String> = line.actions.iter().map(|a| format!("`{a}`")).collect();
        if line.wildcard {
            format!("{} ({} actions)", code.join(", "), line.count)
        } else {
            code.join(", ")
        }
    }

    /// The text output: the policy, then per service and access level the actions, where, and
    /// when.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {} action{} allowed\n",
            self.policy,
            self.rows.len(),
            if self.rows.len() == 1 { "" } else { "s" }
        );
        let mut last: Option<String> = None;
        for l in self.lines() {
            let head = l.scope.heading();
            if last.as_deref() != Some(&head) {
                out.push_str(&format!("  {head}\n"));
                last = Some(head);
            }
            out.push_str(&format!(
                "    {}\n",
                Self::actions_text(&l).replace('`', "")
            ));
            out.push_str(&format!(
                "      on {}\n",
                self.resources_text(l.row).replace('`', "")
            ));
            let when = self.conditions_text(l.row);
            if let Some(rule) = self.rules[l.row] {
                out.push_str(&format!(
                    "      always: service rule {rule} (the policies do not decide it)\n"
                ));
            } else if when != "none" {
                out.push_str(&format!("      when {}\n", when.replace('`', "")));
            }
        }
        out
    }

    /// The rows of a Markdown table: service, access level, actions, resources, conditions.
    pub fn table_rows(&self) -> Vec<Vec<String>> {
        self.lines()
            .iter()
            .map(|l| {
                let (service, level) = l.scope.cells();
                vec![
                    service,
                    level,
                    Self::actions_text(l),
                    self.resources_text(l.row),
                    self.conditions_text(l.row),
                ]
                .into_iter()
                .map(|c| c.replace('|', "\\|"))
                .collect()
            })
            .collect()
    }
}

/// The header of [`Summary::table_rows`].
pub const TABLE_HEADER: [&str; 5] = [
    "Service",
    "Access level",
    "Actions",
    "Resources",
    "Conditions",
];

/// Actions shown together: one exact wildcard, or actions of one service and level allowed
/// alike.
#[derive(Debug, Clone)]
pub struct Line {
    pub scope: Scope,
    /// One wildcard, or action names.
    pub actions: Vec<String>,
    /// How many actions of AWS's data the line stands for.
    pub count: usize,
    /// A row of the summary the line stands for (all are alike).
    pub row: usize,
    pub wildcard: bool,
}

/// Where a line belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Actions of several services (an exact `*` or `*:Get*`).
    Services,
    /// Actions of one service, at several access levels.
    Service(String),
    /// Actions of one service and one access level.
    Level(String, AccessLevel),
}

fn level_rank(l: AccessLevel) -> u8 {
    match l {
        AccessLevel::List => 0,
        AccessLevel::Read => 1,
        AccessLevel::Write => 2,
        AccessLevel::Tagging => 3,
        AccessLevel::PermissionsManagement => 4,
    }
}

impl Scope {
    fn of(u: &Universe, actions: &[usize]) -> Scope {
        let first = &u.actions[actions[0]];
        if actions
            .iter()
            .any(|&a| u.actions[a].service != first.service)
        {
            Scope::Services
        } else if actions.iter().any(|&a| u.actions[a].level != first.level) {
            Scope::Service(first.service.to_string())
        } else {
            Scope::Level(first.service.to_string(), first.level)
        }
    }

    fn order(&self) -> (u8, String, u8) {
        match self {
            Scope::Services => (0, String::new(), 0),
            Scope::Service(s) => (1, s.clone(), 0),
            Scope::Level(s, l) => (1, s.clone(), 1 + level_rank(*l)),
        }
    }

    fn cells(&self) -> (String, String) {
        match self {
            Scope::Services => ("every service".into(), "every level".into()),
            Scope::Service(s) => (format!("`{s}`"), "every level".into()),
            Scope::Level(s, l) => (format!("`{s}`"), l.as_str().into()),
        }
    }

    fn heading(&self) -> String {
        match self {
            Scope::Services => "every service, every access level".into(),
            Scope::Service(s) => format!("{s}, every access level"),
            Scope::Level(s, l) => format!("{s}, {l}"),
        }
    }
}
