//! `cargo xtask test`: the whole suite. Installs the pinned tools it needs (npm packages
//! from tools/package-lock.json, Python packages from tools/requirements.txt and, when
//! present, the FastAPI zoo's tests/fastapi-zoo/requirements.txt; run as root on Debian,
//! the few system packages named below), then runs every check: the spec, formatting and
//! lints, the Rust tests including the suites that need those peers, the examples, the
//! packaging, builds against spec variants and a spec bump rehearsed in a copy.

use crate::{Fail, cargo, fail, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Prints a part's heading with the time since the suite started, so a slow part shows
/// in any log of the run.
fn step(name: &str) {
    static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let at = STARTED.get_or_init(Instant::now).elapsed().as_secs();
    println!("\n== {name} (at {}:{:02})", at / 60, at % 60);
}

/// Runs a command with inherited output; an error when it fails.
fn run(cmd: &mut Command) -> Result<(), Fail> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| fail(format!("cannot run {shown}: {e}")))?;
    if status.success() { Ok(()) } else { Err(fail(format!("failed ({status}): {shown}"))) }
}

fn cargo_in(dir: &Path) -> Command {
    let mut c = Command::new(cargo());
    c.current_dir(dir);
    c
}

fn have(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

/// Debian packages the suite needs beyond Rust, Node.js and Python: OpenSSL's headers and
/// pkg-config (the native-tls backend builds against them), and venv for the Python tools.
fn system_packages() -> Result<(), Fail> {
    let mut missing = Vec::new();
    if !have("pkg-config", &["--exists", "openssl"]) {
        missing.extend(["libssl-dev", "pkg-config"]);
    }
    if !have("python3", &["-c", "import ensurepip, venv"]) {
        missing.push("python3-venv");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if is_root && have("apt-get", &["--version"]) {
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    } else {
        Err(fail(format!(
            "missing: {} (Debian/Ubuntu package names); install them, or run as root to have them installed",
            missing.join(" ")
        )))
    }
}

/// A virtual environment at `venv` with the pinned packages of `requirements`, made again
/// when the requirements change.
fn python_env(venv: &Path, requirements: &Path) -> Result<(), Fail> {
    let wanted = std::fs::read(requirements)
        .map_err(|e| fail(format!("cannot read {}: {e}", requirements.display())))?;
    let stamp = venv.join("requirements.installed");
    if std::fs::read(&stamp).is_ok_and(|have| have == wanted) && venv.join("bin/python").exists() {
        return Ok(());
    }
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "--require-virtualenv", "-r"])
        .arg(requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| fail(format!("cannot write {}: {e}", stamp.display())))
}

