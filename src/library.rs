//! [`Library`]: an index on disk, opened for indexing and searching.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy};

use crate::analysis::{self, Analysis, AnalyzerChoice};
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::index::{
    self, AnalyzedRecord, CheckReport, CommitInfo, Damage, Fields, IndexDirectory, IndexEvent,
    IndexLock, IndexOptions, IndexReport, Source, Staleness,
};
use crate::search::{self, FacetCounts, Hit, SearchRequest};

mod searching;

/// A searchable collection of documents: one integra index on disk.
///
/// Opening is cheap; searches may run from many threads at once. Indexing takes the index's
/// writer lock, so one process at a time writes.
pub struct Library {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analysis: Analysis,
    /// Copies of the index's analyzer for the texts a search analyzes (passages, feedback).
    analyzers: analysis::AnalyzerPool,
    /// Copies of the query analyzer, for queries and the derived forms of their words.
    query_analyzers: analysis::AnalyzerPool,
    /// The facets of each segment by ordinal, read once a segment.
    facet_names: search::FacetNames,
    /// The shipped thesaurus with the index folder's `thesaurus.toml`, read at the first
    /// search that expands its words.
    thesaurus: search::ThesaurusOnce,
}

/// Figures about an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The index directory.
    pub path: String,
    /// Documents in the index.
    pub documents: u64,
    /// Segments the index is made of.
    pub segments: usize,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Distinct values and document counts of each facet.
    pub facets: FacetCounts,
    /// The schema and analyzer versions the index was built with.
    pub built_with: String,
}

