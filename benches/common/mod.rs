//! Real German text for the benches: the Bundestag speeches when `../shared/bench` is beside the
//! repository, else the seed corpus of the repository, repeated.

#![allow(dead_code)] // Each bench uses a part of this module.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

/// A document to index: id, title and body text.
pub struct Doc {
    pub id: String,
    pub title: String,
    pub text: String,
}

impl Doc {
    /// Bytes of text it holds.
    pub fn bytes(&self) -> usize {
        self.title.len() + self.text.len()
    }
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared bench folder, if it is there.
pub fn shared_bench() -> Option<PathBuf> {
    let dir = root().join("../shared/bench");
    dir.join("bundestag-reden.jsonl.gz")
        .is_file()
        .then_some(dir)
}

/// The queries of a file of one query a line (`../shared/bench/queries-de.txt`), without
/// blank lines and `#` comments.
pub fn queries(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("the queries read")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// How many MB of text a bench indexes: `INTEGRA_BENCH_MB`, else `default`.
pub fn megabytes(default: usize) -> usize {
    std::env::var("INTEGRA_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// About `mb` megabytes of German text, and where it comes from.
pub fn german_text(mb: usize) -> (Vec<Doc>, &'static str) {
    let limit = mb << 20;
    match shared_bench() {
        Some(dir) => (bundestag(&dir, limit), "Bundestag speeches"),
        None => (seed_repeated(limit), "seed corpus, repeated"),
    }
}

/// The first `limit` bytes of Bundestag speeches (0 for all of them).
pub fn bundestag(dir: &std::path::Path, limit: usize) -> Vec<Doc> {
    let file = std::fs::File::open(dir.join("bundestag-reden.jsonl.gz")).expect("file opens");
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut docs = Vec::new();
    let mut total = 0;
    for line in reader.lines() {
        let line = line.expect("gzip reads");
        let value: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
        let doc = Doc {
            id: field("id"),
            title: field("title"),
            text: field("text"),
        };
        total += doc.bytes();
        docs.push(doc);
        if limit > 0 && total >= limit {
            break;
        }
    }
    docs
}

/// The seed corpus's texts, repeated until they hold `limit` bytes.
pub fn seed_repeated(limit: usize) -> Vec<Doc> {
    let mut seed: Vec<(String, String)> = std::fs::read_dir(root().join("corpus"))
        .expect("the seed corpus is in the repository")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a seed text reads");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    seed.sort();
    let mut docs = Vec::new();
    let mut total = 0;
    'outer: for round in 0.. {
        for (name, text) in &seed {
            let doc = Doc {
                id: format!("{name}#{round}"),
                title: name.clone(),
                text: text.clone(),
            };
            total += doc.bytes();
            docs.push(doc);
            if total >= limit {
                break 'outer;
            }
        }
    }
    docs
}

/// Writes `docs` as a JSON Lines corpus file, the format `integra index` reads.
pub fn write_jsonl(docs: &[Doc], path: &std::path::Path) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("file creates"));
    for doc in docs {
        let line = serde_json::json!({"id": doc.id, "title": doc.title, "text": doc.text});
        writeln!(out, "{line}").expect("file writes");
    }
    out.flush().expect("file writes");
}

/// Prints, for the first round and for the best of the rounds, the throughput of the German
/// analyzer and of tantivy's default tokenizer over `mb` MB and their ratio (`stage` names the
/// bench, `how` what it ran).
pub fn print_ratios(
    stage: &str,
    how: &str,
    mb: f64,
    rounds: [(std::time::Duration, std::time::Duration); 2],
) {
    let speed = |d: std::time::Duration| mb / d.as_secs_f64();
    for ((german, default), label) in rounds.into_iter().zip(["first round", "best of 3"]) {
        println!(
            "{stage}: German analyzer {:.1} MB/s, tantivy default {:.1} MB/s: ratio {:.2} ({label}, {how})",
            speed(german),
            speed(default),
            default.as_secs_f64() / german.as_secs_f64()
        );
    }
}

/// A criterion group for a stage that indexes `bytes` of text per iteration: ten samples, each
/// of one iteration, over ten seconds, throughput in MiB/s.
pub fn indexing_group<'c>(
    c: &'c mut criterion::Criterion,
    name: &str,
    bytes: usize,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .throughput(criterion::Throughput::Bytes(bytes as u64))
        .sample_size(10)
        .sampling_mode(criterion::SamplingMode::Flat)
        .measurement_time(std::time::Duration::from_secs(10));
    group
}
