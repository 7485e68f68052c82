//! The finite set of requests that stands for every request: the exploration behind quantified
//! claims, access summaries and diffs.
//!
//! IAM decides a request from what the policies can tell apart about it, nothing more. So:
//!
//! - **Actions** are grouped by which statements' `Action`/`NotAction` cover them, which
//!   service rules name them, and whether they take only `"Resource": "*"`. Two actions of one
//!   group are decided alike for every resource and context; each group is evaluated once.
//! - **Resources**: for each ARN pattern the group's statements (and service rules) write, one
//!   *generic* ARN inside it: one that matches every other pattern that covers the whole
//!   pattern and no pattern that does not. Plus one ARN outside every pattern. Any allowed
//!   request lies in some allowing statement's pattern; the generic ARN of that pattern is
//!   matched by no Deny that misses part of the pattern, so it is allowed too (in the same
//!   context). The same holds the other way for the ARN outside every pattern.
//! - **Context**: for each condition key the group's statements compare, the cases a truth
//!   table takes (absent, each compared value, one other value; `true`/`false` for Bool keys),
//!   and their cross product; keys the question fixes stay fixed.
//!
//! Where the argument does not hold (no generic ARN exists among the fillers tried, for
//! example), the result says so (`approximate`), and claims are not proven on it. A group whose
//! product passes [`MAX_CELLS`] is not explored at all: the caller reports it, never proves a
//! claim by giving up.

use super::universe::Universe;
use crate::aws_data::AwsData;
use crate::eval::matching::action_matches;
use crate::eval::request::{Context, ContextValue, Principal, Request};
use crate::eval::service_rules::RULES;
use crate::eval::truth_table::Case;
use crate::eval::{Decision, PolicySet, evaluate};
use crate::iam::wildcard::matches_ignore_case;
use crate::policy::Statement;
use std::sync::Arc;

/// The most resource × context combinations one group of actions is evaluated on.
pub const MAX_CELLS: usize = 20_000;

/// The most patterns added for the overlaps of a group's patterns.
const MAX_OVERLAPS: usize = 64;

/// The value a policy variable in a resource pattern takes in the generic ARN (and in the
/// context that goes with it).
const VARIABLE_FILLER: &str = "example-value";

/// What is asked: one or more policy sets (two for a diff), decided for one principal.
pub struct Question<'a> {
    pub sides: Vec<PolicySet<'a>>,
    pub principal: Principal,
    /// Context keys the question fixes: a value, or absent (`None`).
    pub fixed: Vec<(String, Option<String>)>,
    /// Only resources this ARN pattern matches.
    pub resource: Option<String>,
}

impl Question<'_> {
    /// The account that owns the resources asked about: the principal's (a question about
    /// what policies allow inside one account), whatever account the ARN names.
    pub fn resource_account(&self) -> Option<String> {
        self.principal.account().map(str::to_string)
    }
}

/// One resource a group is decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRep {
    /// The pattern it stands for; `None`: any resource no pattern matches.
    pub pattern: Option<String>,
    /// The ARN requested; `None` for actions that take only `*`.
    pub arn: Option<String>,
}

/// One condition key that varies, with its cases.
#[derive(Debug, Clone)]
pub struct KeyCases {
    pub key: String,
    pub cases: Vec<Case>,
    /// The value the request carries in each case (`None`: absent); a set for a multivalued
    /// key (the cases of sets of several values are `Case::Other`, labelled `[a, b]`).
    pub values: Vec<Option<ContextValue>>,
    pub multivalued: bool,
    /// Cases from this index on are sent as a list (`ContextValue::Many`), those before as one
    /// value. The evaluator reads one value as a set of one under `ForAnyValue`/`ForAllValues`,
    /// and a list under an operator without a set qualifier as matching nothing; a multivalued
    /// key that some statement compares without a qualifier is tried both ways, each value case
    /// twice.
    pub single: usize,
}

/// A group of actions decided alike, and its decisions.
#[derive(Debug, Clone)]
pub struct Class {
    /// Indexes into the universe.
    pub actions: Vec<usize>,
    pub resources: Vec<ResourceRep>,
    pub keys: Vec<KeyCases>,
    /// The number of contexts: the product of the keys' case counts.
    pub contexts: usize,
    /// Per side, `resources.len() * contexts` decisions, resource-major.
    pub decisions: Vec<Vec<Decision>>,
    /// True when a pattern had no generic ARN among the fillers tried.
    pub approximate: bool,
    /// The resource patterns the group's statements write, variables as `*`.
    pub pool: Vec<String>,
}

