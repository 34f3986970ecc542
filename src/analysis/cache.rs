//! Remembers what the chain made of each word, so that a word is analyzed once.
//!
//! German text repeats its words: in the Bundestag speeches a distinct word comes about forty
//! times, and the steps (above all the decompounder's search) cost far more than a lookup.
//!
//! Two levels. Each analyzer keeps the words it met in a map of its own, read without a lock;
//! the words any copy of the analyzer computed are also put in a map shared by all copies
//! (tantivy clones the registered analyzer for every segment it writes, and a copy that
//! started empty would analyze every word again). A word missing from an analyzer's own map is
//! looked up in the shared one under a lock, and only computed if it is missing there too. Both
//! are bounded: an analyzer's own map is emptied when it is full, the shared one stops growing.
//! The shared map lives as long as the analyzer registered with an index (or any copy of it),
//! so dropping the [`Library`](crate::Library) releases it.
//!
//! Lookups wait on memory more than on anything else, so an analyzer's own map finds a short
//! word (nine in ten) by the word itself packed into two integers, with no pointer to follow
//! and no string to compare, and keeps a word's tokens where one read finds them: one after the
//! other in a single string of records, each a short header (offsets and length) and the
//! token's text. The word's full analysis, which ellipsis completion needs, is one step further
//! and read only around truncated words. See benches/README.md for what each of these is
//! worth.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::chain::{Analyzed, Chain, Scratch};

/// The most words the shared map holds.
const SHARED_CAPACITY: usize = 200_000;

/// The most words an analyzer's own map holds before it is emptied.
const OWN_CAPACITY: usize = 200_000;

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

/// The number of slots of [`WordCache::recent`], a power of two: 128 KB, which stay in the
/// processor's caches.
const RECENT_SLOTS: usize = 1 << 12;

/// A key no word has (its length byte is above [`SHORT_WORD_BYTES`]): an empty recent slot.
const NO_KEY: ShortKey = (u64::MAX, u64::MAX);

