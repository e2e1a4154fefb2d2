//! `.paginate()` for every list operation that pages, found by shape:
//!
//! - offset paging: integer query parameters `offset` and `limit`, and a JSON object
//!   response with one array property (the items); an integer `total` or a `next_offset`
//!   property, when present, tells where the listing ends.
//! - cursor paging: a string query parameter such as `cursor` or `continuation_token`, a
//!   `limit`, and a response with a string property that hands back the next cursor.

use super::naming::{method_name, type_name};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

const CURSOR_PARAMS: [&str; 5] =
    ["cursor", "continuation_token", "page_token", "next_token", "starting_after"];
const NEXT_FIELDS: [&str; 5] =
    ["next_cursor", "continuation_token", "next_page_token", "next_token", "cursor"];
use super::document::{operations, resolve};

/// How one operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub operation_id: String,
    pub items_field: String,
    pub style: Style,
    pub default_page_size: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Style {
    Offset { total_field: Option<String>, next_offset_field: Option<String> },
    Cursor { param: String, next_field: String },
}

fn is_type(schema: &Value, ty: &str) -> bool {
    schema.get("type").and_then(Value::as_str) == Some(ty)
}

/// Find the operations that page, in the generator's input.
pub fn detect(spec: &Value) -> Vec<Paged> {
    operations(spec).filter_map(|(_, _, op)| detect_one(spec, op)).collect()
}

fn detect_one(spec: &Value, op: &Value) -> Option<Paged> {
    let id = op.get("operationId")?.as_str()?;
    let params: Vec<&Value> = op.get("parameters")?.as_array()?.iter().collect();
    let query = |name: &str| {
        params.iter().find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str) == Some(name)
        })
    };
    let limit = query("limit")?;
    let limit_schema = limit.get("schema")?;
    if !is_type(limit_schema, "integer") {
        return None;
    }
    let default_page_size =
        limit_schema.get("default").and_then(Value::as_u64).filter(|n| *n > 0).unwrap_or(100);

    let resp_schema = op.pointer("/responses/200/content/application~1json/schema")?;
    let resp = resolve(spec, resp_schema);
    let props = resp.get("properties")?.as_object()?;
    let arrays: Vec<&String> =
        props.iter().filter(|(_, s)| is_type(resolve(spec, s), "array")).map(|(k, _)| k).collect();
    let items_field = match arrays.as_slice() {
        [one] => (*one).clone(),
        many => ["data", "items", "results", "jobs"]
            .iter()
            .find(|n| many.iter().any(|a| a == *n))
            .map(|s| s.to_string())?,
    };

    let style = if query("offset").is_some_and(|p| p.get("schema").is_some_and(|s| is_type(s, "integer"))) {
        let int_prop =
            |name: &str| props.get(name).filter(|s| is_type(s, "integer")).map(|_| name.to_string());
        Style::Offset { total_field: int_prop("total"), next_offset_field: int_prop("next_offset") }
    } else {
        let param = CURSOR_PARAMS.iter().find(|n| query(n).is_some())?;
        let next_field = NEXT_FIELDS.iter().find(|n| props.get(**n).is_some_and(|s| is_type(s, "string")))?;
        Style::Cursor { param: param.to_string(), next_field: next_field.to_string() }
    };
    Some(Paged { operation_id: id.to_string(), items_field, style, default_page_size })
}

/// The field name the type generator gives a property.
fn field(name: &str) -> proc_macro2::Ident {
    use heck::ToSnakeCase;
    let snake = name.to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        format_ident!("{}", snake)
    } else {
        format_ident!("{}_", snake)
    }
}

/// Emit `.paginate()` on the builders of the paged operations.
///
/// The page, item and error types are the generator's own, read from its output.
pub fn emit(spec: &Value, choices: &crate::choices::Choices) -> TokenStream {
    let mut impls = Vec::new();
    for p in detect(spec) {
        let builder_name = type_name(&p.operation_id);
        let items = field(&p.items_field);
        let Some(chosen) = choices.builder(&builder_name) else { continue };
        let Some(page_ty) = chosen.ok.as_ref() else { continue };
        let Some(items_ty) = choices.field(page_ty, &items.to_string()) else { continue };
        let item_ty = crate::choices::element_type(items_ty).unwrap_or(quote! { ::serde_json::Value });
        let builder = format_ident!("{}", builder_name);
        let size = p.default_page_size;
        let (cursor_arm, next) = match &p.style {
            Style::Offset { total_field, next_offset_field } => {
                let total = match total_field {
                    Some(t) => {
                        let t = field(t);
                        quote! { crate::paginate::AsCount::as_count(&page.#t) }
                    }
                    None => quote! { None },
                };
                let next = match next_offset_field {
                    Some(n) => {
                        let n = field(n);
                        quote! {
                            match crate::paginate::AsCount::as_count(&page.#n) {
                                Some(o) if o > offset => Some(crate::paginate::Cursor::Offset(o)),
                                _ => None,
                            }
                        }
                    }
                    None => quote! { crate::paginate::next_offset(offset, size, received, #total) },
                };
                (
                    quote! {
                        let offset = match cursor {
                            crate::paginate::Cursor::Offset(o) => o,
                            _ => 0,
                        };
                        let request = request.offset(offset);
                    },
                    next,
                )
            }
            Style::Cursor { param, next_field } => {
                let setter = field(param);
                let n = field(next_field);
                (
                    quote! {
                        let request = match cursor {
                            crate::paginate::Cursor::Token(t) => request.#setter(t),
                            _ => request,
                        };
                    },
                    quote! { crate::paginate::AsToken::as_token(&page.#n).map(crate::paginate::Cursor::Token) },
                )
            }
        };
        let doc = format!(
            "Every item of [`Client::{m}`](crate::Client::{m}) across pages, as a lazily fetched \
             stream; pages of {size} items unless [`page_size`](crate::paginate::Paginator::page_size) \
             says otherwise. The builder's own `offset`, `limit` and cursor settings are replaced \
             page by page.",
            m = method_name(&p.operation_id)
        );
        impls.push(quote! {
            impl<'a> crate::builder::#builder<'a> {
                #[doc = #doc]
                pub fn paginate(self) -> crate::paginate::Paginator<'a, #item_ty, crate::Error> {
                    crate::paginate::Paginator::new(#size, move |cursor, size| {
                        let request = self.clone();
                        async move {
                            #cursor_arm
                            let request = request.limit(size);
                            let page = request.send().await?.into_inner();
                            let items: ::std::vec::Vec<#item_ty> = crate::paginate::IntoItems::into_items(page.#items);
                            #[allow(unused_variables)]
                            let received = items.len();
                            let next = #next;
                            Ok(crate::paginate::Page { items, next })
                        }
                    })
                }
            }
        });
    }
    quote! { #(#impls)* }
}
