//! The `integra` binary on the shipped German corpus: search, facets, filters, output shapes,
//! exit codes and bad input.

mod util;

use serde_json::Value;
use util::{Workspace, hit_ids};

fn indexed() -> Workspace {
    let ws = Workspace::with_seed_corpus();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    ws
}

#[test]
fn first_search_builds_the_index_and_answers() {
    let ws = Workspace::with_seed_corpus();
    assert!(!ws.path("index/meta.json").exists());
    let run = ws.run(&["search", "Integration Kommunen"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains("building it from ./corpus"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout()
            .contains("5 documents match \"Integration Kommunen\"")
    );
    assert!(ws.path("index/meta.json").exists());
    // The second search finds the index and says nothing on stderr.
    let run = ws.run(&["search", "Integration Kommunen"]);
    assert_eq!(run.stderr(), "");
}

#[test]
fn index_prints_a_summary() {
    let ws = Workspace::with_seed_corpus();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout()
            .contains("added 5, updated 0, removed 0, unchanged 0; read 5 of 5 files, skipped 0"),
        "{}",
        run.stdout()
    );
    let stats = ws.run(&["stats"]);
    assert!(
        stats.stdout().contains("documents:    5"),
        "{}",
        stats.stdout()
    );
}

#[test]
fn hits_are_ranked_with_the_title_match_first() {
    let ws = indexed();
    // 004 holds the exact compound; others hold both its parts ("kommunale Verwaltung") and
    // rank below it.
    let results = ws.search_json(&["Kommunalverwaltung"]);
    assert_eq!(hit_ids(&results)[0], "004", "{results:#}");
    // "Ankommen in Deutschland: Flüchtlingsintegration in Kommunen" is the only title with
    // "Deutschland"; a title match weighs more than mentions in the body.
    let results = ws.search_json(&["Deutschland"]);
    assert_eq!(hit_ids(&results)[0], "003", "{results:#}");
    let scores: Vec<f64> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn json_output_has_the_documented_shape() {
    let ws = indexed();
    let results = ws.search_json(&["Geflüchtete", "--limit", "2"]);
    assert_eq!(results["query"], "Geflüchtete");
    assert!(results["total"].as_u64().unwrap() >= 2);
    let hit = &results["hits"][0];
    for key in [
        "id",
        "title",
        "authors",
        "institutions",
        "year",
        "type",
        "path",
        "score",
        "snippet",
        "snippets",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit:#}");
    }
    assert!(hit["snippet"]["text"].is_string());
    assert!(hit["snippet"]["highlights"].is_array());
    // A text file has no pages; `snippet` is the best of `snippets`, one by default.
    assert!(hit["snippet"]["page"].is_null(), "{hit:#}");
    assert_eq!(hit["snippets"], serde_json::json!([hit["snippet"].clone()]));
    for facet in ["authors", "institutions", "years"] {
        let values = results["facets"][facet].as_array().unwrap();
        for v in values {
            assert!(v["value"].is_string() && v["count"].is_u64(), "{v}");
        }
    }
    assert_eq!(results["hits"].as_array().unwrap().len(), 2);
}

#[test]
fn passages_asks_for_more_passages_of_each_hit() {
    let ws = indexed();
    let results = ws.search_json(&["Kommunen", "--passages", "3", "--limit", "3"]);
    let mut several = 0;
    for hit in results["hits"].as_array().unwrap() {
        let snippets = hit["snippets"].as_array().unwrap();
        assert!((1..=3).contains(&snippets.len()), "{hit:#}");
        assert_eq!(snippets[0], hit["snippet"]);
        for snippet in snippets {
            assert!(
                !snippet["highlights"].as_array().unwrap().is_empty(),
                "{hit:#}"
            );
        }
        let texts: std::collections::HashSet<&str> = snippets
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts.len(), snippets.len(), "passages repeat: {hit:#}");
        several += usize::from(snippets.len() > 1);
    }
    assert!(
        several > 0,
        "no hit with more than one passage: {results:#}"
    );
    let listed = ws.run(&["search", "Kommunen", "--passages", "2", "--limit", "1"]);
    let passages = listed.stdout().lines().filter(|l| l.contains("**")).count();
    assert_eq!(passages, 2, "{}", listed.stdout());
}

#[test]
fn highlights_point_at_the_matched_words() {
    let ws = indexed();
    // Without related words: with them, "Gemeinden" and "Städte" are marked as well.
    let results = ws.search_json(&["Kommunen", "Integration", "--exact"]);
    let mut seen = 0;
    for hit in results["hits"].as_array().unwrap() {
        let text = hit["snippet"]["text"].as_str().unwrap();
        for range in hit["snippet"]["highlights"].as_array().unwrap() {
            let (a, b) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            let marked = text.get(a..b).expect("highlight on char boundaries");
            let lower = marked.to_lowercase();
            assert!(
                lower.contains("kommun") || lower.contains("integration"),
                "highlight {marked:?} in {text:?}"
            );
            seen += 1;
        }
    }
    assert!(seen >= 5, "too few highlights: {results:#}");
}

#[test]
fn piped_output_marks_matches_plainly() {
    let ws = indexed();
    let run = ws.run(&["search", "Willkommenskultur"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout().contains("**Willkommenskultur**"),
        "{}",
        run.stdout()
    );
    assert!(!run.stdout().contains('\x1b'), "no colour codes in a pipe");
}

#[test]
fn facet_counts_add_up() {
    let ws = indexed();
    let results = ws.search_json(&["Integration", "--facets", "0"]);
    let total = results["total"].as_u64().unwrap();
    assert_eq!(total, 5);
    // Every seed document has exactly one year.
    let years: u64 = results["facets"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert_eq!(years, total);
    let count = |facet: &str, value: &str| -> u64 {
        results["facets"][facet]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == value)
            .map_or(0, |v| v["count"].as_u64().unwrap())
    };
    assert_eq!(count("years", "2017"), 2);
    assert_eq!(count("institutions", "Bertelsmann Stiftung"), 2);
    assert_eq!(count("authors", "Roland Roth"), 1);
}

#[test]
fn filters_by_author_institution_and_year() {
    let ws = indexed();
    let ids = |args: &[&str]| hit_ids(&ws.search_json(args));
    let mut by_year = ids(&["Integration", "--year", "2017"]);
    by_year.sort();
    assert_eq!(by_year, ["002", "004"]);
    let mut range = ids(&["Integration", "--year", "2018..2025"]);
    range.sort();
    assert_eq!(range, ["000", "001", "003"]);
    assert_eq!(ids(&["Integration", "--author", "roland roth"]), ["004"]);
    let mut bertelsmann = ids(&["Integration", "--institution", "Bertelsmann Stiftung"]);
    bertelsmann.sort();
    assert_eq!(bertelsmann, ["001", "003"]);
    // OR within a facet, AND across facets.
    let mut either = ids(&[
        "Integration",
        "--institution",
        "Bertelsmann Stiftung",
        "--institution",
        "Friedrich-Ebert-Stiftung",
    ]);
    either.sort();
    assert_eq!(either, ["001", "003", "004"]);
    assert_eq!(
        ids(&[
            "Integration",
            "--institution",
            "Bertelsmann Stiftung",
            "--year",
            "2025"
        ]),
        ["001"]
    );
    // Facet counts are over the filtered matches.
    let filtered = ws.search_json(&["Integration", "--year", "2017"]);
    assert_eq!(filtered["total"], 2);
    assert_eq!(filtered["facets"]["years"][0]["value"], "2017");
}

#[test]
fn an_unknown_author_matches_nothing() {
    let ws = indexed();
    let run = ws.run(&["search", "Integration", "--author", "Niemand Unbekannt"]);
    assert_eq!(run.code(), 1);
    assert!(run.stdout().contains("no documents match"));
}

#[test]
fn any_mode_phrases_and_exclusions() {
    let ws = indexed();
    let all = ws.search_json(&["Jugendamt Cities"]);
    assert_eq!(all["total"], 0);
    let mut any = hit_ids(&ws.search_json(&["--any", "Jugendamt Cities"]));
    any.sort();
    assert_eq!(any, ["000", "003"]);
    let phrase = ws.search_json(&["\"Cities of Migration\""]);
    assert_eq!(hit_ids(&phrase), ["003"]);
    let mut excluded = hit_ids(&ws.search_json(&["Integration -Bertelsmann"]));
    excluded.sort();
    // 000 names the Bertelsmann Stiftung in its text, 001 and 003 are by it.
    assert_eq!(excluded, ["002", "004"]);
    let title = ws.search_json(&["title:Ankommen"]);
    assert_eq!(hit_ids(&title), ["003"]);
}

#[test]
fn paging_with_limit_and_offset() {
    let ws = indexed();
    let all = hit_ids(&ws.search_json(&["Integration", "--limit", "5"]));
    let page2 = hit_ids(&ws.search_json(&["Integration", "--limit", "2", "--offset", "2"]));
    assert_eq!(page2, all[2..4]);
}

#[test]
fn exit_codes_follow_grep() {
    let ws = indexed();
    assert_eq!(ws.run(&["search", "Integration"]).code(), 0);
    assert_eq!(ws.run(&["search", "Quantenchromodynamik"]).code(), 1);
    let run = ws.run(&[
        "search",
        "Integration",
        "--index",
        "nirgendwo",
        "--corpus",
        "fehlt",
    ]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().starts_with("error: "), "{}", run.stderr());
    assert!(
        run.stderr().contains("no corpus at fehlt"),
        "{}",
        run.stderr()
    );
    assert!(
        !ws.path("nirgendwo").exists(),
        "no empty index is left behind"
    );
    assert_eq!(
        ws.run(&["search", "Integration", "--year", "zwanzig"])
            .code(),
        2
    );
}

#[test]
fn malformed_queries_get_a_clear_message() {
    let ws = indexed();
    for (query, says) in [
        ("title:", "'title:' needs a word"),
        ("Integration - Asyl", "a lone '-'"),
        ("?!", "no word that can be searched"),
    ] {
        let run = ws.run(&["search", query]);
        assert_eq!(run.code(), 2, "{query}: {}", run.stdout());
        let err = run.stderr();
        assert!(err.contains(&format!("invalid query '{query}'")), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // An unbalanced quote is read as a phrase to the end of the query.
    let run = ws.run(&["search", "--json", "\"Cities of Migration"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn a_mistyped_option_is_an_error_not_a_query_word() {
    let ws = indexed();
    for (args, says) in [
        (
            &["search", "--mode", "any", "Kita"][..],
            "unknown option '--mode'",
        ),
        (
            &["search", "Kita", "--limt", "3"][..],
            "did you mean '--limit'?",
        ),
    ] {
        let run = ws.run(args);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stdout());
        assert!(run.stderr().contains(says), "{}", run.stderr());
        assert!(run.stdout().is_empty(), "{}", run.stdout());
    }
    // After `--`, such a word is a word of the query.
    let run = ws.run(&["search", "--json", "--", "--Kommune"]);
    assert_ne!(run.code(), 2, "{}", run.stderr());
}

#[test]
fn stats_and_json_stats() {
    let ws = indexed();
    let run = ws.run(&["stats", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stats: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(stats["documents"], 5);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["facets"]["institutions"].as_array().unwrap().len(), 5);
    let run = ws.run(&["stats", "--index", "missing"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("no index at missing"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let ws = indexed();
    let run = ws.run_closing_stdout(&[
        "search",
        "--limit",
        "5",
        "--any",
        "Integration Kommunen Stadt",
    ]);
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn finds_what_a_german_reader_means() {
    let ws = indexed();
    let ids = |q: &str| {
        let mut ids = hit_ids(&ws.search_json(&[q]));
        ids.sort();
        ids
    };
    // "Kitaplätze" (001) and "Kitas" (002) for a query typed in the singular or the plural.
    assert_eq!(ids("Kita"), ["001", "002"]);
    assert_eq!(ids("Kitas"), ["001", "002"]);
    // Umlauts typed as ue, gender forms, and parts of compounds.
    assert_eq!(ids("Fluechtlinge"), ids("Flüchtlinge"));
    assert!(ids("Migrantinnen").contains(&"000".to_string()));
    let run = ws.run(&["search", "Integration", "--limit", "1"]);
    assert!(
        run.stdout().starts_with("5 documents match"),
        "{}",
        run.stdout()
    );
    let run = ws.run(&["search", "Kommunalverwaltung", "title:gelingt"]);
    assert!(
        run.stdout().starts_with("1 document matches"),
        "{}",
        run.stdout()
    );
}

#[test]
fn respelling_the_corpus_path_rewrites_nothing() {
    let ws = indexed();
    let absolute = ws.path("corpus");
    for spelling in ["./corpus", "corpus/", absolute.to_str().unwrap()] {
        let run = ws.run(&["index", "--corpus", spelling]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert!(
            run.stdout()
                .contains("added 0, updated 0, removed 0, unchanged 5"),
            "{spelling}: {}",
            run.stdout()
        );
    }
    // Paths are stored absolute, so that a hit opens from any folder.
    let path = ws.search_json(&["Kommunalverwaltung"])["hits"][0]["path"].clone();
    let path = path.as_str().unwrap();
    assert!(
        path.ends_with("/corpus/004_bd03cfe80e7f044f.txt") && path.starts_with('/'),
        "{path}"
    );
    assert!(std::path::Path::new(path).is_file(), "{path}");
}
