//! Policies that differ only in a value a reader fills in: an account ID, a Region, an S3
//! bucket name. Such policies become one catalog entry whose differing values are catalog
//! placeholders with a `param`, and each page's directive gives its own values back
//! (`iam-policy NAME account=444455556666`).
//!
//! The values are found where IAM puts them: an ARN's Region and account fields, the bucket of an
//! S3 ARN (`arn:aws:s3:::BUCKET/...`, whose Region and account fields are empty), and an account
//! ID written alone (a principal or a condition value). ARN format:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>; S3 ARNs:
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html>.

use crate::json::{Kind, Member, Value};
use std::collections::HashMap;
use std::ops::Range;

/// What a differing value stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Account,
    Region,
    Bucket,
}

impl Slot {
    fn tag(self) -> char {
        match self {
            Slot::Account => 'a',
            Slot::Region => 'r',
            Slot::Bucket => 'b',
        }
    }

    /// The catalog token and directive parameter of the `n`th placeholder of this kind (from 1).
    fn names(self, n: usize) -> (String, String) {
        let (token, param) = match self {
            Slot::Account => ("ACCOUNT_ID", "account"),
            Slot::Region => ("REGION", "region"),
            Slot::Bucket => ("BUCKET_NAME", "bucket"),
        };
        if n == 1 {
            (format!("<{token}>"), param.to_string())
        } else {
            (format!("<{token}_{n}>"), format!("{param}{n}"))
        }
    }
}

/// A value a directive can carry unquoted in every spelling: letters, digits, `.`, `-`, `_`.
fn plain(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The slots of one string, in order.
fn slots(s: &str) -> Vec<(Range<usize>, Slot)> {
    let mut out = Vec::new();
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        out.push((0..s.len(), Slot::Account));
        return out;
    }
    if !s.starts_with("arn:") {
        return out;
    }
    let colons: Vec<usize> = s.match_indices(':').map(|(i, _)| i).take(5).collect();
    if colons.len() < 5 {
        return out;
    }
    let field = |k: usize| colons[k] + 1..colons[k + 1];
    let (service, region, account) = (field(1), field(2), field(3));
    if plain(&s[region.clone()]) {
        out.push((region.clone(), Slot::Region));
    }
    if plain(&s[account.clone()]) {
        out.push((account.clone(), Slot::Account));
    }
    if &s[service] == "s3" && region.is_empty() && account.is_empty() {
        let start = colons[4] + 1;
        let end = s[start..].find('/').map_or(s.len(), |n| start + n);
        if plain(&s[start..end]) {
            out.push((start..end, Slot::Bucket));
        }
    }
    out
}

