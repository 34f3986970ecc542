//! The word frequencies the [`Decompounder`](super::Decompounder) splits compounds with.
//!
//! `lexicon.fst` maps each normalized word (as the analyzer's tokenizer, gender folding and
//! normalization produce it) to the number of times it occurs in the 63,130 speeches of the
//! German Bundestag (`bundestag-reden.jsonl.gz`), keeping words of three letters or more seen at
//! least five times. Plenary speeches are official works and in the public domain (§ 5 UrhG), so
//! the lexicon may be embedded and redistributed. `examples/build_lexicon.rs` rebuilds it.

use std::sync::LazyLock;

use fst::Map;

static LEXICON: LazyLock<Map<&'static [u8]>> = LazyLock::new(|| {
    Map::new(&include_bytes!("lexicon.fst")[..])
        .expect("the embedded lexicon is an fst map written by build_lexicon")
});

/// How often `word` (normalized) occurs in the lexicon's corpus; 0 for unknown words.
pub(crate) fn frequency(word: &str) -> u64 {
    LEXICON.get(word).unwrap_or(0)
}
