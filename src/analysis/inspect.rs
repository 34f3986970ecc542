//! What the analyzer makes of a text, word by word, as Elasticsearch's `_analyze` shows it:
//! for `integra analyze`, for `integra export --analyzed` and for anyone who wants to know why
//! a text matched.
//!
//! Nothing here analyzes on its own: the words are those of the [`WordTokenizer`], the terms
//! those the [`GermanAnalyzer`] gives the index (or a query), and the normalized forms the
//! same chain stopped before stemming.

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::chain::{Chain, INDEX_TIME, QUERY_TIME, Scratch, Step};
use super::tokenize::WordTokenizer;
use super::{GermanAnalyzer, MAX_TOKEN_BYTES};

/// Which analysis to show: the one texts are indexed with, or the one a query's words get.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Index time ([`INDEX_TIME`]): truncated words of a coordination are completed.
    #[default]
    Index,
    /// Query time ([`QUERY_TIME`]): truncated words are left as typed.
    Query,
}

impl Side {
    /// The chain of this side.
    pub fn chain(self) -> Chain {
        match self {
            Side::Index => INDEX_TIME,
            Side::Query => QUERY_TIME,
        }
    }
}

/// What a term of the index stands for within its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// The whole word.
    Whole,
    /// A part of a compound (or of a hyphenated word).
    Part,
    /// A truncated word completed by the head of its coordination ("Sprach- und
    /// Integrationskurse" gives "sprachkurs"): index time only.
    Completion,
}

/// One term the analyzer makes of a word, as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzedTerm {
    /// The term: normalized and stemmed.
    pub term: String,
    /// What it stands for.
    pub kind: TermKind,
    /// Byte offset of its first character in the text (a part points at its own letters).
    pub byte_from: usize,
    /// Byte offset just past its last character in the text.
    pub byte_to: usize,
}

/// One word of a text, analyzed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzedWord {
    /// Its position (every term of the word stands at it, so phrases over wholes match).
    pub position: usize,
    /// Byte offset of its first character in the text.
    pub byte_from: usize,
    /// Byte offset just past its last character.
    pub byte_to: usize,
    /// Char offset of its first character.
    pub char_from: usize,
    /// Char offset just past its last character.
    pub char_to: usize,
    /// The word as it stands in the text.
    pub surface: String,
    /// Whether it is truncated ("Sprach-" before "und").
    pub truncated: bool,
    /// The whole word after every step but stemming: gender forms folded, lowercased, umlauts
    /// and ß folded.
    pub normalized: String,
    /// The parts of a compound in the same form; empty for a simple word.
    pub parts: Vec<String>,
    /// The terms the index holds for it (or a query looks up), in the analyzer's order: the
    /// whole first.
    pub terms: Vec<AnalyzedTerm>,
}

/// Analyzes `text` as `side` does and returns each word with its forms and terms.
///
/// The analyzed fields of an index (`title`, `body`, `authors`, `institutions`) all hold the
/// [`Side::Index`] terms of their text. Words of 100 bytes or more are left out, as the
/// analyzer drops them.
///
/// # Example
/// ```
/// use integra::analysis::{Side, TermKind, inspect};
///
/// let words = inspect("Flüchtlingsintegration", Side::Index);
/// assert_eq!(words[0].normalized, "fluchtlingsintegration");
/// assert_eq!(words[0].parts, ["fluchtlinge", "integration"]);
/// let terms: Vec<&str> = words[0].terms.iter().map(|t| t.term.as_str()).collect();
/// assert_eq!(terms, ["fluchtlingsintegration", "fluchtling", "integration"]);
/// assert_eq!(words[0].terms[1].kind, TermKind::Part);
/// ```
pub fn inspect(text: &str, side: Side) -> Vec<AnalyzedWord> {
    let chain = side.chain();
    let mut words = Vec::new();
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut scratch = Scratch::default();
    let mut chars = CharOffsets::default();
    while let Some(word) = stream.next_word() {
        if word.token_len() >= MAX_TOKEN_BYTES {
            continue;
        }
        let original = &text[word.start..word.end];
        let forms = chain
            .before(Step::Stem)
            .tokens(original, word.truncated, None, &mut scratch);
        let mut forms = forms.into_iter().map(|piece| piece.text);
        words.push(AnalyzedWord {
            position: word.position,
            byte_from: word.start,
            byte_to: word.end,
            char_from: chars.at(text, word.start),
            char_to: chars.at(text, word.end),
            surface: original.to_string(),
            truncated: word.truncated,
            normalized: forms.next().unwrap_or_default(),
            parts: forms.collect(),
            terms: Vec::new(),
        });
    }
    // The terms, as the analyzer gives them: the words above are at their positions, in order.
    let mut analyzer = GermanAnalyzer::unshared(chain);
    let mut stream = analyzer.token_stream(text);
    let mut at = 0;
    while stream.advance() {
        let token = stream.token();
        while at < words.len() && words[at].position < token.position {
            at += 1;
        }
        let Some(word) = words.get_mut(at).filter(|w| w.position == token.position) else {
            continue;
        };
        let kind = match word.terms.first() {
            None => TermKind::Whole,
            // A completion has the offsets of the truncated whole; a part, its own letters.
            Some(whole)
                if chain.completes_ellipses()
                    && word.truncated
                    && (whole.byte_from, whole.byte_to) == (token.offset_from, token.offset_to) =>
            {
                TermKind::Completion
            }
            Some(_) => TermKind::Part,
        };
        word.terms.push(AnalyzedTerm {
            term: token.text.clone(),
            kind,
            byte_from: token.offset_from,
            byte_to: token.offset_to,
        });
    }
    words
}

