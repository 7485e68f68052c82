//! Text outside directives comes out byte for byte as it went in, whatever the text is.

mod common;

use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::expand::Expander;
use mdbook_iam::open_catalog;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::SourceFile;
use proptest::prelude::*;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let path = common::example_catalog();
        open_catalog(&path, path.parent().unwrap(), AwsData::embedded()).catalog
    })
}

/// Markdown-ish text: the characters that make code spans, fences, lists, quotes, HTML and
/// near-miss directives, without forming a directive.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[ab \n#>*`~<{}/\\\\\\[\\]()!:1.-]{0,200}")
        .unwrap()
        .prop_filter("no directive", |s| !s.contains("<<#") && !s.contains("{/*"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn text_without_directives_is_unchanged(t in text()) {
        for flavor in Flavor::ALL {
            let exp = Expander::new(catalog(), flavor).expand(&SourceFile::new("p.md", t.clone()));
            prop_assert_eq!(&exp.text, &t);
            prop_assert_eq!(exp.expanded, 0);
        }
    }

    #[test]
    fn text_around_a_directive_is_unchanged(before in text(), after in text()) {
        let page = format!("{before}\n\n<<#iam-policy s3-readonly>>\n\n{after}");
        let exp = Expander::new(catalog(), Flavor::Mdbook).expand(&SourceFile::new("p.md", page.clone()));
        prop_assert!(exp.text.starts_with(&before), "prefix changed");
        prop_assert!(exp.text.ends_with(&after), "suffix changed");
        if exp.expanded == 1 {
            prop_assert!(exp.text.contains("\"s3:GetObject\""));
        } else {
            // The text before opened code that swallowed the directive: then nothing changes.
            prop_assert_eq!(&exp.text, &page);
        }
    }
}
