//! Actions: the form `service:Action`, retired actions (catalog and defaults), and AWS's data:
//! the service prefix exists, a literal action exists (any case), a wildcard matches at least
//! one action. Also resolves each entry to the actions it stands for, for the later checks, and
//! finds entries that another entry of the same list already covers.

use super::Validator;
use crate::aws_data::{Action, Service};
use crate::catalog::{Deprecation, default_deprecations};
use crate::diagnostic::{Code, Finding};
use crate::iam::wildcard::matches_ignore_case as wildcard_match_ignore_case;
use crate::policy::Statement;
use crate::source::Spanned;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What one entry of `Action` / `NotAction` stands for in AWS's data.
#[derive(Debug, Clone)]
pub enum ActionMatch<'a> {
    /// `*`: every action of every service.
    Everything,
    /// Actions of one service: the one a literal name gives, or those a wildcard matches.
    Actions {
        service: &'a Service,
        actions: Vec<&'a Action>,
        /// The name part as written (`Get*`), when it has a wildcard.
        pattern: Option<String>,
    },
    /// Malformed, retired, or not in AWS's data.
    Unknown,
}

/// Resolves without reporting anything.
pub(super) fn resolve<'a>(v: &Validator<'a>, text: &str) -> ActionMatch<'a> {
    if text == "*" {
        return ActionMatch::Everything;
    }
    let Some((prefix, name)) = text.split_once(':') else {
        return ActionMatch::Unknown;
    };
    let Some(service) = v.aws.service(prefix) else {
        return ActionMatch::Unknown;
    };
    if name.contains(['*', '?']) {
        ActionMatch::Actions {
            service,
            actions: service.match_actions(name),
            pattern: Some(name.to_string()),
        }
    } else {
        match service.action(name) {
            Some(a) => ActionMatch::Actions {
                service,
                actions: vec![a],
                pattern: None,
            },
            None => ActionMatch::Unknown,
        }
    }
}

/// Checks every entry of the statement's `Action` / `NotAction`, then their redundancy.
pub(super) fn check<'a>(
    v: &Validator<'a>,
    s: &Statement,
    out: &mut Vec<Finding>,
) -> Vec<ActionMatch<'a>> {
    let Some(targets) = &s.action else {
        return Vec::new();
    };
    let resolved: Vec<ActionMatch<'a>> = targets
        .list
        .items
        .iter()
        .map(|a| check_one(v, a, out).1)
        .collect();
    redundant(&targets.list.items, &resolved, out);
    resolved
}

fn format_error(text: &str, a: &Spanned<String>) -> Finding {
    Finding::at(
        Code::InvalidActionFormat,
        format!("`{text}` is not an action: write `service:Action` or `*`"),
        &a.span,
    )
    .with_help("for example `s3:GetObject`")
}

