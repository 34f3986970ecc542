//! `integra serve` in process (tower's `oneshot` on the router) and over a real socket: status
//! codes, the JSON contract, limits, paths that try to leave the corpus, uploads good and bad,
//! the token, escaping, facets and paging on the page, and the OpenAPI description.

#[path = "serve/api.rs"]
mod api;
#[path = "serve/app.rs"]
mod app;
#[path = "serve/openapi.rs"]
mod openapi;
#[path = "serve/page.rs"]
mod page;

use std::process::Command;

use axum::http::StatusCode;
use integra::SearchRequest;
use integra::serve::{Limits, check_bind};

use app::App;

/// The PDF with page labels i, 1, 2 and its text on each page.
const TEX_PDF: &str = "tests/fixtures/pdf/tex.pdf";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[tokio::test]
async fn limits_on_query_url_hits_and_concurrent_searches_are_said() {
    let app = App::new();
    let long = "Integration ".repeat(90);
    let message = app
        .get(&format!("/api/search?q={}", long.replace(' ', "+")))
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(
        message.contains("over the limit of 1000 characters"),
        "{message}"
    );
    let huge = format!("/api/search?q=Kita&author={}", "a".repeat(9000));
    let message = app.get(&huge).await.error(StatusCode::URI_TOO_LONG);
    assert!(message.contains("8192 bytes"), "{message}");
    let message = app
        .get("/api/search?q=Kita&limit=5000")
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("limit"), "{message}");
    // The page says the same in HTML.
    let page = app
        .get(&format!("/search?q={}", long.replace(' ', "+")))
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text().contains("1000 characters"));

    let full = App::with(|options| {
        options.limits = Limits {
            concurrent_searches: 0,
            queued_searches: 0,
            ..Limits::default()
        }
    });
    let message = full
        .get("/api/search?q=Kita")
        .await
        .error(StatusCode::TOO_MANY_REQUESTS);
    assert!(message.contains("too many searches"), "{message}");
}

#[tokio::test]
async fn documents_are_served_from_inside_the_corpus_only() {
    let app = App::new();
    let pdf = app.get("/documents/tex.pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(pdf.body, fixture(TEX_PDF));
    let text = app.get("/documents/bericht-01.txt").await;
    assert_eq!(text.headers["content-type"], "text/plain; charset=utf-8");

    // A file beside the corpus, and a link in the corpus leading to it.
    let secret = app.dir.path().join("geheim.txt");
    std::fs::write(&secret, "geheim").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, app.corpus.join("link.txt")).unwrap();
    for attempt in [
        "/documents/../geheim.txt",
        "/documents/%2e%2e/geheim.txt",
        "/documents/%2E%2E%2Fgeheim.txt",
        "/documents/..%5cgeheim.txt",
        "/documents//etc/passwd",
        "/documents/%2Fetc%2Fpasswd",
        "/documents/link.txt",
        "/documents/bericht-01.toml",
        "/documents/nicht-da.txt",
    ] {
        let answer = app.get(attempt).await;
        assert!(
            matches!(
                answer.status,
                StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
            ),
            "{attempt}: {}",
            answer.status
        );
        assert!(
            !answer.text().contains("geheim\n") && answer.text() != "geheim",
            "{attempt}"
        );
    }
}

