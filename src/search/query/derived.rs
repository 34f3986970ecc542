//! Derived forms of a query word: the other words of its stem family that Snowball stems apart.
//!
//! Snowball removes inflection, not derivation, and not always all of the inflection:
//! "Zuwanderung" is "zuwander", "Zuwanderer" "zuwand", "Sprachkurs" "sprachkur" but
//! "Sprachkurse" "sprachkurs". A reader who types one means the others too, a little less.
//! Rather than learn a table, a handful of German word-formation rules make the candidates
//! from the typed word, and the index keeps those it holds (see [`super::related`]):
//!
//! - **inflection**: the word with the endings of the plural and the genitive (`-e`, `-en`,
//!   `-es`, `-n`, `-s`) and without them, which finds "Sprachkurse" for "Sprachkurs";
//! - **the `-ung` family**: the base of a noun in `-ung`, of an agent noun in `-er`/`-erin`
//!   or of a verb in `-en`/`-n`, with each of these endings: Zuwanderung ~ Zuwanderer ~
//!   Zuwanderin ~ zuwandern, Abschiebung ~ abschieben, Unterbringung ~ unterbringen;
//! - **the `-ation` family**: Latin nouns in `-ation` and their verbs in `-ieren`:
//!   Integration ~ integrieren ~ integriert.
//!
//! A base must keep [`MIN_BASE_CHARS`] letters, so short words whose endings are no suffixes
//! stay apart (Bund is no "Bünde" of a verb "bunden"; "Heim" has no family here, and "Heimat"
//! ends in no suffix the rules know). Words that happen to share a stem in Snowball itself
//! (Verein and vereinen both stem to "verein") are Snowball's, not these rules'.

/// The fewest letters the base of a derived form keeps, once its suffix is taken off: below
/// it, endings are more often part of the word than suffixes.
pub(crate) const MIN_BASE_CHARS: usize = 5;

/// The fewest letters a typed word needs to have derived forms looked up at all.
pub(crate) const MIN_WORD_CHARS: usize = 6;

/// Endings of the `-ung` family: taking off each that matches gives a base. The feminine
/// `-in` stands for itself too, as a base in `-er` drops the agent's `-er` before it
/// (Zuwanderer, Zuwanderin).
const UNG_FAMILY: &[&str] = &[
    "ungen", "erinnen", "innen", "ung", "erin", "in", "ern", "er", "en", "n",
];

/// Endings of the `-ation` family's verbs, longest first.
const IEREN_FAMILY: &[&str] = &["ierungen", "ierung", "ierten", "ierte", "ieren", "iert"];

/// How a candidate is related to the word typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derivation {
    /// Another inflected form of the same word.
    Inflected,
    /// Another word of the same stem family.
    Derived,
}

/// The candidate forms of `word` (as typed), lower-cased, with how each is related to it;
/// the word itself is not among them. Empty for a word that is not all letters or is shorter
/// than [`MIN_WORD_CHARS`]. Many candidates are no German words: the index keeps those it
/// holds.
pub(crate) fn candidates(word: &str) -> Vec<(String, Derivation)> {
    let word = word.to_lowercase();
    if word.chars().count() < MIN_WORD_CHARS || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let mut found: Vec<(String, Derivation)> = Vec::new();
    let mut push = |form: String, how: Derivation| {
        if form != word && !found.iter().any(|(f, _)| *f == form) {
            found.push((form, how));
        }
    };
    // Inflection: the endings of the plural and genitive added, and taken off.
    for ending in ["e", "en", "es", "s"] {
        push(format!("{word}{ending}"), Derivation::Inflected);
    }
    if word.ends_with('e') {
        push(format!("{word}n"), Derivation::Inflected);
    }
    for ending in ["en", "es", "e", "s"] {
        if let Some(stem) = base(&word, ending) {
            push(stem.to_string(), Derivation::Inflected);
        }
    }
    // The -ation family.
    if let Some(stem) = ["ationen", "ation"].iter().find_map(|e| base(&word, e)) {
        for ending in ["ieren", "iert", "ierte"] {
            push(format!("{stem}{ending}"), Derivation::Derived);
        }
    } else if let Some(stem) = IEREN_FAMILY.iter().find_map(|e| base(&word, e)) {
        for ending in ["ation", "ationen", "ieren", "iert"] {
            push(format!("{stem}{ending}"), Derivation::Derived);
        }
    }
    // The -ung family.
    for stem in UNG_FAMILY.iter().filter_map(|e| base(&word, e)) {
        let verb = if stem.ends_with("er") || stem.ends_with("el") {
            "n"
        } else {
            "en"
        };
        for ending in ["ung", "ungen", "er", "erin", verb] {
            push(format!("{stem}{ending}"), Derivation::Derived);
        }
    }
    found
}

