//! A policy document from arbitrary bytes, validated as each kind.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_iam_fuzz::promises::policy(data));