/// A copy of a value with each string passed through `f` (object keys are left as they are).
fn map_strings(v: &Value, f: &mut impl FnMut(&str) -> String) -> Value {
    let kind = match &v.kind {
        Kind::String(s) => Kind::String(f(s)),
        Kind::Array(items) => Kind::Array(items.iter().map(|i| map_strings(i, f)).collect()),
        Kind::Object(members) => Kind::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_span: m.key_span.clone(),
                    value: map_strings(&m.value, f),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Value::new(kind, v.span.clone())
}

/// Each string with its slots replaced by `fill(slot, value, index)`, the index counting slots
/// across the whole list in document order.
fn replace_slots(
    statements: &[Value],
    fill: &mut impl FnMut(Slot, &str, usize) -> String,
) -> Vec<Value> {
    let mut n = 0;
    statements
        .iter()
        .map(|s| {
            map_strings(s, &mut |text: &str| {
                let mut out = String::new();
                let mut last = 0;
                for (r, slot) in slots(text) {
                    out.push_str(&text[last..r.start]);
                    out.push_str(&fill(slot, &text[r.clone()], n));
                    n += 1;
                    last = r.end;
                }
                out.push_str(&text[last..]);
                out
            })
        })
        .collect()
}

fn key(statements: &[Value]) -> String {
    crate::policy::to_prettier_json(&Value::synthetic(Kind::Array(statements.to_vec())))
}

/// The policy with its slots' values left out, and those values in order: policies with the same
/// shape differ at most in those values. `None` when it has no slot.
pub fn shape(statements: &[Value]) -> Option<(String, Vec<(Slot, String)>)> {
    let mut values = Vec::new();
    let marked = replace_slots(statements, &mut |slot, value, _| {
        values.push((slot, value.to_string()));
        format!("\u{1}{}\u{1}", slot.tag())
    });
    (!values.is_empty()).then(|| (key(&marked), values))
}

/// The catalog's placeholders by token (with their `param`), and the ones this adoption declares.
#[derive(Default)]
pub struct Tokens {
    taken: HashMap<String, Option<String>>,
    /// New declarations: token, param, example, in the order made.
    pub declared: Vec<(String, String, String)>,
}

impl Tokens {
    pub fn new(catalog: &crate::catalog::Catalog) -> Tokens {
        Tokens {
            taken: catalog
                .placeholders
                .iter()
                .map(|p| {
                    (
                        p.token.value.clone(),
                        p.param.as_ref().map(|n| n.value.clone()),
                    )
                })
                .collect(),
            declared: Vec::new(),
        }
    }

    /// A token and parameter for a kind of value: one the catalog (or this adoption) already
    /// declares with that parameter, or a new one; never one of `avoid`, never text the policies
    /// hold.
    fn give(
        &mut self,
        slot: Slot,
        example: &str,
        avoid: &[String],
        text: &str,
    ) -> (String, String) {
        for n in 1.. {
            let (token, param) = slot.names(n);
            if avoid.contains(&token) || text.contains(&token) {
                continue;
            }
            let param_elsewhere = self
                .taken
                .iter()
                .any(|(t, p)| *t != token && p.as_deref() == Some(param.as_str()));
            match self.taken.get(&token) {
                Some(Some(p)) if *p == param => return (token, param),
                None if !param_elsewhere => {
                    self.taken.insert(token.clone(), Some(param.clone()));
                    self.declared
                        .push((token.clone(), param.clone(), example.to_string()));
                    return (token, param);
                }
                _ => {}
            }
        }
        unreachable!("an unused token exists")
    }
}

/// One entry for several policies of one shape.
#[derive(Debug)]
pub struct Merged {
    /// The entry's statements, with placeholder tokens where the policies differ.
    pub statements: Vec<Value>,
    /// For each policy, the directive parameters that give it back (`account`, `444455556666`).
    pub params: Vec<Vec<(String, String)>>,
}

/// Merges policies of one shape (see [`shape`]); `None` when the entry would not give each back.
pub fn merge(members: &[&[Value]], tokens: &mut Tokens) -> Option<Merged> {
    let values: Vec<Vec<(Slot, String)>> = members
        .iter()
        .map(|m| shape(m).map(|s| s.1))
        .collect::<Option<_>>()?;
    let count = values.first()?.len();
    if values.iter().any(|v| v.len() != count) {
        return None;
    }
    let text: String = members.iter().map(|m| key(m)).collect();
    // Each slot whose values differ: one placeholder per kind and list of values.
    let mut by_values: HashMap<(Slot, Vec<&str>), (String, String)> = HashMap::new();
    let mut chosen: Vec<Option<(String, String)>> = Vec::with_capacity(count);
    let mut used: Vec<String> = Vec::new();
    for i in 0..count {
        let slot = values[0][i].0;
        let column: Vec<&str> = values.iter().map(|v| v[i].1.as_str()).collect();
        if column.iter().all(|v| *v == column[0]) {
            chosen.push(None);
            continue;
        }
        let names = by_values
            .entry((slot, column.clone()))
            .or_insert_with(|| {
                let names = tokens.give(slot, column[0], &used, &text);
                used.push(names.0.clone());
                names
            })
            .clone();
        chosen.push(Some(names));
    }
    let statements = replace_slots(members[0], &mut |_, value, i| match &chosen[i] {
        Some((token, _)) => token.clone(),
        None => value.to_string(),
    });
    let mut params = Vec::new();
    for (m, v) in members.iter().zip(&values) {
        let mut p: Vec<(String, String)> = Vec::new();
        let mut fill: Vec<(String, String)> = Vec::new();
        for (i, c) in chosen.iter().enumerate() {
            if let Some((token, param)) = c
                && !p.iter().any(|(k, _)| k == param)
            {
                p.push((param.clone(), v[i].1.clone()));
                fill.push((token.clone(), v[i].1.clone()));
            }
        }
        let back: Vec<Value> = statements
            .iter()
            .map(|s| crate::catalog::fill_value(s, &fill))
            .collect();
        if key(&back) != key(m) {
            return None;
        }
        params.push(p);
    }
    Some(Merged { statements, params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn statements(text: &str) -> Vec<Value> {
        match crate::json::parse(&SourceFile::new("t.json", text))
            .unwrap()
            .kind
        {
            Kind::Array(items) => items,
            _ => panic!(),
        }
    }

    #[test]
    fn slots_are_arn_fields_buckets_and_lone_account_ids() {
        let s = "arn:aws:kms:us-east-1:111122223333:key/k";
        let got: Vec<(&str, Slot)> = slots(s).into_iter().map(|(r, k)| (&s[r], k)).collect();
        assert_eq!(
            got,
            [("us-east-1", Slot::Region), ("111122223333", Slot::Account)]
        );
        let s = "arn:aws:s3:::amzn-s3-demo-bucket/logs/*";
        assert_eq!(slots(s), [(13..32, Slot::Bucket)]);
        assert_eq!(slots("111122223333"), [(0..12, Slot::Account)]);
        assert!(slots("arn:aws:s3:::*").is_empty());
        assert!(slots("arn:aws:iam::*:role/x").is_empty());
        assert!(slots("s3:GetObject").is_empty());
    }

    #[test]
    fn policies_differing_in_an_account_become_one_entry() {
        let a = statements(
            r#"[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]"#,
        );
        let b = statements(
            r#"[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::444455556666:role/app","Condition":{"StringEquals":{"aws:SourceAccount":"444455556666"}}}]"#,
        );
        assert_eq!(shape(&a).unwrap().0, shape(&b).unwrap().0);
        let mut tokens = Tokens::default();
        let m = merge(&[&a, &b], &mut tokens).unwrap();
        let text = key(&m.statements);
        assert!(
            text.contains("arn:aws:iam::<ACCOUNT_ID>:role/app"),
            "{text}"
        );
        assert!(
            text.contains("\"aws:SourceAccount\": \"<ACCOUNT_ID>\""),
            "{text}"
        );
        assert_eq!(m.params[0], [("account".into(), "111122223333".into())]);
        assert_eq!(m.params[1], [("account".into(), "444455556666".into())]);
        assert_eq!(
            tokens.declared,
            [(
                "<ACCOUNT_ID>".into(),
                "account".into(),
                "111122223333".into()
            )]
        );
    }

    #[test]
    fn two_accounts_that_vary_apart_are_two_placeholders_and_equal_values_stay() {
        let arn = |a: &str, b: &str| {
            format!(
                r#"[{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::{a}:role/x","arn:aws:iam::{b}:role/y","arn:aws:iam::999999999999:role/z"]}}]"#
            )
        };
        let a = statements(&arn("111122223333", "111122223333"));
        let b = statements(&arn("111122223333", "444455556666"));
        let c = statements(&arn("222233334444", "444455556666"));
        let mut tokens = Tokens::default();
        let m = merge(&[&a, &b, &c], &mut tokens).unwrap();
        let text = key(&m.statements);
        assert!(text.contains("arn:aws:iam::<ACCOUNT_ID>:role/x"), "{text}");
        assert!(
            text.contains("arn:aws:iam::<ACCOUNT_ID_2>:role/y"),
            "{text}"
        );
        assert!(text.contains("arn:aws:iam::999999999999:role/z"), "{text}");
        assert_eq!(
            m.params[2],
            [
                ("account".into(), "222233334444".into()),
                ("account2".into(), "444455556666".into())
            ]
        );
    }

    #[test]
    fn a_token_the_catalog_gives_another_meaning_is_not_reused() {
        let catalog = crate::catalog::Catalog::from_text(
            "c.toml",
            "[placeholders.\"<ACCOUNT_ID>\"]\nexample = \"1\"\n\
             [placeholders.\"<REGION>\"]\nexample = \"us-east-1\"\nparam = \"region\"\n",
        )
        .catalog;
        let mut tokens = Tokens::new(&catalog);
        let a = statements(
            r#"[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/k"}]"#,
        );
        let b = statements(
            r#"[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:eu-west-1:444455556666:key/k"}]"#,
        );
        let m = merge(&[&a, &b], &mut tokens).unwrap();
        assert!(
            key(&m.statements).contains("arn:aws:kms:<REGION>:<ACCOUNT_ID_2>:key/k"),
            "{}",
            key(&m.statements)
        );
        // `<REGION>` is the catalog's; only the account placeholder is new.
        assert_eq!(
            tokens.declared,
            [(
                "<ACCOUNT_ID_2>".into(),
                "account2".into(),
                "111122223333".into()
            )]
        );
    }

    #[test]
    fn different_shapes_do_not_merge() {
        let a = statements(
            r#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a-bucket/*"}]"#,
        );
        let b = statements(
            r#"[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b-bucket/*"}]"#,
        );
        assert_ne!(shape(&a).unwrap().0, shape(&b).unwrap().0);
    }
}
