//! The one error type every operation returns.
//!
//! Every method of the client returns `Result<_, meibel::Error>`. An [`Error`] is
//! complete when printed: the operation, what happened, the status and the server's
//! message, the cause, and how many attempts were made, e.g.
//!
//! ```text
//! GET /datasources/ds_1: 503 Service Unavailable: "down" (4 attempts)
//! POST /datasources: connection reset by peer (not retried: POST is not idempotent; see RetryPolicy::retry_non_idempotent)
//! GET /agents/a: 422 Unprocessable Entity: String should have at most 64 characters (path.agent_id)
//! ```
//!
//! The reply body of an error status is read before the error is returned (at most
//! [`MAX_ERROR_BODY`] bytes), so everything is available at once, with no further
//! `await`: [`Error::kind`], [`Error::status`], [`Error::message`] (the server's own
//! words), [`Error::validation`] (FastAPI's 422 details), the typed error body
//! ([`Error::error_body`]) or the whole text of a `text/*` reply ([`Error::text`]), the
//! request id, `Retry-After` and the rate-limit headers.
//!
//! ```no_run
//! # async fn run(client: meibel::Client) -> Result<(), meibel::Error> {
//! use meibel::error::ErrorKind;
//!
//! match client.get_datasource().datasource_id("ds_1").send().await {
//!     Ok(ds) => println!("{}", ds.name),
//!     Err(e) if e.is_not_found() => println!("no such datasource"),
//!     Err(e) if e.kind() == ErrorKind::Timeout => println!("too slow: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! It converts with `?` into `Box<dyn std::error::Error + Send + Sync>` and `anyhow::Error`.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The most bytes of an error reply (a status other than 2xx) that are read and kept;
/// the rest is not read.
pub const MAX_ERROR_BODY: usize = 1024 * 1024;

/// The most bytes of a body a decode error keeps and shows.
pub const MAX_PREVIEW: usize = 1024;

/// Headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid"];

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A timeout: connecting, waiting for the reply, between two pieces of a body, the
    /// total per-request timeout, or a wait that did not end in time.
    Timeout,
    /// No connection could be made; nothing was sent.
    Connect,
    /// The connection was reset or closed before the reply came.
    Reset,
    /// The reply ended before all of its announced bytes arrived.
    Truncated,
    /// The server answered with a status that is not a success.
    Status,
    /// The reply could not be decoded (wrong content type, malformed JSON); see
    /// [`Error::content_type`] and [`Error::preview`].
    Decode,
    /// The server redirected to another origin; the redirect was not followed so that
    /// the API key never leaves the configured origin.
    RedirectRefused,
    /// The failure would have been retried, but repeating this request is not safe; see
    /// [`Error::not_retried_reason`].
    NotRetried,
    /// The reply (or one piece of an event stream) is larger than the configured limit.
    TooLarge,
    /// An argument was refused before anything was sent (missing, empty or invalid).
    InvalidArgument,
    /// The client configuration is invalid.
    Config,
    /// An event stream or download broke after it started, or its content is malformed.
    Stream,
    /// A local file could not be read or written.
    Io,
}

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

