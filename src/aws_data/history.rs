//! The snapshot's memory and its service principals: what earlier versions of AWS's data listed
//! and the current one no longer does (services, actions and condition keys, each with the last
//! version that listed it and a successor where the data shows one), and the service principals
//! beyond those the prefixes give. Read from the file's H block (see the module above) on first
//! use, so that loading the data costs no more than before.

use super::{ConditionKeyInfo, LineIter, Parsed, cmp_ignore_case, error, fields, is_skipped};
use std::cmp::Ordering;

/// An earlier version of the source package that the history compares with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataVersion {
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A service prefix AWS's data listed and no longer does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredService {
    /// Lowercase, as in actions (`deeplens`).
    pub prefix: String,
    /// The name the last version gave it (`AWS DeepLens`).
    pub name: String,
    /// Index into [`History::versions`] of the last version that listed it.
    pub last: usize,
    /// The prefix that took over its actions, when the data makes one obvious.
    pub successor: Option<String>,
}

/// An action AWS's data listed under its prefix and no longer does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredAction {
    pub prefix: String,
    /// AWS's casing (`ValidateEnvironmentName`).
    pub name: String,
    lower: Box<str>,
    pub last: usize,
    /// `prefix:Action` under the service's successor.
    pub successor: Option<String>,
}

/// A service condition key no service lists any more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredKey {
    pub key: ConditionKeyInfo,
    pub last: usize,
    pub successor: Option<String>,
}

/// What the H block holds. Empty for a file without one (format version 1).
#[derive(Debug, Default)]
pub struct History {
    versions: Vec<DataVersion>,
    /// Sorted by prefix.
    services: Vec<RetiredService>,
    /// Sorted by prefix, then lower-cased name.
    actions: Vec<RetiredAction>,
    keys: Vec<RetiredKey>,
    /// Global forms (`ecs-tasks.amazonaws.com`), sorted.
    principals: Vec<String>,
}

impl History {
    /// The earlier versions compared with, oldest first.
    pub fn versions(&self) -> &[DataVersion] {
        &self.versions
    }

    /// The version a retired entry was last listed in.
    pub fn last_listed(&self, last: usize) -> &DataVersion {
        &self.versions[last]
    }

    pub fn services(&self) -> &[RetiredService] {
        &self.services
    }

    /// A retired service by prefix, ignoring case.
    pub fn service(&self, prefix: &str) -> Option<&RetiredService> {
        self.services
            .binary_search_by(|s| cmp_ignore_case(&s.prefix, prefix))
            .ok()
            .map(|i| &self.services[i])
    }

    /// Every retired action of a prefix (all of a retired service's, or the few a current
    /// service dropped), sorted by lower-cased name.
    pub fn actions_of(&self, prefix: &str) -> &[RetiredAction] {
        let prefix = prefix.to_ascii_lowercase();
        let start = self
            .actions
            .partition_point(|a| a.prefix.as_str() < prefix.as_str());
        let end = start
            + self.actions[start..]
                .iter()
                .take_while(|a| a.prefix == prefix)
                .count();
        &self.actions[start..end]
    }

    /// A retired action by prefix and name, ignoring case.
    pub fn action(&self, prefix: &str, name: &str) -> Option<&RetiredAction> {
        let lower = name.to_ascii_lowercase();
        let of = self.actions_of(prefix);
        of.binary_search_by(|a| a.lower.as_ref().cmp(lower.as_str()))
            .ok()
            .map(|i| &of[i])
    }

    /// The retired actions of a prefix whose names match `pattern` (`*`, `?`, any case).
    pub fn match_actions(&self, prefix: &str, pattern: &str) -> Vec<&RetiredAction> {
        self.actions_of(prefix)
            .iter()
            .filter(|a| crate::wildcard::matches_ignore_case(pattern, &a.name))
            .collect()
    }

    /// A retired condition key that `name` (as written in a policy) refers to.
    pub fn condition_key(&self, name: &str) -> Option<&RetiredKey> {
        self.keys
            .iter()
            .find(|k| k.key.name.eq_ignore_ascii_case(name))
            .or_else(|| self.keys.iter().find(|k| k.key.matches(name)))
    }

