//! Evaluation on a test collection: documents, questions and relevance judgements, in the shape
//! of the TREC tracks and of XQuAD turned into retrieval (a question's paragraph is relevant).
//!
//! The documents (and optional distractors, which no question is about but which compete for the
//! top ranks) are indexed into an evaluation index, every judged question is searched, and the
//! rankings are scored with [`metrics`](super::metrics).

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use serde::{Deserialize, Serialize};

use super::metrics::{Metrics, Qrels, QueryScores, score_ranking};
use crate::analysis::AnalyzerChoice;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::{Feedback, IndexEvent, IndexOptions, MatchMode, RelatedWords, SearchRequest};

/// One question of a test collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalQuery {
    /// Its id, as in the judgements.
    pub qid: String,
    /// The question.
    pub text: String,
}

/// Reads questions from a tab-separated file: `qid<TAB>question` a line, `#` comments.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::Document`] naming the line if one has no
/// tab.
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut queries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((qid, question)) = line.split_once('\t') else {
            return Err(Error::Document {
                path: path.to_path_buf(),
                line: Some(i + 1),
                reason: "expected 'qid<TAB>question'".into(),
            });
        };
        queries.push(EvalQuery {
            qid: qid.trim().to_string(),
            text: question.trim().to_string(),
        });
    }
    Ok(queries)
}

/// What to evaluate, and how.
#[derive(Debug, Clone)]
pub struct RetrievalOptions {
    /// The documents the questions are about: a corpus file or folder (`.jsonl`, `.jsonl.gz`,
    /// …); a JSON line's `id` is the id the judgements use.
    pub docs: PathBuf,
    /// Documents mixed in to compete with the relevant ones.
    pub distractors: Option<PathBuf>,
    /// The questions, `qid<TAB>question` a line.
    pub queries: PathBuf,
    /// The judgements, TREC qrels.
    pub qrels: PathBuf,
    /// Where the evaluation index lives. An index built earlier from the same files with the
    /// same analyzer is reused; without a folder, a temporary one is built and removed.
    pub index: Option<PathBuf>,
    /// The cut-off of the measures.
    pub k: usize,
    /// How many hits each question retrieves.
    pub depth: usize,
    /// All words or any word.
    pub mode: MatchMode,
    /// The analyzer to build and search with.
    pub analyzer: AnalyzerChoice,
    /// Which related words stand for the questions' words.
    pub related: RelatedWords,
    /// Whether questions get pseudo-relevance feedback ([`SearchRequest::feedback`]):
    /// automatically, as `integra search` gives it, by default.
    pub feedback: Feedback,
}

impl RetrievalOptions {
    /// Options for a collection, with the defaults of the XQuAD evaluation: any-word questions,
    /// top 100 retrieved, measured at 10.
    pub fn new(
        docs: impl Into<PathBuf>,
        queries: impl Into<PathBuf>,
        qrels: impl Into<PathBuf>,
    ) -> RetrievalOptions {
        RetrievalOptions {
            docs: docs.into(),
            distractors: None,
            queries: queries.into(),
            qrels: qrels.into(),
            index: None,
            k: 10,
            depth: 100,
            mode: MatchMode::Any,
            analyzer: AnalyzerChoice::Full,
            related: RelatedWords::default(),
            feedback: Feedback::Auto,
        }
    }
}

