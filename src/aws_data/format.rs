//! Reading the data file (format described in the parent module): the header and service
//! directory at load, each service's section on first use. Errors carry the line they are on.

use super::*;

const MAGIC: &str = "aws-iam-data\t2";
/// Files written before the history block existed; they load with an empty history.
const MAGIC_V1: &str = "aws-iam-data\t1";

/// A parse error: the byte offset of the offending line and a message.
pub(super) struct ParseError {
    offset: usize,
    message: String,
}

impl ParseError {
    /// `LINE: message`.
    pub(super) fn describe(&self, text: &str) -> String {
        let line = count_newlines(&text[..self.offset.min(text.len())]) + 1;
        format!("{line}: {}", self.message)
    }
}

pub(super) type Parsed<T> = Result<T, ParseError>;

pub(super) fn error<T>(offset: usize, message: impl Into<String>) -> Parsed<T> {
    Err(ParseError {
        offset,
        message: message.into(),
    })
}

/// Lines of `text[pos..]` as (byte offset, line without its end).
pub(super) struct LineIter<'t> {
    pub text: &'t str,
    pub pos: usize,
}

impl<'t> Iterator for LineIter<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        // memchr's search, not `str::find`: a section is hundreds of short lines, and the
        // standard library's generic search costs more per call.
        let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let item = (self.pos, rest[..len].trim_end_matches('\r'));
        self.pos += len + 1;
        Some(item)
    }
}

/// A line's record kind and the rest of it, split at the first TAB.
pub(super) fn split_kind(line: &str) -> (&str, &str) {
    match memchr::memchr(b'\t', line.as_bytes()) {
        Some(at) => (&line[..at], &line[at + 1..]),
        None => (line, ""),
    }
}

