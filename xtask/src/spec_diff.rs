//! Compare two OpenAPI 3.x documents (FastAPI's form) by their effect on the Rust API that
//! `build.rs` generates from them, and render the result as a CHANGELOG.md section.
//!
//! Names come from `meibel_codegen::naming`, the rule every emitter uses. The rules:
//!
//! - every operation is a method `Client::<method_name(operationId)>()` returning a builder;
//!   each parameter (and each multipart form field) is a setter, and `send()` fails with
//!   `Error::InvalidRequest` when a required one was not set;
//! - every component schema is a type `types::<type_name(name)>`; object properties are
//!   struct fields, `Option<T>` when the property is nullable or neither required nor
//!   defaulted; each type also has a `builder()` whose `try_into()` fails with "no value
//!   supplied" for a required field left unset;
//! - every string enum (`enum`/`const`, inline ones included) is an open, non-exhaustive enum
//!   with an `Other(String)` variant;
//! - an operation whose success response is `text/event-stream` returns an `EventStream`;
//!   other non-JSON success responses return a byte stream.
//!
//! Classification, for code written against the previous version of the crate:
//!
//! - breaking: anything removed (operation, parameter, body, type, field, enum value); a
//!   rename; something that must now be set (required parameter or request field added,
//!   optional -> required); a changed Rust type (type change, `T` <-> `Option<T>` of a field
//!   read from a response, a success or error type, a content type that changes what
//!   `send()` returns or takes);
//! - added: new operations, optional parameters, types, fields (of responses; of requests
//!   when optional), enum values;
//! - changed: everything else that changes the generated code (required -> optional for
//!   inputs, a nullability or requiredness change that keeps the Rust type, a moved path,
//!   other content types, the API version, documentation).
//!
//! Struct literals of request types are outside this policy: a new optional request field
//! is "added", although a struct literal must then name it (the `builder()` API is stable).

use meibel_codegen::naming::{field_name, method_name, type_name, variant_names};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// The levels of a change, most severe first.
pub const LEVELS: [&str; 3] = ["breaking", "added", "changed"];
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The CHANGELOG section of a level.
pub fn section(level: &str) -> &'static str {
    match level {
        "breaking" => "Breaking",
        "added" => "Added",
        _ => "Changed",
    }
}

/// The variant an enum value gets (without the suffixes that keep variants apart).
pub fn variant_name(value: &str) -> String {
    variant_names(&[value.to_string()]).remove(0)
}

// ----------------------------------------------------------------------------- helpers

fn obj(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
}

/// `v[key]`, or `Null` when `v` is not an object or has no such key.
fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    v.get(key).unwrap_or(&NULL)
}

fn has(v: &Value, key: &str) -> bool {
    obj(v).is_some_and(|m| m.contains_key(key))
}

/// JSON truthiness as a script would read it: null, false, 0, "" and empty containers are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// A value as text in a message: strings as they are, a missing value as `None`.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn schemas_of(doc: &Value) -> &Value {
    get(get(doc, "components"), "schemas")
}

fn str_set(v: &Value) -> BTreeSet<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

// ----------------------------------------------------------------------------- checks

/// What keeps `doc` from being a document this crate can be generated from.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(top) = obj(doc) else { return vec!["the document is not a JSON object".into()] };
    match top.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.") => {}
        other => out.push(format!(
            "`openapi` is {}, not an OpenAPI 3.x version",
            other.map(Value::to_string).unwrap_or_else(|| "absent".into())
        )),
    }
    if !get(doc, "info").is_object() {
        out.push("no `info` object".into());
    }
    let Some(paths) = obj(get(doc, "paths")) else {
        out.push("no `paths` object".into());
        return out;
    };
    if !schemas_of(doc).is_object() {
        out.push("no `components.schemas` object".into());
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        let Some(item) = obj(item) else {
            out.push(format!("paths[{path:?}] is not an object"));
            continue;
        };
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let place = format!("{} {path}", m.to_uppercase());
            if !op.is_object() {
                out.push(format!("{place}: not an object"));
                continue;
            }
            match get(op, "operationId").as_str() {
                Some(oid) if !oid.is_empty() => {
                    if let Some(first) = seen.get(oid) {
                        out.push(format!("{place}: operationId {oid:?} already used by {first}"));
                    } else {
                        seen.insert(oid.to_string(), place.clone());
                    }
                }
                _ => out.push(format!("{place}: no operationId")),
            }
            if !get(op, "responses").is_object() {
                out.push(format!("{place}: no `responses` object"));
            }
        }
    }
    out
}

// ----------------------------------------------------------------------------- schemas

fn is_null_schema(s: &Value) -> bool {
    let Some(m) = obj(s) else { return false };
    let null = get(s, "type") == "null"
        || get(s, "enum") == &json!([null])
        || m.get("const").is_some_and(Value::is_null);
    null && m.keys().all(|k| ["type", "enum", "const", "title", "description"].contains(&k.as_str()))
}

