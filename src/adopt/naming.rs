//! Names for adopted catalog entries: from the block's title (its file name), else the nearest
//! heading above it, else the statement's `Sid`, else the page's name and the block's number.
//! Names are slugs (`a-z`, `0-9`, `-`), so a directive holds them as one word, and never clash
//! with an entry the catalog already has or with one made earlier in the same run.

use std::collections::HashSet;

/// The longest slug made from a heading: a name is typed in directives, so it stays short.
const MAX_LEN: usize = 48;

/// `Allow read access to S3 (example)` becomes `allow-read-access-to-s3-example`; cut at a word
/// boundary when long. Empty when the text has no letter or digit.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            // `ReadObjects` reads as two words.
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > MAX_LEN {
        let cut = out[..=MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        out.truncate(cut);
    }
    out
}

/// A title's file name without its extension: `s3-read.json` gives `s3-read`.
pub fn from_title(title: &str) -> String {
    let stem = title.rsplit('/').next().unwrap_or(title);
    let stem = stem.strip_suffix(".json").unwrap_or(stem);
    slug(stem)
}

/// The text of the nearest ATX heading before `at` (`## Title {#anchor}` gives `Title`), skipping
/// lines that lie in code.
pub fn nearest_heading(text: &str, at: usize, in_code: impl Fn(usize) -> bool) -> Option<String> {
    let mut end = at;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |n| n + 1);
        let line = &text[start..end];
        end = start;
        if in_code(start) {
            continue;
        }
        let trimmed = line.trim_start_matches(['>', ' ', '\t']).trim_end();
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            let mut title = trimmed[hashes..].trim().trim_end_matches('#').trim();
            if let Some(open) = title.rfind("{#")
                && title.ends_with('}')
            {
                title = title[..open].trim_end();
            }
            let title = without_tags(title);
            if !title.trim().is_empty() {
                return Some(title.trim().to_string());
            }
        }
    }
    None
}

/// Text without its HTML tags (`Keys<a name="keys"></a>` gives `Keys`).
fn without_tags(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Names already given: the catalog's entries, then each name this run hands out.
#[derive(Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    pub fn new(existing: impl IntoIterator<Item = String>) -> Names {
        Names {
            taken: existing.into_iter().collect(),
        }
    }

    /// The first of `candidates` that makes a slug, made unique with `-2`, `-3`, ...; `fallback`
    /// when none does.
    pub fn give(&mut self, candidates: &[String], fallback: &str) -> String {
        let base = candidates
            .iter()
            .map(|c| slug(c))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| slug(fallback));
        let base = if base.is_empty() {
            "policy".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_words() {
        assert_eq!(
            slug("Example: Allow read access to S3 (console)"),
            "example-allow-read-access-to-s3-console"
        );
        assert_eq!(slug("  --  "), "");
        assert_eq!(slug("AllowS3ReadOnly"), "allow-s3-read-only");
        let long = slug(&"word ".repeat(30));
        assert!(long.len() <= MAX_LEN && !long.ends_with('-'), "{long}");
        assert_eq!(from_title("s3-Read.json"), "s3-read");
    }

    #[test]
    fn nearest_heading_skips_code_and_anchors() {
        let page = "# Top\n\n## Read only {#ro}\n\n```bash\n# not a heading\n```\n\nX";
        let at = page.len() - 1;
        let code_start = page.find("```bash").unwrap();
        let code_end = page.rfind("```").unwrap() + 3;
        let h = nearest_heading(page, at, |o| (code_start..code_end).contains(&o));
        assert_eq!(h.as_deref(), Some("Read only"));
        assert_eq!(nearest_heading("no heading\n", 5, |_| false), None);
        let page = "## KMS keys<a name=\"kms\"></a>\n\nx";
        let h = nearest_heading(page, page.len(), |_| false);
        assert_eq!(h.as_deref(), Some("KMS keys"));
    }

    #[test]
    fn names_never_clash() {
        let mut names = Names::new(["s3-read".to_string()]);
        assert_eq!(names.give(&["S3 read".into()], "p"), "s3-read-2");
        assert_eq!(names.give(&["S3 read".into()], "p"), "s3-read-3");
        assert_eq!(names.give(&["".into()], "page 1"), "page-1");
        assert_eq!(names.give(&[], ""), "policy");
    }
}
