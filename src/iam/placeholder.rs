//! Documentation placeholders: the conventions AWS's documentation (and docs teams copying it)
//! use for the parts of a policy a reader fills in (`arn:aws:iam::account-id:role/ROLE-NAME`,
//! `arn:aws:kms:REGION:111122223333:key/<key-id>`, `service-prefix:action-name`). Facts only:
//! which text is a placeholder in which field, under which convention, and a valid value of
//! that field to check the rest of the value with. What to report is `crate::validate`'s.
//!
//! The conventions, with the AWS pages that use them, are listed in the guide's
//! `placeholders.md`; a test keeps the two in step.

/// The kind of text a placeholder stands in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// An ARN's account field, or an account ID alone.
    Account,
    /// An ARN's Region field.
    Region,
    /// An ARN's partition field.
    Partition,
    /// A service prefix: an action's (`service-prefix:action-name`) or an ARN's service field.
    ServicePrefix,
    /// The name part of an action (`action-name` in `s3:action-name`).
    ActionName,
    /// A whole ARN.
    Arn,
    /// A whole principal (a value of `Principal`'s `AWS`, `Federated`, ...).
    Principal,
    /// The name part of a service principal (`SERVICE-NAME` in `SERVICE-NAME.amazonaws.com`).
    ServicePrincipalName,
    /// An S3 bucket name.
    BucketName,
    /// A KMS key ID.
    KeyId,
    /// A whole value of any other kind (a condition value).
    Value,
}

/// One convention: its name (used in messages and the guide), where it comes from, and what it
/// looks like.
#[derive(Debug, PartialEq, Eq)]
pub struct Convention {
    pub name: &'static str,
    /// Which AWS documentation uses it.
    pub source: &'static str,
    /// Written as the guide shows it.
    pub examples: &'static [&'static str],
    /// Whether text of this convention is already a valid value where it stands
    /// (`111122223333` as an account ID): recognised, but there is nothing to check or report.
    pub valid_as_is: bool,
}

/// `<account-number>`, `<bucket-arn>`.
pub const ANGLE: Convention = Convention {
    name: "angle-bracket token",
    source: "AWS CLI and API references, the IAM User Guide's policy examples (`arn:aws:iam::<account-number>:user/<username>`)",
    examples: &["<account-number>", "<bucket-arn>", "<username>"],
    valid_as_is: false,
};

/// `{account-id}`, `{{resource}}`.
pub const BRACE: Convention = Convention {
    name: "brace token",
    source: "AWS samples and templating tools (Mustache, Jinja, Handlebars) that docs teams render policies with",
    examples: &["{account-id}", "{{resource}}"],
    valid_as_is: false,
};

/// `${AccountId}`, `${BucketName}`: a `${...}` that names no condition key, so it is no policy
/// variable.
pub const TEMPLATE_VARIABLE: Convention = Convention {
    name: "`${...}` template variable",
    source: "the Service Authorization Reference's ARN formats (`arn:${Partition}:s3:::${BucketName}`) and CloudFormation `Fn::Sub` strings",
    examples: &["${Partition}", "${Account}", "${BucketName}"],
    valid_as_is: false,
};

/// `<Ref:MyBucket>`, `<GetAtt:Bucket.Arn>`, `<AWS::AccountId>`, `${AWS::Region}`.
pub const CLOUDFORMATION: Convention = Convention {
    name: "CloudFormation intrinsic",
    source: "CloudFormation and SAM templates: `Ref`, `Fn::GetAtt`, `Fn::Sub` and the pseudo parameters `AWS::AccountId`, `AWS::Region`, `AWS::Partition` (read from templates as `<Ref:NAME>`, `<GetAtt:NAME.ATTR>`, `<AWS::AccountId>`)",
    examples: &[
        "<Ref:MyBucket>",
        "<GetAtt:Bucket.Arn>",
        "<AWS::AccountId>",
        "${AWS::Region}",
    ],
    valid_as_is: false,
};

/// `account-id`, `ACCOUNT-ID`, `PRODUCTION-ACCOUNT-ID`, `accountID`.
pub const ACCOUNT_WORD: Convention = Convention {
    name: "account-ID word",
    source: "the IAM User Guide (`arn:aws:iam::account-id:root`, `ACCOUNT-ID`, `ACCOUNT-A-ID`, `PRODUCTION-ACCOUNT-ID`, `accountID`) and the Service Authorization Reference (`account`)",
    examples: &[
        "account-id",
        "ACCOUNT-ID",
        "ACCOUNT-A-ID",
        "accountID",
        "Example Corp's AWS Account ID",
    ],
    valid_as_is: false,
};

