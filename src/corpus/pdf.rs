//! PDF files (`.pdf`): the text of each page, so that every passage knows its page, and what
//! the file says about itself.
//!
//! - **Text** (`extract.rs`): oxidize-pdf (MIT, pure Rust; chosen by measurement, see
//!   `docs/pdf-extraction.md`) extracts each page's text through the fonts' ToUnicode maps.
//!   A page that cannot be read is left empty and the others are kept; a file none of whose
//!   pages can be read is an error.
//! - **Repair** (`repair.rs`): ligatures become letters, soft hyphens, control and
//!   private-use characters go, and a word broken at a line end (`Integra-⏎tion`) is joined,
//!   while a hyphen before a capital or a conjunction (`Sprach-⏎und Integrationskurse`) stays.
//! - **Running headers and footers** (`running.rs`), repeated on most pages, are dropped, and
//!   so are page numbers alone at the top or bottom of a page.
//! - **Pages**: each page begins where [`Document::pages`] says, under its page label from
//!   the catalog's `/PageLabels` (`labels.rs`: "iv", "47", "A-3"), else its number from 1.
//! - **Metadata** (`meta.rs`): title, authors (split at `;`), year and language from the
//!   document info dictionary and the catalog, XMP for what they leave out; a sidecar wins
//!   field by field.
//!
//! A file encrypted with a user password is [`Error::Encrypted`] (one with an owner password
//! alone, the usual case for official reports, is read); a file whose pages hold fewer than
//! 20 letters on average is a scan, [`Error::NoTextLayer`], never an empty document. The
//! parser reads untrusted input: a panic in it is caught and reported as an error naming the
//! file; a time or memory limit is for the caller to set (a worker process). Reading order is
//! the content stream's, which real producers write in reading order; text in images is not
//! read (no OCR).

mod extract;
mod labels;
mod meta;
mod repair;
mod running;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use self::extract::{Extracted, Fault, extract};
use super::{
    Document, Format, Metadata, Page, SourceFile, document_error, file_document, join_pages,
};
use crate::error::{Error, Result};

/// The fewest letters a page holds on average in a PDF with a text layer. A scan has none, or
/// a few from a stamp or a form field; the emptiest real page (a chapter title) has some.
const MIN_LETTERS_PER_PAGE: usize = 20;

/// Reads a PDF file and its sidecar.
pub(super) fn read(source: &SourceFile) -> Result<Document> {
    let path = &source.path;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (text, pages, found) = read_bytes(path, &bytes)?;
    file_document(source, text, pages, found)
}

/// Reads a PDF held in memory as the document at `path`, which only names it in errors and
/// the document; no sidecar is read. Public for the fuzz target (`fuzz/fuzz_targets/pdf.rs`).
///
/// # Errors
/// As [`super::read`] for a PDF file: [`Error::Encrypted`], [`Error::NoTextLayer`] or
/// [`Error::Document`], naming `path`.
#[doc(hidden)]
pub fn read_pdf_bytes(path: &Path, bytes: &[u8]) -> Result<Document> {
    let (text, pages, found) = read_bytes(path, bytes)?;
    let source = SourceFile {
        path: path.to_path_buf(),
        display: path.display().to_string(),
        format: Format::Pdf,
        sidecar: None,
    };
    file_document(&source, text, pages, found)
}

/// The text, pages and metadata of the PDF `bytes`.
fn read_bytes(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Page>, Metadata)> {
    let extracted = guarded(path, || extract(bytes))?;
    let Extracted {
        pages,
        first_fault,
        labels,
        found,
    } = extracted.map_err(|fault| match fault {
        Fault::Encrypted => Error::Encrypted {
            path: path.to_path_buf(),
        },
        Fault::Broken(reason) => document_error(path, None, reason),
    })?;
    if pages.is_empty() {
        return Err(document_error(path, None, "no pages in the PDF"));
    }
    let read = pages.iter().filter(|page| page.is_some()).count();
    if read == 0 {
        let reason = first_fault.unwrap_or_else(|| "no page could be read".to_string());
        return Err(document_error(
            path,
            None,
            format!("no page could be read: {reason}"),
        ));
    }
    let mut texts: Vec<String> = pages
        .iter()
        .map(|page| page.as_deref().map(repair::repair).unwrap_or_default())
        .collect();
    running::strip_running(&mut texts);
    let letters: usize = texts
        .iter()
        .map(|text| text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters < MIN_LETTERS_PER_PAGE * read {
        return Err(Error::NoTextLayer {
            path: path.to_path_buf(),
        });
    }
    let labelled = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let label = labels
                .get(i)
                .filter(|label| !label.is_empty())
                .cloned()
                .unwrap_or_else(|| (i + 1).to_string());
            (label, text)
        })
        .collect();
    let (text, pages) = join_pages(labelled);
    Ok((text, pages, meta::metadata(&found)))
}

