//! One write to the index, all or nothing: the index's lock, tantivy's writer and a view of the
//! last commit, which tells what the index holds under a key or of a source file.
//!
//! Nothing a transaction writes is visible until it commits, and the commit carries the
//! [`CommitInfo`] (with the manifest) in the same atomic step as the segments: a process killed
//! at any point leaves the last commit as it was, documents and manifest together.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use tantivy::indexer::LogMergePolicy;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, IndexWriter, ReloadPolicy, Searcher, TERMINATED, Term};

use super::IndexOptions;
use super::commit_info::CommitInfo;
use super::document::to_tantivy;
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::index::lock::IndexLock;
use crate::index::manifest::Manifest;
use crate::index::schema::{Fields, HASH_FIELD};

/// The documents the index holds under one key or under the keys of one source file, with
/// the content hash of each.
pub(super) type Indexed = HashMap<String, u64>;

/// One write to the index: the index's lock, tantivy's writer and a view of the last commit.
/// Nothing is visible to searches until [`Transaction::commit`]; dropping it or
/// [`Transaction::rollback`] leaves the index as it was.
pub(super) struct Transaction<'a> {
    fields: &'a Fields,
    path: &'a Path,
    writer: IndexWriter,
    /// The last commit, as it was when the transaction began.
    searcher: Searcher,
    /// The last commit's info.
    info: CommitInfo,
    /// Whether anything was added or deleted.
    changed: bool,
    /// Whether all documents were deleted first.
    rebuilding: bool,
    // Released last, after the writer: declared last.
    _lock: IndexLock,
}

/// Above this share of deleted documents a segment is merged even if it is alone at its size,
/// so that documents rewritten run after run do not make the index grow without bound.
const MAX_DELETED_SHARE: f32 = 0.25;

