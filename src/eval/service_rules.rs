//! Rules services apply that the policies alone do not show, as data: each names the actions it
//! covers, what it does to the decision, and the AWS documentation page it comes from.

/// What a rule does to the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The service answers any authenticated caller, whatever the policies say (explicit denies
    /// included).
    AlwaysAllowed,
    /// The resource's own policy must allow the request (directly, or by trusting the account);
    /// an identity policy alone is not enough, even in the same account.
    ResourcePolicyRequired,
    /// The account's root user needs no identity policy: it has full access on the identity side
    /// (SCPs, RCPs, resource policies and explicit denies still apply).
    RootUserFullAccess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRule {
    /// A short stable name.
    pub id: &'static str,
    /// Action patterns (`*`, `?`, any case).
    pub actions: &'static [&'static str],
    /// When set, the rule holds only for resources whose ARN matches one of these patterns.
    pub resources: &'static [&'static str],
    pub effect: Effect,
    pub summary: &'static str,
    /// The AWS documentation page that states the rule.
    pub source: &'static str,
}

pub const RULES: &[ServiceRule] = &[
    ServiceRule {
        id: "get-caller-identity",
        actions: &["sts:GetCallerIdentity"],
        resources: &[],
        effect: Effect::AlwaysAllowed,
        summary: "No permissions are required to call sts:GetCallerIdentity; a policy that explicitly denies it does not stop the call.",
        source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
    },
    ServiceRule {
        id: "role-trust-policy",
        actions: &[
            "sts:AssumeRole",
            "sts:AssumeRoleWithSAML",
            "sts:AssumeRoleWithWebIdentity",
        ],
        resources: &["arn:*:iam::*:role/*"],
        effect: Effect::ResourcePolicyRequired,
        summary: "A role's trust policy must allow the principal to assume the role; an identity policy alone is not enough.",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    },
    ServiceRule {
        id: "kms-key-policy",
        actions: &["kms:*"],
        resources: &["arn:*:kms:*:*:key/*"],
        effect: Effect::ResourcePolicyRequired,
        summary: "A KMS key's key policy must allow access, directly or by trusting the account; an identity policy alone is not enough.",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    },
    ServiceRule {
        id: "root-user",
        actions: &["*"],
        resources: &[],
        effect: Effect::RootUserFullAccess,
        summary: "All requests are implicitly denied by default, with the exception of the AWS account root user, which has full access.",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    },
];

impl Effect {
    /// Whether the rule takes access away (it must then hold for every resource a pattern
    /// request matches), rather than grant it (it holds when it holds for some).
    pub fn restricts(self) -> bool {
        match self {
            Effect::AlwaysAllowed | Effect::RootUserFullAccess => false,
            Effect::ResourcePolicyRequired => true,
        }
    }
}

/// The rules that hold for an action on a resource. A resource holding `*` or `?` is a pattern,
/// a question about every resource it matches (see `super::matching::resource_pattern_matches`):
/// a rule that takes access away holds when its resources cover the whole pattern, one that
/// grants when they share a resource with it.
pub fn rules_for(
    action: &str,
    resource: Option<&str>,
) -> impl Iterator<Item = &'static ServiceRule> {
    RULES.iter().filter(move |r| {
        r.actions
            .iter()
            .any(|a| crate::iam::wildcard::matches_ignore_case(a, action))
            && (r.resources.is_empty() || resource.is_some_and(|res| holds_on(r, res)))
    })
}

fn holds_on(rule: &ServiceRule, resource: &str) -> bool {
    use super::matching::{arn_covers, arn_intersects};
    rule.resources.iter().any(|p| {
        if !super::is_pattern(resource) {
            crate::iam::wildcard::matches(p, resource)
        } else if rule.effect.restricts() {
            arn_covers(p, resource)
        } else {
            arn_intersects(p, resource)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_its_source() {
        for r in RULES {
            assert!(
                r.source.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                r.id
            );
            assert!(!r.actions.is_empty() && !r.summary.is_empty());
        }
    }

    #[test]
    fn rules_are_found_by_action_and_resource() {
        let ids = |a: &str, r: Option<&str>| rules_for(a, r).map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids("STS:GetCallerIdentity", None),
            ["get-caller-identity", "root-user"]
        );
        assert_eq!(
            ids("sts:AssumeRole", Some("arn:aws:iam::111122223333:role/R")),
            ["role-trust-policy", "root-user"]
        );
        assert_eq!(ids("sts:AssumeRole", None), ["root-user"]);
        assert_eq!(ids("s3:GetObject", Some("arn:aws:s3:::b/k")), ["root-user"]);
        // A pattern: a rule that takes access away holds only when it covers the whole pattern.
        assert_eq!(
            ids(
                "kms:Decrypt",
                Some("arn:aws:kms:us-east-1:111122223333:key/*")
            ),
            ["kms-key-policy", "root-user"]
        );
        assert_eq!(
            ids("kms:Decrypt", Some("arn:aws:kms:us-east-1:111122223333:*")),
            ["root-user"]
        );
    }
}
