//! The German analyzer: text in, search terms out.
//!
//! The same chain of steps runs at index time (over titles and bodies) and at query time, so a
//! word typed by the user meets the words of the texts. The steps are listed once, in
//! [`chain`], each defined in its own file:
//!
//! 1. [`tokenize`]: Unicode word segmentation, keeping hyphenated compounds ("EU-Asylreform")
//!    and gender forms ("Migrant*innen") together and marking truncated words ("Sprach-").
//! 2. [`gender`]: gender-inclusive and feminine forms fold onto the base form.
//! 3. [`normalize`]: lowercase; fold umlauts, their transliterations and ß.
//! 4. [`decompound`]: compounds are also indexed as their parts, at the same position.
//! 5. [`ellipsis`]: "Sprach- und Integrationskurse" also indexes "sprachkurse".
//! 6. [`stem`]: Snowball German.
//!
//! The [`GermanAnalyzer`] runs a [`Chain`] of steps 2 to 6 over the words of the tokenizer and
//! remembers what it made of each word (`cache.rs`), since the steps depend on nothing but the
//! word (ellipsis completion aside, which the analyzer does across words). [`WordSteps`] runs
//! the same steps as a tantivy token filter after another tokenizer.
//!
//! [`inspect`] shows what the chain makes of a text, word by word (`integra analyze`), and
//! [`terms`] gives the terms alone, as another engine's whitespace tokenizer would take them.
//!
//! Offsets always point into the original text, so snippets highlight what the reader sees; a
//! part points at its own letters inside the compound.

mod analyzer;
mod cache;
pub mod chain;
mod choice;
pub mod decompound;
pub mod ellipsis;
mod filter;
pub mod gender;
mod inspect;
pub mod normalize;
mod pool;
mod query;
mod snowball;
pub mod stem;
pub mod tokenize;

pub use analyzer::{GermanAnalyzer, GermanTokenStream};
pub use chain::{
    Chain, INDEX_TIME, INDEX_TIME_WITHOUT_DECOMPOUNDING, Piece, QUERY_TIME,
    QUERY_TIME_WITHOUT_DECOMPOUNDING, Scratch, Step, Word,
};
pub(crate) use choice::Analysis;
pub use choice::AnalyzerChoice;
#[doc(hidden)]
pub use decompound::lexicon::header as lexicon_header;
#[doc(hidden)]
pub use decompound::lexicon::write_splits as write_lexicon_splits;
#[doc(hidden)]
pub use decompound::{parts_for_lexicon, splits_without_lexicon_flags};
pub use filter::{WordSteps, WordStepsFilter, WordStepsStream};
pub use inspect::{AnalyzedTerm, AnalyzedWord, Side, TermKind, inspect, terms};
pub(crate) use pool::AnalyzerPool;
pub(crate) use query::analyze_query_with;
pub use query::{QueryTerm, analyze_query};
pub use tokenize::WordTokenizer;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

/// The name under which the German analyzer is registered with the index.
pub const ANALYZER_NAME: &str = "integra_de";

/// Bumped whenever the analyzer produces different terms for the same text: an index built by
/// another version must be rebuilt, never searched with a mix of two analyzers.
pub const ANALYZER_VERSION: u32 = 3;

/// Tokens longer than this (in bytes) are dropped: they are not words (URLs, hashes), and tantivy
/// limits the length of a term.
const MAX_TOKEN_BYTES: usize = 100;

/// The analyzer used at index time: [`INDEX_TIME`], its words shared by its copies.
pub fn index_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(GermanAnalyzer::new(INDEX_TIME))
}

/// The query-time chain of [`analyze_query`], its words shared by its copies: for a library
/// that analyzes queries search after search.
pub(crate) fn shared_query_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(GermanAnalyzer::new(QUERY_TIME))
}

