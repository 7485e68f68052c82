//! `mdbook-iam sync` and `sync --check` end to end: drift is found with `file:line` and exit 1,
//! `sync` restores the region and touches nothing outside the markers, and the result is stable.

mod common;

use std::path::Path;

const PAGE_MD: &str = "# Synced\n\nText before.\n\n<!-- iam:begin iam-policy s3-readonly -->\n<!-- iam:end -->\n\nText after.\n";
const PAGE_MDX: &str = "# Synced\n\n- In a list:\n\n  {/* iam:begin iam-policy default-permissions */}\n  {/* iam:end */}\n\n{/* iam:begin iam-callout not-authorized action=s3:GetObject */}\n{/* iam:end */}\n\nDone.\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::example_catalog(),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/a.md"), PAGE_MD).unwrap();
    std::fs::write(dir.path().join("docs/b.mdx"), PAGE_MDX).unwrap();
    dir
}

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap()
}

#[test]
fn sync_fills_regions_and_check_then_passes() {
    let dir = setup();
    let o = common::run(dir.path(), &["sync", "--check", "docs"], "");
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    assert!(err.contains("docs/a.md:5:1: error[sync-drift]"), "{err}");
    assert!(err.contains("docs/b.mdx:5:3: error[sync-drift]"), "{err}");
    assert_eq!(
        read(dir.path(), "docs/a.md"),
        PAGE_MD,
        "--check changes nothing"
    );

    let o = common::run(dir.path(), &["sync", "docs"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let a = read(dir.path(), "docs/a.md");
    assert!(a.starts_with("# Synced\n\nText before.\n\n<!-- iam:begin iam-policy s3-readonly -->\n\n**`s3-readonly-permissions.json`**\n"), "{a}");
    assert!(
        a.ends_with("```\n\n<!-- iam:end -->\n\nText after.\n"),
        "{a}"
    );
    let b = read(dir.path(), "docs/b.mdx");
    assert!(b.contains("\n<details>\n<summary>Service access denied: \"User is not authorized to perform s3:GetObject\"</summary>\n"), "{b}");
    assert!(
        b.contains("  ```json title=\"default-permissions.json\"\n  {\n"),
        "{b}"
    );

    let o = common::run(dir.path(), &["sync", "--check", "docs"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let o = common::run(dir.path(), &["sync", "docs"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(dir.path(), "docs/a.md"), a, "sync is idempotent");
}

#[test]
fn edit_inside_a_region_is_drift_and_sync_restores_it() {
    let dir = setup();
    assert!(
        common::run(dir.path(), &["sync", "docs"], "")
            .status
            .success()
    );
    let good = read(dir.path(), "docs/a.md");
    let edited = good.replace("\"s3:GetObject\"", "\"s3:PutObject\"");
    assert_ne!(edited, good);
    std::fs::write(dir.path().join("docs/a.md"), &edited).unwrap();
    let o = common::run(
        dir.path(),
        &["sync", "--check", "--format", "json", "docs"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert_eq!(v[0]["code"], "sync-drift");
    assert_eq!(v[0]["file"], "docs/a.md");
    assert_eq!(v[0]["line"], 5);
    assert!(
        common::run(dir.path(), &["sync", "docs"], "")
            .status
            .success()
    );
    assert_eq!(read(dir.path(), "docs/a.md"), good);
}

#[test]
fn synced_pages_are_prettier_clean() {
    let dir = setup();
    assert!(
        common::run(dir.path(), &["sync", "docs"], "")
            .status
            .success()
    );
    let a = dir.path().join("docs/a.md");
    let b = dir.path().join("docs/b.mdx");
    common::assert_node_check("prettier-check.mjs", &[&a, &b]);
    common::assert_node_check("mdx-compile.mjs", &[&b]);
}

#[test]
fn unclosed_marker_is_an_error_and_nothing_changes() {
    let dir = setup();
    let page = "<!-- iam:begin iam-policy s3-readonly -->\nold text\n";
    std::fs::write(dir.path().join("docs/a.md"), page).unwrap();
    let o = common::run(dir.path(), &["sync", "docs/a.md"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("docs/a.md:1:1: error[sync-marker]"),
        "{}",
        common::stderr(&o)
    );
    assert_eq!(read(dir.path(), "docs/a.md"), page);
}

/// A synced region holds what the catalog generates: `adopt` leaves it to `sync`, so
/// `sync --check` still passes after `adopt --write`.
#[test]
fn adopt_leaves_synced_regions_alone() {
    let dir = setup();
    let o = common::run(dir.path(), &["sync", "docs"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    let before = (
        read(dir.path(), "docs/a.md"),
        read(dir.path(), "docs/b.mdx"),
    );
    assert!(before.0.contains("```json"), "{}", before.0);
    let o = common::run(dir.path(), &["adopt", "--write", "docs"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        (
            read(dir.path(), "docs/a.md"),
            read(dir.path(), "docs/b.mdx")
        ),
        before
    );
    let o = common::run(dir.path(), &["sync", "--check", "docs"], "");
    assert!(o.status.success(), "{}", common::stderr(&o));
}
