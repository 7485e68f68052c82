//! IAM policies that pages paste as code blocks instead of using a directive. Every candidate
//! block the scanner finds (a fence labelled JSON or YAML in any spelling, an unlabeled fence,
//! indented code) is read here, and those whose text is a policy, a statement or a list of
//! statements go through the same reader and validator as catalog policies. Offsets stay the
//! page's, so findings point at the page line inside the block.
//!
//! What a block's text means:
//! - `json`, unlabeled and indented blocks are read as strict JSON, as IAM reads a policy;
//! - `jsonc` and `json5` blocks may hold comments and trailing commas, which are documentation
//!   devices: they are blanked out and the rest is read as strict JSON (IAM itself accepts
//!   neither, and the rest of the policy is what a reader copies). A `json5` block that needs
//!   more of JSON5 than that is not examined;
//! - a block that starts like a policy and does not parse is a `json-syntax` error, unless it is
//!   a deliberate fragment: an ellipsis (`...`, `{...}`), a lone member (`"Effect": "Deny", ...`),
//!   or list items cut from a `Statement` array (`{...},` or `{...}, {...}`). Fragments are counted
//!   and left alone;
//! - `yaml` blocks, and unlabeled blocks that read as YAML, are CloudFormation or SAM templates if
//!   anything, and so are JSON blocks with a template's `Resources`: each policy property is
//!   checked as its kind (`crate::template`);
//! - any other text (a command, an event, a JSON response) is not a policy and stays silent.

use crate::diagnostic::{Code, Finding};
use crate::json::{Kind, Value, parse_at};
use crate::page::scan::{BlockLang, PastedBlock};
use crate::policy::{Policy, PolicyKind, Statement};
use crate::source::{SourceFile, Span};
use crate::validate::Validator;
use std::borrow::Cow;
use std::sync::Arc;

/// What checking one block found.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Policies examined: a policy, a statement, or a list of statements counts once.
    pub policies: usize,
    /// Fragments of policies: recognised, and not examined.
    pub fragments: usize,
}

/// What a JSON value holds, as far as IAM is concerned.
enum Shape<'v> {
    Policy,
    Statement,
    Statements(&'v [Value]),
}

fn is_statement(v: &Value) -> bool {
    let Some(members) = v.as_object() else {
        return false;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    has("Effect") && (has("Action") || has("NotAction"))
}

fn shape(v: &Value) -> Option<Shape<'_>> {
    match &v.kind {
        Kind::Object(members) if members.iter().any(|m| m.key == "Statement") => {
            Some(Shape::Policy)
        }
        Kind::Object(_) if is_statement(v) => Some(Shape::Statement),
        Kind::Array(items) if !items.is_empty() && items.iter().all(is_statement) => {
            Some(Shape::Statements(items))
        }
        _ => None,
    }
}

/// The kinds an author may state with `iam=KIND` in a block's info string, and the kind of policy
/// each is validated as. Service control and boundary policies follow the identity grammar (no
/// `Principal`); key, bucket, queue, topic, endpoint and resource control policies are resource
/// policies.
pub const KIND_NAMES: [(&str, PolicyKind); 13] = [
    ("identity", PolicyKind::Identity),
    ("permissions-boundary", PolicyKind::Identity),
    ("session", PolicyKind::Identity),
    ("scp", PolicyKind::Identity),
    ("trust", PolicyKind::Trust),
    ("resource", PolicyKind::Resource),
    ("key-policy", PolicyKind::Resource),
    ("bucket-policy", PolicyKind::Resource),
    ("queue-policy", PolicyKind::Resource),
    ("topic-policy", PolicyKind::Resource),
    ("secret-policy", PolicyKind::Resource),
    ("endpoint-policy", PolicyKind::Resource),
    ("rcp", PolicyKind::Resource),
];

/// The attribute that states a block's kind: ```` ```json iam=key-policy ````.
pub const KIND_ATTRIBUTE: &str = "iam=";

