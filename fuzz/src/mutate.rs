//! Structured mutations of real pages: the fuzzer's bytes pick one of the repository's example
//! pages and a list of Markdown-aware edits (wrap lines in a quote, a list or a fence, insert a
//! directive, change line endings, put awkward characters in awkward places). Reaches deep page
//! shapes that byte-level mutation of the same seeds rarely builds.

use arbitrary::{Arbitrary, Unstructured};

const PAGES: [&str; 11] = [
    include_str!("../../book-example/src/directives.md"),
    include_str!("../../book-example/src/included-snippet.md"),
    include_str!("../../book-example/src/introduction.md"),
    include_str!("../../book-example/src/team-roles.md"),
    include_str!("../../book-example/src/tutorial.md"),
    include_str!("../../docusaurus-example/docs/index.mdx"),
    include_str!("../../docusaurus-example/docs/policies.mdx"),
    include_str!("../../docusaurus-example/docs/team-roles.mdx"),
    include_str!("../../docusaurus-example/docs/tutorial.mdx"),
    include_str!("../../tests/fixtures/all-kinds.md"),
    "",
];

/// Pieces of the directive syntax and of Markdown structure.
const FRAGMENTS: &[&str] = &[
    "<<#iam-policy s3-readonly>>",
    "<<#iam-policy s3-readonly mcp-scoped>>",
    "<<#iam-policy mcp-trust>>",
    "<<#iam-actions s3-readonly>>",
    "<<#iam-statement DenyDirectAPIAccess>>",
    "<<#iam-callout not-authorized action=s3:GetObject>>",
    "<<#iam-callout not-authorized action=\"s3:ListBucket\">>",
    "<<#iam-callout mcp-authorization-change>>",
    "<<#iam-condition-keys>>",
    "<<#iam-condition-keys aws:ViaAWSMCPService>>",
    "<<#iam-role-commands mcp-s3-readonly>>",
    "<<#iam-callout not-authorized\naction=s3:GetObject>>",
    "<<#iam-policy",
    ">>",
    "<<#",
    "\\<<#",
    "\\\\<<#",
    "<<#iam-nope x>>",
    "<<#iam-policy nope>>",
    "{/* iam-actions s3-readonly */}",
    "{/* iam-policy s3-readonly */}",
    "{/*",
    "*/}",
    "```iam-policy s3-readonly\n```",
    "```iam-callout not-authorized\naction=s3:GetObject\n```",
    "<!-- iam:begin iam-policy s3-readonly -->",
    "<!-- iam:begin iam-statement DenyDirectAPIAccess -->",
    "<!-- iam:end -->",
    "{/* iam:begin iam-actions s3-readonly */}",
    "{/* iam:end */}",
    "`<!-- iam:begin iam-policy s3-readonly -->`",
    "<!--",
    "-->",
    "```",
    "~~~",
    "````",
    "```json",
    "```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"aws-mcp:InvokeMcp\", \"Resource\": \"*\"}]}\n```",
    "`",
    "``",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
    "# ",
    "<details>",
    "</details>",
    "{{#include included-snippet.md}}",
    "| a | b |\n|---|---|",
    "\n",
    "\r\n",
    "\r",
];

/// Characters that code finders and line splitters get wrong.
const CHARS: &[char] = &[
    'é', '€', '日', '😀', '\u{a0}', '\u{c}', '\u{feff}', '\0', '\u{2028}', '\u{200b}', '\u{3000}',
    '\u{b}', '\r', '\t', '<', '>', '#', '`', '~', '\\', '{', '}', '*', '/', '=', '"', '\'',
];

#[derive(Debug, Arbitrary)]
enum Edit {
    InsertLine {
        at: u16,
        fragment: u8,
    },
    InsertInLine {
        line: u16,
        col: u8,
        fragment: u8,
    },
    InsertChar {
        line: u16,
        col: u8,
        ch: u8,
    },
    Quote {
        from: u16,
        count: u8,
    },
    List {
        from: u16,
        count: u8,
        ordered: bool,
    },
    Indent {
        from: u16,
        count: u8,
        width: u8,
    },
    Fence {
        from: u16,
        count: u8,
        fence: u8,
        closed: bool,
    },
    Delete {
        from: u16,
        count: u8,
    },
    Duplicate {
        from: u16,
        count: u8,
    },
    Swap {
        a: u16,
        b: u16,
    },
    LineEndings {
        crlf: bool,
    },
    Bom,
}

