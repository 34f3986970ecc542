//! Search latency: the 60 queries of `../shared/bench/queries-de.txt` against the Bundestag
//! speeches, through `Library::search` (hits, snippets and facet counts, as `integra search`
//! gets them). Without `../shared/bench`, the seed queries run against the seed corpus.
//!
//! The index is built once before measuring (all 63,130 speeches), or taken from
//! `INTEGRA_BENCH_INDEX` if that names an index built by `integra index`, which spares the
//! rebuild when the bench runs again. Median and 95th-percentile latency per query are printed
//! first; criterion then times the whole set. Throughput is in queries (elements), as bytes mean
//! nothing for a search. See benches/README.md.

mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use integra::{IndexOptions, Library, MatchMode, SearchRequest};

/// The index to search, the queries, and what they run against.
fn setup() -> (Library, Vec<String>, String, Option<tempfile::TempDir>) {
    let queries_file = common::root().join("../shared/bench/queries-de.txt");
    let shared = common::shared_bench().filter(|_| queries_file.is_file());
    let queries: Vec<String> = match &shared {
        Some(_) => std::fs::read_to_string(&queries_file)
            .expect("the queries read")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect(),
        None => {
            integra::eval::read_seed_table(&common::root().join("tests/fixtures/seed-queries.tsv"))
                .expect("the seed table reads")
                .into_iter()
                .map(|line| line.query)
                .collect()
        }
    };
    if let Some(path) = std::env::var_os("INTEGRA_BENCH_INDEX") {
        let library = Library::open(&path).expect("INTEGRA_BENCH_INDEX is an integra index");
        let name = format!("the index at {}", std::path::Path::new(&path).display());
        return (library, queries, name, None);
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (corpus, name) = match &shared {
        Some(bench) => (
            bench.join("bundestag-reden.jsonl.gz"),
            "the Bundestag speeches".to_string(),
        ),
        None => {
            let corpus = dir.path().join("seed.jsonl");
            common::write_jsonl(&common::seed_repeated(4 << 20), &corpus);
            (corpus, "the seed corpus repeated to 4 MB".to_string())
        }
    };
    let library = Library::create(dir.path().join("index")).expect("an index is created");
    let report = library
        .index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})
        .expect("the corpus indexes");
    let name = format!("{name} ({} documents)", report.total);
    (library, queries, name, Some(dir))
}

/// A request as `integra search` makes it; `exact` leaves out derived forms and the thesaurus
/// (`--exact`), so that one run pairs the cost of the related words with the search without
/// them.
fn request(query: &str, mode: MatchMode, exact: bool) -> SearchRequest {
    SearchRequest::new(query).mode(mode).limit(10).exact(exact)
}

/// Runs every query `rounds` times and prints the median and 95th percentile of the latencies.
fn percentiles(library: &Library, queries: &[String], mode: MatchMode, exact: bool, rounds: usize) {
    let mut latencies = Vec::with_capacity(queries.len() * rounds);
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for query in queries {
        let mut worst = Duration::ZERO;
        for _ in 0..rounds {
            let started = Instant::now();
            let results = library.search(&request(query, mode, exact));
            let took = started.elapsed();
            assert!(results.is_ok(), "{query}: {results:?}");
            latencies.push(took);
            worst = worst.max(took);
        }
        slowest.push((worst, query));
    }
    latencies.sort();
    slowest.sort_by_key(|&(took, _)| std::cmp::Reverse(took));
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "search {mode:?}{}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms over {} queries × {rounds}; slowest: {}",
        if exact { " --exact" } else { "" },
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        queries.len(),
        slowest
            .iter()
            .take(3)
            .map(|(d, q)| format!("{q} ({:.1} ms)", ms(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn search(c: &mut Criterion) {
    let (library, queries, name, _dir) = setup();
    println!("search: {} queries against {name}", queries.len());
    let mut group = c.benchmark_group("search");
    // Each sample is a pass over all queries, long enough on the speeches that ten suffice.
    group
        .throughput(Throughput::Elements(queries.len() as u64))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat);
    for (label, mode, exact) in [
        ("all_words", MatchMode::All, false),
        ("all_words_exact", MatchMode::All, true),
        ("any_word", MatchMode::Any, false),
        ("any_word_exact", MatchMode::Any, true),
    ] {
        // What each query finds, checked on every run so the work cannot be skipped.
        let expected: Vec<u64> = queries
            .iter()
            .map(|q| {
                library
                    .search(&request(q, mode, exact))
                    .map_or(0, |r| r.total)
            })
            .collect();
        assert!(expected.iter().any(|&n| n > 0), "no query finds anything");
        percentiles(&library, &queries, mode, exact, 10);
        group.bench_function(format!("{label}/{}_queries", queries.len()), |b| {
            b.iter(|| {
                for (query, &total) in queries.iter().zip(&expected) {
                    let found = library
                        .search(&request(query, mode, exact))
                        .map_or(0, |r| r.total);
                    assert_eq!(found, total, "{query}");
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
