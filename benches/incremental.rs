//! Incremental indexing on the Bundestag speeches (63,130 documents in one `.jsonl.gz`): how
//! long a full rebuild takes, a run that finds nothing changed, and adding one document until
//! it is searchable. Not criterion: one rebuild takes a while, and the figures wanted are
//! single end-to-end times, each asserted so that no step can be skipped.
//!
//! Run with `cargo bench --bench incremental`; it skips cleanly when
//! `../shared/bench/bundestag-reden.jsonl.gz` is absent. Current figures: benches/README.md.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use integra::{Document, IndexOptions, Library, SearchRequest};

const SPEECHES: u64 = 63_130;

/// How often each small step is repeated; the median is reported.
const REPEATS: usize = 7;

fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .unwrap()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join("../shared/bench/bundestag-reden.jsonl.gz");
    if !source.is_file() {
        println!("incremental: skipped, {} is absent", source.display());
        return;
    }
    // `cargo bench` passes `--bench`; a name filter that is not ours means another bench.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"incremental".contains(a.as_str()))
    {
        return;
    }
    let work: PathBuf = root.join("target/bench-incremental");
    let _ = std::fs::remove_dir_all(&work);
    let corpus = work.join("corpus");
    let index = work.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    // A copy, not a link, so that it can be touched below.
    let speeches = corpus.join("bundestag-reden.jsonl.gz");
    std::fs::copy(&source, &speeches).unwrap();
    let options = IndexOptions::default();

    // Full rebuild.
    let started = Instant::now();
    let library = Library::create(&index).unwrap();
    let report = library
        .index_corpus(&corpus, &options, &mut |_| {})
        .unwrap();
    let rebuild = started.elapsed();
    assert_eq!(report.added, SPEECHES);
    let fresh_size = dir_size(&index);
    println!(
        "full rebuild:              {} ({} documents, {:.0} MiB)",
        seconds(rebuild),
        report.total,
        fresh_size as f64 / 1048576.0
    );

    // Nothing changed: the file is not opened.
    let mut times = Vec::new();
    for _ in 0..REPEATS {
        let started = Instant::now();
        let library = Library::open(&index).unwrap();
        let report = library
            .index_corpus(&corpus, &options, &mut |_| {})
            .unwrap();
        times.push(started.elapsed());
        assert_eq!((report.read, report.unchanged), (0, SPEECHES));
    }
    println!(
        "no-change run:             {} (median)",
        seconds(median(times))
    );

    // One new file beside the speeches, until a search finds it: open, index, search, as a
    // `integra index` followed by `integra search` would.
    let mut times = Vec::new();
    for i in 0..REPEATS {
        let word = format!("Quokkaintegration{i}");
        std::fs::write(
            corpus.join(format!("neu-{i}.txt")),
            format!("Neue Studie\n\n{word} in den Kommunen."),
        )
        .unwrap();
        let started = Instant::now();
        let library = Library::open(&index).unwrap();
        let report = library
            .index_corpus(&corpus, &options, &mut |_| {})
            .unwrap();
        let found = library.search(&SearchRequest::new(&word)).unwrap();
        times.push(started.elapsed());
        assert_eq!((report.added, report.read), (1, 1));
        assert_eq!(found.total, 1);
    }
    println!(
        "add one file, searchable:  {} (median)",
        seconds(median(times))
    );

    // One document through the library, without a corpus folder.
    let mut times = Vec::new();
    for i in 0..REPEATS {
        let word = format!("Quokkabericht{i}");
        let document = Document {
            id: format!("notiz-{i}"),
            path: "notizen".into(),
            metadata: Default::default(),
            text: format!("{word} über Sprachkurse."),
            pages: Vec::new(),
        };
        let started = Instant::now();
        let library = Library::open(&index).unwrap();
        let report = library.add_documents(&[document]).unwrap();
        let found = library.search(&SearchRequest::new(&word)).unwrap();
        times.push(started.elapsed());
        assert_eq!(report.added, 1);
        assert_eq!(found.total, 1);
    }
    println!(
        "add_documents, searchable: {} (median)",
        seconds(median(times))
    );

    // Touched, not changed: the file is hashed, nothing is written.
    std::fs::File::options()
        .write(true)
        .open(&speeches)
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    let started = Instant::now();
    let library = Library::open(&index).unwrap();
    let report = library
        .index_corpus(&corpus, &options, &mut |_| {})
        .unwrap();
    let touched = started.elapsed();
    assert_eq!(
        (report.read, report.unchanged),
        (0, SPEECHES + REPEATS as u64)
    );
    println!("touched, not changed:      {}", seconds(touched));

    let stats = library.stats().unwrap();
    println!(
        "after {} small commits:    {} segments, {:.0} MiB",
        2 * REPEATS,
        stats.segments,
        stats.size_bytes as f64 / 1048576.0
    );
}
