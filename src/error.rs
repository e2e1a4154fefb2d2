//! Errors: what every generated method returns, and a flattened view of it.
//!
//! Each method returns `Result<_, meibel::Error<E>>`, where `E` is the documented error
//! body (the 422 validation error for most operations). [`ErrorExt`] answers the common
//! questions about any such error without reading anything more, and
//! [`ApiError::from_error`] turns one into a single error type with the server's
//! message, reading at most [`MAX_ERROR_BODY`] bytes of an undocumented error body.
//!
//! ```no_run
//! # async fn run(client: meibel::Client) -> Result<(), meibel::ApiError> {
//! use meibel::{ApiError, ErrorExt};
//!
//! match client.get_datasource().datasource_id("ds_1").send().await {
//!     Ok(ds) => println!("{}", ds.name),
//!     Err(e) if e.is_not_found() => println!("no such datasource"),
//!     Err(e) => return Err(ApiError::from_error(e).await),
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::Error;

/// The most bytes of an undocumented error body [`ApiError::from_error`] reads.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid"];

/// The rate-limit headers of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset` (as sent: seconds, or a Unix time, depending on the server).
    pub reset: Option<u64>,
}

impl RateLimit {
    fn from_headers(h: &HeaderMap) -> Option<RateLimit> {
        let num = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        let r = RateLimit {
            limit: num("x-ratelimit-limit"),
            remaining: num("x-ratelimit-remaining"),
            reset: num("x-ratelimit-reset"),
        };
        (r != RateLimit::default()).then_some(r)
    }
}

/// One entry of a validation error: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The location, e.g. `body.name` or `query.limit`.
    pub location: String,
    /// The message.
    pub message: String,
}

/// Questions any error of a generated method can answer at once.
pub trait ErrorExt {
    /// The HTTP status, when the server answered.
    fn http_status(&self) -> Option<StatusCode>;
    /// The reply headers, when the server answered.
    fn headers(&self) -> Option<&HeaderMap>;

    /// True for 404 Not Found.
    fn is_not_found(&self) -> bool {
        self.http_status() == Some(StatusCode::NOT_FOUND)
    }
    /// True for 429 Too Many Requests.
    fn is_rate_limited(&self) -> bool {
        self.http_status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }
    /// True for 401 and 403.
    fn is_unauthorized(&self) -> bool {
        matches!(self.http_status(), Some(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN))
    }
    /// True for 422, the request validation error.
    fn is_validation(&self) -> bool {
        self.http_status() == Some(StatusCode::UNPROCESSABLE_ENTITY)
    }
    /// How long the server asked to wait (`Retry-After`), if it did.
    fn retry_after(&self) -> Option<Duration> {
        let v = self.headers()?.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
        crate::retry::parse_retry_after(v, SystemTime::now())
    }
    /// The request id the server gave the reply, if any.
    fn request_id(&self) -> Option<&str> {
        let h = self.headers()?;
        REQUEST_ID_HEADERS.iter().find_map(|n| h.get(*n).and_then(|v| v.to_str().ok()))
    }
    /// The rate-limit headers, if any.
    fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers()?)
    }
}

impl<E> ErrorExt for Error<E> {
    fn http_status(&self) -> Option<StatusCode> {
        self.status()
    }

    fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::ErrorResponse(rv) => Some(rv.headers()),
            Error::UnexpectedResponse(r) => Some(r.headers()),
            _ => None,
        }
    }
}

/// What kind of failure an [`ApiError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request was refused before it was sent (missing or invalid argument).
    InvalidRequest,
    /// The server could not be reached, or the connection broke.
    Connection,
    /// The server answered with an error status.
    Status,
    /// The reply could not be read or decoded.
    Decode,
    /// A rule of this crate stopped the request (e.g. a stream that cannot be re-sent).
    Client,
}

/// One error type for every failure of a call, with what the server said about it.
#[derive(Debug)]
pub struct ApiError {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The HTTP status, when the server answered.
    pub status: Option<StatusCode>,
    /// The server's message (FastAPI `detail`, or `message` / `error`), or a description.
    pub message: String,
    /// The entries of a validation error.
    pub validation: Vec<FieldError>,
    /// The server's `Retry-After`, if any.
    pub retry_after: Option<Duration>,
    /// The rate-limit headers, if any.
    pub rate_limit: Option<RateLimit>,
    /// The request id header, if any.
    pub request_id: Option<String>,
    /// The error body as read (at most [`MAX_ERROR_BODY`] bytes), when there was one.
    pub body: Option<bytes::Bytes>,
}

