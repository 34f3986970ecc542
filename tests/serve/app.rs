//! A server over a temporary corpus and index, driven in process with tower's `oneshot`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use integra::serve::{Limits, ServeOptions, Server, router};
use integra::{IndexOptions, Library};
use tower::ServiceExt;

/// Reports written for the paging tests: all of them speak of integration.
pub const REPORTS: usize = 14;

/// A workspace with a corpus (the seed corpus, a PDF with page labels and small reports with
/// sidecars), its index and a server over both.
pub struct App {
    pub dir: tempfile::TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
    pub server: Arc<Server>,
    router: Router,
}

/// An answer: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The message of a JSON error, after checking its shape and status.
    pub fn error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        let json = self.json();
        assert_eq!(json["error"]["status"], status.as_u16(), "{json}");
        json["error"]["message"].as_str().unwrap().to_string()
    }
}

fn write_corpus(corpus: &Path) {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(seed).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_name().to_string_lossy().starts_with("README") {
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
        }
    }
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/tex.pdf");
    std::fs::copy(pdf, corpus.join("tex.pdf")).unwrap();
    for i in 0..REPORTS {
        let institution = if i % 2 == 0 {
            "Bertelsmann Stiftung"
        } else {
            "DESI"
        };
        std::fs::write(
            corpus.join(format!("bericht-{i:02}.txt")),
            format!("Bericht {i} zur Integration\n\nKitaplätze für Geflüchtete und Integration in Kommunen, Nummer {i}."),
        )
        .unwrap();
        std::fs::write(
            corpus.join(format!("bericht-{i:02}.toml")),
            format!("title = \"Bericht {i} zur Integration\"\ninstitutions = [\"{institution}\"]\nyear = {}\n", 2014 + i % 6),
        )
        .unwrap();
    }
    // A title that would run a script if it were not escaped.
    std::fs::write(corpus.join("boese.txt"), "Integration und Skripte").unwrap();
    std::fs::write(
        corpus.join("boese.toml"),
        "title = \"<img src=x onerror=alert(1)> Integration\"\nauthors = [\"<b>Fett</b>\"]\n",
    )
    .unwrap();
}

impl App {
    /// The app with the default limits and no token.
    pub fn new() -> App {
        App::with(|_| {})
    }

    /// The app with options changed by `change`.
    pub fn with(change: impl FnOnce(&mut ServeOptions)) -> App {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let index = dir.path().join("index");
        std::fs::create_dir_all(&corpus).unwrap();
        write_corpus(&corpus);
        let library = Library::create(&index).unwrap();
        library
            .index_corpus(&corpus, &IndexOptions::default(), &mut |_| {})
            .unwrap();
        let mut options = ServeOptions {
            corpus: corpus.clone(),
            token: None,
            limits: Limits::default(),
            index_options: IndexOptions::default(),
        };
        change(&mut options);
        let server = Arc::new(Server::new(library, options).unwrap());
        let router = router(Arc::clone(&server));
        App {
            corpus: corpus.canonicalize().unwrap(),
            dir,
            index,
            server,
            router,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Answer {
            status,
            headers,
            body: body.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A `GET` with `Accept-Language`.
    pub async fn get_in(&self, uri: &str, language: &str) -> Answer {
        let request = Request::get(uri)
            .header("accept-language", language)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// A multipart `POST` of `file` (name, bytes) and `fields`, with extra `headers`.
    pub async fn post_multipart(
        &self,
        uri: &str,
        file: Option<(&str, &[u8])>,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let boundary = "integra-test-boundary-7d3f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        if let Some((file_name, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = Request::post(uri).header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// The names of the corpus folder's files, sorted.
    pub fn corpus_files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.corpus)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// The values of `attribute` in the tags of `html` that contain `marker`, in order.
pub fn attributes(html: &str, marker: &str, attribute: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split('<').filter(|tag| tag.contains(marker)) {
        let tag = tag.split('>').next().unwrap_or_default();
        let pattern = format!("{attribute}=\"");
        if let Some(at) = tag.find(&pattern) {
            let rest = &tag[at + pattern.len()..];
            found.push(unescape(rest.split('"').next().unwrap_or_default()));
        }
    }
    found
}

/// The text of the element that starts at the tag containing `marker`, tags left out.
pub fn text_of(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</")?;
    Some(unescape(&rest[start..end.max(start)]))
}

/// What the few entities maud writes stand for.
pub fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
