//! Methods for the operations the generator cannot take: multipart/form-data request
//! bodies and text/event-stream responses. They follow the generator's calling style
//! (`client.op().param(v).send().await`) and run through the same hooks, so that
//! authentication, retries and error decoding are the same as for every other method.

use super::document::{component, ref_name};
use super::naming::{method_name, type_name};
use super::normalize::{SpecError, SplitOperation};
use super::typing::{FieldType, field_type, value_type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

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

/// The JSON pointer of a split operation in the document, for error messages.
fn op_pointer(op: &SplitOperation) -> String {
    format!("/paths/{}/{}", super::normalize::ptr_token(&op.path), op.method)
}

fn emit_one(
    spec: &Value,
    op: &SplitOperation,
    enums: &[String],
) -> Result<(TokenStream, TokenStream), SpecError> {
    let params = parameters(spec, op, enums)?;
    let body = request_body(spec, op, enums, &params)?;
    let reply = reply(spec, op)?;
    let method = method_tokens(op, &body, &reply, &params);
    let builder = builder_tokens(op, &params, &body, &reply)?;
    Ok((method, builder))
}

/// The operation's parameters, in document order.
fn parameters(spec: &Value, op: &SplitOperation, enums: &[String]) -> Result<Vec<Param>, SpecError> {
    let mut params: Vec<Param> = Vec::new();
    let list = op.operation.get("parameters").and_then(Value::as_array);
    for (i, p) in list.into_iter().flatten().enumerate() {
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
                pointer: format!("{}/parameters/{i}", op_pointer(op)),
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
    Ok(params)
}

/// The request body: multipart form fields, or a JSON value of a type (and whether the
/// body is required).
struct Body {
    form: Vec<Param>,
    json: Option<(TokenStream, bool)>,
}

fn request_body(
    spec: &Value,
    op: &SplitOperation,
    enums: &[String],
    params: &[Param],
) -> Result<Body, SpecError> {
    let o = &op.operation;
    let mut body = Body { form: Vec::new(), json: None };
    let Some(content) = o.pointer("/requestBody/content").and_then(Value::as_object) else { return Ok(body) };
    let body_required = o.pointer("/requestBody/required").and_then(Value::as_bool).unwrap_or(false);
    if let Some((ct, media)) = content.iter().find(|(k, _)| k.starts_with("multipart/")) {
        let schema = media.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = match ref_name(&schema) {
            Some(name) => component(spec, &schema).map(|(_, s)| s.clone()).ok_or_else(|| SpecError {
                pointer: format!(
                    "{}/requestBody/content/{}/schema",
                    op_pointer(op),
                    super::normalize::ptr_token(ct)
                ),
                message: format!("#/components/schemas/{name} does not resolve"),
            })?,
            None => schema,
        };
        body.form = form_params(spec, &resolved, enums, params);
    } else if let Some(media) = content.get("application/json") {
        let schema = media.get("schema").cloned().unwrap_or(Value::Null);
        body.json = Some((value_type(spec, &schema), body_required));
    }
    Ok(body)
}

/// The fields of a multipart body schema, but those a parameter already sets.
fn form_params(spec: &Value, schema: &Value, enums: &[String], params: &[Param]) -> Vec<Param> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object);
    properties
        .into_iter()
        .flatten()
        .filter(|(name, _)| !params.iter().any(|p| p.wire == **name))
        .map(|(name, fs)| Param {
            wire: name.clone(),
            ident: ident_for(name),
            ty: field_type(spec, fs, enums),
            required: required.contains(&name.as_str()),
            location: "form",
            doc: fs.get("description").and_then(Value::as_str).map(str::to_string),
        })
        .collect()
}

/// What the success reply becomes, and how the error replies are decoded.
struct Reply {
    code: u16,
    is_stream: bool,
    ok_type: TokenStream,
    accept: &'static str,
    decode: TokenStream,
    err_arms: TokenStream,
}

