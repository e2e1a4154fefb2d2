//! Every operation of the spec, on the wire: the client is driven through the generated
//! dispatcher (`meibel::__contract`), so an operation added to the spec is covered here
//! without a test written for it.
//!
//! For each operation and each way of filling values (every field set; every nullable
//! field null), the test checks what reaches a local mock (method, path with
//! percent-encoded parameters, query parameters, JSON body or multipart parts, the key and
//! user agent headers) and that the spec-shaped reply, with an unknown extra field in
//! every object, decodes to exactly the values served.

#[path = "support/args.rs"]
mod args;
#[path = "support/multipart.rs"]
mod multipart;
#[path = "../src/mock/spec.rs"]
mod specmock;

use args::args_for;
use multipart::{FormPart, parse_multipart};

use meibel::__contract::{self, Args, Outcome};
use serde_json::{Map, Value};
use specmock::{Fill, Operation};
use wiremock::{MockServer, Request};

const KEY: &str = "contract-key";
/// Path parameter values that need encoding.
const IDS: [&str; 3] = ["id with space", "a/b?c#d", "ünï✓-42"];

fn spec() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/api-v2.json")).unwrap(),
    )
    .unwrap()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Drop null members of objects, recursively: absent and null mean the same to a reader.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Drop the unknown field the mock adds.
fn without_unknown(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != specmock::UNKNOWN_FIELD)
                .map(|(k, v)| (k.clone(), without_unknown(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_unknown).collect()),
        other => other.clone(),
    }
}

/// Numbers compare by value (1 and 1.0 are the same number on the wire).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        _ => a == b,
    }
}

/// The parts of a captured multipart request, read strictly.
fn multipart_parts(req: &Request) -> Vec<FormPart> {
    let content_type = req.headers.get("content-type").expect("a content type").to_str().unwrap();
    parse_multipart(content_type, &req.body)
}

/// The query a reader would see for a JSON value sent as a query parameter.
fn query_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn check_request(spec: &Value, op: &Operation, args: &Args, req: &Request, id: &str) -> Result<(), String> {
    if req.method.as_str() != op.method {
        return Err(format!("method {} instead of {}", req.method, op.method));
    }
    // Path: same segments, each decoding to the template's literal or the id.
    let got: Vec<String> = req.url.path().trim_start_matches("/v2").split('/').map(percent_decode).collect();
    let want: Vec<String> = op
        .path
        .split('/')
        .map(|seg| if seg.starts_with('{') { id.to_string() } else { seg.to_string() })
        .collect();
    if got != want {
        return Err(format!("path {} decodes to {got:?}, expected {want:?}", req.url.path()));
    }
    // Query: exactly the parameters set, with their values.
    let mut got_q: Vec<(String, String)> =
        req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    got_q.sort();
    let mut want_q: Vec<(String, String)> =
        args.query.iter().map(|(k, v)| (k.clone(), query_text(v))).collect();
    want_q.sort();
    let numeric_equal = |a: &str, b: &str| {
        a == b || a.parse::<f64>().ok().zip(b.parse::<f64>().ok()).is_some_and(|(x, y)| x == y)
    };
    if got_q.len() != want_q.len()
        || !got_q.iter().zip(&want_q).all(|(g, w)| g.0 == w.0 && numeric_equal(&g.1, &w.1))
    {
        return Err(format!("query {got_q:?}, expected {want_q:?}"));
    }
    let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    if header("meibel-api-key").as_deref() != Some(KEY) {
        return Err("the API key header is missing".into());
    }
    if header("user-agent").as_deref() != Some(meibel::DEFAULT_USER_AGENT) {
        return Err(format!("user agent {:?}", header("user-agent")));
    }
    if op.is_event_stream() && header("accept").as_deref() != Some("text/event-stream") {
        return Err(format!("accept {:?} on an event stream", header("accept")));
    }
    // Body.
    let ct = op.request_content_type.clone().unwrap_or_default();
    if ct.starts_with("application/json") {
        match &args.body {
            Some(sent) => {
                let got: Value =
                    serde_json::from_slice(&req.body).map_err(|e| format!("body is not JSON: {e}"))?;
                // A field set to null is left out, or sent as null where the schema gives it a
                // default; everything else arrives as given.
                if !same_json(&without_nulls(&got), &without_nulls(sent)) {
                    return Err(format!("body {got} differs from {}", without_nulls(sent)));
                }
            }
            None => {
                if !req.body.is_empty() && req.body != b"null" {
                    return Err("a body was sent without one being set".into());
                }
            }
        }
    } else if ct.starts_with("multipart/") {
        let parts = multipart_parts(req);
        for f in &args.files {
            let found =
                parts.iter().find(|p| p.name == f.field && p.file_name.as_deref() == Some(&f.file_name));
            let Some(p) = found else { return Err(format!("no part {} / {}", f.field, f.file_name)) };
            if p.body != f.bytes {
                return Err(format!("part {} / {} has other bytes", f.field, f.file_name));
            }
            let guessed = if f.file_name.ends_with(".pdf") {
                "application/pdf"
            } else if f.file_name.ends_with(".csv") {
                "text/csv"
            } else {
                "application/octet-stream"
            };
            if p.content_type.as_deref() != Some(guessed) {
                return Err(format!("part {} content type {:?}", f.file_name, p.content_type));
            }
        }
        for (name, v) in &args.form {
            let p = parts.iter().find(|p| &p.name == name).ok_or(format!("no form field {name}"))?;
            let text = String::from_utf8(p.body.clone()).unwrap();
            if !(text == query_text(v) || numeric_equal(&text, &query_text(v))) {
                return Err(format!("form field {name} = {text:?}, expected {v}"));
            }
        }
        let expected = args.files.len() + args.form.len();
        if parts.len() != expected {
            return Err(format!("{} parts, expected {expected}", parts.len()));
        }
    }
    let _ = spec;
    Ok(())
}

