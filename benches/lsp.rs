//! `cargo bench --bench lsp`: the language server in-process ([`mdbook_iam::lsp::Server`], the
//! same code `mdbook-iam lsp` runs behind its stdio loop) on a 2,000-chapter book using
//! book-example's catalog, with one chapter open.
//!
//! Printed: the median, 95th percentile and maximum time of completion after `<<#iam-policy `,
//! completion of an action in a pasted policy (`"s3:Get`), hover on a directive, hover on an
//! action, definition, and references (which reads every page of the book, so it is listed on its
//! own); the bound for completion and hover is 50 ms. Then memory: the process's resident set
//! (VmRSS, and its peak VmHWM, from `/proc/self/status`) before and after 10,000 edits (typing and
//! deleting in the chapter, diagnostics every 50 edits, a completion and a hover every 100), and
//! after 10,000 more: what the server keeps must not grow with the edits.
//!
//! Arguments (after `--`): `--chapters N` (default 2000), `--runs N` (default 200; references
//! a tenth of that).

use lsp_server::{Message, Notification, Request, RequestId};
use mdbook_iam::lsp::Server;
use mdbook_iam::run::AwsSelection;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

const BOOK_EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/book-example");

/// A chapter like the tutorial: prose, directives, a pasted policy, a fenced command.
fn chapter(n: usize) -> String {
    let mut t = format!("# Chapter {n}: roles for team {n}\n\n");
    for p in 0..4 {
        t.push_str(&format!(
            "Paragraph {p} of chapter {n}. The proxy assumes a role with the token it received and \
             signs each request with the credentials STS returns; a call to `s3:GetObject` is the \
             same action from the MCP server as from a script. Café, naïve, 🙂.\n\n"
        ));
    }
    t.push_str("<<#iam-policy s3-readonly>>\n\n<<#iam-actions s3-readonly>>\n\n");
    t.push_str("<<#iam-policy s3-readonly mcp-scoped>>\n\n<<#iam-condition-keys>>\n\n");
    t.push_str("<<#iam-callout not-authorized action=s3:ListBucket>>\n\n");
    t.push_str(&format!(
        "A policy pasted from the console:\n\n```json\n{{\n  \"Version\": \"2012-10-17\",\n  \
         \"Statement\": [\n    {{\n      \"Sid\": \"Read{n}\",\n      \"Effect\": \"Allow\",\n      \
         \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \
         \"Resource\": \"arn:aws:s3:::bucket-{n}/*\",\n      \
         \"Condition\": {{\"Bool\": {{\"aws:ViaAWSMCPService\": \"true\"}}}}\n    }}\n  ]\n}}\n```\n\n"
    ));
    t.push_str(
        "```bash\naws iam create-role --role-name reader \\\n  --assume-role-policy-document file://trust.json\n```\n\n\
         <<#iam-role-commands mcp-s3-readonly>>\n",
    );
    t
}

fn write_book(root: &Path, chapters: usize) {
    std::fs::create_dir_all(root.join("src")).expect("create the book");
    std::fs::copy(
        Path::new(BOOK_EXAMPLE).join("iam-catalog.toml"),
        root.join("iam-catalog.toml"),
    )
    .expect("copy the catalog");
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"bench\"\n\n[preprocessor.iam]\n",
    )
    .expect("write book.toml");
    let mut summary = String::from("# Summary\n\n");
    for n in 0..chapters {
        summary.push_str(&format!("- [Chapter {n}](ch{n:04}.md)\n"));
        std::fs::write(root.join(format!("src/ch{n:04}.md")), chapter(n)).expect("write a chapter");
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).expect("write SUMMARY.md");
}

struct Client {
    server: Server,
    next: i32,
}

impl Client {
    fn notify(&mut self, method: &str, params: Value) -> Vec<Message> {
        self.server.handle(Message::Notification(Notification::new(
            method.into(),
            params,
        )))
    }

    fn ask(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let out = self.server.handle(Message::Request(Request::new(
            RequestId::from(self.next),
            method.into(),
            params,
        )));
        match out.into_iter().next() {
            Some(Message::Response(r)) => match r.response_result {
                Ok(v) => v,
                Err(e) => panic!("{method}: {e:?}"),
            },
            other => panic!("{method}: no response: {other:?}"),
        }
    }
}

/// The line (0-based) of the first `needle` and the UTF-16 column just after it, plus `back`
/// units back.
fn after(text: &str, needle: &str, back: u32) -> (u32, u32) {
    for (n, line) in text.split('\n').enumerate() {
        if let Some(i) = line.find(needle) {
            let col = line[..i + needle.len()].encode_utf16().count() as u32;
            return (n as u32, col - back);
        }
    }
    panic!("`{needle}` not in the chapter");
}

fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Times `runs` calls; prints median, p95 and max; returns the p95.
fn case(name: &str, runs: usize, mut f: impl FnMut() -> Value) -> Duration {
    let first = f();
    assert!(
        !first.is_null() && first != json!([]) && first.get("items") != Some(&json!([])),
        "{name}: an empty answer would time nothing: {first}"
    );
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {name:<44} median {:>10}  p95 {:>10}  max {:>10}  ({runs} runs)",
        ms(p(0.5)),
        ms(p(0.95)),
        ms(times[times.len() - 1])
    );
    p(0.95)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (chapters, runs) = (value("--chapters", 2000), value("--runs", 200));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("book");
    let t = Instant::now();
    write_book(&root, chapters);
    println!(
        "book: {chapters} chapters with book-example's catalog, written in {:.2?}",
        t.elapsed()
    );

    // The open chapter, with a directive and an action being typed at its end.
    let path = root.join("src/ch0001.md");
    let text = format!(
        "{}\n<<#iam-policy \n\n```json\n{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \
         \"Action\": \"s3:Get\", \"Resource\": \"*\"}}]}}\n```\n",
        chapter(1)
    );
    let uri = format!("file://{}", path.display());
    let mut c = Client {
        server: Server::new(AwsSelection::embedded()).with_debounce(Duration::ZERO),
        next: 0,
    };
    let (rss0, _) = rss();
    let t = Instant::now();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    println!(
        "open (catalog read, page checked, diagnostics out): {:.2?}",
        t.elapsed()
    );

    let at = |(line, character): (u32, u32)| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let typed_directive = at(after(&text, "<<#iam-policy ", 0));
    let typed_action = at(after(&text, "\"s3:Get", 0));
    let directive = at(after(&text, "<<#iam-pol", 0));
    let action = at(after(&text, "\"s3:GetObj", 0));
    let name = at(after(&text, "<<#iam-policy s3-read", 0));
    let mut refs = at(after(&text, "<<#iam-policy s3-read", 0));
    refs["context"] = json!({"includeDeclaration": true});

    println!("one chapter open; times per request:");
    let mut worst = Duration::ZERO;
    worst = worst.max(case("completion after `<<#iam-policy `", runs, || {
        c.ask("textDocument/completion", typed_directive.clone())
    }));
    worst = worst.max(case(
        "completion of `\"s3:Get` in a pasted policy",
        runs,
        || c.ask("textDocument/completion", typed_action.clone()),
    ));
    worst = worst.max(case("hover on a directive", runs, || {
        c.ask("textDocument/hover", directive.clone())
    }));
    worst = worst.max(case("hover on an action", runs, || {
        c.ask("textDocument/hover", action.clone())
    }));
    case("definition of a policy name", runs, || {
        c.ask("textDocument/definition", name.clone())
    });
    println!(
        "completion and hover, worst p95: {} (bound: 50 ms)",
        ms(worst)
    );
    let refs_runs = (runs / 10).max(3);
    case(
        &format!("references (reads all {chapters} pages)"),
        refs_runs,
        || c.ask("textDocument/references", refs.clone()),
    );

    // Memory under edits: type a word at the end of a prose line, then delete it, one character
    // at a time.
    let (line, end) = after(&text, "Paragraph 2 of chapter 1.", 0);
    let word: Vec<char> = " s3:GetObject é🙂".chars().collect();
    let mut version = 1;
    let mut col = end;
    let mut step = 0usize;
    let mut flush_times = Vec::new();
    let mut edit = |c: &mut Client, edits: usize| {
        for _ in 0..edits {
            let i = step % (2 * word.len());
            let change = if i < word.len() {
                let ch = word[i];
                let change = json!({"range": {"start": {"line": line, "character": col},
                                              "end": {"line": line, "character": col}},
                                    "text": ch.to_string()});
                col += ch.len_utf16() as u32;
                change
            } else {
                let ch = word[2 * word.len() - 1 - i];
                let from = col - ch.len_utf16() as u32;
                let change = json!({"range": {"start": {"line": line, "character": from},
                                              "end": {"line": line, "character": col}},
                                    "text": ""});
                col = from;
                change
            };
            step += 1;
            version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
            );
            if step.is_multiple_of(50) {
                let t = Instant::now();
                let out = c.server.flush(Instant::now());
                flush_times.push(t.elapsed());
                assert_eq!(out.len(), 1, "one page's diagnostics");
            }
            if step.is_multiple_of(100) {
                c.ask("textDocument/completion", typed_directive.clone());
                c.ask("textDocument/hover", action.clone());
            }
        }
    };
    let (rss1, hwm1) = rss();
    edit(&mut c, 10_000);
    let (rss2, hwm2) = rss();
    edit(&mut c, 10_000);
    let (rss3, hwm3) = rss();
    flush_times.sort();
    println!(
        "diagnostics after a pause (one chapter): median {}, max {} ({} checks)",
        ms(flush_times[flush_times.len() / 2]),
        ms(flush_times[flush_times.len() - 1]),
        flush_times.len()
    );
    println!("memory (kB; VmRSS, VmHWM = peak):");
    println!("  before opening the chapter        rss {rss0:>8}");
    println!("  after the requests above          rss {rss1:>8}  peak {hwm1:>8}");
    println!("  after 10,000 edits                rss {rss2:>8}  peak {hwm2:>8}");
    println!("  after 20,000 edits                rss {rss3:>8}  peak {hwm3:>8}");
    println!(
        "  growth over the second 10,000 edits: {} kB",
        rss3 as i64 - rss2 as i64
    );
}
