//! Fault injection: how the client behaves when servers and connections misbehave.
//!
//! Every server here runs on 127.0.0.1 and is controlled by the test: `wiremock` for
//! HTTP-level faults, a small raw TCP server for connection-level ones. Each test checks
//! the outcome and how many attempts reached the server. The table at the end of the
//! file sums up what is asserted.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use meibel::{Error, ErrorKind, RetryPolicy, types};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "fault-key-0123";
const DS_PATH: &str = "/v2/datasources/ds_1";
/// Generous bound proving that a call ends rather than hangs.
const NO_HANG: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Retries with short delays so the suite stays fast.
fn fast() -> RetryPolicy {
    RetryPolicy::new().base_delay(Duration::from_millis(10)).max_delay(Duration::from_millis(40))
}

fn client_at(base: &str, policy: RetryPolicy) -> meibel::Client {
    meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{base}/v2"))
        .retry_policy(policy)
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn datasource_json() -> Value {
    json!({
        "id": "ds_1", "name": "docs", "description": "team docs",
        "connector": {"type": "web_crawl", "web_crawl": null},
        "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"
    })
}

fn ok_datasource() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(datasource_json())
}

/// Answers `verb` requests with `fault` the first `times` times, then with a datasource.
async fn fail_then_succeed(server: &MockServer, verb: &str, fault: ResponseTemplate, times: u64) {
    Mock::given(method(verb)).respond_with(fault).up_to_n_times(times).with_priority(1).mount(server).await;
    Mock::given(method(verb)).respond_with(ok_datasource()).mount(server).await;
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn get_ds(client: &meibel::Client) -> Result<types::DatasourceResponse, Error> {
    client.get_datasource().datasource_id("ds_1").send().await.map(|r| r.into_inner())
}

async fn create_ds(client: &meibel::Client) -> Result<types::DatasourceResponse, Error> {
    let body = types::CreateDatasourceRequest::builder().name("docs").description("team docs".to_string());
    client.create_datasource().body(body).send().await.map(|r| r.into_inner())
}

/// The error of a failed call, as the user sees it.
fn err<T: std::fmt::Debug>(outcome: Result<T, Error>) -> Error {
    outcome.expect_err("the call fails")
}

/// `http://127.0.0.1:<port>` in a message, with the port replaced.
fn portless(s: &str) -> String {
    let re = s.find("127.0.0.1:").map(|i| i + "127.0.0.1:".len());
    match re {
        Some(i) => {
            let end = s[i..].find(|c: char| !c.is_ascii_digit()).map_or(s.len(), |e| i + e);
            format!("{}PORT{}", &s[..i], &s[end..])
        }
        None => s.to_string(),
    }
}

/// Format `t` as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// What the raw server does once it has read a request's head.
#[derive(Clone)]
enum Fault {
    /// Close the connection without answering.
    Close,
    /// Reset the connection (`SO_LINGER` 0) without answering.
    Reset,
    /// Write these bytes, keep the connection open this long, then close it.
    Write(Vec<u8>, Duration),
}

/// A TCP server that reads each request's head and then misbehaves as told; it
/// counts the requests it read.
struct RawServer {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl RawServer {
    async fn start(fault: Fault) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (fault, counter) = (fault.clone(), counter.clone());
                tokio::spawn(async move { serve(stream, fault, counter).await });
            }
        });
        RawServer { addr, requests, task }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, fault: Fault, counter: Arc<AtomicUsize>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    counter.fetch_add(1, Ordering::SeqCst);
    match fault {
        Fault::Close => drop(stream),
        Fault::Reset => {
            stream.set_zero_linger().unwrap();
            drop(stream);
        }
        Fault::Write(bytes, hold) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(hold).await;
        }
    }
}

/// A resolver that sends every name to one address and counts lookups: reqwest
/// resolves once per new connection, so this counts connection attempts even when
/// nothing listens.
struct CountingResolver {
    addr: SocketAddr,
    calls: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let addr = self.addr;
        Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs) })
    }
}

/// A local port with nothing listening on it.
async fn dead_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

