//! A PDF's metadata: the document info dictionary (Title, Author, CreationDate), the catalog's
//! `/Lang`, and where the info dictionary is silent the XMP packet (`dc:title`, `dc:creator`,
//! `xmp:CreateDate`, `dc:language`). Titles that producers fill in by themselves ("Microsoft
//! Word - bericht.docx", "untitled") are no titles.

use super::super::Metadata;
use super::super::html::{primary_language, year_in};
use super::super::office::split_people;

/// What a PDF says about itself, as text, before it is made [`Metadata`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// The info dictionary's `/Title`.
    pub title: Option<String>,
    /// The info dictionary's `/Author`.
    pub author: Option<String>,
    /// The info dictionary's `/CreationDate` (`D:20190314…`).
    pub creation_date: Option<String>,
    /// The catalog's `/Lang` (`de-DE`).
    pub language: Option<String>,
    /// The XMP packet of the catalog's `/Metadata` stream.
    pub xmp: Option<String>,
}

/// The metadata in what a PDF says about itself: the info dictionary first, XMP for what it
/// leaves out.
pub(super) fn metadata(found: &Found) -> Metadata {
    let xmp = found.xmp.as_deref().unwrap_or_default();
    let title = found.title.as_deref().map(printable);
    let author = found.author.as_deref().map(printable);
    let title = title.as_deref().and_then(real_title).or_else(|| {
        xmp_values(xmp, "dc:title")
            .first()
            .and_then(|t| real_title(t))
    });
    let mut authors = author.as_deref().map(split_people).unwrap_or_default();
    if authors.is_empty() {
        authors = xmp_values(xmp, "dc:creator")
            .iter()
            .flat_map(|creator| split_people(creator))
            .collect();
    }
    let year = found
        .creation_date
        .as_deref()
        .and_then(pdf_date_year)
        .or_else(|| {
            xmp_values(xmp, "xmp:CreateDate")
                .first()
                .and_then(|d| year_in(d))
        });
    let language = found
        .language
        .as_deref()
        .and_then(primary_language)
        .or_else(|| {
            xmp_values(xmp, "dc:language")
                .first()
                .and_then(|l| primary_language(l))
        });
    Metadata {
        title,
        authors,
        year,
        language,
        ..Metadata::default()
    }
}

/// A text string of the info dictionary without the control characters and byte order marks
/// that some producers leave in it (a UTF-16 string ending in a NUL, a second BOM).
fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() && c != '\u{FEFF}')
        .collect()
}

/// The year of a PDF date (`D:20190314120000+01'00'`, the `D:` often left out).
fn pdf_date_year(date: &str) -> Option<u16> {
    let date = date.trim();
    let digits = date.strip_prefix("D:").unwrap_or(date);
    year_in(digits.get(..4)?)
}

/// A title as given, trimmed, unless a producer filled it in by itself: empty, "untitled" and
/// its German and office variants, an application's name before a file name ("Microsoft Word -
/// bericht.docx"), or a file name.
fn real_title(title: &str) -> Option<String> {
    let title = title.trim();
    let lower = title.to_lowercase();
    const PLACEHOLDERS: &[&str] = &[
        "untitled",
        "unbenannt",
        "ohne titel",
        "title",
        "titel",
        "document",
        "dokument",
        "folie 1",
        "slide 1",
    ];
    const FILE_ENDINGS: &[&str] = &[
        ".doc", ".docx", ".odt", ".rtf", ".pdf", ".indd", ".tex", ".dvi", ".ppt", ".pptx", ".xls",
        ".xlsx", ".qxd", ".txt",
    ];
    let junk = title.is_empty()
        || PLACEHOLDERS.contains(&lower.as_str())
        || lower.starts_with("untitled")
        || lower.starts_with("microsoft ")
        || FILE_ENDINGS.iter().any(|ending| lower.ends_with(ending));
    (!junk).then(|| title.to_string())
}

