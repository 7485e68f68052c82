//! Truth tables: how a policy set or a single statement decides one request as named condition
//! keys vary. Each key takes the cases a reader asks about: absent, each value the policies
//! compare it with, and one other value (for a Bool key: absent, `true`, `false`); the table is
//! their cross product. Each row says what every condition clause on those keys gave and the
//! decision (for a statement: whether it applies). Data only; rendering is the caller's.

use super::conditions::KeyOutcome;
use super::request::{ContextValue, Request};
use super::{Decision, PolicySet, evaluate, statement_outcome};
use crate::aws_data::AwsData;
use crate::iam::key_type::KeyType;
use crate::iam::operator::{OperatorFamily, SetQualifier};
use crate::policy::Statement;

/// What a table is about.
pub enum Subject<'a> {
    Policies(&'a PolicySet<'a>),
    /// One statement; `variables`: whether its policy reads policy variables.
    Statement {
        statement: &'a Statement,
        variables: bool,
    },
}

/// One value a key takes in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Case {
    Absent,
    /// A value the policies compare the key with (for Bool keys: `true`, `false`).
    Value(String),
    /// A value no policy compares the key with.
    Other(String),
}

impl Case {
    pub fn value(&self) -> Option<&str> {
        match self {
            Case::Absent => None,
            Case::Value(v) | Case::Other(v) => Some(v),
        }
    }
}

/// A condition column: one key under one operator of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionColumn {
    /// The policy's name (empty for a single statement) and the statement's index in it.
    pub policy: String,
    pub statement: usize,
    pub sid: Option<String>,
    pub operator: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Decision(Decision),
    /// For a single statement: whether it applies.
    Applies(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One case per key, in the order of `TruthTable::keys`.
    pub cases: Vec<Case>,
    /// Whether each condition column matched, in the order of `TruthTable::conditions`.
    pub matches: Vec<bool>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthTable {
    pub keys: Vec<String>,
    pub conditions: Vec<ConditionColumn>,
    pub rows: Vec<Row>,
}

/// The statements of a subject, with their policy name and whether they read variables.
pub(crate) fn statements<'a>(subject: &'a Subject<'a>) -> Vec<(&'a str, usize, &'a Statement)> {
    match subject {
        Subject::Statement { statement, .. } => vec![("", 0, *statement)],
        Subject::Policies(set) => set_statements(set),
    }
}

/// Every statement of every policy of a set, with its policy's name and its index.
pub(crate) fn set_statements<'a>(set: &PolicySet<'a>) -> Vec<(&'a str, usize, &'a Statement)> {
    let levels = |l: &Option<Vec<Vec<super::NamedPolicy<'a>>>>| {
        l.iter().flatten().flatten().copied().collect::<Vec<_>>()
    };
    let all = set
        .identity
        .iter()
        .copied()
        .chain(set.resource)
        .chain(set.boundaries.iter().copied())
        .chain(levels(&set.service_control))
        .chain(levels(&set.resource_control))
        .chain(set.session)
        .chain(set.vpc_endpoints.iter().copied());
    let mut out = Vec::new();
    for p in all {
        for (i, s) in p.policy.statements.iter().enumerate() {
            out.push((p.name, i, s));
        }
    }
    out
}

/// The cases of one key: absent, the compared values (or `true`/`false`), one other value.
pub(crate) fn cases_for(
    key: &str,
    stmts: &[(&str, usize, &Statement)],
    aws: &AwsData,
) -> (Vec<Case>, bool) {
    let mut values: Vec<String> = Vec::new();
    let mut family = None;
    let mut multivalued = aws
        .condition_key(key)
        .and_then(|k| k.key_type)
        .is_some_and(KeyType::is_multivalued);
    for (_, _, s) in stmts {
        for c in &s.condition {
            for e in c
                .entries
                .iter()
                .filter(|e| e.key.value.eq_ignore_ascii_case(key))
            {
                let op = &c.operator.value;
                if op.qualifier.is_some_and(|q| {
                    matches!(q, SetQualifier::ForAllValues | SetQualifier::ForAnyValue)
                }) {
                    multivalued = true;
                }
                if op.family == OperatorFamily::Null {
                    continue;
                }
                family.get_or_insert(op.family);
                for v in &e.values.items {
                    let t = v.value.text().to_string();
                    if !values.contains(&t) {
                        values.push(t);
                    }
                }
            }
        }
    }
    let is_bool = family == Some(OperatorFamily::Bool)
        || aws
            .condition_key(key)
            .and_then(|k| k.key_type)
            .is_some_and(|t| t.base() == KeyType::Bool);
    let mut cases = vec![Case::Absent];
    if is_bool {
        cases.push(Case::Value("true".into()));
        cases.push(Case::Value("false".into()));
        return (cases, multivalued);
    }
    cases.extend(values.iter().cloned().map(Case::Value));
    cases.push(Case::Other(other_value(family, &values)));
    (cases, multivalued)
}