/// A group too large to explore.
#[derive(Debug, Clone)]
pub struct TooComplex {
    /// One action of the group.
    pub action: String,
    pub cells: u128,
    pub keys: Vec<String>,
}

impl std::fmt::Display for TooComplex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "deciding `{}` would take {} requests (condition keys {}), past the limit of {MAX_CELLS}",
            self.action,
            self.cells,
            self.keys
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

pub struct Explored {
    pub universe: Arc<Universe>,
    pub classes: Vec<Class>,
}

impl Class {
    pub fn decision(&self, side: usize, resource: usize, context: usize) -> Decision {
        self.decisions[side][resource * self.contexts + context]
    }

    /// The case each varying key takes in context `c` (the last key varies fastest).
    pub fn cases(&self, mut c: usize) -> Vec<&Case> {
        let mut out: Vec<&Case> = Vec::with_capacity(self.keys.len());
        for k in self.keys.iter().rev() {
            out.push(&k.cases[c % k.cases.len()]);
            c /= k.cases.len();
        }
        out.reverse();
        out
    }

    /// The index of the case each varying key takes in context `c`.
    fn case_indexes(&self, mut c: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.keys.len());
        for k in self.keys.iter().rev() {
            out.push(c % k.cases.len());
            c /= k.cases.len();
        }
        out.reverse();
        out
    }

    /// The request of one cell as a reader would meet it: for "any other resource", an ARN of
    /// one of the action's own resource types (from AWS's data) that no pattern matches, when
    /// there is one. The decision is the cell's: the ARN lies in the same class.
    pub fn witness(
        &self,
        q: &Question<'_>,
        aws: &AwsData,
        action: &str,
        resource: usize,
        c: usize,
    ) -> Request {
        let mut req = self.request(q, action, resource, c);
        if self.resources[resource].pattern.is_none()
            && req.resource.is_some()
            && let Some(arn) = typed_arn(aws, action, q.resource_account().as_deref(), &self.pool)
        {
            req.resource = Some(arn);
        }
        req
    }

    /// The request for one action of the group in one cell.
    pub fn request(&self, q: &Question<'_>, action: &str, resource: usize, c: usize) -> Request {
        let mut context = Context::new();
        for (k, v) in &q.fixed {
            if let Some(v) = v {
                context.insert(k.clone(), ContextValue::One(v.clone()));
            }
        }
        for (k, i) in self.keys.iter().zip(self.case_indexes(c)) {
            if let Some(v) = &k.values[i] {
                context.insert(k.key.clone(), v.clone());
            }
        }
        Request {
            principal: q.principal.clone(),
            action: action.to_string(),
            resource: self.resources[resource].arn.clone(),
            resource_account: q.resource_account(),
            context,
            wildcard_only: None,
        }
    }
}

/// One statement of one side, with what the exploration needs of it.
struct Flat<'a> {
    policy: &'a str,
    index: usize,
    statement: &'a Statement,
}

fn flatten<'a>(set: &PolicySet<'a>) -> Vec<Flat<'a>> {
    crate::eval::truth_table::set_statements(set)
        .into_iter()
        .map(|(policy, index, statement)| Flat {
            policy,
            index,
            statement,
        })
        .collect()
}

/// Splits the groups of `gid` by membership in a statement's Action or NotAction: the members
/// of a group the statement covers move to a new group. Partition refinement: the cost is the
/// number of actions the entries match (all of them only for `*` and NotAction).
fn refine(gid: &mut [u32], next: &mut u32, s: &Statement, u: &Universe) {
    let Some(t) = &s.action else {
        return;
    };
    let mut hit: Vec<usize> = t
        .list
        .items
        .iter()
        .flat_map(|p| u.matching(&p.value))
        .collect();
    if t.negated {
        let mut mark = vec![false; gid.len()];
        for i in hit {
            mark[i] = true;
        }
        hit = (0..gid.len()).filter(|&i| !mark[i]).collect();
    } else {
        hit.sort_unstable();
        hit.dedup();
    }
    // Old group to new group, by index (group ids are dense).
    let mut remap: Vec<u32> = vec![u32::MAX; *next as usize];
    for i in hit {
        let g = gid[i] as usize;
        if remap[g] == u32::MAX {
            remap[g] = *next;
            *next += 1;
        }
        gid[i] = remap[g];
    }
}

