//! Related words of a query's words: derived forms ([`super::derived`]) and the thesaurus's
//! groups ([`crate::search::thesaurus`]), each at a weight below the word typed.
//!
//! Only words are expanded, never a phrase, a `prefix*` or an excluded word: a phrase says
//! which words the user wants, and excluding a word should not exclude its neighbours. The
//! expansions are alternatives to the word, not words of their own: a text counts by the best
//! of the word and its alternatives ([`super::build`]), so a text with the word typed scores as
//! it did without them.

use tantivy::query::{DisjunctionMaxQuery, Query};
use tantivy::{Searcher, Term};

use super::build::{Searched, all_of, boosted, word_query};

use super::derived::{self, Derivation};
use super::parse::{Clause, ParsedQuery, Polarity};
use crate::analysis::QueryTerm;
use crate::index::Fields;
use crate::search::thesaurus::{GroupKind, Thesaurus};

/// How much another inflected form of the word counts (Sprachkurse for Sprachkurs): nearly
/// the word itself, which Snowball only failed to stem alike.
const INFLECTED_WEIGHT: f32 = 0.9;

/// How much another word of the stem family counts (Zuwanderer for Zuwanderung).
const DERIVED_WEIGHT: f32 = 0.5;

/// Why a related word stands for a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelatedKind {
    /// Another inflected form Snowball stems apart ("Sprachkurse" for "Sprachkurs").
    Inflected,
    /// Another word of the stem family ("Zuwanderer" for "Zuwanderung").
    Derived,
    /// A near-synonym from the thesaurus.
    Synonym,
    /// A related word from the thesaurus.
    Related,
}

/// A word that stands for a query word, at a lower weight.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RelatedWord {
    /// Which word of its clause it stands for (an index into the clause's terms).
    pub word: usize,
    /// Why.
    pub kind: RelatedKind,
    /// How much it counts relative to the word.
    pub weight: f32,
    /// The word as written (the candidate or the thesaurus's word), for `--explain`.
    pub label: String,
    /// Its analyzed words: all of them must match.
    pub terms: Vec<QueryTerm>,
}

impl RelatedWord {
    /// Whether this word stands for the clause's word `index`, which must match if
    /// `required` (every word of an all-words search, a `+word`). A word that must match may
    /// be matched by its inflections, derived forms and near-synonyms, which say the same, but
    /// not by a word the thesaurus only relates to it: "Sprachkurs" would let a text without
    /// "Integrationskurs" into a search that asks for all of its words. In an any-word search
    /// a related word counts, below the word. (Where a text has the word too, a related word
    /// adds nothing: a word counts by the best of its forms, and a related word weighs a
    /// quarter of the word.)
    pub(super) fn stands_for(&self, index: usize, required: bool) -> bool {
        self.word == index && !(required && self.kind == RelatedKind::Related)
    }
}

/// Adds the related words of every word of `parsed` that may be expanded: its derived forms
/// that the body field of the index holds (if `derived_forms`), and the other words of its
/// groups in `thesaurus`. `analyze` analyzes the candidate forms as the query was analyzed.
///
/// # Errors
/// What reading a term dictionary fails with.
pub(crate) fn expand_related(
    parsed: &mut ParsedQuery,
    searcher: &Searcher,
    fields: &Fields,
    thesaurus: &Thesaurus,
    derived_forms: bool,
    analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
) -> tantivy::Result<()> {
    let mut result = Ok(());
    parsed.root.visit_mut(&mut |clause| {
        if result.is_err()
            || clause.phrase
            || clause.prefix.is_some()
            || clause.polarity == Polarity::Excluded
        {
            return;
        }
        for (word, term) in clause.terms.iter().enumerate() {
            let typed = match clause.typed.get(word) {
                Some(typed) if derived_forms => typed.as_str(),
                _ => "",
            };
            match derived_words(word, term, typed, searcher, fields, analyze) {
                Ok(found) => clause.related.extend(found),
                Err(e) => {
                    result = Err(e);
                    return;
                }
            }
            for alternative in thesaurus.alternatives(&term.term) {
                let kind = match alternative.kind {
                    GroupKind::Synonym => RelatedKind::Synonym,
                    GroupKind::Related => RelatedKind::Related,
                };
                let terms = &alternative.member.terms;
                let known = clause
                    .related
                    .iter()
                    .any(|r| r.word == word && r.terms == *terms);
                if !known {
                    clause.related.push(RelatedWord {
                        word,
                        kind,
                        weight: alternative.weight,
                        label: alternative.member.word.clone(),
                        terms: terms.clone(),
                    });
                }
            }
        }
    });
    result
}

