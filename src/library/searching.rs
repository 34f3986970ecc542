//! [`Library::search`] and what it is made of: parsing a query against the index, building
//! the tantivy query with its related words and filters, the correction of misspelt words, and
//! the page of hits with passages and facet counts.

use tantivy::Searcher;

use super::Library;
use crate::analysis;
use crate::error::{Error, Result};
use crate::search::{
    self, Asks, FacetFilters, Feedback, FeedbackTerm, MatchMode, ParsedQuery, RelatedWords,
    ScoresCollector, SearchRequest, SearchResults, Thesaurus, build_query, expand_prefixes,
    expand_related,
};

impl Library {
    /// Runs a search.
    ///
    /// # Errors
    /// [`Error::InvalidQuery`] if the query has no searchable word, is malformed or is over the
    /// limits of length and words (the error's `query` is then its beginning and `…`).
    ///
    /// With [`SearchRequest::correct`] (the default), a query word that the index holds rarely
    /// or not at all gets a correction the index supports in [`SearchResults::suggestion`],
    /// which is searched in its place if the query as typed has no hits.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        // A baseline analyzer's index holds other terms than the ones corrections are made of.
        if !request.correct || request.exact || self.analysis.variant.is_some() {
            return self.search_as_typed(request);
        }
        let suggest = || {
            let searcher = self.reader.searcher();
            self.unless_damaged(|| search::suggest(&request.query, &searcher, &self.fields))
        };
        search::with_suggestion(request, suggest, |request| self.search_as_typed(request))
    }

    /// Runs a search of the query as typed.
    fn search_as_typed(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.search_finding_matches(request, self.analysis.query_analyzer.is_none())
    }

    /// [`Library::search`] of the query as typed, finding each hit's matches from the index's
    /// positions (`word_positions`, possible for an index of integra's own analyzer) or by
    /// analyzing its text.
    pub(crate) fn search_finding_matches(
        &self,
        request: &SearchRequest,
        word_positions: bool,
    ) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(&searcher, request)?;
        let (query, feedback) = self.query(&searcher, &parsed, request)?;
        let explain = |doc| {
            let explained = search::explain(&parsed, &self.fields, request.mode, &searcher, doc);
            search::explain_feedback(explained, &feedback, &self.fields, &searcher, doc)
        };
        // The index's own chain cuts the snippets, so that a highlight marks what matched;
        // a copy of the analyzer from the pool remembers the words earlier searches analyzed.
        let mut results = self.unless_damaged(|| {
            self.analyzers.with(|analyzer| {
                search::search_results(
                    &searcher,
                    &*query,
                    request,
                    &self.fields,
                    analyzer,
                    search::PerHit {
                        highlight: &parsed.highlight_terms(),
                        word_positions,
                        explain: request.explain.then_some(&explain as &dyn Fn(_) -> _),
                    },
                    &self.facet_names,
                )
            })
        })?;
        results.feedback = feedback.into_iter().map(|t| t.word).collect();
        Ok(results)
    }

    /// The ids and scores of the best hits, best first, without snippets or facet counts: what
    /// a retrieval evaluation needs of thousands of searches, at a fraction of the cost.
    pub(crate) fn ranked_ids(&self, request: &SearchRequest) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(&searcher, request)?;
        let (query, _) = self.query(&searcher, &parsed, request)?;
        self.unless_damaged(|| search::ranked_ids(&searcher, &*query, request, &self.fields))
    }

    /// Parses a query, analyzes its words as the index's text was analyzed, looks up the
    /// words each `prefix*` stands for in `searcher`'s term dictionaries and, unless the
    /// request is [`exact`](SearchRequest::exact), adds each word's related words.
    fn parse(&self, searcher: &Searcher, request: &SearchRequest) -> Result<ParsedQuery> {
        // A copy of the query analyzer from the pool remembers the words it analyzed before:
        // the query's and the derived forms made of them.
        self.query_analyzers.with(|analyzer| {
            let mut analyze = |text: &str| analysis::analyze_query_with(analyzer, text);
            let parsed = ParsedQuery::parse_with(&request.query, &mut analyze)?;
            let mut parsed = if self.analysis.compound_parts {
                parsed
            } else {
                parsed.without_compound_parts()
            };
            expand_prefixes(&mut parsed, searcher, &self.fields)
                .map_err(|e| Error::engine(&self.path, e))?;
            // Related words are made by integra's analyzer: an index built by a baseline for
            // an evaluation has other terms.
            let related = request.related_words();
            let own_analyzer =
                self.analysis.query_analyzer.is_none() && self.analysis.compound_parts;
            if own_analyzer && related != RelatedWords::NONE {
                let empty = Thesaurus::default();
                let thesaurus = if related.thesaurus {
                    self.thesaurus.get(&self.path)?
                } else {
                    &empty
                };
                expand_related(
                    &mut parsed,
                    searcher,
                    &self.fields,
                    thesaurus,
                    related.derived_forms,
                    &mut analyze,
                )
                .map_err(|e| Error::engine(&self.path, e))?;
            }
            Ok(parsed)
        })
    }

    /// The tantivy query of a parsed query, with the feedback terms if it gets feedback
    /// ([`Library::feedback`]), restricted by the request's filters; and those terms.
    ///
    /// # Errors
    /// What running the query for feedback fails with.
    fn query(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Result<(Box<dyn tantivy::query::Query>, Vec<FeedbackTerm>)> {
        let mut query = build_query(parsed, &self.fields, request.mode);
        let mut terms = Vec::new();
        if self.feedback(parsed, request) {
            let known = parsed.highlight_terms();
            let (scores, added) = self.unless_damaged(|| {
                let scores = searcher.search(&*query, &ScoresCollector)?;
                let added = self.analyzers.with(|analyzer| {
                    search::feedback_terms(searcher, &self.fields, analyzer, &scores, &known)
                })?;
                Ok((scores, added))
            })?;
            if !added.is_empty() {
                query = search::with_feedback(&scores, &self.fields, &added);
            }
            terms = added;
        }
        let filters = self.unless_damaged(|| {
            FacetFilters::new(searcher, &self.fields, &self.facet_names, request)
        })?;
        Ok((filters.apply(query), terms))
    }

    /// Whether a search gets pseudo-relevance feedback: an any-word search of words alone
    /// ([`ParsedQuery::is_plain`]) that is not `exact`, always if the request
    /// says [`Feedback::On`], and by default if it names a subject in
    /// [`Feedback::MIN_WORDS`] words or more. An index built by a baseline analyzer for an
    /// evaluation gets it only if asked for.
    fn feedback(&self, parsed: &ParsedQuery, request: &SearchRequest) -> bool {
        if request.mode != MatchMode::Any || request.exact || !parsed.is_plain() {
            return false;
        }
        match request.feedback {
            Feedback::Off => false,
            Feedback::On => true,
            Feedback::Auto => {
                self.analysis.variant.is_none()
                    && parsed.asks == Asks::Subject
                    && parsed.word_count() >= Feedback::MIN_WORDS
            }
        }
    }
}