/// Checks one action; returns whether it is well-formed, and what it stands for.
pub(super) fn check_one<'a>(
    v: &Validator<'a>,
    a: &Spanned<String>,
    out: &mut Vec<Finding>,
) -> (bool, ActionMatch<'a>) {
    let text = a.value.as_str();
    if text == "*" {
        return (true, ActionMatch::Everything);
    }
    if v.action_placeholder(text, &a.span, out) {
        return (true, ActionMatch::Unknown);
    }
    let Some((prefix, name)) = text.split_once(':') else {
        out.push(format_error(text, a));
        return (false, ActionMatch::Unknown);
    };
    let prefix_ok = prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?'));
    if prefix.is_empty() || name.is_empty() || name.contains(':') || !prefix_ok {
        out.push(format_error(text, a));
        return (false, ActionMatch::Unknown);
    }
    if prefix.contains(['*', '?']) {
        out.push(Finding::at(
            Code::WildcardInService,
            format!("`{text}` has a wildcard in the service prefix, which IAM does not allow"),
            &a.span,
        ));
        return (false, ActionMatch::Unknown);
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_' | '.'))
    {
        out.push(format_error(text, a));
        return (false, ActionMatch::Unknown);
    }
    if v.may_be_retired(prefix)
        && let Some(dep) = v.catalog.deprecation_for(text)
    {
        out.push(deprecated(text, &dep, a, None));
        return (true, ActionMatch::Unknown);
    }
    let Some(service) = v.aws.service(prefix) else {
        // A service whose actions were all retired (aws-mcp) is gone from AWS's data: the
        // retirement, with its migration hint, is the useful thing to say.
        if let Some(dep) = retired_service(v, prefix) {
            out.push(deprecated(text, &dep, a, Some(prefix)));
            return (true, ActionMatch::Unknown);
        }
        // A service AWS's data used to list: a warning with the date (an error when it never
        // had the action).
        if let Some(f) = super::retired::action(v.aws, None, prefix, name, a) {
            out.push(f);
            return (true, ActionMatch::Unknown);
        }
        let mut f = Finding::at(
            Code::InvalidService,
            format!("`{prefix}` in `{text}` is not the prefix of any AWS service"),
            &a.span,
        );
        if let Some(h) = super::suggest(prefix, v.aws.services().map(|(p, _)| p)) {
            f = f.with_help(h);
        }
        out.push(f);
        return (true, ActionMatch::Unknown);
    };
    if name.contains(['*', '?']) {
        let actions = service.match_actions(name);
        if actions.is_empty()
            && let Some(f) = super::retired::action(v.aws, Some(service), prefix, name, a)
        {
            out.push(f);
            return (true, ActionMatch::Unknown);
        }
        if actions.is_empty() {
            out.push(
                Finding::at(
                    Code::InvalidAction,
                    format!("`{text}` matches no action of {}", service.name),
                    &a.span,
                )
                .with_help(format!(
                    "the `{}` actions are listed in AWS's Service Authorization Reference",
                    service.prefix
                )),
            );
        }
        return (
            true,
            ActionMatch::Actions {
                service,
                actions,
                pattern: Some(name.to_string()),
            },
        );
    }
    match service.action(name) {
        Some(action) => (
            true,
            ActionMatch::Actions {
                service,
                actions: vec![action],
                pattern: None,
            },
        ),
        None => {
            if let Some(f) = super::retired::action(v.aws, Some(service), prefix, name, a) {
                out.push(f);
                return (true, ActionMatch::Unknown);
            }
            let mut f = Finding::at(
                Code::InvalidAction,
                format!("{} has no action `{name}`", service.name),
                &a.span,
            );
            if let Some(best) = closest(name, service.actions.iter().map(|x| x.name)) {
                f = f.with_help(format!("did you mean `{}:{best}`?", service.prefix));
            }
            out.push(f);
            (true, ActionMatch::Unknown)
        }
    }
}

/// The candidate closest to `given`, ignoring case, if it is close enough to be a likely typo
/// (the threshold `diagnostic::did_you_mean` uses).
fn closest<'c>(given: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    if given.len() > super::SUGGEST_MAX {
        return None;
    }
    let given = given.to_ascii_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&given, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The retirement that covers every action of a service prefix, if the catalog or the defaults
/// retire actions of that prefix.
fn retired_service(v: &Validator<'_>, prefix: &str) -> Option<Deprecation> {
    let same_prefix = |d: &Deprecation| {
        d.action
            .value
            .split_once(':')
            .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))
    };
    v.catalog
        .deprecations
        .iter()
        .find(|d| same_prefix(d))
        .cloned()
        .or_else(|| default_deprecations().into_iter().find(|d| same_prefix(d)))
}

fn deprecated(
    text: &str,
    dep: &Deprecation,
    a: &Spanned<String>,
    service: Option<&str>,
) -> Finding {
    let on = dep
        .since
        .as_deref()
        .map(|s| format!(" on {s}"))
        .unwrap_or_default();
    let message = match service {
        None => format!("`{text}` was retired{on} and no longer has any effect"),
        Some(p) => {
            format!("the `{p}` actions were retired{on}: `{text}` no longer has any effect")
        }
    };
    let mut f = Finding::at(Code::DeprecatedAction, message, &a.span).with_help(dep.hint.clone());
    if !dep.action.span.is_generated() {
        f = f.with_note(Some(dep.action.span.clone()), "deprecation declared here");
    }
    f
}

