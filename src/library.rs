//! [`Library`]: an index on disk, opened for indexing and searching.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::analysis;
use crate::error::{Error, Result};
use crate::index::{self, CommitInfo, Fields, IndexEvent, IndexOptions, IndexReport};
use crate::search::{
    FacetCounts, FacetFilters, Hit, ParsedQuery, SearchRequest, SearchResults, build_query,
    count_facets, facet_collector, make_snippet,
};

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
}

/// How a library analyzes text: integra's German analyzer, unless an evaluation builds an index
/// with a variant of it to measure what one step contributes (see [`crate::eval`]).
#[derive(Clone)]
pub(crate) struct Analysis {
    /// The chain registered for the text fields.
    pub analyzer: TextAnalyzer,
    /// Whether a compound in a query also matches its parts together. Off for an analyzer that
    /// does not decompound: its index has no parts to match.
    pub compound_parts: bool,
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis {
            analyzer: analysis::index_analyzer(),
            compound_parts: true,
        }
    }
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
        let path = path.as_ref();
        if !meta_exists(path) {
            return Err(Error::IndexNotFound {
                path: path.to_path_buf(),
            });
        }
        let index = Index::open_in_dir(path).map_err(|e| Error::engine(path, e))?;
        let found = Self::commit_info(&index, path)?;
        let expected = CommitInfo::current();
        let fields = Fields::from_schema(&index.schema());
        match fields {
            Some(fields) if found == expected => {
                Self::with_index(path, index, fields, Analysis::default())
            }
            _ => Err(Error::IncompatibleIndex {
                path: path.to_path_buf(),
                found: found.describe(),
                expected: expected.describe(),
            }),
        }
    }

    /// Creates an empty index at `path`, replacing the index files there if any (other files
    /// in the folder are left alone).
    ///
    /// # Errors
    /// [`Error::Io`] if the folder cannot be made, [`Error::Engine`] if the index cannot.
    pub fn create(path: impl AsRef<Path>) -> Result<Library> {
        Self::create_with(path.as_ref(), Analysis::default())
    }

    /// Creates an empty index at `path` whose text is analyzed by `analysis`: for evaluations
    /// that compare analyzers. The index records no trace of the variant; whoever builds it
    /// must open it with [`Library::open_with`] and the same `analysis`.
    pub(crate) fn create_with(path: &Path, analysis: Analysis) -> Result<Library> {
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        if meta_exists(path) {
            let meta = path.join("meta.json");
            std::fs::remove_file(&meta).map_err(|e| Error::io(meta, e))?;
        }
        let (schema, fields) = Fields::build();
        let index = Index::create_in_dir(path, schema).map_err(|e| Error::engine(path, e))?;
        Self::with_index(path, index, fields, analysis)
    }

    /// Opens the index at `path`, built by [`Library::create_with`] with `analysis`.
    pub(crate) fn open_with(path: &Path, analysis: Analysis) -> Result<Library> {
        let library = Self::open(path)?;
        Self::with_index(path, library.index, library.fields, analysis)
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

    fn commit_info(index: &Index, path: &Path) -> Result<CommitInfo> {
        let metas = index.load_metas().map_err(|e| Error::engine(path, e))?;
        Ok(match metas.payload {
            Some(payload) => serde_json::from_str(&payload).unwrap_or_default(),
            // Never committed: nothing in it was written by another version.
            None if metas.segments.is_empty() => CommitInfo::current(),
            None => CommitInfo::default(),
        })
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
            .map_err(|e| Error::engine(path, e))?;
        Ok(Library {
            path: path.to_path_buf(),
            index,
            reader,
            fields,
            analysis,
        })
    }

    /// The index directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the corpus at `corpus` (a folder or a single file) into the index: new and changed
    /// files are (re)indexed, documents of files that are gone are removed, and all of it is
    /// committed at once. `observer` hears about progress and skipped input.
    ///
    /// A file or line that cannot be read is reported in [`IndexReport::skipped`] and skipped;
    /// what the index held from it before stays.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] if another process is indexing, [`Error::Io`] if `corpus` does
    /// not exist, [`Error::Engine`] if writing fails (nothing of the run is committed then).
    pub fn index_corpus(
        &self,
        corpus: impl AsRef<Path>,
        options: &IndexOptions,
        observer: &mut dyn FnMut(IndexEvent),
    ) -> Result<IndexReport> {
        let mut report = index::index_corpus(
            &self.index,
            &self.fields,
            &self.path,
            corpus.as_ref(),
            options,
            observer,
        )?;
        self.reader
            .reload()
            .map_err(|e| Error::engine(&self.path, e))?;
        report.total = self.reader.searcher().num_docs();
        Ok(report)
    }

    /// Runs a search.
    ///
    /// # Errors
    /// [`Error::InvalidQuery`] if the query has no searchable word or is malformed.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let parsed = self.parse(&request.query)?;
        let searcher = self.reader.searcher();
        let query = self.query(&searcher, &parsed, request);
        let engine = |e| Error::engine(&self.path, e);
        let top = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let (top, total, facets) = searcher
            .search(&*query, &(top, Count, facet_collector()))
            .map_err(engine)?;
        let terms = parsed.highlight_terms();
        let mut analyzer = analysis::index_analyzer();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str());
            let texts = |field| {
                doc.get_all(field)
                    .filter_map(|v| v.as_str())
                    .map(String::from)
                    .collect::<Vec<_>>()
            };
            let body = text(self.fields.body).unwrap_or_default();
            hits.push(Hit {
                id: text(self.fields.id).unwrap_or_default().to_string(),
                title: text(self.fields.title).map(String::from),
                authors: texts(self.fields.authors),
                institutions: texts(self.fields.institutions),
                year: doc
                    .get_first(self.fields.year)
                    .and_then(|v| v.as_u64())
                    .and_then(|y| u16::try_from(y).ok()),
                doc_type: text(self.fields.doc_type).map(String::from),
                path: text(self.fields.source).unwrap_or_default().to_string(),
                score,
                snippet: make_snippet(&mut analyzer, body, &terms, request.snippet_chars),
            });
        }
        Ok(SearchResults {
            query: request.query.clone(),
            total: total as u64,
            hits,
            facets: count_facets(&facets, request.facet_limit),
        })
    }

    /// The ids and scores of the best hits, best first, without snippets or facet counts: what
    /// a retrieval evaluation needs of thousands of searches, at a fraction of the cost.
    pub(crate) fn ranked_ids(&self, request: &SearchRequest) -> Result<Vec<(String, f32)>> {
        let parsed = self.parse(&request.query)?;
        let searcher = self.reader.searcher();
        let query = self.query(&searcher, &parsed, request);
        let engine = |e| Error::engine(&self.path, e);
        let top = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let top = searcher.search(&*query, &top).map_err(engine)?;
        let mut ranked = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            let id = doc.get_first(self.fields.id).and_then(|v| v.as_str());
            ranked.push((id.unwrap_or_default().to_string(), score));
        }
        Ok(ranked)
    }

    fn parse(&self, query: &str) -> Result<ParsedQuery> {
        let mut parsed = ParsedQuery::parse(query)?;
        if !self.analysis.compound_parts {
            for clause in &mut parsed.clauses {
                for term in &mut clause.terms {
                    term.parts.clear();
                }
            }
        }
        Ok(parsed)
    }

    fn query(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Box<dyn tantivy::query::Query> {
        let query = build_query(parsed, &self.fields, request.mode);
        FacetFilters::new(searcher, &self.fields, request).apply(query)
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
        let facets = searcher
            .search(&tantivy::query::AllQuery, &facet_collector())
            .map_err(|e| Error::engine(&self.path, e))?;
        Ok(Stats {
            path: self.path.display().to_string(),
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            size_bytes,
            facets: count_facets(&facets, 0),
            built_with: Self::commit_info(&self.index, &self.path)?.describe(),
        })
    }
}
