//! Resources: the ARN's shape and fields (partition, service, region, account), then a match
//! against the resource types of the statement's actions. AWS's resource-type data is known to
//! be incomplete, so a resource no action applies to is a warning, never an error; field errors
//! are reported only where every ARN pattern AWS lists for the service agrees.

use super::{Cx, UNDECLARED_PLACEHOLDER, variables};
use crate::aws_data::{Action, Service};
use crate::diagnostic::{Code, Finding};
use crate::iam::arn::{Arn, ArnError, PARTITIONS, is_account, is_region, parse_arn, partition_ok};
use crate::iam::variables::has_wildcard;
use crate::iam::wildcard::matches as wildcard_match;
use crate::source::Spanned;

/// Whether a field holds a wildcard or a variable, so that it stands for values we cannot check.
fn open(field: &str) -> bool {
    field.contains(['*', '?']) || field.contains("${")
}

fn looks_like_placeholder(s: &str) -> bool {
    s.contains('<')
        || s.contains('{')
        || s.chars().any(|c| c.is_ascii_uppercase() && s.contains('_'))
}

pub(super) fn check(cx: &Cx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(targets) = &cx.s.resource else {
        return;
    };
    let known = if targets.negated {
        None
    } else {
        cx.known.as_deref()
    };
    let literals: Vec<_> = cx
        .actions
        .iter()
        .filter_map(|r| match r {
            super::ActionMatch::Actions {
                service,
                actions,
                pattern: None,
            } => Some((*service, actions[0])),
            _ => None,
        })
        .collect();
    let mut types = known.map(|k| ResourceTypes::with_literals(k, &literals));
    let mut matched_any = false;
    for item in &targets.list.items {
        let text = cx.v.substitute(&item.value);
        if text == "*" {
            matched_any = true;
            continue;
        }
        // An API Gateway resource policy may name the API it is attached to as `execute-api:/`
        // and a path (`execute-api:/*`, `execute-api:/prod/GET/pets`), which API Gateway expands
        // to the API's full ARN (API Gateway Developer Guide, "API Gateway resource policy
        // examples"): it is checked as that ARN, with the API's Region, account and ID open.
        let text = match text.strip_prefix("execute-api:/") {
            Some(path) => std::borrow::Cow::Owned(format!("arn:aws:execute-api:*:*:*/{path}")),
            None => text,
        };
        // A placeholder for the whole resource (`<bucket-arn>`, `<GetAtt:Bucket.Arn>`) stands
        // for any resource; in an ARN, each placeholder field is checked as a valid example.
        if cx.v.whole_placeholder(&text, &item.span, out) {
            matched_any = true;
            continue;
        }
        let (text, any_type) = cx.v.fill_resource(text, &item.span, out);
        variables::check(cx, &text, &item.span, None, out);
        let arn = match parse_arn(&text) {
            Ok(arn) => arn,
            Err(e) => {
                out.push(arn_error(&item.value, e, item));
                continue;
            }
        };
        if !fields(cx, &arn, item, out) {
            continue;
        }
        out.extend(super::retired::arn_service(cx.v.aws, arn.service, item));
        if any_type {
            matched_any = true;
            continue;
        }
        // A statement whose actions all take only "*" is judged per action (below), where a
        // service-wide ARN is accepted too.
        let Some(types) = types.as_mut().filter(|t| !t.all_wildcard_only) else {
            continue;
        };
        if types.record(&text) {
            matched_any = true;
        } else {
            out.push(mismatch(cx, &item.value, types, item));
        }
    }
    if let Some(types) = &types {
        unused_actions(cx, types, matched_any, out);
    }
    redundant(&targets.list.items, cx, out);
}

fn arn_error(text: &str, e: ArnError, item: &Spanned<String>) -> Finding {
    match e {
        ArnError::NoPrefix => Finding::at(Code::InvalidArn, format!("`{text}` is neither `*` nor an ARN"), &item.span).with_help("write `arn:partition:service:region:account:resource`, for example `arn:aws:s3:::my-bucket/*`"),
        ArnError::MissingField(field) => {
            let (message, help) = crate::iam::arn::missing_field_message(text, field);
            Finding::at(Code::InvalidArn, message, &item.span).with_help(help)
        }
    }
}

