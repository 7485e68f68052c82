//! The evaluator: AWS's documented policy evaluation logic on the typed policy model
//! (`crate::policy`), without reparsing. `evaluate` decides a request against a set of policies
//! (identity, resource, boundaries, SCPs and RCPs by organization level, session, VPC endpoint)
//! and says why; `statement_outcome` tells whether one statement applies and what each condition
//! gave, for truth tables; `truth_table` and `claim` build on both.
//!
//! A request whose resource is a pattern (holds `*` or `?`, for an action that takes resources)
//! is a question about the set of resources it matches: allowed when some member is allowed,
//! denied only by a Deny that covers every member. An Allow's Resource applies when it shares a
//! resource with the pattern, a Deny's only when it covers it; an Allow's NotResource when the
//! pattern reaches outside it, a Deny's only when the pattern shares nothing with it
//! (`matching::resource_pattern_matches`). This keeps each answer true of some concrete request:
//! an allowed pattern has an allowed member, and a Deny decides only when no member escapes it.
//! When every Allow granting on the pattern names resources inside it, those members are asked
//! one by one, so a Deny on each of them decides (`combine::evaluate`). Service rules that take
//! access away hold only when they cover the whole pattern. A concrete
//! ARN is matched as an ARN, and the `*` of an action that takes no resource stays `*`.
//!
//! Module map: `request` (the request and its context), `matching` (actions, resources,
//! principals), `conditions` (operators), `variables` (policy variables), `combine` (policy types
//! and accounts), `service_rules` (what services do that policies do not show).

pub mod claim;
pub mod claim_names;
mod combine;
pub mod conditions;
pub mod findings;
pub mod matching;
pub mod request;
pub mod service_rules;
pub mod truth_table;
pub mod variables;

use crate::aws_data::AwsData;
use crate::iam::element::OLD_VERSION;
use crate::policy::{Effect, Policy, Statement};
use crate::source::Span;
pub use conditions::KeyOutcome;
pub use matching::PrincipalMatch;
pub use request::{Context, ContextValue, Principal, Request};
pub use service_rules::ServiceRule;

/// The three answers IAM gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
        }
    }
}

/// The kinds of policy a request is evaluated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    Identity,
    Resource,
    PermissionBoundary,
    ServiceControl,
    ResourceControl,
    Session,
    VpcEndpoint,
}

impl PolicyType {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity policy",
            PolicyType::Resource => "resource policy",
            PolicyType::PermissionBoundary => "permissions boundary",
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
            PolicyType::Session => "session policy",
            PolicyType::VpcEndpoint => "VPC endpoint policy",
        }
    }
}

/// A policy with the name results call it by (a catalog name, a place in a document).
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    pub name: &'a str,
    pub policy: &'a Policy,
}

impl<'a> NamedPolicy<'a> {
    pub fn new(name: &'a str, policy: &'a Policy) -> NamedPolicy<'a> {
        NamedPolicy { name, policy }
    }
}

/// Every policy that takes part in a decision. A type that is absent does not take part; an SCP
/// or RCP level given as an empty list allows nothing. `RCPFullAWSAccess` is added to every RCP
/// level, as AWS attaches it and it cannot be detached.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    pub identity: Vec<NamedPolicy<'a>>,
    pub resource: Option<NamedPolicy<'a>>,
    /// The principal's permissions boundary (none when empty).
    pub boundaries: Vec<NamedPolicy<'a>>,
    /// SCPs by organization level, root first; `None`: the account is in no organization.
    pub service_control: Option<Vec<Vec<NamedPolicy<'a>>>>,
    /// RCPs by organization level, root first; `None`: the account is in no organization.
    pub resource_control: Option<Vec<Vec<NamedPolicy<'a>>>>,
    pub session: Option<NamedPolicy<'a>>,
    /// The policies of the VPC endpoint the request went through (none when empty).
    pub vpc_endpoints: Vec<NamedPolicy<'a>>,
}

impl<'a> PolicySet<'a> {
    /// Identity policies only (the usual question about a catalog policy).
    pub fn identity(policies: impl IntoIterator<Item = NamedPolicy<'a>>) -> PolicySet<'a> {
        PolicySet {
            identity: policies.into_iter().collect(),
            ..PolicySet::default()
        }
    }
}

/// A statement that decided, and where it was written.
#[derive(Debug, Clone)]
pub struct Decided {
    pub policy_type: PolicyType,
    /// The policy's name in the set.
    pub policy: String,
    /// 0-based index of the statement in its policy.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// The statement's span: its file and line.
    pub span: Span,
}

impl Decided {
    /// `file:line`, or `<generated>` for statements the tool made (RCPFullAWSAccess).
    pub fn place(&self) -> String {
        if self.span.is_generated() {
            return "<generated>".into();
        }
        let (line, _) = self.span.line_col();
        format!("{}:{line}", self.span.file.name())
    }

