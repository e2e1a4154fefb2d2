//! Per-call overhead of the generated client against a hand-written `reqwest` call doing
//! the same work (same headers, same decode into the same type), both against the same
//! local keep-alive server. The variants run interleaved, in rotating order, in every round.
//!
//! The clients run on a current-thread runtime on the main thread, and the server on its
//! own thread, so the CPU time of the main thread (user + system) is exactly what the
//! client spends on a call: the ratio of those is the figure checked against 1.05.
//!
//! `cargo bench --bench overhead` (add `-- --quick` for a smoke run).

use testkit::bench as common;

use std::hint::black_box;
use std::time::Instant;

mod api;
use api::{Raw, generated, server};
use common::*;
use meibel::types::{AgentDetailResponse, AgentListResponse, CreateDatasourceRequest, DatasourceResponse};

#[derive(Clone, Copy)]
enum Case {
    Get,
    List,
    Post,
}

const VARIANTS: [&str; 3] = ["generated (default retries)", "generated (RetryPolicy::none())", "raw reqwest"];

struct Ctx {
    clients: [meibel::Client; 2],
    raw: Raw,
}

async fn call(ctx: &Ctx, case: Case, variant: usize) {
    match (case, variant) {
        (Case::Get, 2) => {
            black_box(ctx.raw.get_agent("a").await);
        }
        (Case::Get, v) => {
            black_box(ctx.clients[v].get_agent().agent_id("a").send().await.expect("get_agent").into_inner());
        }
        (Case::List, 2) => {
            let list = ctx.raw.list_agents().await;
            assert_eq!(list.data.len(), 1000);
            black_box(list);
        }
        (Case::List, v) => {
            let list = ctx.clients[v].list_agents().send().await.expect("list_agents").into_inner();
            assert_eq!(list.data.len(), 1000);
            black_box(list);
        }
        (Case::Post, 2) => {
            // Built as the generated variant builds it (a struct literal would stop
            // compiling when a spec bump adds a field).
            let body: CreateDatasourceRequest = CreateDatasourceRequest::builder()
                .name("handbook")
                .description(Some("The employee handbook, all chapters".to_owned()))
                .try_into()
                .expect("a valid request");
            black_box(ctx.raw.create_datasource(&body).await);
        }
        (Case::Post, v) => {
            let created = ctx.clients[v]
                .create_datasource()
                .body(
                    CreateDatasourceRequest::builder()
                        .name("handbook")
                        .description(Some("The employee handbook, all chapters".to_owned())),
                )
                .send()
                .await
                .expect("create_datasource");
            black_box(created.into_inner());
        }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Per call over a batch of `n` sequential calls: wall µs, client CPU µs (user + system
/// of the client's thread), allocations (client and server).
async fn batch(ctx: &Ctx, case: Case, variant: usize, n: usize) -> (f64, f64, f64) {
    let (start, cpu, allocs) = (Instant::now(), thread_cpu(), allocations());
    for _ in 0..n {
        call(ctx, case, variant).await;
    }
    let n = n as f64;
    (
        start.elapsed().as_secs_f64() * 1e6 / n,
        (thread_cpu() - cpu) * 1e6 / n,
        (allocations() - allocs) as f64 / n,
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    let addr = server(1000);
    // The fixtures must decode into the generated types, or the comparison is void.
    serde_json::from_slice::<AgentDetailResponse>(&agent_detail()).expect("detail fixture");
    serde_json::from_slice::<AgentListResponse>(&agent_list(3)).expect("list fixture");
    serde_json::from_slice::<DatasourceResponse>(&datasource()).expect("datasource fixture");

    let ctx = Ctx {
        clients: [
            generated(addr, meibel::RetryPolicy::default()),
            generated(addr, meibel::RetryPolicy::none()),
        ],
        raw: Raw::new(addr),
    };
    let rounds = scale(201, 5);
    let cases = [
        (Case::Get, "1a", "small GET (`get_agent`, 1.4 KB)", scale(400, 20)),
        (Case::List, "1b", "list of 1,000 (`list_agents`, 0.3 MB)", scale(12, 2)),
        (Case::Post, "1c", "POST JSON body (`create_datasource`)", scale(400, 20)),
    ];

    println!(
        "| case | variant | client CPU µs/call, median (IQR) | **CPU ratio vs raw** | per-round CPU ratio, median (IQR) | wall µs/call, median | wall ratio | allocations/call (Δ vs raw) | target (CPU) | verdict |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    rt.block_on(async {
        for (case, item, label, n) in cases {
            for v in 0..VARIANTS.len() {
                batch(&ctx, case, v, n.max(5)).await; // warm-up: connection, allocator
            }
            let mut times: [Vec<f64>; 3] = Default::default();
            let mut cpu: [Vec<f64>; 3] = Default::default();
            let mut allocs: [Vec<f64>; 3] = Default::default();
            for round in 0..rounds {
                for v in order(VARIANTS.len(), round) {
                    let (t, c, a) = batch(&ctx, case, v, n).await;
                    times[v].push(t);
                    cpu[v].push(c);
                    allocs[v].push(a);
                }
            }
            let (raw_time, raw_cpu, raw_allocs) = (median(&times[2]), median(&cpu[2]), median(&allocs[2]));
            let mut found = Vec::new();
            for v in 0..VARIANTS.len() {
                let c = format!("{:.1} ({})", median(&cpu[v]), iqr(&cpu[v], 1));
                if v == 2 {
                    println!(
                        "| {label} | {} | {c} | 1 | | {raw_time:.1} | 1 | {raw_allocs:.0} | | |",
                        VARIANTS[v]
                    );
                    continue;
                }
                let ratio = median(&cpu[v]) / raw_cpu;
                let per_round = ratios(&cpu[v], &cpu[2]);
                println!(
                    "| {label} | {} | {c} | **{ratio:.3}** | {:.3} ({}) | {:.1} | {:.3} | {:.0} ({:+.0}) | ≤ 1.05 | {} |",
                    VARIANTS[v],
                    median(&per_round),
                    iqr(&per_round, 3),
                    median(&times[v]),
                    median(&times[v]) / raw_time,
                    median(&allocs[v]),
                    median(&allocs[v]) - raw_allocs,
                    verdict(ratio <= 1.05)
                );
                found.push((ratio, format!("median {:.3}, IQR {}", median(&per_round), iqr(&per_round, 3))));
            }
            summary(
                &format!("{item}. client CPU per call, {label}"),
                &format!(
                    "**{:.3}** (default retries); {:.3} (`RetryPolicy::none()`)",
                    found[0].0, found[1].0
                ),
                &format!("per-round CPU ratio {}; {}", found[0].1, found[1].1),
                "≤ 1.05",
                verdict(found.iter().all(|f| f.0 <= 1.05)),
            );
        }
    });
    println!();
    println!(
        "{rounds} rounds; each round runs every variant once, in rotating order, for a batch of sequential calls on one keep-alive connection per client. Client CPU is the user + system time of the thread that runs the clients (a current-thread runtime; the server has its own thread), per call, batch mean; the ratio is generated ÷ raw (lower is better). Allocations are per call for the whole process."
    );
}
