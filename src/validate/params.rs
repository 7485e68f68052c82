//! Callout parameters: a value checked against its declared type (an IAM action, a catalog
//! policy or role, a condition key), with the same checks policies get.

use super::Validator;
use crate::catalog::{ParamType, unknown_name};
use crate::diagnostic::{Code, Finding};
use crate::source::Spanned;

/// Checks a parameter value against its declared type.
pub(super) fn check(
    validator: &Validator<'_>,
    ty: ParamType,
    value: &Spanned<String>,
    findings: &mut Vec<Finding>,
) {
    let catalog = validator.catalog;
    match ty {
        ParamType::String => {}
        ParamType::Action => {
            let mut out = Vec::new();
            let well_formed = validator.action(value, &mut out);
            if !well_formed {
                out = out
                    .into_iter()
                    .map(|f| Finding {
                        code: Code::InvalidParameter,
                        ..f
                    })
                    .collect();
            }
            findings.extend(out);
        }
        ParamType::Policy => {
            if catalog.policy(&value.value).is_none() {
                findings.push(unknown_name(
                    Code::InvalidParameter,
                    "policy",
                    value,
                    catalog.policies.iter().map(|p| p.name.value.as_str()),
                ));
            }
        }
        ParamType::Role => {
            if catalog.role(&value.value).is_none() {
                findings.push(unknown_name(
                    Code::InvalidParameter,
                    "role",
                    value,
                    catalog.roles.iter().map(|p| p.name.value.as_str()),
                ));
            }
        }
        ParamType::ConditionKey => {
            let mut out = Vec::new();
            if !validator.condition_key(value, &mut out) {
                findings.extend(out.into_iter().map(|f| Finding {
                    code: Code::InvalidParameter,
                    ..f
                }));
            }
        }
    }
}
