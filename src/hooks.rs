//! One call of an operation, as every generated `send()` makes it: the request hooks
//! (authentication headers, the total timeout, one tracing event per attempt) around the
//! retry loop of [`crate::retry`], then the reply read into a value or an [`Error`].
//!
//! The build step rewrites each generated `send()` to end in [`send`] and one of the
//! [`Call`] methods, so that every operation fails the same way.

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::Response;
use reqwest::header::{CONTENT_TYPE, HeaderName, LOCATION, USER_AGENT};
use tokio::time::Instant;

use crate::Client;
use crate::error::{Error, ErrorKind, MAX_ERROR_BODY, MAX_PREVIEW, describe_transport, human, root_cause};
use crate::retry::{Class, Fault, classify};

/// What the build step knows about an operation: its id, method and path template.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The operation id, as the generator names it (recorded by tracing).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, e.g. `/agents/{agent_id}`.
    pub path: &'static str,
}

impl Operation {
    /// An argument was refused before anything was sent; `message` names it.
    #[allow(dead_code)] // used only by documents with parameters or bodies to check
    pub(crate) fn invalid(&'static self, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, format!("invalid argument: {}", message.into()))
            .with_operation(format!("{} {}", self.method, self.path))
    }

    /// The request could not be built (an invalid header value, ...).
    pub(crate) fn unbuildable(&'static self, e: reqwest::Error) -> Error {
        let root = root_cause(&e);
        Error::new(ErrorKind::InvalidArgument, format!("invalid argument: cannot build the request: {root}"))
            .with_operation(format!("{} {}", self.method, self.path))
            .with_cause(e)
    }
}

/// The error of a form body that cannot be encoded (the generator's helper is generic
/// over an error body it never produces).
#[allow(dead_code)] // used only by documents with form-encoded bodies
pub(crate) fn form_error(e: progenitor_client::Error<()>) -> Error {
    Error::from(e)
}

/// One call in progress: what the error of any later step needs to say.
pub(crate) struct Call<'a> {
    pub(crate) client: &'a Client,
    pub(crate) op: &'static Operation,
    pub(crate) attempts: u32,
    pub(crate) not_retried: Option<String>,
    pub(crate) budget_spent: bool,
    deadline: Option<Instant>,
}

/// Builds an operation's request again from its arguments, for a retry.
pub(crate) type Rebuild<'r> = dyn Fn() -> Result<reqwest::Request, Error> + Send + Sync + 'r;

/// The key and the user agent, on every attempt.
pub(crate) fn authenticate(shared: &crate::client::Shared, request: &mut reqwest::Request) {
    let headers = request.headers_mut();
    headers.insert(HeaderName::from_static(crate::client::API_KEY_HEADER_LOWER), shared.api_key.clone());
    headers.insert(USER_AGENT, shared.user_agent.clone());
}

/// Sends `request` for `op`: authentication headers, the retry loop, the total timeout.
/// Returns the final reply, whatever its status, with the call's record. A retry sends
/// a copy of `request`.
#[allow(dead_code)] // unused by documents whose every request can be rebuilt (see `send_rebuilt`)
pub(crate) async fn send<'a>(
    client: &'a Client,
    request: reqwest::Request,
    op: &'static Operation,
) -> Result<(Response, Call<'a>), Error> {
    send_inner(client, request, None, op).await
}

/// [`send`] for a request that `rebuild` makes again, equal, from the operation's
/// arguments (a body of JSON or a form, no stream): a retry builds it anew instead of
/// keeping a copy of it on every call.
#[allow(dead_code)] // used only by documents with operations whose request can be rebuilt
pub(crate) async fn send_rebuilt<'a>(
    client: &'a Client,
    request: reqwest::Request,
    rebuild: &Rebuild<'_>,
    op: &'static Operation,
) -> Result<(Response, Call<'a>), Error> {
    send_inner(client, request, Some(rebuild), op).await
}

