//! Typed `httpmock` mocks for every operation of the spec, uploads and event streams
//! included.
//!
//! For each operation the emitter writes `<Op>When` and `<Op>Then` wrappers around
//! httpmock's `When` and `Then`, and a method on `MockServerExt` that mounts a mock:
//!
//! * the path matcher accepts any prefix before the operation's path, so a client whose
//!   base URL is `server.url("/v2")` (or any other base path) hits the same mocks;
//! * a matcher per parameter (path ids matched literally, as the client encodes them),
//!   `body(...)` taking what the client's `body(...)` takes (the type or its builder),
//!   a matcher per multipart form field (text value, or file name and contents);
//! * a reply per documented status with its documented body (typed events for event
//!   streams, bytes for binary bodies), and for any status `status(..)`, `detail(..)`
//!   and `json(..)`.
//!
//! A hidden dispatcher mounts the mock of any operation by its operationId from JSON
//! arguments, so that one test covers every operation of whatever spec the crate is
//! built from.

use super::events::{stream_ops, stream_schema};
use super::naming::{method_name, type_name};
use super::normalize::SplitOperation;
use super::typing::value_type;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Characters with a meaning in a regular expression.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A parameter's method name: the generator's rule, never a keyword or a name taken by
/// the wrapper itself.
fn ident_for(name: &str, taken: &[&str]) -> proc_macro2::Ident {
    let snake = method_name(name);
    let snake = if snake.is_empty() { "value".to_string() } else { snake };
    let ok = syn::parse_str::<syn::Ident>(&snake).is_ok() && !taken.contains(&snake.as_str());
    if ok { format_ident!("{}", snake) } else { format_ident!("{}_", snake) }
}

/// The method name for a status code: its reason phrase in snake case.
fn status_method(code: &str) -> Option<&'static str> {
    Some(match code {
        "200" => "ok",
        "201" => "created",
        "202" => "accepted",
        "203" => "non_authoritative_information",
        "204" => "no_content",
        "205" => "reset_content",
        "206" => "partial_content",
        "301" => "moved_permanently",
        "302" => "found",
        "303" => "see_other",
        "304" => "not_modified",
        "307" => "temporary_redirect",
        "308" => "permanent_redirect",
        "400" => "bad_request",
        "401" => "unauthorized",
        "402" => "payment_required",
        "403" => "forbidden",
        "404" => "not_found",
        "405" => "method_not_allowed",
        "406" => "not_acceptable",
        "408" => "request_timeout",
        "409" => "conflict",
        "410" => "gone",
        "411" => "length_required",
        "412" => "precondition_failed",
        "413" => "payload_too_large",
        "415" => "unsupported_media_type",
        "422" => "unprocessable_entity",
        "423" => "locked",
        "424" => "failed_dependency",
        "428" => "precondition_required",
        "429" => "too_many_requests",
        "500" => "internal_server_error",
        "501" => "not_implemented",
        "502" => "bad_gateway",
        "503" => "service_unavailable",
        "504" => "gateway_timeout",
        _ => return None,
    })
}

/// What a documented reply carries.
enum ReplyKind {
    Json(TokenStream),
    Events(proc_macro2::Ident),
    Bytes(String),
    Empty,
}

fn reply_kind(spec: &Value, response: &Value, events: Option<&proc_macro2::Ident>) -> ReplyKind {
    let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
        return ReplyKind::Empty;
    };
    if let (Some(_), Some(e)) = (content.keys().find(|k| k.starts_with("text/event-stream")), events) {
        return ReplyKind::Events(e.clone());
    }
    if let Some((_, media)) =
        content.iter().find(|(k, _)| k.starts_with("application/json") || k.ends_with("+json"))
    {
        return ReplyKind::Json(value_type(spec, media.get("schema").unwrap_or(&Value::Null)));
    }
    let (ct, _) = content.iter().next().expect("not empty");
    ReplyKind::Bytes(ct.clone())
}

struct MockParam {
    wire: String,
    ident: proc_macro2::Ident,
    location: &'static str,
}

