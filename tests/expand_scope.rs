//! What `expand` of one page checks: the catalog entries the page uses, validated; `check` takes
//! the whole catalog and proves its claims. A host that expands page by page (the Docusaurus
//! plugin) checks the whole catalog once per build with `check CATALOG`.

mod common;

use std::path::Path;

/// Policies `good` (a true claim), `liar` (a false claim) and `typo` (an action that does not
/// exist); a role that uses `liar` as its permission policy; a statement with a false claim.
const CATALOG: &str = r#"
[policies.good]
claims = ["allows s3:GetObject"]

[[policies.good.statements]]
Effect = "Allow"
Action = "s3:GetObject"
Resource = "*"

[policies.liar]
name = "Liar"
claims = ["allows s3:PutObject"]

[[policies.liar.statements]]
Effect = "Allow"
Action = "s3:GetObject"
Resource = "*"

[policies.typo]

[[policies.typo.statements]]
Effect = "Allow"
Action = "s3:GetObjectt"
Resource = "*"

[policies.trust]
kind = "trust"

[[policies.trust.statements]]
Effect = "Allow"
Principal = { Service = "lambda.amazonaws.com" }
Action = "sts:AssumeRole"

[roles.worker]
name = "Worker"
trust-policy = "trust"
policies = ["liar"]

[statements.fib]
Effect = "Deny"
Action = "s3:DeleteObject"
Resource = "*"
claims = ["does not apply s3:DeleteObject"]
"#;

/// `iam-catalog.toml:LINE:` of the line holding `text`.
fn at(text: &str) -> String {
    let line = CATALOG.lines().position(|l| l.contains(text)).unwrap() + 1;
    format!("iam-catalog.toml:{line}:")
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("iam-catalog.toml"), CATALOG).unwrap();
    dir
}

fn expand(dir: &Path, page: &str) -> (i32, String) {
    std::fs::write(dir.join("page.md"), page).unwrap();
    let o = common::run(dir, &["expand", "page.md"], "");
    (o.status.code().unwrap(), common::stderr(&o))
}

#[test]
fn a_page_is_not_failed_by_entries_it_does_not_use() {
    let dir = site();
    let (code, err) = expand(dir.path(), "# Page\n\n<<#iam-policy good>>\n");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn a_page_gets_the_findings_of_the_entries_it_shows_not_their_claims() {
    let dir = site();
    // The policy as published is validated, at its catalog line.
    let (code, err) = expand(dir.path(), "# Page\n\n<<#iam-policy typo>>\n");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{}10: error[invalid-action]", at("GetObjectt"))),
        "{err}"
    );
    // So is a role's permission policy, shown through the role's commands.
    std::fs::write(
        dir.path().join("iam-catalog.toml"),
        CATALOG
            .replace("policies = [\"liar\"]", "policies = [\"typo\"]")
            .replace("[policies.typo]\n", "[policies.typo]\nname = \"Typo\"\n"),
    )
    .unwrap();
    let (code, err) = expand(dir.path(), "# Page\n\n<<#iam-role-commands worker>>\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-action]"), "{err}");
    // Claims are the catalog's promises, proven by `check` and by every build: a page that
    // shows `liar` expands, and says what it says.
    std::fs::write(dir.path().join("iam-catalog.toml"), CATALOG).unwrap();
    let (code, err) = expand(dir.path(), "# Page\n\n<<#iam-actions liar>>\n");
    assert_eq!(code, 0, "{err}");
    // The page's own claims are proven, as they are its content.
    let (code, err) = expand(
        dir.path(),
        "# Page\n\nIt <<#iam-claim liar allows s3:PutObject>>.\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("page.md:3:"), "{err}");
    assert!(err.contains("error[false-claim]"), "{err}");
}

/// `check page.md` and `check iam-catalog.toml` both fail, and both report each of `wanted`.
fn check_both_ways(dir: &Path, wanted: &[String]) {
    for args in [&["check", "page.md"][..], &["check", "iam-catalog.toml"]] {
        let o = common::run(dir, args, "");
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        for w in wanted {
            assert!(err.contains(w.as_str()), "{args:?}: no {w}: {err}");
        }
    }
}

#[test]
fn check_takes_the_whole_catalog_and_a_catalog_path_alone() {
    let dir = site();
    std::fs::write(
        dir.path().join("page.md"),
        "# Page\n\n<<#iam-policy good>>\n",
    )
    .unwrap();
    // The invalid policy, and (as the catalog has errors) no claims proven.
    check_both_ways(
        dir.path(),
        &[format!("{}10: error[invalid-action]", at("GetObjectt"))],
    );
    std::fs::write(
        dir.path().join("iam-catalog.toml"),
        CATALOG.replace("s3:GetObjectt", "s3:GetObject"),
    )
    .unwrap();
    check_both_ways(
        dir.path(),
        &[
            format!("{}11: error[false-claim]", at("s3:PutObject")),
            at("does not apply s3:DeleteObject"),
        ],
    );
    // A catalog given twice in two ways is one catalog; two catalogs are a usage error.
    let o = common::run(
        dir.path(),
        &[
            "check",
            "--catalog",
            "./iam-catalog.toml",
            "iam-catalog.toml",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    std::fs::write(dir.path().join("other.toml"), "").unwrap();
    let o = common::run(
        dir.path(),
        &["check", "--catalog", "other.toml", "iam-catalog.toml"],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains("one catalog"));
}
