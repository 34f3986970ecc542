//! A corpus root brought up to date: reading only the files that are new or changed since the
//! manifest of the last commit, and replacing their documents one key at a time, so that an
//! unchanged line of a changed JSON Lines file is not rewritten. [`super::roots`] decides which
//! roots a run covers.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::IndexOptions;
use super::document::document_hash;
use super::extract::{Prepared, ReadAhead};
use super::report::{IndexEvent, PROGRESS_EVERY, Run, Skipped, format_name};
use super::transaction::Transaction;
use crate::corpus::{self, Document, SourceFile};
use crate::error::{Error, Result};
use crate::index::manifest::{FileEntry, Manifest};

/// Brings the files under one root up to date: every change goes into `tx`, and each file's
/// entry into `manifest`. Returns `false`, having changed nothing, if the root holds no file
/// integra reads.
#[allow(clippy::too_many_arguments)]
pub(super) fn update_corpus(
    tx: &mut Transaction<'_>,
    run: &mut Run<'_>,
    corpus: &Path,
    key: &str,
    previous: &Manifest,
    legacy: bool,
    manifest: &mut Manifest,
    options: &IndexOptions,
) -> Result<bool> {
    let discovery = corpus::discover(corpus)?;
    if discovery.files.is_empty() {
        for err in &discovery.skipped {
            run.skip(err);
        }
        return Ok(false);
    }
    run.report.files += discovery.files.len();
    let mut passed_over = Vec::new();
    for err in &discovery.skipped {
        run.skip(err);
        passed_over.push(Skipped::from_error(err).path);
    }
    (run.observer)(IndexEvent::Discovered {
        files: discovery.files.len(),
    });
    let mut found = HashSet::new();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<()> {
        let mut ahead = ReadAhead::start(scope, options, &stop);
        let mut submitted = discovery.files.iter();
        for source in &discovery.files {
            // The next files are read while this one is written.
            while ahead.pending() < ahead.window
                && let Some(next) = submitted.next()
            {
                ahead.submit(next, previous.files.get(&next.display));
            }
            found.insert(source.display.as_str());
            let old = previous.files.get(&source.display);
            let prepared = ahead.next(source);
            if let Some(entry) = update_file(tx, run, source, old, prepared, options)? {
                manifest.files.insert(source.display.clone(), entry);
            }
            (run.observer)(IndexEvent::FileDone);
        }
        Ok(())
    })?;
    let known: Vec<String> = if legacy {
        tx.sources()?.into_iter().collect()
    } else {
        previous.files.keys().cloned().collect()
    };
    // Folders that could not be listed, as the index keys their files.
    let passed_over: Vec<String> = passed_over
        .iter()
        .map(|dir| corpus::source_key(Path::new(dir)))
        .collect();
    for source in known {
        if found.contains(source.as_str()) || !corpus::is_under(&source, key) {
            continue;
        }
        // A file in a folder that could not be listed is not gone: it keeps its documents.
        let unlisted = passed_over.iter().any(|dir| corpus::is_under(&source, dir));
        if unlisted {
            if let Some(entry) = previous.files.get(&source) {
                manifest.files.insert(source, entry.clone());
            }
            continue;
        }
        let documents = tx.documents_of(&source)?;
        if !documents.is_empty() {
            run.report.removed += documents.len() as u64;
            tx.delete_source(&source);
        }
    }
    Ok(true)
}

