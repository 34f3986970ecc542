//! Snowball German stemming, so that "Kommunen" and "Kommune" meet.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

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
            stemmer: self.stemmer,
            buffer: String::new(),
        }
    }
}

/// [`GermanStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct GermanStemmerFilter<T> {
    inner: T,
    stemmer: Arc<Stemmer>,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for GermanStemmerFilter<T> {
    type TokenStream<'a> = GermanStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GermanStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream of [`GermanStemmerFilter`].
pub struct GermanStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a Stemmer,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for GermanStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = self.stemmer.stem(&token.text);
        if stem != token.text {
            self.buffer.clear();
            self.buffer.push_str(&stem);
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
