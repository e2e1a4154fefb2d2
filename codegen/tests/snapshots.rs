//! The generated code for a small fixture document (`snapshots/fixture.json`), kept as
//! text beside it so that a review shows what the generated code became. A change to the
//! build step that changes the output fails here until the snapshots are re-blessed:
//! `MEIBEL_BLESS=1 cargo test -p meibel-codegen --test snapshots`.

use std::path::PathBuf;

#[test]
fn generated_code_for_the_fixture_matches_its_snapshots() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let spec = std::fs::read_to_string(dir.join("fixture.json")).expect("fixture");
    let g = meibel_codegen::generate(&spec).expect("the fixture generates");
    let normalized = serde_json::to_string_pretty(&g.normalized).expect("json") + "\n";
    let warnings = g.warnings.join("\n") + "\n";
    let outputs = [
        ("client.rs", &g.client),
        ("extras.rs", &g.extras),
        ("enums.rs", &g.enums),
        ("ops.rs", &g.ops),
        ("contract.rs", &g.contract),
        ("mock.rs", &g.mock),
        ("normalized.json", &normalized),
        ("warnings.txt", &warnings),
    ];
    let bless = std::env::var_os("MEIBEL_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, text) in outputs {
        let path = dir.join(format!("fixture.{name}"));
        if bless {
            std::fs::write(&path, text).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == *text => {}
            Ok(expected) => {
                let line = expected
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .map_or_else(|| expected.lines().count().min(text.lines().count()) + 1, |i| i + 1);
                stale.push(format!("{name} (first difference at line {line})"));
            }
            Err(_) => stale.push(format!("{name} (no snapshot)")),
        }
    }
    assert!(
        stale.is_empty(),
        "generated code differs from its snapshot: {stale:?}; review, then re-bless with MEIBEL_BLESS=1"
    );
}
