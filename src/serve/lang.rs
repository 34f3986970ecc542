//! The page's words: German, and English where the browser prefers it (`Accept-Language`).

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

/// The words of the page in one language.
pub struct Texts {
    /// The `lang` attribute.
    pub lang: &'static str,
    pub title: &'static str,
    pub tagline: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub syntax_help: &'static str,
    pub years: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub any_words_option: &'static str,
    /// Before the words feedback added to an any-word search.
    pub feedback: &'static str,
    pub hits: &'static str,
    /// Before the export links ("Exportieren (die ersten 100):").
    pub export: &'static str,
    pub hit: &'static str,
    pub page_word: &'static str,
    pub chapter_word: &'static str,
    pub authors: &'static str,
    pub institutions: &'static str,
    pub year_facet: &'static str,
    pub filters: &'static str,
    pub clear_filters: &'static str,
    pub prev: &'static str,
    pub next: &'static str,
    pub page_of: &'static str,
    pub no_hits: &'static str,
    pub no_hits_filters: &'static str,
    pub words_not_found: &'static str,
    pub try_any: &'static str,
    pub past_last: &'static str,
    pub upload_heading: &'static str,
    pub upload_intro: &'static str,
    pub file: &'static str,
    pub doc_title: &'static str,
    pub doc_authors: &'static str,
    pub doc_institutions: &'static str,
    pub doc_year: &'static str,
    pub list_hint: &'static str,
    pub token: &'static str,
    pub upload_button: &'static str,
    pub stored: &'static str,
    pub searchable: &'static str,
    pub search_for_it: &'static str,
    pub upload_failed: &'static str,
    pub error: &'static str,
    pub back: &'static str,
    pub documents_in_index: &'static str,
}

/// German, the default.
pub const GERMAN: Texts = Texts {
    lang: "de",
    title: "integra – Literatursuche Integration",
    tagline: "Studien, Berichte und Fachartikel zur Integration von Geflüchteten und Zugewanderten",
    search_label: "Suchbegriffe",
    search_button: "Suchen",
    syntax_help: "Alle Wörter müssen vorkommen. \"Integration vor Ort\" sucht die Wortfolge, -Wort schließt aus, Kita OR Schule sucht eines von beiden, Integr* findet Wortanfänge, title: und author: suchen in einem Feld.",
    years: "Jahre",
    from: "von",
    to: "bis",
    any_words_option: "Irgendeines der Wörter genügt",
    feedback: "Auch gesucht, aus den ersten Treffern:",
    hits: "Treffer",
    export: "Die ersten 100 Treffer exportieren:",
    hit: "Treffer",
    page_word: "S.",
    chapter_word: "Kap.",
    authors: "Autorinnen und Autoren",
    institutions: "Institutionen",
    year_facet: "Jahr",
    filters: "Filter",
    clear_filters: "Alle Filter entfernen",
    prev: "Zurück",
    next: "Weiter",
    page_of: "Seite",
    no_hits: "Keine Treffer für",
    no_hits_filters: "mit den gewählten Filtern",
    words_not_found: "Kein Dokument enthält alle Wörter.",
    try_any: "Dokumente mit irgendeinem der Wörter suchen",
    past_last: "Diese Seite liegt hinter dem letzten Treffer.",
    upload_heading: "Dokument hinzufügen",
    upload_intro: "PDF, Word, ODT, EPUB, HTML oder Text. Die Angaben sind freiwillig; was fehlt, wird aus der Datei gelesen.",
    file: "Datei",
    doc_title: "Titel",
    doc_authors: "Autorinnen und Autoren",
    doc_institutions: "Institutionen",
    doc_year: "Jahr",
    list_hint: "eine Angabe pro Zeile oder durch ; getrennt",
    token: "Schlüssel (Token) des Servers",
    upload_button: "Hochladen",
    stored: "Gespeichert als",
    searchable: "Das Dokument ist jetzt durchsuchbar.",
    search_for_it: "Nach dem Titel suchen",
    upload_failed: "Hochladen fehlgeschlagen",
    error: "Fehler",
    back: "Zur Suche",
    documents_in_index: "Dokumente im Index",
};

/// English, for browsers that prefer it.
pub const ENGLISH: Texts = Texts {
    lang: "en",
    title: "integra – literature on integration",
    tagline: "Studies, reports and papers on the integration of refugees and migrants",
    search_label: "Search terms",
    search_button: "Search",
    syntax_help: "All words must occur. \"Integration vor Ort\" finds the phrase, -word excludes, Kita OR Schule finds either, Integr* finds word beginnings, title: and author: search one field.",
    years: "Years",
    from: "from",
    to: "to",
    any_words_option: "Any of the words will do",
    feedback: "Also searched, from the first hits:",
    hits: "hits",
    export: "Export the first 100 hits:",
    hit: "hit",
    page_word: "p.",
    chapter_word: "ch.",
    authors: "Authors",
    institutions: "Institutions",
    year_facet: "Year",
    filters: "Filters",
    clear_filters: "Remove all filters",
    prev: "Previous",
    next: "Next",
    page_of: "Page",
    no_hits: "No hits for",
    no_hits_filters: "with the chosen filters",
    words_not_found: "No document contains all the words.",
    try_any: "Search documents with any of the words",
    past_last: "This page lies past the last hit.",
    upload_heading: "Add a document",
    upload_intro: "PDF, Word, ODT, EPUB, HTML or text. The fields are optional; what is missing is read from the file.",
    file: "File",
    doc_title: "Title",
    doc_authors: "Authors",
    doc_institutions: "Institutions",
    doc_year: "Year",
    list_hint: "one per line or separated by ;",
    token: "The server's token",
    upload_button: "Upload",
    stored: "Stored as",
    searchable: "The document is searchable now.",
    search_for_it: "Search for its title",
    upload_failed: "Upload failed",
    error: "Error",
    back: "Back to the search",
    documents_in_index: "documents in the index",
};

/// The texts the request's `Accept-Language` prefers: English if an English tag comes before
/// any German one, else German.
pub fn texts(headers: &HeaderMap) -> &'static Texts {
    let Some(accept) = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return &GERMAN;
    };
    let mut best: Option<(f32, bool)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let english = tag == "en" || tag.starts_with("en-");
        let german = tag == "de" || tag.starts_with("de-");
        if (english || german) && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, english));
        }
    }
    match best {
        Some((_, true)) => &ENGLISH,
        _ => &GERMAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(accept: &str) -> &'static str {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, accept.parse().unwrap());
        texts(&headers).lang
    }

    #[test]
    fn english_only_where_the_browser_prefers_it() {
        assert_eq!(lang("en-US,en;q=0.9"), "en");
        assert_eq!(lang("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(lang("fr, en;q=0.5, de;q=0.4"), "en");
        assert_eq!(lang("fr"), "de");
        assert_eq!(texts(&HeaderMap::new()).lang, "de");
    }
}
