//! Indexes a corpus into a new temporary index with one analyzer, as `integra index` does, and
//! prints the seconds it took: one first pass, the process's word memo empty.
//!
//! ```text
//! cargo run --release --example index_with -- full|tantivy-default CORPUS
//! ```
//!
//! `benches/first_pass.sh` runs it with integra's analyzer and with tantivy's default tokenizer
//! in turn, each in a new process, to compare the two on a first pass (see benches/README.md).

use std::time::Instant;

use anyhow::{Context, Result, bail};
use integra::AnalyzerChoice;
use integra::{IndexOptions, Library};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(analyzer), Some(corpus)) = (args.next(), args.next()) else {
        bail!("usage: index_with full|tantivy-default|tantivy-german|no-decompound CORPUS");
    };
    let choice = [
        AnalyzerChoice::Full,
        AnalyzerChoice::TantivyDefault,
        AnalyzerChoice::TantivyGerman,
        AnalyzerChoice::NoDecompound,
    ]
    .into_iter()
    .find(|choice| choice.name() == analyzer)
    .with_context(|| format!("no analyzer {analyzer:?}"))?;
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let started = Instant::now();
    let library = Library::create_with_analyzer(dir.path(), choice)?;
    let report = library.index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})?;
    println!(
        "{analyzer}: {} documents in {:.2} s",
        report.total,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
