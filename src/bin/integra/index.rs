//! `integra index`: build or update the index from a corpus.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use integra::IndexOptions;

use crate::common::{Limits, build, interrupt_flag, summary};
use crate::{CorpusDir, IndexDir, Outcome};

/// Build or update the index from a corpus.
///
/// Incremental: only new and changed files (or sidecars) are read, documents of removed files
/// are removed, and everything is committed at once, so an interrupted run (Ctrl-C, a crash)
/// leaves the index as it was and the next run completes the work. Searches go on meanwhile.
/// Files that cannot be read are reported and skipped; what the index held from them stays.
/// HTML, office documents and e-books are read in worker processes (one per core), so that a
/// file that crashes its reader, takes longer than --file-timeout or more memory than a worker
/// may have is skipped too; so is a file over --max-file-size. An index built by an
/// incompatible version of integra is rebuilt.
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
    /// Start from an empty index instead of updating (the old one stays searchable until the
    /// new one is committed).
    #[arg(long)]
    rebuild: bool,
    #[command(flatten)]
    limits: Limits,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: IndexArgs) -> Result<Outcome> {
    let options = IndexOptions {
        rebuild: args.rebuild,
        interrupt: Some(interrupt_flag()),
        ..args.limits.options()
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
