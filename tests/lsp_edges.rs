//! `mdbook-iam lsp` at its edges: catalogs changed on disk or in unsaved included files, text after
//! characters of several bytes, exit without shutdown, a pasted policy replaced by its directive.
//! Each was found by driving the server with an independent client (`tests/lsp-against-check/`).

mod common;

use common::lsp_client::{Client, range, url};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// A catalog with one policy (`alpha`) that includes `more.toml` with another (`beta`), and a
/// page in `src/` that uses both and a third (`gamma`) that neither defines.
fn book_with_include(dir: &Path) -> (std::path::PathBuf, String) {
    std::fs::write(
        dir.join("iam-catalog.toml"),
        "include = [\"more.toml\"]\n\n[policies.alpha]\ntitle = \"Alpha\"\ndescription = \"A.\"\n\n\
         [[policies.alpha.statements]]\nEffect = \"Allow\"\nAction = [\"s3:GetObject\"]\nResource = [\"*\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("more.toml"), more("beta", "s3:ListBucket")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let page = dir.join("src/p.md");
    let text = "# P\n\n<<#iam-policy alpha>>\n\n<<#iam-policy beta>>\n\n<<#iam-policy gamma>>\n";
    std::fs::write(&page, text).unwrap();
    (page, text.to_string())
}

fn more(name: &str, action: &str) -> String {
    format!(
        "[policies.{name}]\ntitle = \"B\"\ndescription = \"B.\"\n\n[[policies.{name}.statements]]\n\
         Effect = \"Allow\"\nAction = [\"{action}\"]\nResource = [\"*\"]\n"
    )
}

/// (code, line, UTF-16 column) of each diagnostic.
fn places(diags: &[Value]) -> BTreeSet<(String, u64, u64)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// What `check --format json PAGE` reports for the page, as (code, 0-based line, 0-based
/// column); the pages here are ASCII, so check's character columns are UTF-16 columns.
fn check_places(page: &Path) -> BTreeSet<(String, u64, u64)> {
    let dir = page.parent().unwrap();
    let name = page.file_name().unwrap().to_str().unwrap();
    let out = common::run(dir, &["check", "--format", "json", name], "");
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    findings
        .iter()
        .filter(|f| f["file"] == name && f.get("line").is_some())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() - 1,
                f["column"].as_u64().unwrap() - 1,
            )
        })
        .collect()
}

fn position(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]

fn hover_after_a_typographic_apostrophe_or_emoji_answers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::example_catalog(),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    let page = dir.path().join("p.md");
    // Prose in French: `l’accès` (U+2019, three bytes), an em dash, an emoji.
    let text = "L’accès — é🙂 word\n";
    std::fs::write(&page, text).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&page);
    c.open(&uri, "markdown", text);
    c.diagnostics(&uri);
    // Every UTF-16 boundary of the line: prose has no hover, and no request fails.
    for character in [0, 1, 2, 3, 5, 7, 8, 10, 11, 12, 15] {
        let r = c.request_raw("textDocument/hover", position(&uri, 0, character));
        assert!(
            r.get("error").is_none(),
            "hover at 0:{character} failed: {r}"
        );
    }
    c.stop();
}

#[test]

fn definition_and_hover_in_a_catalog_with_accents_and_emoji_answer() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("iam-catalog.toml");
    let text = std::fs::read_to_string(common::example_catalog())
        .unwrap()
        .replacen("description = \"", "description = \"Café — l’accès 🙂 ", 1);
    std::fs::write(&catalog, &text).unwrap();
    let line = text.lines().position(|l| l.contains("l’accès")).unwrap() as u32;
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&catalog);
    c.open(&uri, "toml", &text);
    let width = text
        .lines()
        .nth(line as usize)
        .unwrap()
        .encode_utf16()
        .count() as u32;
    for character in 0..=width {
        for method in [
            "textDocument/definition",
            "textDocument/hover",
            "textDocument/references",
        ] {
            let mut p = position(&uri, line, character);
            if method == "textDocument/references" {
                p["context"] = json!({"includeDeclaration": true});
            }
            let r = c.request_raw(method, p);
            assert!(
                r.get("error").is_none(),
                "{method} at {line}:{character} failed: {r}"
            );
        }
    }
    c.stop();
}

#[test]

fn an_included_catalog_file_gets_its_diagnostics_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (page, text) = book_with_include(dir.path());
    let included = dir.path().join("more.toml");
    let broken = more("beta", "s3:ListBuckt");
    std::fs::write(&included, &broken).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let puri = url(&page);
    c.open(&puri, "markdown", &text);
    c.diagnostics(&puri);
    let muri = url(&included);
    c.open(&muri, "toml", &broken);
    let got = c
        .diagnostics_within(&muri, Duration::from_secs(3))
        .expect("diagnostics for the opened included file");
    let codes: Vec<&str> = got.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"invalid-action"), "{got:?}");
    c.stop();
}

