//! `mdbook-iam access`, run as a user runs it: the JSON rows of the examples' catalog policies
//! and roles and of policy files, each witness decided `Allowed` by `simulate`, the text and
//! Markdown formats, and the exit codes.

mod common;

use serde_json::Value;

fn access(args: &[&str]) -> std::process::Output {
    let mut all = vec!["access"];
    all.extend_from_slice(args);
    common::run(&common::root(), &all, "")
}

fn json_rows(args: &[&str]) -> Vec<Value> {
    let o = access(args);
    assert!(o.status.success(), "{:?}: {}", args, common::stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("one JSON array");
    v.as_array().expect("an array").clone()
}

fn actions(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["action"].as_str().unwrap()).collect()
}

fn catalog() -> String {
    common::example_catalog().to_str().unwrap().to_string()
}

/// Every witness, as a simulation document, is decided `Allowed` by `simulate`.
fn witnesses_are_allowed(rows: &[Value], policies: Vec<Value>, kind: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let w = &r["witness"];
        let mut request = serde_json::json!({
            "principal": w["principal"],
            "action": w["action"],
            "resource": w["resource"],
            "context": w["context"],
        });
        if let Some(a) = w["resourceAccount"].as_str() {
            request["resourceAccount"] = Value::String(a.into());
        }
        let mut doc = serde_json::json!({ "request": request });
        if kind == "identity" {
            doc["identityPolicies"] = Value::Array(policies.clone());
        } else {
            doc["resourcePolicy"] = policies[0].clone();
        }
        let f = dir.path().join(format!("w{i}.json"));
        std::fs::write(&f, doc.to_string()).unwrap();
        files.push(f.to_str().unwrap().to_string());
    }
    let mut args = vec!["simulate", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let o = common::run(dir.path(), &args, "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let decided: Value = serde_json::from_slice(&o.stdout).unwrap();
    for (r, d) in rows.iter().zip(decided.as_array().unwrap()) {
        assert_eq!(d["decision"], "Allowed", "witness of {r}");
    }
}

#[test]
fn catalog_policies_and_roles() {
    let c = catalog();
    let rows = json_rows(&[
        "--catalog",
        &c,
        "--policy",
        "s3-readonly",
        "--format",
        "json",
    ]);
    // `sts:GetCallerIdentity` is answered whatever the policies say, and this policy does not
    // grant it: no row (see the guide's access page).
    assert_eq!(actions(&rows), ["s3:GetObject", "s3:ListBucket"]);
    let get = &rows[0];
    assert_eq!(get["policy"], "s3-readonly");
    assert_eq!(get["accessLevel"], "Read");
    assert_eq!(rows[1]["accessLevel"], "List");
    assert_eq!(get["resources"], serde_json::json!(["*"]));
    assert_eq!(get["conditional"], true);
    assert_eq!(
        get["conditions"],
        serde_json::json!([
            {"key": "aws:CalledViaAWSMCP", "values": ["aws-mcp.amazonaws.com"], "absent": false, "otherValues": false},
            {"key": "aws:ViaAWSMCPService", "values": ["true"], "absent": false, "otherValues": false},
        ])
    );
    assert_eq!(get["except"], serde_json::json!([]));
    assert!(get.get("rule").is_none());

    // The role: its permission policies, as a session of the role.
    let role = json_rows(&[
        "--catalog",
        &c,
        "--role",
        "mcp-s3-readonly",
        "--format",
        "json",
    ]);
    assert_eq!(actions(&role), actions(&rows));
    assert!(
        role[0]["witness"]["principal"]
            .as_str()
            .unwrap()
            .contains(":assumed-role/McpProxyS3ReadOnlyRole/")
    );
    // The default role's policy grants what AWS answers anyone anyway: the row says so.
    let default = json_rows(&["--catalog", &c, "--role", "mcp-default", "--format", "json"]);
    assert_eq!(actions(&default), ["sts:GetCallerIdentity"]);
    assert_eq!(default[0]["rule"], "get-caller-identity");
    // A modifier from the command line: both conditions' keys must hold.
    let scoped = json_rows(&[
        "--catalog",
        &c,
        "--policy",
        "s3-readonly",
        "--modifier",
        "mcp-scoped",
        "--format",
        "json",
    ]);
    assert_eq!(actions(&scoped), actions(&rows));
    // The trust policy: for the identity provider it names (which makes no other call, so no
    // `sts:GetCallerIdentity` either).
    let trust = json_rows(&["--catalog", &c, "--policy", "mcp-trust", "--format", "json"]);
    assert_eq!(actions(&trust), ["sts:AssumeRoleWithWebIdentity"]);
    assert_eq!(trust[0]["conditions"][0]["key"], "auth.example.com:aud");
    assert_eq!(trust[0]["accessLevel"], "Write");
}

#[test]
fn catalog_witnesses_are_allowed_by_simulate() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::run(
        &common::root(),
        &[
            "export",
            "--catalog",
            &catalog(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(f)).unwrap()).unwrap()
    };
    let rows = json_rows(&[
        "--catalog",
        &catalog(),
        "--policy",
        "s3-readonly",
        "--format",
        "json",
    ]);
    witnesses_are_allowed(
        &rows,
        vec![read("s3-readonly-permissions.json")],
        "identity",
    );
}

const FILE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"] },
    { "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*" },
    { "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/private/*" },
    { "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*", "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }
  ]
}"#;