/// How one question fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryOutcome {
    /// The question's id.
    pub qid: String,
    /// The question.
    pub query: String,
    /// Its measures.
    pub scores: QueryScores,
    /// The ids of the first three hits.
    pub top: Vec<String>,
    /// Why it could not be searched, if it could not (it then scores 0).
    pub error: Option<String>,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrievalReport {
    /// The analyzer evaluated.
    pub analyzer: AnalyzerChoice,
    /// The match mode of the questions.
    pub mode: MatchMode,
    /// Documents in the index, distractors included.
    pub documents: u64,
    /// Documents and lines that could not be indexed.
    pub skipped: usize,
    /// Whether an index built earlier was reused.
    pub reused_index: bool,
    /// Seconds spent building the index (0 when reused).
    pub index_seconds: f64,
    /// The means at k over the judged questions.
    pub metrics: Metrics,
    /// How many hits each question retrieved.
    pub depth: usize,
    /// Mean recall at `depth`: how many relevant documents any reranking could still reach.
    pub recall_at_depth: f64,
    /// Questions with judgements that could not be searched.
    pub failed: usize,
    /// Questions without a relevant document, left out.
    pub unjudged: usize,
    /// Search time per question in milliseconds: mean, median and 95th percentile.
    pub latency_ms: [f64; 3],
    /// Each judged question, in the order of the questions file.
    pub outcomes: Vec<QueryOutcome>,
}

/// Builds (or reuses) the evaluation index, searches every judged question and scores the
/// rankings. `observer` hears about the indexing.
///
/// # Errors
/// [`Error::Io`] or [`Error::Document`] if the questions or judgements cannot be read, or the
/// index folder holds an index that no evaluation built; index errors as
/// [`Library::index_corpus`].
pub fn evaluate_retrieval(
    options: &RetrievalOptions,
    observer: &mut dyn FnMut(IndexEvent),
) -> Result<RetrievalReport> {
    let queries = read_queries(&options.queries)?;
    let qrels = Qrels::read(&options.qrels)?;
    let (library, built, _temporary) = prepare_index(options, observer)?;

    let k = options.k.max(1);
    let depth = options.depth.max(k);
    let mut outcomes = Vec::new();
    let mut scores = Vec::new();
    let mut at_depth = Vec::new();
    let mut latencies = Vec::new();
    let mut unjudged = 0;
    for query in &queries {
        let Some(judged) = qrels
            .judged(&query.qid)
            .filter(|_| qrels.has_relevant(&query.qid))
        else {
            unjudged += 1;
            continue;
        };
        let mut request = SearchRequest::new(query.text.clone())
            .mode(options.mode)
            .limit(depth);
        request.related = options.related;
        request.feedback = options.feedback;
        let started = Instant::now();
        let (ranking, error) = match library.ranked_ids(&request) {
            Ok(ranked) => (ranked.into_iter().map(|(id, _)| id).collect(), None),
            Err(err @ Error::InvalidQuery { .. }) => (Vec::new(), Some(err.to_string())),
            Err(err) => return Err(err),
        };
        latencies.push(started.elapsed().as_secs_f64() * 1e3);
        let score = score_ranking(&ranking, judged, k);
        at_depth.push(score_ranking(&ranking, judged, depth).recall);
        scores.push(score);
        outcomes.push(QueryOutcome {
            qid: query.qid.clone(),
            query: query.text.clone(),
            scores: score,
            top: ranking.into_iter().take(3).collect(),
            error,
        });
    }
    let documents = library.stats()?.documents;
    Ok(RetrievalReport {
        analyzer: options.analyzer,
        mode: options.mode,
        documents,
        skipped: built.as_ref().map_or(0, |b| b.skipped),
        reused_index: built.is_none(),
        index_seconds: built.as_ref().map_or(0.0, |b| b.seconds),
        metrics: Metrics::mean(k, &scores),
        depth,
        recall_at_depth: at_depth.iter().sum::<f64>() / at_depth.len().max(1) as f64,
        failed: outcomes.iter().filter(|o| o.error.is_some()).count(),
        unjudged,
        latency_ms: latency_summary(&mut latencies),
        outcomes,
    })
}

