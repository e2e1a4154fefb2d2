//! Checks the spec-driven mock in `src/mock/spec.rs` against the
//! vendored API description and against small hand-written documents.

use testkit::specmock;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use specmock::{Fill, Operation};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/v2";
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/api-v2.json");
    let text = std::fs::read_to_string(path).expect("spec is readable");
    serde_json::from_str(&text).expect("spec is JSON")
}

fn component_schemas(spec: &Value) -> Vec<(String, Value)> {
    spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas is an object")
        .iter()
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// Follows `$ref`s independently of the module under test.
fn deref<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        schema = spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolvable {reference}"));
    }
    schema
}

/// FastAPI's spelling of a nullable value: a `{"type": "null"}` branch.
fn declared_nullable(schema: &Value) -> bool {
    schema["anyOf"].as_array().is_some_and(|branches| branches.iter().any(|b| b["type"] == "null"))
}

fn required_of(schema: &Value) -> BTreeSet<String> {
    schema["required"]
        .as_array()
        .map(|names| names.iter().map(|n| n.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn essence(content_type: &str) -> &str {
    content_type.split(';').next().unwrap().trim()
}

thread_local! {
    // One client per test thread: building a client is far costlier than a request.
    static HTTP: reqwest::Client = reqwest::Client::new();
}

async fn send(server: &MockServer, http_method: &str, path: &str) -> reqwest::Response {
    let http_method = reqwest::Method::from_bytes(http_method.as_bytes()).unwrap();
    HTTP.with(reqwest::Client::clone)
        .request(http_method, format!("{}{path}", server.uri()))
        .send()
        .await
        .expect("the mock server answers")
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_string())
}

fn op_at(ops: &[Operation], http_method: &str, path: &str) -> Operation {
    ops.iter()
        .find(|op| op.method == http_method && op.path == path)
        .unwrap_or_else(|| panic!("no {http_method} {path}"))
        .clone()
}

#[tokio::test]
async fn operations_cover_every_method_and_path() {
    let spec = spec();
    let mut declared = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (key, op) in item.as_object().unwrap() {
            if METHODS.contains(&key.as_str()) {
                declared.insert((
                    key.to_ascii_uppercase(),
                    path.clone(),
                    op["operationId"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let ops = specmock::operations(&spec);
    let listed: BTreeSet<_> =
        ops.iter().map(|op| (op.method.clone(), op.path.clone(), op.operation_id.clone())).collect();
    assert!(!declared.is_empty());
    assert_eq!(ops.len(), declared.len(), "one entry per operation");
    assert_eq!(listed, declared);

    for op in &ops {
        let declared_params: BTreeSet<String> = op.path_params().into_iter().collect::<BTreeSet<_>>();
        let listed_params: BTreeSet<String> =
            op.parameters.iter().filter(|p| p.location == "path").map(|p| p.name.clone()).collect();
        assert_eq!(declared_params, listed_params, "{}", op.operation_id);
        let responses = &spec["paths"][&op.path][op.method.to_ascii_lowercase()]["responses"];
        assert!(
            responses.get(op.success_status.to_string()).is_some(),
            "{} answers {}",
            op.operation_id,
            op.success_status
        );
        if op.success_status == 204 {
            assert_eq!(op.success_content_type, None, "{}", op.operation_id);
        } else {
            let content_type = op.success_content_type.as_deref().unwrap();
            assert_eq!(
                op.success_schema.as_ref(),
                responses[op.success_status.to_string()]["content"][content_type].get("schema"),
                "{}",
                op.operation_id
            );
        }
    }
}

#[tokio::test]
async fn every_operation_is_answered_by_its_own_mock() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let server = specmock::start_default(&spec).await;
    for op in &ops {
        let path = op.concrete_path(BASE, "abc");
        assert!(!path.contains('{'), "{path}");
        let response = send(&server, &op.method, &path).await;
        assert_eq!(response.status().as_u16(), op.success_status, "{} {path}", op.method);
        assert_eq!(
            header(&response, specmock::OPERATION_HEADER).as_deref(),
            Some(op.operation_id.as_str()),
            "{} {path} reached the wrong mock",
            op.method
        );
        let content_type = header(&response, "content-type");
        let body = response.bytes().await.unwrap();
        match op.success_content_type.as_deref() {
            None => {
                assert!(body.is_empty(), "{}: {body:?}", op.operation_id);
                assert_eq!(content_type, None, "{}", op.operation_id);
            }
            Some(expected) => {
                assert_eq!(
                    content_type.as_deref().map(essence),
                    Some(essence(expected)),
                    "{}",
                    op.operation_id
                );
                assert!(!body.is_empty(), "{}", op.operation_id);
            }
        }
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), ops.len());
}

#[tokio::test]
async fn json_operations_return_valid_examples_in_every_mode() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let json_ops: Vec<&Operation> = ops.iter().filter(|op| op.is_json()).collect();
    let declared_json =
        ops.iter().filter(|op| op.success_content_type.as_deref() == Some("application/json")).count();
    assert!(declared_json > 0);
    assert_eq!(json_ops.len(), declared_json);

    for fill in Fill::ALL {
        let server = specmock::start(&spec, BASE, fill).await;
        for op in &json_ops {
            let schema = op.success_schema.as_ref().unwrap();
            let response = send(&server, &op.method, &op.concrete_path(BASE, "abc")).await;
            assert_eq!(response.status().as_u16(), op.success_status);
            let body: Value =
                response.json().await.unwrap_or_else(|e| panic!("{}: not JSON: {e}", op.operation_id));
            assert_eq!(body, specmock::example(&spec, schema, fill), "{} {fill:?}", op.operation_id);
            if let Err(e) = specmock::validate(&spec, schema, &body) {
                panic!("{} {fill:?}: {e}\n{body:#}", op.operation_id);
            }
        }
    }
}

#[tokio::test]
async fn event_streams_send_one_frame_per_event_schema() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let streams: Vec<&Operation> = ops.iter().filter(|op| op.is_event_stream()).collect();
    assert!(!streams.is_empty());
    let server = specmock::start_default(&spec).await;
    for op in streams {
        let schema = op.success_schema.as_ref().unwrap();
        let variants: Vec<&Value> =
            schema["anyOf"].as_array().unwrap().iter().map(|v| deref(&spec, v)).collect();
        let expected: Vec<String> = variants
            .iter()
            .map(|v| specmock::event_name(&spec, v).expect("an event schema names its event (const or enum)"))
            .collect();

        let response = send(&server, &op.method, &op.concrete_path(BASE, "abc")).await;
        assert_eq!(header(&response, "content-type").as_deref().map(essence), Some("text/event-stream"));
        let text = response.text().await.unwrap();
        assert!(text.ends_with("\n\n"), "{text:?}");
        let frames: Vec<&str> = text.trim_end_matches('\n').split("\n\n").collect();
        assert_eq!(frames.len(), variants.len(), "{}: {text}", op.operation_id);

        let mut names = Vec::new();
        for (frame, variant) in frames.iter().zip(&variants) {
            let lines: Vec<&str> = frame.lines().collect();
            assert_eq!(lines.len(), 2, "{frame:?}");
            let name = lines[0].strip_prefix("event: ").expect("event line");
            let data = lines[1].strip_prefix("data: ").expect("data line");
            let data: Value = serde_json::from_str(data).expect("data is JSON");
            assert!(!data.is_null(), "{frame}");
            specmock::validate(&spec, &variant["properties"]["data"], &data)
                .unwrap_or_else(|e| panic!("{frame}: {e}"));
            let event = json!({ "event": name, "data": data });
            specmock::validate(&spec, variant, &event).unwrap_or_else(|e| panic!("{frame}: {e}"));
            names.push(name.to_string());
        }
        assert_eq!(names, expected, "{}", op.operation_id);
    }
}

#[tokio::test]
async fn binary_and_empty_responses_have_the_declared_shape() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let server = specmock::start_default(&spec).await;
    let mut binary = 0;
    let mut empty = 0;
    for op in &ops {
        let declared = op.success_content_type.as_deref();
        let is_binary = declared.is_some_and(|ct| ct != "application/json" && !ct.starts_with("text/"));
        if !is_binary && op.success_status != 204 {
            continue;
        }
        let response = send(&server, &op.method, &op.concrete_path(BASE, "abc")).await;
        let content_type = header(&response, "content-type");
        let body = response.bytes().await.unwrap();
        if op.success_status == 204 {
            empty += 1;
            assert!(body.is_empty());
            continue;
        }
        binary += 1;
        assert!(op.is_binary(), "{}", op.operation_id);
        assert_eq!(content_type.as_deref(), declared);
        if declared == Some("application/zip") {
            assert_eq!(&body[..], specmock::EMPTY_ZIP);
            assert_eq!(&body[..4], b"PK\x05\x06");
        } else {
            assert_eq!(&body[..], specmock::BINARY_BODY);
        }
    }
    assert!(binary > 0 && empty > 0, "binary {binary}, empty {empty}");
}

#[test]
fn full_examples_set_every_declared_property() {
    let spec = spec();
    let schemas = component_schemas(&spec);
    assert_eq!(schemas.len(), spec["components"]["schemas"].as_object().unwrap().len());
    let mut checked = 0;
    let mut nullable = 0;
    for (name, schema) in &schemas {
        let value = specmock::component_example(&spec, name, Fill::Full).unwrap();
        specmock::validate(&spec, schema, &value).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(properties) = schema["properties"].as_object() else {
            assert!(!value.is_null(), "{name}");
            continue;
        };
        let object = value.as_object().unwrap_or_else(|| panic!("{name}: {value}"));
        for (property, property_schema) in properties {
            let got = object.get(property).unwrap_or_else(|| panic!("{name}.{property} is missing"));
            assert!(!got.is_null(), "{name}.{property} is null");
            if declared_nullable(property_schema) {
                nullable += 1;
            }
            checked += 1;
        }
        assert!(!object.contains_key(specmock::UNKNOWN_FIELD));
    }
    assert!(checked > 0 && nullable > 0, "{checked} {nullable}");
}

#[test]
fn nulls_examples_set_every_nullable_property_to_null() {
    let spec = spec();
    let mut nulls = 0;
    let mut values = 0;
    for (name, schema) in component_schemas(&spec) {
        let value = specmock::example(&spec, &schema, Fill::Nulls);
        specmock::validate(&spec, &schema, &value).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        let object = value.as_object().unwrap();
        assert_eq!(
            object.keys().collect::<BTreeSet<_>>(),
            properties.keys().collect::<BTreeSet<_>>(),
            "{name}: every property present"
        );
        for (property, property_schema) in properties {
            let got = &object[property];
            if declared_nullable(property_schema) {
                assert!(got.is_null(), "{name}.{property} = {got}");
                nulls += 1;
            } else {
                assert!(!got.is_null(), "{name}.{property} is null");
                values += 1;
            }
        }
    }
    assert!(nulls > 0 && values > 0, "{nulls} {values}");
}

#[test]
fn minimal_examples_hold_only_required_properties() {
    let spec = spec();
    let mut with_optional = 0;
    for (name, schema) in component_schemas(&spec) {
        let value = specmock::example(&spec, &schema, Fill::Minimal);
        specmock::validate(&spec, &schema, &value).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        let required = required_of(&schema);
        let keys: BTreeSet<String> = value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, required, "{name}");
        if properties.len() > required.len() {
            with_optional += 1;
        }
    }
    assert!(with_optional > 0);
}

/// Every object in `value` carries the unknown field; returns how many objects there are.
fn count_marked_objects(value: &Value, at: &str) -> usize {
    match value {
        Value::Object(map) => {
            assert_eq!(
                map.get(specmock::UNKNOWN_FIELD),
                Some(&json!({ "nested": true })),
                "object at {at} lacks the unknown field"
            );
            1 + map
                .iter()
                .filter(|(k, _)| k.as_str() != specmock::UNKNOWN_FIELD)
                .map(|(k, v)| count_marked_objects(v, &format!("{at}.{k}")))
                .sum::<usize>()
        }
        Value::Array(items) => {
            items.iter().enumerate().map(|(i, v)| count_marked_objects(v, &format!("{at}[{i}]"))).sum()
        }
        _ => 0,
    }
}

#[test]
fn unknown_field_reaches_every_object() {
    let spec = spec();
    let mut objects = 0;
    let mut nested = 0;
    for (name, schema) in component_schemas(&spec) {
        let value = specmock::example(&spec, &schema, Fill::Full);
        let marked = specmock::with_unknown_field(value.clone());
        let count = count_marked_objects(&marked, &name);
        if value.is_object() {
            assert!(count >= 1, "{name}");
        }
        objects += count;
        if count > 1 {
            nested += 1;
        }

        let guided = specmock::with_unknown_field_in(&spec, &schema, value.clone());
        specmock::validate(&spec, &schema, &guided).unwrap_or_else(|e| panic!("{name}: {e}"));
        if schema["properties"].is_object() {
            assert_eq!(guided[specmock::UNKNOWN_FIELD], json!({ "nested": true }), "{name}");
        }
    }
    assert!(objects > 0 && nested > 0, "{objects} {nested}");
    assert_eq!(
        specmock::with_unknown_field(json!([1, [{}], {"a": {"b": [{}]}}])),
        json!([1, [{"x_unknown_field": {"nested": true}}], {
            "a": {"b": [{"x_unknown_field": {"nested": true}}], "x_unknown_field": {"nested": true}},
            "x_unknown_field": {"nested": true}
        }])
    );
}

#[test]
fn guided_unknown_field_spares_typed_maps() {
    let spec = json!({"components": {"schemas": {
        "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "Closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
        "Holder": {"type": "object", "properties": {
            "counts": {"$ref": "#/components/schemas/Counts"},
            "closed": {"$ref": "#/components/schemas/Closed"},
            "free": {"additionalProperties": true, "type": "object"}
        }}
    }}});
    let schema = json!({"$ref": "#/components/schemas/Holder"});
    let value = specmock::example(&spec, &schema, Fill::Full);
    assert_eq!(value, json!({"counts": {"key": 1}, "closed": {"a": "string"}, "free": {"key": "value"}}));
    let guided = specmock::with_unknown_field_in(&spec, &schema, value.clone());
    let marker = json!({"nested": true});
    assert_eq!(
        guided,
        json!({
            "counts": {"key": 1},
            "closed": {"a": "string"},
            "free": {"key": "value", "x_unknown_field": marker},
            "x_unknown_field": marker
        })
    );
    specmock::validate(&spec, &schema, &guided).unwrap();
    let blind = specmock::with_unknown_field(value);
    assert!(specmock::validate(&spec, &schema, &blind).is_err());
}

#[tokio::test]
async fn served_bodies_can_carry_unknown_fields() {
    let spec = spec();
    let options = specmock::Options { unknown_fields: true, ..specmock::Options::default() };
    let server = specmock::start_with(&spec, &options).await;
    let mut marked = 0;
    for op in specmock::operations(&spec) {
        if !op.is_json() && !op.is_event_stream() {
            continue;
        }
        let response = send(&server, &op.method, &op.concrete_path(BASE, "abc")).await;
        let text = response.text().await.unwrap();
        if op.is_json() {
            let body: Value = serde_json::from_str(&text).unwrap();
            let schema = op.success_schema.as_ref().unwrap();
            specmock::validate(&spec, schema, &body).unwrap_or_else(|e| panic!("{}: {e}", op.operation_id));
            let first_object = match &body {
                Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            if let Some(object) = first_object.as_object() {
                assert_eq!(
                    object.get(specmock::UNKNOWN_FIELD),
                    Some(&json!({"nested": true})),
                    "{}",
                    op.operation_id
                );
                marked += 1;
            }
        } else {
            assert!(text.contains("\"x_unknown_field\":{\"nested\":true}"), "{text}");
        }
    }
    assert!(marked > 0);
}

#[tokio::test]
async fn literal_segments_beat_parameters() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let list = op_at(&ops, "GET", "/documents/deep-transform");
    let by_id = op_at(&ops, "GET", "/documents/{job_id}");
    assert_ne!(list.operation_id, by_id.operation_id);

    let ordered = specmock::mount_order(ops.clone());
    let position = |op: &Operation| ordered.iter().position(|o| o == op).unwrap();
    assert!(position(&list) < position(&by_id));
    assert_eq!(specmock::route(&ordered, "GET", "/v2/documents/deep-transform", BASE), Some(&list));

    let server = specmock::start_default(&spec).await;
    let response = send(&server, "GET", "/v2/documents/deep-transform").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, specmock::OPERATION_HEADER).as_deref(), Some(list.operation_id.as_str()));
    let body: Value = response.json().await.unwrap();
    let list_schema = deref(&spec, list.success_schema.as_ref().unwrap());
    let required = required_of(list_schema);
    assert!(!required.is_empty());
    for name in &required {
        assert!(body.get(name).is_some(), "{name} missing from {body}");
    }
    let by_id_required = required_of(deref(&spec, by_id.success_schema.as_ref().unwrap()));
    assert!(
        by_id_required.iter().any(|name| body.get(name).is_none()),
        "the body must not be the single-job response: {body}"
    );

    // Parameters match exactly one percent-encoded segment.
    let response = send(&server, "GET", "/v2/documents/a%2Fb%20c").await;
    assert_eq!(header(&response, specmock::OPERATION_HEADER).as_deref(), Some(by_id.operation_id.as_str()));
    let response = send(&server, "GET", "/v2/documents/a/b/c/d/e").await;
    assert_eq!(response.status().as_u16(), 404);
    let response = send(&server, "GET", "/documents/deep-transform").await;
    assert_eq!(response.status().as_u16(), 404, "the base path is required");
}

