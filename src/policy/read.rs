//! Reading a JSON document into the policy model, checking IAM's grammar on the way (checklist A,
//! B and the operator grammar of E). Parts that cannot be read are left out and reported.
//! One reader for every element, kept in one file because the elements' rules refer to each
//! other (a Principal makes sense only for some kinds, Action and NotAction exclude each other);
//! about a fifth of it is its tests.

use super::*;
use crate::diagnostic::{Code, Finding};
use crate::iam::element::{self, CURRENT_VERSION, OLD_VERSION};
use crate::iam::operator::{Operator, OperatorFamily};
use crate::iam::principal::PrincipalType;
use crate::json::{Kind, Member, Value};
use crate::source::{Span, Spanned};

impl Policy {
    /// Reads a whole policy document.
    pub fn read(doc: &Value, kind: PolicyKind) -> Read<Policy> {
        let mut r = Reader::default();
        let policy = r.policy(doc, kind);
        Read {
            value: policy,
            findings: r.findings,
        }
    }
}

impl Statement {
    /// Reads one statement object (used for reusable statements too).
    pub fn read(v: &Value, kind: PolicyKind) -> Read<Option<Statement>> {
        let mut r = Reader::default();
        r.characters(v);
        let s = r.statement(v, kind);
        Read {
            value: s,
            findings: r.findings,
        }
    }
}

#[derive(Default)]
struct Reader {
    findings: Vec<Finding>,
}

impl Reader {
    fn report(&mut self, code: Code, message: impl Into<String>, span: &Span) {
        self.findings.push(Finding::at(code, message, span));
    }

