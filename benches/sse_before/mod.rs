//! The event-stream reader this crate used before its own parser: the
//! `eventsource-stream` parser, fed by a pass that checks UTF-8, rewrites lone `\r`
//! line ends, removes a byte order mark and cuts the input at line ends. Kept here only
//! to be measured against the current one in `benches/sse.rs`.

#![allow(dead_code)]

use bytes::Bytes;
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Largest piece of input with several lines handed to the parser at once. The parser
/// copies what is left of its buffer after every line, so a large piece of many lines
/// costs time quadratic in its size; slicing at line ends keeps the cost linear in the
/// length of the body (see `slice_len`).
const MAX_SLICE: usize = 1024;

/// One event of a Server-Sent Events stream.
///
/// # Example
///
/// ```
/// use meibel::sse::Event;
///
/// let event = Event {
///     event: "message".into(),
///     data: r#"{"id": 7}"#.into(),
///     id: Some("42".into()),
///     retry: None,
/// };
/// assert_eq!(event.data_json().unwrap()["id"], 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The `event:` name; `"message"` when the frame has none.
    pub event: String,
    /// The `data:` lines of the frame, joined with `\n`.
    pub data: String,
    /// The last event ID: the `id:` of this frame, or of the latest earlier frame
    /// that had one (the value to send as `Last-Event-ID` when reconnecting).
    /// `None` when no frame set one, or the latest `id:` was empty.
    pub id: Option<String>,
    /// The `retry:` value of this frame (milliseconds in the stream), if it had one.
    pub retry: Option<Duration>,
}

impl Event {
    /// Deserializes `data` as JSON into `T`.
    ///
    /// # Example
    ///
    /// ```
    /// use meibel::sse::Event;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Progress {
    ///     done: u32,
    /// }
    ///
    /// let event = Event { event: "progress".into(), data: r#"{"done": 3}"#.into(), ..Default::default() };
    /// let progress: Progress = event.json()?;
    /// assert_eq!(progress.done, 3);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.data)
    }

    /// `data` parsed as JSON, or `None` when it is not JSON.
    ///
    /// # Example
    ///
    /// ```
    /// use meibel::sse::Event;
    ///
    /// let json = Event { data: "[1, 2]".into(), ..Default::default() };
    /// assert_eq!(json.data_json(), Some(serde_json::json!([1, 2])));
    /// let text = Event { data: "[DONE]".into(), ..Default::default() };
    /// assert_eq!(text.data_json(), None);
    /// ```
    pub fn data_json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.data).ok()
    }
}

/// Why an [`EventStream`] stopped. Whatever the kind, it is the stream's last item.
///
/// The message of a transport error includes its causes, so it is complete on its own.
///
/// # Example
///
/// ```
/// use meibel::sse::StreamError;
/// use std::time::Duration;
///
/// let err = StreamError::IdleTimeout(Duration::from_secs(30));
/// assert_eq!(err.to_string(), "event stream idle: no data received for 30s");
/// ```
#[derive(Debug)]
pub enum StreamError {
    /// Reading the response body failed (connection reset, body cut short, ...).
    Transport(reqwest::Error),
    /// The body is not a valid event stream (for example, it is not UTF-8).
    Parse(String),
    /// No bytes arrived for the given time.
    IdleTimeout(Duration),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(e) => {
                write!(f, "event stream transport error: {e}")?;
                // reqwest keeps the cause (e.g. "connection reset") out of its message.
                let mut source = std::error::Error::source(e);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
            StreamError::Parse(msg) => write!(f, "malformed event stream: {msg}"),
            StreamError::IdleTimeout(d) => write!(f, "event stream idle: no data received for {d:?}"),
        }
    }
}

impl std::error::Error for StreamError {}

/// A stream of [`Event`]s read from a `text/event-stream` response.
///
/// Yields `Ok(event)` for each dispatched event and ends with `None`, or with one
/// `Err(`[`StreamError`]`)` followed by `None`.
///
/// An idle timeout needs the Tokio time driver (a runtime built with `enable_time` or
/// `enable_all`, as `#[tokio::main]` does).
///
/// # Example
///
/// ```no_run
/// use futures_util::StreamExt;
/// use meibel::sse::EventStream;
/// use std::time::Duration;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let response = reqwest::get("https://example.com/events").await?.error_for_status()?;
/// let mut events = EventStream::from_response(response, Some(Duration::from_secs(60)));
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{}: {}", event.event, event.data);
/// }
/// # Ok(())
/// # }
/// ```
pub struct EventStream {
    inner: eventsource_stream::EventStream<CheckedBody>,
    idle_timeout: Option<Duration>,
    done: bool,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("idle_timeout", &self.idle_timeout)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl EventStream {
    /// Reads events from the body of `response`.
    ///
    /// With `idle_timeout`, the stream ends with [`StreamError::IdleTimeout`] when no
    /// bytes arrive for that long (comments sent as keep-alives count as bytes).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let response = reqwest::get("https://example.com/events").await?;
    /// let events = meibel::sse::EventStream::from_response(response, None).collect_all().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_response(response: reqwest::Response, idle_timeout: Option<Duration>) -> EventStream {
        EventStream::from_byte_stream(response.bytes_stream(), idle_timeout)
    }

