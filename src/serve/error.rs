//! Errors of a request, answered as `{"error": {"status": 400, "message": "…"}}` with the
//! matching status code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::Error;

/// What went wrong with a request: its HTTP status and a message naming what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The status code.
    pub status: StatusCode,
    /// The message, lowercase, naming the parameter, query or file.
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    status: u16,
    message: &'a str,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400: a parameter that is wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 500: the server's own failure.
    pub fn internal(message: String) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 429: the search queue is full.
    pub fn too_many_searches() -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many searches at once: try again in a moment",
        )
    }

    /// 401: a write without the token.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writing needs the server's token (Authorization: Bearer TOKEN, or the form field token)",
        )
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        let status = match &err {
            Error::InvalidQuery { .. } | Error::Metadata { .. } => StatusCode::BAD_REQUEST,
            Error::Document { .. }
            | Error::Encrypted { .. }
            | Error::NoTextLayer { .. }
            | Error::ReaderFailed { .. }
            | Error::TimedOut { .. }
            | Error::NoDocuments { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::IndexLocked { .. } => StatusCode::CONFLICT,
            Error::DiskFull { .. } => StatusCode::INSUFFICIENT_STORAGE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, err.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.status.as_u16())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                status: self.status.as_u16(),
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// The answer to a path no route serves.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no such page or API route: {}", uri.path()),
    )
}
