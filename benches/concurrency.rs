//! Requests per second at 1, 16 and 128 concurrent tasks sharing one client (its
//! connection pool), generated client against a hand-written `reqwest` call doing the same
//! work, against the same local keep-alive server. Variants alternate in rotating order
//! within every round; each runs for a fixed time window.
//!
//! `cargo bench --bench concurrency` (add `-- --quick` for a smoke run).

use testkit::bench as common;

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod api;
use api::{Raw, generated, server};
use common::*;

const VARIANTS: [&str; 3] = ["generated (default retries)", "generated (RetryPolicy::none())", "raw reqwest"];

struct Ctx {
    clients: [meibel::Client; 2],
    raw: Raw,
}

/// Requests per second with `tasks` tasks issuing small GETs back to back for `window`.
async fn run(ctx: &Arc<Ctx>, variant: usize, tasks: usize, window: Duration) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + window;
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let ctx = ctx.clone();
            let done = done.clone();
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    if variant == 2 {
                        black_box(ctx.raw.get_agent("a").await);
                    } else {
                        let r = ctx.clients[variant].get_agent().agent_id("a").send().await;
                        black_box(r.expect("get_agent").into_inner());
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for h in handles {
        h.await.expect("task");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let rt = runtime(2);
    let addr = server(10);
    let ctx = Arc::new(Ctx {
        clients: [
            generated(addr, meibel::RetryPolicy::default()),
            generated(addr, meibel::RetryPolicy::none()),
        ],
        raw: Raw::new(addr),
    });
    // For profiling one variant alone (e.g. under `perf record`):
    // `concurrency --only <variant 0-2> <tasks> <seconds>`.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let parse = |k: usize| args.get(i + k).and_then(|a| a.parse::<u64>().ok()).expect("--only V T S");
        let (v, tasks, secs) = (parse(1) as usize, parse(2) as usize, parse(3));
        let rate = rt.block_on(run(&ctx, v, tasks, Duration::from_secs(secs)));
        println!("{}: {rate:.0} req/s with {tasks} tasks", VARIANTS[v]);
        return;
    }
    let rounds = scale(31, 3);
    let window = Duration::from_millis(scale(250, 50));

    println!(
        "| concurrent tasks | variant | req/s, median | req/s IQR | ratio of medians vs raw | per-round ratio IQR | per-round ratio min–max | target | verdict |"
    );
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    rt.block_on(async {
        for tasks in [1usize, 16, 128] {
            // Warm-up: every variant opens its connections before the clock runs.
            for v in 0..VARIANTS.len() {
                run(&ctx, v, tasks, Duration::from_millis(100)).await;
            }
            let mut rates: [Vec<f64>; 3] = Default::default();
            for round in 0..rounds {
                for v in order(VARIANTS.len(), round) {
                    rates[v].push(run(&ctx, v, tasks, window).await);
                }
            }
            let raw = median(&rates[2]);
            let mut found = Vec::new();
            for v in 0..VARIANTS.len() {
                if v == 2 {
                    println!("| {tasks} | {} | {raw:.0} | {} | 1 | | | | |", VARIANTS[v], iqr(&rates[v], 0));
                    continue;
                }
                let ratio = median(&rates[v]) / raw;
                let per_round = ratios(&rates[v], &rates[2]);
                println!(
                    "| {tasks} | {} | {:.0} | {} | **{ratio:.3}** | {} | {} | ≥ 0.95 | {} |",
                    VARIANTS[v],
                    median(&rates[v]),
                    iqr(&rates[v], 0),
                    iqr(&per_round, 3),
                    range(&per_round, 3),
                    verdict(ratio >= 0.95)
                );
                found.push((ratio, iqr(&per_round, 3)));
            }
            summary(
                &format!("2. throughput, {tasks} concurrent task{}", if tasks == 1 { "" } else { "s" }),
                &format!(
                    "**{:.3}** (default retries); {:.3} (`RetryPolicy::none()`)",
                    found[0].0, found[1].0
                ),
                &format!("per-round ratio IQR {}; {}", found[0].1, found[1].1),
                "≥ 0.95",
                verdict(found.iter().all(|f| f.0 >= 0.95)),
            );
        }
    });
    println!();
    println!(
        "{rounds} rounds of {} ms per variant and concurrency level; one client (one connection pool) per variant, shared by all tasks; small GET (`get_agent`). The ratio is generated ÷ raw (higher is better); the target mirrors the per-call one (≤ 5 % overhead).",
        window.as_millis()
    );
}