/// Explores every action of AWS's data (or only `only`, indexes into the universe).
pub fn explore(
    q: &Question<'_>,
    aws: &AwsData,
    only: Option<&[usize]>,
) -> Result<Explored, TooComplex> {
    let universe = Universe::of(aws);
    let u = &*universe;
    let flats: Vec<Vec<Flat<'_>>> = q.sides.iter().map(flatten).collect();
    let all: Vec<&Flat<'_>> = flats.iter().flatten().collect();
    // Group the actions: start from the groups service rules and resource-less actions make,
    // and split them by each statement's Action.
    let (mut gid, mut next) = u.base_groups();
    for f in &all {
        refine(&mut gid, &mut next, f.statement, u);
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); next as usize];
    let mut order: Vec<u32> = Vec::new();
    let mut add = |i: usize| {
        let entry = &mut groups[gid[i] as usize];
        if entry.is_empty() {
            order.push(gid[i]);
        }
        entry.push(i);
    };
    match only {
        Some(list) => list.iter().copied().for_each(&mut add),
        None => (0..u.actions.len()).for_each(&mut add),
    }
    let mut classes = Vec::with_capacity(order.len());
    for g in order {
        let actions = std::mem::take(&mut groups[g as usize]);
        let first = &u.actions[actions[0]];
        let relevant: Vec<&Flat<'_>> = all
            .iter()
            .filter(|f| {
                f.statement
                    .action
                    .as_ref()
                    .is_some_and(|t| action_matches(t, &first.full))
            })
            .copied()
            .collect();
        let rules: Vec<usize> = (0..RULES.len())
            .filter(|&r| {
                RULES[r]
                    .actions
                    .iter()
                    .any(|p| matches_ignore_case(p, &first.full))
            })
            .collect();
        let wildcard_only = first.wildcard_only;
        classes.push(explore_class(
            q,
            aws,
            u,
            actions,
            &relevant,
            &rules,
            wildcard_only,
        )?);
    }
    Ok(Explored { universe, classes })
}

