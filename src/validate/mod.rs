//! Validation of a read policy, after the grammar checks the reader did: IAM Access Analyzer's
//! class of checks, offline, against AWS's service data (`crate::aws_data`) and the catalog
//! (deprecations, documented condition keys, value rules, placeholders).
//!
//! One statement is checked in this order, each step a module: its actions are resolved against
//! AWS's data (`actions`), then its resources are matched against the resource types of those
//! actions (`resources`), its conditions against their condition keys (`conditions`), the
//! format of its principals (`principals`), and the whole for risky grants (`security`); policy
//! variables are checked wherever they are written (`variables`). The policy as a whole is then
//! measured against the quota for its kind (`size`).

mod actions;
mod catalog;
mod condition_keys;
mod conditions;
mod params;
mod placeholders;
mod principals;
mod resources;
mod retired;
mod security;
mod size;
mod variables;

use crate::aws_data::{Action, AwsData, Service};
use crate::catalog::Catalog;
use crate::diagnostic::Finding;
use crate::iam::element::OLD_VERSION;
use crate::policy::{Policy, PolicyKind, Statement};
use crate::source::Spanned;
use std::borrow::Cow;

pub use actions::ActionMatch;
pub use catalog::dedup;
pub use size::{policy_size, size_limit};

/// The note for a value that looks like an undeclared documentation placeholder.
const UNDECLARED_PLACEHOLDER: &str = "if this is a documentation placeholder, declare it under [placeholders] in the catalog with an example value";

/// A suggestion that one entry of a list is already covered by another in the same statement.
fn redundant(
    code: crate::diagnostic::Code,
    entry: &Spanned<String>,
    by: &Spanned<String>,
) -> Finding {
    Finding::at(
        code,
        format!(
            "`{}` is already covered by `{}` in this statement",
            entry.value, by.value
        ),
        &entry.span,
    )
    .with_note(Some(by.span.clone()), "covered by this entry")
    .with_help(format!("remove `{}`", entry.value))
}

pub struct Validator<'a> {
    pub catalog: &'a Catalog,
    pub aws: &'a AwsData,
    /// The service prefixes, lowercase, of every retirement (the catalog's and the defaults):
    /// actions of other services need no deprecation lookup.
    retired_prefixes: Vec<String>,
}

impl<'a> Validator<'a> {
    /// A validator with the AWS data embedded in the binary.
    pub fn new(catalog: &'a Catalog) -> Validator<'a> {
        Validator::with_aws_data(catalog, AwsData::embedded())
    }

    /// A validator with other AWS data (a fresher copy given with `--aws-data`, or test data).
    pub fn with_aws_data(catalog: &'a Catalog, aws: &'a AwsData) -> Validator<'a> {
        let retired_prefixes = catalog
            .deprecations
            .iter()
            .map(|d| d.action.value.as_str())
            .chain(crate::catalog::DEFAULT_RETIRED_ACTIONS)
            .map(|action| {
                action
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            })
            .collect();
        Validator {
            catalog,
            aws,
            retired_prefixes,
        }
    }

    /// Whether the catalog or the defaults retire any action of this service prefix (a retirement
    /// written with a wildcard in its prefix counts for every service).
    pub(crate) fn may_be_retired(&self, prefix: &str) -> bool {
        self.retired_prefixes
            .iter()
            .any(|p| p.eq_ignore_ascii_case(prefix) || p.contains(['*', '?']) || p.is_empty())
    }

    /// All findings for a policy of the given kind (grammar findings come from reading it).
    pub fn policy(&self, policy: &Policy, kind: PolicyKind) -> Vec<Finding> {
        let mut out = Vec::new();
        // A policy without `Version` is read by IAM as 2008-10-17, which has no variables.
        let variables = policy
            .version
            .as_ref()
            .is_some_and(|v| v.value != OLD_VERSION);
        for s in &policy.statements {
            self.check_statement(s, variables, &mut out);
        }
        placeholders::dedup(&mut out, 0);
        size::check(policy, kind, &mut out);
        out
    }