/// The derived forms of one word that the index's body holds, each once.
fn derived_words(
    word: usize,
    term: &QueryTerm,
    typed: &str,
    searcher: &Searcher,
    fields: &Fields,
    analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
) -> tantivy::Result<Vec<RelatedWord>> {
    let candidates = derived::candidates(typed);
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // One analysis of all candidates: the i-th term is the i-th candidate, as none of them is
    // a function word, a compound of words with hyphens or anything but letters.
    let text: Vec<&str> = candidates.iter().map(|(form, _)| form.as_str()).collect();
    let analyzed = analyze(&text.join(" "));
    if analyzed.len() != candidates.len() {
        return Ok(Vec::new());
    }
    let mut found: Vec<RelatedWord> = Vec::new();
    for ((form, how), analyzed) in candidates.into_iter().zip(analyzed) {
        if analyzed.term == term.term || found.iter().any(|r| r.terms[0].term == analyzed.term) {
            continue;
        }
        let in_body = Term::from_field_text(fields.body, &analyzed.term);
        if searcher.doc_freq(&in_body)? == 0 {
            continue;
        }
        let (kind, weight) = match how {
            Derivation::Inflected => (RelatedKind::Inflected, INFLECTED_WEIGHT),
            Derivation::Derived => (RelatedKind::Derived, DERIVED_WEIGHT),
        };
        found.push(RelatedWord {
            word,
            kind,
            weight,
            label: form,
            terms: vec![QueryTerm {
                // A derived form is looked up whole: its parts are the word's own parts.
                parts: Vec::new(),
                ..analyzed
            }],
        });
    }
    Ok(found)
}

/// The query of the `index`-th word of `clause` (`word`) with its related words: a text counts
/// by the best of them, each related word at its weight, so that a text with the word typed
/// scores as without the related words, and a text with only a related word below it.
///
/// Related words are looked up in the title and the body of the fields the word searches: a
/// synonym of a word in an author's name or an institution's says nothing of the text, and
/// each field looked up is a term more to score.
pub(super) fn with_related(
    word: Box<dyn Query>,
    clause: &Clause,
    index: usize,
    required: bool,
    scope: &[Searched],
    fields: &Fields,
) -> Box<dyn Query> {
    let text: Vec<Searched> = scope
        .iter()
        .filter(|s| s.field == fields.title || s.field == fields.body)
        .copied()
        .collect();
    let mut alternatives = vec![word];
    for related in clause
        .related
        .iter()
        .filter(|r| r.stands_for(index, required))
    {
        alternatives.push(related_query(related, &text));
    }
    if alternatives.len() == 1 {
        return alternatives.pop().expect("the word itself");
    }
    Box::new(DisjunctionMaxQuery::new(alternatives))
}

/// The query of one related word, at its weight: all of its words, each whole (a compound
/// of the thesaurus is one of the field's words; its parts alone would stand for more).
pub(super) fn related_query(related: &RelatedWord, fields: &[Searched]) -> Box<dyn Query> {
    let words = related
        .terms
        .iter()
        .map(|t| {
            let whole = QueryTerm {
                parts: Vec::new(),
                ..t.clone()
            };
            word_query(&whole, fields, false)
        })
        .collect();
    boosted(all_of(words), related.weight)
}

#[cfg(test)]
mod tests {
    use crate::{Library, MatchMode, SearchRequest};

