//! What every export format writes about a hit: its metadata read once, with the kind of
//! publication, the authors as people or bodies, and a citation key unique within the export.

use crate::search::Hit;

use super::names::{Name, parse_name};

/// The kind of publication, which each format names its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A report, study, expert opinion or working paper (BibTeX `@techreport`).
    Report,
    /// An article in a journal, newspaper or on a site (`@article`).
    Article,
    /// A book or edited volume (`@book`).
    Book,
    /// Anything else: a web page, a press release (`@misc`).
    Other,
}

/// Parts of integra's free-text document types (as sidecars write them, mostly German) that
/// name each kind, looked for in this order: an article in a book is an article.
const KINDS: &[(Kind, &[&str])] = &[
    (
        Kind::Article,
        &[
            "artikel",
            "article",
            "aufsatz",
            "zeitschrift",
            "journal",
            "beitrag",
            "kommentar",
            "interview",
        ],
    ),
    (
        Kind::Book,
        &["buch", "book", "monographie", "monograph", "sammelband"],
    ),
    (
        Kind::Report,
        &[
            "bericht",
            "report",
            "studie",
            "study",
            "gutachten",
            "expertise",
            "arbeitspapier",
            "paper",
            "analyse",
            "evaluation",
            "dokumentation",
            "drucksache",
            "stellungnahme",
            "handreichung",
            "leitfaden",
            "kurzinformation",
            "policy brief",
            "dossier",
        ],
    ),
];

impl Kind {
    /// The kind a document type names; [`Kind::Other`] for none or one not known.
    pub(crate) fn of(doc_type: Option<&str>) -> Kind {
        let Some(doc_type) = doc_type else {
            return Kind::Other;
        };
        let doc_type = doc_type.to_lowercase();
        KINDS
            .iter()
            .find(|(_, words)| words.iter().any(|word| doc_type.contains(word)))
            .map_or(Kind::Other, |(kind, _)| *kind)
    }
}

/// One hit as the formats write it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The citation key, unique within the export.
    pub key: String,
    /// The kind of publication.
    pub kind: Kind,
    /// The hit, its text fields without control characters, for the fields written as they are.
    pub hit: Hit,
    /// The authors, each a person or a body.
    pub authors: Vec<Name>,
}

impl Entry {
    /// The page label of the best passage ("47", "iv"), where the document has pages.
    pub(crate) fn page(&self) -> Option<&str> {
        self.hit.snippet.page.as_deref()
    }

    /// The note that says where the best passage stands: "best passage on page 47".
    pub(crate) fn page_note(&self) -> Option<String> {
        self.page()
            .map(|page| format!("best passage on page {page}"))
    }

