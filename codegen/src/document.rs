//! Shared facts about the document's shape: the HTTP methods an operation can sit
//! under, and how to reach every schema nested in a schema.

use serde_json::{Map, Value};

/// The HTTP methods a path item may hold an operation under, in document order.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Call `f` on `schema` and on every schema nested in it (properties, items, unions,
/// additional properties), children before their parent.
pub fn each_schema_mut(schema: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    let Some(obj) = schema.as_object_mut() else { return };
    for key in ["properties", "patternProperties"] {
        if let Some(props) = obj.get_mut(key).and_then(Value::as_object_mut) {
            for s in props.values_mut() {
                each_schema_mut(s, f);
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(s) = obj.get_mut(key) {
            each_schema_mut(s, f);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for s in obj.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            each_schema_mut(s, f);
        }
    }
    f(obj);
}

/// The component schema a `$ref` (or a one-element `allOf` around one) names.
pub fn component<'a>(spec: &'a Value, schema: &'a Value) -> Option<(&'a str, &'a Value)> {
    let r = schema.get("$ref").and_then(Value::as_str).or_else(|| {
        let all = schema.get("allOf")?.as_array()?;
        if all.len() == 1 { all[0].get("$ref")?.as_str() } else { None }
    })?;
    let name = r.strip_prefix("#/components/schemas/")?;
    let (k, v) = spec.pointer("/components/schemas")?.as_object()?.get_key_value(name)?;
    Some((k.as_str(), v))
}
