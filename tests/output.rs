//! What reaches the terminal: never a control character from a document, colour as `--color`
//! says, a closed pipe is no error in any mode, the index and corpus can be set once in the
//! environment, and shell completions and a manual page come from the binary.

mod util;

use std::process::Command;

use util::Workspace;

/// A corpus whose title, author and text carry terminal escape sequences.
fn hostile() -> Workspace {
    let ws = Workspace::empty();
    // Enough ordinary text that the file still reads as text, not as binary data.
    let prose = "Die Kommunen tragen die Integration der Geflüchteten vor Ort. ".repeat(8);
    ws.write(
        "corpus/bericht.txt",
        format!(
            "{prose}Kommunen \x1b[31mrot\x1b[0m und \x1b]0;gekapert\x07Integration{}verdreht",
            '\u{202E}'
        ),
    );
    ws.write(
        "corpus/bericht.toml",
        "title = \"Titel \\u001b[2J gelöscht\"\nauthors = [\"Anna \\u001b[5mBlink\"]\n",
    );
    assert_eq!(ws.run(&["index"]).code(), 0);
    ws
}

#[test]
fn control_characters_of_a_document_never_reach_the_terminal() {
    let ws = hostile();
    for color in ["never", "always"] {
        let run = ws.run(&["search", "Kommunen", "--passages", "20", "--color", color]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let out = run.stdout();
        assert!(out.contains("Titel [2J gelöscht"), "{out}");
        assert!(out.contains("Anna [5mBlink"), "{out}");
        assert!(out.contains("[31mrot"), "{out}");
        assert!(out.contains("]0;gekapertIntegrationverdreht"), "{out}");
        assert!(
            !out.contains('\u{202E}') && !out.contains('\x07'),
            "{out:?}"
        );
        // The only escapes are integra's own colours.
        let escapes = out.matches('\x1b').count();
        let own = out.matches("\x1b[").count()
            - out.matches("\x1b[31m").count()
            - out.matches("\x1b[2J").count()
            - out.matches("\x1b[5m").count();
        assert_eq!(escapes, own, "{out:?}");
        assert_eq!(escapes > 0, color == "always", "{out:?}");
    }
    // --json keeps the text as it is: a script gets the document, escaped by JSON.
    let json = ws.search_json(&["Kommunen"]);
    assert!(json["hits"][0]["title"].as_str().unwrap().contains('\x1b'));
}

#[test]
fn a_closed_pipe_is_not_an_error_with_json() {
    let ws = hostile();
    let run = ws.run_closing_stdout(&["search", "--json", "--passages", "100", "Kommunen"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stderr(), "");
}

#[test]
fn the_index_and_corpus_can_be_set_in_the_environment() {
    let ws = Workspace::empty();
    ws.write("studien/a.txt", "Sprachkurse für Geflüchtete in Kommunen");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_integra"))
            .args(args)
            .current_dir(ws.dir.path())
            .env("INTEGRA_INDEX", ws.path("mein-index"))
            .env("INTEGRA_CORPUS", ws.path("studien"))
            .output()
            .unwrap()
    };
    assert!(run(&["index"]).status.success());
    assert!(ws.path("mein-index/meta.json").exists());
    let found = run(&["search", "Geflüchtete"]);
    assert!(found.status.success(), "{found:?}");
    // A flag wins over the environment: the search builds its own index there.
    let elsewhere = run(&["search", "Geflüchtete", "--index", "anderswo"]);
    assert!(elsewhere.status.success(), "{elsewhere:?}");
    assert!(ws.path("anderswo/meta.json").exists());
}

#[test]
fn completions_and_a_manual_page_come_from_the_binary() {
    let ws = Workspace::empty();
    for shell in ["bash", "zsh", "fish"] {
        let run = ws.run(&["completions", shell]);
        assert_eq!(run.code(), 0, "{shell}: {}", run.stderr());
        assert!(
            run.stdout().contains("passages"),
            "{shell}: {}",
            run.stdout()
        );
    }
    let man = ws.run(&["man"]);
    assert_eq!(man.code(), 0, "{}", man.stderr());
    assert!(man.stdout().starts_with(".ie") || man.stdout().contains(".TH integra 1"));
    assert!(
        man.stdout().contains("integra\\-search"),
        "{}",
        &man.stdout()[..400]
    );
}
