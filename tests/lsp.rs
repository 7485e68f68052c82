//! `mdbook-iam lsp` through stdio, driven by a test client as an editor drives it: initialize,
//! open a page, completion, hover, definition, references, diagnostics after an edit, code
//! actions, a catalog edit re-checking the open pages, positions in UTF-16, shutdown.

mod common;

use common::lsp_client::{Client, labels, range, url};
use serde_json::{Value, json};
use std::path::PathBuf;

fn book() -> PathBuf {
    common::root().join("book-example")
}

fn tutorial() -> (PathBuf, String) {
    let p = book().join("src/tutorial.md");
    let text = std::fs::read_to_string(&p).unwrap();
    (p, text)
}

/// The line (0-based) holding `needle`, and the UTF-16 column where it starts.
fn find(text: &str, needle: &str) -> (u32, u32) {
    for (n, line) in text.lines().enumerate() {
        if let Some(i) = line.find(needle) {
            return (n as u32, line[..i].encode_utf16().count() as u32);
        }
    }
    panic!("`{needle}` not in the text");
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect()
}

#[test]
fn initialize_advertises_what_is_served_and_shutdown_exits_cleanly() {
    let (client, init) = Client::start(&book());
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for cap in [
        "completionProvider",
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "codeActionProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing: {caps}");
    }
    let status = client.stop();
    assert!(status.success(), "{status:?}");
}

#[test]
fn completion_lists_the_catalogs_policies_after_iam_policy() {
    let (client_dir, (path, text)) = (book(), tutorial());
    let (mut c, _) = Client::start(&client_dir);
    let uri = url(&path);
    let typed = format!("{text}\n<<#iam-policy ");
    c.open(&uri, "markdown", &typed);
    let last = typed.lines().count() as u32 - 1;
    let got = labels(&c.at("textDocument/completion", &uri, last, 14));
    let want = common::catalog_policies(&book().join("iam-catalog.toml"));
    assert!(want.len() >= 3, "{want:?}");
    for name in &want {
        assert!(got.contains(name), "`{name}` not offered: {got:?}");
    }
    assert!(
        !got.iter().any(|l| l.starts_with("iam-")),
        "kinds offered after a kind: {got:?}"
    );

    // After `<<#`: the kinds; after a policy: its modifiers.
    let kinds = labels(&c.at("textDocument/completion", &uri, 0, 0));
    assert!(kinds.is_empty(), "nothing outside a directive: {kinds:?}");
    let (l, col) = find(&text, "<<#iam-policy s3-readonly>>");
    let kinds = labels(&c.at("textDocument/completion", &uri, l, col + 3));
    assert!(
        kinds.contains(&"iam-policy".to_string()) && kinds.contains(&"iam-claim".to_string()),
        "{kinds:?}"
    );
    let mods = labels(&c.at(
        "textDocument/completion",
        &uri,
        l,
        col + 3 + "iam-policy s3-readonly".len() as u32,
    ));
    assert!(
        mods.contains(&"s3-readonly".to_string()),
        "the word being typed is completed: {mods:?}"
    );
    c.stop();
}

#[test]
fn completion_after_a_policy_name_offers_modifiers_and_params() {
    let (mut c, _) = Client::start(&book());
    let (path, text) = tutorial();
    let uri = url(&path);
    let typed = format!("{text}\n<<#iam-policy s3-readonly ");
    c.open(&uri, "markdown", &typed);
    let last = typed.lines().count() as u32 - 1;
    let got = labels(&c.at("textDocument/completion", &uri, last, 26));
    assert!(got.contains(&"mcp-scoped".to_string()), "{got:?}");
    assert!(got.contains(&"file=".to_string()), "{got:?}");
    c.stop();
}

#[test]
fn hover_on_a_directive_shows_the_json_expand_renders() {
    let (path, text) = tutorial();
    let expanded = common::run(&book(), &["expand", "src/tutorial.md"], "");
    assert!(expanded.status.success(), "{}", common::stderr(&expanded));
    let expanded = common::stdout(&expanded);
    let (mut c, _) = Client::start(&book());
    let uri = url(&path);
    c.open(&uri, "markdown", &text);
    let (l, col) = find(&text, "<<#iam-policy s3-readonly>>");
    let h = c.at("textDocument/hover", &uri, l, col + 5);
    let value = h["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"));
    let json_start = value.find("```json").expect("a JSON block in the hover");
    let block = &value[json_start..];
    let body_start = block.find('\n').unwrap() + 1;
    let body_end = block[body_start..].find("```").unwrap() + body_start;
    let json = &block[body_start..body_end];
    assert!(json.contains("\"s3:GetObject\""), "{json}");
    // Indented by the list item it sits in on the page, as expand indents it.
    let indented: String = json.lines().map(|l| format!("   {l}\n")).collect();
    assert!(
        expanded.contains(json) || expanded.contains(&indented),
        "hover JSON not in expand's output:\n{json}"
    );
    assert_eq!(h["range"]["start"]["line"], l);

    // On an action inside a claim: AWS's data.
    let (l, col) = find(&text, "explicitly denies s3:GetObject");
    let h = c.at("textDocument/hover", &uri, l, col + 20);
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("s3:GetObject") && v.contains("Read") && v.contains("object"),
        "{v}"
    );

    // On a claim: proven, with the deciding statement.
    let (l, col) = find(&text, "<<#iam-claim mcp-s3-readonly explicitly denies");
    let h = c.at("textDocument/hover", &uri, l, col + 5);
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("Proven") && v.contains("decided by statement"),
        "{v}"
    );
    c.stop();
}

