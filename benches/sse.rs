//! Event-stream parsing, CPU time per parse (user + sys of the thread that parses), on
//! the same chunks from memory, prepared before the clock starts, variants alternating in rotating order within
//! every round:
//!
//! * `meibel::sse::EventStream::from_byte_stream`, this crate's own parser;
//! * the previous reader of this crate: the `eventsource-stream` parser behind a pass that
//!   checks UTF-8, rewrites lone `\r` and cuts the input at line ends
//!   (`benches/sse_before/`);
//! * the `sse-stream` parser alone (`SseByteStream`), which fails on invalid UTF-8 and
//!   has no size limit;
//! * the `eventsource-stream` parser alone (`Eventsource::eventsource`).
//!
//! Cases: a 50 MB stream of JSON `data:` events cut into 1–8 KiB chunks, with LF and CRLF
//! line endings, one of large (60 KB) events; and one line of 4 MiB and of 32 MiB without
//! a line end until the last bytes, in 16 KiB chunks, which shows whether the cost grows
//! linearly (32 MiB costs 8 times 4 MiB) or faster. The two sizes alternate within every
//! round, after a warm-up, and every buffer of either size is fresh memory (see
//! `fresh_memory_for_large_buffers`).
//!
//! `cargo bench --bench sse` (add `-- --quick` for a smoke run, `-- --long-only` for the
//! long line alone).

#[path = "sse_before/mod.rs"]
mod before;
use testkit::bench as common;

use std::convert::Infallible;
use std::time::Duration;

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

const VARIANTS: [&str; 4] = [
    "`meibel::sse::EventStream` (own parser)",
    "previous: `eventsource-stream` + workarounds",
    "`sse-stream` alone",
    "`eventsource-stream` alone",
];

/// The idle timeout `send()` sets by default, and a limit above the longest line here.
const IDLE: Option<Duration> = Some(Duration::from_secs(300));
const LIMIT: usize = 64 << 20;

/// Parses `chunks` with variant `v`; returns the events that carry data.
async fn count(chunks: Vec<Bytes>, variant: usize) -> usize {
    let mut n = 0;
    match variant {
        0 => {
            let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, reqwest::Error>));
            let mut events =
                meibel::sse::EventStream::from_byte_stream(body, IDLE).with_max_event_bytes(LIMIT);
            while let Some(e) = events.next().await {
                std::hint::black_box(e.expect("event"));
                n += 1;
            }
        }
        1 => {
            let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, reqwest::Error>));
            let mut events = before::EventStream::from_byte_stream(body, IDLE);
            while let Some(e) = events.next().await {
                std::hint::black_box(e.expect("event"));
                n += 1;
            }
        }
        2 => {
            let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, Infallible>));
            let mut events = sse_stream::SseByteStream::new(body);
            while let Some(e) = events.next().await {
                // It also yields frames without data, which the others do not dispatch.
                n += usize::from(std::hint::black_box(e.expect("event")).data.is_some());
            }
        }
        _ => {
            let mut events =
                futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, Infallible>)).eventsource();
            while let Some(e) = events.next().await {
                std::hint::black_box(e.expect("event"));
                n += 1;
            }
        }
    }
    n
}

/// CPU seconds (user + system of this thread, which runs the parse) of one parse,
/// checking the number of events. The chunks are copied (reference counts) before the
/// clock starts.
async fn cpu_of(chunks: &[Bytes], variant: usize, expected: usize) -> f64 {
    let chunks = chunks.to_vec();
    let start = thread_cpu();
    let n = count(chunks, variant).await;
    let cpu = thread_cpu() - start;
    assert_eq!(n, expected, "{}", VARIANTS[variant]);
    cpu
}

