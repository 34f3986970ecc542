//! Running a built query: one page of hits, best first, each with its stored metadata and a
//! snippet, and the facet counts over all matches.

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use super::facets::{FacetCounter, FacetNames, count_facets};
use super::snippet::make_passages;
use super::{Explanation, Hit, SearchRequest, SearchResults, Snippet};
use crate::corpus::Page;
use crate::index::{Fields, HASH_FIELD};

/// The collector of one page of hits, best first.
///
/// Hits with equal scores are ordered by their content hash, not by where they landed in the
/// index's segments: which segment a document goes to depends on how the indexing threads cut
/// them, so the same documents indexed twice would otherwise rank ties differently, and the
/// figures of a retrieval evaluation would move from one build of its index to the next.
///
/// Neither the page nor the hits skipped can be more than the documents the index holds, so
/// `limit` and `offset` are capped at that number: tantivy adds the two, which overflows for
/// `--limit 18446744073709551615`, and sets aside room for that many hits.
fn top_docs(
    request: &SearchRequest,
    num_docs: u64,
) -> impl Collector<Fruit = Vec<((f32, Option<u64>), DocAddress)>> {
    let num_docs = usize::try_from(num_docs).unwrap_or(usize::MAX).max(1);
    TopDocs::with_limit(request.limit.clamp(1, num_docs))
        .and_offset(request.offset.min(num_docs))
        .order_by((
            SortBySimilarityScore,
            (
                SortByStaticFastValue::<u64>::for_field(HASH_FIELD),
                Order::Asc,
            ),
        ))
}

/// What each hit carries beyond its stored fields: the terms its snippets mark and, if asked,
/// why it matched.
pub(crate) struct PerHit<'a> {
    /// The analyzed terms the snippets mark.
    pub highlight: &'a [String],
    /// Explains a hit, if the request asks for it.
    pub explain: Option<&'a dyn Fn(DocAddress) -> Explanation>,
}

/// Runs `query` for the page of hits `request` asks for, with snippets in which `highlight`'s
/// terms are marked (and explained, if asked), and counts all matches by facet.
///
/// `analyzer` cuts the snippets: it must be the chain the index was built with, so that a
/// highlight marks what matched.
pub(crate) fn search_results(
    searcher: &Searcher,
    query: &dyn Query,
    request: &SearchRequest,
    fields: &Fields,
    analyzer: &TextAnalyzer,
    per_hit: PerHit<'_>,
    facet_names: &FacetNames,
) -> tantivy::Result<SearchResults> {
    let PerHit { highlight, explain } = per_hit;
    let facet_counter = FacetCounter { names: facet_names };
    let (top, total, facets) = searcher.search(
        query,
        &(top_docs(request, searcher.num_docs()), Count, facet_counter),
    )?;
    let mut analyzer = analyzer.clone();
    let mut hits = Vec::with_capacity(top.len());
    for ((score, _), address) in top.into_iter().take(request.limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit(&doc, fields, score, |body, pages| {
            make_passages(
                &mut analyzer,
                body,
                pages,
                highlight,
                request.snippet_chars,
                request.passages.min(MAX_PASSAGES),
            )
        });
        hit.explain = explain.map(|explain| explain(address));
        hits.push(hit);
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total: total as u64,
        hits,
        facets: count_facets(&facets, request.facet_limit),
    })
}

/// The most passages a hit carries, whatever the request asks: each is cut by analyzing the
/// text around it.
const MAX_PASSAGES: usize = 100;

/// The ids and scores of the best hits for `query`, best first, without snippets or facet
/// counts.
pub(crate) fn ranked_ids(
    searcher: &Searcher,
    query: &dyn Query,
    request: &SearchRequest,
    fields: &Fields,
) -> tantivy::Result<Vec<(String, f32)>> {
    let top = searcher.search(query, &top_docs(request, searcher.num_docs()))?;
    let mut ranked = Vec::with_capacity(top.len());
    for ((score, _), address) in top.into_iter().take(request.limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        let id = doc.get_first(fields.id).and_then(|v| v.as_str());
        ranked.push((id.unwrap_or_default().to_string(), score));
    }
    Ok(ranked)
}

