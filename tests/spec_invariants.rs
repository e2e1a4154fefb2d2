//! Structural invariants of the vendored spec `openapi/api-v2.json`.
//!
//! Each check is a function from the document to a list of problems, one message per
//! offending place, so that the same functions can be run on small in-memory documents
//! to show that they do report what they are meant to catch.

use std::collections::BTreeMap;

use serde_json::{Value, json};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn spec_path() -> String {
    format!("{}/openapi/api-v2.json", env!("CARGO_MANIFEST_DIR"))
}

fn load_spec() -> Value {
    let path = spec_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"))
}

/// Fails the test with every problem listed, one per line.
fn assert_none(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} in {}: {}\n  {}",
        what,
        spec_path(),
        problems.len(),
        problems.join("\n  ")
    );
}

/// Appends one reference token to a JSON pointer.
fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// One operation of the document.
struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    /// The path item, for parameters declared on the path level.
    item: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    /// "POST /agents (createAgent)", for messages.
    fn label(&self) -> String {
        let id = self.op.get("operationId").and_then(Value::as_str).unwrap_or("<no operationId>");
        format!("{} {} ({id})", self.method.to_uppercase(), self.path)
    }

    fn pointer(&self) -> String {
        child(&child("/paths", self.path), self.method)
    }
}

fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push(Operation { path, method, item, op });
                }
            }
        }
    }
    out
}

/// Follows a local `$ref` (`#/...`) inside `doc`.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Follows `value` if it is a `{"$ref": ...}` object; otherwise returns it as is.
fn deref<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, r),
        None => Some(value),
    }
}

// ---------------------------------------------------------------------------------
// References

