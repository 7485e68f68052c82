//! Completion: directive kinds after `<<#` (and `{/*`, and a fence's info), then the catalog's
//! names for the kind, modifiers, parameters and claim words; inside a pasted policy and the
//! catalog, actions (with AWS's access level and description), the condition keys the
//! statement's actions take, and condition operators.

use super::context::{CodeAt, Word, code_at, directive_at, words};
use super::workspace::{Document, Opened};
use crate::aws_data::AwsData;
use crate::catalog::Catalog;
use crate::iam::element;
use crate::iam::operator::Operator;
use crate::page::directive::DirectiveKind;
use crate::page::scan::scan;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionResponse, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, Position, TextEdit,
};
use std::collections::BTreeSet;
use std::ops::Range;

/// The words a claim is written with, after its subject (see `crate::eval::claim`).
const CLAIM_WORDS: &[(&str, &str)] = &[
    ("allows", "the request is allowed"),
    ("denies", "the request is denied (explicitly or implicitly)"),
    ("explicitly denies", "a Deny statement applies"),
    ("implicitly denies", "no statement allows the request"),
    ("applies", "the reusable statement applies to the request"),
    ("does not apply", "the reusable statement does not apply"),
    (
        "allows only",
        "every allowed request is one of the listed actions",
    ),
    (
        "allows nothing but",
        "every allowed request is one of the listed actions",
    ),
    ("denies every action", "no request is allowed"),
    ("allows no", "no request for the listed actions is allowed"),
    ("grants no", "no allowed action has the access levels named"),
    (
        "grants only",
        "every allowed action has one of the access levels named",
    ),
    ("with", "modifiers applied to the subject"),
    ("on", "the resource ARN of the request"),
    ("as", "the principal making the request"),
    (
        "when",
        "context keys of the request: KEY is VALUE, KEY is absent",
    ),
    ("and", "another condition"),
    ("is", "the key's value"),
    ("absent", "the key is not in the request"),
    ("access", "ends an access-level claim"),
    ("List", "AWS's access level"),
    ("Read", "AWS's access level"),
    ("Write", "AWS's access level"),
    ("Tagging", "AWS's access level"),
    ("Permissions management", "AWS's access level"),
];

pub fn complete(
    doc: &Document,
    opened: &Opened,
    aws: &AwsData,
    pos: Position,
) -> CompletionResponse {
    let text = &doc.text;
    let at = doc.index.offset(text, pos);
    let mut out = Items::new(doc, at);
    if doc.is_toml() {
        // A TOML file that is no catalog (Cargo.toml, book.toml) gets nothing.
        if opened.path.is_some() {
            let c = code_at(text, 0, at, true);
            code(&mut out, &c, text, aws, opened.catalog());
        }
    } else {
        let scanned = scan(text);
        if let Some(d) =
            directive_at(text, &scanned, at).filter(|d| d.words.start <= at && at <= d.words.end)
        {
            let end = at.min(d.words.end).max(d.words.start);
            directive(
                &mut out,
                &words(text, d.words.start..end),
                text,
                end,
                opened.catalog(),
                aws,
            );
        } else if let Some(b) = scanned
            .pasted
            .iter()
            .find(|b| b.content.first().is_some_and(|c| c.start <= at) && at <= b.span.end)
        {
            let start = b.content[0].start;
            code(
                &mut out,
                &code_at(text, start, at, false),
                text,
                aws,
                opened.catalog(),
            );
        }
    }
    CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items: out.items,
    })
}

/// Completion items that replace the word being typed.
struct Items<'d> {
    doc: &'d Document,
    replace: Range<usize>,
    items: Vec<CompletionItem>,
}

impl<'d> Items<'d> {
    fn new(doc: &'d Document, at: usize) -> Items<'d> {
        Items {
            doc,
            replace: at..at,
            items: Vec::new(),
        }
    }

    fn push(&mut self, label: &str, kind: CompletionItemKind, detail: &str, doc: Option<String>) {
        self.push_as(label, label, kind, detail, doc);
    }

    fn push_as(
        &mut self,
        label: &str,
        insert: &str,
        kind: CompletionItemKind,
        detail: &str,
        doc: Option<String>,
    ) {
        let range = self.doc.index.range(&self.doc.text, self.replace.clone());
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail: (!detail.is_empty()).then(|| detail.to_string()),
            documentation: doc.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            filter_text: Some(label.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: insert.to_string(),
            })),
            ..CompletionItem::default()
        });
    }
}

