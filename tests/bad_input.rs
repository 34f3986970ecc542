//! Bad input is reported with file and line, skipped, and everything else is indexed.

mod util;

use util::{Workspace, hit_ids};

#[test]
fn a_malformed_sidecar_is_reported_with_its_line_and_costs_only_its_metadata() {
    let ws = Workspace::with_seed_corpus();
    ws.write(
        "corpus/kaputt.txt",
        "Kaputte Metadaten\n\nIntegration im Zwetschgenhain.",
    );
    ws.write(
        "corpus/kaputt.toml",
        "title = \"Kaputt\"\nauthors = []\nyear = \"zweitausend\"\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains(
            "warning: metadata in ./corpus/kaputt.toml line 3: year must be a number; \
             the text is indexed without this sidecar's metadata"
        ),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout()
            .contains("added 6, updated 0, removed 0, unchanged 0; read 6 of 6 files"),
        "{}",
        run.stdout()
    );
    // The text is found, with the title of its first line, not the sidecar's.
    let results = ws.search_json(&["Zwetschgenhain"]);
    assert_eq!(results["total"], 1);
    assert_eq!(results["hits"][0]["title"], "Kaputte Metadaten");
    // Fixed, the sidecar is read on the next run.
    ws.write("corpus/kaputt.toml", "title = \"Kaputt\"\nyear = 2000\n");
    let fixed = ws.run(&["index"]);
    assert!(fixed.stderr().is_empty(), "{}", fixed.stderr());
    assert_eq!(ws.search_json(&["Zwetschgenhain"])["hits"][0]["year"], 2000);
}

#[test]
fn an_unknown_sidecar_key_is_named_with_the_key_it_likely_means() {
    let ws = Workspace::with_seed_corpus();
    ws.write(
        "corpus/bericht.txt",
        "Bericht\n\nSprachkurse im Zwetschgenhain.",
    );
    ws.write(
        "corpus/bericht.toml",
        "title = \"Bericht\"\nautor = \"Anna Roth\"\nfarbe = \"blau\"\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains(
            "metadata in ./corpus/bericht.toml line 2: unknown key 'autor': did you mean 'authors'? it is ignored"
        ),
        "{err}"
    );
    assert!(
        err.contains("unknown key 'farbe': it is ignored (known: title, authors"),
        "{err}"
    );
    assert_eq!(
        ws.search_json(&["Zwetschgenhain"])["hits"][0]["title"],
        "Bericht"
    );
}

