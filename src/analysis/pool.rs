//! Copies of an analyzer kept from one search to the next, for the texts a search analyzes
//! (the words of a hit's passages, the first hits that feedback reads). A copy remembers the words it analyzed
//! ([`super::cache`]), but a copy made for one search and dropped after it keeps its words
//! only if it computed many: the shared table is copied to publish them. A copy taken from
//! the pool and put back keeps them all, so that the words of the texts searches read again
//! and again are analyzed once.

use std::sync::Mutex;

use tantivy::tokenizer::TextAnalyzer;

/// How many idle copies the pool keeps: one for each search running at once, up to this.
const MAX_IDLE: usize = 8;

/// Copies of an analyzer, lent to one search at a time.
pub(crate) struct AnalyzerPool {
    base: TextAnalyzer,
    idle: Mutex<Vec<TextAnalyzer>>,
}

impl AnalyzerPool {
    /// A pool of copies of `base`, made when first needed.
    pub fn new(base: TextAnalyzer) -> AnalyzerPool {
        AnalyzerPool {
            base,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` with a copy of the analyzer that no other search uses meanwhile.
    pub fn with<R>(&self, f: impl FnOnce(&mut TextAnalyzer) -> R) -> R {
        let taken = self.idle().pop();
        let mut analyzer = taken.unwrap_or_else(|| self.base.clone());
        let result = f(&mut analyzer);
        let mut idle = self.idle();
        if idle.len() < MAX_IDLE {
            idle.push(analyzer);
        }
        result
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<TextAnalyzer>> {
        // A copy is whole whatever a search that panicked did with another.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenStream;

    use super::*;
    use crate::analysis::{GermanAnalyzer, INDEX_TIME};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        tokens
    }

    #[test]
    fn a_lent_copy_analyzes_as_the_analyzer_does_and_comes_back() {
        let mut base = TextAnalyzer::from(GermanAnalyzer::new(INDEX_TIME));
        let pool = AnalyzerPool::new(base.clone());
        let text = "Die Flüchtlingsintegration in den Kommunen";
        let expected = tokens(&mut base, text);
        for _ in 0..3 {
            assert_eq!(pool.with(|a| tokens(a, text)), expected);
            assert_eq!(pool.idle().len(), 1);
        }
        // Two searches at once get a copy each.
        pool.with(|a| {
            assert_eq!(pool.with(|b| tokens(b, text)), tokens(a, text));
        });
        assert_eq!(pool.idle().len(), 2);
    }
}
