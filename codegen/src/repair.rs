//! Rewrites of the 3.0 document for constructs FastAPI and pydantic produce that the
//! generator cannot take as they stand. Each rule is structural (never keyed on a name)
//! and keeps what the document means wherever the generated code can express it; where
//! it cannot, the rule says so in a warning that names the place.

use serde_json::{Map, Value, json};

use crate::document::{METHODS, each_schema_mut, own_ref_name, schema_name, schema_ref};

/// Apply every rule to the generator's input; returns the warnings for the build.
pub fn repair(spec: &mut Value) -> Vec<String> {
    let mut warnings = Vec::new();
    each_document_schema(spec, &mut drop_null_types);
    let components = spec.pointer("/components/schemas").cloned().unwrap_or(json!({}));
    each_document_schema(spec, &mut |s| mixed_unions_are_one_of(s, &components));
    // Object and list defaults are checked against the schemas as published: one that
    // holds a contradicting member would be sent back by the client and refused.
    drop_defaults_that_do_not_fit(spec, true);
    each_document_schema(spec, &mut drop_bad_defaults);
    drop_defaults_that_do_not_fit(spec, false);
    mark_union_tags(spec);
    let mut new_components = Map::new();
    let taken: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
                params.iter_mut().for_each(plain_parameter);
            }
            for method in METHODS {
                let Some(op) = item.get_mut(method) else { continue };
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    params.iter_mut().for_each(plain_parameter);
                }
                let where_ = format!("{} {path}", method.to_ascii_uppercase());
                one_error_type(op, &where_, &taken, &mut new_components, &mut warnings);
            }
        }
    }
    if !new_components.is_empty() {
        let schemas = spec
            .as_object_mut()
            .expect("an object")
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("components is an object")
            .entry("schemas")
            .or_insert_with(|| json!({}));
        if let Some(schemas) = schemas.as_object_mut() {
            schemas.extend(new_components);
        }
    }
    warnings
}

/// Visit every schema of the document: components, parameters, bodies and replies.
pub fn each_document_schema(spec: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for s in schemas.values_mut() {
            each_schema_mut(s, f);
        }
    }
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (key, op) in item.iter_mut() {
            if key == "parameters" {
                for p in op.as_array_mut().into_iter().flatten() {
                    if let Some(s) = p.get_mut("schema") {
                        each_schema_mut(s, f);
                    }
                }
                continue;
            }
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(s) = p.get_mut("schema") {
                    each_schema_mut(s, f);
                }
            }
            if let Some(content) = op.pointer_mut("/requestBody/content").and_then(Value::as_object_mut) {
                for media in content.values_mut() {
                    if let Some(s) = media.get_mut("schema") {
                        each_schema_mut(s, f);
                    }
                }
            }
            for (_, r) in op.get_mut("responses").and_then(Value::as_object_mut).into_iter().flatten() {
                for (_, media) in r.get_mut("content").and_then(Value::as_object_mut).into_iter().flatten() {
                    if let Some(s) = media.get_mut("schema") {
                        each_schema_mut(s, f);
                    }
                }
            }
        }
    }
}

/// A schema that only admits `null` (pydantic's `None` annotation) names no Rust type the
/// generator knows: it becomes an unconstrained value.
fn drop_null_types(s: &mut Map<String, Value>) {
    if s.get("type").and_then(Value::as_str) == Some("null") {
        s.remove("type");
        s.remove("nullable");
        s.remove("default");
    }
}

/// The JSON type names a value has.
fn json_type_fits(ty: &str, v: &Value) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

/// A default the generator cannot place. One whose JSON type contradicts the schema's
/// own (`Field(default=True)` on a `str`) is what the server sends when the field is
/// unset, so the field takes either type. One on a union, where the type generator
/// cannot tell which variant it belongs to. The field stays optional and the server
/// applies its default.
fn drop_bad_defaults(s: &mut Map<String, Value>) {
    let Some(default) = s.get("default") else { return };
    let nullable = s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    let contradicts = match s.get("type").and_then(Value::as_str) {
        Some(ty) => !(json_type_fits(ty, default) || (default.is_null() && nullable)),
        None => false,
    };
    let union = s.contains_key("anyOf") || s.contains_key("oneOf");
    let enum_miss = s.get("enum").and_then(Value::as_array).is_some_and(|e| !e.contains(default));
    if contradicts && let Some(ty) = json_type_name(default) {
        // The server sends its default as it is: the value is either of the two.
        let mut declared = std::mem::take(s);
        declared.remove("default");
        let description = declared.remove("description");
        s.insert("oneOf".into(), json!([Value::Object(declared), {"type": ty}]));
        if let Some(d) = description {
            s.insert("description".into(), d);
        }
        return;
    }
    if contradicts || union || enum_miss {
        s.remove("default");
    }
}

