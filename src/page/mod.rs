//! A page's own text: finding directives and code in it (`scan`), reading one directive
//! (`directive`), splicing expansions back by byte offset with the page's line prefixes
//! (`splice`), and checking the policies a page pastes as ```json blocks (`pasted`).

pub mod directive;
pub mod pasted;
pub mod scan;
pub mod splice;
