//! Policy documents as a tree of values that remember where they came from (byte ranges), read
//! from strict JSON here and from TOML by the catalog. Duplicate keys are kept, because IAM
//! rejects them and the validator must be able to say so.

use crate::source::{SourceFile, Span};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// Kept as written: IAM policies hold numbers only by mistake, and we echo them unchanged.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
}

impl Value {
    pub fn new(kind: Kind, span: Span) -> Value {
        Value { kind, span }
    }

    /// A value made by the tool (not read from a file).
    pub fn synthetic(kind: Kind) -> Value {
        Value {
            kind,
            span: Span::generated(),
        }
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::synthetic(Kind::String(s.into()))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The JSON type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

/// The syntax error for a complete value followed by more text (`{...}, {...}`).
pub const TRAILING_TEXT: &str = "unexpected text after the JSON value";

/// Parses a file as strict JSON (RFC 8259). Trailing commas, comments and single quotes are errors.
pub fn parse(file: &Arc<SourceFile>) -> Result<Value, SyntaxError> {
    parse_text(file.text(), file)
}

/// Parses `text`, attributing spans to `file`. The two differ for JSON pasted in a page: `text` is
/// the page with everything but the code block's content blanked out, so offsets match the page.
pub fn parse_text(text: &str, file: &Arc<SourceFile>) -> Result<Value, SyntaxError> {
    parse_at(text, 0, file)
}

/// Parses `text`, which stands at byte `base` of `file`: spans and error offsets are the file's.
pub fn parse_at(text: &str, base: usize, file: &Arc<SourceFile>) -> Result<Value, SyntaxError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        file,
        base,
        i: 0,
        depth: 0,
    };
    p.ws();
    if text[p.i..].starts_with('\u{feff}') {
        return p
            .fail("the text starts with a byte order mark (U+FEFF); save it as UTF-8 without one");
    }
    let v = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return p.fail(TRAILING_TEXT);
    }
    Ok(v)
}

/// `text` with what JSONC adds to JSON blanked out: comments (`// ...` to the end of the line,
/// `/* ... */`) and trailing commas (a comma before `}` or `]`) become spaces, line breaks are
/// kept, so offsets and lines stay those of `text`. Strings are left alone. What remains is read
/// as strict JSON. Written here rather than taken from a JSONC crate because the result must keep
/// every offset of the original text (findings point into the page).
pub fn blank_jsonc(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    if memchr::memchr2(b'/', b',', b).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    let mut i = 0;
    // The last comma seen outside strings and comments, with only blanks and comments after it.
    let mut comma: Option<usize> = None;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' && *c != b'\r' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                comma = None;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + n + 4);
                blank(&mut out, i, end);
                i = end;
            }
            b',' => {
                comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes outside strings were replaced by spaces.
    std::borrow::Cow::Owned(String::from_utf8(out).expect("ASCII replaced by ASCII"))
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    file: &'a Arc<SourceFile>,
    /// Where `text` starts in the file.
    base: usize,
    i: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn fail<T>(&self, message: &str) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            message: message.to_string(),
            offset: self.base + self.i,
        })
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        let start = self.i;
        let kind = match self.s.get(self.i) {
            None => return self.fail("unexpected end of input, expected a value"),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.word("true", Kind::Bool(true))?,
            Some(b'f') => self.word("false", Kind::Bool(false))?,
            Some(b'n') => self.word("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                return self
                    .fail("expected a value (object, array, string, number, true, false or null)");
            }
        };
        Ok(Value::new(
            kind,
            Span::new(self.file, self.base + start..self.base + self.i),
        ))
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("nesting is too deep");
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Kind, SyntaxError> {
        self.enter()?;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return self.fail("expected a string key");
            }
            let kstart = self.i;
            let key = self.string()?;
            let key_span = Span::new(self.file, self.base + kstart..self.base + self.i);
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return self.fail("expected `:` after the key");
            }
            self.i += 1;
            self.ws();
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.s.get(self.i) == Some(&b'}') {
                        return self.fail("trailing comma before `}`");
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return self.fail("expected `,` or `}`"),
            }
        }
        self.depth -= 1;
        Ok(Kind::Object(members))
    }

    fn array(&mut self) -> Result<Kind, SyntaxError> {
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        return self.fail("trailing comma before `]`");
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                _ => return self.fail("expected `,` or `]`"),
            }
        }
        self.depth -= 1;
        Ok(Kind::Array(items))
    }

    fn word(&mut self, w: &str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(kind)
        } else {
            self.fail("expected a value (object, array, string, number, true, false or null)")
        }
    }

    fn number(&mut self) -> Result<Kind, SyntaxError> {
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.fail("invalid number"),
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
                return self.fail("invalid number: digits expected after `.`");
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if !matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
                return self.fail("invalid number: digits expected in the exponent");
            }
            self.digits();
        }
        Ok(Kind::Number(self.text[start..self.i].to_string()))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[run_start..self.i]);
            match self.s.get(self.i) {
                None => return self.fail("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return self.fail("unpaired surrogate in \\u escape");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.fail("unpaired surrogate in \\u escape");
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => return self.fail("invalid \\u escape"),
                            }
                            continue;
                        }
                        _ => return self.fail("invalid escape in string"),
                    };
                    out.push(c);
                    self.i += 1;
                }
                Some(_) => return self.fail("control character in string (escape it)"),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let Some(h) = self.text.get(self.i..self.i + 4) else {
            return self.fail("invalid \\u escape");
        };
        match u32::from_str_radix(h, 16) {
            Ok(v) if h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.i += 4;
                Ok(v)
            }
            _ => self.fail("invalid \\u escape"),
        }
    }
}

