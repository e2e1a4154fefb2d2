//! FastAPI constructs the generator cannot take as published, each in the smallest
//! document that shows it, run through the whole build step. That the generated code
//! compiles and works is shown by the FastAPI zoo (`tests/fastapi_zoo.rs`), which uses
//! every one of them; here each construct is checked on its own.

use meibel_codegen::{Generated, choices::Choices, generate, naming};
use serde_json::{Value, json};

fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn ok(schema: Value) -> Value {
    json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
}

fn build(document: &Value) -> Generated {
    match generate(&document.to_string()) {
        Ok(g) => g,
        Err(e) => panic!("the build step failed: {e}"),
    }
}

/// The generator's choices, read back from the formatted client.
fn choices(g: &Generated) -> Choices {
    Choices::read(&g.client.parse().expect("the client parses"))
}

fn setter(g: &Generated, builder: &str, setter: &str) -> String {
    let c = choices(g);
    let b = c.builder(builder).unwrap_or_else(|| panic!("no builder {builder}"));
    b.setters.get(setter).unwrap_or_else(|| panic!("no setter {setter}")).to_string().replace(' ', "")
}

fn send_types(g: &Generated, builder: &str) -> (String, String) {
    let c = choices(g);
    let b = c.builder(builder).unwrap_or_else(|| panic!("no builder {builder}"));
    let s = |t: &Option<proc_macro2::TokenStream>| {
        t.as_ref().map(|t| t.to_string().replace(' ', "")).unwrap_or_default()
    };
    // Every operation returns the crate's one error type; the documented error body's
    // type is the one the reply is decoded into (`call.error_json::<T>`).
    let text: String = g.client.split_whitespace().collect();
    let start =
        text.find(&format!("impl<'a>{builder}<'a>{{")).unwrap_or_else(|| panic!("no impl of {builder}"));
    let err = text[start..]
        .split_once("error_json::<")
        .map(|(_, rest)| {
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '<' => 1,
                        '>' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let ty = rest[..end].trim_end_matches(',');
            if ty.starts_with("crate::") { ty.to_string() } else { format!("crate::{ty}") }
        })
        .unwrap_or_else(|| s(&b.err));
    (s(&b.ok), err)
}

/// The crates named by absolute paths (`::name::...`) in generated code.
fn named_crates(text: &str) -> std::collections::BTreeSet<String> {
    use syn::visit::Visit;
    struct Crates(std::collections::BTreeSet<String>);
    impl<'a> Visit<'a> for Crates {
        fn visit_path(&mut self, p: &'a syn::Path) {
            if p.leading_colon.is_some()
                && let Some(first) = p.segments.first()
            {
                self.0.insert(first.ident.to_string());
            }
            syn::visit::visit_path(self, p);
        }
    }
    let file: syn::File = syn::parse_str(text).expect("generated code parses");
    let mut c = Crates(Default::default());
    c.visit_file(&file);
    c.0
}

#[test]
fn every_crate_generated_code_names_is_a_dependency() {
    let d = doc(
        json!({"/x/{id}": {"get": {"operationId": "x",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
            "responses": ok(json!({"$ref": "#/components/schemas/S"}))}}}),
        json!({"S": {"type": "object", "properties": {
            "secret": {"type": "string", "pattern": "^password$"},
            "when": {"type": "string", "format": "date-time"},
            "id": {"type": "string", "format": "uuid"}}}}),
    );
    let g = build(&d);
    let mut crates = named_crates(&g.client);
    crates.extend(named_crates(&g.ops));
    crates.extend(named_crates(&g.contract));
    assert!(crates.contains("uuid") && crates.contains("regress"), "{crates:?}");
    assert!(g.patterns, "the pattern check is reported, so the build can name the `patterns` feature");
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).expect("manifest");
    let deps = manifest.split("[dependencies]").nth(1).and_then(|s| s.split("\n[").next()).expect("deps");
    for name in crates {
        if ["std", "core", "alloc", "crate", "super", "serde_json", "serde"].contains(&name.as_str()) {
            if name.starts_with("serde") {
                assert!(deps.contains(&format!("\n{name} ")), "{name} is not a dependency");
            }
            continue;
        }
        let dep = name.replace('_', "-");
        assert!(
            deps.contains(&format!("\n{dep} ")) || deps.contains(&format!("\n{name} ")),
            "generated code names `::{name}` but the crate does not depend on it"
        );
    }
}

