//! The catalog's tables, one reader each: policies, reusable statements, modifiers, callouts and
//! their parameters, condition-key documentation, deprecations, placeholders and roles. Each checks
//! its fields against the schema and reports at the catalog line.

use super::load::Loader;
use super::schema;
use super::*;
use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::json::{Kind, Member, Value};
use crate::policy::{PolicyKind, Statement};
use crate::source::Spanned;

impl Loader {
    pub(super) fn policy(&mut self, m: &Member) {
        let members = m.value.as_object().unwrap_or(&[]);
        self.known_keys(members, &schema::POLICY, &format!("policy `{}`", m.key));
        let taken = self.catalog.policy(&m.key).is_some();
        let name = self.name(m, taken, "policy");
        let kind = match m.value.get("kind") {
            None => PolicyKind::Identity,
            Some(v) => match self
                .str(v, "kind")
                .map(|s| (PolicyKind::parse(&s.value), s))
            {
                Some((Some(k), _)) => k,
                Some((None, s)) => {
                    self.report(
                        Code::CatalogSchema,
                        format!(
                            "policy kind must be identity, trust or resource, not `{}`",
                            s.value
                        ),
                        &s.span,
                    );
                    PolicyKind::Identity
                }
                None => PolicyKind::Identity,
            },
        };
        let modifiers = match m.value.get("modifiers") {
            Some(v) => self.string_list(v, "modifiers").unwrap_or_default(),
            None => Vec::new(),
        };
        let mut statements = Vec::new();
        match m.value.get("statements") {
            None => self.report(
                Code::CatalogSchema,
                format!("policy `{}` needs `statements`", m.key),
                &m.key_span,
            ),
            Some(Value {
                kind: Kind::Array(items),
                ..
            }) => {
                for item in items {
                    match &item.kind {
                        Kind::String(s) => statements.push(StatementRef::Named(Spanned::new(s.clone(), item.span.clone()))),
                        Kind::Object(fields) => match fields.iter().find(|f| f.key == "use") {
                            Some(u) => {
                                if fields.len() > 1 {
                                    self.report(Code::CatalogSchema, "a `use` entry names a reusable statement and takes no other fields", &item.span);
                                }
                                if let Some(s) = self.str(&u.value, "use") {
                                    statements.push(StatementRef::Named(s));
                                }
                            }
                            None => statements.push(StatementRef::Inline(item.clone())),
                        },
                        _ => self.report(Code::CatalogSchema, "each statement is a table of IAM elements or the name of a reusable statement", &item.span),
                    }
                }
            }
            Some(v) => self.report(
                Code::CatalogSchema,
                "`statements` must be an array",
                &v.span,
            ),
        }
        let file = self.opt_str(&m.value, "file");
        if let Some(f) = &file
            && !is_plain_file_name(&f.value)
        {
            self.report(
                Code::CatalogSchema,
                format!(
                    "`file` must be a plain file name such as `policy.json`, not `{}`",
                    f.value
                ),
                &f.span,
            );
        }
        let policy_name = self.opt_str(&m.value, "name");
        if let Some(n) = &policy_name {
            self.iam_name(n, "policy", 128);
        }
        let policy = CatalogPolicy {
            name,
            kind,
            file: file.map(|s| s.value),
            policy_name: policy_name.map(|s| s.value),
            title: self.opt_str(&m.value, "title").map(|s| s.value),
            description: self.opt_str(&m.value, "description").map(|s| s.value),
            modifiers,
            statements,
            claims: self.claims(&m.value),
        };
        if !taken {
            self.catalog.policies.push(policy);
        }
    }