#[tokio::test]
async fn an_uploaded_pdf_is_stored_with_its_sidecar_and_found() {
    let app = App::new();
    let before = app.server.library().num_documents();
    let answer = app
        .post_multipart(
            "/api/documents",
            Some((
                "../../Studie Sprachförderung.pdf",
                &fixture("tests/fixtures/pdf/libreoffice.pdf"),
            )),
            &[
                ("title", "Sprachförderung in Kitas"),
                ("authors", "Roland Roth\nAnna Muster"),
                ("institutions", "Zentrum für Integration; Stadt Essen"),
                ("year", "2019"),
            ],
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let stored = answer.json();
    assert_eq!(stored["name"], "Studie-Sprachförderung.pdf");
    assert_eq!(stored["documents"], before + 1);
    assert!(app.corpus.join("Studie-Sprachförderung.pdf").is_file());
    let sidecar = std::fs::read_to_string(app.corpus.join("Studie-Sprachförderung.toml")).unwrap();
    assert!(sidecar.contains("Stadt Essen"), "{sidecar}");
    let found = app
        .get("/api/search?q=Sprachf%C3%B6rderung&institution=Stadt+Essen&year=2019")
        .await
        .json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["title"], "Sprachförderung in Kitas");
    assert_eq!(found["hits"][0]["authors"][1], "Anna Muster");

    // The same name again: stored beside it, never over it.
    let again = app
        .post_multipart(
            "/api/documents",
            Some(("Studie Sprachförderung.pdf", &fixture(TEX_PDF))),
            &[],
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
    assert_eq!(again.json()["name"], "Studie-Sprachförderung-2.pdf");
    assert_eq!(
        std::fs::read(app.corpus.join("Studie-Sprachförderung.pdf")).unwrap(),
        fixture("tests/fixtures/pdf/libreoffice.pdf")
    );
}

#[tokio::test]
async fn a_failing_upload_leaves_corpus_and_index_as_they_were() {
    let app = App::new();
    let files = app.corpus_files();
    let documents = app.server.library().num_documents();
    let cases: [(&str, Vec<u8>, StatusCode, &str); 5] = [
        (
            "kaputt.pdf",
            fixture("tests/fixtures/pdf/binary.pdf"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "kaputt.pdf",
        ),
        (
            "verschluesselt.pdf",
            fixture("tests/fixtures/pdf/encrypted-userpw.pdf"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "encrypted",
        ),
        (
            "gescannt.pdf",
            fixture("tests/fixtures/pdf/scanned.pdf"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "scanned",
        ),
        (
            "programm.exe",
            b"MZ\x90\x00".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ".exe",
        ),
        (
            "leer.txt",
            Vec::new(),
            StatusCode::BAD_REQUEST,
            "must not be empty",
        ),
    ];
    for (name, bytes, status, said) in cases {
        let answer = app
            .post_multipart(
                "/api/documents",
                Some((name, &bytes)),
                &[("title", "X")],
                &[],
            )
            .await;
        let message = answer.error(status);
        assert!(message.contains(said), "{name}: {message}");
        assert!(!message.contains(".upload-"), "{name}: {message}");
        assert_eq!(app.corpus_files(), files, "{name}");
        assert_eq!(app.server.library().num_documents(), documents, "{name}");
    }
    let message = app
        .post_multipart(
            "/api/documents",
            Some(("a.txt", b"Text")),
            &[("year", "zwanzig")],
            &[],
        )
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("year"), "{message}");
    let message = app
        .post_multipart("/api/documents", None, &[("title", "X")], &[])
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(message.contains("field file"), "{message}");

    // Over the upload limit: 413, nothing stored.
    let small = App::with(|options| options.limits.upload_bytes = 10_000);
    let files = small.corpus_files();
    let answer = small
        .post_multipart(
            "/api/documents",
            Some(("tex.pdf", &fixture(TEX_PDF))),
            &[],
            &[],
        )
        .await;
    answer.error(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(small.corpus_files(), files);
}

#[tokio::test]
async fn an_upload_while_another_process_writes_is_refused_and_undone() {
    let app = App::new();
    let files = app.corpus_files();
    // Another writer: the index's lock, as `integra index` takes it.
    let lock = integra_lock(&app.index);
    let answer = app
        .post_multipart(
            "/api/documents",
            Some(("neu.txt", b"Neuer Bericht zur Integration")),
            &[],
            &[],
        )
        .await;
    drop(lock);
    let message = answer.error(StatusCode::CONFLICT);
    assert!(message.contains("locked"), "{message}");
    assert_eq!(app.corpus_files(), files);
}

/// Holds the index's lock as a running `integra index` in another process would (the lock
/// file locked, naming that process): a child that indexes slowly enough is hard to arrange.
fn integra_lock(index: &std::path::Path) -> std::fs::File {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(index.join("integra.lock"))
        .unwrap();
    file.try_lock().unwrap();
    write!(file, "1").unwrap();
    file
}

#[tokio::test]
async fn writing_needs_the_token_when_one_was_given() {
    let app = App::with(|options| options.token = Some("s3cret".into()));
    let files = app.corpus_files();
    let body: &[u8] = b"Bericht zur Integration";
    let message = app
        .post_multipart("/api/documents", Some(("a.txt", body)), &[], &[])
        .await
        .error(StatusCode::UNAUTHORIZED);
    assert!(message.contains("token"), "{message}");
    app.post_multipart(
        "/api/documents",
        Some(("a.txt", body)),
        &[],
        &[("authorization", "Bearer falsch")],
    )
    .await
    .error(StatusCode::UNAUTHORIZED);
    let page = app
        .post_multipart(
            "/upload",
            Some(("a.txt", body)),
            &[("token", "falsch")],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.text().contains("id=\"upload-status\""));
    assert_eq!(app.corpus_files(), files);

    let by_header = app
        .post_multipart(
            "/api/documents",
            Some(("a.txt", body)),
            &[],
            &[("authorization", "Bearer s3cret")],
        )
        .await;
    assert_eq!(
        by_header.status,
        StatusCode::CREATED,
        "{}",
        by_header.text()
    );
    let by_field = app
        .post_multipart(
            "/upload",
            Some(("b.txt", body)),
            &[("token", "s3cret")],
            &[],
        )
        .await;
    assert_eq!(by_field.status, StatusCode::CREATED, "{}", by_field.text());
    // The form asks for the token.
    assert!(app.get("/").await.text().contains("name=\"token\""));

    let loopback = "127.0.0.1:7700".parse().unwrap();
    let open = "0.0.0.0:7700".parse().unwrap();
    assert!(check_bind(&loopback, None).is_ok());
    assert!(check_bind(&open, None).unwrap_err().contains("--token"));
    assert!(check_bind(&open, Some("")).is_err());
    assert!(check_bind(&open, Some("s3cret")).is_ok());
}

#[test]
fn the_server_refuses_to_start_on_an_open_address_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_integra"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0"])
        .current_dir(dir.path())
        .env_remove("INTEGRA_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0.0.0.0:0") && stderr.contains("--token"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_document_by_its_id_and_the_stats() {
    let app = App::new();
    let hit = &app.get("/api/search?q=Bericht+3&limit=1").await.json()["hits"][0];
    let path = hit["path"].as_str().unwrap();
    let encoded: String = path
        .split('/')
        .map(|p| p.replace(' ', "%20"))
        .collect::<Vec<_>>()
        .join("/");
    let document = app.get(&format!("/api/documents{encoded}")).await;
    assert_eq!(document.status, StatusCode::OK, "{}", document.text());
    let document = document.json();
    assert_eq!(document["title"], hit["title"]);
    assert_eq!(document["path"], path);
    assert!(
        document["snippet"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Bericht")
    );
    let stats = app.get("/api/stats").await.json();
    assert_eq!(stats["documents"], app.server.library().num_documents());
    let library = app.server.library();
    assert_eq!(
        library
            .search(&SearchRequest::new("Integration"))
            .unwrap()
            .total,
        app.get("/api/search?q=Integration").await.json()["total"]
    );
}

#[test]
fn serves_over_a_real_socket_and_prints_its_url() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "Integration in Kommunen").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_integra"))
        .args([
            "serve", "--port", "0", "--index", "index", "--corpus", "corpus",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("integra serve: http://")
        .unwrap_or_else(|| panic!("{line}"));
    let address = url.trim_end_matches('/');
    let http = |request: Vec<u8>| {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(&request).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let search = format!(
        "GET /api/search?q=Kommunen HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    );
    let upload = |name: &str, bytes: &[u8]| {
        let boundary = "b0undary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = format!(
            "POST /api/documents HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
             Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(&body);
        http(request)
    };
    let found = http(search.clone().into_bytes());
    // Read in a worker process, as the CLI reads untrusted files: a bad PDF is refused there.
    let bad = upload("kaputt.pdf", &fixture("tests/fixtures/pdf/truncated.pdf"));
    let files = std::fs::read_dir(&corpus).unwrap().count();
    let good = upload("neu.pdf", &fixture(TEX_PDF));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(found.starts_with("HTTP/1.1 200"), "{found}");
    assert!(found.contains("\"total\":1"), "{found}");
    assert!(bad.starts_with("HTTP/1.1 422"), "{bad}");
    assert!(bad.contains("kaputt.pdf"), "{bad}");
    assert_eq!(files, 1);
    assert!(good.starts_with("HTTP/1.1 201"), "{good}");
    assert!(
        good.contains("\"title\":\"Arbeitsmarktintegration von Geflüchteten\""),
        "{good}"
    );
    assert!(corpus.join("neu.pdf").is_file());
}

#[tokio::test]
async fn a_file_copied_into_the_corpus_is_found_without_an_upload() {
    let app = App::new();
    let _watcher = integra::serve::watch_corpus(std::sync::Arc::clone(&app.server)).unwrap();
    std::fs::write(
        app.corpus.join("kopiert.txt"),
        "Ehrenamtliche Lotsinnen begleiten Geflüchtete",
    )
    .unwrap();
    let mut total = serde_json::Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        total = app.get("/api/search?q=Lotsinnen").await.json()["total"].clone();
        if total == 1 {
            break;
        }
    }
    assert_eq!(total, 1);
    std::fs::remove_file(app.corpus.join("kopiert.txt")).unwrap();
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        total = app.get("/api/search?q=Lotsinnen").await.json()["total"].clone();
        if total == 0 {
            break;
        }
    }
    assert_eq!(total, 0);
}

#[tokio::test]
async fn a_document_removed_through_the_api_leaves_corpus_and_index() {
    let app = App::with(|options| options.token = Some("s3cret".into()));
    let path = app
        .corpus
        .join("bericht-03.txt")
        .to_string_lossy()
        .into_owned();
    let delete = |token: Option<&str>, id: &str| {
        let mut request = axum::http::Request::delete(format!("/api/documents{id}"));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.body(axum::body::Body::empty()).unwrap()
    };
    let files = app.corpus_files();
    app.send(delete(None, &path))
        .await
        .error(StatusCode::UNAUTHORIZED);
    assert_eq!(app.corpus_files(), files);
    let message = app
        .send(delete(Some("s3cret"), "/nirgends.txt"))
        .await
        .error(StatusCode::NOT_FOUND);
    assert!(message.contains("nirgends.txt"), "{message}");

    // Locked by another writer: refused, the files back where they were.
    let lock = integra_lock(&app.index);
    app.send(delete(Some("s3cret"), &path))
        .await
        .error(StatusCode::CONFLICT);
    drop(lock);
    assert_eq!(app.corpus_files(), files);

    let documents = app.server.library().num_documents();
    let answer = app.send(delete(Some("s3cret"), &path)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["documents"], documents - 1);
    assert!(!app.corpus.join("bericht-03.txt").exists());
    assert!(!app.corpus.join("bericht-03.toml").exists());
    assert_eq!(app.corpus_files().len(), files.len() - 2);
    let found = app.get("/api/search?q=Bericht+3&limit=20").await.json();
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["path"] != path.as_str()),
        "{found}"
    );
}
