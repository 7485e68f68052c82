//! IAM's `*` and `?` wildcard matching, used for actions, deprecation patterns and ARNs, and the
//! algebra of such patterns: whether one covers another (every string the inner one matches, the
//! outer one matches) and whether two intersect (some string matches both). Both are exact for
//! patterns of literals, `*` and `?`, over any characters.

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

/// One symbol of a pattern: a literal character, `*` (any run of characters) or `?` (any one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sym {
    Lit(char),
    Star,
    One,
}

/// The symbols of a pattern: every `*` and `?` is a wildcard.
pub fn symbols(pattern: &str) -> Vec<Sym> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Sym::Star,
            '?' => Sym::One,
            c => Sym::Lit(c),
        })
        .collect()
}

fn folded(pattern: &str) -> Vec<Sym> {
    symbols(&pattern.to_ascii_lowercase())
}

/// Whether every string `inner` matches is matched by `outer` (both patterns of `*` and `?`,
/// case-sensitive). Exact (see [`covers_symbols`]).
pub fn covers(outer: &str, inner: &str) -> bool {
    covers_symbols(&symbols(outer), &symbols(inner), None)
}

/// As [`covers`], ignoring ASCII case (as [`matches_ignore_case`] does).
pub fn covers_ignore_case(outer: &str, inner: &str) -> bool {
    covers_symbols(&folded(outer), &folded(inner), None)
}

/// Whether some string is matched by both patterns (case-sensitive). Exact.
pub fn intersects(a: &str, b: &str) -> bool {
    intersects_symbols(&symbols(a), &symbols(b), None)
}

/// As [`intersects`], ignoring ASCII case.
pub fn intersects_ignore_case(a: &str, b: &str) -> bool {
    intersects_symbols(&folded(a), &folded(b), None)
}

/// A set of pattern positions (0..=len), as bits.
type Positions = Vec<u64>;

fn has(set: &Positions, i: usize) -> bool {
    set[i / 64] >> (i % 64) & 1 == 1
}

fn put(set: &mut Positions, i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// Adds the positions reachable by letting stars match nothing.
fn close(p: &[Sym], set: &mut Positions) {
    for (i, s) in p.iter().enumerate() {
        if *s == Sym::Star && has(set, i) {
            put(set, i + 1);
        }
    }
}

fn start(p: &[Sym]) -> Positions {
    let mut s = vec![0; p.len() / 64 + 1];
    put(&mut s, 0);
    close(p, &mut s);
    s
}

/// The positions after reading `c` from the positions `set`.
fn step(p: &[Sym], set: &Positions, c: char) -> Positions {
    let mut out = vec![0; set.len()];
    for (i, s) in p.iter().enumerate() {
        if !has(set, i) {
            continue;
        }
        match *s {
            Sym::Star => put(&mut out, i),
            Sym::One => put(&mut out, i + 1),
            Sym::Lit(x) if x == c => put(&mut out, i + 1),
            Sym::Lit(_) => {}
        }
    }
    close(p, &mut out);
    out
}

/// The characters that tell strings apart for these patterns: their literals, `:` when colons
/// are counted, and one character none of them names (standing for every other).
fn alphabet(a: &[Sym], b: &[Sym], colons: bool) -> Vec<char> {
    let mut out: Vec<char> = a
        .iter()
        .chain(b)
        .filter_map(|s| match s {
            Sym::Lit(c) => Some(*c),
            _ => None,
        })
        .collect();
    if colons {
        out.push(':');
    }
    out.sort_unstable();
    out.dedup();
    let other = ('\u{E000}'..='\u{F8FF}')
        .find(|c| !out.contains(c))
        .expect("a pattern names fewer characters than the private use area holds");
    out.push(other);
    out
}

/// How many (inner, outer, colons) states [`covers_symbols`] explores before it falls back to a
/// simpler test that is sound but may answer `false` where inclusion holds.
const COVERS_STATE_LIMIT: usize = 20_000;

/// Whether every string `inner` matches (with fewer than `max_colons + 1` colons, when
/// `max_colons` is set) is matched by `outer`. Explores the pairs (positions of `inner`,
/// positions of `outer`) reachable by one string, over the characters that tell strings apart:
/// a pair where `inner` has matched and `outer` has not is a string `inner` matches and `outer`
/// does not. Exact; past [`COVERS_STATE_LIMIT`] pairs (patterns built to blow up the subsets,
/// such as `*a??????????`) it answers by [`covers_by_alignment`], which is sound.
pub fn covers_symbols(outer: &[Sym], inner: &[Sym], max_colons: Option<usize>) -> bool {
    if outer == inner || (!outer.is_empty() && outer.iter().all(|s| *s == Sym::Star)) {
        return true;
    }
    let sigma = alphabet(outer, inner, max_colons.is_some());
    let mut seen = std::collections::HashSet::new();
    let first = (start(inner), start(outer), 0usize);
    let mut queue = vec![first.clone()];
    seen.insert(first);
    while let Some((i, o, colons)) = queue.pop() {
        if has(&i, inner.len()) && !has(&o, outer.len()) {
            return false;
        }
        for &c in &sigma {
            let k = colons + usize::from(c == ':');
            if max_colons.is_some_and(|m| k > m) {
                continue;
            }
            let ni = step(inner, &i, c);
            if ni.iter().all(|w| *w == 0) {
                continue;
            }
            let next = (
                ni,
                step(outer, &o, c),
                if max_colons.is_some() { k } else { 0 },
            );
            if seen.insert(next.clone()) {
                if seen.len() > COVERS_STATE_LIMIT {
                    return covers_by_alignment(outer, inner);
                }
                queue.push(next);
            }
        }
    }
    true
}

/// A sound test of inclusion by aligning the patterns: `outer`'s `*` takes any run of `inner`'s
/// symbols (stars and `?` included), `outer`'s `?` one literal or `?` of `inner`, a literal the
/// same literal. `true` only when inclusion holds; it misses inclusions that need a different
/// split (`?*` covers `*?`).
pub fn covers_by_alignment(outer: &[Sym], inner: &[Sym]) -> bool {
    let (n, m) = (outer.len(), inner.len());
    // ok[i][j]: outer[i..] covers inner[j..].
    let mut ok = vec![vec![false; m + 1]; n + 1];
    ok[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            ok[i][j] = match outer[i] {
                Sym::Star => ok[i + 1][j] || (j < m && ok[i][j + 1]),
                Sym::One => j < m && inner[j] != Sym::Star && ok[i + 1][j + 1],
                Sym::Lit(c) => j < m && inner[j] == Sym::Lit(c) && ok[i + 1][j + 1],
            };
        }
    }
    ok[0][0]
}

