//! What a query asks for: the answer to a question, or the texts on a subject. The two want
//! different texts, and BM25's length normalization is where they differ.
//!
//! A question ("Wie viele Sprachkurse bietet die Stadt an?") asks for the passage that answers
//! it: a short text dense with the question's words. Full length normalization favours it
//! against a long text that mentions the same words among many others. Words or a title
//! ("Familiennachzug subsidiär Schutzberechtigte") ask for the texts about a subject, which
//! are mostly long: a report, a speech in a debate. Normalizing them fully puts a short text
//! that mentions the subject in passing above them.
//!
//! benches/EVAL.md measures both: the XQuAD questions mixed into the Bundestag speeches lose
//! 0.007–0.025 nDCG@10 when `b` falls from 1 to 0.75–0.4, and the Bundestag topics (agenda
//! titles) gain 0.02–0.03 nDCG@10 when it falls to 0.5.

use crate::search::bm25::Bm25Params;

/// What a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asks {
    /// A question: the passage that answers it.
    Answer,
    /// Words or a title: the texts about its subject.
    Subject,
}

/// The German interrogatives that begin a question, lower-cased (a question typed without its
/// question mark still begins with one). "Inwiefern", "wieviel" and the pronominal adverbs
/// ("wofür", "worüber") included.
const INTERROGATIVES: &[&str] = &[
    "inwiefern",
    "inwieweit",
    "wann",
    "warum",
    "was",
    "welche",
    "welchem",
    "welchen",
    "welcher",
    "welches",
    "wem",
    "wen",
    "wer",
    "weshalb",
    "wessen",
    "weswegen",
    "wie",
    "wieso",
    "wieviel",
    "wieviele",
    "wo",
    "wobei",
    "wodurch",
    "wofür",
    "wogegen",
    "woher",
    "wohin",
    "womit",
    "wonach",
    "woran",
    "worauf",
    "woraus",
    "worin",
    "worum",
    "worüber",
    "wovon",
    "wovor",
    "wozu",
];

impl Asks {
    /// What the query text asks for: an answer if it ends with a question mark or begins with
    /// an interrogative, a subject otherwise.
    pub(crate) fn of(query: &str) -> Asks {
        let query = query.trim();
        if query.ends_with('?') {
            return Asks::Answer;
        }
        let first: String = query
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        if INTERROGATIVES.binary_search(&first.as_str()).is_ok() {
            Asks::Answer
        } else {
            Asks::Subject
        }
    }

    /// How BM25 scores a word in the body for this query: tantivy's `k1` throughout; `b` 1
    /// for a question, so that the short passage that answers it is not outscored by a long
    /// text by the number of its mentions alone; 0.5 for a subject, the middle of what BM25
    /// is usually run with (Lucene 0.75, its Bundestag figures 0.4), which lets a long text
    /// on the subject keep its place above a short one that names it in passing.
    pub(crate) fn body_bm25(self) -> Bm25Params {
        match self {
            Asks::Answer => Bm25Params { k1: 1.2, b: 1.0 },
            Asks::Subject => Bm25Params { k1: 1.2, b: 0.5 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_ranks_the_dense_passage_first_and_a_subject_the_longer_text() {
        // "Melfi" is 1 of 6 words of "short" and 3 of 23 of "long". A question is normalized
        // for length in full (b = 1), so the share of the words wins: the short passage that
        // answers it. A subject is normalized by half (b = 0.5), so the three mentions win.
        let texts = [
            ("short", "Melfi liegt im Süden von Italien."),
            (
                "long",
                "Melfi hat eine Burg. Die Burg von Melfi ist alt. Der Weg nach Melfi führt \
                 durch Wald, Feld und Wiese bis zum Tor.",
            ),
            ("a", "Die Kommunen planen den Haushalt für das neue Jahr."),
            ("b", "Der Bund fördert die Kurse für alle Kinder im Land."),
            (
                "c",
                "Die Länder bauen neue Schulen in vielen großen Städten.",
            ),
        ];
        let lines: String = texts
            .iter()
            .map(|(id, text)| format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n"))
            .collect();
        let (_dir, library) = super::super::library_of_lines(&lines);
        let ids = |query: &str| -> Vec<String> {
            let request = crate::SearchRequest::new(query).mode(crate::MatchMode::Any);
            let hits = library.search(&request).unwrap().hits;
            hits.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids("Wo liegt Melfi?"), ["short", "long"]);
        assert_eq!(ids("wo liegt Melfi"), ["short", "long"]);
        assert_eq!(ids("Melfi"), ["long", "short"]);
    }

    #[test]
    fn interrogatives_are_sorted_for_the_binary_search() {
        assert!(INTERROGATIVES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn questions_ask_for_an_answer_and_words_for_a_subject() {
        for (query, asks) in [
            ("Wie viele Sprachkurse bietet die Stadt an?", Asks::Answer),
            (
                "In welchem Jahr wurde das Gesetz beschlossen?",
                Asks::Answer,
            ),
            ("wer berät Geflüchtete in Köln", Asks::Answer),
            ("Worüber stritt der Bundestag", Asks::Answer),
            ("„Wann gilt der Familiennachzug“", Asks::Answer),
            ("Kita?", Asks::Answer),
            ("Integration Kommunen", Asks::Subject),
            ("Gesetz zur Änderung des Aufenthaltsgesetzes", Asks::Subject),
            ("Wiesbaden Integrationskonzept", Asks::Subject),
            ("Westbalkanregelung", Asks::Subject),
            ("", Asks::Subject),
        ] {
            assert_eq!(Asks::of(query), asks, "{query}");
        }
    }
}
