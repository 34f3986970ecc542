//! Searching: the user's query becomes a tantivy query ([`query`]), filtered by facet values
//! ([`facets`]); running it gives a page of hits with snippets ([`hits`], [`snippet`]) and the
//! matches counted by author, institution and year.

mod bm25;
mod facets;
mod feedback;
mod hits;
mod query;
mod request;
mod results;
mod scored;
mod snippet;
mod stopwords;
mod suggest;
mod thesaurus;

pub use request::{Feedback, MatchMode, RelatedWords, SearchRequest, YearRange};
pub use results::{
    Explanation, FacetCounts, FacetValue, FormMatch, Hit, MatchKind, SearchOutput, SearchResults,
    Snippet, Suggestion, WordMatch,
};

pub(crate) use facets::{FacetFilters, FacetNames, count_all};
pub(crate) use feedback::{FeedbackTerm, feedback_terms, with_feedback};
pub(crate) use hits::{PerHit, document_by_key, ranked_ids, search_results};
pub(crate) use query::{
    Asks, ParsedQuery, build_query, expand_prefixes, expand_related, explain, explain_feedback,
};
pub(crate) use scored::ScoresCollector;
pub(crate) use suggest::{suggest, with_suggestion};
pub(crate) use thesaurus::{Thesaurus, ThesaurusOnce};
