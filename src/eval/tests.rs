//! The combination rules, one named test each, with the AWS page that states the rule; then
//! property tests of the decision's algebra.

use super::*;
use crate::policy::PolicyKind;
use crate::source::SourceFile;

fn policy(kind: PolicyKind, statements: &str) -> Policy {
    let f = SourceFile::new(
        "p.json",
        format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
    );
    let r = Policy::read(&crate::json::parse(&f).unwrap(), kind);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    r.value
}

fn id(s: &str) -> Policy {
    policy(PolicyKind::Identity, s)
}

fn res(s: &str) -> Policy {
    policy(PolicyKind::Resource, s)
}

const ALLOW_GET: &str = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
const DENY_GET: &str = r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#;
const ALLOW_ALL: &str = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Reader/s1";
const USER: &str = "arn:aws:iam::111122223333:user/ana";
const OTHER_USER: &str = "arn:aws:iam::444455556666:user/bo";

fn get(principal: &str) -> Request {
    Request::new(Principal::parse(principal).unwrap(), "s3:GetObject").on("arn:aws:s3:::b/k")
}

fn decide(req: &Request, set: &PolicySet<'_>) -> Decision {
    evaluate(req, set, AwsData::embedded()).decision
}

fn res_allow(principal: &str) -> Policy {
    res(&format!(
        r#"{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"*"}}"#
    ))
}

// "How AWS enforcement code logic evaluates requests": "By default, all requests are implicitly
// denied".
#[test]
fn nothing_allows_by_default() {
    assert_eq!(
        decide(&get(USER), &PolicySet::default()),
        Decision::ImplicitlyDenied
    );
}

// Same page: "An explicit deny overrides an explicit allow".
#[test]
fn an_explicit_deny_overrides_an_allow() {
    let (a, d) = (id(ALLOW_GET), id(DENY_GET));
    let set = PolicySet::identity([NamedPolicy::new("a", &a), NamedPolicy::new("d", &d)]);
    let e = evaluate(&get(USER), &set, AwsData::embedded());
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert_eq!(e.statements[0].policy, "d");
}

// "Policy evaluation for requests within a single account": "If either the identity-based
// policy or the resource-based policy within the same account allows the request and the other
// doesn't, the request is still allowed."
#[test]
fn in_one_account_either_the_identity_or_the_resource_policy_suffices() {
    let a = id(ALLOW_GET);
    let r = res_allow(&format!(r#"{{"AWS":"{USER}"}}"#));
    let identity_only = PolicySet::identity([NamedPolicy::new("a", &a)]);
    assert_eq!(decide(&get(USER), &identity_only), Decision::Allowed);
    let resource_only = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get(USER), &resource_only), Decision::Allowed);
}

// A resource policy that trusts the account delegates to the account's identity policies.
#[test]
fn trusting_the_account_is_not_a_grant_on_its_own() {
    let r = res_allow(r#"{"AWS":"111122223333"}"#);
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get(USER), &set), Decision::ImplicitlyDenied);
}

// "Cross-account policy evaluation logic": the resource policy must trust the principal and the
// principal's identity policy must allow the request.
#[test]
fn across_accounts_both_sides_must_allow() {
    let a = id(ALLOW_GET);
    let r = res_allow(r#"{"AWS":"444455556666"}"#);
    let mut req = get(OTHER_USER);
    req.resource_account = Some("111122223333".into());
    let only_identity = PolicySet::identity([NamedPolicy::new("a", &a)]);
    assert_eq!(decide(&req, &only_identity), Decision::ImplicitlyDenied);
    let only_resource = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&req, &only_resource), Decision::ImplicitlyDenied);
    let both = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&req, &both), Decision::Allowed);
}

