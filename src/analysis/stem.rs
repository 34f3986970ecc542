//! Snowball German stemming, so that "Kommunen" and "Kommune", "Städte" and "Stadt" meet.
//!
//! Lowercase ASCII words, nearly all words after normalization, are stemmed by our own
//! Snowball German written for bytes (`snowball::stem_ascii`), faster than a cache could answer; the others by
//! `rust-stemmers`, with their stems cached per analyzer instance.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::snowball::stem_ascii;

/// The number of stems cached before the cache is emptied.
const CACHE_CAPACITY: usize = 100_000;

/// Reduces each token to its Snowball German stem.
#[derive(Clone)]
pub struct GermanStemmer {
    stemmer: Arc<Stemmer>,
}

impl Default for GermanStemmer {
    fn default() -> Self {
        GermanStemmer {
            stemmer: Arc::new(Stemmer::create(Algorithm::German)),
        }
    }
}

impl TokenFilter for GermanStemmer {
    type Tokenizer<T: Tokenizer> = GermanStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GermanStemmerFilter<T> {
        GermanStemmerFilter {
            inner: tokenizer,
            stems: self.stems(),
            buffer: String::new(),
        }
    }
}

impl GermanStemmer {
    /// A cache of stems for this stemmer, for steps that stem words outside a token stream.
    pub(crate) fn stems(&self) -> Stems {
        Stems {
            stemmer: Arc::clone(&self.stemmer),
            cache: FxHashMap::default(),
        }
    }
}

/// The stems of the words seen so far, computed by Snowball on first sight.
#[derive(Clone)]
pub(crate) struct Stems {
    stemmer: Arc<Stemmer>,
    cache: FxHashMap<Box<str>, Box<str>>,
}

impl Stems {
    /// Writes the stem of `word` into `out` and returns true, or returns false if `word` is
    /// its own stem (`out` then holds the stem or what it held before).
    pub(crate) fn stem_into(&mut self, word: &str, out: &mut String) -> bool {
        if is_own_stem(word) {
            return false;
        }
        // Lowercase ASCII, nearly every word after normalization, is stemmed faster than the
        // cache could answer.
        if stem_ascii(word, out) {
            let stem = strip_vowel_plural(out).len();
            out.truncate(stem);
            // Snowball never empties a word, but an empty term could not be searched.
            return !out.is_empty() && *out != *word;
        }
        let stem = match self.cache.get(word) {
            Some(stem) => stem,
            None => {
                if self.cache.len() >= CACHE_CAPACITY {
                    self.cache.clear();
                }
                let stem = self.stemmer.stem(word);
                // Snowball never empties a word, but an empty term could not be searched.
                let stem = if stem.is_empty() { word } else { &*stem };
                let stem = strip_vowel_plural(stem);
                self.cache.entry(word.into()).or_insert_with(|| stem.into())
            }
        };
        if **stem == *word {
            return false;
        }
        out.clear();
        out.push_str(stem);
        true
    }
}

/// [`GermanStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct GermanStemmerFilter<T> {
    inner: T,
    stems: Stems,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for GermanStemmerFilter<T> {
    type TokenStream<'a> = GermanStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GermanStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream of [`GermanStemmerFilter`].
pub struct GermanStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for GermanStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if self.stems.stem_into(&token.text, self.buffer) {
            std::mem::swap(&mut token.text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
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
    use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};

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
        let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(GermanStemmer::default())
            .build();
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
            let mut stream = analyzer.token_stream(word);
            assert!(stream.advance());
            assert_eq!(stream.token().text, expected, "{word}");
        }
    }
}