fn explore_class(
    q: &Question<'_>,
    aws: &AwsData,
    u: &Universe,
    actions: Vec<usize>,
    relevant: &[&Flat<'_>],
    rules: &[usize],
    wildcard_only: bool,
) -> Result<Class, TooComplex> {
    let first = &u.actions[actions[0]];
    // Resources.
    let mut patterns: Vec<String> = Vec::new();
    let mut push = |p: &str| {
        if !patterns.iter().any(|x| x == p) {
            patterns.push(p.to_string());
        }
    };
    let mut negated: Vec<String> = Vec::new();
    for f in relevant {
        if let Some(t) = &f.statement.resource {
            for p in &t.list.items {
                push(&p.value);
                if t.negated {
                    negated.push(p.value.clone());
                }
            }
        }
    }
    for &r in rules {
        for p in RULES[r].resources {
            push(p);
        }
    }
    if let Some(r) = &q.resource {
        push(r);
    }
    let mut approximate = false;
    let resources = if wildcard_only {
        vec![ResourceRep {
            pattern: Some("*".into()),
            arn: None,
        }]
    } else {
        let (reps, approx) =
            resource_reps(&patterns, &negated, first.service, q.resource.as_deref());
        approximate = approx;
        reps
    };
    // Context.
    let stmts: Vec<(&str, usize, &Statement)> = relevant
        .iter()
        .map(|f| (f.policy, f.index, f.statement))
        .collect();
    let mut keys: Vec<KeyCases> = Vec::new();
    let fixed = |k: &str| q.fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k));
    // Keys still to add, with a value they must take (a variable's filler).
    let mut todo: Vec<(String, Option<&str>)> = Vec::new();
    for f in relevant {
        for c in &f.statement.condition {
            for e in &c.entries {
                todo.push((e.key.value.clone(), None));
            }
        }
    }
    if !wildcard_only {
        for p in &patterns {
            let vars = variable_keys(p);
            // The ARN a variable fills is decided with one value of its key (the filler): a
            // Resource with a variable whose key is also compared, or that matches other
            // patterns only for some values, is not stood for by one ARN.
            if !vars.is_empty() {
                approximate = true;
            }
            for key in vars {
                todo.push((key, Some(VARIABLE_FILLER)));
            }
        }
    }
    let mut t = 0;
    while t < todo.len() {
        let (key, extra) = todo[t].clone();
        t += 1;
        if fixed(&key) {
            continue;
        }
        let k = match keys.iter().position(|k| k.key.eq_ignore_ascii_case(&key)) {
            Some(k) => k,
            None => {
                let plan = super::cases::plan(&key, &stmts, aws, VARIABLE_FILLER);
                approximate |= plan.approximate;
                for v in plan.variables {
                    todo.push((v, Some(VARIABLE_FILLER)));
                }
                keys.push(KeyCases {
                    key: key.clone(),
                    cases: plan.cases,
                    values: plan.values,
                    multivalued: plan.multivalued,
                    single: 0,
                });
                keys.len() - 1
            }
        };
        let k = &mut keys[k];
        if let Some(e) = extra
            && !k.cases.iter().any(|c| c.value() == Some(e))
        {
            k.cases.push(Case::Value(e.to_string()));
            k.values.push(Some(if k.multivalued {
                ContextValue::Many(vec![e.to_string()])
            } else {
                ContextValue::One(e.to_string())
            }));
        }
    }
    for k in &mut keys {
        let plain = relevant.iter().any(|f| {
            f.statement.condition.iter().any(|c| {
                c.operator.value.qualifier.is_none()
                    && c.operator.value.family != crate::iam::operator::OperatorFamily::Null
                    && c.entries
                        .iter()
                        .any(|e| e.key.value.eq_ignore_ascii_case(&k.key))
            })
        });
        k.single = if !k.multivalued {
            k.cases.len()
        } else if plain {
            // Each one-value list again as one value.
            let n = k.cases.len();
            let ones: Vec<(Case, String)> = k
                .cases
                .iter()
                .zip(&k.values)
                .filter_map(|(c, v)| match v {
                    Some(ContextValue::Many(list)) if list.len() == 1 => {
                        Some((c.clone(), list[0].clone()))
                    }
                    _ => None,
                })
                .collect();
            for (c, v) in ones {
                k.cases.push(c);
                k.values.push(Some(ContextValue::One(v)));
            }
            n
        } else {
            0
        };
    }
    let contexts: u128 = keys.iter().map(|k| k.cases.len() as u128).product();
    let cells = contexts * resources.len() as u128;
    if cells > MAX_CELLS as u128 {
        return Err(TooComplex {
            action: first.full.clone(),
            cells,
            keys: keys.iter().map(|k| k.key.clone()).collect(),
        });
    }
    let mut class = Class {
        actions,
        resources,
        keys,
        contexts: contexts as usize,
        decisions: vec![Vec::with_capacity(cells as usize); q.sides.len()],
        approximate,
        pool: patterns.iter().map(|p| as_glob(p)).collect(),
    };
    for r in 0..class.resources.len() {
        for c in 0..class.contexts {
            let req = class.request(q, &first.full, r, c);
            for (side, set) in q.sides.iter().enumerate() {
                let d = evaluate(&req, set, aws).decision;
                class.decisions[side].push(d);
            }
        }
    }
    Ok(class)
}

/// An ARN of one of the action's resource types, its variables filled (`aws`, `us-east-1`, the
/// account, `example`), matched by no pattern of `avoid` but stars.
pub fn typed_arn(
    aws: &AwsData,
    action: &str,
    account: Option<&str>,
    avoid: &[String],
) -> Option<String> {
    let (svc, name) = action.split_once(':')?;
    let service = aws.service(svc)?;
    let a = service.action(name)?;
    // The templates of the resource types AWS marks required first, then the simplest (fewest
    // variables): the ARN a reader expects (an S3 object, not an access point's object).
    let mut templates: Vec<(bool, usize, &str)> = service
        .action_resource_types(a)
        .flat_map(|(t, r)| {
            t.arn_patterns
                .iter()
                .map(move |p| (!r.required, p.matches("${").count(), *p))
        })
        .collect();
    templates.sort();
    templates
        .into_iter()
        .map(|(_, _, p)| p)
        .map(|template| fill_template(template, account.unwrap_or("111122223333")))
        .find(|arn| avoid.iter().all(|p| is_stars(p) || !arn_match(p, arn)))
}

