//! A Zed extension that runs `mdbook-iam lsp` for Markdown (MDX too, once mapped to Markdown) and TOML files:
//! the server answers for the pages and `iam-catalog.toml`. Zed attaches a language server only through an
//! extension; this one brings no binary, it finds the one the user installed, in this order:
//!
//! 1. `lsp.mdbook-iam.binary.path` in Zed's settings (with `binary.arguments`, used as given);
//! 2. `MDBOOK_IAM_BIN` in the project's shell environment;
//! 3. `mdbook-iam` on the project's `PATH`;
//! 4. the npm launcher `node_modules/.bin/mdbook-iam` at the project's root.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result, Worktree};

/// The language server's name, as in `extension.toml` and Zed's `lsp` settings.
const SERVER: &str = "mdbook-iam";

const INSTALL_HELP: &str =
    "Install it with `npm install --save-dev mdbook-iam` in the project or `cargo binstall \
     mdbook-iam` (puts it on PATH), or set lsp.mdbook-iam.binary.path in Zed's settings; see \
     https://github.com/mdbook-iam/mdbook-iam#install";

struct MdbookIam;

impl MdbookIam {
    /// The binary and its arguments, or the message saying where it looked and how to install it.
    fn command(worktree: &Worktree) -> Result<zed::Command> {
        let env = worktree.shell_env();
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        if let Some(path) = binary.as_ref().and_then(|b| b.path.clone()) {
            let args = binary
                .and_then(|b| b.arguments)
                .unwrap_or_else(|| vec!["lsp".to_string()]);
            return Ok(zed::Command {
                command: path,
                args,
                env,
            });
        }
        let from_env = env
            .iter()
            .find(|(name, value)| name == "MDBOOK_IAM_BIN" && !value.trim().is_empty())
            .map(|(_, value)| value.clone());
        let root = worktree.root_path();
        let launcher = || {
            worktree
                .read_text_file("node_modules/.bin/mdbook-iam")
                .ok()
                .map(|_| format!("{root}/node_modules/.bin/mdbook-iam"))
        };
        let path = from_env
            .or_else(|| worktree.which("mdbook-iam"))
            .or_else(launcher)
            .ok_or_else(|| {
                format!(
                    "The mdbook-iam command was not found (looked at lsp.mdbook-iam.binary.path, \
                     MDBOOK_IAM_BIN, PATH and {root}/node_modules/.bin). {INSTALL_HELP}."
                )
            })?;
        Ok(zed::Command {
            command: path,
            args: vec!["lsp".to_string()],
            env,
        })
    }
}

impl zed::Extension for MdbookIam {
    fn new() -> Self {
        MdbookIam
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        Self::command(worktree)
    }
}

zed::register_extension!(MdbookIam);
