//! CloudFormation's intrinsic functions read as documentation placeholders (`<...>`), never as
//! errors: the value a function yields is known only when the stack is deployed.
//!
//! - `Ref`: `<Ref:Name>`; a pseudo parameter (`AWS::AccountId`, ...) `<AWS::AccountId>`;
//!   `AWS::NoValue` removes the member or list item that holds it.
//! - `Fn::GetAtt`: `<GetAtt:Resource.Attribute>`.
//! - `Fn::Sub`: the string with each `${Name}` as `<Ref:Name>` (`<GetAtt:Name.Attr>` for a dotted
//!   name, `<AWS::Region>` for a pseudo parameter) (or the value the function's own
//!   variable map gives it), and `${!Literal}`, CloudFormation's escape, as `${Literal}`: the way a
//!   policy variable is written inside `Fn::Sub`.
//! - `Fn::Join`: the parts, each read the same way, joined with the delimiter.
//! - `Fn::If`: the value used when the condition is true; when that is `AWS::NoValue`, the other one.
//!   Only one branch is checked, so that a statement is never checked twice (twice its `Sid`).
//! - `Fn::Select` of a written list: the item it selects.
//! - Anything else (`Fn::ImportValue`, `Fn::FindInMap`, `Fn::Base64`, ...): `<Fn::Name>`.
//!
//! AWS CloudFormation Template Reference Guide, "Intrinsic function reference":
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
//! and "Fn::Sub": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html

use crate::json::{Kind, Member, Value};

/// The name of the intrinsic function a value calls, if it is one: an object whose only member
/// is `Ref`, `Condition` or `Fn::...`.
pub fn function(v: &Value) -> Option<(&str, &Value)> {
    match v.as_object()? {
        [m] if m.key == "Ref" || m.key == "Condition" || m.key.starts_with("Fn::") => {
            Some((m.key.as_str(), &m.value))
        }
        _ => None,
    }
}

