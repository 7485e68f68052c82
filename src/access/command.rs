//! `mdbook-iam access`: what a catalog policy or role, or policy files, allow, per action over
//! every action of AWS's data. Input errors come back as findings; the summaries as data for
//! `main.rs` to print (JSON, text or Markdown, see [`super::report`]).
//!
//! The question each summary answers: which requests of one principal the policies allow.
//!
//! - An identity policy, and a role (its permission policies): a session of the role (for a
//!   role) or of a stand-in role, in the catalog's example account (the example of a
//!   placeholder that stands for an account ID), else 111122223333.
//! - A trust or resource policy (`--kind`, or the catalog entry's kind): the first principal its
//!   Allow statements name (a role stands for a session of it; an identity provider, a service
//!   principal, a user, an account as they are); with `"Principal": "*"` or none named, a session
//!   of a stand-in role in the policy's own account: the first account its Principal or Resource
//!   ARNs name, else as above. An account principal is its root user, which the account's
//!   identity policies alone govern in that account: name a role to see what it may do.
//!
//! Catalog placeholders are replaced by their examples everywhere, as `simulate` does.

use super::report::{Summary, summarize};
use super::space::{Question, TooComplex};
use crate::catalog::{Catalog, unknown_name};
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::error::Error;
use crate::eval::{NamedPolicy, PolicySet, Principal};
use crate::policy::{Policy, PolicyKind, Principal as PrincipalElement};
use crate::source::{SourceFile, Span, Spanned};
use crate::validate::Validator;
use std::path::{Path, PathBuf};

/// Built policies: (catalog name or file, policy with placeholders replaced, kind).
pub type Built = Vec<(String, Policy, PolicyKind)>;

/// What to summarize.
pub enum AccessInput {
    /// A catalog policy with extra modifiers.
    Policy {
        name: String,
        modifiers: Vec<String>,
    },
    /// A catalog role: its permission policies.
    Role(String),
    /// Policy documents (JSON), each summarized on its own, read as `kind`.
    Files {
        paths: Vec<PathBuf>,
        kind: PolicyKind,
    },
}

/// One summary that could not be computed.
pub struct Unexplored {
    pub policy: String,
    pub why: TooComplex,
}

pub struct AccessReport {
    /// Findings about the input (catalog, names, policy files). Any error: nothing summarized
    /// for that input.
    pub findings: Vec<Finding>,
    pub summaries: Vec<Summary>,
    pub too_complex: Vec<Unexplored>,
}

impl AccessReport {
    /// Exit status 1: errors in the input, or a summary too complex to compute.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(Finding::is_error) || !self.too_complex.is_empty()
    }
}

/// A name from the command line, located in a text of its own named by its flag.
fn arg(flag: &str, text: &str) -> Spanned<String> {
    let file = SourceFile::new(flag, text);
    Spanned::new(text.to_string(), Span::new(&file, 0..text.len()))
}

