//! The user's query: split into words, phrases, operators and parentheses and analyzed
//! ([`parse`]), joined by its operators ([`tree`]), each `prefix*` looked up in the index
//! ([`prefix`]), then built into a tantivy query over title, body, authors and institutions
//! ([`build`]).
//!
//! Syntax:
//! - `word`, `"a phrase"`; all must match, or any of them with [`MatchMode::Any`];
//! - `-word` and `-"a phrase"` to exclude, `+word` to require a word also with `--any`;
//! - `title:`, `text:`, `author:` or `institution:` before a word or phrase to search only
//!   that field;
//! - `a OR b`, `a AND b`, `NOT a` (upper case, as library catalogues write them; "und",
//!   "oder" and "nicht" are words) and parentheses: `AND` binds tighter than `OR`, `OR`
//!   tighter than words next to each other, and `NOT a` is `-a`; `-( … )` excludes a group;
//! - `Integr*` for every word of the index that begins with "integr" (umlauts folded, not
//!   stemmed), at least two letters, the [`MAX_EXPANSIONS`](prefix::MAX_EXPANSIONS) most
//!   frequent words.
//!
//! Anything else is text: a colon inside a word ("Migrant:innen"), a star inside one
//! ("Migrant*innen"), parentheses inside one ("Migrant(inn)en"), a hyphen after "und" or
//! "oder" (the German back ellipsis, "Privatpersonen und -organisationen"). A query has at most
//! [`MAX_QUERY_CHARS`](parse::MAX_QUERY_CHARS) characters and
//! [`MAX_QUERY_WORDS`](parse::MAX_QUERY_WORDS) words. A query without operators, parentheses
//! and stars is built exactly as before they existed.
//!
//! [`MatchMode::Any`]: crate::search::MatchMode::Any

mod asks;
mod build;
mod derived;
mod explain;
mod lex;
mod parse;
mod prefix;
mod related;
mod tree;

pub(crate) use asks::Asks;
pub(crate) use build::build_query;
pub(crate) use explain::{explain, explain_feedback};
pub(crate) use parse::{ParsedQuery, Scope};
pub(crate) use prefix::expand_prefixes;
pub(crate) use related::expand_related;

/// An index of `lines`, a JSON Lines corpus, in a temporary folder: for the tests of the
/// query's parts.
#[cfg(test)]
fn library_of_lines(lines: &str) -> (tempfile::TempDir, crate::Library) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("docs.jsonl");
    std::fs::write(&corpus, lines).unwrap();
    let library = crate::Library::create(dir.path().join("index")).unwrap();
    library
        .index_corpus(&corpus, &Default::default(), &mut |_| {})
        .unwrap();
    (dir, library)
}
