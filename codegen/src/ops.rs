//! Methods for the operations the generator cannot take: multipart/form-data request
//! bodies and text/event-stream responses. They follow the generator's calling style
//! (`client.op().param(v).send().await`) and run through the same hooks, so that
//! authentication, retries and error decoding are the same as for every other method.

use super::enums::type_name;
use super::extras::method_name;
use super::normalize::{SpecError, SplitOperation};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// The Rust type of a scalar-ish schema used in a parameter or a form field.
#[derive(Debug, Clone, PartialEq)]
enum FieldType {
    Text,
    Integer,
    Number,
    Boolean,
    /// An open enum component.
    Named(String),
    File,
    Files,
    /// An array of scalars: one value per item (repeated query keys or form fields).
    List(Box<FieldType>),
    /// Anything else: strings as they are, other values as JSON text.
    Json,
}

impl FieldType {
    fn rust(&self) -> TokenStream {
        match self {
            FieldType::Text => quote! { ::std::string::String },
            FieldType::Integer => quote! { i64 },
            FieldType::Number => quote! { f64 },
            FieldType::Boolean => quote! { bool },
            FieldType::Named(n) => {
                let id = format_ident!("{}", n);
                quote! { crate::types::#id }
            }
            FieldType::File => quote! { crate::upload::FilePart },
            FieldType::Files => quote! { ::std::vec::Vec<crate::upload::FilePart> },
            FieldType::List(inner) => {
                let inner = inner.rust();
                quote! { ::std::vec::Vec<#inner> }
            }
            FieldType::Json => quote! { ::serde_json::Value },
        }
    }
}

fn component<'a>(spec: &'a Value, reference: &str) -> Option<(&'a str, &'a Value)> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    let (k, v) = spec.pointer("/components/schemas")?.as_object()?.get_key_value(name)?;
    Some((k.as_str(), v))
}

fn ref_of(schema: &Value) -> Option<&str> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return Some(r);
    }
    let all = schema.get("allOf")?.as_array()?;
    if all.len() == 1 { all[0].get("$ref").and_then(Value::as_str) } else { None }
}

fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

fn field_type(spec: &Value, schema: &Value, enums: &[String]) -> FieldType {
    if let Some(r) = ref_of(schema) {
        if let Some((name, target)) = component(spec, r) {
            let rust = type_name(name);
            if enums.contains(&rust) {
                return FieldType::Named(rust);
            }
            return field_type(spec, target, enums);
        }
        return FieldType::Json;
    }
    if is_binary(schema) {
        return FieldType::File;
    }
    if schema.get("type").and_then(Value::as_str) == Some("array")
        && schema.get("items").is_some_and(is_binary)
    {
        return FieldType::Files;
    }
    if schema.get("type").and_then(Value::as_str) == Some("array")
        && let Some(items) = schema.get("items")
    {
        let inner = field_type(spec, items, enums);
        return match inner {
            FieldType::File | FieldType::Files | FieldType::List(_) => FieldType::Json,
            other => FieldType::List(Box::new(other)),
        };
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => FieldType::Text,
        Some("integer") => FieldType::Integer,
        Some("number") => FieldType::Number,
        Some("boolean") => FieldType::Boolean,
        _ => FieldType::Json,
    }
}

