//! Chat with an agent session and print the streamed reply as it arrives.
//!
//! ```sh
//! MEIBEL_SESSION_ID=... cargo run --example chat -- "What changed last week?"
//! ```

mod support;

use futures_util::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (client, _mock) = support::client().await?;
    let session_id = std::env::var("MEIBEL_SESSION_ID").unwrap_or_else(|_| "session_example".into());
    let message = std::env::args().nth(1).unwrap_or_else(|| "Hello!".into());
    let mut events = client
        .send_chat_message_stream()
        .session_id(&session_id)
        .user_message(message)
        .include_tool_activity(true)
        .send()
        .await?
        .into_inner();
    while let Some(event) = events.next().await {
        match event {
            Ok(e) => match e.data_json() {
                Some(json) => println!("[{}] {json}", e.event),
                None => println!("[{}] {}", e.event, e.data),
            },
            Err(e) => {
                eprintln!("stream ended: {e}");
                break;
            }
        }
    }
    Ok(())
}
