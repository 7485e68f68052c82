//! README.md shows the binary's real behaviour: its before-and-after example is what `expand`
//! makes of the page against the guide's catalog, the failing page's text is what `check`
//! prints, and the `install` snippet is what `install` writes. `UPDATE_README=1 cargo test --test
//! readme` rewrites those blocks from the binary. The README stays short: the reference is the
//! guide's, and every link in the README leads to a file of the repository.

mod common;

use std::ops::Range;
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(common::root().join("README.md")).unwrap()
}

/// The content of the fenced block right after `<!-- readme:NAME -->`.
fn block(text: &str, name: &str) -> Range<usize> {
    let marker = format!("<!-- readme:{name} -->\n");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"))
        + marker.len();
    let fence_line = &text[at..at + text[at..].find('\n').unwrap()];
    let ticks = fence_line.len() - fence_line.trim_start_matches('`').len();
    assert!(ticks >= 3, "README.md: no fence after {marker:?}");
    let start = at + fence_line.len() + 1;
    let close = format!("\n{}\n", "`".repeat(ticks));
    let end = start + text[start - 1..].find(&close).expect("closing fence");
    start..end
}

/// Compares a README block with what the binary produced; rewrites it under UPDATE_README.
fn agree(name: &str, produced: &str) {
    let text = readme();
    let range = block(&text, name);
    if text[range.clone()] == *produced {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let new = format!("{}{produced}{}", &text[..range.start], &text[range.end..]);
        std::fs::write(common::root().join("README.md"), new).unwrap();
    } else {
        panic!(
            "README.md's `{name}` block is not what the binary produces; run `UPDATE_README=1 cargo test --test readme`.\n--- README\n{}\n--- binary\n{produced}",
            &text[range]
        );
    }
}

fn with_guide_catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("guide/iam-catalog.toml"),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn the_before_and_after_example_is_the_binarys_output() {
    let text = readme();
    let page = &text[block(&text, "page")];
    let dir = with_guide_catalog();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let o = common::run(
        dir.path(),
        &[
            "expand",
            "--flavor",
            "mdbook",
            "--stdin-filename",
            "src/tutorial.md",
            "-",
        ],
        page,
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    agree("expanded", &common::stdout(&o));
}

#[test]
fn the_failing_page_fails_as_shown() {
    let text = readme();
    let page = &text[block(&text, "old-page")];
    let dir = with_guide_catalog();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/old.md"), page).unwrap();
    let o = common::run(dir.path(), &["check", "src/old.md"], "");
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    agree("old-check", &common::stderr(&o));
}

#[test]
fn the_install_snippet_is_what_install_writes() {
    let dir = tempfile::tempdir().unwrap();
    let before = "[book]\ntitle = \"T\"\n";
    std::fs::write(dir.path().join("book.toml"), before).unwrap();
    let o = common::run(dir.path(), &["install"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let after = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    let added = after
        .strip_prefix(before)
        .expect("install keeps the file's start");
    agree("install", added.trim_start_matches('\n'));
    assert!(dir.path().join("mdbook-iam.css").is_file());
}

#[test]
fn the_readme_is_short_and_its_links_lead_somewhere() {
    let text = readme();
    let lines = text.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; reference material belongs in guide/"
    );
    let root = common::root();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap();
        let target = &after[..end];
        rest = &after[end..];
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let file = target.split('#').next().unwrap();
        assert!(
            Path::new(&root).join(file).exists(),
            "README.md links to {target}, which does not exist"
        );
    }
    assert!(text.contains("](guide/src/codes/README.md)"));
}

/// The README's example as a reader follows it: a book whose catalog is a copy of
/// `book-example/iam-catalog.toml` next to `book.toml`, the page in `src/tutorial.md`, and the
/// command the README gives, `mdbook-iam expand --flavor mdbook src/tutorial.md`.
#[test]
fn the_readme_example_runs_as_the_readme_tells_it() {
    let text = readme();
    assert!(
        text.contains("[`book-example/iam-catalog.toml`](book-example/iam-catalog.toml) (copied next to `book.toml`)"),
        "README.md must say which catalog its example uses"
    );
    let command = "`mdbook-iam expand --flavor mdbook src/tutorial.md`";
    assert!(text.contains(command), "README.md must show {command}");
    assert!(
        text.contains("`[callouts]` table (see [the catalog](guide/src/catalog.md))"),
        "README.md must say where callouts are defined"
    );
    let book = tempfile::tempdir().unwrap();
    std::fs::write(book.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    let installed = common::run(book.path(), &["install"], "");
    assert_eq!(installed.status.code(), Some(0));
    std::fs::copy(
        common::root().join("book-example/iam-catalog.toml"),
        book.path().join("iam-catalog.toml"),
    )
    .unwrap();
    std::fs::create_dir(book.path().join("src")).unwrap();
    std::fs::write(
        book.path().join("src/tutorial.md"),
        &text[block(&text, "page")],
    )
    .unwrap();
    let o = common::run(
        book.path(),
        &["expand", "--flavor", "mdbook", "src/tutorial.md"],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert_eq!(common::stdout(&o), &text[block(&text, "expanded")]);
}

/// `install` names what it wrote, the stylesheet too, and where the catalog is described: the
/// guide's catalog page, a file of the repository.
#[test]
fn install_points_at_the_guides_catalog_page_and_names_the_stylesheet() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    let o = common::run(dir.path(), &["install"], "");
    assert_eq!(o.status.code(), Some(0));
    let said = common::stderr(&o);
    assert!(
        said.contains("mdbook-iam: added [preprocessor.iam] to book.toml\n"),
        "{said}"
    );
    assert!(
        said.contains(
            "mdbook-iam: wrote mdbook-iam.css, the callouts' stylesheet, and listed it in [output.html] additional-css\n"
        ),
        "{said}"
    );
    assert!(said.contains("(guide/src/catalog.md, "), "{said}");
    assert!(!said.contains("README"), "{said}");
    assert!(common::root().join("guide/src/catalog.md").is_file());
    // Once the catalog exists, nothing more is asked.
    std::fs::write(dir.path().join("iam-catalog.toml"), "").unwrap();
    let again = common::run(dir.path(), &["install"], "");
    assert_eq!(
        common::stderr(&again),
        "mdbook-iam: book.toml already has [preprocessor.iam]\n"
    );
}

/// The README leads its Install section with the prebuilt ways, and says how much disk the
/// tests need.
#[test]
fn the_install_section_leads_with_the_prebuilt_ways() {
    let text = readme();
    let install = &text[text.find("## Install\n").unwrap()..text.find("### mdBook\n").unwrap()];
    let npm = install.find("npm install --save-dev mdbook-iam").unwrap();
    let binstall = install.find("cargo binstall mdbook-iam").unwrap();
    let archive = install.find("/releases").unwrap();
    let compile = install.find("cargo install --locked mdbook-iam").unwrap();
    assert!(
        npm < binstall && binstall < archive && archive < compile,
        "{install}"
    );
    assert!(text.contains("about 3.4 GB of free disk"));
}
