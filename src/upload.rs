//! Files sent as parts of `multipart/form-data` requests.
//!
//! A [`FilePart`] is a file's content with a file name and a content type. Its content
//! can be a path (opened only when the request is sent, then streamed), bytes already
//! in memory, or any [`AsyncRead`]. Paths and readers are streamed in pieces, so
//! a large file is never held in memory as a whole.
//!
//! The content type, unless set with [`FilePart::content_type`], is guessed from the
//! extension of the file name, and is `application/octet-stream` when there is none
//! or it is unknown.
//!
//! [`FilePart::on_progress`] reports the bytes of the file as they are sent (see
//! [`progress`](crate::progress)).
//!
//! # Example
//!
//! ```no_run
//! use meibel::upload::{FilePart, text_field};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let form = reqwest::multipart::Form::new();
//! let form = text_field(form, "title", "Quarterly report");
//! let form = form
//!     .part("files", FilePart::path("reports/q3.pdf").into_part().await?)
//!     .part("files", FilePart::bytes("a,b\n1,2\n", "scores.csv").into_part().await?);
//! reqwest::Client::new().post("https://example.com/upload").multipart(form).send().await?;
//! # Ok(())
//! # }
//! ```

use crate::progress::{Counted, Observer, Progress};
use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

/// Size of the pieces a file or reader is sent in.
const CHUNK: usize = 64 * 1024;

/// The file name used when none is given or can be derived.
const DEFAULT_FILE_NAME: &str = "file";

/// A file to send as one part of a `multipart/form-data` request.
///
/// # Example
///
/// ```
/// use meibel::upload::FilePart;
///
/// let part = FilePart::bytes(r#"{"a": 1}"#, "data.json");
/// assert!(part.is_replayable());
/// let part = FilePart::path("scans/page-1.png").file_name("page.png");
/// assert!(!part.is_replayable());
/// ```
pub struct FilePart {
    content: Content,
    file_name: String,
    content_type: Option<String>,
    progress: Option<Observer>,
}

enum Content {
    Path(PathBuf),
    Bytes(Bytes),
    Reader { reader: Pin<Box<dyn AsyncRead + Send + Sync>>, length: Option<u64> },
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("FilePart");
        match &self.content {
            Content::Path(path) => s.field("path", path),
            Content::Bytes(bytes) => s.field("bytes", &format_args!("<{} bytes>", bytes.len())),
            Content::Reader { length, .. } => s.field("reader", &format_args!("<length {length:?}>")),
        };
        s.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl FilePart {
    /// The file at `path`, opened when the request is sent; the file name is the
    /// last component of the path.
    ///
    /// # Example
    ///
    /// ```
    /// let part = meibel::upload::FilePart::path("/tmp/notes.txt");
    /// assert!(format!("{part:?}").contains("notes.txt"));
    /// ```
    pub fn path(path: impl Into<PathBuf>) -> FilePart {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned());
        FilePart { content: Content::Path(path), file_name, content_type: None, progress: None }
    }

    /// Bytes already in memory, sent under `file_name`.
    ///
    /// # Example
    ///
    /// ```
    /// let part = meibel::upload::FilePart::bytes(vec![0x25, 0x50, 0x44, 0x46], "doc.pdf");
    /// ```
    pub fn bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> FilePart {
        FilePart {
            content: Content::Bytes(bytes.into()),
            file_name: file_name.into(),
            content_type: None,
            progress: None,
        }
    }

    /// Whatever `reader` yields, sent under `file_name`. Give `length` when it is
    /// known: the request then has a `Content-Length` instead of being chunked, and it
    /// fails if the reader yields a different number of bytes.
    ///
    /// # Example
    ///
    /// ```
    /// let data: &'static [u8] = b"streamed";
    /// let part = meibel::upload::FilePart::reader(data, "data.txt", Some(8));
    /// ```
    pub fn reader(
        reader: impl AsyncRead + Send + Sync + 'static,
        file_name: impl Into<String>,
        length: Option<u64>,
    ) -> FilePart {
        FilePart {
            content: Content::Reader { reader: Box::pin(reader), length },
            file_name: file_name.into(),
            content_type: None,
            progress: None,
        }
    }

