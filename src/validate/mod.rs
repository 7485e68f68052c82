//! Validation of a read policy, after the grammar checks the reader did. This layer knows the
//! catalog (deprecations, documented condition keys, value rules, placeholders); checks that need
//! AWS's service data plug in through the same `Validator::policy` entry point.

use crate::catalog::{Catalog, ValueRule};
use crate::diagnostic::{Code, Finding, Severity};
use crate::keys::{Fit, KeyType};
use crate::policy::{ConditionEntry, ConditionValue, OperatorFamily, Policy, PolicyKind, Sp, Statement};

pub struct Validator<'a> {
    pub catalog: &'a Catalog,
}

impl<'a> Validator<'a> {
    pub fn new(catalog: &'a Catalog) -> Validator<'a> {
        Validator { catalog }
    }

    /// All findings for a policy of the given kind (grammar findings come from reading it).
    pub fn policy(&self, policy: &Policy, kind: PolicyKind) -> Vec<Finding> {
        let _ = kind;
        let mut out = Vec::new();
        for s in &policy.statements {
            self.statement(s, &mut out);
        }
        out
    }

    pub fn statement(&self, s: &Statement, out: &mut Vec<Finding>) {
        if let Some(actions) = &s.action {
            for a in &actions.list.items {
                self.action(a, s.is_allow() || actions.negated, out);
            }
        }
        for clause in &s.condition {
            for entry in &clause.entries {
                self.condition(&clause.operator, entry, out);
            }
        }
    }

    /// Checks one action's form and deprecations; returns whether it is well-formed.
    pub fn action(&self, a: &Sp<String>, _allow: bool, out: &mut Vec<Finding>) -> bool {
        let text = a.value.as_str();
        if text == "*" {
            return true;
        }
        let Some((service, name)) = text.split_once(':') else {
            out.push(
                Finding::at(Code::InvalidActionFormat, format!("`{text}` is not an action: write `service:Action` or `*`"), &a.span)
                    .with_help("for example `s3:GetObject`"),
            );
            return false;
        };
        if service.is_empty() || name.is_empty() || name.contains(':') || service.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '?')) {
            out.push(Finding::at(Code::InvalidActionFormat, format!("`{text}` is not an action: write `service:Action` or `*`"), &a.span));
            return false;
        }
        if service.contains(['*', '?']) {
            out.push(Finding::at(Code::WildcardInService, format!("`{text}` has a wildcard in the service prefix, which IAM does not allow"), &a.span));
            return false;
        }
        if let Some(dep) = self.catalog.deprecation_for(text) {
            let since = dep.since.as_deref().map(|s| format!(" on {s}")).unwrap_or_default();
            let mut f = Finding::at(Code::DeprecatedAction, format!("`{text}` was retired{since} and no longer has any effect"), &a.span)
                .with_help(dep.hint.clone());
            if !dep.action.span.is_generated() {
                f = f.with_note(Some(dep.action.span.clone()), "deprecation declared here");
            }
            out.push(f);
        }
        true
    }

    fn condition(&self, op: &Sp<crate::policy::Operator>, entry: &ConditionEntry, out: &mut Vec<Finding>) {
        let key = &entry.key.value;
        let key_type = self.catalog.condition_key(key).and_then(|d| KeyType::parse(&d.key_type.value));
        if let Some(t) = key_type {
            match t.accepts(op.value.family) {
                Fit::Yes => {}
                Fit::Discouraged => out.push(
                    Finding::at(Code::ConditionTypeMismatch, format!("`{key}` is an {} key; `{}` compares it as a plain string", t.name(), op.value), &op.span)
                        .with_severity(Severity::Warning)
                        .with_help("use an Arn operator (ArnEquals, ArnLike)"),
                ),
                Fit::No => out.push(
                    Finding::at(Code::ConditionTypeMismatch, format!("`{key}` is a {} key, but `{}` compares {} values", t.name(), op.value, op.value.family.as_str()), &op.span)
                        .with_note(Some(entry.key.span.clone()), "the key")
                        .with_help(format!("use a {} operator", family_for(t))),
                ),
            }
        }
        if matches!(op.value.family, OperatorFamily::Bool | OperatorFamily::Null) {
            for v in &entry.values.items {
                let t = v.value.text();
                if t != "true" && t != "false" {
                    out.push(Finding::at(Code::InvalidBoolValue, format!("`{}` takes \"true\" or \"false\", not `{t}`", op.value.base), &v.span));
                }
            }
            if op.value.family == OperatorFamily::Bool && entry.values.items.len() > 1 {
                out.push(Finding::at(Code::MultipleBoolValues, format!("`{key}` is compared with more than one Boolean value"), &entry.values.span));
            }
        }
        if self.catalog.value_rule(key) == Some(ValueRule::ServicePrincipal) && op.value.family != OperatorFamily::Null {
            for v in &entry.values.items {
                let t = v.value.text();
                let boolish = matches!(v.value, ConditionValue::Bool(_)) || t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false");
                if boolish || !looks_like_service_principal(t) {
                    out.push(
                        Finding::at(Code::ServicePrincipalExpected, format!("`{key}` holds the service principal of the MCP server that made the call, so `{t}` can never match"), &v.span)
                            .with_help("compare it with a service principal such as \"aws-mcp.amazonaws.com\", or use `aws:ViaAWSMCPService` (Bool) to match any AWS-managed MCP server"),
                    );
                }
            }
        }
    }
}

