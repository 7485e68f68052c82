//! Every directive kind in every flavor, pinned as snapshots of the whole expanded page.

mod common;

use mdbook_iam::aws_data::AwsData;
use mdbook_iam::catalog::Catalog;
use mdbook_iam::expand::Expander;
use mdbook_iam::open_catalog;
use mdbook_iam::render::Flavor;
use mdbook_iam::source::SourceFile;

fn catalog() -> Catalog {
    let path = common::example_catalog();
    let loaded = open_catalog(&path, path.parent().unwrap(), AwsData::embedded());
    assert!(
        loaded.findings.is_empty(),
        "{}",
        mdbook_iam::diagnostic::render_text(&loaded.findings, Default::default())
    );
    loaded.catalog
}

fn expand(flavor: Flavor) -> String {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/all-kinds.md")).unwrap();
    let catalog = catalog();
    let exp = Expander::new(&catalog, flavor).expand(&SourceFile::new("all-kinds.md", text));
    assert!(
        exp.findings.is_empty(),
        "{}",
        mdbook_iam::diagnostic::render_text(&exp.findings, Default::default())
    );
    assert_eq!(exp.expanded, 18);
    exp.text
}

#[test]
fn mdbook_flavor() {
    insta::assert_snapshot!(expand(Flavor::Mdbook));
}

#[test]
fn docusaurus_flavor() {
    insta::assert_snapshot!(expand(Flavor::Docusaurus));
}

#[test]
fn gfm_flavor() {
    insta::assert_snapshot!(expand(Flavor::Gfm));
}

#[test]
fn expansion_is_deterministic() {
    assert_eq!(expand(Flavor::Mdbook), expand(Flavor::Mdbook));
}
