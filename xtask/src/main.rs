//! `cargo xtask <task>`: see the crate documentation of `xtask` for the tasks.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{fail, update_spec};

const USAGE: &str = "\
cargo xtask <task> [arguments]

  test [PART...]            the whole suite (installs the pinned tools and test peers), or
                            only some parts: spec lints tests examples packaging variants zoo bump
  update-spec [SOURCE]      vendor a new API description, print the change report (--help)
  spec-diff OLD NEW         the change report between two documents (--json for JSON)
  variants SPEC OUT_DIR     write subset.json and superset.json of SPEC into OUT_DIR
  facts FACTS SPEC          compare SPEC with the API reference facts
  msrv                      check the dependencies' rust-version against the crate's
  bench [--build | --build-only | --cost-only | --quick]
                            run the benchmarks and write BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        println!("{}", if task == "update-spec" || task == "spec-diff" { update_spec::USAGE } else { USAGE });
        return ExitCode::SUCCESS;
    }
    let result = match task.as_str() {
        "test" => xtask::test::suite(rest),
        "update-spec" | "spec-diff" => {
            let mut rest = rest.to_vec();
            if task == "spec-diff" {
                rest.insert(0, "--report-only".into());
            }
            return match update_spec::Options::parse(&rest) {
                Ok(options) => ExitCode::from(update_spec::run(&options, &mut std::io::stdout()) as u8),
                Err(e) => {
                    eprintln!("{task}: {e}\n\n{}", update_spec::USAGE);
                    ExitCode::from(2)
                }
            };
        }
        "variants" => match rest {
            [spec, out] => xtask::variants::write(&PathBuf::from(spec), &PathBuf::from(out)).map_err(fail),
            _ => Err(fail("usage: cargo xtask variants SPEC OUT_DIR")),
        },
        "facts" => match rest {
            [facts, spec] => facts_task(facts, spec),
            _ => Err(fail("usage: cargo xtask facts FACTS SPEC")),
        },
        "msrv" => match xtask::msrv::run(&xtask::root()) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::FAILURE,
            Err(e) => Err(fail(e)),
        },
        "bench" => xtask::bench::run(rest),
        other => Err(fail(format!("unknown task {other:?}\n\n{USAGE}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn facts_task(facts: &str, spec: &str) -> Result<(), xtask::Fail> {
    let read = |p: &str| -> Result<serde_json::Value, xtask::Fail> {
        let text = std::fs::read_to_string(p).map_err(|e| fail(format!("cannot read {p}: {e}")))?;
        serde_json::from_str(&text).map_err(|e| fail(format!("{p}: {e}")))
    };
    let report = xtask::facts::check(&read(facts)?, &read(spec)?);
    report.lines.iter().for_each(|l| println!("{l}"));
    println!("spec-vs-facts: {} passed, {} failed", report.passed, report.failed);
    if report.failed > 0 { Err(fail("the spec differs from the facts")) } else { Ok(()) }
}
