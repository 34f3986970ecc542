//! `integra index`: build or update the index from a corpus.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use integra::{IndexOptions, Library};

use crate::common::{Limits, build_from, interrupt_flag, summary};
use crate::output::clean;
use crate::{IndexDir, Outcome};

/// Build or update the index from a corpus.
///
/// An index remembers the folders and files it was built from (`integra sources` lists them):
/// --corpus adds one, and without --corpus every one of them is brought up to date (./corpus
/// for a new index). A folder is never dropped unless --remove asks for it.
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
    integra index --corpus ~/webseiten --index ~/studien-index\n  \
    integra index --remove ~/webseiten --index ~/studien-index\n  \
    integra index --corpus reden.jsonl.gz --index /tmp/bt\n  \
    integra index --rebuild")]
pub struct IndexArgs {
    /// A folder (read recursively) or a file to index, added to the index's sources; without
    /// it, all sources are brought up to date.
    #[arg(long, value_name = "DIR|FILE", env = "INTEGRA_CORPUS")]
    corpus: Option<PathBuf>,
    /// Remove a source and the documents of its files.
    #[arg(long, value_name = "DIR|FILE", conflicts_with_all = ["corpus", "rebuild"])]
    remove: Option<PathBuf>,
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
    let report = match &args.remove {
        Some(source) => Library::open(&args.index.path)?.remove_source(source, &options)?,
        None => build_from(args.corpus.as_deref(), &args.index.path, &options)?,
    };
    if let Some(source) = &report.added_source {
        eprintln!(
            "integra: {} is a source of {} now; 'integra index' updates all of its sources",
            clean(source),
            args.index.path.display()
        );
    }
    if let Some(source) = &report.removed_source {
        eprintln!(
            "integra: removed the source {} and its documents",
            clean(source)
        );
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", summary(&report))?;
    }
    Ok(Outcome::Found)
}
