//! `cargo bench --bench preprocessor`: the mdBook preprocessor on a synthetic book of 2,000
//! chapters holding 10,000 directives, against a pass-through that only parses and re-writes the
//! same book JSON (the floor any preprocessor pays). Target: at most 1.5x the pass-through.

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::config::Config;
use std::time::{Duration, Instant};

const CHAPTERS: usize = 2_000;
const DIRECTIVES_PER_CHAPTER: usize = 5;
const RUNS: usize = 7;

const DIRECTIVES: [&str; 8] = [
    "<<#iam-policy s3-readonly>>",
    "<<#iam-policy default-permissions>>",
    "<<#iam-policy s3-readonly mcp-scoped>>",
    "<<#iam-statement DenyDirectAPIAccess>>",
    "<<#iam-callout not-authorized action=s3:ListBucket>>",
    "<<#iam-condition-keys>>",
    "<<#iam-role-commands mcp-s3-readonly>>",
    "<<#iam-callout guardrail-ifexists>>",
];

fn chapter_text(i: usize) -> String {
    let mut s = format!("# Chapter {i}\n\n");
    for d in 0..DIRECTIVES_PER_CHAPTER {
        s.push_str("Some prose about IAM roles, with `inline code`, a [link](https://example.com), and\nenough words to look like a real paragraph of documentation text.\n\n");
        s.push_str("```bash\naws sts get-caller-identity\n```\n\n");
        s.push_str(DIRECTIVES[(i + d) % DIRECTIVES.len()]);
        s.push_str("\n\n");
    }
    s
}

fn input(root: &std::path::Path) -> String {
    let ctx = PreprocessorContext::new(root.to_path_buf(), Config::default(), "html".into());
    let mut book = Book::new();
    for i in 0..CHAPTERS {
        book.push_item(Chapter::new(
            &format!("Chapter {i}"),
            chapter_text(i),
            format!("ch{i}.md"),
            Vec::new(),
        ));
    }
    serde_json::to_string(&(ctx, book)).expect("serialize")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalog =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
    std::fs::copy(catalog, dir.path().join("iam-catalog.toml")).expect("copy catalog");
    let input = input(dir.path());

    let mut pass = Vec::new();
    let mut pre = Vec::new();
    let mut scan = Vec::new();
    let chapters: Vec<String> = (0..CHAPTERS).map(chapter_text).collect();
    for _ in 0..RUNS {
        let t = Instant::now();
        for c in &chapters {
            std::hint::black_box(mdbook_iam::page::scan::scan(c));
        }
        scan.push(t.elapsed());

        let t = Instant::now();
        let (_ctx, book): (PreprocessorContext, Book) =
            serde_json::from_str(&input).expect("parse");
        let out = serde_json::to_string(&book).expect("write");
        pass.push(t.elapsed());
        std::hint::black_box(out);

        let t = Instant::now();
        let outcome = mdbook_iam::hosts::mdbook::preprocess(&input);
        pre.push(t.elapsed());
        let book = outcome
            .book_json()
            .expect("the synthetic book expands without errors");
        assert!(!book.contains("<<#iam-"), "every directive expanded");
        std::hint::black_box(book);
    }
    // The floor the output alone sets: reading this input plus writing the expanded book, which
    // is larger than the input (measured apart, so none of the expansion work is in it).
    let expanded = mdbook_iam::hosts::mdbook::preprocess(&input)
        .book_json()
        .expect("expands");
    let (_, big): (serde::de::IgnoredAny, Book) =
        serde_json::from_str(&format!("[0,{expanded}]")).expect("parse the expanded book");
    let (mut read, mut write) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        let parsed: (PreprocessorContext, Book) = serde_json::from_str(&input).expect("parse");
        read.push(t.elapsed());
        std::hint::black_box(parsed);
        let t = Instant::now();
        let out = serde_json::to_string(&big).expect("write");
        write.push(t.elapsed());
        std::hint::black_box(out);
    }
    let floor = median(read) + median(write);
    let (pass, pre, scan) = (median(pass), median(pre), median(scan));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "synthetic book: {CHAPTERS} chapters, {} directives, {:.1} MiB of JSON in, {:.1} MiB out",
        CHAPTERS * DIRECTIVES_PER_CHAPTER,
        input.len() as f64 / 1048576.0,
        expanded.len() as f64 / 1048576.0
    );
    println!(
        "pass-through (read + write the book):           {:>7.1} ms (median of {RUNS})",
        ms(pass)
    );
    println!(
        "mdbook-iam preprocessor:                        {:>7.1} ms (median of {RUNS})",
        ms(pre)
    );
    println!(
        "  of which finding directives in the pages:     {:>7.1} ms",
        ms(scan)
    );
    println!(
        "floor (read this input + write the larger book): {:>6.1} ms = {:.2}x the pass-through",
        ms(floor),
        floor.as_secs_f64() / pass.as_secs_f64()
    );
    println!(
        "ratio: {:.2}x the pass-through (target: at most 1.50x)",
        pre.as_secs_f64() / pass.as_secs_f64()
    );
}
