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
    /// No policy can allow the request: the service refuses it whoever asks, the root user
    /// included. An explicit deny in a policy still decides first (`ExplicitlyDenied`, naming the
    /// statement, as AWS's evaluation logic checks denies before anything else); otherwise the
    /// request is `ImplicitlyDenied` by the rule: no Deny statement refused it, and no Allow can
    /// grant it.
    AlwaysDenied,
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
    // "You cannot change the permissions defined in AWS managed policies" (IAM User Guide,
    // "Managed policies and inline policies"); "You cannot delete AWS managed policies" ("Delete
    // IAM policies"); "AWS managed policies are created and managed by AWS. You can use them, but
    // you can't manage them" ("Define custom IAM permissions with customer managed policies").
    ServiceRule {
        id: "aws-managed-policy",
        actions: &[
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
        ],
        resources: &["arn:*:iam::aws:policy/*"],
        effect: Effect::AlwaysDenied,
        summary: "AWS managed policies are created and managed by AWS: no one can create, change, delete or tag one, whatever the policies allow, so the request is implicitly denied unless a policy denies it explicitly.",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html",
    },
    // "You cannot delete or edit the permissions for a service-linked role in IAM. ... You can use
    // the IAM console, AWS CLI, or API to edit only the description of a service-linked role"
    // (IAM User Guide, "Troubleshoot IAM roles"); "You cannot modify the trust policy for a
    // service-linked role" ("Update a role trust policy"); "You can't use IAM to embed an inline
    // policy for a service-linked role" ("Create IAM policies (AWS API)"). Not here: the
    // description (iam:UpdateRole and iam:UpdateRoleDescription, documented as allowed),
    // iam:PassRole (documented as needed to name a service-linked role to its service, "Grant a
    // user permissions to pass a role to an AWS service"), tags and permissions boundaries (not
    // documented either way), and iam:DeleteServiceLinkedRole, the sanctioned way to delete one
    // ("Use service-linked roles": "Deleting a service-linked role").
    ServiceRule {
        id: "service-linked-role",
        actions: &[
            "iam:DeleteRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
        ],
        resources: &["arn:*:iam::*:role/aws-service-role/*"],
        effect: Effect::AlwaysDenied,
        summary: "A service-linked role's trust and permissions are defined by its service and cannot be edited in IAM, and IAM deletes one only through iam:DeleteServiceLinkedRole, so the request is implicitly denied unless a policy denies it explicitly.",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html#troubleshoot_roles_cant-edit-delete-role",
    },
    // "The alias name for a customer managed key cannot begin with alias/aws/. The alias/aws/
    // prefix is reserved for AWS managed key"; "You cannot manage aliases for AWS managed keys or
    // AWS owned keys" (AWS KMS Developer Guide, "Create aliases").
    ServiceRule {
        id: "aws-managed-kms-alias",
        actions: &["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
        resources: &["arn:*:kms:*:*:alias/aws/*"],
        effect: Effect::AlwaysDenied,
        summary: "The alias/aws/ prefix is reserved for AWS managed keys, whose aliases no one can create, update or delete, so the request is implicitly denied unless a policy denies it explicitly.",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
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
            Effect::ResourcePolicyRequired | Effect::AlwaysDenied => true,
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
        assert_eq!(
            ids(
                "iam:DeletePolicy",
                Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
            ),
            ["aws-managed-policy", "root-user"]
        );
        assert_eq!(
            ids(
                "iam:DeletePolicy",
                Some("arn:aws:iam::111122223333:policy/Mine")
            ),
            ["root-user"]
        );
        assert_eq!(
            ids(
                "iam:deleterole",
                Some(
                    "arn:aws:iam::111122223333:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"
                )
            ),
            ["service-linked-role", "root-user"]
        );
        assert_eq!(
            ids(
                "iam:UpdateRoleDescription",
                Some(
                    "arn:aws:iam::111122223333:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"
                )
            ),
            ["root-user"]
        );
        assert_eq!(
            ids(
                "kms:DeleteAlias",
                Some("arn:aws:kms:us-east-1:111122223333:alias/aws/s3")
            ),
            ["aws-managed-kms-alias", "root-user"]
        );
        assert_eq!(
            ids(
                "kms:DeleteAlias",
                Some("arn:aws:kms:us-east-1:111122223333:alias/mine")
            ),
            ["root-user"]
        );
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
