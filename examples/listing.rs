//! List every agent, page by page, without holding more than one page in memory.

mod support;

use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (client, _mock) = support::client().await?;
    let mut agents = client.list_agents().sort_by("name").paginate().page_size(25).max_items(200);
    while let Some(agent) = agents.try_next().await? {
        println!("{:<30} {:<10} {}", agent.display_name, agent.version, agent.llm_model);
    }
    println!("({} pages)", agents.pages_fetched());
    Ok(())
}
