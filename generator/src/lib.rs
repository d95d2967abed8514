//! Reads an OpenAPI 3.0, 3.1 or 3.2 (or Swagger 2.0) document and writes a typed Rust client for it.
//!
//! This crate is the `specwright` command and the library behind it, which a build script
//! uses through [`Config`]. Both ways are walked through below with the same example as the
//! README's quick start: a small Bookshelf API saved as `openapi.yaml` in a new project (`cargo
//! new quickstart`), with an API key, a path parameter and a documented 404. The repository
//! holds that project as `examples/quickstart`.
//!
//! # With the command line
//!
//! Version 0.1 is not on crates.io yet: install the command from a checkout of the repository
//! (Rust 1.85 or newer), then generate a crate from the spec in your project:
//!
//! ```sh
//! cargo install --path generator
//! specwright generate openapi.yaml --crate bookshelf
//! ```
//!
//! This writes the crate `bookshelf/` (`Cargo.toml` and `src/lib.rs`) and, beside it,
//! `specwright-runtime/`: the source of the runtime crate the generated code calls, which the
//! command carries, so that the crate builds without the checkout. Depend on the client:
//!
//! ```toml
//! [dependencies]
//! bookshelf = { path = "bookshelf" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! and call it from `src/main.rs` (shown as text: it needs the generated crate):
//!
//! ```text
//! use bookshelf::types::GetBookError;
//! use bookshelf::{Client, Error};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let api_key = std::env::var("BOOKSHELF_API_KEY")?;
//!     let client = Client::builder().api_key(api_key).build()?;
//!     match client.get_book(42).await {
//!         Ok(book) => println!("{} by {}", book.title, book.author),
//!         Err(Error::Api(refused)) => match refused.body {
//!             GetBookError::NotFound(problem) => println!("no such book: {}", problem.title),
//!             other => println!("refused with {}: {other:?}", refused.status),
//!         },
//!         Err(other) => return Err(other.into()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! `BOOKSHELF_API_KEY=... cargo run` makes the call, and `cargo doc --open` shows the rest of
//! the client: `Client::builder`, a method per operation, the `types` module, and the `mock`
//! module of the `mock` feature.
//!
//! To regenerate later, list the client in a `specwright.yaml` beside `Cargo.toml`:
//!
//! ```text
//! clients:
//!   - spec: openapi.yaml
//!     crate: bookshelf
//!     name: bookshelf
//! ```
//!
//! Bare `specwright` then regenerates every client the file lists, and `specwright --check`
//! writes nothing and exits 1 with a short diff when a generated file is stale. Both read the
//! nearest `specwright.yaml`, in the current directory or a parent, and take its paths as
//! relative to it ([`repository`] reads the file).
//!
//! # From a build script
//!
//! As with prost-build, the client can instead be generated into `OUT_DIR` at build time. The
//! project then depends on the runtime, and on this crate (without its default feature, the
//! command line's allocator) as a build-dependency; until both are published, by path into a
//! checkout:
//!
//! ```toml
//! [dependencies]
//! specwright-runtime = { path = "../specwright/runtime" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//!
//! [build-dependencies]
//! specwright = { path = "../specwright/generator", default-features = false }
//! ```
//!
//! `build.rs` runs [`Config`]:
//!
//! ```rust,no_run
//! // build.rs, in its `main`: writes $OUT_DIR/bookshelf.rs, and tells Cargo to run again when
//! // the spec changes.
//! specwright::Config::new()
//!     .file_name("bookshelf.rs")
//!     .generate("openapi.yaml")
//!     .unwrap_or_else(|err| panic!("{err}"));
//! ```
//!
//! and `src/main.rs` includes the result as a module, then calls it as above:
//!
//! ```text
//! mod bookshelf {
//!     include!(concat!(env!("OUT_DIR"), "/bookshelf.rs"));
//! }
//! ```
//!
//! Every generation option is a method of [`Config`], which names the command-line flag and
//! the `specwright.yaml` key of the same option.
//!
//! # How it works
//!
//! The pipeline is [`load`](crate::load) (bytes to a normalized document) → `model` (resolved,
//! named types and operations) → `emit` (tokens, then formatted text). See `ARCHITECTURE.md`.

