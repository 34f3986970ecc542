//! The German analyzer: text in, search terms out.
//!
//! The same chain of steps runs at index time (over titles and bodies) and at query time, so a
//! word typed by the user meets the words of the texts. Each step is a tantivy token filter in
//! its own file:
//!
//! 1. [`tokenize`]: Unicode word segmentation, keeping hyphenated compounds ("EU-Asylreform")
//!    and gender forms ("Migrant*innen") together and marking truncated words ("Sprach-").
//! 2. [`gender`]: gender-inclusive and feminine forms fold onto the base form.
//! 3. [`normalize`]: lowercase; fold umlauts, their transliterations and ß.
//! 4. [`decompound`]: compounds are also indexed as their parts, at the same position.
//! 5. [`ellipsis`]: "Sprach- und Integrationskurse" also indexes "sprachkurse".
//! 6. [`stem`]: Snowball German.
//!
//! Offsets always point into the original text, so snippets highlight what the reader sees; a
//! part points at its own letters inside the compound.

mod decompound;
mod ellipsis;
mod gender;
mod lexicon;
mod normalize;
mod stem;
mod tokenize;

pub use decompound::Decompounder;
pub use ellipsis::EllipsisCompleter;
pub use gender::GenderFolder;
pub use normalize::GermanNormalizer;
pub use stem::GermanStemmer;
pub use tokenize::WordTokenizer;

use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, TokenStream, TokenizerManager};

/// The name under which the German analyzer is registered with the index.
pub const ANALYZER_NAME: &str = "integra_de";

/// Bumped whenever the analyzer produces different terms for the same text: an index built by
/// another version must be rebuilt, never searched with a mix of two analyzers.
pub const ANALYZER_VERSION: u32 = 2;

/// Tokens longer than this (in bytes) are dropped: they are not words (URLs, hashes), and tantivy
/// limits the length of a term.
const MAX_TOKEN_BYTES: usize = 100;

/// The analyzer used at index time.
pub fn index_analyzer() -> TextAnalyzer {
    analyzer(EllipsisCompleter::default())
}

/// The chain with the given ellipsis step; the only difference between index and query time.
fn analyzer(ellipsis: EllipsisCompleter) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(GenderFolder)
        .filter(GermanNormalizer)
        .filter(Decompounder)
        .filter(ellipsis)
        .filter(GermanStemmer::default())
        .build()
}

/// Registers the German analyzer with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(ANALYZER_NAME, index_analyzer());
}

/// One word of a query, analyzed: the term it must match, and for a compound the parts which,
/// all together, match as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The analyzed word (the whole compound, if it is one).
    pub term: String,
    /// The analyzed parts of a compound; empty for a simple word.
    pub parts: Vec<String>,
    /// Byte offset of the word's first character in the query text.
    pub offset_from: usize,
    /// Byte offset just past the word's last character in the query text.
    pub offset_to: usize,
}

/// Analyzes query text into the terms to look up, in order.
///
/// The query runs through the index-time chain, so its terms and parts are exactly the tokens
/// the index holds for the same words. The one difference: truncated words ("Sprach- und
/// Integrationskurse") are not completed, since a completed word is an alternative to the
/// truncated one, not a part that must match as well.
pub fn analyze_query(text: &str) -> Vec<QueryTerm> {
    let mut analyzer = analyzer(EllipsisCompleter::mark_only());
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut position = None;
    while stream.advance() {
        let token = stream.token();
        match terms.last_mut() {
            // The decompounder puts the parts of a word right after it, at its position.
            Some(last) if position == Some(token.position) => {
                if token.text != last.term && !last.parts.contains(&token.text) {
                    last.parts.push(token.text.clone());
                }
            }
            _ => {
                position = Some(token.position);
                terms.push(QueryTerm {
                    term: token.text.clone(),
                    parts: Vec::new(),
                    offset_from: token.offset_from,
                    offset_to: token.offset_to,
                });
            }
        }
    }
    terms
}
