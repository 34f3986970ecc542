//! The text a reader of a page comes for, without what surrounds it on every page of a site.
//!
//! The content is the page's `<main>` if it has one, else its `<article>`s, else its `<body>`.
//! Inside it, what a reader does not read is dropped:
//!
//! - elements that hold no prose (`<script>`, `<style>`, `<template>`, forms, media);
//! - navigation and asides (`<nav>`, `<aside>`, `<menu>`, the same ARIA roles, dialogs);
//! - the page's header and footer: a `<header>` or `<footer>` outside any `<article>`,
//!   `<section>` or `<main>`, which is what ARIA calls the banner and the content info (the
//!   header of an article, with its title, stays);
//! - what is hidden (`hidden`, `aria-hidden="true"`, an inline `display: none`);
//! - boilerplate named by its `id` or `class`: cookie and consent banners, newsletter boxes,
//!   share buttons, breadcrumbs, menus of old sites without `<nav>` (see [`BOILERPLATE`]).
//!   Names also describe a state of the page (`class="layout-with-sidebar"`), so an element
//!   that holds a `<main>`, an `<article>` or an `<h1>` is taken for a wrapper of the content
//!   and kept, whatever its name.
//!
//! If these rules leave nothing (a site that wraps its content, without a heading, in
//! `<div class="cookie-consent-given">`), the body's text is taken without the rule on names.
//!
//! Block elements start a new line (paragraphs and headings a new paragraph), table cells are
//! separated by a space, so the words of neighbouring blocks never run together; inline elements
//! join their text as a browser renders it (`<b>Flücht</b>linge` is one word). Whitespace is
//! collapsed as a browser does, except for the line breaks of `<pre>`.

use super::dom::{Dom, Element, NodeId, Step};

/// Elements whose content is not read: code, forms, media, navigation and dialogs.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "nav", "aside", "menu", "form",
    "button", "select", "textarea", "input", "iframe", "object", "embed", "svg", "math", "canvas",
    "audio", "video", "map", "dialog",
];

/// ARIA roles of regions that are not content.
const DROPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

/// Words in an `id` or `class` that mark boilerplate. Matched inside the names, lowercase, so
/// that `cookie-banner`, `CookieConsent`, `js-share-buttons` and `newsletterSignup` are caught.
const BOILERPLATE: &[&str] = &[
    "cookie",
    "consent",
    "banner",
    "gdpr",
    "newsletter",
    "share",
    "sharing",
    "social",
    "breadcrumb",
    "menu",
    "popup",
    "sidebar",
    "advert",
];

/// Elements that the page header and footer rule counts as sections: a header or footer inside
/// one of them belongs to it, not to the page.
const SECTIONS: &[&str] = &["article", "section", "main", "aside", "nav"];

/// Elements that stand on lines of their own.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "ol",
    "search",
    "section",
    "summary",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Block elements that are paragraphs of their own: an empty line before and after.
const PARAGRAPHS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table"];

/// Table cells: a space on either side.
const CELLS: &[&str] = &["td", "th"];

/// Inline elements that are not part of the word before them: a footnote mark
/// ("Integration<sup>1</sup>") is a word of its own.
const MARKS: &[&str] = &["sup", "sub"];

/// The main text of a page and its first heading.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct MainText {
    /// The text, lines separated by `\n`, paragraphs by an empty line.
    pub text: String,
    /// The text of the first `<h1>` of the content, if there is one.
    pub heading: Option<String>,
}

/// The main text of a parsed page.
pub(super) fn main_text(dom: &Dom) -> MainText {
    let body = dom
        .elements(dom.document())
        .into_iter()
        .find(|(_, e)| e.name() == "body")
        .map_or(dom.document(), |(id, _)| id);
    let (main, articles) = landmarks(dom, body);
    let roots = match main {
        Some(main) => vec![main],
        None if !articles.is_empty() => articles,
        None => vec![body],
    };
    let mut text = extract(dom, &roots, Rules::All);
    if text.text.is_empty() && roots != [body] {
        text = extract(dom, &[body], Rules::All);
    }
    if text.text.is_empty() {
        text = extract(dom, &[body], Rules::WithoutNames);
    }
    text
}