/// A page built from an example page and edits. Its `Debug` form is the page itself, so
/// `cargo fuzz fmt page_mutate CRASH` prints the page to save as a `page` regression input.
pub struct Mutated(pub String);

impl std::fmt::Debug for Mutated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl<'a> Arbitrary<'a> for Mutated {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let page = *u.choose(&PAGES)?;
        let mut lines: Vec<String> = page.split('\n').map(str::to_string).collect();
        let edits: Vec<Edit> = u.arbitrary()?;
        for e in edits {
            apply(&mut lines, e);
        }
        Ok(Mutated(lines.join("\n")))
    }
}

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[usize::from(i) % list.len()]
}

/// Inserts text at a character position of a line.
fn insert_at(line: &mut String, col: u8, s: &str) {
    let n = line.chars().count();
    let at = line
        .char_indices()
        .nth(usize::from(col) % (n + 1))
        .map_or(line.len(), |(i, _)| i);
    line.insert_str(at, s);
}

fn apply(lines: &mut Vec<String>, e: Edit) {
    let len = lines.len();
    let n = len.max(1);
    let at = |i: u16| usize::from(i) % n;
    // Up to eight lines from `from`.
    let span = |from: u16, count: u8| {
        let start = at(from).min(len);
        start..(start + usize::from(count) % 8 + 1).min(len)
    };
    match e {
        Edit::InsertLine { at: i, fragment } => {
            let i = at(i).min(len);
            lines.insert(i, pick(FRAGMENTS, fragment).to_string());
        }
        Edit::InsertInLine {
            line,
            col,
            fragment,
        } => {
            if let Some(l) = lines.get_mut(at(line)) {
                insert_at(l, col, pick(FRAGMENTS, fragment));
            }
        }
        Edit::InsertChar { line, col, ch } => {
            if let Some(l) = lines.get_mut(at(line)) {
                insert_at(l, col, pick(CHARS, ch).encode_utf8(&mut [0; 4]));
            }
        }
        Edit::Quote { from, count } => {
            for l in &mut lines[span(from, count)] {
                l.insert_str(0, "> ");
            }
        }
        Edit::List {
            from,
            count,
            ordered,
        } => {
            for (i, l) in lines[span(from, count)].iter_mut().enumerate() {
                let marker = match (i, ordered) {
                    (0, false) => "- ",
                    (0, true) => "1. ",
                    (_, false) => "  ",
                    (_, true) => "   ",
                };
                l.insert_str(0, marker);
            }
        }
        Edit::Indent { from, count, width } => {
            let pad = " ".repeat(usize::from(width) % 9);
            for l in &mut lines[span(from, count)] {
                l.insert_str(0, &pad);
            }
        }
        Edit::Fence {
            from,
            count,
            fence,
            closed,
        } => {
            let r = span(from, count);
            let open = pick(
                &[
                    "```",
                    "~~~",
                    "````",
                    "```json",
                    "```iam-policy s3-readonly",
                    "  ```",
                    "```text",
                ],
                fence,
            );
            let close =
                open.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            let close = if close.is_empty() { "```" } else { close };
            if closed {
                lines.insert(r.end, close.trim_start().to_string());
            }
            lines.insert(r.start, open.to_string());
        }
        Edit::Delete { from, count } => {
            let r = span(from, count);
            lines.drain(r);
        }
        Edit::Duplicate { from, count } => {
            let r = span(from, count);
            let copy: Vec<String> = lines[r.clone()].to_vec();
            let end = r.end;
            lines.splice(end..end, copy);
        }
        Edit::Swap { a, b } => {
            if len > 0 {
                let (a, b) = (at(a).min(len - 1), at(b).min(len - 1));
                lines.swap(a, b);
            }
        }
        Edit::LineEndings { crlf } => {
            let end = if crlf { "\r" } else { "" };
            for l in lines.iter_mut() {
                if !l.ends_with('\r') {
                    l.push_str(end);
                }
            }
            if !crlf {
                // A page with lone CR line endings: every line joined with `\r`.
                let joined = lines.join("\r");
                *lines = vec![joined];
            }
        }
        Edit::Bom => {
            if let Some(l) = lines.first_mut() {
                l.insert(0, '\u{feff}');
            }
        }
    }
}
