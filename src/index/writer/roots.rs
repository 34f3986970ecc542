//! A corpus run: which roots it brings up to date (one folder or file, every source the index
//! records, or none when a source is removed), the list of sources the commit records, and the
//! one commit at its end.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::Index;

use super::IndexOptions;
use super::report::{IndexEvent, IndexReport, Run};
use super::transaction::Transaction;
use super::update::update_corpus;
use crate::corpus;
use crate::error::{Error, Result};
use crate::index::manifest::Manifest;
use crate::index::schema::Fields;

/// Which corpus roots a run brings up to date.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Roots<'a> {
    /// One folder or file, which becomes one of the index's sources if it is not yet covered
    /// by one.
    One(&'a Path),
    /// Every source the index records; one that is missing now is reported and keeps its
    /// documents (an unplugged drive is not a deleted folder).
    All,
    /// Drops the documents of the source at this key, and the source.
    Remove(&'a str),
}

/// Brings the index up to date with `roots` and commits once: new and changed files are read,
/// unchanged ones are not opened, documents of files that are gone are removed. Files of other
/// sources are left alone.
pub(crate) fn index_corpus(
    index: &Index,
    fields: &Fields,
    path: &Path,
    roots: Roots<'_>,
    options: &IndexOptions,
    observer: &mut dyn FnMut(IndexEvent),
) -> Result<IndexReport> {
    let started = Instant::now();
    let mut tx = Transaction::begin(index, fields, path, options)?;
    let mut run = Run {
        observer,
        report: IndexReport {
            rebuilt: options.rebuild,
            ..Default::default()
        },
    };
    let sources_before = tx.sources_mut().clone();
    match update_roots(&mut tx, &mut run, roots, options) {
        Ok(manifest) => {
            let unchanged = !tx.changed()
                && tx.manifest() == Some(&manifest)
                && *tx.sources_mut() == sources_before;
            if unchanged {
                // Nothing to commit: the writer is dropped and the index stays as it was.
                drop(tx);
            } else {
                (run.observer)(IndexEvent::Committing);
                tx.commit(Some(manifest))?;
            }
        }
        Err(err) => {
            tx.rollback()?;
            return Err(err);
        }
    }
    let mut report = run.report;
    report.indexed = report.added + report.updated;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Runs over the roots, records the sources, and returns the manifest of the new commit: the
/// entries of the files of the roots run over, and those of every other source as they were.
fn update_roots(
    tx: &mut Transaction<'_>,
    run: &mut Run<'_>,
    roots: Roots<'_>,
    options: &IndexOptions,
) -> Result<Manifest> {
    // An index from before the manifest knows its files only by the documents it holds.
    let (previous, legacy) = match (tx.manifest(), tx.rebuilding()) {
        (_, true) => (Manifest::default(), false),
        (Some(manifest), false) => (manifest.clone(), false),
        (None, false) => (Manifest::default(), true),
    };
    let mut manifest = Manifest::default();
    let recorded = tx.sources_mut().clone();
    // The roots run over, each with its key, and whether it must exist.
    let mut run_over: Vec<(PathBuf, String, bool)> = Vec::new();
    match roots {
        Roots::One(root) => {
            let key = corpus::source_key(root);
            if tx.rebuilding() {
                // A rebuild from one corpus starts the list of sources anew.
                tx.sources_mut().clear();
            }
            let sources = tx.sources_mut();
            if !sources.iter().any(|source| corpus::is_under(&key, source)) {
                // Sources inside the new one are now covered by it.
                sources.retain(|source| !corpus::is_under(source, &key));
                sources.push(key.clone());
                // Said when it joins others: an index's first source goes without saying.
                if !recorded.is_empty() && !tx.rebuilding() {
                    run.report.added_source = Some(key.clone());
                }
            }
            run_over.push((root.to_path_buf(), key, true));
        }
        Roots::All => {
            for source in &recorded {
                run_over.push((PathBuf::from(source), source.clone(), false));
            }
        }
        Roots::Remove(key) => {
            let before = tx.sources_mut().len();
            tx.sources_mut().retain(|source| source != key);
            if tx.sources_mut().len() == before {
                return Err(Error::UnknownSource {
                    source_path: key.to_string(),
                    sources: recorded,
                });
            }
            let known: Vec<String> = if legacy {
                tx.sources()?.into_iter().collect()
            } else {
                previous.files.keys().cloned().collect()
            };
            for file in known.iter().filter(|file| corpus::is_under(file, key)) {
                let documents = tx.documents_of(file)?;
                run.report.removed += documents.len() as u64;
                tx.delete_source(file);
            }
            run.report.removed_source = Some(key.to_string());
        }
    }
    for (root, key, must_exist) in &run_over {
        if !must_exist && !root.exists() {
            run.skip(&Error::MissingSource {
                source_path: key.clone(),
            });
            continue;
        }
        let read = update_corpus(
            tx,
            run,
            root,
            key,
            &previous,
            legacy,
            &mut manifest,
            options,
        )?;
        if !read {
            // An empty folder (an unmounted share looks like one) removes nothing.
            if *must_exist {
                return Err(Error::NoDocuments { path: root.clone() });
            }
            run.skip(&Error::MissingSource {
                source_path: key.clone(),
            });
            keep_entries_under(&previous, key, &mut manifest);
        }
    }
    // The files of sources not run over keep their entries.
    let covered = |file: &str| {
        run_over
            .iter()
            .any(|(root, key, _)| root.exists() && corpus::is_under(file, key))
    };
    let removed = |file: &str| matches!(roots, Roots::Remove(key) if corpus::is_under(file, key));
    for (file, entry) in &previous.files {
        if !covered(file) && !removed(file) && !manifest.files.contains_key(file) {
            manifest.files.insert(file.clone(), entry.clone());
        }
    }
    Ok(manifest)
}

/// Keeps the manifest entries of the files under `key` as they were.
fn keep_entries_under(previous: &Manifest, key: &str, manifest: &mut Manifest) {
    for (file, entry) in &previous.files {
        if corpus::is_under(file, key) {
            manifest.files.insert(file.clone(), entry.clone());
        }
    }
}