#[test]
fn definition_goes_to_the_catalog_and_references_come_back() {
    let (path, text) = tutorial();
    let catalog = book().join("iam-catalog.toml");
    let catalog_text = std::fs::read_to_string(&catalog).unwrap();
    let (mut c, _) = Client::start(&book());
    let uri = url(&path);
    c.open(&uri, "markdown", &text);
    let (l, col) = find(&text, "<<#iam-policy s3-readonly>>");
    let d = c.at("textDocument/definition", &uri, l, col + 16);
    assert_eq!(d["uri"], url(&catalog), "{d}");
    let (cl, _) = find(&catalog_text, "[policies.s3-readonly]");
    assert_eq!(d["range"]["start"]["line"], cl, "{d}");

    let curi = url(&catalog);
    c.open(&curi, "toml", &catalog_text);
    let (cl, ccol) = find(&catalog_text, "[policies.s3-readonly]");
    let refs = c.at("textDocument/references", &curi, cl, ccol + 12);
    let refs = refs.as_array().unwrap_or_else(|| panic!("{refs}"));
    let on_page: Vec<u64> = refs
        .iter()
        .filter(|r| r["uri"] == uri)
        .map(|r| r["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert!(on_page.contains(&(l as u64)), "{refs:?}");
    assert!(
        refs.iter().any(|r| r["uri"] == curi),
        "the declaration is included: {refs:?}"
    );
    c.stop();
}

#[test]
fn an_edit_brings_diagnostics_with_codes_linked_to_the_guide() {
    let (path, text) = tutorial();
    let (mut c, _) = Client::start(&book());
    let uri = url(&path);
    c.open(&uri, "markdown", &text);
    let first = c.diagnostics(&uri);
    assert!(
        !first.iter().any(|d| d["severity"] == 1),
        "the tutorial is clean: {first:?}"
    );
    let end = text.lines().count() as u32;
    let pasted = "\n```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"qapps:ImportDocumentToQApp\", \"aws-mcp:InvokeMcp\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n```\n";
    c.change(&uri, 2, range(end, 0, end, 0), pasted);
    let after = c.diagnostics(&uri);
    let got = codes(&after);
    assert!(got.contains(&"retired-action".to_string()), "{got:?}");
    assert!(got.contains(&"deprecated-action".to_string()), "{got:?}");
    let retired = after
        .iter()
        .find(|d| d["code"] == "retired-action")
        .unwrap();
    assert_eq!(retired["severity"], 1);
    assert!(
        retired["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("codes/retired-action.html"),
        "{retired}"
    );
    let (l, col) = find(&format!("{text}{pasted}"), "qapps:ImportDocumentToQApp");
    assert_eq!(retired["range"]["start"]["line"], l);
    assert_eq!(
        retired["range"]["start"]["character"],
        col - 1,
        "the range holds the quoted string"
    );
    c.stop();
}

#[test]
fn positions_are_utf16_on_pages_in_french_japanese_and_emoji() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        book().join("iam-catalog.toml"),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    let page = dir.path().join("page.md");
    let lines = [
        "# Politique d'accès 🙂",
        "",
        "Café 日本語 🙂🙂 <<#iam-policy s3-readnly>>",
        "",
        "Élève: <<#iam-policy s3-readonly>>",
    ];
    let text = lines.join("\n") + "\n";
    std::fs::write(&page, &text).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&page);
    c.open(&uri, "markdown", &text);
    let diags = c.diagnostics(&uri);
    let d = diags
        .iter()
        .find(|d| d["code"] == "unknown-policy")
        .unwrap_or_else(|| panic!("{diags:?}"));
    let prefix = "Café 日本語 🙂🙂 ";
    // The finding is at the name: after the prefix and `<<#iam-policy `.
    assert_eq!(
        prefix.encode_utf16().count(),
        14,
        "emoji count two units, accents and kanji one"
    );
    assert_eq!(
        d["range"]["start"],
        json!({"line": 2, "character": 14 + 14})
    );
    assert_eq!(d["range"]["end"], json!({"line": 2, "character": 28 + 10}));
    // The quick fix replaces exactly the misspelt word.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("{actions}"));
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "s3-readonly");
    let start = (prefix.to_string() + "<<#iam-policy ")
        .encode_utf16()
        .count();
    assert_eq!(edit["range"], range(2, start as u32, 2, start as u32 + 10));
    // Hover after the non-ASCII text finds the directive.
    let h = c.at("textDocument/hover", &uri, 4, 10);
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("s3:GetObject"),
        "{h}"
    );
    c.stop();
}

