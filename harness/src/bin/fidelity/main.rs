//! Prepares the crates of the data fidelity harness (`scripts/fidelity.sh`): for each spec
//! given, the generated client, its documented examples and its component schemas' types.
//!
//! ```sh
//! cargo run -p specwright-harness --release --bin fidelity -- --work-dir target/fidelity/real SPEC...
//! ```
//!
//! In the work directory it writes a Cargo workspace of crates, each holding the clients of
//! one or more specs as modules (small specs share a crate, as `--batch-bytes` says) and a
//! `main` that round-trips JSON values through any of their types (`runner.rs`), and
//! `manifest.json`: per crate, per spec, the module, the generator's error if it refused the
//! spec, the type of each component schema and the examples with their types and schemas.
//! Each module is compiled in by a Cargo feature of its own, all on by default, so that a
//! module that does not compile can be left out without writing anything again.
//!
//! Files are written only when their text changed, so a second run rebuilds only the crates
//! whose clients changed.

#[cfg(test)]
mod runner;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use serde_json::{Value, json};

/// The runner, written into each crate.
const RUNNER: &str = include_str!("runner.rs");

#[derive(Parser)]
#[command(
    name = "fidelity",
    about = "Write crates that round-trip JSON values through the types generated for specs"
)]
struct Args {
    /// Spec files, in the order they are to be reported.
    #[arg(required = true)]
    specs: Vec<PathBuf>,

    /// Where the workspace, its crates and `manifest.json` go.
    #[arg(long)]
    work_dir: PathBuf,

    /// Specs smaller than this many bytes share a crate, up to this many bytes of spec a
    /// crate; larger ones have a crate each.
    #[arg(long, default_value_t = 1_000_000)]
    batch_bytes: u64,

    /// Take at most this many component schemas of a spec (0: all), a fixed sample: those
    /// whose keys hash lowest. Only their types and the examples' get round trips compiled.
    #[arg(long, default_value_t = 0)]
    schemas_per_spec: usize,
}

/// One spec's part of a crate.
struct Module {
    name: String,
    /// The client, with a `fidelity_dispatch` function added; `None` if it was refused.
    code: Option<String>,
    manifest: Value,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // Crates of several work directories may share a target directory: their names differ.
    let prefix = args.work_dir.file_name().map_or_else(String::new, |name| {
        specwright::crate_name(&format!("fidelity_{}", name.to_string_lossy()))
    });
    let mut crates = Vec::new();
    for (index, batch) in batches(&args.specs, args.batch_bytes)
        .into_iter()
        .enumerate()
    {
        let modules: Vec<Module> = batch
            .iter()
            .enumerate()
            .map(|(number, spec)| {
                // A converted 2.0 document is written as `converted/{crate}-{module}.json`.
                let converted = args
                    .work_dir
                    .join("converted")
                    .join(format!("{index}-s{number}.json"));
                prepare(
                    spec,
                    &format!("s{number}"),
                    args.schemas_per_spec,
                    &converted,
                )
            })
            .collect();
        let name = format!("{prefix}_{index}");
        if let Err(err) = write_crate(&args.work_dir.join("crates").join(&name), &name, &modules) {
            eprintln!("fidelity: {err}");
            return ExitCode::from(1);
        }
        crates.push((name, modules));
    }
    match write_workspace(&args.work_dir, &crates) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fidelity: {err}");
            ExitCode::from(1)
        }
    }
}

/// The specs in groups that share a crate, in their order: each spec of `batch_bytes` or
/// more alone, the smaller ones together until their sizes reach `batch_bytes`.
fn batches(specs: &[PathBuf], batch_bytes: u64) -> Vec<Vec<&Path>> {
    let mut batches: Vec<Vec<&Path>> = Vec::new();
    let mut open: Option<(usize, u64)> = None;
    for spec in specs {
        let size = std::fs::metadata(spec).map_or(0, |m| m.len());
        if size >= batch_bytes {
            batches.push(vec![spec]);
            continue;
        }
        match &mut open {
            Some((index, total)) if *total + size <= batch_bytes => {
                *total += size;
                if let Some(batch) = batches.get_mut(*index) {
                    batch.push(spec);
                }
            }
            _ => {
                open = Some((batches.len(), size));
                batches.push(vec![spec]);
            }
        }
    }
    batches
}

