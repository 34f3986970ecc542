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
//! - [`report`] is what a write tells its caller, as it works and when it is done.

mod by_key;
mod commit_info;
mod document;
mod report;
mod transaction;
mod update;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use by_key::{add_documents, delete_documents};
pub(crate) use commit_info::CommitInfo;
pub use report::{IndexEvent, IndexReport, Skipped};
pub(crate) use update::index_corpus;

/// How an indexing run behaves.
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// Start from an empty index instead of updating the existing one. The old documents stay
    /// searchable until the new ones are committed.
    pub rebuild: bool,
    /// Threads that analyze and write; `0` picks one per core, at most 8.
    pub threads: usize,
    /// Memory for the writer in MiB, shared by its threads; `0` picks 256 MiB a thread.
    pub memory_mib: usize,
    /// Set to `true` (from a Ctrl-C handler, say) to stop the run: it rolls back and returns
    /// [`Error::Interrupted`](crate::Error::Interrupted), leaving the index as it was.
    pub interrupt: Option<Arc<AtomicBool>>,
}

impl IndexOptions {
    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
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

    use super::{CommitInfo, IndexEvent, IndexOptions, IndexReport, index_corpus};
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
                &corpus,
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
}
