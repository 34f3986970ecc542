//! Any text through the German analyzer, as the index and as a query: no panic, and every
//! token non-empty, with offsets on char boundaries inside the text and positions in order.
//!
//! The bytes are read as lossy UTF-8: the analyzer only ever sees `&str`, valid UTF-8 passes
//! through unchanged, and an invalid sequence becomes U+FFFD (itself a three-byte character
//! worth testing) instead of an input thrown away.
#![no_main]

use integra::analysis::{analyze_query, index_analyzer};
use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::TokenStream;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let in_text = |from: usize, to: usize| {
        from < to && to <= text.len() && text.is_char_boundary(from) && text.is_char_boundary(to)
    };

    let mut analyzer = index_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut last_position = 0;
    while stream.advance() {
        let token = stream.token();
        assert!(!token.text.is_empty(), "empty token in {text:?}: {token:?}");
        assert!(
            in_text(token.offset_from, token.offset_to),
            "offsets outside the text or off char boundaries in {text:?}: {token:?}"
        );
        assert!(
            token.position >= last_position,
            "position goes back from {last_position} in {text:?}: {token:?}"
        );
        last_position = token.position;
    }

    for term in analyze_query(text) {
        assert!(
            !term.term.is_empty(),
            "empty query term in {text:?}: {term:?}"
        );
        assert!(
            term.parts.iter().all(|p| !p.is_empty()),
            "empty part in {text:?}: {term:?}"
        );
        assert!(
            in_text(term.offset_from, term.offset_to),
            "query term offsets outside the text or off char boundaries in {text:?}: {term:?}"
        );
    }
});
