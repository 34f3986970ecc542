//! Splits German compounds into their parts, so that "Integration" finds
//! "Flüchtlingsintegration" and "Arbeit" finds "Arbeitsmarkt" and "Zusammenarbeit".
//!
//! The whole word is kept; after it come its parts, at the same position (phrase queries over
//! whole words keep working), each with the offsets of the part inside the original word (the
//! snippet highlighter marks only "integration" in "Flüchtlingsintegration").
//!
//! Compounds are split the way Koehn and Knight propose ("Empirical Methods for Compound
//! Splitting", EACL 2003, <https://aclanthology.org/E03-1076/>): among all ways to cut a word
//! into known words, take the one whose parts have the highest geometric mean of their corpus
//! frequencies, and split only if that mean exceeds the frequency of the whole word. A frequent
//! word ("Bundestag", "Wirtschaft") therefore stays whole even when it could be cut, while a rare
//! compound is cut into frequent parts. Non-final parts may end in a linking element (-s-, -es-,
//! -n-, -en-, -er-, -e-, -ens-) or have lost a final -e ("Schul|buch") or the -en of a verb
//! ("Wohn|raum", "Abschiebe|haft"). Parts are split again, at any depth
//! ("Arbeits|markt|integration"). Parts are at least three letters long and never function words
//! ("ins|gesamt", "Aus|bildung", "Unter|bringung" stay whole).
//!
//! Hyphenated compounds ("EU-Asylreform") are indexed as the whole without hyphens
//!
//! Decompositions are not cached here: the analyzer runs each distinct word through the steps
//! once. The search remembers only the words it found not to split, for the parts and
//! hyphenated pieces that come again.
//!
//! The search for the best split is in `search.rs`, the rules for what one part may be in
//! `rules.rs`, the lexicon of word frequencies they read in `lexicon.rs`.

pub(crate) mod lexicon;
mod rules;
mod search;

use super::chain::{Piece, Scratch as Buffers, Word};
use super::normalize::align;
pub(crate) use search::Scratch as SearchScratch;
use search::{has_split, split_into, with_ending};

/// Words shorter than this (in bytes) are never split: two parts of three letters at least.
const MIN_WORD_BYTES: usize = 6;
/// Words longer than this (in bytes) are not split: they are not words.
const MAX_WORD_BYTES: usize = 64;

/// One part of a compound: its text, and the byte range it comes from in the normalized word
/// (without its linking element).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    text: Box<str>,
    from: usize,
    to: usize,
}

/// The buffers of the decompounding step, reused from word to word.
#[derive(Clone, Default)]
pub(crate) struct Scratch {
    /// The normalized parts of the current word before they become tokens.
    pending: Vec<Part>,
    /// Where each byte of the normalized word comes from in the original.
    map: Vec<(usize, usize)>,
    /// The whole of a hyphenated compound without its hyphens.
    whole: String,
    search: SearchScratch,
}

/// The decompounding step: adds the parts of the whole word, found with the lexicon; see the
/// [module documentation](self).
pub(crate) fn decompound(word: &mut Word, buffers: &mut Buffers) {
    add_parts(word, &mut buffers.decompound, false);
}

/// The baseline's step in place of [`decompound`]: splits hyphenated compounds as it does
/// ("EU-Asylreform" is indexed as "euasylreform", "eu" and "asylreform") but leaves every other
/// word whole, and does not split the pieces between the hyphens.
pub(crate) fn split_hyphens(word: &mut Word, buffers: &mut Buffers) {
    add_parts(word, &mut buffers.decompound, true);
}

