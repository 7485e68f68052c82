//! Rendering a resolved directive as Markdown for one output flavor. Output is deterministic and
//! laid out so Prettier leaves it unchanged: JSON via `layout`, tables in Prettier's table form.

mod prose;

use crate::catalog::CalloutStyle;
use crate::policy::to_prettier_json;
use crate::resolve::{KeyRow, Resolved, RoleCommands};
use prose::reflow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// mdBook 0.5: title line above code blocks, GitHub alerts, `<details>`.
    Mdbook,
    /// Docusaurus 3 (MDX 3): `title="..."` on code blocks, `:::warning[Title]` admonitions.
    Docusaurus,
    /// Plain GitHub-flavored Markdown.
    Gfm,
}

impl Flavor {
    pub const ALL: [Flavor; 3] = [Flavor::Mdbook, Flavor::Docusaurus, Flavor::Gfm];

    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Mdbook => "mdbook",
            Flavor::Docusaurus => "docusaurus",
            Flavor::Gfm => "gfm",
        }
    }

    pub fn parse(s: &str) -> Option<Flavor> {
        Flavor::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// How an escaped directive opening (`\<<#`) is written out: MDX reads `<` as the start of
    /// JSX, so Docusaurus gets character references that display as `<<#`.
    pub fn literal_directive_opening(self) -> &'static str {
        match self {
            Flavor::Docusaurus => "&lt;&lt;#",
            Flavor::Mdbook | Flavor::Gfm => "<<#",
        }
    }

    /// Whether a block (code, table, callout) may stand inside a line of text and the page still
    /// build: Markdown shows it as text, MDX does not compile it.
    pub fn blocks_may_share_a_line(self) -> bool {
        self != Flavor::Docusaurus
    }
}

/// The directive's replacement text, without a trailing newline. Block output spans lines; the
/// caller adds the page's line prefix (`indent` columns wide) to each further line.
pub fn render(r: &Resolved, flavor: Flavor, indent: usize) -> String {
    match r {
        Resolved::Policy { policy, file } => code_block(
            &to_prettier_json(&policy.to_value()),
            "json",
            file.as_deref(),
            flavor,
        ),
        Resolved::Statement(s) => {
            code_block(&to_prettier_json(&s.to_value()), "json", None, flavor)
        }
        Resolved::Callout { style, title, body } => callout(*style, title, body, flavor, indent),
        Resolved::ConditionKeys(rows) => key_table(rows),
        Resolved::Actions(actions) => inline_list(actions),
        Resolved::RoleCommands(rc) => code_block(&role_commands(rc), "bash", None, flavor),
        Resolved::Table(t) => {
            let escape = |s: &String| s.replace('|', "\\|");
            let header: Vec<String> = t.header.iter().map(escape).collect();
            let rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| r.iter().map(escape).collect())
                .collect();
            table(&header, &rows)
        }
        Resolved::Claim(sentence) => format!("{sentence} {}", proven_mark()),
        Resolved::AccessSummary { intro, table: t } => {
            format!("{}\n\n{}", reflow(intro, indent), table(&t.header, &t.rows))
        }
    }
}

/// What the mark after a proven claim says when pointed at.
pub const PROVEN_TITLE: &str = "proven by the build";

/// The mark after a proven claim, in every flavor: a check mark whose title (shown when pointed
/// at, and read by screen readers) says that the build proved the sentence. HTML that mdBook,
/// MDX and GitHub all keep; no link, so that it stays short: a sentence with a claim in it stays
/// within Prettier's print width as often as the words allow (a link's address alone would pass
/// it), and the guide's page on claims says what the mark means.
fn proven_mark() -> String {
    format!("<abbr title=\"{PROVEN_TITLE}\">✓</abbr>")
}

fn code_block(body: &str, lang: &str, title: Option<&str>, flavor: Flavor) -> String {
    let body = body.trim_end_matches('\n');
    match (title, flavor) {
        (Some(t), Flavor::Docusaurus) => format!("```{lang} title=\"{t}\"\n{body}\n```"),
        (Some(t), _) => format!("**`{t}`**\n\n```{lang}\n{body}\n```"),
        (None, _) => format!("```{lang}\n{body}\n```"),
    }
}

fn html_escape(s: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // MDX reads braces as JavaScript expressions.
            '{' if flavor == Flavor::Docusaurus => out.push_str("&#123;"),
            '}' if flavor == Flavor::Docusaurus => out.push_str("&#125;"),
            c => out.push(c),
        }
    }
    out
}

fn callout(style: CalloutStyle, title: &str, body: &str, flavor: Flavor, indent: usize) -> String {
    if style == CalloutStyle::Troubleshooting {
        let body = reflow(body, indent);
        let summary = format!("<summary>{}</summary>", html_escape(title, flavor));
        // MDX reads `<details>` as a block only when the tag stands alone on its line. CommonMark
        // takes either; there one line is kept, because it survives Prettier inside list items
        // and blockquotes, where Prettier's MDX printer drops the prefix of a second JSX line.
        let sep = if flavor == Flavor::Docusaurus {
            "\n"
        } else {
            ""
        };
        return format!("<details>{sep}{summary}\n\n{body}\n\n</details>");
    }
    match flavor {
        Flavor::Docusaurus => {
            let kind = match style {
                CalloutStyle::Note | CalloutStyle::Troubleshooting => "note",
                CalloutStyle::Tip => "tip",
                CalloutStyle::Important => "info",
                CalloutStyle::Warning => "warning",
                CalloutStyle::Caution => "danger",
            };
            format!(":::{kind}[{title}]\n\n{}\n\n:::", reflow(body, indent))
        }
        Flavor::Mdbook | Flavor::Gfm => {
            let alert = match style {
                CalloutStyle::Note | CalloutStyle::Troubleshooting => "NOTE",
                CalloutStyle::Tip => "TIP",
                CalloutStyle::Important => "IMPORTANT",
                CalloutStyle::Warning => "WARNING",
                CalloutStyle::Caution => "CAUTION",
            };
            // The blank line after the marker keeps Prettier from joining the title onto it.
            let text = format!("**{title}**\n\n{body}");
            let mut out = format!("> [!{alert}]\n>");
            for line in reflow(&text, indent + 2).lines() {
                out.push('\n');
                if line.is_empty() {
                    out.push('>');
                } else {
                    out.push_str("> ");
                    out.push_str(line);
                }
            }
            out
        }
    }
}

