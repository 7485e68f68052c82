//! The server without its transport: messages in, messages out. Edits mark documents for
//! checking; the diagnostics go out once the edits pause ([`Server::due`], [`Server::flush`]).

use super::diagnostics;
use super::text::apply_change;
use super::workspace::{Document, Opened, Workspace};
use crate::run::AwsSelection;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, References, Request as _, Shutdown,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, Diagnostic,
    HoverProviderCapability, OneOf, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long edits must pause before a document is checked again.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// What the server offers: incremental sync, completion (triggered after `<<#`, `{/*`, a space,
/// `:`, `"` and `=`), hover, definition, references and quick fixes, in UTF-16 positions.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["#", "*", " ", ":", "\"", "=", "-"]
                    .map(String::from)
                    .to_vec(),
            ),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

pub struct Server {
    aws: AwsSelection,
    pub(super) ws: Workspace,
    /// Documents to check when the edits pause, and when.
    dirty: BTreeSet<Url>,
    due: Option<Instant>,
    debounce: Duration,
    shutdown: bool,
}

impl Server {
    pub fn new(aws: AwsSelection) -> Server {
        Server {
            aws,
            ws: Workspace::default(),
            dirty: BTreeSet::new(),
            due: None,
            debounce: DEBOUNCE,
            shutdown: false,
        }
    }

    /// The same server with another pause before checking (tests use zero).
    pub fn with_debounce(mut self, debounce: Duration) -> Server {
        self.debounce = debounce;
        self
    }

