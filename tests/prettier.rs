//! Generated output checked with the real tools: Prettier (print width 80, `proseWrap: "always"`)
//! must leave every expanded page and exported policy unchanged, and the Docusaurus flavor must
//! compile as MDX 3.

mod common;

use std::path::PathBuf;

fn expand_fixture(flavor: &str, out: &std::path::Path) {
    let o = common::run(
        &common::root(),
        &[
            "expand",
            "--catalog",
            common::example_catalog().to_str().unwrap(),
            "--flavor",
            flavor,
            "tests/fixtures/all-kinds.md",
        ],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    std::fs::write(out, o.stdout).unwrap();
}

#[test]
fn expanded_pages_and_exported_policies_are_prettier_clean() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for (flavor, ext) in [("mdbook", "md"), ("gfm", "md"), ("docusaurus", "mdx")] {
        let f = dir.path().join(format!("page-{flavor}.{ext}"));
        expand_fixture(flavor, &f);
        files.push(f);
    }
    let export = dir.path().join("export");
    let o = common::run(
        &common::root(),
        &[
            "export",
            "--catalog",
            common::example_catalog().to_str().unwrap(),
            "--out",
            export.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let exported: Vec<PathBuf> = std::fs::read_dir(&export)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(exported.len(), 3);
    files.extend(exported);
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    common::assert_node_check("prettier-check.mjs", &refs);
}

#[test]
fn docusaurus_flavor_compiles_as_mdx() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("page.mdx");
    expand_fixture("docusaurus", &f);
    common::assert_node_check("mdx-compile.mjs", &[&f]);
}

#[test]
fn prettier_check_can_fail() {
    // The harness itself must notice a difference, or the tests above prove nothing.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.json");
    std::fs::write(&f, "{\"a\":[1,2]}\n").unwrap();
    let o = common::node("prettier-check.mjs", &[&f]);
    assert!(!o.status.success());
}
