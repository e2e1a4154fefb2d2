//! Helpers shared by the test suites of `meibel` (a dev-dependency; not published).
//!
//! - [`specmock`]: a mock server that answers every operation of an OpenAPI document;
//! - [`args`]: arguments for calling any operation through the contract dispatcher;
//! - [`multipart`]: a strict reader of `multipart/form-data` bodies;
//! - [`transport_error`]: a real `reqwest::Error`, for feeding failures into streams;
//! - [`bench`]: the benchmarks' local server, fixtures and statistics.

// The spec-driven mock, reached through this one path: point it elsewhere when the mock
// moves, and every suite follows.
#[path = "../../src/mock/spec.rs"]
pub mod specmock;

pub mod args;
pub mod bench;
pub mod counting_server;
pub mod multipart;

/// A `reqwest::Error`, from a connection to a port nothing listens on.
pub async fn transport_error() -> reqwest::Error {
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("bound").port();
    let client = reqwest::Client::builder().no_proxy().build().expect("a plain client");
    client.get(format!("http://127.0.0.1:{port}/")).send().await.expect_err("nothing listens there")
}
