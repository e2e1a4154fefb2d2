//! Open string enums: every string enum of the spec becomes a Rust enum with one variant
//! per known value plus `Other(String)`, so that a value added by a newer server decodes
//! instead of failing the whole response.
//!
//! Inline enums (on a property, an array's items, a map's values or a parameter) are first
//! hoisted into `components.schemas` under the name the type generator would give them, so
//! that every enum is a named component the generator can be told to replace.

pub use super::naming::{type_name, variant_names};
use crate::document::schema_ref;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// One open enum to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The component name in the spec.
    pub component: String,
    /// The Rust type name.
    pub rust_name: String,
    /// Known values, in spec order.
    pub values: Vec<String>,
    /// The schema's description, if any.
    pub description: Option<String>,
}

fn string_enum_values(schema: &Map<String, Value>) -> Option<Vec<String>> {
    let values = schema.get("enum")?.as_array()?;
    if values.is_empty() {
        return None;
    }
    let ty = schema.get("type").and_then(Value::as_str);
    if ty.is_some_and(|t| t != "string") {
        return None;
    }
    values.iter().map(|v| v.as_str().map(str::to_string)).collect()
}

/// Hoist inline string enums into components and return every open enum to emit.
/// `spec` is the 3.0 document produced by `normalize`.
pub fn hoist(spec: &mut Value) -> Vec<EnumDef> {
    let mut taken: BTreeSet<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| type_name(k)).collect())
        .unwrap_or_default();
    let mut hoisted: Vec<(String, Value)> = Vec::new();

    if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            let base = type_name(name);
            hoist_children(schema, &base, &mut taken, &mut hoisted);
        }
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                let Some(op_id) = op.get("operationId").and_then(Value::as_str).map(type_name) else {
                    continue;
                };
                let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                    continue;
                };
                for p in params {
                    let Some(pname) = p.get("name").and_then(Value::as_str).map(type_name) else {
                        continue;
                    };
                    if let Some(schema) = p.get_mut("schema") {
                        hoist_at(schema, &format!("{op_id}{pname}"), &mut taken, &mut hoisted);
                    }
                }
            }
        }
    }

    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("components.schemas exists when something was hoisted or listed");
    for (name, schema) in hoisted {
        schemas.insert(name, schema);
    }
    let mut defs = Vec::new();
    for (name, schema) in schemas.iter() {
        let Some(obj) = schema.as_object() else {
            continue;
        };
        if let Some(values) = string_enum_values(obj) {
            defs.push(EnumDef {
                component: name.clone(),
                rust_name: type_name(name),
                values,
                description: obj.get("description").and_then(Value::as_str).map(str::to_string),
            });
        }
    }
    defs
}

fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Hoist the enums nested in `schema` (not `schema` itself), naming them from `base`.
fn hoist_children(
    schema: &mut Value,
    base: &str,
    taken: &mut BTreeSet<String>,
    out: &mut Vec<(String, Value)>,
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (pname, p) in props.iter_mut() {
            hoist_at(p, &format!("{base}{}", type_name(pname)), taken, out);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        hoist_at(items, &format!("{base}Item"), taken, out);
    }
    if let Some(ap) = obj.get_mut("additionalProperties")
        && ap.is_object()
    {
        hoist_at(ap, &format!("{base}Value"), taken, out);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for s in list {
                hoist_children(s, base, taken, out);
            }
        }
    }
}

/// Hoist `schema` itself if it is an inline string enum, else look inside it.
fn hoist_at(schema: &mut Value, name: &str, taken: &mut BTreeSet<String>, out: &mut Vec<(String, Value)>) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.contains_key("$ref") {
        return;
    }
    // A union's tag stays a closed single value: it tells the variants apart.
    if obj.remove(crate::repair::TAG_MARK).is_some() {
        return;
    }
    if string_enum_values(obj).is_some() {
        let component = unique(name.to_string(), taken);
        let mut hoisted = Map::new();
        hoisted.insert("type".into(), json!("string"));
        hoisted.insert("enum".into(), obj.remove("enum").expect("checked"));
        if let Some(d) = obj.remove("description") {
            hoisted.insert("description".into(), d);
        }
        obj.remove("type");
        let reference = schema_ref(&component);
        let nullable = obj.get("nullable") == Some(&Value::Bool(true));
        if nullable || !obj.is_empty() {
            obj.insert("allOf".into(), Value::Array(vec![reference]));
        } else {
            obj.insert("$ref".into(), reference["$ref"].clone());
        }
        out.push((component, Value::Object(hoisted)));
        return;
    }
    hoist_children(schema, name, taken, out);
}
