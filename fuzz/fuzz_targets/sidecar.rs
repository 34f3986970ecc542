//! Any text as a metadata sidecar (`studie.toml`): no panic; an error is `Error::Metadata`
//! naming the sidecar's path and, where it gives one, a line of the text; metadata that is read
//! has no blank values and a year from 1 to 9999.
//!
//! The bytes are read as lossy UTF-8: `read_sidecar` turns a file that is not UTF-8 into an
//! error before it parses, so only text reaches the parser.
#![no_main]

use std::path::Path;

use integra::Error;
use integra::corpus::sidecar_from_str;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("corpus/studie.toml");
    match sidecar_from_str(path, &text) {
        Ok(metadata) => {
            let strings = metadata
                .title
                .iter()
                .chain(&metadata.doc_type)
                .chain(&metadata.language)
                .chain(&metadata.source)
                .chain(&metadata.authors)
                .chain(&metadata.institutions);
            for value in strings {
                assert!(
                    !value.is_empty() && value.trim() == value,
                    "blank or untrimmed value {value:?} in {metadata:?}"
                );
            }
            if let Some(year) = metadata.year {
                assert!((1..=9999).contains(&year), "year {year}");
            }
        }
        Err(err @ Error::Metadata { .. }) => {
            let message = err.to_string();
            let Error::Metadata {
                path: named, line, ..
            } = err
            else {
                unreachable!()
            };
            assert_eq!(named, path, "the error names another file");
            assert!(message.contains("corpus/studie.toml"), "{message}");
            if let Some(line) = line {
                let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
                assert!(
                    (1..=lines).contains(&line),
                    "line {line} of a text of {lines} lines: {message}"
                );
            }
        }
        Err(err) => panic!("not a metadata error: {err}"),
    }
});
