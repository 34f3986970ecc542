//! Pseudo-relevance feedback, after RM3 (Lavrenko and Croft, "Relevance-based language
//! models", SIGIR 2001; Abdul-Jaleel et al., UMass at TREC 2004): the best terms of the first
//! hits of a query are added to it at a lower weight, so that a long, topic-like query also
//! finds the texts that speak of its subject in other words. Off unless a request asks for it
//! ([`SearchRequest::feedback`](crate::SearchRequest::feedback)); benches/EVAL.md measures it.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Score, Searcher, TantivyDocument, Term};

use super::bm25::Bm25TermQuery;
use super::query::Asks;
use crate::index::Fields;

/// How many of the first hits the feedback terms are taken from. Fewer than RM3's usual 10:
/// the first hits of a title-like query are on its subject, the tenth often on another
/// (benches/EVAL.md: 4 to 7 measured).
const FEEDBACK_DOCS: usize = 5;

/// How many terms are added.
const FEEDBACK_TERMS: usize = 10;

/// How much the added terms weigh together, in query words: about half of a title-like
/// query's five to ten words, so that the query itself keeps most of the weight, as RM3's
/// interpolation with the original query does.
const FEEDBACK_WEIGHT: Score = 4.0;

/// How sharply the first hit's terms count over the later ones': a hit counts by its score
/// relative to the first hit's to this power. RM3 weighs a hit by the likelihood of the query
/// in it, which falls off much faster than a BM25 score; the cube comes close to that.
const SCORE_SHARPNESS: Score = 3.0;

/// A term added to a query by feedback: the analyzed term, a word of the first hits it was
/// made of (to show: "Libyen" rather than the term "liby"), and its boost.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FeedbackTerm {
    pub term: String,
    pub word: String,
    pub boost: Score,
}

