//! The snapshot's memory and its service principals: what earlier versions of AWS's data listed
//! and the current one no longer does (services, actions and condition keys, each with the last
//! version that listed it and a successor where the data shows one), and the service principals
//! beyond those the prefixes give. Read from the file's H block (see the module above) on first
//! use, so that loading the data costs no more than before.

use super::ConditionKeyInfo;
use super::DATA_FILE_NAME;
use super::format::{LineIter, Parsed, error, fields, is_skipped, key_info, split_kind};
use super::templates::cmp_ignore_case;
use std::cmp::Ordering;
use std::sync::OnceLock;

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
    pub prefix: &'static str,
    /// The name the last version gave it (`AWS DeepLens`).
    pub name: &'static str,
    /// Index into [`History::versions`] of the last version that listed it; `None` for a
    /// service retired before the history starts (see [`BEFORE_HISTORY`]), whose actions the
    /// history does not know.
    pub last: Option<usize>,
    /// The prefix that took over its actions, when the data makes one obvious.
    pub successor: Option<&'static str>,
}

/// Services IAM still accepts that AWS's data dropped before its history starts, so that no
/// version the history samples lists them: `(prefix, name)`. Each is known from AWS's own
/// managed policies, which still grant its actions and which IAM Access Analyzer finds valid
/// (`AmazonZocaloFullAccess`, `AWSMobileHub_FullAccess`, ...). Kept here, not in the data file,
/// because no data package records them.
pub const BEFORE_HISTORY: &[(&str, &str)] = &[
    ("mobilehub", "AWS Mobile Hub"),
    ("zocalo", "Amazon Zocalo, later Amazon WorkDocs"),
];

/// An action AWS's data listed under its prefix and no longer does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredAction {
    /// Lowercase.
    pub prefix: &'static str,
    /// AWS's casing (`ValidateEnvironmentName`).
    pub name: &'static str,
    pub last: usize,
    /// `prefix:Action` under the service's successor.
    pub successor: Option<&'static str>,
}

/// A service condition key no service lists any more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredKey {
    pub key: ConditionKeyInfo,
    pub last: usize,
    pub successor: Option<&'static str>,
}

