//! Searching: the user's query becomes a tantivy query ([`query`]), filtered by facet values
//! ([`facets`]); running it gives a page of hits with snippets ([`hits`], [`snippet`]) and the
//! matches counted by author, institution and year.

mod bm25;
mod facets;
mod hits;
mod query;
mod request;
mod results;
mod snippet;
mod stopwords;

pub use request::{MatchMode, SearchRequest, YearRange};
pub use results::{FacetCounts, FacetValue, Hit, SearchOutput, SearchResults, Snippet};

pub(crate) use facets::{FacetFilters, FacetNames, count_all};
pub(crate) use hits::{document_by_key, ranked_ids, search_results};
pub(crate) use query::{ParsedQuery, build_query, expand_prefixes};
