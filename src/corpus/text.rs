//! Plain text and Markdown files: one document a file, in whatever encoding (see
//! [`super::encoding`]).

use super::encoding::decode;
use super::{Document, Format, Metadata, SourceFile, document_error, file_document};
use crate::error::{Error, Result};

/// Longest title taken from a document's first line, in characters.
const MAX_DERIVED_TITLE: usize = 200;

/// Reads a text or Markdown file and its sidecar.
pub(super) fn read(source: &SourceFile) -> Result<Document> {
    let path = &source.path;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(bytes, None).map_err(|reason| document_error(path, None, reason))?;
    if text.trim().is_empty() {
        return Err(document_error(path, None, "empty file"));
    }
    file_document(source, text, Vec::new(), Metadata::default())
}

/// The first non-empty line, without Markdown heading marks, as a title.
pub(super) fn derived_title(text: &str, format: Format) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = match format {
        Format::Markdown => line.trim_start_matches('#').trim(),
        _ => line,
    };
    let title: String = line.chars().take(MAX_DERIVED_TITLE).collect();
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_the_first_non_empty_line() {
        let text = "\n\n  Integration vor Ort  \nText";
        assert_eq!(
            derived_title(text, Format::Text).as_deref(),
            Some("Integration vor Ort")
        );
    }

    #[test]
    fn markdown_title_drops_heading_marks() {
        assert_eq!(
            derived_title("## Kommunen\n\nText", Format::Markdown).as_deref(),
            Some("Kommunen")
        );
    }
}
