//! The one view of the document's shape every emitter reads it through: the HTTP methods
//! an operation can sit under, the walk over the operations, `$ref` resolution, and how to
//! reach every schema nested in a schema.

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

/// Every operation of the document: its path, its (lower-case) method and the operation
/// object, paths in document order and methods in [`METHODS`] order.
pub fn operations(spec: &Value) -> impl Iterator<Item = (&str, &'static str, &Value)> {
    spec.get("paths").and_then(Value::as_object).into_iter().flatten().flat_map(|(path, item)| {
        METHODS.iter().filter_map(move |&m| item.get(m).map(|op| (path.as_str(), m, op)))
    })
}

/// The component name a schema refers to: its `$ref`, or that of the one schema in an
/// `allOf` of one (how FastAPI wraps a reference that carries a description).
pub fn ref_name(schema: &Value) -> Option<&str> {
    let r = schema.get("$ref").and_then(Value::as_str).or_else(|| {
        let all = schema.get("allOf")?.as_array()?;
        if all.len() == 1 { all[0].get("$ref")?.as_str() } else { None }
    })?;
    r.strip_prefix("#/components/schemas/")
}

/// The component schema a `$ref` (or a one-element `allOf` around one) names, with its
/// name as the document spells it.
pub fn component<'a>(spec: &'a Value, schema: &'a Value) -> Option<(&'a str, &'a Value)> {
    let name = ref_name(schema)?;
    let (k, v) = spec.pointer("/components/schemas")?.as_object()?.get_key_value(name)?;
    Some((k.as_str(), v))
}

/// The schema behind `schema`: references followed (at most 32 deep, so a cycle ends)
/// until one that is not a reference or does not resolve.
pub fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..32 {
        match component(spec, current) {
            Some((_, target)) => current = target,
            None => break,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_resolve_through_chains_and_wrappers_and_stop_at_cycles() {
        let spec = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"});
        assert_eq!(ref_name(&wrapped), Some("A"));
        assert_eq!(component(&spec, &wrapped).map(|(n, _)| n), Some("A"));
        assert_eq!(resolve(&spec, &wrapped), &json!({"type": "string"}));
        let missing = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(resolve(&spec, &missing), &missing);
        let both = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
        assert_eq!(ref_name(&both), None);
        let cycle = json!({"$ref": "#/components/schemas/Loop"});
        assert_eq!(resolve(&spec, &cycle), &json!({"$ref": "#/components/schemas/Loop"}));
    }

    #[test]
    fn operations_are_walked_in_document_and_method_order() {
        let spec = json!({"paths": {
            "/b": {"post": {"operationId": "b_post"}, "get": {"operationId": "b_get"}, "parameters": []},
            "/a": {"delete": {"operationId": "a_delete"}}
        }});
        let seen: Vec<(&str, &str)> = operations(&spec)
            .map(|(path, method, op)| (path, op["operationId"].as_str().unwrap_or(method)))
            .collect();
        assert_eq!(seen, [("/b", "b_get"), ("/b", "b_post"), ("/a", "a_delete")]);
    }
}