/// A Markdown table as Prettier prints it (with `proseWrap` "always" or "preserve"): every column
/// padded to its widest cell, however wide the table.
fn key_table(rows: &[KeyRow]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let header = ["Key".to_string(), "Type".into(), "Meaning".into()];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("`{}`", cell(&r.key)),
                cell(&r.key_type),
                cell(&r.description),
            ]
        })
        .collect();
    table(&header, &body)
}

/// A Markdown table as Prettier prints it: every column padded to its widest cell (at least
/// three), however wide the table. Cells are Markdown inline text, already escaped.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let all: Vec<&[String]> = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            all.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        format!("| {} |", parts.join(" | "))
    };
    let delim: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let mut out = vec![line(header), format!("| {} |", delim.join(" | "))];
    out.extend(rows.iter().map(|r| line(r)));
    out.join("\n")
}

/// `a`; `a` and `b`; `a`, `b`, and `c`: for prose.
fn inline_list(items: &[String]) -> String {
    let code: Vec<String> = items.iter().map(|a| format!("`{a}`")).collect();
    match code.len() {
        0 => String::new(),
        1 => code[0].clone(),
        2 => format!("{} and {}", code[0], code[1]),
        n => format!("{}, and {}", code[..n - 1].join(", "), code[n - 1]),
    }
}

fn role_commands(rc: &RoleCommands) -> String {
    // Role and policy names are checked against IAM's rule (letters, digits, `+=,.@_-`) when the
    // catalog is read, so they need no quoting; file names may hold anything a shell reads.
    let mut out = format!(
        "aws iam create-role \\\n  --role-name {} \\\n  --assume-role-policy-document {}\n",
        rc.role_name,
        shell_word(&format!("file://{}", rc.trust_file))
    );
    for (name, file) in &rc.policies {
        out.push_str(&format!(
            "\naws iam put-role-policy \\\n  --role-name {} \\\n  --policy-name {name} \\\n  --policy-document {}\n",
            rc.role_name,
            shell_word(&format!("file://{file}"))
        ));
    }
    out
}

/// A word as a POSIX shell reads it back unchanged: as it is when it holds only characters no
/// shell treats specially, else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+=,@:/-".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_quoted_for_the_shell_when_they_need_it() {
        assert_eq!(
            shell_word("file://trust-policy.json"),
            "file://trust-policy.json"
        );
        assert_eq!(
            shell_word("file://my policy.json"),
            "'file://my policy.json'"
        );
        assert_eq!(shell_word("file://it's.json"), "'file://it'\\''s.json'");
        assert_eq!(shell_word("file://$(rm).json"), "'file://$(rm).json'");
    }

    #[test]
    fn a_claim_reads_as_a_sentence_with_names_in_code_and_the_mark() {
        let c = crate::eval::claim::Claim::parse(
            "`s3-readonly` with mcp-scoped allows s3:GetObject on arn:aws:s3:::b/k as \
             arn:aws:iam::111122223333:role/R when aws:CalledViaAWSMCP is aws-mcp.amazonaws.com \
             and aws:ViaAWSMCPService is absent",
        )
        .unwrap();
        let sentence = crate::eval::findings::sentence(&c);
        let want = "`s3-readonly` with `mcp-scoped` allows `s3:GetObject` on `arn:aws:s3:::b/k` as \
                    `arn:aws:iam::111122223333:role/R` when `aws:CalledViaAWSMCP` is \
                    `aws-mcp.amazonaws.com` and `aws:ViaAWSMCPService` is absent \
                    <abbr title=\"proven by the build\">✓</abbr>";
        for flavor in Flavor::ALL {
            assert_eq!(render(&Resolved::Claim(sentence.clone()), flavor, 0), want);
        }
    }

    #[test]
    fn inline_lists_read_as_prose() {
        let s = |v: &[&str]| inline_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["a"]), "`a`");
        assert_eq!(s(&["a", "b"]), "`a` and `b`");
        assert_eq!(s(&["a", "b", "c"]), "`a`, `b`, and `c`");
    }

    #[test]
    fn tables_are_aligned() {
        let row = |d: &str| KeyRow {
            key: "aws:X".into(),
            key_type: "Bool".into(),
            description: d.into(),
        };
        assert_eq!(
            key_table(&[row("short | pipe")]),
            "| Key     | Type | Meaning       |\n| ------- | ---- | ------------- |\n| `aws:X` | Bool | short \\| pipe |"
        );
    }

    #[test]
    fn summary_text_is_escaped_for_html_and_mdx() {
        let out = callout(
            CalloutStyle::Troubleshooting,
            "a <b> {c}",
            "body",
            Flavor::Docusaurus,
            0,
        );
        assert!(out.starts_with("<details>\n<summary>a &lt;b&gt; &#123;c&#125;</summary>\n\nbody"));
    }
}
