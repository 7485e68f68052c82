//! Reading and writing files of the docs tree, with the promises every host makes: only regular
//! files are read (a FIFO would hang a build), text that is not UTF-8 is a located finding, and a
//! write either replaces the whole file or changes nothing (a temporary file in the same folder,
//! then a rename), never through a link to somewhere else.

use crate::diagnostic::{Code, Finding};
use crate::error::Error;
use crate::source::{SourceFile, Span, display_path};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file read as text, or the finding that says why its text cannot be used.
pub type Text = Result<Arc<SourceFile>, Finding>;

/// Reads a regular file as UTF-8 text named as findings show it. Invalid UTF-8 is an
/// `invalid-encoding` finding at the first bad byte.
pub fn read(path: &Path) -> Result<Text, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    Ok(text(display_path(path), bytes))
}

/// Bytes as a named text, or an `invalid-encoding` finding at the first byte that is not UTF-8.
pub fn text(name: String, bytes: Vec<u8>) -> Text {
    match String::from_utf8(bytes) {
        Ok(t) => Ok(SourceFile::new(name, t)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // The text up to the bad byte is shown as it is, so the line and column are exact.
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(name, shown);
            let end = file.text()[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            Err(Finding::at(
                Code::InvalidEncoding,
                format!(
                    "byte 0x{:02x} is not UTF-8; mdbook-iam reads text in UTF-8 only",
                    bytes[at]
                ),
                &Span::new(&file, at..end),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}

/// A finding about a path as a whole (no line in it to point at): shown as `path:1:1`.
pub fn at_path(code: Code, path: &Path, message: impl Into<String>) -> Finding {
    let file = SourceFile::new(display_path(path), "");
    Finding::at(code, message, &Span::new(&file, 0..0))
}

/// An absolute form of `path` with `.` and `..` resolved as written (links are not followed).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Whether `path`, as written, lies inside `root`: a configured or included path may not leave
/// the docs tree by `..` or by being absolute elsewhere.
pub fn within(path: &Path, root: &Path) -> bool {
    normalize(path).starts_with(normalize(root))
}

/// Whether `path`, resolved through links, lies inside `root` (resolved too). For files the tool
/// opens on its own account (an included file it reads to place a finding).
pub fn really_within(path: &Path, root: &Path) -> bool {
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p.starts_with(r),
        _ => false,
    }
}

/// Replaces a file's content all at once: the new text goes to a temporary file beside it, which
/// is then renamed over it, so a reader (or a crash) sees the old file or the new one, never a
/// part. The file's permissions are kept. A link is not written through: the caller decides what
/// a link may point at, and the link itself is what gets replaced.
pub fn replace(path: &Path, text: &str) -> Result<(), Error> {
    stage(path, text)?
        .persist(path)
        .map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// The first half of [`replace`]: `text` written to a temporary file beside `path`, with `path`'s
/// permissions, ready to be renamed over it (`persist`). A caller that replaces several files
/// stages them all before renaming any.
pub fn stage(path: &Path, text: &str) -> Result<tempfile::NamedTempFile, Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".mdbook-iam-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write", path, e))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", path, e))?;
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.is_file()
    {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located_at_its_first_byte() {
        let f = text("p.md".into(), b"ok\nab\xffcd\n".to_vec()).unwrap_err();
        assert_eq!(f.code, Code::InvalidEncoding);
        assert_eq!(f.span.as_ref().unwrap().line_col(), (2, 3));
        assert!(f.message.contains("0xff"), "{}", f.message);
    }

    #[test]
    fn replace_writes_the_whole_file_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("page.md");
        std::fs::write(&p, "old").unwrap();
        replace(&p, "new text").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new text");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn within_judges_paths_as_written() {
        let root = Path::new("/book");
        assert!(within(Path::new("/book/src/a.md"), root));
        assert!(within(Path::new("/book/src/../iam-catalog.toml"), root));
        assert!(!within(Path::new("/book/../etc/passwd"), root));
        assert!(!within(Path::new("/etc/passwd"), root));
        assert!(!within(Path::new("/bookshelf/x"), root));
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()), Err(Error::Usage(_))));
        assert!(matches!(
            read(&dir.path().join("missing.md")),
            Err(Error::Io { .. })
        ));
    }
}
