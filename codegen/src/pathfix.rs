//! Path parameters in the generator's client go through `crate::path::segment`.
//!
//! The generator builds each URL as `format!("{}/items/{}", base, encode_path(&id.to_string()))`,
//! and its `encode_path` leaves `.` and `\` as they are: the URL parser then resolves
//! `..` and `..\x` segments, and a request leaves its path template. The rewrite turns each
//! call into `crate::path::segment("id", &<text of id>).map_err(Error::InvalidRequest)?`,
//! which refuses dot and empty segments and encodes every reserved character. The text
//! of an id that already is a string is borrowed, not copied (`crate::path::Text`); any
//! other value is formatted as `to_string` does.

use proc_macro2::{Delimiter, Group, Ident, TokenStream, TokenTree};
use quote::quote;

/// Rewrites every `encode_path(&<ident>.to_string())` in `tokens`.
pub fn checked_segments(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        if let (TokenTree::Ident(f), Some(TokenTree::Group(args))) = (&trees[i], trees.get(i + 1))
            && f == "encode_path"
            && args.delimiter() == Delimiter::Parenthesis
            && let Some(param) = to_string_argument(args.stream())
        {
            let name = param.to_string();
            let name = name.strip_prefix("r#").unwrap_or(&name);
            out.extend(quote! {
                crate::path::segment(#name, &{
                    use crate::path::{AsText as _, ToText as _};
                    (&crate::path::Text(&#param)).text()
                })
                .map_err(Error::InvalidRequest)?
            });
            i += 2;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(g) => {
                let mut fixed = Group::new(g.delimiter(), checked_segments(g.stream()));
                fixed.set_span(g.span());
                out.extend(std::iter::once(TokenTree::Group(fixed)));
            }
            other => out.extend(std::iter::once(other.clone())),
        }
        i += 1;
    }
    out
}

/// `& <ident> . to_string ()` -> the identifier.
fn to_string_argument(args: TokenStream) -> Option<Ident> {
    let trees: Vec<TokenTree> = args.into_iter().collect();
    match trees.as_slice() {
        [
            TokenTree::Punct(amp),
            TokenTree::Ident(id),
            TokenTree::Punct(dot),
            TokenTree::Ident(m),
            TokenTree::Group(g),
        ] if amp.as_char() == '&'
            && dot.as_char() == '.'
            && m == "to_string"
            && g.delimiter() == Delimiter::Parenthesis
            && g.stream().is_empty() =>
        {
            Some(id.clone())
        }
        _ => None,
    }
}
