//! `integra search --format bibtex|ris|csl-json|csv` on the seed corpus, each read back.

mod util;

use std::collections::HashSet;

use serde_json::Value;
use util::Workspace;

/// The seed corpus plus a document with a corporate author before a person.
fn workspace() -> Workspace {
    let ws = Workspace::with_seed_corpus();
    ws.write(
        "corpus/kita.txt",
        "Kitaplätze für Geflüchtete\n\nDie Integration beginnt in der Kita, sagt die Studie; \
         Kommunen, Länder & Bund sind gefragt.",
    );
    ws.write(
        "corpus/kita.toml",
        "title = \"Kitaplätze für Geflüchtete: 50 % fehlen\"\n\
         authors = [\"Bertelsmann Stiftung\", \"Gesemann, Frank\"]\n\
         institutions = [\"Bertelsmann Stiftung\"]\nyear = 2019\ntype = \"Studie\"\n",
    );
    assert_eq!(ws.run(&["index"]).code(), 0);
    ws
}

/// The hits `--json` gives for the same search, to compare each export with.
fn json_hits(ws: &Workspace) -> Vec<Value> {
    let results = ws.search_json(&["Integration", "--limit", "50", "--json"]);
    let hits = results["hits"].as_array().expect("hits").clone();
    assert!(hits.len() >= 6, "{results}");
    hits
}

fn export(ws: &Workspace, format: &str) -> String {
    let run = ws.run(&["search", "Integration", "--limit", "50", "--format", format]);
    assert_eq!(run.code(), 0, "{format}: {}", run.stderr());
    run.stdout()
}

/// Reads CSV as RFC 4180 writes it: quoted fields with doubled quotes, CR LF between rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => {
                assert_ne!(c, '\n', "a bare LF ends no row in RFC 4180");
                field.push(c);
            }
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "unterminated row"
    );
    rows
}

#[test]
fn csv_has_a_header_and_a_row_per_hit() {
    let ws = workspace();
    let hits = json_hits(&ws);
    let rows = parse_csv(&export(&ws, "csv"));
    assert_eq!(rows[0][..3], ["key", "id", "title"]);
    assert_eq!(rows.len(), hits.len() + 1);
    let column = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    for (row, hit) in rows[1..].iter().zip(&hits) {
        assert_eq!(row.len(), rows[0].len());
        assert_eq!(row[column("id")], hit["id"].as_str().unwrap());
        assert_eq!(row[column("title")], hit["title"].as_str().unwrap());
        assert_eq!(row[column("year")], hit["year"].to_string());
        assert_eq!(row[column("path")], hit["path"].as_str().unwrap());
    }
    let kita = rows
        .iter()
        .find(|r| r[column("title")].starts_with("Kita"))
        .unwrap();
    assert_eq!(
        kita[column("title")],
        "Kitaplätze für Geflüchtete: 50 % fehlen"
    );
    assert_eq!(
        kita[column("authors")],
        "Bertelsmann Stiftung; Gesemann, Frank"
    );
}

#[test]
fn csl_json_reads_back_with_literal_bodies() {
    let ws = workspace();
    let hits = json_hits(&ws);
    let items: Vec<Value> = serde_json::from_str(&export(&ws, "csl-json")).expect("CSL-JSON");
    assert_eq!(items.len(), hits.len());
    let ids: HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "ids are unique");
    for (item, hit) in items.iter().zip(&hits) {
        assert_eq!(item["title"], hit["title"]);
        assert_eq!(item["issued"]["date-parts"][0][0], hit["year"]);
    }
    let kita = items
        .iter()
        .find(|i| i["title"].as_str().unwrap().starts_with("Kita"))
        .unwrap();
    assert_eq!(kita["type"], "report");
    assert_eq!(
        kita["author"],
        serde_json::json!([
            {"literal": "Bertelsmann Stiftung"},
            {"family": "Gesemann", "given": "Frank"}
        ])
    );
    let fes = items
        .iter()
        .find(|i| i["title"] == "So gelingt Integration vor Ort!")
        .unwrap();
    assert_eq!(fes["id"], "gesemann2017integration");
    assert_eq!(
        fes["author"][1],
        serde_json::json!({"family": "Roth", "given": "Roland"})
    );
}