/// `access`. The catalog: the one given, else the nearest above the current directory (for
/// names) or above the first file (files may do without one).
pub fn access(
    input: AccessInput,
    catalog: Option<&Path>,
    aws: &crate::aws_data::AwsData,
) -> Result<AccessReport, Error> {
    use crate::discover;
    let loaded = match (&input, catalog) {
        (_, Some(c)) => crate::open_catalog(c, &discover::catalog_root(c), aws),
        (AccessInput::Files { paths, .. }, None) => {
            match paths.first().and_then(|p| discover::nearest_catalog(p)) {
                Some(c) => crate::open_catalog(&c, &discover::catalog_root(&c), aws),
                None => crate::catalog::Loaded {
                    catalog: Catalog::default(),
                    findings: Vec::new(),
                },
            }
        }
        (_, None) => {
            let path = discover::catalog_for(None, Path::new("."))?;
            crate::open_catalog(&path, &discover::catalog_root(&path), aws)
        }
    };
    let mut report = AccessReport {
        findings: loaded.findings,
        summaries: Vec::new(),
        too_complex: Vec::new(),
    };
    if report.findings.iter().any(Finding::is_error) {
        return Ok(report);
    }
    let catalog = &loaded.catalog;
    let validator = Validator::with_aws_data(catalog, aws);
    // (name shown, policies, principal)
    let mut inputs: Vec<(String, Built, String)> = Vec::new();
    match input {
        AccessInput::Policy { name, modifiers } => {
            let name_arg = arg("--policy", &name);
            let mods: Vec<Spanned<String>> =
                modifiers.iter().map(|m| arg("--modifier", m)).collect();
            match catalog_subject(catalog, &validator, &name_arg, &mods, false) {
                Ok(built) => {
                    let principal = principal_for(catalog, &built, None);
                    inputs.push((name, built, principal));
                }
                Err(f) => report.findings.extend(f),
            }
        }
        AccessInput::Role(name) => {
            let name_arg = arg("--role", &name);
            match catalog_subject(catalog, &validator, &name_arg, &[], true) {
                Ok(built) => {
                    let role = catalog.role(&name).map(|r| r.role_name.as_str());
                    let principal = principal_for(catalog, &built, role);
                    inputs.push((name, built, principal));
                }
                Err(f) => report.findings.extend(f),
            }
        }
        AccessInput::Files { paths, kind } => {
            for path in paths {
                let file = match crate::files::read(&path)? {
                    Ok(file) => file,
                    Err(f) => {
                        report.findings.push(f);
                        continue;
                    }
                };
                let doc = match crate::json::parse(&file) {
                    Ok(d) => d,
                    Err(e) => {
                        report.findings.push(Finding::at(
                            Code::JsonSyntax,
                            format!("not valid JSON: {}", e.message),
                            &Span::char_at(&file, e.offset),
                        ));
                        continue;
                    }
                };
                if crate::template::json_policies(&doc).is_some() {
                    return Err(Error::Usage(format!(
                        "{} is a CloudFormation or SAM template; `access` reads policy documents",
                        file.name()
                    )));
                }
                let read = Policy::read(&doc, kind);
                let mut found = read.findings;
                found.extend(validator.policy(&read.value, kind));
                crate::diagnostic::levels::apply(&catalog.lints, &mut found);
                let bad = found.iter().any(Finding::is_error);
                report.findings.extend(found);
                if bad {
                    continue;
                }
                let policy = crate::simulate::substitute_policy(&read.value, &validator);
                let built = vec![(file.name().to_string(), policy, kind)];
                let principal = principal_for(catalog, &built, None);
                inputs.push((file.name().to_string(), built, principal));
            }
        }
    }
    if report.findings.iter().any(Finding::is_error) {
        return Ok(report);
    }
    for (name, built, principal) in inputs {
        match summarize_built(&name, &built, &principal, aws) {
            Ok(s) => report.summaries.push(s),
            Err(why) => report.too_complex.push(Unexplored { policy: name, why }),
        }
    }
    Ok(report)
}

/// The summary of built policies, decided for `principal` (an ARN or other principal text
/// [`Principal::parse`] reads).
pub fn summarize_built(
    name: &str,
    built: &[(String, Policy, PolicyKind)],
    principal: &str,
    aws: &crate::aws_data::AwsData,
) -> Result<Summary, TooComplex> {
    let mut set = PolicySet::default();
    for (n, p, kind) in built {
        let np = NamedPolicy::new(n, p);
        match kind {
            PolicyKind::Identity => set.identity.push(np),
            _ => set.resource = Some(np),
        }
    }
    let principal_value = Principal::parse(principal).unwrap_or_else(|_| {
        Principal::parse("arn:aws:sts::111122223333:assumed-role/mdbook-iam-access/mdbook-iam")
            .expect("a valid stand-in")
    });
    let q = Question {
        sides: vec![set],
        principal: principal_value,
        fixed: Vec::new(),
        resource: None,
    };
    summarize(name, principal, &q, aws)
}

