//! `integra check`: is the index sound?

use std::io::Write;

use anyhow::Result;
use clap::Args;
use integra::Library;

use crate::output::{Style, clean};
use crate::{IndexDir, Outcome};

/// Check the index for damage.
///
/// Reads every file of the index to its end and compares it with the checksum written with it,
/// then opens every segment: finds files that are missing, cut short or changed since they were
/// written (a failing disk, a sync tool, a full disk). Exit status 0 if the index is sound, 1 if
/// it is damaged (then 'integra index --rebuild' builds it again from its corpus), 2 if it cannot
/// be checked.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra check\n  \
    integra check --index ~/studien-index --json")]
pub struct CheckArgs {
    #[command(flatten)]
    index: IndexDir,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: CheckArgs) -> Result<Outcome> {
    let report = Library::check(&args.index.path)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let style = Style::detect();
        let read = format!(
            "{} segments, {} files, {} read",
            report.segments,
            report.files,
            size(report.bytes)
        );
        if report.is_sound() {
            writeln!(out, "the index at {} is sound: {read}", clean(&report.path))?;
        } else {
            writeln!(
                out,
                "the index at {} is {}: {read}",
                clean(&report.path),
                style.bold("damaged")
            )?;
            for damage in &report.damaged {
                writeln!(out, "  {}: {}", clean(&damage.file), clean(&damage.reason))?;
            }
            writeln!(
                out,
                "run 'integra index --rebuild' to build it again from its corpus"
            )?;
        }
    }
    out.flush()?;
    Ok(if report.is_sound() {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

/// Bytes as people read them.
fn size(bytes: u64) -> String {
    match bytes {
        0..10_000 => format!("{bytes} bytes"),
        10_000..10_000_000 => format!("{} kB", bytes / 1000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}
