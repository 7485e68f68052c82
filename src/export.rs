//! `mdbook-iam export`: each catalog policy, as published, written to its own `.json` file for
//! `aws iam` commands, Terraform or tests. All files are written or none: each goes to a
//! temporary file in the output folder first, and only when all are written are they renamed
//! into place (a link planted in the folder is replaced, not written through).

use crate::catalog::Catalog;
use crate::error::Error;
use crate::policy::to_prettier_json;
use crate::resolve::policy_file;
use std::io::Write as _;
use std::path::{Path, PathBuf};

pub struct Export {
    /// Every file written, in catalog order.
    pub written: Vec<PathBuf>,
    /// The files among them that existed before.
    pub replaced: Vec<PathBuf>,
}

/// Writes every policy of the catalog into `out` (created if missing).
pub fn export(catalog: &Catalog, out: &Path) -> Result<Export, Error> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for p in &catalog.policies {
        let name = policy_file(p);
        // The catalog loader accepts only plain file names; this keeps a programmatic catalog
        // from writing elsewhere too.
        if !crate::catalog::is_plain_file_name(&name) {
            return Err(Error::Usage(format!(
                "policy `{}` has the file name `{name}`, which is not a plain file name",
                p.name.value
            )));
        }
        let file = out.join(&name);
        if files.iter().any(|(f, _)| *f == file) {
            return Err(Error::Usage(format!(
                "two policies write `{}`; give them different `file` names",
                file.display()
            )));
        }
        let (policy, _) = catalog.build_policy(p, &[]);
        files.push((file, to_prettier_json(&policy.to_value())));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io("create", out, e))?;
    let mut staged = Vec::with_capacity(files.len());
    for (file, text) in &files {
        let mut tmp = tempfile::Builder::new()
            .prefix(".mdbook-iam-")
            .suffix(".tmp")
            .tempfile_in(out)
            .map_err(|e| Error::io("write", file, e))?;
        tmp.write_all(text.as_bytes())
            .map_err(|e| Error::io("write", file, e))?;
        staged.push(tmp);
    }
    let mut export = Export {
        written: Vec::new(),
        replaced: Vec::new(),
    };
    for (tmp, (file, _)) in staged.into_iter().zip(files) {
        if std::fs::symlink_metadata(&file).is_ok() {
            export.replaced.push(file.clone());
        }
        tmp.persist(&file)
            .map_err(|e| Error::io("write", &file, e.error))?;
        export.written.push(file);
    }
    Ok(export)
}