fn meta_exists(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

/// Removes the files of an integra index from `path`: `meta.json`, `.managed.json` and the
/// segment files (named by a 32-digit hexadecimal id), and nothing else.
fn remove_index_files(path: &Path) -> Result<()> {
    let entries = std::fs::read_dir(path).map_err(|e| Error::io(path, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let segment = index::segment_id(&name).is_some();
        if segment || name == "meta.json" || name == ".managed.json" {
            let file = entry.path();
            std::fs::remove_file(&file).map_err(|e| Error::io(file, e))?;
        }
    }
    Ok(())
}

impl Library {
    /// Whether there is an index at `path`.
    pub fn exists(path: impl AsRef<Path>) -> bool {
        meta_exists(path.as_ref())
    }

    /// Opens the index at `path`.
    ///
    /// # Errors
    /// [`Error::IndexNotFound`] if there is none, [`Error::IncompatibleIndex`] if it was built by
    /// another schema or analyzer version.
    pub fn open(path: impl AsRef<Path>) -> Result<Library> {
        Self::open_checked(path.as_ref(), Analysis::default())
    }

    /// Opens the index at `path` if it was built with this schema, this analyzer version and
    /// `analysis`'s variant.
    fn open_checked(path: &Path, analysis: Analysis) -> Result<Library> {
        if !meta_exists(path) {
            return Err(Error::IndexNotFound {
                path: path.to_path_buf(),
            });
        }
        let index = IndexDirectory::open(path)
            .and_then(Index::open)
            .map_err(|e| index::damaged(path, &e))?;
        index::files_present(&index, path)?;
        let found = CommitInfo::load(&index, path)?;
        let expected = CommitInfo {
            variant: analysis.variant.map(String::from),
            ..CommitInfo::current()
        };
        let fields = Fields::from_schema(&index.schema());
        match fields {
            Some(fields) if found.is_compatible() && found.variant == expected.variant => {
                Self::with_index(path, index, fields, analysis)
            }
            _ => Err(Error::IncompatibleIndex {
                path: path.to_path_buf(),
                found: found.describe(),
                expected: expected.describe(),
            }),
        }
    }

    /// Creates an empty index at `path`, replacing the index there if any (other files in the
    /// folder are left alone; the old index's files are removed by the first commit).
    ///
    /// To rebuild a compatible index so that its old documents stay searchable until the new
    /// ones are committed, use [`IndexOptions::rebuild`] instead.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to it, [`Error::Io`] if the folder
    /// cannot be made, [`Error::Engine`] if the index cannot.
    pub fn create(path: impl AsRef<Path>) -> Result<Library> {
        Self::create_with(path.as_ref(), Analysis::default())
    }

    /// Creates an empty index at `path` whose text is analyzed by `analysis`: for evaluations
    /// that compare analyzers. The index records `analysis`'s variant, so only
    /// [`Library::open_with`] with the same variant opens it; [`Library::open`] refuses it.
    pub(crate) fn create_with(path: &Path, analysis: Analysis) -> Result<Library> {
        // integra's lock file marks a folder integra has written an index to; a tantivy index
        // without it is someone else's, and is not replaced.
        let ours = IndexLock::exists(path);
        if meta_exists(path) && !ours {
            return Err(Error::NotAnIndex {
                path: path.to_path_buf(),
            });
        }
        let _lock = IndexLock::acquire(path)?;
        if ours {
            // Whatever state the old index is in, damaged included, nothing of it is read: its
            // files go, and searches that still have them open keep them until they close.
            remove_index_files(path)?;
        }
        let (schema, fields) = Fields::build();
        let index = IndexDirectory::open(path)
            .and_then(|directory| Index::create(directory, schema, IndexSettings::default()))
            .map_err(|e| Error::engine(path, e))?;
        if let Some(variant) = analysis.variant {
            // An empty first commit records the variant; later commits keep it.
            let info = CommitInfo {
                variant: Some(variant.to_string()),
                ..CommitInfo::current()
            };
            let mut writer = index
                .writer_with_num_threads(1, 15_000_000)
                .map_err(|e| Error::engine(path, e))?;
            info.commit(&mut writer, path)?;
        }
        Self::with_index(path, index, fields, analysis)
    }

    /// Creates an empty index at `path` whose text is analyzed by `analyzer`, for evaluations
    /// and benchmarks that compare integra's analyzer with a baseline; searches of it analyze
    /// queries the same way. The index records the analyzer, so [`Library::open`] refuses it.
    ///
    /// # Errors
    /// As [`Library::create`].
    pub fn create_with_analyzer(
        path: impl AsRef<Path>,
        analyzer: AnalyzerChoice,
    ) -> Result<Library> {
        Self::create_with(path.as_ref(), analyzer.analysis())
    }

    /// Opens the index at `path`, built by [`Library::create_with`] with `analysis`.
    pub(crate) fn open_with(path: &Path, analysis: Analysis) -> Result<Library> {
        Self::open_checked(path, analysis)
    }

    /// Opens the index at `path`, or creates an empty one if there is none.
    ///
    /// # Errors
    /// As [`Library::open`] and [`Library::create`].
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Library> {
        let path = path.as_ref();
        if meta_exists(path) {
            Self::open(path)
        } else {
            Self::create(path)
        }
    }

    /// Reads every file of the index at `path` to its end, compares it with its checksum and
    /// opens every segment: what `integra check` does. Works on an index too damaged to open.
    ///
    /// # Errors
    /// [`Error::IndexNotFound`] if there is no index at `path`.
    pub fn check(path: impl AsRef<Path>) -> Result<CheckReport> {
        let path = path.as_ref();
        if !meta_exists(path) {
            return Err(Error::IndexNotFound {
                path: path.to_path_buf(),
            });
        }
        match IndexDirectory::open(path).and_then(Index::open) {
            Ok(index) => index::check(&index, path),
            // meta.json or .managed.json cannot be read: nothing else can be found.
            Err(err) => Ok(CheckReport {
                path: path.display().to_string(),
                damaged: vec![Damage {
                    file: index::damaged_file(&err).unwrap_or_else(|| "meta.json".into()),
                    reason: index::reason(&err),
                }],
                ..CheckReport::default()
            }),
        }
    }

    fn with_index(
        path: &Path,
        index: Index,
        fields: Fields,
        analysis: Analysis,
    ) -> Result<Library> {
        index
            .tokenizers()
            .register(analysis::ANALYZER_NAME, analysis.analyzer.clone());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| index::damaged(path, &e))?;
        Ok(Library {
            path: path.to_path_buf(),
            index,
            reader,
            fields,
            analyzers: analysis::AnalyzerPool::new(analysis.analyzer.clone()),
            query_analyzers: analysis::AnalyzerPool::new(
                analysis
                    .query_analyzer
                    .clone()
                    .unwrap_or_else(analysis::shared_query_analyzer),
            ),
            analysis,
            facet_names: search::FacetNames::default(),
            thesaurus: search::ThesaurusOnce::default(),
        })
    }

    /// The index directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Brings the index up to date with the corpus at `corpus` (a folder or a single file) and
    /// commits all changes at once: new and changed files are read, files whose size and
    /// modification time are unchanged are not opened, and documents of files that are gone
    /// are removed. Of a changed JSON Lines file only the new, changed and removed lines are
    /// written. `observer` hears about progress and skipped input.
    ///
    /// A file or line that cannot be read is reported in [`IndexReport::skipped`] and skipped;
    /// what the index held from it before stays. Searches (in this or another process) go on
    /// during the run and see its changes once it returns.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to the index, [`Error::Io`] if `corpus`
    /// does not exist, [`Error::Interrupted`] if [`IndexOptions::interrupt`] was set,
    /// [`Error::Engine`] if writing fails. After an error nothing of the run is committed.
    ///
    /// # Example
    /// ```
    /// use integra::{IndexOptions, Library};
    ///
    /// # fn main() -> integra::Result<()> {
    /// let corpus = tempfile::tempdir().unwrap();
    /// let index = tempfile::tempdir().unwrap();
    /// std::fs::write(corpus.path().join("a.txt"), "Sprachkurse für Geflüchtete").unwrap();
    /// let library = Library::create(index.path())?;
    /// let first = library.index_corpus(corpus.path(), &IndexOptions::default(), &mut |_| {})?;
    /// assert_eq!((first.added, first.read), (1, 1));
    ///
    /// std::fs::write(corpus.path().join("b.txt"), "Integrationskurse").unwrap();
    /// let second = library.index_corpus(corpus.path(), &IndexOptions::default(), &mut |_| {})?;
    /// assert_eq!((second.added, second.unchanged, second.read), (1, 1, 1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn index_corpus(
        &self,
        corpus: impl AsRef<Path>,
        options: &IndexOptions,
        observer: &mut dyn FnMut(IndexEvent),
    ) -> Result<IndexReport> {
        let roots = index::Roots::One(corpus.as_ref());
        let report = index::index_corpus(
            &self.index,
            &self.fields,
            &self.path,
            roots,
            options,
            observer,
        )?;
        self.finish(report)
    }

    /// Brings the index up to date with every source it was built from ([`Library::sources`]),
    /// in one commit, as [`Library::index_corpus`] does with one. A source that is not there
    /// now (an unplugged drive) is reported in [`IndexReport::skipped`] and keeps its
    /// documents.
    ///
    /// # Errors
    /// As [`Library::index_corpus`].
    pub fn update_sources(
        &self,
        options: &IndexOptions,
        observer: &mut dyn FnMut(IndexEvent),
    ) -> Result<IndexReport> {
        let report = index::index_corpus(
            &self.index,
            &self.fields,
            &self.path,
            index::Roots::All,
            options,
            observer,
        )?;
        self.finish(report)
    }

    /// Removes a source and the documents of its files, in one commit.
    ///
    /// # Errors
    /// [`Error::UnknownSource`] if `source` (a path, as given to [`Library::index_corpus`]) is
    /// not one of the index's sources; as [`Library::index_corpus`] otherwise.
    pub fn remove_source(
        &self,
        source: impl AsRef<Path>,
        options: &IndexOptions,
    ) -> Result<IndexReport> {
        let key = crate::corpus::source_key(source.as_ref());
        let report = index::index_corpus(
            &self.index,
            &self.fields,
            &self.path,
            index::Roots::Remove(&key),
            options,
            &mut |_| {},
        )?;
        self.finish(report)
    }

    /// The documents the index holds.
    pub fn num_documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// How many files of the index's sources are new, changed or gone since the last run,
    /// found by comparing sizes and modification times with what the last run recorded (no
    /// file is read). Stops looking after `budget`; [`Staleness::complete`] then says the count
    /// is a lower bound. A source that is missing is not counted: its documents stay.
    ///
    /// # Errors
    /// [`Error::Engine`] if the last commit cannot be read.
    pub fn staleness(&self, budget: std::time::Duration) -> Result<Staleness> {
        index::staleness(&self.index, &self.path, budget)
    }

    /// The folders and files the index was built from, each with the files and documents the
    /// index holds of it, in the order they were added.
    ///
    /// # Errors
    /// [`Error::Engine`] if the last commit cannot be read.
    pub fn sources(&self) -> Result<Vec<Source>> {
        index::sources(&self.index, &self.path)
    }

    /// Adds documents, or replaces the documents with the same [`Document::key`], and commits
    /// them at once; an unchanged document is not rewritten. No corpus folder is needed.
    ///
    /// A document whose path is a file of the corpus the index was built from is replaced by
    /// that file's content again when the file is next read.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to the index, [`Error::Engine`] if
    /// writing fails (nothing is committed then).
    ///
    /// # Example
    /// ```
    /// use integra::{Document, Library, SearchRequest};
    ///
    /// # fn main() -> integra::Result<()> {
    /// let dir = tempfile::tempdir().unwrap();
    /// let library = Library::create(dir.path())?;
    /// let document = Document {
    ///     id: "bericht-1".into(),
    ///     path: "berichte".into(),
    ///     metadata: Default::default(),
    ///     text: "Die Kommunen tragen die Integration.".into(),
    ///     pages: Vec::new(),
    /// };
    /// assert_eq!(library.add_documents(&[document])?.added, 1);
    /// assert_eq!(library.search(&SearchRequest::new("Kommunen"))?.total, 1);
    /// assert_eq!(library.delete_documents(&["berichte#bericht-1"])?.removed, 1);
    /// assert_eq!(library.search(&SearchRequest::new("Kommunen"))?.total, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_documents(&self, documents: &[Document]) -> Result<IndexReport> {
        let report = index::add_documents(&self.index, &self.fields, &self.path, documents)?;
        self.finish(report)
    }

    /// Deletes the documents with the given keys ([`Document::key`]: the path of a text file,
    /// `path#id` for a JSON line) and commits at once; keys the index does not hold are passed
    /// over. [`IndexReport::removed`] counts the documents deleted.
    ///
    /// A document deleted from a file that is still in the corpus comes back when the corpus
    /// is next indexed: the index follows the corpus.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process writes to the index, [`Error::Engine`] if
    /// writing fails (nothing is committed then).
    pub fn delete_documents(&self, keys: &[&str]) -> Result<IndexReport> {
        let report = index::delete_documents(&self.index, &self.fields, &self.path, keys)?;
        self.finish(report)
    }

    /// Makes a write visible to this library's searches and counts the documents.
    fn finish(&self, mut report: IndexReport) -> Result<IndexReport> {
        self.reader
            .reload()
            .map_err(|e| Error::engine(&self.path, e))?;
        report.total = self.reader.searcher().num_docs();
        Ok(report)
    }

    /// The document with the key `key` ([`Document::key`]: its file's path as a hit's `path`
    /// gives it, or `path#id` for a line of a JSON Lines file), as a hit without a score, its
    /// passage the beginning of its text; `None` if the index holds none.
    ///
    /// # Errors
    /// [`Error::Damaged`] or [`Error::Engine`] if the index cannot be read.
    pub fn document(&self, key: &str) -> Result<Option<Hit>> {
        let searcher = self.reader.searcher();
        let snippet_chars = SearchRequest::default().snippet_chars;
        self.unless_damaged(|| search::document_by_key(&searcher, &self.fields, key, snippet_chars))
    }

    /// Runs a read of the index; a panic inside tantivy (bytes of a file overwritten where no
    /// check looks: a term dictionary that does not decode) is the index's damage, not a crash.
    fn unless_damaged<T>(&self, read: impl FnOnce() -> tantivy::Result<T>) -> Result<T> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
            // A file tantivy opens only now, found damaged.
            Ok(Err(
                err @ (tantivy::TantivyError::DataCorruption(_)
                | tantivy::TantivyError::OpenReadError(_)),
            )) => Err(index::damaged(&self.path, &err)),
            Ok(result) => result.map_err(|e| Error::engine(&self.path, e)),
            Err(_) => Err(Error::Damaged {
                path: self.path.clone(),
                reason: "a file of it cannot be decoded".into(),
            }),
        }
    }

    /// Every document of the index with the analyzer's terms, ordered by key: one record a
    /// document, then one a page of a document with pages (`integra export --analyzed`), so
    /// that another engine's whitespace tokenizer can serve integra's analysis
    /// (docs/SCALING.md). Records are made one document at a time, as the iterator is read.
    ///
    /// # Errors
    /// [`Error::Damaged`] if the index cannot be read, up front or for one document.
    pub fn export_analyzed(&self) -> Result<impl Iterator<Item = Result<AnalyzedRecord>> + '_> {
        let searcher = self.reader.searcher();
        let addresses =
            self.unless_damaged(|| index::export::documents(&searcher, &self.fields))?;
        Ok(addresses.into_iter().flat_map(move |address| {
            match self.unless_damaged(|| index::export::records(&searcher, &self.fields, address)) {
                Ok(records) => records.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(err) => vec![Err(err)],
            }
        }))
    }

    /// Figures about the index: documents, size on disk, facet values.
    ///
    /// # Errors
    /// [`Error::Io`] if the index folder cannot be listed.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let mut size_bytes = 0;
        let entries = std::fs::read_dir(&self.path).map_err(|e| Error::io(&self.path, e))?;
        for entry in entries.flatten() {
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                size_bytes += meta.len();
            }
        }
        let facets = search::count_all(&searcher).map_err(|e| Error::engine(&self.path, e))?;
        Ok(Stats {
            path: self.path.display().to_string(),
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            size_bytes,
            facets,
            built_with: CommitInfo::load(&self.index, &self.path)?.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_reading_the_index_is_its_damage() {
        let (_dir, library) = library_of_one();
        let err = library
            .unless_damaged(|| -> tantivy::Result<()> { panic!("fst: bad node") })
            .unwrap_err();
        assert!(matches!(err, Error::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("is damaged"), "{err}");
    }

    fn library_of_one() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::create(dir.path()).unwrap();
        let document = Document {
            id: "spenden".into(),
            path: "spenden.txt".into(),
            metadata: Default::default(),
            text: "Privatpersonen und -organisationen spenden für Geflüchtete.".into(),
            pages: Vec::new(),
        };
        library.add_documents(&[document]).unwrap();
        (dir, library)
    }

    #[test]
    fn a_huge_limit_or_offset_does_not_overflow() {
        let (_dir, library) = library_of_one();
        let request = |limit, offset| SearchRequest {
            limit,
            offset,
            ..SearchRequest::new("Privatpersonen und -organisationen")
        };
        let hits = |limit, offset| library.search(&request(limit, offset)).unwrap().hits.len();
        assert_eq!(hits(usize::MAX, usize::MAX), 0);
        assert_eq!(hits(usize::MAX, 0), 1);
        assert_eq!(hits(1 << 40, 1), 0);
        assert_eq!(hits(1, usize::MAX - 1), 0);
        let ranked = library.ranked_ids(&request(usize::MAX, 0)).unwrap();
        assert_eq!(ranked.len(), 1);
    }
}
