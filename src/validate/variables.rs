//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`): their
//! syntax, their key, and where IAM allows them (Resource and NotResource, and the values of
//! String and Arn conditions, with Version 2012-10-17).

use super::Cx;
use crate::diagnostic::{Code, Finding};
use crate::iam::variables::variables;
use crate::source::Span;

/// Checks the variables in one value. `allowed` says why variables cannot be used here, if they
/// cannot (the element or operator).
pub(super) fn check(
    cx: &Cx<'_, '_>,
    text: &str,
    span: &Span,
    not_allowed: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let vars = variables(text);
    if vars.is_empty() {
        return;
    }
    if let Some(why) = not_allowed {
        out.push(
            Finding::at(
                Code::UnsupportedPolicyVariable,
                format!("policy variables cannot be used {why}"),
                span,
            )
            .with_help("IAM reads `${...}` here as literal text"),
        );
        return;
    }
    if !cx.variables {
        out.push(
            Finding::at(Code::UnsupportedPolicyVariable, "policy variables need Version 2012-10-17 (without a Version, IAM uses 2008-10-17): IAM reads `${...}` as literal text", span)
                .with_help("use \"Version\": \"2012-10-17\""),
        );
        return;
    }
    for var in vars {
        if let Some(problem) = var.map_or(Some("a `${` without its closing `}`".to_string()), |v| {
            problem(cx, v)
        }) {
            out.push(Finding::at(Code::InvalidPolicyVariable, format!("`{text}` has {problem}"), span).with_help("write a variable as `${aws:username}` or, with a default, `${aws:username, 'none'}`"));
        }
    }
}

/// What is wrong with one variable's text, if anything.
fn problem(cx: &Cx<'_, '_>, var: &str) -> Option<String> {
    if matches!(var, "*" | "?" | "$") {
        return None;
    }
    let (key, default) = match var.split_once(',') {
        Some((k, d)) => (k, Some(d.trim())),
        None => (var, None),
    };
    if key.is_empty() {
        return Some("an empty variable `${}`".into());
    }
    if key.contains(char::is_whitespace) {
        return Some(format!("a space inside the variable `${{{var}}}`"));
    }
    if let Some(d) = default {
        let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
        if !quoted {
            return Some(format!(
                "a default value without single quotes in `${{{var}}}`"
            ));
        }
    }
    if !key.contains(':') {
        return Some(format!(
            "the variable `${{{var}}}`, which names no condition key (`service:key`)"
        ));
    }
    let key = cx.v.substitute(key);
    let known = cx.v.aws.condition_key(&key).is_some()
        || cx.v.catalog.condition_key(&key).is_some()
        || crate::iam::condition_key::is_federation_key(&key);
    if !known {
        return Some(format!(
            "the variable `${{{var}}}`, whose key AWS does not define"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn splits_out_variables() {
        assert_eq!(
            variables("x/${aws:username}/${aws:userid, 'n'}"),
            [Some("aws:username"), Some("aws:userid, 'n'")]
        );
        assert_eq!(variables("x/${aws:username"), [None]);
    }

    #[test]
    fn well_formed_variables_pass() {
        let ok = stmt(
            r#""Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}/*","arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/${*}"]"#,
        );
        assert!(codes(&ok).is_empty(), "{:?}", codes(&ok));
    }

    #[test]
    fn malformed_variables_are_errors() {
        for bad in [
            "${aws:username",
            "${}",
            "${aws: username}",
            "${aws:NoSuchKey}",
            "${username}",
            "${aws:username, none}",
        ] {
            let p = stmt(&format!(
                r#""Action":"s3:GetObject","Resource":"arn:aws:s3:::b/{bad}/x""#
            ));
            assert_eq!(codes(&p), ["invalid-policy-variable"], "{bad}");
        }
    }

    #[test]
    fn variables_need_the_current_version() {
        let p = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}]}"#;
        assert_eq!(codes(p), ["old-version", "unsupported-policy-variable"]);
    }
}
