//! `cargo bench --bench preprocessor`: the mdBook preprocessor on the reference workload, against
//! the least any scan-and-splice preprocessor does, each run as its own process, alternately.
//!
//! - **mdbook-iam**: the release binary, `[context, book]` on stdin, the book on stdout.
//! - **floor-cmark**: this bench run as a child in floor mode: parse the request, one
//!   pulldown-cmark offset pass over every chapter, write the book (the protocol's cost plus one
//!   Markdown pass).
//! - **pass-through**: the same without the Markdown pass (the protocol alone).
//!
//! Printed: the median wall time of each, the median of the per-pair ratios to floor-cmark, and
//! each one's peak memory (maximum resident set). Targets: at most 1.3x floor-cmark's wall time
//! and 1.2x its memory.
//!
//! The workload: the reference book of `../shared/perf/gen` (2,000 chapters, about 38 MB of
//! Markdown, 10,000 directives, 4,000 pasted `json` blocks) when `../shared` is beside the
//! repository, else a built-in book of the same shape. Arguments (after `--`):
//! `--chapters N` (default 2000), `--pairs N` (default 9), `--scale` (500, 1,000, 2,000 and
//! 4,000 chapters, to show how cost grows).

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::config::Config;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

const FLOOR_MODE: &str = "MDBOOK_IAM_BENCH_FLOOR";
const GENERATE_MODE: &str = "MDBOOK_IAM_BENCH_GENERATE";

