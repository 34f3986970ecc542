//! Following a corpus folder that changes by other means than uploads (a file copied in,
//! edited, deleted), as `integra watch` does: a batch of changes, once quiet for a moment, is
//! one incremental run under the server's writer mutex. `integra watch` uses the same test of
//! what counts as a change.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::Server;
use crate::error::{Error, Result};

/// Quiet time after a change before the batch is indexed.
const DEBOUNCE: Duration = Duration::from_millis(500);

/// How often the loop looks at the time since the last change.
const TICK: Duration = Duration::from_millis(250);

/// Whether an event is a change that can change the index: not a mere read (indexing reads
/// the files it indexes), not the index's own files, nor hidden ones in the corpus (an
/// upload's temporary file among them). `corpus` and `index_dir` are canonical.
pub fn is_corpus_change(event: &Event, corpus: &Path, index_dir: &Path) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event.paths.iter().any(|path| {
            let path = absolute(path);
            let inside = path.strip_prefix(corpus).unwrap_or(&path);
            !path.starts_with(index_dir)
                && !inside.components().any(|c| match c {
                    Component::Normal(name) => name.to_string_lossy().starts_with('.'),
                    _ => false,
                })
        })
}

/// The canonical form of a path, also of one that was just deleted (by its folder's).
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    match (path.parent().map(Path::canonicalize), path.file_name()) {
        (Some(Ok(parent)), Some(name)) => parent.join(name),
        _ => path.to_path_buf(),
    }
}

/// Watches the server's corpus and reindexes it after each batch of changes, on a thread of
/// its own, until the returned watcher is dropped. A run that fails (another process holds
/// the index's lock) is tried again after the next quiet moment.
///
/// # Errors
/// [`Error::Io`] if the folder cannot be watched.
pub fn watch_corpus(server: Arc<Server>) -> Result<RecommendedWatcher> {
    let corpus = server.corpus().to_path_buf();
    let io = |err: notify::Error| Error::io(&corpus, std::io::Error::other(err.to_string()));
    let (sender, events) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(sender).map_err(io)?;
    watcher
        .watch(&corpus, RecursiveMode::Recursive)
        .map_err(io)?;
    let index_dir = absolute(server.library().path());
    std::thread::spawn(move || {
        let mut last_change: Option<Instant> = None;
        loop {
            let first = match events.recv_timeout(TICK) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            for event in first.into_iter().chain(events.try_iter()) {
                if let Ok(event) = event
                    && is_corpus_change(&event, &corpus, &index_dir)
                {
                    last_change = Some(Instant::now());
                }
            }
            if last_change.is_none_or(|at| at.elapsed() < DEBOUNCE) {
                continue;
            }
            let Ok(_writer) = server.writer.lock() else {
                return;
            };
            let options = &server.options.index_options;
            match server.library.index_corpus(&corpus, options, &mut |_| {}) {
                Ok(report) => {
                    last_change = None;
                    if report.added + report.updated + report.removed > 0 {
                        eprintln!(
                            "integra serve: {} added, {} updated, {} removed in {} ({} documents)",
                            report.added,
                            report.updated,
                            report.removed,
                            corpus.display(),
                            report.total
                        );
                    }
                }
                Err(err) => {
                    eprintln!(
                        "warning: reindexing {}: {err}; trying again",
                        corpus.display()
                    );
                    last_change = Some(Instant::now());
                }
            }
        }
    });
    Ok(watcher)
}
