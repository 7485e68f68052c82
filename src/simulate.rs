//! `mdbook-iam simulate`: requests decided as IAM decides them, from simulation documents or
//! against a catalog policy or role. Documents are read with `crate::json`, so every policy keeps
//! its place in the file; each policy is validated for its kind first, and a document with errors
//! is reported, not evaluated.
//!
//! A simulation document (every field but `request` optional; an absent policy type does not take
//! part):
//!
//! ```json
//! {
//!   "request": {
//!     "principal": "arn:aws:iam::111122223333:role/Example",
//!     "action": "s3:GetObject",
//!     "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
//!     "resourceAccount": "111122223333",
//!     "context": { "aws:ViaAWSMCPService": "true", "aws:TagKeys": ["team", "env"] },
//!     "wildcardOnlyAction": false
//!   },
//!   "identityPolicies": [],
//!   "resourcePolicy": {},
//!   "permissionBoundaries": [],
//!   "serviceControlPolicies": [[], []],
//!   "resourceControlPolicies": [[]],
//!   "sessionPolicy": {},
//!   "vpcEndpointPolicies": []
//! }
//! ```
//!
//! Over 700 lines only with its unit tests, kept beside the code they pin.

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::eval::claim_names;
use crate::eval::{self, ContextValue, Evaluation, NamedPolicy, PolicySet, Principal, Request};
use crate::json::{Kind, Value};
use crate::policy::{ConditionValue, Policy, PolicyKind, Principal as PrincipalElement};
use crate::source::Spanned;
use crate::source::{SourceFile, Span};
use crate::validate::Validator;
use serde::Serialize;
use std::sync::Arc;

/// One decided request.
#[derive(Debug, Clone)]
pub struct Simulated {
    /// The simulation document the request came from; `None` for a request built from flags
    /// (`--policy`), which has no file.
    pub file: Option<String>,
    /// For a request built from flags: the catalog policy or role it was decided against, and
    /// the `--modifier`s applied.
    pub policy: Option<String>,
    pub modifiers: Vec<String>,
    pub evaluation: Evaluation,
}

impl Simulated {
    /// What the text output calls the request: its file, or the flags that named its policy.
    pub fn label(&self) -> String {
        match (&self.file, &self.policy) {
            (Some(f), _) => f.clone(),
            (None, p) => {
                let mut out = format!("--policy {}", p.as_deref().unwrap_or_default());
                for m in &self.modifiers {
                    out.push_str(&format!(" --modifier {m}"));
                }
                out
            }
        }
    }
}

/// A finding about a value given with a flag: it has no place in a file, so it has none at all,
/// and its message starts with the flag (`--action: ...`).
fn from_flag(flag: &str, f: Finding) -> Finding {
    Finding {
        message: format!("{flag}: {}", f.message),
        span: None,
        excerpt: false,
        ..f
    }
}

/// What a document gave: the decision, unless it had errors, and every finding.
pub struct DocumentOutcome {
    pub simulated: Option<Simulated>,
    pub findings: Vec<Finding>,
}

const FIELDS: [&str; 8] = [
    "request",
    "identityPolicies",
    "resourcePolicy",
    "permissionBoundaries",
    "serviceControlPolicies",
    "resourceControlPolicies",
    "sessionPolicy",
    "vpcEndpointPolicies",
];
const REQUEST_FIELDS: [&str; 6] = [
    "principal",
    "action",
    "resource",
    "resourceAccount",
    "context",
    "wildcardOnlyAction",
];

fn bad(message: impl Into<String>, span: &Span) -> Finding {
    Finding::at(Code::InvalidSimulation, message, span)
}

/// Reads, validates and (when it has no errors) decides one simulation document.
pub fn simulate_document(file: &Arc<SourceFile>, validator: &Validator<'_>) -> DocumentOutcome {
    let mut findings = Vec::new();
    let doc = match crate::json::parse(file) {
        Ok(d) => d,
        Err(e) => {
            let end = (e.offset + 1).min(file.text().len());
            findings.push(Finding::at(
                Code::JsonSyntax,
                format!("not valid JSON: {}", e.message),
                &Span::new(file, e.offset..end),
            ));
            return DocumentOutcome {
                simulated: None,
                findings,
            };
        }
    };
    let read = read_document(&doc, validator, &mut findings);
    let simulated = match read {
        Some(d) if !findings.iter().any(Finding::is_error) => {
            let set = d.policy_set();
            Some(Simulated {
                file: Some(file.name().to_string()),
                policy: None,
                modifiers: Vec::new(),
                evaluation: eval::evaluate(&d.request, &set, validator.aws),
            })
        }
        _ => None,
    };
    DocumentOutcome {
        simulated,
        findings,
    }
}

