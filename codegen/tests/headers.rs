//! The headers of a generated `send()`: constant ones are set in the request builder
//! chain; a map of their own is built only when a header parameter needs it.

use meibel_codegen as codegen;
use serde_json::{Value, json};

fn document(paths: Value) -> String {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1.2.3"},
        "paths": paths,
        "components": {"schemas": {}}
    })
    .to_string()
}

fn ok() -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}})
}

/// The body of the generated `send()` of `id`, without whitespace.
fn send_of(client: &str, id: &str) -> String {
    let at = client.find(&format!("id: \"{id}\"")).unwrap_or_else(|| panic!("no send() of {id}"));
    let end = client[at..].find("match response.status()").expect("the status match") + at;
    client[at..end].split_whitespace().collect()
}

#[test]
fn constant_headers_are_set_in_the_builder_chain() {
    let doc = document(json!({
        "/items/{item_id}": {
            "get": {"operationId": "get_item", "responses": ok(),
                "parameters": [{"name": "item_id", "in": "path", "required": true, "schema": {"type": "string"}}]},
            "post": {"operationId": "put_item", "responses": ok(),
                "parameters": [{"name": "item_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}}}
        }
    }));
    let out = codegen::generate(&doc).expect("generates");
    for id in ["get_item", "put_item"] {
        let send = send_of(&out.client, id);
        assert!(!send.contains("header_map"), "{id}: {send}");
        assert!(
            send.contains(
                ".header(::reqwest::header::HeaderName::from_static(\"api-version\"),\
                 ::reqwest::header::HeaderValue::from_static(super::Client::api_version(),),).build()"
            ),
            "{id}: {send}"
        );
        assert_eq!(send.matches(".header(").count(), 2, "{id}: accept and api-version: {send}");
    }
}

#[test]
fn a_header_parameter_keeps_the_map() {
    let doc = document(json!({
        "/items": {
            "get": {"operationId": "list_items", "responses": ok(),
                "parameters": [
                    {"name": "x-tenant", "in": "header", "required": true, "schema": {"type": "string"}},
                    {"name": "x-trace", "in": "header", "required": false, "schema": {"type": "string"}}
                ]}
        }
    }));
    let out = codegen::generate(&doc).expect("generates");
    let send = send_of(&out.client, "list_items");
    assert!(send.contains("letmutheader_map=::reqwest::header::HeaderMap::with_capacity(3usize);"), "{send}");
    assert!(send.contains("header_map.append(\"x-tenant\","), "{send}");
    assert!(send.contains(".headers(header_map)"), "{send}");
    assert!(!send.contains("from_static(\"api-version\"),::reqwest::header::HeaderValue::from_static(super::Client::api_version(),),).build()"), "{send}");
}

#[test]
fn a_request_built_from_kept_values_is_built_again_for_a_retry() {
    let doc = document(json!({
        "/items/{item_id}": {
            "post": {"operationId": "put_item", "responses": ok(),
                "parameters": [{"name": "item_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}}}
        },
        "/items": {
            "get": {"operationId": "list_items", "responses": ok(),
                "parameters": [{"name": "x-tenant", "in": "header", "required": true, "schema": {"type": "string"}}]}
        }
    }));
    let out = codegen::generate(&doc).expect("generates");
    let send = send_of(&out.client, "put_item");
    assert!(
        send.contains("letrebuild=||->::std::result::Result<::reqwest::Request,crate::Error>{Ok(client.client.post(&url)"),
        "{send}"
    );
    assert!(send.contains(".json(&body)"), "{send}");
    assert!(send.contains("crate::hooks::send_rebuilt(client,rebuild()?,&rebuild,&OP,).await?;"), "{send}");
    // The header map is moved into the request: a retry sends a copy.
    let send = send_of(&out.client, "list_items");
    assert!(send.contains("crate::hooks::send(client,request,&OP).await?;"), "{send}");
    assert!(!send.contains("rebuild"), "{send}");
}
