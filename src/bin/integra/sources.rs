//! `integra sources`: the folders and files an index was built from.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use integra::Library;

use crate::output::{clean, shown_path};
use crate::{IndexDir, Outcome};

/// List the folders and files the index was built from.
///
/// `integra index --corpus DIR` adds one, `integra index` updates them all, and
/// `integra index --remove DIR` removes one with its documents.
#[derive(Args)]
#[command(after_help = "Examples:\n  integra sources\n  integra sources --json")]
pub struct SourcesArgs {
    #[command(flatten)]
    index: IndexDir,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: SourcesArgs) -> Result<Outcome> {
    let sources = Library::open(&args.index.path)?.sources()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &sources)?;
        writeln!(out)?;
    } else if sources.is_empty() {
        writeln!(
            out,
            "no sources: index a folder with 'integra index --corpus DIR'"
        )?;
    } else {
        for source in &sources {
            writeln!(
                out,
                "{}  {} files, {} documents{}",
                clean(&shown_path(&source.path)),
                source.files,
                source.documents,
                if source.present { "" } else { " (missing)" }
            )?;
        }
    }
    Ok(if sources.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}