    pub fn condition_keys(&self) -> &[RetiredKey] {
        &self.keys
    }

    /// The service principals the file lists beyond those derived from the prefixes.
    pub fn principals(&self) -> &[String] {
        &self.principals
    }

    /// Whether the file lists this service principal (global form, lowercase).
    pub fn lists_principal(&self, principal: &str) -> bool {
        self.principals
            .binary_search_by(|p| p.as_str().cmp(principal))
            .is_ok()
    }

    fn version_ref(&self, n: &str, at: usize) -> Parsed<usize> {
        match n.parse::<usize>() {
            Ok(i) if i < self.versions.len() => Ok(i),
            _ => error(
                at,
                format!(
                    "bad version reference `{n}` (have {} V lines before it)",
                    self.versions.len()
                ),
            ),
        }
    }
}

fn successor(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// Reads the block `text[start..end]` (whole lines). Errors carry byte offsets into `text`.
pub(super) fn parse(text: &str, start: usize, end: usize) -> Parsed<History> {
    let mut h = History::default();
    let lines = LineIter {
        text: &text[..end],
        pos: start,
    };
    for (at, line) in lines {
        if is_skipped(line) {
            continue;
        }
        let (kind, rest) = line.split_once('\t').unwrap_or((line, ""));
        match kind {
            "V" => match fields::<2>(rest) {
                Some([version, date]) if !version.is_empty() && is_date(date) => {
                    h.versions.push(DataVersion {
                        version: version.to_string(),
                        date: date.to_string(),
                    })
                }
                _ => return error(at, "expected `V<TAB>version<TAB>YYYY-MM-DD`"),
            },
            "-S" => match fields::<4>(rest) {
                Some([prefix, name, last, next]) if !prefix.is_empty() => {
                    let last = h.version_ref(last, at)?;
                    h.services.push(RetiredService {
                        prefix: prefix.to_ascii_lowercase(),
                        name: name.to_string(),
                        last,
                        successor: successor(next),
                    });
                }
                _ => return error(at, "expected `-S<TAB>prefix<TAB>name<TAB>v<TAB>successor`"),
            },
            "-A" => match fields::<4>(rest) {
                Some([prefix, name, last, next]) if !prefix.is_empty() && !name.is_empty() => {
                    let last = h.version_ref(last, at)?;
                    h.actions.push(RetiredAction {
                        prefix: prefix.to_ascii_lowercase(),
                        name: name.to_string(),
                        lower: name.to_ascii_lowercase().into(),
                        last,
                        successor: successor(next),
                    });
                }
                _ => {
                    return error(
                        at,
                        "expected `-A<TAB>prefix<TAB>Action<TAB>v<TAB>successor`",
                    );
                }
            },
            "-K" => match fields::<4>(rest) {
                Some([key, ty, last, next]) => {
                    let key = super::key_info(key, ty, at)?;
                    let last = h.version_ref(last, at)?;
                    h.keys.push(RetiredKey {
                        key,
                        last,
                        successor: successor(next),
                    });
                }
                None => return error(at, "expected `-K<TAB>key<TAB>type<TAB>v<TAB>successor`"),
            },
            "N" => match fields::<1>(rest) {
                Some([p]) if !p.is_empty() && p.bytes().all(|c| !c.is_ascii_uppercase()) => {
                    h.principals.push(p.to_string())
                }
                _ => return error(at, "expected `N<TAB>principal` (lowercase)"),
            },
            _ => return error(at, "unexpected line in the history block"),
        }
    }
    h.services
        .sort_by(|a, b| a.prefix.cmp(&b.prefix).then(a.name.cmp(&b.name)));
    h.actions.sort_by(|a, b| match a.prefix.cmp(&b.prefix) {
        Ordering::Equal => a.lower.cmp(&b.lower),
        o => o,
    });
    h.principals.sort();
    h.principals.dedup();
    Ok(h)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
