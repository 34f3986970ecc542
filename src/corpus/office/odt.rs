//! OpenDocument texts (`.odt`, LibreOffice's format): the body of `content.xml` and the
//! properties of `meta.xml`.

use super::package::Package;
use super::xml::{Node, fields, walk};
use super::{Extracted, split_people};
use crate::corpus::Metadata;
use crate::corpus::html::{primary_language, year_in};

/// Elements whose text is not the document's: comments and the deleted text that tracked
/// changes keep.
const SKIPPED: &[&str] = &["annotation", "tracked-changes"];

/// Reads an ODT package.
pub(super) fn read<R: std::io::Read + std::io::Seek>(
    package: &mut Package<R>,
) -> Result<Extracted, String> {
    let text = paragraphs(&package.required("content.xml")?)?;
    let metadata = match package.text("meta.xml")? {
        Some(xml) => meta(&xml)?,
        None => Metadata::default(),
    };
    Ok(Extracted {
        chapters: vec![text],
        metadata,
    })
}

/// The text of `content.xml`: a paragraph (`text:p`) or heading (`text:h`) a line, `text:s`
/// as its count of spaces, tabs and line breaks as such. Footnotes stand where they are cited.
fn paragraphs(xml: &str) -> Result<String, String> {
    let mut text = String::new();
    let mut in_paragraph = 0usize;
    let mut skipped = 0usize;
    walk(xml, |node| match node {
        Node::Open(tag) if SKIPPED.contains(&tag.name()) => skipped += 1,
        Node::Close(name) if SKIPPED.contains(&name) => skipped = skipped.saturating_sub(1),
        _ if skipped > 0 => {}
        Node::Open(tag) => match tag.name() {
            "p" | "h" => {
                // A paragraph inside another (a footnote's) starts on a line of its own.
                if in_paragraph > 0 {
                    text.push('\n');
                }
                in_paragraph += 1;
            }
            "s" => {
                let count = tag.attr("c").and_then(|c| c.parse::<usize>().ok());
                // A count is a space run in one line, never more than a line's width.
                text.extend(std::iter::repeat_n(' ', count.unwrap_or(1).min(80)));
            }
            "tab" => text.push('\t'),
            "line-break" => text.push('\n'),
            _ => {}
        },
        Node::Close("p" | "h") => {
            in_paragraph = in_paragraph.saturating_sub(1);
            text.push('\n');
        }
        Node::Close(_) => {}
        Node::Text(t) if in_paragraph > 0 => text.push_str(t),
        Node::Text(_) => {}
    })?;
    Ok(super::tidy(&text))
}

/// Title, authors, year and language from `meta.xml`: the first author (`meta:initial-creator`)
/// before the last one to save it (`dc:creator`), the creation date before the last saving.
fn meta(xml: &str) -> Result<Metadata, String> {
    let mut metadata = Metadata::default();
    let (mut initial_creator, mut creator) = (None, None);
    let (mut created, mut saved) = (None, None);
    for (name, value) in fields(xml)? {
        match name.as_str() {
            "title" => metadata.title = Some(value),
            "initial-creator" => initial_creator = Some(value),
            "creator" => creator = Some(value),
            "creation-date" => created = year_in(&value),
            "date" => saved = year_in(&value),
            "language" => metadata.language = primary_language(&value),
            _ => {}
        }
    }
    metadata.authors = initial_creator
        .or(creator)
        .map(|people| split_people(&people))
        .unwrap_or_default();
    metadata.year = created.or(saved);
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>{inner}</office:text></office:body></office:document-content>"#
        )
    }

    #[test]
    fn reads_paragraphs_headings_spaces_and_breaks() {
        let cases = [
            (
                "<text:h>Kapitel</text:h><text:p>Text</text:p>",
                "Kapitel\nText",
            ),
            (
                r#"<text:p>a<text:s text:c="3"/>b<text:s/>c</text:p>"#,
                "a   b c",
            ),
            (
                "<text:p>a<text:tab/>b<text:line-break/>c</text:p>",
                "a\tb\nc",
            ),
            (
                "<text:p>Haupt<text:span>satz</text:span><text:note><text:note-body><text:p>Fußnote</text:p></text:note-body></text:note></text:p>",
                "Hauptsatz\nFußnote",
            ),
            (
                "<text:tracked-changes><text:changed-region><text:deletion><text:p>gelöscht</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>bleibt<office:annotation><text:p>Kommentar</text:p></office:annotation></text:p>",
                "bleibt",
            ),
            ("<text:sequence-decls>x</text:sequence-decls>", ""),
        ];
        for (inner, expected) in cases {
            assert_eq!(paragraphs(&body(inner)).unwrap(), expected, "{inner}");
        }
    }

    #[test]
    fn takes_meta() {
        let xml = r#"<office:document-meta><office:meta>
            <dc:title>Ankommen in Sachsen</dc:title>
            <meta:initial-creator>Weber, Jana</meta:initial-creator>
            <dc:creator>Sekretariat</dc:creator>
            <meta:creation-date>2016-04-01T09:00:00</meta:creation-date>
            <dc:date>2019-01-01T09:00:00</dc:date>
            <dc:language>de-DE</dc:language>
            </office:meta></office:document-meta>"#;
        let meta = meta(xml).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Ankommen in Sachsen"));
        assert_eq!(meta.authors, ["Weber, Jana"]);
        assert_eq!(meta.year, Some(2016));
        assert_eq!(meta.language.as_deref(), Some("de"));
    }
}
