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
    // The matcher takes the builder the client takes.
    let mock = server.create_datasource(|when, then| {
        when.body(types::CreateDatasourceRequest::builder().name("handbook"));
        then.ok(datasource("ds-9", "handbook"));
    });

    let created = client(&server)
        .create_datasource()
        .body(types::CreateDatasourceRequest::builder().name("handbook"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, "ds-9");
    assert_eq!(created.name, "handbook");
    mock.assert_async().await;

    // Another body does not match the mock: the server's default reply is a 404.
    let other = types::CreateDatasourceRequest::builder().name("other");
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
        then.unprocessable_entity(invalid);
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
        then.ok(datasource("a.c", "dotted"));
    });
    // "abc" would match the unescaped pattern `^/datasources/a.c$`.
    let err = client(&server).get_datasource().datasource_id("abc").send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let found = client(&server).get_datasource().datasource_id("a.c").send().await.unwrap();
    assert_eq!(found.name, "dotted");
    assert_eq!(mock.calls_async().await, 1);
}

fn client_under(server: &MockServer, base: &str) -> meibel::Client {
    meibel::Client::builder()
        .api_key("test-key")
        .base_url(server.url(base))
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn any_status_with_a_plain_detail_or_json() {
    let server = MockServer::start_async().await;
    let gone = server.get_datasource(|when, then| {
        when.datasource_id("gone");
        then.status(404).detail("no such thing");
    });
    let busy = server.get_datasource(|when, then| {
        when.datasource_id("busy");
        then.status(503).json(json!({"detail": "try later", "retry": true}));
    });
    let c = client_under(&server, "/v2");
    let err = c.get_datasource().datasource_id("gone").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
    assert_eq!(err.message(), Some("no such thing"));
    let err = c.get_datasource().datasource_id("busy").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    gone.assert_async().await;
    busy.assert_async().await;
}

#[tokio::test]
async fn uploads_match_on_file_names_and_contents() {
    use meibel::upload::FilePart;
    let server = MockServer::start_async().await;
    let mock = server.upload_content(|when, then| {
        when.datasource_id("ds-1").files("a.md", "# A").files("b.csv", "x,y\n");
        // The reply's builder, as the client's setters take builders.
        then.ok(types::UploadContentResponse::builder()
            .success(true)
            .message("accepted")
            .datasource_id("ds-1")
            .upload_id("up-1")
            .sse_url("/datasources/uploads/up-1/progress"));
    });
    let c = client_under(&server, "/v2");
    let send = |files: Vec<FilePart>| c.upload_content().datasource_id("ds-1").files(files).send();
    let ok = send(vec![FilePart::bytes(&b"# A"[..], "a.md"), FilePart::bytes(&b"x,y\n"[..], "b.csv")])
        .await
        .unwrap();
    assert_eq!(ok.upload_id, "up-1");
    // Other contents, another file name, or a file missing: no match.
    for files in [
        vec![FilePart::bytes(&b"# B"[..], "a.md"), FilePart::bytes(&b"x,y\n"[..], "b.csv")],
        vec![FilePart::bytes(&b"# A"[..], "c.md"), FilePart::bytes(&b"x,y\n"[..], "b.csv")],
        vec![FilePart::bytes(&b"# A"[..], "a.md")],
    ] {
        let err = send(files).await.unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
    }
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn form_fields_match_on_their_text() {
    let server = MockServer::start_async().await;
    let mock = server.send_chat_message_stream(|when, then| {
        when.session_id("s-1").user_message("hello").timeout_seconds(30);
        then.ok([]);
    });
    let c = client_under(&server, "");
    let send = |text: &str| {
        c.send_chat_message_stream()
            .session_id("s-1")
            .user_message(text.to_string())
            .timeout_seconds(30)
            .send()
    };
    assert!(send("hello").await.is_ok());
    assert!(send("goodbye").await.unwrap_err().is_not_found());
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn streams_reply_with_typed_events() {
    use futures_util::TryStreamExt;
    use meibel::events::{EventKind, SendChatMessageStreamEvent as Chat};
    let server = MockServer::start_async().await;
    let mock = server.send_chat_message_stream(|when, then| {
        when.session_id("s-1");
        then.ok([
            Chat::Connected(json!({"session_id": "s-1"})),
            Chat::PartialResponse(json!({"text": "Hel"})),
            Chat::Other { event: "brand_new".into(), data: "plain text".into() },
            Chat::Completion(json!({"finish_reason": "stop"})),
        ]);
    });
    let c = client_under(&server, "/v2");
    let events: Vec<_> = c
        .send_chat_message_stream()
        .session_id("s-1")
        .send_events()
        .await
        .unwrap()
        .into_inner()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = events.iter().map(|e| e.event.name().to_string()).collect();
    assert_eq!(names, ["connected", "partial_response", "brand_new", "completion"]);
    assert_eq!(events[1].event, Chat::PartialResponse(json!({"text": "Hel"})));
    assert_eq!(events[2].event, Chat::Other { event: "brand_new".into(), data: "plain text".into() });
    // The raw event stays reachable.
    assert_eq!(events[1].raw.event, "partial_response");
    assert_eq!(events[1].raw.data_json(), Some(json!({"text": "Hel"})));
    mock.assert_async().await;
}