    /// Reads events from any stream of byte chunks, split anywhere.
    ///
    /// # Example
    ///
    /// ```
    /// use bytes::Bytes;
    /// use meibel::sse::EventStream;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let chunks = ["da", "ta: he", "llo\n", "\n"].map(|c| Ok(Bytes::from(c)));
    /// let events = EventStream::from_byte_stream(futures_util::stream::iter(chunks), None);
    /// let events = events.collect_all().await.unwrap();
    /// assert_eq!(events[0].data, "hello");
    /// # });
    /// ```
    pub fn from_byte_stream<S>(stream: S, idle_timeout: Option<Duration>) -> EventStream
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        let body = CheckedBody {
            inner: Box::pin(stream),
            idle: idle_timeout.map(|timeout| Idle { timeout, sleep: None }),
            utf8_tail: Vec::new(),
            offset: 0,
            after_cr: false,
            // The parser never sees the body's first character: it would try to remove
            // a byte order mark there and panic. A leading blank line dispatches nothing.
            ready: Bytes::from_static(b"\n"),
            failed: None,
            at_start: true,
            ended: false,
        };
        EventStream { inner: eventsource_stream::EventStream::new(body), idle_timeout, done: false }
    }

    /// Reads the whole stream, returning every event, or the error that ended it.
    ///
    /// # Example
    ///
    /// ```
    /// use bytes::Bytes;
    /// use meibel::sse::EventStream;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let body = futures_util::stream::iter([Ok(Bytes::from("data: a\n\ndata: b\n\n"))]);
    /// let events = EventStream::from_byte_stream(body, None).collect_all().await.unwrap();
    /// let data: Vec<_> = events.iter().map(|e| e.data.as_str()).collect();
    /// assert_eq!(data, ["a", "b"]);
    /// # });
    /// ```
    pub async fn collect_all(mut self) -> Result<Vec<Event>, StreamError> {
        let mut events = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            events.push(item?);
        }
        Ok(events)
    }
}

impl Stream for EventStream {
    type Item = Result<Event, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(e))) => Poll::Ready(Some(Ok(Event {
                event: e.event,
                data: e.data,
                id: Some(e.id).filter(|id| !id.is_empty()),
                retry: e.retry,
            }))),
            Poll::Ready(Some(Err(err))) => {
                // The parser does not resume after an error (it would report it again).
                self.done = true;
                Poll::Ready(Some(Err(convert_error(err))))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

fn convert_error(err: eventsource_stream::EventStreamError<BodyError>) -> StreamError {
    use eventsource_stream::EventStreamError as E;
    match err {
        E::Transport(BodyError::Transport(e)) => StreamError::Transport(e),
        E::Transport(BodyError::Invalid(msg)) => StreamError::Parse(msg),
        E::Transport(BodyError::Idle(d)) => StreamError::IdleTimeout(d),
        E::Utf8(e) => StreamError::Parse(format!("invalid UTF-8: {e}")),
        E::Parser(e) => StreamError::Parse(e.to_string()),
    }
}

/// What the byte source can fail with, carried through the parser.
#[derive(Debug)]
enum BodyError {
    Transport(reqwest::Error),
    Invalid(String),
    Idle(Duration),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Transport(e) => e.fmt(f),
            BodyError::Invalid(msg) => f.write_str(msg),
            BodyError::Idle(d) => write!(f, "idle for {d:?}"),
        }
    }
}

struct Idle {
    timeout: Duration,
    /// Created on the first wait, inside the runtime.
    sleep: Option<Pin<Box<Sleep>>>,
}

/// The response body, checked as UTF-8, with no lone `\r` line ending, in pieces cut as
/// `slice_len` says.
struct CheckedBody {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>,
    idle: Option<Idle>,
    /// The start of a UTF-8 sequence cut by a chunk boundary.
    utf8_tail: Vec<u8>,
    /// Bytes of the body before `utf8_tail`, for error messages.
    offset: u64,
    /// The last byte passed on was a `\r` (turned into `\n`): a `\n` right after it is dropped.
    after_cr: bool,
    /// Checked bytes not yet handed to the parser.
    ready: Bytes,
    /// An error to report once `ready` is handed over.
    failed: Option<BodyError>,
    /// No character of the body has been passed on yet.
    at_start: bool,
    ended: bool,
}

