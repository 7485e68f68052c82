//! An editing session with the language server (`fuzz/src/lsp.rs`): no panic, and one response
//! to every request.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mdbook_iam_fuzz::lsp::session(data, mdbook_iam_fuzz::lsp::example_book())
});
