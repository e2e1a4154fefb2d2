//! Streams of items across pages.
//!
//! Every list operation that pages (by `offset`/`limit`, or by a cursor the response
//! hands back) gets a `.paginate()` method on its request builder. It returns a
//! [`Paginator`]: a `Stream` of items that fetches the next page only when the items of
//! the previous one are used up, and stops on a short page, on the reported total, or
//! when the server hands back no further cursor (or a cursor it already handed back,
//! which would otherwise loop forever).
//!
//! ```no_run
//! # async fn run(client: meibel::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::TryStreamExt;
//!
//! let agents: Vec<_> = client
//!     .list_agents()
//!     .sort_by("name")
//!     .paginate()
//!     .page_size(50)
//!     .max_items(500)
//!     .try_collect()
//!     .await?;
//! println!("{} agents", agents.len());
//! # Ok(()) }
//! ```

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// The first page.
    Start,
    /// An item offset.
    Offset(u64),
    /// A token the server returned with the previous page.
    Token(String),
}

/// One fetched page: its items and where the next one starts (`None` on the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts, or `None` when this is the last one.
    pub next: Option<Cursor>,
}

type PageFuture<'a, T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, E>> + Send + 'a>>;
type FetchFn<'a, T, E> = Box<dyn FnMut(Cursor, u64) -> PageFuture<'a, T, E> + Send + 'a>;

/// A lazily fetched stream of items across pages.
pub struct Paginator<'a, T, E> {
    fetch: FetchFn<'a, T, E>,
    page_size: u64,
    max_items: Option<usize>,
    yielded: usize,
    pages: usize,
    buffer: VecDeque<T>,
    next: Option<Cursor>,
    seen_tokens: HashSet<String>,
    in_flight: Option<PageFuture<'a, T, E>>,
}

impl<T, E> fmt::Debug for Paginator<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("yielded", &self.yielded)
            .field("pages_fetched", &self.pages)
            .field("next", &self.next)
            .finish()
    }
}

impl<'a, T, E> Paginator<'a, T, E> {
    /// A paginator over `fetch`, which gets the cursor of the page to fetch and the page
    /// size. Used by the generated `.paginate()` methods.
    pub fn new<F, Fut>(page_size: u64, mut fetch: F) -> Self
    where
        F: FnMut(Cursor, u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
    {
        Paginator {
            fetch: Box::new(move |cursor, size| Box::pin(fetch(cursor, size))),
            page_size: page_size.max(1),
            max_items: None,
            yielded: 0,
            pages: 0,
            buffer: VecDeque::new(),
            next: Some(Cursor::Start),
            seen_tokens: HashSet::new(),
            in_flight: None,
        }
    }

    /// How many items to ask for per page (at least 1).
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Stop after this many items, fetching no page beyond what they need.
    pub fn max_items(mut self, max: usize) -> Self {
        self.max_items = Some(max);
        self
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }
}

impl<T, E> Unpin for Paginator<'_, T, E> {}

impl<T, E> Stream for Paginator<'_, T, E> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|m| this.yielded >= m) {
                this.buffer.clear();
                this.next = None;
                this.in_flight = None;
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if this.in_flight.is_none() {
                let Some(cursor) = this.next.take() else { return Poll::Ready(None) };
                let size = match this.max_items {
                    Some(m) => this.page_size.min((m - this.yielded).max(1) as u64),
                    None => this.page_size,
                };
                this.in_flight = Some((this.fetch)(cursor, size));
            }
            let fut = this.in_flight.as_mut().expect("set above");
            match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => {
                    this.in_flight = None;
                    this.next = None;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Ok(page)) => {
                    this.in_flight = None;
                    this.pages += 1;
                    // An empty page ends the listing whatever it says about the next one,
                    // and so does a cursor that was handed back before.
                    this.next = match page.next {
                        _ if page.items.is_empty() => None,
                        Some(Cursor::Token(token)) if !this.seen_tokens.insert(token.clone()) => None,
                        next => next,
                    };
                    this.buffer.extend(page.items);
                }
            }
        }
    }
}

