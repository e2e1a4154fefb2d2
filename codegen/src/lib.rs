//! Build-time code generation for the `meibel` crate: spec text in, Rust source out.
//!
//! `meibel`'s build script hands its OpenAPI document (3.1, as FastAPI publishes it) to
//! [`generate`] and writes the returned sources to `$OUT_DIR`. Versioned in lockstep with
//! `meibel`; not meant to be used on its own.

pub mod choices;
pub mod contract;
pub mod docs;
pub mod document;
pub mod enums;
pub mod events;
pub mod extras;
pub mod mock;
pub mod naming;
pub mod normalize;
pub mod ops;
pub mod paging;
pub mod pathfix;
pub mod patterns;
pub mod repair;
pub mod sendfix;
pub mod typing;

use normalize::{Normalized, SpecError};
use serde_json::Value;

/// The Rust source produced from one spec.
pub struct Generated {
    /// The generator's client and types, formatted.
    pub client: String,
    /// What the build step emits itself (operation tables, extra methods), formatted.
    pub extras: String,
    /// The open enums that replace the generator's strict ones, formatted.
    pub enums: String,
    /// Methods for the operations the generator cannot take, formatted.
    pub ops: String,
    /// The dispatcher used by the contract tests, formatted.
    pub contract: String,
    /// Typed httpmock mocks for every operation, formatted.
    pub mock: String,
    /// The typed events of the event-stream operations, formatted.
    pub events: String,
    /// The page of the `tags` docs module (Markdown), and its items, formatted.
    pub tags: (String, String),
    /// The 3.0 document given to the generator (kept for inspection).
    pub normalized: Value,
    /// Whether the client checks `pattern` constraints (only with the crate's `patterns`
    /// feature, which brings in the `regress` crate).
    pub patterns: bool,
    /// What the build could only take in a lesser form, one line each, naming the place;
    /// the build script prints them as `cargo:warning`s.
    pub warnings: Vec<String>,
}

/// Settings for the generator, shared with tests that build other specs.
pub fn settings() -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote::quote! { crate::ClientState })
        .with_hooks(progenitor::HooksMode::Optional);
    settings
}

/// The optional outputs: each costs generation time and, in the crate, compile time, so
/// it is produced only when asked for (an output not asked for is left empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The typed httpmock mocks (the crate's `mock` feature).
    pub mock: bool,
    /// The contract tests' dispatcher (the crate's hidden `__contract` feature).
    pub contract: bool,
}

impl Parts {
    /// Every output.
    pub const ALL: Parts = Parts { mock: true, contract: true };
    /// The client alone.
    pub const CLIENT: Parts = Parts { mock: false, contract: false };
}

/// Turn spec text into formatted Rust source, every output included.
pub fn generate(spec_text: &str) -> Result<Generated, String> {
    generate_parts(spec_text, Parts::ALL)
}

/// Turn spec text into formatted Rust source: the client, and the optional `parts`.
pub fn generate_parts(spec_text: &str, parts: Parts) -> Result<Generated, String> {
    let input: Value = serde_json::from_str(spec_text)
        .map_err(|e| format!("the spec is not valid JSON (line {}, column {}): {e}", e.line(), e.column()))?;
    let Normalized { mut spec, split } = normalize::normalize(&input).map_err(describe)?;
    let warnings = repair::repair(&mut spec);
    repair::rank_error_unions(&mut spec);
    let enum_defs = enums::hoist(&mut spec);

    let openapi: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .map_err(|e| format!("the converted spec is not a valid OpenAPI 3.0 document: {e}"))?;

    let mut settings = settings();
    for def in &enum_defs {
        settings.with_replacement(
            &def.rust_name,
            format!("crate::types::{}", def.rust_name),
            [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr].into_iter(),
        );
    }
    let tokens = std::panic::catch_unwind(|| {
        let mut generator = progenitor::Generator::new(&settings);
        generator.generate_tokens(&openapi)
    });
    let tokens = match tokens {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => return Err(format!("code generation failed: {e}")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            return Err(format!(
                "code generation failed on a construct the generator does not support: {msg}"
            ));
        }
    };
    // The generator's own choices (names, types) are read before the rewrites below.
    let choices = choices::Choices::read(&tokens);
    let aliases = docs::aliases(&input);
    let (tokens, patterns) = patterns::gate(tokens)?;
    let tokens = sendfix::pin_form_errors(sendfix::rewrite(pathfix::checked_segments(tokens))?);
    let client = format_tokens(docs::with_aliases(tokens, &aliases))
        .map_err(|e| format!("generated client does not parse: {e}"))?;
    // The per-method usage sketches use free variables, so they cannot compile as
    // doctests; show them as text rather than as ignored tests.
    let client = client.replace("```ignore", "```text");
    let client = docs::label_versions(client, &input);
    let extras = format_tokens(extras::emit(&input, &spec, &split).map_err(describe)?)
        .map_err(|e| format!("generated extras do not parse: {e}"))?;
    let enums = format_tokens(extras::emit_enums(&enum_defs))
        .map_err(|e| format!("generated enums do not parse: {e}"))?;
    let enum_names: Vec<String> = enum_defs.iter().map(|d| d.rust_name.clone()).collect();
    let mut op_tokens = ops::emit(&spec, &split, &enum_names).map_err(describe)?;
    op_tokens.extend(paging::emit(&spec, &choices));
    let ops = format_tokens(docs::with_aliases(op_tokens, &aliases))
        .map_err(|e| format!("generated methods do not parse: {e}"))?;
    let contract = if parts.contract {
        format_tokens(contract::emit(&spec, &split, &enum_names, &choices))
            .map_err(|e| format!("generated dispatcher does not parse: {e}"))?
    } else {
        String::new()
    };
    let mock = if parts.mock {
        format_tokens(mock::emit(&spec, &split, &enum_names))
            .map_err(|e| format!("generated mocks do not parse: {e}"))?
    } else {
        String::new()
    };
    let events = format_tokens(events::emit(&spec, &split))
        .map_err(|e| format!("generated events do not parse: {e}"))?;
    let (tags_page, tag_items) = docs::emit(&input);
    let tags = (
        tags_page,
        format_tokens(tag_items).map_err(|e| format!("generated tag modules do not parse: {e}"))?,
    );
    Ok(Generated {
        client,
        extras,
        enums,
        ops,
        contract,
        mock,
        events,
        tags,
        normalized: spec,
        patterns,
        warnings,
    })
}

fn describe(e: SpecError) -> String {
    format!("invalid spec at {e}")
}

/// Format a token stream as a Rust file.
pub fn format_tokens(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}
