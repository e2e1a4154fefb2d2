//! The build step's rules, one input fragment and its expected output each.

use meibel_codegen as codegen;

use codegen::enums;
use codegen::normalize::{SplitReason, fix_schema, normalize};
use serde_json::{Value, json};

fn schema(input: Value) -> Value {
    let mut s = input;
    fix_schema(&mut s, "/t", false).expect("converts");
    s
}

fn root_schema(input: Value) -> Value {
    let mut s = input;
    fix_schema(&mut s, "/t", true).expect("converts");
    s
}

/// A minimal document in the published form around the given paths and schemas.
fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "summary": "s", "version": "1.2.3"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn get_op(id: &str) -> Value {
    json!({"get": {"operationId": id, "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"type": "string"}}}}}}})
}

#[test]
fn version_is_lowered_and_31_only_fields_dropped() {
    let n = normalize(&doc(json!({"/a": get_op("getA")}), json!({}))).unwrap();
    assert_eq!(n.spec["openapi"], "3.0.3");
    assert!(n.spec["info"].get("summary").is_none());
    assert_eq!(n.spec["info"]["version"], "1.2.3");
}

#[test]
fn non_3x_documents_are_rejected_at_openapi() {
    let mut d = doc(json!({}), json!({}));
    d["openapi"] = json!("2.0");
    let e = normalize(&d).unwrap_err();
    assert_eq!(e.pointer, "/openapi");
    assert!(e.message.contains("2.0"), "{e}");
}

#[test]
fn any_of_with_null_becomes_nullable() {
    assert_eq!(
        schema(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Name"})),
        json!({"type": "string", "nullable": true})
    );
}

#[test]
fn one_of_with_null_becomes_nullable() {
    assert_eq!(
        schema(json!({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]})),
        json!({"type": "integer", "minimum": 1, "nullable": true})
    );
}

#[test]
fn nullable_ref_is_wrapped_in_all_of() {
    assert_eq!(
        schema(json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "title": "X"})),
        json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true})
    );
}

#[test]
fn nullable_union_keeps_its_other_branches() {
    assert_eq!(
        schema(json!({"anyOf": [{"type": "number"}, {"type": "integer"}, {"type": "null"}]})),
        json!({"anyOf": [{"type": "number"}, {"type": "integer"}], "nullable": true})
    );
}

#[test]
fn type_array_with_null_becomes_nullable() {
    assert_eq!(
        schema(json!({"type": ["string", "null"], "format": "date-time"})),
        json!({"type": "string", "format": "date-time", "nullable": true})
    );
    assert_eq!(
        schema(json!({"type": ["string", "integer"]})),
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
}

#[test]
fn numeric_exclusive_bounds_become_boolean_flags() {
    assert_eq!(
        schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 2.5})),
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 2.5, "exclusiveMaximum": true})
    );
}

#[test]
fn const_becomes_single_value_enum() {
    assert_eq!(
        schema(json!({"type": "string", "const": "connected"})),
        json!({"type": "string", "enum": ["connected"]})
    );
}

#[test]
fn examples_array_becomes_example() {
    assert_eq!(
        schema(json!({"type": "integer", "examples": [5, 6]})),
        json!({"type": "integer", "example": 5})
    );
}

#[test]
fn content_media_type_becomes_binary_format() {
    assert_eq!(
        schema(json!({"type": "string", "contentMediaType": "application/octet-stream"})),
        json!({"type": "string", "format": "binary"})
    );
}

#[test]
fn ref_beside_default_is_wrapped() {
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/Kind", "default": "json", "title": "Type"})),
        json!({"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "json"})
    );
    // Annotations alone beside a ref are dropped, the ref stays plain.
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/Kind", "description": "d"})),
        json!({"$ref": "#/components/schemas/Kind"})
    );
}

#[test]
fn nested_titles_go_root_title_stays() {
    let out = root_schema(json!({
        "title": "Thing",
        "type": "object",
        "properties": {"status": {"type": "string", "title": "Status"},
                        "tags": {"type": "array", "title": "Tags", "items": {"type": "string", "title": "Tag"}}}
    }));
    assert_eq!(
        out,
        json!({"title": "Thing", "type": "object", "properties": {
            "status": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}}}})
    );
}

