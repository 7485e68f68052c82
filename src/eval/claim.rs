//! Claims about access, in a short prose-like grammar, proven or refuted by the evaluator.
//!
//! ```text
//! claim     = subject verb [action] ["on" resource] ["as" principal] ["when" condition {"and" condition}]
//! subject   = NAME ["with" MODIFIER {MODIFIER}]     a catalog policy, role or reusable statement
//! verb      = "allows" | "denies" | "explicitly denies" | "implicitly denies"
//!           | "applies" | "does not apply"           (the last two for a reusable statement)
//! condition = KEY "is" VALUE | KEY "is" "absent"
//! ```
//!
//! Words are separated by spaces; any word may be written in backticks or double quotes, which
//! are not part of it, so a claim reads well in prose: "`s3-readonly` denies `s3:PutObject`".
//! Examples: `s3-readonly denies s3:PutObject`; `s3-readonly allows s3:GetObject when
//! aws:CalledViaAWSMCP is aws-mcp.amazonaws.com and aws:ViaAWSMCPService is true`;
//! `DenyDirectAPIAccess applies when aws:ViaAWSMCPService is absent`.
//!
//! The request: the named context keys and no others; the resource `*` unless `on` names one;
//! the principal a session of the role (for a role), else of a stand-in role, in the resource's
//! account or the catalog's example account, unless `as` names one. `denies` holds for either
//! kind of denial. A claim about a statement that names no action uses the statement's first
//! `Action` entry (a wildcard entry stands for the first action AWS defines that it matches).
//! Catalog placeholders (`<YOUR_AWS_ACCOUNT_ID>`) are replaced by their examples everywhere.

use super::request::{Context, ContextValue, Principal, Request};
use super::{Decided, Decision, Evaluation, NamedPolicy, PolicySet, StatementOutcome};
use crate::aws_data::{AccessLevel, AwsData};
use crate::catalog::Catalog;
use crate::policy::{Policy, PolicyKind};
use crate::source::Span;
use crate::validate::Validator;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Allows,
    Denies,
    ExplicitlyDenies,
    ImplicitlyDenies,
    Applies,
    DoesNotApply,
}

/// A word of the claim and its byte range in the claim text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimCondition {
    pub key: Word,
    /// `None`: the key is absent.
    pub value: Option<Word>,
}

/// What a quantified claim says of every request (see `crate::access::claims`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantified {
    /// `allows only A, B` / `allows nothing but A`: every allowed request's action is one of
    /// these (patterns allowed).
    AllowsOnly(Vec<Word>),
    /// `denies every action` (empty), `denies every A, B`, `allows no A`: no request for these
    /// actions is allowed.
    DeniesEvery(Vec<Word>),
    /// `grants no Write or Tagging access`: no allowed action has one of these access levels.
    GrantsNo(Vec<(AccessLevel, Range<usize>)>),
    /// `grants only List and Read access`: every allowed action has only these levels.
    GrantsOnly(Vec<(AccessLevel, Range<usize>)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub subject: Word,
    pub modifiers: Vec<Word>,
    pub verb: Verb,
    pub verb_range: Range<usize>,
    pub action: Option<Word>,
    pub resource: Option<Word>,
    pub principal: Option<Word>,
    pub conditions: Vec<ClaimCondition>,
    /// Set for a claim about every request (`allows only`, `denies every`, `grants no`).
    pub quantified: Option<Quantified>,
    /// The quantified verb's words as written (`allows nothing but`).
    pub quantifier: String,
}

/// A claim that cannot be read, with the byte range in the claim text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub range: Range<usize>,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let raw = &text[start..i];
        let (s, e) = match raw.as_bytes() {
            [b'`', .., b'`'] | [b'"', .., b'"'] if raw.len() >= 2 => (start + 1, i - 1),
            _ => (start, i),
        };
        out.push(Word {
            text: text[s..e].to_string(),
            range: start..i,
        });
    }
    out
}

