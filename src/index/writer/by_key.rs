//! Single documents added, replaced or deleted by key, without a corpus: each call is one
//! commit. A document of a corpus file changed this way no longer matches the file, so the
//! file's manifest entry is marked to be read again by the next corpus run.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use tantivy::Index;

use super::document::document_hash;
use super::report::IndexReport;
use super::transaction::Transaction;
use crate::corpus::Document;
use crate::error::Result;
use crate::index::manifest::Manifest;
use crate::index::schema::Fields;

/// Marks the manifest's entry of the file a key belongs to for reading again: its documents in
/// the index no longer match the file.
fn mark_for_reread(manifest: &mut Option<Manifest>, key: &str) {
    let Some(manifest) = manifest else { return };
    let path = match manifest.files.contains_key(key) {
        true => key,
        false => key.rsplit_once('#').map_or(key, |(path, _)| path),
    };
    if let Some(entry) = manifest.files.get_mut(path) {
        entry.reread = true;
    }
}

/// Adds or replaces single documents by key, and commits once.
pub(crate) fn add_documents(
    index: &Index,
    fields: &Fields,
    path: &Path,
    documents: &[Document],
) -> Result<IndexReport> {
    let started = Instant::now();
    let (mut tx, mut manifest) = Transaction::begin_small(index, fields, path)?;
    let mut report = IndexReport::default();
    // Of several documents with one key the last wins, as if they were added one by one.
    let keys: Vec<String> = documents.iter().map(Document::key).collect();
    let last: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (key.as_str(), i))
        .collect();
    for (i, (document, key)) in documents.iter().zip(&keys).enumerate() {
        if last[key.as_str()] != i {
            continue;
        }
        let hash = document_hash(document);
        match tx.document(key)? {
            Some(old) if old == hash => report.unchanged += 1,
            Some(_) => {
                tx.delete_key(key);
                tx.add(document)?;
                report.updated += 1;
            }
            None => {
                tx.add(document)?;
                report.added += 1;
            }
        }
        mark_for_reread(&mut manifest, key);
    }
    if tx.changed() {
        tx.commit(manifest)?;
    }
    report.indexed = report.added + report.updated;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Deletes documents by key, and commits once.
