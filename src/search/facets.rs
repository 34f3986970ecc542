//! Facet counts (author, institution, year) over all matching documents, and filters on them.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::{FacetCounts, FacetValue, SearchRequest};
use crate::index::{Fields, facet};

/// Counts of the matching documents by facet (`/author/…`, `/institution/…`, `/year/…`), each
/// facet by its encoded bytes (the root and the value, separated by a zero byte), shared with
/// the table of [`FacetNames`] so that naming a counted facet allocates nothing.
pub(crate) type FacetTally = FxHashMap<Arc<[u8]>, u64>;

/// A collector counting the matching documents by every facet they have.
///
/// Per segment it counts the facet ordinals of the matching documents, then names the ones
/// with a count from [`FacetNames`], which reads each segment's facet dictionary once.
/// tantivy's `FacetCollector` instead looks up each counted ordinal on its own, and each lookup
/// decompresses a block of the dictionary with a new decompressor (tantivy issue #2475): with a
/// speaker and a party on every speech, that was most of the time of a search.
pub(crate) struct FacetCounter<'a> {
    /// The facets of each segment by ordinal.
    pub names: &'a FacetNames,
}

/// The facets of each segment, by ordinal, read from the segment's facet dictionary the first
/// time a search counts in it and kept while the library is open: a segment never changes,
/// and reading a dictionary means decompressing its blocks. With them, once searches have read
/// the facets of as many documents as the segment holds, every document's facets in a table
/// ([`DocFacets`]).
#[derive(Debug, Default)]
pub(crate) struct FacetNames {
    by_segment: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

/// The encoded facets of one segment, by ordinal.
type Names = Arc<[Arc<[u8]>]>;

/// What is kept of one segment's facets.
#[derive(Debug)]
pub(crate) struct SegmentFacets {
    names: Names,
    /// How many documents' facets searches have read from the segment's facet column.
    read: AtomicU64,
    /// Every document's facets, made once `read` reaches the number of documents.
    table: OnceLock<DocFacets>,
}

/// The facet ordinals of every document of a segment, one document after the other: those of
/// document `d` are `ords[starts[d]..starts[d + 1]]`.
///
/// Reading a document's facets from tantivy's column decodes its row range and then each value
/// from bit-packed blocks; a search of any word counts the facets of tens of thousands of
/// documents, and that decoding was a sixth of its time. Two slices read instead. The table
/// costs one pass over the segment and four bytes a facet and a document (1 MB for the 63,130
/// speeches), so it is made only once searches have read as many documents' facets from the
/// column as the pass reads: a library that searches once, such as `integra search`, never
/// pays for it, and one that keeps searching pays at most twice what reading the column would
/// have cost it until then.
#[derive(Debug)]
struct DocFacets {
    starts: Vec<u32>,
    ords: Vec<u32>,
}

impl DocFacets {
    fn read(facets: &FacetReader, documents: DocId) -> DocFacets {
        let mut starts = Vec::with_capacity(documents as usize + 1);
        let mut ords = Vec::new();
        for doc in 0..documents {
            starts.push(ords.len() as u32);
            ords.extend(facets.facet_ords(doc).map(|ord| ord as u32));
        }
        starts.push(ords.len() as u32);
        DocFacets { starts, ords }
    }

