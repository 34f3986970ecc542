//! The documents of an index with the analyzer's terms, for another engine to serve
//! (`integra export --analyzed`, docs/SCALING.md): one record a document, and one a page of a
//! document with pages, each with its metadata and its terms joined by spaces, so that a plain
//! whitespace tokenizer indexes exactly the terms integra's index holds.

use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::Fields;
use crate::analysis::{Side, terms};
use crate::corpus::Page;

/// Whether a record stands for a whole document or one of its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// The whole document.
    Document,
    /// One page (a PDF's) or chapter (an EPUB's) of a document.
    Page,
}

/// One document, or one page of it, with the analyzer's terms: a line of
/// `integra export --analyzed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedRecord {
    /// A document or one of its pages.
    pub kind: RecordKind,
    /// The document's id, as hits show it.
    pub id: String,
    /// The key that is unique in the index (the source file and, for a JSON line, its id);
    /// with `#page=N` for a page, so that every record has a key of its own.
    pub key: String,
    /// The file the document comes from.
    pub path: String,
    /// Its title.
    pub title: Option<String>,
    /// Its authors.
    pub authors: Vec<String>,
    /// Its institutions.
    pub institutions: Vec<String>,
    /// Its year.
    pub year: Option<u16>,
    /// The kind of text.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Its language code.
    pub language: Option<String>,
    /// Its URL or citation.
    pub origin: Option<String>,
    /// For a page: its label ("iv", "47"; an EPUB's chapter number).
    pub page: Option<String>,
    /// For a page: its number counted from 1.
    pub page_number: Option<u32>,
    /// The terms of the title, as the index's `title` field holds them, joined by spaces.
    pub title_terms: String,
    /// The terms of the authors' and institutions' names, joined by spaces.
    pub name_terms: String,
    /// The terms of the text (of the page, for a page), as the index's `body` field holds
    /// them, joined by spaces.
    pub terms: String,
}

/// The documents of `searcher`'s index, ordered by key, to be turned into records one at a
/// time (a large index never sits in memory as records).
pub(crate) fn documents(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Vec<DocAddress>> {
    let mut keyed = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let store = segment.get_store_reader(1)?;
        let segment_ord = u32::try_from(ord).expect("fewer segments than 4 G");
        for doc in segment.doc_ids_alive() {
            let stored: TantivyDocument = store.get(doc)?;
            let key = stored
                .get_first(fields.key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            keyed.push((key, DocAddress::new(segment_ord, doc)));
        }
    }
    keyed.sort();
    Ok(keyed.into_iter().map(|(_, address)| address).collect())
}

/// The records of the document at `address`: the document's, then one a page.
pub(crate) fn records(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> tantivy::Result<Vec<AnalyzedRecord>> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field| doc.get_first(field).and_then(|v| v.as_str());
    let owned = |field| text(field).map(String::from);
    let texts = |field| {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let body = text(fields.body).unwrap_or_default();
    let joined = |text: &str| terms(text, Side::Index).join(" ");
    let authors = texts(fields.authors);
    let institutions = texts(fields.institutions);
    // Each name is a value of its own field, analyzed alone, as the index analyzes it.
    let name_terms = authors
        .iter()
        .chain(&institutions)
        .map(|name| joined(name))
        .filter(|terms| !terms.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let key = owned(fields.key).unwrap_or_default();
    let document = AnalyzedRecord {
        kind: RecordKind::Document,
        id: owned(fields.id).unwrap_or_default(),
        key: key.clone(),
        path: owned(fields.source).unwrap_or_default(),
        title: owned(fields.title),
        authors,
        institutions,
        year: doc
            .get_first(fields.year)
            .and_then(|v| v.as_u64())
            .and_then(|y| u16::try_from(y).ok()),
        doc_type: owned(fields.doc_type),
        language: owned(fields.language),
        origin: owned(fields.origin),
        page: None,
        page_number: None,
        title_terms: text(fields.title).map(joined).unwrap_or_default(),
        name_terms,
        terms: joined(body),
    };
    // A page list that does not parse gives the document without pages, as a hit does.
    let pages: Vec<Page> = text(fields.pages)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let mut records = Vec::with_capacity(1 + pages.len());
    for (i, page) in pages.iter().enumerate() {
        let end = pages.get(i + 1).map_or(body.len(), |next| next.start);
        let Some(page_text) = body.get(page.start..end) else {
            continue;
        };
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        records.push(AnalyzedRecord {
            kind: RecordKind::Page,
            key: format!("{key}#page={number}"),
            page: Some(page.label.clone()),
            page_number: Some(number),
            terms: joined(page_text),
            ..document.clone()
        });
    }
    records.insert(0, document);
    Ok(records)
}
