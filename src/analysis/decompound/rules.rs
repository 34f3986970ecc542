//! The rules for the parts of a compound: how long a part may be, which linking elements may
//! follow it and which endings it may have lost, which words are never parts, and how one
//! segment of a word reads as a part under them; see the [module documentation](super).

use super::lexicon;
use crate::analysis::gender::strip_feminine;

/// The shortest part, in characters.
pub(super) const MIN_PART_CHARS: usize = 3;
/// The lowest frequency of a three-letter part.
const MIN_SHORT_PART_FREQ: u64 = 100;
/// The longest part considered, in bytes.
pub(super) const MAX_PART_BYTES: usize = 32;

/// Linking elements between the parts of a compound, longest first.
const LINKS: [&str; 7] = ["ens", "es", "en", "er", "s", "n", "e"];

/// The length of the longest of [`LINKS`].
pub(super) const LONGEST_LINK: usize = LINKS[0].len();

/// Words never taken as a part: articles, pronouns, prepositions, conjunctions and particles.
/// They are frequent enough to outweigh any whole word ("der|zeit", "ins|gesamt"), and as
/// prefixes ("Aus|bildung", "Unter|bringung", "Ein|wanderung") they form new words rather than
/// compounds. "ver", "ent", "zer" are prefixes that occur as abbreviations in the corpus.
const FUNCTION_WORDS: [&str; 107] = [
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "ans", "auch", "auf", "aus",
    "bei", "beim", "bis", "dann", "darf", "das", "dass", "dem", "den", "denn", "der", "deren",
    "des", "dessen", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch",
    "dort", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "ent", "euer", "fur",
    "gar", "gegen", "hat", "hier", "hinter", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ist",
    "jede", "jeder", "jedes", "kann", "kein", "keine", "mag", "man", "mehr", "mit", "muss", "nach",
    "neben", "nicht", "noch", "nur", "oder", "ohne", "samt", "schon", "sehr", "sei", "sein",
    "seine", "sich", "sie", "sind", "soll", "sowie", "uber", "und", "uns", "unser", "unter", "ver",
    "vom", "von", "vor", "war", "was", "weil", "wenn", "wie", "wieder", "will", "wir", "wird",
    "zer", "zum", "zur", "zwischen",
];

/// Endings restored to a non-final part: none, a dropped -e ("Schul|buch"), a verb's -en
/// ("Wohn|raum"); the lexicon's stored splits name them by their index.
pub(super) const RESTORED: [&str; 3] = lexicon::ENDINGS;

/// The best way to read a segment of a compound as a known word.
#[derive(Clone, Copy)]
pub(super) struct Reading {
    /// The natural logarithm of the word's frequency.
    pub(super) score: f64,
    /// The end of the segment without its linking element, in bytes.
    pub(super) kept: usize,
    /// The index in [`RESTORED`] of the ending added to the kept bytes.
    pub(super) restored: usize,
}

/// Packs a word of at most eight bytes, `stem` followed by `ending`, into an integer that orders
/// like the word (its bytes big-endian, left-aligned): a function word is then found with
/// integer comparisons instead of a byte-string comparison per probe.
const fn pack(stem: &[u8], ending: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < stem.len() {
        key = key << 8 | stem[i] as u64;
        i += 1;
    }
    let mut i = 0;
    while i < ending.len() {
        key = key << 8 | ending[i] as u64;
        i += 1;
    }
    key << (8 * (8 - stem.len() - ending.len()))
}

/// [`FUNCTION_WORDS`] packed, in the same (sorted) order.
const FUNCTION_WORD_KEYS: [u64; FUNCTION_WORDS.len()] = {
    let mut keys = [0; FUNCTION_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = pack(FUNCTION_WORDS[i].as_bytes(), b"");
        i += 1;
    }
    keys
};

/// Whether `stem` + `ending` is a function word.
fn is_function_word_with(stem: &[u8], ending: &[u8]) -> bool {
    stem.len() + ending.len() <= 8
        && FUNCTION_WORD_KEYS
            .binary_search(&pack(stem, ending))
            .is_ok()
}

/// The [`LINKS`] that end with the last byte of `segment`, in their order: most segments end
/// with none of them.
fn links_ending(segment: &[u8]) -> &'static [&'static str] {
    match segment.last() {
        Some(b's') => &["ens", "es", "s"],
        Some(b'n') => &["en", "n"],
        Some(b'r') => &["er"],
        Some(b'e') => &["e"],
        _ => &[],
    }
}