/// Which of the rules for dropping elements apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rules {
    All,
    /// All but the rule on `id` and `class` names, which can misfire on a wrapper.
    WithoutNames,
}

/// The first `<main>` and the outermost `<article>`s that a reader sees.
fn landmarks(dom: &Dom, body: NodeId) -> (Option<NodeId>, Vec<NodeId>) {
    let mut main = None;
    let mut articles = Vec::new();
    let mut sections = 0usize;
    dom.walk(body, |step| match step {
        Step::Open(id) => {
            let Some(element) = dom.element(id) else {
                return false;
            };
            if is_dropped(dom, id, element, sections, Rules::All) {
                return false;
            }
            if element.name() == "main" || element.attr("role") == Some("main") {
                main.get_or_insert(id);
                return false;
            }
            if element.name() == "article" {
                articles.push(id);
                return false;
            }
            sections += usize::from(SECTIONS.contains(&element.name()));
            true
        }
        Step::Close(id) => {
            if let Some(element) = dom.element(id) {
                sections -= usize::from(SECTIONS.contains(&element.name()));
            }
            true
        }
    });
    (main, articles)
}

/// Whether an element is not read. `sections` counts the sections it is inside of.
fn is_dropped(dom: &Dom, id: NodeId, element: &Element, sections: usize, rules: Rules) -> bool {
    let name = element.name();
    if DROPPED.contains(&name)
        || (sections == 0 && matches!(name, "header" | "footer"))
        || element.has_attr("hidden")
        || element
            .attr("aria-hidden")
            .is_some_and(|v| v.trim() == "true")
        || element.attr("style").is_some_and(hides)
        || element.attr("role").is_some_and(|role| {
            role.split_ascii_whitespace()
                .any(|r| DROPPED_ROLES.contains(&r.to_ascii_lowercase().as_str()))
        })
    {
        return true;
    }
    rules == Rules::All
        && ["id", "class"]
            .iter()
            .any(|attr| element.attr(attr).is_some_and(names_boilerplate))
        && !holds_content(dom, id)
}

/// Whether a subtree holds the content's landmarks: a `<main>`, an `<article>` or an `<h1>`.
fn holds_content(dom: &Dom, id: NodeId) -> bool {
    let mut found = false;
    dom.walk(id, |step| {
        if let Step::Open(id) = step
            && !found
            && let Some(element) = dom.element(id)
        {
            found = matches!(element.name(), "main" | "article" | "h1")
                || element.attr("role") == Some("main");
        }
        !found
    });
    found
}

/// Whether an `id` or `class` value names boilerplate.
fn names_boilerplate(names: &str) -> bool {
    let names = names.to_lowercase();
    BOILERPLATE.iter().any(|word| names.contains(word))
}

/// Whether an inline style hides the element.
fn hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// The text of the subtrees under `roots`, in order.
fn extract(dom: &Dom, roots: &[NodeId], rules: Rules) -> MainText {
    let mut out = Writer::default();
    for &root in roots {
        // A root is a section (main, article or body): headers and footers inside `main` or an
        // article belong to it; in the body, they are the page's.
        let mut sections = usize::from(dom.element(root).is_some_and(|e| e.name() != "body"));
        let mut pre = 0usize;
        let mut heading: Option<usize> = None;
        out.paragraph();
        dom.walk(root, |step| match step {
            Step::Open(id) => {
                if let Some(text) = dom.text(id) {
                    out.text(text, pre > 0);
                    return false;
                }
                let Some(element) = dom.element(id) else {
                    return false;
                };
                if is_dropped(dom, id, element, sections, rules) {
                    return false;
                }
                let name = element.name();
                sections += usize::from(SECTIONS.contains(&name));
                pre += usize::from(name == "pre");
                open(&mut out, name);
                if name == "h1" && out.heading.is_none() {
                    heading = Some(out.text.len());
                }
                true
            }
            Step::Close(id) => {
                let Some(element) = dom.element(id) else {
                    return true;
                };
                let name = element.name();
                sections -= usize::from(SECTIONS.contains(&name));
                pre -= usize::from(name == "pre");
                if name == "h1"
                    && let Some(start) = heading.take()
                {
                    let text = out.text[start..].trim();
                    if !text.is_empty() {
                        out.heading = Some(text.to_string());
                    }
                }
                close(&mut out, name);
                true
            }
        });
    }
    MainText {
        text: out.text,
        heading: out.heading,
    }
}

