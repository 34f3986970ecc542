//! The word frequencies the [`decompound`](super) step splits compounds with.
//!
//! The lexicon maps each normalized word (as the analyzer's tokenizer, gender folding and
//! normalization produce it) to the number of times it occurs in the 63,130 speeches of the
//! German Bundestag (`bundestag-reden.jsonl.gz`), keeping words of three letters or more seen at
//! least five times. Plenary speeches are official works and in the public domain (§ 5 UrhG), so
//! the lexicon may be embedded and redistributed. `examples/build_lexicon.rs` rebuilds it.
//!
//! `build_lexicon` writes it in two forms, from the same automaton. `lexicon.fst` is an fst map
//! (<https://docs.rs/fst>), the reference the tests hold the other form to; the `fst` crate packs
//! its nodes tightly and decodes a node at every step, which made the lookups a fifth of a first
//! pass over new text. `lexicon.flat` is what the analyzer embeds and reads where it lies: one
//! record per node, whose two-byte header tells where each field is, all little-endian:
//!
//! ```text
//! header    u16: the number of transitions (bits 0-4), then the flags WORD, WORD_E, WORD_EN,
//!           OUTPUTS, FIRST_IS_NEXT, WIDE (bits 5-10) named below, and NEVER_SPLIT (bit 11):
//!           the path to this node is a word (WORD) that the decompounder does not split
//! inputs    u8 per transition, ascending
//! values    u16 each, u32 if WIDE: the frequency of the path to this node as a word (if WORD),
//!           of the path + "e" (if WORD_E) and of the path + "en" (if WORD_EN), each relative
//!           to the output on arrival; then the output of each transition (if OUTPUTS, else 0)
//! targets   u24 per transition, the offset of its target's record; none for the first
//!           transition if its target is the next record (FIRST_IS_NEXT)
//! ```
//!
//! NEVER_SPLIT lets the decompounder stop after its first walk through the automaton when the
//! walk read all of a word it would search in vain: half the words of the lexicon, and a large
//! share of the searches in running text. `build_lexicon` asks the decompounder itself
//! whether it splits each word, and a test holds the flags to what it answers: when its rules
//! or constants change, the test fails until
//! `cargo run --release --example build_lexicon -- data/lexicon.fst` computes the flags
//! again. A flag belongs to a word, while the fst shares one node among all words that end
//! alike; where words that split and words that do not would share a node, the flat automaton
//! has a copy of the node for each (a few thousand more records than the fst has nodes).
//!
//! For the other half of the words, those it splits, `lexicon.splits` holds the parts its search
//! finds (see [`SPLITS`]), so a new word the lexicon knows costs no search at all.
//!
//! The root's record comes first, the others in depth-first order, so that a walk along a word
//! mostly reads on in the same cache lines. The walks from every start of every new word touch
//! a different part of the automaton each time and wait on memory more than on anything else,
//! hence the compact records (fixed-size records of nodes and transitions took several times the
//! space and were slower) and the "e" and "en" look-ahead stored at each node, which costs no
//! further step. Decoding the fst into arrays when a process starts would cost every process,
//! each `integra search` included, more than the search itself; see benches/LOG.md.

/// The automaton as `build_lexicon` wrote it.
static LEXICON: &[u8] = include_bytes!("../../../data/lexicon.flat");

/// The bits of a record's header, which `examples/build_lexicon.rs` writes with these same
/// constants.
pub mod header {
    /// The number of transitions (the low five bits).
    pub const TRANSITIONS: u16 = 0x1f;
    /// The path to the node is a word: its frequency is the first value.
    pub const WORD: u16 = 1 << 5;
    /// The path + "e" is a word: its frequency follows.
    pub const WORD_E: u16 = 1 << 6;
    /// The path + "en" is a word: its frequency follows.
    pub const WORD_EN: u16 = 1 << 7;
    /// The transitions have outputs, after the frequencies.
    pub const OUTPUTS: u16 = 1 << 8;
    /// The first transition's target is the next record, and its offset is left out.
    pub const FIRST_IS_NEXT: u16 = 1 << 9;
    /// Values take four bytes instead of two.
    pub const WIDE: u16 = 1 << 10;
    /// The word (WORD) is one the decompounder does not split.
    pub const NEVER_SPLIT: u16 = 1 << 11;
}

use header::*;

/// A node of the automaton: where its record starts, and its header.
#[derive(Clone, Copy)]
struct Node {
    at: usize,
    header: u16,
}

