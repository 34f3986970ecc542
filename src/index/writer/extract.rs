//! Reading ahead of the writer: the files of a corpus run that are new or changed are read by a
//! few threads at once (one per core), each with its own worker process when extraction is
//! isolated, while the writer takes them one after another in the order they were found, so
//! that the index and the report do not depend on which thread was faster. At most one file
//! more than there are threads is read ahead, which bounds the memory the texts take.
//!
//! Each file is first compared with what the manifest says of it (its stamp, then its hash):
//! an unchanged file is not read. JSON Lines files are only checked here; the writer streams
//! them a line at a time.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use super::IndexOptions;
use crate::corpus::worker::{self, Worker};
use crate::corpus::{Document, Format, SourceFile};
use crate::error::{Error, Result};
use crate::index::manifest::{FileEntry, FileStamp, content_hash};

/// What the writer is to do with a file, found out ahead of it.
pub(super) enum Prepared {
    /// Nothing to read: the file is as the manifest says (with a new stamp if it was only
    /// touched).
    Unchanged(FileEntry),
    /// The file cannot be looked at or read, or is over a limit: it is reported, and what
    /// the index holds from it stays.
    Skipped(Error),
    /// The file is new or changed.
    Changed {
        /// Its stamp, taken before it was read.
        stamp: FileStamp,
        /// The hash of its bytes and its sidecar's.
        hash: u64,
        /// Its documents; `None` for a JSON Lines file, which the writer streams.
        documents: Option<Result<Vec<Result<Document>>>>,
    },
}

/// A file to prepare, and where its outcome goes.
struct Job {
    source: SourceFile,
    old: Option<FileEntry>,
    outcome: Sender<Prepared>,
}

/// Threads that prepare files ahead of the writer. Outcomes come back in the order the files
/// were [`submit`](ReadAhead::submit)ted.
pub(super) struct ReadAhead<'scope> {
    jobs: Option<Sender<Job>>,
    pending: VecDeque<(String, Receiver<Prepared>)>,
    stop: &'scope AtomicBool,
    /// How many files may be prepared ahead of the one the writer waits for.
    pub window: usize,
}

impl<'scope> ReadAhead<'scope> {
    /// Starts `options.readers()` threads in `scope`; they end when this is dropped.
    pub fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        options: &'scope IndexOptions,
        stop: &'scope AtomicBool,
    ) -> ReadAhead<'scope> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let readers = options.readers();
        for _ in 0..readers {
            let queue = Arc::clone(&queue);
            scope.spawn(move || serve(&queue, options, stop));
        }
        ReadAhead {
            jobs: Some(jobs),
            pending: VecDeque::new(),
            stop,
            window: readers + 1,
        }
    }

    /// How many files were submitted and not yet taken.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Queues `source` (with what the manifest says of it) to be prepared.
    pub fn submit(&mut self, source: &SourceFile, old: Option<&FileEntry>) {
        let (outcome, receiver) = mpsc::channel();
        let job = Job {
            source: source.clone(),
            old: old.cloned(),
            outcome,
        };
        if let Some(jobs) = &self.jobs {
            // Sending fails only when every thread is gone; then `next` reports the file.
            let _ = jobs.send(job);
        }
        self.pending.push_back((source.display.clone(), receiver));
    }

    /// The outcome of the first file submitted and not yet taken, once it is prepared.
    pub fn next(&mut self, source: &SourceFile) -> Prepared {
        let Some((display, receiver)) = self.pending.pop_front() else {
            unreachable!("a file is taken only after it was submitted");
        };
        debug_assert_eq!(display, source.display);
        receiver.recv().unwrap_or_else(|_| {
            Prepared::Skipped(Error::ReaderFailed {
                path: source.path.clone(),
                reason: "the thread reading it ended".into(),
            })
        })
    }
}

impl Drop for ReadAhead<'_> {
    fn drop(&mut self) {
        // The threads finish the file at hand (a worker is killed at once) and end.
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
    }
}

/// The loop of a read-ahead thread: prepares the files it is given until there are no more.
fn serve(queue: &Mutex<Receiver<Job>>, options: &IndexOptions, stop: &AtomicBool) {
    let mut worker = options.worker_spec().map(Worker::new);
    loop {
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { break };
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let prepared = prepare(&job.source, job.old.as_ref(), options, &mut worker, stop);
        // The writer may have stopped waiting: then the outcome is of no use.
        let _ = job.outcome.send(prepared);
    }
}

