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

use meibel::{Error, RetryPolicy, types};
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

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn get_ds(
    client: &meibel::Client,
) -> Result<types::DatasourceResponse, Error<types::HttpValidationError>> {
    client.get_datasource().datasource_id("ds_1").send().await.map(|r| r.into_inner())
}

async fn create_ds(
    client: &meibel::Client,
) -> Result<types::DatasourceResponse, Error<types::HttpValidationError>> {
    let body = types::CreateDatasourceRequest::builder().name("docs").description("team docs".to_string());
    client.create_datasource().body(body).send().await.map(|r| r.into_inner())
}

/// The status of an `UnexpectedResponse`, panicking on any other outcome.
fn unexpected_status<T: std::fmt::Debug, E: std::fmt::Debug>(outcome: Result<T, Error<E>>) -> u16 {
    match outcome {
        Err(Error::UnexpectedResponse(resp)) => resp.status().as_u16(),
        other => panic!("expected UnexpectedResponse, got {other:?}"),
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
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok_datasource()).mount(&server).await;
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
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", http_date(target).as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    let start = Instant::now();
    tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap().unwrap();
    assert!(start.elapsed() >= Duration::from_millis(1900), "waited only {:?}", start.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn long_retry_after_is_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast().max_retry_after(Duration::from_millis(200)));
    let start = Instant::now();
    tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("the wait is capped").unwrap();
    assert!(start.elapsed() >= Duration::from_millis(190), "waited only {:?}", start.elapsed());
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn post_503_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(unexpected_status(create_ds(&client).await), 503);
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn post_503_is_retried_when_opted_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast().retry_non_idempotent(true));
    assert_eq!(create_ds(&client).await.unwrap().id, "ds_1");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body, "the same JSON body is sent again");
}

#[tokio::test]
async fn post_429_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ok_datasource()).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(create_ds(&client).await.unwrap().id, "ds_1");
    assert_eq!(attempts(&server).await, 2);
}

#[tokio::test]
async fn endless_503_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client_at(&server.uri(), fast().max_retries(2));
    assert_eq!(unexpected_status(get_ds(&client).await), 503);
    assert_eq!(attempts(&server).await, 3);

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(unexpected_status(get_ds(&client).await), 502);
    assert_eq!(attempts(&server).await, 4, "default: 3 retries");
}

#[tokio::test]
async fn retry_budget_bounds_retries_across_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client_at(&server.uri(), fast().max_retries(3).budget(2));
    let mut per_request = Vec::new();
    for _ in 0..3 {
        let before = attempts(&server).await;
        assert_eq!(unexpected_status(get_ds(&client).await), 503);
        per_request.push(attempts(&server).await - before);
    }
    // The first request spends the whole budget of 2 retries; the others get none.
    assert_eq!(per_request, vec![3, 1, 1]);
    assert_eq!(attempts(&server).await, 5);
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

async fn upload(
    client: &meibel::Client,
) -> Result<types::ParseDocumentResponse, Error<types::HttpValidationError>> {
    let file = meibel::upload::FilePart::bytes(b"%PDF-1.4 tiny".to_vec(), "doc.pdf");
    client.parse_document().file(file).send().await.map(|r| r.into_inner())
}

fn not_resent_message<T: std::fmt::Debug, E: std::fmt::Debug>(outcome: Result<T, Error<E>>) -> String {
    match outcome {
        Err(Error::Custom(msg)) => msg,
        other => panic!("expected Custom, got {other:?}"),
    }
}

