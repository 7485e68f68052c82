//! Facts about condition keys that AWS's service data does not carry: Boolean keys some requests
//! lack, global keys IAM accepts beyond the reference, tag-key prefixes, identity-provider keys.

use crate::iam::key_type::KeyType;

/// Boolean keys that requests may lack, and when. `Bool` with `"false"` does not match a request
/// without the key; the condition then needs `BoolIfExists`.
pub const OPTIONAL_BOOL_KEYS: [(&str, &str); 2] = [
    (
        "aws:MultiFactorAuthPresent",
        "requests signed with long-term access keys carry no `aws:MultiFactorAuthPresent` key",
    ),
    (
        "aws:ViaAWSMCPService",
        "requests that do not come through an AWS-managed MCP server (direct API calls) carry no `aws:ViaAWSMCPService` key",
    ),
];

/// Global keys IAM accepts that AWS's Service Authorization Reference does not list; AWS's own
/// managed policies use them (`aws:PrincipalOrgMasterAccountId` in AWSSSOServiceRolePolicy).
pub const UNLISTED_GLOBAL_KEYS: [(&str, KeyType); 1] =
    [("aws:PrincipalOrgMasterAccountId", KeyType::String)];

/// Tag-key prefixes whose key needs a tag name after the slash.
pub const TAG_PREFIXES: [&str; 3] = ["aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag"];

/// A key whose prefix is an identity provider (`accounts.google.com:aud`,
/// `token.actions.githubusercontent.com:sub`, `my-idp.example.com/path:aud`): providers define
/// their own claims, so any such key is accepted.
pub fn is_federation_key(key: &str) -> bool {
    key.rsplit_once(':').is_some_and(|(p, k)| {
        !k.is_empty() && (p.contains('.') || p.contains('/')) && !p.contains(char::is_whitespace)
    })
}