/// Whether some string (with at most `max_colons` colons, when set) is matched by both
/// patterns. A search over pairs of positions and the colons read so far; exact.
pub fn intersects_symbols(a: &[Sym], b: &[Sym], max_colons: Option<usize>) -> bool {
    let (n, m) = (a.len(), b.len());
    let limit = max_colons.unwrap_or(0);
    let mut seen = vec![false; (n + 1) * (m + 1) * (limit + 1)];
    let index = |i: usize, j: usize, k: usize| (i * (m + 1) + j) * (limit + 1) + k;
    let mut queue = vec![(0usize, 0usize, 0usize)];
    seen[0] = true;
    while let Some((i, j, k)) = queue.pop() {
        if i == n && j == m {
            return true;
        }
        let mut next = Vec::with_capacity(3);
        if i < n && a[i] == Sym::Star {
            next.push((i + 1, j, k));
        }
        if j < m && b[j] == Sym::Star {
            next.push((i, j + 1, k));
        }
        if i < n && j < m {
            // One character read by both; a star reads it and stays.
            let after = |p: &[Sym], at: usize| if p[at] == Sym::Star { at } else { at + 1 };
            let read = match (a[i], b[j]) {
                (Sym::Star, Sym::Star) => None,
                (Sym::Lit(x), Sym::Lit(y)) if x != y => None,
                (Sym::Lit(c), _) | (_, Sym::Lit(c)) => Some(c == ':'),
                // Two wildcards agree on a character that is no colon.
                _ => Some(false),
            };
            if let Some(colon) = read {
                let k2 = k + usize::from(colon && max_colons.is_some());
                if k2 <= limit {
                    next.push((after(a, i), after(b, j), k2));
                }
            }
        }
        for (i2, j2, k2) in next {
            let at = index(i2, j2, k2);
            if !seen[at] {
                seen[at] = true;
                queue.push((i2, j2, k2));
            }
        }
    }
    false
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

    #[test]
    fn covers_examples() {
        assert!(covers("*", "anything*"));
        assert!(covers("arn:aws:s3:::*", "arn:aws:s3:::b/*"));
        assert!(covers("a*", "ab?"));
        assert!(covers("?*", "*?"));
        assert!(covers("*?", "?*"));
        assert!(covers("*a*", "*a*a*"));
        assert!(covers("a*b", "a*b*b"));
        assert!(!covers("a*b*b", "a*b"));
        assert!(!covers("arn:aws:s3:::b/*", "arn:aws:s3:::*"));
        assert!(!covers("a?", "a*"));
        assert!(!covers("a", "A"));
        assert!(covers_ignore_case("a*", "A?"));
        assert!(covers("", ""));
        assert!(!covers("", "*"));
        assert!(covers("**", "*"));
    }

    #[test]
    fn intersects_examples() {
        assert!(intersects(
            "arn:aws:s3:::*/AWSLogs/*",
            "arn:aws:s3:::example-bucket/*"
        ));
        assert!(!intersects("arn:aws:s3:::a/*", "arn:aws:s3:::b/*"));
        assert!(intersects("*a", "b*"));
        assert!(!intersects("a?", "a"));
        assert!(intersects("?", "*"));
        assert!(!intersects("?", ""));
        assert!(!intersects("A*", "a*"));
        assert!(intersects_ignore_case("A*", "a*"));
        // Colons counted: `::::*` and `*x:` share only strings with five colons or more.
        let (a, b) = (symbols("::::*"), symbols("*x:"));
        assert!(intersects_symbols(&a, &b, None));
        assert!(!intersects_symbols(&a, &b, Some(4)));
        assert!(intersects_symbols(&a, &b, Some(5)));
    }

    #[test]
    fn covers_falls_back_soundly_on_patterns_that_blow_up() {
        // The subsets of `*a???…` grow as 2^n; the answer stays right for these.
        let q = "?".repeat(20);
        assert!(covers(&format!("*a{q}"), &format!("*a{q}")));
        assert!(covers(&format!("*{q}"), &format!("*a{q}")));
        assert!(!covers(&format!("*a{q}"), &format!("*{q}")));
    }

    /// Every string of length up to `len` over `alphabet`.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// The strings each pattern matches, among `texts`, as bits.
    fn languages(patterns: &[String], texts: &[String]) -> Vec<Vec<u64>> {
        patterns
            .iter()
            .map(|p| {
                let mut bits = vec![0u64; texts.len() / 64 + 1];
                for (k, t) in texts.iter().enumerate() {
                    if matches(p, t) {
                        bits[k / 64] |= 1 << (k % 64);
                    }
                }
                bits
            })
            .collect()
    }

    // The definitions, by brute force: every pattern of up to four symbols over {a, :, *, ?}
    // against every string of up to eight characters over {a, b, :} (`b` stands for every
    // character no pattern names; a shortest string telling two such patterns apart is shorter).
    #[test]
    fn covers_and_intersects_agree_with_brute_force() {
        let patterns = strings(&['a', ':', '*', '?'], 4);
        let texts = strings(&['a', 'b', ':'], 8);
        let lang = languages(&patterns, &texts);
        for (x, lx) in patterns.iter().zip(&lang) {
            for (y, ly) in patterns.iter().zip(&lang) {
                let subset = ly.iter().zip(lx).all(|(b, a)| b & !a == 0);
                assert_eq!(covers(x, y), subset, "covers({x:?}, {y:?})");
                let meet = ly.iter().zip(lx).any(|(b, a)| b & a != 0);
                assert_eq!(intersects(x, y), meet, "intersects({x:?}, {y:?})");
                if covers_by_alignment(&symbols(x), &symbols(y)) {
                    assert!(subset, "alignment is unsound on ({x:?}, {y:?})");
                }
            }
        }
    }

    // With colons counted, against the strings of at most `max` colons.
    #[test]
    fn colon_limits_agree_with_brute_force() {
        let patterns = strings(&[':', '*', '?'], 4);
        let texts: Vec<String> = strings(&['a', ':'], 7);
        for max in [0, 1, 2] {
            let few: Vec<String> = texts
                .iter()
                .filter(|t| t.matches(':').count() <= max)
                .cloned()
                .collect();
            let lang = languages(&patterns, &few);
            for (x, lx) in patterns.iter().zip(&lang) {
                for (y, ly) in patterns.iter().zip(&lang) {
                    let (sx, sy) = (symbols(x), symbols(y));
                    let subset = ly.iter().zip(lx).all(|(b, a)| b & !a == 0);
                    assert_eq!(
                        covers_symbols(&sx, &sy, Some(max)),
                        subset,
                        "{x:?} {y:?} {max}"
                    );
                    let meet = ly.iter().zip(lx).any(|(b, a)| b & a != 0);
                    assert_eq!(
                        intersects_symbols(&sx, &sy, Some(max)),
                        meet,
                        "{x:?} {y:?} {max}"
                    );
                }
            }
        }
    }
}
