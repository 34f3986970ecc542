//! HTML pages (`.html`, `.htm`): one document a page, its main text and what it says about itself.
//!
//! - **Encoding**: a byte order mark, else the page's `<meta charset>` or `http-equiv`
//!   content type, else detection ([`super::encoding`]).
//! - **Text**: the main content without scripts, navigation, page header and footer, cookie
//!   banners, forms and hidden elements; blocks on lines of their own (`main_text.rs`).
//! - **Metadata**: Highwire Press (`citation_*`), Dublin Core (`DC.*`) and Open Graph
//!   (`og:*`) tags, `<title>` and `<html lang>` (`meta.rs`). A sidecar wins field by field:
//!   what it gives is taken, what it leaves out is taken from the page. Without any title, the
//!   content's first `<h1>`, then its first line, is the title.
//!
//! Pages are parsed by html5ever, the parser of Servo, which implements the WHATWG tree
//! construction algorithm: unclosed paragraphs, misnested tags and stray end tags, the rule on
//! old sites, are repaired exactly as a browser repairs them, so what counts as inside a
//! `<nav>` or a cookie banner is what a reader sees inside it. It is MIT or Apache-2.0
//! licensed. The crates that wrap it with a DOM (scraper, kuchikiki, dom_query) bring CSS
//! selector engines under the MPL-2.0 that reading a page does not need; the small tree in
//! `dom.rs` is what html5ever asks its user to supply. tl and lol_html are faster but build no
//! browser's tree: tl is a lenient tag-soup parser, lol_html a streaming rewriter without one.

mod dom;
mod main_text;
mod meta;

use encoding_rs::{Encoding, WINDOWS_1252, X_USER_DEFINED};

use self::dom::Dom;
use self::main_text::{MainText, main_text};
use self::meta::page_metadata;
pub(super) use self::meta::{primary_language, year_in};
use super::encoding::decode;
use super::{Document, SourceFile, document_error, file_document};
use crate::error::{Error, Result};

/// How far into a page its declared charset is looked for. The standard's prescan stops after
/// 1024 bytes; pages that put long scripts and styles first are read further, as a declaration
/// that comes late still says more than a guess.
const CHARSET_PRESCAN: usize = 16 * 1024;

/// Reads an HTML page and its sidecar.
pub(super) fn read(source: &SourceFile) -> Result<Document> {
    let path = &source.path;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(source, bytes)
}

/// Reads the page `source` names from its `bytes`, and its sidecar.
pub(super) fn from_bytes(source: &SourceFile, bytes: Vec<u8>) -> Result<Document> {
    let path = &source.path;
    let declared = declared_encoding(&bytes);
    let html = decode(bytes, declared).map_err(|reason| document_error(path, None, reason))?;
    let dom = Dom::parse(&html);
    let MainText { text, heading } = main_text(&dom);
    if text.is_empty() {
        return Err(document_error(
            path,
            None,
            "no text outside scripts, navigation and banners",
        ));
    }
    let mut found = page_metadata(&dom);
    found.title = found.title.or(heading);
    file_document(source, text, Vec::new(), found)
}

/// The main text of a page given as bytes, for formats that are made of pages (an EPUB's
/// chapters); the error is the reason the bytes are not text.
pub(super) fn page_text(bytes: Vec<u8>) -> std::result::Result<String, String> {
    let declared = declared_encoding(&bytes);
    let html = decode(bytes, declared)?;
    Ok(main_text(&Dom::parse(&html)).text)
}

/// The encoding a page declares in a `<meta>` tag near its start: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut rest = &bytes[..bytes.len().min(CHARSET_PRESCAN)];
    while let Some(start) = find_ignoring_case(rest, b"<meta") {
        let tag = &rest[start + b"<meta".len()..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let is_meta = tag
            .first()
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'/');
        if is_meta && let Some(encoding) = charset_in(&tag[..end]).and_then(Encoding::for_label) {
            // As the standard says: a page cannot declare UTF-16 in bytes that can be read as
            // ASCII, so it means UTF-8; x-user-defined means windows-1252.
            return Some(if encoding == X_USER_DEFINED {
                WINDOWS_1252
            } else {
                encoding.output_encoding()
            });
        }
        rest = &tag[end..];
    }
    None
}

