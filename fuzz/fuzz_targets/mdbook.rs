//! An mdBook request (`[context, book]` JSON) through the mdBook host, in the example book
//! (written once into fuzz/book/, gitignored).
#![no_main]
use std::path::PathBuf;
use std::sync::LazyLock;

static BOOK: LazyLock<PathBuf> = LazyLock::new(|| {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/book"));
    mdbook_iam_fuzz::promises::write_example_book(&root);
    root
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| mdbook_iam_fuzz::promises::mdbook_request(data, &BOOK));
