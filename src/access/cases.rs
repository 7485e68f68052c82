//! The values one condition key takes in an exploration: enough of them that every value a
//! request could carry is decided like one of them, by every condition on the key.
//!
//! The truth table's cases (absent, each compared value, one other value) are exact for
//! equality operators only. Here they are completed per operator family:
//!
//! - **Numeric, Date**: the compared values cut the line into intervals; one value below all of
//!   them, each of them, one between each two and one above all, and one that is no number
//!   (which no operator matches, negated ones included).
//! - **IpAddress**: each range's first and last address and the addresses just outside them
//!   (the ranges cut the address space into intervals that start at one of these), for IPv4
//!   and IPv6 alike, and one that is no address.
//! - **String, Arn**: the compared values are patterns (literal for `StringEquals`); for each,
//!   a *generic* value inside it that matches exactly the patterns covering it, one inside each
//!   overlap of two patterns, and one outside all. This is exact when at most one pair of
//!   patterns overlaps without one covering the other and every pattern has a generic value;
//!   otherwise the key is marked approximate. Case-insensitive operators add the value's other
//!   casings.
//! - **Multivalued keys** (a request carries a set): the empty set, and every set of two or
//!   more of the values above that are decided differently (any set is decided as the set of
//!   the classes of its members), up to [`MAX_SET_MEMBERS`] classes; past that, only pairs, and
//!   the key is approximate.
//!
//! A compared value that holds a policy variable depends on another key: the variable's key is
//! explored with a filler value, the compared value is tried with that filler, and the key is
//! marked approximate (the pairs of values that agree are not enumerated).
//! (IAM User Guide, "IAM JSON policy elements: Condition operators"; "Single-valued vs.
//! multivalued context keys".)

use super::algebra;
use crate::aws_data::AwsData;
use crate::eval::conditions::{clause, date_millis};
use crate::eval::matching::{arn_covers, arn_matches};
use crate::eval::request::{Context, ContextValue};
use crate::eval::truth_table::{Case, cases_for};
use crate::eval::variables::{Reading, resolve};
use crate::iam::key_type::KeyType;
use crate::iam::operator::OperatorFamily;
use crate::iam::wildcard;
use crate::policy::Statement;

/// The most classes of values whose every combination is tried as a set.
pub const MAX_SET_MEMBERS: usize = 5;

/// The most globs an overlap of two patterns is written as.
const MAX_OVERLAP_GLOBS: usize = 16;

/// The cases of one key, with the value the request carries in each.
pub struct Plan {
    pub cases: Vec<Case>,
    /// The request's value in each case; `None`: absent.
    pub values: Vec<Option<ContextValue>>,
    pub multivalued: bool,
    /// True when some values may be decided unlike every case.
    pub approximate: bool,
    /// The keys of the policy variables in the compared values.
    pub variables: Vec<String>,
}

/// One compared value of the key: its text with variables filled, and how it is compared.
struct Compared {
    text: String,
    family: OperatorFamily,
    /// `*` and `?` are wildcards (`*Like`, ARN operators).
    wild: bool,
    ignore_case: bool,
}

