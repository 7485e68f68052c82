//! An example page under structured edits, through the same promises as the `page` target.
#![no_main]
use mdbook_iam_fuzz::mutate::Mutated;
libfuzzer_sys::fuzz_target!(|page: Mutated| mdbook_iam_fuzz::promises::check_page(&page.0));
