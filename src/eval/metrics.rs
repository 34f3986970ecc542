//! Relevance judgements and the ranking measures computed from them: MRR@k, Recall@k, nDCG@k.
//!
//! The definitions are those of `trec_eval`: the gain of a document is its judged relevance
//! (linear), the discount of rank `i` (1-based) is `log2(i + 1)`, and queries without a
//! relevant document are left out of the means.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Relevance judgements: for each query id, the relevant documents and how relevant each is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qrels {
    judgements: BTreeMap<String, BTreeMap<String, u32>>,
}

impl Qrels {
    /// Reads a TREC qrels file: `qid iteration docid relevance` a line, separated by blanks.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read, [`Error::Document`] naming the line if one is
    /// malformed.
    pub fn read(path: &Path) -> Result<Qrels> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text, path)
    }

    /// Parses the text of a TREC qrels file; `path` names it in errors.
    ///
    /// # Errors
    /// [`Error::Document`] naming the line if one does not have four fields or its relevance
    /// is not a whole number.
    pub fn parse(text: &str, path: &Path) -> Result<Qrels> {
        let mut qrels = Qrels::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| Error::Document {
                path: path.to_path_buf(),
                line: Some(i + 1),
                reason,
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [qid, _, docid, relevance] = fields[..] else {
                return Err(bad(format!(
                    "expected 'qid iteration docid relevance', found {} fields",
                    fields.len()
                )));
            };
            // Negative judgements (some collections mark "judged, not relevant" with -1)
            // count as not relevant.
            let relevance: i64 = relevance
                .parse()
                .map_err(|_| bad(format!("relevance '{relevance}' is not a whole number")))?;
            let relevance = u32::try_from(relevance.max(0)).unwrap_or(u32::MAX);
            qrels
                .judgements
                .entry(qid.to_string())
                .or_default()
                .insert(docid.to_string(), relevance);
        }
        Ok(qrels)
    }

    /// Adds a judgement.
    pub fn insert(&mut self, qid: &str, docid: &str, relevance: u32) {
        self.judgements
            .entry(qid.to_string())
            .or_default()
            .insert(docid.to_string(), relevance);
    }

    /// The judged documents of a query and their relevance.
    pub fn judged(&self, qid: &str) -> Option<&BTreeMap<String, u32>> {
        self.judgements.get(qid)
    }

    /// Whether a query has at least one relevant document, and so counts in the means.
    pub fn has_relevant(&self, qid: &str) -> bool {
        self.judged(qid)
            .is_some_and(|docs| docs.values().any(|&rel| rel > 0))
    }

    /// How many queries have judgements.
    pub fn len(&self) -> usize {
        self.judgements.len()
    }

    /// Whether there are no judgements.
    pub fn is_empty(&self) -> bool {
        self.judgements.is_empty()
    }
}

/// The measures of one ranking against the judgements of its query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryScores {
    /// 1 / rank of the first relevant document within the first k, or 0.
    pub reciprocal_rank: f64,
    /// The share of the relevant documents found within the first k.
    pub recall: f64,
    /// Discounted cumulative gain of the first k, over that of the ideal ranking.
    pub ndcg: f64,
    /// The 1-based rank of the first relevant document in the whole ranking, if any.
    pub first_relevant: Option<usize>,
}

/// Scores `ranking` (document ids, best first) against `judged` at cut-off `k`.
///
/// A document that appears twice counts once, at its first rank.
pub fn score_ranking(ranking: &[String], judged: &BTreeMap<String, u32>, k: usize) -> QueryScores {
    let relevant = judged.values().filter(|&&rel| rel > 0).count();
    if relevant == 0 {
        return QueryScores::default();
    }
    let mut seen = HashSet::new();
    let mut scores = QueryScores::default();
    let mut dcg = 0.0;
    let mut found = 0;
    let mut rank = 0;
    for id in ranking {
        if !seen.insert(id.as_str()) {
            continue;
        }
        rank += 1;
        let rel = judged.get(id).copied().unwrap_or(0);
        if rel == 0 {
            continue;
        }
        scores.first_relevant.get_or_insert(rank);
        if rank <= k {
            if scores.reciprocal_rank == 0.0 {
                scores.reciprocal_rank = 1.0 / rank as f64;
            }
            found += 1;
            dcg += f64::from(rel) / (rank as f64 + 1.0).log2();
        }
    }
    let mut ideal: Vec<u32> = judged.values().copied().filter(|&rel| rel > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &rel)| f64::from(rel) / (i as f64 + 2.0).log2())
        .sum();
    scores.recall = f64::from(found) / relevant as f64;
    scores.ndcg = if idcg > 0.0 { dcg / idcg } else { 0.0 };
    scores
}

