//! The index on disk: its folder (readable by those who may only read it), its schema, the
//! manifest that makes reindexing incremental, the lock that lets one process at a time write,
//! and writing documents into it.

mod check;
mod directory;
pub(crate) mod export;
mod lock;
pub(crate) mod manifest;
mod schema;
mod sources;
mod writer;

pub use check::{CheckReport, Damage};
pub(crate) use check::{check, damaged, damaged_file, files_present, reason};
pub(crate) use directory::{IndexDirectory, segment_id};
pub use export::{AnalyzedRecord, RecordKind};
pub(crate) use lock::IndexLock;
pub use schema::SCHEMA_VERSION;
pub(crate) use schema::{Fields, HASH_FIELD, facet};
pub use sources::{Source, Staleness};
pub(crate) use sources::{sources, staleness};
pub(crate) use writer::{CommitInfo, Roots, add_documents, delete_documents, index_corpus};
pub use writer::{
    DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_SIZE, Extraction, IndexEvent, IndexOptions, IndexReport,
    SkipKind, Skipped, WorkerCommand,
};
#[cfg(test)]
pub(crate) use writer::{tests::ram_index, to_tantivy};