#[test]
fn a_duplicate_json_lines_id_is_reported_with_both_lines() {
    let ws = Workspace::empty();
    ws.write(
        "corpus/reden.jsonl",
        "{\"id\": \"a\", \"text\": \"Erste Rede über Kommunen\"}\n\
         {\"id\": \"b\", \"text\": \"Zweite Rede über Kommunen\"}\n\
         {\"id\": \"a\", \"text\": \"Dritte Rede über Kommunen\"}\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains(
            "corpus/reden.jsonl line 3: id 'a' occurs twice, first on line 1: the first is indexed"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(ws.search_json(&["Kommunen"])["total"], 2);
    assert_eq!(ws.search_json(&["Dritte"])["total"], 0);
}

#[test]
fn help_names_the_query_syntax_and_no_example_needs_files_a_user_lacks() {
    let ws = Workspace::empty();
    let search = ws.run(&["search", "--help"]).stdout();
    for syntax in ["text:", "title:", "author:", "OR", "NOT", "*"] {
        assert!(
            search.contains(syntax),
            "search --help lacks {syntax}: {search}"
        );
    }
    for command in [
        "", "index", "search", "stats", "check", "sources", "watch", "eval",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let help = ws.run(&args).stdout();
        assert!(!help.contains("../shared"), "{command} --help: {help}");
    }
}

#[test]
fn binary_empty_and_unsupported_files_are_skipped() {
    let ws = Workspace::with_seed_corpus();
    ws.write(
        "corpus/bild.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0",
    );
    ws.write("corpus/leer.txt", "  \n\n");
    ws.write(
        "corpus/leer.html",
        "<html><script>nur()</script><nav>Menü</nav></html>",
    );
    ws.write("corpus/folien.pptx", "PK");
    ws.write("corpus/.versteckt.txt", "Geheimnis");
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("bild.txt: not text: binary data? (")
            && err.contains("% of its characters are control characters or undecodable as "),
        "{err}"
    );
    assert!(err.contains("leer.txt: empty file"), "{err}");
    assert!(
        err.contains("leer.html: no text outside scripts, navigation and banners"),
        "{err}"
    );
    assert!(
        err.contains(
            "folien.pptx: not a supported format (.txt, .md, .markdown, .html, .htm, .pdf, .docx, .odt, .epub, .jsonl, .jsonl.gz)"
        ),
        "{err}"
    );
    assert!(!err.contains("versteckt"), "{err}");
    assert!(
        run.stdout().contains("added 5, updated 0"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_text_in_a_legacy_encoding_is_decoded_not_skipped() {
    // Before integra detected encodings, this ISO-8859-1 file was reported as "not valid UTF-8".
    let ws = Workspace::with_seed_corpus();
    ws.write("corpus/latin1.txt", b"Gefl\xfcchtete in der Stadt\n");
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    assert!(
        run.stdout().contains("added 6, updated 0"),
        "{}",
        run.stdout()
    );
    let results = ws.search_json(&["Geflüchtete", "Stadt"]);
    assert_eq!(results["hits"][0]["title"], "Geflüchtete in der Stadt");
}

#[test]
fn bad_json_lines_are_reported_and_the_rest_indexed() {
    let ws = Workspace::empty();
    ws.write(
        "reden.jsonl",
        concat!(
            "{\"id\": \"r1\", \"title\": \"Rede eins\", \"authors\": [\"A. Abgeordnete\"], \"institutions\": [\"SPD\"], \"year\": 2019, \"text\": \"Die Integrationskurse müssen ausgebaut werden.\"}\n",
            "{\"id\": \"r2\", \"text\": \"unterbrochen\n",
            "{\"id\": \"r3\", \"title\": \"Rede drei\", \"year\": \"neunzehn\", \"text\": \"Kommunen\"}\n",
            "[1, 2]\n",
            "{\"id\": \"r5\", \"title\": \"Rede fünf\", \"institutions\": [\"CDU/CSU\"], \"year\": 2021, \"text\": \"Integrationskurse und Kitas in den Kommunen.\"}\n",
        ),
    );
    let run = ws.run(&["index", "--corpus", "reden.jsonl"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(err.contains("reden.jsonl line 2: not valid JSON"), "{err}");
    assert!(
        err.contains("reden.jsonl line 3: year must be a number"),
        "{err}"
    );
    assert!(err.contains("reden.jsonl line 4"), "{err}");
    assert!(
        run.stdout()
            .contains("added 2, updated 0, removed 0, unchanged 0; read 1 of 1 files, skipped 3"),
        "{}",
        run.stdout()
    );
    let results = ws.search_json(&["Integrationskurse"]);
    assert_eq!(results["total"], 2);
    let ids: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"r1") && ids.contains(&"r5"), "{ids:?}");
    // A slash inside a facet value (CDU/CSU) is a value, not a path.
    let cdu = ws.search_json(&["Kommunen", "--institution", "CDU/CSU"]);
    assert_eq!(cdu["total"], 1);
    assert_eq!(cdu["facets"]["institutions"][0]["value"], "CDU/CSU");
}

#[test]
fn a_file_that_turns_bad_keeps_what_was_indexed_from_it() {
    let ws = Workspace::with_seed_corpus();
    assert_eq!(ws.run(&["index"]).code(), 0);
    let before = hit_ids(&ws.search_json(&["Kommunalverwaltung"]));
    assert_eq!(before[0], "004");
    // The file becomes unreadable as text: it is reported, and its old version stays found.
    ws.write(
        "corpus/004_bd03cfe80e7f044f.txt",
        b"\0\0\x01\x02 kaputt \x03\x04\0\0",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("004_bd03cfe80e7f044f.txt: not text: binary data?"),
        "{}",
        run.stderr()
    );
    assert_eq!(hit_ids(&ws.search_json(&["Kommunalverwaltung"])), before);
    assert_eq!(ws.search_json(&["Integration"])["total"], 5);
}

#[test]
fn a_missing_corpus_is_an_error_naming_it() {
    let ws = Workspace::empty();
    let run = ws.run(&["index", "--corpus", "gibt-es-nicht"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("gibt-es-nicht"), "{}", run.stderr());
}

#[test]
fn markdown_without_sidecar_takes_its_heading_as_title() {
    let ws = Workspace::empty();
    ws.write(
        "corpus/notiz.md",
        "# Sprachkurse im Landkreis\n\nDie Volkshochschule bietet Sprachkurse an.",
    );
    assert_eq!(ws.run(&["index"]).code(), 0);
    let results = ws.search_json(&["Volkshochschule"]);
    assert_eq!(results["hits"][0]["title"], "Sprachkurse im Landkreis");
    assert_eq!(results["hits"][0]["year"], serde_json::Value::Null);
}

/// Copies fixtures of tests/fixtures/publications into the workspace's corpus.
fn copy_publications(ws: &Workspace, names: &[&str]) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publications");
    for name in names {
        let bytes = std::fs::read(from.join(name)).unwrap();
        ws.write(&format!("corpus/{name}"), bytes);
    }
}

#[test]
fn a_file_over_the_size_limit_is_reported_and_the_rest_indexed() {
    let ws = Workspace::with_seed_corpus();
    let mut large = String::from("Großer Bericht\n\n");
    while large.len() < 1_500_000 {
        large.push_str("Integration im Quittenhain. ");
    }
    ws.write("corpus/gross.txt", &large);
    let run = ws.run(&["index", "--max-file-size", "1"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains(
            "corpus/gross.txt: over the size limit: 1.5 MB, the limit is 1.0 MB (--max-file-size)"
        ),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().contains(
            "added 5, updated 0, removed 0, unchanged 0; read 5 of 6 files, skipped 1 (1 over the size limit)"
        ),
        "{}",
        run.stdout()
    );
    assert_eq!(ws.search_json(&["Quittenhain"])["total"], 0);
    // With the default limit (200 MB) it is read.
    let run = ws.run(&["index"]);
    assert!(
        run.stdout()
            .contains("added 1, updated 0, removed 0, unchanged 5"),
        "{}",
        run.stdout()
    );
    assert_eq!(ws.search_json(&["Quittenhain"])["total"], 1);
}

#[test]
fn html_and_office_files_are_read_by_worker_processes() {
    let ws = Workspace::with_seed_corpus();
    copy_publications(
        &ws,
        &[
            "arbeitsmarkt.html",
            "wohnen.docx",
            "ehrenamt.odt",
            "bombe.docx",
        ],
    );
    let run = ws.run(&["index", "--file-timeout", "30"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // A broken file is reported with its path and reason, as read in process.
    assert!(
        run.stderr()
            .contains("corpus/bombe.docx: zip bomb? word/document.xml declares more than"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout()
            .contains("read 9 of 9 files, skipped 1 (1 not a document)"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout()
            .ends_with("; files read: txt 5, docx 1, html 1, odt 1\n"),
        "{}",
        run.stdout()
    );
    for query in ["Ausländerbehörde", "Mietobergrenzen"] {
        assert!(
            ws.search_json(&[query])["total"].as_u64().unwrap() >= 1,
            "{query}"
        );
    }
}

#[test]
fn the_json_report_counts_formats_and_kinds_of_skips() {
    let ws = Workspace::with_seed_corpus();
    ws.write("corpus/leer.html", "<html><script>nur()</script></html>");
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["formats"], serde_json::json!({"txt": 5}));
    assert_eq!(report["skipped"][0]["kind"], "bad_document");
    assert!(
        report["skipped"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("corpus/leer.html"),
        "{report}"
    );
}

// The limit is an address-space limit (setrlimit), which Linux enforces.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_takes_more_memory_than_a_worker_may_have_is_reported_and_the_rest_indexed() {
    let ws = Workspace::with_seed_corpus();
    // Some 20 MB of HTML, whose tree takes far more than 100 MB; the worker itself (integra)
    // starts in much less.
    let mut page = String::from("<html><head><title>Riesig</title></head><body>");
    while page.len() < 20_000_000 {
        page.push_str("<div><p>Integration im <b>Mispelgarten</b>.</p></div>");
    }
    page.push_str("</body></html>");
    ws.write("corpus/riesig.html", &page);
    let library = integra::Library::create(ws.path("index")).unwrap();
    let options = integra::IndexOptions {
        extraction: integra::Extraction::Workers(integra::WorkerCommand {
            memory_limit: 100_000_000,
            ..integra::WorkerCommand::new(env!("CARGO_BIN_EXE_integra"), ["extract-worker"])
        }),
        ..Default::default()
    };
    let report = library
        .index_corpus(ws.path("corpus"), &options, &mut |_| {})
        .unwrap();
    assert_eq!(report.added, 5);
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    let skipped = &report.skipped[0];
    assert_eq!(skipped.kind, integra::SkipKind::ReaderFailed);
    assert!(
        skipped.path.ends_with("corpus/riesig.html")
            && skipped.reason.contains(
                "riesig.html: the reader failed: killed by signal 6 (out of memory or a crash): memory allocation of"
            ),
        "{skipped:?}"
    );
}
