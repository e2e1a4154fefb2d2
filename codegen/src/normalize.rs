//! Down-conversion of the published OpenAPI 3.1 document into the OpenAPI 3.0 form the
//! generator reads, plus the relaxations that keep generated types forward compatible.
//!
//! Everything here works on `serde_json::Value` so that a new upstream document needs no
//! code change: each rule is structural, never keyed on an operation or schema name.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::fmt;

/// A problem in the input document, with the JSON pointer of the place it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for SpecError {}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError { pointer: pointer.into(), message: message.into() }
}

/// Why an operation is not given to the generator as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SplitReason {
    /// The request body is `multipart/form-data`.
    Multipart,
    /// The success response is `text/event-stream`.
    EventStream,
    /// A parameter travels in a cookie.
    Cookie,
}

impl SplitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SplitReason::Multipart => "multipart/form-data request body",
            SplitReason::EventStream => "text/event-stream response",
            SplitReason::Cookie => "cookie parameter",
        }
    }
}

/// An operation taken out of the generator's input, with what the build step needs to
/// emit its method itself.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitOperation {
    pub operation_id: String,
    /// The Rust method name: the generator's name for the operationId, or, for the
    /// multipart form of an operation that also takes JSON, that name + `_multipart`.
    pub method_name: String,
    pub method: String,
    pub path: String,
    pub reasons: Vec<SplitReason>,
    /// The operation as it stood after down-conversion (3.0 form).
    pub operation: Value,
}

/// The result of [`normalize`].
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The OpenAPI 3.0 document for the generator.
    pub spec: Value,
    /// Operations the generator cannot take, in document order.
    pub split: Vec<SplitOperation>,
}

use crate::document::METHODS;

/// Escape one JSON pointer token.
pub fn ptr_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Convert a published document into the generator's input.
pub fn normalize(input: &Value) -> Result<Normalized, SpecError> {
    let mut spec = input.clone();
    let root = spec.as_object_mut().ok_or_else(|| err("", "the document is not a JSON object"))?;

    let version = root
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| err("/openapi", "missing `openapi` version string"))?;
    if !version.starts_with("3.") {
        return Err(err("/openapi", format!("unsupported OpenAPI version {version:?} (3.x expected)")));
    }
    root.insert("openapi".into(), json!("3.0.3"));
    // 3.1 only: not understood by 3.0 readers.
    root.remove("webhooks");
    root.remove("jsonSchemaDialect");
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        // `summary` and `license.identifier` are 3.1 additions.
        info.remove("summary");
        if let Some(lic) = info.get_mut("license").and_then(Value::as_object_mut) {
            lic.remove("identifier");
        }
    } else {
        return Err(err("/info", "missing `info` object"));
    }

    // Later steps add schemas of their own: a document without any gets an empty map.
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Some(c) = components.as_object_mut() {
        c.entry("schemas").or_insert_with(|| json!({}));
    }
    if let Some(schemas) =
        root.get_mut("components").and_then(|c| c.get_mut("schemas")).and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let p = format!("/components/schemas/{}", ptr_token(name));
            fix_schema(schema, &p, true)?;
        }
    }

    let mut split = Vec::new();
    let mut seen_ids = BTreeSet::new();
    let paths = root
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| err("/paths", "missing `paths` object"))?;
    let mut empty_paths = Vec::new();
    for (path, item) in paths.iter_mut() {
        let item_ptr = format!("/paths/{}", ptr_token(path));
        let item = item.as_object_mut().ok_or_else(|| err(&item_ptr, "path item is not an object"))?;
        if item.contains_key("$ref") {
            return Err(err(&item_ptr, "path items given by `$ref` are not supported"));
        }
        if let Some(params) = item.get_mut("parameters") {
            fix_parameters(params, &format!("{item_ptr}/parameters"))?;
        }
        let path_params: Vec<Value> =
            item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut taken = Vec::new();
        for method in METHODS {
            let Some(op) = item.get_mut(method) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let op_id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| err(&op_ptr, "operation has no `operationId`"))?
                .to_string();
            if !seen_ids.insert(op_id.clone()) {
                return Err(err(&op_ptr, format!("operationId {op_id:?} is used twice")));
            }
            fix_operation(op, &op_ptr)?;
            let path_cookie =
                path_params.iter().any(|p| p.get("in").and_then(Value::as_str) == Some("cookie"));
            let mut reasons = split_reasons(op);
            if path_cookie && !reasons.contains(&SplitReason::Cookie) {
                reasons.push(SplitReason::Cookie);
            }
            if reasons.is_empty() {
                continue;
            }
            let mut operation = op.clone();
            if path_cookie {
                let mut all = path_params.clone();
                all.extend(
                    operation.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default(),
                );
                operation["parameters"] = Value::Array(all);
            }
            let mut method_name = crate::naming::method_name(&op_id);
            if reasons == [SplitReason::Multipart] && take_json_form(op, &mut operation) {
                // The generator keeps the JSON form under the operation's own name.
                method_name.push_str("_multipart");
            } else {
                taken.push(method.to_string());
            }
            split.push(SplitOperation {
                operation_id: op_id,
                method_name,
                method: method.to_string(),
                path: path.clone(),
                reasons,
                operation,
            });
        }
        for m in taken {
            item.remove(&m);
        }
        if !METHODS.iter().any(|m| item.contains_key(*m)) {
            empty_paths.push(path.clone());
        }
    }
    for p in empty_paths {
        paths.remove(&p);
    }
    Ok(Normalized { spec, split })
}

