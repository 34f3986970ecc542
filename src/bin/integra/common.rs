//! What several subcommands share: building and updating the index with progress on the
//! terminal, its one-line summary, the limits on reading a file, and the flag that Ctrl-C sets
//! to stop a run.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use std::time::Duration;

use crate::output::clean;
use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use integra::{
    DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_SIZE, Error, Extraction, IndexEvent, IndexOptions,
    IndexReport, Library, SkipKind, WorkerCommand,
};

/// The hidden subcommand that runs an extraction worker.
pub const WORKER_COMMAND: &str = "extract-worker";

/// The one-line summary of a run: what changed, the files read by format and the skipped ones
/// by kind (`read 268 of 268 files, skipped 3 (1 encrypted, 2 over the time limit), in 4.2 s
/// (230 documents in the index); files read: pdf 212, html 40, docx 11, txt 5`).
pub fn summary(report: &IndexReport) -> String {
    let skip_kinds = report
        .skip_counts()
        .iter()
        .map(|(kind, count)| format!("{count} {}", kind.label()))
        .collect::<Vec<_>>()
        .join(", ");
    let formats = report
        .format_counts()
        .iter()
        .map(|(format, count)| format!("{format} {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "added {}, updated {}, removed {}, unchanged {}; read {} of {} files{}, skipped {}{}, in {:.1} s ({} documents in the index){}",
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.read,
        report.files,
        if report.rebuilt { " (rebuilt)" } else { "" },
        report.skipped.len(),
        if skip_kinds.is_empty() {
            String::new()
        } else {
            format!(" ({skip_kinds})")
        },
        report.seconds,
        report.total,
        if formats.is_empty() {
            String::new()
        } else {
            format!("; files read: {formats}")
        }
    )
}

/// The limits on reading one file, shared by the subcommands that index.
#[derive(Args, Clone)]
pub struct Limits {
    /// Skip a file whose reading takes longer than this many seconds (0: no limit). HTML,
    /// office documents and e-books are read in worker processes, which are stopped at the
    /// limit.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_FILE_TIMEOUT.as_secs())]
    file_timeout: u64,
    /// Skip a file larger than this many megabytes (0: no limit). JSON Lines files, which are
    /// read a line at a time, have no limit.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MAX_FILE_SIZE / 1_000_000)]
    max_file_size: u64,
}

impl Limits {
    /// Options with these limits and extraction in worker processes.
    pub fn options(&self) -> IndexOptions {
        IndexOptions {
            file_timeout: Duration::from_secs(self.file_timeout),
            max_file_size: self.max_file_size.saturating_mul(1_000_000),
            extraction: worker_extraction(),
            ..Default::default()
        }
    }
}

/// Extraction in worker processes that run this binary's hidden `extract-worker` subcommand;
/// in this process if the binary cannot be found (saying so).
pub fn worker_extraction() -> Extraction {
    match std::env::current_exe() {
        Ok(program) => Extraction::Workers(WorkerCommand::new(program, [WORKER_COMMAND])),
        Err(err) => {
            eprintln!(
                "warning: cannot find the integra binary to run extraction workers: {err}; reading files in this process"
            );
            Extraction::InProcess
        }
    }
}

/// The flag a Ctrl-C sets, so that a run stops between two documents and rolls back. A second
/// Ctrl-C ends the process at once, which is safe too: nothing uncommitted is ever visible.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler = Arc::clone(&flag);
        let installed = ctrlc::set_handler(move || {
            if handler.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("integra: interrupted, rolling back …");
        });
        if let Err(err) = installed {
            // Without the handler Ctrl-C still ends the process, and the last commit stays.
            eprintln!("warning: cannot handle Ctrl-C: {err}");
        }
        flag
    })
    .clone()
}

/// Opens the index for indexing: creates it if there is none, and rebuilds it (saying so) if
/// it was built by an incompatible version of integra, for an index never mixes two analyzers.
pub fn open_for_indexing(index: &Path, options: &mut IndexOptions) -> Result<Library> {
    // Library errors name the index; no context needed.
    match Library::open(index) {
        Ok(library) => Ok(library),
        Err(Error::IndexNotFound { .. }) => Ok(Library::create(index)?),
        Err(Error::IncompatibleIndex {
            found, expected, ..
        }) => {
            eprintln!(
                "integra: index {} was built with {found}, this integra writes {expected}: rebuilding it",
                index.display()
            );
            options.rebuild = true;
            Ok(Library::create(index)?)
        }
        // A damaged index is built again from nothing when asked; an update would keep what
        // cannot be read.
        Err(Error::Damaged { reason, .. }) if options.rebuild => {
            eprintln!(
                "integra: index {} is damaged ({reason}): building it from nothing",
                index.display()
            );
            Ok(Library::create(index)?)
        }
        Err(err) => Err(err.into()),
    }
}