fn open(out: &mut Writer, name: &str) {
    if name == "br" || BLOCKS.contains(&name) {
        out.line();
    } else if PARAGRAPHS.contains(&name) {
        out.paragraph();
    } else if CELLS.contains(&name) || MARKS.contains(&name) {
        out.space();
    }
}

fn close(out: &mut Writer, name: &str) {
    if BLOCKS.contains(&name) {
        out.line();
    } else if PARAGRAPHS.contains(&name) {
        out.paragraph();
    } else if CELLS.contains(&name) {
        out.space();
    }
}

/// Writes text with collapsed whitespace; a break or space is written only before the next
/// visible character, so the text never starts or ends with whitespace and breaks never pile up.
#[derive(Default)]
struct Writer {
    text: String,
    heading: Option<String>,
    /// What stands between the last character written and the next: 0 nothing, 1 a space,
    /// 2 a line break, 3 an empty line.
    pending: u8,
}

impl Writer {
    fn space(&mut self) {
        self.pending = self.pending.max(1);
    }

    fn line(&mut self) {
        self.pending = self.pending.max(2);
    }

    fn paragraph(&mut self) {
        self.pending = self.pending.max(3);
    }

    fn text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if preformatted && c == '\n' {
                self.line();
            } else if c.is_whitespace() {
                self.space();
            } else {
                if !self.text.is_empty() {
                    match self.pending {
                        0 => {}
                        1 => self.text.push(' '),
                        2 => self.text.push('\n'),
                        _ => self.text.push_str("\n\n"),
                    }
                }
                self.pending = 0;
                self.text.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        main_text(&Dom::parse(html)).text
    }

    #[test]
    fn keeps_the_text_and_drops_what_is_not_read() {
        let cases = [
            (
                "script",
                "<p>Integration<script>var x = 'Skript';</script> vor Ort</p>",
                "Integration vor Ort",
            ),
            (
                "style and noscript",
                "<style>p { color: red }</style><noscript>Bitte JavaScript</noscript><p>Text</p>",
                "Text",
            ),
            (
                "cookie banner by id",
                "<div id=\"cookie-banner\"><p>Wir verwenden Cookies.</p><button>OK</button></div>\
                 <p>Sprachkurse für Geflüchtete</p>",
                "Sprachkurse für Geflüchtete",
            ),
            (
                "consent box by class",
                "<p>Studie</p><div class=\"cmp ConsentManager\">Zustimmen</div>",
                "Studie",
            ),
            (
                "newsletter and share",
                "<p>Bericht</p><section class=\"newsletterSignup\">Abonnieren</section>\
                 <ul class=\"social-share\"><li>Teilen</li></ul>",
                "Bericht",
            ),
            (
                "nav, page header and footer",
                "<header>Logo Menü</header><nav><a href=\"/\">Startseite</a></nav>\
                 <p>Inhalt</p><footer>Impressum</footer>",
                "Inhalt",
            ),
            (
                "hidden",
                "<p>Sichtbar</p><p hidden>Versteckt</p><span aria-hidden=\"true\">★</span>\
                 <div style=\"display: none\">Weg</div>",
                "Sichtbar",
            ),
            (
                "form",
                "<p>Text</p><form><label>Suche</label><input value=\"x\"></form>",
                "Text",
            ),
            (
                "menu of a table layout",
                "<table><tr><td class=\"menue\"><a href=\"/\">Startseite</a></td>\
                 <td><p>Text</p></td></tr></table>",
                "Text",
            ),
            (
                "aria roles",
                "<div role=\"navigation\">Menü</div><div role=\"banner\">Kopf</div><p>Text</p>",
                "Text",
            ),
        ];
        for (name, html, expected) in cases {
            assert_eq!(text_of(html), expected, "{name}");
        }
    }