impl Node {
    fn at(at: usize) -> Node {
        Node {
            at,
            header: u16::from_le_bytes([LEXICON[at], LEXICON[at + 1]]),
        }
    }

    /// The inputs of the node's transitions, ascending.
    fn inputs(self) -> &'static [u8] {
        &LEXICON[self.at + 2..self.values()]
    }

    /// Where the values start.
    fn values(self) -> usize {
        self.at + 2 + usize::from(self.header & TRANSITIONS)
    }

    /// The width of a value, in bytes.
    fn value_bytes(self) -> usize {
        if self.header & WIDE != 0 { 4 } else { 2 }
    }

    /// The `i`-th value: the frequencies first, then the outputs.
    fn value(self, i: usize) -> u64 {
        let at = self.values() + self.value_bytes() * i;
        if self.header & WIDE != 0 {
            u64::from(u32::from_le_bytes(
                LEXICON[at..at + 4].try_into().expect("four bytes"),
            ))
        } else {
            u64::from(u16::from_le_bytes([LEXICON[at], LEXICON[at + 1]]))
        }
    }

    /// How many frequencies the node has.
    fn frequencies(self) -> usize {
        (self.header & (WORD | WORD_E | WORD_EN)).count_ones() as usize
    }

    /// The output and the target of the transition on `input`.
    fn step(self, input: u8) -> Option<(u64, Node)> {
        let inputs = self.inputs();
        let n = inputs.len();
        let i = inputs.iter().position(|&b| b >= input)?;
        if inputs[i] != input {
            return None;
        }
        let mut values = self.frequencies();
        let mut output = 0;
        if self.header & OUTPUTS != 0 {
            output = self.value(values + i);
            values += n;
        }
        let targets = self.values() + self.value_bytes() * values;
        let target = match (self.header & FIRST_IS_NEXT != 0, i) {
            // The record ends with the other targets.
            (true, 0) => targets + 3 * (n - 1),
            (true, i) => read_u24(targets + 3 * (i - 1)),
            (false, i) => read_u24(targets + 3 * i),
        };
        Some((output, Node::at(target)))
    }
}

fn read_u24(at: usize) -> usize {
    let [a, b, c] = LEXICON[at..at + 3].try_into().expect("three bytes");
    u32::from_le_bytes([a, b, c, 0]) as usize
}

/// The frequencies of the words that start at the beginning of `bytes`: for every end `p`,
/// `out[p]` receives the frequency of `bytes[..p]`, of `bytes[..p]` + "e" and of `bytes[..p]` +
/// "en" (0 for unknown words). One walk through the automaton answers all of them, which makes
/// finding every known segment of a compound cost little more than reading it.
///
/// Returns what else the walk found (see [`Walk`]); `out` is left untouched beyond
/// [`Walk::depth`].
pub(crate) fn prefix_frequencies(bytes: &[u8], out: &mut [[u64; 3]]) -> Walk {
    let mut node = Node::at(0);
    let mut output = 0;
    let mut never_split_at = 0;
    for (p, &byte) in bytes.iter().enumerate() {
        let Some((step_output, target)) = node.step(byte) else {
            return Walk {
                depth: p,
                never_split: false,
                never_split_at,
            };
        };
        output += step_output;
        node = target;
        if node.header & NEVER_SPLIT != 0 && p + 1 < 64 {
            never_split_at |= 1 << (p + 1);
        }
        let mut i = 0;
        for (slot, flag) in out[p + 1].iter_mut().zip([WORD, WORD_E, WORD_EN]) {
            if node.header & flag != 0 {
                *slot = output + node.value(i);
                i += 1;
            }
        }
    }
    Walk {
        depth: bytes.len(),
        never_split: node.header & NEVER_SPLIT != 0,
        never_split_at,
    }
}

/// What a walk of [`prefix_frequencies`] found besides the frequencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Walk {
    /// How many bytes it read: no known word from the start is longer than that (with its "e"
    /// or "en").
    pub depth: usize,
    /// Whether all of the bytes are a word the decompounder does not split (as it stood when
    /// `build_lexicon` asked it).
    pub never_split: bool,
    /// Bit `p` is set if the first `p` bytes are such a word (for `p` below 64): a compound's
    /// part the decompounder need not search again.
    pub never_split_at: u64,
}

