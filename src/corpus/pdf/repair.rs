//! The text of a PDF page repaired as a German reader expects it: ligatures become letters,
//! soft hyphens, control and private-use characters go, and a word broken at a line end is
//! joined, while a hyphen that belongs to the text stays.

/// The words after which a hyphen at a line end is an elliptic compound's and stays:
/// `Sprach-⏎und Integrationskurse`, `Ein-⏎oder Ausreise`.
const CONJUNCTIONS: &[&str] = &["und", "oder", "bzw", "sowie"];

/// The code Word gives Calibri's "ti" ligature (see [`clean`]).
const CALIBRI_TI: char = '\u{10019F}';

/// The soft hyphen: where a producer may break a word; shown only at a line end.
const SOFT_HYPHEN: char = '\u{AD}';

/// The page text `raw` repaired: characters first ([`clean`]), then broken words joined and
/// lines tidied (spaces at their ends dropped and runs of spaces inside them, which justified
/// text leaves, made one; no more than one blank line in a row, none at the start or end).
pub(super) fn repair(raw: &str) -> String {
    let cleaned = clean(raw);
    let mut out = String::with_capacity(cleaned.len());
    let mut blank = false;
    for line in cleaned.lines() {
        let line = squeeze(line);
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !blank && (out.ends_with(SOFT_HYPHEN) || breaks_word(&out, &line)) {
            out.pop();
            out.push_str(&line);
        } else {
            if out.ends_with(SOFT_HYPHEN) {
                out.pop();
            }
            if !out.is_empty() {
                out.push_str(if blank { "\n\n" } else { "\n" });
            }
            out.push_str(&line);
        }
        blank = false;
    }
    if out.ends_with(SOFT_HYPHEN) {
        out.pop();
    }
    out
}

/// A line trimmed, each run of spaces in it made one.
fn squeeze(line: &str) -> String {
    line.split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the hyphen that ends `before` breaks a word that `next` (a line, its leading
/// spaces trimmed) completes: a letter before the hyphen, a lower-case letter after the break
/// (a capital means a real hyphen, `EU-⏎Bürger`), and not a conjunction (`Sprach-⏎und`).
fn breaks_word(before: &str, next: &str) -> bool {
    let Some(stem) = before.strip_suffix(['-', '\u{2010}']) else {
        return false;
    };
    if !stem.chars().next_back().is_some_and(char::is_alphabetic) {
        return false;
    }
    if !next.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let word = next
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    !CONJUNCTIONS.contains(&word)
}

/// The characters of `raw` made plain: ligatures and other presentation forms spelled out,
/// line and paragraph separators, form feeds and lone carriage returns made line ends, tabs
/// and no-break spaces made spaces, and control, zero-width and private-use characters dropped
/// (the private-use ones are a symbol font's bullets and arrows, or glyphs that a producer did
/// not map to letters: no word is made of them). A soft hyphen is kept only at a line end,
/// where [`repair`] joins the word it broke.
pub(super) fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            // Word writes Calibri's "ti" ligature glyph with this plane-16 private-use code
            // ("Interna\u{10019F}onal"; Doug Ewell on the Unicode mailing list, 2016-03-17:
            // https://corp.unicode.org/pipermail/unicode/2016-March/003478.html).
            CALIBRI_TI => out.push_str("ti"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\u{0C}' | '\u{0B}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' | '\u{A0}' | '\u{202F}' => out.push(' '),
            SOFT_HYPHEN => {
                let mut ahead = chars.clone();
                while ahead.peek().is_some_and(|&c| c == ' ' || c == '\t') {
                    ahead.next();
                }
                if matches!(ahead.peek(), Some('\n' | '\r') | None) {
                    out.push(SOFT_HYPHEN);
                }
            }
            '\n' => out.push('\n'),
            c if c.is_control() || is_invisible(c) || is_private_use(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Zero-width characters and the byte order mark: they split or join nothing a reader sees.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_german_text_as_readers_expect() {
        let cases: &[(&str, &str)] = &[
            // Ligatures become letters.
            (
                "\u{FB01}nden, \u{FB02}ach, o\u{FB00}en",
                "finden, flach, offen",
            ),
            (
                "A\u{FB03}rmation, Tre\u{FB04}ichkeit, Ra\u{FB06}",
                "Affirmation, Trefflichkeit, Rast",
            ),
            // Word's code for Calibri's "ti" ligature.
            (
                "Integra\u{10019F}on, Informa\u{10019F}onen",
                "Integration, Informationen",
            ),
            // A word broken at a line end is joined.
            ("Integra-\ntion", "Integration"),
            (
                "die Sprachförde-\nrung ist groß",
                "die Sprachförderung ist groß",
            ),
            ("Sprach-   \n   förderung", "Sprachförderung"),
            ("Sprach\u{2010}\nförderung", "Sprachförderung"),
            // A soft hyphen at a line end joins whatever follows; elsewhere it goes.
            ("Beschäftigungs\u{AD}\nquote", "Beschäftigungsquote"),
            ("EU\u{AD}\nBürger", "EUBürger"),
            ("Beschäf\u{AD}tigung", "Beschäftigung"),
            ("Ende\u{AD}", "Ende"),
            // A hyphen before a capital or a conjunction is the text's own.
            ("EU-\nBürger", "EU-\nBürger"),
            (
                "Sprach-\nund Integrationskurse",
                "Sprach-\nund Integrationskurse",
            ),
            ("Ein-\noder Ausreise", "Ein-\noder Ausreise"),
            ("Haupt-\nbzw. Nebensatz", "Haupt-\nbzw. Nebensatz"),
            ("Bundes-\nsowie Landesmittel", "Bundes-\nsowie Landesmittel"),
            // A dash, a number range and a paragraph end are not broken words.
            ("Text -\nweiter", "Text -\nweiter"),
            ("2013-\n2016", "2013-\n2016"),
            ("Absatz-\n\nneuer Absatz", "Absatz-\n\nneuer Absatz"),
            // Control, zero-width and private-use characters go; line ends stay.
            ("a\u{0}b\u{7}c\u{200B}d\u{FEFF}e\u{F0B7}f", "abcdef"),
            ("eins\r\nzwei\rdrei\u{C}vier", "eins\nzwei\ndrei\nvier"),
            ("Tab\there\u{A0}und", "Tab here und"),
            // Lines are tidied.
            ("\n\n  erste  \n\n\n\nzweite\n\n", "erste\n\nzweite"),
            ("Die  Maßnahmen    werden", "Die Maßnahmen werden"),
        ];
        for (raw, expected) in cases {
            assert_eq!(repair(raw), *expected, "{raw:?}");
        }
    }

    #[test]
    fn umlauts_and_sharp_s_pass_unchanged() {
        let text = "Äußerst wichtig: Übergänge, Flüchtlingsfamilien, Maßnahmen";
        assert_eq!(repair(text), text);
    }
}
