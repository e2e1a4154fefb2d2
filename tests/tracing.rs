//! With the `tracing` feature, every attempt is one event with the operation, method,
//! path, attempt number and status, and nothing of the headers.
#![cfg(feature = "tracing")]

use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(format!("{} ", event.metadata().target()));
        event.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_attempt_is_one_event_without_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = meibel::Client::builder()
        .api_key("very-secret-key")
        .base_url(format!("{}/v2", server.uri()))
        .retry_policy(meibel::RetryPolicy::new().base_delay(std::time::Duration::from_millis(1)))
        .build()
        .unwrap();
    let recorder = Recorder::default();
    let guard = tracing::subscriber::set_default(recorder.clone());
    client.list_scoring_jobs().send().await.unwrap();
    drop(guard);
    let events: Vec<String> =
        recorder.0.lock().unwrap().iter().filter(|e| e.starts_with("meibel ")).cloned().collect();
    assert_eq!(events.len(), 2, "{events:#?}");
    assert!(events[0].contains("attempt=1") && events[0].contains("status=503"), "{}", events[0]);
    assert!(events[1].contains("attempt=2") && events[1].contains("status=200"), "{}", events[1]);
    for e in &events {
        assert!(e.contains("method=GET"), "{e}");
        assert!(e.contains("path=\"/v2/confidence-scoring/jobs\""), "{e}");
        assert!(e.contains("operation="), "{e}");
        assert!(!e.contains("very-secret-key"), "{e}");
    }
}
