//! The typed IAM policy: what a document says, element by element, with the place each part was
//! written. Reading a document into this model is where IAM's grammar is checked (checklist A, B
//! and the operator grammar of E); the checks that need AWS's data run on the model afterwards.
//! Operators, keys and values stay typed so that an evaluator can work on the same model.

mod layout;
mod read;
mod write;

pub use layout::to_prettier_json;

use crate::diagnostic::Finding;
use crate::iam::operator::Operator;
use crate::iam::principal::PrincipalType;
use crate::source::{Span, Spanned};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    Identity,
    Trust,
    Resource,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 3] = [
        PolicyKind::Identity,
        PolicyKind::Trust,
        PolicyKind::Resource,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn needs_principal(self) -> bool {
        !matches!(self, PolicyKind::Identity)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A list element (Action, Resource, a principal's ids, a condition's values): one value or an
/// array, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub items: Vec<Spanned<T>>,
    pub written_as_array: bool,
    pub span: Span,
}

/// Action/NotAction, Resource/NotResource.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    pub negated: bool,
    pub list: List<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any(Span),
    /// `{"AWS": [...], "Service": ..., "Federated": ..., "CanonicalUser": ...}`
    Map(Vec<(Spanned<PrincipalType>, List<String>)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    pub negated: bool,
    pub principal: Principal,
    pub span: Span,
}

/// A condition value: IAM wants strings, and tolerates JSON booleans and numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionValue {
    String(String),
    Bool(bool),
    Number(String),
}

impl ConditionValue {
    pub fn text(&self) -> &str {
        match self {
            ConditionValue::String(s) | ConditionValue::Number(s) => s,
            ConditionValue::Bool(true) => "true",
            ConditionValue::Bool(false) => "false",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    pub key: Spanned<String>,
    pub values: List<ConditionValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionClause {
    pub operator: Spanned<Operator>,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<Spanned<String>>,
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<PrincipalElement>,
    pub action: Option<Targets>,
    pub resource: Option<Targets>,
    pub condition: Vec<ConditionClause>,
    pub span: Span,
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        matches!(
            self.effect,
            Some(Spanned {
                value: Effect::Allow,
                ..
            })
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

/// A document read into the model, with the grammar findings met on the way. Parts that could not
/// be read are left out of the model and reported.
pub struct Read<T> {
    pub value: T,
    pub findings: Vec<Finding>,
}
