//! Searching: the user's query becomes a tantivy query, hits get snippets, and the matches are
//! counted by author, institution and year.

mod bm25;
mod facets;
mod query;
mod request;
mod results;
mod snippet;
mod stopwords;

pub use request::{MatchMode, SearchRequest, YearRange};
pub use results::{FacetCounts, FacetValue, Hit, SearchResults, Snippet};

pub(crate) use facets::{FacetFilters, count_facets, facet_collector};
pub(crate) use query::{ParsedQuery, build_query};
pub(crate) use snippet::make_snippet;