/// Where an offset-paged listing goes after a page of `received` items fetched at
/// `offset` with `page_size`, given the `total` the server reported, if any.
pub fn next_offset(offset: u64, page_size: u64, received: usize, total: Option<u64>) -> Option<Cursor> {
    let next = offset + received as u64;
    if received == 0 || (received as u64) < page_size || total.is_some_and(|t| next >= t) {
        None
    } else {
        Some(Cursor::Offset(next))
    }
}

/// A count as the generated types carry it (signed or not, optional or not).
#[doc(hidden)]
pub trait AsCount {
    /// The count, if present and not negative.
    fn as_count(&self) -> Option<u64>;
}

macro_rules! as_count {
    ($($t:ty),*) => {$(
        impl AsCount for $t {
            fn as_count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
as_count!(i64, u64, i32, u32);

impl<T: AsCount> AsCount for Option<T> {
    fn as_count(&self) -> Option<u64> {
        self.as_ref().and_then(AsCount::as_count)
    }
}

/// A page's items as the generated types carry them (a list, or an optional one).
#[doc(hidden)]
pub trait IntoItems<T> {
    /// The items.
    fn into_items(self) -> Vec<T>;
}

impl<T> IntoItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> IntoItems<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

/// A next-page token as the generated types carry it.
#[doc(hidden)]
pub trait AsToken {
    /// The token, if present and not empty.
    fn as_token(&self) -> Option<String>;
}

impl AsToken for String {
    fn as_token(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl AsToken for Option<String> {
    fn as_token(&self) -> Option<String> {
        self.as_ref().and_then(AsToken::as_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    /// A listing whose server hands back cursors in a cycle: a, b, a, ...
    fn cycling(requests: std::sync::Arc<std::sync::Mutex<Vec<Cursor>>>) -> Paginator<'static, u32, String> {
        Paginator::new(2, move |cursor: Cursor, _size| {
            requests.lock().unwrap().push(cursor.clone());
            let (items, next) = match &cursor {
                Cursor::Start => (vec![1, 2], "a"),
                Cursor::Token(t) if t == "a" => (vec![3, 4], "b"),
                Cursor::Token(_) => (vec![5, 6], "a"),
                Cursor::Offset(_) => unreachable!("cursor listing"),
            };
            async move { Ok(Page { items, next: Some(Cursor::Token(next.to_owned())) }) }
        })
    }

    #[tokio::test]
    async fn a_cursor_handed_back_twice_ends_the_listing() {
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let items: Vec<_> = cycling(requests.clone()).map(Result::unwrap).collect().await;
        assert_eq!(items, [1, 2, 3, 4, 5, 6]);
        assert_eq!(
            *requests.lock().unwrap(),
            [Cursor::Start, Cursor::Token("a".into()), Cursor::Token("b".into())]
        );
    }

    #[tokio::test]
    async fn an_empty_page_ends_the_listing_even_with_a_cursor() {
        let mut calls = 0;
        let pages = Paginator::new(10, move |_cursor, _size| {
            calls += 1;
            let page = if calls == 1 {
                Page { items: vec![1u8], next: Some(Cursor::Token("x".into())) }
            } else {
                Page { items: vec![], next: Some(Cursor::Token("y".into())) }
            };
            async move { Ok::<_, String>(page) }
        });
        let items: Vec<_> = pages.map(Result::unwrap).collect().await;
        assert_eq!(items, [1]);
    }

    #[test]
    fn next_offset_stops_on_short_pages_and_totals() {
        assert_eq!(next_offset(0, 10, 10, None), Some(Cursor::Offset(10)));
        assert_eq!(next_offset(0, 10, 9, None), None);
        assert_eq!(next_offset(10, 10, 10, Some(20)), None);
        assert_eq!(next_offset(10, 10, 10, Some(21)), Some(Cursor::Offset(20)));
        assert_eq!(next_offset(0, 10, 0, Some(100)), None);
    }
}