/// Emit the mock module body.
pub fn emit(spec: &Value, split: &[SplitOperation], enums: &[String]) -> TokenStream {
    let streams = stream_ops(spec, split);
    let mut trait_fns = Vec::new();
    let mut impl_fns = Vec::new();
    let mut types = Vec::new();
    let mut dispatch = Vec::new();
    // The generator's operations, then the ones the build step emits itself.
    let mut all: Vec<(String, String, Value)> = super::document::operations(spec)
        .map(|(path, http, op)| (path.to_string(), http.to_string(), op.clone()))
        .collect();
    for op in split {
        let known = all
            .iter()
            .any(|(_, _, o)| o.get("operationId").and_then(Value::as_str) == Some(&op.operation_id));
        if !known {
            all.push((op.path.clone(), op.method.to_ascii_lowercase(), op.operation.clone()));
        }
    }
    for (path, http, op) in &all {
        let Some(op_id) = op.get("operationId").and_then(Value::as_str) else { continue };
        let events = streams
            .iter()
            .find(|s| s.operation_id == op_id && stream_schema(op).is_some())
            .map(|s| format_ident!("{}", s.enum_name));
        let one = emit_op(spec, path, http, op_id, op, events.as_ref(), enums);
        trait_fns.push(one.trait_fn);
        impl_fns.push(one.impl_fn);
        types.push(one.types);
        dispatch.push(one.dispatch);
    }
    quote! {
        /// Typed mocks on an [`httpmock::MockServer`], one method per operation.
        pub trait MockServerExt {
            #(#trait_fns)*
        }

        impl MockServerExt for ::httpmock::MockServer {
            #(#impl_fns)*
        }

        /// The `When` and `Then` wrappers of every operation.
        pub mod operations {
            #[allow(unused_imports)]
            use super::*;
            #(#types)*
        }

        /// Mounts the typed mock of `operation_id`, matching the arguments a call through
        /// the contract dispatcher sends and answering `reply`. Returns the mock and the
        /// body it serves, or why it could not be built. Only for the test builds that
        /// compile the dispatcher (hidden feature `__contract`).
        #[doc(hidden)]
        #[cfg(feature = "__contract")]
        pub fn __mock_operation<'a>(
            server: &'a ::httpmock::MockServer,
            operation_id: &str,
            args: &crate::__contract::Args,
            reply: &crate::mock::Reply,
        ) -> ::std::result::Result<(::httpmock::Mock<'a>, crate::mock::Reply), ::std::string::String> {
            #[allow(unused_imports)]
            use crate::__contract::arg;
            let mut failure: ::std::option::Option<::std::string::String> = None;
            let mut served = crate::mock::Reply::Empty;
            let mock = match operation_id {
                #(#dispatch)*
                other => return Err(format!("no mock for operation {other}")),
            };
            match failure {
                Some(e) => Err(e),
                None => Ok((mock, served)),
            }
        }
    }
}

struct OpTokens {
    trait_fn: TokenStream,
    impl_fn: TokenStream,
    types: TokenStream,
    dispatch: TokenStream,
}

/// What the path matcher of every operation accepts before the operation's path: any
/// base path.
const PATH_PREFIX: &str = "^(?:/.*)?";

/// The method names of the `When` wrapper that a parameter must not take.
const TAKEN: [&str; 4] = ["new", "into_inner", "body", "and"];

/// A `When` method and the lines of the dispatcher that call it from JSON arguments.
type Matcher = (TokenStream, TokenStream);

fn emit_op(
    spec: &Value,
    path: &str,
    http: &str,
    op_id: &str,
    op: &Value,
    events: Option<&proc_macro2::Ident>,
    enums: &[String],
) -> OpTokens {
    let pieces = path_pieces(path);
    let mut matchers: Vec<Matcher> = mock_params(op)
        .iter()
        .map(|p| if p.location == "path" { path_matcher(p, &pieces) } else { value_matcher(p) })
        .collect();
    matchers.extend(body_matchers(spec, op, enums));
    let (when_methods, dispatch_when): (Vec<_>, Vec<_>) = matchers.into_iter().unzip();
    let (then_methods, dispatch_then) = replies(spec, op_id, op, events);
    let fn_name = format_ident!("{}", method_name(op_id));
    let when_ident = format_ident!("{}When", type_name(op_id));
    let then_ident = format_ident!("{}Then", type_name(op_id));
    let (trait_fn, impl_fn) = trait_fns(path, http, op_id, op, &when_ident, &then_ident);
    let types = wrapper_types(http, op_id, &pieces, &when_ident, &then_ident, &when_methods, &then_methods);
    let dispatch = quote! {
        #op_id => server.#fn_name(|when, then| {
            #(#dispatch_when)*
            let _ = when;
            #dispatch_then
        }),
    };
    OpTokens { trait_fn, impl_fn, types, dispatch }
}