/// The schema without its null alternative, and whether null is allowed.
pub fn unwrap_null(s: &Value) -> (Value, bool) {
    if s.is_null() || s == &Value::Bool(true) {
        return (json!({}), false);
    }
    let Some(m) = obj(s) else { return (s.clone(), false) };
    let mut nullable = m.get("nullable") == Some(&Value::Bool(true));
    let mut s: Map<String, Value> =
        m.iter().filter(|(k, _)| *k != "nullable").map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(Value::Array(types)) = s.get("type").cloned()
        && types.iter().any(|t| t == "null")
    {
        nullable = true;
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        match rest.len() {
            0 => {
                s.remove("type");
            }
            1 => {
                s.insert("type".into(), rest[0].clone());
            }
            _ => {
                s.insert("type".into(), Value::Array(rest));
            }
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = s.get(key).cloned() else { continue };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        nullable = true;
        let rest: Vec<Value> = branches.into_iter().filter(|b| !is_null_schema(b)).collect();
        s.remove(key);
        if rest.len() == 1 && rest[0].is_object() {
            let mut merged = s.clone();
            for (k, v) in obj(&rest[0]).expect("checked") {
                merged.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let (inner, inner_null) = unwrap_null(&Value::Object(merged));
            nullable |= inner_null;
            s = match inner {
                Value::Object(m) => m,
                _ => Map::new(),
            };
        } else if rest.len() > 1 {
            s.insert(key.into(), Value::Array(rest));
        }
    }
    (Value::Object(s), nullable)
}

/// The values of a string enum schema (`const` counts as a one-value enum).
pub fn enum_values(s: &Value) -> Option<Vec<String>> {
    let m = obj(s)?;
    if m.contains_key("$ref") {
        return None;
    }
    let vals: Vec<&Value> = if let Some(Value::Array(e)) = m.get("enum") {
        e.iter().filter(|v| !v.is_null()).collect()
    } else if let Some(c) = m.get("const").filter(|c| !c.is_null()) {
        vec![c]
    } else {
        return None;
    };
    if vals.is_empty() || !vals.iter().all(|v| v.is_string()) {
        return None;
    }
    Some(vals.iter().map(|v| v.as_str().expect("checked").to_string()).collect())
}

/// The component a schema names (`$ref`, or `allOf` with one `$ref`).
pub fn ref_name(s: &Value) -> Option<String> {
    let m = obj(s)?;
    let r = match m.get("$ref") {
        Some(r) => r,
        None => match m.get("allOf") {
            Some(Value::Array(a)) if a.len() == 1 && a[0].is_object() => get(&a[0], "$ref"),
            _ => return None,
        },
    };
    r.as_str().and_then(|r| r.strip_prefix(SCHEMA_PREFIX)).map(unescape)
}

type IntFormat = (&'static str, &'static str, &'static str, f64, f64);
const INT_FORMATS: [IntFormat; 10] = [
    ("int8", "i8", "NonZeroU8", -128.0, 127.0),
    ("uint8", "u8", "NonZeroU8", 0.0, 255.0),
    ("int16", "i16", "NonZeroU16", -32768.0, 32767.0),
    ("uint16", "u16", "NonZeroU16", 0.0, 65535.0),
    ("int", "i32", "NonZeroU32", -2147483648.0, 2147483647.0),
    ("int32", "i32", "NonZeroU32", -2147483648.0, 2147483647.0),
    ("uint", "u32", "NonZeroU32", 0.0, 4294967295.0),
    ("uint32", "u32", "NonZeroU32", 0.0, 4294967295.0),
    ("int64", "i64", "NonZeroU64", i64::MIN as f64, i64::MAX as f64),
    ("uint64", "u64", "NonZeroU64", 0.0, u64::MAX as f64),
];

/// The integer type the type generator picks (typify's choice from format and bounds).
fn int_type(s: &Value) -> String {
    let num = |k: &str| get(s, k).as_f64();
    let (mut lo, mut hi) = (num("minimum"), num("maximum"));
    match get(s, "exclusiveMinimum") {
        Value::Number(n) => {
            let e = n.as_f64().unwrap_or(0.0) + 1.0;
            lo = Some(lo.map_or(e, |l| l.max(e)));
        }
        Value::Bool(true) => lo = lo.map(|l| l + 1.0),
        _ => {}
    }
    match get(s, "exclusiveMaximum") {
        Value::Number(n) => {
            let e = n.as_f64().unwrap_or(0.0) - 1.0;
            hi = Some(hi.map_or(e, |h| h.min(e)));
        }
        Value::Bool(true) => hi = hi.map(|h| h - 1.0),
        _ => {}
    }
    let fmt = get(s, "format").as_str();
    for (f, ty, nz, imin, imax) in INT_FORMATS {
        if Some(f) == fmt {
            if get(s, "multipleOf").is_null() && lo.is_none_or(|l| l >= imin) && hi.is_none_or(|h| h <= imax)
            {
                return if lo == Some(1.0) { nz } else { ty }.into();
            }
            lo = lo.or(Some(imin));
            hi = hi.or(Some(imax));
            break;
        }
    }
    let rev = INT_FORMATS.iter().rev();
    let found = match (lo, hi) {
        (None, Some(h)) => rev.clone().find(|f| f.4 == h).map(|f| f.1),
        (Some(1.0), _) => Some("NonZeroU64"),
        (Some(l), None) => rev.clone().find(|f| f.3 == l).map(|f| f.1),
        (Some(l), Some(h)) => rev.clone().find(|f| f.3 == l && f.4 == h).map(|f| f.1),
        (None, None) => None,
    };
    found.unwrap_or("i64").into()
}

/// Whether a schema becomes a struct.
pub fn is_struct(s: &Value) -> bool {
    obj(s).is_some_and(|m| {
        !m.contains_key("$ref")
            && obj(get(s, "properties")).is_some_and(|p| !p.is_empty())
            && m.get("type").is_none_or(|t| t == "object")
    })
}

fn joined(mut parts: Vec<String>, sep: &str) -> String {
    parts.sort();
    parts.join(sep)
}

/// The Rust type of a schema that is not null, as text that is also its identity.
/// `hint` is the name an inline type gets.
pub fn inner_type(s: &Value, hint: &str) -> String {
    let Some(m) = obj(s) else { return "serde_json::Value".into() };
    if m.is_empty() {
        return "serde_json::Value".into();
    }
    if let Some(name) = ref_name(s) {
        return format!("types::{}", type_name(&name));
    }
    if enum_values(s).is_some() {
        return format!("types::{hint}");
    }
    if let Some(Value::Array(all)) = m.get("allOf")
        && !all.is_empty()
    {
        let parts = all.iter().map(|b| inner_type(&unwrap_null(b).0, hint)).collect();
        return format!("types::{hint} (all of: {})", joined(parts, " + "));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = m.get(key)
            && !branches.is_empty()
        {
            let parts = branches.iter().map(|b| rust_type(b, hint)).collect();
            return format!("types::{hint} (one of: {})", joined(parts, " | "));
        }
    }
    let t = get(s, "type");
    if let Value::Array(types) = t {
        let parts = types
            .iter()
            .map(|x| {
                let mut one = m.clone();
                one.insert("type".into(), x.clone());
                inner_type(&Value::Object(one), hint)
            })
            .collect();
        return format!("types::{hint} (one of: {})", joined(parts, " | "));
    }
    if is_struct(s) {
        return format!("types::{hint}");
    }
    match t.as_str() {
        Some("string") => {
            let known = match get(s, "format").as_str() {
                Some("date-time") => Some("chrono::DateTime<Utc>"),
                Some("date") => Some("chrono::NaiveDate"),
                Some("uuid") => Some("uuid::Uuid"),
                Some("ip") => Some("std::net::IpAddr"),
                Some("ipv4") => Some("std::net::Ipv4Addr"),
                Some("ipv6") => Some("std::net::Ipv6Addr"),
                _ => None,
            };
            if let Some(k) = known {
                k.into()
            } else if ["minLength", "maxLength", "pattern"].iter().any(|k| m.contains_key(*k)) {
                format!("types::{hint} (a String newtype)")
            } else {
                "String".into()
            }
        }
        Some("integer") => int_type(s),
        Some("number") => if get(s, "format") == "float" { "f32" } else { "f64" }.into(),
        Some("boolean") => "bool".into(),
        Some("array") => {
            let items = m.get("items").cloned().unwrap_or_else(|| json!({}));
            format!("Vec<{}>", rust_type(&items, &format!("{hint}Item")))
        }
        _ if t == "object" || m.contains_key("additionalProperties") => match m.get("additionalProperties") {
            Some(ap @ Value::Object(a)) if !a.is_empty() => {
                format!("Map<String, {}>", rust_type(ap, &format!("{hint}Value")))
            }
            _ => "Map<String, serde_json::Value>".into(),
        },
        _ => "serde_json::Value".into(),
    }
}

/// The Rust type of a schema, `Option<T>` when it is nullable.
pub fn rust_type(s: &Value, hint: &str) -> String {
    let (inner, null) = unwrap_null(s);
    let t = inner_type(&inner, hint);
    if null { format!("Option<{t}>") } else { t }
}

/// The setter type of a parameter or form field of an operation the build step emits
/// itself (uploads and event streams).
fn ops_field_type(doc: &Value, s: &Value, hint: &str) -> String {
    let (s, _) = unwrap_null(s);
    if let Some(name) = ref_name(&s) {
        let Some(target) = obj(schemas_of(doc)).and_then(|m| m.get(&name)) else {
            return "serde_json::Value".into();
        };
        if enum_values(&unwrap_null(target).0).is_some() {
            return format!("types::{}", type_name(&name));
        }
        return ops_field_type(doc, target, &type_name(&name));
    }
    if !s.is_object() {
        return "serde_json::Value".into();
    }
    let binary = |x: &Value| {
        x.is_object()
            && get(x, "type") == "string"
            && (get(x, "format") == "binary" || has(x, "contentMediaType"))
    };
    if binary(&s) {
        return "FilePart".into();
    }
    if get(&s, "type") == "array" {
        let items = s.get("items").cloned().unwrap_or_else(|| json!({}));
        if binary(&unwrap_null(&items).0) {
            return "Vec<FilePart>".into();
        }
    }
    if enum_values(&s).is_some() {
        return format!("types::{hint}");
    }
    match get(&s, "type").as_str() {
        Some("string") => "String",
        Some("integer") => "i64",
        Some("number") => "f64",
        Some("boolean") => "bool",
        _ => "serde_json::Value",
    }
    .into()
}

fn refs_into(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref")
                && let Some(name) = r.strip_prefix(SCHEMA_PREFIX)
            {
                out.insert(unescape(name));
            }
            m.values().for_each(|v| refs_into(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs_into(v, out)),
        _ => {}
    }
}

fn refs(node: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    refs_into(node, &mut out);
    out
}

// ----------------------------------------------------------------------------- operations

/// A parameter or form field of an operation.
#[derive(Debug, Clone)]
struct Param {
    location: String,
    required: bool,
    schema: Value,
    rust: String,
    hint: String,
}

/// What an operation looks like from the Rust side.
#[derive(Debug, Clone)]
struct Op {
    id: String,
    method: String,
    path: String,
    obj: Value,
    params: Vec<(String, Param)>,
    body_kind: &'static str,
    body_required: bool,
    body_schema: Value,
    body_types: Vec<String>,
    success_code: String,
    success_kind: &'static str,
    success_schema: Value,
    success_types: Vec<String>,
    error_type: String,
}

impl Op {
    fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, p)| p)
    }
}