/// Runs `read` and turns a panic in it into an error naming the file. The parser is a large
/// body of code reading untrusted bytes: a panic in it must cost this file, not the indexing
/// run. Nothing outlives the closure but its result, so no state the panic left half-changed
/// is seen again.
fn guarded<T>(path: &Path, read: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(read)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        document_error(path, None, format!("the PDF reader failed: {message}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> (std::path::PathBuf, Vec<u8>) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf")
            .join(name);
        let bytes = std::fs::read(&path).expect("the fixture is in the repository");
        (path, bytes)
    }

    fn read_fixture(name: &str) -> Result<Document> {
        let (path, bytes) = fixture(name);
        read_pdf_bytes(&path, &bytes)
    }

    fn labels(doc: &Document) -> Vec<&str> {
        doc.pages.iter().map(|page| page.label.as_str()).collect()
    }

    #[test]
    fn reads_a_libreoffice_pdf_page_by_page() {
        let doc = read_fixture("libreoffice.pdf").unwrap();
        assert_eq!(labels(&doc), ["1", "2", "3"]);
        assert!(doc.text.contains("Sprachförderung"), "{}", doc.text);
        assert!(doc.text.contains("Äußerst"), "{}", doc.text);
        assert!(!doc.text.contains("Zwischenbericht"), "{}", doc.text);
        assert!(
            !doc.text.contains("Bundesamt für Migration"),
            "{}",
            doc.text
        );
        assert_eq!(doc.metadata.year, Some(2026));
    }

    #[test]
    fn reads_page_labels_and_metadata_of_a_tex_pdf() {
        let doc = read_fixture("tex.pdf").unwrap();
        assert_eq!(labels(&doc), ["i", "1", "2"]);
        let second = Page::at(&doc.pages, doc.text.find("Ergebnisse").unwrap()).unwrap();
        assert_eq!(second.label, "1");
        assert_eq!(
            doc.metadata.title.as_deref(),
            Some("Arbeitsmarktintegration von Geflüchteten")
        );
        assert_eq!(doc.metadata.authors, ["Müller, Anna", "Weiß, Jörg"]);
        assert_eq!(doc.metadata.year, Some(2023));
        assert_eq!(doc.metadata.language.as_deref(), Some("de"));
        assert!(doc.text.contains("Sprachförderung"), "{}", doc.text);
        assert!(!doc.text.contains("Zwischenbericht 2024"), "{}", doc.text);
    }

    #[test]
    fn takes_metadata_from_xmp_without_an_info_dictionary() {
        let doc = read_fixture("xmp.pdf").unwrap();
        assert_eq!(
            doc.metadata.title.as_deref(),
            Some("Wohnen & Ankommen in der Stadt")
        );
        assert_eq!(doc.metadata.authors, ["Hoffmann, Greta", "Nasser, Omar"]);
        assert_eq!(doc.metadata.year, Some(2021));
        assert_eq!(doc.metadata.language.as_deref(), Some("de"));
        assert!(doc.text.contains("Geflüchtete"), "{}", doc.text);
    }

    #[test]
    fn reads_an_owner_password_file_like_the_original() {
        let doc = read_fixture("encrypted-ownerpw.pdf").unwrap();
        let original = read_fixture("libreoffice.pdf").unwrap();
        assert_eq!(doc.text, original.text);
    }

    #[test]
    fn a_user_password_file_is_encrypted() {
        let err = read_fixture("encrypted-userpw.pdf").unwrap_err();
        assert!(matches!(err, Error::Encrypted { .. }), "{err}");
        assert!(
            err.to_string()
                .ends_with("encrypted-userpw.pdf: encrypted: it needs a password to be read"),
            "{err}"
        );
    }

    #[test]
    fn a_scan_has_no_text_layer() {
        let err = read_fixture("scanned.pdf").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("scanned.pdf: no text layer: scanned?"),
            "{err}"
        );
    }

    #[test]
    fn reads_lines_shown_with_the_quote_operators() {
        let doc = read_fixture("operators.pdf").unwrap();
        assert_eq!(labels(&doc), ["1", "2"]);
        for word in ["erste", "zweite", "dritte"] {
            assert!(doc.text.contains(word), "{word}: {}", doc.text);
        }
    }

    #[test]
    fn broken_files_are_errors_naming_them() {
        for (name, reason) in [
            ("truncated.pdf", "truncated.pdf: "),
            ("binary.pdf", "binary.pdf: not a PDF"),
            ("loop.pdf", "loop.pdf: "),
        ] {
            match read_fixture(name) {
                Err(err @ Error::Document { .. }) => {
                    assert!(err.to_string().contains(reason), "{err}")
                }
                Err(err) => panic!("{name}: {err:?}"),
                // A reader may also stop at the loop and read the one real page.
                Ok(doc) => assert!(
                    name == "loop.pdf" && doc.text.contains("Schleife"),
                    "{doc:?}"
                ),
            }
        }
    }

    #[test]
    fn a_page_that_cannot_be_read_does_not_lose_the_others() {
        let doc = read_fixture("badpage.pdf").unwrap();
        assert_eq!(labels(&doc), ["1", "2"]);
        assert!(doc.text.contains("Wohnungssuche"), "{}", doc.text);
    }

    #[test]
    fn a_panic_in_the_parser_is_an_error_naming_the_file() {
        let err = guarded(Path::new("corpus/bericht.pdf"), || -> u8 {
            panic!("index out of bounds")
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "corpus/bericht.pdf: the PDF reader failed: index out of bounds"
        );
    }

    #[test]
    fn a_page_label_tree_that_names_itself_is_walked_within_bounds() {
        let doc = read_fixture("labelloop.pdf").unwrap();
        assert_eq!(labels(&doc), ["1"]);
    }

    #[test]
    fn an_empty_file_is_not_a_pdf() {
        let err = read_pdf_bytes(Path::new("leer.pdf"), b"").unwrap_err();
        assert_eq!(err.to_string(), "leer.pdf: empty file: not a PDF");
    }

    #[test]
    fn garbage_after_a_pdf_header_is_an_error() {
        let err =
            read_pdf_bytes(Path::new("kaputt.pdf"), b"%PDF-1.4\n\xff\xfe garbage").unwrap_err();
        assert!(err.to_string().starts_with("kaputt.pdf: "), "{err}");
    }
}
