//! The Snowball German stemmer for words of lowercase ASCII, the form normalization gives nearly
//! every German word ("flüchtlinge" arrives as "fluchtlinge").
//!
//! It is the algorithm of `rust-stemmers` (Snowball's original German, `german.sbl`), written
//! for bytes: the generated code runs a general machine (cursors, limits, tables of suffixes
//! searched for each step) that costs more than the rules themselves, and on a first pass over
//! new text every distinct word is stemmed once. Any other word goes to `rust-stemmers`; the
//! tests hold the two to the same output.
//!
//! The rules, from <https://snowballstem.org/algorithms/german/stemmer.html>:
//!
//! 1. Prelude: "u" and "y" between vowels become consonants ("U", "Y").
//! 2. Regions: R1 starts after the first non-vowel that follows a vowel, but not before the
//!    fourth letter; R2 is the same rule applied again after R1.
//! 3. Step 1, in R1: delete "em", "ern", "er"; delete "e", "en", "es" (and the "s" of "niss"
//!    left behind); delete "s" after a valid s-ending.
//! 4. Step 2, in R1: delete "en", "er", "est"; delete "st" after a valid st-ending that itself
//!    has three letters before it.
//! 5. Step 3, in R2: "end", "ung" (then "ig" not after "e", in R2); "ig", "ik", "isch" not after
//!    "e"; "lich", "heit" (then "er" or "en" in R1); "keit" (then "lich" or "ig" in R2).
//! 6. Postlude: "U" and "Y" become "u" and "y" again.

/// The longest word stemmed here; longer ones (never seen: tokens have fewer than 100 bytes) go
/// to `rust-stemmers`.
const MAX_BYTES: usize = 128;

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The letters before which a final "s" is removed.
fn is_s_ending(b: u8) -> bool {
    matches!(
        b,
        b'b' | b'd' | b'f' | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'r' | b't'
    )
}

/// The letters before which a final "st" is removed.
fn is_st_ending(b: u8) -> bool {
    is_s_ending(b) && b != b'r'
}

/// Writes the stem of `word` to `out` if `word` is lowercase ASCII of at most [`MAX_BYTES`];
/// returns false otherwise, leaving `out` as it was.
pub(crate) fn stem_ascii(word: &str, out: &mut String) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() > MAX_BYTES
        || bytes
            .iter()
            .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
    {
        return false;
    }
    let mut s = [0u8; MAX_BYTES];
    let s = &mut s[..bytes.len()];
    s.copy_from_slice(bytes);

    // Prelude: "u" or "y" between vowels becomes "U" or "Y", from left to right, each test
    // seeing the letters already changed.
    for i in 1..s.len().saturating_sub(1) {
        if matches!(s[i], b'u' | b'y') && is_vowel(s[i - 1]) && is_vowel(s[i + 1]) {
            s[i] = s[i].to_ascii_uppercase();
        }
    }

    let (p1, p2) = regions(s);
    let len = step_3(s, step_2(s, step_1(s, s.len(), p1), p1), p1, p2);

    // Postlude.
    out.clear();
    out.extend(s[..len].iter().map(|b| char::from(b.to_ascii_lowercase())));
    true
}

/// The starts of R1 and R2 (the word's length where a region is empty).
fn regions(s: &[u8]) -> (usize, usize) {
    let len = s.len();
    let (mut p1, mut p2) = (len, len);
    if len < 3 {
        return (p1, p2);
    }
    // Past the first vowel, then past the first non-vowel after it, from `from`.
    let past_vowel_then_consonant = |from: usize| -> Option<usize> {
        let vowel = from + s[from..].iter().position(|&b| is_vowel(b))?;
        let consonant = vowel + 1 + s[vowel + 1..].iter().position(|&b| !is_vowel(b))?;
        Some(consonant + 1)
    };
    let Some(r1) = past_vowel_then_consonant(0) else {
        return (p1, p2);
    };
    p1 = r1.max(3);
    if let Some(r2) = past_vowel_then_consonant(r1) {
        p2 = r2;
    }
    (p1, p2)
}

/// The suffixes of step 1, longest first, each with its rule: delete (1); delete, and the "s"
/// of "niss" (2); delete after a valid s-ending (3).
const STEP_1: [(&[u8], u8); 7] = [
    (b"ern", 1),
    (b"em", 1),
    (b"er", 1),
    (b"en", 2),
    (b"es", 2),
    (b"e", 2),
    (b"s", 3),
];

/// The suffixes of step 2, longest first: delete (1); delete after a valid st-ending (2).
const STEP_2: [(&[u8], u8); 4] = [(b"est", 1), (b"en", 1), (b"er", 1), (b"st", 2)];

/// The suffixes of step 3, longest first, with the rules of [`step_3`].
const STEP_3: [(&[u8], u8); 8] = [
    (b"lich", 3),
    (b"heit", 3),
    (b"keit", 4),
    (b"isch", 2),
    (b"end", 1),
    (b"ung", 1),
    (b"ig", 2),
    (b"ik", 2),
];

/// Where the longest suffix of `suffixes` (longest first) that ends `word` starts, and its
/// rule, if that start lies in the region starting at `region`. As in Snowball, a suffix
/// outside the region does not let a shorter one apply.
fn suffix_in_region(word: &[u8], suffixes: &[(&[u8], u8)], region: usize) -> Option<(usize, u8)> {
    let &(suffix, rule) = suffixes.iter().find(|(suffix, _)| word.ends_with(suffix))?;
    let start = word.len() - suffix.len();
    (start >= region).then_some((start, rule))
}

