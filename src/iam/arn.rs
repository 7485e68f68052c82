//! ARNs: the partitions, the six fields (read once, here), Region and account shapes, and
//! matching a policy's ARN against the ARN patterns of AWS's resource types.

use crate::iam::wildcard;

/// The partitions AWS has, for `arn:PARTITION:...`.
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// An ARN split into its six fields. Colons inside policy variables do not split.
#[derive(Debug, PartialEq, Eq)]
pub struct Arn<'t> {
    pub partition: &'t str,
    pub service: &'t str,
    pub region: &'t str,
    pub account: &'t str,
    pub resource: &'t str,
}

/// What is missing from a string that should be an ARN.
#[derive(Debug, PartialEq, Eq)]
pub enum ArnError {
    NoPrefix,
    MissingField(&'static str),
}

pub fn parse_arn(text: &str) -> Result<Arn<'_>, ArnError> {
    let mut fields = Vec::with_capacity(6);
    let mut start = 0;
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() && fields.len() < 5 {
        if b[i] == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(close) = text[i..].find('}')
        {
            i += close + 1;
            continue;
        }
        if b[i] == b':' {
            fields.push(&text[start..i]);
            start = i + 1;
        }
        i += 1;
    }
    if fields.first() != Some(&"arn") {
        return Err(ArnError::NoPrefix);
    }
    if fields.len() < 5 {
        return Err(ArnError::MissingField(
            ["partition", "service", "region", "account", "resource"][fields.len().min(4)],
        ));
    }
    let arn = Arn {
        partition: fields[1],
        service: fields[2],
        region: fields[3],
        account: fields[4],
        resource: &text[start..],
    };
    if arn.partition.is_empty() {
        return Err(ArnError::MissingField("partition"));
    }
    if arn.service.is_empty() {
        return Err(ArnError::MissingField("service"));
    }
    Ok(arn)
}

/// The six fields of an ARN, as messages name them.
pub const FIELD_NAMES: [&str; 6] = [
    "arn",
    "partition",
    "service",
    "Region",
    "account",
    "resource",
];

/// What is wrong with an ARN that [`parse_arn`] refused for a missing field, as a message and
/// a help text that say which field is missing. An ARN with five fields has almost always lost
/// its account (`arn:aws:iam::user/${aws:username}`: the resource follows the Region field).
///
/// ARN format: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>.
pub fn missing_field_message(text: &str, field: &str) -> (String, String) {
    let count = colons_outside_variables(text) + 1;
    let six = "an ARN has six fields, `arn:partition:service:region:account:resource`; the Region and account may be empty";
    if count >= 6 {
        // All six are there and one that may not be empty is.
        return (
            format!("the {field} field of the ARN `{text}` is empty"),
            six.to_string(),
        );
    }
    if count == 5 {
        let mut parts: Vec<&str> = text.splitn(5, ':').collect();
        let resource = parts.pop().unwrap_or_default();
        let head = parts.join(":");
        return (
            format!(
                "the ARN `{text}` has five fields, not six: the account field is missing (the resource `{resource}` follows the Region field)"
            ),
            format!(
                "write the account ID before the resource, `{head}:123456789012:{resource}`, or `{head}::{resource}` for a service whose ARNs have no account ({six})"
            ),
        );
    }
    let present = FIELD_NAMES[..count].join(", ");
    let missing = match &FIELD_NAMES[count..] {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    (
        format!(
            "the ARN `{text}` has {count} of the six fields ({present}): {} missing",
            if count == 5 {
                format!("the {missing} field is")
            } else {
                format!("the {missing} fields are")
            }
        ),
        six.to_string(),
    )
}

/// `us-east-1`, `us-gov-west-1`, `cn-northwest-1`, `eu-isoe-west-1`, `eusc-de-east-1`.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && (2..=4).contains(&parts[0].len())
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].len() <= 2
        && parts[parts.len() - 1].bytes().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

pub fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())
}

pub fn partition_ok(p: &str) -> bool {
    if p.contains("${") {
        return true;
    }
    if p.contains(['*', '?']) {
        return PARTITIONS.iter().any(|k| wildcard::matches(p, k));
    }
    PARTITIONS.contains(&p)
}

