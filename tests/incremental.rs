//! Incremental, atomic and concurrent indexing (issue 4), against the real `integra` binary
//! and the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use integra::{Document, IndexOptions, Library, Metadata, SearchRequest};

/// A temporary folder with a copy of the seed corpus in `corpus/` and room for `index/`.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(seed).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
        }
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        std::fs::write(self.path(relative), content).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_integra"));
        command.args(args).current_dir(self.dir.path());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `integra index`, which must succeed; its summary line.
    fn index(&self, extra: &[&str]) -> String {
        let mut args = vec!["index"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }

    /// `integra search --json`: the parsed results.
    fn search(&self, query: &str, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["search", query, "--json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(out.status.code() != Some(2), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn hits(&self, query: &str) -> u64 {
        self.search(query, &[])["total"].as_u64().unwrap()
    }

    /// Starts `integra index` in the background and waits until it holds the index's lock.
    fn start_index(&self, corpus: &str) -> Child {
        let mut child = self
            .command(&["index", "--corpus", corpus])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lock = self.path("index/integra.lock");
        let holder = format!("integra index (pid {})", child.id());
        let deadline = Instant::now() + Duration::from_secs(120);
        while std::fs::read_to_string(&lock).ok().as_deref() != Some(holder.as_str()) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "integra index ended before it was seen holding the lock"
            );
            assert!(
                Instant::now() < deadline,
                "integra index never took the lock"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        child
    }

    /// A JSON Lines file big enough that indexing it takes a while: every line has the word
    /// `Quokkaforschung`.
    fn write_large_corpus(&self, relative: &str, lines: usize) {
        std::fs::create_dir_all(self.path(relative).parent().unwrap()).unwrap();
        let mut file = std::io::BufWriter::new(std::fs::File::create(self.path(relative)).unwrap());
        let words = [
            "Integration",
            "Kommune",
            "Sprachkurs",
            "Arbeitsmarkt",
            "Wohnung",
            "Schule",
            "Ehrenamt",
            "Behörde",
            "Aufenthalt",
            "Beratung",
        ];
        for i in 0..lines {
            let text: Vec<String> = (0..80)
                .map(|j| format!("{}{}", words[(i + j) % words.len()], (i * 7 + j) % 1000))
                .collect();
            let line = serde_json::json!({
                "id": format!("rede-{i}"),
                "title": format!("Rede {i}"),
                "year": 2000 + (i % 25),
                "text": format!("Quokkaforschung {}", text.join(" ")),
            });
            writeln!(file, "{line}").unwrap();
        }
        file.flush().unwrap();
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn first_run_adds_every_file_and_second_reads_none() {
    let ws = Workspace::new();
    let first = ws.index(&[]);
    assert!(
        first.starts_with("added 5, updated 0, removed 0, unchanged 0; read 5 of 5 files"),
        "{first}"
    );
    let second = ws.index(&[]);
    assert!(
        second.starts_with("added 0, updated 0, removed 0, unchanged 5; read 0 of 5 files"),
        "{second}"
    );
}

#[test]
fn new_file_is_the_only_one_read_and_is_found() {
    let ws = Workspace::new();
    ws.index(&[]);
    ws.write(
        "corpus/neu.txt",
        "Wombatbeirat\n\nGeflüchtete suchen in Großstädten lange nach einer Wohnung.",
    );
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 1, updated 0, removed 0, unchanged 5; read 1 of 6 files"),
        "{summary}"
    );
    assert_eq!(ws.hits("Wombatbeirat"), 1);
}

#[test]
fn edited_file_loses_its_old_text() {
    let ws = Workspace::new();
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    ws.index(&[]);
    assert_eq!(ws.hits("Wombatbeirat"), 1);
    ws.write("corpus/neu.txt", "Quokkapfad für Geduldete");
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 0, updated 1, removed 0, unchanged 5; read 1 of 6 files"),
        "{summary}"
    );
    assert_eq!(ws.hits("Wombatbeirat"), 0);
    assert_eq!(ws.hits("Quokkapfad"), 1);
}

#[test]
fn deleted_file_is_gone_from_results() {
    let ws = Workspace::new();
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    ws.index(&[]);
    std::fs::remove_file(ws.path("corpus/neu.txt")).unwrap();
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 0, updated 0, removed 1, unchanged 5; read 0 of 5 files"),
        "{summary}"
    );
    assert_eq!(ws.hits("Wombatbeirat"), 0);
}

