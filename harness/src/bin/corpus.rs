//! The corpus harness: generates a crate for every spec under the given folders, `cargo check`s
//! each one with a shared target directory (one per job, `--jobs`, by default one job per
//! core), and writes a table of the results.
//!
//! ```sh
//! cargo run -p specwright-harness --release --bin corpus -- ../shared/corpus/real --out corpus-real.md
//! cargo run -p specwright-harness --release --bin corpus -- --batch 40 ../shared/corpus/peers
//! ```
//!
//! With `--batch N`, N generated clients become modules of one crate and are checked by one
//! `cargo check`, which is far quicker for many small specs. A module with an error is taken
//! out and the rest checked again, so a spec passes only in a batch that checked cleanly.

use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "corpus",
    about = "Generate and cargo-check every spec in folders of OpenAPI documents"
)]
struct Args {
    /// Folders (searched recursively) or single spec files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,

    /// Only generate; skip `cargo check`.
    #[arg(long)]
    no_check: bool,

    /// Only specs whose path contains this text.
    #[arg(long)]
    filter: Option<String>,

    /// Write the table (Markdown) here as well as to standard output.
    #[arg(long)]
    out: Option<PathBuf>,

    /// Check this many specs per crate, each as a module.
    #[arg(long, default_value_t = 1)]
    batch: usize,

    /// Check this many crates at once, each job with a target directory of its own (the
    /// dependencies are built once per job). By default, one job per core. Batches are
    /// checked one at a time.
    #[arg(long)]
    jobs: Option<usize>,

    /// Refuse every spec that gives a warning (`generate --strict`). Specs in a folder
    /// named `negative` (those their test suite expects to be rejected) always are.
    #[arg(long)]
    strict: bool,

    /// Where generated crates and their shared target directory go.
    #[arg(long, default_value = "target/corpus")]
    work_dir: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Generated,
    Refused,
    NotADocument,
    CheckFailed,
    Panicked,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Generated => "generated",
            Self::Refused => "refused",
            Self::NotADocument => "not a document",
            Self::CheckFailed => "check failed",
            Self::Panicked => "PANICKED",
        }
    }
}

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    warnings: usize,
    generate: Duration,
    check: Option<Duration>,
    outcome: Outcome,
    first_error: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut specs = Vec::new();
    for input in &args.inputs {
        collect(input, &mut specs);
    }
    specs.sort();
    if let Some(filter) = &args.filter {
        specs.retain(|spec| spec.to_string_lossy().contains(filter.as_str()));
    }
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    let crates_dir = args.work_dir.join("crates");
    let target_dir = args.work_dir.join("target");
    let mut rows = Vec::new();
    let mut pending = Vec::new();
    let checker = Checker {
        crates_dir,
        target_dir,
        lock,
    };
    let each = args.batch <= 1 && !args.no_check;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let parallel = each && jobs > 1;
    if parallel {
        let checkers: Vec<Checker> = (0..jobs)
            .map(|job| Checker {
                crates_dir: checker.crates_dir.clone(),
                target_dir: match job {
                    0 => checker.target_dir.clone(),
                    _ => args.work_dir.join(format!("target-{job}")),
                },
                lock: checker.lock.clone(),
            })
            .collect();
        rows = run_each_in_parallel(&specs, &checkers, args.strict);
    }
    let sequential: &[PathBuf] = if parallel { &[] } else { &specs };
    for spec in sequential {
        let (row, files) = run_one(spec, &checker, each, args.strict);
        if args.batch > 1 && !args.no_check && row.outcome == Outcome::Generated {
            // Numbered: specs in different folders can share a name.
            let module = format!("m{}_{}", rows.len(), crate_name(spec));
            pending.push((rows.len(), module, files));
        }
        if args.batch <= 1 {
            report(&row);
        }
        rows.push(row);
    }
    for (index, chunk) in pending.chunks(args.batch.max(1)).enumerate() {
        checker.check_batch(index, chunk, &mut rows);
    }
    if args.batch > 1 {
        rows.iter().for_each(report);
    }
    let table = render(&rows);
    println!("{table}");
    if let Some(out) = &args.out {
        if let Err(err) = specwright::output::write_atomic(out, &table) {
            eprintln!("cannot write {}: {err}", out.display());
            return ExitCode::from(1);
        }
    }
    let bad = rows
        .iter()
        .any(|row| matches!(row.outcome, Outcome::Panicked | Outcome::CheckFailed));
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report(row: &Row) {
    eprintln!(
        "{:<60} {:<14} {:>8.2}s {}",
        row.spec,
        row.outcome.label(),
        row.generate.as_secs_f64() + row.check.map_or(0.0, |d| d.as_secs_f64()),
        row.first_error
    );
}

