//! Writing a run's results into an existing BENCHMARKS.md without disturbing the rest of it.
//!
//! Each measured part of the report sits between `<!-- NAME:begin -->` and
//! `<!-- NAME:end -->`, and its rows of the summary table are repeated in the block as
//! `<!-- summary ... -->` comment lines. A run replaces the blocks it measured, swaps
//! the summary rows those blocks owned for the new ones, and refreshes the machine
//! table; every other line (hand-written sections, blocks it did not measure, their
//! rows, the notes at the end) stays exactly as it was.

/// The byte range of the block `name` in `report`: from the start of its begin marker's
/// line to just past its end marker's line (with the line break, if any).
fn block_range(report: &str, name: &str) -> Option<(usize, usize)> {
    let (begin, end) = (format!("<!-- {name}:begin -->"), format!("<!-- {name}:end -->"));
    let mut start = None;
    let mut at = 0;
    for line in report.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if start.is_none() && bare == begin {
            start = Some(at);
        }
        at += line.len();
        if let Some(s) = start
            && bare == end
        {
            return Some((s, at));
        }
    }
    None
}

/// The block between `<!-- NAME:begin -->` and `<!-- NAME:end -->` of the report, markers
/// included, or an empty string.
pub fn carried(report: &str, name: &str) -> String {
    block_range(report, name).map_or_else(String::new, |(s, e)| {
        let mut b = report[s..e].to_string();
        if !b.ends_with('\n') {
            b.push('\n');
        }
        b
    })
}

/// The summary table rows a block carries in its `<!-- summary ... -->` lines.
pub fn summary_rows(block: &str) -> Vec<String> {
    block
        .lines()
        .filter_map(|l| l.strip_prefix("<!-- summary ").and_then(|l| l.strip_suffix(" -->")))
        // A row is a table row whether or not its block wrote the leading `| `.
        .map(|l| if l.starts_with('|') { l.to_string() } else { format!("| {l}") })
        .collect()
}

/// The index range of the summary table's rows (after its header and separator lines).
fn summary_table(lines: &[String]) -> Option<(usize, usize)> {
    let heading = lines.iter().position(|l| l == "## Summary")?;
    let first = heading + 1 + lines[heading + 1..].iter().position(|l| l.starts_with('|'))?;
    let end = first + lines[first..].iter().take_while(|l| l.starts_with('|')).count();
    // Header and separator come first; the rows follow.
    Some(((first + 2).min(end), end))
}

/// Swap the summary rows `old` for `new` in the table: the new rows go where the first old
/// row was, or after the last row when the table held none of them.
fn swap_rows(lines: &mut Vec<String>, old: &[String], new: &[String]) -> Option<()> {
    let (start, end) = summary_table(lines)?;
    let mut at = None;
    let mut i = start;
    let mut end = end;
    while i < end {
        if old.contains(&lines[i]) {
            at.get_or_insert(i);
            lines.remove(i);
            end -= 1;
        } else {
            i += 1;
        }
    }
    let at = at.unwrap_or(end);
    for (k, row) in new.iter().enumerate() {
        lines.insert(at + k, row.clone());
    }
    Some(())
}

/// Replace the section that starts with the line `heading` (up to the next `## ` heading)
/// by `section`; nothing changes when the report has no such section.
fn replace_section(report: &str, heading: &str, section: &str) -> String {
    let Some(start) = report.find(&format!("\n{heading}\n")).map(|i| i + 1) else {
        return report.to_string();
    };
    let end =
        report[start + heading.len()..].find("\n## ").map_or(report.len(), |i| start + heading.len() + i + 1);
    format!("{}{section}{}", &report[..start], &report[end..])
}

