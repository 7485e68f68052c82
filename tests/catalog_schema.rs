//! The committed JSON Schema for `iam-catalog.toml` (`schema/iam-catalog.schema.json`) is the one
//! `mdbook_iam::catalog::schema` writes from the declaration the loader checks keys against, so
//! editors and the loader cannot disagree about the catalog's shape.

use std::path::Path;

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/iam-catalog.schema.json");
    let generated = mdbook_iam::catalog::schema::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} differs from the schema the catalog's declaration (src/catalog/schema.rs) gives; \
         regenerate it with `UPDATE_SCHEMA=1 cargo test --test catalog_schema` and commit it",
        path.display()
    );
}

#[test]
fn the_schema_is_json_with_the_published_id() {
    let schema: serde_json::Value =
        serde_json::from_str(&mdbook_iam::catalog::schema::json_schema()).expect("JSON");
    assert_eq!(schema["$id"], mdbook_iam::catalog::schema::SCHEMA_ID);
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
}

// The loader and the declaration agree: a catalog using every declared key loads clean, each
// required key is needed and each other key is not, and an undeclared key is rejected, table by
// table. The fixture must name every declared key, so a key added to the declaration without a
// loader that reads it fails here.

use mdbook_iam::catalog::Catalog;
use mdbook_iam::catalog::schema::{self, Shape, Table};
use mdbook_iam::diagnostic::Code;

/// One section of the fixture: its TOML header (empty for the top level), the declared table it
/// is written against, and its keys with their values.
struct Section {
    header: &'static str,
    table: &'static Table,
    keys: Vec<(&'static str, &'static str)>,
}

