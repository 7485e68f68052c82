//! Access summaries (`mdbook-iam access`, `iam-access-summary`): each example policy and role of
//! the example book over every action of AWS's data (target: under 20 ms each), then how the
//! cost grows with the number of statements and of condition keys, on generated policies.
//! The universe of actions is built before timing (once per process, as a build does).
//! `cargo bench --bench access`.

use mdbook_iam::access::command::{catalog_subject, principal_for, summarize_built};
use mdbook_iam::access::universe::Universe;
use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::{SourceFile, Span, Spanned};
use mdbook_iam::validate::Validator;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

/// The best of `runs` runs, in seconds.
fn best(runs: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn policy(text: &str) -> Policy {
    let f = SourceFile::new("p.json", text);
    Policy::read(&mdbook_iam::json::parse(&f).unwrap(), PolicyKind::Identity).value
}

/// `n` statements, each on its own service's actions and resources.
fn statements(n: usize) -> String {
    const SERVICES: [(&str, &str); 8] = [
        ("s3", "arn:aws:s3:::bucket-{i}/*"),
        ("ec2", "arn:aws:ec2:*:111122223333:instance/i-{i}*"),
        ("dynamodb", "arn:aws:dynamodb:*:111122223333:table/t{i}"),
        ("sqs", "arn:aws:sqs:*:111122223333:q{i}"),
        ("sns", "arn:aws:sns:*:111122223333:topic{i}"),
        ("lambda", "arn:aws:lambda:*:111122223333:function:f{i}"),
        ("logs", "arn:aws:logs:*:111122223333:log-group:g{i}:*"),
        ("kms", "arn:aws:kms:*:111122223333:key/k{i}"),
    ];
    let s: Vec<String> = (0..n)
        .map(|i| {
            let (svc, arn) = SERVICES[i % SERVICES.len()];
            let effect = if i % 5 == 4 { "Deny" } else { "Allow" };
            format!(
                r#"{{"Effect": "{effect}", "Action": ["{svc}:Get*", "{svc}:List*", "{svc}:Describe*"], "Resource": "{}"}}"#,
                arn.replace("{i}", &i.to_string())
            )
        })
        .collect();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        s.join(", ")
    )
}

/// One statement comparing `k` keys, each with two values.
fn keys(k: usize) -> String {
    const KEYS: [&str; 8] = [
        "aws:SourceVpc",
        "aws:RequestedRegion",
        "aws:PrincipalTag/team",
        "aws:SourceVpce",
        "aws:PrincipalOrgID",
        "aws:userid",
        "aws:SourceAccount",
        "aws:CalledViaFirst",
    ];
    let c: Vec<String> = KEYS[..k]
        .iter()
        .map(|key| format!(r#""{key}": ["a-{key}", "b-{key}"]"#))
        .collect();
    let cond = if k == 0 {
        String::new()
    } else {
        format!(r#", "Condition": {{"StringEquals": {{{}}}}}"#, c.join(", "))
    };
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"{cond}}}]}}"#
    )
}

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
    let loaded = Catalog::load(&path, path.parent().unwrap());
    assert!(!loaded.has_errors(), "the example catalog has errors");
    let catalog = loaded.catalog;
    let aws = AwsData::embedded();
    let t = Instant::now();
    let u = Universe::of(aws);
    println!(
        "universe: {} actions, built in {:.1} ms (once per process)",
        u.actions.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let validator = Validator::with_aws_data(&catalog, aws);
    let names: Vec<(&str, bool)> = catalog
        .policies
        .iter()
        .map(|p| (p.name.value.as_str(), false))
        .chain(catalog.roles.iter().map(|r| (r.name.value.as_str(), true)))
        .collect();
    let mut worst = 0.0f64;
    for (name, is_role) in names {
        let word = Spanned::new(name.to_string(), Span::generated());
        let built = catalog_subject(&catalog, &validator, &word, &[], is_role).unwrap();
        let role = is_role.then(|| catalog.role(name).unwrap().role_name.as_str());
        let principal = principal_for(&catalog, &built, role);
        let s = summarize_built(name, &built, &principal, aws).unwrap();
        let took = best(10, || {
            black_box(summarize_built(name, &built, &principal, aws).unwrap());
        });
        worst = worst.max(took);
        println!(
            "access summary of {} `{name}`: {:.2} ms ({} allowed actions); target < 20 ms",
            if is_role { "role" } else { "policy" },
            took * 1e3,
            s.rows.len()
        );
    }
    println!("slowest example: {:.2} ms", worst * 1e3);

    for n in [1, 2, 4, 8, 16, 32, 64] {
        let pol = policy(&statements(n));
        let built = vec![("p".to_string(), pol, PolicyKind::Identity)];
        let principal = principal_for(&catalog, &built, None);
        let took = best(5, || {
            black_box(summarize_built("p", &built, &principal, aws).unwrap());
        });
        println!(
            "{n:>2} statements (3 action patterns and 1 ARN each): {:.2} ms",
            took * 1e3
        );
    }
    for k in 0..=8 {
        let pol = policy(&keys(k));
        let built = vec![("p".to_string(), pol, PolicyKind::Identity)];
        let principal = principal_for(&catalog, &built, None);
        match summarize_built("p", &built, &principal, aws) {
            Ok(_) => {
                let took = best(5, || {
                    black_box(summarize_built("p", &built, &principal, aws).unwrap());
                });
                println!(
                    "{k} condition keys (2 values each, {} contexts): {:.2} ms",
                    4usize.pow(k as u32),
                    took * 1e3
                );
            }
            Err(e) => println!("{k} condition keys: not summarized: {e}"),
        }
    }
}
