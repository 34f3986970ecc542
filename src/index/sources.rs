//! What an index knows of the folders and files it was built from: the list of its sources with
//! what it holds of each, and how far it is behind them.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::error::Result;
use crate::index::CommitInfo;
use crate::index::manifest::FileStamp;

/// How far the index is behind its sources: [`Library::staleness`](crate::Library::staleness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staleness {
    /// Files of the sources that are new, changed or gone since the last run.
    pub changed: u64,
    /// Whether every file was looked at (else `changed` is a lower bound).
    pub complete: bool,
}

/// A folder or file an index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Its absolute path.
    pub path: String,
    /// The files of it the index holds documents of.
    pub files: u64,
    /// The documents of those files.
    pub documents: u64,
    /// Whether it is there now.
    pub present: bool,
}

/// The sources of the last commit, each with the files and documents the index holds of it.
pub(crate) fn sources(index: &Index, path: &Path) -> Result<Vec<Source>> {
    let info = CommitInfo::load(index, path)?;
    let manifest = info.manifest.unwrap_or_default();
    Ok(info
        .sources
        .into_iter()
        .map(|path| {
            let under = || {
                manifest
                    .files
                    .iter()
                    .filter(|(file, _)| crate::corpus::is_under(file, &path))
            };
            Source {
                files: under().count() as u64,
                documents: under().map(|(_, entry)| entry.documents).sum(),
                present: Path::new(&path).exists(),
                path,
            }
        })
        .collect())
}

/// How many files of the sources are new, changed or gone since the last run, looking for at
/// most `budget`.
pub(crate) fn staleness(index: &Index, path: &Path, budget: Duration) -> Result<Staleness> {
    let started = std::time::Instant::now();
    let info = CommitInfo::load(index, path)?;
    let manifest = info.manifest.unwrap_or_default();
    let mut stale = Staleness {
        changed: 0,
        complete: true,
    };
    for source in &info.sources {
        let Ok(found) = crate::corpus::discover(Path::new(source)) else {
            continue;
        };
        let mut seen = 0;
        for file in &found.files {
            if started.elapsed() > budget {
                stale.complete = false;
                return Ok(stale);
            }
            let recorded = manifest.files.get(&file.display);
            seen += u64::from(recorded.is_some());
            // A file read again every run for a bad line or sidecar is not behind.
            let same =
                recorded.is_some_and(|entry| FileStamp::of(file).is_ok_and(|s| s == entry.stamp));
            stale.changed += u64::from(!same);
        }
        let recorded_here = manifest
            .files
            .keys()
            .filter(|file| crate::corpus::is_under(file, source))
            .count() as u64;
        stale.changed += recorded_here.saturating_sub(seen);
    }
    Ok(stale)
}