/// The error of every operation. See the [module docs](self).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    /// `GET /agents/a`, or the operation's template before a request existed.
    operation: Option<String>,
    /// What happened, complete (status line and server message included).
    what: String,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    message: Option<String>,
    validation: Vec<FieldError>,
    body: Option<Bytes>,
    content_type: Option<String>,
    typed: Option<Box<dyn Any + Send + Sync>>,
    attempts: u32,
    not_retried: Option<Cow<'static, str>>,
    budget_spent: bool,
    retryable: bool,
    cause: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of `kind` saying `what` happened.
    pub(crate) fn new(kind: ErrorKind, what: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                operation: None,
                what: what.into(),
                status: None,
                headers: None,
                message: None,
                validation: Vec::new(),
                body: None,
                content_type: None,
                typed: None,
                attempts: 0,
                not_retried: None,
                budget_spent: false,
                retryable: false,
                cause: None,
            }),
        }
    }

    pub(crate) fn with_operation(mut self, operation: impl Into<String>) -> Error {
        self.inner.operation = Some(operation.into());
        self
    }

    pub(crate) fn with_kind(mut self, kind: ErrorKind, what: String) -> Error {
        self.inner.kind = kind;
        self.inner.what = what;
        self
    }

    pub(crate) fn with_cause(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.inner.cause = Some(Box::new(cause));
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_retry_note(
        mut self,
        not_retried: Option<Cow<'static, str>>,
        budget_spent: bool,
    ) -> Error {
        if not_retried.is_some() {
            self.inner.kind = ErrorKind::NotRetried;
        }
        self.inner.not_retried = not_retried;
        self.inner.budget_spent = budget_spent;
        self
    }

    pub(crate) fn with_retryable(mut self, retryable: bool) -> Error {
        self.inner.retryable = retryable;
        self
    }

    pub(crate) fn with_content_type(mut self, content_type: Option<String>) -> Error {
        self.inner.content_type = content_type;
        self
    }

    pub(crate) fn with_body(mut self, body: Bytes) -> Error {
        self.inner.body = Some(body);
        self
    }

    pub(crate) fn with_typed(mut self, typed: Box<dyn Any + Send + Sync>) -> Error {
        self.inner.typed = Some(typed);
        self
    }

    /// An error for a reply with an error status: the status line, the server's
    /// message (from a JSON body, or the first line of a text body) and the headers.
    pub(crate) fn from_reply(kind: ErrorKind, status: StatusCode, headers: HeaderMap, body: Bytes) -> Error {
        let mut validation = Vec::new();
        let message = match serde_json::from_slice::<Value>(&body) {
            Ok(v) => server_message(&v, &mut validation),
            Err(_) if body.is_empty() => None,
            Err(_) => {
                let text = String::from_utf8_lossy(&body[..body.len().min(MAX_PREVIEW)]);
                let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                Some(format!("{:?}", cut(&line, 200)))
            }
        };
        let mut what = status_line(status);
        if let Some(m) = &message {
            what.push_str(": ");
            what.push_str(m);
        }
        let mut e = Error::new(kind, what);
        e.inner.status = Some(status);
        e.inner.content_type =
            headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        e.inner.headers = Some(headers);
        e.inner.message = message;
        e.inner.validation = validation;
        e.inner.body = (!body.is_empty()).then_some(body);
        e
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The operation as the client sent it, e.g. `GET /agents/a` (the path relative to
    /// the base URL), or its path template when the request was refused before sending.
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation.as_deref()
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The reply headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The server's message: FastAPI's `detail` (or `message`, `error`, ...) of a JSON
    /// body, or the start of a text body.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The entries of a validation error (FastAPI's 422 `detail` list).
    pub fn validation(&self) -> &[FieldError] {
        &self.inner.validation
    }

    /// The body of an error reply as read (at most [`MAX_ERROR_BODY`] bytes), or the
    /// start of a body that could not be decoded (at most [`MAX_PREVIEW`] bytes).
    pub fn body(&self) -> Option<&Bytes> {
        self.inner.body.as_ref()
    }

    /// The body decoded as JSON into any type, e.g. an error body the spec does not
    /// document.
    pub fn body_json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.inner.body.as_ref()?).ok()
    }

    /// The documented error body of the operation, decoded into its generated type
    /// (e.g. `meibel::types::HttpValidationError` for a 422).
    ///
    /// `None` when the reply had no documented error body, or it did not decode.
    pub fn error_body<T: 'static>(&self) -> Option<&T> {
        self.inner.typed.as_ref()?.downcast_ref()
    }

    /// The whole text of an error reply sent as text (a `text/*` content type, such as
    /// `text/plain` or `text/html`, in UTF-8 or ASCII); `None` for other content types and
    /// for text that is not valid UTF-8 (see [`Error::preview`] for a lossy view).
    ///
    /// Operations that document such replies say so in their docs. The text is exactly
    /// what the server sent, up to [`MAX_ERROR_BODY`] bytes; an empty reply is `""`.
    ///
    /// ```no_run
    /// # async fn run(client: meibel::Client) {
    /// # let result: Result<(), meibel::Error> = Ok(());
    /// if let Err(e) = result {
    ///     if let Some(text) = e.text() {
    ///         eprintln!("{} ({}): {text}", e.status().map_or(0, |s| s.as_u16()), e.content_type().unwrap_or(""));
    ///     }
    /// }
    /// # }
    /// ```
    pub fn text(&self) -> Option<&str> {
        let content_type = self.inner.content_type.as_deref()?;
        let mut parts = content_type.split(';');
        let media_type = parts.next().unwrap_or_default().trim();
        let is_text = media_type.len() > 5 && media_type[..5].eq_ignore_ascii_case("text/");
        let utf8 = parts.filter_map(|p| p.split_once('=')).all(|(k, v)| {
            !k.trim().eq_ignore_ascii_case("charset") || {
                let v = v.trim().trim_matches('"');
                v.eq_ignore_ascii_case("utf-8")
                    || v.eq_ignore_ascii_case("utf8")
                    || v.eq_ignore_ascii_case("us-ascii")
            }
        });
        if !is_text || !utf8 || self.inner.status.is_none() {
            return None;
        }
        match &self.inner.body {
            None => Some(""),
            Some(body) => std::str::from_utf8(body).ok(),
        }
    }

    /// The `Content-Type` of the reply, when it had one.
    pub fn content_type(&self) -> Option<&str> {
        self.inner.content_type.as_deref()
    }

    /// For a decode error: the start of the body (at most [`MAX_PREVIEW`] bytes), as text.
    pub fn preview(&self) -> Option<Cow<'_, str>> {
        let body = self.inner.body.as_ref()?;
        Some(String::from_utf8_lossy(&body[..body.len().min(MAX_PREVIEW)]))
    }

    /// How many times the request was sent (0 when it was refused before sending).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Why the client did not send the request again, when it would have retried the
    /// failure for a request that is safe to repeat.
    pub fn not_retried_reason(&self) -> Option<&str> {
        self.inner.not_retried.as_deref()
    }

    /// True when trying the same request again later may succeed and is safe: the retry
    /// rules of [`RetryPolicy`](crate::RetryPolicy) (429; 408, 502, 503, 504, a reset
    /// connection or a timeout before any reply for idempotent requests; connection
    /// failures). The client's own retries ask the same question.
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// True for 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// True for 401 and 403.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.status(), Some(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN))
    }

    /// True for 422, the request validation error.
    pub fn is_validation(&self) -> bool {
        self.status() == Some(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// True for every kind of timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// How long the server asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        let v = self.headers()?.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
        crate::retry::parse_retry_after(v, SystemTime::now())
    }

    /// The request id the server gave the reply, if any.
    pub fn request_id(&self) -> Option<&str> {
        let h = self.headers()?;
        REQUEST_ID_HEADERS.iter().find_map(|n| h.get(*n).and_then(|v| v.to_str().ok()))
    }

    /// The rate-limit headers, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers()?)
    }

    /// The underlying error (a `reqwest::Error`, a JSON error, an I/O error, ...), if
    /// any. Its text is already part of this error's message.
    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.inner.cause.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if let Some(op) = &i.operation {
            write!(f, "{op}: ")?;
        }
        f.write_str(&i.what)?;
        let mut notes: Vec<Cow<'_, str>> = Vec::new();
        if i.attempts > 1 {
            notes.push(format!("{} attempts", i.attempts).into());
        }
        if let Some(why) = &i.not_retried {
            notes.push(format!("not retried: {why}").into());
        }
        if i.budget_spent {
            notes.push("not retried: the client's retry budget is spent".into());
        }
        if let Some(id) = self.request_id() {
            notes.push(format!("request id {}", cut(id, 100)).into());
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join("; "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("operation", &i.operation).field("what", &cut(&i.what, 2048));
        if let Some(s) = i.status {
            d.field("status", &s.as_u16());
        }
        if let Some(ct) = &i.content_type {
            d.field("content_type", &cut(ct, 200));
        }
        if let Some(p) = self.preview() {
            d.field("body_preview", &p);
            d.field("body_len", &i.body.as_ref().map_or(0, Bytes::len));
        }
        d.field("attempts", &i.attempts);
        if let Some(r) = &i.not_retried {
            d.field("not_retried", r);
        }
        if let Some(id) = self.request_id() {
            d.field("request_id", &cut(id, 100));
        }
        d.finish_non_exhaustive()
    }
}