fn fill_template(template: &str, account: &str) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(match &rest[open + 2..open + close] {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => account,
            _ => "example",
        });
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The keys of the policy variables in a pattern (`${aws:username}` gives `aws:username`;
/// `${*}`, `${?}` and `${$}` are characters, not keys).
fn variable_keys(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 2..open + close];
        let key = inner.split(',').next().unwrap_or("").trim();
        if !matches!(key, "*" | "?" | "$") && !key.is_empty() {
            out.push(key.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

/// A pattern with its variables written as `*`, for the pattern algebra.
fn as_glob(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 2..open + close];
        out.push_str(match inner {
            "*" | "?" | "$" => inner,
            _ => "*",
        });
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// One ARN in `pattern`: `*` becomes `filler`, `?` one character of it, a variable
/// [`VARIABLE_FILLER`].
fn instance(pattern: &str, filler: &str, one: char) -> String {
    let mut out = String::with_capacity(pattern.len() + filler.len());
    let mut rest = pattern;
    loop {
        let next = rest.find(['*', '?', '$']);
        let Some(at) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("${")
            && let Some(close) = tail.find('}')
        {
            let inner = &tail[2..close];
            match inner {
                "*" => out.push('*'),
                "?" => out.push('?'),
                "$" => out.push('$'),
                _ => out.push_str(VARIABLE_FILLER),
            }
            rest = &tail[close + 1..];
            continue;
        }
        match tail.as_bytes()[0] {
            b'*' => out.push_str(filler),
            b'?' => out.push(one),
            _ => out.push('$'),
        }
        rest = &tail[1..];
    }
}

/// Whether two `*`/`?` patterns share no string because their literal beginnings differ (a
/// cheap test before the pattern algebra, which long lists of distinct ARNs would otherwise
/// pay for every pair).
pub(super) fn literally_disjoint(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (x.next(), y.next()) {
            (Some('*' | '?'), _) | (_, Some('*' | '?')) | (None, None) => return false,
            (Some(c), Some(d)) if c == d => {}
            _ => return true,
        }
    }
}

fn is_stars(p: &str) -> bool {
    p.bytes().all(|b| b == b'*')
}

fn arn_match(pattern: &str, arn: &str) -> bool {
    use crate::eval::variables::{Reading, resolve};
    let how = Reading {
        variables: false,
        wildcards: true,
    };
    let toks = resolve(pattern, &Context::new(), how, &mut Vec::new()).unwrap_or_default();
    crate::eval::matching::arn_matches(&toks, arn)
}

/// The resources a group is decided on: one generic ARN per pattern, and one outside all of
/// them (see the module's comment). The second value is true when some pattern had no generic
/// ARN among the fillers.
///
/// A `NotResource` entry matches everything outside its pattern, so a generic ARN (which avoids
/// the patterns that do not cover its own) can land where a `NotResource` statement applies
/// while the part of the pattern inside the `NotResource` entry does not: for each
/// `NotResource` pattern `n` and each pattern `p` that overlaps it without either covering the
/// other, one ARN inside both stands for `p ∩ n` (labelled `p`).
fn resource_reps(
    patterns: &[String],
    negated: &[String],
    service: &str,
    only: Option<&str>,
) -> (Vec<ResourceRep>, bool) {
    const FILLERS: [(&str, char); 4] = [
        ("example", 'x'),
        ("mdbook-iam-7", 'q'),
        ("z", 'z'),
        ("", '0'),
    ];
    let globs: Vec<String> = patterns.iter().map(|p| as_glob(p)).collect();
    let mut reps = Vec::new();
    let mut approximate = false;
    // Where two patterns overlap without one covering the other, a request in both can be
    // decided unlike either one's generic ARN (an Allow on `b/*` with a Deny on `*/secret`
    // leaves `b/secret` denied): the overlaps are patterns of their own. Overlaps of three or
    // more are not added (the result says so when there are such).
    let mut all: Vec<String> = patterns.to_vec();
    let plain = |p: &str| !is_stars(p) && !p.contains("${");
    let mut overlaps = 0usize;
    for i in 0..patterns.len() {
        for j in i + 1..patterns.len() {
            let (a, b) = (&patterns[i], &patterns[j]);
            if !plain(a) || !plain(b) || literally_disjoint(a, b) {
                continue;
            }
            if crate::eval::matching::arn_covers(a, b) || crate::eval::matching::arn_covers(b, a) {
                continue;
            }
            match super::algebra::arn_intersect(a, b, MAX_OVERLAPS) {
                Some(parts) => {
                    if !parts.is_empty() {
                        overlaps += 1;
                    }
                    for g in parts {
                        if all.len() >= patterns.len() + MAX_OVERLAPS {
                            approximate = true;
                            break;
                        }
                        if !all.contains(&g) {
                            all.push(g);
                        }
                    }
                }
                None => approximate = true,
            }
        }
    }
    if overlaps > 1 {
        approximate = true;
    }
    for (i, p) in all.iter().enumerate() {
        if is_stars(p) {
            continue;
        }
        let own = as_glob(p);
        let generic = FILLERS.iter().map(|(f, o)| instance(p, f, *o)).find(|arn| {
            globs.iter().enumerate().all(|(j, q)| {
                j == i
                    || is_stars(q)
                    || !arn_match(q, arn)
                    || crate::eval::matching::arn_covers(q, &own)
            })
        });
        let arn = generic.unwrap_or_else(|| {
            approximate = true;
            instance(p, FILLERS[0].0, FILLERS[0].1)
        });
        if !reps
            .iter()
            .any(|r: &ResourceRep| r.arn.as_deref() == Some(&arn))
        {
            reps.push(ResourceRep {
                pattern: Some(p.clone()),
                arn: Some(arn),
            });
        }
    }
    for n in negated.iter().filter(|n| !is_stars(n)) {
        let gn = as_glob(n);
        for (p, gp) in patterns.iter().zip(&globs) {
            if p == n
                || is_stars(p)
                || crate::eval::matching::arn_covers(&gn, gp)
                || crate::eval::matching::arn_covers(gp, &gn)
            {
                continue;
            }
            // No ARN in both (field by field): nothing to stand for.
            if !crate::eval::matching::arn_intersects(gp, &gn) {
                continue;
            }
            let Some(arn) = glob_intersection(gp, &gn) else {
                continue;
            };
            let exact = !p.contains("${") && !n.contains("${");
            if !(exact && arn_match(p, &arn) && arn_match(n, &arn)) {
                approximate = true;
                continue;
            }
            if !reps
                .iter()
                .any(|r: &ResourceRep| r.arn.as_deref() == Some(&arn))
            {
                reps.push(ResourceRep {
                    pattern: Some(p.clone()),
                    arn: Some(arn),
                });
            }
        }
    }
    // One ARN outside every pattern but `*`.
    let outside = [
        format!("arn:aws:{service}:us-east-1:123456789012:mdbook-iam-other/example"),
        format!("arn:aws:{service}:eu-west-3:444455556666:other-resource-9"),
        format!("arn:aws-cn:{service}:cn-north-1:999988887777:q"),
    ]
    .into_iter()
    .find(|arn| globs.iter().all(|q| is_stars(q) || !arn_match(q, arn)));
    match outside {
        Some(arn) => reps.push(ResourceRep {
            pattern: None,
            arn: Some(arn),
        }),
        None => approximate = true,
    }
    if let Some(only) = only.filter(|o| !is_stars(o)) {
        reps.retain(|r| r.arn.as_deref().is_some_and(|a| arn_match(only, a)));
    }
    (reps, approximate)
}

/// A shortest string both globs match (`*` any run, `?` one character), or `None` when they
/// share none. A search over pairs of positions; characters are the globs' own literals and `x`.
fn glob_intersection(a: &str, b: &str) -> Option<String> {
    use std::collections::{HashMap, VecDeque};
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut alphabet: Vec<char> = a
        .iter()
        .chain(&b)
        .copied()
        .filter(|c| !matches!(c, '*' | '?'))
        .collect();
    alphabet.push('x');
    alphabet.sort_unstable();
    alphabet.dedup();
    // A star may match nothing: skip over stars.
    let close = |g: &[char], mut i: usize| -> Vec<usize> {
        let mut out = vec![i];
        while i < g.len() && g[i] == '*' {
            i += 1;
            out.push(i);
        }
        out
    };
    let step = |g: &[char], i: usize, c: char| -> Option<usize> {
        match g.get(i) {
            Some('*') => Some(i),
            Some('?') => Some(i + 1),
            Some(&x) if x == c => Some(i + 1),
            _ => None,
        }
    };
    // Each reached pair of positions, and the pair and character it was reached from.
    type Pair = (usize, usize);
    let mut parent: HashMap<Pair, Option<(Pair, char)>> = HashMap::new();
    let mut queue = VecDeque::new();
    for i in close(&a, 0) {
        for j in close(&b, 0) {
            parent.entry((i, j)).or_insert(None);
            queue.push_back((i, j));
        }
    }
    while let Some((i, j)) = queue.pop_front() {
        if i == a.len() && j == b.len() {
            let mut out = Vec::new();
            let mut at = (i, j);
            while let Some(Some((prev, c))) = parent.get(&at) {
                out.push(*c);
                at = *prev;
            }
            out.reverse();
            return Some(out.into_iter().collect());
        }
        for &c in &alphabet {
            let (Some(ni), Some(nj)) = (step(&a, i, c), step(&b, j, c)) else {
                continue;
            };
            for ci in close(&a, ni) {
                for cj in close(&b, nj) {
                    if let std::collections::hash_map::Entry::Vacant(e) = parent.entry((ci, cj)) {
                        e.insert(Some(((i, j), c)));
                        queue.push_back((ci, cj));
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_meet_where_they_overlap() {
        let w = glob_intersection("arn:aws:s3:::b/*", "arn:aws:s3:::*/logs/*").unwrap();
        assert!(arn_match("arn:aws:s3:::b/*", &w) && arn_match("arn:aws:s3:::*/logs/*", &w));
        assert_eq!(glob_intersection("a*", "b*"), None);
        let w = glob_intersection("a?c", "*c").unwrap();
        assert!(
            w.len() == 3 && w.starts_with('a') && w.ends_with('c'),
            "{w}"
        );
        // A NotResource pattern and an overlapping one: the overlap has a representative.
        let ps: Vec<String> = ["arn:aws:s3:::b/*", "arn:aws:s3:::*/logs/*"]
            .map(String::from)
            .to_vec();
        let (reps, _) = resource_reps(&ps, &ps[..1], "s3", None);
        assert!(reps.iter().any(|r| {
            let a = r.arn.as_deref().unwrap();
            arn_match(&ps[0], a) && arn_match(&ps[1], a)
        }));
    }

    #[test]
    fn instances_fill_wildcards_and_variables() {
        assert_eq!(
            instance("arn:aws:s3:::b/${aws:username}/*", "example", 'x'),
            "arn:aws:s3:::b/example-value/example"
        );
        assert_eq!(instance("arn:aws:s3:::b?", "e", 'x'), "arn:aws:s3:::bx");
        assert_eq!(
            variable_keys("arn:aws:s3:::b/${aws:username}/${aws:PrincipalTag/team, 'x'}/${*}"),
            ["aws:username", "aws:PrincipalTag/team"]
        );
        assert_eq!(as_glob("a/${aws:username}/${?}"), "a/*/?");
        assert!(literally_disjoint(
            "arn:aws:s3:::b-1/*",
            "arn:aws:s3:::b-2/*"
        ));
        assert!(literally_disjoint("abc", "abcd*"));
        assert!(!literally_disjoint("ab*", "abcd"));
        assert!(!literally_disjoint("a?c", "abd"));
        assert!(!literally_disjoint("abc", "abc"));
    }

    #[test]
    fn generic_arns_avoid_patterns_that_do_not_cover_theirs() {
        let ps: Vec<String> = [
            "arn:aws:s3:::*",
            "arn:aws:s3:::*example*",
            "arn:aws:s3:::b/*",
        ]
        .map(String::from)
        .to_vec();
        let (reps, approx) = resource_reps(&ps, &[], "s3", None);
        assert!(!approx);
        let arn0 = reps[0].arn.as_deref().unwrap();
        assert!(!arn_match("arn:aws:s3:::*example*", arn0), "{arn0}");
        let outside = reps.last().unwrap();
        assert_eq!(outside.pattern, None);
        assert!(
            ps.iter()
                .all(|p| !arn_match(p, outside.arn.as_deref().unwrap()))
        );
    }
}
