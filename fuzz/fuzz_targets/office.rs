//! Any bytes as a DOCX, ODT or EPUB package: no panic, no hang, no unbounded memory (the
//! package limits hold against zip bombs), an error is a document error naming the file, and a
//! document that is read has a text and pages (an e-book's chapters) that point into it in
//! order.
//!
//! The first byte picks the format (its value modulo three); the rest is the file. Seed the
//! corpus with the fixtures of `tests/fixtures/publications/` (each with a format byte in
//! front) to start from real packages; see fuzz/README.md.
#![no_main]

use std::path::PathBuf;

use integra::Error;
use integra::corpus::{Format, SourceFile, read_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let (format, name) = match pick % 3 {
        0 => (Format::Docx, "corpus/bericht.docx"),
        1 => (Format::Odt, "corpus/bericht.odt"),
        _ => (Format::Epub, "corpus/buch.epub"),
    };
    let source = SourceFile {
        path: PathBuf::from(name),
        display: name.into(),
        format,
        sidecar: None,
    };
    match read_bytes(&source, bytes.to_vec()) {
        Ok(document) => {
            let text = &document.text;
            assert!(!text.trim().is_empty(), "no text: {document:?}");
            let mut last = 0;
            for page in &document.pages {
                assert!(page.start >= last, "pages out of order: {document:?}");
                assert!(text.is_char_boundary(page.start), "{document:?}");
                assert!(!page.label.is_empty(), "{document:?}");
                last = page.start;
            }
            if format != Format::Epub {
                assert!(document.pages.is_empty(), "{document:?}");
            }
        }
        Err(Error::Document { path, line, reason }) => {
            assert_eq!(path, source.path);
            assert_eq!(line, None);
            assert!(!reason.is_empty());
        }
        Err(other) => panic!("not a document error: {other}"),
    }
});