/// The `iam=` value among a block's attributes (quotes, as MDX attributes are written, taken
/// off), with the offset of its word in the attributes and the word as written.
fn stated_kind(attributes: &str) -> Option<(usize, &str, &str)> {
    let mut at = 0;
    for word in attributes.split([' ', '\t', ',']) {
        if let Some(v) = word.strip_prefix(KIND_ATTRIBUTE) {
            return Some((at, word, v.trim_matches('"')));
        }
        at += word.len() + 1;
    }
    None
}

/// Actions that only a role's trust policy grants: assuming the role and what comes with it.
fn is_trust_action(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    a.starts_with("sts:assumerole")
        || matches!(
            a.as_str(),
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
        )
}

/// The kind a pasted policy most likely is, from its statements: none names a `Principal`, an
/// identity policy; those that do grant only what a trust policy grants (`sts:AssumeRole*`,
/// `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`), a role's trust policy; else a
/// resource policy (a key, bucket, queue or topic policy, ...).
pub fn infer_kind<'v>(statements: impl IntoIterator<Item = &'v Value>) -> PolicyKind {
    let mut with_principal = 0;
    let mut trust_only = true;
    for s in statements {
        if s.get("Principal").is_none() && s.get("NotPrincipal").is_none() {
            continue;
        }
        with_principal += 1;
        let actions: Vec<&str> = match s.get("Action").map(|a| &a.kind) {
            Some(Kind::String(a)) => vec![a.as_str()],
            Some(Kind::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if actions.is_empty() || !actions.iter().all(|a| is_trust_action(a)) {
            trust_only = false;
        }
    }
    match (with_principal, trust_only) {
        (0, _) => PolicyKind::Identity,
        (_, true) => PolicyKind::Trust,
        (_, false) => PolicyKind::Resource,
    }
}

/// The statements of a policy value, for inference.
fn statements_of(v: &Value) -> Vec<&Value> {
    match v.get("Statement").map(|s| &s.kind) {
        Some(Kind::Array(items)) => items.iter().collect(),
        Some(Kind::Object(_)) => vec![v.get("Statement").expect("present")],
        _ => Vec::new(),
    }
}

/// The kind a pasted policy most likely is (see [`infer_kind`]).
pub fn guess_kind(v: &Value) -> PolicyKind {
    infer_kind(statements_of(v))
}

/// Whether a text that failed to parse reads as IAM: it names a policy's or statement's keys.
fn reads_as_iam(text: &str) -> bool {
    ["\"Statement\"", "\"Effect\"", "\"Action\"", "\"NotAction\""]
        .iter()
        .any(|k| text.contains(k))
}

/// Whether a text names any policy or statement element as a key: enough to count a fragment
/// (`"Condition": {...}` shown alone) as part of a policy.
fn names_an_element(text: &str) -> bool {
    reads_as_iam(text)
        || [
            "\"Condition\"",
            "\"Principal\"",
            "\"Resource\"",
            "\"NotResource\"",
            "\"Sid\"",
        ]
        .iter()
        .any(|k| text.contains(k))
}

/// The block's text with container prefixes blanked out (offsets kept), from its first content
/// byte; `None` for an empty block.
pub fn block_text<'p>(text: &'p str, block: &PastedBlock) -> Option<(usize, Cow<'p, str>)> {
    let (first, last) = (block.content.first()?, block.content.last()?);
    let (start, end) = (first.start, last.end);
    // A block at the top level is one run of text; inside a list or blockquote its lines carry
    // prefixes, which are blanked out so the JSON reads as written.
    if block.content.windows(2).all(|w| w[0].end == w[1].start) {
        return Some((start, Cow::Borrowed(&text[start..end])));
    }
    let mut masked = vec![b' '; end - start];
    for r in &block.content {
        masked[r.start - start..r.end - start].copy_from_slice(&text.as_bytes()[r.clone()]);
    }
    for (i, b) in text.as_bytes()[start..end].iter().enumerate() {
        if *b == b'\n' {
            masked[i] = b'\n';
        }
    }
    // Content ranges start and end on character boundaries, and blanks are ASCII.
    Some((start, Cow::Owned(String::from_utf8(masked).ok()?)))
}

/// Checks one candidate block: a policy, statement or list of statements is validated; anything
/// else is left alone.
pub fn check_block(
    page: &Arc<SourceFile>,
    block: &PastedBlock,
    validator: &Validator<'_>,
) -> Checked {
    // Level words on the fence (`iam-allow=CODE`, `iam-warn=CODE`, ...) set how loud this block's
    // findings are; a word that cannot be read is an error at the fence, and the block's own
    // findings are still reported.
    let (info, info_at) = fence_info(page, block);
    let mut checked = examine(page, block, validator);
    match crate::diagnostic::levels::block_levels(info) {
        Ok(levels) if !levels.is_empty() => {
            let levels = levels.at(Span::new(page, info_at..info_at + info.len()));
            levels.apply(&mut checked.findings);
        }
        Ok(_) => {}
        Err(errors) => {
            for e in errors {
                let span = Span::new(page, info_at + e.range.start..info_at + e.range.end);
                checked.findings.push(e.finding(&span));
            }
        }
    }
    checked
}

/// The info string as written on the fence's line, and its offset in the page; empty for
/// indented code.
fn fence_info<'p>(page: &'p SourceFile, block: &PastedBlock) -> (&'p str, usize) {
    if block.lang == BlockLang::Indented {
        return ("", block.span.start);
    }
    let text = page.text();
    let line = &text[block.span.clone()];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let fence = line.trim_start_matches([' ', '`', '~']);
    let at = block.span.start + (line.len() - fence.len());
    (fence.trim_end_matches('\r'), at)
}