/// Whether a policy's resource ARN can name a resource matching an ARN pattern from
/// AWS's data (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
///
/// In the pattern, a `${Var}` matches a non-empty run of characters: within the
/// partition, service, region and account fields it cannot contain ':'; in the resource
/// part it can contain anything, '/' and ':' included; a literal `*` in the pattern
/// matches any run. In the ARN, `*` matches any run, `?` one character, and a policy
/// variable such as `${aws:username}` any run (`${*}`, `${?}`, `${$}` are the literal
/// characters); before the resource part, a wildcard stays within its field, as the policy's
/// author meant it (`arn:aws:ec2:*:*:volume/*` names volumes, nothing else). Literal text is compared case-sensitively. The ARN matches when some
/// resource name fits both.
pub fn matches_resource_type(arn: &str, pattern: &str) -> bool {
    matches_with_tail(arn, pattern, false)
}

/// The service field of an ARN when it is plain text (no wildcard, no variable), else `None`.
pub fn plain_service(arn: &str) -> Option<&str> {
    let mut fields = arn.splitn(4, ':');
    let (Some(_), Some(_), Some(service), Some(_)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    (!service.contains(['*', '?', '$'])).then_some(service)
}

/// A quick "no" for the common cases: plain-text service fields that differ, or resource
/// parts whose plain-text beginnings differ (`role/` against `user/`).
fn cheap_mismatch(arn: &str, pattern: &str) -> bool {
    // Split with memchr: this runs for every resource against every pattern a check meets.
    fn six(s: &str) -> Option<[&str; 6]> {
        let mut out = [""; 6];
        let mut rest = s;
        for slot in out.iter_mut().take(5) {
            let at = memchr::memchr(b':', rest.as_bytes())?;
            *slot = &rest[..at];
            rest = &rest[at + 1..];
        }
        out[5] = rest;
        Some(out)
    }
    let (Some(a), Some(p)) = (six(arn), six(pattern)) else {
        return false;
    };
    // A variable before the resource part could hold a ':' and shift the fields.
    if a[..5].iter().any(|f| f.contains('$')) {
        return false;
    }
    if !a[2].contains(['*', '?']) && !p[2].contains(['$', '*']) && a[2] != p[2] {
        return true;
    }
    let plain = |s: &str| s.find(['*', '?', '$']).map_or(s.len(), |i| i);
    let (ar, pr) = (
        &a[5].as_bytes()[..plain(a[5])],
        &p[5].as_bytes()[..plain(p[5])],
    );
    let n = ar.len().min(pr.len());
    ar[..n] != pr[..n]
}

/// A position of a policy ARN.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ArnTok {
    Char(char),
    /// `?`: one character.
    One {
        in_field: bool,
    },
    /// `*` or a policy variable: any run.
    Any {
        in_field: bool,
    },
}

impl ArnTok {
    /// Whether this wildcard sits in the partition, service, region or account field, where
    /// it stands for part of that field only (it does not take a ':').
    fn in_field(self) -> bool {
        matches!(
            self,
            ArnTok::One { in_field: true } | ArnTok::Any { in_field: true }
        )
    }
}

/// A position of an ARN pattern from the data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PatTok {
    Char(char),
    /// `${Var}`: a non-empty run, maybe without ':' or '/'.
    Var {
        no_colon: bool,
        no_slash: bool,
    },
    /// A literal `*` in the pattern: any run.
    Any,
    /// `${Region}` or `${Account}`: a run without ':', possibly empty (AWS-owned resources,
    /// such as public SSM documents and AMIs, have an empty account field).
    Field,
}

fn arn_tokens(arn: &str, out: &mut Vec<ArnTok>) {
    out.clear();
    // Without all six fields (`*`, `arn:aws:s3:*`), a wildcard may stand for several.
    let fields = colons_outside_variables(arn) >= 5;
    let mut colons = 0;
    let mut rest = arn;
    while let Some(c) = rest.chars().next() {
        let in_field = fields && colons < 5;
        if let Some(after) = rest.strip_prefix("${")
            && let Some(close) = after.find('}')
        {
            out.push(match &after[..close] {
                "*" => ArnTok::Char('*'),
                "?" => ArnTok::Char('?'),
                "$" => ArnTok::Char('$'),
                _ => ArnTok::Any { in_field },
            });
            rest = &after[close + 1..];
            continue;
        }
        if c == ':' {
            colons += 1;
        }
        out.push(match c {
            '*' => ArnTok::Any { in_field },
            '?' => ArnTok::One { in_field },
            c => ArnTok::Char(c),
        });
        rest = &rest[c.len_utf8()..];
    }
}

/// The number of ':' outside policy variables.
fn colons_outside_variables(arn: &str) -> usize {
    let mut n = 0;
    let mut rest = arn;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(close) = after.find('}')
        {
            rest = &after[close + 1..];
            continue;
        }
        n += usize::from(c == ':');
        rest = &rest[c.len_utf8()..];
    }
    n
}

