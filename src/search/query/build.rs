//! Clauses into a tantivy query: per word, the whole term over the fields it may match, scored
//! by its best field, or a compound's parts together; phrases; the words a `prefix*` stands
//! for; and the optional proximity phrases of neighbouring words. A query with operators is
//! built node by node, each sequence of words as a query without operators is.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
};
use tantivy::schema::Field;

use super::asks::Asks;
use super::parse::{Clause, ParsedQuery, Polarity, Prefix, Scope};
use super::related::with_related;
use super::tree::Node;
use crate::analysis::QueryTerm;
use crate::index::Fields;
use crate::search::MatchMode;
use crate::search::bm25::{Bm25Params, Bm25TermQuery};

/// How much a match in each field counts. A title that names the topic says more than one
/// mention in a long body; BM25 already favours a short field, so the boost stays modest: with
/// larger title and author boosts, speeches by "Alexander Graf Lambsdorff" outrank the
/// paragraph about the "Graf von Melfi" (the retrieval evaluation in benches/README.md).
const TITLE_BOOST: f32 = 1.5;
const AUTHORS_BOOST: f32 = 1.0;
const INSTITUTIONS_BOOST: f32 = 1.5;
const BODY_BOOST: f32 = 1.0;

/// A word that matches in several fields scores as its best field plus this share of the
/// others (a disjunction max, as Lucene's and Elasticsearch's multi-field queries do). Summing
/// the fields instead counts a name three times, in title, authors and body, and a speech by
/// "Graf Lambsdorff" outranks the one paragraph that names the "Graf von Melfi". None of the
/// others: with any share of them, a speaker's name in title, authors and body still counts
/// more than once (benches/README.md, "Retrieval quality", compares the two).
const OTHER_FIELDS_TIE_BREAKER: f32 = 0.0;

/// How much a match of all parts of a compound counts, relative to the compound itself. Below
/// 1 so that documents with the exact compound rank above those with only its parts.
pub(super) const PARTS_BOOST: f32 = 0.6;

/// How much some of the parts of a compound count when a text lacks the others, relative to
/// the compound itself, for a word that may match or not: "NTL-Dienste" then finds the
/// paragraph that names "NTL", "Flüchtlingsintegration" a text on "Integration", below the
/// texts with the compound or all of its parts. Half the compound's weight keeps such a text
/// below those; the share is the best of those tried in the retrieval evaluation
/// (benches/README.md, "Retrieval quality").
pub(super) const SOME_PARTS_BOOST: f32 = 0.5;

/// How much two neighbouring query words near each other in a text count, relative to a word,
/// and how many other words may stand between them (or how far they may be swapped: tantivy
/// counts the slop as moves). Ten words is about a clause of German prose.
const PROXIMITY_BOOST: f32 = 0.4;
const PROXIMITY_SLOP: u32 = 10;

impl Scope {
    /// The fields a clause of this scope searches, with their boosts and BM25 parameters: the
    /// body's as the query `asks` (a question or a subject), the others tantivy's.
    pub(super) fn fields(self, fields: &Fields, asks: Asks) -> Vec<Searched> {
        let searched = |field, boost| Searched {
            field,
            boost,
            bm25: if field == fields.body {
                asks.body_bm25()
            } else {
                Bm25Params::TANTIVY
            },
        };
        match self {
            Scope::All => vec![
                searched(fields.title, TITLE_BOOST),
                searched(fields.body, BODY_BOOST),
                searched(fields.authors, AUTHORS_BOOST),
                searched(fields.institutions, INSTITUTIONS_BOOST),
            ],
            Scope::Title => vec![searched(fields.title, 1.0)],
            Scope::Text => vec![searched(fields.body, 1.0)],
            Scope::Authors => vec![searched(fields.authors, 1.0)],
            Scope::Institutions => vec![searched(fields.institutions, 1.0)],
        }
    }

