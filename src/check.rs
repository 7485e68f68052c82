//! Whole-catalog validation: every policy as published, every reusable statement, every callout
//! default, every reference between entries. Run once per build, before any page.

use crate::aws_data::AwsData;
use crate::catalog::{Catalog, Loaded};
use crate::diagnostic::Finding;
use crate::resolve::check_param;
use crate::validate::Validator;
use std::path::Path;

/// Loads a catalog and validates it. Findings point into the catalog files.
pub fn open_catalog(path: &Path, root: &Path) -> Loaded {
    open_catalog_with(path, root, AwsData::embedded())
}

/// As [`open_catalog`], validating against the given AWS data.
pub fn open_catalog_with(path: &Path, root: &Path, aws: &AwsData) -> Loaded {
    let mut loaded = Catalog::load(path, root);
    let missing = loaded
        .findings
        .iter()
        .any(|f| f.code == crate::diagnostic::Code::CatalogNotFound);
    if !missing {
        let more = check_catalog(&Validator::with_aws_data(&loaded.catalog, aws));
        loaded.findings.extend(more);
    }
    loaded
}

pub fn check_catalog(validator: &Validator<'_>) -> Vec<Finding> {
    let catalog = validator.catalog;
    let mut findings = catalog.check_references();
    findings.extend(validator.catalog_condition_keys());
    for p in &catalog.policies {
        let (policy, fs) = catalog.build_policy(p, &[]);
        findings.extend(fs);
        findings.extend(validator.policy(&policy, p.kind));
    }
    for s in &catalog.statements {
        let (stmt, fs) = catalog.build_statement(s);
        findings.extend(fs);
        if let Some(stmt) = stmt {
            validator.statement(&stmt, &mut findings);
        }
    }
    for c in &catalog.callouts {
        for p in &c.params {
            if let Some(d) = &p.default {
                check_param(p.ty, d, catalog, validator, &mut findings);
            }
        }
    }
    dedup(findings)
}

/// The same finding reached twice (a statement used by two policies) is reported once.
pub fn dedup(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let dup = out
            .iter()
            .any(|o| o.code == f.code && o.span == f.span && o.message == f.message);
        if !dup {
            out.push(f);
        }
    }
    out
}