/// For an operation whose body is JSON or multipart: leave only the JSON form in `op`
/// (for the generator) and only the multipart form in `split`. False when there is no
/// JSON form.
fn take_json_form(op: &mut Value, split: &mut Value) -> bool {
    let Some(content) = op.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) else {
        return false;
    };
    if !content.keys().any(|k| crate::repair::is_json(k)) {
        return false;
    }
    content.retain(|k, _| !k.starts_with("multipart/"));
    if let Some(c) = split.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) {
        c.retain(|k, _| k.starts_with("multipart/"));
    }
    true
}

fn split_reasons(op: &Value) -> Vec<SplitReason> {
    let mut reasons = Vec::new();
    if op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p.get("in").and_then(Value::as_str) == Some("cookie")))
    {
        reasons.push(SplitReason::Cookie);
    }
    if let Some(content) = op.pointer("/requestBody/content").and_then(Value::as_object)
        && content.keys().any(|k| k.starts_with("multipart/"))
    {
        reasons.push(SplitReason::Multipart);
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        let streams = responses.iter().any(|(code, r)| {
            code.starts_with('2')
                && r.get("content")
                    .and_then(Value::as_object)
                    .is_some_and(|c| c.keys().any(|k| k.starts_with("text/event-stream")))
        });
        if streams {
            reasons.push(SplitReason::EventStream);
        }
    }
    reasons
}

fn fix_parameters(params: &mut Value, ptr: &str) -> Result<(), SpecError> {
    let list = params.as_array_mut().ok_or_else(|| err(ptr, "`parameters` is not an array"))?;
    for (i, p) in list.iter_mut().enumerate() {
        let pp = format!("{ptr}/{i}");
        let obj = p.as_object_mut().ok_or_else(|| err(&pp, "parameter is not an object"))?;
        if obj.contains_key("$ref") {
            continue;
        }
        if obj.get("name").and_then(Value::as_str).is_none() {
            return Err(err(&pp, "parameter has no `name`"));
        }
        if let Some(schema) = obj.get_mut("schema") {
            fix_schema(schema, &format!("{pp}/schema"), false)?;
        }
        fix_examples_map(obj);
    }
    Ok(())
}

/// 3.0 media types and parameters take `examples` as a map of Example objects; 3.1
/// schemas carry an array. Only the map form is valid here: drop anything else.
fn fix_examples_map(obj: &mut Map<String, Value>) {
    if obj.get("examples").is_some_and(|e| !e.is_object()) {
        obj.remove("examples");
    }
}

fn fix_content(content: &mut Value, ptr: &str) -> Result<(), SpecError> {
    let Some(map) = content.as_object_mut() else {
        return Err(err(ptr, "`content` is not an object"));
    };
    for (ct, media) in map.iter_mut() {
        let mp = format!("{ptr}/{}", ptr_token(ct));
        let Some(media) = media.as_object_mut() else {
            return Err(err(&mp, "media type entry is not an object"));
        };
        if let Some(schema) = media.get_mut("schema") {
            fix_schema(schema, &format!("{mp}/schema"), false)?;
        }
        fix_examples_map(media);
        // 3.2's `itemSchema` for streams: not a 3.0 field.
        media.remove("itemSchema");
    }
    Ok(())
}

