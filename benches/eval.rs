//! The evaluator's speed: one request against a catalog policy (the example book's
//! `s3-readonly`, with its guardrail; target under 5 µs), and a truth table over three keys.
//! Policies are built once, outside the timed part, as a build would do; the AWS data is loaded
//! before timing. `cargo bench --bench eval`.

use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::eval::truth_table::{Subject, truth_table};
use mdbook_iam::eval::{Decision, NamedPolicy, PolicySet, Principal, Request, evaluate};
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

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
    let loaded = Catalog::load(&path, path.parent().unwrap());
    assert!(!loaded.has_errors(), "the example catalog has errors");
    let catalog = loaded.catalog;
    let aws = AwsData::embedded();
    let (policy, _) = catalog.build_policy(catalog.policy("s3-readonly").unwrap(), &[]);
    let set = PolicySet::identity([NamedPolicy::new("s3-readonly", &policy)]);
    let principal =
        Principal::parse("arn:aws:sts::123456789012:assumed-role/McpProxyS3ReadOnlyRole/s")
            .unwrap();
    let via = Request::new(principal.clone(), "s3:GetObject")
        .on("arn:aws:s3:::amzn-s3-demo-bucket/report.csv")
        .with_context("aws:CalledViaAWSMCP", "aws-mcp.amazonaws.com")
        .with_context("aws:ViaAWSMCPService", "true");
    let direct = Request::new(principal, "s3:PutObject").on("arn:aws:s3:::amzn-s3-demo-bucket/x");
    assert_eq!(evaluate(&via, &set, aws).decision, Decision::Allowed);
    assert_eq!(
        evaluate(&direct, &set, aws).decision,
        Decision::ExplicitlyDenied
    );

    let allowed = best_per_iteration(100_000, || {
        black_box(evaluate(black_box(&via), &set, aws));
    });
    let denied = best_per_iteration(100_000, || {
        black_box(evaluate(black_box(&direct), &set, aws));
    });
    println!(
        "one request against s3-readonly: {:.2} µs (allowed, via MCP), {:.2} µs (explicitly denied, direct call); target < 5 µs",
        allowed * 1e6,
        denied * 1e6
    );

    let keys = [
        "aws:CalledViaAWSMCP",
        "aws:ViaAWSMCPService",
        "aws:SecureTransport",
    ];
    let table = truth_table(&Subject::Policies(&set), &via, &keys, aws);
    let per_table = best_per_iteration(2_000, || {
        black_box(truth_table(
            &Subject::Policies(&set),
            black_box(&via),
            &keys,
            aws,
        ));
    });
    println!(
        "truth table over three keys ({} rows, {} condition columns): {:.1} µs",
        table.rows.len(),
        table.conditions.len(),
        per_table * 1e6
    );
}