/// Follows local references other than schema references.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..20 {
        let Some(r) = get(node, "$ref").as_str() else { break };
        let Some(rest) = r.strip_prefix("#/") else { break };
        if r.starts_with(SCHEMA_PREFIX) {
            return node;
        }
        let mut target = doc;
        for tok in rest.split('/') {
            target = get(target, &unescape(tok));
        }
        if target.is_null() {
            break;
        }
        node = target;
    }
    node
}

fn content_kind(content: &Value, request: bool) -> (&'static str, Value, Vec<String>) {
    let Some(m) = obj(content).filter(|m| !m.is_empty()) else { return ("none", Value::Null, vec![]) };
    let types: Vec<String> = m.keys().cloned().collect();
    let schema_of = |t: &str| get(&m[t], "schema").clone();
    if !request && let Some(t) = types.iter().find(|t| t.starts_with("text/event-stream")) {
        return ("stream", schema_of(t), types);
    }
    if request && let Some(t) = types.iter().find(|t| t.starts_with("multipart/")) {
        return ("form", schema_of(t), types);
    }
    if let Some(media) = m.get("application/json") {
        return ("json", media.get("schema").cloned().unwrap_or_else(|| json!({})), types);
    }
    (if request { "other" } else { "bytes" }, Value::Null, types)
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut ops: Vec<Op> = Vec::new();
    let Some(paths) = obj(get(doc, "paths")) else { return ops };
    let empty = json!({});
    for (path, item) in paths {
        if !item.is_object() {
            continue;
        }
        let shared: Vec<&Value> = get(item, "parameters")
            .as_array()
            .map(|a| a.iter().filter(|p| p.is_object()).map(|p| resolve(doc, p)).collect())
            .unwrap_or_default();
        for m in METHODS {
            let o = get(item, m);
            let Some(oid) = o.is_object().then(|| get(o, "operationId").as_str()).flatten() else { continue };
            let mut body = resolve(doc, get(o, "requestBody"));
            if !truthy(body) {
                body = &empty;
            }
            let (body_kind, body_schema, body_types) = content_kind(get(body, "content"), true);
            let responses = obj(get(o, "responses")).cloned().unwrap_or_default();
            let success_code = responses.keys().find(|c| c.starts_with('2')).cloned().unwrap_or_default();
            let resp = responses.get(&success_code).map(|r| resolve(doc, r)).unwrap_or(&empty);
            let (success_kind, success_schema, success_types) = content_kind(get(resp, "content"), false);
            let split = body_kind == "form"
                || responses.iter().any(|(c, r)| {
                    c.starts_with('2') && content_kind(get(resolve(doc, r), "content"), false).0 == "stream"
                });
            let mut errors = BTreeSet::new();
            for (c, r) in &responses {
                if c.starts_with('4') || c.starts_with('5') || c == "default" {
                    let media = get(get(resolve(doc, r), "content"), "application/json");
                    if let Some(schema) = media.get("schema") {
                        errors.insert(rust_type(schema, &format!("{}Error", type_name(oid))));
                    }
                }
            }
            let error_type = if errors.is_empty() {
                "()".to_string()
            } else {
                errors.into_iter().collect::<Vec<_>>().join(" | ")
            };

            let own: Vec<&Value> = get(o, "parameters")
                .as_array()
                .map(|a| a.iter().filter(|p| p.is_object()).map(|p| resolve(doc, p)).collect())
                .unwrap_or_default();
            let mut merged: Vec<((String, Value), &Value)> = Vec::new();
            for p in shared.iter().chain(own.iter()) {
                let Some(name) = get(p, "name").as_str() else { continue };
                let key = (name.to_string(), get(p, "in").clone());
                match merged.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = p,
                    None => merged.push((key, p)),
                }
            }
            let mut params: Vec<(String, Param)> = Vec::new();
            let mut put = |name: String, param: Param| match params.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = param,
                None => params.push((name, param)),
            };
            for ((name, loc), p) in merged {
                let hint = format!("{}{}", type_name(oid), type_name(&name));
                let schema = p.get("schema").cloned().unwrap_or_else(|| json!({}));
                let rust = if split {
                    ops_field_type(doc, &schema, &hint)
                } else {
                    inner_type(&unwrap_null(&schema).0, &hint)
                };
                let location = loc.as_str().filter(|l| !l.is_empty()).unwrap_or("query").to_string();
                let required = truthy(get(p, "required")) || loc == "path";
                put(name, Param { location, required, schema, rust, hint });
            }
            if body_kind == "form" {
                let (mut target, mut base) = (body_schema.clone(), format!("{}Body", type_name(oid)));
                if let Some(r) = ref_name(&body_schema) {
                    target = get(schemas_of(doc), &r).clone();
                    if target.is_null() {
                        target = json!({});
                    }
                    base = type_name(&r);
                }
                let target = unwrap_null(&target).0;
                let req = str_set(get(&target, "required"));
                if let Some(props) = obj(get(&target, "properties")) {
                    for (name, fs) in props {
                        if params.iter().any(|(n, _)| n == name) {
                            continue;
                        }
                        let hint = format!("{base}{}", type_name(name));
                        let rust = ops_field_type(doc, fs, &hint);
                        params.push((
                            name.clone(),
                            Param {
                                location: "form".into(),
                                required: req.contains(name),
                                schema: fs.clone(),
                                rust,
                                hint,
                            },
                        ));
                    }
                }
            }
            let op = Op {
                id: oid.to_string(),
                method: m.to_string(),
                path: path.clone(),
                obj: o.clone(),
                params,
                body_kind,
                body_required: truthy(get(body, "required")),
                body_schema,
                body_types,
                success_code,
                success_kind,
                success_schema,
                success_types,
                error_type,
            };
            match ops.iter_mut().find(|x| x.id == op.id) {
                Some(slot) => *slot = op,
                None => ops.push(op),
            }
        }
    }
    ops
}

