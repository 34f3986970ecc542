//! The one error type of the library, named by what went wrong for the user.

use std::path::PathBuf;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in integra.
///
/// User errors (a bad query, a bad sidecar, a missing index) are separate variants with the
/// path or query they concern; engine failures are wrapped in [`Error::Engine`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The query cannot be turned into a search.
    #[error("invalid query '{query}': {reason}")]
    InvalidQuery {
        /// The query as the user typed it.
        query: String,
        /// What is wrong with it.
        reason: String,
    },
    /// There is no index at the given path.
    #[error("no index at {}: run 'integra index' first", path.display())]
    IndexNotFound {
        /// Where the index was looked for.
        path: PathBuf,
    },
    /// Another process is writing to the index.
    #[error("the index at {} is locked by {holder}: wait for it to finish", path.display())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
        /// Who holds the lock (e.g. `integra index (pid 1234)`).
        holder: String,
    },
    /// The index was written by an incompatible version of the analyzer or schema.
    #[error(
        "the index at {} was built with {found}, this integra needs {expected}: run 'integra index --rebuild'",
        path.display()
    )]
    IncompatibleIndex {
        /// The index directory.
        path: PathBuf,
        /// The version the index was built with.
        found: String,
        /// The version this build of integra writes.
        expected: String,
    },
    /// The index's files are damaged: missing, cut short, or changed since they were written.
    #[error(
        "the index at {} is damaged: {reason}: run 'integra index --rebuild' to build it again ('integra check' says more)",
        path.display()
    )]
    Damaged {
        /// The index directory.
        path: PathBuf,
        /// Which file, and what is wrong with it.
        reason: String,
    },
    /// A folder holds something other than an integra index, which integra will not replace.
    #[error("{} holds files that are not an integra index: choose another folder for the index", path.display())]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
    },
    /// A metadata sidecar or JSON line is malformed.
    #[error("metadata in {}{}: {reason}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Metadata {
        /// The file that holds the metadata.
        path: PathBuf,
        /// The 1-based line, where known.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// A user's thesaurus (`thesaurus.toml` in the index folder) is malformed.
    #[error("thesaurus {}{}: {reason}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Thesaurus {
        /// The thesaurus file.
        path: PathBuf,
        /// The 1-based line, where known.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// A document cannot be read as a document.
    #[error("{}{}: {reason}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Document {
        /// The file.
        path: PathBuf,
        /// The 1-based line, for JSON Lines sources.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// A file is encrypted and cannot be opened without its password.
    #[error("{}: encrypted: it needs a password to be read", path.display())]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// A PDF has pages but no text on them: a scan that needs OCR.
    #[error("{}: no text layer: scanned?", path.display())]
    NoTextLayer {
        /// The file.
        path: PathBuf,
    },
    /// A file is larger than the limit on the files that are read.
    #[error(
        "{}: over the size limit: {} MB, the limit is {} MB (--max-file-size)",
        path.display(), megabytes(*size), megabytes(*limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Reading a file took longer than the limit and was stopped.
    #[error("{}: over the time limit: not read within {seconds} s (--file-timeout)", path.display())]
    TimedOut {
        /// The file.
        path: PathBuf,
        /// The limit in seconds.
        seconds: u64,
    },
    /// The reader of a file failed without an answer: it crashed, ran out of its memory limit
    /// or was killed.
    #[error("{}: the reader failed: {reason}", path.display())]
    ReaderFailed {
        /// The file.
        path: PathBuf,
        /// What happened to it.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The indexing run was interrupted and rolled back.
    #[error("interrupted: nothing of this run was committed")]
    Interrupted,
    /// A corpus folder or file holds nothing integra reads: nothing was indexed, and nothing
    /// removed.
    #[error(
        "{}: no files integra reads (.txt, .md, .html, .pdf, .docx, .odt, .epub, .jsonl, .jsonl.gz): nothing was indexed or removed",
        path.display()
    )]
    NoDocuments {
        /// The folder or file.
        path: PathBuf,
    },
    /// A source the index was built from is not there now; its documents stay.
    #[error(
        "source {source_path} is missing: its documents stay in the index; 'integra index --remove {source_path}' drops them"
    )]
    MissingSource {
        /// The source, as the index records it.
        source_path: String,
    },
    /// A source to remove is not one of the index's sources.
    #[error("{source_path} is not a source of this index (its sources: {})", if sources.is_empty() { "none".to_string() } else { sources.join(", ") })]
    UnknownSource {
        /// The path given.
        source_path: String,
        /// The index's sources.
        sources: Vec<String>,
    },
    /// The disk the index is on is full: the run was rolled back.
    #[error(
        "no space left on the disk of the index at {}: nothing of this run was committed and the index is as it was; free some space and run again",
        path.display()
    )]
    DiskFull {
        /// The index directory.
        path: PathBuf,
    },
    /// An internal failure of the search engine.
    #[error("search engine failure in {}: {message}", path.display())]
    Engine {
        /// The index directory.
        path: PathBuf,
        /// The engine's message.
        message: String,
    },
}

/// Bytes as megabytes with one decimal, for messages.
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn engine(path: impl Into<PathBuf>, err: impl std::fmt::Display) -> Error {
        let message = err.to_string();
        // tantivy passes a full disk on as text in its own errors.
        if message.contains("No space left on device") || message.contains("os error 28") {
            return Error::DiskFull { path: path.into() };
        }
        Error::Engine {
            path: path.into(),
            message,
        }
    }
}
