//! What a write tells its caller: events while it works, for progress displays, and the report
//! when it is done, with every file or line it skipped and why.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What an indexing run reports while it works, for progress displays.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum IndexEvent {
    /// The corpus was walked: this many source files will be looked at.
    Discovered {
        /// Number of source files.
        files: usize,
    },
    /// A new or changed source file is being read.
    Reading {
        /// Its path.
        path: String,
    },
    /// More documents were written (sent every few hundred documents and at a file's end).
    Progress {
        /// Documents written so far in this run.
        documents: u64,
    },
    /// A source file was looked at: read to its end, or found unchanged.
    FileDone,
    /// A file, or a line of one, was skipped.
    Skipped(Skipped),
    /// All changes are being committed.
    Committing,
}

/// A file or line that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// The line of a JSON Lines file, where it concerns one line.
    pub line: Option<usize>,
    /// Why, as a complete message naming the file (and line).
    pub reason: String,
}

impl Skipped {
    /// The file (and line) an error concerns, with its message as the reason.
    pub(super) fn from_error(err: &Error) -> Skipped {
        let (path, line) = match err {
            Error::Document { path, line, .. } | Error::Metadata { path, line, .. } => {
                (path.display().to_string(), *line)
            }
            Error::Io { path, .. }
            | Error::Encrypted { path }
            | Error::NoTextLayer { path }
            | Error::TooLarge { path, .. }
            | Error::TimedOut { path, .. }
            | Error::ReaderFailed { path, .. } => (path.display().to_string(), None),
            _ => (String::new(), None),
        };
        Skipped {
            path,
            line,
            reason: err.to_string(),
        }
    }
}

/// The outcome of an indexing run or of a single-document update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    /// Source files in the corpus.
    pub files: usize,
    /// Source files read because they were new or had changed; the others were not opened.
    pub read: usize,
    /// Documents that were not in the index before.
    pub added: u64,
    /// Documents whose text or metadata changed, rewritten.
    pub updated: u64,
    /// Documents removed: their file or line is gone, or they were deleted by key.
    pub removed: u64,
    /// Documents left as they were.
    pub unchanged: u64,
    /// Documents written: `added + updated`.
    pub indexed: u64,
    /// Documents in the index after the run.
    pub total: u64,
    /// Whether the run started from an empty index.
    pub rebuilt: bool,
    /// Files and lines skipped, with the reason.
    pub skipped: Vec<Skipped>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// How many documents pass between two progress events.
pub(super) const PROGRESS_EVERY: u64 = 256;

/// Collects what a run reports and passes it on to the observer.
pub(super) struct Run<'a> {
    pub observer: &'a mut dyn FnMut(IndexEvent),
    pub report: IndexReport,
}

impl Run<'_> {
    /// Tells the observer and records in the report that `err`'s file or line was skipped.
    pub fn skip(&mut self, err: &Error) {
        let skipped = Skipped::from_error(err);
        (self.observer)(IndexEvent::Skipped(skipped.clone()));
        self.report.skipped.push(skipped);
    }

    /// Counts the documents written so far and tells the observer.
    pub fn progress(&mut self) {
        self.report.indexed = self.report.added + self.report.updated;
        (self.observer)(IndexEvent::Progress {
            documents: self.report.indexed,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn skipped_names_the_file_and_line_of_a_bad_line() {
        let err = Error::Document {
            path: PathBuf::from("korpus/reden.jsonl"),
            line: Some(7),
            reason: "missing field `text`".into(),
        };
        let skipped = Skipped::from_error(&err);
        assert_eq!(skipped.path, "korpus/reden.jsonl");
        assert_eq!(skipped.line, Some(7));
        assert_eq!(skipped.reason, err.to_string());
    }

    #[test]
    fn skipped_names_the_file_of_an_io_error_without_a_line() {
        let err = Error::io(
            "korpus/studie.txt",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        let skipped = Skipped::from_error(&err);
        assert_eq!(
            (skipped.path.as_str(), skipped.line),
            ("korpus/studie.txt", None)
        );
        assert!(skipped.reason.contains("korpus/studie.txt"), "{skipped:?}");
    }

    #[test]
    fn a_run_reports_each_skip_to_the_observer_and_in_the_report() {
        let mut events = Vec::new();
        let mut observer = |event: IndexEvent| events.push(event);
        let mut run = Run {
            observer: &mut observer,
            report: IndexReport::default(),
        };
        run.skip(&Error::io(
            "a.txt",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
        run.report.added = 2;
        run.report.updated = 1;
        run.progress();
        let report = run.report;
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.indexed, 3);
        assert!(matches!(
            events.as_slice(),
            [
                IndexEvent::Skipped(Skipped { path, .. }),
                IndexEvent::Progress { documents: 3 }
            ] if path == "a.txt"
        ));
    }
}