/// The policies of a document, owned, with their names in results.
struct Document {
    request: Request,
    identity: Vec<(String, Policy)>,
    resource: Option<(String, Policy)>,
    boundaries: Vec<(String, Policy)>,
    scps: Option<Vec<Vec<(String, Policy)>>>,
    rcps: Option<Vec<Vec<(String, Policy)>>>,
    session: Option<(String, Policy)>,
    endpoints: Vec<(String, Policy)>,
}

fn named(list: &[(String, Policy)]) -> Vec<NamedPolicy<'_>> {
    list.iter().map(|(n, p)| NamedPolicy::new(n, p)).collect()
}

impl Document {
    fn policy_set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: named(&self.identity),
            resource: self.resource.as_ref().map(|(n, p)| NamedPolicy::new(n, p)),
            boundaries: named(&self.boundaries),
            service_control: self
                .scps
                .as_ref()
                .map(|ls| ls.iter().map(|l| named(l)).collect()),
            resource_control: self
                .rcps
                .as_ref()
                .map(|ls| ls.iter().map(|l| named(l)).collect()),
            session: self.session.as_ref().map(|(n, p)| NamedPolicy::new(n, p)),
            vpc_endpoints: named(&self.endpoints),
        }
    }
}

fn read_document(
    doc: &Value,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Document> {
    let Some(members) = doc.as_object() else {
        findings.push(bad(
            format!(
                "a simulation document is an object, not {}",
                doc.type_name()
            ),
            &doc.span,
        ));
        return None;
    };
    for m in members {
        if !FIELDS.contains(&m.key.as_str()) {
            let mut f = bad(
                format!("`{}` is not a field of a simulation document", m.key),
                &m.key_span,
            );
            if let Some(h) = did_you_mean(&m.key, FIELDS) {
                f = f.with_help(h);
            }
            findings.push(f);
        }
    }
    let Some(req) = doc.get("request") else {
        findings.push(
            bad("the simulation document has no `request`", &doc.span)
                .with_help("add \"request\": {\"principal\": \"...\", \"action\": \"...\"}"),
        );
        return None;
    };
    let request = read_request(req, validator, findings)?;
    // A role's trust policy is validated as one.
    let resource_kind = match &request.resource {
        Some(r) if r.contains(":iam::") && r.contains(":role/") => PolicyKind::Trust,
        _ => PolicyKind::Resource,
    };
    let policy = |name: String, v: &Value, kind: PolicyKind, findings: &mut Vec<Finding>| {
        let read = Policy::read(v, kind);
        findings.extend(read.findings);
        findings.extend(validator.policy(&read.value, kind));
        (name, read.value)
    };
    let list = |field: &str, kind: PolicyKind, findings: &mut Vec<Finding>| {
        let v = doc.get(field)?;
        let Kind::Array(items) = &v.kind else {
            findings.push(bad(
                format!("`{field}` is an array of policies, not {}", v.type_name()),
                &v.span,
            ));
            return Some(Vec::new());
        };
        Some(
            items
                .iter()
                .enumerate()
                .map(|(i, p)| policy(format!("{field}[{i}]"), p, kind, findings))
                .collect::<Vec<_>>(),
        )
    };
    let identity = list("identityPolicies", PolicyKind::Identity, findings).unwrap_or_default();
    let boundaries =
        list("permissionBoundaries", PolicyKind::Identity, findings).unwrap_or_default();
    let endpoints = list("vpcEndpointPolicies", PolicyKind::Resource, findings).unwrap_or_default();
    let levels = |field: &str, kind: PolicyKind, findings: &mut Vec<Finding>| {
        let v = doc.get(field)?;
        let Kind::Array(levels) = &v.kind else {
            findings.push(bad(
                format!("`{field}` is an array of organization levels (arrays of policies), root first, not {}", v.type_name()),
                &v.span,
            ));
            return Some(Vec::new());
        };
        let mut out = Vec::new();
        for (l, level) in levels.iter().enumerate() {
            let Kind::Array(items) = &level.kind else {
                findings.push(bad(
                    format!(
                        "each level of `{field}` is an array of policies, not {}",
                        level.type_name()
                    ),
                    &level.span,
                ));
                continue;
            };
            out.push(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| policy(format!("{field}[{l}][{i}]"), p, kind, findings))
                    .collect(),
            );
        }
        Some(out)
    };
    let scps = levels("serviceControlPolicies", PolicyKind::Identity, findings);
    let rcps = levels("resourceControlPolicies", PolicyKind::Resource, findings);
    let resource = doc
        .get("resourcePolicy")
        .map(|v| policy("resourcePolicy".into(), v, resource_kind, findings));
    let session = doc
        .get("sessionPolicy")
        .map(|v| policy("sessionPolicy".into(), v, PolicyKind::Identity, findings));
    Some(Document {
        request,
        identity,
        resource,
        boundaries,
        scps,
        rcps,
        session,
        endpoints,
    })
}

