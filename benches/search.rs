//! Search latency: the 60 queries of `../shared/bench/queries-de.txt` against the Bundestag
//! speeches, through `Library::search` (hits, snippets and facet counts, as `integra search`
//! gets them), beside the same searches in plain tantivy with its German stemmer (top 10,
//! `SnippetGenerator`, count, and terms aggregations over the three facets: `baseline/`).
//! Without `../shared/bench`, the seed queries run against the seed corpus, without baseline.
//!
//! The queries fall into classes, each timed alone: one word, a compound (one word the analyzer
//! splits into parts), several words, the several-word queries as phrases, and the several-word
//! queries filtered by an institution and a range of years; each class in all-word and any-word
//! mode. The indexes are built once under `target/bench-indexes/` (integra's may instead be
//! named by `INTEGRA_BENCH_INDEX`, an index built by `integra index`). Median and 95th
//! percentile per query are printed first, with the ratio integra / tantivy of the medians;
//! criterion then times each class. See benches/README.md.

mod baseline;
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use baseline::{Baseline, Filters};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use integra::{IndexOptions, Library, MatchMode, SearchRequest, YearRange};
use tantivy::tokenizer::TokenStream;

/// The filters of the "filtered" class: one party of the speeches and five years.
const FILTER_INSTITUTION: &str = "SPD";
const FILTER_YEARS: (u16, u16) = (2019, 2023);

/// A class of queries.
struct Class {
    name: &'static str,
    queries: Vec<String>,
    filtered: bool,
    /// Searched with `exact` (`--exact`): without derived forms and the thesaurus.
    exact: bool,
}

/// The index to search, the queries, what they run against, and the baseline if the speeches
/// are there.
fn setup() -> (Library, Vec<String>, String, Option<Baseline>) {
    let queries_file = common::root().join("../shared/bench/queries-de.txt");
    let shared = common::shared_bench().filter(|_| queries_file.is_file());
    let indexes = common::root().join("target/bench-indexes");
    let Some(bench) = shared else {
        let queries =
            integra::eval::read_seed_table(&common::root().join("tests/fixtures/seed-queries.tsv"))
                .expect("the seed table reads")
                .into_iter()
                .map(|line| line.query)
                .collect();
        let corpus = indexes.join("seed.jsonl");
        std::fs::create_dir_all(&indexes).expect("the bench folder is made");
        common::write_jsonl(&common::seed_repeated(4 << 20), &corpus);
        let library = build(&indexes.join("integra-seed"), &corpus);
        return (
            library,
            queries,
            "the seed corpus repeated to 4 MB".into(),
            None,
        );
    };
    let queries = common::queries(&queries_file);
    let corpus = bench.join("bundestag-reden.jsonl.gz");
    let (library, name) = match std::env::var_os("INTEGRA_BENCH_INDEX") {
        Some(path) => (
            Library::open(&path).expect("INTEGRA_BENCH_INDEX is an integra index"),
            format!("the index at {}", PathBuf::from(&path).display()),
        ),
        None => (
            build(&indexes.join("integra-speeches"), &corpus),
            "the Bundestag speeches".into(),
        ),
    };
    let baseline = Baseline::open_or_build(&indexes.join("tantivy-speeches"), &corpus);
    let name = format!("{name} ({} documents)", library.num_documents());
    (library, queries, name, Some(baseline))
}

/// Opens integra's index in `dir`, building it from `corpus` first if it is not there.
fn build(dir: &std::path::Path, corpus: &std::path::Path) -> Library {
    if Library::exists(dir) {
        return Library::open(dir).expect("the bench index opens");
    }
    let library = Library::create(dir).expect("an index is created");
    library
        .index_corpus(corpus, &IndexOptions::default(), &mut |_| {})
        .expect("the corpus indexes");
    library
}

/// Sorts the queries into classes.
fn classes(queries: &[String]) -> Vec<Class> {
    let mut analyzer = integra::analysis::index_analyzer();
    let mut is_compound = |word: &str| {
        let mut stream = analyzer.token_stream(word);
        let mut tokens = 0;
        while stream.advance() {
            tokens += 1;
        }
        tokens > 1
    };
    let (one, several): (Vec<&String>, Vec<&String>) =
        queries.iter().partition(|q| !q.contains(' '));
    let (compounds, words): (Vec<&String>, Vec<&String>) =
        one.into_iter().partition(|q| is_compound(q));
    let owned = |v: &[&String]| v.iter().map(|q| q.to_string()).collect::<Vec<_>>();
    vec![
        Class {
            name: "one_word",
            queries: owned(&words),
            filtered: false,
            exact: false,
        },
        Class {
            name: "compound",
            queries: owned(&compounds),
            filtered: false,
            exact: false,
        },
        Class {
            name: "several_words",
            queries: owned(&several),
            filtered: false,
            exact: false,
        },
        Class {
            name: "phrase",
            queries: several.iter().map(|q| format!("\"{q}\"")).collect(),
            filtered: false,
            exact: false,
        },
        Class {
            name: "filtered",
            queries: owned(&several),
            filtered: true,
            exact: false,
        },
    ]
}

