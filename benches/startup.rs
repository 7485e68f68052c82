//! `cargo bench --bench startup`: one page, one process, the way the Docusaurus plugin runs
//! the binary (once per page), against an empty Rust program, each run as its own process,
//! alternately.
//!
//! - **empty**: `fn main() {}` built by `rustc -O` (the least any Rust binary costs to start).
//! - **expand**: `mdbook-iam expand page.md`, a page holding the first one-line `iam-policy`
//!   directive of `book-example/`, next to a copy of `book-example/iam-catalog.toml` (the
//!   catalog both examples build with: its claims are proven, its policies validated).
//! - **expand, no directive**: the same with a page that holds none (what start-up costs
//!   before the page asks for anything).
//!
//! Printed: each one's median wall time and the median of the per-round ratios to empty.
//! Target: expand at most 2x empty. Arguments (after `--`): `--rounds N` (default 400),
//! `--directive TEXT` (another one-line directive, such as
//! `"<<#iam-policy s3-readonly mcp-scoped>>"`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(400usize);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target").join("bench-startup");
    std::fs::create_dir_all(&dir).expect("create target/bench-startup");
    let empty = build_empty(&dir);
    std::fs::copy(
        root.join("book-example/iam-catalog.toml"),
        dir.join("iam-catalog.toml"),
    )
    .expect("copy the catalog");
    let directive = args
        .iter()
        .position(|a| a == "--directive")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| first_directive(&root.join("book-example/src")))
        .expect("a one-line iam-policy directive in book-example/src");
    std::fs::write(
        dir.join("page.md"),
        format!("# Page\n\nAttach this:\n\n{directive}\n"),
    )
    .expect("write the page");
    std::fs::write(dir.join("plain.md"), "# Page\n\nNo directive here.\n").expect("write");
    let iam = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-iam"));
    let expand = |page: &str| {
        let mut c = Command::new(&iam);
        c.args(["expand", page]).current_dir(&dir);
        c
    };
    // Untimed: check that the page expands, and warm the page cache.
    let out = expand("page.md").output().expect("run mdbook-iam");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("```json") && !text.contains("<<#"),
        "the directive expanded:\n{text}"
    );
    for _ in 0..20 {
        run(&mut Command::new(&empty));
        run(&mut expand("page.md"));
    }
    let (mut e, mut x, mut p, mut ratios, mut plain_ratios) =
        (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..rounds {
        let te = run(&mut Command::new(&empty));
        let tx = run(&mut expand("page.md"));
        let tp = run(&mut expand("plain.md"));
        ratios.push(tx.as_secs_f64() / te.as_secs_f64());
        plain_ratios.push(tp.as_secs_f64() / te.as_secs_f64());
        e.push(te);
        x.push(tx);
        p.push(tp);
    }
    println!("\none page, one process: {rounds} alternating rounds, `{directive}`");
    println!("empty Rust binary:        {:>6.3} ms", ms(median(e)));
    println!(
        "expand, no directive:     {:>6.3} ms  {:.2}x empty",
        ms(median(p)),
        median_f(plain_ratios)
    );
    println!(
        "expand, one directive:    {:>6.3} ms  {:.2}x empty (median of per-round ratios; target 2.00x)",
        ms(median(x)),
        median_f(ratios)
    );
}

/// `fn main() {}`, built once into `dir`.
fn build_empty(dir: &Path) -> PathBuf {
    let source = dir.join("empty.rs");
    let binary = dir.join("empty");
    std::fs::write(&source, "fn main() {}\n").expect("write empty.rs");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let status = Command::new(rustc)
        .args(["-O", "--edition", "2024", "-o"])
        .arg(&binary)
        .arg(&source)
        .status()
        .expect("run rustc");
    assert!(status.success(), "rustc failed");
    binary
}

/// The first line of a page under `src` that is a whole `<<#iam-policy ...>>` directive.
fn first_directive(src: &Path) -> Option<String> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(src)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages.iter().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with("<<#iam-policy ") && l.ends_with(">>"))
            .map(str::to_string)
    })
}

/// Runs a command to its end, output discarded; its wall time.
fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .expect("spawn");
    let wall = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    wall
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn median_f(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
