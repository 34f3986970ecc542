//! Telling a person's name from an institution's, and splitting a person's name into family and
//! given names, as reference managers need them.

/// An author as a citation format writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Name {
    /// A body that authored the text (`Bertelsmann Stiftung`), written whole, never inverted.
    Corporate(String),
    /// A person: the family name (with a particle such as "von der") and the given names.
    Person {
        /// The family name, with its particle: "Gesemann", "von der Leyen".
        family: String,
        /// The given names, if known: "Frank".
        given: Option<String>,
    },
}

impl Name {
    /// The name as BibTeX, RIS and most people write a person inverted: `Gesemann, Frank`; a
    /// body's name as it is.
    pub(crate) fn inverted(&self) -> String {
        match self {
            Name::Corporate(name) => name.clone(),
            Name::Person {
                family,
                given: Some(given),
            } => format!("{family}, {given}"),
            Name::Person {
                family,
                given: None,
            } => family.clone(),
        }
    }

    /// The word a citation key starts with: the family name without its particle, or a body's
    /// first word that is not an article ("bertelsmann", "beauftragte").
    pub(crate) fn key_word(&self) -> &str {
        match self {
            Name::Corporate(name) => name
                .split_whitespace()
                .find(|word| !ARTICLES.contains(&word.to_lowercase().as_str()))
                .unwrap_or(name),
            Name::Person { family, .. } => family.split_whitespace().last().unwrap_or(family),
        }
    }
}

/// Words that make a name a body's: the start or end of a word of it ("Bundesamt",
/// "Sachverständigenrat", "Friedrich-Ebert-Stiftung"), compared in lower case.
const CORPORATE_WORD_PARTS: &[&str] = &[
    "stiftung",
    "institut",
    "bundesamt",
    "landesamt",
    "ministerium",
    "kommission",
    "verband",
    "verein",
    "bundesregierung",
    "landesregierung",
    "beauftragte",
    "universität",
    "hochschule",
    "zentrum",
    "agentur",
    "behörde",
    "gesellschaft",
    "netzwerk",
    "initiative",
    "arbeitsgemeinschaft",
    "bundestag",
    "landtag",
    "sachverständigenrat",
    "beirat",
    "caritas",
    "diakonie",
    "arbeiterwohlfahrt",
    "foundation",
    "institute",
    "university",
    "ministry",
    "commission",
    "council",
    "agency",
    "association",
    "office",
    "organisation",
    "organization",
    "dienst",
    "hilfswerk",
    "kreuz",
    "srat",
];

/// Whole words that make a name a body's.
const CORPORATE_WORDS: &[&str] = &[
    "e.v.",
    "gmbh",
    "ggmbh",
    "ag",
    "rat",
    "amt",
    "stadt",
    "landkreis",
    "kreis",
    "bund",
    "land",
    "asyl",
    "für",
    "und",
    "of",
    "for",
    "and",
    "the",
];

/// Articles before a body's name, which its citation key leaves out.
const ARTICLES: &[&str] = &["der", "die", "das", "the"];

/// Particles that belong to a family name ("von der Leyen") and are not a given name.
const PARTICLES: &[&str] = &[
    "von", "vom", "van", "de", "der", "den", "del", "della", "di", "da", "du", "zu", "zur", "ten",
    "ter", "la", "le", "al", "el", "bin",
];

/// Reads an author's name: a body's if it is one of the document's `institutions` or looks
/// like one (a word such as Stiftung, Institut, Bundesamt, e.V.; an acronym; words such as
/// "für" that a person's name does not hold), else a person's, given as "Gesemann, Frank" or
/// "Frank Gesemann".
pub(crate) fn parse_name(name: &str, institutions: &[String]) -> Name {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if is_corporate(&name, institutions) {
        return Name::Corporate(name);
    }
    if let Some((family, given)) = name.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        if !family.is_empty() {
            return Name::Person {
                family: family.to_string(),
                given: (!given.is_empty()).then(|| given.to_string()),
            };
        }
    }
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [] => Name::Corporate(name),
        [only] => Name::Person {
            family: (*only).to_string(),
            given: None,
        },
        _ => {
            // The family name is the last word and the particles before it.
            let mut start = words.len() - 1;
            while start > 1 && PARTICLES.contains(&words[start - 1]) {
                start -= 1;
            }
            Name::Person {
                family: words[start..].join(" "),
                given: Some(words[..start].join(" ")),
            }
        }
    }
}

