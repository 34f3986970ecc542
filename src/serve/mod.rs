//! `integra serve`: the search page and the JSON API over HTTP, behind the `serve` feature.
//!
//! [`router`] builds the axum router of a [`Server`]: the page (`/`, `/search`, server-rendered
//! with maud, no JavaScript needed), the documents of the corpus (`/documents/…`, only files
//! inside it), uploads (`/upload`, `POST /api/documents`) and the JSON API (`/api/search`,
//! `/api/stats`, `/api/documents/{id}`, `/api/openapi.json`). Searches run on tokio's blocking
//! threads, at most [`Limits::concurrent_searches`] at once; writes (uploads, and a corpus
//! changed by other means, picked up by [`watch_corpus`]) take one mutex, so the server is one
//! writer, and the index's own lock keeps other processes out.
//!
//! The CLI (`integra serve`) only parses options, binds the socket and runs [`run`].

mod api;
mod documents;
mod error;
mod lang;
mod page;
mod params;
mod remove;
mod templates;
mod upload;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};
use crate::{IndexOptions, Library};

pub use error::ApiError;
pub use params::API_SEARCH_PARAMETERS;
pub use watch::{absolute, is_corpus_change, watch_corpus};

/// The routes of the JSON API, method and path, as the OpenAPI description names them.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/search"),
    ("GET", "/api/stats"),
    ("GET", "/api/documents/{id}"),
    ("DELETE", "/api/documents/{id}"),
    ("POST", "/api/documents"),
    ("GET", "/api/openapi.json"),
];

/// The OpenAPI 3 description of the JSON API, served at `/api/openapi.json`; a test holds it
/// to the router.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Limits on what one request may ask of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes, other than an upload.
    pub body_bytes: usize,
    /// The largest upload, in bytes (the file and its fields).
    pub upload_bytes: usize,
    /// The longest query, in characters.
    pub query_chars: usize,
    /// The longest query string of a URL, in bytes (414 beyond it).
    pub url_bytes: usize,
    /// Searches that run at once (at least one); more wait for one to end.
    pub concurrent_searches: usize,
    /// Searches that may wait for a turn; beyond them a search is answered 429 at once.
    pub queued_searches: usize,
    /// The most hits one API request may ask for (`limit`).
    pub hits_per_request: usize,
    /// The most passages a hit may carry (`passages`).
    pub passages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 64 * 1024,
            upload_bytes: 100 * 1024 * 1024,
            query_chars: 1000,
            url_bytes: 8 * 1024,
            concurrent_searches: 8,
            queued_searches: 256,
            hits_per_request: 1000,
            passages: 20,
        }
    }
}

/// What a server serves and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The corpus folder: documents are served from it and uploads stored in it.
    pub corpus: PathBuf,
    /// The token that writing (upload, removal) needs, as `Authorization: Bearer` or a `token` form
    /// field; `None`: writing needs none (only allowed on a loopback address).
    pub token: Option<String>,
    /// The limits on requests.
    pub limits: Limits,
    /// How uploads and changed files are indexed (extraction in worker processes, time and
    /// size limits).
    pub index_options: IndexOptions,
}

/// A running server's shared state: the open library and what the handlers need.
pub struct Server {
    library: Arc<Library>,
    /// The corpus folder, canonical (links resolved).
    corpus: PathBuf,
    options: ServeOptions,
    /// Admission to the search queue: a search that gets no permit is answered 429.
    admitted: Semaphore,
    /// The searches that run at once.
    running: Semaphore,
    /// One writer at a time: an upload and the corpus watcher take it to index.
    writer: std::sync::Mutex<()>,
}

impl Server {
    /// A server over `library` (opened or created by the caller) with its corpus folder.
    ///
    /// # Errors
    /// [`Error::Io`] if the corpus folder does not exist or is not a folder.
    pub fn new(library: Library, options: ServeOptions) -> Result<Server> {
        let corpus = options
            .corpus
            .canonicalize()
            .map_err(|e| Error::io(&options.corpus, e))?;
        if !corpus.is_dir() {
            return Err(Error::io(
                &options.corpus,
                std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
            ));
        }
        let limits = options.limits;
        Ok(Server {
            library: Arc::new(library),
            corpus,
            admitted: Semaphore::new(limits.concurrent_searches + limits.queued_searches),
            running: Semaphore::new(limits.concurrent_searches.max(1)),
            writer: std::sync::Mutex::new(()),
            options,
        })
    }