/// A catalog policy or role, built with modifiers and placeholders replaced; findings for
/// unknown names, located at the command-line word or directive word.
pub fn catalog_subject(
    catalog: &Catalog,
    validator: &Validator<'_>,
    name: &Spanned<String>,
    modifiers: &[Spanned<String>],
    role_only: bool,
) -> Result<Built, Vec<Finding>> {
    let mut findings = Vec::new();
    for m in modifiers {
        if catalog.modifier(&m.value).is_none() {
            findings.push(catalog.unknown_modifier(m));
        }
    }
    let role = catalog.role(&name.value);
    let policy = catalog.policy(&name.value).filter(|_| !role_only);
    if role.is_none() && policy.is_none() {
        let (code, what) = if role_only {
            (Code::UnknownRole, "role")
        } else {
            (Code::UnknownPolicy, "policy or role")
        };
        let mut f = Finding::at(
            code,
            format!("no {what} named `{}` in the catalog", name.value),
            &name.span,
        );
        let roles = catalog.roles.iter().map(|r| r.name.value.as_str());
        let help = if role_only {
            did_you_mean(&name.value, roles)
        } else {
            did_you_mean(
                &name.value,
                catalog
                    .policies
                    .iter()
                    .map(|p| p.name.value.as_str())
                    .chain(roles),
            )
        };
        if let Some(h) = help {
            f = f.with_help(h);
        }
        findings.push(f);
    }
    if role.is_some() && policy.is_none() && !modifiers.is_empty() {
        findings.push(
            Finding::at(
                Code::UnknownParameter,
                format!(
                    "`{}` is a role: modifiers apply to a policy, not to a role",
                    name.value
                ),
                &modifiers[0].span,
            )
            .with_help("name one of its policies with the modifiers instead"),
        );
    }
    if let Some(r) = role.filter(|_| policy.is_none()) {
        for p in &r.policies {
            if catalog.policy(&p.value).is_none() {
                findings.push(
                    unknown_name(
                        Code::UnknownPolicy,
                        "policy",
                        p,
                        catalog.policies.iter().map(|p| p.name.value.as_str()),
                    )
                    .seen_from(&name.span),
                );
            }
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let parts: Vec<&crate::catalog::CatalogPolicy> = match policy {
        Some(p) => vec![p],
        None => role
            .map(|r| {
                r.policies
                    .iter()
                    .filter_map(|p| catalog.policy(&p.value))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let extra: &[Spanned<String>] = if policy.is_some() { modifiers } else { &[] };
    Ok(parts
        .into_iter()
        .map(|p| {
            let (built, _) = catalog.build_policy(p, extra);
            (
                p.name.value.clone(),
                crate::simulate::substitute_policy(&built, validator),
                p.kind,
            )
        })
        .collect())
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The catalog's example account: the example of a placeholder that stands for an account ID,
/// else 111122223333.
fn example_account(catalog: &Catalog) -> String {
    catalog
        .placeholders
        .iter()
        .map(|p| p.example.as_str())
        .find(|e| is_account(e))
        .unwrap_or("111122223333")
        .to_string()
}

/// The principal a summary is decided for (see the module's comment).
pub fn principal_for(
    catalog: &Catalog,
    built: &[(String, Policy, PolicyKind)],
    role: Option<&str>,
) -> String {
    let session = |account: &str, role: &str| {
        format!("arn:aws:sts::{account}:assumed-role/{role}/mdbook-iam")
    };
    let identity = built.iter().all(|(_, _, k)| *k == PolicyKind::Identity);
    if identity {
        return session(
            &example_account(catalog),
            role.unwrap_or("mdbook-iam-access"),
        );
    }
    let mut own: Option<String> = None;
    let mut named: Option<String> = None;
    for (_, p, _) in built {
        for s in &p.statements {
            let allow = s.effect.as_ref().map(|e| e.value) == Some(crate::policy::Effect::Allow);
            if let Some(el) = &s.principal
                && let PrincipalElement::Map(entries) = &el.principal
                && !el.negated
            {
                for (_, ids) in entries {
                    for id in &ids.items {
                        let v = id.value.as_str();
                        let account = if is_account(v) {
                            Some(v.to_string())
                        } else {
                            v.split(':')
                                .nth(4)
                                .filter(|a| is_account(a))
                                .map(String::from)
                        };
                        if own.is_none() {
                            own = account;
                        }
                        if allow && named.is_none() && Principal::parse(v).is_ok() {
                            named = Some(v.to_string());
                        }
                    }
                }
            }
            if own.is_none()
                && let Some(t) = &s.resource
            {
                own = t
                    .list
                    .items
                    .iter()
                    .filter_map(|r| r.value.split(':').nth(4))
                    .find(|a| is_account(a))
                    .map(String::from);
            }
        }
    }
    let account = own.unwrap_or_else(|| example_account(catalog));
    match named.map(|n| (Principal::parse(&n), n)) {
        // A role ARN stands for a session of it.
        Some((Ok(Principal::Role { name, account, .. }), _)) => session(&account, &name),
        Some((Ok(Principal::Root { account, .. }), _)) => format!("arn:aws:iam::{account}:root"),
        Some((Ok(_), n)) => n,
        _ => session(&account, "mdbook-iam-access"),
    }
}
