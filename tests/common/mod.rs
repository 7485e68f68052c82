//! Helpers shared by the integration tests: paths, the binary, and the external tools the tests
//! drive (mdBook, Node). A missing tool fails the test with the command that installs it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mdbook-iam"))
}

pub fn example_catalog() -> PathBuf {
    root().join("book-example/iam-catalog.toml")
}

/// A catalog's policy names, read from its `[policies.NAME]` headers (not through the crate's
/// parser, so a test comparing with what the binary answers does not share its reading).
pub fn catalog_policies(catalog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(catalog).unwrap();
    let mut names: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("[policies."))
        .filter_map(|l| l.split(['.', ']']).next())
        .map(String::from)
        .collect();
    names.dedup();
    names
}

/// Runs the binary with `args` in `dir`, feeding `stdin`.
pub fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mdbook-iam");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for mdbook-iam")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The pinned mdBook: `$MDBOOK`, else `.tools/bin/mdbook` (where `scripts/test` installs it),
/// else `mdbook` on PATH; it must be 0.5.x.
pub fn mdbook() -> PathBuf {
    let candidates = [
        std::env::var_os("MDBOOK").map(PathBuf::from),
        Some(root().join(".tools/bin/mdbook")),
        Some(PathBuf::from("mdbook")),
    ];
    for c in candidates.into_iter().flatten() {
        if let Ok(out) = Command::new(&c).arg("--version").output() {
            let v = String::from_utf8_lossy(&out.stdout);
            if out.status.success() && v.contains(" v0.5.") {
                return c;
            }
        }
    }
    panic!(
        "mdBook 0.5 not found: run `scripts/test` (it installs the pinned mdBook into .tools/), or `cargo install mdbook --locked --version 0.5.4`"
    );
}

/// The folder with the Node test tools (Prettier, the MDX compiler, Playwright).
pub fn node_tests() -> PathBuf {
    let dir = root().join("node-tests");
    assert!(
        dir.join("node_modules/prettier").is_dir(),
        "node-tests/node_modules is missing: run `npm ci --prefix node-tests` (scripts/test does)"
    );
    dir
}

/// Runs a Node script from node-tests with `args`; returns its output.
pub fn node(script: &str, args: &[&Path]) -> Output {
    let dir = node_tests();
    Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .output()
        .expect("run node")
}

/// Runs a Node checker from node-tests (`prettier-check.mjs`, `mdx-compile.mjs`) on files and
/// fails the test with its report unless every file passes.
pub fn assert_node_check(script: &str, files: &[&Path]) {
    let o = node(script, files);
    assert!(
        o.status.success(),
        "{script} failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// Builds `guide/` with the pinned mdBook and this binary as its preprocessor into `dest`.
pub fn build_guide(dest: &Path) -> Output {
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    Command::new(mdbook())
        .arg("build")
        .arg("--dest-dir")
        .arg(dest)
        .current_dir(root().join("guide"))
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mdbook")
}

/// The pages of AWS's IAM User Guide (`../shared/corpus/iam-user-guide/doc_source`), or `None`
/// with one line on stderr where the corpus is absent (a user's clone).
pub fn iam_user_guide() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/iam-user-guide/doc_source");
    if dir.is_dir() {
        return Some(dir);
    }
    // Straight to stderr: the test harness captures the output of passing tests.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is absent (the shared corpora beside the repository)",
        dir.display()
    );
    None
}
pub mod lsp_client;
