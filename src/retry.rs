//! When and how requests are retried.
//!
//! A request is sent again only when doing so is safe:
//! - the connection failed before the request was sent (any method);
//! - the server answered 429 Too Many Requests (any method: it did not act);
//! - the server answered 408, 502, 503 or 504, or the connection was reset, closed or
//!   timed out after the request went out and before any of the reply came, and the
//!   method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS), or the caller opted in with
//!   [`RetryPolicy::retry_non_idempotent`].
//!
//! One rule decides this, for the retry loop and for
//! [`Error::is_retryable`](crate::Error::is_retryable) alike. When it would retry but
//! repeating the request is not safe, the error says so:
//! `not retried: POST is not idempotent; see RetryPolicy::retry_non_idempotent`.
//!
//! Delays grow exponentially from [`base_delay`](RetryPolicy::base_delay) up to
//! [`max_delay`](RetryPolicy::max_delay) with full jitter; a `Retry-After` header (seconds
//! or an HTTP date) replaces the computed delay, capped by
//! [`max_retry_after`](RetryPolicy::max_retry_after). A body that cannot be cloned (a
//! streamed upload) is never sent twice: the reply comes back with an error saying why.
//! A per-client budget bounds how many retries an outage can cause.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;

/// The retry rules of a client. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) budget: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
            budget: 20,
        }
    }
}

impl RetryPolicy {
    /// The defaults: 3 retries, 0.5 s base delay, 8 s cap, `Retry-After` honoured up to
    /// 60 s, a budget of 20 retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// How many times one request may be sent again.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The first backoff delay; later ones double.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// The longest computed backoff delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The longest `Retry-After` wait honoured; a longer one is cut to this.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Also retry POST and PATCH on 408, 502, 503 and 504, and after a connection that
    /// broke before the reply. Only safe when the operation is idempotent on the server
    /// (e.g. it carries an idempotency key).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// How many retries the client may spend in a burst. Each retry takes one; each
    /// request that succeeds at its first attempt gives back a tenth of one.
    pub fn budget(mut self, retries: u32) -> Self {
        self.budget = retries;
        self
    }

    /// The backoff delay before retry number `retry` (0-based), before jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2f64.powi(retry.min(62) as i32);
        let d = self.base_delay.as_secs_f64() * factor;
        Duration::from_secs_f64(d.min(self.max_delay.as_secs_f64()).max(0.0))
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The server answered with this status.
    Status(StatusCode),
    /// No connection could be made: nothing was sent.
    NotSent,
    /// The request went out, and the connection was reset, closed or timed out before
    /// any of the reply arrived: the server may or may not have acted on it.
    NoReply,
    /// Anything else (a reply that broke after it started, a refused argument, ...).
    Other,
}

/// The one retry rule: whether a request with `method` that met `fault` may be sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// Final: sending it again would not help.
    Final,
    /// Transient, and safe to repeat.
    Transient,
    /// Transient, but repeating the request is not safe; the reason says why.
    Unsafe(String),
}

/// Classify a fault. Used by the retry loop and by [`Error::is_retryable`](crate::Error::is_retryable).
pub(crate) fn classify(policy: &RetryPolicy, method: &str, fault: Fault) -> Class {
    let needs_idempotence = match fault {
        Fault::Status(s) if s == StatusCode::TOO_MANY_REQUESTS => false,
        Fault::Status(s) if is_transient(s) => true,
        Fault::Status(_) | Fault::Other => return Class::Final,
        Fault::NotSent => false,
        Fault::NoReply => true,
    };
    if !needs_idempotence || is_idempotent(method) || policy.retry_non_idempotent {
        Class::Transient
    } else {
        Class::Unsafe(format!("{method} is not idempotent; see RetryPolicy::retry_non_idempotent"))
    }
}

/// What one attempt's outcome allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Done: hand the outcome to the caller.
    Stop,
    /// Send again after this delay.
    Retry(Duration),
    /// Would be retried, but sending again is not safe; the string says why.
    Refused(String),
}

/// Why a request whose body is a stream is not sent twice.
pub(crate) const STREAMED_BODY: &str = "the request body is a stream and cannot be sent again";

pub(crate) fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE")
}

/// Whether a reply with `status` is ever retried (408, 429, 502 to 504, for some
/// method): every other reply ends the call as it is.
pub(crate) fn may_retry_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || is_transient(status)
}