fn fix_operation(op: &mut Value, ptr: &str) -> Result<(), SpecError> {
    let obj = op.as_object_mut().ok_or_else(|| err(ptr, "operation is not an object"))?;
    if let Some(params) = obj.get_mut("parameters") {
        fix_parameters(params, &format!("{ptr}/parameters"))?;
    }
    if let Some(body) = obj.get_mut("requestBody")
        && let Some(content) = body.get_mut("content")
    {
        fix_content(content, &format!("{ptr}/requestBody/content"))?;
    }
    let responses = obj
        .get_mut("responses")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| err(ptr, "operation has no `responses` object"))?;
    for (code, resp) in responses.iter_mut() {
        let rp = format!("{ptr}/responses/{code}");
        if let Some(content) = resp.get_mut("content") {
            fix_content(content, &format!("{rp}/content"))?;
        }
    }
    // 3.1 allows `pathItems`-level callbacks/webhooks; callbacks are not used by clients.
    obj.remove("callbacks");
    Ok(())
}

fn is_null_schema(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            let ty_null = m.get("type").and_then(Value::as_str) == Some("null")
                || m.get("enum").is_some_and(|e| e == &json!([null]))
                || m.get("const").is_some_and(Value::is_null);
            ty_null
                && m.keys().all(|k| matches!(k.as_str(), "type" | "enum" | "const" | "title" | "description"))
        }
        _ => false,
    }
}

/// Keys that only annotate a schema; they may sit beside `$ref` without changing it.
const ANNOTATIONS: [&str; 3] = ["title", "description", "$comment"];

/// Rewrite one schema (and everything nested in it) into 3.0 form.
///
/// `root` is true for a component schema: its `title` is kept. Nested schemas lose
/// theirs, because the type generator names inline types after their title, and
/// per-property titles (one per field in FastAPI's output) would make unrelated
/// schemas share a type.
pub fn fix_schema(schema: &mut Value, ptr: &str, root: bool) -> Result<(), SpecError> {
    match schema {
        Value::Bool(true) => {
            *schema = json!({});
            return Ok(());
        }
        Value::Bool(false) => {
            return Err(err(ptr, "the schema `false` (no value allowed) cannot be generated"));
        }
        Value::Object(_) => {}
        _ => return Err(err(ptr, "schema is not an object")),
    }
    let obj = schema.as_object_mut().expect("checked above");
    fix_children(obj, ptr)?;
    if !root {
        obj.remove("title");
    }
    tuples_to_arrays(obj);
    allow_unknown_fields(obj);
    type_lists_to_nullable(obj);
    const_to_enum(obj);
    exclusive_bounds_to_flags(obj);
    examples_to_example(obj);
    binary_content(obj);
    drop_unsupported_keywords(obj);
    null_branches_to_nullable(obj);
    wrap_ref_with_siblings(obj);
    drop_bare_nullable(obj);
    Ok(())
}

/// Fix every schema nested in `obj` first.
fn fix_children(obj: &mut Map<String, Value>, ptr: &str) -> Result<(), SpecError> {
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(props) = obj.get_mut(key).and_then(Value::as_object_mut) {
            for (name, s) in props.iter_mut() {
                fix_schema(s, &format!("{ptr}/{key}/{}", ptr_token(name)), false)?;
            }
        }
    }
    for key in ["items", "additionalProperties", "not", "contains", "propertyNames"] {
        if let Some(s) = obj.get_mut(key)
            && !s.is_boolean()
        {
            fix_schema(s, &format!("{ptr}/{key}"), false)?;
        }
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(list) = obj.get_mut(key) {
            let list = list.as_array_mut().ok_or_else(|| err(format!("{ptr}/{key}"), "expected an array"))?;
            for (i, s) in list.iter_mut().enumerate() {
                fix_schema(s, &format!("{ptr}/{key}/{i}"), false)?;
            }
        }
    }
    Ok(())
}

/// `items: false`/tuples are beyond 3.0: keep the element type of the first item.
/// A tuple whose members share one schema is an array of it; one whose members differ
/// is an array of any value (3.0 has no tuples).
fn tuples_to_arrays(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(prefix)) = obj.remove("prefixItems")
        && !obj.contains_key("items")
        && let Some(first) = prefix.first()
    {
        let same = prefix.iter().all(|p| p == first);
        obj.insert("items".into(), if same { first.clone() } else { json!({}) });
    }
    if obj.get("items").is_some_and(|i| i.is_boolean() || i.is_array()) {
        obj.insert("items".into(), json!({}));
    }
}

/// `additionalProperties: false` becomes `deny_unknown_fields`: a newer server adding
/// a field would then break decoding. Allow unknown keys instead.
fn allow_unknown_fields(obj: &mut Map<String, Value>) {
    if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
        obj.remove("additionalProperties");
    }
}