#[test]
fn http_date_formats_imf_fixdate() {
    let t = UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(http_date(UNIX_EPOCH + Duration::from_secs(951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT");
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let later = http_date(now + Duration::from_secs(3));
    assert_eq!(meibel::retry::parse_retry_after(&later, now), Some(Duration::from_secs(3)));
}

// ---------------------------------------------------------------------------
// Retries on statuses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_503_twice_then_200_succeeds_on_third_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DS_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(DS_PATH)).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    let ds = get_ds(&client).await.unwrap();
    assert_eq!(ds.id, "ds_1");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.headers.get("meibel-api-key").unwrap(), KEY, "every attempt carries the key");
    }
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "GET", ResponseTemplate::new(429).insert_header("retry-after", "1"), 1).await;
    let client = client_at(&server.uri(), fast());
    let start = Instant::now();
    get_ds(&client).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(900), "waited only {:?}", start.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let now = SystemTime::now();
    // Whole seconds: at least 2 s after `now`.
    let target = UNIX_EPOCH + Duration::from_secs(now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3);
    fail_then_succeed(
        &server,
        "GET",
        ResponseTemplate::new(429).insert_header("retry-after", http_date(target).as_str()),
        1,
    )
    .await;
    let client = client_at(&server.uri(), fast());
    let start = Instant::now();
    tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap().unwrap();
    assert!(start.elapsed() >= Duration::from_millis(1900), "waited only {:?}", start.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn long_retry_after_is_capped() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "GET", ResponseTemplate::new(429).insert_header("retry-after", "3600"), 1)
        .await;
    let client = client_at(&server.uri(), fast().max_retry_after(Duration::from_millis(200)));
    let start = Instant::now();
    tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("the wait is capped").unwrap();
    assert!(start.elapsed() >= Duration::from_millis(190), "waited only {:?}", start.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn post_503_is_not_retried_by_default_and_says_why() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "POST", ResponseTemplate::new(503).set_body_string("down"), 1).await;
    let client = client_at(&server.uri(), fast());
    let e = err(create_ds(&client).await);
    assert_eq!(
        e.to_string(),
        "POST /datasources: 503 Service Unavailable: \"down\" (not retried: POST is not idempotent; see RetryPolicy::retry_non_idempotent)"
    );
    assert_eq!(e.kind(), ErrorKind::NotRetried);
    assert_eq!(e.not_retried_reason(), Some("POST is not idempotent; see RetryPolicy::retry_non_idempotent"));
    assert!(!e.is_retryable(), "the one classifier says no, as the loop did");
    assert_eq!((e.status().map(|s| s.as_u16()), e.attempts()), (Some(503), 1));
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn post_503_is_retried_when_opted_in() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "POST", ResponseTemplate::new(503), 1).await;
    let client = client_at(&server.uri(), fast().retry_non_idempotent(true));
    assert_eq!(create_ds(&client).await.unwrap().id, "ds_1");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body, "the same JSON body is sent again");
}

/// Method, URL, every header (in order) and body of a request the server received.
fn as_sent(r: &wiremock::Request) -> String {
    let headers: Vec<String> = r.headers.iter().map(|(n, v)| format!("{n}: {v:?}")).collect();
    format!("{} {}\n{}\n{:?}", r.method, r.url, headers.join("\n"), String::from_utf8_lossy(&r.body))
}

#[tokio::test]
async fn a_retry_sends_the_same_request_again() {
    let server = MockServer::start().await;
    for verb in ["POST", "GET"] {
        fail_then_succeed(&server, verb, ResponseTemplate::new(503), 1).await;
    }
    let client = client_at(&server.uri(), fast().retry_non_idempotent(true));
    // A JSON body, then a path parameter that needs encoding.
    assert_eq!(create_ds(&client).await.unwrap().id, "ds_1");
    client.get_datasource().datasource_id("a b/ü").send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].method.as_str(), "POST");
    assert!(reqs[0].body.starts_with(b"{"), "a JSON body: {:?}", reqs[0].body);
    assert!(reqs[0].headers.contains_key("meibel-api-key") && reqs[0].headers.contains_key("content-type"));
    assert_eq!(as_sent(&reqs[1]), as_sent(&reqs[0]), "the retried POST");
    assert!(reqs[2].url.path().ends_with("/a%20b%2F%C3%BC"), "{}", reqs[2].url);
    assert_eq!(as_sent(&reqs[3]), as_sent(&reqs[2]), "the retried GET");
}

