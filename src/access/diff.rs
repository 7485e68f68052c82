//! The access change between two states of the same policies: what the new state allows that
//! the old one did not (gained), and the other way (lost), action by action, each with one
//! request that shows it. Both sides are explored on the same classes of requests
//! ([`explore`] with two sides), so a difference in any request shows as a difference in some
//! cell; every witness is decided again on both sides before it is reported.

use super::space::{Class, Question, TooComplex, explore};
use super::summary::{KeyCondition, case_index};
use super::universe::Universe;
use crate::aws_data::{AccessLevel, AwsData};
use crate::catalog::Catalog;
use crate::eval::matching::arn_covers;
use crate::eval::truth_table::Case;
use crate::eval::{Decision, NamedPolicy, PolicySet, Principal, Request, evaluate};
use crate::policy::{Policy, PolicyKind, to_prettier_json};

/// Which way access changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Gained,
    Lost,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Gained => "gained",
            Change::Lost => "lost",
        }
    }
}

/// One action whose access changed.
#[derive(Debug, Clone)]
pub struct Delta {
    pub change: Change,
    /// `s3:PutObjectAcl`, as AWS's data spells it.
    pub action: String,
    pub level: AccessLevel,
    /// The ARN patterns on which the change happens (`*`: any resource).
    pub resources: Vec<String>,
    /// Patterns inside those on which it does not.
    pub except: Vec<String>,
    /// The context under which it happens (all of them); empty when it happens whatever the
    /// context, or when `unless` says it better.
    pub conditions: Vec<KeyCondition>,
    /// The context under which it does not happen (all of them): an access lost to an added
    /// condition reads "unless A and B", which no list of "when"s says.
    pub unless: Vec<KeyCondition>,
    /// False when neither list says the contexts exactly: `conditions` then lists each key's
    /// cases among them, and the witness is one of them.
    pub exact: bool,
    /// A request allowed on one side and not on the other (decided again on both).
    pub witness: Request,
    /// The witness's decision on the old side and on the new side.
    pub before: Decision,
    pub after: Decision,
}

/// The change between two policy sets.
#[derive(Debug, Clone, Default)]
pub struct SetDiff {
    /// Gained first, then lost; in the universe's order within each.
    pub deltas: Vec<Delta>,
    /// True when some pattern had no generic ARN: a change inside it may have been missed.
    pub approximate: bool,
    /// Actions whose difference no witness confirmed (an engine fault; never expected).
    pub unverified: Vec<String>,
}

impl SetDiff {
    pub fn gained(&self) -> usize {
        self.deltas
            .iter()
            .filter(|d| d.change == Change::Gained)
            .count()
    }
    pub fn lost(&self) -> usize {
        self.deltas.len() - self.gained()
    }
}

/// The access change from `old` to `new` for `principal`, over every action of AWS's data (or
/// only `only`, indexes into the universe).
pub fn diff_sets(
    old: &PolicySet<'_>,
    new: &PolicySet<'_>,
    principal: Principal,
    aws: &AwsData,
    only: Option<&[usize]>,
) -> Result<SetDiff, TooComplex> {
    let q = Question {
        sides: vec![old.clone(), new.clone()],
        principal,
        fixed: Vec::new(),
        resource: None,
    };
    let explored = explore(&q, aws, only)?;
    let u = &*explored.universe;
    // A class that is approximate may hide a change its cells do not show: the diff says so
    // even when it found none there (no "nothing gained" on a class it could not stand for).
    let mut out = SetDiff {
        approximate: explored.classes.iter().any(|c| c.approximate),
        ..SetDiff::default()
    };
    for change in [Change::Gained, Change::Lost] {
        for class in &explored.classes {
            if let Some(d) = class_deltas(class, &q, u, aws, change, &mut out.unverified) {
                out.deltas.extend(d);
            }
        }
    }
    // Within each change, the universe's order (classes interleave services).
    let order = |d: &Delta| u.find(&d.action).unwrap_or(usize::MAX);
    out.deltas.sort_by_key(|d| (d.change, order(d)));
    Ok(out)
}

