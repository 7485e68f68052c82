//! Claims kept by the catalog itself: proven by every run, so an edit that breaks one fails
//! `check` (and every build) at the claim's catalog line, even when no page states it.

mod common;

fn catalog_dir(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::example_catalog()).unwrap();
    std::fs::write(dir.path().join("iam-catalog.toml"), edit(&text)).unwrap();
    std::fs::write(dir.path().join("page.md"), "A page that states nothing.\n").unwrap();
    dir
}

/// The 1-based line of the first catalog line holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("in the catalog")
        + 1
}

#[test]
fn the_example_catalogs_claims_hold() {
    let dir = catalog_dir(str::to_string);
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
}

#[test]
fn removing_the_guardrail_from_s3_readonly_fails_check_at_the_claims_line() {
    let edit = |t: &str| {
        let at = t.find("[modifiers.aws-mcp-server]").unwrap();
        let rel = t[at..].find("append = [\"DenyDirectAPIAccess\"]").unwrap();
        let mut out = t.to_string();
        out.replace_range(
            at + rel..at + rel + "append = [\"DenyDirectAPIAccess\"]".len(),
            "append = []",
        );
        out
    };
    let dir = catalog_dir(edit);
    let text = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    let line = line_of(
        &text,
        "explicitly denies s3:GetObject when aws:ViaAWSMCPService is absent",
    );
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains(&format!("iam-catalog.toml:{line}:3: error[false-claim]")),
        "{err}"
    );
    assert!(err.contains("implicitly denied"), "{err}");
}

#[test]
fn a_claim_the_catalog_cannot_read_is_located_inside_its_string() {
    let dir =
        catalog_dir(|t| t.replace("\"denies s3:PutObject when", "\"forbids s3:PutObject when"));
    let text = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    let line = line_of(&text, "\"forbids s3:PutObject");
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains(&format!("iam-catalog.toml:{line}:4: error[invalid-claim]")),
        "{err}"
    );
}

// A Write action no point claim names: only the universal claims catch it, each with one
// concrete request that the edited policy allows.
#[test]
fn adding_a_write_action_to_s3_readonly_fails_check_with_a_counterexample() {
    let edit = |t: &str| {
        t.replace(
            "Action = [\"s3:GetObject\", \"s3:ListBucket\"]",
            "Action = [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObjectAcl\"]",
        )
    };
    let dir = catalog_dir(edit);
    let text = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    assert!(text.contains("s3:PutObjectAcl"));
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    for claim in [
        "allows only s3:GetObject, s3:ListBucket",
        "grants no Write or Permissions management access",
    ] {
        let line = line_of(&text, claim);
        let at = format!(
            "iam-catalog.toml:{line}:3: error[false-claim]: this claim does not hold: the policies allow `s3:PutObjectAcl` on `arn:aws:s3:::example/example` when "
        );
        assert!(err.contains(&at), "{at}\n{err}");
    }
    assert!(
        err.contains("`aws:CalledViaAWSMCP` is `aws-mcp.amazonaws.com`"),
        "the counterexample carries the context that allows it:\n{err}"
    );
    assert!(
        err.contains("decided by statement 1 (`AllowS3Read`) of `s3-readonly`"),
        "{err}"
    );
    // The claims that still hold stay quiet.
    assert!(
        !err.contains("when aws:ViaAWSMCPService is absent"),
        "{err}"
    );
}

/// A claim about a name IAM does not know is about nothing (the evaluator denies every unknown
/// action), so it is an error at the name, with the validator's code and suggestion, never a
/// proof: in the catalog's `claims` and in a page's `iam-claim`.
#[test]
fn a_claim_naming_an_unknown_or_retired_action_is_an_error_at_the_name() {
    let dir = catalog_dir(|t| {
        t.replace(
            "\"denies iam:PassRole when aws:ViaAWSMCPService is true\"",
            "\"denies iam:PassRoles when aws:ViaAWSMCPService is true\"",
        )
    });
    let text = std::fs::read_to_string(dir.path().join("iam-catalog.toml")).unwrap();
    let line = line_of(&text, "iam:PassRoles");
    let col = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("iam:PassRoles")
        .unwrap()
        + 1;
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains(&format!(
            "iam-catalog.toml:{line}:{col}: error[invalid-action]"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `iam:PassRole`?"), "{err}");

    let dir = catalog_dir(str::to_string);
    std::fs::write(
        dir.path().join("page.md"),
        "It holds: <<#iam-claim s3-readonly denies s3:PutObjects>>.\n\n\
         And <<#iam-claim s3-readonly denies `aws-mcp:InvokeMcp`>>.\n\n\
         And <<#iam-claim s3-readonly denies s3:GetObject when aws:ViaAWSMCPServise is true>>.\n\n\
         And <<#iam-claim s3-readonly denies s3:GetObject on bucket/key>>.\n",
    )
    .unwrap();
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    for want in [
        "page.md:1:43: error[invalid-action]: Amazon S3 has no action `PutObjects`",
        "did you mean `s3:PutObject`?",
        "page.md:3:37: error[deprecated-action]: `aws-mcp:InvokeMcp` was retired on 2026-03-24",
        "page.md:5:55: error[invalid-global-condition-key]",
        "did you mean `aws:ViaAWSMCPService`?",
        "page.md:7:53: error[invalid-arn]",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

/// A truth table is read as a claim, so the action it is asked about is checked the same way.
#[test]
fn a_truth_tables_action_must_exist() {
    let dir = catalog_dir(str::to_string);
    std::fs::write(
        dir.path().join("page.md"),
        "<<#iam-truth-table s3-readonly aws:ViaAWSMCPService action=s3:GetObjects>>\n",
    )
    .unwrap();
    let o = common::run(dir.path(), &["check", "page.md"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains(
            "page.md:1:60: error[invalid-parameter]: Amazon S3 has no action `GetObjects`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `s3:GetObject`?"), "{err}");
}