/// The values of an XMP property: the texts of its `rdf:li` items (a list or a language
/// alternative), or its own text, or the attribute of that name (`xmp:CreateDate="…"`).
/// An XMP packet is read as text rather than parsed as RDF: the handful of properties taken
/// from it are written the same way by every producer.
fn xmp_values(xmp: &str, property: &str) -> Vec<String> {
    let open = format!("<{property}");
    let close = format!("</{property}>");
    if let Some(start) = xmp.find(&open) {
        let rest = &xmp[start + open.len()..];
        if let Some(gt) = rest.find('>') {
            let body = &rest[gt + 1..];
            let body = &body[..body.find(&close).unwrap_or(body.len())];
            let items: Vec<String> = body
                .split("<rdf:li")
                .skip(1)
                .filter_map(|item| {
                    let text = &item[item.find('>')? + 1..];
                    Some(unescape(&text[..text.find("</rdf:li>")?]))
                })
                .filter(|item| !item.trim().is_empty())
                .collect();
            if !items.is_empty() || body.contains("<rdf:") {
                return items;
            }
            let text = unescape(body.trim());
            return if text.is_empty() {
                Vec::new()
            } else {
                vec![text]
            };
        }
    }
    let attribute = format!("{property}=\"");
    match xmp.find(&attribute) {
        Some(start) => {
            let value = &xmp[start + attribute.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            vec![unescape(value)]
        }
        None => Vec::new(),
    }
}

/// Text with XML's five named entities and numeric character references resolved.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&semi| semi <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let resolved = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const XMP: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>
<rdf:Description rdf:about="" xmp:CreateDate="2018-03-01T10:00:00+01:00">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Wohnen &amp; Ankommen</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Anna Müller</rdf:li><rdf:li>Jörg Weiß</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>de-AT</rdf:li></rdf:Bag></dc:language>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;

    fn info(title: &str, author: &str, date: &str) -> Found {
        Found {
            title: Some(title.to_string()),
            author: Some(author.to_string()),
            creation_date: Some(date.to_string()),
            ..Found::default()
        }
    }

    #[test]
    fn takes_title_authors_and_year_from_the_info_dictionary() {
        let found = Found {
            language: Some("de-DE".to_string()),
            ..info(
                " Arbeitsmarktintegration ",
                "Müller, Anna; Weiß, Jörg",
                "D:20231114221320Z",
            )
        };
        let metadata = metadata(&found);
        assert_eq!(metadata.title.as_deref(), Some("Arbeitsmarktintegration"));
        assert_eq!(metadata.authors, ["Müller, Anna", "Weiß, Jörg"]);
        assert_eq!(metadata.year, Some(2023));
        assert_eq!(metadata.language.as_deref(), Some("de"));
    }

    #[test]
    fn takes_from_xmp_what_the_info_dictionary_leaves_out() {
        let found = Found {
            xmp: Some(XMP.to_string()),
            ..info("Microsoft Word - bericht.docx", "", "")
        };
        let metadata = metadata(&found);
        assert_eq!(metadata.title.as_deref(), Some("Wohnen & Ankommen"));
        assert_eq!(metadata.authors, ["Anna Müller", "Jörg Weiß"]);
        assert_eq!(metadata.year, Some(2018));
        assert_eq!(metadata.language.as_deref(), Some("de"));
    }

    #[test]
    fn the_info_dictionary_wins_over_xmp() {
        let found = Found {
            xmp: Some(XMP.to_string()),
            ..info("Bericht", "Amt für Statistik", "D:2019")
        };
        let metadata = metadata(&found);
        assert_eq!(metadata.title.as_deref(), Some("Bericht"));
        assert_eq!(metadata.authors, ["Amt für Statistik"]);
        assert_eq!(metadata.year, Some(2019));
    }

    #[test]
    fn ignores_titles_that_producers_fill_in() {
        for junk in [
            "",
            "  ",
            "untitled",
            "Untitled-3",
            "Unbenannt",
            "Microsoft Word - Endbericht_final.docx",
            "Microsoft PowerPoint - Folien",
            "C:\\Daten\\bericht.doc",
            "studie.indd",
        ] {
            assert_eq!(real_title(junk), None, "{junk:?}");
        }
        assert_eq!(
            real_title("Wohnen in Berlin").as_deref(),
            Some("Wohnen in Berlin")
        );
    }

    #[test]
    fn drops_control_characters_from_the_info_dictionary() {
        let metadata = metadata(&info("Bericht\u{0}", "\u{FEFF}Amt\u{0}", ""));
        assert_eq!(metadata.title.as_deref(), Some("Bericht"));
        assert_eq!(metadata.authors, ["Amt"]);
    }

    #[test]
    fn reads_pdf_dates() {
        assert_eq!(pdf_date_year("D:20190314120000+01'00'"), Some(2019));
        assert_eq!(pdf_date_year("2005"), Some(2005));
        assert_eq!(pdf_date_year("D:0000"), None);
        assert_eq!(pdf_date_year("D:"), None);
        assert_eq!(pdf_date_year("kein Datum"), None);
    }

    #[test]
    fn reads_xmp_properties_in_their_three_forms() {
        assert_eq!(
            xmp_values(XMP, "xmp:CreateDate"),
            ["2018-03-01T10:00:00+01:00"]
        );
        assert_eq!(
            xmp_values(
                "<xmp:CreateDate>2020-01-02</xmp:CreateDate>",
                "xmp:CreateDate"
            ),
            ["2020-01-02"]
        );
        assert_eq!(xmp_values(XMP, "dc:creator"), ["Anna Müller", "Jörg Weiß"]);
        assert!(xmp_values(XMP, "dc:subject").is_empty());
        assert!(xmp_values("<dc:title><rdf:Alt></rdf:Alt>", "dc:title").is_empty());
    }

    #[test]
    fn unescapes_entities() {
        assert_eq!(
            unescape("a &amp; b &#252; &#xDF; &bogus; &"),
            "a & b ü ß &bogus; &"
        );
    }
}
