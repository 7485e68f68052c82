//! Whether a statement's Action, Resource and Principal cover a request. Actions match
//! case-insensitively with `*` and `?`; ARNs match field by field (a wildcard in one field does
//! not reach into the next), case-sensitively; principals by kind: an account covers every
//! principal of it, a role covers its sessions, `*` covers everyone, anonymous callers included.
//! (IAM User Guide, "IAM JSON policy elements": Action, NotAction, Resource, NotResource,
//! Principal, NotPrincipal; "Amazon Resource Name (ARN) condition operators".)

use super::request::{Context, Principal as Who};
use super::variables::{Reading, Tok, resolve};
use crate::iam::wildcard::{Sym, covers_symbols, intersects_symbols, symbols};
use crate::policy::{Principal, PrincipalElement, Targets};

/// `*`/`?` matching of resolved tokens against text; a linear scan with one backtrack point,
/// as in `crate::wildcard`, but over tokens because resolved variables are literal text.
pub fn tokens_match(pattern: &[Tok], text: &str, ignore_case: bool) -> bool {
    if text.is_ascii() {
        // The common case needs no character vector.
        let eq = |a: char, b: u8| {
            if ignore_case {
                a.eq_ignore_ascii_case(&char::from(b))
            } else {
                a == char::from(b)
            }
        };
        return scan(pattern, text.as_bytes(), eq);
    }
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            a == b || a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    scan(pattern, &t, eq)
}

