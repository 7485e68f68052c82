//! `mdbook-iam simulate` through the binary: both forms, both formats, exit codes, and bad input
//! (an invalid policy is reported with the validator's code and place and not decided).

mod common;

use common::{run, stderr, stdout};
use serde_json::Value;

const GUARDED: &str = r#"{
  "request": {
    "principal": "arn:aws:sts::111122223333:assumed-role/McpProxyS3ReadOnlyRole/s",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
    "context": {}
  },
  "identityPolicies": [
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
        {
          "Sid": "DenyDirectAPIAccess",
          "Effect": "Deny",
          "Action": "*",
          "Resource": "*",
          "Condition": { "BoolIfExists": { "aws:ViaAWSMCPService": "false" } }
        }
      ]
    }
  ]
}
"#;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn documents_are_decided_as_json_rows() {
    let via = GUARDED.replace(
        r#""context": {}"#,
        r#""context": {"aws:ViaAWSMCPService": "true"}"#,
    );
    let dir = dir_with(&[("direct.json", GUARDED), ("via.json", &via)]);
    let o = run(
        dir.path(),
        &["simulate", "--format", "json", "direct.json", "via.json"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows[0]["file"], "direct.json");
    assert_eq!(rows[0]["decision"], "ExplicitlyDenied");
    assert_eq!(rows[0]["statements"][0]["sid"], "DenyDirectAPIAccess");
    assert_eq!(rows[0]["statements"][0]["policy"], "identityPolicies[0]");
    assert_eq!(rows[0]["statements"][0]["index"], 1);
    assert_eq!(rows[0]["statements"][0]["file"], "direct.json");
    assert_eq!(rows[0]["statements"][0]["line"], 13);
    assert_eq!(
        rows[0]["missingContextKeys"],
        serde_json::json!(["aws:ViaAWSMCPService"])
    );
    assert_eq!(rows[1]["decision"], "Allowed");
    assert_eq!(rows[1]["statements"][0]["sid"], "Read");
}

#[test]
fn text_output_says_why() {
    let dir = dir_with(&[("direct.json", GUARDED)]);
    let o = run(dir.path(), &["simulate", "direct.json"], "");
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "direct.json: ExplicitlyDenied: denied by statement 1 (`DenyDirectAPIAccess`)"
        ),
        "{out}"
    );
    assert!(out.contains("direct.json:13"), "{out}");
    assert!(
        out.contains("the request lacks `aws:ViaAWSMCPService`"),
        "{out}"
    );
}

#[test]
fn an_invalid_policy_is_reported_and_not_decided() {
    let bad = GUARDED.replace(
        "\"s3:GetObject\", \"Resource\"",
        "\"s3:GetObjekt\", \"Resource\"",
    );
    let dir = dir_with(&[("bad.json", &bad), ("good.json", GUARDED)]);
    let o = run(
        dir.path(),
        &["simulate", "--format", "json", "bad.json", "good.json"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("bad.json:12:55: error[invalid-action]"),
        "{err}"
    );
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["file"], "good.json");
}

