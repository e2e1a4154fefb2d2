//! Typed events: the events of each event-stream operation as the spec documents them.
//!
//! For every operation that answers with `text/event-stream`, the build step emits an
//! enum named after it (`SendChatMessageStreamEvent`, ...) with one variant per
//! documented event, its data decoded into the event's schema, and `Other { event, data }`
//! for an event this crate does not know. The operation's builder gets `send_events()`,
//! which returns a [`TypedEventStream`] of those enums; `send()` still gives the raw
//! [`EventStream`].
//!
//! Each item is a [`TypedEvent`]: the typed value and the raw [`Event`] it came from
//! (with its `id` and `retry`). An event whose name is documented but whose data does
//! not fit its schema is reported as [`EventError::Decode`], which carries the raw event;
//! the stream goes on after it. A transport or parse error ([`EventError::Stream`]) is
//! the last item.
//!
//! # Example
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use meibel::events::SendChatMessageStreamEvent as Chat;
//!
//! # async fn run(client: meibel::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let mut events = client
//!     .send_chat_message_stream()
//!     .session_id("session-id")
//!     .user_message("Summarise the handbook")
//!     .send_events()
//!     .await?
//!     .into_inner();
//! while let Some(item) = events.next().await {
//!     match item?.event {
//!         Chat::PartialResponse(data) => print!("{}", data["text"].as_str().unwrap_or_default()),
//!         Chat::Completion(_) => println!(),
//!         other => eprintln!("({})", meibel::events::EventKind::name(&other)),
//!     }
//! }
//! # Ok(()) }
//! ```

use crate::sse::{Event, EventStream, StreamError};
use futures_core::Stream;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The typed events of one stream operation; implemented by the generated enums.
pub trait EventKind: Sized {
    /// The event names the spec documents for this stream.
    const NAMES: &'static [&'static str];

    /// Decodes a raw event: a documented name decodes its data into the event's type,
    /// any other name gives the `Other` variant.
    fn from_event(event: &Event) -> Result<Self, serde_json::Error>;

    /// The event's name on the wire.
    fn name(&self) -> &str;

    /// The event's data as it goes on the wire (JSON for documented events).
    fn data(&self) -> Result<String, serde_json::Error>;

    /// The raw event this value is sent as (no `id`, no `retry`).
    fn to_event(&self) -> Result<Event, serde_json::Error> {
        Ok(Event { event: self.name().to_string(), data: self.data()?, id: None, retry: None })
    }
}

/// One event of a [`TypedEventStream`]: the typed value and the raw event.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedEvent<E> {
    /// The typed event.
    pub event: E,
    /// The event as received.
    pub raw: Event,
}

/// Why an item of a [`TypedEventStream`] is not an event.
#[derive(Debug)]
pub enum EventError {
    /// The stream failed; this is its last item.
    Stream(StreamError),
    /// A documented event whose data does not fit its schema. The stream goes on.
    Decode {
        /// The event as received.
        raw: Event,
        /// What did not fit.
        source: serde_json::Error,
    },
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Stream(e) => fmt::Display::fmt(e, f),
            EventError::Decode { raw, source } => {
                write!(f, "event `{}` does not fit its documented schema: {source}", raw.event)
            }
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::Stream(e) => Some(e),
            EventError::Decode { source, .. } => Some(source),
        }
    }
}

impl From<StreamError> for EventError {
    fn from(e: StreamError) -> Self {
        EventError::Stream(e)
    }
}

/// A stream of typed events over an [`EventStream`].
///
/// # Example
///
/// ```
/// use futures_util::StreamExt;
/// use meibel::events::{TypedEventStream, StreamDownloadProgressEvent as Progress};
/// use meibel::sse::EventStream;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let body = futures_util::stream::iter([Ok(bytes::Bytes::from_static(
///     b"event: progress\ndata: {\"done\": 1}\n\nevent: brand_new\ndata: hi\n\n",
/// ))]);
/// let mut events = TypedEventStream::<Progress>::new(EventStream::from_byte_stream(body, None));
/// let first = events.next().await.unwrap().unwrap();
/// assert!(matches!(&first.event, Progress::Progress(d) if d["done"] == 1));
/// let second = events.next().await.unwrap().unwrap();
/// assert!(matches!(&second.event, Progress::Other { event, data } if event == "brand_new" && data == "hi"));
/// assert!(events.next().await.is_none());
/// # });
/// ```
pub struct TypedEventStream<E> {
    inner: EventStream,
    kind: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for TypedEventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedEventStream").field("inner", &self.inner).finish()
    }
}

impl<E: EventKind> TypedEventStream<E> {
    /// Types the events of `inner`.
    pub fn new(inner: EventStream) -> Self {
        TypedEventStream { inner, kind: PhantomData }
    }

    /// The raw stream underneath.
    pub fn into_raw(self) -> EventStream {
        self.inner
    }

    /// Reads the whole stream; stops at the first error.
    pub async fn collect_all(mut self) -> Result<Vec<TypedEvent<E>>, EventError> {
        let mut out = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<E: EventKind> Stream for TypedEventStream<E> {
    type Item = Result<TypedEvent<E>, EventError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(raw))) => Poll::Ready(Some(match E::from_event(&raw) {
                Ok(event) => Ok(TypedEvent { event, raw }),
                Err(source) => Err(EventError::Decode { raw, source }),
            })),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(EventError::Stream(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Renders events as a `text/event-stream` body (`event:` and `data:` lines, a blank
/// line after each), as a server would send them. Multi-line data is split over
/// several `data:` lines.
///
/// ```
/// use meibel::events::{EventKind, StreamUploadProgressEvent as Progress, to_body};
///
/// let body = to_body(&[Progress::Progress(serde_json::json!({"done": 2}))]).unwrap();
/// assert_eq!(body, "event: progress\ndata: {\"done\":2}\n\n");
/// ```
pub fn to_body<E: EventKind>(events: &[E]) -> Result<String, serde_json::Error> {
    let mut out = String::new();
    for e in events {
        out.push_str("event: ");
        out.push_str(e.name());
        out.push('\n');
        for line in e.data()?.split('\n') {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    Ok(out)
}

#[allow(clippy::all, missing_docs, unused_imports)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/meibel_events.rs"));
}

// Empty for a document without typed event streams.
#[allow(unused_imports)]
pub use generated::*;
