//! A mock HTTP server driven entirely by an OpenAPI 3.1 document in FastAPI form.
//!
//! Nothing here knows the operations or schemas of a particular API: every
//! response is derived from the document passed in, so the same module serves
//! any spec that uses the same subset of JSON Schema (`$ref` to
//! `#/components/schemas/X`, nullable values as `anyOf: [T, {"type": "null"}]`,
//! free-form objects, `const`/`enum`, `format: date-time`/`binary`, ...).
//!
//! It is `meibel::mock::spec` with the `mock` feature. The file depends on nothing but
//! `serde_json` and `wiremock`, so that the examples (and this crate's own tests) can
//! compile it by path when the feature is off: `cargo run --example tour` works from the
//! published package without extra flags.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use meibel::mock::spec::{self, Fill};
//!
//! let document: serde_json::Value = serde_json::from_str(meibel::mock::SPEC).unwrap();
//! let server = spec::start(&document, "/v2", Fill::Readable).await;
//! let client = meibel::Client::builder()
//!     .api_key("test")
//!     .base_url(format!("{}/v2", server.uri()))
//!     .build()
//!     .unwrap();
//! let page = client.list_datasources().send().await.unwrap();
//! assert!(!page.datasources.is_empty());
//! # });
//! ```
//!
//! The building blocks are usable on their own:
//!
//! * [`example`] produces a value valid against a schema, in one of three
//!   [`Fill`] modes; [`validate`] checks a value against a schema.
//! * [`with_unknown_field`] / [`with_unknown_field_in`] add an undeclared
//!   property to objects, to prove that clients ignore unknown fields.
//! * [`operations`] lists the operations of the document, [`path_regex`] turns
//!   a path template into a matcher, [`success_response`] renders the body an
//!   operation answers with.
//! * [`start`], [`start_default`], [`start_with`] and [`mount`] put all of it
//!   behind a `wiremock` server. Spec mocks are mounted with the low priority
//!   [`SPEC_PRIORITY`], so a test can mount its own `Mock` (default priority)
//!   to override one operation; the override then catches every request its
//!   own matchers accept (a `path_regex` for `/items/{id}` also catches
//!   `/items/search`). Every spec response carries the header
//!   [`OPERATION_HEADER`] naming the operation that answered.

#![allow(dead_code)]

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use wiremock::matchers::{method as method_matcher, path_regex as path_regex_matcher};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Example for `format: date-time` strings.
pub const DATE_TIME_EXAMPLE: &str = "2026-01-02T03:04:05Z";
/// Example for `format: date` strings.
pub const DATE_EXAMPLE: &str = "2026-01-02";
/// Example for `format: binary` strings inside JSON.
pub const BINARY_EXAMPLE: &str = "bin";
/// Example for strings without a recognised format.
pub const STRING_EXAMPLE: &str = "string";
/// Name of the property added by [`with_unknown_field`].
pub const UNKNOWN_FIELD: &str = "x_unknown_field";
/// Response header naming the operation whose mock answered.
pub const OPERATION_HEADER: &str = "x-specmock-operation";
/// Base path used by [`start_default`].
pub const DEFAULT_BASE_PATH: &str = "/v2";
/// `wiremock` priority of the spec mocks (1 is the highest, 5 the default).
pub const SPEC_PRIORITY: u8 = 10;
/// Body served for binary content types other than ZIP.
pub const BINARY_BODY: &[u8] = b"specmock\x00\x01\x02\xfe\xff";
/// Body served for `application/zip`: a well-formed, empty ZIP archive.
pub const EMPTY_ZIP: &[u8] = &[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Once a `$ref` recurs inside its own expansion and at least this many
/// references are being expanded, the rest of the value is kept minimal.
const CYCLE_DEPTH: usize = 6;
/// Beyond this many nested references everything is kept minimal.
const MAX_DEPTH: usize = 24;
/// Beyond this many nested references (only reachable through cycles of
/// required, non-nullable properties) expansion stops with an empty value.
const GIVE_UP_DEPTH: usize = 40;
/// Bound on `$ref` chains and nesting when inspecting schemas.
const MAX_REF_CHAIN: usize = 64;

const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// How much of a schema [`example`] fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fill {
    /// Every declared property is present; nullable values get a non-null value.
    Full,
    /// Every declared property is present; every nullable value is `null`.
    Nulls,
    /// Only required properties are present; nullable values get a non-null value.
    Minimal,
    /// As [`Fill::Full`], but plain strings read like data rather than placeholders: an
    /// `id` becomes `datasource-1` in a `DatasourceResponse`, a `name` `demo datasource`,
    /// a few common fields a plausible value, and any other field its own name. For
    /// demonstrations, not for tests.
    Readable,
}

impl Fill {
    /// All modes, for tests that loop over them.
    pub const ALL: [Fill; 3] = [Fill::Full, Fill::Nulls, Fill::Minimal];
}

// ---------------------------------------------------------------------------
// Schema inspection
// ---------------------------------------------------------------------------

/// Looks up a local reference such as `#/components/schemas/X`.
pub fn resolve_ref<'a>(spec: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(spec);
    }
    spec.pointer(pointer)
}

/// Follows `$ref` until a schema without one is reached.
///
/// Panics on a reference that does not resolve: a broken document is a bug
/// the test should report, not paper over.
pub fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..MAX_REF_CHAIN {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                current =
                    resolve_ref(spec, reference).unwrap_or_else(|| panic!("unresolvable $ref `{reference}`"));
            }
            None => return current,
        }
    }
    panic!("$ref chain longer than {MAX_REF_CHAIN} links");
}

/// The schema named `name` under `components.schemas`.
pub fn component_schema<'a>(spec: &'a Value, name: &str) -> Option<&'a Value> {
    spec.get("components")?.get("schemas")?.get(name)
}

