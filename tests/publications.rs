//! Publications as they come: HTML pages, texts in legacy encodings, office documents,
//! e-books and PDF files, through the real binary.
//!
//! The fixtures are in `tests/fixtures/publications/` and `tests/fixtures/pdf/` (their READMEs
//! say what each one is).

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

/// The PDF fixtures that are read, and the broken ones, reported with their path and reason.
const PDFS: &[&str] = &["libreoffice.pdf", "tex.pdf", "encrypted-ownerpw.pdf"];
const BAD_PDFS: &[&str] = &[
    "encrypted-userpw.pdf",
    "truncated.pdf",
    "binary.pdf",
    "loop.pdf",
    "scanned.pdf",
    "badpage.pdf",
    "xref-panic.pdf",
];

fn copy(ws: &Workspace, names: &[&str]) {
    copy_from(ws, "tests/fixtures/publications", names);
}

fn copy_from(ws: &Workspace, folder: &str, names: &[&str]) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    for name in names {
        let bytes = std::fs::read(from.join(name)).unwrap();
        ws.write(&format!("corpus/{name}"), bytes);
    }
}

/// A workspace with the readable PDF fixtures alone.
fn pdf_workspace() -> Workspace {
    let ws = Workspace::empty();
    copy_from(&ws, "tests/fixtures/pdf", PDFS);
    ws
}

/// The document the library reads from the corpus file `name` of a workspace.
fn read_document(ws: &Workspace, name: &str) -> integra::Document {
    let found = integra::corpus::discover(&ws.path(&format!("corpus/{name}"))).unwrap();
    let mut docs = integra::corpus::read(&found.files[0]).unwrap();
    docs.next().unwrap().unwrap()
}

/// The hit of a search that comes from a file; the search must find it.
fn hit(ws: &Workspace, query: &str, path: &str) -> serde_json::Value {
    let results = ws.search_json(&[query]);
    // Paths are stored absolute.
    let path = format!("/corpus/{path}");
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|hit| hit["path"].as_str().is_some_and(|p| p.ends_with(&path)))
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
        // Taken as typed: a correction to a word of the article would find it.
        let results = ws.search_json(&[boilerplate, "--no-correct"]);
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

#[test]
fn a_pdf_gives_its_pages_text_with_umlauts_and_its_document_info() {
    let ws = pdf_workspace();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    assert!(
        run.stdout().contains("added 3, updated 0, removed 0"),
        "{}",
        run.stdout()
    );
    for name in PDFS {
        for query in [
            "Äußerst",
            "Straßenbahnfahrerinnen",
            "Flüchtlingsfamilien",
            "Maßnahmen",
        ] {
            if *name != "tex.pdf" && query == "Straßenbahnfahrerinnen" {
                continue;
            }
            hit(&ws, query, name);
        }
    }
    // The ligatures fi, fl and ff of both producers are letters again.
    for query in [
        "qualifizierte",
        "Pflegefachkräfte",
        "öffentlichen",
        "Einfluss",
    ] {
        hit(&ws, query, "tex.pdf");
    }
    hit(&ws, "Fachöffentlichkeit", "libreoffice.pdf");

    let report = hit(&ws, "Integrationskursverordnung", "tex.pdf");
    assert_eq!(report["title"], "Arbeitsmarktintegration von Geflüchteten");
    assert_eq!(
        report["authors"],
        serde_json::json!(["Müller, Anna", "Weiß, Jörg"])
    );
    assert_eq!(report["year"], 2023);
    let tex = read_document(&ws, "tex.pdf");
    assert_eq!(tex.metadata.language.as_deref(), Some("de"));
}

#[test]
fn a_pdf_knows_the_label_of_each_page() {
    let ws = pdf_workspace();
    let tex = read_document(&ws, "tex.pdf");
    let labels: Vec<&str> = tex.pages.iter().map(|page| page.label.as_str()).collect();
    assert_eq!(labels, ["i", "1", "2"]);
    let label_of = |word: &str| {
        let at = tex.text.find(word).unwrap_or_else(|| panic!("{word}"));
        integra::Page::at(&tex.pages, at).unwrap().label.clone()
    };
    assert_eq!(label_of("Zusammenfassung"), "i");
    assert_eq!(label_of("Befragung"), "1");
    assert_eq!(label_of("Gemeinschaftsunterkünfte"), "2");

    // Without page labels, the pages are numbered from 1.
    let office = read_document(&ws, "libreoffice.pdf");
    let labels: Vec<&str> = office
        .pages
        .iter()
        .map(|page| page.label.as_str())
        .collect();
    assert_eq!(labels, ["1", "2", "3"]);
}

