//! Temporary: pattern containment until the evaluator's own lands.

/// Whether every string `inner` matches is matched by `outer` (sound; `*`/`?` globs).
pub fn covers(outer: &str, inner: &str) -> bool {
    let (o, i): (Vec<char>, Vec<char>) = (outer.chars().collect(), inner.chars().collect());
    // reach[j]: outer[..a] can consume inner[..j].
    let mut reach = vec![false; i.len() + 1];
    reach[0] = true;
    for &oc in &o {
        let mut next = vec![false; i.len() + 1];
        for j in 0..=i.len() {
            if !reach[j] {
                continue;
            }
            match oc {
                '*' => {
                    for n in next.iter_mut().skip(j) {
                        *n = true;
                    }
                }
                '?' => {
                    if j < i.len() && i[j] != '*' {
                        next[j + 1] = true;
                    }
                }
                c => {
                    if j < i.len() && i[j] == c {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach[i.len()]
}

/// ARN-level containment, field by field.
pub fn arn_covers(outer: &str, inner: &str) -> bool {
    if outer.bytes().all(|b| b == b'*') {
        return true;
    }
    let o: Vec<&str> = outer.splitn(6, ':').collect();
    let i: Vec<&str> = inner.splitn(6, ':').collect();
    if o.len() != 6 || i.len() != 6 {
        return o.len() != 6 && i.len() != 6 && covers(outer, inner);
    }
    o.iter().zip(&i).all(|(a, b)| covers(a, b))
}
