//! Lowercases and folds umlauts and ß, so that "Flüchtlinge" and "Fluchtlinge" meet.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Lowercases a token and folds ä, ö, ü to a, o, u and ß to ss.
#[derive(Clone, Copy, Default)]
pub struct GermanNormalizer;

impl TokenFilter for GermanNormalizer {
    type Tokenizer<T: Tokenizer> = GermanNormalizerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GermanNormalizerFilter<T> {
        GermanNormalizerFilter {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// [`GermanNormalizer`] applied to a tokenizer.
#[derive(Clone)]
pub struct GermanNormalizerFilter<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for GermanNormalizerFilter<T> {
    type TokenStream<'a> = GermanNormalizerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GermanNormalizerStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream of [`GermanNormalizerFilter`].
pub struct GermanNormalizerStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

/// Writes the normalized form of `word` into `out`.
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        for c in c.to_lowercase() {
            match c {
                'ä' => out.push('a'),
                'ö' => out.push('o'),
                'ü' => out.push('u'),
                'ß' => out.push_str("ss"),
                c => out.push(c),
            }
        }
    }
}

impl<T: TokenStream> TokenStream for GermanNormalizerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else {
            normalize_into(&token.text, self.buffer);
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
