//! The access summary is sound within the model: random concrete requests against random small
//! policies are decided as the summary says.
//!
//! - Every request the evaluator allows names an action that has a row, on a resource inside
//!   the row's resources, with condition values the row's conditions admit (per key: absent,
//!   one of the allowing values, or any other value).
//! - Every row's witness is allowed.
//!
//! Requests are made as the summary's question is: one principal, resources owned by its
//! account. Actions: every action a policy's patterns name and random actions of AWS's data;
//! resources: ARNs inside, across and outside the policies' patterns; context: the compared
//! values, other values, and absent keys. Conditions use operators that compare values exactly
//! (String(Not)Equals, Bool, Null), where "any other value" is one class, and one compares two
//! keys through a policy variable.

use mdbook_iam::access::universe::Universe;
use mdbook_iam::access::{Question, Row, explore, rows};
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::eval::{
    Context, ContextValue, Decision, NamedPolicy, PolicySet, Principal, Request, evaluate,
};
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use proptest::prelude::*;

const ACCOUNT: &str = "111122223333";

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "s3:List*",
    "s3:PutObject",
    "s3:*Object",
    "ec2:DescribeInstances",
    "ec2:*",
    "ec2:Describe*",
    "iam:PassRole",
    "iam:*",
    "sts:GetCallerIdentity",
    "*",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/private/*",
    "arn:aws:s3:::*/logs/*",
    "arn:aws:ec2:*:111122223333:instance/*",
    "arn:aws:iam::111122223333:role/r*",
    "arn:aws:iam::111122223333:role/admin",
];

/// (key, condition JSON for it).
const CONDITIONS: &[&str] = &[
    r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
    r#"{"Bool": {"aws:SecureTransport": "false"}}"#,
    r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
    r#"{"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}"#,
    r#"{"BoolIfExists": {"aws:ViaAWSMCPService": "false"}}"#,
    r#"{"StringNotEquals": {"aws:PrincipalTag/team": "admin"}}"#,
    r#"{"Null": {"aws:RequestedRegion": "true"}}"#,
    r#"{"StringEquals": {"aws:PrincipalTag/team": "admin"}, "Bool": {"aws:SecureTransport": "true"}}"#,
    // A policy variable compares two keys (the last: see `VARIABLE_CONDITION`).
    r#"{"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}"#,
    // A multivalued key, with and without a set qualifier.
    r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}}"#,
    r#"{"StringNotEquals": {"aws:TagKeys": "team"}}"#,
];

/// The condition whose per-key description is not exact (two keys compared with each other):
/// requests under it are checked for their row and resources, not their keys' values.
const VARIABLE_CONDITION: usize = 8;

const ARNS: &[&str] = &[
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/private/y",
    "arn:aws:s3:::b/logs/z",
    "arn:aws:s3:::other/logs/z",
    "arn:aws:s3:::fresh-9",
    "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
    "arn:aws:iam::111122223333:role/rx",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:iam::111122223333:user/u",
];

const CONTEXT: &[(&str, &[&str])] = &[
    ("aws:SecureTransport", &["true", "false"]),
    (
        "aws:RequestedRegion",
        &["eu-west-1", "us-east-1", "ap-south-2"],
    ),
    ("aws:ViaAWSMCPService", &["true", "false"]),
    ("aws:PrincipalTag/team", &["admin", "dev"]),
    (
        "aws:ResourceAccount",
        &["111122223333", "444455556666", "example-value"],
    ),
    ("aws:PrincipalAccount", &["111122223333", "example-value"]),
    ("aws:TagKeys", &["team", "env"]),
];

/// Context keys sent as a list of one value when the request's `lists` flag says so.
const LISTS: &[&str] = &["aws:TagKeys"];

#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    not_action: bool,
    actions: Vec<usize>,
    not_resource: bool,
    resources: Vec<usize>,
    condition: Option<usize>,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.15),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::bool::weighted(0.1),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        prop::option::weighted(0.5, 0..CONDITIONS.len()),
    )
        .prop_map(
            |(allow, not_action, actions, not_resource, resources, condition)| Stmt {
                allow,
                not_action,
                actions,
                not_resource,
                resources,
                condition,
            },
        )
}

fn policy_text(stmts: &[Stmt]) -> String {
    let list = |idx: &[usize], from: &[&str]| {
        let v: Vec<String> = idx.iter().map(|&i| format!("\"{}\"", from[i])).collect();
        format!("[{}]", v.join(", "))
    };
    let s: Vec<String> = stmts
        .iter()
        .map(|s| {
            let mut o = format!(
                "{{\"Effect\": \"{}\", \"{}\": {}, \"{}\": {}",
                if s.allow { "Allow" } else { "Deny" },
                if s.not_action { "NotAction" } else { "Action" },
                list(&s.actions, ACTIONS),
                if s.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                },
                list(&s.resources, RESOURCES)
            );
            if let Some(c) = s.condition {
                o.push_str(&format!(", \"Condition\": {}", CONDITIONS[c]));
            }
            o.push('}');
            o
        })
        .collect();
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        s.join(", ")
    )
}

#[derive(Debug, Clone)]
struct Req {
    /// An index into the policy's own actions' matches (`None`: a random action of the data).
    action: prop::sample::Index,
    own: bool,
    arn: usize,
    /// Per context key: absent, or an index into its values.
    context: Vec<Option<usize>>,
    /// Keys of `LISTS` as a list.
    lists: bool,
}

fn req() -> impl Strategy<Value = Req> {
    (
        any::<prop::sample::Index>(),
        prop::bool::weighted(0.7),
        0..ARNS.len(),
        prop::collection::vec(prop::option::of(0usize..3), CONTEXT.len()),
        any::<bool>(),
    )
        .prop_map(|(action, own, arn, context, lists)| Req {
            action,
            own,
            arn,
            context,
            lists,
        })
}

fn principal() -> Principal {
    Principal::parse(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/R/s")).unwrap()
}

fn glob(pattern: &str, text: &str) -> bool {
    mdbook_iam::iam::wildcard::matches(pattern, text)
}

fn check(stmts: &[Stmt], reqs: &[Req]) -> Result<(), TestCaseError> {
    let aws = AwsData::embedded();
    let text = policy_text(stmts);
    let f = SourceFile::new("p.json", text.clone());
    let policy = Policy::read(&mdbook_iam::json::parse(&f).unwrap(), PolicyKind::Identity).value;
    let set = PolicySet::identity([NamedPolicy::new("p", &policy)]);
    let q = Question {
        sides: vec![set.clone()],
        principal: principal(),
        fixed: vec![],
        resource: None,
    };
    let Ok(e) = explore(&q, aws, None) else {
        return Ok(());
    };
    let rows: Vec<Row> = rows(&e, &q, 0);
    let u: &Universe = &e.universe;
    // Every witness is allowed.
    for r in &rows {
        let d = evaluate(&r.witness, &set, aws).decision;
        prop_assert_eq!(
            d,
            Decision::Allowed,
            "witness {:?} of {}\n{}",
            r.witness,
            u.actions[r.action].full,
            text
        );
    }
    // Every allowed request lies inside a row.
    let own: Vec<usize> = stmts
        .iter()
        .flat_map(|s| s.actions.iter().flat_map(|&a| u.matching(ACTIONS[a])))
        .collect();
    for r in reqs {
        let action = if r.own && !own.is_empty() {
            own[r.action.index(own.len())]
        } else {
            r.action.index(u.actions.len())
        };
        let mut context = Context::new();
        for ((key, values), pick) in CONTEXT.iter().zip(&r.context) {
            if let Some(i) = pick {
                let v = values[i % values.len()].to_string();
                if r.lists && LISTS.contains(key) {
                    context.insert(*key, ContextValue::Many(vec![v]));
                } else {
                    context.insert(*key, ContextValue::One(v));
                }
            }
        }
        let request = Request {
            principal: principal(),
            action: u.actions[action].full.clone(),
            resource: Some(ARNS[r.arn].to_string()),
            resource_account: Some(ACCOUNT.into()),
            context: context.clone(),
            wildcard_only: None,
        };
        if evaluate(&request, &set, aws).decision != Decision::Allowed {
            continue;
        }
        let row = rows.iter().find(|x| x.action == action);
        prop_assert!(
            row.is_some(),
            "{:?} is allowed but has no row\n{}",
            request,
            text
        );
        let row = row.unwrap();
        let wildcard_only = u.actions[action].wildcard_only;
        prop_assert!(
            wildcard_only || row.resources.iter().any(|p| glob(p, ARNS[r.arn])),
            "{:?} is allowed outside the row's resources {:?}\n{}",
            request,
            row.resources,
            text
        );
        let variable = stmts
            .iter()
            .any(|s| s.condition == Some(VARIABLE_CONDITION));
        for kc in row.conditions.iter().filter(|_| !variable) {
            let ok = match context.get(&kc.key) {
                None => kc.absent,
                Some(v) => {
                    let v = &v.values()[0];
                    if kc.compared.iter().any(|c| c == v) {
                        kc.values.contains(v)
                    } else {
                        kc.other
                    }
                }
            };
            prop_assert!(
                ok,
                "{:?} is allowed, yet the row says {}\n{}",
                request,
                kc.describe(),
                text
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn allowed_requests_lie_inside_the_summary(
        stmts in prop::collection::vec(stmt(), 1..4),
        reqs in prop::collection::vec(req(), 60),
    ) {
        check(&stmts, &reqs)?;
    }
}
