//! Every input a fuzz target crashed on or broke a promise with, saved in
//! `fuzz/regressions/<target>/`, fed on stable Rust through the very checks the target runs
//! (`fuzz/src/promises.rs`, included below), so that each fixed crash stays fixed.

#[path = "../fuzz/src/promises.rs"]
#[allow(dead_code)]
mod promises;

#[path = "../fuzz/src/lsp.rs"]
#[allow(dead_code)]
mod lsp;

use std::path::PathBuf;

fn regressions() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

/// Runs one saved input through its target's checks; panics where a promise breaks.
fn replay(input: &str) {
    let path = regressions().join(input);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let target = input.split('/').next().expect("target/name");
    match target {
        "page" => promises::page(&bytes),
        "catalog" => promises::catalog(&bytes),
        "policy" => promises::policy(&bytes),
        "mdbook" => {
            let book = tempfile::tempdir().expect("temporary folder");
            promises::write_example_book(book.path());
            promises::mdbook_request(&bytes, book.path());
        }
        "lsp_edits" => {
            let book = tempfile::tempdir().expect("temporary folder");
            promises::write_example_book(book.path());
            lsp::session(&bytes, book.path());
        }
        other => panic!("{input}: no fuzz target `{other}`"),
    }
}

/// One test per saved input: `name: "target/file"`, with the input's attributes.
macro_rules! regressions {
    ($($(#[$attr:meta])* $name:ident: $input:literal,)*) => {
        const INPUTS: &[&str] = &[$($input),*];
        $(
            #[test]
            $(#[$attr])*
            fn $name() {
                replay($input);
            }
        )*
    };
}

regressions! {
    page_non_ascii_before_lt: "page/non-ascii-before-lt",
    page_fence_closed_by_no_break_space: "page/fence-closed-by-no-break-space",
    page_directive_closed_inside_fence_info: "page/directive-closed-inside-fence-info",
    page_sync_nested_region_loses_marker: "page/sync-nested-region-loses-marker",
    page_sync_marker_in_code_hides_regions: "page/sync-marker-in-code-hides-regions",
    page_json_error_inside_character: "page/json-error-inside-character",
    page_sync_end_marker_in_code: "page/sync-end-marker-in-code",
    page_crlf_page_with_fenced_directives: "page/crlf-page-with-fenced-directives",
    page_cr_page_with_one_crlf: "page/cr-page-with-one-crlf",
    page_crlf_page_last_directive_without_ending: "page/crlf-page-last-directive-without-ending",
    page_definition_hides_indented_code: "page/definition-hides-indented-code",
    page_footnote_hides_indented_code: "page/footnote-hides-indented-code",
    page_definition_in_list_item_joins_code_span: "page/definition-in-list-item-joins-code-span",
    page_comment_in_list_item_past_blank_line: "page/comment-in-list-item-past-blank-line",
    page_parser_panics_on_setext_attributes_in_list: "page/parser-panics-on-setext-attributes-in-list",
    page_ordered_item_continues_a_paragraph_parsed_alone: "page/ordered-item-continues-a-paragraph-parsed-alone",
    page_fence_closed_by_a_tab: "page/fence-closed-by-a-tab",
    page_comment_directive_closed_past_a_fenced_directive: "page/comment-directive-closed-past-a-fenced-directive",
    mdbook_json_error_inside_character: "mdbook/json-error-inside-character",
    mdbook_non_ascii_before_lt: "mdbook/non-ascii-before-lt",
    policy_json_error_inside_character: "policy/json-error-inside-character",
    policy_private_use_character_in_arn: "policy/private-use-character-in-arn",
    lsp_edits_hover_after_emoji: "lsp_edits/hover-after-emoji",
}

#[test]
fn every_saved_input_has_a_test() {
    let mut on_disk = Vec::new();
    for target in std::fs::read_dir(regressions()).expect("fuzz/regressions") {
        let target = target.expect("entry").path();
        if !target.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&target).expect("a target's folder") {
            let f = f.expect("entry").path();
            let rel = f
                .strip_prefix(regressions())
                .expect("below fuzz/regressions");
            on_disk.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = INPUTS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "fuzz/regressions and the tests above list different inputs"
    );
}

/// The checks themselves hold on the repository's own examples, so a regression that passes
/// does so because the promise holds, not because a check is broken.
#[test]
fn the_examples_keep_every_promise() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut pages = 0;
    for dir in [
        "book-example/src",
        "docusaurus-example/docs",
        "tests/fixtures",
    ] {
        for f in std::fs::read_dir(root.join(dir)).expect("an example folder") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "md" || e == "mdx") {
                promises::page(&std::fs::read(&f).expect("read a page"));
                pages += 1;
            }
        }
    }
    assert!(pages >= 10, "only {pages} example pages found");
    for c in [
        "book-example/iam-catalog.toml",
        "docusaurus-example/iam-catalog.toml",
    ] {
        promises::catalog(&std::fs::read(root.join(c)).expect("read a catalog"));
    }
    promises::policy(br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs-bucket/*"}]}"#);
    // A request as mdBook 0.5 sends it, with a chapter read from the book's files.
    let book = tempfile::tempdir().expect("temporary folder");
    promises::write_example_book(book.path());
    let chapter = promises::EXAMPLE_CHAPTERS
        .iter()
        .find(|(n, _)| *n == "tutorial.md")
        .expect("tutorial");
    let request = serde_json::json!([
        {"root": "/elsewhere", "config": {"book": {"title": "T"}, "preprocessor": {"iam": {}}},
         "renderer": "html", "mdbook_version": "0.5.4"},
        {"items": [{"Chapter": {"name": "Tutorial", "content": chapter.1, "number": [1],
         "sub_items": [], "path": "tutorial.md", "source_path": "tutorial.md", "parent_names": []}},
         "Separator", {"Chapter": {"name": "Plain", "content": "# Plain\n", "number": null,
         "sub_items": [], "path": "../../etc/passwd", "source_path": "/etc/passwd", "parent_names": []}}]}
    ]);
    promises::mdbook_request(request.to_string().as_bytes(), book.path());
    promises::mdbook_request(b"[1, 2", book.path());
    // Language server sessions: every byte value in turn, and a pseudo-random walk.
    let all: Vec<u8> = (0..=255).collect();
    lsp::session(&all, book.path());
    let mut x = 0x2545_f491_u32;
    let walk: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    lsp::session(&walk, book.path());
}