/// The path template in pieces: literal text (`false`) and parameter names (`true`).
fn path_pieces(path: &str) -> Vec<(bool, String)> {
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}').map(|e| start + e) else { break };
        pieces.push((false, rest[..start].to_string()));
        pieces.push((true, rest[start + 1..end].to_string()));
        rest = &rest[end + 1..];
    }
    pieces.push((false, rest.to_string()));
    pieces
}

/// The path pattern: any prefix, then the template with `[^/]+` for every parameter.
fn any_path_pattern(pieces: &[(bool, String)]) -> String {
    let template: String =
        pieces.iter().map(|(p, t)| if *p { "[^/]+".to_string() } else { regex_escape(t) }).collect();
    format!("{PATH_PREFIX}{template}$")
}

/// The path, query and header parameters of an operation.
fn mock_params(op: &Value) -> Vec<MockParam> {
    let mut params = Vec::new();
    for p in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let wire = p.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => "path",
            Some("query") => "query",
            Some("header") => "header",
            _ => continue,
        };
        params.push(MockParam { ident: ident_for(&wire, &TAKEN), wire, location });
    }
    params
}

/// The matcher of a path parameter (taken literally, as the client encodes it).
fn path_matcher(p: &MockParam, pieces: &[(bool, String)]) -> Matcher {
    let id = &p.ident;
    let wire = &p.wire;
    let mut before = String::from(PATH_PREFIX);
    let mut after = String::new();
    let mut seen = false;
    for (is_param, text) in pieces {
        let piece = if *is_param && text == wire {
            seen = true;
            continue;
        } else if *is_param {
            "[^/]+".to_string()
        } else {
            regex_escape(text)
        };
        if seen { after.push_str(&piece) } else { before.push_str(&piece) }
    }
    after.push('$');
    let doc = format!("Matches the path parameter `{wire}`, taken literally.");
    let when_method = quote! {
        #[doc = #doc]
        pub fn #id(self, value: impl ::std::string::ToString) -> Self {
            let re = format!(
                "{}{}{}",
                #before,
                ::regex::escape(&crate::path::encode_segment(&value.to_string())),
                #after
            );
            Self(self.0.path_matches(::regex::Regex::new(&re).expect("an escaped path is a valid pattern")))
        }
    };
    let dispatch = quote! {
        let when = match args.path.get(#wire) {
            Some(v) => when.#id(crate::mock::text(v)),
            None => when,
        };
    };
    (when_method, dispatch)
}

/// The matchers of a query parameter or header: its value, or its absence.
fn value_matcher(p: &MockParam) -> Matcher {
    let id = &p.ident;
    let wire = &p.wire;
    let query = p.location == "query";
    let (set, missing, what) = if query {
        (quote! { query_param }, quote! { query_param_missing }, "query parameter")
    } else {
        (quote! { header }, quote! { header_missing }, "header")
    };
    let missing_id = format_ident!("{}_missing", id.to_string().trim_end_matches('_'));
    let doc = format!("Matches the {what} `{wire}` with the value the client sends for `value`.");
    let missing_doc = format!("Matches a request without the {what} `{wire}`.");
    let when_method = quote! {
        #[doc = #doc]
        pub fn #id(self, value: impl ::serde::Serialize) -> Self {
            Self(self.0.#set(#wire, crate::mock::text(&value)))
        }
        #[doc = #missing_doc]
        pub fn #missing_id(self) -> Self {
            Self(self.0.#missing(#wire))
        }
    };
    let bucket = if query {
        quote! { query }
    } else {
        quote! { header }
    };
    let dispatch = quote! {
        let when = match args.#bucket.get(#wire) {
            Some(v) => when.#id(v),
            None => when.#missing_id(),
        };
    };
    (when_method, dispatch)
}