/// The splits of the lexicon's words that the decompounder splits, as its search finds them
/// (`lexicon.splits`, written by `build_lexicon` beside the flat automaton): a new word the
/// lexicon knows then costs one lookup here instead of the search, which is most of what a
/// first pass over new text costs (see benches/README.md). A test holds the table to the
/// search, as it holds the NEVER_SPLIT flags.
///
/// Little-endian: the number of bits of a slot index `b` (u32), then 2^b slots (u32 each: 0
/// for none, else 1 + the offset of a record after the slots), then the records: the word's
/// length (u8) and bytes, the number of parts (u8), and for each part four bytes, `from`, `to`,
/// `kept` and `ending`: the part's text is the word's bytes `from..from + kept` followed by
/// [`ENDINGS`]`[ending]`, and it comes from the bytes `from..to` of the word. A word's slot is
/// found by open addressing from the top bits of its FNV-1a hash.
static SPLITS: &[u8] = include_bytes!("../../../data/lexicon.splits");

/// The endings a stored part may have beyond the word's bytes: none, or the -e or -en the
/// decompounder restores.
pub const ENDINGS: [&str; 3] = ["", "e", "en"];

/// The hash of a word in the table: FNV-1a, which is fixed, so that the table means the same
/// to every build.
fn word_hash(word: &[u8]) -> u64 {
    crate::hash::fnv1a(word, crate::hash::FNV_OFFSET)
}

/// The stored parts of `word`, four bytes each (see [`SPLITS`]), if the lexicon knows it as
/// a word that splits.
pub(crate) fn stored_split(word: &[u8]) -> Option<&'static [u8]> {
    find_split(SPLITS, word)
}

/// [`stored_split`] in the table `table`; `None` wherever the table is not what it should be.
fn find_split<'t>(table: &'t [u8], word: &[u8]) -> Option<&'t [u8]> {
    let bits = u32::from_le_bytes(table.get(..4)?.try_into().ok()?);
    if bits == 0 || bits > 24 {
        return None;
    }
    let slots = 1usize << bits;
    let records = table.get(4 + 4 * slots..)?;
    let mut slot = (word_hash(word) >> (64 - bits)) as usize;
    for _ in 0..slots {
        let at = 4 + 4 * slot;
        let entry = u32::from_le_bytes(table.get(at..at + 4)?.try_into().ok()?) as usize;
        if entry == 0 {
            return None;
        }
        let record = records.get(entry - 1..)?;
        let len = usize::from(*record.first()?);
        if record.get(1..1 + len)? == word {
            let count = usize::from(*record.get(1 + len)?);
            return record.get(2 + len..2 + len + 4 * count);
        }
        slot = (slot + 1) & (slots - 1);
    }
    None
}

/// Writes the table of [`SPLITS`] for `splits`: each word with its parts as `[from, to, kept,
/// ending]`. For `build_lexicon`.
#[doc(hidden)]
pub fn write_splits(splits: &[(Vec<u8>, Vec<[u8; 4]>)]) -> Vec<u8> {
    // At most half full, so that a lookup mostly reads one slot.
    let bits = (2 * splits.len().max(1))
        .next_power_of_two()
        .trailing_zeros()
        .max(1);
    let slots = 1usize << bits;
    let mut table = vec![0u32; slots];
    let mut records = Vec::new();
    for (word, parts) in splits {
        let mut slot = (word_hash(word) >> (64 - bits)) as usize;
        while table[slot] != 0 {
            slot = (slot + 1) & (slots - 1);
        }
        table[slot] = u32::try_from(records.len() + 1).expect("the records fit in 4 GB");
        records.push(u8::try_from(word.len()).expect("a lexicon word is short"));
        records.extend(word);
        records.push(u8::try_from(parts.len()).expect("a word has few parts"));
        records.extend(parts.iter().flatten());
    }
    let mut bytes = Vec::with_capacity(4 + 4 * slots + records.len());
    bytes.extend(bits.to_le_bytes());
    for entry in table {
        bytes.extend(entry.to_le_bytes());
    }
    bytes.extend(records);
    bytes
}

#[cfg(test)]
mod tests {
    use fst::raw::Output;
    use fst::{Map, Streamer};

    use super::*;
    use crate::analysis::splits_without_lexicon_flags;

