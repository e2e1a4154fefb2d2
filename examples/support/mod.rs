//! Shared by the examples: a client for the real API when `MEIBEL_API_KEY` is set, else
//! for a local mock that answers every operation of the vendored spec.

#![allow(dead_code)]

// The spec-driven offline mock is `meibel::mock::spec` (feature `mock`). Without the
// feature the examples compile the same file themselves (it needs only `serde_json` and
// `wiremock`, a dev-dependency), so `cargo run --example tour` works without flags, from
// the repository or from the published package.
#[cfg(feature = "mock")]
pub use meibel::mock::spec as specmock;
#[cfg(not(feature = "mock"))]
#[path = "../../src/mock/spec.rs"]
pub mod specmock;

use wiremock::MockServer;

/// The vendored spec.
pub fn spec() -> serde_json::Value {
    serde_json::from_str(include_str!("../../openapi/api-v2.json")).expect("the vendored spec is JSON")
}

/// A client, and the mock it talks to when there is no key (keep it alive while the
/// client is used).
pub async fn client() -> Result<(meibel::Client, Option<MockServer>), meibel::ConfigError> {
    match std::env::var(meibel::ENV_API_KEY) {
        Ok(key) if !key.trim().is_empty() => {
            println!("using the Meibel API (MEIBEL_API_KEY is set)");
            Ok((meibel::Client::from_env()?, None))
        }
        _ => {
            let server =
                specmock::start(&spec(), specmock::DEFAULT_BASE_PATH, specmock::Fill::Readable).await;
            println!("MEIBEL_API_KEY is not set: using a local mock at {}", server.uri());
            let client = meibel::Client::builder()
                .api_key("example-key")
                .base_url(format!("{}/v2", server.uri()))
                .build()?;
            Ok((client, Some(server)))
        }
    }
}