/// The matchers of the request body: one per multipart form field, or `body` for JSON.
fn body_matchers(spec: &Value, op: &Value, enums: &[String]) -> Vec<Matcher> {
    let Some(content) = op.pointer("/requestBody/content").and_then(Value::as_object) else {
        return Vec::new();
    };
    if content.keys().any(|k| k.starts_with("multipart/")) {
        return super::typing::form_fields(spec, op, enums)
            .into_iter()
            .map(|(name, kind)| form_matcher(&name, &kind))
            .collect();
    }
    match content.iter().find(|(k, _)| k.starts_with("application/json")) {
        Some((_, media)) => {
            vec![json_body_matcher(&value_type(spec, media.get("schema").unwrap_or(&Value::Null)))]
        }
        None => Vec::new(),
    }
}

fn form_matcher(name: &str, kind: &super::typing::FormKind) -> Matcher {
    let id = ident_for(name, &TAKEN);
    match kind {
        super::typing::FormKind::File | super::typing::FormKind::Files => {
            let doc = format!(
                "Matches a file sent in the form field `{name}` with this file name and these contents \
                 (call it once per file to expect several)."
            );
            let when_method = quote! {
                #[doc = #doc]
                pub fn #id(self, file_name: impl ::std::convert::Into<::std::string::String>, contents: impl ::std::convert::AsRef<[u8]>) -> Self {
                    let file_name = file_name.into();
                    let contents = contents.as_ref().to_vec();
                    Self(self.0.is_true(move |req: &::httpmock::HttpMockRequest| {
                        crate::mock::form_has(req, #name, Some(&file_name), &contents)
                    }))
                }
            };
            let dispatch = quote! {
                let mut when = when;
                for f in args.files.iter().filter(|f| f.field == #name) {
                    when = when.#id(f.file_name.clone(), f.bytes.clone());
                }
            };
            (when_method, dispatch)
        }
        super::typing::FormKind::Value(_) => {
            let doc = format!("Matches the form field `{name}` with the text the client sends for `value`.");
            let when_method = quote! {
                #[doc = #doc]
                pub fn #id(self, value: impl ::serde::Serialize) -> Self {
                    let text = crate::mock::text(&value).into_bytes();
                    Self(self.0.is_true(move |req: &::httpmock::HttpMockRequest| {
                        crate::mock::form_has(req, #name, None, &text)
                    }))
                }
            };
            let dispatch = quote! {
                let when = match args.form.get(#name) {
                    Some(v) => when.#id(v),
                    None => when,
                };
            };
            (when_method, dispatch)
        }
    }
}

fn json_body_matcher(ty: &TokenStream) -> Matcher {
    let when_method = quote! {
        /// Matches the JSON body: takes what the client's `body(...)` takes, the
        /// type or its builder. Panics if a builder misses a required field.
        pub fn body<B>(self, value: B) -> Self
        where
            B: ::std::convert::TryInto<#ty>,
            B::Error: ::std::fmt::Display,
        {
            let value: #ty = crate::mock::built(value);
            Self(self.0.json_body(::serde_json::to_value(&value).expect("a typed body serializes")))
        }
    };
    let dispatch = quote! {
        let when = match &args.body {
            Some(b) => match arg::<#ty>("body", b) {
                Ok(v) => when.body(v),
                Err(e) => { failure = Some(e); when }
            },
            None => when,
        };
    };
    (when_method, dispatch)
}

