#!/usr/bin/env python3
"""Checks the crate's `rust-version` against what it depends on.

Only one toolchain is available where the tests run, so the minimum supported Rust
version cannot be proven by compiling with it. Two checks stand in for that:
- this script: no crate the library or its build script depends on (for any feature of
  `meibel`) declares a `rust-version` newer than `meibel`'s own;
- clippy's `incompatible_msrv` lint (run with `-D warnings` by scripts/test), which flags
  any use of a standard-library item stabilised after `rust-version`.
"""
import json
import subprocess
import sys


def version(v):
    parts = [int(x) for x in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--all-features"],
        check=True, capture_output=True, text=True).stdout
    meta = json.loads(out)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    msrv = packages[root].get("rust_version")
    if not msrv:
        print("msrv: Cargo.toml sets no rust-version")
        return 1
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes[node]["deps"]:
            # Dev-dependencies do not reach users of the crate.
            if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                stack.append(dep["pkg"])
    newer = sorted(
        (packages[p]["name"], packages[p]["version"], packages[p]["rust_version"])
        for p in seen
        if packages[p].get("rust_version") and version(packages[p]["rust_version"]) > version(msrv))
    for name, ver, rv in newer:
        print(f"msrv: {name} {ver} needs Rust {rv}, newer than rust-version {msrv}")
    print(f"msrv: {len(seen) - 1} dependencies checked against rust-version {msrv}: "
          f"{'ok' if not newer else f'{len(newer)} too new'}")
    return 1 if newer else 0


if __name__ == "__main__":
    sys.exit(main())
