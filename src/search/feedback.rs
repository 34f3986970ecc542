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
use tantivy::{Searcher, TantivyDocument, Term};

use super::bm25::{Bm25Params, Bm25TermQuery};
use crate::index::Fields;

/// How many of the first hits the feedback terms are taken from.
const FEEDBACK_DOCS: usize = 10;

/// How many terms are added.
const FEEDBACK_TERMS: usize = 20;

/// How much the added terms weigh together, in query words: a topic-like query has five to
/// ten words, so that the query itself keeps most of the weight, as RM3's interpolation with
/// the original query does.
const FEEDBACK_WEIGHT: f32 = 2.0;

/// The query `query` with the best terms of its first hits added to it, each as an optional
/// body term weighted by its share of the feedback model; `query` alone if it finds nothing.
/// Terms of the query itself (`known`) are not added again.
///
/// A term's weight is its relevance model probability, the sum over the first hits of its
/// share of the hit's tokens times the hit's share of their scores, times its inverse document
/// frequency: without a stop list, the words every speech has would otherwise lead.
///
/// # Errors
/// What running the query or reading a stored document fails with.
pub(crate) fn with_feedback(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &TextAnalyzer,
    query: Box<dyn Query>,
    known: &[String],
) -> tantivy::Result<Box<dyn Query>> {
    let top = searcher.search(
        &*query,
        &TopDocs::with_limit(FEEDBACK_DOCS).order_by_score(),
    )?;
    let total: f32 = top.iter().map(|(score, _)| score).sum();
    if top.is_empty() || total <= 0.0 {
        return Ok(query);
    }
    let mut analyzer = analyzer.clone();
    let mut model: HashMap<String, f32> = HashMap::new();
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
            *counts.entry(stream.token().text.clone()).or_default() += 1;
            tokens += 1;
        }
        if tokens == 0 {
            continue;
        }
        for (term, count) in counts {
            *model.entry(term).or_default() += count as f32 / tokens as f32 * (score / total);
        }
    }
    let documents = searcher.num_docs().max(1) as f32;
    let mut weighted: Vec<(String, f32)> = Vec::new();
    for (term, probability) in model {
        if known.contains(&term) || term.chars().count() < 3 {
            continue;
        }
        let doc_freq = searcher.doc_freq(&Term::from_field_text(fields.body, &term))?;
        if doc_freq < 2 {
            continue;
        }
        let idf = (documents / doc_freq as f32).ln();
        if idf > 0.0 {
            weighted.push((term, probability * idf));
        }
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(FEEDBACK_TERMS);
    let sum: f32 = weighted.iter().map(|(_, w)| w).sum();
    if weighted.is_empty() || sum <= 0.0 {
        return Ok(query);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, query)];
    for (term, weight) in weighted {
        let term = Term::from_field_text(fields.body, &term);
        let scored = Box::new(Bm25TermQuery::new(term, Bm25Params::TANTIVY));
        let boost = FEEDBACK_WEIGHT * weight / sum;
        clauses.push((Occur::Should, Box::new(BoostQuery::new(scored, boost))));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use crate::{Library, MatchMode, SearchRequest};

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
        let ids = |feedback: bool| -> Vec<String> {
            let mut request = SearchRequest::new("Seenotrettung").mode(MatchMode::Any);
            request.feedback = feedback;
            let hits = library.search(&request).unwrap().hits;
            hits.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids(false), ["hit"]);
        // The text in other words comes right after the first hit, above those that share only
        // a common word with it ("Menschen", "Land").
        assert_eq!(ids(true)[..2], ["hit", "other"]);
    }
}
