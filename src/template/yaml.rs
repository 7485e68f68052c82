//! YAML read into the same spanned tree as JSON (`crate::json::Value`), so that every check and
//! every location works on a policy written in YAML as on one written in JSON.
//!
//! Plain scalars follow YAML 1.2's core schema (`true`, `false`, `null`, `~`, numbers); every
//! other scalar is a string. A local tag (`!Ref`, `!Sub`, `!GetAtt`, ...) is CloudFormation's
//! short form of an intrinsic function and is read as its long form, a one-member object
//! (`{"Ref": ...}`, `{"Fn::Sub": ...}`), which `super::intrinsics` turns into placeholders:
//! "Intrinsic function reference", AWS CloudFormation Template Reference Guide,
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html

use crate::json::{Kind, Member, Value};
use crate::source::{SourceFile, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};
use std::collections::HashMap;
use std::sync::Arc;

/// A YAML text that cannot be read, at a byte offset of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub offset: usize,
}

const MAX_DEPTH: usize = 128;

/// Reads every document of a YAML stream. `text` stands at byte `base` of `file`.
pub fn parse_at(text: &str, base: usize, file: &Arc<SourceFile>) -> Result<Vec<Value>, YamlError> {
    let mut reader = Reader {
        events: Parser::new_from_str(text),
        offsets: Offsets::new(text),
        base,
        file,
        anchors: HashMap::new(),
        depth: 0,
    };
    let mut docs = Vec::new();
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                let (event, span) = reader.next()?;
                if matches!(event, Event::DocumentEnd) {
                    continue;
                }
                docs.push(reader.node(event, span)?);
            }
            other => docs.push(reader.node(other, span)?),
        }
    }
    Ok(docs)
}

/// Character indexes (what the parser counts) to byte offsets (what spans hold).
struct Offsets {
    /// The byte offset of each character, when the text is not ASCII; for ASCII they are equal.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Offsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(b) => b.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

struct Reader<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    offsets: Offsets,
    base: usize,
    file: &'a Arc<SourceFile>,
    anchors: HashMap<usize, Value>,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, YamlSpan), YamlError> {
        match self.events.next_event() {
            None => Ok((Event::StreamEnd, YamlSpan::default())),
            Some(Ok(e)) => Ok(e),
            Some(Err(e)) => Err(YamlError {
                message: e.info().to_string(),
                offset: self.base + self.offsets.byte(e.marker().index()),
            }),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let (s, e) = (self.offsets.byte(start), self.offsets.byte(end));
        Span::new(self.file, self.base + s..self.base + e.max(s))
    }

    fn fail<T>(&self, message: &str, at: &YamlSpan) -> Result<T, YamlError> {
        Err(YamlError {
            message: message.to_string(),
            offset: self.base + self.offsets.byte(at.start.index()),
        })
    }

    fn node(&mut self, event: Event<'a>, span: YamlSpan) -> Result<Value, YamlError> {
        let (value, anchor) = match event {
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(v) => {
                    let mut v = v.clone();
                    v.span = self.span(span.start.index(), span.end.index());
                    return Ok(v);
                }
                None => return self.fail("an alias to an anchor that is not defined", &span),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let at = self.span(span.start.index(), span.end.index());
                let value = match tag {
                    Some(tag) if is_local(&tag) => {
                        let arg = Value::new(Kind::String(text.into_owned()), at.clone());
                        intrinsic(&tag, arg, at)
                    }
                    tag => Value::new(scalar(&text, style, tag.as_deref()), at),
                };
                (value, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(&span)?;
                let mut items = Vec::new();
                let end = loop {
                    let (event, s) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break s;
                    }
                    items.push(self.node(event, s)?);
                };
                self.depth -= 1;
                // A block sequence, like a block mapping, ends with its last item.
                let last = items.last().map(|v| v.span.range.end);
                let mut at = self.span(span.start.index(), end.end.index());
                if let Some(last) = last {
                    at.range.end = at.range.end.min(last).max(at.range.start);
                }
                let value = Value::new(Kind::Array(items), at.clone());
                (local(tag.as_deref(), value, at), anchor)
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(&span)?;
                let mut members = Vec::new();
                let end = loop {
                    let (event, s) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break s;
                    }
                    let key = self.node(event, s)?;
                    let key_text = match &key.kind {
                        Kind::String(k) | Kind::Number(k) => k.clone(),
                        Kind::Bool(b) => b.to_string(),
                        Kind::Null => String::new(),
                        // A complex key (`? [a, b]`) names nothing a template reads.
                        _ => key.span.text().to_string(),
                    };
                    let (event, s) = self.next()?;
                    let value = self.node(event, s)?;
                    members.push(Member {
                        key: key_text,
                        key_span: key.span,
                        value,
                    });
                };
                self.depth -= 1;
                // A block mapping ends where the next token starts (past trailing blank lines):
                // the mapping's span ends with its last value instead.
                let last = members.last().map(|m| m.value.span.range.end);
                let mut at = self.span(span.start.index(), end.start.index());
                if let Some(last) = last {
                    at.range.end = at.range.end.min(last).max(at.range.start);
                }
                let value = Value::new(Kind::Object(members), at.clone());
                (local(tag.as_deref(), value, at), anchor)
            }
            _ => return self.fail("unexpected YAML event", &span),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }

    fn enter(&mut self, at: &YamlSpan) -> Result<(), YamlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("nesting is too deep", at);
        }
        Ok(())
    }
}

/// A tag written `!Name` (CloudFormation's short forms), not `!!name` (YAML's own types).
fn is_local(tag: &Tag) -> bool {
    tag.handle == "!" && !tag.suffix.is_empty()
}