impl std::error::Error for Error {}

/// `"503 Service Unavailable"`.
pub(crate) fn status_line(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(r) => format!("{} {r}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// At most `max` bytes of `s`, cut at a character boundary, with `…` when cut.
pub(crate) fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

/// A duration as people write it: `300 ms`, `2 s`, `1.5 s`.
pub(crate) fn human(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The server's message in a JSON error body; fills `validation` from FastAPI's list.
fn server_message(v: &Value, validation: &mut Vec<FieldError>) -> Option<String> {
    match v.get("detail") {
        Some(Value::String(s)) => return Some(cut(s, 1000).into_owned()),
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
                validation.push(FieldError { location, message });
            }
            return match validation.as_slice() {
                [] => None,
                [one] => Some(format!("{} ({})", cut(&one.message, 500), cut(&one.location, 200))),
                [first, rest @ ..] => Some(format!(
                    "{} ({}) and {} more",
                    cut(&first.message, 500),
                    cut(&first.location, 200),
                    rest.len()
                )),
            };
        }
        _ => {}
    }
    if let Value::String(s) = v {
        return Some(format!("{:?}", cut(s, 200)));
    }
    for key in ["message", "error", "error_description", "title"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            return Some(cut(s, 1000).into_owned());
        }
        if let Some(s) = v.get(key).and_then(|e| e.get("message")).and_then(Value::as_str) {
            return Some(cut(s, 1000).into_owned());
        }
    }
    None
}

