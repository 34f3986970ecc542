//! How indexing and searching grow with the collection: the first 8k, 16k and 32k Bundestag
//! speeches, all 63k of them, and all of them cut into their paragraphs (about 600k documents,
//! each paragraph's id the speech's id and its number). For each: the wall time of indexing
//! (`Library::index_corpus` on a gzipped JSON Lines file, in a process of its own so that its
//! peak memory is its own), the index's size on disk, the peak resident memory of that process,
//! and the median and 95th percentile latency of the 60 queries of
//! `../shared/bench/queries-de.txt` (10 hits, snippets and facet counts, all words and any word).
//!
//! `cargo bench --bench growth` (a filter that does not name it, `-- nothing`, skips it) builds the corpora and indexes once under
//! `target/bench-indexes/growth/` (delete that folder to measure indexing again), prints a
//! Markdown table and writes the plot `benches/growth.svg`. Needs `../shared/bench`; without it
//! the bench says so and does nothing. See benches/README.md.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use integra::{IndexOptions, Library, MatchMode, SearchRequest};
use plotters::prelude::*;

/// Run in the child process: index the corpus at this path into the folder that follows.
const CHILD: &str = "INTEGRA_GROWTH_CHILD";

/// A collection of the bench.
struct Size {
    name: String,
    /// Speeches taken from the start of the file (0: all).
    speeches: usize,
    paragraphs: bool,
}

/// What was measured for one collection.
struct Row {
    name: String,
    documents: u64,
    megabytes: f64,
    index_secs: f64,
    index_mb: f64,
    peak_mb: f64,
    all: (f64, f64),
    any: (f64, f64),
}

fn main() {
    if let Ok(job) = std::env::var(CHILD) {
        index_in_child(&job);
        return;
    }
    // A filter as criterion takes it (`cargo bench -- nothing`) runs this bench only if it
    // names it, so that timing another bench does not build these indexes.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| "growth".contains(f.as_str())) {
        return;
    }
    let Some(bench) = common::shared_bench() else {
        println!("growth: ../shared/bench is not there, so there is nothing to measure");
        return;
    };
    let queries = common::queries(&bench.join("queries-de.txt"));
    let dir = common::root().join("target/bench-indexes/growth");
    std::fs::create_dir_all(&dir).expect("the bench folder is made");
    let sizes = [
        (8_000, false),
        (16_000, false),
        (32_000, false),
        (0, false),
        (0, true),
    ]
    .map(|(speeches, paragraphs)| Size {
        name: match (speeches, paragraphs) {
            (0, false) => "all speeches".into(),
            (0, true) => "all paragraphs".into(),
            (n, _) => format!("{}k speeches", n / 1000),
        },
        speeches,
        paragraphs,
    });
    let mut rows = Vec::new();
    for size in &sizes {
        let slug = size.name.replace(' ', "-");
        let corpus = dir.join(format!("{slug}.jsonl.gz"));
        let megabytes = write_corpus(&bench.join("bundestag-reden.jsonl.gz"), size, &corpus);
        let index = dir.join(format!("index-{slug}"));
        let measured = dir.join(format!("index-{slug}.measured"));
        if !measured.is_file() {
            let _ = std::fs::remove_dir_all(&index);
            let output = std::process::Command::new(std::env::current_exe().expect("the bench"))
                .env(CHILD, format!("{}\n{}", corpus.display(), index.display()))
                .output()
                .expect("the child runs");
            assert!(output.status.success(), "{output:?}");
            std::fs::write(&measured, &output.stdout).expect("the figures are kept");
        }
        let figures = std::fs::read_to_string(&measured).expect("the figures read");
        let [index_secs, peak_mb]: [f64; 2] = figures
            .split_whitespace()
            .map(|f| f.parse().expect("a figure"))
            .collect::<Vec<_>>()
            .try_into()
            .expect("two figures");
        let library = Library::open(&index).expect("the index opens");
        let row = Row {
            name: size.name.clone(),
            documents: library.num_documents(),
            megabytes,
            index_secs,
            index_mb: folder_bytes(&index) as f64 / 1e6,
            peak_mb,
            all: percentiles(&library, &queries, MatchMode::All),
            any: percentiles(&library, &queries, MatchMode::Any),
        };
        println!(
            "growth {}: {} documents, {:.0} MB, indexed in {:.1} s, index {:.0} MB, peak {:.0} MB, all words p50 {:.2} / p95 {:.2} ms, any word p50 {:.2} / p95 {:.2} ms",
            row.name,
            row.documents,
            row.megabytes,
            row.index_secs,
            row.index_mb,
            row.peak_mb,
            row.all.0,
            row.all.1,
            row.any.0,
            row.any.1
        );
        rows.push(row);
    }
    print_table(&rows);
    let svg = common::root().join("benches/growth.svg");
    plot(&rows, &svg).expect("the plot is drawn");
    println!("growth: the plot is in {}", svg.display());
}

