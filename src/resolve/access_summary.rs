//! `iam-access-summary NAME [MODIFIER...]`: what a catalog policy or role allows, per service
//! and access level, computed by evaluation over every action of AWS's data (see
//! `crate::access`). Unknown names are errors at their word, with a "did you mean".

use super::{Resolved, Table};
use crate::access::command::{catalog_subject, principal_for, summarize_built};
use crate::access::render::intro;
use crate::access::report::TABLE_HEADER;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Finding};
use crate::page::directive::Directive;
use crate::validate::Validator;

pub fn resolve(
    d: &Directive,
    catalog: &Catalog,
    validator: &Validator<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Resolved> {
    let name = &d.args[0];
    let built = match catalog_subject(catalog, validator, name, &d.args[1..], false) {
        Ok(b) => b,
        Err(fs) => {
            findings.extend(fs);
            return None;
        }
    };
    let role = catalog
        .role(&name.value)
        .filter(|_| catalog.policy(&name.value).is_none())
        .map(|r| r.role_name.as_str());
    let principal = principal_for(catalog, &built, role);
    match summarize_built(&name.value, &built, &principal, validator.aws) {
        Ok(s) => Some(Resolved::AccessSummary {
            intro: intro(&s, validator.aws),
            table: Table {
                header: TABLE_HEADER.iter().map(|h| h.to_string()).collect(),
                rows: s.table_rows(),
            },
        }),
        Err(why) => {
            findings.push(
                Finding::at(
                    Code::AccessTooComplex,
                    format!("`{}` cannot be summarized: {why}", name.value),
                    &d.span,
                )
                .with_help("split the statements that compare many condition keys, or show the policy's truth table for the keys that matter"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::diagnostic::Code;
    use crate::expand::Expander;
    use crate::render::Flavor;
    use crate::source::SourceFile;

    const CATALOG: &str = r#"
[modifiers.tls]
description = "Only over TLS."
add-condition = { Bool = { "aws:SecureTransport" = "true" } }

[policies.reader]
[[policies.reader.statements]]
Effect = "Allow"
Action = ["s3:Get*", "ec2:Describe*"]
Resource = ["arn:aws:s3:::docs/*", "*"]

[[policies.reader.statements]]
Effect = "Deny"
Action = "s3:GetObject"
Resource = "arn:aws:s3:::docs/private/*"

[roles.app]
name = "App"
trust-policy = "reader"
policies = ["reader"]
"#;

    fn expand(page: &str, flavor: Flavor) -> crate::expand::Expansion {
        let loaded = Catalog::from_text("c.toml", CATALOG);
        assert!(!loaded.has_errors(), "{:?}", loaded.findings);
        Expander::new(&loaded.catalog, flavor).expand(&SourceFile::new("p.md", page))
    }

    #[test]
    fn a_table_per_service_and_level_with_exact_wildcards_only() {
        let exp = expand("<<#iam-access-summary reader>>\n", Flavor::Gfm);
        assert!(exp.findings.is_empty(), "{:?}", exp.findings);
        let t = &exp.text;
        assert!(
            t.starts_with("What `reader` allows, computed on every build"),
            "{t}"
        );
        assert!(
            t.contains(crate::aws_data::AwsData::embedded().version()),
            "{t}"
        );
        // Every `ec2:Describe*` action is allowed alike: the wildcard stands for them.
        assert!(t.contains("| `ec2:Describe*` ("), "{t}");
        // `s3:Get*` is not exact: a Deny takes part of `s3:GetObject` away.
        assert!(!t.contains("`s3:Get*`"), "{t}");
        assert!(t.contains("except `arn:aws:s3:::docs/private/*`"), "{t}");
        let lines: Vec<&str> = t.lines().filter(|l| l.starts_with('|')).collect();
        assert!(
            lines[0].starts_with("| Service | Access level | Actions"),
            "{t}"
        );
        // Prettier's table: every line as wide as the header.
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count())
        );
    }

    #[test]
    fn modifiers_and_roles() {
        let exp = expand("<<#iam-access-summary reader tls>>\n", Flavor::Docusaurus);
        assert!(exp.findings.is_empty(), "{:?}", exp.findings);
        assert!(
            exp.text.contains("`aws:SecureTransport` is `true`"),
            "{}",
            exp.text
        );
        let exp = expand("{/* iam-access-summary app */}\n", Flavor::Docusaurus);
        assert!(exp.findings.is_empty(), "{:?}", exp.findings);
        assert!(exp.text.contains("What `app` allows"), "{}", exp.text);
    }

    #[test]
    fn unknown_names_are_located_with_a_suggestion() {
        let exp = expand("<<#iam-access-summary readr>>\n", Flavor::Gfm);
        let f = exp
            .findings
            .iter()
            .find(|f| f.code == Code::UnknownPolicy)
            .expect("unknown-policy");
        assert_eq!(f.help.as_deref(), Some("did you mean `reader`?"));
        assert_eq!(f.span.as_ref().unwrap().line_col(), (1, 23));
        let exp = expand("<<#iam-access-summary reader tl>>\n", Flavor::Gfm);
        assert!(
            exp.findings.iter().any(|f| f.code == Code::UnknownModifier),
            "{:?}",
            exp.findings
        );
        let exp = expand("<<#iam-access-summary app tls>>\n", Flavor::Gfm);
        assert!(
            exp.has_errors(),
            "a role takes no modifiers: {:?}",
            exp.findings
        );
    }
}
