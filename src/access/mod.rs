//! Access over all of AWS: what a policy set allows, computed by evaluating one request per
//! class of requests the policies tell apart (`space`), over every action of AWS's data
//! (`universe`). Quantified claims, access summaries and diffs are read off the result.

mod algebra;
mod cases;
pub mod claims;
pub mod command;
pub mod diff;
pub mod diff_input;
pub mod diff_render;
pub mod render;
pub mod report;
pub mod space;
pub mod universe;

pub use space::{Class, Explored, Question, ResourceRep, TooComplex, explore};
pub use universe::{UAction, Universe};
pub mod summary;

pub use summary::{KeyCondition, Row, rows};

#[cfg(test)]
mod tests;
