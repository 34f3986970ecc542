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

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

use crate::library::Analysis;

/// The token length limit of tantivy's "default" tokenizer (`TokenizerManager::default`).
const TANTIVY_DEFAULT_MAX_BYTES: usize = 40;

/// Which analyzer an evaluation index is built and searched with, to measure what a step of
/// the German analyzer contributes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnalyzerChoice {
    /// integra's German analyzer, as `integra index` uses it.
    #[default]
    Full,
    /// The same chain without decompounding, at index and at query time: the baseline that
    /// shows what splitting compounds with the lexicon is worth. Hyphenated compounds are
    /// still split at their hyphens ([`HyphenSplitter`](crate::analysis::HyphenSplitter)),
    /// which needs no lexicon.
    NoDecompound,
    /// tantivy's default tokenizer (words of letters and digits, lowercased, long ones
    /// dropped) at index and at query time, with integra's ranking: the baseline for all of
    /// the German analysis, and the one issue 3 measures indexing speed against.
    TantivyDefault,
    /// tantivy's default tokenizer followed by its Snowball German stemmer: what an index gets
    /// from tantivy out of the box for German, with integra's ranking.
    TantivyGerman,
}

impl AnalyzerChoice {
    /// The analysis a library built for this choice uses.
    pub(crate) fn analysis(self) -> Analysis {
        match self {
            AnalyzerChoice::Full => Analysis::default(),
            AnalyzerChoice::NoDecompound => Analysis {
                analyzer: crate::analysis::analyzer_without_decompounding(),
                // The parts of hyphenated compounds.
                compound_parts: true,
                query_analyzer: Some(crate::analysis::query_analyzer_without_decompounding()),
                variant: Some(self.variant()),
            },
            AnalyzerChoice::TantivyDefault | AnalyzerChoice::TantivyGerman => {
                let analyzer = self.tantivy_analyzer();
                Analysis {
                    analyzer: analyzer.clone(),
                    compound_parts: false,
                    query_analyzer: Some(analyzer),
                    variant: Some(self.variant()),
                }
            }
        }
    }

    /// The chain of a tantivy baseline: tantivy's "default" tokenizer, and for
    /// [`AnalyzerChoice::TantivyGerman`] its German stemmer after it.
    fn tantivy_analyzer(self) -> TextAnalyzer {
        let default = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(TANTIVY_DEFAULT_MAX_BYTES))
            .filter(LowerCaser);
        match self {
            AnalyzerChoice::TantivyGerman => default.filter(Stemmer::new(Language::German)).build(),
            _ => default.build(),
        }
    }

    /// The name an index built for this choice records: its [`name`](Self::name), with a
    /// revision once the chain behind a name has changed, so that an evaluation index built by
    /// the earlier chain is rebuilt rather than searched. Revision 2 of "no-decompound" splits
    /// hyphenated compounds at their hyphens.
    fn variant(self) -> &'static str {
        match self {
            AnalyzerChoice::NoDecompound => "no-decompound r2",
            other => other.name(),
        }
    }

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            AnalyzerChoice::Full => "full",
            AnalyzerChoice::NoDecompound => "no-decompound",
            AnalyzerChoice::TantivyDefault => "tantivy-default",
            AnalyzerChoice::TantivyGerman => "tantivy-german",
        }
    }
}
