use super::*;
use crate::aws_data::AwsData;
use crate::catalog::Catalog;
use crate::eval::{NamedPolicy, PolicySet, Principal};
use crate::policy::{Policy, PolicyKind};
use crate::source::SourceFile;

fn catalog() -> Catalog {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
    let loaded = Catalog::load(&path, path.parent().unwrap());
    assert!(!loaded.has_errors());
    loaded.catalog
}

fn principal() -> Principal {
    Principal::parse("arn:aws:sts::111122223333:assumed-role/R/s").unwrap()
}

fn policy(text: &str) -> Policy {
    let f = SourceFile::new("p.json", text);
    Policy::read(&crate::json::parse(&f).unwrap(), PolicyKind::Identity).value
}

fn summary(policies: &[(String, Policy, PolicyKind)]) -> (Vec<Row>, Explored) {
    let set = PolicySet::identity(policies.iter().map(|(n, p, _)| NamedPolicy::new(n, p)));
    let q = Question {
        sides: vec![set],
        principal: principal(),
        fixed: vec![],
        resource: None,
    };
    let e = explore(&q, AwsData::embedded(), None).unwrap();
    (rows(&e, &q, 0), e)
}

#[test]
fn s3_readonly_allows_exactly_its_two_actions_and_caller_identity() {
    let c = catalog();
    let built =
        crate::eval::claim::build_subject(&c, AwsData::embedded(), "s3-readonly", &[], false)
            .unwrap();
    let (rows, e) = summary(&built);
    let names: Vec<&str> = rows
        .iter()
        .map(|r| e.universe.actions[r.action].full.as_str())
        .collect();
    assert_eq!(
        names,
        ["s3:GetObject", "s3:ListBucket", "sts:GetCallerIdentity"],
        "{} classes",
        e.classes.len()
    );
    let get = &rows[0];
    assert!(get.conditional);
    assert_eq!(get.resources, ["*"]);
    let described: Vec<String> = get.conditions.iter().map(|c| c.describe()).collect();
    assert_eq!(
        described,
        [
            "`aws:CalledViaAWSMCP` is `aws-mcp.amazonaws.com`",
            "`aws:ViaAWSMCPService` is `true`"
        ],
        "{:?}",
        get.conditions
    );
    assert_eq!(
        crate::eval::evaluate(
            &get.witness,
            &PolicySet::identity(built.iter().map(|(n, p, _)| NamedPolicy::new(n, p))),
            AwsData::embedded()
        )
        .decision,
        crate::eval::Decision::Allowed
    );
}