    /// Members of an object, reporting duplicate keys once each.
    fn members<'v>(&mut self, v: &'v Value, what: &str) -> Option<&'v [Member]> {
        let Some(members) = v.as_object() else {
            self.report(
                Code::InvalidElementType,
                format!("{what} must be an object, not {}", v.type_name()),
                &v.span,
            );
            return None;
        };
        for (i, m) in members.iter().enumerate() {
            if members[..i].iter().any(|p| p.key == m.key) {
                self.report(
                    Code::DuplicateKey,
                    format!(
                        "`{}` appears twice in {what}; IAM rejects duplicate keys",
                        m.key
                    ),
                    &m.key_span,
                );
            }
        }
        Some(members)
    }

    fn unknown_element(&mut self, m: &Member, allowed: &[&str], what: &str) {
        let mut f = Finding::at(
            Code::UnknownElement,
            format!("`{}` is not a {what} element", m.key),
            &m.key_span,
        );
        let case_match = allowed.iter().find(|a| a.eq_ignore_ascii_case(&m.key));
        let hint = match case_match {
            Some(a) => Some(format!(
                "did you mean `{a}`? element names are case-sensitive"
            )),
            None => crate::diagnostic::did_you_mean(&m.key, allowed.iter().copied()),
        };
        if let Some(h) = hint {
            f = f.with_help(h);
        }
        self.findings.push(f);
    }

    fn string(&mut self, v: &Value, what: &str) -> Option<Spanned<String>> {
        match v.as_str() {
            Some(s) => Some(Spanned::new(s.to_string(), v.span.clone())),
            None => {
                self.report(
                    Code::InvalidElementType,
                    format!("{what} must be a string, not {}", v.type_name()),
                    &v.span,
                );
                None
            }
        }
    }

    fn string_list(&mut self, v: &Value, what: &str) -> Option<List<String>> {
        let (items, written_as_array) = match &v.kind {
            Kind::Array(items) => (items.as_slice(), true),
            _ => (std::slice::from_ref(v), false),
        };
        if written_as_array && items.is_empty() {
            self.report(
                Code::EmptyValue,
                format!("{what} is an empty array"),
                &v.span,
            );
        }
        let items = items
            .iter()
            .filter_map(|i| self.string(i, &format!("each value of {what}")))
            .collect();
        Some(List {
            items,
            written_as_array,
            span: v.span.clone(),
        })
    }

    /// IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF in a policy.
    fn characters(&mut self, v: &Value) {
        match &v.kind {
            Kind::String(s) => self.check_characters(s, &v.span),
            Kind::Array(items) => items.iter().for_each(|i| self.characters(i)),
            Kind::Object(members) => {
                for m in members {
                    self.check_characters(&m.key, &m.key_span);
                    self.characters(&m.value);
                }
            }
            _ => {}
        }
    }

    fn check_characters(&mut self, s: &str, span: &Span) {
        // Most text is printable ASCII: a test on bytes first, the chars only when it fails.
        if s.bytes()
            .all(|b| (0x20..0x80).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
        {
            return;
        }
        if let Some(c) = s
            .chars()
            .find(|&c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
        {
            self.findings.push(
                Finding::at(Code::InvalidCharacter, format!("`{c}` (U+{:04X}) is not a character IAM accepts in a policy", c as u32), span)
                    .with_help("IAM accepts tab, line feed, carriage return and U+0020 to U+00FF; replace it (typographic quotes and dashes are the usual culprits)"),
            );
        }
    }

    fn policy(&mut self, doc: &Value, kind: PolicyKind) -> Policy {
        self.characters(doc);
        let mut policy = Policy {
            version: None,
            id: None,
            statements: Vec::new(),
            span: doc.span.clone(),
        };
        let Some(members) = self.members(doc, "the policy") else {
            return policy;
        };
        let mut statement_seen = false;
        for m in members {
            match m.key.as_str() {
                element::VERSION => policy.version = self.string(&m.value, "Version"),
                element::ID => {
                    policy.id = self.string(&m.value, "Id");
                    if kind == PolicyKind::Identity {
                        self.report(
                            Code::IdInIdentityPolicy,
                            "identity policies must not have an `Id`",
                            &m.key_span,
                        );
                    }
                }
                element::STATEMENT => {
                    statement_seen = true;
                    let items = match &m.value.kind {
                        Kind::Array(items) => {
                            if items.is_empty() {
                                self.report(
                                    Code::EmptyValue,
                                    "Statement is an empty array",
                                    &m.value.span,
                                );
                            }
                            items.as_slice()
                        }
                        Kind::Object(_) => std::slice::from_ref(&m.value),
                        _ => {
                            self.report(
                                Code::InvalidElementType,
                                format!(
                                    "Statement must be an object or an array of objects, not {}",
                                    m.value.type_name()
                                ),
                                &m.value.span,
                            );
                            &[]
                        }
                    };
                    for item in items {
                        if let Some(s) = self.statement(item, kind) {
                            policy.statements.push(s);
                        }
                    }
                }
                _ => self.unknown_element(m, &element::POLICY, "policy"),
            }
        }
        match &policy.version {
            None => self.findings.push(
                Finding::at(
                    Code::MissingVersion,
                    "the policy has no `Version`",
                    &doc.span,
                )
                .with_help(format!("add \"Version\": \"{CURRENT_VERSION}\"")),
            ),
            Some(v) if v.value == CURRENT_VERSION => {}
            Some(v) if v.value == OLD_VERSION => self.findings.push(
                Finding::at(
                    Code::OldVersion,
                    "Version 2008-10-17 disables policy variables",
                    &v.span,
                )
                .with_help(format!("use \"{CURRENT_VERSION}\"")),
            ),
            Some(v) => self.findings.push(
                Finding::at(
                    Code::InvalidVersion,
                    format!("`{}` is not an IAM policy version", v.value),
                    &v.span,
                )
                .with_help(format!("use \"{CURRENT_VERSION}\"")),
            ),
        }
        if !statement_seen {
            self.report(
                Code::MissingStatement,
                "the policy has no `Statement`",
                &doc.span,
            );
        }
        self.sids(&policy.statements);
        policy
    }

    fn sids(&mut self, statements: &[Statement]) {
        // The first statement with each Sid, by Sid: one pass, however many statements.
        let mut first: std::collections::HashMap<&str, &Spanned<String>> =
            std::collections::HashMap::new();
        for sid in statements.iter().filter_map(|s| s.sid.as_ref()) {
            if sid.value.is_empty() {
                continue;
            }
            match first.entry(sid.value.as_str()) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(sid);
                }
                std::collections::hash_map::Entry::Occupied(o) => {
                    self.findings.push(
                        Finding::at(
                            Code::DuplicateSid,
                            format!("Sid `{}` is used twice", sid.value),
                            &sid.span,
                        )
                        .with_note(Some(o.get().span.clone()), "first used here"),
                    );
                }
            }
        }
    }

    fn statement(&mut self, v: &Value, kind: PolicyKind) -> Option<Statement> {
        let members = self.members(v, "a statement")?;
        let mut s = Statement {
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            condition: Vec::new(),
            span: v.span.clone(),
        };
        let mut principal_key: Option<&Member> = None;
        for m in members {
            match m.key.as_str() {
                element::SID => {
                    s.sid = self.string(&m.value, "Sid");
                    // IAM's rule for the policies it stores (identity policies and roles' trust
                    // policies): "The Sid element supports ASCII uppercase letters (A-Z),
                    // lowercase letters (a-z), and numbers (0-9)" (IAM User Guide, IAM JSON
                    // policy elements: Sid). Resource policies follow their service's rules,
                    // which accept more: KMS's default key policy has the Sid "Enable IAM User
                    // Permissions", S3 bucket policies AWS publishes use Sids such as
                    // "Expected-network+service-principal".
                    if let Some(sid) = &s.sid
                        && kind != PolicyKind::Resource
                        && !sid.value.chars().all(|c| c.is_ascii_alphanumeric())
                    {
                        self.findings.push(
                            Finding::at(
                                Code::InvalidSid,
                                format!(
                                    "Sid `{}` may contain only ASCII letters and digits",
                                    sid.value
                                ),
                                &sid.span,
                            )
                            .with_help(format!(
                                "try `{}`",
                                sid.value
                                    .chars()
                                    .filter(char::is_ascii_alphanumeric)
                                    .collect::<String>()
                            )),
                        );
                    }
                }
                element::EFFECT => {
                    if let Some(e) = self.string(&m.value, "Effect") {
                        match e.value.as_str() {
                            "Allow" => s.effect = Some(Spanned::new(Effect::Allow, e.span)),
                            "Deny" => s.effect = Some(Spanned::new(Effect::Deny, e.span)),
                            other => {
                                let mut f = Finding::at(
                                    Code::InvalidEffect,
                                    format!("Effect must be `Allow` or `Deny`, not `{other}`"),
                                    &e.span,
                                );
                                if let Some(ok) = ["Allow", "Deny"]
                                    .iter()
                                    .find(|x| x.eq_ignore_ascii_case(other))
                                {
                                    f = f.with_help(format!(
                                        "write `{ok}`: Effect is case-sensitive"
                                    ));
                                }
                                self.findings.push(f);
                            }
                        }
                    }
                }
                element::PRINCIPAL | element::NOT_PRINCIPAL => {
                    if let Some(prev) = principal_key {
                        self.combination(m, prev);
                    }
                    principal_key = Some(m);
                    s.principal = self.principal(m);
                }
                element::ACTION | element::NOT_ACTION => {
                    if s.action.is_some() {
                        let prev = members
                            .iter()
                            .find(|p| p.key == element::ACTION || p.key == element::NOT_ACTION)
                            .expect("seen");
                        self.combination(m, prev);
                    }
                    s.action = self.string_list(&m.value, &m.key).map(|list| Targets {
                        negated: m.key == element::NOT_ACTION,
                        list,
                    });
                }
                element::RESOURCE | element::NOT_RESOURCE => {
                    if s.resource.is_some() {
                        let prev = members
                            .iter()
                            .find(|p| p.key == element::RESOURCE || p.key == element::NOT_RESOURCE)
                            .expect("seen");
                        self.combination(m, prev);
                    }
                    s.resource = self.string_list(&m.value, &m.key).map(|list| Targets {
                        negated: m.key == element::NOT_RESOURCE,
                        list,
                    });
                }
                element::CONDITION => s.condition = self.condition(&m.value),
                _ => self.unknown_element(m, &element::STATEMENT_ELEMENTS, "statement"),
            }
        }
        if s.effect.is_none() && !members.iter().any(|m| m.key == element::EFFECT) {
            self.report(
                Code::MissingEffect,
                "the statement has no `Effect`",
                &v.span,
            );
        }
        if s.action.is_none()
            && !members
                .iter()
                .any(|m| m.key == element::ACTION || m.key == element::NOT_ACTION)
        {
            self.report(
                Code::MissingAction,
                "the statement has neither `Action` nor `NotAction`",
                &v.span,
            );
        }
        let has_resource = members
            .iter()
            .any(|m| m.key == element::RESOURCE || m.key == element::NOT_RESOURCE);
        if !has_resource && kind == PolicyKind::Identity {
            self.findings.push(
                Finding::at(Code::MissingResource, "the statement has neither `Resource` nor `NotResource`", &v.span)
                    .with_help("identity policies name the resources each statement applies to; use \"Resource\": \"*\" for all"),
            );
        }
        match (kind.needs_principal(), principal_key) {
            (true, None) => self.report(
                Code::MissingPrincipal,
                format!("statements of a {} policy need a `Principal`", kind.as_str()),
                &v.span,
            ),
            (false, Some(m)) => self.findings.push(
                Finding::at(Code::UnsupportedPrincipal, format!("identity policies must not have `{}`", m.key), &m.key_span)
                    .with_help("the principal is whoever the policy is attached to; remove the element, or validate with --kind trust or --kind resource"),
            ),
            _ => {}
        }
        Some(s)
    }

    fn combination(&mut self, m: &Member, prev: &Member) {
        // The same key twice is a duplicate key, which reading the JSON already reported.
        if m.key == prev.key {
            return;
        }
        self.findings.push(
            Finding::at(
                Code::UnsupportedElementCombination,
                format!(
                    "`{}` cannot be used together with `{}` in one statement",
                    m.key, prev.key
                ),
                &m.key_span,
            )
            .with_note(Some(prev.key_span.clone()), "first given here"),
        );
    }

    fn principal(&mut self, m: &Member) -> Option<PrincipalElement> {
        let principal = match &m.value.kind {
            Kind::String(s) if s == "*" => Principal::Any(m.value.span.clone()),
            Kind::Object(_) => {
                let members = self.members(&m.value, &m.key)?;
                if members.is_empty() {
                    self.report(
                        Code::EmptyValue,
                        format!("{} is an empty object", m.key),
                        &m.value.span,
                    );
                }
                let mut entries = Vec::new();
                for e in members {
                    let Some(ty) = PrincipalType::parse(&e.key) else {
                        let names = PrincipalType::ALL.map(PrincipalType::as_str);
                        let mut f = Finding::at(
                            Code::UnknownElement,
                            format!("`{}` is not a principal type ({})", e.key, names.join(", ")),
                            &e.key_span,
                        );
                        if let Some(h) = crate::diagnostic::did_you_mean(&e.key, names) {
                            f = f.with_help(h);
                        }
                        self.findings.push(f);
                        continue;
                    };
                    if let Some(list) = self.string_list(&e.value, &format!("{}.{}", m.key, e.key))
                    {
                        entries.push((Spanned::new(ty, e.key_span.clone()), list));
                    }
                }
                Principal::Map(entries)
            }
            _ => {
                self.report(
                    Code::InvalidElementType,
                    format!(
                        "{} must be \"*\" or an object such as {{\"AWS\": \"...\"}}",
                        m.key
                    ),
                    &m.value.span,
                );
                return None;
            }
        };
        Some(PrincipalElement {
            negated: m.key == element::NOT_PRINCIPAL,
            principal,
            span: m.value.span.clone(),
        })
    }

    fn condition(&mut self, v: &Value) -> Vec<ConditionClause> {
        let Some(members) = self.members(v, "Condition") else {
            return Vec::new();
        };
        if members.is_empty() {
            self.report(Code::EmptyValue, "Condition is an empty object", &v.span);
        }
        let mut clauses = Vec::new();
        for m in members {
            let Some(op) = Operator::parse(&m.key) else {
                let candidates: Vec<String> = Operator::base_names()
                    .flat_map(|b| [b.to_string(), format!("{b}IfExists")])
                    .collect();
                let mut f = Finding::at(
                    Code::InvalidConditionOperator,
                    format!("`{}` is not an IAM condition operator", m.key),
                    &m.key_span,
                );
                let bare = m.key.rsplit(':').next().unwrap_or(&m.key);
                if let Some(h) =
                    crate::diagnostic::did_you_mean(bare, candidates.iter().map(String::as_str))
                {
                    f = f.with_help(h);
                }
                self.findings.push(f);
                continue;
            };
            if op.family == OperatorFamily::Null && op.if_exists {
                self.report(
                    Code::NullWithIfExists,
                    "the `Null` operator cannot take `IfExists`",
                    &m.key_span,
                );
            }
            let Some(entries) = self.members(&m.value, &format!("the `{}` condition", m.key))
            else {
                continue;
            };
            if entries.is_empty() {
                self.report(
                    Code::EmptyValue,
                    format!("the `{}` condition is empty", m.key),
                    &m.value.span,
                );
            }
            let mut clause = ConditionClause {
                operator: Spanned::new(op, m.key_span.clone()),
                entries: Vec::new(),
            };
            for e in entries {
                let (items, written_as_array) = match &e.value.kind {
                    Kind::Array(items) => (items.as_slice(), true),
                    _ => (std::slice::from_ref(&e.value), false),
                };
                if written_as_array && items.is_empty() {
                    self.report(
                        Code::EmptyValue,
                        format!("`{}` has an empty array of values", e.key),
                        &e.value.span,
                    );
                }
                let mut values = Vec::new();
                for item in items {
                    let cv = match &item.kind {
                        Kind::String(s) => ConditionValue::String(s.clone()),
                        Kind::Bool(b) => ConditionValue::Bool(*b),
                        Kind::Number(n) => ConditionValue::Number(n.clone()),
                        _ => {
                            self.findings.push(
                                Finding::at(
                                    Code::InvalidConditionShape,
                                    format!("a condition value must be a string, not {}", item.type_name()),
                                    &item.span,
                                )
                                .with_help("write the condition as {\"Operator\": {\"key\": \"value\" or [\"values\"]}}"),
                            );
                            continue;
                        }
                    };
                    values.push(Spanned::new(cv, item.span.clone()));
                }
                clause.entries.push(ConditionEntry {
                    key: Spanned::new(e.key.clone(), e.key_span.clone()),
                    values: List {
                        items: values,
                        written_as_array,
                        span: e.value.span.clone(),
                    },
                });
            }
            clauses.push(clause);
        }
        clauses
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::source::SourceFile;

    fn read(src: &str, kind: PolicyKind) -> (Policy, Vec<&'static str>) {
        let file = SourceFile::new("p.json", src);
        let doc = parse(&file).unwrap();
        let r = Policy::read(&doc, kind);
        (
            r.value,
            r.findings.iter().map(|f| f.code.as_str()).collect(),
        )
    }

    fn codes(src: &str) -> Vec<&'static str> {
        read(src, PolicyKind::Identity).1
    }

    const OK: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    #[test]
    fn a_minimal_policy_is_clean() {
        assert!(codes(OK).is_empty());
    }

    #[test]
    fn grammar_rules_each_have_a_code() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "missing-version",
            ),
            (
                r#"{"Version":"2012-10-18","Statement":[]}"#,
                "invalid-version",
            ),
            (r#"{"Version":"2012-10-17"}"#, "missing-statement"),
            (
                r#"{"Version":"2012-10-17","Id":"x","Statement":[]}"#,
                "id-in-identity-policy",
            ),
            (
                r#"{"Version":"2012-10-17","Statment":[]}"#,
                "unknown-element",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Resource":"*"}]}"#,
                "missing-effect",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "invalid-effect",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
                "missing-action",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#,
                "missing-resource",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","NotAction":"a:c","Resource":"*"}]}"#,
                "unsupported-element-combination",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"a:b","Resource":"*"}]}"#,
                "unsupported-principal",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"a-b","Effect":"Allow","Action":"a:b","Resource":"*"}]}"#,
                "invalid-sid",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"a:b","Resource":"*"}]}"#,
                "duplicate-sid",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}"#,
                "empty-value",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Allow","Action":"a:b","Resource":"*"}]}"#,
                "duplicate-key",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}]}"#,
                "invalid-condition-operator",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}]}"#,
                "null-with-if-exists",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"Bool":{"a:b":{"x":1}}}}]}"#,
                "invalid-condition-shape",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":["Allow"],"Action":"a:b","Resource":"*"}]}"#,
                "invalid-element-type",
            ),
        ];
        for (src, code) in cases {
            assert!(
                codes(src).contains(code),
                "{code} not in {:?} for {src}",
                codes(src)
            );
        }
    }

    #[test]
    fn characters_outside_latin_1_are_errors() {
        let src = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b\u{2013}c\"}]}";
        assert_eq!(codes(src), ["invalid-character"]);
        let ok = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::caf\u{e9}\"}]}";
        assert!(!codes(ok).contains(&"invalid-character"));
    }

    #[test]
    fn trust_policies_need_a_principal() {
        let src = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#;
        assert_eq!(read(src, PolicyKind::Trust).1, vec!["missing-principal"]);
        let ok = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
        assert!(read(ok, PolicyKind::Trust).1.is_empty());
    }

    #[test]
    fn canonical_output_orders_elements_and_keeps_shapes() {
        let src = r#"{"Statement":{"Resource":"*","Action":["s3:GetObject"],"Effect":"Allow","Sid":"A"},"Version":"2012-10-17"}"#;
        let (p, _) = read(src, PolicyKind::Identity);
        let out = crate::policy::to_prettier_json(&p.to_value());
        assert_eq!(
            out,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n"
        );
    }

    #[test]
    fn findings_point_at_the_offending_text() {
        let src = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Permit\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}";
        let file = SourceFile::new("p.json", src);
        let r = Policy::read(&parse(&file).unwrap(), PolicyKind::Identity);
        assert_eq!(r.findings[0].span.as_ref().unwrap().text(), "\"Permit\"");
    }
}