/// Reads the verb and list of a quantified claim, from `w[i]` (the verb's first word): the
/// claim and how many words it took, up to `on`, `as`, `when` or the end.
fn quantifier(w: &[Word], i: usize) -> Result<(Quantified, usize), ParseError> {
    let text = |k: usize| w.get(k).map_or("", |x| x.text.as_str());
    let (kind, start) = match (text(i), text(i + 1)) {
        ("allows", "only") => ("only", i + 2),
        ("allows", "nothing") => ("only", i + 3),
        ("allows", "no") | ("denies", "every") => ("every", i + 2),
        ("grants", "no") => ("grants-no", i + 2),
        ("grants", "only") => ("grants-only", i + 2),
        _ => {
            return Err(ParseError {
                message: "after `grants`, say `no` or `only` and the access levels (`grants no Write access`)".into(),
                range: w[i].range.clone(),
            });
        }
    };
    // The list: words up to `on`, `as`, `when` or the end; `,`, `and`, `or` separate.
    let mut end = start;
    while end < w.len() && !matches!(w[end].text.as_str(), "on" | "as" | "when") {
        end += 1;
    }
    let items: Vec<Word> = w[start..end]
        .iter()
        .filter_map(|x| {
            let t = x.text.trim_end_matches(',');
            let t = t.trim_matches('`').trim_matches('"');
            (!t.is_empty() && !matches!(t, "and" | "or")).then(|| Word {
                text: t.to_string(),
                range: x.range.clone(),
            })
        })
        .collect();
    let used = end - i;
    let last = w
        .get(end - 1)
        .map_or(w[i].range.clone(), |x| x.range.clone());
    let fail = |message: &str, range: Range<usize>| ParseError {
        message: message.to_string(),
        range,
    };
    if kind.starts_with("grants") {
        let Some((access, levels)) = items.split_last().filter(|(a, _)| a.text == "access") else {
            return Err(fail(
                "end the access levels with `access` (`grants no Write access`)",
                last,
            ));
        };
        let _ = access;
        let mut out = Vec::new();
        let mut k = 0;
        while k < levels.len() {
            let word = &levels[k];
            let two = levels
                .get(k + 1)
                .map(|n| format!("{} {}", word.text, n.text));
            let level = |name: &str| {
                [
                    AccessLevel::List,
                    AccessLevel::Read,
                    AccessLevel::Write,
                    AccessLevel::Tagging,
                    AccessLevel::PermissionsManagement,
                ]
                .into_iter()
                .find(|l| l.as_str().eq_ignore_ascii_case(name))
            };
            if let Some(l) = two.as_deref().and_then(level) {
                out.push((l, word.range.start..levels[k + 1].range.end));
                k += 2;
            } else if let Some(l) = level(&word.text) {
                out.push((l, word.range.clone()));
                k += 1;
            } else {
                return Err(fail(
                    "expected an access level: List, Read, Write, Tagging, Permissions management",
                    word.range.clone(),
                ));
            }
        }
        if out.is_empty() {
            return Err(fail(
                "name one or more access levels (`grants no Write access`)",
                last,
            ));
        }
        let q = if kind == "grants-no" {
            Quantified::GrantsNo(out)
        } else {
            Quantified::GrantsOnly(out)
        };
        return Ok((q, used));
    }
    let mut actions: Vec<Word> = items;
    if actions
        .last()
        .is_some_and(|a| matches!(a.text.as_str(), "action" | "actions"))
    {
        actions.pop();
    }
    for a in &actions {
        if !a.text.contains(':') && a.text != "*" {
            return Err(fail(
                "expected an action (`service:Action`, wildcards allowed)",
                a.range.clone(),
            ));
        }
    }
    if kind == "only" {
        if actions.is_empty() {
            return Err(fail(
                "name the actions it allows (`allows only s3:GetObject, s3:ListBucket`)",
                last,
            ));
        }
        return Ok((Quantified::AllowsOnly(actions), used));
    }
    if actions.is_empty() && text(i) == "allows" {
        return Err(fail(
            "name the actions it allows none of (`allows no s3:Put*`)",
            last,
        ));
    }
    Ok((Quantified::DeniesEvery(actions), used))
}

