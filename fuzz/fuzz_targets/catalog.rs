//! A catalog from arbitrary bytes: loaded, checked, and its entries expanded.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_iam_fuzz::promises::catalog(data));