/// Whether the schema accepts `null` explicitly (a `null` type or branch,
/// `nullable: true`, a `null` const or enum value).
pub fn is_nullable(spec: &Value, schema: &Value) -> bool {
    nullable_at(spec, schema, 0)
}

fn nullable_at(spec: &Value, schema: &Value, depth: usize) -> bool {
    if depth > MAX_REF_CHAIN {
        return false;
    }
    let Some(obj) = schema.as_object() else {
        return false;
    };
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str)
        && let Some(target) = resolve_ref(spec, reference)
        && nullable_at(spec, target, depth + 1)
    {
        return true;
    }
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if types.iter().any(|t| t == "null") => return true,
        _ => {}
    }
    if obj.get("const") == Some(&Value::Null) {
        return true;
    }
    if let Some(Value::Array(values)) = obj.get("enum")
        && values.contains(&Value::Null)
    {
        return true;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = obj.get(key)
            && branches.iter().any(|b| nullable_at(spec, b, depth + 1))
        {
            return true;
        }
    }
    if let Some(Value::Array(branches)) = obj.get("allOf")
        && !branches.is_empty()
        && branches.iter().all(|b| nullable_at(spec, b, depth + 1))
    {
        return true;
    }
    false
}

/// Whether the schema accepts nothing but `null`.
pub fn is_null_only(spec: &Value, schema: &Value) -> bool {
    let Some(obj) = resolve(spec, schema).as_object() else {
        return false;
    };
    match obj.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(types)) if !types.is_empty() && types.iter().all(|t| t == "null") => {
            return true;
        }
        _ => {}
    }
    if obj.get("const") == Some(&Value::Null) {
        return true;
    }
    matches!(obj.get("enum"), Some(Value::Array(values)) if !values.is_empty() && values.iter().all(Value::is_null))
}

/// The `anyOf`/`oneOf` branches of a schema that accept something other than `null`.
pub fn non_null_branches<'a>(spec: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let resolved = resolve(spec, schema);
    let mut out = Vec::new();
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = resolved.get(key) {
            out.extend(branches.iter().filter(|b| !is_null_only(spec, b)));
        }
    }
    out
}

