//! The facts check: an OpenAPI document carries every operation and schema of the API
//! facts (`../shared/reference/meibel-api-v2-facts.json`, a maintainer's reference).
//!
//! For each operation of the facts: operationId, method, path, summary, tag, parameters
//! (name, location, required, type, nullability, default, minimum, maximum), request body
//! (content type, schema, nullability, required) and responses (status, content type,
//! schema). For each schema: kind, every field's presence, type (in the facts' type
//! grammar, `facts.info.type_grammar`), nullability (3.1 form: `anyOf` with
//! `{"type": "null"}`), enum values (a single value may be rendered as `const`), default,
//! minimum and maximum, the required list, extra keys allowed or not, and that the spec
//! has no fields beyond the facts. Titles and descriptions are not compared.

use serde_json::{Value, json};
use std::collections::BTreeSet;

const REF_PREFIX: &str = "#/components/schemas/";
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A type of the facts' grammar.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Prim(String),
    Format(String, String),
    Any,
    Object,
    Ref(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Union(Vec<Ty>),
}

fn split_top_level(inner: &str) -> Result<Vec<&str>, String> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("unbalanced brackets in {inner:?}"));
                }
            }
            '|' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("unbalanced brackets in {inner:?}"));
    }
    parts.push(&inner[start..]);
    Ok(parts)
}

fn parse_type(text: &str) -> Result<Ty, String> {
    let text = text.trim();
    if ["string", "integer", "number", "boolean"].contains(&text) {
        return Ok(Ty::Prim(text.into()));
    }
    match text {
        "any" => return Ok(Ty::Any),
        "object" => return Ok(Ty::Object),
        "string:date-time" | "string:binary" => {
            let (b, f) = text.split_once(':').expect("has a colon");
            return Ok(Ty::Format(b.into(), f.into()));
        }
        _ => {}
    }
    if let Some(name) = text.strip_prefix("ref:") {
        let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-');
        if ok {
            return Ok(Ty::Ref(name.into()));
        }
    }
    for kind in ["array", "map", "union"] {
        if let Some(inner) =
            text.strip_prefix(kind).and_then(|r| r.strip_prefix('<')).and_then(|r| r.strip_suffix('>'))
        {
            return match kind {
                "union" => {
                    let parts = split_top_level(inner)?;
                    if parts.len() < 2 {
                        return Err(format!("union with fewer than two members: {text:?}"));
                    }
                    Ok(Ty::Union(parts.into_iter().map(parse_type).collect::<Result<_, _>>()?))
                }
                "array" => Ok(Ty::Array(Box::new(parse_type(inner)?))),
                _ => Ok(Ty::Map(Box::new(parse_type(inner)?))),
            };
        }
    }
    Err(format!("not in the type grammar: {text:?}"))
}

fn render(t: &Ty) -> String {
    match t {
        Ty::Prim(p) => p.clone(),
        Ty::Format(b, f) => format!("{b}:{f}"),
        Ty::Any => "any".into(),
        Ty::Object => "object".into(),
        Ty::Ref(n) => format!("ref:{n}"),
        Ty::Union(m) => format!("union<{}>", m.iter().map(render).collect::<Vec<_>>().join("|")),
        Ty::Array(i) => format!("array<{}>", render(i)),
        Ty::Map(i) => format!("map<{}>", render(i)),
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "<absent>".into(), Value::to_string)
}

/// Equality that keeps booleans apart from numbers, and 1 equal to 1.0.
fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(Some(p), Some(q)))
        }
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            x.len() == y.len() && x.iter().all(|(k, v)| same_value(Some(v), y.get(k)))
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn is_null(s: &Value) -> bool {
    s.as_object().is_some_and(|m| {
        s.get("type") == Some(&json!("null"))
            && m.keys().filter(|k| *k != "title" && *k != "description").count() == 1
    })
}

/// Whether an `anyOf` schema has a null branch, and the schema without it.
fn split_null(schema: &Value) -> (bool, Value) {
    let Some(Value::Array(branches)) = schema.get("anyOf") else { return (false, schema.clone()) };
    let rest: Vec<Value> = branches.iter().filter(|b| !is_null(b)).cloned().collect();
    if rest.len() == branches.len() {
        return (false, schema.clone());
    }
    if rest.len() == 1 {
        return (true, rest[0].clone());
    }
    (true, json!({"anyOf": rest}))
}

