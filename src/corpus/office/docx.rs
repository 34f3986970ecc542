//! Word documents (`.docx`, Office Open XML): the body of `word/document.xml`, the footnotes
//! and endnotes after it, and the package's core and application properties.

use super::package::Package;
use super::xml::{Node, fields, walk};
use super::{Extracted, split_people};
use crate::corpus::Metadata;
use crate::corpus::html::year_in;

/// Reads a DOCX package.
pub(super) fn read<R: std::io::Read + std::io::Seek>(
    package: &mut Package<R>,
) -> Result<Extracted, String> {
    let mut text = paragraphs(&package.required("word/document.xml")?)?;
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(xml) = package.text(notes)? {
            let notes = paragraphs(&xml)?;
            if !notes.is_empty() {
                text.push_str("\n\n");
                text.push_str(&notes);
            }
        }
    }
    let mut metadata = match package.text("docProps/core.xml")? {
        Some(xml) => core_properties(&xml)?,
        None => Metadata::default(),
    };
    if let Some(xml) = package.text("docProps/app.xml")? {
        metadata.institutions = fields(&xml)?
            .into_iter()
            .filter(|(name, _)| name == "Company")
            .map(|(_, company)| company)
            .collect();
    }
    Ok(Extracted {
        chapters: vec![text],
        metadata,
    })
}

/// Elements whose text is not read: deleted and moved-away text of tracked changes not yet
/// accepted, and the fallback that Word writes beside a text box for older readers (its text
/// is the text box's again).
const SKIPPED: &[&str] = &["del", "moveFrom", "Fallback"];

/// The text of a WordprocessingML part: a paragraph (`w:p`) a line, runs' text (`w:t`), tabs
/// and breaks as tabs and line breaks, without the text of [`SKIPPED`] elements and without
/// field codes (`w:instrText`, which is not `w:t`).
fn paragraphs(xml: &str) -> Result<String, String> {
    let mut text = String::new();
    let mut in_text = false;
    let mut deleted = 0usize;
    walk(xml, |node| match node {
        Node::Open(tag) => match tag.name() {
            "t" => in_text = true,
            name if SKIPPED.contains(&name) => deleted += 1,
            "tab" if deleted == 0 => text.push('\t'),
            "br" | "cr" if deleted == 0 => text.push('\n'),
            _ => {}
        },
        Node::Close(name) => match name {
            "t" => in_text = false,
            name if SKIPPED.contains(&name) => deleted = deleted.saturating_sub(1),
            "p" => text.push('\n'),
            _ => {}
        },
        Node::Text(t) if in_text && deleted == 0 => text.push_str(t),
        Node::Text(_) => {}
    })?;
    Ok(super::tidy(&text))
}

/// Title, authors and year from `docProps/core.xml`. Keywords are not taken: they are the
/// author's tags, not the library's subjects.
fn core_properties(xml: &str) -> Result<Metadata, String> {
    let mut metadata = Metadata::default();
    let mut created = None;
    let mut modified = None;
    for (name, value) in fields(xml)? {
        match name.as_str() {
            "title" => metadata.title = Some(value),
            "creator" => metadata.authors = split_people(&value),
            "created" => created = year_in(&value),
            "modified" => modified = year_in(&value),
            "language" => metadata.language = crate::corpus::html::primary_language(&value),
            _ => {}
        }
    }
    metadata.year = created.or(modified);
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w"><w:body>{inner}</w:body></w:document>"#
        )
    }

    #[test]
    fn reads_paragraphs_runs_tabs_and_breaks() {
        let cases = [
            (
                "<w:p><w:r><w:t>Flücht</w:t></w:r><w:r><w:t>linge</w:t></w:r></w:p>",
                "Flüchtlinge",
            ),
            (
                "<w:p><w:r><w:t>Eins</w:t></w:r></w:p><w:p><w:r><w:t>Zwei</w:t></w:r></w:p>",
                "Eins\nZwei",
            ),
            (
                "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>",
                "a\tb\nc",
            ),
            (
                r#"<w:p><w:r><w:t xml:space="preserve">Straße </w:t></w:r><w:del><w:r><w:delText>alt</w:delText><w:t>weg</w:t></w:r></w:del><w:ins><w:r><w:t>neu</w:t></w:r></w:ins></w:p>"#,
                "Straße neu",
            ),
            (
                "<w:p><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>&lt;1&gt;</w:t></w:r></w:p>",
                "<1>",
            ),
            (
                "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Kasten</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>Kasten</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>",
                "Kasten",
            ),
            (
                "<w:p><w:moveFrom><w:r><w:t>dort</w:t></w:r></w:moveFrom><w:r><w:t>hier</w:t></w:r></w:p>",
                "hier",
            ),
            ("<w:p/><w:p></w:p>", ""),
        ];
        for (inner, expected) in cases {
            assert_eq!(paragraphs(&body(inner)).unwrap(), expected, "{inner}");
        }
    }

    #[test]
    fn takes_core_properties() {
        let xml = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t">
            <dc:title>Integration in Kommunen</dc:title>
            <dc:creator>Müller, Anna; Özdemir, Kemal</dc:creator>
            <cp:keywords>Flucht; Arbeit</cp:keywords>
            <dcterms:created>2018-03-01T10:00:00Z</dcterms:created>
            <dcterms:modified>2020-01-01T10:00:00Z</dcterms:modified>
            </cp:coreProperties>"#;
        let meta = core_properties(xml).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Integration in Kommunen"));
        assert_eq!(meta.authors, ["Müller, Anna", "Özdemir, Kemal"]);
        assert_eq!(meta.year, Some(2018));
        assert!(meta.doc_type.is_none() && meta.institutions.is_empty());
        let only_modified = core_properties("<p><modified>2021-02-02</modified></p>").unwrap();
        assert_eq!(only_modified.year, Some(2021));
    }
}