// "Permissions boundaries for IAM entities": only actions that both the identity policies and
// the boundary allow.
#[test]
fn a_boundary_limits_identity_policies() {
    let (a, b) = (
        id(ALLOW_ALL),
        id(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#),
    );
    let set = PolicySet {
        boundaries: vec![NamedPolicy::new("b", &b)],
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    let e = evaluate(&get(SESSION), &set, AwsData::embedded());
    assert_eq!(e.decision, Decision::ImplicitlyDenied);
    assert_eq!(e.denied_at, Some(PolicyType::PermissionBoundary));
}

// Same page: within an account, an implicit deny in a boundary does not limit what a
// resource-based policy grants an IAM user, and does limit grants to the underlying role's ARN.
#[test]
fn a_boundary_does_not_limit_a_grant_to_the_user_but_does_to_the_role() {
    let b = id(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#);
    let to_user = res_allow(&format!(r#"{{"AWS":"{USER}"}}"#));
    let to_role = res_allow(r#"{"AWS":"arn:aws:iam::111122223333:role/Reader"}"#);
    let to_session = res_allow(&format!(r#"{{"AWS":"{SESSION}"}}"#));
    let with = |r: &Policy, who: &str| {
        let set = PolicySet {
            resource: Some(NamedPolicy::new("r", r)),
            boundaries: vec![NamedPolicy::new("b", &b)],
            ..PolicySet::default()
        };
        decide(&get(who), &set)
    };
    assert_eq!(with(&to_user, USER), Decision::Allowed);
    assert_eq!(with(&to_role, SESSION), Decision::ImplicitlyDenied);
    assert_eq!(with(&to_session, SESSION), Decision::Allowed);
    // `*` is no grant to the role's ARN: the boundary does not limit it.
    let both = res(
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Reader"},"Action":"s3:GetObject","Resource":"*"}"#,
    );
    assert_eq!(with(&both, SESSION), Decision::Allowed);
}

// "Session policies" (IAM User Guide) and STS AssumeRole: the session's permissions are the
// intersection of the role's identity policies and the session policy; a resource policy that
// names the session adds to them.
#[test]
fn a_session_policy_limits_the_session() {
    let (a, s) = (
        id(ALLOW_ALL),
        id(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#),
    );
    let set = PolicySet {
        session: Some(NamedPolicy::new("s", &s)),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&get(SESSION), &set), Decision::ImplicitlyDenied);
    let named = res_allow(&format!(r#"{{"AWS":"{SESSION}"}}"#));
    let set = PolicySet {
        session: Some(NamedPolicy::new("s", &s)),
        resource: Some(NamedPolicy::new("r", &named)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get(SESSION), &set), Decision::Allowed);
    // `*` does not reference the session specifically: the session policy limits it.
    let public = res_allow(r#""*""#);
    let set = PolicySet {
        session: Some(NamedPolicy::new("s", &s)),
        resource: Some(NamedPolicy::new("r", &public)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get(SESSION), &set), Decision::ImplicitlyDenied);
}

// "Service control policies": every level from the root to the account must allow.
#[test]
fn every_scp_level_must_allow() {
    let (a, full) = (id(ALLOW_GET), id(ALLOW_ALL));
    let with = |levels: Vec<Vec<NamedPolicy<'_>>>| {
        let set = PolicySet {
            service_control: Some(levels),
            ..PolicySet::identity([NamedPolicy::new("a", &a)])
        };
        evaluate(&get(USER), &set, AwsData::embedded())
    };
    let root = NamedPolicy::new("root", &full);
    let ou = NamedPolicy::new("ou", &full);
    assert_eq!(with(vec![vec![root], vec![ou]]).decision, Decision::Allowed);
    let e = with(vec![vec![root], vec![]]);
    assert_eq!(
        (e.decision, e.denied_at),
        (Decision::ImplicitlyDenied, Some(PolicyType::ServiceControl))
    );
    // SCPs do not limit anonymous callers or services.
    let r = res_allow(r#""*""#);
    let set = PolicySet {
        service_control: Some(vec![vec![]]),
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get("anonymous"), &set), Decision::Allowed);
}

// "Resource control policies": RCPFullAWSAccess is attached at every level and cannot be
// detached, so an empty RCP level still allows; a deny in any RCP denies.
#[test]
fn rcp_levels_carry_rcp_full_aws_access() {
    let a = id(ALLOW_GET);
    let deny = res(
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}"#,
    );
    let set = PolicySet {
        resource_control: Some(vec![vec![], vec![]]),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&get(USER), &set), Decision::Allowed);
    let set = PolicySet {
        resource_control: Some(vec![vec![], vec![NamedPolicy::new("tls", &deny)]]),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&get(USER), &set), Decision::ExplicitlyDenied);
    assert_eq!(
        decide(&get(USER).with_context("aws:SecureTransport", "true"), &set),
        Decision::Allowed
    );
}

// "VPC endpoint policies": a request through an endpoint also needs the endpoint policy to allow.
#[test]
fn a_vpc_endpoint_policy_must_allow() {
    let a = id(ALLOW_GET);
    let put = res(r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#);
    let set = PolicySet {
        vpc_endpoints: vec![NamedPolicy::new("vpce", &put)],
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    let e = evaluate(&get(USER), &set, AwsData::embedded());
    assert_eq!(
        (e.decision, e.denied_at),
        (Decision::ImplicitlyDenied, Some(PolicyType::VpcEndpoint))
    );
}

// "Policy evaluation logic", step 1: anonymous requests are allowed only by a resource policy
// open to everyone.
#[test]
fn anonymous_callers_need_a_public_resource_policy() {
    let a = id(ALLOW_ALL);
    let set = PolicySet::identity([NamedPolicy::new("a", &a)]);
    assert_eq!(decide(&get("anonymous"), &set), Decision::ImplicitlyDenied);
    let public = res_allow(r#""*""#);
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &public)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get("anonymous"), &set), Decision::Allowed);
    let account = res_allow(r#"{"AWS":"111122223333"}"#);
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &account)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&get("anonymous"), &set), Decision::ImplicitlyDenied);
}

// "AWS JSON policy elements: Principal", service principals.
#[test]
fn service_principals_are_granted_by_name() {
    let r = res_allow(r#"{"Service":"cloudtrail.amazonaws.com"}"#);
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(
        decide(&get("cloudtrail.amazonaws.com"), &set),
        Decision::Allowed
    );
    assert_eq!(
        decide(&get("config.amazonaws.com"), &set),
        Decision::ImplicitlyDenied
    );
}

// "AWS JSON policy elements: NotPrincipal": Deny with NotPrincipal denies everyone not listed,
// and always denies an IAM principal that has a permissions boundary.
#[test]
fn not_principal_with_deny() {
    let a = id(ALLOW_GET);
    let r = res(&format!(
        r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":"{USER}"}},"Action":"s3:GetObject","Resource":"*"}}"#
    ));
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&get(USER), &set), Decision::Allowed);
    assert_eq!(decide(&get(SESSION), &set), Decision::ExplicitlyDenied);
    let b = id(ALLOW_ALL);
    let bounded = PolicySet {
        boundaries: vec![NamedPolicy::new("b", &b)],
        ..set.clone()
    };
    assert_eq!(decide(&get(USER), &bounded), Decision::ExplicitlyDenied);
}

// STS API Reference, GetCallerIdentity: "No permissions are required to perform this
// operation", even under an explicit deny.
#[test]
fn get_caller_identity_is_always_answered() {
    let d = id(r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#);
    let set = PolicySet::identity([NamedPolicy::new("d", &d)]);
    let req = Request::new(Principal::parse(USER).unwrap(), "sts:GetCallerIdentity");
    let e = evaluate(&req, &set, AwsData::embedded());
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(e.rule.unwrap().id, "get-caller-identity");
}

// "How AWS enforcement code logic evaluates requests": "IAM role trust policies and KMS key
// policies are exceptions ... because they must explicitly allow access for principals."
#[test]
fn a_role_trust_policy_must_allow_assume_role() {
    let a = id(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#);
    let req = Request::new(Principal::parse(USER).unwrap(), "sts:AssumeRole")
        .on("arn:aws:iam::111122223333:role/Reader");
    let set = PolicySet::identity([NamedPolicy::new("a", &a)]);
    assert_eq!(decide(&req, &set), Decision::ImplicitlyDenied);
    let trust = policy(
        PolicyKind::Trust,
        r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}"#,
    );
    let set = PolicySet {
        resource: Some(NamedPolicy::new("trust", &trust)),
        ..PolicySet::identity([NamedPolicy::new("a", &a)])
    };
    assert_eq!(decide(&req, &set), Decision::Allowed);
}

// Same page: "with the exception of the AWS account root user, which has full access".
#[test]
fn the_root_user_has_full_access_on_the_identity_side() {
    let req = get("111122223333");
    let e = evaluate(&req, &PolicySet::default(), AwsData::embedded());
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(e.rule.map(|r| r.id), Some("root-user"));
    let r = res(r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#);
    let set = PolicySet {
        resource: Some(NamedPolicy::new("r", &r)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&req, &set), Decision::ExplicitlyDenied);
}

// "IAM JSON policy elements: Resource" and the service authorization reference: an action that
// supports no resource-level permissions is matched against `*` itself.
#[test]
fn wildcard_only_actions_need_resource_star() {
    let scoped = id(
        r#"{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"arn:aws:ec2:*:*:instance/*"}"#,
    );
    let star = id(r#"{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}"#);
    let req = Request::new(Principal::parse(USER).unwrap(), "ec2:DescribeInstances")
        .on("arn:aws:ec2:us-east-1:111122223333:instance/i-1");
    assert_eq!(
        decide(&req, &PolicySet::identity([NamedPolicy::new("s", &scoped)])),
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        decide(&req, &PolicySet::identity([NamedPolicy::new("s", &star)])),
        Decision::Allowed
    );
    let mut told = req.clone();
    told.wildcard_only = Some(false);
    assert_eq!(
        decide(
            &told,
            &PolicySet::identity([NamedPolicy::new("s", &scoped)])
        ),
        Decision::Allowed
    );
}

fn get_on(resource: &str) -> Request {
    Request::new(Principal::parse(USER).unwrap(), "s3:GetObject").on(resource)
}

fn decide_one(policy: &Policy, req: &Request) -> Decision {
    decide(req, &PolicySet::identity([NamedPolicy::new("p", policy)]))
}

// A request whose resource is a pattern asks about every resource it matches: allowed when some
// member is allowed ("IAM JSON policy elements: Resource": an Allow grants on each resource its
// Resource matches, so one such member is reachable).
#[test]
fn a_pattern_request_is_allowed_when_some_resource_it_matches_is() {
    let logs =
        id(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*/AWSLogs/*"}"#);
    assert_eq!(
        decide_one(&logs, &get_on("arn:aws:s3:::example-bucket/*")),
        Decision::Allowed
    );
    let other =
        id(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}"#);
    assert_eq!(
        decide_one(&other, &get_on("arn:aws:s3:::example-bucket/*")),
        Decision::ImplicitlyDenied
    );
    // A wildcard does not reach into the next field of the ARN.
    let region =
        id(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:*"}"#);
    let send = |r: &str| Request::new(Principal::parse(USER).unwrap(), "sqs:SendMessage").on(r);
    assert_eq!(
        decide_one(&region, &send("arn:aws:sqs:*:111122223333:q")),
        Decision::ImplicitlyDenied
    );
    // `?` is a wildcard in a request too.
    assert_eq!(
        decide_one(&other, &get_on("arn:aws:s3:::othe?/k")),
        Decision::Allowed
    );
}

// ... and denied by a Deny only when the Deny covers every member.
#[test]
fn a_deny_decides_a_pattern_request_only_when_it_covers_all_of_it() {
    let policy = |deny: &str| {
        id(&format!(
            r#"{ALLOW_GET},{{"Effect":"Deny","Action":"s3:GetObject","Resource":"{deny}"}}"#
        ))
    };
    let req = get_on("arn:aws:s3:::example-bucket/*");
    assert_eq!(
        decide_one(&policy("arn:aws:s3:::example-bucket/private/*"), &req),
        Decision::Allowed
    );
    assert_eq!(
        decide_one(&policy("arn:aws:s3:::example-*"), &req),
        Decision::ExplicitlyDenied
    );
    assert_eq!(
        decide_one(&policy("arn:aws:s3:::example-bucket/*"), &req),
        Decision::ExplicitlyDenied
    );
}

// When every Allow that grants on a pattern names resources inside it, only those can be the
// allowed member: a Deny on each of them denies the pattern.
#[test]
fn a_pattern_whose_granted_members_are_all_denied_is_denied() {
    let p = id(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}"#,
    );
    let e = evaluate(
        &get_on("arn:aws:s3:::b/*"),
        &PolicySet::identity([NamedPolicy::new("p", &p)]),
        AwsData::embedded(),
    );
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert_eq!(e.statements[0].index, 1);
    // An Allow reaching beyond what it names inside the pattern keeps it allowed.
    let wide = id(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k"}"#,
    );
    assert_eq!(
        decide_one(&wide, &get_on("arn:aws:s3:::b/*")),
        Decision::Allowed
    );
    // An object's ARN grants no bucket: for s3:ListBucket on `bucket-*`, only `bucket-a` can be
    // the allowed member.
    let list = id(
        r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::bucket-a","arn:aws:s3:::bucket-a/*"]},{"Effect":"Deny","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket-a"}"#,
    );
    let req = Request::new(Principal::parse(USER).unwrap(), "s3:ListBucket").on("arn:aws:s3:::*-a");
    assert_eq!(decide_one(&list, &req), Decision::ExplicitlyDenied);
}

// NotResource: an Allow applies when some member lies outside it; a Deny only when every member
// does.
#[test]
fn not_resource_with_a_pattern_request() {
    let allow_not = |n: &str| {
        id(&format!(
            r#"{{"Effect":"Allow","Action":"s3:GetObject","NotResource":"{n}"}}"#
        ))
    };
    let req = get_on("arn:aws:s3:::example-bucket/*");
    assert_eq!(
        decide_one(&allow_not("arn:aws:s3:::example-bucket/private/*"), &req),
        Decision::Allowed
    );
    assert_eq!(
        decide_one(&allow_not("arn:aws:s3:::example-*"), &req),
        Decision::ImplicitlyDenied
    );
    let deny_not = |n: &str| {
        id(&format!(
            r#"{ALLOW_GET},{{"Effect":"Deny","Action":"s3:GetObject","NotResource":"{n}"}}"#
        ))
    };
    assert_eq!(
        decide_one(&deny_not("arn:aws:s3:::example-bucket/public/*"), &req),
        Decision::Allowed
    );
    assert_eq!(
        decide_one(&deny_not("arn:aws:s3:::other/*"), &req),
        Decision::ExplicitlyDenied
    );
}

// Concrete ARNs are matched as before, `*` of an action that takes no resource is no pattern,
// and `*` for an action that takes one is every resource.
#[test]
fn concrete_and_star_requests() {
    let scoped = id(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#);
    assert_eq!(
        decide_one(&scoped, &get_on("arn:aws:s3:::b/k")),
        Decision::Allowed
    );
    assert_eq!(
        decide_one(&scoped, &get_on("arn:aws:s3:::c/k")),
        Decision::ImplicitlyDenied
    );
    assert_eq!(decide_one(&scoped, &get_on("*")), Decision::Allowed);
    let ec2 = id(
        r#"{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"arn:aws:ec2:*:*:instance/*"}"#,
    );
    let describe = Request::new(Principal::parse(USER).unwrap(), "ec2:DescribeInstances").on("*");
    assert_eq!(decide_one(&ec2, &describe), Decision::ImplicitlyDenied);
}

// A service rule that takes access away holds for a pattern only when it covers all of it: the
// key policy is needed for every KMS key, not for a pattern that also matches aliases.
#[test]
fn restrictive_service_rules_need_to_cover_a_pattern_request() {
    let p = id(r#"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#);
    let kms = |r: &str| Request::new(Principal::parse(USER).unwrap(), "kms:DescribeKey").on(r);
    assert_eq!(
        decide_one(&p, &kms("arn:aws:kms:us-east-1:111122223333:key/*")),
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        decide_one(&p, &kms("arn:aws:kms:us-east-1:111122223333:*")),
        Decision::Allowed
    );
}

fn admin_request(action: &str, resource: &str) -> Request {
    Request::new(Principal::parse(USER).unwrap(), action).on(resource)
}

/// The decision and the rule for a request by an administrator (`Allow *`), with an optional
/// extra statement.
fn as_admin(action: &str, resource: &str, extra: Option<&str>) -> Evaluation {
    let text = match extra {
        Some(e) => format!("{ALLOW_ALL},{e}"),
        None => ALLOW_ALL.to_string(),
    };
    let p = id(&text);
    evaluate(
        &admin_request(action, resource),
        &PolicySet::identity([NamedPolicy::new("admin", &p)]),
        AwsData::embedded(),
    )
}

// IAM User Guide, "Managed policies and inline policies": "You cannot change the permissions
// defined in AWS managed policies"; "Delete IAM policies": "You cannot delete AWS managed
// policies".
#[test]
fn aws_managed_policies_cannot_be_changed_by_anyone() {
    let managed = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    for action in [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
    ] {
        let e = as_admin(action, managed, None);
        assert_eq!(e.decision, Decision::ImplicitlyDenied, "{action}");
        assert_eq!(e.rule.map(|r| r.id), Some("aws-managed-policy"));
        assert!(e.reason().contains("aws-managed-policy"), "{}", e.reason());
        assert!(
            e.reason()
                .contains("access_policies_managed-vs-inline.html")
        );
    }
    // Reading it, and changing a customer managed policy, are governed by the policies.
    assert_eq!(
        as_admin("iam:GetPolicy", managed, None).decision,
        Decision::Allowed
    );
    assert_eq!(
        as_admin(
            "iam:DeletePolicy",
            "arn:aws:iam::111122223333:policy/Mine",
            None
        )
        .decision,
        Decision::Allowed
    );
    // Not even the root user.
    let root = Request::new(
        Principal::parse("111122223333").unwrap(),
        "iam:DeletePolicy",
    )
    .on(managed);
    assert_eq!(
        decide(&root, &PolicySet::default()),
        Decision::ImplicitlyDenied
    );
    // An explicit deny still decides first, and names its statement.
    let deny = r#"{"Effect":"Deny","Action":"iam:DeletePolicy","Resource":"*"}"#;
    let e = as_admin("iam:DeletePolicy", managed, Some(deny));
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert!(e.rule.is_none());
}

// IAM User Guide, "Troubleshoot IAM roles": "You cannot delete or edit the permissions for a
// service-linked role in IAM ... You can use the IAM console, AWS CLI, or API to edit only the
// description of a service-linked role."
#[test]
fn service_linked_roles_cannot_be_edited_or_deleted_in_iam() {
    let slr = "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk";
    for action in [
        "iam:DeleteRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
    ] {
        let e = as_admin(action, slr, None);
        assert_eq!(e.decision, Decision::ImplicitlyDenied, "{action}");
        assert_eq!(e.rule.map(|r| r.id), Some("service-linked-role"));
    }
    // The sanctioned ways: its description, passing it to its service, deleting it through
    // iam:DeleteServiceLinkedRole.
    for action in [
        "iam:UpdateRoleDescription",
        "iam:UpdateRole",
        "iam:PassRole",
        "iam:DeleteServiceLinkedRole",
    ] {
        assert_eq!(
            as_admin(action, slr, None).decision,
            Decision::Allowed,
            "{action}"
        );
    }
    // A role elsewhere is governed by the policies.
    assert_eq!(
        as_admin(
            "iam:DeleteRole",
            "arn:aws:iam::111122223333:role/service-role/R",
            None
        )
        .decision,
        Decision::Allowed
    );
}

// AWS KMS Developer Guide, "Create aliases": "The alias/aws/ prefix is reserved for AWS managed
// key"; "You cannot manage aliases for AWS managed keys or AWS owned keys."
#[test]
fn aws_managed_key_aliases_cannot_be_managed() {
    for action in ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"] {
        let e = as_admin(
            action,
            "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
            None,
        );
        assert_eq!(e.decision, Decision::ImplicitlyDenied, "{action}");
        assert_eq!(e.rule.map(|r| r.id), Some("aws-managed-kms-alias"));
        assert!(e.reason().contains("alias-create.html"));
        assert_eq!(
            as_admin(
                action,
                "arn:aws:kms:us-east-1:111122223333:alias/mine",
                None
            )
            .decision,
            Decision::Allowed
        );
    }
}

// A rule that takes access away holds for a pattern request only when it covers all of it.
#[test]
fn always_denied_rules_and_pattern_requests() {
    let e = as_admin("iam:DeletePolicy", "arn:aws:iam::aws:policy/*", None);
    assert_eq!(e.decision, Decision::ImplicitlyDenied);
    assert_eq!(
        as_admin("iam:DeletePolicy", "arn:aws:iam::*:policy/*", None).decision,
        Decision::Allowed
    );
    assert_eq!(
        as_admin(
            "kms:DeleteAlias",
            "arn:aws:kms:*:111122223333:alias/*",
            None
        )
        .decision,
        Decision::Allowed
    );
    assert_eq!(
        as_admin(
            "kms:DeleteAlias",
            "arn:aws:kms:*:111122223333:alias/aws/*",
            None
        )
        .decision,
        Decision::ImplicitlyDenied
    );
}

// The result explains itself: the deciding statement's place, and the keys the request lacked.
#[test]
fn results_name_the_statement_and_the_missing_keys() {
    let f = SourceFile::new(
        "guard.json",
        "{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Sid\":\"Allow\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},\n{\"Sid\":\"Guard\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"BoolIfExists\":{\"aws:ViaAWSMCPService\":\"false\"}}}]}",
    );
    let p = Policy::read(&crate::json::parse(&f).unwrap(), PolicyKind::Identity).value;
    let set = PolicySet::identity([NamedPolicy::new("guard", &p)]);
    let e = evaluate(&get(SESSION), &set, AwsData::embedded());
    assert_eq!(e.decision, Decision::ExplicitlyDenied);
    assert_eq!(e.statements[0].sid.as_deref(), Some("Guard"));
    assert_eq!(e.statements[0].index, 1);
    assert_eq!(e.statements[0].place(), "guard.json:3");
    assert_eq!(e.missing_context_keys, ["aws:ViaAWSMCPService"]);
    assert!(e.reason().contains("guard.json:3"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const ACTIONS: [&str; 5] = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        "iam:ListRoles",
    ];

    fn statement() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            prop::sample::select(
                &[
                    "s3:GetObject",
                    "s3:*",
                    "*",
                    "s3:Put*",
                    "sqs:SendMessage",
                    "iam:List*",
                ][..],
            ),
            any::<bool>(),
            prop::sample::select(
                &[
                    "*",
                    "arn:aws:s3:::b/*",
                    "arn:aws:s3:::b",
                    "arn:aws:sqs:*:*:q",
                ][..],
            ),
            prop::option::of(prop::sample::select(
                &[
                    r#"{"BoolIfExists":{"aws:ViaAWSMCPService":"false"}}"#,
                    r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
                    r#"{"StringEquals":{"aws:PrincipalTag/team":"red"}}"#,
                    r#"{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}"#,
                    r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}"#,
                ][..],
            )),
        )
            .prop_map(|(allow, action, not_action, resource, condition)| {
                let cond = condition
                    .map(|c| format!(r#","Condition":{c}"#))
                    .unwrap_or_default();
                format!(
                    r#"{{"Effect":"{}","{}":"{action}","Resource":"{resource}"{cond}}}"#,
                    if allow { "Allow" } else { "Deny" },
                    if not_action && action != "*" {
                        "NotAction"
                    } else {
                        "Action"
                    },
                )
            })
    }

    fn request() -> impl Strategy<Value = Request> {
        (
            prop::sample::select(&ACTIONS[..]),
            prop::sample::select(
                &[
                    "arn:aws:s3:::b/k",
                    "arn:aws:s3:::b",
                    "arn:aws:sqs:us-east-1:111122223333:q",
                ][..],
            ),
            prop::option::of(prop::sample::select(&["true", "false"][..])),
            prop::option::of(prop::sample::select(&["red", "blue"][..])),
        )
            .prop_map(|(action, resource, via, team)| {
                let mut r = Request::new(Principal::parse(SESSION).unwrap(), action).on(resource);
                if let Some(v) = via {
                    r.context.insert("aws:ViaAWSMCPService", v);
                }
                if let Some(t) = team {
                    r.context.insert("aws:PrincipalTag/team", t);
                }
                r
            })
    }

    fn decide_with(stmts: &[String], req: &Request) -> Decision {
        let p = id(&stmts.join(","));
        decide(req, &PolicySet::identity([NamedPolicy::new("p", &p)]))
    }

    proptest! {
        // An explicit deny of every action on every resource always wins.
        #[test]
        fn a_deny_of_everything_always_wins(stmts in prop::collection::vec(statement(), 0..5), req in request()) {
            let mut all = stmts.clone();
            all.push(r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#.to_string());
            prop_assert_eq!(decide_with(&all, &req), Decision::ExplicitlyDenied);
        }

        // Adding a Deny never turns a denial into an allow (nor keeps an allow it applies to).
        #[test]
        fn adding_a_deny_never_allows_more(stmts in prop::collection::vec(statement(), 1..5), extra in statement(), req in request()) {
            let before = decide_with(&stmts, &req);
            let deny = extra.replace(r#""Effect":"Allow""#, r#""Effect":"Deny""#);
            let mut all = stmts.clone();
            all.push(deny);
            let after = decide_with(&all, &req);
            prop_assert!(before == Decision::Allowed || after != Decision::Allowed);
        }

        // An allowed request stays allowed when a statement about another action is added.
        #[test]
        fn an_unrelated_statement_changes_nothing(stmts in prop::collection::vec(statement(), 1..5), req in request(), deny in any::<bool>()) {
            let before = decide_with(&stmts, &req);
            let unrelated = format!(
                r#"{{"Effect":"{}","Action":"dynamodb:GetItem","Resource":"*"}}"#,
                if deny { "Deny" } else { "Allow" }
            );
            let mut all = stmts.clone();
            all.push(unrelated);
            prop_assert_eq!(decide_with(&all, &req), before);
        }

        // Adding an Allow never turns an allow into a denial.
        #[test]
        fn adding_an_allow_never_denies_more(stmts in prop::collection::vec(statement(), 1..5), extra in statement(), req in request()) {
            let before = decide_with(&stmts, &req);
            let allow = extra.replace(r#""Effect":"Deny""#, r#""Effect":"Allow""#);
            let mut all = stmts.clone();
            all.push(allow);
            let after = decide_with(&all, &req);
            prop_assert!(before != Decision::Allowed || after == Decision::Allowed);
        }
    }
}