fn read_request(
    req: &Value,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Request> {
    let Some(members) = req.as_object() else {
        findings.push(bad(
            format!("`request` is an object, not {}", req.type_name()),
            &req.span,
        ));
        return None;
    };
    for m in members {
        if !REQUEST_FIELDS.contains(&m.key.as_str()) {
            let mut f = bad(
                format!("`{}` is not a field of a request", m.key),
                &m.key_span,
            );
            if let Some(h) = did_you_mean(&m.key, REQUEST_FIELDS) {
                f = f.with_help(h);
            }
            findings.push(f);
        }
    }
    let mut string = |field: &str, required: bool| -> Option<Spanned<String>> {
        match req.get(field) {
            Some(Value {
                kind: Kind::String(s),
                span,
            }) => Some(Spanned::new(s.clone(), span.clone())),
            Some(v) => {
                findings.push(bad(
                    format!("`{field}` is a string, not {}", v.type_name()),
                    &v.span,
                ));
                None
            }
            None => {
                if required {
                    findings.push(bad(format!("the request has no `{field}`"), &req.span));
                }
                None
            }
        }
    };
    let principal_text = string("principal", true);
    let action = string("action", true);
    let resource = string("resource", false);
    let resource_account = string("resourceAccount", false);
    let principal = match principal_text {
        Some(p) => match Principal::parse(&p.value) {
            Ok(pr) => Some(pr),
            Err(e) => {
                findings.push(bad(e.to_string(), &p.span));
                None
            }
        },
        None => None,
    };
    if let Some(a) = &action
        && (a.value != "*"
            && a.value
                .split_once(':')
                .is_none_or(|(s, n)| s.is_empty() || n.is_empty()))
    {
        findings.push(bad(
            format!("`{}` is not an action (`service:Action`)", a.value),
            &a.span,
        ));
    } else if let Some(a) = &action
        && let Err(p) = claim_names::check_action(&a.value, validator.aws, Some(validator.catalog))
    {
        findings.push(p.finding(Some(&a.span)));
    }
    if let Some(r) = &resource
        && let Err(p) =
            claim_names::check_resource(&r.value, validator.aws, Some(validator.catalog))
    {
        findings.push(p.finding(Some(&r.span)));
    }
    if let Some(a) = &resource_account
        && !(a.value.len() == 12 && a.value.bytes().all(|c| c.is_ascii_digit()))
    {
        findings.push(bad(
            format!("`{}` is not a 12-digit account ID", a.value),
            &a.span,
        ));
    }
    let wildcard_only = match req.get("wildcardOnlyAction") {
        None => None,
        Some(Value {
            kind: Kind::Bool(b),
            ..
        }) => Some(*b),
        Some(v) => {
            findings.push(bad(
                format!(
                    "`wildcardOnlyAction` is true or false, not {}",
                    v.type_name()
                ),
                &v.span,
            ));
            None
        }
    };
    let mut context = eval::Context::new();
    if let Some(c) = req.get("context") {
        match c.as_object() {
            None => findings.push(bad(
                format!(
                    "`context` is an object of keys and values, not {}",
                    c.type_name()
                ),
                &c.span,
            )),
            Some(members) => {
                for m in members {
                    if let Err(p) = claim_names::check_condition_key(
                        &m.key,
                        validator.aws,
                        Some(validator.catalog),
                    ) {
                        findings.push(p.finding(Some(&m.key_span)));
                    }
                    match context_value(&m.value) {
                        Some(v) => context.insert(m.key.clone(), v),
                        None => findings.push(bad(
                            format!(
                                "the value of `{}` is a string or an array of strings",
                                m.key
                            ),
                            &m.value.span,
                        )),
                    }
                }
            }
        }
    }
    Some(Request {
        principal: principal?,
        action: action?.value,
        resource: resource.map(|r| r.value),
        resource_account: resource_account.map(|r| r.value),
        context,
        wildcard_only,
    })
}

fn context_value(v: &Value) -> Option<ContextValue> {
    let scalar = |v: &Value| match &v.kind {
        Kind::String(s) | Kind::Number(s) => Some(s.clone()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &v.kind {
        Kind::Array(items) => items
            .iter()
            .map(scalar)
            .collect::<Option<Vec<_>>>()
            .map(ContextValue::Many),
        _ => scalar(v).map(ContextValue::One),
    }
}

/// One request against a catalog policy or role, as `--policy NAME` asks.
pub struct CatalogRequest<'a> {
    pub name: &'a Spanned<String>,
    pub modifiers: &'a [Spanned<String>],
    pub action: String,
    pub resource: Option<String>,
    /// `None`: a session of the role (for a role) or of a stand-in role, in the resource's
    /// account or the catalog's example account.
    pub principal: Option<String>,
    pub context: Vec<(String, String)>,
}

/// The account a catalog request is made in when it does not say: the resource's, else the
/// example of a catalog placeholder that stands for an account ID, else 111122223333.
fn default_account(catalog: &Catalog, resource: Option<&str>) -> String {
    if let Some(a) = resource
        .and_then(|r| r.split(':').nth(4))
        .filter(|a| a.len() == 12 && a.bytes().all(|c| c.is_ascii_digit()))
    {
        return a.to_string();
    }
    catalog
        .placeholders
        .iter()
        .map(|p| p.example.as_str())
        .find(|e| e.len() == 12 && e.bytes().all(|c| c.is_ascii_digit()))
        .unwrap_or("111122223333")
        .to_string()
}

/// A catalog policy with every placeholder replaced by its example, so that requests written
/// with the examples (or with the placeholders, substituted the same way) meet them.
pub fn substitute_policy(policy: &Policy, validator: &Validator<'_>) -> Policy {
    let sub = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = validator.substitute(s) {
            *s = o;
        }
    };
    let mut p = policy.clone();
    for s in &mut p.statements {
        for t in [&mut s.action, &mut s.resource].into_iter().flatten() {
            t.list.items.iter_mut().for_each(|i| sub(&mut i.value));
        }
        if let Some(el) = &mut s.principal
            && let PrincipalElement::Map(entries) = &mut el.principal
        {
            for (_, ids) in entries {
                ids.items.iter_mut().for_each(|i| sub(&mut i.value));
            }
        }
        for c in &mut s.condition {
            for e in &mut c.entries {
                sub(&mut e.key.value);
                for v in &mut e.values.items {
                    if let ConditionValue::String(x) = &mut v.value {
                        sub(x);
                    }
                }
            }
        }
    }
    p
}

/// Decides one request against a catalog policy or role. A role's trust policy decides
/// `sts:AssumeRole*` on the role; its permission policies decide the rest. Errors (an unknown
/// name, a bad principal) come back as findings.
pub fn simulate_catalog(
    q: &CatalogRequest<'_>,
    validator: &Validator<'_>,
) -> Result<Simulated, Vec<Finding>> {
    let catalog = validator.catalog;
    let sub = |s: &str| validator.substitute(s).into_owned();
    let resource = q.resource.as_deref().map(sub);
    let account = default_account(catalog, resource.as_deref());
    let role = catalog.role(&q.name.value);
    let role_name = role.map_or("mdbook-iam-simulate", |r| r.role_name.as_str());
    let principal_text =
        q.principal.as_deref().map(sub).unwrap_or_else(|| {
            format!("arn:aws:sts::{account}:assumed-role/{role_name}/mdbook-iam")
        });
    let principal = Principal::parse(&principal_text).map_err(|e| {
        vec![Finding::new(
            Code::InvalidSimulation,
            format!("--principal: {e}"),
            None,
        )]
    })?;
    // The names the request is about, as a policy's are checked: a request for an action AWS
    // does not define, or that was retired, is decided only by that absence.
    let (aws, cat) = (validator.aws, Some(catalog));
    let mut findings: Vec<Finding> = Vec::new();
    let mut problem = |flag: &str, r: Result<(), claim_names::NameProblem>| {
        if let Err(p) = r {
            findings.push(p.prefixed(&format!("{flag}: ")).finding(None));
        }
    };
    problem("--action", claim_names::check_action(&q.action, aws, cat));
    if let Some(r) = &resource {
        problem("--resource", claim_names::check_resource(r, aws, cat));
    }
    for (k, _) in &q.context {
        problem("--context", claim_names::check_condition_key(k, aws, cat));
    }
    for m in q.modifiers {
        if catalog.modifier(&m.value).is_none() {
            findings.push(from_flag("--modifier", catalog.unknown_modifier(m)));
        }
    }
    let mut context = eval::Context::new();
    for (k, v) in &q.context {
        let (k, v) = (&sub(k), sub(v));
        let value = match context.get(k) {
            Some(ContextValue::One(prev)) => ContextValue::Many(vec![prev.clone(), v]),
            Some(ContextValue::Many(prev)) => {
                let mut all = prev.clone();
                all.push(v);
                ContextValue::Many(all)
            }
            None => ContextValue::One(v),
        };
        context.insert(k.clone(), value);
    }
    let assume = q.action.to_ascii_lowercase().starts_with("sts:assumerole");
    // The policies taking part: (catalog name, kind) of each.
    let mut parts: Vec<(&crate::catalog::CatalogPolicy, bool)> = Vec::new();
    let mut resource = resource;
    match (role, catalog.policy(&q.name.value)) {
        (Some(r), _) => {
            let names: Vec<&Spanned<String>> = if assume {
                vec![&r.trust_policy]
            } else {
                r.policies.iter().collect()
            };
            for n in names {
                match catalog.policy(&n.value) {
                    Some(p) => parts.push((p, !assume)),
                    None => findings.push(crate::catalog::unknown_name(
                        Code::UnknownPolicy,
                        "policy",
                        n,
                        catalog.policies.iter().map(|p| p.name.value.as_str()),
                    )),
                }
            }
            if assume && resource.is_none() {
                resource = Some(format!("arn:aws:iam::{account}:role/{}", r.role_name));
            }
        }
        (None, Some(p)) => parts.push((p, true)),
        (None, None) => {
            let mut f = Finding::new(
                Code::UnknownPolicy,
                format!(
                    "--policy: no policy or role named `{}` in the catalog",
                    q.name.value
                ),
                None,
            );
            if let Some(h) = did_you_mean(
                &q.name.value,
                catalog
                    .policies
                    .iter()
                    .map(|p| p.name.value.as_str())
                    .chain(catalog.roles.iter().map(|r| r.name.value.as_str())),
            ) {
                f = f.with_help(h);
            }
            findings.push(f);
            return Err(findings);
        }
    }
    if findings.iter().any(Finding::is_error) {
        return Err(findings);
    }
    let mut built: Vec<(String, Policy, PolicyKind)> = Vec::new();
    for (p, with_modifiers) in parts {
        let extra = if with_modifiers { q.modifiers } else { &[] };
        let (policy, fs) = catalog.build_policy(p, extra);
        findings.extend(fs);
        findings.extend(validator.policy(&policy, p.kind));
        built.push((
            p.name.value.clone(),
            substitute_policy(&policy, validator),
            p.kind,
        ));
    }
    if findings.iter().any(Finding::is_error) {
        return Err(findings);
    }
    let mut set = PolicySet::default();
    for (name, policy, kind) in &built {
        let np = NamedPolicy::new(name, policy);
        match kind {
            PolicyKind::Identity => set.identity.push(np),
            PolicyKind::Trust | PolicyKind::Resource => set.resource = Some(np),
        }
    }
    let request = Request {
        principal,
        action: q.action.clone(),
        resource,
        resource_account: None,
        context,
        wildcard_only: None,
    };
    Ok(Simulated {
        file: None,
        policy: Some(q.name.value.clone()),
        modifiers: q.modifiers.iter().map(|m| m.value.clone()).collect(),
        evaluation: eval::evaluate(&request, &set, validator.aws),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row<'a> {
    /// `null` for a request built from flags.
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    modifiers: &'a [String],
    decision: &'static str,
    statements: Vec<RowStatement<'a>>,
    missing_context_keys: &'a [String],
}

#[derive(Serialize)]
struct RowStatement<'a> {
    policy: &'a str,
    index: usize,
    sid: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<usize>,
}

/// The `--format json` output: one array, one object per request.
pub fn render_json(results: &[Simulated]) -> String {
    let rows: Vec<Row<'_>> = results
        .iter()
        .map(|s| Row {
            file: s.file.as_deref(),
            policy: s.policy.as_deref(),
            modifiers: &s.modifiers,
            decision: s.evaluation.decision.as_str(),
            statements: s
                .evaluation
                .statements
                .iter()
                .map(|d| {
                    let generated = d.span.is_generated();
                    RowStatement {
                        policy: &d.policy,
                        index: d.index,
                        sid: d.sid.as_deref(),
                        file: (!generated).then(|| d.span.file.name()),
                        line: (!generated).then(|| d.span.line_col().0),
                    }
                })
                .collect(),
            missing_context_keys: &s.evaluation.missing_context_keys,
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("rows serialize")
}

/// The text output: one paragraph per request.
pub fn render_text(results: &[Simulated]) -> String {
    let mut out = String::new();
    for s in results {
        let e = &s.evaluation;
        out.push_str(&format!(
            "{}: {}: {}\n",
            s.label(),
            e.decision.as_str(),
            e.reason()
        ));
        if !e.missing_context_keys.is_empty() {
            out.push_str(&format!(
                "  = note: the request lacks {}\n",
                e.missing_context_keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Decision;

    fn run(doc: &str) -> DocumentOutcome {
        let catalog = Catalog::default();
        let v = Validator::new(&catalog);
        simulate_document(&SourceFile::new("case.json", doc), &v)
    }

    #[test]
    fn a_document_is_decided_with_the_statements_and_their_lines() {
        let doc = r#"{
  "request": {"principal": "arn:aws:iam::111122223333:user/ana", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::b/k"},
  "identityPolicies": [
    {"Version": "2012-10-17",
     "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
  ]
}"#;
        let out = run(doc);
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let s = out.simulated.unwrap();
        assert_eq!(s.evaluation.decision, Decision::Allowed);
        let json: serde_json::Value = serde_json::from_str(&render_json(&[s])).unwrap();
        assert_eq!(json[0]["statements"][0]["policy"], "identityPolicies[0]");
        assert_eq!(json[0]["statements"][0]["sid"], "Read");
        assert_eq!(json[0]["statements"][0]["line"], 6);
        assert_eq!(json[0]["missingContextKeys"], serde_json::json!([]));
    }

    #[test]
    fn an_invalid_policy_is_reported_and_not_evaluated() {
        let doc = r#"{"request": {"principal": "111122223333", "action": "s3:GetObject"},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}]}"#;
        let out = run(doc);
        assert!(out.simulated.is_none());
        let f = out
            .findings
            .iter()
            .find(|f| f.code == Code::InvalidAction)
            .unwrap();
        assert_eq!(f.span.as_ref().unwrap().text(), "\"s3:GetObjekt\"");
        assert_eq!(f.span.as_ref().unwrap().line_col().0, 2);
    }

    #[test]
    fn document_shape_errors_have_a_code_and_a_place() {
        for (doc, text) in [
            (
                r#"{"request": {"principal": "bob", "action": "s3:GetObject"}}"#,
                "\"bob\"",
            ),
            (
                r#"{"request": {"principal": "anonymous", "action": "s3:GetObject"}, "identityPolicy": []}"#,
                "\"identityPolicy\"",
            ),
            (
                r#"{"request": {"principal": "anonymous", "action": "GetObject"}}"#,
                "\"GetObject\"",
            ),
            (
                r#"{"request": {"principal": "anonymous", "action": "s3:GetObject", "context": {"k": 1.5e3, "j": {}}}}"#,
                "{}",
            ),
        ] {
            let out = run(doc);
            assert!(out.simulated.is_none(), "{doc}");
            let f = out
                .findings
                .iter()
                .find(|f| f.code == Code::InvalidSimulation)
                .unwrap_or_else(|| panic!("{doc}: {:?}", out.findings));
            assert_eq!(f.span.as_ref().unwrap().text(), text, "{doc}");
        }
        assert!(
            run(r#"{"identityPolicies": []}"#)
                .findings
                .iter()
                .any(|f| f.code == Code::InvalidSimulation)
        );
        assert!(run("{").findings.iter().any(|f| f.code == Code::JsonSyntax));
    }
}
