//! `integra analyze` and `integra export --analyzed` through the real binary.

mod util;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use util::Workspace;

#[test]
fn analyze_prints_a_table_of_words_parts_and_terms() {
    let ws = Workspace::empty();
    let run = ws.run(&["analyze", "Sprach- und Integrationskurse in Großstädten"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let lines: Vec<Vec<String>> = run
        .stdout()
        .lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        })
        .collect();
    assert_eq!(
        lines[0],
        [
            "POS",
            "BYTES",
            "CHARS",
            "WORD",
            "NORMALIZED",
            "PARTS",
            "TERMS"
        ]
    );
    assert_eq!(
        lines[1],
        [
            "0",
            "0..6",
            "0..6",
            "Sprach-",
            "sprach",
            "sprach, sprachkurs (completed)"
        ]
    );
    assert_eq!(
        lines[3],
        [
            "2",
            "12..29",
            "12..29",
            "Integrationskurse",
            "integrationskurse",
            "integration + kurse",
            "integrationskurs, integration (part), kurs (part)"
        ]
    );
    // Bytes and chars part after the ß and the ä.
    assert_eq!(lines[5][1..3], ["33..46", "33..44"]);
    assert_eq!(lines.len(), 6);
}

#[test]
fn analyze_terms_and_query_side() {
    let ws = Workspace::empty();
    let terms = |args: &[&str]| {
        let mut all = vec!["analyze"];
        all.extend_from_slice(args);
        let run = ws.run(&all);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        run.stdout()
    };
    let text = "Sprach- und Integrationskurse für Migrant*innen";
    assert_eq!(
        terms(&["--terms", text]),
        "sprach sprachkurs und integrationskurs integration kurs fur migrant\n"
    );
    assert_eq!(
        terms(&["--terms", "--query", text]),
        "sprach und integrationskurs fur migrant\n"
    );
    // Nothing to analyze: nothing found, as grep says it.
    assert_eq!(ws.run(&["analyze", "--terms", " ;; "]).code(), 1);
}

#[test]
fn analyze_json_reads_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_integra"))
        .args(["analyze", "--json", "--query", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Flüchtlingsintegration\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["side"], "query");
    let word = &json["words"][0];
    assert_eq!(word["surface"], "Flüchtlingsintegration");
    assert_eq!(word["char_to"], 22);
    assert_eq!(word["byte_to"], 23);
    let terms: Vec<(&str, &str)> = word["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["term"].as_str().unwrap(), t["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        terms,
        [
            ("fluchtlingsintegration", "whole"),
            ("fluchtling", "part"),
            ("integration", "part")
        ]
    );
}

#[test]
fn export_writes_a_json_line_per_document() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    let run = ws.run(&["export", "--analyzed"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records: Vec<Value> = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let stats: Value = serde_json::from_str(&ws.run(&["stats", "--json"]).stdout()).unwrap();
    assert_eq!(records.len() as u64, stats["documents"].as_u64().unwrap());
    for record in &records {
        assert_eq!(record["kind"], "document");
        let terms = record["terms"].as_str().unwrap();
        assert!(
            !terms.is_empty() && !terms.contains(char::is_uppercase),
            "{terms}"
        );
    }
    // Without --analyzed, clap says what is missing.
    let run = ws.run(&["export"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("--analyzed"), "{}", run.stderr());
}

#[test]
fn search_says_did_you_mean_and_searches_the_correction() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    // No hits as typed: the correction is searched, and the first line says so.
    let run = ws.run(&["search", "Integrationsarbiet"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stdout = run.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "no documents match \"Integrationsarbiet\"; showing results for \"Integrationsarbeit\""
    );
    assert!(
        lines[1].starts_with("5 documents match \"Integrationsarbeit\""),
        "{stdout}"
    );
    // Hits as typed: the correction is proposed.
    let run = ws.run(&["search", "--any", "Integrationsarbiet", "Kommunen"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout()
            .starts_with("Did you mean: Integrationsarbeit Kommunen\n"),
        "{}",
        run.stdout()
    );
    // --no-correct takes the words as typed.
    let run = ws.run(&["search", "Integrationsarbiet", "--no-correct"]);
    assert_eq!(run.code(), 1);
    assert!(
        !run.stdout().contains("Integrationsarbeit"),
        "{}",
        run.stdout()
    );
    let json = ws.search_json(&["Integrationsarbiet"]);
    assert_eq!(json["query"], "Integrationsarbiet");
    assert_eq!(json["suggestion"]["query"], "Integrationsarbeit");
    assert_eq!(json["suggestion"]["searched"], true);
    assert!(ws.search_json(&["Integrationsarbeit"])["suggestion"].is_null());
}
