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