mod config;
pub mod diagnostics;
pub mod diff;
mod emit;
mod load;
mod media_type;
mod model;
mod options;
pub mod output;
mod parallel;
pub mod placement;
pub mod repository;
mod timing;

use std::path::Path;

pub use config::Config;
pub use diagnostics::{Diagnostic, Error, Location, Severity, Style, render};
pub use emit::{QuickStart, RuntimeDependency, SpecExample, VENDORED_RUNTIME_DIR, cargo_manifest};
pub use options::{
    Attribute, DateTimeBackend, Derive, Options, PagingRule, PagingScheme, Replacement, StreamFlag,
};
pub use timing::Timings;

/// Generated code and the warnings met on the way.
#[derive(Debug)]
pub struct Generated {
    /// The client as the items of one module: a crate's `lib.rs`, or a file to `include!`.
    pub code: String,
    pub warnings: Vec<Diagnostic>,
    /// How many operations became methods.
    pub operations: usize,
    /// How many named types were generated.
    pub types: usize,
    /// The Cargo features, one per tag, that the code's items are gated on (standalone
    /// crates only: a file to `include!` is not gated, as its crate declares no features).
    pub features: Vec<String>,
    /// What `Cargo.toml` says above some of `features`, by feature: its tag's summary and
    /// where the tag is nested (OpenAPI 3.2).
    pub feature_notes: Vec<(String, String)>,
    /// The `recursion_limit` a crate compiling this code needs, when rustc's default is too
    /// low for how deep its types nest.
    pub recursion_limit: Option<usize>,
    /// The runtime's Cargo features the code needs: a date-time backend's, `decimal`.
    pub runtime_features: Vec<&'static str>,
    /// For each list operation, by `operationId`: how it pages and its stream methods, or why
    /// it has no paginator (`--explain-pagination`).
    pub paging: Vec<(String, String)>,
    /// The example a standalone crate's docs open with (none for types only): a file to
    /// `include!` has no crate docs.
    pub quick_start: Option<emit::QuickStart>,
}

/// Generates a client from the spec at `spec`. Diagnostics carry the line and column of
/// what they point at.
pub fn generate_file(spec: &Path) -> Result<Generated, Error> {
    generate_file_with(spec, &Options::default())
}

/// [`generate_file`] with the user's [`Options`].
pub fn generate_file_with(spec: &Path, options: &Options) -> Result<Generated, Error> {
    generate_path(spec, false, options)
}

/// Every entry point runs the pipeline on a thread of its own, whose stack is deep enough for
/// the documents it reads whatever the caller's thread has.
fn generate_path(
    spec: &Path,
    per_tag_features: bool,
    options: &Options,
) -> Result<Generated, Error> {
    parallel::on_helper(|| generate_path_here(spec, per_tag_features, options))
}

