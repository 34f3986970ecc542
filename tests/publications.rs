//! Publications as they come: HTML pages, texts in legacy encodings, office documents and
//! e-books, through the real binary.
//!
//! The fixtures are in `tests/fixtures/publications/` (its README says what each one is).

mod util;

use std::path::Path;

use util::Workspace;

/// The fixtures, copied into `corpus/` of a new workspace.
const FIXTURES: &[&str] = &[
    "arbeitsmarkt.html",
    "alte-seite.htm",
    "alte-seite.toml",
    "bericht-cp1252.txt",
    "vortrag-utf16.txt",
    "wohnen.docx",
    "ehrenamt.odt",
    "angekommen.epub",
];

/// Broken packages, copied in by the test that expects them to be reported.
const BROKEN: &[&str] = &["bombe.docx", "abgebrochen.odt", "kein-buch.epub"];

fn workspace() -> Workspace {
    let ws = Workspace::empty();
    copy(&ws, FIXTURES);
    ws
}

fn copy(ws: &Workspace, names: &[&str]) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publications");
    for name in names {
        let bytes = std::fs::read(from.join(name)).unwrap();
        ws.write(&format!("corpus/{name}"), bytes);
    }
}

/// The hit of a search that comes from a file; the search must find it.
fn hit(ws: &Workspace, query: &str, path: &str) -> serde_json::Value {
    let results = ws.search_json(&[query]);
    let path = format!("corpus/{path}");
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|hit| hit["path"] == path.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("{query} does not find {path}: {results}"))
}

#[test]
fn reads_html_pages_and_legacy_encodings_and_skips_binary_data() {
    let ws = workspace();
    // A binary file named as text: reported with its path, and the rest is indexed.
    ws.write(
        "corpus/scan.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("corpus/scan.txt: not text: binary data?"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().contains("added 7, updated 0, removed 0"),
        "{}",
        run.stdout()
    );
    assert_eq!(ws.search_json(&["IHDR"])["total"], 0);
}

#[test]
fn an_html_page_gives_its_main_text_and_citation_metadata() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);

    // Words with umlauts and ß in the article are found.
    for query in [
        "Großstädte",
        "Ausländerbehörde",
        "Maßnahmen Straße",
        "Berufsabschlüsse",
    ] {
        hit(&ws, query, "arbeitsmarkt.html");
    }
    let page = hit(&ws, "Muttersprache", "arbeitsmarkt.html");
    assert_eq!(
        page["title"],
        "Arbeitsmarktintegration von Geflüchteten: Was Kommunen tun können"
    );
    assert_eq!(
        page["authors"],
        serde_json::json!(["Müller, Anna", "Özdemir, Kemal"])
    );
    assert_eq!(page["year"], 2019);
    assert_eq!(
        page["institutions"],
        serde_json::json!(["Forschungsstelle Integration"])
    );
    // Block elements are separated: the list items do not run together.
    hit(&ws, "\"anbieten Anerkennung\"", "arbeitsmarkt.html");

    // What surrounds the article on every page is not indexed: the cookie banner, scripts,
    // navigation, page header and footer, share buttons, asides and the newsletter form.
    for boilerplate in [
        "Datenschutzhinweisen",
        "Cookies",
        "akzeptieren",
        "trackingPixel",
        "Seitenaufruf",
        "Startseite",
        "Pressemitteilungen",
        "springen",
        "Impressum",
        "Twitter",
        "weiterempfehlen",
        "Wohnsituation",
        "Abonnieren",
    ] {
        let results = ws.search_json(&[boilerplate]);
        assert_eq!(results["total"], 0, "{boilerplate}: {results}");
    }
}

#[test]
fn an_old_page_is_read_in_its_declared_charset_and_its_sidecar_wins() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);
    let page = hit(&ws, "Orientierung Rechtsordnung", "alte-seite.htm");
    assert_eq!(page["title"], "Integrationskurse in der Praxis");
    // Authors from the page's author tag, split at ";" and not at ",".
    assert_eq!(
        page["authors"],
        serde_json::json!(["Weber, Jana", "Schulz, Tom"])
    );
    // The sidecar's year beats the page's DC.date (2008); its institution is taken too.
    assert_eq!(page["year"], 2009);
    assert_eq!(
        page["institutions"],
        serde_json::json!(["Volkshochschule Beispielstadt"])
    );
    let snippet = page["snippet"]["text"].as_str().unwrap();
    assert!(snippet.contains("über Rechtsordnung"), "{snippet}");
}

