//! A catalog entry's problem is reported once by `check`, at its catalog line, however many
//! directives use the entry: `check` validates the whole catalog, so a directive's copy of the same
//! finding adds nothing. `expand` of one page, which validates only the entries the page uses,
//! still shows it at the directive. A directive's own findings (what its extra modifiers change)
//! stay at each directive.

mod common;

/// `wide` has a warning of its own (`iam:PassRole` on every role); `read` is clean; the modifier
/// `odd` adds a condition on a key AWS does not define, a problem only a directive that applies it
/// shows.
const CATALOG: &str = r#"[policies.wide]

[[policies.wide.statements]]
Effect = "Allow"
Action = "iam:PassRole"
Resource = "*"

[policies.read]

[[policies.read.statements]]
Effect = "Allow"
Action = "s3:GetObject"
Resource = "*"

[modifiers.odd]
description = "A condition on a key AWS does not define."
add-condition = { StringEquals = { "aws:NoSuchKey" = "x" } }
"#;

fn site(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("iam-catalog.toml"), CATALOG).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    for (name, text) in pages {
        std::fs::write(dir.path().join("docs").join(name), text).unwrap();
    }
    dir
}

const TWO_PAGES: &[(&str, &str)] = &[
    ("a.md", "# A\n\n<<#iam-policy wide>>\n"),
    ("b.md", "# B\n\nBefore.\n\n<<#iam-policy wide>>\n"),
];

/// The lines that start a finding (`file:line:col: level[code]: ...`).
fn headlines(err: &str) -> Vec<&str> {
    err.lines()
        .filter(|l| l.contains(": warning[") || l.contains(": error["))
        .collect()
}

#[test]
fn check_reports_a_catalog_policys_warning_once_at_its_catalog_line() {
    let dir = site(TWO_PAGES);
    let o = common::run(dir.path(), &["check", "docs"], "");
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let found = headlines(&err);
    assert_eq!(
        found,
        [
            "iam-catalog.toml:5:10: warning[pass-role-with-star-resource]: `iam:PassRole` with \"Resource\": \"*\" lets the holder pass any role, including more privileged ones, to a service"
        ],
        "{err}"
    );
    assert!(!err.contains("defined here in the catalog"), "{err}");
    assert!(err.contains("0 errors, 1 warning"), "{err}");
}

#[test]
fn check_reports_it_once_in_json_too() {
    let dir = site(TWO_PAGES);
    let o = common::run(dir.path(), &["check", "--format", "json", "docs"], "");
    let out = common::stdout(&o);
    assert_eq!(
        out.matches("pass-role-with-star-resource").count(),
        1,
        "{out}\n{}",
        common::stderr(&o)
    );
}

#[test]
fn expand_of_one_page_still_shows_it_at_the_directive() {
    let dir = site(TWO_PAGES);
    let o = common::run(dir.path(), &["expand", "docs/a.md"], "");
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let found = headlines(&err);
    assert!(
        found
            .iter()
            .any(|l| l.starts_with("docs/a.md:3:1: warning[pass-role-with-star-resource]")),
        "{err}"
    );
    assert!(
        err.contains("= note: defined here in the catalog (iam-catalog.toml:5:10)"),
        "{err}"
    );
}

#[test]
fn a_modifiers_effect_stays_at_each_directive_that_applies_it() {
    let dir = site(&[
        ("c.md", "# C\n\n<<#iam-policy read odd>>\n"),
        ("d.md", "# D\n\n<<#iam-policy wide odd>>\n"),
    ]);
    let o = common::run(dir.path(), &["check", "docs"], "");
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let found = headlines(&err);
    let at = |prefix: &str| found.iter().filter(|l| l.starts_with(prefix)).count();
    // The key AWS does not define: the directives' own problem, at each directive.
    assert_eq!(
        at("docs/c.md:3:1: error[invalid-global-condition-key]"),
        1,
        "{err}"
    );
    assert_eq!(
        at("docs/d.md:3:1: error[invalid-global-condition-key]"),
        1,
        "{err}"
    );
    // `wide`'s own warning, once, at the catalog, though `d.md` applies a modifier to it.
    assert_eq!(
        at("iam-catalog.toml:5:10: warning[pass-role-with-star-resource]"),
        1,
        "{err}"
    );
    assert_eq!(found.len(), 3, "{err}");
}
