//! Any bytes as an HTML page: no panic, the reading ends, an error is a document error naming
//! the page, and a page that is read has a text that is not blank, and a title
//! that is not blank if it has one.
//!
//! Raw bytes, not text: the reader finds the page's encoding itself (byte order mark, `<meta
//! charset>`, detection), and bytes that are no text are an error it must report.
#![no_main]

use std::path::PathBuf;

use integra::Error;
use integra::corpus::{Format, SourceFile, read_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceFile {
        path: PathBuf::from("corpus/seite.html"),
        display: "corpus/seite.html".into(),
        format: Format::Html,
        sidecar: None,
    };
    match read_bytes(&source, data.to_vec()) {
        Ok(document) => {
            assert!(!document.text.trim().is_empty(), "no text: {document:?}");
            assert!(
                document.pages.is_empty(),
                "a page has no pages: {document:?}"
            );
            if let Some(title) = &document.metadata.title {
                assert!(!title.trim().is_empty(), "blank title: {document:?}");
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
