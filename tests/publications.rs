//! Publications as they come: HTML pages and texts in legacy encodings, through the real binary.
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
];

fn workspace() -> Workspace {
    let ws = Workspace::empty();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publications");
    for name in FIXTURES {
        let bytes = std::fs::read(from.join(name)).unwrap();
        ws.write(&format!("corpus/{name}"), bytes);
    }
    ws
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
        run.stdout().contains("added 4, updated 0, removed 0"),
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
