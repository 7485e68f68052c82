//! Condition-key names with variables (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`)
//! and looking keys up by name, case-insensitively, through them.

use super::ConditionKeyInfo;

pub(super) fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

pub(super) fn find_key<'k>(
    keys: &'k [ConditionKeyInfo],
    name: &str,
) -> Option<&'k ConditionKeyInfo> {
    keys.iter()
        .find(|k| k.name.eq_ignore_ascii_case(name))
        .or_else(|| {
            keys.iter()
                .find(|k| k.is_template() && template_matches(k.name, name))
        })
}

pub(super) fn is_template(name: &str) -> bool {
    // One pass over the bytes: this runs for every key the data loads.
    let b = name.as_bytes();
    let mut angle = (false, false);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'$' if b.get(i + 1) == Some(&b'{') => return true,
            b'<' => angle.0 = true,
            b'>' => angle.1 = true,
            _ => {}
        }
    }
    (angle.0 && angle.1) || (!angle.0 && implicit_tail_at(b).is_some())
}

/// AWS's reference writes a few tag keys with a stand-in instead of a variable
/// (`secretsmanager:ResourceTag/tag-key`, `glacier:ResourceTag/`): the part after the last
/// slash is then a variable. Gives where that variable starts.
pub(super) fn implicit_tail(name: &str) -> Option<usize> {
    if name.contains("${") || name.contains('<') {
        return None;
    }
    implicit_tail_at(name.as_bytes())
}

/// `implicit_tail` for a name known to hold no `${` and no `<`.
fn implicit_tail_at(name: &[u8]) -> Option<usize> {
    let at = memchr::memrchr(b'/', name)? + 1;
    let tail = &name[at..];
    (tail.is_empty() || tail.eq_ignore_ascii_case(b"tag-key")).then_some(at)
}

/// A piece of a condition key template: literal text, or a variable.
pub(super) enum Piece<'a> {
    Text(&'a [u8]),
    Var,
}

pub(super) fn template_pieces(template: &str) -> Vec<Piece<'_>> {
    let bytes = template.as_bytes();
    if let Some(at) = implicit_tail(template) {
        return vec![Piece::Text(&bytes[..at]), Piece::Var];
    }
    let mut pieces = Vec::new();
    let (mut i, mut literal_start) = (0, 0);
    while i < bytes.len() {
        let close = match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => template[i..].find('}'),
            b'<' => template[i..].find('>'),
            _ => None,
        };
        match close {
            Some(len) => {
                if literal_start < i {
                    pieces.push(Piece::Text(&bytes[literal_start..i]));
                }
                pieces.push(Piece::Var);
                i += len + 1;
                literal_start = i;
            }
            None => i += 1,
        }
    }
    if literal_start < bytes.len() {
        pieces.push(Piece::Text(&bytes[literal_start..]));
    }
    pieces
}

/// Case-insensitive template match where each variable takes one or more bytes.
pub(super) fn template_matches(template: &str, text: &str) -> bool {
    fn go(pieces: &[Piece<'_>], text: &[u8]) -> bool {
        match pieces.split_first() {
            None => text.is_empty(),
            Some((Piece::Text(lit), rest)) => {
                text.len() >= lit.len()
                    && text[..lit.len()].eq_ignore_ascii_case(lit)
                    && go(rest, &text[lit.len()..])
            }
            Some((Piece::Var, rest)) => (1..=text.len()).any(|n| go(rest, &text[n..])),
        }
    }
    // Most lookups try templates of other keys: the text before the first variable settles
    // them without taking the template apart.
    let lead = implicit_tail(template).unwrap_or_else(|| {
        template
            .bytes()
            .position(|b| b == b'$' || b == b'<')
            .unwrap_or(template.len())
    });
    let t = text.as_bytes();
    let k = lead.min(t.len());
    if !t[..k].eq_ignore_ascii_case(&template.as_bytes()[..k]) {
        return false;
    }
    go(&template_pieces(template), t)
}
