//! Why a hit matched: each query word's forms (the word, a compound's parts, the words a
//! `prefix*` stands for, derived forms, the thesaurus's words) scored alone in the hit, as the
//! query scores them, so that `--explain` can say which of them the hit has and what each
//! counted. A word counts by the best of its forms, as [`super::build`] combines them.

use tantivy::DocSet;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Searcher};

use super::asks::Asks;
use super::build::{
    PARTS_BOOST, SOME_PARTS_BOOST, Searched, all_of, any_of, best_field, boosted, phrase_query,
    term_query,
};
use super::parse::{Clause, ParsedQuery, Polarity};
use super::related::{RelatedKind, related_query};
use crate::index::Fields;
use crate::search::MatchMode;
use crate::search::feedback::{FeedbackTerm, feedback_query};
use crate::search::results::{Explanation, FormMatch, MatchKind, WordMatch};

/// Explains the hit `doc` of the query `parsed`, built for `mode`.
pub(crate) fn explain(
    parsed: &ParsedQuery,
    fields: &Fields,
    mode: MatchMode,
    searcher: &Searcher,
    doc: DocAddress,
) -> Explanation {
    let mut words = Vec::new();
    parsed.root.visit_negated(false, &mut |clause, negated| {
        if !negated && clause.polarity != Polarity::Excluded {
            for (word, forms) in clause_forms(clause, fields, parsed.asks, mode) {
                words.push(word_match(word, forms, searcher, doc));
            }
        }
    });
    Explanation {
        words,
        feedback: Vec::new(),
    }
}

/// `explained` with the feedback terms the hit `doc` has, best first, each scored as the
/// query scores it.
pub(crate) fn explain_feedback(
    mut explained: Explanation,
    terms: &[FeedbackTerm],
    fields: &Fields,
    searcher: &Searcher,
    doc: DocAddress,
) -> Explanation {
    explained.feedback = terms
        .iter()
        .filter_map(|term| {
            let score = score_of(&*feedback_query(fields, term), searcher, doc)?;
            Some(FormMatch {
                kind: MatchKind::Feedback,
                form: term.word.clone(),
                score,
            })
        })
        .collect();
    explained
        .feedback
        .sort_by(|a, b| b.score.total_cmp(&a.score));
    explained
}

/// One form of a word: its kind, what to show and its query.
type Form = (MatchKind, String, Box<dyn Query>);

/// Each word of a clause (a phrase and a `prefix*` are one word) with its forms.
fn clause_forms(
    clause: &Clause,
    fields: &Fields,
    asks: Asks,
    mode: MatchMode,
) -> Vec<(String, Vec<Form>)> {
    let scope = clause.scope.fields(fields, asks);
    let in_fields = |text: &str| best_field(scope.iter().map(|&f| term_query(f, text)).collect());
    if let Some(prefix) = &clause.prefix {
        let forms = prefix
            .expansions
            .iter()
            .map(|word| (MatchKind::Prefix, word.clone(), in_fields(word)))
            .collect();
        return vec![(format!("{}*", prefix.text), forms)];
    }
    if clause.phrase {
        let words = clause.typed.join(" ");
        let query = phrase_query(&clause.terms, &scope);
        return vec![(
            format!("\"{words}\""),
            vec![(MatchKind::Exact, words, query)],
        )];
    }
    let text: Vec<Searched> = scope
        .iter()
        .filter(|s| s.field == fields.title || s.field == fields.body)
        .copied()
        .collect();
    let optional = mode == MatchMode::Any && clause.polarity == Polarity::Default;
    clause
        .terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            let mut forms: Vec<Form> =
                vec![(MatchKind::Exact, term.term.clone(), in_fields(&term.term))];
            if !term.parts.is_empty() {
                let parts = || term.parts.iter().map(|p| in_fields(p)).collect();
                let shown = term.parts.join(" + ");
                let all = boosted(all_of(parts()), PARTS_BOOST);
                forms.push((MatchKind::CompoundParts, shown.clone(), all));
                if optional {
                    let some = boosted(any_of(parts()), SOME_PARTS_BOOST);
                    forms.push((MatchKind::SomeParts, shown, some));
                }
            }
            for related in clause.related.iter().filter(|r| r.stands_for(i, !optional)) {
                let kind = match related.kind {
                    RelatedKind::Inflected => MatchKind::Inflected,
                    RelatedKind::Derived => MatchKind::Derived,
                    RelatedKind::Synonym => MatchKind::Synonym,
                    RelatedKind::Related => MatchKind::Related,
                };
                forms.push((kind, related.label.clone(), related_query(related, &text)));
            }
            let typed = clause
                .typed
                .get(i)
                .cloned()
                .unwrap_or_else(|| term.term.clone());
            (typed, forms)
        })
        .collect()
}

