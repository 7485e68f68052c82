//! AWS's descriptions of actions and condition keys, for completion and hover.
//!
//! The binary embeds `data/aws-iam-descriptions.txt`, written by `tools/aws-data/refresh.mjs`
//! next to the data file from the same package version (its format is described there):
//! a header like the data file's, then `A<TAB>prefix:Action<TAB>description` lines, then
//! `K<TAB>key<TAB>description` lines, each group sorted by lower-cased name.
//!
//! # Cost
//!
//! Nothing is read until the first lookup; it then indexes the lines (two vectors of byte
//! ranges into the text, about 190 KB) and each lookup is a binary search. Measured in release
//! mode on a shared 2-core machine
//! (`cargo test --release -- --ignored measure_description_index_time --nocapture`): indexing
//! the embedded file (2.49 MB, 23,570 lines) with the first lookup takes 2.0 ms, a lookup
//! 0.18 µs.

use super::format::{LineIter, fields, is_skipped};
use super::templates::cmp_ignore_case;
use std::cmp::Ordering;
use std::path::Path;
use std::sync::OnceLock;

/// Name of the descriptions file, embedded and inside an `--aws-data` directory.
pub const DESCRIPTIONS_FILE_NAME: &str = "aws-iam-descriptions.txt";

const MAGIC: &str = "aws-iam-descriptions\t1";

pub(super) static EMBEDDED_DESCRIPTIONS: &str = include_str!("../../data/aws-iam-descriptions.txt");

/// A descriptions text (empty: none) and its index, built on the first lookup.
#[derive(Default)]
pub(super) struct Descriptions {
    text: &'static str,
    index: OnceLock<Index>,
}

/// Per kind, the byte ranges of the lines' `name<TAB>description`, sorted by lower-cased name.
#[derive(Default)]
pub(super) struct Index {
    actions: Vec<(u32, u32)>,
    keys: Vec<(u32, u32)>,
}

impl Descriptions {
    /// The embedded file, indexed on first use.
    pub(super) fn embedded() -> Descriptions {
        Descriptions {
            text: EMBEDDED_DESCRIPTIONS,
            index: OnceLock::new(),
        }
    }

    /// `dir/aws-iam-descriptions.txt` for data from `package` `version`, checked whole now.
    /// Without the file there are no descriptions (a directory written before the file existed,
    /// or by hand, still loads) and no note. A file that cannot be read, is malformed, or comes
    /// from another package version than the data is not used; the second value says why.
    pub(super) fn from_dir(
        dir: &Path,
        package: &str,
        version: &str,
    ) -> (Descriptions, Option<String>) {
        let path = dir.join(DESCRIPTIONS_FILE_NAME);
        let ignored = |why: String| {
            let note = format!(
                "{}: {why}; completion and hover show no AWS descriptions",
                path.display()
            );
            (Descriptions::default(), Some(note))
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Descriptions::default(), None);
            }
            Err(e) => return ignored(format!("cannot be read ({e})")),
        };
        let (their_package, their_version) = match header(&text) {
            Ok(h) => h,
            Err(e) => return ignored(e),
        };
        if (their_package, their_version) != (package, version) {
            return ignored(format!(
                "written from {their_package} {their_version}, but the data file is from \
                 {package} {version} (regenerate both with tools/aws-data/refresh.mjs)"
            ));
        }
        match index(&text) {
            Ok(index) => (
                Descriptions {
                    // Kept for the rest of the process, like the data file's text.
                    text: Box::leak(text.into_boxed_str()),
                    index: OnceLock::from(index),
                },
                None,
            ),
            Err(e) => ignored(e),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            if self.text.is_empty() {
                return Index::default();
            }
            index(self.text).unwrap_or_else(|e| panic!("{DESCRIPTIONS_FILE_NAME}: {e}"))
        })
    }

    /// The description of `service:action`, ignoring case.
    pub(super) fn action(&self, service: &str, action: &str) -> Option<&'static str> {
        let target = || {
            service
                .bytes()
                .chain(std::iter::once(b':'))
                .chain(action.bytes())
                .map(|c| c.to_ascii_lowercase())
        };
        find(self.text, &self.index().actions, |name| {
            name.bytes().map(|c| c.to_ascii_lowercase()).cmp(target())
        })
    }

    /// The description of the key spelled `key` in the data (templates as written there:
    /// `aws:RequestTag/${TagKey}`), ignoring case.
    pub(super) fn key(&self, key: &str) -> Option<&'static str> {
        find(self.text, &self.index().keys, |name| {
            cmp_ignore_case(name, key)
        })
    }
}