fn fixture() -> Vec<Section> {
    vec![
        Section {
            header: "",
            table: &schema::CATALOG,
            keys: vec![
                ("schema-version", r#""1.0""#),
                ("strict-placeholders", "false"),
                ("include", "[]"),
            ],
        },
        Section {
            header: "[policies.p]",
            table: &schema::POLICY,
            keys: vec![
                ("kind", r#""identity""#),
                ("file", r#""p.json""#),
                ("name", r#""P""#),
                ("title", r#""t""#),
                ("description", r#""d""#),
                ("modifiers", r#"["m"]"#),
                (
                    "statements",
                    r#"["S", { use = "S" }, { Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]"#,
                ),
                ("claims", r#"["allows s3:GetObject"]"#),
            ],
        },
        Section {
            header: "[statements.S]",
            table: &schema::STATEMENT,
            keys: vec![
                ("description", r#""d""#),
                ("claims", r#"["allows s3:GetObject"]"#),
                ("Effect", r#""Allow""#),
                ("Action", r#""s3:GetObject""#),
                ("Resource", r#""*""#),
            ],
        },
        Section {
            header: "[modifiers.m]",
            table: &schema::MODIFIER,
            keys: vec![
                ("description", r#""d""#),
                (
                    "add-condition",
                    r#"{ Bool = { "aws:SecureTransport" = "true" } }"#,
                ),
                ("applies-to", r#""allow""#),
                ("append", r#"["S"]"#),
            ],
        },
        Section {
            header: "[callouts.c]",
            table: &schema::CALLOUT,
            keys: vec![
                ("style", r#""note""#),
                ("title", r#""t""#),
                ("body", r#""b""#),
                ("params", "{ x = { type = \"string\" } }"),
            ],
        },
        Section {
            header: "[callouts.d.params.x]",
            table: &schema::PARAM,
            keys: vec![
                ("type", r#""action""#),
                ("default", r#""s3:GetObject""#),
                ("description", r#""d""#),
            ],
        },
        Section {
            header: r#"[condition-keys."aws:CalledVia"]"#,
            table: &schema::CONDITION_KEY,
            keys: vec![
                ("type", r#""ArrayOfString""#),
                ("description", r#""d""#),
                ("values", r#""service-principal""#),
            ],
        },
        Section {
            header: r#"[deprecations."s3:GetObjectOld"]"#,
            table: &schema::DEPRECATION,
            keys: vec![("since", "2026-03-24"), ("hint", r#""h""#)],
        },
        Section {
            header: r#"[placeholders."<X>"]"#,
            table: &schema::PLACEHOLDER,
            keys: vec![
                ("example", r#""x""#),
                ("description", r#""d""#),
                ("param", r#""x""#),
            ],
        },
        Section {
            header: "[roles.r]",
            table: &schema::ROLE,
            keys: vec![
                ("name", r#""R""#),
                ("description", r#""d""#),
                ("trust-policy", r#""t""#),
                ("policies", r#"["p"]"#),
                ("claims", "[]"),
            ],
        },
    ]
}

/// The callout the `[callouts.d.params.x]` section belongs to, and the `[lints]` table: written
/// after the sections (a TOML header closes the top level).
const TAIL: &str =
    "[callouts.d]\ntitle = \"t\"\nbody = \"b\"\n\n[lints]\nretired-action = \"warn\"\n";

fn render(sections: &[Section]) -> String {
    let mut text = String::new();
    for s in sections {
        if !s.header.is_empty() {
            text.push_str(s.header);
            text.push('\n');
        }
        for (k, v) in &s.keys {
            text.push_str(&format!("{k} = {v}\n"));
        }
        text.push('\n');
    }
    text.push_str(TAIL);
    text
}

/// The catalog-schema findings of loading `text`, as `line: message` for assertion messages.
fn schema_findings(text: &str) -> Vec<String> {
    Catalog::from_text("iam-catalog.toml", text)
        .findings
        .into_iter()
        .filter(|f| f.code == Code::CatalogSchema)
        .map(|f| f.message)
        .collect()
}

fn label(s: &Section) -> &'static str {
    if s.header.is_empty() {
        "the top level"
    } else {
        s.header
    }
}

fn lowercase(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
}

#[test]
fn the_fixture_names_every_declared_key_and_loads_clean() {
    let sections = fixture();
    let mut tables: Vec<&Table> = vec![&schema::CATALOG];
    let mut i = 0;
    while i < tables.len() {
        for k in tables[i].keys {
            if let Shape::Entries(t, _) = k.shape {
                tables.push(t);
            }
        }
        i += 1;
    }
    for t in &tables {
        let section = sections
            .iter()
            .find(|s| std::ptr::eq(s.table, *t))
            .unwrap_or_else(|| panic!("no fixture section for the table \"{}\"", t.description));
        let mut written: Vec<&str> = section
            .keys
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| lowercase(k))
            .collect();
        written.sort_unstable();
        let mut declared: Vec<&str> = t.names().collect();
        if std::ptr::eq(*t, &schema::CATALOG) {
            // Tables of entries are the sections themselves; `lints` is in the tail.
            declared.retain(|k| {
                !matches!(
                    t.keys.iter().find(|d| d.name == *k).map(|d| d.shape),
                    Some(Shape::Entries(..))
                ) && *k != "lints"
            });
        }
        declared.sort_unstable();
        assert_eq!(
            written,
            declared,
            "{}: the fixture writes each declared key once",
            label(section)
        );
    }
    assert_eq!(schema_findings(&render(&sections)), Vec::<String>::new());
}

#[test]
fn required_keys_are_needed_and_others_are_not() {
    let sections = fixture();
    for (i, s) in sections.iter().enumerate() {
        for (j, (name, _)) in s.keys.iter().enumerate() {
            let Some(key) = s.table.keys.iter().find(|k| k.name == *name) else {
                continue; // an IAM element of a reusable statement
            };
            let mut without = fixture();
            without[i].keys.remove(j);
            let found = schema_findings(&render(&without));
            assert_eq!(
                !found.is_empty(),
                key.required,
                "{} without `{name}`: the declaration says required = {}, the loader reported {found:?}",
                label(s),
                key.required
            );
        }
        if !s.table.needs_one_of.is_empty() {
            let mut without = fixture();
            without[i]
                .keys
                .retain(|(k, _)| !s.table.needs_one_of.contains(k));
            assert!(
                !schema_findings(&render(&without)).is_empty(),
                "{} without any of {:?} loads clean",
                label(s),
                s.table.needs_one_of
            );
        }
    }
}

#[test]
fn undeclared_keys_are_rejected_in_every_table() {
    for (i, s) in fixture().iter().enumerate() {
        for misspelt in ["zzz-unknown", "statment", "modifers", "descripton"] {
            let mut with = fixture();
            with[i].keys.push((misspelt, r#""x""#));
            let found = schema_findings(&render(&with));
            assert!(
                found.iter().any(|m| m.contains(misspelt)),
                "{} with `{misspelt}`: the loader reported {found:?}",
                label(s)
            );
        }
    }
}
