//! Writing the policy model back out: the canonical JSON value (IAM's element order, Statement
//! always an array), laid out by `layout` exactly as Prettier would.

use super::*;
use crate::iam::element::{self, CURRENT_VERSION};
use crate::json::{Kind, Member, Value};
use crate::source::Span;

impl Policy {
    /// A policy made of the given statements, with the current version.
    pub fn from_statements(statements: Vec<Statement>, span: Span) -> Policy {
        Policy {
            version: Some(Spanned::new(CURRENT_VERSION.to_string(), Span::generated())),
            id: None,
            statements,
            span,
        }
    }

    /// The document in canonical form: IAM's element order, Statement always an array.
    pub fn to_value(&self) -> Value {
        let mut m = Vec::new();
        if let Some(v) = &self.version {
            push(&mut m, element::VERSION, Value::string(&v.value));
        }
        if let Some(id) = &self.id {
            push(&mut m, element::ID, Value::string(&id.value));
        }
        let stmts = self.statements.iter().map(Statement::to_value).collect();
        push(
            &mut m,
            element::STATEMENT,
            Value::synthetic(Kind::Array(stmts)),
        );
        Value::synthetic(Kind::Object(m))
    }
}

fn push(members: &mut Vec<Member>, key: &str, value: Value) {
    members.push(Member {
        key: key.to_string(),
        key_span: Span::generated(),
        value,
    });
}

fn list_value<T>(list: &List<T>, f: impl Fn(&T) -> Value) -> Value {
    if list.written_as_array || list.items.len() != 1 {
        Value::synthetic(Kind::Array(
            list.items.iter().map(|i| f(&i.value)).collect(),
        ))
    } else {
        f(&list.items[0].value)
    }
}

impl Statement {
    pub fn to_value(&self) -> Value {
        let mut m = Vec::new();
        if let Some(sid) = &self.sid {
            push(&mut m, element::SID, Value::string(&sid.value));
        }
        if let Some(e) = &self.effect {
            push(&mut m, element::EFFECT, Value::string(e.value.as_str()));
        }
        if let Some(p) = &self.principal {
            let name = if p.negated {
                element::NOT_PRINCIPAL
            } else {
                element::PRINCIPAL
            };
            let v = match &p.principal {
                Principal::Any(_) => Value::string("*"),
                Principal::Map(entries) => Value::synthetic(Kind::Object(
                    entries
                        .iter()
                        .map(|(k, ids)| Member {
                            key: k.value.as_str().to_string(),
                            key_span: Span::generated(),
                            value: list_value(ids, |s| Value::string(s)),
                        })
                        .collect(),
                )),
            };
            push(&mut m, name, v);
        }
        for (t, pos, neg) in [
            (&self.action, element::ACTION, element::NOT_ACTION),
            (&self.resource, element::RESOURCE, element::NOT_RESOURCE),
        ] {
            if let Some(t) = t {
                let name = if t.negated { neg } else { pos };
                push(&mut m, name, list_value(&t.list, |s| Value::string(s)));
            }
        }
        if !self.condition.is_empty() {
            let clauses = self
                .condition
                .iter()
                .map(|c| Member {
                    key: c.operator.value.to_string(),
                    key_span: Span::generated(),
                    value: Value::synthetic(Kind::Object(
                        c.entries
                            .iter()
                            .map(|e| Member {
                                key: e.key.value.clone(),
                                key_span: Span::generated(),
                                value: list_value(&e.values, |v| match v {
                                    ConditionValue::String(s) => Value::string(s),
                                    ConditionValue::Bool(b) => Value::synthetic(Kind::Bool(*b)),
                                    ConditionValue::Number(n) => {
                                        Value::synthetic(Kind::Number(n.clone()))
                                    }
                                }),
                            })
                            .collect(),
                    )),
                })
                .collect();
            push(
                &mut m,
                element::CONDITION,
                Value::synthetic(Kind::Object(clauses)),
            );
        }
        Value::synthetic(Kind::Object(m))
    }
}