/// The first non-null JSON type a schema declares, or one inferred from its keywords.
fn primary_type(obj: &Map<String, Value>) -> Option<&str> {
    match obj.get("type") {
        Some(Value::String(t)) => return Some(t.as_str()),
        Some(Value::Array(types)) => {
            let mut names = types.iter().filter_map(Value::as_str);
            let first = names.clone().next();
            return names.find(|t| *t != "null").or(first);
        }
        _ => {}
    }
    if obj.contains_key("properties")
        || obj.contains_key("additionalProperties")
        || obj.contains_key("required")
    {
        Some("object")
    } else if obj.contains_key("items") || obj.contains_key("prefixItems") {
        Some("array")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

/// A value valid against `schema` (which may be a `$ref`), filled as `fill` asks.
///
/// * `$ref` is resolved against `spec`; `allOf` branches are merged;
///   `anyOf`/`oneOf` take the first branch that is not `null`.
/// * `const` and `enum` give their first (non-null) value; scalar, non-null
///   `default`s are used as they are.
/// * Strings honour `format` (`date-time` gives [`DATE_TIME_EXAMPLE`],
///   `binary` gives [`BINARY_EXAMPLE`]) and length bounds; numbers honour
///   their bounds.
/// * Arrays get one item (at least `minItems`), maps (an
///   `additionalProperties` schema) one entry `"key"`, and schemas that
///   constrain nothing (`{}`, free-form objects) the object `{"key": "value"}`.
/// * Cyclic schemas are cut: once a reference recurs inside its own
///   expansion at depth 6 or more, the rest is filled minimally (nullable
///   values `null`, arrays and maps empty, optional properties absent).
pub fn example(spec: &Value, schema: &Value, fill: Fill) -> Value {
    Generator { spec, fill, stack: Vec::new(), root: "item".to_string() }.value(schema, false)
}

/// [`example`] for the component schema `name`, if there is one.
pub fn component_example(spec: &Value, name: &str, fill: Fill) -> Option<Value> {
    let schema = component_schema(spec, name)?;
    Some(Generator { spec, fill, stack: Vec::new(), root: name.to_string() }.value(schema, false))
}

/// The small object used where a schema allows any value.
pub fn free_form_example() -> Value {
    json!({ "key": "value" })
}

struct Generator<'a> {
    spec: &'a Value,
    fill: Fill,
    stack: Vec<&'a str>,
    /// What the outermost schema is called, for [`Fill::Readable`].
    root: String,
}

impl<'a> Generator<'a> {
    fn value(&mut self, schema: &'a Value, shallow: bool) -> Value {
        let obj = match schema {
            Value::Bool(true) => return self.free_form(shallow),
            Value::Object(obj) => obj,
            _ => return Value::Null,
        };
        let nullable = is_nullable(self.spec, schema);
        if nullable && (shallow || self.fill == Fill::Nulls) {
            return Value::Null;
        }
        if let Some(value) = obj.get("const") {
            return value.clone();
        }
        if let Some(value) = obj.get("default")
            && !value.is_null()
            && !value.is_array()
            && !value.is_object()
        {
            return value.clone();
        }
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            return self.reference(reference, shallow);
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            return values.iter().find(|v| !v.is_null()).or(values.first()).cloned().unwrap_or(Value::Null);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = obj.get(key) {
                return match branches.iter().find(|b| !is_null_only(self.spec, b)) {
                    Some(branch) => self.value(branch, shallow),
                    None => Value::Null,
                };
            }
        }
        if let Some(Value::Array(branches)) = obj.get("allOf") {
            return self.all_of(obj, branches, shallow);
        }
        match primary_type(obj) {
            Some("null") => Value::Null,
            Some("string") => string_example(obj),
            Some("integer") => integer_example(obj),
            Some("number") => number_example(obj),
            Some("boolean") => Value::Bool(true),
            Some("array") => self.array(obj, shallow),
            Some("object") => self.object(obj, shallow),
            _ => self.free_form(shallow),
        }
    }

    fn reference(&mut self, reference: &'a str, shallow: bool) -> Value {
        let target =
            resolve_ref(self.spec, reference).unwrap_or_else(|| panic!("unresolvable $ref `{reference}`"));
        let depth = self.stack.len();
        if depth >= GIVE_UP_DEPTH {
            return empty_like(target);
        }
        let cyclic = self.stack.contains(&reference);
        let shallow = shallow || (cyclic && depth >= CYCLE_DEPTH) || depth >= MAX_DEPTH;
        self.stack.push(reference);
        let value = self.value(target, shallow);
        self.stack.pop();
        value
    }

    fn all_of(&mut self, obj: &'a Map<String, Value>, branches: &'a [Value], shallow: bool) -> Value {
        let mut merged = Map::new();
        let mut other = None;
        for branch in branches {
            match self.value(branch, shallow) {
                Value::Object(map) => merged.extend(map),
                Value::Null => {}
                value => {
                    other.get_or_insert(value);
                }
            }
        }
        // Properties declared next to `allOf` belong to the same object.
        if obj.contains_key("properties")
            && let Value::Object(map) = self.object(obj, shallow)
        {
            merged.extend(map);
        }
        match other {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        }
    }

    fn array(&mut self, obj: &'a Map<String, Value>, shallow: bool) -> Value {
        let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = obj.get("maxItems").and_then(Value::as_u64).map(|m| m as usize);
        let mut wanted = if shallow { min } else { min.max(1) };
        if let Some(max) = max {
            wanted = wanted.min(max);
        }
        let mut items = Vec::with_capacity(wanted);
        if let Some(Value::Array(prefix)) = obj.get("prefixItems") {
            for schema in prefix.iter().take(wanted) {
                items.push(self.value(schema, shallow));
            }
        }
        while items.len() < wanted {
            match obj.get("items") {
                Some(Value::Bool(false)) => break,
                Some(schema) => items.push(self.value(schema, shallow)),
                None => items.push(self.free_form(shallow)),
            }
        }
        Value::Array(items)
    }

    fn object(&mut self, obj: &'a Map<String, Value>, shallow: bool) -> Value {
        let required: BTreeSet<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = obj.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        if let Some(properties) = properties {
            for (name, schema) in properties {
                let include = required.contains(name.as_str()) || (!shallow && self.fill != Fill::Minimal);
                if include {
                    let mut value = self.value(schema, shallow);
                    if self.fill == Fill::Readable
                        && value == json!(STRING_EXAMPLE)
                        && self.plain_string(schema)
                    {
                        value = Value::String(self.readable(name));
                    }
                    out.insert(name.clone(), value);
                }
            }
        }
        let extra = obj.get("additionalProperties");
        for name in &required {
            if !out.contains_key(*name) {
                let value = match extra {
                    Some(schema @ Value::Object(_)) => self.value(schema, shallow),
                    _ => json!(STRING_EXAMPLE),
                };
                out.insert((*name).to_string(), value);
            }
        }
        if !shallow {
            match extra {
                Some(schema @ Value::Object(map)) if !map.is_empty() && !out.contains_key("key") => {
                    let value = self.value(schema, shallow);
                    out.insert("key".to_string(), value);
                }
                Some(Value::Bool(false)) => {}
                _ if properties.is_none_or(Map::is_empty) && out.is_empty() => {
                    return free_form_example();
                }
                _ => {}
            }
        }
        Value::Object(out)
    }

    /// Whether `schema` (or its non-null branch) is a string with nothing that fixes or
    /// shapes its value: no `enum`, `const`, `default`, `format` or `pattern`.
    fn plain_string(&self, schema: &Value) -> bool {
        let schema = resolve(self.spec, schema);
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let mut rest = branches.iter().filter(|b| !is_null_only(self.spec, b));
                return match (rest.next(), rest.next()) {
                    (Some(branch), None) => self.plain_string(branch),
                    _ => false,
                };
            }
        }
        let Some(obj) = schema.as_object() else { return false };
        primary_type(obj) == Some("string")
            && ["enum", "const", "default", "format", "pattern"].iter().all(|k| !obj.contains_key(*k))
    }

    /// A plain string for the property `name` of the schema being generated.
    fn readable(&self, name: &str) -> String {
        let owner = self.stack.last().and_then(|r| r.rsplit('/').next()).unwrap_or(&self.root);
        let mut noun = owner.to_string();
        for suffix in ["Response", "Detail", "Summary", "Request"] {
            if noun.len() > suffix.len() && noun.ends_with(suffix) {
                noun.truncate(noun.len() - suffix.len());
            }
        }
        for prefix in ["Create", "Update", "Get", "Execute"] {
            if noun.len() > prefix.len() && noun.starts_with(prefix) {
                noun.drain(..prefix.len());
            }
        }
        let words = |text: &str| {
            let mut out = String::new();
            for (i, c) in text.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        };
        match name {
            "id" => format!("{}-1", words(&noun)),
            _ if name.ends_with("_id") => format!("{}-1", name.trim_end_matches("_id").replace('_', "-")),
            "name" | "display_name" | "title" => format!("demo {}", words(&noun).replace('-', " ")),
            "status" => "pending".to_string(),
            "message" => "accepted".to_string(),
            "version" => "1.0.0".to_string(),
            _ if name.ends_with("urn") => format!("urn:demo:{}:1", words(&noun)),
            _ => name.replace('_', " "),
        }
    }

    fn free_form(&self, shallow: bool) -> Value {
        if shallow { Value::Object(Map::new()) } else { free_form_example() }
    }
}

