//! The whole indexing pipeline, `Library::index_corpus` as `integra index` runs it (reading JSON
//! lines, analysis, integra's schema with its stored fields, facets and content hashes, two
//! writer threads, the commit), with integra's German analyzer against the same pipeline with
//! tantivy's default tokenizer (`AnalyzerChoice::TantivyDefault`) on the same text in the same
//! run: what the German analysis costs a user who indexes a corpus.
//!
//! The text is the first `INTEGRA_BENCH_MB` (default 8) MB of the Bundestag speeches when
//! `../shared/bench` is there, else the repository's seed corpus repeated to that size;
//! `INTEGRA_BENCH_MB=300` takes all 63,130 speeches. The ratio is printed before criterion's
//! figures, for the first round (the process's word memo empty, as in `integra index`) and for
//! the best of three. See benches/README.md.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Doc;
use criterion::{Criterion, criterion_group, criterion_main};
use integra::AnalyzerChoice;
use integra::{IndexOptions, Library};

/// Indexes the corpus file into a new index under `dir` with `analyzer`; returns the time it
/// took, creating the index included.
fn index_once(corpus: &Path, dir: &Path, analyzer: AnalyzerChoice, docs: u64) -> Duration {
    let index_dir = tempfile::tempdir_in(dir).expect("a temporary folder");
    let started = Instant::now();
    let library =
        Library::create_with_analyzer(index_dir.path(), analyzer).expect("an index is created");
    let report = library
        .index_corpus(corpus, &IndexOptions::default(), &mut |_| {})
        .expect("the corpus indexes");
    let elapsed = started.elapsed();
    assert_eq!(report.total, docs);
    elapsed
}

fn pipeline(c: &mut Criterion) {
    let (docs, source) = common::german_text(common::megabytes(8));
    let bytes: usize = docs.iter().map(Doc::bytes).sum();
    let mb = bytes as f64 / (1 << 20) as f64;
    let count = docs.len() as u64;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let corpus = dir.path().join("corpus.jsonl");
    common::write_jsonl(&docs, &corpus);
    drop(docs);
    println!("pipeline: {mb:.1} MB in {count} documents ({source})");

    // Interleaved, German first, so that its first round meets an empty word memo.
    let mut first = None;
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let german = index_once(&corpus, dir.path(), AnalyzerChoice::Full, count);
        let default = index_once(&corpus, dir.path(), AnalyzerChoice::TantivyDefault, count);
        first.get_or_insert((german, default));
        best = (best.0.min(german), best.1.min(default));
    }
    let first = first.expect("three rounds");
    common::print_ratios("pipeline", "Library::index_corpus", mb, [first, best]);

    let mut group = common::indexing_group(c, "pipeline", bytes);
    for (name, analyzer) in [
        ("german_analyzer", AnalyzerChoice::Full),
        ("tantivy_default", AnalyzerChoice::TantivyDefault),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| index_once(&corpus, dir.path(), analyzer, count))
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
