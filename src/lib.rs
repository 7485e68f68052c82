//! mdbook-iam: canonical, validated AWS IAM policies in documentation, from one TOML catalog.

pub mod access;
pub mod adopt;
pub mod aws_data;
pub mod catalog;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod eval;
pub mod expand;
pub mod export;
pub mod files;
pub mod hosts;
pub mod iam;
pub mod json;
pub mod lsp;
pub mod page;
pub mod policy;
pub mod render;
pub mod resolve;
pub mod run;
pub mod sarif;
pub mod simulate;
pub mod source;
pub mod sync;
pub mod template;
pub mod validate;

pub use run::{
    AwsSelection, CheckReport, ExpandRequest, Expanded, Exported, PageSource, SimulateInput,
    SimulateReport, SyncMode, SyncReport, check, expand, export, open_catalog, simulate, sync,
    validate,
};
