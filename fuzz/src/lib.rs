//! Fuzzing mdbook-iam: the promises each target checks (`promises`, shared with the stable
//! regression test) and the page builder the mutating target decodes its input with (`mutate`).

pub mod mutate;
pub mod promises;