fn check_outcome(op: &Operation, served: &specmock::MockResponse, outcome: &Outcome) -> Result<(), String> {
    match outcome {
        Outcome::Json(decoded) => {
            let served = served.json().ok_or("served body is not JSON")?;
            // Unknown fields of typed objects are dropped; free-form objects keep every key.
            // Compare without the marker on both sides.
            let want = without_nulls(&without_unknown(&served));
            if !same_json(&without_nulls(&without_unknown(decoded)), &want) {
                return Err(format!("decoded {decoded} differs from served {want}"));
            }
        }
        Outcome::Bytes(b) => {
            if *b != served.body {
                return Err("binary body differs".into());
            }
        }
        Outcome::Events(events) => {
            let text = String::from_utf8(served.body.clone()).unwrap();
            let frames = text.split("\n\n").filter(|f| !f.trim().is_empty()).count();
            if events.len() != frames {
                return Err(format!("{} events, {frames} frames served", events.len()));
            }
            for (e, frame) in events.iter().zip(text.split("\n\n")) {
                if !frame.contains(&format!("event: {}", e.event)) {
                    return Err(format!("event {} not in frame {frame:?}", e.event));
                }
                if e.data_json().is_none() {
                    return Err(format!("event data is not JSON: {}", e.data));
                }
            }
        }
        Outcome::Empty => {
            if !served.body.is_empty() {
                return Err("a body was served but nothing decoded".into());
            }
        }
    }
    let _ = op;
    Ok(())
}

