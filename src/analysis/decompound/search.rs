//! The search for the best split of a compound into known words; see the
//! [module documentation](super).

use rustc_hash::FxHashSet;

use super::lexicon::{self, prefix_frequencies};
use super::{MAX_WORD_BYTES, MIN_WORD_BYTES, Part};
use crate::analysis::gender::strip_feminine;

/// The shortest part, in characters.
const MIN_PART_CHARS: usize = 3;
/// The lowest frequency of a three-letter part.
const MIN_SHORT_PART_FREQ: u64 = 100;
/// The longest part considered, in bytes.
const MAX_PART_BYTES: usize = 32;
/// The most parts one split produces; parts may be split again.
const MAX_PARTS: usize = 4;
/// How deep parts are split again.
const MAX_DEPTH: usize = 3;
/// The number of words [`Scratch::simple`] holds before it is emptied.
const SIMPLE_CAPACITY: usize = 100_000;

/// Linking elements between the parts of a compound, longest first.
const LINKS: [&str; 7] = ["ens", "es", "en", "er", "s", "n", "e"];

/// The length of the longest of [`LINKS`].
const LONGEST_LINK: usize = LINKS[0].len();

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

/// Splits `word` if it is a compound, and its parts again, pushing the leaves to `out` with
/// byte ranges shifted by `base`. Returns whether it split.
pub(super) fn split_into(
    word: &str,
    base: usize,
    depth: usize,
    scratch: &mut Scratch,
    out: &mut Vec<Part>,
) -> bool {
    if scratch.simple.contains(word) {
        return false;
    }
    let Some(segments) = best_segmentation(word, scratch) else {
        if word.len() >= MIN_WORD_BYTES {
            if scratch.simple.len() >= SIMPLE_CAPACITY {
                scratch.simple.clear();
            }
            scratch.simple.insert(word.into());
        }
        return false;
    };
    for segment in segments {
        let kept = &word[segment.from..segment.to];
        if depth < MAX_DEPTH
            && *segment.text == *kept
            && (!segment.never_split || scratch.ignore_never_split)
            && split_into(kept, base + segment.from, depth + 1, scratch, out)
        {
            continue;
        }
        out.push(Part {
            text: segment.text,
            from: base + segment.from,
            to: base + segment.to,
        });
    }
    true
}

/// The text of a part: the bytes it keeps of the word, then the ending restored to it.
pub(super) fn with_ending(kept: &str, ending: &str) -> String {
    let mut text = String::with_capacity(kept.len() + ending.len());
    text.push_str(kept);
    text.push_str(ending);
    text
}

/// Endings restored to a non-final part: none, a dropped -e ("Schul|buch"), a verb's -en
/// ("Wohn|raum"); the lexicon's stored splits name them by their index.
const RESTORED: [&str; 3] = lexicon::ENDINGS;

