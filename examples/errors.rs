//! Configure retries and timeouts, and tell the kinds of errors apart.

mod support;

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (default_client, mock) = support::client().await?;
    // The same settings as the default client, with a tighter retry policy.
    let base_url = match &mock {
        Some(server) => format!("{}/v2", server.uri()),
        None => std::env::var(meibel::ENV_BASE_URL).unwrap_or_else(|_| meibel::DEFAULT_BASE_URL.into()),
    };
    let key = std::env::var(meibel::ENV_API_KEY).unwrap_or_else(|_| "example-key".into());
    let client = meibel::Client::builder()
        .api_key(key)
        .base_url(base_url)
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(30))
        .retry_policy(meibel::RetryPolicy::new().max_retries(5).base_delay(Duration::from_millis(250)))
        .build()?;
    drop(default_client);

    match client.get_agent().agent_id("no-such-agent").send().await {
        Ok(agent) => println!("found agent {}", agent.display_name),
        Err(e) if e.is_not_found() => println!("no such agent"),
        Err(e) if e.is_validation() => {
            for d in e.validation() {
                println!("invalid request: {} at {}", d.message, d.location);
            }
        }
        Err(e) if e.kind() == meibel::ErrorKind::Timeout => println!("too slow: {e}"),
        Err(e) if e.is_retryable() => println!("the service is busy, try later: {e}"),
        // The message is complete: operation, status, the server's words, attempts.
        Err(e) => println!("request failed: {e}"),
    }

    // Bad configuration is refused before any request is made.
    let err = meibel::Client::builder().api_key("k").base_url("http://api.example.com").build().unwrap_err();
    println!("refused: {err}");
    Ok(())
}
