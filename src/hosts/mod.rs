//! Hosts: the programs mdbook-iam runs inside. Each is a thin adapter over the library's whole
//! runs (`crate::run`). The command line is `src/main.rs`; the Docusaurus plugin is JavaScript
//! in `docusaurus-plugin/`, which runs the command line.

pub mod mdbook;