/// The deltas of one class in one direction; `None` when nothing changed in it.
fn class_deltas(
    class: &Class,
    q: &Question<'_>,
    u: &Universe,
    aws: &AwsData,
    change: Change,
    unverified: &mut Vec<String>,
) -> Option<Vec<Delta>> {
    let (from, to) = match change {
        Change::Gained => (0, 1),
        Change::Lost => (1, 0),
    };
    let differs = |r: usize, c: usize| {
        class.decision(to, r, c) == Decision::Allowed
            && class.decision(from, r, c) != Decision::Allowed
    };
    let reps = 0..class.resources.len();
    let changed: Vec<usize> = reps
        .clone()
        .filter(|&r| (0..class.contexts).any(|c| differs(r, c)))
        .collect();
    if changed.is_empty() {
        return None;
    }
    let resources = super::summary::minimal_patterns(class, &changed);
    let mut except: Vec<String> = Vec::new();
    for r in reps.filter(|r| !changed.contains(r)) {
        let Some(p) = &class.resources[r].pattern else {
            continue;
        };
        if resources.iter().any(|m| m != p && arn_covers(m, p)) && !except.contains(p) {
            except.push(p.clone());
        }
    }
    let (conditions, unless, exact) = conditions_of(class, &changed, &differs);
    // The witness cells: named patterns before the stand-in for "any other resource".
    let mut cells: Vec<(usize, usize)> = Vec::new();
    let mut ordered = changed.clone();
    ordered.sort_by_key(|&r| class.resources[r].pattern.is_none());
    for &r in &ordered {
        for c in 0..class.contexts {
            if differs(r, c) {
                cells.push((r, c));
            }
        }
    }
    let mut out = Vec::with_capacity(class.actions.len());
    for &a in &class.actions {
        let ua = &u.actions[a];
        // Every action of a class is decided alike; a few cells are tried before giving up.
        let decide = |req: Request| {
            let before = evaluate(&req, &q.sides[0], aws).decision;
            let after = evaluate(&req, &q.sides[1], aws).decision;
            let (was, is) = match change {
                Change::Gained => (before, after),
                Change::Lost => (after, before),
            };
            (is == Decision::Allowed && was != Decision::Allowed).then_some((req, before, after))
        };
        let found = cells.iter().take(16).find_map(|&(r, c)| {
            let req = class.request(q, &ua.full, r, c);
            // The stand-in for "any other resource" is no real ARN: an ARN of one of the
            // action's resource types reads better, when it shows the same change.
            if class.resources[r].pattern.is_none() && req.resource.is_some() {
                for arn in typed_arns(aws, ua.service, ua.name, q.resource_account().as_deref()) {
                    let mut typed = req.clone();
                    typed.resource = Some(arn);
                    if let Some(hit) = decide(typed) {
                        return Some(hit);
                    }
                }
            }
            decide(req)
        });
        match found {
            Some((witness, before, after)) => out.push(Delta {
                change,
                action: ua.full.clone(),
                level: ua.level,
                resources: resources.clone(),
                except: except.clone(),
                conditions: conditions.clone(),
                unless: unless.clone(),
                exact,
                witness,
                before,
                after,
            }),
            None => unverified.push(ua.full.clone()),
        }
    }
    Some(out)
}

/// The contexts of the changed cells, described: `(when, unless, exact)`. Both lists are
/// empty when the change happens in every context (on some resource). `when` lists, per key,
/// the cases among those contexts (keys that take every case are left out); when they are not
/// exactly the product of those cases, the contexts without the change may be (`unless`).
fn conditions_of(
    class: &Class,
    changed: &[usize],
    differs: &dyn Fn(usize, usize) -> bool,
) -> (Vec<KeyCondition>, Vec<KeyCondition>, bool) {
    if changed
        .iter()
        .any(|&r| (0..class.contexts).all(|c| differs(r, c)))
    {
        return (Vec::new(), Vec::new(), true);
    }
    let inside: Vec<bool> = (0..class.contexts)
        .map(|c| changed.iter().any(|&r| differs(r, c)))
        .collect();
    let when = marginals(class, &inside);
    if product_is(class, &when, &inside) {
        return (describe(class, &when), Vec::new(), true);
    }
    let outside: Vec<bool> = inside.iter().map(|i| !i).collect();
    let unless = marginals(class, &outside);
    if product_is(class, &unless, &outside) {
        return (Vec::new(), describe(class, &unless), true);
    }
    (describe(class, &when), Vec::new(), false)
}

