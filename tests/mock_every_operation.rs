//! Every operation of the spec has a typed mock in `meibel::mock`, uploads and event
//! streams included, and it answers the client at the server root and under `/v2`.
//!
//! For each operation the typed mock is mounted with a matcher for every argument the
//! call sends (path ids, query parameters, headers, the JSON body, form fields and files)
//! and the documented success reply; the call goes through the contract dispatcher and
//! must come back with what the mock served, the mock counting exactly one hit. The same
//! call with another path id must miss the mock.
#![cfg(feature = "mock")]

use meibel::__contract::{self, Outcome};
use meibel::mock::Reply;
use specmock::Fill;
use testkit::{args, specmock};

const ID: &str = "id-1 (a.b)";

fn spec() -> serde_json::Value {
    serde_json::from_str(meibel::mock::SPEC).unwrap()
}

/// The documented success reply of `op`, as the spec-driven mock renders it.
fn reply_for(spec: &serde_json::Value, op: &specmock::Operation) -> Reply {
    let served = specmock::success_response(spec, op, Fill::Readable, false);
    match served.content_type.as_deref() {
        None => Reply::Empty,
        Some(ct) if specmock::is_event_stream_type(ct) => {
            let schema = op.success_schema.clone().unwrap_or_default();
            Reply::Events(
                specmock::sse_events(spec, &schema, Fill::Readable)
                    .into_iter()
                    .map(|e| meibel::sse::Event {
                        event: e.event.unwrap_or_else(|| "message".into()),
                        data: e.data.to_string(),
                        ..Default::default()
                    })
                    .collect(),
            )
        }
        Some(ct) if specmock::is_json_type(ct) => Reply::Json(served.json().expect("JSON")),
        Some(_) => Reply::Bytes(served.body),
    }
}

fn same(outcome: &Outcome, served: &Reply) -> Result<(), String> {
    match (outcome, served) {
        (Outcome::Json(got), Reply::Json(want)) if got == want => Ok(()),
        (Outcome::Bytes(got), Reply::Bytes(want)) if got == want => Ok(()),
        (Outcome::Empty, Reply::Empty) => Ok(()),
        (Outcome::Events(got), Reply::Events(want)) => {
            let got: Vec<_> = got.iter().map(|e| (e.event.as_str(), e.data.as_str())).collect();
            let want: Vec<_> = want.iter().map(|e| (e.event.as_str(), e.data.as_str())).collect();
            if got == want && !got.is_empty() {
                Ok(())
            } else {
                Err(format!("events {got:?}, served {want:?}"))
            }
        }
        (got, want) => Err(format!("received {got:?}, served {want:?}")),
    }
}

async fn every_operation_under(base: &str) {
    let spec = spec();
    let ops = specmock::operations(&spec);
    let server = httpmock::MockServer::start_async().await;
    let client = meibel::Client::builder()
        .api_key("test-key")
        .base_url(server.url(base))
        .retry_policy(meibel::RetryPolicy::none())
        .build()
        .unwrap();

    let mut answered = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for op in &ops {
        let id = &op.operation_id;
        let args = args::args_for(&spec, op, Fill::Full, true, ID);
        let reply = reply_for(&spec, op);
        let (mock, served) = match meibel::mock::__mock_operation(&server, id, &args, &reply) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{id}: no mock: {e}"));
                continue;
            }
        };
        let result = match __contract::call(&client, id, &args).await {
            Ok(outcome) => same(&outcome, &served),
            Err(e) => Err(format!("call failed: {e}")),
        };
        let hits = mock.calls_async().await;
        // Another id in the path misses the mock: the server's own 404.
        let mut other = args.clone();
        let has_path = !other.path.is_empty();
        for v in other.path.values_mut() {
            *v = serde_json::json!("another-id");
        }
        let missed = if has_path {
            match __contract::call(&client, id, &other).await {
                Err(e) if e.starts_with("status 404") => Ok(()),
                Err(e) => Err(format!("with another id: {e}")),
                Ok(o) => Err(format!("with another id the mock answered {o:?}")),
            }
        } else {
            Ok(())
        };
        match (result, hits, missed) {
            (Ok(()), 1, Ok(())) => {
                answered.insert(id.clone());
            }
            (Err(e), _, _) => failures.push(format!("{id}: {e}")),
            (_, n, Ok(())) => failures.push(format!("{id}: {n} hits")),
            (_, _, Err(e)) => failures.push(format!("{id}: {e}")),
        }
        mock.delete_async().await;
    }
    let all: std::collections::BTreeSet<_> = ops.iter().map(|o| o.operation_id.clone()).collect();
    println!("typed mocks under {base:?}: {}/{} operations answered", answered.len(), all.len());
    assert!(failures.is_empty(), "under {base:?}, {} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(answered, all);
    assert_eq!(all.len(), meibel::spec::OPERATIONS.len());
}

#[tokio::test]
async fn every_operation_has_a_typed_mock_at_the_root() {
    every_operation_under("").await;
}

#[tokio::test]
async fn every_operation_has_a_typed_mock_under_v2() {
    every_operation_under("/v2").await;
}