/// Writes the collection `size` of the speeches in `source` to `out` (unless it is there) and
/// returns the megabytes of text it holds.
fn write_corpus(source: &Path, size: &Size, out: &Path) -> f64 {
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(source).expect("the speeches open"),
    ));
    let exists = out.is_file();
    // Written under another name and renamed when whole, so that a run cut short leaves none.
    let partial = out.with_extension("partial");
    let mut writer = (!exists).then(|| {
        let file = std::fs::File::create(&partial).expect("the corpus file is made");
        flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast())
    });
    let mut bytes = 0;
    for (n, line) in reader.lines().enumerate() {
        if size.speeches > 0 && n >= size.speeches {
            break;
        }
        let line = line.expect("the speeches read");
        let mut speech: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let text = speech["text"].as_str().unwrap_or_default().to_string();
        bytes += text.len();
        let Some(writer) = writer.as_mut() else {
            continue;
        };
        if !size.paragraphs {
            writeln!(writer, "{line}").expect("the corpus writes");
            continue;
        }
        let id = speech["id"].as_str().unwrap_or_default().to_string();
        for (i, paragraph) in text
            .split('\n')
            .filter(|p| !p.trim().is_empty())
            .enumerate()
        {
            speech["id"] = format!("{id}-{}", i + 1).into();
            speech["text"] = paragraph.into();
            writeln!(writer, "{speech}").expect("the corpus writes");
        }
    }
    if let Some(writer) = writer {
        writer
            .finish()
            .and_then(|mut w| w.flush())
            .and_then(|()| std::fs::rename(&partial, out))
            .expect("the corpus writes");
    }
    bytes as f64 / 1e6
}

/// In the child process: indexes, then prints the seconds it took and its peak memory in MB.
fn index_in_child(job: &str) {
    let (corpus, index) = job.split_once('\n').expect("a corpus and an index");
    let started = Instant::now();
    let library = Library::create(index).expect("the index is created");
    library
        .index_corpus(corpus, &IndexOptions::default(), &mut |_| {})
        .expect("the corpus indexes");
    let secs = started.elapsed().as_secs_f64();
    println!("{secs:.3} {:.1}", peak_rss_mb());
}

/// The peak resident memory of this process, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The bytes of the files in `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The median and 95th percentile of five runs of each query, in ms, after one run to warm up.
fn percentiles(library: &Library, queries: &[String], mode: MatchMode) -> (f64, f64) {
    let search = |q: &str| {
        library
            .search(&SearchRequest::new(q).mode(mode).limit(10))
            .expect("the query runs")
    };
    for q in queries {
        search(q);
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        for q in queries {
            let started = Instant::now();
            std::hint::black_box(search(q));
            latencies.push(started.elapsed());
        }
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    (at(0.5).as_secs_f64() * 1e3, at(0.95).as_secs_f64() * 1e3)
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| collection | documents | text MB | indexing s | s per 100 MB | index MB | peak MB | all words p50 / p95 ms | any word p50 / p95 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.0} | {:.0} | {:.2} / {:.2} | {:.2} / {:.2} |",
            r.name,
            r.documents,
            r.megabytes,
            r.index_secs,
            r.index_secs / r.megabytes * 100.0,
            r.index_mb,
            r.peak_mb,
            r.all.0,
            r.all.1,
            r.any.0,
            r.any.1
        );
    }
}

/// A line of the latency chart: its label, colour and value.
type Series = (&'static str, RGBColor, fn(&Row) -> f64);

/// Draws indexing time against documents and the latencies against documents, side by side.
fn plot(rows: &[Row], out: &PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(out, (1000, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(500);
    let max_mb = rows.iter().map(|r| r.megabytes).fold(0.0, f64::max) * 1.1;
    let max_secs = rows.iter().map(|r| r.index_secs).fold(0.0, f64::max) * 1.1;
    let mut chart = ChartBuilder::on(&left)
        .caption("Indexing time by text size", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..max_mb, 0.0..max_secs)?;
    chart
        .configure_mesh()
        .x_desc("MB of text")
        .y_desc("seconds")
        .draw()?;
    let speeches = || rows.iter().filter(|r| !r.name.contains("paragraphs"));
    chart
        .draw_series(LineSeries::new(
            speeches().map(|r| (r.megabytes, r.index_secs)),
            &BLUE,
        ))?
        .label("speeches")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE));
    chart.draw_series(
        speeches().map(|r| Circle::new((r.megabytes, r.index_secs), 4, BLUE.filled())),
    )?;
    chart
        .draw_series(
            rows.iter()
                .filter(|r| r.name.contains("paragraphs"))
                .map(|r| Circle::new((r.megabytes, r.index_secs), 5, RED.filled())),
        )?
        .label("the same text as paragraphs (13× the documents)")
        .legend(|(x, y)| Circle::new((x + 8, y), 4, RED.filled()));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;

    let min_docs = rows.iter().map(|r| r.documents).min().unwrap_or(1) as f64 * 0.8;
    let max_docs = rows.iter().map(|r| r.documents).max().unwrap_or(1) as f64 * 1.25;
    let docs = |r: &Row| r.documents as f64;
    let max_ms = rows
        .iter()
        .map(|r| r.all.1.max(r.any.1))
        .fold(0.0, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(&right)
        .caption(
            "Search latency (10 hits, snippets, facets)",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((min_docs..max_docs).log_scale(), 0.0..max_ms)?;
    chart
        .configure_mesh()
        .x_desc("documents (log scale)")
        .y_desc("ms")
        .x_label_formatter(&|x| format!("{:.0}k", x / 1000.0))
        .draw()?;
    let series: [Series; 4] = [
        ("all words p50", BLUE, |r| r.all.0),
        ("all words p95", CYAN, |r| r.all.1),
        ("any word p50", RED, |r| r.any.0),
        ("any word p95", MAGENTA, |r| r.any.1),
    ];
    for (label, color, value) in series {
        chart
            .draw_series(LineSeries::new(
                rows.iter().map(|r| (docs(r), value(r))),
                color,
            ))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}
