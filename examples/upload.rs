//! Upload files to a datasource (streamed from disk) and follow the upload's progress.
//!
//! ```sh
//! cargo run --example upload -- path/to/file.pdf [more files...]
//! ```
//! Without arguments it uploads a small file it writes to the temporary directory.

mod support;

use futures_util::StreamExt;
use meibel::upload::FilePart;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (client, _mock) = support::client().await?;
    let mut paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if paths.is_empty() {
        let p = std::env::temp_dir().join(format!("meibel-example-{}.md", std::process::id()));
        std::fs::write(&p, "# Notes\n\nUploaded by the example.\n")?;
        paths.push(p);
    }
    let datasource_id = std::env::var("MEIBEL_DATASOURCE_ID").unwrap_or_else(|_| "ds_example".into());
    let reply = client
        .upload_content()
        .datasource_id(&datasource_id)
        .files(paths.iter().map(|p| FilePart::path(p.clone())))
        .send()
        .await?;
    println!("upload {} accepted: {}", reply.upload_id, reply.message);

    let mut progress = client.stream_upload_progress().upload_id(&reply.upload_id).send().await?.into_inner();
    while let Some(event) = progress.next().await {
        let event = event?;
        println!("{:<16} {}", event.event, event.data);
    }
    Ok(())
}
