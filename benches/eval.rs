//! The evaluator's speed: one request against a catalog policy (the example book's
//! `s3-readonly`, with its guardrail; target under 5 µs), a truth table over three keys, and
//! every claim the example book makes (its catalog's `claims` and its pages' `iam-claim`s),
//! against the time of a whole `mdbook build` of it (target: under 5% of it).
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

    // Quantified claims: each explores every action of AWS's data.
    for text in [
        "s3-readonly allows only s3:GetObject, s3:ListBucket",
        "s3-readonly grants no Write or Permissions management access",
        "s3-readonly denies every action when aws:ViaAWSMCPService is absent",
        "mcp-default allows nothing but sts:GetCallerIdentity",
    ] {
        let c = mdbook_iam::eval::claim::Claim::parse(text).expect("reads");
        assert!(
            mdbook_iam::eval::claim::prove(&c, &catalog, aws).is_ok(),
            "{text}"
        );
        let t = best_per_iteration(50, || {
            black_box(mdbook_iam::eval::claim::prove(&c, &catalog, aws).is_ok());
        });
        println!(
            "quantified claim `{text}`: {:.2} ms over {} actions; target < 20 ms",
            t * 1e3,
            mdbook_iam::access::Universe::of(aws).actions.len()
        );
    }
    growth(aws);

    // Every claim of book-example: the catalog's, proven as every run proves them, and each
    // `iam-claim` of its pages, proven the way a build expands it.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book-example");
    let mut page_claims = Vec::new();
    for e in std::fs::read_dir(root.join("src"))
        .expect("book-example/src")
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<<#iam-claim ") {
            let after = &rest[at + "<<#iam-claim ".len()..];
            let end = after.find(">>").expect("closed");
            page_claims.push(
                after[..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            rest = &after[end..];
        }
    }
    let claims: Vec<mdbook_iam::eval::claim::Claim> = page_claims
        .iter()
        .map(|c| mdbook_iam::eval::claim::Claim::parse(c).expect("a page claim reads"))
        .collect();
    let catalog_count: usize = catalog
        .policies
        .iter()
        .map(|p| p.claims.len())
        .sum::<usize>()
        + catalog.roles.iter().map(|r| r.claims.len()).sum::<usize>()
        + catalog
            .statements
            .iter()
            .map(|s| s.claims.len())
            .sum::<usize>();
    let all_claims = best_per_iteration(200, || {
        black_box(mdbook_iam::eval::findings::catalog_claims(&catalog, aws));
        for c in &claims {
            black_box(mdbook_iam::eval::claim::prove(c, &catalog, aws).is_ok());
        }
    });
    let build = mdbook_build(&root);
    match build {
        Some(b) => println!(
            "all claims of book-example ({catalog_count} in the catalog, {} in pages): {:.1} µs, {:.3}% of an mdbook build of it ({:.0} ms); target < 5%",
            claims.len(),
            all_claims * 1e6,
            all_claims / b * 100.0,
            b * 1e3
        ),
        None => println!(
            "all claims of book-example ({catalog_count} in the catalog, {} in pages): {:.1} µs (no mdBook to time a build against: run scripts/test once)",
            claims.len(),
            all_claims * 1e6
        ),
    }
}

/// How a quantified claim's cost grows: with statements that cover different actions (one
/// group of actions each: linear), and with condition keys on statements that cover the same
/// actions (the cases multiply: exponential, cut off at the limit and then reported, never
/// proven).
fn growth(aws: &AwsData) {
    let services = [
        "s3", "ec2", "iam", "kms", "sqs", "sns", "lambda", "dynamodb", "rds", "ecr",
    ];
    for (label, shared) in [
        ("statements on different services", false),
        ("statements on the same actions", true),
    ] {
        let mut line = Vec::new();
        for n in [1usize, 2, 4, 8, 9, 10] {
            let mut toml = String::from("[policies.p]\n");
            for (i, service) in services.iter().enumerate().take(n) {
                let action = if shared {
                    "s3:Get*".to_string()
                } else {
                    format!("{service}:*")
                };
                toml.push_str(&format!(
                    "\n[[policies.p.statements]]\nEffect = \"Allow\"\nAction = \"{action}\"\nResource = \"*\"\nCondition = {{ StringEquals = {{ \"aws:PrincipalTag/k{i}\" = \"v\" }} }}\n"
                ));
            }
            let loaded = Catalog::from_text("iam-catalog.toml", &toml);
            assert!(!loaded.has_errors());
            // A claim that holds, so the whole space is explored.
            let text = if shared {
                "p allows only s3:Get*".to_string()
            } else {
                format!(
                    "p allows only {}",
                    services.map(|s| format!("{s}:*")).join(", ")
                )
            };
            let c = mdbook_iam::eval::claim::Claim::parse(&text).unwrap();
            let start = Instant::now();
            let r = mdbook_iam::eval::claim::prove(&c, &loaded.catalog, aws);
            let ms = start.elapsed().as_secs_f64() * 1e3;
            let verdict = match r {
                Ok(_) => "proven",
                Err(mdbook_iam::eval::claim::Refutation::Counterexample(c)) => {
                    panic!("{text}: refuted by {:?}", c.request)
                }
                Err(mdbook_iam::eval::claim::Refutation::Invalid { message, .. }) => {
                    if !message.contains("past the limit") {
                        panic!("{text}: {message}")
                    }
                    "past the limit: reported, not proven"
                }
                Err(other) => panic!("{text}: {other:?}"),
            };
            line.push(format!("{n}: {ms:.1} ms ({verdict})"));
        }
        println!(
            "quantified claim, {label} (one condition key each): {}",
            line.join(", ")
        );
    }
}

/// The best of three `mdbook build`s of a copy of the book, in seconds (None without mdBook).
fn mdbook_build(book: &std::path::Path) -> Option<f64> {
    let mdbook = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/mdbook");
    if !mdbook.is_file() {
        return None;
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-iam"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .ok()?;
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("book");
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let ok = std::process::Command::new(&mdbook)
            .args(["build", "--dest-dir"])
            .arg(&out)
            .current_dir(book)
            .env("PATH", &path)
            .output()
            .ok()?
            .status
            .success();
        assert!(ok, "mdbook build of book-example failed");
        best = best.min(t.elapsed().as_secs_f64());
    }
    Some(best)
}
