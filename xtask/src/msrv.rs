//! `cargo xtask msrv`: the crate's `rust-version` against what it depends on.
//!
//! Only one toolchain is available where the tests run, so the minimum supported Rust
//! version cannot be proven by compiling with it. Two checks stand in for that:
//! - this one: no crate the library or its build script depends on (for any feature of
//!   `meibel`) declares a `rust-version` newer than `meibel`'s own;
//! - clippy's `incompatible_msrv` lint (run with `-D warnings` by `cargo xtask test`),
//!   which flags any use of a standard-library item stabilised after `rust-version`.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

fn version(v: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = v.split('.').map(|x| x.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

/// Runs the check in the workspace at `root`; prints its findings. `Ok(true)` when it passes.
pub fn run(root: &Path) -> Result<bool, String> {
    let out = std::process::Command::new(crate::cargo())
        .args(["metadata", "--format-version", "1", "--locked", "--all-features"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let meta: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let empty = vec![];
    let packages: HashMap<&str, &Value> = meta["packages"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|p| (p["id"].as_str().unwrap_or(""), p))
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|n| (n["id"].as_str().unwrap_or(""), n))
        .collect();
    let root_id = meta["resolve"]["root"].as_str().ok_or("cargo metadata names no root package")?;
    let Some(msrv) = packages.get(root_id).and_then(|p| p["rust_version"].as_str()) else {
        println!("msrv: Cargo.toml sets no rust-version");
        return Ok(false);
    };
    let (mut seen, mut stack) = (BTreeSet::new(), vec![root_id]);
    while let Some(node) = stack.pop() {
        if !seen.insert(node) {
            continue;
        }
        for dep in nodes.get(node).and_then(|n| n["deps"].as_array()).unwrap_or(&empty) {
            // Dev-dependencies do not reach users of the crate.
            let reaches = dep["dep_kinds"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if reaches && let Some(id) = dep["pkg"].as_str() {
                stack.push(id);
            }
        }
    }
    let mut newer: Vec<(String, String, String)> = seen
        .iter()
        .filter_map(|id| packages.get(id))
        .filter_map(|p| {
            let rv = p["rust_version"].as_str()?;
            (version(rv) > version(msrv)).then(|| {
                (
                    p["name"].as_str().unwrap_or("").into(),
                    p["version"].as_str().unwrap_or("").into(),
                    rv.into(),
                )
            })
        })
        .collect();
    newer.sort();
    for (name, ver, rv) in &newer {
        println!("msrv: {name} {ver} needs Rust {rv}, newer than rust-version {msrv}");
    }
    let verdict = if newer.is_empty() { "ok".to_string() } else { format!("{} too new", newer.len()) };
    println!("msrv: {} dependencies checked against rust-version {msrv}: {verdict}", seen.len() - 1);
    Ok(newer.is_empty())
}