/// The best terms of the first hits of `query`, each with its boost; none if it finds
/// nothing. Terms of the query itself (`known`) are left out.
///
/// A term's weight is its relevance model probability, the sum over the first hits of its
/// share of the hit's tokens times the hit's weight ([`SCORE_SHARPNESS`]), times its inverse
/// document frequency: without a stop list, the words every text has would otherwise lead.
///
/// # Errors
/// What running the query or reading a stored document fails with.
pub(crate) fn feedback_terms(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &TextAnalyzer,
    query: &dyn Query,
    known: &[String],
) -> tantivy::Result<Vec<FeedbackTerm>> {
    let top = searcher.search(query, &TopDocs::with_limit(FEEDBACK_DOCS).order_by_score())?;
    let Some(&(best, _)) = top.first() else {
        return Ok(Vec::new());
    };
    if best <= 0.0 {
        return Ok(Vec::new());
    }
    let mut analyzer = analyzer.clone();
    let mut model: HashMap<String, Score> = HashMap::new();
    let mut words: HashMap<String, String> = HashMap::new();
    for (score, address) in &top {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let body = doc
            .get_first(fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut tokens = 0u32;
        let mut stream = analyzer.token_stream(body);
        while stream.advance() {
            let token = stream.token();
            if !words.contains_key(&token.text) {
                let word = body
                    .get(token.offset_from..token.offset_to)
                    .unwrap_or_default();
                words.insert(token.text.clone(), word.to_string());
            }
            *counts.entry(token.text.clone()).or_default() += 1;
            tokens += 1;
        }
        if tokens == 0 {
            continue;
        }
        let weight = (score / best).powf(SCORE_SHARPNESS);
        for (term, count) in counts {
            *model.entry(term).or_default() += count as Score / tokens as Score * weight;
        }
    }
    let documents = searcher.num_docs().max(1) as Score;
    let mut weighted: Vec<(String, Score)> = Vec::new();
    for (term, probability) in model {
        if known.contains(&term) || term.chars().count() < 3 {
            continue;
        }
        let doc_freq = searcher.doc_freq(&Term::from_field_text(fields.body, &term))?;
        if doc_freq < 2 {
            continue;
        }
        let idf = (documents / doc_freq as Score).ln();
        if idf > 0.0 {
            weighted.push((term, probability * idf));
        }
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(FEEDBACK_TERMS);
    let sum: Score = weighted.iter().map(|(_, w)| w).sum();
    if sum <= 0.0 {
        return Ok(Vec::new());
    }
    Ok(weighted
        .into_iter()
        .map(|(term, weight)| FeedbackTerm {
            word: words.remove(&term).unwrap_or_else(|| term.clone()),
            term,
            boost: FEEDBACK_WEIGHT * weight / sum,
        })
        .collect())
}

/// The query for one feedback term: the term in the body, scored as a subject's words are
/// (feedback is for queries that name a subject), with its boost.
pub(crate) fn feedback_query(fields: &Fields, term: &FeedbackTerm) -> Box<dyn Query> {
    let term_query = Bm25TermQuery::new(
        Term::from_field_text(fields.body, &term.term),
        Asks::Subject.body_bm25(),
    );
    Box::new(BoostQuery::new(Box::new(term_query), term.boost))
}

/// `query` with the feedback terms added to it, each optional.
pub(crate) fn with_feedback(
    query: Box<dyn Query>,
    fields: &Fields,
    terms: &[FeedbackTerm],
) -> Box<dyn Query> {
    if terms.is_empty() {
        return query;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, query)];
    clauses.extend(
        terms
            .iter()
            .map(|term| (Occur::Should, feedback_query(fields, term))),
    );
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use crate::{Feedback, Library, MatchMode, SearchRequest};

    #[test]
    fn feedback_finds_a_text_on_the_subject_of_the_first_hits_in_other_words() {
        let dir = tempfile::tempdir().unwrap();
        let mut docs = String::new();
        let texts = [
            (
                "hit",
                "Die Seenotrettung im Mittelmeer rettet Menschen vor Libyen aus Booten.",
            ),
            (
                "other",
                "Schiffe retten Menschen vor Libyen aus seeuntüchtigen Booten.",
            ),
            (
                "far",
                "Der Haushalt des Bundes wächst im nächsten Jahr kräftig.",
            ),
            (
                "far2",
                "Die Schulen im Land brauchen mehr Lehrkräfte und Räume.",
            ),
            (
                "far3",
                "Die Rente steigt im Sommer für alle Menschen im Land.",
            ),
        ];
        for (id, text) in texts {
            docs.push_str(&format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n"));
        }
        std::fs::write(dir.path().join("d.jsonl"), docs).unwrap();
        let library = Library::create(dir.path().join("index")).unwrap();
        library
            .index_corpus(dir.path().join("d.jsonl"), &Default::default(), &mut |_| {})
            .unwrap();
        let search = |query: &str, feedback: Feedback, exact: bool| {
            let mut request = SearchRequest::new(query).mode(MatchMode::Any).exact(exact);
            request.feedback = feedback;
            library.search(&request).unwrap()
        };
        let ids = |query: &str, feedback: Feedback| -> Vec<String> {
            let hits = search(query, feedback, false).hits;
            hits.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids("Seenotrettung", Feedback::Off), ["hit"]);
        // The text in other words comes right after the first hit, above those that share only
        // a common word with it ("Menschen", "Land").
        assert_eq!(ids("Seenotrettung", Feedback::On)[..2], ["hit", "other"]);
        // By default, one word gets none; a subject of three words does, and says which terms
        // it added; a question of as many words and an exact search do not.
        assert_eq!(ids("Seenotrettung", Feedback::Auto), ["hit"]);
        let subject = search("Seenotrettung Mittelmeer rettet", Feedback::Auto, false);
        assert_eq!(subject.hits[1].id, "other");
        assert!(
            subject.feedback.contains(&"Libyen".to_string()),
            "{:?}",
            subject.feedback
        );
        let question = search("Wer rettet im Mittelmeer?", Feedback::Auto, false);
        assert!(question.feedback.is_empty());
        let exact = search("Seenotrettung Mittelmeer rettet", Feedback::On, true);
        assert!(exact.feedback.is_empty());
        assert_eq!(exact.hits.len(), 1);
    }
}
