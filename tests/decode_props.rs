//! Property tests: decoding untrusted bytes as response types never panics.
//!
//! For each response type below, arbitrary bytes, arbitrary JSON values and mutations
//! of a valid example (built from the vendored spec) are decoded with
//! `serde_json::from_slice` / `from_value`. Decoding must return `Ok` or `Err` without
//! panicking, and whatever decodes must serialize, decode again and serialize to the
//! same JSON. String enums are open: every string decodes as `IngestStatus` and
//! serializes back to itself.

#[path = "../src/mock/spec.rs"]
mod specmock;

use std::sync::OnceLock;

use meibel::types;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use specmock::Fill;

const CASES: u32 = 256;

fn config() -> Config {
    // No regression files are written next to the sources.
    Config { cases: CASES, failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------------------
// The types under test
// ---------------------------------------------------------------------------

/// Decode `bytes` as `T` and, when that succeeds, check that the value round-trips.
/// Returns whether it decoded.
fn check<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let Ok(decoded) = serde_json::from_slice::<T>(bytes) else { return Ok(false) };
    let once = serde_json::to_value(&decoded).map_err(|e| TestCaseError::fail(format!("serialize: {e}")))?;
    let again: T = serde_json::from_value(once.clone())
        .map_err(|e| TestCaseError::fail(format!("re-decode of {once}: {e}")))?;
    let twice = serde_json::to_value(&again).map_err(|e| TestCaseError::fail(format!("serialize: {e}")))?;
    prop_assert_eq!(once, twice);
    Ok(true)
}

/// [`check`] on the serialized `value`, plus: decoding the `Value` directly agrees.
/// (Only for values: raw bytes may hold duplicate keys, which `from_slice` rejects
/// for structs while a `Value` keeps the last one.)
fn check_value<T: DeserializeOwned + Serialize>(value: &Value) -> Result<bool, TestCaseError> {
    let from_bytes = check::<T>(&serde_json::to_vec(value).unwrap())?;
    let from_value = serde_json::from_value::<T>(value.clone()).is_ok();
    prop_assert_eq!(from_bytes, from_value, "bytes and Value decoding disagree on {}", value);
    Ok(from_bytes)
}

struct Target {
    /// Name of the component schema in the spec.
    schema: &'static str,
    check: fn(&[u8]) -> Result<bool, TestCaseError>,
    check_value: fn(&Value) -> Result<bool, TestCaseError>,
}

macro_rules! target {
    ($schema:literal, $ty:ty) => {
        Target { schema: $schema, check: check::<$ty>, check_value: check_value::<$ty> }
    };
}

const TARGETS: &[Target] = &[
    target!("BatchExecutionResponse", types::BatchExecutionResponse),
    target!("DatasourceResponse", types::DatasourceResponse),
    target!("AgentDetailResponse", types::AgentDetailResponse),
    target!("IngestStatusResponse", types::IngestStatusResponse),
    target!("DataElementListResponse", types::DataElementListResponse),
    target!("HTTPValidationError", types::HttpValidationError),
    target!("ParseStructuredDocument", types::ParseStructuredDocument),
    target!("IngestStatus", types::IngestStatus),
];

/// [`check`] with a comparable error, for plain tests.
fn outcome(check: fn(&[u8]) -> Result<bool, TestCaseError>, bytes: &[u8]) -> Result<bool, String> {
    check(bytes).map_err(|e| e.to_string())
}

fn decode_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    for target in TARGETS {
        (target.check)(bytes)?;
    }
    Ok(())
}

fn decode_all_values(value: &Value) -> Result<(), TestCaseError> {
    for target in TARGETS {
        (target.check_value)(value)?;
    }
    Ok(())
}

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/api-v2.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("spec is readable")).expect("spec is JSON")
    })
}

/// Valid examples of every target, in the three fill modes.
fn examples() -> &'static Vec<Vec<Value>> {
    static EXAMPLES: OnceLock<Vec<Vec<Value>>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        TARGETS
            .iter()
            .map(|t| {
                [Fill::Full, Fill::Nulls, Fill::Minimal]
                    .into_iter()
                    .map(|fill| {
                        specmock::component_example(spec(), t.schema, fill)
                            .unwrap_or_else(|| panic!("no schema {}", t.schema))
                    })
                    .collect()
            })
            .collect()
    })
}

#[test]
fn valid_examples_decode() {
    for (target, examples) in TARGETS.iter().zip(examples()) {
        for example in examples {
            let bytes = serde_json::to_vec(example).unwrap();
            assert_eq!(
                outcome(target.check, &bytes),
                Ok(true),
                "{} does not decode {example}",
                target.schema
            );
            let schema = specmock::component_schema(spec(), target.schema).unwrap();
            let extended = specmock::with_unknown_field_in(spec(), schema, example.clone());
            let bytes = serde_json::to_vec(&extended).unwrap();
            assert_eq!(
                outcome(target.check, &bytes),
                Ok(true),
                "{} rejects unknown fields: {extended}",
                target.schema
            );
        }
    }
}