impl<'a> Transaction<'a> {
    /// Takes the index's lock and opens a writer; with [`IndexOptions::rebuild`], deletes all
    /// documents first (the deletion, too, is visible only once committed).
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to the index, [`Error::IncompatibleIndex`]
    /// if it was written by another schema or analyzer version (unless `rebuild` is set).
    pub fn begin(
        index: &Index,
        fields: &'a Fields,
        path: &'a Path,
        options: &IndexOptions,
    ) -> Result<Transaction<'a>> {
        let lock = IndexLock::acquire(path)?;
        let info = CommitInfo::load(index, path)?;
        if !info.is_compatible() && !options.rebuild {
            return Err(Error::IncompatibleIndex {
                path: path.to_path_buf(),
                found: info.describe(),
                expected: CommitInfo::current().describe(),
            });
        }
        let engine = |e| Error::engine(path, e);
        let searcher = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(engine)?
            .searcher();
        let writer = open_writer(index, path, options)?;
        // What a run that failed or was killed left behind (segments it wrote and never
        // committed, on a full disk say) goes before anything new is written.
        collect_garbage(&writer);
        remove_uncommitted(index, path);
        let mut policy = LogMergePolicy::default();
        policy.set_del_docs_ratio_before_merge(MAX_DELETED_SHARE);
        writer.set_merge_policy(Box::new(policy));
        let mut transaction = Transaction {
            fields,
            path,
            writer,
            searcher,
            info,
            changed: false,
            rebuilding: false,
            _lock: lock,
        };
        if options.rebuild {
            transaction.writer.delete_all_documents().map_err(engine)?;
            transaction.rebuilding = true;
            transaction.changed = true;
        }
        Ok(transaction)
    }

    /// Begins a transaction for a few single documents: one writer thread is plenty. Returns
    /// it with the manifest to update.
    ///
    /// # Errors
    /// As [`Transaction::begin`].
    pub fn begin_small(
        index: &Index,
        fields: &'a Fields,
        path: &'a Path,
    ) -> Result<(Transaction<'a>, Option<Manifest>)> {
        let options = IndexOptions {
            threads: 1,
            ..Default::default()
        };
        let tx = Transaction::begin(index, fields, path, &options)?;
        let manifest = tx.info.manifest.clone();
        Ok((tx, manifest))
    }

    /// The sources of the last commit, which the next commit records too (as changed here).
    pub fn sources_mut(&mut self) -> &mut Vec<String> {
        &mut self.info.sources
    }

    /// The manifest of the last commit; `None` in an index written before there was one.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.info.manifest.as_ref()
    }

    /// Whether anything was added or deleted.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// Whether all documents were deleted first: the last commit's documents are then no
    /// longer there.
    pub fn rebuilding(&self) -> bool {
        self.rebuilding
    }

    fn engine(&self, err: impl std::fmt::Display) -> Error {
        Error::engine(self.path, err)
    }

    /// The live documents of the last commit under each of `key_terms` and, with a `prefix`,
    /// under every key `prefix#…`, with the hash of each.
    fn collect(&self, key_terms: &[&str], prefix: Option<&str>) -> Result<Indexed> {
        let mut found = Indexed::new();
        if self.rebuilding {
            return Ok(found);
        }
        for segment in self.searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.key)
                .map_err(|e| self.engine(e))?;
            let hashes = segment
                .fast_fields()
                .u64(HASH_FIELD)
                .map_err(|e| self.engine(e))?;
            let mut visit = |key: &[u8], info: &tantivy::postings::TermInfo| -> Result<()> {
                let mut postings = inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                    .map_err(|e| self.engine(e))?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !segment.is_deleted(doc) {
                        let key = String::from_utf8_lossy(key).into_owned();
                        found.insert(key, hashes.first(doc).unwrap_or_default());
                    }
                    doc = postings.advance();
                }
                Ok(())
            };
            let terms = inverted.terms();
            for key in key_terms {
                if let Some(info) = terms.get(key).map_err(|e| self.engine(e))? {
                    visit(key.as_bytes(), &info)?;
                }
            }
            if let Some(prefix) = prefix {
                // Keys of JSON lines are `path#id`; '$' is the byte after '#', so the range
                // holds exactly the keys that start with `path#`.
                let start = format!("{prefix}#");
                let end = format!("{prefix}$");
                let mut stream = terms
                    .range()
                    .ge(&start)
                    .lt(&end)
                    .into_stream()
                    .map_err(|e| self.engine(e))?;
                while stream.advance() {
                    visit(stream.key(), stream.value())?;
                }
            }
        }
        Ok(found)
    }

    /// The documents the last commit holds from a source file.
    pub fn documents_of(&self, source: &str) -> Result<Indexed> {
        self.collect(&[source], Some(source))
    }

    /// The document the last commit holds under a key.
    pub fn document(&self, key: &str) -> Result<Option<u64>> {
        Ok(self.collect(&[key], None)?.remove(key))
    }

    /// The source paths the last commit holds documents of.
    pub fn sources(&self) -> Result<BTreeSet<String>> {
        let mut sources = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.source)
                .map_err(|e| self.engine(e))?;
            let mut terms = inverted.terms().stream().map_err(|e| self.engine(e))?;
            while terms.advance() {
                sources.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(sources)
    }

    /// Adds a document; a document under the same key is not deleted by it.
    pub fn add(&mut self, document: &Document) -> Result<()> {
        self.changed = true;
        self.writer
            .add_document(to_tantivy(self.fields, document))
            .map_err(|e| Error::engine(self.path, e))?;
        Ok(())
    }

    /// Deletes the document under a key.
    pub fn delete_key(&mut self, key: &str) {
        self.changed = true;
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
    }

    /// Deletes every document of a source file.
    pub fn delete_source(&mut self, source: &str) {
        self.changed = true;
        self.writer
            .delete_term(Term::from_field_text(self.fields.source, source));
    }

    /// Commits everything at once, with `manifest` in the commit, and waits for the merges
    /// the commit started so that no half-merged segments are left when the process ends.
    ///
    /// # Errors
    /// [`Error::Engine`] if writing fails; the last commit then stays as it was.
    pub fn commit(mut self, manifest: Option<Manifest>) -> Result<()> {
        // The variant stays what it was: a library only writes to an index of its own variant.
        let info = CommitInfo {
            manifest,
            sources: std::mem::take(&mut self.info.sources),
            variant: self.info.variant.take(),
            ..CommitInfo::current()
        };
        if let Err(err) = info.commit(&mut self.writer, self.path) {
            // The commit did not happen (a full disk, say): what it wrote goes.
            let _ = self.writer.rollback();
            discard(self.writer, self.path);
            return Err(err);
        }
        self.writer
            .wait_merging_threads()
            .map_err(|e| Error::engine(self.path, e))
    }

    /// Drops everything written since the transaction began, files included: on a full disk
    /// the space they took is free again for the next run.
    pub fn rollback(mut self) -> Result<()> {
        let rolled_back = self
            .writer
            .rollback()
            .map(drop)
            .map_err(|e| Error::engine(self.path, e));
        discard(self.writer, self.path);
        rolled_back
    }
}

