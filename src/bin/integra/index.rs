//! `integra index`: build or update the index from a corpus.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use integra::{IndexEvent, IndexOptions, IndexReport, Library};

use crate::{CorpusDir, IndexDir, Outcome};

/// Build or update the index from a corpus.
///
/// New and changed files are indexed, documents of removed files are removed, and everything
/// is committed at once: an interrupted run leaves the index as it was. Files that cannot be
/// read are reported and skipped.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra index\n  \
    integra index --corpus ~/studien --index ~/studien-index\n  \
    integra index --corpus ../shared/bench/bundestag-reden.jsonl.gz --index /tmp/bt\n  \
    integra index --rebuild")]
pub struct IndexArgs {
    #[command(flatten)]
    corpus: CorpusDir,
    #[command(flatten)]
    index: IndexDir,
    /// Start from an empty index instead of updating.
    #[arg(long)]
    rebuild: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: IndexArgs) -> Result<Outcome> {
    let options = IndexOptions {
        rebuild: args.rebuild,
        ..Default::default()
    };
    let report = build(&args.corpus.path, &args.index.path, &options)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", summary(&report))?;
    }
    Ok(Outcome::Found)
}

/// The one-line summary of a run.
pub fn summary(report: &IndexReport) -> String {
    format!(
        "indexed {} documents from {} files, skipped {}, in {:.1} s ({} documents in the index)",
        report.indexed,
        report.files,
        report.skipped.len(),
        report.seconds,
        report.total
    )
}

/// Indexes `corpus` into `index`, with a progress bar when stderr is a terminal and each
/// skipped file or line reported on stderr.
pub fn build(corpus: &Path, index: &Path, options: &IndexOptions) -> Result<IndexReport> {
    let library = if options.rebuild {
        Library::create(index)
    } else {
        Library::open_or_create(index)
    }
    .with_context(|| format!("cannot open index {}", index.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos}/{len} files · {msg}")
                .expect("the template is valid"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = std::time::Instant::now();
    let mut observer = |event: IndexEvent| match event {
        IndexEvent::Discovered { files } => bar.set_length(files as u64),
        IndexEvent::Reading { path } => bar.set_message(path),
        IndexEvent::Progress { documents } => {
            let rate = documents as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{documents} documents ({rate:.0}/s)"));
        }
        IndexEvent::FileDone => bar.inc(1),
        IndexEvent::Skipped(skipped) => {
            bar.suspend(|| eprintln!("warning: skipped {}", skipped.reason));
        }
        IndexEvent::Committing => bar.set_message("committing"),
        _ => {}
    };
    // Library errors name the file or index they concern; no context needed.
    let report = library.index_corpus(corpus, options, &mut observer)?;
    bar.finish_and_clear();
    Ok(report)
}