fn tools(root: &Path) -> Result<(), Fail> {
    step("tools");
    system_packages()?;
    run(Command::new("npm")
        .args(["ci", "--prefix", "tools", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(root))?;
    python_env(&root.join("tools/.venv"), &root.join("tools/requirements.txt"))?;
    let zoo = root.join("tests/fastapi-zoo/requirements.txt");
    if zoo.exists() {
        python_env(&root.join("tests/fastapi-zoo/.venv"), &zoo)?;
    }
    Ok(())
}

fn spec_checks(root: &Path) -> Result<(), Fail> {
    step("spec: OpenAPI 3.1 validation");
    run(Command::new(root.join("tools/.venv/bin/openapi-spec-validator"))
        .arg("openapi/api-v2.json")
        .current_dir(root))?;

    step("spec: lint");
    // Redocly exits 0 on warnings: any line of its summary is a finding.
    let redocly = root.join("tools/node_modules/.bin/redocly");
    let lint = |summary: bool| {
        let mut c = Command::new(&redocly);
        c.args(["lint", "--config", "tools/redocly.yaml"]).current_dir(root);
        if summary {
            c.arg("--format=summary");
        }
        c.arg("openapi/api-v2.json");
        c
    };
    let out = lint(true).output().map_err(|e| fail(format!("cannot run redocly: {e}")))?;
    if !out.status.success() {
        let _ = lint(false).status();
        return Err(fail("spec lint failed"));
    }
    let findings = String::from_utf8_lossy(&out.stdout);
    if !findings.trim().is_empty() {
        print!("{findings}");
        return Err(fail("spec lint: findings above"));
    }
    println!("spec lint: clean");

    step("spec: update-spec and the change report (the spec-bump cases)");
    run(cargo_in(root).args(["test", "--locked", "--package", "xtask", "--", "--include-ignored"]))?;

    let facts_path = root.join("../shared/reference/meibel-api-v2-facts.json");
    if !facts_path.exists() {
        step(&format!("spec: reference facts not found at {} (maintainer check only)", facts_path.display()));
        return Ok(());
    }
    let read = |p: &Path| -> Result<serde_json::Value, Fail> {
        let text =
            std::fs::read_to_string(p).map_err(|e| fail(format!("cannot read {}: {e}", p.display())))?;
        serde_json::from_str(&text).map_err(|e| fail(format!("{}: {e}", p.display())))
    };
    let (facts, spec) = (read(&facts_path)?, read(&root.join("openapi/api-v2.json"))?);
    let facts_version = crate::facts::api_version(&facts).unwrap_or("?").to_string();
    let spec_version = spec.pointer("/info/version").and_then(|v| v.as_str()).unwrap_or("?");
    // The facts describe one version of the API: once a spec bump moves past it, the
    // published description is the reference and this check has nothing to say.
    if spec_version != facts_version {
        step(&format!(
            "spec: API {spec_version} is past the reference facts ({facts_version}): not compared"
        ));
        return Ok(());
    }
    step(&format!("spec: against the reference facts of API {facts_version}"));
    let report = crate::facts::check(&facts, &spec);
    report.lines.iter().for_each(|l| println!("{l}"));
    println!("spec-vs-facts: {} passed, {} failed", report.passed, report.failed);
    if report.failed > 0 { Err(fail("the spec differs from the reference facts")) } else { Ok(()) }
}

fn lints(root: &Path) -> Result<(), Fail> {
    step("minimum supported Rust version");
    if !crate::msrv::run(root).map_err(fail)? {
        return Err(fail("a dependency needs a newer Rust than rust-version"));
    }

    step("format and lints");
    run(cargo_in(root).args(["fmt", "--all", "--", "--check"]))?;
    // With the features every target builds; without them, the library alone (the tests
    // and examples need `mock`).
    for (targets, features) in [("--all-targets", &["--features", "mock,tracing"][..]), ("--lib", &[])] {
        run(cargo_in(root)
            .args(["clippy", targets, "--locked"])
            .args(features)
            .args(["--", "-D", "warnings"]))?;
    }
    // The docs as docs.rs builds them (every feature) and as a default build has them.
    for features in [&["--all-features"][..], &[]] {
        run(cargo_in(root)
            .args(["doc", "--no-deps", "--locked"])
            .args(features)
            .env("RUSTDOCFLAGS", "-D warnings"))?;
    }
    run(cargo_in(root).args([
        "clippy",
        "--package",
        "xtask",
        "--package",
        "testkit",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))
}

/// The examples, offline; the README's main command is the tour, which must complete.
fn examples(root: &Path) -> Result<(), Fail> {
    step("the examples, offline (the README's main command is the tour)");
    for example in ["tour", "upload", "chat", "listing", "errors"] {
        let out = cargo_in(root)
            .args(["run", "--quiet", "--locked", "--example", example])
            .env_remove("MEIBEL_API_KEY")
            .env_remove("MEIBEL_BASE_URL")
            .output()
            .map_err(|e| fail(format!("cannot run the example {example}: {e}")))?;
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            print!("{text}");
            return Err(fail(format!("example {example} failed")));
        }
        let last = text.lines().last().unwrap_or("");
        println!("{example}: {} lines, last: {last}", text.lines().count());
        if example == "tour" && last != "tour complete" {
            print!("{text}");
            return Err(fail("the tour did not complete"));
        }
    }
    Ok(())
}

fn packaging(root: &Path) -> Result<(), Fail> {
    step("TLS backends");
    run(cargo_in(root).args([
        "test",
        "--locked",
        "--lib",
        "--no-default-features",
        "--features",
        "rustls-ring",
    ]))?;
    run(cargo_in(root).args([
        "test",
        "--locked",
        "--lib",
        "--no-default-features",
        "--features",
        "native-tls",
    ]))?;

    step("packaging: the published crate builds from what it contains");
    forget_unpacked_codegen();
    let out = cargo_in(root)
        .args(["publish", "--workspace", "--dry-run", "--locked", "--allow-dirty"])
        .output()
        .map_err(|e| fail(format!("cannot run cargo publish: {e}")))?;
    let text = String::from_utf8_lossy(&out.stderr);
    for line in text.lines() {
        let noise = ["test", "benchmark", "example"]
            .iter()
            .any(|k| line.starts_with(&format!("warning: ignoring {k} ")));
        if !noise {
            println!("{line}");
        }
    }
    if !out.status.success() {
        return Err(fail("cargo publish --dry-run failed"));
    }
    packaged_tour(root)
}

/// Cargo unpacks the dry run's copy of `meibel-codegen` under `$CARGO_HOME/registry/src`
/// and reuses an earlier unpacked copy of the same version, stale when the crate changed
/// since: remove those copies of our own lockstep crate (and nothing else) first.
fn forget_unpacked_codegen() {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry/src")) else { return };
    for registry in std::fs::read_dir(src).into_iter().flatten().flatten() {
        for entry in std::fs::read_dir(registry.path()).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with("meibel-codegen-") {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// The tour runs from the published package as a user who downloaded it would run it:
/// `cargo package`, unpack the .crate, `cargo run --example tour` there, offline, with no
/// feature flag. meibel-codegen is published in lockstep with meibel; until this version of
/// it is on crates.io, the unpacked crate is pointed at its packaged copy.
fn packaged_tour(root: &Path) -> Result<(), Fail> {
    step("the tour from the published package");
    let out = cargo_in(root)
        .args(["package", "--package", "meibel", "--package", "meibel-codegen"])
        .args(["--no-verify", "--locked", "--allow-dirty"])
        .output()
        .map_err(|e| fail(format!("cannot run cargo package: {e}")))?;
    if !out.status.success() {
        print!("{}", String::from_utf8_lossy(&out.stderr));
        return Err(fail("cargo package failed"));
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| fail(e.to_string()))?;
    let version = manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| fail("no package version in Cargo.toml"))?
        .to_string();
    let dir = crate::temp_dir("meibel-package").map_err(fail)?;
    let result = (|| {
        for name in ["meibel", "meibel-codegen"] {
            let krate = root.join(format!("target/package/{name}-{version}.crate"));
            run(Command::new("tar").arg("-xzf").arg(&krate).arg("-C").arg(&dir))?;
        }
        let codegen = dir.join(format!("meibel-codegen-{version}"));
        let out = cargo_in(&dir.join(format!("meibel-{version}")))
            .args(["run", "--quiet", "--example", "tour", "--config"])
            .arg(format!("patch.crates-io.meibel-codegen.path={:?}", codegen.display().to_string()))
            .env_remove("MEIBEL_API_KEY")
            .env_remove("MEIBEL_BASE_URL")
            .env("CARGO_TARGET_DIR", root.join("target"))
            .output()
            .map_err(|e| fail(format!("cannot run cargo: {e}")))?;
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let last = text.lines().last().unwrap_or_default();
        if !out.status.success() || last != "tour complete" {
            print!("{text}");
            return Err(fail("the tour does not run from the package"));
        }
        println!("packaged tour: {} lines, last: {last}", text.lines().count());
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn spec_variants(root: &Path) -> Result<PathBuf, Fail> {
    step("builds against other specs");
    let dir = root.join("target/spec-variants");
    crate::variants::write(&root.join("openapi/api-v2.json"), &dir).map_err(fail)?;
    for variant in ["subset", "superset"] {
        run(cargo_in(root)
            .args(["test", "--locked", "--test", "spec_variants"])
            .env("MEIBEL_OPENAPI_SPEC", dir.join(format!("{variant}.json"))))?;
    }
    Ok(dir.join("superset.json"))
}

/// The crate built from a real FastAPI app's document (tests/fastapi-zoo), then every
/// operation called end to end against that app on loopback (tests/fastapi_zoo.rs). The
/// build must have nothing to say: no warning from rustc and none from the build step,
/// whose warnings name what it could take only in a lesser form. The zoo's minimal app
/// (JSON routes without any parameter: no path parameter, no documented error body, none
/// of the constructs that need the build step's own emitters) must build without a
/// warning too.
fn fastapi_zoo(root: &Path) -> Result<(), Fail> {
    step("FastAPI zoo: build from its documents without a warning, round-trip every operation");
    let python = root.join("tests/fastapi-zoo/.venv/bin/python");
    let dir = root.join("target/fastapi-zoo");
    std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let app = root.join("tests/fastapi-zoo/app.py");
    let minimal = dir.join("fastapi-zoo-minimal.json");
    run(Command::new(&python).arg(&app).arg("dump-minimal").arg(&minimal))?;
    build_without_warnings(root, &minimal)?;
    let doc = dir.join("fastapi-zoo.json");
    run(Command::new(&python).arg(&app).arg("dump").arg(&doc))?;
    build_without_warnings(root, &doc)?;
    run(cargo_in(root)
        .args([
            "test",
            "--locked",
            "--features",
            "patterns",
            "--test",
            "fastapi_zoo",
            "--",
            "--include-ignored",
        ])
        .env("MEIBEL_OPENAPI_SPEC", &doc))
}

/// Builds the library from `doc`; fails on any warning or error, rustc's or the build
/// step's (`warning: meibel@...: meibel: ...`).
fn build_without_warnings(root: &Path, doc: &Path) -> Result<(), Fail> {
    // Default features, as a user builds it (the zoo's `pattern` constraints are then left
    // to the server; its test below turns the feature `patterns` on to check them).
    let out = cargo_in(root)
        .args(["build", "--locked", "--lib", "--message-format=short"])
        .env("MEIBEL_OPENAPI_SPEC", doc)
        .output()
        .map_err(|e| fail(format!("cannot run cargo: {e}")))?;
    let text = String::from_utf8_lossy(&out.stderr);
    let said = |l: &&str| {
        l.starts_with("warning")
            || l.starts_with("error")
            || l.contains(": warning:")
            || l.contains(": error")
    };
    if !out.status.success() || text.lines().any(|l| said(&l)) {
        print!("{text}");
        return Err(fail(format!("the build from {} failed or has warnings", doc.display())));
    }
    Ok(())
}

/// Copies the files git knows (tracked and untracked, not ignored) into `to`.
fn copy_tree(root: &Path, to: &Path) -> Result<(), Fail> {
    let out = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(fail("git ls-files failed"));
    }
    for name in out.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let (from, dest) = (root.join(&name), to.join(&name));
        if !from.exists() {
            continue; // deleted in the work tree, not yet in the index
        }
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::copy(&from, &dest).map_err(|e| fail(format!("cannot copy {name}: {e}")))?;
    }
    Ok(())
}

/// A spec bump end to end: update-spec to the superset in a copy, then every test there.
/// The copy holds the crate as it is here; only openapi/api-v2.json changes, by update-spec.
/// Nothing else may need an edit.
fn bump_rehearsal(root: &Path, superset: &Path) -> Result<(), Fail> {
    step("a spec bump end to end: update-spec to the superset in a copy, then every test there");
    let bump = crate::temp_dir("meibel-bump").map_err(fail)?;
    let result = (|| {
        copy_tree(root, &bump)?;
        for peer in ["tools/node_modules", "tools/.venv", "tests/fastapi-zoo/.venv"] {
            if root.join(peer).exists() {
                std::os::unix::fs::symlink(root.join(peer), bump.join(peer))
                    .map_err(|e| fail(format!("cannot link {peer}: {e}")))?;
            }
        }
        let options = crate::update_spec::Options {
            source: Some(superset.display().to_string()),
            root: Some(bump.clone()),
            ..Default::default()
        };
        let mut report = Vec::new();
        if crate::update_spec::run(&options, &mut report) != 0 {
            return Err(fail("update-spec failed in the copy"));
        }
        let report = String::from_utf8_lossy(&report);
        let line = "- `getWidget` (`GET /widgets/{widget_id}`): new method `Client::get_widget()`";
        if !report.lines().any(|l| l.starts_with(line)) {
            print!("{report}");
            return Err(fail("spec bump: the report does not list the new operation"));
        }
        let before = std::fs::read(root.join("openapi/api-v2.json")).map_err(|e| fail(e.to_string()))?;
        if std::fs::read(bump.join("openapi/api-v2.json")).is_ok_and(|after| after == before) {
            return Err(fail("spec bump: nothing was written"));
        }
        run(cargo_in(&bump)
            .args(["test", "--locked", "--features", "mock,tracing", "--", "--include-ignored"])
            .env("CARGO_TARGET_DIR", root.join("target")))
    })();
    let _ = std::fs::remove_dir_all(&bump);
    forget_workspace_builds(&root.join("target"));
    result
}

/// The copy's crates share the target directory with the checkout's (to reuse the
/// dependencies) and their artifacts' names, and their files are newer than the
/// checkout's: a later build here would take the copy's artifacts (built from another
/// spec, naming paths that are gone) as fresh. Forgetting the fingerprints of the
/// workspace's own crates makes the next build here compile them again.
fn forget_workspace_builds(target: &Path) {
    for profile in ["debug", "release"] {
        let dir = target.join(profile).join(".fingerprint");
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = ["meibel-", "meibel-codegen-", "testkit-"].iter().any(|p| {
                name.strip_prefix(p).is_some_and(|rest| rest.chars().all(|c| c.is_ascii_hexdigit()))
            });
            if ours {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// The parts of the suite, in the order they run; `cargo xtask test NAME...` runs only
/// the named ones (the tools are installed first whenever a named part needs them).
pub const PARTS: [&str; 8] = ["spec", "lints", "tests", "examples", "packaging", "variants", "zoo", "bump"];

/// Runs the whole suite, or only the parts named in `only` (see [`PARTS`]).
pub fn suite(only: &[String]) -> Result<(), Fail> {
    if let Some(unknown) = only.iter().find(|p| !PARTS.contains(&p.as_str())) {
        return Err(fail(format!("no part {unknown:?} in the suite; the parts: {}", PARTS.join(", "))));
    }
    let wanted = |part: &str| only.is_empty() || only.iter().any(|p| p == part);
    let started = Instant::now();
    let root = root();
    if ["spec", "tests", "zoo", "bump"].iter().any(|p| wanted(p)) {
        tools(&root)?;
    }
    if wanted("spec") {
        spec_checks(&root)?;
    }
    if wanted("lints") {
        lints(&root)?;
    }
    if wanted("tests") {
        step("tests (the suites with external peers included)");
        run(cargo_in(&root).args([
            "test",
            "--locked",
            "--features",
            "mock,tracing",
            "--",
            "--include-ignored",
        ]))?;
    }
    if wanted("examples") {
        examples(&root)?;
    }
    if wanted("packaging") {
        packaging(&root)?;
    }
    let superset = if wanted("variants") || wanted("bump") { Some(spec_variants(&root)?) } else { None };
    if wanted("zoo") {
        fastapi_zoo(&root)?;
    }
    if let (true, Some(superset)) = (wanted("bump"), superset) {
        bump_rehearsal(&root, &superset)?;
    }
    let what = if only.is_empty() { "all checks".to_string() } else { only.join(", ") };
    step(&format!("{what} passed in {:.0} s", started.elapsed().as_secs_f64()));
    Ok(())
}
