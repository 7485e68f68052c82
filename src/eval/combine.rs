//! How the policy types combine into one decision, in the order of AWS's "How AWS enforcement
//! code logic evaluates requests to allow or deny access" (IAM User Guide): an explicit deny in
//! any policy that applies wins; then RCPs and SCPs, every organization level of each, must allow;
//! then a VPC endpoint's policy; then, in the same account, either the resource policy naming
//! the principal, or the identity policies within the permissions boundary and the session
//! policy; across accounts, both the resource policy and the identity side
//! ("Cross-account policy evaluation logic").

use super::matching::{self, PrincipalMatch};
use super::request::{Principal, Request};
use super::service_rules::{self, Effect as RuleEffect};
use super::{
    Decided, Decision, Evaluation, NamedPolicy, PolicySet, PolicyType, StatementOutcome,
    reads_variables, requested_resource,
};
use crate::aws_data::AwsData;
use crate::policy::{Effect, Policy, Statement};
use std::sync::OnceLock;

/// The AWS managed RCP attached to the root, every OU and every account, and not detachable
/// (AWS Organizations User Guide, "Resource control policy examples", RCPFullAWSAccess).
fn rcp_full_aws_access() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let file = crate::source::SourceFile::new(
            "<generated>",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
        );
        let doc = crate::json::parse(&file).expect("RCPFullAWSAccess is JSON");
        let mut p = Policy::read(&doc, crate::policy::PolicyKind::Resource).value;
        for s in &mut p.statements {
            s.span = crate::source::Span::generated();
        }
        p
    })
}

pub(super) const RCP_FULL_AWS_ACCESS: &str = "RCPFullAWSAccess";

/// One statement against the request. With `short_cut`, conditions are evaluated only when the
/// action, resource and principal match (and only then are missing keys recorded).
pub(super) fn statement_outcome(
    s: &Statement,
    req: &Request,
    resource: &str,
    pattern: bool,
    variables: bool,
    deny_ignores_not_principal: bool,
) -> StatementOutcome {
    full_or_short(
        s,
        req,
        Requested { resource, pattern },
        variables,
        deny_ignores_not_principal,
        false,
    )
}

/// The request's resource as statements match it: its text, and whether it is a pattern.
#[derive(Clone, Copy)]
struct Requested<'r> {
    resource: &'r str,
    pattern: bool,
}

fn full_or_short(
    s: &Statement,
    req: &Request,
    requested: Requested<'_>,
    variables: bool,
    deny_ignores_not_principal: bool,
    short_cut: bool,
) -> StatementOutcome {
    let mut missing = Vec::new();
    let action = s
        .action
        .as_ref()
        .is_some_and(|t| matching::action_matches(t, &req.action));
    // Statements without Resource (trust policies) cover every resource.
    let resource_ok = match &s.resource {
        None => true,
        Some(t) if requested.pattern => matching::resource_pattern_matches(
            t,
            requested.resource,
            s.is_allow(),
            &req.context,
            variables,
            &mut missing,
        ),
        Some(t) => {
            matching::resource_matches(t, requested.resource, &req.context, variables, &mut missing)
        }
    };
    let principal = match &s.principal {
        None => PrincipalMatch::Direct,
        Some(el) if !el.negated => matching::principal_match(el, &req.principal),
        Some(el) => {
            // IAM User Guide, "AWS JSON policy elements: NotPrincipal": a Deny with NotPrincipal
            // always denies an IAM principal that has a permissions boundary, whatever it lists.
            let always = deny_ignores_not_principal && !s.is_allow() && req.principal.is_iam();
            if always || matching::principal_match(el, &req.principal) == PrincipalMatch::No {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::No
            }
        }
    };
    let matched = action && resource_ok && principal != PrincipalMatch::No;
    let mut conditions = Vec::new();
    if short_cut {
        let applies = matched
            && s.condition
                .iter()
                .all(|c| super::conditions::clause_holds(c, &req.context, variables, &mut missing));
        if !matched {
            missing.clear();
        }
        return StatementOutcome {
            action,
            resource: resource_ok,
            principal,
            conditions,
            applies,
            missing_context_keys: missing,
        };
    }
    {
        for c in &s.condition {
            conditions.extend(super::conditions::clause(
                c,
                &req.context,
                variables,
                &mut missing,
            ));
        }
    }
    let applies = matched && conditions.iter().all(|o| o.matched);
    StatementOutcome {
        action,
        resource: resource_ok,
        principal,
        conditions,
        applies,
        missing_context_keys: missing,
    }
}

