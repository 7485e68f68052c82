//! An editing session with the language server, decoded from the fuzzer's bytes: pages and the
//! catalog opened, then incremental edits anywhere (past line ends, inside surrogate pairs, past
//! the document's end), interleaved with completion, hover, definition, references and code
//! action requests at any position (invalid ones too, and on documents never opened), flushes,
//! closes and reopens. The promise: nothing panics, and every request gets exactly one response,
//! with its own id. The stable regression test (`tests/fuzz_regressions.rs`) includes this file.

use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use mdbook_iam::lsp::Server;
use mdbook_iam::lsp::text::apply_change;
use mdbook_iam::run::AwsSelection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The example book, written once per process into a folder of its own under the system's
/// temporary folder, so that pages below it find its catalog.
pub fn example_book() -> &'static Path {
    static BOOK: OnceLock<PathBuf> = OnceLock::new();
    BOOK.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("mdbook-iam-fuzz-lsp-{}", std::process::id()));
        crate::promises::write_example_book(&root);
        root
    })
}

/// The texts a session opens.
const TEXTS: [&str; 6] = [
    include_str!("../../book-example/src/tutorial.md"),
    "---\ntitle: Roles\n---\n\nReading objects:\n\n{/* iam-policy s3-readonly */}\n\n\
     {/* iam-actions s3-readonly */}\n\n{/* iam:begin iam-policy mcp-trust */}\n{/* iam:end */}\n\n\
     Denied? {/* iam-callout not-authorized action=s3:GetObject */}\n",
    "# Café 🙂 日本語\n\nRésumé: « <<#iam-policy s3-readonly>> » 🙂🙂\n\n\
     Les actions 👩‍💻 : <<#iam-actions s3-readonly>>\n\n<<#iam-callout not-authorized action=s3:GetObject>>\n",
    "# Pasted\n\nAttach this policy:\n\n```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \
     \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \
     \"Resource\": \"*\",\n      \"Condition\": {\"StringEquals\": {\"aws:ViaAWSMCPService\": \"true\"}}\n    }\n  ]\n}\n```\n",
    "",
    "<<#iam-policy ",
];

/// What edits insert: directive syntax, JSON and TOML punctuation, line breaks, and characters
/// that take more than one byte or more than one UTF-16 unit.
const PIECES: &[&str] = &[
    "<<#",
    ">>",
    "{/*",
    "*/}",
    "iam-policy ",
    "iam-actions ",
    "iam-callout ",
    "iam-",
    "s3-readonly",
    " mcp-scoped",
    "\"",
    ":",
    "{",
    "}",
    "[",
    "]",
    ",",
    "=",
    " ",
    "\n",
    "\r\n",
    "\r",
    "é",
    "🙂",
    "\"s3:Get",
    "\"Action\": ",
    "\"Condition\": {\"",
    "aws:",
    "action=",
    "```json\n",
    "```\n",
    "<!-- iam:begin iam-policy s3-readonly -->",
    "<!-- iam:end -->",
    "[policies.",
    "actions = [",
    "\\",
    "x",
];

/// The documents a session works on: pages in the book, the book's catalog, a buffer with no
/// file, a page with no catalog above it, and one never opened.
fn uris(book: &Path) -> [String; 6] {
    let b = book.display();
    [
        format!("file://{b}/src/tutorial.md"),
        format!("file://{b}/src/new%20page.mdx"),
        format!("file://{b}/iam-catalog.toml"),
        "untitled:Untitled-1".to_string(),
        "file:///mdbook-iam-fuzz-nowhere/page.md".to_string(),
        format!("file://{b}/src/never-opened.md"),
    ]
}

/// The fuzzer's bytes, read one at a time; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[usize::from(self.u8()) % list.len()]
    }

    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// The session: the documents' texts as the client holds them, and the server.
struct Session {
    server: Server,
    uris: [String; 6],
    /// The text of each open document, by its index in `uris`.
    open: [Option<String>; 6],
    next_id: i32,
}

