//! Splits text into words: Unicode word segmentation (UAX #29), adapted to German texts.
//!
//! UAX #29 already keeps "e.V", "z.B", "16.430" and "geht's" together. On top of it:
//!
//! - Hyphenated compounds ("Friedrich-Ebert-Stiftung", "EU-Asylreform") stay one token; the
//!   [`decompound`](super::decompound) step later adds their parts.
//! - Gender forms stay one token: "Migrant*innen", "Migrant:innen", "Migrant_innen",
//!   "Lehrer/-innen" (UAX #29 splits at `*` and `/`).
//! - Words joined by an underscore or a colon that is not a gender form are split
//!   ("Flüchtlinge_Deutschkurs", "Hinweis:Das"), since UAX #29 keeps them together.
//! - A word truncated by a hyphen before a conjunction ("Sprach- und Integrationskurse") is
//!   marked by keeping the hyphen at the end of the token text, while its offsets cover the word
//!   only; the [`ellipsis`](super::ellipsis) step completes and removes it.
//!
//! Each token gets its own position; everything later added for a word shares its position.
//!
//! The word segments and the pieces cut from them are in `segments.rs`; this file joins pieces
//! into words and holds the shortcut for plain ASCII words.

mod segments;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use segments::{Pieces, Segments};

/// Splits text into words; see the [module documentation](self).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
    /// Cut every word by the general rules, without the shortcut for plain ASCII words: for
    /// the tests that hold the shortcut to them.
    general_only: bool,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            pieces: Pieces {
                text,
                segments: Segments {
                    text,
                    pos: 0,
                    complex: None,
                },
                rest: 0..0,
            },
            peeked: None,
            token: &mut self.token,
            general_only: self.general_only,
        }
    }
}

/// The token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    pieces: Pieces<'a>,
    peeked: Option<(usize, usize)>,
    token: &'a mut Token,
    general_only: bool,
}

/// [`ASCII_CLASS`] of an ASCII letter or digit.
const ASCII_ALNUM: u8 = 1;
/// [`ASCII_CLASS`] of an ASCII byte that is no word character (everything but letters, digits
/// and `_`): what lies between words.
const ASCII_GAP: u8 = 2;

/// The class of each byte: [`ASCII_ALNUM`], [`ASCII_GAP`], or 0 (`_` and the bytes of non-ASCII
/// characters), so that the loops over plain words test one table entry per byte.
static ASCII_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 0x80 {
        class[b] = if (b as u8).is_ascii_alphanumeric() {
            ASCII_ALNUM
        } else if b == b'_' as usize {
            0
        } else {
            ASCII_GAP
        };
        b += 1;
    }
    class
};

/// Characters that join the parts of a hyphenated compound.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Whether `rest` (the text right after a gender marker) starts with the feminine suffix "in" or
/// "innen": "Migrant*in", "Migrant*innen", "Migrant*innenberatung", but not "Foo_index".
pub(crate) fn starts_with_gender_suffix(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    if bytes.starts_with(b"innen") {
        return true;
    }
    bytes.starts_with(b"in")
        && rest[2..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

impl WordTokenStream<'_> {
    fn next_piece(&mut self) -> Option<(usize, usize)> {
        self.peeked.take().or_else(|| self.pieces.next())
    }

    /// Whether the gap between two pieces joins them into one word.
    fn joins(&self, gap: &str, next_start: usize) -> bool {
        let mut chars = gap.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(c), None, _) if is_hyphen(c) => true,
            (Some('*' | ':' | '/' | '·'), None, _) | (Some('/'), Some('-'), None) => {
                starts_with_gender_suffix(&self.text[next_start..])
            }
            _ => false,
        }
    }

    /// Whether the word ending at `end` is truncated: "Sprach- und", "Bundes-, Landes-".
    fn truncated_at(&self, end: usize) -> bool {
        let mut chars = self.text[end..].chars();
        match chars.next() {
            Some(c) if is_hyphen(c) => chars.next().is_none_or(|c| c.is_whitespace() || c == ','),
            _ => false,
        }
    }
}

/// A word as the tokenizer cuts it, before it becomes a token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    /// Its byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Whether it is truncated ("Sprach-" before "und"): its token text ends with a hyphen.
    pub truncated: bool,
    /// Its position.
    pub position: usize,
}

impl Word {
    /// The length of its token text in bytes.
    pub fn token_len(&self) -> usize {
        self.end - self.start + usize::from(self.truncated)
    }

