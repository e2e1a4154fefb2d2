//! The one naming rule: how an operationId, a schema name or an enum value becomes a
//! Rust name. Every emitter and the change report use these functions, so that the names
//! they speak of are the names the generated code has.

use heck::ToPascalCase;
use std::collections::BTreeSet;

/// Convert an operationId (or a parameter name) to the method name the generator gives
/// it: the generator's own rule, heck's snake case over the name with every character
/// that cannot continue an identifier turned into a separator (`getJSONLOpenAIExport` ->
/// `get_jsonl_open_ai_export`, `listURLs` -> `list_ur_ls`), `_` before a leading digit and
/// after a keyword.
pub fn method_name(operation_id: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = operation_id
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let out = match operation_id {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => cleaned.to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("_{out}"),
    };
    if is_keyword(&out) { format!("{out}_") } else { out }
}

/// Words that cannot be identifiers as they are (the generator's list).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// The type generator's rule for naming a type after a schema name.
pub fn type_name(input: &str) -> String {
    let cleaned: String = input
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let out = cleaned.to_pascal_case();
    match out.chars().next() {
        None => "X".into(),
        Some(c) if c.is_alphabetic() => out,
        Some(_) => format!("X{out}"),
    }
}

/// Variant names for enum values: PascalCase, unique, valid identifiers, never `Other`
/// (taken by the catch-all variant).
pub fn variant_names(values: &[String]) -> Vec<String> {
    let mut used = BTreeSet::new();
    used.insert("Other".to_string());
    values
        .iter()
        .map(|v| {
            let base = match v.as_str() {
                "+1" => "Plus1".to_string(),
                "-1" => "Minus1".to_string(),
                "" => "Empty".to_string(),
                _ => type_name(v),
            };
            let base = if base == "Self_" || base == "Self" { "SelfValue".into() } else { base };
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = if base == "Other" { format!("OtherValue{}", n - 1) } else { format!("{base}{n}") };
                n += 1;
            }
            name
        })
        .collect()
}

/// The type generator's rule for naming a struct field (and a builder's setter) after a
/// property or parameter name: snake_case, a valid identifier, keywords suffixed with `_`.
pub fn field_name(property: &str) -> String {
    use heck::ToSnakeCase;
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
        "Self", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];
    let out = match property {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => property
            .replace('\'', "")
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
            .collect::<String>()
            .to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("x_{out}"),
    };
    if KEYWORDS.contains(&out.as_str()) { format!("{out}_") } else { out }
}
