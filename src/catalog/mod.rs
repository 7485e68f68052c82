//! The catalog (`iam-catalog.toml`): policies, reusable statements, modifiers, callout templates,
//! condition-key documentation, deprecations, placeholders, roles and the team's levels per code
//! (`[lints]`), read with the place of every entry so that catalog errors point at a catalog
//! line. The model is here; `load` reads TOML into it (`tables`: one reader per table), `compose`
//! builds published policies from it (statements plus modifiers), `defaults` holds what every
//! catalog gets, `uses` the entries one page uses. Validating what was read is
//! `crate::validate::catalog`.

mod compose;
mod defaults;
mod load;
pub mod schema;
mod tables;
pub mod template;
#[cfg(test)]
mod tests;
mod uses;

pub use compose::{fill_value, unknown_name};
pub use defaults::{DEFAULT_RETIRED_ACTIONS, default_deprecations};
pub use uses::Uses;

use crate::diagnostic::Finding;
use crate::json::Value;
use crate::policy::{ConditionClause, Effect, PolicyKind, Statement};
use crate::source::SourceFile;
use crate::source::Spanned;
use std::path::PathBuf;
use std::sync::Arc;

pub const DEFAULT_FILE_NAME: &str = "iam-catalog.toml";

/// The catalog schema this binary reads. A catalog may declare any 1.x up to this minor version.
pub const SCHEMA_VERSION: semver::Version = semver::Version::new(1, 0, 0);

#[derive(Debug, Clone)]
pub struct CatalogPolicy {
    pub name: Spanned<String>,
    pub kind: PolicyKind,
    /// The file name readers save the policy as; shown as the code block's title.
    pub file: Option<String>,
    /// The IAM policy name, used by the role commands.
    pub policy_name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub modifiers: Vec<Spanned<String>>,
    pub statements: Vec<StatementRef>,
    /// Claims about access the policy must keep (`claims`), proven by every run.
    pub claims: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub enum StatementRef {
    Inline(Value),
    Named(Spanned<String>),
}

#[derive(Debug, Clone)]
pub struct NamedStatement {
    pub name: Spanned<String>,
    pub description: Option<String>,
    /// The statement's IAM elements (the table without its lowercase catalog fields).
    pub body: Value,
    pub claims: Vec<Spanned<String>>,
}

/// Which statements a modifier's condition is added to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliesTo {
    Allow,
    Deny,
    All,
}

impl AppliesTo {
    pub const ALL: [AppliesTo; 3] = [AppliesTo::Allow, AppliesTo::Deny, AppliesTo::All];