#[test]
fn closed_objects_are_opened() {
    assert_eq!(
        schema(json!({"type": "object", "additionalProperties": false, "properties": {}})),
        json!({"type": "object", "properties": {}})
    );
}

#[test]
fn multipart_and_event_stream_operations_are_split_out() {
    let paths = json!({
        "/up": {"post": {"operationId": "upload",
            "requestBody": {"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Body_upload"}}}},
            "responses": {"200": {"description": "ok"}}}},
        "/events": {"get": {"operationId": "events",
            "responses": {"200": {"description": "ok", "content": {"text/event-stream": {"schema": {"type": "string"}}}}}}},
        "/both": {"get": get_op("plain")["get"].clone(), "post": {"operationId": "chat",
            "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "ok", "content": {"text/event-stream": {}}}}}}
    });
    let n = normalize(&doc(paths, json!({"Body_upload": {"type": "object"}}))).unwrap();
    let mut split: Vec<(String, Vec<SplitReason>)> =
        n.split.iter().map(|s| (s.operation_id.clone(), s.reasons.clone())).collect();
    split.sort();
    assert_eq!(
        split,
        vec![
            ("chat".into(), vec![SplitReason::Multipart, SplitReason::EventStream]),
            ("events".into(), vec![SplitReason::EventStream]),
            ("upload".into(), vec![SplitReason::Multipart]),
        ]
    );
    let paths = n.spec["paths"].as_object().unwrap();
    assert!(!paths.contains_key("/up"), "a path left without operations is removed");
    assert!(!paths.contains_key("/events"));
    assert!(paths["/both"].get("post").is_none());
    assert_eq!(paths["/both"]["get"]["operationId"], "plain");
}

#[test]
fn duplicate_and_missing_operation_ids_name_the_place() {
    let e = normalize(&doc(json!({"/a": get_op("same"), "/b": get_op("same")}), json!({}))).unwrap_err();
    assert!(e.pointer == "/paths/~1b/get" || e.pointer == "/paths/~1a/get", "{e}");
    assert!(e.message.contains("\"same\""), "{e}");

    let e = normalize(&doc(json!({"/x/{id}": {"get": {"responses": {}}}}), json!({}))).unwrap_err();
    assert_eq!(e.pointer, "/paths/~1x~1{id}/get");
    assert!(e.message.contains("operationId"), "{e}");
}

#[test]
fn bad_schema_names_the_field() {
    let d = doc(json!({}), json!({"Thing": {"type": "object", "properties": {"flag": false}}}));
    let e = normalize(&d).unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/Thing/properties/flag");
}

#[test]
fn inline_enums_are_hoisted_under_their_parent_name() {
    let d = doc(
        json!({"/a": {"get": {"operationId": "listThings", "parameters": [
            {"name": "sort_by", "in": "query", "required": false,
             "schema": {"type": "string", "enum": ["name", "date"], "default": "name"}}],
            "responses": {"200": {"description": "ok"}}}}}),
        json!({
            "Job": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["a", "b"], "title": "Status"},
                "phase": {"anyOf": [{"type": "string", "enum": ["x", "y"]}, {"type": "null"}], "title": "Status"},
                "flags": {"type": "array", "items": {"type": "string", "enum": ["p"]}}}},
            "Level": {"type": "string", "enum": ["low", "high"]}
        }),
    );
    let mut n = normalize(&d).unwrap().spec;
    let defs = enums::hoist(&mut n);
    let mut names: Vec<(String, Vec<String>)> =
        defs.iter().map(|d| (d.rust_name.clone(), d.values.clone())).collect();
    names.sort();
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        names,
        vec![
            ("JobFlagsItem".into(), v(&["p"])),
            ("JobPhase".into(), v(&["x", "y"])),
            ("JobStatus".into(), v(&["a", "b"])),
            ("Level".into(), v(&["low", "high"])),
            ("ListThingsSortBy".into(), v(&["name", "date"])),
        ]
    );
    let props = &n["components"]["schemas"]["Job"]["properties"];
    assert_eq!(props["status"], json!({"$ref": "#/components/schemas/JobStatus"}));
    assert_eq!(
        props["phase"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/JobPhase"}]})
    );
    let param = &n["paths"]["/a"]["get"]["parameters"][0]["schema"];
    assert_eq!(
        param,
        &json!({"default": "name", "allOf": [{"$ref": "#/components/schemas/ListThingsSortBy"}]})
    );
}