/// Compares a file with the manifest and, if it is new or changed, reads it.
pub(super) fn prepare(
    source: &SourceFile,
    old: Option<&FileEntry>,
    options: &IndexOptions,
    worker: &mut Option<Worker>,
    stop: &AtomicBool,
) -> Prepared {
    // The stamp is taken before the file is read: if it changes while being read, the next
    // run sees a new stamp and reads it again.
    let stamp = match FileStamp::of(source) {
        Ok(stamp) => stamp,
        Err(err) => return Prepared::Skipped(err),
    };
    let current = old.filter(|entry| !entry.reread);
    if let Some(entry) = current
        && entry.stamp == stamp
    {
        return Prepared::Unchanged(entry.clone());
    }
    let streamed = matches!(source.format, Format::JsonLines | Format::JsonLinesGz);
    if !streamed && options.max_file_size > 0 && stamp.size > options.max_file_size {
        return Prepared::Skipped(Error::TooLarge {
            path: source.path.clone(),
            size: stamp.size,
            limit: options.max_file_size,
        });
    }
    let hash = match content_hash(source) {
        Ok(hash) => hash,
        Err(err) => return Prepared::Skipped(err),
    };
    if let Some(entry) = current
        && entry.hash == hash
    {
        // Touched, not changed.
        return Prepared::Unchanged(FileEntry {
            stamp,
            ..entry.clone()
        });
    }
    let documents = if streamed {
        None
    } else if let (Some(worker), true) = (worker.as_mut(), worker::is_extracted(source.format)) {
        let stopped = || stop.load(Ordering::Relaxed) || options.interrupted();
        Some(worker.extract(source, &stopped))
    } else {
        Some(worker::read_caught(source))
    };
    Prepared::Changed {
        stamp,
        hash,
        documents,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::index::writer::{Extraction, WorkerCommand};

    fn html(dir: &std::path::Path, name: &str) -> SourceFile {
        let path = dir.join(name);
        std::fs::write(
            &path,
            "<html><body><p>Kitas in den Kommunen</p></body></html>",
        )
        .unwrap();
        SourceFile {
            path,
            display: name.into(),
            format: Format::Html,
            sidecar: None,
        }
    }

    fn with_worker(script: &str) -> IndexOptions {
        IndexOptions {
            extraction: Extraction::Workers(WorkerCommand::new("/bin/sh", ["-c", script])),
            file_timeout: Duration::from_secs(1),
            ..Default::default()
        }
    }

    fn run(source: &SourceFile, options: &IndexOptions) -> Prepared {
        let mut worker = options.worker_spec().map(Worker::new);
        prepare(source, None, options, &mut worker, &AtomicBool::new(false))
    }

    #[test]
    fn a_file_over_the_size_limit_is_skipped_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let source = html(dir.path(), "seite.html");
        let options = IndexOptions {
            max_file_size: 10,
            // A worker that would fail the test if it were asked.
            ..with_worker("exit 1")
        };
        let Prepared::Skipped(err) = run(&source, &options) else {
            panic!("not skipped");
        };
        assert!(matches!(err, Error::TooLarge { limit: 10, .. }), "{err}");
        assert!(
            err.to_string().ends_with(
                "seite.html: over the size limit: 0.0 MB, the limit is 0.0 MB (--max-file-size)"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_json_lines_file_has_no_size_limit_and_is_left_to_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reden.jsonl");
        std::fs::write(&path, "{\"id\": \"1\", \"text\": \"Kitas\"}\n").unwrap();
        let source = SourceFile {
            path,
            display: "reden.jsonl".into(),
            format: Format::JsonLines,
            sidecar: None,
        };
        let options = IndexOptions {
            max_file_size: 10,
            ..Default::default()
        };
        assert!(matches!(
            run(&source, &options),
            Prepared::Changed {
                documents: None,
                ..
            }
        ));
    }

    #[test]
    fn text_is_read_in_process_even_with_workers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Sprachkurse").unwrap();
        let source = SourceFile {
            path,
            display: "a.txt".into(),
            format: Format::Text,
            sidecar: None,
        };
        let Prepared::Changed {
            documents: Some(Ok(documents)),
            ..
        } = run(&source, &with_worker("exit 1"))
        else {
            panic!("not read");
        };
        assert_eq!(documents.len(), 1);
    }

    #[test]
    fn an_extracted_file_goes_to_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let source = html(dir.path(), "seite.html");
        let Prepared::Changed {
            documents: Some(Err(err)),
            ..
        } = run(&source, &with_worker("read line; exit 4"))
        else {
            panic!("not read");
        };
        assert!(
            err.to_string()
                .ends_with("exited with status 4 without an answer"),
            "{err}"
        );
    }

    #[test]
    fn outcomes_come_in_the_order_files_were_submitted() {
        let dir = tempfile::tempdir().unwrap();
        let sources: Vec<SourceFile> = (0..6)
            .map(|i| html(dir.path(), &format!("seite{i}.html")))
            .collect();
        let options = IndexOptions {
            threads: 3,
            ..Default::default()
        };
        let stop = AtomicBool::new(false);
        let texts: Vec<String> = std::thread::scope(|scope| {
            let mut ahead = ReadAhead::start(scope, &options, &stop);
            for source in &sources {
                ahead.submit(source, None);
            }
            assert_eq!(ahead.pending(), 6);
            sources
                .iter()
                .map(|source| match ahead.next(source) {
                    Prepared::Changed {
                        documents: Some(Ok(documents)),
                        ..
                    } => documents[0].as_ref().unwrap().path.clone(),
                    _ => panic!("not read"),
                })
                .collect()
        });
        let names: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
        assert_eq!(texts, names);
    }
}
