//! Remembers what the chain made of each word, so that a word is analyzed once.
//!
//! German text repeats its words: in the Bundestag speeches a distinct word comes about forty
//! times, and the steps (above all the decompounder's search) cost far more than a lookup.
//!
//! The copies of an analyzer (tantivy clones the registered analyzer for every field of every
//! segment it writes, on each of its indexing threads) share their words. Each copy reads a
//! version of the shared [`Table`] without a lock, and keeps the words it computes itself in a
//! table of its own; between two texts it merges them into a new version of the shared table
//! (under a lock, once it has computed enough of them) or takes the latest version that others
//! published. A new version is the last one with words appended, so whatever a copy found in
//! an older version reads the same in a newer one. Publishing copies the shared table, so a copy
//! waits for a quarter of the shared table's size in new words before it publishes: the copies
//! then add up to a few times the final size. The shared table stops growing at
//! [`SHARED_CAPACITY`] words and lives as long as the analyzer registered with an index (or any
//! copy of it): dropping the [`Library`](crate::Library) releases it.
//!
//! Lookups wait on memory more than on anything else, so a table finds a short word (nine in
//! ten) by the word itself packed into two integers, with no pointer to follow and no string to
//! compare, and keeps a word's tokens where one read finds them, one after the other in a single
//! string of records (a short header of offsets and length, then the token's text). A table
//! keeps nothing else of a word: ellipsis completion, which needs the unstemmed forms, analyzes the few words
//! around a truncated word again, and so does a word whose figures do not fit a header. See
//! benches/README.md for what each of these is worth.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::chain::{Chain, Scratch, Word};

/// The most words the shared table holds.
const SHARED_CAPACITY: usize = 200_000;

/// The most words a copy's own table holds before it is emptied: only when the shared table
/// is full can a copy's own table grow this large.
const OWN_CAPACITY: usize = 200_000;

/// A copy that computed fewer new words than this keeps them to itself when it is dropped: a
/// short-lived copy would otherwise copy the shared table for a handful of words.
const PUBLISH_MIN: usize = 1_000;

/// A copy publishes its words after computing at most this many, so that the copies working
/// beside it need not compute them again.
const PUBLISH_EVERY: usize = 16_384;

/// A copy publishes after computing at least this many new words, and takes the latest shared
/// table every time it has computed this many.
const REFRESH_EVERY: usize = 256;

/// How many new words a copy computes before it publishes them, with `shared` words in the
/// version it reads.
fn publish_after(shared: usize) -> usize {
    (shared / 4).clamp(REFRESH_EVERY, PUBLISH_EVERY)
}

/// The bytes before a token's text in the records: its offsets in the word and the length of
/// its text, each one ASCII character, so that the records are a `str` and a token's text is a
/// slice of it.
const HEADER_BYTES: usize = 3;

/// A word of at most this many bytes is its own key, packed into two integers.
const SHORT_WORD_BYTES: usize = 15;

/// A short word packed into two integers: its bytes, and its length in the top byte.
type ShortKey = (u64, u64);

/// `word` packed into a [`ShortKey`], if it is short enough.
fn short_key(word: &str) -> Option<ShortKey> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // Two (possibly overlapping) loads cover the word, and shifting drops the overlap: a copy
    // of a variable length would go through memory and stall the loads after it.
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

/// Where a word's tokens are, in the shared table or in a copy's own, packed into one integer
/// so that it passes in a register: where its records start (the low 32 bits), how many tokens
/// it has (the next 16), then the flags below.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry(u64);

impl Entry {
    /// It has records: not if its figures do not fit a header, and then it is analyzed each
    /// time.
    const IN_RECORDS: u64 = 1 << 48;
    /// Its whole ends with a truncation mark.
    const TRUNCATED: u64 = 1 << 49;
    /// It is a conjunction.
    const CONJUNCTION: u64 = 1 << 50;
    /// It is in the shared table (else in the copy's own).
    const SHARED: u64 = 1 << 51;

    fn new(at: u32, count: u16, flags: u64) -> Entry {
        Entry(u64::from(at) | u64::from(count) << 32 | flags)
    }

    fn at(self) -> usize {
        (self.0 & 0xFFFF_FFFF) as usize
    }

    fn count(self) -> usize {
        (self.0 >> 32 & 0xFFFF) as usize
    }

    /// Whether its tokens are in the records.
    pub fn in_records(self) -> bool {
        self.0 & Self::IN_RECORDS != 0
    }

    /// Whether its whole ends with a truncation mark: ellipsis completion looks past it.
    pub fn truncated(self) -> bool {
        self.0 & Self::TRUNCATED != 0
    }