/// The most operations one input runs, so that no input runs for long.
const MAX_OPS: usize = 96;

/// Runs the session the bytes describe; panics where the server panics or answers a request
/// with anything but exactly one response.
pub fn session(data: &[u8], book: &Path) {
    let mut b = Bytes(data);
    let mut s = Session {
        server: Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO),
        uris: uris(book),
        open: Default::default(),
        next_id: 0,
    };
    // First: which documents are open (a page, the catalog, or both).
    let first = b.u8();
    if first & 3 != 1 {
        let doc = usize::from(first >> 2) % 5;
        let doc = if doc == 2 { 0 } else { doc };
        let text = b.pick(&TEXTS);
        s.open_doc(doc, text);
    }
    if first & 3 != 0 {
        s.open_doc(2, crate::promises::EXAMPLE_CATALOG);
    }
    let mut ops = 0;
    while !b.done() && ops < MAX_OPS {
        ops += 1;
        match b.u8() % 16 {
            0..=5 => s.edit(&mut b),
            6..=10 => s.request(&mut b),
            11 | 12 => {
                s.server.flush(Instant::now());
            }
            13 => {
                let doc = b.u8();
                s.close(usize::from(doc) % 6);
            }
            14 => {
                let doc = usize::from(b.u8()) % 5;
                let text = if doc == 2 {
                    crate::promises::EXAMPLE_CATALOG
                } else {
                    b.pick(&TEXTS)
                };
                s.open_doc(doc, text);
            }
            _ => s.other(&mut b),
        }
    }
    for doc in 0..6 {
        s.close(doc);
    }
    s.server.flush(Instant::now() + Duration::from_secs(1));
}

