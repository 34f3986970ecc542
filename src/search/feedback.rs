//! Pseudo-relevance feedback, after RM3 (Lavrenko and Croft, "Relevance-based language
//! models", SIGIR 2001; Abdul-Jaleel et al., UMass at TREC 2004): the best terms of the first
//! hits of a query are added to it at a lower weight, so that a long, topic-like query also
//! finds the texts that speak of its subject in other words. By default for an any-word
//! query of several words that names a subject
//! ([`SearchRequest::feedback`](crate::SearchRequest::feedback)); benches/EVAL.md measures it.

use rustc_hash::FxHashMap;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Score, Searcher, TantivyDocument, Term};

use super::bm25::Bm25TermQuery;
use super::query::Asks;
use super::scored::Scores;
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

/// How much of each hit's text is read: its first 32 KB, some 4,000 words, the whole of most
/// speeches and articles and the summary at the start of a long report. Reading a report of a
/// hundred pages whole would cost more than the search.
const MAX_TEXT_BYTES: usize = 32 * 1024;

/// The best terms of the first hits of a query whose matches are `scores`, each with its
/// boost; none if it found nothing. Terms of the query itself (`known`) are left out.
///
/// A term's weight is its relevance model probability, the sum over the first hits of its
/// share of the hit's tokens times the hit's weight ([`SCORE_SHARPNESS`]), times its inverse
/// document frequency: without a stop list, the words every text has would otherwise lead.
/// Terms are looked up in the index most probable first, and the lookups stop once a term's
/// probability times the largest idf possible is below the weight of the last term kept.
///
/// # Errors
/// What running the query or reading a stored document fails with.
pub(crate) fn feedback_terms(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    scores: &Scores,
    known: &[String],
) -> tantivy::Result<Vec<FeedbackTerm>> {
    let top = scores.top(FEEDBACK_DOCS);
    let Some(&(best, _)) = top.first() else {
        return Ok(Vec::new());
    };
    if best <= 0.0 {
        return Ok(Vec::new());
    }
    // Each term's probability, and the first word of the hits it was made of.
    let mut model: FxHashMap<String, (Score, String)> = FxHashMap::default();
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    for (score, address) in &top {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let body = doc
            .get_first(fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let body = &body[..body.floor_char_boundary(MAX_TEXT_BYTES)];
        counts.clear();
        let mut tokens = 0u32;
        let mut stream = analyzer.token_stream(body);
        while stream.advance() {
            let token = stream.token();
            if !model.contains_key(&token.text) {
                let word = body.get(token.offset_from..token.offset_to).unwrap_or("");
                model.insert(token.text.clone(), (0.0, word.to_string()));
            }
            *counts.entry(token.text.clone()).or_default() += 1;
            tokens += 1;
        }
        if tokens == 0 {
            continue;
        }
        let weight = (score / best).powf(SCORE_SHARPNESS);
        for (term, &count) in &counts {
            if let Some((probability, _)) = model.get_mut(term) {
                *probability += count as Score / tokens as Score * weight;
            }
        }
    }
    let mut candidates: Vec<(String, Score, String)> = model
        .into_iter()
        .filter(|(term, _)| !known.contains(term) && term.chars().count() >= 3)
        .map(|(term, (probability, word))| (term, probability, word))
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let documents = searcher.num_docs().max(1) as Score;
    // A term in fewer than two texts is not kept, so no idf is larger than this.
    let max_idf = (documents / 2.0).ln();
    let mut kept: Vec<(String, Score, String)> = Vec::with_capacity(FEEDBACK_TERMS + 1);
    for (term, probability, word) in candidates {
        if kept.len() == FEEDBACK_TERMS && probability * max_idf < kept[FEEDBACK_TERMS - 1].1 {
            break;
        }
        let doc_freq = searcher.doc_freq(&Term::from_field_text(fields.body, &term))?;
        if doc_freq < 2 {
            continue;
        }
        let idf = (documents / doc_freq as Score).ln();
        if idf <= 0.0 {
            continue;
        }
        let weight = probability * idf;
        let at = kept.partition_point(|k| k.1 > weight || (k.1 == weight && k.0 < term));
        if at < FEEDBACK_TERMS {
            kept.insert(at, (term, weight, word));
            kept.truncate(FEEDBACK_TERMS);
        }
    }
    let sum: Score = kept.iter().map(|(_, w, _)| w).sum();
    if sum <= 0.0 {
        return Ok(Vec::new());
    }
    Ok(kept
        .into_iter()
        .map(|(term, weight, word)| FeedbackTerm {
            term,
            word,
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

/// The query whose matches are `scores` with the feedback terms added to it, each optional:
/// the query's own matches keep the scores it gave them, without evaluating it again, and a
/// text with an added term alone matches too, as RM3's expanded query finds it. (Requiring the
/// query's own match instead measured within noise of this on the topics: nDCG@10 0.4282
/// against 0.4267.)
pub(crate) fn with_feedback(
    scores: &Scores,
    fields: &Fields,
    terms: &[FeedbackTerm],
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, Box::new(scores.query()))];
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
        // A question asks for one passage: no feedback unless asked for.
        let question = "Wer rettet im Mittelmeer?";
        assert!(search(question, Feedback::Auto, false).feedback.is_empty());
        assert!(!search(question, Feedback::On, false).feedback.is_empty());
        // A phrase, `+`, `-` or an operator says exactly what is meant: none even if asked.
        for query in [
            "\"Seenotrettung im Mittelmeer\" rettet",
            "+Seenotrettung Mittelmeer rettet",
            "Seenotrettung Mittelmeer -Booten",
            "Seenotrettung OR Mittelmeer rettet",
        ] {
            assert!(
                search(query, Feedback::On, false).feedback.is_empty(),
                "{query}"
            );
        }
        let exact = search("Seenotrettung Mittelmeer rettet", Feedback::On, true);
        assert!(exact.feedback.is_empty());
        assert_eq!(exact.hits.len(), 1);
    }
}
