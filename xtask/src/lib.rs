//! Maintainer tasks of the `meibel` workspace, run as `cargo xtask <task>`:
//!
//! - `test`: the whole suite, with the tools and peers it needs;
//! - `update-spec [SOURCE]`: vendor a new API description and print the change report;
//! - `spec-diff OLD NEW`: the change report between two documents;
//! - `variants SPEC OUT_DIR`: the subset and superset documents the crate must build from;
//! - `facts FACTS SPEC`: compare a document with the API reference facts;
//! - `msrv`: the dependencies' `rust-version` against the crate's;
//! - `bench`: the benchmarks, written to BENCHMARKS.md.

pub mod bench;
pub mod facts;
pub mod msrv;
pub mod spec_diff;
pub mod test;
pub mod update_spec;
pub mod variants;

use std::path::PathBuf;

/// A failed task, with the reason.
#[derive(Debug)]
pub struct Fail(pub String);

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A failure with this reason.
pub fn fail(reason: impl Into<String>) -> Fail {
    Fail(reason.into())
}

/// The workspace root (the directory of the `meibel` package).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// The cargo that runs this task.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// A new, empty directory under the system's temporary directory.
pub fn temp_dir(prefix: &str) -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{prefix}.{}.{nanos}.{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err("cannot create a temporary directory".into())
}