#[test]
fn optional_nullable_header_is_an_optional_string() {
    let d = doc(
        json!({"/h": {"get": {"operationId": "h",
            "parameters": [{"name": "x-trace", "in": "header", "required": false,
                "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "X-Trace"}}],
            "responses": ok(json!({"type": "string"}))}}}),
        json!({}),
    );
    let g = build(&d);
    assert_eq!(setter(&g, "H", "x_trace"), "::std::string::String");
    assert!(!g.client.contains("Option<::std::option::Option"), "no Option<Option<_>>");
}

#[test]
fn a_bare_null_property_is_any_value() {
    let d = doc(
        json!({"/n": {"get": {"operationId": "n", "responses": ok(json!({"$ref": "#/components/schemas/N"}))}}}),
        json!({"N": {"type": "object", "properties": {"gone": {"type": "null", "title": "Gone"}}}}),
    );
    let g = build(&d);
    let c = choices(&g);
    let field =
        c.structs.get("N").and_then(|f| f.get("gone")).expect("field gone").to_string().replace(' ', "");
    assert_eq!(field, "::std::option::Option<::serde_json::Value>");
}

#[test]
fn several_error_replies_share_one_union_type_most_specific_first() {
    let d = doc(
        json!({"/t/{id}": {"get": {"operationId": "getThing",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
            "404": {"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "409": {"description": "taken", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflict"}}}},
            "422": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invalid"}}}}
        }}}}),
        json!({
            "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
            "Conflict": {"type": "object", "properties": {"detail": {"type": "string"}, "at": {"type": "string"}}, "required": ["detail", "at"]},
            "Invalid": {"type": "object", "properties": {"detail": {"type": "array", "items": {}}}}
        }),
    );
    let g = build(&d);
    assert_eq!(send_types(&g, "GetThing").1, "crate::types::GetThingErrorReply");
    let union = &g.normalized["components"]["schemas"]["GetThingErrorReply"]["oneOf"];
    let order: Vec<&str> = union.as_array().unwrap().iter().map(|b| b["$ref"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["#/components/schemas/Conflict", "#/components/schemas/Problem", "#/components/schemas/Invalid"]
    );
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
}

#[test]
fn text_error_replies_beside_json_ones_are_documented_without_a_warning() {
    let text = json!({"type": "string"});
    let d = doc(
        json!({"/t": {"get": {"operationId": "text", "description": "Some text.", "responses": {
            "200": {"description": "ok", "content": {"text/plain": {"schema": text}}},
            "400": {"description": "bad", "content": {"text/plain": {"schema": text}}},
            "422": {"description": "bad", "content": {"application/json": {"schema": {"type": "object"}}}},
            "503": {"description": "down", "content": {"text/html; charset=utf-8": {"schema": {"type": "string", "title": "Page"}}}}
        }}}}),
        json!({}),
    );
    let g = build(&d);
    assert_eq!(send_types(&g, "Text").0, "crate::ByteStream");
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let docs = g.normalized["paths"]["/t"]["get"]["description"].as_str().expect("description");
    assert!(docs.starts_with("Some text.\n\n"), "{docs}");
    assert!(docs.contains("400 (`text/plain`), 503 (`text/html; charset=utf-8`)"), "{docs}");
    assert!(docs.contains("(crate::Error::text)"), "{docs}");
    let client: String = g.client.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(client.contains("Error replies in text: 400 (`text/plain`)"), "the method docs list them");
}

