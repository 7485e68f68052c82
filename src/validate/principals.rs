//! Principals (trust and resource policies): the format of each value by principal type. Service
//! principals are `name.amazonaws.com`; AWS principals are `*`, an account ID or an IAM or STS
//! ARN without wildcards; federated principals are an identity provider's ARN or one of the
//! web identity providers IAM knows.

use super::Cx;
use crate::diagnostic::{Code, Finding};
use crate::iam::arn::{is_account, parse_arn, partition_ok};
use crate::iam::principal::{PrincipalType, WEB_IDENTITY_PROVIDERS};
use crate::policy::Principal;

pub(super) fn check(cx: &Cx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(p) = &cx.s.principal else { return };
    if p.negated && cx.is_allow() {
        out.push(
            Finding::at(Code::AllowWithNotPrincipal, "`Allow` with `NotPrincipal` grants access to every principal not listed, including anonymous users", &p.span)
                .with_help("name the principals to allow in `Principal` instead"),
        );
    }
    let Principal::Map(entries) = &p.principal else {
        return;
    };
    for (ty, ids) in entries {
        for id in &ids.items {
            let Some(text) = cx.v.principal_value(ty.value, &id.value, &id.span, out) else {
                continue;
            };
            let problem = match ty.value {
                PrincipalType::Service => service(cx.v.aws, &text),
                PrincipalType::Aws => aws(&text),
                PrincipalType::Federated => federated(&text),
                PrincipalType::CanonicalUser => canonical_user(&text),
            };
            if let Some((code, message, help)) = problem {
                let mut f = Finding::at(
                    code,
                    format!(
                        "`{}` is not a valid `{}` principal: {message}",
                        id.value, ty.value
                    ),
                    &id.span,
                )
                .with_help(help);
                if text.contains('<') {
                    f = f.with_note(None, super::UNDECLARED_PLACEHOLDER);
                }
                out.push(f);
            }
        }
    }
}

type Problem = Option<(Code, String, String)>;

fn invalid(message: impl Into<String>, help: impl Into<String>) -> Problem {
    Some((Code::InvalidPrincipal, message.into(), help.into()))
}

/// A `Service` principal: a service principal, without wildcards, of a service AWS's data knows.
fn service(aws: &crate::aws_data::AwsData, s: &str) -> Problem {
    use crate::iam::service_principals::{Form, Known, Problem as P, check};
    match check(&Known::new(aws), s, Form::Any, false) {
        Ok(()) => None,
        Err(P::Format {
            message,
            suggestion,
        }) => {
            let message = if s.contains(['*', '?']) {
                "a service principal cannot contain wildcards".to_string()
            } else {
                message
            };
            Some((
                Code::InvalidServicePrincipal,
                message,
                match suggestion {
                    Some(fix) => format!("did you mean \"{fix}\"?"),
                    None => "write the service's principal, such as \"lambda.amazonaws.com\"".into(),
                },
            ))
        }
        Err(P::Unknown {
            service,
            suggestion,
        }) => Some((
            Code::UnknownServicePrincipal,
            format!("`{service}` names no service in AWS's data"),
            match suggestion {
                Some(fix) => format!("did you mean \"{fix}\"?"),
                None => "check the service's principal in its documentation (it is usually `prefix.amazonaws.com`)".into(),
            },
        )),
    }
}

fn aws(s: &str) -> Problem {
    if s == "*" || is_account(s) {
        return None;
    }
    if !s.starts_with("arn:") {
        return invalid(
            "write `*`, a 12-digit account ID, or an IAM ARN",
            "for example \"123456789012\" or \"arn:aws:iam::123456789012:role/MyRole\"",
        );
    }
    if s.contains(['*', '?']) {
        return invalid(
            "wildcards are not allowed in principal ARNs",
            "name the principal exactly, or use \"*\" with a condition such as `aws:PrincipalArn` (ArnLike)",
        );
    }
    let Ok(arn) = parse_arn(s) else {
        return invalid(
            "the ARN is incomplete",
            "an IAM ARN reads `arn:aws:iam::123456789012:role/MyRole`",
        );
    };
    let resource_ok = match arn.service {
        "iam" => {
            arn.resource == "root"
                || ["user/", "role/", "federated-user/"]
                    .iter()
                    .any(|p| arn.resource.starts_with(p) && arn.resource.len() > p.len())
        }
        "sts" => ["assumed-role/", "federated-user/"]
            .iter()
            .any(|p| arn.resource.starts_with(p) && arn.resource.len() > p.len()),
        _ => false,
    };
    let account_ok =
        is_account(arn.account) || (arn.service == "iam" && arn.account == "cloudfront");
    let example = "for example \"arn:aws:iam::123456789012:root\" or \"arn:aws:iam::123456789012:role/MyRole\"";
    if !resource_ok {
        return invalid(
            "an AWS principal is an account root, user, role, assumed-role session or federated user",
            example,
        );
    }
    arn_fields(&arn, account_ok, example)
}