/// Whether `segment` is longer than `link` and ends with it; byte by byte, since the slices are
/// a few bytes long and a call to `memcmp` costs more than the comparison.
fn ends_with_link(segment: &[u8], link: &[u8]) -> bool {
    segment.len() > link.len()
        && segment[segment.len() - link.len()..]
            .iter()
            .zip(link)
            .all(|(a, b)| a == b)
}

/// A segment of a word during [`best_segmentation`]: the bytes `from..to`, which start at
/// char `i`, with the frequencies of the known words from `from` (`row`, indexed by where they
/// end) and the bitmask of where one ends (`known`, relative to `from`).
///
/// [`best_segmentation`]: super::search
pub(super) struct SegmentAt<'a> {
    pub(super) word: &'a str,
    pub(super) row: &'a [[u64; 3]],
    pub(super) char_at: &'a [usize],
    pub(super) i: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) known: u64,
}

impl SegmentAt<'_> {
    /// The best way to read the segment as a known word, the last of the word's segments or
    /// not; see [`best_segmentation`].
    ///
    /// [`best_segmentation`]: super::search
    #[inline]
    pub(super) fn read(&self, last: bool) -> Option<Reading> {
        let (from, to) = (self.from, self.to);
        let mut best: Option<(u64, usize, usize)> = None;
        if last {
            self.consider(&mut best, to, 0);
            if let Some(base) = strip_feminine(&self.word[from..to]) {
                // The feminine form reads as the base word but keeps its whole span.
                let f = self.row[from + base][0];
                if f > best.map_or(0, |(b, _, _)| b) && self.char_at[from + base] - self.i >= 4 {
                    return Some(Reading {
                        score: (f as f64).ln(),
                        kept: from + base,
                        restored: usize::MAX,
                    });
                }
            }
        } else {
            // Most ends have no known word: the bitmask says so without a look at the
            // frequencies.
            let known_at = |kept: usize| self.known >> (kept - from) & 1 != 0;
            if known_at(to) {
                for restored in 0..RESTORED.len() {
                    self.consider(&mut best, to, restored);
                }
            }
            let segment = &self.word.as_bytes()[from..to];
            for link in links_ending(segment) {
                let kept = to - link.len();
                if ends_with_link(segment, link.as_bytes()) && known_at(kept) {
                    for restored in 0..RESTORED.len() {
                        self.consider(&mut best, kept, restored);
                    }
                }
            }
        }
        best.map(|(f, kept, restored)| Reading {
            score: (f as f64).ln(),
            kept,
            restored,
        })
    }

    /// Takes the reading of the segment as its bytes up to `kept` with the ending
    /// `RESTORED[restored]` as `best` if it is a known word, more frequent than `best`.
    #[inline(always)]
    fn consider(&self, best: &mut Option<(u64, usize, usize)>, kept: usize, restored: usize) {
        let from = self.from;
        // Most segments read as no known word: their frequency is 0.
        let f = self.row[kept][restored];
        if kept <= from || f == 0 || self.char_at[kept] == usize::MAX {
            return;
        }
        let chars = self.char_at[kept] - self.i;
        let min_freq = if chars == MIN_PART_CHARS {
            MIN_SHORT_PART_FREQ
        } else {
            1
        };
        if chars < MIN_PART_CHARS || f < min_freq || best.is_some_and(|(b, _, _)| b >= f) {
            return;
        }
        let stem = &self.word.as_bytes()[from..kept];
        if is_function_word_with(stem, b"")
            || is_function_word_with(stem, RESTORED[restored].as_bytes())
        {
            return;
        }
        *best = Some((f, kept, restored));
    }
}

/// The longest ending a segment may have beyond the known word it reads as: a linking element
/// ("ens") or a feminine suffix ("innen").
pub(super) const MAX_ENDING_BYTES: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_ending_a_byte_are_the_links_in_their_order() {
        for byte in 0..=u8::MAX {
            let expected: Vec<&str> = LINKS
                .into_iter()
                .filter(|link| link.as_bytes().last() == Some(&byte))
                .collect();
            assert_eq!(links_ending(&[b'x', byte]), expected, "{}", byte as char);
        }
        assert!(links_ending(b"").is_empty());
    }

    #[test]
    fn knows_the_longest_link() {
        assert_eq!(
            LINKS.iter().map(|link| link.len()).max(),
            Some(LONGEST_LINK)
        );
    }

    #[test]
    fn finds_function_words_by_their_packed_form() {
        assert!(FUNCTION_WORD_KEYS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_function_word_with(b"zwische", b"n"));
        assert!(is_function_word_with(b"ein", b"e"));
        assert!(!is_function_word_with(b"arbeit", b""));
        assert!(!is_function_word_with(b"zwischenzeit", b""));
    }
}
