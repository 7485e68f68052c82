//! `mdbook-iam diff`: the seed's change (before and after catalogs) in all three formats, a real
//! git history, two policy files, the exit codes; and a property: the diff agrees with deciding
//! random requests on both sides.

mod common;

use common::{root, run, stderr, stdout};
use mdbook_iam::access::Universe;
use mdbook_iam::access::diff::{Change, diff_sets, principal_for};
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::eval::{Decision, NamedPolicy, PolicySet, Request, evaluate};
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn json_rows(out: &std::process::Output) -> Vec<Value> {
    let v: Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}{}", stdout(out), stderr(out));
    });
    v.as_array().expect("one array").clone()
}

fn find<'a>(rows: &'a [Value], entry: &str, change: &str, action: &str) -> Option<&'a Value> {
    rows.iter()
        .find(|r| r["entry"] == entry && r["change"] == change && r["action"] == action)
}

/// Decides a witness with `simulate` against a catalog policy, as a user would paste it.
fn simulate_catalog(catalog: &Path, policy: &str, w: &Value) -> String {
    let mut args: Vec<String> = vec![
        "simulate".into(),
        "--format".into(),
        "json".into(),
        "--catalog".into(),
        catalog.to_str().unwrap().into(),
        "--policy".into(),
        policy.into(),
        "--action".into(),
        w["action"].as_str().unwrap().into(),
        "--resource".into(),
        w["resource"].as_str().unwrap().into(),
        "--principal".into(),
        w["principal"].as_str().unwrap().into(),
    ];
    for (k, v) in w["context"].as_object().unwrap() {
        args.push("--context".into());
        args.push(format!("{k}={}", v.as_str().unwrap()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&root(), &args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    rows[0]["decision"].as_str().unwrap().to_string()
}

#[test]
fn the_seed_change_lists_access_lost_and_gained_with_witnesses() {
    let before = "tests/fixtures/seed-before.toml";
    let after = "book-example/iam-catalog.toml";
    let out = run(&root(), &["diff", "--format", "json", before, after], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json_rows(&out);
    // s3-readonly (published as the same file as s3-readonly-before) reads only through the
    // AWS MCP Server now: direct reads are lost.
    for action in ["s3:GetObject", "s3:ListBucket"] {
        let lost = find(&rows, "s3-readonly", "lost", action).expect(action);
        assert_eq!(lost["previously"], "s3-readonly-before");
        assert_eq!(lost["resources"], serde_json::json!(["*"]));
        let unless: Vec<&str> = lost["unless"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert_eq!(unless, ["aws:CalledViaAWSMCP", "aws:ViaAWSMCPService"]);
        assert_eq!(lost["before"], "Allowed");
        assert_ne!(lost["after"], "Allowed");
        // The witness is refused by the new catalog as `simulate` decides it.
        assert_ne!(
            simulate_catalog(&root().join(after), "s3-readonly", &lost["witness"]),
            "Allowed"
        );
        // The role that holds it is new: its access is all gained, under the conditions.
        let gained = find(&rows, "mcp-s3-readonly", "gained", action).expect(action);
        assert_eq!(gained["kind"], "role");
        let when: Vec<&str> = gained["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            when,
            [
                "`aws:CalledViaAWSMCP` is `aws-mcp.amazonaws.com`",
                "`aws:ViaAWSMCPService` is `true`"
            ]
        );
        assert_eq!(
            simulate_catalog(&root().join(after), "mcp-s3-readonly", &gained["witness"]),
            "Allowed"
        );
    }
    // Every element has the fixed fields; actions are never wildcards.
    for r in &rows {
        for field in [
            "entry",
            "change",
            "action",
            "resources",
            "conditions",
            "witness",
        ] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
        let a = r["action"].as_str().unwrap();
        assert!(!a.contains('*') && !a.contains('?'), "{a}");
        for field in ["action", "resource", "context"] {
            assert!(r["witness"].get(field).is_some(), "witness.{field} in {r}");
        }
    }
    // The guardrail's deny adds no access: nothing but the new role is gained.
    assert!(
        rows.iter()
            .all(|r| r["change"] == "lost" || r["entry"] == "mcp-s3-readonly"),
        "{rows:?}"
    );

    let text = run(&root(), &["diff", before, after], "");
    assert_eq!(text.status.code(), Some(0));
    let t = stdout(&text);
    assert!(
        t.contains(
            "s3-readonly (policy, was s3-readonly-before): 0 actions gained, 2 actions lost"
        ),
        "{t}"
    );
    assert!(t.contains("  - lost s3:GetObject (Read) on * unless aws:CalledViaAWSMCP is aws-mcp.amazonaws.com and aws:ViaAWSMCPService is true"), "{t}");
    assert!(t.contains("e.g. s3:GetObject on arn:aws:s3:::example/example with no context keys: Allowed before, ExplicitlyDenied after"), "{t}");
    assert!(
        t.contains("  + gained s3:ListBucket (List) on * when"),
        "{t}"
    );
    assert!(t.ends_with("2 actions gained, 2 actions lost\n"), "{t}");

    let md = run(
        &root(),
        &["diff", "--format", "markdown", before, after],
        "",
    );
    assert_eq!(md.status.code(), Some(0));
    let m = stdout(&md);
    assert!(m.starts_with("## IAM access changes: "), "{m}");
    assert!(
        m.contains("### policy `s3-readonly` (was `s3-readonly-before`)"),
        "{m}"
    );
    assert!(m.contains("| lost | `s3:GetObject` | Read | `*` | unless `aws:CalledViaAWSMCP` is `aws-mcp.amazonaws.com` and `aws:ViaAWSMCPService` is `true` | `s3:GetObject on arn:aws:s3:::example/example with no context keys` (Allowed → ExplicitlyDenied) |"), "{m}");
    assert!(m.contains("### role `mcp-s3-readonly` (new)"), "{m}");
    assert!(m.contains("> [!WARNING]"), "{m}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn a_commit_that_adds_a_write_action_is_named_and_fails_on_new_access() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    let text = std::fs::read_to_string(root().join("book-example/iam-catalog.toml")).unwrap();
    std::fs::create_dir(d.join("docs")).unwrap();
    let catalog = d.join("docs/iam-catalog.toml");
    std::fs::write(&catalog, &text).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "catalog"]);
    let changed = text.replace(
        "Action = [\"s3:GetObject\", \"s3:ListBucket\"]",
        "Action = [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObjectAcl\"]",
    );
    assert_ne!(changed, text);
    std::fs::write(&catalog, &changed).unwrap();
    git(d, &["commit", "-qam", "grant PutObjectAcl"]);

    // From the catalog's folder, and from the repository's root with --catalog.
    let docs = d.join("docs");
    for (cwd, extra) in [
        (&docs, vec![]),
        (&d.to_path_buf(), vec!["--catalog", "docs/iam-catalog.toml"]),
    ] {
        let mut args = vec!["diff", "--format", "json", "HEAD~1"];
        args.extend(extra.iter().copied());
        let out = run(cwd, &args, "");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let rows = json_rows(&out);
        let names: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r["entry"].as_str().unwrap(),
                    r["change"].as_str().unwrap(),
                    r["action"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("s3-readonly", "gained", "s3:PutObjectAcl"),
                ("mcp-s3-readonly", "gained", "s3:PutObjectAcl")
            ]
        );
        assert_eq!(rows[0]["accessLevel"], "Permissions management");
    }
    // HEAD~1 to HEAD is the same change; the working tree equals HEAD.
    let out = run(
        &docs,
        &["diff", "HEAD~1", "HEAD", "--fail-on", "new-access"],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("+ gained s3:PutObjectAcl"));
    assert!(stderr(&out).contains("new access: 2 actions gained"));
    let out = run(&docs, &["diff", "HEAD", "--fail-on", "new-access"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("no access changed"));
    // Taking it back is a loss, which --fail-on new-access lets through.
    let out = run(
        &docs,
        &["diff", "HEAD", "HEAD~1", "--fail-on", "new-access"],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("- lost s3:PutObjectAcl"));
    // An unknown revision is a usage error.
    let out = run(&docs, &["diff", "no-such-revision"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("neither a file nor a git revision"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_catalog_with_includes_is_read_at_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::write(
        d.join("iam-catalog.toml"),
        "schema-version = \"1.0\"\ninclude = [\"more/policies.toml\"]\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("more")).unwrap();
    let p = |actions: &str| {
        format!(
            "[policies.reader]\n[[policies.reader.statements]]\nEffect = \"Allow\"\nAction = [{actions}]\nResource = \"*\"\n"
        )
    };
    std::fs::write(d.join("more/policies.toml"), p("\"s3:GetObject\"")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "one"]);
    std::fs::write(
        d.join("more/policies.toml"),
        p("\"s3:GetObject\", \"s3:DeleteObject\""),
    )
    .unwrap();
    let out = run(d, &["diff", "--format", "json", "HEAD"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json_rows(&out);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["action"], "s3:DeleteObject");
    assert_eq!(rows[0]["entry"], "reader");
}

const OLD: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"}]}"#;
const NEW: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"},
  {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::reports/tmp/*",
   "Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}]}"#;

#[test]
fn two_policy_files_and_their_witnesses_as_simulate_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("old.json"), OLD).unwrap();
    std::fs::write(d.join("new.json"), NEW).unwrap();
    let out = run(d, &["diff", "--format", "json", "old.json", "new.json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json_rows(&out);
    let del = find(&rows, "new.json", "gained", "s3:DeleteObject").expect("delete gained");
    assert_eq!(
        del["resources"],
        serde_json::json!(["arn:aws:s3:::reports/tmp/*"])
    );
    assert_eq!(
        del["conditions"][0]["text"],
        "`aws:PrincipalTag/team` is `data`"
    );
    let put = find(&rows, "new.json", "lost", "s3:PutObject").expect("put lost");
    assert_eq!(
        put["resources"],
        serde_json::json!(["arn:aws:s3:::reports/*"])
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    // Each witness, as a simulation document's request, is decided as the diff says.
    for r in &rows {
        for (file, policy) in [("before", OLD), ("after", NEW)] {
            let doc = format!(
                "{{\"request\": {}, \"identityPolicies\": [{policy}]}}",
                r["witness"]
            );
            std::fs::write(d.join("case.json"), doc).unwrap();
            let out = run(d, &["simulate", "--format", "json", "case.json"], "");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
            assert_eq!(got[0]["decision"], r[file], "{file} of {r}");
        }
    }
    let out = run(
        d,
        &["diff", "old.json", "new.json", "--fail-on", "new-access"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(
        d,
        &["diff", "new.json", "new.json", "--fail-on", "new-access"],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn inputs_that_cannot_be_compared() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.json"), OLD).unwrap();
    std::fs::write(d.join("bad.json"), "{\"Version\": ").unwrap();
    std::fs::write(d.join("c.toml"), "").unwrap();
    // A policy file against a catalog: usage.
    let out = run(d, &["diff", "p.json", "c.toml"], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A missing file named like one: usage, not a revision.
    let out = run(d, &["diff", "p.json", "missing.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such file"));
    // An invalid policy: findings, exit 1.
    let out = run(d, &["diff", "p.json", "bad.json"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.json"));
}

// ---- The property: the diff agrees with deciding requests on both sides. ----

const ACTIONS: [&str; 7] = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:Get*",
    "s3:*",
    "ec2:RunInstances",
    "s3:ListBucket",
    "*",
];
const PATTERNS: [&str; 7] = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::*/secret",
    "arn:aws:s3:::b/secret",
    "arn:aws:s3:::b",
    "arn:aws:s3:::c*",
    "arn:aws:s3:::*",
];
const CONDITIONS: [&str; 5] = [
    "",
    r#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
    r#","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}"#,
    r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}"#,
    r#","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"a"}}"#,
];

fn statement() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.15),
        prop::sample::subsequence(ACTIONS.to_vec(), 1..3),
        prop::sample::subsequence(PATTERNS.to_vec(), 1..3),
        0..CONDITIONS.len(),
    )
        .prop_map(|(allow, not_action, actions, resources, c)| {
            format!(
                r#"{{"Effect":"{}","{}":{},"Resource":{}{}}}"#,
                if allow { "Allow" } else { "Deny" },
                if not_action { "NotAction" } else { "Action" },
                serde_json::json!(actions),
                serde_json::json!(resources),
                CONDITIONS[c]
            )
        })
}

fn policy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(statement(), 0..4).prop_map(|s| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            s.join(",")
        )
    })
}

fn read(text: &str) -> Policy {
    let f = SourceFile::new("p.json", text);
    Policy::read(&mdbook_iam::json::parse(&f).unwrap(), PolicyKind::Identity).value
}

/// `*` and `?` globs, as IAM matches a Resource pattern without variables.
fn glob(p: &str, s: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (p.chars().collect(), s.chars().collect());
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    for &c in &p {
        let mut next = vec![false; s.len() + 1];
        for j in 0..=s.len() {
            if !reach[j] {
                continue;
            }
            match c {
                '*' => next[j..].iter_mut().for_each(|n| *n = true),
                '?' if j < s.len() => next[j + 1] = true,
                c if j < s.len() && s[j] == c => next[j + 1] = true,
                _ => {}
            }
        }
        reach = next;
    }
    reach[s.len()]
}

const REQ_ACTIONS: [&str; 5] = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "ec2:RunInstances",
    "s3:DeleteBucket",
];
const REQ_RESOURCES: [&str; 6] = [
    "arn:aws:s3:::b/secret",
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b",
    "arn:aws:s3:::cat/secret",
    "arn:aws:s3:::other",
    "arn:aws:s3:::b/x/secret",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn diff_agrees_with_pairwise_evaluation(
        old in policy_text(),
        new in policy_text(),
        requests in prop::collection::vec((0..REQ_ACTIONS.len(), 0..REQ_RESOURCES.len(), 0..3usize, 0..3usize), 12),
    ) {
        let aws = AwsData::embedded();
        let (po, pn) = (read(&old), read(&new));
        let principal = principal_for("111122223333", "R");
        let so = PolicySet::identity([NamedPolicy::new("old", &po)]);
        let sn = PolicySet::identity([NamedPolicy::new("new", &pn)]);
        // The services the requests use (every action of AWS's data takes the same path, only
        // longer: the catalog tests above run on all of it).
        let u = Universe::of(aws);
        let only: Vec<usize> = u.service("s3").chain(u.service("ec2")).collect();
        let d = diff_sets(&so, &sn, principal.clone(), aws, Some(&only)).unwrap();
        prop_assert!(d.unverified.is_empty(), "{:?}", d.unverified);
        // Every witness decides as the diff says.
        for x in &d.deltas {
            let b = evaluate(&x.witness, &so, aws).decision;
            let a = evaluate(&x.witness, &sn, aws).decision;
            prop_assert_eq!((b, a), (x.before, x.after));
            match x.change {
                Change::Gained => prop_assert!(a == Decision::Allowed && b != Decision::Allowed),
                Change::Lost => prop_assert!(b == Decision::Allowed && a != Decision::Allowed),
            }
        }
        // Every request decided differently lies inside a delta of its action.
        if d.approximate && std::env::var_os("DIFF_STRICT").is_none() {
            return Ok(());
        }
        for (ai, ri, tls, team) in requests {
            let mut req = Request::new(principal.clone(), REQ_ACTIONS[ai]).on(REQ_RESOURCES[ri]);
            if tls > 0 {
                req = req.with_context("aws:SecureTransport", if tls == 1 { "true" } else { "false" });
            }
            if team > 0 {
                req = req.with_context("aws:PrincipalTag/team", if team == 1 { "a" } else { "z" });
            }
            let b = evaluate(&req, &so, aws).decision;
            let a = evaluate(&req, &sn, aws).decision;
            let change = match (b == Decision::Allowed, a == Decision::Allowed) {
                (false, true) => Change::Gained,
                (true, false) => Change::Lost,
                _ => continue,
            };
            let arn = req.resource.as_deref().unwrap();
            let covered = d.deltas.iter().any(|x| {
                x.change == change
                    && x.action == req.action
                    && x.resources.iter().any(|p| glob(p, arn))
            });
            prop_assert!(covered, "{:?} {} on {} ({:?} -> {:?}) not in the diff of\n{}\n{}\n{:#?}",
                change, req.action, arn, b, a, old, new, d.deltas.iter().map(|x| (x.change, &x.action, &x.resources)).collect::<Vec<_>>());
        }
    }
}

// "No new access" is a claim about every request: an entry that is not compared (a trust
// policy) must not let `--fail-on new-access` pass.
#[test]
fn fail_on_new_access_does_not_pass_what_it_could_not_compare() {
    let dir = tempfile::tempdir().unwrap();
    let trust = |aud: &str| {
        format!(
            "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/example.com\"}},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{{\"StringEquals\":{{\"example.com:aud\":\"{aud}\"}}}}}}]}}"
        )
    };
    std::fs::write(dir.path().join("old.json"), trust("a")).unwrap();
    std::fs::write(dir.path().join("new.json"), trust("b")).unwrap();
    let o = common::run(
        dir.path(),
        &[
            "diff",
            "--kind",
            "trust",
            "--fail-on",
            "new-access",
            "old.json",
            "new.json",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("no new access cannot be proven: 1 entry not compared"),
        "{}",
        common::stderr(&o)
    );
}
