//! Related words through the `integra` binary on the seed corpus: derived forms and the
//! thesaurus widen a search (related words only where any word will do), `--exact` turns them off, a `thesaurus.toml` in the index folder
//! adds groups (and a bad one names its line), and `--explain` says which forms matched.

mod util;

use util::{Workspace, hit_ids};

fn indexed() -> Workspace {
    let ws = Workspace::with_seed_corpus();
    let run = ws.run(&["index"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    ws
}

#[test]
fn exact_finds_only_the_words_typed() {
    let ws = indexed();
    // Doc 004 says "Integrationskursen", which Snowball stems apart from "Integrationskurs";
    // doc 003 says "Sprachkurs", a related word of the thesaurus.
    let cases: &[(&[&str], &[&str])] = &[
        (&["Integrationskurs", "--exact"], &["003"]),
        (&["Integrationskurs"], &["003", "004"]),
        // A related word counts in an any-word search, not where all words must occur.
        // (No text says "Orientierungskurs"; doc 003 says "Sprachkurs" and "Deutschkurs".)
        (&["Orientierungskurs", "--any"], &["003"]),
        (&["Orientierungskurs"], &[]),
        (&["Kindertagesstätte", "--exact"], &[]),
        (&["Kindertagesstätte"], &["001", "002"]),
        // A phrase is never expanded.
        (&["\"die Kindertagesstätte\""], &[]),
    ];
    for (args, expected) in cases {
        let mut ids = hit_ids(&ws.search_json(args));
        ids.sort();
        assert_eq!(ids, *expected, "{args:?}");
    }
}

#[test]
fn a_thesaurus_in_the_index_folder_adds_groups_and_a_bad_one_is_named() {
    let ws = indexed();
    assert!(hit_ids(&ws.search_json(&["Kiez"])).is_empty());
    std::fs::write(
        ws.path("index/thesaurus.toml"),
        "[[group]]\nkind = \"related\"\nweight = 0.4\nwords = [\"Kiez\", \"Jugendamt\"]\n",
    )
    .unwrap();
    // A related word counts where any word will do; where all words must occur, it does not
    // stand in for the word.
    assert_eq!(hit_ids(&ws.search_json(&["Kiez", "--any"])), ["000"]);
    assert!(hit_ids(&ws.search_json(&["Kiez"])).is_empty());
    std::fs::write(
        ws.path("index/thesaurus.toml"),
        "[[group]]\nkind = \"synonym\"\nweight = 0.4\nwords = [\"Kiez\", \"Jugendamt\"]\n",
    )
    .unwrap();
    assert_eq!(hit_ids(&ws.search_json(&["Kiez"])), ["000"]);
    std::fs::write(
        ws.path("index/thesaurus.toml"),
        "[[group]]\nkind = \"related\"\nweight = 0.4\nwords = [\"Kiez\"]\n",
    )
    .unwrap();
    let run = ws.run(&["search", "Kiez"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("thesaurus.toml line 4: a group needs at least two words"),
        "{}",
        run.stderr()
    );
    // --exact reads no thesaurus.
    assert_eq!(ws.run(&["search", "Kiez", "--exact"]).code(), 1);
}

#[test]
fn explain_says_which_forms_matched() {
    let ws = indexed();
    let run = ws.run(&[
        "search",
        "Integrationskurs",
        "--any",
        "--explain",
        "--color",
        "never",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stdout = run.stdout();
    assert!(
        stdout.contains("why: Integrationskurs")
            && stdout.contains("inflected \"integrationskurse\""),
        "{stdout}"
    );
    assert!(stdout.contains("related \"Sprachkurs\""), "{stdout}");
    let json = ws.search_json(&["Integrationskurs", "--explain"]);
    let word = &json["hits"][0]["explain"]["words"][0];
    assert_eq!(word["word"], "Integrationskurs");
    assert!(word["score"].as_f64().unwrap() > 0.0, "{json:#}");
    assert!(word["forms"][0]["kind"].is_string(), "{json:#}");
    let plain = ws.search_json(&["Integrationskurs"]);
    assert!(plain["hits"][0].get("explain").is_none(), "{plain:#}");
}
