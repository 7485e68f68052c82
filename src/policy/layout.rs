//! Lays out JSON exactly as Prettier does for `.json` files and ```json blocks at print width 80,
//! so `prettier --check` is a no-op on everything we generate. Written by hand: no Rust crate
//! reproduces Prettier's rules, which for JSON are few:
//! - a non-empty object is always expanded, one member per line (Prettier keeps objects expanded
//!   when the first key is on its own line, and we always write them that way);
//! - an array is printed on one line when it, plus the `,` that follows it, fits in 80 columns;
//!   otherwise one element per line. An array holding an object never fits on one line.

use crate::json::{Kind, Value, write_string};

const PRINT_WIDTH: usize = 80;
const INDENT: usize = 2;

/// The whole document, ending with a newline.
pub fn to_prettier_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0, 0, false);
    out.push('\n');
    out
}

/// `col` is the column the value starts at; `comma` says whether a `,` follows it on the line.
fn write_value(out: &mut String, v: &Value, indent: usize, col: usize, comma: bool) {
    match &v.kind {
        Kind::Object(members) if members.is_empty() => out.push_str("{}"),
        Kind::Object(members) => {
            out.push_str("{\n");
            let inner = indent + INDENT;
            for (i, m) in members.iter().enumerate() {
                let last = i + 1 == members.len();
                push_indent(out, inner);
                let before = out.len();
                write_string(out, &m.key);
                out.push_str(": ");
                let key_width = out.len() - before;
                write_value(out, &m.value, inner, inner + key_width, !last);
                if !last {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push('}');
        }
        Kind::Array(items) if items.is_empty() => out.push_str("[]"),
        Kind::Array(items) => {
            if let Some(flat) =
                flat(v).filter(|f| col + f.len() + usize::from(comma) <= PRINT_WIDTH)
            {
                out.push_str(&flat);
                return;
            }
            out.push_str("[\n");
            let inner = indent + INDENT;
            for (i, item) in items.iter().enumerate() {
                let last = i + 1 == items.len();
                push_indent(out, inner);
                write_value(out, item, inner, inner, !last);
                if !last {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(out, indent);
            out.push(']');
        }
        _ => out.push_str(&flat(v).expect("scalars are flat")),
    }
}

/// The one-line form, or `None` where Prettier would never print one (non-empty objects).
fn flat(v: &Value) -> Option<String> {
    let mut out = String::new();
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => out.push_str(n),
        Kind::String(s) => write_string(&mut out, s),
        Kind::Object(m) if m.is_empty() => out.push_str("{}"),
        Kind::Object(_) => return None,
        Kind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&flat(item)?);
            }
            out.push(']');
        }
    }
    Some(out)
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::source::SourceFile;

    fn fmt(src: &str) -> String {
        to_prettier_json(&parse(&SourceFile::new("t.json", src)).unwrap())
    }

    #[test]
    fn short_array_stays_on_one_line() {
        assert_eq!(
            fmt(r#"{"Action": ["s3:GetObject", "s3:ListBucket"]}"#),
            "{\n  \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"]\n}\n"
        );
    }

    #[test]
    fn long_array_breaks_one_per_line() {
        let out = fmt(
            r#"{"Action": ["aws-mcp:InvokeMcp", "aws-mcp:CallReadOnlyTool", "aws-mcp:CallReadWriteTool"]}"#,
        );
        assert_eq!(
            out,
            "{\n  \"Action\": [\n    \"aws-mcp:InvokeMcp\",\n    \"aws-mcp:CallReadOnlyTool\",\n    \"aws-mcp:CallReadWriteTool\"\n  ]\n}\n"
        );
    }

    #[test]
    fn trailing_comma_counts_toward_the_width() {
        // 2 + `"A": ` (5) + 72 = 79 columns: fits when last, not when a `,` follows.
        let items = "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"";
        let last = fmt(&format!("{{\"A\": [{items}]}}"));
        assert!(last.contains(&format!("[{items}]")), "{last}");
        let not_last = fmt(&format!("{{\"A\": [{items}], \"B\": 1}}"));
        assert!(!not_last.contains(&format!("[{items}]")), "{not_last}");
    }

    #[test]
    fn exactly_eighty_columns_fits() {
        let s = "x".repeat(80 - 2 - 5 - 4);
        let out = fmt(&format!("{{\"A\": [\"{s}\"]}}"));
        assert_eq!(out.lines().nth(1).unwrap().len(), 80);
        let out = fmt(&format!("{{\"A\": [\"{s}x\"]}}"));
        assert_eq!(out.lines().count(), 5);
    }

    #[test]
    fn arrays_of_objects_break_and_empty_containers_stay_short() {
        let out = fmt(r#"{"Statement": [{"Effect": "Allow"}], "C": {}, "D": []}"#);
        assert_eq!(
            out,
            "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\"\n    }\n  ],\n  \"C\": {},\n  \"D\": []\n}\n"
        );
    }
}
