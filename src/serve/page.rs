//! The search page: `GET /` and `GET /search` render the form, the hits, the facets and the
//! paging from the URL's parameters; `POST /upload` stores a document and says when it is
//! searchable.

use std::sync::Arc;

use axum::extract::{Multipart, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::Server;
use super::api::receive;
use super::lang::texts;
use super::params::{PageParams, check_lengths, pairs};
use super::templates;

/// `GET /` and `GET /search`.
pub async fn search(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let texts = texts(&headers);
    let limits = server.options.limits;
    let fail = |status: StatusCode, params: &PageParams, message: &str| {
        (
            status,
            Html(templates::error_page(texts, params, message).into_string()),
        )
            .into_response()
    };
    let empty = PageParams {
        page: 1,
        ..PageParams::default()
    };
    if let Err(err) = check_lengths(raw.as_deref(), &limits) {
        return fail(err.status, &empty, &err.message);
    }
    let params = match PageParams::parse(&pairs(raw.as_deref()), &limits) {
        Ok(params) => params,
        Err(err) => return fail(err.status, &empty, &err.message),
    };
    let results = if params.q.trim().is_empty() {
        None
    } else {
        let request = params.request();
        match server.search(move |library| library.search(&request)).await {
            Ok(results) => Some(results),
            Err(err) => return fail(err.status, &params, &err.message),
        }
    };
    let upload = templates::upload_form(texts, server.options.token.is_some());
    let page = templates::search_page(
        texts,
        server.corpus(),
        &params,
        results.as_ref(),
        server.library().num_documents(),
        upload,
    );
    Html(page.into_string()).into_response()
}

/// `POST /upload`: the form's upload; the page says where the file went, or why it did not.
pub async fn upload(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let texts = texts(&headers);
    let needs_token = server.options.token.is_some();
    match receive(&server, &headers, multipart).await {
        Ok(stored) => {
            let page = templates::upload_status(
                texts,
                Ok((&stored.name, stored.title.as_deref())),
                needs_token,
            );
            (StatusCode::CREATED, Html(page.into_string())).into_response()
        }
        Err(err) => {
            let page = templates::upload_status(texts, Err(&err.message), needs_token);
            (err.status, Html(page.into_string())).into_response()
        }
    }
}
