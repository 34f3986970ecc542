//! `integra eval`: does search find what it should? The seed table passes or fails line by
//! line; a test collection such as XQuAD gets MRR@k, Recall@k and nDCG@k.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use integra::eval::{
    RetrievalOptions, RetrievalReport, SeedOutcome, evaluate_retrieval, read_seed_table, run_seed,
};
use integra::{AnalyzerChoice, IndexEvent, Library, MatchMode, RelatedWords};

use crate::common::build_if_missing;
use crate::{CorpusDir, IndexDir, Outcome};

/// Evaluate retrieval: a seed table of queries that must find given documents, or a test
/// collection with relevance judgements.
#[derive(Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    command: EvalCommand,
}

#[derive(Subcommand)]
enum EvalCommand {
    Seed(SeedArgs),
    Xquad(XquadArgs),
}

/// Run a seed table: each query must find the documents it lists.
///
/// Lines are `query<TAB>must_match<TAB>top1_in<TAB>what`; documents are named by the first three
/// characters of their file names. Queries run in all-words mode over every hit. Exits 0 if
/// every line passes, 1 if one fails. Without an index, one is built from --corpus first.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra eval seed --table tests/fixtures/seed-queries.tsv\n  \
    integra eval seed --table ../shared/eval/seed-queries.tsv --index /tmp/seed --corpus corpus")]
pub struct SeedArgs {
    /// The seed table.
    #[arg(long, value_name = "FILE")]
    table: PathBuf,
    /// Print the outcome of each line as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    corpus: CorpusDir,
}

/// Measure ranking on a test collection: MRR@k, Recall@k and nDCG@k.
///
/// The documents (JSON lines whose `id` the judgements use), optionally mixed with distractors,
/// are indexed into an evaluation index; each judged question is searched (any word, top
/// 100) and scored against the TREC qrels. An index built earlier by the same command from the
/// same files is reused.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra eval xquad --docs ../shared/eval/xquad-de.docs.jsonl \\\n    \
    --queries ../shared/eval/xquad-de.queries.tsv --qrels ../shared/eval/xquad-de.qrels\n  \
    integra eval xquad ... --distractors ../shared/bench/bundestag-reden.jsonl.gz --index /tmp/xq-mixed")]
pub struct XquadArgs {
    /// The documents, JSON lines with id, title and text.
    #[arg(long, value_name = "FILE")]
    docs: PathBuf,
    /// The questions, `qid<TAB>question` a line.
    #[arg(long, value_name = "FILE")]
    queries: PathBuf,
    /// The relevance judgements, TREC qrels (`qid 0 docid rel`).
    #[arg(long, value_name = "FILE")]
    qrels: PathBuf,
    /// Documents mixed in as distractors (e.g. the Bundestag speeches).
    #[arg(long, value_name = "FILE.jsonl.gz")]
    distractors: Option<PathBuf>,
    /// Keep the evaluation index here and reuse it; without it a temporary index is built.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// The cut-off of the measures.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// How many hits each question retrieves.
    #[arg(long, default_value_t = 100)]
    depth: usize,
    /// Whether questions match any or all of their words.
    #[arg(long, value_enum, default_value_t = Mode::Any)]
    mode: Mode,
    /// Build and search without splitting compounds with the lexicon (hyphenated ones are still
    /// split at their hyphens): the baseline for the decompounder (the same as --analyzer
    /// no-decompound).
    #[arg(long, conflicts_with = "analyzer")]
    no_decompound: bool,
    /// The analyzer to build and search with: integra's (full), or a baseline to compare it
    /// with (each builds an index of its own).
    #[arg(long, value_enum, default_value_t = Analyzer::Full)]
    analyzer: Analyzer,
    /// Which related words stand for the questions' words: all (derived forms and the
    /// thesaurus, as `integra search` does), derived, thesaurus or none (as `--exact`).
    #[arg(long, value_enum, default_value_t = Related::All)]
    related: Related,
    /// Whether the best terms of each question's first hits are added to it (pseudo-relevance
    /// feedback, RM3-style): auto (as `integra search` does: for a subject of three words or
    /// more, not for a question), on or off.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    feedback: integra::Feedback,
    /// Print the questions whose relevant document is not in the top k (at most this many).
    #[arg(long, value_name = "N", default_value_t = 0)]
    misses: usize,
    /// Exit 1 if nDCG@k is below this.
    #[arg(long, value_name = "SCORE")]
    min_ndcg: Option<f64>,
    /// Exit 1 if MRR@k is below this.
    #[arg(long, value_name = "SCORE")]
    min_mrr: Option<f64>,
    /// Print the report, every question included, as JSON.
    #[arg(long)]
    json: bool,
}

/// Which related words an evaluation's questions are expanded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Related {
    /// Derived forms and the thesaurus.
    All,
    /// Derived forms only.
    Derived,
    /// The thesaurus only.
    Thesaurus,
    /// None: the words as typed.
    None,
}

/// The analyzers an evaluation can build with.
#[derive(Clone, Copy, ValueEnum)]
enum Analyzer {
    /// integra's German analyzer, as `integra index` uses it.
    Full,
    /// integra's analyzer without decompounding (hyphenated compounds are still split at their
    /// hyphens).
    NoDecompound,
    /// tantivy's default tokenizer: words, lowercased.
    TantivyDefault,
    /// tantivy's default tokenizer and its Snowball German stemmer.
    TantivyGerman,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Any,
    All,
}

