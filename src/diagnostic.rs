//! Findings: what is wrong, where, and how bad. A finding is a value; rendering it as rustc-style
//! text or as JSON is a separate step, so the engine never prints.

use crate::source::Span;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $sev:ident, $aa:expr, $doc:literal;)*) => {
        /// Every finding's stable code. The kebab-case names are part of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The IAM Access Analyzer issue code with the same meaning, where there is one.
            pub fn access_analyzer(self) -> Option<&'static str> {
                match self { $(Code::$variant => $aa,)* }
            }

            /// One line on what the code means (used by `--explain`-style listings and the README test).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }
        }
    };
}

codes! {
    // Directives in pages.
    MalformedDirective = "malformed-directive", Error, None, "A directive's text cannot be read (unclosed `<<#`, bad quoting, missing name).";
    UnknownKind = "unknown-kind", Error, None, "The directive kind is not one mdbook-iam knows.";
    UnknownPolicy = "unknown-policy", Error, None, "No policy of that name in the catalog.";
    UnknownStatement = "unknown-statement", Error, None, "No reusable statement of that name in the catalog.";
    UnknownModifier = "unknown-modifier", Error, None, "No modifier of that name in the catalog.";
    UnknownCallout = "unknown-callout", Error, None, "No callout template of that name in the catalog.";
    UnknownRole = "unknown-role", Error, None, "No role of that name in the catalog.";
    UnknownParameter = "unknown-parameter", Error, None, "A `key=value` the directive or callout template does not take.";
    MissingParameter = "missing-parameter", Error, None, "A callout parameter without a default was not given.";
    InvalidParameter = "invalid-parameter", Error, None, "A parameter's value does not have the parameter's type (e.g. not a valid IAM action).";
    UndocumentedConditionKey = "undocumented-condition-key", Error, None, "`iam-condition-keys` names a key the catalog does not document.";
    InlineBlockDirective = "inline-block-directive", Warning, None, "A directive whose output is a block (code, table, callout) shares its line with other text.";
    WrongArgumentCount = "wrong-argument-count", Error, None, "The directive has too few or too many names for its kind.";
    // The catalog.
    CatalogNotFound = "catalog-not-found", Error, None, "No `iam-catalog.toml` where one was expected.";
    CatalogSyntax = "catalog-syntax", Error, None, "The catalog is not valid TOML.";
    CatalogSchema = "catalog-schema", Error, None, "A catalog entry has an unknown field, a missing field or a value of the wrong type.";
    CatalogVersion = "catalog-version", Error, None, "The catalog's `schema-version` is not one this binary supports.";
    CatalogInclude = "catalog-include", Error, None, "An included catalog file is missing, outside the docs tree, or defines a name twice.";
    // Policy documents (catalog policies, pasted JSON, files given to `validate`).
    JsonSyntax = "json-syntax", Error, Some("JSON_SYNTAX_ERROR"), "The policy is not strict JSON.";
    DuplicateKey = "duplicate-key", Error, Some("JSON_SYNTAX_ERROR"), "The same key appears twice in one JSON object.";
    InvalidCharacter = "invalid-character", Error, Some("INVALID_CHARACTER"), "IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF.";
    UnknownElement = "unknown-element", Error, Some("INVALID_POLICY_ELEMENT"), "A key that is not an IAM policy or statement element.";
    InvalidElementType = "invalid-element-type", Error, Some("DATA_TYPE_MISMATCH"), "An element has the wrong JSON type (for example Effect as an array).";
    MissingVersion = "missing-version", Warning, Some("MISSING_VERSION"), "The policy has no `Version`; IAM then uses 2008-10-17 and disables policy variables.";
    InvalidVersion = "invalid-version", Error, Some("INVALID_VERSION"), "`Version` is neither `2012-10-17` nor `2008-10-17`.";
    OldVersion = "old-version", Warning, None, "`Version` 2008-10-17 disables policy variables; use 2012-10-17.";
    IdInIdentityPolicy = "id-in-identity-policy", Error, Some("INVALID_POLICY_ELEMENT"), "Identity policies must not have an `Id`.";
    MissingStatement = "missing-statement", Error, Some("MISSING_STATEMENT"), "The policy has no `Statement`.";
    MissingEffect = "missing-effect", Error, Some("MISSING_EFFECT"), "A statement has no `Effect`.";
    InvalidEffect = "invalid-effect", Error, Some("INVALID_EFFECT_VALUE"), "`Effect` must be exactly `Allow` or `Deny`.";
    MissingAction = "missing-action", Error, Some("MISSING_ACTION"), "A statement has neither `Action` nor `NotAction`.";
    MissingResource = "missing-resource", Error, Some("MISSING_RESOURCE"), "A statement has neither `Resource` nor `NotResource`.";
    MissingPrincipal = "missing-principal", Error, Some("MISSING_PRINCIPAL"), "Trust and resource policies need a `Principal` or `NotPrincipal` in every statement.";
    UnsupportedPrincipal = "unsupported-principal", Error, Some("UNSUPPORTED_PRINCIPAL"), "Identity policies must not name a `Principal`.";
    UnsupportedElementCombination = "unsupported-element-combination", Error, Some("UNSUPPORTED_ELEMENT_COMBINATION"), "Both `Action` and `NotAction` (or `Resource`/`NotResource`, `Principal`/`NotPrincipal`) in one statement.";
    EmptyValue = "empty-value", Warning, Some("EMPTY_ARRAY_ACTION"), "An empty array or object where IAM expects values.";
    InvalidSid = "invalid-sid", Error, Some("UNSUPPORTED_SID"), "A `Sid` may contain only ASCII letters and digits.";
    DuplicateSid = "duplicate-sid", Error, Some("UNIQUE_SIDS_REQUIRED"), "Two statements share a `Sid`.";
    InvalidActionFormat = "invalid-action-format", Error, Some("INVALID_ACTION"), "An action is neither `*` nor `service:action`.";
    WildcardInService = "wildcard-in-service", Error, Some("WILDCARD_IN_SERVICE_NAME"), "The service prefix of an action has a wildcard.";
    DeprecatedAction = "deprecated-action", Error, None, "The action was retired (for example `aws-mcp:*` since 2026-03-24) and has no effect.";
    InvalidConditionOperator = "invalid-condition-operator", Error, Some("INVALID_CONDITION_OPERATOR"), "A condition operator that IAM does not define.";
    NullWithIfExists = "null-with-if-exists", Error, Some("NULL_WITH_IF_EXISTS"), "The `Null` operator cannot take `IfExists`.";
    InvalidConditionShape = "invalid-condition-shape", Error, Some("DATA_TYPE_MISMATCH"), "A condition must be `{Operator: {Key: value or [values]}}`.";
    ConditionTypeMismatch = "condition-type-mismatch", Error, Some("TYPE_MISMATCH"), "The operator's family does not match the condition key's type.";
    InvalidBoolValue = "invalid-bool-value", Error, Some("INVALID_CONDITION_VALUE"), "`Bool` and `Null` take only `\"true\"` or `\"false\"`.";
    MultipleBoolValues = "multiple-bool-values", Warning, Some("INVALID_CONDITION_MULTIPLE_BOOLEAN"), "A `Bool` condition with more than one value.";
    ServicePrincipalExpected = "service-principal-expected", Error, None, "The key holds a service principal (e.g. `aws-mcp.amazonaws.com`), so a Boolean value can never match.";
    // Committed expansions (`sync`).
    SyncDrift = "sync-drift", Error, None, "A synced region's committed text differs from what the catalog generates; run `mdbook-iam sync`.";
    SyncMarker = "sync-marker", Error, None, "A sync begin marker without its end marker, or regions nested in each other.";
    // Hosts.
    UnsupportedMdbook = "unsupported-mdbook", Error, None, "The mdBook running the preprocessor is a version this binary does not support.";
    InvalidConfig = "invalid-config", Error, None, "`[preprocessor.iam]` in `book.toml` has an unknown key or a bad value.";
    // AWS data checks.
    InvalidService = "invalid-service", Error, Some("INVALID_SERVICE_IN_ACTION"), "The service prefix of an action is not one AWS defines.";
    InvalidAction = "invalid-action", Error, Some("INVALID_ACTION"), "The service has no such action, or a wildcard matches none of its actions.";
    RedundantAction = "redundant-action", Info, Some("REDUNDANT_ACTION"), "Another entry of the same `Action` list already covers this action.";
    InvalidArn = "invalid-arn", Error, Some("MISSING_ARN_FIELD"), "A resource is neither `*` nor an ARN with six fields (`arn:partition:service:region:account:resource`).";
    InvalidArnPartition = "invalid-arn-partition", Error, Some("INVALID_PARTITION"), "The ARN's partition is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...).";
    ArnServiceCase = "arn-service-case", Error, Some("INVALID_ARN_SERVICE_CASE"), "The service in an ARN is not lowercase.";
    InvalidArnRegion = "invalid-arn-region", Error, Some("INVALID_ARN_REGION"), "The ARN's Region field is not an AWS Region.";
    InvalidArnAccount = "invalid-arn-account", Error, Some("INVALID_ARN_ACCOUNT"), "The ARN's account field is not a 12-digit account ID (an undeclared placeholder, often).";
    ArnRegionNotAllowed = "arn-region-not-allowed", Error, Some("ARN_REGION_NOT_ALLOWED"), "The service's ARNs have no Region (IAM, for example), but the ARN names one.";
    MissingArnRegion = "missing-arn-region", Error, Some("MISSING_ARN_REGION"), "The service's ARNs name a Region, but the ARN leaves the field empty.";
    ArnAccountNotAllowed = "arn-account-not-allowed", Error, Some("ARN_ACCOUNT_NOT_ALLOWED"), "The service's ARNs have no account ID, but the ARN names one.";
    ResourceTypeMismatch = "resource-type-mismatch", Warning, None, "By AWS's resource types, no action of the statement acts on a resource it lists, or an action acts on none of them.";
    RedundantResource = "redundant-resource", Info, Some("REDUNDANT_RESOURCE"), "Another entry of the same `Resource` list already covers this resource.";
    InvalidPolicyVariable = "invalid-policy-variable", Error, None, "A malformed policy variable: `${` without `}`, empty, with a space, an unquoted default, or a key AWS does not define.";
    UnsupportedPolicyVariable = "unsupported-policy-variable", Error, None, "A policy variable where IAM reads it as literal text: with Version 2008-10-17, or in a condition whose operator is not String or Arn.";
    InvalidConditionKeyFormat = "invalid-condition-key-format", Error, Some("INVALID_CONDITION_KEY_FORMAT"), "A condition key without a `service:` prefix.";
    InvalidGlobalConditionKey = "invalid-global-condition-key", Error, Some("INVALID_GLOBAL_CONDITION_KEY"), "An `aws:` condition key that AWS does not define.";
    InvalidServiceConditionKey = "invalid-service-condition-key", Error, Some("INVALID_SERVICE_CONDITION_KEY"), "A service condition key that the service does not define (or a key whose prefix is no service).";
    MissingTagKey = "missing-tag-key", Error, Some("MISSING_TAG_KEY_IN_CONDITION"), "A tag condition key without the tag's name (`aws:RequestTag/` instead of `aws:RequestTag/team`).";
    DuplicateConditionKey = "duplicate-condition-key", Error, Some("DUPLICATE_KEYS_WITH_DIFFERENT_CASE"), "The same condition key twice in one operator block, in different case.";
    ConditionKeyNotForAction = "condition-key-not-for-action", Warning, None, "AWS lists the service condition key for none of the statement's actions, so requests never carry it.";
    MissingSetQualifier = "missing-set-qualifier", Error, Some("MISSING_QUALIFIER"), "A multivalued condition key compared without `ForAllValues:` or `ForAnyValue:`.";
    ForAllValuesWithSingleValuedKey = "forallvalues-with-single-valued-key", Warning, Some("FORALLVALUES_WITH_SINGLE_VALUED_KEY"), "`ForAllValues:` on a single-valued key is also true when the key is absent: more permissive than it reads.";
    InvalidConditionValue = "invalid-condition-value", Error, None, "A Numeric, Date or IpAddress condition value that is not a number, an ISO 8601 date or an IP address or CIDR range.";
    WildcardWithoutLike = "wildcard-without-like", Warning, Some("WILDCARD_WITHOUT_LIKE_OPERATOR"), "A `*` or `?` in a value compared with a String operator that is not `StringLike` / `StringNotLike`.";
    RedundantConditionValue = "redundant-condition-value", Info, Some("REDUNDANT_CONDITION_VALUE_NUM"), "A condition value another value of the same key already covers (or the same value twice).";
    BoolWithoutIfExists = "bool-without-if-exists", Warning, None, "`Bool` compares with \"false\" a key that some requests lack (`aws:MultiFactorAuthPresent`, `aws:ViaAWSMCPService`); those requests never match.";
    InvalidServicePrincipal = "invalid-service-principal", Error, Some("INVALID_SERVICE_PRINCIPAL_FORMAT"), "A service principal (in `Principal` or in a key such as `iam:PassedToService`) that is not `name.amazonaws.com`.";
    InvalidPrincipal = "invalid-principal", Error, Some("INVALID_PRINCIPAL_FORMAT"), "An `AWS`, `Federated` or `CanonicalUser` principal in a format IAM does not accept (wildcards in ARNs included).";
    AllowWithNotPrincipal = "allow-with-not-principal", Warning, None, "`Allow` with `NotPrincipal` grants access to everyone not listed, anonymous users included.";
    AllowStarOnStar = "allow-star-on-star", Warning, None, "An unconditional `Allow` of every action (`*`) on every resource (`*`).";
    AllowWithNotAction = "allow-with-not-action", Warning, None, "`Allow` with `NotAction` grants every action not listed, including future ones.";
    AllowWithNotResource = "allow-with-not-resource", Warning, None, "`Allow` with `NotResource` grants access to every resource not listed.";
    PassRoleWithStarResource = "pass-role-with-star-resource", Warning, Some("PASS_ROLE_WITH_STAR_IN_RESOURCE"), "`iam:PassRole` on `\"Resource\": \"*\"` without an `iam:PassedToService` condition.";
    PolicyTooLarge = "policy-too-large", Warning, None, "The policy exceeds IAM's size quota for its kind (identity 6,144, trust 2,048 characters without whitespace).";
    // Simulation (`simulate`).
    InvalidSimulation = "invalid-simulation", Error, None, "A simulation document or `simulate` request that is not of the documented shape (a missing `request`, an unknown field, a principal that is no ARN, account ID, service principal or `anonymous`).";
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A secondary place or remark attached to a finding.
#[derive(Debug, Clone)]
pub struct Note {
    pub span: Option<Span>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where the problem is; `None` only for problems with no place (a missing file).
    pub span: Option<Span>,
    pub notes: Vec<Note>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>, span: Option<Span>) -> Finding {
        Finding {
            severity: code.default_severity(),
            code,
            message: message.into(),
            span,
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn at(code: Code, message: impl Into<String>, span: &Span) -> Finding {
        Finding::new(code, message, Some(span.clone()))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Finding {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Re-points a finding found inside a catalog policy at the page directive that used it, keeping
    /// the catalog place as a note.
    pub fn seen_from(mut self, directive: &Span) -> Finding {
        if let Some(orig) = self.span.replace(directive.clone()) {
            let note = Note {
                span: Some(orig),
                message: "defined here in the catalog".into(),
            };
            self.notes.insert(0, note);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// "did you mean" for a misspelled name, from the names that exist.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let given_l = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given_l, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Options for text rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
}

/// Renders findings as text: `path:line:col: error[code]: message`, then the source line with a
/// caret. Written by hand because that first line is a fixed interface (editors and CI annotators
/// match it), and the snippet crates lead with `error[code]` instead.
pub fn render_text(findings: &[Finding], style: TextStyle) -> String {
    let mut out = String::new();
    for f in findings {
        render_one(&mut out, f, style);
    }
    out
}

fn paint(style: TextStyle, ansi: &str, text: &str) -> String {
    if style.color {
        format!("\x1b[{ansi}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn render_one(out: &mut String, f: &Finding, style: TextStyle) {
    let sev_color = match f.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    };
    let place = match &f.span {
        Some(span) => {
            let (l, c) = span.line_col();
            format!("{}:{l}:{c}: ", span.file.name())
        }
        None => String::new(),
    };
    let head = paint(
        style,
        sev_color,
        &format!("{}[{}]", f.severity.as_str(), f.code.as_str()),
    );
    let _ = writeln!(out, "{}{head}: {}", paint(style, "1", &place), f.message);
    if let Some(span) = &f.span {
        snippet(out, span, style, sev_color);
    }
    for note in &f.notes {
        match &note.span {
            Some(span) => {
                let (l, c) = span.line_col();
                let _ = writeln!(
                    out,
                    "  = note: {} ({}:{l}:{c})",
                    note.message,
                    span.file.name()
                );
                snippet(out, span, style, "1;34");
            }
            None => {
                let _ = writeln!(out, "  = note: {}", note.message);
            }
        }
    }
    if let Some(help) = &f.help {
        let _ = writeln!(out, "  = help: {help}");
    }
}

fn snippet(out: &mut String, span: &Span, style: TextStyle, color: &str) {
    let (line, col) = span.line_col();
    let text = span.file.line_text(line);
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let (end_line, end_col) = span.file.line_col(span.range.end.max(span.range.start));
    let width = if end_line == line {
        end_col.saturating_sub(col).max(1)
    } else {
        text.chars().count().saturating_sub(col - 1).max(1)
    };
    let bar = paint(style, "1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {text}", paint(style, "1;34", &gutter));
    let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
    let _ = writeln!(out, "{pad} {bar} {}", paint(style, color, &caret));
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    code: Code,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<JsonNote<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_analyzer: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
}

fn place(span: Option<&Span>) -> (Option<&str>, Option<usize>, Option<usize>) {
    match span {
        Some(s) => {
            let (l, c) = s.line_col();
            (Some(s.file.name()), Some(l), Some(c))
        }
        None => (None, None, None),
    }
}

/// Renders findings as one JSON array (the `--format json` interface).
pub fn render_json(findings: &[Finding]) -> String {
    let rows: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|f| {
            let (file, line, column) = place(f.span.as_ref());
            JsonFinding {
                severity: f.severity,
                code: f.code,
                message: &f.message,
                file,
                line,
                column,
                help: f.help.as_deref(),
                notes: f
                    .notes
                    .iter()
                    .map(|n| {
                        let (file, line, column) = place(n.span.as_ref());
                        JsonNote {
                            message: &n.message,
                            file,
                            line,
                            column,
                        }
                    })
                    .collect(),
                access_analyzer: f.code.access_analyzer(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("findings serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{s} is not kebab-case"
            );
        }
    }

    #[test]
    fn text_has_path_line_col_header_and_caret() {
        let file = SourceFile::new("src/a.md", "one\n  <<#iam-policy nope>>\n");
        let f = Finding::at(
            Code::UnknownPolicy,
            "no policy `nope`",
            &Span::new(&file, 6..26),
        )
        .with_help("did you mean `s3-readonly`?");
        let text = render_text(&[f], TextStyle::default());
        assert_eq!(
            text,
            "src/a.md:2:3: error[unknown-policy]: no policy `nope`\n  |\n2 |   <<#iam-policy nope>>\n  |   ^^^^^^^^^^^^^^^^^^^^\n  = help: did you mean `s3-readonly`?\n"
        );
    }

    #[test]
    fn color_only_when_asked() {
        let f = Finding::new(Code::CatalogNotFound, "missing", None);
        assert!(
            !render_text(std::slice::from_ref(&f), TextStyle { color: false }).contains('\x1b')
        );
        assert!(render_text(&[f], TextStyle { color: true }).contains('\x1b'));
    }

    #[test]
    fn json_has_required_fields() {
        let file = SourceFile::new("p.json", "{\n}");
        let f = Finding::at(
            Code::MissingStatement,
            "no Statement",
            &Span::new(&file, 0..1),
        );
        let v: serde_json::Value = serde_json::from_str(&render_json(&[f])).unwrap();
        let row = &v[0];
        assert_eq!(row["severity"], "error");
        assert_eq!(row["code"], "missing-statement");
        assert_eq!(row["file"], "p.json");
        assert_eq!(row["line"], 1);
        assert_eq!(row["column"], 1);
        assert_eq!(row["access_analyzer"], "MISSING_STATEMENT");
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(
            did_you_mean("s3-readnoly", ["s3-readonly", "default"]),
            Some("did you mean `s3-readonly`?".into())
        );
        assert_eq!(did_you_mean("zzz", ["s3-readonly"]), None);
    }
}
