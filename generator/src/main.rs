//! The command line: regenerate the repository's clients, or generate one from any spec.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};
use specwright::output::{stale_diff, write_atomic};
use specwright::placement;
use specwright::{
    Attribute, DateTimeBackend, Derive, Diagnostic, Error, Options, PagingRule, Replacement,
    RuntimeDependency, StreamFlag, Style,
};

/// The file that lists the clients bare `specwright` regenerates, looked for in the current
/// directory and then each parent.
const REPOSITORY_FILE: &str = "specwright.yaml";

// Generation allocates millions of small strings and tokens; mimalloc serves them faster than
// the system allocator (see PERFORMANCE.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Most diff lines `--check` prints per stale file.
const DIFF_LINES: usize = 40;

#[derive(Parser)]
#[command(
    name = "specwright",
    version,
    about = "Generates typed Rust clients from OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 documents",
    long_about = "Generates typed Rust clients from OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 documents.\n\n\
        With no subcommand, regenerates every client that specwright.yaml lists: the nearest \
        one, in the current directory or a parent (paths in it are relative to it).\n\n\
        Exit codes: 0 success; 1 a spec could not be generated, --check found stale output, \
        or diff found a break that --fail-on names; 2 usage error, or a spec diff cannot read."
)]
struct Cli {
    /// Write nothing; exit 1 with a short diff when any generated file is out of date.
    #[arg(long, global = true)]
    check: bool,

    /// Fail on any warning, as on an error: mistakes in the spec that are otherwise coped
    /// with (a `default` of the wrong type, say) and constructs typed as JSON values.
    #[arg(long, global = true)]
    strict: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client from one spec (YAML or JSON, OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0).
    Generate {
        /// The OpenAPI document to read.
        spec: PathBuf,

        /// Write the client as one module file, for `include!` or `mod`.
        #[arg(
            long,
            value_name = "FILE.rs",
            conflicts_with = "crate_dir",
            required_unless_present = "crate_dir"
        )]
        out: Option<PathBuf>,

        /// Write a standalone crate (Cargo.toml and src/lib.rs) into this directory.
        #[arg(long = "crate", value_name = "DIR")]
        crate_dir: Option<PathBuf>,

        /// The crate's package name, with --crate; defaults to the spec's file stem.
        #[arg(long, requires = "crate_dir")]
        name: Option<String>,

        /// With --crate: depend on the runtime crate at this path (a checkout's `runtime/`)
        /// instead of a copy written beside the crate.
        #[arg(long, value_name = "PATH", requires = "crate_dir")]
        runtime_path: Option<String>,

        /// With --crate: depend on `specwright-runtime` from crates.io with this version
        /// requirement (`=0.1.0` is this generator's) instead of a copy written beside the
        /// crate.
        #[arg(
            long,
            value_name = "VERSION",
            requires = "crate_dir",
            conflicts_with = "runtime_path"
        )]
        runtime_version: Option<String>,

        #[command(flatten)]
        options: OptionArgs,
    },
    /// Compare two versions of a spec: what the new one changes in the generated client, and
    /// whether each change breaks Rust code that uses it (source) or deployed clients (wire).
    Diff {
        /// The spec the current client was generated from.
        old: PathBuf,

        /// The new version of the spec.
        new: PathBuf,

        /// How to write the report: for a terminal, a pull request comment, or tools.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,

        /// Exit 1 when a change breaks this axis; `source,wire` for either.
        #[arg(long, value_enum, value_delimiter = ',', value_name = "AXIS")]
        fail_on: Vec<Axis>,
    },
}

/// What the generated code is made of; the same options as `Config`'s and the repository
/// file's.
#[derive(clap::Args)]
struct OptionArgs {
    /// How `date-time` and `date` strings are typed: the runtime's own (keeps the text
    /// received), or chrono's, time's or jiff's types.
    #[arg(long, value_name = "BACKEND", default_value = "lenient")]
    datetime: DateTimeBackend,

    /// Use your type for a schema: `Money=my_crate::Money` (repeatable). Every use of the
    /// schema names it, and it is not generated.
    #[arg(long = "replace", value_name = "SCHEMA=RUST_PATH")]
    replacements: Vec<Replacement>,

    /// Derive a trait on every type (`Hash`), or on one schema's type and the types it holds
    /// (`Money:Eq`) (repeatable).
    #[arg(long = "derive", value_name = "[SCHEMA:]TRAIT")]
    derives: Vec<Derive>,

