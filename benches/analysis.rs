//! Analyzer throughput on German text: tantivy's default chain against ours.
//!
//! ```text
//! cargo bench --bench analysis
//! ```
//!
//! The texts are the seed corpus (`corpus/*.txt`) and, when `../shared/bench/` holds it, the
//! first 8 MB of text of the Bundestag speeches; that bench is skipped otherwise.

use std::io::{BufRead, BufReader};
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream,
};

/// How much Bundestag text to analyze, in bytes.
const BUNDESTAG_BYTES: usize = 8 << 20;

fn seed_corpus() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the seed corpus is in the repository")
        .map(|entry| entry.expect("readable corpus directory").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("readable corpus file"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn bundestag() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Document {
        text: String,
    }
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/bundestag-reden.jsonl.gz");
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    for line in BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines() {
        let document: Document = serde_json::from_str(&line.ok()?).ok()?;
        text.push_str(&document.text);
        text.push_str("\n\n");
        if text.len() >= BUNDESTAG_BYTES {
            break;
        }
    }
    Some(text)
}

fn default_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// The default chain with tantivy's own Snowball German stemmer: the cost of stemming alone.
fn default_stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::German))
        .build()
}

fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        count += 1;
    }
    count
}

fn bench_text(c: &mut Criterion, name: &str, text: &str) {
    let mut group = c.benchmark_group(format!("analysis/{name}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    if text.len() > 1 << 20 {
        group.sample_size(10);
    }
    let mut analyzers = [
        ("tantivy-default", default_analyzer()),
        ("tantivy-default+stemmer", default_stemming_analyzer()),
        ("integra", integra::analysis::index_analyzer()),
    ];
    for (label, analyzer) in &mut analyzers {
        group.bench_function(*label, |b| {
            b.iter(|| {
                let count = count_tokens(analyzer, text);
                assert!(count > 0);
                count
            })
        });
    }
    group.finish();
}

/// Prints how long the first pass over `text` takes, before any word is in the German
/// analyzer's memo (criterion's figures are for later passes, which find every word there).
fn first_pass(text: &str) {
    let time = |analyzer: &mut TextAnalyzer| {
        let started = std::time::Instant::now();
        assert!(count_tokens(analyzer, text) > 0);
        started.elapsed().as_secs_f64()
    };
    let german = time(&mut integra::analysis::index_analyzer());
    let default = time(&mut default_analyzer());
    let mb = text.len() as f64 / f64::from(1 << 20);
    println!(
        "analysis: first pass over {mb:.1} MB: integra {:.1} MiB/s, tantivy default {:.1} MiB/s: ratio {:.2}",
        mb / german,
        mb / default,
        default / german
    );
}

fn analysis(c: &mut Criterion) {
    match bundestag() {
        Some(text) => {
            first_pass(&text);
            bench_text(c, "seed-corpus", &seed_corpus());
            bench_text(c, "bundestag-8mb", &text);
        }
        None => {
            bench_text(c, "seed-corpus", &seed_corpus());
            eprintln!("../shared/bench/bundestag-reden.jsonl.gz not found: skipped");
        }
    }
}

criterion_group!(benches, analysis);
criterion_main!(benches);