pub(crate) fn delete_documents(
    index: &Index,
    fields: &Fields,
    path: &Path,
    keys: &[&str],
) -> Result<IndexReport> {
    let started = Instant::now();
    let (mut tx, mut manifest) = Transaction::begin_small(index, fields, path)?;
    let mut report = IndexReport::default();
    let mut seen = HashSet::new();
    for &key in keys {
        if seen.insert(key) && tx.document(key)?.is_some() {
            tx.delete_key(key);
            report.removed += 1;
            mark_for_reread(&mut manifest, key);
        }
    }
    if tx.changed() {
        tx.commit(manifest)?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::index::writer::tests::{
        Workspace, document, file_entry, last_commit, ram_index, stored,
    };

    #[test]
    fn adds_documents_under_their_keys() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let report = add_documents(
            &index,
            &fields,
            dir.path(),
            &[
                document("berichte.jsonl", "1", "Sprachkurse"),
                document("studie.txt", "studie.txt", "Kitas"),
            ],
        )
        .unwrap();
        assert_eq!((report.added, report.indexed), (2, 2));
        assert_eq!(
            stored(&index, &fields),
            BTreeMap::from([
                ("berichte.jsonl#1".into(), "Sprachkurse".into()),
                ("studie.txt".into(), "Kitas".into()),
            ])
        );
    }

    #[test]
    fn replaces_the_document_with_the_same_key() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        add_documents(&index, &fields, dir.path(), &[document("b", "1", "alt")]).unwrap();
        let report =
            add_documents(&index, &fields, dir.path(), &[document("b", "1", "neu")]).unwrap();
        assert_eq!((report.added, report.updated), (0, 1));
        assert_eq!(
            stored(&index, &fields),
            BTreeMap::from([("b#1".into(), "neu".into())])
        );
    }

    #[test]
    fn an_unchanged_document_is_not_rewritten_and_nothing_is_committed() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let doc = document("b", "1", "Sprachkurse");
        add_documents(&index, &fields, dir.path(), std::slice::from_ref(&doc)).unwrap();
        let before = last_commit(&index);
        let report = add_documents(&index, &fields, dir.path(), &[doc]).unwrap();
        assert_eq!((report.unchanged, report.indexed), (1, 0));
        assert_eq!(last_commit(&index), before);
    }

    #[test]
    fn of_several_documents_with_one_key_the_last_wins() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        let report = add_documents(
            &index,
            &fields,
            dir.path(),
            &[
                document("b", "1", "erste"),
                document("b", "2", "andere"),
                document("b", "1", "letzte"),
            ],
        )
        .unwrap();
        assert_eq!(report.added, 2);
        assert_eq!(stored(&index, &fields)["b#1"], "letzte");
    }

    #[test]
    fn deletes_documents_by_key_and_passes_over_unknown_keys() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        add_documents(
            &index,
            &fields,
            dir.path(),
            &[document("b", "1", "eins"), document("b", "2", "zwei")],
        )
        .unwrap();
        let report = delete_documents(&index, &fields, dir.path(), &["b#1", "b#9", "b#1"]).unwrap();
        assert_eq!(report.removed, 1);
        assert_eq!(
            stored(&index, &fields),
            BTreeMap::from([("b#2".into(), "zwei".into())])
        );
    }

    #[test]
    fn deleting_only_unknown_keys_commits_nothing() {
        let (index, fields) = ram_index();
        let dir = tempfile::tempdir().unwrap();
        add_documents(&index, &fields, dir.path(), &[document("b", "1", "eins")]).unwrap();
        let before = last_commit(&index);
        let report = delete_documents(&index, &fields, dir.path(), &["b#2"]).unwrap();
        assert_eq!(report.removed, 0);
        assert_eq!(last_commit(&index), before);
    }

    #[test]
    fn marks_the_file_a_key_belongs_to_for_reading_again() {
        let mut manifest = Some(Manifest::default());
        let files = &mut manifest.as_mut().unwrap().files;
        files.insert("reden.jsonl".into(), file_entry());
        files.insert("studie.txt".into(), file_entry());
        files.insert("a#b.txt".into(), file_entry());
        mark_for_reread(&mut manifest, "reden.jsonl#7");
        mark_for_reread(&mut manifest, "a#b.txt");
        mark_for_reread(&mut manifest, "anderswo.jsonl#1");
        let reread: Vec<(&str, bool)> = manifest
            .as_ref()
            .unwrap()
            .files
            .iter()
            .map(|(path, entry)| (path.as_str(), entry.reread))
            .collect();
        assert_eq!(
            reread,
            [
                ("a#b.txt", true),
                ("reden.jsonl", true),
                ("studie.txt", false)
            ]
        );
        // An index without a manifest has nothing to mark.
        mark_for_reread(&mut None, "reden.jsonl#7");
    }

    #[test]
    fn a_line_replaced_by_key_is_read_from_its_file_again_by_the_next_run() {
        let ws = Workspace::new();
        ws.write(
            "reden.jsonl",
            "{\"id\": \"1\", \"text\": \"Haushalt der Kommunen\"}\n",
        );
        ws.run();
        let key = stored(&ws.index, &ws.fields).into_keys().next().unwrap();
        let source = key.strip_suffix("#1").unwrap();
        let changed = document(source, "1", "geändert");
        add_documents(&ws.index, &ws.fields, &ws.path(), &[changed]).unwrap();
        assert!(ws.entry("reden.jsonl").reread);
        let report = ws.run();
        assert_eq!((report.read, report.updated), (1, 1));
        assert_eq!(ws.bodies(), ["Haushalt der Kommunen"]);
    }
}