/// Checks the fields of an ARN; returns false when a field is wrong (the match is then moot).
fn fields(cx: &Cx<'_, '_>, arn: &Arn<'_>, item: &Spanned<String>, out: &mut Vec<Finding>) -> bool {
    let text = &item.value;
    let before = out.len();
    if !partition_ok(arn.partition) {
        let mut f = Finding::at(
            Code::InvalidArnPartition,
            format!("`{}` in `{text}` is not an AWS partition", arn.partition),
            &item.span,
        )
        .with_help(format!("use one of: {}", PARTITIONS.join(", ")));
        if looks_like_placeholder(arn.partition) {
            f = f.with_note(None, UNDECLARED_PLACEHOLDER);
        }
        out.push(f);
    }
    if !open(arn.service) && arn.service.bytes().any(|c| c.is_ascii_uppercase()) {
        out.push(
            Finding::at(
                Code::ArnServiceCase,
                format!(
                    "the service `{}` in `{text}` must be lowercase",
                    arn.service
                ),
                &item.span,
            )
            .with_help(format!("write `{}`", arn.service.to_ascii_lowercase())),
        );
    }
    if !arn.region.is_empty() && !open(arn.region) && !is_region(arn.region) {
        let mut f = Finding::at(
            Code::InvalidArnRegion,
            format!("`{}` in `{text}` is not an AWS Region", arn.region),
            &item.span,
        )
        .with_help("write a Region such as `us-east-1`, `*`, or nothing");
        if looks_like_placeholder(arn.region) {
            f = f.with_note(None, UNDECLARED_PLACEHOLDER);
        }
        out.push(f);
    }
    if !arn.account.is_empty()
        && !open(arn.account)
        && !is_account(arn.account)
        && arn.account != "aws"
    {
        let mut f = Finding::at(
            Code::InvalidArnAccount,
            format!(
                "`{}` in `{text}` is not a 12-digit AWS account ID",
                arn.account
            ),
            &item.span,
        )
        .with_help("write the account ID, `*`, or nothing");
        if looks_like_placeholder(arn.account) {
            f = f.with_help(UNDECLARED_PLACEHOLDER);
        }
        out.push(f);
    }
    // Region and account fields a service never uses: decided on all ARN patterns of the services
    // at hand (the ARN's own and the statement's), and only when they all agree.
    let patterns = service_patterns(cx, arn.service);
    if !patterns.is_empty() {
        let field = |p: &str, n: usize| p.split(':').nth(n).map(str::is_empty).unwrap_or(false);
        if !arn.region.is_empty() && !open(arn.region) && patterns.iter().all(|p| field(p, 3)) {
            out.push(
                Finding::at(
                    Code::ArnRegionNotAllowed,
                    format!(
                        "{} ARNs have no Region, but `{text}` names `{}`",
                        arn.service, arn.region
                    ),
                    &item.span,
                )
                .with_help(format!(
                    "leave the Region field empty: `arn:{}:{}::...`",
                    arn.partition, arn.service
                )),
            );
        }
        if arn.region.is_empty() && patterns.iter().all(|p| !field(p, 3)) {
            out.push(
                Finding::at(
                    Code::MissingArnRegion,
                    format!(
                        "{} ARNs name a Region, but `{text}` leaves it empty",
                        arn.service
                    ),
                    &item.span,
                )
                .with_help("write the Region, or `*` for any"),
            );
        }
        if !arn.account.is_empty() && !open(arn.account) && patterns.iter().all(|p| field(p, 4)) {
            out.push(
                Finding::at(
                    Code::ArnAccountNotAllowed,
                    format!(
                        "{} ARNs have no account ID, but `{text}` names `{}`",
                        arn.service, arn.account
                    ),
                    &item.span,
                )
                .with_help("leave the account field empty"),
            );
        }
    }
    out.len() == before
}