fn main() {
    if let Some(mode) = std::env::var_os(FLOOR_MODE) {
        floor(mode == "cmark");
        return;
    }
    // The workload is written by a child, so this process stays small: a child's peak memory
    // counts what it inherited at fork.
    if let Some(spec) = std::env::var_os(GENERATE_MODE) {
        let spec = spec.to_string_lossy().into_owned();
        let mut parts = spec.splitn(3, '\n');
        let (book, chapters, generator) = (
            PathBuf::from(parts.next().unwrap()),
            parts.next().unwrap().parse().unwrap(),
            parts.next().filter(|g| !g.is_empty()).map(PathBuf::from),
        );
        workload(&book, chapters, generator.as_deref());
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let pairs = value("--pairs", 9);
    let sizes = if args.iter().any(|a| a == "--scale") {
        vec![500, 1000, 2000, 4000]
    } else {
        vec![value("--chapters", 2000)]
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let generator = shared_generator(dir.path());
    match &generator {
        Some(_) => println!("workload: ../shared/perf/gen (the reference book)"),
        None => {
            println!("workload: the built-in book (../shared/perf is not beside the repository)")
        }
    }
    let mut rows = Vec::new();
    for chapters in sizes {
        let book = dir.path().join(format!("book-{chapters}"));
        let spec = format!(
            "{}\n{chapters}\n{}",
            book.display(),
            generator
                .as_deref()
                .map(|g| g.display().to_string())
                .unwrap_or_default()
        );
        let me = std::env::current_exe().expect("this bench");
        let made = Command::new(me)
            .env(GENERATE_MODE, spec)
            .status()
            .expect("generate");
        assert!(made.success(), "writing the workload failed");
        rows.push((
            chapters,
            measure(&book, &book.with_extension("json"), chapters, pairs),
        ));
    }
    if rows.len() > 1 {
        println!("\nhow cost grows (mdbook-iam; medians):");
        println!("chapters | wall ms | peak MiB | floor-cmark wall ms | floor-cmark MiB");
        for (n, m) in &rows {
            println!(
                "{n:>8} | {:>7.1} | {:>8.1} | {:>19.1} | {:>15.1}",
                ms(m.iam.wall),
                mib(m.iam.peak),
                ms(m.cmark.wall),
                mib(m.cmark.peak)
            );
        }
    }
}

struct Figures {
    wall: Duration,
    peak: u64,
}

struct Measured {
    iam: Figures,
    cmark: Figures,
}

fn measure(book: &Path, input: &Path, chapters: usize, pairs: usize) -> Measured {
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    let iam = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-iam"));
    let me = std::env::current_exe().expect("this bench");
    let run_iam = || child(Command::new(&iam).current_dir(book), input);
    let run_floor = |cmark: bool| {
        child(
            Command::new(&me)
                .env(FLOOR_MODE, if cmark { "cmark" } else { "plain" })
                .current_dir(book),
            input,
        )
    };
    // One untimed round warms the page cache and checks the output.
    let (_, _, out) = run_iam();
    let expanded = std::fs::read(&out).expect("the expanded book");
    assert!(
        !expanded.windows(5).any(|w| w == b"<<#ia"),
        "every directive expanded"
    );
    let out_len = expanded.len();
    drop(expanded);
    let (mut iam_runs, mut cmark_runs, mut pass_runs, mut ratios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let c = run_floor(true);
        let i = run_iam();
        let p = run_floor(false);
        ratios.push(i.0.as_secs_f64() / c.0.as_secs_f64());
        iam_runs.push((i.0, i.1));
        cmark_runs.push((c.0, c.1));
        pass_runs.push((p.0, p.1));
    }
    let fig = |runs: &[(Duration, u64)]| Figures {
        wall: median(runs.iter().map(|r| r.0).collect()),
        peak: runs.iter().map(|r| r.1).max().unwrap_or(0),
    };
    let (iam, cmark, pass) = (fig(&iam_runs), fig(&cmark_runs), fig(&pass_runs));
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ratios.len() / 2];
    println!(
        "\n{chapters} chapters, request {:.1} MiB, expanded book {:.1} MiB, {pairs} alternating rounds",
        mib(size),
        mib(out_len as u64)
    );
    println!(
        "pass-through (parse + write):      {:>7.1} ms  {:>6.1} MiB",
        ms(pass.wall),
        mib(pass.peak)
    );
    println!(
        "floor-cmark (+ one Markdown pass): {:>7.1} ms  {:>6.1} MiB",
        ms(cmark.wall),
        mib(cmark.peak)
    );
    println!(
        "mdbook-iam:                        {:>7.1} ms  {:>6.1} MiB",
        ms(iam.wall),
        mib(iam.peak)
    );
    println!(
        "mdbook-iam / floor-cmark: wall {ratio:.2}x (median of per-round ratios; target 1.30x), memory {:.2}x (target 1.20x)",
        iam.peak as f64 / cmark.peak as f64
    );
    println!(
        "mdbook-iam / pass-through: wall {:.2}x",
        iam.wall.as_secs_f64() / pass.wall.as_secs_f64()
    );
    Measured { iam, cmark }
}

/// Runs a command with `input` on stdin; its wall time, peak resident memory (bytes) and the
/// file its output went to.
fn child(cmd: &mut Command, input: &Path) -> (Duration, u64, PathBuf) {
    let stdin = std::fs::File::open(input).expect("open the request");
    let out_path = input.with_extension("out");
    let stdout = std::fs::File::create(&out_path).expect("create the output");
    let start = Instant::now();
    #[expect(
        clippy::zombie_processes,
        reason = "reaped by wait4 below, which also reports its memory"
    )]
    let child = cmd
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn");
    // wait4 gives this child's own resource use (std's wait does not report memory).
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    (wall, usage.ru_maxrss as u64 * 1024, out_path)
}

/// The floor: what any preprocessor pays to take the request and hand the book back, with one
/// pulldown-cmark offset pass over every chapter when `cmark`.
fn floor(cmark: bool) {
    use std::io::{Read, Write};
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).expect("read");
    let mut request: serde_json::Value = serde_json::from_slice(&buf).expect("parse");
    let book = request
        .as_array_mut()
        .and_then(|a| (a.len() == 2).then(|| a.swap_remove(1)))
        .expect("[context, book]");
    if cmark {
        fn walk(items: &serde_json::Value) {
            for item in items.as_array().into_iter().flatten() {
                let Some(ch) = item.get("Chapter") else {
                    continue;
                };
                if let Some(text) = ch.get("content").and_then(serde_json::Value::as_str) {
                    let parser = pulldown_cmark::Parser::new_ext(
                        text,
                        pulldown_cmark::Options::ENABLE_TABLES
                            | pulldown_cmark::Options::ENABLE_FOOTNOTES
                            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
                            | pulldown_cmark::Options::ENABLE_TASKLISTS
                            | pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES,
                    );
                    for event in parser.into_offset_iter() {
                        std::hint::black_box(event);
                    }
                }
                if let Some(sub) = ch.get("sub_items") {
                    walk(sub);
                }
            }
        }
        walk(&book["items"]);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer(&mut out, &book).expect("write");
    out.flush().expect("flush");
}