    pub(super) fn statement(&mut self, m: &Member) {
        let members = m.value.as_object().unwrap_or(&[]);
        for f in members {
            let lower = f.key.starts_with(|c: char| c.is_ascii_lowercase());
            if lower && !schema::STATEMENT.has(&f.key) {
                self.report(Code::CatalogSchema, format!("unknown field `{}` in statement `{}`; lowercase fields are catalog fields ({}), IAM elements are capitalized", f.key, m.key, schema::STATEMENT.names().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")), &f.key_span);
            }
        }
        let body = Value::new(
            Kind::Object(
                members
                    .iter()
                    .filter(|f| !schema::STATEMENT.has(&f.key))
                    .cloned()
                    .collect(),
            ),
            m.value.span.clone(),
        );
        let taken = self.catalog.statement(&m.key).is_some();
        let s = NamedStatement {
            name: self.name(m, taken, "statement"),
            description: self.opt_str(&m.value, "description").map(|s| s.value),
            claims: self.claims(&m.value),
            body,
        };
        if !taken {
            self.catalog.statements.push(s);
        }
    }

    pub(super) fn modifier(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::MODIFIER,
            &format!("modifier `{}`", m.key),
        );
        let taken = self.catalog.modifier(&m.key).is_some();
        let name = self.name(m, taken, "modifier");
        let add_condition = match m.value.get("add-condition") {
            Some(v) => {
                // Read as a statement's Condition element so the operator grammar is the same.
                let wrapper = Value::new(
                    Kind::Object(vec![
                        Member {
                            key: "Effect".into(),
                            key_span: v.span.clone(),
                            value: Value::string("Allow"),
                        },
                        Member {
                            key: "Action".into(),
                            key_span: v.span.clone(),
                            value: Value::string("*"),
                        },
                        Member {
                            key: "Resource".into(),
                            key_span: v.span.clone(),
                            value: Value::string("*"),
                        },
                        Member {
                            key: "Condition".into(),
                            key_span: v.span.clone(),
                            value: v.clone(),
                        },
                    ]),
                    v.span.clone(),
                );
                let read = Statement::read(&wrapper, PolicyKind::Identity);
                self.findings.extend(read.findings);
                read.value.map(|s| s.condition).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let applies_to = match self.opt_str(&m.value, "applies-to") {
            None => AppliesTo::Allow,
            Some(s) => AppliesTo::parse(&s.value).unwrap_or_else(|| {
                self.report(
                    Code::CatalogSchema,
                    format!("`applies-to` is allow, deny or all, not `{}`", s.value),
                    &s.span,
                );
                AppliesTo::Allow
            }),
        };
        let append = match m.value.get("append") {
            Some(v) => self.string_list(v, "append").unwrap_or_default(),
            None => Vec::new(),
        };
        if add_condition.is_empty() && append.is_empty() {
            self.report(
                Code::CatalogSchema,
                format!(
                    "modifier `{}` changes nothing: give `add-condition` or `append`",
                    m.key
                ),
                &m.key_span,
            );
        }
        if !taken {
            let description = self.opt_str(&m.value, "description").map(|s| s.value);
            self.catalog.modifiers.push(Modifier {
                name,
                description,
                add_condition,
                applies_to,
                append,
            });
        }
    }

    pub(super) fn callout(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::CALLOUT,
            &format!("callout `{}`", m.key),
        );
        let taken = self.catalog.callout(&m.key).is_some();
        let name = self.name(m, taken, "callout");
        let style = match self.opt_str(&m.value, "style") {
            None => CalloutStyle::Note,
            Some(s) => match CalloutStyle::ALL
                .into_iter()
                .find(|c| c.as_str() == s.value)
            {
                Some(c) => c,
                None => {
                    let mut f = Finding::at(
                        Code::CatalogSchema,
                        format!("unknown callout style `{}`", s.value),
                        &s.span,
                    );
                    f = f.with_help(
                        did_you_mean(&s.value, CalloutStyle::ALL.map(CalloutStyle::as_str))
                            .unwrap_or_else(|| {
                                "use troubleshooting, note, tip, important, warning or caution"
                                    .into()
                            }),
                    );
                    self.findings.push(f);
                    CalloutStyle::Note
                }
            },
        };
        let title = self.required_str(m, "title");
        let body = self.required_str(m, "body");
        let mut params = Vec::new();
        if let Some(pv) = m.value.get("params") {
            match pv.as_object() {
                None => self.report(Code::CatalogSchema, "`params` must be a table", &pv.span),
                Some(ps) => {
                    for p in ps {
                        if let Some(param) = self.param(p) {
                            params.push(param);
                        }
                    }
                }
            }
        }
        if let (Some(title), Some(body), false) = (title, body, taken) {
            for t in [&title, &body] {
                for (pname, range) in crate::catalog::template::placeholders(&t.value) {
                    if !params.iter().any(|p| p.name.value == pname) {
                        let span = crate::catalog::template::inner_span(&t.span, range);
                        self.findings.push(
                            Finding::at(Code::CatalogSchema, format!("`{{{pname}}}` is used in callout `{}` but not declared in its params", m.key), &span)
                                .with_help(format!("add `[callouts.{}.params.{pname}]`, or write `{{{{` for a literal brace", m.key)),
                        );
                    }
                }
            }
            self.catalog.callouts.push(Callout {
                name,
                style,
                title,
                body,
                params,
            });
        }
    }

    fn param(&mut self, p: &Member) -> Option<CalloutParam> {
        if p.value.as_object().is_none() {
            self.report(
                Code::CatalogSchema,
                format!(
                    "parameter `{}` must be a table such as {{ type = \"action\" }}",
                    p.key
                ),
                &p.value.span,
            );
            return None;
        }
        self.known_keys(
            p.value.as_object().unwrap_or(&[]),
            &schema::PARAM,
            &format!("parameter `{}`", p.key),
        );
        let ty = match self.opt_str(&p.value, "type") {
            None => ParamType::String,
            Some(s) => match ParamType::ALL.into_iter().find(|t| t.as_str() == s.value) {
                Some(t) => t,
                None => {
                    let f = Finding::at(
                        Code::CatalogSchema,
                        format!("unknown parameter type `{}`", s.value),
                        &s.span,
                    )
                    .with_help("use string, action, policy, role or condition-key");
                    self.findings.push(f);
                    ParamType::String
                }
            },
        };
        Some(CalloutParam {
            name: Spanned::new(p.key.clone(), p.key_span.clone()),
            ty,
            default: self.opt_str(&p.value, "default"),
            description: self.opt_str(&p.value, "description").map(|s| s.value),
        })
    }

    pub(super) fn condition_key(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::CONDITION_KEY,
            &format!("condition key `{}`", m.key),
        );
        let (Some(key_type), Some(description)) = (
            self.required_str(m, "type"),
            self.required_str(m, "description"),
        ) else {
            return;
        };
        if crate::iam::key_type::KeyType::parse(&key_type.value).is_none() {
            let mut f = Finding::at(
                Code::CatalogSchema,
                format!("unknown condition key type `{}`", key_type.value),
                &key_type.span,
            );
            f = f.with_help(
                did_you_mean(
                    &key_type.value,
                    crate::iam::key_type::KeyType::NAMES.iter().copied(),
                )
                .unwrap_or_else(|| {
                    format!(
                        "use one of: {}",
                        crate::iam::key_type::KeyType::NAMES.join(", ")
                    )
                }),
            );
            self.findings.push(f);
        }
        let values = self.opt_str(&m.value, "values").and_then(|s| {
            let rule = ValueRule::parse(&s.value);
            if rule.is_none() {
                self.report(
                    Code::CatalogSchema,
                    format!(
                        "unknown value rule `{}` (known: service-principal)",
                        s.value
                    ),
                    &s.span,
                );
            }
            rule
        });
        let taken = self.catalog.condition_key(&m.key).is_some();
        let key = self.name(m, taken, "condition key");
        if !taken {
            self.catalog.condition_keys.push(ConditionKeyDoc {
                key,
                key_type,
                description: description.value,
                values,
            });
        }
    }

    pub(super) fn deprecation(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::DEPRECATION,
            &format!("deprecation `{}`", m.key),
        );
        if !m.key.contains(':') {
            self.report(
                Code::CatalogSchema,
                format!(
                    "deprecations are keyed by action (`service:Action`), not `{}`",
                    m.key
                ),
                &m.key_span,
            );
        }
        let Some(hint) = self.required_str(m, "hint") else {
            return;
        };
        let since = m.value.get("since").map(|v| match &v.kind {
            Kind::String(s) => s.clone(),
            _ => v.span.text().to_string(),
        });
        let action = Spanned::new(m.key.clone(), m.key_span.clone());
        self.catalog.deprecations.push(Deprecation {
            action,
            since,
            hint: hint.value,
        });
    }