/// Every `$ref` in `value`, with the pointer of the object that holds it.
fn collect_refs(value: &Value, pointer: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref") {
                out.push((pointer.to_string(), r.clone()));
            }
            for (k, v) in map {
                collect_refs(v, &child(pointer, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs(v, &child(pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn dangling_refs(doc: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    collect_refs(doc, "", &mut refs);
    let mut problems = Vec::new();
    for (at, r) in refs {
        match r.as_str() {
            None => problems.push(format!("{at}: $ref is not a string: {r}")),
            Some(s) if !s.starts_with("#/components/") => {
                problems.push(format!("{at}: $ref {s} does not point into #/components/"))
            }
            Some(s) if resolve(doc, s).is_none() => problems.push(format!("{at}: $ref {s} does not resolve")),
            Some(_) => {}
        }
    }
    problems
}

// ---------------------------------------------------------------------------------
// Operations

/// The names of the `{param}` placeholders of a path template.
fn template_params(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

/// The parameters of an operation: those of its path item, overridden by its own (by
/// name and location), with references followed.
fn parameters<'a>(doc: &'a Value, op: &Operation<'a>) -> Result<Vec<&'a Value>, String> {
    let mut by_key: BTreeMap<(String, String), &Value> = BTreeMap::new();
    for list in [op.item.get("parameters"), op.op.get("parameters")].into_iter().flatten() {
        let list = list.as_array().ok_or_else(|| format!("{}: parameters is not an array", op.label()))?;
        for p in list {
            let p = deref(doc, p).ok_or_else(|| format!("{}: parameter {p} does not resolve", op.label()))?;
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
            by_key.insert((name.to_string(), location.to_string()), p);
        }
    }
    Ok(by_key.into_values().collect())
}

fn path_param_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for op in operations(doc) {
        let params = match parameters(doc, &op) {
            Ok(p) => p,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let in_template = template_params(op.path);
        for name in &in_template {
            let declared = params.iter().find(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("path")
            });
            match declared {
                None => problems.push(format!(
                    "{}: {{{name}}} of the path is not declared as an `in: path` parameter",
                    op.label()
                )),
                Some(p) if p.get("required") != Some(&Value::Bool(true)) => {
                    problems.push(format!("{}: path parameter {name} is not `required: true`", op.label()))
                }
                Some(_) => {}
            }
        }
        for p in &params {
            if p.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            if !in_template.contains(&name) {
                problems.push(format!(
                    "{}: path parameter {name:?} does not appear in the path template",
                    op.label()
                ));
            }
        }
    }
    problems
}

fn operation_id_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for op in operations(doc) {
        match op.op.get("operationId").and_then(Value::as_str) {
            None | Some("") => problems.push(format!("{}: no operationId", op.label())),
            Some(id) => {
                if let Some(first) = seen.insert(id, op.label()) {
                    problems.push(format!("{}: operationId {id} is also used by {first}", op.label()));
                }
            }
        }
    }
    problems
}

fn security_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let expected = json!([{ "APIKeyHeader": [] }]);
    for op in operations(doc) {
        match op.op.get("security") {
            Some(s) if *s == expected => {}
            Some(s) => problems.push(format!("{}: security is {s}, expected {expected}", op.label())),
            None => problems.push(format!("{}: no security, expected {expected}", op.label())),
        }
    }
    let scheme = doc.pointer("/components/securitySchemes/APIKeyHeader");
    let expected_scheme = [("type", "apiKey"), ("in", "header"), ("name", "Meibel-API-Key")];
    match scheme {
        None => problems.push("/components/securitySchemes/APIKeyHeader is missing".to_string()),
        Some(s) => {
            for (key, value) in expected_scheme {
                if s.get(key).and_then(Value::as_str) != Some(value) {
                    problems.push(format!(
                        "/components/securitySchemes/APIKeyHeader: {key} is {}, expected {value:?}",
                        s.get(key).unwrap_or(&Value::Null)
                    ));
                }
            }
        }
    }
    problems
}

/// Whether the `type` of a schema is (or includes) `name`.
fn has_type(schema: &Value, name: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == name),
        _ => false,
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

/// A file part of a multipart body: `type: string, format: binary`, an array of those,
/// or either of them in an `anyOf` with `{type: null}`.
fn is_binary_field(schema: &Value) -> bool {
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let (nulls, others): (Vec<&Value>, Vec<&Value>) = branches.iter().partition(|b| is_null_schema(b));
        return !others.is_empty() && nulls.len() <= 1 && others.iter().all(|b| is_binary_field(b));
    }
    if has_type(schema, "string") {
        return schema.get("format").and_then(Value::as_str) == Some("binary");
    }
    if has_type(schema, "array") {
        return schema.get("items").is_some_and(is_binary_field);
    }
    false
}

fn multipart_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for op in operations(doc) {
        let Some(schema) = op.op.pointer("/requestBody/content/multipart~1form-data/schema") else {
            continue;
        };
        let id = op.op.get("operationId").and_then(Value::as_str).unwrap_or_default();
        let expected = format!("#/components/schemas/Body_{id}");
        let reference = schema.get("$ref").and_then(Value::as_str);
        if reference != Some(expected.as_str()) {
            problems.push(format!(
                "{}: multipart/form-data body schema is {schema}, expected a $ref to {expected}",
                op.label()
            ));
            continue;
        }
        let Some(body) = resolve(doc, &expected) else {
            problems.push(format!("{}: {expected} does not resolve", op.label()));
            continue;
        };
        let binary: Vec<&String> = body
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| props.iter().filter(|(_, s)| is_binary_field(s)).map(|(name, _)| name).collect())
            .unwrap_or_default();
        if binary.is_empty() {
            problems.push(format!("{}: {expected} has no binary (file) property", op.label()));
        }
    }
    problems
}

fn success_response_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for op in operations(doc) {
        let responses = op.op.get("responses").and_then(Value::as_object);
        let has_2xx = responses.is_some_and(|r| {
            r.keys().any(|status| {
                status.len() == 3
                    && status.starts_with('2')
                    && (status[1..].chars().all(|c| c.is_ascii_digit()) || status.eq_ignore_ascii_case("2XX"))
            })
        });
        if !has_2xx {
            let statuses: Vec<&String> = responses.map(|r| r.keys().collect()).unwrap_or_default();
            problems.push(format!("{}: no 2xx response (responses: {statuses:?})", op.label()));
        }
    }
    problems
}

fn version_problems(doc: &Value) -> Vec<String> {
    match doc.get("openapi") {
        Some(Value::String(v)) if v == "3.1.0" => Vec::new(),
        other => vec![format!("/openapi is {}, expected \"3.1.0\"", other.unwrap_or(&Value::Null))],
    }
}

// ---------------------------------------------------------------------------------
// Schemas