/// The index-time chain with hyphen splitting in place of decompounding: the baseline that
/// measures what splitting compounds with the lexicon is worth (`integra eval xquad
/// --no-decompound`).
pub fn analyzer_without_decompounding() -> TextAnalyzer {
    TextAnalyzer::from(GermanAnalyzer::new(INDEX_TIME_WITHOUT_DECOMPOUNDING))
}

/// The query-time chain of [`analyzer_without_decompounding`], as [`analyze_query`] is to the
/// index-time chain: truncated words are marked, not completed.
pub fn query_analyzer_without_decompounding() -> TextAnalyzer {
    TextAnalyzer::from(GermanAnalyzer::unshared(QUERY_TIME_WITHOUT_DECOMPOUNDING))
}

/// Registers the German analyzer with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(ANALYZER_NAME, index_analyzer());
}

/// Helpers for the analyzer's table tests.
#[cfg(test)]
pub(crate) mod testing {
    use tantivy::tokenizer::TokenStream;

    /// Every token `stream` yields, as (text, offset_from, offset_to, position).
    pub(crate) fn all_tokens(stream: &mut dyn TokenStream) -> Vec<(String, usize, usize, usize)> {
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            tokens.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        tokens
    }

    /// Asserts that `stream`, made from `text`, yields exactly the `expected` tokens as
    /// (text, offset_from, offset_to, position).
    pub(crate) fn assert_tokens(
        stream: &mut dyn TokenStream,
        text: &str,
        expected: &[(&str, usize, usize, usize)],
    ) {
        let got = all_tokens(stream);
        let expected: Vec<_> = expected
            .iter()
            .map(|&(s, from, to, pos)| (s.to_string(), from, to, pos))
            .collect();
        assert_eq!(got, expected, "tokens of {text:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// All tokens of the index-time chain: text, offsets, position.
    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        testing::all_tokens(&mut index_analyzer().token_stream(text))
    }

    /// The analyzed whole word, as a query sees it.
    fn term(word: &str) -> String {
        let terms = analyze_query(word);
        assert_eq!(terms.len(), 1, "{word} is one word: {terms:?}");
        terms[0].term.clone()
    }

    #[test]
    fn analyzes_german_text() {
        type Expected<'a> = &'a [(&'a str, usize, usize, usize)];
        let cases: &[(&str, Expected)] = &[
            (
                "Flüchtlingsintegration",
                &[
                    ("fluchtlingsintegration", 0, 23, 0),
                    ("fluchtling", 0, 11, 0),
                    ("integration", 12, 23, 0),
                ],
            ),
            (
                "Sprach- und Integrationskursen",
                &[
                    ("sprach", 0, 6, 0),
                    ("sprachkurs", 0, 6, 0),
                    ("und", 8, 11, 1),
                    ("integrationskurs", 12, 30, 2),
                    ("integration", 12, 23, 2),
                    ("kurs", 24, 30, 2),
                ],
            ),
            (
                "Migrant*innen in Städten",
                &[
                    ("migrant", 0, 13, 0),
                    ("in", 14, 16, 1),
                    ("stadt", 17, 25, 2),
                ],
            ),
            ("Straße", &[("strass", 0, 7, 0)]),
            ("16.430 e.V.", &[("16.430", 0, 6, 0), ("e.v", 7, 10, 1)]),
            (
                "Flüchtlinge_Deutschkurs",
                &[
                    ("fluchtling", 0, 12, 0),
                    ("deutschkur", 13, 24, 1),
                    ("deutsch", 13, 20, 1),
                    ("kur", 20, 24, 1),
                ],
            ),
        ];
        for (text, expected) in cases {
            let expected: Vec<_> = expected
                .iter()
                .map(|&(s, from, to, pos)| (s.to_string(), from, to, pos))
                .collect();
            assert_eq!(tokens(text), expected, "tokens of {text:?}");
        }
    }

    #[test]
    fn meets_three_spellings_of_fluechtlinge() {
        assert_eq!(term("Flüchtlinge"), term("Fluechtlinge"));
        assert_eq!(term("Flüchtlinge"), term("Fluchtlinge"));
        assert_eq!(term("Straße"), term("Strasse"));
        assert_eq!(term("Geflüchtete"), term("Gefluechtete"));
    }

    #[test]
    fn meets_gender_forms() {
        let groups: &[&[&str]] = &[
            &[
                "Migrant:innen",
                "Migrant*innen",
                "Migrant_innen",
                "MigrantInnen",
                "Migrantinnen",
                "Migranten",
                "Migrant",
                "Migrantin",
            ],
            &[
                "Akteur_innen",
                "Akteur*innen",
                "Akteurinnen",
                "Akteure",
                "Akteur",
            ],
            &[
                "Bürger*innen",
                "Bürger:innen",
                "BürgerInnen",
                "Bürgerinnen",
                "Bürger",
            ],
        ];
        for group in groups {
            for word in *group {
                assert_eq!(term(word), term(group[0]), "{word}");
            }
        }
    }

    #[test]
    fn gives_query_compounds_their_parts() {
        let terms = analyze_query("Flüchtlingsintegration");
        assert_eq!(
            terms,
            [QueryTerm {
                term: "fluchtlingsintegration".into(),
                parts: vec!["fluchtling".into(), "integration".into()],
                offset_from: 0,
                offset_to: 23,
            }]
        );
        let terms = analyze_query("Integration in Arbeitsmarkt");
        assert_eq!(terms.len(), 3);
        assert!(terms[0].parts.is_empty());
        assert_eq!(terms[2].parts, ["arbeit", "markt"]);
        let terms = analyze_query("Sprach- und Integrationskurse");
        assert_eq!(terms[0].term, "sprach");
        assert!(terms[0].parts.is_empty());
        assert_eq!(
            analyze_query("EU-Asylreform")[0].parts,
            ["eu", "asyl", "reform"]
        );
        assert!(analyze_query("").is_empty());
        assert!(analyze_query(" ,;- ").is_empty());
    }

    #[test]
    fn the_baseline_without_decompounding_splits_at_hyphens_only() {
        let text = "EU-Asylreform und Flüchtlingsintegration, Sprach- und Integrationskurse";
        let baseline =
            testing::all_tokens(&mut analyzer_without_decompounding().token_stream(text));
        let texts: Vec<&str> = baseline.iter().map(|(t, ..)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "euasylreform",
                "eu",
                "asylreform",
                "und",
                "fluchtlingsintegration",
                // Completing "Sprach-" takes the last part of "Integrationskurse", which only
                // the lexicon finds.
                "sprach",
                "und",
                "integrationskurs",
            ]
        );
        // The parts of "EU-Asylreform" at its position, each with the offsets of its piece.
        assert_eq!(baseline[1], ("eu".into(), 0, 2, 0));
        assert_eq!(baseline[2], ("asylreform".into(), 3, 13, 0));
        // Queries meet the same terms, with the hyphen parts as the parts of the whole.
        let terms = analyze_query_with(&mut query_analyzer_without_decompounding(), text);
        let terms: Vec<(&str, Vec<&str>)> = terms
            .iter()
            .map(|t| {
                (
                    t.term.as_str(),
                    t.parts.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            terms,
            [
                ("euasylreform", vec!["eu", "asylreform"]),
                ("und", vec![]),
                ("fluchtlingsintegration", vec![]),
                ("sprach", vec![]),
                ("und", vec![]),
                ("integrationskurs", vec![]),
            ]
        );
    }
    /// The highlighter marks every token whose text is the query term or one of its parts.
    fn highlights(query: &str, text: &str) -> Vec<String> {
        let query = analyze_query(query);
        tokens(text)
            .into_iter()
            .filter(|(t, ..)| query.iter().any(|q| q.term == *t || q.parts.contains(t)))
            .map(|(_, from, to, _)| text[from..to].to_string())
            .collect()
    }

    #[test]
    fn highlights_parts_and_spellings() {
        assert_eq!(
            highlights("Integration", "Die Flüchtlingsintegration"),
            ["integration"]
        );
        assert_eq!(
            highlights("Fluechtlinge", "Flüchtlinge und Flüchtlingsintegration"),
            ["Flüchtlinge", "Flüchtling"]
        );
        // The completed "Stadtteile" matches the term, "Stadt" and "teile" match parts.
        assert_eq!(
            highlights("Stadtteile", "Stadt- oder Ortsteile"),
            ["Stadt", "Stadt", "teile"]
        );
    }

    /// Snippets of the seed corpus (corpus/000..004), one per document, with the word forms
    /// the seed queries (eval/seed-queries.tsv) must find.
    const SEED_DOCUMENTS: [&str; 5] = [
        "Geflüchteter; Integrationsarbeit. Asylpolitik; die Jugendämter; Unterbringung; \
         Willkommensbewegung; Migrationshintergrund; in den Städten",
        "Geflüchteten und Integrationsarbeit in die Städte",
        "Integrationsarbeit; Großstädte und Kleinstädte; Unionsbürgerinnen; \
         Deutschsprachförderung; Wohnunterbringung; Integrationspolitik; Verwaltungen; \
         Migrationshintergrund",
        "Geflüchteten; Arbeitsmarktintegration; Integrationspolitik; Verwaltung; Cities of \
         Migration; in Städten",
        "Geflüchteten, Städte, Kommunalverwaltung, Zusammenarbeit, Flüchtlingspolitik, \
         Willkommenskultur",
    ];

    /// Whether a document matches every word of the query, by its term or all its parts.
    fn matches(query: &str, document: &str) -> bool {
        let terms: Vec<String> = tokens(document).into_iter().map(|(t, ..)| t).collect();
        analyze_query(query).iter().all(|q| {
            terms.contains(&q.term)
                || !q.parts.is_empty() && q.parts.iter().all(|p| terms.contains(p))
        })
    }

    #[test]
    fn finds_seed_queries_in_seed_corpus() {
        let queries: &[(&str, &[usize])] = &[
            ("Arbeit", &[0, 1, 2, 3, 4]),
            ("Integrationsarbeit", &[0, 1, 2]),
            ("Geflüchtete", &[0, 1, 3, 4]),
            ("Gefluechtete", &[0, 1, 3, 4]),
            ("Unterbringung", &[0, 2]),
            ("Jugendämter", &[0]),
            ("Jugendamt", &[0]),
            ("Politik", &[0, 2, 3, 4]),
            ("Verwaltung", &[2, 3, 4]),
            ("Willkommen", &[0, 4]),
            ("Kommunalverwaltung", &[4]),
            ("Cities of Migration", &[3]),
            ("Migrationshintergrund", &[0, 2]),
            ("Bürgerinnen", &[2]),
            ("Flüchtlingspolitik", &[4]),
            ("Sprachförderung", &[2]),
            ("Stadt", &[0, 1, 2, 3, 4]),
        ];
        for (query, expected) in queries {
            let found: Vec<usize> = (0..SEED_DOCUMENTS.len())
                .filter(|&i| matches(query, SEED_DOCUMENTS[i]))
                .collect();
            for doc in *expected {
                assert!(
                    found.contains(doc),
                    "{query:?} misses document {doc}: {found:?}"
                );
            }
        }
    }

    /// Checks that every token has a non-empty range on char boundaries of `text`.
    fn assert_offsets_valid(text: &str) {
        for (token, from, to, _) in tokens(text) {
            assert!(from < to && to <= text.len(), "{token:?} {from}..{to}");
            assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
            assert!(!token.is_empty());
        }
        for q in analyze_query(text) {
            assert!(q.offset_from < q.offset_to && q.offset_to <= text.len());
            assert!(text.is_char_boundary(q.offset_from) && text.is_char_boundary(q.offset_to));
        }
    }

    #[test]
    fn keeps_offsets_valid_on_odd_input() {
        for text in [
            "",
            "-",
            "- - -",
            "Sprach-",
            "Sprach- und",
            "a-",
            "*innen",
            "_innen",
            "Innen",
            "ẞ",
            "İstanbul-Flüchtlingsintegration",
            "Flüchtlings\u{0308}integration",
            "u\u{0308}berall",
            "Fluechtlings-",
            &"Flüchtlingsintegration".repeat(30),
            &"Ab-".repeat(200),
        ] {
            assert_offsets_valid(text);
        }
    }

    /// All tokens of `analyzer` over `text`: text, offsets, position, position length.
    fn all_tokens(
        analyzer: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<(String, usize, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            tokens.push((
                t.text.clone(),
                t.offset_from,
                t.offset_to,
                t.position,
                t.position_length,
            ));
        }
        tokens
    }

    /// Checks that remembered words give the tokens of words analyzed afresh, for texts seen
    /// for the first time and again, by an analyzer and by a copy that shares its words; and
    /// that the query chain gives the same tokens through the [`WordSteps`] filter.
    fn assert_cache_matches_fresh_analysis(texts: &[&str]) {
        for chain in [INDEX_TIME, QUERY_TIME, INDEX_TIME_WITHOUT_DECOMPOUNDING] {
            let mut cached = TextAnalyzer::from(GermanAnalyzer::new(chain));
            for _ in 0..2 {
                for text in texts {
                    let mut fresh = TextAnalyzer::from(GermanAnalyzer::unshared(chain));
                    let expected = all_tokens(&mut fresh, text);
                    assert_eq!(all_tokens(&mut cached, text), expected, "{text:?}");
                    let mut copy = cached.clone();
                    assert_eq!(all_tokens(&mut copy, text), expected, "{text:?}");
                }
            }
        }
        let mut filtered = TextAnalyzer::builder(WordTokenizer::default())
            .filter(tantivy::tokenizer::RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(WordSteps::new(QUERY_TIME))
            .build();
        for text in texts {
            let mut analyzer = TextAnalyzer::from(GermanAnalyzer::unshared(QUERY_TIME));
            assert_eq!(
                all_tokens(&mut filtered, text),
                all_tokens(&mut analyzer, text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn remembered_words_give_the_tokens_of_a_fresh_analysis() {
        assert_cache_matches_fresh_analysis(&[
            "Sprach- und Integrationskursen für Sprach- und Integrationskurse",
            "Bundes-, Landes- und Kommunalebene; Bundes- oder Landes-",
            "Stadt- oder Ortsteile und Stadt- und und und und und und und Ortsteile",
            "Ein- und Ausreise, Ein- bis Ausreise, Sprach-",
            "Migrant*innen- und Flüchtlingsberatung, Lehrer/-innen, Bürger*in- und",
            "EU-Asylreform und EU- oder Asylreform, Friedrich-Ebert-Stiftung",
            "Die Flüchtlingsintegration der Fluechtlinge in Großstädten; 16.430 e.V.",
            "Sprach- und",
            "und Sprach-",
            "",
        ]);
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_offsets_on_char_boundaries(text in "\\PC{0,200}") {
            assert_offsets_valid(&text);
        }

        #[test]
        fn handles_german_like_text(
            text in "([A-ZÄÖÜa-zäöüß]{1,30}[-_*:/ .,]{0,2}(innen|in|und|oder)?[ -]?){0,12}"
        ) {
            assert_offsets_valid(&text);
            assert_cache_matches_fresh_analysis(&[&text]);
        }

        #[test]
        fn handles_any_chars(chars in proptest::collection::vec(any::<char>(), 0..300)) {
            let text: String = chars.into_iter().collect();
            assert_offsets_valid(&text);
            assert_cache_matches_fresh_analysis(&[&text]);
        }
    }
}
