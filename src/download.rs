//! Consuming binary response bodies (a [`ByteStream`]) in constant memory.
//!
//! Methods that download a file return `ResponseValue<ByteStream>`; pass
//! `response.into_inner()` to one of these functions, or pass the response to
//! [`with_progress`] first to be told how far the download has got.
//!
//! # Example
//!
//! ```
//! use bytes::Bytes;
//! use meibel::ByteStream;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let body = futures_util::stream::iter([Ok(Bytes::from("PK\x03\x04")), Ok(Bytes::from("..."))]);
//! let bytes = meibel::download::to_bytes(ByteStream::new(Box::pin(body)), 1024).await?;
//! assert_eq!(&bytes[..], b"PK\x03\x04...");
//! # Ok::<(), meibel::download::DownloadError>(())
//! # }).unwrap();
//! ```

use crate::progress::{Counted, Observer, Progress};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Why a download did not complete.
///
/// # Example
///
/// ```
/// use meibel::download::DownloadError;
///
/// let err = DownloadError::TooLarge { limit: 1024 };
/// assert_eq!(err.to_string(), "download larger than the limit of 1024 bytes");
/// ```
#[derive(Debug)]
pub enum DownloadError {
    /// Reading the response body failed.
    Transport(reqwest::Error),
    /// Writing the content failed.
    Io(io::Error),
    /// More than `limit` bytes arrived.
    TooLarge {
        /// The limit that was given.
        limit: usize,
    },
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::Transport(e) => write!(f, "download interrupted: {e}"),
            DownloadError::Io(e) => write!(f, "cannot write download: {e}"),
            DownloadError::TooLarge { limit } => write!(f, "download larger than the limit of {limit} bytes"),
        }
    }
}

impl std::error::Error for DownloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DownloadError::Transport(e) => Some(e),
            DownloadError::Io(e) => Some(e),
            DownloadError::TooLarge { .. } => None,
        }
    }
}

impl From<reqwest::Error> for DownloadError {
    fn from(e: reqwest::Error) -> DownloadError {
        DownloadError::Transport(e)
    }
}

impl From<io::Error> for DownloadError {
    fn from(e: io::Error) -> DownloadError {
        DownloadError::Io(e)
    }
}

/// The body of `response`, telling `observer` how many of its bytes have been read as
/// it is consumed (by [`save`], [`write_to`], [`to_bytes`] or any reader of the
/// stream); the total is the reply's `Content-Length`, when it has one.
///
/// `observer` is called with 0 when reading starts, then after every piece received.
/// Its last call tells the bytes received, also when the download fails midway.
///
/// # Example
///
/// ```no_run
/// # async fn run(client: meibel::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let reply = client.download_file().datasource_id("ds_1").job_id("job_9").send().await?;
/// let body = meibel::download::with_progress(reply, |p| {
///     eprint!("\r{} of {:?} bytes", p.done, p.total);
/// });
/// meibel::download::save(body, "export.zip").await?;
/// # Ok(())
/// # }
/// ```
pub fn with_progress(
    response: ResponseValue<ByteStream>,
    observer: impl Fn(Progress) + Send + Sync + 'static,
) -> ByteStream {
    let total = response.content_length();
    stream_with_progress(response.into_inner(), total, observer)
}

/// [`with_progress`] for a bare stream, whose total is given.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use meibel::ByteStream;
/// use std::sync::{Arc, Mutex};
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let body = futures_util::stream::iter([Ok(Bytes::from("abc")), Ok(Bytes::from("de"))]);
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = seen.clone();
/// let body = meibel::download::stream_with_progress(ByteStream::new(Box::pin(body)), Some(5), move |p| {
///     log.lock().unwrap().push(p.done);
/// });
/// meibel::download::write_to(body, &mut Vec::new()).await?;
/// assert_eq!(*seen.lock().unwrap(), [0, 3, 5]);
/// # Ok::<(), meibel::download::DownloadError>(())
/// # }).unwrap();
/// ```
pub fn stream_with_progress(
    stream: ByteStream,
    total: Option<u64>,
    observer: impl Fn(Progress) + Send + Sync + 'static,
) -> ByteStream {
    ByteStream::new(Box::pin(Counted::new(stream.into_inner(), total, Observer::new(observer))))
}

