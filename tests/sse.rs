//! Server-Sent Events parsing: framing, errors and timeouts.

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt, stream};
use meibel::sse::{Event, EventStream, StreamError};
use std::io::{Read, Write};
use std::time::Duration;

/// What a stream yielded: events, and errors as their kind.
#[derive(Debug, PartialEq)]
enum Item {
    Ev(Event),
    Transport,
    Idle(Duration),
    TooLarge(usize),
    ContentType(String),
}

fn ev(event: &str, data: &str) -> Item {
    Item::Ev(Event { event: event.into(), data: data.into(), id: None, retry: None })
}

fn ev_full(event: &str, data: &str, id: Option<&str>, retry_ms: Option<u64>) -> Item {
    Item::Ev(Event {
        event: event.into(),
        data: data.into(),
        id: id.map(str::to_owned),
        retry: retry_ms.map(Duration::from_millis),
    })
}

fn msg(data: &str) -> Item {
    ev("message", data)
}

/// Reads every item, failing the test if the stream does not end within 10 s.
async fn drain(mut s: EventStream) -> Vec<Item> {
    let mut out = Vec::new();
    let all = async {
        while let Some(item) = s.next().await {
            out.push(match item {
                Ok(e) => Item::Ev(e),
                Err(StreamError::Transport(_)) => Item::Transport,
                Err(StreamError::IdleTimeout(d)) => Item::Idle(d),
                Err(StreamError::TooLarge { limit }) => Item::TooLarge(limit),
                Err(StreamError::ContentType { content_type, .. }) => Item::ContentType(content_type),
                Err(other) => panic!("an error this test does not know: {other}"),
            });
        }
    };
    tokio::time::timeout(Duration::from_secs(10), all).await.expect("the stream did not end");
    out
}

fn from_chunks<I: IntoIterator<Item = Vec<u8>>>(chunks: I) -> EventStream {
    let chunks: Vec<_> = chunks.into_iter().map(|c| Ok(Bytes::from(c))).collect();
    EventStream::from_byte_stream(stream::iter(chunks), None)
}

async fn parse(input: &[u8]) -> Vec<Item> {
    drain(from_chunks([input.to_vec()])).await
}

/// The same bytes: in one chunk, one byte per chunk, and cut in two at every offset.
async fn parse_every_split(input: &[u8]) -> Vec<Item> {
    let whole = parse(input).await;
    let bytewise = drain(from_chunks(input.iter().map(|b| vec![*b]))).await;
    assert_eq!(bytewise, whole, "one byte per chunk differs from one chunk for {input:?}");
    for cut in 0..=input.len() {
        let halves = drain(from_chunks([input[..cut].to_vec(), input[cut..].to_vec()])).await;
        assert_eq!(halves, whole, "cut at byte {cut} differs from one chunk for {input:?}");
    }
    whole
}

/// A reqwest error, from a connection to a port nothing listens on.
async fn transport_error() -> reqwest::Error {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    client.get(format!("http://127.0.0.1:{port}/")).send().await.expect_err("nothing listens there")
}

/// Serves one HTTP response, written as given, and closes the connection.
fn serve_once(raw: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).unwrap();
            if n == 0 {
                return;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        conn.write_all(&raw).unwrap();
        conn.flush().unwrap();
    });
    format!("http://{addr}/")
}

const FRAMES: &str = "\
: this stream starts with a comment
retry: 1500

