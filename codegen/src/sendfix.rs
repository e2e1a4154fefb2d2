//! The generator's client, reshaped so that every operation fails the same way and
//! there is one way to build a client.
//!
//! - Each builder's `send()` returns `crate::Error` instead of the generator's error
//!   type. Its hook calls (`pre`, `exec`, `post`) become one call of
//!   `crate::hooks::send`, which authenticates, retries and times the request; each arm
//!   of its final `match` on the status reads the reply through the `crate::hooks::Call`
//!   that returned it (bounded, content type checked, the error body read before the
//!   error is returned). Refused arguments become `InvalidArgument` errors naming the
//!   operation.
//! - Per call, the request is built as a hand-written one would be: constant headers are
//!   set in the builder chain rather than in a second map merged into the request, and a
//!   request built only from values the method keeps is built again for a retry rather
//!   than copied on every call (`crate::hooks::send_rebuilt`).
//! - `Client::new` (a hidden 15 s total timeout and a panic on a bad TLS setup) is
//!   removed and `Client::new_with_client` is crate-private: a client comes only from
//!   `Client::builder()` or `Client::from_env()`, which check the configuration.
//! - The `Client` docs open with how to build one.
//!
//! The generator emits the same statements for every operation, whatever the spec, so
//! the rewrite is exact: a `send()` of another shape stops the build with a message
//! naming the operation rather than being left half-converted.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, ImplItemFn, Stmt, parse_quote};

/// Rewrites the generator's client; see the module docs.
pub fn rewrite(tokens: TokenStream) -> Result<TokenStream, String> {
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated client does not parse: {e}"))?;
    let mut v = Rewriter { errors: Vec::new(), constructors: 0 };
    v.visit_file_mut(&mut file);
    if v.constructors != 1 {
        v.errors.push(format!(
            "expected the generator's `impl Client` with its constructors, found {}",
            v.constructors
        ));
    }
    if !v.errors.is_empty() {
        return Err(v.errors.join("; "));
    }
    Ok(file.into_token_stream())
}

struct Rewriter {
    errors: Vec<String>,
    constructors: usize,
}

/// The doc line the generator puts on the struct of the client.
const CLIENT_DOC: &str = "The client of the API: one method per operation, each returning a request builder.

Build one with [`Client::builder`] (or [`Client::from_env`]), which checks the key and
the base URL; clone it freely, clones share one connection pool.

```no_run
let client = meibel::Client::builder()
    .api_key(std::env::var(\"MEIBEL_API_KEY\")?)
    .build()?;
# Ok::<(), Box<dyn std::error::Error>>(())
```

Every `send()` returns `Result<_, meibel::Error>`.

";

impl VisitMut for Rewriter {
    fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
        let generated_client =
            s.ident == "Client" && s.fields.iter().any(|f| f.ident.as_ref().is_some_and(|i| i == "baseurl"));
        if generated_client {
            let doc = CLIENT_DOC;
            s.attrs.insert(0, parse_quote!(#[doc = #doc]));
        }
        syn::visit_mut::visit_item_struct_mut(self, s);
    }

    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        let is_client = i.trait_.is_none()
            && matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
            && i.items.iter().any(|it| matches!(it, ImplItem::Fn(f) if f.sig.ident == "new_with_client"));
        if is_client {
            self.constructors += 1;
            i.items.retain(|it| !matches!(it, ImplItem::Fn(f) if f.sig.ident == "new"));
            for it in &mut i.items {
                if let ImplItem::Fn(f) = it {
                    f.vis = parse_quote!(pub(crate));
                }
            }
        }
        syn::visit_mut::visit_item_impl_mut(self, i);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut ImplItemFn) {
        if f.sig.ident == "send" && f.sig.asyncness.is_some() {
            if let Err(e) = rewrite_send(f) {
                self.errors.push(e);
            }
            return;
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// `Sends a `GET` request to `/agents/{agent_id}`` -> (`GET`, `/agents/{agent_id}`).
fn method_and_path(f: &ImplItemFn) -> Option<(String, String)> {
    f.attrs.iter().find_map(|a| {
        let syn::Meta::NameValue(nv) = &a.meta else { return None };
        let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value else { return None };
        let text = s.value();
        let rest = text.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once("` request to `")?;
        let path = rest.strip_suffix('`')?;
        Some((method.to_string(), path.to_string()))
    })
}

/// `Result<ResponseValue<T>, Error<E>>` -> `E`, replacing `Error<E>` by `crate::Error`.
fn take_error_type(f: &mut ImplItemFn) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = &mut f.sig.output else { return None };
    let syn::Type::Path(p) = &mut **ty else { return None };
    let last = p.path.segments.last_mut()?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else { return None };
    let err = args.args.iter_mut().nth(1)?;
    let syn::GenericArgument::Type(syn::Type::Path(ep)) = err else { return None };
    let seg = ep.path.segments.last()?;
    if seg.ident != "Error" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(inner) = &seg.arguments else { return None };
    let Some(syn::GenericArgument::Type(e)) = inner.args.first() else { return None };
    let e = e.clone();
    *err = parse_quote!(crate::Error);
    Some(e)
}

fn text(t: &impl ToTokens) -> String {
    t.to_token_stream().to_string()
}

fn rewrite_send(f: &mut ImplItemFn) -> Result<(), String> {
    let where_ = |what: &str| format!("generated send() {what}");
    let (method, path) =
        method_and_path(f).ok_or_else(|| where_("has no `Sends a ... request to ...` doc"))?;
    let err_ty =
        take_error_type(f).ok_or_else(|| where_(&format!("of {method} {path} returns no `Error<E>`")))?;
    let ctx = |what: &str| format!("generated send() of {method} {path}: {what}");

    let mut id = None;
    let mut stmts = Vec::new();
    let mut found = [false; 5];
    for stmt in f.block.stmts.drain(..) {
        let t = text(&stmt);
        match t.as_str() {
            "client . pre (& mut request , & info) . await ? ;" => found[0] = true,
            "let result = client . exec (request , & info) . await ;" => {
                found[1] = true;
                stmts.push(parse_quote! {
                    let (response, call) = crate::hooks::send(client, request, &OP).await?;
                });
            }
            "client . post (& result , & info) . await ? ;" => found[2] = true,
            "let response = result ? ;" => found[3] = true,
            _ if t.starts_with("let info = OperationInfo {") => {
                found[4] = true;
                if let Stmt::Local(l) = &stmt
                    && let Some(init) = &l.init
                    && let Expr::Struct(s) = &*init.expr
                    && let Some(field) = s.fields.first()
                    && let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(v), .. }) = &field.expr
                {
                    id = Some(v.value());
                }
            }
            _ => stmts.push(stmt),
        }
    }
    if found != [true; 5] {
        return Err(ctx("the hook calls are not as expected"));
    }
    let id = id.ok_or_else(|| ctx("no operation id"))?;

