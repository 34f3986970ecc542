//! The page's HTML, written with maud: checked when compiled, and every text from a document
//! or the query escaped (maud escapes whatever is not `PreEscaped`; the only `PreEscaped` text
//! is the stylesheet and passages whose parts were escaped one by one).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::documents::link;
use super::lang::Texts;
use super::params::{Facet, PAGE_SIZE, PageParams};
use crate::export::ExportFormat;
use crate::search::{FacetValue, Hit, SearchResults, Snippet};

/// The one stylesheet: one column under 700px, focus outlines, contrast of at least 4.5:1.
const STYLE: &str = include_str!("style.css");

/// Facet values shown before the selected ones that are not among them.
const FACET_VALUES: usize = 10;

/// The frame of every page.
pub fn layout(texts: &Texts, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(texts.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    a.home href="/" { "integra" }
                    span.tagline { (texts.tagline) }
                }
                main #main { (body) }
            }
        }
    }
}

/// The search form, filled with the state of the page.
pub fn search_form(texts: &Texts, params: &PageParams) -> Markup {
    html! {
        form #search role="search" action="/search" method="get" {
            div.query {
                label for="q" { (texts.search_label) }
                div.row {
                    input #q name="q" type="search" value=(params.q) autofocus
                        aria-describedby="syntax-help";
                    button type="submit" { (texts.search_button) }
                }
                p #syntax-help { (texts.syntax_help) }
            }
            fieldset.years {
                legend { (texts.years) }
                label for="from" { (texts.from) }
                input #from name="from" type="number" inputmode="numeric" min="1000" max="2999"
                    value=[params.from];
                label for="to" { (texts.to) }
                input #to name="to" type="number" inputmode="numeric" min="1000" max="2999"
                    value=[params.to];
            }
            div.mode {
                input #mode type="checkbox" name="mode" value="any" checked[params.any];
                label for="mode" { (texts.any_words_option) }
            }
            // The selected facet values stay when the form is sent again.
            @for author in &params.authors {
                input type="hidden" name="author" value=(author);
            }
            @for institution in &params.institutions {
                input type="hidden" name="institution" value=(institution);
            }
        }
    }
}

/// A passage with its matched words in `<mark>`, each part escaped.
pub fn passage(snippet: &Snippet) -> Markup {
    let text = &snippet.text;
    let mut parts = Vec::with_capacity(snippet.highlights.len());
    let mut last = 0;
    for &[start, end] in &snippet.highlights {
        if let (Some(plain), Some(marked)) = (text.get(last..start), text.get(start..end)) {
            parts.push((plain, marked));
            last = end;
        }
    }
    html! {
        @for (plain, marked) in parts { (plain) mark { (marked) } }
        (text.get(last..).unwrap_or_default())
    }
}

/// The word before a page label: "S." for a page, "Kap." for an e-book's chapter.
fn page_word<'a>(texts: &'a Texts, path: &str) -> &'a str {
    if path.to_lowercase().ends_with(".epub") {
        texts.chapter_word
    } else {
        texts.page_word
    }
}

/// One hit: its title linking to the document, its metadata, its passages with pages.
fn hit(texts: &Texts, corpus: &std::path::Path, hit: &Hit) -> Markup {
    let title = hit.title.as_deref().unwrap_or(&hit.id);
    let href = link(corpus, &hit.path, hit.snippet.page_number);
    let year = hit.year.map(|y| y.to_string());
    html! {
        li.hit {
            h2 {
                @match &href {
                    Some(href) => a.title href=(href) { (title) },
                    None => span.title { (title) },
                }
            }
            p.meta {
                @if !hit.authors.is_empty() { span.authors { (hit.authors.join(", ")) } }
                @if !hit.institutions.is_empty() { span.institutions { (hit.institutions.join(", ")) } }
                @if let Some(year) = &year { span.year { (year) } }
                @if let Some(kind) = &hit.doc_type { span.type { (kind) } }
            }
            @for snippet in hit.snippets.iter().filter(|s| !s.text.is_empty()) {
                p.passage {
                    @if let Some(label) = &snippet.page {
                        @let text = format!("{} {label}", page_word(texts, &hit.path));
                        @match link(corpus, &hit.path, snippet.page_number) {
                            Some(href) => { a.page href=(href) { (text) } ": " },
                            None => { span.page { (text) } ": " },
                        }
                    }
                    (passage(snippet))
                }
            }
        }
    }
}