event: status
data: {\"state\": \"running\"}
id: 1

data: first line
data: second line

event: a-name-no-one-knows
data:no space after the colon
data:  two spaces keep one

:keep-alive

data

data:

event: no-data-so-not-dispatched

id: 7
data: last
";

fn expected_frames() -> Vec<Item> {
    vec![
        ev_full("status", "{\"state\": \"running\"}", Some("1"), None),
        ev_full("message", "first line\nsecond line", Some("1"), None),
        ev_full("a-name-no-one-knows", "no space after the colon\n two spaces keep one", Some("1"), None),
        ev_full("message", "", Some("1"), None),
        ev_full("message", "", Some("1"), None),
        // "id: 7 / data: last" has no blank line after it: not dispatched.
    ]
}

#[tokio::test]
async fn fields_comments_and_unknown_names_with_lf() {
    assert_eq!(parse_every_split(FRAMES.as_bytes()).await, expected_frames());
}

#[tokio::test]
async fn crlf_line_endings_give_the_same_events() {
    let crlf = FRAMES.replace('\n', "\r\n");
    assert_eq!(parse_every_split(crlf.as_bytes()).await, expected_frames());
}

#[tokio::test]
async fn cr_line_endings_give_the_same_events() {
    let cr = FRAMES.replace('\n', "\r");
    assert_eq!(parse_every_split(cr.as_bytes()).await, expected_frames());
}

#[tokio::test]
async fn mixed_line_endings_give_the_same_events() {
    let mut mixed = String::new();
    for (i, line) in FRAMES.split_inclusive('\n').enumerate() {
        mixed.push_str(line.trim_end_matches('\n'));
        // A "\r" is never followed by a "\n" ending, which would join the two.
        mixed.push_str(["\n", "\r", "\r\n"][i % 3]);
    }
    assert_eq!(parse_every_split(mixed.as_bytes()).await, expected_frames());
}

#[tokio::test]
async fn sse_starlette_style_frames() {
    // What sse-starlette writes: fields in this order, every line ending in \r\n.
    let body = "event: chunk\r\ndata: {\"text\": \"Hel\"}\r\nid: a1\r\n\r\n\
                : ping - 2024-01-01 00:00:00.000000\r\n\r\n\
                event: chunk\r\ndata: {\"text\": \"lo\"}\r\nid: a2\r\nretry: 15000\r\n\r\n\
                event: done\r\ndata: [DONE]\r\n\r\n";
    assert_eq!(
        parse_every_split(body.as_bytes()).await,
        vec![
            ev_full("chunk", "{\"text\": \"Hel\"}", Some("a1"), None),
            ev_full("chunk", "{\"text\": \"lo\"}", Some("a2"), Some(15000)),
            ev_full("done", "[DONE]", Some("a2"), None),
        ]
    );
}

#[tokio::test]
async fn multibyte_characters_and_bom_cut_anywhere() {
    let body = "\u{feff}data: h\u{e9}llo \u{1f44d}\n\nevent: \u{65e5}\u{672c}\ndata: \u{20ac}\n\n";
    assert_eq!(
        parse_every_split(body.as_bytes()).await,
        vec![msg("h\u{e9}llo \u{1f44d}"), ev("\u{65e5}\u{672c}", "\u{20ac}")]
    );
}

#[tokio::test]
async fn final_frame_without_blank_line_is_not_dispatched() {
    assert_eq!(parse(b"data: a\n\ndata: b\n").await, vec![msg("a")]);
    assert_eq!(parse(b"data: a\n\ndata: b").await, vec![msg("a")]);
    assert_eq!(parse(b"data: a\r\n\r\ndata: b\r\n").await, vec![msg("a")]);
    // A frame ended by a blank line is complete, whatever the line ending.
    assert_eq!(parse(b"data: a\r\rdata: b\r\r").await, vec![msg("a"), msg("b")]);
    assert_eq!(parse(b"data: a\r\n\r\n").await, vec![msg("a")]);
}

#[tokio::test]
async fn ids_carry_over_and_reset() {
    let body = "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 3\ndata: d\n\nid: bad\0id\ndata: e\n\n";
    assert_eq!(
        parse(body.as_bytes()).await,
        vec![
            ev_full("message", "a", Some("1"), None),
            // No id: the last one set applies.
            ev_full("message", "b", Some("1"), None),
            // An empty id resets it.
            ev_full("message", "c", None, None),
            ev_full("message", "d", Some("3"), None),
            // An id containing NUL is ignored.
            ev_full("message", "e", Some("3"), None),
        ]
    );
}

#[tokio::test]
async fn retry_values() {
    let body = "retry: 2500\ndata: a\n\nretry: soon\ndata: b\n\nretry: 100\n\ndata: c\n\n";
    assert_eq!(
        parse(body.as_bytes()).await,
        vec![
            ev_full("message", "a", None, Some(2500)),
            // Not digits: ignored.
            ev_full("message", "b", None, None),
            // A frame with only a retry field dispatches nothing, and its value is not kept.
            ev_full("message", "c", None, None),
        ]
    );
}

#[tokio::test]
async fn json_helpers() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Chunk {
        text: String,
        n: u32,
    }
    let events = from_chunks([b"data: {\"text\": \"hi\",\ndata:  \"n\": 2}\n\ndata: [DONE\n\n".to_vec()])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].json::<Chunk>().unwrap(), Chunk { text: "hi".into(), n: 2 });
    assert_eq!(events[0].data_json(), Some(serde_json::json!({"text": "hi", "n": 2})));
    assert!(events[1].json::<serde_json::Value>().is_err());
    assert_eq!(events[1].data_json(), None);
}

