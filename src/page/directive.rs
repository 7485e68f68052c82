//! What a directive is, and reading one from its text. The kinds and their arities are data
//! (`DirectiveKind::ALL`), so the grammar, the errors and the README table agree.

use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::source::Spanned;
use crate::source::{SourceFile, Span};
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Policy,
    Statement,
    Callout,
    ConditionKeys,
    Actions,
    RoleCommands,
    TruthTable,
    Claim,
    AccessSummary,
}

/// How many names a kind takes after its own name.
#[derive(Debug, Clone, Copy)]
pub struct Arity {
    pub min: usize,
    pub max: Option<usize>,
}

impl DirectiveKind {
    pub const ALL: [DirectiveKind; 9] = [
        DirectiveKind::Policy,
        DirectiveKind::Statement,
        DirectiveKind::Callout,
        DirectiveKind::ConditionKeys,
        DirectiveKind::Actions,
        DirectiveKind::RoleCommands,
        DirectiveKind::TruthTable,
        DirectiveKind::Claim,
        DirectiveKind::AccessSummary,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DirectiveKind::Policy => "iam-policy",
            DirectiveKind::Statement => "iam-statement",
            DirectiveKind::Callout => "iam-callout",
            DirectiveKind::ConditionKeys => "iam-condition-keys",
            DirectiveKind::Actions => "iam-actions",
            DirectiveKind::RoleCommands => "iam-role-commands",
            DirectiveKind::TruthTable => "iam-truth-table",
            DirectiveKind::Claim => "iam-claim",
            DirectiveKind::AccessSummary => "iam-access-summary",
        }
    }

    pub fn usage(self) -> &'static str {
        match self {
            DirectiveKind::Policy => "iam-policy NAME [MODIFIER...] [file=FILE] [PARAM=VALUE...]",
            DirectiveKind::Statement => "iam-statement NAME",
            DirectiveKind::Callout => "iam-callout NAME [key=value...]",
            DirectiveKind::ConditionKeys => "iam-condition-keys [KEY...]",
            DirectiveKind::Actions => "iam-actions NAME [MODIFIER...]",
            DirectiveKind::RoleCommands => "iam-role-commands ROLE",
            DirectiveKind::TruthTable => {
                "iam-truth-table NAME [MODIFIER...] KEY... [action=A] [resource=ARN] [principal=P]"
            }
            DirectiveKind::Claim => "iam-claim CLAIM (e.g. s3-readonly denies s3:PutObject)",
            DirectiveKind::AccessSummary => "iam-access-summary NAME [MODIFIER...]",
        }
    }

    pub fn arity(self) -> Arity {
        match self {
            DirectiveKind::Policy | DirectiveKind::Actions | DirectiveKind::AccessSummary => {
                Arity { min: 1, max: None }
            }
            DirectiveKind::Statement | DirectiveKind::Callout | DirectiveKind::RoleCommands => {
                Arity {
                    min: 1,
                    max: Some(1),
                }
            }
            DirectiveKind::ConditionKeys => Arity { min: 0, max: None },
            DirectiveKind::TruthTable | DirectiveKind::Claim => Arity { min: 2, max: None },
        }
    }

    /// Whether the kind's output is a block (code, table, callout) rather than inline text.
    pub fn is_block(self) -> bool {
        !matches!(self, DirectiveKind::Actions | DirectiveKind::Claim)
    }

    pub fn parse(s: &str) -> Option<DirectiveKind> {
        DirectiveKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// How the directive was spelled in the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `<<#iam-policy s3-readonly>>`
    Angle,
    /// A fenced code block whose info string is the directive (valid MDX).
    Fence,
    /// `{/* iam-policy s3-readonly */}` (valid MDX, usable inline).
    Comment,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
}

/// One directive, read.
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: DirectiveKind,
    pub kind_span: Span,
    pub args: Vec<Spanned<String>>,
    pub params: Vec<Param>,
    /// The whole directive as written, delimiters included.
    pub span: Span,
    pub form: Form,
}

impl Directive {
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.key.value == key)
    }
}

