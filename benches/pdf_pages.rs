//! PDF extraction speed in pages per second, integra's reader against poppler's `pdftotext` on
//! the same files, both with every core busy, in one run; and how many of pdftotext's words
//! integra's text has.
//!
//! ```sh
//! python3 benches/pdfs/make.py              # once: target/bench-pdfs, 12 reports, 446 pages
//! cargo bench --bench pdf_pages             # or: cargo bench --bench pdf_pages -- DIR
//! ```
//!
//! The two extractors take turns, round by round (the machine is shared and noisy; the median
//! round is reported). integra reads each file as `integra index` does in one process: open,
//! extract every page, repair the text, find running headers, build the document with its
//! pages. `pdftotext` runs as one process a file (how it is used), its output read through a
//! pipe. Each side runs one file per core at a time. It skips cleanly when the folder or
//! `pdftotext` is missing. Current figures: benches/README.md.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use integra::corpus::{SourceFile, discover, read};

/// Rounds of each extractor; the median is reported.
const ROUNDS: usize = 5;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map_or_else(|| root.join("target/bench-pdfs"), PathBuf::from);
    if !dir.is_dir() {
        eprintln!(
            "pdf_pages: no folder {}: make it with python3 benches/pdfs/make.py",
            dir.display()
        );
        return;
    }
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("pdf_pages: pdftotext is not installed (apt-get install poppler-utils)");
        return;
    }
    let files: Vec<SourceFile> = discover(&dir)
        .expect("the folder can be listed")
        .files
        .into_iter()
        .filter(|f| {
            f.path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(2, usize::from);

    // The text of each file by each side, once, for the page count and the words.
    let ours: Vec<(usize, String)> = files.iter().map(integra_text).collect();
    let pages: usize = ours.iter().map(|(pages, _)| pages).sum();
    let theirs: Vec<String> = files.iter().map(|f| pdftotext(&f.path)).collect();

    let mut integra_times = Vec::new();
    let mut poppler_times = Vec::new();
    for _ in 0..ROUNDS {
        poppler_times.push(on_all_cores(&files, cores, |f| {
            pdftotext(&f.path);
        }));
        integra_times.push(on_all_cores(&files, cores, |f| {
            integra_text(f);
        }));
    }
    let (integra, poppler) = (median(integra_times), median(poppler_times));
    println!(
        "{} PDFs, {pages} pages, {cores} cores, median of {ROUNDS} rounds",
        files.len()
    );
    println!("| extractor | seconds | pages/s |");
    println!("|---|---|---|");
    for (name, time) in [("integra", integra), ("pdftotext", poppler)] {
        let secs = time.as_secs_f64();
        println!("| {name} | {secs:.3} | {:.0} |", pages as f64 / secs);
    }
    println!(
        "integra / pdftotext, pages per second: {:.2}",
        poppler.as_secs_f64() / integra.as_secs_f64()
    );
    let (found, wanted) = ours
        .iter()
        .zip(&theirs)
        .map(|((_, ours), theirs)| shared_words(ours, theirs))
        .fold((0, 0), |(f, w), (a, b)| (f + a, w + b));
    println!(
        "words of pdftotext found in integra's text: {found} of {wanted} ({:.2} %)",
        100.0 * found as f64 / wanted.max(1) as f64
    );
}

/// integra's pages and text of a file; an unreadable file is reported and counts nothing.
fn integra_text(file: &SourceFile) -> (usize, String) {
    let read = read(file).and_then(|mut docs| docs.next().transpose());
    match read {
        Ok(Some(doc)) => (doc.pages.len().max(1), doc.text),
        Ok(None) => (0, String::new()),
        Err(err) => {
            eprintln!("pdf_pages: {err}");
            (0, String::new())
        }
    }
}

/// pdftotext's text of a file, in UTF-8.
fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-q", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The wall-clock time to run `work` on every file, `cores` files at a time.
fn on_all_cores(files: &[SourceFile], cores: usize, work: impl Fn(&SourceFile) + Sync) -> Duration {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    work(file);
                }
            });
        }
    });
    started.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Words (runs of letters, lower-cased) of `theirs` that `ours` has too, counted with
/// repetition, and the words of `theirs`. pdftotext joins words hyphenated at a line end as
/// integra does, and drops nothing, so what integra misses shows; running headers and page
/// numbers, which integra leaves out on purpose, count against it.
fn shared_words(ours: &str, theirs: &str) -> (usize, usize) {
    let words = |text: &str| -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        counts
    };
    let (ours, theirs) = (words(ours), words(theirs));
    let wanted = theirs.values().sum();
    let found = theirs
        .iter()
        .map(|(word, &n)| n.min(ours.get(word).copied().unwrap_or(0)))
        .sum();
    (found, wanted)
}
