//! Queries analyzed as the texts are: each word's term, and the parts of a compound.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::GermanAnalyzer;
use super::chain::QUERY_TIME;

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
    analyze_query_with(
        &mut TextAnalyzer::from(GermanAnalyzer::unshared(QUERY_TIME)),
        text,
    )
}

/// Analyzes query text with `analyzer` into the terms to look up, in order: the tokens at one
/// position make one term, the first its whole and the others its parts. For an evaluation
/// that searches an index built by another analyzer (see [`AnalyzerChoice`](super::AnalyzerChoice)).
pub(crate) fn analyze_query_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryTerm> {
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