/// `xxxxxxxxxxxx`: the digits of an account ID masked.
pub const MASKED_ACCOUNT: Convention = Convention {
    name: "masked account ID",
    source: "AWS samples and console screenshots that mask an account ID as twelve `x`",
    examples: &["xxxxxxxxxxxx", "XXXXXXXXXXXX"],
    valid_as_is: false,
};

/// `111122223333`, `123456789012`, `444455556666`.
pub const EXAMPLE_ACCOUNT: Convention = Convention {
    name: "example account ID",
    source: "AWS documentation throughout (`111122223333`, `123456789012`, `444455556666`, `777788889999`)",
    examples: &[
        "111122223333",
        "123456789012",
        "444455556666",
        "777788889999",
    ],
    valid_as_is: true,
};

/// `region`, `REGION`, `region-code`.
pub const REGION_WORD: Convention = Convention {
    name: "Region word",
    source: "the IAM User Guide (`arn:aws:kms:region:111122223333:key/...`, `arn:aws:sqs:REGION:...`) and the Service Authorization Reference (`region`)",
    examples: &["region", "REGION", "region-code", "AWS_REGION"],
    valid_as_is: false,
};

/// `partition`.
pub const PARTITION_WORD: Convention = Convention {
    name: "partition word",
    source: "the IAM User Guide's ARN reference (`arn:partition:service:region:account-id:resource-id`)",
    examples: &["partition", "PARTITION"],
    valid_as_is: false,
};

/// `service`, `service-prefix`, `SERVICE-NAME`, `someservice`.
pub const SERVICE_WORD: Convention = Convention {
    name: "service-prefix word",
    source: "the IAM User Guide (`service-prefix:action-name`, `someservice:*`, `arn:aws:service:region:account:*`, `SERVICE-NAME.amazonaws.com`)",
    examples: &[
        "service",
        "service-prefix",
        "service-prefix-1",
        "someservice",
        "SERVICE-NAME",
    ],
    valid_as_is: false,
};

/// `action-name`, `ActionName`.
pub const ACTION_WORD: Convention = Convention {
    name: "action-name word",
    source: "the IAM User Guide (`service-prefix:action-name`, `service-prefix-1:action-name-a`)",
    examples: &["action-name", "action-name-a", "ActionName"],
    valid_as_is: false,
};

/// `DOC-EXAMPLE-BUCKET`.
pub const DOC_EXAMPLE: Convention = Convention {
    name: "DOC-EXAMPLE name",
    source: "Amazon S3 and IAM documentation before 2024 (`DOC-EXAMPLE-BUCKET`, `DOC-EXAMPLE-BUCKET1`)",
    examples: &["DOC-EXAMPLE-BUCKET", "DOC-EXAMPLE-DESTINATION-BUCKET"],
    valid_as_is: true,
};

/// `amzn-s3-demo-bucket`.
pub const AMZN_S3_DEMO: Convention = Convention {
    name: "amzn-s3-demo name",
    source: "Amazon S3 and IAM documentation since 2024 (`amzn-s3-demo-bucket`, a prefix no one else can register)",
    examples: &["amzn-s3-demo-bucket", "amzn-s3-demo-bucket1"],
    valid_as_is: true,
};

/// `AKIAIOSFODNN7EXAMPLE`, `ExampleRole`.
pub const EXAMPLE_NAME: Convention = Convention {
    name: "EXAMPLE name",
    source: "AWS documentation throughout (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, `ExampleRole`, `example.com`)",
    examples: &["AKIAIOSFODNN7EXAMPLE", "ExampleRole", "ExamplePolicy1"],
    valid_as_is: true,
};

/// `1234abcd-12ab-34cd-56ef-1234567890ab`.
pub const EXAMPLE_KEY_ID: Convention = Convention {
    name: "example KMS key ID",
    source: "the AWS KMS Developer Guide and the IAM User Guide (`arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`)",
    examples: &["1234abcd-12ab-34cd-56ef-1234567890ab"],
    valid_as_is: true,
};

