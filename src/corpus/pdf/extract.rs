//! What oxidize-pdf gives of a PDF: the raw text of each page, the page labels, the document
//! info dictionary, the XMP packet and the language of the catalog.
//!
//! Everything integra does to that text (repair, running headers, the scan check) happens in
//! the files beside this one; this file is the only one that knows the crate.

use std::io::Cursor;

use oxidize_pdf::parser::{ParseError, ParseOptions, PdfDocument, PdfObject, PdfReader};
use oxidize_pdf::text::{ExtractionOptions, TextExtractor};

use super::labels::{self, LabelRange};
use super::meta::Found;

/// The most text kept of one page. A page of a book holds a few kilobytes; a content stream
/// that decodes to more is an attack or an accident, and its first megabytes are plenty to
/// index.
const PAGE_TEXT_LIMIT: usize = 4 * 1024 * 1024;

/// The most bytes an XMP packet is unpacked to. Packets hold a few kilobytes (with padding
/// for editing in place); the crate's own cap on any stream is 256 MB.
const XMP_LIMIT: usize = 1024 * 1024;

/// How deep the page label number tree is followed; real trees have one or two levels.
const LABEL_TREE_DEPTH: usize = 8;

/// How many nodes of the page label number tree are read at most: a tree whose `/Kids` name
/// the same node again and again would otherwise be walked a number of times exponential in
/// its depth.
const LABEL_TREE_NODES: usize = 1024;

/// What a PDF gives before integra repairs its text.
#[derive(Debug, Default)]
pub(super) struct Extracted {
    /// The raw text of each page, in order; `None` for a page whose text could not be read.
    pub pages: Vec<Option<String>>,
    /// Why the first unreadable page could not be read, if one could not.
    pub first_fault: Option<String>,
    /// The label of each page from the catalog's `/PageLabels`; empty if it has none.
    pub labels: Vec<String>,
    /// The document info dictionary, the XMP packet and the catalog's language.
    pub found: Found,
}

/// Why a PDF could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Fault {
    /// It is encrypted, and the empty user password does not open it.
    Encrypted,
    /// It is not a PDF, or too broken to read: the reason.
    Broken(String),
}

/// Reads the pages, labels and metadata of a PDF held in memory.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, Fault> {
    if bytes.is_empty() {
        return Err(Fault::Broken("empty file: not a PDF".to_string()));
    }
    let mut reader =
        PdfReader::new_with_options(Cursor::new(bytes), ParseOptions::lenient()).map_err(fault)?;
    // oxidize-pdf tries the empty user password on opening; a file it leaves locked needs a
    // password, and every later call would fail with a message about broken objects.
    if reader.is_encrypted() && !reader.is_unlocked() {
        return Err(Fault::Encrypted);
    }
    let mut found = Found::default();
    // The info dictionary, labels and XMP are extras: a fault in them loses them, not the text.
    if let Ok(Some(info)) = reader.info() {
        let text = |key: &str| {
            info.get(key)
                .and_then(PdfObject::as_string)
                .map(|s| s.to_text())
        };
        found.title = text("Title");
        found.author = text("Author");
        found.creation_date = text("CreationDate");
    }
    let catalog = reader.catalog().ok().cloned();
    let document = PdfDocument::new(reader);
    let mut ranges = Vec::new();
    if let Some(catalog) = &catalog {
        found.language = catalog
            .get("Lang")
            .and_then(|lang| document.resolve(lang).ok())
            .and_then(|lang| lang.as_string().map(|s| s.to_text()));
        found.xmp = catalog
            .get("Metadata")
            .and_then(|xmp| document.resolve(xmp).ok())
            .and_then(|xmp| {
                let stream = xmp.as_stream()?;
                let bytes = document.decode_stream_with_limit(stream, XMP_LIMIT).ok()?;
                Some(String::from_utf8_lossy(&bytes).into_owned())
            });
        if let Some(tree) = catalog.get("PageLabels") {
            let mut budget = LABEL_TREE_NODES;
            label_ranges(&document, tree, 0, &mut budget, &mut ranges);
        }
    }
    let count = document.page_count().map_err(fault)?;
    let options = ExtractionOptions {
        // oxidize-pdf joins every `Wort-⏎teil`, also `EU-⏎Bürger` and `Sprach-⏎und`, and
        // drops the hyphen; German needs the rule of `repair.rs`, which sees the line ends.
        merge_hyphenated: false,
        max_extracted_bytes: Some(PAGE_TEXT_LIMIT),
        ..ExtractionOptions::default()
    };
    let mut extracted = Extracted {
        labels: labels::labels(&ranges, count as usize),
        found,
        ..Extracted::default()
    };
    // One extractor for all pages: it keeps the fonts it has parsed (by object), which the
    // pages of a document share, instead of parsing them again for every page.
    let mut extractor = TextExtractor::with_options(options);
    for index in 0..count {
        match extractor.extract_from_page(&document, index) {
            Ok(page) => extracted.pages.push(Some(page.text)),
            Err(err) => {
                extracted.pages.push(None);
                extracted
                    .first_fault
                    .get_or_insert_with(|| format!("page {}: {}", index + 1, reason(&err)));
            }
        }
    }
    Ok(extracted)
}

