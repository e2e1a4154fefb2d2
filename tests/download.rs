//! Consuming binary bodies: write_to, save and to_bytes.

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use meibel::ByteStream;
use meibel::download::{DownloadError, save, to_bytes, write_to};
use std::path::{Path, PathBuf};

fn body(chunks: &[&'static [u8]]) -> ByteStream {
    let items: Vec<Result<Bytes, reqwest::Error>> =
        chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
    ByteStream::new(Box::pin(stream::iter(items)))
}

use testkit::transport_error;

/// Some chunks, then a transport error.
async fn failing_body(chunks: &[&'static [u8]]) -> ByteStream {
    let mut items: Vec<Result<Bytes, reqwest::Error>> =
        chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
    items.push(Err(transport_error().await));
    ByteStream::new(Box::pin(stream::iter(items)))
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("download-tests").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn write_to_copies_every_chunk_and_flushes() {
    // A buffered writer larger than the content: only a flush gets the bytes through.
    let mut writer = tokio::io::BufWriter::with_capacity(1 << 16, Vec::new());
    let n = write_to(body(&[b"PK\x03\x04", b"", b"\x00\xff middle ", b"end"]), &mut writer).await.unwrap();
    assert_eq!(n, 17);
    assert_eq!(writer.get_ref().as_slice(), b"PK\x03\x04\x00\xff middle end");
}

#[tokio::test]
async fn write_to_reports_a_transport_error() {
    let mut out = Vec::new();
    let err = write_to(failing_body(&[b"abc"]).await, &mut out).await.unwrap_err();
    assert!(matches!(err, DownloadError::Transport(_)), "{err:?}");
    assert!(err.to_string().starts_with("download interrupted: "), "{err}");
    assert_eq!(out, b"abc");
}

#[tokio::test]
async fn write_to_reports_a_write_error() {
    struct Broken;
    impl tokio::io::AsyncWrite for Broken {
        fn poll_write(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            _: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            std::task::Poll::Ready(Err(std::io::Error::other("disk on fire")))
        }
        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
        fn poll_shutdown(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
    }
    let err = write_to(body(&[b"abc"]), &mut Broken).await.unwrap_err();
    match err {
        DownloadError::Io(e) => assert_eq!(e.to_string(), "disk on fire"),
        other => panic!("expected an io error, got {other:?}"),
    }
}

#[tokio::test]
async fn save_writes_the_file_and_nothing_else() {
    let dir = scratch("save");
    let path = dir.join("export.zip");
    let n = save(body(&[b"first ", b"second ", b"third"]), &path).await.unwrap();
    assert_eq!(n, 18);
    assert_eq!(std::fs::read(&path).unwrap(), b"first second third");
    assert_eq!(listing(&dir), ["export.zip"]);

    // Saving again replaces the file.
    let n = save(body(&[b"new"]), &path).await.unwrap();
    assert_eq!(n, 3);
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    assert_eq!(listing(&dir), ["export.zip"]);
}

#[tokio::test]
async fn save_to_a_relative_path() {
    let dir = scratch("relative");
    let relative = dir.strip_prefix(std::env::current_dir().unwrap()).map(Path::to_path_buf);
    // CARGO_TARGET_TMPDIR is normally inside the package, the tests' working directory.
    let path = relative.unwrap_or(dir.clone()).join("plain.bin");
    assert_eq!(save(body(&[b"x"]), &path).await.unwrap(), 1);
    assert_eq!(std::fs::read(dir.join("plain.bin")).unwrap(), b"x");
}

#[tokio::test]
async fn failed_save_leaves_no_temporary_file_and_keeps_the_old_one() {
    let dir = scratch("failed");
    let path = dir.join("report.pdf");
    let err = save(failing_body(&[b"partial ", b"content"]).await, &path).await.unwrap_err();
    assert!(matches!(err, DownloadError::Transport(_)), "{err:?}");
    assert_eq!(listing(&dir), Vec::<String>::new());

    std::fs::write(&path, b"previous version").unwrap();
    let err = save(failing_body(&[b"partial"]).await, &path).await.unwrap_err();
    assert!(matches!(err, DownloadError::Transport(_)), "{err:?}");
    assert_eq!(listing(&dir), ["report.pdf"]);
    assert_eq!(std::fs::read(&path).unwrap(), b"previous version");
}

#[tokio::test]
async fn dropped_save_leaves_no_temporary_file() {
    let dir = scratch("dropped");
    let stalled = stream::iter([Ok(Bytes::from_static(b"some bytes"))]).chain(stream::pending());
    let stalled = ByteStream::new(Box::pin(stalled));
    let attempt =
        tokio::time::timeout(std::time::Duration::from_millis(200), save(stalled, dir.join("big.iso")));
    assert!(attempt.await.is_err(), "the save should still be waiting");
    assert_eq!(listing(&dir), Vec::<String>::new());
}

#[tokio::test]
async fn save_into_a_missing_directory_names_the_path() {
    let dir = scratch("missing");
    let path = dir.join("no-such-dir").join("out.bin");
    let err = save(body(&[b"x"]), &path).await.unwrap_err();
    match &err {
        DownloadError::Io(e) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
        other => panic!("expected an io error, got {other:?}"),
    }
    assert!(err.to_string().contains(&dir.join("no-such-dir").display().to_string()), "{err}");
}

#[tokio::test]
async fn to_bytes_within_and_over_the_limit() {
    let chunks: &[&'static [u8]] = &[b"0123", b"4567", b"89"];
    assert_eq!(to_bytes(body(chunks), 10).await.unwrap(), Bytes::from_static(b"0123456789"));
    assert_eq!(to_bytes(body(chunks), usize::MAX).await.unwrap().len(), 10);
    assert_eq!(to_bytes(body(&[]), 0).await.unwrap(), Bytes::new());
    for limit in [0, 3, 4, 9] {
        match to_bytes(body(chunks), limit).await {
            Err(DownloadError::TooLarge { limit: l }) => assert_eq!(l, limit),
            other => panic!("limit {limit}: expected TooLarge, got {other:?}"),
        }
    }
    let err = to_bytes(body(chunks), 9).await.unwrap_err();
    assert_eq!(err.to_string(), "download larger than the limit of 9 bytes");
}

#[tokio::test]
async fn to_bytes_stops_reading_once_over_the_limit() {
    // After the chunk that crosses the limit comes an error: it must not be reached.
    let stream = failing_body(&[b"0123456789", b"abcdef"]).await;
    assert!(matches!(to_bytes(stream, 12).await, Err(DownloadError::TooLarge { limit: 12 })));
    let stream = failing_body(&[b"0123"]).await;
    assert!(matches!(to_bytes(stream, 12).await, Err(DownloadError::Transport(_))));
}

#[test]
fn errors_are_send_sync_and_have_sources() {
    fn check<T: std::error::Error + Send + Sync + 'static>() {}
    check::<DownloadError>();
    let io = DownloadError::from(std::io::Error::other("x"));
    assert!(std::error::Error::source(&io).is_some());
    assert!(std::error::Error::source(&DownloadError::TooLarge { limit: 1 }).is_none());
}

// ---------------------------------------------------------------------------
// Byte progress, checked against what a local server sent
// ---------------------------------------------------------------------------

use counting_server::{CountingServer, Reply};
use meibel::download::with_progress;
use meibel::progress::Progress;
use std::sync::{Arc, Mutex};
use testkit::counting_server;

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

/// Records every report, and checks they are well formed.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Progress>>>);

impl Log {
    fn observer(&self) -> impl Fn(Progress) + Send + Sync + 'static {
        let log = self.0.clone();
        move |p| log.lock().unwrap().push(p)
    }

    /// The last count, after checking the reports start at 0 and grow, all with `total`.
    fn last(&self, total: Option<u64>) -> u64 {
        let reports = self.0.lock().unwrap().clone();
        assert_eq!(reports.first(), Some(&Progress { done: 0, total }), "{reports:?}");
        for pair in reports.windows(2) {
            assert!(pair[1].done > pair[0].done, "{reports:?}");
            assert_eq!(pair[1].total, total);
        }
        reports.last().unwrap().done
    }
}

fn downloader(server: &CountingServer) -> meibel::Client {
    let retry = meibel::RetryPolicy::default().base_delay(std::time::Duration::from_millis(1));
    meibel::Client::builder().api_key("k").base_url(&server.base).retry_policy(retry).build().unwrap()
}

#[tokio::test]
async fn progress_of_a_saved_download_equals_the_bytes_sent() {
    for declared in [true, false] {
        let dir = scratch(if declared { "progress-length" } else { "progress-chunked" });
        let body = content(1_234_567);
        let server =
            CountingServer::start(vec![Reply::Body { content: body.clone(), declared, cut_after: None }])
                .await;
        let log = Log::default();
        let reply =
            downloader(&server).download_file().datasource_id("ds").job_id("job").send().await.unwrap();
        let saved = save(with_progress(reply, log.observer()), dir.join("export.zip")).await.unwrap();
        assert_eq!(saved, 1_234_567);
        assert_eq!(std::fs::read(dir.join("export.zip")).unwrap(), body);
        let total = declared.then_some(1_234_567);
        assert_eq!(log.last(total), 1_234_567, "declared {declared}");
    }
}

#[tokio::test]
async fn a_download_cut_midway_reports_the_bytes_that_arrived() {
    for declared in [true, false] {
        let dir = scratch(if declared { "progress-cut-length" } else { "progress-cut-chunked" });
        let body = content(1_000_000);
        let cut = Some(345_678);
        let server =
            CountingServer::start(vec![Reply::Body { content: body, declared, cut_after: cut }]).await;
        let log = Log::default();
        let reply =
            downloader(&server).download_file().datasource_id("ds").job_id("job").send().await.unwrap();
        let err = save(with_progress(reply, log.observer()), dir.join("export.zip")).await.unwrap_err();
        assert!(matches!(err, DownloadError::Transport(_)), "{err:?}");
        assert_eq!(listing(&dir), Vec::<String>::new(), "no partial file is left");
        assert_eq!(log.last(declared.then_some(1_000_000)), 345_678, "declared {declared}");
    }
}

#[tokio::test]
async fn a_retried_download_is_counted_once() {
    // The first reply is a 503: the GET is sent again, and only the body of the reply
    // that is read counts.
    let dir = scratch("progress-retried");
    let body = content(500_000);
    let server = CountingServer::start(vec![
        Reply::Json(503, r#"{"detail": "busy"}"#.into()),
        Reply::Body { content: body.clone(), declared: true, cut_after: None },
    ])
    .await;
    let log = Log::default();
    let reply = downloader(&server).download_file().datasource_id("ds").job_id("job").send().await.unwrap();
    save(with_progress(reply, log.observer()), dir.join("export.zip")).await.unwrap();
    assert_eq!(server.seen().len(), 2, "the request was retried once");
    assert_eq!(log.last(Some(500_000)), 500_000);
    assert_eq!(std::fs::read(dir.join("export.zip")).unwrap(), body);
}

#[tokio::test]
async fn progress_through_write_to_and_to_bytes() {
    let log = Log::default();
    let stream =
        meibel::download::stream_with_progress(body(&[b"0123", b"", b"456789"]), Some(10), log.observer());
    assert_eq!(to_bytes(stream, 100).await.unwrap(), Bytes::from_static(b"0123456789"));
    assert_eq!(*log.0.lock().unwrap(), [0, 4, 10].map(|done| Progress { done, total: Some(10) }));

    let log = Log::default();
    let stream = meibel::download::stream_with_progress(failing_body(&[b"abc"]).await, None, log.observer());
    assert!(write_to(stream, &mut Vec::new()).await.is_err());
    assert_eq!(log.last(None), 3);
}
