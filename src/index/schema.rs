//! The fields of the index and how each is indexed.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis::ANALYZER_NAME;

/// Bumped whenever the schema changes: an index with another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// The name of the content hash field, a fast field: search orders hits with equal scores by it.
pub(crate) const HASH_FIELD: &str = "hash";

/// The fields of an integra index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Unique key: the source path, plus `#id` for a JSON line. Used to replace a document.
    pub key: Field,
    /// The source file's path: deleting by it removes every document of that file.
    pub source: Field,
    /// The document id shown to users.
    pub id: Field,
    /// Title, analyzed and stored.
    pub title: Field,
    /// Full text, analyzed and stored (snippets are cut from it).
    pub body: Field,
    /// Authors, analyzed (names can be searched) and stored, one value each.
    pub authors: Field,
    /// Institutions, analyzed and stored, one value each.
    pub institutions: Field,
    /// `/author/…`, `/institution/…`, `/year/…`: exact facet counts over all matches.
    pub facets: Field,
    /// Year, for range filters.
    pub year: Field,
    /// Type of text, stored and filterable as a whole.
    pub doc_type: Field,
    /// Language code.
    pub language: Field,
    /// URL or citation.
    pub origin: Field,
    /// Hash of the document's content and metadata: an unchanged JSON line is not rewritten.
    pub hash: Field,
    /// Where each page begins in the body, as JSON (`[{"label":"iv","start":0},…]`), stored
    /// only, for documents with pages: a snippet says which page it stands on.
    pub pages: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let analyzed = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            key: builder.add_text_field("key", STRING | STORED),
            source: builder.add_text_field("source", STRING | STORED),
            id: builder.add_text_field("id", STORED),
            title: builder.add_text_field("title", analyzed(true)),
            body: builder.add_text_field("body", analyzed(true)),
            authors: builder.add_text_field("authors", analyzed(true)),
            institutions: builder.add_text_field("institutions", analyzed(true)),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
            year: builder.add_u64_field("year", INDEXED | FAST | STORED),
            doc_type: builder.add_text_field("type", STRING | STORED),
            language: builder.add_text_field("language", STRING | STORED),
            origin: builder.add_text_field("origin", STORED),
            hash: builder.add_u64_field(HASH_FIELD, FAST | STORED),
            pages: builder.add_text_field("pages", STORED),
        };
        (builder.build(), fields)
    }

    /// Finds the fields in an opened index's schema.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            key: f("key")?,
            source: f("source")?,
            id: f("id")?,
            title: f("title")?,
            body: f("body")?,
            authors: f("authors")?,
            institutions: f("institutions")?,
            facets: f("facets")?,
            year: f("year")?,
            doc_type: f("type")?,
            language: f("language")?,
            origin: f("origin")?,
            hash: f(HASH_FIELD)?,
            pages: f("pages")?,
        })
    }
}

/// The root of each facet dimension.
pub(crate) mod facet {
    /// Authors.
    pub const AUTHOR: &str = "author";
    /// Institutions.
    pub const INSTITUTION: &str = "institution";
    /// Years.
    pub const YEAR: &str = "year";
}