/// Per key, which of its cases some context in `set` takes.
fn marginals(class: &Class, set: &[bool]) -> Vec<Vec<bool>> {
    let mut hit: Vec<Vec<bool>> = class
        .keys
        .iter()
        .map(|k| vec![false; k.cases.len()])
        .collect();
    for (c, _) in set.iter().enumerate().filter(|(_, i)| **i) {
        for (k, h) in hit.iter_mut().enumerate() {
            h[case_index(class, c, k)] = true;
        }
    }
    hit
}

/// Whether `set` is exactly the contexts whose every key takes a case marked in `hit`.
fn product_is(class: &Class, hit: &[Vec<bool>], set: &[bool]) -> bool {
    (0..class.contexts).all(|c| {
        let in_product = hit
            .iter()
            .enumerate()
            .all(|(k, h)| h[case_index(class, c, k)]);
        in_product == set[c]
    })
}

fn describe(class: &Class, hit: &[Vec<bool>]) -> Vec<KeyCondition> {
    let mut out = Vec::new();
    for (key, hit) in class.keys.iter().zip(hit) {
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
        for (case, h) in key.cases.iter().zip(hit) {
            match case {
                Case::Absent => kc.absent = *h,
                // Several cases stand for values no policy compares (values between compared
                // numbers, sets of values): "other" when any of them has the change.
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
        out.push(kc);
    }
    out
}

/// ARNs of the resource types an action takes, from AWS's ARN formats: `${Partition}` is `aws`,
/// `${Region}` `us-east-1`, `${Account}` the resource's account, every other part `example`.
fn typed_arns(aws: &AwsData, service: &str, action: &str, account: Option<&str>) -> Vec<String> {
    let Some(svc) = aws.service(service) else {
        return Vec::new();
    };
    let Some(a) = svc.action(action) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    // The plainest formats first (`object` before `accesspoint/.../object` for `s3:GetObject`).
    let mut formats: Vec<&str> = svc
        .action_resource_types(a)
        .flat_map(|(rt, _)| rt.arn_patterns.iter().copied())
        .collect();
    formats.sort_by_key(|p| p.matches("${").count());
    for p in formats {
        let mut arn = String::new();
        let mut rest: &str = p;
        while let Some(open) = rest.find("${") {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            arn.push_str(&rest[..open]);
            arn.push_str(match &rest[open + 2..open + close] {
                "Partition" => "aws",
                "Region" => "us-east-1",
                "Account" => account.unwrap_or("123456789012"),
                _ => "example",
            });
            rest = &rest[open + close + 1..];
        }
        arn.push_str(rest);
        if !out.contains(&arn) {
            out.push(arn);
        }
    }
    out.truncate(4);
    out
}

/// What a compared entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A catalog policy.
    Policy,
    /// A catalog role: its permission policies together.
    Role,
    /// A policy file.
    File,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Policy => "policy",
            EntryKind::Role => "role",
            EntryKind::File => "file",
        }
    }
}

/// Whether an entry is on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    /// Only in the new state: all its access is gained.
    Added,
    /// Only in the old state: all its access is lost.
    Removed,
}

/// One compared entry.
#[derive(Debug, Clone)]
pub struct EntryDiff {
    /// The entry's name in the new state (the old one's when removed), or the file.
    pub entry: String,
    /// The old name, when the entry was matched under another name (same published file).
    pub previously: Option<String>,
    pub kind: EntryKind,
    pub presence: Presence,
    /// The change, or why it was not computed.
    pub outcome: Result<SetDiff, String>,
}

impl EntryDiff {
    pub fn deltas(&self) -> &[Delta] {
        match &self.outcome {
            Ok(d) => &d.deltas,
            Err(_) => &[],
        }
    }
}

