//! The catalog text `adopt` writes: new reusable statements and policies as TOML tables (built
//! with `toml_edit`, so keys are quoted and values escaped as TOML wants), appended after the
//! existing text, which stays byte for byte as it was: its comments, order and layout.

use crate::json::{Kind, Value};
use crate::policy::PolicyKind;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

/// One statement of a new policy: a reusable statement by name, or its elements.
pub enum NewStatement {
    Named(String),
    Inline(Value),
}

pub struct NewPolicy {
    pub name: String,
    pub kind: PolicyKind,
    pub file: Option<String>,
    pub statements: Vec<NewStatement>,
}

pub struct NewNamedStatement {
    pub name: String,
    pub body: Value,
}

/// A JSON value as a TOML value, or `None` for what TOML cannot hold (`null`).
fn to_toml(v: &Value) -> Option<toml_edit::Value> {
    Some(match &v.kind {
        Kind::Null => return None,
        Kind::Bool(b) => (*b).into(),
        Kind::String(s) => s.as_str().into(),
        Kind::Number(n) => {
            // An integer only when TOML writes it back as JSON wrote it (`-0` is not).
            if let Some(i) = n.parse::<i64>().ok().filter(|i| i.to_string() == *n) {
                i.into()
            } else {
                let f: f64 = n.parse().ok()?;
                // Kept only when TOML writes it back as JSON wrote it.
                let value: toml_edit::Value = f.into();
                if value.to_string().trim() != n {
                    return None;
                }
                value
            }
        }
        Kind::Array(items) => {
            let mut a = Array::new();
            for i in items {
                a.push(to_toml(i)?);
            }
            toml_edit::Value::Array(a)
        }
        Kind::Object(members) => {
            let mut t = InlineTable::new();
            for m in members {
                t.insert(&m.key, to_toml(&m.value)?);
            }
            toml_edit::Value::InlineTable(t)
        }
    })
}

/// A statement's elements as the lines of a TOML table.
fn statement_table(body: &Value) -> Option<Table> {
    let mut t = Table::new();
    for m in body.as_object()? {
        t.insert(&m.key, Item::Value(to_toml(&m.value)?));
    }
    Some(t)
}

/// Whether TOML can hold this value exactly.
pub fn representable(v: &Value) -> bool {
    to_toml(v).is_some()
}

/// The TOML text of the new entries, each table on its own lines, statements first (policies
/// name them). `None` if a value cannot be written (checked before with [`representable`]).
pub fn entries_text(statements: &[NewNamedStatement], policies: &[NewPolicy]) -> Option<String> {
    let mut doc = DocumentMut::new();
    if !statements.is_empty() {
        let mut all = Table::new();
        all.set_implicit(true);
        for s in statements {
            all.insert(&s.name, Item::Table(statement_table(&s.body)?));
        }
        doc.insert("statements", Item::Table(all));
    }
    if !policies.is_empty() {
        let mut all = Table::new();
        all.set_implicit(true);
        for p in policies {
            let mut t = Table::new();
            if p.kind != PolicyKind::Identity {
                t.insert("kind", toml_edit::value(p.kind.as_str()));
            }
            if let Some(f) = &p.file {
                t.insert("file", toml_edit::value(f.as_str()));
            }
            let mut list = ArrayOfTables::new();
            for s in &p.statements {
                let table = match s {
                    NewStatement::Named(n) => {
                        let mut t = Table::new();
                        t.insert("use", toml_edit::value(n.as_str()));
                        t
                    }
                    NewStatement::Inline(v) => statement_table(v)?,
                };
                list.push(table);
            }
            t.insert("statements", Item::ArrayOfTables(list));
            all.insert(&p.name, Item::Table(t));
        }
        doc.insert("policies", Item::Table(all));
    }
    Some(doc.to_string())
}

/// The TOML text of new placeholders (`token`, `param`, `example`), each a table a directive's
/// parameter fills.
pub fn placeholders_text(placeholders: &[(String, String, String)]) -> String {
    if placeholders.is_empty() {
        return String::new();
    }
    let mut doc = DocumentMut::new();
    let mut all = Table::new();
    all.set_implicit(true);
    for (token, param, example) in placeholders {
        let mut t = Table::new();
        t.insert("example", toml_edit::value(example.as_str()));
        t.insert("param", toml_edit::value(param.as_str()));
        all.insert(token, Item::Table(t));
    }
    doc.insert("placeholders", Item::Table(all));
    let mut text = doc.to_string();
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text
}

/// The catalog after adoption: the text it had (or, for a new catalog, the `#:schema` comment
/// editors read the JSON Schema from, and its schema version), then the new entries after a
/// blank line.
pub fn extended(before: Option<&str>, entries: &str) -> String {
    let mut out = match before {
        Some(text) => text.to_string(),
        None => format!(
            "#:schema {}\nschema-version = \"{}.{}\"\n",
            crate::catalog::schema::versioned_url(),
            crate::catalog::SCHEMA_VERSION.major,
            crate::catalog::SCHEMA_VERSION.minor
        ),
    };
    if entries.trim().is_empty() {
        return out;
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(entries.trim_start_matches('\n'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn json(text: &str) -> Value {
        crate::json::parse(&SourceFile::new("t.json", text)).unwrap()
    }

    #[test]
    fn entries_are_tables_that_the_catalog_reads_back() {
        let shared = json(r#"{"Sid":"Deny","Effect":"Deny","Action":"*","Resource":"*"}"#);
        let inline = json(
            r#"{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600},"Bool":{"aws:SecureTransport":true}}}"#,
        );
        let text = entries_text(
            &[NewNamedStatement {
                name: "deny".into(),
                body: shared,
            }],
            &[NewPolicy {
                name: "read".into(),
                kind: PolicyKind::Resource,
                file: Some("read.json".into()),
                statements: vec![
                    NewStatement::Named("deny".into()),
                    NewStatement::Inline(inline),
                ],
            }],
        )
        .unwrap();
        let before = "# kept\nschema-version = \"1.0\"  # as it was";
        let all = extended(Some(before), &text);
        assert!(all.starts_with(before), "{all}");
        let loaded = crate::catalog::Catalog::from_text("c.toml", &all);
        assert!(!loaded.has_errors(), "{all}\n{:?}", loaded.findings);
        let p = loaded.catalog.policy("read").unwrap();
        assert_eq!(p.kind, PolicyKind::Resource);
        assert_eq!(p.file.as_deref(), Some("read.json"));
        let (built, _) = loaded.catalog.build_policy(p, &[]);
        let out = crate::policy::to_prettier_json(&built.to_value());
        assert!(out.contains("\"aws:MultiFactorAuthAge\": 3600"), "{out}");
        assert!(out.contains("\"aws:SecureTransport\": true"), "{out}");
        assert!(out.contains("\"Sid\": \"Deny\""), "{out}");
    }

    #[test]
    fn null_is_not_representable() {
        assert!(!representable(&json(r#"{"a":null}"#)));
        assert!(representable(&json(r#"{"a":[1,"b",false]}"#)));
    }

    #[test]
    fn a_new_catalog_starts_with_its_schema() {
        let all = extended(None, "[policies.a]\n");
        assert_eq!(
            all,
            format!(
                "#:schema https://raw.githubusercontent.com/mdbook-iam/mdbook-iam/v{}/schema/iam-catalog.schema.json\nschema-version = \"1.0\"\n\n[policies.a]\n",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
