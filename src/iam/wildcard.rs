//! IAM's `*` and `?` wildcard matching, used for actions, deprecation patterns and ARNs.

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` any one character.
pub fn matches(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return wildcard(pattern.as_bytes(), text.as_bytes(), |a, b| a == b);
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    wildcard(&p, &t, |a, b| a == b)
}

/// As [`matches`], ignoring ASCII case (IAM action names are case-insensitive).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return wildcard(pattern.as_bytes(), text.as_bytes(), |a, b| {
            a.eq_ignore_ascii_case(&b)
        });
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    wildcard(&p, &t, |a, b| a.eq_ignore_ascii_case(&b))
}

/// `*` and `?` matching over characters (or the bytes of ASCII text), remembering the last star
/// for backtracking: linear in practice, quadratic at worst. Allocates nothing for ASCII.
fn wildcard<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T], eq: impl Fn(T, T) -> bool) -> bool {
    let (star, one) = (T::from(b'*'), T::from(b'?'));
    let (mut pi, mut ti) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] != star && (p[pi] == one || eq(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star {
            resume = Some((pi, ti));
            pi += 1;
        } else if let Some((at, matched)) = resume {
            pi = at + 1;
            ti = matched + 1;
            resume = Some((at, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark() {
        assert!(matches("s3:Get*", "s3:GetObject"));
        assert!(matches("*", ""));
        assert!(matches("s3:?etObject", "s3:GetObject"));
        assert!(!matches("s3:Get*", "s3:PutObject"));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
        assert!(matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
    }

    #[test]
    fn non_ascii_text() {
        assert!(matches("caf?", "café"));
        assert!(matches_ignore_case("CAF*", "café"));
    }

    #[test]
    fn case_insensitive_variant() {
        assert!(matches_ignore_case("aws-mcp:*", "AWS-MCP:InvokeMcp"));
        assert!(!matches("aws-mcp:*", "AWS-MCP:InvokeMcp"));
    }

    #[test]
    fn case_sensitive_wildcards() {
        assert!(matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(!matches("arn:aws:s3:::B/*", "arn:aws:s3:::b/x"));
        assert!(matches("é?c*", "ébcd"));
        assert!(!matches("a?c", "ac"));
    }

    #[test]
    fn matchesing() {
        assert!(matches_ignore_case("get*", "GetObject"));
        assert!(matches_ignore_case("*Object", "GetObject"));
        assert!(matches_ignore_case("G*t*j?ct", "GetObject"));
        assert!(!matches_ignore_case("Get", "GetObject"));
        assert!(!matches_ignore_case("*Objects", "GetObject"));
        assert!(matches_ignore_case("**", ""));
    }
}
