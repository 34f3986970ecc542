//! Document metadata: from TOML sidecars and from the fields of a JSON line.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What is known about a document besides its text. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The title.
    pub title: Option<String>,
    /// The authors, people or bodies, in the order given.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The institutions that published or stand behind it.
    #[serde(default)]
    pub institutions: Vec<String>,
    /// The year of publication.
    pub year: Option<u16>,
    /// The kind of text: study, report, article, …
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The language code, e.g. `de`.
    pub language: Option<String>,
    /// Where it comes from: a URL or a citation.
    pub source: Option<String>,
}

impl Metadata {
    /// Fills the fields that are empty here from `other`, field by field: what a sidecar says
    /// wins over what a file says about itself, and the file completes what it leaves out.
    pub(crate) fn fill_from(&mut self, other: Metadata) {
        fn fill<T>(field: &mut Option<T>, other: Option<T>) {
            if field.is_none() {
                *field = other;
            }
        }
        fn fill_list(field: &mut Vec<String>, other: Vec<String>) {
            if field.is_empty() {
                *field = other;
            }
        }
        fill(&mut self.title, other.title);
        fill_list(&mut self.authors, other.authors);
        fill_list(&mut self.institutions, other.institutions);
        fill(&mut self.year, other.year);
        fill(&mut self.doc_type, other.doc_type);
        fill(&mut self.language, other.language);
        fill(&mut self.source, other.source);
    }
}