    /// A one-line version of a text field: line breaks and runs of whitespace become one space.
    pub(crate) fn one_line(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Reads the hits into entries, in order, with keys made unique: the first of a clash keeps
/// the key, the next ones get `a`, `b`, … (as Zotero and Better BibTeX do).
pub(crate) fn entries(hits: &[Hit]) -> Vec<Entry> {
    let mut taken = std::collections::HashSet::new();
    hits.iter()
        .map(|hit| {
            let hit = without_controls(hit);
            let authors: Vec<Name> = hit
                .authors
                .iter()
                .filter(|author| !author.trim().is_empty())
                .map(|author| parse_name(author, &hit.institutions))
                .collect();
            let base = base_key(&hit, &authors);
            let mut key = base.clone();
            let mut suffix = Suffix::default();
            while !taken.insert(key.clone()) {
                key = format!("{base}{}", suffix.next_suffix());
            }
            Entry {
                key,
                kind: Kind::of(hit.doc_type.as_deref()),
                hit,
                authors,
            }
        })
        .collect()
}

/// The hit with control characters taken out of the fields an export writes (line breaks and
/// tabs stay, for each format to treat): the metadata comes from documents, and an export
/// printed to a terminal must not carry a document's escape sequences, nor a file a
/// direction override that shows a name reversed.
fn without_controls(hit: &Hit) -> Hit {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|&c| {
                matches!(c, '\n' | '\t')
                    || !(c.is_control()
                        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            })
            .collect()
    };
    let list = |values: &[String]| values.iter().map(|value| clean(value)).collect();
    Hit {
        id: clean(&hit.id),
        title: hit.title.as_deref().map(clean),
        authors: list(&hit.authors),
        institutions: list(&hit.institutions),
        doc_type: hit.doc_type.as_deref().map(clean),
        path: clean(&hit.path),
        year: hit.year,
        score: hit.score,
        // Of the passages, an export writes only where the best one stands.
        snippet: crate::search::Snippet {
            page: hit.snippet.page.as_deref().map(clean),
            page_number: hit.snippet.page_number,
            ..crate::search::Snippet::default()
        },
        snippets: Vec::new(),
        explain: None,
    }
}

/// The suffixes of clashing keys: a … z, then aa, ab, ….
#[derive(Default)]
struct Suffix(usize);

impl Suffix {
    fn next_suffix(&mut self) -> String {
        let mut n = self.0;
        self.0 += 1;
        let mut out = Vec::new();
        loop {
            out.push(b'a' + (n % 26) as u8);
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        out.reverse();
        String::from_utf8(out).expect("only ASCII letters")
    }
}

/// Words a key never takes from a title.
const TITLE_STOPWORDS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen",
    "und", "oder", "in", "im", "am", "an", "auf", "aus", "bei", "für", "mit", "nach", "von", "vom",
    "vor", "zu", "zum", "zur", "über", "unter", "wie", "so", "was", "wer", "the", "a", "of", "and",
    "on", "for", "to",
];

/// The key before clashes: the first author's family name (or a body's first word, or the
/// first institution's), the year, and the title's first noun, all in lowercase ASCII:
/// `gesemann2017integration`.
fn base_key(hit: &Hit, authors: &[Name]) -> String {
    let who = match authors.first() {
        Some(name) => ascii_word(name.key_word()),
        None => hit
            .institutions
            .first()
            .map(|institution| ascii_word(Name::Corporate(institution.clone()).key_word()))
            .unwrap_or_default(),
    };
    let year = hit.year.map(|year| year.to_string()).unwrap_or_default();
    let what = hit.title.as_deref().map(title_word).unwrap_or_default();
    let key = format!("{who}{year}{what}");
    if key.is_empty() {
        // Nothing to go by: the document's id, which is unique in the index.
        let id = ascii_word(&hit.id);
        if id.is_empty() { "doc".into() } else { id }
    } else {
        key
    }
}

/// The title's first noun, as German capitalizes nouns (the first capitalized word that is
/// not a function word), else its first word that is not one; in lowercase ASCII.
fn title_word(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .filter(|word| !TITLE_STOPWORDS.contains(&word.to_lowercase().as_str()))
        .map(str::to_string)
        .collect();
    let noun = words
        .iter()
        .find(|word| word.chars().next().is_some_and(char::is_uppercase));
    noun.or(words.first())
        .map(|word| ascii_word(word))
        .unwrap_or_default()
}

/// A word in lowercase ASCII letters and digits, as keys must be for every BibTeX: umlauts and
/// ß spelt out ("ae", "ss"), other accents dropped, everything else left out.
pub(crate) fn ascii_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            'ş' | 'š' | 'ś' => out.push('s'),
            'ğ' => out.push('g'),
            'ý' | 'ÿ' => out.push('y'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_hit as hit;

    #[test]
    fn keys_name_author_year_and_first_noun() {
        let cases = [
            (
                hit(
                    Some("So gelingt Integration vor Ort!"),
                    &["Frank Gesemann", "Roland Roth"],
                    &["Friedrich-Ebert-Stiftung"],
                    Some(2017),
                ),
                "gesemann2017integration",
            ),
            (
                hit(
                    Some("Ankommen in Deutschland"),
                    &[],
                    &["Bertelsmann Stiftung"],
                    Some(2018),
                ),
                "bertelsmann2018ankommen",
            ),
            (
                hit(Some("Über Flüchtlinge"), &["Jürgen Weiß"], &[], None),
                "weissfluechtlinge",
            ),
            (hit(None, &[], &[], None), "doc1"),
            (
                hit(
                    Some("der die das"),
                    &["Ursula von der Leyen"],
                    &[],
                    Some(2020),
                ),
                "leyen2020",
            ),
        ];
        for (hit, key) in cases {
            assert_eq!(entries(std::slice::from_ref(&hit))[0].key, key);
        }
    }

    #[test]
    fn clashing_keys_get_letters() {
        let one = hit(Some("Integration"), &["Frank Gesemann"], &[], Some(2017));
        let hits = vec![one.clone(), one.clone(), one];
        let keys: Vec<String> = entries(&hits).into_iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            [
                "gesemann2017integration",
                "gesemann2017integrationa",
                "gesemann2017integrationb"
            ]
        );
    }

    #[test]
    fn takes_out_control_characters() {
        let hostile = hit(
            Some("Titel \x1b[2J\u{202E}gelöscht\nneu"),
            &["Anna \x1b[5mBlink"],
            &[],
            None,
        );
        let entry = &entries(&[hostile])[0];
        assert_eq!(entry.hit.title.as_deref(), Some("Titel [2Jgelöscht\nneu"));
        assert_eq!(entry.hit.authors, ["Anna [5mBlink"]);
    }

    #[test]
    fn suffixes_go_on_after_z() {
        let mut suffix = Suffix::default();
        let all: Vec<String> = (0..28).map(|_| suffix.next_suffix()).collect();
        assert_eq!(all[0], "a");
        assert_eq!(all[25], "z");
        assert_eq!(all[26], "aa");
        assert_eq!(all[27], "ab");
    }

    #[test]
    fn kinds_from_german_types() {
        let cases = [
            ("Gutachten", Kind::Report),
            ("Forschungsbericht", Kind::Report),
            ("Working Paper", Kind::Report),
            ("Zeitschriftenartikel", Kind::Article),
            ("Gastbeitrag", Kind::Article),
            ("Handbuch", Kind::Book),
            ("Sammelband", Kind::Book),
            ("Meldung", Kind::Other),
            ("Themenseite", Kind::Other),
        ];
        for (doc_type, kind) in cases {
            assert_eq!(Kind::of(Some(doc_type)), kind, "{doc_type}");
        }
        assert_eq!(Kind::of(None), Kind::Other);
    }
}
