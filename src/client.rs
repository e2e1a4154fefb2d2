//! Authentication and configuration of the generated client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue, USER_AGENT};

use crate::generated::{Client, Error};
use crate::retry::{Budget, RetryPolicy, Verdict, decide_error, decide_status, jitter, may_retry_status};

/// The header that carries the API key: the header of the document's `apiKey` security
/// scheme (in header), `Meibel-API-Key` when the document declares none.
pub const API_KEY_HEADER: &str = crate::spec::API_KEY_HEADER;
const API_KEY_HEADER_LOWER: &str = crate::spec::API_KEY_HEADER_LOWER;
/// The base URL used when none is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.meibel.ai/v2";
/// Environment variable read by [`Client::from_env`] for the API key.
pub const ENV_API_KEY: &str = "MEIBEL_API_KEY";
/// Environment variable read by [`Client::from_env`] for the base URL.
pub const ENV_BASE_URL: &str = "MEIBEL_BASE_URL";
/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("meibel-rust/", env!("CARGO_PKG_VERSION"));

/// Per-client state shared by every request: credentials and request settings.
///
/// It is created by [`ClientBuilder::build`]; its `Debug` output never shows the key.
#[derive(Clone)]
pub struct ClientState {
    shared: Arc<Shared>,
}

struct Shared {
    api_key: HeaderValue,
    user_agent: HeaderValue,
    stream_idle_timeout: Option<Duration>,
    max_event_bytes: usize,
    /// The HTTP client for event streams: its per-read timeout is just above the idle
    /// timeout, so that a silent stream is ended by the idle timeout.
    stream_http: reqwest::Client,
    retry: RetryPolicy,
    budget: Budget,
}

/// The most bytes of an error reply (non-2xx) the client reads; a longer body ends in a
/// body error instead of being buffered whole.
pub const MAX_ERROR_REPLY: usize = 1024 * 1024;

/// Cap the body of an error reply at [`MAX_ERROR_REPLY`] bytes.
fn limit_error_body(resp: reqwest::Response) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    if resp.status().is_success() || resp.content_length().is_some_and(|n| n <= MAX_ERROR_REPLY as u64) {
        return resp;
    }
    let status = resp.status();
    let mut builder =
        http::Response::builder().status(status).version(resp.version()).url(resp.url().clone());
    if let Some(headers) = builder.headers_mut() {
        *headers = resp.headers().clone();
    }
    let mut seen = 0usize;
    let limited = futures_util::StreamExt::map(resp.bytes_stream(), move |chunk| {
        let chunk = chunk.map_err(|e| -> Box<dyn std::error::Error + Send + Sync> { Box::new(e) })?;
        seen += chunk.len();
        if seen > MAX_ERROR_REPLY {
            let msg = format!("error reply longer than {MAX_ERROR_REPLY} bytes");
            return Err(Box::<dyn std::error::Error + Send + Sync>::from(msg));
        }
        Ok(chunk)
    });
    // The builder only fails on invalid parts, and these come from a valid response.
    let http = builder.body(reqwest::Body::wrap_stream(limited)).unwrap_or_else(|_| {
        let mut r = http::Response::new(reqwest::Body::from(Vec::<u8>::new()));
        *r.status_mut() = status;
        r
    });
    reqwest::Response::from(http)
}