/// Where a schema travels: sent (`input`), received (`output`), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Dirs {
    input: bool,
    output: bool,
}

const IN: Dirs = Dirs { input: true, output: false };
const OUT: Dirs = Dirs { input: false, output: true };
const BOTH: Dirs = Dirs { input: true, output: true };

impl std::ops::BitOr for Dirs {
    type Output = Dirs;
    fn bitor(self, o: Dirs) -> Dirs {
        Dirs { input: self.input || o.input, output: self.output || o.output }
    }
}

/// For each component schema: whether it is sent, received, or both (a schema no
/// operation reaches counts as both); and the schemas that are only multipart form bodies
/// (their fields are setters, reported with the operation).
fn directions(doc: &Value) -> (BTreeMap<String, Dirs>, BTreeSet<String>) {
    let schemas = schemas_of(doc);
    let (mut roots_in, mut roots_out) = (BTreeSet::new(), BTreeSet::new());
    let (mut form_roots, mut elsewhere) = (BTreeSet::new(), BTreeSet::new());
    if let Some(paths) = obj(get(doc, "paths")) {
        for item in paths.values().filter(|i| i.is_object()) {
            for m in METHODS {
                let o = get(item, m);
                if !o.is_object() {
                    continue;
                }
                for set in [&mut roots_in, &mut elsewhere] {
                    refs_into(get(item, "parameters"), set);
                    refs_into(get(o, "parameters"), set);
                }
                if let Some(content) = obj(get(resolve(doc, get(o, "requestBody")), "content")) {
                    for (ct, media) in content {
                        if ct.starts_with("multipart/")
                            && media.is_object()
                            && let Some(name) = ref_name(get(media, "schema"))
                        {
                            form_roots.insert(name.clone());
                            roots_in.insert(name);
                            let rest: Map<String, Value> = obj(get(media, "schema"))
                                .map(|s| {
                                    s.iter()
                                        .filter(|(k, _)| *k != "$ref" && *k != "allOf")
                                        .map(|(k, v)| (k.clone(), v.clone()))
                                        .collect()
                                })
                                .unwrap_or_default();
                            refs_into(&Value::Object(rest), &mut elsewhere);
                            continue;
                        }
                        refs_into(media, &mut roots_in);
                        refs_into(media, &mut elsewhere);
                    }
                }
                refs_into(get(o, "responses"), &mut roots_out);
                refs_into(get(o, "responses"), &mut elsewhere);
            }
        }
    }
    let mut out: BTreeMap<String, Dirs> = BTreeMap::new();
    for (dir, start) in [(IN, roots_in), (OUT, roots_out)] {
        let mut stack: Vec<String> = start.into_iter().collect();
        let mut seen = HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            let d = out.entry(n.clone()).or_default();
            *d = *d | dir;
            stack.extend(refs(get(schemas, &n)));
        }
    }
    if let Some(all) = obj(schemas) {
        for (name, s) in all {
            elsewhere.extend(refs(s).into_iter().filter(|r| r != name));
        }
        for name in all.keys() {
            out.entry(name.clone()).or_insert(BOTH);
        }
    }
    let form_only = form_roots.into_iter().filter(|n| !elsewhere.contains(n)).collect();
    (out, form_only)
}

// ----------------------------------------------------------------------------- the diff

/// One change of the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `breaking`, `added` or `changed`.
    pub level: String,
    /// What kind of change, e.g. `field-added`.
    pub kind: String,
    /// What changed, e.g. `Widget.size`.
    pub subject: String,
    /// The sentence of the report.
    pub text: String,
}

impl Change {
    /// `(level, kind, subject)`: the identity of a change.
    pub fn key(&self) -> (String, String, String) {
        (self.level.clone(), self.kind.clone(), self.subject.clone())
    }
}

