//! What `mdbook-iam diff` compares: two catalogs (files, or the catalog at git revisions of the
//! repository it lives in) or two policy files, read into one report of entry diffs.
//!
//! How an argument is read: a path to an existing file is a file (`.json`: a policy document,
//! anything else: a catalog); a name ending in `.json` or `.toml` that is no file is an error;
//! anything else is a git revision, whose catalog is read with `git show REV:./FILE` in the
//! catalog's folder (and so are the files it includes). Without HEAD, the new side is the
//! catalog in the working tree.

use super::diff::{
    Built, EntryDiff, EntryKind, Presence, diff_built, diff_catalogs, principal_for,
};
use crate::aws_data::AwsData;
use crate::catalog::{Catalog, Loaded};
use crate::diagnostic::Finding;
use crate::discover;
use crate::error::Error;
use crate::policy::{Policy, PolicyKind};
use crate::source::display_path;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How output names the catalog in the working tree.
pub const WORKING_TREE: &str = "the working tree";

/// One side as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A catalog file.
    Catalog(PathBuf),
    /// A policy document.
    Policy(PathBuf),
    /// A git revision of the repository the catalog lives in.
    Revision(String),
}

impl Side {
    /// Reads one argument (see the module's comment).
    pub fn parse(arg: &str) -> Result<Side, Error> {
        let path = Path::new(arg);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if path.is_file() {
            return Ok(if ext.as_deref() == Some("json") {
                Side::Policy(path.to_path_buf())
            } else {
                Side::Catalog(path.to_path_buf())
            });
        }
        if matches!(ext.as_deref(), Some("json" | "toml")) || arg.is_empty() {
            return Err(Error::Usage(format!(
                "{arg}: no such file (a name ending in .json or .toml is read as a file, not a git revision)"
            )));
        }
        Ok(Side::Revision(arg.to_string()))
    }
}

/// What to compare.
pub struct DiffRequest<'a> {
    pub base: &'a str,
    /// `None`: the catalog in the working tree.
    pub head: Option<&'a str>,
    /// The catalog (default: the nearest iam-catalog.toml above the current directory).
    pub catalog: Option<&'a Path>,
    /// The kind of two policy files.
    pub kind: PolicyKind,
}

/// The comparison, or the findings that stopped it.
pub struct DiffReport {
    /// How the sides are named in output (`HEAD~1`, `the working tree`, a file).
    pub base: String,
    pub head: String,
    pub entries: Vec<EntryDiff>,
    /// Errors in an input (nothing is compared then) and warnings.
    pub findings: Vec<Finding>,
}

impl DiffReport {
    /// The entries whose access changed.
    pub fn changed(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| !e.deltas().is_empty())
            .count()
    }
    pub fn gained(&self) -> usize {
        self.entries
            .iter()
            .filter_map(|e| e.outcome.as_ref().ok())
            .map(|d| d.gained())
            .sum()
    }
    pub fn lost(&self) -> usize {
        self.entries
            .iter()
            .filter_map(|e| e.outcome.as_ref().ok())
            .map(|d| d.lost())
            .sum()
    }
    /// The entries whose change is not known for certain: not compared, or compared on an
    /// exploration that could not stand for every request.
    pub fn uncertain(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.outcome.as_ref().map_or(true, |d| d.approximate))
            .count()
    }
}

/// Runs `diff`.
pub fn diff(req: &DiffRequest<'_>, aws: &AwsData) -> Result<DiffReport, Error> {
    let base = Side::parse(req.base)?;
    let head = req.head.map(Side::parse).transpose()?;
    match (&base, &head) {
        (Side::Policy(old), Some(Side::Policy(new))) => {
            return policy_files(old, new, req.kind, aws);
        }
        (Side::Policy(_), _) | (_, Some(Side::Policy(_))) => {
            return Err(Error::Usage(
                "a policy file is compared with another policy file: `mdbook-iam diff OLD.json NEW.json`"
                    .into(),
            ));
        }
        _ => {}
    }
    let catalog_path =
        || -> Result<PathBuf, Error> { discover::catalog_for(req.catalog, Path::new(".")) };
    let open = |side: Option<&Side>| -> Result<(String, Loaded), Error> {
        match side {
            None => {
                let path = catalog_path()?;
                if !path.is_file() {
                    return Err(Error::Usage(format!(
                        "{}: no such catalog",
                        display_path(&path)
                    )));
                }
                let loaded = Catalog::load(&path, &discover::catalog_root(&path));
                Ok((WORKING_TREE.to_string(), loaded))
            }
            Some(Side::Catalog(p)) => Ok((
                display_path(p),
                Catalog::load(p, &discover::catalog_root(p)),
            )),
            Some(Side::Revision(rev)) => Ok((rev.clone(), at_revision(&catalog_path()?, rev)?)),
            Some(Side::Policy(_)) => unreachable!("handled above"),
        }
    };
    let (base_name, old) = open(Some(&base))?;
    let (head_name, new) = open(head.as_ref())?;
    let mut findings: Vec<Finding> = Vec::new();
    findings.extend(old.findings.iter().cloned());
    findings.extend(new.findings.iter().cloned());
    let entries = if findings.iter().any(Finding::is_error) {
        Vec::new()
    } else {
        diff_catalogs(&old.catalog, &new.catalog, aws)
    };
    Ok(DiffReport {
        base: base_name,
        head: head_name,
        entries,
        findings,
    })
}

