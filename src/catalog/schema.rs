//! The catalog's shape, declared once: every table, its keys, what each key holds, which keys are
//! required, and a line on each. The loader checks keys against these tables (`known_keys`), and
//! `json_schema` writes the same declaration as a JSON Schema (draft-07) for editors and
//! validators, committed at `schema/iam-catalog.schema.json` (`tests/catalog_schema.rs` keeps the
//! file equal to what this module writes).

use super::{AppliesTo, CalloutStyle, ParamType};
use crate::diagnostic::Code;
use crate::diagnostic::levels::{Level, fixed_level};
use crate::iam::element;
use crate::iam::key_type::KeyType;
use crate::iam::principal::PrincipalType;
use crate::policy::PolicyKind;
use serde_json::{Map, Value, json};

/// Where the schema is published: the file in the repository's main branch.
pub const SCHEMA_ID: &str =
    "https://raw.githubusercontent.com/mdbook-iam/mdbook-iam/main/schema/iam-catalog.schema.json";

/// The schema for this version, as a catalog `adopt` writes names it (a tag never moves).
pub fn versioned_url() -> String {
    format!(
        "https://raw.githubusercontent.com/mdbook-iam/mdbook-iam/v{}/schema/iam-catalog.schema.json",
        env!("CARGO_PKG_VERSION")
    )
}

/// What a key holds.
#[derive(Clone, Copy)]
pub enum Shape {
    /// Any string.
    String,
    /// One of a fixed list of strings.
    OneOf(fn() -> Vec<&'static str>),
    Bool,
    /// An array of strings.
    Strings,
    /// Any value (the loader keeps its text).
    Any,
    /// A table of named entries, each with the keys of `Table`; entry names match the pattern
    /// when one is given.
    Entries(&'static Table, Option<&'static str>),
    /// A string or table whose rule is more than a list of keys: written as its JSON Schema.
    Rule(fn() -> Value),
}

/// One key of a table.
pub struct Key {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub description: &'static str,
}

const fn key(name: &'static str, shape: Shape, description: &'static str) -> Key {
    Key {
        name,
        shape,
        required: false,
        description,
    }
}

const fn required(name: &'static str, shape: Shape, description: &'static str) -> Key {
    Key {
        name,
        shape,
        required: true,
        description,
    }
}

/// A table of the catalog: the keys it takes (any other key is an error).
pub struct Table {
    pub description: &'static str,
    pub keys: &'static [Key],
    /// Keys that do not start with a lowercase letter are IAM statement elements (a reusable
    /// statement's body).
    pub iam_elements: bool,
    /// At least one of these keys must be given.
    pub needs_one_of: &'static [&'static str],
}

impl Table {
    /// The names of the keys, in declaration order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + Clone + '_ {
        self.keys.iter().map(|k| k.name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }
}

