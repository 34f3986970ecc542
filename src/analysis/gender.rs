//! Folds gender-inclusive forms onto the base form, so that "Migrant:innen", "Migrant*innen",
//! "Migrant_innen", "MigrantInnen", "Migrantinnen", "Migranten" and "Migrant" meet.
//!
//! A search for migrants means migrants of every gender; the texts use all these spellings side
//! by side, often within one document. The feminine suffix is removed, and the stemmer then
//! meets the base form and its plural ("Migrant", "Migranten" → "migrant").
//!
//! This step runs before lowercasing: the "Binnen-I" ("MigrantInnen") is only visible in the
//! case of the letters.

use super::chain::{Scratch, Word};
use super::tokenize::starts_with_gender_suffix;

/// The gender step: folds every token of `word`; see the [module documentation](self).
pub(crate) fn fold(word: &mut Word, scratch: &mut Scratch) {
    for token in &mut word.tokens {
        if fold_gender_into(&token.text, &mut scratch.buffer) {
            std::mem::swap(&mut token.text, &mut scratch.buffer);
        }
    }
}

/// Endings of the masculine nouns for persons whose feminine form adds "-in" / "-innen" without
/// any marker: Bürger-in, Migrant-in, Student-in, Akteur-in, Jurist-in, Kandidat-in, Autor-in,
/// Doktorand-in, Notar-in, Pädagog-in, Kolleg-in. The list keeps the unmarked rule from eating
/// the "-in" of "Termin", "Medizin", "Berlin" or "Benzin", or the "-innen" of "gewinnen".
const PERSON_ENDINGS: [&str; 10] = [
    "er", "ant", "ent", "eur", "ist", "at", "or", "and", "ar", "og",
];

/// The length of `word` without an unmarked feminine suffix ("Bürgerinnen" → "Bürger"), if it
/// has one. Letters are compared ignoring ASCII case, so "BÜRGERINNEN" folds as well.
pub(crate) fn strip_feminine(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let ends_with = |suffix: &[u8]| {
        bytes.len() >= suffix.len()
            && bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let base = if ends_with(b"innen") {
        bytes.len() - 5
    } else if ends_with(b"in") {
        bytes.len() - 2
    } else {
        return None;
    };
    let stem = &bytes[..base];
    // Four letters at least: "Autor" but not "Plat-in" or "Gew-innen".
    let long_enough = word[..base].chars().count() >= 4;
    let person = PERSON_ENDINGS.iter().any(|ending| {
        stem.len() >= ending.len()
            && stem[stem.len() - ending.len()..].eq_ignore_ascii_case(ending.as_bytes())
    });
    (long_enough && person).then_some(base)
}

/// Writes `word` with its gender-inclusive and feminine suffixes removed into `out`, and
/// returns whether anything was removed (otherwise `out` is left in an unspecified state).
pub fn fold_gender_into(word: &str, out: &mut String) -> bool {
    // Most words have no marker and no inner capital I: only the unmarked suffix can apply.
    let marked = word
        .bytes()
        .enumerate()
        .any(|(i, b)| matches!(b, b'*' | b':' | b'_' | b'/' | 0xB7) || b == b'I' && i > 0);
    if !marked {
        let Some(base) = strip_feminine(word) else {
            return false;
        };
        out.clear();
        out.push_str(&word[..base]);
        return true;
    }
    out.clear();
    let mut changed = false;
    let mut rest = word;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        // A marker ("*", ":", "_", "/", "/-", "·") followed by "in" or "innen".
        if matches!(c, '*' | ':' | '_' | '/' | '·') && previous.is_some_and(char::is_alphanumeric)
        {
            let suffix = after.strip_prefix('-').unwrap_or(after);
            if starts_with_gender_suffix(suffix) {
                let len = if suffix.starts_with("innen") { 5 } else { 2 };
                rest = &suffix[len..];
                changed = true;
                continue;
            }
        }
        // The Binnen-I: a capital I after a lowercase letter ("MigrantInnen", "BürgerIn").
        if c == 'I' && previous.is_some_and(char::is_lowercase) {
            if let Some(tail) = after.strip_prefix("nnen") {
                rest = tail;
                changed = true;
                continue;
            }
            if let Some(tail) = after.strip_prefix('n')
                && !tail.starts_with(char::is_lowercase)
            {
                rest = tail;
                changed = true;
                continue;
            }
        }
        out.push(c);
        previous = Some(c);
        rest = after;
    }
    // The unmarked feminine, at the end of the word: "Migrantinnen", "Bürgerin".
    if !changed {
        let Some(base) = strip_feminine(word) else {
            return false;
        };
        out.clear();
        out.push_str(&word[..base]);
        return true;
    }
    if let Some(base) = strip_feminine(out) {
        out.truncate(base);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(word: &str) -> String {
        let mut out = String::new();
        if fold_gender_into(word, &mut out) {
            out
        } else {
            word.to_string()
        }
    }

    #[test]
    fn folds_gender_forms() {
        let cases = [
            ("Migrant:innen", "Migrant"),
            ("Migrant*innen", "Migrant"),
            ("Migrant_innen", "Migrant"),
            ("MigrantInnen", "Migrant"),
            ("Migrantinnen", "Migrant"),
            ("Migrantin", "Migrant"),
            ("Migranten", "Migranten"),
            ("Migrant", "Migrant"),
            ("Akteur_innen", "Akteur"),
            ("Akteurinnen", "Akteur"),
            ("Bürger*innen", "Bürger"),
            ("BürgerIn", "Bürger"),
            ("Bürgerinnen", "Bürger"),
            ("BÜRGERINNEN", "BÜRGER"),
            ("Unionsbürgerinnen", "Unionsbürger"),
            ("Lehrer/-innen", "Lehrer"),
            ("Migrant*innenberatung", "Migrantberatung"),
            ("MigrantInnenberatung", "Migrantberatung"),
            ("Kolleg*innen", "Kolleg"),
            ("Pädagoginnen", "Pädagog"),
            ("_innen", "_innen"),
            ("*in", "*in"),
        ];
        for (word, expected) in cases {
            assert_eq!(fold(word), expected, "{word}");
        }
    }

    #[test]
    fn keeps_words_ending_in_in() {
        for word in [
            "Termin",
            "Medizin",
            "Berlin",
            "Benzin",
            "gewinnen",
            "Binnen",
            "innen",
            "Innen",
            "BürgerInformation",
            "Magazin",
            "Disziplin",
            "Vitamin",
            "darin",
            "Beginn",
        ] {
            assert_eq!(fold(word), word, "{word}");
        }
    }
}
