//! `GET /documents/{path}`: a file of the corpus, for the browser to open, and never a file
//! outside it.
//!
//! The path is taken apart before it is looked up: a `..`, an absolute path, an empty or
//! hidden part is refused; the joined path is then canonicalized (links resolved) and must
//! still lie inside the corpus folder and be a file of a format the indexer reads (so neither
//! a sidecar nor an index kept inside the corpus is served).

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::Server;
use super::error::ApiError;
use crate::corpus::Format;

/// What is escaped in a path segment of a link: all but unreserved characters.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'=')
    .add(b'\'');

/// The link that opens a document's file, `/documents/<path inside the corpus>`, if the file
/// lies inside the corpus; `#page=N` is added for a PDF when `page` is given.
pub fn link(corpus: &Path, path: &str, page: Option<u32>) -> Option<String> {
    let inside = Path::new(path).strip_prefix(corpus).ok()?;
    let mut url = String::from("/documents");
    for part in inside.components() {
        let Component::Normal(part) = part else {
            return None;
        };
        url.push('/');
        url.extend(utf8_percent_encode(&part.to_string_lossy(), SEGMENT));
    }
    if let Some(page) = page
        && is_pdf(path)
    {
        url.push_str(&format!("#page={page}"));
    }
    Some(url)
}

/// Whether a path names a PDF, which browsers open at `#page=N`.
pub fn is_pdf(path: &str) -> bool {
    path.to_lowercase().ends_with(".pdf")
}

/// The file inside `corpus` (canonical) that `requested` names, or why there is none.
pub fn resolve(corpus: &Path, requested: &str) -> Result<PathBuf, ApiError> {
    let refused = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document {requested} in the corpus"),
        )
    };
    let mut relative = PathBuf::new();
    for part in requested.split('/') {
        let part_path = Path::new(part);
        match part_path.components().next() {
            Some(Component::Normal(name))
                if part_path.components().count() == 1
                    && !name.to_string_lossy().starts_with('.')
                    && !part.contains('\\')
                    && !part.contains('\0') =>
            {
                relative.push(name)
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "the document path {requested} is not a path inside the corpus"
                )));
            }
        }
    }
    let file = corpus
        .join(&relative)
        .canonicalize()
        .map_err(|_| refused())?;
    if !file.starts_with(corpus) || !file.is_file() || Format::of(&file).is_none() {
        return Err(refused());
    }
    Ok(file)
}

/// The media type of a file of the corpus, by its ending.
fn content_type(path: &Path) -> &'static str {
    let name = path.to_string_lossy().to_lowercase();
    let ending = name.rsplit('.').next().unwrap_or_default();
    match ending {
        "pdf" => "application/pdf",
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "epub" => "application/epub+zip",
        "jsonl" => "application/jsonl",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// The handler: the file's bytes with its media type, or 400/404 as JSON.
pub async fn serve(
    State(server): State<Arc<Server>>,
    UrlPath(requested): UrlPath<String>,
) -> Response {
    let file = match resolve(&server.corpus, &requested) {
        Ok(file) => file,
        Err(err) => return err.into_response(),
    };
    let bytes = match tokio::fs::read(&file).await {
        Ok(bytes) => bytes,
        Err(err) => {
            return ApiError::new(
                StatusCode::NOT_FOUND,
                format!("cannot read {requested}: {err}"),
            )
            .into_response();
        }
    };
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // A document's own HTML runs no script and reaches nothing of the server's origin.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_escape_each_part_and_open_a_pdf_at_its_page() {
        let corpus = Path::new("/data/corpus");
        assert_eq!(
            link(corpus, "/data/corpus/Studien 2016/a&b #1.pdf", Some(3)).as_deref(),
            Some("/documents/Studien%202016/a%26b%20%231.pdf#page=3")
        );
        assert_eq!(
            link(corpus, "/data/corpus/x.txt", Some(3)).as_deref(),
            Some("/documents/x.txt")
        );
        assert_eq!(link(corpus, "/elsewhere/x.txt", None), None);
    }

    #[test]
    fn refuses_paths_that_leave_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().canonicalize().unwrap();
        std::fs::write(corpus.join("a.txt"), "text").unwrap();
        assert!(resolve(&corpus, "a.txt").is_ok());
        for bad in [
            "../a.txt",
            "/etc/passwd",
            "x/../../a.txt",
            ".hidden",
            "",
            "a//b",
        ] {
            assert!(resolve(&corpus, bad).is_err(), "{bad}");
        }
    }
}