/// What a `reqwest` error says, in plain words, and the kind it is.
pub(crate) fn describe_transport(e: &reqwest::Error) -> (ErrorKind, String) {
    let root = root_cause(e);
    if e.is_connect() {
        if e.is_timeout() {
            return (ErrorKind::Timeout, "timed out connecting".into());
        }
        return (ErrorKind::Connect, format!("cannot connect: {root}"));
    }
    if e.is_timeout() {
        return (ErrorKind::Timeout, "timed out waiting for the reply".into());
    }
    if let Some(io) = find_io(e) {
        use std::io::ErrorKind as K;
        match io.kind() {
            K::ConnectionReset => return (ErrorKind::Reset, "connection reset by peer".into()),
            K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                return (ErrorKind::Reset, "connection closed before the reply".into());
            }
            _ => {}
        }
    }
    if is_incomplete_message(e) {
        return (ErrorKind::Reset, "connection closed before the reply".into());
    }
    if e.is_request() {
        return (ErrorKind::Reset, format!("connection failed before the reply: {root}"));
    }
    if e.is_body() || e.is_decode() {
        return (ErrorKind::Stream, format!("cannot read the reply: {root}"));
    }
    if e.is_builder() {
        return (ErrorKind::InvalidArgument, format!("cannot build the request: {root}"));
    }
    (ErrorKind::Stream, root)
}

/// The innermost message of an error's chain, on one line.
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    let s = last.to_string();
    let s = s.trim();
    cut(s, 500).replace(['\r', '\n'], " ")
}

fn find_io<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cur = c.source();
    }
    None
}

fn is_incomplete_message(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        if let Some(h) = c.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_closed())
        {
            return true;
        }
        cur = c.source();
    }
    false
}

impl From<crate::ConfigError> for Error {
    fn from(e: crate::ConfigError) -> Error {
        Error::new(ErrorKind::Config, format!("client configuration: {e}")).with_cause(e)
    }
}

impl From<crate::sse::StreamError> for Error {
    fn from(e: crate::sse::StreamError) -> Error {
        use crate::sse::StreamError as S;
        match e {
            S::Transport(t) => {
                let (kind, what) = describe_transport(&t);
                let kind = match kind {
                    ErrorKind::Timeout | ErrorKind::Reset => kind,
                    _ => ErrorKind::Stream,
                };
                Error::new(kind, format!("event stream broke: {what}")).with_cause(t)
            }
            S::IdleTimeout(d) => {
                Error::new(ErrorKind::Timeout, format!("event stream idle: no data for {}", human(d)))
            }
            S::TooLarge { .. } => Error::new(ErrorKind::TooLarge, e.to_string()).with_cause(e),
            S::ContentType { ref content_type, ref preview } => {
                let text = format!("expected an event stream, got {content_type}: {preview:?}");
                let (content_type, body) = (content_type.clone(), Bytes::from(preview.clone().into_bytes()));
                Error::new(ErrorKind::Decode, text)
                    .with_content_type(Some(content_type))
                    .with_body(body)
                    .with_cause(e)
            }
            #[allow(unreachable_patterns)]
            other => Error::new(ErrorKind::Stream, other.to_string()).with_cause(other),
        }
    }
}

