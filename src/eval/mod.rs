//! Retrieval evaluation: does a search find what it should, and how well does it rank it?
//!
//! Two kinds of evaluation, each a library call that the `integra eval` command prints:
//!
//! - [`seed`]: a table of queries against a small corpus, each line naming the documents that
//!   must match and the ones of which the first hit must be. It passes or fails line by line,
//!   and says what was missing.
//! - [`retrieval`]: a test collection in the TREC shape (documents, questions, relevance
//!   judgements), such as the German part of XQuAD, optionally mixed with distractor documents;
//!   it reports MRR@k, Recall@k and nDCG@k ([`metrics`]).
//!
//! Both run through [`Library`](crate::Library), the same path as `integra search`, so the
//! figures measure what users get.

pub mod metrics;
pub mod retrieval;
pub mod seed;

pub use metrics::{Metrics, Qrels, QueryScores, score_ranking};
pub use retrieval::{
    EvalQuery, QueryOutcome, RetrievalOptions, RetrievalReport, evaluate_retrieval, read_queries,
};
pub use seed::{SeedOutcome, SeedQuery, read_seed_table, run_seed, seed_doc_id};

use serde::{Deserialize, Serialize};

use crate::library::Analysis;

/// Which analyzer an evaluation index is built and searched with, to measure what a step of
/// the German analyzer contributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnalyzerChoice {
    /// integra's German analyzer, as `integra index` uses it.
    #[default]
    Full,
    /// The same chain without decompounding, at index and at query time: the baseline that
    /// shows what splitting compounds is worth.
    NoDecompound,
}

impl AnalyzerChoice {
    /// The analysis a library built for this choice uses.
    pub(crate) fn analysis(self) -> Analysis {
        match self {
            AnalyzerChoice::Full => Analysis::default(),
            AnalyzerChoice::NoDecompound => Analysis {
                analyzer: crate::analysis::analyzer_without_decompounding(),
                compound_parts: false,
                variant: Some(self.name()),
            },
        }
    }

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            AnalyzerChoice::Full => "full",
            AnalyzerChoice::NoDecompound => "no-decompound",
        }
    }
}
