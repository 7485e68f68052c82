//! `mdbook-iam install`: adds `[preprocessor.iam]` to a book's `book.toml`, keeping every other
//! byte of the file (comments, order, formatting) as it was, and gives the HTML output the
//! callouts' stylesheet (`mdbook-iam.css`, listed in `[output.html] additional-css`).

use std::path::Path;

pub enum Installed {
    Added,
    AlreadyThere,
}

/// The stylesheet `install` writes beside `book.toml`: mdBook leaves a `<details>` unstyled, so
/// an opened troubleshooting callout would have no visible end.
pub const STYLESHEET: &str = include_str!("mdbook-iam.css");

/// Its file name, relative to the book root (as `additional-css` names it).
pub const STYLESHEET_FILE: &str = "mdbook-iam.css";

/// What one run of `install` changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `[preprocessor.iam]` was added to `book.toml`.
    pub table: bool,
    /// `mdbook-iam.css` was written (it is never overwritten: a book may have edited it).
    pub stylesheet_written: bool,
    /// `mdbook-iam.css` was added to `[output.html] additional-css`.
    pub stylesheet_listed: bool,
}

impl Changes {
    pub fn any(&self) -> bool {
        self.table || self.stylesheet_written || self.stylesheet_listed
    }
}

pub fn install(book_dir: &Path) -> Result<Installed, String> {
    let changes = install_changes(book_dir)?;
    Ok(if changes.any() {
        Installed::Added
    } else {
        Installed::AlreadyThere
    })
}

/// Installs into the book at `book_dir` and says what changed. Every check runs before the first
/// write, so a `book.toml` that cannot be read or edited leaves the book as it was.
pub fn install_changes(book_dir: &Path) -> Result<Changes, String> {
    let path = book_dir.join("book.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let with_table = add_table(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = with_table.as_deref().unwrap_or(&text);
    let with_css = add_stylesheet(base).map_err(|e| format!("{}: {e}", path.display()))?;
    let css_path = book_dir.join(STYLESHEET_FILE);
    let listed = with_css.is_some() || lists_stylesheet(base);
    let mut changes = Changes {
        table: with_table.is_some(),
        stylesheet_written: false,
        stylesheet_listed: with_css.is_some(),
    };
    if listed && !css_path.exists() {
        std::fs::write(&css_path, STYLESHEET)
            .map_err(|e| format!("cannot write {}: {e}", css_path.display()))?;
        changes.stylesheet_written = true;
    }
    if let Some(new) = with_css.or(with_table) {
        std::fs::write(&path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(changes)
}

/// Whether `additional-css` already names the stylesheet.
fn lists_stylesheet(text: &str) -> bool {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    doc.get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("additional-css"))
        .and_then(|c| c.as_array())
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(STYLESHEET_FILE)))
}

/// The new text of `book.toml` with the stylesheet in `[output.html] additional-css`, or `None`
/// when nothing needs to change: it is listed already, or the book has output tables but no HTML
/// one (adding `[output.html]` there would add a renderer the book does not use).
pub fn add_stylesheet(text: &str) -> Result<Option<String>, String> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if lists_stylesheet(text) {
        return Ok(None);
    }
    let output = match doc.get_mut("output") {
        None => {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            doc.insert("output", toml_edit::Item::Table(t));
            doc.get_mut("output").expect("just inserted")
        }
        Some(o) if o.get("html").is_none() => return Ok(None),
        Some(o) => o,
    };
    let output = output
        .as_table_like_mut()
        .ok_or("`output` is not a table")?;
    if output.get("html").is_none() {
        let mut html = toml_edit::Table::new();
        html.decor_mut().set_prefix("\n");
        output.insert("html", toml_edit::Item::Table(html));
    }
    let html = output
        .get_mut("html")
        .and_then(|h| h.as_table_like_mut())
        .ok_or("`output.html` is not a table")?;
    match html.get_mut("additional-css") {
        None => {
            let mut list = toml_edit::Array::new();
            list.push(STYLESHEET_FILE);
            html.insert("additional-css", toml_edit::value(list));
        }
        Some(item) => {
            let list = item
                .as_array_mut()
                .ok_or("`output.html.additional-css` is not an array")?;
            list.push(STYLESHEET_FILE);
        }
    }
    let mut out = doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(Some(out))
}