fn pattern_tokens(pattern: &str, tail_excludes_slash: bool, out: &mut Vec<PatTok>) {
    out.clear();
    let mut colons = 0;
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(close) = after.find('}')
        {
            let rest_after = &after[close + 1..];
            let whole_field = matches!(colons, 3 | 4)
                && out.last() == Some(&PatTok::Char(':'))
                && rest_after.starts_with(':');
            out.push(if whole_field {
                PatTok::Field
            } else {
                PatTok::Var {
                    no_colon: colons < 5,
                    no_slash: false,
                }
            });
            rest = rest_after;
            continue;
        }
        if c == ':' {
            colons += 1;
        }
        out.push(if c == '*' {
            PatTok::Any
        } else {
            PatTok::Char(c)
        });
        rest = &rest[c.len_utf8()..];
    }
    if tail_excludes_slash && let Some(PatTok::Var { no_slash, .. }) = out.last_mut() {
        *no_slash = true;
    }
}

/// The buffers of one match, kept per thread: matching runs for every resource against every
/// pattern a check meets, and allocating them each time cost more than the search.
#[derive(Default)]
struct Scratch {
    arn: Vec<ArnTok>,
    pattern: Vec<PatTok>,
    seen: Vec<bool>,
    stack: Vec<(usize, usize, usize)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Whether some string is matched both by the policy ARN and by the pattern: a
/// search over pairs of positions (ARN token, pattern token, variable non-empty yet).
pub(crate) fn matches_with_tail(arn: &str, pattern: &str, tail_excludes_slash: bool) -> bool {
    if cheap_mismatch(arn, pattern) {
        return false;
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => search(&mut scratch, arn, pattern, tail_excludes_slash, true),
        // Not reentrant today; should it become so, a fresh set of buffers is correct too.
        Err(_) => search(
            &mut Scratch::default(),
            arn,
            pattern,
            tail_excludes_slash,
            true,
        ),
    })
}

