//! The catalog (`iam-catalog.toml`): policies, reusable statements, modifiers, callout templates,
//! condition-key documentation, deprecations, placeholders and roles, read with the place of every
//! entry so that catalog errors point at a catalog line. Loading only reads; `Catalog::check`
//! validates what was read.

use crate::diagnostic::{Code, Finding, did_you_mean};
use crate::json::{Kind, Member, Value};
use crate::policy::{ConditionClause, Effect, Policy, PolicyKind, Sp, Statement};
use crate::source::{SourceFile, Span};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const DEFAULT_FILE_NAME: &str = "iam-catalog.toml";

/// The catalog schema this binary reads. A catalog may declare any 1.x up to this minor version.
pub const SCHEMA_VERSION: semver::Version = semver::Version::new(1, 0, 0);

#[derive(Debug, Clone)]
pub struct CatalogPolicy {
    pub name: Sp<String>,
    pub kind: PolicyKind,
    /// The file name readers save the policy as; shown as the code block's title.
    pub file: Option<String>,
    /// The IAM policy name, used by the role commands.
    pub policy_name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub modifiers: Vec<Sp<String>>,
    pub statements: Vec<StatementRef>,
}

#[derive(Debug, Clone)]
pub enum StatementRef {
    Inline(Value),
    Named(Sp<String>),
}

#[derive(Debug, Clone)]
pub struct NamedStatement {
    pub name: Sp<String>,
    pub description: Option<String>,
    /// The statement's IAM elements (the table without its lowercase catalog fields).
    pub body: Value,
}

/// Which statements a modifier's condition is added to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliesTo {
    Allow,
    Deny,
    All,
}