/// Builds `../shared/perf/gen` in a temporary copy (the folder is read-only), if it is there.
fn shared_generator(tmp: &Path) -> Option<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/perf/gen");
    if !src.join("Cargo.toml").is_file() {
        return None;
    }
    let copy = tmp.join("gen");
    copy_dir(&src, &copy);
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(copy.join("Cargo.toml"))
        .status()
        .expect("cargo");
    assert!(built.success(), "building ../shared/perf/gen failed");
    Some(copy.join("target/release/gen"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Writes the book (book-example's book.toml and catalog, generated chapters) and the
/// `[context, book]` request mdbook-iam gets for it; returns the request's path.
fn workload(book: &Path, chapters: usize, generator: Option<&Path>) -> PathBuf {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("book-example");
    std::fs::create_dir_all(book.join("src")).expect("mkdir");
    for f in ["book.toml", "iam-catalog.toml"] {
        std::fs::copy(example.join(f), book.join(f)).expect("copy");
    }
    let texts: Vec<(String, String)> = match generator {
        Some(gen_bin) => {
            let out = book.with_extension("gen");
            let ok = Command::new(gen_bin)
                .arg(&out)
                .args([chapters.to_string(), "5".into(), "directives".into()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run gen");
            assert!(ok.success(), "gen failed");
            let mut names: Vec<PathBuf> = std::fs::read_dir(out.join("src"))
                .expect("generated chapters")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n != "SUMMARY.md"))
                .collect();
            names.sort();
            names
                .into_iter()
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&p).expect("chapter"))
                })
                .collect()
        }
        None => (0..chapters)
            .map(|i| (format!("ch{i:05}.md"), builtin_chapter(i)))
            .collect(),
    };
    let mut summary = String::from("# Summary\n\n");
    let mut b = Book::new();
    for (i, (name, text)) in texts.into_iter().enumerate() {
        std::fs::write(book.join("src").join(&name), &text).expect("write chapter");
        summary.push_str(&format!("- [Chapter {}](./{name})\n", i + 1));
        b.push_item(Chapter::new(
            &format!("Chapter {}", i + 1),
            text,
            name,
            Vec::new(),
        ));
    }
    std::fs::write(book.join("src/SUMMARY.md"), summary).expect("summary");
    let config_text = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    let config = Config::from_str(&config_text).expect("book.toml parses");
    let ctx = PreprocessorContext::new(book.to_path_buf(), config, "html".into());
    let request = book.with_extension("json");
    let f = std::fs::File::create(&request).expect("create request");
    serde_json::to_writer(std::io::BufWriter::new(f), &(ctx, b)).expect("write request");
    request
}

/// A chapter of the built-in book: the reference book's shape (prose, lists, a table, `rust`
/// and pasted `json` blocks, five directive lines) at about 19 KB.
fn builtin_chapter(i: usize) -> String {
    let mut s = format!("# Chapter {i}: Scoping the role\n\n");
    let prose = "The policy scopes the role to least privilege: each request is evaluated against the attached statement, and an explicit deny wins over any allow, so the session token must be configured with care. ";
    for section in 0..8 {
        s.push_str(&format!("## Section {}\n\n", section + 1));
        for _ in 0..3 {
            s.push_str(&prose.repeat(3));
            s.push_str("\n\n");
        }
        match section % 4 {
            0 => s.push_str("- one `s3:GetObject` item\n- another **item**\n- a [link](https://example.com)\n\n"),
            1 => s.push_str(&format!("```rust\nfn evaluate_{i}() -> bool {{\n    true\n}}\n```\n\n")),
            2 if section < 4 => s.push_str(&format!(
                "```json\n{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"Example{i}\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \"Resource\": [\"arn:aws:s3:::example-bucket-{i}\", \"arn:aws:s3:::example-bucket-{i}/*\"]\n    }}\n  ]\n}}\n```\n\n"
            )),
            _ => s.push_str("| key | type |\n|---|---|\n| `aws:SourceVpc` | String |\n\n"),
        }
        if section < 5 {
            s.push_str("<<#iam-policy s3-readonly mcp-scoped>>\n\n");
        }
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1048576.0
}