/// A stored document as a hit with its score, and the passages `passages` cuts from its body
/// and pages.
fn hit(
    doc: &TantivyDocument,
    fields: &Fields,
    score: f32,
    passages: impl FnOnce(&str, &[Page]) -> Vec<Snippet>,
) -> Hit {
    let text = |field| doc.get_first(field).and_then(|v| v.as_str());
    let texts = |field| {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let body = text(fields.body).unwrap_or_default();
    // An index written before a document had pages, or a page list that does not parse, gives
    // passages without pages rather than no hit.
    let pages: Vec<Page> = text(fields.pages)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let snippets = passages(body, &pages);
    Hit {
        id: text(fields.id).unwrap_or_default().to_string(),
        title: text(fields.title).map(String::from),
        authors: texts(fields.authors),
        institutions: texts(fields.institutions),
        year: doc
            .get_first(fields.year)
            .and_then(|v| v.as_u64())
            .and_then(|y| u16::try_from(y).ok()),
        doc_type: text(fields.doc_type).map(String::from),
        path: text(fields.source).unwrap_or_default().to_string(),
        score,
        snippet: snippets.first().cloned().unwrap_or_default(),
        snippets,
        explain: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::{Document, Metadata};
    use crate::{Library, SearchRequest};

    fn library(documents: &[Document]) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::create(dir.path()).unwrap();
        library.add_documents(documents).unwrap();
        (dir, library)
    }

    fn line(id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            path: "reden.jsonl".into(),
            metadata: Metadata::default(),
            text: text.into(),
            pages: Vec::new(),
        }
    }

    #[test]
    fn a_hit_carries_the_stored_metadata_and_a_highlighted_snippet() {
        let document = Document {
            metadata: Metadata {
                title: Some("Integration vor Ort".into()),
                authors: vec!["Roland Roth".into()],
                institutions: vec!["Bertelsmann Stiftung".into()],
                year: Some(2016),
                doc_type: Some("Studie".into()),
                ..Metadata::default()
            },
            ..line("roth", "Die Kommunen tragen die Integration.")
        };
        let (_dir, library) = library(&[document]);
        let results = library.search(&SearchRequest::new("Kommunen")).unwrap();
        let hit = &results.hits[0];
        assert_eq!(hit.id, "roth");
        assert_eq!(hit.title.as_deref(), Some("Integration vor Ort"));
        assert_eq!(hit.authors, ["Roland Roth"]);
        assert_eq!(hit.institutions, ["Bertelsmann Stiftung"]);
        assert_eq!(hit.year, Some(2016));
        assert_eq!(hit.doc_type.as_deref(), Some("Studie"));
        assert_eq!(hit.path, "reden.jsonl");
        assert!(hit.score > 0.0);
        assert_eq!(
            hit.snippet.render("[", "]"),
            "Die [Kommunen] tragen die Integration."
        );
        assert_eq!(results.facets.authors[0].value, "Roland Roth");
    }

    #[test]
    fn ties_rank_the_same_whatever_order_the_documents_were_added_in() {
        let one = line("planen", "Kommunen planen");
        let two = line("bauen", "Kommunen bauen");
        let request = SearchRequest::new("Kommunen");
        let ids = |documents: &[Document]| {
            let (_dir, library) = library(documents);
            let hits = library.search(&request).unwrap().hits;
            assert_eq!(hits[0].score, hits[1].score);
            hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(&[one.clone(), two.clone()]), ids(&[two, one]));
    }

    #[test]
    fn a_page_counts_every_match_but_holds_only_its_hits() {
        let documents: Vec<Document> = (0..5)
            .map(|i| {
                line(
                    &i.to_string(),
                    &format!("Kommunen {}", "und Länder ".repeat(i)),
                )
            })
            .collect();
        let (_dir, library) = library(&documents);
        let page = |offset, limit| {
            let request = SearchRequest::new("Kommunen").limit(limit);
            let request = SearchRequest { offset, ..request };
            let results = library.search(&request).unwrap();
            assert_eq!(results.total, 5);
            results.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
        };
        let all = page(0, 5);
        assert_eq!(page(1, 2), all[1..3]);
        assert!(page(0, 0).is_empty());
        assert!(page(5, 5).is_empty());
    }
}