impl CheckedBody {
    /// Checks and normalises one chunk into `ready`. Invalid UTF-8 sets `failed`, to be
    /// reported after the valid bytes before it.
    fn decode(&mut self, chunk: Bytes) {
        let data = if self.utf8_tail.is_empty() {
            chunk
        } else {
            let mut joined = std::mem::take(&mut self.utf8_tail);
            joined.extend_from_slice(&chunk);
            Bytes::from(joined)
        };
        let valid = match std::str::from_utf8(&data) {
            Ok(_) => data,
            Err(e) => {
                let cut = e.valid_up_to();
                if e.error_len().is_some() {
                    self.failed = Some(BodyError::Invalid(format!(
                        "invalid UTF-8 at byte {} of the body",
                        self.offset + cut as u64
                    )));
                } else {
                    self.utf8_tail = data[cut..].to_vec();
                }
                data.slice(..cut)
            }
        };
        self.offset += valid.len() as u64;
        let mut valid = valid;
        if self.at_start && !valid.is_empty() {
            self.at_start = false;
            if valid.starts_with("\u{feff}".as_bytes()) {
                valid = valid.slice(3..);
            }
        }
        self.ready = self.normalize(valid);
    }

    /// Turns `\r\n` and lone `\r` into `\n` in a chunk that has a lone `\r` or ends in
    /// one, keeping track across chunks; passes any other chunk on as it is.
    fn normalize(&mut self, data: Bytes) -> Bytes {
        let Some(&first) = data.first() else { return data };
        // A `\n` completing a `\r\n` cut by the chunk boundary was already passed on.
        let start = usize::from(self.after_cr && first == b'\n');
        self.after_cr = false;
        let bytes = &data[..];
        // The parser reads `\r\n` itself; only a lone `\r`, or one at the end of the
        // chunk (which the parser would hold until more bytes arrive), needs rewriting.
        let lone_cr =
            memchr::memchr_iter(b'\r', &bytes[start..]).any(|p| bytes.get(start + p + 1) != Some(&b'\n'));
        if !lone_cr {
            return data.slice(start..);
        }
        // Rewrite from the first `\r` of the chunk on.
        let mut cr = start + memchr::memchr(b'\r', &bytes[start..]).expect("a lone one was found");
        let mut out = Vec::with_capacity(bytes.len());
        let mut from = start;
        loop {
            out.extend_from_slice(&bytes[from..cr]);
            out.push(b'\n');
            from = cr + 1;
            match bytes.get(from) {
                None => {
                    self.after_cr = true;
                    break;
                }
                Some(b'\n') => from += 1,
                Some(_) => {}
            }
            match memchr::memchr(b'\r', &bytes[from..]) {
                Some(p) => cr = from + p,
                None => {
                    out.extend_from_slice(&bytes[from..]);
                    break;
                }
            }
        }
        Bytes::from(out)
    }
}

/// How much of `ready` to hand to the parser next: all of it when it is short; else up
/// to the last line end within [`MAX_SLICE`] bytes; else (one long line) up to the first
/// line end, or all of it. Each piece then holds either many short lines, or part of a
/// long one, and the parser copies little after each line.
fn slice_len(ready: &[u8]) -> usize {
    if ready.len() <= MAX_SLICE {
        return ready.len();
    }
    match memchr::memrchr(b'\n', &ready[..MAX_SLICE]) {
        Some(p) => p + 1,
        None => memchr::memchr(b'\n', &ready[MAX_SLICE..]).map_or(ready.len(), |p| MAX_SLICE + p + 1),
    }
}

impl Stream for CheckedBody {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if !this.ready.is_empty() {
                let len = slice_len(&this.ready);
                return Poll::Ready(Some(Ok(this.ready.split_to(len))));
            }
            if let Some(e) = this.failed.take() {
                this.ended = true;
                return Poll::Ready(Some(Err(e)));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if chunk.is_empty() {
                        continue;
                    }
                    if let Some(Idle { timeout, sleep: Some(sleep) }) = &mut this.idle {
                        sleep.as_mut().reset(Instant::now() + *timeout);
                    }
                    this.decode(chunk);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(BodyError::Transport(e))));
                }
                Poll::Ready(None) => {
                    this.ended = true;
                    if !this.utf8_tail.is_empty() {
                        return Poll::Ready(Some(Err(BodyError::Invalid(format!(
                            "the body ends inside a UTF-8 sequence at byte {}",
                            this.offset
                        )))));
                    }
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    if let Some(idle) = &mut this.idle {
                        let timeout = idle.timeout;
                        let sleep = idle.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                        if sleep.as_mut().poll(cx).is_ready() {
                            this.ended = true;
                            return Poll::Ready(Some(Err(BodyError::Idle(timeout))));
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}
