//! IAM's vocabulary, defined once: element names, principal types, condition operators and key
//! types, ARNs, wildcards and policy variables. Reading, validation and evaluation all use these
//! and nothing here depends on them.

pub mod arn;
pub mod condition_key;
pub mod element;
pub mod key_type;
pub mod operator;
pub mod placeholder;
pub mod principal;
pub mod service_principals;
pub mod values;
pub mod variables;
pub mod wildcard;
