//! The event, mock and docs emitters on a small document unlike the vendored spec:
//! events named by a one-value `enum`, typed and untyped data, a `oneOf` stream, an
//! upload with one file, a tag with a space.

use meibel_codegen as codegen;
use serde_json::json;

fn document() -> serde_json::Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Ticks", "version": "9.9.9"},
        "paths": {
            "/clocks/{clock_id}/ticks": {"get": {
                "operationId": "watchTicks",
                "tags": ["Clock faces"],
                "parameters": [{"name": "clock_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ticks", "content": {"text/event-stream": {"schema": {"oneOf": [
                        {"$ref": "#/components/schemas/TickEvent"},
                        {"$ref": "#/components/schemas/DoneEvent"}
                    ]}}}},
                    "404": {"description": "no clock", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                }
            }},
            "/clocks/{clock_id}/photo": {"post": {
                "operationId": "uploadPhoto",
                "tags": ["Clock faces"],
                "parameters": [{"name": "clock_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Body_uploadPhoto"}}}},
                "responses": {"204": {"description": "stored"}}
            }}
        },
        "components": {"schemas": {
            "Tick": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
            "TickEvent": {"type": "object", "required": ["event", "data"], "properties": {
                "event": {"type": "string", "enum": ["tick"]},
                "data": {"$ref": "#/components/schemas/Tick"}
            }},
            "DoneEvent": {"type": "object", "required": ["event", "data"], "properties": {
                "event": {"type": "string", "const": "done"},
                "data": {}
            }},
            "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
            "Body_uploadPhoto": {"type": "object", "required": ["photo"], "properties": {
                "photo": {"type": "string", "format": "binary"},
                "caption": {"type": "string"}
            }}
        }}
    })
}

#[test]
fn events_are_named_by_const_or_enum_and_typed_where_the_schema_is() {
    let generated = codegen::generate(&document().to_string()).expect("generates");
    let events = &generated.events;
    assert!(events.contains("pub enum WatchTicksEvent"), "{events}");
    assert!(events.contains("Tick(crate::types::Tick)"), "{events}");
    assert!(events.contains("Done(::serde_json::Value)"), "{events}");
    assert!(events.contains("\"tick\" => event.json().map(Self::Tick)"), "{events}");
    assert!(events.contains("Other {"), "{events}");
    assert!(events.contains("pub async fn send_events"), "{events}");
}

#[test]
fn every_operation_gets_a_mock_matching_under_any_base_path() {
    let generated = codegen::generate(&document().to_string()).expect("generates");
    let mock = &generated.mock;
    for f in [
        "fn watch_ticks<F>",
        "fn upload_photo<F>",
        "pub fn photo(",
        "pub fn caption(",
        "pub fn not_found<V>",
        "pub fn no_content(self)",
    ] {
        assert!(mock.contains(f), "no {f} in\n{mock}");
    }
    assert!(mock.contains(r#""^(?:/.*)?/clocks/[^/]+/ticks$""#), "{mock}");
    assert!(mock.contains("crate::events::WatchTicksEvent"), "{mock}");
}

#[test]
fn the_docs_list_every_operation_by_tag_and_alias_each_method() {
    let generated = codegen::generate(&document().to_string()).expect("generates");
    let (page, modules) = &generated.tags;
    assert!(page.contains("| Clock faces | `POST` | `/clocks/{clock_id}/photo` | `uploadPhoto` | [`upload_photo`](crate::Client::upload_photo) |"), "{page}");
    assert!(modules.contains("pub mod clock_faces {}"), "{modules}");
    assert!(
        generated.ops.contains(r#"#[doc(alias = "POST /clocks/{clock_id}/photo")]"#),
        "{}",
        generated.ops
    );
    assert!(generated.ops.contains(r#"#[doc(alias = "uploadPhoto")]"#));
}