    #[test]
    fn prefers_main_then_articles() {
        let cases = [
            (
                "main",
                "<div>Teaser</div><main><h1>Titel</h1><p>Text</p></main><div>Links</div>",
                "Titel\n\nText",
            ),
            (
                "role main",
                "<div>Teaser</div><div role=\"main\"><p>Text</p></div>",
                "Text",
            ),
            (
                "articles",
                "<div>Menü</div><article><p>Erster</p></article><div>Werbung</div>\
                 <article><p>Zweiter</p><article><p>Kommentar</p></article></article>",
                "Erster\n\nZweiter\n\nKommentar",
            ),
            (
                "article inside a dropped aside",
                "<aside><article>Verwandt</article></aside><p>Haupttext</p>",
                "Haupttext",
            ),
            (
                "header of an article stays",
                "<header>Seitenkopf</header><article><header><h1>Titel</h1></header>\
                 <p>Text</p><footer>Autorin</footer></article>",
                "Titel\n\nText\n\nAutorin",
            ),
            (
                "an empty main falls back to the body",
                "<main></main><p>Text</p>",
                "Text",
            ),
            (
                "a wrapper named like boilerplate around main",
                "<div class=\"layout-with-sidebar\"><main><p>Text</p></main></div>\
                 <div class=\"sidebar\">Links</div>",
                "Text",
            ),
            (
                "a wrapper named like boilerplate around the heading",
                "<div class=\"page has-sidebar\"><h1>Titel</h1><p>Text</p></div>\
                 <div class=\"sidebar\">Links</div>",
                "Titel\n\nText",
            ),
            (
                "a wrapper named like boilerplate",
                "<body class=\"cookie-consent-given\"><div class=\"has-cookie-banner\"><p>Text</p></div></body>",
                "Text",
            ),
        ];
        for (name, html, expected) in cases {
            assert_eq!(text_of(html), expected, "{name}");
        }
    }

    #[test]
    fn separates_blocks_and_joins_inline_elements() {
        let cases = [
            (
                "divs",
                "<div>Flüchtlinge</div><div>Integration</div>",
                "Flüchtlinge\nIntegration",
            ),
            ("paragraphs", "<p>eins</p><p>zwei</p>", "eins\n\nzwei"),
            (
                "list items",
                "<ul><li>eins</li><li>zwei</li></ul>",
                "eins\nzwei",
            ),
            ("br", "eins<br>zwei", "eins\nzwei"),
            (
                "cells",
                "<table><tr><td>Jahr</td><td>2016</td></tr></table>",
                "Jahr 2016",
            ),
            (
                "footnote mark",
                "Integration<sup>1</sup> gelingt",
                "Integration 1 gelingt",
            ),
            (
                "footnote mark before a stop",
                "beginnen<sup>1</sup>.",
                "beginnen 1.",
            ),
            (
                "inline",
                "<p><b>Flücht</b><i>linge</i> <a href=\"#\">hier</a></p>",
                "Flüchtlinge hier",
            ),
            ("headings", "<h2>Kapitel</h2>Text", "Kapitel\n\nText"),
            (
                "whitespace",
                "<p>\n   viel\t\tPlatz &nbsp; hier\n</p>",
                "viel Platz hier",
            ),
            ("pre", "<pre>Zeile 1\nZeile  2</pre>", "Zeile 1\nZeile 2"),
            (
                "entities",
                "<p>Gefl&uuml;chtete &amp; Stra&szlig;e &#8222;Zitat&#x201C; &euro;</p>",
                "Geflüchtete & Straße „Zitat“ €",
            ),
        ];
        for (name, html, expected) in cases {
            assert_eq!(text_of(html), expected, "{name}");
        }
    }

    #[test]
    fn finds_the_first_heading_of_the_content() {
        let text = main_text(&Dom::parse(
            "<header><h1>Portal</h1></header><main><h1> Integration\n vor Ort </h1><h1>Zwei</h1></main>",
        ));
        assert_eq!(text.heading.as_deref(), Some("Integration vor Ort"));
        assert_eq!(text.text, "Integration vor Ort\n\nZwei");
    }

    #[test]
    fn an_empty_page_has_no_text() {
        assert_eq!(main_text(&Dom::parse("")), MainText::default());
        assert_eq!(
            main_text(&Dom::parse("<script>nur Code</script>")),
            MainText::default()
        );
    }
}
