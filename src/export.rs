//! `mdbook-iam export`: each catalog policy, as published, written to its own `.json` file for
//! `aws iam` commands, Terraform or tests.

use crate::catalog::Catalog;
use crate::policy::to_prettier_json;
use crate::resolve::policy_file;
use std::path::{Path, PathBuf};

/// Writes every policy and returns the paths written, in catalog order.
pub fn export(catalog: &Catalog, out: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut written = Vec::new();
    for p in &catalog.policies {
        let (policy, _) = catalog.build_policy(p, &[]);
        let file = out.join(policy_file(p));
        if written.contains(&file) {
            return Err(format!(
                "two policies write `{}`; give them different `file` names",
                file.display()
            ));
        }
        std::fs::write(&file, to_prettier_json(&policy.to_value()))
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}
