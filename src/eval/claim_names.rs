//! The names a claim or a simulated request is about, checked as a policy's are: an action that
//! AWS's data does not define (with "did you mean"), one that was retired (the catalog's
//! `[deprecations]`, the defaults such as `aws-mcp:*`, and the names AWS's data used to list),
//! an action pattern that matches nothing, an unknown condition key, a malformed ARN. A claim
//! about a name IAM does not know is about nothing: the evaluator would only ever deny it, so
//! "`s3-readonly` denies `s3:PutObjects`" would be published as proven.
//!
//! Each check takes one word and returns the validator's first error for it (its code, message
//! and help), so that every caller (claims of any grammar, `simulate`'s flags and documents)
//! reports a name the same way a policy that names it is reported. Warnings (a retired name IAM
//! Access Analyzer still accepts) and notes (a documentation placeholder) are not problems here:
//! IAM accepts the name.

use super::claim::{Claim, Refutation};
use crate::aws_data::AwsData;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding, Severity};
use crate::policy::{PolicyKind, Statement};
use crate::source::{SourceFile, Span, Spanned};
use crate::validate::Validator;
use std::ops::Range;

/// Why a name is not one IAM knows: the validator's code, message and help for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    /// A stable code (`invalid-action`, `deprecated-action`, `invalid-arn`, ...).
    pub code: Code,
    pub message: String,
    /// "did you mean `s3:PutObject`?", or what replaced a retired name.
    pub help: Option<String>,
}

impl NameProblem {
    /// The problem as a finding: at `span`, or without a place (a value given on the command
    /// line) when `span` is `None`.
    pub fn finding(&self, span: Option<&Span>) -> Finding {
        let f = Finding::new(self.code, self.message.clone(), span.cloned());
        match &self.help {
            Some(h) => f.with_help(h.clone()),
            None => f,
        }
    }

    /// The same problem with `prefix` before its message (`--action: ...`).
    pub fn prefixed(self, prefix: &str) -> NameProblem {
        NameProblem {
            message: format!("{prefix}{}", self.message),
            ..self
        }
    }
}

/// The word in a text of its own, so the validator's findings have somewhere to point (the
/// place is dropped: callers know where the word stands).
fn spanned(word: &str) -> Spanned<String> {
    let file = SourceFile::new("<name>", word);
    Spanned::new(word.to_string(), Span::new(&file, 0..word.len()))
}

/// The first error among the validator's findings, as a problem.
fn first_error(findings: Vec<Finding>) -> Result<(), NameProblem> {
    match findings.into_iter().find(|f| f.severity == Severity::Error) {
        Some(f) => Err(NameProblem {
            code: f.code,
            message: f.message,
            help: f.help,
        }),
        None => Ok(()),
    }
}