#[tokio::test]
async fn multipart_upload_answered_429_is_not_sent_again() {
    let server = upload_server(429).await;
    let client = client_at(&server.uri(), fast());
    let msg = not_resent_message(upload(&client).await);
    assert!(msg.contains("cannot be sent again"), "{msg}");
    assert!(msg.contains("429") && msg.contains("/v2/documents"), "{msg}");
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn multipart_upload_answered_503() {
    // Default policy: POST is not retried on 503 at all, so the caller gets the 503.
    let server = upload_server(503).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(unexpected_status(upload(&client).await), 503);
    assert_eq!(attempts(&server).await, 1);

    // Opted in: it would be retried, but the streamed body cannot be sent again.
    let server = upload_server(503).await;
    let client = client_at(&server.uri(), fast().retry_non_idempotent(true));
    let msg = not_resent_message(upload(&client).await);
    assert!(msg.contains("cannot be sent again") && msg.contains("503"), "{msg}");
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
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap();
    match outcome {
        Err(Error::CommunicationError(e)) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected CommunicationError, got {other:?}"),
    }
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
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap();
    assert!(matches!(&outcome, Err(Error::CommunicationError(e)) if e.is_connect()), "{outcome:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 4, "1 attempt + 3 retries");

    // Multipart: the connection failed before anything was sent, but the streamed body
    // is not replayable, so there is exactly one attempt and the transport error.
    calls.store(0, Ordering::SeqCst);
    let outcome = tokio::time::timeout(NO_HANG, upload(&client)).await.unwrap();
    assert!(matches!(&outcome, Err(Error::CommunicationError(e)) if e.is_connect()), "{outcome:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_closed_after_request_is_not_retried() {
    let server = RawServer::start(Fault::Close).await;
    let client = client_at(&server.base(), fast());
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap();
    match outcome {
        Err(Error::CommunicationError(e)) => assert!(!e.is_connect(), "{e:?}"),
        other => panic!("expected CommunicationError, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn connection_reset_after_request_is_not_retried() {
    let server = RawServer::start(Fault::Reset).await;
    let client = client_at(&server.base(), fast());
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap();
    match outcome {
        Err(Error::CommunicationError(e)) => assert!(!e.is_connect(), "{e:?}"),
        other => panic!("expected CommunicationError, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn silent_server_hits_read_timeout() {
    let server = RawServer::start(Fault::Write(Vec::new(), Duration::from_secs(30))).await;
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.base()))
        .retry_policy(fast())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = Instant::now();
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("ends, no hang");
    match outcome {
        Err(Error::CommunicationError(e)) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(start.elapsed() >= Duration::from_millis(250));
    assert_eq!(server.requests(), 1, "a timeout after sending is not retried");
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
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.expect("ends, no hang");
    match outcome {
        Err(Error::ResponseBodyError(e)) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected ResponseBodyError, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn truncated_body_is_a_body_error() {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n".to_vec();
    bytes.extend_from_slice(br#"{"id": "ds_1", "name": "do"#);
    let server = RawServer::start(Fault::Write(bytes, Duration::ZERO)).await;
    let client = client_at(&server.base(), fast());
    let outcome = tokio::time::timeout(NO_HANG, get_ds(&client)).await.unwrap();
    match outcome {
        // reqwest reports the incomplete body (hyper `IncompleteBody`) as a decode error.
        Err(Error::ResponseBodyError(e)) => assert!(e.is_decode() && !e.is_timeout(), "{e:?}"),
        other => panic!("expected ResponseBodyError, got {other:?}"),
    }
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
async fn syntactically_truncated_json_is_invalid_payload() {
    let body = br#"{"id": "ds_1", "name": "docs", "descr"#;
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json")).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::InvalidResponsePayload(bytes, e)) => {
            assert_eq!(&bytes[..], &body[..], "the raw body is handed back");
            assert!(e.is_eof(), "{e}");
        }
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn html_500_is_unexpected_and_not_retried() {
    let html = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server = serve_once(ResponseTemplate::new(500).set_body_raw(html, "text/html")).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::UnexpectedResponse(resp)) => {
            assert_eq!(resp.status(), 500);
            assert_eq!(resp.text().await.unwrap(), html, "the body is left for the caller");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(attempts(&server).await, 1);
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[tokio::test]
async fn huge_valid_422_body_is_not_buffered() {
    let body = json!({"detail": [], "padding": "x".repeat(TEN_MB)});
    let server = serve_once(ResponseTemplate::new(422).set_body_json(body)).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        // Error replies are read up to meibel's limit (1 MiB); past it the read fails.
        Err(Error::ResponseBodyError(e)) => assert!(e.to_string().contains("body"), "{e}"),
        other => panic!("expected ResponseBodyError, got {:?}", other.map(|_| ()).map_err(|e| e.to_string())),
    }
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn huge_invalid_422_body_is_not_buffered() {
    let server =
        serve_once(ResponseTemplate::new(422).set_body_raw(vec![b'x'; TEN_MB], "application/json")).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::ResponseBodyError(_)) => {}
        Err(other) => panic!("expected ResponseBodyError, got {}", other),
        Ok(_) => panic!("expected an error"),
    }
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn error_bodies_under_the_limit_decode() {
    let body =
        json!({"detail": [{"loc": ["body"], "msg": "m", "type": "t"}], "padding": "x".repeat(512 * 1024)});
    let server = serve_once(ResponseTemplate::new(422).set_body_json(body)).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::ErrorResponse(rv)) => assert_eq!(rv.detail[0].msg, "m"),
        other => panic!("expected ErrorResponse, got {:?}", other.map(|_| ()).map_err(|e| e.to_string())),
    }
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
    assert_eq!(unexpected_status(get_ds(&client).await), 302, "the redirect is handed back, not followed");
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
async fn unknown_statuses_are_unexpected() {
    for status in [299u16, 599] {
        let server = serve_once(ResponseTemplate::new(status).set_body_json(datasource_json())).await;
        let client = client_at(&server.uri(), fast());
        assert_eq!(unexpected_status(get_ds(&client).await), status);
        assert_eq!(attempts(&server).await, 1, "{status} is not retried");
    }
}

#[tokio::test]
async fn content_type_is_not_checked() {
    // JSON labelled text/plain decodes: the content type is ignored.
    let text = serde_json::to_vec(&datasource_json()).unwrap();
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(text, "text/plain")).await;
    let client = client_at(&server.uri(), fast());
    assert_eq!(get_ds(&client).await.unwrap().name, "docs");

    // Plain text is an invalid payload.
    let server = serve_once(ResponseTemplate::new(200).set_body_raw("all good", "text/plain")).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::InvalidResponsePayload(bytes, _)) => assert_eq!(&bytes[..], b"all good"),
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn invalid_utf8_in_json_string_is_invalid_payload() {
    let mut body = serde_json::to_vec(&datasource_json()).unwrap();
    let at = body.windows(4).position(|w| w == b"docs").unwrap();
    body[at + 1] = 0xff; // "d\xffcs"
    let server = serve_once(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let client = client_at(&server.uri(), fast());
    match get_ds(&client).await {
        Err(Error::InvalidResponsePayload(bytes, _)) => assert_eq!(bytes.to_vec(), body),
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
    assert_eq!(attempts(&server).await, 1);
}

/// What this file asserts, fault by fault.
///
/// | Fault | Outcome | Attempts |
/// |---|---|---|
/// | GET answered 503, 503, 200 | decoded value | 3 |
/// | 429 `Retry-After: 1`, then 200 | decoded value, elapsed >= 0.9 s | 2 |
/// | 429 `Retry-After: <HTTP date ~2-3 s ahead>`, then 200 | decoded value, elapsed >= 1.9 s | 2 |
/// | 429 `Retry-After: 3600` with `max_retry_after(200 ms)` | decoded value, elapsed >= 190 ms, ends < 10 s | 2 |
/// | POST answered 503 (default policy) | `UnexpectedResponse` 503 | 1 |
/// | POST answered 503, then 200, `retry_non_idempotent(true)` | decoded value, same body re-sent | 2 |
/// | POST answered 429, then 200 | decoded value | 2 |
/// | GET answered 503 forever, `max_retries(2)` | `UnexpectedResponse` 503 | 3 |
/// | GET answered 502 forever, default policy | `UnexpectedResponse` 502 | 4 |
/// | `budget(2)`, 3 GETs answered 503 forever | `UnexpectedResponse` 503 each | 3, 1, 1 (5 total) |
/// | multipart upload answered 429, then 200 | `Custom` ("... cannot be sent again") | 1 |
/// | multipart upload answered 503 (default policy) | `UnexpectedResponse` 503 | 1 |
/// | multipart upload answered 503, `retry_non_idempotent(true)` | `Custom` ("... cannot be sent again") | 1 |
/// | multipart upload answered 200 | decoded value | 1 |
/// | connection refused, GET | `CommunicationError` (`is_connect`) | 4 connects (1 + 3 retries) |
/// | connection refused, multipart upload | `CommunicationError` (`is_connect`) | 1 connect |
/// | connection closed after the request was read | `CommunicationError` (not connect) | 1 |
/// | connection reset after the request was read | `CommunicationError` (not connect) | 1 |
/// | no reply at all, `read_timeout(300 ms)` | `CommunicationError` (`is_timeout`), no hang | 1 |
/// | headers, then a body that stalls, `read_timeout(300 ms)` | `ResponseBodyError` (`is_timeout`), no hang | 1 |
/// | `Content-Length: 1000`, 26 bytes, close | `ResponseBodyError` (incomplete body) | 1 |
/// | 200 with truncated JSON | `InvalidResponsePayload` (raw bytes kept, EOF error) | 1 |
/// | 500 with an HTML body | `UnexpectedResponse` 500, body readable | 1 |
/// | 422 with a 10 MB valid JSON body | `ResponseBodyError` (error replies are read up to 1 MiB) | 1 |
/// | 422 with a 512 KiB valid JSON body | `ErrorResponse` 422 decoded | 1 |
/// | 422 with 10 MB of invalid JSON | `ResponseBodyError` (not buffered) | 1 |
/// | 302 to another origin | `UnexpectedResponse` 302; other origin saw 0 requests | 1 |
/// | 307 to the same origin | decoded value, key sent on the redirected request | 2 |
/// | status 299 / 599 | `UnexpectedResponse` 299 / 599 | 1 each |
/// | 200 `text/plain` holding JSON | decoded value | 1 |
/// | 200 `text/plain` holding text | `InvalidResponsePayload` | 1 |
/// | invalid UTF-8 inside a JSON string | `InvalidResponsePayload` | 1 |
#[allow(dead_code)]
const FAULT_TABLE: () = ();