fn policy_files(
    old: &Path,
    new: &Path,
    kind: PolicyKind,
    aws: &AwsData,
) -> Result<DiffReport, Error> {
    let mut findings = Vec::new();
    let mut read = |path: &Path| -> Result<Option<Policy>, Error> {
        let file = match crate::files::read(path)? {
            Ok(f) => f,
            Err(f) => {
                findings.push(f);
                return Ok(None);
            }
        };
        let doc = match crate::json::parse(&file) {
            Ok(d) => d,
            Err(e) => {
                let end = (e.offset + 1).min(file.text().len());
                findings.push(Finding::at(
                    crate::diagnostic::Code::JsonSyntax,
                    format!("not valid JSON: {}", e.message),
                    &crate::source::Span::new(&file, e.offset..end),
                ));
                return Ok(None);
            }
        };
        let read = Policy::read(&doc, kind);
        findings.extend(read.findings);
        Ok(Some(read.value))
    };
    let (a, b) = (read(old)?, read(new)?);
    let (old_name, new_name) = (display_path(old), display_path(new));
    let mut report = DiffReport {
        base: old_name.clone(),
        head: new_name.clone(),
        entries: Vec::new(),
        findings,
    };
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(report);
    };
    if report.findings.iter().any(Finding::is_error) {
        return Ok(report);
    }
    let outcome = if kind == PolicyKind::Identity {
        let old_b: Built = vec![(old_name, a, kind)];
        let new_b: Built = vec![(new_name.clone(), b, kind)];
        diff_built(
            &old_b,
            &new_b,
            principal_for("111122223333", "DiffRole"),
            aws,
        )
    } else {
        Err(format!(
            "{} policies are not compared (only identity policies are)",
            kind.as_str()
        ))
    };
    report.entries.push(EntryDiff {
        entry: new_name,
        previously: None,
        kind: EntryKind::File,
        presence: Presence::Both,
        outcome,
    });
    Ok(report)
}

/// Runs git in `dir`; stdout, or git's own message.
fn git(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, Error> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    Ok(if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    })
}

/// The catalog at `catalog` as it was at revision `rev`, with the files it includes. A catalog
/// the revision does not have is empty there (everything in the new state is gained).
pub fn at_revision(catalog: &Path, rev: &str) -> Result<Loaded, Error> {
    let abs = catalog
        .canonicalize()
        .map_err(|e| Error::io("read", catalog, e))?;
    let dir = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    let file_name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let commit = format!("{rev}^{{commit}}");
    if let Err(why) = git(&dir, &["rev-parse", "--verify", "--quiet", &commit])? {
        let why = if why.is_empty() {
            "unknown revision".to_string()
        } else {
            why
        };
        return Err(Error::Usage(format!(
            "`{rev}` is neither a file nor a git revision of the repository holding {} ({why})",
            display_path(catalog)
        )));
    }
    let show = |rel: &str| git(&dir, &["show", &format!("{rev}:./{rel}")]);
    let top = match show(&file_name)? {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| Error::Usage(format!("{rev}:{file_name} is not UTF-8 text")))?,
        Err(why) if why.contains("does not exist") || why.contains("exists on disk") => {
            return Ok(Catalog::from_text(&format!("{rev}:{file_name}"), ""));
        }
        Err(why) => return Err(Error::Usage(format!("git show {rev}:{file_name}: {why}"))),
    };
    let includes = includes_of(&top);
    if includes.is_empty() {
        return Ok(Catalog::from_text(&format!("{rev}:{file_name}"), &top));
    }
    // With includes: the files as they were, laid out as they were, read by the usual loader.
    let tmp = tempfile::tempdir().map_err(|e| Error::io("create", Path::new("<temp>"), e))?;
    let write = |rel: &Path, text: &[u8]| -> Result<(), Error> {
        let to = tmp.path().join(rel);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io("create", p, e))?;
        }
        std::fs::write(&to, text).map_err(|e| Error::io("write", &to, e))
    };
    write(Path::new(&file_name), top.as_bytes())?;
    let mut queue: Vec<(PathBuf, String)> =
        includes.into_iter().map(|i| (PathBuf::new(), i)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    while let Some((from, inc)) = queue.pop() {
        let rel = from.join(&inc);
        // An include that leaves the catalog's folder is reported by the loader as it reads.
        if rel
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
            || rel.is_absolute()
            || seen.contains(&rel)
        {
            continue;
        }
        seen.push(rel.clone());
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        if let Ok(bytes) = show(&rel_text)? {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let parent = rel.parent().map(Path::to_path_buf).unwrap_or_default();
            queue.extend(includes_of(&text).into_iter().map(|i| (parent.clone(), i)));
            write(&rel, &bytes)?;
        }
    }
    let path = tmp.path().join(&file_name);
    Ok(Catalog::load(&path, tmp.path()))
}

/// The `include` list of a catalog's text (none when it is not TOML: the loader reports that).
fn includes_of(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    match table.get("include") {
        Some(toml::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_files_then_revisions() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("p.json");
        let toml = dir.path().join("c.toml");
        std::fs::write(&json, "{}").unwrap();
        std::fs::write(&toml, "").unwrap();
        let s = |p: &Path| p.to_str().unwrap().to_string();
        assert_eq!(Side::parse(&s(&json)).unwrap(), Side::Policy(json.clone()));
        assert_eq!(Side::parse(&s(&toml)).unwrap(), Side::Catalog(toml.clone()));
        assert_eq!(
            Side::parse("HEAD~1").unwrap(),
            Side::Revision("HEAD~1".into())
        );
        assert!(Side::parse("missing.json").is_err());
        assert!(Side::parse("missing.toml").is_err());
    }

    #[test]
    fn includes_are_read_from_the_top_table() {
        assert_eq!(
            includes_of("include = [\"a.toml\", \"sub/b.toml\"]\n[policies]\n"),
            ["a.toml", "sub/b.toml"]
        );
        assert!(includes_of("not toml [").is_empty());
    }
}
