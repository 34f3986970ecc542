//! integra: full-text search for the German literature on the integration of refugees and
//! migrants.
//!
//! Data flows one way: a **corpus** of files is read ([`corpus`]), its text is run through the
//! German **analysis** ([`analysis`]: word segmentation, umlaut folding, gender forms,
//! decompounding, stemming), written into a tantivy **index**, and **searched** with BM25
//! ranking, highlighted snippets and facet counts. [`Library`] is the one entry point.
//!
//! ```
//! use integra::{IndexOptions, Library, SearchRequest};
//!
//! # fn main() -> integra::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(
//!     dir.path().join("bericht.txt"),
//!     "Integration vor Ort\n\nDie Kommunen tragen die Integration der Geflüchteten.",
//! )
//! .unwrap();
//! let library = Library::create(dir.path().join("index"))?;
//! let report = library.index_corpus(dir.path(), &IndexOptions::default(), &mut |_| {})?;
//! assert_eq!(report.indexed, 1);
//!
//! let results = library.search(&SearchRequest::new("Kommune Geflüchtete").limit(5))?;
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.title.as_deref(), Some("Integration vor Ort"));
//! println!("{}", hit.snippet.render("**", "**"));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod corpus;
mod error;
pub mod eval;
pub mod export;
mod hash;
mod index;
mod library;
mod search;
#[cfg(feature = "serve")]
pub mod serve;

pub use analysis::AnalyzerChoice;
pub use corpus::{Document, Metadata, Page};
pub use error::{Error, Result};
pub use index::{
    AnalyzedRecord, CheckReport, DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_SIZE, Damage, Extraction,
    IndexEvent, IndexOptions, IndexReport, RecordKind, SCHEMA_VERSION, SkipKind, Skipped, Source,
    Staleness, WorkerCommand,
};
pub use library::{Library, Stats};
pub use search::{
    Explanation, FacetCounts, FacetValue, Feedback, FormMatch, Hit, MatchKind, MatchMode,
    RelatedWords, SearchOutput, SearchRequest, SearchResults, Snippet, Suggestion, WordMatch,
    YearRange,
};

/// The README's embedding example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
