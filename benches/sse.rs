//! Event-stream parsing throughput: `meibel::sse::EventStream::from_byte_stream` against
//! the `eventsource-stream` parser alone (`Eventsource::eventsource`) on the same byte
//! chunks: a 50 MB stream of JSON `data:` events cut into 1–8 KiB chunks, with LF and CRLF
//! line endings, and one of large (60 KB) events. Variants alternate in rotating order within every round.
//!
//! `cargo bench --bench sse` (add `-- --quick` for a smoke run).

use testkit::bench as common;

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::*;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;

/// A deterministic xorshift generator: the same stream and cuts in every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 12] = [
    "the", "policy", "réponse", "handbook", "ticket", "queue", "naïve", "billing", "—", "refund", "account",
    "reply",
];

/// About `target` bytes of events, with `eol` line endings, each with `words.0` plus up
/// to `words.1` words of text, and the number of events.
fn stream_text(target: usize, eol: &str, words: (usize, u64)) -> (Vec<u8>, usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(target + 1024);
    let mut events = 0usize;
    while out.len() < target {
        if events % 50 == 49 {
            out.push_str(": keep-alive");
            out.push_str(eol);
            out.push_str(eol);
        }
        let words = words.0 + rng.below(words.1) as usize;
        let text: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect();
        let data = serde_json::json!({
            "type": "message_delta",
            "session_id": "ses_5a1c4c2e9d7e",
            "index": events,
            "delta": {"text": text.join(" ")},
        });
        out.push_str("event: message_delta");
        out.push_str(eol);
        out.push_str(&format!("id: {events}"));
        out.push_str(eol);
        out.push_str("data: ");
        out.push_str(&data.to_string());
        out.push_str(eol);
        out.push_str(eol);
        events += 1;
    }
    (out.into_bytes(), events)
}

/// `text` cut into chunks of 1–8 KiB (cuts fall anywhere: inside lines, CRLF pairs and
/// UTF-8 sequences).
fn chunks(text: &[u8]) -> Vec<Bytes> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let all = Bytes::copy_from_slice(text);
    let mut out = Vec::new();
    let mut at = 0;
    while at < all.len() {
        let len = (1024 + rng.below(7 * 1024 + 1) as usize).min(all.len() - at);
        out.push(all.slice(at..at + len));
        at += len;
    }
    out
}

const VARIANTS: [&str; 2] = ["`meibel::sse::EventStream`", "`eventsource-stream` alone"];

async fn count(chunks: &[Bytes], variant: usize) -> usize {
    let chunks = chunks.to_vec();
    if variant == 0 {
        let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, reqwest::Error>));
        // The client's default idle timeout, as `send()` would set it.
        let mut events = meibel::sse::EventStream::from_byte_stream(body, Some(Duration::from_secs(300)));
        let mut n = 0;
        while let Some(e) = events.next().await {
            std::hint::black_box(e.expect("event"));
            n += 1;
        }
        n
    } else {
        let mut events =
            futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, Infallible>)).eventsource();
        let mut n = 0;
        while let Some(e) = events.next().await {
            std::hint::black_box(e.expect("event"));
            n += 1;
        }
        n
    }
}

fn main() {
    let rt = runtime(1);
    let size = scale(50_000_000, 5_000_000);
    let rounds = scale(15, 2);
    println!(
        "| line endings | parser | events/s, median | events/s min–max | MB/s, median | ratio of medians (meibel ÷ alone) | per-round ratio min–max | target | verdict |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    let cases = [
        ("LF", "\n", (3, 40)),
        ("CRLF", "\r\n", (3, 40)),
        // Large events (a document trace, a long reply in one event): about 60 KB each.
        ("LF, 60 KB events", "\n", (8_000, 4_000)),
    ];
    for (label, eol, words) in cases {
        let (text, expected) = stream_text(size, eol, words);
        let chunks = chunks(&text);
        let mb = text.len() as f64 / 1e6;
        let mut rates: [Vec<f64>; 2] = Default::default();
        rt.block_on(async {
            for (v, name) in VARIANTS.iter().enumerate() {
                assert_eq!(count(&chunks, v).await, expected, "{name} on {label}");
            }
            for round in 0..rounds {
                for v in order(VARIANTS.len(), round) {
                    let start = Instant::now();
                    let n = count(&chunks, v).await;
                    rates[v].push(n as f64 / start.elapsed().as_secs_f64());
                }
            }
        });
        let ratio = median(&rates[0]) / median(&rates[1]);
        summary(
            &format!("5. event streams, {label}"),
            &format!("**{ratio:.3}** ({:.0} vs {:.0} events/s)", median(&rates[0]), median(&rates[1])),
            &format!("per-round ratio min–max {}", range(&ratios(&rates[0], &rates[1]), 3)),
            "≥ 0.9",
            verdict(ratio >= 0.9),
        );
        for v in 0..VARIANTS.len() {
            let events_per_mb = expected as f64 / mb;
            let (ratio_cell, per_round, target, verdict_cell) = if v == 0 {
                (
                    format!("**{ratio:.3}**"),
                    range(&ratios(&rates[0], &rates[1]), 3),
                    "≥ 0.9",
                    verdict(ratio >= 0.9),
                )
            } else {
                ("1".to_owned(), String::new(), "", "")
            };
            println!(
                "| {label} ({mb:.0} MB, {expected} events, {} chunks) | {} | {:.0} | {} | {:.0} | {ratio_cell} | {per_round} | {target} | {verdict_cell} |",
                chunks.len(),
                VARIANTS[v],
                median(&rates[v]),
                range(&rates[v], 0),
                median(&rates[v]) / events_per_mb,
            );
        }
    }
    println!();
    println!(
        "{rounds} rounds per case; events carry 3–42 words of text (about 280 bytes) except in the large-event case; chunks come from memory (`futures_util::stream::iter`), so this is parsing cost alone; every event is checked and counted, both parsers must yield the same count. `meibel` runs with the client's default idle timeout (300 s)."
    );
}
