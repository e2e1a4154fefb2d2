//! Decode throughput of a large list response (20,000 `AgentSummary`, several MB) into
//! the generated types, against `serde_json::Value` and against a parse that keeps
//! nothing (`serde::de::IgnoredAny`, the floor). Variants alternate in rotating order
//! within every round.
//!
//! `cargo bench --bench decode` (add `-- --quick` for a smoke run).

use testkit::bench as common;

use std::hint::black_box;
use std::time::Instant;

use common::*;
use meibel::types::AgentListResponse;

const VARIANTS: [&str; 3] =
    ["generated `AgentListResponse`", "`serde_json::Value`", "`serde::de::IgnoredAny` (parse only)"];

fn decode(body: &[u8], variant: usize) {
    match variant {
        0 => {
            let list: AgentListResponse = serde_json::from_slice(body).expect("typed");
            assert_eq!(list.data.len(), 20_000);
            black_box(list);
        }
        1 => {
            let v: serde_json::Value = serde_json::from_slice(body).expect("value");
            black_box(v);
        }
        _ => {
            let v: serde::de::IgnoredAny = serde_json::from_slice(body).expect("ignored");
            black_box(v);
        }
    }
}

fn main() {
    let body = agent_list(20_000);
    let mb = body.len() as f64 / 1e6;
    let rounds = scale(31, 3);
    for v in 0..VARIANTS.len() {
        decode(&body, v); // warm-up
    }
    let mut rates: [Vec<f64>; 3] = Default::default();
    for round in 0..rounds {
        for v in order(VARIANTS.len(), round) {
            let start = Instant::now();
            decode(&body, v);
            rates[v].push(mb / start.elapsed().as_secs_f64());
        }
    }
    println!(
        "| decoding {mb:.2} MB (20,000 `AgentSummary`) into | MB/s, median | MB/s IQR | MB/s min–max | ratio of medians vs `Value` | per-round ratio IQR | target | verdict |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    let value = median(&rates[1]);
    for v in 0..VARIANTS.len() {
        let ratio = median(&rates[v]) / value;
        let (target, verdict_cell) = match v {
            0 => ("≥ 1 (typed no slower than `Value`)", verdict(ratio >= 1.0)),
            _ => ("", ""),
        };
        println!(
            "| {} | {:.0} | {} | {} | **{ratio:.2}** | {} | {target} | {verdict_cell} |",
            VARIANTS[v],
            median(&rates[v]),
            iqr(&rates[v], 0),
            range(&rates[v], 0),
            iqr(&ratios(&rates[v], &rates[1]), 2),
        );
    }
    summary(
        "3. decode throughput, 20,000 `AgentSummary`",
        &format!(
            "**{:.2}×** `Value` ({:.0} vs {:.0} MB/s)",
            median(&rates[0]) / value,
            median(&rates[0]),
            value
        ),
        &format!("per-round ratio IQR {}", iqr(&ratios(&rates[0], &rates[1]), 2)),
        "≥ 1 (typed no slower than `Value`)",
        verdict(median(&rates[0]) >= value),
    );
    println!();
    println!(
        "{rounds} rounds; `serde_json::from_slice` on one thread, from memory (no I/O); MB = 10^6 bytes of JSON. The typed decode includes parsing every `last_execution_time` into a `chrono::DateTime`."
    );
}
