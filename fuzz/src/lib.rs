//! Fuzzing mdbook-iam: the promises each target checks (`promises`, shared with the stable
//! regression test), the page builder the mutating target decodes its input with (`mutate`), and
//! the language server session `lsp_edits` decodes its input into (`lsp`, shared with the
//! regression test too).

pub mod lsp;
pub mod mutate;
pub mod promises;