    /// Replaces the file name sent with the part. Line breaks in it are sent as `%0D`
    /// and `%0A`.
    ///
    /// # Example
    ///
    /// ```
    /// let part = meibel::upload::FilePart::path("/tmp/tmp1234").file_name("invoice.pdf");
    /// ```
    pub fn file_name(mut self, file_name: impl Into<String>) -> FilePart {
        self.file_name = file_name.into();
        self
    }

    /// Sets the content type instead of guessing it. It is checked by
    /// [`into_part`](FilePart::into_part), which fails if it is not a valid media type.
    ///
    /// # Example
    ///
    /// ```
    /// let part = meibel::upload::FilePart::bytes("# Title", "README").content_type("text/markdown");
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }

    /// Calls `observer` with the bytes of this file sent so far, and its length when
    /// known (for a reader, the length given to [`FilePart::reader`]): once with 0 when
    /// the file starts to be sent, then after every piece of up to 64 KiB. The last
    /// call tells the bytes handed to the connection, also when the request fails
    /// midway. Bytes in memory are then sent in pieces too, so that they can be counted.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use meibel::upload::FilePart;
    ///
    /// # async fn run(client: meibel::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let file = FilePart::path("export/archive.zip").on_progress(|p| {
    ///     eprint!("\r{} of {} bytes", p.done, p.total.unwrap_or(0));
    /// });
    /// client.upload_content().datasource_id("ds_1").files([file]).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn on_progress(mut self, observer: impl Fn(Progress) + Send + Sync + 'static) -> FilePart {
        self.progress = Some(Observer::new(observer));
        self
    }

    /// Whether the content can be sent again (only bytes held in memory can).
    ///
    /// # Example
    ///
    /// ```
    /// use meibel::upload::FilePart;
    ///
    /// assert!(FilePart::from(vec![1, 2, 3]).is_replayable());
    /// assert!(!FilePart::path("a.txt").is_replayable());
    /// ```
    pub fn is_replayable(&self) -> bool {
        matches!(self.content, Content::Bytes(_))
    }

    /// Turns the file into a request part, opening it if it is a path.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] naming the path when the file cannot be opened, or of kind
    /// [`io::ErrorKind::InvalidInput`] when the content type is not a valid media type.
    ///
    /// # Example
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use meibel::upload::FilePart;
    ///
    /// let part = FilePart::bytes("x", "x.txt").into_part().await.unwrap();
    /// let err = FilePart::path("/no/such/file.txt").into_part().await.unwrap_err();
    /// assert!(err.to_string().contains("/no/such/file.txt"));
    /// # });
    /// ```
    pub async fn into_part(self) -> Result<Part, io::Error> {
        let FilePart { content, mut file_name, content_type, progress } = self;
        if file_name.contains(['\r', '\n']) {
            // Line breaks would end the part's header line; encoded as browsers do.
            file_name = file_name.replace('\r', "%0D").replace('\n', "%0A");
        }
        let mime = match content_type {
            Some(ct) => {
                let problem = match ct.parse::<mime_guess::Mime>() {
                    Err(e) => Some(e.to_string()),
                    Ok(m) if m.subtype().as_str().is_empty() => Some("no subtype".to_owned()),
                    Ok(_) => None,
                };
                if let Some(problem) = problem {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("invalid content type {ct:?} for file {file_name:?}: {problem}"),
                    ));
                }
                ct
            }
            None => mime_guess::from_path(&file_name).first_or_octet_stream().essence_str().to_owned(),
        };
        let part = match content {
            Content::Path(path) => {
                let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
                let file = tokio::fs::File::open(&path).await.map_err(with_path)?;
                let metadata = file.metadata().await.map_err(with_path)?;
                if metadata.is_dir() {
                    return Err(with_path(io::Error::new(io::ErrorKind::InvalidInput, "is a directory")));
                }
                let stream = ReaderStream::with_capacity(file, CHUNK);
                if metadata.is_file() {
                    // A file that grows or shrinks while it is sent fails the request
                    // rather than sending a part whose length does not match its header.
                    let what = format!("file {}", path.display());
                    let stream = Exact::new(stream, metadata.len(), what);
                    Part::stream_with_length(body(stream, Some(metadata.len()), progress), metadata.len())
                } else {
                    // A pipe or device: its size says nothing about what it will yield.
                    Part::stream(body(stream, None, progress))
                }
            }
            Content::Bytes(bytes) => {
                let length = bytes.len() as u64;
                match progress {
                    None => Part::stream_with_length(bytes, length),
                    Some(observer) => {
                        let pieces = (0..bytes.len())
                            .step_by(CHUNK)
                            .map(move |at| Ok::<_, io::Error>(bytes.slice(at..bytes.len().min(at + CHUNK))));
                        let stream = futures_util::stream::iter(pieces);
                        Part::stream_with_length(body(stream, Some(length), Some(observer)), length)
                    }
                }
            }
            Content::Reader { reader, length } => {
                let stream = ReaderStream::with_capacity(reader, CHUNK);
                match length {
                    Some(length) => {
                        let what = format!("reader for {file_name:?}");
                        let stream = Exact::new(stream, length, what);
                        Part::stream_with_length(body(stream, Some(length), progress), length)
                    }
                    None => Part::stream(body(stream, None, progress)),
                }
            }
        };
        part.file_name(file_name)
            .mime_str(&mime)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("content type {mime:?}: {e}")))
    }
}

