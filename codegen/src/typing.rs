//! The Rust types the build step gives schemas: the types of its own emitters' setters and
//! fields, and, for the dispatcher, the types the generator chooses for parameters.

use super::document::{component, ref_name};
use super::naming::type_name;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// The Rust type of a scalar-ish schema used in a parameter or a form field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
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
    pub fn rust(&self) -> TokenStream {
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

fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

pub fn field_type(spec: &Value, schema: &Value, enums: &[String]) -> FieldType {
    if ref_name(schema).is_some() {
        if let Some((name, target)) = component(spec, schema) {
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
pub fn value_type(spec: &Value, schema: &Value) -> TokenStream {
    if let Some((name, _)) = component(spec, schema) {
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

/// The Rust type the generator gives a parameter, as its setter expects it (read from the
/// schema the way progenitor and typify choose it, for the operations whose setters are
/// not read from the generator's output).
pub fn generator_param_type(spec: &Value, schema: &Value) -> Option<TokenStream> {
    if let Some(name) = ref_name(schema) {
        let target = spec.pointer(&format!("/components/schemas/{}", super::normalize::ptr_token(name)))?;
        if target.get("enum").is_some() || target.get("type").and_then(Value::as_str) == Some("object") {
            let id = format_ident!("{}", type_name(name));
            return Some(quote! { crate::types::#id });
        }
        return generator_param_type(spec, target);
    }
    match schema.get("type").and_then(Value::as_str)? {
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => Some(quote! { ::chrono::DateTime<::chrono::offset::Utc> }),
            Some("date") => Some(quote! { ::chrono::naive::NaiveDate }),
            _ => Some(quote! { ::std::string::String }),
        },
        "boolean" => Some(quote! { bool }),
        "number" => Some(quote! { f64 }),
        "integer" => {
            let min = schema.get("minimum").and_then(Value::as_f64);
            let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool).unwrap_or(false);
            match schema.get("format").and_then(Value::as_str) {
                Some("int32") => Some(quote! { i32 }),
                Some("uint32") => Some(quote! { u32 }),
                Some("uint64") => Some(quote! { u64 }),
                _ => match (min, exclusive) {
                    (Some(1.0), false) | (Some(0.0), true) => Some(quote! { ::std::num::NonZeroU64 }),
                    (Some(0.0), false) => Some(quote! { u64 }),
                    _ => Some(quote! { i64 }),
                },
            }
        }
        "array" => {
            let inner = generator_param_type(spec, schema.get("items")?)?;
            Some(quote! { ::std::vec::Vec<#inner> })
        }
        _ => None,
    }
}

/// The Rust type of a parameter of a split operation, as its setter takes it.
pub fn param_rust_type(spec: &Value, schema: &Value, enums: &[String]) -> TokenStream {
    field_type(spec, schema, enums).rust()
}

/// What a multipart form field takes.
pub enum FormKind {
    File,
    Files,
    Value(TokenStream),
}

/// The multipart form fields of a split operation, in schema order.
pub fn form_fields(spec: &Value, op: &Value, enums: &[String]) -> Vec<(String, FormKind)> {
    let Some(content) = op.pointer("/requestBody/content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let Some((_, media)) = content.iter().find(|(k, _)| k.starts_with("multipart/")) else {
        return Vec::new();
    };
    let schema = media.get("schema").cloned().unwrap_or(Value::Null);
    let resolved = match ref_name(&schema) {
        Some(_) => component(spec, &schema).map(|(_, s)| s.clone()).unwrap_or(Value::Null),
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
