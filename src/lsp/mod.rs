//! `mdbook-iam lsp`: a Language Server Protocol server over stdio for pages (`.md`, `.mdx`) and
//! the catalog (`iam-catalog.toml`).
//!
//! Built on `lsp-server` and `lsp-types`, the crates rust-analyzer uses: a synchronous loop over
//! a channel, with no async runtime to ship or start, which is all a server answering from memory
//! needs; the debounce is the channel's receive timeout. The server itself ([`Server`]) takes
//! messages and returns messages, so tests, the fuzz target and the benchmark drive it without a
//! process. Every answer comes from the library calls `check` and `expand` make
//! ([`crate::run::PageChecker`], [`crate::expand::Expander`]), so the editor and the build never
//! disagree.

mod complete;
mod context;
mod diagnostics;
mod fixes;
mod hover;
mod navigate;
mod server;
pub mod text;
mod workspace;

pub use server::{Server, capabilities};

use crate::error::Error;
use crate::run::AwsSelection;
use lsp_server::{Connection, Message};
use std::time::Instant;

/// Serves the protocol on stdin/stdout until the client sends `exit`. Returns whether `shutdown`
/// came first (the protocol's exit status is 1 when it did not).
pub fn serve(aws: AwsSelection) -> Result<bool, Error> {
    let (connection, io_threads) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(|e| Error::Usage(e.to_string()))?;
    let protocol = |e: lsp_server::ProtocolError| Error::Usage(format!("language server: {e}"));
    let init = connection.initialize(caps).map_err(protocol)?;
    // Editors show a server's stderr in its log.
    if let Some(note) = aws.get().descriptions_note() {
        eprintln!("mdbook-iam lsp: {note}");
    }
    let mut server = Server::new(aws);
    for m in server.initialized(&init) {
        if connection.sender.send(m).is_err() {
            break;
        }
    }
    loop {
        let next = match server.due() {
            Some(due) => {
                let wait = due.saturating_duration_since(Instant::now());
                match connection.receiver.recv_timeout(wait) {
                    Ok(m) => Some(m),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => None,
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
                }
            }
            None => match connection.receiver.recv() {
                Ok(m) => Some(m),
                Err(_) => break,
            },
        };
        let out = match next {
            Some(Message::Notification(n)) if n.method == "exit" => break,
            Some(m) => server.handle_guarded(m),
            None => server.flush(Instant::now()),
        };
        for m in out {
            if connection.sender.send(m).is_err() {
                break;
            }
        }
    }
    let shut_down = server.is_shut_down();
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Error::Usage(format!("language server: {e}")))?;
    Ok(shut_down)
}
#[cfg(test)]
mod tests;
