//! Principals: the principal types of IAM's `Principal` element, and the shapes of service
//! principals and web identity providers.

use std::fmt;

/// The keys of a `Principal` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalType {
    pub const ALL: [PrincipalType; 4] = [
        PrincipalType::Aws,
        PrincipalType::Service,
        PrincipalType::Federated,
        PrincipalType::CanonicalUser,
    ];

    /// The key as IAM spells it (case-sensitive).
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::Service => "Service",
            PrincipalType::Federated => "Federated",
            PrincipalType::CanonicalUser => "CanonicalUser",
        }
    }

    pub fn parse(s: &str) -> Option<PrincipalType> {
        PrincipalType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for PrincipalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Web identity providers named directly in `Federated`.
pub const WEB_IDENTITY_PROVIDERS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

/// `ec2.amazonaws.com`, `logs.us-east-1.amazonaws.com`: lowercase DNS labels under an AWS
/// service domain, no wildcards (the shape only; `crate::iam::service_principals` also knows
/// which services exist).
pub fn is_service_principal(s: &str) -> bool {
    super::service_principals::parse(s).is_some()
}

/// A value that can match service principals: one, or a wildcard pattern of one (for `*Like`
/// operators).
pub fn looks_like_service_principal(s: &str) -> bool {
    if s.contains(['*', '?']) {
        let parts: Vec<&str> = s.split('.').collect();
        return parts.len() >= 2
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?'))
            });
    }
    is_service_principal(s)
}