#[tokio::test]
async fn invalid_utf8_is_replaced_and_the_stream_carries_on() {
    // Each maximal invalid sequence becomes one U+FFFD, in every field, cut anywhere.
    let input = b"data: ok\n\ndata: \xff\xfe\n\nevent: b\xc3\x28d\ndata: x\xe2\x82\n\ndata: after\n\n";
    assert_eq!(
        parse_every_split(input).await,
        vec![msg("ok"), msg("\u{fffd}\u{fffd}"), ev("b\u{fffd}(d", "x\u{fffd}"), msg("after")]
    );
    // A sequence cut short by the line end, and an id with an invalid byte.
    assert_eq!(
        parse_every_split(b"id: \xf0\x9f\ndata: \xf0\x9f\x91\n\n").await,
        vec![ev_full("message", "\u{fffd}", Some("\u{fffd}"), None)]
    );
}

#[tokio::test]
async fn an_event_after_invalid_utf8_is_given_while_the_connection_stays_open() {
    let chunks = stream::iter([
        Ok(Bytes::from_static(b"data: ok\n\n")),
        Ok(Bytes::from_static(b"data: \x80\n\n")),
        Ok(Bytes::from_static(b"data: good\n\n")),
    ])
    .chain(stream::pending());
    let mut s = EventStream::from_byte_stream(chunks, None);
    for want in ["ok", "\u{fffd}", "good"] {
        let next = tokio::time::timeout(Duration::from_secs(5), s.next()).await.expect("event held back");
        assert_eq!(next.unwrap().unwrap().data, want);
    }
}

#[tokio::test]
async fn body_ending_inside_a_utf8_sequence_drops_only_the_unfinished_line() {
    assert_eq!(parse(b"data: a\n\ndata: \xe2\x82").await, vec![msg("a")]);
}

#[tokio::test]
async fn idle_timeout_on_a_stalled_stream() {
    let chunks = stream::iter([Ok(Bytes::from_static(b"data: one\n\n"))]).chain(stream::pending());
    let s = EventStream::from_byte_stream(chunks, Some(Duration::from_millis(200)));
    assert_eq!(drain(s).await, vec![msg("one"), Item::Idle(Duration::from_millis(200))]);
}

