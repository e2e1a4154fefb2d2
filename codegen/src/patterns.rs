//! `pattern` constraints on strings, checked before sending only with the crate's
//! `patterns` feature.
//!
//! The generator checks a constrained string against its `pattern` with the `regress`
//! crate, which costs every build of the crate several seconds of CPU to compile. The
//! server checks the pattern anyway, so the client-side check is opt-in: each check (the
//! static holding the compiled pattern and the `if` that uses it) gets
//! `#[cfg(feature = "patterns")]`, and the types stay the same either way. A document
//! without `pattern` (the common case) is left untouched.

use proc_macro2::{TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

/// The crate the generator's pattern checks name.
const ENGINE: &str = "regress";

/// Put every pattern check in `tokens` behind the `patterns` feature. Returns the tokens
/// and whether there was any check.
pub fn gate(tokens: TokenStream) -> Result<(TokenStream, bool), String> {
    if !names(&tokens, ENGINE) {
        return Ok((tokens, false));
    }
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated client does not parse: {e}"))?;
    let mut g = Gate { statics: Vec::new(), gated: 0 };
    g.visit_file_mut(&mut file);
    Ok((quote::quote!(#file), g.gated > 0))
}

/// Whether an identifier `name` occurs anywhere in `tokens`.
fn names(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => names(&g.stream(), name),
        _ => false,
    })
}

struct Gate {
    /// Names of the statics in the block being visited that hold a compiled pattern.
    statics: Vec<String>,
    gated: usize,
}

fn feature_gate() -> syn::Attribute {
    syn::parse_quote!(#[cfg(feature = "patterns")])
}

impl VisitMut for Gate {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let outer = std::mem::take(&mut self.statics);
        for stmt in &mut block.stmts {
            match stmt {
                syn::Stmt::Item(syn::Item::Static(s)) if names(&quote::quote!(#s), ENGINE) => {
                    self.statics.push(s.ident.to_string());
                    s.attrs.push(feature_gate());
                    self.gated += 1;
                }
                syn::Stmt::Expr(syn::Expr::If(check), _)
                    if self.statics.iter().any(|p| names(&quote::quote!(#check), p)) =>
                {
                    check.attrs.push(feature_gate());
                }
                _ => {}
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
        self.statics = outer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_check_is_gated_and_other_code_is_not() {
        let tokens = quote::quote! {
            impl std::str::FromStr for Code {
                type Err = String;
                fn from_str(value: &str) -> Result<Self, String> {
                    if value.len() > 3 { return Err("long".into()); }
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| ::regress::Regex::new("^a$").unwrap());
                    if PATTERN.find(value).is_none() { return Err("pattern".into()); }
                    Ok(Self(value.to_string()))
                }
            }
        };
        let (out, gated) = gate(tokens).expect("parses");
        assert!(gated);
        let text = out.to_string();
        assert_eq!(text.matches("# [cfg (feature = \"patterns\")]").count(), 2, "{text}");
        let pattern_static = text.find("static PATTERN").expect("static");
        let pattern_if = text.find("if PATTERN").expect("check");
        let length_if = text.find("if value . len ()").expect("length check");
        let gates: Vec<usize> = text.match_indices("# [cfg (feature").map(|(i, _)| i).collect();
        assert!(gates.iter().any(|&g| g < pattern_static && pattern_static - g < 40), "{text}");
        assert!(gates.iter().any(|&g| g < pattern_if && pattern_if - g < 40), "{text}");
        assert!(gates.iter().all(|&g| g > length_if), "the length check stays: {text}");
    }

    #[test]
    fn code_without_patterns_is_returned_as_it_was() {
        let tokens = quote::quote! { fn f(value: &str) -> bool { value.is_empty() } };
        let (out, gated) = gate(tokens.clone()).expect("parses");
        assert!(!gated);
        assert_eq!(out.to_string(), tokens.to_string());
    }
}
