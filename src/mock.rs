//! Typed mocks for testing code that uses this crate (feature `mock`).
//!
//! Every operation of the spec gets a method on [`httpmock::MockServer`] through
//! [`MockServerExt`], named like the client's method, uploads and event streams
//! included. Its `When` has a matcher per parameter, `body(...)` for a JSON body (taking
//! what the client's `body(...)` takes, the type or its builder) and a matcher per form
//! field of an upload (a text value, or a file's name and contents); its `Then` has a
//! reply per documented status (`ok(...)`, `unprocessable_entity(...)`, typed events for
//! a stream), and for any status [`status`](operations::GetDatasourceThen::status) with
//! [`detail`](operations::GetDatasourceThen::detail) or
//! [`json`](operations::GetDatasourceThen::json).
//!
//! Paths match under any base path: a client built with `base_url(server.url("/v2"))`
//! reaches the same mocks as one built with `base_url(server.base_url())`. Path ids match
//! literally, as the client encodes them (an id with spaces, dots or brackets matches
//! itself only).
//!
//! ```
//! use meibel::mock::MockServerExt;
//! use meibel::types;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let server = httpmock::MockServer::start_async().await;
//! let found = server.get_ingest_status(|when, then| {
//!     when.datasource_id("ds_1");
//!     then.ok(types::IngestStatusResponse::builder()
//!         .datasource_id("ds_1")
//!         .status(types::IngestStatus::Completed));
//! });
//! let missing = server.get_datasource(|when, then| {
//!     when.datasource_id("nope");
//!     then.status(404).detail("no such thing");
//! });
//! let client = meibel::Client::builder().api_key("test").base_url(server.url("/v2")).build().unwrap();
//!
//! let status = client.get_ingest_status().datasource_id("ds_1").send().await.unwrap();
//! assert_eq!(status.status, types::IngestStatus::Completed);
//! let err = client.get_datasource().datasource_id("nope").send().await.unwrap_err();
//! assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
//! assert_eq!(err.message(), Some("no such thing"));
//! found.assert();
//! missing.assert();
//! # });
//! ```
//!
//! Uploads and streams:
//!
//! ```
//! use futures_util::TryStreamExt;
//! use meibel::events::SendChatMessageStreamEvent as Chat;
//! use meibel::mock::MockServerExt;
//! use meibel::upload::FilePart;
//! use serde_json::json;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let server = httpmock::MockServer::start_async().await;
//! let upload = server.upload_content(|when, then| {
//!     when.datasource_id("ds_1").files("notes.md", "# Notes");
//!     // Any JSON, when the typed reply is not wanted:
//!     then.status(200).json(json!({
//!         "success": true, "message": "accepted", "datasource_id": "ds_1",
//!         "upload_id": "up_1", "sse_url": "/datasources/uploads/up_1/progress"
//!     }));
//! });
//! let chat = server.send_chat_message_stream(|when, then| {
//!     when.session_id("s_1").user_message("hello");
//!     then.ok([Chat::PartialResponse(json!({"text": "hi"})), Chat::Completion(json!({}))]);
//! });
//! let client = meibel::Client::builder().api_key("test").base_url(server.url("/v2")).build().unwrap();
//!
//! let reply = client
//!     .upload_content()
//!     .datasource_id("ds_1")
//!     .files([FilePart::bytes(&b"# Notes"[..], "notes.md")])
//!     .send()
//!     .await
//!     .unwrap();
//! assert_eq!(reply.upload_id, "up_1");
//! let events: Vec<_> = client
//!     .send_chat_message_stream()
//!     .session_id("s_1")
//!     .user_message("hello")
//!     .send_events()
//!     .await
//!     .unwrap()
//!     .into_inner()
//!     .try_collect()
//!     .await
//!     .unwrap();
//! assert!(matches!(&events[0].event, Chat::PartialResponse(d) if d["text"] == "hi"));
//! assert!(matches!(&events[1].event, Chat::Completion(_)));
//! upload.assert();
//! chat.assert();
//! # });
//! ```