async fn send_inner<'a>(
    client: &'a Client,
    mut request: reqwest::Request,
    rebuild: Option<&Rebuild<'_>>,
    op: &'static Operation,
) -> Result<(Response, Call<'a>), Error> {
    let shared = client.inner().shared();
    authenticate(shared, &mut request);
    let mut call = Call {
        client,
        op,
        attempts: 0,
        not_retried: None,
        budget_spent: false,
        deadline: shared.total_timeout.map(|t| Instant::now() + t),
    };
    let outcome = match call.deadline {
        None => crate::retry::run(client, request, rebuild, &mut call).await,
        Some(at) => {
            let url = request.url().clone();
            match tokio::time::timeout_at(at, crate::retry::run(client, request, rebuild, &mut call)).await {
                Ok(outcome) => outcome,
                Err(_) => return Err(call.total_timeout(&url)),
            }
        }
    };
    match outcome {
        Ok(response) => Ok((response, call)),
        Err(e) => Err(call.transport(e)),
    }
}

/// One event per attempt, target `meibel`: operation, method, path, attempt, status or
/// error, and duration. Headers (and so the key) are never recorded.
#[cfg(feature = "tracing")]
pub(crate) fn trace_attempt(
    operation: &str,
    method: &str,
    path: &str,
    attempt: u32,
    outcome: &reqwest::Result<Response>,
    elapsed: std::time::Duration,
) {
    let ms = elapsed.as_secs_f64() * 1000.0;
    match outcome {
        Ok(r) => tracing::debug!(
            target: "meibel",
            operation,
            method = %method,
            path,
            attempt,
            status = r.status().as_u16(),
            duration_ms = ms,
            "request"
        ),
        Err(e) => tracing::debug!(
            target: "meibel",
            operation,
            method = %method,
            path,
            attempt,
            error = %e,
            duration_ms = ms,
            "request failed"
        ),
    }
}

/// True for `application/json` and any `+json` media type.
fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/json")
        || media.len() > 5 && media[media.len() - 5..].eq_ignore_ascii_case("+json")
}

/// How reading a body ended early.
enum Cut {
    /// More than the limit.
    TooLarge,
    /// The deadline of the total timeout passed.
    Deadline,
    /// The transport failed.
    Failed(reqwest::Error),
}

impl<'a> Call<'a> {
    /// `GET /agents/a`: the method and the path relative to the base URL.
    fn label(&self, url: &reqwest::Url) -> String {
        let base =
            reqwest::Url::parse(self.client.baseurl()).map(|u| u.path().to_string()).unwrap_or_default();
        let base = base.trim_end_matches('/');
        let path = url.path().strip_prefix(base).filter(|p| p.starts_with('/')).unwrap_or(url.path());
        format!("{} {}", self.op.method, crate::error::cut(path, 300))
    }

    fn retryable(&self, fault: Fault) -> bool {
        classify(&self.client.inner().shared().retry, self.op.method, fault) == Class::Transient
    }

    /// Attempts, and why the call was not retried.
    fn finish(&mut self, e: Error) -> Error {
        e.with_attempts(self.attempts)
            .with_retry_note(self.not_retried.take().map(Cow::Owned), self.budget_spent)
    }

    fn total_timeout(&mut self, url: &reqwest::Url) -> Error {
        let total = self.client.inner().shared().total_timeout.unwrap_or_default();
        let e =
            Error::new(ErrorKind::Timeout, format!("timed out after {} (the total timeout)", human(total)))
                .with_operation(self.label(url));
        self.finish(e)
    }