/// The new text of `book.toml`, or `None` when the table is already there.
pub fn add_table(text: &str) -> Result<Option<String>, String> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if doc.get("preprocessor").and_then(|p| p.get("iam")).is_some() {
        return Ok(None);
    }
    let pre = doc
        .entry("preprocessor")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        })
        .as_table_mut()
        .ok_or("`preprocessor` is not a table")?;
    let mut iam = toml_edit::Table::new();
    // After `links`, so directives in {{#include}}d files are expanded too.
    let mut after = toml_edit::Array::new();
    after.push("links");
    iam.insert("after", toml_edit::value(after));
    iam.decor_mut().set_prefix("\n");
    pre.insert("iam", toml_edit::Item::Table(iam));
    let mut out = doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_table_and_keeps_the_rest() {
        let before =
            "# My book\n[book]\ntitle = \"T\"  # keep me\nauthors = [ \"a\" ]\n\n[output.html]\n";
        let after = add_table(before).unwrap().unwrap();
        assert!(after.starts_with(before), "{after}");
        assert!(
            after.ends_with("\n[preprocessor.iam]\nafter = [\"links\"]\n"),
            "{after}"
        );
    }

    #[test]
    fn idempotent() {
        assert!(add_table("[preprocessor.iam]\n").unwrap().is_none());
    }

    #[test]
    fn stylesheet_goes_into_an_existing_html_table() {
        let before = "[book]\ntitle = \"T\"\n\n[output.html]\ndefault-theme = \"light\" # keep\n";
        let after = add_stylesheet(before).unwrap().unwrap();
        assert_eq!(
            after,
            "[book]\ntitle = \"T\"\n\n[output.html]\ndefault-theme = \"light\" # keep\nadditional-css = [\"mdbook-iam.css\"]\n"
        );
        assert!(add_stylesheet(&after).unwrap().is_none());
    }

    #[test]
    fn stylesheet_joins_an_existing_list_once() {
        let before = "[output.html]\nadditional-css = [\"theme/a.css\"]\n";
        let after = add_stylesheet(before).unwrap().unwrap();
        assert_eq!(
            after,
            "[output.html]\nadditional-css = [\"theme/a.css\", \"mdbook-iam.css\"]\n"
        );
        assert!(add_stylesheet(&after).unwrap().is_none());
    }

    #[test]
    fn stylesheet_adds_the_html_table_when_no_output_is_configured() {
        let before = "[book]\ntitle = \"T\"\n";
        let after = add_stylesheet(before).unwrap().unwrap();
        assert_eq!(
            after,
            "[book]\ntitle = \"T\"\n\n[output.html]\nadditional-css = [\"mdbook-iam.css\"]\n"
        );
    }

    #[test]
    fn stylesheet_is_not_forced_on_a_book_without_html_output() {
        assert!(add_stylesheet("[output.markdown]\n").unwrap().is_none());
    }

    #[test]
    fn stylesheet_entry_of_the_wrong_type_is_an_error() {
        let e = add_stylesheet("[output.html]\nadditional-css = \"a.css\"\n").unwrap_err();
        assert!(e.contains("additional-css"), "{e}");
    }

    #[test]
    fn install_writes_the_stylesheet_once_and_keeps_an_edited_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
        let first = install_changes(dir.path()).unwrap();
        assert_eq!(
            first,
            Changes {
                table: true,
                stylesheet_written: true,
                stylesheet_listed: true
            }
        );
        let css = dir.path().join(STYLESHEET_FILE);
        assert_eq!(std::fs::read_to_string(&css).unwrap(), STYLESHEET);
        std::fs::write(&css, "/* mine */\n").unwrap();
        let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
        assert_eq!(install_changes(dir.path()).unwrap(), Changes::default());
        assert_eq!(std::fs::read_to_string(&css).unwrap(), "/* mine */\n");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
            toml
        );
    }

    #[test]
    fn bad_book_toml_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            "[output.html]\nadditional-css = 1\n",
        )
        .unwrap();
        assert!(install_changes(dir.path()).is_err());
        assert!(!dir.path().join(STYLESHEET_FILE).exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
            "[output.html]\nadditional-css = 1\n"
        );
    }

    #[test]
    fn bad_toml_is_an_error() {
        assert!(add_table("[book\n").is_err());
    }
}