/// 408, 502, 503 and 504: the server or a gateway in front of it is briefly unavailable,
/// or gave up waiting for the request.
fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 502..=504)
}

/// Decide on one attempt's fault, at retry number `retry` (0 for the first attempt's
/// outcome), with the server's `Retry-After` header, if any.
pub(crate) fn decide(
    policy: &RetryPolicy,
    method: &str,
    fault: Fault,
    retry_after: Option<&str>,
    retry: u32,
    replayable: bool,
    jitter: f64,
) -> Verdict {
    match classify(policy, method, fault) {
        Class::Final => Verdict::Stop,
        Class::Unsafe(why) => Verdict::Refused(why),
        Class::Transient if retry >= policy.max_retries => Verdict::Stop,
        Class::Transient if !replayable => Verdict::Refused(STREAMED_BODY.into()),
        Class::Transient => {
            let delay = match retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())) {
                Some(d) => d.min(policy.max_retry_after),
                None => policy.backoff(retry).mul_f64(jitter.clamp(0.0, 1.0)),
            };
            Verdict::Retry(delay)
        }
    }
}

/// How a transport error counts for retrying.
pub(crate) fn transport_fault(e: &reqwest::Error) -> Fault {
    if e.is_connect() {
        Fault::NotSent
    } else if e.is_timeout() || (e.is_request() && !e.is_body() && !e.is_builder() && !e.is_redirect()) {
        Fault::NoReply
    } else {
        Fault::Other
    }
}

