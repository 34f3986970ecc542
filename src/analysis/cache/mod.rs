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

mod table;

use super::chain::{Chain, Scratch};
pub(crate) use table::Entry;
use table::{Key, Table};

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
            Some(entry) => entry.in_shared(),
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
        self.table(entry).token(entry, cursor)
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
}