#[test]
fn resources_and_denies_are_told_apart() {
    let p = policy(
        r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
      {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"},
      {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/keep/*"},
      {"Effect":"Deny","NotAction":"s3:Get*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
    );
    let (rows, e) = summary(&[("p".into(), p, PolicyKind::Identity)]);
    let find = |n: &str| rows.iter().find(|r| e.universe.actions[r.action].full == n);
    let del = find("s3:DeleteObject").unwrap();
    assert_eq!(del.resources, ["arn:aws:s3:::b/*"]);
    assert_eq!(del.except, ["arn:aws:s3:::b/keep/*"]);
    assert!(del.conditional);
    let get = find("s3:GetObject").unwrap();
    assert!(!get.conditional, "{:?}", get.conditions);
    assert!(find("ec2:RunInstances").is_none());
    // s3:ListAllMyBuckets takes only `*`: the policy's ARNs never match it.
    assert!(find("s3:ListAllMyBuckets").is_none());
}

fn claim(text: &str) -> Result<crate::eval::claim::Proof, crate::eval::claim::Refutation> {
    let c = crate::eval::claim::Claim::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    crate::eval::claim::prove(&c, &catalog(), AwsData::embedded())
}

#[test]
fn the_examples_universal_promises_hold() {
    for text in [
        "s3-readonly allows only s3:GetObject, s3:ListBucket",
        "`s3-readonly` allows only `s3:GetObject` and `s3:ListBucket`",
        "s3-readonly grants no Write or Permissions management access",
        "s3-readonly grants only List and Read access",
        "s3-readonly denies every action when aws:ViaAWSMCPService is absent",
        "s3-readonly denies every action when aws:ViaAWSMCPService is false",
        "default-permissions allows nothing but sts:GetCallerIdentity",
        "mcp-default allows nothing but sts:GetCallerIdentity",
        "mcp-s3-readonly allows only s3:Get* and s3:List*",
        "s3-readonly allows no s3:Put*, iam:* actions",
        "s3-readonly denies every s3:PutObject when aws:CalledViaAWSMCP is aws-mcp.amazonaws.com and aws:ViaAWSMCPService is true",
    ] {
        assert!(claim(text).is_ok(), "{text}: {:?}", claim(text).err());
    }
}

#[test]
fn a_false_universal_claim_gets_one_allowed_request() {
    use crate::eval::claim::Refutation;
    match claim("s3-readonly allows only s3:GetObject") {
        Err(Refutation::Counterexample(c)) => {
            let (request, evaluation) = (&c.request, &c.evaluation);
            assert_eq!(request.action, "s3:ListBucket");
            assert_eq!(evaluation.decision, crate::eval::Decision::Allowed);
            assert_eq!(evaluation.statements[0].sid.as_deref(), Some("AllowS3Read"));
            assert_eq!(
                request
                    .context
                    .get("aws:CalledViaAWSMCP")
                    .map(|v| v.values()[0].as_str()),
                Some("aws-mcp.amazonaws.com")
            );
        }
        other => panic!("{other:?}"),
    }
    match claim("s3-readonly grants no Read access") {
        Err(Refutation::Counterexample(c)) => assert_eq!(c.request.action, "s3:GetObject"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        claim("s3-readonly denies every action when aws:ViaAWSMCPService is true"),
        Err(Refutation::Counterexample(_))
    ));
}

#[test]
fn quantified_grammar_errors_point_at_the_word() {
    use crate::eval::claim::Claim;
    let text = "s3-readonly grants no Writes access";
    let e = Claim::parse(text).unwrap_err();
    assert_eq!(&text[e.range], "Writes");
    let text = "s3-readonly grants no Write";
    assert!(Claim::parse(text).unwrap_err().message.contains("`access`"));
    let text = "s3-readonly allows only GetObject";
    assert_eq!(&text[Claim::parse(text).unwrap_err().range], "GetObject");
    let c = Claim::parse("x grants only Permissions management and Read access").unwrap();
    assert_eq!(
        c.quantified,
        Some(crate::eval::claim::Quantified::GrantsOnly(vec![
            (crate::aws_data::AccessLevel::PermissionsManagement, 14..36),
            (crate::aws_data::AccessLevel::Read, 41..45)
        ]))
    );
    assert_eq!(
        crate::eval::findings::sentence(&c),
        "`x` grants only Permissions management and Read access"
    );
}

#[test]
fn a_quantified_claim_checks_the_actions_it_names() {
    use crate::eval::claim::Refutation;
    match claim("s3-readonly allows only s3:GetObjects, s3:ListBucket") {
        Err(Refutation::Name { problem, .. }) => {
            assert_eq!(
                problem.help.as_deref(),
                Some("did you mean `s3:GetObject`?")
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        claim("s3-readonly allows no aws-mcp:InvokeMcp"),
        Err(Refutation::Name { .. })
    ));
}

// A NotResource pattern and a service rule's pattern on another service share no ARN (field by
// field), though as whole strings they do: nothing to explore there, and the claim is proven.
#[test]
fn patterns_of_different_services_do_not_make_a_claim_unprovable() {
    let loaded = Catalog::from_text(
        "iam-catalog.toml",
        "[policies.p]\n\n[[policies.p.statements]]\nEffect = \"Deny\"\nAction = [\"kms:Decrypt\"]\nNotResource = [\"arn:aws:s3:::b/*\"]\n",
    );
    assert!(!loaded.has_errors());
    let c = crate::eval::claim::Claim::parse("p denies every action").unwrap();
    let r = crate::eval::claim::prove(&c, &loaded.catalog, AwsData::embedded());
    assert!(r.is_ok(), "{r:?}");
}