/// Brings the documents of one source file up to date, given what was found out about it
/// ahead of the writer, and returns what the manifest is to say about it (`None`: nothing, the
/// index holds nothing from it).
fn update_file(
    tx: &mut Transaction<'_>,
    run: &mut Run<'_>,
    source: &SourceFile,
    old: Option<&FileEntry>,
    prepared: Prepared,
    options: &IndexOptions,
) -> Result<Option<FileEntry>> {
    if options.interrupted() {
        return Err(Error::Interrupted);
    }
    // What the index held from a file that cannot be read now stays, and the file is read
    // again next time even if it looks the same (a permission fixed by chmod keeps the mtime).
    let keep_old = || {
        old.cloned().map(|mut entry| {
            entry.reread = true;
            entry
        })
    };
    let (stamp, hash, documents) = match prepared {
        Prepared::Unchanged(entry) => {
            run.report.unchanged += entry.documents;
            return Ok(Some(entry));
        }
        Prepared::Skipped(Error::Interrupted) => return Err(Error::Interrupted),
        Prepared::Skipped(err) => {
            run.skip(&err);
            return Ok(keep_old());
        }
        Prepared::Changed {
            stamp,
            hash,
            documents,
        } => (stamp, hash, documents),
    };
    run.report.read += 1;
    (run.observer)(IndexEvent::Reading {
        path: source.display.clone(),
    });
    let documents: Box<dyn Iterator<Item = Result<Document>> + Send> = match documents {
        None => match corpus::read(source) {
            Ok(documents) => documents,
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(err) => {
                run.skip(&err);
                return Ok(keep_old());
            }
        },
        Some(Ok(documents)) => Box::new(documents.into_iter()),
        Some(Err(Error::Interrupted)) => return Err(Error::Interrupted),
        Some(Err(err)) => {
            run.skip(&err);
            return Ok(keep_old());
        }
    };
    *run.report
        .formats
        .entry(format_name(source.format))
        .or_insert(0) += 1;
    let indexed = tx.documents_of(&source.display)?;
    let mut seen = HashSet::new();
    let mut incomplete = false;
    for document in documents {
        if options.interrupted() {
            return Err(Error::Interrupted);
        }
        let document = match document {
            Ok(document) => document,
            Err(err) => {
                run.skip(&err);
                incomplete = true;
                continue;
            }
        };
        let key = document.key();
        if seen.contains(&key) {
            run.skip(&corpus::document_error(
                &source.path,
                None,
                format!("id '{}' occurs twice: the first is indexed", document.id),
            ));
            continue;
        }
        let hash = document_hash(&document);
        match indexed.get(&key) {
            Some(&old) if old == hash => run.report.unchanged += 1,
            Some(_) => {
                tx.delete_key(&key);
                tx.add(&document)?;
                run.report.updated += 1;
            }
            None => {
                tx.add(&document)?;
                run.report.added += 1;
            }
        }
        seen.insert(key);
        if (run.report.added + run.report.updated).is_multiple_of(PROGRESS_EVERY) {
            run.progress();
        }
    }
    run.progress();
    let mut documents = seen.len() as u64;
    for key in indexed.keys().filter(|key| !seen.contains(*key)) {
        if incomplete {
            // The line may be one that failed to parse: its document stays.
            documents += 1;
        } else {
            tx.delete_key(key);
            run.report.removed += 1;
        }
    }
    Ok(Some(FileEntry {
        stamp,
        hash,
        documents,
        reread: incomplete,
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use std::time::{Duration, Instant};

    use super::*;
    use crate::index::writer::report::SkipKind;
    use crate::index::writer::tests::{Workspace as Setup, last_commit, one_thread};
    use crate::index::writer::{Extraction, WorkerCommand};

    const PAGE: &str = "<html><head><title>Kitas</title></head>\
                        <body><p>Kitas in den Kommunen</p></body></html>";

    /// Options whose extraction worker is a shell script instead of integra.
    #[cfg(unix)]
    fn shell_worker(script: &str) -> IndexOptions {
        IndexOptions {
            extraction: Extraction::Workers(WorkerCommand::new("/bin/sh", ["-c", script])),
            file_timeout: Duration::from_secs(1),
            threads: 2,
            ..Default::default()
        }
    }

    /// Runs `options` on a corpus of a text and an HTML page, and returns the one skip.
    #[cfg(unix)]
    fn skip_of_the_page(options: &IndexOptions) -> (Setup, Skipped) {
        let setup = Setup::new();
        setup.write("bericht.txt", "Integration vor Ort");
        setup.write("seite.html", PAGE);
        setup.write("zweite.txt", "Sprachkurse");
        let report = setup.run_with(options).unwrap();
        assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
        // The rest is indexed and committed.
        assert_eq!(setup.bodies(), ["Integration vor Ort", "Sprachkurse"]);
        assert_eq!(setup.manifest().files.len(), 2);
        let skipped = report.skipped[0].clone();
        assert!(skipped.path.ends_with("corpus/seite.html"), "{skipped:?}");
        (setup, skipped)
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_that_hangs_is_stopped_at_the_time_limit_and_the_rest_indexed() {
        let started = Instant::now();
        let (_, skipped) = skip_of_the_page(&shell_worker("sleep 30"));
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(skipped.kind, SkipKind::TimedOut);
        assert!(
            skipped
                .reason
                .ends_with("seite.html: over the time limit: not read within 1 s (--file-timeout)"),
            "{skipped:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_that_dies_is_reported_and_the_rest_indexed() {
        let (_, skipped) = skip_of_the_page(&shell_worker("read line; kill -9 $$"));
        assert_eq!(skipped.kind, SkipKind::ReaderFailed);
        assert!(
            skipped
                .reason
                .ends_with("seite.html: the reader failed: killed by signal 9 (out of memory?)"),
            "{skipped:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_interrupt_stops_the_wait_for_a_worker() {
        let setup = Setup::new();
        setup.write("seite.html", PAGE);
        let flag = Arc::new(AtomicBool::new(false));
        let options = IndexOptions {
            interrupt: Some(Arc::clone(&flag)),
            file_timeout: Duration::ZERO,
            ..shell_worker("sleep 30")
        };
        let started = Instant::now();
        let err = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(300));
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            });
            setup.run_with(&options).unwrap_err()
        });
        assert!(matches!(err, Error::Interrupted), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_over_the_size_limit_is_skipped_and_the_rest_indexed() {
        let options = IndexOptions {
            max_file_size: 50,
            ..one_thread()
        };
        let (setup, skipped) = skip_of_the_page(&options);
        assert_eq!(skipped.kind, SkipKind::TooLarge);
        assert!(
            skipped.reason.contains("seite.html: over the size limit"),
            "{skipped:?}"
        );
        // Once the limit allows it, it is read.
        let report = setup.run_with(&one_thread()).unwrap();
        assert_eq!((report.read, report.added), (1, 1));
    }

    #[test]
    fn the_report_counts_files_read_by_format() {
        let setup = Setup::new();
        setup.write("a.txt", "Sprachkurse");
        setup.write("b.txt", "Kitas");
        setup.write("seite.html", PAGE);
        setup.write("reden.jsonl.gz", gzip(TWO_LINES));
        let report = setup.run();
        let formats: Vec<(&str, u64)> = report.format_counts();
        assert_eq!(formats, [("txt", 2), ("html", 1), ("jsonl", 1)]);
        assert!(setup.run().formats.is_empty());
    }

    fn gzip(text: &str) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn an_unchanged_extracted_file_is_not_read_again_and_a_changed_one_is() {
        let setup = Setup::new();
        let docx = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/publications/wohnen.docx"
        );
        std::fs::copy(docx, setup.file("wohnen.docx")).unwrap();
        setup.write("seite.html", PAGE);
        let first = setup.run();
        assert_eq!((first.read, first.added), (2, 2), "{:?}", first.skipped);
        let second = setup.run();
        assert_eq!((second.read, second.unchanged), (0, 2));
        setup.write("seite.html", PAGE.replace("Kitas in", "Schulen in"));
        let third = setup.run();
        assert_eq!((third.read, third.updated, third.unchanged), (1, 1, 1));
        assert_eq!(third.format_counts(), [("html", 1)]);
    }

    #[test]
    fn many_files_read_at_once_are_written_in_the_order_found() {
        let setup = Setup::new();
        for i in 0..20 {
            setup.write(
                &format!("seite{i:02}.html"),
                PAGE.replace("Kitas", &format!("Kita{i}")),
            );
        }
        let mut order = Vec::new();
        let options = IndexOptions {
            threads: 4,
            ..Default::default()
        };
        let report = setup
            .run_observed(&options, &mut |event| {
                if let IndexEvent::Reading { path } = event {
                    order.push(path);
                }
            })
            .unwrap();
        assert_eq!(report.added, 20);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }

    const TWO_LINES: &str = "{\"id\": \"1\", \"text\": \"Haushalt der Kommunen\"}\n\
                             {\"id\": \"2\", \"text\": \"Sprachkurse für Geflüchtete\"}\n";

    #[test]
    fn indexes_every_document_and_records_its_files_in_the_commit() {
        let setup = Setup::new();
        setup.write("bericht.txt", "Integration vor Ort");
        setup.write("reden.jsonl", TWO_LINES);
        let report = setup.run();
        assert_eq!(
            (report.files, report.read, report.added, report.indexed),
            (2, 2, 3, 3)
        );
        assert_eq!(setup.bodies().len(), 3);
        assert_eq!(setup.manifest().files.len(), 2);
        assert_eq!(setup.entry("reden.jsonl").documents, 2);
        assert_eq!(setup.entry("bericht.txt").documents, 1);
    }

    #[test]
    fn a_second_run_opens_no_unchanged_file_and_commits_nothing() {
        let setup = Setup::new();
        setup.write("bericht.txt", "Integration vor Ort");
        setup.write("reden.jsonl", TWO_LINES);
        setup.run();
        let before = last_commit(&setup.index);
        let report = setup.run();
        assert_eq!((report.read, report.unchanged, report.indexed), (0, 3, 0));
        assert_eq!(last_commit(&setup.index), before);
    }

    #[test]
    fn a_changed_json_lines_file_is_rewritten_line_by_line() {
        let setup = Setup::new();
        setup.write("reden.jsonl", TWO_LINES);
        setup.run();
        setup.write(
            "reden.jsonl",
            "{\"id\": \"1\", \"text\": \"Haushalt der Kommunen\"}\n\
             {\"id\": \"2\", \"text\": \"Integrationskurse für Geflüchtete\"}\n\
             {\"id\": \"3\", \"text\": \"Kitas\"}\n",
        );
        let report = setup.run();
        assert_eq!(
            (report.read, report.unchanged, report.updated, report.added),
            (1, 1, 1, 1)
        );
        assert_eq!(
            setup.bodies(),
            [
                "Haushalt der Kommunen",
                "Integrationskurse für Geflüchtete",
                "Kitas"
            ]
        );
    }

    #[test]
    fn documents_of_a_removed_file_or_line_are_removed() {
        let setup = Setup::new();
        setup.write("a.txt", "Sprachkurse");
        setup.write("b.txt", "Kitas");
        setup.write("reden.jsonl", TWO_LINES);
        setup.run();
        std::fs::remove_file(setup.file("b.txt")).unwrap();
        setup.write(
            "reden.jsonl",
            "{\"id\": \"2\", \"text\": \"Sprachkurse für Geflüchtete\"}\n",
        );
        let report = setup.run();
        assert_eq!(report.removed, 2);
        assert_eq!(
            setup.bodies(),
            ["Sprachkurse", "Sprachkurse für Geflüchtete"]
        );
        assert_eq!(setup.manifest().files.len(), 2);
    }

    #[test]
    fn a_file_that_cannot_be_read_keeps_the_documents_indexed_from_it() {
        let setup = Setup::new();
        setup.write("neu.txt", "Wombatbeirat in Großstädten");
        setup.run();
        // Binary data: a text in a legacy encoding would be decoded and read.
        setup.write("neu.txt", b"Wohnungs\0\0\0\x01suche");
        let report = setup.run();
        assert_eq!(report.skipped.len(), 1);
        assert!(
            report.skipped[0].path.ends_with("neu.txt"),
            "{:?}",
            report.skipped
        );
        assert_eq!(setup.bodies(), ["Wombatbeirat in Großstädten"]);
        // It is read again next time, even if it looks the same then.
        assert!(setup.entry("neu.txt").reread);
        setup.write("neu.txt", "Quokkapfad");
        let report = setup.run();
        assert_eq!((report.read, report.updated), (1, 1));
        assert_eq!(setup.bodies(), ["Quokkapfad"]);
        assert!(!setup.entry("neu.txt").reread);
    }

    #[test]
    fn a_bad_line_keeps_the_document_indexed_from_it_before() {
        let setup = Setup::new();
        setup.write("reden.jsonl", TWO_LINES);
        setup.run();
        setup.write(
            "reden.jsonl",
            "{\"id\": \"1\", \"text\": \"Haushalt der Länder\"}\n{\"id\": \"2\", \"text\n",
        );
        let report = setup.run();
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.skipped[0].line, Some(2));
        assert_eq!((report.updated, report.removed), (1, 0));
        assert_eq!(
            setup.bodies(),
            ["Haushalt der Länder", "Sprachkurse für Geflüchtete"]
        );
        let entry = setup.entry("reden.jsonl");
        assert!(entry.reread);
        assert_eq!(entry.documents, 2);
    }

    #[test]
    fn an_id_twice_in_one_file_indexes_the_first() {
        let setup = Setup::new();
        setup.write(
            "reden.jsonl",
            "{\"id\": \"1\", \"text\": \"erste\"}\n{\"id\": \"1\", \"text\": \"zweite\"}\n",
        );
        let report = setup.run();
        assert_eq!(report.added, 1);
        assert_eq!(report.skipped.len(), 1);
        assert!(
            report.skipped[0].reason.contains("occurs twice"),
            "{:?}",
            report.skipped
        );
        assert_eq!(setup.bodies(), ["erste"]);
    }

    #[test]
    fn a_rebuild_writes_every_document_again() {
        let setup = Setup::new();
        setup.write("reden.jsonl", TWO_LINES);
        setup.run();
        let rebuild = IndexOptions {
            rebuild: true,
            ..one_thread()
        };
        let report = setup.run_with(&rebuild).unwrap();
        assert!(report.rebuilt);
        assert_eq!((report.added, report.unchanged), (2, 0));
        assert_eq!(setup.bodies().len(), 2);
    }

    #[test]
    fn an_interrupted_run_commits_nothing() {
        let setup = Setup::new();
        setup.write("a.txt", "Sprachkurse");
        setup.run();
        let before = last_commit(&setup.index);
        setup.write("b.txt", "Kitas");
        let interrupted = IndexOptions {
            interrupt: Some(Arc::new(AtomicBool::new(true))),
            ..one_thread()
        };
        let err = setup.run_with(&interrupted).unwrap_err();
        assert!(matches!(err, Error::Interrupted), "{err}");
        assert_eq!(last_commit(&setup.index), before);
        assert_eq!(setup.bodies(), ["Sprachkurse"]);
        // The lock is released: the next run adds the new file.
        assert_eq!(setup.run().added, 1);
    }

    #[test]
    fn observers_hear_of_each_file_and_the_commit() {
        let setup = Setup::new();
        setup.write("a.txt", "Sprachkurse");
        setup.write("b.txt", "Kitas");
        let mut events = Vec::new();
        setup
            .run_observed(&one_thread(), &mut |event| events.push(event))
            .unwrap();
        let done = events
            .iter()
            .filter(|e| matches!(e, IndexEvent::FileDone))
            .count();
        assert_eq!(done, 2);
        assert!(matches!(
            events.first(),
            Some(IndexEvent::Discovered { files: 2 })
        ));
        assert!(matches!(events.last(), Some(IndexEvent::Committing)));
    }
}