    // The final `match response.status().as_u16() { ... }`.
    let Some(Stmt::Expr(Expr::Match(m), None)) = stmts.last_mut() else {
        return Err(ctx("does not end in a match on the status"));
    };
    for arm in &mut m.arms {
        let body = match &*arm.body {
            Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                Stmt::Expr(e, None) => e.clone(),
                _ => return Err(ctx("a match arm is not one expression")),
            },
            e => e.clone(),
        };
        let new: Expr = match text(&body).as_str() {
            "ResponseValue :: from_response (response) . await" => parse_quote!(call.json(response).await),
            "Ok (ResponseValue :: empty (response))" | "Ok (ResponseValue :: stream (response))" => body,
            "ResponseValue :: upgrade (response) . await" => {
                parse_quote!(ResponseValue::upgrade::<()>(response).await.map_err(crate::Error::from))
            }
            "Err (Error :: ErrorResponse (ResponseValue :: from_response (response) . await ?))" => {
                parse_quote!(Err(call.error_json::<#err_ty>(response).await))
            }
            "Err (Error :: ErrorResponse (ResponseValue :: empty (response)))"
            | "Err (Error :: ErrorResponse (ResponseValue :: stream (response)))"
            | "Err (Error :: UnexpectedResponse (response))" => {
                parse_quote!(Err(call.unexpected(response).await))
            }
            other => return Err(ctx(&format!("unexpected match arm `{other}`"))),
        };
        *arm.body = new;
    }

    fold_static_headers(&mut stmts);
    let mut fix = Arguments;
    for stmt in &mut stmts {
        fix.visit_stmt_mut(stmt);
    }
    rebuild_on_retry(&mut stmts);
    let op: Stmt = parse_quote! {
        const OP: crate::hooks::Operation = crate::hooks::Operation { id: #id, method: #method, path: #path };
    };
    f.block.stmts = std::iter::once(op).chain(stmts).collect();
    Ok(())
}

/// Folds a header map of constant headers into the request builder.
///
/// The generator collects the operation's headers in a map of their own
/// (`let mut header_map = HeaderMap::with_capacity(n); header_map.append(..); ...`) and
/// merges it into the request with `.headers(header_map)`, which replaces any value of the
/// same name set before. When every header in the map is a constant (a name and a value
/// both `from_static`, appended unconditionally) and no name is one the request builder
/// sets itself, the map is dropped and each header is set in the chain in its place,
/// `.header(NAME, VALUE)`, in the same order: the same request, without a second map
/// built and merged on every call. A map holding a header parameter is left as it is.
fn fold_static_headers(stmts: &mut Vec<Stmt>) {
    let Some(start) = stmts.iter().position(|s| {
        matches!(s, Stmt::Local(l) if text(&l.pat) == "mut header_map"
            && l.init.as_ref().is_some_and(|i| text(&i.expr).contains("HeaderMap :: with_capacity")))
    }) else {
        return;
    };
    let mut headers: Vec<(String, Expr, Expr)> = Vec::new();
    let mut end = start + 1;
    while let Some(Stmt::Expr(Expr::MethodCall(c), Some(_))) = stmts.get(end) {
        if text(&c.receiver) != "header_map" || c.method != "append" || c.args.len() != 2 {
            break;
        }
        let (Some(name), true) =
            (static_call(&c.args[0], "HeaderName"), static_call(&c.args[1], "HeaderValue").is_some())
        else {
            return;
        };
        let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) = name else { return };
        headers.push((lit.value().to_ascii_lowercase(), c.args[0].clone(), c.args[1].clone()));
        end += 1;
    }
    // Any other use of the map (a header parameter appended under a condition, ...)
    // keeps it.
    let uses = stmts[end..].iter().map(|s| text(s).matches("header_map").count()).sum::<usize>();
    if uses != 1 {
        return;
    }
    let Some(request) = stmts[end..].iter_mut().find_map(|s| match s {
        Stmt::Local(l) if text(&l.pat).ends_with("request") => l.init.as_mut().map(|i| &mut *i.expr),
        _ => None,
    }) else {
        return;
    };
    // `client.client.get(url)...headers(header_map)...build()...`: find the call.
    let site = call_site(request);
    let Expr::MethodCall(merge) = &*site else { return };
    if merge.method != "headers" {
        return;
    }
    let mut set_before = Vec::new();
    let mut below = &*merge.receiver;
    while let Expr::MethodCall(c) = below {
        match c.method.to_string().as_str() {
            "header" => set_before.push(header_name(&c.args[0])),
            "json" | "body" | "form_urlencoded" | "multipart" => set_before.push(Some("content-type".into())),
            _ => {}
        }
        below = &*c.receiver;
    }
    let clash = |n: &String| set_before.iter().any(|s| s.as_ref().is_none_or(|s| s == n));
    if headers.iter().any(|(n, _, _)| clash(n)) {
        return;
    }
    let mut chain = (*merge.receiver).clone();
    for (_, name, value) in headers {
        chain = parse_quote!(#chain.header(#name, #value));
    }
    *site = chain;
    stmts.drain(start..end);
}

/// Lets a retry build the request again instead of copying it on every call.
///
/// When the request is built only from values the method keeps (the URL, a JSON or form
/// body borrowed by the builder, constant headers: no header map of its own, no stream,
/// no body moved in), its building becomes a closure,
/// `let rebuild = || Ok(<chain with &url>.build()...?);`, called once for the first
/// attempt and again only for a retry: `crate::hooks::send_rebuilt(client, request,
/// &rebuild, &OP)`. Building it twice from the same values gives the same request.
fn rebuild_on_retry(stmts: &mut [Stmt]) {
    let Some(at) = stmts.iter().position(
        |s| matches!(s, Stmt::Local(l) if text(&l.pat) == "mut request" || text(&l.pat) == "request"),
    ) else {
        return;
    };
    let sends = |s: &Stmt| {
        text(s) == "let (response , call) = crate :: hooks :: send (client , request , & OP) . await ? ;"
    };
    if !stmts.get(at + 1).is_some_and(sends) {
        return;
    }
    let Stmt::Local(l) = &stmts[at] else { return };
    let Some(init) = &l.init else { return };
    let Expr::Try(t) = &*init.expr else { return };
    let chain = text(&t.expr);
    if ["header_map", ". body (", "SEC_WEBSOCKET", "multipart"].iter().any(|w| chain.contains(w)) {
        return;
    }
    let mut build = (*t.expr).clone();
    // The innermost call, `client.client.post(url)`, takes the URL by reference.
    if !url_by_reference(&mut build) {
        return;
    }
    stmts[at] = parse_quote! {
        let rebuild = || -> ::std::result::Result<::reqwest::Request, crate::Error> { Ok(#build?) };
    };
    stmts[at + 1] = parse_quote! {
        let (response, call) = crate::hooks::send_rebuilt(client, rebuild()?, &rebuild, &OP).await?;
    };
}

/// `client.client.post(url)` at the start of a chain -> `client.client.post(&url)`.
fn url_by_reference(e: &mut Expr) -> bool {
    let Expr::MethodCall(c) = e else { return false };
    if text(&c.receiver) == "client . client" && c.args.len() == 1 {
        let url = &c.args[0];
        c.args[0] = parse_quote!(&#url);
        return true;
    }
    url_by_reference(&mut c.receiver)
}

/// The `.headers(header_map)` call in a request builder chain.
fn call_site(e: &mut Expr) -> &mut Expr {
    let is_merge =
        |e: &Expr| matches!(e, Expr::MethodCall(c) if c.method == "headers" && text(&c.args) == "header_map");
    if is_merge(e) {
        return e;
    }
    match e {
        Expr::Try(t) => call_site(&mut t.expr),
        Expr::MethodCall(c) => call_site(&mut c.receiver),
        other => other,
    }
}

/// `...::HeaderName::from_static(ARG)` -> `ARG` (when the path ends in `ty`).
fn static_call<'e>(e: &'e Expr, ty: &str) -> Option<&'e Expr> {
    let Expr::Call(c) = e else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    let segs: Vec<_> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segs.as_slice() {
        [.., t, f] if t == ty && f == "from_static" && c.args.len() == 1 => c.args.first(),
        _ => None,
    }
}

/// The lower-case name set by `.header(NAME, ..)`, when it can be read: a string, a
/// `from_static` name or one of the `http` constants (`ACCEPT` -> `accept`).
fn header_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().to_ascii_lowercase()),
        Expr::Path(p) => {
            p.path.segments.last().map(|s| s.ident.to_string().to_ascii_lowercase().replace('_', "-"))
        }
        _ => static_call(e, "HeaderName").and_then(header_name),
    }
}