#[test]
fn every_literal_path_routes_to_its_own_operation() {
    let spec = spec();
    let ordered = specmock::mount_order(specmock::operations(&spec));
    let mut literal = 0;
    for op in &ordered {
        let path = op.concrete_path(BASE, "abc");
        assert_eq!(specmock::route(&ordered, &op.method, &path, BASE), Some(op), "{}", op.operation_id);
        if op.path_params().is_empty() {
            literal += 1;
        }
    }
    assert!(literal > 0);
}

#[test]
fn path_regex_anchors_and_escapes() {
    assert_eq!(specmock::path_regex("/documents/{job_id}", "/v2"), "^/v2/documents/[^/]+$");
    assert_eq!(specmock::path_regex("/documents/deep-transform", "/v2/"), r"^/v2/documents/deep\-transform$");
    assert_eq!(specmock::path_regex("a/{x}/b.{ext}", ""), r"^/a/[^/]+/b\.[^/]+$");
    assert_eq!(specmock::path_regex("/{a}/{b}", "api"), "^/api/[^/]+/[^/]+$");
}

#[tokio::test]
async fn test_mocks_override_spec_mocks() {
    let spec = spec();
    let server = specmock::start_default(&spec).await;
    Mock::given(method("GET"))
        .and(path_regex(specmock::path_regex("/documents/{job_id}", BASE)))
        .respond_with(ResponseTemplate::new(418))
        .mount(&server)
        .await;
    let response = send(&server, "GET", "/v2/documents/abc").await;
    assert_eq!(response.status().as_u16(), 418);
    // The override outranks every spec mock its pattern matches, and only those.
    let response = send(&server, "GET", "/v2/documents/deep-transform").await;
    assert_eq!(response.status().as_u16(), 418);
    let response = send(&server, "GET", "/v2/documents/abc/children").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, specmock::OPERATION_HEADER).is_some());
}