    /// The value's name in the catalog (`applies-to = "deny"`).
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesTo::Allow => "allow",
            AppliesTo::Deny => "deny",
            AppliesTo::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<AppliesTo> {
        AppliesTo::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn matches(self, s: &Statement) -> bool {
        match self {
            AppliesTo::All => true,
            AppliesTo::Allow => s.is_allow(),
            AppliesTo::Deny => matches!(
                s.effect,
                Some(Spanned {
                    value: Effect::Deny,
                    ..
                })
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Modifier {
    pub name: Spanned<String>,
    pub description: Option<String>,
    pub add_condition: Vec<ConditionClause>,
    pub applies_to: AppliesTo,
    pub append: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutStyle {
    /// Collapsible `<details>`: for troubleshooting entries.
    Troubleshooting,
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutStyle {
    pub const ALL: [CalloutStyle; 6] = [
        CalloutStyle::Troubleshooting,
        CalloutStyle::Note,
        CalloutStyle::Tip,
        CalloutStyle::Important,
        CalloutStyle::Warning,
        CalloutStyle::Caution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CalloutStyle::Troubleshooting => "troubleshooting",
            CalloutStyle::Note => "note",
            CalloutStyle::Tip => "tip",
            CalloutStyle::Important => "important",
            CalloutStyle::Warning => "warning",
            CalloutStyle::Caution => "caution",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    /// A valid IAM action (`service:Action`), checked like actions in policies.
    Action,
    /// The name of a catalog policy.
    Policy,
    /// The name of a catalog role.
    Role,
    /// A condition key.
    ConditionKey,
}

impl ParamType {
    pub const ALL: [ParamType; 5] = [
        ParamType::String,
        ParamType::Action,
        ParamType::Policy,
        ParamType::Role,
        ParamType::ConditionKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Action => "action",
            ParamType::Policy => "policy",
            ParamType::Role => "role",
            ParamType::ConditionKey => "condition-key",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CalloutParam {
    pub name: Spanned<String>,
    pub ty: ParamType,
    pub default: Option<Spanned<String>>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Callout {
    pub name: Spanned<String>,
    pub style: CalloutStyle,
    pub title: Spanned<String>,
    pub body: Spanned<String>,
    pub params: Vec<CalloutParam>,
}

/// What a condition key's values must look like beyond its IAM type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRule {
    /// A service principal such as `aws-mcp.amazonaws.com`.
    ServicePrincipal,
}

impl ValueRule {
    pub const ALL: [ValueRule; 1] = [ValueRule::ServicePrincipal];

    /// The rule's name in the catalog (`values = "service-principal"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ValueRule::ServicePrincipal => "service-principal",
        }
    }

    pub fn parse(s: &str) -> Option<ValueRule> {
        ValueRule::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct ConditionKeyDoc {
    pub key: Spanned<String>,
    /// IAM's type name as AWS documents it: String, ARN, Bool, Numeric, Date, IPAddress, Binary, ArrayOfString, ...
    pub key_type: Spanned<String>,
    pub description: String,
    pub values: Option<ValueRule>,
}

#[derive(Debug, Clone)]
pub struct Deprecation {
    /// An action or action pattern (`aws-mcp:*`).
    pub action: Spanned<String>,
    pub since: Option<String>,
    pub hint: String,
}

#[derive(Debug, Clone)]
pub struct Placeholder {
    pub token: Spanned<String>,
    pub example: String,
    pub description: Option<String>,
    /// The `iam-policy` parameter that fills it on one page (`param = "account"`:
    /// `iam-policy NAME account=111122223333`), if any.
    pub param: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: Spanned<String>,
    pub role_name: String,
    pub description: Option<String>,
    pub trust_policy: Spanned<String>,
    pub policies: Vec<Spanned<String>>,
    pub claims: Vec<Spanned<String>>,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub files: Vec<Arc<SourceFile>>,
    /// The paths the catalog was read from (the catalog, then each include), as opened, whether
    /// or not the file could be read.
    pub paths: Vec<PathBuf>,
    pub schema_version: Option<Spanned<String>>,
    pub policies: Vec<CatalogPolicy>,
    pub statements: Vec<NamedStatement>,
    pub modifiers: Vec<Modifier>,
    pub callouts: Vec<Callout>,
    pub condition_keys: Vec<ConditionKeyDoc>,
    pub deprecations: Vec<Deprecation>,
    pub placeholders: Vec<Placeholder>,
    /// `strict-placeholders = true`: only the catalog's own `[placeholders]` are substituted;
    /// AWS's documentation conventions (`account-id`, `<...>`, `REGION`) are errors where
    /// they make a value invalid, instead of notes (`crate::iam::placeholder`).
    pub strict_placeholders: bool,
    pub roles: Vec<Role>,
    /// The team's levels per code (`[lints]`, read from the top catalog file only).
    pub lints: crate::diagnostic::levels::Lints,
}

pub struct Loaded {
    pub catalog: Catalog,
    pub findings: Vec<Finding>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Whether a catalog `file` is a plain file name: no folders, nothing that leaves the output folder.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control)
}

impl Catalog {
    /// Every file whose change changes this catalog: each path read, and where its bytes live
    /// when that differs (a catalog reached through a link), absolute.
    pub fn dependencies(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        for p in &self.paths {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            for candidate in [Some(abs), p.canonicalize().ok()].into_iter().flatten() {
                if !out.contains(&candidate) {
                    out.push(candidate);
                }
            }
        }
        out
    }

    pub fn policy(&self, name: &str) -> Option<&CatalogPolicy> {
        self.policies.iter().find(|p| p.name.value == name)
    }
    pub fn statement(&self, name: &str) -> Option<&NamedStatement> {
        self.statements.iter().find(|p| p.name.value == name)
    }
    pub fn modifier(&self, name: &str) -> Option<&Modifier> {
        self.modifiers.iter().find(|p| p.name.value == name)
    }
    pub fn callout(&self, name: &str) -> Option<&Callout> {
        self.callouts.iter().find(|p| p.name.value == name)
    }
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|p| p.name.value == name)
    }
    /// The placeholder a directive parameter fills (`param = "..."`).
    pub fn placeholder_for_param(&self, param: &str) -> Option<&Placeholder> {
        self.placeholders
            .iter()
            .find(|p| p.param.as_ref().is_some_and(|n| n.value == param))
    }
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKeyDoc> {
        self.condition_keys
            .iter()
            .find(|k| k.key.value.eq_ignore_ascii_case(key))
    }

    /// The deprecation that covers an action, if any (catalog entries first, then the defaults).
    pub fn deprecation_for(&self, action: &str) -> Option<Deprecation> {
        let matches = |d: &Deprecation| {
            crate::iam::wildcard::matches_ignore_case(&d.action.value, action)
                || crate::iam::wildcard::matches_ignore_case(action, &d.action.value)
        };
        self.deprecations
            .iter()
            .find(|d| matches(d))
            .cloned()
            .or_else(|| default_deprecations().into_iter().find(|d| matches(d)))
    }

    /// The catalog's rule for a key's values, else the one every catalog gets: keys whose values
    /// are service principals (`crate::iam::service_principals`'s table).
    pub fn value_rule(&self, key: &str) -> Option<ValueRule> {
        self.condition_key(key).and_then(|k| k.values).or_else(|| {
            crate::iam::service_principals::service_principal_key(key)
                .map(|_| ValueRule::ServicePrincipal)
        })
    }
}
