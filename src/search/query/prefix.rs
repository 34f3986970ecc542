//! `Integr*`: the words of the index that begin with what was typed, looked up in the term
//! dictionaries of the fields searched, the most frequent first and no more than
//! [`MAX_EXPANSIONS`] of them.
//!
//! Tantivy's own query parser turns `prefix*` into a phrase-prefix query, which expands the
//! prefix in each segment to the first fifty terms in alphabetical order. Here the expansion is
//! one list for all segments, the words most documents use, so that `Ge*` stands for the same
//! words wherever a document sits and the common words are never the ones cut off.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::schema::Field;

use super::parse::{ParsedQuery, Prefix};
use crate::index::Fields;

/// The most words of the index a `prefix*` stands for: each is a term searched in every field
/// of the clause. Beyond it, the rarest words are left out.
pub(crate) const MAX_EXPANSIONS: usize = 200;

/// Looks up the words of the index each `prefix*` of `parsed` stands for, in the fields its
/// clause searches.
///
/// # Errors
/// What reading a term dictionary fails with.
pub(crate) fn expand_prefixes(
    parsed: &mut ParsedQuery,
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<()> {
    parsed.expand_prefixes(&mut |prefix, scope| expand(searcher, &scope.searched(fields), prefix))
}

/// The words of `fields` that `prefix` stands for: those of the index that begin with its text,
/// by the number of documents that use them (the most first, then alphabetically), at most
/// [`MAX_EXPANSIONS`], and the analyzed forms of the typed word itself, where the index holds
/// them.
///
/// # Errors
/// What reading a term dictionary fails with.
pub(crate) fn expand(
    searcher: &Searcher,
    fields: &[Field],
    prefix: &Prefix,
) -> tantivy::Result<Vec<String>> {
    let beginning = prefix.text.as_bytes();
    let mut doc_freqs: HashMap<String, u64> = HashMap::new();
    let mut wholes: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let inverted = segment.inverted_index(field)?;
            let dictionary = inverted.terms();
            let mut stream = dictionary.range().ge(beginning).into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(beginning) {
                    break;
                }
                if let Ok(word) = std::str::from_utf8(key) {
                    let doc_freq = u64::from(stream.value().doc_freq);
                    *doc_freqs.entry(word.to_string()).or_default() += doc_freq;
                }
            }
            for whole in &prefix.whole {
                if !wholes.contains(whole) && dictionary.get(whole.as_bytes())?.is_some() {
                    wholes.push(whole.clone());
                }
            }
        }
    }
    let mut words: Vec<(String, u64)> = doc_freqs.into_iter().collect();
    words.sort_by(|(a, a_freq), (b, b_freq)| b_freq.cmp(a_freq).then_with(|| a.cmp(b)));
    let mut expansions = wholes;
    for (word, _) in words {
        if expansions.len() >= MAX_EXPANSIONS {
            break;
        }
        if !expansions.contains(&word) {
            expansions.push(word);
        }
    }
    Ok(expansions)
}