/// Set on a reply that would have been retried but whose request could not be sent
/// again; the post hook turns it into an error that says why.
#[derive(Clone, Copy, Debug)]
struct NotResent(&'static str);

impl ClientState {
    /// The retry rules of the client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    /// How long an event stream may stay silent before it ends with an error.
    pub fn stream_idle_timeout(&self) -> Option<Duration> {
        self.shared.stream_idle_timeout
    }

    /// The longest line, and the most data of one event, an event stream accepts.
    pub fn max_event_bytes(&self) -> usize {
        self.shared.max_event_bytes
    }

    /// The HTTP client that sends the requests of event-stream operations.
    pub(crate) fn stream_http(&self) -> &reqwest::Client {
        &self.shared.stream_http
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("api_key", &"<redacted>")
            .field("user_agent", &self.shared.user_agent)
            .finish()
    }
}

/// A configuration that [`ClientBuilder::build`] or [`Client::from_env`] rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given, or it was empty.
    MissingApiKey,
    /// The API key holds characters that cannot be sent in an HTTP header.
    InvalidApiKey,
    /// The base URL could not be parsed; the string says why.
    InvalidBaseUrl(String),
    /// The base URL uses plain HTTP for a host that is not this machine.
    InsecureBaseUrl(String),
    /// The user agent cannot be sent in an HTTP header.
    InvalidUserAgent,
    /// The HTTP client could not be built; the string says why.
    HttpClient(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingApiKey => {
                write!(f, "no Meibel API key: pass one to the builder or set {ENV_API_KEY}")
            }
            ConfigError::InvalidApiKey => {
                write!(f, "the Meibel API key holds characters not allowed in an HTTP header")
            }
            ConfigError::InvalidBaseUrl(why) => write!(f, "invalid base URL: {why}"),
            ConfigError::InsecureBaseUrl(url) => write!(
                f,
                "refusing plain HTTP base URL {url}: use https (http is allowed only for loopback hosts)"
            ),
            ConfigError::InvalidUserAgent => {
                write!(f, "the user agent is not a valid header value")
            }
            ConfigError::HttpClient(why) => write!(f, "cannot build the HTTP client: {why}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Builds a [`Client`].
///
/// ```no_run
/// use std::time::Duration;
///
/// let client = meibel::Client::builder()
///     .api_key("my-key")
///     .base_url("https://api.dev.meibel.ai/v2")
///     .connect_timeout(Duration::from_secs(5))
///     .build()?;
/// # Ok::<(), meibel::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    stream_idle_timeout: Option<Duration>,
    max_event_bytes: usize,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_event_bytes", &self.max_event_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(300),
            stream_idle_timeout: Some(Duration::from_secs(300)),
            max_event_bytes: crate::sse::DEFAULT_MAX_EVENT_BYTES,
            retry: RetryPolicy::default(),
            user_agent: None,
            http_client: None,
        }
    }
}

impl ClientBuilder {
    /// The API key sent in the `Meibel-API-Key` header of every request.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL, e.g. `https://api.meibel.ai/v2` (the default).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection to be established (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a read may wait for the next bytes of a response (default 300 s).
    ///
    /// There is no total timeout: long downloads and event streams run as long as
    /// data keeps arriving.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// How long an event stream may go without data before it ends with an
    /// idle-timeout error (default 300 s); `None` waits forever.
    ///
    /// Event streams are not subject to [`read_timeout`](ClientBuilder::read_timeout):
    /// their reply must start, and then keep sending bytes, within this time (a
    /// client given with [`http_client`](ClientBuilder::http_client) keeps its own
    /// read timeout).
    pub fn stream_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// The longest line, and the most data of one event, that an event stream accepts
    /// (default [`DEFAULT_MAX_EVENT_BYTES`](crate::sse::DEFAULT_MAX_EVENT_BYTES), 8 MiB);
    /// a longer one ends the stream with
    /// [`StreamError::TooLarge`](crate::sse::StreamError::TooLarge).
    ///
    /// ```
    /// use meibel::ClientInfo;
    ///
    /// let client = meibel::Client::builder().api_key("key").max_event_bytes(1 << 20).build()?;
    /// assert_eq!(client.inner().max_event_bytes(), 1 << 20);
    /// # Ok::<(), meibel::ConfigError>(())
    /// ```
    pub fn max_event_bytes(mut self, limit: usize) -> Self {
        self.max_event_bytes = limit;
        self
    }