/// Mean, median and 95th percentile, in that order.
fn latency_summary(values: &mut [f64]) -> [f64; 3] {
    if values.is_empty() {
        return [0.0; 3];
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    [mean, at(0.5), at(0.95)]
}

/// What a fresh build of the evaluation index reports.
struct Built {
    seconds: f64,
    skipped: usize,
}

/// A folder that is removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temporary directory harms nobody.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The name of the file in an evaluation index that says what it was built from.
const STAMP_FILE: &str = "integra-eval.json";

/// What an evaluation index was built from: reused only if all of it is unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Stamp {
    docs: FileStamp,
    distractors: Option<FileStamp>,
    analyzer: AnalyzerChoice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FileStamp {
    path: PathBuf,
    bytes: u64,
    modified: Option<u64>,
}

impl FileStamp {
    fn of(path: &Path) -> Result<FileStamp> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        Ok(FileStamp {
            path: std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?,
            bytes: meta.len(),
            modified,
        })
    }
}

fn prepare_index(
    options: &RetrievalOptions,
    observer: &mut dyn FnMut(IndexEvent),
) -> Result<(Library, Option<Built>, Option<TempDir>)> {
    let stamp = Stamp {
        docs: FileStamp::of(&options.docs)?,
        distractors: options
            .distractors
            .as_deref()
            .map(FileStamp::of)
            .transpose()?,
        analyzer: options.analyzer,
    };
    let (dir, temporary) = match &options.index {
        Some(dir) => (dir.clone(), None),
        None => {
            let nanos = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir =
                std::env::temp_dir().join(format!("integra-eval-{}-{nanos}", std::process::id()));
            (dir.clone(), Some(TempDir(dir)))
        }
    };
    let stamp_path = dir.join(STAMP_FILE);
    if Library::exists(&dir) {
        let Ok(found) = std::fs::read_to_string(&stamp_path) else {
            // Never overwrite an index the user built: the folder may be their real one.
            return Err(Error::io(
                &dir,
                std::io::Error::other(
                    "holds an index that no evaluation built: choose another --index folder",
                ),
            ));
        };
        if serde_json::from_str::<Stamp>(&found).ok().as_ref() == Some(&stamp) {
            match Library::open_with(&dir, options.analyzer.analysis()) {
                Ok(library) => return Ok((library, None, temporary)),
                // Built by an older integra: build it again below.
                Err(Error::IncompatibleIndex { .. }) => {}
                Err(err) => return Err(err),
            }
        }
    }
    let corpus = link_corpus(&dir, options)?;
    // Remove the stamp first: an interrupted build must not look finished.
    let _ = std::fs::remove_file(&stamp_path);
    let library = Library::create_with(&dir, options.analyzer.analysis())?;
    let index_options = IndexOptions {
        rebuild: true,
        ..Default::default()
    };
    let report = library.index_corpus(&corpus, &index_options, observer)?;
    let json = serde_json::to_string_pretty(&stamp).expect("a stamp serializes");
    std::fs::write(&stamp_path, json).map_err(|e| Error::io(&stamp_path, e))?;
    let built = Built {
        seconds: report.seconds,
        skipped: report.skipped.len(),
    };
    Ok((library, Some(built), temporary))
}

/// Makes a corpus folder inside the index folder that holds the documents and the distractors,
/// so that one indexing run (which removes whatever is not in its corpus) takes both.
fn link_corpus(dir: &Path, options: &RetrievalOptions) -> Result<PathBuf> {
    let corpus = dir.join("eval-corpus");
    if corpus.exists() {
        std::fs::remove_dir_all(&corpus).map_err(|e| Error::io(&corpus, e))?;
    }
    std::fs::create_dir_all(&corpus).map_err(|e| Error::io(&corpus, e))?;
    let sources = std::iter::once(("1-docs", &options.docs))
        .chain(options.distractors.iter().map(|d| ("2-distractors", d)));
    for (prefix, source) in sources {
        let name = source
            .file_name()
            .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
        let link = corpus.join(format!("{prefix}-{name}"));
        let target = std::fs::canonicalize(source).map_err(|e| Error::io(source, e))?;
        link_or_copy(&target, &link).map_err(|e| Error::io(&link, e))?;
    }
    Ok(corpus)
}