/// A value of the key's kind that differs from every compared value.
fn other_value(family: Option<OperatorFamily>, values: &[String]) -> String {
    let candidates: &[&str] = match family {
        Some(OperatorFamily::Numeric) => &["999999", "-1"],
        Some(OperatorFamily::Date) => &["1999-01-01T00:00:00Z", "2099-01-01T00:00:00Z"],
        Some(OperatorFamily::IpAddress) => &["192.0.2.1", "198.51.100.1"],
        Some(OperatorFamily::Arn) => {
            &["arn:aws:iam::000000000000:role/other", "arn:aws:s3:::other"]
        }
        _ => &["other-value", "another-value"],
    };
    candidates
        .iter()
        .find(|c| {
            !values.iter().any(|v| {
                v == *c
                    || crate::iam::wildcard::matches(v, c)
                    || crate::iam::wildcard::matches_ignore_case(v, c)
            })
        })
        .unwrap_or(&candidates[0])
        .to_string()
}

/// Builds the table. `base` gives the principal, action, resource and any other context; the
/// named keys are set (or removed) for each row.
pub fn truth_table(
    subject: &Subject<'_>,
    base: &Request,
    keys: &[&str],
    aws: &AwsData,
) -> TruthTable {
    let stmts = statements(subject);
    let per_key: Vec<(Vec<Case>, bool)> = keys.iter().map(|k| cases_for(k, &stmts, aws)).collect();
    let conditions: Vec<ConditionColumn> = stmts
        .iter()
        .flat_map(|(policy, index, s)| {
            s.condition.iter().flat_map(move |c| {
                c.entries
                    .iter()
                    .filter(|e| keys.iter().any(|k| k.eq_ignore_ascii_case(&e.key.value)))
                    .map(move |e| ConditionColumn {
                        policy: policy.to_string(),
                        statement: *index,
                        sid: s.sid.as_ref().map(|x| x.value.clone()),
                        operator: c.operator.value.to_string(),
                        key: e.key.value.clone(),
                    })
            })
        })
        .collect();
    let mut rows = Vec::new();
    let mut index = vec![0usize; keys.len()];
    loop {
        let cases: Vec<Case> = index
            .iter()
            .zip(&per_key)
            .map(|(i, (cs, _))| cs[*i].clone())
            .collect();
        let mut req = base.clone();
        for ((k, case), (_, multi)) in keys.iter().zip(&cases).zip(&per_key) {
            match case.value() {
                None => req.context.remove(k),
                Some(v) if *multi => req
                    .context
                    .insert(*k, ContextValue::Many(vec![v.to_string()])),
                Some(v) => req.context.insert(*k, v),
            }
        }
        let mut outcomes: Vec<(String, usize, KeyOutcome)> = Vec::new();
        let variables = match subject {
            Subject::Statement { variables, .. } => *variables,
            Subject::Policies(_) => true,
        };
        let mut applies = false;
        for (policy, i, s) in &stmts {
            let o = statement_outcome(s, &req, variables, aws);
            applies = o.applies;
            outcomes.extend(
                o.conditions
                    .into_iter()
                    .map(|c| (policy.to_string(), *i, c)),
            );
        }
        let matches = conditions
            .iter()
            .map(|col| {
                outcomes.iter().any(|(p, i, o)| {
                    *p == col.policy
                        && *i == col.statement
                        && o.operator == col.operator
                        && o.key == col.key
                        && o.matched
                })
            })
            .collect();
        let outcome = match subject {
            Subject::Statement { .. } => Outcome::Applies(applies),
            Subject::Policies(set) => Outcome::Decision(evaluate(&req, set, aws).decision),
        };
        rows.push(Row {
            cases,
            matches,
            outcome,
        });
        // Next combination, the last key varying fastest.
        let mut k = keys.len();
        loop {
            if k == 0 {
                return TruthTable {
                    keys: keys.iter().map(|k| k.to_string()).collect(),
                    conditions,
                    rows,
                };
            }
            k -= 1;
            index[k] += 1;
            if index[k] < per_key[k].0.len() {
                break;
            }
            index[k] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{NamedPolicy, Principal};
    use crate::policy::{Policy, PolicyKind};
    use crate::source::SourceFile;

    fn policy(text: &str) -> Policy {
        let f = SourceFile::new("p.json", text);
        Policy::read(&crate::json::parse(&f).unwrap(), PolicyKind::Identity).value
    }

    const GUARDRAIL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyDirectAPIAccess","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:ViaAWSMCPService":"false"}}}]}"#;

    fn request() -> Request {
        Request::new(
            Principal::parse("arn:aws:sts::111122223333:assumed-role/R/s").unwrap(),
            "s3:GetObject",
        )
        .on("arn:aws:s3:::b/k")
    }

    // The seed's table, as IAM decides it: with BoolIfExists, the deny applies when the key is
    // absent (IAM User Guide, "...IfExists condition operators").
    #[test]
    fn the_guardrail_applies_when_the_key_is_absent() {
        let p = policy(GUARDRAIL);
        let t = truth_table(
            &Subject::Statement {
                statement: &p.statements[0],
                variables: true,
            },
            &request(),
            &["aws:ViaAWSMCPService"],
            AwsData::embedded(),
        );
        let got: Vec<(Option<&str>, bool, &Outcome)> = t
            .rows
            .iter()
            .map(|r| (r.cases[0].value(), r.matches[0], &r.outcome))
            .collect();
        assert_eq!(
            got,
            [
                (None, true, &Outcome::Applies(true)),
                (Some("true"), false, &Outcome::Applies(false)),
                (Some("false"), true, &Outcome::Applies(true)),
            ]
        );
        assert_eq!(t.conditions[0].operator, "BoolIfExists");
    }

    #[test]
    fn policies_get_decisions_and_string_keys_get_their_values_and_another() {
        let allow = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:CalledViaAWSMCP":"aws-mcp.amazonaws.com"}}}]}"#,
        );
        let deny = policy(GUARDRAIL);
        let set = PolicySet::identity([
            NamedPolicy::new("allow", &allow),
            NamedPolicy::new("guard", &deny),
        ]);
        let t = truth_table(
            &Subject::Policies(&set),
            &request(),
            &["aws:CalledViaAWSMCP", "aws:ViaAWSMCPService"],
            AwsData::embedded(),
        );
        assert_eq!(t.rows.len(), 3 * 3);
        assert_eq!(t.conditions.len(), 2);
        let row = |called: Option<&str>, via: Option<&str>| {
            &t.rows
                .iter()
                .find(|r| r.cases[0].value() == called && r.cases[1].value() == via)
                .unwrap()
                .outcome
        };
        assert_eq!(
            row(Some("aws-mcp.amazonaws.com"), Some("true")),
            &Outcome::Decision(Decision::Allowed)
        );
        assert_eq!(
            row(Some("aws-mcp.amazonaws.com"), None),
            &Outcome::Decision(Decision::ExplicitlyDenied)
        );
        assert_eq!(
            row(Some("other-value"), Some("true")),
            &Outcome::Decision(Decision::ImplicitlyDenied)
        );
        assert!(matches!(t.rows[2].cases[0], Case::Absent));
        assert!(matches!(t.rows.last().unwrap().cases[0], Case::Other(_)));
    }
}
