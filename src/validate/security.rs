//! Grants that are valid but risky, as warnings: every action on every resource, `NotAction` or
//! `NotResource` with `Allow` (they grant whatever is not listed, including actions and
//! resources AWS adds later), and `iam:PassRole` on every role.

use super::{ActionMatch, Cx};
use crate::diagnostic::{Code, Finding};

pub(super) fn check(cx: &Cx<'_, '_>, out: &mut Vec<Finding>) {
    if !cx.is_allow() {
        return;
    }
    let s = cx.s;
    if let Some(a) = &s.action
        && a.negated
    {
        out.push(
            Finding::at(Code::AllowWithNotAction, "`Allow` with `NotAction` grants every action not listed, including actions AWS adds later", &a.list.span)
                .with_help("list the actions to allow in `Action` instead, or use `NotAction` only in `Deny` statements"),
        );
    }
    let Some(r) = &s.resource else { return };
    if r.negated {
        out.push(
            Finding::at(Code::AllowWithNotResource, "`Allow` with `NotResource` grants access to every resource not listed, including resources created later", &r.list.span)
                .with_help("list the resources to allow in `Resource` instead, or use `NotResource` only in `Deny` statements"),
        );
        return;
    }
    let star_resource = r.list.items.iter().any(|i| i.value == "*");
    if !star_resource {
        return;
    }
    let Some(actions) = &s.action else { return };
    if actions.negated {
        return;
    }
    for (item, resolved) in actions.list.items.iter().zip(&cx.actions) {
        match resolved {
            ActionMatch::Everything if s.condition.is_empty() => out.push(
                Finding::at(Code::AllowStarOnStar, "this statement allows every action on every resource", &item.span)
                    .with_help("grant the actions the reader needs, on the resources they need; reserve `*` on `*` for administrators"),
            ),
            ActionMatch::Actions { service, actions, .. } if service.prefix == "iam" && actions.iter().any(|a| a.name == "PassRole") => {
                let scoped = s.condition.iter().flat_map(|c| &c.entries).any(|e| e.key.value.eq_ignore_ascii_case("iam:PassedToService"));
                if !scoped {
                    out.push(
                        Finding::at(Code::PassRoleWithStarResource, format!("`{}` with \"Resource\": \"*\" lets the holder pass any role, including more privileged ones, to a service", item.value), &item.span)
                            .with_help("list the roles it may pass (`arn:aws:iam::123456789012:role/...`), or add an `iam:PassedToService` condition"),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::diagnostic::Severity;
    use crate::policy::PolicyKind;

    fn warnings(p: &str) -> Vec<&'static str> {
        findings(p, PolicyKind::Identity)
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .map(|f| f.code.as_str())
            .collect()
    }

    #[test]
    fn star_on_star() {
        assert_eq!(
            warnings(&on_star(r#""Action":"*""#)),
            ["allow-star-on-star"]
        );
        assert!(
            warnings(&on_star(
                r#""Action":"*","Condition":{"Bool":{"aws:ViaAWSMCPService":"true"}}"#
            ))
            .is_empty()
        );
        assert!(warnings(&on_star(r#""Action":"s3:GetObject""#)).is_empty());
    }

    #[test]
    fn not_action_and_not_resource_with_allow() {
        assert_eq!(
            warnings(&on_star(r#""NotAction":"iam:*""#)),
            ["allow-with-not-action"]
        );
        assert_eq!(
            warnings(&stmt(
                r#""Action":"s3:*","NotResource":"arn:aws:s3:::payroll/*""#
            )),
            ["allow-with-not-resource"]
        );
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}"#;
        assert!(warnings(deny).is_empty());
    }

    #[test]
    fn pass_role_on_every_role() {
        assert_eq!(
            warnings(&on_star(r#""Action":"iam:PassRole""#)),
            ["pass-role-with-star-resource"]
        );
        assert_eq!(
            warnings(&on_star(r#""Action":"iam:Pass*""#)),
            ["pass-role-with-star-resource"]
        );
        assert!(warnings(&on_star(r#""Action":"iam:PassRole","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#)).is_empty());
        assert!(
            warnings(&stmt(
                r#""Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/app""#
            ))
            .is_empty()
        );
    }
}
