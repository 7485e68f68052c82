//! Discovery: which catalog a page uses, which pages lie under a path, which flavor a file gets.
//! Every host asks these questions the same way, so they are answered here once.

use crate::catalog::DEFAULT_FILE_NAME;
use crate::error::Error;
use crate::render::Flavor;
use crate::source::display_path;
use std::path::{Path, PathBuf};

/// Folders `pages` never enters: build output, dependencies, version control.
pub const SKIPPED_FOLDERS: [&str; 6] = [
    "node_modules",
    "target",
    "build",
    "book",
    ".docusaurus",
    ".git",
];

/// The nearest `iam-catalog.toml` in `start` (a folder, or a file's folder) or a folder above it.
pub fn nearest_catalog(start: &Path) -> Option<PathBuf> {
    let dir = folder_of(start);
    let abs = dir.canonicalize().ok()?;
    abs.ancestors()
        .map(|d| d.join(DEFAULT_FILE_NAME))
        .find(|p| p.is_file())
}

/// The catalog a run uses: the one given, else the nearest one above `near`.
pub fn catalog_for(given: Option<&Path>, near: &Path) -> Result<PathBuf, Error> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    nearest_catalog(near).ok_or_else(|| {
        let dir = folder_of(near);
        let shown = match dir.canonicalize() {
            Ok(abs) => display_path(&abs),
            Err(_) => display_path(dir),
        };
        let shown = if shown.is_empty() { ".".into() } else { shown };
        Error::Usage(format!(
            "no {DEFAULT_FILE_NAME} in {shown} or any folder above it; pass --catalog"
        ))
    })
}

/// The folder a path names, or holds it; `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// The root of the docs tree a catalog belongs to: the folder that holds it. Includes must stay
/// inside it.
pub fn catalog_root(catalog: &Path) -> PathBuf {
    catalog
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// The flavor asked for, else by the page: docusaurus for `.mdx` and for a `.md` page of a
/// Docusaurus site (Docusaurus 3 compiles `.md` pages as MDX too), gfm otherwise.
pub fn flavor_for(given: Option<Flavor>, page: &Path) -> Flavor {
    match given {
        Some(f) => f,
        None if page.extension().is_some_and(|e| e == "mdx") => Flavor::Docusaurus,
        None if in_docusaurus_site(page) => Flavor::Docusaurus,
        None => Flavor::Gfm,
    }
}

/// The configuration files that make a folder a Docusaurus site.
const DOCUSAURUS_CONFIGS: [&str; 6] = [
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
    "docusaurus.config.mts",
    "docusaurus.config.cts",
];

/// Whether a page lies in a Docusaurus site: a folder above it holds a `docusaurus.config.*`.
fn in_docusaurus_site(page: &Path) -> bool {
    let Ok(abs) = std::path::absolute(page) else {
        return false;
    };
    abs.ancestors()
        .skip(1)
        .any(|dir| DOCUSAURUS_CONFIGS.iter().any(|c| dir.join(c).is_file()))
}

/// Whether a file is a Markdown page mdbook-iam reads (`.md` or `.mdx`).
pub fn is_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md" || e == "mdx")
}

/// The Markdown pages under the paths, sorted, skipping build output, dependencies, hidden
/// files and folders and links. A path given by name must exist and, if a file, be a page.
pub fn pages(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            // Links met on the way are not followed (as ripgrep and find do by default): a
            // walk stays inside the folder it was given, and a link loop cannot trap it.
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| Error::io("read", &p, e))?
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| !t.is_symlink()))
                .map(|e| e.path())
                .filter(|e| {
                    // Hidden files and folders are not pages: dot-files, and the AppleDouble
                    // `._name` files macOS leaves beside copied files (binary, not Markdown).
                    let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    !(name.starts_with('.') || e.is_dir() && SKIPPED_FOLDERS.contains(&name))
                })
                .collect();
            entries.sort();
            stack.extend(entries.into_iter().rev());
        } else if p.is_file() {
            if is_page(&p) {
                out.push(p);
            } else if paths.contains(&p) {
                return Err(Error::Usage(format!(
                    "{} is not a Markdown page (.md or .mdx)",
                    p.display()
                )));
            }
        } else {
            return Err(Error::Usage(format!("{} does not exist", p.display())));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavor_by_extension() {
        assert_eq!(flavor_for(None, Path::new("a/b.mdx")), Flavor::Docusaurus);
        assert_eq!(flavor_for(None, Path::new("a/b.md")), Flavor::Gfm);
        assert_eq!(
            flavor_for(Some(Flavor::Mdbook), Path::new("b.mdx")),
            Flavor::Mdbook
        );
    }

    #[test]
    fn md_pages_of_a_docusaurus_site_take_its_flavor() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/docs/guide")).unwrap();
        std::fs::write(dir.path().join("site/docusaurus.config.ts"), "").unwrap();
        assert_eq!(
            flavor_for(None, &dir.path().join("site/docs/guide/a.md")),
            Flavor::Docusaurus
        );
        assert_eq!(flavor_for(None, &dir.path().join("other.md")), Flavor::Gfm);
    }

    #[test]
    fn pages_skip_build_output_and_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            "a.md",
            "b.mdx",
            "c.txt",
            "book/x.md",
            ".hidden/y.md",
            "._a.md",
            ".draft.md",
            "sub/z.md",
        ] {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let found = pages(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.md", "b.mdx", "sub/z.md"]);
        assert!(pages(&[dir.path().join("c.txt")]).is_err());
        assert!(pages(&[dir.path().join("missing.md")]).is_err());
    }

    #[test]
    fn the_nearest_catalog_is_found_from_a_file_or_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/deep")).unwrap();
        std::fs::write(dir.path().join(DEFAULT_FILE_NAME), "").unwrap();
        let want = dir.path().canonicalize().unwrap().join(DEFAULT_FILE_NAME);
        assert_eq!(
            nearest_catalog(&dir.path().join("docs/deep/page.md")),
            Some(want.clone())
        );
        assert_eq!(nearest_catalog(&dir.path().join("docs/deep")), Some(want));
    }
}