#[test]
fn a_pdf_joins_words_broken_at_line_ends_and_drops_running_headers() {
    let ws = pdf_workspace();
    assert_eq!(ws.run(&["index"]).code(), 0);
    // pdfTeX broke "Sprachförde-rung" at a line end, LibreOffice "Sprach-förderung" at a soft
    // hyphen: both are one word again.
    let tex = read_document(&ws, "tex.pdf");
    assert!(tex.text.contains("Sprachförderung"), "{}", tex.text);
    assert!(!tex.text.contains("Sprachförde-"), "{}", tex.text);
    let office = read_document(&ws, "libreoffice.pdf");
    assert!(
        office.text.contains("der Sprachförderung"),
        "{}",
        office.text
    );
    hit(&ws, "Sprachförderung", "tex.pdf");
    hit(&ws, "Sprachförderung", "libreoffice.pdf");

    // The running header ("Integration von Geflüchteten – Zwischenbericht 2024") and footer
    // ("Bundesamt für Migration … Seite 1") are on every page and in no indexed text.
    for doc in [&tex, &office] {
        for line in ["Zwischenbericht", "Bundesamt", "Seite"] {
            assert!(!doc.text.contains(line), "{line}: {}", doc.text);
        }
    }
    assert_eq!(ws.search_json(&["Zwischenbericht"])["total"], 0);
    assert_eq!(ws.search_json(&["Bundesamt"])["total"], 0);
}

#[test]
fn a_pdf_sidecar_wins_field_by_field() {
    let ws = pdf_workspace();
    ws.write(
        "corpus/tex.toml",
        "title = \"Zwischenbericht Integration\"\nyear = 2024\n",
    );
    assert_eq!(ws.run(&["index"]).code(), 0);
    let report = hit(&ws, "Integrationskursverordnung", "tex.pdf");
    assert_eq!(report["title"], "Zwischenbericht Integration");
    assert_eq!(report["year"], 2024);
    assert_eq!(
        report["authors"],
        serde_json::json!(["Müller, Anna", "Weiß, Jörg"])
    );
}

#[test]
fn bad_pdfs_are_reported_with_their_reason_and_the_rest_is_indexed() {
    let ws = pdf_workspace();
    copy_from(&ws, "tests/fixtures/pdf", BAD_PDFS);
    ws.write("corpus/leer.pdf", b"");
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stderr = run.stderr();
    for expected in [
        "corpus/encrypted-userpw.pdf: encrypted: it needs a password to be read",
        "corpus/scanned.pdf: no text layer: scanned?",
        "corpus/truncated.pdf: not readable as a PDF: ",
        "corpus/binary.pdf: not a PDF: it does not begin with %PDF-",
        "corpus/leer.pdf: empty file: not a PDF",
        // oxidize-pdf panics on this file (found by fuzzing); the reader catches it.
        "corpus/xref-panic.pdf: the PDF reader failed: ",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The page tree of loop.pdf loops: oxidize-pdf stops at the loop and reads its one page.
    assert!(!stderr.contains("loop.pdf"), "{stderr}");
    hit(&ws, "Schleife Seitenbaum", "loop.pdf");
    // The second page of badpage.pdf cannot be decoded; its first page is read.
    assert!(!stderr.contains("badpage.pdf"), "{stderr}");
    hit(&ws, "Wohnungssuche", "badpage.pdf");
    assert!(
        run.stdout().contains("added 5, updated 0, removed 0"),
        "{}",
        run.stdout()
    );
    hit(&ws, "Integrationskursverordnung", "tex.pdf");
    // Nothing of the encrypted file or the scan is indexed as an empty document.
    let results = ws.search_json(&["Geflüchtete"]);
    let paths: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| hit["path"].as_str())
        .collect();
    assert!(
        paths
            .iter()
            .all(|path| !path.contains("encrypted-userpw") && !path.contains("scanned")),
        "{paths:?}"
    );
}