/// A facet's list of values with counts, each a link that toggles it.
fn facet(params: &PageParams, facet: Facet, heading: &str, values: &[FacetValue]) -> Markup {
    // The first values, then the selected ones further down the list.
    let shown: Vec<&FacetValue> = values
        .iter()
        .enumerate()
        .filter(|(i, v)| *i < FACET_VALUES || params.is_selected(facet, &v.value))
        .map(|(_, v)| v)
        .collect();
    html! {
        @if !shown.is_empty() {
            section.facet data-facet=(facet.name()) aria-labelledby={ "facet-" (facet.name()) } {
                h2 id={ "facet-" (facet.name()) } { (heading) }
                ul {
                    @for value in shown {
                        @let selected = params.is_selected(facet, &value.value);
                        li {
                            a.facet-value.selected[selected] data-value=(value.value)
                                href=(params.toggled(facet, &value.value).url())
                                aria-pressed=(if selected { "true" } else { "false" }) {
                                (value.value) " " span.count { (value.count) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the page says when nothing matches: the words, the filters, and how to widen it.
fn no_hits(texts: &Texts, params: &PageParams, results: &SearchResults) -> Markup {
    let words = params
        .q
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !matches!(*w, "OR" | "AND" | "NOT"))
        .count();
    let without_filters = PageParams {
        q: params.q.clone(),
        any: params.any,
        ..PageParams::default()
    };
    html! {
        div #no-hits role="status" {
            @if results.total > 0 {
                p { (texts.past_last) }
                p { a href=(params.at_page(1).url()) { (texts.page_of) " 1" } }
            } @else {
                p {
                    (texts.no_hits) " „" strong { (params.q) } "“"
                    @if params.has_filters() { " " (texts.no_hits_filters) }
                    "."
                }
                @if !params.any && words > 1 {
                    p { (texts.words_not_found) " "
                        a #any-words href=(PageParams { any: true, ..params.at_page(1) }.url()) { (texts.try_any) }
                    }
                }
                @if params.has_filters() {
                    p { a #clear-filters href=(without_filters.at_page(1).url()) { (texts.clear_filters) } }
                }
            }
        }
    }
}

/// The search page: the form, and with a query its results, facets and paging.
pub fn search_page(
    texts: &Texts,
    corpus: &std::path::Path,
    params: &PageParams,
    results: Option<&SearchResults>,
    documents: u64,
    upload: Markup,
) -> Markup {
    let title = if params.q.is_empty() {
        texts.title.to_string()
    } else {
        format!("{} – integra", params.q)
    };
    let body = html! {
        (search_form(texts, params))
        @match results {
            None => p.intro { (documents) " " (texts.documents_in_index) },
            Some(results) => (results_part(texts, corpus, params, results)),
        }
        (upload)
    };
    layout(texts, &title, body)
}

/// The name of an export format as reference managers call it.
fn format_label(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::BibTex => "BibTeX",
        ExportFormat::Ris => "RIS",
        ExportFormat::CslJson => "CSL-JSON",
        ExportFormat::Csv => "CSV",
    }
}

fn results_part(
    texts: &Texts,
    corpus: &std::path::Path,
    params: &PageParams,
    results: &SearchResults,
) -> Markup {
    let pages = results.total.div_ceil(PAGE_SIZE as u64) as usize;
    let first = (params.page - 1) * PAGE_SIZE + 1;
    html! {
        div.results {
            div.hits-column {
                p.summary role="status" {
                    span #total { (results.total) " " (if results.total == 1 { texts.hit } else { texts.hits }) }
                    @if !results.hits.is_empty() && pages > 1 {
                        " · " (texts.page_of) " " (params.page) "/" (pages)
                    }
                }
                @if !results.feedback.is_empty() {
                    p.feedback { (texts.feedback) " " (results.feedback.join(", ")) }
                }
                @if !results.hits.is_empty() {
                    p.export {
                        (texts.export)
                        @for format in ExportFormat::ALL {
                            " " a href=(params.export_url(format)) download { (format_label(format)) }
                        }
                    }
                }
                @if results.hits.is_empty() {
                    (no_hits(texts, params, results))
                } @else {
                    ol #hits start=(first) {
                        @for h in &results.hits { (hit(texts, corpus, h)) }
                    }
                }
                @if pages > 1 {
                    nav.paging aria-label=(texts.page_of) {
                        @if params.page > 1 {
                            a rel="prev" href=(params.at_page((params.page - 1).min(pages)).url()) { "← " (texts.prev) }
                        }
                        @if params.page < pages {
                            a rel="next" href=(params.at_page(params.page + 1).url()) { (texts.next) " →" }
                        }
                    }
                }
            }
            @if results.total > 0 || params.has_filters() {
                aside.facets aria-label=(texts.filters) {
                    (facet(params, Facet::Author, texts.authors, &results.facets.authors))
                    (facet(params, Facet::Institution, texts.institutions, &results.facets.institutions))
                    (facet(params, Facet::Year, texts.year_facet, &results.facets.years))
                }
            }
        }
    }
}

/// The upload form.
pub fn upload_form(texts: &Texts, needs_token: bool) -> Markup {
    html! {
        section.upload aria-labelledby="upload-heading" {
            h2 #upload-heading { (texts.upload_heading) }
            form #upload method="post" action="/upload" enctype="multipart/form-data" {
                p { (texts.upload_intro) }
                label for="file" { (texts.file) }
                input #file type="file" name="file" required
                    accept=".pdf,.docx,.odt,.epub,.html,.htm,.txt,.md";
                label for="title" { (texts.doc_title) }
                input #title type="text" name="title";
                label for="authors" { (texts.doc_authors) " (" (texts.list_hint) ")" }
                textarea #authors name="authors" rows="2" {}
                label for="institutions" { (texts.doc_institutions) " (" (texts.list_hint) ")" }
                textarea #institutions name="institutions" rows="2" {}
                label for="year" { (texts.doc_year) }
                input #year type="number" name="year" min="1000" max="2999" inputmode="numeric";
                @if needs_token {
                    label for="token" { (texts.token) }
                    input #token type="password" name="token" required autocomplete="off";
                }
                button type="submit" { (texts.upload_button) }
            }
        }
    }
}

/// The answer to an upload: where the file went and that it can be found, or why not.
pub fn upload_status(
    texts: &Texts,
    outcome: Result<(&str, Option<&str>), &str>,
    needs_token: bool,
) -> Markup {
    let body = html! {
        (search_form(texts, &PageParams { page: 1, ..PageParams::default() }))
        div #upload-status role="status" {
            @match outcome {
                Ok((name, title)) => {
                    p { (texts.stored) " " strong { (name) } ". " (texts.searchable) }
                    @let query = title.unwrap_or(name);
                    p { a #search-uploaded href=(PageParams { q: format!("title:\"{}\"", query.replace('"', " ")), page: 1, ..PageParams::default() }.url()) { (texts.search_for_it) } }
                }
                Err(message) => {
                    p.error { strong { (texts.upload_failed) ": " } (message) }
                }
            }
            p { a href="/" { (texts.back) } }
        }
        (upload_form(texts, needs_token))
    };
    layout(texts, texts.upload_heading, body)
}

/// A page for an error of a request to the page.
pub fn error_page(texts: &Texts, params: &PageParams, message: &str) -> Markup {
    let body = html! {
        (search_form(texts, params))
        div #error role="alert" {
            p.error { strong { (texts.error) ": " } (message) }
        }
    };
    layout(texts, texts.error, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_escapes_its_text_and_marks_its_words() {
        let snippet = Snippet {
            text: "<script>x</script> Kommunen & Länder".into(),
            highlights: vec![[19, 27]],
            ..Snippet::default()
        };
        assert_eq!(
            passage(&snippet).into_string(),
            "&lt;script&gt;x&lt;/script&gt; <mark>Kommunen</mark> &amp; Länder"
        );
    }
}