/// `word` without `ending`, if it ends with it and keeps [`MIN_BASE_CHARS`] letters.
fn base<'a>(word: &'a str, ending: &str) -> Option<&'a str> {
    word.strip_suffix(ending)
        .filter(|stem| stem.chars().count() >= MIN_BASE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_query;

    /// The analyzed terms of the candidates of `word` other than its own term: what the index
    /// is asked for.
    fn derived_terms(word: &str) -> Vec<String> {
        let own = analyze_query(word).remove(0).term;
        let mut terms: Vec<String> = candidates(word)
            .into_iter()
            .flat_map(|(form, _)| analyze_query(&form))
            .map(|t| t.term)
            .filter(|t| *t != own)
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }

    fn term(word: &str) -> String {
        analyze_query(word).remove(0).term
    }

    #[test]
    fn words_of_one_stem_family_meet() {
        let meet: &[(&str, &[&str])] = &[
            ("Zuwanderung", &["Zuwanderer", "zuwandern"]),
            ("Zuwanderer", &["Zuwanderung", "zuwandern"]),
            ("Zuwanderin", &["Zuwanderung"]),
            ("zuwandern", &["Zuwanderung", "Zuwanderer"]),
            ("Abschiebung", &["abschieben", "Abschiebungen"]),
            ("abschieben", &["Abschiebung"]),
            ("Integration", &["integrieren", "integriert"]),
            ("integrieren", &["Integration"]),
            ("Unterbringung", &["unterbringen"]),
            ("Sprachkurs", &["Sprachkurse"]),
            ("Sprachkurse", &["Sprachkurs"]),
        ];
        for &(word, others) in meet {
            let derived = derived_terms(word);
            for other in others {
                let other_term = term(other);
                assert!(
                    other_term == term(word) || derived.contains(&other_term),
                    "{word} should meet {other} ({other_term}): {derived:?}"
                );
            }
        }
    }

    #[test]
    fn words_that_only_look_alike_stay_apart() {
        let apart: &[(&str, &str)] = &[
            ("Heim", "Heimat"),
            ("Heimat", "Heim"),
            ("Bund", "Bünde"),
            ("Bund", "Bundes"),
            ("Verein", "Vereinigung"),
            ("Verein", "Vereinbarung"),
            ("Rat", "Rate"),
            ("Arbeit", "Arbeiter"),
            ("Kindergarten", "Kinder"),
        ];
        for &(word, other) in apart {
            let derived = derived_terms(word);
            assert!(
                !derived.contains(&term(other)),
                "{word} must not meet {other}: {derived:?}"
            );
        }
    }

    #[test]
    fn short_words_and_words_with_other_characters_have_no_candidates() {
        for word in ["Asyl", "Kita", "EU-Asyl", "Migrant*innen", "2015er", ""] {
            assert_eq!(candidates(word), [], "{word}");
        }
    }

    #[test]
    fn candidates_say_how_they_are_related() {
        let found = candidates("Zuwanderung");
        assert!(found.contains(&("zuwanderungen".to_string(), Derivation::Inflected)));
        assert!(found.contains(&("zuwanderer".to_string(), Derivation::Derived)));
        assert!(found.contains(&("zuwandern".to_string(), Derivation::Derived)));
    }

    proptest::proptest! {
        #[test]
        fn no_word_makes_it_panic_and_no_candidate_is_the_word(word in "\\PC{0,24}") {
            for (form, _) in candidates(&word) {
                proptest::prop_assert_ne!(form, word.to_lowercase());
            }
        }
    }
}