    fn fst_lexicon() -> Map<&'static [u8]> {
        Map::new(&include_bytes!("../../../data/lexicon.fst")[..])
            .expect("lexicon.fst is an fst map")
    }

    /// `prefix_frequencies` as it was written on the fst, before the flat automaton.
    fn fst_prefix_frequencies(map: &Map<&[u8]>, bytes: &[u8], out: &mut [[u64; 3]]) -> usize {
        let fst = map.as_fst();
        let mut node = fst.root();
        let mut output = Output::zero();
        for (p, &byte) in bytes.iter().enumerate() {
            let Some(i) = node.find_input(byte) else {
                return p;
            };
            let transition = node.transition(i);
            output = output.cat(transition.out);
            node = fst.node(transition.addr);
            let slot = &mut out[p + 1];
            if node.is_final() {
                slot[0] = output.cat(node.final_output()).value();
            }
            if let Some(i) = node.find_input(b'e') {
                let to_e = node.transition(i);
                let output_e = output.cat(to_e.out);
                let node_e = fst.node(to_e.addr);
                if node_e.is_final() {
                    slot[1] = output_e.cat(node_e.final_output()).value();
                }
                if let Some(i) = node_e.find_input(b'n') {
                    let to_en = node_e.transition(i);
                    let node_en = fst.node(to_en.addr);
                    if node_en.is_final() {
                        slot[2] = output_e.cat(to_en.out).cat(node_en.final_output()).value();
                    }
                }
            }
        }
        bytes.len()
    }

    /// The words of the fst with their frequencies, in ascending order.
    fn fst_words(map: &Map<&[u8]>) -> Vec<(Vec<u8>, u64)> {
        let mut words = Vec::new();
        let mut stream = map.stream();
        while let Some((word, frequency)) = stream.next() {
            words.push((word.to_vec(), frequency));
        }
        words
    }

    /// Calls `visit` with `node` and every node below it, each with its path and the output on
    /// arrival, in depth-first order, so that the words come in ascending order.
    fn each_node(
        node: Node,
        output: u64,
        path: &mut Vec<u8>,
        visit: &mut impl FnMut(&[u8], u64, Node),
    ) {
        visit(path, output, node);
        for &input in node.inputs() {
            let (step_output, target) = node.step(input).expect("each input leads to a node");
            path.push(input);
            each_node(target, output + step_output, path, visit);
            path.pop();
        }
    }

    /// Appends every word below `node` to `words`, with its frequency, in ascending order.
    fn flat_words(node: Node, words: &mut Vec<(Vec<u8>, u64)>) {
        each_node(node, 0, &mut Vec::new(), &mut |path, output, node| {
            if node.header & WORD != 0 {
                words.push((path.to_vec(), output + node.value(0)));
            }
        });
    }

    #[test]
    fn flat_automaton_holds_the_words_of_the_fst() {
        let expected = fst_words(&fst_lexicon());
        let mut words = Vec::new();
        flat_words(Node::at(0), &mut words);
        for (got, want) in words.iter().zip(&expected) {
            assert_eq!(
                got,
                want,
                "{} in the flat automaton, {} in the fst",
                String::from_utf8_lossy(&got.0),
                String::from_utf8_lossy(&want.0)
            );
        }
        assert_eq!(words.len(), expected.len());
    }

    #[test]
    fn prefix_frequencies_agree_with_the_fst() {
        let map = fst_lexicon();
        let words: Vec<Vec<u8>> = fst_words(&map).into_iter().map(|(w, _)| w).collect();
        // Every word as it is, with endings and linking elements, without its first letter, and
        // followed by another word as in a compound.
        let mut texts = Vec::new();
        for (i, word) in words.iter().enumerate() {
            texts.push(word.clone());
            texts.push([word, &b"en"[..]].concat());
            texts.push([word, &b"sarbeit"[..]].concat());
            texts.push(word[1..].to_vec());
            texts.push([&word[..], &words[i * 7919 % words.len()]].concat());
        }
        texts.extend([b"".to_vec(), b"xyz".to_vec(), "ärger".as_bytes().to_vec()]);
        for text in &texts {
            let mut got = vec![[0; 3]; text.len() + 1];
            let mut want = got.clone();
            let got_depth = prefix_frequencies(text, &mut got).depth;
            let want_depth = fst_prefix_frequencies(&map, text, &mut want);
            assert_eq!(
                (got_depth, got),
                (want_depth, want),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    /// The stored splits save the decompounder's search for the lexicon's words that it splits,
    /// so they must be what the search finds, and there must be one for each such word.
    #[test]
    fn stored_splits_agree_with_the_decompounder() {
        let mut wrong = Vec::new();
        let mut stored = 0;
        for (word, _) in fst_words(&fst_lexicon()) {
            let word = std::str::from_utf8(&word).expect("the words are UTF-8");
            let searched = crate::analysis::decompound::parts_of(word);
            let mut pushed = Vec::new();
            crate::analysis::decompound::stored_parts_of(word, &mut pushed);
            stored += usize::from(!pushed.is_empty());
            if pushed != searched {
                wrong.push(word.to_string());
            }
        }
        assert!(
            wrong.is_empty(),
            "{} words of lexicon.splits have splits the decompounder now disagrees with (the \
             first: {:?}): compute them again with \
             `cargo run --release --example build_lexicon -- data/lexicon.fst`",
            wrong.len(),
            &wrong[..wrong.len().min(5)],
        );
        assert!(stored > 40_000, "{stored} words with stored splits");
    }

    #[test]
    fn a_split_table_finds_its_words_and_refuses_what_it_is_not() {
        let splits = vec![
            (b"arbeitsmarkt".to_vec(), vec![[0, 6, 6, 0], [7, 12, 5, 0]]),
            (b"schulbuch".to_vec(), vec![[0, 5, 5, 1], [5, 9, 4, 0]]),
        ];
        let table = write_splits(&splits);
        for (word, parts) in &splits {
            assert_eq!(find_split(&table, word), Some(parts.as_flattened()));
        }
        assert_eq!(find_split(&table, b"arbeitsmark"), None);
        assert_eq!(find_split(&table, b""), None);
        assert_eq!(find_split(&write_splits(&[]), b"arbeitsmarkt"), None);
        // Cut or damaged tables answer nothing rather than panic.
        for len in 0..table.len() {
            assert_eq!(find_split(&table[..len], b"zzz").map(<[u8]>::len), None);
            let _ = find_split(&table[..len], b"schulbuch");
        }
        assert_eq!(find_split(&[255, 0, 0, 0], b"schulbuch"), None);
    }

    /// The flags save the decompounder's search for the words it does not split, so they must
    /// say what the search would find: when its rules, its constants or the lexicon change, the
    /// flags must be computed again.
    #[test]
    fn never_split_flags_agree_with_the_decompounder() {
        let mut words = 0;
        let mut wrong = Vec::new();
        each_node(Node::at(0), 0, &mut Vec::new(), &mut |path, _, node| {
            let flagged = node.header & NEVER_SPLIT != 0;
            if node.header & WORD == 0 {
                assert!(
                    !flagged,
                    "{}: flagged but not a word",
                    String::from_utf8_lossy(path)
                );
                return;
            }
            words += 1;
            let word = std::str::from_utf8(path).expect("the words are UTF-8");
            if flagged == splits_without_lexicon_flags(word) {
                wrong.push(word.to_string());
            }
        });
        assert!(
            wrong.is_empty(),
            "{} of {words} words of lexicon.flat have a NEVER_SPLIT flag the decompounder now \
             disagrees with (the first: {:?}): its rules, its constants or the lexicon changed \
             since the flags were computed; compute them again with \
             `cargo run --release --example build_lexicon -- data/lexicon.fst`",
            wrong.len(),
            &wrong[..wrong.len().min(5)],
        );
        assert_eq!(words, fst_words(&fst_lexicon()).len());
    }

    #[test]
    fn reports_a_never_split_word_only_when_the_walk_reads_all_of_it() {
        let mut out = vec![[0; 3]; 32];
        for (text, expected) in [
            ("bundestag", (9, true)),
            ("integration", (11, true)),
            ("zusammenarbeit", (14, false)),
            ("bundesta", (8, false)),
            ("bundestagx", (9, false)),
            ("", (0, false)),
        ] {
            let walk = prefix_frequencies(text.as_bytes(), &mut out);
            assert_eq!((walk.depth, walk.never_split), expected, "{text}");
        }
        // On the way, the walk marks where a word it does not split ends: "bund" and
        // "bundestag" in "bundestagx", not "bundesta", which is no word.
        let at = |text: &[u8], p: usize| {
            prefix_frequencies(text, &mut [[0; 3]; 32]).never_split_at >> p & 1
        };
        assert_eq!((at(b"bundestagx", 4), at(b"bundestagx", 9)), (1, 1));
        assert_eq!(at(b"bundestagx", 8), 0);
        assert_eq!(at(b"integrationskurs", 11), 1);
        // "zusammenarbeit" splits: the walk along it does not mark its end.
        assert_eq!(at(b"zusammenarbeitx", 14), 0);
    }
}