fn family_for(t: KeyType) -> &'static str {
    match t.base() {
        KeyType::String => "String",
        KeyType::Arn => "Arn",
        KeyType::Numeric => "Numeric",
        KeyType::Date => "Date",
        KeyType::Bool => "Bool",
        KeyType::IpAddress => "IpAddress",
        KeyType::Binary => "BinaryEquals",
        _ => "matching",
    }
}

/// `service.amazonaws.com` and the like; wildcards allowed for `*Like` operators.
pub fn looks_like_service_principal(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '?'))
        && (s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") || s.contains('*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::source::SourceFile;

    fn codes(policy: &str) -> Vec<&'static str> {
        let catalog = Catalog::from_text(
            "c.toml",
            "[condition-keys.\"aws:ViaAWSMCPService\"]\ntype = \"Bool\"\ndescription = \"x\"\n",
        )
        .catalog;
        let file = SourceFile::new("p.json", policy);
        let read = Policy::read(&parse(&file).unwrap(), PolicyKind::Identity);
        Validator::new(&catalog)
            .policy(&read.value, PolicyKind::Identity)
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    fn stmt(body: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Resource":"*",{body}}}]}}"#)
    }

    #[test]
    fn retired_mcp_actions_are_errors_with_a_hint() {
        assert_eq!(codes(&stmt(r#""Action":["aws-mcp:InvokeMcp","s3:GetObject"]"#)), ["deprecated-action"]);
        assert_eq!(codes(&stmt(r#""Action":"aws-mcp:*""#)), ["deprecated-action"]);
        assert!(codes(&stmt(r#""Action":"s3:GetObject""#)).is_empty());
    }

    #[test]
    fn action_format() {
        assert_eq!(codes(&stmt(r#""Action":"s3GetObject""#)), ["invalid-action-format"]);
        assert_eq!(codes(&stmt(r#""Action":"s*:GetObject""#)), ["wildcard-in-service"]);
    }

    #[test]
    fn documented_key_types_must_match_the_operator() {
        let c = r#""Action":"s3:GetObject","Condition":{"StringEquals":{"aws:ViaAWSMCPService":"true"}}"#;
        assert_eq!(codes(&stmt(c)), ["condition-type-mismatch"]);
        let ok = r#""Action":"s3:GetObject","Condition":{"BoolIfExists":{"aws:ViaAWSMCPService":"false"}}"#;
        assert!(codes(&stmt(ok)).is_empty());
    }

    #[test]
    fn bool_values() {
        let c = r#""Action":"s3:GetObject","Condition":{"Bool":{"aws:ViaAWSMCPService":"yes"}}"#;
        assert_eq!(codes(&stmt(c)), ["invalid-bool-value"]);
        let c = r#""Action":"s3:GetObject","Condition":{"Bool":{"aws:ViaAWSMCPService":["true","false"]}}"#;
        assert_eq!(codes(&stmt(c)), ["multiple-bool-values"]);
    }

    #[test]
    fn called_via_holds_a_service_principal() {
        let bad = r#""Action":"s3:GetObject","Condition":{"StringEquals":{"aws:CalledViaAWSMCP":"true"}}"#;
        assert_eq!(codes(&stmt(bad)), ["service-principal-expected"]);
        let ok = r#""Action":"s3:GetObject","Condition":{"StringEquals":{"aws:CalledViaAWSMCP":"aws-mcp.amazonaws.com"}}"#;
        assert!(codes(&stmt(ok)).is_empty());
    }
}