impl AppliesTo {
    pub fn matches(self, s: &Statement) -> bool {
        match self {
            AppliesTo::All => true,
            AppliesTo::Allow => s.is_allow(),
            AppliesTo::Deny => matches!(
                s.effect,
                Some(Sp {
                    value: Effect::Deny,
                    ..
                })
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Modifier {
    pub name: Sp<String>,
    pub description: Option<String>,
    pub add_condition: Vec<ConditionClause>,
    pub applies_to: AppliesTo,
    pub append: Vec<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutStyle {
    /// Collapsible `<details>`: for troubleshooting entries.
    Troubleshooting,
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutStyle {
    pub const ALL: [CalloutStyle; 6] = [
        CalloutStyle::Troubleshooting,
        CalloutStyle::Note,
        CalloutStyle::Tip,
        CalloutStyle::Important,
        CalloutStyle::Warning,
        CalloutStyle::Caution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CalloutStyle::Troubleshooting => "troubleshooting",
            CalloutStyle::Note => "note",
            CalloutStyle::Tip => "tip",
            CalloutStyle::Important => "important",
            CalloutStyle::Warning => "warning",
            CalloutStyle::Caution => "caution",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    /// A valid IAM action (`service:Action`), checked like actions in policies.
    Action,
    /// The name of a catalog policy.
    Policy,
    /// The name of a catalog role.
    Role,
    /// A condition key.
    ConditionKey,
}

impl ParamType {
    pub const ALL: [ParamType; 5] = [
        ParamType::String,
        ParamType::Action,
        ParamType::Policy,
        ParamType::Role,
        ParamType::ConditionKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Action => "action",
            ParamType::Policy => "policy",
            ParamType::Role => "role",
            ParamType::ConditionKey => "condition-key",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Sp<String>,
    pub ty: ParamType,
    pub default: Option<Sp<String>>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Callout {
    pub name: Sp<String>,
    pub style: CalloutStyle,
    pub title: Sp<String>,
    pub body: Sp<String>,
    pub params: Vec<Param>,
}

/// What a condition key's values must look like beyond its IAM type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRule {
    /// A service principal such as `aws-mcp.amazonaws.com`.
    ServicePrincipal,
}

#[derive(Debug, Clone)]
pub struct ConditionKeyDoc {
    pub key: Sp<String>,
    /// IAM's type name as AWS documents it: String, ARN, Bool, Numeric, Date, IPAddress, Binary, ArrayOfString, ...
    pub key_type: Sp<String>,
    pub description: String,
    pub values: Option<ValueRule>,
}

#[derive(Debug, Clone)]
pub struct Deprecation {
    /// An action or action pattern (`aws-mcp:*`).
    pub action: Sp<String>,
    pub since: Option<String>,
    pub hint: String,
}

#[derive(Debug, Clone)]
pub struct Placeholder {
    pub token: Sp<String>,
    pub example: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub name: Sp<String>,
    pub role_name: String,
    pub description: Option<String>,
    pub trust_policy: Sp<String>,
    pub policies: Vec<Sp<String>>,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub files: Vec<Arc<SourceFile>>,
    pub schema_version: Option<Sp<String>>,
    pub policies: Vec<CatalogPolicy>,
    pub statements: Vec<NamedStatement>,
    pub modifiers: Vec<Modifier>,
    pub callouts: Vec<Callout>,
    pub condition_keys: Vec<ConditionKeyDoc>,
    pub deprecations: Vec<Deprecation>,
    pub placeholders: Vec<Placeholder>,
    pub roles: Vec<Role>,
}

/// The retirements every catalog gets, whether or not it lists them.
pub fn default_deprecations() -> Vec<Deprecation> {
    const HINT: &str = "since 2026-03-24 the AWS MCP Server authorizes each call with the downstream service's own actions (for example `s3:GetObject`); grant those, and scope them to MCP with the `aws:ViaAWSMCPService` or `aws:CalledViaAWSMCP` condition keys";
    [
        "aws-mcp:InvokeMcp",
        "aws-mcp:CallReadOnlyTool",
        "aws-mcp:CallReadWriteTool",
    ]
    .into_iter()
    .map(|a| Deprecation {
        action: Sp::new(a.to_string(), Span::generated()),
        since: Some("2026-03-24".into()),
        hint: HINT.into(),
    })
    .collect()
}

pub struct Loaded {
    pub catalog: Catalog,
    pub findings: Vec<Finding>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

impl Catalog {
    /// Reads a catalog and the files it includes. Includes must stay inside `root`.
    pub fn load(path: &Path, root: &Path) -> Loaded {
        let mut loader = Loader {
            catalog: Catalog::default(),
            findings: Vec::new(),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            seen: Vec::new(),
        };
        loader.file(path, None);
        Loaded {
            catalog: loader.catalog,
            findings: loader.findings,
        }
    }

    /// Reads a catalog from text (for tests and stdin); includes are not allowed.
    pub fn from_text(name: &str, text: &str) -> Loaded {
        let mut loader = Loader {
            catalog: Catalog::default(),
            findings: Vec::new(),
            root: PathBuf::new(),
            seen: Vec::new(),
        };
        loader.text(SourceFile::new(name, text), None);
        Loaded {
            catalog: loader.catalog,
            findings: loader.findings,
        }
    }

    pub fn policy(&self, name: &str) -> Option<&CatalogPolicy> {
        self.policies.iter().find(|p| p.name.value == name)
    }
    pub fn statement(&self, name: &str) -> Option<&NamedStatement> {
        self.statements.iter().find(|p| p.name.value == name)
    }
    pub fn modifier(&self, name: &str) -> Option<&Modifier> {
        self.modifiers.iter().find(|p| p.name.value == name)
    }
    pub fn callout(&self, name: &str) -> Option<&Callout> {
        self.callouts.iter().find(|p| p.name.value == name)
    }
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|p| p.name.value == name)
    }
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKeyDoc> {
        self.condition_keys
            .iter()
            .find(|k| k.key.value.eq_ignore_ascii_case(key))
    }

    /// The deprecation that covers an action, if any (catalog entries first, then the defaults).
    pub fn deprecation_for(&self, action: &str) -> Option<Deprecation> {
        let matches = |d: &Deprecation| {
            crate::wildcard::matches_ignore_case(&d.action.value, action)
                || crate::wildcard::matches_ignore_case(action, &d.action.value)
        };
        self.deprecations
            .iter()
            .find(|d| matches(d))
            .cloned()
            .or_else(|| default_deprecations().into_iter().find(|d| matches(d)))
    }

    /// The catalog's rule for a key's values, else the one every catalog gets: keys whose values
    /// are service principals (`crate::iam::service_principals`'s table).
    pub fn value_rule(&self, key: &str) -> Option<ValueRule> {
        self.condition_key(key).and_then(|k| k.values).or_else(|| {
            crate::iam::service_principals::service_principal_key(key)
                .map(|_| ValueRule::ServicePrincipal)
        })
    }

    /// Builds a catalog policy as published: its statements, then its own modifiers, then `extra`.
    /// Unknown statement or modifier names are reported at `used_at` (a directive) when given.
    pub fn build_policy(
        &self,
        policy: &CatalogPolicy,
        extra: &[Sp<String>],
    ) -> (Policy, Vec<Finding>) {
        let mut findings = Vec::new();
        let mut statements = Vec::new();
        for r in &policy.statements {
            if let Some(s) = self.read_statement_ref(r, policy.kind, &mut findings) {
                statements.push(s);
            }
        }
        let mut built = Policy::from_statements(statements, policy.name.span.clone());
        for m in policy.modifiers.iter().chain(extra) {
            match self.modifier(&m.value) {
                Some(modifier) => self.apply(modifier, &mut built, policy.kind, &mut findings),
                None => findings.push(self.unknown_modifier(m)),
            }
        }
        (built, findings)
    }

    pub fn unknown_modifier(&self, m: &Sp<String>) -> Finding {
        let mut f = Finding::at(
            Code::UnknownModifier,
            format!("no modifier named `{}` in the catalog", m.value),
            &m.span,
        );
        if let Some(h) = did_you_mean(
            &m.value,
            self.modifiers.iter().map(|x| x.name.value.as_str()),
        ) {
            f = f.with_help(h);
        }
        f
    }

    pub fn unknown_statement(&self, n: &Sp<String>) -> Finding {
        let mut f = Finding::at(
            Code::UnknownStatement,
            format!("no statement named `{}` in the catalog", n.value),
            &n.span,
        );
        if let Some(h) = did_you_mean(
            &n.value,
            self.statements.iter().map(|x| x.name.value.as_str()),
        ) {
            f = f.with_help(h);
        }
        f
    }

    fn read_statement_ref(
        &self,
        r: &StatementRef,
        kind: PolicyKind,
        findings: &mut Vec<Finding>,
    ) -> Option<Statement> {
        let body = match r {
            StatementRef::Inline(v) => v,
            StatementRef::Named(n) => match self.statement(&n.value) {
                Some(s) => &s.body,
                None => {
                    findings.push(self.unknown_statement(n));
                    return None;
                }
            },
        };
        let read = Statement::read(body, kind);
        findings.extend(read.findings);
        read.value
    }

    /// Reads a named statement on its own (for `iam-statement`).
    pub fn build_statement(&self, s: &NamedStatement) -> (Option<Statement>, Vec<Finding>) {
        let read = Statement::read(&s.body, PolicyKind::Identity);
        (read.value, read.findings)
    }

    fn apply(
        &self,
        m: &Modifier,
        policy: &mut Policy,
        kind: PolicyKind,
        findings: &mut Vec<Finding>,
    ) {
        if !m.add_condition.is_empty() {
            for s in policy
                .statements
                .iter_mut()
                .filter(|s| m.applies_to.matches(s))
            {
                for clause in &m.add_condition {
                    merge_clause(&mut s.condition, clause);
                }
            }
        }
        for name in &m.append {
            let Some(s) =
                self.read_statement_ref(&StatementRef::Named(name.clone()), kind, findings)
            else {
                continue;
            };
            let already = policy.statements.iter().any(|p| match (&p.sid, &s.sid) {
                (Some(a), Some(b)) => a.value == b.value,
                _ => p.to_value() == s.to_value(),
            });
            if !already {
                policy.statements.push(s);
            }
        }
    }

    /// Every catalog-level problem: dangling references, callout defaults, and every policy as
    /// built with its own modifiers (grammar here; the validator adds the rest).
    pub fn check_references(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        for m in &self.modifiers {
            for a in &m.append {
                if self.statement(&a.value).is_none() {
                    findings.push(self.unknown_statement(a));
                }
            }
        }
        for r in &self.roles {
            match self.policy(&r.trust_policy.value) {
                None => findings.push(unknown_name(
                    Code::UnknownPolicy,
                    "policy",
                    &r.trust_policy,
                    self.policies.iter().map(|p| p.name.value.as_str()),
                )),
                Some(p) if p.kind != PolicyKind::Trust => findings.push(Finding::at(
                    Code::CatalogSchema,
                    format!(
                        "`{}` is a {} policy; a role's trust-policy must be a trust policy",
                        p.name.value,
                        p.kind.as_str()
                    ),
                    &r.trust_policy.span,
                )),
                _ => {}
            }
            for p in &r.policies {
                match self.policy(&p.value) {
                    None => findings.push(unknown_name(Code::UnknownPolicy, "policy", p, self.policies.iter().map(|p| p.name.value.as_str()))),
                    Some(pol) if pol.kind != PolicyKind::Identity => findings.push(Finding::at(
                        Code::CatalogSchema,
                        format!("`{}` is a {} policy; a role's permission policies must be identity policies", pol.name.value, pol.kind.as_str()),
                        &p.span,
                    )),
                    Some(pol) if pol.policy_name.is_none() => findings.push(
                        Finding::at(Code::CatalogSchema, format!("policy `{}` is attached to a role but has no `name`", pol.name.value), &pol.name.span)
                            .with_help("add `name = \"...\"`: the IAM policy name that `aws iam put-role-policy` uses"),
                    ),
                    _ => {}
                }
            }
        }
        findings
    }
}

pub fn unknown_name<'a>(
    code: Code,
    what: &str,
    name: &Sp<String>,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Finding {
    let mut f = Finding::at(
        code,
        format!("no {what} named `{}` in the catalog", name.value),
        &name.span,
    );
    if let Some(h) = did_you_mean(&name.value, candidates) {
        f = f.with_help(h);
    }
    f
}

/// Adds a clause's entries to a statement's conditions, joining an existing clause with the same
/// operator; an entry for a key the clause already has replaces it.
fn merge_clause(conditions: &mut Vec<ConditionClause>, add: &ConditionClause) {
    match conditions
        .iter_mut()
        .find(|c| c.operator.value == add.operator.value)
    {
        Some(existing) => {
            for e in &add.entries {
                match existing
                    .entries
                    .iter_mut()
                    .find(|x| x.key.value == e.key.value)
                {
                    Some(x) => *x = e.clone(),
                    None => existing.entries.push(e.clone()),
                }
            }
        }
        None => conditions.push(add.clone()),
    }
}

struct Loader {
    catalog: Catalog,
    findings: Vec<Finding>,
    root: PathBuf,
    seen: Vec<PathBuf>,
}

const TOP_LEVEL: [&str; 10] = [
    "schema-version",
    "include",
    "policies",
    "statements",
    "modifiers",
    "callouts",
    "condition-keys",
    "deprecations",
    "placeholders",
    "roles",
];

impl Loader {
    fn file(&mut self, path: &Path, included_at: Option<&Span>) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                let code = if included_at.is_some() {
                    Code::CatalogInclude
                } else {
                    Code::CatalogNotFound
                };
                self.findings.push(Finding::new(
                    code,
                    format!("cannot read catalog `{}`: {e}", path.display()),
                    included_at.cloned(),
                ));
                return;
            }
        };
        if let Ok(canon) = path.canonicalize() {
            if self.seen.contains(&canon) {
                self.findings.push(Finding::new(
                    Code::CatalogInclude,
                    format!("`{}` is included twice", path.display()),
                    included_at.cloned(),
                ));
                return;
            }
            self.seen.push(canon);
        }
        let file = SourceFile::new(crate::source::display_path(path), text);
        self.text(file, Some(path));
    }

    fn text(&mut self, file: Arc<SourceFile>, path: Option<&Path>) {
        self.catalog.files.push(Arc::clone(&file));
        let doc = match toml_to_value(&file) {
            Ok(v) => v,
            Err(f) => {
                self.findings.push(f);
                return;
            }
        };
        let members = doc.as_object().unwrap_or(&[]);
        self.known_keys(members, &TOP_LEVEL, "the catalog");
        for m in members {
            match m.key.as_str() {
                "schema-version" => self.schema_version(&m.value),
                "include" => {
                    let Some(list) = self.string_list(&m.value, "include") else {
                        continue;
                    };
                    for inc in list {
                        self.include(&inc, path);
                    }
                }
                "policies" => self.each(&m.value, "policies", Self::policy),
                "statements" => self.each(&m.value, "statements", Self::statement),
                "modifiers" => self.each(&m.value, "modifiers", Self::modifier),
                "callouts" => self.each(&m.value, "callouts", Self::callout),
                "condition-keys" => self.each(&m.value, "condition-keys", Self::condition_key),
                "deprecations" => self.each(&m.value, "deprecations", Self::deprecation),
                "placeholders" => self.each(&m.value, "placeholders", Self::placeholder),
                "roles" => self.each(&m.value, "roles", Self::role),
                _ => {}
            }
        }
    }

    fn include(&mut self, inc: &Sp<String>, from: Option<&Path>) {
        let Some(from) = from else {
            self.findings.push(Finding::at(
                Code::CatalogInclude,
                "includes need a catalog read from a file",
                &inc.span,
            ));
            return;
        };
        let target = from.parent().unwrap_or(Path::new(".")).join(&inc.value);
        let inside = target
            .canonicalize()
            .map(|c| c.starts_with(&self.root))
            .unwrap_or(true);
        if !inside {
            self.findings.push(Finding::at(
                Code::CatalogInclude,
                format!(
                    "`{}` is outside the docs tree (`{}`); includes must stay inside it",
                    inc.value,
                    self.root.display()
                ),
                &inc.span,
            ));
            return;
        }
        self.file(&target, Some(&inc.span));
    }

    fn schema_version(&mut self, v: &Value) {
        let Some(s) = self.str(v, "schema-version") else {
            return;
        };
        let padded = match s.value.matches('.').count() {
            0 => format!("{}.0.0", s.value),
            1 => format!("{}.0", s.value),
            _ => s.value.clone(),
        };
        match semver::Version::parse(&padded) {
            Ok(ver) => {
                let req = semver::VersionReq::parse(&format!("^{}.0", SCHEMA_VERSION.major))
                    .expect("valid requirement");
                if !req.matches(&ver) || ver.minor > SCHEMA_VERSION.minor {
                    self.findings.push(
                        Finding::at(Code::CatalogVersion, format!("catalog schema {ver} is not supported; this mdbook-iam reads schema {}.0 to {}", SCHEMA_VERSION.major, SCHEMA_VERSION), &s.span)
                            .with_help(if ver > SCHEMA_VERSION { "upgrade mdbook-iam" } else { "update the catalog to the current schema" }),
                    );
                }
            }
            Err(e) => self.findings.push(Finding::at(
                Code::CatalogVersion,
                format!("`{}` is not a semantic version: {e}", s.value),
                &s.span,
            )),
        }
        if self.catalog.schema_version.is_none() {
            self.catalog.schema_version = Some(s);
        }
    }

    fn report(&mut self, code: Code, message: impl Into<String>, span: &Span) {
        self.findings.push(Finding::at(code, message, span));
    }

    fn known_keys(&mut self, members: &[Member], allowed: &[&str], what: &str) {
        for m in members {
            if !allowed.contains(&m.key.as_str()) {
                let mut f = Finding::at(
                    Code::CatalogSchema,
                    format!("unknown field `{}` in {what}", m.key),
                    &m.key_span,
                );
                f = match did_you_mean(&m.key, allowed.iter().copied()) {
                    Some(h) => f.with_help(h),
                    None => f.with_help(format!("expected one of: {}", allowed.join(", "))),
                };
                self.findings.push(f);
            }
        }
    }

    fn each(&mut self, v: &Value, what: &str, f: fn(&mut Self, &Member)) {
        let Some(members) = v.as_object() else {
            self.report(
                Code::CatalogSchema,
                format!("`{what}` must be a table"),
                &v.span,
            );
            return;
        };
        for m in members {
            if m.value.as_object().is_none() {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}.{}` must be a table", m.key),
                    &m.value.span,
                );
                continue;
            }
            f(self, m);
        }
    }

    fn str(&mut self, v: &Value, what: &str) -> Option<Sp<String>> {
        match v.as_str() {
            Some(s) => Some(Sp::new(s.to_string(), v.span.clone())),
            None => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}` must be a string, not {}", v.type_name()),
                    &v.span,
                );
                None
            }
        }
    }

    fn opt_str(&mut self, table: &Value, key: &str) -> Option<Sp<String>> {
        let v = table.get(key)?;
        self.str(v, key)
    }

    fn required_str(&mut self, m: &Member, key: &str) -> Option<Sp<String>> {
        match m.value.get(key) {
            Some(v) => self.str(v, key),
            None => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{}` needs a `{key}`", m.key),
                    &m.key_span,
                );
                None
            }
        }
    }

    fn string_list(&mut self, v: &Value, what: &str) -> Option<Vec<Sp<String>>> {
        match &v.kind {
            Kind::Array(items) => Some(items.iter().filter_map(|i| self.str(i, what)).collect()),
            _ => {
                self.report(
                    Code::CatalogSchema,
                    format!("`{what}` must be an array of strings"),
                    &v.span,
                );
                None
            }
        }
    }

    fn name(&mut self, m: &Member, taken: bool, what: &str) -> Sp<String> {
        let name = Sp::new(m.key.clone(), m.key_span.clone());
        if taken {
            self.report(
                Code::CatalogInclude,
                format!("{what} `{}` is defined twice", m.key),
                &m.key_span,
            );
        }
        name
    }

    fn policy(&mut self, m: &Member) {
        const FIELDS: [&str; 7] = [
            "kind",
            "file",
            "name",
            "title",
            "description",
            "modifiers",
            "statements",
        ];
        let members = m.value.as_object().unwrap_or(&[]);
        self.known_keys(members, &FIELDS, &format!("policy `{}`", m.key));
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
                        Kind::String(s) => statements.push(StatementRef::Named(Sp::new(s.clone(), item.span.clone()))),
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
        let policy = CatalogPolicy {
            name,
            kind,
            file: self.opt_str(&m.value, "file").map(|s| s.value),
            policy_name: self.opt_str(&m.value, "name").map(|s| s.value),
            title: self.opt_str(&m.value, "title").map(|s| s.value),
            description: self.opt_str(&m.value, "description").map(|s| s.value),
            modifiers,
            statements,
        };
        if !taken {
            self.catalog.policies.push(policy);
        }
    }

    fn statement(&mut self, m: &Member) {
        let members = m.value.as_object().unwrap_or(&[]);
        for f in members {
            let lower = f.key.starts_with(|c: char| c.is_ascii_lowercase());
            if lower && f.key != "description" {
                self.report(Code::CatalogSchema, format!("unknown field `{}` in statement `{}`; lowercase fields are catalog fields (only `description`), IAM elements are capitalized", f.key, m.key), &f.key_span);
            }
        }
        let body = Value::new(
            Kind::Object(
                members
                    .iter()
                    .filter(|f| f.key != "description")
                    .cloned()
                    .collect(),
            ),
            m.value.span.clone(),
        );
        let taken = self.catalog.statement(&m.key).is_some();
        let s = NamedStatement {
            name: self.name(m, taken, "statement"),
            description: self.opt_str(&m.value, "description").map(|s| s.value),
            body,
        };
        if !taken {
            self.catalog.statements.push(s);
        }
    }

    fn modifier(&mut self, m: &Member) {
        const FIELDS: [&str; 4] = ["description", "add-condition", "applies-to", "append"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
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
            Some(s) => match s.value.as_str() {
                "allow" => AppliesTo::Allow,
                "deny" => AppliesTo::Deny,
                "all" => AppliesTo::All,
                other => {
                    self.report(
                        Code::CatalogSchema,
                        format!("`applies-to` is allow, deny or all, not `{other}`"),
                        &s.span,
                    );
                    AppliesTo::Allow
                }
            },
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

    fn callout(&mut self, m: &Member) {
        const FIELDS: [&str; 4] = ["style", "title", "body", "params"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
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
                for (pname, range) in crate::template::placeholders(&t.value) {
                    if !params.iter().any(|p| p.name.value == pname) {
                        let span = crate::template::inner_span(&t.span, range);
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

    fn param(&mut self, p: &Member) -> Option<Param> {
        const FIELDS: [&str; 3] = ["type", "default", "description"];
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
            &FIELDS,
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
        Some(Param {
            name: Sp::new(p.key.clone(), p.key_span.clone()),
            ty,
            default: self.opt_str(&p.value, "default"),
            description: self.opt_str(&p.value, "description").map(|s| s.value),
        })
    }

    fn condition_key(&mut self, m: &Member) {
        const FIELDS: [&str; 3] = ["type", "description", "values"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
            &format!("condition key `{}`", m.key),
        );
        let (Some(key_type), Some(description)) = (
            self.required_str(m, "type"),
            self.required_str(m, "description"),
        ) else {
            return;
        };
        if crate::keys::KeyType::parse(&key_type.value).is_none() {
            let mut f = Finding::at(
                Code::CatalogSchema,
                format!("unknown condition key type `{}`", key_type.value),
                &key_type.span,
            );
            f = f.with_help(
                did_you_mean(&key_type.value, crate::keys::KeyType::NAMES.iter().copied())
                    .unwrap_or_else(|| {
                        format!("use one of: {}", crate::keys::KeyType::NAMES.join(", "))
                    }),
            );
            self.findings.push(f);
        }
        let values = match self.opt_str(&m.value, "values") {
            None => None,
            Some(s) if s.value == "service-principal" => Some(ValueRule::ServicePrincipal),
            Some(s) => {
                self.report(
                    Code::CatalogSchema,
                    format!(
                        "unknown value rule `{}` (known: service-principal)",
                        s.value
                    ),
                    &s.span,
                );
                None
            }
        };
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

    fn deprecation(&mut self, m: &Member) {
        const FIELDS: [&str; 2] = ["since", "hint"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
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
        let action = Sp::new(m.key.clone(), m.key_span.clone());
        self.catalog.deprecations.push(Deprecation {
            action,
            since,
            hint: hint.value,
        });
    }

    fn placeholder(&mut self, m: &Member) {
        const FIELDS: [&str; 2] = ["example", "description"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
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
            self.catalog.placeholders.push(Placeholder {
                token,
                example: example.value,
                description,
            });
        }
    }

    fn role(&mut self, m: &Member) {
        const FIELDS: [&str; 4] = ["name", "description", "trust-policy", "policies"];
        self.known_keys(
            m.value.as_object().unwrap_or(&[]),
            &FIELDS,
            &format!("role `{}`", m.key),
        );
        let (Some(role_name), Some(trust_policy)) = (
            self.required_str(m, "name"),
            self.required_str(m, "trust-policy"),
        ) else {
            return;
        };
        let policies = match m.value.get("policies") {
            Some(v) => self.string_list(v, "policies").unwrap_or_default(),
            None => Vec::new(),
        };
        let taken = self.catalog.role(&m.key).is_some();
        let name = self.name(m, taken, "role");
        if !taken {
            let description = self.opt_str(&m.value, "description").map(|s| s.value);
            self.catalog.roles.push(Role {
                name,
                role_name: role_name.value,
                description,
                trust_policy,
                policies,
            });
        }
    }
}

/// Reads TOML into the same spanned value tree as JSON, so catalog statements and pasted JSON go
/// through one policy reader.
fn toml_to_value(file: &Arc<SourceFile>) -> Result<Value, Finding> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(file.text()).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Finding::at(
            Code::CatalogSyntax,
            format!("invalid TOML: {}", e.message().trim()),
            &Span::new(file, span),
        )
    })?;
    fn convert(v: &toml::Spanned<DeValue<'_>>, file: &Arc<SourceFile>) -> Value {
        let span = Span::new(file, v.span());
        let kind = match v.get_ref() {
            DeValue::String(s) => Kind::String(s.to_string()),
            DeValue::Integer(i) => Kind::Number(i.as_str().to_string()),
            DeValue::Float(f) => Kind::Number(f.as_str().to_string()),
            DeValue::Boolean(b) => Kind::Bool(*b),
            DeValue::Datetime(d) => Kind::String(d.to_string()),
            DeValue::Array(items) => Kind::Array(items.iter().map(|i| convert(i, file)).collect()),
            DeValue::Table(t) => Kind::Object(
                t.iter()
                    .map(|(k, v)| Member {
                        key: k.get_ref().to_string(),
                        key_span: Span::new(file, k.span()),
                        value: convert(v, file),
                    })
                    .collect(),
            ),
        };
        Value::new(kind, span)
    }
    let span = Span::new(file, table.span());
    let members = table
        .get_ref()
        .iter()
        .map(|(k, v)| Member {
            key: k.get_ref().to_string(),
            key_span: Span::new(file, k.span()),
            value: convert(v, file),
        })
        .collect();
    Ok(Value::new(Kind::Object(members), span))
}
