//! `cargo xtask bench`: builds the benchmark binaries (release), runs them all, and writes
//! BENCHMARKS.md.
//!
//! ```text
//! cargo xtask bench               the runtime benchmarks (about 5 minutes on 2 cores)
//! cargo xtask bench --build       the same, then the build timings (clean builds, the
//!                                 build cost against plain reqwest, rebuilds after a spec
//!                                 edit; about 10 more minutes)
//! cargo xtask bench --build-only  only the build timings; the runtime sections of the
//!                                 existing BENCHMARKS.md are kept
//! cargo xtask bench --cost-only   only the build cost against plain reqwest (two clean
//!                                 builds); the other sections are kept
//! cargo xtask bench --quick       smoke run with short rounds (figures not meaningful);
//!                                 writes target/bench/BENCHMARKS.quick.md instead
//! ```
//!
//! A section that is not run is carried over from the existing BENCHMARKS.md, with the
//! date of the run that produced it.

use crate::{Fail, cargo, fail, root};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const BENCHES: [(&str, &str, &str); 5] = [
    (
        "overhead",
        "1. Per-call overhead",
        "The generated client against a hand-written `reqwest` call doing the same work: the same `reqwest::Client` settings (timeouts, same-origin redirect policy), the same four headers (`Accept`, `api-version`, `Meibel-API-Key` marked sensitive, `User-Agent`), the body read whole and decoded with `serde_json::from_slice` into the same generated type. Both talk to the same local HTTP/1.1 keep-alive server (a Tokio `TcpListener` on its own thread answering fixed bytes). Client runtime: multi-thread, 2 workers.",
    ),
    (
        "concurrency",
        "2. Concurrency",
        "Small GETs (`get_agent`) from 1, 16 and 128 Tokio tasks sharing one client (and so its connection pool), generated client against the hand-written `reqwest` call of item 1, same local server. Client runtime: multi-thread, 2 workers; the server has one thread. With 16 and 128 tasks both cores are saturated, so the ratio is the ratio of CPU cost per request.",
    ),
    (
        "decode",
        "3. Decode throughput",
        "`serde_json::from_slice` of a 7.9 MB `AgentListResponse` body (20,000 `AgentSummary`, every field set) into the generated type, into `serde_json::Value`, and into `serde::de::IgnoredAny` (parsing that keeps nothing: the floor).",
    ),
    (
        "upload",
        "4. Uploads",
        "`client.upload_content().datasource_id(\"ds\").files([FilePart::path(..)])` against a hand-written `reqwest` multipart upload (a `Part::stream_with_length` over `ReaderStream::with_capacity(file, 64 KiB)`, same headers) to a local server that reads and discards the body (`Content-Length` or chunked) and answers an `UploadContentResponse`. Every upload runs in its own child process, which reports its own peak RSS (`VmHWM` from `/proc/self/status`); the server runs in the parent. Files are created sparse with `File::set_len` in a temporary directory, read once before timing, and deleted afterwards: reading them costs no disk I/O (the holes come from the page cache as zeros), so the throughput is that of the client and the loopback path, not of a disk. A third variant adds a progress observer (`FilePart::on_progress` storing each count in an atomic, as a progress bar does); each child measures its own CPU time (user + sys, `CLOCK_PROCESS_CPUTIME_ID`) for the upload, and the observer's cost is the ratio of the CPU medians with and without it.",
    ),
    (
        "sse",
        "5. Event streams",
        "CPU time (user + sys) to parse the same chunks from memory with this crate's own parser (`meibel::sse::EventStream::from_byte_stream`), with its previous reader (the `eventsource-stream` parser behind a pass that checked UTF-8, rewrote lone CR and cut the input at line ends; kept in `benches/sse_before/`), with `sse-stream` alone and with `eventsource-stream` alone: 50 MB of `event:`/`id:`/`data:` frames with JSON data (chat-delta shaped, some non-ASCII text, a keep-alive comment every 50 events), cut into chunks of 1–8 KiB at arbitrary bytes; then one line of 4 MiB and of 32 MiB, in 16 KiB chunks, to show how the cost grows with the length of a line. One worker thread.",
    ),
];