    /// The fields a clause of this scope searches.
    pub(super) fn searched(self, fields: &Fields) -> Vec<Field> {
        self.fields(fields, Asks::Subject)
            .iter()
            .map(|s| s.field)
            .collect()
    }
}

/// A field a clause searches, how much a match there counts and how BM25 scores it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Searched {
    pub(super) field: Field,
    boost: f32,
    bm25: Bm25Params,
}

pub(super) fn term_query(searched: Searched, text: &str) -> Box<dyn Query> {
    let term = Term::from_field_text(searched.field, text);
    boosted(
        Box::new(Bm25TermQuery::new(term, searched.bm25)),
        searched.boost,
    )
}

pub(super) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

pub(super) fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

pub(super) fn all_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// A word in several fields: the best field's score, plus the share
/// [`OTHER_FIELDS_TIE_BREAKER`] of the others'.
pub(super) fn best_field(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        queries,
        OTHER_FIELDS_TIE_BREAKER,
    ))
}

/// One analyzed word in the given fields: the word itself or, for a compound, all of its parts
/// together, which count less. If the word is `optional`, a text with only some of the parts
/// matches too, at less again; the better of the two counts, so a text with the compound or all
/// of its parts scores as before. A word that must match still needs the compound or all of its
/// parts: "+Flüchtlingsintegration" is not about any text on "Integration".
pub(super) fn word_query(term: &QueryTerm, fields: &[Searched], optional: bool) -> Box<dyn Query> {
    let in_fields = |text: &str| best_field(fields.iter().map(|&f| term_query(f, text)).collect());
    let whole = in_fields(&term.term);
    if term.parts.is_empty() {
        return whole;
    }
    let parts = || term.parts.iter().map(|part| in_fields(part)).collect();
    let exact = any_of(vec![whole, boosted(all_of(parts()), PARTS_BOOST)]);
    if !optional {
        return exact;
    }
    Box::new(DisjunctionMaxQuery::new(vec![
        exact,
        boosted(any_of(parts()), SOME_PARTS_BOOST),
    ]))
}

pub(super) fn phrase_query(terms: &[QueryTerm], fields: &[Searched]) -> Box<dyn Query> {
    any_of(
        fields
            .iter()
            .map(|&Searched { field, boost, .. }| {
                let terms = terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i, Term::from_field_text(field, &t.term)))
                    .collect();
                boosted(Box::new(PhraseQuery::new_with_offset(terms)), boost)
            })
            .collect(),
    )
}

/// A `prefix*` in the given fields: in each field its best word, as a word in several fields
/// counts by its best field. A text that uses three of the words scores as one that uses the
/// best of them: a prefix stands for one word whose ending is left open. An excluded prefix
/// excludes every word it stands for; a prefix that stands for no word matches nothing.
fn prefix_query(prefix: &Prefix, fields: &[Searched], excluded: bool) -> Box<dyn Query> {
    if prefix.expansions.is_empty() {
        return Box::new(EmptyQuery);
    }
    let in_field = |searched: Searched| {
        prefix
            .expansions
            .iter()
            .map(move |word| term_query(searched, word))
    };
    if excluded {
        return any_of(fields.iter().flat_map(|&f| in_field(f)).collect());
    }
    best_field(
        fields
            .iter()
            .map(|&f| best_field(in_field(f).collect()))
            .collect(),
    )
}