pub(super) fn is_skipped(line: &str) -> bool {
    line.is_empty() || line.starts_with('#')
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// Splits a line into exactly `N` TAB-separated fields.
pub(super) fn fields<const N: usize>(line: &str) -> Option<[&str; N]> {
    // By hand with memchr rather than `str::split`: loading splits a few thousand lines, and
    // this is most of what a short run does.
    let mut out = [""; N];
    let mut rest = line;
    for (i, slot) in out.iter_mut().enumerate() {
        match memchr::memchr(b'\t', rest.as_bytes()) {
            Some(at) if i + 1 < N => {
                *slot = &rest[..at];
                rest = &rest[at + 1..];
            }
            Some(_) => return None,
            None if i + 1 == N => *slot = rest,
            None => return None,
        }
    }
    Some(out)
}

/// A service directory computed at build time (see `read_index`).
pub(super) type Directory = (&'static [(u32, u32, u32, u32)], (u32, u32));

pub(super) struct Index {
    pub package: String,
    pub version: String,
    pub date: String,
    pub globals: Vec<ConditionKeyInfo>,
    /// Read (when `checked`), else left for first use: `extras_lines` is their byte range.
    pub extras: Option<Vec<ConditionKeyInfo>>,
    pub extras_lines: (usize, usize),
    pub services: Vec<ServiceEntry>,
    pub history: Option<(usize, usize)>,
}

/// The record kinds of the H block.
fn is_history_line(line: &str) -> bool {
    ["V\t", "-S\t", "-A\t", "-K\t", "N\t"]
        .iter()
        .any(|k| line.starts_with(k))
}

/// Reads the header, the global keys and the service directory. `checked`: check that each
/// section starts with the S line its I line names (for a file loaded at run time); the
/// embedded file is checked whole by the test suite (`every_embedded_service_parses`), and not
/// reading the S lines at start-up keeps a short run from touching the whole text.
///
/// `built`: the embedded file's directory as byte offsets, computed at build time (`build.rs`):
/// `(start, end, prefix start, prefix end)` per service and the range of the I lines, which are
/// then not read.
pub(super) fn read_index(
    text: &'static str,
    checked: bool,
    built: Option<Directory>,
) -> Parsed<Index> {
    let mut lines = LineIter { text, pos: 0 };
    let v2 = match lines.next() {
        Some((_, first)) if first == MAGIC => true,
        Some((_, first)) if first == MAGIC_V1 => false,
        _ => {
            return error(
                0,
                format!("not an {DATA_FILE_NAME} file (expected `{MAGIC}`)"),
            );
        }
    };
    let (package, version, date) = match lines.next() {
        Some((at, line)) => match fields::<4>(line) {
            Some(["P", package, version, date]) => (package, version, date),
            _ => return error(at, "expected `P<TAB>package<TAB>version<TAB>date`"),
        },
        None => return error(text.len(), "missing source line"),
    };
    let mut globals = Vec::new();
    let mut extras = Vec::new();
    let mut extras_lines: Option<(usize, usize)> = None;
    let mut directory = Vec::new();
    let mut first_section = None;
    // The H block: its range, and whether a line of another kind has followed it.
    let mut block: Option<(usize, usize)> = None;
    let mut block_done = false;
    while let Some((at, line)) = lines.next() {
        // The directory's few hundred lines, read by a loop of their own (with no more than a
        // newline search a line): on a short run they are most of what loading does.
        if line.starts_with("I\t") {
            if let Some(d) = built.filter(|_| !checked) {
                lines.pos = d.1.1 as usize;
                block_done |= block.is_some();
                continue;
            }
            let bytes = text.as_bytes();
            let mut pos = at;
            while bytes[pos..].starts_with(b"I\t") {
                let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(text.len(), |i| pos + i);
                match directory_entry(text[pos + 2..end].trim_end_matches('\r')) {
                    Some(entry) => directory.push(entry),
                    None => return error(pos, "expected `I<TAB>prefix<TAB>bytes`"),
                }
                pos = (end + 1).min(text.len());
            }
            lines.pos = pos;
            block_done |= block.is_some();
            continue;
        }
        // The keys listed under another prefix are looked up only when no global or service
        // key matches: unless checked, they are read on first use.
        if !checked && line.starts_with("X\t") {
            let end = at + line.len() + 1;
            extras_lines = Some((extras_lines.map_or(at, |r| r.0), end.min(text.len())));
            continue;
        }
        if is_skipped(line) {
            continue;
        }
        if v2 && (line.starts_with("H\t") || is_history_line(line)) {
            if block_done || (block.is_some() && line.starts_with("H\t")) {
                return error(
                    at,
                    "the H block's lines must be contiguous, before the I lines",
                );
            }
            let next = at + line.len() + 1;
            if let Some(len) = line.strip_prefix("H\t") {
                // With its size given, the block is skipped here and read on first use.
                let end = len
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| next.checked_add(n))
                    .filter(|&e| e <= text.len() && (e == next || text.as_bytes()[e - 1] == b'\n'));
                let Some(end) = end else {
                    return error(
                        at,
                        "expected `H<TAB>bytes` ending on a line (regenerate the file)",
                    );
                };
                block = Some((next, end));
                block_done = true;
                lines.pos = end;
            } else {
                block = Some((block.map_or(at, |b| b.0), next.min(text.len())));
            }
            continue;
        }
        block_done |= block.is_some();
        match fields::<3>(line) {
            Some(["G", key, ty]) => globals.push(key_info(key, ty, at)?),
            Some(["X", key, ty]) => extras.push(key_info(key, ty, at)?),
            _ if line.starts_with("S\t") => {
                first_section = Some(at);
                break;
            }
            _ => return error(at, "unexpected line before the first service"),
        }
    }
    let mut services: Vec<ServiceEntry> = Vec::new();
    if let Some((table, _)) = built.filter(|_| !checked) {
        services = table
            .iter()
            .map(|&(start, end, p, q)| ServiceEntry {
                prefix: &text[p as usize..q as usize],
                start: start as usize,
                end: end as usize,
                parsed: OnceLock::new(),
            })
            .collect();
    } else if let Some(first) = first_section {
        // With a directory, sections are located by their sizes (checked against each
        // S line); without one, by a scan of the text.
        let mut bounds = Vec::with_capacity(directory.len());
        if directory.is_empty() {
            let mut start = first;
            loop {
                match text[start..].find("\nS\t") {
                    Some(i) => {
                        bounds.push((start, start + i + 1));
                        start += i + 1;
                    }
                    None => {
                        bounds.push((start, text.len()));
                        break;
                    }
                }
            }
        } else {
            let mut start = first;
            for &(_, len) in &directory {
                bounds.push((start, start.saturating_add(len)));
                start = start.saturating_add(len);
            }
            if start != text.len() {
                return error(
                    first,
                    "the I lines do not match the sections (regenerate the file)",
                );
            }
        }
        for (i, &(start, end)) in bounds.iter().enumerate() {
            if !checked && let Some(&(prefix, _)) = directory.get(i) {
                services.push(ServiceEntry {
                    prefix,
                    start,
                    end,
                    parsed: OnceLock::new(),
                });
                continue;
            }
            let header = text
                .get(start..end)
                .map(|section| {
                    &section[..memchr::memchr(b'\n', section.as_bytes()).unwrap_or(section.len())]
                })
                .unwrap_or("");
            let prefix = match fields::<3>(header.trim_end_matches('\r')) {
                Some(["S", prefix, _]) if !prefix.is_empty() => prefix,
                _ if !directory.is_empty() => {
                    return error(
                        first,
                        "the I lines do not match the sections (regenerate the file)",
                    );
                }
                _ => return error(start, "expected `S<TAB>prefix<TAB>name`"),
            };
            if directory.get(i).is_some_and(|d| d.0 != prefix) {
                return error(
                    start,
                    format!("I line for {} does not match this section", directory[i].0),
                );
            }
            if prefix.bytes().any(|b| b.is_ascii_uppercase()) {
                return error(start, format!("service prefix {prefix} is not lowercase"));
            }
            services.push(ServiceEntry {
                prefix,
                start,
                end,
                parsed: OnceLock::new(),
            });
        }
    }
    let p = |e: &ServiceEntry| e.prefix;
    // A table written by build.rs is in the checked file's order (the tests check it).
    let trusted_order = built.is_some() && !checked;
    if !trusted_order && !services.windows(2).all(|w| p(&w[0]) < p(&w[1])) {
        services.sort_by(|a, b| p(a).cmp(p(b)));
        if let Some(w) = services.windows(2).find(|w| p(&w[0]) == p(&w[1])) {
            return error(
                w[1].start.max(w[0].start),
                format!("service {} appears twice", p(&w[1])),
            );
        }
    }
    Ok(Index {
        package: package.to_string(),
        version: version.to_string(),
        date: date.to_string(),
        globals,
        extras: checked.then_some(extras),
        extras_lines: extras_lines.unwrap_or((0, 0)),
        services,
        history: block,
    })
}

/// `prefix<TAB>bytes` of an I line: a non-empty prefix and a positive size.
fn directory_entry(rest: &'static str) -> Option<(&'static str, usize)> {
    let tab = rest.bytes().position(|b| b == b'\t')?;
    let (prefix, digits) = (&rest[..tab], &rest.as_bytes()[tab + 1..]);
    if prefix.is_empty() || digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let mut len = 0usize;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        len = len * 10 + usize::from(d - b'0');
    }
    (len > 0).then_some((prefix, len))
}

