//! Condition-key types as AWS documents them, and which operator families each accepts. The one
//! type for keys: the catalog's documented keys and AWS's service data both use it.

use crate::iam::operator::OperatorFamily;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
    ArrayOfString,
    ArrayOfArn,
    ArrayOfNumeric,
    ArrayOfDate,
    ArrayOfBool,
    ArrayOfIpAddress,
    ArrayOfBinary,
}

/// How well an operator family fits a key type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Yes,
    /// Works, because IAM then compares the value's text, but AWS recommends the key's own
    /// family (String operators on ARN, Bool, Numeric or Date keys; Arn operators on String keys).
    Discouraged,
    No,
}

impl KeyType {
    /// The names AWS uses, in the catalog's and AWS data's spelling.
    pub const NAMES: [&'static str; 14] = [
        "String",
        "ARN",
        "Numeric",
        "Date",
        "Bool",
        "IPAddress",
        "Binary",
        "ArrayOfString",
        "ArrayOfARN",
        "ArrayOfNumeric",
        "ArrayOfDate",
        "ArrayOfBool",
        "ArrayOfIPAddress",
        "ArrayOfBinary",
    ];
    const ALL: [KeyType; 14] = [
        KeyType::String,
        KeyType::Arn,
        KeyType::Numeric,
        KeyType::Date,
        KeyType::Bool,
        KeyType::IpAddress,
        KeyType::Binary,
        KeyType::ArrayOfString,
        KeyType::ArrayOfArn,
        KeyType::ArrayOfNumeric,
        KeyType::ArrayOfDate,
        KeyType::ArrayOfBool,
        KeyType::ArrayOfIpAddress,
        KeyType::ArrayOfBinary,
    ];

    /// AWS's other spellings of the types, read as the types they name.
    pub const ALIASES: [(&'static str, KeyType); 7] = [
        ("Boolean", KeyType::Bool),
        ("Long", KeyType::Numeric),
        ("Integer", KeyType::Numeric),
        ("ArrayOfBoolean", KeyType::ArrayOfBool),
        ("ArrayOfLong", KeyType::ArrayOfNumeric),
        ("ArrayOfInteger", KeyType::ArrayOfNumeric),
        ("IPAddr", KeyType::IpAddress),
    ];

    /// Parses AWS's type names, case-insensitively (AWS's own data spells `Arn`/`ARN`,
    /// `Boolean`/`Bool`, `Long`).
    pub fn parse(s: &str) -> Option<KeyType> {
        Self::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(s))
            .map(|i| Self::ALL[i])
            .or_else(|| {
                Self::ALIASES
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(s))
                    .map(|(_, t)| *t)
            })
    }

    /// AWS's spelling of the type.
    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|t| *t == self).expect("listed")]
    }

    /// True for the `ArrayOf*` types: the request may carry several values, and conditions on
    /// the key need `ForAllValues:` or `ForAnyValue:`.
    pub fn is_multivalued(self) -> bool {
        self.base() != self
    }

    /// The element type of an array type; the type itself otherwise.
    pub fn base(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfNumeric => KeyType::Numeric,
            KeyType::ArrayOfDate => KeyType::Date,
            KeyType::ArrayOfBool => KeyType::Bool,
            KeyType::ArrayOfIpAddress => KeyType::IpAddress,
            KeyType::ArrayOfBinary => KeyType::Binary,
            t => t,
        }
    }

    /// The operator family made for values of this type (`Null` fits every type).
    pub fn family(self) -> OperatorFamily {
        match self.base() {
            KeyType::Arn => OperatorFamily::Arn,
            KeyType::Numeric => OperatorFamily::Numeric,
            KeyType::Date => OperatorFamily::Date,
            KeyType::Bool => OperatorFamily::Bool,
            KeyType::IpAddress => OperatorFamily::IpAddress,
            KeyType::Binary => OperatorFamily::Binary,
            _ => OperatorFamily::String,
        }
    }

    pub fn accepts(self, family: OperatorFamily) -> Fit {
        use OperatorFamily as F;
        let own = self.family();
        match (own, family) {
            (_, F::Null) => Fit::Yes,
            (own, f) if own == f => Fit::Yes,
            // IAM compares the text of the value: it works, but the key's own family says more
            // (except on the ARN keys of `STRING_OPERATOR_ARN_KEYS`).
            (F::Arn | F::Bool | F::Numeric | F::Date, F::String) => Fit::Discouraged,
            (F::String, F::Arn) => Fit::Discouraged,
            _ => Fit::No,
        }
    }
}