impl Claim {
    pub fn parse(text: &str) -> Result<Claim, ParseError> {
        let w = words(text);
        let end = text.len()..text.len();
        let err = |message: &str, range: Range<usize>| {
            Err(ParseError {
                message: message.to_string(),
                range,
            })
        };
        let Some(subject) = w.first().cloned() else {
            return err(
                "a claim starts with a policy, role or statement name",
                0..text.len(),
            );
        };
        let mut i = 1;
        let mut modifiers = Vec::new();
        let is_verb_start = |s: &str| {
            matches!(
                s,
                "allows" | "denies" | "explicitly" | "implicitly" | "applies" | "does" | "grants"
            )
        };
        if w.get(i).is_some_and(|x| x.text == "with") {
            i += 1;
            while let Some(m) = w.get(i).filter(|x| !is_verb_start(&x.text)) {
                modifiers.push(m.clone());
                i += 1;
            }
            if modifiers.is_empty() {
                return err("`with` names one or more modifiers", w[i - 1].range.clone());
            }
        }
        let Some(v) = w.get(i) else {
            return err(
                "a claim needs a verb: allows, denies, explicitly denies, implicitly denies, applies, does not apply",
                end,
            );
        };
        let second = w.get(i + 1).map(|x| x.text.as_str());
        let third = w.get(i + 2).map(|x| x.text.as_str());
        let (verb, n) = match (v.text.as_str(), second, third) {
            ("allows", Some("nothing"), Some("but")) | ("denies", Some("every"), _) => {
                (Verb::Allows, 0)
            }
            ("allows", Some("only" | "no"), _) | ("grants", ..) => (Verb::Allows, 0),
            ("allows", ..) => (Verb::Allows, 1),
            ("denies", ..) => (Verb::Denies, 1),
            ("explicitly", Some("denies"), _) => (Verb::ExplicitlyDenies, 2),
            ("implicitly", Some("denies"), _) => (Verb::ImplicitlyDenies, 2),
            ("applies", ..) => (Verb::Applies, 1),
            ("does", Some("not"), Some("apply")) => (Verb::DoesNotApply, 3),
            _ => {
                return err(
                    "expected a verb: allows, denies, explicitly denies, implicitly denies, applies, does not apply, allows only, allows nothing but, allows no, denies every, grants no, grants only",
                    v.range.clone(),
                );
            }
        };
        let quantified = if n == 0 {
            let (q, used) = quantifier(&w, i)?;
            Some((q, used))
        } else {
            None
        };
        let quantifier_words = match (v.text.as_str(), second) {
            _ if n != 0 => String::new(),
            ("allows", Some("nothing")) => "allows nothing but".to_string(),
            (first, Some(second)) => format!("{first} {second}"),
            (first, None) => first.to_string(),
        };
        let n = quantified.as_ref().map_or(n, |(_, used)| *used);
        let verb_range = v.range.start..w[i + n - 1].range.end;
        i += n;
        let mut claim = Claim {
            subject,
            modifiers,
            verb,
            verb_range,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            quantified: quantified.map(|(q, _)| q),
            quantifier: quantifier_words,
        };
        if let Some(a) = w
            .get(i)
            .filter(|x| !matches!(x.text.as_str(), "on" | "as" | "when"))
            .filter(|_| claim.quantified.is_none())
        {
            if !a.text.contains(':') && a.text != "*" {
                return err(
                    "expected an action (`service:Action`), `on`, `as` or `when`",
                    a.range.clone(),
                );
            }
            claim.action = Some(a.clone());
            i += 1;
        }
        for (kw, slot) in [("on", 0), ("as", 1)] {
            if w.get(i).is_some_and(|x| x.text == kw) {
                let Some(val) = w.get(i + 1) else {
                    return err(&format!("`{kw}` needs a value"), w[i].range.clone());
                };
                if slot == 0 {
                    claim.resource = Some(val.clone());
                } else {
                    claim.principal = Some(val.clone());
                }
                i += 2;
            }
        }
        if let Some(x) = w.get(i) {
            if x.text != "when" {
                return err(
                    "expected `on`, `as`, `when` or the end of the claim",
                    x.range.clone(),
                );
            }
            i += 1;
            loop {
                let (Some(key), Some(is)) = (w.get(i), w.get(i + 1)) else {
                    return err(
                        "expected `KEY is VALUE` or `KEY is absent`",
                        w.get(i).map_or(end.clone(), |x| x.range.clone()),
                    );
                };
                if is.text != "is" {
                    return err("expected `is`", is.range.clone());
                }
                let Some(value) = w.get(i + 2) else {
                    return err("expected a value or `absent` after `is`", is.range.clone());
                };
                claim.conditions.push(ClaimCondition {
                    key: key.clone(),
                    value: (value.text != "absent").then(|| value.clone()),
                });
                i += 3;
                match w.get(i) {
                    None => break,
                    Some(a) if a.text == "and" => i += 1,
                    Some(x) => {
                        return err("expected `and` or the end of the claim", x.range.clone());
                    }
                }
            }
        }
        if claim.action.is_none()
            && claim.quantified.is_none()
            && matches!(
                claim.verb,
                Verb::Allows | Verb::Denies | Verb::ExplicitlyDenies | Verb::ImplicitlyDenies
            )
        {
            return err(
                "name the action the claim is about (`service:Action`)",
                claim.verb_range.clone(),
            );
        }
        Ok(claim)
    }
}

