//! `cargo xtask variants SPEC OUT_DIR`: documents derived from the vendored spec, to prove
//! the crate builds against other documents of the same form.
//!
//! - `subset.json`: every other operation removed (schemas kept as they are);
//! - `superset.json`: a new tag and operation (`GET /widgets/{widget_id}` -> `Widget`, with
//!   a new enum), a new field on every response object schema, and a new value appended to
//!   every string enum.

use serde_json::{Value, json};
use std::path::Path;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];
const ADDED_VALUE: &str = "added_in_a_later_version";

/// `spec` with every other operation removed, and paths left without operations dropped.
pub fn subset(spec: &Value) -> Value {
    let mut s = spec.clone();
    let mut n = 0;
    if let Some(paths) = s.get_mut("paths").and_then(Value::as_object_mut) {
        paths.retain(|_, item| {
            let Some(item) = item.as_object_mut() else { return true };
            for m in METHODS {
                if item.contains_key(m) {
                    if n % 2 == 1 {
                        item.remove(m);
                    }
                    n += 1;
                }
            }
            METHODS.iter().any(|m| item.contains_key(*m))
        });
    }
    s
}

fn walk_enums(node: &mut Value) {
    match node {
        Value::Object(m) => {
            if let Some(Value::Array(values)) = m.get_mut("enum")
                && values.iter().all(Value::is_string)
            {
                values.push(json!(ADDED_VALUE));
            }
            if let Some(Value::String(c)) = m.get("const").cloned() {
                m.insert("enum".into(), json!([c, ADDED_VALUE]));
                m.remove("const");
            }
            m.values_mut().for_each(walk_enums);
        }
        Value::Array(a) => a.iter_mut().for_each(walk_enums),
        _ => {}
    }
}

/// `spec` with a new operation, schemas, fields and enum values.
pub fn superset(spec: &Value) -> Value {
    let mut s = spec.clone();
    if let Some(schemas) = s.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        schemas.values_mut().for_each(walk_enums);
        for (name, schema) in schemas.iter_mut() {
            if schema.get("type") == Some(&json!("object"))
                && !name.starts_with("Body_")
                && let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut)
            {
                props.insert(
                    "added_later".into(),
                    json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Added Later"}),
                );
            }
        }
        schemas.insert(
            "WidgetShape".into(),
            json!({"type": "string", "enum": ["round", "square"], "title": "WidgetShape"}),
        );
        schemas.insert(
            "Widget".into(),
            json!({
                "properties": {
                    "id": {"type": "string", "title": "Id"},
                    "shape": {"$ref": "#/components/schemas/WidgetShape"},
                    "size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "Size"}
                },
                "type": "object",
                "required": ["id", "shape"],
                "title": "Widget"
            }),
        );
    }
    if let Some(top) = s.as_object_mut() {
        let tags = top.entry("tags").or_insert_with(|| json!([]));
        if let Some(tags) = tags.as_array_mut() {
            tags.push(json!({"name": "Widgets", "description": "A tag added later"}));
        }
    }
    if let Some(paths) = s.get_mut("paths").and_then(Value::as_object_mut) {
        paths.insert(
            "/widgets/{widget_id}".into(),
            json!({"get": {
                "tags": ["Widgets"],
                "summary": "Get Widget",
                "operationId": "getWidget",
                "parameters": [
                    {"name": "widget_id", "in": "path", "required": true, "schema": {"type": "string", "title": "Widget Id"}},
                    {"name": "verbose", "in": "query", "required": false,
                     "schema": {"type": "boolean", "default": false, "title": "Verbose"}}
                ],
                "responses": {
                    "200": {"description": "Successful Response",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
                    "422": {"description": "Validation Error",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}
                },
                "security": [{"APIKeyHeader": []}]
            }}),
        );
    }
    s
}

/// Writes `subset.json` and `superset.json` of the spec at `spec` into `out`.
pub fn write(spec: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, variant) in [("subset", subset(&doc)), ("superset", superset(&doc))] {
        let path = out.join(format!("{name}.json"));
        std::fs::write(&path, crate::update_spec::normalise(&variant))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