fn scan<T: Copy>(pattern: &[Tok], t: &[T], eq: impl Fn(char, T) -> bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while ti < t.len() {
        match pattern.get(pi) {
            Some(Tok::One) => {
                pi += 1;
                ti += 1;
                continue;
            }
            Some(Tok::Lit(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
                continue;
            }
            Some(Tok::Star) => {
                resume = Some((pi, ti));
                pi += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((at, matched)) => {
                pi = at + 1;
                ti = matched + 1;
                resume = Some((at, matched + 1));
            }
            None => return false,
        }
    }
    pattern[pi..].iter().all(|t| *t == Tok::Star)
}

/// Whether an Action / NotAction element covers the action.
pub fn action_matches(targets: &Targets, action: &str) -> bool {
    let hit = targets
        .list
        .items
        .iter()
        .any(|p| crate::iam::wildcard::matches_ignore_case(&p.value, action));
    hit != targets.negated
}

/// Splits at the first five colons: the six fields of an ARN.
fn six<T: Copy>(items: &[T], is_colon: impl Fn(T) -> bool) -> Option<Vec<&[T]>> {
    let mut out = Vec::with_capacity(6);
    let mut start = 0;
    for (i, &x) in items.iter().enumerate() {
        if out.len() == 5 {
            break;
        }
        if is_colon(x) {
            out.push(&items[start..i]);
            start = i + 1;
        }
    }
    if out.len() < 5 {
        return None;
    }
    out.push(&items[start..]);
    Some(out)
}

/// Whether a resolved ARN pattern matches an ARN, field by field. A pattern of stars alone
/// matches everything; other patterns without six fields match no ARN. Text that is no ARN (`*`,
/// for actions that take no resource) is matched as a whole.
pub fn arn_matches(pattern: &[Tok], arn: &str) -> bool {
    if pattern.iter().all(|t| *t == Tok::Star) {
        return true;
    }
    let chars: Vec<char> = arn.chars().collect();
    let Some(t) = six(&chars, |c| c == ':') else {
        return tokens_match(pattern, arn, false);
    };
    let Some(p) = six(pattern, |t| t == Tok::Lit(':')) else {
        return false;
    };
    p.iter().zip(&t).all(|(pf, tf)| {
        let field: String = tf.iter().collect();
        tokens_match(pf, &field, false)
    })
}

fn symbol(t: &Tok) -> Sym {
    match *t {
        Tok::Lit(c) => Sym::Lit(c),
        Tok::Star => Sym::Star,
        Tok::One => Sym::One,
    }
}

/// The symbols of resolved tokens (a `*` a variable put in stays literal).
pub fn symbols_of(tokens: &[Tok]) -> Vec<Sym> {
    tokens.iter().map(symbol).collect()
}

fn all_stars(p: &[Sym]) -> bool {
    p.iter().all(|s| *s == Sym::Star)
}

/// Whether every ARN (or other resource text) the pattern `inner` matches, as [`arn_matches`]
/// reads patterns, is matched by `outer`. Field by field, as `arn_matches`: a pattern of stars
/// alone covers everything; the first five fields of an ARN hold no colon, so a wildcard there
/// does not reach into the next field; a pattern without six fields matches text without them
/// (fewer than five colons) as a whole. Exact.
pub fn arn_covers(outer: &str, inner: &str) -> bool {
    arn_covers_symbols(&symbols(outer), &symbols(inner))
}

/// Whether some ARN (or other resource text) is matched by both patterns, as [`arn_matches`]
/// reads them. Exact.
pub fn arn_intersects(a: &str, b: &str) -> bool {
    arn_intersects_symbols(&symbols(a), &symbols(b))
}

/// [`arn_covers`] over symbols.
pub fn arn_covers_symbols(outer: &[Sym], inner: &[Sym]) -> bool {
    if all_stars(outer) {
        return true;
    }
    if all_stars(inner) {
        return false;
    }
    match (
        six(outer, |s| s == Sym::Lit(':')),
        six(inner, |s| s == Sym::Lit(':')),
    ) {
        (Some(o), Some(i)) => o
            .iter()
            .zip(&i)
            .enumerate()
            .all(|(k, (of, inf))| covers_symbols(of, inf, (k < 5).then_some(0))),
        (None, None) => covers_symbols(outer, inner, Some(4)),
        _ => false,
    }
}

/// [`arn_intersects`] over symbols.
pub fn arn_intersects_symbols(a: &[Sym], b: &[Sym]) -> bool {
    if all_stars(a) || all_stars(b) {
        return true;
    }
    match (
        six(a, |s| s == Sym::Lit(':')),
        six(b, |s| s == Sym::Lit(':')),
    ) {
        (Some(x), Some(y)) => x
            .iter()
            .zip(&y)
            .enumerate()
            .all(|(k, (xf, yf))| intersects_symbols(xf, yf, (k < 5).then_some(0))),
        (None, None) => intersects_symbols(a, b, Some(4)),
        _ => false,
    }
}

/// Whether a Resource / NotResource element covers the resource (`*` for an action that takes no
/// resource). Variables in an entry are resolved first; an entry that does not resolve matches
/// nothing (and a NotResource holding one does not apply). Keys that variables needed and the request lacked are added to `missing`.
pub fn resource_matches(
    targets: &Targets,
    resource: &str,
    ctx: &Context,
    variables: bool,
    missing: &mut Vec<String>,
) -> bool {
    let how = Reading {
        variables,
        wildcards: true,
    };
    if !targets.negated && targets.list.items.iter().any(|p| p.value == "*") {
        return true;
    }
    let mut unresolved = false;
    let mut hit = false;
    for p in &targets.list.items {
        match resolve(&p.value, ctx, how, missing) {
            Some(toks) => hit = hit || arn_matches(&toks, resource),
            None => unresolved = true,
        }
    }
    // An entry whose variable has no value matches nothing, and never makes the element hold: a
    // NotResource with such an entry does not apply ("If AWS cannot resolve a variable this might
    // cause the entire statement to be invalid", IAM User Guide, "IAM policy elements: Variables
    // and tags").
    if targets.negated {
        !hit && !unresolved
    } else {
        hit
    }
}

/// Whether a Resource / NotResource element applies to a request whose resource is a pattern
/// (`arn:aws:s3:::example-bucket/*`): a question about the set of resources the pattern matches,
/// allowed when some member is allowed and denied only when every member is. So an Allow's
/// Resource applies when one of its entries shares a resource with the pattern, a Deny's only when
/// one entry covers the whole pattern; an Allow's NotResource applies when no entry covers the
/// whole pattern (some member lies outside it), a Deny's NotResource only when no entry shares a
/// resource with it (every member lies outside). Entries are taken one at a time: a Deny whose
/// entries cover the pattern only together does not apply. Variables resolve as in
/// [`resource_matches`]; an entry that does not resolve matches nothing, and a NotResource
/// holding one does not apply.
pub fn resource_pattern_matches(
    targets: &Targets,
    pattern: &str,
    allow: bool,
    ctx: &Context,
    variables: bool,
    missing: &mut Vec<String>,
) -> bool {
    let how = Reading {
        variables,
        wildcards: true,
    };
    let requested = symbols(pattern);
    let mut unresolved = false;
    let mut hit = false;
    for p in &targets.list.items {
        let Some(toks) = resolve(&p.value, ctx, how, missing) else {
            unresolved = true;
            continue;
        };
        let entry = symbols_of(&toks);
        // Resource of an Allow, NotResource of a Deny: does the entry share a resource with the
        // pattern? Resource of a Deny, NotResource of an Allow: does it cover the pattern?
        let shares = allow != targets.negated;
        hit = hit
            || if shares {
                arn_intersects_symbols(&entry, &requested)
            } else {
                arn_covers_symbols(&entry, &requested)
            };
    }
    if targets.negated {
        !hit && !unresolved
    } else {
        hit
    }
}

/// How a Principal element names the request's principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    No,
    /// Through the principal's account (`"AWS": "111122223333"` or its root ARN): in the same
    /// account this delegates to the account's identity policies.
    Account,
    /// Through `*`, which names no one in particular: in the same account, the principal's
    /// permissions boundary and session policy still limit it.
    Any,
    /// Through the role a session belongs to (the role's ARN): in the same account, the
    /// session's permissions boundary and session policy still limit it.
    Role,
    /// The principal itself: its ARN, its service or provider.
    Direct,
}

/// How one `AWS` entry of a Principal element names the request's principal.
fn aws_entry(entry: &str, who: &Who) -> PrincipalMatch {
    if entry == "*" {
        return PrincipalMatch::Any;
    }
    let Some(account) = who.account() else {
        return PrincipalMatch::No;
    };
    let entry_account = if entry.len() == 12 && entry.bytes().all(|c| c.is_ascii_digit()) {
        Some(entry)
    } else {
        entry
            .strip_prefix("arn:")
            .and_then(|r| r.split_once(":iam::"))
            .and_then(|(_, r)| r.strip_suffix(":root"))
    };
    if let Some(a) = entry_account {
        return if a == account {
            if matches!(who, Who::Root { .. }) {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::Account
            }
        } else {
            PrincipalMatch::No
        };
    }
    match who {
        Who::User { arn, .. } | Who::FederatedUser { arn, .. } | Who::AssumedRole { arn, .. }
            if entry == arn =>
        {
            PrincipalMatch::Direct
        }
        Who::Role {
            arn, account, name, ..
        } if entry == arn || role_named(entry, account, name) => PrincipalMatch::Role,
        Who::AssumedRole {
            account, role_name, ..
        } if role_named(entry, account, role_name) => PrincipalMatch::Role,
        _ => PrincipalMatch::No,
    }
}

/// Whether `entry` is the ARN of the role `name` in `account`, whatever its path (a session ARN
/// carries the role's name, not its path).
fn role_named(entry: &str, account: &str, name: &str) -> bool {
    let Some(rest) = entry.strip_prefix("arn:") else {
        return false;
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [_, "iam", "", a, resource] = parts[..] else {
        return false;
    };
    a == account
        && resource
            .strip_prefix("role/")
            .is_some_and(|r| r.rsplit('/').next() == Some(name))
}

/// How a Principal / NotPrincipal element names the request's principal. For NotPrincipal, the
/// statement applies to the principal when this is `No` (see `applies_to`).
pub fn principal_match(element: &PrincipalElement, who: &Who) -> PrincipalMatch {
    match &element.principal {
        Principal::Any(_) => PrincipalMatch::Any,
        Principal::Map(entries) => {
            let mut best = PrincipalMatch::No;
            for (kind, ids) in entries {
                for id in &ids.items {
                    let m = match kind.value.as_str() {
                        "AWS" => aws_entry(&id.value, who),
                        "Service" => match who {
                            Who::Service(s) if s.eq_ignore_ascii_case(&id.value) => {
                                PrincipalMatch::Direct
                            }
                            _ if id.value == "*" => PrincipalMatch::Any,
                            _ => PrincipalMatch::No,
                        },
                        "Federated" => match who {
                            Who::Federated(s) if *s == id.value => PrincipalMatch::Direct,
                            _ => PrincipalMatch::No,
                        },
                        _ => PrincipalMatch::No,
                    };
                    best = best.max(m);
                }
            }
            best
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::variables::Reading;

    fn toks(s: &str) -> Vec<Tok> {
        let how = Reading {
            variables: true,
            wildcards: true,
        };
        resolve(s, &Context::new(), how, &mut Vec::new()).unwrap()
    }

    // IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive.
    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        let t = |items: &[&str], negated: bool| Targets {
            negated,
            list: crate::policy::List {
                items: items
                    .iter()
                    .map(|s| {
                        crate::source::Spanned::new(s.to_string(), crate::source::Span::generated())
                    })
                    .collect(),
                written_as_array: true,
                span: crate::source::Span::generated(),
            },
        };
        assert!(action_matches(&t(&["s3:get*"], false), "s3:GetObject"));
        assert!(action_matches(&t(&["S3:?etObject"], false), "s3:GetObject"));
        assert!(!action_matches(&t(&["s3:Put*"], false), "s3:GetObject"));
        assert!(!action_matches(&t(&["s3:*"], true), "s3:GetObject"));
        assert!(action_matches(&t(&["iam:*"], true), "s3:GetObject"));
    }

    // IAM User Guide, ARN condition operators: "Each of the six colon-delimited components of the
    // ARN is checked separately".
    #[test]
    fn arns_match_field_by_field() {
        assert!(arn_matches(&toks("arn:aws:s3:::b/*"), "arn:aws:s3:::b/x/y"));
        assert!(arn_matches(
            &toks("arn:aws:sqs:*:*:q"),
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        // `*` in the region field does not reach into the account field.
        assert!(!arn_matches(
            &toks("arn:aws:sqs:*:q"),
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        assert!(arn_matches(&toks("*"), "arn:aws:s3:::b"));
        assert!(!arn_matches(&toks("arn:aws:s3:::B"), "arn:aws:s3:::b"));
        // An action that takes no resource is matched against `*` itself.
        assert!(arn_matches(&toks("*"), "*"));
        assert!(!arn_matches(&toks("arn:aws:s3:::*"), "*"));
    }

    #[test]
    fn principals_match_by_kind() {
        let el = |json: &str| {
            let file = crate::source::SourceFile::new(
                "p.json",
                format!(
                    r#"{{"Effect":"Allow","Principal":{json},"Action":"s3:GetObject","Resource":"*"}}"#
                ),
            );
            let v = crate::json::parse(&file).unwrap();
            crate::policy::Statement::read(&v, crate::policy::PolicyKind::Resource)
                .value
                .unwrap()
                .principal
                .unwrap()
        };
        let session = Who::parse("arn:aws:sts::111122223333:assumed-role/Reader/s").unwrap();
        let user = Who::parse("arn:aws:iam::111122223333:user/u").unwrap();
        let role = el(r#"{"AWS":"arn:aws:iam::111122223333:role/team/Reader"}"#);
        assert_eq!(principal_match(&role, &session), PrincipalMatch::Role);
        assert_eq!(principal_match(&role, &user), PrincipalMatch::No);
        let account = el(r#"{"AWS":"111122223333"}"#);
        assert_eq!(principal_match(&account, &session), PrincipalMatch::Account);
        assert_eq!(
            principal_match(&account, &Who::Anonymous),
            PrincipalMatch::No
        );
        assert_eq!(
            principal_match(&el(r#""*""#), &Who::Anonymous),
            PrincipalMatch::Any
        );
        let svc = el(r#"{"Service":"cloudtrail.amazonaws.com"}"#);
        assert_eq!(
            principal_match(&svc, &Who::Service("cloudtrail.amazonaws.com".into())),
            PrincipalMatch::Direct
        );
        assert_eq!(principal_match(&svc, &user), PrincipalMatch::No);
    }

    // The ARN-level algebra against its definition through `arn_matches`: random patterns built
    // from small fields, against every text built from the same small fields.
    #[test]
    fn arn_covers_and_intersects_agree_with_arn_matches() {
        // Small fields, and texts rich enough to hold a string telling any two of them apart.
        let fields = ["", "a", "b", "*", "?", "a*"];
        let last = ["", "a", "*", "a:*", "*:b", "?", "a:b", ":"];
        let text_fields = ["", "a", "b", "ab"];
        let text_last = ["", "a", "b", "a:b", ":", "ab", ":b", "b:b", "a:"];
        let mut texts: Vec<String> = Vec::new();
        let build = |choice: &mut dyn FnMut(usize, usize) -> usize, f: &[&str], l: &[&str]| {
            let mut parts = Vec::new();
            for k in 0..5 {
                parts.push(f[choice(k, f.len())]);
            }
            parts.push(l[choice(5, l.len())]);
            parts.join(":")
        };
        for n in 0..4usize.pow(5) * text_last.len() {
            let mut rest = n;
            let mut pick = |_k: usize, len: usize| {
                let v = rest % len;
                rest /= len;
                v
            };
            texts.push(build(&mut pick, &text_fields, &text_last));
        }
        // Text that is no ARN, matched whole.
        let mut short = vec![String::new()];
        for _ in 0..4 {
            short = short
                .iter()
                .flat_map(|s| ["a", "b", ":"].map(|c| format!("{s}{c}")))
                .collect();
            texts.extend(short.iter().cloned());
        }
        texts.extend(["", "*", "a:b:c:d", "::::", "a:b:c:d:"].map(String::from));
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut random = |len: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % len as u64) as usize
        };
        let mut patterns: Vec<String> = ["*", "**", "a", "a*", "*:*", "a:*", "::::*", "?"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for _ in 0..120 {
            let mut pick = |_k: usize, len: usize| random(len);
            patterns.push(build(&mut pick, &fields, &last));
        }
        let lang: Vec<Vec<u64>> = patterns
            .iter()
            .map(|p| {
                let p = toks(p);
                let mut bits = vec![0u64; texts.len() / 64 + 1];
                for (k, t) in texts.iter().enumerate() {
                    if arn_matches(&p, t) {
                        bits[k / 64] |= 1 << (k % 64);
                    }
                }
                bits
            })
            .collect();
        for (x, lx) in patterns.iter().zip(&lang) {
            for (y, ly) in patterns.iter().zip(&lang) {
                let subset = ly.iter().zip(lx).all(|(b, a)| b & !a == 0);
                let meet = ly.iter().zip(lx).any(|(b, a)| b & a != 0);
                assert_eq!(arn_covers(x, y), subset, "arn_covers({x:?}, {y:?})");
                assert_eq!(arn_intersects(x, y), meet, "arn_intersects({x:?}, {y:?})");
            }
        }
    }

    #[test]
    fn arn_patterns_stay_in_their_fields() {
        assert!(arn_covers(
            "arn:aws:s3:::*",
            "arn:aws:s3:::example-bucket/*"
        ));
        assert!(!arn_covers(
            "arn:aws:s3:::example-bucket/*",
            "arn:aws:s3:::*"
        ));
        assert!(arn_intersects(
            "arn:aws:s3:::*/AWSLogs/*",
            "arn:aws:s3:::example-bucket/*"
        ));
        assert!(!arn_intersects("arn:aws:s3:::a/*", "arn:aws:s3:::b/*"));
        // `*` in the region does not reach into the account field.
        assert!(!arn_intersects(
            "arn:aws:sqs:*:q",
            "arn:aws:sqs:us-east-1:111122223333:q"
        ));
        assert!(arn_covers(
            "arn:aws:sqs:*:*:*",
            "arn:aws:sqs:us-*:111122223333:q?"
        ));
        assert!(arn_covers("*", "arn:aws:s3:::b/*"));
        assert!(!arn_covers("arn:aws:s3:::*", "*"));
        assert!(arn_intersects("arn:aws:s3:::*", "*"));
        assert!(arn_covers(
            "arn:aws:iam::*:role/aws-service-role/*",
            "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/R"
        ));
        // Non-ARN text is compared whole.
        assert!(arn_covers("*", "*"));
        assert!(!arn_intersects("a*", "arn:aws:s3:::*"));
    }
}