#[test]
fn cyclic_schemas_are_cut() {
    let spec = json!({"components": {"schemas": {
        "Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "parent": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}
        }},
        "Loop": {"type": "object", "required": ["next"], "properties": {
            "next": {"$ref": "#/components/schemas/Loop"}
        }}
    }}});
    let node = json!({"$ref": "#/components/schemas/Node"});
    for fill in Fill::ALL {
        let value = specmock::example(&spec, &node, fill);
        specmock::validate(&spec, &node, &value).unwrap();
    }
    let full = specmock::example(&spec, &node, Fill::Full);
    let mut depth = 0;
    let mut current = &full;
    while let Some(child) = current.get("children").and_then(|c| c.get(0)) {
        depth += 1;
        current = child;
    }
    assert!((5..=24).contains(&depth), "depth {depth}");
    assert_eq!(current, &json!({"name": "string"}), "the innermost node is minimal");

    // A cycle through required properties has no finite valid value; it still ends.
    let looped = specmock::example(&spec, &json!({"$ref": "#/components/schemas/Loop"}), Fill::Full);
    let mut depth = 0;
    let mut current = &looped;
    while let Some(next) = current.get("next") {
        depth += 1;
        current = next;
    }
    assert!((6..=64).contains(&depth), "depth {depth}");
}

