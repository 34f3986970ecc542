//! Runs the word-level steps once per distinct word: gender folding, normalization,
//! decompounding and stemming depend on nothing but the word itself, so their output for a word
//! seen before is copied from a memo instead of being computed again.
//!
//! This is not a step of its own but a faster way to run the steps
//! ([`GenderFolder`], [`GermanNormalizer`], [`Decompounder`], [`EllipsisCompleter`],
//! [`GermanStemmer`]), which stay in their own files and define what the
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
//!
//! The memo outlives one analyzer: tantivy clones the analyzer for every segment it writes and
//! integra makes one for every index it opens, and a clone that started empty would run the
//! steps again for every word it meets (in 8 MB of speeches, about 57,000 distinct words).
//! So words remembered by an analyzer are published to a process-wide, read-only table as it
//! works and when it is dropped, and every new analyzer starts from that table. An analyzer
//! reads the shared table without a lock (it holds an `Arc` of one version of it) and keeps the
//! words it computes itself in a table of its own; publishing merges the two into a new version
//! under a lock. Analyzers working side by side (tantivy's indexing threads) meet the same new
//! words at first, so an analyzer publishes often while the shared table is small (after a
//! quarter of its size in new words, from 256 to 16,384) and takes the latest version every 256
//! new words, whoever published it. Which words are remembered never changes the tokens,
//! only how fast they come.
//!
//! Lookups wait on memory more than on anything else, so a short word is its own key (packed
//! into two integers) in a table of its own that reads one place in memory per lookup (a
//! `ShortTable`), a word's tokens are one record in one string, the words found last sit
//! in a small cache in front of the tables, and the [`WordMemo`] is the tokenizer too: it looks
//! a word up where it stands in the text rather than first copying it into a token.

use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::decompound::DecompounderFilter;
use super::ellipsis::{EllipsisCompleterFilter, is_conjunction};
use super::gender::GenderFolderFilter;
use super::normalize::GermanNormalizerFilter;
use super::stem::{GermanStemmerFilter, Stems};
use super::tokenize::{Word, WordTokenStream};
use super::{Decompounder, EllipsisCompleter, GenderFolder, GermanNormalizer, GermanStemmer};
use super::{MAX_TOKEN_BYTES, WordTokenizer};

/// The most words a table holds: the shared one stops growing there, and an analyzer's own
/// table is published and emptied. Indexing all 63,130 Bundestag speeches, whose words fill
/// the tables, takes about 50 MB more peak memory with the memo than without (396 against
/// 345 MB).
const CAPACITY: usize = 200_000;

/// An analyzer that has computed fewer new words than this keeps them to itself when it is
/// dropped: a query's analyzer would otherwise copy the shared table for a handful of words.
const PUBLISH_MIN: usize = 1_000;

/// An analyzer publishes its words after computing at most this many more, so that the
/// analyzers working beside it (tantivy's indexing threads) need not compute them again.
const PUBLISH_EVERY: usize = 16_384;

/// An analyzer publishes its words after computing at least this many more, and takes the
/// latest shared table every time it has computed this many. Publishing copies the shared
/// table, so it waits for a quarter of the shared table's size in new words (between this and
/// [`PUBLISH_EVERY`]): the copies then add up to a few times the final size. In the first 8 MB
/// of speeches, `Library::index_corpus` (two threads) computed 75,939 words when every
/// publication waited for 16,384, 66,256 with this schedule from 1,024 and 64,581 from 256; one
/// analyzer alone computes 57,430.
const REFRESH_EVERY: usize = 256;

/// How many new words an analyzer computes before it publishes them, with `shared` words in the
/// table it reads.
fn publish_after(shared: usize) -> usize {
    (shared / 4).clamp(REFRESH_EVERY, PUBLISH_EVERY)
}

/// The words remembered by the analyzers of this process; see the [module
/// documentation](self).
static SHARED: LazyLock<Mutex<Arc<Table>>> = LazyLock::new(Mutex::default);

/// The current version of the shared table.
fn shared() -> Arc<Table> {
    Arc::clone(
        &SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    )
}