#[test]
fn an_unchanged_html_or_docx_is_not_read_again_and_a_changed_one_is() {
    let ws = Workspace::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publications");
    for name in ["arbeitsmarkt.html", "wohnen.docx"] {
        std::fs::copy(fixtures.join(name), ws.path(&format!("corpus/{name}"))).unwrap();
    }
    let first = ws.index(&[]);
    assert!(
        first.starts_with("added 7, updated 0, removed 0, unchanged 0; read 7 of 7 files")
            && first
                .trim_end()
                .ends_with("files read: txt 5, docx 1, html 1"),
        "{first}"
    );
    let second = ws.index(&[]);
    assert!(
        second.starts_with("added 0, updated 0, removed 0, unchanged 7; read 0 of 7 files"),
        "{second}"
    );
    let page = std::fs::read_to_string(ws.path("corpus/arbeitsmarkt.html")).unwrap();
    ws.write(
        "corpus/arbeitsmarkt.html",
        page.replacen("Muttersprache", "Quokkasprache", 1),
    );
    let third = ws.index(&[]);
    assert!(
        third.starts_with("added 0, updated 1, removed 0, unchanged 6; read 1 of 7 files")
            && third.trim_end().ends_with("files read: html 1"),
        "{third}"
    );
    assert_eq!(ws.hits("Quokkasprache"), 1);
}

#[test]
fn touched_but_unchanged_file_is_not_rewritten() {
    let ws = Workspace::new();
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    ws.index(&[]);
    // Same content, new modification time.
    std::thread::sleep(Duration::from_millis(20));
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 0, updated 0, removed 0, unchanged 6"),
        "{summary}"
    );
}

#[test]
fn edited_sidecar_changes_facets() {
    let ws = Workspace::new();
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    ws.write(
        "corpus/neu.toml",
        "year = 1999\nauthors = [\"Erika Muster\"]\n",
    );
    ws.index(&[]);
    let facets = |ws: &Workspace| ws.search("Wombatbeirat", &[])["facets"].clone();
    assert_eq!(facets(&ws)["years"][0]["value"], "1999");
    ws.write(
        "corpus/neu.toml",
        "year = 2001\nauthors = [\"Max Muster\"]\n",
    );
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 0, updated 1, removed 0, unchanged 5; read 1 of 6 files"),
        "{summary}"
    );
    let after = facets(&ws);
    assert_eq!(after["years"].as_array().unwrap().len(), 1);
    assert_eq!(after["years"][0]["value"], "2001");
    assert_eq!(after["authors"][0]["value"], "Max Muster");
    assert_eq!(ws.search("Wombatbeirat", &["--year", "1999"])["total"], 0);
}

#[test]
fn json_lines_are_written_line_by_line() {
    let ws = Workspace::new();
    let line = |id: &str, text: &str| format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n");
    ws.write(
        "corpus/reden.jsonl",
        [
            line("a", "Tapirpate"),
            line("b", "Dingokita"),
            line("c", "Kiwikurs"),
        ]
        .concat(),
    );
    ws.index(&[]);
    ws.write(
        "corpus/reden.jsonl",
        [
            line("a", "Tapirpate"),
            line("b", "Lemurschule"),
            line("d", "Koalabrief"),
        ]
        .concat(),
    );
    let summary = ws.index(&[]);
    assert!(
        summary.starts_with("added 1, updated 1, removed 1, unchanged 6; read 1 of 6 files"),
        "{summary}"
    );
    assert_eq!(ws.hits("Dingokita"), 0);
    assert_eq!(ws.hits("Kiwikurs"), 0);
    assert_eq!(ws.hits("Lemurschule"), 1);
    assert_eq!(ws.hits("Koalabrief"), 1);
    assert_eq!(ws.hits("Tapirpate"), 1);
}

