//! The German analyzer: text in, search terms out.
//!
//! The same chain of steps runs at index time (over titles and bodies) and at query time, so a
//! word typed by the user meets the words of the texts. Each step is a tantivy token filter in
//! its own file:
//!
//! 1. [`tokenize`]: Unicode word segmentation.
//! 2. [`normalize`]: lowercase and fold umlauts and ß.
//! 3. [`stem`]: Snowball German.
//!
//! Offsets always point into the original text, so snippets highlight what the reader sees.

mod normalize;
mod stem;
mod tokenize;

pub use normalize::GermanNormalizer;
pub use stem::GermanStemmer;
pub use tokenize::WordTokenizer;

use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

/// The name under which the German analyzer is registered with the index.
pub const ANALYZER_NAME: &str = "integra_de";

/// Bumped whenever the analyzer produces different terms for the same text: an index built by
/// another version must be rebuilt, never searched with a mix of two analyzers.
pub const ANALYZER_VERSION: u32 = 1;

/// The analyzer used at index time.
pub fn index_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(GermanNormalizer)
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
pub fn analyze_query(text: &str) -> Vec<QueryTerm> {
    let mut analyzer = index_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<QueryTerm> = Vec::new();
    while stream.advance() {
        let token = stream.token();
        terms.push(QueryTerm {
            term: token.text.clone(),
            parts: Vec::new(),
            offset_from: token.offset_from,
            offset_to: token.offset_to,
        });
    }
    terms
}
