//! What the generator chose, read back from the code it produced: the type each builder
//! setter takes, what `send` returns on success and on error, and the field types of the
//! generated structs. The emitters that add to the generator's builders (pagination, the
//! contract dispatcher) take their types from here instead of deriving them again, so a
//! naming or typing rule of the generator never has to be guessed.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;

/// The generator's choices for one operation's builder.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    /// Setter name -> the type the setter converts its value into.
    pub setters: BTreeMap<String, TokenStream>,
    /// The success type of `send`.
    pub ok: Option<TokenStream>,
    /// The error type of `send` (the `E` of `Error<E>`).
    pub err: Option<TokenStream>,
}

/// Everything read from the generated client.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Builder struct name -> its choices.
    pub builders: BTreeMap<String, Builder>,
    /// Struct name in `types` -> field name -> field type.
    pub structs: BTreeMap<String, BTreeMap<String, TokenStream>>,
}

impl Choices {
    /// Read the generator's output.
    pub fn read(client: &TokenStream) -> Choices {
        let mut out = Choices::default();
        let Ok(file) = syn::parse2::<syn::File>(client.clone()) else { return out };
        for item in &file.items {
            let syn::Item::Mod(m) = item else { continue };
            let Some((_, items)) = &m.content else { continue };
            match m.ident.to_string().as_str() {
                "builder" => read_builders(items, &mut out.builders),
                "types" => read_structs(items, &mut out.structs),
                _ => {}
            }
        }
        out
    }

    /// The builder of the operation whose builder struct is `name`.
    pub fn builder(&self, name: &str) -> Option<&Builder> {
        self.builders.get(name)
    }

    /// The type of field `field` of the generated struct behind `ty` (`crate::types::X`).
    pub fn field(&self, ty: &TokenStream, field: &str) -> Option<&TokenStream> {
        let path: syn::Path = syn::parse2(ty.clone()).ok()?;
        let last = path.segments.last()?.ident.to_string();
        self.structs.get(&last)?.get(field)
    }
}

fn read_builders(items: &[syn::Item], out: &mut BTreeMap<String, Builder>) {
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = &*imp.self_ty else { continue };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else { continue };
        let entry = out.entry(name).or_default();
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let fname = f.sig.ident.to_string();
            if fname == "send" {
                if let syn::ReturnType::Type(_, ty) = &f.sig.output
                    && let Some([ok, err]) = generic_args(ty, "Result").as_deref()
                {
                    entry.ok = generic_args(ok, "ResponseValue").and_then(|a| a.first().map(qualify_builder));
                    entry.err = generic_args(err, "Error").and_then(|a| a.first().map(qualify_builder));
                }
                continue;
            }
            // Setters: `fn x<V>(mut self, value: V) -> Self where V: TryInto<T>`.
            let Some(wc) = &f.sig.generics.where_clause else { continue };
            for pred in &wc.predicates {
                let syn::WherePredicate::Type(pt) = pred else { continue };
                let is_v = matches!(&pt.bounded_ty, syn::Type::Path(p) if p.path.is_ident("V"));
                if !is_v {
                    continue;
                }
                for bound in &pt.bounds {
                    let syn::TypeParamBound::Trait(tb) = bound else { continue };
                    let Some(last) = tb.path.segments.last() else { continue };
                    if last.ident != "TryInto" {
                        continue;
                    }
                    if let syn::PathArguments::AngleBracketed(a) = &last.arguments
                        && let Some(syn::GenericArgument::Type(t)) = a.args.first()
                    {
                        entry.setters.insert(fname.clone(), qualify_builder(t));
                    }
                }
            }
        }
    }
}

fn read_structs(items: &[syn::Item], out: &mut BTreeMap<String, BTreeMap<String, TokenStream>>) {
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(named) = &s.fields else { continue };
        let fields = named
            .named
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?.to_string(), qualify_types(&f.ty))))
            .collect();
        out.insert(s.ident.to_string(), fields);
    }
}

/// The generic arguments of `ty` when its last path segment is `name`.
fn generic_args(ty: &syn::Type, name: &str) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else { return None };
    Some(
        a.args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// A type as written in the generator's `builder` module, as a path usable from anywhere
/// in the crate.
fn qualify_builder(ty: &syn::Type) -> TokenStream {
    let mut ty = ty.clone();
    Qualify { in_types: false }.visit_type_mut(&mut ty);
    ty.into_token_stream()
}

/// A type as written in the generator's `types` module, usable from anywhere.
fn qualify_types(ty: &syn::Type) -> TokenStream {
    let mut ty = ty.clone();
    Qualify { in_types: true }.visit_type_mut(&mut ty);
    ty.into_token_stream()
}

struct Qualify {
    in_types: bool,
}

const PRELUDE: [&str; 22] = [
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64", "String", "Vec", "Option", "Box", "Result",
];

impl VisitMut for Qualify {
    fn visit_type_path_mut(&mut self, tp: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, tp);
        if tp.qself.is_some() || tp.path.leading_colon.is_some() {
            return;
        }
        let first = tp.path.segments.first().map(|s| s.ident.to_string()).unwrap_or_default();
        let prefix: Option<TokenStream> = match first.as_str() {
            "types" | "super" | "crate" | "std" | "chrono" | "uuid" | "serde_json" | "regress" => {
                match first.as_str() {
                    "types" => Some(quote! { crate:: }),
                    "super" => {
                        // `super::X` inside `types::builder` names `types::X`.
                        tp.path.segments = tp.path.segments.iter().skip(1).cloned().collect();
                        Some(quote! { crate::types:: })
                    }
                    "crate" => None,
                    _ => Some(quote! { :: }),
                }
            }
            "ByteStream" | "ResponseValue" | "Error" if !self.in_types => Some(quote! { crate:: }),
            _ if tp.path.segments.len() == 1 && !PRELUDE.contains(&first.as_str()) && self.in_types => {
                Some(quote! { crate::types:: })
            }
            _ => None,
        };
        if let Some(prefix) = prefix {
            let path = &tp.path;
            if let Ok(new) = syn::parse2::<syn::TypePath>(quote! { #prefix #path }) {
                *tp = new;
            }
        }
    }
}

/// The element type of `Vec<T>`, `Option<Vec<T>>` (any path ending in those names).
pub fn element_type(ty: &TokenStream) -> Option<TokenStream> {
    let ty: syn::Type = syn::parse2(ty.clone()).ok()?;
    let inner = match generic_args(&ty, "Option") {
        Some(args) => args.into_iter().next()?,
        None => ty,
    };
    let args = generic_args(&inner, "Vec")?;
    args.first().map(ToTokens::to_token_stream)
}