#[test]
fn unreadable_file_is_skipped_and_keeps_its_documents() {
    let ws = Workspace::new();
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    ws.index(&[]);
    // Binary data: a text in a legacy encoding would be decoded and read.
    ws.write("corpus/neu.txt", b"Wohnungs\0\0\0\x01suche");
    let out = ws.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("neu.txt"), "{}", stderr(&out));
    assert!(stdout(&out).contains("skipped 1"), "{}", stdout(&out));
    assert_eq!(ws.hits("Wombatbeirat"), 1);
    // Fixed, it is read again.
    ws.write("corpus/neu.txt", "Quokkapfad");
    ws.index(&[]);
    assert_eq!(ws.hits("Wombatbeirat"), 0);
    assert_eq!(ws.hits("Quokkapfad"), 1);
}

#[test]
fn rebuild_starts_from_scratch() {
    let ws = Workspace::new();
    ws.index(&[]);
    let summary = ws.index(&["--rebuild"]);
    assert!(
        summary
            .starts_with("added 5, updated 0, removed 0, unchanged 0; read 5 of 5 files (rebuilt)"),
        "{summary}"
    );
    assert_eq!(ws.hits("Integration"), 5);
}

/// Rewrites the versions recorded in the index's last commit, as an older integra would have
/// written them.
fn set_analyzer_version(index: &Path, version: u32) {
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["analyzer_version"] = version.into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(meta_path, meta.to_string()).unwrap();
}

#[test]
fn incompatible_index_is_rebuilt_by_index_and_refused_by_search() {
    let ws = Workspace::new();
    ws.index(&[]);
    set_analyzer_version(&ws.path("index"), 0);
    let out = ws.run(&["search", "Integration"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("run 'integra index --rebuild'"),
        "{}",
        stderr(&out)
    );
    let out = ws.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("rebuilding it"), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("added 5,"), "{}", stdout(&out));
    assert_eq!(ws.hits("Integration"), 5);
}

#[test]
fn killed_run_leaves_the_last_commit_and_the_next_run_finishes() {
    let ws = Workspace::new();
    ws.index(&[]);
    ws.write_large_corpus("corpus/gross/reden.jsonl", 20_000);
    let mut child = ws.start_index("corpus");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // The index opens and answers with what was committed before: all of the large file or
    // none of it, never a part.
    assert_eq!(ws.hits("Integration"), 5);
    let partial = ws.hits("Quokkaforschung");
    assert!(partial == 0 || partial == 20_000, "{partial}");
    let summary = ws.index(&[]);
    assert!(
        summary.contains("(20005 documents in the index)"),
        "{summary}"
    );
    assert_eq!(ws.hits("Quokkaforschung"), 20_000);
}

#[test]
fn second_index_run_fails_naming_the_first() {
    let ws = Workspace::new();
    ws.index(&[]);
    ws.write_large_corpus("corpus/gross/reden.jsonl", 20_000);
    let first = ws.start_index("corpus");
    let second = ws.run(&["index"]);
    let pid = first.id();
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(second.status.code(), Some(2));
    let message = stderr(&second);
    assert!(
        message.contains(&format!(
            "the index at ./index is locked by integra index (pid {pid})"
        )),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn search_works_during_an_index_run_and_sees_its_documents_after() {
    let ws = Workspace::new();
    ws.index(&[]);
    ws.write_large_corpus("corpus/gross/reden.jsonl", 20_000);
    let child = ws.start_index("corpus");
    let during = ws.run(&["search", "Integration", "--json"]);
    let finished = child.wait_with_output().unwrap();
    assert!(finished.status.success(), "{}", stderr(&finished));
    assert!(during.status.success(), "{}", stderr(&during));
    let during: serde_json::Value = serde_json::from_slice(&during.stdout).unwrap();
    assert!(during["total"].as_u64().unwrap() >= 5);
    assert_eq!(ws.hits("Quokkaforschung"), 20_000);
}

fn document(path: &str, id: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        path: path.into(),
        metadata: Metadata::default(),
        text: text.into(),
        pages: Vec::new(),
    }
}

#[test]
fn library_adds_replaces_and_deletes_single_documents() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::create(dir.path()).unwrap();
    let search = |query: &str| library.search(&SearchRequest::new(query)).unwrap().total;

    let report = library
        .add_documents(&[
            document("notizen", "1", "Wombatbeirat in Großstädten"),
            document("notizen", "2", "Sprachförderung in Kitas"),
        ])
        .unwrap();
    assert_eq!((report.added, report.total), (2, 2));
    assert_eq!(search("Wombatbeirat"), 1);

    let report = library
        .add_documents(&[
            document("notizen", "1", "Quokkapfad"),
            document("notizen", "2", "Sprachförderung in Kitas"),
        ])
        .unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (0, 1, 1));
    assert_eq!(search("Wombatbeirat"), 0);
    assert_eq!(search("Quokkapfad"), 1);

    let report = library
        .delete_documents(&["notizen#2", "notizen#unbekannt"])
        .unwrap();
    assert_eq!((report.removed, report.total), (1, 1));
    assert_eq!(search("Sprachförderung"), 0);
}