/// Every ARN pattern, among the services at hand, whose service field is `arn_service`.
fn service_patterns<'a>(cx: &Cx<'_, 'a>, arn_service: &str) -> Vec<&'a str> {
    let mut services: Vec<&'a Service> = Vec::new();
    if let Some(s) = cx.v.aws.service(arn_service) {
        services.push(s);
    }
    for r in &cx.actions {
        if let super::ActionMatch::Actions { service, .. } = r
            && !services.iter().any(|s| std::ptr::eq(*s, *service))
        {
            services.push(service);
        }
    }
    services
        .iter()
        .flat_map(|s| s.resource_types.iter())
        .flat_map(|rt| rt.arn_patterns.iter().zip(&rt.arn_services))
        .filter(|(_, service)| **service == arn_service)
        .map(|(p, _)| *p)
        .collect()
}

/// The resource types of a set of actions, each once.
struct ResourceTypes<'a> {
    /// Per service, which of its resource types the actions use.
    used: Vec<(&'a Service, Vec<bool>)>,
    /// Parallel to `used`: the types of actions written literally, which are checked one by one.
    literal: Vec<Vec<bool>>,
    /// Parallel to `used`: which of the literal ones a resource of the statement names.
    hit: Vec<Vec<bool>>,
    /// Whether every action takes only `"Resource": "*"`.
    all_wildcard_only: bool,
}

impl<'a> ResourceTypes<'a> {
    fn of(actions: &[(&'a Service, &'a Action)]) -> ResourceTypes<'a> {
        Self::with_literals(actions, &[])
    }

    fn with_literals(
        actions: &[(&'a Service, &'a Action)],
        literals: &[(&'a Service, &'a Action)],
    ) -> ResourceTypes<'a> {
        let mut used: Vec<(&'a Service, Vec<bool>)> = Vec::new();
        let mut literal: Vec<Vec<bool>> = Vec::new();
        for (service, action) in actions.iter().chain(literals) {
            let at = match used.iter().position(|(s, _)| std::ptr::eq(*s, *service)) {
                Some(i) => i,
                None => {
                    used.push((service, vec![false; service.resource_types.len()]));
                    literal.push(vec![false; service.resource_types.len()]);
                    used.len() - 1
                }
            };
            for r in &action.resources {
                used[at].1[r.resource_type] = true;
            }
        }
        for (service, action) in literals {
            let at = used
                .iter()
                .position(|(s, _)| std::ptr::eq(*s, *service))
                .expect("added above");
            for r in &action.resources {
                literal[at][r.resource_type] = true;
            }
        }
        ResourceTypes {
            all_wildcard_only: actions.iter().all(|(_, a)| a.is_wildcard_only()),
            hit: literal.iter().map(|l| vec![false; l.len()]).collect(),
            literal,
            used,
        }
    }

    /// Whether an ARN names a resource type in use. Types of literal actions it names are
    /// remembered (each is matched until some resource names it); the rest stop at the first match.
    fn record(&mut self, arn: &str) -> bool {
        // The ARN's service field, split once: resource types of other services are passed
        // over without matching their patterns.
        let service_field = crate::iam::arn::plain_service(arn);
        let fits = |rt: &crate::aws_data::ResourceType| {
            rt.may_match_service(service_field) && rt.matches_arn_fully(arn)
        };
        let mut any = false;
        for (((service, _), literal), hits) in
            self.used.iter().zip(&self.literal).zip(&mut self.hit)
        {
            for ((rt, &lit), hit) in service
                .resource_types
                .iter()
                .zip(literal)
                .zip(hits.iter_mut())
            {
                if lit && !*hit && fits(rt) {
                    *hit = true;
                    any = true;
                }
            }
        }
        any || self.used.iter().any(|(service, flags)| {
            service
                .resource_types
                .iter()
                .zip(flags)
                .any(|(rt, &on)| on && fits(rt))
        })
    }

    /// Whether a resource of the statement names one of the action's resource types.
    fn serves(&self, service: &Service, action: &Action) -> bool {
        self.used.iter().zip(&self.hit).any(|((s, _), hits)| {
            std::ptr::eq(*s, service) && action.resources.iter().any(|r| hits[r.resource_type])
        })
    }

    fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (service, flags) in &self.used {
            for (rt, _) in service
                .resource_types
                .iter()
                .zip(flags)
                .filter(|(_, on)| **on)
            {
                out.push(format!("{} {}", service.prefix, rt.name));
            }
        }
        out
    }
}