/// `type: [T, "null"]` becomes `type: T, nullable: true`; several non-null types become
/// a union of them.
fn type_lists_to_nullable(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type").cloned() else { return };
    let mut rest: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
    if rest.len() < types.len() {
        obj.insert("nullable".into(), json!(true));
    }
    match rest.len() {
        0 => {
            // Only null: no value type left; accept anything that is null.
            obj.remove("type");
            obj.insert("enum".into(), json!([null]));
        }
        1 => {
            obj.insert("type".into(), rest.remove(0));
        }
        _ => {
            obj.remove("type");
            let branches: Vec<Value> = rest.into_iter().map(|t| json!({ "type": t })).collect();
            obj.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

/// `const` becomes an `enum` of one value.
fn const_to_enum(obj: &mut Map<String, Value>) {
    if let Some(c) = obj.remove("const") {
        obj.insert("enum".into(), Value::Array(vec![c]));
    }
}

/// Numeric exclusive bounds (3.1) become a bound with a boolean flag (3.0).
fn exclusive_bounds_to_flags(obj: &mut Map<String, Value>) {
    for (ex, plain) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(v) = obj.get(ex).cloned()
            && v.is_number()
        {
            obj.insert(plain.into(), v);
            obj.insert(ex.into(), json!(true));
        }
    }
}

/// `examples: [..]` becomes `example` (the first one).
fn examples_to_example(obj: &mut Map<String, Value>) {
    if let Some(ex) = obj.remove("examples")
        && let Some(first) = ex.as_array().and_then(|a| a.first())
        && !obj.contains_key("example")
    {
        obj.insert("example".into(), first.clone());
    }
}

/// Binary content in 3.1 form (`contentMediaType` on a string) becomes `format: binary`.
fn binary_content(obj: &mut Map<String, Value>) {
    if obj.remove("contentMediaType").is_some()
        && obj.get("type").and_then(Value::as_str) == Some("string")
        && !obj.contains_key("format")
    {
        obj.insert("format".into(), json!("binary"));
    }
}

/// Keywords 3.0 does not know and the generator does not use.
fn drop_unsupported_keywords(obj: &mut Map<String, Value>) {
    for key in [
        "contentEncoding",
        "contentSchema",
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "unevaluatedProperties",
        "dependentRequired",
        "dependentSchemas",
    ] {
        obj.remove(key);
    }
}

/// `anyOf`/`oneOf` with a null branch becomes `nullable`, without that branch.
fn null_branches_to_nullable(obj: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = obj.get(key) else {
            continue;
        };
        if !list.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = list.iter().filter(|s| !is_null_schema(s)).cloned().collect();
        obj.remove(key);
        obj.insert("nullable".into(), json!(true));
        match rest.len() {
            0 => {
                obj.insert("enum".into(), json!([null]));
            }
            1 => {
                let only = rest.into_iter().next().expect("one branch");
                merge_branch(obj, only);
            }
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// `$ref` beside other keywords: 3.0 ignores the siblings, so the ref is wrapped in an
/// `allOf`; beside annotations only, the annotations go.
fn wrap_ref_with_siblings(obj: &mut Map<String, Value>) {
    if !obj.contains_key("$ref") {
        return;
    }
    let has_siblings = obj.keys().any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()));
    if has_siblings {
        let r = obj.remove("$ref").expect("present");
        let mut all_of = vec![json!({ "$ref": r })];
        if let Some(Value::Array(existing)) = obj.remove("allOf") {
            all_of.extend(existing);
        }
        obj.insert("allOf".into(), Value::Array(all_of));
    } else {
        // Annotations beside a ref are ignored by 3.0 readers anyway.
        obj.retain(|k, _| k == "$ref");
    }
}

/// A nullable schema without a type whose value is given by allOf/anyOf is fine;
/// a nullable bare `{}` is just `{}`.
fn drop_bare_nullable(obj: &mut Map<String, Value>) {
    if obj.get("nullable") == Some(&Value::Bool(true))
        && obj
            .keys()
            .all(|k| matches!(k.as_str(), "nullable" | "title" | "description" | "default" | "example"))
    {
        obj.remove("nullable");
    }
}

/// Merge the single non-null branch of a nullable union into its parent.
fn merge_branch(parent: &mut Map<String, Value>, branch: Value) {
    let Value::Object(mut b) = branch else { return };
    if b.contains_key("$ref") {
        let r = b.remove("$ref").expect("present");
        let mut all_of = vec![json!({ "$ref": r })];
        if let Some(Value::Array(existing)) = parent.remove("allOf") {
            all_of.extend(existing);
        }
        parent.insert("allOf".into(), Value::Array(all_of));
        // Nothing else in a ref-only branch.
        b.retain(|k, _| !ANNOTATIONS.contains(&k.as_str()));
    }
    for (k, v) in b {
        if k == "title" {
            continue;
        }
        parent.entry(k).or_insert(v);
    }
}