impl ApiError {
    /// Flatten an error of a generated method, reading at most [`MAX_ERROR_BODY`] bytes
    /// of an undocumented error body.
    pub async fn from_error<E: serde::Serialize + fmt::Debug>(err: Error<E>) -> ApiError {
        let status = err.status();
        let retry_after = err.retry_after();
        let rate_limit = err.rate_limit();
        let request_id = err.request_id().map(str::to_string);
        let mut out = ApiError {
            kind: ErrorKind::Client,
            status,
            message: String::new(),
            validation: Vec::new(),
            retry_after,
            rate_limit,
            request_id,
            body: None,
        };
        match err {
            Error::InvalidRequest(m) => {
                out.kind = ErrorKind::InvalidRequest;
                out.message = m;
            }
            Error::Custom(m) => out.message = m,
            Error::CommunicationError(e) | Error::InvalidUpgrade(e) => {
                out.kind = ErrorKind::Connection;
                out.message = one_line(&e);
            }
            Error::ResponseBodyError(e) => {
                out.kind = ErrorKind::Decode;
                out.message = format!("cannot read the reply: {}", one_line(&e));
            }
            Error::InvalidResponsePayload(body, e) => {
                out.kind = ErrorKind::Decode;
                out.message = format!("unexpected reply: {e}");
                out.body = Some(body.slice(..body.len().min(MAX_ERROR_BODY)));
            }
            Error::ErrorResponse(rv) => {
                out.kind = ErrorKind::Status;
                let value = serde_json::to_value(rv.into_inner()).unwrap_or(Value::Null);
                fill_from_json(&mut out, &value);
            }
            Error::UnexpectedResponse(resp) => {
                out.kind = if resp.status().is_success() { ErrorKind::Decode } else { ErrorKind::Status };
                let body = read_bounded(resp, MAX_ERROR_BODY).await;
                match serde_json::from_slice::<Value>(&body) {
                    Ok(v) => fill_from_json(&mut out, &v),
                    Err(_) => {
                        let text = String::from_utf8_lossy(&body);
                        out.message =
                            text.trim().chars().take(200).collect::<String>().replace(['\r', '\n'], " ");
                    }
                }
                out.body = Some(body);
            }
        }
        if out.message.is_empty() {
            out.message = status.and_then(|s| s.canonical_reason()).unwrap_or("request failed").to_string();
        }
        out
    }

    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(StatusCode::NOT_FOUND)
    }

    /// True for 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// True when trying again later may succeed: connection failures, 408, 429, 502,
    /// 503 and 504.
    pub fn is_retryable(&self) -> bool {
        self.kind == ErrorKind::Connection
            || matches!(self.status.map(|s| s.as_u16()), Some(408 | 429 | 502 | 503 | 504))
    }
}

fn one_line(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s.replace(['\r', '\n'], " ")
}

/// Read at most `limit` bytes of a body; the rest is dropped with the connection.
async fn read_bounded(mut resp: reqwest::Response, limit: usize) -> bytes::Bytes {
    let mut buf = bytes::BytesMut::new();
    while buf.len() < limit {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(limit - buf.len());
                buf.extend_from_slice(&chunk[..take]);
            }
            _ => break,
        }
    }
    buf.freeze()
}

fn fill_from_json(out: &mut ApiError, v: &Value) {
    match v.get("detail") {
        Some(Value::String(s)) => out.message = s.clone(),
        Some(Value::Array(items)) => {
            for item in items {
                let location = item
                    .get("loc")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .map(|p| match p {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .unwrap_or_default();
                let message = item.get("msg").and_then(Value::as_str).unwrap_or_default().to_string();
                out.validation.push(FieldError { location, message });
            }
            out.message = match out.validation.as_slice() {
                [] => "invalid request".into(),
                [one] => format!("invalid request: {} ({})", one.message, one.location),
                [first, rest @ ..] => {
                    format!("invalid request: {} ({}) and {} more", first.message, first.location, rest.len())
                }
            };
        }
        _ => {}
    }
    if out.message.is_empty() {
        for key in ["message", "error", "error_description", "title"] {
            if let Some(s) = v.get(key).and_then(Value::as_str) {
                out.message = s.to_string();
                break;
            }
            if let Some(s) = v.get(key).and_then(|e| e.get("message")).and_then(Value::as_str) {
                out.message = s.to_string();
                break;
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.status {
            write!(f, "{} ", s.as_u16())?;
        }
        f.write_str(&self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