/// Copies the stream into `writer`, then flushes it; returns the number of bytes written.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use meibel::ByteStream;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let body = futures_util::stream::iter([Ok(Bytes::from("abc")), Ok(Bytes::from("de"))]);
/// let mut out = Vec::new();
/// let n = meibel::download::write_to(ByteStream::new(Box::pin(body)), &mut out).await?;
/// assert_eq!((n, out.as_slice()), (5, &b"abcde"[..]));
/// # Ok::<(), meibel::download::DownloadError>(())
/// # }).unwrap();
/// ```
pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
    stream: ByteStream,
    writer: &mut W,
) -> Result<u64, DownloadError> {
    let mut inner = stream.into_inner();
    let mut total = 0u64;
    while let Some(chunk) = inner.next().await {
        let chunk = chunk.map_err(DownloadError::Transport)?;
        writer.write_all(&chunk).await.map_err(DownloadError::Io)?;
        total += chunk.len() as u64;
    }
    writer.flush().await.map_err(DownloadError::Io)?;
    Ok(total)
}

/// Writes the stream to the file at `path`; returns the number of bytes written.
///
/// The content goes to a temporary file in the same directory, renamed to `path` once
/// complete, so `path` never holds a partial download: on failure (or if the future
/// is dropped) the temporary file is removed and an existing file at `path` is left as
/// it was.
///
/// # Example
///
/// ```no_run
/// # async fn run(response: meibel::ResponseValue<meibel::ByteStream>) -> Result<(), meibel::download::DownloadError> {
/// let bytes = meibel::download::save(response.into_inner(), "export.zip").await?;
/// println!("saved {bytes} bytes");
/// # Ok(())
/// # }
/// ```
pub async fn save(stream: ByteStream, path: impl AsRef<Path>) -> Result<u64, DownloadError> {
    let path = path.as_ref();
    let Some(name) = path.file_name() else {
        return Err(DownloadError::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file path", path.display()),
        )));
    };
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}-{}.part", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let tmp = path.with_file_name(tmp_name);
    let with_path =
        |p: &Path, e: io::Error| DownloadError::Io(io::Error::new(e.kind(), format!("{}: {e}", p.display())));

    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .await
        .map_err(|e| with_path(&tmp, e))?;
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    let mut writer = tokio::io::BufWriter::with_capacity(64 * 1024, file);
    let written = write_to(stream, &mut writer).await.map_err(|e| match e {
        DownloadError::Io(e) => with_path(&tmp, e),
        other => other,
    })?;
    let file = writer.into_inner();
    file.sync_all().await.map_err(|e| with_path(&tmp, e))?;
    drop(file);
    tokio::fs::rename(&tmp, path).await.map_err(|e| with_path(path, e))?;
    guard.0 = None;
    Ok(written)
}

/// Deletes the temporary file of an unfinished [`save`].
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Reads the whole stream into memory, failing with [`DownloadError::TooLarge`] as
/// soon as more than `limit` bytes have arrived.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use meibel::ByteStream;
/// use meibel::download::{DownloadError, to_bytes};
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let body = || ByteStream::new(Box::pin(futures_util::stream::iter([Ok(Bytes::from("12345"))])));
/// assert_eq!(to_bytes(body(), 5).await.unwrap(), "12345");
/// assert!(matches!(to_bytes(body(), 4).await, Err(DownloadError::TooLarge { limit: 4 })));
/// # });
/// ```
pub async fn to_bytes(stream: ByteStream, limit: usize) -> Result<Bytes, DownloadError> {
    let mut inner = stream.into_inner();
    let mut buf = BytesMut::new();
    while let Some(chunk) = inner.next().await {
        let chunk = chunk.map_err(DownloadError::Transport)?;
        if chunk.len() > limit - buf.len() {
            return Err(DownloadError::TooLarge { limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