/// Merges the words of `local` that are not yet shared into a new version of the shared table,
/// up to [`CAPACITY`] words; returns it, and whether it holds every word of `local`.
///
/// A new version is the last one with words appended, so the records of every earlier version
/// are still where they were: an entry found in an older version reads the same in a newer.
fn publish(local: &Table) -> (Arc<Table>, bool) {
    let mut slot = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let room = CAPACITY.saturating_sub(slot.len());
    if room == 0 {
        // Full: nothing is merged, and which words of `local` it holds is not worth a lookup
        // for each (once all speeches filled it, a scan of up to CAPACITY words every
        // PUBLISH_EVERY new words).
        return (Arc::clone(&slot), local.len() == 0);
    }
    let missing: Vec<_> = local
        .words()
        .filter(|(word, _)| !word.is_in(&slot))
        .collect();
    if !missing.is_empty() {
        let mut merged = Table::clone(&slot);
        for &(word, entry) in missing.iter().take(room) {
            merged.insert_from(word, entry, local);
        }
        *slot = Arc::new(merged);
    }
    (Arc::clone(&slot), missing.len() <= room)
}

/// The [`WordTokenizer`] followed by gender folding, normalization, decompounding, ellipsis
/// completion and stemming, in this order, with the output of each word remembered; see the
/// [module documentation](self).
///
/// Unlike the steps it runs, it is a tokenizer rather than a token filter: it looks each word up
/// where it stands in the text, without first copying it into a token, and drops words of
/// 100 bytes or more as tantivy's `RemoveLongFilter` would.
#[derive(Clone)]
pub struct WordMemo {
    inner: WordTokenizer,
    words: Words,
    window_chain: WindowChain,
    token: Token,
    window: Vec<Token>,
    /// A truncated word's text with its hyphen, as its key.
    key: String,
}

impl WordMemo {
    /// The tokenizer and the word-level steps with the given ellipsis step (index or query
    /// time).
    pub fn new(ellipsis: EllipsisCompleter) -> Self {
        let stemmer = GermanStemmer::default();
        WordMemo {
            inner: WordTokenizer::default(),
            words: Words::new(stemmer.stems()),
            window_chain: WindowChain::new(ellipsis, stemmer),
            token: Token::default(),
            window: Vec::new(),
            key: String::new(),
        }
    }
}

/// The steps one after the other, for the words the memo does not cover: a truncated word and
/// the words its completion may reach. Kept from window to window, so that the caches of the
/// steps stay warm.
struct WindowChain {
    /// The words of the next window, which the chain's [`Replay`] takes.
    inbox: Arc<Mutex<Vec<Token>>>,
    chain: GermanStemmerFilter<
        EllipsisCompleterFilter<
            DecompounderFilter<GermanNormalizerFilter<GenderFolderFilter<Replay>>>,
        >,
    >,
    ellipsis: EllipsisCompleter,
    stemmer: GermanStemmer,
}

impl WindowChain {
    fn new(ellipsis: EllipsisCompleter, stemmer: GermanStemmer) -> Self {
        let inbox = Arc::default();
        let replay = Replay {
            inbox: Arc::clone(&inbox),
            words: Vec::new(),
        };
        let chain = stemmer.clone().transform(ellipsis.transform(
            Decompounder.transform(GermanNormalizer.transform(GenderFolder.transform(replay))),
        ));
        WindowChain {
            inbox,
            chain,
            ellipsis,
            stemmer,
        }
    }
}

impl Clone for WindowChain {
    /// A clone gets an inbox of its own: two analyzers must not take each other's words.
    fn clone(&self) -> Self {
        WindowChain::new(self.ellipsis, self.stemmer.clone())
    }
}

/// What the memo knows about a word: its tokens and what ellipsis completion needs.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    /// Where its tokens start in [`Table::records`], and how many there are.
    at: u32,
    count: u16,
    /// Whether it runs through the steps themselves each time: any of its unstemmed tokens ends
    /// with the truncation mark, or (never for words of the tokenizer) its tokens do not fit the
    /// records.
    truncated: bool,
    /// Whether its unstemmed whole ends with the truncation mark or is a conjunction: ellipsis
    /// completion looks past such a word.
    passed_over: bool,
}