/// Whether a name is a body's rather than a person's.
fn is_corporate(name: &str, institutions: &[String]) -> bool {
    let lower = name.to_lowercase();
    let same = |institution: &String| {
        let institution = institution.split_whitespace().collect::<Vec<_>>().join(" ");
        institution.to_lowercase() == lower
    };
    if institutions.iter().any(same) {
        return true;
    }
    if lower.contains("e.v.") || lower.contains("e. v.") || name.contains(['(', ')', '&', '/']) {
        return true;
    }
    name.split([' ', '-'])
        .filter(|w| !w.is_empty())
        .any(|word| {
            let lower = word.to_lowercase();
            let bare = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            CORPORATE_WORDS.contains(&bare)
                || CORPORATE_WORD_PARTS
                    .iter()
                    .any(|part| bare.starts_with(part) || bare.ends_with(part))
                || (!name.contains(',') && is_acronym(word))
        })
}

/// An acronym such as UNHCR, OECD or DESI: two or more letters, all capitals.
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: Option<&str>) -> Name {
        Name::Person {
            family: family.into(),
            given: given.map(Into::into),
        }
    }

    #[test]
    fn tells_people_from_bodies() {
        let none: &[String] = &[];
        let cases = [
            ("Frank Gesemann", person("Gesemann", Some("Frank"))),
            ("Gesemann, Frank", person("Gesemann", Some("Frank"))),
            ("Roland Roth", person("Roth", Some("Roland"))),
            (
                "Ursula von der Leyen",
                person("von der Leyen", Some("Ursula")),
            ),
            (
                "von der Leyen, Ursula",
                person("von der Leyen", Some("Ursula")),
            ),
            ("Anna Maria Schmidt", person("Schmidt", Some("Anna Maria"))),
            ("Murat Yilmaz", person("Yilmaz", Some("Murat"))),
            ("Konrad Adenauer", person("Adenauer", Some("Konrad"))),
            ("Aristoteles", person("Aristoteles", None)),
            ("GESEMANN, Frank", person("GESEMANN", Some("Frank"))),
            ("Pro Asyl", Name::Corporate("Pro Asyl".into())),
            (
                "Flüchtlingsrat NRW",
                Name::Corporate("Flüchtlingsrat NRW".into()),
            ),
            (
                "Bertelsmann Stiftung",
                Name::Corporate("Bertelsmann Stiftung".into()),
            ),
            (
                "Friedrich-Ebert-Stiftung",
                Name::Corporate("Friedrich-Ebert-Stiftung".into()),
            ),
            (
                "Bundesamt für Migration und Flüchtlinge",
                Name::Corporate("Bundesamt für Migration und Flüchtlinge".into()),
            ),
            (
                "Train of Hope Dortmund e.V.",
                Name::Corporate("Train of Hope Dortmund e.V.".into()),
            ),
            (
                "Sachverständigenrat für Integration und Migration",
                Name::Corporate("Sachverständigenrat für Integration und Migration".into()),
            ),
            ("UNHCR", Name::Corporate("UNHCR".into())),
            (
                "Europäische Kommission",
                Name::Corporate("Europäische Kommission".into()),
            ),
            (
                "Deutsches Institut für Wirtschaftsforschung",
                Name::Corporate("Deutsches Institut für Wirtschaftsforschung".into()),
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(parse_name(name, none), expected, "{name}");
        }
    }

    #[test]
    fn an_author_listed_among_the_institutions_is_a_body() {
        let institutions = vec!["Train of Hope".to_string()];
        assert_eq!(
            parse_name("Train of Hope", &institutions),
            Name::Corporate("Train of Hope".into())
        );
        let institutions = vec!["Mediendienst Integration".to_string()];
        assert_eq!(
            parse_name("Mediendienst  Integration", &institutions),
            Name::Corporate("Mediendienst Integration".into())
        );
    }

    #[test]
    fn inverts_people_only() {
        let none: &[String] = &[];
        assert_eq!(
            parse_name("Frank Gesemann", none).inverted(),
            "Gesemann, Frank"
        );
        assert_eq!(
            parse_name("Bertelsmann Stiftung", none).inverted(),
            "Bertelsmann Stiftung"
        );
        assert_eq!(parse_name("Aristoteles", none).inverted(), "Aristoteles");
    }

    #[test]
    fn key_words() {
        let none: &[String] = &[];
        assert_eq!(parse_name("Ursula von der Leyen", none).key_word(), "Leyen");
        assert_eq!(
            parse_name("Der Paritätische Gesamtverband", none).key_word(),
            "Paritätische"
        );
        assert_eq!(
            parse_name("Bertelsmann Stiftung", none).key_word(),
            "Bertelsmann"
        );
    }
}