fn mismatch(
    cx: &Cx<'_, '_>,
    text: &str,
    types: &ResourceTypes<'_>,
    item: &Spanned<String>,
) -> Finding {
    let what = if cx.is_allow() {
        "grants nothing on it"
    } else {
        "does not deny anything on it"
    };
    let mut names = types.names();
    let more = names.len().saturating_sub(6);
    names.truncate(6);
    let list = names.join(", ")
        + &if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
    Finding::at(Code::ResourceTypeMismatch, format!("`{text}` is not a resource any action of this statement acts on, so the statement {what}"), &item.span).with_help(format!("the actions act on: {list}"))
}

/// Literal actions for which no resource of the statement applies: an action that takes only
/// `"*"` next to narrower ARNs, or (when other resources do match) an action none of the
/// resources is for.
fn unused_actions(
    cx: &Cx<'_, '_>,
    types: &ResourceTypes<'_>,
    matched_any: bool,
    out: &mut Vec<Finding>,
) {
    let (Some(targets), Some(resources)) = (&cx.s.action, &cx.s.resource) else {
        return;
    };
    let mut texts: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for r in &resources.list.items {
        let text = cx.v.substitute(&r.value);
        match cx.v.filled_arn(&text) {
            // A resource of a placeholder service could be one of any action.
            Some(f) if f.open => return,
            Some(f) => texts.push(f.text.into()),
            None if cx.v.is_whole_placeholder(&text) => return,
            None => texts.push(text),
        }
    }
    if texts.iter().any(|t| t == "*") {
        return;
    }
    for (item, r) in targets.list.items.iter().zip(&cx.actions) {
        let super::ActionMatch::Actions {
            service,
            actions,
            pattern: None,
        } = r
        else {
            continue;
        };
        let action = actions[0];
        let name = format!("{}:{}", service.prefix, action.name);
        if action.is_wildcard_only() {
            if !texts.iter().any(|t| service_wide(t, service)) {
                out.push(
                    Finding::at(Code::ResourceTypeMismatch, format!("`{name}` does not support resource-level permissions, so no resource of this statement applies to it"), &item.span)
                        .with_help("grant it in a statement with \"Resource\": \"*\""),
                );
            }
            continue;
        }
        if matched_any && !types.serves(service, action) {
            let own = ResourceTypes::of(&[(*service, action)]);
            out.push(
                Finding::at(
                    Code::ResourceTypeMismatch,
                    format!("no resource of this statement is one `{name}` acts on"),
                    &item.span,
                )
                .with_help(format!("`{name}` acts on: {}", own.names().join(", "))),
            );
        }
    }
}

/// An ARN for everything of a service (`arn:aws:sagemaker:*:*:*`, `arn:aws:s3:::*`): IAM
/// matches it against the requests of actions that take only `"*"` too.
fn service_wide(text: &str, service: &Service) -> bool {
    let Ok(arn) = parse_arn(text) else {
        return false;
    };
    let services_match = wildcard_match(arn.service, service.prefix)
        || service
            .resource_types
            .iter()
            .flat_map(|rt| &rt.arn_patterns)
            .any(|p| {
                p.split(':')
                    .nth(2)
                    .is_some_and(|s| wildcard_match(arn.service, s))
            });
    services_match && arn.resource.bytes().all(|c| c == b'*')
}