    /// Whether it is a conjunction: ellipsis completion looks past it.
    pub fn conjunction(self) -> bool {
        self.0 & Self::CONJUNCTION != 0
    }

    fn shared(self) -> bool {
        self.0 & Self::SHARED != 0
    }

    /// The same entry with its records at `at`.
    fn moved_to(self, at: u32) -> Entry {
        Entry(self.0 & !0xFFFF_FFFF | u64::from(at))
    }
}

/// A word as a [`Table`] keys it.
#[derive(Clone, Copy)]
enum Key<'a> {
    Short(ShortKey),
    Long(&'a str),
}

impl<'a> Key<'a> {
    fn of(word: &'a str) -> Self {
        short_key(word).map_or(Key::Long(word), Key::Short)
    }
}

/// Words and their tokens.
#[derive(Clone, Default)]
struct Table {
    short: FxHashMap<ShortKey, Entry>,
    long: FxHashMap<Box<str>, Entry>,
    /// The tokens of every word, one record after the other.
    records: String,
}

impl Table {
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn get(&self, key: Key) -> Option<Entry> {
        match key {
            Key::Short(key) => self.short.get(&key).copied(),
            Key::Long(word) => self.long.get(word).copied(),
        }
    }

    /// Adds `key`, which the table does not hold, with the tokens of `word`.
    fn insert(&mut self, key: Key, word: &Word) -> Entry {
        let start = self.records.len();
        let fits = word.tokens.len() <= usize::from(u16::MAX)
            && word.tokens.iter().all(|token| {
                [token.from, token.to, token.text.len()]
                    .iter()
                    .all(|&figure| figure < 0x80)
            });
        if fits {
            for token in &word.tokens {
                let header = [token.from, token.to, token.text.len()];
                self.records
                    .extend(header.iter().map(|&figure| char::from(figure as u8)));
                self.records.push_str(&token.text);
            }
        }
        let flags = [
            (fits, Entry::IN_RECORDS),
            (word.truncated, Entry::TRUNCATED),
            (word.conjunction, Entry::CONJUNCTION),
        ]
        .iter()
        .filter(|(set, _)| *set)
        .fold(0, |flags, (_, flag)| flags | flag);
        let entry = Entry::new(
            // A table holds at most OWN_CAPACITY or SHARED_CAPACITY words of fewer than 100
            // bytes, each with a few tokens.
            u32::try_from(start).expect("a table holds less than 4 GB"),
            if fits { word.tokens.len() as u16 } else { 0 },
            flags,
        );
        self.insert_entry(key, entry);
        entry
    }

    /// Adds `key` with `entry`, whose records are in place.
    fn insert_entry(&mut self, key: Key, entry: Entry) {
        match key {
            Key::Short(key) => {
                self.short.insert(key, entry);
            }
            Key::Long(word) => {
                self.long.insert(word.into(), entry);
            }
        }
    }

    /// Adds `key`, which the table does not hold, with a copy of the records of `entry` in
    /// `other`.
    fn insert_from(&mut self, key: Key, entry: Entry, other: &Table) {
        let start = entry.at();
        let mut end = start;
        for _ in 0..entry.count() {
            let len = usize::from(other.records.as_bytes()[end + 2]);
            end += HEADER_BYTES + len;
        }
        let at = u32::try_from(self.records.len()).expect("a table holds less than 4 GB");
        self.records.push_str(&other.records[start..end]);
        self.insert_entry(key, entry.moved_to(at));
    }

    /// Every word with its entry, in no particular order.
    fn words(&self) -> impl Iterator<Item = (Key<'_>, Entry)> {
        let short = self
            .short
            .iter()
            .map(|(&key, &entry)| (Key::Short(key), entry));
        let long = self
            .long
            .iter()
            .map(|(word, &entry)| (Key::Long(word), entry));
        short.chain(long)
    }
}

/// Where the copies of an analyzer publish their words: the latest version of the shared table.
type Shared = Arc<Mutex<Arc<Table>>>;

/// A copy of an analyzer's words; see the [module documentation](self).
pub(crate) struct WordCache {
    /// The version of the shared table this copy reads.
    snapshot: Arc<Table>,
    /// The words this copy computed that `snapshot` does not hold.
    own: Table,
    /// How many words `own` held when this copy last published, and last took the latest
    /// version.
    published: usize,
    refreshed: usize,
    /// None for an analyzer that shares nothing, such as one made for a single query.
    shared: Option<Shared>,
}

impl Default for WordCache {
    /// A cache that shares nothing.
    fn default() -> Self {
        WordCache::with(None)
    }
}

impl Clone for WordCache {
    /// A copy reads the latest shared table, with no words of its own.
    fn clone(&self) -> Self {
        WordCache::with(self.shared.clone())
    }
}

