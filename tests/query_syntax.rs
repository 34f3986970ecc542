//! The query language through the real binary: `-word` anywhere in the arguments, `OR`, `AND`,
//! `NOT` and parentheses, `prefix*`, the limits on a query, and what `integra search` says when
//! nothing matches or the page is past the end. The documents are made here.

mod util;

use serde_json::Value;
use util::Workspace;

/// A workspace whose corpus is one JSON Lines file of short texts, indexed.
fn indexed() -> Workspace {
    let ws = Workspace::empty();
    let lines = [
        (
            "roth-2016",
            "Roland Roth",
            2016,
            "Die Kommunen tragen die Integration der Geflüchteten.",
        ),
        (
            "gesemann-2017",
            "Frank Gesemann",
            2017,
            "Die Kommunen planen den Haushalt.",
        ),
        (
            "roth-2017",
            "Roland Roth",
            2017,
            "Die kommunale Verwaltung baut eine Kita.",
        ),
        (
            "weber-2018",
            "Anna Weber",
            2018,
            "Die Schule und die Integration im Dorf.",
        ),
    ];
    let jsonl: String = lines
        .iter()
        .map(|(id, author, year, text)| {
            format!(
                "{{\"id\": \"{id}\", \"authors\": [\"{author}\"], \"year\": {year}, \"text\": \"{text}\"}}\n"
            )
        })
        .collect();
    ws.write("corpus/docs.jsonl", jsonl);
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    ws
}

