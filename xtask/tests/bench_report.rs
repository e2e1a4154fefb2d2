//! The checked-in BENCHMARKS.md survives a partial `cargo xtask bench` run: only the
//! measured block and its summary rows change, and putting the old block back gives the
//! file byte for byte.

use xtask::bench::report::{carried, splice};

#[test]
fn a_cost_only_run_keeps_the_rest_of_the_checked_in_report() {
    let path = xtask::root().join("BENCHMARKS.md");
    let original = std::fs::read_to_string(&path).expect("BENCHMARKS.md is checked in");
    let old_cost = carried(&original, "cost");
    assert!(old_cost.starts_with("<!-- cost:begin -->\n"), "the report has a cost block");
    let new_cost = "<!-- cost:begin -->\n<!-- summary | 6. build cost, test row | **9.99×** | n | t | MISS | -->\nfresh\n<!-- cost:end -->\n";
    let after = splice(&original, &[("cost", new_cost)], None).expect("the report has a summary table");
    assert!(after.contains("| 6. build cost, test row | **9.99×** | n | t | MISS |\n"));
    assert!(after.contains(new_cost));
    assert!(!after.contains(&old_cost));
    // Everything before the summary table (the hand-written sections) is untouched.
    let head = &original[..original.find("## Summary").expect("summary heading")];
    assert!(after.starts_with(head));
    assert_eq!(carried(&after, "runtime"), carried(&original, "runtime"));
    assert_eq!(carried(&after, "build"), carried(&original, "build"));
    let back = splice(&after, &[("cost", &old_cost)], None).expect("still has a summary table");
    assert_eq!(back, original);
}
