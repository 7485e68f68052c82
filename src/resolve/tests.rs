//! `iam-policy`'s parameters: `file`, and the catalog placeholders a directive fills.

use crate::catalog::Catalog;
use crate::diagnostic::Code;
use crate::expand::Expander;
use crate::render::Flavor;
use crate::source::SourceFile;

const CATALOG: &str = r#"
[placeholders."<ACCOUNT_ID>"]
example = "111122223333"
param = "account"

[placeholders."<BUCKET>"]
example = "amzn-s3-demo-bucket"
param = "bucket"

[placeholders."<NOTE>"]
example = "n"

[policies.read]
file = "read.json"
[[policies.read.statements]]
Effect = "Allow"
Action = "s3:GetObject"
Resource = "arn:aws:s3:::<BUCKET>/<ACCOUNT_ID>/*"

[policies.pass]
[[policies.pass.statements]]
Effect = "Allow"
Action = "iam:PassRole"
Resource = "arn:aws:iam::<ACCOUNT_ID>:role/app"
"#;

fn expand(page: &str, flavor: Flavor) -> crate::expand::Expansion {
    let loaded = Catalog::from_text("c.toml", CATALOG);
    assert!(!loaded.has_errors(), "{:?}", loaded.findings);
    Expander::new(&loaded.catalog, flavor).expand(&SourceFile::new("p.md", page))
}

#[test]
fn parameters_fill_their_placeholders_in_the_output() {
    let exp = expand(
        "Before.\n\n<<#iam-policy read account=444455556666 bucket=my-bucket>>\n\nAfter.\n",
        Flavor::Mdbook,
    );
    assert!(exp.findings.is_empty(), "{:?}", exp.findings);
    assert_eq!(
        exp.text,
        "Before.\n\n**`read.json`**\n\n```json\n{\n  \"Version\": \"2012-10-17\",\n  \
         \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \
         \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::my-bucket/444455556666/*\"\n    \
         }\n  ]\n}\n```\n\nAfter.\n"
    );
}

#[test]
fn the_mdx_comment_spelling_takes_them_too() {
    let exp = expand(
        "{/* iam-policy read account=444455556666 file=\"\" */}\n",
        Flavor::Docusaurus,
    );
    assert!(exp.findings.is_empty(), "{:?}", exp.findings);
    assert_eq!(
        exp.text,
        "```json\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \
         \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \
         \"arn:aws:s3:::<BUCKET>/444455556666/*\"\n    }\n  ]\n}\n```\n"
    );
}

#[test]
fn without_a_parameter_the_token_shows() {
    let exp = expand("<<#iam-policy read file=\"\">>\n", Flavor::Mdbook);
    assert!(exp.findings.is_empty(), "{:?}", exp.findings);
    assert!(
        exp.text
            .contains("\"arn:aws:s3:::<BUCKET>/<ACCOUNT_ID>/*\""),
        "{}",
        exp.text
    );
}

#[test]
fn validation_uses_the_given_value() {
    // An account ID of five digits is no account ID: the value given is what is checked, and
    // without one the example is.
    let exp = expand("<<#iam-policy pass account=12345>>\n", Flavor::Mdbook);
    assert!(exp.has_errors(), "{:?}", exp.findings);
    assert!(exp.text.contains("<<#iam-policy pass account=12345>>"));
    for page in [
        "<<#iam-policy pass account=444455556666>>\n",
        "<<#iam-policy pass>>\n",
    ] {
        let fine = expand(page, Flavor::Mdbook);
        assert!(!fine.has_errors(), "{:?}", fine.findings);
    }
}

#[test]
fn an_unknown_parameter_is_an_error_with_a_suggestion() {
    let exp = expand("<<#iam-policy read acount=444455556666>>\n", Flavor::Mdbook);
    let f = exp
        .findings
        .iter()
        .find(|f| f.code == Code::UnknownParameter)
        .expect("unknown-parameter");
    assert!(f.is_error());
    assert_eq!(f.help.as_deref(), Some("did you mean `account`?"));
    // A placeholder without `param` cannot be filled from a page.
    let exp = expand("<<#iam-policy read NOTE=x>>\n", Flavor::Mdbook);
    let f = exp
        .findings
        .iter()
        .find(|f| f.code == Code::UnknownParameter)
        .expect("unknown-parameter");
    assert!(
        f.help
            .as_deref()
            .unwrap_or("")
            .contains("file, account, bucket"),
        "{:?}",
        f.help
    );
}

#[test]
fn a_param_must_be_a_new_word() {
    for (param, what) in [
        ("file", "`iam-policy`'s own"),
        ("two words", "must be a word"),
        ("account", "two placeholders"),
    ] {
        let text = format!(
            "[placeholders.\"<A>\"]\nexample = \"1\"\nparam = \"account\"\n\
             [placeholders.\"<B>\"]\nexample = \"2\"\nparam = \"{param}\"\n"
        );
        let loaded = Catalog::from_text("c.toml", &text);
        assert!(
            loaded
                .findings
                .iter()
                .any(|f| f.code == Code::CatalogSchema && f.message.contains(what)),
            "{param}: {:?}",
            loaded.findings
        );
    }
}