    /// The open library.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The corpus folder, canonical.
    pub fn corpus(&self) -> &Path {
        &self.corpus
    }

    /// Runs `search` on a blocking thread once a search may run: 429 when the queue is full.
    async fn search<T: Send + 'static>(
        &self,
        search: impl FnOnce(&Library) -> Result<T> + Send + 'static,
    ) -> std::result::Result<T, ApiError> {
        let _admitted = self
            .admitted
            .try_acquire()
            .map_err(|_| ApiError::too_many_searches())?;
        let _running = self
            .running
            .acquire()
            .await
            .map_err(|_| ApiError::too_many_searches())?;
        let library = Arc::clone(&self.library);
        tokio::task::spawn_blocking(move || search(&library))
            .await
            .map_err(|e| ApiError::internal(format!("the search stopped: {e}")))?
            .map_err(ApiError::from)
    }

    /// Runs `write` on a blocking thread holding the writer mutex.
    async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        write: impl FnOnce(&Server) -> std::result::Result<T, ApiError> + Send + 'static,
    ) -> std::result::Result<T, ApiError> {
        let server = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _writer = server
                .writer
                .lock()
                .map_err(|_| ApiError::internal("an earlier write failed".into()))?;
            write(&server)
        })
        .await
        .map_err(|e| ApiError::internal(format!("the write stopped: {e}")))?
    }

    /// Whether a write request carries the token, if one is needed.
    fn may_write(&self, given: Option<&str>) -> bool {
        match &self.options.token {
            None => true,
            Some(token) => given.is_some_and(|given| constant_time_eq(given, token)),
        }
    }
}

/// Compares two strings in a time that depends on their lengths only.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The router of `server`: every route of the page and the API.
pub fn router(server: Arc<Server>) -> Router {
    let limits = server.options.limits;
    let uploads = Router::new()
        .route("/upload", post(page::upload))
        .route("/api/documents", post(api::upload))
        .layer(DefaultBodyLimit::max(limits.upload_bytes));
    Router::new()
        .route("/", get(page::search))
        .route("/search", get(page::search))
        .route("/documents/{*path}", get(documents::serve))
        .route("/api/search", get(api::search))
        .route("/api/stats", get(api::stats))
        .route(
            "/api/documents/{*id}",
            get(api::document).delete(api::remove),
        )
        .route("/api/openapi.json", get(api::openapi))
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .merge(uploads)
        .fallback(error::not_found)
        .with_state(server)
}

/// Checks that writing is guarded where it must be: on an address other than loopback, a
/// token is needed.
///
/// # Errors
/// A message naming the address, if it is not loopback and there is no token.
pub fn check_bind(address: &SocketAddr, token: Option<&str>) -> std::result::Result<(), String> {
    if address.ip().is_loopback() || token.is_some_and(|t| !t.is_empty()) {
        Ok(())
    } else {
        Err(format!(
            "{address} is reachable from other machines: give --token so that only those who \
             know it can upload (or bind to 127.0.0.1)"
        ))
    }
}

/// Serves `server` on `listener` until `shutdown` completes, watching the corpus for changes
/// made by other means (as `integra watch` does) while it runs.
///
/// # Errors
/// [`Error::Io`] if serving fails.
pub async fn run(
    server: Arc<Server>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let address = listener
        .local_addr()
        .map_err(|e| Error::io(&server.corpus, e))?;
    let watcher = watch_corpus(Arc::clone(&server));
    if let Err(err) = &watcher {
        eprintln!(
            "warning: cannot watch {} for changes: {err}",
            server.corpus.display()
        );
    }
    axum::serve(listener, router(server))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::io(PathBuf::from(address.to_string()), e))?;
    drop(watcher);
    Ok(())
}