#[test]
fn keywords_of_the_fastapi_form() {
    let spec = json!({"components": {"schemas": {
        "Kind": {"type": "string", "enum": ["alpha", "beta"]},
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Thing": {"type": "object", "required": ["kind", "when"], "properties": {
            "kind": {"$ref": "#/components/schemas/Kind"},
            "tag": {"type": "string", "const": "thing"},
            "when": {"type": "string", "format": "date-time"},
            "file": {"type": "string", "format": "binary"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "either": {"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 5, "maximum": 7}]},
            "typed": {"type": ["null", "boolean"]},
            "ratio": {"type": "number", "minimum": 0, "maximum": 1},
            "above": {"type": "integer", "exclusiveMinimum": 10},
            "below": {"type": "integer", "maximum": -3},
            "code": {"type": "string", "minLength": 8},
            "limit": {"type": "integer", "default": 20},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "anything": {},
            "extra": {"additionalProperties": true, "type": "object"},
            "list": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
            "merged": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                 {"type": "object", "properties": {"more": {"type": "boolean"}}}]}
        }}
    }}});
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    let full = specmock::example(&spec, &thing, Fill::Full);
    assert_eq!(
        full,
        json!({
            "kind": "alpha",
            "tag": "thing",
            "when": "2026-01-02T03:04:05Z",
            "file": "bin",
            "note": "string",
            "either": 5,
            "typed": true,
            "ratio": 0.5,
            "above": 11,
            "below": -3,
            "code": "stringxx",
            "limit": 20,
            "counts": {"key": 1},
            "anything": {"key": "value"},
            "extra": {"key": "value"},
            "list": ["alpha"],
            "merged": {"id": 1, "more": true}
        })
    );
    let nulls = specmock::example(&spec, &thing, Fill::Nulls);
    for key in ["note", "either", "typed"] {
        assert_eq!(nulls[key], Value::Null, "{key}");
    }
    assert_eq!(nulls.as_object().unwrap().len(), full.as_object().unwrap().len());
    let minimal = specmock::example(&spec, &thing, Fill::Minimal);
    assert_eq!(minimal, json!({"kind": "alpha", "when": "2026-01-02T03:04:05Z"}));
    for value in [&full, &nulls, &minimal] {
        specmock::validate(&spec, &thing, value).unwrap();
    }
}