fn worst(levels: &[&'static str]) -> &'static str {
    LEVELS.iter().find(|l| levels.contains(l)).copied().unwrap_or("changed")
}

fn has_default(s: &Value) -> bool {
    has(s, "default")
}

/// Whether a struct field is `Option<T>`: when it is nullable, or optional without a
/// default, except arrays and maps, which stay `Vec`/`Map` (empty when absent).
fn optional(schema: &Value, required: bool, hint: &str) -> bool {
    let (inner, null) = unwrap_null(schema);
    if null {
        return true;
    }
    if required || has_default(schema) {
        return false;
    }
    let t = inner_type(&inner, hint);
    !(t.starts_with("Vec<") || t.starts_with("Map<"))
}

fn shown(schema: &Value, required: bool, hint: &str) -> String {
    let inner = inner_type(&unwrap_null(schema).0, hint);
    if optional(schema, required, hint) { format!("Option<{inner}>") } else { inner }
}

/// A type for display: without the identity details of unions and newtypes.
pub fn short(t: &str) -> String {
    const MARKS: [&str; 3] = [" (one of", " (all of", " (a String newtype"];
    let mut out = String::new();
    let mut i = 0;
    'outer: while i < t.len() {
        if MARKS.iter().any(|m| t[i..].starts_with(m)) {
            let mut depth = 0;
            for (j, c) in t[i + 1..].char_indices() {
                match c {
                    '(' => {
                        depth += 1;
                        if depth > 2 {
                            break;
                        }
                    }
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            i = i + 1 + j + 1;
                            continue 'outer;
                        }
                    }
                    _ => {}
                }
            }
        }
        let c = t[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn loc(location: &str) -> String {
    match location {
        "query" => "query parameter".into(),
        "path" => "path parameter".into(),
        "header" => "header".into(),
        "cookie" => "cookie".into(),
        "form" => "form field".into(),
        other => format!("{other} parameter"),
    }
}

fn body_name(kind: &str) -> &'static str {
    match kind {
        "json" => "JSON body (`.body(..)`)",
        "form" => "multipart form body",
        _ => "request body",
    }
}

fn types_list(types: &[String]) -> String {
    if types.is_empty() {
        "empty".into()
    } else {
        types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
    }
}

fn doc_strings(node: &Value, ptr: &str, out: &mut BTreeMap<String, String>, objects: &mut HashSet<String>) {
    match node {
        Value::Object(m) => {
            objects.insert(ptr.to_string());
            for (k, v) in m {
                let p = format!("{ptr}/{k}");
                if (k == "summary" || k == "description") && v.is_string() {
                    out.insert(p, v.as_str().expect("checked").to_string());
                } else if !["example", "examples", "default", "enum", "const"].contains(&k.as_str()) {
                    doc_strings(v, &p, out, objects);
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                doc_strings(v, &format!("{ptr}/{i}"), out, objects);
            }
        }
        _ => {}
    }
}

/// How many summaries and descriptions differ, on objects present in both documents.
fn doc_changes(old: &Value, new: &Value) -> usize {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    let (mut ao, mut bo) = (HashSet::new(), HashSet::new());
    doc_strings(old, "", &mut a, &mut ao);
    doc_strings(new, "", &mut b, &mut bo);
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|p| {
            let parent = p.rsplit_once('/').map_or("", |(head, _)| head);
            a.get(*p) != b.get(*p) && ao.contains(parent) && bo.contains(parent)
        })
        .count()
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    old_dirs: BTreeMap<String, Dirs>,
    old_form: BTreeSet<String>,
    new_dirs: BTreeMap<String, Dirs>,
    new_form: BTreeSet<String>,
}

impl<'a> Differ<'a> {
    fn new(old: &'a Value, new: &'a Value) -> Self {
        let (old_dirs, old_form) = directions(old);
        let (new_dirs, new_form) = directions(new);
        Differ { old, new, changes: Vec::new(), old_dirs, old_form, new_dirs, new_form }
    }

    fn add(&mut self, level: &str, kind: &str, subject: impl Into<String>, text: impl Into<String>) {
        self.changes.push(Change {
            level: level.into(),
            kind: kind.into(),
            subject: subject.into(),
            text: text.into(),
        });
    }

    fn compare_enum(&mut self, old: &Value, new: &Value, subject: &str, rust: &str, place: &str) {
        let ov = enum_values(old).unwrap_or_default();
        let nv = enum_values(new).unwrap_or_default();
        for v in ov.iter().filter(|v| !nv.contains(v)) {
            self.add(
                "breaking",
                "enum-value-removed",
                format!("{subject}::{v}"),
                format!(
                    "{place}: value `\"{v}\"` removed: the variant `{rust}::{}` is gone (the value now decodes as `{rust}::Other`).",
                    variant_name(v)
                ),
            );
        }
        for v in nv.iter().filter(|v| !ov.contains(v)) {
            self.add(
                "added",
                "enum-value-added",
                format!("{subject}::{v}"),
                format!(
                    "{place}: new value `\"{v}\"`, the variant `{rust}::{}` (it decoded as `{rust}::Other(\"{v}\")` before).",
                    variant_name(v)
                ),
            );
        }
    }

    /// Nested inline types (same Rust type on both sides).
    fn compare_nested(&mut self, old: &Value, new: &Value, subject: &str, hint: &str, dirs: Dirs) {
        let (old, new) = (unwrap_null(old).0, unwrap_null(new).0);
        if !old.is_object() || !new.is_object() || ref_name(&old).is_some() || ref_name(&new).is_some() {
            return;
        }
        if enum_values(&old).is_some() && enum_values(&new).is_some() {
            self.compare_enum(
                &old,
                &new,
                subject,
                &format!("types::{hint}"),
                &format!("`types::{hint}` (`{subject}`)"),
            );
        } else if is_struct(&old) && is_struct(&new) {
            self.compare_props(&old, &new, subject, hint, dirs, true);
        } else if get(&old, "type") == "array" && get(&new, "type") == "array" {
            let items = |s: &Value| s.get("items").cloned().unwrap_or_else(|| json!({}));
            self.compare_nested(
                &items(&old),
                &items(&new),
                &format!("{subject}[]"),
                &format!("{hint}Item"),
                dirs,
            );
        } else if get(&old, "additionalProperties").is_object()
            && get(&new, "additionalProperties").is_object()
        {
            self.compare_nested(
                get(&old, "additionalProperties"),
                get(&new, "additionalProperties"),
                &format!("{subject}{{}}"),
                &format!("{hint}Value"),
                dirs,
            );
        }
    }

    /// Struct fields.
    fn compare_props(
        &mut self,
        old: &Value,
        new: &Value,
        subject: &str,
        hint: &str,
        dirs: Dirs,
        inline: bool,
    ) {
        let empty = Map::new();
        let op = obj(get(old, "properties")).unwrap_or(&empty);
        let np = obj(get(new, "properties")).unwrap_or(&empty);
        let (oreq, nreq) = (str_set(get(old, "required")), str_set(get(new, "required")));
        let ty = format!("types::{hint}");
        let place = if inline { format!("`{ty}` (`{subject}`)") } else { format!("`{ty}`") };
        let builder = format!("`{hint}::builder()`");
        let names: Vec<&String> = op.keys().chain(np.keys().filter(|p| !op.contains_key(*p))).collect();
        for p in names {
            let f = field_name(p);
            let sub = format!("{subject}.{p}");
            let phint = format!("{hint}{}", type_name(p));
            let Some(ns) = np.get(p) else {
                self.add("breaking", "field-removed", sub, format!("{place}: field `{f}` removed."));
                continue;
            };
            let nr = nreq.contains(p);
            let n_shown = shown(ns, nr, &phint);
            let Some(os) = op.get(p) else {
                let needs = nr && !has_default(ns);
                if dirs.input && needs {
                    self.add(
                        "breaking",
                        "field-added",
                        sub,
                        format!(
                            "{place}: new required field `{f}: {}`: it must be set ({builder} fails with \"no value supplied for {f}\" without it, and struct literals must name it).",
                            short(&n_shown)
                        ),
                    );
                } else {
                    let note = if dirs == OUT { "" } else { " (struct literals of the type must name it)" };
                    self.add(
                        "added",
                        "field-added",
                        sub,
                        format!("{place}: new field `{f}: {}`{note}.", short(&n_shown)),
                    );
                }
                continue;
            };
            let orq = oreq.contains(p);
            let o_inner = inner_type(&unwrap_null(os).0, &phint);
            let n_inner = inner_type(&unwrap_null(ns).0, &phint);
            let o_shown = shown(os, orq, &phint);
            if o_inner != n_inner {
                self.add(
                    "breaking",
                    "field-type-changed",
                    sub,
                    format!("{place}: field `{f}` is now `{}` (was `{}`).", short(&n_shown), short(&o_shown)),
                );
                continue;
            }
            let (o_null, n_null) = (unwrap_null(os).1, unwrap_null(ns).1);
            let (o_opt, n_opt) = (optional(os, orq, &phint), optional(ns, nr, &phint));
            let (o_def, n_def) = (has_default(os), has_default(ns));
            if (orq, o_null, o_opt) != (nr, n_null, n_opt) {
                let kind = if orq != nr { "field-required-changed" } else { "field-nullability-changed" };
                let mut levels = Vec::new();
                if dirs.output {
                    levels.push(if o_opt != n_opt { "breaking" } else { "changed" });
                }
                if dirs.input {
                    let (needs_o, needs_n) = (orq && !o_def, nr && !n_def);
                    levels.push(if (needs_n && !needs_o) || (o_opt && !n_opt) {
                        "breaking"
                    } else {
                        "changed"
                    });
                }
                let level = worst(&levels);
                let mut what = Vec::new();
                if orq != nr {
                    what.push(if nr { "now required" } else { "now optional" });
                }
                if o_null != n_null {
                    what.push(if n_null { "now nullable" } else { "no longer nullable" });
                }
                let mut text = format!("{place}: field `{f}` is {}", what.join(" and "));
                if o_opt != n_opt {
                    text += &format!(": its type is now `{}` (was `{}`)", short(&n_shown), short(&o_shown));
                    if dirs == IN && level != "breaking" {
                        text +=
                            &format!("; {builder} callers are unaffected, struct literals wrap it in `Some`");
                    }
                } else {
                    text += &format!("; its Rust type stays `{}`", short(&n_shown));
                }
                if dirs.input && nr && !orq && !n_def {
                    text += &format!("; {builder} fails with \"no value supplied for {f}\" without it");
                }
                if dirs.output && nr && !orq && !n_def {
                    text += "; decoding now requires the key to be present";
                }
                self.add(level, kind, sub.clone(), text + ".");
            }
            self.compare_nested(os, ns, &sub, &phint, dirs);
        }
    }

    fn schema_kind(s: &Value, ty: &str) -> String {
        if enum_values(s).is_some() {
            "an open enum".into()
        } else if is_struct(s) {
            "a struct".into()
        } else {
            format!("`{}`", inner_type(s, ty))
        }
    }

    fn compare_schemas(&mut self) {
        let empty = Map::new();
        let olds = obj(schemas_of(self.old)).unwrap_or(&empty).clone();
        let news = obj(schemas_of(self.new)).unwrap_or(&empty).clone();
        let names: Vec<&String> = olds.keys().chain(news.keys().filter(|n| !olds.contains_key(*n))).collect();
        for name in names {
            // A multipart body's fields are setters of its operation, reported there.
            if (self.old_form.contains(name) || !olds.contains_key(name))
                && (self.new_form.contains(name) || !news.contains_key(name))
            {
                continue;
            }
            let ty = type_name(name);
            let (Some(o), Some(n)) = (olds.get(name), news.get(name)) else {
                if news.contains_key(name) {
                    let what =
                        if enum_values(&unwrap_null(&news[name]).0).is_some() { "enum" } else { "type" };
                    self.add(
                        "added",
                        "schema-added",
                        name.clone(),
                        format!("New {what} `types::{ty}` (schema `{name}`)."),
                    );
                } else {
                    self.add(
                        "breaking",
                        "schema-removed",
                        name.clone(),
                        format!("`types::{ty}` removed (schema `{name}`)."),
                    );
                }
                continue;
            };
            let dirs = self.old_dirs.get(name).copied().unwrap_or_default()
                | self.new_dirs.get(name).copied().unwrap_or_default();
            let ((o, onull), (n, nnull)) = (unwrap_null(o), unwrap_null(n));
            let (okind, nkind) = (Self::schema_kind(&o, &ty), Self::schema_kind(&n, &ty));
            if okind != nkind || onull != nnull {
                let nl = |b: bool| if b { " (nullable)" } else { "" };
                self.add(
                    "breaking",
                    "schema-type-changed",
                    name.clone(),
                    format!(
                        "`types::{ty}` changed shape: now {}{} (was {}{}).",
                        short(&nkind),
                        nl(nnull),
                        short(&okind),
                        nl(onull)
                    ),
                );
                continue;
            }
            if okind == "an open enum" {
                self.compare_enum(&o, &n, name, &format!("types::{ty}"), &format!("`types::{ty}`"));
            } else if okind == "a struct" {
                self.compare_props(&o, &n, name, &ty, dirs, false);
            }
        }
    }

    fn compare_operations(&mut self) {
        let (olds, news) = (operations(self.old), operations(self.new));
        let find = |ops: &[Op], id: &str| ops.iter().position(|o| o.id == id);
        let removed: Vec<&Op> = olds.iter().filter(|o| find(&news, &o.id).is_none()).collect();
        let added: Vec<&Op> = news.iter().filter(|n| find(&olds, &n.id).is_none()).collect();
        let route = |op: &Op| (op.method.clone(), template(&op.path));
        let mut renamed: Vec<(String, String)> = Vec::new();
        for o in &removed {
            let matches: Vec<&&Op> = added
                .iter()
                .filter(|n| route(n) == route(o) && !renamed.iter().any(|(_, to)| *to == n.id))
                .collect();
            if matches.len() == 1 {
                renamed.push((o.id.clone(), matches[0].id.clone()));
            }
        }
        for o in &olds {
            let i = &o.id;
            if let Some((_, to)) = renamed.iter().find(|(from, _)| from == i) {
                let n = &news[find(&news, to).expect("an added operation")];
                self.add(
                    "breaking",
                    "operation-renamed",
                    format!("{i}->{}", n.id),
                    format!(
                        "`{i}` renamed to `{}` (`{} {}`): `Client::{}()` is now `Client::{}()`.",
                        n.id,
                        n.method.to_uppercase(),
                        n.path,
                        method_name(i),
                        method_name(&n.id)
                    ),
                );
                self.compare_op(o, n);
            } else if let Some(at) = find(&news, i) {
                self.compare_op(o, &news[at]);
            } else {
                self.add(
                    "breaking",
                    "operation-removed",
                    i.clone(),
                    format!(
                        "`{i}` (`{} {}`) removed: `Client::{}()` is gone.",
                        o.method.to_uppercase(),
                        o.path,
                        method_name(i)
                    ),
                );
            }
        }
        for n in added {
            if renamed.iter().any(|(_, to)| *to == n.id) {
                continue;
            }
            self.add(
                "added",
                "operation-added",
                n.id.clone(),
                format!(
                    "`{}` (`{} {}`): new method `Client::{}()`.",
                    n.id,
                    n.method.to_uppercase(),
                    n.path,
                    method_name(&n.id)
                ),
            );
        }
    }

    fn success(op: &Op) -> String {
        match op.success_kind {
            "stream" => "`EventStream`".into(),
            "bytes" => "a byte stream".into(),
            "none" => "`()`".into(),
            _ => format!(
                "`{}`",
                short(&rust_type(&op.success_schema, &format!("{}Response", type_name(&op.id))))
            ),
        }
    }

    fn compare_op(&mut self, o: &Op, n: &Op) {
        let oid = &n.id;
        let call = format!("`Client::{}()`", method_name(oid));
        let place = format!("`{oid}`");
        if (&o.method, &o.path) != (&n.method, &n.path) {
            self.add(
                "changed",
                "operation-moved",
                oid.clone(),
                format!(
                    "{place}: now `{} {}` (was `{} {}`); {call} is unchanged.",
                    n.method.to_uppercase(),
                    n.path,
                    o.method.to_uppercase(),
                    o.path
                ),
            );
        }
        let (od, nd) = (truthy(get(&o.obj, "deprecated")), truthy(get(&n.obj, "deprecated")));
        if od != nd {
            let what = if nd { "now deprecated" } else { "no longer deprecated" };
            self.add("changed", "operation-deprecated", oid.clone(), format!("{place}: {what}."));
        }

        // Parameters and form fields.
        let names: Vec<&String> = o
            .params
            .iter()
            .map(|(n, _)| n)
            .chain(n.params.iter().map(|(n, _)| n).filter(|p| o.param(p).is_none()))
            .collect();
        for name in names {
            let sub = format!("{oid}.{name}");
            let setter = format!("`.{}(..)`", field_name(name));
            let Some(np) = n.param(name) else {
                let op = o.param(name).expect("listed");
                self.add(
                    "breaking",
                    "parameter-removed",
                    sub,
                    format!("{place}: {} `{name}` removed: the setter {setter} is gone.", loc(&op.location)),
                );
                continue;
            };
            let Some(op) = o.param(name) else {
                if np.required {
                    self.add(
                        "breaking",
                        "parameter-added",
                        sub,
                        format!(
                            "{place}: new required {} `{name}` ({setter}, `{}`): `send()` fails with `Error::InvalidRequest` until it is set.",
                            loc(&np.location),
                            short(&np.rust)
                        ),
                    );
                } else {
                    self.add(
                        "added",
                        "parameter-added",
                        sub,
                        format!(
                            "{place}: new optional {} `{name}`: setter {setter} (`{}`).",
                            loc(&np.location),
                            short(&np.rust)
                        ),
                    );
                }
                continue;
            };
            let either_form = np.location == "form" || op.location == "form";
            if op.rust != np.rust {
                self.add(
                    "breaking",
                    "parameter-type-changed",
                    sub.clone(),
                    format!(
                        "{place}: {} `{name}` now takes `{}` (was `{}`).",
                        loc(&np.location),
                        short(&np.rust),
                        short(&op.rust)
                    ),
                );
            } else if np.location == op.location || !either_form {
                self.compare_nested(&op.schema, &np.schema, &sub, &np.hint, IN);
            }
            if op.required != np.required {
                if np.required {
                    self.add(
                        "breaking",
                        "parameter-required-changed",
                        sub.clone(),
                        format!(
                            "{place}: {} `{name}` is now required: `send()` fails with `Error::InvalidRequest` unless {setter} is called.",
                            loc(&np.location)
                        ),
                    );
                } else {
                    self.add(
                        "changed",
                        "parameter-required-changed",
                        sub.clone(),
                        format!("{place}: {} `{name}` is now optional.", loc(&np.location)),
                    );
                }
            }
            if op.location != np.location && !either_form {
                self.add(
                    "changed",
                    "parameter-location-changed",
                    sub,
                    format!(
                        "{place}: `{name}` is now sent as a {} (was a {}); the setter {setter} is unchanged.",
                        loc(&np.location),
                        loc(&op.location)
                    ),
                );
            }
        }

        // Request body.
        let (ob, nb) = (o.body_kind, n.body_kind);
        if ob != nb {
            if ob == "none" {
                if n.body_required {
                    self.add(
                        "breaking",
                        "request-body-added",
                        oid.clone(),
                        format!(
                            "{place}: now takes a required {}: `send()` fails without it.",
                            body_name(nb)
                        ),
                    );
                } else {
                    self.add(
                        "added",
                        "request-body-added",
                        oid.clone(),
                        format!("{place}: now takes an optional {}.", body_name(nb)),
                    );
                }
            } else if nb == "none" {
                let tail = if ob == "json" { ": `.body(..)` is removed." } else { "." };
                self.add(
                    "breaking",
                    "request-body-removed",
                    oid.clone(),
                    format!("{place}: the {} is gone{tail}", body_name(ob)),
                );
            } else {
                let how = if nb == "form" { "its fields are setters" } else { "it is set with `.body(..)`" };
                self.add(
                    "breaking",
                    "content-type-changed",
                    format!("{oid}.request"),
                    format!(
                        "{place}: the request body is now {} (was {}): {how} now.",
                        types_list(&n.body_types),
                        types_list(&o.body_types)
                    ),
                );
            }
        } else if nb != "none" {
            if nb == "json" {
                let hint = format!("{}Body", type_name(oid));
                let (ot, nt) = (rust_type(&o.body_schema, &hint), rust_type(&n.body_schema, &hint));
                if ot != nt {
                    self.add(
                        "breaking",
                        "request-body-type-changed",
                        oid.clone(),
                        format!("{place}: `.body(..)` now takes `{}` (was `{}`).", short(&nt), short(&ot)),
                    );
                } else {
                    self.compare_nested(&o.body_schema, &n.body_schema, &format!("{oid}.body"), &hint, IN);
                }
            }
            if o.body_required != n.body_required && nb != "form" {
                if n.body_required {
                    self.add(
                        "breaking",
                        "request-body-required-changed",
                        oid.clone(),
                        format!(
                            "{place}: the request body is now required: `send()` fails without `.body(..)`."
                        ),
                    );
                } else {
                    self.add(
                        "changed",
                        "request-body-required-changed",
                        oid.clone(),
                        format!("{place}: the request body is now optional."),
                    );
                }
            }
            if o.body_types != n.body_types {
                self.add(
                    "changed",
                    "content-type-changed",
                    format!("{oid}.request"),
                    format!(
                        "{place}: request content types now {} (were {}).",
                        types_list(&n.body_types),
                        types_list(&o.body_types)
                    ),
                );
            }
        }

        // Success response.
        if o.success_kind != n.success_kind {
            self.add(
                "breaking",
                "content-type-changed",
                format!("{oid}.response"),
                format!(
                    "{place}: the success response is now {} (was {}): `send()` returns {} (was {}).",
                    types_list(&n.success_types),
                    types_list(&o.success_types),
                    Self::success(n),
                    Self::success(o)
                ),
            );
        } else {
            let hint = format!("{}Response", type_name(oid));
            if n.success_kind == "json" || n.success_kind == "stream" {
                let (ot, nt) = (rust_type(&o.success_schema, &hint), rust_type(&n.success_schema, &hint));
                if ot != nt && n.success_kind == "json" {
                    self.add(
                        "breaking",
                        "response-type-changed",
                        oid.clone(),
                        format!("{place}: `send()` now returns `{}` (was `{}`).", short(&nt), short(&ot)),
                    );
                } else if ot != nt {
                    self.add(
                        "changed",
                        "response-type-changed",
                        oid.clone(),
                        format!(
                            "{place}: the events of the stream are now `{}` (were `{}`).",
                            short(&nt),
                            short(&ot)
                        ),
                    );
                } else if n.success_kind == "json" {
                    self.compare_nested(
                        &o.success_schema,
                        &n.success_schema,
                        &format!("{oid}.response"),
                        &hint,
                        OUT,
                    );
                }
            }
            if o.success_types != n.success_types {
                self.add(
                    "changed",
                    "content-type-changed",
                    format!("{oid}.response"),
                    format!(
                        "{place}: success content types now {} (were {}).",
                        types_list(&n.success_types),
                        types_list(&o.success_types)
                    ),
                );
            }
        }
        if o.success_code != n.success_code {
            let code = |c: &str| if c.is_empty() { "none".to_string() } else { c.to_string() };
            self.add(
                "changed",
                "success-status-changed",
                oid.clone(),
                format!(
                    "{place}: succeeds with status {} (was {}).",
                    code(&n.success_code),
                    code(&o.success_code)
                ),
            );
        }
        if o.error_type != n.error_type {
            self.add(
                "breaking",
                "error-type-changed",
                oid.clone(),
                format!(
                    "{place}: `send()` errors now carry `Error<{}>` (was `Error<{}>`).",
                    short(&n.error_type),
                    short(&o.error_type)
                ),
            );
        }
    }

    fn compare_info(&mut self) {
        let ov = get(get(self.old, "info"), "version");
        let nv = get(get(self.new, "info"), "version");
        if ov != nv {
            self.add(
                "changed",
                "api-version-changed",
                "info.version",
                format!("API version {} -> {} (`meibel::spec::API_VERSION`).", plain(ov), plain(nv)),
            );
        }
        let count = doc_changes(self.old, self.new);
        if count > 0 {
            let s = if count == 1 { "" } else { "s" };
            self.add(
                "changed",
                "documentation-changed",
                "docs",
                format!("Documentation (summaries and descriptions) changed in {count} place{s}: doc comments only."),
            );
        }
    }

    fn run(mut self) -> Vec<Change> {
        self.compare_operations();
        self.compare_schemas();
        self.compare_info();
        let mut seen = HashSet::new();
        self.changes.into_iter().filter(|c| seen.insert((c.key(), c.text.clone()))).collect()
    }
}

/// A path with every `{parameter}` replaced by `{}`.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' if !inside => {
                inside = true;
                out.push_str("{}");
            }
            '}' if inside => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every change from `old` to `new`, in report order.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    Differ::new(old, new).run()
}