/// What the evaluator found when the claim holds.
#[derive(Debug, Clone)]
pub struct Proof {
    pub request: Request,
    /// For policy and role claims.
    pub evaluation: Option<Evaluation>,
    /// For statement claims.
    pub outcome: Option<StatementOutcome>,
}

/// The request that refutes a claim about every request, and how it was decided.
#[derive(Debug, Clone)]
pub struct Counterexample {
    pub request: Request,
    pub evaluation: Evaluation,
}

/// A subject's built policies: name, policy, kind.
pub type Built = Vec<(String, Policy, PolicyKind)>;

/// Why a claim does not hold, or cannot be checked.
#[derive(Debug, Clone)]
pub enum Refutation {
    /// The evaluator decided otherwise.
    False {
        /// What the evaluator decided (`ExplicitlyDenied`, `applies`, ...).
        decided: String,
        /// One sentence on why.
        reason: String,
        /// The statements that decided, each with its span (so its catalog line).
        statements: Vec<Decided>,
        /// For a statement claim: the statement's span.
        statement: Option<Span>,
        missing_context_keys: Vec<String>,
    },
    /// A claim about every request, refuted by one: `request` is allowed, and the claim says no
    /// such request is.
    Counterexample(Box<Counterexample>),
    /// A name the catalog does not have, or a claim that does not fit its subject; `range` is
    /// inside the claim text.
    Invalid {
        message: String,
        range: Range<usize>,
    },
    /// A name IAM does not know (an action, condition key or ARN; `claim_names`), with its code;
    /// `range` is inside the claim text.
    Name {
        problem: super::claim_names::NameProblem,
        range: Range<usize>,
    },
}

fn invalid(message: impl Into<String>, range: &Range<usize>) -> Refutation {
    Refutation::Invalid {
        message: message.into(),
        range: range.clone(),
    }
}

/// What a claim (or a truth table) is asked of, made ready for the evaluator: the request, and
/// either one reusable statement (in a policy of its own, placeholders replaced) or the policies
/// of a catalog policy or role, built with their modifiers.
pub enum Prepared {
    Statement {
        policy: Policy,
        request: Request,
    },
    Policies {
        built: Vec<(String, Policy, PolicyKind)>,
        request: Request,
    },
}

impl Prepared {
    pub fn request(&self) -> &Request {
        match self {
            Prepared::Statement { request, .. } | Prepared::Policies { request, .. } => request,
        }
    }

    /// The policy set of a policy or role subject: identity policies, or the trust policy as the
    /// role's resource policy.
    pub fn policy_set(&self) -> PolicySet<'_> {
        let mut set = PolicySet::default();
        if let Prepared::Policies { built, .. } = self {
            for (n, p, kind) in built {
                let np = NamedPolicy::new(n, p);
                match kind {
                    PolicyKind::Identity => set.identity.push(np),
                    _ => set.resource = Some(np),
                }
            }
        }
        set
    }
}

