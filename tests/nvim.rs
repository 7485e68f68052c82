//! `mdbook-iam lsp` under a real client: Neovim's built-in LSP client, headless, with no user
//! configuration, runs `tests/nvim/lsp-check.lua` on book-example's tutorial (completion after
//! `<<#iam-policy `, hover on `<<#iam-policy s3-readonly>>`, diagnostics after pasting a policy
//! with a retired action, shutdown) and writes what it received; this test checks it against the
//! catalog and against `mdbook-iam expand`.
//!
//! Without `nvim` on PATH the test says so in one line and passes, unless
//! `MDBOOK_IAM_REQUIRE_NVIM=1` (which `scripts/test` sets, after installing Debian's neovim).

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The whole Neovim run; each step inside waits at most 20 s.
const LIMIT: Duration = Duration::from_secs(120);

fn book() -> PathBuf {
    common::root().join("book-example")
}

/// `nvim --version`'s first line, or `None` when there is no `nvim` to run.
fn nvim_version() -> Option<String> {
    let out = Command::new("nvim").arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v = String::from_utf8_lossy(&out.stdout);
    Some(v.lines().next().unwrap_or_default().to_string())
}

/// Runs the Lua script in headless Neovim; what it wrote.
fn run_nvim() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nvim-lsp.json");
    let script = common::root().join("tests/nvim/lsp-check.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .env("MDBOOK_IAM_BIN", common::bin())
        .env("MDBOOK_IAM_BOOK", book())
        .env("MDBOOK_IAM_NVIM_OUT", &out)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within {} s", LIMIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        status.success(),
        "nvim exited with {status}:\n{written}\n{}{}",
        common::stdout(&output),
        common::stderr(&output)
    );
    serde_json::from_str(&written).unwrap_or_else(|e| panic!("{e}: {written}"))
}

#[test]
fn neovim_gets_completion_hover_and_diagnostics() {
    let Some(version) = nvim_version() else {
        assert!(
            !std::env::var("MDBOOK_IAM_REQUIRE_NVIM").is_ok_and(|v| v == "1"),
            "nvim is not on PATH and MDBOOK_IAM_REQUIRE_NVIM=1: install it (Debian: apt-get install neovim)"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: nvim is not on PATH (scripts/test installs it and requires it)"
        );
        return;
    };
    let got = run_nvim();
    assert_eq!(got["exit_code"], 0, "{version}: {got}");

    // Completion after `<<#iam-policy `: every policy of the catalog.
    let labels: Vec<&str> = got["labels"]
        .as_array()
        .unwrap_or_else(|| panic!("{got}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let want = common::catalog_policies(&book().join("iam-catalog.toml"));
    assert!(want.len() >= 3, "{want:?}");
    for name in &want {
        assert!(
            labels.contains(&name.as_str()),
            "`{name}` not offered: {labels:?}"
        );
    }

    // Hover on the directive: the JSON `expand` renders for it.
    let expanded = common::run(&book(), &["expand", "src/tutorial.md"], "");
    assert!(expanded.status.success(), "{}", common::stderr(&expanded));
    let expanded = common::stdout(&expanded);
    let hover = got["hover"].as_str().unwrap_or_else(|| panic!("{got}"));
    let block = &hover[hover.find("```json\n").expect("a JSON block in the hover") + 8..];
    let json = &block[..block.find("```").expect("the JSON block ends")];
    assert!(json.contains("\"s3:GetObject\""), "{json}");
    // The directive sits in a list item: expand indents the block by three spaces.
    let indented: String = json.lines().map(|l| format!("   {l}\n")).collect();
    assert!(
        expanded.contains(json) || expanded.contains(&indented),
        "the hover's JSON is not in expand's output:\n{json}"
    );

    // The pasted policy's retired action.
    let codes: Vec<&str> = got["codes"]
        .as_array()
        .unwrap_or_else(|| panic!("{got}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(codes.contains(&"retired-action"), "{codes:?}");
}
