//! A tour of the client: one realistic session, step by step.
//!
//! With `MEIBEL_API_KEY` set it runs against the real API (`MEIBEL_BASE_URL` overrides the
//! base URL). Without it, it starts a local mock that answers every operation of the
//! vendored spec with a response of the documented shape, so it runs offline.
//!
//! ```sh
//! cargo run --example tour
//! ```

mod support;

use support::specmock;

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use meibel::events::SendChatMessageStreamEvent as Chat;
use meibel::types;
use meibel::upload::FilePart;
use meibel::wait::{PollPolicy, wait_until};
use serde_json::json;
use wiremock::matchers::{method, path_regex, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Without a key, the client talks to a local mock, kept alive for the whole tour.
    let (client, mock) = support::client().await?;
    if let Some(server) = &mock {
        add_tour_answers(server).await;
    }
    let poll = PollPolicy::new().initial_delay(Duration::from_millis(200)).timeout(Duration::from_secs(600));

    step(1, "create a datasource");
    let datasource = client
        .create_datasource()
        .body(
            types::CreateDatasourceRequest::builder()
                .name("tour-handbook")
                .description(Some("Tour files".into())),
        )
        .send()
        .await?;
    println!("   datasource {} ({})", datasource.id, datasource.name);

    step(2, "upload two files");
    let upload = client
        .upload_content()
        .datasource_id(&datasource.id)
        .files([
            FilePart::bytes(&b"# Handbook\n\nWelcome aboard.\n"[..], "handbook.md"),
            FilePart::bytes(&b"name,role\nAda,engineer\n"[..], "team.csv"),
        ])
        .send()
        .await?;
    println!("   upload {}: {}", upload.upload_id, upload.message);

    step(3, "trigger ingest and wait for it");
    let triggered = client.trigger_ingest().datasource_id(&datasource.id).send().await?;
    println!("   {}", triggered.message);
    let status = wait_until(
        &poll,
        || client.get_ingest_status().datasource_id(&datasource.id).send(),
        |s| !matches!(s.status, types::IngestStatus::NotStarted | types::IngestStatus::Running),
    )
    .await?;
    println!("   ingest finished: {}", status.status);

    step(4, "list data elements across pages");
    let mut elements =
        client.list_data_elements().datasource_id(&datasource.id).paginate().page_size(2).max_items(10);
    let mut n = 0;
    while let Some(element) = elements.try_next().await? {
        n += 1;
        println!("   element {n}: {}", element.id);
    }
    println!("   {n} elements in {} pages", elements.pages_fetched());

    step(5, "parse a document and wait for the result");
    let job = client
        .parse_document()
        .file(FilePart::bytes(&b"%PDF-1.4 tour"[..], "report.pdf").content_type("application/pdf"))
        .send()
        .await?;
    println!("   parse job {} is {}", job.job_id, job.status);
    let done = wait_until(
        &poll,
        || client.get_document_status().job_id(&job.job_id).send(),
        |s| matches!(s.status.as_str(), "completed" | "failed"),
    )
    .await?;
    println!(
        "   parse job {}: {} pages, {} tables",
        done.status,
        done.pages.unwrap_or(0),
        done.tables.unwrap_or(0)
    );
    let result = client.get_document_result().job_id(&job.job_id).send().await?;
    println!("   result: {}", short(&result.to_string()));

    step(6, "create an agent and a session");
    let agent = client
        .create_agent()
        .body(
            types::CreateAgentDefinitionRequest::builder()
                .display_name("Tour guide")
                .instructions("Answer questions about the handbook.")
                .datasources(Some(vec![datasource.id.clone()])),
        )
        .send()
        .await?;
    println!("   agent {} version {}", agent.id, agent.version);
    let session = client.create_session().agent_id(&agent.id).body(None).send().await?;
    println!("   session {}", session.session_id);

    step(7, "stream a chat reply, with its events typed");
    let mut events = client
        .send_chat_message_stream()
        .session_id(&session.session_id)
        .user_message("What does the handbook say?")
        .send_events()
        .await?
        .into_inner();
    let mut reply = String::new();
    while let Some(item) = events.next().await {
        let item = item?;
        println!("   event {:<18} {}", item.raw.event, short(&item.raw.data));
        if let Chat::PartialResponse(data) = &item.event
            && let Some(text) = data.get("text").and_then(|t| t.as_str())
        {
            reply.push_str(text);
        }
    }
    if !reply.is_empty() {
        println!("   reply: {}", short(&reply));
    }

    step(8, "create and execute a batch, then cancel it");
    let batch = client
        .create_batch()
        .body(
            types::CreateBatchDefinitionRequest::builder()
                .name("tour-batch")
                .agent_id(agent.id.clone())
                .input_datasource_id(datasource.id.clone()),
        )
        .send()
        .await?;
    println!("   batch definition {} ({})", batch.id, batch.catalog_urn);
    let run = client.execute_batch().definition_id(&batch.id).send().await?;
    println!("   execution {}", run.execution_id);
    let cancelled = client.cancel_execution().execution_id(&run.execution_id).send().await?;
    println!("   execution {} is now {}", cancelled.id, cancelled.status);
    if cancelled.id != run.execution_id {
        return Err(format!(
            "cancelled execution {} is not the one executed, {}",
            cancelled.id, run.execution_id
        )
        .into());
    }

    println!("\ntour complete");
    Ok(())
}