pub(super) fn key_info(name: &'static str, ty: &str, at: usize) -> Parsed<ConditionKeyInfo> {
    if name.is_empty() || ty.is_empty() {
        return error(at, "empty condition key name or type");
    }
    Ok(ConditionKeyInfo::new(name, KeyType::parse(ty)))
}

/// Checks a list of indexes (`3,5,7`, each below `limit`) and keeps it as text.
fn key_list(
    list: &'static str,
    limit: usize,
    sep: u8,
    at: usize,
    checked: bool,
) -> Parsed<KeyList> {
    if checked && !list.is_empty() {
        for n in list.as_bytes().split(|&b| b == sep) {
            let value = (!n.is_empty() && n.len() <= 9 && n.iter().all(u8::is_ascii_digit))
                .then(|| n.iter().fold(0usize, |v, d| v * 10 + usize::from(d - b'0')));
            if value.is_none_or(|v| v >= limit) {
                let n = String::from_utf8_lossy(n);
                return error(at, format!("bad reference `{n}` (have {limit})"));
            }
        }
    }
    Ok(KeyList::new(list, sep))
}

fn parse_access(letters: &str, at: usize) -> Parsed<u8> {
    let mut bits = 0;
    for c in letters.chars() {
        match AccessLevel::ALL.iter().find(|e| e.1 == c) {
            Some(e) => bits |= e.0,
            None => return error(at, format!("unknown access level `{c}`")),
        }
    }
    if bits == 0 {
        return error(at, "missing access level");
    }
    Ok(bits)
}