/// A word of a directive: its text and range, and for `key=value` the value, key range and value range.
type Word = (
    String,
    Range<usize>,
    Option<(String, Range<usize>, Range<usize>)>,
);

/// Splits directive text into words; `key=value` pairs may quote the value with `"` or `'`.
/// `text` is a slice of the file starting at byte `offset`.
pub fn read(
    file: &Arc<SourceFile>,
    text_range: Range<usize>,
    span: Span,
    form: Form,
) -> Result<Directive, Finding> {
    let text = &file.text()[text_range.clone()];
    let base = text_range.start;
    let mut words: Vec<Word> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            line_start |= b[i] == b'\n';
            i += 1;
            continue;
        }
        // A directive's further lines inside a blockquote carry the quote's `>` markers (a fence's
        // body lines, or a long `<<#...>>` wrapped by an editor).
        if line_start && b[i] == b'>' {
            i += 1;
            continue;
        }
        line_start = false;
        let start = i;
        let mut eq = None;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            if b[i] == b'=' && eq.is_none() {
                eq = Some(i);
                if let Some(&q @ (b'"' | b'\'')) = b.get(i + 1) {
                    let close = text[i + 2..].find(q as char).map(|c| i + 2 + c);
                    let Some(close) = close else {
                        return Err(Finding::at(
                            Code::MalformedDirective,
                            "unclosed quote in a directive parameter",
                            &Span::new(file, base + i + 1..base + i + 2),
                        ));
                    };
                    i = close + 1;
                    break;
                }
            }
            i += 1;
        }
        let word = &text[start..i];
        let param = eq.map(|e| {
            let raw = &text[e + 1..i];
            let value = if raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\'')) {
                raw[1..raw.len() - 1].to_string()
            } else {
                raw.to_string()
            };
            (value, base + start..base + e, base + e + 1..base + i)
        });
        words.push((word.to_string(), base + start..base + i, param));
    }
    let mut words = words.into_iter();
    let Some((kind_word, kind_range, _)) = words.next() else {
        return Err(Finding::at(
            Code::MalformedDirective,
            "empty directive: expected a kind such as `iam-policy`",
            &span,
        ));
    };
    let kind_span = Span::new(file, kind_range);
    let Some(kind) = DirectiveKind::parse(&kind_word) else {
        let mut f = Finding::at(
            Code::UnknownKind,
            format!("unknown directive kind `{kind_word}`"),
            &kind_span,
        );
        f = match did_you_mean(&kind_word, DirectiveKind::ALL.map(DirectiveKind::name)) {
            Some(h) => f.with_help(h),
            None => f.with_help(format!(
                "known kinds: {}",
                DirectiveKind::ALL.map(DirectiveKind::name).join(", ")
            )),
        };
        return Err(f);
    };
    let mut d = Directive {
        kind,
        kind_span,
        args: Vec::new(),
        params: Vec::new(),
        span,
        form,
    };
    for (word, range, param) in words {
        match param {
            Some((value, krange, vrange)) => {
                let key = text[krange.start - base..krange.end - base].to_string();
                if key.is_empty() {
                    return Err(Finding::at(
                        Code::MalformedDirective,
                        "a parameter needs a name before `=`",
                        &Span::new(file, range),
                    ));
                }
                if let Some(first) = d.params.iter().find(|p| p.key.value == key) {
                    return Err(Finding::at(
                        Code::RepeatedArgument,
                        format!("`{key}=` is given twice"),
                        &Span::new(file, range),
                    )
                    .with_note(Some(first.key.span.clone()), "first given here")
                    .with_help("keep one of them"));
                }
                d.params.push(Param {
                    key: Spanned::new(key, Span::new(file, krange)),
                    value: Spanned::new(value, Span::new(file, vrange)),
                });
            }
            None => {
                if !d.params.is_empty() {
                    return Err(Finding::at(
                        Code::MalformedDirective,
                        format!("`{word}` comes after a `key=value` parameter; names go first"),
                        &Span::new(file, range),
                    )
                    .with_help(format!("usage: {}", kind.usage())));
                }
                // After a policy's name come its modifiers; `iam-condition-keys` lists only keys;
                // a claim is prose, whose words repeat.
                let names_from = usize::from(kind != DirectiveKind::ConditionKeys);
                if let Some(first) = d
                    .args
                    .iter()
                    .skip(names_from)
                    .find(|a| a.value == word && kind != DirectiveKind::Claim)
                {
                    return Err(Finding::at(
                        Code::RepeatedArgument,
                        format!("`{word}` is given twice"),
                        &Span::new(file, range),
                    )
                    .with_note(Some(first.span.clone()), "first given here")
                    .with_help("name it once"));
                }
                d.args.push(Spanned::new(word, Span::new(file, range)));
            }
        }
    }
    let arity = kind.arity();
    if d.args.len() < arity.min || arity.max.is_some_and(|m| d.args.len() > m) {
        let at = if d.args.len() < arity.min {
            d.span.clone()
        } else {
            d.args[arity.max.unwrap_or(0)].span.clone()
        };
        return Err(Finding::at(
            Code::WrongArgumentCount,
            format!("`{}` takes {}", kind.name(), describe(arity)),
            &at,
        )
        .with_help(format!("usage: {}", kind.usage())));
    }
    Ok(d)
}

