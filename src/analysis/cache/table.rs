//! A table of words and their tokens, read by all copies of an analyzer or kept by one.

use rustc_hash::FxHashMap;

use super::super::chain::Word;

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

    pub(super) fn at(self) -> usize {
        (self.0 & 0xFFFF_FFFF) as usize
    }

    pub(super) fn count(self) -> usize {
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

    pub(super) fn shared(self) -> bool {
        self.0 & Self::SHARED != 0
    }

    /// The same entry, found in the shared table.
    pub(super) fn in_shared(self) -> Entry {
        Entry(self.0 | Self::SHARED)
    }

    /// The same entry with its records at `at`.
    fn moved_to(self, at: u32) -> Entry {
        Entry(self.0 & !0xFFFF_FFFF | u64::from(at))
    }
}

/// A word as a [`Table`] keys it.
#[derive(Clone, Copy)]
pub(super) enum Key<'a> {
    Short(ShortKey),
    Long(&'a str),
}

impl<'a> Key<'a> {
    pub(super) fn of(word: &'a str) -> Self {
        short_key(word).map_or(Key::Long(word), Key::Short)
    }
}

/// Words and their tokens.
#[derive(Clone, Default)]
pub(super) struct Table {
    short: FxHashMap<ShortKey, Entry>,
    long: FxHashMap<Box<str>, Entry>,
    /// The tokens of every word, one record after the other.
    records: String,
}

impl Table {
    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(super) fn get(&self, key: Key) -> Option<Entry> {
        match key {
            Key::Short(key) => self.short.get(&key).copied(),
            Key::Long(word) => self.long.get(word).copied(),
        }
    }

    /// Adds `key`, which the table does not hold, with the tokens of `word`.
    pub(super) fn insert(&mut self, key: Key, word: &Word) -> Entry {
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
    pub(super) fn insert_from(&mut self, key: Key, entry: Entry, other: &Table) {
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
    pub(super) fn words(&self) -> impl Iterator<Item = (Key<'_>, Entry)> {
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

    /// The token of `entry` (which has records) whose record starts at `cursor` (0 for its
    /// first), as its text and offsets in the word, and the cursor of the next token.
    #[inline]
    pub(super) fn token(&self, entry: Entry, cursor: usize) -> (&str, usize, usize, usize) {
        let at = entry.at() + cursor;
        let bytes = self.records.as_bytes();
        let (from, to, len) = (bytes[at], bytes[at + 1], bytes[at + 2]);
        let start = at + HEADER_BYTES;
        let end = start + usize::from(len);
        (
            &self.records[start..end],
            usize::from(from),
            usize::from(to),
            end - entry.at(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_whose_figures_do_not_fit_a_header_has_no_records() {
        let mut table = Table::default();
        let long = "x".repeat(130);
        let word = Word::new(&long, &long);
        let entry = table.insert(Key::of(&long), &word);
        assert!(!entry.in_records());
        assert_eq!(entry.count(), 0);
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