    /// A whole policy document (a file given to `mdbook-iam validate`): JSON syntax, IAM grammar
    /// for the kind, then every check.
    pub fn document(
        &self,
        file: &std::sync::Arc<crate::source::SourceFile>,
        kind: PolicyKind,
    ) -> Vec<Finding> {
        let doc = match crate::json::parse(file) {
            Ok(d) => d,
            Err(e) => {
                return vec![Finding::at(
                    crate::diagnostic::Code::JsonSyntax,
                    format!("not valid JSON: {}", e.message),
                    &crate::source::Span::char_at(file, e.offset),
                )];
            }
        };
        // A CloudFormation or SAM template: each policy inside, as its own kind.
        if let Some(policies) = crate::template::json_policies(&doc) {
            return self.template_policies(&policies);
        }
        let read = Policy::read(&doc, kind);
        let mut findings = read.findings;
        findings.extend(self.policy(&read.value, kind));
        findings
    }

    /// The policies found in a CloudFormation or SAM template, each read and checked as its kind.
    pub fn template_policies(&self, policies: &[crate::template::TemplatePolicy]) -> Vec<Finding> {
        let mut findings = Vec::new();
        for p in policies {
            let read = Policy::read(&p.value, p.kind);
            findings.extend(read.findings);
            findings.extend(self.policy(&read.value, p.kind));
        }
        findings
    }

    /// The findings for one statement on its own (a reusable statement, a pasted fragment):
    /// everything but the checks on the policy as a whole.
    pub fn statement(&self, s: &Statement, out: &mut Vec<Finding>) {
        let from = out.len();
        self.check_statement(s, true, out);
        placeholders::dedup(out, from);
    }

    /// Checks one action: its form, deprecations, and that AWS defines it. Returns whether it is
    /// well-formed (an unknown but well-formed action is reported and still returns true).
    pub fn action(&self, a: &Spanned<String>, out: &mut Vec<Finding>) -> bool {
        actions::check_one(self, a, out).0
    }

    /// A callout parameter's value against its declared type.
    pub fn param(
        &self,
        ty: crate::catalog::ParamType,
        value: &Spanned<String>,
        out: &mut Vec<Finding>,
    ) {
        params::check(self, ty, value, out)
    }

    /// The whole catalog: every policy as published, every reusable statement, every callout
    /// default, every reference between entries. Findings point into the catalog files.
    pub fn catalog(&self) -> Vec<Finding> {
        catalog::check(self, None)
    }

    /// The same checks on the entries one page uses.
    pub fn catalog_entries(&self, uses: &crate::catalog::Uses) -> Vec<Finding> {
        catalog::check(self, Some(uses))
    }

    /// Checks that a condition key exists (a global, service, tag or identity-provider key, or
    /// one the catalog documents), placeholders substituted; reports it if not.
    pub fn condition_key(&self, key: &Spanned<String>, out: &mut Vec<Finding>) -> bool {
        condition_keys::lookup(self, &self.substitute(&key.value), key, out).is_some()
    }

    /// The catalog's documented condition keys against AWS's data: a key AWS defines must be
    /// documented with AWS's type (a catalog may document keys AWS's data does not have yet).
    pub fn catalog_condition_keys(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for doc in &self.catalog.condition_keys {
            let (Some(documented), Some(aws)) = (
                crate::iam::key_type::KeyType::parse(&doc.key_type.value),
                self.aws
                    .condition_key(&doc.key.value)
                    .and_then(|k| k.key_type),
            ) else {
                continue;
            };
            if documented != aws {
                out.push(
                    Finding::at(
                        crate::diagnostic::Code::CatalogSchema,
                        format!(
                            "`{}` is documented as {documented}, but AWS defines it as {aws}",
                            doc.key.value
                        ),
                        &doc.key_type.span,
                    )
                    .with_help(format!("write type = \"{aws}\"")),
                );
            }
        }
        out
    }

