//! Any bytes as a JSON Lines corpus file: no panic, the reading ends, every error names the file
//! and a line after the one before, and every document has an id and a text.
//!
//! Raw bytes, not text: the reader checks UTF-8 line by line itself. Input that starts with the
//! gzip magic number is read as a `.jsonl.gz` file, the rest as `.jsonl`.
#![no_main]

use std::path::PathBuf;

use integra::Error;
use integra::corpus::{Format, SourceFile, read_jsonl_from};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let gzipped = data.starts_with(&[0x1f, 0x8b]);
    let source = SourceFile {
        path: PathBuf::from("corpus/reden.jsonl"),
        display: "corpus/reden.jsonl".into(),
        format: if gzipped {
            Format::JsonLinesGz
        } else {
            Format::JsonLines
        },
        sidecar: None,
    };
    let lines_in_input = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut last_line = 0;
    for (read, item) in read_jsonl_from(&source, std::io::Cursor::new(data.to_vec())).enumerate() {
        // Each item is one line of at least one byte, so a plain file cannot yield more items
        // than it has lines; a gzipped one is bounded by what it decompresses to.
        if !gzipped {
            assert!(read < lines_in_input, "more items than lines");
        }
        match item {
            Ok(document) => {
                assert!(!document.id.trim().is_empty(), "no id: {document:?}");
                assert!(!document.text.trim().is_empty(), "no text: {document:?}");
                assert_eq!(document.path, source.display);
                document.key();
            }
            Err(err) => {
                let message = err.to_string();
                assert!(
                    message.starts_with("corpus/reden.jsonl line ")
                        || message.starts_with("metadata in corpus/reden.jsonl line "),
                    "{message}"
                );
                let line = match err {
                    Error::Document { line, .. } | Error::Metadata { line, .. } => line,
                    other => panic!("not a document error: {other}"),
                };
                let line = line.expect("a line number");
                assert!(line > last_line, "line {line} after line {last_line}");
                last_line = line;
            }
        }
    }
});