/// Generates a spec's client and reads its examples and component types (`most` of them at
/// most, 0 for all).
fn prepare(spec: &Path, module: &str, most: usize, converted_to: &Path) -> Module {
    let generated = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let code = specwright::generate_file(spec)?.code;
        let examples = specwright::spec_examples(spec)?;
        let components = specwright::component_types(spec)?;
        let converted = specwright::swagger2_converted(spec)?;
        Ok::<_, specwright::Error>((code, examples, components, converted))
    }));
    let (code, examples, components, converted) = match generated {
        Ok(Ok(generated)) => generated,
        Ok(Err(err)) => {
            let error = err
                .diagnostics
                .iter()
                .find(|d| d.severity == specwright::Severity::Error)
                .map_or_else(
                    || err.to_string(),
                    |d| format!("#{}: {}", d.pointer, d.message),
                );
            return refused(spec, module, &error);
        }
        Err(_) => return refused(spec, module, "the generator panicked"),
    };
    // The schemas of a Swagger 2.0 spec are checked in its 3.0 form, where the examples'
    // pointers and the components' keys lead.
    let document = match converted {
        Some(converted) => {
            let path = converted_to.to_path_buf();
            let text = serde_json::to_string(&converted).unwrap_or_default();
            if let Err(err) = specwright::output::write_atomic(&path, &text) {
                return refused(
                    spec,
                    module,
                    &format!("cannot write {}: {err}", path.display()),
                );
            }
            Some(path)
        }
        None => None,
    };
    let count = components.len();
    let components = sample(components, most);
    let types: BTreeSet<&str> = examples
        .iter()
        .map(|example| example.rust_type.as_str())
        .chain(components.iter().map(|(_, ty)| ty.as_str()))
        .collect();
    let mut code = code;
    code.push_str(&dispatch(&types));
    let examples: Vec<Value> = examples
        .iter()
        .map(|example| {
            json!({
                "location": example.location,
                "schema": example.schema,
                "type": example.rust_type,
                "json": example.json,
            })
        })
        .collect();
    Module {
        name: module.to_owned(),
        code: Some(code),
        manifest: json!({
            "module": module,
            "spec": spec,
            "document": document,
            "error": null,
            "component_count": count,
            "components": components,
            "examples": examples,
        }),
    }
}

/// At most `most` of the components (0: all), in their order: those whose keys hash lowest,
/// so that whether one is taken does not depend on the others.
fn sample(components: Vec<(String, String)>, most: usize) -> Vec<(String, String)> {
    if most == 0 || components.len() <= most {
        return components;
    }
    let mut ranked: Vec<(u64, usize)> = components
        .iter()
        .enumerate()
        .map(|(index, (key, _))| (fnv1a(key), index))
        .collect();
    ranked.sort_unstable();
    let mut taken = vec![false; components.len()];
    for (_, index) in ranked.into_iter().take(most) {
        if let Some(taken) = taken.get_mut(index) {
            *taken = true;
        }
    }
    components
        .into_iter()
        .zip(taken)
        .filter_map(|(component, taken)| taken.then_some(component))
        .collect()
}

/// 64-bit FNV-1a: small, and the same on every platform and in every Rust release.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn refused(spec: &Path, module: &str, error: &str) -> Module {
    Module {
        name: module.to_owned(),
        code: None,
        manifest: json!({"module": module, "spec": spec, "error": error}),
    }
}