/// Writes a JSON string literal. Non-ASCII is escaped so generated policies are plain ASCII, which
/// IAM and every terminal accept.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::blank_jsonc;

    #[test]
    fn jsonc_comments_and_trailing_commas_are_blanked_in_place() {
        let text = "{\n  // a note\n  \"a\": \"// not a comment\", /* b */\n  \"c\": [1, 2,],\n}";
        let blanked = blank_jsonc(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked,
            "{\n           \n  \"a\": \"// not a comment\",        \n  \"c\": [1, 2 ] \n}"
        );
        assert!(matches!(
            blank_jsonc("{\"a\": 1}"),
            std::borrow::Cow::Borrowed(_)
        ));
        // An escaped quote does not end a string.
        assert_eq!(blank_jsonc(r#"["a\",//", 1,]"#), r#"["a\",//", 1 ]"#);
    }
    use super::*;

    fn parse(text: &str) -> Result<Value, SyntaxError> {
        super::parse(&SourceFile::new("t.json", text))
    }

    fn err(text: &str) -> SyntaxError {
        parse(text).unwrap_err()
    }

    #[test]
    fn parses_objects_with_spans() {
        let v = parse(r#"{"a": [1, "x"], "b": {"c": null}}"#).unwrap();
        let a = v.get("a").unwrap();
        assert_eq!(a.span.range, 6..14);
        assert_eq!(v.get("b").unwrap().get("c").unwrap().kind, Kind::Null);
        assert_eq!(v.as_object().unwrap()[1].key_span.range, 16..19);
    }

    #[test]
    fn keeps_duplicate_keys() {
        let v = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn decodes_escapes() {
        let v = parse(r#""a\"b\\c\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str(), Some("a\"b\\cé😀"));
    }

    #[test]
    fn rejects_trailing_comma() {
        assert_eq!(err("[1,]").offset, 3);
        assert!(err(r#"{"a":1,}"#).message.contains("trailing comma"));
    }

    #[test]
    fn rejects_comments_single_quotes_and_garbage() {
        assert!(parse("// x\n{}").is_err());
        assert!(parse("{'a': 1}").is_err());
        assert!(parse("{} x").is_err());
        assert!(parse("").is_err());
        assert!(parse("01").is_err());
        assert!(parse("\"a\nb\"").is_err());
        assert!(parse(r#""\ud800""#).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000);
        assert!(err(&deep).message.contains("too deep"));
    }

    #[test]
    fn write_string_escapes_to_ascii() {
        let mut s = String::new();
        write_string(&mut s, "é\"\n");
        assert_eq!(s, r#""\u00e9\"\n""#);
    }
}
