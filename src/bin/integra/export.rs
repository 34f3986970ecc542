//! `integra export --analyzed`: the documents with the analyzer's terms, one JSON line each.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use integra::Library;

use crate::{IndexDir, Outcome};

/// Write every document of the index as one JSON line, with its metadata and the analyzer's
/// terms as whitespace-joined fields (`title_terms`, `name_terms`, `terms`), and one more line
/// for each page of a document with pages. Another engine (OpenSearch, Quickwit) with a plain
/// whitespace tokenizer then serves integra's German analysis: see docs/SCALING.md.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra export --analyzed > analyzed.jsonl\n  \
    integra export --analyzed --index /tmp/bt | gzip > bt-analyzed.jsonl.gz")]
pub struct ExportArgs {
    /// Export the analyzer's terms (the one format so far; required, so that others can
    /// follow).
    #[arg(long, required = true)]
    analyzed: bool,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: ExportArgs) -> Result<Outcome> {
    let index = &args.index.path;
    let library = Library::open(index)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut lines = 0u64;
    for record in library
        .export_analyzed()
        .with_context(|| format!("cannot export {}", index.display()))?
    {
        let record = record.with_context(|| format!("cannot export {}", index.display()))?;
        serde_json::to_writer(&mut out, &record)?;
        writeln!(out)?;
        lines += 1;
    }
    out.flush()?;
    Ok(if lines > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}
