//! Indexing throughput on real German text: integra's German analyzer against tantivy's default
//! tokenizer in the same run and the same schema of two text fields, so that the figures show
//! what the analysis costs tantivy's indexing itself (`benches/pipeline.rs` measures the whole
//! `Library::index_corpus` pipeline the same way).
//!
//! The text is the first `INTEGRA_BENCH_MB` (default 8) MB of the Bundestag speeches when
//! `../shared/bench` is there, else the repository's seed corpus repeated to that size. The
//! ratio of the two throughputs is printed before criterion's figures, since on a shared
//! machine only figures from the same run compare; benches/README.md keeps the current ratio
//! and the target it is held to.

mod common;

use std::time::{Duration, Instant};

use common::Doc;
use criterion::{Criterion, criterion_group, criterion_main};
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, TantivyDocument};

/// Indexes `docs` into an index in memory whose title and body are analyzed by `analyzer`,
/// with the options integra's schema uses (positions, stored), on one thread; returns the
/// number of documents committed.
fn index_with(docs: &[Doc], analyzer: &TextAnalyzer) -> u64 {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("bench")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let id = builder.add_text_field("id", STORED);
    let title = builder.add_text_field("title", text.clone());
    let body = builder.add_text_field("body", text);
    let index = Index::create_in_ram(builder.build());
    index.tokenizers().register("bench", analyzer.clone());
    let mut writer = index
        .writer_with_num_threads(1, 256 << 20)
        .expect("a writer opens");
    for doc in docs {
        let mut d = TantivyDocument::new();
        d.add_text(id, &doc.id);
        d.add_text(title, &doc.title);
        d.add_text(body, &doc.text);
        writer.add_document(d).expect("a document adds");
    }
    writer.commit().expect("the index commits");
    let reader = index.reader().expect("a reader opens");
    reader.searcher().num_docs()
}

fn default_analyzer() -> TextAnalyzer {
    TokenizerManager::default()
        .get("default")
        .expect("tantivy has a default tokenizer")
}

/// Timings of each analyzer, interleaved so that both see the same machine: the first round
/// (in which the German analyzer's word memo is empty, as when a process indexes a corpus
/// once) and the best of `rounds` (the memo filled by the rounds before, as in a process that
/// keeps indexing).
fn ratio(docs: &[Doc], rounds: usize) -> [(Duration, Duration); 2] {
    let (german, default) = (integra::analysis::index_analyzer(), default_analyzer());
    let mut first = None;
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        let started = Instant::now();
        assert_eq!(index_with(docs, &german), docs.len() as u64);
        let german = started.elapsed();
        let started = Instant::now();
        assert_eq!(index_with(docs, &default), docs.len() as u64);
        let default = started.elapsed();
        first.get_or_insert((german, default));
        best = (best.0.min(german), best.1.min(default));
    }
    [first.expect("at least one round"), best]
}

fn indexing(c: &mut Criterion) {
    let (docs, source) = common::german_text(common::megabytes(8));
    let bytes: usize = docs.iter().map(Doc::bytes).sum();
    let mb = bytes as f64 / (1 << 20) as f64;
    println!(
        "indexing: {mb:.1} MB in {} documents ({source})",
        docs.len()
    );

    common::print_ratios("indexing", "one thread", mb, ratio(&docs, 3));

    let mut group = common::indexing_group(c, "indexing", bytes);
    let german = integra::analysis::index_analyzer();
    group.bench_function("german_analyzer", |b| {
        b.iter(|| assert_eq!(index_with(&docs, &german), docs.len() as u64))
    });
    let default = default_analyzer();
    group.bench_function("tantivy_default", |b| {
        b.iter(|| assert_eq!(index_with(&docs, &default), docs.len() as u64))
    });
    group.finish();
}

criterion_group!(benches, indexing);
criterion_main!(benches);