    /// What an action (`s3:GetObject`, `s3:Get*`, `*`) stands for in AWS's data.
    pub fn resolve_action(&self, action: &str) -> ActionMatch<'a> {
        actions::resolve(self, action)
    }

    fn check_statement(&self, s: &Statement, variables: bool, out: &mut Vec<Finding>) {
        let actions = actions::check(self, s, out);
        let known = known_actions(s, &actions);
        let cx = Cx {
            v: self,
            s,
            variables,
            actions,
            known,
        };
        resources::check(&cx, out);
        conditions::check(&cx, out);
        principals::check(&cx, out);
        security::check(&cx, out);
    }

    /// The text with every catalog placeholder (`<YOUR_AWS_ACCOUNT_ID>`) replaced by its
    /// example value, so that ARNs and keys written with placeholders are checked as real ones.
    /// AWS's own conventions (`account-id`, `REGION`, `<...>`) are filled after this, field by
    /// field, where the value is read (`placeholders`), so the catalog's declarations win.
    pub fn substitute<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for p in &self.catalog.placeholders {
            if !p.token.value.is_empty() && out.contains(p.token.value.as_str()) {
                out = Cow::Owned(out.replace(p.token.value.as_str(), &p.example));
            }
        }
        out
    }
}

/// One statement being checked, with its actions resolved once for every check that needs them.
pub(crate) struct Cx<'v, 'a> {
    pub v: &'v Validator<'a>,
    pub s: &'v Statement,
    /// Whether the policy's version supports policy variables (`${aws:username}`).
    pub variables: bool,
    /// One entry per item of `Action` / `NotAction`, in order.
    pub actions: Vec<ActionMatch<'a>>,
    /// The actions the statement grants or denies, when every entry of its `Action` is known:
    /// `None` for `NotAction`, `*`, or any entry AWS's data does not resolve.
    pub known: Option<Vec<(&'a Service, &'a Action)>>,
}

fn known_actions<'a>(
    s: &Statement,
    actions: &[ActionMatch<'a>],
) -> Option<Vec<(&'a Service, &'a Action)>> {
    let targets = s.action.as_ref()?;
    if targets.negated || actions.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for r in actions {
        match r {
            ActionMatch::Actions {
                service, actions, ..
            } => out.extend(actions.iter().map(|a| (*service, *a))),
            ActionMatch::Everything | ActionMatch::Unknown => return None,
        }
    }
    Some(out)
}

impl Cx<'_, '_> {
    pub fn is_allow(&self) -> bool {
        self.s.is_allow()
    }
}

/// The longest name a "did you mean" is computed for: longer text is no typo of a name, and
/// string similarity costs the product of the lengths.
pub(crate) const SUGGEST_MAX: usize = 100;

