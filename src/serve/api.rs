//! The JSON API: `GET /api/search` (the CLI's `--json` contract), `GET /api/stats`,
//! `GET /api/documents/{id}`, `POST /api/documents` and `GET /api/openapi.json`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::params::{api_request, check_lengths, export_format, pairs};
use super::upload::{self, Stored};
use super::{OPENAPI, Server};
use crate::search::SearchOutput;

/// `GET /api/search`: what `integra search --json` prints for the same parameters, or with
/// `format=bibtex|ris|csl-json|csv` what `integra search --format …` prints.
pub async fn search(
    State(server): State<Arc<Server>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let limits = server.options.limits;
    check_lengths(raw.as_deref(), &limits)?;
    let pairs = pairs(raw.as_deref());
    let request = api_request(&pairs, &limits)?;
    let format = export_format(&pairs)?;
    let results = server
        .search(move |library| library.search(&request))
        .await?;
    if let Some(format) = format {
        let body = crate::export::export(&results.hits, format);
        let file = format!("attachment; filename=\"integra.{}\"", format.extension());
        return Ok((
            [
                (header::CONTENT_TYPE, format.media_type().to_string()),
                (header::CONTENT_DISPOSITION, file),
            ],
            body,
        )
            .into_response());
    }
    // The server follows its corpus as it changes, so it says nothing of staleness.
    Ok(Json(SearchOutput {
        results: &results,
        stale: None,
    })
    .into_response())
}

/// `GET /api/stats`: what `integra stats --json` prints.
pub async fn stats(State(server): State<Arc<Server>>) -> Result<Response, ApiError> {
    let stats = server.search(|library| library.stats()).await?;
    Ok(Json(stats).into_response())
}

/// `GET /api/documents/{id}`: one document's metadata and the beginning of its text.
pub async fn document(
    State(server): State<Arc<Server>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let key = id.clone();
    // An absolute path loses its first `/` to the route: `/api/documents/tmp/a.txt`.
    let found = server
        .search(move |library| match library.document(&key)? {
            None if !key.starts_with('/') => library.document(&format!("/{key}")),
            found => Ok(found),
        })
        .await?;
    match found {
        Some(hit) => Ok(Json(hit).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document with the id {id} in the index"),
        )),
    }
}

/// The token a write request carries: `Authorization: Bearer …`, else the form's field.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Reads, checks and stores an upload: what the API and the form share.
pub async fn receive(
    server: &Arc<Server>,
    headers: &HeaderMap,
    multipart: Multipart,
) -> Result<Stored, ApiError> {
    let upload = upload::read(multipart).await?;
    if !server.may_write(bearer(headers)) && !server.may_write(upload.token.as_deref()) {
        return Err(ApiError::unauthorized());
    }
    server
        .write(move |server| upload::store(server, upload))
        .await
}

/// `POST /api/documents`: stores and indexes a file; 201 with where it went.
pub async fn upload(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let stored = receive(&server, &headers, multipart).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// `DELETE /api/documents/{id}`: takes a document's file out of the corpus and the index.
pub async fn remove(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    if !server.may_write(bearer(&headers)) {
        return Err(ApiError::unauthorized());
    }
    let removed = server
        .write(move |server| super::remove::remove(server, &id))
        .await?;
    Ok(Json(removed).into_response())
}

/// `GET /api/openapi.json`: the API's OpenAPI 3 description.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
