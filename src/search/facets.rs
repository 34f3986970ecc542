//! Facet counts (author, institution, year) over all matching documents, and filters on them.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::collector::{FacetCollector, FacetCounts as TantivyFacetCounts};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::{FacetCounts, FacetValue, SearchRequest};
use crate::index::{Fields, facet};

/// A collector counting the three facet dimensions.
pub(crate) fn facet_collector() -> FacetCollector {
    let mut collector = FacetCollector::for_field("facets");
    for root in [facet::AUTHOR, facet::INSTITUTION, facet::YEAR] {
        collector.add_facet(Facet::from_path([root]));
    }
    collector
}

fn values(counts: &TantivyFacetCounts, root: &str) -> Vec<FacetValue> {
    counts
        .get(Facet::from_path([root]))
        .filter_map(|(facet, count)| {
            let value = facet.to_path().last()?.to_string();
            Some(FacetValue { value, count })
        })
        .collect()
}

/// Turns tantivy's counts into ours: names by count (then name), years newest first, each cut
/// to `limit` values unless it is 0.
pub(crate) fn count_facets(counts: &TantivyFacetCounts, limit: usize) -> FacetCounts {
    let by_count = |mut v: Vec<FacetValue>| {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        if limit > 0 {
            v.truncate(limit);
        }
        v
    };
    let mut years = values(counts, facet::YEAR);
    years.sort_by(|a, b| {
        let year = |v: &FacetValue| v.value.parse::<u32>().unwrap_or(0);
        year(b).cmp(&year(a))
    });
    if limit > 0 {
        years.truncate(limit);
    }
    FacetCounts {
        authors: by_count(values(counts, facet::AUTHOR)),
        institutions: by_count(values(counts, facet::INSTITUTION)),
        years,
    }
}

/// Counts every document of the index by author, institution and year, with all values of each.
pub(crate) fn count_all(searcher: &Searcher) -> tantivy::Result<FacetCounts> {
    let counts = searcher.search(&AllQuery, &facet_collector())?;
    Ok(count_facets(&counts, 0))
}

/// The filters of a request, resolved against the values the index holds.
pub(crate) struct FacetFilters {
    /// One entry per filtered dimension; a document must match one query of each.
    dimensions: Vec<Vec<Box<dyn Query>>>,
}

/// All values of a facet dimension in the index.
fn facet_values(searcher: &Searcher, fields: &Fields, root: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let prefix = Facet::from_path([root]);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.facets) else {
            continue;
        };
        let Ok(mut terms) = inverted.terms().stream() else {
            continue;
        };
        while terms.advance() {
            let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
                continue;
            };
            if prefix.is_prefix_of(&facet)
                && let [_, value] = facet.to_path()[..]
            {
                found.insert(value.to_string());
            }
        }
    }
    found
}

/// The index values a user's filter value stands for: those equal to it without regard to
/// case, or else those that contain it ("Bertelsmann" for "Bertelsmann Stiftung").
fn resolve(wanted: &str, available: &BTreeSet<String>) -> Vec<String> {
    let wanted = wanted.trim().to_lowercase();
    let equal: Vec<String> = available
        .iter()
        .filter(|v| v.to_lowercase() == wanted)
        .cloned()
        .collect();
    if !equal.is_empty() {
        return equal;
    }
    available
        .iter()
        .filter(|v| v.to_lowercase().contains(&wanted))
        .cloned()
        .collect()
}

impl FacetFilters {
    /// Resolves the filters of `request`.
    pub fn new(searcher: &Searcher, fields: &Fields, request: &SearchRequest) -> FacetFilters {
        let mut dimensions = Vec::new();
        for (root, wanted) in [
            (facet::AUTHOR, &request.authors),
            (facet::INSTITUTION, &request.institutions),
        ] {
            if wanted.is_empty() {
                continue;
            }
            let available = facet_values(searcher, fields, root);
            let queries: Vec<Box<dyn Query>> = wanted
                .iter()
                .flat_map(|w| resolve(w, &available))
                .map(|value| {
                    let term = Term::from_facet(fields.facets, &Facet::from_path([root, &value]));
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect();
            dimensions.push(queries);
        }
        if !request.years.is_empty() {
            dimensions.push(
                request
                    .years
                    .iter()
                    .map(|range| {
                        let term = |y: u16| Term::from_field_u64(fields.year, u64::from(y));
                        Box::new(RangeQuery::new(
                            Bound::Included(term(range.from)),
                            Bound::Included(term(range.to)),
                        )) as Box<dyn Query>
                    })
                    .collect(),
            );
        }
        FacetFilters { dimensions }
    }

    /// Restricts `query` to the documents that pass every filter, without changing scores.
    pub fn apply(self, query: Box<dyn Query>) -> Box<dyn Query> {
        if self.dimensions.is_empty() {
            return query;
        }
        let mut clauses = vec![(Occur::Must, query)];
        for alternatives in self.dimensions {
            let any: Box<dyn Query> = Box::new(BooleanQuery::new(
                alternatives
                    .into_iter()
                    .map(|q| (Occur::Should, q))
                    .collect(),
            ));
            // A filter that resolved to no value is an empty Should list, which matches
            // nothing: the user asked for an author the index does not have.
            clauses.push((
                Occur::Must,
                Box::new(tantivy::query::ConstScoreQuery::new(any, 0.0)),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_filter_values_by_case_then_substring() {
        let available: BTreeSet<String> = ["Bertelsmann Stiftung", "Friedrich-Ebert-Stiftung"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            resolve("bertelsmann stiftung", &available),
            ["Bertelsmann Stiftung"]
        );
        assert_eq!(resolve("Stiftung", &available).len(), 2);
        assert!(resolve("DESI", &available).is_empty());
    }
}
