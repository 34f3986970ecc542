//! The word frequencies the [`Decompounder`](super::Decompounder) splits compounds with.
//!
//! `lexicon.fst` maps each normalized word (as the analyzer's tokenizer, gender folding and
//! normalization produce it) to the number of times it occurs in the 63,130 speeches of the
//! German Bundestag (`bundestag-reden.jsonl.gz`), keeping words of three letters or more seen at
//! least five times. Plenary speeches are official works and in the public domain (§ 5 UrhG), so
//! the lexicon may be embedded and redistributed. `examples/build_lexicon.rs` rebuilds it.

use std::sync::LazyLock;

use fst::Map;
use fst::raw::Output;

static LEXICON: LazyLock<Map<&'static [u8]>> = LazyLock::new(|| {
    Map::new(&include_bytes!("lexicon.fst")[..])
        .expect("the embedded lexicon is an fst map written by build_lexicon")
});

/// The frequencies of the words that start at the beginning of `bytes`: for every end `p`,
/// `out[p]` receives the frequency of `bytes[..p]`, of `bytes[..p]` + "e" and of `bytes[..p]` +
/// "en" (0 for unknown words). One walk through the automaton answers all of them, which makes
/// finding every known segment of a compound cost little more than reading it.
pub(crate) fn prefix_frequencies(bytes: &[u8], out: &mut [[u64; 3]]) {
    let fst = LEXICON.as_fst();
    let mut node = fst.root();
    let mut output = Output::zero();
    for (p, &byte) in bytes.iter().enumerate() {
        let Some(i) = node.find_input(byte) else {
            return;
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
}