/// Examines one candidate block (see [`check_block`]).
fn examine(page: &Arc<SourceFile>, block: &PastedBlock, validator: &Validator<'_>) -> Checked {
    let mut out = Checked::default();
    let Some((start, text)) = block_text(page.text(), block) else {
        return out;
    };
    // YAML: a CloudFormation or SAM template, if anything (also in an unlabeled block that reads
    // as one: a mapping whose resources have `Type: AWS::...`).
    let yaml_like = |t: &str| {
        t.trim_start()
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '#' || c == '-')
            && t.contains("AWS::")
            && t.contains("Type")
    };
    let labelled_yaml = block.lang == BlockLang::Yaml;
    if labelled_yaml
        || matches!(block.lang, BlockLang::Unlabeled | BlockLang::Indented) && yaml_like(&text)
    {
        match crate::template::yaml_policies(&text, start, page) {
            Ok(Some(policies)) => {
                out.policies += policies.len();
                out.findings.extend(validator.template_policies(&policies));
            }
            Ok(None) => {}
            // Only a block labelled YAML is said to be YAML; other text that merely mentions
            // `AWS::` types (a command's output) is not ours.
            Err(f) if labelled_yaml => out.findings.push(f),
            Err(_) => {}
        }
        return out;
    }
    let relaxed = matches!(block.lang, BlockLang::Jsonc | BlockLang::Json5);
    // Comments are set aside to see what the block holds; only `jsonc` and `json5` blocks are
    // then read without them (in a strict block, a comment is the syntax error it is for IAM).
    let blanked = crate::json::blank_jsonc(&text);
    let lead = blanked.trim_start().as_bytes().first().copied();
    if !matches!(lead, Some(b'{' | b'[' | b'"')) {
        return out;
    }
    let json: Cow<'_, str> = if relaxed {
        Cow::Owned(blanked.into_owned())
    } else {
        text.clone()
    };
    let value = match parse_at(&json, start, page) {
        Ok(v) => v,
        Err(e) => {
            let at = e.offset - start;
            let fragment = is_fragment(&json, at, &e.message)
                || block.lang == BlockLang::Json5 && beyond_jsonc(&json, at);
            if fragment && names_an_element(&json) {
                out.fragments += 1;
                return out;
            }
            if fragment || !reads_as_iam(&json) {
                return out;
            }
            out.findings.push(
                Finding::at(
                    Code::JsonSyntax,
                    format!("this pasted IAM policy is not valid JSON: {}", e.message),
                    &Span::char_at(page, e.offset),
                )
                .with_help(
                    "IAM reads policies as strict JSON; to show part of a policy on purpose, \
                     write `...` where the rest goes",
                ),
            );
            out.policies += 1;
            return out;
        }
    };
    if let Some(policies) = crate::template::json_policies(&value) {
        out.policies += policies.len();
        out.findings.extend(validator.template_policies(&policies));
        return out;
    }
    let Some(shape) = shape(&value) else {
        return out;
    };
    let stated = match stated_kind(&block.attributes) {
        None => None,
        Some((at, word, name)) => match KIND_NAMES.iter().find(|(n, _)| *n == name) {
            Some((_, kind)) => Some(*kind),
            None => {
                out.findings.push(unknown_kind(page, block, at, word, name));
                return out;
            }
        },
    };
    out.policies += 1;
    let findings = &mut out.findings;
    match shape {
        Shape::Policy => {
            let kind = stated.unwrap_or_else(|| guess_kind(&value));
            let read = Policy::read(&value, kind);
            findings.extend(read.findings);
            findings.extend(validator.policy(&read.value, kind));
        }
        Shape::Statement => {
            let kind = stated.unwrap_or_else(|| infer_kind([&value]));
            let read = Statement::read(&value, kind);
            findings.extend(read.findings);
            if let Some(s) = read.value {
                validator.statement(&s, findings);
            }
        }
        Shape::Statements(items) => {
            let kind = stated.unwrap_or_else(|| infer_kind(items));
            for item in items {
                let read = Statement::read(item, kind);
                findings.extend(read.findings);
                if let Some(s) = read.value {
                    validator.statement(&s, findings);
                }
            }
        }
    }
    out
}