/// A union whose branches are an object and a non-object (`Model | str`) is read as
/// one of them: the type generator turns `anyOf` into a struct of optional parts, which
/// cannot hold a string, and `oneOf` into an enum tried branch by branch, which can.
fn mixed_unions_are_one_of(s: &mut Map<String, Value>, components: &Value) {
    let Some(branches) = s.get("anyOf").and_then(Value::as_array) else { return };
    if s.contains_key("oneOf") {
        return;
    }
    let kind = |b: &Value| -> Option<String> {
        let target = own_ref_name(b).and_then(|n| components.get(n)).unwrap_or(b);
        match target.get("type").and_then(Value::as_str) {
            Some(t) => Some(t.to_string()),
            None if target.get("properties").is_some() => Some("object".into()),
            None => None,
        }
    };
    let kinds: Vec<Option<String>> = branches.iter().map(kind).collect();
    let objects = kinds.iter().filter(|k| k.as_deref() == Some("object")).count();
    let others = kinds.iter().filter(|k| k.as_deref().is_some_and(|k| k != "object")).count();
    if objects > 0 && others > 0 {
        let list = s.remove("anyOf").expect("checked");
        s.insert("oneOf".into(), list);
    }
}

/// The JSON Schema type name of a scalar value.
fn json_type_name(v: &Value) -> Option<&'static str> {
    match v {
        Value::Bool(_) => Some("boolean"),
        Value::String(_) => Some("string"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// Remove every default that does not fit its schema (only object and list defaults
/// when `composite_only`).
fn drop_defaults_that_do_not_fit(spec: &mut Value, composite_only: bool) {
    let components = spec.pointer("/components/schemas").cloned().unwrap_or(json!({}));
    each_document_schema(spec, &mut |s| {
        if let Some(d) = s.get("default")
            && (!composite_only || d.is_object() || d.is_array())
            && !conforms(d, &Value::Object(s.clone()), &components, 0)
        {
            s.remove("default");
        }
    });
}

/// Whether `v` fits `schema` as far as the type generator checks defaults: JSON types,
/// enum values, required and known properties, array items, through references.
fn conforms(v: &Value, schema: &Value, components: &Value, depth: usize) -> bool {
    if depth > 32 {
        return true;
    }
    let Some(s) = schema.as_object() else { return true };
    if v.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = schema_name(r).and_then(|n| components.get(n)).unwrap_or(&Value::Null);
        return conforms(v, target, components, depth + 1);
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array)
        && !all.iter().all(|b| conforms(v, b, components, depth + 1))
    {
        return false;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = s.get(key).and_then(Value::as_array)
            && !list.iter().any(|b| conforms(v, b, components, depth + 1))
        {
            return false;
        }
    }
    if let Some(ty) = s.get("type").and_then(Value::as_str)
        && !json_type_fits(ty, v)
    {
        return false;
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return false;
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if req.as_str().is_some_and(|r| !obj.contains_key(r)) {
                return false;
            }
        }
        for (k, fv) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => {
                    if !conforms(fv, ps, components, depth + 1) {
                        return false;
                    }
                }
                None => {
                    if let Some(ap) = s.get("additionalProperties").filter(|a| a.is_object())
                        && !conforms(fv, ap, components, depth + 1)
                    {
                        return false;
                    }
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array())
        && !arr.iter().all(|x| conforms(x, items, components, depth + 1))
    {
        return false;
    }
    true
}

/// A parameter travels as text: a union of scalars (`UUID | str`, `int | str`) is a
/// string parameter, and an optional parameter that may also be `null` is simply optional.
fn plain_parameter(p: &mut Value) {
    let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
    let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else { return };
    if !required {
        schema.remove("nullable");
    }
    let union = ["anyOf", "oneOf"].into_iter().find_map(|k| schema.get(k).and_then(Value::as_array).cloned());
    if let Some(branches) = union {
        let scalar = |b: &Value| {
            matches!(b.get("type").and_then(Value::as_str), Some("string" | "integer" | "number" | "boolean"))
        };
        if branches.iter().all(scalar) {
            schema.remove("anyOf");
            schema.remove("oneOf");
            schema.remove("default");
            schema.insert("type".into(), json!("string"));
        }
    }
}

/// What an error reply carries, as the generator sees it.
#[derive(Debug, Clone, PartialEq)]
enum ReplyKind {
    Json(Value),
    /// Text (`text/plain`, `text/html`, ...) whose schema, if any, is a string: the
    /// reply's text is all there is, and `Error::text` gives it whole.
    Text(String),
    Raw,
    Empty,
}

fn reply_kind(reply: &Value) -> ReplyKind {
    let Some(content) = reply.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
        return ReplyKind::Empty;
    };
    if let Some((_, media)) = content.iter().find(|(k, _)| is_json(k)) {
        return ReplyKind::Json(media.get("schema").cloned().unwrap_or(json!({})));
    }
    let text =
        content.iter().all(|(k, media)| is_text(k) && media.get("schema").is_none_or(is_string_schema));
    match content.keys().next() {
        Some(media_type) if text => ReplyKind::Text(media_type.clone()),
        _ => ReplyKind::Raw,
    }
}

