//! mdbook-iam: canonical, validated AWS IAM policies in documentation, from one TOML catalog.

pub mod aws_data;
pub mod catalog;
pub mod check;
pub mod diagnostic;
pub mod directive;
pub mod eval;
pub mod expand;
pub mod export;
pub mod install;
pub mod json;
pub mod keys;
pub mod layout;
pub mod mdbook;
pub mod policy;
pub mod raw;
pub mod render;
pub mod resolve;
pub mod scan;
pub mod simulate;
pub mod source;
pub mod template;
pub mod validate;
pub mod wildcard;

use std::sync::Arc;

/// Validates a whole policy document (a file given to `mdbook-iam validate`): JSON syntax, IAM
/// grammar for the kind, then the validator's checks.
pub fn validate_document(
    file: &Arc<source::SourceFile>,
    kind: policy::PolicyKind,
    validator: &validate::Validator<'_>,
) -> Vec<diagnostic::Finding> {
    let doc = match json::parse(file) {
        Ok(d) => d,
        Err(e) => {
            let end = (e.offset + 1).min(file.text().len());
            return vec![diagnostic::Finding::at(
                diagnostic::Code::JsonSyntax,
                format!("not valid JSON: {}", e.message),
                &source::Span::new(file, e.offset..end),
            )];
        }
    };
    let read = policy::Policy::read(&doc, kind);
    let mut findings = read.findings;
    findings.extend(validator.policy(&read.value, kind));
    findings
}
pub mod prose;
pub mod sync;
