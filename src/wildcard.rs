//! IAM's `*` and `?` wildcard matching, used for actions, deprecation patterns and ARNs.

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` any one character.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// As [`matches`], ignoring ASCII case (IAM action names are case-insensitive).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches(&pattern.to_ascii_lowercase(), &text.to_ascii_lowercase())
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
    fn case_insensitive_variant() {
        assert!(matches_ignore_case("aws-mcp:*", "AWS-MCP:InvokeMcp"));
        assert!(!matches("aws-mcp:*", "AWS-MCP:InvokeMcp"));
    }
}
