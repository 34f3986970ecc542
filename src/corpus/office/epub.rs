//! E-books (`.epub`): the chapters in the order of the spine, each chapter's main text, and
//! the Dublin Core metadata of the package document (the OPF).
//!
//! `META-INF/container.xml` names the package document; its manifest maps ids to the files of
//! the book, its spine lists the ids in reading order. Chapters are XHTML pages and read as
//! pages are (`html/main_text.rs`), so a chapter's navigation and running heads are dropped as
//! a web page's are.

use super::package::Package;
use super::xml::{Node, fields, walk};
use super::{Extracted, tidy};
use crate::corpus::Metadata;
use crate::corpus::html::{page_text, primary_language, year_in};

/// Reads an EPUB package.
pub(super) fn read<R: std::io::Read + std::io::Seek>(
    package: &mut Package<R>,
) -> Result<Extracted, String> {
    let container = package.required("META-INF/container.xml")?;
    let opf_path = rootfile(&container)?
        .ok_or("META-INF/container.xml names no package document (rootfile)")?;
    let opf = package.required(&opf_path)?;
    let mut chapters = Vec::new();
    for href in spine(&opf)? {
        let name = resolve(&opf_path, &href);
        let bytes = package
            .bytes(&name)?
            .ok_or_else(|| format!("{name} is missing from the package"))?;
        let text = page_text(bytes).map_err(|reason| format!("{name}: {reason}"))?;
        let text = tidy(&text);
        if !text.is_empty() {
            chapters.push(text);
        }
    }
    Ok(Extracted {
        chapters,
        metadata: opf_metadata(&opf)?,
    })
}

/// The path of the package document, from `container.xml`.
fn rootfile(container: &str) -> Result<Option<String>, String> {
    let mut path = None;
    walk(container, |node| {
        if let Node::Open(tag) = node
            && tag.name() == "rootfile"
            && path.is_none()
        {
            path = tag.attr("full-path");
        }
    })?;
    Ok(path)
}

/// The files of the spine, in reading order, as the manifest names them (relative to the
/// package document). Items marked `linear="no"` (notes, covers read out of order) stay in:
/// their text is the book's too.
fn spine(opf: &str) -> Result<Vec<String>, String> {
    let mut manifest = Vec::new();
    let mut order = Vec::new();
    walk(opf, |node| {
        if let Node::Open(tag) = node {
            match tag.name() {
                "item" => {
                    if let (Some(id), Some(href)) = (tag.attr("id"), tag.attr("href")) {
                        manifest.push((id, href));
                    }
                }
                "itemref" => order.extend(tag.attr("idref")),
                _ => {}
            }
        }
    })?;
    order
        .into_iter()
        .map(|idref| {
            manifest
                .iter()
                .find(|(id, _)| *id == idref)
                .map(|(_, href)| href.clone())
                .ok_or_else(|| format!("the spine names {idref}, which the manifest lacks"))
        })
        .collect()
}

/// A manifest `href` as a path in the package: relative to the package document's folder,
/// percent-decoded, without `.` and `..` steps.
fn resolve(opf_path: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or(href);
    let base = opf_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let decoded = percent_decode(href);
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Title, authors (each `dc:creator`), institutions (`dc:publisher`), year (the first
/// `dc:date` with one) and language of the package document.
fn opf_metadata(opf: &str) -> Result<Metadata, String> {
    let mut metadata = Metadata::default();
    for (name, value) in fields(opf)? {
        match name.as_str() {
            "title" if metadata.title.is_none() => metadata.title = Some(value),
            "creator" if !metadata.authors.contains(&value) => metadata.authors.push(value),
            "publisher" if !metadata.institutions.contains(&value) => {
                metadata.institutions.push(value)
            }
            "date" if metadata.year.is_none() => metadata.year = year_in(&value),
            "language" if metadata.language.is_none() => {
                metadata.language = primary_language(&value)
            }
            _ => {}
        }
    }
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0">
        <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
          <dc:title>Neue Nachbarn</dc:title>
          <dc:creator>Anna Müller</dc:creator><dc:creator>Kemal Özdemir</dc:creator>
          <dc:publisher>Verlag für Integration</dc:publisher>
          <dc:date>2017-09-01</dc:date><dc:language>de-DE</dc:language>
          <meta property="dcterms:modified">2020-01-01T00:00:00Z</meta>
        </metadata>
        <manifest>
          <item id="c2" href="Text/kapitel%202.xhtml" media-type="application/xhtml+xml"/>
          <item id="c1" href="Text/kapitel1.xhtml" media-type="application/xhtml+xml"/>
          <item id="css" href="../Styles/a.css" media-type="text/css"/>
        </manifest>
        <spine><itemref idref="c1"/><itemref idref="c2" linear="yes"/></spine>
        </package>"#;

    #[test]
    fn follows_the_spine_through_the_manifest() {
        let files: Vec<String> = spine(OPF)
            .unwrap()
            .iter()
            .map(|href| resolve("OEBPS/content.opf", href))
            .collect();
        assert_eq!(
            files,
            ["OEBPS/Text/kapitel1.xhtml", "OEBPS/Text/kapitel 2.xhtml"]
        );
        let err = spine(r#"<package><spine><itemref idref="x"/></spine></package>"#);
        assert_eq!(
            err.unwrap_err(),
            "the spine names x, which the manifest lacks"
        );
    }

    #[test]
    fn resolves_hrefs_against_the_package_document() {
        let cases = [
            ("content.opf", "a.xhtml", "a.xhtml"),
            ("OEBPS/content.opf", "Text/a.xhtml#k1", "OEBPS/Text/a.xhtml"),
            (
                "OEBPS/x/content.opf",
                "../Text/./b%C3%BC.xhtml",
                "OEBPS/Text/bü.xhtml",
            ),
            ("content.opf", "../../a.xhtml", "a.xhtml"),
            ("content.opf", "a%zz%.xhtml", "a%zz%.xhtml"),
        ];
        for (opf, href, expected) in cases {
            assert_eq!(resolve(opf, href), expected, "{opf} {href}");
        }
    }

    #[test]
    fn takes_the_dublin_core_metadata() {
        let meta = opf_metadata(OPF).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Neue Nachbarn"));
        assert_eq!(meta.authors, ["Anna Müller", "Kemal Özdemir"]);
        assert_eq!(meta.institutions, ["Verlag für Integration"]);
        assert_eq!(meta.year, Some(2017));
        assert_eq!(meta.language.as_deref(), Some("de"));
    }

    #[test]
    fn finds_the_rootfile() {
        let container = r#"<container><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
        assert_eq!(
            rootfile(container).unwrap().as_deref(),
            Some("OEBPS/content.opf")
        );
        assert_eq!(rootfile("<container/>").unwrap(), None);
    }
}