/// What the H block holds. Empty for a file without one (format version 1). Each kind of
/// record is read on first use, apart from the others (a check of one service principal needs
/// the retired services, not the retired actions), unless the block was read whole.
#[derive(Debug, Default)]
pub struct History {
    /// The block: the file's text and the block's byte range.
    block: Option<(&'static str, usize, usize)>,
    versions: OnceLock<Vec<DataVersion>>,
    /// Sorted by prefix.
    services: OnceLock<Vec<RetiredService>>,
    /// Sorted by prefix, then lower-cased name.
    actions: OnceLock<Vec<RetiredAction>>,
    keys: OnceLock<Vec<RetiredKey>>,
}

/// The records of a block, as read.
#[derive(Default)]
struct Parts {
    versions: Vec<DataVersion>,
    services: Vec<RetiredService>,
    actions: Vec<RetiredAction>,
    keys: Vec<RetiredKey>,
}

impl Parts {
    /// A version number a record refers to; checked against the V lines when the block is read
    /// whole (a kind read alone has not read them).
    fn version_ref(&self, n: &str, at: usize, whole: bool) -> Parsed<usize> {
        match n.parse::<usize>() {
            Ok(i) if !whole || i < self.versions.len() => Ok(i),
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

impl History {
    /// A block read on first use, kind by kind (the embedded file, checked whole by the tests).
    pub(super) fn lazy(text: &'static str, start: usize, end: usize) -> History {
        History {
            block: Some((text, start, end)),
            ..History::default()
        }
    }

    /// The records of one kind, read on first use.
    fn part<'h, T>(
        &'h self,
        cell: &'h OnceLock<Vec<T>>,
        kind: &str,
        take: fn(Parts) -> Vec<T>,
    ) -> &'h [T] {
        cell.get_or_init(|| match self.block {
            None => Vec::new(),
            Some((text, start, end)) => {
                take(read(text, start, end, Some(kind)).unwrap_or_else(|e| {
                    panic!("{DATA_FILE_NAME} is malformed: {}", e.describe(text))
                }))
            }
        })
    }

    /// The earlier versions compared with, oldest first.
    pub fn versions(&self) -> &[DataVersion] {
        self.part(&self.versions, "V", |p| p.versions)
    }

    /// The version a retired entry was last listed in.
    pub fn last_listed(&self, last: usize) -> &DataVersion {
        &self.versions()[last]
    }

    pub fn services(&self) -> &[RetiredService] {
        self.part(&self.services, "-S", |p| p.services)
    }

    /// A retired service by prefix, ignoring case.
    pub fn service(&self, prefix: &str) -> Option<&RetiredService> {
        let services = self.services();
        services
            .binary_search_by(|s| cmp_ignore_case(s.prefix, prefix))
            .ok()
            .map(|i| &services[i])
    }

    fn actions(&self) -> &[RetiredAction] {
        self.part(&self.actions, "-A", |p| p.actions)
    }

    /// Every retired action of a prefix (all of a retired service's, or the few a current
    /// service dropped), sorted by lower-cased name.
    pub fn actions_of(&self, prefix: &str) -> &[RetiredAction] {
        let actions = self.actions();
        let start = actions.partition_point(|a| cmp_ignore_case(a.prefix, prefix).is_lt());
        let end = start
            + actions[start..]
                .iter()
                .take_while(|a| a.prefix.eq_ignore_ascii_case(prefix))
                .count();
        &actions[start..end]
    }

    /// A retired action by prefix and name, ignoring case.
    pub fn action(&self, prefix: &str, name: &str) -> Option<&RetiredAction> {
        let of = self.actions_of(prefix);
        of.binary_search_by(|a| cmp_ignore_case(a.name, name))
            .ok()
            .map(|i| &of[i])
    }

    /// The retired actions of a prefix whose names match `pattern` (`*`, `?`, any case).
    pub fn match_actions(&self, prefix: &str, pattern: &str) -> Vec<&RetiredAction> {
        self.actions_of(prefix)
            .iter()
            .filter(|a| crate::iam::wildcard::matches_ignore_case(pattern, a.name))
            .collect()
    }

    /// A retired condition key that `name` (as written in a policy) refers to.
    pub fn condition_key(&self, name: &str) -> Option<&RetiredKey> {
        let keys = self.condition_keys();
        keys.iter()
            .find(|k| k.key.name.eq_ignore_ascii_case(name))
            .or_else(|| keys.iter().find(|k| k.key.matches(name)))
    }

    pub fn condition_keys(&self) -> &[RetiredKey] {
        self.part(&self.keys, "-K", |p| p.keys)
    }
}

fn successor(text: &'static str) -> Option<&'static str> {
    (!text.is_empty()).then_some(text)
}

/// Reads and checks the whole block `text[start..end]` (whole lines). Errors carry byte offsets
/// into `text`.
pub(super) fn parse(text: &'static str, start: usize, end: usize) -> Parsed<History> {
    let p = read(text, start, end, None)?;
    Ok(History {
        block: Some((text, start, end)),
        versions: OnceLock::from(p.versions),
        services: OnceLock::from(p.services),
        actions: OnceLock::from(p.actions),
        keys: OnceLock::from(p.keys),
    })
}

/// Reads the records of the block of kind `only` (every kind, checked, when `None`).
fn read(text: &'static str, start: usize, end: usize, only: Option<&str>) -> Parsed<Parts> {
    let whole = only.is_none();
    let mut seen = false;
    let mut h = Parts::default();
    let lines = LineIter {
        text: &text[..end],
        pos: start,
    };
    for (at, line) in lines {
        if is_skipped(line) {
            continue;
        }
        let (kind, rest) = split_kind(line);
        if only.is_some_and(|k| k != kind) {
            // The refresh tool writes each kind's lines together (V, -S, -A, -K, N): a kind
            // read alone ends where its lines do. (The tests compare this with the whole read.)
            if seen {
                break;
            }
            continue;
        }
        seen = true;
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
                Some([prefix, name, last, next]) if is_lower(prefix) => {
                    let last = h.version_ref(last, at, whole)?;
                    h.services.push(RetiredService {
                        prefix,
                        name,
                        last: Some(last),
                        successor: successor(next),
                    });
                }
                _ => {
                    return error(
                        at,
                        "expected `-S<TAB>prefix<TAB>name<TAB>v<TAB>successor` (prefix lowercase)",
                    );
                }
            },
            "-A" => match fields::<4>(rest) {
                Some([prefix, name, last, next]) if is_lower(prefix) && !name.is_empty() => {
                    let last = h.version_ref(last, at, whole)?;
                    h.actions.push(RetiredAction {
                        prefix,
                        name,
                        last,
                        successor: successor(next),
                    });
                }
                _ => {
                    return error(
                        at,
                        "expected `-A<TAB>prefix<TAB>Action<TAB>v<TAB>successor` (prefix lowercase)",
                    );
                }
            },
            "-K" => match fields::<4>(rest) {
                Some([key, ty, last, next]) => {
                    let key = key_info(key, ty, at)?;
                    let last = h.version_ref(last, at, whole)?;
                    h.keys.push(RetiredKey {
                        key,
                        last,
                        successor: successor(next),
                    });
                }
                None => return error(at, "expected `-K<TAB>key<TAB>type<TAB>v<TAB>successor`"),
            },
            "N" => match fields::<1>(rest) {
                // Read apart from the rest, by `AwsData::principals`; checked here.
                Some([p]) if is_lower(p) => {}
                _ => return error(at, "expected `N<TAB>principal` (lowercase)"),
            },
            _ => return error(at, "unexpected line in the history block"),
        }
    }
    for (prefix, name) in BEFORE_HISTORY
        .iter()
        .filter(|_| only.is_none_or(|k| k == "-S"))
    {
        if !h.services.iter().any(|s| s.prefix == *prefix) {
            h.services.push(RetiredService {
                prefix,
                name,
                last: None,
                successor: None,
            });
        }
    }
    // The file writes both lists in order; sorting is for files written otherwise.
    let service_order =
        |a: &RetiredService, b: &RetiredService| a.prefix.cmp(b.prefix).then(a.name.cmp(b.name));
    if !h.services.is_sorted_by(|a, b| service_order(a, b).is_le()) {
        h.services.sort_by(service_order);
    }
    let action_order = |a: &RetiredAction, b: &RetiredAction| match a.prefix.cmp(b.prefix) {
        Ordering::Equal => cmp_ignore_case(a.name, b.name),
        o => o,
    };
    if !h.actions.is_sorted_by(|a, b| action_order(a, b).is_le()) {
        h.actions.sort_by(action_order);
    }
    Ok(h)
}

/// Non-empty and without uppercase letters.
fn is_lower(s: &str) -> bool {
    !s.is_empty() && !s.bytes().any(|c| c.is_ascii_uppercase())
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

#[cfg(test)]
mod tests {
    use super::super::AwsData;

    const HEAD: &str = "aws-iam-data\t2\nP\tpkg\t2.0.0\t2026-01-02\nG\taws:SourceIp\tIPAddress\n";
    const BLOCK: &str = "V\t1.0.0\t2025-01-01\nV\t1.1.0\t2025-06-01\n\
        -S\told\tOld Service\t1\tnew\n-A\told\tGetThing\t1\tnew:GetThing\n-A\tdemo\tFormerAction\t0\t\n\
        -K\told:Mode\tString\t1\tnew:Mode\n-K\tdemo:Gone/${Name}\tBool\t0\t\nN\tdemo-tasks.amazonaws.com\n";
    const BODY: &str = "S\tdemo\tDemo\nA\tRun\tW\t\t\nS\tnew\tNew\nA\tGetThing\tR\t\t\n";

    fn with_h() -> String {
        format!("{HEAD}H\t{}\n{BLOCK}{BODY}", BLOCK.len())
    }

    #[test]
    fn the_block_is_read_on_first_use() {
        for text in [with_h(), format!("{HEAD}{BLOCK}{BODY}")] {
            let d = AwsData::index(Box::leak(text.into_boxed_str()), true, None).expect("valid");
            assert!(d.history.get().is_none(), "not read while loading");
            let h = d.history();
            assert_eq!(h.versions().len(), 2);
            let old = h.service("OLD").expect("retired service");
            assert_eq!((old.name, old.last), ("Old Service", Some(1)));
            assert_eq!(old.successor, Some("new"));
            assert_eq!(h.last_listed(old.last.unwrap()).date, "2025-06-01");
            assert_eq!(
                h.action("old", "getthing").and_then(|a| a.successor),
                Some("new:GetThing")
            );
            assert_eq!(h.action("demo", "formeraction").unwrap().last, 0);
            assert!(h.action("demo", "Run").is_none());
            assert_eq!(h.match_actions("old", "Get*").len(), 1);
            assert_eq!(h.actions_of("demo").len(), 1);
            assert_eq!(h.condition_key("OLD:mode").unwrap().key.name, "old:Mode");
            assert!(h.condition_key("demo:Gone/x").is_some(), "templates match");
            assert!(d.lists_principal("demo-tasks.amazonaws.com"));
            assert!(!d.lists_principal("demo.amazonaws.com"));
            // The services themselves load as before.
            assert!(d.action("new", "GetThing").is_some());
            assert_eq!(
                d.history_span().as_deref(),
                Some("history: 2 earlier versions, 1.0.0 (2025-01-01) to 1.1.0 (2025-06-01)")
            );
        }
    }

    #[test]
    fn files_without_a_block_have_an_empty_history() {
        let v1 = format!("aws-iam-data\t1\nP\tpkg\t1.0.0\t2026-01-02\n{BODY}");
        let d = AwsData::parse(v1).expect("version 1 still loads");
        assert!(d.history().services().is_empty());
        assert_eq!(d.history_span(), None);
        // A version 1 file cannot hold the block's lines.
        let bad = format!("aws-iam-data\t1\nP\tpkg\t1.0.0\t2026-01-02\n{BLOCK}{BODY}");
        assert!(AwsData::parse(bad).is_err());
    }

    #[test]
    fn malformed_blocks_are_errors() {
        let cases = [
            (
                "size",
                format!("{HEAD}H\t{}\n{BLOCK}{BODY}", BLOCK.len() - 3),
            ),
            ("past the end", format!("{HEAD}H\t999999\n{BLOCK}{BODY}")),
            (
                "version ref",
                with_h().replace("-S\told\tOld Service\t1", "-S\told\tOld Service\t7"),
            ),
            ("date", with_h().replace("2025-01-01", "Jan 2025")),
            ("fields", with_h().replace("\tnew:GetThing\n", "\n")),
            ("case", with_h().replace("demo-tasks", "Demo-tasks")),
            (
                "split",
                format!(
                    "{HEAD}V\t1.0.0\t2025-01-01\nG\taws:X\tString\nV\t1.1.0\t2025-06-01\n{BODY}"
                ),
            ),
        ];
        for (name, text) in cases {
            // `parse` reads everything, the block included.
            let err = AwsData::parse(text.clone());
            assert!(err.is_err(), "{name}: accepted");
            eprintln!("{name}: {}", err.unwrap_err());
        }
    }

    #[test]
    fn the_embedded_history_covers_the_retired_services() {
        let d = AwsData::embedded();
        let h = d.history();
        assert!(h.versions().len() >= 10, "{}", h.versions().len());
        assert_eq!(h.versions()[0].date, "2024-08-31");
        for p in ["deeplens", "deepracer", "iot1click", "aws-mcp"] {
            assert!(h.service(p).is_some_and(|s| s.last.is_some()), "{p}");
            assert!(!d.has_service(p), "{p} is current");
        }
        for (p, _) in super::BEFORE_HISTORY {
            assert_eq!(h.service(p).map(|s| s.last), Some(None), "{p}");
            assert!(!d.has_service(p), "{p} is current");
        }
        assert!(h.action("cloud9", "ValidateEnvironmentName").is_some());
        assert!(
            d.service("cloud9")
                .unwrap()
                .action("ValidateEnvironmentName")
                .is_none()
        );
        assert!(h.condition_key("deepracer:UserToken").is_some());
        assert!(d.lists_principal("ecs-tasks.amazonaws.com"));
        // Nothing current is called retired.
        for s in h.services() {
            assert!(!d.has_service(s.prefix), "{}", s.prefix);
        }
        for p in d.principals() {
            assert_eq!(p, &p.to_ascii_lowercase());
        }
    }
}
