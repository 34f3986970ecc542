//! What the parent and an extraction worker say to each other, one JSON line each way: a
//! [`Request`] names a file, an [`Answer`] carries its documents or the error, in a form that
//! turns back into the same [`Error`] variant with the same message.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::{Document, Format, SourceFile};
use crate::error::Error;

/// A file for the worker to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Request {
    /// The path to open.
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    /// The path shown to users and stored in the index.
    pub display: String,
    /// The metadata sidecar beside it.
    #[serde(with = "path_bytes::option")]
    pub sidecar: Option<PathBuf>,
}

/// The documents of a file (each of which may have failed on its own, as a JSON line can), or
/// why the file could not be read at all.
pub(crate) type Answer = Result<Vec<Result<Document, WireError>>, WireError>;

impl Request {
    /// The request to read `source`.
    pub fn of(source: &SourceFile) -> Request {
        Request {
            path: source.path.clone(),
            display: source.display.clone(),
            sidecar: source.sidecar.clone(),
        }
    }

    /// The source file to read. Its format follows from its name, as in a corpus walk.
    pub fn source(&self) -> Result<SourceFile, Error> {
        let format = Format::of(&self.path).ok_or_else(|| Error::ReaderFailed {
            path: self.path.clone(),
            reason: "the extraction worker does not know its format".into(),
        })?;
        Ok(SourceFile {
            path: self.path.clone(),
            display: self.display.clone(),
            format,
            sidecar: self.sidecar.clone(),
        })
    }
}

/// An [`Error`] as it crosses the pipe: every variant a reader returns, with its fields, and
/// anything else as its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum WireError {
    Document {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        line: Option<usize>,
        reason: String,
    },
    Metadata {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        line: Option<usize>,
        reason: String,
    },
    Encrypted {
        #[serde(with = "path_bytes")]
        path: PathBuf,
    },
    NoTextLayer {
        #[serde(with = "path_bytes")]
        path: PathBuf,
    },
    TooLarge {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    TimedOut {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        seconds: u64,
    },
    ReaderFailed {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        reason: String,
    },
    /// An I/O error: by its OS error code where it has one, which gives back the same error,
    /// else by its message.
    Io {
        #[serde(with = "path_bytes")]
        path: PathBuf,
        os_error: Option<i32>,
        message: String,
    },
    /// Any other error, by its message.
    Other { message: String },
}

impl From<&Error> for WireError {
    fn from(err: &Error) -> WireError {
        match err {
            Error::Document { path, line, reason } => WireError::Document {
                path: path.clone(),
                line: *line,
                reason: reason.clone(),
            },
            Error::Metadata { path, line, reason } => WireError::Metadata {
                path: path.clone(),
                line: *line,
                reason: reason.clone(),
            },
            Error::Encrypted { path } => WireError::Encrypted { path: path.clone() },
            Error::NoTextLayer { path } => WireError::NoTextLayer { path: path.clone() },
            Error::TooLarge { path, size, limit } => WireError::TooLarge {
                path: path.clone(),
                size: *size,
                limit: *limit,
            },
            Error::TimedOut { path, seconds } => WireError::TimedOut {
                path: path.clone(),
                seconds: *seconds,
            },
            Error::ReaderFailed { path, reason } => WireError::ReaderFailed {
                path: path.clone(),
                reason: reason.clone(),
            },
            Error::Io { path, source } => WireError::Io {
                path: path.clone(),
                os_error: source.raw_os_error(),
                message: source.to_string(),
            },
            other => WireError::Other {
                message: other.to_string(),
            },
        }
    }
}

impl WireError {
    /// The error again; `Other` becomes a failed reader of the file at `path`.
    pub fn into_error(self, path: &Path) -> Error {
        match self {
            WireError::Document { path, line, reason } => Error::Document { path, line, reason },
            WireError::Metadata { path, line, reason } => Error::Metadata { path, line, reason },
            WireError::Encrypted { path } => Error::Encrypted { path },
            WireError::NoTextLayer { path } => Error::NoTextLayer { path },
            WireError::TooLarge { path, size, limit } => Error::TooLarge { path, size, limit },
            WireError::TimedOut { path, seconds } => Error::TimedOut { path, seconds },
            WireError::ReaderFailed { path, reason } => Error::ReaderFailed { path, reason },
            WireError::Io {
                path,
                os_error,
                message,
            } => {
                let source = match os_error {
                    Some(code) => std::io::Error::from_raw_os_error(code),
                    None => std::io::Error::other(message),
                };
                Error::Io { path, source }
            }
            WireError::Other { message } => Error::ReaderFailed {
                path: path.to_path_buf(),
                reason: message,
            },
        }
    }
}

