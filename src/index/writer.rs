//! Writes a corpus into the index: every source file is read, its documents replace the ones
//! it had before, and documents of files that are gone are removed, all in one commit.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::schema::{Fields, SCHEMA_VERSION, facet};
use crate::analysis::ANALYZER_VERSION;
use crate::corpus::{self, Document};
use crate::error::{Error, Result};

/// How an indexing run behaves.
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// Start from an empty index instead of updating the existing one.
    pub rebuild: bool,
    /// Threads that analyze and write; `0` picks one per core, at most 8.
    pub threads: usize,
    /// Memory for the writer in MiB, shared by its threads; `0` picks 256 MiB a thread.
    pub memory_mib: usize,
}

/// What an indexing run reports while it works, for progress displays.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum IndexEvent {
    /// The corpus was walked: this many source files will be read.
    Discovered {
        /// Number of source files.
        files: usize,
    },
    /// A source file is being read.
    Reading {
        /// Its path.
        path: String,
    },
    /// More documents were written (sent every few hundred documents and at a file's end).
    Progress {
        /// Documents written so far in this run.
        documents: u64,
    },
    /// A source file was read to its end.
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

/// The outcome of an indexing run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    /// Source files read.
    pub files: usize,
    /// Documents written.
    pub indexed: u64,
    /// Documents in the index after the run.
    pub total: u64,
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
}

impl CommitInfo {
    pub fn current() -> CommitInfo {
        CommitInfo {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "schema v{} and analyzer v{}",
            self.schema_version, self.analyzer_version
        )
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

/// 64-bit FNV-1a: stable across Rust releases (unlike `DefaultHasher`), which a hash stored in
/// the index must be.
pub(crate) fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

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

/// The source paths the index holds documents of.
fn indexed_sources(index: &Index, fields: &Fields) -> tantivy::Result<BTreeSet<String>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut sources = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.source)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            sources.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(sources)
}

/// Opens a writer sized for the machine.
pub(crate) fn open_writer(
    index: &Index,
    path: &Path,
    options: &IndexOptions,
) -> Result<IndexWriter> {
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
            tantivy::TantivyError::LockFailure(..) => Error::IndexLocked {
                path: path.to_path_buf(),
                holder: "another integra process".into(),
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
}

/// How many documents pass between two progress events.
const PROGRESS_EVERY: u64 = 256;

/// Reads every source file under `corpus` into the index and commits once.
pub(crate) fn index_corpus(
    index: &Index,
    fields: &Fields,
    path: &Path,
    corpus: &Path,
    options: &IndexOptions,
    observer: &mut dyn FnMut(IndexEvent),
) -> Result<IndexReport> {
    let started = Instant::now();
    let engine = |err: tantivy::TantivyError| Error::engine(path, err);
    let discovery = corpus::discover(corpus)?;
    let mut run = Run {
        observer,
        report: IndexReport {
            files: discovery.files.len(),
            ..Default::default()
        },
    };
    for err in &discovery.skipped {
        run.skip(err);
    }
    let mut writer = open_writer(index, path, options)?;
    let mut stale = if options.rebuild {
        writer.delete_all_documents().map_err(engine)?;
        BTreeSet::new()
    } else {
        indexed_sources(index, fields).map_err(engine)?
    };
    (run.observer)(IndexEvent::Discovered {
        files: discovery.files.len(),
    });
    for source in &discovery.files {
        stale.remove(&source.display);
        (run.observer)(IndexEvent::Reading {
            path: source.display.clone(),
        });
        let documents = match corpus::read(source) {
            Ok(documents) => documents,
            Err(err) => {
                // The file's earlier documents stay: a file that cannot be read now loses
                // nothing that was indexed from it before.
                run.skip(&err);
                (run.observer)(IndexEvent::FileDone);
                continue;
            }
        };
        writer.delete_term(Term::from_field_text(fields.source, &source.display));
        for document in documents {
            match document {
                Ok(document) => {
                    writer
                        .add_document(to_tantivy(fields, &document))
                        .map_err(engine)?;
                    run.report.indexed += 1;
                    if run.report.indexed.is_multiple_of(PROGRESS_EVERY) {
                        (run.observer)(IndexEvent::Progress {
                            documents: run.report.indexed,
                        });
                    }
                }
                Err(err) => run.skip(&err),
            }
        }
        (run.observer)(IndexEvent::Progress {
            documents: run.report.indexed,
        });
        (run.observer)(IndexEvent::FileDone);
    }
    for source in &stale {
        writer.delete_term(Term::from_field_text(fields.source, source));
    }
    (run.observer)(IndexEvent::Committing);
    let mut commit = writer.prepare_commit().map_err(engine)?;
    let info = serde_json::to_string(&CommitInfo::current()).expect("commit info serializes");
    commit.set_payload(&info);
    commit.commit().map_err(engine)?;
    writer.wait_merging_threads().map_err(engine)?;
    let mut report = run.report;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
