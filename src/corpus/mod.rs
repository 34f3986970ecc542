//! Finding documents in a corpus folder and reading them.
//!
//! A document is a file (`.txt`, `.md`, `.html`, `.pdf`, `.docx`, `.odt`, `.epub`) or one line
//! of a JSON Lines file (`.jsonl`, `.jsonl.gz`). Each format is read by a file of its own,
//! chosen by [`Format`] in [`read`]; `encoding.rs` turns the bytes of a text format into text,
//! whatever their encoding, `office.rs` unpacks the zip packages of office documents and
//! e-books within limits, and `pdf.rs` reads a PDF's text page by page. A file's metadata
//! comes from a TOML sidecar with the same stem (`studie.txt` + `studie.toml`) and, for the
//! fields the sidecar leaves out, from the file itself where its format can say it (an HTML
//! page's `<meta>` tags, a PDF's document info dictionary, a DOCX's document properties, an
//! EPUB's package document); a JSON line carries its own. Hidden files, the sidecars and
//! `README` files (which describe a corpus, they are not part of it) are not documents. The
//! formats unpacked from untrusted files can be read in a worker process ([`worker`]), with a
//! time and a memory limit.

mod discover;
mod encoding;
mod html;
mod jsonl;
mod metadata;
mod office;
mod pdf;
mod text;
pub mod worker;

pub use discover::{Format, SourceFile, discover, is_under, shown_root, source_key};
pub use metadata::Metadata;
#[doc(hidden)]
pub use metadata::sidecar_from_str;
#[doc(hidden)]
pub use pdf::read_pdf_bytes;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One document, read from a corpus and ready to be indexed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The document's id: its path in the corpus for a file, its `id` for a JSON line.
    pub id: String,
    /// The path of the file it comes from, as found under the corpus root.
    pub path: String,
    /// Title, authors, institutions, year and the rest.
    pub metadata: Metadata,
    /// The full text.
    pub text: String,
    /// Where each page (a PDF's) or chapter (an EPUB's) begins in `text`, in order; empty for
    /// a document without pages. The first starts at 0 when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<Page>,
}

/// A page of a document: its label and where its text begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// What the document calls the page: its page label where it has one ("iv", "47"), else
    /// its number counted from 1; for an EPUB the chapter's number.
    pub label: String,
    /// The byte offset in the document's text at which the page begins (a char boundary).
    pub start: usize,
}

impl Page {
    /// The page that the byte `offset` of a text with these `pages` stands on: the last page
    /// that starts at or before it; `None` if there are no pages.
    pub fn at(pages: &[Page], offset: usize) -> Option<&Page> {
        let after = pages.partition_point(|page| page.start <= offset);
        pages.get(after.checked_sub(1)?)
    }
}

impl Document {
    /// The key that is unique in an index: the source file and, for a JSON line, its id.
    pub fn key(&self) -> String {
        if self.id == self.path {
            self.id.clone()
        } else {
            format!("{}#{}", self.path, self.id)
        }
    }
}

/// Reads the documents of one source file.
///
/// A file that cannot be read at all is an `Err`; a JSON Lines file yields one item a line,
/// and a bad line is an `Err` item naming the line while the lines after it are still read.
///
/// # Errors
/// [`Error::Io`], [`Error::Document`] or [`Error::Metadata`], naming the file (and line); for
/// a PDF also [`Error::Encrypted`] and [`Error::NoTextLayer`].
pub fn read(source: &SourceFile) -> Result<Box<dyn Iterator<Item = Result<Document>> + Send>> {
    if source.sidecar.is_some() {
        // What is wrong with a sidecar is said, and costs the file its sidecar's metadata
        // only, never its text.
        let (source, warnings) = check_sidecar(source);
        let documents = read_file(&source)?;
        return Ok(Box::new(warnings.into_iter().map(Err).chain(documents)));
    }
    read_file(source)
}

/// The source with its sidecar if the sidecar reads, else without it, and what is wrong with
/// the sidecar: an error that keeps it from being read, or keys that are not known (which are
/// ignored).
fn check_sidecar(source: &SourceFile) -> (SourceFile, Vec<Error>) {
    let Some(sidecar) = &source.sidecar else {
        return (source.clone(), Vec::new());
    };
    let warning = match metadata::read_sidecar_text(sidecar) {
        Ok((_, text)) => {
            let warnings = metadata::unknown_keys(&text)
                .into_iter()
                .map(|(key, line, near)| Error::Metadata {
                    path: sidecar.clone(),
                    line,
                    reason: match near {
                        Some(near) => format!("unknown key '{key}': did you mean '{near}'? it is ignored"),
                        None => format!(
                            "unknown key '{key}': it is ignored (known: title, authors, institutions, year, type, language, source)"
                        ),
                    },
                })
                .collect();
            return (source.clone(), warnings);
        }
        Err(Error::Metadata { path, line, reason }) => Error::Metadata {
            path,
            line,
            reason: format!("{reason}; the text is indexed without this sidecar's metadata"),
        },
        Err(other) => other,
    };
    let without = SourceFile {
        sidecar: None,
        ..source.clone()
    };
    (without, vec![warning])
}

