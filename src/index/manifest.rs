//! The manifest: what the index holds of each source file, so that a run reads only the files
//! that changed.
//!
//! It lives in tantivy's commit payload, which is written atomically with the segments, so it
//! always describes exactly the documents of the commit it belongs to: a run that is killed
//! before its commit leaves both the old documents and the old manifest. The hash of each
//! document lives in the index itself (the `hash` fast field), which is what lets a changed JSON
//! Lines file be rewritten line by line.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::corpus::SourceFile;
use crate::error::{Error, Result};
use crate::hash::{FNV_OFFSET, fnv1a};

/// The source files an index was built from, by the path stored in the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub files: BTreeMap<String, FileEntry>,
}

/// What the index knows about one source file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    /// The file's size and modification time when it was read.
    pub stamp: FileStamp,
    /// Hash of the file's bytes and its sidecar's: a file that was touched but not changed is
    /// not rewritten.
    pub hash: u64,
    /// Documents the index holds from it.
    pub documents: u64,
    /// Read it again next time even if it looks unchanged: the last read was incomplete (a
    /// bad line or sidecar), or some of its documents were deleted one by one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reread: bool,
}

/// Size and modification time of a source file and of its sidecar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch.
    pub mtime: u64,
    /// The same of the sidecar, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar: Option<(u64, u64)>,
}

fn size_and_mtime(path: &Path) -> Result<(u64, u64)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    // A filesystem without modification times gets 0, and its files are then told apart by
    // size and hash alone.
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    Ok((meta.len(), mtime))
}

impl FileStamp {
    /// The stamp of a source file as it is now.
    ///
    /// # Errors
    /// [`Error::Io`] if the file or its sidecar cannot be looked at.
    pub fn of(source: &SourceFile) -> Result<FileStamp> {
        let (size, mtime) = size_and_mtime(&source.path)?;
        let sidecar = source.sidecar.as_deref().map(size_and_mtime).transpose()?;
        Ok(FileStamp {
            size,
            mtime,
            sidecar,
        })
    }
}

fn hash_file(path: &Path, mut hash: u64) -> Result<u64> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buffer = vec![0; 1 << 16];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(hash),
            Ok(n) => hash = fnv1a(&buffer[..n], hash),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
}

/// Hash of a source file's bytes and its sidecar's.
///
/// # Errors
/// [`Error::Io`] if either cannot be read.
pub(crate) fn content_hash(source: &SourceFile) -> Result<u64> {
    let hash = hash_file(&source.path, FNV_OFFSET)?;
    match &source.sidecar {
        // The separator keeps text moved from the file to its sidecar from hashing alike.
        Some(sidecar) => hash_file(sidecar, fnv1a(b"\0sidecar\0", hash)),
        None => Ok(hash),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Format;

    fn source(dir: &Path, sidecar: bool) -> SourceFile {
        SourceFile {
            path: dir.join("a.txt"),
            display: "a.txt".into(),
            format: Format::Text,
            sidecar: sidecar.then(|| dir.join("a.toml")),
        }
    }

    #[test]
    fn hash_changes_with_the_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Integration").unwrap();
        std::fs::write(dir.path().join("a.toml"), "year = 2016").unwrap();
        let before = content_hash(&source(dir.path(), true)).unwrap();
        assert_eq!(before, content_hash(&source(dir.path(), true)).unwrap());
        std::fs::write(dir.path().join("a.toml"), "year = 2017").unwrap();
        assert_ne!(before, content_hash(&source(dir.path(), true)).unwrap());
        assert_ne!(before, content_hash(&source(dir.path(), false)).unwrap());
    }

    #[test]
    fn stamp_sees_a_new_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Integration").unwrap();
        let without = FileStamp::of(&source(dir.path(), false)).unwrap();
        std::fs::write(dir.path().join("a.toml"), "year = 2016").unwrap();
        let with = FileStamp::of(&source(dir.path(), true)).unwrap();
        assert_eq!((without.size, without.mtime), (with.size, with.mtime));
        assert_ne!(without, with);
    }

    #[test]
    fn manifest_round_trips_through_json() {
        let mut manifest = Manifest::default();
        manifest.files.insert(
            "corpus/a.txt".into(),
            FileEntry {
                stamp: FileStamp {
                    size: 11,
                    mtime: 1_700_000_000_000_000_000,
                    sidecar: Some((10, 1)),
                },
                hash: u64::MAX,
                documents: 1,
                reread: false,
            },
        );
        let json = serde_json::to_string(&manifest).unwrap();
        assert!(!json.contains("reread"), "{json}");
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), manifest);
    }
}