impl Drop for WordCache {
    fn drop(&mut self) {
        if self.own.len() >= PUBLISH_MIN {
            self.publish();
        }
    }
}

/// The latest version of the shared table.
fn latest(shared: &Shared) -> Arc<Table> {
    Arc::clone(
        &shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    )
}

impl WordCache {
    /// A cache whose copies share their words.
    pub fn shared() -> Self {
        WordCache::with(Some(Shared::default()))
    }

    /// A cache reading the latest version of `shared`, with no words of its own.
    fn with(shared: Option<Shared>) -> Self {
        WordCache {
            snapshot: shared.as_ref().map(latest).unwrap_or_default(),
            own: Table::default(),
            published: 0,
            refreshed: 0,
            shared,
        }
    }

    /// Publishes this copy's words or takes the latest shared table, when it is time, and
    /// empties a full table of its own. Entries handed out before may be invalid after, so this
    /// is called only between texts.
    pub fn between_texts(&mut self) {
        if let Some(shared) = &self.shared {
            if self.own.len() - self.published >= publish_after(self.snapshot.len()) {
                self.publish();
            } else if self.own.len() - self.refreshed >= REFRESH_EVERY {
                // A newer version holds every record of this one where it was, so the entries
                // found in this one stay valid.
                self.snapshot = latest(shared);
                self.refreshed = self.own.len();
            }
        }
        if self.own.len() >= OWN_CAPACITY {
            self.forget_own();
        }
    }

    /// Empties this copy's own table.
    fn forget_own(&mut self) {
        self.own = Table::default();
        (self.published, self.refreshed) = (0, 0);
    }

    /// Merges the words of this copy's own table into a new version of the shared table, up to
    /// [`SHARED_CAPACITY`] words, and reads that version from now on.
    fn publish(&mut self) {
        let Some(shared) = &self.shared else {
            return;
        };
        let mut slot = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let room = SHARED_CAPACITY.saturating_sub(slot.len());
        if room == 0 {
            // Full: nothing is merged, and which of this copy's words it holds is not worth a
            // lookup each.
            self.snapshot = Arc::clone(&slot);
            (self.published, self.refreshed) = (self.own.len(), self.own.len());
            return;
        }
        let missing: Vec<_> = self
            .own
            .words()
            .filter(|&(key, _)| slot.get(key).is_none())
            .collect();
        if !missing.is_empty() {
            let mut merged = Table::clone(&slot);
            for &(key, entry) in missing.iter().take(room) {
                merged.insert_from(key, entry, &self.own);
            }
            *slot = Arc::new(merged);
        }
        self.snapshot = Arc::clone(&slot);
        drop(slot);
        if missing.len() <= room {
            self.forget_own();
        } else {
            (self.published, self.refreshed) = (self.own.len(), self.own.len());
        }
    }

    /// The entry of `word`, computed by `chain` from `original` and `truncated` the first time
    /// this copy meets it, unless a version of the shared table it read holds it.
    pub fn entry(
        &mut self,
        word: &str,
        chain: Chain,
        original: &str,
        truncated: bool,
        scratch: &mut Scratch,
    ) -> Entry {
        let key = Key::of(word);
        match self.snapshot.get(key) {
            Some(entry) => Entry(entry.0 | Entry::SHARED),
            None => match self.own.get(key) {
                Some(entry) => entry,
                None => {
                    let own = &mut self.own;
                    chain.analyze_with(original, truncated, scratch, |word| own.insert(key, word))
                }
            },
        }
    }

    /// The table `entry` points into.
    fn table(&self, entry: Entry) -> &Table {
        if entry.shared() {
            &self.snapshot
        } else {
            &self.own
        }
    }

    /// The number of tokens of `entry`.
    pub fn count(entry: Entry) -> usize {
        entry.count()
    }

