//! Snowball German stemming, so that "Kommunen" and "Kommune", "Städte" and "Stadt" meet.
//!
//! Lowercase ASCII words, nearly all words after normalization, are stemmed by our own
//! Snowball German written for bytes (`snowball::stem_ascii`), the others by `rust-stemmers`.
//! The analyzer runs this step once per distinct word, so neither keeps a cache of its own.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::chain::{Scratch, Word};
use super::snowball::stem_ascii;

/// Snowball German from rust-stemmers, for the words that are not lowercase ASCII.
static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::German));

/// The stemming step: reduces every token of `word` to its stem.
pub(crate) fn stem(word: &mut Word, scratch: &mut Scratch) {
    for token in &mut word.tokens {
        if stem_into(&token.text, &mut scratch.buffer) {
            std::mem::swap(&mut token.text, &mut scratch.buffer);
        }
    }
}

/// Writes the stem of `word` into `out` and returns true, or returns false if `word` is its own
/// stem (`out` is then left in an unspecified state).
fn stem_into(word: &str, out: &mut String) -> bool {
    if is_own_stem(word) {
        return false;
    }
    // Lowercase ASCII, nearly every word after normalization, is stemmed by our own Snowball
    // German for bytes, without rust-stemmers' allocation.
    let stem = if stem_ascii(word, out) {
        let stem = strip_vowel_plural(out).len();
        out.truncate(stem);
        out.as_str()
    } else {
        let stem = STEMMER.stem(word);
        out.clear();
        out.push_str(strip_vowel_plural(&stem));
        out.as_str()
    };
    // Snowball never empties a word, but an empty term could not be searched.
    !stem.is_empty() && stem != word
}

/// Whether `word` is surely its own stem, so that neither Snowball nor the cache need see it:
/// an ASCII word of three bytes or less. Snowball German only removes suffixes inside the
/// region R1, which never starts before the fourth letter, and [`strip_vowel_plural`] needs four
/// letters; about half the tokens of German text ("die", "und", "zu") are this short.
fn is_own_stem(word: &str) -> bool {
    word.len() <= 3 && word.is_ascii()
}

/// Drops the plural -s of words that end in a vowel ("Kitas", "Autos", "Handys", "Unis"),
/// which Snowball German keeps: it only removes an -s after a consonant. Users type "Kita" and
/// "Kitas" alike and expect "Kitaplätze". Not after "u" ("Haus", "Bus") nor after a
/// diphthong ("Kreis", "Preis", "Mais"), where the -s belongs to the word.
fn strip_vowel_plural(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let n = bytes.len();
    if n < 4 || bytes[n - 1] != b's' {
        return stem;
    }
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let strip = match bytes[n - 2] {
        b'a' | b'o' | b'y' => true,
        b'i' => !vowel(bytes[n - 3]),
        _ => false,
    };
    if strip { &stem[..n - 1] } else { stem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_short_ascii_words_as_snowball_does() {
        let stemmer = Stemmer::create(Algorithm::German);
        let alphabet: Vec<char> = ('a'..='z').chain('0'..='9').chain(".,'_".chars()).collect();
        let mut word = String::new();
        let check = |word: &str| {
            assert!(is_own_stem(word));
            assert_eq!(stemmer.stem(word), word, "{word}");
        };
        for &a in &alphabet {
            for &b in &alphabet {
                for &c in &alphabet {
                    for len in 1..=3 {
                        word.clear();
                        word.extend([a, b, c].into_iter().take(len));
                        check(&word);
                    }
                }
            }
        }
    }

    #[test]
    fn stems_german_words() {
        let cases = [
            ("kommunen", "kommun"),
            ("kommune", "kommun"),
            ("stadte", "stadt"),
            ("stadt", "stadt"),
            ("jugendamter", "jugendamt"),
            ("migranten", "migrant"),
            ("kommunen", "kommun"),
            ("kitas", "kita"),
            ("kita", "kita"),
            ("autos", "auto"),
            ("unis", "uni"),
            ("handys", "handy"),
            ("haus", "haus"),
            ("kreis", "kreis"),
            ("kreise", "kreis"),
            ("mais", "mais"),
            ("das", "das"),
        ];
        for (word, expected) in cases {
            let mut out = String::new();
            let stem = if stem_into(word, &mut out) {
                &out
            } else {
                word
            };
            assert_eq!(stem, expected, "{word}");
        }
    }
}
