//! Turning the bytes of a file into text, whatever its encoding.
//!
//! The literature of the field is older than UTF-8's victory: reports saved by Word as
//! "Text (Windows)", pages of the 2000s in ISO-8859-1, exports in UTF-16 with a byte order
//! mark. The encoding is decided in this order:
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) — it cannot be mistaken;
//! 2. what the file declares (an HTML `<meta charset>`), unless it declares UTF-8 and is not;
//! 3. UTF-16 without a byte order mark, recognised by the zero bytes every other byte of
//!    Latin text has in it;
//! 4. UTF-8, when the bytes are valid UTF-8 (pure ASCII is too);
//! 5. else the guess of chardetng, Firefox's detector for legacy web content. German text
//!    comes out as windows-1252, which decodes ISO-8859-1 as well (the umlauts and ß have the
//!    same bytes in the Central European encodings, so a short text cannot go wrong); Polish
//!    or Turkish texts of the field get their own encodings. The detector is given no
//!    top-level domain: telling it `.de` would make it read those as windows-1252 too.
//!
//! Bytes that are no text at all (a binary file named `.txt`, a PDF renamed by mistake) decode
//! to many control characters or replacement characters in any encoding. Such a file is
//! refused with a reason, so that it is reported and not indexed as noise.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The share of suspicious characters (see [`is_suspicious`]) above which a decoded file is
/// taken for binary data: one in twenty. Real text, even converted badly, has almost none; any
/// decoding of random bytes has about one in eight (the control bytes alone are 28 of 256).
const MAX_SUSPICIOUS_SHARE: f64 = 0.05;

/// How many bytes the test for UTF-16 without a byte order mark looks at.
const UTF16_SAMPLE: usize = 4096;

/// Decodes the bytes of a text file; the error is the reason it is not text.
///
/// `declared` is the encoding the file names itself, if its format has a way to say it.
pub(super) fn decode(
    bytes: Vec<u8>,
    declared: Option<&'static Encoding>,
) -> Result<String, String> {
    let (encoding, bom_length) = match Encoding::for_bom(&bytes) {
        Some((encoding, length)) => (encoding, length),
        None => (undeclared_or(&bytes, declared), 0),
    };
    let text = if encoding == UTF_8 {
        let mut bytes = bytes;
        bytes.drain(..bom_length);
        match String::from_utf8(bytes) {
            Ok(text) => text,
            // A byte order mark promised UTF-8: the bad bytes become replacement characters and
            // count against the file below.
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        }
    } else {
        encoding
            .decode_without_bom_handling(&bytes[bom_length..])
            .0
            .into_owned()
    };
    check_is_text(&text, encoding)?;
    Ok(text)
}

/// The encoding of bytes without a byte order mark.
fn undeclared_or(bytes: &[u8], declared: Option<&'static Encoding>) -> &'static Encoding {
    let is_utf8 = || std::str::from_utf8(bytes).is_ok();
    match declared {
        // Pages that declare UTF-8 and were saved in windows-1252 are common enough that the
        // bytes are believed over the declaration.
        Some(encoding) if encoding == UTF_8 && !is_utf8() => {}
        Some(encoding) => return encoding,
        None => {}
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        encoding
    } else if is_utf8() {
        UTF_8
    } else {
        detect(bytes)
    }
}

/// UTF-16 without a byte order mark: in Latin text, every character's high byte is zero, so
/// nearly all bytes on one side of each pair are zero and nearly none on the other. Binary
/// files have zeros on both sides, UTF-8 and the legacy encodings none at all.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= pairs * 9;
    let hardly = |n: usize| n * 100 <= pairs;
    if mostly(odd) && hardly(even) {
        Some(UTF_16LE)
    } else if mostly(even) && hardly(odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// chardetng's guess for bytes that are not UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // The bytes are not valid UTF-8, so UTF-8 is no candidate.
    detector.guess(None, Utf8Detection::Deny)
}

/// A character that text does not contain: a control character other than the whitespace ones
/// and the form feed (which `pdftotext` puts between pages), a replacement character (bytes the
/// encoding could not decode), a private-use character or a noncharacter.
fn is_suspicious(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{c}' => false,
        '\u{fffd}' | '\u{e000}'..='\u{f8ff}' | '\u{fffe}' | '\u{ffff}' => true,
        c => c.is_control(),
    }
}

