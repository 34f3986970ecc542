//! Did you mean: corrections of misspelt query words through `Library::search`, on a small
//! library where the right words are frequent and a few correct words are rare.

use integra::{Document, Library, MatchMode, Metadata, SearchRequest, Suggestion};

fn library() -> (tempfile::TempDir, Library) {
    let doc = |id: String, text: &str| Document {
        id: id.clone(),
        path: format!("{id}.txt"),
        metadata: Metadata {
            title: Some("Integration vor Ort".into()),
            ..Metadata::default()
        },
        text: text.into(),
        pages: Vec::new(),
    };
    let mut documents: Vec<Document> = (0..25)
        .map(|i| {
            doc(
                format!("bericht-{i}"),
                "Die Integration der Flüchtlinge in den Kommunen braucht ein Integrationskonzept, \
                 Sprachförderung und die Unterbringung der Asylbewerber.",
            )
        })
        .collect();
    // Rare words, each with a neighbour one edit away that is just as rare.
    documents.push(doc(
        "kiez".into(),
        "Der Kiez und die Kiesgrube am Stadtrand.",
    ));
    documents.push(doc("bahn".into(), "Die Bahnhofsmission hilft am Bahnhof."));
    let dir = tempfile::tempdir().unwrap();
    let library = Library::create(dir.path().join("index")).unwrap();
    library.add_documents(&documents).unwrap();
    (dir, library)
}

fn suggestion(library: &Library, query: &str) -> Option<String> {
    let request = SearchRequest::new(query).mode(MatchMode::Any);
    let results = library.search(&request).unwrap();
    results.suggestion.map(|s| s.query)
}

#[test]
fn corrects_typos_in_words_and_in_compound_parts() {
    let (_dir, library) = library();
    let cases: &[(&str, Option<&str>)] = &[
        // Simple words: a letter left out, two swapped, one wrong.
        ("Intgration", Some("Integration")),
        ("Integartion", Some("Integration")),
        ("Kommunon", Some("Kommunen")),
        // A typo in the ending, beyond the stem the index holds.
        ("Unterbirngung", Some("Unterbringung")),
        ("Asylbewerbr", Some("Asylbewerber")),
        // Compounds: the whole is in the index, or only its parts.
        ("Integrationskonzpet", Some("Integrationskonzept")),
        ("Flüchtlingsintegartion", Some("Flüchtlingsintegration")),
        ("Sprachfördrung", Some("Sprachförderung")),
        // The user's casing and umlauts stay; operators and prefixes too.
        ("INTGRATION", Some("INTEGRATION")),
        ("intgration", Some("integration")),
        ("Kommunen Intgration", Some("Kommunen Integration")),
        (
            "title:Intgration OR Kommunen",
            Some("title:Integration OR Kommunen"),
        ),
        ("(Intgration)", Some("(Integration)")),
        // Correct words, frequent or rare, are left alone.
        ("Integration Kommunen", None),
        ("Kiez", None),
        ("Kiesgrube", None),
        ("Bahnhofsmission", None),
        // Phrases keep their exact words, excluded words and prefixes are not corrected.
        ("\"Intgration der Flüchtlinge\"", None),
        ("Kommunen -Intgration", None),
        ("Intgr*", None),
        // Short words and words nothing is near.
        ("Kit", None),
        ("Xylophonorchester", None),
    ];
    for (query, expected) in cases {
        assert_eq!(
            suggestion(&library, query).as_deref(),
            *expected,
            "suggestion for {query:?}"
        );
    }
}

#[test]
fn searches_the_correction_when_the_query_finds_nothing() {
    let (_dir, library) = library();
    let results = library
        .search(&SearchRequest::new("Intgration Kommunen"))
        .unwrap();
    assert_eq!(results.query, "Intgration Kommunen");
    // The hits are those of the corrected query.
    let corrected = library
        .search(&SearchRequest::new("Integration Kommunen"))
        .unwrap();
    assert!(corrected.total > 0);
    assert_eq!(results.total, corrected.total);
    assert_eq!(
        results.suggestion,
        Some(Suggestion {
            query: "Integration Kommunen".into(),
            searched: true
        })
    );
    // With hits for the query as typed, the correction is only proposed.
    let request = SearchRequest::new("Intgration Kommunen").mode(MatchMode::Any);
    let results = library.search(&request).unwrap();
    let any = library
        .search(
            &SearchRequest::new("Intgration Kommunen")
                .mode(MatchMode::Any)
                .correct(false),
        )
        .unwrap();
    assert!(any.total > 0);
    assert_eq!(results.total, any.total);
    assert!(!results.suggestion.unwrap().searched);
    // Turned off, the words are taken as typed.
    let request = SearchRequest::new("Intgration Kommunen").correct(false);
    let results = library.search(&request).unwrap();
    assert_eq!((results.total, results.suggestion), (0, None));
    // The JSON contract carries it.
    let results = library.search(&SearchRequest::new("Intgration")).unwrap();
    let json = serde_json::to_value(&results).unwrap();
    assert_eq!(json["suggestion"]["query"], "Integration");
    assert_eq!(json["suggestion"]["searched"], true);
    let results = library.search(&SearchRequest::new("Integration")).unwrap();
    assert!(serde_json::to_value(&results).unwrap()["suggestion"].is_null());
}
