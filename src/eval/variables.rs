//! Policy variables at evaluation time: `${aws:username}` takes the request's value,
//! `${aws:PrincipalTag/team, 'none'}` falls back to its default, and `${*}`, `${?}`, `${$}` stand
//! for the literal characters. What a variable puts in is literal text: a `*` in a user name is
//! no wildcard. A variable whose key the request lacks (or holds several values for) and that has
//! no default resolves to nothing, and the value it is in matches nothing.
//! (IAM User Guide, "IAM policy elements: Variables and tags": "Policy variables with no value",
//! "Specifying default values", "Special characters".)

use super::request::{Context, ContextValue};

/// One character of a pattern after variables are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Lit(char),
    /// `*`: any run of characters.
    Star,
    /// `?`: any one character.
    One,
}

/// How a value is read.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// Whether `${...}` is a variable here (Version 2012-10-17, and an element or operator that
    /// takes variables); otherwise it is literal text.
    pub variables: bool,
    /// Whether `*` and `?` written in the value are wildcards (Resource, `*Like` and ARN
    /// operators); otherwise they are literal.
    pub wildcards: bool,
}

/// Resolves the variables in `text` against the request context. `None` when a variable cannot
/// be resolved; its key is then added to `missing`.
pub fn resolve(
    text: &str,
    ctx: &Context,
    how: Reading,
    missing: &mut Vec<String>,
) -> Option<Vec<Tok>> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    let mut ok = true;
    while !rest.is_empty() {
        if how.variables
            && rest.starts_with("${")
            && let Some(close) = rest.find('}')
        {
            let inner = &rest[2..close];
            match expand(inner, ctx) {
                Expansion::Text(s) => out.extend(s.chars().map(Tok::Lit)),
                Expansion::Missing(key) => {
                    if !missing.iter().any(|m| m.eq_ignore_ascii_case(&key)) {
                        missing.push(key);
                    }
                    ok = false;
                }
            }
            rest = &rest[close + 1..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        out.push(match c {
            '*' if how.wildcards => Tok::Star,
            '?' if how.wildcards => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    ok.then_some(out)
}

enum Expansion {
    Text(String),
    Missing(String),
}

fn expand(inner: &str, ctx: &Context) -> Expansion {
    match inner {
        "*" | "?" | "$" => return Expansion::Text(inner.to_string()),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k.trim(), parse_default(d.trim())),
        None => (inner.trim(), None),
    };
    // Only a single value can stand in a string; a list leaves the variable unresolved.
    match ctx.get(key) {
        Some(ContextValue::One(v)) => Expansion::Text(v.clone()),
        _ => match default {
            Some(d) => Expansion::Text(d),
            None => Expansion::Missing(key.to_string()),
        },
    }
}

/// `'text'`, where `''` is a quote.
fn parse_default(d: &str) -> Option<String> {
    let body = d.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(body.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: Reading = Reading {
        variables: true,
        wildcards: true,
    };

    fn text(toks: &[Tok]) -> String {
        toks.iter()
            .map(|t| match t {
                Tok::Lit(c) => *c,
                Tok::Star => '#',
                Tok::One => '%',
            })
            .collect()
    }

    fn run(s: &str, ctx: &Context) -> (Option<String>, Vec<String>) {
        let mut missing = Vec::new();
        let r = resolve(s, ctx, VARS, &mut missing).map(|t| text(&t));
        (r, missing)
    }

    #[test]
    fn variables_take_the_request_value_as_literal_text() {
        let ctx = Context::new().with("aws:username", "a*b");
        assert_eq!(
            run("home/${aws:username}/*", &ctx).0.as_deref(),
            Some("home/a*b/#")
        );
    }

    // IAM User Guide, "Specifying default values": `${aws:PrincipalTag/team, 'company-wide'}`.
    #[test]
    fn a_default_stands_in_for_a_missing_key() {
        let ctx = Context::new();
        assert_eq!(
            run("${aws:PrincipalTag/team, 'company-wide'}", &ctx)
                .0
                .as_deref(),
            Some("company-wide")
        );
        assert_eq!(run("${a:b, 'it''s'}", &ctx).0.as_deref(), Some("it's"));
    }

    // IAM User Guide, "Policy variables with no value": the value is effectively null.
    #[test]
    fn a_missing_key_without_default_resolves_to_nothing() {
        let (r, missing) = run("home/${aws:username}", &Context::new());
        assert_eq!(r, None);
        assert_eq!(missing, ["aws:username"]);
    }

    #[test]
    fn a_multivalued_key_is_no_variable_value() {
        let mut ctx = Context::new();
        ctx.insert("aws:TagKeys", ContextValue::Many(vec!["a".into()]));
        assert_eq!(run("${aws:TagKeys}", &ctx).0, None);
    }

    // IAM User Guide, "Special characters": ${*}, ${?}, ${$}.
    #[test]
    fn escapes_are_literal_characters() {
        assert_eq!(
            run("a${*}b${?}${$}", &Context::new()).0.as_deref(),
            Some("a*b?$")
        );
    }

    #[test]
    fn without_variables_the_text_is_literal() {
        let mut missing = Vec::new();
        let how = Reading {
            variables: false,
            wildcards: false,
        };
        let t = resolve("${aws:username}*", &Context::new(), how, &mut missing).unwrap();
        assert_eq!(text(&t), "${aws:username}*");
        assert!(missing.is_empty());
    }
}
