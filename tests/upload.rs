//! File parts of multipart requests, checked on the wire.

use bytes::Bytes;
use meibel::upload::{FilePart, text_field};
use reqwest::multipart::Form;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use multipart::{FormPart, file_part, parse_multipart, text_part};
use testkit::multipart;

/// A fresh directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("upload-tests").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Bytes that are not text, longer than one read of the file (64 KiB).
fn binary(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

/// Sends `form` to a mock server, returning the request's headers and parsed parts.
async fn send(form: Form) -> (reqwest::header::HeaderMap, Vec<FormPart>) {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.post(format!("{}/upload", server.uri())).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    let mut headers = reqwest::header::HeaderMap::new();
    for (k, v) in request.headers.iter() {
        headers.append(
            k.as_str().parse::<reqwest::header::HeaderName>().unwrap(),
            v.to_str().unwrap().parse().unwrap(),
        );
    }
    let content_type = headers["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let parts = parse_multipart(&content_type, &request.body);
    (headers, parts)
}

#[tokio::test]
async fn path_bytes_and_reader_parts_arrive_intact() {
    let dir = scratch("intact");
    let pdf = binary(300_000, 1);
    std::fs::write(dir.join("report.pdf"), &pdf).unwrap();
    let streamed = binary(100_000, 2);
    let reader: &'static [u8] = Vec::leak(streamed.clone());

    let form = text_field(Form::new(), "title", "Q3 report");
    let form = text_field(form, "pages", 12);
    let form = form
        .part("files", FilePart::path(dir.join("report.pdf")).into_part().await.unwrap())
        .part(
            "files",
            FilePart::bytes(&b"name,role\r\nAda,engineer\r\n"[..], "team.csv").into_part().await.unwrap(),
        )
        .part(
            "attachment",
            FilePart::reader(reader, "stream.bin", Some(streamed.len() as u64))
                .content_type("application/x-custom")
                .into_part()
                .await
                .unwrap(),
        );
    let (headers, parts) = send(form).await;
    assert_eq!(
        parts,
        vec![
            text_part("title", "Q3 report"),
            text_part("pages", "12"),
            file_part("files", "report.pdf", "application/pdf", &pdf),
            file_part("files", "team.csv", "text/csv", b"name,role\r\nAda,engineer\r\n"),
            file_part("attachment", "stream.bin", "application/x-custom", &streamed),
        ]
    );
    // Every length is known, so the request has one.
    let length: usize = headers["content-length"].to_str().unwrap().parse().unwrap();
    assert!(length > pdf.len() + streamed.len(), "{length}");
}

#[tokio::test]
async fn reader_of_unknown_length_is_sent_chunked() {
    let content = binary(150_000, 3);
    let reader = std::io::Cursor::new(content.clone());
    let form = Form::new().part("file", FilePart::reader(reader, "data", None).into_part().await.unwrap());
    let (headers, parts) = send(form).await;
    assert_eq!(parts, vec![file_part("file", "data", "application/octet-stream", &content)]);
    assert!(headers.get("content-length").is_none(), "{headers:?}");
}

#[tokio::test]
async fn content_types_are_guessed_from_the_file_name() {
    let dir = scratch("guess");
    std::fs::write(dir.join("data.bin"), b"a,b\n").unwrap();
    std::fs::write(dir.join("picture.PNG"), b"\x89PNG").unwrap();
    let parts = [
        FilePart::bytes("{}", "a.json"),
        FilePart::bytes("x", "no-extension"),
        FilePart::bytes("x", "strange.ext-nobody-uses"),
        FilePart::from(vec![1u8, 2, 3]),
        FilePart::from(Bytes::from_static(b"text")).file_name("notes.txt"),
        FilePart::path(dir.join("picture.PNG")),
        // The file name given replaces the path's, and its extension decides.
        FilePart::path(dir.join("data.bin")).file_name("table.csv"),
        FilePart::bytes("x", "page.html").content_type("text/html; charset=utf-8"),
    ];
    let mut form = Form::new();
    for part in parts {
        form = form.part("f", part.into_part().await.unwrap());
    }
    let (_, received) = send(form).await;
    let got: Vec<_> = received
        .iter()
        .map(|p| (p.file_name.clone().unwrap(), p.content_type.clone().unwrap(), p.body.len()))
        .collect();
    let want = [
        ("a.json", "application/json", 2),
        ("no-extension", "application/octet-stream", 1),
        ("strange.ext-nobody-uses", "application/octet-stream", 1),
        ("file", "application/octet-stream", 3),
        ("notes.txt", "text/plain", 4),
        ("picture.PNG", "image/png", 4),
        ("table.csv", "text/csv", 4),
        ("page.html", "text/html; charset=utf-8", 1),
    ];
    let want: Vec<_> = want.iter().map(|(n, t, l)| (n.to_string(), t.to_string(), *l)).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn file_names_with_line_breaks_cannot_break_the_part_headers() {
    let form = Form::new().part("f", FilePart::bytes("x", "a\r\nb\nc.txt").into_part().await.unwrap());
    let (_, received) = send(form).await;
    assert_eq!(received, vec![file_part("f", "a%0D%0Ab%0Ac.txt", "text/plain", b"x")]);
}

#[tokio::test]
async fn a_path_is_opened_when_the_part_is_made() {
    let dir = scratch("lazy");
    let path = dir.join("later.txt");
    let part = FilePart::path(&path);
    std::fs::write(&path, b"written after the part was created").unwrap();
    let form = Form::new().part("f", part.into_part().await.unwrap());
    let (_, received) = send(form).await;
    assert_eq!(
        received,
        vec![file_part("f", "later.txt", "text/plain", b"written after the part was created")]
    );
}

#[tokio::test]
async fn a_missing_file_is_an_error_naming_the_path() {
    let path = scratch("missing").join("nowhere").join("report.pdf");
    let err = FilePart::path(&path).into_part().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains(&path.display().to_string()), "{err}");
}

#[tokio::test]
async fn a_directory_is_an_error_naming_the_path() {
    let dir = scratch("directory");
    let err = FilePart::path(&dir).into_part().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains(&dir.display().to_string()), "{err}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_device_is_streamed_without_a_length() {
    // /dev/null has no size and yields nothing: the part is empty, not cut to a length.
    let form = Form::new().part("f", FilePart::path("/dev/null").into_part().await.unwrap());
    let (headers, received) = send(form).await;
    assert_eq!(received, vec![file_part("f", "null", "application/octet-stream", b"")]);
    assert!(headers.get("content-length").is_none(), "{headers:?}");
}

#[tokio::test]
async fn an_invalid_content_type_is_an_error() {
    for bad in ["not a media type", "", "text/", "text/plain; charset"] {
        let err = FilePart::bytes("x", "x.txt").content_type(bad).into_part().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert!(err.to_string().contains(&format!("{bad:?}")), "{bad:?}: {err}");
    }
    // Checked before the file is opened.
    let err = FilePart::path("/no/such/file").content_type("nope").into_part().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn conversions_and_replayability() {
    let from_vec = FilePart::from(vec![0u8; 3]);
    assert!(from_vec.is_replayable());
    assert!(format!("{from_vec:?}").contains("file_name: \"file\""), "{from_vec:?}");
    assert!(FilePart::from(Bytes::from_static(b"abc")).is_replayable());
    let from_path = FilePart::from(Path::new("/data/scan.tiff"));
    assert!(!from_path.is_replayable());
    assert!(format!("{from_path:?}").contains("file_name: \"scan.tiff\""), "{from_path:?}");
    let from_buf = FilePart::from(PathBuf::from("dir/x.md"));
    assert!(format!("{from_buf:?}").contains("file_name: \"x.md\""), "{from_buf:?}");
    assert!(!FilePart::reader(&b""[..], "r", None).is_replayable());
}

#[test]
fn debug_does_not_show_the_content() {
    let part = FilePart::bytes(vec![0xABu8; 1000], "secret.bin").content_type("application/x-thing");
    let shown = format!("{part:?}");
    assert!(shown.contains("1000 bytes"), "{shown}");
    assert!(shown.contains("secret.bin") && shown.contains("application/x-thing"), "{shown}");
    assert!(!shown.contains("171") && !shown.contains("0xab") && !shown.contains("AB"), "{shown}");
    assert!(shown.len() < 200, "{shown}");
    let reader = FilePart::reader(&b"hidden content"[..], "r.txt", Some(14));
    assert!(!format!("{reader:?}").contains("hidden"), "{reader:?}");
}

// ---------------------------------------------------------------------------
// Byte progress, checked against what a local server received
// ---------------------------------------------------------------------------

use counting_server::{CountingServer, Reply};
use meibel::progress::Progress;
use std::sync::{Arc, Mutex};
use testkit::counting_server;

const UPLOADED: &str =
    r#"{"success": true, "message": "ok", "datasource_id": "ds", "upload_id": "up-1", "sse_url": "/x"}"#;

/// Records every report of one file.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Progress>>>);

impl Log {
    fn observer(&self) -> impl Fn(Progress) + Send + Sync + 'static {
        let log = self.0.clone();
        move |p| log.lock().unwrap().push(p)
    }

    fn reports(&self) -> Vec<Progress> {
        self.0.lock().unwrap().clone()
    }

    /// Checks the reports are well formed (a first 0, then growing counts with the same
    /// total) and returns the last count.
    fn last(&self, total: Option<u64>) -> u64 {
        let reports = self.reports();
        assert_eq!(reports.first(), Some(&Progress { done: 0, total }), "{reports:?}");
        for pair in reports.windows(2) {
            assert!(pair[1].done > pair[0].done, "{reports:?}");
            assert_eq!(pair[1].total, total);
        }
        reports.last().unwrap().done
    }
}

fn uploader(server: &CountingServer, retry: meibel::RetryPolicy) -> meibel::Client {
    meibel::Client::builder().api_key("k").base_url(&server.base).retry_policy(retry).build().unwrap()
}

#[tokio::test]
async fn progress_of_a_path_bytes_and_readers_equals_what_the_server_received() {
    let dir = scratch("progress-exact");
    // Lengths that are not multiples of the 64 KiB pieces, and an empty file.
    let from_path = binary(1_000_003, 7);
    std::fs::write(dir.join("a.bin"), &from_path).unwrap();
    let from_bytes = binary(300_001, 8);
    let from_reader = binary(200_000, 9);
    let from_unknown = binary(150_007, 10);
    let logs: Vec<Log> = (0..5).map(|_| Log::default()).collect();
    let server = CountingServer::start(vec![Reply::Json(200, UPLOADED.into())]).await;
    let reader: &'static [u8] = Vec::leak(from_reader.clone());
    let unknown: &'static [u8] = Vec::leak(from_unknown.clone());
    uploader(&server, meibel::RetryPolicy::default())
        .upload_content()
        .datasource_id("ds")
        .files([
            FilePart::path(dir.join("a.bin")).on_progress(logs[0].observer()),
            FilePart::bytes(from_bytes.clone(), "b.bin").on_progress(logs[1].observer()),
            FilePart::reader(reader, "c.bin", Some(from_reader.len() as u64)).on_progress(logs[2].observer()),
            FilePart::reader(unknown, "d.bin", None).on_progress(logs[3].observer()),
            FilePart::bytes(Vec::new(), "empty.bin").on_progress(logs[4].observer()),
        ])
        .send()
        .await
        .unwrap();
    let seen = server.wait_for(1).await;
    assert_eq!(seen.len(), 1);
    assert!(seen[0].complete);
    let parts = seen[0].part_contents();
    let sent = [&from_path, &from_bytes, &from_reader, &from_unknown, &Vec::new()];
    assert_eq!(parts.len(), sent.len());
    let totals = [Some(1_000_003), Some(300_001), Some(200_000), None, Some(0)];
    for (i, log) in logs.iter().enumerate() {
        assert_eq!(&parts[i], sent[i], "part {i}");
        assert_eq!(log.last(totals[i]), parts[i].len() as u64, "part {i}: {:?}", log.reports());
    }
    // Pieces of at most 64 KiB: a report for each.
    assert_eq!(logs[0].reports().len(), 1 + 1_000_003usize.div_ceil(64 * 1024));
    assert_eq!(logs[1].reports().len(), 1 + 300_001usize.div_ceil(64 * 1024));
    assert_eq!(logs[4].reports(), [Progress { done: 0, total: Some(0) }]);
}

#[tokio::test]
async fn a_refused_upload_is_counted_once() {
    // A 503 after the whole body was read: the client may not send it again (the body
    // is a stream, and POST is not idempotent), even when told it may retry POSTs.
    for policy in [meibel::RetryPolicy::default(), meibel::RetryPolicy::default().retry_non_idempotent(true)]
    {
        let content = binary(400_000, 11);
        let log = Log::default();
        let server = CountingServer::start(vec![Reply::Json(503, r#"{"detail": "busy"}"#.into())]).await;
        let result = uploader(&server, policy.base_delay(std::time::Duration::from_millis(1)))
            .upload_content()
            .datasource_id("ds")
            .files([FilePart::bytes(content.clone(), "a.bin").on_progress(log.observer())])
            .send()
            .await;
        assert!(result.is_err(), "{result:?}");
        let seen = server.wait_for(1).await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(server.seen().len(), 1, "the upload was sent again");
        assert_eq!(seen[0].part_contents()[0], content);
        assert_eq!(log.last(Some(400_000)), 400_000);
    }
}

/// Yields `data` in reads of 10,000 bytes, each of which first waits once (as a read from
/// a disk or the network does), but fails instead of yielding anything past `fail_at`.
struct FailingReader {
    data: Vec<u8>,
    at: usize,
    fail_at: usize,
    waited: bool,
}

impl tokio::io::AsyncRead for FailingReader {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if !std::mem::replace(&mut self.waited, true) {
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        self.waited = false;
        if self.at >= self.fail_at {
            return std::task::Poll::Ready(Err(std::io::Error::other("the disk went away")));
        }
        let n = buf.remaining().min(self.fail_at - self.at).min(10_000);
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn an_upload_that_fails_midway_reports_what_was_sent() {
    for declared in [true, false] {
        let content = binary(500_000, 12);
        let reader = FailingReader { data: content.clone(), at: 0, fail_at: 123_457, waited: false };
        let log = Log::default();
        let server = CountingServer::start(vec![Reply::Json(200, UPLOADED.into())]).await;
        let result = uploader(&server, meibel::RetryPolicy::default())
            .upload_content()
            .datasource_id("ds")
            .files([
                FilePart::reader(reader, "a.bin", declared.then_some(500_000)).on_progress(log.observer())
            ])
            .send()
            .await;
        assert!(result.is_err(), "{result:?}");
        let seen = server.wait_for(1).await;
        assert!(!seen[0].complete, "declared {declared}");
        let received = seen[0].part_contents().remove(0);
        assert_eq!(received.len(), 123_457, "declared {declared}");
        assert_eq!(received, content[..123_457]);
        assert_eq!(log.last(declared.then_some(500_000)), 123_457, "declared {declared}");
        assert_eq!(server.seen().len(), 1);
    }
}

#[tokio::test]
async fn without_an_observer_nothing_changes_on_the_wire() {
    let content = binary(70_000, 13);
    let server = CountingServer::start(vec![Reply::Json(200, UPLOADED.into())]).await;
    let client = uploader(&server, meibel::RetryPolicy::default());
    for observed in [false, true] {
        let part = FilePart::bytes(content.clone(), "a.bin");
        let part = if observed { part.on_progress(|_| {}) } else { part };
        client.upload_content().datasource_id("ds").files([part]).send().await.unwrap();
    }
    let seen = server.wait_for(2).await;
    let strip = |s: &counting_server::Seen| {
        let boundary = s.header("content-type").unwrap().split("boundary=").nth(1).unwrap().to_owned();
        (
            String::from_utf8_lossy(&s.body).replace(&boundary, "B"),
            s.header("content-length").map(str::to_owned),
        )
    };
    assert_eq!(strip(&seen[0]), strip(&seen[1]));
    assert_eq!(
        seen[0].header("content-length").map(|l| l.parse::<usize>().unwrap()),
        Some(seen[0].body.len())
    );
    assert!(format!("{:?}", FilePart::bytes("x", "x").on_progress(|_| {})).contains("progress: true"));
}