/// Whether a media type is text (`text/*`).
pub fn is_text(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase().starts_with("text/")
}

/// A schema that says no more than "a string": no schema at all, `{}`, or `type: string`
/// with annotations, a format or string bounds.
fn is_string_schema(schema: &Value) -> bool {
    let Some(s) = schema.as_object() else { return false };
    let typed = match s.get("type") {
        None => true,
        Some(Value::String(t)) => t == "string",
        Some(_) => false,
    };
    typed
        && s.keys().all(|k| {
            matches!(
                k.as_str(),
                "type"
                    | "title"
                    | "description"
                    | "format"
                    | "pattern"
                    | "minLength"
                    | "maxLength"
                    | "example"
                    | "examples"
                    | "default"
                    | "contentMediaType"
                    | "contentEncoding"
            )
        })
}

/// Whether a media type is JSON.
pub fn is_json(media_type: &str) -> bool {
    let base = media_type.split(';').next().unwrap_or_default().trim();
    base == "application/json" || base.ends_with("+json")
}

fn is_error_code(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5') || code == "default"
}

/// The generator gives every operation one error type. When an operation documents
/// several error replies with different JSON bodies (a 404 beside FastAPI's 422), they
/// become one union component, `<Operation>ErrorReply`, whose variants are tried from the
/// most to the least specific (most required properties first).
///
/// An error reply in text (`text/plain`, `text/html`) has no body type to lose: it
/// reaches the caller as an error with its status, content type and text
/// (`Error::text`), and the operation's docs list it. Any other reply that is not JSON
/// beside JSON ones cannot share the one type: it reaches the caller untyped (status and
/// body), with a warning.
fn one_error_type(
    op: &mut Value,
    where_: &str,
    taken: &[String],
    new_components: &mut Map<String, Value>,
    warnings: &mut Vec<String>,
) {
    let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(responses) = op.get("responses").and_then(Value::as_object) else { return };
    let errors: Vec<(String, ReplyKind)> =
        responses.iter().filter(|(c, _)| is_error_code(c)).map(|(c, r)| (c.clone(), reply_kind(r))).collect();
    let texts: Vec<String> = errors
        .iter()
        .filter_map(|(code, k)| match k {
            ReplyKind::Text(media_type) => Some(format!("{code} (`{media_type}`)")),
            _ => None,
        })
        .collect();
    if !texts.is_empty() {
        note_text_errors(op, &texts);
    }
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { return };
    let mut schemas: Vec<Value> = Vec::new();
    for (_, k) in &errors {
        if let ReplyKind::Json(s) = k
            && !schemas.contains(s)
        {
            schemas.push(s.clone());
        }
    }
    let has_raw = errors.iter().any(|(_, k)| matches!(k, ReplyKind::Raw | ReplyKind::Text(_)));
    // Keep one kind: JSON if any, else raw bytes, else nothing.
    for (code, kind) in &errors {
        let drop = match kind {
            ReplyKind::Json(_) => false,
            ReplyKind::Raw | ReplyKind::Text(_) => !schemas.is_empty(),
            ReplyKind::Empty => !schemas.is_empty() || has_raw,
        };
        if drop {
            if let Some(reply) = responses.get_mut(code).and_then(Value::as_object_mut) {
                reply.remove("content");
            }
            responses.remove(code);
            if *kind == ReplyKind::Raw {
                warnings.push(format!(
                    "{where_} ({id}): the {code} reply is not JSON while other error replies are; \
                     it is returned untyped (status and body only)"
                ));
            }
        }
    }
    if schemas.len() < 2 {
        return;
    }
    let mut name = format!("{}ErrorReply", crate::naming::type_name(&id));
    while taken.contains(&name) || new_components.contains_key(&name) {
        name.push('_');
    }
    new_components.insert(
        name.clone(),
        json!({
            "description": format!("The error replies documented for `{id}`: one of these bodies."),
            "oneOf": schemas,
        }),
    );
    let reference = schema_ref(&name);
    for (code, kind) in &errors {
        if let ReplyKind::Json(_) = kind
            && let Some(content) =
                responses.get_mut(code).and_then(|r| r.get_mut("content")).and_then(Value::as_object_mut)
        {
            for (mt, media) in content.iter_mut() {
                if is_json(mt) {
                    media["schema"] = reference.clone();
                }
            }
        }
    }
}