    fn library_with(docs: &[(&str, &str)]) -> (tempfile::TempDir, Library) {
        let lines: String = docs
            .iter()
            .map(|(id, text)| format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n"))
            .collect();
        crate::search::query::library_of_lines(&lines)
    }

    fn ids(library: &Library, request: &SearchRequest) -> Vec<String> {
        let results = library.search(request).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }

    const DOCS: &[(&str, &str)] = &[
        ("kita", "Die Kita im Viertel sucht Personal."),
        (
            "tagesstaette",
            "Die Kindertagesstätte im Viertel sucht Personal.",
        ),
        ("garten", "Der Kindergarten im Viertel sucht Personal."),
        ("zuwanderung", "Die Zuwanderung in das Viertel wächst."),
        ("zuwanderer", "Die Zuwanderer im Viertel finden Arbeit."),
        ("kurse", "Die Sprachkurse im Viertel sind voll."),
        ("andere", "Der Haushalt des Bundes wächst."),
    ];

    #[test]
    fn related_words_find_more_below_the_words_typed() {
        let (_dir, library) = library_with(DOCS);
        let cases: &[(&str, &[&str])] = &[
            // The word typed first, then the near-synonym, then the related word.
            ("Kita", &["kita", "tagesstaette", "garten"]),
            ("Zuwanderung", &["zuwanderung", "zuwanderer"]),
            ("Zuwanderer", &["zuwanderer", "zuwanderung"]),
            ("Sprachkurs", &["kurse"]),
        ];
        for &(query, expected) in cases {
            let request = SearchRequest::new(query).mode(MatchMode::Any);
            assert_eq!(ids(&library, &request), expected, "{query}");
        }
    }

    #[test]
    fn exact_phrases_and_exclusions_take_no_related_words() {
        let (_dir, library) = library_with(DOCS);
        let cases: &[(SearchRequest, &[&str])] = &[
            (SearchRequest::new("Kita").exact(true), &["kita"]),
            (
                SearchRequest::new("Zuwanderung").exact(true),
                &["zuwanderung"],
            ),
            (SearchRequest::new("\"die Kita\""), &["kita"]),
            (
                SearchRequest::new("Viertel -Kita").limit(20),
                &[
                    "kurse",
                    "zuwanderer",
                    "zuwanderung",
                    "garten",
                    "tagesstaette",
                ],
            ),
        ];
        for (request, expected) in cases {
            let mut found = ids(&library, request);
            let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            if request.query.starts_with("Viertel") {
                found.sort();
                expected.sort();
            }
            assert_eq!(found, expected, "{request:?}");
        }
    }

    #[test]
    fn a_related_word_scores_below_the_word_typed() {
        let (_dir, library) = library_with(DOCS);
        let hits = library
            .search(&SearchRequest::new("Kita").mode(MatchMode::Any))
            .unwrap()
            .hits;
        let score = |id: &str| hits.iter().find(|h| h.id == id).unwrap().score;
        assert!(score("tagesstaette") < score("kita"));
        assert!(score("garten") < score("tagesstaette"));
    }

    #[test]
    fn a_users_thesaurus_beside_the_index_adds_groups_and_a_bad_one_names_its_line() {
        let (dir, _library) = library_with(DOCS);
        let index = dir.path().join("index");
        let file = index.join("thesaurus.toml");
        std::fs::write(
            &file,
            "[[group]]\nkind = \"synonym\"\nweight = 0.5\nwords = [\"Haushalt\", \"Etat\"]\n",
        )
        .unwrap();
        let library = Library::open(&index).unwrap();
        assert_eq!(ids(&library, &SearchRequest::new("Etat")), ["andere"]);
        std::fs::write(
            &file,
            "[[group]]\nkind = \"synonym\"\nweight = 2\nwords = []\n",
        )
        .unwrap();
        let library = Library::open(&index).unwrap();
        let err = library.search(&SearchRequest::new("Etat")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("thesaurus {} line 3: weight 2", file.display())),
            "{message}"
        );
        // --exact does not read the thesaurus at all.
        assert!(
            library
                .search(&SearchRequest::new("Etat").exact(true))
                .is_ok()
        );
    }
}
