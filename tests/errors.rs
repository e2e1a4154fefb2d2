//! The one error type: what it prints, and what it answers without reading anything more.

use std::time::Duration;

use meibel::error::MAX_ERROR_BODY;
use meibel::{Error, ErrorKind};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup(template: ResponseTemplate) -> (MockServer, meibel::Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v2/agents/a")).respond_with(template).mount(&server).await;
    let client = meibel::Client::builder()
        .api_key("k")
        .base_url(format!("{}/v2", server.uri()))
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn get_agent(client: &meibel::Client) -> Error {
    client.get_agent().agent_id("a").send().await.expect_err("the call fails")
}

#[tokio::test]
async fn not_found_with_fastapi_detail() {
    let (_s, client) = setup(
        ResponseTemplate::new(404)
            .set_body_json(json!({"detail": "Agent not found"}))
            .insert_header("x-request-id", "req-42"),
    )
    .await;
    let err = get_agent(&client).await;
    assert!(err.is_not_found());
    assert!(!err.is_rate_limited());
    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.message(), Some("Agent not found"));
    assert_eq!(err.operation(), Some("GET /agents/a"));
    assert_eq!(err.to_string(), "GET /agents/a: 404 Not Found: Agent not found (request id req-42)");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn validation_details_are_flattened_and_typed() {
    let (_s, client) = setup(ResponseTemplate::new(422).set_body_json(json!({"detail": [
        {"loc": ["path", "agent_id"], "msg": "too short", "type": "string_too_short"},
        {"loc": ["query", "limit", 0], "msg": "not an integer", "type": "int_parsing"}
    ]})))
    .await;
    let err = get_agent(&client).await;
    assert!(err.is_validation());
    assert_eq!(err.validation().len(), 2);
    assert_eq!(err.validation()[0].location, "path.agent_id");
    assert_eq!(err.validation()[1].location, "query.limit.0");
    assert_eq!(err.validation()[1].message, "not an integer");
    assert_eq!(
        err.to_string(),
        "GET /agents/a: 422 Unprocessable Entity: too short (path.agent_id) and 1 more"
    );
    let typed = err.error_body::<meibel::types::HttpValidationError>().expect("the documented 422 body");
    assert_eq!(typed.detail[1].type_, "int_parsing");
}

#[tokio::test]
async fn rate_limit_headers_and_retry_after() {
    let (_s, client) = setup(
        ResponseTemplate::new(429)
            .set_body_json(json!({"message": "slow down"}))
            .insert_header("retry-after", "7")
            .insert_header("x-ratelimit-limit", "100")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", "30"),
    )
    .await;
    let err = get_agent(&client).await;
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    let rl = err.rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (Some(100), Some(0), Some(30)));
    assert_eq!(err.message(), Some("slow down"));
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "GET /agents/a: 429 Too Many Requests: slow down");
}

#[tokio::test]
async fn html_error_pages_become_one_line() {
    let (_s, client) = setup(
        ResponseTemplate::new(500)
            .set_body_raw("<html>\n<body>Internal\nServer Error</body>\n</html>", "text/html"),
    )
    .await;
    let err = get_agent(&client).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        err.to_string(),
        "GET /agents/a: 500 Internal Server Error: \"<html> <body>Internal Server Error</body> </html>\""
    );
}

#[tokio::test]
async fn nested_error_objects_and_plain_messages() {
    let (_s, client) =
        setup(ResponseTemplate::new(403).set_body_json(json!({"error": {"message": "key revoked"}}))).await;
    let err = get_agent(&client).await;
    assert!(err.is_unauthorized());
    assert_eq!(err.message(), Some("key revoked"));
    let (_s, client) =
        setup(ResponseTemplate::new(409).set_body_json(json!({"error": "already exists"}))).await;
    assert_eq!(get_agent(&client).await.message(), Some("already exists"));
    let (_s, client) = setup(ResponseTemplate::new(503)).await;
    assert_eq!(get_agent(&client).await.to_string(), "GET /agents/a: 503 Service Unavailable");
}

#[tokio::test]
async fn huge_error_bodies_are_read_only_in_part() {
    let big = "x".repeat(10 * 1024 * 1024);
    let (_s, client) = setup(ResponseTemplate::new(502).set_body_raw(big, "text/plain")).await;
    let err = get_agent(&client).await;
    assert_eq!(err.body().map(|b| b.len()), Some(MAX_ERROR_BODY));
    assert!(err.to_string().len() < 300, "{err}");
    assert!(format!("{err:?}").len() < 4096);
}

#[tokio::test]
async fn connection_failures_and_bad_payloads() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = meibel::Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}/v2"))
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap();
    let err = get_agent(&client).await;
    assert_eq!(err.kind(), ErrorKind::Connect);
    assert!(err.is_retryable());
    assert!(err.status().is_none());
    assert!(err.cause().is_some_and(|c| c.downcast_ref::<reqwest::Error>().is_some()));

    let (_s, client) = setup(ResponseTemplate::new(200).set_body_raw("{\"id\": 1", "application/json")).await;
    let err = get_agent(&client).await;
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.preview().as_deref(), Some("{\"id\": 1"));
    assert_eq!(err.content_type(), Some("application/json"));

    let err = client.get_agent().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(err.to_string(), "GET /agents/{agent_id}: invalid argument: agent_id was not initialized");
}

#[test]
fn configuration_errors_convert() {
    fn build() -> Result<meibel::Client, Error> {
        Ok(meibel::Client::builder().api_key("k").base_url("http://api.example.com/v2").build()?)
    }
    let err = build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(
        err.to_string(),
        "client configuration: refusing plain HTTP base URL http://api.example.com/v2: use https (http is allowed only for loopback hosts)"
    );
}

#[test]
fn stream_download_and_wait_errors_convert() {
    let idle: Error = meibel::sse::StreamError::IdleTimeout(Duration::from_secs(30)).into();
    assert_eq!(
        (idle.kind(), idle.to_string().as_str()),
        (ErrorKind::Timeout, "event stream idle: no data for 30 s")
    );
    let long: Error = meibel::sse::StreamError::TooLarge { limit: 8 }.into();
    assert_eq!(long.kind(), ErrorKind::TooLarge);
    let other: Error = meibel::sse::StreamError::ContentType {
        content_type: "application/json".into(),
        preview: "{}".into(),
    }
    .into();
    assert_eq!(other.kind(), ErrorKind::Decode);
    assert_eq!(other.content_type(), Some("application/json"));
    assert!(other.to_string().contains("expected an event stream, got application/json"), "{other}");
    let big: Error = meibel::download::DownloadError::TooLarge { limit: 10 }.into();
    assert_eq!(
        (big.kind(), big.to_string().as_str()),
        (ErrorKind::TooLarge, "download larger than the limit of 10 bytes")
    );
    let waited: Error =
        meibel::wait::WaitError::<Error>::TimedOut { attempts: 3, waited: Duration::from_secs(2) }.into();
    assert_eq!(
        (waited.kind(), waited.to_string().as_str()),
        (ErrorKind::Timeout, "wait: not done after 3 checks over 2 s")
    );
}