/// The best way to read a segment of a compound as a known word.
#[derive(Clone, Copy)]
struct Reading {
    /// The natural logarithm of the word's frequency.
    score: f64,
    /// The end of the segment without its linking element, in bytes.
    kept: usize,
    /// The index in [`RESTORED`] of the ending added to the kept bytes.
    restored: usize,
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

/// The buffers of [`best_segmentation`], reused from word to word.
#[derive(Clone, Default)]
pub(crate) struct Scratch {
    /// `table[i * stride + p]` holds, for the segment from byte `i` to byte `p`, the frequency
    /// of the segment itself, with "e" and with "en" appended. Only the rows of the starts the
    /// search reaches are filled.
    table: Vec<[u64; 3]>,
    /// The byte offset of each char, and the word's length.
    bounds: Vec<usize>,
    /// The char index of each byte offset that starts a char, `usize::MAX` elsewhere.
    char_at: Vec<usize>,
    /// For each byte offset a walk started from, [`lexicon::Walk::never_split_at`].
    never_split_at: Vec<u64>,
    /// `paths[k * (n + 1) + j]`: the best split of chars `0..j` into `k` segments.
    paths: Vec<Option<Path>>,
    /// Words found not to be compounds. A compound's parts are split again, unless the
    /// lexicon marks them as never split, and some are words met before, whole or as parts
    /// of other compounds; whether a word splits depends on nothing but the word, so one
    /// search per word is enough.
    simple: FxHashSet<Box<str>>,
    /// Search even the words the lexicon marks as never split: set only to compute the marks.
    ignore_never_split: bool,
}

impl Scratch {
    /// Buffers for a search that ignores the lexicon's never-split marks: to compute them.
    pub(super) fn ignoring_never_split() -> Self {
        Scratch {
            ignore_never_split: true,
            ..Scratch::default()
        }
    }
}

/// Whether `word` has a split into known words, not looking at its parts.
pub(super) fn has_split(word: &str, scratch: &mut Scratch) -> bool {
    best_segmentation(word, scratch).is_some()
}

/// The best split of the beginning of a word into a number of segments.
#[derive(Clone, Copy)]
struct Path {
    /// The sum of the log frequencies of the segments.
    score: f64,
    /// The char index where the last segment starts.
    start: usize,
    /// The reading of the last segment.
    reading: Reading,
}

/// One segment of the chosen split: the word it reads as and the byte range it keeps.
struct Segment {
    text: Box<str>,
    from: usize,
    to: usize,
    /// Its text is a word the lexicon marks as never split: no need to search it again.
    never_split: bool,
}

/// A segment of a word during [`best_segmentation`]: the bytes `from..to`, which start at
/// char `i`, with the frequencies of the known words from `from` (`row`, indexed by where they
/// end) and the bitmask of where one ends (`known`, relative to `from`).
struct SegmentAt<'a> {
    word: &'a str,
    row: &'a [[u64; 3]],
    char_at: &'a [usize],
    i: usize,
    from: usize,
    to: usize,
    known: u64,
}