/// Builds the index from `corpus` if there is none yet, saying so on stderr: the first
/// `integra search` on a fresh checkout answers from the shipped corpus.
pub fn build_if_missing(corpus: &Path, index: &Path) -> Result<()> {
    if Library::exists(index) {
        return Ok(());
    }
    if !corpus.exists() {
        anyhow::bail!(
            "no index at {}, and no corpus at {} to build one from: \
             run 'integra index --corpus DIR --index {}'",
            index.display(),
            corpus.display(),
            index.display()
        );
    }
    eprintln!(
        "integra: no index at {} yet, building it from {} …",
        index.display(),
        corpus.display()
    );
    let options = IndexOptions {
        extraction: worker_extraction(),
        ..Default::default()
    };
    let report = build(corpus, index, &options)?;
    eprintln!("integra: {}", summary(&report));
    Ok(())
}

/// Indexes `corpus` into `index`, with a progress bar when stderr is a terminal and each
/// skipped file or line reported on stderr.
pub fn build(corpus: &Path, index: &Path, options: &IndexOptions) -> Result<IndexReport> {
    build_from(Some(corpus), index, options)
}

/// Indexes `corpus` into `index`, or with no corpus, brings the index up to date with all of
/// its sources (`./corpus` if it has none yet). A corpus that is not there creates no index.
pub fn build_from(
    corpus: Option<&Path>,
    index: &Path,
    options: &IndexOptions,
) -> Result<IndexReport> {
    if let Some(corpus) = corpus
        && !Library::exists(index)
    {
        // Checked before the index is made: a mistyped path, or a folder of nothing integra
        // reads, leaves no empty index behind.
        if integra::corpus::discover(corpus)?.files.is_empty() {
            return Err(Error::NoDocuments {
                path: corpus.to_path_buf(),
            }
            .into());
        }
    }
    let mut options = options.clone();
    let library = match corpus {
        Some(_) => open_for_indexing(index, &mut options)?,
        None if Library::exists(index) => open_for_indexing(index, &mut options)?,
        None => return build_from(Some(Path::new(DEFAULT_CORPUS)), index, &options),
    };
    match corpus {
        Some(corpus) => update(&library, corpus, &options),
        None if library.sources()?.is_empty() => {
            update(&library, Path::new(DEFAULT_CORPUS), &options)
        }
        None => update_all(&library, &options),
    }
}

/// The corpus of an index that was never told one.
pub const DEFAULT_CORPUS: &str = "./corpus";

/// One incremental run of an open library over `corpus`, with progress on a terminal.
pub fn update(library: &Library, corpus: &Path, options: &IndexOptions) -> Result<IndexReport> {
    with_progress(|observer| library.index_corpus(corpus, options, observer))
}

/// One incremental run over all the sources of an open library, with progress on a terminal.
pub fn update_all(library: &Library, options: &IndexOptions) -> Result<IndexReport> {
    with_progress(|observer| library.update_sources(options, observer))
}

/// Runs `work` with an observer that shows progress on a terminal and each skipped file or
/// line on stderr.
fn with_progress(
    work: impl FnOnce(&mut dyn FnMut(IndexEvent)) -> integra::Result<IndexReport>,
) -> Result<IndexReport> {
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
            // A bad sidecar costs only its metadata, and its message says so.
            let what = if skipped.kind == SkipKind::BadMetadata {
                ""
            } else {
                "skipped "
            };
            bar.suspend(|| eprintln!("warning: {what}{}", clean(&skipped.reason)));
        }
        IndexEvent::Committing => bar.set_message("committing"),
        _ => {}
    };
    // Library errors name the file or index they concern; no context needed. The bar is
    // cleared before an error is printed.
    let report = work(&mut observer);
    bar.finish_and_clear();
    Ok(report?)
}
