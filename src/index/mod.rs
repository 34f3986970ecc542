//! The index on disk: its schema, and writing documents into it.

mod schema;
mod writer;

pub use schema::SCHEMA_VERSION;
pub(crate) use schema::{Fields, facet};
pub(crate) use writer::{CommitInfo, index_corpus};
pub use writer::{IndexEvent, IndexOptions, IndexReport, Skipped};
