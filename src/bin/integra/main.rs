//! The `integra` command: index a corpus of German texts and search it.
//!
//! A thin client of the library: every subcommand is a call into `integra::Library` plus
//! output for people (colour on a terminal, plain when piped) or for scripts (`--json`).

mod analyze;
mod check;
mod common;
mod completions;
mod eval;
mod explain;
mod export;
mod index;
mod output;
mod search;
mod serve;
mod sources;
mod stats;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Full-text search for the German literature on the integration of refugees and migrants.
#[derive(Parser)]
#[command(name = "integra", version, about, long_about = None)]
#[command(after_help = "Examples:\n  \
    integra search \"Integration Kommunen\"\n  \
    integra search Geflüchtete --institution \"Bertelsmann Stiftung\" --year 2015..2018\n  \
    integra serve\n  \
    integra index --corpus ./corpus\n  \
    integra watch --corpus ./corpus\n  \
    integra stats\n  \
    integra check\n  \
    integra analyze \"Sprach- und Integrationskurse\"\n  \
    integra eval seed --table tests/fixtures/seed-queries.tsv")]
struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set or TERM=dumb),
    /// always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = output::ColorChoice::Auto)]
    color: output::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Index(index::IndexArgs),
    Search(search::SearchArgs),
    Serve(serve::ServeArgs),
    Stats(stats::StatsArgs),
    Check(check::CheckArgs),
    Sources(sources::SourcesArgs),
    Watch(watch::WatchArgs),
    Eval(eval::EvalArgs),
    Analyze(analyze::AnalyzeArgs),
    Export(export::ExportArgs),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
    /// Read the files named on stdin, one JSON request a line, and answer each on stdout: the
    /// extraction worker that `integra index` starts.
    #[command(name = common::WORKER_COMMAND, hide = true)]
    ExtractWorker,
}

/// Where the index lives.
#[derive(Args, Clone)]
struct IndexDir {
    /// The index directory.
    #[arg(
        id = "index",
        long = "index",
        value_name = "DIR",
        env = "INTEGRA_INDEX",
        default_value = "./index"
    )]
    path: PathBuf,
}

/// Where the documents are.
#[derive(Args, Clone)]
struct CorpusDir {
    /// The corpus: a folder (read recursively) or a single file (.txt, .md, .html, .docx, .odt, .epub, .jsonl, .jsonl.gz).
    #[arg(
        id = "corpus",
        long = "corpus",
        value_name = "DIR|FILE",
        env = "INTEGRA_CORPUS",
        default_value = "./corpus"
    )]
    path: PathBuf,
}

/// How a command ended, as grep and ripgrep say it: 0 found something, 1 found nothing.
enum Outcome {
    Found,
    NotFound,
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |kind: Option<std::io::ErrorKind>| kind == Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|cause| {
        // serde_json wraps the io error of a writer it writes to and hides it from the chain.
        broken(cause.downcast_ref::<std::io::Error>().map(|io| io.kind()))
            || broken(
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(|json| json.io_error_kind()),
            )
    })
}

/// The error and its causes, each said once: library errors already carry their cause's text
/// (for callers that print only the top error), which a plain `{:#}` would repeat.
fn describe(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let message = cause.to_string();
        if out.contains(&message) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&message);
    }
    out
}

/// Serves extraction requests until the parent closes stdin. (The panic hook of `main`, which
/// keeps a panic's message instead of printing it, suits the worker: a reader's panic is
/// caught and its message goes into the answer.)
fn extract_worker() -> anyhow::Result<Outcome> {
    integra::corpus::worker::serve(std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(Outcome::Found)
}

/// Runs a subcommand.
fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Check(args) => check::run(args),
        Command::Sources(args) => sources::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Export(args) => export::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::ExtractWorker => extract_worker(),
    }
}

/// The message of the last panic, kept by the panic hook for `main` to say.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::set_color(cli.color);
    // A panic the library catches (a damaged index that tantivy cannot decode) becomes an
    // error that says so; its raw message would only alarm. One that reaches `main` is a bug,
    // and is said as one, with the message the hook kept.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let run = std::panic::catch_unwind(move || run(cli.command));
    let result = match run {
        Ok(result) => result,
        Err(_) => {
            let message = PANIC.lock().ok().and_then(|mut m| m.take());
            eprintln!(
                "error: integra stopped on an internal error (a bug: please report it): {}",
                message.unwrap_or_default()
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NotFound) => ExitCode::from(1),
        // A reader that stops early (`| head`) is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", output::clean(&describe(&err)));
            ExitCode::from(2)
        }
    }
}
