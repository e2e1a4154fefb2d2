//! Server-sent events: the replies of the streaming operations, parsed frame by frame.
//!
//! Methods whose reply is `text/event-stream` return an [`EventStream`]: a `Stream` of
//! [`Event`]s, parsed with the `eventsource-stream` crate as bytes arrive (LF, CRLF and
//! CR line endings, comments, multi-line data, `id` and `retry` fields). An event name
//! this crate does not know is passed through like any other. Malformed input or a
//! broken connection yields one error item, then the stream ends; so does a stream that
//! stays silent for longer than the idle timeout. A last frame that is not closed by a
//! blank line is incomplete and, as the SSE standard says, not dispatched.
//!
//! ```
//! use futures_util::StreamExt;
//! use meibel::sse::EventStream;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let bytes = futures_util::stream::iter(vec![Ok(bytes::Bytes::from_static(
//!     b"event: connected\ndata: {\"signal_id\": \"s1\"}\n\n",
//! ))]);
//! let mut events = EventStream::from_byte_stream(bytes, None);
//! let first = events.next().await.unwrap().unwrap();
//! assert_eq!(first.event, "connected");
//! assert_eq!(first.data_json().unwrap()["signal_id"], "s1");
//! # });
//! ```

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event name; `message` when the frame names none.
    pub event: String,
    /// The data lines, joined by `\n`.
    pub data: String,
    /// The last event id seen, if any.
    pub id: Option<String>,
    /// The reconnection delay the server asked for, if any.
    pub retry: Option<Duration>,
}

impl Event {
    /// Decode the data as JSON into `T`.
    ///
    /// ```
    /// let e = meibel::sse::Event { event: "progress".into(), data: "{\"done\": 3}".into(), id: None, retry: None };
    /// let v: serde_json::Value = e.json().unwrap();
    /// assert_eq!(v["done"], 3);
    /// ```
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.data)
    }

    /// The data as a JSON value, or `None` when it is not JSON.
    pub fn data_json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.data).ok()
    }
}

/// Why an event stream ended early.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while reading.
    Transport(reqwest::Error),
    /// The bytes are not a valid event stream (including invalid UTF-8).
    Parse(String),
    /// No data arrived for this long.
    IdleTimeout(Duration),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(e) => write!(f, "event stream connection failed: {e}"),
            StreamError::Parse(why) => write!(f, "malformed event stream: {why}"),
            StreamError::IdleTimeout(d) => write!(f, "event stream idle for {:.1} s", d.as_secs_f64()),
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

/// What the byte layer below the parser can fail with.
#[derive(Debug)]
enum ByteError {
    Transport(reqwest::Error),
    Idle(Duration),
}

impl fmt::Display for ByteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByteError::Transport(e) => e.fmt(f),
            ByteError::Idle(d) => write!(f, "idle for {d:?}"),
        }
    }
}

/// Bytes with an idle timer that restarts whenever data arrives.
struct IdleBytes<S> {
    inner: S,
    idle: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
}

impl<S> Stream for IdleBytes<S>
where
    S: Stream<Item = Result<Bytes, reqwest::Error>> + Unpin,
{
    type Item = Result<Bytes, ByteError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(item) => {
                if let Some((d, sleep)) = &mut this.idle {
                    sleep.as_mut().reset(tokio::time::Instant::now() + *d);
                }
                Poll::Ready(item.map(|r| r.map_err(ByteError::Transport)))
            }
            Poll::Pending => match &mut this.idle {
                Some((d, sleep)) => match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(ByteError::Idle(*d)))),
                    Poll::Pending => Poll::Pending,
                },
                None => Poll::Pending,
            },
        }
    }
}

type Parsed =
    Pin<Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<ByteError>>> + Send>>;

/// A stream of [`Event`]s read from a response body. See the [module docs](self).
pub struct EventStream {
    inner: Parsed,
    done: bool,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("done", &self.done).finish()
    }
}

impl EventStream {
    /// Events from the body of `response`; `idle_timeout` ends a silent stream.
    pub fn from_response(response: reqwest::Response, idle_timeout: Option<Duration>) -> EventStream {
        EventStream::from_byte_stream(response.bytes_stream(), idle_timeout)
    }

    /// Events from any stream of byte chunks.
    pub fn from_byte_stream<S>(stream: S, idle_timeout: Option<Duration>) -> EventStream
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        let bytes = IdleBytes {
            inner: Box::pin(stream),
            idle: idle_timeout.map(|d| (d, Box::pin(tokio::time::sleep(d)))),
        };
        EventStream { inner: Box::pin(bytes.eventsource()), done: false }
    }

    /// Read the stream to its end.
    pub async fn collect_all(mut self) -> Result<Vec<Event>, StreamError> {
        let mut out = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl Stream for EventStream {
    type Item = Result<Event, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Ok(e))) => Poll::Ready(Some(Ok(Event {
                event: if e.event.is_empty() { "message".to_string() } else { e.event },
                data: e.data,
                id: if e.id.is_empty() { None } else { Some(e.id) },
                retry: e.retry,
            }))),
            Poll::Ready(Some(Err(err))) => {
                // The parser does not recover from an error: end after reporting it.
                self.done = true;
                let err = match err {
                    EventStreamError::Transport(ByteError::Transport(e)) => StreamError::Transport(e),
                    EventStreamError::Transport(ByteError::Idle(d)) => StreamError::IdleTimeout(d),
                    EventStreamError::Utf8(e) => StreamError::Parse(format!("invalid UTF-8: {e}")),
                    EventStreamError::Parser(e) => StreamError::Parse(e.to_string()),
                };
                Poll::Ready(Some(Err(err)))
            }
        }
    }
}
