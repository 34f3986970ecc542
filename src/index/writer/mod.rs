//! Writes into the index: a corpus run that reads only new and changed files, and single
//! documents added or deleted by key. Each is one transaction: all of its changes are
//! committed at once, with the manifest in the same commit, or none are.
//!
//! - [`update`] brings the index up to date with a corpus, file by file;
//! - [`by_key`] adds, replaces and deletes single documents by their key;
//! - [`transaction`] holds the lock and tantivy's writer of one write, and finds what the last
//!   commit holds under a key or of a source file;
//! - [`commit_info`] is what each commit records beside its segments (schema and analyzer
//!   versions, the manifest), written atomically with them;
//! - [`document`] turns a corpus document into the index's fields;
//! - [`extract`] reads the files of a run ahead of the writer, several at once, in this
//!   process or in worker processes, and hands them over in the order they were found;
//! - [`report`] is what a write tells its caller, as it works and when it is done.

mod by_key;
mod commit_info;
mod document;
mod extract;
mod report;
mod roots;
mod transaction;
mod update;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub(crate) use by_key::{add_documents, delete_documents};
pub(crate) use commit_info::CommitInfo;
#[cfg(test)]
pub(crate) use document::to_tantivy;
pub use report::{IndexEvent, IndexReport, SkipKind, Skipped};
pub(crate) use roots::{Roots, index_corpus};

use crate::corpus::worker::WorkerSpec;

/// How an indexing run behaves.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Start from an empty index instead of updating the existing one. The old documents stay
    /// searchable until the new ones are committed.
    pub rebuild: bool,
    /// Threads that analyze and write, and files read at once; `0` picks one per core (at most
    /// 8 that write).
    pub threads: usize,
    /// Memory for the writer in MiB, shared by its threads; `0` picks 256 MiB a thread.
    pub memory_mib: usize,
    /// Set to `true` (from a Ctrl-C handler, say) to stop the run: it rolls back and returns
    /// [`Error::Interrupted`](crate::Error::Interrupted), leaving the index as it was.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// The largest file that is read, in bytes; a larger one is skipped with
    /// [`Error::TooLarge`](crate::Error::TooLarge), found from its size before it is opened.
    /// JSON Lines files, which are streamed a line at a time, have no limit; nor has anything
    /// when this is `0`. By default 200 MB.
    pub max_file_size: u64,
    /// The longest the reading of one extracted file may take before it is stopped and the
    /// file skipped with [`Error::TimedOut`](crate::Error::TimedOut); zero for no limit. By
    /// default 60 s. Only a worker process can be stopped: with [`Extraction::InProcess`] the
    /// limit does not apply.
    pub file_timeout: Duration,
    /// Where the formats unpacked from untrusted files (everything but text, Markdown and
    /// JSON Lines) are read: in this process (the default) or in worker processes.
    pub extraction: Extraction,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            rebuild: false,
            threads: 0,
            memory_mib: 0,
            interrupt: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            file_timeout: DEFAULT_FILE_TIMEOUT,
            extraction: Extraction::InProcess,
        }
    }
}

/// The default of [`IndexOptions::max_file_size`]: 200 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 200_000_000;

/// The default of [`IndexOptions::file_timeout`]: 60 s.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Where extracted formats are read.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Extraction {
    /// In the indexing process, on its own threads: a reader that panics costs its file, one
    /// that loops or eats memory costs the run. For trusted files, and for programs that must
    /// not start processes.
    #[default]
    InProcess,
    /// In worker processes, one for each file read at once, each under a memory limit and
    /// killed (and started again) when a file takes longer than
    /// [`IndexOptions::file_timeout`]: whatever a file does to its reader, it is reported and
    /// skipped, and the run goes on.
    Workers(WorkerCommand),
}

/// How to start an extraction worker: a program that runs
/// [`corpus::worker::serve`](crate::corpus::worker::serve) on its stdin and stdout, such as
/// `integra extract-worker`.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The program: for the integra binary, [`std::env::current_exe`].
    pub program: PathBuf,
    /// Its arguments: for the integra binary, `extract-worker`.
    pub args: Vec<OsString>,
    /// The most memory (address space) a worker may take, in bytes; past it an allocation
    /// fails, the worker dies and the file is skipped with
    /// [`Error::ReaderFailed`](crate::Error::ReaderFailed). `0` picks 4 times
    /// [`IndexOptions::max_file_size`], at least 2 GiB: room for a large file, its text and
    /// what a reader builds from it.
    pub memory_limit: u64,
}

impl WorkerCommand {
    /// Workers started as `program args…`, with the default memory limit.
    pub fn new(
        program: impl Into<PathBuf>,
        args: impl IntoIterator<Item = impl Into<OsString>>,
    ) -> WorkerCommand {
        WorkerCommand {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            memory_limit: 0,
        }
    }
}

impl IndexOptions {
    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// How a worker is started and limited, if extraction runs in workers.
    fn worker_spec(&self) -> Option<WorkerSpec> {
        let Extraction::Workers(command) = &self.extraction else {
            return None;
        };
        let memory_limit = match command.memory_limit {
            0 => self.max_file_size.saturating_mul(4).max(2 << 30),
            limit => limit,
        };
        Some(WorkerSpec {
            program: command.program.clone(),
            args: command.args.clone(),
            memory_limit,
            timeout: self.file_timeout,
        })
    }

