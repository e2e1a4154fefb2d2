//! Arguments for calling any operation through `meibel::__contract`, built from the spec.
//! Included by the contract tests with `#[path]`, next to the spec-driven mock (`src/mock/spec.rs`).

#![allow(dead_code)]

use crate::specmock::{self, Fill, Operation};
use meibel::__contract::{Args, FileArg};
use serde_json::{Value, json};

/// Arguments for `op`: tricky path ids, an example for every parameter (or only the
/// required ones), an example body, and a file for every binary form field.
pub fn args_for(spec: &Value, op: &Operation, fill: Fill, all_params: bool, id: &str) -> Args {
    let mut args = Args::default();
    for p in &op.parameters {
        let v = match p.location.as_str() {
            "path" => json!(id),
            _ if !p.required && !all_params => continue,
            _ => specmock::example(spec, &p.schema, Fill::Full),
        };
        match p.location.as_str() {
            "path" => args.path.insert(p.name.clone(), v),
            "query" => args.query.insert(p.name.clone(), v),
            "header" => args.header.insert(p.name.clone(), v),
            _ => None,
        };
    }
    let Some(schema) = &op.request_schema else { return args };
    let ct = op.request_content_type.clone().unwrap_or_default();
    if ct.starts_with("application/json") {
        // The body itself may be nullable; fill its object.
        let branches = specmock::non_null_branches(spec, schema);
        let target = branches.first().copied().unwrap_or(schema);
        args.body = Some(specmock::example(spec, target, fill));
    } else if ct.starts_with("multipart/") {
        let body = specmock::resolve(spec, schema);
        let required: Vec<&str> = body
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, field) in body.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let branches = specmock::non_null_branches(spec, field);
            let f = specmock::resolve(spec, branches.first().copied().unwrap_or(field));
            let binary = |s: &Value| s.get("format").and_then(Value::as_str) == Some("binary");
            if binary(f) {
                args.files.push(FileArg {
                    field: name.clone(),
                    bytes: b"%PDF one".to_vec(),
                    file_name: "one.pdf".into(),
                });
            } else if f.get("items").is_some_and(|i| binary(specmock::resolve(spec, i))) {
                args.files.push(FileArg {
                    field: name.clone(),
                    bytes: b"a,b\n1,2\n".to_vec(),
                    file_name: "t.csv".into(),
                });
                args.files.push(FileArg {
                    field: name.clone(),
                    bytes: vec![0, 159, 146, 150],
                    file_name: "raw.bin".into(),
                });
            } else if fill == Fill::Full || required.contains(&name.as_str()) {
                args.form.insert(name.clone(), specmock::example(spec, f, Fill::Full));
            }
        }
    }
    args
}