/// The terms of `text` as `side` makes them, in order: at index time every term the index
/// holds (wholes, parts and completions); at query time the whole of each word, which is what
/// a query must meet (the index holds each compound's whole beside its parts).
///
/// Joined by spaces, they are what a plain whitespace tokenizer of another engine needs to
/// serve integra's analysis (`integra export --analyzed`, docs/SCALING.md).
///
/// # Example
/// ```
/// use integra::analysis::{Side, terms};
///
/// assert_eq!(
///     terms("Sprach- und Integrationskurse", Side::Index),
///     ["sprach", "sprachkurs", "und", "integrationskurs", "integration", "kurs"]
/// );
/// assert_eq!(
///     terms("Sprach- und Integrationskurse", Side::Query),
///     ["sprach", "und", "integrationskurs"]
/// );
/// ```
pub fn terms(text: &str, side: Side) -> Vec<String> {
    match side {
        Side::Index => {
            let mut analyzer = GermanAnalyzer::unshared(INDEX_TIME);
            let mut stream = analyzer.token_stream(text);
            let mut terms = Vec::new();
            while stream.advance() {
                terms.push(stream.token().text.clone());
            }
            terms
        }
        Side::Query => super::analyze_query(text)
            .into_iter()
            .map(|term| term.term)
            .collect(),
    }
}

/// Char offsets of byte offsets met in increasing order, counted once.
#[derive(Default)]
struct CharOffsets {
    byte: usize,
    chars: usize,
}

impl CharOffsets {
    /// The char offset of the byte offset `byte` (a char boundary, at or after the last one
    /// asked for).
    fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharOffsets::default();
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word as (surface, normalized, parts, terms with their kind).
    fn table(text: &str, side: Side) -> Vec<(String, String, Vec<String>, Vec<String>)> {
        inspect(text, side)
            .into_iter()
            .map(|w| {
                let terms = w
                    .terms
                    .iter()
                    .map(|t| match t.kind {
                        TermKind::Whole => t.term.clone(),
                        TermKind::Part => format!("part:{}", t.term),
                        TermKind::Completion => format!("completion:{}", t.term),
                    })
                    .collect();
                (w.surface, w.normalized, w.parts, terms)
            })
            .collect()
    }

    #[test]
    fn shows_wholes_parts_and_completions() {
        type Case<'a> = (
            &'a str,
            Side,
            &'a [(&'a str, &'a str, &'a [&'a str], &'a [&'a str])],
        );
        let cases: &[Case] = &[
            (
                "Flüchtlingsintegration",
                Side::Index,
                &[(
                    "Flüchtlingsintegration",
                    "fluchtlingsintegration",
                    &["fluchtlinge", "integration"],
                    &[
                        "fluchtlingsintegration",
                        "part:fluchtling",
                        "part:integration",
                    ],
                )],
            ),
            (
                "Sprach- und Integrationskurse",
                Side::Index,
                &[
                    (
                        "Sprach",
                        "sprach",
                        &[],
                        &["sprach", "completion:sprachkurs"],
                    ),
                    ("und", "und", &[], &["und"]),
                    (
                        "Integrationskurse",
                        "integrationskurse",
                        &["integration", "kurse"],
                        &["integrationskurs", "part:integration", "part:kurs"],
                    ),
                ],
            ),
            (
                "Sprach- und Integrationskurse",
                Side::Query,
                &[
                    ("Sprach", "sprach", &[], &["sprach"]),
                    ("und", "und", &[], &["und"]),
                    (
                        "Integrationskurse",
                        "integrationskurse",
                        &["integration", "kurse"],
                        &["integrationskurs", "part:integration", "part:kurs"],
                    ),
                ],
            ),
            (
                "Migrant*innen",
                Side::Index,
                &[("Migrant*innen", "migrant", &[], &["migrant"])],
            ),
        ];
        for (text, side, expected) in cases {
            let expected: Vec<_> = expected
                .iter()
                .map(|(surface, normalized, parts, terms)| {
                    (
                        surface.to_string(),
                        normalized.to_string(),
                        parts.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                        terms.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
                    )
                })
                .collect();
            assert_eq!(table(text, *side), expected, "{text:?} {side:?}");
        }
    }

    #[test]
    fn gives_byte_and_char_offsets() {
        let words = inspect("Die Städte, die Flüchtlingsintegration", Side::Index);
        let spans: Vec<_> = words
            .iter()
            .map(|w| (w.position, w.byte_from, w.byte_to, w.char_from, w.char_to))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 0, 3, 0, 3),
                (1, 4, 11, 4, 10),
                (2, 13, 16, 12, 15),
                (3, 17, 40, 16, 38)
            ]
        );
        let parts = &words[3].terms;
        assert_eq!((parts[2].byte_from, parts[2].byte_to), (29, 40));
    }

    #[test]
    fn the_terms_are_the_analyzers_tokens() {
        let text = "Sprach- und Integrationskurse für Geflüchtete in Großstädten";
        let from_words: Vec<String> = inspect(text, Side::Index)
            .into_iter()
            .flat_map(|w| w.terms.into_iter().map(|t| t.term))
            .collect();
        assert_eq!(from_words, terms(text, Side::Index));
        assert!(terms("", Side::Index).is_empty());
        assert!(inspect(" ,; ", Side::Query).is_empty());
    }
}