    /// Put an attribute on every type (`#[...]`) or on one schema's (`SCHEMA:#[...]`)
    /// (repeatable).
    #[arg(long = "attribute", value_name = "[SCHEMA:]#[...]")]
    attributes: Vec<Attribute>,

    /// Every `type: number` without a format as a decimal (`rust_decimal::Decimal`, digit for
    /// digit); `format: decimal` is one always.
    #[arg(long)]
    decimal: bool,

    /// The types alone, for webhooks, queues and storage: no client, no reqwest or tokio.
    #[arg(long)]
    types_only: bool,

    /// How an operation pages where the spec does not say (repeatable):
    /// `OPERATION=SCHEME[,param=NAME][,next=FIELD][,items=FIELD][,has-more=FIELD]`, SCHEME one
    /// of cursor, next-url, link, last-id, offset, page, none; OPERATION an operationId or `*`.
    #[arg(long = "pagination", value_name = "RULE")]
    pagination: Vec<PagingRule>,

    /// Print, for each list operation, how it pages and its stream methods, or why it has
    /// none.
    #[arg(long)]
    explain_pagination: bool,

    /// The request body property that asks for an operation's stream form, which its stream
    /// method sets to `true` (repeatable): `OPERATION=PROPERTY`, OPERATION an operationId or
    /// `*`. Without one, a boolean body property `stream` (or `streaming`) is taken.
    #[arg(long = "stream-flag", value_name = "RULE")]
    stream_flags: Vec<StreamFlag>,
}

impl OptionArgs {
    fn into_options(self) -> Options {
        Options {
            datetime: self.datetime,
            replacements: self.replacements,
            derives: self.derives,
            attributes: self.attributes,
            decimal: self.decimal,
            types_only: self.types_only,
            pagination: self.pagination,
            stream_flags: self.stream_flags,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Axis {
    /// Rust code written against the old client no longer compiles.
    Source,
    /// A client generated from the old spec fails against a server of the new one.
    Wire,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => regenerate_repository(cli.check, cli.strict),
        Some(Command::Generate {
            spec,
            out,
            crate_dir,
            name,
            runtime_path,
            runtime_version,
            options,
        }) => {
            let explain = options.explain_pagination;
            let options = options.into_options();
            // clap's `requires` does not hold these to `--crate` while `--out` is given.
            let crate_only = name.is_some() || runtime_path.is_some() || runtime_version.is_some();
            if crate_only && crate_dir.is_none() {
                Cli::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "--name, --runtime-path and --runtime-version go with --crate",
                    )
                    .exit();
            }
            let files = match (out, crate_dir) {
                (Some(out), _) => module_file(&spec, out, &options, cli.strict, explain),
                (None, Some(dir)) => {
                    // Relative to where the user typed it, like every path on the line.
                    let runtime = match (runtime_path, runtime_version) {
                        (Some(path), _) => {
                            RuntimeDependency::Path(placement::relative(Path::new(&path), &dir))
                        }
                        (None, Some(version)) => RuntimeDependency::Version(version),
                        (None, None) => RuntimeDependency::default(),
                    };
                    let name = name.unwrap_or_else(|| default_crate_name(&spec));
                    crate_files(&spec, &dir, &name, &runtime, &options, cli.strict, explain)
                }
                (None, None) => Err(Error::single(Diagnostic::error(
                    "",
                    "give --out or --crate",
                ))),
            };
            files.and_then(|files| apply(&files, cli.check))
        }
        Some(Command::Diff {
            old,
            new,
            format,
            fail_on,
        }) => return diff(&old, &new, format, &fail_on),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            print_diagnostics(&err.diagnostics);
            ExitCode::from(1)
        }
    }
}