/// The label ranges of a `/PageLabels` number tree node: its `/Nums` pairs and those of its
/// `/Kids`, in order. Bad entries are passed over; no more than `budget` nodes are read.
fn label_ranges<R: std::io::Read + std::io::Seek>(
    document: &PdfDocument<R>,
    node: &PdfObject,
    depth: usize,
    budget: &mut usize,
    ranges: &mut Vec<LabelRange>,
) {
    if depth > LABEL_TREE_DEPTH || *budget == 0 {
        return;
    }
    *budget -= 1;
    let Ok(node) = document.resolve(node) else {
        return;
    };
    let Some(node) = node.as_dict() else {
        return;
    };
    if let Some(kids) = node
        .get("Kids")
        .and_then(|kids| document.resolve(kids).ok())
        && let Some(kids) = kids.as_array()
    {
        for kid in &kids.0 {
            label_ranges(document, kid, depth + 1, budget, ranges);
        }
    }
    let Some(nums) = node
        .get("Nums")
        .and_then(|nums| document.resolve(nums).ok())
    else {
        return;
    };
    let Some(nums) = nums.as_array() else {
        return;
    };
    for pair in nums.0.chunks_exact(2) {
        let (Some(first), Ok(label)) = (pair[0].as_integer(), document.resolve(&pair[1])) else {
            continue;
        };
        let (Ok(first), Some(label)) = (usize::try_from(first), label.as_dict()) else {
            continue;
        };
        let name = |key: &str| label.get(key).and_then(PdfObject::as_name);
        ranges.push(LabelRange {
            first_page: first,
            style: name("S").and_then(|s| s.as_str().chars().next()),
            prefix: label
                .get("P")
                .and_then(PdfObject::as_string)
                .map(|p| p.to_text())
                .unwrap_or_default(),
            start: label
                .get("St")
                .and_then(PdfObject::as_integer)
                .and_then(|st| u32::try_from(st).ok())
                .filter(|&st| st >= 1)
                .unwrap_or(1),
        });
    }
}

/// The fault of an error that stops the whole file.
fn fault(err: ParseError) -> Fault {
    match err {
        ParseError::EncryptionNotSupported | ParseError::WrongPassword | ParseError::PdfLocked => {
            Fault::Encrypted
        }
        err => Fault::Broken(reason(&err)),
    }
}

/// oxidize-pdf's message, lowercase as integra's messages are, and said plainly where it is
/// not ("Invalid PDF header" is a file that does not begin like a PDF).
fn reason(err: &ParseError) -> String {
    match err {
        ParseError::InvalidHeader => "not a PDF: it does not begin with %PDF-".to_string(),
        ParseError::EmptyFile => "empty file: not a PDF".to_string(),
        ParseError::CircularReference => "the page tree refers to itself".to_string(),
        err => {
            let message = err.to_string();
            let mut chars = message.chars();
            match chars.next() {
                Some(first) => format!(
                    "not readable as a PDF: {}{}",
                    first.to_lowercase(),
                    chars.as_str()
                ),
                None => "not readable as a PDF".to_string(),
            }
        }
    }
}
