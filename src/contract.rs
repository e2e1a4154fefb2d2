//! Support for contract tests: call any operation of the spec by its operationId, with
//! arguments given as JSON. Hidden from the docs and not covered by semver.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One file of a multipart request.
#[derive(Debug, Clone)]
pub struct FileArg {
    /// The form field.
    pub field: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The file name.
    pub file_name: String,
}

/// Arguments of one call, by where they go.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Path parameters.
    pub path: Map<String, Value>,
    /// Query parameters.
    pub query: Map<String, Value>,
    /// Header parameters.
    pub header: Map<String, Value>,
    /// Cookie parameters.
    pub cookie: Map<String, Value>,
    /// The JSON body.
    pub body: Option<Value>,
    /// Multipart text fields.
    pub form: Map<String, Value>,
    /// Multipart files.
    pub files: Vec<FileArg>,
}

/// What a call returned.
#[derive(Debug)]
pub enum Outcome {
    /// A decoded JSON reply, serialized back to JSON.
    Json(Value),
    /// A binary reply.
    Bytes(Vec<u8>),
    /// The events of a stream.
    Events(Vec<crate::sse::Event>),
    /// No body.
    Empty,
}

/// Decode an argument into the type its setter takes.
pub fn arg<T: DeserializeOwned>(name: &str, v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| format!("argument {name}: {e}"))
}

/// An error as text, with its status when it has one.
pub fn render(e: &crate::Error) -> String {
    match e.status() {
        Some(s) => format!("status {}: {e}", s.as_u16()),
        None => e.to_string(),
    }
}

pub use crate::generated::contract::dispatch::{OPERATION_IDS, call};
