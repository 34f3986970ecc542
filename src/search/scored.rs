//! The documents a query matched and their scores, kept to be searched again: feedback runs
//! the query once to find its first hits, then the query with the terms those hits gave it.
//! Evaluating the query a second time (its words over four fields, their related words, the
//! proximity phrases) would cost as much as the first; reading back the scores it gave costs a
//! pass over a list.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{
    DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, TantivyError,
};

/// Every document a query matches with its score, by segment, documents in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scores {
    segments: FxHashMap<SegmentId, Segment>,
}

/// The matches of one segment: its ordinal in the searcher that found them, and the documents
/// in order with their scores.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    ordinal: SegmentOrdinal,
    docs: Arc<[(DocId, Score)]>,
}

impl Scores {
    /// The `n` best documents, best first; of equal scores the earlier document first.
    pub fn top(&self, n: usize) -> Vec<(Score, DocAddress)> {
        let mut all: Vec<(Score, DocAddress)> = self
            .segments
            .values()
            .flat_map(|segment| {
                segment
                    .docs
                    .iter()
                    .map(|&(doc, score)| (score, DocAddress::new(segment.ordinal, doc)))
            })
            .collect();
        let order = |a: &(Score, DocAddress), b: &(Score, DocAddress)| {
            b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
        };
        if all.len() > n {
            all.select_nth_unstable_by(n, order);
            all.truncate(n);
        }
        all.sort_unstable_by(order);
        all
    }

    /// A query matching the same documents with the same scores.
    pub fn query(&self) -> ScoredDocs {
        ScoredDocs {
            scores: self.clone(),
        }
    }
}

/// Collects [`Scores`].
pub(crate) struct ScoresCollector;

impl Collector for ScoresCollector {
    type Fruit = Scores;
    type Child = SegmentScores;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentScores> {
        Ok(SegmentScores {
            id: reader.segment_id(),
            ordinal,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<(SegmentId, Segment)>) -> tantivy::Result<Scores> {
        Ok(Scores {
            segments: segments.into_iter().collect(),
        })
    }
}

/// Collects the scores of one segment.
pub(crate) struct SegmentScores {
    id: SegmentId,
    ordinal: SegmentOrdinal,
    docs: Vec<(DocId, Score)>,
}

impl SegmentCollector for SegmentScores {
    type Fruit = (SegmentId, Segment);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.docs.push((doc, score));
    }

    fn harvest(mut self) -> (SegmentId, Segment) {
        // Collectors get a segment's documents in order; sorting keeps that a fact here.
        if !self.docs.is_sorted_by_key(|&(doc, _)| doc) {
            self.docs.sort_unstable_by_key(|&(doc, _)| doc);
        }
        let segment = Segment {
            ordinal: self.ordinal,
            docs: self.docs.into(),
        };
        (self.id, segment)
    }
}

/// A query that matches the documents of [`Scores`] with their scores.
#[derive(Debug, Clone)]
pub(crate) struct ScoredDocs {
    scores: Scores,
}

impl Query for ScoredDocs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for ScoredDocs {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self
            .scores
            .segments
            .get(&reader.segment_id())
            .map_or_else(|| Arc::from(Vec::new()), |segment| segment.docs.clone());
        Ok(Box::new(ScoredDocsScorer { docs, at: 0, boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} was not matched"
            )));
        }
        Ok(Explanation::new("scored before", scorer.score()))
    }
}

/// Walks the scored documents of one segment.
struct ScoredDocsScorer {
    docs: Arc<[(DocId, Score)]>,
    at: usize,
    boost: Score,
}

impl DocSet for ScoredDocsScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            let rest = &self.docs[self.at..];
            self.at += rest.partition_point(|&(doc, _)| doc < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}

impl Scorer for ScoredDocsScorer {
    fn score(&mut self) -> Score {
        self.docs.get(self.at).map_or(0.0, |&(_, score)| score) * self.boost
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    #[test]
    fn scored_docs_match_and_score_as_the_query_did() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Two segments, with a deleted document in the first.
        for texts in [
            ["kita kita dorf", "kita", "stadt", "kita land"],
            ["land", "kita stadt", "dorf", "x"],
        ] {
            for text in texts {
                let mut doc = TantivyDocument::default();
                doc.add_text(body, text);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(tantivy::Term::from_field_text(body, "land"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = QueryParser::for_index(&index, vec![body])
            .parse_query("kita dorf")
            .unwrap();
        let scores = searcher.search(&query, &ScoresCollector).unwrap();
        let direct = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let again = searcher
            .search(&scores.query(), &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        assert_eq!(direct.len(), 4);
        assert_eq!(again, direct);
        assert_eq!(scores.top(2), direct[..2]);
        assert_eq!(
            searcher
                .search(&scores.query(), &tantivy::collector::Count)
                .unwrap(),
            4
        );
    }
}