// ----------------------------------------------------------------------------- build needs

/// Crates the generated code uses because of what the document holds, with the JSON
/// pointer of the first schema that needs each: `format: uuid` makes `uuid::Uuid` fields; a
/// string `pattern` (without a format the type generator knows) makes a newtype checked
/// with `regress`.
pub fn crate_needs(doc: &Value) -> BTreeMap<String, String> {
    fn walk(node: &Value, ptr: &str, found: &mut BTreeMap<String, String>) {
        match node {
            Value::Object(m) => {
                let t = get(node, "type");
                let string = t == "string" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "string"));
                if string {
                    let fmt = get(node, "format");
                    if fmt == "uuid" {
                        found.entry("uuid".into()).or_insert_with(|| ptr.into());
                    } else if m.contains_key("pattern")
                        && !["uuid", "date", "date-time", "ip", "ipv4", "ipv6"].iter().any(|n| fmt == *n)
                    {
                        found.entry("regress".into()).or_insert_with(|| ptr.into());
                    }
                }
                for (k, v) in m {
                    walk(v, &format!("{ptr}/{k}"), found);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(v, &format!("{ptr}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = BTreeMap::new();
    walk(schemas_of(doc), "/components/schemas", &mut found);
    walk(get(doc, "paths"), "/paths", &mut found);
    found
}

// ----------------------------------------------------------------------------- versions

/// `major`, `minor`, `patch` or `none`: the release a crate at version `current` needs.
/// Before 1.0 a breaking change takes a minor bump and anything else a patch bump.
pub fn bump_kind(changes: &[Change], current: &str) -> &'static str {
    if changes.is_empty() {
        return "none";
    }
    let major: u64 = current.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let has = |l: &str| changes.iter().any(|c| c.level == l);
    if has("breaking") {
        if major == 0 { "minor" } else { "major" }
    } else if has("added") && major > 0 {
        "minor"
    } else {
        "patch"
    }
}

/// The version after a bump of `kind`.
pub fn next_version(current: &str, kind: &str) -> Result<String, String> {
    let bad = || format!("cannot read the crate version {current:?}");
    let mut parts = current.splitn(3, '.');
    let mut num = |last: bool| -> Result<u64, String> {
        let p = parts.next().ok_or_else(bad)?;
        let digits: String =
            if last { p.chars().take_while(char::is_ascii_digit).collect() } else { p.to_string() };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        digits.parse().map_err(|_| bad())
    };
    let (major, minor, patch) = (num(false)?, num(false)?, num(true)?);
    Ok(match kind {
        "major" => format!("{}.0.0", major + 1),
        "minor" => format!("{major}.{}.0", minor + 1),
        "patch" => format!("{major}.{minor}.{}", patch + 1),
        _ => current.to_string(),
    })
}

/// The Markdown section for CHANGELOG.md.
pub fn render(
    changes: &[Change],
    old: &Value,
    new: &Value,
    current: &str,
    date: &str,
) -> Result<String, String> {
    let kind = bump_kind(changes, current);
    let version_of = |d: &Value| match get(get(d, "info"), "version") {
        Value::Null => "?".to_string(),
        v => plain(v),
    };
    let (ov, nv) = (version_of(old), version_of(new));
    if kind == "none" {
        let api = if ov == nv { format!("API {nv}") } else { format!("API {ov} -> {nv}") };
        return Ok(format!(
            "## No API changes ({api})\n\nOperations, parameters, schemas, fields and enum values are the same: the crate stays at {current}.\n"
        ));
    }
    let version = next_version(current, kind)?;
    let why = match kind {
        "major" => "breaking changes",
        "minor" if current.starts_with("0.") => "breaking changes",
        "minor" => "additions",
        _ => "no breaking changes",
    };
    let mut lines = vec![
        format!("## [{version}] - {date}"),
        String::new(),
        format!("API {ov} -> {nv}. Version bump: {kind} ({current} -> {version}), {why}."),
        String::new(),
    ];
    for level in LEVELS {
        let items: Vec<&Change> = changes.iter().filter(|c| c.level == level).collect();
        if items.is_empty() {
            continue;
        }
        lines.push(format!("### {}", section(level)));
        lines.push(String::new());
        lines.extend(items.iter().map(|c| format!("- {}", c.text)));
        lines.push(String::new());
    }
    Ok(lines.join("\n"))
}

/// The changes as JSON: the bump, the next version and every change.
pub fn to_json(changes: &[Change], current: &str) -> Result<Value, String> {
    let kind = bump_kind(changes, current);
    let list: Vec<Value> = changes
        .iter()
        .map(|c| json!({"level": c.level, "kind": c.kind, "subject": c.subject, "text": c.text}))
        .collect();
    Ok(json!({"bump": kind, "version": next_version(current, kind)?, "changes": list}))
}