/// `cut`: compare the plain runs at both ends directly (off only in the test that holds the
/// shortcut to the full search).
fn search(
    scratch: &mut Scratch,
    arn: &str,
    pattern: &str,
    tail_excludes_slash: bool,
    cut: bool,
) -> bool {
    let Scratch {
        arn: a,
        pattern: p,
        seen,
        stack,
    } = scratch;
    arn_tokens(arn, a);
    pattern_tokens(pattern, tail_excludes_slash, p);
    // Where both sides hold a plain character, at the start or at the end, the search has a
    // single move (take both, if equal): those runs are compared directly and cut off, which
    // leaves a far smaller table to search (`arn:` and most of the resource part, typically).
    let common = |x: &ArnTok, y: &PatTok| match (x, y) {
        (ArnTok::Char(c), PatTok::Char(d)) => Some(c == d),
        _ => None,
    };
    let mut head = 0;
    while let (true, Some(x), Some(y)) = (cut, a.get(head), p.get(head)) {
        match common(x, y) {
            Some(true) => head += 1,
            Some(false) => return false,
            None => break,
        }
    }
    let mut tail = 0;
    while cut && a.len() - tail > head && p.len() - tail > head {
        match common(&a[a.len() - 1 - tail], &p[p.len() - 1 - tail]) {
            Some(true) => tail += 1,
            Some(false) => return false,
            None => break,
        }
    }
    let (a, p) = (&a[head..a.len() - tail], &p[head..p.len() - tail]);
    let (na, np) = (a.len(), p.len());
    let state = |i: usize, j: usize, k: usize| (i * (np + 1) + j) * 2 + k;
    seen.clear();
    seen.resize((na + 1) * (np + 1) * 2, false);
    stack.clear();
    stack.push((0, 0, 0));
    seen[0] = true;
    while let Some((i, j, k)) = stack.pop() {
        if i == na && j == np {
            return true;
        }
        let mut next = [None; 4];
        // The ARN's wildcard ends here.
        if i < na && matches!(a[i], ArnTok::Any { .. }) {
            next[0] = Some((i + 1, j, k));
        }
        // The pattern's wildcard or a non-empty variable ends here.
        match p.get(j) {
            Some(PatTok::Any | PatTok::Field) => next[1] = Some((i, j + 1, 0)),
            Some(PatTok::Var { .. }) if k == 1 => next[1] = Some((i, j + 1, 0)),
            _ => {}
        }
        // Both sides take one character.
        if i < na && j < np {
            let fits = match (a[i], p[j]) {
                (ArnTok::Char(x), PatTok::Char(y)) => x == y,
                (ArnTok::Char(x), PatTok::Var { no_colon, no_slash }) => {
                    !(no_colon && x == ':' || no_slash && x == '/')
                }
                (t, PatTok::Char(':')) => !t.in_field(),
                (ArnTok::Char(x), PatTok::Field) => x != ':',
                _ => true,
            };
            if fits {
                let ni = if matches!(a[i], ArnTok::Any { .. }) {
                    i
                } else {
                    i + 1
                };
                next[2] = Some(match p[j] {
                    PatTok::Char(_) => (ni, j + 1, 0),
                    PatTok::Any | PatTok::Field => (ni, j, 0),
                    PatTok::Var { .. } => (ni, j, 1),
                });
            }
        }
        for (ni, nj, nk) in next.into_iter().flatten() {
            let s = state(ni, nj, nk);
            if !seen[s] {
                seen[s] = true;
                stack.push((ni, nj, nk));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Cutting the plain runs at both ends changes no answer of the search.
        #[test]
        fn cutting_plain_ends_keeps_the_answer(
            arn in "(arn|a|\\*|:|/|r|\\?|\\$\\{aws:username\\}|\\$\\{\\*\\}){0,14}",
            pattern in "(arn|a|:|/|r|\\*|\\$\\{Partition\\}|\\$\\{Name\\}){0,12}",
            slash in proptest::bool::ANY,
        ) {
            let full = search(&mut Scratch::default(), &arn, &pattern, slash, false);
            let cut = search(&mut Scratch::default(), &arn, &pattern, slash, true);
            proptest::prop_assert_eq!(full, cut);
        }

        #[test]
        fn cutting_plain_ends_keeps_the_answer_on_arns(
            resource in "(role|/|a|b|\\*|\\?|\\$\\{aws:username\\}){0,8}",
            account in "(123456789012|\\*|)",
            pattern_tail in "(role/|/|a|\\$\\{RoleName\\}|\\*){0,5}",
            slash in proptest::bool::ANY,
        ) {
            let arn = format!("arn:aws:iam::{account}:{resource}");
            let pattern = format!("arn:${{Partition}}:iam::${{Account}}:{pattern_tail}");
            let full = search(&mut Scratch::default(), &arn, &pattern, slash, false);
            let cut = search(&mut Scratch::default(), &arn, &pattern, slash, true);
            proptest::prop_assert_eq!(full, cut);
        }
    }

    #[test]
    fn arn_matching_rules() {
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(matches_resource_type(
            "arn:aws:iam::123456789012:role/a/b/c",
            role
        ));
        assert!(matches_resource_type("arn:aws:iam::*:role/*", role));
        assert!(!matches_resource_type(
            "arn:aws:iam::123456789012:user/a",
            role
        ));
        assert!(!matches_resource_type(
            "arn:aws:iam::123456789012:role/",
            role
        ));
        assert!(!matches_resource_type("arn:aws:iam::1:2:role/x", role));
        let log_group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        assert!(matches_resource_type(
            "arn:aws:logs:*:*:log-group:/aws/lambda/f:*",
            log_group
        ));
        assert!(matches_resource_type(
            "arn:aws:logs:us-east-1:1:log-group:?x",
            log_group
        ));
        assert!(!matches_resource_type(
            "arn:aws:logs:us-east-1:1:log-stream:x",
            log_group
        ));
        let dms = "arn:${Partition}:dms:${Region}:${Account}:cert:*";
        assert!(matches_resource_type(
            "arn:aws:dms:eu-west-1:1:cert:ABC",
            dms
        ));
        assert!(matches_resource_type("*", role));
        assert!(matches_resource_type("arn:aws:iam::1:role/${*}", role));
        assert!(!matches_resource_type("arn:aws:IAM::1:role/x", role));
        // A wildcard in the region or account field does not reach into the resource part.
        let ipam = "arn:${Partition}:ec2:${Region}:${Account}:ipam-pool/${IpamPoolId}";
        assert!(!matches_resource_type(
            "arn:aws:ec2:*:*:security-group/*",
            ipam
        ));
        assert!(matches_resource_type("arn:aws:ec2:*:*:ipam-pool/*", ipam));
        assert!(!matches_resource_type(
            "arn:aws:ec2:?:*:ipam-pool/*",
            &ipam.replace("${Region}", "")
        ));
        // AWS-owned resources leave the account empty.
        let document = "arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}";
        assert!(matches_resource_type(
            "arn:aws:ssm:*::document/AWS-RunShellScript",
            document
        ));
        assert!(!matches_resource_type(
            "arn:aws:ssm:*:1:2:document/x",
            document
        ));
    }
}