#[test]
fn two_schemas_with_the_same_property_title_get_distinct_types() {
    // FastAPI titles every property; both enums below are titled "Status".
    let d = doc(
        json!({"/a": get_op("getA")}),
        json!({
            "A": {"type": "object", "properties": {"status": {"type": "string", "enum": ["on"], "title": "Status"}}},
            "B": {"type": "object", "properties": {"status": {"type": "string", "enum": ["off"], "title": "Status"}}}
        }),
    );
    let out = codegen::generate(&d.to_string()).expect("generates");
    assert!(out.enums.contains("AStatus") && out.enums.contains("BStatus"), "{}", out.enums);
    assert!(out.client.contains("crate::types::AStatus"));
    assert!(out.client.contains("crate::types::BStatus"));
}

#[test]
fn variant_names_are_unique_and_leave_other_free() {
    let vals: Vec<String> =
        ["unknown", "Other", "a-b", "a_b", "list[string]", "3d", ""].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        enums::variant_names(&vals),
        vec!["Unknown", "OtherValue1", "AB", "AB2", "ListString", "X3d", "Empty"]
    );
}

#[test]
fn generation_errors_name_the_place() {
    let e = codegen::generate("{not json").err().unwrap();
    assert!(e.contains("line 1"), "{e}");
    let mut d = doc(json!({"/a": get_op("getA")}), json!({}));
    d["paths"]["/a"]["get"]["parameters"] = json!([{"in": "query"}]);
    let e = codegen::generate(&d.to_string()).err().unwrap();
    assert!(e.contains("/paths/~1a/get/parameters/0"), "{e}");
}

#[test]
fn the_vendored_spec_generates_and_lists_split_operations() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/api-v2.json")).unwrap();
    let out = codegen::generate(&text).expect("the vendored spec generates");
    let spec: Value = serde_json::from_str(&text).unwrap();
    let ops =
        spec["paths"].as_object().unwrap().values().map(|i| i.as_object().unwrap().len()).sum::<usize>();
    assert_eq!(out.extras.matches("operation_id:").count(), ops);
    // Every operation the generator was not given is marked pending, with its reason.
    let pending = out.extras.matches("Support::BuildStep").count();
    let kept = out.normalized["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|i| i.as_object().unwrap().len())
        .sum::<usize>();
    assert_eq!(pending + kept, ops);
    assert!(pending > 0);
}

#[test]
fn paged_operations_are_found_by_shape() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/api-v2.json")).unwrap();
    let mut n = normalize(&serde_json::from_str(&text).unwrap()).unwrap().spec;
    enums::hoist(&mut n);
    let found: Vec<String> = codegen::paging::detect(&n)
        .into_iter()
        .map(|p| format!("{} {:?}", p.operation_id, p.style))
        .collect();
    assert!(found.iter().any(|f| f.starts_with("listDeepTransforms ")), "{found:#?}");
}

#[test]
fn path_parameters_go_through_the_checked_encoder() {
    let input: proc_macro2::TokenStream = quote::quote! {
        let url = format!("{}/items/{}/parts/{}", client.baseurl, encode_path(&item_id.to_string()), encode_path(&r#type.to_string()),);
        let other = encode_path(&"literal".to_string());
    };
    let out = codegen::pathfix::checked_segments(input).to_string();
    let expected = quote::quote! {
        format!("{}/items/{}/parts/{}", client.baseurl,
            crate::path::segment("item_id", &{
                use crate::path::{AsText as _, ToText as _};
                (&crate::path::Text(&item_id)).text()
            }).map_err(Error::InvalidRequest)?,
            crate::path::segment("type", &{
                use crate::path::{AsText as _, ToText as _};
                (&crate::path::Text(&r#type)).text()
            }).map_err(Error::InvalidRequest)?,)
    }
    .to_string();
    assert!(out.contains(&expected), "{out}");
    // Anything that is not a parameter's value is left alone.
    assert_eq!(out.matches("encode_path").count(), 1, "{out}");
}