fn link_or_copy(target: &Path, link: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if std::os::unix::fs::symlink(target, link).is_ok() {
        return Ok(());
    }
    std::fs::hard_link(target, link).or_else(|_| std::fs::copy(target, link).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_latencies() {
        let mut values = vec![5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(latency_summary(&mut values), [3.0, 3.0, 5.0]);
        assert_eq!(latency_summary(&mut []), [0.0; 3]);
    }

    #[test]
    fn reads_questions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.tsv");
        std::fs::write(&path, "q1\tWer kam?\n\nq2\tWo?\n").unwrap();
        let queries = read_queries(&path).unwrap();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].text, "Wo?");
        std::fs::write(&path, "q1 Wer kam?\n").unwrap();
        let err = read_queries(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("q.tsv line 1: expected 'qid<TAB>question'"),
            "{err}"
        );
    }

    fn collection(dir: &Path) -> RetrievalOptions {
        let docs = dir.join("docs.jsonl");
        std::fs::write(
            &docs,
            concat!(
                "{\"id\": \"kita\", \"title\": \"Kitas\", \"text\": \"Kinder Geflüchteter in der Kita.\"}\n",
                "{\"id\": \"arbeit\", \"title\": \"Arbeit\", \"text\": \"Geflüchtete finden Arbeit.\"}\n",
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("q.tsv"),
            "q1\tWelche Kinder gehen in die Kita?\nq2\tWer findet Arbeit?\nq3\tnicht beurteilt\n",
        )
        .unwrap();
        std::fs::write(dir.join("q.qrels"), "q1 0 kita 1\nq2 0 arbeit 1\n").unwrap();
        RetrievalOptions::new(docs, dir.join("q.tsv"), dir.join("q.qrels"))
    }

    #[test]
    fn evaluates_a_tiny_collection_and_reuses_its_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = collection(dir.path());
        options.index = Some(dir.path().join("index"));
        let report = evaluate_retrieval(&options, &mut |_| {}).unwrap();
        assert_eq!(report.documents, 2);
        assert_eq!(report.metrics.queries, 2);
        assert_eq!(report.unjudged, 1);
        assert_eq!(report.metrics.mrr, 1.0);
        assert_eq!(report.metrics.ndcg, 1.0);
        assert!(!report.reused_index);
        let again = evaluate_retrieval(&options, &mut |_| {}).unwrap();
        assert!(again.reused_index);
        assert_eq!(again.metrics, report.metrics);
        options.analyzer = AnalyzerChoice::NoDecompound;
        let baseline = evaluate_retrieval(&options, &mut |_| {}).unwrap();
        assert!(!baseline.reused_index);
    }

    #[test]
    fn an_index_without_decompounding_opens_only_for_its_own_evaluation() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = collection(dir.path());
        let index = dir.path().join("index");
        options.index = Some(index.clone());
        options.analyzer = AnalyzerChoice::NoDecompound;
        let report = evaluate_retrieval(&options, &mut |_| {}).unwrap();
        assert_eq!(report.documents, 2);
        // Searching it with integra's own analyzer would find no compound by its parts.
        let err = Library::open(&index).err().unwrap().to_string();
        assert!(
            err.contains(
                "analyzer v3 (no-decompound r2), this integra needs schema v2 and analyzer v3:"
            ),
            "{err}"
        );
        let again = evaluate_retrieval(&options, &mut |_| {}).unwrap();
        assert!(again.reused_index);
        assert_eq!(again.metrics, report.metrics);
    }

    #[test]
    fn refuses_to_overwrite_an_index_it_did_not_build() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = collection(dir.path());
        let index = dir.path().join("index");
        Library::create(&index).unwrap();
        options.index = Some(index);
        let err = evaluate_retrieval(&options, &mut |_| {})
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("holds an index that no evaluation built"),
            "{err}"
        );
    }
}