fn directive(
    out: &mut Items<'_>,
    words: &[Word],
    text: &str,
    at: usize,
    catalog: &Catalog,
    aws: &AwsData,
) {
    // The word being typed: the last one when the cursor touches it, else a new one.
    let typing = words
        .last()
        .filter(|w| w.range.end == at && !text[..at].ends_with(char::is_whitespace));
    let (done, current) = match typing {
        Some(w) => (&words[..words.len() - 1], w.text.clone()),
        None => (words, String::new()),
    };
    out.replace = at - current.len()..at;
    if done.is_empty() {
        for k in DirectiveKind::ALL {
            out.push(k.name(), CompletionItemKind::KEYWORD, k.usage(), None);
        }
        return;
    }
    let Some(kind) = DirectiveKind::parse(&done[0].text) else {
        return;
    };
    let index = done.len();
    let used: BTreeSet<&str> = done.iter().map(|w| w.text.as_str()).collect();
    if let Some((key, value)) = current.split_once('=') {
        out.replace = at - value.len()..at;
        if matches!(key, "action") {
            actions(out, value, aws, false);
        }
        return;
    }
    if current.contains(':') && matches!(kind, DirectiveKind::Claim | DirectiveKind::TruthTable) {
        actions(out, &current, aws, false);
        condition_keys(out, catalog, aws, &[]);
        return;
    }
    let policies = |out: &mut Items<'_>| {
        for p in &catalog.policies {
            let detail = p
                .title
                .clone()
                .unwrap_or_else(|| format!("{} policy", p.kind.as_str()));
            out.push(
                &p.name.value,
                CompletionItemKind::VALUE,
                &detail,
                p.description.clone(),
            );
        }
    };
    let roles = |out: &mut Items<'_>| {
        for r in &catalog.roles {
            out.push(
                &r.name.value,
                CompletionItemKind::CLASS,
                &format!("role {}", r.role_name),
                r.description.clone(),
            );
        }
    };
    let modifiers = |out: &mut Items<'_>| {
        for m in catalog
            .modifiers
            .iter()
            .filter(|m| !used.contains(m.name.value.as_str()))
        {
            out.push(
                &m.name.value,
                CompletionItemKind::FUNCTION,
                "modifier",
                m.description.clone(),
            );
        }
    };
    match kind {
        DirectiveKind::Policy | DirectiveKind::Actions | DirectiveKind::AccessSummary => {
            if index == 1 {
                policies(out);
                if kind == DirectiveKind::AccessSummary {
                    roles(out);
                }
                return;
            }
            modifiers(out);
            if kind == DirectiveKind::Policy {
                out.push_as(
                    "file=",
                    "file=\"",
                    CompletionItemKind::PROPERTY,
                    "the code block's title",
                    None,
                );
                for p in &catalog.placeholders {
                    if let Some(param) = &p.param {
                        out.push(
                            &format!("{}=", param.value),
                            CompletionItemKind::PROPERTY,
                            &format!("fills {}", p.token.value),
                            p.description.clone(),
                        );
                    }
                }
            }
        }
        DirectiveKind::Statement if index == 1 => {
            for s in &catalog.statements {
                out.push(
                    &s.name.value,
                    CompletionItemKind::VALUE,
                    "statement",
                    s.description.clone(),
                );
            }
        }
        DirectiveKind::Callout if index == 1 => {
            for c in &catalog.callouts {
                out.push(
                    &c.name.value,
                    CompletionItemKind::VALUE,
                    &c.title.value,
                    Some(c.body.value.clone()),
                );
            }
        }
        DirectiveKind::Callout => {
            let Some(c) = catalog.callout(&done[1].text) else {
                return;
            };
            for p in &c.params {
                let given = done
                    .iter()
                    .any(|w| w.text.starts_with(&format!("{}=", p.name.value)));
                if given {
                    continue;
                }
                let detail = match &p.default {
                    Some(d) => format!("{} (default `{}`)", p.ty.as_str(), d.value),
                    None => format!("{} (required)", p.ty.as_str()),
                };
                out.push(
                    &format!("{}=", p.name.value),
                    CompletionItemKind::PROPERTY,
                    &detail,
                    p.description.clone(),
                );
            }
        }
        DirectiveKind::RoleCommands if index == 1 => roles(out),
        DirectiveKind::ConditionKeys => {
            for k in &catalog.condition_keys {
                if !used.contains(k.key.value.as_str()) {
                    out.push(
                        &k.key.value,
                        CompletionItemKind::CONSTANT,
                        &k.key_type.value,
                        Some(k.description.clone()),
                    );
                }
            }
        }
        DirectiveKind::TruthTable => {
            if index == 1 {
                policies(out);
                roles(out);
                return;
            }
            modifiers(out);
            condition_keys(out, catalog, aws, &[]);
            for (p, d) in [
                ("action=", "the request's action"),
                ("resource=", "the request's resource ARN"),
                ("principal=", "the principal ARN"),
            ] {
                out.push(p, CompletionItemKind::PROPERTY, d, None);
            }
        }
        DirectiveKind::Claim => {
            if index == 1 {
                policies(out);
                roles(out);
                for s in &catalog.statements {
                    out.push(
                        &s.name.value,
                        CompletionItemKind::VALUE,
                        "statement",
                        s.description.clone(),
                    );
                }
                return;
            }
            for (w, d) in CLAIM_WORDS {
                out.push(w, CompletionItemKind::KEYWORD, d, None);
            }
            modifiers(out);
            if matches!(done.last().map(|w| w.text.as_str()), Some("when" | "and")) {
                condition_keys(out, catalog, aws, &[]);
            }
        }
        _ => {}
    }
}

