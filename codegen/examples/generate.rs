//! Runs the build step on one document and writes what it produces to a directory:
//! `cargo run -p meibel-codegen --example generate -- SPEC OUT_DIR`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(spec), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: generate SPEC OUT_DIR");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(spec).unwrap_or_else(|e| {
        eprintln!("cannot read {spec}: {e}");
        std::process::exit(1);
    });
    match meibel_codegen::generate(&text) {
        Ok(g) => {
            std::fs::create_dir_all(out).expect("output directory");
            for (name, body) in [
                ("meibel_client.rs", &g.client),
                ("meibel_extras.rs", &g.extras),
                ("meibel_enums.rs", &g.enums),
                ("meibel_ops.rs", &g.ops),
                ("meibel_contract.rs", &g.contract),
                ("meibel_mock.rs", &g.mock),
            ] {
                std::fs::write(format!("{out}/{name}"), body).expect("write");
            }
            std::fs::write(
                format!("{out}/normalized.json"),
                serde_json::to_string_pretty(&g.normalized).expect("json"),
            )
            .expect("write");
            println!("ok");
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