fn ref_target(schema: &Value) -> Option<String> {
    let r = match schema.get("$ref") {
        Some(r) => r,
        None => match schema.get("allOf") {
            Some(Value::Array(a)) if a.len() == 1 => a[0].get("$ref")?,
            _ => return None,
        },
    };
    r.as_str()?.strip_prefix(REF_PREFIX).map(String::from)
}

/// `None` if `schema` has the type `t`, else a short reason.
fn type_problem(t: &Ty, schema: &Value, components: &Value, items_nullable: bool) -> Option<String> {
    let Some(m) = schema.as_object() else {
        return Some(format!("schema is not an object: {}", show(Some(schema))));
    };
    let stype = schema.get("type");
    let found = |k: &str| show(schema.get(k));
    match t {
        Ty::Any => {
            let typed: Vec<&str> =
                ["type", "anyOf", "oneOf", "allOf", "$ref", "items", "properties", "enum", "const"]
                    .into_iter()
                    .filter(|k| m.contains_key(*k))
                    .collect();
            (!typed.is_empty()).then(|| format!("expected any value (no constraints), spec has {typed:?}"))
        }
        Ty::Ref(name) => {
            let target = ref_target(schema);
            if target.as_deref() != Some(name) {
                return Some(format!("expected $ref {REF_PREFIX}{name}, spec has {}", show(Some(schema))));
            }
            (components.get(name).is_none()).then(|| format!("$ref {REF_PREFIX}{name} does not resolve"))
        }
        Ty::Union(members) => {
            let Some(Value::Array(branches)) = schema.get("anyOf") else {
                return Some(format!(
                    "expected anyOf of {} types, spec has {}",
                    members.len(),
                    show(Some(schema))
                ));
            };
            if branches.len() != members.len() {
                return Some(format!(
                    "expected anyOf of {} types, spec has {}",
                    members.len(),
                    branches.len()
                ));
            }
            let mut free: Vec<&Value> = branches.iter().collect();
            for member in members {
                match free.iter().position(|b| type_problem(member, b, components, false).is_none()) {
                    Some(i) => {
                        free.remove(i);
                    }
                    None => return Some(format!("no anyOf branch matches {}", render(member))),
                }
            }
            None
        }
        Ty::Prim(p) => {
            if stype != Some(&json!(p)) {
                return Some(format!("expected type {p}, spec has type {}", found("type")));
            }
            (p == "string" && m.contains_key("format"))
                .then(|| format!("expected a plain string, spec has format {}", found("format")))
        }
        Ty::Format(b, f) => {
            (stype != Some(&json!(b)) || schema.get("format") != Some(&json!(f))).then(|| {
                format!(
                    "expected type {b} format {f}, spec has type {} format {}",
                    found("type"),
                    found("format")
                )
            })
        }
        Ty::Object => {
            if stype != Some(&json!("object")) {
                return Some(format!("expected type object, spec has type {}", found("type")));
            }
            match schema.get("additionalProperties") {
                None | Some(Value::Bool(true)) => {}
                Some(Value::Object(o)) if o.is_empty() => {}
                Some(other) => {
                    return Some(format!(
                        "expected a free-form object, spec has additionalProperties {other}"
                    ));
                }
            }
            m.contains_key("properties")
                .then(|| "expected a free-form object, spec declares properties".into())
        }
        Ty::Array(inner) => {
            if stype != Some(&json!("array")) {
                return Some(format!("expected type array, spec has type {}", found("type")));
            }
            let Some(items) = schema.get("items") else { return Some("array without items".into()) };
            let (items_null, items) = split_null(items);
            if items_null != items_nullable {
                return Some(format!("items nullable: facts {items_nullable}, spec {items_null}"));
            }
            type_problem(inner, &items, components, false).map(|p| format!("items: {p}"))
        }
        Ty::Map(inner) => {
            if stype != Some(&json!("object")) {
                return Some(format!("expected type object (map), spec has type {}", found("type")));
            }
            match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => type_problem(inner, values, components, false)
                    .map(|p| format!("additionalProperties: {p}")),
                other => {
                    Some(format!("expected additionalProperties with a schema, spec has {}", show(other)))
                }
            }
        }
    }
}

