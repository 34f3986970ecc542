//! [`GermanAnalyzer`]: the tokenizer and a [`Chain`] of steps, as one tantivy tokenizer.

use std::collections::VecDeque;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::MAX_TOKEN_BYTES;
use super::cache::{Entry, WordCache};
use super::chain::{Chain, Scratch};
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

/// A word read from the text, waiting to be emitted.
#[derive(Clone, Copy)]
struct Pending {
    /// Where it starts in the text, and its position.
    start: usize,
    position: usize,
    /// Its entry in the cache.
    entry: Entry,
    /// For a truncated word: whether its coordination was looked at yet.
    completed: bool,
    /// Its completed form, as an index into [`Words::completions`].
    completion: Option<usize>,
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
        self.words.cache.trim();
        GermanTokenStream {
            text,
            tail: self.tokenizer.token_stream(text),
            words: &mut self.words,
            token: &mut self.token,
            current: None,
            next: 0,
            token_index: 0,
            cursor: 0,
            completions: Vec::new(),
        }
    }
}

/// The token stream of [`GermanAnalyzer`].
pub struct GermanTokenStream<'a> {
    text: &'a str,
    tail: WordTokenStream<'a>,
    words: &'a mut Words,
    token: &'a mut Token,
    /// The word whose tokens are being emitted; how many of them (the completed word
    /// included) were emitted; the index of its next token in the cache, and where its record
    /// starts.
    current: Option<Pending>,
    next: usize,
    token_index: usize,
    cursor: usize,
    /// The completed forms of truncated words.
    completions: Vec<String>,
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
            position: word.position,
            entry,
            completed: false,
            completion: None,
        })
    }

    /// The next word to emit.
    fn next_word(&mut self) -> Option<Pending> {
        if self.words.queue.is_empty() {
            let word = self.read()?;
            self.words.queue.push_back(word);
        }
        let first = self.words.queue[0];
        if !first.completed && self.words.chain.completes_ellipses() && first.entry.truncated {
            self.complete_coordination();
        }
        self.words.queue.pop_front()
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
            let analyzed = self.words.cache.analyzed(self.words.queue[index].entry);
            if analyzed.truncated.is_some() {
                truncated.push(index);
            } else if !analyzed.conjunction {
                head = analyzed.head.clone();
                break;
            }
        }
        for index in truncated {
            let word = &mut self.words.queue[index];
            word.completed = true;
            let (Some(head), Some(text)) =
                (&head, &self.words.cache.analyzed(word.entry).truncated)
            else {
                continue;
            };
            let completed = self
                .words
                .chain
                .complete(text, head, &mut self.words.scratch);
            self.completions.push(completed);
            self.words.queue[index].completion = Some(self.completions.len() - 1);
        }
    }
}

impl TokenStream for GermanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(word) = self.current {
                let count = WordCache::count(word.entry) + usize::from(word.completion.is_some());
                if self.next < count {
                    let cache = &self.words.cache;
                    let (text, from, to) = match word.completion {
                        // A completed word comes right after the truncated whole, with its
                        // offsets.
                        Some(completion) if self.next == 1 => {
                            let (_, from, to, _) = cache.token(word.entry, 0, 0);
                            (self.completions[completion].as_str(), from, to)
                        }
                        _ => {
                            let (text, from, to, next) =
                                cache.token(word.entry, self.cursor, self.token_index);
                            self.cursor = next;
                            self.token_index += 1;
                            (text, from, to)
                        }
                    };
                    let token = &mut *self.token;
                    token.text.clear();
                    token.text.push_str(text);
                    token.offset_from = word.start + from;
                    token.offset_to = word.start + to;
                    token.position = word.position;
                    token.position_length = 1;
                    self.next += 1;
                    return true;
                }
            }
            let Some(word) = self.next_word() else {
                return false;
            };
            self.current = Some(word);
            (self.next, self.token_index, self.cursor) = (0, 0, 0);
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
