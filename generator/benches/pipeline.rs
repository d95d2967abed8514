//! The whole pipeline (read → normalize → model → emit → formatted text) on real specs, stage
//! by stage, against a baseline measured in the same run: parsing the same bytes into a
//! `serde_json::Value`. Peak memory is counted by this binary's allocator, in a run of its own.
//!
//! ```sh
//! scripts/bench-setup.sh                            # fetches GitHub's spec from npm
//! cargo bench -p specwright --bench pipeline         # the default specs
//! cargo bench -p specwright --bench pipeline -- SPEC...
//! ```

use std::alloc::{GlobalAlloc, Layout};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The allocator the command line uses, so that the figures are the command line's.
#[cfg(feature = "mimalloc")]
use mimalloc::MiMalloc as Underlying;
#[cfg(not(feature = "mimalloc"))]
use std::alloc::System as Underlying;

/// Counts live and peak heap bytes while `COUNTING` is on. Timed runs leave it off: the
/// counters are shared by every thread, and updating them on each allocation slowed the
/// pipeline by a third.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Signed: blocks allocated before counting began may be freed while it is on.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// The peak over a whole run; `PEAK` restarts at every stage.
static RUN_PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: usize) {
    let bytes = bytes as isize;
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    RUN_PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes as isize, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { Underlying.alloc(layout) };
        if !pointer.is_null() && COUNTING.load(Ordering::Relaxed) {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { Underlying.dealloc(pointer, layout) };
        if COUNTING.load(Ordering::Relaxed) {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { Underlying.realloc(pointer, layout, new_size) };
        if !moved.is_null() && COUNTING.load(Ordering::Relaxed) {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn default_specs() -> Vec<PathBuf> {
    let root = repo();
    vec![
        root.join("specs/zenskar.yaml"),
        root.join("../shared/corpus/real/stripe__api__2023-08-16.yaml"),
        root.join(".tools/bench/node_modules/@octokit/openapi/generated/api.github.com.json"),
        root.join("../shared/corpus/real/microsoft__graph-v1.0__1.0.1.json"),
    ]
}

/// The baseline: the same bytes into a `serde_json::Value` (through serde_yaml for YAML).
fn parse_baseline(bytes: &[u8]) -> Option<Value> {
    if bytes.trim_ascii_start().starts_with(b"{") {
        serde_json::from_slice(bytes).ok()
    } else {
        serde_yaml::from_slice(bytes).ok()
    }
}

/// The most bytes live since the previous call; counting starts again from what is live now.
fn take_peak() -> usize {
    PEAK.swap(LIVE.load(Ordering::Relaxed), Ordering::Relaxed)
        .max(0) as usize
}

struct Run {
    total: Duration,
    stages: Vec<(&'static str, Duration)>,
    /// Per stage, the most bytes live at once, beyond what was live before the run; only
    /// for a counted run.
    stage_peaks: Vec<usize>,
    peak: usize,
    lines: usize,
}

/// One run of the whole pipeline; `counted` runs count heap bytes (and are not timed).
fn run_pipeline(bytes: &[u8], name: &str, counted: bool) -> Option<Run> {
    let live_before = LIVE.load(Ordering::Relaxed);
    PEAK.store(live_before, Ordering::Relaxed);
    RUN_PEAK.store(live_before, Ordering::Relaxed);
    COUNTING.store(counted, Ordering::Relaxed);
    let mut timings = specwright::Timings {
        heap_peak: counted.then_some(take_peak as fn() -> usize),
        ..Default::default()
    };
    let started = Instant::now();
    let generated = specwright::generate_bytes_timed(bytes, name, &mut timings);
    let total = started.elapsed();
    COUNTING.store(false, Ordering::Relaxed);
    let above = |peak: isize| (peak - live_before).max(0) as usize;
    let stage_peaks = timings
        .peaks
        .iter()
        .map(|&peak| above(peak as isize))
        .collect();
    let peak = above(RUN_PEAK.load(Ordering::Relaxed));
    match generated {
        Ok(generated) => Some(Run {
            total,
            stages: timings.stages,
            stage_peaks,
            peak,
            lines: generated.code.lines().count(),
        }),
        Err(err) => {
            eprintln!("{name}: {err}");
            None
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn seconds(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

/// Repetitions: enough for a stable median on small specs, few on the big ones.
fn repetitions(size: usize) -> usize {
    match size {
        0..=1_000_000 => 9,
        _ => 5,
    }
}

fn bench(path: &Path, label: &str, bytes: &[u8]) {
    let reps = repetitions(bytes.len());
    let Some(counted) = run_pipeline(bytes, label, true) else {
        return;
    };
    // Each baseline parse right before a pipeline run: this machine's speed drifts by half
    // within minutes, and runs taken side by side drift together.
    let mut baseline = Vec::new();
    let mut runs = Vec::new();
    for _ in 0..reps {
        let started = Instant::now();
        let parsed = parse_baseline(bytes);
        baseline.push(started.elapsed());
        drop(parsed);
        match run_pipeline(bytes, label, false) {
            Some(run) => runs.push(run),
            None => return,
        }
    }
    let baseline = median(baseline);
    let total = median(runs.iter().map(|r| r.total).collect());
    let peak = counted.peak;
    let lines = runs.first().map_or(0, |r| r.lines);
    let stage_names: Vec<&str> = runs
        .first()
        .map(|r| r.stages.iter().map(|(name, _)| *name).collect())
        .unwrap_or_default();
    let stages: Vec<String> = stage_names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let times = runs
                .iter()
                .filter_map(|r| r.stages.get(index).map(|(_, d)| *d))
                .collect();
            let peak = counted.stage_peaks.get(index).copied().unwrap_or_default();
            format!(
                "{name} {} ({:.0} MB)",
                seconds(median(times)),
                peak as f64 / 1e6
            )
        })
        .collect();
    println!(
        "| {label} | {:.1} | {} | {} | {} | {:.1}× | {:.0} MB | {:.1}× | {} | {} |",
        bytes.len() as f64 / 1e6,
        lines,
        seconds(baseline),
        seconds(total),
        total.as_secs_f64() / baseline.as_secs_f64().max(1e-9),
        peak as f64 / 1e6,
        peak as f64 / bytes.len() as f64,
        stages.join(", "),
        path.display(),
    );
}

/// The spec with every path and schema repeated `copies` times under new names, for the
/// scaling rows: each copy is a full, independent API surface of the original's size.
fn scaled(bytes: &[u8], copies: usize) -> Option<Vec<u8>> {
    let original = parse_baseline(bytes)?;
    let mut scaled = original.clone();
    for copy in 1..copies {
        let suffix = format!("Copy{copy}");
        let mut renamed = original.clone();
        rename(&mut renamed, &suffix);
        let (Some(paths), Some(new_paths)) = (
            scaled.get_mut("paths").and_then(Value::as_object_mut),
            renamed.get("paths").and_then(Value::as_object),
        ) else {
            return None;
        };
        for (path, item) in new_paths {
            paths.insert(format!("/{}{path}", suffix.to_lowercase()), item.clone());
        }
        let sections = [
            "schemas",
            "parameters",
            "responses",
            "requestBodies",
            "headers",
        ];
        for section in sections {
            let new_section = renamed
                .pointer(&format!("/components/{section}"))
                .and_then(Value::as_object)
                .cloned();
            let target = scaled
                .pointer_mut(&format!("/components/{section}"))
                .and_then(Value::as_object_mut);
            if let (Some(new_section), Some(target)) = (new_section, target) {
                for (key, value) in new_section {
                    target.insert(format!("{key}{suffix}"), value);
                }
            }
        }
    }
    serde_json::to_vec(&scaled).ok()
}

/// Renames what must stay unique in a copy: component references and operation ids.
fn rename(value: &mut Value, suffix: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &mut *child) {
                    ("$ref", Value::String(target)) if target.starts_with("#/components/") => {
                        target.push_str(suffix);
                    }
                    ("operationId", Value::String(id)) => id.push_str(suffix),
                    _ => rename(child, suffix),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename(item, suffix)),
        _ => {}
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let specs: Vec<PathBuf> = if args.is_empty() {
        default_specs()
    } else {
        // `cargo bench` runs in the package's directory; paths may be given from the repo's.
        args.iter()
            .map(PathBuf::from)
            .map(|path| match path.exists() {
                true => path,
                false => repo().join(path),
            })
            .collect()
    };
    println!(
        "| spec | MB | lines out | parse to Value (s) | pipeline (s) | ratio | peak heap | peak / spec | stages: s (peak heap) | file |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    let mut scaling = None;
    for path in &specs {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!(
                "skipped {}: not found (see scripts/bench-setup.sh)",
                path.display()
            );
            continue;
        };
        let label = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        bench(path, &label, &bytes);
        if label.contains("stripe") {
            scaling = Some((path.clone(), label, bytes));
        }
    }
    // Linear growth: the same spec doubled and quadrupled should take about 2× and 4×.
    if let Some((path, label, bytes)) = scaling {
        for copies in [1, 2, 4] {
            if let Some(scaled) = scaled(&bytes, copies) {
                bench(&path, &format!("{label} ×{copies} (JSON)"), &scaled);
            }
        }
    }
}