/// minimum/maximum of a (non-null) schema: its own, or the one all its branches share.
fn bound(schema: &Value, key: &str) -> Option<Value> {
    if let Some(v) = schema.get(key) {
        return Some(v.clone());
    }
    let Some(Value::Array(branches)) = schema.get("anyOf") else { return None };
    let values: Vec<Option<&Value>> = branches.iter().filter(|b| b.is_object()).map(|b| b.get(key)).collect();
    if !values.is_empty() && values.iter().all(|v| same_value(*v, values[0])) {
        return values[0].cloned();
    }
    if values.iter().any(Option::is_some) {
        return Some(Value::Array(values.iter().map(|v| Value::String(show(*v))).collect()));
    }
    None
}

/// Counts of passed and failed checks; every failure is printed as it is found.
#[derive(Debug, Default)]
pub struct Report {
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed, printed.
    pub failed: usize,
    /// The failure lines.
    pub lines: Vec<String>,
}

impl Report {
    fn check(&mut self, ok: bool, place: &str, message: impl FnOnce() -> String) -> bool {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.lines.push(format!("{place}: {}", message()));
        }
        ok
    }

    fn equal(&mut self, place: &str, what: &str, fact: Option<&Value>, spec: Option<&Value>) -> bool {
        self.check(same_value(fact, spec), place, || {
            format!("{what}: facts {}, spec {}", show(fact), show(spec))
        })
    }
}

fn sorted_shown(values: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = values.iter().map(Value::to_string).collect();
    v.sort();
    v
}

fn flag(fact: &Value, key: &str) -> bool {
    fact.get(key).is_some_and(|v| v.as_bool().unwrap_or(!v.is_null()))
}

fn check_typed(r: &mut Report, place: &str, spec_schema: Option<&Value>, fact: &Value, components: &Value) {
    let Some(spec_schema) = spec_schema.filter(|s| s.is_object()) else {
        r.check(false, place, || format!("schema is not an object: {}", show(spec_schema)));
        return;
    };
    r.passed += 1;
    let (nullable, core) = split_null(spec_schema);
    r.equal(place, "nullable", Some(&json!(flag(fact, "nullable"))), Some(&json!(nullable)));
    if let Some(Value::Array(values)) = fact.get("enum") {
        let spec_values = if values.len() == 1 && core.get("const").is_some() {
            Some(json!([core["const"]]))
        } else {
            core.get("enum").cloned()
        };
        let ok = matches!(&spec_values, Some(Value::Array(s)) if sorted_shown(s) == sorted_shown(values));
        r.check(ok, place, || {
            format!("enum: facts {}, spec {}", Value::Array(values.clone()), show(spec_values.as_ref()))
        });
    }
    let ty = fact.get("type").and_then(Value::as_str).unwrap_or("");
    match parse_type(ty) {
        Err(e) => {
            r.check(false, place, || format!("type: {e}"));
        }
        Ok(node) => {
            let problem = type_problem(&node, &core, components, flag(fact, "items_nullable"));
            r.check(problem.is_none(), place, || format!("type {ty}: {}", problem.unwrap_or_default()));
        }
    }
    r.equal(place, "default", fact.get("default"), spec_schema.get("default"));
    for key in ["minimum", "maximum"] {
        r.equal(place, key, fact.get(key), bound(&core, key).as_ref());
    }
}

