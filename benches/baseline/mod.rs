//! The baseline of the search bench: plain tantivy with its own German stemmer, answering what
//! `Library::search` answers: the top 10, a snippet of each from tantivy's `SnippetGenerator`,
//! the count of all matches, and the 10 most frequent values of the three facets (author,
//! institution, year) over all matches, by a terms aggregation over fast fields. The index is
//! built from the same JSON Lines file as integra's, once, under `target/bench-indexes/`.

use std::io::{BufRead, BufReader};
use std::ops::Bound;
use std::path::Path;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument,
    TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer};
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

/// The filters a query class may add: one institution and a range of years.
#[derive(Clone, Copy, Default)]
pub struct Filters<'a> {
    pub institution: Option<&'a str>,
    pub years: Option<(u64, u64)>,
}

/// A tantivy index of the speeches, opened for searching.
pub struct Baseline {
    index: Index,
    reader: IndexReader,
    text: Field,
    institution: Field,
    year: Field,
}

/// What a baseline search found: the count and the snippets' total length (so the work is used).
pub struct Found {
    pub total: usize,
    pub snippet_bytes: usize,
}

fn schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED);
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("de")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("title", text.clone());
    builder.add_text_field("text", text);
    builder.add_text_field("author", STRING | FAST);
    builder.add_text_field("institution", STRING | FAST);
    builder.add_u64_field("year", INDEXED | FAST);
    builder.build()
}

fn register_tokenizer(index: &Index) {
    let german = tantivy::tokenizer::TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::German))
        .build();
    index.tokenizers().register("de", german);
}

impl Baseline {
    /// Opens the baseline index in `dir`, building it from `corpus` (JSON Lines, gzipped) first
    /// if it is not there.
    pub fn open_or_build(dir: &Path, corpus: &Path) -> Baseline {
        let built = dir.join("meta.json").is_file();
        let index = if built {
            Index::open_in_dir(dir).expect("the baseline index opens")
        } else {
            std::fs::create_dir_all(dir).expect("the baseline folder is made");
            Index::create_in_dir(dir, schema()).expect("the baseline index is created")
        };
        register_tokenizer(&index);
        let schema = index.schema();
        let field = |name| schema.get_field(name).expect("the field is in the schema");
        if !built {
            let mut writer = index
                .writer_with_num_threads::<TantivyDocument>(2, 400 << 20)
                .expect("a writer");
            let file = std::fs::File::open(corpus).expect("the corpus opens");
            let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
            for line in reader.lines() {
                let line = line.expect("the corpus reads");
                let value: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
                let mut doc = TantivyDocument::default();
                for name in ["id", "title", "text"] {
                    doc.add_text(field(name), value[name].as_str().unwrap_or_default());
                }
                for (name, key) in [("author", "authors"), ("institution", "institutions")] {
                    for v in value[key].as_array().into_iter().flatten() {
                        doc.add_text(field(name), v.as_str().unwrap_or_default());
                    }
                }
                if let Some(year) = value["year"].as_u64() {
                    doc.add_u64(field("year"), year);
                }
                writer.add_document(doc).expect("the document is added");
            }
            writer.commit().expect("the baseline commits");
            writer.wait_merging_threads().expect("merges end");
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .expect("a reader");
        Baseline {
            text: field("text"),
            institution: field("institution"),
            year: field("year"),
            index,
            reader,
        }
    }

    /// Searches `query` (all words or any word), with `filters`, as the module says.
    pub fn search(&self, query: &str, all_words: bool, filters: Filters) -> Found {
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![self.text]);
        if all_words {
            parser.set_conjunction_by_default();
        }
        let (parsed, _errors) = parser.parse_query_lenient(query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parsed)];
        if let Some(institution) = filters.institution {
            let term = Term::from_field_text(self.institution, institution);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let Some((from, to)) = filters.years {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(self.year, from)),
                    Bound::Included(Term::from_field_u64(self.year, to)),
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let aggregations: Aggregations = serde_json::from_value(serde_json::json!({
            "author": {"terms": {"field": "author", "size": 10}},
            "institution": {"terms": {"field": "institution", "size": 10}},
            "year": {"terms": {"field": "year", "size": 10}},
        }))
        .expect("the aggregation request parses");
        let facets = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
        let (top, total, counts) = searcher
            .search(
                &query,
                &(TopDocs::with_limit(10).order_by_score(), Count, facets),
            )
            .expect("the baseline searches");
        std::hint::black_box(counts);
        let mut snippets =
            SnippetGenerator::create(&searcher, &query, self.text).expect("a snippet generator");
        snippets.set_max_num_chars(240);
        let mut snippet_bytes = 0;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).expect("a stored document");
            snippet_bytes += snippets.snippet_from_doc(&doc).to_html().len();
        }
        Found {
            total,
            snippet_bytes,
        }
    }
}