/// The forms of a word that `doc` has, best first, and the best one's score.
fn word_match(word: String, forms: Vec<Form>, searcher: &Searcher, doc: DocAddress) -> WordMatch {
    let mut found: Vec<FormMatch> = forms
        .into_iter()
        .filter_map(|(kind, form, query)| {
            let score = score_of(&*query, searcher, doc)?;
            Some(FormMatch { kind, form, score })
        })
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    WordMatch {
        word,
        score: found.first().map_or(0.0, |f| f.score),
        forms: found,
    }
}

/// The score of `doc` for `query`, or `None` if it does not match (or the index cannot say:
/// an explanation is no reason to fail a search). Scored as a search scores it, by seeking
/// the query's scorer to the document: tantivy's `Query::explain` seeks some scorers
/// backwards.
fn score_of(query: &dyn Query, searcher: &Searcher, doc: DocAddress) -> Option<f32> {
    let weight = query
        .weight(EnableScoring::enabled_from_searcher(searcher))
        .ok()?;
    let reader = searcher.segment_readers().get(doc.segment_ord as usize)?;
    let mut scorer = weight.scorer(reader, 1.0).ok()?;
    if scorer.doc() > doc.doc_id || scorer.seek(doc.doc_id) != doc.doc_id {
        return None;
    }
    Some(scorer.score())
}

#[cfg(test)]
mod tests {
    use crate::{Library, MatchKind, MatchMode, SearchRequest};

    #[test]
    fn explains_which_forms_of_each_word_a_hit_has() {
        let dir = tempfile::tempdir().unwrap();
        let docs = "{\"id\": \"a\", \"text\": \"Die Zuwanderer in der Kindertagesstätte lernen.\"}\n\
                    {\"id\": \"b\", \"text\": \"Die Zuwanderung und die Kita im Dorf.\"}\n\
                    {\"id\": \"c\", \"text\": \"Die Integration der Flüchtlinge gelingt.\"}\n";
        std::fs::write(dir.path().join("d.jsonl"), docs).unwrap();
        let library = Library::create(dir.path().join("index")).unwrap();
        library
            .index_corpus(dir.path().join("d.jsonl"), &Default::default(), &mut |_| {})
            .unwrap();
        let mut request = SearchRequest::new("Zuwanderung Kita Flüchtlingsintegration")
            .mode(MatchMode::Any)
            .explain(true);
        request.limit = 3;
        let hits = library.search(&request).unwrap().hits;
        let kinds = |id: &str| -> Vec<(String, Vec<(MatchKind, String)>)> {
            let hit = hits.iter().find(|h| h.id == id).unwrap();
            hit.explain
                .as_ref()
                .unwrap()
                .words
                .iter()
                .map(|w| {
                    let forms = w.forms.iter().map(|f| (f.kind, f.form.clone())).collect();
                    (w.word.clone(), forms)
                })
                .collect()
        };
        let word = |w: &str, forms: &[(MatchKind, &str)]| {
            let forms = forms.iter().map(|(k, f)| (*k, f.to_string())).collect();
            (w.to_string(), forms)
        };
        assert_eq!(
            kinds("a"),
            [
                word("Zuwanderung", &[(MatchKind::Derived, "zuwanderer")]),
                word("Kita", &[(MatchKind::Synonym, "Kindertagesstätte")]),
                word("Flüchtlingsintegration", &[]),
            ]
        );
        assert_eq!(
            kinds("c"),
            [
                word("Zuwanderung", &[]),
                word("Kita", &[]),
                word(
                    "Flüchtlingsintegration",
                    &[
                        (MatchKind::CompoundParts, "fluchtling + integration"),
                        (MatchKind::SomeParts, "fluchtling + integration"),
                    ]
                ),
            ]
        );
        let b = hits.iter().find(|h| h.id == "b").unwrap();
        let explained = b.explain.as_ref().unwrap();
        assert_eq!(explained.words[0].forms[0].kind, MatchKind::Exact);
        assert!(explained.words[0].score > 0.0);
        // Without asking, no explanation, and none in the JSON.
        let plain = library.search(&request.clone().explain(false)).unwrap();
        assert!(plain.hits.iter().all(|h| h.explain.is_none()));
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("\"explain\""), "{json}");
    }
}
