//! The client against an independent peer: Prism mocks `openapi/api-v2.json`, validates
//! every request against it (a violation is answered with an error, `--errors`), and
//! serves responses generated from the schemas, first the static examples, then random
//! (`--dynamic`) ones. Every operation Prism can judge must be accepted and its replies
//! must decode.
//!
//! What Prism cannot judge, and why (these are covered by `tests/contract.rs`):
//! - `text/event-stream` replies: Prism does not frame server-sent events;
//! - multipart bodies with an array of files: Prism's validator rejects them whatever
//!   they hold.
//!
//! Prism comes from `tools/` (`npm ci --prefix tools`, done by `scripts/test`).

#[path = "support/args.rs"]
mod args;
#[path = "../src/mock/spec.rs"]
mod specmock;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meibel::__contract::{self, Outcome};
use serde_json::Value;
use specmock::{Fill, Operation};

const KEY: &str = "prism-key";

struct Prism {
    child: Child,
    port: u16,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_prism(dynamic: bool) -> Prism {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("tools/node_modules/.bin/prism");
    assert!(bin.exists(), "{} is missing: run `npm ci --prefix tools` (scripts/test does)", bin.display());
    let port = free_port();
    let mut cmd = Command::new(bin);
    cmd.current_dir(&root)
        .args(["mock", "openapi/api-v2.json", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if dynamic {
        cmd.arg("--dynamic");
    }
    let child = cmd.spawn().expect("prism starts");
    let prism = Prism { child, port };
    let deadline = Instant::now() + Duration::from_secs(90);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "prism did not listen on {port} within 90 s");
        std::thread::sleep(Duration::from_millis(200));
    }
    prism
}

/// Why Prism cannot judge `op`, if it cannot.
fn not_judged(spec: &Value, op: &Operation) -> Option<&'static str> {
    if op.is_event_stream() {
        return Some("event stream");
    }
    if op.request_content_type.as_deref().is_some_and(|c| c.starts_with("multipart/")) {
        let body = specmock::resolve(spec, op.request_schema.as_ref()?);
        let is_file_array = |s: &Value| {
            s.get("items").is_some_and(|i| i.get("format").and_then(Value::as_str) == Some("binary"))
        };
        let file_array = body.get("properties").and_then(Value::as_object)?.values().any(|f| {
            is_file_array(specmock::resolve(spec, f))
                || specmock::non_null_branches(spec, f)
                    .iter()
                    .any(|b| is_file_array(specmock::resolve(spec, b)))
        });
        if file_array {
            return Some("multipart array of files");
        }
    }
    None
}

async fn run_against(dynamic: bool, rounds: usize) {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/api-v2.json")).unwrap(),
    )
    .unwrap();
    let prism = start_prism(dynamic);
    // Prism serves the paths at its root, without the `/v2` of the server URL.
    let client = meibel::Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{}", prism.port))
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap();
    let ops = specmock::operations(&spec);
    let mut failures = Vec::new();
    let mut judged = 0;
    let mut skipped = Vec::new();
    for op in &ops {
        if let Some(why) = not_judged(&spec, op) {
            skipped.push(format!("{} ({why})", op.operation_id));
            continue;
        }
        judged += 1;
        for round in 0..rounds {
            let fill = if round % 2 == 0 { Fill::Full } else { Fill::Minimal };
            let args = args::args_for(&spec, op, fill, round % 2 == 0, "item-1");
            match __contract::call(&client, &op.operation_id, &args).await {
                Ok(Outcome::Json(_)) | Ok(Outcome::Bytes(_)) | Ok(Outcome::Empty) => {}
                Ok(Outcome::Events(_)) => {
                    failures.push(format!("{}: unexpected event stream", op.operation_id))
                }
                Err(e) => failures.push(format!("{} (round {round}): {e}", op.operation_id)),
            }
        }
    }
    println!(
        "prism{}: {judged}/{} operations judged, {} not judgeable: {}",
        if dynamic { " --dynamic" } else { "" },
        ops.len(),
        skipped.len(),
        skipped.join(", ")
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // Everything but event streams and file arrays is judged.
    let expected_skips = ops.iter().filter(|o| not_judged(&spec, o).is_some()).count();
    assert_eq!(judged + expected_skips, ops.len());
    assert!(judged >= ops.len() - 8, "only {judged} of {} operations judged", ops.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn prism_static_examples() {
    run_against(false, 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn prism_dynamic_responses() {
    run_against(true, 4).await;
}