fn clause_query(
    clause: &Clause,
    fields: &Fields,
    asks: Asks,
    mode: MatchMode,
) -> Vec<(Occur, Box<dyn Query>)> {
    let scope = clause.scope.fields(fields, asks);
    // A phrase and a prefix are one query each, which must, may or must not match.
    let occur = match (clause.polarity, mode) {
        (Polarity::Excluded, _) => Occur::MustNot,
        (Polarity::Required, _) | (_, MatchMode::All) => Occur::Must,
        _ => Occur::Should,
    };
    if let Some(prefix) = &clause.prefix {
        let excluded = clause.polarity == Polarity::Excluded;
        return vec![(occur, prefix_query(prefix, &scope, excluded))];
    }
    if clause.phrase {
        return vec![(occur, phrase_query(&clause.terms, &scope))];
    }
    clause
        .terms
        .iter()
        .enumerate()
        .map(|(i, term)| match (clause.polarity, mode) {
            // An excluded compound excludes the compound, not every text with its parts.
            (Polarity::Excluded, _) => (
                Occur::MustNot,
                any_of(scope.iter().map(|&f| term_query(f, &term.term)).collect()),
            ),
            (Polarity::Required, _) | (_, MatchMode::All) => {
                let word = word_query(term, &scope, false);
                (
                    Occur::Must,
                    with_related(word, clause, i, true, &scope, fields),
                )
            }
            (Polarity::Default, MatchMode::Any) => {
                let word = word_query(term, &scope, true);
                (
                    Occur::Should,
                    with_related(word, clause, i, false, &scope, fields),
                )
            }
        })
        .collect()
}

/// Extra credit for two neighbouring words of the query that stand near each other in a text:
/// "Graf von Melfi" is about the paragraph that says "Graf von Melfi", not the speech that says
/// "Graf" fifty times and "Melfi" once. Each pair of neighbouring query words (function words
/// dropped) is an optional phrase with slop over title and body, best field first, at a modest
/// weight, so that a text with both words far apart or only one of them still counts. A
/// heavier weight or a tighter slop gains less in the retrieval evaluation (benches/README.md,
/// "Retrieval quality"), and so does a lighter weight.
fn proximity_clauses(clauses: &[&Clause], fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
    let words: Vec<&QueryTerm> = clauses
        .iter()
        .filter(|c| !c.phrase && c.polarity != Polarity::Excluded && c.scope == Scope::All)
        .flat_map(|c| c.terms.iter())
        .collect();
    words
        .windows(2)
        .filter(|pair| pair[0].term != pair[1].term)
        .map(|pair| {
            let per_field = [(fields.title, TITLE_BOOST), (fields.body, BODY_BOOST)]
                .iter()
                .map(|&(field, field_boost)| {
                    let mut phrase = PhraseQuery::new(vec![
                        Term::from_field_text(field, &pair[0].term),
                        Term::from_field_text(field, &pair[1].term),
                    ]);
                    phrase.set_slop(PROXIMITY_SLOP);
                    boosted(Box::new(phrase), field_boost)
                })
                .collect();
            (
                Occur::Should,
                boosted(best_field(per_field), PROXIMITY_BOOST),
            )
        })
        .collect()
}

/// Builds the tantivy query for a parsed query.
pub(crate) fn build_query(
    parsed: &ParsedQuery,
    fields: &Fields,
    mode: MatchMode,
) -> Box<dyn Query> {
    node_query(&parsed.root, fields, parsed.asks, mode)
}

/// The query of one node of the tree, as a query of its own.
fn node_query(node: &Node, fields: &Fields, asks: Asks, mode: MatchMode) -> Box<dyn Query> {
    match node {
        Node::Seq(nodes) => sequence_query(nodes, fields, asks, mode),
        Node::Clause(_) => sequence_query(std::slice::from_ref(node), fields, asks, mode),
        // All of them must match, whatever the match mode: that is what AND says.
        Node::And(nodes) => sequence_query(nodes, fields, asks, MatchMode::All),
        Node::Or(nodes) => any_of(
            nodes
                .iter()
                .map(|n| node_query(n, fields, asks, mode))
                .collect(),
        ),
        Node::Not(node) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(tantivy::query::AllQuery)),
            (Occur::MustNot, node_query(node, fields, asks, mode)),
        ])),
        Node::Required(node) => node_query(node, fields, asks, mode),
    }
}