/// The policies of one side of an entry, owned.
pub type Built = Vec<(String, Policy, PolicyKind)>;

fn set_of(built: &Built) -> PolicySet<'_> {
    PolicySet::identity(built.iter().map(|(n, p, _)| NamedPolicy::new(n, p)))
}

/// The same policies (text and kinds), whatever their names: nothing to explore.
fn same(a: &Built, b: &Built) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.2 == y.2 && to_prettier_json(&x.1.to_value()) == to_prettier_json(&y.1.to_value())
        })
}

/// The account the stand-in principal is in: the catalog's 12-digit placeholder example.
fn account_of(c: &Catalog) -> Option<String> {
    c.placeholders
        .iter()
        .map(|p| p.example.clone())
        .find(|e| e.len() == 12 && e.bytes().all(|c| c.is_ascii_digit()))
}

/// The principal whose access is compared: a session of the role (or of a stand-in role).
pub fn principal_for(account: &str, role: &str) -> Principal {
    Principal::parse(&format!(
        "arn:aws:sts::{account}:assumed-role/{role}/mdbook-iam-diff"
    ))
    .unwrap_or(Principal::Root {
        partition: "aws".into(),
        account: account.into(),
    })
}

/// The diff of two built sides (either may be empty: an entry on one side only).
pub fn diff_built(
    old: &Built,
    new: &Built,
    principal: Principal,
    aws: &AwsData,
) -> Result<SetDiff, String> {
    diff_sets(&set_of(old), &set_of(new), principal, aws, None).map_err(|e| e.to_string())
}

fn diff_entry(
    old: &Built,
    new: &Built,
    principal: Principal,
    aws: &AwsData,
) -> Option<Result<SetDiff, String>> {
    if same(old, new) {
        return None;
    }
    Some(diff_built(old, new, principal, aws))
}

/// Why a catalog entry is left out of the comparison, if it is.
fn not_compared(kind: PolicyKind) -> Option<&'static str> {
    match kind {
        PolicyKind::Identity => None,
        // Who may assume a role, or act on a resource, depends on the principal: a question the
        // diff does not ask yet (the policies are still listed as changed).
        PolicyKind::Trust => Some("trust policies are not compared (only identity policies are)"),
        PolicyKind::Resource => {
            Some("resource policies are not compared (only identity policies are)")
        }
    }
}