/// `A list of the resources the role is allowed to access`: the value described in words.
pub const DESCRIPTION: Convention = Convention {
    name: "description in words",
    source: "the IAM User Guide (`\"Action\": \"A list of the permissions the role is allowed to use\"`, `\"AWS\": \"Example Corp's AWS Account ID\"`)",
    examples: &["A list of the resources the role is allowed to access"],
    valid_as_is: false,
};

/// `ROLE-NAME`, `QUEUE-ID`: capitals with hyphens in a resource path.
pub const CAPITAL_NAME: Convention = Convention {
    name: "capitalised name",
    source: "the IAM User Guide (`role/ROLE-NAME`, `saml-provider/PROVIDER-NAME`, `QUEUE-ID`)",
    examples: &["ROLE-NAME", "PROVIDER-NAME", "QUEUE-ID"],
    valid_as_is: true,
};

/// Every convention, in the order the guide lists them.
pub const CONVENTIONS: [&Convention; 17] = [
    &ANGLE,
    &BRACE,
    &TEMPLATE_VARIABLE,
    &CLOUDFORMATION,
    &ACCOUNT_WORD,
    &MASKED_ACCOUNT,
    &EXAMPLE_ACCOUNT,
    &REGION_WORD,
    &PARTITION_WORD,
    &SERVICE_WORD,
    &ACTION_WORD,
    &DOC_EXAMPLE,
    &AMZN_S3_DEMO,
    &EXAMPLE_NAME,
    &EXAMPLE_KEY_ID,
    &DESCRIPTION,
    &CAPITAL_NAME,
];

/// A placeholder recognised in a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recognised {
    pub convention: &'static Convention,
    /// A valid value of the field to check the rest of the value with, where one exists (none
    /// for a service prefix, an action name or a whole ARN: nothing about them can be checked).
    pub example: Option<&'static str>,
}

/// The valid value each field is checked with in a placeholder's place.
pub fn example(field: Field) -> Option<&'static str> {
    match field {
        Field::Account => Some("123456789012"),
        Field::Region => Some("us-east-1"),
        Field::Partition => Some("aws"),
        // Any service principal IAM accepts in every key that holds one.
        Field::ServicePrincipalName => Some("ec2"),
        Field::BucketName => Some("amzn-s3-demo-bucket"),
        Field::KeyId => Some("1234abcd-12ab-34cd-56ef-1234567890ab"),
        Field::ServicePrefix | Field::ActionName | Field::Arn | Field::Principal | Field::Value => {
            None
        }
    }
}

/// The placeholder convention `text` follows in `field`, if any.
pub fn recognise(field: Field, text: &str) -> Option<Recognised> {
    let found = |convention: &'static Convention| Recognised {
        convention,
        example: example(field),
    };
    let convention = match field {
        Field::Principal => None,
        _ => whole_token(text),
    };
    if let Some(c) = convention {
        return Some(found(c));
    }
    let convention = match field {
        Field::Account => {
            if let Some((_, c)) = tokens(text).first() {
                Some(*c)
            } else if EXAMPLE_ACCOUNT.examples.contains(&text) {
                Some(&EXAMPLE_ACCOUNT)
            } else if text.len() == 12 && text.bytes().all(|b| b == b'x' || b == b'X') {
                Some(&MASKED_ACCOUNT)
            } else if word(text) && contains_ignore_case(text, "account") {
                Some(&ACCOUNT_WORD)
            } else {
                None
            }
        }
        Field::Region => {
            if let Some((_, c)) = tokens(text).first() {
                Some(*c)
            } else {
                (word(text) && contains_ignore_case(text, "region")).then_some(&REGION_WORD)
            }
        }
        Field::Partition => {
            if let Some((_, c)) = tokens(text).first() {
                Some(*c)
            } else {
                (word(text) && contains_ignore_case(text, "partition")).then_some(&PARTITION_WORD)
            }
        }
        Field::ServicePrefix | Field::ServicePrincipalName => {
            service_word(text).then_some(&SERVICE_WORD)
        }
        Field::ActionName => action_word(text).then_some(&ACTION_WORD),
        Field::Principal => {
            // "Example Corp's AWS Account ID", `ACCOUNT-B-ID`: a description of an account where
            // an account ID or ARN goes.
            let described = !text.starts_with("arn:")
                && contains_ignore_case(text, "account")
                && text
                    .chars()
                    .all(|c| c.is_alphanumeric() || " -_'.".contains(c));
            if described {
                Some(&ACCOUNT_WORD)
            } else {
                whole_token(text)
            }
        }
        Field::BucketName => {
            if text.starts_with("DOC-EXAMPLE-") {
                Some(&DOC_EXAMPLE)
            } else if text.starts_with("amzn-s3-demo-") {
                Some(&AMZN_S3_DEMO)
            } else {
                None
            }
        }
        Field::KeyId => EXAMPLE_KEY_ID
            .examples
            .contains(&text)
            .then_some(&EXAMPLE_KEY_ID),
        Field::Arn | Field::Value => None,
    }
    .or_else(|| {
        // Names that are valid as they stand, in any field where a name goes.
        matches!(field, Field::Value | Field::BucketName)
            .then(|| example_name(text))
            .flatten()
    })?;
    Some(found(convention))
}

