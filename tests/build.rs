//! Generates a client for every focused spec in `specs/` and for the Zenskar spec, plus a table
//! of each spec's documented examples and the generated type each belongs to, so that tests
//! compile the generated code and round-trip every example through it. `all_specs.rs` holds a
//! module per focused spec, so that adding a spec is enough to have its code compiled.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let specs_dir = manifest_dir.join("specs");
    println!("cargo:rerun-if-changed={}", specs_dir.display());
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    specs.retain(|path| {
        path.extension()
            .is_some_and(|ext| ext == "yaml" || ext == "json")
    });
    specs.sort();
    let mut all = String::new();
    let mut tables = Vec::new();
    for spec in &specs {
        generate(spec, &out_dir, "");
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            all,
            "pub mod {stem} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{stem}.rs\"));\n    \
             include!(concat!(env!(\"OUT_DIR\"), \"/{stem}_examples.rs\"));\n}}"
        );
        tables.push(format!("({stem:?}, {stem}::EXAMPLES)"));
    }
    let _ = writeln!(
        all,
        "pub const ALL_EXAMPLES: &[(&str, &[generator_tests::Example])] = &[{}];",
        tables.join(", ")
    );
    if let Err(err) = std::fs::write(out_dir.join("all_specs.rs"), all) {
        panic!("writing all_specs.rs: {err}");
    }
    let zenskar = manifest_dir.join("../specs/zenskar.yaml");
    write_examples(&zenskar, &out_dir.join("zenskar_examples.rs"), "zenskar::");
    let option_specs = manifest_dir.join("option-specs");
    println!("cargo:rerun-if-changed={}", option_specs.display());
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("option_variants.rs").display()
    );
    for (spec, name, options) in option_variants() {
        let spec = option_specs.join(spec);
        let generated = specwright::generate_file_with(&spec, &options)
            .unwrap_or_else(|err| panic!("generating {name}: {err}"));
        if let Err(err) = std::fs::write(out_dir.join(format!("{name}.rs")), generated.code) {
            panic!("writing {name}.rs: {err}");
        }
    }
}

include!("option_variants.rs");

fn generate(spec: &Path, out_dir: &Path, crate_path: &str) {
    if let Err(err) = specwright::Config::new().out_dir(out_dir).generate(spec) {
        panic!("generating {}: {err}", spec.display());
    }
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_examples(
        spec,
        &out_dir.join(format!("{stem}_examples.rs")),
        crate_path,
    );
}

/// `EXAMPLES`: (where, JSON text, round-trip check for the generated type) for each example.
fn write_examples(spec: &Path, out: &Path, crate_path: &str) {
    println!("cargo:rerun-if-changed={}", spec.display());
    let examples = specwright::spec_examples(spec)
        .unwrap_or_else(|err| panic!("reading examples of {}: {err}", spec.display()));
    let mut code = String::from("pub const EXAMPLES: &[generator_tests::Example] = &[\n");
    for example in examples {
        let _ = writeln!(
            code,
            "    ({:?}, {:?}, generator_tests::round_trip::<{crate_path}{}>),",
            example.location,
            example.json.to_string(),
            example.rust_type,
        );
    }
    code.push_str("];\n");
    if let Err(err) = std::fs::write(out, code) {
        panic!("writing {}: {err}", out.display());
    }
}