/// The emptiest value of a schema's type, used to end runaway recursion.
fn empty_like(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return Value::Null;
    };
    match primary_type(obj) {
        Some("string") => json!(""),
        Some("integer") => json!(0),
        Some("number") => json!(0.0),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        Some("null") => Value::Null,
        _ => json!({}),
    }
}

fn string_example(obj: &Map<String, Value>) -> Value {
    let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
    let text = match format {
        "date-time" => DATE_TIME_EXAMPLE,
        "date" => DATE_EXAMPLE,
        "time" => "03:04:05Z",
        "duration" => "P1D",
        "binary" => BINARY_EXAMPLE,
        "byte" => "Ymlu",
        "uuid" => "00000000-0000-4000-8000-000000000001",
        "email" => "user@example.com",
        "uri" | "url" | "iri" | "uri-reference" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        _ => STRING_EXAMPLE,
    };
    let mut text = text.to_string();
    if format.is_empty() || text == STRING_EXAMPLE {
        let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = obj.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
        while text.chars().count() < min {
            text.push('x');
        }
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
    }
    Value::String(text)
}

/// A numeric bound: `(value, exclusive)`.
type Bound = (f64, bool);

/// Lower and upper bounds of a numeric schema.
fn bounds(obj: &Map<String, Value>) -> (Option<Bound>, Option<Bound>) {
    let bound = |inclusive: &str, exclusive: &str| {
        let mut out = obj.get(inclusive).and_then(Value::as_f64).map(|v| (v, false));
        match obj.get(exclusive) {
            Some(Value::Bool(true)) => out = out.map(|(v, _)| (v, true)),
            Some(value) => {
                if let Some(v) = value.as_f64() {
                    out = Some((v, true));
                }
            }
            None => {}
        }
        out
    };
    (bound("minimum", "exclusiveMinimum"), bound("maximum", "exclusiveMaximum"))
}

fn integer_example(obj: &Map<String, Value>) -> Value {
    let (low, high) = bounds(obj);
    let low = low.map(|(v, excl)| if excl { v.floor() + 1.0 } else { v.ceil() });
    let high = high.map(|(v, excl)| if excl { v.ceil() - 1.0 } else { v.floor() });
    let mut value = 1.0_f64;
    if let Some(low) = low
        && value < low
    {
        value = low;
    }
    if let Some(high) = high
        && value > high
    {
        value = high;
    }
    if let Some(step) = obj.get("multipleOf").and_then(Value::as_f64)
        && step >= 1.0
        && step.fract() == 0.0
    {
        value = (value / step).ceil() * step;
        if high.is_some_and(|h| value > h) {
            value -= step;
        }
    }
    json!(value as i64)
}

fn number_example(obj: &Map<String, Value>) -> Value {
    let (low, high) = bounds(obj);
    let fits = |v: f64| {
        low.is_none_or(|(l, excl)| if excl { v > l } else { v >= l })
            && high.is_none_or(|(h, excl)| if excl { v < h } else { v <= h })
    };
    let candidates = [
        Some(1.5),
        match (low, high) {
            (Some((l, _)), Some((h, _))) => Some((l + h) / 2.0),
            _ => None,
        },
        low.map(|(l, _)| l + 1.5),
        high.map(|(h, _)| h - 1.5),
        low.map(|(l, _)| l),
        high.map(|(h, _)| h),
    ];
    let value = candidates.into_iter().flatten().find(|v| fits(*v)).unwrap_or(1.5);
    json!(value)
}

// ---------------------------------------------------------------------------
// Unknown fields
// ---------------------------------------------------------------------------

/// The value [`with_unknown_field`] stores under [`UNKNOWN_FIELD`].
pub fn unknown_field_value() -> Value {
    json!({ "nested": true })
}

/// Adds `"x_unknown_field": {"nested": true}` to every object in `value`,
/// however deeply nested (the added objects themselves excepted).
///
/// Beware that this also adds an entry to maps whose values have a declared
/// type, which makes such a value invalid; [`with_unknown_field_in`] knows
/// the schema and leaves those alone.
pub fn with_unknown_field(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<String, Value> =
                map.into_iter().map(|(k, v)| (k, with_unknown_field(v))).collect();
            out.insert(UNKNOWN_FIELD.to_string(), unknown_field_value());
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(with_unknown_field).collect()),
        other => other,
    }
}

/// Like [`with_unknown_field`], guided by the schema `value` was made for:
/// the field is added to objects that admit undeclared properties (records
/// without `additionalProperties`, free-form objects) but not to maps with a
/// typed value or to objects with `additionalProperties: false`, so that the
/// result stays valid against the schema.
pub fn with_unknown_field_in(spec: &Value, schema: &Value, value: Value) -> Value {
    add_unknown(spec, schema, value, 0)
}