fn find(
    text: &'static str,
    entries: &[(u32, u32)],
    cmp: impl Fn(&str) -> Ordering,
) -> Option<&'static str> {
    let i = entries
        .binary_search_by(|&range| cmp(split(text, range).0))
        .ok()?;
    Some(split(text, entries[i]).1)
}

/// A line's name and description.
fn split(text: &'static str, (start, end): (u32, u32)) -> (&'static str, &'static str) {
    let line = &text[start as usize..end as usize];
    let tab = memchr::memchr(b'\t', line.as_bytes()).unwrap_or(line.len());
    (&line[..tab], line.get(tab + 1..).unwrap_or(""))
}

/// The package and version a descriptions file names; an error says what is wrong.
pub(super) fn header(text: &str) -> Result<(&str, &str), String> {
    let mut lines = LineIter { text, pos: 0 };
    if lines.next().map(|(_, l)| l) != Some(MAGIC) {
        return Err(format!(
            "line 1: not an {DESCRIPTIONS_FILE_NAME} file (expected `{MAGIC}`)"
        ));
    }
    match lines.next().and_then(|(_, l)| fields::<4>(l)) {
        Some(["P", package, version, _date]) => Ok((package, version)),
        _ => Err("line 2: expected `P<TAB>package<TAB>version<TAB>date`".to_string()),
    }
}

/// Checks a descriptions file whole and indexes its lines. Errors read `line N: message`.
pub(super) fn index(text: &str) -> Result<Index, String> {
    header(text)?;
    if u32::try_from(text.len()).is_err() {
        return Err("the file is larger than 4 GB".to_string());
    }
    let mut index = Index::default();
    let lines = LineIter { text, pos: 0 };
    for (n, (at, line)) in lines.enumerate().skip(2) {
        if is_skipped(line) {
            continue;
        }
        let err = |message: &str| Err(format!("line {}: {message}", n + 1));
        let (list, rest) = match line.split_at_checked(2) {
            Some(("A\t", rest)) if index.keys.is_empty() => (&mut index.actions, rest),
            Some(("A\t", _)) => return err("an A line after the K lines"),
            Some(("K\t", rest)) => (&mut index.keys, rest),
            _ => {
                return err(
                    "expected `A<TAB>prefix:Action<TAB>description` or `K<TAB>key<TAB>description`",
                );
            }
        };
        match fields::<2>(rest) {
            Some([name, description]) if !name.is_empty() && !description.trim().is_empty() => {}
            _ => return err("expected a name and a description, separated by one TAB"),
        }
        let start = at + 2;
        // `line` has lost its `\r`, if any: the range ends where it ends.
        list.push((start as u32, (at + line.len()) as u32));
    }
    // refresh.mjs writes the lines sorted; a file sorted otherwise still gives right answers.
    for list in [&mut index.actions, &mut index.keys] {
        let name = |range: &(u32, u32)| {
            let line = &text[range.0 as usize..range.1 as usize];
            &line[..memchr::memchr(b'\t', line.as_bytes()).unwrap_or(line.len())]
        };
        if !list.is_sorted_by(|a, b| cmp_ignore_case(name(a), name(b)).is_le()) {
            list.sort_by(|a, b| cmp_ignore_case(name(a), name(b)));
        }
    }
    Ok(index)
}

#[cfg(test)]
impl Index {
    /// How many actions and keys the index holds.
    pub(super) fn lens(&self) -> (usize, usize) {
        (self.actions.len(), self.keys.len())
    }
}
