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
