//! `Library::export_analyzed` against the index itself: the terms a record carries are the
//! terms the index's inverted index holds for its document.

use std::collections::{BTreeSet, HashMap};

use integra::{AnalyzedRecord, Document, Library, Metadata, Page, RecordKind};
use tantivy::schema::Value;
use tantivy::{DocSet, TERMINATED, TantivyDocument};

/// A document with pages and two without, with compounds, gender forms and a coordination.
fn documents() -> Vec<Document> {
    let doc = |id: &str, text: &str, pages: Vec<Page>| Document {
        id: id.into(),
        path: "bericht.jsonl".into(),
        metadata: Metadata {
            title: Some(format!("Bericht {id}: Flüchtlingsintegration vor Ort")),
            authors: vec!["Roland Roth".into()],
            institutions: vec!["Bertelsmann Stiftung".into()],
            year: Some(2016),
            ..Metadata::default()
        },
        text: text.into(),
        pages,
    };
    let paged = "Sprach- und Integrationskurse für Migrant*innen. Die Kommunen tragen die \
                 Flüchtlingsintegration in Großstädten und Landkreisen.";
    let second = paged.find("Die").unwrap();
    vec![
        doc(
            "a",
            paged,
            vec![
                Page {
                    label: "iv".into(),
                    start: 0,
                },
                Page {
                    label: "1".into(),
                    start: second,
                },
            ],
        ),
        doc(
            "b",
            "Kita-Plätze für Geflüchtete: Bundes-, Landes- und Kommunalebene",
            vec![],
        ),
        doc("c", "Straße und Strasse, Jugendämter", vec![]),
    ]
}

/// The terms of the field `name` that the index holds for each document, by key.
fn index_terms(path: &std::path::Path, name: &str) -> HashMap<String, BTreeSet<String>> {
    let index = tantivy::Index::open_in_dir(path).unwrap();
    let schema = index.schema();
    let field = schema.get_field(name).unwrap();
    let key = schema.get_field("key").unwrap();
    let searcher = index.reader().unwrap().searcher();
    let mut terms: HashMap<String, BTreeSet<String>> = HashMap::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1).unwrap();
        let keys: Vec<String> = (0..segment.max_doc())
            .map(|doc| {
                let stored: TantivyDocument = store.get(doc).unwrap();
                stored.get_first(key).unwrap().as_str().unwrap().to_string()
            })
            .collect();
        let inverted = segment.inverted_index(field).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let term = std::str::from_utf8(stream.key()).unwrap().to_string();
            let mut postings = inverted
                .read_postings_from_terminfo(
                    stream.value(),
                    tantivy::schema::IndexRecordOption::Basic,
                )
                .unwrap();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                terms
                    .entry(keys[doc as usize].clone())
                    .or_default()
                    .insert(term.clone());
                doc = postings.advance();
            }
        }
    }
    terms
}

fn set(terms: &str) -> BTreeSet<String> {
    terms.split_whitespace().map(String::from).collect()
}

#[test]
fn exported_terms_are_the_terms_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let library = Library::create(&path).unwrap();
    library.add_documents(&documents()).unwrap();
    let records: Vec<AnalyzedRecord> = library
        .export_analyzed()
        .unwrap()
        .collect::<integra::Result<_>>()
        .unwrap();
    let body = index_terms(&path, "body");
    let title = index_terms(&path, "title");
    let kinds: Vec<(RecordKind, Option<&str>)> = records
        .iter()
        .map(|r| (r.kind, r.page.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (RecordKind::Document, None),
            (RecordKind::Page, Some("iv")),
            (RecordKind::Page, Some("1")),
            (RecordKind::Document, None),
            (RecordKind::Document, None),
        ]
    );
    for record in records.iter().filter(|r| r.kind == RecordKind::Document) {
        assert_eq!(set(&record.terms), body[&record.key], "{}", record.key);
        assert_eq!(
            set(&record.title_terms),
            title[&record.key],
            "{}",
            record.key
        );
        assert_eq!(record.year, Some(2016));
        assert_eq!(record.authors, ["Roland Roth"]);
    }
    // The pages of "a" hold its terms between them, each only its own.
    let pages: Vec<&AnalyzedRecord> = records
        .iter()
        .filter(|r| r.kind == RecordKind::Page)
        .collect();
    let union: BTreeSet<String> = pages.iter().flat_map(|p| set(&p.terms)).collect();
    assert_eq!(union, set(&records[0].terms));
    assert!(set(&pages[0].terms).contains("sprachkurs"));
    assert!(!set(&pages[0].terms).contains("kommun"));
    assert!(set(&pages[1].terms).contains("kommun"));
    assert_eq!(pages[1].key, "bericht.jsonl#a#page=2");
    assert_eq!(pages[1].page_number, Some(2));
    assert_eq!(records[3].name_terms, "roland roth bertelsmann stiftung");
}
