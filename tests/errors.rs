//! The flattened error view: status, server message, validation details, headers.

use std::time::Duration;

use meibel::error::{ErrorKind, MAX_ERROR_BODY};
use meibel::{ApiError, ErrorExt};
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

#[tokio::test]
async fn not_found_with_fastapi_detail() {
    let (_s, client) = setup(
        ResponseTemplate::new(404)
            .set_body_json(json!({"detail": "Agent not found"}))
            .insert_header("x-request-id", "req-42"),
    )
    .await;
    let err = client.get_agent().agent_id("a").send().await.unwrap_err();
    assert!(err.is_not_found());
    assert!(!err.is_rate_limited());
    assert_eq!(err.request_id(), Some("req-42"));
    let api = ApiError::from_error(err).await;
    assert_eq!(api.kind, ErrorKind::Status);
    assert_eq!(api.message, "Agent not found");
    assert_eq!(api.to_string(), "404 Agent not found (request id req-42)");
    assert!(api.is_not_found());
    assert!(!api.is_retryable());
}

#[tokio::test]
async fn validation_details_are_flattened() {
    let (_s, client) = setup(ResponseTemplate::new(422).set_body_json(json!({"detail": [
        {"loc": ["path", "agent_id"], "msg": "too short", "type": "string_too_short"},
        {"loc": ["query", "limit", 0], "msg": "not an integer", "type": "int_parsing"}
    ]})))
    .await;
    let err = client.get_agent().agent_id("a").send().await.unwrap_err();
    assert!(err.is_validation());
    let api = ApiError::from_error(err).await;
    assert_eq!(api.validation.len(), 2);
    assert_eq!(api.validation[0].location, "path.agent_id");
    assert_eq!(api.validation[1].location, "query.limit.0");
    assert_eq!(api.validation[1].message, "not an integer");
    assert_eq!(api.to_string(), "422 invalid request: too short (path.agent_id) and 1 more");
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
    let err = client.get_agent().agent_id("a").send().await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    let rl = err.rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (Some(100), Some(0), Some(30)));
    let api = ApiError::from_error(err).await;
    assert_eq!(api.message, "slow down");
    assert!(api.is_retryable());
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn html_error_pages_become_one_line() {
    let (_s, client) = setup(
        ResponseTemplate::new(500)
            .set_body_raw("<html>\n<body>Internal\nServer Error</body>\n</html>", "text/html"),
    )
    .await;
    let api = ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await;
    assert_eq!(api.status.map(|s| s.as_u16()), Some(500));
    assert!(!api.message.contains('\n'), "{:?}", api.message);
    assert!(api.message.contains("Internal"), "{:?}", api.message);
    assert!(!api.to_string().contains('\n'));
}

#[tokio::test]
async fn nested_error_objects_and_plain_messages() {
    let (_s, client) =
        setup(ResponseTemplate::new(403).set_body_json(json!({"error": {"message": "key revoked"}}))).await;
    let err = client.get_agent().agent_id("a").send().await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(ApiError::from_error(err).await.message, "key revoked");
    let (_s, client) =
        setup(ResponseTemplate::new(409).set_body_json(json!({"error": "already exists"}))).await;
    assert_eq!(
        ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await.message,
        "already exists"
    );
    let (_s, client) = setup(ResponseTemplate::new(503)).await;
    let api = ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await;
    assert_eq!(api.to_string(), "503 Service Unavailable");
}

#[tokio::test]
async fn huge_error_bodies_are_read_only_in_part() {
    let big = "x".repeat(10 * 1024 * 1024);
    let (_s, client) = setup(ResponseTemplate::new(502).set_body_raw(big, "text/plain")).await;
    let api = ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await;
    assert_eq!(api.body.as_ref().map(|b| b.len()), Some(MAX_ERROR_BODY));
    assert!(api.message.len() <= 200);
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
    let api = ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await;
    assert_eq!(api.kind, ErrorKind::Connection);
    assert!(api.is_retryable());
    assert!(api.status.is_none());

    let (_s, client) = setup(ResponseTemplate::new(200).set_body_raw("{\"id\": 1", "application/json")).await;
    let api = ApiError::from_error(client.get_agent().agent_id("a").send().await.unwrap_err()).await;
    assert_eq!(api.kind, ErrorKind::Decode);
    assert!(api.message.starts_with("unexpected reply"), "{}", api.message);
    assert_eq!(api.body.as_deref(), Some(&b"{\"id\": 1"[..]));

    let api = ApiError::from_error(client.get_agent().send().await.unwrap_err()).await;
    assert_eq!(api.kind, ErrorKind::InvalidRequest);
    assert!(api.message.contains("agent_id"), "{}", api.message);
}