/// ARN keys that AWS documents with String operators as well as ARN operators, so a String
/// operator on them is no mismatch at all:
///
/// - `aws:PrincipalArn` and `aws:SourceArn`: "Works with ARN operators and string operators"
///   (IAM User Guide, "AWS global condition context keys");
/// - `iam:PermissionsBoundary`: the IAM User Guide's own example compares it with `StringEquals`
///   ("Permissions boundaries for IAM entities": `"StringEquals": {"iam:PermissionsBoundary":
///   "arn:aws:iam::123456789012:policy/XCompanyBoundaries"}`);
/// - `aws:ChatbotSourceArn`: AWS Chatbot's guide compares it with `StringLike` ("Service control
///   policies (SCPs) for AWS Chatbot").
///
/// On other ARN keys a String operator stays a warning, not an error: the IAM User Guide's "IAM
/// JSON policy elements: Condition operators" allows it for any ARN ("There are certain cases
/// when a string operator would match when an ARN operator would not match. In that case, try
/// using string condition operators").
pub const STRING_OPERATOR_ARN_KEYS: [&str; 4] = [
    "aws:PrincipalArn",
    "aws:SourceArn",
    "aws:ChatbotSourceArn",
    "iam:PermissionsBoundary",
];

/// Whether AWS documents String operators for this ARN key (case-insensitive).
pub fn string_operators_documented(key: &str) -> bool {
    STRING_OPERATOR_ARN_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// Whether AWS documents numeric operators for this Date key: `aws:EpochTime` "Works with date
/// operators or numeric operators" and "also accepts the number of seconds since January 1,
/// 1970" (IAM User Guide, "AWS global condition context keys").
pub fn numeric_operators_documented(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:EpochTime")
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aws_spellings() {
        assert_eq!(KeyType::parse("Bool"), Some(KeyType::Bool));
        assert_eq!(KeyType::parse("Boolean"), Some(KeyType::Bool));
        assert_eq!(KeyType::parse("ArrayOfARN"), Some(KeyType::ArrayOfArn));
        assert_eq!(KeyType::parse("arn"), Some(KeyType::Arn));
        assert_eq!(KeyType::parse("ArrayOfLong"), Some(KeyType::ArrayOfNumeric));
        assert_eq!(KeyType::parse("Strin"), None);
        assert!(KeyType::ArrayOfString.is_multivalued());
        assert!(!KeyType::String.is_multivalued());
        assert_eq!(KeyType::ArrayOfArn.base(), KeyType::Arn);
        assert_eq!(KeyType::Bool.base(), KeyType::Bool);
        assert_eq!(KeyType::IpAddress.to_string(), "IPAddress");
    }

    #[test]
    fn operator_fit() {
        assert_eq!(KeyType::Bool.accepts(OperatorFamily::Bool), Fit::Yes);
        assert_eq!(KeyType::Bool.accepts(OperatorFamily::Numeric), Fit::No);
        assert_eq!(
            KeyType::Bool.accepts(OperatorFamily::String),
            Fit::Discouraged
        );
        assert_eq!(KeyType::String.accepts(OperatorFamily::Null), Fit::Yes);
        assert_eq!(KeyType::String.accepts(OperatorFamily::Numeric), Fit::No);
        assert_eq!(
            KeyType::Arn.accepts(OperatorFamily::String),
            Fit::Discouraged
        );
        // IAM User Guide, "AWS global condition context keys", aws:PrincipalArn: "Works with
        // ARN operators and string operators".
        assert!(string_operators_documented("AWS:principalarn"));
        assert!(string_operators_documented("iam:PermissionsBoundary"));
        assert!(!string_operators_documented("ec2:InstanceProfile"));
        assert!(numeric_operators_documented("aws:epochtime"));
        assert!(!numeric_operators_documented("aws:CurrentTime"));
        assert_eq!(
            KeyType::String.accepts(OperatorFamily::Arn),
            Fit::Discouraged
        );
        assert_eq!(KeyType::ArrayOfArn.accepts(OperatorFamily::Arn), Fit::Yes);
        assert_eq!(KeyType::IpAddress.accepts(OperatorFamily::String), Fit::No);
    }
}