/// Finds the parts of `word`'s whole, adds them as its tokens and, for a hyphenated compound,
/// removes the hyphens from the whole. Splits at hyphens only if `hyphens_only`.
fn add_parts(word: &mut Word, scratch: &mut Scratch, hyphens_only: bool) {
    let Some(whole) = word.tokens.first_mut() else {
        return;
    };
    if whole.text.len() < MIN_WORD_BYTES || whole.text.len() > MAX_WORD_BYTES {
        return;
    }
    let (offset_from, offset_to) = (whole.from, whole.to);
    let whole_text = std::mem::take(&mut whole.text);
    let text = whole_text.as_str();
    scratch.pending.clear();
    // A trailing hyphen marks a truncated word ("Sprach-"); it stays for the ellipsis step.
    let body = text.strip_suffix('-').unwrap_or(text);
    let hyphenated = body.contains('-');
    if hyphenated {
        scratch.whole.clear();
        let mut start = 0;
        for piece in body.split('-') {
            let from = start;
            start += piece.len() + 1;
            if piece.is_empty() {
                continue;
            }
            scratch.whole.push_str(piece);
            let first = scratch.pending.len();
            if hyphens_only || !decompose(&mut scratch.search, piece, &mut scratch.pending) {
                scratch.pending.push(Part {
                    text: piece.into(),
                    from,
                    to: from + piece.len(),
                });
            } else {
                for part in &mut scratch.pending[first..] {
                    part.from += from;
                    part.to += from;
                }
            }
        }
        if body.len() < text.len() {
            scratch.whole.push('-');
        }
    } else if !hyphens_only {
        decompose(&mut scratch.search, body, &mut scratch.pending);
    }
    let first_part = word.tokens.len();
    if !scratch.pending.is_empty() {
        let original = word.original.get(offset_from..offset_to).unwrap_or("");
        align(original, text, &mut scratch.map);
        for part in &scratch.pending {
            // A part equal to the whole or to an earlier part adds nothing.
            let seen = word.tokens[first_part..]
                .iter()
                .any(|p| p.text.as_str() == &*part.text);
            if seen || *part.text == *scratch.whole && hyphenated || *part.text == *text {
                continue;
            }
            let (from, to) = match (scratch.map.get(part.from), scratch.map.get(part.to - 1)) {
                (Some(&(from, _)), Some(&(_, to))) if from < to => {
                    (offset_from + from, offset_from + to)
                }
                _ => (offset_from, offset_to),
            };
            word.tokens.push(Piece {
                text: part.text.to_string(),
                from,
                to,
            });
        }
    }
    word.tokens[0].text = whole_text;
    if hyphenated {
        std::mem::swap(&mut word.tokens[0].text, &mut scratch.whole);
    }
}

/// Pushes the parts of `word` to `out`; returns whether it is a compound.
///
/// Decompositions are not cached: the analyzer runs each distinct word through the steps once,
/// so a cache of them by word would only be looked up in vain, and filled, for every new word.
fn decompose(scratch: &mut SearchScratch, word: &str, out: &mut Vec<Part>) -> bool {
    if word.len() < MIN_WORD_BYTES || word.len() > MAX_WORD_BYTES {
        return false;
    }
    let start = out.len();
    if push_stored_split(word, out) || split_into(word, 0, 0, scratch, out) {
        return true;
    }
    out.truncate(start);
    false
}

/// Pushes the parts the lexicon stores for `word` (see [`lexicon::stored_split`]), if it stores
/// any: the same as [`split_into`] would push, found without the search. Returns whether it
/// did.
fn push_stored_split(word: &str, out: &mut Vec<Part>) -> bool {
    let Some(parts) = lexicon::stored_split(word.as_bytes()) else {
        return false;
    };
    let start = out.len();
    for part in parts.chunks_exact(4) {
        let (from, to, kept) = (
            usize::from(part[0]),
            usize::from(part[1]),
            usize::from(part[2]),
        );
        let (Some(kept), Some(ending)) = (
            word.get(from..from + kept),
            lexicon::ENDINGS.get(usize::from(part[3])),
        ) else {
            // Not what build_lexicon writes: search instead.
            out.truncate(start);
            return false;
        };
        out.push(Part {
            text: with_ending(kept, ending).into(),
            from,
            to,
        });
    }
    out.len() > start
}

/// The parts of `word` as the search finds them, each as `[from, to, kept, ending]` in the
/// layout of the lexicon's stored splits, or `None` if it does not split: `build_lexicon`
/// stores them with it. Found without the never-split flags, which may be those of an older
/// lexicon while it runs.
#[doc(hidden)]
pub fn parts_for_lexicon(word: &str) -> Option<Vec<[u8; 4]>> {
    let mut scratch = SearchScratch::ignoring_never_split();
    let mut parts = Vec::new();
    if !split_into(word, 0, 0, &mut scratch, &mut parts) {
        return None;
    }
    parts
        .iter()
        .map(|part| {
            let (from, to) = (part.from, part.to);
            let (index, ending) = lexicon::ENDINGS.iter().enumerate().find(|(_, ending)| {
                part.text
                    .strip_suffix(**ending)
                    .is_some_and(|kept| word.get(from..from + kept.len()) == Some(kept))
            })?;
            let kept = part.text.len() - ending.len();
            Some([
                u8::try_from(from).ok()?,
                u8::try_from(to).ok()?,
                u8::try_from(kept).ok()?,
                index as u8,
            ])
        })
        .collect()
}

