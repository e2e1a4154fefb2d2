//! Upload files with a progress bar for each, follow the server's ingest progress to the
//! end, then export the datasource: create a download job, follow its progress, and save
//! the archive with a progress bar.
//!
//! ```sh
//! cargo run --example upload -- path/to/file.pdf [more files...]
//! ```
//! Without arguments it uploads two files it writes to the temporary directory. Without
//! `MEIBEL_API_KEY` it runs against a local mock. The bars are drawn on a terminal only;
//! elsewhere (output to a file or a pipe) just the lines of text are printed.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use meibel::sse::EventStream;
use meibel::upload::FilePart;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let (client, mock) = support::client().await?;
    if let Some(server) = &mock {
        offline::mount(server).await;
    }
    let datasource_id = std::env::var("MEIBEL_DATASOURCE_ID").unwrap_or_else(|_| "ds_example".into());
    let paths = files_to_upload()?;

    // 1. The upload: one bar per file, moved by the bytes sent.
    let bars = MultiProgress::new();
    let mut files = Vec::new();
    for path in &paths {
        let bar = bars.add(ProgressBar::new(std::fs::metadata(path)?.len()));
        bar.set_style(bytes_style());
        bar.set_message(path.file_name().unwrap_or_default().to_string_lossy().into_owned());
        files.push(FilePart::path(path).on_progress(move |p| {
            bar.set_position(p.done);
            if p.is_complete() {
                bar.finish();
            }
        }));
    }
    let reply = client.upload_content().datasource_id(&datasource_id).files(files).send().await?;
    println!("upload {} accepted: {}", reply.upload_id, reply.message);

    // 2. The server ingests what it received: follow its progress events to the end.
    let events = client.stream_upload_progress().upload_id(&reply.upload_id).send().await?;
    follow("ingest", events.into_inner()).await?;

    // 3. The export: a download job, its progress, then the archive with a bar.
    // No filter: the whole datasource.
    let no_filter: Option<meibel::types::DownloadJobRequest> = None;
    let job = client.create_download_job().datasource_id(&datasource_id).body(no_filter).send().await?;
    println!("export job {}: {}", job.job_id, job.status);
    let events =
        client.stream_download_progress().datasource_id(&datasource_id).job_id(&job.job_id).send().await?;
    follow("export", events.into_inner()).await?;

    let archive = client.download_file().datasource_id(&datasource_id).job_id(&job.job_id).send().await?;
    let bar = ProgressBar::new(archive.content_length().unwrap_or(0));
    bar.set_style(bytes_style());
    bar.set_message("export.zip");
    let shown = bar.clone();
    let body = meibel::download::with_progress(archive, move |p| shown.set_position(p.done));
    let target = std::env::temp_dir().join(format!("meibel-export-{}.zip", std::process::id()));
    let saved = meibel::download::save(body, &target).await?;
    bar.finish();
    println!("saved {saved} bytes to {}", target.display());
    std::fs::remove_file(&target)?;
    Ok(())
}

/// Shows a job's progress events on a spinner until its `stream_complete` event.
async fn follow(what: &str, mut events: EventStream) -> Result<(), Error> {
    let spinner = ProgressBar::new_spinner();
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner.set_message(format!("{what}: waiting"));
    while let Some(event) = events.next().await {
        let event = event?;
        match event.event.as_str() {
            "progress" => spinner.set_message(format!("{what}: {}", event.data)),
            "stream_complete" => {
                spinner.finish_and_clear();
                println!("{what} complete");
                return Ok(());
            }
            "error" => {
                spinner.abandon();
                return Err(format!("{what} failed: {}", event.data).into());
            }
            _ => {}
        }
    }
    spinner.abandon();
    Err(format!("the {what} progress stream ended before the job completed").into())
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>16} [{bar:40}] {bytes:>10}/{total_bytes:<10} {bytes_per_sec}")
        .expect("a valid template")
        .progress_chars("=> ")
}

/// The files named on the command line, or two written for the example.
fn files_to_upload() -> Result<Vec<PathBuf>, Error> {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if paths.is_empty() {
        let dir = std::env::temp_dir().join(format!("meibel-example-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let notes = dir.join("notes.md");
        std::fs::write(&notes, "# Notes\n\nUploaded by the example.\n".repeat(2_000))?;
        let scan = dir.join("scan.bin");
        std::fs::write(&scan, vec![0x5a; 6 << 20])?;
        paths = vec![notes, scan];
    }
    Ok(paths)
}

/// For the offline run only: the local mock answers every operation from the spec; these
/// replies make the progress streams and the archive look like the real ones.
mod offline {
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn progress_stream(steps: &[&str]) -> String {
        let mut body = String::from("event: connected\ndata: {\"signal_id\": \"sig_1\"}\n\n");
        for step in steps {
            body.push_str(&format!("event: progress\ndata: {step}\n\n"));
        }
        body.push_str("event: stream_complete\ndata: {}\n\n");
        body
    }

    pub async fn mount(server: &MockServer) {
        let ingest = progress_stream(&[
            r#"{"stage": "parsing", "files_done": 0, "files_total": 2}"#,
            r#"{"stage": "embedding", "files_done": 1, "files_total": 2}"#,
            r#"{"stage": "indexed", "files_done": 2, "files_total": 2}"#,
        ]);
        let export = progress_stream(&[
            r#"{"stage": "collecting", "percent": 40}"#,
            r#"{"stage": "zipping", "percent": 100}"#,
        ]);
        let replies = [
            (
                "^/v2/datasources/uploads/[^/]+/progress$",
                ResponseTemplate::new(200).set_body_raw(ingest, "text/event-stream"),
            ),
            (
                "^/v2/datasources/[^/]+/downloads/[^/]+/progress$",
                ResponseTemplate::new(200).set_body_raw(export, "text/event-stream"),
            ),
            (
                "^/v2/datasources/[^/]+/downloads/[^/]+/file$",
                ResponseTemplate::new(200).set_body_raw(vec![0x50; 12 << 20], "application/zip"),
            ),
        ];
        for (path, reply) in replies {
            Mock::given(method("GET"))
                .and(path_regex(path))
                .respond_with(reply)
                .with_priority(1)
                .mount(server)
                .await;
        }
    }
}