#[test]
fn bad_documents_and_usage() {
    let dir = dir_with(&[
        (
            "shape.json",
            r#"{"request": {"principal": "bob", "action": "s3:GetObject"}}"#,
        ),
        ("syntax.json", "{\"request\": "),
    ]);
    let o = run(dir.path(), &["simulate", "shape.json"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("shape.json:1:27: error[invalid-simulation]"),
        "{}",
        stderr(&o)
    );
    let o = run(dir.path(), &["simulate", "syntax.json"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[json-syntax]"));
    let o = run(dir.path(), &["simulate", "missing.json"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read missing.json"));
    let o = run(dir.path(), &["simulate"], "");
    assert_eq!(o.status.code(), Some(2));
    let o = run(dir.path(), &["simulate", "--policy", "x", "shape.json"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn catalog_policies_and_roles() {
    let book = common::root().join("book-example");
    let o = run(
        &book,
        &[
            "simulate",
            "--format",
            "json",
            "--policy",
            "s3-readonly",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
            "--context",
            "aws:CalledViaAWSMCP=aws-mcp.amazonaws.com",
            "--context",
            "aws:ViaAWSMCPService=true",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows[0]["decision"], "Allowed");
    assert_eq!(rows[0]["statements"][0]["file"], "iam-catalog.toml");
    // Direct calls with the role's credentials: the guardrail, at its catalog line.
    let o = run(
        &book,
        &[
            "simulate",
            "--format",
            "json",
            "--policy",
            "mcp-s3-readonly",
            "--action",
            "s3:PutObject",
        ],
        "",
    );
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows[0]["decision"], "ExplicitlyDenied");
    assert_eq!(rows[0]["statements"][0]["sid"], "DenyDirectAPIAccess");
    // The trust policy decides AssumeRoleWithWebIdentity, placeholders standing for their examples.
    let o = run(
        &book,
        &[
            "simulate",
            "--policy",
            "mcp-s3-readonly",
            "--action",
            "sts:AssumeRoleWithWebIdentity",
            "--principal",
            "arn:aws:iam::<YOUR_AWS_ACCOUNT_ID>:oidc-provider/<YOUR_OIDC_ISSUER>",
            "--context",
            "<YOUR_OIDC_ISSUER>:aud=<YOUR_OIDC_AUDIENCE>",
        ],
        "",
    );
    assert!(
        stdout(&o).contains(": Allowed: allowed by statement 0 of resource policy `mcp-trust`"),
        "{}",
        stdout(&o)
    );
    let o = run(
        &book,
        &[
            "simulate",
            "--policy",
            "s3-readonlee",
            "--action",
            "s3:GetObject",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[unknown-policy]")
            && stderr(&o).contains("did you mean `s3-readonly`?"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &book,
        &[
            "simulate",
            "--policy",
            "s3-readonly",
            "--action",
            "s3:GetObject",
            "--principal",
            "bob",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[invalid-simulation]"));
    let o = run(
        &book,
        &[
            "simulate",
            "--policy",
            "s3-readonly",
            "--action",
            "s3:GetObject",
            "--context",
            "novalue",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
}

/// A request names what IAM knows, or it is not decided: an unknown action (with "did you
/// mean"), a retired one (with the date), a malformed ARN, an unknown context key. Values given
/// with flags have no place in a file, so the findings name the flag instead of a line.
#[test]
fn requests_check_what_they_name() {
    let book = common::root().join("book-example");
    let sim = |extra: &[&str]| {
        let mut args = vec!["simulate", "--policy", "s3-readonly"];
        args.extend_from_slice(extra);
        run(&book, &args, "")
    };
    let o = sim(&["--action", "s3:GetObjects"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "error[invalid-action]: --action: Amazon S3 has no action `GetObjects`\n  = help: did you mean `s3:GetObject`?\n"
    );
    let o = sim(&["--action", "aws-mcp:InvokeMcp"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "error[deprecated-action]: --action: `aws-mcp:InvokeMcp` was retired on 2026-03-24"
        ),
        "{err}"
    );
    let o = sim(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "amzn-s3-demo-bucket/report.csv",
        "--context",
        "aws:ViaAWSMCPServise=true",
        "--modifier",
        "mcp-scopd",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for want in [
        "error[invalid-arn]: --resource: ",
        "error[invalid-global-condition-key]: --context: ",
        "did you mean `aws:ViaAWSMCPService`?",
        "error[unknown-modifier]: --modifier: no modifier named `mcp-scopd`",
        "did you mean `mcp-scoped`?",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // No invented place: no `--policy:1:1`, no quoted source line.
    let o = run(
        &book,
        &["simulate", "--policy", "nope", "--action", "s3:GetObject"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error[unknown-policy]: --policy: no policy or role named `nope` in the catalog\n"
    );
    // Documents: the same checks, at the name's place in the file.
    let bad = GUARDED
        .replace(
            r#""action": "s3:GetObject""#,
            r#""action": "aws-mcp:InvokeMcp""#,
        )
        .replace(
            r#""context": {}"#,
            r#""context": {"aws:ViaAWSMCPServise": "true"}"#,
        );
    let dir = dir_with(&[("bad.json", &bad)]);
    let o = run(dir.path(), &["simulate", "bad.json"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("bad.json:4:15: error[deprecated-action]"),
        "{err}"
    );
    assert!(
        err.contains("bad.json:6:17: error[invalid-global-condition-key]"),
        "{err}"
    );
    assert_eq!(stdout(&o), "");
}

/// A request built from flags has no file: its JSON row says `"file": null` and names the
/// catalog policy (and modifiers) it was decided against.
#[test]
fn flag_requests_have_no_file() {
    let book = common::root().join("book-example");
    let o = run(
        &book,
        &[
            "simulate",
            "--format",
            "json",
            "--policy",
            "default-permissions",
            "--modifier",
            "mcp-scoped",
            "--action",
            "s3:GetObject",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows[0]["file"], Value::Null);
    assert_eq!(rows[0]["policy"], "default-permissions");
    assert_eq!(rows[0]["modifiers"], serde_json::json!(["mcp-scoped"]));
    // Documents' rows keep their file and have neither.
    let dir = dir_with(&[("direct.json", GUARDED)]);
    let o = run(
        dir.path(),
        &["simulate", "--format", "json", "direct.json"],
        "",
    );
    let rows: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows[0]["file"], "direct.json");
    assert!(rows[0].get("policy").is_none() && rows[0].get("modifiers").is_none());
}