fn request(query: &str, mode: MatchMode, class: &Class) -> SearchRequest {
    let request = SearchRequest::new(query)
        .mode(mode)
        .limit(10)
        .exact(class.exact);
    if !class.filtered {
        return request;
    }
    request.institution(FILTER_INSTITUTION).years(YearRange {
        from: FILTER_YEARS.0,
        to: FILTER_YEARS.1,
    })
}

fn filters(filtered: bool) -> Filters<'static> {
    if !filtered {
        return Filters::default();
    }
    Filters {
        institution: Some(FILTER_INSTITUTION),
        years: Some((FILTER_YEARS.0.into(), FILTER_YEARS.1.into())),
    }
}

/// How many documents each query of `class` finds.
fn totals(library: &Library, class: &Class, mode: MatchMode) -> Vec<u64> {
    let found = |q: &String| {
        library
            .search(&request(q, mode, class))
            .map_or(0, |r| r.total)
    };
    class.queries.iter().map(found).collect()
}

/// The median and 95th percentile of `rounds` runs of `search` over each query.
fn percentiles(queries: &[String], rounds: usize, mut search: impl FnMut(&str)) -> (f64, f64) {
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for query in queries {
            let started = Instant::now();
            search(query);
            latencies.push(started.elapsed());
        }
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    (at(0.5).as_secs_f64() * 1e3, at(0.95).as_secs_f64() * 1e3)
}

fn search(c: &mut Criterion) {
    let (library, queries, name, baseline) = setup();
    println!("search: {} queries against {name}", queries.len());
    let mut classes = classes(&queries);
    classes.push(Class {
        name: "all_queries",
        queries: queries.clone(),
        filtered: false,
        exact: false,
    });
    // The same with --exact, so that one run prices the derived forms and the thesaurus.
    classes.push(Class {
        name: "all_queries_exact",
        queries: queries.clone(),
        filtered: false,
        exact: true,
    });
    for mode in [MatchMode::All, MatchMode::Any] {
        for class in &classes {
            let (p50, p95) = percentiles(&class.queries, 10, |q| {
                let results = library.search(&request(q, mode, class));
                assert!(results.is_ok(), "{q}: {results:?}");
            });
            let mut line = format!(
                "search {mode:?} {} ({} queries): integra p50 {p50:.2} ms, p95 {p95:.2} ms",
                class.name,
                class.queries.len()
            );
            if let Some(baseline) = &baseline {
                let all = mode == MatchMode::All;
                let (b50, b95) = percentiles(&class.queries, 10, |q| {
                    std::hint::black_box(baseline.search(q, all, filters(class.filtered)));
                });
                let ours: u64 = totals(&library, class, mode).iter().sum();
                let (theirs, snippets) = class.queries.iter().fold((0, 0), |(n, s), q| {
                    let found = baseline.search(q, all, filters(class.filtered));
                    (n + found.total, s + found.snippet_bytes)
                });
                line += &format!(
                    "; tantivy p50 {b50:.2} ms, p95 {b95:.2} ms; ratio of medians {:.2} \
                     (matches: integra {ours}, tantivy {theirs}; tantivy's snippets {snippets} bytes)",
                    p50 / b50
                );
            }
            println!("{line}");
        }
    }
    let mut group = c.benchmark_group("search");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for mode in [MatchMode::All, MatchMode::Any] {
        let label = if mode == MatchMode::All { "all" } else { "any" };
        for class in &classes {
            group.throughput(Throughput::Elements(class.queries.len() as u64));
            // What each query finds, checked on every run so the work cannot be skipped.
            let expected = totals(&library, class, mode);
            group.bench_function(format!("integra/{label}/{}", class.name), |b| {
                b.iter(|| {
                    for (q, &total) in class.queries.iter().zip(&expected) {
                        let found = library.search(&request(q, mode, class));
                        assert_eq!(found.map_or(0, |r| r.total), total, "{q}");
                    }
                })
            });
            if let Some(baseline) = &baseline {
                let all = mode == MatchMode::All;
                group.bench_function(format!("tantivy/{label}/{}", class.name), |b| {
                    b.iter(|| {
                        for q in &class.queries {
                            std::hint::black_box(baseline.search(q, all, filters(class.filtered)));
                        }
                    })
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