/// Step 1 on `s[..len]`; returns the new length.
fn step_1(s: &[u8], len: usize, p1: usize) -> usize {
    match suffix_in_region(&s[..len], &STEP_1, p1) {
        None => len,
        Some((start, 1)) => start,
        Some((start, 2)) if s[..start].ends_with(b"niss") => start - 1,
        Some((start, 2)) => start,
        Some((start, _)) if start >= 1 && is_s_ending(s[start - 1]) => start,
        Some(_) => len,
    }
}

/// Step 2 on `s[..len]`; returns the new length.
fn step_2(s: &[u8], len: usize, p1: usize) -> usize {
    match suffix_in_region(&s[..len], &STEP_2, p1) {
        None => len,
        Some((start, 1)) => start,
        Some((start, _)) if start >= 4 && is_st_ending(s[start - 1]) => start,
        Some(_) => len,
    }
}

/// Step 3 on `s[..len]`, in R2: "end", "ung" (1), then "ig" not after "e" in R2; "ig", "ik",
/// "isch" not after "e" (2); "lich", "heit" (3), then "er" or "en" in R1; "keit" (4), then
/// "lich" or "ig" in R2. Returns the new length.
fn step_3(s: &[u8], len: usize, p1: usize, p2: usize) -> usize {
    let Some((start, rule)) = suffix_in_region(&s[..len], &STEP_3, p2) else {
        return len;
    };
    let after_e = |at: usize| at >= 1 && s[at - 1] == b'e';
    match rule {
        1 => {
            let rest = &s[..start];
            if rest.ends_with(b"ig") && !after_e(start - 2) && start - 2 >= p2 {
                start - 2
            } else {
                start
            }
        }
        2 if after_e(start) => len,
        2 => start,
        3 => {
            suffix_in_region(&s[..start], &[(b"er", 0), (b"en", 0)], p1).map_or(start, |(at, _)| at)
        }
        _ => suffix_in_region(&s[..start], &[(b"lich", 0), (b"ig", 0)], p2)
            .map_or(start, |(at, _)| at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_stemmers::{Algorithm, Stemmer};

    fn check(stemmer: &Stemmer, word: &str) {
        let mut out = String::new();
        assert!(stem_ascii(word, &mut out), "{word:?} is lowercase ASCII");
        assert_eq!(out, stemmer.stem(word), "{word:?}");
    }

    #[test]
    fn stems_as_rust_stemmers_on_german_words() {
        let stemmer = Stemmer::create(Algorithm::German);
        let words = [
            "kommunen",
            "kommune",
            "stadte",
            "jugendamter",
            "migranten",
            "fluchtlinge",
            "fluchtlingsintegration",
            "integrationskursen",
            "ergebnisse",
            "ergebnissen",
            "bedeutung",
            "bedeutungen",
            "ewigkeit",
            "freundlichkeit",
            "moglichkeiten",
            "lustigkeit",
            "feindlich",
            "herrlichkeit",
            "erwartung",
            "bauer",
            "bayern",
            "treue",
            "mauer",
            "frauen",
            "aufeinanderfolgenden",
            "kraftigsten",
            "beste",
            "bestes",
            "gelingt",
            "selbstandig",
            "kindisch",
            "kritik",
            "ehrlich",
            "ubersichtlich",
            "gemeinsamen",
            "kinderbetreuung",
            "kitas",
            "haus",
            "hauses",
            "die",
            "a",
            "ab",
            "abc",
            "",
            "xyz",
            "aaa",
            "uuu",
            "yyyy",
            "ayuyu",
            "16.430",
            "e.v",
            "eu-asylreform",
            "sprach-",
        ];
        for word in words {
            check(&stemmer, word);
        }
    }

    #[test]
    fn leaves_other_words_to_rust_stemmers() {
        let mut out = String::from("kept");
        for word in ["Haus", "straße", "flüchtlinge", "ЕС"] {
            assert!(!stem_ascii(word, &mut out), "{word}");
            assert_eq!(out, "kept");
        }
        assert!(!stem_ascii(&"a".repeat(MAX_BYTES + 1), &mut out));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Words put together from German stems and endings, and any lowercase ASCII.
        #[test]
        fn stems_as_rust_stemmers(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "e", "i", "o", "u", "y", "b", "d", "f", "g", "h", "k", "l", "m",
                    "n", "r", "s", "t", "z", "sch", "ch", "st", "ss", "nis", "niss", "ig",
                    "ik", "isch", "lich", "heit", "keit", "end", "ung", "em", "ern", "er",
                    "en", "es", "est", "au", "eu", "ei", "ay", "uy", "-", ".", "1",
                ]),
                0..10,
            ),
            ending in prop::sample::select(vec![
                "", "eigung", "eigend", "igung", "igend", "igkeit", "lichkeit", "eigkeit",
                "erlich", "enlich", "erheit", "enheit", "eheit", "nisse", "nissen", "nisses",
                "eig", "eik", "eisch", "est", "nst", "rst", "tst", "ern", "em",
            ]),
            noise in "[ -~&&[^A-Z]]{0,12}",
        ) {
            let stemmer = Stemmer::create(Algorithm::German);
            let word = parts.concat() + ending;
            check(&stemmer, &word);
            check(&stemmer, &noise);
            check(&stemmer, &format!("{noise}{word}"));
        }
    }
}