/// What is wrong with the partition, Region or account of a principal's ARN whose resource part
/// is right, said field by field.
fn arn_fields(arn: &crate::iam::arn::Arn<'_>, account_ok: bool, example: &str) -> Problem {
    if !partition_ok(arn.partition) {
        return invalid(
            format!("`{}` is not an AWS partition", arn.partition),
            example,
        );
    }
    if !arn.region.is_empty() {
        return invalid(
            format!(
                "IAM and STS ARNs of principals have no Region, but this one names `{}`",
                arn.region
            ),
            example,
        );
    }
    if !account_ok {
        let mut help = example.to_string();
        if !arn.account.is_empty() {
            help = format!(
                "write the 12-digit account ID; if `{}` is a documentation placeholder, declare it under [placeholders] in the catalog",
                arn.account
            );
        }
        return invalid(
            format!(
                "the account field `{}` is not a 12-digit account ID",
                arn.account
            ),
            help,
        );
    }
    None
}

fn federated(s: &str) -> Problem {
    if WEB_IDENTITY_PROVIDERS.contains(&s) {
        return None;
    }
    let help = "use the identity provider's ARN, such as \"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"";
    let Ok(arn) = parse_arn(s) else {
        return invalid(
            "a federated principal is an identity provider's ARN or a web identity provider",
            help,
        );
    };
    let ok = arn.service == "iam"
        && ["oidc-provider/", "saml-provider/"]
            .iter()
            .any(|p| arn.resource.starts_with(p) && arn.resource.len() > p.len())
        && !s.contains(['*', '?']);
    if ok {
        arn_fields(&arn, is_account(arn.account), help)
    } else {
        invalid(
            "a federated principal is an `oidc-provider/...` or `saml-provider/...` ARN",
            help,
        )
    }
}

fn canonical_user(s: &str) -> Problem {
    if s.len() == 64 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
        None
    } else {
        invalid(
            "a canonical user ID is 64 hexadecimal digits",
            "copy the ID from the S3 console or `aws s3api list-buckets`",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::iam::principal::is_service_principal;
    use crate::policy::PolicyKind;

    fn trust(principal: &str) -> Vec<&'static str> {
        codes_of(
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
            ),
            PolicyKind::Trust,
        )
    }

    #[test]
    fn service_principals() {
        assert!(
            is_service_principal("ec2.amazonaws.com")
                && is_service_principal("logs.us-east-1.amazonaws.com")
                && is_service_principal("ec2.amazonaws.com.cn")
        );
        assert!(
            !is_service_principal("ec2")
                && !is_service_principal("EC2.amazonaws.com")
                && !is_service_principal("*.amazonaws.com")
                && !is_service_principal(".amazonaws.com")
        );
        assert!(trust(r#"{"Service":"lambda.amazonaws.com"}"#).is_empty());
        assert_eq!(
            trust(r#"{"Service":"lambda"}"#),
            ["invalid-service-principal"]
        );
        assert_eq!(
            trust(r#"{"Service":["ec2.amazonaws.com","*.amazonaws.com"]}"#),
            ["invalid-service-principal"]
        );
    }

    #[test]
    fn service_principals_name_known_services() {
        let f = findings(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-task.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            PolicyKind::Trust,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code.as_str(), "unknown-service-principal");
        assert_eq!(f[0].code.access_analyzer(), Some("INVALID_SERVICE"));
        assert_eq!(
            f[0].help.as_deref(),
            Some("did you mean \"ecs-tasks.amazonaws.com\"?")
        );
        assert_eq!(
            trust(r#"{"Service":"ec2.amazonaw.com"}"#),
            ["invalid-service-principal"]
        );
        assert!(
            trust(r#"{"Service":["logs.us-east-1.amazonaws.com","ec2.amazonaws.com.cn","pods.eks.amazonaws.com","vpc-flow-logs.amazonaws.com"]}"#)
                .is_empty()
        );
    }

    #[test]
    fn aws_principals() {
        assert!(trust(r#"{"AWS":["123456789012","arn:aws:iam::123456789012:root","arn:aws:iam::123456789012:role/a/b","arn:aws:sts::123456789012:assumed-role/r/s","*"]}"#).is_empty());
        assert!(
            trust(r#"{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}"#)
                .is_empty()
        );
        assert_eq!(
            trust(r#"{"AWS":"arn:aws:iam::*:role/x"}"#),
            ["invalid-principal"]
        );
        assert_eq!(
            trust(r#"{"AWS":"arn:aws:iam::123456789012:group/devs"}"#),
            ["invalid-principal"]
        );
        assert_eq!(trust(r#"{"AWS":"alice"}"#), ["invalid-principal"]);
        assert!(trust(r#"{"AWS":"arn:aws:iam::<YOUR_AWS_ACCOUNT_ID>:root"}"#).is_empty());
    }

    #[test]
    fn federated_and_canonical_principals() {
        assert!(trust(r#"{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}"#).is_empty());
        assert!(trust(r#"{"Federated":"cognito-identity.amazonaws.com"}"#).is_empty());
        assert!(
            trust(r#"{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"}"#).is_empty()
        );
        assert_eq!(
            trust(r#"{"Federated":"token.actions.githubusercontent.com"}"#),
            ["invalid-principal"]
        );
        assert!(trust(&format!(r#"{{"CanonicalUser":"{}"}}"#, "a".repeat(64))).is_empty());
        assert_eq!(trust(r#"{"CanonicalUser":"abc"}"#), ["invalid-principal"]);
    }

    #[test]
    fn allow_with_not_principal_is_a_warning() {
        let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert_eq!(
            codes_of(p, PolicyKind::Resource),
            ["allow-with-not-principal"]
        );
        let p = p.replace("\"Allow\"", "\"Deny\"");
        assert!(codes_of(&p, PolicyKind::Resource).is_empty());
    }
}
