//! The seed queries against the seed corpus, through the real binary, and `integra eval` itself.
//!
//! Every line of `tests/fixtures/seed-queries.tsv` is searched with `integra search --json` on
//! a copy of the repository's `corpus/`, and must find the documents it lists.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use integra::eval::{SeedQuery, read_seed_table, seed_doc_id};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn integra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_integra"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the integra binary runs")
}

/// The JSON report of a `--json` run that must succeed.
fn json_report(args: &[&str]) -> serde_json::Value {
    let out = integra(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary copy of the seed corpus with its index built.
struct Seed {
    _dir: tempfile::TempDir,
    corpus: String,
    index: String,
}

impl Seed {
    fn new() -> Seed {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        copy_dir(&root().join("corpus"), &corpus);
        let index = dir.path().join("index");
        let (corpus, index) = (
            corpus.to_str().unwrap().to_string(),
            index.to_str().unwrap().to_string(),
        );
        let out = integra(&["index", "--corpus", &corpus, "--index", &index]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Seed {
            _dir: dir,
            corpus,
            index,
        }
    }

    /// The documents a query finds, best first, by `integra search --json`.
    fn search(&self, query: &str) -> Vec<String> {
        let args = [
            "search",
            "--json",
            "--limit",
            "1000",
            "--index",
            &self.index,
            "--corpus",
            &self.corpus,
            "--",
            query,
        ];
        let out = integra(&args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{query}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| seed_doc_id(hit["path"].as_str().unwrap()))
            .collect()
    }
}

/// What is wrong with the hits of a line; empty if nothing.
fn problems(line: &SeedQuery, hits: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let missing: Vec<&str> = line
        .must_match
        .iter()
        .filter(|id| !hits.contains(id))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing {}", missing.join(",")));
    }
    if !line.top1_in.is_empty() && !hits.first().is_some_and(|top| line.top1_in.contains(top)) {
        problems.push(format!(
            "first hit {:?} not in {:?}",
            hits.first(),
            line.top1_in
        ));
    }
    problems
}

fn table() -> Vec<SeedQuery> {
    read_seed_table(&root().join("tests/fixtures/seed-queries.tsv")).unwrap()
}

#[test]
fn seed_queries_find_their_documents() {
    let seed = Seed::new();
    let table = table();
    assert!(table.len() >= 16, "the table has {} lines", table.len());
    let mut failures = Vec::new();
    for line in &table {
        let hits = seed.search(&line.query);
        let problems = problems(line, &hits);
        let verdict = if problems.is_empty() { "pass" } else { "FAIL" };
        println!(
            "{verdict} {} → {hits:?} {}",
            line.query,
            problems.join("; ")
        );
        if !problems.is_empty() {
            failures.push(format!(
                "line {} {}: {}",
                line.line,
                line.query,
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn eval_seed_passes_every_line_and_agrees_with_search() {
    let seed = Seed::new();
    let table_path = root().join("tests/fixtures/seed-queries.tsv");
    let out = integra(&[
        "eval",
        "seed",
        "--json",
        "--table",
        table_path.to_str().unwrap(),
        "--index",
        &seed.index,
        "--corpus",
        &seed.corpus,
    ]);
    let outcomes: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let outcomes = outcomes.as_array().unwrap();
    let table = table();
    assert_eq!(outcomes.len(), table.len());
    for (outcome, line) in outcomes.iter().zip(&table) {
        let hits: Vec<String> = serde_json::from_value(outcome["hits"].clone()).unwrap();
        assert_eq!(hits, seed.search(&line.query), "{}", line.query);
    }
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn eval_seed_prints_what_is_missing() {
    let seed = Seed::new();
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("t.tsv");
    std::fs::write(
        &table,
        "# query\tmust\ttop1\twhat\nKommunalverwaltung\t004\t004\texact\nJugendämter\t000,004\t004\twrong on purpose\n",
    )
    .unwrap();
    let out = integra(&[
        "eval",
        "seed",
        "--table",
        table.to_str().unwrap(),
        "--index",
        &seed.index,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("pass  Kommunalverwaltung"), "{stdout}");
    assert!(
        lines[1].ends_with("wrong on purpose: missing 004; first hit 000 is not in 004"),
        "{stdout}"
    );
    assert_eq!(lines[2], "1 of 2 lines pass");
}

#[test]
fn eval_seed_names_a_missing_table() {
    let out = integra(&["eval", "seed", "--table", "/nonexistent/seed.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: /nonexistent/seed.tsv: "),
        "{stderr}"
    );
}

#[test]
fn eval_xquad_scores_a_small_collection() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    std::fs::write(
        p("docs.jsonl"),
        concat!(
            "{\"id\": \"kita\", \"title\": \"Kitas\", \"text\": \"Kinder Geflüchteter gehen in die Kita.\"}\n",
            "{\"id\": \"arbeit\", \"title\": \"Arbeitsmarkt\", \"text\": \"Geflüchtete finden Arbeit in der Pflege.\"}\n",
            "{\"id\": \"wohnen\", \"title\": \"Wohnen\", \"text\": \"Die Kommunen bringen Geflüchtete unter.\"}\n",
        ),
    )
    .unwrap();
    std::fs::write(
        p("q.tsv"),
        "q1\tWelche Kinder gehen in die Kita?\nq2\tWo finden Geflüchtete Arbeit?\nq3\tWie bringen Kommunen Geflüchtete unter?\n",
    )
    .unwrap();
    std::fs::write(p("q.qrels"), "q1 0 kita 1\nq2 0 arbeit 1\nq3 0 wohnen 1\n").unwrap();
    let args = [
        "eval",
        "xquad",
        "--docs",
        &p("docs.jsonl"),
        "--queries",
        &p("q.tsv"),
        "--qrels",
        &p("q.qrels"),
        "--json",
    ];
    let report = json_report(&args);
    assert_eq!(report["documents"], 3);
    assert_eq!(report["metrics"]["queries"], 3);
    assert_eq!(report["metrics"]["mrr"], 1.0);
    assert_eq!(report["metrics"]["ndcg"], 1.0);

    let mut strict = args[..args.len() - 1].to_vec();
    strict.extend(["--min-ndcg", "1.01"]);
    let out = integra(&strict);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("nDCG@10    1.0000"), "{text}");

    // A baseline builds an index of its own and says which it is.
    let mut baseline = args.to_vec();
    baseline.extend(["--analyzer", "tantivy-german"]);
    let report = json_report(&baseline);
    assert_eq!(report["analyzer"], "tantivy-german");
    assert_eq!(report["metrics"]["queries"], 3);
    baseline.push("--no-decompound");
    let out = integra(&baseline);
    assert_eq!(out.status.code(), Some(2), "two analyzers at once");
}

/// The German XQuAD paragraphs, when the shared evaluation data is beside the repository:
/// ranking quality must not fall below what was measured (see benches/README.md).
#[test]
fn xquad_paragraphs_rank_well() {
    let shared = root().join("../shared/eval");
    if !shared.join("xquad-de.docs.jsonl").is_file() {
        eprintln!("skipped: no {}", shared.display());
        return;
    }
    let s = |name: &str| shared.join(name).to_str().unwrap().to_string();
    let report = json_report(&[
        "eval",
        "xquad",
        "--docs",
        &s("xquad-de.docs.jsonl"),
        "--queries",
        &s("xquad-de.queries.tsv"),
        "--qrels",
        &s("xquad-de.qrels"),
        "--json",
    ]);
    let metrics = &report["metrics"];
    assert_eq!(metrics["queries"], 1190);
    let (ndcg, mrr) = (
        metrics["ndcg"].as_f64().unwrap(),
        metrics["mrr"].as_f64().unwrap(),
    );
    println!("xquad-de paragraphs: nDCG@10 {ndcg:.4}, MRR@10 {mrr:.4}");
    assert!(
        ndcg >= 0.945 && mrr >= 0.935,
        "nDCG@10 {ndcg}, MRR@10 {mrr}"
    );
}