/// Means of the measures over a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The cut-off.
    pub k: usize,
    /// How many queries the means are over.
    pub queries: usize,
    /// Mean reciprocal rank at k.
    pub mrr: f64,
    /// Mean recall at k.
    pub recall: f64,
    /// Mean nDCG at k.
    pub ndcg: f64,
}

impl Metrics {
    /// The means of `scores` at cut-off `k`.
    pub fn mean(k: usize, scores: &[QueryScores]) -> Metrics {
        let n = scores.len().max(1) as f64;
        let sum = |f: fn(&QueryScores) -> f64| scores.iter().map(f).sum::<f64>() / n;
        Metrics {
            k,
            queries: scores.len(),
            mrr: sum(|s| s.reciprocal_rank),
            recall: sum(|s| s.recall),
            ndcg: sum(|s| s.ndcg),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(docs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        docs.iter().map(|&(d, r)| (d.to_string(), r)).collect()
    }

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// A ranking, its judgements, the cut-off, and the expected reciprocal rank, recall, nDCG.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, u32)], usize, f64, f64, f64);

    #[test]
    fn scores_rankings_like_trec_eval() {
        let log2 = |x: f64| x.log2();
        let cases: &[Case] = &[
            (&["a", "b"], &[("a", 1)], 10, 1.0, 1.0, 1.0),
            (&["x", "a"], &[("a", 1)], 10, 0.5, 1.0, 1.0 / log2(3.0)),
            (&["x", "y", "a"], &[("a", 1)], 2, 0.0, 0.0, 0.0),
            (&["x"], &[("a", 1)], 10, 0.0, 0.0, 0.0),
            (&[], &[("a", 1)], 10, 0.0, 0.0, 0.0),
            (
                &["b", "x", "a"],
                &[("a", 1), ("b", 1)],
                10,
                1.0,
                1.0,
                (1.0 + 1.0 / 2.0) / (1.0 + 1.0 / log2(3.0)),
            ),
            (&["b", "x"], &[("a", 1), ("b", 1)], 10, 1.0, 0.5, {
                1.0 / (1.0 + 1.0 / log2(3.0))
            }),
            // Graded: the more relevant document belongs first.
            (
                &["b", "a"],
                &[("a", 2), ("b", 1)],
                10,
                1.0,
                1.0,
                (1.0 + 2.0 / log2(3.0)) / (2.0 + 1.0 / log2(3.0)),
            ),
            // Judged not relevant is not relevant.
            (&["n", "a"], &[("a", 1), ("n", 0)], 10, 0.5, 1.0, {
                1.0 / log2(3.0)
            }),
            // A duplicate counts once, at its first rank.
            (&["x", "x", "a"], &[("a", 1)], 2, 0.5, 1.0, 1.0 / log2(3.0)),
        ];
        for &(ids, docs, k, rr, recall, ndcg) in cases {
            let s = score_ranking(&ranking(ids), &judged(docs), k);
            assert!(close(s.reciprocal_rank, rr), "{ids:?} rr {s:?}");
            assert!(close(s.recall, recall), "{ids:?} recall {s:?}");
            assert!(close(s.ndcg, ndcg), "{ids:?} ndcg {s:?} want {ndcg}");
        }
    }

    #[test]
    fn remembers_the_first_relevant_rank_beyond_k() {
        let s = score_ranking(&ranking(&["x", "y", "a"]), &judged(&[("a", 1)]), 2);
        assert_eq!(s.first_relevant, Some(3));
    }

    #[test]
    fn averages_over_queries() {
        let one = QueryScores {
            reciprocal_rank: 1.0,
            recall: 1.0,
            ndcg: 1.0,
            first_relevant: Some(1),
        };
        let m = Metrics::mean(10, &[one, QueryScores::default()]);
        assert_eq!((m.queries, m.mrr, m.recall, m.ndcg), (2, 0.5, 0.5, 0.5));
        assert_eq!(Metrics::mean(10, &[]).mrr, 0.0);
    }

    #[test]
    fn parses_trec_qrels() {
        let qrels = Qrels::parse(
            "# comment\nq1 0 d1 1\nq1 0 d2 0\n\nq2\t0\td3\t2\nq3 0 d4 -1\n",
            Path::new("x.qrels"),
        )
        .unwrap();
        assert_eq!(qrels.len(), 3);
        assert_eq!(qrels.judged("q2").unwrap()["d3"], 2);
        assert!(qrels.has_relevant("q1"));
        assert!(!qrels.has_relevant("q3"));
        assert!(!qrels.has_relevant("q9"));
    }

    #[test]
    fn reports_a_bad_qrels_line() {
        let err = Qrels::parse("q1 0 d1 1\nq2 0 d2\n", Path::new("x.qrels"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.qrels line 2: expected 'qid iteration docid relevance', found 3 fields"
        );
        let err = Qrels::parse("q1 0 d1 ja\n", Path::new("x.qrels"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("relevance 'ja' is not a whole number"),
            "{err}"
        );
    }
}