/// The label after `charset=` in the attributes of a tag.
fn charset_in(attributes: &[u8]) -> Option<&[u8]> {
    let mut rest = attributes;
    loop {
        let at = find_ignoring_case(rest, b"charset")?;
        rest = rest[at + b"charset".len()..].trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b"=") {
            let value = value.trim_ascii_start();
            let value = value.strip_prefix(b"\"").unwrap_or(value);
            let value = value.strip_prefix(b"'").unwrap_or(value);
            let end = value
                .iter()
                .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/') || b.is_ascii_whitespace())
                .unwrap_or(value.len());
            return (end > 0).then_some(&value[..end]);
        }
    }
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_2, UTF_8};

    #[test]
    fn finds_the_declared_charset() {
        let cases: [(&str, Option<&'static Encoding>); 9] = [
            (r#"<meta charset="utf-8">"#, Some(UTF_8)),
            ("<META CHARSET=ISO-8859-1>", Some(WINDOWS_1252)),
            ("<meta charset='iso-8859-2'/>", Some(ISO_8859_2)),
            (
                r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">"#,
                Some(WINDOWS_1252),
            ),
            (
                r#"<meta content="text/html;charset = latin1" http-equiv="content-type">"#,
                Some(WINDOWS_1252),
            ),
            (
                r#"<meta name="description" content="Studie"><meta charset="utf-16">"#,
                Some(UTF_8),
            ),
            (r#"<meta charset="x-user-defined">"#, Some(WINDOWS_1252)),
            (r#"<meta charset="kein-zeichensatz">"#, None),
            (
                r#"<metadata charset="iso-8859-2"><p>charset=latin2</p>"#,
                None,
            ),
        ];
        for (head, expected) in cases {
            let page = format!("<!DOCTYPE html><html><head>{head}</head><body></body></html>");
            assert_eq!(declared_encoding(page.as_bytes()), expected, "{head}");
        }
    }

    #[test]
    fn decodes_a_page_by_its_declared_charset() {
        // Polish in ISO-8859-2: without the declaration, the bytes of "ż" and "ś" would read
        // as other letters in windows-1252.
        let page = "<html><head><meta charset=\"iso-8859-2\"><title>Zażółć</title></head>\
                    <body><p>Uchodźcy i integracja: gęślą jaźń</p></body></html>";
        let (bytes, _, _) = ISO_8859_2.encode(page);
        let declared = declared_encoding(&bytes);
        assert_eq!(declared, Some(ISO_8859_2));
        let html = decode(bytes.into_owned(), declared).unwrap();
        let dom = Dom::parse(&html);
        assert_eq!(main_text(&dom).text, "Uchodźcy i integracja: gęślą jaźń");
        assert_eq!(page_metadata(&dom).title.as_deref(), Some("Zażółć"));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// Markup soup: real tags and attributes that the rules look at, opened and closed in any
    /// order, text, entities and comments.
    const SOUP: &str = "(<(/)?(p|div|main|article|section|header|footer|nav|aside|script|style|\
                        table|tr|td|pre|sup|h1|li|ul|template|select|svg|math|b|title|meta|html|\
                        body)( class=cookie| hidden| role=main| name=author content=x;y| \
                        charset=latin1)?/?>|[a-zäß \n]{1,6}|&[a-z#0-9]{1,5};?|<!--|-->){0,40}";

    proptest! {
        #[test]
        fn no_markup_makes_reading_a_page_panic(html in SOUP) {
            let _ = declared_encoding(html.as_bytes());
            let dom = Dom::parse(&html);
            let _ = page_metadata(&dom);
            let MainText { text, heading } = main_text(&dom);
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert!(!text.contains("  ") && !text.contains("\n\n\n"), "{:?}", text);
            if let Some(heading) = heading {
                prop_assert!(!heading.is_empty() && text.contains(heading.as_str()));
            }
        }
    }
}