    /// Writes its token into `token`.
    pub fn fill(&self, text: &str, token: &mut Token) {
        token.text.clear();
        token.text.push_str(&text[self.start..self.end]);
        if self.truncated {
            token.text.push('-');
        }
        token.offset_from = self.start;
        token.offset_to = self.end;
        token.position = self.position;
        token.position_length = 1;
    }
}

impl WordTokenStream<'_> {
    /// The next word, without copying it into the token: for the
    /// [`GermanAnalyzer`](super::GermanAnalyzer), which looks words up in the text itself.
    pub(crate) fn next_word(&mut self) -> Option<Word> {
        let (start, mut end) = match self.peeked.take() {
            Some(piece) => piece,
            None if self.general_only => self.pieces.next()?,
            None => match self.plain_piece() {
                Some(piece) => piece,
                None => self.pieces.next()?,
            },
        };
        let truncated = (self.general_only || !self.ends_plainly(end)) && {
            while let Some((next_start, next_end)) = self.next_piece() {
                if self.joins(&self.text[end..next_start], next_start) {
                    end = next_end;
                } else {
                    self.peeked = Some((next_start, next_end));
                    break;
                }
            }
            self.truncated_at(end)
        };
        self.token.position = self.token.position.wrapping_add(1);
        Some(Word {
            start,
            end,
            truncated,
            position: self.token.position,
        })
    }

    /// The next piece if it is the common case, a run of ASCII letters and digits that the
    /// next character (or the end of the text) plainly ends, found without the general rules
    /// of [`Segments`] and [`Pieces`]; `None` where those must decide. Most words of German text
    /// are such runs, and the general rules cost several times more instructions for the same
    /// tokens (see benches/LOG.md).
    fn plain_piece(&mut self) -> Option<(usize, usize)> {
        let segments = &mut self.pieces.segments;
        if !self.pieces.rest.is_empty() || segments.complex.is_some() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let from = segments.pos;
        let start = from
            + bytes[from..]
                .iter()
                .position(|&b| ASCII_CLASS[usize::from(b)] != ASCII_GAP)
                .unwrap_or(bytes.len() - from);
        let i = start
            + bytes[start..]
                .iter()
                .position(|&b| ASCII_CLASS[usize::from(b)] != ASCII_ALNUM)
                .unwrap_or(bytes.len() - start);
        // The segment goes on at a word character, or at a joiner between letters or digits
        // ("e.V", "16.430", "geht's", "Migrant:innen", "3,5").
        let ends = match bytes.get(i) {
            None => true,
            Some(&next) if next >= 0x80 || next == b'_' => false,
            Some(b'.' | b'\'' | b':' | b',') => bytes
                .get(i + 1)
                .is_none_or(|&after| after < 0x80 && !after.is_ascii_alphanumeric()),
            Some(_) => true,
        };
        if i == start || !ends {
            return None;
        }
        segments.pos = i;
        Some((start, i))
    }

    /// Whether the piece ending at `end` plainly ends its word: what follows neither joins it
    /// to the next piece (a hyphen or gender marker right before it, see [`Self::joins`]) nor
    /// marks it as truncated. `false` where [`Self::joins`] and [`Self::truncated_at`] must
    /// decide.
    fn ends_plainly(&self, end: usize) -> bool {
        let bytes = self.text.as_bytes();
        match bytes.get(end) {
            None => true,
            Some(&next) if next >= 0x80 || next == b'-' => false,
            // A gender marker joins only right before the next piece, or as "/-".
            Some(b'*' | b':' | b'/') => bytes.get(end + 1).is_some_and(|&after| {
                after < 0x80 && !after.is_ascii_alphanumeric() && after != b'_' && after != b'-'
            }),
            Some(_) => true,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(word) = self.next_word() else {
            return false;
        };
        word.fill(self.text, self.token);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected tokens: text, offset_from, offset_to, position.
    type Expected<'a> = &'a [(&'a str, usize, usize, usize)];

    /// Checks the text, byte offsets and position of every token.
    fn check(text: &str, expected: Expected) {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        crate::analysis::testing::assert_tokens(&mut stream, text, expected);
    }

    #[test]
    fn segments_german_text() {
        let cases: &[(&str, Expected)] = &[
            (
                "der e.V. hat",
                &[("der", 0, 3, 0), ("e.V", 4, 7, 1), ("hat", 9, 12, 2)],
            ),
            (
                "16.430 Menschen",
                &[("16.430", 0, 6, 0), ("Menschen", 7, 15, 1)],
            ),
            ("EU-Asylreform", &[("EU-Asylreform", 0, 13, 0)]),
            (
                "die Friedrich-Ebert-Stiftung",
                &[("die", 0, 3, 0), ("Friedrich-Ebert-Stiftung", 4, 28, 1)],
            ),
            (
                "Flüchtlinge_Deutschkurs",
                &[("Flüchtlinge", 0, 12, 0), ("Deutschkurs", 13, 24, 1)],
            ),
            ("Hinweis:Das", &[("Hinweis", 0, 7, 0), ("Das", 8, 11, 1)]),
            ("- Bau -", &[("Bau", 2, 5, 0)]),
            ("_a_", &[("a", 1, 2, 0)]),
            (
                "geht's, z.B. 3,5 16:30",
                &[
                    ("geht's", 0, 6, 0),
                    ("z.B", 8, 11, 1),
                    ("3,5", 13, 16, 2),
                    ("16", 17, 19, 3),
                    ("30", 20, 22, 4),
                ],
            ),
            ("Flücht\u{AD}linge", &[("Flücht\u{AD}linge", 0, 14, 0)]),
            ("u\u{308}ber", &[("u\u{308}ber", 0, 6, 0)]),
            (
                "日本語 Text",
                &[
                    ("日", 0, 3, 0),
                    ("本", 3, 6, 1),
                    ("語", 6, 9, 2),
                    ("Text", 10, 14, 3),
                ],
            ),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn keeps_gender_forms_together() {
        let cases: &[(&str, Expected)] = &[
            ("Migrant:innen", &[("Migrant:innen", 0, 13, 0)]),
            ("Migrant*innen", &[("Migrant*innen", 0, 13, 0)]),
            ("Migrant_innen", &[("Migrant_innen", 0, 13, 0)]),
            ("Lehrer/-innen", &[("Lehrer/-innen", 0, 13, 0)]),
            ("Bürger*in.", &[("Bürger*in", 0, 10, 0)]),
            ("Akteur*innenbeirat", &[("Akteur*innenbeirat", 0, 18, 0)]),
            ("Foo_index", &[("Foo", 0, 3, 0), ("index", 4, 9, 1)]),
            ("und/oder", &[("und", 0, 3, 0), ("oder", 4, 8, 1)]),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn marks_truncated_words() {
        check(
            "Sprach- und Integrationskursen",
            &[
                ("Sprach-", 0, 6, 0),
                ("und", 8, 11, 1),
                ("Integrationskursen", 12, 30, 2),
            ],
        );
        check(
            "Bundes-, Landes-",
            &[("Bundes-", 0, 6, 0), ("Landes-", 9, 15, 1)],
        );
    }

    fn same_as_general_rules(text: &str) {
        use crate::analysis::testing::all_tokens;
        let mut general = WordTokenizer {
            general_only: true,
            ..WordTokenizer::default()
        };
        let general = all_tokens(&mut general.token_stream(text));
        let shortcut = all_tokens(&mut WordTokenizer::default().token_stream(text));
        assert_eq!(shortcut, general, "{text:?}");
    }

    #[test]
    fn plain_words_cut_as_by_the_general_rules() {
        let cases = [
            "Die Kommunen. Der e.V. hat 16.430 Mitglieder, 3,5 % mehr: gut.",
            "geht's Migrant:innen Hinweis:Das Foo_index und/oder Lehrer/-innen Bürger*in. x*",
            "Sprach- und Integrationskursen; Bundes-, Landes- und Kommunalebene",
            "EU-Asylreform, Friedrich-Ebert-Stiftung ‐ Sprach‑ „Flüchtlinge“ – Straße",
            "a:b a: b a:1 1,2 1, 2 a.b a. b a'b a' b a/ b a/-b a* b a*b a_b a- a-b a -",
            "東京 und Integration 東京Kita Kita東京 שלום123 abc·def ab’cd",
            "Ende.",
            "Ende:",
            "Ende,",
            "Ende*",
            "Ende/",
            "Ende-",
            "",
            " ",
            "x",
        ];
        for text in cases {
            same_as_general_rules(text);
        }
    }

    proptest::proptest! {
        /// The shortcut for plain words gives the tokens of the general rules, on text made of
        /// the characters where the two could differ.
        #[test]
        fn the_plain_shortcut_changes_no_token(
            text in "[a-zA-Z0-9 .,:;'’*/_·\\-‐‑äÖß„“–東\u{0308}\u{00AD}]{0,40}"
        ) {
            same_as_general_rules(&text);
        }
    }
}
