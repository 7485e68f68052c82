//! `mdbook-iam check` on a real docs tree nobody here wrote: AWS's IAM User Guide (402 pages, 304
//! pasted policies), from `../shared/corpus/iam-user-guide/` beside the repository. Prints the
//! median wall time of the command a user runs (one process, no catalog, JSON output) over 15
//! runs, then the same on a tree ten times larger made by copying the guide into ten folders, and
//! the ratio of the two (linear in pages: at most 10x).
//!
//! `cargo bench --bench check`. Without the corpus it says so in one line and exits 0.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn median_run(tree: &Path) -> (Duration, String) {
    let bin = env!("CARGO_BIN_EXE_mdbook-iam");
    let mut times = Vec::with_capacity(RUNS);
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new(bin)
            .args(["check", "--format", "json"])
            .arg(tree)
            .output()
            .expect("run mdbook-iam");
        times.push(t.elapsed());
        // Findings exit 1; anything else is a failed run.
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        summary = String::from_utf8_lossy(&out.stderr).trim().to_string();
    }
    times.sort();
    (times[RUNS / 2], summary)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read the corpus") {
        let entry = entry.expect("a corpus entry");
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a page");
        }
    }
}

fn main() {
    let guide = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/iam-user-guide/doc_source");
    if !guide.is_dir() {
        println!(
            "skipped: {} is not here (the corpus lies beside the repository in the project's CI)",
            guide.display()
        );
        return;
    }
    let (one, summary) = median_run(&guide);
    println!("check of AWS's IAM User Guide (402 pages): median {one:.2?} over {RUNS} runs");
    println!("  {summary}");
    let dir = tempfile::tempdir().expect("a temporary folder");
    for i in 0..10 {
        copy_tree(&guide, &dir.path().join(format!("copy{i}")));
    }
    let (ten, summary) = median_run(dir.path());
    println!("check of ten copies (4,020 pages): median {ten:.2?} over {RUNS} runs");
    println!("  {summary}");
    println!(
        "ratio: {:.2}x for 10x the pages (linear: at most 10x)",
        ten.as_secs_f64() / one.as_secs_f64()
    );
}
