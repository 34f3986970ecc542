//! `integra watch`: keep the index up to date while the corpus changes.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use integra::serve::{absolute, is_corpus_change as is_change};
use integra::{Error, IndexOptions};
use notify::{Event, RecursiveMode, Watcher};

use crate::common::{Limits, interrupt_flag, open_for_indexing, summary, update};
use crate::{CorpusDir, IndexDir, Outcome};

/// Watch a corpus and reindex files as they appear, change or go.
///
/// First brings the index up to date, then waits for changes: each batch of changes (files
/// saved within --debounce of each other) is one incremental run, reported in one line (a
/// batch that changes nothing prints nothing). Searches see a batch's documents as soon as
/// its line is printed. Stop with Ctrl-C.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra watch\n  \
    integra watch --corpus ~/studien --index ~/studien-index\n  \
    integra watch --debounce 2000   # wait for 2 s of quiet before reindexing")]
pub struct WatchArgs {
    #[command(flatten)]
    corpus: CorpusDir,
    #[command(flatten)]
    index: IndexDir,
    /// Quiet time in milliseconds after a change before the batch is indexed.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    debounce: u64,
    #[command(flatten)]
    limits: Limits,
}

/// How often the loop looks at the Ctrl-C flag and at the time since the last change.
const TICK: Duration = Duration::from_millis(250);

pub fn run(args: WatchArgs) -> Result<Outcome> {
    let corpus = &args.corpus.path;
    let flag = interrupt_flag();
    let mut options = IndexOptions {
        interrupt: Some(flag.clone()),
        ..args.limits.options()
    };
    let library = open_for_indexing(&args.index.path, &mut options)?;
    let mut out = std::io::stdout().lock();
    let report = update(&library, corpus, &options)?;
    writeln!(out, "{}", summary(&report))?;
    // Later runs update what the first one built.
    options.rebuild = false;

    let (sender, events) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher =
        notify::recommended_watcher(sender).context("cannot watch for file changes")?;
    watcher
        .watch(corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", corpus.display()))?;
    // The index may live inside the corpus: its own commits are not changes to index.
    let index_dir = absolute(&args.index.path);
    let corpus_dir = absolute(corpus);
    eprintln!(
        "integra: watching {} for changes (Ctrl-C to stop)",
        corpus.display()
    );
    let debounce = Duration::from_millis(args.debounce);
    // When the last change of the batch being collected arrived.
    let mut last_change: Option<Instant> = None;
    while !flag.load(Ordering::SeqCst) {
        let first = match events.recv_timeout(TICK) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        for event in first.into_iter().chain(events.try_iter()) {
            match event {
                Ok(event) if is_change(&event, &corpus_dir, &index_dir) => {
                    last_change = Some(Instant::now())
                }
                Ok(_) => {}
                Err(err) => eprintln!("warning: watching {}: {err}", corpus.display()),
            }
        }
        // A batch ends after `debounce` without changes, so that a file being written or a
        // folder being copied is indexed once, complete.
        if last_change.is_none_or(|at| at.elapsed() < debounce) {
            continue;
        }
        match update(&library, corpus, &options) {
            Ok(report) => {
                last_change = None;
                let changed = report.added + report.updated + report.removed > 0;
                if changed || !report.skipped.is_empty() {
                    writeln!(out, "{}", summary(&report))?;
                }
            }
            Err(err) => match err.downcast_ref::<Error>() {
                Some(Error::Interrupted) => break,
                // Another process is indexing, say: the batch is tried again after a pause.
                _ => {
                    eprintln!("warning: {err:#}; trying again");
                    last_change = Some(Instant::now());
                }
            },
        }
    }
    eprintln!("integra: stopped watching");
    Ok(Outcome::Found)
}
