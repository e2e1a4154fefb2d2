//! Server-Sent Events read from an HTTP response body.
//!
//! Operations that answer with `text/event-stream` return an [`EventStream`]: a
//! [`Stream`] of [`Event`]s, parsed as the
//! [HTML specification](https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
//! describes.
//!
//! # Behaviour
//!
//! * Lines may end with `\n`, `\r\n` or a lone `\r`, mixed freely; an event is
//!   dispatched as soon as the blank line after it arrives.
//! * Invalid UTF-8 is replaced by U+FFFD (`�`) and the stream carries on; one byte
//!   order mark at the start of the body is ignored.
//! * Comment lines (starting with `:`, often sent as keep-alives) are skipped.
//! * Any `event:` name is passed through; an event without one is named `"message"`.
//! * A frame with no `data:` line is not dispatched (as in the specification); a
//!   `data:` line with an empty value gives an event whose `data` is empty.
//! * When the body ends in the middle of a frame (no blank line after its last
//!   field), that frame is **not** dispatched, as the specification says.
//! * One line, or the data of one event, may hold at most
//!   [`DEFAULT_MAX_EVENT_BYTES`] bytes unless another limit is set (see
//!   [`EventStream::with_max_event_bytes`] and
//!   [`ClientBuilder::max_event_bytes`](crate::ClientBuilder::max_event_bytes));
//!   a longer one ends the stream with [`StreamError::TooLarge`]. Memory use is
//!   bounded by that limit, and parsing time is linear in the length of the body.
//! * A reply whose `Content-Type` is not `text/event-stream` gives one
//!   [`StreamError::ContentType`], naming the type and showing the start of the body.
//! * Every error is the last item: after a transport error, an oversized line or event,
//!   a wrong content type or an idle timeout, the stream ends.
//!
//! # Example
//!
//! ```
//! use futures_util::StreamExt;
//! use meibel::sse::EventStream;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let body = futures_util::stream::iter([Ok(bytes::Bytes::from_static(
//!     b"event: progress\r\ndata: {\"done\": 3}\r\n\r\n: keep-alive\r\n\r\ndata: bye\r\n\r\n",
//! ))]);
//! let mut events = EventStream::from_byte_stream(body, None);
//! let first = events.next().await.unwrap()?;
//! assert_eq!(first.event, "progress");
//! assert_eq!(first.data_json().unwrap()["done"], 3);
//! let second = events.next().await.unwrap()?;
//! assert_eq!((second.event.as_str(), second.data.as_str()), ("message", "bye"));
//! assert!(events.next().await.is_none());
//! # Ok::<(), meibel::sse::StreamError>(())
//! # }).unwrap();
//! ```

use bytes::{Buf, Bytes};
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// The longest line, and the most data in one event, that an [`EventStream`] accepts
/// unless told otherwise: 8 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// How much of the body of a reply with the wrong content type an error shows.
const PREVIEW_BYTES: usize = 1024;