/// Paths as their bytes on Unix, where a file name need not be UTF-8, and as strings elsewhere.
mod path_bytes {
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[cfg(unix)]
    type Repr = Vec<u8>;
    #[cfg(not(unix))]
    type Repr = String;

    #[cfg(unix)]
    fn to_repr(path: &Path) -> Repr {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }

    #[cfg(not(unix))]
    fn to_repr(path: &Path) -> Repr {
        path.to_string_lossy().into_owned()
    }

    #[cfg(unix)]
    fn from_repr(repr: Repr) -> PathBuf {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(repr))
    }

    #[cfg(not(unix))]
    fn from_repr(repr: Repr) -> PathBuf {
        PathBuf::from(repr)
    }

    pub fn serialize<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
        to_repr(path).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PathBuf, D::Error> {
        Repr::deserialize(deserializer).map(from_repr)
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            path: &Option<PathBuf>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            path.as_deref().map(to_repr).serialize(serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<PathBuf>, D::Error> {
            Option::<Repr>::deserialize(deserializer).map(|repr| repr.map(from_repr))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Metadata, Page};

    fn over_the_wire(err: Error) -> (String, Error) {
        let message = err.to_string();
        let line = serde_json::to_string(&WireError::from(&err)).unwrap();
        assert!(!line.contains('\n'));
        let back: WireError = serde_json::from_str(&line).unwrap();
        (message, back.into_error(Path::new("korpus/a.html")))
    }

    #[test]
    fn a_request_names_the_file_its_display_and_sidecar() {
        let source = SourceFile {
            path: PathBuf::from("korpus/studie.docx"),
            display: "./korpus/studie.docx".into(),
            format: Format::Docx,
            sidecar: Some(PathBuf::from("korpus/studie.toml")),
        };
        let line = serde_json::to_string(&Request::of(&source)).unwrap();
        let request: Request = serde_json::from_str(&line).unwrap();
        assert_eq!(request.source().unwrap(), source);
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_crosses_unchanged() {
        use std::os::unix::ffi::OsStringExt;
        let path = PathBuf::from(std::ffi::OsString::from_vec(
            b"korpus/Stra\xdfe.html".to_vec(),
        ));
        let request = Request {
            path: path.clone(),
            display: "korpus/Stra?e.html".into(),
            sidecar: None,
        };
        let line = serde_json::to_string(&request).unwrap();
        let back: Request = serde_json::from_str(&line).unwrap();
        assert_eq!(back.path, path);
    }

    #[test]
    fn documents_cross_unchanged() {
        let document = Document {
            id: "korpus/a.epub".into(),
            path: "korpus/a.epub".into(),
            metadata: Metadata {
                title: Some("Ankommen".into()),
                year: Some(2016),
                ..Default::default()
            },
            text: "Erstes Kapitel\n\nZweites \"Kapitel\"".into(),
            pages: vec![
                Page {
                    label: "1".into(),
                    start: 0,
                },
                Page {
                    label: "2".into(),
                    start: 16,
                },
            ],
        };
        let answer: Answer = Ok(vec![Ok(document.clone())]);
        let line = serde_json::to_string(&answer).unwrap();
        let back: Answer = serde_json::from_str(&line).unwrap();
        assert_eq!(back.unwrap()[0].as_ref().unwrap(), &document);
    }

    #[test]
    fn each_reader_error_crosses_as_the_same_variant_and_message() {
        let path = || PathBuf::from("korpus/a.html");
        let errors = [
            Error::Document {
                path: path(),
                line: Some(3),
                reason: "not valid JSON".into(),
            },
            Error::Metadata {
                path: PathBuf::from("korpus/a.toml"),
                line: Some(2),
                reason: "year must be a number".into(),
            },
            Error::Encrypted { path: path() },
            Error::NoTextLayer { path: path() },
            Error::TooLarge {
                path: path(),
                size: 300_000_000,
                limit: 200_000_000,
            },
            Error::TimedOut {
                path: path(),
                seconds: 60,
            },
            Error::ReaderFailed {
                path: path(),
                reason: "it panicked: index out of bounds".into(),
            },
            Error::io(path(), std::io::Error::from_raw_os_error(13)),
            Error::io(path(), std::io::Error::other("zip archive is broken")),
        ];
        for err in errors {
            let variant = format!("{err:?}");
            let variant = variant.split([' ', '{']).next().unwrap().to_string();
            let (message, back) = over_the_wire(err);
            assert_eq!(back.to_string(), message);
            assert!(format!("{back:?}").starts_with(&variant), "{back:?}");
        }
    }

    #[test]
    fn another_error_becomes_a_failed_reader_of_the_file() {
        let (message, back) = over_the_wire(Error::Interrupted);
        assert!(matches!(
            &back,
            Error::ReaderFailed { path, reason } if path == Path::new("korpus/a.html") && *reason == message
        ));
    }
}
