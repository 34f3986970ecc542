//! Which analyzer an index is built and searched with: integra's own, or a baseline that an
//! evaluation measures it against.

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

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
    /// still split at their hyphens ([`Step::SplitHyphens`](super::Step::SplitHyphens)),
    /// which needs no lexicon.
    NoDecompound,
    /// tantivy's default tokenizer (words of letters and digits, lowercased, long ones
    /// dropped) at index and at query time, with integra's ranking: the baseline for all of
    /// the German analysis, and the one indexing speed is measured against.
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
                analyzer: super::analyzer_without_decompounding(),
                // The parts of hyphenated compounds.
                compound_parts: true,
                query_analyzer: Some(super::query_analyzer_without_decompounding()),
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

/// How a library analyzes text: integra's German analyzer, unless an evaluation builds an index
/// with a variant of it to measure what one step contributes (see [`AnalyzerChoice`]).
#[derive(Clone)]
pub(crate) struct Analysis {
    /// The chain registered for the text fields.
    pub analyzer: TextAnalyzer,
    /// Whether a compound in a query also matches its parts together. Off for an analyzer that
    /// does not decompound: its index has no parts to match.
    pub compound_parts: bool,
    /// The chain that analyzes the words of a query, if not integra's own query analysis: an
    /// index built by another tokenizer altogether must be searched with its terms.
    pub query_analyzer: Option<TextAnalyzer>,
    /// The name recorded in the index for any analyzer but integra's own, so that nothing opens
    /// the index with another one.
    pub variant: Option<&'static str>,
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis {
            analyzer: super::index_analyzer(),
            compound_parts: true,
            query_analyzer: None,
            variant: None,
        }
    }
}