#[test]
fn texts_in_windows_1252_and_utf16_are_decoded() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);

    let report = hit(&ws, "Brückenkurse", "bericht-cp1252.txt");
    assert_eq!(
        report["title"],
        "Sprachförderung für Geflüchtete in Kleinstädten"
    );
    let snippet = report["snippet"]["text"].as_str().unwrap();
    assert!(
        snippet.contains("„Brückenkurse“") && snippet.contains("450 €"),
        "{snippet}"
    );
    let report = hit(&ws, "Flüchtlinge organisieren", "bericht-cp1252.txt");
    let snippet = report["snippet"]["text"].as_str().unwrap();
    assert!(snippet.contains("für Flüchtlinge"), "{snippet}");
    hit(&ws, "Maßnahmen Kita", "bericht-cp1252.txt");

    let talk = hit(&ws, "Willkommenskultur", "vortrag-utf16.txt");
    assert_eq!(talk["title"], "Vortrag: Willkommenskultur in der Großstadt");
    hit(&ws, "Sportvereine", "vortrag-utf16.txt");
}

#[test]
fn a_docx_gives_its_paragraphs_notes_and_document_properties() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);
    for query in ["Gemeinschaftsunterkunft", "Schufa-Auskünfte", "Hauptstraße"] {
        hit(&ws, query, "wohnen.docx");
    }
    // Tabs and breaks separate words; deleted text is not the document's.
    hit(
        &ws,
        "\"Vermieter verlangen Schufa-Auskünfte\"",
        "wohnen.docx",
    );
    assert_eq!(ws.search_json(&["Obdachlosenunterkunft"])["total"], 0);
    let doc = hit(&ws, "Mietobergrenzen", "wohnen.docx");
    assert_eq!(doc["title"], "Wohnungssuche nach der Anerkennung");
    assert_eq!(
        doc["authors"],
        serde_json::json!(["Krüger, Lena", "Yılmaz, Deniz"])
    );
    assert_eq!(doc["year"], 2018);
    assert_eq!(
        doc["institutions"],
        serde_json::json!(["Institut für Wohnungsforschung"])
    );
}

#[test]
fn an_odt_gives_its_paragraphs_and_meta() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);
    for query in ["Ärztinnen", "Übergänge Ausbildung", "Frühjahr"] {
        hit(&ws, query, "ehrenamt.odt");
    }
    assert_eq!(ws.search_json(&["Randbemerkung"])["total"], 0);
    let doc = hit(&ws, "Patenschaften", "ehrenamt.odt");
    assert_eq!(doc["title"], "Ehrenamt in der Flüchtlingshilfe");
    assert_eq!(doc["authors"], serde_json::json!(["Schäfer, Jörg"]));
    assert_eq!(doc["year"], 2017);
}

#[test]
fn an_epub_gives_its_chapters_in_reading_order_and_its_metadata() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);
    for query in ["Süddeutschland", "Übergangslösung", "Einbürgerung"] {
        hit(&ws, query, "angekommen.epub");
    }
    // The table of contents is not in the spine.
    assert_eq!(ws.search_json(&["Inhaltsverzeichnis"])["total"], 0);
    let book = hit(&ws, "Balkanroute", "angekommen.epub");
    assert_eq!(book["title"], "Angekommen? Lebenswege nach der Flucht");
    assert_eq!(
        book["authors"],
        serde_json::json!(["Hoffmann, Greta", "Nasser, Omar"])
    );
    assert_eq!(
        book["institutions"],
        serde_json::json!(["Verlag Offene Gesellschaft"])
    );
    assert_eq!(book["year"], 2020);
    // Chapters stand where pages stand: each passage says which chapter it is from.
    assert_eq!(book["snippet"]["page"], "1");
    let second = hit(&ws, "Einbürgerung", "angekommen.epub");
    assert_eq!(second["snippet"]["page"], "2");
    assert_eq!(second["snippets"][0], second["snippet"]);
    let listed = ws.run(&["search", "Einbürgerung"]);
    assert!(listed.stdout().contains("Kap. 2: "), "{}", listed.stdout());
    assert!(!listed.stdout().contains("#page="), "{}", listed.stdout());
}

#[test]
fn broken_packages_are_reported_and_the_rest_is_indexed() {
    let ws = workspace();
    copy(&ws, BROKEN);
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stderr = run.stderr();
    for expected in [
        "corpus/bombe.docx: zip bomb? word/document.xml declares more than the limit of 200 MB unpacked",
        "corpus/abgebrochen.odt: not a zip archive, or a corrupt or truncated one",
        "corpus/kein-buch.epub: not a zip archive, or a corrupt or truncated one",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        run.stdout().contains("added 7, updated 0, removed 0"),
        "{}",
        run.stdout()
    );
    hit(&ws, "Balkanroute", "angekommen.epub");
}
