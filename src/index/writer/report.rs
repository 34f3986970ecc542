//! What a write tells its caller: events while it works, for progress displays, and the report
//! when it is done, with every file or line it skipped and why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::corpus::Format;
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
    /// Why, as a kind that can be counted.
    #[serde(default)]
    pub kind: SkipKind,
}

/// Why a file or line was skipped, as a kind that can be counted; [`Skipped::reason`] says it
/// in full.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipKind {
    /// The file needs a password.
    Encrypted,
    /// A PDF without text: a scan.
    NoTextLayer,
    /// The file is larger than [`IndexOptions::max_file_size`](crate::IndexOptions::max_file_size).
    TooLarge,
    /// Reading it took longer than [`IndexOptions::file_timeout`](crate::IndexOptions::file_timeout).
    TimedOut,
    /// Its reader crashed, ran out of memory or was killed.
    ReaderFailed,
    /// A line of a JSON Lines file is not a document.
    BadLine,
    /// The file is not a document integra can read: empty, binary, of an unknown format, or
    /// malformed.
    BadDocument,
    /// Its metadata (a sidecar, a JSON line's fields) is malformed.
    BadMetadata,
    /// The file or folder cannot be opened or read.
    Unreadable,
    /// A source of the index is not there (its documents stay).
    MissingSource,
    /// Anything else.
    #[default]
    Other,
}

impl SkipKind {
    /// The kind of an error.
    pub fn of(err: &Error) -> SkipKind {
        match err {
            Error::Encrypted { .. } => SkipKind::Encrypted,
            Error::NoTextLayer { .. } => SkipKind::NoTextLayer,
            Error::TooLarge { .. } => SkipKind::TooLarge,
            Error::TimedOut { .. } => SkipKind::TimedOut,
            Error::ReaderFailed { .. } => SkipKind::ReaderFailed,
            Error::Document { line: Some(_), .. } => SkipKind::BadLine,
            Error::Document { line: None, .. } => SkipKind::BadDocument,
            Error::Metadata { .. } => SkipKind::BadMetadata,
            Error::Io { .. } => SkipKind::Unreadable,
            Error::MissingSource { .. } => SkipKind::MissingSource,
            _ => SkipKind::Other,
        }
    }

    /// What a summary says after the count of files or lines of this kind
    /// ("1 encrypted", "2 over the time limit").
    pub fn label(self) -> &'static str {
        match self {
            SkipKind::Encrypted => "encrypted",
            SkipKind::NoTextLayer => "no text layer",
            SkipKind::TooLarge => "over the size limit",
            SkipKind::TimedOut => "over the time limit",
            SkipKind::ReaderFailed => "reader failed",
            SkipKind::BadLine => "bad line",
            SkipKind::BadDocument => "not a document",
            SkipKind::BadMetadata => "bad metadata",
            SkipKind::Unreadable => "unreadable",
            SkipKind::MissingSource => "source missing",
            SkipKind::Other => "other",
        }
    }
}

/// The short lowercase name of a format in a report: its usual file ending (`txt`, `md`,
/// `html`, `docx`, `jsonl` for plain and gzipped JSON Lines …).
pub(crate) fn format_name(format: Format) -> String {
    match format {
        Format::Text => "txt".into(),
        Format::Markdown => "md".into(),
        Format::JsonLines | Format::JsonLinesGz => "jsonl".into(),
        // The other variants are named as their ending: html, docx, odt, epub, pdf.
        other => format!("{other:?}").to_lowercase(),
    }
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
            Error::MissingSource { source_path } => (source_path.clone(), None),
            _ => (String::new(), None),
        };
        Skipped {
            path,
            line,
            reason: err.to_string(),
            kind: SkipKind::of(err),
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
    /// The source this run added to the index's sources (its key), if it was new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_source: Option<String>,
    /// The source this run removed, with its documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_source: Option<String>,
    /// Files and lines skipped, with the reason.
    pub skipped: Vec<Skipped>,
    /// Source files read in this run, by format (`"pdf"`, `"html"`, `"txt"`, …, see
    /// [`IndexReport::format_counts`]); a file skipped as unreadable is not counted.
    #[serde(default)]
    pub formats: BTreeMap<String, u64>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl IndexReport {
    /// The files read by format, most first (then by name): `[("pdf", 212), ("html", 40)]`.
    pub fn format_counts(&self) -> Vec<(&str, u64)> {
        let mut counts: Vec<(&str, u64)> = self
            .formats
            .iter()
            .map(|(name, &count)| (name.as_str(), count))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        counts
    }

    /// The skipped files and lines by kind, most first (then in the order of [`SkipKind`]).
    pub fn skip_counts(&self) -> Vec<(SkipKind, u64)> {
        let mut by_kind = BTreeMap::new();
        for skipped in &self.skipped {
            *by_kind.entry(skipped.kind).or_insert(0) += 1;
        }
        let mut counts: Vec<(SkipKind, u64)> = by_kind.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }
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
    fn each_error_of_a_reader_has_its_kind() {
        let path = || PathBuf::from("a.pdf");
        let cases = [
            (
                Error::Encrypted { path: path() },
                SkipKind::Encrypted,
                "encrypted",
            ),
            (
                Error::NoTextLayer { path: path() },
                SkipKind::NoTextLayer,
                "no_text_layer",
            ),
            (
                Error::TooLarge {
                    path: path(),
                    size: 2,
                    limit: 1,
                },
                SkipKind::TooLarge,
                "too_large",
            ),
            (
                Error::TimedOut {
                    path: path(),
                    seconds: 1,
                },
                SkipKind::TimedOut,
                "timed_out",
            ),
            (
                Error::ReaderFailed {
                    path: path(),
                    reason: "killed by signal 9".into(),
                },
                SkipKind::ReaderFailed,
                "reader_failed",
            ),
            (
                Error::io(path(), std::io::Error::from(std::io::ErrorKind::NotFound)),
                SkipKind::Unreadable,
                "unreadable",
            ),
        ];
        for (err, kind, name) in cases {
            let skipped = Skipped::from_error(&err);
            assert_eq!((skipped.path.as_str(), skipped.kind), ("a.pdf", kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
    }

    #[test]
    fn formats_are_named_by_their_usual_ending() {
        let names: Vec<String> = [
            Format::Text,
            Format::Markdown,
            Format::Html,
            Format::Docx,
            Format::Odt,
            Format::Epub,
            Format::JsonLines,
            Format::JsonLinesGz,
        ]
        .into_iter()
        .map(format_name)
        .collect();
        assert_eq!(
            names,
            ["txt", "md", "html", "docx", "odt", "epub", "jsonl", "jsonl"]
        );
    }

    #[test]
    fn counts_come_most_first() {
        let skip = |kind| Skipped {
            path: "a".into(),
            line: None,
            reason: String::new(),
            kind,
        };
        let report = IndexReport {
            formats: [
                ("txt".to_string(), 5),
                ("pdf".into(), 212),
                ("html".into(), 40),
            ]
            .into_iter()
            .collect(),
            skipped: vec![
                skip(SkipKind::TimedOut),
                skip(SkipKind::Encrypted),
                skip(SkipKind::TimedOut),
            ],
            ..Default::default()
        };
        assert_eq!(
            report.format_counts(),
            [("pdf", 212), ("html", 40), ("txt", 5)]
        );
        assert_eq!(
            report.skip_counts(),
            [(SkipKind::TimedOut, 2), (SkipKind::Encrypted, 1)]
        );
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