/// The access change between two catalogs, per policy and per role. Entries are matched by
/// name, then (for the rest) by the file they are published as (policies) or their IAM name
/// (roles). Entries whose policies are the same on both sides are left out.
pub fn diff_catalogs(old: &Catalog, new: &Catalog, aws: &AwsData) -> Vec<EntryDiff> {
    let account = account_of(new)
        .or_else(|| account_of(old))
        .unwrap_or_else(|| "111122223333".into());
    let build = |c: &Catalog, name: &str| -> Result<Built, String> {
        crate::eval::claim::build_subject(c, aws, name, &[], false).map_err(|(m, _)| m)
    };
    let mut out = Vec::new();

    // Policies.
    let pairs = match_names(
        old.policies
            .iter()
            .map(|p| (p.name.value.as_str(), p.file.as_deref())),
        new.policies
            .iter()
            .map(|p| (p.name.value.as_str(), p.file.as_deref())),
    );
    for (o, n) in pairs {
        let kind = n
            .and_then(|n| new.policy(n))
            .or_else(|| o.and_then(|o| old.policy(o)))
            .map_or(PolicyKind::Identity, |p| p.kind);
        let (entry, presence) = naming(o, n);
        let previously = o.filter(|o| n.is_some_and(|n| n != *o)).map(str::to_string);
        let get = |c: &Catalog, name: Option<&str>| match name {
            Some(name) => build(c, name),
            None => Ok(Vec::new()),
        };
        let (ob, nb) = match (get(old, o), get(new, n)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                out.push(EntryDiff {
                    entry,
                    previously,
                    kind: EntryKind::Policy,
                    presence,
                    outcome: Err(e),
                });
                continue;
            }
        };
        if same(&ob, &nb) {
            continue;
        }
        let outcome = match not_compared(kind) {
            Some(why) => Err(why.to_string()),
            None => diff_entry(&ob, &nb, principal_for(&account, "DiffRole"), aws)
                .unwrap_or_else(|| Ok(SetDiff::default())),
        };
        out.push(EntryDiff {
            entry,
            previously,
            kind: EntryKind::Policy,
            presence,
            outcome,
        });
    }

    // Roles: their permission policies together.
    let pairs = match_names(
        old.roles
            .iter()
            .map(|r| (r.name.value.as_str(), Some(r.role_name.as_str()))),
        new.roles
            .iter()
            .map(|r| (r.name.value.as_str(), Some(r.role_name.as_str()))),
    );
    for (o, n) in pairs {
        let (entry, presence) = naming(o, n);
        let previously = o.filter(|o| n.is_some_and(|n| n != *o)).map(str::to_string);
        let role_name = n
            .and_then(|n| new.role(n))
            .or_else(|| o.and_then(|o| old.role(o)))
            .map_or("DiffRole", |r| r.role_name.as_str());
        let get = |c: &Catalog, name: Option<&str>| match name {
            Some(name) => build(c, name),
            None => Ok(Vec::new()),
        };
        let outcome = match (get(old, o), get(new, n)) {
            (Ok(a), Ok(b)) => diff_entry(&a, &b, principal_for(&account, role_name), aws),
            (Err(e), _) | (_, Err(e)) => Some(Err(e)),
        };
        if let Some(outcome) = outcome {
            out.push(EntryDiff {
                entry,
                previously,
                kind: EntryKind::Role,
                presence,
                outcome,
            });
        }
    }
    out
}

fn naming(o: Option<&str>, n: Option<&str>) -> (String, Presence) {
    match (o, n) {
        (_, Some(n)) if o.is_some() => (n.to_string(), Presence::Both),
        (_, Some(n)) => (n.to_string(), Presence::Added),
        (Some(o), None) => (o.to_string(), Presence::Removed),
        (None, None) => (String::new(), Presence::Both),
    }
}