pub static CATALOG: Table = Table {
    description: "An mdbook-iam catalog: the policies, statements, callouts and roles documentation pages show, from one TOML file.",
    keys: &[
        key(
            "schema-version",
            Shape::Rule(schema_version),
            "The catalog schema the file is written for, checked with semver: 1.x up to what the binary reads.",
        ),
        key(
            "include",
            Shape::Strings,
            "Other catalog files to read, relative to this file and inside the docs tree.",
        ),
        key(
            "policies",
            Shape::Entries(&POLICY, None),
            "Published policies by name, each built from statements and modifiers.",
        ),
        key(
            "statements",
            Shape::Entries(&STATEMENT, None),
            "Reusable statements by name: policies list them, `iam-statement` shows one alone.",
        ),
        key(
            "modifiers",
            Shape::Entries(&MODIFIER, None),
            "Named changes to a policy: a condition added to its statements, statements appended.",
        ),
        key(
            "callouts",
            Shape::Entries(&CALLOUT, None),
            "Callout templates by name: a styled box with a title and a Markdown body.",
        ),
        key(
            "condition-keys",
            Shape::Entries(&CONDITION_KEY, None),
            "Documentation of condition keys by key: their IAM type, a description, a value rule.",
        ),
        key(
            "deprecations",
            Shape::Entries(&DEPRECATION, Some(":")),
            "Deprecated actions by action (`service:Action`, or a pattern such as `aws-mcp:*`), each with a migration hint.",
        ),
        key(
            "placeholders",
            Shape::Entries(&PLACEHOLDER, None),
            "Documentation placeholders by token, such as `<YOUR_AWS_ACCOUNT_ID>`; validation substitutes the example.",
        ),
        key(
            "strict-placeholders",
            Shape::Bool,
            "When true, a token shaped like a placeholder that the catalog does not declare is an error (default false).",
        ),
        key(
            "roles",
            Shape::Entries(&ROLE, None),
            "IAM roles by name: a trust policy and the identity policies attached to it.",
        ),
        key(
            "lints",
            Shape::Rule(lints),
            "The team's level for each diagnostic code (allow, info, warn, deny); top catalog file only.",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static POLICY: Table = Table {
    description: "A published policy.",
    keys: &[
        key(
            "kind",
            Shape::OneOf(policy_kinds),
            "identity (default), trust or resource.",
        ),
        key(
            "file",
            Shape::Rule(plain_file_name),
            "The file name readers save the policy as, shown as the code block's title (default `NAME.json`).",
        ),
        key(
            "name",
            Shape::Rule(policy_name),
            "The IAM policy name, used by the role commands.",
        ),
        key("title", Shape::String, "A title for the policy."),
        key("description", Shape::String, "What the policy is for."),
        key(
            "modifiers",
            Shape::Strings,
            "Modifiers applied whenever the policy is shown.",
        ),
        required(
            "statements",
            Shape::Rule(policy_statements),
            "The policy's statements: reusable statements by name (or `{ use = \"NAME\" }`) and inline tables of IAM elements.",
        ),
        key(
            "claims",
            Shape::Strings,
            "Claims about access the policy must keep, proven on every run, such as `denies s3:PutObject`.",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static STATEMENT: Table = Table {
    description: "A reusable statement: IAM elements (capitalized, as in JSON) and catalog fields (lowercase).",
    keys: &[
        key("description", Shape::String, "What the statement is for."),
        key(
            "claims",
            Shape::Strings,
            "Claims about access the statement must keep, proven on every run.",
        ),
    ],
    iam_elements: true,
    needs_one_of: &[],
};

pub static MODIFIER: Table = Table {
    description: "A named change to a policy.",
    keys: &[
        key("description", Shape::String, "What the modifier does."),
        key(
            "add-condition",
            Shape::Rule(condition),
            "An IAM Condition element added to the statements `applies-to` selects.",
        ),
        key(
            "applies-to",
            Shape::OneOf(applies_to),
            "Which statements get the condition: allow (default), deny or all.",
        ),
        key(
            "append",
            Shape::Strings,
            "Reusable statements appended once (matched by Sid).",
        ),
    ],
    iam_elements: false,
    needs_one_of: &["add-condition", "append"],
};

pub static CALLOUT: Table = Table {
    description: "A callout template.",
    keys: &[
        key(
            "style",
            Shape::OneOf(callout_styles),
            "The box's style (default note); troubleshooting is a collapsible box.",
        ),
        required(
            "title",
            Shape::String,
            "The title; `{param}` is replaced by a parameter, `{{` and `}}` are literal braces.",
        ),
        required(
            "body",
            Shape::String,
            "The Markdown body; `{param}` is replaced by a parameter, `{{` and `}}` are literal braces.",
        ),
        key(
            "params",
            Shape::Entries(&PARAM, None),
            "The parameters `{param}` in the title and body name.",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static PARAM: Table = Table {
    description: "A callout parameter.",
    keys: &[
        key(
            "type",
            Shape::OneOf(param_types),
            "What the value must be (default string); action, policy, role and condition-key values are checked.",
        ),
        key(
            "default",
            Shape::String,
            "The value when the directive gives none; without a default the parameter is required.",
        ),
        key("description", Shape::String, "What the parameter is."),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static CONDITION_KEY: Table = Table {
    description: "Documentation of a condition key.",
    keys: &[
        required(
            "type",
            Shape::Rule(key_type),
            "The key's IAM type (String, ARN, Numeric, Date, Bool, IPAddress, Binary, ArrayOf...); operators are checked against it.",
        ),
        required("description", Shape::String, "What the key holds."),
        key(
            "values",
            Shape::OneOf(value_rules),
            "A rule for the key's values: service-principal (a service principal, so `true`/`false` is an error).",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static DEPRECATION: Table = Table {
    description: "A deprecated action.",
    keys: &[
        key(
            "since",
            Shape::Any,
            "When the action was deprecated, such as 2026-03-24.",
        ),
        required("hint", Shape::String, "What to grant instead."),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static PLACEHOLDER: Table = Table {
    description: "A documentation placeholder.",
    keys: &[
        required(
            "example",
            Shape::String,
            "The value validation substitutes for the token.",
        ),
        key(
            "description",
            Shape::String,
            "What readers put in its place.",
        ),
        key(
            "param",
            Shape::Rule(placeholder_param),
            "The `iam-policy` parameter that fills the token on one page, as `iam-policy NAME account=111122223333`.",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

pub static ROLE: Table = Table {
    description: "An IAM role.",
    keys: &[
        required("name", Shape::Rule(role_name), "The IAM role name."),
        key("description", Shape::String, "What the role is for."),
        required(
            "trust-policy",
            Shape::String,
            "The catalog policy of kind trust that says who may assume the role.",
        ),
        key(
            "policies",
            Shape::Strings,
            "The identity policies attached to the role, each with a `name`.",
        ),
        key(
            "claims",
            Shape::Strings,
            "Claims about access the role must keep, proven on every run.",
        ),
    ],
    iam_elements: false,
    needs_one_of: &[],
};

fn policy_kinds() -> Vec<&'static str> {
    PolicyKind::ALL.map(PolicyKind::as_str).to_vec()
}

fn applies_to() -> Vec<&'static str> {
    AppliesTo::ALL.map(AppliesTo::as_str).to_vec()
}

fn callout_styles() -> Vec<&'static str> {
    CalloutStyle::ALL.map(CalloutStyle::as_str).to_vec()
}

fn param_types() -> Vec<&'static str> {
    ParamType::ALL.map(ParamType::as_str).to_vec()
}

fn value_rules() -> Vec<&'static str> {
    super::ValueRule::ALL.map(super::ValueRule::as_str).to_vec()
}

fn schema_version() -> Value {
    json!({
        "type": "string",
        "examples": [format!("{}.{}", super::SCHEMA_VERSION.major, super::SCHEMA_VERSION.minor)],
    })
}

/// `is_plain_file_name`: no path separator, no control character, not `.` or `..`.
fn plain_file_name() -> Value {
    json!({
        "type": "string",
        "pattern": "^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+$",
        "not": { "enum": [".", ".."] },
    })
}

/// IAM's rule for names: 1 to `max` letters, digits and `+=,.@_-`.
fn iam_name(max: usize) -> Value {
    json!({ "type": "string", "pattern": "^[A-Za-z0-9+=,.@_-]+$", "maxLength": max })
}

fn policy_name() -> Value {
    iam_name(128)
}

fn role_name() -> Value {
    iam_name(64)
}

/// A word of letters, digits, `-` and `_`, not `iam-policy`'s own `file`.
fn placeholder_param() -> Value {
    json!({
        "type": "string",
        "pattern": "^[A-Za-z0-9_-]+$",
        "not": { "const": crate::resolve::FILE_PARAM },
    })
}

/// IAM's type names, read case-insensitively and with AWS's other spellings (`Boolean`, `Long`).
fn key_type() -> Value {
    let names: Vec<String> = KeyType::NAMES
        .iter()
        .chain(KeyType::ALIASES.iter().map(|(a, _)| a))
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    json!({
        "type": "string",
        "anyOf": [
            { "enum": KeyType::NAMES },
            { "pattern": format!("^(?:{})$", names.join("|")) },
        ],
    })
}

fn policy_statements() -> Value {
    json!({
        "type": "array",
        "items": {
            "anyOf": [
                { "type": "string", "description": "A reusable statement by name." },
                {
                    "type": "object",
                    "description": "A reusable statement by name.",
                    "properties": { "use": { "type": "string" } },
                    "required": ["use"],
                    "additionalProperties": false,
                },
                { "$ref": "#/definitions/iam-statement" },
            ],
        },
    })
}

/// A reference written inside `allOf`: draft-07 ignores the keys beside a `$ref`, the description
/// among them.
fn reference(definition: &str) -> Value {
    json!({ "allOf": [{ "$ref": format!("#/definitions/{definition}") }] })
}

fn condition() -> Value {
    reference("condition")
}

fn lints() -> Value {
    let properties: Map<String, Value> = Code::ALL
        .iter()
        .map(|&code| {
            let levels: Vec<&str> = match fixed_level(code) {
                Some(_) => vec![Level::Deny.as_str()],
                None => Level::ALL.map(Level::as_str).to_vec(),
            };
            let mut description = code.summary().to_string();
            if let Some(why) = fixed_level(code) {
                description.push_str(&format!(" Its level cannot be set: {why}."));
            }
            (
                code.as_str().to_string(),
                json!({ "enum": levels, "description": description }),
            )
        })
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// A string or an array of strings, as IAM's Action and Resource elements take.
fn one_or_more() -> Value {
    json!({
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" }, "minItems": 1 },
        ],
    })
}

/// The IAM statement elements, each with its shape (the policy reader's rules).
fn iam_elements() -> Map<String, Value> {
    element::STATEMENT_ELEMENTS
        .iter()
        .map(|&name| {
            let (shape, description) = match name {
                element::SID => (json!({ "type": "string" }), "The statement's identifier."),
                element::EFFECT => (json!({ "enum": ["Allow", "Deny"] }), "Allow or Deny."),
                element::PRINCIPAL | element::NOT_PRINCIPAL => (
                    reference("principal"),
                    "\"*\" or a table of principal types (trust and resource policies).",
                ),
                element::ACTION | element::NOT_ACTION => (
                    one_or_more(),
                    "An action (`service:Action`, wildcards allowed) or several.",
                ),
                element::RESOURCE | element::NOT_RESOURCE => (
                    one_or_more(),
                    "An ARN (wildcards and placeholders allowed) or several.",
                ),
                element::CONDITION => (condition(), "Conditions: { Operator = { key = value } }."),
                _ => (json!({}), ""),
            };
            let mut shape = shape;
            if !description.is_empty() {
                shape["description"] = json!(description);
            }
            (name.to_string(), shape)
        })
        .collect()
}

fn definitions() -> Value {
    let scalar = json!({ "type": ["string", "number", "boolean"] });
    let principals: Map<String, Value> = PrincipalType::ALL
        .iter()
        .map(|t| (t.as_str().to_string(), one_or_more()))
        .collect();
    json!({
        "iam-statement": {
            "type": "object",
            "description": "A statement written inline: IAM elements, as in JSON.",
            "properties": iam_elements(),
            "required": [element::EFFECT],
            "additionalProperties": false,
        },
        "condition": {
            "type": "object",
            "description": "An IAM Condition element: operator, then condition key, then a value or an array of values.",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        scalar,
                        { "type": "array", "items": scalar },
                    ],
                },
            },
        },
        "principal": {
            "anyOf": [
                { "const": "*" },
                {
                    "type": "object",
                    "properties": principals,
                    "additionalProperties": false,
                },
            ],
        },
    })
}

fn shape_schema(shape: &Shape) -> Value {
    match shape {
        Shape::String => json!({ "type": "string" }),
        Shape::OneOf(values) => json!({ "type": "string", "enum": values() }),
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Strings => json!({ "type": "array", "items": { "type": "string" } }),
        Shape::Any => json!({}),
        Shape::Entries(t, names) => {
            let mut v = json!({
                "type": "object",
                "additionalProperties": table_schema(t),
            });
            if let Some(pattern) = names {
                v["propertyNames"] = json!({ "pattern": pattern });
            }
            v
        }
        Shape::Rule(rule) => rule(),
    }
}

fn table_schema(t: &Table) -> Value {
    let mut properties = Map::new();
    for k in t.keys {
        let mut v = shape_schema(&k.shape);
        v["description"] = json!(k.description);
        properties.insert(k.name.to_string(), v);
    }
    if t.iam_elements {
        properties.extend(iam_elements());
    }
    let mut v = json!({
        "type": "object",
        "description": t.description,
        "properties": properties,
        "additionalProperties": false,
    });
    let required: Vec<&str> = t
        .keys
        .iter()
        .filter(|k| k.required)
        .map(|k| k.name)
        .collect();
    if t.iam_elements {
        v["required"] = json!([element::EFFECT]);
    } else if !required.is_empty() {
        v["required"] = json!(required);
    }
    if !t.needs_one_of.is_empty() {
        v["anyOf"] = t
            .needs_one_of
            .iter()
            .map(|k| json!({ "required": [k] }))
            .collect();
    }
    v
}

/// The catalog's JSON Schema (draft-07), as committed at `schema/iam-catalog.schema.json`.
pub fn json_schema() -> String {
    let mut root = table_schema(&CATALOG);
    root["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    root["$id"] = json!(SCHEMA_ID);
    root["title"] = json!("mdbook-iam catalog (iam-catalog.toml)");
    root["definitions"] = definitions();
    let mut text = serde_json::to_string_pretty(&root).expect("a JSON value");
    text.push('\n');
    text
}