#[tokio::test]
async fn post_429_is_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "POST", ResponseTemplate::new(429), 1).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(create_ds(&client).await.unwrap().id, "ds_1");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn endless_503_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast().max_retries(2));
    let e = err(get_ds(&client).await);
    assert_eq!(e.to_string(), "GET /datasources/ds_1: 503 Service Unavailable: \"down\" (3 attempts)");
    assert_eq!(e.kind(), ErrorKind::Status);
    assert!(e.is_retryable(), "a later retry may succeed");
    assert_eq!(e.message(), Some("\"down\""));
    assert_eq!(attempts(&server).await, 3);

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.to_string(), "GET /datasources/ds_1: 502 Bad Gateway (4 attempts)");
    assert_eq!(attempts(&server).await, 4, "default: 3 retries");
}

#[tokio::test]
async fn get_408_is_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, "GET", ResponseTemplate::new(408), 1).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(get_ds(&client).await.unwrap().id, "ds_1");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn retry_budget_bounds_retries_across_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client_at(&server.uri(), fast().max_retries(3).budget(2));
    let mut per_request = Vec::new();
    let mut shown = Vec::new();
    for _ in 0..3 {
        let before = attempts(&server).await;
        shown.push(err(get_ds(&client).await).to_string());
        per_request.push(attempts(&server).await - before);
    }
    // The first request spends the whole budget of 2 retries; the others get none.
    assert_eq!(per_request, vec![3, 1, 1]);
    assert_eq!(attempts(&server).await, 5);
    assert_eq!(
        shown[1],
        "GET /datasources/ds_1: 503 Service Unavailable (not retried: the client's retry budget is spent)"
    );
}

// ---------------------------------------------------------------------------
// Streamed (multipart) bodies
// ---------------------------------------------------------------------------

async fn upload_server(first: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/documents"))
        .respond_with(ResponseTemplate::new(first))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/documents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j1", "status": "queued"})))
        .mount(&server)
        .await;
    server
}

async fn upload(client: &meibel::Client) -> Result<types::ParseDocumentResponse, Error> {
    let file = meibel::upload::FilePart::bytes(b"%PDF-1.4 tiny".to_vec(), "doc.pdf");
    client.parse_document().file(file).send().await.map(|r| r.into_inner())
}

#[tokio::test]
async fn multipart_upload_answered_429_is_not_sent_again() {
    let server = upload_server(429).await;
    let client = client_at(&server.uri(), fast());
    let e = err(upload(&client).await);
    assert_eq!(
        e.to_string(),
        "POST /documents: 429 Too Many Requests (not retried: the request body is a stream and cannot be sent again)"
    );
    assert_eq!(e.kind(), ErrorKind::NotRetried);
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn multipart_upload_answered_503() {
    // Default policy: POST is not retried on 503, and the error says why.
    let server = upload_server(503).await;
    let client = client_at(&server.uri(), fast());
    let e = err(upload(&client).await);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.not_retried_reason(), Some("POST is not idempotent; see RetryPolicy::retry_non_idempotent"));
    assert_eq!(attempts(&server).await, 1);

    // Opted in: it would be retried, but the streamed body cannot be sent again.
    let server = upload_server(503).await;
    let client = client_at(&server.uri(), fast().retry_non_idempotent(true));
    let e = err(upload(&client).await);
    assert_eq!(
        e.to_string(),
        "POST /documents: 503 Service Unavailable (not retried: the request body is a stream and cannot be sent again)"
    );
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn multipart_upload_succeeds_on_200() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/documents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j1", "status": "queued"})))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(upload(&client).await.unwrap().job_id, "j1");
    assert_eq!(attempts(&server).await, 1);
}

// ---------------------------------------------------------------------------
// Connection-level faults
// ---------------------------------------------------------------------------

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = dead_port().await;
    let client = client_at(&format!("http://127.0.0.1:{port}"), fast());
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap());
    assert_eq!(e.kind(), ErrorKind::Connect);
    assert!(e.is_retryable());
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: cannot connect: Connection refused (os error 111) (4 attempts)"
    );
}

