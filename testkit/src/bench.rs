//! Shared by the benchmark binaries: a minimal HTTP/1.1 server answering fixed bytes,
//! response fixtures, and statistics over interleaved rounds.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The API key both the generated client and the hand-written calls send.
pub const API_KEY: &str = "bench-key";

/// Whether the run was asked to be short (`--quick` or `MEIBEL_BENCH_QUICK=1`): a smoke
/// test of the harness, not a measurement.
pub fn quick() -> bool {
    std::env::args().any(|a| a == "--quick") || std::env::var("MEIBEL_BENCH_QUICK").is_ok_and(|v| v == "1")
}

/// Picks the full or the quick value.
pub fn scale<T>(full: T, quick_value: T) -> T {
    if quick() { quick_value } else { full }
}

/// A multi-thread Tokio runtime with `workers` workers, as `#[tokio::main]` builds one.
pub fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

// ---------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------

/// Chooses the full response bytes (status line, headers and body) for a request.
pub type Handler = Arc<dyn Fn(&str, &str) -> bytes::Bytes + Send + Sync>;

/// A complete `200 OK` reply with a JSON body.
pub fn json_reply(body: &[u8]) -> bytes::Bytes {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out.into()
}

/// A plain HTTP/1.1 keep-alive server on 127.0.0.1, running on its own thread with a
/// single-threaded runtime. It reads each request's head, discards its body (by
/// `Content-Length` or chunked), and writes the bytes the handler picks.
pub fn start_server(handler: Handler) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                tx.send(listener.local_addr().expect("addr")).expect("send addr");
                loop {
                    let Ok((sock, _)) = listener.accept().await else { continue };
                    let handler = handler.clone();
                    tokio::spawn(async move {
                        let _ = serve(sock, handler).await;
                    });
                }
            });
        })
        .expect("server thread");
    rx.recv().expect("server address")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn fill(sock: &mut TcpStream, buf: &mut BytesMut) -> std::io::Result<bool> {
    if buf.capacity() - buf.len() < 16 * 1024 {
        buf.reserve(64 * 1024);
    }
    Ok(sock.read_buf(buf).await? > 0)
}

/// Discards `n` body bytes: first those already buffered, then straight from the socket.
async fn discard(
    sock: &mut TcpStream,
    buf: &mut BytesMut,
    mut n: u64,
    scratch: &mut [u8],
) -> std::io::Result<()> {
    let buffered = (buf.len() as u64).min(n);
    buf.advance(buffered as usize);
    n -= buffered;
    while n > 0 {
        let want = (scratch.len() as u64).min(n) as usize;
        let got = sock.read(&mut scratch[..want]).await?;
        if got == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        n -= got as u64;
    }
    Ok(())
}

/// Reads one CRLF-terminated line from the buffered socket (without the CRLF).
async fn line(sock: &mut TcpStream, buf: &mut BytesMut) -> std::io::Result<Option<BytesMut>> {
    loop {
        if let Some(i) = find(buf, b"\r\n") {
            let l = buf.split_to(i);
            buf.advance(2);
            return Ok(Some(l));
        }
        if !fill(sock, buf).await? {
            return Ok(None);
        }
    }
}

async fn serve(mut sock: TcpStream, handler: Handler) -> std::io::Result<()> {
    sock.set_nodelay(true)?;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let mut scratch = vec![0u8; 256 * 1024];
    loop {
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if !fill(&mut sock, &mut buf).await? {
                return Ok(());
            }
        };
        let head = buf.split_to(head_end);
        let text = std::str::from_utf8(&head).map_err(|_| std::io::ErrorKind::InvalidData)?;
        let mut lines = text.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default();
        let target = parts.next().unwrap_or_default();
        let path = target.split('?').next().unwrap_or_default();
        let mut length = None;
        let mut chunked = false;
        for header in lines {
            let Some((name, value)) = header.split_once(':') else { continue };
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<u64>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.to_ascii_lowercase().contains("chunked");
            }
        }
        let reply = handler(method, path);
        if chunked {
            loop {
                let Some(size_line) = line(&mut sock, &mut buf).await? else { return Ok(()) };
                let size_text = std::str::from_utf8(&size_line).unwrap_or("0");
                let size = u64::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
                    .map_err(|_| std::io::ErrorKind::InvalidData)?;
                if size == 0 {
                    // Trailers, up to the empty line.
                    while let Some(l) = line(&mut sock, &mut buf).await? {
                        if l.is_empty() {
                            break;
                        }
                    }
                    break;
                }
                discard(&mut sock, &mut buf, size + 2, &mut scratch).await?;
            }
        } else if let Some(n) = length {
            discard(&mut sock, &mut buf, n, &mut scratch).await?;
        }
        sock.write_all(&reply).await?;
    }
}

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// One `AgentSummary`, every field set, about 330 bytes of JSON.
pub fn agent_summary(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("agt_{i:08x}-5a1c-4c2e-9d7e-1f0b2c3d4e5f"),
        "name": format!("support-triage-{i}"),
        "display_name": format!("Support triage #{i}"),
        "description": "Routes incoming support tickets to the right queue and drafts a first reply.",
        "version": "1.4.2",
        "type": "agent",
        "llm_model": "gpt-4o-mini",
        "tool_count": (i % 7) as i64,
        "datasource_count": (i % 3) as i64,
        "last_execution_status": if i.is_multiple_of(2) { "completed" } else { "failed" },
        "last_execution_time": "2025-03-14T09:26:53.589793Z",
    })
}

