//! A damaged index: each kind of damage a disk, a sync tool or a full disk leaves is named by
//! `integra check`, search answers with a clear error instead of tantivy's words or a panic,
//! and `integra index --rebuild` builds the index again from nothing. A folder that holds
//! something other than an integra index is never replaced.

mod util;

use std::io::{Seek, SeekFrom, Write};

use util::Workspace;

/// A workspace with the seed corpus indexed, and the name of one segment file with `ext` (empty
/// if there is none).
fn indexed(ext: &str) -> (Workspace, String) {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    let file = std::fs::read_dir(ws.path("index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(&format!(".{ext}")))
        .unwrap_or_default();
    (ws, file)
}

fn overwrite(path: &std::path::Path, at: u64, bytes: &[u8]) {
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(at)).unwrap();
    file.write_all(bytes).unwrap();
}

/// Damages the index as `damage` says, and checks what check, search and rebuild make of it;
/// `search_notices` says whether a search can see the damage (bytes overwritten inside a file
/// show only to a reader of the whole file).
fn damaged_then_rebuilt(ext: &str, damage: impl Fn(&Workspace, &str), search_notices: bool) {
    let (ws, segment_file) = indexed(ext);
    ws.write("index/notizen.txt", "not part of the index");
    damage(&ws, &segment_file);
    let named = if ext.ends_with("json") {
        ext.to_string()
    } else {
        segment_file.clone()
    };

    let check = ws.run(&["check"]);
    assert_eq!(
        check.code(),
        1,
        "{ext}: {}{}",
        check.stdout(),
        check.stderr()
    );
    assert!(
        check.stdout().contains("is damaged") && check.stdout().contains(&named),
        "{ext}: {}",
        check.stdout()
    );

    let search = ws.run(&["search", "Kommunen"]);
    if search_notices {
        assert_eq!(search.code(), 2, "{ext}: {}", search.stdout());
        let message = search.stderr();
        assert!(
            message.contains("the index at ./index is damaged")
                && message.contains(&named)
                && message.contains("integra index --rebuild"),
            "{ext}: {message}"
        );
        assert!(!message.contains("panicked"), "{ext}: {message}");
    }

    let rebuild = ws.run(&["index", "--rebuild"]);
    assert_eq!(rebuild.code(), 0, "{ext}: {}", rebuild.stderr());
    assert_eq!(ws.search_json(&["Kommunen"])["total"], 5, "{ext}");
    assert_eq!(ws.run(&["check"]).code(), 0, "{ext}");
    // Only the index's own files were replaced.
    assert!(ws.path("index/notizen.txt").exists(), "{ext}");
}

#[test]
fn a_sound_index_checks_sound() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    let check = ws.run(&["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    assert!(check.stdout().contains("is sound"), "{}", check.stdout());
    let json: serde_json::Value =
        serde_json::from_str(&ws.run(&["check", "--json"]).stdout()).unwrap();
    assert_eq!(json["damaged"], serde_json::json!([]));
    assert!(json["files"].as_u64().unwrap() >= 6, "{json}");
}

#[test]
fn a_store_cut_short() {
    damaged_then_rebuilt(
        "store",
        |ws, file| {
            let path = ws.path(&format!("index/{file}"));
            let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            file.set_len(100).unwrap();
        },
        true,
    );
}

#[test]
fn an_emptied_postings_file() {
    damaged_then_rebuilt(
        "idx",
        |ws, file| std::fs::write(ws.path(&format!("index/{file}")), "").unwrap(),
        true,
    );
}

#[test]
fn a_missing_positions_file() {
    damaged_then_rebuilt(
        "pos",
        |ws, file| std::fs::remove_file(ws.path(&format!("index/{file}"))).unwrap(),
        true,
    );
}

#[test]
fn a_garbled_meta_json() {
    damaged_then_rebuilt(
        "meta.json",
        |ws, _| ws.write("index/meta.json", "{ kaputt"),
        true,
    );
}

#[test]
fn a_garbled_managed_json() {
    damaged_then_rebuilt(
        "managed.json",
        |ws, _| ws.write("index/.managed.json", "kaputt"),
        true,
    );
}

#[test]
fn bytes_overwritten_inside_the_term_dictionary() {
    damaged_then_rebuilt(
        "term",
        |ws, file| overwrite(&ws.path(&format!("index/{file}")), 200, &[0xff; 24]),
        false,
    );
}

#[test]
fn a_folder_that_is_not_an_integra_index_is_not_replaced() {
    let ws = Workspace::with_seed_corpus();
    // Someone else's tantivy index: a meta.json, and no integra lock file.
    ws.write("fremd/meta.json", "{\"segments\": []}");
    ws.write("fremd/daten.bin", "wichtig");
    let run = ws.run(&["index", "--index", "fremd", "--rebuild"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("fremd holds files that are not an integra index"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(ws.path("fremd/meta.json")).unwrap(),
        "{\"segments\": []}"
    );
    assert!(ws.path("fremd/daten.bin").exists());
}

#[test]
fn a_fast_field_file_cut_short() {
    damaged_then_rebuilt(
        "fast",
        |ws, file| {
            let path = ws.path(&format!("index/{file}"));
            let length = std::fs::metadata(&path).unwrap().len();
            let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            file.set_len(length / 2).unwrap();
        },
        true,
    );
}

#[test]
fn bytes_overwritten_inside_the_field_norms() {
    damaged_then_rebuilt(
        "fieldnorm",
        |ws, file| overwrite(&ws.path(&format!("index/{file}")), 10, &[0xff; 8]),
        false,
    );
}