/// The ids of the hits of a `--json` answer, sorted.
fn ids(results: &Value) -> Vec<String> {
    let mut ids: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn minus_word_excludes_anywhere_in_the_arguments() {
    let ws = indexed();
    for args in [
        &["Kommunen", "-Integration"][..],
        &["-Integration", "Kommunen"],
        &["Kommunen", "-Integration", "--limit", "5"],
        &["--limit", "5", "Kommunen", "-Integration"],
        &["Kommunen", "--limit=5", "-Integration"],
        &["Kommunen -Integration"],
    ] {
        let results = ws.search_json(args);
        assert_eq!(ids(&results), ["gesemann-2017"], "{args:?}");
        let query = results["query"].as_str().unwrap();
        assert!(
            ["Kommunen -Integration", "-Integration Kommunen"].contains(&query),
            "{args:?}: {query}"
        );
    }
}

#[test]
fn options_after_the_query_are_options() {
    let ws = indexed();
    let results = ws.search_json(&["Kommunen", "--author", "Roth", "--limit", "1"]);
    assert_eq!(results["total"], 1);
    assert_eq!(results["query"], "Kommunen");
    // Repeated options add to those before the query; --any after it counts.
    let results = ws.search_json(&[
        "--author",
        "Gesemann",
        "Kommunen",
        "Integration",
        "--author",
        "Roth",
        "--any",
    ]);
    assert_eq!(ids(&results), ["gesemann-2017", "roth-2016"]);
    // After `--` everything is query.
    let results = ws.search_json(&["Kommunen", "--", "--limit"]);
    assert_eq!(results["query"], "Kommunen --limit");
    // A bad option after the query is clap's error, as before it.
    let run = ws.run(&["search", "Integration", "--year", "zwanzig"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("invalid value 'zwanzig' for '--year"),
        "{}",
        run.stderr()
    );
    let run = ws.run(&["search", "Integration", "--limit"]);
    assert_eq!(run.code(), 2, "{}", run.stdout());
    for help in ["--help", "-h"] {
        let run = ws.run(&["search", "Integration", help]);
        assert_eq!(run.code(), 0, "{help}");
        assert!(run.stdout().contains("Usage:"), "{help}: {}", run.stdout());
    }
}

#[test]
fn or_and_not_and_parentheses_combine_words() {
    let ws = indexed();
    let cases: &[(&[&str], &[&str])] = &[
        (&["Haushalt OR Kita"], &["gesemann-2017", "roth-2017"]),
        (&["Kommunen AND Integration"], &["roth-2016"]),
        (&["Kommunen NOT Integration"], &["gesemann-2017"]),
        (&["Integration", "NOT", "Dorf"], &["roth-2016"]),
        (
            &["(Haushalt OR Integration) Kommunen"],
            &["gesemann-2017", "roth-2016"],
        ),
        (
            &["Kommunen Haushalt OR Integration"],
            &["gesemann-2017", "roth-2016"],
        ),
        (&["-(Kommunen OR Kita)"], &["weber-2018"]),
        (&["Kita OR Schule AND Dorf"], &["roth-2017", "weber-2018"]),
        // Lower case, they are words: "oder" is a function word, "nicht" is not.
        (&["Haushalt oder Kita"], &[]),
    ];
    for &(args, expected) in cases {
        assert_eq!(ids(&ws.search_json(args)), expected, "{args:?}");
    }
}

#[test]
fn a_star_finds_the_words_that_begin_with_it() {
    let ws = indexed();
    let results = ws.search_json(&["Kommun*"]);
    assert_eq!(ids(&results), ["gesemann-2017", "roth-2016", "roth-2017"]);
    let results = ws.search_json(&["Kommun*", "-Integr*"]);
    assert_eq!(ids(&results), ["gesemann-2017", "roth-2017"]);
    // The snippet marks the words the prefix matched.
    let run = ws.run(&["search", "kommun*", "Kita"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout()
            .contains("Die **kommunale** Verwaltung baut eine **Kita**."),
        "{}",
        run.stdout()
    );
    for query in ["*", "K*", "Kommunen *"] {
        let run = ws.run(&["search", query]);
        assert_eq!(run.code(), 2, "{query}");
        assert!(
            run.stderr()
                .contains("needs at least 2 letters before the '*', as in Integr*"),
            "{}",
            run.stderr()
        );
    }
}

#[test]
fn misplaced_operators_and_parentheses_get_a_clear_message() {
    let ws = indexed();
    for (query, says) in [
        ("Kommunen OR", "'OR' needs a word or a group on each side"),
        ("AND Kommunen", "'AND' needs a word or a group on each side"),
        ("Kommunen NOT", "'NOT' needs a word or a group after it"),
        ("(Kommunen OR Kita", "a '(' is not closed: add a ')'"),
        ("Kommunen OR Kita)", "a ')' has no '(' before it"),
    ] {
        let run = ws.run(&["search", query]);
        assert_eq!(run.code(), 2, "{query}: {}", run.stdout());
        let err = run.stderr();
        assert!(
            err.contains(&format!("invalid query '{query}': {says}")),
            "{err}"
        );
    }
}

#[test]
fn a_query_over_the_limits_is_refused_naming_the_limit() {
    let ws = indexed();
    let long = "Kommunen ".repeat(200);
    let run = ws.run(&["search", &long]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("it is 1800 characters long, and a query may have at most 1000"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().len() < 300, "{}", run.stderr());
    let words: Vec<&str> = std::iter::repeat_n("Kita", 65).collect();
    let mut args = vec!["search", "--any"];
    args.extend(&words);
    let run = ws.run(&args);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("it has 65 words, and a query may have at most 64"),
        "{}",
        run.stderr()
    );
}

#[test]
fn no_match_names_the_filters_and_how_to_widen_the_search() {
    let ws = indexed();
    let run = ws.run(&[
        "search",
        "Integration",
        "--author",
        "Roland Roth",
        "--year",
        "2017..2018",
    ]);
    assert_eq!(run.code(), 1);
    assert_eq!(
        run.stdout(),
        "no documents match \"Integration\" with the filters --author \"Roland Roth\" \
         --year 2017..2018\nhint: drop a filter\n"
    );
    let run = ws.run(&["search", "Haushalt Kita", "--year", "2017.."]);
    assert_eq!(run.code(), 1);
    assert_eq!(
        run.stdout(),
        "no documents match \"Haushalt Kita\" with the filters --year 2017..\nhint: drop a \
         filter or use --any to find documents with any of the words\n"
    );
    let run = ws.run(&["search", "Haushalt", "Kita"]);
    assert_eq!(
        run.stdout(),
        "no documents match \"Haushalt Kita\"\nhint: use --any to find documents with any of \
         the words\n"
    );
    let run = ws.run(&["search", "Quantenphysik"]);
    assert_eq!(run.stdout(), "no documents match \"Quantenphysik\"\n");
}

#[test]
fn an_offset_past_the_end_says_so() {
    let ws = indexed();
    let run = ws.run(&["search", "Kommun*", "--offset", "20"]);
    assert_eq!(run.code(), 0);
    assert!(
        run.stdout()
            .starts_with("3 documents match \"Kommun*\", none after --offset 20\n"),
        "{}",
        run.stdout()
    );
}

#[test]
fn help_lists_the_query_syntax() {
    let ws = Workspace::empty();
    let run = ws.run(&["search", "--help"]);
    assert_eq!(run.code(), 0);
    let help = run.stdout();
    for says in [
        "-word may stand anywhere",
        "OR, AND and NOT in upper case",
        "groups in parentheses",
        "Integr*",
        "at most 1000 characters and 64 words",
        "integra search Kommunen -Integration",
    ] {
        assert!(help.contains(says), "{says}: {help}");
    }
}
