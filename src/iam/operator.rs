//! Condition operators: IAM's base operators as one table (family, negation, wildcards), read
//! compositionally as `[ForAllValues:|ForAnyValue:]Base[IfExists]`, so parsing, type checks and
//! evaluation agree.

use std::fmt;

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// What kind of value an operator compares; it must agree with the condition key's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

impl OperatorFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorFamily::String => "String",
            OperatorFamily::Numeric => "Numeric",
            OperatorFamily::Date => "Date",
            OperatorFamily::Bool => "Bool",
            OperatorFamily::Binary => "Binary",
            OperatorFamily::IpAddress => "IpAddress",
            OperatorFamily::Arn => "Arn",
            OperatorFamily::Null => "Null",
        }
    }
}

/// The base operators, with their family and whether they negate or match wildcards.
/// One table, so parsing, type checks and (later) evaluation agree.
const BASE_OPERATORS: &[(&str, OperatorFamily, bool, bool)] = &[
    // name, family, negated, wildcard-capable (`*Like`)
    ("StringEquals", OperatorFamily::String, false, false),
    ("StringNotEquals", OperatorFamily::String, true, false),
    (
        "StringEqualsIgnoreCase",
        OperatorFamily::String,
        false,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        OperatorFamily::String,
        true,
        false,
    ),
    ("StringLike", OperatorFamily::String, false, true),
    ("StringNotLike", OperatorFamily::String, true, true),
    ("NumericEquals", OperatorFamily::Numeric, false, false),
    ("NumericNotEquals", OperatorFamily::Numeric, true, false),
    ("NumericLessThan", OperatorFamily::Numeric, false, false),
    (
        "NumericLessThanEquals",
        OperatorFamily::Numeric,
        false,
        false,
    ),
    ("NumericGreaterThan", OperatorFamily::Numeric, false, false),
    (
        "NumericGreaterThanEquals",
        OperatorFamily::Numeric,
        false,
        false,
    ),
    ("DateEquals", OperatorFamily::Date, false, false),
    ("DateNotEquals", OperatorFamily::Date, true, false),
    ("DateLessThan", OperatorFamily::Date, false, false),
    ("DateLessThanEquals", OperatorFamily::Date, false, false),
    ("DateGreaterThan", OperatorFamily::Date, false, false),
    ("DateGreaterThanEquals", OperatorFamily::Date, false, false),
    ("Bool", OperatorFamily::Bool, false, false),
    ("BinaryEquals", OperatorFamily::Binary, false, false),
    ("IpAddress", OperatorFamily::IpAddress, false, false),
    ("NotIpAddress", OperatorFamily::IpAddress, true, false),
    ("ArnEquals", OperatorFamily::Arn, false, true),
    ("ArnLike", OperatorFamily::Arn, false, true),
    ("ArnNotEquals", OperatorFamily::Arn, true, true),
    ("ArnNotLike", OperatorFamily::Arn, true, true),
    ("Null", OperatorFamily::Null, false, false),
];

/// A condition operator, read compositionally: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub base: &'static str,
    pub family: OperatorFamily,
    pub negated: bool,
    pub wildcards: bool,
    pub if_exists: bool,
}

impl Operator {
    pub fn parse(s: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(r) = s.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = s.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, s)
        };
        let find = |name: &str| BASE_OPERATORS.iter().find(|(n, ..)| *n == name);
        let (entry, if_exists) = match find(rest) {
            Some(e) => (e, false),
            None => (find(rest.strip_suffix("IfExists")?)?, true),
        };
        let &(base, family, negated, wildcards) = entry;
        Some(Operator {
            qualifier,
            base,
            family,
            negated,
            wildcards,
            if_exists,
        })
    }

    pub fn base_names() -> impl Iterator<Item = &'static str> {
        BASE_OPERATORS.iter().map(|(n, ..)| *n)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base)?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_compositionally() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists && op.wildcards);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(
            Operator::parse("BoolIfExists").unwrap().family,
            OperatorFamily::Bool
        );
        assert!(Operator::parse("StringEqualsIgnorecase").is_none());
        assert!(Operator::parse("IfExists").is_none());
        assert!(Operator::parse("ForAllValues:").is_none());
    }
}
