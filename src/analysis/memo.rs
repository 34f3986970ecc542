//! Runs the word-level steps once per distinct word: gender folding, normalization,
//! decompounding and stemming depend on nothing but the word itself, so their output for a word
//! seen before is copied from a memo instead of being computed again.
//!
//! This is not a step of its own but a faster way to run the steps
//! ([`GenderFolder`](super::GenderFolder), [`GermanNormalizer`](super::GermanNormalizer),
//! [`Decompounder`](super::Decompounder), [`EllipsisCompleter`](super::EllipsisCompleter),
//! [`GermanStemmer`](super::GermanStemmer)), which stay in their own files and define what the
//! analyzer does. Each step had its own cache keyed by its own input, so a word cost gender and
//! umlaut folding plus two hash lookups; the memo costs one lookup on the word as the tokenizer
//! cut it (issue 3 asks indexing to keep 0.7× the throughput of tantivy's default tokenizer).
//!
//! For each word the memo keeps the final tokens (stemmed text, offsets relative to the word's
//! start; all of them at the word's position). Ellipsis completion is the one step that looks
//! beyond a word: "Sprach- und Integrationskursen" needs the unstemmed last part of the third
//! word. So the memo also keeps whether a word's unstemmed form is truncated or a conjunction,
//! and a truncated word and the words its completion may reach (further truncated words and
//! conjunctions, up to the first other word) run through the chain of steps itself, in order.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::decompound::DecompounderFilter;
use super::ellipsis::is_conjunction;
use super::gender::GenderFolderFilter;
use super::normalize::GermanNormalizerFilter;
use super::stem::Stems;
use super::{Decompounder, EllipsisCompleter, GenderFolder, GermanNormalizer, GermanStemmer};

/// The number of words remembered before the memo is emptied.
const CAPACITY: usize = 100_000;

/// Gender folding, normalization, decompounding, ellipsis completion and stemming, in this order,
/// with the output of each word remembered; see the [module documentation](self).
#[derive(Clone)]
pub struct WordMemo {
    ellipsis: EllipsisCompleter,
    stemmer: GermanStemmer,
}

impl WordMemo {
    /// The word-level steps with the given ellipsis step (index or query time).
    pub fn new(ellipsis: EllipsisCompleter) -> Self {
        WordMemo {
            ellipsis,
            stemmer: GermanStemmer::default(),
        }
    }
}

impl TokenFilter for WordMemo {
    type Tokenizer<T: Tokenizer> = WordMemoFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordMemoFilter<T> {
        let chain = Decompounder
            .transform(GermanNormalizer.transform(GenderFolder.transform(OneWord::default())));
        WordMemoFilter {
            inner: tokenizer,
            words: Words {
                chain,
                stems: self.stemmer.stems(),
                map: FxHashMap::default(),
                tokens: Vec::new(),
                texts: String::new(),
                stem: String::new(),
            },
            ellipsis: self.ellipsis,
            stemmer: self.stemmer,
            token: Token::default(),
            window: Vec::new(),
        }
    }
}

/// [`WordMemo`] applied to a tokenizer.
#[derive(Clone)]
pub struct WordMemoFilter<T> {
    inner: T,
    words: Words,
    ellipsis: EllipsisCompleter,
    stemmer: GermanStemmer,
    token: Token,
    window: Vec<Token>,
}

/// What the memo knows about a word: its tokens and what ellipsis completion needs.
#[derive(Clone, Copy)]
struct Entry {
    /// The range of its tokens in [`Words::tokens`].
    from: u32,
    to: u32,
    /// Whether any of its unstemmed tokens ends with the truncation mark.
    truncated: bool,
    /// Whether its unstemmed whole ends with the truncation mark or is a conjunction: ellipsis
    /// completion looks past such a word.
    passed_over: bool,
}

/// One token of a remembered word: its text in [`Words::texts`] and its offsets relative to the
/// word's start.
#[derive(Clone, Copy)]
struct MemoToken {
    text: (u32, u32),
    from: u32,
    to: u32,
}

/// The memo and the steps that fill it.
#[derive(Clone)]
struct Words {
    chain: DecompounderFilter<GermanNormalizerFilter<GenderFolderFilter<OneWord>>>,
    stems: Stems,
    map: FxHashMap<Box<str>, Entry>,
    tokens: Vec<MemoToken>,
    texts: String,
    stem: String,
}

impl Words {
    /// The entry of `word`, computed on first sight.
    fn entry(&mut self, word: &str) -> Entry {
        if let Some(&entry) = self.map.get(word) {
            return entry;
        }
        if self.map.len() >= CAPACITY {
            self.map.clear();
            self.tokens.clear();
            self.texts.clear();
        }
        let from = self.tokens.len() as u32;
        let (mut truncated, mut passed_over) = (false, false);
        let mut stream = self.chain.token_stream(word);
        let mut first = true;
        while stream.advance() {
            let token = stream.token();
            let unstemmed = token.text.as_str();
            truncated |= unstemmed.ends_with('-');
            if first {
                passed_over = unstemmed.ends_with('-') || is_conjunction(unstemmed);
                first = false;
            }
            let text = if self.stems.stem_into(unstemmed, &mut self.stem) {
                self.stem.as_str()
            } else {
                unstemmed
            };
            let start = self.texts.len() as u32;
            self.texts.push_str(text);
            self.tokens.push(MemoToken {
                text: (start, self.texts.len() as u32),
                from: token.offset_from as u32,
                to: token.offset_to as u32,
            });
        }
        let entry = Entry {
            from,
            to: self.tokens.len() as u32,
            truncated,
            passed_over,
        };
        self.map.insert(word.into(), entry);
        entry
    }
}