impl Session {
    fn notify(&mut self, method: &str, params: Value) {
        let out = self.server.handle(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
        assert!(
            out.iter().all(|m| matches!(m, Message::Notification(_))),
            "a notification answered with a response: {out:?}"
        );
    }

    /// Sends a request; asserts that exactly one response comes back, for this request.
    fn ask(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let out = self.server.handle(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        let responses: Vec<&Response> = out
            .iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(responses.len(), 1, "{method}: not one response: {out:?}");
        assert_eq!(responses[0].id, id, "{method}: answered another request");
    }

    fn open_doc(&mut self, doc: usize, text: &str) {
        let language = if doc == 2 { "toml" } else { "markdown" };
        let uri = self.uris[doc].clone();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.open[doc] = Some(text.to_string());
    }

    fn close(&mut self, doc: usize) {
        let uri = self.uris[doc].clone();
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        self.open[doc] = None;
    }

    /// A document: mostly an open one, sometimes any (edits to a closed one are ignored).
    fn doc(&self, b: &mut Bytes) -> usize {
        let n = b.u8();
        let open: Vec<usize> = (0..6).filter(|&d| self.open[d].is_some()).collect();
        if n < 224 && !open.is_empty() {
            open[usize::from(n) % open.len()]
        } else {
            usize::from(n) % 6
        }
    }

    /// A position: mostly on a line of the text and at most a few units past its end (inside
    /// surrogate pairs where the line has any), sometimes far past the end.
    fn position(&self, doc: usize, b: &mut Bytes) -> Position {
        let text = self.open[doc].as_deref().unwrap_or("");
        let lines: Vec<&str> = text.split(['\n', '\r']).collect();
        let (l, c) = (b.u8(), b.u8());
        let line = match l {
            0..=239 => u32::from(l) % (lines.len() as u32 + 2),
            240..=247 => lines.len() as u32 + u32::from(l - 240) * 1000,
            _ => u32::MAX - u32::from(l - 248),
        };
        let units = lines
            .get(line as usize)
            .map_or(0, |l| l.encode_utf16().count() as u32);
        let character = match c {
            0..=239 => u32::from(c) % (units + 4),
            240..=247 => units + u32::from(c - 240) * 100,
            _ => u32::MAX - u32::from(c - 248),
        };
        Position::new(line, character)
    }

    /// A position near `start`: the same place (an insertion), a few units or lines on, or
    /// anywhere (an end before the start too).
    fn end(&self, doc: usize, start: Position, b: &mut Bytes) -> Position {
        match b.u8() % 4 {
            0 => start,
            1 => Position::new(
                start.line,
                start.character.saturating_add(u32::from(b.u8() % 8)),
            ),
            2 => Position::new(
                start.line.saturating_add(u32::from(b.u8() % 4)),
                u32::from(b.u8() % 16),
            ),
            _ => self.position(doc, b),
        }
    }

    fn inserted(b: &mut Bytes) -> String {
        let n = b.u8() % 6;
        (0..n).map(|_| b.pick(PIECES)).collect()
    }

    /// One `didChange` of one to three changes, as the client applies them.
    fn edit(&mut self, b: &mut Bytes) {
        let doc = self.doc(b);
        let n = 1 + b.u8() % 3;
        let mut changes = Vec::new();
        let mut text = self.open[doc].clone().unwrap_or_default();
        for _ in 0..n {
            let change = if b.u8() == 255 {
                // The whole text replaced.
                TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: b.pick(&TEXTS).to_string(),
                }
            } else {
                let start = self.position(doc, b);
                let end = self.end(doc, start, b);
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(start, end)),
                    range_length: None,
                    text: Self::inserted(b),
                }
            };
            apply_change(&mut text, &change);
            changes.push(change);
        }
        if self.open[doc].is_some() {
            self.open[doc] = Some(text);
        }
        let uri = self.uris[doc].clone();
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}),
        );
    }

    /// One request at a position of a document (or of one never opened).
    fn request(&mut self, b: &mut Bytes) {
        let doc = self.doc(b);
        let uri = self.uris[doc].clone();
        let method = b.u8() % 7;
        let pos = self.position(doc, b);
        let at = json!({"textDocument": {"uri": uri}, "position": pos});
        match method {
            0 | 1 => self.ask("textDocument/completion", at),
            2 => self.ask("textDocument/hover", at),
            3 => self.ask("textDocument/definition", at),
            4 => {
                let mut p = at;
                p["context"] = json!({"includeDeclaration": b.u8() & 1 == 1});
                self.ask("textDocument/references", p)
            }
            5 => {
                let end = self.end(doc, pos, b);
                self.ask(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": uri}, "range": {"start": pos, "end": end},
                           "context": {"diagnostics": []}}),
                )
            }
            _ => {
                // Parameters no client sends: a negative line, a missing position.
                let p = if b.u8() & 1 == 0 {
                    json!({"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}})
                } else {
                    json!({"textDocument": {"uri": uri}})
                };
                let method = b.pick(&[
                    "textDocument/completion",
                    "textDocument/hover",
                    "textDocument/formatting",
                ]);
                self.ask(method, p)
            }
        }
    }

    /// The rest of what a client sends: saves, watched files, bad notifications, shutdown.
    fn other(&mut self, b: &mut Bytes) {
        match b.u8() % 8 {
            0 | 1 => {
                let doc = self.doc(b);
                let uri = self.uris[doc].clone();
                self.notify(
                    "textDocument/didSave",
                    json!({"textDocument": {"uri": uri}}),
                );
            }
            2 | 3 => {
                let uri = self.uris[2].clone();
                self.notify(
                    "workspace/didChangeWatchedFiles",
                    json!({"changes": [{"uri": uri, "type": 2}]}),
                );
            }
            4 => self.notify("textDocument/didChange", json!({"textDocument": 3})),
            5 => {
                let _ = self.server.due();
            }
            6 => self.notify("$/cancelRequest", json!({"id": self.next_id})),
            _ => {
                if b.u8() == 0 {
                    self.ask("shutdown", Value::Null);
                }
            }
        }
    }
}