/// `Error::InvalidRequest` -> the operation's `InvalidArgument` error; `.build()?` ->
/// the same for a request that cannot be built; `header_map.append(NAME,
/// value.try_into()?)` (a header parameter) -> the same for a value that cannot be sent
/// in a header, naming the header.
struct Arguments;

/// The same inside a macro call's tokens (the generator builds the URL with `format!`).
fn fix_macro_tokens(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        if let [TokenTree::Ident(a), TokenTree::Punct(c1), TokenTree::Punct(c2), TokenTree::Ident(b), ..] =
            &trees[i..]
            && a == "Error"
            && c1.as_char() == ':'
            && c2.as_char() == ':'
            && b == "InvalidRequest"
        {
            out.extend(quote::quote! { |m: ::std::string::String| OP.invalid(m) });
            i += 4;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(g) => {
                let mut fixed = Group::new(g.delimiter(), fix_macro_tokens(g.stream()));
                fixed.set_span(g.span());
                out.extend(std::iter::once(TokenTree::Group(fixed)));
            }
            other => out.extend(std::iter::once(other.clone())),
        }
        i += 1;
    }
    out
}

impl VisitMut for Arguments {
    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        m.tokens = fix_macro_tokens(std::mem::take(&mut m.tokens));
    }

    fn visit_expr_mut(&mut self, e: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        match e {
            Expr::Path(p) if text(p) == "Error :: InvalidRequest" => {
                *e = parse_quote!(|m: ::std::string::String| OP.invalid(m));
            }
            Expr::Try(t) => {
                if let Expr::MethodCall(c) = &*t.expr
                    && c.method == "build"
                    && c.args.is_empty()
                {
                    let inner = &t.expr;
                    *e = parse_quote!(#inner.map_err(|e| OP.unbuildable(e))?);
                }
            }
            Expr::MethodCall(c) if c.method == "append" && c.args.len() == 2 => {
                let name = match &c.args[0] {
                    Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => s.value(),
                    _ => return,
                };
                if let Expr::Try(t) = &mut c.args[1]
                    && let Expr::MethodCall(v) = &*t.expr
                    && v.method == "try_into"
                    && v.args.is_empty()
                {
                    let value = &t.expr;
                    let what = format!("header `{name}`: the value cannot be sent in a header");
                    *t = parse_quote!(#value.map_err(|_: ::reqwest::header::InvalidHeaderValue| OP.invalid(#what))?);
                }
            }
            _ => {}
        }
    }
}

/// Pins the error type of the generator's `form_urlencoded` calls.
///
/// `RequestBuilderExt::form_urlencoded` is generic over the error body type, which the
/// generator's own `send()` fixed through its signature. Once `send()` returns the crate's
/// one error type, nothing fixes it and rustc cannot infer it: each
/// `.form_urlencoded(args)` becomes `.form_urlencoded(args).map_err(crate::hooks::form_error)`.
pub fn pin_form_errors(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(m)
                if m == "form_urlencoded"
                    && i > 0
                    && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.')
                    && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis) =>
            {
                out.extend([trees[i].clone(), trees[i + 1].clone()]);
                out.extend(quote::quote! { .map_err(crate::hooks::form_error) });
                i += 2;
                continue;
            }
            TokenTree::Group(g) => {
                let mut fixed = Group::new(g.delimiter(), pin_form_errors(g.stream()));
                fixed.set_span(g.span());
                out.extend(std::iter::once(TokenTree::Group(fixed)));
            }
            other => out.extend(std::iter::once(other.clone())),
        }
        i += 1;
    }
    out
}
