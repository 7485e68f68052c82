//! The user guide (`guide/`): a real `mdbook build` with this binary as its preprocessor must
//! succeed without a single finding, give every code its page, and agree with the binary on
//! the commands it documents and on the `iam-unchecked` word it teaches.

mod common;

use mdbook_iam::diagnostic::Code;
use std::path::Path;
use std::sync::OnceLock;

/// The guide, built once for this test binary.
fn built() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = common::build_guide(dir.path());
        let stderr = common::stderr(&out);
        assert!(out.status.success(), "the guide does not build:\n{stderr}");
        // mdbook-iam prints findings as `path:line:col: severity[code]: ...`; the guide has none.
        let findings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("error[") || l.contains("warning[") || l.contains("info["))
            .collect();
        assert!(
            findings.is_empty(),
            "the guide's build reports findings:\n{stderr}"
        );
        dir
    })
    .path()
}

#[test]
fn the_guide_builds_without_findings_and_every_code_has_a_page() {
    let dir = built();
    for code in Code::ALL {
        let page = dir.join(mdbook_iam::sarif::code_page(*code));
        let html =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(
            html.contains(&format!("<code>{}</code>", code.as_str())),
            "{} does not name its code",
            page.display()
        );
    }
}

#[test]
fn the_guide_shows_generated_policies_not_directives() {
    let html = std::fs::read_to_string(built().join("index.html")).unwrap();
    assert!(html.contains("DenyDirectAPIAccess"), "no expanded policy");
    assert!(html.contains("aws:CalledViaAWSMCP"));
    // The directive appears once as written (inside code), never as unexpanded prose.
    assert!(
        !html.contains("<p>&lt;&lt;#iam-policy"),
        "a directive was left unexpanded"
    );
    let css = std::fs::read_dir(built())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("mdbook-iam"));
    assert!(css, "the callout stylesheet is not in the built guide");
}

/// The subcommands `mdbook-iam --help` lists.
fn subcommands() -> Vec<String> {
    let out = common::run(Path::new("."), &["--help"], "");
    let help = common::stdout(&out);
    let section = help
        .split("Commands:")
        .nth(1)
        .expect("--help lists commands");
    section
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // A long description wraps onto lines indented deeper than the command names.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

#[test]
fn the_command_line_page_lists_every_command() {
    let page = std::fs::read_to_string(common::root().join("guide/src/cli.md")).unwrap();
    let commands = subcommands();
    assert!(commands.contains(&"sync".to_string()), "{commands:?}");
    for c in commands {
        assert!(
            page.contains(&format!("| `mdbook-iam {c}")),
            "guide/src/cli.md's command table has no row for `mdbook-iam {c}`"
        );
    }
}

/// The example that guide/src/directives.md gives of a policy shown on purpose.
fn unchecked_example() -> String {
    let page = std::fs::read_to_string(common::root().join("guide/src/directives.md")).unwrap();
    let section = page
        .split("## Showing a policy that is wrong on purpose")
        .nth(1)
        .expect("the section");
    let start = section.find("````markdown\n").expect("the example") + "````markdown\n".len();
    let len = section[start..].find("````\n").expect("its end");
    section[start..start + len].to_string()
}

#[test]
fn the_documented_unchecked_word_keeps_a_block_out_of_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("guide/iam-catalog.toml"),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    let example = unchecked_example();
    assert!(example.starts_with("```json iam-unchecked\n"), "{example}");
    std::fs::write(dir.path().join("shown.md"), &example).unwrap();
    let o = common::run(dir.path(), &["check", "shown.md"], "");
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // Nothing is found, and the summary line says that the block was not examined.
    assert_eq!(
        common::stderr(&o),
        "mdbook-iam: 1 page read, 0 pasted policies examined: 0 errors, 0 warnings\n"
    );

    // The same block without the word is validated, and its retired action fails.
    let checked = example.replacen("```json iam-unchecked", "```json", 1);
    std::fs::write(dir.path().join("shown.md"), checked).unwrap();
    let o = common::run(dir.path(), &["check", "shown.md"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).contains("shown.md:5:36: error[deprecated-action]"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn the_books_carry_the_stylesheet_install_writes() {
    // `install` never overwrites a stylesheet, so the committed copies are kept current here.
    for book in ["guide", "book-example"] {
        let css =
            std::fs::read_to_string(common::root().join(book).join("mdbook-iam.css")).unwrap();
        assert_eq!(
            css,
            mdbook_iam::hosts::mdbook::install::STYLESHEET,
            "{book}/mdbook-iam.css differs from src/hosts/mdbook/mdbook-iam.css"
        );
        let toml = std::fs::read_to_string(common::root().join(book).join("book.toml")).unwrap();
        assert!(
            toml.contains("additional-css = [\"mdbook-iam.css\"]"),
            "{book}/book.toml"
        );
    }
}