#[test]
fn validate_rejects_what_the_schema_forbids() {
    let spec = spec();
    let schemas: BTreeMap<String, Value> = component_schemas(&spec).into_iter().collect();

    let (name, schema) = schemas.iter().find(|(_, s)| !required_of(s).is_empty()).unwrap();
    let mut value = specmock::example(&spec, schema, Fill::Full);
    let missing = required_of(schema).into_iter().next().unwrap();
    value.as_object_mut().unwrap().remove(&missing);
    let error = specmock::validate(&spec, schema, &value).unwrap_err();
    assert!(error.contains(&missing), "{name}: {error}");

    let (name, schema) = schemas.iter().find(|(_, s)| s["enum"].is_array()).unwrap();
    assert!(specmock::validate(&spec, schema, &json!("no-such-value")).is_err(), "{name}");
    assert!(specmock::validate(&spec, schema, &schema["enum"][0]).is_ok(), "{name}");

    let date_time = json!({"type": "string", "format": "date-time"});
    assert!(specmock::validate(&spec, &date_time, &json!("yesterday")).is_err());
    assert!(specmock::validate(&spec, &date_time, &json!("2026-01-02T03:04:05+01:00")).is_ok());

    let nullable_integer = json!({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]});
    assert!(specmock::validate(&spec, &nullable_integer, &Value::Null).is_ok());
    assert!(specmock::validate(&spec, &nullable_integer, &json!(3)).is_ok());
    assert!(specmock::validate(&spec, &nullable_integer, &json!(-1)).is_err());
    assert!(specmock::validate(&spec, &nullable_integer, &json!("3")).is_err());
    assert!(specmock::validate(&spec, &nullable_integer, &json!(1.5)).is_err());
}

