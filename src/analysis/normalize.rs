//! Lowercases and folds umlauts and ß, so that "Flüchtlinge", "Fluechtlinge" and "Fluchtlinge"
//! meet, and "Straße" and "Strasse".
//!
//! ä, ö, ü fold to a, o, u and ß to ss. The transliterations "ae", "oe", "ue" fold the same way,
//! following the prelude of Snowball's "german2" stemmer
//! (<https://snowballstem.org/algorithms/german2/stemmer.html>): "ae" and "oe" always, "ue" only
//! when the "u" does not follow a vowel or a "q". Folding every "ue" would turn "Steuer",
//! "neue" and "Frauen" into "steur", "neu", "fraun"; the stemmer then no longer meets "Steuern"
//! ("steurn"), and "neuen" would become "neun". After a vowel the "u" is part of a diphthong
//! (au, eu) and the "e" starts a new syllable, so those words keep their "e". The remaining
//! conflations ("aktuell" → "aktull", "Israel" → "isral") are harmless because the same rule
//! runs at index and at query time.

use super::chain::{Scratch, Word};

/// The normalization step: lowercases every token of `word` and folds umlauts, their
/// transliterations and ß; see the [module documentation](self).
pub(crate) fn normalize(word: &mut Word, scratch: &mut Scratch) {
    for token in &mut word.tokens {
        // Most words are ASCII without a transliteration: lowercasing them in place suffices.
        if is_plain_ascii(token.text.as_bytes()) {
            token.text.make_ascii_lowercase();
        } else {
            normalize_into(&token.text, &mut scratch.buffer);
            std::mem::swap(&mut token.text, &mut scratch.buffer);
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

/// Writes the folded form of one lowercase character into `out`.
fn push_folded(c: char, out: &mut String) {
    match c {
        'ä' => out.push('a'),
        'ö' => out.push('o'),
        'ü' => out.push('u'),
        'ß' => out.push_str("ss"),
        // The soft hyphen and the zero-width joiners are invisible: "Flücht\u{AD}linge" is
        // "Flüchtlinge".
        '\u{AD}' | '\u{200C}' | '\u{200D}' => {}
        c => out.push(c),
    }
}

/// Whether a word is ASCII without a transliteration candidate ("ae", "oe", "ue"), so that
/// lowercasing is all its normalization; one pass over the bytes.
fn is_plain_ascii(word: &[u8]) -> bool {
    let mut last = 0u8;
    for &b in word {
        let lower = b | 0x20;
        if b >= 0x80 || lower == b'e' && matches!(last, b'a' | b'o' | b'u') {
            return false;
        }
        last = lower;
    }
    true
}

/// Writes the folded form of any character (lowercased first) into `out`, without the
/// transliteration rule, which depends on the neighbours.
fn push_char_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        for c in c.to_lowercase() {
            push_folded(c, out);
        }
    }
}

/// Writes the normalized form of `word` into `out`.
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    // The two previous characters, lowercased, before folding.
    let (mut before, mut last) = (' ', ' ');
    for c in word.chars() {
        let lower = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => {
                    // Characters lowercasing to several ("İ") take no part in the digraphs.
                    push_char_folded(c, out);
                    (before, last) = (last, c);
                    continue;
                }
            }
        };
        let transliterated = lower == 'e'
            && match last {
                'a' | 'o' => true,
                'u' => !is_vowel(before) && before != 'q',
                _ => false,
            };
        if !transliterated {
            push_folded(lower, out);
        }
        (before, last) = (last, lower);
    }
}

/// Where each byte of a normalized word comes from in the original word: the byte range of the
/// original character that produced it.
///
/// The alignment is greedy: each original character is matched against the normalized text by
/// its folded form and skipped when it does not match, as for the "e" of a transliteration or a
/// removed gender suffix. Every range lies on character boundaries of `original`, whatever
/// earlier steps did to the text, so offsets built from it are always valid.
pub(crate) fn align(original: &str, normalized: &str, map: &mut Vec<(usize, usize)>) {
    map.clear();
    let norm = normalized.as_bytes();
    let mut folded = String::new();
    for (i, c) in original.char_indices() {
        if map.len() == norm.len() {
            break;
        }
        if c.is_ascii() {
            // Folded to one byte, its lowercase: most characters of German words.
            if norm[map.len()] == c.to_ascii_lowercase() as u8 {
                map.push((i, i + 1));
            }
            continue;
        }
        folded.clear();
        push_char_folded(c, &mut folded);
        if norm[map.len()..].starts_with(folded.as_bytes()) {
            let range = (i, i + c.len_utf8());
            map.extend(std::iter::repeat_n(range, folded.len()));
        }
    }
    // Bytes no original character produced (a hyphen kept as a mark) point at the last matched
    // character, or at the whole word.
    let fallback = map.last().copied().unwrap_or((0, original.len()));
    map.resize(norm.len(), fallback);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(word: &str) -> String {
        let mut out = String::new();
        normalize_into(word, &mut out);
        out
    }

    #[test]
    fn folds_three_spellings_of_fluechtlinge() {
        for word in ["Flüchtlinge", "Fluechtlinge", "Fluchtlinge", "FLÜCHTLINGE"] {
            assert_eq!(normalize(word), "fluchtlinge", "{word}");
        }
    }

    #[test]
    fn folds_umlauts_and_sharp_s() {
        let cases = [
            ("Straße", "strasse"),
            ("Strasse", "strasse"),
            ("Städte", "stadte"),
            ("Staedte", "stadte"),
            ("Jugendämter", "jugendamter"),
            ("Förderung", "forderung"),
            ("Foerderung", "forderung"),
            ("Übung", "ubung"),
            ("Uebung", "ubung"),
            ("Geflüchtete", "gefluchtete"),
            ("Gefluechtete", "gefluchtete"),
            ("GROẞE", "grosse"),
            ("Flücht\u{AD}linge", "fluchtlinge"),
        ];
        for (word, expected) in cases {
            assert_eq!(normalize(word), expected, "{word}");
        }
    }

    #[test]
    fn keeps_ue_after_vowel_or_q() {
        let cases = [
            ("Steuer", "steuer"),
            ("Steuern", "steuern"),
            ("neue", "neue"),
            ("Frauen", "frauen"),
            ("Bauer", "bauer"),
            ("Quelle", "quelle"),
            ("aktuell", "aktull"),
        ];
        for (word, expected) in cases {
            assert_eq!(normalize(word), expected, "{word}");
        }
    }

    #[test]
    fn aligns_normalized_bytes_with_original_characters() {
        let mut map = Vec::new();
        align("Flüchtling", "fluchtling", &mut map);
        assert_eq!(map[2], (2, 4));
        assert_eq!(map[3], (4, 5));
        assert_eq!(map[9], (10, 11));
        align("Fluechtling", "fluchtling", &mut map);
        assert_eq!(map[3], (4, 5));
        align("Straße", "strasse", &mut map);
        assert_eq!(map[4], (4, 6));
        assert_eq!(map[5], (4, 6));
        assert_eq!(map[6], (6, 7));
        align("Sprach", "sprach-", &mut map);
        assert_eq!(map[6], (5, 6));
    }
}
