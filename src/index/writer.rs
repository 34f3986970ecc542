//! Writes into the index: a corpus run that reads only new and changed files, and single
//! documents added or deleted by key. Each is one transaction: all of its changes are
//! committed at once, with the manifest in the same commit, or none are.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::indexer::LogMergePolicy;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{
    DocSet, Index, IndexWriter, ReloadPolicy, Searcher, TERMINATED, TantivyDocument, Term,
};

use super::lock::IndexLock;
use super::manifest::{FileEntry, FileStamp, Manifest, content_hash};
use super::schema::{Fields, SCHEMA_VERSION, facet};
use crate::analysis::ANALYZER_VERSION;
use crate::corpus::{self, Document, SourceFile};
use crate::error::{Error, Result};
use crate::hash::{FNV_OFFSET, fnv1a};

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
    /// [`Error::Interrupted`], leaving the index as it was.
    pub interrupt: Option<Arc<AtomicBool>>,
}

impl IndexOptions {
    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

/// What an indexing run reports while it works, for progress displays.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum IndexEvent {
    /// The corpus was walked: this many source files will be looked at.
    Discovered {
        /// Number of source files.
        files: usize,
    },
    /// A new or changed source file is being read.
    Reading {
        /// Its path.
        path: String,
    },
    /// More documents were written (sent every few hundred documents and at a file's end).
    Progress {
        /// Documents written so far in this run.
        documents: u64,
    },
    /// A source file was looked at: read to its end, or found unchanged.
    FileDone,
    /// A file, or a line of one, was skipped.
    Skipped(Skipped),
    /// All changes are being committed.
    Committing,
}

/// A file or line that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// The line of a JSON Lines file, where it concerns one line.
    pub line: Option<usize>,
    /// Why, as a complete message naming the file (and line).
    pub reason: String,
}

/// The outcome of an indexing run or of a single-document update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    /// Source files in the corpus.
    pub files: usize,
    /// Source files read because they were new or had changed; the others were not opened.
    pub read: usize,
    /// Documents that were not in the index before.
    pub added: u64,
    /// Documents whose text or metadata changed, rewritten.
    pub updated: u64,
    /// Documents removed: their file or line is gone, or they were deleted by key.
    pub removed: u64,
    /// Documents left as they were.
    pub unchanged: u64,
    /// Documents written: `added + updated`.
    pub indexed: u64,
    /// Documents in the index after the run.
    pub total: u64,
    /// Whether the run started from an empty index.
    pub rebuilt: bool,
    /// Files and lines skipped, with the reason.
    pub skipped: Vec<Skipped>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// What each commit records beside the segments, in tantivy's commit payload, so that it is
/// written atomically with the documents it describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CommitInfo {
    pub schema_version: u32,
    pub analyzer_version: u32,
    /// The source files of the last corpus run; `None` in an index written before there was
    /// a manifest, whose files are then all read once and compared document by document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
    /// The analyzer variant of an index built for an evaluation ("no-decompound"); `None` for
    /// integra's own analyzer. Only a library opened for the same variant may use the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl CommitInfo {
    pub fn current() -> CommitInfo {
        CommitInfo {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            manifest: None,
            variant: None,
        }
    }

    /// Whether this build of integra can read and extend the index the info describes.
    pub fn is_compatible(&self) -> bool {
        self.schema_version == SCHEMA_VERSION && self.analyzer_version == ANALYZER_VERSION
    }

    pub fn describe(&self) -> String {
        let variant = match &self.variant {
            Some(variant) => format!(" ({variant})"),
            None => String::new(),
        };
        format!(
            "schema v{} and analyzer v{}{variant}",
            self.schema_version, self.analyzer_version
        )
    }

    /// Commits what `writer` holds with this info as the commit's payload.
    pub fn commit(&self, writer: &mut IndexWriter, path: &Path) -> Result<()> {
        let payload = serde_json::to_string(self).expect("commit info serializes");
        let engine = |e| Error::engine(path, e);
        let mut prepared = writer.prepare_commit().map_err(engine)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(engine)?;
        Ok(())
    }

    /// The info of the index's last commit.
    pub fn load(index: &Index, path: &Path) -> Result<CommitInfo> {
        let metas = index.load_metas().map_err(|e| Error::engine(path, e))?;
        Ok(match metas.payload {
            Some(payload) => serde_json::from_str(&payload).unwrap_or_default(),
            // Never committed: nothing in it was written by another version.
            None if metas.segments.is_empty() => CommitInfo::current(),
            None => CommitInfo::default(),
        })
    }
}

