//! Passages and facet counts held to what they were: every seed query, in both modes, with
//! three passages per hit, against the seed corpus and two PDFs with pages, compared with
//! `tests/fixtures/search-golden.txt`. The file was written before passages were found from the
//! index's positions instead of by analyzing each hit's text, and written anew (the order of
//! hits only, and the seed table's new queries) when a query naming a subject got half of
//! BM25's length normalization instead of all of it; a change of what a search shows must show
//! up here. `INTEGRA_BLESS=1 cargo test --test snippets` writes it anew after a
//! change meant to alter results (read its diff before committing it).

use std::fmt::Write as _;
use std::path::Path;

use integra::{Document, IndexOptions, Library, MatchMode, Metadata, SearchRequest};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed corpus and two PDFs with page labels, in one folder, indexed.
fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    for pdf in ["libreoffice.pdf", "tex.pdf"] {
        std::fs::copy(
            root().join("tests/fixtures/pdf").join(pdf),
            corpus.join(pdf),
        )
        .unwrap();
    }
    let library = Library::create(dir.path().join("index")).unwrap();
    let report = library
        .index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(report.indexed, 7, "{report:?}");
    (dir, library)
}

/// What a search shows, one line per item: the total, the facet counts, and each hit's id and
/// passages with their pages and marked words.
fn shown(library: &Library, query: &str, mode: MatchMode) -> String {
    // Exact: the words as typed, as before related words and corrections came (which widen a
    // search on purpose, and have tests of their own).
    let request = SearchRequest::new(query)
        .mode(mode)
        .passages(3)
        .limit(10)
        .exact(true);
    let results = library.search(&request).unwrap();
    let mut out = format!("## {query} ({mode:?}): {} found\n", results.total);
    for (name, values) in [
        ("authors", &results.facets.authors),
        ("institutions", &results.facets.institutions),
        ("years", &results.facets.years),
    ] {
        let counts: Vec<String> = values
            .iter()
            .map(|v| format!("{} {}", v.value, v.count))
            .collect();
        writeln!(out, "{name}: {}", counts.join("; ")).unwrap();
    }
    for hit in &results.hits {
        // A file's id is its path, in a temporary folder: its name says which it is.
        writeln!(out, "- {}", hit.id.rsplit('/').next().unwrap_or(&hit.id)).unwrap();
        for passage in &hit.snippets {
            let page = passage.page.as_deref().unwrap_or("-");
            writeln!(out, "  [{page}] {}", passage.render("[", "]")).unwrap();
        }
    }
    out
}

/// Queries blessed beside the seed table's.
const EXTRA: [&str; 4] = [
    "Seite",
    "Integration Kommunen",
    "\"Integration vor Ort\"",
    "Integr*",
];

#[test]
fn passages_and_facet_counts_stay_as_they_were() {
    let (_dir, library) = library();
    let golden = root().join("tests/fixtures/search-golden.txt");
    // The queries are those of the file (each once per mode), so that lines added to the seed
    // table later change nothing here; blessing takes the seed table's queries and a few more.
    let queries: Vec<String> = match std::env::var_os("INTEGRA_BLESS") {
        Some(_) => integra::eval::read_seed_table(&root().join("tests/fixtures/seed-queries.tsv"))
            .unwrap()
            .into_iter()
            .map(|q| q.query)
            .chain(EXTRA.map(String::from))
            .collect(),
        None => std::fs::read_to_string(&golden)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("## ")?.split_once(" (All): "))
            .map(|(query, _)| query.to_string())
            .collect(),
    };
    let mut now = String::new();
    for query in &queries {
        for mode in [MatchMode::All, MatchMode::Any] {
            now += &shown(&library, query, mode);
        }
    }
    if std::env::var_os("INTEGRA_BLESS").is_some() {
        std::fs::write(&golden, &now).unwrap();
    }
    let before = std::fs::read_to_string(&golden).unwrap();
    for (i, (a, b)) in before.lines().zip(now.lines()).enumerate() {
        assert_eq!(a, b, "line {} of {} differs", i + 1, golden.display());
    }
    assert_eq!(before.lines().count(), now.lines().count());
}

#[test]
fn a_match_far_into_a_long_text_gets_its_passage_with_the_part_marked() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::create(dir.path().join("index")).unwrap();
    // 1.5 MB of words before the one match: more than a passage was ever looked for in when
    // each hit's text was analyzed.
    let filler = "Der Ausschuss tagte lange und ohne Ergebnis. ".repeat(34_000);
    let text = format!("{filler}Die Flüchtlingsintegration gelingt vor Ort. {filler}");
    let document = Document {
        id: "lang".into(),
        path: "lang.txt".into(),
        metadata: Metadata::default(),
        text,
        pages: Vec::new(),
    };
    library.add_documents(&[document]).unwrap();
    let results = library.search(&SearchRequest::new("Integration")).unwrap();
    let passage = results.hits[0].snippet.render("[", "]");
    assert!(
        passage.contains("Flüchtlings[integration] gelingt"),
        "{passage}"
    );
}
