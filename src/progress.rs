//! Byte progress of uploads and downloads.
//!
//! A file sent with [`FilePart::on_progress`](crate::upload::FilePart::on_progress), or
//! a download read through [`download::with_progress`](crate::download::with_progress),
//! calls a function with a [`Progress`] as its bytes go: once with `done == 0` when the
//! body starts, then after every piece. A body without such a function is sent and read
//! exactly as before, at no cost.
//!
//! The count is exact: for an upload it is the bytes of the file handed to the HTTP
//! connection, for a download the bytes of the body received. A body with progress is
//! a stream, which the client never sends twice (a request whose body is a stream is
//! not retried), and a download is counted as it is read, after any retry of its
//! request, so nothing is counted twice. When a request fails midway, the last report
//! is what had been handed over or received until then; of an upload, the connection
//! may still have held the last pieces unsent (at most its write buffer, a few hundred
//! KiB), which a failure drops.
//!
//! The function is called on the task that sends or reads the body, so it should be
//! quick: store the numbers, update a progress bar, or send them on a channel, as a
//! `tokio::sync::watch` channel does with `send_replace`.
//!
//! # Example
//!
//! ```
//! use meibel::progress::Progress;
//! use std::sync::{Arc, Mutex};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let log = seen.clone();
//! let part = meibel::upload::FilePart::bytes(vec![7u8; 100_000], "data.bin")
//!     .on_progress(move |p: Progress| log.lock().unwrap().push(p.done));
//! # let _ = part;
//! // Sent as part of a request, `seen` ends with 100_000.
//! # });
//! ```

use bytes::Bytes;
use futures_core::Stream;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// How far a body has got.
///
/// # Example
///
/// ```
/// use meibel::progress::Progress;
///
/// let p = Progress { done: 25, total: Some(100) };
/// assert_eq!(p.fraction(), Some(0.25));
/// assert!(!p.is_complete());
/// assert_eq!(Progress { done: 100, total: Some(100) }.fraction(), Some(1.0));
/// assert_eq!(Progress { done: 5, total: None }.fraction(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Bytes sent or received so far.
    pub done: u64,
    /// All the bytes of the body, when known: the length of a file, of bytes in
    /// memory, of a reader given with its length, or a download's `Content-Length`.
    pub total: Option<u64>,
}

impl Progress {
    /// `done` as a fraction of `total`, from 0 to 1 (1 for an empty body); `None`
    /// when the total is not known.
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|total| if total == 0 { 1.0 } else { self.done as f64 / total as f64 })
    }

    /// Whether the total is known and reached.
    pub fn is_complete(&self) -> bool {
        self.total.is_some_and(|total| self.done >= total)
    }
}

/// The function told of progress.
#[derive(Clone)]
pub(crate) struct Observer(Arc<dyn Fn(Progress) + Send + Sync>);

impl Observer {
    pub(crate) fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Observer {
        Observer(Arc::new(f))
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<progress observer>")
    }
}

/// A byte stream that tells `observer` how many bytes it has yielded: `0` on the first
/// poll, then the running count after each non-empty piece. Errors and the end are
/// passed on as they are and change no count.
pub(crate) struct Counted<S> {
    inner: S,
    observer: Observer,
    done: u64,
    total: Option<u64>,
    started: bool,
}

impl<S> Counted<S> {
    pub(crate) fn new(inner: S, total: Option<u64>, observer: Observer) -> Counted<S> {
        Counted { inner, observer, done: 0, total, started: false }
    }
}

impl<S, E> Stream for Counted<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    type Item = Result<Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if !this.started {
            this.started = true;
            (this.observer.0)(Progress { done: 0, total: this.total });
        }
        let item = Pin::new(&mut this.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &item
            && !chunk.is_empty()
        {
            this.done += chunk.len() as u64;
            (this.observer.0)(Progress { done: this.done, total: this.total });
        }
        item
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}