/// Every schema root of the document with its pointer: the component schemas and the
/// inline schemas of parameters, request bodies and responses.
fn schema_roots(doc: &Value) -> Vec<(String, &Value)> {
    let mut roots = Vec::new();
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            roots.push((child("/components/schemas", name), s));
        }
    }
    for op in operations(doc) {
        let base = op.pointer();
        if let Some(params) = op.op.get("parameters").and_then(Value::as_array) {
            for (i, p) in params.iter().enumerate() {
                if let Some(s) = p.get("schema") {
                    roots.push((format!("{base}/parameters/{i}/schema"), s));
                }
            }
        }
        if let Some(content) = op.op.pointer("/requestBody/content").and_then(Value::as_object) {
            for (ct, media) in content {
                if let Some(s) = media.get("schema") {
                    let at = child(&format!("{base}/requestBody/content"), ct);
                    roots.push((format!("{at}/schema"), s));
                }
            }
        }
        if let Some(responses) = op.op.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (ct, media) in content {
                    if let Some(s) = media.get("schema") {
                        let at = child(&format!("{base}/responses/{status}/content"), ct);
                        roots.push((format!("{at}/schema"), s));
                    }
                }
            }
        }
    }
    roots
}

/// Calls `visit` on `schema` and on each of its subschemas.
fn walk_schema(schema: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Value)) {
    let Some(map) = schema.as_object() else {
        return;
    };
    visit(pointer, schema);
    for key in ["items", "additionalProperties", "not", "contains"] {
        if let Some(sub) = map.get(key) {
            walk_schema(sub, &child(pointer, key), visit);
        }
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(list) = map.get(key).and_then(Value::as_array) {
            for (i, sub) in list.iter().enumerate() {
                walk_schema(sub, &format!("{}/{i}", child(pointer, key)), visit);
            }
        }
    }
    for key in ["properties", "patternProperties", "$defs"] {
        if let Some(named) = map.get(key).and_then(Value::as_object) {
            for (name, sub) in named {
                walk_schema(sub, &child(&child(pointer, key), name), visit);
            }
        }
    }
}

fn nullable_keyword_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (at, root) in schema_roots(doc) {
        walk_schema(root, &at, &mut |pointer, schema| {
            if let Some(v) = schema.get("nullable") {
                problems.push(format!(
                    "{pointer}: uses the OpenAPI 3.0 keyword `nullable: {v}`; \
                     3.1 form is anyOf with {{\"type\": \"null\"}}"
                ));
            }
        });
    }
    problems
}

/// Every object property carries a `title`, as Pydantic writes one for each field. The
/// exception is Pydantic's own: a field that is a plain model reference (`$ref`, maybe
/// with a `default` or `description` beside it) gets no title of its own.
fn untitled_property_problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (at, root) in schema_roots(doc) {
        walk_schema(root, &at, &mut |pointer, schema| {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (name, prop) in props {
                if prop.get("$ref").is_some() {
                    continue;
                }
                if !prop.get("title").is_some_and(Value::is_string) {
                    problems.push(format!(
                        "{}: property has no title",
                        child(&child(pointer, "properties"), name)
                    ));
                }
            }
        });
    }
    problems
}

// ---------------------------------------------------------------------------------
// The spec

#[test]
fn every_ref_resolves_to_a_component() {
    assert_none("dangling $ref", dangling_refs(&load_spec()));
}

#[test]
fn path_templates_and_path_parameters_agree() {
    assert_none("path parameter mismatch", path_param_problems(&load_spec()));
}

#[test]
fn operation_ids_are_present_and_unique() {
    let spec = load_spec();
    assert!(!operations(&spec).is_empty(), "{} declares no operations", spec_path());
    assert_none("operationId problem", operation_id_problems(&spec));
}

#[test]
fn every_operation_requires_the_api_key_header() {
    assert_none("security problem", security_problems(&load_spec()));
}

#[test]
fn multipart_bodies_ref_a_body_schema_with_a_file_field() {
    let spec = load_spec();
    let multipart = operations(&spec)
        .iter()
        .filter(|op| op.op.pointer("/requestBody/content/multipart~1form-data").is_some())
        .count();
    assert!(multipart > 0, "{} has no multipart/form-data request body to check", spec_path());
    assert_none("multipart body problem", multipart_problems(&spec));
}

#[test]
fn every_operation_has_a_success_response() {
    assert_none("operation without 2xx response", success_response_problems(&load_spec()));
}

#[test]
fn document_is_openapi_3_1_0() {
    assert_none("version problem", version_problems(&load_spec()));
}

#[test]
fn no_schema_uses_the_nullable_keyword() {
    assert_none("3.0 `nullable` keyword", nullable_keyword_problems(&load_spec()));
}

#[test]
fn every_object_property_has_a_title() {
    let spec = load_spec();
    let mut count = 0;
    for (at, root) in schema_roots(&spec) {
        walk_schema(root, &at, &mut |_, s| {
            count += s.get("properties").and_then(Value::as_object).map_or(0, |p| p.len());
        });
    }
    assert!(count > 0, "{} has no object properties", spec_path());
    assert_none("untitled property", untitled_property_problems(&spec));
}

