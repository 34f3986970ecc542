//! What a page says about itself: `<meta>` tags, `<title>`, `<html lang>`.
//!
//! Publishers of research put Highwire Press tags (`citation_title`, `citation_author`, …) in
//! their pages for Google Scholar; Dublin Core (`DC.title`) is older and common in repositories;
//! Open Graph (`og:title`) is on nearly every page. Each field is taken from the most specific
//! vocabulary that has it.

use super::dom::{Dom, Element};
use crate::corpus::Metadata;

/// Where a title is looked for, in order; the page's `<title>` comes last.
const TITLE: &[&str] = &["citation_title", "dc.title", "dcterms.title", "og:title"];

/// Keys whose every value is one author: "Müller, Anna" is one person.
const AUTHOR_EACH: &[&str] = &["citation_author"];

/// Keys whose values may hold several authors separated by ";".
const AUTHOR_LISTS: &[&[&str]] = &[&["dc.creator", "dcterms.creator"], &["author"]];

/// Where institutions are looked for: the first group with a value gives all of them.
const INSTITUTIONS: &[&[&str]] = &[
    &[
        "citation_publisher",
        "citation_technical_report_institution",
        "citation_dissertation_institution",
    ],
    &["dc.publisher", "dcterms.publisher"],
    &["og:site_name"],
];

/// Where a date of publication is looked for, in order.
const DATES: &[&str] = &[
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.date",
    "article:published_time",
];

/// Where a language is looked for after `<html lang>`.
const LANGUAGES: &[&str] = &["citation_language", "dc.language", "dcterms.language"];

/// Where the page's own address is looked for after `<link rel="canonical">`.
const ADDRESSES: &[&str] = &["og:url"];

/// The years a publication of this field can have; a number outside is no year of publication.
const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// The metadata a page declares. Fields it does not declare are empty.
pub(super) fn page_metadata(dom: &Dom) -> Metadata {
    let elements = dom.elements(dom.document());
    // (key, value) of every <meta> in document order, keys lowercase.
    let metas: Vec<(String, String)> = elements
        .iter()
        .filter(|(_, e)| e.name() == "meta")
        .filter_map(|(_, e)| {
            let key = e
                .attr("name")
                .or_else(|| e.attr("property"))
                .or_else(|| e.attr("itemprop"))?;
            let value = collapse_whitespace(e.attr("content")?);
            (!value.is_empty()).then(|| (key.trim().to_ascii_lowercase(), value))
        })
        .collect();
    let values = |key: &'static str| {
        metas
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let first = |keys: &[&'static str]| {
        keys.iter()
            .find_map(|&key| values(key).next())
            .map(str::to_string)
    };
    let element = |name: &str| elements.iter().find(|(_, e)| e.name() == name);

    let title = first(TITLE).or_else(|| {
        let (id, _) = element("title")?;
        let title = collapse_whitespace(&dom.text_content(*id));
        (!title.is_empty()).then_some(title)
    });

    let mut authors: Vec<String> = AUTHOR_EACH
        .iter()
        .flat_map(|&key| values(key))
        .map(str::to_string)
        .collect();
    for keys in AUTHOR_LISTS {
        if !authors.is_empty() {
            break;
        }
        authors = keys
            .iter()
            .flat_map(|&key| values(key))
            .flat_map(|value| value.split(';'))
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect();
    }

    let institutions = INSTITUTIONS
        .iter()
        .map(|keys| {
            keys.iter()
                .flat_map(|&key| values(key))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|found| !found.is_empty())
        .unwrap_or_default();

    let year = DATES.iter().flat_map(|&key| values(key)).find_map(year_in);

    let language = element("html")
        .and_then(|(_, e)| lang(e))
        .or_else(|| first(LANGUAGES))
        .and_then(|tag| primary_language(&tag));

    let source = elements
        .iter()
        .filter(|(_, e)| e.name() == "link" && is_canonical(e))
        .find_map(|(_, e)| e.attr("href"))
        .map(str::trim)
        .map(str::to_string)
        .or_else(|| first(ADDRESSES))
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));

    Metadata {
        title,
        authors: dedup(authors),
        institutions: dedup(institutions),
        year,
        doc_type: None,
        language,
        source,
    }
}

/// The first four-digit number in a date that can be a year of publication: `2017-05-03`,
/// `03.05.2017`, `2017/05`, `Mai 2017` all give 2017.
pub(in crate::corpus) fn year_in(date: &str) -> Option<u16> {
    date.split(|c: char| !c.is_ascii_digit())
        .filter(|digits| digits.len() == 4)
        .filter_map(|digits| digits.parse::<u16>().ok())
        .find(|year| YEARS.contains(year))
}

fn lang(html: &Element) -> Option<String> {
    html.attr("lang")
        .or_else(|| html.attr("xml:lang"))
        .map(str::to_string)
}

/// The language of a language tag, lowercase: `de-DE` and `de_AT` give `de`.
pub(in crate::corpus) fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty() && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