/// `AKIAIOSFODNN7EXAMPLE`, `ExampleRole`, `DOC-EXAMPLE-BUCKET`, `amzn-s3-demo-bucket`.
fn example_name(text: &str) -> Option<&'static Convention> {
    if text.starts_with("DOC-EXAMPLE") {
        Some(&DOC_EXAMPLE)
    } else if text.starts_with("amzn-s3-demo") {
        Some(&AMZN_S3_DEMO)
    } else if EXAMPLE_KEY_ID.examples.contains(&text) {
        Some(&EXAMPLE_KEY_ID)
    } else if text.contains("EXAMPLE") || text.starts_with("Example") {
        Some(&EXAMPLE_NAME)
    } else {
        None
    }
}

/// The convention of a value that is one placeholder token from end to end (`<bucket-arn>`,
/// `{{resource}}`, `<Ref:MyBucket>`, `${AccountId}`).
///
/// Also a value described in words (`A list of the resources the role is allowed to access`):
/// three or more words of letters, no leading or trailing space. No action, ARN, account ID or
/// service principal has a space, so such text is never a misspelled value.
pub fn whole_token(text: &str) -> Option<&'static Convention> {
    whole_bracket_token(text).or_else(|| is_description(text).then_some(&DESCRIPTION))
}

/// [`whole_token`] without descriptions in words: for values that may well hold words (a
/// condition value such as a tag's).
pub fn whole_bracket_token(text: &str) -> Option<&'static Convention> {
    match tokens(text).as_slice() {
        [(range, c)] if *range == (0..text.len()) => Some(*c),
        // A token that stands for an ARN, then a path or more fields: `<GetAtt:Bucket.Arn>/*`
        // (CloudFormation's `!Sub "${Bucket.Arn}/*"`), `<bucket-arn>/*`.
        [(range, c), ..]
            if range.start == 0
                && text[range.clone()].to_ascii_lowercase().contains("arn")
                && text[range.end..].starts_with(['/', ':']) =>
        {
            Some(*c)
        }
        _ => None,
    }
}

fn is_description(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    words.len() >= 3
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_alphabetic())
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "'-.,".contains(c))
        })
}