/// A field that is wrong: its key and what is wrong with it.
type FieldError = (&'static str, String);

/// Reads a metadata sidecar.
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::Metadata`] naming the line if it is not valid
/// TOML or a field has the wrong type.
pub fn read_sidecar(path: &Path) -> Result<Metadata> {
    read_sidecar_text(path).map(|(metadata, _)| metadata)
}

/// [`read_sidecar`], with the sidecar's text.
///
/// # Errors
/// As [`read_sidecar`].
pub(crate) fn read_sidecar_text(path: &Path) -> Result<(Metadata, String)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Metadata {
        path: path.to_path_buf(),
        line: None,
        reason: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })?;
    let metadata = sidecar_from_str(path, &text)?;
    Ok((metadata, text))
}

/// Parses the text of the sidecar at `path`, which only names it in errors: [`read_sidecar`]
/// once the file is read. Public for the fuzz target (`fuzz/fuzz_targets/sidecar.rs`).
///
/// # Errors
/// [`Error::Metadata`] naming `path` and the line if it is not valid TOML or a field has the
/// wrong type.
#[doc(hidden)]
pub fn sidecar_from_str(path: &Path, text: &str) -> Result<Metadata> {
    parse_sidecar(text).map_err(|(line, reason)| Error::Metadata {
        path: path.to_path_buf(),
        line,
        reason,
    })
}

/// The fields a sidecar may have.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "authors",
    "institutions",
    "year",
    "type",
    "language",
    "source",
];

/// German and singular names people give the fields, and the field each means.
const ALIASES: &[(&str, &str)] = &[
    ("titel", "title"),
    ("author", "authors"),
    ("autor", "authors"),
    ("autoren", "authors"),
    ("autorin", "authors"),
    ("autorinnen", "authors"),
    ("institution", "institutions"),
    ("institutionen", "institutions"),
    ("herausgeber", "institutions"),
    ("jahr", "year"),
    ("typ", "type"),
    ("art", "type"),
    ("sprache", "language"),
    ("quelle", "source"),
    ("url", "source"),
];

/// The keys of a sidecar that integra does not know, each with its line and the known key it
/// is most likely meant to be; a sidecar that does not parse has none (its error says more).
pub(crate) fn unknown_keys(text: &str) -> Vec<(String, Option<usize>, Option<&'static str>)> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    table
        .keys()
        .filter(|key| !KNOWN_KEYS.contains(&key.as_str()))
        .map(|key| {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key.as_str()))
                .map(|i| i + 1);
            (key.clone(), line, nearest_key(key))
        })
        .collect()
}

/// The known key an unknown one most likely means: by a name people use for it, else the one
/// within two edits.
fn nearest_key(key: &str) -> Option<&'static str> {
    let key = key.to_lowercase();
    if let Some(&(_, known)) = ALIASES.iter().find(|(alias, _)| *alias == key) {
        return Some(known);
    }
    KNOWN_KEYS
        .iter()
        .map(|&known| (edit_distance(&key, known), known))
        .filter(|&(distance, _)| distance <= 2)
        .min()
        .map(|(_, known)| known)
}

/// The Levenshtein distance of two short words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses sidecar text; the error is (line, reason).
fn parse_sidecar(text: &str) -> std::result::Result<Metadata, (Option<usize>, String)> {
    let table: toml::Spanned<toml::Table> = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        (line, e.message().to_string())
    })?;
    // Spans of values are only known for the table as a whole, so a field error is located by
    // finding its key at the start of a line.
    let key_line = |key: &str| {
        text.lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map(|i| i + 1)
    };
    let json = serde_json::to_value(table.into_inner()).map_err(|e| (None, e.to_string()))?;
    from_fields(&json).map_err(|(key, reason)| (key_line(key), reason))
}

/// Reads metadata from a JSON object (a JSON line, or a sidecar turned into JSON).
///
/// The error names the field that is wrong.
pub(crate) fn from_json(value: &serde_json::Value) -> std::result::Result<Metadata, String> {
    from_fields(value).map_err(|(_, reason)| reason)
}

fn from_fields(value: &serde_json::Value) -> std::result::Result<Metadata, FieldError> {
    use serde_json::Value;
    let Value::Object(map) = value else {
        return Err(("", "expected an object of fields".into()));
    };
    let fail = |key: &'static str, reason: String| (key, reason);
    let string = |key: &'static str| -> std::result::Result<Option<String>, _> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
            Some(_) => Err(fail(key, format!("{key} must be a string"))),
        }
    };
    let list = |key: &'static str| -> std::result::Result<Vec<String>, _> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.trim().to_string()]),
            Some(Value::Array(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    _ => Err(fail(key, format!("{key} must be a list of strings"))),
                })
                .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
                .collect(),
            Some(_) => Err(fail(key, format!("{key} must be a list of strings"))),
        }
    };
    let year = match map.get("year") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64().filter(|y| (1..=9999).contains(y)) {
            Some(y) => Some(y as u16),
            None => return Err(fail("year", format!("year must be a year, not {n}"))),
        },
        Some(Value::String(s)) => match s.trim().parse::<u16>() {
            Ok(y) if y > 0 => Some(y),
            _ => return Err(fail("year", "year must be a number".to_string())),
        },
        Some(_) => return Err(fail("year", "year must be a number".to_string())),
    };
    Ok(Metadata {
        title: string("title")?,
        authors: list("authors")?,
        institutions: list("institutions")?,
        year,
        doc_type: string("type")?,
        language: string("language")?,
        source: string("source")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_key_an_unknown_one_most_likely_means() {
        let found = unknown_keys("titel = \"A\"\nautor = \"B\"\nyaer = 2017\nfarbe = \"rot\"\n");
        let found: Vec<(&str, Option<usize>, Option<&str>)> = found
            .iter()
            .map(|(key, line, near)| (key.as_str(), *line, *near))
            .collect();
        assert_eq!(
            found,
            [
                ("autor", Some(2), Some("authors")),
                ("farbe", Some(4), None),
                ("titel", Some(1), Some("title")),
                ("yaer", Some(3), Some("year")),
            ]
        );
        assert!(unknown_keys("title = \"A\"\nyear = 2017\n").is_empty());
    }

    #[test]
    fn reads_a_full_sidecar() {
        let meta = parse_sidecar(
            "title = \"So gelingt Integration vor Ort!\"\n\
             authors = [\"Frank Gesemann\", \"Roland Roth\"]\n\
             institutions = [\"Friedrich-Ebert-Stiftung\"]\n\
             # a comment\n\
             year = 2017\ntype = \"Gutachten\"\nlanguage = \"de\"\nsource = \"https://fes.de\"\n",
        )
        .unwrap();
        assert_eq!(
            meta.title.as_deref(),
            Some("So gelingt Integration vor Ort!")
        );
        assert_eq!(meta.authors, ["Frank Gesemann", "Roland Roth"]);
        assert_eq!(meta.year, Some(2017));
        assert_eq!(meta.doc_type.as_deref(), Some("Gutachten"));
        assert_eq!(meta.source.as_deref(), Some("https://fes.de"));
    }

    #[test]
    fn a_sidecar_wins_field_by_field() {
        let mut sidecar = parse_sidecar("title = \"Aus der Datei\"\nyear = 2017\n").unwrap();
        sidecar.fill_from(Metadata {
            title: Some("Von der Seite".into()),
            authors: vec!["Müller, Anna".into()],
            year: Some(2016),
            language: Some("de".into()),
            ..Metadata::default()
        });
        assert_eq!(sidecar.title.as_deref(), Some("Aus der Datei"));
        assert_eq!(sidecar.year, Some(2017));
        assert_eq!(sidecar.authors, ["Müller, Anna"]);
        assert_eq!(sidecar.language.as_deref(), Some("de"));
        assert_eq!(sidecar.institutions, Vec::<String>::new());
    }

    #[test]
    fn all_fields_are_optional() {
        assert_eq!(parse_sidecar("").unwrap(), Metadata::default());
    }

    #[test]
    fn names_the_line_of_a_bad_year() {
        let err =
            parse_sidecar("title = \"x\"\nauthors = []\nyear = \"zweitausend\"\n").unwrap_err();
        assert_eq!(err, (Some(3), "year must be a number".to_string()));
    }

    #[test]
    fn names_the_line_of_a_toml_syntax_error() {
        let err = parse_sidecar("title = \"x\"\nyear = \n").unwrap_err();
        assert_eq!(err.0, Some(2));
    }

    #[test]
    fn rejects_authors_of_the_wrong_type() {
        let err = parse_sidecar("authors = 3\n").unwrap_err();
        assert_eq!(
            err,
            (Some(1), "authors must be a list of strings".to_string())
        );
    }

    #[test]
    fn accepts_a_single_author_as_string() {
        let meta = parse_sidecar("authors = \"DESI\"\nyear = \"2016\"").unwrap();
        assert_eq!(meta.authors, ["DESI"]);
        assert_eq!(meta.year, Some(2016));
    }
}