/// Nodes next to each other, combined by the match mode: each word and phrase as its
/// polarity and the mode say, each group as a word would be, with the proximity boosts of
/// the neighbouring words (a group or a `prefix*` between two words parts them). For a query
/// without operators, the nodes are its clauses, and this is the query built for it before
/// operators existed.
fn sequence_query(nodes: &[Node], fields: &Fields, asks: Asks, mode: MatchMode) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // Runs of neighbouring words, for the proximity boosts.
    let mut runs: Vec<Vec<&Clause>> = vec![Vec::new()];
    for node in nodes {
        let run = runs.last_mut().expect("one run at least");
        match node {
            Node::Clause(clause) if clause.prefix.is_none() => {
                clauses.extend(clause_query(clause, fields, asks, mode));
                run.push(clause);
                continue;
            }
            Node::Clause(clause) => clauses.extend(clause_query(clause, fields, asks, mode)),
            Node::Not(node) => clauses.push((Occur::MustNot, node_query(node, fields, asks, mode))),
            Node::Required(node) => {
                clauses.push((Occur::Must, node_query(node, fields, asks, mode)))
            }
            node => {
                let occur = match mode {
                    MatchMode::All => Occur::Must,
                    MatchMode::Any => Occur::Should,
                };
                clauses.push((occur, node_query(node, fields, asks, mode)));
            }
        }
        if !run.is_empty() {
            runs.push(Vec::new());
        }
    }
    for run in &runs {
        clauses.extend(proximity_clauses(run, fields));
    }
    if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
        // Only exclusions: everything but what is excluded.
        clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
    }
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_with(docs: &[(&str, &str, &str)]) -> (tempfile::TempDir, crate::Library) {
        let lines: String = docs
            .iter()
            .map(|(id, author, text)| {
                format!("{{\"id\": \"{id}\", \"authors\": [\"{author}\"], \"text\": \"{text}\"}}\n")
            })
            .collect();
        crate::search::query::library_of_lines(&lines)
    }

    fn any_ids(library: &crate::Library, query: &str) -> Vec<String> {
        let request = crate::SearchRequest::new(query).mode(MatchMode::Any);
        let results = library.search(&request).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn function_words_do_not_lift_an_author_named_in_der_beek() {
        let (_dir, library) = library_with(&[
            (
                "rede",
                "Olaf in der Beek",
                "Der Haushalt der Kommunen wird in der Krise knapp.",
            ),
            (
                "nfl",
                "",
                "Die Abwehr der Panthers gab nur wenige Punkte ab.",
            ),
        ]);
        let ids = any_ids(&library, "Wie viele Punkte gab die Abwehr der Panthers ab?");
        assert_eq!(ids, ["nfl"]);
    }

    #[test]
    fn a_name_in_title_authors_and_body_does_not_outweigh_a_rare_word() {
        let (_dir, library) = library_with(&[
            (
                "graf",
                "Alexander Graf Lambsdorff",
                "Danke, Graf Lambsdorff. Herr Graf, bitte.",
            ),
            ("melfi", "", "Er wurde Graf von Melfi und herrschte dort."),
        ]);
        assert_eq!(any_ids(&library, "Wer war der Graf von Melfi?")[0], "melfi");
    }

    #[test]
    fn a_word_scores_by_its_best_field_alone() {
        // "Melfi" scores more in the body than among the many authors named Melfi, so naming it
        // among the authors too adds nothing.
        let (_dir, library) = library_with(&[
            ("with", "Anna Melfi", "Der Graf von Melfi kam spät."),
            ("without", "Kurt Weber", "Der Graf von Melfi kam spät."),
            ("a", "Bruno Melfi", "Die Kommunen planen den Haushalt."),
            ("b", "Carla Melfi", "Der Bund fördert Sprachkurse."),
            ("c", "Dora Melfi", "Die Länder bauen Schulen."),
        ]);
        let request = crate::SearchRequest::new("Melfi").mode(MatchMode::Any);
        let hits = library.search(&request).unwrap().hits;
        let score = |id: &str| hits.iter().find(|h| h.id == id).unwrap().score;
        assert!(
            (score("with") - score("without")).abs() < 1e-6,
            "{} != {}",
            score("with"),
            score("without")
        );
    }

    #[test]
    fn neighbouring_query_words_near_each_other_rank_first() {
        // Both texts have both words once; the one with the words apart is a word shorter,
        // which BM25 alone would rank first.
        let (_dir, library) = library_with(&[
            (
                "far",
                "",
                "Der Graf kam. Es regnete lange im Land, die Ernte fiel aus, die Bauern hungerten in Melfi.",
            ),
            (
                "near",
                "",
                "Der Graf von Melfi kam spät. Es regnete lange im Land, die Ernte fiel aus, die Bauern hungerten.",
            ),
            ("a", "", "Die Kommunen planen den Haushalt."),
            ("b", "", "Der Bund fördert Sprachkurse."),
            ("c", "", "Die Länder bauen Schulen."),
        ]);
        assert_eq!(
            any_ids(&library, "Wer war der Graf von Melfi?"),
            ["near", "far"]
        );
    }

    #[test]
    fn an_optional_compound_also_finds_texts_with_some_of_its_parts() {
        let (_dir, library) = library_with(&[
            ("one", "", "Die Integration gelingt vor Ort in der Stadt."),
            ("whole", "", "Die Flüchtlingsintegration gelingt vor Ort."),
            ("none", "", "Die Kommunen planen den Haushalt."),
            (
                "parts",
                "",
                "Die Integration der Flüchtlinge gelingt vor Ort.",
            ),
        ]);
        // The compound first, then all of its parts, then one of them.
        assert_eq!(
            any_ids(&library, "Flüchtlingsintegration"),
            ["whole", "parts", "one"]
        );
        // A word that must match still needs the compound or all of its parts.
        let all = crate::SearchRequest::new("Flüchtlingsintegration").mode(MatchMode::All);
        let ids: Vec<String> = library
            .search(&all)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["whole", "parts"]);
    }

    fn ids(library: &crate::Library, query: &str, mode: MatchMode) -> Vec<String> {
        let request = crate::SearchRequest::new(query).mode(mode).limit(1000);
        let results = library.search(&request).unwrap();
        let mut ids: Vec<String> = results.hits.into_iter().map(|h| h.id).collect();
        ids.sort();
        ids
    }

    #[test]
    fn or_and_not_and_groups_find_what_they_say() {
        let (_dir, library) = library_with(&[
            ("asyl", "", "Das Asyl in der Stadt."),
            ("kita", "", "Die Kita im Dorf."),
            ("beide", "", "Asyl und Kita in der Stadt."),
            ("keins", "", "Bund und Land im Dorf."),
        ]);
        let cases: &[(&str, MatchMode, &[&str])] = &[
            ("Asyl OR Kita", MatchMode::All, &["asyl", "beide", "kita"]),
            ("Asyl AND Kita", MatchMode::All, &["beide"]),
            ("Asyl AND Kita", MatchMode::Any, &["beide"]),
            ("Asyl NOT Kita", MatchMode::All, &["asyl"]),
            ("NOT Asyl", MatchMode::All, &["keins", "kita"]),
            ("(Asyl OR Kita) Stadt", MatchMode::All, &["asyl", "beide"]),
            ("Stadt Asyl OR Kita", MatchMode::All, &["asyl", "beide"]),
            ("(Asyl OR Kita) NOT Stadt", MatchMode::All, &["kita"]),
            ("-(Asyl OR Kita)", MatchMode::All, &["keins"]),
            ("Asyl OR NOT Dorf", MatchMode::All, &["asyl", "beide"]),
            ("Bund OR Asyl AND Kita", MatchMode::All, &["beide", "keins"]),
            (
                "+(Asyl OR Kita) Dorf",
                MatchMode::Any,
                &["beide", "kita", "asyl"],
            ),
            ("(Asyl Kita) OR Land", MatchMode::All, &["beide", "keins"]),
            (
                "(Asyl Kita) OR Land",
                MatchMode::Any,
                &["asyl", "beide", "keins", "kita"],
            ),
        ];
        for &(query, mode, expected) in cases {
            let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            expected.sort();
            assert_eq!(ids(&library, query, mode), expected, "{query} ({mode:?})");
        }
    }

    #[test]
    fn a_prefix_finds_the_words_that_begin_with_it() {
        let (_dir, library) = library_with(&[
            ("kommunen", "", "Die Kommunen planen."),
            ("kommunal", "", "Die kommunale Verwaltung plant."),
            ("kommission", "", "Die Kommission plant."),
            ("kinder", "", "Die Kinder spielen."),
            ("garten", "", "Der Kindergarten spielt."),
            ("kindheit", "", "Eine Kindheit am Meer."),
        ]);
        let cases: &[(&str, &[&str])] = &[
            ("Kommun*", &["kommunal", "kommunen"]),
            ("Komm*", &["kommission", "kommunal", "kommunen"]),
            ("kommun* -Verwaltung", &["kommunen"]),
            (
                "Kommission OR Kommun*",
                &["kommission", "kommunal", "kommunen"],
            ),
            ("-Kommun* plant", &["kommission"]),
            // The word typed is found as the index holds it, stemmed: "Kinder" is "kind".
            ("Kinder*", &["garten", "kinder"]),
            ("Kindh*", &["kindheit"]),
            ("Zebra*", &[]),
            ("author:Kommun*", &[]),
        ];
        for &(query, expected) in cases {
            assert_eq!(ids(&library, query, MatchMode::All), expected, "{query}");
        }
    }

    #[test]
    fn a_prefix_stands_for_its_most_frequent_words_up_to_the_cap() {
        // 250 words used once and one used three times: the cap keeps the frequent one and the
        // first of the others in alphabetical order.
        let mut docs: Vec<(String, String)> = (0..250)
            .map(|i| (format!("d{i}"), format!("Das Wort zeta{i:03} steht hier.")))
            .collect();
        for i in 0..3 {
            docs.push((format!("z{i}"), "Das Wort zetaz steht hier.".to_string()));
        }
        let docs: Vec<(&str, &str, &str)> = docs
            .iter()
            .map(|(id, text)| (id.as_str(), "", text.as_str()))
            .collect();
        let (_dir, library) = library_with(&docs);
        let found = ids(&library, "zeta*", MatchMode::All);
        assert_eq!(found.len(), super::super::prefix::MAX_EXPANSIONS - 1 + 3);
        assert!(found.contains(&"z2".to_string()), "{found:?}");
        assert!(found.contains(&"d198".to_string()), "{found:?}");
        assert!(!found.contains(&"d199".to_string()), "{found:?}");
    }

    #[test]
    fn snippets_mark_the_words_a_prefix_matched() {
        let (_dir, library) = library_with(&[(
            "k",
            "",
            "Die Kommunen und die kommunale Verwaltung, nicht die Kommission.",
        )]);
        let request = crate::SearchRequest::new("Kommun*");
        let hit = &library.search(&request).unwrap().hits[0];
        assert_eq!(
            hit.snippet.render("[", "]"),
            "Die [Kommunen] und die [kommunale] Verwaltung, nicht die Kommission."
        );
        // Words under NOT are not marked.
        let request = crate::SearchRequest::new("Verwaltung NOT Kommun*");
        assert!(library.search(&request).unwrap().hits.is_empty());
        let request = crate::SearchRequest::new("Verwaltung NOT (Asyl OR Bund)");
        let hit = &library.search(&request).unwrap().hits[0];
        assert_eq!(
            hit.snippet.render("[", "]"),
            "Die Kommunen und die kommunale [Verwaltung], nicht die Kommission."
        );
    }
}