/// Runs `check` with a validator over the catalog, or over an empty one (the default
/// deprecations still apply) when there is none.
fn with_validator<T>(
    aws: &AwsData,
    catalog: Option<&Catalog>,
    check: impl FnOnce(&Validator<'_>) -> T,
) -> T {
    let empty;
    let catalog = match catalog {
        Some(c) => c,
        None => {
            empty = Catalog::default();
            &empty
        }
    };
    check(&Validator::with_aws_data(catalog, aws))
}

/// An action (`s3:GetObject`), an action pattern (`s3:Get*`, which must match at least one
/// action) or `*`: its form, its retirement, and that AWS's data defines it. Catalog
/// placeholders are replaced by their examples first.
pub fn check_action(
    word: &str,
    aws: &AwsData,
    catalog: Option<&Catalog>,
) -> Result<(), NameProblem> {
    with_validator(aws, catalog, |v| {
        let mut out = Vec::new();
        v.action(&spanned(&v.substitute(word)), &mut out);
        first_error(out)
    })
}

/// A condition key: a global, service, tag or identity-provider key, or one the catalog
/// documents; retired keys are problems too.
pub fn check_condition_key(
    word: &str,
    aws: &AwsData,
    catalog: Option<&Catalog>,
) -> Result<(), NameProblem> {
    with_validator(aws, catalog, |v| {
        let mut out = Vec::new();
        v.condition_key(&spanned(word), &mut out);
        first_error(out)
    })
}

/// A resource: `*`, or an ARN with six fields whose partition, service, Region and account are
/// well-formed (the checks a policy's `Resource` gets, without the match against actions).
/// Catalog placeholders stand for their examples.
pub fn check_resource(
    word: &str,
    aws: &AwsData,
    catalog: Option<&Catalog>,
) -> Result<(), NameProblem> {
    if word == "*" {
        return Ok(());
    }
    with_validator(aws, catalog, |v| {
        // A Deny statement of every action on the word: the checks that read the ARN alone, and
        // none of the advice about broad grants.
        let json = serde_json::json!({"Effect": "Deny", "Action": "*", "Resource": word});
        let file = SourceFile::new("<name>", json.to_string());
        let Ok(doc) = crate::json::parse(&file) else {
            return Ok(());
        };
        let read = Statement::read(&doc, PolicyKind::Identity);
        let Some(s) = read.value.as_ref() else {
            return Ok(());
        };
        let mut out = Vec::new();
        v.statement(s, &mut out);
        first_error(out)
    })
}

/// Checks every name a claim states (its action, resource and condition keys) against AWS's
/// data and the catalog: the first problem, at its word.
pub fn check_claim(claim: &Claim, catalog: &Catalog, aws: &AwsData) -> Result<(), Refutation> {
    let at = |r: Result<(), NameProblem>, range: &Range<usize>| {
        r.map_err(|problem| Refutation::Name {
            problem,
            range: range.clone(),
        })
    };
    if let Some(a) = &claim.action {
        at(check_action(&a.text, aws, Some(catalog)), &a.range)?;
    }
    if let Some(
        super::claim::Quantified::AllowsOnly(words) | super::claim::Quantified::DeniesEvery(words),
    ) = &claim.quantified
    {
        for a in words.iter().filter(|a| a.text != "*") {
            at(check_action(&a.text, aws, Some(catalog)), &a.range)?;
        }
    }
    if let Some(r) = &claim.resource {
        at(check_resource(&r.text, aws, Some(catalog)), &r.range)?;
    }
    for c in &claim.conditions {
        at(
            check_condition_key(&c.key.text, aws, Some(catalog)),
            &c.key.range,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws() -> &'static AwsData {
        AwsData::embedded()
    }

    fn action(w: &str) -> Result<(), NameProblem> {
        check_action(w, aws(), None)
    }

    #[test]
    fn actions_aws_defines_pass_in_any_case() {
        for w in [
            "s3:GetObject",
            "s3:getobject",
            "s3:Get*",
            "s3:*",
            "*",
            "iam:PassRole",
        ] {
            assert_eq!(action(w), Ok(()), "{w}");
        }
    }

    #[test]
    fn a_misspelled_action_is_unknown_with_a_suggestion() {
        let p = action("s3:PutObjects").unwrap_err();
        assert_eq!(p.code, Code::InvalidAction);
        assert!(p.message.contains("`PutObjects`"), "{}", p.message);
        assert_eq!(p.help.as_deref(), Some("did you mean `s3:PutObject`?"));
        let p = action("s4:GetObject").unwrap_err();
        assert_eq!(p.code, Code::InvalidService);
        assert_eq!(
            action("s3GetObject").unwrap_err().code,
            Code::InvalidActionFormat
        );
        assert_eq!(action("s3*:Get").unwrap_err().code, Code::WildcardInService);
    }

    #[test]
    fn a_pattern_must_match_an_action() {
        let p = action("s3:Fly*").unwrap_err();
        assert_eq!(p.code, Code::InvalidAction);
        assert!(p.message.contains("matches no action"), "{}", p.message);
    }

    #[test]
    fn retired_actions_say_when() {
        // The default deprecations: the AWS MCP Server's own actions, retired on 2026-03-24.
        let p = action("aws-mcp:InvokeMcp").unwrap_err();
        assert_eq!(p.code, Code::DeprecatedAction);
        assert!(p.message.contains("retired on 2026-03-24"), "{}", p.message);
        assert!(p.help.unwrap().contains("aws:ViaAWSMCPService"));
        // AWS's data used to list Elastic Inference; Access Analyzer rejects its actions.
        let p = action("elastic-inference:Connect").unwrap_err();
        assert_eq!(p.code, Code::RetiredService, "{}", p.message);
        // A retired name IAM Access Analyzer still accepts is a warning, not a problem.
        assert_eq!(action("iot1click:ListDevices"), Ok(()));
    }

    #[test]
    fn the_catalogs_deprecations_and_placeholders_count() {
        let loaded = Catalog::from_text(
            "c.toml",
            "[deprecations.\"s3:GetObjectTorrent\"]\nsince = 2026-01-01\nhint = \"use GetObject\"\n\n\
             [placeholders.\"<ACCOUNT>\"]\nexample = \"123456789012\"\n",
        );
        assert!(!loaded.has_errors(), "{:?}", loaded.findings);
        let c = &loaded.catalog;
        let p = check_action("s3:GetObjectTorrent", aws(), Some(c)).unwrap_err();
        assert_eq!(p.code, Code::DeprecatedAction);
        assert_eq!(p.help.as_deref(), Some("use GetObject"));
        assert_eq!(check_action("s3:GetObjectTorrent", aws(), None), Ok(()));
        assert_eq!(
            check_resource("arn:aws:iam::<ACCOUNT>:role/R", aws(), Some(c)),
            Ok(())
        );
    }

    #[test]
    fn condition_keys_must_exist() {
        let key = |w: &str| check_condition_key(w, aws(), None);
        assert_eq!(key("aws:ViaAWSMCPService"), Ok(()));
        assert_eq!(key("aws:CalledViaAWSMCP"), Ok(()));
        assert_eq!(key("s3:prefix"), Ok(()));
        assert_eq!(key("aws:RequestTag/team"), Ok(()));
        let p = key("aws:ViaAWSMCPServise").unwrap_err();
        assert_eq!(p.code, Code::InvalidGlobalConditionKey);
        assert_eq!(
            p.help.as_deref(),
            Some("did you mean `aws:ViaAWSMCPService`?")
        );
        assert_eq!(
            key("s3:prefx").unwrap_err().code,
            Code::InvalidServiceConditionKey
        );
        assert_eq!(
            key("SourceIp").unwrap_err().code,
            Code::InvalidConditionKeyFormat
        );
    }

    #[test]
    fn resources_are_checked_as_arns() {
        let arn = |w: &str| check_resource(w, aws(), None);
        assert_eq!(arn("*"), Ok(()));
        assert_eq!(arn("arn:aws:s3:::amzn-s3-demo-bucket/report.csv"), Ok(()));
        assert_eq!(arn("arn:aws:iam::111122223333:role/Example"), Ok(()));
        assert_eq!(arn("arn:aws:s3:::*/AWSLogs/*"), Ok(()));
        assert_eq!(arn("bucket/key").unwrap_err().code, Code::InvalidArn);
        assert_eq!(
            arn("arn:aws:s3").unwrap_err().code,
            Code::InvalidArn,
            "missing fields"
        );
        assert_eq!(
            arn("arn:amazon:s3:::b").unwrap_err().code,
            Code::InvalidArnPartition
        );
        assert_eq!(
            arn("arn:aws:iam::1234:role/R").unwrap_err().code,
            Code::InvalidArnAccount
        );
        assert_eq!(
            arn("arn:aws:iam:us-east-1:111122223333:role/R")
                .unwrap_err()
                .code,
            Code::ArnRegionNotAllowed
        );
    }

    fn example_catalog() -> Catalog {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
        let loaded = Catalog::load(&path, path.parent().unwrap());
        assert!(!loaded.has_errors());
        loaded.catalog
    }

    /// The word of the claim a problem stands at, and the problem's code.
    fn claim_problem(text: &str) -> Option<(String, Code)> {
        let c = Claim::parse(text).unwrap();
        match super::super::claim::prove(&c, &example_catalog(), aws()) {
            Err(Refutation::Name { problem, range }) => {
                Some((text[range].to_string(), problem.code))
            }
            _ => None,
        }
    }

    #[test]
    fn a_claim_about_an_unknown_name_is_not_proven() {
        assert_eq!(
            claim_problem("s3-readonly denies s3:PutObjects"),
            Some(("s3:PutObjects".into(), Code::InvalidAction))
        );
        assert_eq!(
            claim_problem("s3-readonly denies `aws-mcp:InvokeMcp`"),
            Some(("`aws-mcp:InvokeMcp`".into(), Code::DeprecatedAction))
        );
        assert_eq!(
            claim_problem("s3-readonly denies s3:GetObject on bucket/key"),
            Some(("bucket/key".into(), Code::InvalidArn))
        );
        assert_eq!(
            claim_problem("s3-readonly allows s3:GetObject when aws:ViaAWSMCPServise is true"),
            Some((
                "aws:ViaAWSMCPServise".into(),
                Code::InvalidGlobalConditionKey
            ))
        );
        // Statement claims too.
        assert_eq!(
            claim_problem("DenyDirectAPIAccess applies s3:PutObjects"),
            Some(("s3:PutObjects".into(), Code::InvalidAction))
        );
        assert_eq!(
            claim_problem("DenyDirectAPIAccess applies when aws:ViaAWSMCPServise is absent"),
            Some((
                "aws:ViaAWSMCPServise".into(),
                Code::InvalidGlobalConditionKey
            ))
        );
        // Known names are proven as before.
        assert_eq!(claim_problem("s3-readonly denies s3:PutObject"), None);
    }

    #[test]
    fn a_problem_becomes_a_finding_with_or_without_a_place() {
        let p = action("s3:PutObjects").unwrap_err();
        let f = p.clone().prefixed("--action: ").finding(None);
        assert_eq!(f.code, Code::InvalidAction);
        assert!(f.span.is_none());
        assert!(f.message.starts_with("--action: "), "{}", f.message);
        assert_eq!(f.help, p.help);
    }
}