/// Adds to an operation's description the error replies that come as text, and how to
/// read them; the generated method's docs show it.
fn note_text_errors(op: &mut Value, texts: &[String]) {
    let Some(op) = op.as_object_mut() else { return };
    let note = format!(
        "Error replies in text: {}. Such a reply is an [`Error`](crate::Error) with its status, \
         [`content_type`](crate::Error::content_type) and whole [`text`](crate::Error::text).",
        texts.join(", ")
    );
    let text = match op.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{note}", d.trim_end()),
        _ => note,
    };
    op.insert("description".into(), Value::String(text));
}

/// Order the variants of the synthesized error unions by how many properties each
/// requires, most first, resolving references: serde tries untagged variants in order, and
/// a body with more required fields must not be read as a looser one.
pub fn rank_error_unions(spec: &mut Value) {
    let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object).cloned() else {
        return;
    };
    let count = |s: &Value| -> usize {
        let target = own_ref_name(s).and_then(|n| schemas.get(n)).unwrap_or(s);
        target.get("required").and_then(Value::as_array).map_or(0, Vec::len)
    };
    let Some(out) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for (name, s) in out.iter_mut() {
        if !name.ends_with("ErrorReply") && !name.ends_with("ErrorReply_") {
            continue;
        }
        if let Some(list) = s.get_mut("oneOf").and_then(Value::as_array_mut) {
            // A reply documented without a schema takes any value: it goes last.
            list.sort_by_key(|b| std::cmp::Reverse((b.as_object().is_some_and(|o| !o.is_empty()), count(b))));
        }
    }
}

/// Marks a property that tags the variants of a discriminated union; the open-enum
/// rewrite leaves such a property alone.
pub const TAG_MARK: &str = "x-meibel-union-tag";

/// pydantic's discriminated unions (`Field(discriminator=...)`) name their tag property in
/// `discriminator.propertyName`, and each variant gives it one value, often with that
/// value as default and so not required. For the variants to be told apart on decoding,
/// the tag becomes required in each variant and keeps its single value (it is not
/// opened to unknown values like other string enums).
fn mark_union_tags(spec: &mut Value) {
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut collect = |s: &mut Map<String, Value>| {
        let Some(prop) = s
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        for key in ["oneOf", "anyOf"] {
            for v in s.get(key).and_then(Value::as_array).into_iter().flatten() {
                if let Some(name) = own_ref_name(v) {
                    tags.push((name.to_string(), prop.clone()));
                }
            }
        }
    };
    each_document_schema(spec, &mut collect);
    let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        return;
    };
    for (component, prop) in tags {
        let Some(variant) = schemas.get_mut(&component).and_then(Value::as_object_mut) else { continue };
        let single = variant
            .get("properties")
            .and_then(|p| p.get(&prop))
            .and_then(|p| p.get("enum"))
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1);
        if !single {
            continue;
        }
        if let Some(p) =
            variant.get_mut("properties").and_then(|p| p.get_mut(&prop)).and_then(Value::as_object_mut)
        {
            p.insert(TAG_MARK.into(), json!(true));
            p.remove("default");
        }
        let required = variant.entry("required").or_insert_with(|| json!([]));
        if let Some(list) = required.as_array_mut()
            && !list.iter().any(|r| r.as_str() == Some(prop.as_str()))
        {
            list.push(json!(prop));
        }
    }
}
