//! A local HTTP/1.1 server that keeps every request body it receives, byte for byte,
//! and answers each request as it is told: the counterpart of progress reports.
//!
//! Each connection carries one request and is closed after the reply.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request line and headers.
    pub head: String,
    /// The body, de-chunked when it was chunked.
    pub body: Vec<u8>,
    /// Whether the body arrived whole (else the connection ended inside it).
    pub complete: bool,
}

impl Seen {
    /// The value of a header (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The contents of the parts of a multipart body (what follows each part's headers);
    /// the last one may be cut short if the body is.
    pub fn part_contents(&self) -> Vec<Vec<u8>> {
        let content_type = self.header("content-type").expect("a content type");
        let boundary = content_type.split("boundary=").nth(1).expect("a boundary").trim_matches('"');
        let delimiter = format!("\r\n--{boundary}").into_bytes();
        // The body starts with the delimiter without its leading CRLF.
        let mut body = b"\r\n".to_vec();
        body.extend_from_slice(&self.body);
        let mut parts = Vec::new();
        let mut at = 0;
        while let Some(start) = find(&body[at..], &delimiter).map(|p| at + p + delimiter.len()) {
            if body[start..].starts_with(b"--") {
                break;
            }
            let Some(headers_end) = find(&body[start..], b"\r\n\r\n").map(|p| start + p + 4) else { break };
            let end = find(&body[headers_end..], &delimiter).map_or(body.len(), |p| headers_end + p);
            parts.push(body[headers_end..end].to_vec());
            at = end;
        }
        parts
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How to answer a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status with a JSON body.
    Json(u16, String),
    /// `200` with `content`: with a `Content-Length` when `declared` (chunked
    /// otherwise), sending only the first `cut_after` bytes before closing when given.
    Body { content: Vec<u8>, declared: bool, cut_after: Option<usize> },
}

/// The server: its base URL (with `/v2`) and what it has seen.
pub struct CountingServer {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl CountingServer {
    /// Starts a server that answers the n-th request with `replies[n]` (the last reply
    /// again once they run out).
    pub async fn start(replies: Vec<Reply>) -> CountingServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            let mut n = 0usize;
            loop {
                let Ok((conn, _)) = listener.accept().await else { return };
                let reply = replies[n.min(replies.len() - 1)].clone();
                n += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(conn, reply, log).await;
                });
            }
        });
        CountingServer { base: format!("http://{addr}/v2"), seen }
    }

    /// The requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits until `n` requests have been seen whole or cut (at most 5 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Seen> {
        for _ in 0..500 {
            let seen = self.seen();
            if seen.len() >= n {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the server saw {} requests, not {n}", self.seen().len());
    }
}

async fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = conn.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// Reads the body after `head` from `buf` and `conn`: returns it and whether it is whole.
async fn read_body(conn: &mut TcpStream, buf: &mut Vec<u8>, seen: &Seen) -> (Vec<u8>, bool) {
    let chunked = seen.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    if !chunked {
        let length: usize = seen.header("content-length").map_or(0, |v| v.parse().unwrap());
        while buf.len() < length {
            if !matches!(fill(conn, buf).await, Ok(true)) {
                return (std::mem::take(buf), false);
            }
        }
        return (buf.drain(..length).collect(), true);
    }
    let mut body = Vec::new();
    loop {
        // A chunk-size line, then that many bytes and a CRLF.
        let line_end = loop {
            if let Some(p) = find(buf, b"\r\n") {
                break p;
            }
            if !matches!(fill(conn, buf).await, Ok(true)) {
                return (body, false);
            }
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        buf.drain(..line_end + 2);
        while buf.len() < size + 2 {
            if !matches!(fill(conn, buf).await, Ok(true)) {
                let got = buf.len().min(size);
                body.extend_from_slice(&buf[..got]);
                return (body, false);
            }
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
        if size == 0 {
            return (body, true);
        }
    }
}

async fn serve(mut conn: TcpStream, reply: Reply, log: Arc<Mutex<Vec<Seen>>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(p) = find(&buf, b"\r\n\r\n") {
            break p;
        }
        if !fill(&mut conn, &mut buf).await? {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    let mut seen = Seen { head, body: Vec::new(), complete: false };
    let (body, complete) = read_body(&mut conn, &mut buf, &seen).await;
    seen.body = body;
    seen.complete = complete;
    log.lock().unwrap().push(seen);
    if !complete {
        return Ok(());
    }
    match reply {
        Reply::Json(status, body) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            conn.write_all(head.as_bytes()).await?;
            conn.write_all(body.as_bytes()).await?;
        }
        Reply::Body { content, declared, cut_after } => {
            let sent = &content[..cut_after.unwrap_or(content.len()).min(content.len())];
            if declared {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    content.len()
                );
                conn.write_all(head.as_bytes()).await?;
                for piece in sent.chunks(7_000) {
                    conn.write_all(piece).await?;
                }
            } else {
                conn.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                )
                .await?;
                for piece in sent.chunks(7_000) {
                    conn.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await?;
                    conn.write_all(piece).await?;
                    conn.write_all(b"\r\n").await?;
                }
                if cut_after.is_none() {
                    conn.write_all(b"0\r\n\r\n").await?;
                }
            }
        }
    }
    conn.flush().await?;
    conn.shutdown().await?;
    Ok(())
}