fn add_unknown(spec: &Value, schema: &Value, value: Value, depth: usize) -> Value {
    if depth > GIVE_UP_DEPTH * 4 {
        return value;
    }
    let schema = resolve(spec, schema);
    let Some(obj) = schema.as_object() else {
        return value;
    };
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = obj.get(key) {
            return match branches.iter().find(|b| validate(spec, b, &value).is_ok()) {
                Some(branch) => add_unknown(spec, branch, value, depth + 1),
                None => value,
            };
        }
    }
    if let Some(Value::Array(branches)) = obj.get("allOf") {
        // Fields are added only when every branch tolerates them.
        let mut value = value;
        for branch in branches {
            let candidate = add_unknown(spec, branch, value.clone(), depth + 1);
            if branches.iter().all(|b| validate(spec, b, &candidate).is_ok()) {
                value = candidate;
            }
        }
        return value;
    }
    match value {
        Value::Array(items) => {
            let prefix = obj.get("prefixItems").and_then(Value::as_array);
            let rest = obj.get("items");
            Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match prefix.and_then(|p| p.get(i)).or(rest) {
                        Some(item_schema) => add_unknown(spec, item_schema, item, depth + 1),
                        None => with_unknown_field(item),
                    })
                    .collect(),
            )
        }
        Value::Object(map) => {
            let properties = obj.get("properties").and_then(Value::as_object);
            let extra = obj.get("additionalProperties");
            let mut out = Map::new();
            for (key, item) in map {
                let item = match properties.and_then(|p| p.get(&key)) {
                    Some(property) => add_unknown(spec, property, item, depth + 1),
                    None => match extra {
                        Some(extra @ Value::Object(e)) if !e.is_empty() => {
                            add_unknown(spec, extra, item, depth + 1)
                        }
                        _ => with_unknown_field(item),
                    },
                };
                out.insert(key, item);
            }
            let admits_unknown = match extra {
                None | Some(Value::Bool(true)) => true,
                Some(Value::Object(e)) => e.is_empty(),
                _ => false,
            };
            if admits_unknown {
                out.insert(UNKNOWN_FIELD.to_string(), unknown_field_value());
            }
            Value::Object(out)
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/// Checks `value` against `schema`, covering the keywords [`example`]
/// understands. `oneOf` is checked like `anyOf` (at least one branch), since
/// numeric branches such as `number`/`integer` overlap.
///
/// The error names the JSON path of the first offending value.
pub fn validate(spec: &Value, schema: &Value, value: &Value) -> Result<(), String> {
    check(spec, schema, value, "$", 0)
}

fn json_type_matches(expected: &str, value: &Value) -> bool {
    match expected {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64()
                || value.is_u64()
                || value.as_f64().is_some_and(|f| f.fract() == 0.0 && f.is_finite())
        }
        _ => true,
    }
}

fn looks_like_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits =
        |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    bytes.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b't' | b' ')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && (text.ends_with('Z') || text.ends_with('z') || {
            let tail = &bytes[bytes.len() - 6..];
            matches!(tail[0], b'+' | b'-') && tail[3] == b':'
        })
}

fn check(spec: &Value, schema: &Value, value: &Value, at: &str, depth: usize) -> Result<(), String> {
    if depth > MAX_REF_CHAIN * 4 {
        return Err(format!("{at}: schema nesting too deep"));
    }
    let obj = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return Err(format!("{at}: the schema `false` accepts nothing")),
        Value::Object(obj) => obj,
        other => return Err(format!("{at}: not a schema: {other}")),
    };
    if value.is_null() && obj.get("nullable") == Some(&Value::Bool(true)) {
        return Ok(());
    }
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        let target =
            resolve_ref(spec, reference).ok_or_else(|| format!("{at}: unresolvable $ref `{reference}`"))?;
        check(spec, target, value, at, depth + 1)?;
    }
    if let Some(expected) = obj.get("const")
        && expected != value
    {
        return Err(format!("{at}: expected const {expected}, got {value}"));
    }
    if let Some(Value::Array(values)) = obj.get("enum")
        && !values.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {values:?}"));
    }
    match obj.get("type") {
        Some(Value::String(t)) if !json_type_matches(t, value) => {
            return Err(format!("{at}: expected {t}, got {value}"));
        }
        Some(Value::Array(types))
            if !types.iter().filter_map(Value::as_str).any(|t| json_type_matches(t, value)) =>
        {
            return Err(format!("{at}: expected one of {types:?}, got {value}"));
        }
        _ => {}
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = obj.get(key) {
            let mut errors = Vec::new();
            let mut matched = false;
            for branch in branches {
                match check(spec, branch, value, at, depth + 1) {
                    Ok(()) => {
                        matched = true;
                        break;
                    }
                    Err(e) => errors.push(e),
                }
            }
            if !matched {
                return Err(format!("{at}: no `{key}` branch accepts {value}: [{}]", errors.join("; ")));
            }
        }
    }
    if let Some(Value::Array(branches)) = obj.get("allOf") {
        for branch in branches {
            check(spec, branch, value, at, depth + 1)?;
        }
    }
    match value {
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if let Some(min) = obj.get("minLength").and_then(Value::as_u64)
                && length < min
            {
                return Err(format!("{at}: shorter than {min}"));
            }
            if let Some(max) = obj.get("maxLength").and_then(Value::as_u64)
                && length > max
            {
                return Err(format!("{at}: longer than {max}"));
            }
            if obj.get("format").and_then(Value::as_str) == Some("date-time") && !looks_like_date_time(text) {
                return Err(format!("{at}: {text:?} is not a date-time"));
            }
        }
        Value::Number(number) => {
            let n = number.as_f64().unwrap_or(f64::NAN);
            let (low, high) = bounds(obj);
            if let Some((l, excl)) = low
                && (n < l || (excl && n == l))
            {
                return Err(format!("{at}: {n} is below the minimum {l}"));
            }
            if let Some((h, excl)) = high
                && (n > h || (excl && n == h))
            {
                return Err(format!("{at}: {n} is above the maximum {h}"));
            }
        }
        Value::Array(items) => {
            let count = items.len() as u64;
            if let Some(min) = obj.get("minItems").and_then(Value::as_u64)
                && count < min
            {
                return Err(format!("{at}: fewer than {min} items"));
            }
            if let Some(max) = obj.get("maxItems").and_then(Value::as_u64)
                && count > max
            {
                return Err(format!("{at}: more than {max} items"));
            }
            let prefix = obj.get("prefixItems").and_then(Value::as_array);
            for (i, item) in items.iter().enumerate() {
                let item_schema = prefix.and_then(|p| p.get(i)).or(obj.get("items"));
                if let Some(item_schema) = item_schema {
                    check(spec, item_schema, item, &format!("{at}[{i}]"), depth + 1)?;
                }
            }
        }
        Value::Object(map) => {
            if let Some(Value::Array(required)) = obj.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(name) {
                        return Err(format!("{at}: required property `{name}` is missing"));
                    }
                }
            }
            let properties = obj.get("properties").and_then(Value::as_object);
            for (key, item) in map {
                let path = format!("{at}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(property) => check(spec, property, item, &path, depth + 1)?,
                    None => match obj.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            return Err(format!("{at}: undeclared property `{key}`"));
                        }
                        Some(extra @ Value::Object(_)) => check(spec, extra, item, &path, depth + 1)?,
                        _ => {}
                    },
                }
            }
        }
        _ => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/// A parameter of an operation (path-level parameters included).
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The parameter's name.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether it must be sent.
    pub required: bool,
    /// Its schema.
    pub schema: Value,
}

