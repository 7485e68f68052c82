//! `mdbook-iam expand --deps`: the answer a host (the Docusaurus plugin) watches files by. One JSON
//! object on stdout: the page (or null on errors) and every file the expansion read.

mod common;

use std::path::{Path, PathBuf};

fn answer(dir: &Path, args: &[&str], page: &str) -> (i32, serde_json::Value) {
    let o = common::run(dir, args, page);
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", common::stdout(&o)));
    (o.status.code().unwrap(), v)
}

fn paths(v: &serde_json::Value) -> Vec<PathBuf> {
    v["dependencies"]
        .as_array()
        .expect("dependencies is an array")
        .iter()
        .map(|p| PathBuf::from(p.as_str().expect("a path")))
        .collect()
}

const CATALOG: &str = "schema-version = \"1.0\"\ninclude = [\n  \"roles.toml\", # a comment inside the list\n  'more/callouts.toml',\n]\n\n[statements.S]\nEffect = \"Deny\"\nAction = \"*\"\nResource = \"*\"\n";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs/guide")).unwrap();
    std::fs::create_dir_all(dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("iam-catalog.toml"), CATALOG).unwrap();
    std::fs::write(dir.path().join("roles.toml"), "").unwrap();
    std::fs::write(dir.path().join("more/callouts.toml"), "").unwrap();
    dir
}

#[test]
fn deps_name_the_nearest_catalog_and_each_include_relative_to_its_includer() {
    let dir = site();
    let root = dir.path().canonicalize().unwrap();
    let (code, v) = answer(
        dir.path(),
        &[
            "expand",
            "--deps",
            "--stdin-filename",
            "docs/guide/page.md",
            "-",
        ],
        "<<#iam-statement S>>\n",
    );
    assert_eq!(code, 0, "{v}");
    assert!(v["text"].as_str().unwrap().contains("\"Effect\": \"Deny\""));
    assert_eq!(
        paths(&v),
        [
            root.join("iam-catalog.toml"),
            root.join("roles.toml"),
            root.join("more/callouts.toml"),
        ]
    );
}

#[test]
fn a_missing_include_is_a_dependency_and_the_text_is_null_on_errors() {
    let dir = site();
    let root = dir.path().canonicalize().unwrap();
    std::fs::remove_file(dir.path().join("roles.toml")).unwrap();
    let (code, v) = answer(
        dir.path(),
        &[
            "expand",
            "--deps",
            "--stdin-filename",
            "docs/guide/page.md",
            "-",
        ],
        "text\n",
    );
    assert_eq!(code, 1, "{v}");
    assert!(v["text"].is_null());
    assert!(paths(&v).contains(&root.join("roles.toml")), "{v}");
}

#[test]
fn a_catalog_reached_through_a_link_is_watched_where_its_bytes_live() {
    let dir = site();
    let root = dir.path().canonicalize().unwrap();
    let other = dir.path().join("site");
    std::fs::create_dir_all(other.join("docs")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("iam-catalog.toml"),
        other.join("iam-catalog.toml"),
    )
    .unwrap();
    let (code, v) = answer(
        &other,
        &["expand", "--deps", "--stdin-filename", "docs/p.md", "-"],
        "text\n",
    );
    let deps = paths(&v);
    assert_eq!(code, 1, "the includes are relative to the link: {v}");
    assert!(deps.contains(&root.join("site/iam-catalog.toml")), "{v}");
    assert!(deps.contains(&root.join("iam-catalog.toml")), "{v}");
}
