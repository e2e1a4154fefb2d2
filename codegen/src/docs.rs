//! Documentation emitted from the spec: the table of every operation, a docs module per
//! tag, and search aliases on the client's methods, so that an HTTP path, an operationId
//! or a tag finds its Rust method in one rustdoc search.

use super::naming::method_name;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;

/// One operation, as the docs show it.
struct Row {
    tags: Vec<String>,
    http: String,
    path: String,
    operation_id: String,
    method: String,
    summary: String,
}

fn rows(input: &Value) -> Vec<Row> {
    let row = |(path, http, op): (&str, &str, &Value)| {
        let id = op.get("operationId").and_then(Value::as_str)?;
        Some(Row {
            tags: op
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            http: http.to_ascii_uppercase(),
            path: path.to_string(),
            operation_id: id.to_string(),
            method: method_name(id),
            summary: op.get("summary").and_then(Value::as_str).unwrap_or_default().to_string(),
        })
    };
    super::document::operations(input).filter_map(row).collect()
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn table<'a>(rows: impl Iterator<Item = &'a Row>, with_tag: bool) -> String {
    let mut out = String::new();
    if with_tag {
        out.push_str("| tag | method | path | operationId | Rust method | summary |\n| --- | --- | --- | --- | --- | --- |\n");
    } else {
        out.push_str(
            "| method | path | operationId | Rust method | summary |\n| --- | --- | --- | --- | --- |\n",
        );
    }
    for r in rows {
        if with_tag {
            out.push_str(&format!("| {} ", cell(&r.tags.join(", "))));
        }
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | [`{}`](crate::Client::{}) | {} |\n",
            r.http,
            cell(&r.path),
            r.operation_id,
            r.method,
            r.method,
            cell(&r.summary)
        ));
    }
    out
}

/// A module name for a tag.
fn tag_module(tag: &str) -> String {
    let name = method_name(&tag.replace(|c: char| !c.is_alphanumeric(), "_"));
    let name = if name.is_empty() { "untagged".to_string() } else { name };
    match syn::parse_str::<syn::Ident>(&name) {
        Ok(_) if !name.starts_with(|c: char| c.is_ascii_digit()) => name,
        _ => format!("tag_{name}"),
    }
}

/// The page of the `tags` module (Markdown: the full table) and its items (one module
/// per tag).
pub fn emit(input: &Value) -> (String, TokenStream) {
    let rows = rows(input);
    let mut by_tag: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        if r.tags.is_empty() {
            by_tag.entry("untagged".into()).or_default().push(r);
        }
        for t in &r.tags {
            by_tag.entry(t.clone()).or_default().push(r);
        }
    }
    let mut used = Vec::new();
    let modules = by_tag.iter().map(|(tag, ops)| {
        let mut name = tag_module(tag);
        while used.contains(&name) {
            name.push('_');
        }
        used.push(name.clone());
        let id = format_ident!("{}", name);
        let doc = format!(
            "Operations tagged `{tag}` ({} of them): each is a method on [`Client`](crate::Client), \
             called as `client.<method>()...send().await`.\n\n{}",
            ops.len(),
            table(ops.iter().copied(), false)
        );
        // rustdoc refuses an alias equal to the module's own name, and quotes or outer
        // white space in one.
        let alias = (tag.as_str() != name
            && !tag.contains(['"', '\'', '\t', '\n', '\r'])
            && tag.trim() == tag.as_str()
            && !tag.is_empty())
        .then(|| quote! { #[doc(alias = #tag)] });
        quote! {
            #[doc = #doc]
            #alias
            pub mod #id {}
        }
    });
    let modules: Vec<TokenStream> = modules.collect();
    let index = by_tag
        .iter()
        .zip(&used)
        .map(|((tag, ops), m)| format!("- [`{tag}`]({m}): {} operations\n", ops.len()))
        .collect::<String>();
    let search = match rows.first() {
        Some(r) => format!(
            "Each method also answers a docs search for its path (`{}`), its method and path \
             (`{} {}`) and its operationId (`{}`).\n\n",
            r.path, r.http, r.path, r.operation_id
        ),
        None => String::new(),
    };
    let doc = format!(
        "Every operation of the API: its tag, HTTP method and path, operationId and the method of \
         [`Client`](crate::Client) that calls it.\n\n{search}## By tag\n\n{index}\n## All operations\n\n{}",
        table(rows.iter(), true)
    );
    (doc, quote! { #(#modules)* })
}

/// `#[doc(alias)]`es for the method of every operation: its path, its method and path, and
/// its operationId, keyed by method name.
pub fn aliases(input: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows(input) {
        let list = out.entry(r.method.clone()).or_default();
        for a in [r.path.clone(), format!("{} {}", r.http, r.path), r.operation_id.clone()] {
            // rustdoc refuses quotes and whitespace other than inner spaces in an alias.
            if !a.contains(['"', '\'', '\t', '\n', '\r'])
                && a.trim() == a
                && !a.is_empty()
                // rustdoc refuses an alias equal to the item's own name.
                && a != r.method
                && !list.contains(&a)
            {
                list.push(a);
            }
        }
    }
    out
}

/// Adds the aliases to the methods of every `impl Client` block at the top level of
/// `tokens`.
pub fn with_aliases(tokens: TokenStream, aliases: &BTreeMap<String, Vec<String>>) -> TokenStream {
    let Ok(mut file) = syn::parse2::<syn::File>(tokens.clone()) else { return tokens };
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let is_client = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"));
        if !is_client {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else { continue };
            if let Some(list) = aliases.get(&f.sig.ident.to_string()) {
                for a in list {
                    f.attrs.push(syn::parse_quote! { #[doc(alias = #a)] });
                }
            }
        }
    }
    quote! { #file }
}

/// On the client's page, the generator's `Version: X` line names the API's version, not
/// this crate's: say so, point to the builder, and give the crate's version (the crate's
/// own `CARGO_PKG_VERSION`, filled in where the generated code is compiled).
pub fn label_versions(client: String, input: &Value) -> String {
    let Some(version) = input.pointer("/info/version").and_then(Value::as_str) else { return client };
    let line = format!("\n\nVersion: {version}*/\npub struct Client {{");
    if !client.contains(&line) {
        return client;
    }
    let text = format!(
        "\n\nBuild one with [`Client::builder`](crate::Client::builder) or \
         [`Client::from_env`](crate::Client::from_env).\n\n\
         API version: {version} (the `info.version` of the API description this client was \
         generated from).*/\n#[doc = concat!(\"\\n\\nCrate version: meibel \", env!(\"CARGO_PKG_VERSION\"), \".\")]\npub struct Client {{"
    );
    client.replacen(&line, &text, 1)
}
