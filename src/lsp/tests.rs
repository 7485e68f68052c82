//! The server driven in-process: messages in, messages out.

use super::Server;
use crate::run::AwsSelection;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub(crate) fn book() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book-example")
}

fn open(s: &mut Server, uri: &str, text: &str) -> Vec<Message> {
    s.handle(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    )))
}

fn ask(s: &mut Server, method: &str, params: Value) -> Value {
    let out = s.handle(Message::Request(Request::new(
        RequestId::from(1),
        method.into(),
        params,
    )));
    match &out[0] {
        Message::Response(r) => r.response_result.clone().unwrap_or(Value::Null),
        other => panic!("{other:?}"),
    }
}

#[test]
fn completion_at_a_half_typed_directive_at_the_end() {
    let mut s = Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO);
    let uri = format!("file://{}/src/x.md", book().display());
    let text =
        std::fs::read_to_string(book().join("src/tutorial.md")).unwrap() + "\n<<#iam-policy ";
    open(&mut s, &uri, &text);
    let line = text.lines().count() - 1;
    let r = ask(
        &mut s,
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 14}}),
    );
    let labels: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"s3-readonly"), "{r}");
    let _ = Instant::now();
}

/// A session's messages, for the fuzz finds below: a request must be answered, not panic.
fn answers(s: &mut Server, method: &str, uri: &str, line: u32, character: u32) -> Value {
    let mut params =
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    if method == "textDocument/references" {
        params["context"] = json!({"includeDeclaration": true});
    }
    ask(s, method, params)
}

#[test]
fn hover_after_a_character_of_several_bytes_that_ends_no_word() {
    // Found by fuzzing (`lsp_edits`): the word's start was taken one byte past the emoji's
    // first byte, inside it.
    let mut s = Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO);
    let uri = format!("file://{}/src/x.md", book().display());
    open(&mut s, &uri, "🙂s3:GetObject and «s3:ListBucket»\n");
    let r = answers(&mut s, "textDocument/hover", &uri, 0, 4);
    assert!(r.to_string().contains("GetObject"), "{r}");
    let r = answers(&mut s, "textDocument/hover", &uri, 0, 22);
    assert!(r.to_string().contains("ListBucket"), "{r}");
}

#[test]
fn definition_in_the_catalog_after_a_character_of_several_bytes() {
    let mut s = Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO);
    let uri = format!("file://{}/iam-catalog.toml", book().display());
    let text =
        std::fs::read_to_string(book().join("iam-catalog.toml")).unwrap() + "\n# 🙂s3-readonly\n";
    open(&mut s, &uri, &text);
    let line = text.lines().count() as u32 - 1;
    for method in [
        "textDocument/definition",
        "textDocument/references",
        "textDocument/hover",
    ] {
        let r = answers(&mut s, method, &uri, line, 6);
        if method == "textDocument/definition" {
            assert!(r.to_string().contains("iam-catalog.toml"), "{r}");
        }
    }
}

#[test]
fn condition_key_completion_in_a_long_statement_with_non_ascii_text() {
    // The statement is read through a window of 8 KiB, which may end inside a character.
    let mut s = Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO);
    let uri = format!("file://{}/src/x.md", book().display());
    let head = "```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \
                \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"";
    for pad in 0..4 {
        let filler = format!("{}{}", "x".repeat(8000 + pad), "é".repeat(60));
        let text = format!("{head}\n}}}}, \"Sid\": \"{filler}\"}}]}}\n```\n");
        open(&mut s, &uri, &text);
        let r = answers(
            &mut s,
            "textDocument/completion",
            &uri,
            1,
            head.len() as u32 - 8,
        );
        assert!(!r.is_null(), "{r}");
    }
}
