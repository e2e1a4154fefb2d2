//! Authentication and configuration of the generated client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::generated::Client;
use crate::retry::{Budget, RetryPolicy};

/// The header that carries the API key: the header of the document's `apiKey` security
/// scheme (in header), `Meibel-API-Key` when the document declares none.
pub const API_KEY_HEADER: &str = crate::spec::API_KEY_HEADER;
pub(crate) const API_KEY_HEADER_LOWER: &str = crate::spec::API_KEY_HEADER_LOWER;
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

pub(crate) struct Shared {
    pub(crate) api_key: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) stream_idle_timeout: Option<Duration>,
    pub(crate) max_event_bytes: usize,
    /// The HTTP client for event streams: its per-read timeout is just above the idle
    /// timeout, so that a silent stream is ended by the idle timeout.
    pub(crate) stream_http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    pub(crate) budget: Budget,
    /// The total time one call may take, retries included (`None`: no limit).
    pub(crate) total_timeout: Option<Duration>,
    /// The connect and read timeouts, when this crate built the HTTP client.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
}

/// The default of [`ClientBuilder::max_response_bytes`]: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

impl ClientState {
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

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
    timeout: Option<Duration>,
    max_response_bytes: usize,
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
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
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
            timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
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

    /// How long a read may wait for the reply, and then for each next piece of its body
    /// (default 300 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The most time one call may take, from the first attempt to the decoded value,
    /// retries and their delays included (default: no limit). A call that runs out of it
    /// fails with [`ErrorKind::Timeout`](crate::error::ErrorKind::Timeout).
    ///
    /// For downloads and event streams it covers the wait for the reply, not the reading
    /// of the body, which runs as long as data keeps arriving (see
    /// [`read_timeout`](Self::read_timeout) and
    /// [`stream_idle_timeout`](Self::stream_idle_timeout)).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = meibel::Client::builder().api_key("k").timeout(Duration::from_secs(30)).build()?;
    /// # Ok::<(), meibel::ConfigError>(())
    /// ```
    pub fn timeout(mut self, total: Duration) -> Self {
        self.timeout = Some(total);
        self
    }

    /// The most bytes a JSON reply may have (default [`DEFAULT_MAX_RESPONSE_BYTES`],
    /// 64 MiB); a larger one fails with
    /// [`ErrorKind::TooLarge`](crate::error::ErrorKind::TooLarge) without being read
    /// whole. Downloads and event streams are read as streams and are not limited.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
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
        let timeouts = match self.http_client {
            Some(_) => (None, None),
            None => (Some(self.connect_timeout), Some(self.read_timeout)),
        };
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
                total_timeout: self.timeout,
                connect_timeout: timeouts.0,
                read_timeout: timeouts.1,
                max_response_bytes: self.max_response_bytes,
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
    /// A builder for a client: the one way in, beside [`Client::from_env`].
    ///
    /// ```
    /// let client = meibel::Client::builder().api_key("my-key").build()?;
    /// # Ok::<(), meibel::ConfigError>(())
    /// ```
    ///
    /// The generator's own constructors are not public, so no client skips the checks
    /// of [`ClientBuilder::build`] (HTTPS outside loopback, same-origin redirects only):
    ///
    /// ```compile_fail
    /// use meibel::ClientInfo;
    /// let checked = meibel::Client::builder().api_key("k").build().unwrap();
    /// let state = checked.inner().clone();
    /// let _ = meibel::Client::new_with_client("http://10.0.0.1/v2", reqwest::Client::new(), state);
    /// ```
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
