//! The intersection of two `*`/`?` patterns written as patterns: the overlaps of a policy's
//! resource patterns are explored as patterns of their own (`super::space`). Containment and
//! the yes/no intersection are the evaluator's (`crate::eval::matching::arn_covers`,
//! `arn_intersects`); this writes the overlap out, which they do not.

/// Globs whose union is exactly the strings both `a` and `b` match (`*`, `?`), or `None` past
/// `cap` globs. Each glob is one way of lining the two patterns up: where both have a `*`, the
/// glob has one; where one has a `*`, the other's characters.
pub fn intersect(a: &str, b: &str, cap: usize) -> Option<Vec<String>> {
    fn go(a: &[char], b: &[char], cur: &mut String, out: &mut Vec<String>, cap: usize) -> bool {
        match (a.first(), b.first()) {
            (None, None) => {
                if !out.contains(cur) {
                    out.push(cur.clone());
                }
                out.len() <= cap
            }
            (Some('*'), Some('*')) => {
                let len = cur.len();
                if !cur.ends_with('*') {
                    cur.push('*');
                }
                let ok = go(&a[1..], b, cur, out, cap) && go(a, &b[1..], cur, out, cap);
                cur.truncate(len);
                ok
            }
            (Some('*'), other) | (other, Some('*')) => {
                let a_star = a.first() == Some(&'*');
                let (star_rest, other_side) = if a_star { (&a[1..], b) } else { (&b[1..], a) };
                // Skip the star.
                let skipped = if a_star {
                    go(star_rest, other_side, cur, out, cap)
                } else {
                    go(other_side, star_rest, cur, out, cap)
                };
                if !skipped {
                    return false;
                }
                // Or let it take the other side's next character.
                let Some(&c) = other else {
                    return true;
                };
                let len = cur.len();
                cur.push(c);
                let ok = if a_star {
                    go(a, &b[1..], cur, out, cap)
                } else {
                    go(&a[1..], b, cur, out, cap)
                };
                cur.truncate(len);
                ok
            }
            (Some(&x), Some(&y)) => {
                let c = match (x, y) {
                    (x, y) if x == y => x,
                    ('?', y) => y,
                    (x, '?') => x,
                    _ => return true,
                };
                let len = cur.len();
                cur.push(c);
                let ok = go(&a[1..], &b[1..], cur, out, cap);
                cur.truncate(len);
                ok
            }
            _ => true,
        }
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut out = Vec::new();
    go(&a, &b, &mut String::new(), &mut out, cap).then_some(out)
}

/// [`intersect`] for ARN patterns, field by field: `Some(vec![])` when they share no ARN,
/// `None` past `cap` globs or when either is not ARN-shaped.
pub fn arn_intersect(a: &str, b: &str, cap: usize) -> Option<Vec<String>> {
    let fa: Vec<&str> = a.splitn(6, ':').collect();
    let fb: Vec<&str> = b.splitn(6, ':').collect();
    if fa.len() != 6 || fb.len() != 6 {
        return None;
    }
    let mut acc: Vec<String> = vec![String::new()];
    for (k, (x, y)) in fa.iter().zip(&fb).enumerate() {
        let parts = intersect(x, y, cap)?;
        let mut next = Vec::new();
        for prefix in &acc {
            for p in &parts {
                next.push(if k == 0 {
                    p.clone()
                } else {
                    format!("{prefix}:{p}")
                });
            }
        }
        if next.len() > cap {
            return None;
        }
        acc = next;
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersections_are_unions_of_globs() {
        let mut got = intersect("b/*", "*/secret", 16).unwrap();
        got.sort();
        assert_eq!(got, ["b/*/secret", "b/secret"]);
        assert_eq!(intersect("a*", "*z", 16).unwrap(), ["a*z"]);
        assert!(intersect("abc", "abd", 16).unwrap().is_empty());
        assert_eq!(intersect("a?c", "*b*", 16).unwrap(), ["abc"]);
        assert_eq!(
            arn_intersect("arn:aws:s3:::b/*", "arn:aws:s3:::*/secret", 16)
                .unwrap()
                .len(),
            2
        );
        assert!(
            arn_intersect("arn:aws:s3:::b", "arn:aws:ec2:::b", 16)
                .unwrap()
                .is_empty()
        );
    }
}
