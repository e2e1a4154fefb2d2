//! A dispatcher that calls any operation by its operationId with arguments given as
//! JSON, emitted for every operation of the spec. It lets one test drive every method
//! the crate has, so that an operation added to the spec is covered by the contract
//! tests without a test written by hand.

use super::naming::{method_name, type_name};
use super::normalize::SplitOperation;
use super::typing::{generator_param_type, value_type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::document::operations;

/// How the success reply of an operation is read.
fn outcome(spec: &Value, op: &Value) -> TokenStream {
    let responses = op.get("responses").and_then(Value::as_object);
    let success = responses.and_then(|r| r.iter().find(|(c, _)| c.starts_with('2')).map(|(_, v)| v));
    let content = success.and_then(|s| s.get("content")).and_then(Value::as_object);
    match content {
        None => quote! { { let _ = r; Ok(Outcome::Empty) } },
        Some(c) if c.keys().any(|k| k.starts_with("text/event-stream")) => quote! {
            Ok(Outcome::Events(r.into_inner().collect_all().await.map_err(|e| e.to_string())?))
        },
        Some(c) if c.contains_key("application/json") => {
            let _ = spec;
            quote! { serde_json::to_value(r.into_inner()).map(Outcome::Json).map_err(|e| e.to_string()) }
        }
        Some(_) => quote! {
            Ok(Outcome::Bytes(crate::download::to_bytes(r.into_inner(), usize::MAX).await.map_err(|e| e.to_string())?.to_vec()))
        },
    }
}

/// Emit the dispatcher for the generator's operations (`normalized`) and the split ones.
///
/// Parameter and body types of the generator's operations are read from its output.
pub fn emit(
    normalized: &Value,
    split: &[SplitOperation],
    enums: &[String],
    choices: &crate::choices::Choices,
) -> TokenStream {
    let mut arms = Vec::new();
    let mut ids = Vec::new();
    for (_, _, op) in operations(normalized) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
        if let Some(arm) = generated_arm(normalized, op, id, choices) {
            arms.push(arm);
            ids.push(id.to_string());
        }
    }
    for s in split {
        // The multipart form of an operation that also takes JSON has its own entry.
        let key = if s.method_name == method_name(&s.operation_id) {
            s.operation_id.clone()
        } else {
            format!("{}:multipart", s.operation_id)
        };
        arms.push(split_arm(normalized, s, enums, &key));
        ids.push(key);
    }
    quote! {
        use super::*;
        #[allow(unused_imports)]
        use serde_json::Value;

        /// Every operationId the dispatcher knows.
        pub const OPERATION_IDS: &[&str] = &[#(#ids),*];

        /// Call the operation `operation_id` with `args`; errors are rendered as text.
        pub async fn call(client: &crate::Client, operation_id: &str, args: &Args) -> Result<Outcome, String> {
            match operation_id {
                #(#arms)*
                other => Err(format!("no operation {other:?}")),
            }
        }
    }
}

fn params_of(op: &Value) -> Vec<(String, String, Value)> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p.get("name")?.as_str()?.to_string(),
                p.get("in")?.as_str()?.to_string(),
                p.get("schema").cloned().unwrap_or(Value::Null),
            ))
        })
        .collect()
}

fn setter(name: &str) -> proc_macro2::Ident {
    let snake = method_name(name);
    match syn::parse_str::<syn::Ident>(&snake) {
        Ok(_) => format_ident!("{}", snake),
        Err(_) => format_ident!("{}_", snake),
    }
}

fn generated_arm(
    spec: &Value,
    op: &Value,
    id: &str,
    choices: &crate::choices::Choices,
) -> Option<TokenStream> {
    let method = format_ident!("{}", method_name(id));
    let chosen = choices.builder(&type_name(id));
    let chosen_type = |setter: &str| chosen.and_then(|b| b.setters.get(setter)).cloned();
    let mut sets = Vec::new();
    for (name, location, schema) in params_of(op) {
        let map = match location.as_str() {
            "path" => quote! { args.path },
            "query" => quote! { args.query },
            "header" => quote! { args.header },
            _ => continue,
        };
        let s = setter(&name);
        let ty = match chosen_type(&s.to_string()) {
            Some(t) => t,
            None => generator_param_type(spec, &schema)?,
        };
        sets.push(quote! {
            let b = match #map.get(#name) { Some(v) => b.#s(arg::<#ty>(#name, v)?), None => b };
        });
    }
    if let Some(content) = op.pointer("/requestBody/content/application~1json") {
        let schema = content.get("schema").cloned().unwrap_or(Value::Null);
        let inner = value_type(spec, &schema);
        let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let ty = match chosen_type("body") {
            Some(t) => t,
            None if nullable => quote! { ::std::option::Option<#inner> },
            None => inner,
        };
        sets.push(quote! {
            let b = match &args.body { Some(v) => b.body(arg::<#ty>("body", v)?), None => b };
        });
    } else if op.get("requestBody").is_some() {
        return None;
    }
    let read = outcome(spec, op);
    Some(quote! {
        #id => {
            let b = client.#method();
            #(#sets)*
            let r = b.send().await.map_err(|e| render(&e))?;
            #read
        }
    })
}

fn split_arm(spec: &Value, s: &SplitOperation, enums: &[String], id: &str) -> TokenStream {
    let method = format_ident!("{}", s.method_name);
    let mut sets = Vec::new();
    for (name, location, schema) in params_of(&s.operation) {
        let map = match location.as_str() {
            "path" => quote! { args.path },
            "query" => quote! { args.query },
            "header" => quote! { args.header },
            "cookie" => quote! { args.cookie },
            _ => continue,
        };
        let ty = super::typing::param_rust_type(spec, &schema, enums);
        let st = setter(&name);
        sets.push(quote! {
            let b = match #map.get(#name) { Some(v) => b.#st(arg::<#ty>(#name, v)?), None => b };
        });
    }
    for field in super::typing::form_fields(spec, &s.operation, enums) {
        let name = &field.0;
        let st = setter(name);
        match field.1 {
            super::typing::FormKind::File => sets.push(quote! {
                let b = match args.files.iter().find(|f| f.field == #name) {
                    Some(f) => b.#st(crate::upload::FilePart::bytes(f.bytes.clone(), f.file_name.clone())),
                    None => b,
                };
            }),
            super::typing::FormKind::Files => sets.push(quote! {
                let b = b.#st(args.files.iter().filter(|f| f.field == #name)
                    .map(|f| crate::upload::FilePart::bytes(f.bytes.clone(), f.file_name.clone())));
            }),
            super::typing::FormKind::Value(ref ty) => sets.push(quote! {
                let b = match args.form.get(#name) { Some(v) => b.#st(arg::<#ty>(#name, v)?), None => b };
            }),
        }
    }
    if let Some(content) = s.operation.pointer("/requestBody/content/application~1json") {
        let ty = value_type(spec, content.get("schema").unwrap_or(&Value::Null));
        sets.push(quote! {
            let b = match &args.body { Some(v) => b.body(arg::<#ty>("body", v)?), None => b };
        });
    }
    let read = outcome(spec, &s.operation);
    quote! {
        #id => {
            let b = client.#method();
            #(#sets)*
            let r = b.send().await.map_err(|e| render(&e))?;
            #read
        }
    }
}