/// The `Then` methods, one per documented status, and the dispatcher's reply: that of
/// the last documented success.
fn replies(
    spec: &Value,
    op_id: &str,
    op: &Value,
    events: Option<&proc_macro2::Ident>,
) -> (Vec<TokenStream>, TokenStream) {
    let mut then_methods = Vec::new();
    let mut dispatch_then = quote! { let _ = then; };
    let responses = op.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    for (code, response) in &responses {
        let (status, name) = match (code.parse::<u16>(), status_method(code)) {
            (Ok(s), Some(n)) => (s, format_ident!("{}", n)),
            (Ok(s), None) => (s, format_ident!("status_{}", s)),
            _ => continue,
        };
        let doc = match response.get("description").and_then(Value::as_str) {
            Some(d) => format!("Replies {status} with the documented body ({d})."),
            None => format!("Replies {status} with the documented body."),
        };
        let kind = reply_kind(spec, response, events);
        then_methods.push(then_method(&kind, &name, status, &doc));
        if code.starts_with('2') {
            dispatch_then = dispatch_reply(&kind, &name, op_id);
        }
    }
    (then_methods, dispatch_then)
}

/// The `Then` method for one documented status.
fn then_method(kind: &ReplyKind, name: &proc_macro2::Ident, status: u16, doc: &str) -> TokenStream {
    match kind {
        ReplyKind::Json(ty) => quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = "Takes the type or its builder; panics if a builder misses a required field."]
            pub fn #name<V>(self, value: V) -> Self
            where
                V: ::std::convert::TryInto<#ty>,
                V::Error: ::std::fmt::Display,
            {
                let value: #ty = crate::mock::built(value);
                Self(self.0.status(#status).header("content-type", "application/json")
                    .json_body(::serde_json::to_value(&value).expect("a typed reply serializes")))
            }
        },
        ReplyKind::Events(e) => quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = "The events are sent as a `text/event-stream` body, in order."]
            pub fn #name(self, events: impl ::std::iter::IntoIterator<Item = crate::events::#e>) -> Self {
                let events: ::std::vec::Vec<_> = events.into_iter().collect();
                let body = crate::events::to_body(&events).expect("typed events serialize");
                Self(self.0.status(#status).header("content-type", "text/event-stream").body(body))
            }
        },
        ReplyKind::Bytes(ct) => quote! {
            #[doc = #doc]
            pub fn #name(self, body: impl ::std::convert::AsRef<[u8]>) -> Self {
                Self(self.0.status(#status).header("content-type", #ct).body(body.as_ref()))
            }
        },
        ReplyKind::Empty => quote! {
            #[doc = #doc]
            pub fn #name(self) -> Self {
                Self(self.0.status(#status))
            }
        },
    }
}