/// The bytes before a token's text in [`Table::records`]: its offsets relative to the word's
/// start and the length of its text, each one ASCII byte (below 128), so that the records are a
/// `str` and a token's text is a slice of it without checking its UTF-8 again.
const TOKEN_HEADER_BYTES: usize = 3;

/// A word of at most this many bytes is its own hash key, packed into an integer: no pointer to
/// follow and no `memcmp` per lookup. Nine German words in ten are this short.
const SHORT_WORD_BYTES: usize = 15;

/// A short word packed into two integers; as a pair of `u64` rather than a `u128` (which is
/// aligned to 16 bytes) a hash bucket takes 24 bytes instead of 32.
type ShortKey = (u64, u64);

/// `word` packed into two integers with its length in the top byte, if it is short enough.
fn short_key(word: &str) -> Option<ShortKey> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // Two (possibly overlapping) loads cover the word; shifting drops the overlap, so each byte
    // of the word lands in its own byte of the key.
    let (low, high) = match len {
        0 => (0, 0),
        1..=3 => {
            let mut low = 0;
            for (i, &b) in bytes.iter().enumerate() {
                low |= u64::from(b) << (8 * i);
            }
            (low, 0)
        }
        4..=7 => {
            let first = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"));
            let last = u32::from_le_bytes(bytes[len - 4..].try_into().expect("4 bytes"));
            let rest = u64::from(last) >> (8 * (8 - len));
            (u64::from(first) | rest << 32, 0)
        }
        8..=SHORT_WORD_BYTES => {
            let first = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
            let last = u64::from_le_bytes(bytes[len - 8..].try_into().expect("8 bytes"));
            (first, last.checked_shr(8 * (16 - len) as u32).unwrap_or(0))
        }
        _ => return None,
    };
    Some((low, high | (len as u64) << 56))
}

/// The hash of a short word's key; its top bits pick the word's slot in a [`ShortTable`] and in
/// [`Words::recent`]. The multiplications carry every bit of the key into the top bits.
fn short_hash(key: ShortKey) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    (key.0.wrapping_mul(K) ^ key.1).wrapping_mul(K)
}

/// The entries of short words, by open addressing with linear probing: a word's entry is found
/// in the slot its hash picks or in the next ones, up to an empty slot. Unlike a `HashMap`, a
/// lookup reads one place in memory: the slots hold the keys, and there are no separate
/// control bytes.
#[derive(Clone, Default)]
struct ShortTable {
    /// A power of two of slots, or none; an empty slot holds [`NO_KEY`].
    slots: Box<[(ShortKey, Entry)]>,
    len: usize,
}

