//! mdbook-iam: canonical, validated AWS IAM policies in documentation, from one TOML catalog.

pub mod diagnostic;
pub mod json;
pub mod layout;
pub mod policy;
pub mod source;
pub mod catalog;
pub mod keys;
pub mod template;
pub mod wildcard;
pub mod directive;
pub mod scan;
pub mod validate;
pub mod resolve;
pub mod render;
pub mod expand;
pub mod raw;
pub mod check;
pub mod mdbook;
pub mod export;
pub mod install;
pub mod aws_data;
