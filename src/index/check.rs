//! Finding damage in an index: files of the last commit that are missing, cut short or changed
//! since they were written, and segments that cannot be opened.
//!
//! tantivy ends every file of a segment with a footer that holds the CRC-32 of its bytes, so a
//! byte overwritten anywhere (by a failing disk, a sync tool, a stray `dd`) shows, but only to
//! a reader that reads the whole file: [`check`] does, for `integra check`. Opening an index
//! does the cheap part (every file of the commit is there and ends in a footer), so a search
//! or an indexing run on a damaged index fails with [`Error::Damaged`] instead of tantivy's
//! words; a search that trips over damage the cheap part cannot see fails the same way rather
//! than panic (see `Library::search`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::OpenReadError;
use tantivy::{Index, SegmentMeta, SegmentReader, TantivyError};

use crate::error::Error;

/// What `integra check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The index folder.
    pub path: String,
    /// Segments of the last commit.
    pub segments: usize,
    /// Files of the last commit, all read to their end.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// What is damaged, one entry a file or segment; empty for a sound index.
    pub damaged: Vec<Damage>,
}

impl CheckReport {
    /// Whether nothing is damaged.
    pub fn is_sound(&self) -> bool {
        self.damaged.is_empty()
    }
}

/// One damaged file or segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Damage {
    /// The file, relative to the index folder.
    pub file: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Reads every file of the last commit of `index` to its end, compares it with the checksum in
/// its footer, and opens every segment.
pub(crate) fn check(index: &Index, path: &Path) -> Result<CheckReport, Error> {
    let metas = index.load_metas().map_err(|e| damaged(path, &e))?;
    let directory = index.directory();
    let mut report = CheckReport {
        path: path.display().to_string(),
        segments: metas.segments.len(),
        ..CheckReport::default()
    };
    let mut files: Vec<PathBuf> = metas.list_segment_files().into_iter().collect();
    files.sort();
    for file in files {
        match std::fs::metadata(path.join(&file)) {
            Ok(meta) => report.bytes += meta.len(),
            Err(_) if !needed(&file, &metas.segments) => continue,
            Err(_) => {
                report_damage(&mut report.damaged, &file, "missing".into());
                continue;
            }
        }
        report.files += 1;
        let checked = catch_unwind(AssertUnwindSafe(|| directory.validate_checksum(&file)));
        let reason = match checked {
            Ok(Ok(true)) => continue,
            Ok(Ok(false)) => "changed since it was written (checksum)".into(),
            Ok(Err(err)) => read_failure(&err),
            Err(_) => "cannot be read".into(),
        };
        report_damage(&mut report.damaged, &file, reason);
    }
    for segment in index.searchable_segments().map_err(|e| damaged(path, &e))? {
        let name = format!("segment {}", segment.id().uuid_string());
        let why = match catch_unwind(AssertUnwindSafe(|| SegmentReader::open(&segment))) {
            Ok(Ok(_)) => continue,
            Ok(Err(err)) => reason(&err),
            Err(_) => "cannot be opened".into(),
        };
        // A segment with a damaged file cannot open: that file has been named already.
        let id = segment.id().uuid_string();
        if !report.damaged.iter().any(|d| d.file.starts_with(&id)) {
            report_damage(&mut report.damaged, Path::new(&name), why);
        }
    }
    Ok(report)
}

/// The cheap part of [`check`], done whenever an index is opened: every file of the last
/// commit is there and long enough to hold its footer. (tantivy opens some files only when a
/// search first needs them, and fails then in its own words.)
pub(crate) fn files_present(index: &Index, path: &Path) -> Result<(), Error> {
    let metas = index.load_metas().map_err(|e| damaged(path, &e))?;
    let mut files: Vec<PathBuf> = metas.list_segment_files().into_iter().collect();
    files.sort();
    for file in files {
        let reason = match std::fs::metadata(path.join(&file)) {
            Ok(meta) if meta.len() >= MIN_FILE_BYTES => continue,
            Ok(_) => "cut short or overwritten at its end (no valid footer)",
            Err(_) if !needed(&file, &metas.segments) => continue,
            Err(_) => "missing",
        };
        return Err(Error::Damaged {
            path: path.to_path_buf(),
            reason: format!("{}: {reason}", file.display()),
        });
    }
    Ok(())
}