#[test]
fn policy_files_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("policy.json");
    std::fs::write(&f, FILE_POLICY).unwrap();
    let path = f.to_str().unwrap();
    let rows = json_rows(&[path, "--format", "json"]);
    assert!(rows.iter().all(|r| r["policy"] == path));
    assert!(
        rows.iter()
            .all(|r| !r["action"].as_str().unwrap().contains('*'))
    );
    let find = |a: &str| rows.iter().find(|r| r["action"] == a);
    let get = find("s3:GetObject").expect("s3:GetObject is allowed");
    assert_eq!(
        get["except"],
        serde_json::json!(["arn:aws:s3:::amzn-s3-demo-bucket/private/*"])
    );
    let del = find("s3:DeleteObject").expect("s3:DeleteObject is allowed with MFA");
    assert_eq!(del["conditional"], true);
    assert_eq!(del["accessLevel"], "Write");
    assert_eq!(
        del["conditions"][0],
        serde_json::json!({"key": "aws:MultiFactorAuthPresent", "values": ["true"], "absent": false, "otherValues": false})
    );
    assert!(find("s3:PutObject").is_none());
    // Every action `ec2:Describe*` matches is allowed, with the same resources: the text shows
    // the wildcard; `s3:Get*` is not exact (a Deny takes part of `s3:GetObject` away).
    let describe = rows
        .iter()
        .filter(|r| r["action"].as_str().unwrap().starts_with("ec2:Describe"))
        .count();
    assert!(describe > 100, "{describe}");
    witnesses_are_allowed(
        &rows,
        vec![serde_json::from_str(FILE_POLICY).unwrap()],
        "identity",
    );

    let o = access(&[path]);
    assert!(o.status.success());
    let text = common::stdout(&o);
    assert!(
        text.contains(&format!("ec2:Describe* ({describe} actions)")),
        "{text}"
    );
    assert!(!text.contains("s3:Get*"), "{text}");
    assert!(
        text.contains("except arn:aws:s3:::amzn-s3-demo-bucket/private/*"),
        "{text}"
    );
    assert!(
        text.contains("when aws:MultiFactorAuthPresent is true"),
        "{text}"
    );

    let o = access(&[path, "--format", "markdown"]);
    assert!(o.status.success());
    let md = common::stdout(&o);
    assert!(md.starts_with(&format!("### `{path}`\n\n")), "{md}");
    assert!(md.contains("| Service | Access level | Actions"), "{md}");
    assert!(md.contains("`ec2:Describe*`"), "{md}");
}

#[test]
fn resource_policy_files_are_decided_for_the_principal_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bucket.json");
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/Reader" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*" }
  ]
}"#;
    std::fs::write(&f, policy).unwrap();
    let rows = json_rows(&[
        f.to_str().unwrap(),
        "--kind",
        "resource",
        "--format",
        "json",
    ]);
    assert_eq!(actions(&rows), ["s3:GetObject"]);
    assert_eq!(
        rows[0]["resources"],
        serde_json::json!(["arn:aws:s3:::amzn-s3-demo-bucket/*"])
    );
    assert_eq!(
        rows[0]["witness"]["principal"],
        "arn:aws:sts::111122223333:assumed-role/Reader/mdbook-iam"
    );
    witnesses_are_allowed(
        &rows[..1],
        vec![serde_json::from_str(policy).unwrap()],
        "resource",
    );
}

#[test]
fn exit_codes() {
    let c = catalog();
    // An unknown name: 1, with "did you mean" at the flag's word.
    let o = access(&["--catalog", &c, "--policy", "s3-readonli"]);
    assert_eq!(o.status.code(), Some(1));
    let e = common::stderr(&o);
    assert!(e.contains("--policy:1:1"), "{e}");
    assert!(e.contains("did you mean `s3-readonly`?"), "{e}");
    let o = access(&["--catalog", &c, "--role", "s3-readonly"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("unknown-role"));
    let o = access(&[
        "--catalog",
        &c,
        "--policy",
        "s3-readonly",
        "--modifier",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("unknown-modifier"));
    // An invalid policy file: 1, with the validator's finding; nothing summarized.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}]}"#,
    )
    .unwrap();
    let o = access(&[bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("invalid-action"));
    assert_eq!(common::stdout(&o).trim(), "[]");
    // Too complex: 1, reported, never a partial summary passed off as whole.
    let keys = [
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:RequestedRegion",
        "aws:PrincipalAccount",
        "aws:ResourceAccount",
        "aws:PrincipalOrgID",
        "aws:SourceAccount",
        "aws:userid",
    ];
    let cond: Vec<String> = keys
        .iter()
        .map(|k| format!("\"{k}\": [\"a{k}\", \"b{k}\"]"))
        .collect();
    let big = dir.path().join("big.json");
    std::fs::write(
        &big,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}]}}"#,
            cond.join(",")
        ),
    )
    .unwrap();
    let o = access(&[big.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("not summarized"),
        "{}",
        common::stderr(&o)
    );
    // Usage and I/O errors: 2.
    let o = access(&["--catalog", &c]);
    assert_eq!(o.status.code(), Some(2));
    let o = access(&[
        "--catalog",
        &c,
        "--policy",
        "s3-readonly",
        "--role",
        "mcp-default",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = access(&[dir.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = access(&[
        "--catalog",
        "/nonexistent/iam-catalog.toml",
        "--policy",
        "x",
    ]);
    assert_ne!(o.status.code(), Some(0));
}