#[test]
fn bibtex_has_an_entry_per_hit_with_balanced_braces() {
    let ws = workspace();
    let hits = json_hits(&ws);
    let text = export(&ws, "bibtex");
    let entries: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(entries.len(), hits.len(), "{text}");
    let mut keys = HashSet::new();
    for entry in &entries {
        let mut lines = entry.lines();
        let head = lines.next().unwrap();
        let (kind, key) = head
            .strip_prefix('@')
            .and_then(|h| h.strip_suffix(','))
            .and_then(|h| h.split_once('{'))
            .unwrap_or_else(|| panic!("not an entry head: {head}"));
        assert!(
            ["techreport", "article", "book", "misc"].contains(&kind),
            "{head}"
        );
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key}");
        assert!(keys.insert(key.to_string()), "duplicate key {key}");
        let fields: Vec<&str> = lines.collect();
        assert_eq!(fields.last(), Some(&"}"), "{entry}");
        for field in &fields[..fields.len() - 1] {
            let (name, value) = field.trim().split_once(" = ").expect(field);
            assert!(name.chars().all(|c| c.is_ascii_lowercase()), "{field}");
            let value = value.strip_suffix(',').expect(field);
            assert!(value.starts_with('{') && value.ends_with('}'), "{field}");
            let mut depth = 0i32;
            for c in value.chars() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                assert!(depth >= 0, "{field}");
            }
            assert_eq!(depth, 0, "{field}");
        }
    }
    assert!(
        text.contains(
            "@techreport{bertelsmann2019kitaplaetze,\n  \
             author = {{Bertelsmann Stiftung} and Gesemann, Frank},\n  \
             title = {{Kitaplätze für Geflüchtete: 50 \\% fehlen}},\n  \
             institution = {{Bertelsmann Stiftung}},\n  year = {2019},\n  type = {Studie},\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("@techreport{gesemann2017integration,\n"),
        "{text}"
    );
}

#[test]
fn ris_has_a_record_per_hit_and_an_au_per_author() {
    let ws = workspace();
    let hits = json_hits(&ws);
    let text = export(&ws, "ris");
    let mut records = Vec::new();
    let mut record: Vec<(String, String)> = Vec::new();
    for line in text.split_terminator("\r\n") {
        let (tag, value) = line.split_once("  - ").expect(line);
        assert!(
            tag.len() == 2
                && tag
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "{line}"
        );
        assert!(!value.contains('\n'), "{line}");
        if record.is_empty() {
            assert_eq!(tag, "TY", "a record starts with TY");
        }
        if tag == "ER" {
            records.push(std::mem::take(&mut record));
        } else {
            record.push((tag.to_string(), value.to_string()));
        }
    }
    assert!(record.is_empty(), "a record without ER");
    assert_eq!(records.len(), hits.len());
    for (record, hit) in records.iter().zip(&hits) {
        let values = |tag: &str| -> Vec<&str> {
            record
                .iter()
                .filter(|(t, _)| t == tag)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(values("TI"), [hit["title"].as_str().unwrap()]);
        assert_eq!(values("AU").len(), hit["authors"].as_array().unwrap().len());
        assert_eq!(values("PY"), [hit["year"].to_string()]);
    }
    let kita = records
        .iter()
        .find(|r| r.iter().any(|(t, v)| t == "TI" && v.starts_with("Kita")))
        .unwrap();
    let authors: Vec<&str> = kita
        .iter()
        .filter(|(t, _)| t == "AU")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(authors, ["Bertelsmann Stiftung", "Gesemann, Frank"]);
    assert_eq!(kita[0], ("TY".to_string(), "RPRT".to_string()));
}

#[test]
fn json_is_format_json() {
    let ws = workspace();
    let json = ws.run(&["search", "Kommunen", "--json"]);
    let format = ws.run(&["search", "Kommunen", "--format", "json"]);
    assert_eq!(json.code(), 0);
    assert_eq!(json.stdout(), format.stdout());
}

#[test]
fn no_hits_write_an_empty_export_and_exit_1() {
    let ws = workspace();
    let csv = ws.run(&["search", "Quxzyplort", "--format", "csv"]);
    assert_eq!(csv.code(), 1);
    assert_eq!(csv.stdout().lines().count(), 1, "the header alone");
    let csl = ws.run(&["search", "Quxzyplort", "--format", "csl-json"]);
    assert_eq!(csl.code(), 1);
    assert_eq!(csl.stdout().trim(), "[]");
    let bibtex = ws.run(&["search", "Quxzyplort", "--format", "bibtex"]);
    assert_eq!(bibtex.code(), 1);
    assert_eq!(bibtex.stdout(), "");
}

#[test]
fn names_a_wrong_format() {
    let ws = workspace();
    let run = ws.run(&["search", "Integration", "--format", "endnote"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("endnote"), "{}", run.stderr());
    assert_eq!(run.stdout(), "");
    let run = ws.run(&["search", "Integration", "--json", "--format", "bibtex"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("--json is --format json"),
        "{}",
        run.stderr()
    );
    // After the query, as the other options.
    let run = ws.run(&["search", "Integration", "--format", "ris"]);
    assert!(run.stdout().starts_with("TY  - "), "{}", run.stdout());
}
