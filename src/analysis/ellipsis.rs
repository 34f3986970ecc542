//! Completes elliptical coordinations: "Sprach- und Integrationskursen" also indexes
//! "sprachkursen", "Stadt- oder Ortsteile" also "stadtteile".
//!
//! German leaves out the shared head of coordinated compounds and marks the gap with a hyphen.
//! The [`WordTokenizer`](super::WordTokenizer) keeps that hyphen at the end of the token text;
//! this step removes it and, looking ahead past conjunctions and further truncated words
//! ("Bundes-, Landes- und Kommunalebene"), adds the truncated word joined with the last part of
//! the completing compound, at the position and with the offsets of the truncated word.
//!
//! It runs after the [`Decompounder`](super::Decompounder), whose last part of the completing
//! word is the shared head, and before stemming. Only truncated words need the look-ahead; the
//! buffered tokens are copies, which is acceptable for that rare case, while all other tokens
//! pass through untouched.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// How many words after a truncated word the completing compound may come.
const MAX_LOOKAHEAD_WORDS: usize = 6;

/// Words that join a truncated word to the next one.
pub(crate) fn is_conjunction(word: &str) -> bool {
    matches!(
        word,
        "und" | "oder" | "sowie" | "bzw" | "beziehungsweise" | "bis" | "als" | "noch" | "wie"
    )
}

/// Completes truncated words of elliptical coordinations; see the
/// [module documentation](self).
#[derive(Clone, Copy)]
pub struct EllipsisCompleter {
    complete: bool,
}

impl Default for EllipsisCompleter {
    fn default() -> Self {
        EllipsisCompleter { complete: true }
    }
}

impl EllipsisCompleter {
    /// Only removes the truncation mark, without adding completed words.
    ///
    /// Queries use this: the completed words are alternatives to the truncated word, so they
    /// must not be mistaken for parts of a compound that all have to match.
    pub fn mark_only() -> Self {
        EllipsisCompleter { complete: false }
    }
}

impl TokenFilter for EllipsisCompleter {
    type Tokenizer<T: Tokenizer> = EllipsisCompleterFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EllipsisCompleterFilter<T> {
        EllipsisCompleterFilter {
            inner: tokenizer,
            complete: self.complete,
            buffer: Vec::new(),
        }
    }
}

/// [`EllipsisCompleter`] applied to a tokenizer.
#[derive(Clone)]
pub struct EllipsisCompleterFilter<T> {
    inner: T,
    complete: bool,
    buffer: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for EllipsisCompleterFilter<T> {
    type TokenStream<'a> = EllipsisCompleterStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        EllipsisCompleterStream {
            tail: self.inner.token_stream(text),
            complete: self.complete,
            buffer: &mut self.buffer,
            next: 0,
            exhausted: false,
        }
    }
}

/// The token stream of [`EllipsisCompleterFilter`].
pub struct EllipsisCompleterStream<'a, T> {
    tail: T,
    complete: bool,
    /// Tokens read ahead; `buffer[next - 1]` is the current token while `next > 0`.
    buffer: &'a mut Vec<Token>,
    next: usize,
    exhausted: bool,
}

impl<T: TokenStream> EllipsisCompleterStream<'_, T> {
    /// Makes sure `buffer[index]` exists, reading from the tail; false at the end of the text.
    fn fill(&mut self, index: usize) -> bool {
        while self.buffer.len() <= index {
            if self.exhausted || !self.tail.advance() {
                self.exhausted = true;
                return false;
            }
            self.buffer.push(self.tail.token().clone());
        }
        true
    }

    /// Completes the truncated word at `buffer[start]` and the truncated words coordinated with
    /// it, removing their marks.
    fn complete_at(&mut self, start: usize) {
        let mut truncated = vec![start];
        let mut position = self.buffer[start].position;
        let mut words = 0;
        let mut index = start + 1;
        let mut head: Option<String> = None;
        while self.fill(index) {
            let token = &self.buffer[index];
            if token.position == position {
                index += 1;
                continue;
            }
            words += 1;
            position = token.position;
            if words > MAX_LOOKAHEAD_WORDS {
                break;
            }
            if token.text.ends_with('-') {
                truncated.push(index);
            } else if !is_conjunction(&token.text) {
                // The completing word: its last part is the shared head.
                let mut last = index;
                while self.fill(last + 1) && self.buffer[last + 1].position == position {
                    last += 1;
                }
                if last > index {
                    head = Some(self.buffer[last].text.clone());
                }
                break;
            }
            index += 1;
        }
        for &i in truncated.iter().rev() {
            let token = &mut self.buffer[i];
            token.text.pop();
            if let Some(head) = &head {
                let completed = Token {
                    text: format!("{}{head}", token.text),
                    ..token.clone()
                };
                self.buffer.insert(i + 1, completed);
            }
        }
    }
}

impl<T: TokenStream> TokenStream for EllipsisCompleterStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.next < self.buffer.len() {
            self.next += 1;
        } else {
            self.buffer.clear();
            self.next = 0;
            if self.exhausted || !self.tail.advance() {
                self.exhausted = true;
                return false;
            }
            if !self.tail.token().text.ends_with('-') {
                return true;
            }
            self.buffer.push(self.tail.token().clone());
            self.next = 1;
        }
        let current = self.next - 1;
        if self.buffer[current].text.ends_with('-') {
            if self.complete {
                self.complete_at(current);
            } else {
                self.buffer[current].text.pop();
            }
        }
        true
    }

    fn token(&self) -> &Token {
        match self.next {
            0 => self.tail.token(),
            i => &self.buffer[i - 1],
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next {
            0 => self.tail.token_mut(),
            i => &mut self.buffer[i - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Decompounder, GenderFolder, GermanNormalizer, WordTokenizer};
    use tantivy::tokenizer::TextAnalyzer;

    /// Checks text, offsets and position of every token of the chain up to this step.
    fn check(complete: bool, text: &str, expected: &[(&str, usize, usize, usize)]) {
        let ellipsis = if complete {
            EllipsisCompleter::default()
        } else {
            EllipsisCompleter::mark_only()
        };
        let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
            .filter(GenderFolder)
            .filter(GermanNormalizer)
            .filter(Decompounder)
            .filter(ellipsis)
            .build();
        let mut stream = analyzer.token_stream(text);
        crate::analysis::testing::assert_tokens(&mut stream, text, expected);
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