#[tokio::test]
async fn connection_refused_attempts_are_counted() {
    let port = dead_port().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let resolver = CountingResolver { addr: SocketAddr::from(([127, 0, 0, 1], port)), calls: calls.clone() };
    let http = reqwest::Client::builder()
        .dns_resolver(Arc::new(resolver))
        .redirect(meibel::redirect_policy())
        .build()
        .unwrap();
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://localhost:{port}/v2"))
        .retry_policy(fast().max_retries(3))
        .http_client(http)
        .build()
        .unwrap();
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap());
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Connect, 4));
    assert_eq!(calls.load(Ordering::SeqCst), 4, "1 attempt + 3 retries");

    // Multipart: the connection failed before anything was sent, but the streamed body
    // is not replayable, so there is exactly one attempt, and the error says why.
    calls.store(0, Ordering::SeqCst);
    let e = err(tokio::time::timeout(NO_HANG, upload(&client)).await.unwrap());
    assert_eq!(e.not_retried_reason(), Some("the request body is a stream and cannot be sent again"));
    assert!(e.to_string().starts_with("POST /documents: cannot connect: "), "{e}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_closed_before_the_reply_is_retried_for_get() {
    let server = RawServer::start(Fault::Close).await;
    let client = client_at(&server.base(), fast());
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap());
    assert_eq!(e.to_string(), "GET /datasources/ds_1: connection closed before the reply (4 attempts)");
    assert_eq!(e.kind(), ErrorKind::Reset);
    assert_eq!(server.requests(), 4, "idempotent: sent again");
}

#[tokio::test]
async fn connection_reset_before_the_reply_is_retried_for_get() {
    let server = RawServer::start(Fault::Reset).await;
    let client = client_at(&server.base(), fast());
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap());
    assert_eq!(e.to_string(), "GET /datasources/ds_1: connection reset by peer (4 attempts)");
    assert_eq!(e.kind(), ErrorKind::Reset);
    assert!(e.is_retryable());
    assert_eq!(server.requests(), 4, "idempotent: sent again");
}

#[tokio::test]
async fn connection_reset_after_a_post_is_not_retried_and_says_why() {
    let server = RawServer::start(Fault::Reset).await;
    let client = client_at(&server.base(), fast());
    let e = err(tokio::time::timeout(NO_HANG, create_ds(&client)).await.unwrap());
    assert_eq!(
        e.to_string(),
        "POST /datasources: connection reset by peer (not retried: POST is not idempotent; see RetryPolicy::retry_non_idempotent)"
    );
    assert_eq!(e.kind(), ErrorKind::NotRetried);
    assert!(!e.is_retryable());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn silent_server_hits_read_timeout() {
    let server = RawServer::start(Fault::Write(Vec::new(), Duration::from_secs(30))).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.base()))
        .retry_policy(fast().max_retries(1))
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = Instant::now();
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("ends, no hang"));
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: timed out after 300 ms waiting for the reply (2 attempts)"
    );
    assert!(start.elapsed() >= Duration::from_millis(550));
    assert_eq!(server.requests(), 2, "a GET that got no reply is sent again");
}

#[tokio::test]
async fn total_timeout_bounds_the_whole_call() {
    let server = RawServer::start(Fault::Write(Vec::new(), Duration::from_secs(30))).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.base()))
        .retry_policy(fast())
        .read_timeout(Duration::from_secs(20))
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let start = Instant::now();
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("ends, no hang"));
    assert_eq!(e.to_string(), "GET /datasources/ds_1: timed out after 400 ms (the total timeout)");
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn stalled_body_hits_read_timeout() {
    let head =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\": \"ds_";
    let server = RawServer::start(Fault::Write(head.to_vec(), Duration::from_secs(30))).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.base()))
        .retry_policy(fast())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("ends, no hang"));
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: timed out after 300 ms waiting for the rest of the reply (11 of 500 bytes received)"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn truncated_body_is_truncated() {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n".to_vec();
    bytes.extend_from_slice(br#"{"id": "ds_1", "name": "do"#);
    let server = RawServer::start(Fault::Write(bytes, Duration::ZERO)).await;
    let client = client_at(&server.base(), fast());
    let e = err(tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap());
    assert_eq!(e.kind(), ErrorKind::Truncated);
    assert_eq!(e.to_string(), "GET /datasources/ds_1: reply ended after 26 of 1000 bytes");
    assert_eq!(server.requests(), 1);
}

// ---------------------------------------------------------------------------
// Bodies and statuses
// ---------------------------------------------------------------------------

async fn serve_once(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    server
}

