//! The test kit users get with the `mock` feature: typed `httpmock` mocks per operation,
//! used here as a user would use them in their own tests.
#![cfg(feature = "mock")]

use httpmock::MockServer;
use meibel::mock::MockServerExt;
use meibel::types;
use serde_json::json;

fn client(server: &MockServer) -> meibel::Client {
    meibel::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap()
}

fn datasource(id: &str, name: &str) -> types::DatasourceResponse {
    // Decoded from JSON rather than written as a struct literal, so that the test keeps
    // compiling when a new version of the spec adds fields.
    serde_json::from_value(json!({
        "id": id,
        "name": name,
        "description": "Employee handbook",
        "connector": {"type": "web_crawl"},
        "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-01-02T03:04:05Z",
    }))
    .unwrap_or_else(|e| panic!("fixture does not fit DatasourceResponse: {e}"))
}

#[tokio::test]
async fn a_typed_body_matcher_and_a_typed_reply() {
    let server = MockServer::start_async().await;
    let request: types::CreateDatasourceRequest =
        types::CreateDatasourceRequest::builder().name("handbook").try_into().unwrap();
    let mock = server.create_datasource(|when, then| {
        when.body(&request);
        then.ok(&datasource("ds-9", "handbook"));
    });

    let created = client(&server).create_datasource().body(request.clone()).send().await.unwrap();
    assert_eq!(created.id, "ds-9");
    assert_eq!(created.name, "handbook");
    mock.assert_async().await;

    // Another body does not match the mock: the server's default reply is a 404.
    let other: types::CreateDatasourceRequest =
        types::CreateDatasourceRequest::builder().name("other").try_into().unwrap();
    let err = client(&server).create_datasource().body(other).send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn a_typed_validation_error_reaches_the_caller() {
    let server = MockServer::start_async().await;
    let invalid: types::HttpValidationError = serde_json::from_value(json!({
        "detail": [{"loc": ["path", "datasource_id"], "msg": "not a valid id", "type": "value_error"}]
    }))
    .unwrap();
    let mock = server.get_datasource(|when, then| {
        // Matched as the client sends it: percent-encoded, taken literally.
        when.datasource_id("bad id (v1.0)");
        then.unprocessable_entity(&invalid);
    });

    let err = client(&server).get_datasource().datasource_id("bad id (v1.0)").send().await.unwrap_err();
    assert!(err.is_validation(), "{err:?}");
    assert_eq!(err.validation().len(), 1);
    assert_eq!(err.validation()[0].location, "path.datasource_id");
    assert_eq!(err.validation()[0].message, "not a valid id");
    mock.assert_async().await;
}

#[tokio::test]
async fn path_matchers_take_ids_literally() {
    let server = MockServer::start_async().await;
    let mock = server.get_datasource(|when, then| {
        when.datasource_id("a.c");
        then.ok(&datasource("a.c", "dotted"));
    });
    // "abc" would match the unescaped pattern `^/datasources/a.c$`.
    let err = client(&server).get_datasource().datasource_id("abc").send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let found = client(&server).get_datasource().datasource_id("a.c").send().await.unwrap();
    assert_eq!(found.name, "dotted");
    assert_eq!(mock.calls_async().await, 1);
}
