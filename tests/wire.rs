//! What the client puts on the wire and how it reads replies, against a local mock.

use meibel::types;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test-key-0123";

async fn client_for(server: &MockServer) -> meibel::Client {
    meibel::Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().unwrap()
}

fn keyed(req: &Request) -> bool {
    req.headers.get("meibel-api-key").and_then(|v| v.to_str().ok()) == Some(KEY)
}

#[tokio::test]
async fn get_with_path_and_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/agents/ag%2F1%20%C3%A9/versions"))
        .and(query_param("limit", "5"))
        .and(query_param("offset", "10"))
        .and(header("meibel-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [], "total": 0, "offset": 10, "limit": 5
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let resp = client.list_agent_versions().agent_id("ag/1 é").limit(5).offset(10).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.total, 0);
    assert_eq!(resp.offset, 10);
    let req = &server.received_requests().await.unwrap()[0];
    // Unset optional parameters are not sent at all.
    let q = req.url.query().unwrap_or_default().to_string();
    assert!(!q.contains("sort"), "{q}");
}

#[tokio::test]
async fn post_with_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/datasources"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "docs", "description": "team docs"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "ds_1", "name": "docs", "description": "team docs",
            "connector": {"type": "web_crawl", "web_crawl": null},
            "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
            "last_sync_at": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let body = types::CreateDatasourceRequest::builder().name("docs").description("team docs".to_string());
    let err_or_resp = client.create_datasource().body(body).send().await;
    let resp = match err_or_resp {
        Ok(r) => r,
        Err(e) => panic!("create failed: {e:?}"),
    };
    assert_eq!(resp.id, "ds_1");
    assert_eq!(resp.name, "docs");
    assert_eq!(resp.connector.type_, types::ConnectorSummaryType::WebCrawl);
    assert!(resp.last_sync_at.is_none());
}

#[tokio::test]
async fn validation_error_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/agents/x"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["path", "agent_id", 0], "msg": "too short", "type": "string_too_short",
                        "input": "x", "ctx": {"min_length": 3}}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let err = client.get_agent().agent_id("x").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    match err.error_body::<meibel::types::HttpValidationError>() {
        Some(v) => {
            let d = &v.detail[0];
            assert_eq!(d.msg, "too short");
            assert_eq!(d.type_, "string_too_short");
            assert_eq!(d.loc.len(), 3);
            assert_eq!(serde_json::to_value(&d.loc).unwrap(), json!(["path", "agent_id", 0]));
            assert_eq!(d.ctx["min_length"], 3);
        }
        other => panic!("expected a typed 422, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/datasources/ds_1/ingest-status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "datasource_id": "ds_1",
            "status": "paused_for_maintenance",
            "brand_new_field": {"nested": [1, 2, 3]},
            "methods": []
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/datasources/ds_2/ingest-status"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"datasource_id": "ds_2", "status": "running"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let resp = client.get_ingest_status().datasource_id("ds_1").send().await.unwrap();
    assert_eq!(resp.status, types::IngestStatus::Other("paused_for_maintenance".into()));
    assert!(resp.status.is_other());
    // The unknown value round-trips unchanged.
    assert_eq!(serde_json::to_value(&resp.status).unwrap(), json!("paused_for_maintenance"));
    let resp = client.get_ingest_status().datasource_id("ds_2").send().await.unwrap();
    assert_eq!(resp.status, types::IngestStatus::Running);
    assert_eq!(resp.status.as_str(), "running");
}

#[tokio::test]
async fn every_request_carries_the_key_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client_for(&server).await;
    client.list_scoring_jobs().send().await.unwrap();
    client.list_tables().datasource_id("d").send().await.unwrap();
    client.delete_agent().agent_id("a").send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert!(keyed(r), "{} {} lacks the key", r.method, r.url);
        let ua = r.headers.get("user-agent").unwrap().to_str().unwrap();
        assert_eq!(ua, meibel::DEFAULT_USER_AGENT);
        assert!(ua.starts_with("meibel-rust/"));
    }
}

#[tokio::test]
async fn key_never_shows_in_debug_output() {
    let server = MockServer::start().await;
    let client = client_for(&server).await;
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(KEY), "{shown}");
    // Nor in errors.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let err = client.get_agent().agent_id("a").send().await.unwrap_err();
    let shown = format!("{err:?} {err}");
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn redirects_to_another_host_do_not_carry_the_key() {
    let origin = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&other)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/confidence-scoring/jobs"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/v2/confidence-scoring/jobs", other.uri())),
        )
        .mount(&origin)
        .await;
    // A same-origin redirect is followed, with the key.
    Mock::given(method("GET"))
        .and(path("/v2/datasources/d/tables"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/v2/datasources/e/tables"))
        .mount(&origin)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/datasources/e/tables"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&origin)
        .await;
    let client = client_for(&origin).await;
    let err = client.list_scoring_jobs().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    assert!(other.received_requests().await.unwrap().is_empty(), "the other host was contacted");

    client.list_tables().datasource_id("d").send().await.unwrap();
    let reqs = origin.received_requests().await.unwrap();
    let followed = reqs.iter().find(|r| r.url.path() == "/v2/datasources/e/tables").expect("followed");
    assert!(keyed(followed));
}

#[tokio::test]
async fn from_env_reads_key_and_base_url() {
    // One test touches the environment, so there is no race with others in this binary.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    unsafe {
        std::env::remove_var(meibel::ENV_API_KEY);
        std::env::remove_var(meibel::ENV_BASE_URL);
    }
    assert_eq!(meibel::Client::from_env().unwrap_err(), meibel::ConfigError::MissingApiKey);
    unsafe {
        std::env::set_var(meibel::ENV_API_KEY, KEY);
    }
    let default = meibel::Client::from_env().unwrap();
    use meibel::ClientInfo;
    assert_eq!(default.baseurl(), meibel::DEFAULT_BASE_URL);
    unsafe {
        std::env::set_var(meibel::ENV_BASE_URL, format!("{}/v2/", server.uri()));
    }
    let client = meibel::Client::from_env().unwrap();
    client.list_scoring_jobs().send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].url.path(), "/v2/confidence-scoring/jobs");
    assert!(keyed(&reqs[0]));
    unsafe {
        std::env::set_var(meibel::ENV_BASE_URL, "http://example.com/v2");
    }
    assert!(matches!(meibel::Client::from_env().unwrap_err(), meibel::ConfigError::InsecureBaseUrl(_)));
}
