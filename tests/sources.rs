//! Several folders in one index: each `--corpus` adds a source, `integra index` updates them
//! all, `--remove` drops one, and a folder is never dropped without being asked. A mistyped or
//! empty corpus creates no index; a search says when the index is empty or behind its sources.

mod util;

use std::path::Path;

use util::Workspace;

/// Two folders of texts: `studien/` with two documents, `webseiten/` with one.
fn two_folders() -> Workspace {
    let ws = Workspace::empty();
    ws.write(
        "studien/wohnen.txt",
        "Wohnraum für Geflüchtete\n\nDie Kommunen suchen Wohnraum für Geflüchtete.",
    );
    ws.write(
        "studien/kita.txt",
        "Kitas und Integration\n\nKitas sind Orte der Integration in den Kommunen.",
    );
    ws.write(
        "webseiten/ehrenamt.txt",
        "Ehrenamt vor Ort\n\nEhrenamtliche begleiten Geflüchtete in den Kommunen.",
    );
    ws
}

fn total(ws: &Workspace, query: &str) -> u64 {
    ws.search_json(&[query])["total"].as_u64().unwrap()
}

#[test]
fn a_second_folder_is_added_not_swapped_for_the_first() {
    let ws = two_folders();
    assert_eq!(ws.run(&["index", "--corpus", "studien"]).code(), 0);
    let second = ws.run(&["index", "--corpus", "webseiten"]);
    assert_eq!(second.code(), 0, "{}", second.stderr());
    assert!(second.stdout().contains("removed 0"), "{}", second.stdout());
    assert!(
        second.stderr().contains("webseiten is a source of"),
        "{}",
        second.stderr()
    );
    assert_eq!(total(&ws, "Kommunen"), 3);
    let sources = ws.run(&["sources"]);
    assert_eq!(sources.code(), 0);
    let listed = sources.stdout();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{}", sources.stdout());
    assert!(
        lines[0].starts_with("studien  2 files, 2 documents"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("webseiten  1 files, 1 documents"),
        "{lines:?}"
    );
}

#[test]
fn index_without_corpus_updates_every_source() {
    let ws = two_folders();
    ws.run(&["index", "--corpus", "studien"]);
    ws.run(&["index", "--corpus", "webseiten"]);
    ws.write(
        "webseiten/sprache.txt",
        "Sprachcafé\n\nIm Sprachcafé üben Geflüchtete Deutsch.",
    );
    std::fs::remove_file(ws.path("studien/kita.txt")).unwrap();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout()
            .starts_with("added 1, updated 0, removed 1, unchanged 2"),
        "{}",
        run.stdout()
    );
    assert_eq!(total(&ws, "Sprachcafé"), 1);
    assert_eq!(total(&ws, "Kitas"), 0);
}

#[test]
fn remove_drops_one_source_and_its_documents() {
    let ws = two_folders();
    ws.run(&["index", "--corpus", "studien"]);
    ws.run(&["index", "--corpus", "webseiten"]);
    let removed = ws.run(&["index", "--remove", "studien"]);
    assert_eq!(removed.code(), 0, "{}", removed.stderr());
    assert!(
        removed.stdout().contains("removed 2"),
        "{}",
        removed.stdout()
    );
    assert_eq!(total(&ws, "Kommunen"), 1);
    assert!(!ws.run(&["sources"]).stdout().contains("studien"));
    // Removing what is not a source says which sources there are.
    let unknown = ws.run(&["index", "--remove", "studien"]);
    assert_eq!(unknown.code(), 2);
    assert!(
        unknown
            .stderr()
            .contains("is not a source of this index (its sources: /"),
        "{}",
        unknown.stderr()
    );
}

#[test]
fn a_missing_source_keeps_its_documents() {
    let ws = two_folders();
    ws.run(&["index", "--corpus", "studien"]);
    ws.run(&["index", "--corpus", "webseiten"]);
    std::fs::rename(ws.path("webseiten"), ws.path("ausgehängt")).unwrap();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("webseiten is missing: its documents stay"),
        "{}",
        run.stderr()
    );
    assert_eq!(total(&ws, "Ehrenamtliche"), 1);
    assert!(ws.run(&["sources"]).stdout().contains("(missing)"));
    // An emptied folder looks the same as an unmounted share: nothing is removed.
    std::fs::create_dir(ws.path("webseiten")).unwrap();
    assert_eq!(ws.run(&["index"]).code(), 0);
    assert_eq!(total(&ws, "Ehrenamtliche"), 1);
}

#[test]
fn hit_paths_open_from_any_folder() {
    let ws = two_folders();
    ws.run(&["index", "--corpus", "studien"]);
    ws.write("anderswo/.keep", "");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_integra"))
        .args(["search", "--json", "Wohnraum", "--index"])
        .arg(ws.path("index"))
        .current_dir(ws.path("anderswo"))
        .output()
        .unwrap();
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = results["hits"][0]["path"].as_str().unwrap();
    assert!(
        Path::new(path).is_absolute() && Path::new(path).is_file(),
        "{path}"
    );
    // On a terminal (or a pipe) the path is short where the file lies below the folder.
    let listed = ws.run(&["search", "Wohnraum"]);
    assert!(
        listed.stdout().contains("   studien/wohnen.txt · score"),
        "{}",
        listed.stdout()
    );
}

#[test]
fn a_mistyped_or_empty_corpus_creates_no_index() {
    let ws = two_folders();
    let mistyped = ws.run(&["index", "--corpus", "studein"]);
    assert_eq!(mistyped.code(), 2);
    assert!(
        mistyped.stderr().contains("studein"),
        "{}",
        mistyped.stderr()
    );
    assert!(!ws.path("index").exists());
    std::fs::create_dir(ws.path("leer")).unwrap();
    ws.write("leer/bild.png", [0x89, b'P', b'N', b'G']);
    let empty = ws.run(&["index", "--corpus", "leer"]);
    assert_eq!(empty.code(), 2);
    assert!(
        empty.stderr().contains("leer: no files integra reads"),
        "{}",
        empty.stderr()
    );
    assert!(!ws.path("index").exists());
}

#[test]
fn a_search_says_when_the_index_is_empty_or_behind_its_sources() {
    let ws = two_folders();
    ws.run(&["index", "--corpus", "studien"]);
    ws.write(
        "studien/neu.txt",
        "Neue Studie\n\nWohnraum in den Kommunen bleibt knapp.",
    );
    let behind = ws.run(&["search", "Wohnraum"]);
    assert!(
        behind
            .stderr()
            .contains("warning: 1 file of the index's sources is new, changed or gone"),
        "{}",
        behind.stderr()
    );
    assert_eq!(ws.search_json(&["Wohnraum"])["stale"]["changed"], 1);
    ws.run(&["index"]);
    let current = ws.run(&["search", "Wohnraum"]);
    assert!(
        !current.stderr().contains("warning"),
        "{}",
        current.stderr()
    );
    assert!(ws.search_json(&["Wohnraum"]).get("stale").is_none());

    ws.run(&["index", "--remove", "studien"]);
    let empty = ws.run(&["search", "Wohnraum"]);
    assert_eq!(empty.code(), 1);
    assert!(
        empty
            .stderr()
            .contains("is empty: its last run found no documents"),
        "{}",
        empty.stderr()
    );
}