fn read_file(source: &SourceFile) -> Result<Box<dyn Iterator<Item = Result<Document>> + Send>> {
    match source.format {
        Format::Text | Format::Markdown => {
            let doc = text::read(source)?;
            Ok(Box::new(std::iter::once(Ok(doc))))
        }
        Format::Html => {
            let doc = html::read(source)?;
            Ok(Box::new(std::iter::once(Ok(doc))))
        }
        Format::Pdf => {
            let doc = pdf::read(source)?;
            Ok(Box::new(std::iter::once(Ok(doc))))
        }
        Format::Docx | Format::Odt | Format::Epub => {
            let doc = office::read(source)?;
            Ok(Box::new(std::iter::once(Ok(doc))))
        }
        Format::JsonLines | Format::JsonLinesGz => Ok(Box::new(jsonl::read(source)?)),
    }
}

/// Reads the documents of a JSON Lines source from `reader` instead of the file at
/// `source.path`, which only names it in errors: [`read`] once the file is open. Public for the
/// fuzz target (`fuzz/fuzz_targets/jsonl.rs`).
#[doc(hidden)]
pub fn read_jsonl_from(
    source: &SourceFile,
    reader: impl std::io::Read + Send + 'static,
) -> impl Iterator<Item = Result<Document>> + Send {
    jsonl::from_reader(source, reader)
}

/// Reads the document of a whole-file source from `bytes` instead of the file at
/// `source.path`, which only names it in errors (its sidecar, if any, is still read). Public for
/// the fuzz targets (`fuzz/fuzz_targets/{html,office}.rs`).
///
/// # Errors
/// As [`read`]; a JSON Lines source is an [`Error::Document`] (use [`read_jsonl_from`]).
#[doc(hidden)]
pub fn read_bytes(source: &SourceFile, bytes: Vec<u8>) -> Result<Document> {
    match source.format {
        Format::Html => html::from_bytes(source, bytes),
        Format::Docx | Format::Odt | Format::Epub => office::from_bytes(source, bytes),
        _ => Err(document_error(
            &source.path,
            None,
            "read_bytes reads HTML, office documents and e-books",
        )),
    }
}

/// A document that is a whole file: its `text`, the metadata of its sidecar, what the file itself
/// says (`found`) where the sidecar is silent, and a title from its first line where neither
/// gives one.
///
/// # Errors
/// [`Error::Metadata`] or [`Error::Io`] if the sidecar cannot be read.
pub(crate) fn file_document(
    source: &SourceFile,
    text: String,
    pages: Vec<Page>,
    found: Metadata,
) -> Result<Document> {
    let mut metadata = match &source.sidecar {
        Some(sidecar) => metadata::read_sidecar(sidecar)?,
        None => Metadata::default(),
    };
    metadata.fill_from(found);
    if metadata.title.is_none() {
        metadata.title = text::derived_title(&text, source.format);
    }
    Ok(Document {
        id: source.display.clone(),
        path: source.display.clone(),
        metadata,
        text,
        pages,
    })
}

/// The text of a document made of pages (`(label, text)` in order) and where each page begins
/// in it. Pages are separated by a blank line; an empty page keeps its place (its start is
/// where the next begins), so the labels of the pages around it stay right.
pub(crate) fn join_pages(pages: Vec<(String, String)>) -> (String, Vec<Page>) {
    let mut text = String::with_capacity(pages.iter().map(|(_, page)| page.len() + 2).sum());
    let mut starts = Vec::with_capacity(pages.len());
    for (label, page) in pages {
        let page = page.trim();
        if !text.is_empty() && !page.is_empty() {
            text.push_str("\n\n");
        }
        starts.push(Page {
            label,
            start: text.len(),
        });
        text.push_str(page);
    }
    (text, starts)
}

pub(crate) fn document_error(
    path: &std::path::Path,
    line: Option<usize>,
    reason: impl Into<String>,
) -> Error {
    Error::Document {
        path: path.to_path_buf(),
        line,
        reason: reason.into(),
    }
}
