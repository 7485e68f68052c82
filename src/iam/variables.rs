//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, and the escapes
//! `${*}`, `${?}`, `${$}`): finding them in text, and what lies outside them.

/// The characters of `text` that are outside policy variables.
pub fn outside_variables(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut depth_end = 0usize;
    text.char_indices().filter_map(move |(i, c)| {
        if i < depth_end {
            return None;
        }
        if c == '$'
            && text[i..].starts_with("${")
            && let Some(close) = text[i..].find('}')
        {
            depth_end = i + close + 1;
            return None;
        }
        Some(c)
    })
}

/// The variables written in `text`, as the text between `${` and `}` (`None` for an unclosed
/// `${`).
pub fn variables(text: &str) -> Vec<Option<&str>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        match after.find('}') {
            Some(close) => {
                out.push(Some(&after[..close]));
                rest = &after[close + 1..];
            }
            None => {
                out.push(None);
                break;
            }
        }
    }
    out
}

/// Whether IAM would read the text as holding a wildcard (`*` or `?` outside policy variables).
pub fn has_wildcard(text: &str) -> bool {
    outside_variables(text).any(|c| c == '*' || c == '?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_outside_variables() {
        assert_eq!(outside_variables("a${b}c").collect::<String>(), "ac");
        assert_eq!(outside_variables("a${b").collect::<String>(), "a${b");
    }

    #[test]
    fn wildcards_inside_variables_do_not_count() {
        assert!(has_wildcard("a*"));
        assert!(has_wildcard("a?"));
        assert!(!has_wildcard("home/${aws:username}"));
        assert!(!has_wildcard("${*}"));
        assert!(has_wildcard("${aws:username}/*"));
    }
}
