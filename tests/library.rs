//! The library API on the shipped German corpus, as an embedding program uses it.

use std::path::Path;

use integra::{
    Document, Error, IndexEvent, IndexOptions, Library, MatchMode, Metadata, SearchRequest,
    YearRange,
};

fn seed_library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let library = Library::create(dir.path().join("index")).unwrap();
    let report = library
        .index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!((report.indexed, report.total), (5, 5), "{report:?}");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    (dir, library)
}

#[test]
fn searches_with_filters_facets_and_snippets() {
    let (_dir, library) = seed_library();
    let results = library
        .search(
            // Exact: with related words, "Flüchtlinge" is marked as well.
            &SearchRequest::new("Geflüchtete")
                .years(YearRange {
                    from: 2017,
                    to: 2018,
                })
                .limit(10)
                .exact(true),
        )
        .unwrap();
    assert!(results.total >= 1);
    for hit in &results.hits {
        let year = hit.year.unwrap();
        assert!((2017..=2018).contains(&year), "{hit:?}");
        for &[a, b] in &hit.snippet.highlights {
            assert!(
                hit.snippet.text[a..b]
                    .to_lowercase()
                    .starts_with("geflüchtet")
            );
        }
    }
    let counted: u64 = results.facets.years.iter().map(|v| v.count).sum();
    assert_eq!(counted, results.total);
}

#[test]
fn reports_progress_events() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let library = Library::create(dir.path().join("index")).unwrap();
    let mut files = 0;
    let mut done = 0;
    library
        .index_corpus(
            &corpus,
            &IndexOptions::default(),
            &mut |event| match event {
                IndexEvent::Discovered { files: n } => files = n,
                IndexEvent::FileDone => done += 1,
                _ => {}
            },
        )
        .unwrap();
    assert_eq!((files, done), (5, 5));
}

#[test]
fn reindexing_the_same_corpus_does_not_duplicate() {
    let (_dir, library) = seed_library();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let report = library
        .index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(report.total, 5);
    let results = library
        .search(&SearchRequest::new("Integration").mode(MatchMode::Any))
        .unwrap();
    assert_eq!(results.total, 5);
}

#[test]
fn results_serialize_to_the_documented_json() {
    let (_dir, library) = seed_library();
    let results = library
        .search(&SearchRequest::new("Kommunalverwaltung"))
        .unwrap();
    let json = serde_json::to_value(&results).unwrap();
    assert_eq!(json["hits"][0]["type"], "Gutachten");
    assert_eq!(json["hits"][0]["authors"][1], "Roland Roth");
    assert!(json["hits"][0]["snippet"]["highlights"][0].is_array());
}

#[test]
fn errors_name_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("kein-index");
    match Library::open(&missing) {
        Err(Error::IndexNotFound { path }) => assert_eq!(path, missing),
        other => panic!("expected IndexNotFound, got {:?}", other.err()),
    }
    let (_dir, library) = seed_library();
    let err = library.search(&SearchRequest::new("title:")).unwrap_err();
    assert!(matches!(err, Error::InvalidQuery { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid query 'title:': 'title:' needs a word or \"phrase\" right after it, as in title:Integration"
    );
}

/// Documents that score the same come in the same order however the index cut its segments:
/// here once in one commit, once one commit per document in the reverse order.
#[test]
fn ties_rank_the_same_whatever_the_segments() {
    let texts = [
        "Integration in Kiel",
        "Integration in Jena",
        "Integration in Ulm",
        "Integration in Hof",
        "Integration in Gera",
        "Integration in Trier",
    ];
    let documents: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| Document {
            id: i.to_string(),
            path: "städte".into(),
            metadata: Metadata::default(),
            text: text.to_string(),
            pages: Vec::new(),
        })
        .collect();
    let ranking = |library: &Library| -> Vec<(String, f32)> {
        let results = library
            .search(&SearchRequest::new("Integration").limit(10))
            .unwrap();
        results.hits.into_iter().map(|h| (h.id, h.score)).collect()
    };

    let one = tempfile::tempdir().unwrap();
    let at_once = Library::create(one.path()).unwrap();
    at_once.add_documents(&documents).unwrap();
    let other = tempfile::tempdir().unwrap();
    let one_by_one = Library::create(other.path()).unwrap();
    for document in documents.iter().rev() {
        one_by_one
            .add_documents(std::slice::from_ref(document))
            .unwrap();
    }

    let first = ranking(&at_once);
    assert_eq!(first.len(), texts.len());
    assert!(
        first.iter().all(|(_, score)| *score == first[0].1),
        "{first:?}"
    );
    assert_eq!(ranking(&one_by_one), first);
}

/// Indexes two sentences with `analyzer` and returns the ids each query finds.
fn found_with(analyzer: integra::AnalyzerChoice, queries: &[&str]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::create_with_analyzer(dir.path().join("index"), analyzer).unwrap();
    let doc = |id: &str, text: &str| Document {
        id: id.to_string(),
        path: "baseline.jsonl".to_string(),
        text: text.to_string(),
        pages: Vec::new(),
        metadata: Metadata::default(),
    };
    library
        .add_documents(&[
            doc(
                "kurs",
                "Die Flüchtlingsintegration beginnt im Sprachkurs der Kommune.",
            ),
            doc("kinder", "Kinder Geflüchteter besuchen die Kita."),
        ])
        .unwrap();
    let index = dir.path().join("index");
    // Only an index of integra's own analyzer opens for a plain search.
    match Library::open(&index) {
        Ok(_) => assert_eq!(analyzer, integra::AnalyzerChoice::Full),
        Err(err) => assert!(matches!(err, Error::IncompatibleIndex { .. }), "{err}"),
    }
    queries
        .iter()
        .map(|q| {
            let results = library.search(&SearchRequest::new(*q)).unwrap();
            results.hits.into_iter().map(|h| h.id).collect()
        })
        .collect()
}

#[test]
fn baselines_index_and_search_with_their_own_tokenizer() {
    use integra::AnalyzerChoice;
    let queries = [
        "Kinder",
        "Kindern",
        "Fluechtlingsintegration",
        "Integration",
    ];
    let found = |analyzer| found_with(analyzer, &queries);
    let ids = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // tantivy's default tokenizer finds the word as it is written and nothing else; the
    // query is analyzed with the same chain, or "Kinder" would not find "Kinder".
    assert_eq!(
        found(AnalyzerChoice::TantivyDefault),
        [ids(&["kinder"]), ids(&[]), ids(&[]), ids(&[])]
    );
    // Its German stemmer adds inflection and "ue" for "ü", but not the compound's parts.
    assert_eq!(
        found(AnalyzerChoice::TantivyGerman),
        [ids(&["kinder"]), ids(&["kinder"]), ids(&["kurs"]), ids(&[])]
    );
    assert_eq!(
        found(AnalyzerChoice::Full),
        [
            ids(&["kinder"]),
            ids(&["kinder"]),
            ids(&["kurs"]),
            ids(&["kurs"])
        ]
    );
}