use serde::Serialize;

pub mod spec;

/// The text of the spec this crate was built from, for [`spec`].
pub const SPEC: &str = include_str!(concat!(env!("OUT_DIR"), "/meibel_spec.json"));

#[allow(clippy::all, missing_docs, unused_imports, unused_variables, unused_mut)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/meibel_mock.rs"));
}

#[doc(hidden)]
#[cfg(feature = "__contract")]
pub use generated::__mock_operation;
pub use generated::{MockServerExt, operations};

/// A reply served by a mock mounted through the hidden dispatcher.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A JSON body.
    Json(serde_json::Value),
    /// Events of a stream.
    Events(Vec<crate::sse::Event>),
    /// A binary body.
    Bytes(Vec<u8>),
    /// No body.
    Empty,
}

/// The text the client sends for `value` in a query parameter, a header or a form field:
/// a string as it is, anything else as its JSON text.
#[doc(hidden)]
pub fn text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => panic!("a mock matcher's value does not serialize: {e}"),
    }
}

/// Builds a typed value from what the client's setters take; a builder that misses a
/// required field is a mistake in the test, reported at once.
#[doc(hidden)]
pub fn built<T, V>(value: V) -> T
where
    V: TryInto<T>,
    V::Error: std::fmt::Display,
{
    match value.try_into() {
        Ok(v) => v,
        Err(e) => panic!("a mock's value could not be built: {e}"),
    }
}

/// Whether the multipart body of `req` has a part named `field` (with `file_name`, if
/// given) whose contents are `contents`.
#[doc(hidden)]
pub fn form_has(
    req: &httpmock::HttpMockRequest,
    field: &str,
    file_name: Option<&str>,
    contents: &[u8],
) -> bool {
    let headers = req.headers();
    let Some(boundary) = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').find_map(|p| p.trim().strip_prefix("boundary=")))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return false;
    };
    let body = req.body().to_vec();
    parts(&body, &boundary).iter().any(|p| {
        p.name.as_deref() == Some(field)
            && (file_name.is_none() || p.file_name.as_deref() == file_name)
            && p.body == contents
    })
}

struct Part<'a> {
    name: Option<String>,
    file_name: Option<String>,
    body: &'a [u8],
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    memchr::memmem::find(&haystack[from..], needle).map(|i| i + from)
}

/// The parts of a multipart body, each with its name and file name.
fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    let Some(mut at) = find(body, delimiter.as_bytes(), 0) else { return out };
    loop {
        let start = at + delimiter.len();
        if body[start..].starts_with(b"--") {
            break;
        }
        let Some(next) = find(body, format!("\r\n{delimiter}").as_bytes(), start) else { break };
        let part = &body[start..next];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        if let Some(split) = find(part, b"\r\n\r\n", 0) {
            let head = String::from_utf8_lossy(&part[..split]);
            let disposition = head
                .split("\r\n")
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
                .unwrap_or_default();
            out.push(Part {
                name: param(disposition, "name"),
                file_name: param(disposition, "filename"),
                body: &part[split + 4..],
            });
        }
        at = next + 2;
    }
    out
}

/// A `key="value"` parameter of a header.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.eq_ignore_ascii_case(key)).then(|| v.trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_form() {
        let body = b"--b1\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.md\"\r\nContent-Type: text/markdown\r\n\r\n# A\r\n--b1\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b1--\r\n";
        let p = parts(body, "b1");
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_deref(), p[0].file_name.as_deref(), p[0].body),
            (Some("files"), Some("a.md"), &b"# A"[..])
        );
        assert_eq!(
            (p[1].name.as_deref(), p[1].file_name.as_deref(), p[1].body),
            (Some("note"), None, &b"hi"[..])
        );
        assert!(parts(b"garbage", "b1").is_empty());
    }

    #[test]
    fn text_as_sent() {
        assert_eq!(text("a b"), "a b");
        assert_eq!(text(&3), "3");
        assert_eq!(text(&true), "true");
    }
}