impl<T: Tokenizer> Tokenizer for WordMemoFilter<T> {
    type TokenStream<'a> = WordMemoStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.window.clear();
        WordMemoStream {
            text,
            tail: self.inner.token_stream(text),
            words: &mut self.words,
            ellipsis: self.ellipsis,
            stemmer: &self.stemmer,
            token: &mut self.token,
            window: &mut self.window,
            in_window: 0,
            next: 0,
            end: 0,
            base: 0,
            position: 0,
        }
    }
}

/// The token stream of [`WordMemoFilter`].
pub struct WordMemoStream<'a, T> {
    text: &'a str,
    tail: T,
    words: &'a mut Words,
    ellipsis: EllipsisCompleter,
    stemmer: &'a GermanStemmer,
    token: &'a mut Token,
    /// The tokens of words that ran through the steps themselves; `window[in_window..]` are
    /// still to come.
    window: &'a mut Vec<Token>,
    in_window: usize,
    /// The remembered tokens `next..end` of the current word are still to come.
    next: usize,
    end: usize,
    /// The current word's start in the text, and its position.
    base: usize,
    position: usize,
}

impl<T: TokenStream> WordMemoStream<'_, T> {
    /// Runs the truncated word just read, and the words its completion may reach, through the
    /// steps themselves into `window`.
    fn run_window(&mut self) {
        let mut words = vec![self.tail.token().clone()];
        while self.tail.advance() {
            let token = self.tail.token();
            let entry = self.words.entry(&token.text);
            words.push(token.clone());
            if !(entry.passed_over || entry.truncated) {
                break;
            }
        }
        let mut chain =
            self.stemmer.clone().transform(self.ellipsis.transform(
                Decompounder.transform(
                    GermanNormalizer.transform(GenderFolder.transform(Replay { words })),
                ),
            ));
        let mut stream = chain.token_stream(self.text);
        self.window.clear();
        self.in_window = 0;
        while stream.advance() {
            self.window.push(stream.token().clone());
        }
    }
}

impl<T: TokenStream> TokenStream for WordMemoStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(token) = self.window.get_mut(self.in_window) {
                std::mem::swap(self.token, token);
                self.in_window += 1;
                return true;
            }
            if self.next < self.end {
                let memo = self.words.tokens[self.next];
                self.next += 1;
                let token = &mut *self.token;
                token.text.clear();
                token
                    .text
                    .push_str(&self.words.texts[memo.text.0 as usize..memo.text.1 as usize]);
                token.offset_from = self.base + memo.from as usize;
                token.offset_to = self.base + memo.to as usize;
                token.position = self.position;
                token.position_length = 1;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let word = self.tail.token();
            let entry = self.words.entry(&word.text);
            if entry.truncated {
                self.run_window();
            } else {
                (self.next, self.end) = (entry.from as usize, entry.to as usize);
                (self.base, self.position) = (word.offset_from, word.position);
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// A tokenizer for one word as the [`WordTokenizer`](super::WordTokenizer) cut it: the text is
/// the token, its offsets cover it without a truncation mark.
#[derive(Clone, Default)]
struct OneWord {
    token: Token,
}

impl Tokenizer for OneWord {
    type TokenStream<'a> = OneWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OneWordStream<'a> {
        self.token.text.clear();
        self.token.text.push_str(text);
        self.token.offset_from = 0;
        self.token.offset_to = text.strip_suffix('-').unwrap_or(text).len();
        self.token.position = 0;
        self.token.position_length = 1;
        OneWordStream {
            token: &mut self.token,
            done: false,
        }
    }
}

/// The token stream of [`OneWord`].
struct OneWordStream<'a> {
    token: &'a mut Token,
    done: bool,
}

impl TokenStream for OneWordStream<'_> {
    fn advance(&mut self) -> bool {
        !std::mem::replace(&mut self.done, true)
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// A tokenizer that replays words already cut from the text.
#[derive(Clone)]
struct Replay {
    words: Vec<Token>,
}

impl Tokenizer for Replay {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, _text: &'a str) -> ReplayStream<'a> {
        ReplayStream {
            words: &mut self.words,
            next: 0,
        }
    }
}

/// The token stream of [`Replay`].
struct ReplayStream<'a> {
    words: &'a mut [Token],
    next: usize,
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.words.len()
    }

    fn token(&self) -> &Token {
        &self.words[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.words[self.next - 1]
    }
}
