//! Any text as a user query through `Library::search`, against a tiny index built once: no
//! panic, no error but `Error::InvalidQuery` for the query as given (or its beginning, for one
//! over the length limit), and results that keep their promises (no more hits than asked for,
//! highlights inside their snippet).
//!
//! The bytes are read as lossy UTF-8, as the CLI and a web form hand the library a `String`.
//! Every query is searched with all words and with any word, then once more with a filter and
//! page options picked by a hash of the input, so that a mutation of the query can also change
//! them.
#![no_main]

use std::sync::OnceLock;

use integra::{Document, Error, Library, MatchMode, Metadata, SearchRequest, YearRange};
use libfuzzer_sys::fuzz_target;
use tempfile::TempDir;

/// The index and the folder that holds it, which lives as long as the process.
fn library() -> &'static Library {
    static LIBRARY: OnceLock<(TempDir, Library)> = OnceLock::new();
    let (_, library) = LIBRARY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let library = Library::create(dir.path().join("index")).expect("a new index");
        library
            .add_documents(&documents())
            .expect("the documents are indexed");
        (dir, library)
    });
    library
}

fn documents() -> Vec<Document> {
    let document =
        |id: &str, title: &str, authors: &[&str], institution: &str, year, text: &str| Document {
            id: id.into(),
            path: format!("{id}.txt"),
            metadata: Metadata {
                title: Some(title.into()),
                authors: authors.iter().map(|a| a.to_string()).collect(),
                institutions: vec![institution.into()],
                year: Some(year),
                doc_type: Some("Studie".into()),
                language: Some("de".into()),
                source: None,
            },
            text: text.into(),
            pages: Vec::new(),
        };
    vec![
        document(
            "kommunen",
            "So gelingt Integration vor Ort!",
            &["Frank Gesemann", "Roland Roth"],
            "Friedrich-Ebert-Stiftung",
            2017,
            "Die Kommunen tragen die Integration von Geflüchteten. Sprach- und \
             Integrationskurse, Kitaplätze und die Arbeitsmarktintegration der \
             Migrant:innen stehen im Mittelpunkt.",
        ),
        document(
            "herkunft",
            "Sichere Herkunftsstaaten",
            &["Pro Asyl"],
            "Pro Asyl e.V.",
            2016,
            "Die Liste der sicheren Herkunftsstaaten wurde erweitert; Asylsuchende aus \
             Afghanistan, Syrien und dem Irak sind nicht betroffen. 16.430 Anträge.",
        ),
        document(
            "ehrenamt",
            "Ehrenamt in der Flüchtlingshilfe",
            &["Serhat Karakayali"],
            "Berliner Institut für empirische Integrations- und Migrationsforschung",
            2015,
            "Ehrenamtliche Helfer*innen begleiten Fluechtlinge zu Behörden, in die Kita und \
             zum Deutschkurs. Privatpersonen und -organisationen tragen die Straße entlang.",
        ),
    ]
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data).into_owned();
    let library = library();

    search(library, &SearchRequest::new(query.clone()));
    search(
        library,
        &SearchRequest::new(query.clone()).mode(MatchMode::Any),
    );

    let knobs = data.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let pick = |shift: u32, choices: usize| (knobs >> shift) as usize % choices;
    let mut request = SearchRequest::new(query.clone());
    request.mode = [MatchMode::All, MatchMode::Any][pick(0, 2)];
    request.limit = [0, 1, 3, 10, usize::MAX][pick(1, 5)];
    request.offset = [0, 1, 2, usize::MAX][pick(4, 4)];
    request.facet_limit = [0, 1, 10][pick(6, 3)];
    request.snippet_chars = [0, 1, 20, 240][pick(8, 4)];
    let first_word = query.split_whitespace().next().unwrap_or_default();
    request = match pick(10, 5) {
        0 => request,
        1 => request.author(first_word).author("Gesemann"),
        2 => request.institution(query.clone()),
        3 => match query.parse::<YearRange>() {
            Ok(range) => request.years(range),
            Err(_) => request.years(YearRange {
                from: 2015,
                to: 2016,
            }),
        },
        _ => request
            .author("roth")
            .institution("Stiftung")
            .years(YearRange::year(2017)),
    };
    search(library, &request);
});

fn search(library: &Library, request: &SearchRequest) {
    match library.search(request) {
        Ok(results) => {
            assert!(results.hits.len() <= request.limit, "too many hits");
            assert!(
                results.hits.len() as u64 <= results.total,
                "more hits than matches"
            );
            for hit in &results.hits {
                let snippet = &hit.snippet;
                let mut end_of_last = 0;
                for &[start, end] in &snippet.highlights {
                    assert!(
                        end_of_last <= start
                            && start < end
                            && end <= snippet.text.len()
                            && snippet.text.is_char_boundary(start)
                            && snippet.text.is_char_boundary(end),
                        "bad highlight [{start}, {end}) in {snippet:?}"
                    );
                    end_of_last = end;
                }
                snippet.render("[", "]");
            }
            for facet in [
                &results.facets.authors,
                &results.facets.institutions,
                &results.facets.years,
            ] {
                assert!(facet.iter().all(|v| v.count <= results.total));
            }
        }
        Err(Error::InvalidQuery { query, reason }) => {
            // A query over the length limit is named by its beginning.
            let named = query == request.query
                || query
                    .strip_suffix('…')
                    .is_some_and(|beginning| request.query.starts_with(beginning));
            assert!(named, "the error names another query: {query:?}");
            assert!(!reason.is_empty(), "an invalid query without a reason");
        }
        Err(err) => panic!("unexpected error for {request:?}: {err}"),
    }
}