fn describe(a: Arity) -> String {
    match (a.min, a.max) {
        (0, None) => "any number of names".into(),
        (1, Some(1)) => "exactly one name".into(),
        (n, None) => format!("at least {n} name{}", if n == 1 { "" } else { "s" }),
        (n, Some(m)) => format!("{n} to {m} names"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(text: &str) -> Result<Directive, Finding> {
        let file = SourceFile::new("p.md", text);
        let span = Span::new(&file, 0..text.len());
        read(&file, 0..text.len(), span, Form::Angle)
    }

    #[test]
    fn kind_args_and_params() {
        let d = rd("iam-callout not-authorized action=s3:ListBucket role=\"My Role\"").unwrap();
        assert_eq!(d.kind, DirectiveKind::Callout);
        assert_eq!(d.args[0].value, "not-authorized");
        assert_eq!(d.param("action").unwrap().value.value, "s3:ListBucket");
        assert_eq!(d.param("role").unwrap().value.value, "My Role");
        assert_eq!(d.param("role").unwrap().value.span.text(), "\"My Role\"");
    }

    #[test]
    fn words_may_span_lines() {
        let d = rd("iam-policy\n  s3-readonly\n  mcp-scoped").unwrap();
        assert_eq!(d.args.len(), 2);
        assert_eq!(d.args[1].span.line_col(), (3, 3));
    }

    #[test]
    fn unknown_kind_suggests() {
        let f = rd("iam-polcy x").unwrap_err();
        assert_eq!(f.code, Code::UnknownKind);
        assert_eq!(f.help.as_deref(), Some("did you mean `iam-policy`?"));
    }

    #[test]
    fn arity_is_checked() {
        assert_eq!(rd("iam-policy").unwrap_err().code, Code::WrongArgumentCount);
        assert_eq!(
            rd("iam-statement a b").unwrap_err().code,
            Code::WrongArgumentCount
        );
        assert!(rd("iam-condition-keys").is_ok());
    }

    #[test]
    fn fence_body_in_a_blockquote_drops_the_markers() {
        let text = "iam-condition-keys\n> aws:CalledViaAWSMCP\n>";
        let file = SourceFile::new("p.md", text);
        let d = read(
            &file,
            0..text.len(),
            Span::new(&file, 0..text.len()),
            Form::Fence,
        )
        .unwrap();
        assert_eq!(d.args.len(), 1);
        assert_eq!(d.args[0].value, "aws:CalledViaAWSMCP");
    }

    #[test]
    fn malformed_text() {
        assert_eq!(rd("").unwrap_err().code, Code::MalformedDirective);
        assert_eq!(
            rd("iam-callout x a=\"open").unwrap_err().code,
            Code::MalformedDirective
        );
        assert_eq!(
            rd("iam-callout x a=1 b").unwrap_err().code,
            Code::MalformedDirective
        );
        assert_eq!(
            rd("iam-callout x =1").unwrap_err().code,
            Code::MalformedDirective
        );
    }
}
