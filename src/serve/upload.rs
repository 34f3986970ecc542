//! Adding a document: the upload form and `POST /api/documents` store the file in the corpus
//! folder under a safe name, with a sidecar from the fields, and index it.
//!
//! A failing upload leaves corpus and index as they were: the file is written to a hidden
//! temporary file in the corpus folder (which no corpus walk reads), read there as the indexer
//! would read it, and only then renamed to its name; if indexing fails or skips it, the file
//! and its sidecar are removed again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Multipart;
use axum::http::StatusCode;
use serde::Serialize;

use super::Server;
use super::error::ApiError;
use crate::corpus::{self, Format, SourceFile};
use crate::error::Error;
use crate::index::Extraction;

/// The endings an upload may have: the formats the indexer reads one document a file from.
pub const UPLOAD_ENDINGS: &[&str] = &["pdf", "docx", "odt", "epub", "html", "htm", "txt", "md"];

/// The longest stem of a stored file's name, in characters.
const MAX_STEM: usize = 80;

/// An upload as the form or the API sends it.
#[derive(Debug, Default)]
pub struct Upload {
    /// The file's name as the browser gave it.
    pub file_name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The sidecar's fields, as given.
    pub fields: SidecarFields,
    /// The `token` field, if any.
    pub token: Option<String>,
}

/// The metadata fields of an upload, written as its sidecar.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SidecarFields {
    /// The title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The institutions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub institutions: Vec<String>,
    /// The year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
}

impl SidecarFields {
    fn is_empty(&self) -> bool {
        *self == SidecarFields::default()
    }
}

/// What an upload did: the file's name in the corpus and its documents in the index.
#[derive(Debug, Clone, Serialize)]
pub struct Stored {
    /// The file's name in the corpus folder.
    pub name: String,
    /// Its path, as the index stores it (a hit's `path`).
    pub path: String,
    /// Its title, as given or as read from the file.
    pub title: Option<String>,
    /// The documents the index holds after the upload.
    pub documents: u64,
    /// The link that opens it.
    pub url: String,
}

/// A list field: one value a line or separated by `;`, blanks left out.
fn list(value: &str) -> Vec<String> {
    value
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// Reads the multipart body of an upload.
///
/// # Errors
/// 413 if it is over the upload limit, 400 naming a field that is wrong or the missing file.
pub async fn read(mut multipart: Multipart) -> Result<Upload, ApiError> {
    let mut upload = Upload::default();
    let mut has_file = false;
    let failed = |err: axum::extract::multipart::MultipartError| {
        ApiError::new(
            err.status(),
            format!("the upload cannot be read: {}", err.body_text()),
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_string();
            upload.bytes = field.bytes().await.map_err(failed)?.to_vec();
            has_file = true;
            continue;
        }
        let value = field.text().await.map_err(failed)?;
        let value = value.trim();
        match name.as_str() {
            "title" if !value.is_empty() => upload.fields.title = Some(value.to_string()),
            "authors" => upload.fields.authors = list(value),
            "institutions" => upload.fields.institutions = list(value),
            "year" if !value.is_empty() => {
                upload.fields.year = Some(value.parse().map_err(|_| {
                    ApiError::bad_request(format!(
                        "the field year must be a year such as 2016, not '{value}'"
                    ))
                })?)
            }
            "token" if !value.is_empty() => upload.token = Some(value.to_string()),
            "title" | "year" | "token" => {}
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown field '{other}' (known: file, title, authors, institutions, year, token)"
                )));
            }
        }
    }
    if !has_file || upload.bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the field file (the document) is needed and must not be empty",
        ));
    }
    Ok(upload)
}

/// A safe name for an uploaded file: the stem readable (letters, digits, `-`, `_`, `.`;
/// anything else a `-`), no folder, no leading dot, and an ending the indexer reads.
///
/// # Errors
/// 415 naming the ending if the indexer does not read it.
pub fn safe_name(original: &str) -> Result<(String, String), ApiError> {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let (stem, ending) = base.rsplit_once('.').unwrap_or((base, ""));
    let ending = ending.to_lowercase();
    if !UPLOAD_ENDINGS.contains(&ending.as_str()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "{original}: integra reads files ending in {}, not '.{ending}'",
                UPLOAD_ENDINGS.join(", ")
            ),
        ));
    }
    let mut safe = String::new();
    for c in stem.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            c
        } else {
            '-'
        };
        if !(c == '-' && safe.ends_with('-')) {
            safe.push(c);
        }
    }
    let safe: String = safe
        .trim_matches(['-', '.', '_'])
        .chars()
        .take(MAX_STEM)
        .collect();
    let safe = safe.trim_end_matches(['-', '.']).to_string();
    Ok((
        if safe.is_empty() {
            "dokument".into()
        } else {
            safe
        },
        ending,
    ))
}

/// The first `stem.ending`, `stem-2.ending`, … of `folder` whose file and sidecar are free.
fn free_name(folder: &Path, stem: &str, ending: &str) -> PathBuf {
    (1..)
        .map(|n| {
            let stem = if n == 1 {
                stem.to_string()
            } else {
                format!("{stem}-{n}")
            };
            folder.join(format!("{stem}.{ending}"))
        })
        .find(|path| !path.exists() && !path.with_extension("toml").exists())
        .expect("some number is free")
}