/// Builds the request a claim describes and the policies it is about: a reusable statement when
/// the verb is `applies` or `does not apply`, else a policy or role.
pub fn prepare(claim: &Claim, catalog: &Catalog, aws: &AwsData) -> Result<Prepared, Refutation> {
    let v = Validator::with_aws_data(catalog, aws);
    let sub = |s: &str| v.substitute(s).into_owned();
    let name = &claim.subject.text;
    let mut context = Context::new();
    for c in &claim.conditions {
        if let Some(val) = &c.value {
            context.insert(sub(&c.key.text), ContextValue::One(sub(&val.text)));
        }
    }
    let resource = claim.resource.as_ref().map(|r| sub(&r.text));
    let account = resource
        .as_deref()
        .and_then(|r| r.split(':').nth(4))
        .filter(|a| a.len() == 12 && a.bytes().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .or_else(|| {
            catalog
                .placeholders
                .iter()
                .map(|p| p.example.clone())
                .find(|e| e.len() == 12 && e.bytes().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| "111122223333".into());
    let role = catalog.role(name);
    let role_name = role.map_or("ClaimRole", |r| r.role_name.as_str());
    let principal_text = claim.principal.as_ref().map_or_else(
        || format!("arn:aws:sts::{account}:assumed-role/{role_name}/claim"),
        |p| sub(&p.text),
    );
    let principal = Principal::parse(&principal_text).map_err(|e| {
        invalid(
            e.to_string(),
            &claim
                .principal
                .as_ref()
                .map_or(claim.subject.range.clone(), |p| p.range.clone()),
        )
    })?;
    let mut request = Request {
        principal,
        action: claim
            .action
            .as_ref()
            .map(|a| a.text.clone())
            .unwrap_or_default(),
        resource,
        resource_account: None,
        context,
        wildcard_only: None,
    };

    if matches!(claim.verb, Verb::Applies | Verb::DoesNotApply) {
        let Some(named) = catalog.statement(name) else {
            return Err(invalid(
                format!(
                    "`applies` is said of a reusable statement, and the catalog has no statement named `{name}`"
                ),
                &claim.subject.range,
            ));
        };
        let (stmt, _) = catalog.build_statement(named);
        let Some(stmt) = stmt else {
            return Err(invalid(
                format!("statement `{name}` cannot be read"),
                &claim.subject.range,
            ));
        };
        let policy = super::super::simulate::substitute_policy(
            &Policy::from_statements(vec![stmt], named.name.span.clone()),
            &v,
        );
        let s = &policy.statements[0];
        if request.action.is_empty() {
            request.action = representative_action(s, aws).ok_or_else(|| {
                invalid(
                    "the statement has no `Action` to stand for; name an action",
                    &claim.verb_range,
                )
            })?;
        }
        return Ok(Prepared::Statement { policy, request });
    }

    // A policy or a role.
    let assume = request
        .action
        .to_ascii_lowercase()
        .starts_with("sts:assumerole");
    let words: Vec<(&str, &Range<usize>)> = claim
        .modifiers
        .iter()
        .map(|m| (m.text.as_str(), &m.range))
        .collect();
    let built = build_subject(catalog, aws, name, &words, assume)
        .map_err(|(message, range)| invalid(message, range.unwrap_or(&claim.subject.range)))?;
    if assume
        && request.resource.is_none()
        && let Some(r) = role
    {
        request.resource = Some(format!("arn:aws:iam::{account}:role/{}", r.role_name));
    }
    Ok(Prepared::Policies { built, request })
}

/// The policies of a catalog policy or role, built with modifiers (`(name, word range)`) and
/// with the catalog's placeholders replaced by their examples: a role's permission policies, or
/// its trust policy when `trust`. The error names the word at fault (`None`: the subject).
pub fn build_subject<'r>(
    catalog: &Catalog,
    aws: &AwsData,
    name: &str,
    modifiers: &[(&str, &'r Range<usize>)],
    trust: bool,
) -> Result<Built, (String, Option<&'r Range<usize>>)> {
    let v = Validator::with_aws_data(catalog, aws);
    let mut parts: Vec<(&crate::catalog::CatalogPolicy, bool)> = Vec::new();
    if let Some(r) = catalog.role(name) {
        let names: Vec<&crate::source::Spanned<String>> = if trust {
            vec![&r.trust_policy]
        } else {
            r.policies.iter().collect()
        };
        for n in names {
            let p = catalog.policy(&n.value).ok_or_else(|| {
                (
                    format!(
                        "role `{name}` names policy `{}`, which the catalog lacks",
                        n.value
                    ),
                    None,
                )
            })?;
            parts.push((p, !trust));
        }
    } else if let Some(p) = catalog.policy(name) {
        parts.push((p, true));
    } else {
        let mut message = format!("no policy, role or statement named `{name}` in the catalog");
        if catalog.statement(name).is_some() {
            message = format!("`{name}` is a statement: say `applies` or `does not apply` of it");
        }
        return Err((message, None));
    }
    for (m, range) in modifiers {
        if catalog.modifier(m).is_none() {
            return Err((
                format!("no modifier named `{m}` in the catalog"),
                Some(*range),
            ));
        }
    }
    let modifiers: Vec<crate::source::Spanned<String>> = modifiers
        .iter()
        .map(|(m, _)| crate::source::Spanned::new(m.to_string(), Span::generated()))
        .collect();
    Ok(parts
        .iter()
        .map(|(p, with)| {
            let extra: &[crate::source::Spanned<String>] = if *with { &modifiers } else { &[] };
            let (policy, _) = catalog.build_policy(p, extra);
            (
                p.name.value.clone(),
                super::super::simulate::substitute_policy(&policy, &v),
                p.kind,
            )
        })
        .collect())
}

/// Proves a claim against the catalog, or says why it does not hold.
pub fn prove(claim: &Claim, catalog: &Catalog, aws: &AwsData) -> Result<Proof, Refutation> {
    if claim.quantified.is_some() {
        return crate::access::claims::prove(claim, catalog, aws);
    }
    let prepared = prepare(claim, catalog, aws)?;
    super::claim_names::check_claim(claim, catalog, aws)?;
    if let Prepared::Statement { policy, request } = &prepared {
        let s = &policy.statements[0];
        let o = super::statement_outcome(s, request, true, aws);
        let want = claim.verb == Verb::Applies;
        if o.applies == want {
            return Ok(Proof {
                request: request.clone(),
                evaluation: None,
                outcome: Some(o),
            });
        }
        let failed: Vec<String> = o
            .conditions
            .iter()
            .filter(|c| !c.matched)
            .map(|c| format!("`{}` on `{}` is false", c.operator, c.key))
            .collect();
        let reason = if o.applies {
            "every part of the statement matches the request".to_string()
        } else if !o.action {
            format!("its Action does not cover `{}`", request.action)
        } else if !o.resource {
            "its Resource does not cover the resource".into()
        } else if o.principal == super::PrincipalMatch::No {
            "its Principal does not name the principal".into()
        } else {
            failed.join("; ")
        };
        return Err(Refutation::False {
            decided: if o.applies {
                "applies"
            } else {
                "does not apply"
            }
            .into(),
            reason,
            statements: Vec::new(),
            statement: Some(s.span.clone()),
            missing_context_keys: o.missing_context_keys,
        });
    }
    let request = prepared.request();
    let e = super::evaluate(request, &prepared.policy_set(), aws);
    let holds = match claim.verb {
        Verb::Allows => e.decision == Decision::Allowed,
        Verb::Denies => e.decision != Decision::Allowed,
        Verb::ExplicitlyDenies => e.decision == Decision::ExplicitlyDenied,
        Verb::ImplicitlyDenies => e.decision == Decision::ImplicitlyDenied,
        Verb::Applies | Verb::DoesNotApply => unreachable!("statement claims are decided above"),
    };
    if holds {
        Ok(Proof {
            request: request.clone(),
            evaluation: Some(e),
            outcome: None,
        })
    } else {
        Err(Refutation::False {
            decided: e.decision.as_str().into(),
            reason: e.reason(),
            statements: e.statements.clone(),
            statement: None,
            missing_context_keys: e.missing_context_keys.clone(),
        })
    }
}

/// The action a statement claim without one is checked with.
fn representative_action(s: &crate::policy::Statement, aws: &AwsData) -> Option<String> {
    let t = s.action.as_ref().filter(|t| !t.negated)?;
    let first = &t.list.items.first()?.value;
    if !first.contains(['*', '?']) {
        return Some(first.clone());
    }
    let (svc, pattern) = match first.split_once(':') {
        Some((svc, p)) => (svc.to_string(), p.to_string()),
        None => ("s3".to_string(), "*".to_string()),
    };
    aws.match_actions(&svc, &pattern)
        .first()
        .map(|a| format!("{svc}:{}", a.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book-example/iam-catalog.toml");
        let loaded = Catalog::load(&path, path.parent().unwrap());
        assert!(!loaded.has_errors());
        loaded.catalog
    }

    fn check(text: &str) -> Result<Proof, Refutation> {
        let c = Claim::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        prove(&c, &catalog(), AwsData::embedded())
    }

    #[test]
    fn the_grammar_reads_prose() {
        let c = Claim::parse("`s3-readonly` allows `s3:GetObject` on arn:aws:s3:::b/k when `aws:CalledViaAWSMCP` is `aws-mcp.amazonaws.com` and aws:ViaAWSMCPService is absent").unwrap();
        assert_eq!(c.subject.text, "s3-readonly");
        assert_eq!(c.verb, Verb::Allows);
        assert_eq!(c.action.unwrap().text, "s3:GetObject");
        assert_eq!(c.resource.unwrap().text, "arn:aws:s3:::b/k");
        assert_eq!(c.conditions.len(), 2);
        assert_eq!(c.conditions[1].value, None);
        let c = Claim::parse("default-permissions with aws-mcp-server does not apply").unwrap();
        assert_eq!(c.modifiers[0].text, "aws-mcp-server");
        assert!(matches!(
            prove(&c, &catalog(), AwsData::embedded()),
            Err(Refutation::Invalid { .. })
        ));
        let c =
            Claim::parse("DenyDirectAPIAccess does not apply when aws:ViaAWSMCPService is true")
                .unwrap();
        assert_eq!(c.verb, Verb::DoesNotApply);
    }

    #[test]
    fn parse_errors_point_into_the_claim() {
        let text = "s3-readonly permits s3:GetObject";
        let e = Claim::parse(text).unwrap_err();
        assert_eq!(&text[e.range.clone()], "permits");
        let text = "s3-readonly allows s3:GetObject when aws:SourceIp equals 1.2.3.4";
        let e = Claim::parse(text).unwrap_err();
        assert_eq!(&text[e.range], "equals");
        let text = "s3-readonly allows";
        assert_eq!(&text[Claim::parse(text).unwrap_err().range], "allows");
    }

    #[test]
    fn the_examples_promises_hold() {
        assert!(check("s3-readonly denies s3:PutObject").is_ok());
        assert!(check("s3-readonly explicitly denies s3:GetObject").is_ok());
        assert!(check("s3-readonly allows s3:GetObject when aws:CalledViaAWSMCP is aws-mcp.amazonaws.com and aws:ViaAWSMCPService is true").is_ok());
        assert!(check("DenyDirectAPIAccess applies when aws:ViaAWSMCPService is absent").is_ok());
        assert!(
            check("DenyDirectAPIAccess does not apply when aws:ViaAWSMCPService is true").is_ok()
        );
        assert!(check("mcp-s3-readonly allows s3:ListBucket when aws:CalledViaAWSMCP is aws-mcp.amazonaws.com and aws:ViaAWSMCPService is true").is_ok());
        assert!(check("mcp-default denies s3:GetObject when aws:ViaAWSMCPService is true").is_ok());
    }

    // The seed's wrong first row: "the deny does not apply when the key is absent".
    #[test]
    fn the_old_tables_first_row_is_refuted_with_the_statement() {
        match check("DenyDirectAPIAccess does not apply when aws:ViaAWSMCPService is absent") {
            Err(Refutation::False {
                decided, statement, ..
            }) => {
                assert_eq!(decided, "applies");
                let (line, _) = statement.unwrap().line_col();
                assert_eq!(line, 45);
            }
            other => panic!("{other:?}"),
        }
        match check(
            "s3-readonly allows s3:GetObject when aws:CalledViaAWSMCP is aws-mcp.amazonaws.com",
        ) {
            Err(Refutation::False {
                decided,
                statements,
                reason,
                ..
            }) => {
                assert_eq!(decided, "ExplicitlyDenied");
                assert_eq!(statements[0].sid.as_deref(), Some("DenyDirectAPIAccess"));
                assert!(reason.contains("iam-catalog.toml:45"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_names_are_invalid_at_their_word() {
        let text = "s3-readonlee denies s3:PutObject";
        let c = Claim::parse(text).unwrap();
        match prove(&c, &catalog(), AwsData::embedded()) {
            Err(Refutation::Invalid { range, .. }) => assert_eq!(&text[range], "s3-readonlee"),
            other => panic!("{other:?}"),
        }
    }
}
