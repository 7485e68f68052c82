//! `diff`'s speed: the example book's catalog against a copy that grants `s3:PutObjectAcl` in
//! `s3-readonly` (target under 100 ms: the cost of a pull request's check), the seed's before
//! and after catalogs, and for scale a policy that grants `*` against one that grants nothing
//! (every action of AWS's data is gained, each with a witness decided on both sides).
//! Catalogs are read before timing; the AWS data and its action list are loaded first.
//! `cargo bench --bench diff`.

use mdbook_iam::access::Universe;
use mdbook_iam::access::diff::{diff_built, diff_catalogs, principal_for};
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

/// The best of five runs of `n` iterations, per iteration.
fn best_per_iteration(n: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() / f64::from(n));
    }
    best
}

fn catalog(name: &str, text: &str) -> Catalog {
    let loaded = Catalog::from_text(name, text);
    assert!(!loaded.has_errors(), "{name} has errors");
    loaded.catalog
}

fn policy(text: &str) -> Vec<(String, Policy, PolicyKind)> {
    let f = SourceFile::new("p.json", text);
    let p = Policy::read(&mdbook_iam::json::parse(&f).unwrap(), PolicyKind::Identity).value;
    vec![("p".into(), p, PolicyKind::Identity)]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let aws = AwsData::embedded();
    let _ = Universe::of(aws);
    let text = std::fs::read_to_string(root.join("book-example/iam-catalog.toml")).unwrap();
    let changed = text.replace(
        "Action = [\"s3:GetObject\", \"s3:ListBucket\"]",
        "Action = [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObjectAcl\"]",
    );
    assert_ne!(changed, text);
    let (old, new) = (
        catalog("iam-catalog.toml", &text),
        catalog("changed.toml", &changed),
    );
    let entries = diff_catalogs(&old, &new, aws);
    let gained: usize = entries
        .iter()
        .filter_map(|e| e.outcome.as_ref().ok())
        .map(|d| d.gained())
        .sum();
    assert_eq!(gained, 2, "s3-readonly and the role that holds it");
    let t = best_per_iteration(10, || {
        black_box(diff_catalogs(black_box(&old), black_box(&new), aws));
    });
    println!(
        "diff of book-example's catalog against a copy granting s3:PutObjectAcl ({} entries changed, {gained} actions gained): {:.2} ms; target < 100 ms",
        entries.len(),
        t * 1e3
    );

    let same = best_per_iteration(10, || {
        black_box(diff_catalogs(black_box(&old), black_box(&old), aws));
    });
    println!(
        "diff of book-example's catalog against itself (nothing to explore): {:.3} ms",
        same * 1e3
    );

    let before_text =
        std::fs::read_to_string(root.join("tests/fixtures/seed-before.toml")).unwrap();
    let before = catalog("seed-before.toml", &before_text);
    let seed = diff_catalogs(&before, &old, aws);
    let t = best_per_iteration(10, || {
        black_box(diff_catalogs(black_box(&before), black_box(&old), aws));
    });
    println!(
        "diff of the seed's before and after catalogs ({} entries): {:.2} ms",
        seed.len(),
        t * 1e3
    );

    let (none, all) = (
        policy(r#"{"Version":"2012-10-17","Statement":[]}"#),
        policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        ),
    );
    let principal = principal_for("111122223333", "R");
    let d = diff_built(&none, &all, principal.clone(), aws).unwrap();
    let t = best_per_iteration(1, || {
        black_box(diff_built(&none, &all, principal.clone(), aws).unwrap());
    });
    println!(
        "diff of nothing against `Allow * on *` ({} actions gained, each witness decided twice): {:.1} ms",
        d.gained(),
        t * 1e3
    );
}