/// `v` with every intrinsic function read as a placeholder; `None` for `AWS::NoValue`.
pub fn resolve(v: &Value) -> Option<Value> {
    if let Some((name, arg)) = function(v) {
        return call(name, arg, v);
    }
    let kind = match &v.kind {
        Kind::Array(items) => Kind::Array(items.iter().filter_map(resolve).collect()),
        Kind::Object(members) => Kind::Object(
            members
                .iter()
                .filter_map(|m| {
                    Some(Member {
                        key: m.key.clone(),
                        key_span: m.key_span.clone(),
                        value: resolve(&m.value)?,
                    })
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Some(Value::new(kind, v.span.clone()))
}

/// Whether a value is a placeholder as a whole (`<...>`): what an intrinsic function yields.
pub fn is_placeholder(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() >= 2 && s.starts_with('<') && s.ends_with('>'))
}

fn call(name: &str, arg: &Value, at: &Value) -> Option<Value> {
    let text = |s: String| Some(Value::new(Kind::String(s), at.span.clone()));
    let args: &[Value] = match &arg.kind {
        Kind::Array(items) => items,
        _ => std::slice::from_ref(arg),
    };
    match name {
        "Ref" => match arg.as_str() {
            Some("AWS::NoValue") => None,
            Some(p) if p.starts_with("AWS::") => text(format!("<{p}>")),
            Some(r) => text(format!("<Ref:{r}>")),
            None => text("<Ref>".to_string()),
        },
        "Condition" => text(format!("<Condition:{}>", arg.as_str().unwrap_or_default())),
        "Fn::GetAtt" => {
            let parts: Vec<String> = args.iter().map(scalar_text).collect();
            text(format!("<GetAtt:{}>", parts.join(".")))
        }
        "Fn::Sub" => {
            let (template, vars) = match &arg.kind {
                Kind::String(s) => (Some(s.as_str()), None),
                Kind::Array(items) => (
                    items.first().and_then(Value::as_str),
                    items.get(1).and_then(Value::as_object),
                ),
                _ => (None, None),
            };
            match template {
                Some(t) => text(substitute(t, vars)),
                None => text("<Fn::Sub>".to_string()),
            }
        }
        "Fn::Join" => {
            let joined = match args {
                [delimiter, list] => delimiter.as_str().zip(match &list.kind {
                    Kind::Array(parts) => parts
                        .iter()
                        .filter_map(resolve)
                        .map(|p| match &p.kind {
                            Kind::String(s) | Kind::Number(s) => Some(s.clone()),
                            Kind::Bool(b) => Some(b.to_string()),
                            _ => None,
                        })
                        .collect::<Option<Vec<String>>>(),
                    _ => None,
                }),
                _ => None,
            };
            match joined {
                Some((delimiter, parts)) => text(parts.join(delimiter)),
                None => text("<Fn::Join>".to_string()),
            }
        }
        "Fn::If" => match args {
            [_, when_true, when_false] => resolve(when_true).or_else(|| resolve(when_false)),
            _ => text("<Fn::If>".to_string()),
        },
        "Fn::Select" => {
            let chosen = match args {
                [index, list] => {
                    let i = match &index.kind {
                        Kind::Number(n) | Kind::String(n) => n.parse::<usize>().ok(),
                        _ => None,
                    };
                    match (&list.kind, i) {
                        (Kind::Array(items), Some(i)) => items.get(i),
                        _ => None,
                    }
                }
                _ => None,
            };
            match chosen {
                Some(v) => resolve(v),
                None => text("<Fn::Select>".to_string()),
            }
        }
        other => text(format!("<{other}>")),
    }
}

/// A scalar argument as text (`Fn::GetAtt`'s names); anything else as its placeholder.
fn scalar_text(v: &Value) -> String {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => s.clone(),
        _ => match resolve(v) {
            Some(r) if r.as_str().is_some() => r.as_str().unwrap_or_default().to_string(),
            _ => "?".to_string(),
        },
    }
}

/// `Fn::Sub`'s template with its variables as placeholders. A variable the function's own map
/// gives a string (after reading it) is replaced by that string.
pub fn substitute(template: &str, vars: Option<&[Member]>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let name = &after[..close];
        if let Some(literal) = name.strip_prefix('!') {
            // `${!Literal}` is written out as `${Literal}`.
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else {
            let given = vars
                .and_then(|vars| vars.iter().find(|m| m.key == name))
                .and_then(|m| resolve(&m.value))
                .and_then(|v| match v.kind {
                    Kind::String(s) | Kind::Number(s) => Some(s),
                    _ => None,
                });
            match given {
                Some(s) => out.push_str(&s),
                // As `Fn::Sub` reads a name: a pseudo parameter, a resource's attribute
                // (`Bucket.Arn`, as `Fn::GetAtt`), else a parameter or resource (as `Ref`).
                None => {
                    let name = name.trim();
                    if name.starts_with("AWS::") {
                        out.push_str(&format!("<{name}>"));
                    } else if name.contains('.') {
                        out.push_str(&format!("<GetAtt:{name}>"));
                    } else {
                        out.push_str(&format!("<Ref:{name}>"));
                    }
                }
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn json(text: &str) -> Value {
        crate::json::parse(&SourceFile::new("t.json", text)).unwrap()
    }

    fn resolved(text: &str) -> Option<String> {
        resolve(&json(text)).map(|v| match v.kind {
            Kind::String(s) => s,
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn refs_and_get_att() {
        assert_eq!(
            resolved(r#"{"Ref": "MyBucket"}"#).unwrap(),
            "<Ref:MyBucket>"
        );
        assert_eq!(
            resolved(r#"{"Ref": "AWS::AccountId"}"#).unwrap(),
            "<AWS::AccountId>"
        );
        assert_eq!(resolved(r#"{"Ref": "AWS::NoValue"}"#), None);
        assert_eq!(
            resolved(r#"{"Fn::GetAtt": ["Bucket", "Arn"]}"#).unwrap(),
            "<GetAtt:Bucket.Arn>"
        );
        assert_eq!(
            resolved(r#"{"Fn::GetAtt": "Bucket.Arn"}"#).unwrap(),
            "<GetAtt:Bucket.Arn>"
        );
    }

    #[test]
    fn sub_reads_variables_pseudo_parameters_and_escapes() {
        assert_eq!(
            substitute("arn:aws:s3:::${BucketName}/*", None),
            "arn:aws:s3:::<Ref:BucketName>/*"
        );
        assert_eq!(
            substitute(
                "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q",
                None
            ),
            "arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:q"
        );
        assert_eq!(
            substitute("arn:aws:s3:::b/home/${!aws:username}/*", None),
            "arn:aws:s3:::b/home/${aws:username}/*"
        );
        assert_eq!(substitute("a ${ unclosed", None), "a ${ unclosed");
        assert_eq!(
            resolved(r#"{"Fn::Sub": ["arn:aws:s3:::${B}/${K}", {"B": "my-bucket", "K": {"Ref": "Key"}}]}"#)
                .unwrap(),
            "arn:aws:s3:::my-bucket/<Ref:Key>"
        );
    }

    #[test]
    fn join_if_select_and_others() {
        assert_eq!(
            resolved(r#"{"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "B"}, "/*"]]}"#).unwrap(),
            "arn:aws:s3:::<Ref:B>/*"
        );
        assert_eq!(
            resolved(r#"{"Fn::Join": [",", {"Ref": "List"}]}"#).unwrap(),
            "<Fn::Join>"
        );
        assert_eq!(
            resolved(r#"{"Fn::If": ["C", "s3:GetObject", "s3:*"]}"#).unwrap(),
            "s3:GetObject"
        );
        assert_eq!(
            resolved(r#"{"Fn::If": ["C", {"Ref": "AWS::NoValue"}, "s3:*"]}"#).unwrap(),
            "s3:*"
        );
        assert_eq!(resolved(r#"{"Fn::Select": [1, ["a", "b"]]}"#).unwrap(), "b");
        assert_eq!(
            resolved(r#"{"Fn::ImportValue": "Shared"}"#).unwrap(),
            "<Fn::ImportValue>"
        );
        assert_eq!(
            resolved(r#"{"Fn::FindInMap": ["M", "a", "b"]}"#).unwrap(),
            "<Fn::FindInMap>"
        );
    }

    #[test]
    fn no_value_removes_members_and_items() {
        let v = resolve(&json(
            r#"{"A": {"Ref": "AWS::NoValue"}, "B": ["x", {"Ref": "AWS::NoValue"}]}"#,
        ))
        .unwrap();
        assert!(v.get("A").is_none());
        let Kind::Array(items) = &v.get("B").unwrap().kind else {
            panic!("not an array")
        };
        assert_eq!(items.len(), 1);
    }
}