#[tokio::test]
async fn every_operation_on_the_wire() {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let server = MockServer::start().await;
    let client =
        meibel::Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().unwrap();

    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    let mut calls = 0usize;
    for (i, op) in ops.iter().enumerate() {
        for (fill, all_params) in [(Fill::Full, true), (Fill::Nulls, false)] {
            // Each round serves one fill: remount so the reply matches.
            server.reset().await;
            let options = specmock::Options { fill, unknown_fields: true, ..Default::default() };
            specmock::mount(&server, &spec, &options).await;
            let served = specmock::success_response(&spec, op, fill, true);
            let id = IDS[i % IDS.len()];
            let args = args_for(&spec, op, fill, all_params, id);
            let outcome = __contract::call(&client, &op.operation_id, &args).await;
            calls += 1;
            let requests = server.received_requests().await.unwrap();
            let result = match (&outcome, requests.last()) {
                (Err(e), _) => Err(format!("call failed: {e}")),
                (_, None) => Err("nothing reached the server".into()),
                (Ok(outcome), Some(req)) => check_request(&spec, op, &args, req, id)
                    .and_then(|_| check_outcome(op, &served, outcome))
                    .map(|_| {
                        if requests.len() != 1 {
                            Err(format!("{} requests for one call", requests.len()))
                        } else {
                            Ok(())
                        }
                    })
                    .and_then(|r| r),
            };
            match result {
                Ok(()) => {
                    covered.insert(op.operation_id.clone());
                }
                Err(e) => failures.push(format!("{} ({fill:?}): {e}", op.operation_id)),
            }
        }
    }
    let total: std::collections::BTreeSet<_> = ops.iter().map(|o| o.operation_id.clone()).collect();
    println!("contract: {}/{} operations on the wire ({calls} calls)", covered.len(), total.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(covered, total);
    // The dispatcher knows exactly the spec's operations.
    let mut known: Vec<&str> = __contract::OPERATION_IDS.to_vec();
    known.sort();
    assert_eq!(known, total.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test]
async fn unset_optional_parameters_are_not_sent() {
    let spec = spec();
    let server = specmock::start_default(&spec).await;
    let client =
        meibel::Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().unwrap();
    let ops = specmock::operations(&spec);
    let mut checked = 0;
    for op in ops.iter().filter(|o| o.parameters.iter().any(|p| p.location == "query" && !p.required)) {
        let args = args_for(&spec, op, Fill::Full, false, "x");
        __contract::call(&client, &op.operation_id, &args).await.unwrap();
        let req = server.received_requests().await.unwrap().pop().unwrap();
        let sent: Vec<String> = req.url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let required: Vec<String> = op
            .parameters
            .iter()
            .filter(|p| p.location == "query" && p.required)
            .map(|p| p.name.clone())
            .collect();
        assert_eq!(sent, required, "{}", op.operation_id);
        checked += 1;
    }
    assert!(checked > 10, "only {checked} operations have optional query parameters");
    let _ = Map::<String, Value>::new();
}

/// Ids that try to leave their path segment: each must arrive encoded inside it.
const HOSTILE_IDS: [&str; 12] = [
    "..\\agents\\agent-7",
    "..\\..\\v1\\admin",
    "../../v1/admin",
    "..%2F..%2Fv1",
    "%2e%2e",
    ".%2E",
    "a/b",
    "?admin=1",
    "#fragment",
    "\\",
    "..\\",
    "x;y=z&w",
];

#[tokio::test]
async fn hostile_path_ids_stay_in_their_segment() {
    let spec = spec();
    let server = specmock::start_default(&spec).await;
    let client =
        meibel::Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().unwrap();
    let ops: Vec<Operation> = specmock::operations(&spec)
        .into_iter()
        .filter(|o| o.parameters.iter().any(|p| p.location == "path"))
        .collect();
    assert!(ops.len() > 40, "only {} operations have path parameters", ops.len());
    let mut failures = Vec::new();
    let mut sent = 0usize;
    for op in &ops {
        for id in HOSTILE_IDS {
            let args = args_for(&spec, op, Fill::Full, false, id);
            let before = server.received_requests().await.unwrap().len();
            let outcome = __contract::call(&client, &op.operation_id, &args).await;
            let requests = server.received_requests().await.unwrap();
            if requests.len() != before + 1 {
                failures.push(format!(
                    "{} {id:?}: {} requests ({outcome:?})",
                    op.operation_id,
                    requests.len() - before
                ));
                continue;
            }
            sent += 1;
            let path = requests.last().unwrap().url.path().to_string();
            let got: Vec<&str> = path.trim_start_matches("/v2").split('/').collect();
            let template: Vec<&str> = op.path.split('/').collect();
            let left = got.len() != template.len()
                || got
                    .iter()
                    .zip(&template)
                    .any(|(g, t)| if t.starts_with('{') { percent_decode(g) != id } else { g != t });
            if left {
                failures.push(format!("{} {id:?}: sent {path}, template {}", op.operation_id, op.path));
            }
        }
    }
    assert!(failures.is_empty(), "{} ids left their segment:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(sent, ops.len() * HOSTILE_IDS.len());
}

#[tokio::test]
async fn empty_and_dot_path_ids_are_refused_before_sending() {
    let spec = spec();
    let server = specmock::start_default(&spec).await;
    let client =
        meibel::Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().unwrap();
    let ops: Vec<Operation> = specmock::operations(&spec)
        .into_iter()
        .filter(|o| o.parameters.iter().any(|p| p.location == "path"))
        .collect();
    let mut refused = 0usize;
    for op in &ops {
        let first = op.parameters.iter().find(|p| p.location == "path").unwrap();
        for id in ["", ".", ".."] {
            let args = args_for(&spec, op, Fill::Full, false, id);
            match __contract::call(&client, &op.operation_id, &args).await {
                Ok(_) => panic!("{} accepted the path id {id:?}", op.operation_id),
                Err(e) => {
                    // The message names a path parameter of this operation.
                    let named = op.parameters.iter().filter(|p| p.location == "path").any(|p| {
                        e.contains(&format!("path parameter `{}`", p.name))
                            || e.contains(&format!("path parameter `{}`", p.name.replace('-', "_")))
                    });
                    assert!(named, "{} {id:?}: {e} (first parameter {})", op.operation_id, first.name);
                    refused += 1;
                }
            }
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "a request was sent");
    assert_eq!(refused, ops.len() * 3);
}