#[test]
fn an_error_reply_neither_json_nor_text_beside_json_ones_is_named_in_a_warning() {
    let d = doc(
        json!({"/t": {"get": {"operationId": "xml", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
            "400": {"description": "bad", "content": {"application/xml": {"schema": {"type": "object"}}}},
            "409": {"description": "bad", "content": {"text/csv": {"schema": {"type": "array", "items": {}}}}},
            "422": {"description": "bad", "content": {"application/json": {"schema": {"type": "object"}}}}
        }}}}),
        json!({}),
    );
    let g = build(&d);
    assert_eq!(g.warnings.len(), 2, "{:?}", g.warnings);
    assert!(g.warnings[0].contains("GET /t") && g.warnings[0].contains("400"), "{}", g.warnings[0]);
    assert!(g.warnings[1].contains("409"), "{}", g.warnings[1]);
}

#[test]
fn defaults_that_contradict_their_schema_are_left_to_the_server() {
    let d = doc(
        json!({"/d": {"post": {"operationId": "d",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/D"}}}},
            "responses": ok(json!({"type": "string"}))}}}),
        json!({
            "Cat": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            "D": {"type": "object", "properties": {
                "odd": {"type": "string", "default": true},
                "anything": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "object"}, {"type": "string"}], "default": "plain"},
                "inner": {"allOf": [{"$ref": "#/components/schemas/Cat"}], "default": {"name": 3}},
                "fine": {"type": "integer", "default": 3}
            }}
        }),
    );
    let g = build(&d);
    let props = &g.normalized["components"]["schemas"]["D"]["properties"];
    assert!(props["odd"].get("default").is_none());
    assert_eq!(
        props["odd"]["oneOf"],
        json!([{"type": "string"}, {"type": "boolean"}]),
        "either type arrives"
    );
    assert!(props["anything"].get("default").is_none());
    assert!(props["inner"].get("default").is_none());
    assert_eq!(props["fine"]["default"], json!(3));
}

#[test]
fn union_typed_path_and_query_parameters_are_strings() {
    let d = doc(
        json!({"/l/{key}": {"get": {"operationId": "lookup",
            "parameters": [
                {"name": "key", "in": "path", "required": true, "schema": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string"}]}},
                {"name": "alt", "in": "query", "required": false, "schema": {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]}}
            ],
            "responses": ok(json!({"type": "string"}))}}}),
        json!({}),
    );
    let g = build(&d);
    assert_eq!(setter(&g, "Lookup", "key"), "::std::string::String");
    assert_eq!(setter(&g, "Lookup", "alt"), "::std::string::String");
}

#[test]
fn cookie_parameters_go_through_the_build_steps_emitter() {
    let d = doc(
        json!({"/c": {"get": {"operationId": "withCookie",
            "parameters": [{"name": "session", "in": "cookie", "required": false, "schema": {"type": "string"}}],
            "responses": ok(json!({"type": "string"}))}}}),
        json!({}),
    );
    let g = build(&d);
    assert!(g.ops.contains("pub fn with_cookie(&self)"), "{}", g.ops);
    assert!(g.ops.contains("header::COOKIE"));
    assert!(g.extras.contains("cookie parameter"));
}

#[test]
fn method_names_are_the_generators_for_acronyms_and_defaults() {
    let ids = [
        "getJSONLOpenAIExport",
        "listURLs",
        "read_item_items__item_id__get",
        "getDataset-JSONLOpenAIFineTuning",
        "HTTPStatus2XX",
        "self",
        "type",
    ];
    let mut paths = serde_json::Map::new();
    for (i, id) in ids.iter().enumerate() {
        paths.insert(
            format!("/p{i}"),
            json!({"get": {"operationId": id, "responses": ok(json!({"type": "string"}))}}),
        );
    }
    let g = build(&doc(Value::Object(paths), json!({})));
    assert_eq!(naming::method_name("getJSONLOpenAIExport"), "get_jsonl_open_ai_export");
    assert_eq!(naming::method_name("listURLs"), "list_ur_ls");
    for id in ids {
        let name = naming::method_name(id);
        assert!(g.client.contains(&format!("pub fn {name}(")), "{id}: no method {name}");
        assert!(g.extras.contains(&format!("method_name: \"{name}\"")), "{id}: table names {name}");
    }
}

