//! Typed events for the operations that answer with `text/event-stream`.
//!
//! For each such operation the spec documents its events as the branches (`anyOf` /
//! `oneOf`) of the stream's schema, each an object whose `event` property holds the
//! event's name as a `const` (or a one-value `enum`) and whose `data` property holds its
//! schema. The emitter turns them into one enum per operation, `<Operation>Event`, with a
//! variant per documented event and `Other { event, data }` for the rest, plus a
//! `send_events()` method on the operation's builder that yields them.

use super::document::resolve;
use super::naming::{method_name, type_name, variant_names};
use super::normalize::SplitOperation;
use super::typing::value_type;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// One documented event of a stream.
pub struct EventDef {
    /// The wire name (`event:` field).
    pub name: String,
    /// The Rust variant name.
    pub variant: String,
    /// The Rust type of the data.
    pub data: TokenStream,
    /// The schema's description, if any.
    pub doc: Option<String>,
}

/// One operation answering with an event stream.
pub struct StreamOp {
    /// The operationId.
    pub operation_id: String,
    /// The enum's name.
    pub enum_name: String,
    /// Its documented events.
    pub events: Vec<EventDef>,
}

/// The stream schema of an operation's success response, if it answers with events.
pub fn stream_schema(op: &Value) -> Option<&Value> {
    let responses = op.get("responses")?.as_object()?;
    let (_, success) = responses.iter().find(|(c, _)| c.starts_with('2'))?;
    let content = success.get("content")?.as_object()?;
    let (_, media) = content.iter().find(|(k, _)| k.starts_with("text/event-stream"))?;
    Some(media.get("schema").unwrap_or(&Value::Null))
}

/// The name an event schema gives its events: the `const` (or first `enum` value) of
/// its `event` property.
pub fn event_name(spec: &Value, schema: &Value) -> Option<String> {
    let property = resolve(spec, schema).get("properties")?.get("event")?;
    let property = resolve(spec, property);
    property
        .get("const")
        .or_else(|| property.get("enum")?.as_array()?.first())
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The documented events of a stream schema, in document order; the first schema that
/// names an event wins when two name the same one.
pub fn events_of(spec: &Value, schema: &Value) -> Vec<EventDef> {
    let resolved = resolve(spec, schema);
    let branches: Vec<&Value> = ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| resolved.get(*k).and_then(Value::as_array))
        .map(|a| a.iter().collect())
        .unwrap_or_else(|| vec![schema]);
    let mut named: Vec<(String, &Value)> = Vec::new();
    for branch in branches {
        if let Some(name) = event_name(spec, branch)
            && !named.iter().any(|(n, _)| *n == name)
        {
            named.push((name, branch));
        }
    }
    let wire: Vec<String> = named.iter().map(|(n, _)| n.clone()).collect();
    let variants = variant_names(&wire);
    named
        .into_iter()
        .zip(variants)
        .map(|((name, branch), variant)| {
            let body = resolve(spec, branch);
            let data = match body.get("properties").and_then(|p| p.get("data")) {
                Some(d) => value_type(spec, d),
                None => quote! { ::serde_json::Value },
            };
            let doc = body.get("description").and_then(Value::as_str).map(str::to_string);
            EventDef { name, variant, data, doc }
        })
        .collect()
}

/// Every stream operation of the (normalized) spec, by walking the split operations.
pub fn stream_ops(spec: &Value, split: &[SplitOperation]) -> Vec<StreamOp> {
    split
        .iter()
        .filter_map(|op| {
            let schema = stream_schema(&op.operation)?;
            Some(StreamOp {
                operation_id: op.operation_id.clone(),
                enum_name: format!("{}Event", type_name(&op.operation_id)),
                events: events_of(spec, schema),
            })
        })
        .collect()
}

/// Emit the event enums and the `send_events()` methods.
pub fn emit(spec: &Value, split: &[SplitOperation]) -> TokenStream {
    let items = stream_ops(spec, split)
        .into_iter()
        .filter_map(|s| split.iter().find(|o| o.operation_id == s.operation_id).map(|o| stream_items(&s, o)));
    quote! { #(#items)* }
}

/// The docs of the event enum of `stream`, whose operation has the method `method`.
fn enum_doc(stream: &StreamOp, method: &str) -> String {
    let list = if stream.events.is_empty() {
        "The spec documents no named event for it.".to_string()
    } else {
        let names: Vec<String> = stream.events.iter().map(|e| format!("`{}`", e.name)).collect();
        format!("Documented events: {}.", names.join(", "))
    };
    format!(
        "The events of [`Client::{method}`](crate::Client::{method}), typed as the spec documents them.\n\n{list} \
         An event with another name arrives as `Other`, with its data as text."
    )
}

/// The event enum of one event-stream operation, its `EventKind` impl, and `send_events`
/// on the operation's builder.
fn stream_items(stream: &StreamOp, op: &SplitOperation) -> TokenStream {
    let enum_ident = format_ident!("{}", stream.enum_name);
    let builder_ident = format_ident!("{}", type_name(&op.operation_id));
    let method = method_name(&op.operation_id);
    let names: Vec<&str> = stream.events.iter().map(|e| e.name.as_str()).collect();
    let variants: Vec<_> = stream.events.iter().map(|e| format_ident!("{}", e.variant)).collect();
    let types: Vec<&TokenStream> = stream.events.iter().map(|e| &e.data).collect();
    let docs = stream.events.iter().map(|e| {
        let mut d = format!("The `{}` event.", e.name);
        if let Some(more) = &e.doc {
            d.push_str("\n\n");
            d.push_str(more);
        }
        d
    });
    let enum_doc = enum_doc(stream, &method);
    let send_doc = format!(
        "Sends the request and reads the reply as [`{}`] events (see \
         [`TypedEventStream`](crate::events::TypedEventStream)); `send()` gives the raw events.",
        stream.enum_name
    );
    quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #enum_ident {
            #( #[doc = #docs] #variants(#types), )*
            /// An event this crate does not know, with its raw data.
            Other {
                /// The event's name.
                event: ::std::string::String,
                /// The event's data, as received.
                data: ::std::string::String,
            },
        }

        impl crate::events::EventKind for #enum_ident {
            const NAMES: &'static [&'static str] = &[#(#names),*];

            fn from_event(event: &crate::sse::Event) -> ::std::result::Result<Self, ::serde_json::Error> {
                match event.event.as_str() {
                    #( #names => event.json().map(Self::#variants), )*
                    _ => Ok(Self::Other { event: event.event.clone(), data: event.data.clone() }),
                }
            }

            fn name(&self) -> &str {
                match self {
                    #( Self::#variants(_) => #names, )*
                    Self::Other { event, .. } => event,
                }
            }

            fn data(&self) -> ::std::result::Result<::std::string::String, ::serde_json::Error> {
                match self {
                    #( Self::#variants(d) => ::serde_json::to_string(d), )*
                    Self::Other { data, .. } => Ok(data.clone()),
                }
            }
        }

        impl crate::builder::#builder_ident<'_> {
            #[doc = #send_doc]
            pub async fn send_events(
                self,
            ) -> ::std::result::Result<
                crate::ResponseValue<crate::events::TypedEventStream<#enum_ident>>,
                crate::Error,
            > {
                let reply = self.send().await?;
                let status = reply.status();
                let headers = reply.headers().clone();
                Ok(crate::ResponseValue::new(
                    crate::events::TypedEventStream::new(reply.into_inner()),
                    status,
                    headers,
                ))
            }
        }
    }
}
