//! `diff` of two versions of GitHub's spec against one generation of the newer one, measured
//! side by side in the same run (alternating, medians): the goal is at most 2×.
//!
//! ```sh
//! scripts/spec-pairs.sh github                      # fetches both versions from npm
//! cargo bench -p specwright --bench diff             # the GitHub pair
//! cargo bench -p specwright --bench diff -- OLD NEW  # any pair
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPETITIONS: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let (old, new) = match args.as_slice() {
        [old, new] => (PathBuf::from(old), PathBuf::from(new)),
        _ => (
            target.join("spec-pairs/github/22.0.0.json"),
            target.join("spec-pairs/github/23.0.2.json"),
        ),
    };
    if !old.exists() || !new.exists() {
        eprintln!(
            "skipped: {} or {} not found (run scripts/spec-pairs.sh github)",
            old.display(),
            new.display()
        );
        return;
    }
    let mut generations = Vec::new();
    let mut diffs = Vec::new();
    let mut changes = 0;
    for _ in 0..REPETITIONS {
        let started = Instant::now();
        let generated = specwright::generate_file(&new);
        generations.push(started.elapsed());
        drop(generated);
        let started = Instant::now();
        let report = specwright::diff_files(&old, &new);
        diffs.push(started.elapsed());
        match report {
            Ok(report) => changes = report.changes.len(),
            Err(err) => {
                eprintln!("{err}");
                return;
            }
        }
    }
    let (generation, diff) = (median(generations), median(diffs));
    println!("| pair | changes | generate NEW (s) | diff OLD NEW (s) | ratio |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {} → {} | {changes} | {:.3} | {:.3} | {:.2}× |",
        old.display(),
        new.display(),
        generation.as_secs_f64(),
        diff.as_secs_f64(),
        diff.as_secs_f64() / generation.as_secs_f64().max(1e-9)
    );
}