#[tokio::test]
async fn syntactically_truncated_json_is_a_decode_error() {
    let body = br#"{"id": "ds_1", "name": "docs", "descr"#;
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(
        e.to_string(),
        r#"GET /datasources/ds_1: cannot decode the reply (application/json, 37 bytes): EOF while parsing a string at line 1 column 37; it starts "{\"id\": \"ds_1\", \"name\": \"docs\", \"descr""#
    );
    assert_eq!(e.content_type(), Some("application/json"));
    assert_eq!(e.preview().as_deref(), Some(std::str::from_utf8(body).unwrap()));
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn a_huge_bad_reply_is_previewed_not_printed() {
    let body = format!("[{}", "1,".repeat(2 * 1024 * 1024));
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().len() < 600, "{} bytes", e.to_string().len());
    assert!(format!("{e:?}").len() < 4096, "{} bytes", format!("{e:?}").len());
    assert_eq!(e.preview().map(|p| p.len()), Some(1024));
}

#[tokio::test]
async fn html_500_is_a_status_error_with_its_text() {
    let html = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server = serve_once(ResponseTemplate::new(500).set_body_raw(html, "text/html")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: 500 Internal Server Error: \"<html><body><h1>500 Internal Server Error</h1></body></html>\""
    );
    assert_eq!(e.body().map(|b| &b[..]), Some(html.as_bytes()), "the body is read and kept");
    assert!(!e.is_retryable());
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn json_operation_answered_with_html_names_the_content_type() {
    let html = "<!doctype html><html><body>Sign in</body></html>";
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(html, "text/html; charset=utf-8")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: 200 OK: expected a JSON reply, got text/html; charset=utf-8: \"<!doctype html><html><body>Sign in</body></html>\""
    );
    assert_eq!(e.content_type(), Some("text/html; charset=utf-8"));
}

#[tokio::test]
async fn success_bodies_are_capped() {
    let big = serde_json::to_vec(&json!({"id": "ds_1", "padding": "x".repeat(4096)})).unwrap();
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(big, "application/json")).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.uri()))
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::TooLarge);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: reply larger than the limit of 1024 bytes (4122 bytes announced); see ClientBuilder::max_response_bytes"
    );

    // No length announced (chunked): the cap applies while reading.
    let mut bytes =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..8 {
        bytes.extend_from_slice(format!("200\r\n{}\r\n", " ".repeat(512)).as_bytes());
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    let raw = RawServer::start(Fault::Write(bytes, Duration::ZERO)).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", raw.base()))
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let e = err(get_ds(&client).await);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: reply larger than the limit of 1024 bytes; see ClientBuilder::max_response_bytes"
    );
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[tokio::test]
async fn huge_valid_422_body_is_read_only_in_part() {
    let body = json!({"detail": [], "padding": "x".repeat(TEN_MB)});
    let server = serve_once(ResponseTemplate::new(422).set_body_json(body)).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Status);
    assert_eq!(e.body().map(|b| b.len()), Some(meibel::error::MAX_ERROR_BODY));
    assert!(e.to_string().starts_with("GET /datasources/ds_1: 422 Unprocessable Entity: "), "{e}");
    assert!(e.to_string().len() < 400);
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn huge_invalid_422_body_is_read_only_in_part() {
    let server =
        serve_once(ResponseTemplate::new(422).set_body_raw(vec![b'x'; TEN_MB], "application/json")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.body().map(|b| b.len()), Some(meibel::error::MAX_ERROR_BODY));
    assert!(e.error_body::<types::HttpValidationError>().is_none());
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn error_bodies_under_the_limit_decode() {
    let body = json!({"detail": [{"loc": ["path", "execution_id"], "msg": "String should have at most 64 characters", "type": "t"}], "padding": "x".repeat(512 * 1024)});
    let server = serve_once(ResponseTemplate::new(422).set_body_json(body)).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(
        e.to_string(),
        "GET /datasources/ds_1: 422 Unprocessable Entity: String should have at most 64 characters (path.execution_id)"
    );
    let typed = e.error_body::<types::HttpValidationError>().expect("the documented body");
    assert_eq!(typed.detail[0].msg, "String should have at most 64 characters");
    assert_eq!(e.validation()[0].location, "path.execution_id");
}

#[tokio::test]
async fn cross_origin_redirect_does_not_deliver_the_key() {
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ok_datasource()).mount(&other).await;
    let origin = MockServer::start().await;
    let target = format!("{}{DS_PATH}", other.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
        .mount(&origin)
        .await;
    let client = client_at(&origin.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::RedirectRefused);
    assert_eq!(
        portless(&e.to_string()),
        "GET /datasources/ds_1: 302 Found: redirect to http://127.0.0.1:PORT/v2/datasources/ds_1 not followed: the API key goes only to the configured origin"
    );
    assert_eq!(attempts(&origin).await, 1);
    assert_eq!(attempts(&other).await, 0, "the other origin saw nothing");
}

#[tokio::test]
async fn same_origin_redirect_is_followed_with_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(DS_PATH))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/v2/datasources/moved"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/datasources/moved"))
        .respond_with(ok_datasource())
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(get_ds(&client).await.unwrap().id, "ds_1");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].headers.get("meibel-api-key").unwrap(), KEY);
}