    /// The retry rules (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns
    /// retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Replace the `User-Agent` (default `meibel-rust/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Use this `reqwest::Client` instead of building one.
    ///
    /// The connect and read timeouts of the builder then do not apply. Build it with
    /// [`redirect_policy`] (or `reqwest::redirect::Policy::none()`): a client that
    /// follows redirects to other hosts would send them the API key.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Check the configuration and build the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let key = self.api_key.filter(|k| !k.trim().is_empty()).ok_or(ConfigError::MissingApiKey)?;
        let mut api_key = HeaderValue::from_str(key.trim()).map_err(|_| ConfigError::InvalidApiKey)?;
        api_key.set_sensitive(true);
        let user_agent = HeaderValue::from_str(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
            .map_err(|_| ConfigError::InvalidUserAgent)?;
        let base_url = check_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;

        #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
        {
            // Only the first installation in a process takes effect; an application's own
            // choice made earlier is kept.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http_client = |read_timeout: Option<Duration>| {
            let builder =
                reqwest::Client::builder().connect_timeout(self.connect_timeout).redirect(redirect_policy());
            let builder = match read_timeout {
                Some(timeout) => builder.read_timeout(timeout),
                None => builder,
            };
            builder.build().map_err(|e| ConfigError::HttpClient(e.to_string()))
        };
        let (http, stream_http) = match &self.http_client {
            Some(c) => (c.clone(), c.clone()),
            // A second later than the idle timer of the stream, so that it is the one
            // that ends a silent stream; it still bounds the wait for the reply.
            None => (
                http_client(Some(self.read_timeout))?,
                http_client(self.stream_idle_timeout.map(|t| t.saturating_add(Duration::from_secs(1))))?,
            ),
        };
        let state = ClientState {
            shared: Arc::new(Shared {
                api_key,
                user_agent,
                stream_idle_timeout: self.stream_idle_timeout,
                max_event_bytes: self.max_event_bytes,
                stream_http,
                budget: Budget::new(self.retry.budget),
                retry: self.retry,
            }),
        };
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

/// Parse a base URL; only loopback hosts may use plain HTTP. Returns it without a
/// trailing slash, as the generated paths start with one.
fn check_base_url(raw: &str) -> Result<String, ConfigError> {
    let url =
        reqwest::Url::parse(raw.trim()).map_err(|e| ConfigError::InvalidBaseUrl(format!("{raw:?}: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(ConfigError::InsecureBaseUrl(raw.to_string()));
            }
        }
        other => {
            return Err(ConfigError::InvalidBaseUrl(format!(
                "{raw:?}: scheme {other:?} is not http or https"
            )));
        }
    }
    if url.host().is_none() {
        return Err(ConfigError::InvalidBaseUrl(format!("{raw:?}: no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::InvalidBaseUrl(format!("{raw:?}: a base URL takes no query or fragment")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// A redirect policy that follows at most 10 redirects, and only to the same scheme,
/// host and port: the API key is never sent to another origin.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if attempt.previous().len() > 10 || !same_origin { attempt.stop() } else { attempt.follow() }
    })
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `MEIBEL_API_KEY` and, when set, `MEIBEL_BASE_URL`.
    ///
    /// ```no_run
    /// let client = meibel::Client::from_env()?;
    /// # Ok::<(), meibel::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Client, ConfigError> {
        let mut builder = Client::builder();
        if let Ok(key) = std::env::var(ENV_API_KEY) {
            builder = builder.api_key(key);
        }
        if let Ok(url) = std::env::var(ENV_BASE_URL)
            && !url.trim().is_empty()
        {
            builder = builder.base_url(url);
        }
        builder.build()
    }
}

/// One event per attempt, target `meibel`: operation, method, path, attempt, status or
/// error, and duration. Headers (and so the key) are never recorded.
#[cfg(feature = "tracing")]
fn trace_attempt(
    operation: &str,
    method: &reqwest::Method,
    path: &str,
    attempt: u32,
    outcome: &reqwest::Result<reqwest::Response>,
    elapsed: Duration,
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

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, _info: &OperationInfo) -> Result<(), Error<E>> {
        let state = self.inner();
        let headers = request.headers_mut();
        headers.insert(HeaderName::from_static(API_KEY_HEADER_LOWER), state.shared.api_key.clone());
        headers.insert(USER_AGENT, state.shared.user_agent.clone());
        Ok(())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(resp) = result
            && let Some(NotResent(why)) = resp.extensions().get::<NotResent>()
        {
            return Err(Error::Custom(format!(
                "{} from {} was not retried: {why}",
                resp.status(),
                resp.url().path()
            )));
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        #[cfg(not(feature = "tracing"))]
        let _ = info;
        let shared = &self.inner().shared;
        let policy = &shared.retry;
        let mut request = request;
        let mut retry = 0u32;
        loop {
            let replay = if policy.max_retries > retry { request.try_clone() } else { None };
            let method = request.method().clone();
            #[cfg(feature = "tracing")]
            let (started, path) = (std::time::Instant::now(), request.url().path().to_string());
            let outcome = self.client().execute(request).await.map(limit_error_body);
            #[cfg(feature = "tracing")]
            trace_attempt(info.operation_id, &method, &path, retry + 1, &outcome, started.elapsed());
            let verdict = match &outcome {
                // The common case, decided without looking further.
                Ok(resp) if !may_retry_status(resp.status()) => Verdict::Stop,
                Ok(resp) => {
                    let retry_after =
                        resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok());
                    decide_status(
                        policy,
                        &method,
                        resp.status(),
                        retry_after,
                        retry,
                        replay.is_some(),
                        jitter(),
                    )
                }
                Err(e) => decide_error(policy, e, retry, replay.is_some(), jitter()),
            };
            match verdict {
                Verdict::Stop => {
                    if retry == 0 && outcome.as_ref().is_ok_and(|r| r.status().is_success()) {
                        shared.budget.refund();
                    }
                    return outcome;
                }
                Verdict::Refused(why) => {
                    return outcome.map(|mut r| {
                        r.extensions_mut().insert(NotResent(why));
                        r
                    });
                }
                Verdict::Retry(delay) => {
                    let Some(next) = replay else { return outcome };
                    if !shared.budget.take() {
                        return outcome;
                    }
                    drop(outcome);
                    tokio::time::sleep(delay).await;
                    request = next;
                    retry += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(check_base_url("https://api.meibel.ai/v2/").unwrap(), "https://api.meibel.ai/v2");
        assert_eq!(check_base_url("http://127.0.0.1:8080/v2").unwrap(), "http://127.0.0.1:8080/v2");
        assert_eq!(check_base_url("http://localhost:1").unwrap(), "http://localhost:1");
        assert_eq!(check_base_url("http://[::1]:9/v2").unwrap(), "http://[::1]:9/v2");
        assert!(matches!(check_base_url("http://api.meibel.ai/v2"), Err(ConfigError::InsecureBaseUrl(_))));
        assert!(matches!(check_base_url("not a url"), Err(ConfigError::InvalidBaseUrl(_))));
        assert!(matches!(check_base_url("ftp://x.example/"), Err(ConfigError::InvalidBaseUrl(_))));
        assert!(matches!(check_base_url("https://x.example/v2?a=1"), Err(ConfigError::InvalidBaseUrl(_))));
    }

    #[test]
    fn key_is_required_and_redacted() {
        assert_eq!(Client::builder().build().unwrap_err(), ConfigError::MissingApiKey);
        assert_eq!(Client::builder().api_key("  ").build().unwrap_err(), ConfigError::MissingApiKey);
        assert_eq!(Client::builder().api_key("a\nb").build().unwrap_err(), ConfigError::InvalidApiKey);
        let client = Client::builder().api_key("sekrit-123").build().unwrap();
        let shown = format!("{client:?} {:?}", Client::builder().api_key("sekrit-123"));
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
