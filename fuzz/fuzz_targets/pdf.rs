//! Any bytes as a PDF file: no panic (a panic inside the parser is caught by the reader and
//! turned into an error, and libFuzzer's panic hook still reports it), the reading ends, every
//! error names the file, and a document read has text and pages in order, each starting on a
//! char boundary.
//!
//! Raw bytes. The seeds are the PDF fixtures of `tests/fixtures/pdf/`, so mutations start from
//! real xref tables, page trees, fonts and encryption dictionaries.
#![no_main]

use std::path::Path;

use integra::Error;
use integra::corpus::read_pdf_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_pdf_bytes(Path::new("corpus/studie.pdf"), data) {
        Ok(document) => {
            assert!(!document.text.trim().is_empty(), "no text: {document:?}");
            assert_eq!(document.path, "corpus/studie.pdf");
            assert!(!document.pages.is_empty(), "no pages");
            assert_eq!(document.pages[0].start, 0);
            for pair in document.pages.windows(2) {
                assert!(pair[0].start <= pair[1].start, "pages out of order");
            }
            for page in &document.pages {
                assert!(document.text.is_char_boundary(page.start), "{page:?}");
                assert!(!page.label.is_empty(), "a page without a label");
            }
        }
        Err(err) => {
            let message = err.to_string();
            assert!(message.starts_with("corpus/studie.pdf: "), "{message}");
            assert!(
                matches!(
                    err,
                    Error::Document { .. } | Error::Encrypted { .. } | Error::NoTextLayer { .. }
                ),
                "{message}"
            );
        }
    }
});