/// Ends a writer whose changes were rolled back and removes the files it wrote. Merges it
/// started may still be writing after the rollback, so they are waited for first.
fn discard(writer: IndexWriter, path: &Path) {
    let index = writer.index().clone();
    let _ = writer.wait_merging_threads();
    remove_uncommitted(&index, path);
}

/// Removes the segment files of the index folder that the last commit does not use, and the
/// temporary files of atomic writes. tantivy's own collection only knows the files it
/// recorded in `.managed.json`, and on a full disk that record may be what failed to be
/// written. Only the holder of the index's lock calls this, so no other writer is at work;
/// readers only open the files of commits.
fn remove_uncommitted(index: &Index, path: &Path) {
    let Ok(metas) = index.load_metas() else {
        return;
    };
    let used: HashSet<String> = metas
        .segments
        .iter()
        .map(|segment| segment.id().uuid_string())
        .collect();
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let unused = crate::index::segment_id(&name).is_some_and(|id| !used.contains(id));
        let temporary = name.starts_with('.') && name.ends_with(".tmp");
        if unused || temporary {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Deletes the files of the index folder that no commit uses. A failure is left for the next
/// run to retry (it begins with the same), and says nothing: the last commit is searchable
/// either way.
fn collect_garbage(writer: &IndexWriter) {
    let _ = writer.garbage_collect_files().wait();
}

/// Opens a writer sized for the machine.
fn open_writer(index: &Index, path: &Path, options: &IndexOptions) -> Result<IndexWriter> {
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
        n => n,
    };
    let memory_mib = match options.memory_mib {
        0 => 256 * threads,
        n => n.max(16 * threads),
    };
    index
        .writer_with_num_threads(threads, memory_mib << 20)
        .map_err(|err| match err {
            // Our own lock is taken first, so this is a writer that is not integra.
            tantivy::TantivyError::LockFailure(..) => Error::IndexLocked {
                path: path.to_path_buf(),
                holder: "another process".into(),
            },
            err => Error::engine(path, err),
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::analysis::ANALYZER_VERSION;
    use crate::index::writer::document::document_hash;
    use crate::index::writer::tests::{document, file_entry, one_thread, ram_index, stored};

    /// Commits `documents` in one transaction.
    fn commit_all(index: &Index, fields: &Fields, path: &Path, documents: &[Document]) {
        let mut tx = Transaction::begin(index, fields, path, &one_thread()).unwrap();
        for document in documents {
            tx.add(document).unwrap();
        }
        tx.commit(None).unwrap();
    }

    #[test]
    fn nothing_is_visible_before_the_commit() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.add(&document("a.txt", "a.txt", "Sprachkurse")).unwrap();
        assert!(tx.changed());
        assert!(stored(&index, &fields).is_empty());
        tx.commit(None).unwrap();
        assert_eq!(
            stored(&index, &fields),
            BTreeMap::from([("a.txt".into(), "Sprachkurse".into())])
        );
    }

    #[test]
    fn a_dropped_or_rolled_back_transaction_leaves_the_last_commit_and_the_lock() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let alt = document("a.txt", "a.txt", "alt");
        commit_all(&index, &fields, dir.path(), &[alt]);
        let before = stored(&index, &fields);
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.add(&document("b.txt", "b.txt", "neu")).unwrap();
        drop(tx);
        assert_eq!(stored(&index, &fields), before);
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.delete_key("a.txt");
        tx.add(&document("b.txt", "b.txt", "neu")).unwrap();
        tx.rollback().unwrap();
        assert_eq!(stored(&index, &fields), before);
    }

    #[test]
    fn a_second_transaction_is_refused_naming_the_index() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let _first = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        let second = Transaction::begin(&index, &fields, dir.path(), &one_thread());
        match second {
            Err(Error::IndexLocked { path, .. }) => assert_eq!(path, dir.path()),
            Err(err) => panic!("{err}"),
            Ok(_) => panic!("a second transaction began"),
        }
    }

    #[test]
    fn the_commit_records_the_versions_and_the_manifest() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = Manifest::default();
        manifest.files.insert("a.txt".into(), file_entry());
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.add(&document("a.txt", "a.txt", "Sprachkurse")).unwrap();
        tx.commit(Some(manifest.clone())).unwrap();
        let info = CommitInfo::load(&index, dir.path()).unwrap();
        assert_eq!(
            info,
            CommitInfo {
                manifest: Some(manifest.clone()),
                ..CommitInfo::current()
            }
        );
        let tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        assert_eq!(tx.manifest(), Some(&manifest));
    }

    #[test]
    fn a_commit_keeps_the_variant_of_the_index() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let variant = CommitInfo {
            variant: Some("no-decompound".into()),
            ..CommitInfo::current()
        };
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        variant.commit(&mut writer, dir.path()).unwrap();
        drop(writer);
        let doc = document("a.txt", "a.txt", "x");
        commit_all(&index, &fields, dir.path(), &[doc]);
        let info = CommitInfo::load(&index, dir.path()).unwrap();
        assert_eq!(info.variant.as_deref(), Some("no-decompound"));
    }

    #[test]
    fn an_index_of_another_analyzer_version_is_refused_unless_rebuilt() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let old = CommitInfo {
            analyzer_version: ANALYZER_VERSION + 1,
            ..CommitInfo::current()
        };
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(super::to_tantivy(&fields, &document("a.txt", "a.txt", "x")))
            .unwrap();
        old.commit(&mut writer, dir.path()).unwrap();
        drop(writer);
        let err = Transaction::begin(&index, &fields, dir.path(), &one_thread())
            .err()
            .expect("an incompatible index is refused");
        assert!(
            matches!(&err, Error::IncompatibleIndex { found, .. } if *found == old.describe()),
            "{err}"
        );
        let rebuild = IndexOptions {
            rebuild: true,
            ..one_thread()
        };
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &rebuild).unwrap();
        assert!(tx.rebuilding() && tx.changed());
        // The old documents are gone for the rebuild, not yet for searches.
        assert!(tx.documents_of("a.txt").unwrap().is_empty());
        assert_eq!(stored(&index, &fields).len(), 1);
        tx.add(&document("b.txt", "b.txt", "y")).unwrap();
        tx.commit(None).unwrap();
        let keys: Vec<String> = stored(&index, &fields).into_keys().collect();
        assert_eq!(keys, ["b.txt"]);
        let info = CommitInfo::load(&index, dir.path()).unwrap();
        assert!(info.is_compatible(), "{info:?}");
    }

    #[test]
    fn documents_of_a_file_are_its_own_and_its_lines_not_those_of_a_longer_name() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let line = document("reden.jsonl", "1", "Haushalt");
        commit_all(
            &index,
            &fields,
            dir.path(),
            &[
                line.clone(),
                document("reden.jsonl", "2", "Kommunen"),
                document("reden.jsonl2", "1", "Bund"),
                document("reden.jsonl", "reden.jsonl", "Länder"),
                document("reden.json", "1", "Schulen"),
            ],
        );
        let tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        let mut keys: Vec<String> = tx
            .documents_of("reden.jsonl")
            .unwrap()
            .into_keys()
            .collect();
        keys.sort();
        assert_eq!(keys, ["reden.jsonl", "reden.jsonl#1", "reden.jsonl#2"]);
        assert_eq!(
            tx.document("reden.jsonl#1").unwrap(),
            Some(document_hash(&line))
        );
        assert_eq!(tx.document("reden.jsonl#3").unwrap(), None);
        let sources: Vec<String> = tx.sources().unwrap().into_iter().collect();
        assert_eq!(sources, ["reden.json", "reden.jsonl", "reden.jsonl2"]);
    }

    #[test]
    fn a_deleted_document_is_no_longer_found() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        commit_all(
            &index,
            &fields,
            dir.path(),
            &[
                document("reden.jsonl", "1", "Haushalt"),
                document("reden.jsonl", "2", "Kommunen"),
            ],
        );
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.delete_key("reden.jsonl#1");
        tx.commit(None).unwrap();
        let tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        assert_eq!(tx.document("reden.jsonl#1").unwrap(), None);
        assert_eq!(tx.documents_of("reden.jsonl").unwrap().len(), 1);
        drop(tx);
        let mut tx = Transaction::begin(&index, &fields, dir.path(), &one_thread()).unwrap();
        tx.delete_source("reden.jsonl");
        tx.commit(None).unwrap();
        assert!(stored(&index, &fields).is_empty());
    }
}