    pub(super) fn placeholder(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::PLACEHOLDER,
            &format!("placeholder `{}`", m.key),
        );
        let Some(example) = self.required_str(m, "example") else {
            return;
        };
        let taken = self
            .catalog
            .placeholders
            .iter()
            .any(|p| p.token.value == m.key);
        let token = self.name(m, taken, "placeholder");
        if !taken {
            let description = self.opt_str(&m.value, "description").map(|s| s.value);
            let param = self.opt_str(&m.value, "param");
            let param = param.filter(|p| self.placeholder_param(p));
            self.catalog.placeholders.push(Placeholder {
                token,
                example: example.value,
                description,
                param,
            });
        }
    }

    /// Whether a placeholder's `param` can be a directive parameter: a word of letters, digits,
    /// `-` and `_`, not `iam-policy`'s own `file`, and no other placeholder's.
    fn placeholder_param(&mut self, p: &Spanned<String>) -> bool {
        let word = !p.value.is_empty()
            && p.value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let problem = if !word {
            Some(format!(
                "placeholder parameter `{}` must be a word of letters, digits, `-` and `_`",
                p.value
            ))
        } else if p.value == crate::resolve::FILE_PARAM {
            Some(format!(
                "placeholder parameter `{}` is `iam-policy`'s own (the block's title)",
                p.value
            ))
        } else if self.catalog.placeholder_for_param(&p.value).is_some() {
            Some(format!(
                "placeholder parameter `{}` is given to two placeholders",
                p.value
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                self.report(Code::CatalogSchema, message, &p.span);
                false
            }
            None => true,
        }
    }

    /// `strict-placeholders = true | false` (top level).
    pub(super) fn strict_placeholders(&mut self, v: &Value) {
        match v.kind {
            Kind::Bool(b) => self.catalog.strict_placeholders = b,
            _ => self.report(
                Code::CatalogSchema,
                format!(
                    "`strict-placeholders` must be true or false, not {}",
                    v.type_name()
                ),
                &v.span,
            ),
        }
    }

    pub(super) fn role(&mut self, m: &Member) {
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &schema::ROLE,
            &format!("role `{}`", m.key),
        );
        let (Some(role_name), Some(trust_policy)) = (
            self.required_str(m, "name"),
            self.required_str(m, "trust-policy"),
        ) else {
            return;
        };
        self.iam_name(&role_name, "role", 64);
        let policies = match m.value.get("policies") {
            Some(v) => self.string_list(v, "policies").unwrap_or_default(),
            None => Vec::new(),
        };
        let taken = self.catalog.role(&m.key).is_some();
        let name = self.name(m, taken, "role");
        if !taken {
            let description = self.opt_str(&m.value, "description").map(|s| s.value);
            let claims = self.claims(&m.value);
            self.catalog.roles.push(Role {
                name,
                role_name: role_name.value,
                description,
                trust_policy,
                policies,
                claims,
            });
        }
    }

    /// `claims = ["denies s3:PutObject", ...]`: statements about access the entry must keep,
    /// each written after the entry's name (see `crate::eval::claim`).
    fn claims(&mut self, table: &Value) -> Vec<Spanned<String>> {
        match table.get("claims") {
            Some(v) => self.string_list(v, "claims").unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// IAM's rule for role and policy names: 1 to `max` characters from letters, digits and
    /// `+=,.@_-`. Such a name also needs no quoting in the commands readers copy.
    fn iam_name(&mut self, name: &Spanned<String>, what: &str, max: usize) {
        let ok = !name.value.is_empty()
            && name.value.len() <= max
            && name
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
        if !ok {
            self.report(
                Code::CatalogSchema,
                format!(
                    "`{}` is not a valid IAM {what} name: use 1 to {max} letters, digits and `+=,.@_-`",
                    name.value
                ),
                &name.span,
            );
        }
    }

    /// `[lints]`: `CODE = "allow" | "info" | "warn" | "deny"`, the team's level for each code (see
    /// `crate::diagnostic::levels`). An unknown code is reported at its key, a bad level at its
    /// value; codes whose level is fixed take only `deny`.
    pub(super) fn lints(&mut self, v: &Value) {
        use crate::diagnostic::levels::{Level, fixed_level};
        let Some(members) = v.as_object() else {
            self.report(Code::CatalogSchema, "`lints` must be a table", &v.span);
            return;
        };
        for m in members {
            let Some(&code) = Code::ALL.iter().find(|c| c.as_str() == m.key) else {
                let names = Code::ALL.iter().map(|c| c.as_str());
                let f = Finding::at(
                    Code::CatalogSchema,
                    format!("`[lints]` names `{}`, which is no code", m.key),
                    &m.key_span,
                )
                .with_help(did_you_mean(&m.key, names).unwrap_or_else(|| {
                    "the guide's page \"Diagnostic codes\" lists every code".into()
                }));
                self.findings.push(f);
                continue;
            };
            let Some(given) = self.str(&m.value, &format!("lints.{}", m.key)) else {
                continue;
            };
            let Some(level) = Level::parse(&given.value) else {
                let f = Finding::at(
                    Code::CatalogSchema,
                    format!(
                        "`{}` is not a level; a level is `allow`, `info`, `warn` or `deny`",
                        given.value
                    ),
                    &given.span,
                )
                .with_help(Level::help_for(&given.value));
                self.findings.push(f);
                continue;
            };
            if let Some(why) = fixed_level(code).filter(|_| level != Level::Deny) {
                self.report(
                    Code::CatalogSchema,
                    format!("the level of `{}` cannot be set: {why}", m.key),
                    &given.span,
                );
                continue;
            }
            self.catalog.lints.set(code, level, m.key_span.clone());
        }
    }
}