/// Completion inside a policy's JSON or the catalog's TOML.
fn code(out: &mut Items<'_>, c: &CodeAt, text: &str, aws: &AwsData, catalog: &Catalog) {
    let (typed, quoted) = match &c.word {
        Some(w) => {
            out.replace = w.range.clone();
            (
                w.text.as_str(),
                text.as_bytes()
                    .get(w.range.start.wrapping_sub(1))
                    .is_some_and(|&q| q == b'"' || q == b'\''),
            )
        }
        None => ("", false),
    };
    let last = c.path.last().map(String::as_str).unwrap_or("");
    let parent = c
        .path
        .len()
        .checked_sub(2)
        .map(|i| c.path[i].as_str())
        .unwrap_or("");
    let conditionish = |k: &str| k == element::CONDITION || k == "add-condition";
    if !c.at_key && (last == element::ACTION || last == element::NOT_ACTION) {
        actions(out, typed, aws, !quoted);
    } else if c.at_key && conditionish(last) {
        for op in operators() {
            out.push_as(
                &op,
                &quote(&op, !quoted),
                CompletionItemKind::OPERATOR,
                "condition operator",
                None,
            );
        }
    } else if c.at_key && conditionish(parent) {
        let statement_actions = c
            .object_start
            .map(|s| actions_near(text, s, aws))
            .unwrap_or_default();
        let before = out.items.len();
        condition_keys(out, catalog, aws, &statement_actions);
        if !quoted {
            for item in &mut out.items[before..] {
                if let Some(CompletionTextEdit::Edit(e)) = &mut item.text_edit {
                    e.new_text = format!("\"{}\"", e.new_text);
                }
            }
        }
    } else if !c.at_key && last == element::EFFECT {
        for e in ["Allow", "Deny"] {
            out.push_as(
                e,
                &quote(e, !quoted),
                CompletionItemKind::ENUM_MEMBER,
                "",
                None,
            );
        }
    } else if c.at_key && !c.in_array && !conditionish(last) && !conditionish(parent) && !quoted {
        // A statement's elements, where a key is typed bare (TOML) or about to be quoted.
        for e in element::STATEMENT_ELEMENTS {
            out.push(e, CompletionItemKind::FIELD, "IAM policy element", None);
        }
    }
}

