//! The directives the evaluator computes: `iam-claim` (a statement about access the build
//! proves, rendered as the sentence it states) and `iam-truth-table` (how a policy, role or
//! statement decides as named condition keys vary). Both are read as claim text (see
//! `crate::eval::claim`), so a word's place in the claim maps back to its place in the page.

use super::{Resolved, Table};
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::eval::Decision;
use crate::eval::claim::{Claim, Prepared, prepare, prove};
use crate::eval::claim_names::check_claim;
use crate::eval::findings::{ClaimText, refuted, sentence};
use crate::eval::truth_table::{Case, Outcome, Subject, truth_table};
use crate::page::directive::Directive;
use crate::source::Spanned;
use crate::validate::Validator;

/// `iam-claim CLAIM`: proven, it renders the sentence; refuted, it is an error at the directive.
pub fn claim(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let mut text = ClaimText::new(&d.span);
    for w in &d.args {
        text.word(&w.value, &w.span);
    }
    let c = match Claim::parse(&text.text) {
        Ok(c) => c,
        Err(e) => {
            findings.push(
                Finding::at(Code::InvalidClaim, e.message, &text.span(&e.range))
                    .with_help("write it as `NAME allows|denies ACTION [when KEY is VALUE]`; see the guide's claims"),
            );
            return None;
        }
    };
    match prove(&c, catalog, validator.aws) {
        Ok(_) => Some(Resolved::Claim(sentence(&c))),
        Err(r) => {
            findings.push(refuted(r, &text, &d.span));
            None
        }
    }
}

/// The params `iam-truth-table` takes.
pub const TABLE_PARAMS: [&str; 3] = ["action", "resource", "principal"];

/// `iam-truth-table NAME [MODIFIER...] KEY... [action=A] [resource=ARN] [principal=P]`.
pub fn truth_table_directive(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let name = &d.args[0];
    // Condition keys hold a colon (`aws:ViaAWSMCPService`); modifiers never do.
    let (keys, modifiers): (Vec<&Spanned<String>>, Vec<&Spanned<String>>) =
        d.args[1..].iter().partition(|w| w.value.contains(':'));
    if keys.is_empty() {
        findings.push(
            Finding::at(
                Code::WrongArgumentCount,
                "`iam-truth-table` needs at least one condition key to vary",
                &d.span,
            )
            .with_help(format!("usage: {}", d.kind.usage())),
        );
        return None;
    }
    let is_statement = catalog.statement(&name.value).is_some();
    let mut text = ClaimText::new(&d.span);
    text.word(&name.value, &name.span);
    if !modifiers.is_empty() {
        text.filler("with");
        for m in &modifiers {
            text.word(&m.value, &m.span);
        }
    }
    text.filler(if is_statement { "applies" } else { "allows" });
    let param = |k: &str| d.params.iter().find(|p| p.key.value == k);
    if let Some(a) = param("action") {
        text.word(&a.value.value, &a.value.span);
    }
    if let Some(r) = param("resource") {
        text.filler("on");
        text.word(&r.value.value, &r.value.span);
    }
    if let Some(p) = param("principal") {
        text.filler("as");
        text.word(&p.value.value, &p.value.span);
    }
    let c = match Claim::parse(&text.text) {
        Ok(c) => c,
        Err(e) => {
            findings.push(Finding::at(
                Code::InvalidParameter,
                e.message,
                &text.span(&e.range),
            ));
            return None;
        }
    };
    let prepared = match prepare(&c, catalog, validator.aws)
        .and_then(|p| check_claim(&c, catalog, validator.aws).map(|()| p))
    {
        Ok(p) => p,
        Err(r) => {
            let f = refuted(r, &text, &d.span);
            findings.push(Finding {
                code: Code::InvalidParameter,
                ..f
            });
            return None;
        }
    };
    let key_names: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
    let set;
    let subject = match &prepared {
        Prepared::Statement { policy, .. } => Subject::Statement {
            statement: &policy.statements[0],
            variables: true,
        },
        Prepared::Policies { .. } => {
            set = prepared.policy_set();
            Subject::Policies(&set)
        }
    };
    let t = truth_table(&subject, prepared.request(), &key_names, validator.aws);
    let mut ok = true;
    for k in &keys {
        if !t
            .conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case(&k.value))
        {
            findings.push(
                Finding::at(
                    Code::InvalidParameter,
                    format!(
                        "`{}` is in no condition of `{}`, so the table would not vary with it",
                        k.value, name.value
                    ),
                    &k.span,
                )
                .with_help("name the condition keys the policy or statement compares"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let code = |s: &str| format!("`{s}`");
    let mut header: Vec<String> = t.keys.iter().map(|k| code(k)).collect();
    let one = t.conditions.len() == 1;
    for c in &t.conditions {
        header.push(if one {
            format!("{} matches", code(&c.operator))
        } else {
            let who = c
                .sid
                .as_deref()
                .map_or_else(|| format!("statement {}", c.statement + 1), &code);
            format!("{who}: {} on {}", code(&c.operator), code(&c.key))
        });
    }
    header.push(if is_statement {
        format!("{} applies", code(&name.value))
    } else {
        "Decision".to_string()
    });
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = r
                .cases
                .iter()
                .map(|c| match c {
                    Case::Absent => "absent".to_string(),
                    Case::Value(v) => code(v),
                    Case::Other(v) => format!("any other ({})", code(v)),
                })
                .collect();
            cells.extend(r.matches.iter().map(|m| yes_no(*m)));
            cells.push(match &r.outcome {
                Outcome::Applies(b) => yes_no(*b),
                Outcome::Decision(Decision::Allowed) => "allowed".into(),
                Outcome::Decision(Decision::ExplicitlyDenied) => "denied (explicit deny)".into(),
                Outcome::Decision(Decision::ImplicitlyDenied) => {
                    "denied (nothing allows it)".into()
                }
            });
            cells
        })
        .collect();
    Some(Resolved::Table(Table { header, rows }))
}