/// Exit codes: 0 when nothing named by `fail_on` breaks, 1 when something does, 2 when a spec
/// cannot be compared (reported as `generate` reports it).
fn diff(old: &Path, new: &Path, format: ReportFormat, fail_on: &[Axis]) -> ExitCode {
    let report = match specwright::diff_files(old, new) {
        Ok(report) => report,
        Err(err) => {
            print_diagnostics(&err.diagnostics);
            return ExitCode::from(2);
        }
    };
    let format = match format {
        ReportFormat::Text => specwright::diff::Format::Text,
        ReportFormat::Markdown => specwright::diff::Format::Markdown,
        ReportFormat::Json => specwright::diff::Format::Json,
    };
    let _ = write!(std::io::stdout(), "{}", report.render(format));
    let broken = fail_on.iter().any(|axis| {
        report.breaks(match axis {
            Axis::Source => specwright::diff::Axis::Source,
            Axis::Wire => specwright::diff::Axis::Wire,
        })
    });
    if broken {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Colour when standard error is a terminal and `NO_COLOR` is not set, plain text otherwise.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    use std::io::IsTerminal;
    let style = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Style::Colored
    } else {
        Style::Plain
    };
    let mut sources: std::collections::HashMap<&Path, Option<String>> = Default::default();
    for diagnostic in diagnostics {
        let source = diagnostic.file.as_deref().and_then(|file| {
            sources
                .entry(file)
                .or_insert_with(|| {
                    std::fs::read(file)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                })
                .as_deref()
        });
        say(
            &mut std::io::stderr(),
            &specwright::render(diagnostic, source, style),
        );
    }
}

/// Prints a line; a closed pipe (`specwright ... | head`) is not worth a panic.
fn say(out: &mut impl std::io::Write, line: &str) {
    let _ = writeln!(out, "{line}");
}

type Files = Vec<(PathBuf, String)>;

/// Prints the warnings of a successful generation; with `--strict`, they fail it instead.
fn report_warnings(warnings: &[Diagnostic], strict: bool) -> Result<(), Error> {
    if strict {
        Error::deny_warnings(warnings)?;
    }
    print_diagnostics(warnings);
    Ok(())
}

/// The pagination decisions, a line each, for `--explain-pagination`.
fn explain(paging: &[(String, String)]) {
    let mut out = std::io::stdout();
    for (operation, note) in paging {
        say(&mut out, &format!("{operation}: {note}"));
    }
}

fn module_file(
    spec: &Path,
    out: PathBuf,
    options: &Options,
    strict: bool,
    explain_paging: bool,
) -> Result<Files, Error> {
    let generated = specwright::generate_file_with(spec, options)?;
    report_warnings(&generated.warnings, strict)?;
    if explain_paging {
        explain(&generated.paging);
    }
    if let Some(limit) = generated.recursion_limit {
        eprintln!("note: {}", specwright::recursion_limit_note(&out, limit));
    }
    Ok(vec![(out, generated.code)])
}

fn crate_files(
    spec: &Path,
    dir: &Path,
    name: &str,
    runtime: &RuntimeDependency,
    options: &Options,
    strict: bool,
    explain_paging: bool,
) -> Result<Files, Error> {
    let generated = specwright::generate_crate(spec, name, runtime, options)?;
    report_warnings(&generated.warnings, strict)?;
    if explain_paging {
        explain(&generated.paging);
    }
    let workspace = placement::enclosing_workspace(dir);
    if let placement::Workspace::Outside { manifest, member } = &workspace {
        eprintln!(
            "note: {} is inside the workspace of {}, which does not list it, so it is a \
             workspace of its own. To make it a member instead, add \"{member}\" to that \
             workspace's `members` and generate again.",
            dir.display(),
            manifest.display()
        );
    }
    Ok(generated
        .files
        .into_iter()
        .map(|(path, mut contents)| {
            if path == "Cargo.toml" && matches!(workspace, placement::Workspace::Outside { .. }) {
                contents.push_str(placement::OWN_WORKSPACE);
            }
            (dir.join(path), contents)
        })
        .collect())
}

