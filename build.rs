//! Generates the client from `openapi/api-v2.json` (or the file named by
//! `MEIBEL_OPENAPI_SPEC`) into `$OUT_DIR`.

use meibel_codegen as codegen;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed=MEIBEL_OPENAPI_SPEC");
    let spec_path = match std::env::var_os("MEIBEL_OPENAPI_SPEC") {
        Some(p) => manifest.join(PathBuf::from(p)),
        None => manifest.join("openapi/api-v2.json"),
    };
    println!("cargo:rerun-if-changed={}", spec_path.display());
    // Lets tests tell which spec the crate was built from: `cfg(meibel_spec = "<file stem>")`.
    let stem = spec_path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    println!("cargo:rustc-check-cfg=cfg(meibel_spec, values(any()))");
    println!("cargo:rustc-check-cfg=cfg(docsrs)");
    println!("cargo:rustc-cfg=meibel_spec=\"{stem}\"");

    let text = match std::fs::read_to_string(&spec_path) {
        Ok(t) => t,
        Err(e) => fail(&format!("cannot read the spec {}: {e}", spec_path.display())),
    };
    // The mocks and the contract dispatcher are generated only for the features that
    // compile them: `mock`, and `__contract` (turned on by the test kit, a dev-dependency).
    let parts = codegen::Parts {
        mock: std::env::var_os("CARGO_FEATURE_MOCK").is_some(),
        contract: std::env::var_os("CARGO_FEATURE___CONTRACT").is_some(),
    };
    let generated = match codegen::generate_parts(&text, parts) {
        Ok(g) => g,
        Err(e) => fail(&format!("{}: {e}", spec_path.display())),
    };
    for warning in &generated.warnings {
        println!("cargo:warning=meibel: {warning}");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    for (name, body) in [
        ("meibel_client.rs", &generated.client),
        ("meibel_extras.rs", &generated.extras),
        ("meibel_enums.rs", &generated.enums),
        ("meibel_ops.rs", &generated.ops),
        ("meibel_contract.rs", &generated.contract),
        ("meibel_mock.rs", &generated.mock),
        ("meibel_events.rs", &generated.events),
        ("meibel_spec.json", &text),
        ("meibel_operations.md", &generated.tags.0),
        ("meibel_tags.rs", &generated.tags.1),
    ] {
        if let Err(e) = std::fs::write(out.join(name), body) {
            fail(&format!("cannot write {name}: {e}"));
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    println!("cargo:warning=meibel: {message}");
    std::process::exit(1);
}