fn quote(s: &str, add: bool) -> String {
    if add {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Every operator name, with its `IfExists` and set forms.
fn operators() -> Vec<String> {
    let mut out = Vec::new();
    for base in Operator::base_names() {
        out.push(base.to_string());
        if base != "Null" {
            out.push(format!("{base}IfExists"));
        }
    }
    for q in ["ForAllValues:", "ForAnyValue:"] {
        for base in
            Operator::base_names().filter(|b| b.starts_with("String") || b.starts_with("Arn"))
        {
            out.push(format!("{q}{base}"));
        }
    }
    out
}

/// Services (before `:` is typed), or the service's actions.
fn actions(out: &mut Items<'_>, typed: &str, aws: &AwsData, add_quotes: bool) {
    match typed.split_once(':') {
        None => {
            for (prefix, name) in aws.services() {
                let label = format!("{prefix}:");
                out.push_as(
                    &label,
                    &if add_quotes {
                        format!("\"{label}")
                    } else {
                        label.clone()
                    },
                    CompletionItemKind::MODULE,
                    name,
                    None,
                );
            }
        }
        Some((service, _)) => {
            let Some(s) = aws.service(service) else {
                return;
            };
            for a in &s.actions {
                let label = format!("{}:{}", s.prefix, a.name);
                let level = a.access_level().as_str();
                let doc = super::hover::action_doc(aws, s, a);
                out.push_as(
                    &label,
                    &quote(&label, add_quotes),
                    CompletionItemKind::FUNCTION,
                    level,
                    Some(doc),
                );
            }
        }
    }
}

/// The condition keys the actions take, then the global keys and the catalog's documented keys.
fn condition_keys(
    out: &mut Items<'_>,
    catalog: &Catalog,
    aws: &AwsData,
    actions: &[(String, String)],
) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (service, name) in actions {
        let Some(s) = aws.service(service) else {
            continue;
        };
        for a in s.match_actions(name) {
            for k in s.action_condition_keys(a) {
                if seen.insert(k.name.to_ascii_lowercase()) {
                    let ty = k.key_type.map(|t| t.to_string()).unwrap_or_default();
                    out.push(
                        k.name,
                        CompletionItemKind::CONSTANT,
                        &ty,
                        Some(format!("A condition key of `{}:{}`.", s.prefix, a.name)),
                    );
                }
            }
        }
    }
    for k in &catalog.condition_keys {
        if seen.insert(k.key.value.to_ascii_lowercase()) {
            out.push(
                &k.key.value,
                CompletionItemKind::CONSTANT,
                &k.key_type.value,
                Some(k.description.clone()),
            );
        }
    }
    for k in aws.global_condition_keys() {
        if seen.insert(k.name.to_ascii_lowercase()) {
            let ty = k.key_type.map(|t| t.to_string()).unwrap_or_default();
            out.push(
                k.name,
                CompletionItemKind::CONSTANT,
                &ty,
                Some("A global condition key: every request may carry it.".into()),
            );
        }
    }
}

/// The actions named in the statement that starts at `start` (its strings that are
/// `service:Action` patterns AWS's data knows), for the condition keys they take.
fn actions_near(text: &str, start: usize, aws: &AwsData) -> Vec<(String, String)> {
    // The statement runs to its closing brace; a half-typed one, to a bounded window.
    let mut window_end = text.len().min(start + 8192);
    while !text.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = &text[start..window_end];
    let mut depth = 0i32;
    let mut end = window.len();
    let mut in_string: Option<char> = None;
    for (i, ch) in window.char_indices() {
        match (in_string, ch) {
            (Some(q), c) if c == q => in_string = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => in_string = Some(ch),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth -= 1;
                if depth <= 0 {
                    end = i;
                    break;
                }
            }
            (None, '\n') if depth == 0 && window[i + 1..].starts_with('[') => {
                // The next TOML table.
                end = i;
                break;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for piece in window[..end].split(['"', '\'']).skip(1).step_by(2) {
        if let Some((service, name)) = piece.split_once(':')
            && !name.is_empty()
            && aws.has_service(service)
            && !aws.match_actions(service, name).is_empty()
        {
            out.push((service.to_string(), name.to_string()));
        }
    }
    out
}
