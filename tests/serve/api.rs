//! The JSON API in process: `/api/search` against the CLI's `--json`, exports and switches,
//! and errors that name what was wrong.

use std::process::Command;

use axum::http::StatusCode;

use super::app::App;

#[tokio::test]
async fn api_search_answers_what_the_cli_prints_with_json() {
    let app = App::new();
    let api = app
        .get("/api/search?q=Integration+Kommunen&institution=DESI&year=2014..2018&passages=2&limit=3&offset=1&facets=5")
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    assert!(
        api.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let cli = Command::new(env!("CARGO_BIN_EXE_integra"))
        .args([
            "search",
            "Integration",
            "Kommunen",
            "--institution",
            "DESI",
            "--year",
            "2014..2018",
        ])
        .args([
            "--passages",
            "2",
            "--limit",
            "3",
            "--offset",
            "1",
            "--facets",
            "5",
            "--json",
        ])
        .arg("--index")
        .arg(&app.index)
        .arg("--corpus")
        .arg(&app.corpus)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(api.json(), cli);
    assert_eq!(cli["hits"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn api_search_exports_hits_and_takes_the_cli_switches() {
    let app = App::new();
    let bibtex = app.get("/api/search?q=Integration&format=bibtex").await;
    assert_eq!(bibtex.status, StatusCode::OK, "{}", bibtex.text());
    let kind = bibtex.headers["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("application/x-bibtex"), "{kind}");
    assert!(
        bibtex.text().trim_start().starts_with('@'),
        "{}",
        bibtex.text()
    );
    let csv = app
        .get("/api/search?q=Integration&format=csv&limit=3")
        .await;
    assert_eq!(
        csv.text().lines().count(),
        4,
        "a header and three hits: {}",
        csv.text()
    );
    let wrong = app.get("/api/search?q=Integration&format=xml").await;
    assert!(wrong.error(StatusCode::BAD_REQUEST).contains("'xml'"));
    let explained = app
        .get("/api/search?q=Integration&explain=true")
        .await
        .json();
    assert!(explained["hits"][0]["explain"].is_object(), "{explained}");
    let plain = app.get("/api/search?q=Integration").await.json();
    assert!(plain["hits"][0].get("explain").is_none(), "{plain}");
    // Exact takes the words as typed, so it finds no more than the search with related words.
    let related = app.get("/api/search?q=Kommunen&limit=100").await.json();
    let exact = app
        .get("/api/search?q=Kommunen&limit=100&exact=true")
        .await
        .json();
    assert!(
        related["total"].as_u64() >= exact["total"].as_u64(),
        "{related} {exact}"
    );
    let wrong = app.get("/api/search?q=Kommunen&exact=maybe").await;
    assert!(wrong.error(StatusCode::BAD_REQUEST).contains("exact"));
}

#[tokio::test]
async fn api_errors_are_json_with_a_status_and_a_message_naming_what_was_wrong() {
    let app = App::new();
    let message = app.get("/api/search").await.error(StatusCode::BAD_REQUEST);
    assert!(message.contains("parameter q"), "{message}");
    let message = app
        .get("/api/search?q=Kita&yaer=2016")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("unknown parameter 'yaer'"), "{message}");
    let message = app
        .get("/api/search?q=Kita&year=zwanzig")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("'zwanzig'"), "{message}");
    let message = app
        .get("/api/search?q=Kita&mode=some")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("all or any"), "{message}");
    let message = app
        .get("/api/search?q=%28Kita")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("invalid query '(Kita'"), "{message}");
    let message = app.get("/api/nothing").await.error(StatusCode::NOT_FOUND);
    assert!(message.contains("/api/nothing"), "{message}");
    let message = app
        .get("/api/documents/nowhere.txt")
        .await
        .error(StatusCode::NOT_FOUND);
    assert!(message.contains("nowhere.txt"), "{message}");
}