    fn of(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&from), Some(&to)) => &self.ords[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// How many segments' facets are kept; merges retire segments, so the table starts afresh
/// when it is full.
const KEPT_SEGMENTS: usize = 256;

impl FacetNames {
    /// The facets of the segment `reader` reads.
    fn of(
        &self,
        reader: &SegmentReader,
        facets: &FacetReader,
    ) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        let kept = self
            .by_segment
            .lock()
            .ok()
            .and_then(|segments| segments.get(&id).cloned());
        if let Some(names) = kept {
            return Ok(names);
        }
        let mut names = Vec::with_capacity(facets.num_facets());
        let mut terms = facets.facet_dict().stream()?;
        while terms.advance() {
            names.push(Arc::from(terms.key()));
        }
        let kept = Arc::new(SegmentFacets {
            names: names.into(),
            read: AtomicU64::new(0),
            table: OnceLock::new(),
        });
        if let Ok(mut segments) = self.by_segment.lock() {
            if segments.len() >= KEPT_SEGMENTS {
                segments.clear();
            }
            segments.insert(id, Arc::clone(&kept));
        }
        Ok(kept)
    }
}

/// A segment's share of [`FacetCounter`]'s work.
pub(crate) struct SegmentFacetCounter {
    facets: FacetReader,
    segment: Arc<SegmentFacets>,
    documents: DocId,
    /// How many documents' facets this search read from the column.
    read: u64,
    counts: Vec<u32>,
    /// The ordinals counted at least once, in the order first met: harvesting walks these, so
    /// it costs what the matches hold, not every facet of the segment.
    counted: Vec<u32>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = FacetTally;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let facets = reader.facet_reader(FACET_FIELD)?;
        let segment = self.names.of(reader, &facets)?;
        let counts = vec![0; facets.num_facets()];
        Ok(SegmentFacetCounter {
            facets,
            segment,
            documents: reader.max_doc(),
            read: 0,
            counts,
            counted: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetTally>) -> tantivy::Result<FacetTally> {
        let mut fruits = fruits.into_iter();
        let mut total = fruits.next().unwrap_or_default();
        for fruit in fruits {
            for (facet, count) in fruit {
                *total.entry(facet).or_insert(0) += count;
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetTally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let SegmentFacetCounter {
            facets,
            segment,
            read,
            counts,
            counted,
            ..
        } = self;
        let mut count = |ord: u32| {
            if let Some(count) = counts.get_mut(ord as usize) {
                if *count == 0 {
                    counted.push(ord);
                }
                *count += 1;
            }
        };
        match segment.table.get() {
            Some(table) => table.of(doc).iter().for_each(|&ord| count(ord)),
            None => {
                *read += 1;
                facets.facet_ords(doc).for_each(|ord| count(ord as u32));
            }
        }
    }

    fn harvest(self) -> FacetTally {
        if self.read > 0 {
            let read = self
                .segment
                .read
                .fetch_add(self.read, AtomicOrdering::Relaxed)
                + self.read;
            if read >= u64::from(self.documents) {
                self.segment
                    .table
                    .get_or_init(|| DocFacets::read(&self.facets, self.documents));
            }
        }
        let names = &self.segment.names;
        self.counted
            .iter()
            .filter_map(|&ord| {
                let name = names.get(ord as usize)?;
                Some((Arc::clone(name), u64::from(self.counts[ord as usize])))
            })
            .collect()
    }
}

/// The root and value of an encoded facet of integra's (`author` and `Roland Roth`).
fn root_and_value(encoded: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(encoded).ok()?;
    text.split_once(FACET_SEPARATOR)
}

/// What tantivy puts between the parts of a facet path in its encoded form.
const FACET_SEPARATOR: char = '\0';

/// The name of the facet field.
const FACET_FIELD: &str = "facets";

/// Turns the counts into ours: names by count (then name), years newest first, each cut to
/// `limit` values unless it is 0.
pub(crate) fn count_facets(tally: &FacetTally, limit: usize) -> FacetCounts {
    let (mut authors, mut institutions, mut years) = (Vec::new(), Vec::new(), Vec::new());
    for (encoded, &count) in tally {
        let Some((root, value)) = root_and_value(encoded) else {
            continue;
        };
        let dimension = match root {
            facet::AUTHOR => &mut authors,
            facet::INSTITUTION => &mut institutions,
            facet::YEAR => &mut years,
            _ => continue,
        };
        dimension.push((value, count));
    }
    // Only the values shown are sorted and named: with many matches a dimension has many
    // values (every speaker), and a page shows ten.
    let top = |mut values: Vec<(&str, u64)>, order: &Order<'_>| {
        if limit > 0 && values.len() > limit {
            values.select_nth_unstable_by(limit - 1, order);
            values.truncate(limit);
        }
        values.sort_unstable_by(order);
        values
            .into_iter()
            .map(|(value, count)| FacetValue {
                value: value.to_string(),
                count,
            })
            .collect()
    };
    let by_count = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    let year = |v: &(&str, u64)| v.0.parse::<u32>().unwrap_or(0);
    let newest_first = |a: &(&str, u64), b: &(&str, u64)| year(b).cmp(&year(a)).then(a.0.cmp(b.0));
    FacetCounts {
        authors: top(authors, &by_count),
        institutions: top(institutions, &by_count),
        years: top(years, &newest_first),
    }
}

/// An order of counted values (value, count).
type Order<'a> = dyn Fn(&(&str, u64), &(&str, u64)) -> Ordering + 'a;

/// Counts every document of the index by author, institution and year, with all values of each.
pub(crate) fn count_all(searcher: &Searcher) -> tantivy::Result<FacetCounts> {
    let names = FacetNames::default();
    let counts = searcher.search(&AllQuery, &FacetCounter { names: &names })?;
    Ok(count_facets(&counts, 0))
}

/// The filters of a request, resolved against the values the index holds.
pub(crate) struct FacetFilters {
    /// One entry per filtered dimension; a document must match one query of each.
    dimensions: Vec<Vec<Box<dyn Query>>>,
}

/// The values under `root` (`author`, `institution`) that documents of the index have, from
/// the facets kept in `names`.
fn facet_values(
    searcher: &Searcher,
    names: &FacetNames,
    root: &str,
) -> tantivy::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let facets = segment.facet_reader(FACET_FIELD)?;
        for name in names.of(segment, &facets)?.names.iter() {
            if let Some((r, value)) = root_and_value(name)
                && r == root
            {
                found.insert(value.to_string());
            }
        }
    }
    Ok(found)
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
    pub fn new(
        searcher: &Searcher,
        fields: &Fields,
        names: &FacetNames,
        request: &SearchRequest,
    ) -> tantivy::Result<FacetFilters> {
        let mut dimensions = Vec::new();
        for (root, wanted) in [
            (facet::AUTHOR, &request.authors),
            (facet::INSTITUTION, &request.institutions),
        ] {
            if wanted.is_empty() {
                continue;
            }
            let available = facet_values(searcher, names, root)?;
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
        Ok(FacetFilters { dimensions })
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

    /// Counts of tantivy's own `FacetCollector`, as ours would give them.
    fn tantivy_counts(searcher: &Searcher, query: &dyn Query) -> FacetTally {
        let mut collector = tantivy::collector::FacetCollector::for_field(FACET_FIELD);
        for root in [facet::AUTHOR, facet::INSTITUTION, facet::YEAR] {
            collector.add_facet(Facet::from_path([root]));
        }
        let counts = searcher.search(query, &collector).unwrap();
        let mut tally = FacetTally::default();
        for root in [facet::AUTHOR, facet::INSTITUTION, facet::YEAR] {
            for (facet, count) in counts.get(Facet::from_path([root])) {
                tally.insert(Arc::from(facet.encoded_str().as_bytes()), count);
            }
        }
        tally
    }

    #[test]
    fn counts_as_tantivys_facet_collector_does() {
        use crate::corpus::{Document, Metadata};
        use crate::index::{ram_index, to_tantivy};
        let (index, fields) = ram_index();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // 600 documents over three segments: 97 authors, 7 institutions, 11 years, some with
        // none, some with two authors.
        for n in 0..600u32 {
            let mut authors = vec![format!("Autorin {}", n % 97)];
            if n % 5 == 0 {
                authors.push(format!("Autor {}", n % 13));
            }
            let document = Document {
                id: n.to_string(),
                path: format!("reden/{n}.txt"),
                metadata: Metadata {
                    authors: if n % 17 == 0 { Vec::new() } else { authors },
                    institutions: vec![format!("Fraktion {}", n % 7)],
                    year: (n % 19 != 0).then_some(2010 + (n % 11) as u16),
                    ..Metadata::default()
                },
                text: format!(
                    "Rede {n} über Kommunen und {}",
                    ["Kitas", "Schulen", "Wohnraum"][n as usize % 3]
                ),
                pages: Vec::new(),
            };
            writer.add_document(to_tantivy(&fields, &document)).unwrap();
            if n % 200 == 199 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let kitas = TermQuery::new(
            Term::from_field_text(fields.body, "kita"),
            IndexRecordOption::Basic,
        );
        let nothing = TermQuery::new(
            Term::from_field_text(fields.body, "nirgendwo"),
            IndexRecordOption::Basic,
        );
        let queries: [&dyn Query; 3] = [&AllQuery, &kitas, &nothing];
        let names = FacetNames::default();
        let count = |query: &dyn Query| {
            let ours = searcher
                .search(query, &FacetCounter { names: &names })
                .unwrap();
            assert_eq!(ours, tantivy_counts(&searcher, query), "{query:?}");
        };
        let tables = || {
            let segments = names.by_segment.lock().unwrap();
            segments
                .values()
                .filter(|s| s.table.get().is_some())
                .count()
        };
        // "kitas" is in a third of the documents of each segment: after two searches two
        // thirds of the segments' documents were read from the column, and no table is made;
        // after four, more than all of them, and each segment has its table.
        for _ in 0..2 {
            count(&nothing);
            count(&kitas);
        }
        assert_eq!(tables(), 0);
        count(&kitas);
        count(&kitas);
        assert_eq!(tables(), searcher.segment_readers().len());
        // Counted from the tables, the counts are the same.
        for query in queries {
            count(query);
        }
        let all = count_facets(
            &searcher
                .search(&AllQuery, &FacetCounter { names: &names })
                .unwrap(),
            0,
        );
        assert_eq!(all.authors.len(), 97 + 13);
        assert_eq!(all.institutions.iter().map(|v| v.count).sum::<u64>(), 600);
        assert_eq!(all.years.len(), 11);
    }
}
