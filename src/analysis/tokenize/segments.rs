//! The pieces that the tokenizer joins into words: UAX #29 word segments, split at underscores
//! and colons that do not introduce a gender suffix. The segmentation is done by hand for Latin,
//! Greek and Cyrillic text, with the character classes it needs.

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

use super::starts_with_gender_suffix;

/// Combining marks, which belong to the letter before them ("u\u{0308}"), joiners, and the soft
/// hyphen, which PDF extraction leaves inside words.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Letters of scripts whose word boundaries need the full UAX #29 rules (CJK, Thai, Hebrew,
/// Arabic, …): everything beyond Latin, Greek and Cyrillic.
fn is_complex(c: char) -> bool {
    c > '\u{052F}' && !('\u{1E00}'..='\u{1EFF}').contains(&c) && !is_mark(c)
}

#[inline]
fn is_word_char(c: char) -> bool {
    if is_latin_letter(c) {
        return true;
    }
    if is_general_punctuation(c) {
        // Only the joiners of this block ("\u{200C}", "\u{200D}") belong to words.
        return is_mark(c);
    }
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// The General Punctuation block (U+2000 to U+206F: dashes, typographic quotes, the ellipsis,
/// spaces), which holds no letter or digit. German text is full of "–", "„" and "“", and
/// knowing them for what they are here spares a search in the Unicode tables.
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// The letters of Latin-1 and Latin Extended-A and -B ("ä", "ß", "ł", "ș"): all of U+00C0 to
/// U+024F but "×" and "÷". A shortcut past the Unicode tables for the umlauts of German text.
fn is_latin_letter(c: char) -> bool {
    ('\u{C0}'..='\u{24F}').contains(&c) && c != '×' && c != '÷'
}

/// Whether `text` holds a letter or a digit; most words start with an ASCII one.
fn has_alphanumeric(text: &str) -> bool {
    text.as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
        || text
            .chars()
            .any(|c| is_latin_letter(c) || c.is_alphanumeric())
}

/// Whether `joiner` between `before` and `after` keeps them in one word, as UAX #29 does:
/// "e.V", "geht's", "Migrant:innen" between letters; "16.430", "3,5" between digits.
fn joins_within_word(before: char, joiner: char, after: char) -> bool {
    match joiner {
        '.' | '\'' | '’' => {
            before.is_alphabetic() && after.is_alphabetic()
                || before.is_numeric() && after.is_numeric()
        }
        ':' | '·' => before.is_alphabetic() && after.is_alphabetic(),
        ',' => before.is_numeric() && after.is_numeric(),
        _ => false,
    }
}

/// Word segments in text order: UAX #29 word segmentation for Latin, Greek and Cyrillic text,
/// done by hand because the general rules cost more than all the other steps together; runs
/// with letters of other scripts are handed to the full UAX #29 implementation.
pub(super) struct Segments<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
    /// UAX #29 segments of a run with complex letters, and the run's start.
    pub(super) complex: Option<(UWordBoundIndices<'a>, usize)>,
}

/// A word segment: its byte range, and whether it may hold an underscore or a colon, where
/// [`Pieces`] may cut it.
type Segment = (usize, usize, bool);

impl Iterator for Segments<'_> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        if let Some((segments, base)) = &mut self.complex {
            match segments.next() {
                Some((start, segment)) => {
                    return Some((*base + start, *base + start + segment.len(), true));
                }
                None => self.complex = None,
            }
        }
        let text = self.text;
        let bytes = text.as_bytes();
        // Skip to the next word character.
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() || b == b'_' {
                    break;
                }
                self.pos += 1;
            } else {
                let c = text[self.pos..]
                    .chars()
                    .next()
                    .expect("pos is on a char boundary");
                if is_word_char(c) {
                    break;
                }
                self.pos += c.len_utf8();
            }
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let (mut complex, mut joined) = (false, false);
        let mut last = ' ';
        while self.pos < bytes.len() {
            // A run of ASCII letters and digits, most of a German word, byte by byte without
            // decoding chars; the loop below takes everything else one char at a time.
            let run = bytes[self.pos..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - self.pos);
            if run > 0 {
                self.pos += run;
                last = char::from(bytes[self.pos - 1]);
                if self.pos == bytes.len() {
                    break;
                }
            }
            let b = bytes[self.pos];
            let c = if b < 0x80 {
                b as char
            } else {
                text[self.pos..]
                    .chars()
                    .next()
                    .expect("pos is on a char boundary")
            };
            if b < 0x80 && (b.is_ascii_alphanumeric() || b == b'_') || is_word_char(c) {
                complex |= b >= 0x80 && is_complex(c);
                joined |= b == b'_';
                last = c;
                self.pos += c.len_utf8();
                continue;
            }
            let after = text[self.pos + c.len_utf8()..].chars().next();
            if after.is_some_and(|after| joins_within_word(last, c, after)) {
                joined |= b == b':';
                self.pos += c.len_utf8();
                continue;
            }
            break;
        }
        if complex {
            self.complex = Some((text[start..self.pos].split_word_bound_indices(), start));
            return self.next();
        }
        Some((start, self.pos, joined))
    }
}

/// Word pieces in text order: the UAX #29 word segments, split at underscores and colons that do
/// not introduce a gender suffix.
pub(super) struct Pieces<'a> {
    pub(super) text: &'a str,
    pub(super) segments: Segments<'a>,
    /// The part of the current segment not yet returned.
    pub(super) rest: std::ops::Range<usize>,
}

impl Iterator for Pieces<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if self.rest.is_empty() {
                let (start, end, joined) = self.segments.next()?;
                if !has_alphanumeric(&self.text[start..end]) {
                    continue;
                }
                if !joined {
                    // Nothing to cut: the segment is one piece, and it has a letter or digit.
                    return Some((start, end));
                }
                self.rest = start..end;
            }
            let (start, end) = (self.rest.start, self.rest.end);
            let piece = &self.text[start..end];
            let cut = piece
                .bytes()
                .enumerate()
                .position(|(i, b)| {
                    (b == b'_' || b == b':') && !starts_with_gender_suffix(&piece[i + 1..])
                })
                .map(|i| start + i);
            let piece_end = cut.unwrap_or(end);
            self.rest = cut.map_or(end..end, |cut| cut + 1..end);
            // A piece made only of joiners ("_" before a cut) carries no word.
            if has_alphanumeric(&self.text[start..piece_end]) {
                return Some((start, piece_end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_are_the_alphabetic_chars_of_their_blocks() {
        for c in '\u{C0}'..='\u{24F}' {
            assert_eq!(is_latin_letter(c), c.is_alphabetic(), "{c:?}");
        }
        assert!(!is_latin_letter('a') && !is_latin_letter('\u{250}'));
    }

    #[test]
    fn general_punctuation_holds_no_word_char_but_the_joiners() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(is_general_punctuation(c));
            let joiner = c == '\u{200C}' || c == '\u{200D}';
            assert!(!c.is_alphanumeric() && c != '_', "{c:?}");
            assert_eq!(is_word_char(c), joiner, "{c:?}");
        }
        assert!(!is_general_punctuation('\u{1FFF}') && !is_general_punctuation('\u{2070}'));
    }
}