#[test]
fn required_and_optional_fields() {
    let ds = check::<types::DatasourceResponse>;
    let full = &examples()[1][0];
    let without = |key: &str| {
        let mut v = full.clone();
        v.as_object_mut().unwrap().remove(key).unwrap_or_else(|| panic!("example has {key}"));
        serde_json::to_vec(&v).unwrap()
    };
    assert_eq!(outcome(ds, &without("id")), Ok(false), "id is required");
    assert_eq!(outcome(ds, &without("connector")), Ok(false), "connector is required");
    assert_eq!(outcome(ds, &without("last_sync_at")), Ok(true), "last_sync_at is optional");
    let mut v = full.clone();
    v["last_sync_at"] = Value::Null;
    assert_eq!(outcome(ds, &serde_json::to_vec(&v).unwrap()), Ok(true), "last_sync_at is nullable");
    v["id"] = json!(7);
    assert_eq!(outcome(ds, &serde_json::to_vec(&v).unwrap()), Ok(false), "id must be a string");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let arrays = "[".repeat(depth);
    let objects = r#"{"detail":"#.repeat(depth);
    decode_all(arrays.as_bytes()).unwrap();
    decode_all(objects.as_bytes()).unwrap();
    // Deep but closed nesting inside a free-form field.
    let mut value = json!(1);
    for _ in 0..1000 {
        value = json!([value]);
    }
    let mut example = examples()[0][0].clone();
    example["batch_spec_json"] = json!({ "deep": value });
    let batch = check::<types::BatchExecutionResponse>;
    assert_eq!(outcome(batch, &serde_json::to_vec(&example).unwrap()), Ok(false));
    // serde_json's recursion limit is 128; well below it decoding succeeds.
    let mut shallow = json!(1);
    for _ in 0..100 {
        shallow = json!([shallow]);
    }
    example["batch_spec_json"] = json!({ "deep": shallow });
    assert_eq!(outcome(batch, &serde_json::to_vec(&example).unwrap()), Ok(true));
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// Property names of the types under test, so that generated objects often hit them.
const KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "status",
    "detail",
    "loc",
    "msg",
    "type",
    "input",
    "ctx",
    "items",
    "next_cursor",
    "has_next",
    "connector",
    "web_crawl",
    "database",
    "cloud_storage",
    "created_at",
    "updated_at",
    "start_time",
    "end_time",
    "datasource_id",
    "pages",
    "confidence",
    "num_pages",
    "elements",
    "page_bbox",
    "page_number",
    "batch_spec_json",
    "agent_spec_json",
    "total_items",
    "version",
    "catalog_urn",
    "display_name",
    "",
    "\u{0}",
    "é",
];

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![3 => proptest::sample::select(KEYS).prop_map(str::to_string), 1 => ".{0,8}"]
}

fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(vec![0.0, -0.0, 1.5, 1e308, -1e-308, 9.007_199_254_740_993e15])
            .prop_map(Value::from),
    ]
}

fn json_string() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,16}".prop_map(Value::String),
        proptest::sample::select(vec![
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.123456+02:00",
            "not a date",
            "9999-12-31T23:59:59Z",
            "running",
            "web_crawl",
            "",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), json_number(), json_string()]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((json_key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Bytes drawn from JSON's own alphabet, to get deeper into the parser than random
/// bytes do.
fn json_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let tokens = vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "null",
        "true",
        "false",
        "-",
        "0",
        "1",
        "1e999",
        ".5",
        "\"id\"",
        "\"detail\"",
        "\"items\"",
        "\"status\"",
        " ",
        "\n",
        "\u{feff}",
        "\u{0}",
        "\u{ff}",
    ];
    proptest::collection::vec(proptest::sample::select(tokens), 0..48).prop_map(|t| t.concat().into_bytes())
}

/// One change to a JSON tree; `at` picks the node (modulo the node count).
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Value),
    Remove,
    Null,
    Stringify,
    WrapInArray,
    AddKey(String, Value),
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let op = prop_oneof![
        3 => json_value().prop_map(Mutation::Replace),
        2 => Just(Mutation::Remove),
        2 => Just(Mutation::Null),
        1 => Just(Mutation::Stringify),
        1 => Just(Mutation::WrapInArray),
        1 => (json_key(), json_value()).prop_map(|(k, v)| Mutation::AddKey(k, v)),
    ];
    (any::<usize>(), op)
}