impl ShortTable {
    /// The slot where the search for `hash` starts; the table has slots.
    fn start(&self, hash: u64) -> usize {
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    fn get(&self, key: ShortKey, hash: u64) -> Option<Entry> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.start(hash);
        loop {
            let (slot, entry) = self.slots[at];
            if slot == key {
                return Some(entry);
            }
            if slot == NO_KEY {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Sets the entry of `key`, which has the hash `hash`.
    fn insert(&mut self, key: ShortKey, hash: u64, entry: Entry) {
        // At most half the slots are taken, so that a search ends after a slot or two.
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = self.start(hash);
        loop {
            let slot = &mut self.slots[at];
            if slot.0 == key {
                slot.1 = entry;
                return;
            }
            if slot.0 == NO_KEY {
                *slot = (key, entry);
                self.len += 1;
                return;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let slots = (2 * self.slots.len()).max(64);
        let old = std::mem::replace(
            &mut self.slots,
            vec![(NO_KEY, Entry::default()); slots].into_boxed_slice(),
        );
        self.len = 0;
        for (key, entry) in old.iter().filter(|(key, _)| *key != NO_KEY) {
            self.insert(*key, short_hash(*key), *entry);
        }
    }

    fn contains_key(&self, key: ShortKey) -> bool {
        self.get(key, short_hash(key)).is_some()
    }

    fn iter(&self) -> impl Iterator<Item = (ShortKey, Entry)> + '_ {
        self.slots.iter().copied().filter(|(key, _)| *key != NO_KEY)
    }

    fn clear(&mut self) {
        self.slots.fill((NO_KEY, Entry::default()));
        self.len = 0;
    }
}

/// Remembered words and their tokens.
#[derive(Clone, Default)]
struct Table {
    short: ShortTable,
    long: FxHashMap<Box<str>, Entry>,
    /// The tokens of each word, one after the other: a header of [`TOKEN_HEADER_BYTES`], then
    /// the text. One place in memory per word, since the memo's lookups wait on memory more
    /// than on anything else.
    records: String,
}

impl Table {
    fn len(&self) -> usize {
        self.short.len + self.long.len()
    }

    /// The entry of `word`, whose [`short_key`] is `key` with the [`short_hash`] `hash`.
    fn get(&self, word: &str, key: Option<ShortKey>, hash: u64) -> Option<Entry> {
        match key {
            Some(key) => self.short.get(key, hash),
            None => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: &str, entry: Entry) {
        match short_key(word) {
            Some(key) => self.short.insert(key, short_hash(key), entry),
            None => {
                self.long.insert(word.into(), entry);
            }
        }
    }

    /// Appends a token to the records; returns false, appending nothing, if a figure is 128 or
    /// more (words reach the memo through `RemoveLongFilter`, so they are shorter than 100
    /// bytes, and this does not happen).
    fn push_token(&mut self, text: &str, from: usize, to: usize) -> bool {
        let header = [from, to, text.len()];
        if header.iter().any(|&figure| figure >= 0x80) {
            return false;
        }
        self.records
            .extend(header.iter().map(|&figure| char::from(figure as u8)));
        self.records.push_str(text);
        true
    }

    /// Where the next record starts.
    fn end(&self) -> u32 {
        // CAPACITY words of at most 100 bytes, each with a few parts, take far less than 4 GB.
        u32::try_from(self.records.len()).expect("a table holds less than 4 GB of records")
    }

    /// The token whose record starts at `at`: its text and offsets, and where the next record
    /// starts.
    fn token_at(&self, at: usize) -> (&str, usize, usize, usize) {
        let bytes = self.records.as_bytes();
        let (from, to, len) = (bytes[at], bytes[at + 1], bytes[at + 2]);
        let start = at + TOKEN_HEADER_BYTES;
        let end = start + usize::from(len);
        (
            &self.records[start..end],
            usize::from(from),
            usize::from(to),
            end,
        )
    }

    /// Where the records of `entry` end.
    fn end_of(&self, entry: Entry) -> usize {
        let mut at = entry.at as usize;
        for _ in 0..entry.count {
            at = self.token_at(at).3;
        }
        at
    }

    /// Every word with its entry, in no particular order.
    fn words(&self) -> impl Iterator<Item = (WordKey<'_>, Entry)> {
        let short = self
            .short
            .iter()
            .map(|(key, entry)| (WordKey::Short(key), entry));
        let long = self
            .long
            .iter()
            .map(|(word, &entry)| (WordKey::Long(word), entry));
        short.chain(long)
    }

    /// Adds `word`, whose `entry` points into `other`, with a copy of its tokens.
    fn insert_from(&mut self, word: WordKey<'_>, entry: Entry, other: &Table) {
        let at = self.end();
        self.records
            .push_str(&other.records[entry.at as usize..other.end_of(entry)]);
        let entry = Entry { at, ..entry };
        match word {
            WordKey::Short(key) => self.short.insert(key, short_hash(key), entry),
            WordKey::Long(word) => {
                self.long.insert(word.into(), entry);
            }
        }
    }

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
        self.records.clear();
    }
}

/// A word as a [`Table`] keys it.
#[derive(Clone, Copy)]
enum WordKey<'a> {
    Short(ShortKey),
    Long(&'a str),
}

impl WordKey<'_> {
    /// Whether `table` already holds this word.
    fn is_in(&self, table: &Table) -> bool {
        match self {
            WordKey::Short(key) => table.short.contains_key(*key),
            WordKey::Long(word) => table.long.contains_key(*word),
        }
    }
}

/// An entry and the table whose tokens it points into.
#[derive(Clone, Copy, Default)]
struct Found {
    entry: Entry,
    shared: bool,
}

/// The memo and the steps that fill it.
struct Words {
    chain: DecompounderFilter<GermanNormalizerFilter<GenderFolderFilter<OneWord>>>,
    stems: Stems,
    /// The words of all analyzers, as they were when this one started or last published.
    shared: Arc<Table>,
    /// The words this analyzer computed that `shared` does not hold.
    local: Table,
    /// How many words `local` holds before it is published and emptied: [`CAPACITY`], less
    /// in tests.
    capacity: usize,
    /// How many words `local` held when it was last published.
    published: usize,
    /// The short words found last, by a hash of their key: a lookup in 128 KB that stay in
    /// the processor's caches, before the tables of megabytes. With 4,096 slots it answers
    /// about four lookups in five on German text (1,024: two in three; 16,384: 87 %, but
    /// then it crowds tantivy's own tables out of the cache and indexing gets slower).
    recent: Box<[(ShortKey, Found)]>,
    stem: String,
}

/// The number of slots of [`Words::recent`], a power of two.
const RECENT_SLOTS: usize = 1 << 12;

/// A key no word has (its length byte is above [`SHORT_WORD_BYTES`]): an empty slot.
const NO_KEY: ShortKey = (u64::MAX, u64::MAX);

/// The slot in [`Words::recent`] of the key whose [`short_hash`] is `hash`.
fn recent_slot(hash: u64) -> usize {
    (hash >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

impl Clone for Words {
    /// A clone starts from the shared table as it is now, with no words of its own.
    fn clone(&self) -> Self {
        Words::new(self.stems.clone())
    }
}

impl Drop for Words {
    fn drop(&mut self) {
        if self.local.len() >= PUBLISH_MIN {
            publish(&self.local);
        }
    }
}

impl Words {
    fn new(stems: Stems) -> Self {
        Words {
            chain: Decompounder
                .transform(GermanNormalizer.transform(GenderFolder.transform(OneWord::default()))),
            stems,
            shared: shared(),
            local: Table::default(),
            capacity: CAPACITY,
            published: 0,
            recent: vec![(NO_KEY, Found::default()); RECENT_SLOTS].into_boxed_slice(),
            stem: String::new(),
        }
    }

    /// The table `found` points into.
    fn table(&self, found: Found) -> &Table {
        if found.shared {
            &self.shared
        } else {
            &self.local
        }
    }

    /// The entry of `word`, computed on first sight.
    fn entry(&mut self, word: &str) -> Found {
        let key = short_key(word);
        let hash = key.map_or(0, short_hash);
        let slot = key.map(|_| recent_slot(hash));
        if let (Some(key), Some(slot)) = (key, slot) {
            let (recent, found) = self.recent[slot];
            if recent == key {
                return found;
            }
        }
        let found = self.lookup(word, key, hash);
        if let (Some(key), Some(slot), Some(found)) = (key, slot, found) {
            self.recent[slot] = (key, found);
        }
        found.unwrap_or_else(|| self.compute(word))
    }

    /// The entry of `word` in the shared or the local table; `key` is its [`short_key`],
    /// `hash` the key's [`short_hash`].
    fn lookup(&self, word: &str, key: Option<ShortKey>, hash: u64) -> Option<Found> {
        if let Some(entry) = self.shared.get(word, key, hash) {
            return Some(Found {
                entry,
                shared: true,
            });
        }
        let entry = self.local.get(word, key, hash)?;
        Some(Found {
            entry,
            shared: false,
        })
    }

    /// Runs `word` through the steps and remembers its tokens.
    fn compute(&mut self, word: &str) -> Found {
        let unpublished = self.local.len() - self.published;
        if unpublished > 0 && unpublished.is_multiple_of(REFRESH_EVERY) {
            // Words another analyzer published since: the latest version holds every record
            // of this one where it was, so the recent words stay valid.
            self.shared = shared();
        }
        if self.local.len()
            >= self
                .capacity
                .min(self.published + publish_after(self.shared.len()))
        {
            let (shared, complete) = publish(&self.local);
            self.shared = shared;
            self.published = self.local.len();
            if complete || self.local.len() >= self.capacity {
                self.local.clear();
                self.published = 0;
                // The recent words may point into the table just emptied.
                self.recent.fill((NO_KEY, Found::default()));
            }
        }
        let at = self.local.end();
        let (mut count, mut fits) = (0u16, true);
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
            fits &= self
                .local
                .push_token(text, token.offset_from, token.offset_to);
            count += 1;
        }
        if !fits {
            // Run through the steps each time, as truncated words are.
            self.local.records.truncate(at as usize);
            return Found {
                entry: Entry {
                    truncated: true,
                    ..Entry::default()
                },
                shared: false,
            };
        }
        let entry = Entry {
            at,
            count,
            truncated,
            passed_over,
        };
        self.local.insert(word, entry);
        Found {
            entry,
            shared: false,
        }
    }
}

impl Tokenizer for WordMemo {
    type TokenStream<'a> = WordMemoStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.window.clear();
        WordMemoStream {
            text,
            tail: self.inner.token_stream(text),
            key: &mut self.key,
            words: &mut self.words,
            window_chain: &mut self.window_chain,
            token: &mut self.token,
            window: &mut self.window,
            in_window: 0,
            found: Found {
                entry: Entry::default(),
                shared: false,
            },
            cursor: 0,
            remaining: 0,
            base: 0,
            position: 0,
        }
    }
}

/// The token stream of [`WordMemo`].
pub struct WordMemoStream<'a> {
    text: &'a str,
    tail: WordTokenStream<'a>,
    key: &'a mut String,
    words: &'a mut Words,
    window_chain: &'a mut WindowChain,
    token: &'a mut Token,
    /// The tokens of words that ran through the steps themselves; `window[in_window..]` are
    /// still to come.
    window: &'a mut Vec<Token>,
    in_window: usize,
    /// The `remaining` tokens of the current word, from `cursor` on in the records of the
    /// table `found` points into, are still to come.
    found: Found,
    cursor: usize,
    remaining: u16,
    /// The current word's start in the text, and its position.
    base: usize,
    position: usize,
}

impl WordMemoStream<'_> {
    /// The next word the tokenizer cuts that is not too long to index.
    fn next_word(&mut self) -> Option<Word> {
        loop {
            let word = self.tail.next_word()?;
            if word.token_len() < MAX_TOKEN_BYTES {
                return Some(word);
            }
        }
    }

    /// The memo's entry for `word`.
    fn entry(&mut self, word: &Word) -> Found {
        let text = &self.text[word.start..word.end];
        if word.truncated {
            self.key.clear();
            self.key.push_str(text);
            self.key.push('-');
            self.words.entry(self.key)
        } else {
            self.words.entry(text)
        }
    }

    /// Runs the truncated `word` just read, and the words its completion may reach, through
    /// the steps themselves into `window`.
    fn run_window(&mut self, word: &Word) {
        let token = |word: &Word| {
            let mut token = Token::default();
            word.fill(self.text, &mut token);
            token
        };
        let mut words = vec![token(word)];
        while let Some(word) = self.next_word() {
            let entry = self.entry(&word).entry;
            words.push(token(&word));
            if !(entry.passed_over || entry.truncated) {
                break;
            }
        }
        *self
            .window_chain
            .inbox
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = words;
        let mut stream = self.window_chain.chain.token_stream(self.text);
        self.window.clear();
        self.in_window = 0;
        while stream.advance() {
            self.window.push(stream.token().clone());
        }
    }
}

impl TokenStream for WordMemoStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(token) = self.window.get_mut(self.in_window) {
                std::mem::swap(self.token, token);
                self.in_window += 1;
                return true;
            }
            if self.remaining > 0 {
                let (text, from, to, next) = self.words.table(self.found).token_at(self.cursor);
                self.cursor = next;
                self.remaining -= 1;
                let token = &mut *self.token;
                token.text.clear();
                token.text.push_str(text);
                token.offset_from = self.base + from;
                token.offset_to = self.base + to;
                token.position = self.position;
                token.position_length = 1;
                return true;
            }
            let Some(word) = self.next_word() else {
                return false;
            };
            let found = self.entry(&word);
            let entry = found.entry;
            if entry.truncated {
                self.run_window(&word);
            } else {
                self.found = found;
                (self.cursor, self.remaining) = (entry.at as usize, entry.count);
                (self.base, self.position) = (word.start, word.position);
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

/// A tokenizer that replays words already cut from the text: those put in its inbox last.
#[derive(Clone)]
struct Replay {
    inbox: Arc<Mutex<Vec<Token>>>,
    words: Vec<Token>,
}

impl Tokenizer for Replay {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, _text: &'a str) -> ReplayStream<'a> {
        self.words = std::mem::take(&mut *self.inbox.lock().unwrap_or_else(|p| p.into_inner()));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens `words` gives for `word`: text and offsets.
    fn tokens_of(words: &mut Words, word: &str) -> Vec<(String, usize, usize)> {
        let found = words.entry(word);
        let table = words.table(found);
        let mut at = found.entry.at as usize;
        let mut tokens = Vec::new();
        for _ in 0..found.entry.count {
            let (text, from, to, next) = table.token_at(at);
            tokens.push((text.to_string(), from, to));
            at = next;
        }
        tokens
    }

    /// Words no other test uses, so that the shared table holds none of them before.
    fn fresh_words(prefix: &str, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{prefix}{i}Integrationskurs"))
            .collect()
    }

    #[test]
    fn words_published_by_one_analyzer_are_found_by_the_next() {
        let stems = GermanStemmer::default().stems();
        let words = fresh_words("Veröffentlicht", PUBLISH_MIN + 10);
        let mut first = Words::new(stems.clone());
        let expected: Vec<_> = words.iter().map(|w| tokens_of(&mut first, w)).collect();
        assert!(expected.iter().all(|tokens| !tokens.is_empty()));
        drop(first);
        let mut second = Words::new(stems);
        for (word, expected) in words.iter().zip(&expected) {
            assert!(second.entry(word).shared, "{word} is shared");
            assert_eq!(tokens_of(&mut second, word), *expected, "{word}");
        }
        assert_eq!(second.local.len(), 0);
    }

    #[test]
    fn an_analyzer_publishes_its_words_while_it_works() {
        let stems = GermanStemmer::default().stems();
        let words = fresh_words("Unterwegs", PUBLISH_EVERY + 1);
        let mut busy = Words::new(stems.clone());
        for word in &words {
            busy.entry(word);
        }
        // It published at least once (it keeps going, not dropped), and what it keeps to
        // itself are the words since.
        assert!(busy.local.len() <= PUBLISH_EVERY, "{}", busy.local.len());
        let mut other = Words::new(stems);
        for word in &words[..words.len() - busy.local.len()] {
            assert!(other.entry(word).shared, "{word} is shared");
        }
    }

    #[test]
    fn an_analyzer_takes_the_words_others_published_while_it_works() {
        let stems = GermanStemmer::default().stems();
        let mut reader = Words::new(stems.clone());
        let theirs = fresh_words("Nebenan", PUBLISH_MIN + 10);
        let mut writer = Words::new(stems);
        for word in &theirs {
            writer.entry(word);
        }
        // It published some of them as it went; the rest, fewer than PUBLISH_MIN when the
        // shared table is small, it would keep to itself when dropped.
        publish(&writer.local);
        drop(writer);
        let key = short_key(&theirs[0]);
        let hash = key.map_or(0, short_hash);
        assert!(
            reader.lookup(&theirs[0], key, hash).is_none(),
            "not yet seen"
        );
        // After computing as many words of its own, it reads the latest shared table.
        for word in fresh_words("Eigen", REFRESH_EVERY + 1) {
            reader.entry(&word);
        }
        for word in &theirs {
            assert!(reader.entry(word).shared, "{word} is shared");
        }
    }

    #[test]
    fn a_full_table_is_published_and_emptied_without_changing_tokens() {
        let stems = GermanStemmer::default().stems();
        // Short words are also in the cache of recent words, which must not outlive the
        // table its entries point into: each word is looked up twice in a row, so that the
        // second lookup finds it in the analyzer's own table, which is emptied every 7 words.
        let mut words = fresh_words("Voll", 20);
        words.extend(('a'..='t').map(|c| format!("Zqx{c}")));
        words.extend(["Kita", "Städte", "Ämter", "Sprach-", "und"].map(String::from));
        let mut small = Words::new(stems.clone());
        small.capacity = 7;
        let mut reference = Words::new(stems);
        for _ in 0..3 {
            for word in &words {
                let expected = tokens_of(&mut reference, word);
                for _ in 0..2 {
                    assert_eq!(tokens_of(&mut small, word), expected, "{word}");
                }
                assert!(small.local.len() <= 7);
            }
        }
    }

    #[test]
    fn a_short_table_finds_what_it_holds_through_collisions_and_growth() {
        let entry = |at: u32| Entry {
            at,
            count: 1,
            ..Entry::default()
        };
        let mut table = ShortTable::default();
        assert_eq!(table.get((1, 2), 0).map(|e| e.at), None, "an empty table");
        let keys: Vec<ShortKey> = (0..5_000u64).map(|i| (i, 3 << 56)).collect();
        // Words that share a hash take the slots after the first (the table has 64 slots,
        // and grows beyond 31 words).
        for (i, &key) in keys[..20].iter().enumerate() {
            table.insert(key, 7, entry(i as u32));
        }
        assert_eq!(table.slots.len(), 64);
        for (i, &key) in keys[..20].iter().enumerate() {
            assert_eq!(table.get(key, 7).map(|e| e.at), Some(i as u32));
        }
        assert!(table.get(keys[20], 7).is_none());
        // Many words make it grow.
        for (i, &key) in keys.iter().enumerate().skip(20) {
            table.insert(key, short_hash(key), entry(i as u32));
        }
        assert_eq!(table.len, keys.len());
        assert!(
            table.slots.len() >= 2 * keys.len(),
            "at most half the slots are taken"
        );
        for (i, &key) in keys.iter().enumerate() {
            // Growing moved every word to the slot of its true hash.
            assert_eq!(
                table.get(key, short_hash(key)).map(|e| e.at),
                Some(i as u32)
            );
        }
        assert!(!table.contains_key((9_999, 3 << 56)));
        table.insert(keys[60], short_hash(keys[60]), entry(99));
        assert_eq!(table.len, keys.len(), "setting an entry again adds no word");
        assert_eq!(
            table.get(keys[60], short_hash(keys[60])).map(|e| e.at),
            Some(99)
        );
        assert_eq!(table.iter().count(), keys.len());
        table.clear();
        assert_eq!((table.len, table.iter().count()), (0, 0));
        assert!(!table.contains_key(keys[0]));
    }

    #[test]
    fn short_keys_tell_every_short_word_apart() {
        // Every word of 0 to 15 letters over {a, b}: words that differ in one byte, or only
        // in length, get keys of their own.
        let mut keys = FxHashMap::default();
        for len in 0..=SHORT_WORD_BYTES {
            for bits in 0..1u32 << len {
                let word: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'a' })
                    .collect();
                let key = short_key(&word).expect("a short word has a key");
                assert_eq!(short_key(&word), Some(key), "{word}");
                if let Some(other) = keys.insert(key, word.clone()) {
                    panic!("{word:?} and {other:?} share a key");
                }
            }
        }
        assert!(short_key("Flüchtlingsint").is_some());
        assert_eq!(short_key("Flüchtlingsintegration"), None);
    }
}