/// Whether text that failed to parse (at `at`, an offset into `text`) is a deliberate fragment
/// of a policy: it holds an ellipsis, is a lone member, or is list items cut from an array.
fn is_fragment(text: &str, at: usize, message: &str) -> bool {
    if has_ellipsis(text) {
        return true;
    }
    if text.trim_start().starts_with('"') {
        return true;
    }
    // `{...},` or `{...}, {...}`: one complete value, then a comma.
    message == crate::json::TRAILING_TEXT
        && text.get(at..).is_some_and(|rest| rest.starts_with(','))
}

/// Whether an ellipsis (`...` or `…`) stands outside the strings of a text: where the rest of a
/// policy was left out (`"Statement": [ ... ]`), not a `Sid` that says "Copy...".
fn has_ellipsis(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut dots = 0;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                dots = 0;
            }
            '…' => return true,
            '.' => {
                dots += 1;
                if dots == 3 {
                    return true;
                }
            }
            _ => dots = 0,
        }
    }
    false
}

/// Whether a JSON5 text fails (at `at`) on what JSON5 adds beyond comments and trailing commas:
/// a single-quoted string or an unquoted key.
fn beyond_jsonc(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c == '\'' || c.is_ascii_alphabetic() || c == '_' || c == '$')
}

fn unknown_kind(
    page: &Arc<SourceFile>,
    block: &PastedBlock,
    at: usize,
    word: &str,
    name: &str,
) -> Finding {
    // The attributes stand on the fence's line, after the language.
    let fence_line = &page.text()[block.span.clone()];
    let line_end = fence_line.find('\n').unwrap_or(fence_line.len());
    let span = fence_line[..line_end]
        .find(&block.attributes[at..])
        .map(|n| {
            let from = block.span.start + n;
            Span::new(page, from..from + word.len())
        })
        .unwrap_or_else(|| Span::char_at(page, block.span.start));
    let spelled: Vec<String> = KIND_NAMES
        .iter()
        .map(|(n, _)| format!("{KIND_ATTRIBUTE}{n}"))
        .collect();
    let given = format!("{KIND_ATTRIBUTE}{name}");
    let help = crate::diagnostic::did_you_mean(&given, spelled.iter().map(String::as_str))
        .unwrap_or_else(|| format!("write one of: {}", spelled.join(", ")));
    Finding::at(
        Code::InvalidParameter,
        format!("`{name}` is not a policy kind mdbook-iam knows"),
        &span,
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::page::scan::scan;

    /// Every block of `page` checked against an empty catalog: (codes, policies, fragments).
    fn check(page: &str) -> (Vec<&'static str>, usize, usize) {
        let catalog = Catalog::default();
        let validator = Validator::new(&catalog);
        let file = SourceFile::new("p.md", page);
        let mut codes = Vec::new();
        let (mut policies, mut fragments) = (0, 0);
        for block in &scan(page).pasted {
            let c = check_block(&file, block, &validator);
            codes.extend(c.findings.iter().map(|f| f.code.as_str()));
            policies += c.policies;
            fragments += c.fragments;
        }
        (codes, policies, fragments)
    }

    const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObjekt\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";

    #[test]
    fn every_fence_spelling_and_indented_code_is_examined() {
        for fence in [
            "```", "```json", "```JSON", "```jsonc", "```json5", "~~~Json",
        ] {
            let close = &fence[..3];
            let page = format!("Text.\n\n{fence}\n{POLICY}{close}\n");
            assert_eq!(check(&page), (vec!["invalid-action"], 1, 0), "{fence}");
        }
        let attrs = format!("```json title=\"p.json\"\n{POLICY}```\n");
        assert_eq!(check(&attrs).1, 1);
        let indented: String = POLICY.lines().map(|l| format!("    {l}\n")).collect();
        assert_eq!(
            check(&format!("Text.\n\n{indented}")),
            (vec!["invalid-action"], 1, 0)
        );
        // Inside a list item and a blockquote, the prefixes are not part of the JSON.
        let listed: String = POLICY.lines().map(|l| format!("   {l}\n")).collect();
        assert_eq!(
            check(&format!("1. Attach:\n\n   ```\n{listed}   ```\n")).1,
            1
        );
        let quoted: String = POLICY.lines().map(|l| format!("> {l}\n")).collect();
        assert_eq!(check(&format!("> ```\n{quoted}> ```\n")).1, 1);
    }

    #[test]
    fn other_languages_and_other_text_stay_silent() {
        for page in [
            format!("```javascript\n{POLICY}```\n"),
            format!("```json iam-unchecked\n{POLICY}```\n"),
            "```\naws iam create-role --role-name Test\n```\n".to_string(),
            "```\n{\"Role\": {\"RoleName\": \"Test\"}}\n```\n".to_string(),
            "```\n{ not json at all\n```\n".to_string(),
            "```yaml\nkey: value\n```\n".to_string(),
        ] {
            assert_eq!(check(&page), (vec![], 0, 0), "{page}");
        }
    }

    #[test]
    fn a_statement_and_a_list_of_statements_are_examined() {
        let statement = "```\n{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}\n```\n";
        assert_eq!(check(statement), (vec!["invalid-action"], 1, 0));
        let list = "```\n[{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n {\"Effect\": \"Deny\", \"Action\": \"s3:PutObjekt\", \"Resource\": \"*\"}]\n```\n";
        assert_eq!(check(list), (vec!["invalid-action"], 1, 0));
    }

    #[test]
    fn broken_policies_are_syntax_errors_and_fragments_are_left_alone() {
        // A policy whose closing brace is missing.
        let broken = "```\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n```\n";
        assert_eq!(check(broken), (vec!["json-syntax"], 1, 0));
        for fragment in [
            // An ellipsis stands for the rest.
            "```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ ... ]\n}\n```\n",
            "```\n{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {…}}\n```\n",
            // A lone member.
            "```\n\"Effect\" : \"Deny\",\n\"Condition\" : { \"BoolIfExists\" : { \"aws:MultiFactorAuthPresent\" : \"false\" } }\n```\n",
            // Items cut from a Statement array.
            "```\n{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n```\n",
            "```\n{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\"}\n```\n",
        ] {
            assert_eq!(check(fragment), (vec![], 0, 1), "{fragment}");
        }
        // Two policies in one block (shown wrong on purpose in AWS's guide) are one error.
        let two =
            "```\n{\"Version\": \"2012-10-17\", \"Statement\": []}\n{\"Statement\": []}\n```\n";
        assert_eq!(check(two).0, vec!["json-syntax"]);
    }

    #[test]
    fn jsonc_and_json5_blocks_may_hold_comments_and_trailing_commas() {
        let commented = "{\n  // read only\n  \"Version\": \"2012-10-17\", /* the current version */\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\",},\n  ],\n}\n";
        for lang in ["jsonc", "json5"] {
            assert_eq!(
                check(&format!("```{lang}\n{commented}```\n")),
                (vec![], 1, 0),
                "{lang}"
            );
        }
        // In a `json` block, IAM's strict JSON applies.
        assert_eq!(
            check(&format!("```json\n{commented}```\n")).0,
            vec!["json-syntax"]
        );
        // JSON5 beyond comments and trailing commas (unquoted keys) is not examined.
        assert_eq!(
            check("```json5\n{Version: '2012-10-17', \"Statement\": []}\n```\n"),
            (vec![], 0, 1)
        );
    }

    fn kind_of(json: &str) -> PolicyKind {
        let file = SourceFile::new("p.json", json);
        let v = crate::json::parse(&file).unwrap();
        match shape(&v) {
            Some(Shape::Policy) => guess_kind(&v),
            Some(Shape::Statement) => infer_kind([&v]),
            Some(Shape::Statements(items)) => infer_kind(items),
            None => panic!("not a policy: {json}"),
        }
    }

    #[test]
    fn the_kind_is_inferred_from_principals_and_actions() {
        assert_eq!(
            kind_of(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#),
            PolicyKind::Identity
        );
        assert_eq!(
            kind_of(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#
            ),
            PolicyKind::Trust
        );
        assert_eq!(
            kind_of(
                r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"#
            ),
            PolicyKind::Trust
        );
        // A key policy statement pasted alone.
        assert_eq!(
            kind_of(
                r#"{"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:*","Resource":"*"}"#
            ),
            PolicyKind::Resource
        );
        // Assuming a role and something else: a resource policy (of a role, that would be wrong;
        // of anything else, resource policies are what grant to principals).
        assert_eq!(
            kind_of(
                r#"[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]"#
            ),
            PolicyKind::Resource
        );
    }

    #[test]
    fn the_author_states_the_kind_with_an_attribute() {
        let statement = "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n";
        // Read as the identity statement it is said to be, its Principal is an error.
        assert_eq!(
            check(&format!("```json iam=identity\n{statement}```\n")).0,
            vec!["unsupported-principal"]
        );
        assert_eq!(
            check(&format!("```json iam=bucket-policy\n{statement}```\n")).0,
            Vec::<&str>::new()
        );
        assert_eq!(
            check(&format!(
                "```json title=\"a.json\" iam=resource\n{statement}```\n"
            ))
            .1,
            1
        );
        let page = format!("```json iam=key-polcy\n{statement}```\n");
        let catalog = Catalog::default();
        let validator = Validator::new(&catalog);
        let file = SourceFile::new("p.md", page.as_str());
        let c = check_block(&file, &scan(&page).pasted[0], &validator);
        assert_eq!(c.findings.len(), 1);
        let f = &c.findings[0];
        assert_eq!(f.code, Code::InvalidParameter);
        assert_eq!(f.help.as_deref(), Some("did you mean `iam=key-policy`?"));
        let span = f.span.as_ref().unwrap();
        assert_eq!(&page[span.range.clone()], "iam=key-polcy");
    }

    // IAM User Guide, "IAM JSON policy elements: Sid": "The Sid element supports ASCII uppercase
    // letters (A-Z), lowercase letters (a-z), and numbers (0-9)"; and "Some AWS services (for
    // example, Amazon SQS or Amazon SNS) might require this element and have uniqueness
    // requirements for it. For service-specific information about writing policies, refer to the
    // documentation for the service you work with." KMS's default key policy names its statements
    // "Enable IAM User Permissions" and "Allow access for Key Administrators" (AWS KMS Developer
    // Guide, "Default key policy"); the IAM User Guide's condition-key reference publishes S3
    // bucket policies with the Sid "Expected-network+service-principal".
    #[test]
    fn resource_policies_take_their_services_sids() {
        let kms = "```\n{\n    \"Sid\": \"Allow access for Key Administrators\",\n    \"Effect\": \"Allow\",\n    \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/KMSAdminRole\"},\n    \"Action\": [\"kms:Create*\", \"kms:Describe*\"],\n    \"Resource\": \"*\"\n}\n```\n";
        assert_eq!(check(kms), (vec![], 1, 0));
        let s3 = "```\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Expected-network+service-principal\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::amzn-s3-demo-bucket/*\"}]}\n```\n";
        assert_eq!(check(s3), (vec![], 1, 0));
        // Identity policies and roles' trust policies keep IAM's rule.
        let identity = "```\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read only\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n```\n";
        assert_eq!(check(identity).0, vec!["invalid-sid"]);
        let trust = "```\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"EC2 assumes\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}\n```\n";
        assert_eq!(check(trust).0, vec!["invalid-sid"]);
    }

    #[test]
    fn level_words_on_the_fence_set_the_blocks_levels() {
        let policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read-only\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n";
        assert_eq!(
            check(&format!("```json\n{policy}```\n")).0,
            vec!["invalid-sid"]
        );
        assert_eq!(
            check(&format!("```json iam-allow=invalid-sid\n{policy}```\n")).0,
            Vec::<&str>::new()
        );
        // In a list item, the words are read from the fence's own line.
        let listed: String = policy.lines().map(|l| format!("   {l}\n")).collect();
        assert_eq!(
            check(&format!(
                "1. Step:\n\n   ```json,iam-allow=invalid-sid\n{listed}   ```\n"
            ))
            .0,
            Vec::<&str>::new()
        );
        let page = format!("```json iam-allow=invalid-sdi\n{policy}```\n");
        let catalog = Catalog::default();
        let validator = Validator::new(&catalog);
        let file = SourceFile::new("p.md", page.as_str());
        let c = check_block(&file, &scan(&page).pasted[0], &validator);
        let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["invalid-sid", "invalid-block-level"]);
        let span = c.findings[1].span.as_ref().unwrap();
        assert!(
            page[span.range.clone()].contains("invalid-sdi"),
            "{:?}",
            &page[span.range.clone()]
        );
    }

    #[test]
    fn words_on_an_unlabeled_fence_and_quoted_kinds_are_read() {
        let statement = "{\"Sid\": \"Key admins\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}\n";
        assert_eq!(
            check(&format!("``` iam=bucket-policy\n{statement}```\n")),
            (vec!["invalid-action"], 1, 0)
        );
        assert_eq!(
            check(&format!("``` iam-allow=invalid-action\n{statement}```\n")),
            (vec![], 1, 0)
        );
        assert_eq!(
            check(&format!("``` iam-unchecked\n{statement}```\n")),
            (vec![], 0, 0)
        );
        assert_eq!(
            check(&format!("```json iam=\"identity\"\n{statement}```\n")).0,
            vec!["invalid-sid", "unsupported-principal", "invalid-action"]
        );
    }

    #[test]
    fn strict_blocks_keep_their_comments_and_strings_keep_their_dots() {
        // A comment before the policy, in a block said to be JSON: IAM refuses it.
        assert_eq!(
            check(&format!("```json\n// read only\n{POLICY}```\n")),
            (vec!["json-syntax"], 1, 0)
        );
        // Three dots inside a string are no ellipsis: the missing comma is an error.
        let broken = "```\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Copy...\", \"Effect\": \"Allow\" \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n```\n";
        assert_eq!(check(broken), (vec!["json-syntax"], 1, 0));
        // A JSON5 block with a plain JSON mistake is an error too.
        let json5 = "```json5\n{\"Version\": \"2012-10-17\" \"Statement\": []}\n```\n";
        assert_eq!(check(json5), (vec!["json-syntax"], 1, 0));
    }

    #[test]
    fn text_that_mentions_cloudformation_types_is_not_yaml_to_report() {
        let output = "```\nResource creation failed: \"MyRole\" (Type: AWS::IAM::Role) in Resources: see events\n```\n";
        assert_eq!(check(output), (vec![], 0, 0));
        // Labelled YAML that does not parse is reported.
        let broken = "```yaml\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties: [unclosed\n```\n";
        assert_eq!(check(broken).0, vec!["yaml-syntax"]);
    }
}