/// JSON pointers of every node of `value`, the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            out.push(at.clone());
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}

fn apply(root: &mut Value, at: usize, mutation: Mutation) {
    let mut all = Vec::new();
    pointers(root, String::new(), &mut all);
    let pointer = &all[at % all.len()];
    if let Mutation::Remove = mutation {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            *root = Value::Null;
            return;
        };
        let last = last.replace("~1", "/").replace("~0", "~");
        match root.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&last);
            }
            Some(Value::Array(items)) => {
                if let Ok(i) = last.parse::<usize>() {
                    items.remove(i);
                }
            }
            _ => {}
        }
        return;
    }
    let node = root.pointer_mut(pointer).expect("pointer from the same tree");
    match mutation {
        Mutation::Replace(v) => *node = v,
        Mutation::Null => *node = Value::Null,
        Mutation::Stringify => *node = Value::String(node.to_string()),
        Mutation::WrapInArray => *node = Value::Array(vec![node.take()]),
        Mutation::AddKey(k, v) => {
            if let Value::Object(map) = node {
                map.insert(k, v);
            } else {
                *node = json!({ k: v });
            }
        }
        Mutation::Remove => unreachable!(),
    }
}

/// A byte-level edit of a serialized example.
#[derive(Clone, Debug)]
enum ByteEdit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<usize>().prop_map(ByteEdit::Delete),
        any::<usize>().prop_map(ByteEdit::Truncate),
    ]
}

fn edit(bytes: &mut Vec<u8>, e: &ByteEdit) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match *e {
        ByteEdit::Flip(i, b) => bytes[i % n] ^= b,
        ByteEdit::Insert(i, b) => bytes.insert(i % (n + 1), b),
        ByteEdit::Delete(i) => {
            bytes.remove(i % n);
        }
        ByteEdit::Truncate(i) => bytes.truncate(i % n),
    }
}

fn example_choice() -> impl Strategy<Value = (usize, usize)> {
    (0..TARGETS.len(), 0..3usize)
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes)?;
    }

    #[test]
    fn json_alphabet_bytes_never_panic(bytes in json_ish_bytes()) {
        decode_all(&bytes)?;
    }

    #[test]
    fn arbitrary_json_values_never_panic(value in json_value()) {
        decode_all_values(&value)?;
    }

    #[test]
    fn mutated_examples_never_panic(
        (target, fill) in example_choice(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut value = examples()[target][fill].clone();
        for (at, m) in mutations {
            apply(&mut value, at, m);
        }
        (TARGETS[target].check_value)(&value)?;
    }

    #[test]
    fn byte_edited_examples_never_panic(
        (target, fill) in example_choice(),
        edits in proptest::collection::vec(byte_edit(), 1..6),
    ) {
        let mut bytes = serde_json::to_vec(&examples()[target][fill]).unwrap();
        for e in &edits {
            edit(&mut bytes, e);
        }
        (TARGETS[target].check)(&bytes)?;
    }

    #[test]
    fn any_string_is_an_ingest_status_and_round_trips(
        s in prop_oneof![
            any::<String>(),
            proptest::sample::select(types::IngestStatus::KNOWN).prop_map(str::to_string),
            proptest::sample::select(types::IngestStatus::KNOWN).prop_map(|k| k.to_uppercase()),
            proptest::sample::select(types::IngestStatus::KNOWN).prop_map(|k| format!(" {k}")),
        ]
    ) {
        let wire = serde_json::to_string(&s).unwrap();
        let status: types::IngestStatus = serde_json::from_str(&wire).unwrap();
        prop_assert_eq!(status.as_str(), s.as_str());
        prop_assert_eq!(status.is_other(), !types::IngestStatus::KNOWN.contains(&s.as_str()));
        prop_assert_eq!(serde_json::to_string(&status).unwrap(), wire);
        let via_value: types::IngestStatus = serde_json::from_value(Value::String(s.clone())).unwrap();
        prop_assert_eq!(&via_value, &status);
        prop_assert_eq!(status, types::IngestStatus::from(s.as_str()));
    }

    #[test]
    fn escaped_strings_decode_as_ingest_status(s in ".{0,12}") {
        // Every character escaped as \uXXXX (surrogate pairs where needed).
        let escaped: String = s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
        let status: types::IngestStatus = serde_json::from_str(&format!("\"{escaped}\"")).unwrap();
        prop_assert_eq!(status.as_str(), s.as_str());
    }

    #[test]
    fn non_strings_are_not_ingest_statuses(value in json_value()) {
        let decoded = serde_json::from_value::<types::IngestStatus>(value.clone());
        prop_assert_eq!(decoded.is_ok(), value.is_string());
    }
}
