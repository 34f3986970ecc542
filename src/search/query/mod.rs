//! The user's query: parsed into words, phrases and exclusions ([`parse`]), then built into a
//! tantivy query over title, body, authors and institutions ([`build`]).
//!
//! Syntax: `word`, `"a phrase"`, `-word` and `-"a phrase"` to exclude, `+word` to require a word
//! also with `--any`, and `title:`, `text:`, `author:` or `institution:` before a word or
//! phrase to search only that field. Anything else, colons included ("Migrant:innen"), is text.

mod build;
mod parse;

pub(crate) use build::build_query;
pub(crate) use parse::ParsedQuery;