impl From<crate::download::DownloadError> for Error {
    fn from(e: crate::download::DownloadError) -> Error {
        use crate::download::DownloadError as D;
        match e {
            D::Transport(t) => {
                let (kind, what) = describe_transport(&t);
                let kind = match kind {
                    ErrorKind::Timeout | ErrorKind::Reset => kind,
                    _ => ErrorKind::Stream,
                };
                Error::new(kind, format!("download broke: {what}")).with_cause(t)
            }
            D::TooLarge { limit } => {
                Error::new(ErrorKind::TooLarge, format!("download larger than the limit of {limit} bytes"))
            }
            D::Io(io) => Error::new(ErrorKind::Io, format!("cannot write the download: {io}")).with_cause(io),
        }
    }
}

impl From<crate::wait::WaitError<Error>> for Error {
    fn from(e: crate::wait::WaitError<Error>) -> Error {
        match e {
            crate::wait::WaitError::Fetch(e) => e,
            crate::wait::WaitError::TimedOut { attempts, waited } => Error::new(
                ErrorKind::Timeout,
                format!("wait: not done after {attempts} checks over {}", human(waited)),
            ),
        }
    }
}

/// Errors of the generator's own types, for code that mixes them in (e.g. a builder's
/// `form_urlencoded` body). The generated methods themselves never return them.
impl<E: serde::Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Error {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(m) => Error::new(ErrorKind::InvalidArgument, format!("invalid argument: {m}")),
            P::Custom(m) => Error::new(ErrorKind::InvalidArgument, m),
            P::CommunicationError(t) | P::InvalidUpgrade(t) | P::ResponseBodyError(t) => {
                let (kind, what) = describe_transport(&t);
                Error::new(kind, what).with_cause(t)
            }
            P::InvalidResponsePayload(body, json) => {
                let preview = body.slice(..body.len().min(MAX_PREVIEW));
                Error::new(ErrorKind::Decode, format!("cannot decode the reply: {json}"))
                    .with_body(preview)
                    .with_cause(json)
            }
            P::ErrorResponse(rv) => {
                let status = rv.status();
                let headers = rv.headers().clone();
                let body = serde_json::to_vec(&rv.into_inner()).map(Bytes::from).unwrap_or_default();
                Error::from_reply(ErrorKind::Status, status, headers, body)
            }
            P::UnexpectedResponse(r) => {
                Error::from_reply(ErrorKind::Status, r.status(), r.headers().clone(), Bytes::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_debug_are_bounded() {
        let body = Bytes::from(vec![b'x'; 10 * 1024 * 1024]);
        let e = Error::from_reply(ErrorKind::Status, StatusCode::BAD_GATEWAY, HeaderMap::new(), body)
            .with_operation("GET /a");
        assert!(e.to_string().len() < 400, "{e}");
        assert!(format!("{e:?}").len() < 4096);
    }

    #[test]
    fn text_replies_are_read_whole_and_only_as_text() {
        let reply = |ct: &str, body: &'static [u8]| {
            let mut h = HeaderMap::new();
            h.insert(reqwest::header::CONTENT_TYPE, ct.parse().unwrap());
            Error::from_reply(ErrorKind::Status, StatusCode::BAD_REQUEST, h, Bytes::from_static(body))
        };
        assert_eq!(reply("text/plain; charset=utf-8", b"bad text").text(), Some("bad text"));
        assert_eq!(reply("TEXT/HTML", b"<p>down</p>").text(), Some("<p>down</p>"));
        assert_eq!(reply("text/plain", b"").text(), Some(""));
        assert_eq!(reply("text/plain; charset=\"UTF-8\"", "é".as_bytes()).text(), Some("é"));
        assert_eq!(reply("text/plain; charset=latin1", b"caf\xe9").text(), None);
        assert_eq!(reply("text/plain", b"caf\xe9").text(), None);
        assert_eq!(reply("application/json", b"\"x\"").text(), None);
        assert_eq!(reply("application/octet-stream", b"x").text(), None);
        let decode = Error::new(ErrorKind::Decode, "d")
            .with_content_type(Some("text/plain".into()))
            .with_body(Bytes::from_static(b"x"));
        assert_eq!(decode.text(), None, "only replies with an error status carry a text");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_secs(2)), "2 s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn error_is_send_sync_static_and_small() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