/// The module's `fidelity_dispatch`: a type's path (as the manifest writes it) to the round
/// trip through that type.
fn dispatch(types: &BTreeSet<&str>) -> String {
    let mut code = String::from(
        "\n#[allow(dead_code)]\npub fn fidelity_dispatch(ty: &str, json: &str) -> Option<super::runner::Outcome> {\n    \
         let round_trip: fn(&str) -> super::runner::Outcome = match ty {\n",
    );
    for ty in types {
        let _ = writeln!(code, "        {ty:?} => super::runner::round_trip::<{ty}>,");
    }
    code.push_str("        _ => return None,\n    };\n    Some(round_trip(json))\n}\n");
    code
}

fn write_crate(dir: &Path, name: &str, modules: &[Module]) -> Result<(), String> {
    let compiled: Vec<&Module> = modules.iter().filter(|m| m.code.is_some()).collect();
    let features: Vec<String> = compiled.iter().map(|m| m.name.clone()).collect();
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runtime = specwright::RuntimeDependency::Path(runtime.display().to_string());
    // The runner's own dependencies, at the runtime's versions (the lock file is shared).
    let manifest = specwright::cargo_manifest(
        name,
        "Round trips through generated types",
        &features,
        &[],
        &runtime,
        // Stripe's amounts are `format: decimal`; the feature costs the others nothing.
        &["decimal"],
        false,
    )
    .replacen(
        "[dependencies]\n",
        "[dependencies]\nserde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n",
        1,
    );
    let mut main = String::from(
        "// Written by the fidelity harness (harness/src/bin/fidelity).\n\
         #![allow(warnings)]\n\nmod runner;\n",
    );
    let mut arms = String::new();
    for module in &compiled {
        let name = &module.name;
        let _ = write!(main, "#[cfg(feature = \"{name}\")]\nmod {name};\n");
        let _ = writeln!(
            arms,
            "        #[cfg(feature = \"{name}\")]\n        \"{name}\" => {name}::fidelity_dispatch(ty, json),"
        );
    }
    let _ = write!(
        main,
        "\nfn main() {{\n    runner::serve(dispatch);\n}}\n\n\
         fn dispatch(module: &str, ty: &str, json: &str) -> Option<runner::Outcome> {{\n    \
         match module {{\n{arms}        _ => None,\n    }}\n}}\n"
    );
    let mut files = vec![
        ("Cargo.toml".to_owned(), manifest),
        ("src/main.rs".to_owned(), main),
        ("src/runner.rs".to_owned(), RUNNER.to_owned()),
    ];
    for module in compiled {
        if let Some(code) = &module.code {
            files.push((format!("src/{}.rs", module.name), code.clone()));
        }
    }
    for (path, text) in files {
        let path = dir.join(path);
        specwright::output::write_atomic(&path, &text)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    Ok(())
}

/// The workspace of all the crates (so that one `cargo build` builds them side by side, with
/// the dependencies built once), and the manifest.
fn write_workspace(dir: &Path, crates: &[(String, Vec<Module>)]) -> Result<(), String> {
    let members: Vec<String> = crates
        .iter()
        .filter(|(_, modules)| modules.iter().any(|m| m.code.is_some()))
        .map(|(name, _)| format!("\"crates/{name}\""))
        .collect();
    // Debug builds without debug info: the crates run once, on a few thousand values.
    let workspace = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
        members.join(", ")
    );
    let manifest = json!({
        "crates": crates
            .iter()
            .map(|(name, modules)| json!({
                "name": name,
                "modules": modules.iter().map(|m| &m.manifest).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    });
    let text = serde_json::to_string(&manifest).map_err(|err| err.to_string())?;
    for (path, text) in [("Cargo.toml", workspace), ("manifest.json", text)] {
        let path = dir.join(path);
        specwright::output::write_atomic(&path, &text)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    // The repository's lock file pins the dependencies to the versions its clients use.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|err| format!("cannot copy {}: {err}", lock.display()))?;
    }
    Ok(())
}
