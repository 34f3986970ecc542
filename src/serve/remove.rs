//! `DELETE /api/documents/{id}`: takes a document's file (and its sidecar) out of the corpus
//! and the index. Only a file inside the corpus that is one document is removed; a line of a
//! JSON Lines file is removed by editing that file.
//!
//! The files are first renamed to hidden names beside them (which no corpus walk reads), the
//! corpus is reindexed, and only then are they deleted; if indexing fails they are renamed
//! back, so corpus and index stay as they were.

use std::path::PathBuf;

use axum::http::StatusCode;
use serde::Serialize;

use super::Server;
use super::documents::resolve;
use super::error::ApiError;
use crate::error::Error;

/// What a removal did.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    /// The removed file's path, as hits gave it.
    pub path: String,
    /// The documents the index holds after the removal.
    pub documents: u64,
}

/// Renames files back when dropped, unless disarmed.
struct Moved(Vec<(PathBuf, PathBuf)>);

impl Drop for Moved {
    fn drop(&mut self) {
        for (from, to) in &self.0 {
            let _ = std::fs::rename(to, from);
        }
    }
}

/// Removes the document with the key `key` from the corpus and the index; the caller holds
/// the writer mutex.
///
/// # Errors
/// 404 if the index holds no such document, 400 if it is not a whole file inside the corpus,
/// 409 if another process writes to the index.
pub fn remove(server: &Server, key: &str) -> Result<Removed, ApiError> {
    let hit = match server.library.document(key)? {
        None if !key.starts_with('/') => server.library.document(&format!("/{key}"))?,
        found => found,
    }
    .ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document with the id {key} in the index"),
        )
    })?;
    let corpus = server.corpus();
    let inside = std::path::Path::new(&hit.path)
        .strip_prefix(corpus)
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let file = match inside {
        Some(inside) if hit.id == hit.path => resolve(corpus, &inside)?,
        _ => {
            return Err(ApiError::bad_request(format!(
                "{} is not a file of the corpus {} that holds one document: remove it from its \
                 source instead",
                hit.id,
                corpus.display()
            )));
        }
    };
    let mut moved = Moved(Vec::new());
    for path in [file.clone(), file.with_extension("toml")] {
        if !path.is_file() {
            continue;
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let hidden = path.with_file_name(format!(".removing-{}-{name}", std::process::id()));
        std::fs::rename(&path, &hidden).map_err(|e| ApiError::from(Error::io(&path, e)))?;
        moved.0.push((path, hidden));
    }
    let report = server
        .library
        .index_corpus(corpus, &server.options.index_options, &mut |_| {})?;
    for (_, hidden) in std::mem::take(&mut moved.0) {
        let _ = std::fs::remove_file(hidden);
    }
    Ok(Removed {
        path: hit.path,
        documents: report.total,
    })
}