fn collect(input: &Path, specs: &mut Vec<PathBuf>) {
    if input.is_file() {
        specs.push(input.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(input) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, specs);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "json" || ext == "yaml" || ext == "yml")
        {
            specs.push(path);
        }
    }
}

fn crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let parent = spec
        .parent()
        .and_then(Path::file_name)
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    specwright::crate_name(&format!("c_{parent}_{stem}"))
}

/// Generated files of one spec: `Cargo.toml` and `src/lib.rs`.
type Files = Vec<(String, String)>;

/// Generates a spec's crate, and checks it too when `check` is set.
/// Generates and checks every spec, one checker per thread taking the next spec in turn; the
/// rows come back in the specs' order.
fn run_each_in_parallel(specs: &[PathBuf], checkers: &[Checker], strict: bool) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new(specs.iter().map(|_| None).collect());
    let work = |checker: &Checker| {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(spec) = specs.get(index) else {
                break;
            };
            let (row, _) = run_one(spec, checker, true, strict);
            report(&row);
            let mut rows = rows.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(slot) = rows.get_mut(index) {
                *slot = Some(row);
            }
        }
    };
    std::thread::scope(|scope| {
        for checker in checkers {
            let work = &work;
            if std::thread::Builder::new()
                .spawn_scoped(scope, move || work(checker))
                .is_err()
            {
                work(checker);
            }
        }
    });
    rows.into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

/// Whether the spec's test suite expects it to be rejected (ogen's `negative/`).
fn expects_refusal(spec: &Path) -> bool {
    spec.components().any(|part| part.as_os_str() == "negative")
}

fn run_one(spec: &Path, checker: &Checker, check: bool, strict: bool) -> (Row, Files) {
    let name = crate_name(spec);
    let strict = strict || expects_refusal(spec);
    let mut row = Row {
        spec: spec.display().to_string(),
        operations: 0,
        types: 0,
        warnings: 0,
        generate: Duration::ZERO,
        check: None,
        outcome: Outcome::Generated,
        first_error: String::new(),
    };
    let started = Instant::now();
    let generated = std::panic::catch_unwind(AssertUnwindSafe(|| {
        specwright::generate_crate(spec, &name, &runtime_dependency(), &Default::default())
            .and_then(|generated| {
                if strict {
                    specwright::Error::deny_warnings(&generated.warnings)?;
                }
                Ok(generated)
            })
    }));
    row.generate = started.elapsed();
    let generated = match generated {
        Err(_) => {
            row.outcome = Outcome::Panicked;
            row.first_error = "the generator panicked".to_owned();
            return (row, Vec::new());
        }
        Ok(Err(err)) => {
            let first = err
                .diagnostics
                .iter()
                .find(|d| d.severity == specwright::Severity::Error);
            let message = first.map_or_else(
                || err.to_string(),
                |d| format!("#{}: {}", d.pointer, d.message),
            );
            row.outcome = if message.contains("no `openapi` version field") {
                Outcome::NotADocument
            } else {
                Outcome::Refused
            };
            row.first_error = one_line(&message);
            return (row, Vec::new());
        }
        Ok(Ok(generated)) => generated,
    };
    row.operations = generated.operations;
    row.types = generated.types;
    row.warnings = generated.warnings.len();
    if check {
        let started = Instant::now();
        let result = checker.check_crate(&name, &generated.files);
        row.check = Some(started.elapsed());
        match result {
            Ok(()) => row.outcome = Outcome::Passed,
            Err(error) => {
                row.outcome = Outcome::CheckFailed;
                row.first_error = first_error_line(&error);
            }
        }
    }
    (row, generated.files)
}

struct Checker {
    crates_dir: PathBuf,
    target_dir: PathBuf,
    lock: PathBuf,
}