fn skipped_from(err: &Error) -> Skipped {
    let (path, line) = match err {
        Error::Document { path, line, .. } | Error::Metadata { path, line, .. } => {
            (path.display().to_string(), *line)
        }
        Error::Io { path, .. } => (path.display().to_string(), None),
        _ => (String::new(), None),
    };
    Skipped {
        path,
        line,
        reason: err.to_string(),
    }
}

fn document_hash(doc: &Document) -> u64 {
    let meta = serde_json::to_vec(&doc.metadata).unwrap_or_default();
    fnv1a(doc.text.as_bytes(), fnv1a(&meta, FNV_OFFSET))
}

pub(crate) fn to_tantivy(fields: &Fields, doc: &Document) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    let meta = &doc.metadata;
    out.add_text(fields.key, doc.key());
    out.add_text(fields.source, &doc.path);
    out.add_text(fields.id, &doc.id);
    if let Some(title) = &meta.title {
        out.add_text(fields.title, title);
    }
    out.add_text(fields.body, &doc.text);
    for author in &meta.authors {
        out.add_text(fields.authors, author);
        out.add_facet(fields.facets, Facet::from_path([facet::AUTHOR, author]));
    }
    for institution in &meta.institutions {
        out.add_text(fields.institutions, institution);
        out.add_facet(
            fields.facets,
            Facet::from_path([facet::INSTITUTION, institution]),
        );
    }
    if let Some(year) = meta.year {
        out.add_u64(fields.year, u64::from(year));
        out.add_facet(
            fields.facets,
            Facet::from_path([facet::YEAR, &year.to_string()]),
        );
    }
    if let Some(doc_type) = &meta.doc_type {
        out.add_text(fields.doc_type, doc_type);
    }
    if let Some(language) = &meta.language {
        out.add_text(fields.language, language);
    }
    if let Some(origin) = &meta.source {
        out.add_text(fields.origin, origin);
    }
    out.add_u64(fields.hash, document_hash(doc));
    out
}

/// The documents the index holds under one key or under the keys of one source file, with
/// the content hash of each.
type Indexed = HashMap<String, u64>;

/// One write to the index: the index's lock, tantivy's writer and a view of the last commit.
/// Nothing is visible to searches until [`Transaction::commit`]; dropping it or
/// [`Transaction::rollback`] leaves the index as it was.
pub(crate) struct Transaction<'a> {
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
    /// Takes the index's lock and opens a writer.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to the index, [`Error::IncompatibleIndex`]
    /// if it was written by another schema or analyzer version (unless `rebuild` is set).
    /// Begins a transaction for a few single documents: one writer thread is plenty. Returns
    /// it with the manifest to update.
    fn begin_small(
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

    fn engine(&self, err: impl std::fmt::Display) -> Error {
        Error::engine(self.path, err)
    }

    /// Visits the live documents of the last commit under each key term that `visit_terms`
    /// finds, with the hash of each.
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
                .u64(super::schema::HASH_FIELD)
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
    fn documents_of(&self, source: &str) -> Result<Indexed> {
        self.collect(&[source], Some(source))
    }

    /// The document the last commit holds under a key.
    fn document(&self, key: &str) -> Result<Option<u64>> {
        Ok(self.collect(&[key], None)?.remove(key))
    }

    /// The source paths the last commit holds documents of.
    fn sources(&self) -> Result<BTreeSet<String>> {
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

    fn add(&mut self, document: &Document) -> Result<()> {
        self.changed = true;
        self.writer
            .add_document(to_tantivy(self.fields, document))
            .map_err(|e| Error::engine(self.path, e))?;
        Ok(())
    }

    fn delete_key(&mut self, key: &str) {
        self.changed = true;
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
    }

    fn delete_source(&mut self, source: &str) {
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
            variant: self.info.variant.take(),
            ..CommitInfo::current()
        };
        info.commit(&mut self.writer, self.path)?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| Error::engine(self.path, e))
    }

    /// Drops everything written since the transaction began.
    pub fn rollback(mut self) -> Result<()> {
        self.writer
            .rollback()
            .map(drop)
            .map_err(|e| Error::engine(self.path, e))
    }
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

/// Collects what a run reports and passes it on to the observer.
struct Run<'a> {
    observer: &'a mut dyn FnMut(IndexEvent),
    report: IndexReport,
}

impl Run<'_> {
    fn skip(&mut self, err: &Error) {
        let skipped = skipped_from(err);
        (self.observer)(IndexEvent::Skipped(skipped.clone()));
        self.report.skipped.push(skipped);
    }

    fn progress(&mut self) {
        self.report.indexed = self.report.added + self.report.updated;
        (self.observer)(IndexEvent::Progress {
            documents: self.report.indexed,
        });
    }
}