fn reply(spec: &Value, op: &SplitOperation) -> Result<Reply, SpecError> {
    let responses = op.operation.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
    let Some((code, success)) = responses.iter().find(|(code, _)| code.starts_with('2')) else {
        return Err(SpecError {
            pointer: format!("{}/responses", op_pointer(op)),
            message: "no 2xx response".into(),
        });
    };
    let content = success.get("content").and_then(Value::as_object);
    let is_stream = content.is_some_and(|c| c.keys().any(|k| k.starts_with("text/event-stream")));
    let json = content.and_then(|c| c.get("application/json")).and_then(|m| m.get("schema"));
    let (ok_type, accept, decode) = match json {
        _ if is_stream => (quote! { crate::sse::EventStream }, "text/event-stream", decode_stream()),
        Some(schema) => (value_type(spec, schema), "application/json", quote! { call.json(response).await }),
        None => (
            quote! { () },
            "*/*",
            quote! { Ok(ResponseValue::new((), response.status(), response.headers().clone())) },
        ),
    };
    Ok(Reply {
        code: code.parse::<u16>().unwrap_or(200),
        is_stream,
        ok_type,
        accept,
        decode,
        err_arms: error_arms(spec, &responses),
    })
}

fn decode_stream() -> TokenStream {
    quote! {
        let status = response.status();
        let headers = response.headers().clone();
        let idle = client.inner().stream_idle_timeout();
        let events = crate::sse::EventStream::from_response(response, idle)
            .with_max_event_bytes(client.inner().max_event_bytes());
        Ok(ResponseValue::new(events, status, headers))
    }
}

