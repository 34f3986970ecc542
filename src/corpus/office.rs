//! Office documents and e-books (`.docx`, `.odt`, `.epub`): zip packages of XML parts, one
//! document a file.
//!
//! - **DOCX** (`docx.rs`): the paragraphs of `word/document.xml` without deleted text, then
//!   the footnotes and endnotes; title, authors and year from `docProps/core.xml`, the company
//!   of `docProps/app.xml` as institution.
//! - **ODT** (`odt.rs`): the paragraphs and headings of `content.xml` without comments and
//!   deleted text; title, authors, year and language from `meta.xml`.
//! - **EPUB** (`epub.rs`): the main text of each chapter, in the order of the spine, chapters
//!   separated by a blank line, each a page of the document ("Kap. 3"); the package document's Dublin Core metadata.
//!
//! A sidecar wins field by field, as for every format. Packages are untrusted: `package.rs`
//! opens them with limits on their entries and unpacked bytes (a zip bomb is refused, not
//! unpacked), and every fault (not a zip, corrupt, truncated, encrypted, a part missing, XML
//! that is not well-formed) is an error naming the file. The XML is read by quick-xml, a pull
//! parser (MIT), through the few helpers of `xml.rs`; the zip by the `zip` crate (MIT) with
//! deflate alone, the method office suites and e-book tools write.

mod docx;
mod epub;
mod odt;
mod package;
mod xml;

use self::package::{LIMITS, Package};
use super::{Document, Format, Metadata, SourceFile, document_error, file_document, join_pages};
use crate::error::Result;

/// What a package gives before the sidecar is read.
struct Extracted {
    /// The text of each chapter (an EPUB's spine items; one for DOCX and ODT), not empty.
    /// Chapters are joined into the document's text in [`read`] alone.
    chapters: Vec<String>,
    /// What the package says about itself.
    metadata: Metadata,
}

/// Reads an office document or e-book and its sidecar.
pub(super) fn read(source: &SourceFile) -> Result<Document> {
    let package = Package::open(&source.path, LIMITS)
        .map_err(|reason| document_error(&source.path, None, reason))?;
    from_package(source, package)
}

/// Reads the office document or e-book `source` names from its `bytes`, and its sidecar.
pub(super) fn from_bytes(source: &SourceFile, bytes: Vec<u8>) -> Result<Document> {
    let package = Package::new(std::io::Cursor::new(bytes), LIMITS)
        .map_err(|reason| document_error(&source.path, None, reason))?;
    from_package(source, package)
}

/// Reads an opened package as the format of `source`.
fn from_package<R: std::io::Read + std::io::Seek>(
    source: &SourceFile,
    mut package: Package<R>,
) -> Result<Document> {
    let path = &source.path;
    let fail = |reason: String| document_error(path, None, reason);
    let extracted = match source.format {
        Format::Docx => docx::read(&mut package),
        Format::Odt => odt::read(&mut package),
        Format::Epub => epub::read(&mut package),
        _ => unreachable!("office::read is called for office formats only"),
    }
    .map_err(fail)?;
    let chapters: Vec<(String, String)> = extracted
        .chapters
        .into_iter()
        .filter(|chapter| !chapter.is_empty())
        .enumerate()
        .map(|(i, chapter)| ((i + 1).to_string(), chapter))
        .collect();
    // An e-book's chapters stand where a PDF's pages stand; a DOCX or ODT has none.
    let several = chapters.len() > 1;
    let (text, pages) = join_pages(chapters);
    if text.is_empty() {
        return Err(document_error(path, None, "no text in the document"));
    }
    let pages = if several && source.format == Format::Epub {
        pages
    } else {
        Vec::new()
    };
    file_document(source, text, pages, extracted.metadata)
}

/// Text as the readers build it, tidied: spaces at the ends of lines dropped, no more than one
/// blank line in a row, none at the start or end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = 0;
    }
    out
}

/// People in one property, split at `;` (never at `,`: "Müller, Anna" is one person).
pub(super) fn split_people(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|person| !person.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