/// Reads one service's section. `checked`: check every index the lines hold (for a file loaded
/// at run time, and for the embedded one in the test suite); without, a short run reads the
/// embedded file's sections at the cost of splitting their lines.
pub(super) fn parse_service(
    text: &'static str,
    entry: &ServiceEntry,
    checked: bool,
) -> Parsed<Service> {
    let mut lines = LineIter {
        text: &text[..entry.end],
        pos: entry.start,
    };
    lines.next(); // the S line, read by `index`
    let mut service = Service {
        prefix: entry.prefix,
        name: entry.name(text),
        actions: Vec::new(),
        resource_types: Vec::new(),
        condition_keys: Vec::new(),
    };
    let mut stage = 0; // 0: K lines, 1: R lines, 2: A lines
    for (n, line) in lines {
        if is_skipped(line) {
            continue;
        }
        let (kind, rest) = split_kind(line);
        let order = match kind {
            "K" => 0,
            "R" => 1,
            "A" => 2,
            _ => {
                return error(n, format!("unexpected line in service {}", entry.prefix));
            }
        };
        if order < stage {
            return error(n, "K, R and A lines out of order");
        }
        stage = order;
        match order {
            0 => match fields::<2>(rest) {
                Some([key, ty]) => service.condition_keys.push(key_info(key, ty, n)?),
                None => return error(n, "expected `K<TAB>key<TAB>type`"),
            },
            1 => {
                let Some([name, arns, keys]) = fields::<3>(rest) else {
                    return error(n, "expected `R<TAB>name<TAB>arns<TAB>keys`");
                };
                let arn_patterns: Vec<&'static str> = arns.split('|').collect();
                if name.is_empty() || arn_patterns.iter().any(|a| !a.starts_with("arn:")) {
                    return error(n, "bad resource type");
                }
                let arn_services = arn_patterns
                    .iter()
                    .map(|p| p.split(':').nth(2).unwrap_or(""))
                    .collect();
                service.resource_types.push(ResourceType {
                    name,
                    tail_excludes_slash: vec![false; arn_patterns.len()],
                    arn_services,
                    arn_patterns,
                    condition_keys: key_list(keys, service.condition_keys.len(), b',', n, checked)?,
                });
            }
            _ => {
                let Some([name, access, resources, keys]) = fields::<4>(rest) else {
                    return error(n, "expected `A<TAB>name<TAB>access<TAB>resources<TAB>keys`");
                };
                if name.is_empty() {
                    return error(n, "empty action name");
                }
                let keys_len = service.condition_keys.len();
                if checked && !resources.is_empty() {
                    for item in resources.split(',') {
                        let (head, item_keys) = item.split_once(':').unwrap_or((item, ""));
                        let index = head.strip_suffix('!').unwrap_or(head);
                        let ok = !index.is_empty()
                            && index.bytes().all(|b| b.is_ascii_digit())
                            && index
                                .parse::<usize>()
                                .is_ok_and(|i| i < service.resource_types.len());
                        if !ok {
                            return error(n, format!("bad resource entry `{item}`"));
                        }
                        key_list(item_keys, keys_len, b'.', n, checked)?;
                    }
                }
                service.actions.push(Action {
                    name,
                    levels: parse_access(access, n)?,
                    resources: Resources::new(resources),
                    condition_keys: key_list(keys, keys_len, b',', n, checked)?,
                });
            }
        }
    }
    if !service
        .actions
        .windows(2)
        .all(|w| cmp_ignore_case(w[0].name, w[1].name).is_lt())
    {
        service
            .actions
            .sort_by(|a, b| cmp_ignore_case(a.name, b.name));
        if let Some(w) = service
            .actions
            .windows(2)
            .find(|w| cmp_ignore_case(w[0].name, w[1].name).is_eq())
        {
            return error(
                entry.start,
                format!("action {}:{} appears twice", entry.prefix, w[1].name),
            );
        }
    }
    mark_slash_free_tails(&mut service.resource_types);
    Ok(service)
}

/// Sets `tail_excludes_slash` for patterns that end in a variable and that another
/// pattern of the service continues with '/'.
fn mark_slash_free_tails(resource_types: &mut [ResourceType]) {
    let all: Vec<&str> = resource_types
        .iter()
        .flat_map(|r| r.arn_patterns.iter().copied())
        .collect();
    for rt in resource_types.iter_mut() {
        for (pattern, flag) in rt
            .arn_patterns
            .iter()
            .zip(rt.tail_excludes_slash.iter_mut())
        {
            *flag = pattern.ends_with('}')
                && all.iter().any(|other| {
                    other.len() > pattern.len()
                        && other.starts_with(pattern)
                        && other.as_bytes()[pattern.len()] == b'/'
                });
        }
    }
}
