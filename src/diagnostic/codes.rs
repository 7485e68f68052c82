//! Every finding's stable code, its default severity, its IAM Access Analyzer equivalent and its
//! one-line summary: one table, so the binary, the JSON and SARIF output and the guide agree.

use super::Severity;

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
    RepeatedArgument = "repeated-argument", Error, None, "A directive names the same modifier or key, or sets the same parameter, twice.";
    WrongArgumentCount = "wrong-argument-count", Error, None, "The directive has too few or too many names for its kind.";
    InvalidBlockLevel = "invalid-block-level", Error, None, "A code fence's `iam-allow=`, `iam-info=`, `iam-warn=` or `iam-deny=` word names no code, or a code whose level is fixed.";
    // The catalog.
    CatalogNotFound = "catalog-not-found", Error, None, "No `iam-catalog.toml` where one was expected.";
    CatalogSyntax = "catalog-syntax", Error, None, "The catalog is not valid TOML.";
    CatalogSchema = "catalog-schema", Error, None, "A catalog entry has an unknown field, a missing field or a value of the wrong type.";
    CatalogVersion = "catalog-version", Error, None, "The catalog's `schema-version` is not one this binary supports.";
    CatalogInclude = "catalog-include", Error, None, "An included catalog file is missing, outside the docs tree, or defines a name twice.";
    // Policy documents (catalog policies, pasted JSON, files given to `validate`).
    JsonSyntax = "json-syntax", Error, Some("JSON_SYNTAX_ERROR"), "The policy is not strict JSON.";
    YamlSyntax = "yaml-syntax", Error, None, "A CloudFormation or SAM template is not valid YAML.";
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
    DeprecatedAction = "deprecated-action", Error, None, "The action was retired (for example `aws-mcp:*`, on 2026-03-24) and has no effect.";
    InvalidConditionOperator = "invalid-condition-operator", Error, Some("INVALID_CONDITION_OPERATOR"), "A condition operator that IAM does not define.";
    NullWithIfExists = "null-with-if-exists", Error, Some("NULL_WITH_IF_EXISTS"), "The `Null` operator cannot take `IfExists`.";
    InvalidConditionShape = "invalid-condition-shape", Error, Some("DATA_TYPE_MISMATCH"), "A condition must be `{Operator: {Key: value or [values]}}`.";
    ConditionTypeMismatch = "condition-type-mismatch", Warning, Some("TYPE_MISMATCH"), "The operator's family does not match the condition key's type (Access Analyzer's general warning: IAM accepts the policy, and the condition never matches as it reads).";
    InvalidBoolValue = "invalid-bool-value", Error, Some("INVALID_CONDITION_VALUE"), "`Bool` and `Null` take only `\"true\"` or `\"false\"`.";
    MultipleBoolValues = "multiple-bool-values", Warning, Some("INVALID_CONDITION_MULTIPLE_BOOLEAN"), "A `Bool` condition with more than one value.";
    ServicePrincipalExpected = "service-principal-expected", Error, None, "The key holds a service principal (e.g. `aws-mcp.amazonaws.com`), so a Boolean value can never match.";
    // Committed expansions (`sync`).
    SyncDrift = "sync-drift", Error, None, "A synced region's committed text differs from what the catalog generates; run `mdbook-iam sync`.";
    SyncMarker = "sync-marker", Error, None, "A sync begin marker without its end marker, or regions nested in each other.";
    // Hosts.
    UnsupportedMdbook = "unsupported-mdbook", Error, None, "The mdBook running the preprocessor is a version this binary does not support.";
    InvalidConfig = "invalid-config", Error, None, "`[preprocessor.iam]` in `book.toml` has an unknown key or a bad value.";
    // Files.
    UnparsablePage = "unparsable-page", Error, None, "mdBook's Markdown parser fails on the page (mdBook's own build would crash on it); nothing on it is expanded.";
    InvalidEncoding = "invalid-encoding", Error, None, "A page, policy, catalog or mdBook request that is not UTF-8 text.";
    OutsideDocsTree = "outside-docs-tree", Error, None, "A file the run would read or write lies outside the docs tree (through a path, a link or an include).";
    // AWS data checks.
    InvalidService = "invalid-service", Error, Some("INVALID_SERVICE_IN_ACTION"), "The service prefix of an action is not one AWS defines.";
    InvalidAction = "invalid-action", Error, Some("INVALID_ACTION"), "The service has no such action, or a wildcard matches none of its actions.";
    RetiredService = "retired-service", Error, Some("INVALID_SERVICE_IN_ACTION"), "AWS's data no longer lists the service (an earlier version did, on the date given, or it was retired before the data's history): the policy grants nothing for it.";
    RetiredAction = "retired-action", Error, Some("INVALID_ACTION"), "AWS's data no longer lists the action under its service (an earlier version did, on the date given): the policy grants nothing for it.";
    RedundantAction = "redundant-action", Info, Some("REDUNDANT_ACTION"), "Another entry of the same `Action` list already covers this action.";
    InvalidArn = "invalid-arn", Error, Some("MISSING_ARN_FIELD"), "A resource is neither `*` nor an ARN with six fields (`arn:partition:service:region:account:resource`).";
    InvalidArnPartition = "invalid-arn-partition", Error, Some("INVALID_PARTITION"), "The ARN's partition is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...).";
    ArnServiceCase = "arn-service-case", Error, Some("INVALID_ARN_SERVICE_CASE"), "The service in an ARN is not lowercase.";
    InvalidArnRegion = "invalid-arn-region", Error, Some("INVALID_ARN_REGION"), "The ARN's Region field is not an AWS Region.";
    InvalidArnAccount = "invalid-arn-account", Error, Some("INVALID_ARN_ACCOUNT"), "The ARN's account field is not a 12-digit account ID (an undeclared placeholder, often).";
    ArnRegionNotAllowed = "arn-region-not-allowed", Error, Some("ARN_REGION_NOT_ALLOWED"), "The service's ARNs have no Region (IAM, for example), but the ARN names one.";
    MissingArnRegion = "missing-arn-region", Error, Some("MISSING_ARN_REGION"), "The service's ARNs name a Region, but the ARN leaves the field empty.";
    ArnAccountNotAllowed = "arn-account-not-allowed", Error, Some("ARN_ACCOUNT_NOT_ALLOWED"), "The service's ARNs have no account ID, but the ARN names one.";
    Placeholder = "documentation-placeholder", Info, None, "A documentation placeholder (one of AWS's conventions, such as `account-id`, `REGION` or `<bucket-name>`); the rest of the value was checked with an example in its place.";
    ResourceTypeMismatch = "resource-type-mismatch", Warning, None, "By AWS's resource types, no action of the statement acts on a resource it lists, or an action acts on none of them.";
    RedundantResource = "redundant-resource", Info, Some("REDUNDANT_RESOURCE"), "Another entry of the same `Resource` list already covers this resource.";
    InvalidPolicyVariable = "invalid-policy-variable", Error, None, "A malformed policy variable: `${` without `}`, empty, with a space, an unquoted default, or a key AWS does not define.";
    UnsupportedPolicyVariable = "unsupported-policy-variable", Error, None, "A policy variable where IAM reads it as literal text: with Version 2008-10-17, or in a condition whose operator is not String or Arn.";
    InvalidConditionKeyFormat = "invalid-condition-key-format", Error, Some("INVALID_CONDITION_KEY_FORMAT"), "A condition key without a `service:` prefix.";
    InvalidGlobalConditionKey = "invalid-global-condition-key", Error, Some("INVALID_GLOBAL_CONDITION_KEY"), "An `aws:` condition key that AWS does not define.";
    InvalidServiceConditionKey = "invalid-service-condition-key", Error, Some("INVALID_SERVICE_CONDITION_KEY"), "A service condition key that the service does not define (or a key whose prefix is no service).";
    RetiredConditionKey = "retired-condition-key", Error, Some("INVALID_SERVICE_CONDITION_KEY"), "AWS's data no longer lists the condition key (an earlier version did, on the date given): requests no longer carry it.";
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
    UnknownServicePrincipal = "unknown-service-principal", Error, Some("INVALID_SERVICE"), "A service principal shaped right (`name.amazonaws.com`) that names no service in AWS's data (`ecs-task.amazonaws.com`).";
    InvalidPrincipal = "invalid-principal", Error, Some("INVALID_PRINCIPAL_FORMAT"), "An `AWS`, `Federated` or `CanonicalUser` principal in a format IAM does not accept (wildcards in ARNs included).";
    AllowWithNotPrincipal = "allow-with-not-principal", Warning, None, "`Allow` with `NotPrincipal` grants access to everyone not listed, anonymous users included.";
    AllowStarOnStar = "allow-star-on-star", Warning, None, "An unconditional `Allow` of every action (`*`) on every resource (`*`).";
    AllowWithNotAction = "allow-with-not-action", Warning, None, "`Allow` with `NotAction` grants every action not listed, including future ones.";
    AllowWithNotResource = "allow-with-not-resource", Warning, None, "`Allow` with `NotResource` grants access to every resource not listed.";
    PassRoleWithStarResource = "pass-role-with-star-resource", Warning, Some("PASS_ROLE_WITH_STAR_IN_RESOURCE"), "`iam:PassRole` on `\"Resource\": \"*\"` without an `iam:PassedToService` condition.";
    PolicyTooLarge = "policy-too-large", Warning, None, "The policy exceeds IAM's size quota for its kind (identity 6,144, trust 2,048 characters without whitespace).";
    // Claims and truth tables (`iam-claim`, `iam-truth-table`, catalog `claims`).
    FalseClaim = "false-claim", Error, None, "A claim about access that the evaluator refutes: the policies decide otherwise (the deciding statement is named).";
    InvalidClaim = "invalid-claim", Error, None, "A claim that cannot be read or checked: not in the claim grammar, or naming what the catalog lacks.";
    AccessTooComplex = "access-too-complex", Error, None, "An access summary (`iam-access-summary`, `mdbook-iam access`) would take more requests than the limit: statements compare too many condition keys at once.";
    // Simulation (`simulate`).
    InvalidSimulation = "invalid-simulation", Error, None, "A simulation document or `simulate` request that is not of the documented shape (a missing `request`, an unknown field, a principal that is no ARN, account ID, service principal or `anonymous`).";
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