#[tokio::test]
async fn keep_alive_comments_reset_the_idle_timer() {
    // A comment every 40 ms for 10 rounds (0.4 s in all) against a 300 ms idle timeout.
    let pings = stream::unfold(0u32, |n| async move {
        if n == 10 {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
        let chunk: &'static [u8] = if n == 9 { b"data: done\n\n" } else { b": ping\n" };
        Some((Ok(Bytes::from_static(chunk)), n + 1))
    });
    let s = EventStream::from_byte_stream(pings, Some(Duration::from_millis(300)));
    assert_eq!(drain(s).await, vec![msg("done")]);
}

#[tokio::test]
async fn no_idle_timeout_when_none_is_given() {
    let chunks = stream::iter([Ok(Bytes::from_static(b"data: one\n\n"))]).chain(stream::pending());
    let mut s = EventStream::from_byte_stream(chunks, None);
    assert_eq!(s.next().await.unwrap().unwrap().data, "one");
    assert!(tokio::time::timeout(Duration::from_millis(300), s.next()).await.is_err(), "should still wait");
}

#[tokio::test]
async fn transport_error_mid_stream_ends_the_stream() {
    let err = transport_error().await;
    let chunks = stream::iter([
        Ok(Bytes::from_static(b"data: one\n\ndata: tw")),
        Err(err),
        Ok(Bytes::from_static(b"o\n\ndata: three\n\n")),
    ]);
    let s = EventStream::from_byte_stream(chunks, None);
    assert_eq!(drain(s).await, vec![msg("one"), Item::Transport]);
}

#[tokio::test]
async fn body_cut_short_by_the_server_is_a_transport_error() {
    let url = serve_once(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 500\r\n\r\n\
          data: one\r\n\r\ndata: two\r\n\r\n"
            .to_vec(),
    );
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.get(url).send().await.unwrap();
    let mut s = EventStream::from_response(response, Some(Duration::from_secs(5)));
    assert_eq!(s.next().await.unwrap().unwrap().data, "one");
    assert_eq!(s.next().await.unwrap().unwrap().data, "two");
    match s.next().await {
        Some(Err(e @ StreamError::Transport(_))) => {
            let text = e.to_string();
            assert!(text.starts_with("event stream transport error: "), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn from_response_reads_a_served_stream() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let body = "event: status\r\ndata: {\"n\": 1}\r\n\r\n: ping\r\n\r\ndata: bye\r\nid: z\r\n\r\n";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client.get(server.uri()).send().await.unwrap();
    let events = EventStream::from_response(response, None).collect_all().await.unwrap();
    assert_eq!(
        events,
        vec![
            Event { event: "status".into(), data: "{\"n\": 1}".into(), id: None, retry: None },
            Event { event: "message".into(), data: "bye".into(), id: Some("z".into()), retry: None },
        ]
    );
}

#[tokio::test]
async fn collect_all_returns_the_error_that_ended_the_stream() {
    let chunks = stream::iter([Ok(Bytes::from_static(b"data: a\n\n")), Err(transport_error().await)]);
    let result = EventStream::from_byte_stream(chunks, None).collect_all().await;
    assert!(matches!(result, Err(StreamError::Transport(_))), "{result:?}");
    let ok = from_chunks([b"data: a\n\ndata: b\n\n".to_vec()]).collect_all().await.unwrap();
    assert_eq!(ok.iter().map(|e| e.data.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}

#[tokio::test]
async fn many_events_in_one_large_chunk() {
    let mut body = String::new();
    for i in 0..50_000 {
        body.push_str(&format!("id: {i}\r\nevent: tick\r\ndata: {{\"i\": {i}}}\r\n\r\n"));
    }
    let events = from_chunks([body.into_bytes()]).collect_all().await.unwrap();
    assert_eq!(events.len(), 50_000);
    assert_eq!(events[49_999].id.as_deref(), Some("49999"));
    assert_eq!(events[12_345].data_json().unwrap()["i"], 12_345);
}

#[tokio::test]
async fn long_lines_among_short_ones_in_large_chunks() {
    // Lines far longer than the pieces handed to the parser, between short events, in
    // chunks that cut them anywhere.
    let long: String = (0..40_000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    let mut body = String::new();
    for i in 0..30 {
        body.push_str(&format!("data: {i}\n\n"));
        if i % 3 == 0 {
            body.push_str(&format!("event: big\ndata: {long}\ndata: {i}\n\n"));
        }
    }
    let bytes = body.into_bytes();
    for size in [1_000, 4_096, 70_000, bytes.len()] {
        let chunks: Vec<Vec<u8>> = bytes.chunks(size).map(<[u8]>::to_vec).collect();
        let events = from_chunks(chunks).collect_all().await.unwrap();
        assert_eq!(events.len(), 40, "chunks of {size}");
        let big: Vec<_> = events.iter().filter(|e| e.event == "big").collect();
        assert_eq!(big.len(), 10);
        for (n, e) in big.iter().enumerate() {
            assert_eq!(e.data, format!("{long}\n{}", n * 3), "chunks of {size}");
        }
    }
}

#[test]
fn error_messages_are_one_line() {
    let cases = [
        (
            StreamError::TooLarge { limit: 8 * 1024 * 1024 },
            "event stream line or event larger than the limit of 8388608 bytes (see max_event_bytes)",
        ),
        (
            StreamError::IdleTimeout(Duration::from_millis(200)),
            "event stream idle: no data received for 200ms",
        ),
        (
            StreamError::ContentType {
                content_type: "application/json".into(),
                preview: "{\"detail\":\n\"Not Found\"}".into(),
            },
            "expected an event stream (text/event-stream), but the reply is \"application/json\": \"{\\\"detail\\\":\\n\\\"Not Found\\\"}\"",
        ),
    ];
    for (err, text) in cases {
        assert_eq!(err.to_string(), text);
    }
}

#[test]
fn event_stream_is_send_and_unpin() {
    fn check<T: Stream<Item = Result<Event, StreamError>> + Send + Unpin + std::fmt::Debug>() {}
    check::<EventStream>();
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<StreamError>();
}

#[tokio::test]
async fn byte_order_marks() {
    // One leading BOM is removed; a second one is part of the first field's name,
    // which is then unknown and ignored.
    assert_eq!(parse_every_split("\u{feff}data: a\n\n".as_bytes()).await, vec![msg("a")]);
    assert_eq!(parse_every_split("\u{feff}\u{feff}data: a\n\ndata: b\n\n".as_bytes()).await, vec![msg("b")]);
    // Not at the start: the same.
    assert_eq!(
        parse_every_split("data: a\n\n\u{feff}data: b\n\ndata: c\n\n".as_bytes()).await,
        vec![msg("a"), msg("c")]
    );
    // Only a whole byte order mark is removed.
    assert_eq!(parse_every_split(b"\xef\xbbdata: a\n\ndata: b\n\n").await, vec![msg("b")]);
    assert_eq!(parse_every_split("\u{feff}\n\ndata: b\n\n".as_bytes()).await, vec![msg("b")]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any mix of `\r`, `\n` and `\r\n` line endings, cut into chunks anywhere, parses as
    /// the same text with every line ending written as `\n`.
    #[test]
    fn line_endings_cut_anywhere_parse_as_lf(
        lines in proptest::collection::vec(
            ("(data|event|id|: c|data: x\u{e9}y)", 0usize..4),
            0..24,
        ),
        cuts in proptest::collection::vec(0usize..200, 0..12),
    ) {
        let mut text = String::new();
        for (line, ending) in &lines {
            text.push_str(line);
            text.push_str(["\n", "\r", "\r\n", "\n\n"][*ending]);
        }
        let lf = text.replace("\r\n", "\n").replace('\r', "\n");
        let bytes = text.as_bytes();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut from = 0;
        for cut in cuts {
            chunks.push(bytes[from..cut].to_vec());
            from = cut;
        }
        chunks.push(bytes[from..].to_vec());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (got, want) = rt.block_on(async {
            (drain(from_chunks(chunks)).await, parse(lf.as_bytes()).await)
        });
        proptest::prop_assert_eq!(got, want);
    }
}