/// An `AgentListResponse` body with `n` items.
pub fn agent_list(n: usize) -> Vec<u8> {
    let data: Vec<_> = (0..n).map(agent_summary).collect();
    serde_json::to_vec(&serde_json::json!({ "data": data, "total": n, "offset": 0, "limit": n }))
        .expect("JSON")
}

/// An `AgentDetailResponse` body, every field set (about 1.4 KB).
pub fn agent_detail() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "a",
        "name": "support-triage",
        "display_name": "Support triage",
        "catalog_urn": "urn:meibel:catalog:agent:support-triage",
        "version": "1.4.2",
        "parent_version": "1.4.1",
        "type": "agent",
        "description": "Routes incoming support tickets to the right queue and drafts a first reply.",
        "llm_model": "gpt-4o-mini",
        "fallback_models": ["gpt-4o", "claude-3-5-sonnet"],
        "datasources": ["ds_handbook", "ds_tickets"],
        "instructions": "You triage support tickets. Read the ticket, find the relevant policy in the handbook, pick one of the queues billing, technical or account, and draft a short, polite first reply that cites the policy by title.",
        "tools": [
            {"type": "retrieval", "name": "search_handbook", "config": {"top_k": 8, "datasource": "ds_handbook"}},
            {"type": "http", "name": "route_ticket", "config": {"url": "https://example.com/route", "method": "POST"}}
        ],
        "artifacts": ["art_reply_draft"],
        "confidence_configs": ["cc_default"],
        "temperature": 0.2,
        "max_tokens": 1024,
        "tags": ["support", "triage", "production"],
        "icon": "inbox",
        "created_by": "user_1234",
        "created_at": "2025-01-02T03:04:05.678901Z",
        "last_execution_status": "completed",
        "last_execution_time": "2025-03-14T09:26:53.589793Z",
        "execution_policy_ids": ["pol_1"]
    }))
    .expect("JSON")
}

/// A `DatasourceResponse` body.
pub fn datasource() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "ds_0f1e2d3c",
        "name": "handbook",
        "description": "The employee handbook, all chapters",
        "connector": {"type": "cloud_storage"},
        "created_at": "2025-01-02T03:04:05Z",
        "updated_at": "2025-01-02T03:04:05Z",
        "last_sync_at": null,
        "last_sync_status": null,
        "total_ingested_files": 0
    }))
    .expect("JSON")
}

/// An `UploadContentResponse` body.
pub fn upload_response() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "success": true,
        "message": "upload accepted",
        "datasource_id": "ds",
        "upload_id": "up_1",
        "sse_url": "/v2/datasources/ds/uploads/up_1/events",
        "estimated_files": 1,
        "estimated_size": 0
    }))
    .expect("JSON")
}

// ---------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------

/// The `q` quantile (0..=1) of `values`, by linear interpolation.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

pub fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

/// `q1–q3` of `values`, formatted with `digits` decimals.
pub fn iqr(values: &[f64], digits: usize) -> String {
    format!("{:.digits$}–{:.digits$}", quantile(values, 0.25), quantile(values, 0.75))
}

/// `min–max` of `values`, formatted with `digits` decimals.
pub fn range(values: &[f64], digits: usize) -> String {
    format!("{:.digits$}–{:.digits$}", quantile(values, 0.0), quantile(values, 1.0))
}

/// Element-wise `a[i] / b[i]`: the ratio within each round.
pub fn ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x / y).collect()
}

/// `PASS` or `MISS`.
pub fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

/// The order in which `n` variants run in round `round`: rotated each round so that no
/// variant always goes first.
pub fn order(n: usize, round: usize) -> Vec<usize> {
    (0..n).map(|i| (i + round) % n).collect()
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// A row for the summary table of BENCHMARKS.md (the script collects these lines; the
/// other lines of the output are the bench's own section).
pub fn summary(item: &str, figure: &str, noise: &str, target: &str, verdict: &str) {
    println!("summary\t{item}\t{figure}\t{noise}\t{target}\t{verdict}");
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, out: *mut Timespec) -> i32;
}

/// CPU time used so far by the whole process (every thread), in seconds (Linux).
pub fn process_cpu() -> f64 {
    cpu_clock(2) // CLOCK_PROCESS_CPUTIME_ID
}

/// CPU time (user + system) of the calling thread, in seconds.
pub fn thread_cpu() -> f64 {
    cpu_clock(3) // CLOCK_THREAD_CPUTIME_ID
}

fn cpu_clock(clock: i32) -> f64 {
    let mut t = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; the call only writes to it.
    let rc = unsafe { clock_gettime(clock, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// A global allocator that counts allocations; install it in a bench binary with
/// `#[global_allocator] static A: CountingAlloc = CountingAlloc;`.
pub struct CountingAlloc;

pub static ALLOCATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (including reallocations) made so far by the whole process.
pub fn allocations() -> u64 {
    ALLOCATIONS.load(std::sync::atomic::Ordering::Relaxed)
}