/// How many documents pass between two progress events.
const PROGRESS_EVERY: u64 = 256;

/// Brings the index up to date with the corpus at `corpus` and commits once: new and changed
/// files are read, unchanged ones are not opened, documents of files that are gone are removed.
pub(crate) fn index_corpus(
    index: &Index,
    fields: &Fields,
    path: &Path,
    corpus: &Path,
    options: &IndexOptions,
    observer: &mut dyn FnMut(IndexEvent),
) -> Result<IndexReport> {
    let started = Instant::now();
    let mut tx = Transaction::begin(index, fields, path, options)?;
    let mut run = Run {
        observer,
        report: IndexReport {
            rebuilt: options.rebuild,
            ..Default::default()
        },
    };
    match update_corpus(&mut tx, &mut run, corpus, options) {
        Ok(manifest) => {
            let unchanged = !tx.changed && tx.info.manifest.as_ref() == Some(&manifest);
            if unchanged {
                // Nothing to commit: the writer is dropped and the index stays as it was.
                drop(tx);
            } else {
                (run.observer)(IndexEvent::Committing);
                tx.commit(Some(manifest))?;
            }
        }
        Err(err) => {
            tx.rollback()?;
            return Err(err);
        }
    }
    let mut report = run.report;
    report.indexed = report.added + report.updated;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The body of a corpus run: every change goes into `tx`, and the manifest of the new commit
/// is returned.
fn update_corpus(
    tx: &mut Transaction<'_>,
    run: &mut Run<'_>,
    corpus: &Path,
    options: &IndexOptions,
) -> Result<Manifest> {
    let discovery = corpus::discover(corpus)?;
    run.report.files = discovery.files.len();
    let mut passed_over = Vec::new();
    for err in &discovery.skipped {
        run.skip(err);
        passed_over.push(skipped_from(err).path);
    }
    (run.observer)(IndexEvent::Discovered {
        files: discovery.files.len(),
    });
    // An index from before the manifest knows its files only by the documents it holds.
    let (previous, legacy) = match (&tx.info.manifest, tx.rebuilding) {
        (_, true) => (Manifest::default(), false),
        (Some(manifest), false) => (manifest.clone(), false),
        (None, false) => (Manifest::default(), true),
    };
    let mut manifest = Manifest::default();
    let mut found = HashSet::new();
    for source in &discovery.files {
        found.insert(source.display.as_str());
        let old = previous.files.get(&source.display);
        if let Some(entry) = update_file(tx, run, source, old, options)? {
            manifest.files.insert(source.display.clone(), entry);
        }
        (run.observer)(IndexEvent::FileDone);
    }
    let known: Vec<String> = if legacy {
        tx.sources()?.into_iter().collect()
    } else {
        previous.files.keys().cloned().collect()
    };
    for source in known {
        if found.contains(source.as_str()) {
            continue;
        }
        // A file in a folder that could not be listed is not gone: it keeps its documents.
        let unlisted = passed_over.iter().any(|dir| {
            source
                .strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        if unlisted {
            if let Some(entry) = previous.files.get(&source) {
                manifest.files.insert(source, entry.clone());
            }
            continue;
        }
        let documents = tx.documents_of(&source)?;
        if !documents.is_empty() {
            run.report.removed += documents.len() as u64;
            tx.delete_source(&source);
        }
    }
    Ok(manifest)
}

/// Brings the documents of one source file up to date, and returns what the manifest is to
/// say about it (`None`: nothing, the index holds nothing from it).
fn update_file(
    tx: &mut Transaction<'_>,
    run: &mut Run<'_>,
    source: &SourceFile,
    old: Option<&FileEntry>,
    options: &IndexOptions,
) -> Result<Option<FileEntry>> {
    if options.interrupted() {
        return Err(Error::Interrupted);
    }
    // What the index held from a file that cannot be read now stays, and the file is read
    // again next time even if it looks the same (a permission fixed by chmod keeps the mtime).
    let keep_old = || {
        old.cloned().map(|mut entry| {
            entry.reread = true;
            entry
        })
    };
    // The stamp is taken before the file is read: if it changes while being read, the next
    // run sees a new stamp and reads it again.
    let stamp = match FileStamp::of(source) {
        Ok(stamp) => stamp,
        Err(err) => {
            run.skip(&err);
            return Ok(keep_old());
        }
    };
    let current = old.filter(|entry| !entry.reread);
    if let Some(entry) = current
        && entry.stamp == stamp
    {
        run.report.unchanged += entry.documents;
        return Ok(Some(entry.clone()));
    }
    let hash = match content_hash(source) {
        Ok(hash) => hash,
        Err(err) => {
            run.skip(&err);
            return Ok(keep_old());
        }
    };
    if let Some(entry) = current
        && entry.hash == hash
    {
        // Touched, not changed.
        run.report.unchanged += entry.documents;
        return Ok(Some(FileEntry {
            stamp,
            ..entry.clone()
        }));
    }
    run.report.read += 1;
    (run.observer)(IndexEvent::Reading {
        path: source.display.clone(),
    });
    let documents = match corpus::read(source) {
        Ok(documents) => documents,
        Err(err) => {
            run.skip(&err);
            return Ok(keep_old());
        }
    };
    let indexed = tx.documents_of(&source.display)?;
    let mut seen = HashSet::new();
    let mut incomplete = false;
    for document in documents {
        if options.interrupted() {
            return Err(Error::Interrupted);
        }
        let document = match document {
            Ok(document) => document,
            Err(err) => {
                run.skip(&err);
                incomplete = true;
                continue;
            }
        };
        let key = document.key();
        if seen.contains(&key) {
            run.skip(&corpus::document_error(
                &source.path,
                None,
                format!("id '{}' occurs twice: the first is indexed", document.id),
            ));
            continue;
        }
        let hash = document_hash(&document);
        match indexed.get(&key) {
            Some(&old) if old == hash => run.report.unchanged += 1,
            Some(_) => {
                tx.delete_key(&key);
                tx.add(&document)?;
                run.report.updated += 1;
            }
            None => {
                tx.add(&document)?;
                run.report.added += 1;
            }
        }
        seen.insert(key);
        if (run.report.added + run.report.updated).is_multiple_of(PROGRESS_EVERY) {
            run.progress();
        }
    }
    run.progress();
    let mut documents = seen.len() as u64;
    for key in indexed.keys().filter(|key| !seen.contains(*key)) {
        if incomplete {
            // The line may be one that failed to parse: its document stays.
            documents += 1;
        } else {
            tx.delete_key(key);
            run.report.removed += 1;
        }
    }
    Ok(Some(FileEntry {
        stamp,
        hash,
        documents,
        reread: incomplete,
    }))
}

/// Marks the manifest's entry of the file a key belongs to for reading again: its documents in
/// the index no longer match the file.
fn mark_for_reread(manifest: &mut Option<Manifest>, key: &str) {
    let Some(manifest) = manifest else { return };
    let path = match manifest.files.contains_key(key) {
        true => key,
        false => key.rsplit_once('#').map_or(key, |(path, _)| path),
    };
    if let Some(entry) = manifest.files.get_mut(path) {
        entry.reread = true;
    }
}

/// Adds or replaces single documents by key, and commits once.
pub(crate) fn add_documents(
    index: &Index,
    fields: &Fields,
    path: &Path,
    documents: &[Document],
) -> Result<IndexReport> {
    let started = Instant::now();
    let (mut tx, mut manifest) = Transaction::begin_small(index, fields, path)?;
    let mut report = IndexReport::default();
    // Of several documents with one key the last wins, as if they were added one by one.
    let keys: Vec<String> = documents.iter().map(Document::key).collect();
    let last: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (key.as_str(), i))
        .collect();
    for (i, (document, key)) in documents.iter().zip(&keys).enumerate() {
        if last[key.as_str()] != i {
            continue;
        }
        let hash = document_hash(document);
        match tx.document(key)? {
            Some(old) if old == hash => report.unchanged += 1,
            Some(_) => {
                tx.delete_key(key);
                tx.add(document)?;
                report.updated += 1;
            }
            None => {
                tx.add(document)?;
                report.added += 1;
            }
        }
        mark_for_reread(&mut manifest, key);
    }
    if tx.changed {
        tx.commit(manifest)?;
    }
    report.indexed = report.added + report.updated;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Deletes documents by key, and commits once.
pub(crate) fn delete_documents(
    index: &Index,
    fields: &Fields,
    path: &Path,
    keys: &[&str],
) -> Result<IndexReport> {
    let started = Instant::now();
    let (mut tx, mut manifest) = Transaction::begin_small(index, fields, path)?;
    let mut report = IndexReport::default();
    let mut seen = HashSet::new();
    for &key in keys {
        if seen.insert(key) && tx.document(key)?.is_some() {
            tx.delete_key(key);
            report.removed += 1;
            mark_for_reread(&mut manifest, key);
        }
    }
    if tx.changed {
        tx.commit(manifest)?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