/// What one policy gave: the statements that apply, by effect, and for allows how they named
/// the principal.
#[derive(Default)]
struct Scan {
    allows: Vec<(Decided, PrincipalMatch)>,
    denies: Vec<Decided>,
}

impl Scan {
    fn allows(&self) -> bool {
        !self.allows.is_empty()
    }

    fn grants(&self, how: PrincipalMatch) -> bool {
        self.allows.iter().any(|(_, m)| *m == how)
    }

    fn best_allow(&self) -> PrincipalMatch {
        self.allows
            .iter()
            .map(|(_, m)| *m)
            .max()
            .unwrap_or(PrincipalMatch::No)
    }

    fn allow_statements(&self) -> impl Iterator<Item = Decided> + '_ {
        self.allows.iter().map(|(d, _)| d.clone())
    }
}

struct Evaluator<'r> {
    req: &'r Request,
    requested: Requested<'r>,
    has_boundary: bool,
    missing: Vec<String>,
}

impl Evaluator<'_> {
    fn scan(&mut self, ty: PolicyType, named: &NamedPolicy<'_>, into: &mut Scan) {
        let variables = reads_variables(named.policy);
        for (index, s) in named.policy.statements.iter().enumerate() {
            let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
                continue;
            };
            let o = full_or_short(
                s,
                self.req,
                self.requested,
                variables,
                self.has_boundary && ty == PolicyType::Resource,
                true,
            );
            for k in o.missing_context_keys {
                if !self.missing.iter().any(|m| m.eq_ignore_ascii_case(&k)) {
                    self.missing.push(k);
                }
            }
            if !o.applies {
                continue;
            }
            let d = Decided {
                policy_type: ty,
                policy: named.name.to_string(),
                index,
                sid: s.sid.as_ref().map(|x| x.value.clone()),
                effect,
                span: s.span.clone(),
            };
            match effect {
                Effect::Allow => into.allows.push((d, o.principal)),
                Effect::Deny => into.denies.push(d),
            }
        }
    }

    fn scan_all<'a>(
        &mut self,
        ty: PolicyType,
        policies: impl IntoIterator<Item = &'a NamedPolicy<'a>>,
    ) -> Scan {
        let mut s = Scan::default();
        for p in policies {
            self.scan(ty, p, &mut s);
        }
        s
    }
}

fn done(
    decision: Decision,
    statements: Vec<Decided>,
    denied_at: Option<PolicyType>,
    missing: Vec<String>,
) -> Evaluation {
    Evaluation {
        decision,
        statements,
        denied_at,
        rule: None,
        missing_context_keys: missing,
    }
}

pub(super) fn evaluate(req: &Request, set: &PolicySet<'_>, aws: &AwsData) -> Evaluation {
    let first = evaluate_once(req, set, aws);
    let (resource, pattern) = requested_resource(req, aws);
    if !pattern || first.decision != Decision::Allowed || first.rule.is_some() {
        return first;
    }
    // A pattern allowed as a whole may still have no allowed member: when every Allow that grants
    // on it names resources inside the pattern, those are the only members that can be allowed,
    // so each is asked on its own (a Deny covering each of them then decides).
    let Some(members) = granted_members(req, set, resource, aws) else {
        return first;
    };
    let mut denied = None;
    let mut implicit = None;
    for m in members {
        let mut narrowed = req.clone();
        narrowed.resource = Some(m);
        let e = evaluate_once(&narrowed, set, aws);
        match e.decision {
            Decision::Allowed => return first,
            Decision::ExplicitlyDenied => {
                denied.get_or_insert(e);
            }
            Decision::ImplicitlyDenied => {
                implicit.get_or_insert(e);
            }
        }
    }
    implicit.or(denied).unwrap_or(first)
}