pub fn run(args: EvalArgs) -> Result<Outcome> {
    match args.command {
        EvalCommand::Seed(args) => seed(args),
        EvalCommand::Xquad(args) => xquad(args),
    }
}

fn seed(args: SeedArgs) -> Result<Outcome> {
    let table = read_seed_table(&args.table)?;
    let index = &args.index.path;
    build_if_missing(&args.corpus.path, index)?;
    let library = Library::open(index)?;
    let outcomes = run_seed(&library, &table)
        .with_context(|| format!("seed queries on {} failed", index.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &outcomes)?;
        writeln!(out)?;
    } else {
        print_seed(&mut out, &outcomes)?;
    }
    out.flush()?;
    Ok(if outcomes.iter().all(SeedOutcome::passed) {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

fn print_seed(out: &mut impl Write, outcomes: &[SeedOutcome]) -> std::io::Result<()> {
    let width = outcomes
        .iter()
        .map(|o| o.query.query.chars().count())
        .max()
        .unwrap_or(0);
    for outcome in outcomes {
        let query = &outcome.query;
        let (mark, detail) = if outcome.passed() {
            ("pass", String::new())
        } else {
            ("FAIL", format!(": {}", outcome.problems().join("; ")))
        };
        writeln!(
            out,
            "{mark}  {:<width$}  {}{detail}",
            query.query, query.what
        )?;
    }
    // Not "N passed, N failed": CI reads that line as a test runner's verdict.
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    writeln!(out, "{passed} of {} lines pass", outcomes.len())
}

fn xquad(args: XquadArgs) -> Result<Outcome> {
    let options = RetrievalOptions {
        distractors: args.distractors.clone(),
        index: args.index.clone(),
        k: args.k,
        depth: args.depth,
        mode: match args.mode {
            Mode::Any => MatchMode::Any,
            Mode::All => MatchMode::All,
        },
        analyzer: match (args.no_decompound, args.analyzer) {
            (true, _) | (false, Analyzer::NoDecompound) => AnalyzerChoice::NoDecompound,
            (false, Analyzer::Full) => AnalyzerChoice::Full,
            (false, Analyzer::TantivyDefault) => AnalyzerChoice::TantivyDefault,
            (false, Analyzer::TantivyGerman) => AnalyzerChoice::TantivyGerman,
        },
        related: RelatedWords {
            derived_forms: matches!(args.related, Related::All | Related::Derived),
            thesaurus: matches!(args.related, Related::All | Related::Thesaurus),
        },
        feedback: args.feedback,
        ..RetrievalOptions::new(&args.docs, &args.queries, &args.qrels)
    };
    let bar = progress_bar();
    let mut observer = |event: IndexEvent| match event {
        IndexEvent::Progress { documents } => bar.set_message(format!("{documents} documents")),
        IndexEvent::Committing => bar.set_message("committing"),
        _ => {}
    };
    let report = evaluate_retrieval(&options, &mut observer)
        .with_context(|| format!("evaluation on {} failed", args.docs.display()))?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report, args.misses)?;
    }
    out.flush()?;
    let m = &report.metrics;
    let below = args.min_ndcg.is_some_and(|min| m.ndcg < min)
        || args.min_mrr.is_some_and(|min| m.mrr < min);
    Ok(if below {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] indexing · {msg}")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn print_report(
    out: &mut impl Write,
    report: &RetrievalReport,
    misses: usize,
) -> std::io::Result<()> {
    let m = &report.metrics;
    let mode = match report.mode {
        MatchMode::All => "all",
        MatchMode::Any => "any",
    };
    writeln!(
        out,
        "analyzer {} · mode {mode} · {} documents ({}, {} skipped)",
        report.analyzer.name(),
        report.documents,
        if report.reused_index {
            "index reused".to_string()
        } else {
            format!("indexed in {:.1} s", report.index_seconds)
        },
        report.skipped,
    )?;
    writeln!(
        out,
        "{} questions ({} failed, {} without judgement left out)",
        m.queries, report.failed, report.unjudged
    )?;
    writeln!(out, "MRR@{k}     {:.4}", m.mrr, k = m.k)?;
    writeln!(out, "Recall@{k}  {:.4}", m.recall, k = m.k)?;
    writeln!(out, "nDCG@{k}    {:.4}", m.ndcg, k = m.k)?;
    writeln!(
        out,
        "Recall@{}  {:.4}",
        report.depth, report.recall_at_depth
    )?;
    let [mean, p50, p95] = report.latency_ms;
    writeln!(
        out,
        "search    mean {mean:.2} ms · p50 {p50:.2} ms · p95 {p95:.2} ms"
    )?;
    let missed: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.scores.reciprocal_rank == 0.0)
        .take(misses)
        .collect();
    for o in missed {
        let rank = o
            .scores
            .first_relevant
            .map_or("not found".to_string(), |r| format!("rank {r}"));
        writeln!(
            out,
            "miss {} ({rank}): {} → {}",
            o.qid,
            o.query,
            o.top.join(", ")
        )?;
    }
    Ok(())
}
