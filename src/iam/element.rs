//! IAM's policy and statement element names and policy language versions, defined once.

pub const VERSION: &str = "Version";
pub const ID: &str = "Id";
pub const STATEMENT: &str = "Statement";
pub const SID: &str = "Sid";
pub const EFFECT: &str = "Effect";
pub const PRINCIPAL: &str = "Principal";
pub const NOT_PRINCIPAL: &str = "NotPrincipal";
pub const ACTION: &str = "Action";
pub const NOT_ACTION: &str = "NotAction";
pub const RESOURCE: &str = "Resource";
pub const NOT_RESOURCE: &str = "NotResource";
pub const CONDITION: &str = "Condition";
/// Policy elements in IAM's conventional order, which is also our output order.
pub const POLICY: [&str; 3] = [VERSION, ID, STATEMENT];
/// Statement elements in IAM's conventional order.
pub const STATEMENT_ELEMENTS: [&str; 9] = [
    SID,
    EFFECT,
    PRINCIPAL,
    NOT_PRINCIPAL,
    ACTION,
    NOT_ACTION,
    RESOURCE,
    NOT_RESOURCE,
    CONDITION,
];

/// The current policy language version; policy variables need it.
pub const CURRENT_VERSION: &str = "2012-10-17";
pub const OLD_VERSION: &str = "2008-10-17";
