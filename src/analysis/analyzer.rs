//! [`GermanAnalyzer`]: the tokenizer and a [`Chain`] of steps, as one tantivy tokenizer.

use std::collections::VecDeque;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::MAX_TOKEN_BYTES;
use super::cache::{Entry, WordCache};
use super::chain::{Chain, Piece, Scratch};
use super::ellipsis::MAX_LOOKAHEAD_WORDS;
use super::tokenize::{WordTokenStream, WordTokenizer};

/// Cuts text into words with the [`WordTokenizer`] and runs each word through a [`Chain`] of
/// steps, remembering what the chain made of every word it met.
///
/// Words of 100 bytes or more are dropped, as tantivy's `RemoveLongFilter` would: they are not
/// words (URLs, hashes), and tantivy limits the length of a term. Every token of a word stands
/// at the word's position, with offsets into the original text.
#[derive(Clone)]
pub struct GermanAnalyzer {
    chain: Chain,
    tokenizer: WordTokenizer,
    words: Words,
    token: Token,
}

impl GermanAnalyzer {
    /// An analyzer running `chain`, whose copies (tantivy makes one for every segment it
    /// writes) share the words any of them analyzed.
    pub fn new(chain: Chain) -> Self {
        Self::with_cache(chain, WordCache::shared())
    }

    /// An analyzer running `chain` that shares its words with no copy: for a text or two, such
    /// as a query.
    pub fn unshared(chain: Chain) -> Self {
        Self::with_cache(chain, WordCache::default())
    }

    fn with_cache(chain: Chain, cache: WordCache) -> Self {
        GermanAnalyzer {
            chain,
            tokenizer: WordTokenizer::default(),
            words: Words {
                chain,
                cache,
                scratch: Scratch::default(),
                key: String::new(),
                queue: VecDeque::new(),
            },
            token: Token::default(),
        }
    }

    /// The chain it runs.
    pub fn chain(&self) -> Chain {
        self.chain
    }
}

/// A word read from the text.
#[derive(Clone, Copy)]
struct Pending {
    /// Its byte range in the text, whether it is truncated, and its position.
    start: usize,
    end: usize,
    truncated: bool,
    position: usize,
    /// Its entry in the cache.
    entry: Entry,
    /// For a truncated word read ahead: whether its coordination was looked at yet, and its
    /// completed form, as an index into the stream's completions.
    completed: bool,
    completion: Option<u32>,
}

/// The words of a text on their way from the tokenizer to the tokens.
#[derive(Clone)]
struct Words {
    chain: Chain,
    cache: WordCache,
    scratch: Scratch,
    /// A truncated word's text with its mark, as its key in the cache.
    key: String,
    /// Words read ahead to complete a coordination.
    queue: VecDeque<Pending>,
}

impl Tokenizer for GermanAnalyzer {
    type TokenStream<'a> = GermanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GermanTokenStream<'a> {
        self.words.queue.clear();
        self.words.cache.between_texts();
        GermanTokenStream {
            text,
            tail: self.tokenizer.token_stream(text),
            words: &mut self.words,
            token: &mut self.token,
            word: None,
            remaining: 0,
            cursor: 0,
            index: 0,
            completion: None,
            completions: Vec::new(),
            unrecorded: None,
        }
    }
}

/// The token stream of [`GermanAnalyzer`].
pub struct GermanTokenStream<'a> {
    text: &'a str,
    tail: WordTokenStream<'a>,
    words: &'a mut Words,
    token: &'a mut Token,
    /// The word whose tokens are being emitted: how many of its tokens in the cache are still
    /// to come, where the next one's record starts and its index.
    word: Option<Pending>,
    remaining: usize,
    cursor: usize,
    index: usize,
    /// The completed form of the current word, still to come right after its first token.
    completion: Option<u32>,
    /// The completed forms of truncated words.
    completions: Vec<String>,
    /// The tokens of the current word if the cache keeps no records of it.
    unrecorded: Option<Vec<Piece>>,
}