/// Removes the files it holds when dropped, unless disarmed: what an upload wrote is gone
/// again whichever way it fails.
struct Written(Vec<PathBuf>);

impl Drop for Written {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Stores an upload in the corpus and indexes it; the caller holds the writer mutex.
///
/// # Errors
/// 415 for an ending the indexer does not read, 422 for a file it cannot read (naming why), 409
/// if another process writes to the index, 500 if the corpus cannot be written; corpus and
/// index are then as they were.
pub fn store(server: &Server, upload: Upload) -> Result<Stored, ApiError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (stem, ending) = safe_name(&upload.file_name)?;
    let corpus = server.corpus();
    let io = |path: &Path, err| ApiError::from(Error::io(path, err));
    let temp = corpus.join(format!(
        ".upload-{}-{}.{ending}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut written = Written(vec![temp.clone()]);
    std::fs::write(&temp, &upload.bytes).map_err(|e| io(&temp, e))?;
    let format = Format::of(&temp).ok_or_else(|| ApiError::bad_request("unknown format"))?;
    // Read as the indexer will, so that a file it cannot read never enters the corpus. With
    // extraction in worker processes (the CLI's), reading it here would escape their time and
    // memory limits: the indexer's report of the file decides then, below.
    if matches!(
        server.options.index_options.extraction,
        Extraction::InProcess
    ) {
        let source = SourceFile {
            path: temp.clone(),
            display: upload.file_name.clone(),
            format,
            sidecar: None,
        };
        // Errors name the file as the user named it, not the temporary file.
        let unreadable = |err: Error| {
            let mut err = ApiError::from(err);
            err.message = err
                .message
                .replace(&temp.to_string_lossy().into_owned(), &upload.file_name);
            err
        };
        for document in corpus::read(&source).map_err(unreadable)? {
            document.map_err(unreadable)?;
        }
    }
    let target = free_name(corpus, &stem, &ending);
    if !upload.fields.is_empty() {
        let sidecar = target.with_extension("toml");
        let text = toml::to_string(&upload.fields)
            .map_err(|e| ApiError::internal(format!("cannot write the sidecar: {e}")))?;
        corpus::sidecar_from_str(&sidecar, &text)?;
        std::fs::write(&sidecar, text).map_err(|e| io(&sidecar, e))?;
        written.0.push(sidecar);
    }
    std::fs::rename(&temp, &target).map_err(|e| io(&target, e))?;
    written.0[0] = target.clone();
    let path = target.to_string_lossy().replace('\\', "/");
    let mut skipped = None;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = server
        .library
        .index_corpus(corpus, &server.options.index_options, &mut |event| {
            if let crate::IndexEvent::Skipped(skip) = event
                && skip.path.ends_with(&format!("/{name}"))
            {
                skipped = Some(skip.reason);
            }
        });
    let report = match (report, skipped) {
        (Ok(report), None) => report,
        (Ok(_), Some(reason)) => {
            // Removed, and the run that forgets it: the index holds nothing of it.
            drop(written);
            let reason = reason.replace(&path, &upload.file_name);
            let _ = server
                .library
                .index_corpus(corpus, &server.options.index_options, &mut |_| {});
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, reason));
        }
        (Err(err), _) => return Err(err.into()),
    };
    written.0.clear();
    // The title as the index holds it: given, or read from the file.
    let title = match server.library.document(&path) {
        Ok(Some(hit)) => hit.title,
        _ => upload.fields.title,
    };
    Ok(Stored {
        url: super::documents::link(corpus, &path, None).unwrap_or_default(),
        name,
        path,
        title,
        documents: report.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_name_keeps_a_readable_stem_and_nothing_else() {
        let name = |original: &str| safe_name(original).map(|(s, e)| format!("{s}.{e}"));
        assert_eq!(
            name("Bericht Flüchtlinge 2016.PDF").unwrap(),
            "Bericht-Flüchtlinge-2016.pdf"
        );
        assert_eq!(name("../../etc/passwd.txt").unwrap(), "passwd.txt");
        assert_eq!(name("C:\\Users\\x\\a b.docx").unwrap(), "a-b.docx");
        assert_eq!(name(".hidden.md").unwrap(), "hidden.md");
        assert_eq!(name("<>.html").unwrap(), "dokument.html");
        assert_eq!(
            safe_name("virus.exe").unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert!(safe_name("reden.jsonl").is_err());
    }

    #[test]
    fn a_free_name_never_overwrites_a_file_or_its_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.pdf"), "").unwrap();
        std::fs::write(dir.path().join("a-2.toml"), "").unwrap();
        assert_eq!(
            free_name(dir.path(), "a", "pdf"),
            dir.path().join("a-3.pdf")
        );
        assert_eq!(free_name(dir.path(), "b", "pdf"), dir.path().join("b.pdf"));
    }

    #[test]
    fn list_fields_split_at_lines_and_semicolons() {
        assert_eq!(
            list("Bertelsmann Stiftung; DESI\nRoland Roth\n\n"),
            ["Bertelsmann Stiftung", "DESI", "Roland Roth"]
        );
    }
}
