//! `iam-access-summary NAME [MODIFIER...]`: what a catalog policy or role allows, per service
//! and access level, computed by evaluation over every action of AWS's data (see
//! `crate::access`). Unknown names are errors at their word, with a "did you mean".

use super::{Resolved, Table};
use crate::access::command::{catalog_subject, principal_for, summarize_built};
use crate::access::render::intro;
use crate::access::report::TABLE_HEADER;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::page::directive::Directive;
use crate::validate::Validator;

pub fn resolve(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let name = &d.args[0];
    let built = match catalog_subject(catalog, validator, name, &d.args[1..], false) {
        Ok(b) => b,
        Err(fs) => {
            findings.extend(fs);
            return None;
        }
    };
    let role = catalog
        .role(&name.value)
        .filter(|_| catalog.policy(&name.value).is_none())
        .map(|r| r.role_name.as_str());
    let principal = principal_for(catalog, &built, role);
    match summarize_built(&name.value, &built, &principal, validator.aws) {
        Ok(s) => Some(Resolved::AccessSummary {
            intro: intro(&s, validator.aws),
            table: Table {
                header: TABLE_HEADER.iter().map(|h| h.to_string()).collect(),
                rows: s.table_rows(),
            },
        }),
        Err(why) => {
            findings.push(
                Finding::at(
                    Code::AccessTooComplex,
                    format!("`{}` cannot be summarized: {why}", name.value),
                    &d.span,
                )
                .with_help("split the statements that compare many condition keys, or show the policy's truth table for the keys that matter"),
            );
            None
        }
    }
}