/// Resources another entry of the same list already covers (`arn:aws:s3:::b/x` next to
/// `arn:aws:s3:::b/*`).
fn redundant(items: &[Spanned<String>], cx: &Cx<'_, '_>, out: &mut Vec<Finding>) {
    if items.len() < 2 {
        return;
    }
    let texts: Vec<std::borrow::Cow<'_, str>> =
        items.iter().map(|r| cx.v.substitute(&r.value)).collect();
    for (i, inner) in texts.iter().enumerate() {
        let covers = |j: usize| {
            let outer = &texts[j];
            if outer == inner {
                return j < i;
            }
            // A `?` in both could stand for different things; only plain `*` patterns compare.
            has_wildcard(outer)
                && !(outer.contains('?') && has_wildcard(inner))
                && !outer.contains("${")
                && wildcard_match(outer, inner)
                && !(wildcard_match(inner, outer) && j > i)
        };
        if let Some(j) = (0..texts.len()).find(|&j| j != i && covers(j)) {
            out.push(super::redundant(
                Code::RedundantResource,
                &items[i],
                &items[j],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn arns_split_into_six_fields() {
        let a = parse_arn("arn:aws:s3:::b/${aws:username}/x:y").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws", "s3", "", "", "b/${aws:username}/x:y")
        );
        let a = parse_arn("arn:aws:iam::${aws:PrincipalAccount}:role/x").unwrap();
        assert_eq!(a.account, "${aws:PrincipalAccount}");
        assert_eq!(parse_arn("s3:::b"), Err(ArnError::NoPrefix));
        assert_eq!(
            parse_arn("arn:aws:s3"),
            Err(ArnError::MissingField("region"))
        );
        assert_eq!(
            parse_arn("arn:aws:s3::"),
            Err(ArnError::MissingField("resource"))
        );
        // Six fields, the last empty: IAM takes it (it matches nothing).
        assert_eq!(parse_arn("arn:aws:organizations::*:").unwrap().resource, "");
    }

    #[test]
    fn field_formats() {
        assert!(
            is_region("us-east-1")
                && is_region("us-gov-west-1")
                && is_region("eu-isoe-west-1")
                && is_region("eusc-de-east-1")
        );
        assert!(!is_region("us-east") && !is_region("US-EAST-1") && !is_region("useast1"));
        assert!(
            is_account("123456789012") && !is_account("12345678901") && !is_account("<ACCOUNT>")
        );
        assert!(
            partition_ok("aws")
                && partition_ok("aws*")
                && partition_ok("*")
                && !partition_ok("amazon")
                && !partition_ok("aws-mars")
        );
    }

    fn s3(resource: &str) -> String {
        stmt(&format!(
            r#""Action":"s3:GetObject","Resource":"{resource}""#
        ))
    }

    #[test]
    fn arn_shape_errors() {
        assert_eq!(codes(&s3("my-bucket/*")), ["invalid-arn"]);
        assert_eq!(codes(&s3("arn:aws:s3")), ["invalid-arn"]);
        // Five fields: the account is what is missing, and the message says so.
        let p = stmt(r#""Action":"iam:GetUser","Resource":"arn:aws:iam::user/${aws:username}""#);
        let f = findings(&p, crate::policy::PolicyKind::Identity);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("five fields, not six: the account field is missing"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("arn:aws:iam::123456789012:user/${aws:username}")
        );
        let f = findings(
            &s3("arn:aws:cloudfront:*"),
            crate::policy::PolicyKind::Identity,
        );
        assert!(
            f[0].message
                .contains("the account and resource fields are missing"),
            "{}",
            f[0].message
        );
        assert_eq!(codes(&s3("arn:amazon:s3:::b/*")), ["invalid-arn-partition"]);
        assert_eq!(codes(&s3("arn:aws:S3:::b/*")), ["arn-service-case"]);
        let p = stmt(
            r#""Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:moon-1:123456789012:log-group:x""#,
        );
        assert_eq!(codes(&p), ["invalid-arn-region"]);
        let p = stmt(r#""Action":"iam:GetRole","Resource":"arn:aws:iam::12345:role/x""#);
        assert_eq!(codes(&p), ["invalid-arn-account"]);
        assert!(codes(&s3("arn:aws:s3:::b/*")).is_empty());
    }

    #[test]
    fn region_and_account_where_the_service_has_none() {
        let p = stmt(
            r#""Action":"iam:GetRole","Resource":"arn:aws:iam:us-east-1:123456789012:role/x""#,
        );
        assert_eq!(codes(&p), ["arn-region-not-allowed"]);
        let p = stmt(
            r#""Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda::123456789012:function:f""#,
        );
        assert_eq!(codes(&p), ["missing-arn-region"]);
        let p = stmt(r#""Action":"iam:GetRole","Resource":"arn:aws:iam::123456789012:role/x""#);
        assert!(codes(&p).is_empty());
    }

    #[test]
    fn api_gateway_names_its_own_api_as_execute_api_and_a_path() {
        let policy = |resource: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"{resource}"}}]}}"#
            )
        };
        for resource in ["execute-api:/*", "execute-api:/prod/GET/pets"] {
            assert!(
                codes_of(&policy(resource), crate::policy::PolicyKind::Resource).is_empty(),
                "{resource}"
            );
        }
        // Without its slash it is no shorthand.
        assert_eq!(
            codes_of(
                &policy("execute-api:*"),
                crate::policy::PolicyKind::Resource
            ),
            ["invalid-arn"]
        );
    }

    #[test]
    fn placeholders_validate_through_their_examples() {
        let p = stmt(
            r#""Action":"iam:GetRole","Resource":"arn:aws:iam::<YOUR_AWS_ACCOUNT_ID>:role/x""#,
        );
        assert!(codes(&p).is_empty());
        // An undeclared `<...>` is AWS's angle-bracket convention: a note (issue 16); with
        // `strict-placeholders = true` it is the error it was before.
        let p = stmt(r#""Action":"iam:GetRole","Resource":"arn:aws:iam::<OTHER_ACCOUNT>:role/x""#);
        assert_eq!(codes(&p), ["documentation-placeholder"]);
        let strict =
            crate::catalog::Catalog::from_text("c.toml", "strict-placeholders = true\n").catalog;
        let f = findings_with(&strict, &p, crate::policy::PolicyKind::Identity);
        assert_eq!(
            f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ["invalid-arn-account"]
        );
        assert!(f[0].help.as_deref().unwrap().contains("[placeholders]"));
    }

    #[test]
    fn resources_must_fit_the_actions() {
        let f = findings(
            &s3("arn:aws:s3:::my-bucket"),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(
            f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ["resource-type-mismatch"]
        );
        assert_eq!(f[0].severity, crate::diagnostic::Severity::Warning);
        let p = stmt(
            r#""Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]"#,
        );
        assert!(codes(&p).is_empty());
        // Wildcard-only actions next to resource ARNs.
        let p = stmt(
            r#""Action":["s3:GetObject","s3:ListAllMyBuckets"],"Resource":"arn:aws:s3:::b/*""#,
        );
        assert_eq!(codes(&p), ["resource-type-mismatch"]);
        let p = stmt(r#""Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::b""#);
        assert_eq!(codes(&p), ["resource-type-mismatch"]);
        // NotResource and unknown actions are not matched.
        let p = stmt(r#""Action":"s3:GetObject","NotResource":"arn:aws:s3:::b""#);
        assert!(!codes(&p).contains(&"resource-type-mismatch"));
    }

    #[test]
    fn redundant_resources_are_suggestions() {
        let p =
            stmt(r#""Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/x"]"#);
        assert_eq!(codes(&p), ["redundant-resource"]);
        let p =
            stmt(r#""Action":"s3:GetObject","Resource":["arn:aws:s3:::b/x","arn:aws:s3:::c/x"]"#);
        assert!(codes(&p).is_empty());
    }
}