    /// An error for a failed attempt with no reply.
    fn transport(&mut self, e: reqwest::Error) -> Error {
        let shared = self.client.inner().shared();
        let (kind, mut what) = describe_transport(&e);
        if kind == ErrorKind::Timeout {
            what = match (e.is_connect(), shared.connect_timeout, shared.read_timeout) {
                (true, Some(t), _) => format!("timed out after {} connecting", human(t)),
                (false, _, Some(t)) => format!("timed out after {} waiting for the reply", human(t)),
                _ => what,
            };
        }
        let fault = crate::retry::transport_fault(&e);
        let label = match e.url() {
            Some(u) => self.label(u),
            None => format!("{} {}", self.op.method, self.op.path),
        };
        let err =
            Error::new(kind, what).with_operation(label).with_retryable(self.retryable(fault)).with_cause(e);
        self.finish(err)
    }

    /// Reads at most `limit` bytes of the body.
    async fn read(&self, response: &mut Response, limit: usize) -> (Bytes, Option<Cut>) {
        let read = async {
            let mut first: Option<Bytes> = None;
            let mut more = BytesMut::new();
            loop {
                let len = first.as_ref().map_or(0, Bytes::len) + more.len();
                match response.chunk().await {
                    Ok(None) => break,
                    Ok(Some(chunk)) if chunk.len() > limit - len => {
                        let take = limit - len;
                        join(&mut first, &mut more, chunk.slice(..take));
                        return (done(first, more), Some(Cut::TooLarge));
                    }
                    Ok(Some(chunk)) => join(&mut first, &mut more, chunk),
                    Err(e) => return (done(first, more), Some(Cut::Failed(e))),
                }
            }
            (done(first, more), None)
        };
        match self.deadline {
            None => read.await,
            Some(at) => match tokio::time::timeout_at(at, read).await {
                Ok(r) => r,
                Err(_) => (Bytes::new(), Some(Cut::Deadline)),
            },
        }
    }