/// `diagnostic::did_you_mean`, for text short enough to be a misspelled name.
pub(crate) fn suggest<'c>(
    given: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    if given.len() > SUGGEST_MAX {
        return None;
    }
    crate::diagnostic::did_you_mean(given, candidates)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::json::parse;
    use crate::source::SourceFile;

    /// A catalog with one placeholder and the default deprecations.
    pub fn catalog() -> Catalog {
        Catalog::from_text(
            "c.toml",
            "[placeholders.\"<YOUR_AWS_ACCOUNT_ID>\"]\nexample = \"123456789012\"\n\n\
             [condition-keys.\"aws:ViaAWSMCPService\"]\ntype = \"Bool\"\ndescription = \"x\"\n",
        )
        .catalog
    }

    /// Every finding for a policy (grammar and validation), as `severity:code` strings.
    pub fn findings(policy: &str, kind: PolicyKind) -> Vec<Finding> {
        findings_with(&catalog(), policy, kind)
    }

    /// `findings` with another catalog.
    pub fn findings_with(catalog: &Catalog, policy: &str, kind: PolicyKind) -> Vec<Finding> {
        let file = SourceFile::new("p.json", policy);
        let read = Policy::read(&parse(&file).expect("test policies are JSON"), kind);
        let mut out = read.findings;
        out.extend(Validator::new(catalog).policy(&read.value, kind));
        out
    }

    /// The codes for one statement on `"*"` with the given action and `Condition` element.
    pub fn cond(action: &str, condition: &str) -> Vec<&'static str> {
        codes(&on_star(&format!(
            r#""Action":"{action}","Condition":{condition}"#
        )))
    }

    /// The codes of the validator's findings for an identity policy.
    pub fn codes(policy: &str) -> Vec<&'static str> {
        codes_of(policy, PolicyKind::Identity)
    }

    pub fn codes_of(policy: &str, kind: PolicyKind) -> Vec<&'static str> {
        findings(policy, kind)
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    /// An identity policy with one statement: `Effect: Allow` plus `body`.
    pub fn stmt(body: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{body}}}]}}"#)
    }

    /// `stmt` with `"Resource": "*"`.
    pub fn on_star(body: &str) -> String {
        stmt(&format!(r#""Resource":"*",{body}"#))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn a_clean_policy_has_no_findings() {
        assert!(codes(&on_star(r#""Action":["s3:GetObject","s3:ListBucket"]"#)).is_empty());
    }

    #[test]
    fn placeholders_are_replaced_by_their_examples() {
        let catalog = catalog();
        let aws = AwsData::embedded();
        let v = Validator::with_aws_data(&catalog, aws);
        assert_eq!(
            v.substitute("arn:aws:iam::<YOUR_AWS_ACCOUNT_ID>:root"),
            "arn:aws:iam::123456789012:root"
        );
        assert!(matches!(v.substitute("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn statements_are_checked_alone() {
        let catalog = catalog();
        let file = crate::source::SourceFile::new(
            "s.json",
            r#"{"Effect":"Allow","Principal":{"Service":"ec2"},"Action":"s3:GetObjects","Resource":"*"}"#,
        );
        let read = Statement::read(&crate::json::parse(&file).unwrap(), PolicyKind::Resource);
        let mut out = Vec::new();
        Validator::new(&catalog).statement(read.value.as_ref().unwrap(), &mut out);
        let codes: Vec<&str> = out.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["invalid-action", "invalid-service-principal"]);
    }

    #[test]
    fn condition_keys_alone() {
        let catalog = catalog();
        let v = Validator::new(&catalog);
        let key = |k: &str| {
            let mut out = Vec::new();
            let ok = v.condition_key(
                &Spanned::new(k.to_string(), crate::source::Span::generated()),
                &mut out,
            );
            (ok, out.iter().map(|f| f.code.as_str()).collect::<Vec<_>>())
        };
        assert_eq!(key("aws:ViaAWSMCPService"), (true, vec![]));
        assert_eq!(key("s3:prefix"), (true, vec![]));
        assert_eq!(
            key("s3:prefx"),
            (false, vec!["invalid-service-condition-key"])
        );
        assert_eq!(
            key("aws:Nope"),
            (false, vec!["invalid-global-condition-key"])
        );
    }

    #[test]
    fn documented_key_types_agree_with_aws() {
        let text = "[condition-keys.\"aws:CalledViaAWSMCP\"]\ntype = \"Bool\"\ndescription = \"x\"\n\n\
                    [condition-keys.\"aws:ViaAWSMCPService\"]\ntype = \"Bool\"\ndescription = \"x\"\n\n\
                    [condition-keys.\"example:NotYetInTheData\"]\ntype = \"String\"\ndescription = \"x\"\n";
        let catalog = Catalog::from_text("c.toml", text).catalog;
        let found = Validator::new(&catalog).catalog_condition_keys();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("aws:CalledViaAWSMCP"));
        assert_eq!(found[0].span.as_ref().unwrap().text(), "\"Bool\"");
    }
}
