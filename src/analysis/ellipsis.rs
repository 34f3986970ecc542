//! Completes elliptical coordinations: "Sprach- und Integrationskursen" also indexes
//! "sprachkursen", "Stadt- oder Ortsteile" also "stadtteile".
//!
//! German leaves out the shared head of coordinated compounds and marks the gap with a hyphen.
//! The [`WordTokenizer`](super::WordTokenizer) keeps that hyphen at the end of the token text;
//! this step removes it and, looking ahead past conjunctions and further truncated words
//! ("Bundes-, Landes- und Kommunalebene"), adds the truncated word joined with the last part of
//! the completing compound, at the position and with the offsets of the truncated word.
//!
//! It runs after decompounding, whose last part of the completing word is the shared head, and
//! before stemming, so that the completed word is stemmed as a whole. Over one word the step
//! removes the mark and notes whether the word was truncated or is a conjunction; the [`GermanAnalyzer`](super::GermanAnalyzer), which
//! sees the words in order, joins them (see its `complete_coordination`) and runs the steps
//! after this one over the joined word.

use super::chain::Word;

/// How many words after a truncated word the completing compound may come.
pub(crate) const MAX_LOOKAHEAD_WORDS: usize = 6;

/// Words that join a truncated word to the next one.
pub(crate) fn is_conjunction(word: &str) -> bool {
    matches!(
        word,
        "und" | "oder" | "sowie" | "bzw" | "beziehungsweise" | "bis" | "als" | "noch" | "wie"
    )
}

/// The ellipsis step over one word: removes the truncation mark of its whole and notes what
/// completion needs; see the [module documentation](self).
pub(crate) fn drop_mark(word: &mut Word) {
    let Some(whole) = word.tokens.first_mut() else {
        return;
    };
    if whole.text.ends_with('-') {
        whole.text.pop();
        word.truncated = true;
    }
    word.conjunction = is_conjunction(&whole.text);
}

#[cfg(test)]
mod tests {
    use crate::analysis::chain::{INDEX_TIME, QUERY_TIME, Step};
    use crate::analysis::{GermanAnalyzer, testing::assert_tokens};
    use tantivy::tokenizer::Tokenizer;

    /// Checks text, offsets and position of every token of the chain up to this step.
    fn check(complete: bool, text: &str, expected: &[(&str, usize, usize, usize)]) {
        let chain = if complete { INDEX_TIME } else { QUERY_TIME };
        let mut analyzer = GermanAnalyzer::new(chain.before(Step::Stem));
        let mut stream = analyzer.token_stream(text);
        assert_tokens(&mut stream, text, expected);
    }

    #[test]
    fn completes_sprach_und_integrationskursen() {
        check(
            true,
            "Sprach- und Integrationskursen",
            &[
                ("sprach", 0, 6, 0),
                ("sprachkursen", 0, 6, 0),
                ("und", 8, 11, 1),
                ("integrationskursen", 12, 30, 2),
                ("integration", 12, 23, 2),
                ("kursen", 24, 30, 2),
            ],
        );
    }

    #[test]
    fn completes_stadt_oder_ortsteile() {
        check(
            true,
            "Stadt- oder Ortsteile",
            &[
                ("stadt", 0, 5, 0),
                ("stadtteile", 0, 5, 0),
                ("oder", 7, 11, 1),
                ("ortsteile", 12, 21, 2),
                ("ort", 12, 15, 2),
                ("teile", 16, 21, 2),
            ],
        );
    }

    #[test]
    fn completes_every_word_of_a_list() {
        check(
            true,
            "Bundes-, Landes- und Kommunalebene",
            &[
                ("bundes", 0, 6, 0),
                ("bundesebene", 0, 6, 0),
                ("landes", 9, 15, 1),
                ("landesebene", 9, 15, 1),
                ("und", 17, 20, 2),
                ("kommunalebene", 21, 34, 3),
                ("kommunalen", 21, 29, 3),
                ("ebene", 29, 34, 3),
            ],
        );
    }

    #[test]
    fn leaves_truncated_word_without_compound_alone() {
        check(
            true,
            "Ein- und Ausreise",
            &[("ein", 0, 3, 0), ("und", 5, 8, 1), ("ausreise", 9, 17, 2)],
        );
        check(true, "Sprach-", &[("sprach", 0, 6, 0)]);
    }

    #[test]
    fn only_removes_the_mark_for_queries() {
        check(
            false,
            "Sprach- und Integrationskursen",
            &[
                ("sprach", 0, 6, 0),
                ("und", 8, 11, 1),
                ("integrationskursen", 12, 30, 2),
                ("integration", 12, 23, 2),
                ("kursen", 24, 30, 2),
            ],
        );
    }
}