pub fn plan(key: &str, stmts: &[(&str, usize, &Statement)], aws: &AwsData, filler: &str) -> Plan {
    let (base, multivalued) = cases_for(key, stmts, aws);
    let mut approximate = false;
    let mut variables: Vec<String> = Vec::new();
    let mut compared: Vec<Compared> = Vec::new();
    for (_, _, s) in stmts {
        for c in &s.condition {
            let op = &c.operator.value;
            if op.family == OperatorFamily::Null {
                continue;
            }
            for e in c
                .entries
                .iter()
                .filter(|e| e.key.value.eq_ignore_ascii_case(key))
            {
                for v in &e.values.items {
                    let mut text = v.value.text().to_string();
                    if matches!(op.family, OperatorFamily::String | OperatorFamily::Arn)
                        && text.contains("${")
                    {
                        approximate = true;
                        let (filled, keys) = fill_variables(&text, filler);
                        for k in keys {
                            if !variables.iter().any(|x| x.eq_ignore_ascii_case(&k)) {
                                variables.push(k);
                            }
                        }
                        text = filled;
                    }
                    compared.push(Compared {
                        text,
                        family: op.family,
                        wild: op.wildcards || op.family == OperatorFamily::Arn,
                        ignore_case: op.base.contains("IgnoreCase"),
                    });
                }
            }
        }
    }
    let mut families: Vec<OperatorFamily> = compared.iter().map(|c| c.family).collect();
    families.dedup();
    families.sort_by_key(|f| f.as_str());
    families.dedup();
    if families.len() > 1 {
        approximate = true;
    }
    let mut atoms: Vec<String> = Vec::new();
    for family in &families {
        let of: Vec<&Compared> = compared.iter().filter(|c| c.family == *family).collect();
        let texts: Vec<&str> = of.iter().map(|c| c.text.as_str()).collect();
        match family {
            OperatorFamily::Numeric => atoms.extend(numeric_atoms(&texts)),
            OperatorFamily::Date => atoms.extend(date_atoms(&texts)),
            OperatorFamily::IpAddress => atoms.extend(ip_atoms(&texts)),
            OperatorFamily::String | OperatorFamily::Arn => {
                atoms.extend(pattern_atoms(
                    &of,
                    *family == OperatorFamily::Arn,
                    &mut approximate,
                ));
            }
            OperatorFamily::Bool => {
                // A key AWS types as Bool carries `true` or `false`; any other key may carry
                // text that no Bool operator matches.
                let typed = aws
                    .condition_key(key)
                    .and_then(|k| k.key_type)
                    .is_some_and(|t| t.base() == KeyType::Bool);
                if !typed {
                    atoms.push("not-a-bool".into());
                }
            }
            OperatorFamily::Binary | OperatorFamily::Null => {}
        }
    }
    let mut cases = base;
    for a in atoms {
        if !cases.iter().any(|c| c.value() == Some(a.as_str())) {
            cases.push(Case::Other(a));
        }
    }
    let wrap = |v: &str| {
        if multivalued {
            ContextValue::Many(vec![v.to_string()])
        } else {
            ContextValue::One(v.to_string())
        }
    };
    let mut values: Vec<Option<ContextValue>> = cases.iter().map(|c| c.value().map(wrap)).collect();
    if multivalued {
        // One value per class of values the conditions tell apart.
        let mut members: Vec<(Vec<bool>, String)> = Vec::new();
        for c in &cases {
            let Some(v) = c.value() else { continue };
            let sig = signature(key, v, stmts);
            if !members.iter().any(|(s, _)| *s == sig) {
                members.push((sig, v.to_string()));
            }
        }
        let members: Vec<String> = members.into_iter().map(|(_, v)| v).collect();
        let mut sets: Vec<Vec<String>> = vec![Vec::new()];
        if members.len() <= MAX_SET_MEMBERS {
            for mask in 1u32..(1 << members.len()) {
                if mask.count_ones() >= 2 {
                    sets.push(
                        (0..members.len())
                            .filter(|i| mask & (1 << i) != 0)
                            .map(|i| members[i].clone())
                            .collect(),
                    );
                }
            }
        } else {
            approximate = true;
            for i in 0..members.len() {
                for j in i + 1..members.len() {
                    sets.push(vec![members[i].clone(), members[j].clone()]);
                }
            }
        }
        for set in sets {
            cases.push(Case::Other(format!("[{}]", set.join(", "))));
            values.push(Some(ContextValue::Many(set)));
        }
    }
    Plan {
        cases,
        values,
        multivalued,
        approximate,
        variables,
    }
}

/// Whether each condition on `key` holds for the single value `v` (as a set member for the
/// set operators): the evaluator's own answer, so values that agree here are decided alike.
fn signature(key: &str, v: &str, stmts: &[(&str, usize, &Statement)]) -> Vec<bool> {
    let ctx = Context::new().with(key, v);
    let mut out = Vec::new();
    for (_, _, s) in stmts {
        for c in &s.condition {
            if !c
                .entries
                .iter()
                .any(|e| e.key.value.eq_ignore_ascii_case(key))
            {
                continue;
            }
            for o in clause(c, &ctx, true, &mut Vec::new()) {
                if o.key.eq_ignore_ascii_case(key) {
                    out.push(o.matched);
                }
            }
        }
    }
    out
}