    /// The token of `entry` (which has records) whose record starts at `cursor` (0 for its
    /// first), as its text and offsets in the word, and the cursor of the next token.
    #[inline]
    pub fn token(&self, entry: Entry, cursor: usize) -> (&str, usize, usize, usize) {
        let records = &self.table(entry).records;
        let at = entry.at() + cursor;
        let bytes = records.as_bytes();
        let (from, to, len) = (bytes[at], bytes[at + 1], bytes[at + 2]);
        let start = at + HEADER_BYTES;
        let end = start + usize::from(len);
        (
            &records[start..end],
            usize::from(from),
            usize::from(to),
            end - entry.at(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::chain::INDEX_TIME;

    /// The tokens `cache` gives for `word`: text and offsets.
    fn tokens_of(cache: &mut WordCache, word: &str) -> Vec<(String, usize, usize)> {
        let entry = cache.entry(word, INDEX_TIME, word, false, &mut Scratch::default());
        let mut cursor = 0;
        (0..WordCache::count(entry))
            .map(|_| {
                let (text, from, to, next) = cache.token(entry, cursor);
                cursor = next;
                (text.to_string(), from, to)
            })
            .collect()
    }

    /// Whether `cache` finds `word` without computing it.
    fn knows(cache: &WordCache, word: &str) -> bool {
        let key = Key::of(word);
        cache.snapshot.get(key).is_some() || cache.own.get(key).is_some()
    }

    fn words(prefix: &str, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{prefix}{i}Integrationskurs"))
            .collect()
    }

    #[test]
    fn words_published_by_one_copy_are_read_by_the_next() {
        let mut first = WordCache::shared();
        let words = words("Veröffentlicht", PUBLISH_MIN + 10);
        let expected: Vec<_> = words.iter().map(|w| tokens_of(&mut first, w)).collect();
        assert!(expected.iter().all(|tokens| !tokens.is_empty()));
        let mut second = first.clone();
        assert!(!knows(&second, &words[0]), "nothing published yet");
        drop(first);
        let mut third = second.clone();
        for (word, expected) in words.iter().zip(&expected) {
            assert!(knows(&third, word), "{word}");
            assert_eq!(tokens_of(&mut third, word), *expected, "{word}");
            assert_eq!(tokens_of(&mut second, word), *expected, "{word}");
        }
        assert_eq!(third.own.len(), 0, "it computed nothing");
    }

    #[test]
    fn a_copy_takes_the_words_others_published_between_texts() {
        let mut reader = WordCache::shared();
        let mut writer = reader.clone();
        let theirs = words("Nebenan", 2 * REFRESH_EVERY);
        for word in &theirs {
            tokens_of(&mut writer, word);
        }
        writer.between_texts();
        assert_eq!(writer.own.len(), 0, "published all of them");
        assert!(
            !knows(&reader, &theirs[0]),
            "not before it takes the latest version"
        );
        for word in words("Eigen", REFRESH_EVERY) {
            tokens_of(&mut reader, &word);
        }
        reader.between_texts();
        assert!(theirs.iter().all(|word| knows(&reader, word)));
    }

    #[test]
    fn entries_found_in_an_older_version_read_the_same_in_a_newer_one() {
        let mut cache = WordCache::shared();
        let first = words("Alt", PUBLISH_MIN);
        for word in &first {
            tokens_of(&mut cache, word);
        }
        cache.publish();
        let old = Arc::clone(&cache.snapshot);
        for word in words("Neu", PUBLISH_MIN) {
            tokens_of(&mut cache, &word);
        }
        cache.publish();
        assert!(cache.snapshot.len() > old.len());
        for word in &first {
            let entry = old.get(Key::of(word)).expect("in the old version");
            let newer = cache
                .snapshot
                .get(Key::of(word))
                .expect("in the new version");
            assert_eq!(entry, newer, "{word}");
        }
    }

    #[test]
    fn a_cache_that_shares_nothing_keeps_its_words() {
        let mut cache = WordCache::default();
        let words = words("Allein", PUBLISH_MIN + 1);
        for word in &words {
            tokens_of(&mut cache, word);
        }
        cache.between_texts();
        assert!(words.iter().all(|word| knows(&cache, word)));
        assert_eq!(cache.snapshot.len(), 0);
    }

    #[test]
    fn a_word_whose_figures_do_not_fit_a_header_has_no_records() {
        let mut table = Table::default();
        let long = "x".repeat(130);
        let word = Word::new(&long, &long);
        let entry = table.insert(Key::of(&long), &word);
        assert!(!entry.in_records());
        assert_eq!(WordCache::count(entry), 0);
        let short = Word::new("Kita", "kita");
        assert!(table.insert(Key::of("Kita"), &short).in_records());
    }

    #[test]
    fn short_keys_tell_every_short_word_apart() {
        // Every word of 0 to 15 letters over {a, b}: words that differ in one byte, or only in
        // length, get keys of their own.
        let mut keys = FxHashMap::default();
        for len in 0..=SHORT_WORD_BYTES {
            for bits in 0..1u32 << len {
                let word: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'a' })
                    .collect();
                let key = short_key(&word).expect("a short word has a key");
                if let Some(other) = keys.insert(key, word.clone()) {
                    panic!("{word:?} and {other:?} share a key");
                }
            }
        }
        assert!(short_key("Flüchtlingsint").is_some());
        assert_eq!(short_key("Flüchtlingsintegration"), None);
    }
}