/// Every string of `value` that is exactly the placeholder, with its JSON pointer.
fn placeholders(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s == specmock::STRING_EXAMPLE => out.push(at),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                placeholders(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                placeholders(v, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn readable_examples_validate_and_read_like_data() {
    let spec = spec();
    let datasource = specmock::component_example(&spec, "DatasourceResponse", Fill::Readable).unwrap();
    assert_eq!(datasource["id"], "datasource-1");
    assert_eq!(datasource["name"], "demo datasource");
    let execution = specmock::component_example(&spec, "BatchExecutionResponse", Fill::Readable).unwrap();
    assert_eq!(execution["id"], "batch-execution-1");
    assert_eq!(execution["status"], "pending");
    for (name, schema) in component_schemas(&spec) {
        let value = specmock::component_example(&spec, &name, Fill::Readable).unwrap();
        specmock::validate(&spec, &schema, &value).unwrap_or_else(|e| panic!("{name}: {e}\n{value:#}"));
        // The same fields as the full example: only the words differ.
        let full = specmock::component_example(&spec, &name, Fill::Full).unwrap();
        if let (Value::Object(a), Value::Object(b)) = (&value, &full) {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{name}");
        }
        let mut left = Vec::new();
        placeholders(&value, String::new(), &mut left);
        // A placeholder may remain only where a string is not a named property (array
        // items, free-form values), or where it is an enum value: `MetadataField.type`
        // lists "string" first.
        for pointer in &left {
            let last = pointer.rsplit('/').next().unwrap();
            let allowed = last.parse::<usize>().is_ok() || last == "key" || last == "type";
            assert!(allowed, "{name}{pointer} is still a placeholder");
        }
    }
}