impl Checker {
    /// Writes a crate (in a workspace of its own, so that Cargo looks for none above it) and
    /// `cargo check`s it; the error is the compiler's output.
    fn check_crate(&self, name: &str, files: &[(String, String)]) -> Result<(), String> {
        let dir = self.crates_dir.join(name);
        for (path, contents) in files {
            let contents = if path == "Cargo.toml" {
                format!("{contents}\n[workspace]\n")
            } else {
                contents.clone()
            };
            specwright::output::write_atomic(&dir.join(path), &contents)
                .map_err(|err| format!("cannot write the crate: {err}"))?;
        }
        // The workspace's lock file pins the dependencies, so they are built once for all.
        let _ = std::fs::copy(&self.lock, dir.join("Cargo.lock"));
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["check", "--quiet", "--message-format=short"])
            .current_dir(&dir)
            .env(
                "CARGO_TARGET_DIR",
                std::path::absolute(&self.target_dir).unwrap_or_else(|_| self.target_dir.clone()),
            )
            // Each crate is checked once: an incremental cache would only cost time and disk,
            // and make a rerun's times depend on the run before.
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    /// Checks generated clients as modules of one crate, taking out each module the compiler
    /// names in an error until the rest check cleanly.
    fn check_batch(&self, index: usize, members: &[(usize, String, Files)], rows: &mut [Row]) {
        let mut remaining: Vec<&(usize, String, Files)> = members.iter().collect();
        let name = format!("batch_{index}");
        while !remaining.is_empty() {
            let mut files = Vec::new();
            let mut lib = String::new();
            for (_, module, member_files) in &remaining {
                for (path, contents) in member_files {
                    if path == "Cargo.toml" && files.is_empty() {
                        let manifest: String = contents
                            .lines()
                            .map(|line| match line.starts_with("name = ") {
                                true => format!("name = \"{name}\"\n"),
                                false => format!("{line}\n"),
                            })
                            .collect();
                        files.push(("Cargo.toml".to_owned(), manifest));
                    } else if path == "src/lib.rs" {
                        files.push((format!("src/{module}.rs"), contents.clone()));
                        let _ = writeln!(lib, "pub mod {module};");
                    }
                }
            }
            files.push(("src/lib.rs".to_owned(), lib));
            let started = Instant::now();
            let result = self.check_crate(&name, &files);
            let share = started.elapsed() / remaining.len().max(1) as u32;
            for (row, _, _) in &remaining {
                if let Some(row) = rows.get_mut(*row) {
                    row.check = Some(row.check.unwrap_or_default() + share);
                }
            }
            let Err(output) = result else {
                for (row, _, _) in &remaining {
                    if let Some(row) = rows.get_mut(*row) {
                        row.outcome = Outcome::Passed;
                    }
                }
                return;
            };
            let failed = |module: &str| {
                let file = format!("src/{module}.rs:");
                output
                    .lines()
                    .find(|line| line.starts_with(&file) && line.contains("error"))
                    .map(one_line)
            };
            let before = remaining.len();
            remaining.retain(|(row, module, _)| match failed(module) {
                Some(error) => {
                    if let Some(row) = rows.get_mut(*row) {
                        row.outcome = Outcome::CheckFailed;
                        row.first_error = first_error_line(&error);
                    }
                    false
                }
                None => true,
            });
            if remaining.len() == before {
                // An error the compiler does not pin on one module fails them all.
                for (row, _, _) in &remaining {
                    if let Some(row) = rows.get_mut(*row) {
                        row.outcome = Outcome::CheckFailed;
                        row.first_error = first_error_line(&output);
                    }
                }
                return;
            }
        }
    }
}

fn first_error_line(output: &str) -> String {
    output
        .lines()
        .find(|line| line.contains("error"))
        .map_or_else(|| one_line(output), one_line)
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 160 {
        line.chars().take(160).collect::<String>() + "…"
    } else {
        line
    }
}

fn render(rows: &[Row]) -> String {
    let mut table = String::from(
        "| spec | operations | types | warnings | generate (s) | check (s) | result | first error |\n\
         |---|---:|---:|---:|---:|---:|---|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {:.2} | {} | {} | {} |",
            row.spec,
            row.operations,
            row.types,
            row.warnings,
            row.generate.as_secs_f64(),
            row.check
                .map_or_else(|| "-".to_owned(), |d| format!("{:.1}", d.as_secs_f64())),
            row.outcome.label(),
            row.first_error
        );
    }
    let count = |outcome: Outcome| rows.iter().filter(|row| row.outcome == outcome).count();
    let negative: Vec<&Row> = rows
        .iter()
        .filter(|row| expects_refusal(Path::new(&row.spec)))
        .collect();
    let documents = rows.len() - count(Outcome::NotADocument);
    let _ = write!(
        table,
        "\n{documents} documents: {} passed, {} generated (not checked), {} refused, {} check failed, {} panicked; {} files were not OpenAPI documents.\n",
        count(Outcome::Passed),
        count(Outcome::Generated),
        count(Outcome::Refused),
        count(Outcome::CheckFailed),
        count(Outcome::Panicked),
        count(Outcome::NotADocument),
    );
    if !negative.is_empty() {
        let refused = negative
            .iter()
            .filter(|row| row.outcome == Outcome::Refused)
            .count();
        let _ = writeln!(
            table,
            "Specs in `negative` folders (generated with `--strict`): {refused} of {} refused.",
            negative.len()
        );
    }
    table
}

/// This checkout's runtime, by absolute path: the crates are checked where they are written.
fn runtime_dependency() -> specwright::RuntimeDependency {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    specwright::RuntimeDependency::Path(runtime.display().to_string())
}