/// Entries of one list that another entry already covers (`iam:GetUser` next to `iam:Get*`).
/// Of two entries that cover each other, the later one is reported.
fn redundant(items: &[Spanned<String>], resolved: &[ActionMatch<'_>], out: &mut Vec<Finding>) {
    // Only `*`, wildcard patterns and an earlier copy of the same action can cover an entry; a
    // statement may list a thousand literal actions, so those are found by address.
    let wide: Vec<usize> = (0..resolved.len())
        .filter(|&j| {
            matches!(
                resolved[j],
                ActionMatch::Everything
                    | ActionMatch::Actions {
                        pattern: Some(_),
                        ..
                    }
            )
        })
        .collect();
    let mut first_of: HashMap<*const Action, usize> = HashMap::new();
    for (i, r) in resolved.iter().enumerate() {
        let copy_of = match r {
            ActionMatch::Actions {
                actions,
                pattern: None,
                ..
            } => match first_of.entry(actions[0]) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
            },
            _ => None,
        };
        let by = wide
            .iter()
            .copied()
            .find(|&j| j != i && covers(&resolved[j], r) && !(j > i && covers(r, &resolved[j])))
            .or(copy_of);
        if let Some(j) = by {
            out.push(super::redundant(
                Code::RedundantAction,
                &items[i],
                &items[j],
            ));
        }
    }
}

/// Whether every action `inner` stands for is one `outer` stands for.
fn covers(outer: &ActionMatch<'_>, inner: &ActionMatch<'_>) -> bool {
    match (outer, inner) {
        (ActionMatch::Everything, ActionMatch::Everything) => true,
        (ActionMatch::Everything, ActionMatch::Actions { actions, .. }) => !actions.is_empty(),
        (
            ActionMatch::Actions {
                service: so,
                actions: ao,
                pattern: po,
            },
            ActionMatch::Actions {
                service: si,
                actions: ai,
                ..
            },
        ) => {
            if !std::ptr::eq(*so, *si) || ai.is_empty() {
                return false;
            }
            match po {
                Some(p) => ai.iter().all(|a| wildcard_match_ignore_case(p, a.name)),
                None => ai.len() == 1 && ao.len() == 1 && std::ptr::eq(ai[0], ao[0]),
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn retired_mcp_actions_are_errors_with_a_hint() {
        assert_eq!(
            codes(&on_star(r#""Action":["aws-mcp:InvokeMcp","s3:GetObject"]"#)),
            ["deprecated-action"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"aws-mcp:*""#)),
            ["deprecated-action"]
        );
        // Not one of the listed actions, but the service is retired: never "unknown service".
        let f = findings(
            &on_star(r#""Action":"aws-mcp:ListTools""#),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code.as_str(), "deprecated-action");
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("aws:ViaAWSMCPService")
        );
        assert!(codes(&on_star(r#""Action":"s3:GetObject""#)).is_empty());
    }

    #[test]
    fn action_format() {
        assert_eq!(
            codes(&on_star(r#""Action":"s3GetObject""#)),
            ["invalid-action-format"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"s3:Get Object""#)),
            ["invalid-action-format"]
        );
        assert_eq!(
            codes(&on_star(r#""Action":"s*:GetObject""#)),
            ["wildcard-in-service"]
        );
    }

    #[test]
    fn unknown_services_and_actions() {
        let f = findings(
            &on_star(r#""Action":"s4:GetObject""#),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(
            f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ["invalid-service"]
        );
        let f = findings(
            &on_star(r#""Action":"s3:GetObjects""#),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(
            f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
            ["invalid-action"]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `s3:GetObject`?"));
        assert_eq!(
            codes(&on_star(r#""Action":"iam:Frobnicate*""#)),
            ["invalid-action"]
        );
    }

    #[test]
    fn actions_are_case_insensitive() {
        assert!(codes(&on_star(r#""Action":["S3:getobject","IAM:List*"]"#)).is_empty());
    }

    #[test]
    fn redundant_actions_are_suggestions() {
        let f = findings(
            &on_star(r#""Action":["iam:Get*","iam:List*","iam:GetCredentialReport"]"#),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code.as_str(), "redundant-action");
        assert_eq!(f[0].severity, crate::diagnostic::Severity::Info);
        assert_eq!(
            f[0].span.as_ref().unwrap().text(),
            "\"iam:GetCredentialReport\""
        );
        // Duplicates: the second one is reported.
        let f = findings(
            &on_star(r#""Action":["s3:GetObject","s3:getobject"]"#),
            crate::policy::PolicyKind::Identity,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span.as_ref().unwrap().text(), "\"s3:getobject\"");
        assert!(codes(&on_star(r#""Action":["iam:Get*","iam:List*"]"#)).is_empty());
    }
}