#[test]
fn emitters_take_body_and_item_types_from_the_generator() {
    let d = doc(
        json!({
            "/dict": {"post": {"operationId": "dict",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": true}}}},
                "responses": ok(json!({"type": "object"}))}},
            "/union": {"post": {"operationId": "union",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "string"}]}}}},
                "responses": ok(json!({"type": "string"}))}},
            "/codes": {"get": {"operationId": "codes",
                "parameters": [{"name": "codes", "in": "query", "required": false, "schema": {"type": "array", "items": {"type": "string", "minLength": 2}}}],
                "responses": ok(json!({"type": "string"}))}},
            "/pets": {"get": {"operationId": "pets",
                "parameters": [
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "default": 0}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 2}}],
                "responses": ok(json!({"$ref": "#/components/schemas/Page"}))}}
        }),
        json!({
            "Cat": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            "Page": {"type": "object", "required": ["items", "total"], "properties": {
                "items": {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "string"}]}},
                "total": {"type": "integer"}}}
        }),
    );
    let g = build(&d);
    let squash = |t: &str| t.split_whitespace().collect::<String>().replace(",>", ">");
    let contract = squash(&g.contract);
    for (builder, name) in [("Dict", "body"), ("Union", "body"), ("Codes", "codes")] {
        let ty = setter(&g, builder, name);
        assert!(contract.contains(&format!("arg::<{ty}>")), "{builder}.{name}: {ty} not used");
    }
    let item = Choices::read(&g.client.parse().unwrap())
        .structs
        .get("Page")
        .and_then(|f| f.get("items").cloned())
        .expect("Page.items")
        .to_string()
        .replace(' ', "");
    let item = item.trim_start_matches("::std::vec::Vec<").trim_end_matches('>');
    assert!(item.starts_with("crate::types::"), "{item}");
    assert!(squash(&g.ops).contains(&format!("Paginator<'a,{item},")), "{}", g.ops);
}

#[test]
fn an_operation_taking_json_or_multipart_gets_both_methods() {
    let d = doc(
        json!({"/notes": {"post": {"operationId": "createNote",
            "requestBody": {"required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Note"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "detail": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}}}},
            "responses": ok(json!({"type": "string"}))}}}),
        json!({"Note": {"type": "object", "properties": {"detail": {"type": "string"}}}}),
    );
    let g = build(&d);
    assert_eq!(setter(&g, "CreateNote", "body"), "crate::types::Note");
    assert!(g.ops.contains("pub fn create_note_multipart(&self)"));
    assert!(g.contract.contains("\"createNote:multipart\""));
}

#[test]
fn the_api_key_header_comes_from_the_security_schemes() {
    let mut d = doc(
        json!({"/a": {"get": {"operationId": "a", "responses": ok(json!({"type": "string"}))}}}),
        json!({}),
    );
    assert!(build(&d).extras.contains("API_KEY_HEADER: &str = \"Meibel-API-Key\""));
    d["components"]["securitySchemes"] = json!({
        "HTTPBearer": {"type": "http", "scheme": "bearer"},
        "Key": {"type": "apiKey", "in": "header", "name": "X-Zoo-Key"}
    });
    let g = build(&d);
    assert!(g.extras.contains("API_KEY_HEADER: &str = \"X-Zoo-Key\""));
    assert!(g.extras.contains("API_KEY_HEADER_LOWER: &str = \"x-zoo-key\""));
}