    /// Takes the client's `initialize` parameters; returns what to send the client first: a
    /// request to be told of TOML files changed on disk (a catalog saved by another program, a
    /// `git pull`), where the client can watch files for its server.
    pub fn initialized(&mut self, params: &serde_json::Value) -> Vec<Message> {
        let watch = &params["capabilities"]["workspace"]["didChangeWatchedFiles"];
        if watch["dynamicRegistration"] != serde_json::Value::Bool(true) {
            return Vec::new();
        }
        let registration = lsp_types::Registration {
            id: "mdbook-iam-catalog-files".into(),
            method: DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![lsp_types::FileSystemWatcher {
                        glob_pattern: lsp_types::GlobPattern::String("**/*.toml".into()),
                        kind: None,
                    }],
                },
            )
            .ok(),
        };
        vec![Message::Request(Request::new(
            lsp_server::RequestId::from("mdbook-iam/watch".to_string()),
            lsp_types::request::RegisterCapability::METHOD.into(),
            lsp_types::RegistrationParams {
                registrations: vec![registration],
            },
        ))]
    }

    /// Whether `shutdown` was asked for.
    pub fn is_shut_down(&self) -> bool {
        self.shutdown
    }

    /// When pending diagnostics are due, if any are.
    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// [`Server::handle`], with a failure inside a request answered as an internal error rather
    /// than ending the session (a server that dies loses the author's editor state).
    pub fn handle_guarded(&mut self, msg: Message) -> Vec<Message> {
        let id = match &msg {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(msg))) {
            Ok(out) => out,
            Err(_) => id
                .map(|id| {
                    Message::Response(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "mdbook-iam failed on this request; please report it with the page".into(),
                    ))
                })
                .into_iter()
                .collect(),
        }
    }

    /// Answers one message: a request's response, and for notifications nothing until the
    /// edits pause (see [`Server::flush`]); opening a document checks it at once.
    pub fn handle(&mut self, msg: Message) -> Vec<Message> {
        match msg {
            Message::Request(r) => vec![Message::Response(self.request(r))],
            Message::Notification(n) => self.notification(n),
            Message::Response(_) => Vec::new(),
        }
    }

    fn request(&mut self, r: Request) -> Response {
        if self.shutdown {
            return Response::new_err(
                r.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        let id = r.id.clone();
        let result = match r.method.as_str() {
            Shutdown::METHOD => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            Completion::METHOD => self.with_params(r, |s, p: lsp_types::CompletionParams| {
                let (doc, opened) =
                    s.doc_and_catalog(&p.text_document_position.text_document.uri)?;
                Some(super::complete::complete(
                    &s.ws.docs[&doc],
                    &opened,
                    s.aws.get(),
                    p.text_document_position.position,
                ))
            }),
            HoverRequest::METHOD => self.with_params(r, |s, p: lsp_types::HoverParams| {
                let pos = p.text_document_position_params;
                let (doc, opened) = s.doc_and_catalog(&pos.text_document.uri)?;
                super::hover::hover(&s.ws.docs[&doc], &opened, s.aws.get(), pos.position)
            }),
            GotoDefinition::METHOD => {
                self.with_params(r, |s, p: lsp_types::GotoDefinitionParams| {
                    let pos = p.text_document_position_params;
                    let (doc, opened) = s.doc_and_catalog(&pos.text_document.uri)?;
                    super::navigate::definition(&s.ws.docs[&doc], &opened, pos.position)
                        .map(lsp_types::GotoDefinitionResponse::Scalar)
                })
            }
            References::METHOD => self.with_params(r, |s, p: lsp_types::ReferenceParams| {
                let pos = p.text_document_position;
                let (doc, opened) = s.doc_and_catalog(&pos.text_document.uri)?;
                Some(super::navigate::references(
                    &s.ws,
                    &s.ws.docs[&doc],
                    &opened,
                    pos.position,
                    p.context.include_declaration,
                ))
            }),
            CodeActionRequest::METHOD => {
                self.with_params(r, |s, p: lsp_types::CodeActionParams| {
                    let (doc, opened) = s.doc_and_catalog(&p.text_document.uri)?;
                    Some(super::fixes::code_actions(
                        &doc,
                        &s.ws.docs[&doc],
                        &opened,
                        s.aws.get(),
                        p.range,
                    ))
                })
            }
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("mdbook-iam does not serve `{}`", r.method),
                );
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
        }
    }

    /// Reads a request's parameters and answers; `null` when the document is not open.
    fn with_params<P, R>(
        &mut self,
        r: Request,
        f: impl FnOnce(&mut Server, P) -> Option<R>,
    ) -> Result<serde_json::Value, String>
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let p: P = serde_json::from_value(r.params)
            .map_err(|e| format!("invalid parameters for `{}`: {e}", r.method))?;
        let out = f(self, p);
        serde_json::to_value(out).map_err(|e| e.to_string())
    }

    /// The document at `uri` (when open) and its catalog.
    fn doc_and_catalog(&mut self, uri: &Url) -> Option<(Url, Rc<Opened>)> {
        let doc = self.ws.docs.get(uri)?;
        let path = self.ws.catalog_path(doc);
        let opened = self.ws.catalog(path.as_deref(), self.aws.get());
        Some((uri.clone(), opened))
    }

    fn notification(&mut self, n: Notification) -> Vec<Message> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let doc = Document::new(&uri, p.text_document.text, p.text_document.version);
                let toml = doc.is_toml();
                let path = doc.path.clone();
                self.ws.docs.insert(uri.clone(), doc);
                if toml {
                    self.catalog_changed(path);
                }
                self.dirty.insert(uri);
                // Opening is not typing: checked at once.
                let now = Instant::now();
                self.due = Some(now);
                self.flush(now)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.ws.docs.get_mut(&uri) else {
                    return Vec::new();
                };
                let mut text = std::mem::take(&mut doc.text);
                for change in &p.content_changes {
                    apply_change(&mut text, change);
                }
                doc.set_text(text);
                doc.version = p.text_document.version;
                let (toml, path) = (doc.is_toml(), doc.path.clone());
                if toml {
                    self.catalog_changed(path);
                }
                self.dirty.insert(uri);
                self.due = Some(Instant::now() + self.debounce);
                Vec::new()
            }
            DidSaveTextDocument::METHOD => {
                // A saved catalog file is read again (an included file's buffer, or a file the
                // catalog reads from disk); pages are re-checked against it.
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                if let Ok(path) = p.text_document.uri.to_file_path()
                    && path.extension().is_some_and(|e| e == "toml")
                {
                    self.catalog_changed(Some(path));
                    if !self.dirty.is_empty() {
                        self.due = Some(Instant::now() + self.debounce);
                    }
                }
                Vec::new()
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.ws.docs.remove(&uri) else {
                    return Vec::new();
                };
                self.dirty.remove(&uri);
                if doc.is_toml() {
                    // The file on disk is the catalog again.
                    self.catalog_changed(doc.path);
                }
                if self.dirty.is_empty() {
                    self.due = None;
                }
                // A closed page's problems are the build's to report.
                vec![publish(uri, Vec::new(), None)]
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return Vec::new();
                };
                for change in p.changes {
                    if let Ok(path) = change.uri.to_file_path()
                        && path.extension().is_some_and(|e| e == "toml")
                    {
                        self.catalog_changed(Some(path));
                    }
                }
                if !self.dirty.is_empty() {
                    self.due = Some(Instant::now());
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// A catalog file changed: the catalogs that read it are opened again, and they and the
    /// open pages that use them are checked again.
    fn catalog_changed(&mut self, path: Option<PathBuf>) {
        let Some(path) = path else {
            return;
        };
        let mut catalogs = self.ws.invalidate(&path);
        if path
            .file_name()
            .is_some_and(|n| n == crate::catalog::DEFAULT_FILE_NAME)
        {
            catalogs.push(std::path::absolute(&path).unwrap_or(path));
        }
        for c in catalogs {
            for u in self.ws.pages_using(&c) {
                self.dirty.insert(u);
            }
            if let Ok(u) = Url::from_file_path(&c)
                && self.ws.docs.contains_key(&u)
            {
                self.dirty.insert(u);
            }
        }
    }

    /// The diagnostics due by `now`: each dirty document checked, and for a catalog, each of its
    /// files.
    pub fn flush(&mut self, now: Instant) -> Vec<Message> {
        match self.due {
            Some(due) if due <= now => {}
            _ => return Vec::new(),
        }
        self.due = None;
        let mut out = Vec::new();
        let dirty = std::mem::take(&mut self.dirty);
        let mut published_catalogs: BTreeSet<PathBuf> = BTreeSet::new();
        for uri in dirty {
            let Some(doc) = self.ws.docs.get(&uri) else {
                continue;
            };
            let path = self.ws.catalog_path(doc);
            let opened = self.ws.catalog(path.as_deref(), self.aws.get());
            let doc = &self.ws.docs[&uri];
            if doc.is_toml() {
                if let Some(c) = &opened.path
                    && published_catalogs.insert(c.clone())
                {
                    for (file, diags) in diagnostics::catalog(&opened) {
                        let Ok(u) = Url::from_file_path(&file) else {
                            continue;
                        };
                        let version = self.ws.docs.get(&u).map(|d| d.version);
                        out.push(publish(u, diags, version));
                    }
                }
                continue;
            }
            let diags = diagnostics::page(doc, &opened, self.aws.get());
            out.push(publish(uri.clone(), diags, Some(doc.version)));
        }
        out
    }
}

fn publish(uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}
