//! The server's state: the documents the editor has open (their unsaved text), and the catalogs
//! they use, opened once and kept until one of their files changes.

use crate::aws_data::AwsData;
use crate::catalog::{Catalog, DEFAULT_FILE_NAME, Loaded};
use crate::diagnostic::Code;
use crate::discover;
use crate::source::{SourceFile, display_path};
use lsp_types::Url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::SystemTime;

/// An open document.
pub struct Document {
    pub text: String,
    pub version: i32,
    /// The file behind it; `None` for a buffer with no file (`untitled:`).
    pub path: Option<PathBuf>,
    pub index: super::text::LineIndex,
}

impl Document {
    pub fn new(uri: &Url, text: String, version: i32) -> Document {
        let path = uri
            .to_file_path()
            .ok()
            .map(|p| std::path::absolute(&p).unwrap_or(p));
        let index = super::text::LineIndex::new(&text);
        Document {
            text,
            version,
            path,
            index,
        }
    }

    pub fn set_text(&mut self, text: String) {
        self.index = super::text::LineIndex::new(&text);
        self.text = text;
    }

    /// Whether the document is a catalog file (a `.toml` file; pages are the rest).
    pub fn is_toml(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| p.extension().is_some_and(|e| e == "toml"))
    }

    /// The page as the library reads it, named as `check` names it.
    pub fn source(&self) -> Arc<SourceFile> {
        let name = self
            .path
            .as_deref()
            .map_or_else(|| "untitled.md".to_string(), display_path);
        SourceFile::new(name, self.text.clone())
    }
}

/// A catalog opened for the pages below it (validated, its claims proven), or none.
pub struct Opened {
    /// `None`: no catalog above the page; `missing` says what a directive is told.
    pub path: Option<PathBuf>,
    pub loaded: Loaded,
    pub missing: Option<String>,
    /// The files read from disk, with their modification times then: a file changed by another
    /// program (`git pull`, `adopt --write`, a save) makes the catalog stale.
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Opened {
    pub fn catalog(&self) -> &Catalog {
        &self.loaded.catalog
    }

    /// Whether pages can be checked against it (`check` stops at a catalog that cannot be read).
    pub fn usable(&self) -> bool {
        !self
            .loaded
            .findings
            .iter()
            .any(|f| f.code == Code::CatalogSyntax || f.code == Code::CatalogNotFound)
    }

    /// Whether no file it read from disk changed since.
    fn fresh(&self) -> bool {
        self.stamps.iter().all(|(p, t)| modified(p) == *t)
    }
}

#[derive(Default)]
pub struct Workspace {
    pub docs: HashMap<Url, Document>,
    catalogs: HashMap<PathBuf, Rc<Opened>>,
    none: Option<Rc<Opened>>,
    /// Each file a catalog includes, with the catalog (kept when the catalog is forgotten, so an
    /// included file being edited still finds its catalog).
    owners: HashMap<PathBuf, PathBuf>,
}

impl Workspace {
    /// The catalog a document uses: itself when it is one, else the nearest `iam-catalog.toml` in
    /// or above its folder; for an included catalog file, the catalog that includes it.
    pub fn catalog_path(&self, doc: &Document) -> Option<PathBuf> {
        let path = doc.path.as_deref()?;
        if path.file_name().is_some_and(|n| n == DEFAULT_FILE_NAME) {
            return Some(path.to_path_buf());
        }
        if doc.is_toml() {
            return self.owners.get(path).cloned().or_else(|| {
                self.catalogs
                    .iter()
                    .find(|(_, o)| o.catalog().paths.iter().any(|p| same(p, path)))
                    .map(|(k, _)| k.clone())
            });
        }
        discover::nearest_catalog(path.parent().unwrap_or(Path::new(".")))
            .map(|p| std::path::absolute(&p).unwrap_or(p))
    }

    /// The catalog at `path` (opened once; the editor's unsaved text when it has the file open).
    pub fn catalog(&mut self, path: Option<&Path>, aws: &AwsData) -> Rc<Opened> {
        let Some(path) = path else {
            return Rc::clone(self.none.get_or_insert_with(|| {
                Rc::new(Opened {
                    path: None,
                    loaded: Loaded {
                        catalog: Catalog::default(),
                        findings: Vec::new(),
                    },
                    missing: Some(format!(
                        "no {DEFAULT_FILE_NAME} in this page's folder or any folder above it: \
                         create one (see the guide's catalog page)"
                    )),
                    stamps: Vec::new(),
                })
            }));
        };
        if let Some(o) = self.catalogs.get(path).filter(|o| o.fresh()) {
            return Rc::clone(o);
        }
        let root = discover::catalog_root(path);
        // The editor's unsaved TOML buffers stand in for their files.
        let overlay: HashMap<PathBuf, String> = self
            .docs
            .values()
            .filter(|d| d.is_toml())
            .filter_map(|d| Some((d.path.clone()?, d.text.clone())))
            .collect();
        let loaded = crate::run::open_catalog_overlay(path, &root, &overlay, aws);
        let stamps = loaded
            .catalog
            .paths
            .iter()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
            .filter(|p| !overlay.contains_key(p))
            .map(|p| {
                let t = modified(&p);
                (p, t)
            })
            .collect();
        for p in &loaded.catalog.paths {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            self.owners.insert(abs, path.to_path_buf());
        }
        let opened = Rc::new(Opened {
            path: Some(path.to_path_buf()),
            loaded,
            missing: None,
            stamps,
        });
        self.catalogs.insert(path.to_path_buf(), Rc::clone(&opened));
        opened
    }

    /// Forgets every catalog that reads `file`; returns their paths.
    pub fn invalidate(&mut self, file: &Path) -> Vec<PathBuf> {
        let owner = self.owners.get(file).cloned();
        let gone: Vec<PathBuf> = self
            .catalogs
            .iter()
            .filter(|(k, o)| {
                same(k, file)
                    || owner.as_deref().is_some_and(|c| same(c, k))
                    || o.catalog().paths.iter().any(|p| same(p, file))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in &gone {
            self.catalogs.remove(k);
        }
        gone
    }

    /// The open pages that use the catalog at `path`.
    pub fn pages_using(&self, path: &Path) -> Vec<Url> {
        self.docs
            .iter()
            .filter(|(_, d)| !d.is_toml())
            .filter(|(_, d)| self.catalog_path(d).is_some_and(|c| same(&c, path)))
            .map(|(u, _)| u.clone())
            .collect()
    }
}

/// Whether two paths name one file (absolute forms compared, then real paths).
pub fn same(a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    abs(a) == abs(b) || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The file a finding's place names: findings name files as `check` prints them (relative to the
/// current folder when below it).
pub fn file_of(name: &str) -> PathBuf {
    let p = PathBuf::from(name);
    std::path::absolute(&p).unwrap_or(p)
}