/// The dispatcher's lines that answer with the reply it was given, through `name`.
fn dispatch_reply(kind: &ReplyKind, name: &proc_macro2::Ident, op_id: &str) -> TokenStream {
    match kind {
        ReplyKind::Json(ty) => quote! {
            match reply {
                crate::mock::Reply::Json(v) => match arg::<#ty>("reply", v) {
                    Ok(v) => {
                        served = crate::mock::Reply::Json(::serde_json::to_value(&v).unwrap_or_default());
                        then.#name(v);
                    }
                    Err(e) => failure = Some(e),
                },
                other => failure = Some(format!("{} answers JSON, not {other:?}", #op_id)),
            }
        },
        ReplyKind::Events(e) => quote! {
            match reply {
                crate::mock::Reply::Events(raw) => {
                    let mut typed = ::std::vec::Vec::new();
                    for r in raw {
                        match <crate::events::#e as crate::events::EventKind>::from_event(r) {
                            Ok(t) => typed.push(t),
                            Err(err) => failure = Some(format!("event {}: {err}", r.event)),
                        }
                    }
                    served = crate::mock::Reply::Events(
                        typed.iter().filter_map(|t| crate::events::EventKind::to_event(t).ok()).collect(),
                    );
                    then.#name(typed);
                }
                other => failure = Some(format!("{} answers events, not {other:?}", #op_id)),
            }
        },
        ReplyKind::Bytes(_) => quote! {
            match reply {
                crate::mock::Reply::Bytes(b) => {
                    served = crate::mock::Reply::Bytes(b.clone());
                    then.#name(b);
                }
                other => failure = Some(format!("{} answers bytes, not {other:?}", #op_id)),
            }
        },
        ReplyKind::Empty => quote! { then.#name(); },
    }
}

/// The operation's method on `MockServerExt`: its declaration and its implementation.
fn trait_fns(
    path: &str,
    http: &str,
    op_id: &str,
    op: &Value,
    when_ident: &proc_macro2::Ident,
    then_ident: &proc_macro2::Ident,
) -> (TokenStream, TokenStream) {
    let fn_name = format_ident!("{}", method_name(op_id));
    let http_upper = http.to_ascii_uppercase();
    let summary = op.get("summary").and_then(Value::as_str).unwrap_or(op_id);
    let method_doc = format!(
        "Mocks [`Client::{fn_name}`](crate::Client::{fn_name}) (`{http_upper} {path}`, {summary}).\n\n\
         Matches `{http_upper}` on the path under any base path; `config` adds matchers \
         to the `When` and sets the reply on the `Then`."
    );
    let trait_fn = quote! {
        #[doc = #method_doc]
        fn #fn_name<F>(&self, config: F) -> ::httpmock::Mock<'_>
        where
            F: FnOnce(operations::#when_ident, operations::#then_ident);
    };
    let impl_fn = quote! {
        fn #fn_name<F>(&self, config: F) -> ::httpmock::Mock<'_>
        where
            F: FnOnce(operations::#when_ident, operations::#then_ident),
        {
            self.mock(|when, then| config(operations::#when_ident::new(when), operations::#then_ident::new(then)))
        }
    };
    (trait_fn, impl_fn)
}

/// The operation's `When` and `Then` wrappers.
fn wrapper_types(
    http: &str,
    op_id: &str,
    pieces: &[(bool, String)],
    when_ident: &proc_macro2::Ident,
    then_ident: &proc_macro2::Ident,
    when_methods: &[TokenStream],
    then_methods: &[TokenStream],
) -> TokenStream {
    let method = format_ident!("{}", http.to_ascii_uppercase());
    let any_re = any_path_pattern(pieces);
    let when_doc = format!("Matchers for a request to `{op_id}`.");
    let then_doc = format!("The reply to a request to `{op_id}`.");
    quote! {
        #[doc = #when_doc]
        pub struct #when_ident(::httpmock::When);

        impl #when_ident {
            /// Wraps `inner`, matching the operation's method and path.
            pub fn new(inner: ::httpmock::When) -> Self {
                Self(inner
                    .method(::httpmock::Method::#method)
                    .path_matches(::regex::Regex::new(#any_re).expect("a generated path pattern is valid")))
            }

            /// httpmock's `When`, for any other matcher.
            pub fn into_inner(self) -> ::httpmock::When {
                self.0
            }

            /// Adds any other httpmock matcher.
            pub fn and(self, f: impl ::std::ops::FnOnce(::httpmock::When) -> ::httpmock::When) -> Self {
                Self(f(self.0))
            }

            #(#when_methods)*
        }

        #[doc = #then_doc]
        pub struct #then_ident(::httpmock::Then);

        impl #then_ident {
            /// Wraps `inner`.
            pub fn new(inner: ::httpmock::Then) -> Self {
                Self(inner)
            }

            /// httpmock's `Then`, for anything else.
            pub fn into_inner(self) -> ::httpmock::Then {
                self.0
            }

            /// Sets the status; combine with [`detail`](Self::detail), [`json`](Self::json)
            /// or a documented reply.
            pub fn status(self, status: u16) -> Self {
                Self(self.0.status(status))
            }

            /// Sets a header of the reply.
            pub fn header(self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.header(name, value))
            }

            /// Replies with FastAPI's plain error body, `{"detail": "<message>"}`, with the
            /// status set by [`status`](Self::status) (200 if none).
            pub fn detail(self, message: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.header("content-type", "application/json")
                    .json_body(::serde_json::json!({ "detail": message.into() })))
            }

            /// Replies with any JSON body, with the status set by [`status`](Self::status).
            pub fn json(self, value: impl ::serde::Serialize) -> Self {
                Self(self.0.header("content-type", "application/json")
                    .json_body(::serde_json::to_value(value).expect("the reply serializes")))
            }

            #(#then_methods)*
        }
    }
}