    /// Decodes a JSON success reply of at most `max_response_bytes`.
    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        mut self,
        mut response: Response,
    ) -> Result<ResponseValue<T>, Error> {
        let status = response.status();
        // The headers go to the value returned; reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let content_type = |headers: &reqwest::header::HeaderMap| {
            headers.get(CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        if headers.get(CONTENT_TYPE).is_some_and(|ct| !is_json(&String::from_utf8_lossy(ct.as_bytes()))) {
            let content_type = content_type(&headers);
            let ct = content_type.as_deref().unwrap_or_default();
            let (preview, _) = self.read(&mut response, MAX_PREVIEW).await;
            let what = format!(
                "{}: expected a JSON reply, got {}: {:?}",
                crate::error::status_line(status),
                crate::error::cut(ct, 100),
                crate::error::cut(&String::from_utf8_lossy(&preview), 200)
            );
            let e = Error::new(ErrorKind::Decode, what)
                .with_operation(self.label(response.url()))
                .with_content_type(content_type)
                .with_body(preview);
            return Err(self.finish(e));
        }
        let limit = self.client.inner().shared().max_response_bytes;
        let announced = response.content_length();
        if announced.is_some_and(|n| n > limit as u64) {
            return Err(self.too_large(&response, limit, announced));
        }
        let (body, cut) = self.read(&mut response, limit).await;
        if let Some(cut) = cut {
            return Err(match cut {
                Cut::TooLarge => self.too_large(&response, limit, announced),
                Cut::Deadline => self.total_timeout(&response.url().clone()),
                Cut::Failed(e) => self.body_failed(&response, e, body.len(), announced),
            });
        }
        match serde_json::from_slice(&body) {
            Ok(value) => Ok(ResponseValue::new(value, status, headers)),
            Err(json) => {
                let content_type = content_type(&headers);
                let preview = body.slice(..body.len().min(MAX_PREVIEW));
                let what = format!(
                    "cannot decode the reply ({}, {} bytes): {json}; it starts {:?}",
                    content_type.as_deref().unwrap_or("no content type"),
                    body.len(),
                    crate::error::cut(&String::from_utf8_lossy(&preview), 200)
                );
                let e = Error::new(ErrorKind::Decode, what)
                    .with_operation(self.label(response.url()))
                    .with_content_type(content_type)
                    .with_body(preview)
                    .with_cause(json);
                Err(self.finish(e))
            }
        }
    }

    fn too_large(&mut self, response: &Response, limit: usize, announced: Option<u64>) -> Error {
        let size = match announced {
            Some(n) => format!(" ({n} bytes announced)"),
            None => String::new(),
        };
        let e = Error::new(
            ErrorKind::TooLarge,
            format!(
                "reply larger than the limit of {limit} bytes{size}; see ClientBuilder::max_response_bytes"
            ),
        )
        .with_operation(self.label(response.url()));
        self.finish(e)
    }

    fn body_failed(
        &mut self,
        response: &Response,
        e: reqwest::Error,
        got: usize,
        announced: Option<u64>,
    ) -> Error {
        let what = if e.is_timeout() {
            let after = self.client.inner().shared().read_timeout.map(|t| format!(" after {}", human(t)));
            let of = announced.map(|n| format!(" of {n}")).unwrap_or_default();
            (
                ErrorKind::Timeout,
                format!(
                    "timed out{} waiting for the rest of the reply ({got}{of} bytes received)",
                    after.unwrap_or_default()
                ),
            )
        } else {
            match announced {
                Some(n) => (ErrorKind::Truncated, format!("reply ended after {got} of {n} bytes")),
                None => (
                    ErrorKind::Truncated,
                    format!("reply broke off after {got} bytes: {}", describe_transport(&e).1),
                ),
            }
        };
        let err = Error::new(what.0, what.1).with_operation(self.label(response.url())).with_cause(e);
        self.finish(err)
    }

    /// An error reply with a documented body of type `E`: read (at most
    /// [`MAX_ERROR_BODY`] bytes), decoded when it can be, and kept.
    #[allow(dead_code)] // used only by documents with a documented error body
    pub(crate) async fn error_json<E>(self, response: Response) -> Error
    where
        E: serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        let (err, body) = self.reply_error(response).await;
        match body.and_then(|b| serde_json::from_slice::<E>(&b).ok()) {
            Some(typed) => err.with_typed(Box::new(typed)),
            None => err,
        }
    }

    /// A reply with a status the operation does not document as a success.
    pub(crate) async fn unexpected(self, response: Response) -> Error {
        self.reply_error(response).await.0
    }

    async fn reply_error(mut self, mut response: Response) -> (Error, Option<Bytes>) {
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let (body, _) = if response.content_length() == Some(0) {
            (Bytes::new(), None)
        } else {
            self.read(&mut response, MAX_ERROR_BODY).await
        };
        let mut err = Error::from_reply(ErrorKind::Status, status, headers, body.clone());
        if status.is_redirection()
            && let Some(to) = err.headers().and_then(|h| h.get(LOCATION))
        {
            let what = format!(
                "{}: redirect to {} not followed: the API key goes only to the configured origin",
                crate::error::status_line(status),
                crate::error::cut(&String::from_utf8_lossy(to.as_bytes()), 300)
            );
            err = err.with_kind(ErrorKind::RedirectRefused, what);
        } else if status.is_success() {
            let what = format!("{}: a success status the operation does not document", status.as_u16());
            err = err.with_kind(ErrorKind::Status, what);
        }
        let err = err.with_operation(self.label(&url)).with_retryable(self.retryable(Fault::Status(status)));
        (self.finish(err), Some(body))
    }
}

fn join(first: &mut Option<Bytes>, more: &mut BytesMut, chunk: Bytes) {
    match first {
        None if more.is_empty() => *first = Some(chunk),
        Some(f) => {
            more.extend_from_slice(f);
            more.extend_from_slice(&chunk);
            *first = None;
        }
        None => more.extend_from_slice(&chunk),
    }
}

fn done(first: Option<Bytes>, more: BytesMut) -> Bytes {
    first.unwrap_or_else(|| more.freeze())
}