/// A path segment as it was before the client percent-encoded it.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn step(n: u32, what: &str) {
    println!("\n{n}. {what}");
}

fn short(s: &str) -> String {
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() > 70 {
        format!("{}...", one_line.chars().take(70).collect::<String>())
    } else {
        one_line
    }
}

/// Answers on top of the spec-driven mock that make the session read like a real one:
/// jobs that finish after a poll, and a listing spread over pages.
async fn add_tour_answers(server: &MockServer) {
    let spec = support::spec();

    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/datasources/[^/]+/ingest-status$"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"datasource_id": "ds", "status": "running"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/datasources/[^/]+/ingest-status$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "datasource_id": "ds", "status": "completed", "methods": []
        })))
        .with_priority(2)
        .mount(server)
        .await;

    let element = specmock::component_example(&spec, "DataElementResponse", specmock::Fill::Readable)
        .expect("the spec has DataElementResponse");
    let page = |ids: &[&str], next: Option<&str>| {
        let items: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut e = element.clone();
                e["id"] = json!(id);
                e
            })
            .collect();
        json!({"items": items, "next_cursor": next, "has_next": next.is_some()})
    };
    let elements = r"^/v2/datasources/[^/]+/data-elements$";
    for (cursor, body) in [
        (None, page(&["el-1", "el-2"], Some("c2"))),
        (Some("c2"), page(&["el-3", "el-4"], Some("c3"))),
        (Some("c3"), page(&["el-5"], None)),
    ] {
        let m = Mock::given(method("GET")).and(path_regex(elements));
        let m = match cursor {
            Some(c) => m.and(query_param("cursor", c)),
            None => m.and(query_param_is_missing("cursor")),
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(body)).with_priority(1).mount(server).await;
    }

    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/documents/[^/]+/result$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "markdown": "# Quarterly report\n\nRevenue grew 12 % over the quarter.",
            "pages": 3
        })))
        .with_priority(1)
        .mount(server)
        .await;

    let chat = [
        ("connected", json!({"session_id": "session-1"})),
        ("partial_response", json!({"text": "New starters get "})),
        ("partial_response", json!({"text": "a buddy for their first month."})),
        ("completion", json!({"finish_reason": "stop"})),
    ];
    let body: String = chat.iter().map(|(event, data)| format!("event: {event}\ndata: {data}\n\n")).collect();
    Mock::given(method("POST"))
        .and(path_regex(r"^/v2/sessions/[^/]+/chat/stream$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .with_priority(1)
        .mount(server)
        .await;

    // The cancelled execution is the one named in the path.
    let mut cancelled =
        specmock::component_example(&spec, "BatchExecutionResponse", specmock::Fill::Readable)
            .expect("the spec has BatchExecutionResponse");
    cancelled["status"] = json!("cancelled");
    Mock::given(method("POST"))
        .and(path_regex(r"^/v2/batch-executions/id/[^/]+/cancel$"))
        .respond_with(move |request: &wiremock::Request| {
            let mut body = cancelled.clone();
            let id = request.url.path_segments().and_then(|mut s| s.nth(3)).unwrap_or_default();
            body["id"] = json!(percent_decode(id));
            ResponseTemplate::new(200).set_body_json(body)
        })
        .with_priority(1)
        .mount(server)
        .await;

    let document = r"^/v2/documents/[^/]+$";
    Mock::given(method("GET"))
        .and(path_regex(document))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "job_id": "job-1", "status": "processing", "format": "markdown"
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(document))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "job_id": "job-1", "status": "completed", "format": "markdown", "pages": 3, "tables": 1
        })))
        .with_priority(2)
        .mount(server)
        .await;
}
