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
use crate::eval::request::{Context, ContextValue, Principal, Request};
use crate::eval::service_rules::RULES;
use crate::eval::truth_table::{Case, cases_for};
use crate::eval::{Decision, PolicySet, evaluate};
use crate::policy::Statement;
use std::collections::HashMap;
use std::sync::Arc;

/// The most resource × context combinations one group of actions is evaluated on.
pub const MAX_CELLS: usize = 20_000;

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

    /// The request for one action of the group in one cell.
    pub fn request(&self, q: &Question<'_>, action: &str, resource: usize, c: usize) -> Request {
        let mut context = Context::new();
        for (k, v) in &q.fixed {
            if let Some(v) = v {
                context.insert(k.clone(), ContextValue::One(v.clone()));
            }
        }
        let mut rest = c;
        let mut index = vec![0; self.keys.len()];
        for (i, k) in self.keys.iter().enumerate().rev() {
            index[i] = rest % k.cases.len();
            rest /= k.cases.len();
        }
        for ((k, case), i) in self.keys.iter().zip(self.cases(c)).zip(index) {
            if let Some(v) = case.value() {
                if i >= k.single {
                    context.insert(k.key.clone(), ContextValue::Many(vec![v.to_string()]));
                } else {
                    context.insert(k.key.clone(), v);
                }
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

/// The indexes of the actions a statement's Action or NotAction covers.
fn statement_actions(s: &Statement, u: &Universe) -> Vec<bool> {
    let mut hit = vec![false; u.actions.len()];
    let Some(t) = &s.action else {
        return hit;
    };
    for p in &t.list.items {
        for i in u.matching(&p.value) {
            hit[i] = true;
        }
    }
    if t.negated {
        for h in &mut hit {
            *h = !*h;
        }
    }
    hit
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
    let covered: Vec<Vec<bool>> = all
        .iter()
        .map(|f| statement_actions(f.statement, u))
        .collect();
    let rule_hits: Vec<Vec<bool>> = RULES
        .iter()
        .map(|r| {
            let mut hit = vec![false; u.actions.len()];
            for p in r.actions {
                for i in u.matching(p) {
                    hit[i] = true;
                }
            }
            hit
        })
        .collect();
    // Group the actions by signature.
    let mut groups: HashMap<Vec<bool>, Vec<usize>> = HashMap::new();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let candidates: Vec<usize> = match only {
        Some(list) => list.to_vec(),
        None => (0..u.actions.len()).collect(),
    };
    for i in candidates {
        let mut sig: Vec<bool> = covered.iter().map(|c| c[i]).collect();
        sig.extend(rule_hits.iter().map(|r| r[i]));
        sig.push(u.actions[i].wildcard_only);
        let entry = groups.entry(sig.clone()).or_default();
        if entry.is_empty() {
            order.push(sig);
        }
        entry.push(i);
    }
    let mut classes = Vec::with_capacity(order.len());
    for sig in order {
        let actions = groups.remove(&sig).unwrap_or_default();
        let relevant: Vec<&Flat<'_>> = all
            .iter()
            .zip(&sig)
            .filter(|(_, hit)| **hit)
            .map(|(f, _)| *f)
            .collect();
        let rules: Vec<usize> = (0..RULES.len()).filter(|r| sig[all.len() + r]).collect();
        let wildcard_only = *sig.last().unwrap_or(&false);
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
    let mut add_key = |key: &str, extra: Option<&str>| {
        if fixed(key) {
            return;
        }
        if let Some(k) = keys.iter_mut().find(|k| k.key.eq_ignore_ascii_case(key)) {
            if let Some(e) = extra
                && !k.cases.iter().any(|c| c.value() == Some(e))
            {
                k.cases.push(Case::Value(e.to_string()));
            }
            return;
        }
        let (mut cases, multivalued) = cases_for(key, &stmts, aws);
        if let Some(e) = extra
            && !cases.iter().any(|c| c.value() == Some(e))
        {
            cases.push(Case::Value(e.to_string()));
        }
        keys.push(KeyCases {
            key: key.to_string(),
            cases,
            multivalued,
            single: 0,
        });
    };
    for f in relevant {
        for c in &f.statement.condition {
            for e in &c.entries {
                add_key(&e.key.value, None);
                // A value with a policy variable (`"aws:ResourceAccount":
                // "${aws:PrincipalAccount}"`) compares two keys: the variable's key takes the
                // filler, and the compared key the value as the filler makes it, so that the
                // requests where they agree are explored too.
                for v in &e.values.items {
                    let text = v.value.text();
                    let vars = variable_keys(text);
                    if vars.is_empty() {
                        continue;
                    }
                    for k in &vars {
                        add_key(k, Some(VARIABLE_FILLER));
                    }
                    add_key(&e.key.value, Some(&instance(text, "example", 'x')));
                }
            }
        }
    }
    if !wildcard_only {
        for p in &patterns {
            for key in variable_keys(p) {
                add_key(&key, Some(VARIABLE_FILLER));
            }
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
            let n = k.cases.len();
            let lists: Vec<Case> = k
                .cases
                .iter()
                .filter(|c| c.value().is_some())
                .cloned()
                .collect();
            k.cases.extend(lists);
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
    for (i, p) in patterns.iter().enumerate() {
        if is_stars(p) {
            continue;
        }
        let generic = FILLERS.iter().map(|(f, o)| instance(p, f, *o)).find(|arn| {
            globs.iter().enumerate().all(|(j, q)| {
                j == i
                    || is_stars(q)
                    || !arn_match(q, arn)
                    || super::algebra::arn_covers(q, &globs[i])
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
                || super::algebra::arn_covers(&gn, gp)
                || super::algebra::arn_covers(gp, &gn)
            {
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