#[test]
fn quick_fixes_for_a_misspelt_action_and_a_policy_the_catalog_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        book().join("iam-catalog.toml"),
        dir.path().join("iam-catalog.toml"),
    )
    .unwrap();
    // The policy as the catalog renders it.
    let export = dir.path().join("out");
    let o = common::run(
        dir.path(),
        &["export", "--out", export.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let exported = std::fs::read_to_string(export.join("s3-readonly-permissions.json")).unwrap();
    let page = dir.path().join("page.md");
    let text = format!(
        "# Page\n\n```json\n{exported}```\n\n```json\n{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}}]}}\n```\n"
    );
    std::fs::write(&page, &text).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&page);
    c.open(&uri, "markdown", &text);
    let end = text.lines().count() as u32;
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 0, end, 0), "context": {"diagnostics": []}}),
    );
    let actions = actions.as_array().unwrap_or_else(|| panic!("{actions}"));
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(
        titles.iter().any(|t| t.contains("`s3:GetObject`")),
        "{titles:?}"
    );
    let replace = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("iam-policy"))
        })
        .unwrap_or_else(|| panic!("{titles:?}"));
    let edit = &replace["edit"]["changes"][&uri][0];
    assert!(
        edit["newText"]
            .as_str()
            .unwrap()
            .starts_with("<<#iam-policy "),
        "{edit}"
    );
    assert_eq!(
        edit["range"]["start"]["line"], 2,
        "the whole fenced block: {edit}"
    );
    c.stop();
}

#[test]
fn a_catalog_edit_rechecks_the_open_pages() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("iam-catalog.toml");
    std::fs::copy(book().join("iam-catalog.toml"), &catalog).unwrap();
    let page = dir.path().join("page.md");
    let text = "<<#iam-policy s3-readonly extra-guard>>\n";
    std::fs::write(&page, text).unwrap();
    let (mut c, _) = Client::start(dir.path());
    let uri = url(&page);
    c.open(&uri, "markdown", text);
    assert_eq!(codes(&c.diagnostics(&uri)), ["unknown-modifier"]);
    let curi = url(&catalog);
    let ctext = std::fs::read_to_string(&catalog).unwrap();
    c.open(&curi, "toml", &ctext);
    assert_eq!(
        codes(&c.diagnostics(&uri)),
        ["unknown-modifier"],
        "opening the catalog re-checks the page"
    );
    // The modifier, added in the unsaved catalog: the page's directive now resolves.
    let end = ctext.lines().count() as u32;
    let added = "\n[modifiers.extra-guard]\ndescription = \"The guardrail.\"\nappend = [\"DenyDirectAPIAccess\"]\n";
    c.change(&curi, 2, range(end, 0, end, 0), added);
    assert_eq!(
        codes(&c.diagnostics(&uri)),
        Vec::<String>::new(),
        "re-checked against the edited catalog"
    );
    // And removed again: the finding comes back.
    let added_lines = added.lines().count() as u32;
    c.change(&curi, 3, range(end, 0, end + added_lines, 0), "");
    assert_eq!(codes(&c.diagnostics(&uri)), ["unknown-modifier"]);
    c.stop();
}

#[test]
fn completion_inside_pasted_json_and_the_catalog() {
    let (mut c, _) = Client::start(&book());
    let page = book().join("src/scratch-not-on-disk.md");
    let uri = url(&book().join("src")).to_string() + "/scratch-not-on-disk.md";
    let _ = page;
    let text = "```json\n{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Condition\": {\"StringEquals\": {\"\": \"x\"}}}]}\n```\n";
    c.open(&uri, "markdown", text);
    let (l, col) = find(text, "s3:GetObject");
    let got = c.at("textDocument/completion", &uri, l, col + 8);
    let items = got["items"].as_array().unwrap();
    let get = items
        .iter()
        .find(|i| i["label"] == "s3:GetObject")
        .unwrap_or_else(|| panic!("{:?}", labels(&got)));
    assert_eq!(get["detail"], "Read");
    let (l, col) = find(text, "{\"\": \"x\"}");
    let keys = labels(&c.at("textDocument/completion", &uri, l, col + 2));
    assert!(
        keys.iter().any(|k| k.starts_with("s3:")),
        "keys of s3:GetObject: {keys:?}"
    );
    assert!(keys.contains(&"aws:SourceIp".to_string()), "{keys:?}");
    let (l, col) = find(text, "\"StringEquals\"");
    let ops = labels(&c.at("textDocument/completion", &uri, l, col + 1));
    assert!(
        ops.contains(&"StringEquals".to_string()) && ops.contains(&"BoolIfExists".to_string()),
        "{ops:?}"
    );

    let catalog = book().join("iam-catalog.toml");
    let ctext = std::fs::read_to_string(&catalog).unwrap()
        + "\n[statements.scratch]\nEffect = \"Allow\"\nAction = [\"ec2:Descr";
    let curi = url(&catalog);
    c.open(&curi, "toml", &ctext);
    let last = ctext.lines().count() as u32 - 1;
    let got = labels(&c.at("textDocument/completion", &curi, last, 20));
    assert!(
        got.contains(&"ec2:DescribeInstances".to_string()),
        "{} items",
        got.len()
    );
    c.stop();
}

