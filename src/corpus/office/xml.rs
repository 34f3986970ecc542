//! The little that reading office XML needs from quick-xml: elements by local name, their
//! attributes and their text with entities resolved.
//!
//! Names are compared without their prefix: the namespaces of DOCX and ODT are bound to the
//! same prefixes in practice (`w:`, `text:`), but a generator may choose others, and no two
//! elements these readers look at share a local name with a different meaning.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What the pull parser saw, reduced to what the readers use.
pub(super) enum Node<'a> {
    /// An element opens (an empty element opens and then closes).
    Open(&'a Tag<'a>),
    /// An element closes: its local name.
    Close(&'a str),
    /// Text, with its entities resolved.
    Text(&'a str),
}

/// An element's start tag.
pub(super) struct Tag<'a> {
    start: BytesStart<'a>,
}

impl Tag<'_> {
    /// The element's name without its prefix.
    pub(super) fn name(&self) -> &str {
        local(self.start.name().into_inner())
    }

    /// An attribute's value, by its name without a prefix.
    pub(super) fn attr(&self, name: &str) -> Option<String> {
        self.start
            .attributes()
            .flatten()
            .find(|a| local(a.key.into_inner()) == name)
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Walks an XML document; the error is where and why it is not well-formed.
pub(super) fn walk(xml: &str, mut visit: impl FnMut(Node)) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(start) => visit(Node::Open(&Tag { start })),
            Event::Empty(start) => {
                let tag = Tag { start };
                visit(Node::Open(&tag));
                visit(Node::Close(tag.name()));
            }
            Event::End(end) => visit(Node::Close(local(end.name().into_inner()))),
            Event::Text(text) => visit(Node::Text(&text.into_inner())),
            Event::CData(data) => visit(Node::Text(&data.into_inner())),
            Event::GeneralRef(reference) => {
                let entity = format!("&{};", reference.into_inner());
                // An entity that XML does not define (a DTD's own) is dropped, as a browser
                // would show nothing for it either.
                if let Ok(text) = quick_xml::escape::unescape(&entity) {
                    visit(Node::Text(&text));
                }
            }
            Event::Eof => return Ok(()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// The text of each element that holds text, by local name, in document order: what the
/// metadata parts (`core.xml`, `meta.xml`, an OPF's `<metadata>`) are made of.
pub(super) fn fields(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut fields = Vec::new();
    let mut text = String::new();
    walk(xml, |node| match node {
        Node::Open(_) => text.clear(),
        Node::Text(t) => text.push_str(t),
        Node::Close(name) => {
            let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !value.is_empty() {
                fields.push((name.to_string(), value));
            }
            text.clear();
        }
    })?;
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_resolve_entities_and_drop_prefixes() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:dc="x" xmlns:cp="y">
            <dc:title>Gro&#223;e &amp; kleine Kommunen</dc:title><dc:creator> Anna
            Müller </dc:creator><x:empty/><![CDATA[<frei>]]></cp:coreProperties>"#;
        let fields = fields(xml).unwrap();
        assert_eq!(
            fields,
            [
                ("title".to_string(), "Große & kleine Kommunen".to_string()),
                ("creator".to_string(), "Anna Müller".to_string()),
                ("coreProperties".to_string(), "<frei>".to_string()),
            ]
        );
    }

    #[test]
    fn reports_xml_that_is_not_well_formed() {
        let err = fields("<a><b></a>").unwrap_err();
        assert!(err.starts_with("not well-formed XML at byte"), "{err}");
    }
}