/// `text` with each policy variable replaced by `filler` (escapes by their character), and the
/// variables' keys.
fn fill_variables(text: &str, filler: &str) -> (String, Vec<String>) {
    let mut keys = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 2..open + close];
        match inner {
            "*" | "?" | "$" => out.push_str(inner),
            _ => {
                let key = inner.split(',').next().unwrap_or("").trim();
                if !key.is_empty() {
                    keys.push(key.to_string());
                }
                out.push_str(filler);
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    (out, keys)
}

/// Below, at, between and above the compared numbers; and no number.
fn numeric_atoms(texts: &[&str]) -> Vec<String> {
    let mut xs: Vec<f64> = texts
        .iter()
        .filter_map(|t| t.parse::<f64>().ok())
        .filter(|x| x.is_finite())
        .collect();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.dedup();
    let mut out: Vec<f64> = Vec::new();
    if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
        out.push(first - 1.0);
        out.push(last + 1.0);
    }
    for w in xs.windows(2) {
        let mid = w[0] / 2.0 + w[1] / 2.0;
        if mid > w[0] && mid < w[1] {
            out.push(mid);
        }
    }
    out.extend(xs.iter().copied());
    let mut atoms: Vec<String> = out.into_iter().map(|x| format!("{x}")).collect();
    atoms.push("not-a-number".into());
    atoms
}

/// Below, at, between and above the compared dates (to the millisecond); and no date.
fn date_atoms(texts: &[&str]) -> Vec<String> {
    let mut xs: Vec<i64> = texts.iter().filter_map(|t| date_millis(t)).collect();
    xs.sort_unstable();
    xs.dedup();
    let mut out: Vec<i64> = Vec::new();
    if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
        out.push(first - 1000);
        out.push(last + 1000);
    }
    for w in xs.windows(2) {
        if w[1] - w[0] > 1 {
            out.push(w[0] + (w[1] - w[0]) / 2);
        }
    }
    out.extend(xs.iter().copied());
    let mut atoms: Vec<String> = out.into_iter().filter_map(iso_date).collect();
    atoms.push("not-a-date".into());
    atoms
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (years 0 to 9999).
fn iso_date(millis: i64) -> Option<String> {
    let days = millis.div_euclid(86_400_000);
    let rest = millis.rem_euclid(86_400_000);
    // H. Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let (h, mi, s, ms) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z"
    ))
}

/// Each range's bounds and the addresses just outside them, an address of each family, and no
/// address.
fn ip_atoms(texts: &[&str]) -> Vec<String> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let mut out: Vec<String> = vec![
        "192.0.2.1".into(),
        "2001:db8:ffff::1".into(),
        "not-an-ip".into(),
    ];
    for t in texts {
        let (net, bits) = match t.split_once('/') {
            Some((n, b)) => (n.parse::<IpAddr>().ok(), b.parse::<u32>().ok()),
            None => (t.parse::<IpAddr>().ok(), None),
        };
        let Some(net) = net else { continue };
        let (n, width, v6) = match net {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32, false),
            IpAddr::V6(a) => (u128::from(a), 128, true),
        };
        let bits = bits.unwrap_or(width).min(width);
        let host = width - bits;
        let mask = if host == 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
        let (start, end) = (n & !mask, (n | mask) & max);
        let mut points = vec![start, end];
        if start > 0 {
            points.push(start - 1);
        }
        if end < max {
            points.push(end + 1);
        }
        for p in points {
            out.push(if v6 {
                Ipv6Addr::from(p).to_string()
            } else {
                Ipv4Addr::from(p as u32).to_string()
            });
        }
    }
    out
}

