//! Exporting hits for reference managers and spreadsheets: BibTeX, RIS, CSL-JSON and CSV.
//!
//! Each format is written from the metadata integra holds about a hit (`entry.rs` reads it
//! once: the kind of publication from the document type, each author as a person or a body,
//! a citation key unique within the export); one file per format writes it.
//!
//! ```
//! use integra::export::{ExportFormat, export};
//! # use integra::{Hit, Snippet};
//! # let hit = Hit {
//! #     id: "1".into(), title: Some("So gelingt Integration vor Ort!".into()),
//! #     authors: vec!["Frank Gesemann".into(), "Bertelsmann Stiftung".into()],
//! #     institutions: vec![], year: Some(2017), doc_type: Some("Gutachten".into()),
//! #     path: "corpus/fes.pdf".into(), score: 1.0, snippet: Snippet::default(), snippets: vec![],
//! #     explain: None,
//! # };
//! let bibtex = export(&[hit], ExportFormat::BibTex);
//! assert!(bibtex.starts_with("@techreport{gesemann2017integration,"));
//! assert!(bibtex.contains("author = {Gesemann, Frank and {Bertelsmann Stiftung}}"));
//! ```

mod bibtex;
mod csl;
mod csv;
mod entry;
mod names;
mod ris;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::search::Hit;

/// A format that hits can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportFormat {
    /// BibTeX entries (`@techreport{…}`), UTF-8, for LaTeX, JabRef and Zotero.
    BibTex,
    /// RIS records, for Zotero, EndNote and Citavi.
    Ris,
    /// A CSL-JSON array, for Pandoc and citeproc.
    CslJson,
    /// A CSV table with a header row, for spreadsheets.
    Csv,
}

impl ExportFormat {
    /// Every format, in the order the help lists them.
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::BibTex,
        ExportFormat::Ris,
        ExportFormat::CslJson,
        ExportFormat::Csv,
    ];

    /// The name a user types: `bibtex`, `ris`, `csl-json` or `csv`.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "bibtex",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "csl-json",
            ExportFormat::Csv => "csv",
        }
    }

    /// The media type to serve it with (`Content-Type`).
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "application/x-bibtex; charset=utf-8",
            ExportFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            ExportFormat::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
            ExportFormat::Csv => "text/csv; charset=utf-8; header=present",
        }
    }

    /// The file name ending to save it under, without the dot: `bib`, `ris`, `json`, `csv`.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::BibTex => "bib",
            ExportFormat::Ris => "ris",
            ExportFormat::CslJson => "json",
            ExportFormat::Csv => "csv",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    /// Reads a format's name, in any case: `bibtex`, `ris`, `csl-json` (or `csljson`), `csv`.
    fn from_str(s: &str) -> Result<ExportFormat, String> {
        let name = s.trim().to_ascii_lowercase();
        ExportFormat::ALL
            .into_iter()
            .find(|format| format.name() == name || format.name().replace('-', "") == name)
            .ok_or_else(|| {
                format!("unknown export format \"{s}\": expected bibtex, ris, csl-json or csv")
            })
    }
}

/// Writes the hits in a format, in their order, to `out`.
///
/// # Errors
/// The error of `out`, such as a closed pipe.
pub fn write_export(out: &mut dyn Write, hits: &[Hit], format: ExportFormat) -> io::Result<()> {
    let entries = entry::entries(hits);
    match format {
        ExportFormat::BibTex => bibtex::write(out, &entries),
        ExportFormat::Ris => ris::write(out, &entries),
        ExportFormat::CslJson => csl::write(out, &entries),
        ExportFormat::Csv => csv::write(out, &entries),
    }
}

/// The hits in a format, as a string (for a server's answer).
pub fn export(hits: &[Hit], format: ExportFormat) -> String {
    let mut out = Vec::new();
    write_export(&mut out, hits, format).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("every format writes UTF-8")
}

/// A hit with the given metadata and nothing else, for the formats' tests.
#[cfg(test)]
pub(crate) fn test_hit(
    title: Option<&str>,
    authors: &[&str],
    institutions: &[&str],
    year: Option<u16>,
) -> Hit {
    Hit {
        id: "doc-1".into(),
        title: title.map(Into::into),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        institutions: institutions.iter().map(|i| i.to_string()).collect(),
        year,
        doc_type: None,
        path: "corpus/doc.txt".into(),
        score: 1.0,
        snippet: crate::Snippet::default(),
        snippets: Vec::new(),
        explain: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_format_names() {
        for format in ExportFormat::ALL {
            assert_eq!(format.name().parse::<ExportFormat>(), Ok(format));
        }
        assert_eq!("CSLJSON".parse::<ExportFormat>(), Ok(ExportFormat::CslJson));
        assert_eq!(
            "endnote".parse::<ExportFormat>(),
            Err("unknown export format \"endnote\": expected bibtex, ris, csl-json or csv".into())
        );
    }

    #[test]
    fn every_format_writes_valid_utf8_with_umlauts() {
        let hit = test_hit(
            Some("Flüchtlinge in Großstädten"),
            &["Jürgen Weiß"],
            &[],
            None,
        );
        for format in ExportFormat::ALL {
            let text = export(std::slice::from_ref(&hit), format);
            assert!(
                text.contains("Flüchtlinge in Großstädten"),
                "{format}: {text}"
            );
        }
    }
}
