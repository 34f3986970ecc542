//! JSON Lines sources: one document a line, optionally gzipped.
//!
//! Each line is an object with the sidecar fields plus `id` and `text`. A bad line is reported
//! with its number and skipped; the lines after it are still read.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;

use super::metadata::from_json;
use super::{Document, Format, SourceFile, document_error};
use crate::error::{Error, Result};

/// Reads the documents of a JSON Lines file lazily, a line at a time.
pub(super) fn read(source: &SourceFile) -> Result<JsonLines> {
    let file = File::open(&source.path).map_err(|e| Error::io(&source.path, e))?;
    Ok(from_reader(source, file))
}

/// Reads the documents of a JSON Lines source from `reader`, which yields the bytes of the file
/// at `source.path` (gzipped for [`Format::JsonLinesGz`]).
pub(super) fn from_reader(source: &SourceFile, reader: impl Read + Send + 'static) -> JsonLines {
    let reader: Box<dyn Read + Send> = match source.format {
        Format::JsonLinesGz => Box::new(MultiGzDecoder::new(reader)),
        _ => Box::new(reader),
    };
    JsonLines {
        source: source.clone(),
        reader: BufReader::with_capacity(1 << 20, reader),
        line: 0,
        buffer: Vec::new(),
        done: false,
        seen: HashMap::new(),
    }
}

/// The documents of a JSON Lines file, in order.
pub struct JsonLines {
    source: SourceFile,
    reader: BufReader<Box<dyn Read + Send>>,
    line: usize,
    buffer: Vec<u8>,
    done: bool,
    /// The line each id was first found on: a second line with the same id is reported.
    seen: HashMap<String, usize>,
}

impl Iterator for JsonLines {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        while !self.done {
            self.buffer.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    if self.buffer.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let document = self.parse_line();
                    if let Ok(document) = &document
                        && let Some(first) = self.seen.insert(document.id.clone(), self.line)
                    {
                        self.seen.insert(document.id.clone(), first);
                        return Some(Err(document_error(
                            &self.source.path,
                            Some(self.line),
                            format!(
                                "id '{}' occurs twice, first on line {first}: the first is indexed",
                                document.id
                            ),
                        )));
                    }
                    return Some(document);
                }
                Err(err) => {
                    // A corrupt or truncated file: what was read stays, the rest cannot be.
                    self.done = true;
                    return Some(Err(document_error(
                        &self.source.path,
                        Some(self.line),
                        format!("cannot read further: {err}"),
                    )));
                }
            }
        }
        None
    }
}

impl JsonLines {
    fn parse_line(&self) -> Result<Document> {
        let path = &self.source.path;
        let line = Some(self.line);
        let text = std::str::from_utf8(&self.buffer).map_err(|e| {
            document_error(
                path,
                line,
                format!("not valid UTF-8 (byte {})", e.valid_up_to()),
            )
        })?;
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| document_error(path, line, format!("not valid JSON: {e}")))?;
        let metadata = from_json(&value).map_err(|reason| Error::Metadata {
            path: path.clone(),
            line,
            reason,
        })?;
        let id = match value.get("id") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            None | Some(serde_json::Value::Null) => format!("line-{}", self.line),
            Some(_) => return Err(document_error(path, line, "id must be a string")),
        };
        let body = match value.get("text") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(serde_json::Value::String(_)) => {
                return Err(document_error(path, line, "text is empty"));
            }
            None | Some(serde_json::Value::Null) => {
                return Err(document_error(path, line, "missing field text"));
            }
            Some(_) => return Err(document_error(path, line, "text must be a string")),
        };
        Ok(Document {
            id,
            path: self.source.display.clone(),
            metadata,
            text: body,
            pages: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn source(path: &std::path::Path, format: Format) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            display: "reden.jsonl".into(),
            format,
            sidecar: None,
        }
    }

    #[test]
    fn reads_good_lines_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reden.jsonl");
        std::fs::write(
            &path,
            concat!(
                "{\"id\": \"a\", \"title\": \"Rede A\", \"authors\": [\"X\"], \"year\": 2019, \"text\": \"Integration\"}\n",
                "\n",
                "{not json}\n",
                "{\"id\": \"c\", \"year\": \"neunzehn\", \"text\": \"x\"}\n",
                "{\"id\": \"d\"}\n",
                "{\"id\": \"e\", \"text\": \"Kommunen\"}\n",
            ),
        )
        .unwrap();
        let items: Vec<_> = read(&source(&path, Format::JsonLines)).unwrap().collect();
        assert_eq!(items.len(), 5);
        let a = items[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.metadata.year), ("a", Some(2019)));
        assert_eq!(a.key(), "reden.jsonl#a");
        let errors: Vec<String> = items
            .iter()
            .filter_map(|r| r.as_ref().err().map(ToString::to_string))
            .collect();
        assert!(
            errors[0].contains("line 3: not valid JSON"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("line 4: year must be a number"),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].contains("line 5: missing field text"),
            "{}",
            errors[2]
        );
        assert_eq!(items[4].as_ref().unwrap().id, "e");
    }

    #[test]
    fn reads_gzipped_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(
            File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        writeln!(gz, "{{\"id\": \"1\", \"text\": \"Geflüchtete\"}}").unwrap();
        gz.finish().unwrap();
        let docs: Vec<_> = read(&source(&path, Format::JsonLinesGz))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(docs[0].text, "Geflüchtete");
    }

    #[test]
    fn reports_a_non_utf8_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(&path, b"{\"id\": \"1\", \"text\": \"Gefl\xfcchtete\"}\n").unwrap();
        let items: Vec<_> = read(&source(&path, Format::JsonLines)).unwrap().collect();
        let err = items[0].as_ref().unwrap_err().to_string();
        assert!(err.contains("line 1: not valid UTF-8"), "{err}");
    }
}