// ---------------------------------------------------------------------------------
// The checks themselves, on small documents with known faults

/// A minimal document that passes every check; the tests below break one thing each.
fn sound_document() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {
            "/things/{thing_id}": {
                "post": {
                    "operationId": "uploadThing",
                    "parameters": [{
                        "name": "thing_id", "in": "path", "required": true,
                        "schema": {"type": "string", "title": "Thing Id"}
                    }],
                    "requestBody": {"required": true, "content": {"multipart/form-data": {
                        "schema": {"$ref": "#/components/schemas/Body_uploadThing"}
                    }}},
                    "responses": {"200": {"description": "Successful Response",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing"}}}}},
                    "security": [{"APIKeyHeader": []}]
                }
            }
        },
        "components": {
            "schemas": {
                "Body_uploadThing": {"type": "object", "title": "Body_uploadThing",
                    "properties": {"files": {"title": "Files", "anyOf": [
                        {"type": "array", "items": {"type": "string", "format": "binary"}},
                        {"type": "null"}
                    ]}}},
                "Thing": {"type": "object", "title": "Thing",
                    "properties": {"name": {"title": "Name",
                        "anyOf": [{"type": "string"}, {"type": "null"}]},
                        "kind": {"$ref": "#/components/schemas/Kind", "default": "plain"}}},
                "Kind": {"type": "string", "enum": ["plain", "fancy"], "title": "Kind"}
            },
            "securitySchemes": {"APIKeyHeader": {
                "type": "apiKey", "in": "header", "name": "Meibel-API-Key"}}
        }
    })
}

fn all_problems(doc: &Value) -> Vec<String> {
    [
        dangling_refs(doc),
        path_param_problems(doc),
        operation_id_problems(doc),
        security_problems(doc),
        multipart_problems(doc),
        success_response_problems(doc),
        version_problems(doc),
        nullable_keyword_problems(doc),
        untitled_property_problems(doc),
    ]
    .concat()
}

/// Applies `edit` to the sound document and returns the problems `check` reports.
fn broken(edit: impl FnOnce(&mut Value), check: fn(&Value) -> Vec<String>) -> Vec<String> {
    let mut doc = sound_document();
    edit(&mut doc);
    check(&doc)
}

fn op_mut(doc: &mut Value) -> &mut Value {
    doc.pointer_mut("/paths/~1things~1{thing_id}/post").expect("the sound document has this operation")
}

fn assert_reports(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "expected a problem mentioning {needle:?}, got {problems:#?}"
    );
}

#[test]
fn sound_document_passes_every_check() {
    let problems = all_problems(&sound_document());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn ref_checker_reports_a_dangling_ref() {
    let problems = broken(
        |d| {
            d["components"]["schemas"]["Thing"]["properties"]["owner"] =
                json!({"$ref": "#/components/schemas/Owner", "title": "Owner"});
        },
        dangling_refs,
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reports(&problems, "/components/schemas/Thing/properties/owner: $ref #/components/schemas/Owner");
}

#[test]
fn path_param_checker_reports_both_directions() {
    let undeclared = broken(
        |d| {
            let paths = d["paths"].as_object_mut().unwrap();
            let item = paths.remove("/things/{thing_id}").unwrap();
            paths.insert("/things/{thing_id}/{part}".into(), item);
        },
        path_param_problems,
    );
    assert_reports(&undeclared, "{part} of the path is not declared");

    let not_required = broken(|d| op_mut(d)["parameters"][0]["required"] = json!(false), path_param_problems);
    assert_reports(&not_required, "thing_id is not `required: true`");

    let extra = broken(
        |d| {
            op_mut(d)["parameters"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "other", "in": "path", "required": true}));
        },
        path_param_problems,
    );
    assert_reports(&extra, "\"other\" does not appear in the path template");
}

#[test]
fn operation_id_checker_reports_missing_and_duplicate_ids() {
    let missing = broken(
        |d| {
            op_mut(d).as_object_mut().unwrap().remove("operationId");
        },
        operation_id_problems,
    );
    assert_reports(&missing, "POST /things/{thing_id} (<no operationId>): no operationId");

    let duplicate = broken(
        |d| {
            let op = op_mut(d).clone();
            d["paths"]["/things/{thing_id}"]["put"] = op;
        },
        operation_id_problems,
    );
    assert_reports(&duplicate, "operationId uploadThing is also used by");
}

