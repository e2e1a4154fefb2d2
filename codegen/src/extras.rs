//! What the build step emits beside the generator's output: the table of every
//! operation in the spec, and which of them the generator could not take.

pub use super::naming::method_name;
use super::normalize::{SpecError, SplitOperation};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::document::operations;

/// One entry of the operation table.
fn operation_row(path: &str, method: &str, op: &Value, split: &[SplitOperation]) -> TokenStream {
    let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default();
    let summary = op.get("summary").and_then(Value::as_str).unwrap_or_default();
    let tags: Vec<&str> = op
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let method_upper = method.to_ascii_uppercase();
    let rust_name = method_name(id);
    let pending = split
        .iter()
        .find(|s| s.operation_id == id && s.method_name == rust_name)
        .map(|s| s.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "));
    let status = match pending {
        Some(reason) => quote! { crate::spec::Support::BuildStep(#reason) },
        None => quote! { crate::spec::Support::Generated },
    };
    quote! {
        crate::spec::Operation {
            operation_id: #id,
            method_name: #rust_name,
            http_method: #method_upper,
            path: #path,
            tags: &[#(#tags),*],
            summary: #summary,
            support: #status,
        }
    }
}

/// Emit the operation table for the published spec `input`.
pub fn emit(input: &Value, _normalized: &Value, split: &[SplitOperation]) -> Result<TokenStream, SpecError> {
    let rows: Vec<TokenStream> =
        operations(input).map(|(path, method, op)| operation_row(path, method, op, split)).collect();
    let version = input.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    let title = input.pointer("/info/title").and_then(Value::as_str).unwrap_or_default();
    let key_header = api_key_header(input);
    let key_lower = key_header.to_ascii_lowercase();
    Ok(quote! {
        /// Every operation of the spec the crate was built from, in document order.
        pub const OPERATIONS: &[crate::spec::Operation] = &[#(#rows),*];
        /// The `info.version` of the spec the crate was built from.
        pub const API_VERSION: &str = #version;
        /// The `info.title` of the spec the crate was built from.
        pub const API_TITLE: &str = #title;
        /// The header that carries the API key.
        pub const API_KEY_HEADER: &str = #key_header;
        #[doc(hidden)]
        pub const API_KEY_HEADER_LOWER: &str = #key_lower;
    })
}

/// The header name of the document's first `apiKey` security scheme that sits in a
/// header (and is a valid header name), else `Meibel-API-Key`.
pub fn api_key_header(input: &Value) -> String {
    input
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| {
            s.get("type").and_then(Value::as_str) == Some("apiKey")
                && s.get("in").and_then(Value::as_str) == Some("header")
        })
        .filter_map(|(_, s)| s.get("name").and_then(Value::as_str))
        .find(|n| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        })
        .unwrap_or("Meibel-API-Key")
        .to_string()
}

/// Emit one `open_enum!` invocation per open enum.
pub fn emit_enums(defs: &[super::enums::EnumDef]) -> TokenStream {
    let items = defs.iter().map(|d| {
        let name = quote::format_ident!("{}", d.rust_name);
        let doc = match &d.description {
            Some(desc) => format!("{desc}\n\nSchema `{}`.", d.component),
            None => format!("Values of the schema `{}`.", d.component),
        };
        let variants = super::enums::variant_names(&d.values);
        let vnames = variants.iter().map(|v| quote::format_ident!("{}", v));
        let values = &d.values;
        let vdocs = values.iter().map(|v| format!("`{v}`"));
        quote! {
            crate::open_enum! {
                #[doc = #doc]
                #name {
                    #( #[doc = #vdocs] #vnames = #values, )*
                }
            }
        }
    });
    quote! { #(#items)* }
}