/// Pairs entries by name, then the rest by a second key (a published file, an IAM name) when it
/// is given and names one entry on each side. In the new state's order, then the removed ones.
fn match_names<'a>(
    old: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    new: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let old: Vec<(&str, Option<&str>)> = old.collect();
    let new: Vec<(&str, Option<&str>)> = new.collect();
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    let mut unmatched = Vec::new();
    for &(n, _) in &new {
        match old.iter().position(|(o, _)| *o == n) {
            Some(i) => {
                used[i] = true;
                out.push((Some(old[i].0), Some(n)));
            }
            None => unmatched.push(n),
        }
    }
    let key_count =
        |list: &[(&str, Option<&str>)], k: &str| list.iter().filter(|(_, x)| *x == Some(k)).count();
    for n in unmatched {
        let key = new.iter().find(|(x, _)| *x == n).and_then(|(_, k)| *k);
        let partner = key
            .filter(|k| key_count(&new, k) == 1 && key_count(&old, k) == 1)
            .and_then(|k| {
                old.iter()
                    .position(|(_, x)| *x == Some(k))
                    .filter(|&i| !used[i])
            });
        match partner {
            Some(i) => {
                used[i] = true;
                out.push((Some(old[i].0), Some(n)));
            }
            None => out.push((None, Some(n))),
        }
    }
    for (i, (o, _)) in old.iter().enumerate() {
        if !used[i] {
            out.push((Some(*o), None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn policy(text: &str) -> Built {
        let f = SourceFile::new("p.json", text);
        let p = Policy::read(&crate::json::parse(&f).unwrap(), PolicyKind::Identity).value;
        vec![("p".into(), p, PolicyKind::Identity)]
    }

    fn diff(old: &str, new: &str) -> SetDiff {
        diff_built(
            &policy(old),
            &policy(new),
            principal_for("111122223333", "R"),
            AwsData::embedded(),
        )
        .unwrap()
    }

    const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;

    // The gain is real (`aws:username` `alice` on `arn:aws:s3:::b/alice/x`), but the ARN with a
    // variable is explored with one filler value: the diff must not read as "nothing gained".
    #[test]
    fn a_change_the_exploration_cannot_stand_for_is_approximate() {
        let old = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#;
        let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:username":"alice"}}}]}"#;
        let d = diff(old, new);
        assert!(d.gained() > 0 || d.approximate, "{:?}", d.deltas);
    }

    #[test]
    fn an_added_action_is_gained_with_a_witness() {
        let new = READ.replace("\"s3:ListBucket\"", "\"s3:ListBucket\",\"s3:PutObjectAcl\"");
        let d = diff(READ, &new);
        let names: Vec<(&str, &str)> = d
            .deltas
            .iter()
            .map(|d| (d.change.as_str(), d.action.as_str()))
            .collect();
        assert_eq!(names, [("gained", "s3:PutObjectAcl")]);
        let g = &d.deltas[0];
        assert_eq!(g.resources, ["*"]);
        assert!(g.conditions.is_empty());
        assert_eq!(g.witness.action, "s3:PutObjectAcl");
        assert_eq!(
            (g.before, g.after),
            (Decision::ImplicitlyDenied, Decision::Allowed)
        );
    }

    #[test]
    fn a_narrowed_resource_is_lost_outside_the_new_pattern() {
        let new = READ.replace(
            "\"Resource\":\"*\"",
            "\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]",
        );
        let d = diff(READ, &new);
        assert_eq!(d.gained(), 0);
        let get = d
            .deltas
            .iter()
            .find(|d| d.action == "s3:GetObject")
            .unwrap();
        assert_eq!(get.change, Change::Lost);
        assert_eq!(get.resources, ["*"]);
        assert_eq!(get.except, ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
        let arn = get.witness.resource.as_deref().unwrap();
        assert!(!arn.starts_with("arn:aws:s3:::b"), "{arn}");
    }

    #[test]
    fn a_condition_added_loses_the_access_where_it_fails() {
        let new = READ.replace(
            "\"Resource\":\"*\"",
            "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:ViaAWSMCPService\":\"true\"}}",
        );
        let d = diff(READ, &new);
        assert_eq!(d.lost(), 2);
        let described: Vec<String> = d.deltas[0]
            .conditions
            .iter()
            .map(KeyCondition::describe)
            .collect();
        assert_eq!(described, ["`aws:ViaAWSMCPService` is `false` or absent"]);
        assert!(
            d.deltas[0]
                .witness
                .context
                .get("aws:ViaAWSMCPService")
                .is_none_or(|v| v.values() != ["true"])
        );
    }

    #[test]
    fn a_deny_dropped_where_it_overlapped_an_allow_is_gained_there() {
        let old = r#"{"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
          {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::*/secret"}]}"#;
        let new = r#"{"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let d = diff(old, new);
        assert_eq!(d.deltas.len(), 1, "{:?}", d.deltas);
        let g = &d.deltas[0];
        assert_eq!(g.change, Change::Gained);
        let mut res = g.resources.clone();
        res.sort();
        assert_eq!(res, ["arn:aws:s3:::b/*/secret", "arn:aws:s3:::b/secret"]);
        assert_eq!(g.witness.resource.as_deref(), Some("arn:aws:s3:::b/secret"));
    }

    #[test]
    fn the_same_policy_changes_nothing() {
        assert!(diff(READ, READ).deltas.is_empty());
    }

    #[test]
    fn names_match_first_then_the_published_file() {
        let pairs = match_names(
            [
                ("a", Some("a.json")),
                ("old", Some("x.json")),
                ("gone", None),
            ]
            .into_iter(),
            [
                ("a", Some("a.json")),
                ("new", Some("x.json")),
                ("fresh", None),
            ]
            .into_iter(),
        );
        assert_eq!(
            pairs,
            [
                (Some("a"), Some("a")),
                (Some("old"), Some("new")),
                (None, Some("fresh")),
                (Some("gone"), None)
            ]
        );
    }
}