#[test]
fn security_checker_reports_missing_security_and_wrong_scheme() {
    let missing = broken(
        |d| {
            op_mut(d).as_object_mut().unwrap().remove("security");
        },
        security_problems,
    );
    assert_reports(&missing, "(uploadThing): no security");

    let wrong_header = broken(
        |d| d["components"]["securitySchemes"]["APIKeyHeader"]["name"] = json!("X-API-Key"),
        security_problems,
    );
    assert_reports(&wrong_header, "APIKeyHeader: name is \"X-API-Key\"");
}

#[test]
fn multipart_checker_reports_wrong_name_and_missing_file_field() {
    let wrong_name = broken(
        |d| {
            let schemas = d["components"]["schemas"].as_object_mut().unwrap();
            let body = schemas.remove("Body_uploadThing").unwrap();
            schemas.insert("Upload".into(), body);
            op_mut(d)["requestBody"]["content"]["multipart/form-data"]["schema"] =
                json!({"$ref": "#/components/schemas/Upload"});
        },
        multipart_problems,
    );
    assert_reports(&wrong_name, "expected a $ref to #/components/schemas/Body_uploadThing");

    let no_file = broken(
        |d| {
            d["components"]["schemas"]["Body_uploadThing"]["properties"]["files"] =
                json!({"title": "Files", "type": "array", "items": {"type": "string"}});
        },
        multipart_problems,
    );
    assert_reports(&no_file, "Body_uploadThing has no binary (file) property");
}

#[test]
fn binary_field_recognises_the_three_forms() {
    let file = json!({"type": "string", "format": "binary"});
    assert!(is_binary_field(&file));
    assert!(is_binary_field(&json!({"type": "array", "items": file})));
    assert!(is_binary_field(&json!({"anyOf": [file, {"type": "null"}], "title": "File"})));
    assert!(!is_binary_field(&json!({"type": "string"})));
    assert!(!is_binary_field(&json!({"anyOf": [{"type": "null"}]})));
    assert!(!is_binary_field(&json!({"anyOf": [file, {"type": "string"}]})));
}

#[test]
fn success_checker_reports_an_operation_without_2xx() {
    let problems = broken(
        |d| {
            let responses = op_mut(d)["responses"].as_object_mut().unwrap();
            let ok = responses.remove("200").unwrap();
            responses.insert("422".into(), ok);
        },
        success_response_problems,
    );
    assert_reports(&problems, "(uploadThing): no 2xx response");
}

#[test]
fn version_checker_reports_3_0() {
    let problems = broken(|d| d["openapi"] = json!("3.0.3"), version_problems);
    assert_reports(&problems, "/openapi is \"3.0.3\"");
}

#[test]
fn nullable_checker_reports_a_nested_nullable() {
    let problems = broken(
        |d| {
            d["components"]["schemas"]["Thing"]["properties"]["name"] =
                json!({"title": "Name", "type": "string", "nullable": true});
        },
        nullable_keyword_problems,
    );
    assert_reports(&problems, "/components/schemas/Thing/properties/name: uses the OpenAPI 3.0 keyword");

    // A property that happens to be called `nullable` is not the keyword.
    let property_named_nullable = broken(
        |d| {
            d["components"]["schemas"]["Thing"]["properties"]["nullable"] =
                json!({"title": "Nullable", "type": "boolean"});
        },
        nullable_keyword_problems,
    );
    assert!(property_named_nullable.is_empty(), "{property_named_nullable:#?}");
}

#[test]
fn title_checker_reports_an_untitled_property() {
    // The sound document already has an untitled plain reference (Thing.kind); only the
    // untitled non-reference property is reported.
    let problems = broken(
        |d| {
            d["components"]["schemas"]["Thing"]["properties"]["size"] = json!({"type": "integer"});
        },
        untitled_property_problems,
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_reports(&problems, "/components/schemas/Thing/properties/size: property has no title");

    // A nullable reference is an anyOf, which Pydantic does title.
    let nullable_ref = broken(
        |d| {
            d["components"]["schemas"]["Thing"]["properties"]["kind"] =
                json!({"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "null"}]});
        },
        untitled_property_problems,
    );
    assert_reports(&nullable_ref, "/components/schemas/Thing/properties/kind: property has no title");
}

#[test]
fn template_params_reads_every_placeholder() {
    assert_eq!(template_params("/agents/{agent_id}/sessions/{session_id}"), ["agent_id", "session_id"]);
    assert!(template_params("/agents").is_empty());
}
