//! IAM policies that pages paste as ```json blocks instead of using a directive. They are read in
//! place (offsets stay the page's, so findings point at the page line inside the block) and go
//! through the same reader and validator as catalog policies.

use crate::diagnostic::{Code, Finding};
use crate::json::{Kind, Value, parse_at};
use crate::page::scan::JsonBlock;
use crate::policy::{Policy, PolicyKind, Statement};
use crate::source::{SourceFile, Span};
use crate::validate::Validator;
use std::sync::Arc;

/// What a JSON block holds, as far as IAM is concerned.
fn shape(v: &Value) -> Option<Shape> {
    let members = v.as_object()?;
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("Statement") {
        Some(Shape::Policy)
    } else if has("Effect") && (has("Action") || has("NotAction")) {
        Some(Shape::Statement)
    } else {
        None
    }
}

enum Shape {
    Policy,
    Statement,
}

/// The kind a pasted policy most likely is: a Principal makes it a trust policy when it grants
/// `sts:AssumeRole*`, a resource policy otherwise.
pub fn guess_kind(v: &Value) -> PolicyKind {
    let statements: Vec<&Value> = match v.get("Statement").map(|s| &s.kind) {
        Some(Kind::Array(items)) => items.iter().collect(),
        Some(Kind::Object(_)) => vec![v.get("Statement").expect("present")],
        _ => Vec::new(),
    };
    let with_principal: Vec<&&Value> = statements
        .iter()
        .filter(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
        .collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let assumes = with_principal.iter().any(|s| {
        let actions: Vec<&str> = match s.get("Action").map(|a| &a.kind) {
            Some(Kind::String(a)) => vec![a.as_str()],
            Some(Kind::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        actions.iter().any(|a| {
            a.to_ascii_lowercase().starts_with("sts:assumerole")
                || a.eq_ignore_ascii_case("sts:TagSession")
        })
    });
    if assumes {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// Validates one pasted block; JSON that is not an IAM policy or statement is left alone.
pub fn validate_block(
    page: &Arc<SourceFile>,
    block: &JsonBlock,
    validator: &Validator<'_>,
) -> Vec<Finding> {
    let text = page.text();
    let (Some(first), Some(last)) = (block.content.first(), block.content.last()) else {
        return Vec::new();
    };
    let (start, end) = (first.start, last.end);
    // A block at the top level is one run of text; inside a list or blockquote its lines carry
    // prefixes, which are blanked out (offsets kept) so the JSON reads as written.
    let contiguous = block.content.windows(2).all(|w| w[0].end == w[1].start);
    let masked: std::borrow::Cow<'_, str> = if contiguous {
        std::borrow::Cow::Borrowed(&text[start..end])
    } else {
        let mut masked = vec![b' '; end - start];
        for r in &block.content {
            masked[r.start - start..r.end - start].copy_from_slice(&text.as_bytes()[r.clone()]);
        }
        for (i, b) in text.as_bytes()[start..end].iter().enumerate() {
            if *b == b'\n' {
                masked[i] = b'\n';
            }
        }
        std::borrow::Cow::Owned(String::from_utf8(masked).unwrap_or_default())
    };
    let value = match parse_at(&masked, start, page) {
        Ok(v) => v,
        Err(e) => {
            let content: String = block.content.iter().map(|r| &text[r.clone()]).collect();
            if content.contains("\"Statement\"") || content.contains("\"Effect\"") {
                return vec![Finding::at(
                    Code::JsonSyntax,
                    format!("this pasted IAM policy is not valid JSON: {}", e.message),
                    &Span::char_at(page, e.offset),
                )];
            }
            return Vec::new();
        }
    };
    let mut findings = Vec::new();
    match shape(&value) {
        Some(Shape::Policy) => {
            let kind = guess_kind(&value);
            let read = Policy::read(&value, kind);
            findings.extend(read.findings);
            findings.extend(validator.policy(&read.value, kind));
        }
        Some(Shape::Statement) => {
            let read = Statement::read(&value, PolicyKind::Identity);
            findings.extend(read.findings);
            if let Some(s) = read.value {
                validator.statement(&s, &mut findings);
            }
        }
        None => {}
    }
    findings
}