fn step(name: &str) {
    eprintln!("\n== {name}");
}

fn io(e: impl std::fmt::Display) -> Fail {
    fail(e.to_string())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn stamp() -> String {
    output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
}

/// The block between `<!-- NAME:begin -->` and `<!-- NAME:end -->` of the report, if any.
fn carried(report: &str, name: &str) -> String {
    let (b, e) = (format!("<!-- {name}:begin -->"), format!("<!-- {name}:end -->"));
    let mut on = false;
    let mut out = String::new();
    for line in report.lines() {
        if line == b {
            on = true;
        }
        if on {
            out.push_str(line);
            out.push('\n');
        }
        if line == e {
            on = false;
        }
    }
    out
}

fn summary_rows(block: &str) -> Vec<String> {
    block
        .lines()
        .filter_map(|l| l.strip_prefix("<!-- summary ").and_then(|l| l.strip_suffix(" -->")))
        // A row is a table row whether or not its block wrote the leading `| `.
        .map(|l| if l.starts_with('|') { l.to_string() } else { format!("| {l}") })
        .collect()
}

// ----------------------------------------------------------------------------- runtime

fn run_runtime(root: &Path, quick: bool) -> Result<String, Fail> {
    step("build the bench binaries (release)");
    let out = Command::new(cargo())
        .args(["bench", "--locked", "--no-run", "--message-format=json-render-diagnostics"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(io)?;
    if !out.status.success() {
        return Err(fail("cargo bench --no-run failed"));
    }
    let mut executables = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(m) = serde_json::from_str::<Value>(line) else { continue };
        if m["reason"] == "compiler-artifact"
            && m["target"]["kind"] == serde_json::json!(["bench"])
            && let (Some(name), Some(exe)) = (m["target"]["name"].as_str(), m["executable"].as_str())
        {
            executables.insert(name.to_string(), exe.to_string());
        }
    }
    let (started, load_before) = (stamp(), loadavg());
    let (mut summary, mut sections) = (String::new(), String::new());
    for (name, title, about) in BENCHES {
        let exe = executables.get(name).ok_or_else(|| fail(format!("no executable for bench {name}")))?;
        step(&format!("bench {name}"));
        let t0 = Instant::now();
        let mut cmd = Command::new(exe);
        if quick {
            cmd.arg("--quick");
        }
        let out = cmd.stderr(Stdio::inherit()).output().map_err(io)?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        eprint!("{text}");
        if !out.status.success() {
            return Err(fail(format!("bench {name} failed")));
        }
        let took = t0.elapsed().as_secs_f64();
        let mut body = String::new();
        for line in text.lines() {
            match line.strip_prefix("summary\t") {
                Some(row) => {
                    summary.push_str(&format!("| {} |\n", row.split('\t').collect::<Vec<_>>().join(" | ")))
                }
                None => {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
        sections.push_str(&format!(
            "### {title}\n\n{about}\n\n{body}\nCommand: `cargo bench --bench {name}`; took {took:.1} s.\n\n"
        ));
    }
    let mut block = String::from("<!-- runtime:begin -->\n");
    for row in summary.lines().filter(|l| !l.is_empty()) {
        block.push_str(&format!("<!-- summary {row} -->\n"));
    }
    block.push_str(&format!(
        "## Runtime benchmarks\n\nRun on {started}; load average {load_before} before, {} after.\n\n{sections}<!-- runtime:end -->\n",
        loadavg()
    ));
    Ok(block)
}

// ----------------------------------------------------------------------------- build

/// One unit of a `--timings` report.
#[derive(Debug, Clone)]
struct Unit {
    name: String,
    target: String,
    start: f64,
    duration: f64,
    sections: Vec<(String, f64)>,
}

fn units(html: &Path) -> Result<Vec<Unit>, Fail> {
    let text = std::fs::read_to_string(html).map_err(io)?;
    let start =
        text.find("const UNIT_DATA = ").ok_or_else(|| fail(format!("no UNIT_DATA in {}", html.display())))?
            + 18;
    let end = start + text[start..].find(";\n").ok_or_else(|| fail("UNIT_DATA does not end"))?;
    let data: Vec<Value> = serde_json::from_str(&text[start..end]).map_err(io)?;
    Ok(data
        .iter()
        .map(|u| Unit {
            name: u["name"].as_str().unwrap_or("").into(),
            target: u["target"].as_str().unwrap_or("").trim().into(),
            start: u["start"].as_f64().unwrap_or(0.0),
            duration: u["duration"].as_f64().unwrap_or(0.0),
            sections: u["sections"]
                .as_array()
                .map(|s| {
                    s.iter()
                        .filter_map(|x| {
                            Some((
                                x[0].as_str()?.to_string(),
                                x[1]["end"].as_f64()? - x[1]["start"].as_f64()?,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect())
}

fn section(u: &Unit, which: &str) -> f64 {
    u.sections.iter().find(|(s, _)| s == which).map_or(0.0, |(_, d)| *d)
}

/// Seconds of `unit` during which no other unit ran.
fn alone(us: &[Unit], index: usize) -> f64 {
    let u = &us[index];
    let (a, b) = (u.start, u.start + u.duration);
    let mut cover: Vec<(f64, f64)> = us
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, o)| (a.max(o.start), b.min(o.start + o.duration)))
        .collect();
    cover.sort_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
    let (mut busy, mut end) = (0.0, a);
    for (s, e) in cover {
        if e <= end {
            continue;
        }
        busy += e - s.max(end);
        end = e;
    }
    b - a - busy
}

/// The crates of the dependency graph for the given cargo tree flags.
fn graph(root: &Path, args: &[&str]) -> BTreeSet<String> {
    let out = Command::new(cargo())
        .args(["tree", "--locked", "--package", "meibel", "--prefix", "none", "--format", "{p}"])
        .args(args)
        .current_dir(root)
        .stderr(Stdio::null())
        .output();
    out.map(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(String::from))
            .collect()
    })
    .unwrap_or_default()
}

/// Wall seconds and the CPU seconds (user + sys) of the command and its children.
fn timed(cmd: &mut Command) -> Result<(f64, f64), Fail> {
    let shown = format!("{cmd:?}");
    let before = children_cpu();
    let t0 = Instant::now();
    let status = cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit()).status().map_err(io)?;
    let wall = t0.elapsed().as_secs_f64();
    if !status.success() {
        return Err(fail(format!("failed: {shown}")));
    }
    Ok((wall, children_cpu() - before))
}

/// User + system CPU seconds of this process's waited-for children, from /proc.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name (which ends with ')') come fields 3 (state) onwards:
    // cutime is field 16, cstime field 17 (proc(5)), so indices 13 and 14 here.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    let ticks = output("getconf", &["CLK_TCK"]).parse().unwrap_or(100.0);
    (f.get(13).unwrap_or(&0.0) + f.get(14).unwrap_or(&0.0)) / ticks
}

fn timed_build(
    root: &Path,
    out: &Path,
    name: &str,
    dir: &Path,
    args: &[&str],
    times: &mut BTreeMap<String, f64>,
) -> Result<(), Fail> {
    step(&format!("build: {name}"));
    let (wall, _) = timed(
        Command::new(cargo())
            .args(["build", "--lib", "--locked", "--timings"])
            .args(args)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", dir),
    )?;
    times.insert(name.into(), wall);
    std::fs::copy(dir.join("cargo-timings/cargo-timing.html"), out.join(format!("{name}.html")))
        .map_err(io)?;
    Ok(())
}

/// A tiny program depending on `dependency`, in a new directory with the workspace's lock
/// file, so both programs build the same versions.
fn tiny_program(root: &Path, name: &str, dependency: &str, main: &str) -> Result<PathBuf, Fail> {
    let dir = crate::temp_dir(&format!("meibel-build-cost-{name}")).map_err(fail)?;
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(io)?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(io)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(io)?;
    Ok(dir)
}

/// The reqwest requirement and features `meibel` uses by default, read from Cargo.toml.
fn reqwest_as_meibel_uses_it(root: &Path) -> Result<String, Fail> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).map_err(io)?;
    let line = text
        .lines()
        .find(|l| l.starts_with("reqwest = "))
        .ok_or_else(|| fail("Cargo.toml has no reqwest dependency"))?;
    // The default feature `rustls` adds reqwest's `rustls`.
    Ok(line.replacen("\"multipart\"]", "\"multipart\", \"rustls\"]", 1))
}

struct BuildCost {
    meibel: (f64, f64),
    reqwest: (f64, f64),
}

/// The clean build of a tiny program using `meibel` (default features) against the same
/// program using `reqwest` with the features `meibel` turns on.
fn build_cost(root: &Path) -> Result<BuildCost, Fail> {
    let meibel_dep = format!("meibel = {{ path = {:?} }}", root.display().to_string());
    let reqwest_dep = reqwest_as_meibel_uses_it(root)?;
    let with_meibel = tiny_program(
        root,
        "uses-meibel",
        &meibel_dep,
        "fn main() {\n    let client = meibel::Client::builder().api_key(\"k\").build();\n    println!(\"{}\", client.is_ok());\n}\n",
    )?;
    let with_reqwest = tiny_program(
        root,
        "uses-reqwest",
        &reqwest_dep,
        "fn main() {\n    let client = reqwest::Client::builder().build();\n    println!(\"{}\", client.is_ok());\n}\n",
    )?;
    let build = |dir: &Path| -> Result<(f64, f64), Fail> {
        let target = dir.join("target");
        step(&format!("build cost: clean build of {}", dir.display()));
        timed(
            Command::new(cargo())
                .args(["build", "--offline"])
                .current_dir(dir)
                .env("CARGO_TARGET_DIR", &target),
        )
    };
    let result = (|| Ok(BuildCost { meibel: build(&with_meibel)?, reqwest: build(&with_reqwest)? }))();
    let _ = std::fs::remove_dir_all(&with_meibel);
    let _ = std::fs::remove_dir_all(&with_reqwest);
    result
}

fn run_cost(root: &Path) -> Result<String, Fail> {
    let (started, load_before) = (stamp(), loadavg());
    let cost = build_cost(root)?;
    let cpu = |c: (f64, f64)| c.1;
    let ratio = cpu(cost.meibel) / cpu(cost.reqwest).max(f64::EPSILON);
    let wall_ratio = cost.meibel.0 / cost.reqwest.0.max(f64::EPSILON);
    let verdict = if ratio <= 1.4 { "PASS" } else { "MISS" };
    let mut b = String::from("<!-- cost:begin -->\n");
    b.push_str(&format!(
        "<!-- summary | 6. build cost: clean build of a tiny program using `meibel` vs the same program using `reqwest` with the same features | **{ratio:.2}×** CPU (user+sys {:.0} vs {:.0} s); wall {wall_ratio:.2}× ({:.0} vs {:.0} s) | single builds, run back to back | ≤ 1.4× (CPU) | {verdict} | -->\n",
        cpu(cost.meibel),
        cpu(cost.reqwest),
        cost.meibel.0,
        cost.reqwest.0
    ));
    b.push_str("## Build cost against plain `reqwest`\n\n");
    b.push_str(&format!(
        "Run on {started}; load average {load_before} before, {} after. A tiny program (`fn main` building a client) depending on `meibel` with default features, against the same program depending on `reqwest` with the features `meibel` turns on (`{}`), each `cargo build --offline` (dev profile) from an empty target directory, with the workspace's `Cargo.lock`, one after the other. CPU is the user + system time of cargo and everything it ran (the compilers, build scripts and the code generation), so it counts the work whatever else the machine was doing; wall time moves with the load.\n\n",
        loadavg(),
        reqwest_as_meibel_uses_it(root)?
    ));
    b.push_str("| program | wall s | CPU s (user+sys) |\n| --- | ---: | ---: |\n");
    b.push_str(&format!("| uses `meibel` | {:.1} | {:.1} |\n", cost.meibel.0, cpu(cost.meibel)));
    b.push_str(&format!("| uses `reqwest` | {:.1} | {:.1} |\n", cost.reqwest.0, cpu(cost.reqwest)));
    b.push_str(&format!("| **ratio** | **{wall_ratio:.2}** | **{ratio:.2}** |\n\n"));
    b.push_str("Command: `cargo xtask bench --cost-only` (also part of `--build` and `--build-only`).\n\n<!-- cost:end -->\n");
    Ok(b)
}

fn edit_spec(path: &Path, add: bool) -> Result<(), Fail> {
    let text = std::fs::read_to_string(path).map_err(io)?;
    let mut spec: Value = serde_json::from_str(&text).map_err(io)?;
    let props = spec
        .pointer_mut("/components/schemas/AgentSummary/properties")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| fail("the spec has no AgentSummary properties"))?;
    if add {
        props.insert("bench_note".into(), serde_json::json!({"type": "string", "title": "Bench Note"}));
    } else {
        props.remove("bench_note");
    }
    std::fs::write(path, crate::update_spec::normalise(&spec)).map_err(io)
}

fn run_build(root: &Path, out: &Path) -> Result<String, Fail> {
    let base = std::env::temp_dir().join("meibel-bench-build");
    let spec_dir = out.join("build/spec");
    std::fs::create_dir_all(&spec_dir).map_err(io)?;
    let build_out = out.join("build");
    let (started, load_before) = (stamp(), loadavg());
    let g_default = graph(root, &["-e", "normal,build"]);
    let g_notls = graph(root, &["-e", "normal,build", "--no-default-features"]);
    let g_ring = graph(root, &["-e", "normal,build", "--no-default-features", "--features", "rustls-ring"]);
    let g_runtime = graph(root, &["-e", "normal", "--no-default-features"]);
    let tls_default: BTreeSet<String> = g_default.difference(&g_notls).cloned().collect();
    let tls_ring: BTreeSet<String> = g_ring.difference(&g_notls).cloned().collect();
    let codegen: BTreeSet<String> = g_notls.difference(&g_runtime).cloned().collect();

    let mut times = BTreeMap::new();
    let dir = |n: &str| PathBuf::from(format!("{}-{n}", base.display()));
    for n in ["default", "ring", "notls"] {
        let _ = std::fs::remove_dir_all(dir(n));
    }
    timed_build(root, &build_out, "clean-default", &dir("default"), &[], &mut times)?;
    timed_build(
        root,
        &build_out,
        "clean-ring",
        &dir("ring"),
        &["--no-default-features", "--features", "rustls-ring"],
        &mut times,
    )?;
    timed_build(root, &build_out, "clean-notls", &dir("notls"), &["--no-default-features"], &mut times)?;
    let _ = std::fs::remove_dir_all(dir("ring"));
    let _ = std::fs::remove_dir_all(dir("notls"));

    let spec = spec_dir.join("api-v2.json");
    std::fs::copy(root.join("openapi/api-v2.json"), &spec).map_err(io)?;
    let edit_build = |name: &str, times: &mut BTreeMap<String, f64>| -> Result<(), Fail> {
        step(&format!("build: {name}"));
        let target = dir("default");
        let (wall, _) = timed(
            Command::new(cargo())
                .args(["build", "--lib", "--locked", "--timings"])
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &target)
                .env("MEIBEL_OPENAPI_SPEC", &spec),
        )?;
        times.insert(name.into(), wall);
        std::fs::copy(target.join("cargo-timings/cargo-timing.html"), build_out.join(format!("{name}.html")))
            .map_err(io)?;
        Ok(())
    };
    edit_build("spec-copy", &mut times)?;
    let mut edits = Vec::new();
    for (i, add) in [true, false, true].into_iter().enumerate() {
        edit_spec(&spec, add)?;
        let name = format!("edit-{}-{}", i + 1, if add { "add" } else { "remove" });
        edit_build(&name, &mut times)?;
        edits.push(name);
    }
    let _ = std::fs::remove_dir_all(dir("default"));

    // The report.
    let clean: BTreeMap<&str, Vec<Unit>> = [
        ("default", units(&build_out.join("clean-default.html"))?),
        ("ring", units(&build_out.join("clean-ring.html"))?),
        ("notls", units(&build_out.join("clean-notls.html"))?),
    ]
    .into_iter()
    .collect();
    let wall = |n: &str| times[&format!("clean-{n}")];
    let tls_wall = wall("default") - wall("notls");
    let ring_saves = wall("default") - wall("ring");
    let mut edit_walls: Vec<f64> = edits.iter().map(|e| times[e]).collect();
    edit_walls.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let median = edit_walls[edit_walls.len() / 2];
    let us = &clean["default"];
    let find = |us: &[Unit], target: &str| us.iter().position(|u| u.name == "meibel" && u.target == target);
    let lib = find(us, "").ok_or_else(|| fail("no meibel lib unit in the timings"))?;
    let total = |us: &[Unit], set: Option<&BTreeSet<String>>| -> f64 {
        us.iter().filter(|u| set.is_none_or(|s| s.contains(&u.name))).map(|u| u.duration).sum()
    };
    let mut b = String::from("<!-- build:begin -->\n");
    let rows = [
        format!(
            "| 6. clean build, default features (`cargo build --lib`, dev) | **{:.0} s** wall; TLS ≈ {tls_wall:.0} s = {:.0} % (vs a no-TLS build); generated-code compile (`meibel` lib) {:.1} s = {:.0} % | single builds, run back to back | none set | informational; `rustls-ring` {ring_saves:.0} s shorter, no TLS {tls_wall:.0} s shorter |",
            wall("default"),
            100.0 * tls_wall / wall("default"),
            us[lib].duration,
            100.0 * us[lib].duration / wall("default")
        ),
        format!(
            "| 6. rebuild after a one-field spec edit | **{median:.1} s** wall (median of {} edits) | min–max {:.1}–{:.1} s | none set | informational |",
            edit_walls.len(),
            edit_walls[0],
            edit_walls[edit_walls.len() - 1]
        ),
    ];
    for row in &rows {
        b.push_str(&format!("<!-- summary {row} -->\n"));
    }
    b.push_str("## Build times\n\n");
    b.push_str(&format!(
        "Run on {started}; load average {load_before} before, {} after. Dev profile, one build at a time, back to back, each in an empty `CARGO_TARGET_DIR` under /tmp (crate sources already downloaded).\n\n",
        loadavg()
    ));
    b.push_str("### The crate's own clean builds (`cargo build --lib --locked --timings`)\n\n");
    b.push_str("| clean build | wall s | summed unit time s | TLS-only crates, unit time s | wall vs default |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (n, label, tls) in [
        ("default", "default features (`rustls`, aws-lc-rs)", Some(&tls_default)),
        ("ring", "`--no-default-features --features rustls-ring`", Some(&tls_ring)),
        ("notls", "`--no-default-features` (no TLS: plain HTTP only)", None),
    ] {
        let t = tls.map_or(0.0, |s| total(&clean[n], Some(s)));
        b.push_str(&format!(
            "| {label} | {:.1} | {:.1} | {t:.1} | {:.2} |\n",
            wall(n),
            total(&clean[n], None),
            wall(n) / wall("default")
        ));
    }
    b.push_str(&format!(
        "\nTLS costs the default build about **{tls_wall:.0} s of {:.0} s** of wall time (default − no-TLS build); `rustls-ring` instead of aws-lc-rs saves {ring_saves:.0} s.\n\n",
        wall("default")
    ));
    b.push_str("Where the default clean build's time goes (unit times from `--timings`; with 2 jobs, units overlap, so shares are of the summed unit time; \"alone\" is the time no other unit ran):\n\n");
    b.push_str(
        "| part | unit time s | share of summed unit time | alone s |\n| --- | ---: | ---: | ---: |\n",
    );
    let all_t = total(us, None);
    let script_build = find(us, "build-script").ok_or_else(|| fail("no build-script unit"))?;
    let script_run = find(us, "build-script (run)").ok_or_else(|| fail("no build-script run unit"))?;
    let group = |set: &BTreeSet<String>| -> Vec<usize> {
        (0..us.len()).filter(|i| set.contains(&us[*i].name)).collect()
    };
    let join = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    let parts: Vec<(String, Vec<usize>)> = vec![
        (format!("TLS-only crates: {}", join(&tls_default)), group(&tls_default)),
        (
            format!("build-time generation stack (crates only the build script needs): {}", join(&codegen)),
            group(&codegen),
        ),
        ("`meibel` build script, compile".into(), vec![script_build]),
        ("`meibel` build script, run (generation)".into(), vec![script_run]),
        (
            format!(
                "`meibel` lib, the generated code (frontend {:.1} s, codegen {:.1} s)",
                section(&us[lib], "frontend"),
                section(&us[lib], "codegen")
            ),
            vec![lib],
        ),
    ];
    let mut seen = BTreeSet::new();
    for (label, idx) in &parts {
        seen.extend(idx.iter().copied());
        let t: f64 = idx.iter().map(|i| us[*i].duration).sum();
        let a: f64 = idx.iter().map(|i| alone(us, *i)).sum();
        b.push_str(&format!("| {label} | {t:.1} | {:.0} % | {a:.1} |\n", 100.0 * t / all_t));
    }
    let rest: Vec<usize> = (0..us.len()).filter(|i| !seen.contains(i)).collect();
    let t: f64 = rest.iter().map(|i| us[*i].duration).sum();
    let a: f64 = rest.iter().map(|i| alone(us, *i)).sum();
    b.push_str(&format!(
        "| everything else ({} units) | {t:.1} | {:.0} % | {a:.1} |\n",
        rest.len(),
        100.0 * t / all_t
    ));
    b.push_str(&format!(
        "| **total** ({} units; wall {:.1} s) | {all_t:.1} | 100 % | |\n\n",
        us.len(),
        wall("default")
    ));
    b.push_str("Rebuilds after editing a copy of the spec, in the target directory of the default clean build (`MEIBEL_OPENAPI_SPEC=<copy> cargo build --lib`); the edit adds or removes one property (`bench_note: string`) of the schema `AgentSummary`:\n\n");
    b.push_str("| rebuild | wall s | build script run s | `meibel` lib s | lib frontend s | lib codegen s |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for k in std::iter::once("spec-copy".to_string()).chain(edits.iter().cloned()) {
        let uu = units(&build_out.join(format!("{k}.html")))?;
        let l = find(&uu, "").map(|i| &uu[i]);
        let r = find(&uu, "build-script (run)").map_or(0.0, |i| uu[i].duration);
        let label = if k == "spec-copy" {
            "switch to the unchanged copy (first build with it)".to_string()
        } else {
            let p: Vec<&str> = k.split('-').collect();
            format!("edit {}: {} `AgentSummary.bench_note`", p[1], p[2])
        };
        let lib_t = l.map_or("– | – | –".to_string(), |l| {
            format!("{:.1} | {:.1} | {:.1}", l.duration, section(l, "frontend"), section(l, "codegen"))
        });
        b.push_str(&format!("| {label} | {:.1} | {r:.1} | {lib_t} |\n", times[&k]));
    }
    b.push_str("\nCommands: `cargo xtask bench --build` (or `--build-only`), which runs the builds above; the timing reports are kept in `target/bench/build/*.html`.\n\n<!-- build:end -->\n");
    Ok(b)
}

// ----------------------------------------------------------------------------- report

/// Runs the benchmarks named by the arguments and writes the report.
pub fn run(args: &[String]) -> Result<(), Fail> {
    let (mut runtime, mut build, mut cost, mut quick) = (true, false, false, false);
    for a in args {
        match a.as_str() {
            "--build" => (build, cost) = (true, true),
            "--build-only" => (build, cost, runtime) = (true, true, false),
            "--cost-only" => (cost, runtime) = (true, false),
            "--quick" => quick = true,
            other => return Err(fail(format!("unknown argument {other} (see --help)"))),
        }
    }
    let root = root();
    let out = root.join("target/bench");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(io)?;
    let existing = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
    let runtime_block = if runtime { run_runtime(&root, quick)? } else { carried(&existing, "runtime") };
    let cost_block = if cost { run_cost(&root)? } else { carried(&existing, "cost") };
    let build_block = if build { run_build(&root, &out)? } else { carried(&existing, "build") };

    let mut r = String::new();
    r.push_str("# Benchmarks\n\n");
    r.push_str("Written by `cargo xtask bench`; every figure is a ratio (or a size) measured within one run, with the\nvariants interleaved in rotating order round after round, so that load from other processes hits them\nalike. Medians, with the spread across rounds. 2-core machine: absolute figures move with the load,\nthe ratios much less.\n\n");
    r.push_str("## Summary\n\n| item | figure (ratio within one run) | noise | target | verdict |\n| --- | --- | --- | --- | --- |\n");
    for row in summary_rows(&runtime_block)
        .into_iter()
        .chain(summary_rows(&cost_block))
        .chain(summary_rows(&build_block))
    {
        r.push_str(&row);
        r.push('\n');
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(String::new(), |kb| format!("{:.1} GiB", kb / 1_048_576.0));
    let dirty = !Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", "src", "codegen", "build.rs", "openapi", "Cargo.lock"])
        .current_dir(&root)
        .status()
        .is_ok_and(|s| s.success());
    r.push_str("\n## Machine\n\n| | |\n| --- | --- |\n");
    r.push_str(&format!(
        "| date | {} |\n| CPU | {cpu} |\n| nproc | {} |\n| memory | {mem} |\n",
        stamp(),
        output("nproc", &[])
    ));
    r.push_str(&format!(
        "| kernel | {} |\n| rustc | {} |\n| cargo | {} |\n",
        output("uname", &["-sr"]),
        output("rustc", &["-V"]),
        output(&cargo(), &["-V"])
    ));
    r.push_str(&format!(
        "| commit | {}{} |\n",
        output("git", &["rev-parse", "--short", "HEAD"]),
        if dirty { " (with uncommitted changes to the crate)" } else { "" }
    ));
    r.push_str("\n## Commands\n\n```sh\n");
    r.push_str("cargo xtask bench             # builds with `cargo bench --locked --no-run`, runs every bench binary, writes this file\n");
    r.push_str("cargo xtask bench --build     # the same, plus the build timings and the build cost against reqwest (slow)\n");
    r.push_str("cargo xtask bench --build-only  # only the build timings and the build cost\n");
    r.push_str("cargo xtask bench --cost-only   # only the build cost against plain reqwest\n");
    r.push_str("cargo xtask bench --quick     # smoke run of the harness (figures not meaningful)\n");
    r.push_str(
        "cargo bench --bench overhead      # one bench alone; likewise concurrency, decode, upload, sse\n",
    );
    r.push_str("cargo bench --bench overhead -- --quick\n```\n\n");
    r.push_str(&runtime_block);
    r.push('\n');
    r.push_str(&cost_block);
    r.push('\n');
    r.push_str(&build_block);
    r.push('\n');
    if build_block.trim().is_empty() {
        r.push_str("Build timings not run yet: `cargo xtask bench --build`.\n");
    }
    if let Ok(findings) = std::fs::read_to_string(root.join("benches/FINDINGS.md")) {
        r.push_str(&findings);
    }
    let report = if quick { out.join("BENCHMARKS.quick.md") } else { root.join("BENCHMARKS.md") };
    std::fs::write(&report, r).map_err(io)?;
    step(&format!("wrote {}", report.display()));
    Ok(())
}