#[tokio::test]
async fn unknown_statuses_are_status_errors() {
    let mut shown = Vec::new();
    for status in [299u16, 599] {
        let server = serve_once(ResponseTemplate::new(status).set_body_json(datasource_json())).await;
        let client = client_at(&server.uri(), fast());
        let e = err(get_ds(&client).await);
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        shown.push(e.to_string());
        assert_eq!(attempts(&server).await, 1, "{status} is not retried");
    }
    assert_eq!(shown[0], "GET /datasources/ds_1: 299: a success status the operation does not document");
    assert_eq!(shown[1], "GET /datasources/ds_1: 599");
}

#[tokio::test]
async fn non_json_content_types_are_refused() {
    // JSON labelled text/plain: the content type is checked.
    let text = serde_json::to_vec(&datasource_json()).unwrap();
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(text, "text/plain")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.content_type(), Some("text/plain"));

    // `+json` types are JSON.
    let text = serde_json::to_vec(&datasource_json()).unwrap();
    let server =
        serve_once(ResponseTemplate::new(200).set_body_raw(text, "application/vnd.meibel+json")).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(get_ds(&client).await.unwrap().name, "docs");
}

#[tokio::test]
async fn invalid_utf8_in_json_string_is_a_decode_error() {
    let mut body = serde_json::to_vec(&datasource_json()).unwrap();
    let at = body.windows(4).position(|w| w == b"docs").unwrap();
    body[at + 1] = 0xff; // "d\xffcs"
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let client = client_at(&server.uri(), fast());
    let e = err(get_ds(&client).await);
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.body().map(|b| b.to_vec()), Some(body));
    assert_eq!(attempts(&server).await, 1);
}

// ---------------------------------------------------------------------------
// Arguments refused before sending
// ---------------------------------------------------------------------------

#[tokio::test]
async fn refused_path_ids_name_the_parameter() {
    let server = MockServer::start().await;
    let client = client_at(&server.uri(), fast());
    let e = err(client.get_datasource().datasource_id("..").send().await);
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        e.to_string(),
        "GET /datasources/{datasource_id}: invalid argument: path parameter `datasource_id` is \"..\", which would leave its path segment"
    );
    let e = err(client.get_datasource().datasource_id("").send().await);
    assert_eq!(
        e.to_string(),
        "GET /datasources/{datasource_id}: invalid argument: path parameter `datasource_id` is empty"
    );
    let e = err(client.get_datasource().send().await);
    assert_eq!(
        e.to_string(),
        "GET /datasources/{datasource_id}: invalid argument: datasource_id was not initialized"
    );
    assert_eq!(e.attempts(), 0);
    assert_eq!(attempts(&server).await, 0, "nothing was sent");
}

#[tokio::test]
async fn errors_convert_with_the_question_mark() {
    async fn boxed(client: &meibel::Client) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        client.get_datasource().datasource_id("ds_1").send().await?;
        Ok(())
    }
    let server =
        serve_once(ResponseTemplate::new(404).set_body_json(json!({"detail": "Datasource not found"}))).await;
    let client = client_at(&server.uri(), fast());
    let e = boxed(&client).await.unwrap_err();
    assert_eq!(e.to_string(), "GET /datasources/ds_1: 404 Not Found: Datasource not found");
    assert!(e.downcast_ref::<Error>().is_some_and(|e| e.is_not_found()));
}
