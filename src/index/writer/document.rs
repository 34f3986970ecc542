//! A corpus document as the index stores it: its text and metadata in the schema's fields, the
//! facet paths that count it, and the content hash that tells a changed document from an
//! unchanged one.

use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use crate::corpus::Document;
use crate::hash::{FNV_OFFSET, fnv1a};
use crate::index::schema::{Fields, facet};

/// The hash of a document's text and metadata: a document whose hash is in the index already
/// is not rewritten.
pub(super) fn document_hash(doc: &Document) -> u64 {
    let meta = serde_json::to_vec(&doc.metadata).unwrap_or_default();
    let hash = fnv1a(doc.text.as_bytes(), fnv1a(&meta, FNV_OFFSET));
    if doc.pages.is_empty() {
        hash
    } else {
        fnv1a(&pages_json(doc), hash)
    }
}

/// The pages of a document as the index stores them.
fn pages_json(doc: &Document) -> Vec<u8> {
    serde_json::to_vec(&doc.pages).expect("pages serialize: strings and numbers")
}

/// The tantivy document of a corpus document.
pub(crate) fn to_tantivy(fields: &Fields, doc: &Document) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    let meta = &doc.metadata;
    out.add_text(fields.key, doc.key());
    out.add_text(fields.source, &doc.path);
    out.add_text(fields.id, &doc.id);
    if let Some(title) = &meta.title {
        out.add_text(fields.title, title);
    }
    out.add_text(fields.body, &doc.text);
    for author in &meta.authors {
        out.add_text(fields.authors, author);
        out.add_facet(fields.facets, Facet::from_path([facet::AUTHOR, author]));
    }
    for institution in &meta.institutions {
        out.add_text(fields.institutions, institution);
        out.add_facet(
            fields.facets,
            Facet::from_path([facet::INSTITUTION, institution]),
        );
    }
    if let Some(year) = meta.year {
        out.add_u64(fields.year, u64::from(year));
        out.add_facet(
            fields.facets,
            Facet::from_path([facet::YEAR, &year.to_string()]),
        );
    }
    if let Some(doc_type) = &meta.doc_type {
        out.add_text(fields.doc_type, doc_type);
    }
    if let Some(language) = &meta.language {
        out.add_text(fields.language, language);
    }
    if let Some(origin) = &meta.source {
        out.add_text(fields.origin, origin);
    }
    if !doc.pages.is_empty() {
        let pages = String::from_utf8(pages_json(doc)).expect("serde_json writes UTF-8");
        out.add_text(fields.pages, pages);
    }
    out.add_u64(fields.hash, document_hash(doc));
    out
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Value;

    use super::*;
    use crate::corpus::Metadata;
    use crate::index::writer::tests::ram_index;

    fn bericht() -> Document {
        Document {
            id: "bericht-1".into(),
            path: "berichte.jsonl".into(),
            metadata: Metadata {
                title: Some("Integration vor Ort".into()),
                authors: vec!["Roland Roth".into()],
                institutions: vec!["Bertelsmann Stiftung".into()],
                year: Some(2016),
                doc_type: Some("Studie".into()),
                language: Some("de".into()),
                source: Some("https://example.org".into()),
            },
            text: "Die Kommunen tragen die Integration.".into(),
            pages: Vec::new(),
        }
    }

    #[test]
    fn the_hash_changes_with_the_text_and_with_the_metadata() {
        let doc = bericht();
        let same = bericht();
        let mut text = bericht();
        text.text.push_str(" Auch der Bund.");
        let mut year = bericht();
        year.metadata.year = Some(2017);
        assert_eq!(document_hash(&doc), document_hash(&same));
        assert_ne!(document_hash(&doc), document_hash(&text));
        assert_ne!(document_hash(&doc), document_hash(&year));
    }

    #[test]
    fn the_hash_does_not_depend_on_where_the_document_comes_from() {
        let doc = bericht();
        let mut moved = bericht();
        moved.path = "anderswo.jsonl".into();
        moved.id = "bericht-2".into();
        assert_eq!(document_hash(&doc), document_hash(&moved));
    }

    #[test]
    fn fills_the_fields_and_facets_of_the_metadata() {
        let (_, fields) = ram_index();
        let out = to_tantivy(&fields, &bericht());
        let text = |field| {
            out.get_first(field)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        assert_eq!(
            text(fields.key).as_deref(),
            Some("berichte.jsonl#bericht-1")
        );
        assert_eq!(text(fields.source).as_deref(), Some("berichte.jsonl"));
        assert_eq!(text(fields.id).as_deref(), Some("bericht-1"));
        assert_eq!(text(fields.title).as_deref(), Some("Integration vor Ort"));
        assert_eq!(text(fields.doc_type).as_deref(), Some("Studie"));
        assert_eq!(text(fields.origin).as_deref(), Some("https://example.org"));
        let year = out.get_first(fields.year).and_then(|v| v.as_u64());
        assert_eq!(year, Some(2016));
        let hash = out.get_first(fields.hash).and_then(|v| v.as_u64());
        assert_eq!(hash, Some(document_hash(&bericht())));
        let facets: Vec<String> = out
            .get_all(fields.facets)
            .filter_map(|v| v.as_facet())
            .map(|encoded| {
                Facet::from_encoded(encoded.as_bytes().to_vec())
                    .unwrap()
                    .to_path_string()
            })
            .collect();
        assert_eq!(
            facets,
            [
                "/author/Roland Roth",
                "/institution/Bertelsmann Stiftung",
                "/year/2016"
            ]
        );
    }

    #[test]
    fn a_text_file_is_keyed_by_its_path_alone() {
        let (_, fields) = ram_index();
        let doc = Document {
            id: "studie.txt".into(),
            path: "studie.txt".into(),
            metadata: Metadata::default(),
            text: "Sprachkurse".into(),
            pages: Vec::new(),
        };
        let out = to_tantivy(&fields, &doc);
        let key = out.get_first(fields.key).and_then(|v| v.as_str());
        assert_eq!(key, Some("studie.txt"));
        assert!(out.get_first(fields.title).is_none());
        assert_eq!(out.get_all(fields.facets).count(), 0);
    }
}