fn names_of(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

fn check_schemas(r: &mut Report, facts: &Value, spec: &Value) {
    let components = spec.pointer("/components/schemas").cloned().unwrap_or(json!({}));
    let fact_schemas = facts.get("schemas").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut names: Vec<&String> = fact_schemas.keys().collect();
    names.sort();
    for name in names {
        let fact = &fact_schemas[name];
        let place = format!("schema {name}");
        let Some(s) = components.get(name) else {
            r.check(false, &place, || "missing from components.schemas".into());
            continue;
        };
        r.passed += 1;
        if fact.get("kind") == Some(&json!("enum")) {
            r.equal(&place, "type", fact.get("type"), s.get("type"));
            let want = fact.get("values").and_then(Value::as_array).cloned().unwrap_or_default();
            let ok = matches!(s.get("enum"), Some(Value::Array(v)) if sorted_shown(v) == sorted_shown(&want));
            r.check(ok, &place, || {
                format!("enum: facts {}, spec {}", Value::Array(want.clone()), show(s.get("enum")))
            });
            continue;
        }
        r.equal(&place, "type", Some(&json!("object")), s.get("type"));
        let props = s.get("properties").cloned().unwrap_or(json!({}));
        let fields = fact.get("fields").and_then(Value::as_array).cloned().unwrap_or_default();
        for field in &fields {
            let fname = field.get("name").and_then(Value::as_str).unwrap_or("");
            let fplace = format!("{place}.{fname}");
            if r.check(props.get(fname).is_some(), &fplace, || "field missing from the spec".into()) {
                check_typed(r, &fplace, props.get(fname), field, &components);
            }
        }
        let fact_names: BTreeSet<String> =
            fields.iter().filter_map(|f| f.get("name").and_then(Value::as_str).map(String::from)).collect();
        let extra: Vec<String> = names_of(&props).difference(&fact_names).cloned().collect();
        r.check(extra.is_empty(), &place, || format!("fields not in the facts: {extra:?}"));
        let mut required: Vec<String> = fields
            .iter()
            .filter(|f| flag(f, "required"))
            .filter_map(|f| f.get("name").and_then(Value::as_str).map(String::from))
            .collect();
        required.sort();
        let mut spec_required: Vec<String> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default();
        spec_required.sort();
        let unique = spec_required.windows(2).all(|w| w[0] != w[1]);
        r.check(spec_required == required && unique, &place, || {
            format!("required: facts {required:?}, spec {spec_required:?}")
        });
        r.equal(
            &place,
            "additionalProperties allowed",
            Some(&json!(flag(fact, "additional_properties"))),
            Some(&json!(s.get("additionalProperties") == Some(&Value::Bool(true)))),
        );
    }
    let extra: Vec<String> =
        names_of(&components).into_iter().filter(|n| !fact_schemas.contains_key(n)).collect();
    r.check(extra.is_empty(), "components.schemas", || format!("schemas not in the facts: {extra:?}"));
}

/// Responses name components without the `ref:` prefix; both spellings are accepted.
fn response_type(text: &str) -> String {
    let mut chars = text.chars();
    let plain_name = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if plain_name { format!("ref:{text}") } else { text.to_string() }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn check_operation(r: &mut Report, fact: &Value, op: &Value, components: &Value) {
    let place = format!(
        "operation {} ({} {})",
        text(fact, "operationId"),
        text(fact, "method").to_uppercase(),
        text(fact, "path")
    );
    r.equal(&place, "operationId", fact.get("operationId"), op.get("operationId"));
    r.equal(&place, "summary", fact.get("summary"), op.get("summary"));
    r.equal(&place, "tags", Some(&json!([fact.get("tag")])), op.get("tags"));

    let spec_params: Vec<&Value> =
        op.get("parameters").and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default();
    let key = |p: &Value| (text(p, "name"), text(p, "in"));
    let fact_params = fact.get("params").and_then(Value::as_array).cloned().unwrap_or_default();
    for p in &fact_params {
        let pplace = format!("{place} param {} {}", text(p, "in"), text(p, "name"));
        let Some(sp) = spec_params.iter().rev().find(|s| key(s) == key(p)) else {
            r.check(false, &pplace, || "missing from the spec".into());
            continue;
        };
        r.passed += 1;
        r.equal(
            &pplace,
            "required",
            Some(&json!(flag(p, "required"))),
            Some(sp.get("required").unwrap_or(&json!(false))),
        );
        check_typed(r, &pplace, sp.get("schema"), p, components);
    }
    let fact_keys: BTreeSet<(String, String)> = fact_params.iter().map(key).collect();
    let extra: BTreeSet<String> = spec_params
        .iter()
        .map(|s| key(s))
        .filter(|k| !fact_keys.contains(k))
        .map(|(n, i)| format!("{i} {n}"))
        .collect();
    r.check(extra.is_empty(), &place, || format!("parameters not in the facts: {extra:?}"));

    let body = op.get("requestBody");
    match fact.get("request") {
        None | Some(Value::Null) => {
            r.check(body.is_none(), &place, || "request body: facts none, spec has one".into());
        }
        Some(req) => {
            if r.check(body.is_some_and(Value::is_object), &place, || {
                "request body: missing from the spec".into()
            }) {
                let body = body.expect("checked");
                let bplace = format!("{place} request body");
                let content = body.get("content").cloned().unwrap_or(json!({}));
                let ct = text(req, "content_type");
                let mut types: Vec<String> = names_of(&content).into_iter().collect();
                types.sort();
                r.equal(&bplace, "content types", Some(&json!([ct])), Some(&json!(types)));
                r.equal(
                    &bplace,
                    "required",
                    Some(&json!(flag(req, "required"))),
                    Some(body.get("required").unwrap_or(&json!(false))),
                );
                match content.get(&ct).and_then(|m| m.get("schema")) {
                    Some(schema) => {
                        let (nullable, core) = split_null(schema);
                        r.equal(
                            &bplace,
                            "nullable",
                            Some(&json!(flag(req, "nullable"))),
                            Some(&json!(nullable)),
                        );
                        let problem = type_problem(&Ty::Ref(text(req, "schema")), &core, components, false);
                        r.check(problem.is_none(), &bplace, || {
                            format!("schema {}: {}", text(req, "schema"), problem.unwrap_or_default())
                        });
                    }
                    None => {
                        r.equal(
                            &bplace,
                            "nullable",
                            Some(&json!(flag(req, "nullable"))),
                            Some(&json!(false)),
                        );
                        r.check(false, &bplace, || {
                            format!("schema {}: schema is not an object: <absent>", text(req, "schema"))
                        });
                    }
                }
            }
        }
    }

    let responses = op.get("responses").cloned().unwrap_or(json!({}));
    let fact_responses = fact.get("responses").and_then(Value::as_array).cloned().unwrap_or_default();
    for fr in &fact_responses {
        let status = text(fr, "status");
        let rplace = format!("{place} response {status}");
        let Some(resp) = responses.get(&status).filter(|x| x.is_object()) else {
            r.check(false, &rplace, || "missing from the spec".into());
            continue;
        };
        r.passed += 1;
        let content = resp.get("content").cloned().unwrap_or(json!({}));
        let ct = fr.get("content_type").and_then(Value::as_str).filter(|c| !c.is_empty());
        let mut types: Vec<String> = names_of(&content).into_iter().collect();
        types.sort();
        r.equal(
            &rplace,
            "content types",
            Some(&json!(ct.map(|c| vec![c]).unwrap_or_default())),
            Some(&json!(types)),
        );
        let Some(ct) = ct.filter(|c| content.get(*c).is_some()) else { continue };
        let schema = content[ct].get("schema");
        if let Some(Value::Array(events)) =
            fr.get("events").filter(|e| e.as_array().is_some_and(|a| !a.is_empty()))
        {
            let mut want: Vec<String> = events.iter().filter_map(|e| e.as_str().map(String::from)).collect();
            want.sort();
            let names = schema.and_then(|s| s.get("anyOf")).and_then(Value::as_array).map(|b| {
                b.iter().map(|x| ref_target(x).unwrap_or_else(|| "None".into())).collect::<Vec<_>>()
            });
            let mut got = names.clone().unwrap_or_default();
            got.sort();
            r.check(names.is_some() && got == want, &rplace, || {
                format!("events: facts {want:?}, spec {names:?}")
            });
            let missing: Vec<&String> =
                want.iter().filter(|e| components.get(e.as_str()).is_none()).collect();
            r.check(missing.is_empty(), &rplace, || {
                format!("event schemas missing from components: {missing:?}")
            });
        } else if fr.get("schema").is_none_or(Value::is_null) {
            r.check(schema.is_none(), &rplace, || format!("schema: facts none, spec {}", show(schema)));
        } else {
            let want = text(fr, "schema");
            match parse_type(&response_type(&want)) {
                Err(e) => {
                    r.check(false, &rplace, || format!("schema: {e}"));
                }
                Ok(node) => {
                    let problem = match schema {
                        Some(s) => type_problem(&node, s, components, false),
                        None => Some("schema is not an object: <absent>".into()),
                    };
                    r.check(problem.is_none(), &rplace, || {
                        format!("schema {want}: {}", problem.unwrap_or_default())
                    });
                }
            }
        }
    }
    let fact_status: BTreeSet<String> = fact_responses.iter().map(|f| text(f, "status")).collect();
    let extra: Vec<String> = names_of(&responses).into_iter().filter(|s| !fact_status.contains(s)).collect();
    r.check(extra.is_empty(), &place, || format!("responses not in the facts: {extra:?}"));
}

fn check_operations(r: &mut Report, facts: &Value, spec: &Value) {
    let components = spec.pointer("/components/schemas").cloned().unwrap_or(json!({}));
    let paths = spec.get("paths").cloned().unwrap_or(json!({}));
    let mut seen = BTreeSet::new();
    for fact in facts.get("operations").and_then(Value::as_array).cloned().unwrap_or_default() {
        let method = text(&fact, "method").to_lowercase();
        let path = text(&fact, "path");
        seen.insert((path.clone(), method.clone()));
        let op = paths.get(&path).and_then(|i| i.get(&method)).filter(|o| o.is_object());
        let place = format!("operation {} ({} {path})", text(&fact, "operationId"), method.to_uppercase());
        match op {
            Some(op) => {
                r.passed += 1;
                check_operation(r, &fact, op, &components);
            }
            None => {
                r.check(false, &place, || "missing from the spec".into());
            }
        }
    }
    let mut extra = Vec::new();
    for (p, item) in paths.as_object().into_iter().flatten() {
        for m in item.as_object().into_iter().flat_map(|i| i.keys()) {
            if METHODS.contains(&m.as_str()) && !seen.contains(&(p.clone(), m.clone())) {
                extra.push(format!("{} {p}", m.to_uppercase()));
            }
        }
    }
    extra.sort();
    r.check(extra.is_empty(), "paths", || format!("operations not in the facts: {extra:?}"));
}

fn check_info(r: &mut Report, facts: &Value, spec: &Value) {
    let info = &facts["info"];
    r.equal("openapi", "version", info.get("openapi"), spec.get("openapi"));
    r.equal("info", "title", info.get("title"), spec.pointer("/info/title"));
    r.equal("info", "version", info.get("api_version"), spec.pointer("/info/version"));
    let urls = |v: Option<&Value>| -> Value {
        Value::Array(
            v.and_then(Value::as_array)
                .map(|a| a.iter().map(|s| s.get("url").cloned().unwrap_or(Value::Null)).collect())
                .unwrap_or_default(),
        )
    };
    r.equal("servers", "urls", Some(&urls(info.get("servers"))), Some(&urls(spec.get("servers"))));
    let tags: Value = Value::Array(
        spec.get("tags")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|t| t.get("name").cloned().unwrap_or(Value::Null)).collect())
            .unwrap_or_default(),
    );
    r.equal("tags", "declared", info.get("tags"), Some(&tags));
    let auth = &info["auth"];
    let scheme_name = text(auth, "scheme_name");
    let scheme = spec.pointer("/components/securitySchemes").and_then(|s| s.get(&scheme_name));
    let expected = json!({"type": auth["type"], "in": auth["in"], "name": auth["name"]});
    let got = scheme.map(|s| json!({"type": s.get("type"), "in": s.get("in"), "name": s.get("name")}));
    r.equal(&format!("securitySchemes.{scheme_name}"), "scheme", Some(&expected), got.as_ref());
    r.equal("security", "top level", Some(&json!([])), spec.get("security"));
}

/// Compares `spec` with the facts.
pub fn check(facts: &Value, spec: &Value) -> Report {
    let mut r = Report::default();
    check_info(&mut r, facts, spec);
    check_operations(&mut r, facts, spec);
    check_schemas(&mut r, facts, spec);
    r
}

/// `facts.info.api_version`.
pub fn api_version(facts: &Value) -> Option<&str> {
    facts.pointer("/info/api_version").and_then(Value::as_str)
}
