//! A term scored by BM25 with our own `k1` and `b`: tantivy fixes them at 1.2 and 0.75.
//!
//! The postings, field lengths and statistics (idf, average length) are tantivy's, read the
//! way its `TermQuery` reads them; only the score of a matching document is computed here. With
//! tantivy's parameters the scores are the same as its own (tested below). What it gives up is
//! tantivy's block-max pruning of a query that is nothing but terms, which integra's queries
//! (a disjunction max per word) never were.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// The two free parameters of BM25: how fast a repeated word saturates (`k1`) and how much a
/// long field is penalized (`b`, 0 none, 1 fully in proportion to its length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bm25Params {
    pub k1: Score,
    pub b: Score,
}

impl Bm25Params {
    /// Tantivy's (and Lucene's) parameters.
    pub const TANTIVY: Bm25Params = Bm25Params { k1: 1.2, b: 0.75 };
}

/// One term in one field, scored by BM25 with the given parameters.
#[derive(Debug, Clone)]
pub(crate) struct Bm25TermQuery {
    term: Term,
    params: Bm25Params,
}

impl Bm25TermQuery {
    pub fn new(term: Term, params: Bm25Params) -> Bm25TermQuery {
        Bm25TermQuery { term, params }
    }
}

impl Query for Bm25TermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = TermQuery::new(self.term.clone(), IndexRecordOption::WithFreqs);
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = enable_scoring
        else {
            return inner.weight(enable_scoring);
        };
        let (idf, average_length) = statistics(statistics_provider, &self.term)?;
        let Bm25Params { k1, b } = self.params;
        // The length part of the denominator for each of tantivy's 256 field length codes.
        let norms = (0..=255u8)
            .map(|id| {
                let length = FieldNormReader::id_to_fieldnorm(id) as Score;
                k1 * (1.0 - b + b * length / average_length)
            })
            .collect();
        Ok(Box::new(Bm25TermWeight {
            term: self.term.clone(),
            weight: idf * (1.0 + k1),
            norms,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

/// The term's idf and the average length of its field, as tantivy computes them.
fn statistics(provider: &dyn Bm25StatisticsProvider, term: &Term) -> tantivy::Result<(f32, f32)> {
    let docs = provider.total_num_docs()?;
    let tokens = provider.total_num_tokens(term.field())?;
    let doc_freq = provider.doc_freq(term)?.min(docs);
    let idf = (1.0 + ((docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5)).ln();
    let average_length = if docs == 0 {
        1.0
    } else {
        (tokens as Score / docs as Score).max(f32::MIN_POSITIVE)
    };
    Ok((idf, average_length))
}

struct Bm25TermWeight {
    term: Term,
    weight: Score,
    norms: Vec<Score>,
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let field = self.term.field();
        let postings = reader
            .inverted_index(field)?
            .read_postings(&self.term, IndexRecordOption::WithFreqs)?;
        let Some(postings) = postings else {
            return Ok(Box::new(EmptyScorer));
        };
        Ok(Box::new(Bm25Scorer {
            postings,
            lengths: reader.get_fieldnorms_reader(field)?,
            weight: self.weight * boost,
            norms: self.norms.clone(),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match {:?}",
                self.term
            )));
        }
        Ok(Explanation::new("bm25", scorer.score()))
    }
}

struct Bm25Scorer {
    postings: SegmentPostings,
    lengths: FieldNormReader,
    weight: Score,
    norms: Vec<Score>,
}

impl DocSet for Bm25Scorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for Bm25Scorer {
    fn score(&mut self) -> Score {
        let freq = self.postings.term_freq() as Score;
        let norm = self.norms[self.lengths.fieldnorm_id(self.postings.doc()) as usize];
        self.weight * freq / (freq + norm)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    fn graf_scores(params: Bm25Params) -> (Vec<(Score, Score)>, Vec<Score>) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in [
            "graf",
            "graf graf graf von melfi",
            "der graf kam spät nach hause und schlief",
            "nichts",
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_text(body, "graf");
        let ours = Bm25TermQuery::new(term.clone(), params);
        let theirs = TermQuery::new(term, IndexRecordOption::WithFreqs);
        let top = |query: &dyn Query| {
            let mut hits = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            hits.sort_by_key(|(_, address)| address.doc_id);
            hits.into_iter().map(|(score, _)| score).collect::<Vec<_>>()
        };
        let ours = top(&ours);
        let theirs = top(&theirs);
        (ours.iter().copied().zip(theirs).collect(), ours)
    }

    #[test]
    fn equals_tantivy_with_its_parameters() {
        let (pairs, _) = graf_scores(Bm25Params::TANTIVY);
        assert_eq!(pairs.len(), 3);
        for (ours, theirs) in pairs {
            assert!((ours - theirs).abs() < 1e-5, "{ours} != {theirs}");
        }
    }

    #[test]
    fn ignores_length_with_b_zero_and_frequency_with_small_k1() {
        // b = 0: one "graf" scores the same in a short and in a long text.
        let (_, scores) = graf_scores(Bm25Params { k1: 1.2, b: 0.0 });
        assert!((scores[0] - scores[2]).abs() < 1e-6, "{scores:?}");
        assert!(scores[1] > scores[0]);
        // k1 near 0: the frequency hardly matters.
        let (_, scores) = graf_scores(Bm25Params { k1: 0.001, b: 0.0 });
        assert!((scores[1] - scores[0]).abs() < 1e-3, "{scores:?}");
    }
}
