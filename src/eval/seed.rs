//! The seed table: queries against the seed corpus, each with the documents it must find.
//!
//! The table is tab-separated, `query<TAB>must_match<TAB>top1_in<TAB>what`, with `#` comments.
//! Documents are named by the first three characters of their file names (`000`, `001`, …);
//! `must_match` lists the documents that must all be among the hits, `top1_in` those of which
//! the first hit must be one (`-` makes no claim), and `what` says what the line tests.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::{Library, MatchMode, SearchRequest};

/// One line of the seed table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedQuery {
    /// The 1-based line in the table.
    pub line: usize,
    /// The query, run in all-words mode.
    pub query: String,
    /// Documents that must all be among the hits.
    pub must_match: Vec<String>,
    /// Documents of which the first hit must be one; empty for no claim.
    pub top1_in: Vec<String>,
    /// What the line tests.
    pub what: String,
}

/// Reads a seed table.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::Document`] naming the line if one has
/// fewer than three fields.
pub fn read_seed_table(path: &Path) -> Result<Vec<SeedQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_seed_table(&text, path)
}

/// Parses the text of a seed table; `path` names it in errors.
///
/// # Errors
/// [`Error::Document`] naming the line if one has fewer than three fields or no query.
pub fn parse_seed_table(text: &str, path: &Path) -> Result<Vec<SeedQuery>> {
    let ids = |field: &str| -> Vec<String> {
        field
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty() && *id != "-")
            .map(String::from)
            .collect()
    };
    let mut table = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let bad = |reason: &str| Error::Document {
            path: path.to_path_buf(),
            line: Some(i + 1),
            reason: reason.to_string(),
        };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            return Err(bad(
                "expected 'query<TAB>must_match<TAB>top1_in<TAB>what', found fewer than three fields",
            ));
        }
        let query = fields[0].trim();
        if query.is_empty() {
            return Err(bad("the query is empty"));
        }
        table.push(SeedQuery {
            line: i + 1,
            query: query.to_string(),
            must_match: ids(fields[1]),
            top1_in: ids(fields[2]),
            what: fields.get(3).map_or("", |w| w.trim()).to_string(),
        });
    }
    Ok(table)
}

/// The id of a seed document: the first three characters of its file name.
pub fn seed_doc_id(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.chars().take(3).collect()
}

/// What one line of the table found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedOutcome {
    /// The line.
    pub query: SeedQuery,
    /// The documents found, best first.
    pub hits: Vec<String>,
    /// The documents of `must_match` that were not found.
    pub missing: Vec<String>,
    /// Why the query could not run, if it could not.
    pub error: Option<String>,
}

impl SeedOutcome {
    /// The first hit, if any.
    pub fn top1(&self) -> Option<&str> {
        self.hits.first().map(String::as_str)
    }

    /// Whether the first hit is one of `top1_in` (or the line makes no claim about it).
    pub fn top1_ok(&self) -> bool {
        self.query.top1_in.is_empty()
            || self
                .top1()
                .is_some_and(|top| self.query.top1_in.iter().any(|id| id == top))
    }

    /// Whether the line passes: it ran, found every document it must, and ranked one of the
    /// right ones first.
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.missing.is_empty() && self.top1_ok()
    }

    /// What went wrong, one phrase a problem; empty if the line passed.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(error) = &self.error {
            problems.push(error.clone());
            return problems;
        }
        if !self.missing.is_empty() {
            problems.push(format!("missing {}", self.missing.join(",")));
        }
        if !self.top1_ok() {
            problems.push(format!(
                "first hit {} is not in {}",
                self.top1().unwrap_or("(none)"),
                self.query.top1_in.join(",")
            ));
        }
        problems
    }
}

/// Hits asked for at first; a query with more is run again for all of them.
const FIRST_LIMIT: usize = 1000;

/// Runs every line of `table` against `library` in all-words mode, looking at all the hits.
///
/// # Errors
/// Only engine failures; a query that is invalid fails its line instead.
pub fn run_seed(library: &Library, table: &[SeedQuery]) -> Result<Vec<SeedOutcome>> {
    let mut outcomes = Vec::with_capacity(table.len());
    for line in table {
        let mut request = SearchRequest::new(line.query.clone())
            .mode(MatchMode::All)
            .limit(FIRST_LIMIT);
        let results = match library.search(&request) {
            Ok(results) if results.total as usize > results.hits.len() => {
                request.limit = results.total as usize;
                library.search(&request)
            }
            other => other,
        };
        let (hits, error) = match results {
            Ok(results) => {
                let mut hits: Vec<String> =
                    results.hits.iter().map(|h| seed_doc_id(&h.path)).collect();
                // A file with several documents would name its id more than once.
                let mut seen = std::collections::HashSet::new();
                hits.retain(|id| seen.insert(id.clone()));
                (hits, None)
            }
            Err(err @ Error::InvalidQuery { .. }) => (Vec::new(), Some(err.to_string())),
            Err(err) => return Err(err),
        };
        let missing = line
            .must_match
            .iter()
            .filter(|id| !hits.contains(id))
            .cloned()
            .collect();
        outcomes.push(SeedOutcome {
            query: line.clone(),
            hits,
            missing,
            error,
        });
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_table_format() {
        let table = parse_seed_table(
            "# query\tmust\ttop1\twhat\n\nArbeit\t000,001\t-\tparts\nCities of Migration\t003\t003\tphrase\n",
            Path::new("seed.tsv"),
        )
        .unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table[0].line, 3);
        assert_eq!(table[0].must_match, ["000", "001"]);
        assert!(table[0].top1_in.is_empty());
        assert_eq!(table[1].query, "Cities of Migration");
        assert_eq!(table[1].top1_in, ["003"]);
        assert_eq!(table[1].what, "phrase");
    }

    #[test]
    fn reports_a_short_line() {
        let err = parse_seed_table("Arbeit\t000\n", Path::new("seed.tsv"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("seed.tsv line 1: expected"), "{err}");
    }

    #[test]
    fn names_documents_by_their_file_name() {
        assert_eq!(seed_doc_id("corpus/000_c6d1dbc434c0c46a.txt"), "000");
        assert_eq!(seed_doc_id("004_bd03.txt"), "004");
        assert_eq!(seed_doc_id("a\\b\\002_x.md"), "002");
    }

    #[test]
    fn says_what_is_wrong() {
        let outcome = SeedOutcome {
            query: SeedQuery {
                line: 1,
                query: "Politik".into(),
                must_match: vec!["000".into(), "002".into()],
                top1_in: vec!["002".into()],
                what: String::new(),
            },
            hits: vec!["000".into()],
            missing: vec!["002".into()],
            error: None,
        };
        assert!(!outcome.passed());
        assert_eq!(
            outcome.problems(),
            ["missing 002", "first hit 000 is not in 002"]
        );
    }
}