/// One match arm for every documented error status, decoding the first error schema.
fn error_arms(spec: &Value, responses: &serde_json::Map<String, Value>) -> TokenStream {
    let is_error = |code: &str| code.starts_with('4') || code.starts_with('5');
    let schema = responses
        .iter()
        .find(|(code, _)| is_error(code))
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"));
    let Some(schema) = schema else { return quote! {} };
    let t = value_type(spec, schema);
    let codes: Vec<u16> = responses.keys().filter(|c| is_error(c)).filter_map(|c| c.parse().ok()).collect();
    quote! { #(#codes)|* => Err(call.error_json::<#t>(response).await), }
}

/// The method on `Client` that starts the builder.
fn method_tokens(op: &SplitOperation, body: &Body, reply: &Reply, params: &[Param]) -> TokenStream {
    let o = &op.operation;
    let summary = o.get("summary").and_then(Value::as_str).unwrap_or(&op.operation_id);
    let has_cookies = params.iter().any(|p| p.location == "cookie");
    let has_form = !body.form.is_empty();
    let kind = if has_cookies && !reply.is_stream && !has_form {
        "sends its cookie parameters in the `Cookie` header"
    } else if reply.is_stream && has_form {
        "sends a multipart/form-data body and reads the reply as a stream of server-sent events"
    } else if reply.is_stream {
        "reads the reply as a stream of server-sent events"
    } else {
        "sends a multipart/form-data body; files are streamed, never read into memory whole"
    };
    let http = op.method.to_ascii_uppercase();
    let mut doc = format!("{summary}\n\nSends a `{http}` request to `{}`; {kind}.", op.path);
    if let Some(d) = o.get("description").and_then(Value::as_str) {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let fn_name = format_ident!("{}", op.method_name);
    let struct_name = format_ident!("{}", type_name(&op.method_name));
    quote! {
        #[doc = #doc]
        pub fn #fn_name(&self) -> builder::#struct_name<'_> {
            builder::#struct_name::new(self)
        }
    }
}

/// The builder's field for a parameter or form field.
fn field(p: &Param) -> TokenStream {
    let id = &p.ident;
    let ty = p.ty.rust();
    match p.ty {
        FieldType::Files => quote! { #id: #ty },
        _ => quote! { #id: ::std::option::Option<#ty> },
    }
}

/// The field's value in a builder with nothing set.
fn init(p: &Param) -> TokenStream {
    let id = &p.ident;
    match p.ty {
        FieldType::Files => quote! { #id: ::std::vec::Vec::new() },
        _ => quote! { #id: None },
    }
}

/// The builder's setter for a parameter or form field.
fn setter(p: &Param) -> TokenStream {
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
}

/// The checks that refuse a request missing a required value: first the values, then
/// the file lists.
fn required_checks(all: &[&Param], op_id: &str) -> TokenStream {
    let values = all.iter().filter(|p| p.required && p.ty != FieldType::Files).map(|p| {
        let id = &p.ident;
        let msg = format!("{} is required by {}", p.wire, op_id);
        quote! { let #id = #id.ok_or_else(|| OP.invalid(#msg))?; }
    });
    let files = all.iter().filter(|p| p.required && p.ty == FieldType::Files).map(|p| {
        let id = &p.ident;
        let msg = format!("{} needs at least one file for {}", p.wire, op_id);
        quote! { if #id.is_empty() { return Err(OP.invalid(#msg)); } }
    });
    quote! { #(#values)* #(#files)* }
}

/// The URL's format string (base URL first) and one checked segment per path parameter.
fn url_format(op: &SplitOperation, params: &[Param]) -> Result<(String, Vec<TokenStream>), SpecError> {
    let mut fmt = String::from("{}");
    let mut args = Vec::new();
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
            pointer: op_pointer(op),
            message: format!("path parameter {name:?} is not declared"),
        })?;
        let id = &p.ident;
        let name = p.wire.as_str();
        args.push(quote! { crate::path::segment(#name, &#id.to_string()).map_err(|m| OP.invalid(m))? });
        rest = &rest[end + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    Ok((fmt, args))
}

/// `body` run with the parameter's value bound to `v`: always when it is required, when
/// it is set otherwise.
fn with_value(p: &Param, body: TokenStream) -> TokenStream {
    let id = &p.ident;
    if p.required {
        quote! { { let v = #id; #body } }
    } else {
        quote! { if let Some(v) = #id { #body } }
    }
}

fn query_push(p: &Param) -> TokenStream {
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
    with_value(p, push)
}

fn header_set(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let v = text_value(&format_ident!("v"), &p.ty);
    with_value(p, quote! { request = request.header(#wire, #v); })
}

/// The `Cookie` header from the cookie parameters that are set.
fn cookie_set(params: &[Param]) -> TokenStream {
    let cookies: Vec<&Param> = params.iter().filter(|p| p.location == "cookie").collect();
    if cookies.is_empty() {
        return quote! {};
    }
    let pushes = cookies.iter().map(|p| {
        let wire = &p.wire;
        let v = text_value(&format_ident!("v"), &p.ty);
        with_value(p, quote! { cookies.push(format!("{}={}", #wire, crate::path::cookie_value(&#v))); })
    });
    quote! {
        let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
        #(#pushes)*
        if !cookies.is_empty() {
            request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
        }
    }
}

/// The parts one form field adds to the multipart form.
fn form_part(p: &Param) -> TokenStream {
    let id = &p.ident;
    let wire = &p.wire;
    match &p.ty {
        FieldType::Files => quote! {
            for file in #id {
                let part = file.into_part().await.map_err(|e| OP.invalid(e.to_string()))?;
                form = form.part(#wire, part);
                parts += 1;
            }
        },
        FieldType::File => with_value(
            p,
            quote! {
                let part = v.into_part().await.map_err(|e| OP.invalid(e.to_string()))?;
                form = form.part(#wire, part);
                parts += 1;
            },
        ),
        FieldType::List(inner) => {
            let each = item_text(inner);
            with_value(p, quote! { for item in v { form = form.text(#wire, #each); parts += 1; } })
        }
        ty => {
            let v = text_value(&format_ident!("v"), ty);
            with_value(p, quote! { form = form.text(#wire, #v); parts += 1; })
        }
    }
}

/// The form's creation (with its parts) and its attachment to the request.
fn form_tokens(form: &[Param]) -> (TokenStream, TokenStream) {
    if form.is_empty() {
        return (quote! {}, quote! {});
    }
    let parts = form.iter().map(form_part);
    let build = quote! {
        let mut form = ::reqwest::multipart::Form::new();
        let mut parts = 0usize;
        #(#parts)*
    };
    let attach = quote! {
        // A form with no part at all is not sent: an empty multipart body is
        // malformed for many servers, while no body means every field is unset.
        if parts > 0 {
            request = request.multipart(form);
        }
    };
    (build, attach)
}

/// The pieces of the builder a JSON body adds: field, initial value, setter, the name in
/// the destructuring of `self`, and its attachment to the request.
struct JsonBody {
    field: TokenStream,
    init: TokenStream,
    setter: TokenStream,
    destructure: TokenStream,
    attach: TokenStream,
}

fn json_body(json: &Option<(TokenStream, bool)>, op_id: &str) -> JsonBody {
    let Some((ty, required)) = json else {
        return JsonBody {
            field: quote! {},
            init: quote! {},
            setter: quote! {},
            destructure: quote! {},
            attach: quote! {},
        };
    };
    let check = if *required {
        let msg = format!("a body is required by {op_id}");
        quote! { let body = Some(body.ok_or_else(|| OP.invalid(#msg))?); }
    } else {
        quote! {}
    };
    JsonBody {
        field: quote! { body: ::std::option::Option<#ty>, },
        init: quote! { body: None, },
        setter: quote! {
            /// Sets the JSON request body.
            pub fn body(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.body = Some(value.into());
                self
            }
        },
        destructure: quote! { body, },
        attach: quote! { #check if let Some(body) = &body { request = request.json(body); } },
    }
}

/// Sending the built request: event streams go through the client for streams, whose
/// read timeout leaves a silent stream to the idle timeout.
fn send_call(is_stream: bool) -> TokenStream {
    if is_stream {
        quote! {
            let streams = crate::sse::stream_client(client);
            let (response, call) = crate::hooks::send(&streams, request, &OP).await?;
        }
    } else {
        quote! { let (response, call) = crate::hooks::send(client, request, &OP).await?; }
    }
}

/// The builder type: its fields, setters and `send`.
fn builder_tokens(
    op: &SplitOperation,
    params: &[Param],
    body: &Body,
    reply: &Reply,
) -> Result<TokenStream, SpecError> {
    let op_id = op.operation_id.as_str();
    let fn_name = format_ident!("{}", op.method_name);
    let struct_name = format_ident!("{}", type_name(&op.method_name));
    let all: Vec<&Param> = params.iter().chain(body.form.iter()).collect();
    let fields = all.iter().map(|p| field(p));
    let inits = all.iter().map(|p| init(p));
    let setters = all.iter().map(|p| setter(p));
    let idents: Vec<_> = all.iter().map(|p| &p.ident).collect();
    let checks = required_checks(&all, op_id);
    let (fmt, fmt_args) = url_format(op, params)?;
    let query = params.iter().filter(|p| p.location == "query").map(query_push);
    let header_sets = params.iter().filter(|p| p.location == "header").map(header_set);
    let cookie_set = cookie_set(params);
    let (form_build, form_attach) = form_tokens(&body.form);
    let JsonBody {
        field: body_field,
        init: body_init,
        setter: body_setter,
        destructure,
        attach: body_attach,
    } = json_body(&body.json, op_id);
    let method = format_ident!("{}", op.method.to_ascii_lowercase());
    let http = op.method.to_ascii_uppercase();
    let builder_doc = format!("Builder for [`Client::{fn_name}`](crate::Client::{fn_name}).");
    let send_doc = format!("Sends the `{http}` request to `{}`.", op.path);
    let op_path = op.path.as_str();
    let Reply { code, ok_type, accept, decode, err_arms, is_stream } = reply;
    let send_call = send_call(*is_stream);
    Ok(quote! {
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
                let Self { client, #(#idents,)* #destructure } = self;
                #checks
                let url = format!(#fmt, client.baseurl(), #(#fmt_args),*);
                #[allow(unused_mut)]
                let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
                #(#query)*
                #form_build
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
                    #code => { #decode }
                    #err_arms
                    _ => Err(call.unexpected(response).await),
                }
            }
        }
    })
}