/// One declared response of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseSpec {
    /// The key under `responses`: `"200"`, `"422"`, `"2XX"`, `"default"`.
    pub status: String,
    /// The preferred content type, if the response has content.
    pub content_type: Option<String>,
    /// The schema of that content.
    pub schema: Option<Value>,
}

/// An operation of the document, with the parts a mock needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `operationId`, or `"METHOD /path"` when the document has none.
    pub operation_id: String,
    /// Upper case: `GET`, `POST`, ...
    pub method: String,
    /// The path template, e.g. `/items/{item_id}`, without the base path.
    pub path: String,
    /// The operation's tags.
    pub tags: Vec<String>,
    /// Its parameters, path-level ones included.
    pub parameters: Vec<Parameter>,
    /// The preferred content type of the request body, if it has one.
    pub request_content_type: Option<String>,
    /// The schema of the request body.
    pub request_schema: Option<Value>,
    /// Whether the request body is required.
    pub request_required: bool,
    /// The lowest declared 2xx status (200 when none is declared).
    pub success_status: u16,
    /// The content type of the success response, if it has content.
    pub success_content_type: Option<String>,
    /// The schema of the success response.
    pub success_schema: Option<Value>,
    /// Every declared response.
    pub responses: Vec<ResponseSpec>,
}

impl Operation {
    /// The request path with every `{param}` replaced by `value`, prefixed with `base_path`.
    pub fn concrete_path(&self, base_path: &str, value: &str) -> String {
        let mut out = normalize_base(base_path);
        let mut in_param = false;
        for c in self.path.chars() {
            match c {
                '{' => {
                    in_param = true;
                    out.push_str(value);
                }
                '}' => in_param = false,
                c if !in_param => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Names of the path parameters, in template order.
    pub fn path_params(&self) -> Vec<String> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect()
    }

    /// Whether the success response is JSON.
    pub fn is_json(&self) -> bool {
        self.success_content_type.as_deref().is_some_and(is_json_type)
    }

    /// Whether the success response is a server-sent event stream.
    pub fn is_event_stream(&self) -> bool {
        self.success_content_type.as_deref().is_some_and(is_event_stream_type)
    }

    /// Whether the success response is binary (not JSON, not text, not events).
    pub fn is_binary(&self) -> bool {
        match self.success_content_type.as_deref() {
            Some(ct) => is_binary_type(ct, self.success_schema.as_ref()),
            None => false,
        }
    }

    /// Number of path segments without a parameter.
    pub fn literal_segments(&self) -> usize {
        literal_segments(&self.path)
    }
}

/// Whether a media type is JSON (`application/json`, `application/*+json`).
pub fn is_json_type(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a media type is `text/event-stream`.
pub fn is_event_stream_type(content_type: &str) -> bool {
    essence(content_type) == "text/event-stream"
}

fn is_binary_type(content_type: &str, schema: Option<&Value>) -> bool {
    let essence = essence(content_type);
    if is_json_type(&essence) || is_event_stream_type(&essence) {
        return false;
    }
    let binary_schema = schema.is_some_and(|s| {
        s.get("format").and_then(Value::as_str) == Some("binary") || s.get("contentMediaType").is_some()
    });
    binary_schema || !(essence.starts_with("text/") || essence.ends_with("+xml"))
}

fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn pick_content(content: Option<&Map<String, Value>>) -> (Option<String>, Option<Value>) {
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        return (None, None);
    };
    let key = content
        .keys()
        .find(|k| essence(k) == "application/json")
        .or_else(|| content.keys().find(|k| is_json_type(k)))
        .or_else(|| content.keys().next())
        .cloned();
    let schema = key.as_ref().and_then(|k| content.get(k)).and_then(|media| media.get("schema")).cloned();
    (key, schema)
}

fn resolve_object<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(_) => resolve(spec, value),
        None => value,
    }
}

fn parameters_of(spec: &Value, list: Option<&Value>) -> Vec<Parameter> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let p = resolve_object(spec, p);
            let location = p.get("in")?.as_str()?.to_string();
            Some(Parameter {
                name: p.get("name")?.as_str()?.to_string(),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false) || location == "path",
                location,
                schema: p.get("schema").cloned().unwrap_or(json!({})),
            })
        })
        .collect()
}