/// The Rust type of a response or body schema.
pub(super) fn value_type(spec: &Value, schema: &Value) -> TokenStream {
    if let Some(r) = ref_of(schema)
        && let Some((name, _)) = component(spec, r)
    {
        let id = format_ident!("{}", type_name(name));
        return quote! { crate::types::#id };
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let inner = value_type(spec, schema.get("items").unwrap_or(&Value::Null));
            quote! { ::std::vec::Vec<#inner> }
        }
        Some("string") if !is_binary(schema) => quote! { ::std::string::String },
        Some("integer") => quote! { i64 },
        Some("number") => quote! { f64 },
        Some("boolean") => quote! { bool },
        _ => quote! { ::serde_json::Value },
    }
}

fn ident_for(name: &str) -> proc_macro2::Ident {
    let snake = method_name(name);
    let snake = if snake.is_empty() { "value".to_string() } else { snake };
    match syn::parse_str::<syn::Ident>(&snake) {
        Ok(_) if snake != "self" && snake != "client" => format_ident!("{}", snake),
        _ => format_ident!("{}_", snake),
    }
}

struct Param {
    wire: String,
    ident: proc_macro2::Ident,
    ty: FieldType,
    required: bool,
    location: &'static str,
    doc: Option<String>,
}

/// The text of one list item (`item` is a reference to it).
fn item_text(inner: &FieldType) -> TokenStream {
    match inner {
        FieldType::Json => text_value(&format_ident!("item"), inner),
        _ => quote! { item.to_string() },
    }
}

fn text_value(ident: &proc_macro2::Ident, ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Json => quote! {
            match &#ident { ::serde_json::Value::String(s) => s.clone(), other => other.to_string() }
        },
        FieldType::List(inner) => {
            let each = item_text(inner);
            quote! { #ident.iter().map(|item| #each).collect::<::std::vec::Vec<_>>().join(",") }
        }
        FieldType::Text => quote! { #ident },
        _ => quote! { #ident.to_string() },
    }
}

/// Emit methods and builders for the split operations.
pub fn emit(spec: &Value, split: &[SplitOperation], enums: &[String]) -> Result<TokenStream, SpecError> {
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in split {
        let (m, b) = emit_one(spec, op, enums)?;
        methods.push(m);
        builders.push(b);
    }
    Ok(quote! {
        impl crate::Client {
            #(#methods)*
        }

        /// Builders for the methods that send multipart bodies or read event streams.
        pub mod builder {
            #[allow(unused_imports)]
            use progenitor_client::{ClientInfo, ResponseValue};
            #(#builders)*
        }
    })
}

fn emit_one(
    spec: &Value,
    op: &SplitOperation,
    enums: &[String],
) -> Result<(TokenStream, TokenStream), SpecError> {
    let o = &op.operation;
    let ptr = format!("/paths/{}/{}", super::normalize::ptr_token(&op.path), op.method);
    let fn_name = format_ident!("{}", op.method_name);
    let struct_name = format_ident!("{}", type_name(&op.method_name));
    let op_id = &op.operation_id;
    let summary = o.get("summary").and_then(Value::as_str).unwrap_or(op_id);
    let description = o.get("description").and_then(Value::as_str);

    // Parameters.
    let mut params: Vec<Param> = Vec::new();
    for (i, p) in o.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => "path",
            Some("query") => "query",
            Some("header") => "header",
            Some("cookie") => "cookie",
            _ => continue,
        };
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let ty = field_type(spec, &schema, enums);
        if matches!(ty, FieldType::File | FieldType::Files) {
            return Err(SpecError {
                pointer: format!("{ptr}/parameters/{i}"),
                message: "a binary parameter cannot be sent".into(),
            });
        }
        params.push(Param {
            wire: name.to_string(),
            ident: ident_for(name),
            ty,
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false) || location == "path",
            location,
            doc: p.get("description").and_then(Value::as_str).map(str::to_string),
        });
    }

    // Request body: multipart fields or a JSON value.
    let mut form_fields: Vec<Param> = Vec::new();
    let mut json_body: Option<(TokenStream, bool)> = None;
    if let Some(content) = o.pointer("/requestBody/content").and_then(Value::as_object) {
        let body_required = o.pointer("/requestBody/required").and_then(Value::as_bool).unwrap_or(false);
        if let Some((ct, media)) = content.iter().find(|(k, _)| k.starts_with("multipart/")) {
            let schema = media.get("schema").cloned().unwrap_or(Value::Null);
            let resolved = match ref_of(&schema) {
                Some(r) => component(spec, r).map(|(_, s)| s.clone()).ok_or_else(|| SpecError {
                    pointer: format!("{ptr}/requestBody/content/{}/schema", super::normalize::ptr_token(ct)),
                    message: format!("{r} does not resolve"),
                })?,
                None => schema,
            };
            let required: Vec<&str> = resolved
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (name, fs) in resolved.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if params.iter().any(|p| p.wire == *name) {
                    continue;
                }
                form_fields.push(Param {
                    wire: name.clone(),
                    ident: ident_for(name),
                    ty: field_type(spec, fs, enums),
                    required: required.contains(&name.as_str()),
                    location: "form",
                    doc: fs.get("description").and_then(Value::as_str).map(str::to_string),
                });
            }
        } else if let Some(media) = content.get("application/json") {
            let schema = media.get("schema").cloned().unwrap_or(Value::Null);
            json_body = Some((value_type(spec, &schema), body_required));
        }
    }

    // Success response and error type.
    let responses = o.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    let success = responses.iter().find(|(code, _)| code.starts_with('2'));
    let (success_code, success_resp) = match success {
        Some((c, r)) => (c.parse::<u16>().unwrap_or(200), r.clone()),
        None => {
            return Err(SpecError { pointer: format!("{ptr}/responses"), message: "no 2xx response".into() });
        }
    };
    let success_content = success_resp.get("content").and_then(Value::as_object);
    let is_stream = success_content.is_some_and(|c| c.keys().any(|k| k.starts_with("text/event-stream")));
    let (ok_type, accept, decode) = if is_stream {
        (
            quote! { crate::sse::EventStream },
            "text/event-stream",
            quote! {
                let status = response.status();
                let headers = response.headers().clone();
                let idle = client.inner().stream_idle_timeout();
                let events = crate::sse::EventStream::from_response(response, idle)
                    .with_max_event_bytes(client.inner().max_event_bytes());
                Ok(ResponseValue::new(events, status, headers))
            },
        )
    } else if let Some(schema) =
        success_content.and_then(|c| c.get("application/json")).and_then(|m| m.get("schema"))
    {
        (value_type(spec, schema), "application/json", quote! { call.json(response).await })
    } else {
        (
            quote! { () },
            "*/*",
            quote! { Ok(ResponseValue::new((), response.status(), response.headers().clone())) },
        )
    };
    let error_schema = responses
        .iter()
        .find(|(code, _)| code.starts_with('4') || code.starts_with('5'))
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"))
        .cloned();
    let err_arms = match &error_schema {
        Some(s) => {
            let t = value_type(spec, s);
            let codes: Vec<u16> = responses
                .keys()
                .filter(|c| c.starts_with('4') || c.starts_with('5'))
                .filter_map(|c| c.parse().ok())
                .collect();
            quote! { #(#codes)|* => Err(call.error_json::<#t>(response).await), }
        }
        None => quote! {},
    };

    // Builder fields and setters.
    let all: Vec<&Param> = params.iter().chain(form_fields.iter()).collect();
    let fields = all.iter().map(|p| {
        let id = &p.ident;
        let ty = p.ty.rust();
        match p.ty {
            FieldType::Files => quote! { #id: #ty },
            _ => quote! { #id: ::std::option::Option<#ty> },
        }
    });
    let inits = all.iter().map(|p| {
        let id = &p.ident;
        match p.ty {
            FieldType::Files => quote! { #id: ::std::vec::Vec::new() },
            _ => quote! { #id: None },
        }
    });
    let setters = all.iter().map(|p| {
        let id = &p.ident;
        let ty = p.ty.rust();
        let what = match p.location {
            "path" => "path parameter",
            "query" => "query parameter",
            "header" => "header",
            "cookie" => "cookie",
            _ => "form field",
        };
        let req = if p.required { "required" } else { "optional" };
        let mut doc = format!("Sets the {req} {what} `{}`.", p.wire);
        if let Some(d) = &p.doc {
            doc.push_str("\n\n");
            doc.push_str(d);
        }
        match p.ty {
            FieldType::Files => quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = "Each call adds to the files already set; every file is sent as its own part."]
                pub fn #id<I, F>(mut self, files: I) -> Self
                where I: ::std::iter::IntoIterator<Item = F>, F: ::std::convert::Into<crate::upload::FilePart> {
                    self.#id.extend(files.into_iter().map(::std::convert::Into::into));
                    self
                }
            },
            FieldType::File => quote! {
                #[doc = #doc]
                pub fn #id(mut self, file: impl ::std::convert::Into<crate::upload::FilePart>) -> Self {
                    self.#id = Some(file.into());
                    self
                }
            },
            _ => quote! {
                #[doc = #doc]
                pub fn #id(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#id = Some(value.into());
                    self
                }
            },
        }
    });

    // Checks for required values.
    let required_checks = all.iter().filter(|p| p.required && p.ty != FieldType::Files).map(|p| {
        let id = &p.ident;
        let msg = format!("{} is required by {}", p.wire, op_id);
        quote! { let #id = #id.ok_or_else(|| OP.invalid(#msg))?; }
    });
    let required_files = all.iter().filter(|p| p.required && p.ty == FieldType::Files).map(|p| {
        let id = &p.ident;
        let msg = format!("{} needs at least one file for {}", p.wire, op_id);
        quote! { if #id.is_empty() { return Err(OP.invalid(#msg)); } }
    });

    // URL.
    let mut fmt = String::from("{}");
    let mut fmt_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e).ok_or_else(|| SpecError {
            pointer: format!("/paths/{}", super::normalize::ptr_token(&op.path)),
            message: "unbalanced braces in path".into(),
        })?;
        fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        fmt.push_str("{}");
        let name = &rest[start + 1..end];
        let p = params.iter().find(|p| p.location == "path" && p.wire == name).ok_or_else(|| SpecError {
            pointer: ptr.clone(),
            message: format!("path parameter {name:?} is not declared"),
        })?;
        let id = &p.ident;
        let name = p.wire.as_str();
        fmt_args.push(quote! { crate::path::segment(#name, &#id.to_string()).map_err(|m| OP.invalid(m))? });
        rest = &rest[end + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));

    let query = params.iter().filter(|p| p.location == "query").map(|p| {
        let id = &p.ident;
        let wire = &p.wire;
        let push = match &p.ty {
            FieldType::List(inner) => {
                let each = item_text(inner);
                quote! { for item in v { query.push((#wire, #each)); } }
            }
            ty => {
                let v = text_value(&format_ident!("v"), ty);
                quote! { query.push((#wire, #v)); }
            }
        };
        if p.required {
            quote! { { let v = #id; #push } }
        } else {
            quote! { if let Some(v) = #id { #push } }
        }
    });
    let header_sets = params.iter().filter(|p| p.location == "header").map(|p| {
        let id = &p.ident;
        let wire = &p.wire;
        let v = text_value(&format_ident!("v"), &p.ty);
        let set = quote! { request = request.header(#wire, #v); };
        if p.required {
            quote! { { let v = #id; #set } }
        } else {
            quote! { if let Some(v) = #id { #set } }
        }
    });
    let cookies = params.iter().filter(|p| p.location == "cookie").map(|p| {
        let id = &p.ident;
        let wire = &p.wire;
        let v = text_value(&format_ident!("v"), &p.ty);
        let push = quote! { cookies.push(format!("{}={}", #wire, crate::path::cookie_value(&#v))); };
        if p.required {
            quote! { { let v = #id; #push } }
        } else {
            quote! { if let Some(v) = #id { #push } }
        }
    });
    let has_cookies = params.iter().any(|p| p.location == "cookie");
    let cookie_set = if has_cookies {
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    } else {
        quote! {}
    };
    let form_parts = form_fields.iter().map(|p| {
        let id = &p.ident;
        let wire = &p.wire;
        match p.ty {
            FieldType::Files => quote! {
                for file in #id {
                    let part = file.into_part().await.map_err(|e| OP.invalid(e.to_string()))?;
                    form = form.part(#wire, part);
                    parts += 1;
                }
            },
            FieldType::File => {
                let body = quote! {
                    let part = v.into_part().await.map_err(|e| OP.invalid(e.to_string()))?;
                    form = form.part(#wire, part);
                    parts += 1;
                };
                if p.required {
                    quote! { { let v = #id; #body } }
                } else {
                    quote! { if let Some(v) = #id { #body } }
                }
            }
            FieldType::List(ref inner) => {
                let each = item_text(inner);
                let body = quote! { for item in v { form = form.text(#wire, #each); parts += 1; } };
                if p.required {
                    quote! { { let v = #id; #body } }
                } else {
                    quote! { if let Some(v) = #id { #body } }
                }
            }
            _ => {
                let v = text_value(&format_ident!("v"), &p.ty);
                let body = quote! { form = form.text(#wire, #v); parts += 1; };
                if p.required {
                    quote! { { let v = #id; #body } }
                } else {
                    quote! { if let Some(v) = #id { #body } }
                }
            }
        }
    });
    let has_form = !form_fields.is_empty();
    let form_init = if has_form {
        quote! {
            let mut form = ::reqwest::multipart::Form::new();
            let mut parts = 0usize;
        }
    } else {
        quote! {}
    };
    let form_attach = if has_form {
        quote! {
            // A form with no part at all is not sent: an empty multipart body is
            // malformed for many servers, while no body means every field is unset.
            if parts > 0 {
                request = request.multipart(form);
            }
        }
    } else {
        quote! {}
    };

    let (body_field, body_init, body_setter, body_attach) = match &json_body {
        Some((ty, required)) => {
            let check = if *required {
                let msg = format!("a body is required by {op_id}");
                quote! { let body = Some(body.ok_or_else(|| OP.invalid(#msg))?); }
            } else {
                quote! {}
            };
            (
                quote! { body: ::std::option::Option<#ty>, },
                quote! { body: None, },
                quote! {
                    /// Sets the JSON request body.
                    pub fn body(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                        self.body = Some(value.into());
                        self
                    }
                },
                quote! { #check if let Some(body) = &body { request = request.json(body); } },
            )
        }
        None => (quote! {}, quote! {}, quote! {}, quote! {}),
    };
    let body_destructure = if json_body.is_some() {
        quote! { body, }
    } else {
        quote! {}
    };

    let method = format_ident!("{}", op.method.to_ascii_lowercase());
    let http = op.method.to_ascii_uppercase();
    let idents: Vec<_> = all.iter().map(|p| &p.ident).collect();
    let kind = if has_cookies && !is_stream && !has_form {
        "sends its cookie parameters in the `Cookie` header"
    } else if is_stream && has_form {
        "sends a multipart/form-data body and reads the reply as a stream of server-sent events"
    } else if is_stream {
        "reads the reply as a stream of server-sent events"
    } else {
        "sends a multipart/form-data body; files are streamed, never read into memory whole"
    };
    let mut method_doc = format!("{summary}\n\nSends a `{http}` request to `{}`; {kind}.", op.path);
    if let Some(d) = description {
        method_doc.push_str("\n\n");
        method_doc.push_str(d);
    }
    let builder_doc = format!("Builder for [`Client::{fn_name}`](crate::Client::{fn_name}).");
    let send_doc = format!("Sends the `{http}` request to `{}`.", op.path);
    let code_arm = quote! { #success_code };
    let op_path = op.path.as_str();
    // Event streams are sent through the client for streams, whose read timeout leaves
    // a silent stream to the idle timeout.
    let send_call = if is_stream {
        quote! {
            let streams = crate::sse::stream_client(client);
            let (response, call) = crate::hooks::send(&streams, request, &OP).await?;
        }
    } else {
        quote! { let (response, call) = crate::hooks::send(client, request, &OP).await?; }
    };

    let method_tokens = quote! {
        #[doc = #method_doc]
        pub fn #fn_name(&self) -> builder::#struct_name<'_> {
            builder::#struct_name::new(self)
        }
    };
    let builder_tokens = quote! {
        #[doc = #builder_doc]
        #[derive(Debug)]
        pub struct #struct_name<'a> {
            client: &'a crate::Client,
            #(#fields,)*
            #body_field
        }

        impl<'a> #struct_name<'a> {
            /// A builder with nothing set.
            pub fn new(client: &'a crate::Client) -> Self {
                Self { client, #(#inits,)* #body_init }
            }

            #(#setters)*
            #body_setter

            #[doc = #send_doc]
            pub async fn send(self) -> ::std::result::Result<ResponseValue<#ok_type>, crate::Error> {
                const OP: crate::hooks::Operation = crate::hooks::Operation { id: #op_id, method: #http, path: #op_path };
                let Self { client, #(#idents,)* #body_destructure } = self;
                #(#required_checks)*
                #(#required_files)*
                let url = format!(#fmt, client.baseurl(), #(#fmt_args),*);
                #[allow(unused_mut)]
                let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
                #(#query)*
                #form_init
                #(#form_parts)*
                #[allow(unused_mut)]
                let mut request = client
                    .client()
                    .#method(url)
                    .header(::reqwest::header::ACCEPT, #accept)
                    .header(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(<crate::Client as ClientInfo<crate::ClientState>>::api_version()),
                    )
                    .query(&query);
                #(#header_sets)*
                #cookie_set
                #form_attach
                #body_attach
                let request = request.build().map_err(|e| OP.unbuildable(e))?;
                #send_call
                match response.status().as_u16() {
                    #code_arm => { #decode }
                    #err_arms
                    _ => Err(call.unexpected(response).await),
                }
            }
        }
    };
    Ok((method_tokens, builder_tokens))
}

/// The Rust type of a parameter of a split operation, as its setter takes it.
pub(super) fn param_rust_type(spec: &Value, schema: &Value, enums: &[String]) -> TokenStream {
    field_type(spec, schema, enums).rust()
}

/// What a multipart form field takes.
pub(super) enum FormKind {
    File,
    Files,
    Value(TokenStream),
}

/// The multipart form fields of a split operation, in schema order.
pub(super) fn form_fields(spec: &Value, op: &Value, enums: &[String]) -> Vec<(String, FormKind)> {
    let Some(content) = op.pointer("/requestBody/content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let Some((_, media)) = content.iter().find(|(k, _)| k.starts_with("multipart/")) else {
        return Vec::new();
    };
    let schema = media.get("schema").cloned().unwrap_or(Value::Null);
    let resolved = match ref_of(&schema) {
        Some(r) => component(spec, r).map(|(_, s)| s.clone()).unwrap_or(Value::Null),
        None => schema,
    };
    resolved
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, fs)| {
            let kind = match field_type(spec, fs, enums) {
                FieldType::File => FormKind::File,
                FieldType::Files => FormKind::Files,
                other => FormKind::Value(other.rust()),
            };
            (name.clone(), kind)
        })
        .collect()
}
