//! The folder an index lives in, as tantivy sees it: tantivy's memory-mapped directory with two
//! changes, so that an index can be shared with people who may only read it.
//!
//! - **Readers need no write access.** To open the segments of the last commit, tantivy takes
//!   its meta lock (`.tantivy-meta.lock`), so that a writer's garbage collection does not
//!   delete a file while it is being opened; it opens the lock file for writing, which fails
//!   for a colleague who may only read the folder, or on a read-only share. Where the lock
//!   file cannot be opened for writing, it is opened for reading and locked shared (`flock`
//!   works on a file opened read-only), which still keeps a writer's collection away; where
//!   it does not exist and cannot be made, the folder is read-only for everyone, no writer can
//!   run there, and no lock is needed.
//! - **Files are readable by those the umask lets read.** tantivy writes `meta.json` and
//!   `.managed.json` through a temporary file that is created with mode 0600, so an index
//!   built by one user was unreadable to every other; they are written here through a file
//!   created with the usual mode (0666 less the umask), like every segment file.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Directory, TantivyError};

/// The id of the segment a file of an index folder belongs to (its 32 hexadecimal digits), if
/// it is a segment file.
pub(crate) fn segment_id(name: &str) -> Option<&str> {
    let id = name.get(..32)?;
    let segment =
        name.len() > 33 && name.as_bytes()[32] == b'.' && id.bytes().all(|b| b.is_ascii_hexdigit());
    segment.then_some(id)
}

/// An index folder on disk that people who may only read it can search.
#[derive(Debug, Clone)]
pub(crate) struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    /// The index folder at `path`, which must exist.
    pub fn open(path: &Path) -> Result<IndexDirectory, TantivyError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(path)?,
            root: path.to_path_buf(),
        })
    }
}

/// Whether an error opening a file for writing means this process may only read there.
fn read_only(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// A lock held by an open file: released when the file is closed.
struct HeldLock {
    _file: File,
}

/// Takes `lock` shared on the lock file at `path`, opened for reading only; no lock at all if
/// the file does not exist (then nobody can create it, and nobody can write there).
fn shared_lock(path: &Path, lock: &Lock) -> Result<DirectoryLock, LockError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(DirectoryLock::from(Box::new(())));
        }
        Err(err) => return Err(LockError::IoError(Arc::new(err))),
    };
    if lock.is_blocking {
        file.lock_shared()
            .map_err(|err| LockError::IoError(Arc::new(err)))?;
    } else {
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(LockError::LockBusy),
            Err(TryLockError::Error(err)) => return Err(LockError::IoError(Arc::new(err))),
        }
    }
    Ok(DirectoryLock::from(Box::new(HeldLock { _file: file })))
}

/// Tells apart the temporary files of atomic writes made at the same time.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Writes `data` to a new file beside `path` (created with the usual mode), flushes it to
    /// disk and renames it onto `path`: a reader sees the old content or the new, never a part.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let target = self.root.join(path);
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = target.with_file_name(format!(
            ".{name}.{}-{}.tmp",
            std::process::id(),
            TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)?;
            file.write_all(data)?;
            file.sync_data()?;
            std::fs::rename(&temporary, &target)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(err)) if read_only(&err) => {
                shared_lock(&self.root.join(&lock.filepath), lock)
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use tantivy::directory::META_LOCK;

    use super::*;

    #[test]
    fn knows_segment_files_by_their_name() {
        let id = "0e2d82fa69ae45879c5e61ca317bf087";
        assert_eq!(segment_id(&format!("{id}.store")), Some(id));
        assert_eq!(segment_id(&format!("{id}.3.del")), Some(id));
        for other in [
            "meta.json",
            ".managed.json",
            "integra.lock",
            "notizen.txt",
            id,
        ] {
            assert_eq!(segment_id(other), None, "{other}");
        }
        assert_eq!(segment_id("zzzd82fa69ae45879c5e61ca317bf087.idx"), None);
        assert_eq!(segment_id("ü"), None);
    }

    #[test]
    fn atomic_writes_replace_the_file_and_leave_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let directory = IndexDirectory::open(dir.path()).unwrap();
        directory
            .atomic_write(Path::new("meta.json"), b"alt")
            .unwrap();
        directory
            .atomic_write(Path::new("meta.json"), b"neu")
            .unwrap();
        assert_eq!(
            directory.atomic_read(Path::new("meta.json")).unwrap(),
            b"neu"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["meta.json"]);
    }

    #[test]
    fn atomic_writes_are_as_readable_as_other_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let directory = IndexDirectory::open(dir.path()).unwrap();
        directory
            .atomic_write(Path::new("meta.json"), b"{}")
            .unwrap();
        File::create(dir.path().join("segment")).unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("meta.json"), mode("segment"));
    }

    #[test]
    fn a_lock_file_that_cannot_be_written_is_locked_shared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".tantivy-meta.lock");
        File::create(&path).unwrap();
        let first = shared_lock(&path, &META_LOCK).unwrap();
        let second = shared_lock(&path, &META_LOCK).unwrap();
        // A writer's exclusive lock waits for the readers.
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        assert!(matches!(file.try_lock(), Err(TryLockError::WouldBlock)));
        drop((first, second));
        assert!(file.try_lock().is_ok());
    }

    #[test]
    fn without_a_lock_file_a_read_only_folder_needs_no_lock() {
        let dir = tempfile::tempdir().unwrap();
        assert!(shared_lock(&dir.path().join(".tantivy-meta.lock"), &META_LOCK).is_ok());
    }
}