/// Every operation of the document, in path order, then method order.
pub fn operations(spec: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item = resolve_object(spec, item);
        let shared = parameters_of(spec, item.get("parameters"));
        for http_method in HTTP_METHODS {
            let Some(op) = item.get(http_method) else {
                continue;
            };
            let mut parameters = shared.clone();
            for p in parameters_of(spec, op.get("parameters")) {
                parameters.retain(|q| !(q.name == p.name && q.location == p.location));
                parameters.push(p);
            }
            let body = op.get("requestBody").map(|b| resolve_object(spec, b));
            let (request_content_type, request_schema) =
                pick_content(body.and_then(|b| b.get("content")).and_then(Value::as_object));
            let responses: Vec<ResponseSpec> = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, response)| {
                    let response = resolve_object(spec, response);
                    let (content_type, schema) =
                        pick_content(response.get("content").and_then(Value::as_object));
                    ResponseSpec { status: status.clone(), content_type, schema }
                })
                .collect();
            let success = responses
                .iter()
                .filter_map(|r| {
                    let code = r.status.parse::<u16>().ok()?;
                    (200..300).contains(&code).then_some((code, r))
                })
                .min_by_key(|(code, _)| *code)
                .or_else(|| {
                    responses
                        .iter()
                        .find(|r| r.status.eq_ignore_ascii_case("2XX"))
                        .or_else(|| responses.iter().find(|r| r.status == "default"))
                        .map(|r| (200, r))
                });
            let method = http_method.to_ascii_uppercase();
            out.push(Operation {
                operation_id: op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{method} {path}")),
                method,
                path: path.clone(),
                tags: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                parameters,
                request_content_type,
                request_schema,
                request_required: body
                    .and_then(|b| b.get("required"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                success_status: success.map_or(200, |(code, _)| code),
                success_content_type: success.and_then(|(_, r)| r.content_type.clone()),
                success_schema: success.and_then(|(_, r)| r.schema.clone()),
                responses,
            });
        }
    }
    out
}

/// The operation with this `operationId`.
pub fn find_operation(spec: &Value, operation_id: &str) -> Option<Operation> {
    operations(spec).into_iter().find(|op| op.operation_id == operation_id)
}

/// The operation a request would reach in the mock: the first in
/// [`mount_order`] whose method and path pattern match.
pub fn route<'a>(
    ordered: &'a [Operation],
    method: &str,
    path: &str,
    base_path: &str,
) -> Option<&'a Operation> {
    let path = path.strip_prefix(&normalize_base(base_path)[..])?;
    let segments: Vec<&str> = path.split('/').collect();
    ordered.iter().find(|op| {
        op.method.eq_ignore_ascii_case(method) && {
            let template: Vec<&str> = op.path.split('/').collect();
            template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| segment_matches(t, s))
        }
    })
}