/// The fewest bytes a file of a segment has: its footer's length and magic number.
const MIN_FILE_BYTES: u64 = 8;

fn report_damage(damaged: &mut Vec<Damage>, file: &Path, reason: String) {
    let file = file.display().to_string();
    // A file that is missing or cut short also keeps its segment from opening: said once.
    if damaged.iter().any(|d| d.file == file) {
        return;
    }
    damaged.push(Damage { file, reason });
}

/// Whether a file of the commit must exist: the delete file of a segment only if the segment
/// has deletes, and of the files tantivy lists for every segment only those every segment of
/// integra's schema has (the others exist where a field needs them).
fn needed(file: &Path, segments: &[SegmentMeta]) -> bool {
    let name = file.to_string_lossy();
    match file.extension().and_then(|e| e.to_str()) {
        Some("del") => segments
            .iter()
            .any(|s| s.has_deletes() && name.starts_with(&s.id().uuid_string())),
        Some("idx" | "term" | "store" | "fieldnorm" | "pos" | "fast") => true,
        _ => false,
    }
}

/// What went wrong reading a file, in a few words.
fn read_failure(err: &OpenReadError) -> String {
    match err {
        OpenReadError::FileDoesNotExist(_) => "missing".into(),
        OpenReadError::IoError { io_error, .. } => {
            let message = io_error.to_string();
            if message.contains("smaller than") || message.contains("magic byte") {
                "cut short or overwritten at its end (no valid footer)".into()
            } else {
                message
            }
        }
        other => other.to_string(),
    }
}

/// The reason an index cannot be used, from tantivy's error, in a user's words: which file and
/// what is wrong with it.
pub(crate) fn reason(err: &TantivyError) -> String {
    match err {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
            format!("{} is missing", file.display())
        }
        TantivyError::OpenReadError(read @ OpenReadError::IoError { filepath, .. }) => {
            format!("{}: {}", filepath.display(), read_failure(read))
        }
        TantivyError::DataCorruption(corruption) => {
            let text = format!("{corruption:?}");
            match file_in(&text) {
                Some(file) => format!("{} cannot be read", file.display()),
                None => "a file of it cannot be read".into(),
            }
        }
        other => other.to_string(),
    }
}

/// The file an error names, where it names one.
pub(crate) fn damaged_file(err: &TantivyError) -> Option<String> {
    let file = match err {
        TantivyError::OpenReadError(
            OpenReadError::FileDoesNotExist(file) | OpenReadError::IoError { filepath: file, .. },
        ) => file.clone(),
        TantivyError::DataCorruption(corruption) => file_in(&format!("{corruption:?}"))?,
        _ => return None,
    };
    Some(file.display().to_string())
}

/// The file a data corruption message names (tantivy writes it as `` (in file `"meta.json"`) ``).
fn file_in(message: &str) -> Option<PathBuf> {
    let start = message.find("in file `\"")? + "in file `\"".len();
    let end = message[start..].find('"')?;
    Some(PathBuf::from(&message[start..start + end]))
}

/// The error of an index that cannot be used as it is.
pub(crate) fn damaged(path: &Path, err: &TantivyError) -> Error {
    Error::Damaged {
        path: path.to_path_buf(),
        reason: reason(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_of_a_data_corruption() {
        let message = "Data corruption (in file `\"meta.json\"`): Meta file cannot be deserialized";
        assert_eq!(file_in(message), Some(PathBuf::from("meta.json")));
        assert_eq!(file_in("Data corruption: no file"), None);
    }
}