/// Sends `request` until it succeeds, the classifier says stop, or the retries or the
/// budget are spent. Returns the last reply (whatever its status) or transport error;
/// records in `call` how many attempts were made and why a retry was refused.
pub(crate) async fn run(
    client: &crate::Client,
    mut request: reqwest::Request,
    rebuild: Option<&crate::hooks::Rebuild<'_>>,
    call: &mut crate::hooks::Call<'_>,
) -> reqwest::Result<reqwest::Response> {
    use progenitor_client::ClientInfo;
    let shared = client.inner().shared();
    let policy = &shared.retry;
    let method = call.op.method;
    let mut retry = 0u32;
    loop {
        // A request that can be built again from the operation's arguments needs no copy.
        let replay = match rebuild {
            None if policy.max_retries > retry => Replay::of(&mut request),
            _ => None,
        };
        let replayable = rebuild.is_some() || replay.is_some();
        call.attempts += 1;
        #[cfg(feature = "tracing")]
        let (started, path) = (std::time::Instant::now(), request.url().path().to_string());
        let outcome = client.client().execute(request).await;
        #[cfg(feature = "tracing")]
        crate::hooks::trace_attempt(call.op.id, method, &path, retry + 1, &outcome, started.elapsed());
        let verdict = match &outcome {
            // The common case, decided without looking further.
            Ok(resp) if !may_retry_status(resp.status()) => {
                if retry == 0 && resp.status().is_success() {
                    shared.budget.refund();
                }
                return outcome;
            }
            Ok(resp) => {
                let retry_after =
                    resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok());
                let fault = Fault::Status(resp.status());
                decide(policy, method, fault, retry_after, retry, replayable, jitter())
            }
            Err(e) => decide(policy, method, transport_fault(e), None, retry, replayable, jitter()),
        };
        match verdict {
            Verdict::Stop => return outcome,
            Verdict::Refused(why) => {
                call.not_retried = Some(why);
                return outcome;
            }
            Verdict::Retry(delay) => {
                let next = match (rebuild, replay) {
                    // It was built once from the same arguments: it builds again.
                    (Some(rebuild), _) => match rebuild() {
                        Ok(mut next) => {
                            crate::hooks::authenticate(shared, &mut next);
                            next
                        }
                        Err(_) => return outcome,
                    },
                    (None, Some(replay)) => replay.request(),
                    (None, None) => return outcome,
                };
                if !shared.budget.take() {
                    call.budget_spent = true;
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

/// What a request is sent again from: its method, URL, headers, body, version and
/// timeout, which is all a request built by an operation carries.
///
/// Cheaper than [`reqwest::Request::try_clone`], which also copies the request's
/// extensions after inserting an empty timeout entry into them (three allocations made
/// only to be dropped) and clones the header map with its index: here the headers are
/// kept in a small array while there are few of them and the body is shared, so that a
/// copy costs one allocation (the URL).
pub(crate) struct Replay {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: Headers,
    body: Option<Bytes>,
    version: reqwest::Version,
    timeout: Option<Duration>,
}

/// How many headers a [`Replay`] keeps without allocating.
const INLINE_HEADERS: usize = 8;

type Header = (reqwest::header::HeaderName, reqwest::header::HeaderValue);

/// The headers of a [`Replay`], in order, with repeated names kept.
#[allow(clippy::large_enum_variant)] // on the stack of the call, to spare an allocation
enum Headers {
    Inline(usize, [Option<Header>; INLINE_HEADERS]),
    Map(reqwest::header::HeaderMap),
}

impl Replay {
    /// A copy of `request`, or `None` when its body is a stream and cannot be sent again.
    /// The body of bytes is shared between the two: `request` gets it back unchanged.
    pub(crate) fn of(request: &mut reqwest::Request) -> Option<Replay> {
        let body = match request.body_mut() {
            None => None,
            Some(body) => Some(share(body)?),
        };
        let map = request.headers();
        let headers = if map.len() <= INLINE_HEADERS {
            let mut inline: [Option<Header>; INLINE_HEADERS] = Default::default();
            for (slot, (name, value)) in inline.iter_mut().zip(map) {
                *slot = Some((name.clone(), value.clone()));
            }
            Headers::Inline(map.len(), inline)
        } else {
            Headers::Map(map.clone())
        };
        Some(Replay {
            method: request.method().clone(),
            url: request.url().clone(),
            headers,
            body,
            version: request.version(),
            timeout: request.timeout().copied(),
        })
    }

    /// The request again, equal to the one this was made from.
    pub(crate) fn request(self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method, self.url);
        *request.headers_mut() = match self.headers {
            Headers::Map(map) => map,
            Headers::Inline(len, inline) => {
                let mut map = reqwest::header::HeaderMap::with_capacity(len);
                for (name, value) in inline.into_iter().flatten() {
                    map.append(name, value);
                }
                map
            }
        };
        *request.body_mut() = self.body.map(reqwest::Body::from);
        *request.version_mut() = self.version;
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        request
    }
}

/// The bytes of a body held in memory, shared rather than copied (`body` is put back as
/// it was); `None` for a stream.
fn share(body: &mut reqwest::Body) -> Option<Bytes> {
    use http_body::Body as _;
    body.as_bytes()?;
    // A body of bytes yields them, whole, at its first poll.
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let bytes = match std::pin::Pin::new(&mut *body).poll_frame(&mut cx) {
        std::task::Poll::Ready(Some(Ok(frame))) => frame.into_data().unwrap_or_default(),
        _ => Bytes::new(),
    };
    *body = reqwest::Body::from(bytes.clone());
    Some(bytes)
}

/// Parse `Retry-After`: whole seconds, or an HTTP date (IMF-fixdate) relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = parse_http_date(v)?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parse an HTTP date in any of the three forms HTTP allows: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
/// asctime (`Sun Nov  6 08:49:37 1994`).
fn parse_http_date(v: &str) -> Option<SystemTime> {
    let timestamp = match chrono::DateTime::parse_from_rfc2822(v) {
        Ok(dt) => dt.timestamp(),
        Err(_) => {
            let naive = chrono::NaiveDateTime::parse_from_str(v, "%A, %d-%b-%y %H:%M:%S GMT")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(v, "%a %b %e %H:%M:%S %Y"))
                .ok()?;
            naive.and_utc().timestamp()
        }
    };
    let secs = u64::try_from(timestamp).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// A retry budget shared by all requests of one client, in tenths of a retry.
#[derive(Debug)]
pub(crate) struct Budget {
    tenths: AtomicU64,
    max_tenths: u64,
}

impl Budget {
    pub(crate) fn new(retries: u32) -> Self {
        let max = u64::from(retries) * 10;
        Budget { tenths: AtomicU64::new(max), max_tenths: max }
    }

    /// Take one retry; false when the budget is spent.
    pub(crate) fn take(&self) -> bool {
        self.tenths.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(10)).is_ok()
    }

    /// A first-attempt success gives back a tenth of a retry.
    pub(crate) fn refund(&self) {
        let _ = self
            .tenths
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| (t < self.max_tenths).then_some(t + 1));
    }

    #[cfg(test)]
    pub(crate) fn remaining_tenths(&self) -> u64 {
        self.tenths.load(Ordering::Acquire)
    }
}

/// A cheap, thread-safe source of jitter in [0, 1): no cryptographic quality needed.
pub(crate) fn jitter() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed =
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn p() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn statuses_and_methods() {
        let s = |m: Method, code: u16, retry: u32| {
            decide(
                &p(),
                m.as_str(),
                Fault::Status(StatusCode::from_u16(code).unwrap()),
                None,
                retry,
                true,
                1.0,
            )
        };
        assert_eq!(s(Method::GET, 503, 0), Verdict::Retry(Duration::from_millis(500)));
        assert_eq!(s(Method::GET, 502, 1), Verdict::Retry(Duration::from_secs(1)));
        assert_eq!(s(Method::GET, 504, 2), Verdict::Retry(Duration::from_secs(2)));
        assert_eq!(s(Method::GET, 503, 3), Verdict::Stop, "retries exhausted");
        assert_eq!(
            s(Method::POST, 503, 0),
            Verdict::Refused("POST is not idempotent; see RetryPolicy::retry_non_idempotent".into()),
            "POST is not retried on 503, and says why"
        );
        assert_eq!(s(Method::GET, 408, 0), Verdict::Retry(Duration::from_millis(500)));
        assert_eq!(s(Method::POST, 429, 0), Verdict::Retry(Duration::from_millis(500)));
        assert_eq!(s(Method::GET, 500, 0), Verdict::Stop);
        assert_eq!(s(Method::GET, 404, 0), Verdict::Stop);
        assert_eq!(s(Method::PUT, 504, 0), Verdict::Retry(Duration::from_millis(500)));
        let opted = p().retry_non_idempotent(true);
        assert!(matches!(
            decide(&opted, "POST", Fault::Status(StatusCode::BAD_GATEWAY), None, 0, true, 1.0),
            Verdict::Retry(_)
        ));
        assert_eq!(
            decide(&p(), "POST", Fault::Status(StatusCode::TOO_MANY_REQUESTS), None, 0, false, 1.0),
            Verdict::Refused(STREAMED_BODY.into())
        );
    }

    #[test]
    fn the_fast_path_never_changes_a_decision() {
        // The exec hook stops at once on a status `may_retry_status` rejects: that must be
        // what `decide_status` would say for any method and policy.
        let opted = p().retry_non_idempotent(true);
        let mut retried = Vec::new();
        for code in 100..=599 {
            let status = StatusCode::from_u16(code).unwrap();
            for method in [Method::GET, Method::POST, Method::PATCH] {
                let verdict = decide(&opted, method.as_str(), Fault::Status(status), Some("1"), 0, true, 0.5);
                if may_retry_status(status) {
                    assert!(matches!(verdict, Verdict::Retry(_)), "{code} {method}");
                    retried.push(code);
                } else {
                    assert_eq!(verdict, Verdict::Stop, "{code} {method}");
                }
            }
        }
        retried.dedup();
        assert_eq!(retried, [408, 429, 502, 503, 504]);
    }

    #[test]
    fn transport_faults() {
        let d = |m: &str, f: Fault| decide(&p(), m, f, None, 0, true, 1.0);
        let retry = Verdict::Retry(Duration::from_millis(500));
        assert_eq!(d("POST", Fault::NotSent), retry, "nothing was sent: any method");
        assert_eq!(d("GET", Fault::NoReply), retry, "idempotent: reset before the reply");
        assert_eq!(
            d("POST", Fault::NoReply),
            Verdict::Refused("POST is not idempotent; see RetryPolicy::retry_non_idempotent".into())
        );
        assert_eq!(d("GET", Fault::Other), Verdict::Stop);
        assert_eq!(
            classify(&p(), "PATCH", Fault::Status(StatusCode::BAD_GATEWAY)),
            Class::Unsafe("PATCH is not idempotent; see RetryPolicy::retry_non_idempotent".into())
        );
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let pol = p();
        assert_eq!(pol.backoff(0), Duration::from_millis(500));
        assert_eq!(pol.backoff(4), Duration::from_secs(8));
        assert_eq!(pol.backoff(40), Duration::from_secs(8));
        let v = decide(&pol, "GET", Fault::Status(StatusCode::SERVICE_UNAVAILABLE), None, 2, true, 0.25);
        assert_eq!(v, Verdict::Retry(Duration::from_millis(500)));
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(Duration::ZERO),
            "past dates: now"
        );
        assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Sun Nov  6 08:49:47 1994", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        let capped =
            decide(&p(), "GET", Fault::Status(StatusCode::TOO_MANY_REQUESTS), Some("3600"), 0, true, 1.0);
        assert_eq!(capped, Verdict::Retry(Duration::from_secs(60)));
        let honoured =
            decide(&p(), "GET", Fault::Status(StatusCode::TOO_MANY_REQUESTS), Some("1"), 0, true, 0.0);
        assert_eq!(honoured, Verdict::Retry(Duration::from_secs(1)));
    }

    /// Everything a request carries that goes on the wire or changes how it is sent.
    fn parts(r: &reqwest::Request) -> String {
        let headers: Vec<String> =
            r.headers().iter().map(|(n, v)| format!("{n}: {v:?} sensitive={}", v.is_sensitive())).collect();
        format!(
            "{} {} {:?} timeout={:?}\n{}\n{:?}",
            r.method(),
            r.url(),
            r.version(),
            r.timeout(),
            headers.join("\n"),
            r.body().map(|b| b.as_bytes())
        )
    }

    #[test]
    fn a_replay_is_the_same_request() {
        use reqwest::header::{HeaderName, HeaderValue};
        let http = reqwest::Client::new();
        let mut key = HeaderValue::from_static("secret");
        key.set_sensitive(true);
        let headers = |rb: reqwest::RequestBuilder| {
            rb.header("api-version", "2")
                .header("meibel-api-key", key.clone())
                .header("x-many", "one")
                .header("x-many", "two")
        };
        let json = headers(http.post("http://h/v2/datasources?x=1"))
            .json(&serde_json::json!({"name": "handbook", "tags": ["a", "b"]}))
            .build()
            .unwrap();
        // A form body as the generated code builds one.
        let form = progenitor_client::RequestBuilderExt::<()>::form_urlencoded(
            headers(http.patch("http://h/v2/notes/n%2F1")),
            &[("title", "a&b"), ("body", "ünï")],
        )
        .unwrap()
        .timeout(Duration::from_secs(7))
        .version(reqwest::Version::HTTP_11)
        .build()
        .unwrap();
        let get = headers(http.get("http://h/v2/agents")).build().unwrap();
        // More headers than are kept inline.
        let mut many = headers(http.delete("http://h/v2/agents/a")).build().unwrap();
        for i in 0..12 {
            many.headers_mut()
                .append(HeaderName::from_bytes(format!("x-h{i}").as_bytes()).unwrap(), HeaderValue::from(i));
        }
        let large = headers(http.put("http://h/v2/blob")).body(vec![7u8; 200_000]).build().unwrap();
        let empty = headers(http.put("http://h/v2/blob")).body(Vec::new()).build().unwrap();
        for mut request in [json, form, get, many, large, empty] {
            let before = parts(&request);
            let mut again = Replay::of(&mut request).expect("a body of bytes can be sent again").request();
            assert_eq!(parts(&request), before, "the request itself is unchanged");
            assert_eq!(parts(&again), before);
            let twice = Replay::of(&mut again).unwrap().request();
            assert_eq!(parts(&twice), before);
            assert_eq!(parts(&again), before);
        }
        // As `try_clone` says, a streamed body cannot be copied.
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"x"))]);
        let mut streamed = http.post("http://h/up").body(reqwest::Body::wrap_stream(stream)).build().unwrap();
        assert!(Replay::of(&mut streamed).is_none());
        assert!(streamed.body().is_some(), "the stream stays in the request");
    }

    #[test]
    fn budget_drains_and_refills() {
        let b = Budget::new(2);
        assert!(b.take());
        assert!(b.take());
        assert!(!b.take());
        for _ in 0..9 {
            b.refund();
        }
        assert!(!b.take(), "nine tenths is not a retry");
        b.refund();
        assert!(b.take());
        for _ in 0..100 {
            b.refund();
        }
        assert_eq!(b.remaining_tenths(), 20, "refunds stop at the budget");
    }
}