#[test]
fn discriminated_union_variants_keep_their_tag_closed_and_required() {
    let d = doc(
        json!({"/pet": {"post": {"operationId": "pet",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {
                    "cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}}}}}},
            "responses": ok(json!({"type": "string"}))}}}),
        json!({
            "Cat": {"type": "object", "properties": {"kind": {"type": "string", "const": "cat", "default": "cat"}, "name": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string", "const": "dog", "default": "dog"}, "name": {"type": "string"}}}
        }),
    );
    let g = build(&d);
    let cat = &g.normalized["components"]["schemas"]["Cat"];
    assert!(cat["required"].as_array().unwrap().contains(&json!("kind")));
    assert!(!g.enums.contains("CatKind"), "the tag is not an open enum");
}

#[test]
fn a_tuple_of_different_members_is_an_array_of_values() {
    let d = doc(
        json!({"/pair": {"post": {"operationId": "pair",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "minItems": 2, "maxItems": 2}}}},
            "responses": ok(json!({"type": "string"}))}}}),
        json!({}),
    );
    let g = build(&d);
    let body = setter(&g, "Pair", "body");
    assert!(body.contains("::serde_json::Value"), "{body}");
}

#[test]
fn error_replies_with_examples_but_no_schema_and_repeated_tags() {
    let d = json!({
        "openapi": "3.1.0",
        "info": {"title": "库存 API", "version": "1"},
        "paths": {"/stock/{id}": {"post": {
            "operationId": "confirm_stock_stock__id__post",
            "tags": ["库存", "库存"],
            "parameters": [{"name": "id", "in": "path", "required": true,
                "schema": {"type": "integer", "exclusiveMinimum": 0, "examples": [1]}}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "boolean"}}}},
                "400": {"description": "no", "content": {"application/json": {"examples": {"a": {"value": {"success": false}}}}}},
                "404": {"description": "gone", "content": {"application/json": {"example": {"success": false}}}},
                "422": {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invalid"}}}}
            }}}},
        "components": {"schemas": {"Invalid": {"type": "object", "properties": {"detail": {"type": "array", "items": {}}}}}}
    });
    let g = build(&d);
    let (_, err) = send_types(&g, "ConfirmStockStockIdPost");
    assert_eq!(err, "crate::types::ConfirmStockStockIdPostErrorReply");
    let union = &g.normalized["components"]["schemas"]["ConfirmStockStockIdPostErrorReply"]["oneOf"];
    assert_eq!(
        union,
        &json!([{"$ref": "#/components/schemas/Invalid"}, {}]),
        "the schema-less reply goes last"
    );
    assert!(g.client.contains("pub fn confirm_stock_stock_id_post("));
}

#[test]
fn header_parameters_sent_by_the_generator_fail_as_the_operations_error() {
    // An operation with header parameters and no cookie is the generator's; its code turns
    // each header value with `try_into()?`, whose error the crate's error must not need to
    // know: a value that cannot be sent becomes the operation's InvalidArgument error.
    let d = doc(
        json!({"/p/{id}": {"post": {"operationId": "ingest",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}},
                {"name": "X-Project-Key", "in": "header", "required": false,
                 "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
                {"name": "x-tenant", "in": "header", "required": true, "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"application/json": {"schema":
                {"anyOf": [{"$ref": "#/components/schemas/In"}, {"type": "null"}], "title": "Payload"}}}},
            "responses": ok(json!({"type": "object"}))}}}),
        json!({"In": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}}),
    );
    let g = build(&d);
    let client: String = g.client.split_whitespace().collect();
    assert!(!client.contains("try_into()?"), "a header conversion is left with `?`");
    for name in ["X-Project-Key", "x-tenant"] {
        let mapped = format!("OP.invalid(\"header`{name}`:thevaluecannotbesentinaheader\"");
        assert!(client.contains(&mapped), "{name}: no InvalidArgument mapping");
    }
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
}
