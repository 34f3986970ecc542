//! `integra stats`: what the index holds.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use integra::{FacetValue, Library};

use crate::output::clean;
use crate::{IndexDir, Outcome};

/// Show what the index holds: documents, size on disk, facet values.
#[derive(Args)]
#[command(after_help = "Examples:\n  integra stats\n  integra stats --index /tmp/bt --json")]
pub struct StatsArgs {
    #[command(flatten)]
    index: IndexDir,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

fn top(values: &[FacetValue], n: usize) -> String {
    let shown: Vec<String> = values
        .iter()
        .take(n)
        .map(|v| format!("{} ({})", clean(&v.value), v.count))
        .collect();
    let more = values.len().saturating_sub(n);
    if more > 0 {
        format!("{}, … {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

pub fn run(args: StatsArgs) -> Result<Outcome> {
    let stats = Library::open(&args.index.path)?.stats()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(Outcome::Found);
    }
    writeln!(out, "index:        {}", clean(&stats.path))?;
    writeln!(out, "documents:    {}", stats.documents)?;
    writeln!(
        out,
        "size:         {:.1} MiB in {} segments",
        stats.size_bytes as f64 / (1024.0 * 1024.0),
        stats.segments
    )?;
    writeln!(out, "built with:   {}", stats.built_with)?;
    let facets = &stats.facets;
    writeln!(
        out,
        "authors:      {} values: {}",
        facets.authors.len(),
        top(&facets.authors, 5)
    )?;
    writeln!(
        out,
        "institutions: {} values: {}",
        facets.institutions.len(),
        top(&facets.institutions, 5)
    )?;
    writeln!(
        out,
        "years:        {} values: {}",
        facets.years.len(),
        top(&facets.years, 10)
    )?;
    Ok(Outcome::Found)
}