/// The parts the lexicon stores for `word`, as (text, from, to); none if it stores none.
#[cfg(test)]
pub(crate) fn stored_parts_of(word: &str, out: &mut Vec<(String, usize, usize)>) {
    let mut parts = Vec::new();
    push_stored_split(word, &mut parts);
    out.extend(parts.into_iter().map(|p| (p.text.into(), p.from, p.to)));
}

/// Computes the parts of `word` (uncached), as in [`decompose`].
#[cfg(test)]
pub(crate) fn parts_of(word: &str) -> Vec<(String, usize, usize)> {
    let mut parts = Vec::new();
    split_into(word, 0, 0, &mut SearchScratch::default(), &mut parts);
    parts
        .into_iter()
        .map(|p| (p.text.into(), p.from, p.to))
        .collect()
}

/// Whether the decompounder splits `word`, found by its search alone, without the lexicon's
/// never-split flags: `build_lexicon` sets the flags with it.
#[doc(hidden)]
pub fn splits_without_lexicon_flags(word: &str) -> bool {
    let mut scratch = SearchScratch::ignoring_never_split();
    has_split(word, &mut scratch)
}

/// How many times the lexicon's corpus uses `word` (normalized, as the lexicon holds its
/// words); 0 for a word it does not hold. Tells a word from a stem or a misspelling.
pub(crate) fn word_frequency(word: &str) -> u64 {
    let bytes = word.as_bytes();
    let mut out = vec![[0; 3]; bytes.len() + 1];
    let walk = lexicon::prefix_frequencies(bytes, &mut out);
    if walk.depth < bytes.len() {
        return 0;
    }
    out[bytes.len()][0]
}

#[cfg(test)]
mod tests {
    use crate::analysis::chain::{INDEX_TIME, Step};
    use crate::analysis::{GermanAnalyzer, testing::assert_tokens};
    use tantivy::tokenizer::Tokenizer;

    /// Checks text, offsets and position of every token of the chain up to this step.
    fn check(text: &str, expected: &[(&str, usize, usize, usize)]) {
        let mut analyzer = GermanAnalyzer::new(INDEX_TIME.before(Step::CompleteEllipses));
        let mut stream = analyzer.token_stream(text);
        assert_tokens(&mut stream, text, expected);
    }

    #[test]
    fn gives_parts_their_offsets_in_the_original() {
        check(
            "Flüchtlingsintegration",
            &[
                ("fluchtlingsintegration", 0, 23, 0),
                ("fluchtlinge", 0, 11, 0),
                ("integration", 12, 23, 0),
            ],
        );
        check(
            "die Fluechtlingsintegration",
            &[
                ("die", 0, 3, 0),
                ("fluchtlingsintegration", 4, 27, 1),
                ("fluchtlinge", 4, 15, 1),
                ("integration", 16, 27, 1),
            ],
        );
        check(
            "Großstädte",
            &[
                ("grossstadte", 0, 12, 0),
                ("grosse", 0, 5, 0),
                ("stadte", 5, 12, 0),
            ],
        );
        check(
            "Unionsbürgerinnen",
            &[
                ("unionsburger", 0, 18, 0),
                ("union", 0, 5, 0),
                ("burger", 6, 13, 0),
            ],
        );
    }

    #[test]
    fn splits_at_any_depth() {
        check(
            "Arbeitsmarktintegration",
            &[
                ("arbeitsmarktintegration", 0, 23, 0),
                ("arbeit", 0, 6, 0),
                ("markt", 7, 12, 0),
                ("integration", 12, 23, 0),
            ],
        );
    }

    #[test]
    fn splits_hyphenated_compounds() {
        check(
            "Friedrich-Ebert-Stiftung",
            &[
                ("friedrichebertstiftung", 0, 24, 0),
                ("friedrich", 0, 9, 0),
                ("ebert", 10, 15, 0),
                ("stiftung", 16, 24, 0),
            ],
        );
        check(
            "EU-Asylreform",
            &[
                ("euasylreform", 0, 13, 0),
                ("eu", 0, 2, 0),
                ("asyl", 3, 7, 0),
                ("reform", 7, 13, 0),
            ],
        );
        check(
            "Good-Practice-Beispiele",
            &[
                ("goodpracticebeispiele", 0, 23, 0),
                ("good", 0, 4, 0),
                ("practice", 5, 13, 0),
                ("beispiele", 14, 23, 0),
            ],
        );
    }
}