/// A request body streaming `stream`, counted for `progress` when there is one.
fn body<S>(stream: S, total: Option<u64>, progress: Option<Observer>) -> reqwest::Body
where
    S: futures_core::Stream<Item = io::Result<Bytes>> + Send + Unpin + 'static,
{
    match progress {
        None => reqwest::Body::wrap_stream(stream),
        Some(observer) => reqwest::Body::wrap_stream(Counted::new(stream, total, observer)),
    }
}

/// A byte stream that must yield exactly `expected` bytes: one more byte, or an end
/// before `expected`, is an error item (which aborts the request).
struct Exact<S> {
    inner: S,
    expected: u64,
    seen: u64,
    what: String,
    done: bool,
}

impl<S> Exact<S> {
    fn new(inner: S, expected: u64, what: String) -> Exact<S> {
        Exact { inner, expected, seen: 0, what, done: false }
    }
}

impl<S> futures_core::Stream for Exact<S>
where
    S: futures_core::Stream<Item = io::Result<Bytes>> + Unpin,
{
    type Item = io::Result<Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if self.done {
            return Poll::Ready(None);
        }
        let this = &mut *self;
        let item = match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(item) => item,
        };
        let mismatch = |this: &mut Exact<S>, seen: String| {
            this.done = true;
            let message =
                format!("{} yielded {seen} bytes but its declared length is {}", this.what, this.expected);
            Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::InvalidData, message))))
        };
        match item {
            Some(Ok(chunk)) => {
                this.seen = this.seen.saturating_add(chunk.len() as u64);
                if this.seen > this.expected {
                    return mismatch(this, format!("more than {}", this.expected));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Some(Err(e)) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
            None if this.seen < this.expected => {
                let seen = this.seen.to_string();
                mismatch(this, seen)
            }
            None => {
                this.done = true;
                Poll::Ready(None)
            }
        }
    }
}

impl From<&Path> for FilePart {
    fn from(path: &Path) -> FilePart {
        FilePart::path(path)
    }
}

impl From<PathBuf> for FilePart {
    fn from(path: PathBuf) -> FilePart {
        FilePart::path(path)
    }
}

/// The bytes, under the file name `"file"`.
impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> FilePart {
        FilePart::bytes(bytes, DEFAULT_FILE_NAME)
    }
}

/// The bytes, under the file name `"file"`.
impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> FilePart {
        FilePart::bytes(bytes, DEFAULT_FILE_NAME)
    }
}

/// Adds a text field to `form`.
///
/// # Example
///
/// ```
/// let form = meibel::upload::text_field(reqwest::multipart::Form::new(), "pages", 12);
/// ```
pub fn text_field(form: Form, name: &str, value: impl ToString) -> Form {
    form.text(name.to_owned(), value.to_string())
}