/// A line buffer that grew past this is given back after its line.
const KEEP_LINE_CAPACITY: usize = 64 * 1024;

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
/// let err = StreamError::TooLarge { limit: 1024 };
/// assert_eq!(
///     err.to_string(),
///     "event stream line or event larger than the limit of 1024 bytes (see max_event_bytes)"
/// );
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// Reading the response body failed (connection reset, body cut short, ...).
    Transport(reqwest::Error),
    /// No bytes arrived for the given time.
    IdleTimeout(Duration),
    /// One line, or the data of one event, is longer than `limit` bytes.
    TooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The reply is not an event stream: its `Content-Type` is another one.
    ContentType {
        /// The `Content-Type` of the reply.
        content_type: String,
        /// The start of the body (at most 1 KiB, invalid UTF-8 replaced).
        preview: String,
    },
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
            StreamError::IdleTimeout(d) => write!(f, "event stream idle: no data received for {d:?}"),
            StreamError::TooLarge { limit } => write!(
                f,
                "event stream line or event larger than the limit of {limit} bytes (see max_event_bytes)"
            ),
            StreamError::ContentType { content_type, preview } => {
                write!(f, "expected an event stream (text/event-stream), but the reply is {content_type:?}")?;
                if !preview.is_empty() {
                    write!(f, ": {preview:?}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

type Body = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

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
    body: Body,
    idle: Option<Idle>,
    idle_timeout: Option<Duration>,
    parser: Parser,
    /// What is left of the chunk being parsed.
    chunk: Bytes,
    /// The reply's content type, when it is not an event stream.
    rejected: Option<Rejected>,
    done: bool,
}

struct Rejected {
    content_type: String,
    preview: Vec<u8>,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("idle_timeout", &self.idle_timeout)
            .field("max_event_bytes", &self.parser.max)
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
    /// A response whose `Content-Type` is set to anything but `text/event-stream`
    /// gives a stream whose one item is [`StreamError::ContentType`].
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
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut stream = EventStream::from_byte_stream(response.bytes_stream(), idle_timeout);
        if let Some(content_type) = content_type.filter(|ct| !is_event_stream(ct)) {
            stream.rejected = Some(Rejected { content_type, preview: Vec::new() });
        }
        stream
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
        EventStream {
            body: Box::pin(stream),
            idle: idle_timeout.map(|timeout| Idle { timeout, sleep: None }),
            idle_timeout,
            parser: Parser::new(DEFAULT_MAX_EVENT_BYTES),
            chunk: Bytes::new(),
            rejected: None,
            done: false,
        }
    }

    /// Sets the longest line, and the most data in one event, that the stream accepts
    /// (default [`DEFAULT_MAX_EVENT_BYTES`]); a longer one ends the stream with
    /// [`StreamError::TooLarge`]. The operations of the client set the limit of
    /// [`ClientBuilder::max_event_bytes`](crate::ClientBuilder::max_event_bytes).
    ///
    /// # Example
    ///
    /// ```
    /// use bytes::Bytes;
    /// use meibel::sse::{EventStream, StreamError};
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let body = futures_util::stream::iter([Ok(Bytes::from("data: short\n\ndata: far too long\n\n"))]);
    /// let mut events = EventStream::from_byte_stream(body, None).with_max_event_bytes(12);
    /// use futures_util::StreamExt;
    /// assert_eq!(events.next().await.unwrap().unwrap().data, "short");
    /// assert!(matches!(events.next().await, Some(Err(StreamError::TooLarge { limit: 12 }))));
    /// assert!(events.next().await.is_none());
    /// # });
    /// ```
    pub fn with_max_event_bytes(mut self, limit: usize) -> EventStream {
        self.parser.max = limit;
        self
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

    /// Ends the stream: the parser's buffers are given back at once.
    fn finish(
        &mut self,
        item: Option<Result<Event, StreamError>>,
    ) -> Poll<Option<Result<Event, StreamError>>> {
        self.done = true;
        self.chunk = Bytes::new();
        self.parser = Parser::new(self.parser.max);
        self.idle = None;
        Poll::Ready(item)
    }

    /// Reads up to [`PREVIEW_BYTES`] of a rejected reply's body, then gives the error.
    fn poll_rejected(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event, StreamError>>> {
        loop {
            let full = self.rejected.as_ref().is_some_and(|r| r.preview.len() >= PREVIEW_BYTES);
            if !full {
                match self.body.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        if let Some(r) = self.rejected.as_mut() {
                            let room = PREVIEW_BYTES - r.preview.len();
                            r.preview.extend_from_slice(&chunk[..chunk.len().min(room)]);
                        }
                        continue;
                    }
                    // The body is only read for the preview: its end or failure ends it.
                    Poll::Ready(Some(Err(_)) | None) => {}
                }
            }
            let Some(Rejected { content_type, preview }) = self.rejected.take() else {
                return self.finish(None);
            };
            let preview = String::from_utf8_lossy(&preview).into_owned();
            return self.finish(Some(Err(StreamError::ContentType { content_type, preview })));
        }
    }
}

/// `client`, sending through its HTTP client for event streams.
// Called by the generated methods of event-stream operations: a document without any
// leaves it (and the stream HTTP client behind it) unused.
#[allow(dead_code)]
pub(crate) fn stream_client(client: &crate::Client) -> crate::Client {
    let mut streams = client.clone();
    streams.client = client.inner.stream_http().clone();
    streams
}

/// Whether a `Content-Type` value names `text/event-stream` (parameters allowed).
fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

impl Stream for EventStream {
    type Item = Result<Event, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if this.rejected.is_some() {
            return this.poll_rejected(cx);
        }
        loop {
            if !this.chunk.is_empty() {
                match this.parser.feed(&mut this.chunk) {
                    Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                    Ok(None) => {}
                    Err(e) => return this.finish(Some(Err(e))),
                }
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if chunk.is_empty() {
                        continue;
                    }
                    if let Some(Idle { timeout, sleep: Some(sleep) }) = &mut this.idle {
                        sleep.as_mut().reset(Instant::now() + *timeout);
                    }
                    this.chunk = chunk;
                }
                Poll::Ready(Some(Err(e))) => return this.finish(Some(Err(StreamError::Transport(e)))),
                // What is left unfinished (a line without its end, a frame without its
                // blank line) is dropped, as the specification says.
                Poll::Ready(None) => return this.finish(None),
                Poll::Pending => {
                    if let Some(idle) = &mut this.idle {
                        let timeout = idle.timeout;
                        let sleep = idle.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                        if sleep.as_mut().poll(cx).is_ready() {
                            return this.finish(Some(Err(StreamError::IdleTimeout(timeout))));
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

struct Idle {
    timeout: Duration,
    /// Created on the first wait, inside the runtime.
    sleep: Option<Pin<Box<Sleep>>>,
}

/// The event-stream parser: bytes in, events out. Each byte is looked at a bounded number
/// of times: line ends are found with `memchr`, the value of a `data:` line is copied
/// once (straight from the input into the event's data, also when the line spans
/// chunks), and the data is checked as UTF-8 once, when its event is dispatched.
struct Parser {
    /// The longest line, and the most data of one event, accepted.
    max: usize,
    /// What the bytes of the current line are for, when it started in an earlier chunk.
    mode: Mode,
    /// The start of a line whose end has not arrived yet ([`Mode::Buffered`]).
    line: Vec<u8>,
    /// The length of the current `data:` line so far ([`Mode::Data`]).
    line_len: usize,
    /// The last byte seen ended a line with `\r`: a `\n` right after it belongs to it.
    after_cr: bool,
    /// No line has been completed yet (a byte order mark may start it).
    first_line: bool,
    /// The data buffer of the specification: each `data:` value followed by `\n`. Its
    /// UTF-8 is checked when the event is dispatched: since `\n` never occurs inside a
    /// UTF-8 sequence, replacing invalid sequences in the whole buffer gives what
    /// replacing them line by line would.
    data: Vec<u8>,
    /// The event type buffer.
    event: String,
    /// The last event ID buffer; it outlives the frame that set it.
    last_id: Option<String>,
    /// The `retry:` of the current frame.
    retry: Option<Duration>,
    /// Bytes looked at, copied or checked so far (see [`Parser::work`]).
    #[cfg(test)]
    examined: usize,
}

/// Where the rest of a line that started in an earlier chunk goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// At the start of a line.
    Start,
    /// Into [`Parser::line`]: a field whose name is not known yet, or is not `data`.
    Buffered,
    /// Into [`Parser::data`]: the value of a `data:` line; `strip_space` when the space
    /// that may follow the colon has not been seen yet.
    Data { strip_space: bool },
    /// Nowhere: a comment.
    Comment,
}

const BOM: &[u8] = "\u{feff}".as_bytes();

impl Parser {
    fn new(max: usize) -> Parser {
        Parser {
            max,
            mode: Mode::Start,
            line: Vec::new(),
            line_len: 0,
            after_cr: false,
            first_line: true,
            data: Vec::new(),
            event: String::new(),
            last_id: None,
            retry: None,
            #[cfg(test)]
            examined: 0,
        }
    }

    /// Records that `n` bytes were scanned, copied or checked: the tests count them to
    /// show that each byte of the input costs a bounded amount of work, however the
    /// input is cut into chunks.
    #[inline(always)]
    fn work(&mut self, n: usize) {
        #[cfg(test)]
        {
            self.examined += n;
        }
        let _ = n;
    }

    fn too_large(&self) -> StreamError {
        StreamError::TooLarge { limit: self.max }
    }

    /// Parses `input` up to the end of the first event it completes, and returns that
    /// event; `input` keeps what follows it. With no event, all of `input` is consumed.
    fn feed(&mut self, input: &mut Bytes) -> Result<Option<Event>, StreamError> {
        let bytes: &[u8] = input;
        let mut pos = 0;
        if std::mem::take(&mut self.after_cr) && bytes.first() == Some(&b'\n') {
            pos = 1;
        }
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            let found = memchr::memchr2(b'\n', b'\r', rest);
            self.work(found.map_or(rest.len(), |at| at + 1));
            let piece = &rest[..found.unwrap_or(rest.len())];
            let next = match found {
                None => bytes.len(),
                Some(end) => {
                    let end = pos + end;
                    match (bytes[end], bytes.get(end + 1)) {
                        (b'\r', Some(b'\n')) => end + 2,
                        (b'\r', None) => {
                            self.after_cr = true;
                            end + 1
                        }
                        _ => end + 1,
                    }
                }
            };
            let ended = found.is_some();
            let event = match self.mode {
                Mode::Start if ended => self.process_line(piece)?,
                Mode::Start => {
                    self.mode = Mode::Buffered;
                    self.buffer(piece)?;
                    None
                }
                Mode::Buffered => {
                    if ended {
                        if self.line.len() + piece.len() > self.max {
                            return Err(self.too_large());
                        }
                        let mut line = std::mem::take(&mut self.line);
                        self.work(piece.len());
                        line.extend_from_slice(piece);
                        self.mode = Mode::Start;
                        let event = self.process_line(&line);
                        if line.capacity() <= KEEP_LINE_CAPACITY {
                            line.clear();
                            self.line = line;
                        }
                        event?
                    } else {
                        self.buffer(piece)?;
                        None
                    }
                }
                Mode::Data { strip_space } => {
                    self.line_len += piece.len();
                    let value = match piece.split_first() {
                        Some((b' ', value)) if strip_space => value,
                        _ => piece,
                    };
                    self.push_data(value)?;
                    if ended {
                        self.data.push(b'\n');
                        self.mode = Mode::Start;
                    } else if !piece.is_empty() {
                        self.mode = Mode::Data { strip_space: false };
                    }
                    None
                }
                Mode::Comment => {
                    if ended {
                        self.mode = Mode::Start;
                    }
                    None
                }
            };
            pos = next;
            if let Some(event) = event {
                input.advance(pos);
                return Ok(Some(event));
            }
        }
        input.clear();
        Ok(None)
    }

    /// Adds the start of a line to `line`, then, once its field name shows, sends a
    /// comment to [`Mode::Comment`] and a `data:` value to [`Mode::Data`].
    fn buffer(&mut self, piece: &[u8]) -> Result<(), StreamError> {
        if self.line.len() + piece.len() > self.max {
            return Err(self.too_large());
        }
        self.work(piece.len());
        self.line.extend_from_slice(piece);
        if self.first_line {
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return Ok(());
            }
            self.first_line = false;
            if self.line.starts_with(BOM) {
                self.line.drain(..BOM.len());
            }
        }
        if self.line.first() == Some(&b':') {
            self.line.clear();
            self.mode = Mode::Comment;
        } else if self.line.starts_with(b"data:") {
            let line = std::mem::take(&mut self.line);
            let value = &line[b"data:".len()..];
            let strip_space = value.is_empty();
            self.line_len = line.len();
            let pushed = self.push_data(value.strip_prefix(b" ").unwrap_or(value));
            self.line = line;
            self.line.clear();
            pushed?;
            self.mode = Mode::Data { strip_space };
        }
        Ok(())
    }

    /// Appends to the data of the event, within the limits.
    fn push_data(&mut self, value: &[u8]) -> Result<(), StreamError> {
        if self.line_len > self.max || self.data.len() + value.len() + 1 > self.max {
            return Err(self.too_large());
        }
        self.work(value.len());
        self.data.extend_from_slice(value);
        Ok(())
    }

    /// Interprets one whole line (without its line end); a blank line may dispatch an
    /// event.
    fn process_line(&mut self, mut line: &[u8]) -> Result<Option<Event>, StreamError> {
        if std::mem::take(&mut self.first_line) {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        if line.is_empty() {
            return Ok(self.dispatch());
        }
        if line[0] == b':' {
            return Ok(None);
        }
        if line.len() > self.max {
            return Err(self.too_large());
        }
        let colon = memchr::memchr(b':', line);
        self.work(colon.map_or(line.len(), |at| at + 1));
        let (name, value) = match colon {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match name {
            b"data" => {
                self.line_len = line.len();
                self.push_data(value)?;
                self.data.push(b'\n');
            }
            b"event" => {
                self.work(value.len());
                self.event.clear();
                self.event.push_str(&String::from_utf8_lossy(value));
            }
            b"id" if !value.contains(&0) => {
                self.work(2 * value.len());
                self.last_id = Some(String::from_utf8_lossy(value).into_owned());
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // A value too large for milliseconds in a u64 is ignored.
                if let Some(ms) = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()) {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            // Other fields are ignored, as the specification says.
            _ => {}
        }
        Ok(None)
    }

    /// The end of a frame: an event when it had data.
    fn dispatch(&mut self) -> Option<Event> {
        let retry = self.retry.take();
        if self.data.is_empty() {
            self.event.clear();
            return None;
        }
        self.data.pop();
        // The next event's data likely has about the same size as this one's.
        let next = Vec::with_capacity(self.data.capacity().min(KEEP_LINE_CAPACITY));
        let data = std::mem::replace(&mut self.data, next);
        self.work(data.len());
        // The SIMD check is several times faster than the standard library's on long
        // text with non-ASCII characters; the data is copied only when it is invalid.
        let data = match simdutf8::basic::from_utf8(&data) {
            // SAFETY: the bytes were just checked to be UTF-8.
            Ok(_) => unsafe { String::from_utf8_unchecked(data) },
            Err(_) => {
                self.work(data.len());
                String::from_utf8_lossy(&data).into_owned()
            }
        };
        let event = match std::mem::take(&mut self.event) {
            name if name.is_empty() => "message".to_owned(),
            name => name,
        };
        let id = self.last_id.clone().filter(|id| !id.is_empty());
        Some(Event { event, data, id, retry })
    }
}

/// Reads `text` as the body of a stream; a helper for the unit tests below.
#[cfg(test)]
fn parse_all(chunks: &[&[u8]], max: usize) -> Vec<Result<Event, String>> {
    let mut parser = Parser::new(max);
    let mut out = Vec::new();
    for chunk in chunks {
        let mut chunk = Bytes::copy_from_slice(chunk);
        loop {
            match parser.feed(&mut chunk) {
                Ok(Some(event)) => out.push(Ok(event)),
                Ok(None) => break,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(data: &str) -> Result<Event, String> {
        Ok(Event { event: "message".into(), data: data.into(), id: None, retry: None })
    }

    #[test]
    fn a_cr_at_the_end_of_a_chunk_ends_the_line_once() {
        assert_eq!(parse_all(&[b"data: a\r", b"\n\r", b"\ndata: b\r", b"\r"], 64), [msg("a"), msg("b")]);
    }

    #[test]
    fn the_limit_counts_one_line_and_one_event() {
        // A line of exactly the limit passes; one byte more does not, in one chunk or many.
        assert_eq!(parse_all(&[b"data: 12345678\n\n"], 14), [msg("12345678")]);
        let too_long = Err(StreamError::TooLarge { limit: 13 }.to_string());
        assert_eq!(parse_all(&[b"data: 12345678\n\n"], 13), std::slice::from_ref(&too_long));
        assert_eq!(parse_all(&[b"data: 1234", b"5678\n\n"], 13), std::slice::from_ref(&too_long));
        assert_eq!(parse_all(&[b"data: 1234", b"5678"], 13), std::slice::from_ref(&too_long));
        // Short lines whose data adds up past the limit.
        assert_eq!(parse_all(&[b"data: 1234\ndata: 1234\ndata: 123\n\n"], 13), [too_long]);
    }

    /// Feeds `text` in chunks of `chunk` bytes; returns the events and the bytes the
    /// parser examined.
    fn examined(text: &[u8], chunk: usize) -> (Vec<Event>, usize) {
        let mut parser = Parser::new(4 << 20);
        let mut events = Vec::new();
        for piece in text.chunks(chunk) {
            let mut piece = Bytes::copy_from_slice(piece);
            while let Some(event) = parser.feed(&mut piece).expect("within the limit") {
                events.push(event);
            }
        }
        (events, parser.examined)
    }

    #[test]
    fn a_long_line_is_examined_a_bounded_number_of_times_whatever_the_chunks() {
        // One line of 1 MiB of each kind the parser handles differently while the line is
        // incomplete (data, another field, a comment), then a short event: in chunks of
        // 1 KiB, 7 bytes and all at once, every byte is looked at a few times at most (found
        // among the line ends, copied, checked as UTF-8). A
        // parser that went back over the line so far for each chunk would examine it
        // about 500 times (1 KiB chunks) or 75,000 times (7 bytes).
        let long = "y".repeat(1 << 20);
        for (prefix, events) in [("data: ", 2), ("event: ", 1), (": ", 1), ("\u{feff}data:", 2)] {
            let text = format!("{prefix}{long}\r\n\r\ndata: end\n\n");
            for chunk in [1024, 7, text.len()] {
                let (got, examined) = examined(text.as_bytes(), chunk);
                assert_eq!(got.len(), events, "{prefix:?} in chunks of {chunk}");
                assert_eq!(got.last().unwrap().data, "end");
                assert!(
                    examined <= 4 * text.len(),
                    "{prefix:?} in chunks of {chunk}: {examined} bytes examined for {}",
                    text.len()
                );
            }
        }
    }

    #[test]
    fn a_long_line_buffer_is_given_back() {
        let mut parser = Parser::new(1 << 20);
        let mut first = Bytes::from(vec![b'x'; 200_000]);
        assert!(parser.feed(&mut first).unwrap().is_none());
        assert!(parser.line.capacity() >= 200_000);
        let mut end = Bytes::from_static(b"\n");
        assert!(parser.feed(&mut end).unwrap().is_none());
        assert_eq!(parser.line.capacity(), 0);
    }
}
