//! `integra watch`: keep the index up to date while the corpus changes.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use integra::{Error, IndexOptions};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::index::{interrupt_flag, open_for_indexing, summary, update};
use crate::{CorpusDir, IndexDir, Outcome};

/// Watch a corpus and reindex files as they appear, change or go.
///
/// First brings the index up to date, then waits for changes: each batch of changes (files
/// saved within --debounce of each other) is one incremental run, reported in one line.
/// Searches see a batch's documents as soon as its line is printed. Stop with Ctrl-C.
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
}

/// How often the loop looks at the Ctrl-C flag and retries a failed batch.
const TICK: Duration = Duration::from_millis(250);

pub fn run(args: WatchArgs) -> Result<Outcome> {
    let corpus = &args.corpus.path;
    let flag = interrupt_flag();
    let mut options = IndexOptions {
        interrupt: Some(flag.clone()),
        ..Default::default()
    };
    let library = open_for_indexing(&args.index.path, &mut options)?;
    let mut out = std::io::stdout().lock();
    let report = update(&library, corpus, &options)?;
    writeln!(out, "{}", summary(&report))?;
    // Later runs update what the first one built.
    options.rebuild = false;

    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(args.debounce), sender)
        .context("cannot watch for file changes")?;
    debouncer
        .watcher()
        .watch(corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", corpus.display()))?;
    // The index may live inside the corpus: its own commits are not changes to index.
    let index_dir = absolute(&args.index.path);
    eprintln!(
        "integra: watching {} for changes (Ctrl-C to stop)",
        corpus.display()
    );
    let mut pending = false;
    while !flag.load(Ordering::SeqCst) {
        match events.recv_timeout(TICK) {
            Ok(Ok(batch)) => {
                pending |= batch.iter().any(|e| concerns_corpus(&e.path, &index_dir));
            }
            Ok(Err(err)) => eprintln!("warning: watching {}: {err}", corpus.display()),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // One run covers every change that has arrived by now.
        for batch in events.try_iter().flatten() {
            pending |= batch.iter().any(|e| concerns_corpus(&e.path, &index_dir));
        }
        if !pending {
            continue;
        }
        match update(&library, corpus, &options) {
            Ok(report) => {
                pending = false;
                writeln!(out, "{}", summary(&report))?;
            }
            Err(err) => match err.downcast_ref::<Error>() {
                Some(Error::Interrupted) => break,
                // Another process is indexing, say: the batch is tried again next tick.
                _ => eprintln!("warning: {err:#}, trying again"),
            },
        }
    }
    eprintln!("integra: stopped watching");
    Ok(Outcome::Found)
}

/// Whether a changed path can change the index: not the index's own files, nor hidden ones.
fn concerns_corpus(path: &Path, index_dir: &Path) -> bool {
    if absolute(path).starts_with(index_dir) {
        return false;
    }
    !path.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

/// The canonical form of a path, also of one that was just deleted (by its folder's).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    match (path.parent().map(Path::canonicalize), path.file_name()) {
        (Some(Ok(parent)), Some(name)) => parent.join(name),
        _ => path.to_path_buf(),
    }
}