/// The placeholder tokens in a text, with their byte ranges: `<...>`, `{...}` and `{{...}}`,
/// and `${...}` that is no policy variable (no `service:key` inside; not the escapes `${*}`,
/// `${?}`, `${$}`).
pub fn tokens(text: &str) -> Vec<(std::ops::Range<usize>, &'static Convention)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let found = match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => text[i + 2..].find('}').map(|close| {
                let inner = &text[i + 2..i + 2 + close];
                let end = i + 3 + close;
                let convention = if inner.starts_with("AWS::") {
                    Some(&CLOUDFORMATION)
                } else if inner.contains(':')
                    || matches!(inner, "*" | "?" | "$")
                    || inner.is_empty()
                    || mistaken_variable(inner)
                {
                    // A policy variable (or a malformed one, which `validate::variables` reports).
                    None
                } else {
                    Some(&TEMPLATE_VARIABLE)
                };
                (end, convention)
            }),
            b'<' => text[i + 1..].find(['>', '<']).and_then(|close| {
                let inner = &text[i + 1..i + 1 + close];
                (text.as_bytes()[i + 1 + close] == b'>' && !inner.trim().is_empty()).then(|| {
                    let cfn = ["Ref:", "GetAtt:", "AWS::", "Fn::", "ImportValue:"]
                        .iter()
                        .any(|p| inner.starts_with(p));
                    (
                        i + 2 + close,
                        Some(if cfn { &CLOUDFORMATION } else { &ANGLE }),
                    )
                })
            }),
            b'{' => {
                let double = b.get(i + 1) == Some(&b'{');
                let open = if double { 2 } else { 1 };
                let close_with = if double { "}}" } else { "}" };
                text[i + open..].find(close_with).and_then(|close| {
                    let inner = &text[i + open..i + open + close];
                    (!inner.trim().is_empty() && !inner.contains(['{', '"']))
                        .then_some((i + open + close + close_with.len(), Some(&BRACE)))
                })
            }
            _ => None,
        };
        match found {
            Some((end, convention)) => {
                if let Some(c) = convention {
                    out.push((i..end, c));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The global keys AWS documents for use as policy variables, by their name without `aws:`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>,
/// "Request information that you can use for policy variables"). `${username}` is a policy
/// variable written without its `aws:`, a mistake `validate::variables` reports, not a
/// placeholder.
const VARIABLE_KEY_NAMES: [&str; 14] = [
    "username",
    "userid",
    "principaltype",
    "principaltag",
    "principalaccount",
    "principalorgid",
    "principalarn",
    "federatedprovider",
    "currenttime",
    "epochtime",
    "tokenissuetime",
    "sourceip",
    "useragent",
    "securetransport",
];

fn mistaken_variable(inner: &str) -> bool {
    let name = inner.split(['/', ',']).next().unwrap_or_default().trim();
    VARIABLE_KEY_NAMES
        .iter()
        .any(|k| k.eq_ignore_ascii_case(name))
}

/// Whether an ARN's fields are all of the shapes real ARNs have (or wildcards or variables),
/// and its service field holds no `service`: no field can be a placeholder word.
fn plain_fields(arn: &crate::iam::arn::Arn<'_>) -> bool {
    use crate::iam::arn::{is_account, is_region, partition_ok};
    let open = |f: &str| f.contains(['*', '?', '$']);
    partition_ok(arn.partition)
        && !arn
            .service
            .as_bytes()
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"service"))
        && (arn.region.is_empty() || open(arn.region) || is_region(arn.region))
        && (arn.account.is_empty()
            || open(arn.account)
            || is_account(arn.account)
            || arn.account == "aws")
}

/// Letters, digits, `-` and `_` only: one word of a field.
fn word(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.to_ascii_lowercase().contains(needle)
}

/// Lowercase, without `-` and `_`: `SERVICE-NAME` -> `servicename`.
fn squashed(text: &str) -> Option<String> {
    word(text).then(|| {
        text.bytes()
            .filter(|c| *c != b'-' && *c != b'_')
            .map(|c| char::from(c.to_ascii_lowercase()))
            .collect()
    })
}

/// `head` + `stem` + `tail` + an optional one-character index (`-1`, `-a`), after `squashed`.
fn stem_word(text: &str, heads: &[&str], stem: &str, tails: &[&str]) -> bool {
    let Some(s) = squashed(text) else {
        return false;
    };
    heads.iter().any(|h| {
        s.strip_prefix(h)
            .and_then(|r| r.strip_prefix(stem))
            .is_some_and(|r| {
                tails.iter().any(|t| {
                    r.strip_prefix(t).is_some_and(|index| {
                        index.len() <= 1 && index.bytes().all(|c| c.is_ascii_alphanumeric())
                    })
                })
            })
    })
}

/// `service`, `service-prefix`, `service-prefix-1`, `someservice`, `SERVICE-NAME`, `my-service`:
/// exactly these shapes, so that a misspelled real prefix (`servicecatalg`) is never one.
fn service_word(text: &str) -> bool {
    stem_word(
        text,
        &["", "some", "my", "your", "example", "aws"],
        "service",
        &["", "prefix", "name", "namespace", "code", "id"],
    )
}

/// `action`, `action-name`, `action-name-a`, `ActionName`, `some-action`.
fn action_word(text: &str) -> bool {
    ["action", "operation"].iter().any(|stem| {
        stem_word(
            text,
            &["", "some", "my", "your", "example"],
            stem,
            &["", "name"],
        )
    })
}

/// One placeholder found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The placeholder as written.
    pub token: String,
    pub convention: &'static Convention,
    /// What the value was checked with in its place (`None`: kept as written).
    pub example: Option<&'static str>,
}

