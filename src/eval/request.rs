//! A request as IAM sees it: who asks (the principal, read from the string a user gives), for
//! which action on which resource, and the request context. Context keys are case-insensitive,
//! as IAM compares them; a value is one string or a list of strings.

use std::fmt;

/// Who makes the request, read from an ARN, an account ID, a service principal or `anonymous`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An unsigned request.
    Anonymous,
    /// The account's root user (`arn:aws:iam::111122223333:root`, or just the account ID).
    Root { partition: String, account: String },
    /// An IAM user.
    User { arn: String, account: String },
    /// An IAM role named by its ARN (requests are made by its sessions; a role ARN stands for a
    /// session of it whose name is not known).
    Role {
        arn: String,
        account: String,
        name: String,
    },
    /// An STS assumed-role session: `arn:aws:sts::111122223333:assumed-role/Role/session`.
    AssumedRole {
        arn: String,
        account: String,
        role_name: String,
        partition: String,
    },
    /// An STS federated user session: `arn:aws:sts::111122223333:federated-user/name`.
    FederatedUser { arn: String, account: String },
    /// An AWS service: `cloudtrail.amazonaws.com`.
    Service(String),
    /// An identity provider acting for a web identity or SAML user (`accounts.google.com`,
    /// `arn:aws:iam::111122223333:oidc-provider/...`): the principal of `AssumeRoleWith*`.
    Federated(String),
}

/// Why a principal string was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalError(pub String);

impl fmt::Display for PrincipalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Web identity providers that sign requests under their own name, not an ARN.
const WEB_IDENTITY_PROVIDERS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())
}

impl Principal {
    /// Reads a principal as the simulation document and `--principal` give it.
    pub fn parse(s: &str) -> Result<Principal, PrincipalError> {
        let bad = |why: &str| Err(PrincipalError(format!("`{s}` {why}")));
        if s == "anonymous" {
            return Ok(Principal::Anonymous);
        }
        if is_account_id(s) {
            return Ok(Principal::Root {
                partition: "aws".into(),
                account: s.into(),
            });
        }
        if WEB_IDENTITY_PROVIDERS.contains(&s) {
            return Ok(Principal::Federated(s.into()));
        }
        if !s.starts_with("arn:") {
            if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") {
                return Ok(Principal::Service(s.into()));
            }
            return bad(
                "is not a principal: give an IAM or STS ARN, a 12-digit account ID, a service principal (`name.amazonaws.com`) or `anonymous`",
            );
        }
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        let [_, partition, service, _region, account, resource] = parts[..] else {
            return bad("is not an ARN with six fields");
        };
        if !is_account_id(account) {
            return bad("does not name a 12-digit account");
        }
        let (kind, rest) = resource.split_once('/').unwrap_or((resource, ""));
        let arn = s.to_string();
        let account = account.to_string();
        match (service, kind) {
            ("iam", "root") if rest.is_empty() => Ok(Principal::Root {
                partition: partition.into(),
                account,
            }),
            ("iam", "user") if !rest.is_empty() => Ok(Principal::User { arn, account }),
            ("iam", "role") if !rest.is_empty() => Ok(Principal::Role {
                name: rest.rsplit('/').next().unwrap_or(rest).to_string(),
                arn,
                account,
            }),
            ("iam", "oidc-provider" | "saml-provider") if !rest.is_empty() => {
                Ok(Principal::Federated(arn))
            }
            ("sts", "assumed-role") => match rest.split_once('/') {
                Some((role, session)) if !role.is_empty() && !session.is_empty() => {
                    Ok(Principal::AssumedRole {
                        role_name: role.to_string(),
                        partition: partition.into(),
                        arn,
                        account,
                    })
                }
                _ => bad(
                    "is not an assumed-role ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`)",
                ),
            },
            ("sts", "federated-user") if !rest.is_empty() => {
                Ok(Principal::FederatedUser { arn, account })
            }
            _ => bad(
                "is not a principal ARN (IAM user, role or root; STS assumed-role or federated-user; an identity provider)",
            ),
        }
    }

    /// The account the principal belongs to; `None` for anonymous, service and provider principals.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Root { account, .. }
            | Principal::User { account, .. }
            | Principal::Role { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
            Principal::Anonymous | Principal::Service(_) | Principal::Federated(_) => None,
        }
    }

    /// The principal's own name in policies: its ARN, or the service or provider name.
    pub fn name(&self) -> String {
        match self {
            Principal::Anonymous => "anonymous".into(),
            Principal::Root { partition, account } => {
                format!("arn:{partition}:iam::{account}:root")
            }
            Principal::User { arn, .. }
            | Principal::Role { arn, .. }
            | Principal::AssumedRole { arn, .. }
            | Principal::FederatedUser { arn, .. } => arn.clone(),
            Principal::Service(s) | Principal::Federated(s) => s.clone(),
        }
    }

    /// An IAM principal of an account: the ones identity policies, boundaries and SCPs apply to.
    pub fn is_iam(&self) -> bool {
        self.account().is_some()
    }

    /// The role an assumed-role session belongs to, as an IAM role ARN without path.
    pub fn session_role_arn(&self) -> Option<String> {
        match self {
            Principal::AssumedRole {
                partition,
                account,
                role_name,
                ..
            } => Some(format!("arn:{partition}:iam::{account}:role/{role_name}")),
            _ => None,
        }
    }
}

