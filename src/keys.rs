//! Condition-key types as AWS documents them, and which operator families each accepts.

use crate::policy::OperatorFamily;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Works, but AWS recommends the other family (String operators on ARN keys).
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

    /// Parses AWS's type names, case-insensitively (AWS's own data spells `Arn`/`ARN`, `Boolean`/`Bool`, `Long`).
    pub fn parse(s: &str) -> Option<KeyType> {
        let l = s.to_ascii_lowercase();
        let alias = match l.as_str() {
            "boolean" => "bool",
            "long" | "integer" => "numeric",
            "arrayofboolean" => "arrayofbool",
            "arrayoflong" => "arrayofnumeric",
            "ipaddr" => "ipaddress",
            other => other,
        };
        Self::NAMES
            .iter()
            .position(|n| n.to_ascii_lowercase() == alias)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|t| *t == self).expect("listed")]
    }

    pub fn is_multivalued(self) -> bool {
        self.name().starts_with("ArrayOf")
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

    pub fn accepts(self, family: OperatorFamily) -> Fit {
        use OperatorFamily as F;
        match (self.base(), family) {
            (_, F::Null) => Fit::Yes,
            (KeyType::String, F::String) => Fit::Yes,
            (KeyType::Arn, F::Arn) => Fit::Yes,
            (KeyType::Arn, F::String) => Fit::Discouraged,
            (KeyType::Numeric, F::Numeric) => Fit::Yes,
            (KeyType::Date, F::Date) => Fit::Yes,
            (KeyType::Bool, F::Bool) => Fit::Yes,
            (KeyType::IpAddress, F::IpAddress) => Fit::Yes,
            (KeyType::Binary, F::Binary) => Fit::Yes,
            _ => Fit::No,
        }
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
        assert_eq!(KeyType::parse("Strin"), None);
        assert!(KeyType::ArrayOfString.is_multivalued());
        assert_eq!(KeyType::ArrayOfArn.base(), KeyType::Arn);
    }

    #[test]
    fn operator_fit() {
        assert_eq!(KeyType::Bool.accepts(OperatorFamily::Bool), Fit::Yes);
        assert_eq!(KeyType::Bool.accepts(OperatorFamily::String), Fit::No);
        assert_eq!(KeyType::String.accepts(OperatorFamily::Null), Fit::Yes);
        assert_eq!(KeyType::Arn.accepts(OperatorFamily::String), Fit::Discouraged);
    }
}
