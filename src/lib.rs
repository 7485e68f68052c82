//! mdbook-iam: canonical, validated AWS IAM policies in documentation, from one TOML catalog.

pub mod diagnostic;
pub mod json;
pub mod layout;
pub mod policy;
pub mod source;
