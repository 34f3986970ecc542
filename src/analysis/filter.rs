//! [`WordSteps`]: a chain's steps as a tantivy token filter, for another tokenizer.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::chain::{Chain, Scratch, Word};

/// Runs the steps of a [`Chain`] over every token of another tokenizer, each token as a word.
///
/// For a program that builds its own tantivy analyzer, say with another tokenizer, and wants
/// integra's steps after it. Tokens are not remembered, and truncated words (a token ending in
/// a hyphen) lose their mark but are not completed, since completion looks beyond one token:
/// the [`GermanAnalyzer`](super::GermanAnalyzer) does both.
#[derive(Clone, Copy)]
pub struct WordSteps {
    chain: Chain,
}

impl WordSteps {
    /// A filter running the steps of `chain`.
    pub fn new(chain: Chain) -> Self {
        WordSteps { chain }
    }
}

impl TokenFilter for WordSteps {
    type Tokenizer<T: Tokenizer> = WordStepsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordStepsFilter<T> {
        WordStepsFilter {
            inner: tokenizer,
            chain: self.chain,
            scratch: Scratch::default(),
            tokens: Vec::new(),
        }
    }
}

/// [`WordSteps`] applied to a tokenizer.
#[derive(Clone)]
pub struct WordStepsFilter<T> {
    inner: T,
    chain: Chain,
    scratch: Scratch,
    tokens: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for WordStepsFilter<T> {
    type TokenStream<'a> = WordStepsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.tokens.clear();
        WordStepsStream {
            text,
            tail: self.inner.token_stream(text),
            chain: self.chain,
            scratch: &mut self.scratch,
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// The token stream of [`WordStepsFilter`].
pub struct WordStepsStream<'a, T> {
    text: &'a str,
    tail: T,
    chain: Chain,
    scratch: &'a mut Scratch,
    /// The tokens of the current word; `tokens[next - 1]` is the current token.
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl<T: TokenStream> TokenStream for WordStepsStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.next == self.tokens.len() {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            let original = self
                .text
                .get(token.offset_from..token.offset_to)
                .unwrap_or("");
            let mut word = Word::new(original, &token.text);
            self.chain.run(&mut word, self.scratch);
            self.tokens.clear();
            self.next = 0;
            for piece in word.tokens {
                self.tokens.push(Token {
                    text: piece.text,
                    offset_from: token.offset_from + piece.from,
                    offset_to: token.offset_from + piece.to,
                    position: token.position,
                    position_length: token.position_length,
                });
            }
        }
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
