//! Extraction in isolation: the formats integra unpacks from untrusted files (HTML, office
//! documents, e-books, PDF) are read by a worker process, so that a file which makes a reader
//! panic, loop or eat memory costs that file and not the run.
//!
//! - `protocol.rs` is what parent and worker say to each other: one JSON line a request (a
//!   file to read), one JSON line an answer (its documents, or the error, which the parent
//!   turns back into the same [`Error`](crate::Error) variant, so messages do not change);
//! - [`serve`] is the worker's side, run by `integra extract-worker`;
//! - `process.rs` is the parent's side: it starts a worker with a memory limit, kills it when a
//!   file takes longer than the time limit and starts another for the next file.

mod process;
mod protocol;

use std::io::{BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

pub(crate) use process::{Worker, WorkerSpec};
use protocol::{Answer, Request, WireError};

use super::{Document, Format, SourceFile};

/// Whether files of this format are extracted (in a worker process when the caller asks for
/// one) rather than read as text: every format but plain text, Markdown and JSON Lines, which
/// are read by integra's own small readers and, for JSON Lines, streamed.
pub(crate) fn is_extracted(format: Format) -> bool {
    !matches!(
        format,
        Format::Text | Format::Markdown | Format::JsonLines | Format::JsonLinesGz
    )
}

/// Serves extraction requests: reads one request a line from `input` and answers each with one
/// line on `output`, until `input` ends. This is the worker process's main loop (`integra
/// extract-worker`); the parent sets its memory limit and kills it if a file takes too long.
///
/// A reader that panics is answered with [`Error::ReaderFailed`](crate::Error::ReaderFailed)
/// carrying the panic's message, and the worker goes on.
///
/// # Errors
/// An I/O error of `input` or `output` (the parent is gone).
#[doc(hidden)]
pub fn serve(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(request) => answer(&request),
            Err(err) => Err(WireError::Other {
                message: format!("bad request to the extraction worker: {err}"),
            }),
        };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// Reads the file of one request, catching a panic of its reader.
fn answer(request: &Request) -> Answer {
    let source = request.source().map_err(|err| WireError::from(&err))?;
    let documents = read_caught(&source).map_err(|err| WireError::from(&err))?;
    Ok(documents
        .into_iter()
        .map(|document| document.map_err(|err| WireError::from(&err)))
        .collect())
}

/// Reads every document of `source` in this process; a panic of the reader is an
/// [`Error::ReaderFailed`](crate::Error::ReaderFailed).
pub(crate) fn read_caught(source: &SourceFile) -> crate::Result<Vec<crate::Result<Document>>> {
    let read = panic::catch_unwind(AssertUnwindSafe(|| {
        super::read(source).map(|documents| documents.collect::<Vec<_>>())
    }));
    read.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Err(crate::Error::ReaderFailed {
            path: source.path.clone(),
            reason: format!("it panicked: {message}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_lines(input: &str) -> Vec<serde_json::Value> {
        let mut output = Vec::new();
        serve(input.as_bytes(), &mut output).unwrap();
        String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[test]
    fn answers_each_request_with_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("seite.html");
        std::fs::write(
            &page,
            "<html><head><title>Kitas</title></head><body><p>Kitas in den Kommunen</p></body></html>",
        )
        .unwrap();
        let request = |path: std::path::PathBuf| {
            serde_json::to_string(&Request::of(&SourceFile {
                path,
                display: "corpus/seite.html".into(),
                format: Format::Html,
                sidecar: None,
            }))
            .unwrap()
        };
        let missing = request(dir.path().join("fehlt.html"));
        let request = request(page);
        let answers = serve_lines(&format!("{request}\n\n{missing}\n"));
        assert_eq!(answers.len(), 2, "{answers:?}");
        let documents = &answers[0]["Ok"];
        assert_eq!(documents[0]["Ok"]["path"], "corpus/seite.html");
        assert_eq!(documents[0]["Ok"]["text"], "Kitas in den Kommunen");
        assert_eq!(answers[1]["Err"]["kind"], "io", "{answers:?}");
    }

    #[test]
    fn a_bad_request_is_answered_with_an_error() {
        let answers = serve_lines("kein json\n");
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0]["Err"]["kind"], "other");
    }

    #[test]
    fn only_text_markdown_and_json_lines_are_not_extracted() {
        assert!(!is_extracted(Format::Text));
        assert!(!is_extracted(Format::Markdown));
        assert!(!is_extracted(Format::JsonLines));
        assert!(!is_extracted(Format::JsonLinesGz));
        assert!(is_extracted(Format::Html));
        assert!(is_extracted(Format::Docx));
        assert!(is_extracted(Format::Epub));
    }
}
