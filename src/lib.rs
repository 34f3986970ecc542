//! integra: full-text search for the German literature on the integration of refugees and
//! migrants.
#![deny(missing_docs)]

pub mod analysis;
pub mod corpus;
mod error;

pub use error::{Error, Result};
