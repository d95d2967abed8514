//! The corpus harness: generates a crate for every spec under the given folders, `cargo check`s
//! each one with a shared target directory, and writes a table of the results.
//!
//! ```sh
//! cargo run -p generator --release --bin corpus -- ../shared/corpus/real --out corpus-real.md
//! cargo run -p generator --release --bin corpus -- --no-check ../shared/corpus/peers
//! ```

use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
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
    for spec in &specs {
        let row = run_one(spec, &crates_dir, &target_dir, &lock, !args.no_check);
        eprintln!(
            "{:<60} {:<14} {:>8.2}s {}",
            row.spec,
            row.outcome.label(),
            row.generate.as_secs_f64() + row.check.map_or(0.0, |d| d.as_secs_f64()),
            row.first_error
        );
        rows.push(row);
    }
    let table = render(&rows);
    println!("{table}");
    if let Some(out) = &args.out {
        if let Err(err) = generator::output::write_atomic(out, &table) {
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
    generator::crate_name(&format!("c_{parent}_{stem}"))
}

fn run_one(spec: &Path, crates_dir: &Path, target_dir: &Path, lock: &Path, check: bool) -> Row {
    let name = crate_name(spec);
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
    let generated =
        std::panic::catch_unwind(AssertUnwindSafe(|| generator::generate_crate(spec, &name)));
    row.generate = started.elapsed();
    let generated = match generated {
        Err(_) => {
            row.outcome = Outcome::Panicked;
            row.first_error = "the generator panicked".to_owned();
            return row;
        }
        Ok(Err(err)) => {
            let first = err
                .diagnostics
                .iter()
                .find(|d| d.severity == generator::Severity::Error);
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
            return row;
        }
        Ok(Ok(generated)) => generated,
    };
    row.operations = generated.operations;
    row.types = generated.types;
    row.warnings = generated.warnings.len();
    if !check {
        return row;
    }
    let dir = crates_dir.join(&name);
    for (path, contents) in &generated.files {
        // Its own workspace, so that Cargo does not look for one above it.
        let contents = if path == "Cargo.toml" {
            format!("{contents}\n[workspace]\n")
        } else {
            contents.clone()
        };
        if let Err(err) = generator::output::write_atomic(&dir.join(path), &contents) {
            row.outcome = Outcome::CheckFailed;
            row.first_error = format!("cannot write the crate: {err}");
            return row;
        }
    }
    // The workspace's lock file pins the dependencies, so they are built once for all crates.
    let _ = std::fs::copy(lock, dir.join("Cargo.lock"));
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--message-format=short"])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            std::path::absolute(target_dir).unwrap_or_else(|_| target_dir.to_path_buf()),
        )
        .output();
    row.check = Some(started.elapsed());
    match output {
        Ok(output) if output.status.success() => row.outcome = Outcome::Passed,
        Ok(output) => {
            row.outcome = Outcome::CheckFailed;
            let stderr = String::from_utf8_lossy(&output.stderr);
            row.first_error = stderr
                .lines()
                .find(|line| line.contains("error"))
                .map_or_else(|| one_line(&stderr), one_line);
        }
        Err(err) => {
            row.outcome = Outcome::CheckFailed;
            row.first_error = format!("cannot run cargo: {err}");
        }
    }
    row
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
    table
}
