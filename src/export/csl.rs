//! CSL-JSON: the items that citeproc, Pandoc and Zotero read, as one JSON array.

use std::io::{self, Write};

use serde::Serialize;

use super::bibtex::is_url;
use super::entry::{Entry, Kind};
use super::names::Name;

/// One CSL item: the fields integra knows, named as the CSL schema names them.
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// A name: a person's parts, or a body's name whole as a `literal`.
#[derive(Serialize)]
#[serde(untagged)]
enum CslName<'a> {
    Person {
        family: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        given: Option<&'a str>,
    },
    Literal {
        literal: &'a str,
    },
}

/// A date as CSL writes it: `{"date-parts": [[2017]]}`.
#[derive(Serialize)]
struct Date {
    #[serde(rename = "date-parts")]
    parts: [[u16; 1]; 1],
}

/// Writes the entries as a CSL-JSON array, with a line break at the end.
pub(crate) fn write(out: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    let items: Vec<Item> = entries.iter().map(item).collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

fn item(entry: &Entry) -> Item<'_> {
    let hit = &entry.hit;
    let kind = match entry.kind {
        Kind::Report => "report",
        Kind::Article => "article-journal",
        Kind::Book => "book",
        Kind::Other => "document",
    };
    let author = entry
        .authors
        .iter()
        .map(|name| match name {
            Name::Corporate(literal) => CslName::Literal { literal },
            Name::Person { family, given } => CslName::Person {
                family,
                given: given.as_deref(),
            },
        })
        .collect();
    // The file is not a URL a reader can follow, but where the text lies: a note, with the page.
    let file = (!is_url(&hit.path) && !hit.path.is_empty()).then(|| format!("file: {}", hit.path));
    let note: Vec<String> = file.into_iter().chain(entry.page_note()).collect();
    Item {
        id: &entry.key,
        kind,
        title: hit.title.as_deref(),
        author,
        publisher: (!hit.institutions.is_empty()).then(|| hit.institutions.join("; ")),
        issued: hit.year.map(|year| Date { parts: [[year]] }),
        genre: hit.doc_type.as_deref(),
        url: is_url(&hit.path).then_some(hit.path.as_str()),
        note: (!note.is_empty()).then(|| note.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::entry::entries;
    use crate::export::test_hit as hit;
    use serde_json::{Value, json};

    fn csl(hits: &[crate::Hit]) -> Value {
        let mut out = Vec::new();
        write(&mut out, &entries(hits)).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn corporate_authors_are_literals() {
        let mut report = hit(
            Some("So gelingt Integration vor Ort!"),
            &["Frank Gesemann", "Bertelsmann Stiftung", "Aristoteles"],
            &["Friedrich-Ebert-Stiftung", "DESI"],
            Some(2017),
        );
        report.doc_type = Some("Gutachten".into());
        report.snippet.page = Some("3".into());
        assert_eq!(
            csl(&[report]),
            json!([{
                "id": "gesemann2017integration",
                "type": "report",
                "title": "So gelingt Integration vor Ort!",
                "author": [
                    {"family": "Gesemann", "given": "Frank"},
                    {"literal": "Bertelsmann Stiftung"},
                    {"family": "Aristoteles"}
                ],
                "publisher": "Friedrich-Ebert-Stiftung; DESI",
                "issued": {"date-parts": [[2017]]},
                "genre": "Gutachten",
                "note": "file: corpus/doc.txt; best passage on page 3"
            }])
        );
    }

    #[test]
    fn leaves_out_missing_fields_and_links_urls() {
        let mut bare = hit(None, &[], &[], None);
        bare.path = "https://example.org/bericht.pdf".into();
        assert_eq!(
            csl(&[bare]),
            json!([{"id": "doc1", "type": "document", "URL": "https://example.org/bericht.pdf"}])
        );
    }

    #[test]
    fn no_hits_are_an_empty_array() {
        assert_eq!(csl(&[]), json!([]));
    }
}