impl GermanTokenStream<'_> {
    /// Reads the next word from the tokenizer that is not too long to index.
    fn read(&mut self) -> Option<Pending> {
        let word = loop {
            let word = self.tail.next_word()?;
            if word.token_len() < MAX_TOKEN_BYTES {
                break word;
            }
        };
        let words = &mut *self.words;
        let original = &self.text[word.start..word.end];
        let key = if word.truncated {
            words.key.clear();
            words.key.push_str(original);
            words.key.push('-');
            words.key.as_str()
        } else {
            original
        };
        let entry = words.cache.entry(
            key,
            words.chain,
            original,
            word.truncated,
            &mut words.scratch,
        );
        Some(Pending {
            start: word.start,
            end: word.end,
            truncated: word.truncated,
            position: word.position,
            entry,
            completed: false,
            completion: None,
        })
    }

    /// The next word to emit: the first read ahead, or the next of the text.
    fn next_word(&mut self) -> Option<Pending> {
        let word = match self.words.queue.pop_front() {
            Some(word) => word,
            None => self.read()?,
        };
        if word.entry.truncated() && !word.completed && self.words.chain.completes_ellipses() {
            self.words.queue.push_front(word);
            self.complete_coordination();
            return self.words.queue.pop_front();
        }
        Some(word)
    }

    /// Completes the truncated word at the front of the queue and the truncated words
    /// coordinated with it ("Bundes-, Landes- und Kommunalebene"): reading ahead past
    /// conjunctions and truncated words, up to [`MAX_LOOKAHEAD_WORDS`], the first other word
    /// completes them with the last part of its compound, if it is one.
    fn complete_coordination(&mut self) {
        let mut truncated = vec![0];
        let mut head = None;
        for index in 1..=MAX_LOOKAHEAD_WORDS {
            if index == self.words.queue.len() {
                let Some(word) = self.read() else { break };
                self.words.queue.push_back(word);
            }
            let word = self.words.queue[index];
            if word.entry.truncated() {
                truncated.push(index);
            } else if !word.entry.conjunction() {
                // The completing word: the last of its parts, if it has any, is the head.
                let forms = self.forms_to_join(word);
                head = (forms.len() > 1).then(|| forms[forms.len() - 1].text.clone());
                break;
            }
        }
        for index in truncated {
            self.words.queue[index].completed = true;
            let Some(head) = &head else { continue };
            let forms = self.forms_to_join(self.words.queue[index]);
            let completed =
                self.words
                    .chain
                    .complete(&forms[0].text, head, &mut self.words.scratch);
            let at = u32::try_from(self.completions.len()).expect("fewer words than 4 G");
            self.completions.push(completed);
            self.words.queue[index].completion = Some(at);
        }
    }

    /// The tokens of `word` in the form ellipsis completion joins, computed again: the cache
    /// keeps only the final tokens.
    fn forms_to_join(&mut self, word: Pending) -> Vec<Piece> {
        let original = &self.text[word.start..word.end];
        let words = &mut *self.words;
        words
            .chain
            .forms_to_join(original, word.truncated, &mut words.scratch)
    }

    /// Sets the token's offsets to `from..to` in `word`, and its position to the word's.
    fn place(&mut self, word: Pending, from: usize, to: usize) {
        let token = &mut *self.token;
        token.offset_from = word.start + from;
        token.offset_to = word.start + to;
        token.position = word.position;
        token.position_length = 1;
    }
}

impl TokenStream for GermanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(word) = self.word {
                // A completed word comes right after the truncated whole, with its offsets and
                // position, which the token still holds.
                if self.index == 1
                    && let Some(completion) = self.completion.take()
                {
                    self.token.text.clear();
                    self.token
                        .text
                        .push_str(&self.completions[completion as usize]);
                    return true;
                }
                if self.remaining > 0 {
                    let (from, to) = match &self.unrecorded {
                        Some(tokens) => {
                            let piece = &tokens[self.index];
                            self.token.text.clear();
                            self.token.text.push_str(&piece.text);
                            (piece.from, piece.to)
                        }
                        None => {
                            let (text, from, to, next) =
                                self.words.cache.token(word.entry, self.cursor);
                            self.token.text.clear();
                            self.token.text.push_str(text);
                            self.cursor = next;
                            (from, to)
                        }
                    };
                    self.index += 1;
                    self.remaining -= 1;
                    self.place(word, from, to);
                    return true;
                }
            }
            let Some(word) = self.next_word() else {
                self.word = None;
                return false;
            };
            self.word = Some(word);
            (self.remaining, self.cursor, self.index) = (WordCache::count(word.entry), 0, 0);
            self.completion = word.completion;
            self.unrecorded = None;
            if !word.entry.in_records() {
                let original = &self.text[word.start..word.end];
                let words = &mut *self.words;
                let tokens = words
                    .chain
                    .tokens(original, word.truncated, None, &mut words.scratch);
                self.remaining = tokens.len();
                self.unrecorded = Some(tokens);
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