fn is_canonical(link: &Element) -> bool {
    link.attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
    })
}

/// Runs of whitespace as one space, and none at the ends.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The values without repeats, in their first order.
fn dedup(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(head: &str) -> Metadata {
        page_metadata(&Dom::parse(&format!(
            "<!doctype html><html lang=\"de-DE\"><head>{head}</head><body><p>Text</p></body></html>"
        )))
    }

    #[test]
    fn takes_the_title_from_the_most_specific_tag() {
        let cases = [
            (
                r#"<title>Seite | Institut</title><meta property="og:title" content="OG">
                   <meta name="DC.title" content="DC"><meta name="citation_title" content="Zitat">"#,
                "Zitat",
            ),
            (
                r#"<title>Seite</title><meta property="og:title" content="OG"><meta name="dc.title" content="DC">"#,
                "DC",
            ),
            (
                r#"<title>Seite</title><meta property="og:title" content="OG">"#,
                "OG",
            ),
            (
                "<title>\n  Integration   vor Ort\n</title>",
                "Integration vor Ort",
            ),
            (
                r#"<meta name="citation_title" content="  "><title>Leer daneben</title>"#,
                "Leer daneben",
            ),
        ];
        for (head, expected) in cases {
            assert_eq!(meta(head).title.as_deref(), Some(expected), "{head}");
        }
        assert_eq!(meta("").title, None);
    }

    #[test]
    fn takes_authors_without_splitting_names_at_commas() {
        let cases: [(&str, &[&str]); 5] = [
            (
                r#"<meta name="citation_author" content="Müller, Anna">
                   <meta name="citation_author" content="Özdemir, Kemal">
                   <meta name="author" content="Redaktion">"#,
                &["Müller, Anna", "Özdemir, Kemal"],
            ),
            (
                r#"<meta name="DC.creator" content="Schmidt, Jana; Weber, Tom">
                   <meta name="DC.Creator" content="Schmidt, Jana">"#,
                &["Schmidt, Jana", "Weber, Tom"],
            ),
            (
                r#"<meta name="author" content="Anna Müller; Kemal Özdemir;">"#,
                &["Anna Müller", "Kemal Özdemir"],
            ),
            (
                r#"<meta name="Author" content="Müller, Anna">"#,
                &["Müller, Anna"],
            ),
            ("<meta name=\"author\" content=\"\">", &[]),
        ];
        for (head, expected) in cases {
            assert_eq!(meta(head).authors, expected, "{head}");
        }
    }

    #[test]
    fn takes_institutions_from_the_first_vocabulary_that_has_them() {
        let cases: [(&str, &[&str]); 3] = [
            (
                r#"<meta property="og:site_name" content="Portal">
                   <meta name="citation_publisher" content="Sachverständigenrat für Integration und Migration">"#,
                &["Sachverständigenrat für Integration und Migration"],
            ),
            (
                r#"<meta property="og:site_name" content="Portal"><meta name="DC.publisher" content="BAMF">"#,
                &["BAMF"],
            ),
            (
                r#"<meta property="og:site_name" content="Mediendienst Integration">"#,
                &["Mediendienst Integration"],
            ),
        ];
        for (head, expected) in cases {
            assert_eq!(meta(head).institutions, expected, "{head}");
        }
    }

    #[test]
    fn takes_the_year_from_the_first_date_that_has_one() {
        let cases = [
            (
                r#"<meta name="citation_publication_date" content="2016/11/02"><meta name="DC.date" content="2020">"#,
                Some(2016),
            ),
            (
                r#"<meta name="citation_date" content="02.11.2016">"#,
                Some(2016),
            ),
            (
                r#"<meta name="DC.date" content="November 2015">"#,
                Some(2015),
            ),
            (
                r#"<meta property="article:published_time" content="2019-03-01T09:00:00+01:00">"#,
                Some(2019),
            ),
            (
                r#"<meta name="citation_date" content="unbekannt"><meta name="DC.date" content="2018">"#,
                Some(2018),
            ),
            (r#"<meta name="DC.date" content="1789">"#, None),
            (r#"<meta name="DC.date" content="20170503">"#, None),
            ("", None),
        ];
        for (head, expected) in cases {
            assert_eq!(meta(head).year, expected, "{head}");
        }
    }

    #[test]
    fn takes_the_language_and_the_address() {
        let page = meta(
            r#"<link rel="canonical" href="https://mediendienst-integration.de/artikel/x.html">
               <meta property="og:url" content="https://example.org/other">"#,
        );
        assert_eq!(page.language.as_deref(), Some("de"));
        assert_eq!(
            page.source.as_deref(),
            Some("https://mediendienst-integration.de/artikel/x.html")
        );
        let page = page_metadata(&Dom::parse(
            r#"<meta name="DC.language" content="en"><meta property="og:url" content="/relativ">"#,
        ));
        assert_eq!(page.language.as_deref(), Some("en"));
        assert_eq!(page.source, None);
    }
}
