//! A page from arbitrary bytes: expanded in every flavor, checked and synced.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_iam_fuzz::promises::page(data));
