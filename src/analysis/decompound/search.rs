//! The search for the best split of a compound into known words; see the
//! [module documentation](super).

use rustc_hash::FxHashSet;

use super::lexicon::prefix_frequencies;
use super::rules::{
    LONGEST_LINK, MAX_ENDING_BYTES, MAX_PART_BYTES, MIN_PART_CHARS, RESTORED, Reading, SegmentAt,
};
use super::{MAX_WORD_BYTES, MIN_WORD_BYTES, Part};

/// The most parts one split produces; parts may be split again.
const MAX_PARTS: usize = 4;
/// How deep parts are split again.
const MAX_DEPTH: usize = 3;
/// The number of words [`Scratch::simple`] holds before it is emptied.
const SIMPLE_CAPACITY: usize = 100_000;

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
    ///
    /// [`lexicon::Walk::never_split_at`]: super::lexicon::Walk::never_split_at
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
    // walk from there would read frequencies no segment looks up.
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