/// A collection under a local tag (`!Join [...]`, `!If [...]`) as the long form of the function.
fn local(tag: Option<&Tag>, value: Value, at: Span) -> Value {
    match tag {
        Some(tag) if is_local(tag) => intrinsic(tag, value, at),
        _ => value,
    }
}

/// `!Ref x` as `{"Ref": "x"}`, `!Condition c` as `{"Condition": "c"}`, `!Name arg` as
/// `{"Fn::Name": arg}`: CloudFormation's own reading of the short forms.
fn intrinsic(tag: &Tag, arg: Value, at: Span) -> Value {
    let name = match tag.suffix.as_str() {
        "Ref" | "Condition" => tag.suffix.clone(),
        other => format!("Fn::{other}"),
    };
    Value::new(
        Kind::Object(vec![Member {
            key: name,
            key_span: at.clone(),
            value: arg,
        }]),
        at,
    )
}

/// A scalar by YAML 1.2's core schema: only plain scalars are null, booleans or numbers.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    if let Some(tag) = tag {
        // `!!str 1` is a string, `!!int "1"` a number, and so on.
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            return match tag.suffix.as_str() {
                "null" => Kind::Null,
                "bool" => Kind::Bool(text.eq_ignore_ascii_case("true")),
                "int" | "float" => Kind::Number(text.to_string()),
                _ => Kind::String(text.to_string()),
            };
        }
        return Kind::String(text.to_string());
    }
    if style != ScalarStyle::Plain {
        return Kind::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        t if is_number(t) => Kind::Number(t.to_string()),
        t => Kind::String(t.to_string()),
    }
}

/// A number by the core schema: decimal integers and floats, `0o`/`0x` integers, `.inf`, `.nan`.
fn is_number(t: &str) -> bool {
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    if unsigned.is_empty() {
        return false;
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Arc<SourceFile>, Value) {
        let file = SourceFile::new("t.yaml", text);
        let mut docs = parse_at(text, 0, &file).unwrap();
        (file, docs.remove(0))
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let (_, v) = parse(
            "a: true\nb: 'true'\nc: 12\nd: 2012-10-17\ne: ~\nf: 1.5e3\ng: 0x1F\nh: 1.2.3\ni: !!str 7\n",
        );
        assert_eq!(v.get("a").unwrap().kind, Kind::Bool(true));
        assert_eq!(v.get("b").unwrap().kind, Kind::String("true".into()));
        assert_eq!(v.get("c").unwrap().kind, Kind::Number("12".into()));
        assert_eq!(v.get("d").unwrap().as_str(), Some("2012-10-17"));
        assert_eq!(v.get("e").unwrap().kind, Kind::Null);
        assert_eq!(v.get("f").unwrap().kind, Kind::Number("1.5e3".into()));
        assert_eq!(v.get("g").unwrap().kind, Kind::Number("0x1F".into()));
        assert_eq!(v.get("h").unwrap().as_str(), Some("1.2.3"));
        assert_eq!(v.get("i").unwrap().as_str(), Some("7"));
    }

    #[test]
    fn spans_point_at_the_scalar_and_the_key() {
        let text = "Statement:\n  - Effect: Allow\n    Action: \"s3:GetObject\"\n";
        let (file, v) = parse(text);
        let s = &v.get("Statement").unwrap();
        let Kind::Array(items) = &s.kind else {
            panic!("not an array")
        };
        let action = items[0].get("Action").unwrap();
        assert_eq!(file.line_col(action.span.range.start), (3, 13));
        let effect = &items[0].as_object().unwrap()[0];
        assert_eq!(effect.key_span.text(), "Effect");
        assert_eq!(effect.value.span.text(), "Allow");
        assert_eq!(file.line_col(items[0].span.range.start), (2, 5));
    }

    #[test]
    fn spans_count_bytes_after_non_ascii_text() {
        let text = "# é è\nk: vé\nl: x\n";
        let (_, v) = parse(text);
        assert_eq!(v.get("k").unwrap().span.text(), "vé");
        assert_eq!(v.get("l").unwrap().span.text(), "x");
    }

    #[test]
    fn short_forms_read_as_long_forms() {
        let (_, v) =
            parse("a: !Ref Bucket\nb: !Join ['', [x, !GetAtt R.Arn]]\nc: !Condition IsProd\n");
        let a = v.get("a").unwrap();
        assert_eq!(a.get("Ref").unwrap().as_str(), Some("Bucket"));
        assert_eq!(a.span.text(), "!Ref Bucket");
        let b = v.get("b").unwrap().get("Fn::Join").unwrap();
        let Kind::Array(parts) = &b.kind else {
            panic!()
        };
        assert_eq!(parts.len(), 2);
        assert!(v.get("c").unwrap().get("Condition").is_some());
    }

    #[test]
    fn anchors_and_aliases_copy_the_value() {
        let (_, v) = parse("a: &x [1, 2]\nb: *x\n");
        assert_eq!(v.get("a").unwrap().kind, v.get("b").unwrap().kind);
    }

    #[test]
    fn errors_have_an_offset() {
        let file = SourceFile::new("t.yaml", "a: [1, 2\nb: 3\n");
        let e = parse_at(file.text(), 0, &file).unwrap_err();
        assert!(!e.message.is_empty());
        assert!(e.offset <= file.text().len());
        let deep = "[".repeat(500);
        let file = SourceFile::new("t.yaml", deep.as_str());
        // The parser's own limit or ours: an error either way, not a crash.
        assert!(parse_at(file.text(), 0, &file).is_err());
    }
}
