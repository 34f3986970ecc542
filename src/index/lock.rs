//! One writer per index, with a name: an advisory lock on `integra.lock` in the index folder,
//! holding the pid of the process that writes.
//!
//! Tantivy has a writer lock of its own, but it cannot say who holds it, and a user whose
//! second `integra index` fails wants to know which process to wait for. The lock is an OS
//! advisory lock (`flock`), so the OS releases it when the holder dies, even by `kill -9`: a
//! stale lock file is harmless, its content is only read while another process holds the lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// How long a process waits for a lock that it let go of itself (see [`IndexLock::acquire`]),
/// and how often it looks.
const OWN_LOCK_WAIT: Duration = Duration::from_secs(2);
const OWN_LOCK_POLL: Duration = Duration::from_millis(10);

/// The lock file's name inside the index folder.
const LOCK_FILE: &str = "integra.lock";

/// Held while a process writes to an index; released when dropped (or when the process ends).
#[derive(Debug)]
pub(crate) struct IndexLock {
    // Never read: the open file *is* the lock.
    _file: File,
}

impl IndexLock {
    /// Whether integra has written an index at `path`: its lock file is there.
    pub fn exists(path: &Path) -> bool {
        path.join(LOCK_FILE).is_file()
    }

    /// Takes the lock of the index at `path` for this process, or fails at once naming the
    /// process that holds it.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process holds it, [`Error::Io`] if the lock file cannot
    /// be opened.
    pub fn acquire(path: &Path) -> Result<IndexLock> {
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        let lock_path = path.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        let mut waited = Duration::ZERO;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let holder = holder_of(&mut file);
                    // The file names this process when it held the lock last and let it go,
                    // and a child it was starting at that moment (between fork and exec)
                    // still shares the lock for an instant: wait for the exec.
                    if holder.ends_with(&format!("(pid {})", std::process::id()))
                        && waited < OWN_LOCK_WAIT
                    {
                        std::thread::sleep(OWN_LOCK_POLL);
                        waited += OWN_LOCK_POLL;
                        let _ = file.rewind();
                        continue;
                    }
                    return Err(Error::IndexLocked {
                        path: path.to_path_buf(),
                        holder,
                    });
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(lock_path, e)),
            }
        }
        // Only the holder writes the file, so what another process reads is ours.
        let write = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(this_process().as_bytes())?;
            file.flush()
        };
        write(&mut file).map_err(|e| Error::io(&lock_path, e))?;
        Ok(IndexLock { _file: file })
    }
}

/// Who holds a lock, as its holder wrote it.
fn holder_of(file: &mut File) -> String {
    let mut holder = String::new();
    let _ = file.read_to_string(&mut holder);
    let holder = holder.trim();
    if holder.is_empty() {
        // The holder has taken the lock but not yet written its name.
        "another process".to_string()
    } else {
        holder.to_string()
    }
}

/// This process as a user would name it: `integra index (pid 1234)`.
fn this_process() -> String {
    let mut args = std::env::args_os();
    let program = args
        .next()
        .map(PathBuf::from)
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "unknown program".to_string());
    let command = args
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| !a.starts_with('-') && a.chars().all(|c| c.is_ascii_alphanumeric()));
    match command {
        Some(command) => format!("{program} {command} (pid {})", std::process::id()),
        None => format!("{program} (pid {})", std::process::id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let held = IndexLock::acquire(dir.path()).unwrap();
        // flock locks belong to the open file, so a second open in the same process conflicts
        // as a second process would.
        let err = IndexLock::acquire(dir.path()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&format!("(pid {})", std::process::id())),
            "{message}"
        );
        assert!(message.starts_with("the index at "), "{message}");
        assert!(message.contains("is locked by"), "{message}");
        drop(held);
        IndexLock::acquire(dir.path()).unwrap();
    }
}