    /// `statement 1 (Sid DenyDirectAPIAccess) of s3-readonly`.
    pub fn describe(&self) -> String {
        let sid = match &self.sid {
            Some(s) if !s.is_empty() => format!(" (`{s}`)"),
            _ => String::new(),
        };
        format!(
            "statement {}{sid} of {} `{}`, at {}",
            self.index,
            self.policy_type.as_str(),
            self.policy,
            self.place()
        )
    }
}

/// A decision that explains itself.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub decision: Decision,
    /// The statements that decided: the denies for `ExplicitlyDenied`, the allows that granted
    /// for `Allowed`; none for `ImplicitlyDenied`.
    pub statements: Vec<Decided>,
    /// For `ImplicitlyDenied`: the policy type in which no statement allowed the request.
    pub denied_at: Option<PolicyType>,
    /// A service rule that decided (`sts:GetCallerIdentity` is always answered).
    pub rule: Option<&'static ServiceRule>,
    /// Context keys the decision needed but the request lacked, in the order met.
    pub missing_context_keys: Vec<String>,
}

impl Evaluation {
    /// One sentence on why: the rule, the deciding statements, or where no allow was found.
    pub fn reason(&self) -> String {
        if let Some(rule) = self.rule {
            return format!(
                "service rule `{}`: {} ({})",
                rule.id, rule.summary, rule.source
            );
        }
        let list = |v: &[Decided]| {
            v.iter()
                .map(Decided::describe)
                .collect::<Vec<_>>()
                .join("; ")
        };
        match self.decision {
            Decision::ExplicitlyDenied => format!("denied by {}", list(&self.statements)),
            Decision::Allowed => format!("allowed by {}", list(&self.statements)),
            Decision::ImplicitlyDenied => match self.denied_at {
                Some(t) => format!("no {} allows the request", t.as_str()),
                None => "no policy allows the request".into(),
            },
        }
    }
}

/// Decides a request as IAM does. `aws` tells which actions take no resource (when the request
/// does not say).
pub fn evaluate(request: &Request, set: &PolicySet<'_>, aws: &AwsData) -> Evaluation {
    combine::evaluate(request, set, aws)
}

/// Whether one statement applies to a request, part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementOutcome {
    pub action: bool,
    pub resource: bool,
    pub principal: PrincipalMatch,
    /// Every key of every condition operator, in the order written.
    pub conditions: Vec<KeyOutcome>,
    pub applies: bool,
    /// Context keys the statement's conditions and variables needed but the request lacked.
    pub missing_context_keys: Vec<String>,
}

/// The text the request's resource is matched as: `*` for an action that takes no resource.
pub fn resource_text<'r>(request: &'r Request, aws: &AwsData) -> &'r str {
    requested_resource(request, aws).0
}

/// The text the request's resource is matched as, and whether it is a pattern: a resource given
/// for an action that takes one, holding `*` or `?`. A pattern asks about every resource it
/// matches (see [`matching::resource_pattern_matches`]); the `*` of an action that takes no
/// resource is no pattern and matches only a Resource of `*`.
pub fn requested_resource<'r>(request: &'r Request, aws: &AwsData) -> (&'r str, bool) {
    let wildcard_only = request.wildcard_only.unwrap_or_else(|| {
        request
            .action
            .split_once(':')
            .and_then(|(svc, name)| aws.action(svc, name))
            .is_some_and(|a| a.is_wildcard_only())
    });
    match &request.resource {
        Some(r) if !wildcard_only => (r, is_pattern(r)),
        _ => ("*", false),
    }
}

/// Whether a requested resource is a pattern (holds `*` or `?`).
pub fn is_pattern(resource: &str) -> bool {
    resource.contains(['*', '?'])
}

/// Whether policy variables are read in a policy: only with Version 2012-10-17.
pub fn reads_variables(policy: &Policy) -> bool {
    policy
        .version
        .as_ref()
        .is_some_and(|v| v.value != OLD_VERSION)
}

/// Evaluates one statement against a request, every part and every condition key (no
/// short-cuts), for truth tables and claims. `variables`: whether the statement's policy reads
/// policy variables (see `reads_variables`).
pub fn statement_outcome(
    s: &Statement,
    request: &Request,
    variables: bool,
    aws: &AwsData,
) -> StatementOutcome {
    let (resource, pattern) = requested_resource(request, aws);
    combine::statement_outcome(s, request, resource, pattern, variables, false)
}

#[cfg(test)]
mod tests;