#[test]

fn an_unsaved_edit_to_an_included_file_reaches_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (page, text) = book_with_include(dir.path());
    let included = dir.path().join("more.toml");
    let (mut c, _) = Client::start(dir.path());
    let puri = url(&page);
    c.open(&puri, "markdown", &text);
    assert_eq!(
        places(&c.diagnostics(&puri)),
        BTreeSet::from([("unknown-policy".to_string(), 6, 14)])
    );
    let muri = url(&included);
    c.open(&muri, "toml", &more("beta", "s3:ListBucket"));
    c.diagnostics_within(&puri, Duration::from_secs(2));
    // `beta` renamed `gamma` in the unsaved buffer: `gamma` resolves, `beta` does not.
    c.change(
        &muri,
        2,
        range(0, 0, 100, 0),
        &more("gamma", "s3:ListBucket"),
    );
    let got = c.diagnostics(&puri);
    assert_eq!(
        places(&got),
        BTreeSet::from([("unknown-policy".to_string(), 4, 14)]),
        "{got:?}"
    );
    c.stop();
}

#[test]

fn a_catalog_changed_on_disk_is_seen_as_check_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let (page, text) = book_with_include(dir.path());
    let (mut c, _) = Client::start(dir.path());
    let puri = url(&page);
    c.open(&puri, "markdown", &text);
    c.diagnostics(&puri);
    // Saved from another program: `beta` is now `gamma`.
    std::fs::write(dir.path().join("more.toml"), more("gamma", "s3:ListBucket")).unwrap();
    // Any edit re-checks the page.
    let edited = format!("{text}\n");
    c.change(&puri, 2, range(0, 0, 100, 0), &edited);
    let got = places(&c.diagnostics(&puri));
    std::fs::write(&page, &edited).unwrap();
    assert_eq!(
        got,
        check_places(&page),
        "the editor and the build disagree"
    );
    c.stop();
}

#[test]

fn exit_without_shutdown_ends_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = Client::start(dir.path());
    let status = c.exit_without_shutdown();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn pages_with_crlf_and_a_bom_agree_with_check() {
    // Passes today: kept as a guard for the position mapping (protocol lines end at \n, \r\n
    // and a lone \r; check counts \n only, so check's places are converted through the text).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::example_catalog(),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    let body = "# T\n\n<<#iam-policy s3-readnly>>\n\nText <<#iam-policy mcp-trust>>\n\n```json\n\
                {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \
                [\"qapps:ImportDocumentToQApp\", \"aws-mcp:InvokeMcp\"], \"Resource\": \"*\"}]}\n```\n";
    let (mut c, _) = Client::start(dir.path());
    for (name, text) in [
        ("lf.md", body.to_string()),
        ("crlf.md", body.replace('\n', "\r\n")),
        ("bom.md", format!("\u{feff}{body}")),
    ] {
        let page = dir.path().join(name);
        std::fs::write(&page, &text).unwrap();
        let uri = url(&page);
        c.open(&uri, "markdown", &text);
        let got = places(&c.diagnostics(&uri));
        let want = check_places(&page);
        let codes: BTreeSet<&str> = want.iter().map(|(c, _, _)| c.as_str()).collect();
        for code in ["unknown-policy", "retired-action", "deprecated-action"] {
            assert!(codes.contains(code), "{name}: {want:?}");
        }
        assert_eq!(got, want, "{name}");
    }
    c.stop();
}

/// Applies one text edit to an ASCII text (UTF-16 columns are bytes there).
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let (a, b) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..a],
        edit["newText"].as_str().unwrap(),
        &text[b..]
    )
}

#[test]

fn replacing_a_pasted_policy_with_its_directive_renders_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::example_catalog(),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src.md"),
        "# X\n\n<<#iam-policy s3-readonly>>\n",
    )
    .unwrap();
    // The page as a reader sees it: the policy pasted as the build renders it.
    let pasted = common::stdout(&common::run(dir.path(), &["expand", "src.md"], ""));
    assert!(pasted.contains("```json"), "{pasted}");
    let page = dir.path().join("pasted.md");
    std::fs::write(&page, &pasted).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&page);
    c.open(&uri, "markdown", &pasted);
    c.diagnostics(&uri);
    let lines = pasted.lines().count() as u32;
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 0, lines, 0),
               "context": {"diagnostics": []}}),
    );
    let rewrite = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "refactor.rewrite")
        .unwrap_or_else(|| panic!("no rewrite offered: {actions}"))
        .clone();
    let edits = rewrite["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{rewrite}");
    let rewritten = apply(&pasted, &edits[0]);
    std::fs::write(&page, &rewritten).unwrap();
    let again = common::stdout(&common::run(dir.path(), &["expand", "pasted.md"], ""));
    assert_eq!(again, pasted, "the page after the rewrite:\n{rewritten}");
    c.stop();
}