    /// How many files are read at once: one per thread.
    fn readers(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}

/// What the tests of the writer share: an index in RAM and a look at what it holds.
#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use tantivy::collector::DocSetCollector;
    use tantivy::query::AllQuery;
    use tantivy::schema::Value;
    use tantivy::{Index, TantivyDocument};
    use tempfile::TempDir;

    use super::{
        CommitInfo, DEFAULT_FILE_TIMEOUT, Extraction, IndexEvent, IndexOptions, IndexReport,
        WorkerCommand, index_corpus,
    };
    use crate::corpus::{Document, Metadata};
    use crate::error::Result;
    use crate::index::manifest::{FileEntry, FileStamp, Manifest};
    use crate::index::schema::Fields;

    /// An empty index in RAM with integra's schema and analyzer.
    pub fn ram_index() -> (Index, Fields) {
        let (schema, fields) = Fields::build();
        let index = Index::create_in_ram(schema);
        crate::analysis::register(index.tokenizers());
        (index, fields)
    }

    /// Options for a test: one writer thread is plenty for a few documents.
    pub fn one_thread() -> IndexOptions {
        IndexOptions {
            threads: 1,
            ..Default::default()
        }
    }

    /// A document of a JSON Lines file, or of a text file if `id` is its `path`.
    pub fn document(path: &str, id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            path: path.into(),
            metadata: Metadata::default(),
            text: text.into(),
            pages: Vec::new(),
        }
    }

    /// The body of each live document of the last commit, by key.
    pub fn stored(index: &Index, fields: &Fields) -> BTreeMap<String, String> {
        let searcher = index.reader().unwrap().searcher();
        let addresses = searcher.search(&AllQuery, &DocSetCollector).unwrap();
        addresses
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap()
                        .to_string()
                };
                (text(fields.key), text(fields.body))
            })
            .collect()
    }

    /// The operation stamp of the last commit: unchanged if nothing was committed.
    pub fn last_commit(index: &Index) -> u64 {
        index.load_metas().unwrap().opstamp
    }

    /// A manifest entry of a file that was read once.
    pub fn file_entry() -> FileEntry {
        FileEntry {
            stamp: FileStamp {
                size: 1,
                mtime: 1,
                sidecar: None,
            },
            hash: 1,
            documents: 1,
            reread: false,
        }
    }

    /// A corpus folder and an index in RAM whose lock (the one file it needs on disk) lives
    /// beside the corpus.
    pub struct Workspace {
        pub dir: TempDir,
        pub index: Index,
        pub fields: Fields,
    }

    impl Workspace {
        pub fn new() -> Workspace {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("corpus")).unwrap();
            let (index, fields) = ram_index();
            Workspace { dir, index, fields }
        }

        pub fn file(&self, name: &str) -> PathBuf {
            self.dir.path().join("corpus").join(name)
        }

        pub fn write(&self, name: &str, content: impl AsRef<[u8]>) {
            std::fs::write(self.file(name), content).unwrap();
        }

        /// The index's folder, which holds nothing but its lock.
        pub fn path(&self) -> PathBuf {
            self.dir.path().join("index")
        }

        pub fn run_observed(
            &self,
            options: &IndexOptions,
            observer: &mut dyn FnMut(IndexEvent),
        ) -> Result<IndexReport> {
            let corpus = self.dir.path().join("corpus");
            index_corpus(
                &self.index,
                &self.fields,
                &self.path(),
                super::Roots::One(&corpus),
                options,
                observer,
            )
        }

        pub fn run_with(&self, options: &IndexOptions) -> Result<IndexReport> {
            self.run_observed(options, &mut |_| {})
        }

        pub fn run(&self) -> IndexReport {
            self.run_with(&one_thread()).unwrap()
        }

        /// The bodies of the documents, in the order of their keys.
        pub fn bodies(&self) -> Vec<String> {
            stored(&self.index, &self.fields).into_values().collect()
        }

        pub fn manifest(&self) -> Manifest {
            let info = CommitInfo::load(&self.index, &self.path()).unwrap();
            assert!(info.is_compatible(), "{info:?}");
            info.manifest.expect("a corpus run records its manifest")
        }

        /// The manifest's entry of a file of the corpus.
        pub fn entry(&self, name: &str) -> FileEntry {
            let manifest = self.manifest();
            let (_, entry) = manifest
                .files
                .into_iter()
                .find(|(path, _)| path.ends_with(&format!("/{name}")))
                .expect("the file is in the manifest");
            entry
        }
    }

    #[test]
    fn a_run_is_interrupted_once_its_flag_is_set() {
        let flag = Arc::new(AtomicBool::new(false));
        let options = IndexOptions {
            interrupt: Some(Arc::clone(&flag)),
            ..Default::default()
        };
        assert!(!options.interrupted());
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(options.interrupted());
        assert!(!IndexOptions::default().interrupted());
    }

    #[test]
    fn workers_get_room_for_four_times_the_largest_file() {
        let options = IndexOptions {
            extraction: Extraction::Workers(WorkerCommand::new("integra", ["extract-worker"])),
            ..Default::default()
        };
        let spec = options.worker_spec().unwrap();
        assert_eq!(spec.memory_limit, 2 << 30);
        assert_eq!(spec.timeout, DEFAULT_FILE_TIMEOUT);
        let large = IndexOptions {
            max_file_size: 1 << 30,
            ..options
        };
        assert_eq!(large.worker_spec().unwrap().memory_limit, 4 << 30);
        assert!(IndexOptions::default().worker_spec().is_none());
    }
}