/// The resources inside `pattern` that the identity and resource policies' Allow statements for
/// the action name, when every Allow entry that shares a resource with the pattern lies inside it;
/// `None` when some Allow reaches members beyond what its entries name inside the pattern (an
/// entry wider than the pattern or crossing it, a NotResource, a statement without Resource).
fn granted_members(
    req: &Request,
    set: &PolicySet<'_>,
    pattern: &str,
    aws: &AwsData,
) -> Option<Vec<String>> {
    use super::variables::{Reading, resolve};
    use crate::iam::wildcard::symbols;
    let requested = symbols(pattern);
    // An entry that can name no resource of a type the action takes grants nothing (an object's
    // ARN for s3:ListBucket, which takes buckets).
    let types: Vec<_> = req
        .action
        .split_once(':')
        .and_then(|(svc, name)| {
            let service = aws.service(svc)?;
            let action = service.action(name)?;
            Some(
                service
                    .action_resource_types(action)
                    .map(|(t, _)| t)
                    .collect(),
            )
        })
        .unwrap_or_default();
    let of_a_type = |entry: &str| types.is_empty() || types.iter().any(|t| t.matches_arn(entry));
    let mut out: Vec<String> = Vec::new();
    for named in set.identity.iter().chain(set.resource.iter()) {
        let variables = reads_variables(named.policy);
        for s in &named.policy.statements {
            if !s.is_allow()
                || !s
                    .action
                    .as_ref()
                    .is_some_and(|t| matching::action_matches(t, &req.action))
            {
                continue;
            }
            let t = s.resource.as_ref()?;
            let how = Reading {
                variables,
                wildcards: true,
            };
            if t.negated {
                // A NotResource that covers the whole pattern grants none of it; any other may
                // grant members its entries do not name.
                let covers = t.list.items.iter().any(|p| {
                    resolve(&p.value, &req.context, how, &mut Vec::new()).is_some_and(|toks| {
                        matching::arn_covers_symbols(&matching::symbols_of(&toks), &requested)
                    })
                });
                if covers {
                    continue;
                }
                return None;
            }
            for p in &t.list.items {
                let Some(toks) = resolve(&p.value, &req.context, how, &mut Vec::new()) else {
                    continue;
                };
                let entry = matching::symbols_of(&toks);
                if !matching::arn_intersects_symbols(&entry, &requested) {
                    continue;
                }
                let written: String = toks
                    .iter()
                    .map(|k| match k {
                        super::variables::Tok::Lit(c) => *c,
                        super::variables::Tok::Star => '*',
                        super::variables::Tok::One => '?',
                    })
                    .collect();
                if !of_a_type(&written) {
                    continue;
                }
                // A member must be written back as text: an entry holding a literal `*` or `?`
                // from a variable cannot be. The members are the entry's part of the pattern,
                // when in each ARN field one of the two covers the other (otherwise it takes no
                // one pattern to write them).
                let literal_wild = toks
                    .iter()
                    .any(|k| matches!(k, super::variables::Tok::Lit('*' | '?')));
                if literal_wild {
                    return None;
                }
                let member = if matching::arn_covers_symbols(&requested, &entry) {
                    written
                } else {
                    narrower_fields(&written, pattern)?
                };
                if !out.contains(&member) {
                    out.push(member);
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The ARN whose every field is the narrower of the two patterns' fields, when in each field one
/// covers the other (so the result is exactly their intersection); `None` otherwise.
fn narrower_fields(a: &str, b: &str) -> Option<String> {
    use crate::iam::wildcard::covers;
    let (fa, fb): (Vec<&str>, Vec<&str>) = (a.splitn(6, ':').collect(), b.splitn(6, ':').collect());
    if fa.len() != 6 || fb.len() != 6 {
        return None;
    }
    let mut out = Vec::with_capacity(6);
    for (x, y) in fa.iter().zip(&fb) {
        if covers(y, x) {
            out.push(*x);
        } else if covers(x, y) {
            out.push(*y);
        } else {
            return None;
        }
    }
    Some(out.join(":"))
}

fn evaluate_once(req: &Request, set: &PolicySet<'_>, aws: &AwsData) -> Evaluation {
    let (resource, pattern) = requested_resource(req, aws);
    let who = &req.principal;
    let rules: Vec<_> = service_rules::rules_for(&req.action, req.resource.as_deref()).collect();
    if let Some(rule) = rules.iter().find(|r| r.effect == RuleEffect::AlwaysAllowed)
        && who.is_iam()
    {
        return Evaluation {
            decision: Decision::Allowed,
            statements: Vec::new(),
            denied_at: None,
            rule: Some(rule),
            missing_context_keys: Vec::new(),
        };
    }
    let iam = who.is_iam();
    let session_principal = matches!(
        who,
        Principal::AssumedRole { .. } | Principal::FederatedUser { .. } | Principal::Role { .. }
    );
    let mut ev = Evaluator {
        req,
        requested: Requested { resource, pattern },
        has_boundary: iam && !set.boundaries.is_empty(),
        missing: Vec::new(),
    };

    // Every policy that applies to this principal, scanned once.
    let identity = if iam {
        ev.scan_all(PolicyType::Identity, &set.identity)
    } else {
        Scan::default()
    };
    let boundary = if ev.has_boundary {
        Some(ev.scan_all(PolicyType::PermissionBoundary, &set.boundaries))
    } else {
        None
    };
    let session = match &set.session {
        Some(p) if iam => Some(ev.scan_all(PolicyType::Session, std::iter::once(p))),
        _ => None,
    };
    let resource_scan = set
        .resource
        .as_ref()
        .map(|p| ev.scan_all(PolicyType::Resource, std::iter::once(p)));
    // SCPs limit the principals of the organization's accounts (not anonymous callers, services
    // or identity providers); RCPs limit access to the accounts' resources, whoever asks.
    let scp_levels: Option<Vec<Scan>> = match &set.service_control {
        Some(levels) if iam => Some(
            levels
                .iter()
                .map(|l| ev.scan_all(PolicyType::ServiceControl, l))
                .collect(),
        ),
        _ => None,
    };
    let full = NamedPolicy::new(RCP_FULL_AWS_ACCESS, rcp_full_aws_access());
    let rcp_levels: Option<Vec<Scan>> = set.resource_control.as_ref().map(|levels| {
        levels
            .iter()
            .map(|l| {
                ev.scan_all(
                    PolicyType::ResourceControl,
                    l.iter().chain(std::iter::once(&full)),
                )
            })
            .collect()
    });
    let endpoint = if set.vpc_endpoints.is_empty() {
        None
    } else {
        Some(ev.scan_all(PolicyType::VpcEndpoint, &set.vpc_endpoints))
    };
    let missing = std::mem::take(&mut ev.missing);

    // 1. An explicit deny anywhere wins.
    let mut denies = Vec::new();
    for s in rcp_levels
        .iter()
        .flatten()
        .chain(scp_levels.iter().flatten())
    {
        denies.extend(s.denies.iter().cloned());
    }
    for s in [&resource_scan, &boundary, &session, &endpoint]
        .into_iter()
        .flatten()
        .chain(std::iter::once(&identity))
    {
        denies.extend(s.denies.iter().cloned());
    }
    if !denies.is_empty() {
        return done(Decision::ExplicitlyDenied, denies, None, missing);
    }
    // 1b. A request no policy can allow (an AWS managed policy, a service-linked role, an AWS
    // managed key's alias): implicitly denied by the rule, whatever the policies allow.
    if let Some(rule) = rules.iter().find(|r| r.effect == RuleEffect::AlwaysDenied) {
        return Evaluation {
            decision: Decision::ImplicitlyDenied,
            statements: Vec::new(),
            denied_at: None,
            rule: Some(rule),
            missing_context_keys: missing,
        };
    }
    let implicit = |at: PolicyType, missing: Vec<String>| {
        done(Decision::ImplicitlyDenied, Vec::new(), Some(at), missing)
    };

    // 2. Every RCP level, then every SCP level, must allow.
    if rcp_levels.iter().flatten().any(|l| !l.allows()) {
        return implicit(PolicyType::ResourceControl, missing);
    }
    if scp_levels.iter().flatten().any(|l| !l.allows()) {
        return implicit(PolicyType::ServiceControl, missing);
    }
    // 3. A request through a VPC endpoint needs its endpoint policy to allow.
    if endpoint.as_ref().is_some_and(|e| !e.allows()) {
        return implicit(PolicyType::VpcEndpoint, missing);
    }

    let resource_grant = resource_scan
        .as_ref()
        .map_or(PrincipalMatch::No, Scan::best_allow);
    let resource_allows = || {
        resource_scan
            .iter()
            .flat_map(|s| s.allow_statements())
            .collect::<Vec<_>>()
    };
    // 4. Anonymous callers, services and identity providers have no identity policies: the
    // resource policy alone decides.
    if !iam {
        return if resource_grant != PrincipalMatch::No {
            done(Decision::Allowed, resource_allows(), None, missing)
        } else {
            implicit(PolicyType::Resource, missing)
        };
    }

    let boundary_ok = boundary.as_ref().is_none_or(Scan::allows);
    // A session policy limits sessions (and a principal given as a role stands for one).
    let session_ok = !session_principal || session.as_ref().is_none_or(Scan::allows);
    let root_rule = rules
        .iter()
        .find(|r| r.effect == RuleEffect::RootUserFullAccess)
        .filter(|_| matches!(who, Principal::Root { .. }))
        .copied();
    let root = root_rule.is_some();
    let identity_ok = root || identity.allows();
    let needs_resource_policy = rules
        .iter()
        .any(|r| r.effect == RuleEffect::ResourcePolicyRequired);
    let same_account = match (who.account(), req.resource_account()) {
        (Some(p), Some(r)) => p == r,
        _ => true,
    };
    let identity_side = |missing: Vec<String>, mut extra: Vec<Decided>| {
        if !identity_ok {
            return implicit(PolicyType::Identity, missing);
        }
        if !boundary_ok {
            return implicit(PolicyType::PermissionBoundary, missing);
        }
        if !session_ok {
            return implicit(PolicyType::Session, missing);
        }
        let mut st: Vec<Decided> = identity.allow_statements().collect();
        st.extend(boundary.iter().flat_map(|b| b.allow_statements()));
        if session_principal {
            st.extend(session.iter().flat_map(|b| b.allow_statements()));
        }
        st.append(&mut extra);
        let mut e = done(Decision::Allowed, st, None, missing);
        if e.statements.is_empty() {
            e.rule = root_rule;
        }
        e
    };

    if same_account {
        // 5. In the same account, a resource policy that names the principal itself (a user, a
        // session) grants on its own, in addition to what boundary and session policy allow
        // (STS API Reference, AssumeRole and GetFederationToken: "If that policy specifically
        // references the role session in the Principal element..."; IAM User Guide,
        // "Permissions boundaries for IAM entities": an implicit deny in a boundary does not limit
        // what a resource-based policy grants an IAM user, and does limit what it grants the ARN
        // of the underlying role). One that names a session's role is limited by the boundary and
        // the session policy; `*` by the session policy; one that trusts the account delegates to
        // identity policies.
        let grants = |how| resource_scan.as_ref().is_some_and(|r| r.grants(how));
        // `*` names no session in particular, so a session policy still limits it; a
        // permissions boundary limits grants to a role's ARN only (and never an IAM user's).
        if grants(PrincipalMatch::Direct)
            || (grants(PrincipalMatch::Any) && (!session_principal || session_ok))
            || (grants(PrincipalMatch::Role) && boundary_ok && session_ok)
        {
            return done(Decision::Allowed, resource_allows(), None, missing);
        }
        if needs_resource_policy && resource_grant == PrincipalMatch::No {
            return implicit(PolicyType::Resource, missing);
        }
        let extra = if resource_grant == PrincipalMatch::Account {
            resource_allows()
        } else {
            Vec::new()
        };
        identity_side(missing, extra)
    } else {
        // 6. Across accounts, the resource policy must trust the principal and the identity side
        // must allow too.
        if resource_grant == PrincipalMatch::No {
            return implicit(PolicyType::Resource, missing);
        }
        identity_side(missing, resource_allows())
    }
}