impl SegmentAt<'_> {
    /// The best way to read the segment as a known word, the last of the word's segments or
    /// not; see [`best_segmentation`].
    #[inline]
    fn read(&self, last: bool) -> Option<Reading> {
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
const MAX_ENDING_BYTES: usize = 5;

/// Finds the split of `word` into 2 to [`MAX_PARTS`] known words with the highest geometric
/// mean frequency, if that mean exceeds the frequency of `word` itself.
///
/// A non-final segment reads as a known word as it is, without a linking element, or with a
/// dropped final -e or -en restored; the final segment as it is or without a feminine suffix.
///
/// The search runs from left to right and only looks at segments that start where a split of
/// the beginning of the word ends, and only as far as a known word from there reaches: most
/// words are not compounds, and most of their positions start no known word.
fn best_segmentation(word: &str, scratch: &mut Scratch) -> Option<Vec<Segment>> {
    if word.len() < MIN_WORD_BYTES
        || word.len() > MAX_WORD_BYTES
        || !word.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let bytes = word.as_bytes();
    let len = bytes.len();
    let Scratch {
        table,
        bounds,
        char_at,
        never_split_at,
        paths,
        ignore_never_split,
        ..
    } = scratch;
    bounds.clear();
    bounds.extend(word.char_indices().map(|(i, _)| i));
    bounds.push(len);
    let n = bounds.len() - 1;
    if n < 2 * MIN_PART_CHARS {
        return None;
    }
    char_at.clear();
    char_at.resize(len + 1, usize::MAX);
    never_split_at.clear();
    never_split_at.resize(len + 1, 0);
    for (c, &b) in bounds.iter().enumerate() {
        char_at[b] = c;
    }
    let stride = len + 1;
    if table.len() < stride * stride {
        table.resize(stride * stride, [0; 3]);
    }
    paths.clear();
    paths.resize((MAX_PARTS + 1) * (n + 1), None);
    let at = |k: usize, j: usize| k * (n + 1) + j;

    // A segment has MIN_PART_CHARS at least, so none starts closer to the end than that: a
    // walk from there would read frequencies no segment looks up (in the first 8 MB of
    // speeches, 11,615 of 78,613 walks).
    for i in 0..=n - MIN_PART_CHARS {
        // A segment starts at the beginning of the word or where a split into fewer than
        // MAX_PARTS segments ends.
        if i > 0 && !(1..MAX_PARTS).any(|k| paths[at(k, i)].is_some()) {
            continue;
        }
        let from = bounds[i];
        let row = &mut table[from * stride + from..(from + 1) * stride];
        row.fill([0; 3]);
        // Known words from `from` end at most `depth` bytes further. The walk from the start
        // reaches the word itself, if the lexicon knows it, and with it whether the search
        // below splits it (`build_lexicon` ran the search to know).
        let walk = prefix_frequencies(&bytes[from..], row);
        if i == 0 && walk.never_split && !*ignore_never_split {
            return None;
        }
        never_split_at[from] = walk.never_split_at;
        let depth = walk.depth;
        // Bit `p` is set if a known word (or one with "e" or "en" added) ends `p` bytes after
        // `from`; a segment keeps at most MAX_PART_BYTES, so the bits up to that one suffice.
        let known = row[..=depth.min(MAX_PART_BYTES)]
            .iter()
            .enumerate()
            .filter(|(_, frequencies)| frequencies.iter().any(|&f| f > 0))
            .fold(0u64, |known, (p, _)| known | 1 << p);
        let row = &table[from * stride..(from + 1) * stride];
        for j in i + MIN_PART_CHARS..=n {
            let span = bounds[j] - from;
            // Beyond this, every reading would need a longer known word than there is.
            if span > MAX_PART_BYTES || span > depth + MAX_ENDING_BYTES {
                break;
            }
            if i == 0 && j == n {
                continue;
            }
            // A segment reads as a word that ends where it ends or before its linking element
            // (at most LONGEST_LINK bytes); where none ends, it has no reading. The last
            // segment may also read without a feminine suffix, which is looked up there.
            let kept_from = span.saturating_sub(LONGEST_LINK);
            if j < n && known >> kept_from & ((1 << (span - kept_from + 1)) - 1) == 0 {
                continue;
            }
            let segment = SegmentAt {
                word,
                row,
                char_at,
                i,
                from,
                to: bounds[j],
                known,
            };
            let Some(reading) = segment.read(j == n) else {
                continue;
            };
            if i == 0 {
                paths[at(1, j)] = Some(Path {
                    score: reading.score,
                    start: 0,
                    reading,
                });
                continue;
            }
            // Candidates for (k, j) come in increasing order of their start, and only a
            // better score replaces one: ties go to the earliest start.
            for k in 2..=MAX_PARTS {
                let Some(prefix) = paths[at(k - 1, i)] else {
                    continue;
                };
                let score = prefix.score + reading.score;
                if paths[at(k, j)].is_none_or(|p| score > p.score) {
                    paths[at(k, j)] = Some(Path {
                        score,
                        start: i,
                        reading,
                    });
                }
            }
        }
    }
    let whole = (table[len][0] as f64).ln();
    let mut chosen: Option<(f64, usize)> = None;
    for k in 2..=MAX_PARTS {
        if let Some(path) = paths[at(k, n)] {
            let mean = path.score / k as f64;
            if mean > whole && chosen.is_none_or(|(m, _)| mean > m) {
                chosen = Some((mean, k));
            }
        }
    }
    let (_, k) = chosen?;
    let mut segments = Vec::with_capacity(k);
    let mut j = n;
    for k in (1..=k).rev() {
        let path = paths[at(k, j)].expect("a chosen split has all its segments");
        let (i, r) = (path.start, path.reading);
        let from = bounds[i];
        let (text, to) = if r.restored == usize::MAX {
            (word[from..r.kept].to_string(), bounds[j])
        } else {
            (
                with_ending(&word[from..r.kept], RESTORED[r.restored]),
                r.kept,
            )
        };
        // Only a part read without an ending is split again, and only if the lexicon does
        // not mark it as never split; the walk from its start found out which.
        let never_split = r.restored == 0 && never_split_at[from] >> (r.kept - from) & 1 != 0;
        segments.push(Segment {
            text: text.into(),
            from,
            to,
            never_split,
        });
        j = i;
    }
    segments.reverse();
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::decompound::parts_of;

    /// The parts of a normalized word, as (text, from, to).
    fn split(word: &str) -> Vec<(String, usize, usize)> {
        parts_of(word)
    }

    fn texts(word: &str) -> Vec<String> {
        split(word).into_iter().map(|(t, _, _)| t).collect()
    }

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
    fn splits_compounds() {
        let cases: &[(&str, &[&str])] = &[
            ("fluchtlingsintegration", &["fluchtlinge", "integration"]),
            (
                "arbeitsmarktintegration",
                &["arbeit", "markt", "integration"],
            ),
            ("integrationsarbeit", &["integration", "arbeit"]),
            ("zusammenarbeit", &["zusammen", "arbeit"]),
            ("willkommenskultur", &["willkommen", "kultur"]),
            ("migrationshintergrund", &["migration", "hintergrund"]),
            ("jugendamt", &["jugend", "amt"]),
            ("kindergarten", &["kinder", "garten"]),
            ("ortsteile", &["ort", "teile"]),
            ("schulbuch", &["schulen", "buch"]),
            ("kommunalverwaltung", &["kommunalen", "verwaltung"]),
            ("asylpolitik", &["asyl", "politik"]),
            ("unionsburger", &["union", "burger"]),
            (
                "deutschsprachforderung",
                &["deutschen", "sprache", "forderung"],
            ),
            ("grossstadte", &["grosse", "stadte"]),
            ("wohnunterbringung", &["wohnen", "unterbringung"]),
            ("abschiebeoffensive", &["abschieben", "offensive"]),
        ];
        for (word, expected) in cases {
            assert_eq!(texts(word), *expected, "{word}");
        }
    }

    #[test]
    fn remembering_simple_words_changes_no_split() {
        // One scratch for all words, as in an analyzer, in both orders: parts met before as
        // simple words, and simple words met before as parts.
        let words = [
            "integration",
            "fluchtlingsintegration",
            "arbeitsmarktintegration",
            "arbeit",
            "markt",
            "arbeitsmarkt",
            "integrationsarbeit",
            "deutschsprachforderung",
            "sprachforderung",
            "bundestag",
            "insgesamt",
        ];
        for order in [words.to_vec(), words.iter().rev().copied().collect()] {
            let mut scratch = Scratch::default();
            for word in order {
                let mut parts = Vec::new();
                split_into(word, 0, 0, &mut scratch, &mut parts);
                let parts: Vec<_> = parts
                    .into_iter()
                    .map(|p| (p.text.into(), p.from, p.to))
                    .collect();
                assert_eq!(parts, split(word), "{word}");
            }
            assert!(scratch.simple.contains("integration"));
        }
    }

    #[test]
    fn knows_the_longest_link() {
        assert_eq!(
            LINKS.iter().map(|link| link.len()).max(),
            Some(LONGEST_LINK)
        );
    }

    #[test]
    fn splits_linking_s_with_offsets() {
        assert_eq!(
            split("fluchtlingsintegration"),
            [
                ("fluchtlinge".to_string(), 0, 10),
                ("integration".to_string(), 11, 22)
            ]
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

    #[test]
    fn keeps_insgesamt_whole() {
        assert!(texts("insgesamt").is_empty());
    }

    #[test]
    fn keeps_verein_whole() {
        assert!(texts("verein").is_empty());
    }

    #[test]
    fn keeps_beamte_whole() {
        assert!(texts("beamte").is_empty());
    }

    #[test]
    fn keeps_anspruch_whole() {
        assert!(texts("anspruch").is_empty());
    }

    #[test]
    fn keeps_bundestag_whole() {
        assert!(texts("bundestag").is_empty());
    }

    #[test]
    fn keeps_urteil_whole() {
        assert!(texts("urteil").is_empty());
    }

    #[test]
    fn keeps_common_words_whole() {
        for word in [
            "ausbildung",
            "unterbringung",
            "einwanderung",
            "wirtschaft",
            "gemeinschaft",
            "verantwortung",
            "deutschland",
            "derzeit",
            "regierung",
            "verwaltung",
            "integration",
            "hintergrund",
            "fluchtlinge",
            "gesellschaft",
            "menschen",
            "bevolkerung",
            "bereits",
        ] {
            assert!(texts(word).is_empty(), "{word}: {:?}", texts(word));
        }
    }
}