/// Regenerates, or with `check` checks, the clients of the nearest `specwright.yaml`: in the
/// current directory or a parent, as Cargo finds `Cargo.toml`.
fn regenerate_repository(check: bool, strict: bool) -> Result<(), Error> {
    let here = std::env::current_dir().map_err(|err| {
        Error::single(Diagnostic::error(
            "",
            format!("cannot read the current directory: {err}"),
        ))
    })?;
    let Some(root) = here
        .ancestors()
        .find(|folder| folder.join(REPOSITORY_FILE).is_file())
    else {
        return Err(Error::single(Diagnostic::error(
            "",
            format!(
                "no {REPOSITORY_FILE} in {} or any folder above it: write one that lists your \
                 clients (see the README), or generate one with `specwright generate SPEC --crate DIR`",
                here.display()
            ),
        )));
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let clients = specwright::repository::read_clients(&root.join(REPOSITORY_FILE))?;
    for client in &clients {
        let spec = root.join(&client.spec);
        let dir = root.join(&client.crate_dir);
        let options = &client.options;
        // Relative to the file, like its other paths; the manifest wants it from the crate.
        let runtime = match &client.runtime {
            RuntimeDependency::Path(path) => {
                RuntimeDependency::Path(placement::relative(&root.join(path), &dir))
            }
            other => other.clone(),
        };
        match crate_files(&spec, &dir, &client.name, &runtime, options, strict, false) {
            Ok(mut more) => files.append(&mut more),
            Err(mut err) => errors.append(&mut err.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(Error {
            diagnostics: errors,
        });
    }
    let outcome = apply(&files, check);
    if check && outcome.is_err() {
        for client in &clients {
            say(
                &mut std::io::stdout(),
                &api_summary(root, &client.spec, &client.crate_dir),
            );
        }
    }
    outcome
}

/// What the spec changes since the version the checked-in client was generated from: the
/// spec as of the last commit that changed the client's directory.
fn api_summary(root: &Path, spec: &str, dir: &str) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| output.stdout)
    };
    let Some(commit) = git(&["log", "-1", "--format=%H", "--", dir])
        .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
        .filter(|commit| !commit.is_empty())
    else {
        return format!("(no API summary for {spec}: git does not know when {dir} last changed)");
    };
    let shallow = git(&["rev-parse", "--is-shallow-repository"])
        .is_some_and(|out| String::from_utf8_lossy(&out).trim() == "true");
    if shallow {
        return format!(
            "(no API summary for {spec}: this clone is shallow, so when {dir} last changed is not known)"
        );
    }
    // `./`: relative to `root`, which need not be the repository's top level.
    let Some(before) = git(&["show", &format!("{commit}:./{spec}")]) else {
        return format!("(no API summary for {spec}: it is not in commit {commit})");
    };
    let current = root.join(spec);
    if std::fs::read(&current).ok().as_deref() == Some(before.as_slice()) {
        return format!(
            "{spec} is as it was when {dir} was last committed: the generator changed, not the API"
        );
    }
    let extension = Path::new(spec)
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    let old = std::env::temp_dir().join(format!(
        "generator-check-{}-{commit}{extension}",
        std::process::id()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&old)
        .and_then(|mut file| file.write_all(&before));
    if written.is_err() {
        return format!(
            "(no API summary for {spec}: cannot write {})",
            old.display()
        );
    }
    let report = specwright::diff_files(&old, &current);
    let _ = std::fs::remove_file(&old);
    match report {
        Ok(report) => format!(
            "What {spec} changes since {dir} was last committed ({}):\n{}",
            commit.get(..10).unwrap_or(&commit),
            report.render(specwright::diff::Format::Text)
        ),
        Err(err) => format!(
            "(no API summary for {spec}: {})",
            err.diagnostics
                .first()
                .map_or("one of its versions cannot be read", |d| d.message.as_str())
        ),
    }
}

/// Writes every file, or with `check` compares them with what is on disk. All files are
/// generated before the first is written, so a failing spec leaves every output untouched.
fn apply(files: &Files, check: bool) -> Result<(), Error> {
    if check {
        let stale: Vec<String> = files
            .iter()
            .filter_map(|(path, contents)| stale_diff(path, contents, DIFF_LINES))
            .collect();
        if stale.is_empty() {
            say(
                &mut std::io::stdout(),
                &format!("all {} generated files are up to date", files.len()),
            );
            return Ok(());
        }
        for diff in &stale {
            say(&mut std::io::stdout(), diff);
        }
        return Err(Error::single(Diagnostic::error(
            "",
            format!(
                "{} generated file(s) are stale: generate them again (bare `specwright` regenerates what specwright.yaml lists)",
                stale.len()
            ),
        )));
    }
    for (path, contents) in files {
        write_atomic(path, contents).map_err(|err| {
            Error::single(Diagnostic::error(
                "",
                format!("cannot write {}: {err}", path.display()),
            ))
        })?;
        say(&mut std::io::stdout(), &format!("wrote {}", path.display()));
    }
    Ok(())
}

fn default_crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map_or_else(|| "client".into(), |s| s.to_string_lossy());
    specwright::crate_name(&stem)
}