/// A value with its placeholders replaced by valid examples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    /// Each placeholder that is not valid as it stands, in order (duplicates kept).
    pub found: Vec<Found>,
    /// Whether some part could not be given an example (a placeholder service prefix): the
    /// value then stands for resources of any type.
    pub open: bool,
}

/// An ARN with its placeholders filled: the partition, service, Region and account fields each
/// by its field's example, and, in the resource part, `${Name}` template variables rewritten as
/// `<Name>` (plain text, which no check reads as a policy variable); other tokens of the
/// resource part stay as written. `None` when the text is no ARN of six fields once its tokens
/// are set aside, or has no placeholder.
///
/// ARN fields: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>.
pub fn fill_arn(text: &str) -> Option<Filled> {
    // The masks below are private-use characters; a text that holds one itself (no ARN does)
    // is left as it is, for the other checks to report.
    if text.contains(['\u{E000}', '\u{E001}']) {
        return None;
    }
    let toks = tokens(text);
    // The tokens masked, so that a ':' inside one (`<AWS::AccountId>`) splits no field.
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for (i, (range, _)) in toks.iter().enumerate() {
        masked.push_str(&text[at..range.start]);
        masked.push_str(&format!("\u{E000}{i}\u{E001}"));
        at = range.end;
    }
    masked.push_str(&text[at..]);
    let arn = crate::iam::arn::parse_arn(&masked).ok()?;
    if toks.is_empty() && plain_fields(&arn) {
        // The common case: nothing to fill, decided without allocating.
        return None;
    }
    let unmask = |s: &str, resource: bool| -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('\u{E000}') {
            out.push_str(&rest[..open]);
            let after = &rest[open + '\u{E000}'.len_utf8()..];
            let close = after.find('\u{E001}').expect("masks close");
            let i: usize = after[..close].parse().expect("mask index");
            let token = &text[toks[i].0.clone()];
            match token.strip_prefix("${") {
                Some(inner) if resource => {
                    out.push('<');
                    out.push_str(inner.strip_suffix('}').unwrap_or(inner));
                    out.push('>');
                }
                _ => out.push_str(token),
            }
            rest = &after[close + '\u{E001}'.len_utf8()..];
        }
        out.push_str(rest);
        out
    };
    let mut found = Vec::new();
    let mut open = false;
    let mut field = |kind: Field, masked_field: &str| -> String {
        let raw = unmask(masked_field, false);
        match recognise(kind, &raw) {
            Some(r) if !r.convention.valid_as_is => {
                found.push(Found {
                    token: raw.clone(),
                    convention: r.convention,
                    example: r.example,
                });
                match r.example {
                    Some(e) => e.to_string(),
                    None => {
                        open = true;
                        raw.to_ascii_lowercase()
                    }
                }
            }
            _ => raw,
        }
    };
    let partition = field(Field::Partition, arn.partition);
    let service = field(Field::ServicePrefix, arn.service);
    let region = if arn.region.is_empty() {
        String::new()
    } else {
        field(Field::Region, arn.region)
    };
    let account = if arn.account.is_empty() {
        String::new()
    } else {
        field(Field::Account, arn.account)
    };
    let resource = unmask(arn.resource, true);
    // Tokens in the resource part (those in the fields were recorded above), in order.
    let mut rest = arn.resource;
    while let Some(open_at) = rest.find('\u{E000}') {
        let after = &rest[open_at + '\u{E000}'.len_utf8()..];
        let close = after.find('\u{E001}').expect("masks close");
        let i: usize = after[..close].parse().expect("mask index");
        found.push(Found {
            token: text[toks[i].0.clone()].to_string(),
            convention: toks[i].1,
            example: None,
        });
        rest = &after[close + '\u{E001}'.len_utf8()..];
    }
    if found.is_empty() {
        return None;
    }
    Some(Filled {
        text: format!("arn:{partition}:{service}:{region}:{account}:{resource}"),
        found,
        open,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(field: Field, text: &str) -> Option<&'static str> {
        recognise(field, text).map(|r| r.convention.name)
    }

    #[test]
    fn a_private_use_character_in_an_arn_is_left_alone() {
        // The masks' own characters in the text: nothing to fill, no panic.
        assert!(fill_arn("arn:aws:iam::cloudfront:user/CloudFrontId\u{E000}entity").is_none());
        assert!(fill_arn("arn:aws:s3:::<bucket>\u{E001}/*").is_none());
    }

    #[test]
    fn account_fields() {
        for t in [
            "account-id",
            "ACCOUNT-ID",
            "ACCOUNT-A-ID",
            "PRODUCTION-ACCOUNT-ID",
            "ACCOUNT-ID-THAT-CONTAINS-ROLE",
            "accountID",
            "account",
            "YOUR_ACCOUNT_ID",
        ] {
            assert_eq!(name(Field::Account, t), Some("account-ID word"), "{t}");
        }
        assert_eq!(
            name(Field::Account, "<account-number>"),
            Some("angle-bracket token")
        );
        assert_eq!(name(Field::Account, "{account-id}"), Some("brace token"));
        assert_eq!(
            name(Field::Account, "${AccountId}"),
            Some("`${...}` template variable")
        );
        assert_eq!(
            name(Field::Account, "<AWS::AccountId>"),
            Some("CloudFormation intrinsic")
        );
        assert_eq!(
            name(Field::Account, "${AWS::AccountId}"),
            Some("CloudFormation intrinsic")
        );
        assert_eq!(
            name(Field::Account, "xxxxxxxxxxxx"),
            Some("masked account ID")
        );
        let r = recognise(Field::Account, "111122223333").unwrap();
        assert!(r.convention.valid_as_is);
        assert_eq!(
            recognise(Field::Account, "account-id").unwrap().example,
            Some("123456789012")
        );
        // Typos and other text are not placeholders.
        assert_eq!(name(Field::Account, "12345678901"), None);
        assert_eq!(name(Field::Account, "${aws:PrincipalAccount}"), None);
        assert_eq!(name(Field::Account, "my-team"), None);
    }

    #[test]
    fn region_and_partition_fields() {
        for t in ["region", "REGION", "region-code", "AWS_REGION", "Region"] {
            assert_eq!(name(Field::Region, t), Some("Region word"), "{t}");
        }
        assert_eq!(name(Field::Region, "us-east-1"), None);
        assert_eq!(name(Field::Region, "us-est-1"), None);
        assert_eq!(
            name(Field::Region, "<AWS::Region>"),
            Some("CloudFormation intrinsic")
        );
        assert_eq!(name(Field::Partition, "partition"), Some("partition word"));
        assert_eq!(name(Field::Partition, "amazon"), None);
        assert_eq!(
            recognise(Field::Partition, "PARTITION").unwrap().example,
            Some("aws")
        );
    }

    #[test]
    fn services_and_actions() {
        for t in [
            "service",
            "SERVICE",
            "service-prefix",
            "service-prefix-1",
            "someservice",
            "SERVICE-NAME",
            "service_name",
        ] {
            assert_eq!(
                name(Field::ServicePrefix, t),
                Some("service-prefix word"),
                "{t}"
            );
        }
        // Misspelled real prefixes stay errors.
        for t in ["codedploy", "servicecatalg", "s4", "services3"] {
            assert_eq!(name(Field::ServicePrefix, t), None, "{t}");
        }
        for t in ["action-name", "action-name-a", "ActionName", "action"] {
            assert_eq!(name(Field::ActionName, t), Some("action-name word"), "{t}");
        }
        for t in ["DeletObject", "GetObjects", "actions-list"] {
            assert_eq!(name(Field::ActionName, t), None, "{t}");
        }
        assert_eq!(
            name(Field::ServicePrincipalName, "SERVICE-NAME"),
            Some("service-prefix word")
        );
        assert_eq!(
            recognise(Field::ServicePrincipalName, "SERVICE-NAME")
                .unwrap()
                .example,
            Some("ec2")
        );
    }

    #[test]
    fn whole_values_and_principals() {
        assert_eq!(
            whole_token("<bucket-arn>").map(|c| c.name),
            Some("angle-bracket token")
        );
        assert_eq!(
            whole_token("<Ref:MyBucket>").map(|c| c.name),
            Some("CloudFormation intrinsic")
        );
        assert_eq!(
            whole_token("<GetAtt:Bucket.Arn>").map(|c| c.name),
            Some("CloudFormation intrinsic")
        );
        assert_eq!(
            whole_token("{{resource}}").map(|c| c.name),
            Some("brace token")
        );
        assert_eq!(whole_token("${aws:username}"), None);
        // A policy variable that lost its `aws:` is a mistake, not a placeholder.
        assert_eq!(whole_token("${username}"), None);
        assert_eq!(whole_token("${PrincipalTag/team}"), None);
        assert_eq!(
            whole_token("${BucketName}").map(|c| c.name),
            Some("`${...}` template variable")
        );
        assert_eq!(whole_token("arn:aws:s3:::<b>"), None);
        assert_eq!(whole_token("<a> <b>"), None);
        assert_eq!(whole_token("<>"), None);
        assert_eq!(
            whole_token("A list of the resources the role is allowed to access").map(|c| c.name),
            Some("description in words")
        );
        assert_eq!(whole_token(" *"), None);
        assert_eq!(whole_token("ec2:* "), None);
        assert_eq!(whole_token("s3:Get Object"), None);
        assert_eq!(
            name(Field::Principal, "Example Corp's AWS Account ID"),
            Some("account-ID word")
        );
        assert_eq!(
            name(Field::Principal, "ACCOUNT-B-ID"),
            Some("account-ID word")
        );
        assert_eq!(
            name(
                Field::Principal,
                " arn:aws:iam::111122223333:user/AdminUser"
            ),
            None
        );
        assert_eq!(name(Field::Principal, "alice"), None);
        assert_eq!(
            name(Field::Value, "<ip-range>"),
            Some("angle-bracket token")
        );
        assert_eq!(
            name(Field::Value, "AKIAIOSFODNN7EXAMPLE"),
            Some("EXAMPLE name")
        );
        assert_eq!(
            name(Field::BucketName, "DOC-EXAMPLE-BUCKET"),
            Some("DOC-EXAMPLE name")
        );
        assert_eq!(
            name(Field::BucketName, "amzn-s3-demo-bucket"),
            Some("amzn-s3-demo name")
        );
        assert_eq!(
            name(Field::KeyId, "1234abcd-12ab-34cd-56ef-1234567890ab"),
            Some("example KMS key ID")
        );
    }

    fn filled(arn: &str) -> Option<(String, Vec<String>, bool)> {
        fill_arn(arn).map(|f| {
            (
                f.text,
                f.found.iter().map(|x| x.token.clone()).collect(),
                f.open,
            )
        })
    }

    #[test]
    fn arns_are_filled_field_by_field() {
        assert_eq!(
            filled("arn:aws:iam::account-id:root"),
            Some((
                "arn:aws:iam::123456789012:root".into(),
                vec!["account-id".into()],
                false
            ))
        );
        assert_eq!(
            filled("arn:aws:iam::<account-number>:user/<username>"),
            Some((
                "arn:aws:iam::123456789012:user/<username>".into(),
                vec!["<account-number>".into(), "<username>".into()],
                false
            ))
        );
        assert_eq!(
            filled("arn:aws:service:region:account:*"),
            Some((
                "arn:aws:service:us-east-1:123456789012:*".into(),
                vec!["service".into(), "region".into(), "account".into()],
                true
            ))
        );
        assert_eq!(
            filled("arn:partition:s3:::b/*").map(|f| f.0),
            Some("arn:aws:s3:::b/*".into())
        );
        assert_eq!(
            filled("arn:aws:iam::<AWS::AccountId>:role/x").map(|f| f.0),
            Some("arn:aws:iam::123456789012:role/x".into())
        );
        assert_eq!(
            filled("arn:${AWS::Partition}:s3:::${BucketName}/*").map(|f| f.0),
            Some("arn:aws:s3:::<BucketName>/*".into())
        );
        // A placeholder account does not hide a wrong Region: the Region stays as written.
        assert_eq!(
            filled("arn:aws:logs:moon-1:account-id:log-group:x").map(|f| f.0),
            Some("arn:aws:logs:moon-1:123456789012:log-group:x".into())
        );
        // Nothing to fill.
        assert_eq!(filled("arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"), None);
        assert_eq!(
            filled("arn:aws:iam::111122223333:user/${aws:username}"),
            None
        );
        assert_eq!(filled("arn:aws:iam::user/<name>"), None);
    }

    #[test]
    fn the_guide_lists_every_convention() {
        let guide = include_str!("../../guide/src/placeholders.md");
        for c in CONVENTIONS {
            assert!(!c.examples.is_empty(), "{}", c.name);
            assert!(
                guide.contains(&format!("| {} |", c.name)),
                "guide/src/placeholders.md has no row for `{}`",
                c.name
            );
        }
    }
}
