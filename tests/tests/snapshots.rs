//! Pins the generated code of every spec: a change to a spec or to the generator shows up as a
//! snapshot diff to review with `cargo insta review`. The same code is compiled by the other
//! test files (through `build.rs`) and by the `zenskar` crate.

use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    specs.retain(|path| {
        path.extension()
            .is_some_and(|ext| ext == "yaml" || ext == "json")
    });
    specs.sort();
    specs.push(root.join("../specs/zenskar.yaml"));
    specs
}

#[test]
fn generated_code_matches_snapshots() {
    let specs = specs();
    assert!(specs.len() > 1, "no focused specs found");
    for spec in specs {
        let name = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let generated = specwright::generate_file(&spec).unwrap_or_else(|err| panic!("{err}"));
        insta::assert_snapshot!(name, generated.code);
    }
}

#[path = "../option_variants.rs"]
mod option_variants;

/// The specs of `option-specs/` as each option generates them.
#[test]
fn generated_code_with_options_matches_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("option-specs");
    for (spec, name, options) in option_variants::option_variants() {
        let generated = specwright::generate_file_with(&root.join(spec), &options)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        insta::assert_snapshot!(name, generated.code);
    }
}

#[test]
fn generation_is_deterministic() {
    for spec in specs() {
        let first = specwright::generate_file(&spec)
            .map(|g| g.code)
            .map_err(|e| e.to_string());
        let second = specwright::generate_file(&spec)
            .map(|g| g.code)
            .map_err(|e| e.to_string());
        assert_eq!(
            first,
            second,
            "{} gave different output on a second run",
            spec.display()
        );
    }
}