/// Values for string and ARN patterns (see the module's comment). Sets `approximate` where
/// they may not stand for every value.
fn pattern_atoms(of: &[&Compared], arn: bool, approximate: &mut bool) -> Vec<String> {
    let mut atoms: Vec<String> = Vec::new();
    // The patterns, as globs: a literal value holding `*` or `?` cannot be written as one.
    let mut globs: Vec<String> = Vec::new();
    let any_wild = of.iter().any(|c| c.wild);
    for c in of {
        if !c.wild && c.text.contains(['*', '?']) {
            *approximate = true;
            atoms.push(c.text.clone());
            continue;
        }
        if !globs.contains(&c.text) {
            globs.push(c.text.clone());
        }
    }
    // Case-insensitive equality: the value's other casings.
    let exact: Vec<&str> = of
        .iter()
        .filter(|c| !c.ignore_case)
        .map(|c| c.text.as_str())
        .collect();
    for c in of.iter().filter(|c| c.ignore_case) {
        if any_wild {
            *approximate = true;
        }
        let t = &c.text;
        let mut first_up = t.to_lowercase();
        if let Some(ch) = first_up.chars().next() {
            first_up.replace_range(..ch.len_utf8(), &ch.to_uppercase().to_string());
        }
        let variants = [t.to_uppercase(), t.to_lowercase(), first_up];
        if t.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && variants.iter().all(|v| exact.contains(&v.as_str()))
        {
            *approximate = true;
        }
        atoms.extend(variants);
    }
    let matches = |p: &str, s: &str| -> bool {
        if arn {
            if !s.starts_with("arn:") || s.splitn(6, ':').count() < 6 {
                return false;
            }
            let how = Reading {
                variables: false,
                wildcards: true,
            };
            resolve(p, &Context::new(), how, &mut Vec::new()).is_some_and(|t| arn_matches(&t, s))
        } else {
            wildcard::matches(p, s)
        }
    };
    let covers = |outer: &str, inner: &str| -> bool {
        if arn {
            arn_covers(outer, inner)
        } else {
            wildcard::covers(outer, inner)
        }
    };
    // A value inside `region` matched by exactly the globs that cover `region`.
    let generic = |region: &str, atoms: &mut Vec<String>, approximate: &mut bool| {
        const FILLERS: [(&str, char); 4] = [
            ("example", 'x'),
            ("mdbook-iam-7", 'q'),
            ("z", 'z'),
            ("", '0'),
        ];
        let found = FILLERS
            .iter()
            .map(|(f, one)| instantiate(region, f, *one))
            .find(|v| globs.iter().all(|g| !matches(g, v) || covers(g, region)));
        match found {
            Some(v) => atoms.push(v),
            None => {
                *approximate = true;
                atoms.push(instantiate(region, "example", 'x'));
            }
        }
    };
    for g in &globs {
        generic(g, &mut atoms, approximate);
    }
    let mut overlaps = 0;
    for i in 0..globs.len() {
        for j in i + 1..globs.len() {
            let (a, b) = (&globs[i], &globs[j]);
            if super::space::literally_disjoint(a, b) || covers(a, b) || covers(b, a) {
                continue;
            }
            let parts = if arn {
                algebra::arn_intersect(a, b, MAX_OVERLAP_GLOBS)
            } else {
                algebra::intersect(a, b, MAX_OVERLAP_GLOBS)
            };
            let Some(parts) = parts else {
                *approximate = true;
                continue;
            };
            if parts.is_empty() {
                continue;
            }
            overlaps += 1;
            // A third pattern inside both may split the overlap in a way its globs miss.
            if globs
                .iter()
                .enumerate()
                .any(|(k, g)| k != i && k != j && covers(a, g) && covers(b, g))
            {
                *approximate = true;
            }
            for p in parts {
                generic(&p, &mut atoms, approximate);
            }
        }
    }
    if overlaps > 1 {
        *approximate = true;
    }
    // Outside every pattern (any casing, for the case-insensitive operators).
    let outside = if arn {
        [
            "arn:aws:iam::000000000000:role/mdbook-iam-other",
            "arn:aws-cn:sns:cn-north-1:999988887777:q",
        ]
    } else {
        ["other-value", "mdbook-iam-other-9"]
    };
    match outside.iter().find(|v| {
        globs
            .iter()
            .all(|g| !matches(g, v) && !wildcard::matches_ignore_case(g, v))
    }) {
        Some(v) => atoms.push(v.to_string()),
        None => *approximate = true,
    }
    if arn {
        atoms.push("not-an-arn".into());
    }
    atoms
}

/// One value of a glob: `*` becomes `filler`, `?` the character `one`.
fn instantiate(glob: &str, filler: &str, one: char) -> String {
    let mut out = String::with_capacity(glob.len() + filler.len());
    for c in glob.chars() {
        match c {
            '*' => out.push_str(filler),
            '?' => out.push(one),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_back_as_iso() {
        let ms = date_millis("2020-01-01T00:00:00Z").unwrap();
        assert_eq!(iso_date(ms).unwrap(), "2020-01-01T00:00:00.000Z");
        assert_eq!(date_millis(&iso_date(ms + 1).unwrap()), Some(ms + 1));
        let ms = date_millis("1999-12-31T23:59:59.999Z").unwrap();
        assert_eq!(iso_date(ms).unwrap(), "1999-12-31T23:59:59.999Z");
    }

    #[test]
    fn numbers_and_addresses_reach_every_interval() {
        let n = numeric_atoms(&["10", "5"]);
        for want in ["4", "5", "7.5", "10", "11", "not-a-number"] {
            assert!(n.iter().any(|x| x == want), "{want} in {n:?}");
        }
        let ip = ip_atoms(&["10.0.0.0/8"]);
        for want in ["9.255.255.255", "10.0.0.0", "10.255.255.255", "11.0.0.0"] {
            assert!(ip.iter().any(|x| x == want), "{want} in {ip:?}");
        }
    }
}