fn segment_matches(template: &str, segment: &str) -> bool {
    // Literal text matches itself; each `{param}` matches one or more characters.
    fn matches(pieces: &[Option<&str>], rest: &str) -> bool {
        match pieces.split_first() {
            None => rest.is_empty(),
            Some((Some(literal), tail)) => rest.strip_prefix(literal).is_some_and(|rest| matches(tail, rest)),
            Some((None, tail)) => rest
                .char_indices()
                .skip(1)
                .map(|(i, _)| i)
                .chain([rest.len()])
                .filter(|i| *i > 0)
                .any(|i| matches(tail, &rest[i..])),
        }
    }
    let mut pieces = Vec::new();
    for (i, part) in template.split('{').enumerate() {
        if i == 0 {
            pieces.push(Some(part));
        } else {
            let (_, literal) = part.split_once('}').unwrap_or(("", part));
            pieces.push(None);
            pieces.push(Some(literal));
        }
    }
    pieces.retain(|p| p.is_none_or(|l| !l.is_empty()));
    matches(&pieces, segment)
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

fn normalize_base(base_path: &str) -> String {
    let trimmed = base_path.trim_end_matches('/');
    if trimmed.is_empty() || trimmed.starts_with('/') { trimmed.to_string() } else { format!("/{trimmed}") }
}

fn escape_regex_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// An anchored regex for `wiremock::matchers::path_regex` matching
/// `base_path` + `path_template`, where each `{param}` matches one
/// (percent-encoded) path segment and literal text matches itself.
///
/// `path_regex("/items/{id}", "/v2")` is `^/v2/items/[^/]+$`.
pub fn path_regex(path_template: &str, base_path: &str) -> String {
    let mut out = String::from("^");
    escape_regex_into(&mut out, &normalize_base(base_path));
    let template =
        if path_template.starts_with('/') { path_template.to_string() } else { format!("/{path_template}") };
    let mut literal = String::new();
    let mut in_param = false;
    for c in template.chars() {
        match (c, in_param) {
            ('{', false) => {
                escape_regex_into(&mut out, &literal);
                literal.clear();
                out.push_str("[^/]+");
                in_param = true;
            }
            ('}', true) => in_param = false,
            (_, true) => {}
            (c, false) => literal.push(c),
        }
    }
    escape_regex_into(&mut out, &literal);
    out.push('$');
    out
}

fn literal_segments(path: &str) -> usize {
    path.split('/').filter(|s| !s.is_empty() && !s.contains('{')).count()
}

/// Operations sorted so that the most specific paths come first: more
/// literal segments first; then, segment by segment, a literal before a
/// parameter; then longer templates first. `/items/search` thus precedes
/// `/items/{id}`.
pub fn mount_order(mut ops: Vec<Operation>) -> Vec<Operation> {
    ops.sort_by(|a, b| {
        let shape = |p: &str| -> Vec<bool> {
            p.split('/').filter(|s| !s.is_empty()).map(|s| s.contains('{')).collect()
        };
        literal_segments(&b.path)
            .cmp(&literal_segments(&a.path))
            .then_with(|| shape(&a.path).cmp(&shape(&b.path)))
            .then_with(|| b.path.len().cmp(&a.path.len()))
    });
    ops
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

/// One server-sent event.
#[derive(Clone, Debug, PartialEq)]
pub struct SseEvent {
    /// The `event:` field, if the event schema names one.
    pub event: Option<String>,
    /// What goes after `data:`, serialised as JSON.
    pub data: Value,
}

/// The name an event schema gives its events: the `const` (or first `enum`
/// value) of its `event` property.
pub fn event_name(spec: &Value, event_schema: &Value) -> Option<String> {
    let property = resolve(spec, event_schema).get("properties")?.get("event")?;
    let property = resolve(spec, property);
    property
        .get("const")
        .or_else(|| property.get("enum")?.as_array()?.first())
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// One event per schema of a stream: the `anyOf`/`oneOf` branches of
/// `schema`, or `schema` itself. The data is the example's `data` property
/// when the event schema declares one, the whole example otherwise.
pub fn sse_events(spec: &Value, schema: &Value, fill: Fill) -> Vec<SseEvent> {
    let branches = non_null_branches(spec, schema);
    let variants = if branches.is_empty() { vec![schema] } else { branches };
    variants
        .into_iter()
        .map(|variant| {
            let resolved = resolve(spec, variant);
            let value = example(spec, variant, fill);
            let declares_data = resolved.get("properties").and_then(|p| p.get("data")).is_some();
            let data = match value {
                Value::Object(mut map) if declares_data => map.remove("data").unwrap_or(Value::Null),
                other => other,
            };
            SseEvent { event: event_name(spec, variant), data }
        })
        .collect()
}

/// Renders events as an SSE body: `event: <name>\ndata: <json>\n\n` each.
pub fn sse_body(events: &[SseEvent]) -> String {
    let mut out = String::new();
    for event in events {
        if let Some(name) = &event.event {
            out.push_str("event: ");
            out.push_str(name);
            out.push('\n');
        }
        out.push_str("data: ");
        out.push_str(&event.data.to_string());
        out.push_str("\n\n");
    }
    out
}

/// A rendered response.
#[derive(Clone, Debug, PartialEq)]
pub struct MockResponse {
    /// The status code.
    pub status: u16,
    /// The `content-type` header, if the response has a body.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl MockResponse {
    /// The `wiremock` template serving this response; `operation_id` goes
    /// into the [`OPERATION_HEADER`] header.
    pub fn template(&self, operation_id: &str) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status).insert_header(OPERATION_HEADER, operation_id);
        match &self.content_type {
            Some(content_type) => template.set_body_raw(self.body.clone(), content_type),
            None => template,
        }
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The success response of `op`, rendered from its schema:
///
/// * 204/205/304 or no content: an empty body without content type;
/// * JSON: [`example`] (with [`with_unknown_field_in`] if `unknown_fields`);
/// * `text/event-stream`: [`sse_body`] of [`sse_events`];
/// * binary types: [`EMPTY_ZIP`] for `application/zip`, [`BINARY_BODY`] otherwise;
/// * other text types: the example string (or its JSON).
pub fn success_response(spec: &Value, op: &Operation, fill: Fill, unknown_fields: bool) -> MockResponse {
    let status = op.success_status;
    let empty = MockResponse { status, content_type: None, body: Vec::new() };
    if matches!(status, 204 | 205 | 304) {
        return empty;
    }
    let Some(content_type) = op.success_content_type.clone() else {
        return empty;
    };
    let any = json!({});
    let schema = op.success_schema.as_ref().unwrap_or(&any);
    let body = if is_event_stream_type(&content_type) {
        let mut events = sse_events(spec, schema, fill);
        if unknown_fields {
            for event in &mut events {
                event.data = with_unknown_field(std::mem::take(&mut event.data));
            }
        }
        sse_body(&events).into_bytes()
    } else if is_json_type(&content_type) {
        let mut value = example(spec, schema, fill);
        if unknown_fields {
            value = with_unknown_field_in(spec, schema, value);
        }
        serde_json::to_vec(&value).expect("JSON values serialise")
    } else if is_binary_type(&content_type, op.success_schema.as_ref()) {
        if essence(&content_type) == "application/zip" { EMPTY_ZIP.to_vec() } else { BINARY_BODY.to_vec() }
    } else {
        match example(spec, schema, fill) {
            Value::String(text) => text.into_bytes(),
            other => other.to_string().into_bytes(),
        }
    };
    MockResponse { status, content_type: Some(content_type), body }
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

/// How [`start_with`] and [`mount`] build their mocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Prefix of every path, e.g. `/v2` (may be empty).
    pub base_path: String,
    /// How much of each response schema is filled in.
    pub fill: Fill,
    /// Add [`UNKNOWN_FIELD`] to response objects (and SSE data).
    pub unknown_fields: bool,
    /// `wiremock` priority of the spec mocks.
    pub priority: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_path: DEFAULT_BASE_PATH.to_string(),
            fill: Fill::Full,
            unknown_fields: false,
            priority: SPEC_PRIORITY,
        }
    }
}

/// The mock answering `op` with its [`success_response`].
pub fn mock_for(spec: &Value, op: &Operation, options: &Options) -> Mock {
    let response = success_response(spec, op, options.fill, options.unknown_fields);
    Mock::given(method_matcher(op.method.as_str()))
        .and(path_regex_matcher(path_regex(&op.path, &options.base_path)))
        .respond_with(response.template(&op.operation_id))
        .with_priority(options.priority)
        .named(format!("{} {} ({})", op.method, op.path, op.operation_id))
}

/// Mounts a mock for every operation of `spec` on `server`, most specific
/// paths first.
pub async fn mount(server: &MockServer, spec: &Value, options: &Options) {
    for op in mount_order(operations(spec)) {
        mock_for(spec, &op, options).mount(server).await;
    }
}

/// Starts a server answering every operation of `spec` under `base_path`.
pub async fn start(spec: &Value, base_path: &str, fill: Fill) -> MockServer {
    start_with(spec, &Options { base_path: base_path.to_string(), fill, ..Options::default() }).await
}

/// [`start`] with the base path [`DEFAULT_BASE_PATH`] and [`Fill::Full`].
pub async fn start_default(spec: &Value) -> MockServer {
    start(spec, DEFAULT_BASE_PATH, Fill::Full).await
}

/// Starts a server answering every operation of `spec` as `options` say.
pub async fn start_with(spec: &Value, options: &Options) -> MockServer {
    let server = MockServer::start().await;
    mount(&server, spec, options).await;
    server
}
