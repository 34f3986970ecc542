//! What each commit records beside its segments, in tantivy's commit payload: the schema and
//! analyzer versions the documents were written with, the manifest of the last corpus run and
//! the analyzer variant of an evaluation index. The payload is written atomically with the
//! documents it describes, so a crash between the two cannot leave them disagreeing.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter};

use crate::analysis::ANALYZER_VERSION;
use crate::error::{Error, Result};
use crate::index::manifest::Manifest;
use crate::index::schema::SCHEMA_VERSION;

/// What each commit records beside the segments, in tantivy's commit payload, so that it is
/// written atomically with the documents it describes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CommitInfo {
    pub schema_version: u32,
    pub analyzer_version: u32,
    /// The source files of the last corpus run; `None` in an index written before there was
    /// a manifest, whose files are then all read once and compared document by document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
    /// The corpus folders and files the index was built from, as [`source_key`] keys them, in
    /// the order they were added: `integra index` without `--corpus` updates them all.
    ///
    /// [`source_key`]: crate::corpus::source_key
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The analyzer variant of an index built for an evaluation ("no-decompound"); `None` for
    /// integra's own analyzer. Only a library opened for the same variant may use the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl CommitInfo {
    /// The info this build of integra writes, without a manifest or variant.
    pub fn current() -> CommitInfo {
        CommitInfo {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            manifest: None,
            sources: Vec::new(),
            variant: None,
        }
    }

    /// Whether this build of integra can read and extend the index the info describes.
    pub fn is_compatible(&self) -> bool {
        self.schema_version == SCHEMA_VERSION && self.analyzer_version == ANALYZER_VERSION
    }

    /// The versions (and variant), as an error message names them.
    pub fn describe(&self) -> String {
        let variant = match &self.variant {
            Some(variant) => format!(" ({variant})"),
            None => String::new(),
        };
        format!(
            "schema v{} and analyzer v{}{variant}",
            self.schema_version, self.analyzer_version
        )
    }

    /// Commits what `writer` holds with this info as the commit's payload.
    pub fn commit(&self, writer: &mut IndexWriter, path: &Path) -> Result<()> {
        let payload = serde_json::to_string(self).expect("commit info serializes");
        let engine = |e| Error::engine(path, e);
        let mut prepared = writer.prepare_commit().map_err(engine)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(engine)?;
        Ok(())
    }

    /// The info of the index's last commit.
    pub fn load(index: &Index, path: &Path) -> Result<CommitInfo> {
        let metas = index.load_metas().map_err(|e| Error::engine(path, e))?;
        Ok(match metas.payload {
            Some(payload) => serde_json::from_str(&payload).unwrap_or_default(),
            // Never committed: nothing in it was written by another version.
            None if metas.segments.is_empty() => CommitInfo::current(),
            None => CommitInfo::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use tantivy::TantivyDocument;

    use super::*;
    use crate::index::writer::tests::ram_index;

    const PATH: &str = "/nowhere/index";

    fn writer(index: &Index) -> IndexWriter {
        index.writer_with_num_threads(1, 15_000_000).unwrap()
    }

    #[test]
    fn an_index_never_committed_counts_as_written_by_this_version() {
        let (index, _) = ram_index();
        let info = CommitInfo::load(&index, Path::new(PATH)).unwrap();
        assert_eq!(info, CommitInfo::current());
        assert!(info.is_compatible());
    }

    #[test]
    fn the_payload_records_the_versions_and_the_variant() {
        let (index, _) = ram_index();
        let info = CommitInfo {
            variant: Some("no-decompound".into()),
            ..CommitInfo::current()
        };
        info.commit(&mut writer(&index), Path::new(PATH)).unwrap();
        let loaded = CommitInfo::load(&index, Path::new(PATH)).unwrap();
        assert_eq!(loaded, info);
        assert_eq!(loaded.schema_version, SCHEMA_VERSION);
        assert_eq!(loaded.analyzer_version, ANALYZER_VERSION);
    }

    #[test]
    fn documents_committed_without_a_payload_are_from_an_unknown_version() {
        let (index, fields) = ram_index();
        let mut writer = writer(&index);
        let mut doc = TantivyDocument::new();
        doc.add_text(fields.key, "a.txt");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        let info = CommitInfo::load(&index, Path::new(PATH)).unwrap();
        assert!(!info.is_compatible(), "{info:?}");
    }

    #[test]
    fn an_index_of_another_analyzer_version_is_not_compatible() {
        let info = CommitInfo {
            analyzer_version: ANALYZER_VERSION + 1,
            ..CommitInfo::current()
        };
        assert!(!info.is_compatible());
        assert!(!CommitInfo::default().is_compatible());
    }

    #[test]
    fn describe_names_the_versions_and_the_variant() {
        let info = CommitInfo {
            schema_version: 1,
            analyzer_version: 7,
            manifest: None,
            sources: Vec::new(),
            variant: Some("tantivy-default".into()),
        };
        assert_eq!(
            info.describe(),
            "schema v1 and analyzer v7 (tantivy-default)"
        );
        let plain = CommitInfo {
            variant: None,
            ..info
        };
        assert_eq!(plain.describe(), "schema v1 and analyzer v7");
    }
}
