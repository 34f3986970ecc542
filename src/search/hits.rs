//! Running a built query: one page of hits, best first, each with its stored metadata and a
//! snippet, and the facet counts over all matches.

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::Query;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Order, Searcher, TantivyDocument, Term};

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
    /// Whether the snippets find their matches from the index's positions (an index built by
    /// integra's own analyzer, whose positions count the words of its tokenizer) rather than
    /// by analyzing each hit's text.
    pub word_positions: bool,
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
    analyzer: &mut TextAnalyzer,
    per_hit: PerHit<'_>,
    facet_names: &FacetNames,
) -> tantivy::Result<SearchResults> {
    let PerHit {
        highlight,
        word_positions,
        explain,
    } = per_hit;
    let facet_counter = FacetCounter { names: facet_names };
    let (top, total, facets) = searcher.search(
        query,
        &(top_docs(request, searcher.num_docs()), Count, facet_counter),
    )?;
    let mut hits = Vec::with_capacity(top.len());
    for ((score, _), address) in top.into_iter().take(request.limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        let positions = match word_positions {
            true => Some(term_positions(searcher, fields, address, highlight)?),
            false => None,
        };
        let mut hit = hit(&doc, fields, score, |body, pages| {
            make_passages(
                analyzer,
                body,
                pages,
                highlight,
                positions.as_deref(),
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
        suggestion: None,
        feedback: Vec::new(),
    })
}

/// Where each of `terms` stands in the body of the document at `address`: (position, index
/// of the term), sorted, from the index's postings.
fn term_positions(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
    terms: &[String],
) -> tantivy::Result<Vec<(u32, usize)>> {
    let inverted = searcher
        .segment_reader(address.segment_ord)
        .inverted_index(fields.body)?;
    let mut found = Vec::new();
    let mut buffer = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let term = Term::from_field_text(fields.body, term);
        let Some(mut postings) =
            inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
        else {
            continue;
        };
        // A posting list starts at its first document, and seeks only forward.
        if postings.doc() <= address.doc_id && postings.seek(address.doc_id) == address.doc_id {
            postings.positions(&mut buffer);
            found.extend(buffer.iter().map(|&position| (position, index)));
        }
    }
    found.sort_unstable();
    Ok(found)
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

/// The document whose key ([`Document::key`](crate::Document::key): its file's path, or
/// `path#id` for a JSON line) is `key`, as a hit with a score of 0 and the beginning of its
/// text as its passage.
pub(crate) fn document_by_key(
    searcher: &Searcher,
    fields: &Fields,
    key: &str,
    snippet_chars: usize,
) -> tantivy::Result<Option<Hit>> {
    let term = tantivy::Term::from_field_text(fields.key, key);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address)?;
    Ok(Some(hit(&doc, fields, 0.0, |body, pages| {
        let end = body
            .char_indices()
            .nth(snippet_chars)
            .map_or(body.len(), |(at, _)| at);
        let first = pages.first();
        vec![Snippet {
            text: body[..end].to_string(),
            highlights: Vec::new(),
            page: first.map(|p| p.label.clone()),
            page_number: first.map(|_| 1),
        }]
    })))
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
    use crate::{Library, MatchMode, SearchRequest};

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

    /// The passages of every hit of `queries`, in both modes and with three passages each, as
    /// found from the index's positions and as found by analyzing each hit's text.
    fn passages_both_ways(library: &Library, queries: &[String]) {
        for query in queries {
            for mode in [MatchMode::All, MatchMode::Any] {
                let request = SearchRequest::new(query.as_str()).mode(mode).passages(3);
                let shown = |word_positions| {
                    let results = library
                        .search_finding_matches(&request, word_positions)
                        .unwrap();
                    results
                        .hits
                        .iter()
                        .map(|hit| (hit.id.clone(), hit.snippets.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(shown(true), shown(false), "{query} ({mode:?})");
            }
        }
    }

    #[test]
    fn passages_from_positions_are_those_from_analysis() {
        let documents = [
            line("a", "Die Flüchtlingsintegration gelingt in den Kommunen."),
            line(
                "b",
                "Sprach- und Integrationskurse für Migrant:innen, Bürger*innen.",
            ),
            line(
                "c",
                "Kinder- und Jugendhilfe; Fluechtlinge und Geflüchtete in Kitas.",
            ),
            line(
                "d",
                "Integration, Integrationsarbeit, integrieren. Seite an Seite.",
            ),
            line("e", "Er muss Bürgerinnen- und Bürgerrechte schützen."),
        ];
        let (_dir, library) = library(&documents);
        let queries = [
            "Integration",
            "Flüchtlinge Kommunen",
            "Sprachkurse",
            "Jugendhilfe",
            "Kinderhilfe",
            "Bürger Rechte",
            "Migranten",
            "\"Integration gelingt\"",
            "Integr*",
        ];
        passages_both_ways(&library, &queries.map(String::from));
    }

    /// The same on the first 3,000 Bundestag speeches and the 60 bench queries.
    #[test]
    #[ignore = "reads ../shared/bench; cargo test --lib -- --ignored"]
    fn passages_from_positions_are_those_from_analysis_on_speeches() {
        use std::io::{BufRead, Write};
        let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("reden.jsonl");
        let mut out = std::fs::File::create(&corpus).unwrap();
        let speeches = std::fs::File::open(bench.join("bundestag-reden.jsonl.gz")).unwrap();
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(speeches));
        for line in reader.lines().take(3000) {
            writeln!(out, "{}", line.unwrap()).unwrap();
        }
        let library = Library::create(dir.path().join("index")).unwrap();
        library
            .index_corpus(&corpus, &crate::IndexOptions::default(), &mut |_| {})
            .unwrap();
        let queries: Vec<String> = std::fs::read_to_string(bench.join("queries-de.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect();
        passages_both_ways(&library, &queries);
    }
}