fn generate_path_here(
    spec: &Path,
    per_tag_features: bool,
    options: &Options,
) -> Result<Generated, Error> {
    let source_name = spec.file_name().map_or_else(
        || spec.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let result = load::load_file(spec).and_then(|loaded| {
        generate_document(
            loaded,
            &source_name,
            &mut Timings::default(),
            per_tag_features,
            options,
        )
        .map_err(|err| err.in_file(spec))
    });
    match result {
        Ok(mut generated) => {
            for warning in &mut generated.warnings {
                if warning.file.is_none() {
                    warning.file = Some(spec.to_path_buf());
                }
            }
            locate_in_file(&mut generated.warnings, spec);
            Ok(generated)
        }
        Err(mut err) => {
            locate_in_file(&mut err.diagnostics, spec);
            Err(err)
        }
    }
}

/// Reads the spec again, only when there is something to locate in it.
fn locate_in_file(diagnostics: &mut [Diagnostic], spec: &Path) {
    if diagnostics
        .iter()
        .all(|d| d.pointer.is_empty() || d.location.is_some())
    {
        return;
    }
    if let Ok(bytes) = std::fs::read(spec) {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        diagnostics::locate(diagnostics, &String::from_utf8_lossy(bytes));
    }
}

/// Generates a client from spec bytes (YAML or JSON); `source_name` is shown in the header.
pub fn generate_bytes(bytes: &[u8], source_name: &str) -> Result<Generated, Error> {
    generate_bytes_timed(bytes, source_name, &mut Timings::default())
}

/// [`generate_bytes`], recording the time each stage takes.
pub fn generate_bytes_timed(
    bytes: &[u8],
    source_name: &str,
    timings: &mut Timings,
) -> Result<Generated, Error> {
    parallel::on_helper(|| {
        let loaded = load::load_bytes(bytes, timings)?;
        generate_document(loaded, source_name, timings, false, &Options::default())
    })
}

fn generate_document(
    loaded: load::Loaded,
    source_name: &str,
    timings: &mut Timings,
    per_tag_features: bool,
    options: &Options,
) -> Result<Generated, Error> {
    let problems = options.problems();
    if !problems.is_empty() {
        return Err(Error {
            diagnostics: problems
                .into_iter()
                .map(|problem| Diagnostic::error("", format!("an option: {problem}")))
                .collect(),
        });
    }
    let mut warnings = loaded.warnings;
    let origins = loaded.origins;
    let (api, model_warnings) = timings
        .time("model", || {
            model_from(
                &loaded.document,
                loaded.paths,
                loaded.webhooks,
                &origins,
                per_tag_features,
                options,
            )
        })
        .map_err(|mut err| {
            let mut all = warnings.clone();
            all.append(&mut err.diagnostics);
            Error { diagnostics: all }
        })?;
    warnings.extend(model_warnings);
    // The model holds all that emission needs; the document's memory goes back first.
    drop(loaded.document);
    let code = emit::emit(&api, source_name, timings).map_err(|mut err| {
        origins.point_back(&mut err.diagnostics);
        err
    })?;
    let paging = api
        .operations
        .iter()
        .filter_map(|operation| {
            let note = operation.paging_note.as_ref()?;
            let note = match &operation.pagination {
                Some(p) => format!("{note}: `{}` and `{}`", p.stream_name, p.pages_name),
                None => note.clone(),
            };
            Some((operation.operation_id.clone(), note))
        })
        .collect();
    Ok(Generated {
        code,
        warnings,
        paging,
        operations: api.operations.len(),
        types: api.types.len(),
        recursion_limit: emit::recursion_limit(&api),
        runtime_features: emit::runtime_features(&api),
        feature_notes: emit::feature_notes(&api),
        quick_start: emit::quick_start(&api),
        features: api.features,
    })
}

/// The model of a loaded document, its diagnostics pointing into the document as the user
/// wrote it (a Swagger 2.0 document's, not its conversion's).
fn model_from(
    document: &openapiv3::OpenAPI,
    paths: load::PathItems,
    webhooks: Vec<load::WebhookItem>,
    origins: &load::Origins,
    per_tag_features: bool,
    options: &Options,
) -> Result<(model::Api, Vec<Diagnostic>), Error> {
    match model::build(document, paths, webhooks, per_tag_features, options) {
        Ok((api, mut warnings)) => {
            origins.point_back(&mut warnings);
            Ok((api, warnings))
        }
        Err(mut err) => {
            origins.point_back(&mut err.diagnostics);
            Err(err)
        }
    }
}

/// Every example the spec documents for a schema, request body or response, with the
/// generated type it belongs to; tests decode each one to prove the types fit the API.
pub fn spec_examples(spec: &Path) -> Result<Vec<SpecExample>, Error> {
    Ok(emit::examples(&model_of(spec)?))
}

pub use load::swagger2_converted;

/// Each schema of the spec's `#/components/schemas`, by its key there, with the generated type
/// its values decode into, as `types::Pet` or `Option<types::Pet>` (printed as
/// [`spec_examples`] prints types); harnesses decode sample values of a schema through it.
pub fn component_types(spec: &Path) -> Result<Vec<(String, String)>, Error> {
    Ok(emit::component_types(&model_of(spec)?))
}

/// The model of the spec at `spec`, built on a thread with a large stack; errors carry their
/// file, line and column.
fn model_of(spec: &Path) -> Result<model::Api, Error> {
    parallel::on_helper(|| {
        let built = load::load_file(spec).and_then(|loaded| {
            let options = Options::default();
            model_from(
                &loaded.document,
                loaded.paths,
                loaded.webhooks,
                &loaded.origins,
                false,
                &options,
            )
            .map_err(|err| err.in_file(spec))
        });
        built.map(|(api, _)| api).map_err(|mut err| {
            locate_in_file(&mut err.diagnostics, spec);
            err
        })
    })
}

/// What the spec at `new` changes from the one at `old` in the generated client, each change
/// judged for Rust callers and for deployed clients (see [`diff`]).
pub fn diff_files(old: &Path, new: &Path) -> Result<diff::Report, Error> {
    let old = model_of(old)?;
    let new = model_of(new)?;
    // On a helper's deep stack, like the rest of the pipeline: types nest as deep as specs do.
    Ok(parallel::on_helper(|| diff::compare(&old, &new)))
}

/// A standalone crate: (path relative to the crate's directory, contents) pairs.
#[derive(Debug)]
pub struct GeneratedCrate {
    pub files: Vec<(String, String)>,
    pub warnings: Vec<Diagnostic>,
    pub operations: usize,
    pub types: usize,
    /// As [`Generated::paging`].
    pub paging: Vec<(String, String)>,
}

/// The files of a standalone crate for the spec at `spec`: `Cargo.toml` and `src/lib.rs`, and
/// for a [`RuntimeDependency::Vendored`] runtime its copy, at paths that start with
/// `../specwright-runtime/`. Its one dependency is the runtime, found as `runtime` says, with
/// the features `options` need.
pub fn generate_crate(
    spec: &Path,
    crate_name: &str,
    runtime: &RuntimeDependency,
    options: &Options,
) -> Result<GeneratedCrate, Error> {
    let generated = generate_path(spec, true, options)?;
    let description = format!(
        "Typed client generated from {}",
        spec.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    let manifest = emit::cargo_manifest(
        crate_name,
        &description,
        &generated.features,
        &generated.feature_notes,
        runtime,
        &generated.runtime_features,
        options.types_only,
    );
    let lib = crate_lib(
        &generated.code,
        crate_name,
        generated.quick_start.as_ref(),
        generated.recursion_limit,
    );
    let mut files = vec![
        ("Cargo.toml".to_owned(), manifest),
        ("src/lib.rs".to_owned(), lib),
    ];
    if *runtime == RuntimeDependency::Vendored {
        files.extend(
            emit::vendored_runtime()
                .map_err(|message| Error::single(Diagnostic::error("", message)))?,
        );
    }
    Ok(GeneratedCrate {
        files,
        warnings: generated.warnings,
        operations: generated.operations,
        types: generated.types,
        paging: generated.paging,
    })
}

/// A valid Cargo package name from any text: lowercase ASCII letters, digits and `_`,
/// starting with a letter.
pub fn crate_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("client_{name}")
    }
}

/// What a crate that `include!`s a client needs when its types nest deeper than rustc allows by
/// default (a file to include cannot set the limit itself).
pub fn recursion_limit_note(file: &Path, limit: usize) -> String {
    format!(
        "the types in {} nest deeply: the crate that includes it needs \
         `#![recursion_limit = \"{limit}\"]` at its root",
        file.display()
    )
}

/// Puts crate-level docs, and the recursion limit deep types need, after the `@generated`
/// header and before the items.
fn crate_lib(
    code: &str,
    crate_name: &str,
    quick_start: Option<&emit::QuickStart>,
    recursion_limit: Option<usize>,
) -> String {
    let (header, items) = code.split_once("\n\n").unwrap_or(("", code));
    let limit = recursion_limit
        .map(|limit| format!("#![recursion_limit = \"{limit}\"]\n\n"))
        .unwrap_or_default();
    let example = quick_start
        .map(|quick_start| format!("//!\n{}", quick_start.crate_docs(crate_name)))
        .unwrap_or_default();
    format!(
        "{header}\n\n//! `{crate_name}`: a typed client generated from an OpenAPI document.\n//!\n\
         //! Start with [`Client::builder`]; the schemas are in [`types`].\n{example}\n{limit}{items}"
    )
}