/// The slot of `key` in [`WordCache::recent`]: the top bits of a multiplicative hash, into
/// which the multiplications carry every bit of the key.
fn recent_slot(key: ShortKey) -> usize {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let hash = (key.0.wrapping_mul(K) ^ key.1).wrapping_mul(K);
    (hash >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

/// The words shared by the copies of one analyzer.
type Shared = Arc<Mutex<FxHashMap<Box<str>, Arc<Analyzed>>>>;

/// A word in an analyzer's own map: where its tokens are, and whether it is truncated.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Entry {
    /// Where its records start, and how many tokens it has; no records if its figures do not
    /// fit a header (then its tokens are read from its analysis).
    at: u32,
    count: u16,
    in_records: bool,
    /// Whether its whole ends with a truncation mark.
    pub truncated: bool,
    /// Its analysis in [`WordCache::analyses`].
    id: u32,
}

/// An analyzer's words: its own, and the ones its copies share.
pub(crate) struct WordCache {
    /// The short words found last, each in the slot its key picks: most lookups end here,
    /// before the maps of megabytes.
    recent: Box<[(ShortKey, Entry)]>,
    short: FxHashMap<ShortKey, Entry>,
    long: FxHashMap<Box<str>, Entry>,
    /// The tokens of every word, one record after the other.
    records: String,
    analyses: Vec<Arc<Analyzed>>,
    /// None for an analyzer that shares nothing, such as one made for a single query.
    shared: Option<Shared>,
}

impl Default for WordCache {
    fn default() -> Self {
        WordCache {
            recent: vec![(NO_KEY, Entry::default()); RECENT_SLOTS].into_boxed_slice(),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            records: String::new(),
            analyses: Vec::new(),
            shared: None,
        }
    }
}

impl Clone for WordCache {
    /// A copy shares the words of the shared map, and starts with none of its own.
    fn clone(&self) -> Self {
        WordCache {
            shared: self.shared.clone(),
            ..WordCache::default()
        }
    }
}

impl WordCache {
    /// A cache whose copies share their words.
    pub fn shared() -> Self {
        WordCache {
            shared: Some(Shared::default()),
            ..WordCache::default()
        }
    }

    /// Empties the analyzer's own map if it is full. Entries handed out before are invalid
    /// after, so this is called only between texts.
    pub fn trim(&mut self) {
        if self.analyses.len() >= OWN_CAPACITY {
            self.recent.fill((NO_KEY, Entry::default()));
            self.short.clear();
            self.long.clear();
            self.records.clear();
            self.analyses.clear();
        }
    }

    /// The entry of `key`, computed by `chain` from `original` and `truncated` the first time
    /// any copy meets it.
    pub fn entry(
        &mut self,
        key: &str,
        chain: Chain,
        original: &str,
        truncated: bool,
        scratch: &mut Scratch,
    ) -> Entry {
        let short = short_key(key);
        if let Some(short) = short {
            let (recent, entry) = self.recent[recent_slot(short)];
            if recent == short {
                return entry;
            }
        }
        let found = match short {
            Some(short) => self.short.get(&short),
            None => self.long.get(key),
        };
        if let Some(&entry) = found {
            if let Some(short) = short {
                self.recent[recent_slot(short)] = (short, entry);
            }
            return entry;
        }
        let analyzed = self.shared_analysis(key).unwrap_or_else(|| {
            let analyzed = Arc::new(chain.analyze(original, truncated, scratch));
            self.share(key, &analyzed);
            analyzed
        });
        let entry = self.insert(&analyzed);
        self.analyses.push(analyzed);
        match short {
            Some(short) => {
                self.recent[recent_slot(short)] = (short, entry);
                self.short.insert(short, entry)
            }
            None => self.long.insert(key.into(), entry),
        };
        entry
    }

    /// Adds the records of `analyzed`, which becomes the next of [`Self::analyses`].
    fn insert(&mut self, analyzed: &Analyzed) -> Entry {
        let start = self.records.len();
        let fits = analyzed.tokens.len() <= usize::from(u16::MAX)
            && analyzed.tokens.iter().all(|token| {
                [token.from, token.to, token.text.len()]
                    .iter()
                    .all(|&figure| figure < 0x80)
            });
        if fits {
            for token in &analyzed.tokens {
                let header = [token.from, token.to, token.text.len()];
                self.records
                    .extend(header.iter().map(|&figure| char::from(figure as u8)));
                self.records.push_str(&token.text);
            }
        }
        let index = |n: usize| u32::try_from(n).expect("an analyzer's own map is bounded");
        Entry {
            at: index(start),
            count: analyzed.tokens.len() as u16,
            in_records: fits,
            truncated: analyzed.truncated.is_some(),
            id: index(self.analyses.len()),
        }
    }

    /// The analysis behind `entry`.
    pub fn analyzed(&self, entry: Entry) -> &Analyzed {
        &self.analyses[entry.id as usize]
    }

    /// The number of tokens of `entry`.
    pub fn count(entry: Entry) -> usize {
        usize::from(entry.count)
    }

    /// The token of `entry` whose record starts at `cursor` (0 for its first), as its text
    /// and offsets in the word, and the cursor of the next token. `index` is the token's
    /// index, for the words kept without records.
    pub fn token(&self, entry: Entry, cursor: usize, index: usize) -> (&str, usize, usize, usize) {
        if !entry.in_records {
            let piece = &self.analyzed(entry).tokens[index];
            return (&piece.text, piece.from, piece.to, 0);
        }
        let at = entry.at as usize + cursor;
        let bytes = self.records.as_bytes();
        let (from, to, len) = (bytes[at], bytes[at + 1], bytes[at + 2]);
        let start = at + HEADER_BYTES;
        let end = start + usize::from(len);
        (
            &self.records[start..end],
            usize::from(from),
            usize::from(to),
            end - entry.at as usize,
        )
    }

    fn shared_analysis(&self, key: &str) -> Option<Arc<Analyzed>> {
        let shared = self.shared.as_ref()?;
        let map = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(key).cloned()
    }

    fn share(&self, key: &str, analyzed: &Arc<Analyzed>) {
        let Some(shared) = &self.shared else {
            return;
        };
        let mut map = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.len() < SHARED_CAPACITY {
            map.insert(key.into(), Arc::clone(analyzed));
        }
    }
}