#[test]
fn the_catalog_hovers_its_claims_and_policies_and_other_toml_gets_nothing() {
    let catalog = book().join("iam-catalog.toml");
    let ctext = std::fs::read_to_string(&catalog).unwrap();
    let (mut c, _) = Client::start(&book());
    let curi = url(&catalog);
    c.open(&curi, "toml", &ctext);
    let (l, col) = find(&ctext, "\"applies when aws:ViaAWSMCPService is absent\"");
    let h = c.at("textDocument/hover", &curi, l, col + 3);
    let v = h["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"));
    assert!(v.starts_with("**Proven by the build**"), "{v}");
    let (l, col) = find(&ctext, "[policies.s3-readonly]");
    let h = c.at("textDocument/hover", &curi, l, col + 12);
    let v = h["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"));
    assert!(
        v.contains("```json") && v.contains("\"s3:ListBucket\""),
        "{v}"
    );

    // A false claim, typed into the unsaved catalog: refuted, with the request that refutes it.
    let false_claim = "\n[policies.scratch]\nfile = \"scratch.json\"\nclaims = [\"denies s3:GetObject\"]\n\n[[policies.scratch.statements]]\nEffect = \"Allow\"\nAction = \"s3:GetObject\"\nResource = \"*\"\n";
    let end = ctext.lines().count() as u32;
    c.change(&curi, 2, range(end, 0, end, 0), false_claim);
    // The first publication is the one opening the catalog made.
    let mut diags = c.diagnostics(&curi);
    if diags.is_empty() {
        diags = c.diagnostics(&curi);
    }
    assert!(
        codes(&diags).contains(&"false-claim".to_string()),
        "{diags:?}"
    );
    let whole = format!("{ctext}{false_claim}");
    let (l, col) = find(&whole, "\"denies s3:GetObject\"");
    let h = c.at("textDocument/hover", &curi, l, col + 3);
    let v = h["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"));
    assert!(
        v.starts_with("**Refuted**") && v.contains("decided by statement"),
        "{v}"
    );

    // book.toml is TOML but no catalog.
    let book_toml = book().join("book.toml");
    let buri = url(&book_toml);
    let btext = std::fs::read_to_string(&book_toml).unwrap();
    c.open(&buri, "toml", &btext);
    assert!(labels(&c.at("textDocument/completion", &buri, 1, 0)).is_empty());
    c.stop();
}

#[test]
fn sync_markers_name_catalog_entries_as_directives_do() {
    let site = common::root().join("docusaurus-example");
    let page = site.join("docs/policies.mdx");
    let text = std::fs::read_to_string(&page).unwrap();
    let (mut c, _) = Client::start(&site);
    let uri = url(&page);
    c.open(&uri, "mdx", &text);
    let (l, col) = find(&text, "{/* iam:begin iam-policy mcp-trust */}");
    let at = col + "{/* iam:begin iam-policy ".len() as u32 + 2;
    let h = c.at("textDocument/hover", &uri, l, at);
    let v = h["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{h}"));
    assert!(
        v.contains("sts:AssumeRoleWithWebIdentity") && v.contains("docusaurus flavor"),
        "{v}"
    );
    let d = c.at("textDocument/definition", &uri, l, at);
    assert!(
        d["uri"].as_str().unwrap().ends_with("iam-catalog.toml"),
        "{d}"
    );
    let refs = c.at("textDocument/references", &uri, l, at);
    let refs = refs.as_array().unwrap_or_else(|| panic!("{refs}"));
    assert!(
        refs.iter()
            .any(|r| r["uri"] == uri && r["range"]["start"]["line"] == l),
        "{refs:?}"
    );
    let tutorial = url(&site.join("docs/tutorial.mdx"));
    assert!(
        refs.iter().any(|r| r["uri"] == tutorial),
        "the tutorial's directive: {refs:?}"
    );
    c.stop();
}
