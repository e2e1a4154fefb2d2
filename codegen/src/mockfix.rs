//! Repairs of the generated `httpmock` mocks.
//!
//! A path parameter's matcher is a regular expression built as
//! `format!("^/items/{}$", value.to_string())`: the value goes in as it is, while the
//! client percent-encodes it in the path it sends. An id with a space or a `%` then never
//! matches, one with `.` matches more than it should, and one with `(` makes the
//! expression invalid. The rewrite encodes the value as the client does, then escapes it
//! for the regular expression.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;

/// Rewrites every `value.to_string()` inside a `format!` whose pattern starts with `^/`.
pub fn escape_path_values(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "format" => {
                let bang = matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                out.push(TokenTree::Ident(ident));
                if !bang {
                    continue;
                }
                out.push(iter.next().expect("peeked"));
                match iter.next() {
                    Some(TokenTree::Group(group)) if is_path_pattern(&group) => {
                        let mut fixed = Group::new(group.delimiter(), encode_values(group.stream()));
                        fixed.set_span(group.span());
                        out.push(TokenTree::Group(fixed));
                    }
                    Some(TokenTree::Group(group)) => out.push(TokenTree::Group(recurse(group))),
                    Some(other) => out.push(other),
                    None => {}
                }
            }
            TokenTree::Group(group) => out.push(TokenTree::Group(recurse(group))),
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn recurse(group: Group) -> Group {
    let mut fixed = Group::new(group.delimiter(), escape_path_values(group.stream()));
    fixed.set_span(group.span());
    fixed
}

/// `( "^/...", ...)`: the arguments of a path-matching `format!`.
fn is_path_pattern(group: &Group) -> bool {
    group.delimiter() == Delimiter::Parenthesis
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Literal(l)) if l.to_string().starts_with("\"^/"))
}

/// Replaces `value . to_string ()` by its encoded, escaped form.
fn encode_values(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        let is_value_to_string = matches!(&trees[i], TokenTree::Ident(v) if v == "value")
            && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '.')
            && matches!(trees.get(i + 2), Some(TokenTree::Ident(m)) if m == "to_string")
            && matches!(trees.get(i + 3), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis && g.stream().is_empty());
        if is_value_to_string {
            out.extend(quote! { ::regex::escape(&crate::path::encode_segment(&value.to_string())) });
            i += 4;
        } else {
            out.extend(std::iter::once(trees[i].clone()));
            i += 1;
        }
    }
    out
}