/// `existing` with the `measured` blocks (name, new block text with its markers) put in
/// place of the old ones and their summary rows swapped, and the `## Machine` section
/// replaced by `machine` when given. `None` when `existing` has no summary table to update
/// (a fresh report is written then).
pub fn splice(existing: &str, measured: &[(&str, &str)], machine: Option<&str>) -> Option<String> {
    let mut lines: Vec<String> = existing.lines().map(str::to_string).collect();
    summary_table(&lines)?;
    for (name, new) in measured {
        swap_rows(&mut lines, &summary_rows(&carried(existing, name)), &summary_rows(new))?;
    }
    let mut report = lines.join("\n");
    if existing.ends_with('\n') {
        report.push('\n');
    }
    for (name, new) in measured {
        report = match block_range(&report, name) {
            Some((s, e)) => format!("{}{new}{}", &report[..s], &report[e..]),
            None => {
                // A block the report never had goes after the last block it has.
                let at = report.rfind(":end -->\n").map_or(report.len(), |i| i + ":end -->\n".len());
                format!("{}\n{new}{}", &report[..at], &report[at..])
            }
        };
    }
    if let Some(machine) = machine {
        report = replace_section(&report, "## Machine", machine);
    }
    Some(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXISTING: &str = "# Benchmarks\n\nIntro.\n\n## Client CPU per call\n\nWritten by hand: 1.042.\n\n\
## Summary\n\n| item | figure | noise | target | verdict |\n| --- | --- | --- | --- | --- |\n\
| 1a. overhead | **1.07** | x | y | MISS |\n| hand row | 1 | 2 | 3 | PASS |\n| 6. cost | **1.86×** | s | t | MISS |\n\
| 6. build | **92 s** | s | t | info |\n\n## Machine\n\n| date | old |\n\n## Commands\n\nkeep me\n\n\
<!-- runtime:begin -->\n<!-- summary | 1a. overhead | **1.07** | x | y | MISS | -->\nruntime text\n<!-- runtime:end -->\n\n\
<!-- cost:begin -->\n<!-- summary | 6. cost | **1.86×** | s | t | MISS | -->\nold cost text\n<!-- cost:end -->\n\n\
<!-- build:begin -->\n<!-- summary | 6. build | **92 s** | s | t | info | -->\nbuild text\n<!-- build:end -->\n\n\
## Reading the figures\n\nNotes by hand.\n";

    #[test]
    fn a_partial_run_replaces_only_its_block_its_rows_and_the_machine_table() {
        let cost = "<!-- cost:begin -->\n<!-- summary | 6. cost | **1.50×** | s | t | MISS | -->\nnew cost text\n<!-- cost:end -->\n";
        let got = splice(EXISTING, &[("cost", cost)], Some("## Machine\n\n| date | new |\n\n"))
            .expect("has a summary");
        let want = EXISTING
            .replace("| 6. cost | **1.86×** | s | t | MISS |\n", "| 6. cost | **1.50×** | s | t | MISS |\n")
            .replace(
                "<!-- summary | 6. cost | **1.86×** | s | t | MISS | -->\nold cost text",
                "<!-- summary | 6. cost | **1.50×** | s | t | MISS | -->\nnew cost text",
            )
            .replace("| date | old |", "| date | new |");
        assert_eq!(got, want);
        assert!(got.contains("## Client CPU per call\n\nWritten by hand: 1.042.\n"));
        assert!(got.contains("| hand row | 1 | 2 | 3 | PASS |\n"));
        assert!(got.contains("<!-- runtime:begin -->\n<!-- summary | 1a. overhead | **1.07** | x | y | MISS | -->\nruntime text\n"));
    }

    #[test]
    fn a_run_with_more_or_new_rows_and_a_new_block_keeps_the_rest() {
        let runtime = "<!-- runtime:begin -->\n<!-- summary | 1a. overhead | **1.01** | x | y | PASS | -->\n\
<!-- summary 2. throughput | **0.99** | x | y | PASS | -->\nnew runtime\n<!-- runtime:end -->\n";
        let extra =
            "<!-- extra:begin -->\n<!-- summary | 7. extra | 1 | 2 | 3 | PASS | -->\n<!-- extra:end -->\n";
        let got = splice(EXISTING, &[("runtime", runtime), ("extra", extra)], None).expect("has a summary");
        assert!(got.contains(
            "| 1a. overhead | **1.01** | x | y | PASS |\n| 2. throughput | **0.99** | x | y | PASS |\n| hand row |"
        ));
        assert!(got.contains(
            "| 6. build | **92 s** | s | t | info |\n| 7. extra | 1 | 2 | 3 | PASS |\n\n## Machine"
        ));
        assert!(got.contains("<!-- build:end -->\n\n<!-- extra:begin -->"));
        assert!(got.contains("| date | old |"));
        assert!(got.contains("Written by hand: 1.042.") && got.ends_with("Notes by hand.\n"));
        assert!(!got.contains("runtime text"));
    }

    #[test]
    fn a_report_without_a_summary_table_is_not_spliced() {
        assert_eq!(
            splice(
                "# Benchmarks\n\nnothing\n",
                &[("cost", "<!-- cost:begin -->\n<!-- cost:end -->\n")],
                None
            ),
            None
        );
        assert_eq!(splice("", &[], None), None);
    }
}