/// Refuses text that is mostly suspicious characters, naming the share and the encoding.
fn check_is_text(text: &str, encoding: &'static Encoding) -> Result<(), String> {
    let (mut total, mut suspicious) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        suspicious += usize::from(is_suspicious(c));
    }
    if total == 0 || (suspicious as f64) <= MAX_SUSPICIOUS_SHARE * total as f64 {
        return Ok(());
    }
    let percent = (suspicious * 100).div_ceil(total);
    Err(format!(
        "not text: binary data? ({percent}% of its characters are control characters or \
         undecodable as {})",
        encoding.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{WINDOWS_1250, WINDOWS_1252, WINDOWS_1254};

    const GERMAN: &str = "Flüchtlinge und Geflüchtete: Integration in Großstädten, „Willkommenskultur“ \
                          und Ängste – Maßnahmen für 5 €.";

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "{text} cannot be written in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        for unit in units {
            let bytes = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    #[test]
    fn decodes_every_encoding_german_texts_come_in() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("utf-8", GERMAN.as_bytes().to_vec()),
            (
                "utf-8 with bom",
                [b"\xef\xbb\xbf", GERMAN.as_bytes()].concat(),
            ),
            ("windows-1252", encode(GERMAN, WINDOWS_1252)),
            ("utf-16le with bom", utf16(GERMAN, true, true)),
            ("utf-16be with bom", utf16(GERMAN, false, true)),
            ("utf-16le without bom", utf16(GERMAN, true, false)),
            ("utf-16be without bom", utf16(GERMAN, false, false)),
        ];
        for (name, bytes) in cases {
            assert_eq!(decode(bytes, None).as_deref(), Ok(GERMAN), "{name}");
        }
    }

    #[test]
    fn decodes_latin1_umlauts_in_a_short_text() {
        // ISO-8859-1 is windows-1252 for these bytes; one umlaut is all the detector has.
        let text = decode(b"Fl\xfcchtlinge in der Stadt\n".to_vec(), None).unwrap();
        assert_eq!(text, "Flüchtlinge in der Stadt\n");
        let text = decode(b"Stra\xdfe und Gef\xe4ngnis".to_vec(), None).unwrap();
        assert_eq!(text, "Straße und Gefängnis");
    }

    #[test]
    fn detects_the_encodings_of_other_languages() {
        let cases = [
            (
                "Zażółć gęślą jaźń: uchodźcy w Polsce, integracja i język polski.",
                WINDOWS_1250,
            ),
            (
                "Türkçe öğrenmek: Göçmenler ve entegrasyon, şehirde yaşam.",
                WINDOWS_1254,
            ),
        ];
        for (text, encoding) in cases {
            let bytes = encode(text, encoding);
            assert_eq!(detect(&bytes), encoding, "{text}");
            assert_eq!(decode(bytes, None).as_deref(), Ok(text));
        }
    }

    #[test]
    fn a_declared_encoding_is_used() {
        let bytes = encode("Flüchtlinge", WINDOWS_1252);
        assert_eq!(
            decode(bytes, Some(WINDOWS_1252)).as_deref(),
            Ok("Flüchtlinge")
        );
    }

    #[test]
    fn a_false_declaration_of_utf8_is_overruled_by_the_bytes() {
        let bytes = encode(GERMAN, WINDOWS_1252);
        assert_eq!(decode(bytes, Some(UTF_8)).as_deref(), Ok(GERMAN));
    }

    #[test]
    fn a_byte_order_mark_beats_a_declaration() {
        let bytes = utf16("Geflüchtete", true, true);
        assert_eq!(
            decode(bytes, Some(WINDOWS_1252)).as_deref(),
            Ok("Geflüchtete")
        );
    }

    #[test]
    fn refuses_binary_data() {
        let mut random = Vec::new();
        let mut x: u32 = 2_463_534_242;
        for _ in 0..4096 {
            // xorshift: bytes without a pattern, as in compressed data.
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            random.push(x as u8);
        }
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("random bytes", random.clone()),
            (
                "random bytes after a utf-16 bom",
                [&[0xff, 0xfe], &random[..]].concat(),
            ),
            (
                "random bytes after a utf-8 bom",
                [b"\xef\xbb\xbf", &random[..]].concat(),
            ),
            ("zeros", vec![0; 100]),
            (
                "an executable's header",
                b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0".to_vec(),
            ),
            (
                "a png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\\r\xa8f".to_vec(),
            ),
        ];
        for (name, bytes) in cases {
            let reason = decode(bytes, None).unwrap_err();
            assert!(
                reason.starts_with("not text: binary data? ("),
                "{name}: {reason}"
            );
        }
    }

    #[test]
    fn tolerates_a_few_control_characters() {
        // A DOS end-of-file mark and a form feed between pages are text.
        let text = format!("{GERMAN}\u{c}{GERMAN}\u{1a}");
        assert_eq!(decode(text.clone().into_bytes(), None), Ok(text));
    }

    #[test]
    fn names_the_share_and_the_encoding() {
        let reason = decode(vec![b'a', 0, b'b', 0x1b], None).unwrap_err();
        assert_eq!(
            reason,
            "not text: binary data? (50% of its characters are control characters or \
             undecodable as UTF-8)"
        );
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use encoding_rs::WINDOWS_1252;

    proptest! {
        #[test]
        fn no_bytes_make_decoding_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for declared in [None, Some(UTF_8), Some(WINDOWS_1252), Some(UTF_16LE)] {
                let _ = decode(bytes.clone(), declared);
            }
        }

        #[test]
        fn utf8_text_comes_back_unchanged(text in "\\PC{0,80}") {
            prop_assume!(!text.contains('\u{fffd}'));
            prop_assert_eq!(decode(text.clone().into_bytes(), None), Ok(text));
        }
    }
}
