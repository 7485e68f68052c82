//! `mdbook-iam install`: adds `[preprocessor.iam]` to a book's `book.toml`, keeping every other
//! byte of the file (comments, order, formatting) as it was.

use std::path::Path;

pub enum Installed {
    Added,
    AlreadyThere,
}

pub fn install(book_dir: &Path) -> Result<Installed, String> {
    let path = book_dir.join("book.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let new = add_table(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    match new {
        None => Ok(Installed::AlreadyThere),
        Some(new) => {
            std::fs::write(&path, new)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(Installed::Added)
        }
    }
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
    fn bad_toml_is_an_error() {
        assert!(add_table("[book\n").is_err());
    }
}