/// A context value: one string, or the list a multivalued key carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    One(String),
    Many(Vec<String>),
}

impl ContextValue {
    /// The values, one or many.
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::One(v) => std::slice::from_ref(v),
            ContextValue::Many(v) => v,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> ContextValue {
        ContextValue::One(s.to_string())
    }
}

/// The request context: keys case-insensitive, the last value given for a key wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

impl Context {
    pub const fn new() -> Context {
        Context {
            entries: Vec::new(),
        }
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ContextValue>) {
        let key = key.into();
        let value = value.into();
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some(e) => e.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<ContextValue>) -> Context {
        self.insert(key, value);
        self
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// One request to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub principal: Principal,
    /// `service:Action`, as the service names it (compared case-insensitively).
    pub action: String,
    /// The resource ARN; `None` for an action that takes no resource (read as `*`).
    pub resource: Option<String>,
    /// The account that owns the resource; defaults to the ARN's account, then the principal's.
    pub resource_account: Option<String>,
    pub context: Context,
    /// Whether the action takes only `*` as its resource; `None`: from AWS's data.
    pub wildcard_only: Option<bool>,
}

impl Request {
    pub fn new(principal: Principal, action: impl Into<String>) -> Request {
        Request {
            principal,
            action: action.into(),
            resource: None,
            resource_account: None,
            context: Context::new(),
            wildcard_only: None,
        }
    }

    pub fn on(mut self, resource: impl Into<String>) -> Request {
        self.resource = Some(resource.into());
        self
    }

    pub fn with_context(mut self, key: &str, value: impl Into<ContextValue>) -> Request {
        self.context.insert(key, value);
        self
    }

    /// The account the resource belongs to: given, else the ARN's, else the principal's.
    pub fn resource_account(&self) -> Option<&str> {
        if let Some(a) = &self.resource_account {
            return Some(a);
        }
        let from_arn = self
            .resource
            .as_deref()
            .and_then(|r| r.split(':').nth(4))
            .filter(|a| is_account_id(a));
        from_arn.or_else(|| self.principal.account())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_read_from_what_users_write() {
        assert_eq!(Principal::parse("anonymous"), Ok(Principal::Anonymous));
        assert!(matches!(
            Principal::parse("111122223333"),
            Ok(Principal::Root { .. })
        ));
        assert!(matches!(
            Principal::parse("arn:aws:iam::111122223333:user/a/b"),
            Ok(Principal::User { .. })
        ));
        let s = Principal::parse("arn:aws:sts::111122223333:assumed-role/Reader/s1").unwrap();
        assert_eq!(
            s.session_role_arn().as_deref(),
            Some("arn:aws:iam::111122223333:role/Reader")
        );
        assert_eq!(
            Principal::parse("cloudtrail.amazonaws.com"),
            Ok(Principal::Service("cloudtrail.amazonaws.com".into()))
        );
        assert!(matches!(
            Principal::parse("accounts.google.com"),
            Ok(Principal::Federated(_))
        ));
        assert!(Principal::parse("bob").is_err());
        assert!(Principal::parse("arn:aws:s3:::bucket").is_err());
        assert!(Principal::parse("arn:aws:iam::1234:user/x").is_err());
    }

    #[test]
    fn context_keys_are_case_insensitive() {
        let c = Context::new()
            .with("aws:ViaAWSMCPService", "true")
            .with("AWS:viaawsmcpservice", "false");
        assert_eq!(c.get("aws:viaAWSMCPservice"), Some(&"false".into()));
        assert_eq!(c.iter().count(), 1);
    }

    #[test]
    fn the_resource_account_comes_from_the_arn_then_the_principal() {
        let p = Principal::parse("arn:aws:iam::111122223333:user/a").unwrap();
        let r = Request::new(p.clone(), "s3:GetObject").on("arn:aws:s3:::b/k");
        assert_eq!(r.resource_account(), Some("111122223333"));
        let r = Request::new(p, "sqs:SendMessage").on("arn:aws:sqs:us-east-1:444455556666:q");
        assert_eq!(r.resource_account(), Some("444455556666"));
    }
}