/// Makes every large buffer fresh memory, whatever its size: glibc's allocator otherwise
/// raises its threshold for mapping memory after the first large buffer is freed, up to
/// 32 MiB, so that later 4 MiB buffers reuse pages already mapped while 32 MiB ones are
/// mapped (and their pages faulted in) anew each time, which would charge the larger
/// size with a cost the smaller one escapes. With a fixed threshold both pay the same
/// cost per page. Returns whether the setting took.
fn fresh_memory_for_large_buffers() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes the allocator's tuning; called before the buffers
        // it affects are allocated.
        unsafe { mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

fn main() {
    let rt = runtime(1);
    let size = scale(50_000_000, 5_000_000);
    let rounds = scale(15, 2);
    println!(
        "| case | parser | events/s (CPU), median | events/s min–max | MB/s (CPU), median | CPU ratio of medians (this ÷ own parser) | per-round ratio min–max |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    let cases = [
        ("LF", "\n", (3, 40)),
        ("CRLF", "\r\n", (3, 40)),
        // Large events (a document trace, a long reply in one event): about 60 KB each.
        ("LF, 60 KB events", "\n", (8_000, 4_000)),
    ];
    // `-- --long-only`: only the long-line case.
    let long_only = std::env::args().any(|a| a == "--long-only");
    for (label, eol, words) in cases.into_iter().filter(|_| !long_only) {
        let (text, expected) = stream_text(size, eol, words);
        let chunks = chunks(&text);
        let mb = text.len() as f64 / 1e6;
        let mut cpu: [Vec<f64>; 4] = Default::default();
        rt.block_on(async {
            for v in 0..VARIANTS.len() {
                cpu_of(&chunks, v, expected).await;
            }
            for round in 0..rounds {
                for v in order(VARIANTS.len(), round) {
                    cpu[v].push(cpu_of(&chunks, v, expected).await);
                }
            }
        });
        let ratio = |v: usize| median(&cpu[v]) / median(&cpu[0]);
        summary(
            &format!("5. event streams, {label}: CPU of the previous reader ÷ own parser"),
            &format!(
                "**{:.2}** (`sse-stream` {:.2}, `eventsource-stream` alone {:.2})",
                ratio(1),
                ratio(2),
                ratio(3)
            ),
            &format!("per-round ratio min–max {}", range(&ratios(&cpu[1], &cpu[0]), 2)),
            "≥ 1 (own parser no slower)",
            verdict(ratio(1) >= 1.0),
        );
        for v in 0..VARIANTS.len() {
            let rate = expected as f64 / median(&cpu[v]);
            let rates: Vec<f64> = cpu[v].iter().map(|c| expected as f64 / c).collect();
            let (ratio_cell, per_round) = if v == 0 {
                ("1".to_owned(), String::new())
            } else {
                (format!("**{:.2}**", ratio(v)), range(&ratios(&cpu[v], &cpu[0]), 2))
            };
            println!(
                "| {label} ({mb:.0} MB, {expected} events, {} chunks) | {} | {rate:.0} | {} | {:.0} | {ratio_cell} | {per_round} |",
                chunks.len(),
                VARIANTS[v],
                range(&rates, 0),
                mb / median(&cpu[v]),
            );
        }
    }

    // One long line: the cost of 32 MiB against 4 MiB (8 for a linear parser).
    let (small, large) = scale((4usize << 20, 32usize << 20), (1 << 20, 8 << 20));
    let long_rounds = scale(11, 1);
    let line = |len: usize| {
        let mut text = b"data: ".to_vec();
        text.resize(len - 2, b'x');
        text.extend_from_slice(b"\n\n");
        Bytes::from(text)
    };
    let cut = |text: Bytes| -> Vec<Bytes> {
        (0..text.len()).step_by(16 * 1024).map(|at| text.slice(at..text.len().min(at + 16 * 1024))).collect()
    };
    let (small_chunks, large_chunks) = (cut(line(small)), cut(line(large)));
    let fresh = fresh_memory_for_large_buffers();
    println!();
    println!(
        "| one line without a line end | parser | CPU s, {} MiB (median) | CPU s, {} MiB (median) | growth ({} MiB ÷ {} MiB, medians) | per-round growth min–max |",
        small >> 20,
        large >> 20,
        large >> 20,
        small >> 20
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    let mut growth = [0.0; 3];
    for v in 0..3 {
        let (mut s, mut l) = (Vec::new(), Vec::new());
        // The previous reader takes about a minute for 32 MiB: once is enough to see it.
        let rounds = if v == 1 { 1 } else { long_rounds };
        rt.block_on(async {
            if v != 1 {
                // Warm-up: code, allocator.
                cpu_of(&small_chunks, v, 1).await;
                cpu_of(&large_chunks, v, 1).await;
            }
            for round in 0..rounds {
                // The two sizes alternate, in turn first.
                if round % 2 == 0 {
                    s.push(cpu_of(&small_chunks, v, 1).await);
                    l.push(cpu_of(&large_chunks, v, 1).await);
                } else {
                    l.push(cpu_of(&large_chunks, v, 1).await);
                    s.push(cpu_of(&small_chunks, v, 1).await);
                }
            }
        });
        growth[v] = median(&l) / median(&s);
        println!(
            "| 16 KiB chunks | {} | {:.4} | {:.4} | **{:.1}** | {} |",
            VARIANTS[v],
            median(&s),
            median(&l),
            growth[v],
            range(&ratios(&l, &s), 1)
        );
    }
    summary(
        &format!("5. event streams, one line of {} MiB ÷ {} MiB (CPU)", large >> 20, small >> 20),
        &format!("**{:.1}** (previous reader {:.1}, `sse-stream` {:.1})", growth[0], growth[1], growth[2]),
        &format!("{long_rounds} rounds"),
        "≈ 8 (linear), ≤ 10",
        verdict(growth[0] <= 10.0),
    );
    println!();
    println!(
        "{rounds} rounds per stream case, {long_rounds} per long line (1 for the previous reader); events carry 3–42 words of text (about 280 bytes) except in the large-event case; chunks come from memory (`futures_util::stream::iter`), so this is parsing cost alone. Every variant must yield the same number of events with data. The two readers of this crate run with the client's default idle timeout (300 s); the own parser with a 64 MiB limit for the long line. CPU is the parsing thread's user + system time; the chunks are copied (reference counts) before its clock starts. Long line: a warm-up parse of each size, then the sizes alternate within each round; {}",
        if fresh {
            "every buffer over 128 KiB is fresh memory (the allocator's threshold for mapping memory fixed at 128 KiB, so that a 4 MiB buffer is not served from pages a previous round left mapped while a 32 MiB one is mapped anew)."
        } else {
            "the allocator's threshold for mapping memory could not be fixed on this platform: a 4 MiB buffer may reuse pages that a 32 MiB one pays to map."
        }
    );
}