#[test]
fn library_documents_outlive_corpus_runs() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("a.txt"), "Integrationskurse").unwrap();
    let library = Library::create(index.path()).unwrap();
    let options = IndexOptions::default();
    library
        .index_corpus(corpus.path(), &options, &mut |_| {})
        .unwrap();
    library
        .add_documents(&[document("notizen", "1", "Wombatbeirat")])
        .unwrap();
    std::fs::write(corpus.path().join("b.txt"), "Sprachförderung").unwrap();
    let report = library
        .index_corpus(corpus.path(), &options, &mut |_| {})
        .unwrap();
    assert_eq!((report.added, report.removed, report.read), (1, 0, 1));
    assert_eq!(report.total, 3);
    let found = library.search(&SearchRequest::new("Wombatbeirat")).unwrap();
    assert_eq!(found.total, 1);
}

#[test]
fn interrupted_run_commits_nothing_and_releases_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::create(dir.path()).unwrap();
    let other = Library::open(dir.path()).unwrap();
    // As if Ctrl-C had been pressed before the first document: the run rolls back and
    // releases the lock, so the next write succeeds.
    let interrupt = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("a.txt"), "Integrationskurse").unwrap();
    let options = IndexOptions {
        interrupt: Some(interrupt),
        ..Default::default()
    };
    let err = library
        .index_corpus(corpus.path(), &options, &mut |_| {})
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "interrupted: nothing of this run was committed"
    );
    assert_eq!(other.stats().unwrap().documents, 0);
    let report = other
        .add_documents(&[document("notizen", "1", "Wombatbeirat")])
        .unwrap();
    assert_eq!(report.added, 1);
}

/// The lines a child process prints, as they come.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Waits for a line that contains `needle`, and returns it.
fn wait_for(lines: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(err) => panic!("no line with '{needle}': {err}"),
        }
    }
}

/// A child process that is killed when dropped, also when the test fails.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_indexes_a_new_file_and_reports_the_batch() {
    let ws = Workspace::new();
    let mut child = KillOnDrop(
        ws.command(&["watch", "--debounce", "100"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut child.0;
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    let first = wait_for(&out, "added");
    assert!(first.starts_with("added 5,"), "{first}");
    wait_for(&err, "watching");
    ws.write("corpus/neu.txt", "Wombatbeirat in Großstädten");
    let batch = wait_for(&out, "added");
    assert!(
        batch.starts_with("added 1, updated 0, removed 0, unchanged 5; read 1 of 6 files"),
        "{batch}"
    );
    assert_eq!(ws.hits("Wombatbeirat"), 1);
    std::fs::remove_file(ws.path("corpus/neu.txt")).unwrap();
    let batch = wait_for(&out, "removed 1");
    assert!(
        batch.starts_with("added 0, updated 0, removed 1"),
        "{batch}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn watch_help_has_examples() {
    let ws = Workspace::new();
    let help = stdout(&ws.run(&["watch", "--help"]));
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("integra watch --corpus"), "{help}");
}
