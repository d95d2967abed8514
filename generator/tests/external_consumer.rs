//! The generated client as a user outside this workspace gets it: a crate in a temporary
//! directory, made of `examples/build-rs-consumer`'s files with their paths made absolute. Its
//! `Cargo.toml` has one dependency for the generated code (the runtime) and the generator as a
//! build-dependency; its `build.rs` generates the Zenskar client from `specs/zenskar.yaml`; its
//! tests call cancel-checkout against the generated mock, and read the call's tracing span.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The example's manifest, standing alone: workspace-inherited keys spelled out, paths made
/// absolute, and an empty `[workspace]` so that Cargo does not look for an enclosing one.
fn standalone_manifest(manifest: &str, root: &Path) -> String {
    let absolute = |relative: &str| root.join(relative).display().to_string();
    manifest
        .replace("edition.workspace = true", "edition = \"2024\"")
        .replace("rust-version.workspace = true\n", "")
        .replace(
            "license.workspace = true",
            "license = \"MIT OR Apache-2.0\"",
        )
        .replace("\"../../runtime\"", &format!("{:?}", absolute("runtime")))
        .replace(
            "\"../../generator\"",
            &format!("{:?}", absolute("generator")),
        )
        + "\n[workspace]\n"
}

/// The `[dependencies]` table's entries, by name.
fn dependencies(manifest: &str) -> Vec<&str> {
    manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name))
        .collect()
}

fn copy(from: &Path, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).expect("the directory is made");
    }
    std::fs::copy(from, to).unwrap_or_else(|err| panic!("{}: {err}", from.display()));
}

#[test]
#[ignore = "builds a crate outside the workspace, minutes from a cold cache; .ci/run runs it"]
fn a_crate_outside_the_workspace_generates_the_client_and_tests_against_its_mocks() {
    let root = std::path::absolute(workspace()).expect("an absolute path");
    let example = root.join("examples/build-rs-consumer");
    let dir = std::env::temp_dir().join(format!("specwright-consumer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for file in ["src/lib.rs", "tests/cancel.rs", "tests/tracing.rs"] {
        copy(&example.join(file), &dir.join(file));
    }
    let build = std::fs::read_to_string(example.join("build.rs")).expect("build.rs");
    let spec = root.join("specs/zenskar.yaml").display().to_string();
    let build = build.replace("\"../../specs/zenskar.yaml\"", &format!("{spec:?}"));
    assert!(
        build.contains(&spec),
        "build.rs no longer names the spec as expected"
    );
    std::fs::write(dir.join("build.rs"), build).expect("build.rs written");
    let manifest = std::fs::read_to_string(example.join("Cargo.toml")).expect("Cargo.toml");
    let manifest = standalone_manifest(&manifest, &root);
    assert_eq!(
        dependencies(&manifest),
        ["specwright-runtime"],
        "{manifest}"
    );
    std::fs::write(dir.join("Cargo.toml"), &manifest).expect("Cargo.toml written");
    // The workspace's lock file: the same versions, already built in the shared target.
    copy(&root.join("Cargo.lock"), &dir.join("Cargo.lock"));

    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--", "--test-threads=1"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target/external-consumer"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Three tests against the mock (tests/cancel.rs), one reading the span (tests/tracing.rs).
    for ran in ["test result: ok. 3 passed", "test result: ok. 1 passed"] {
        assert!(stdout.contains(ran), "no `{ran}` in:\n{stdout}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_manifest_stands_alone_and_lists_one_dependency() {
    let example =
        std::fs::read_to_string(workspace().join("examples/build-rs-consumer/Cargo.toml"))
            .expect("Cargo.toml");
    let manifest = standalone_manifest(&example, Path::new("/r"));
    assert!(!manifest.contains(".workspace = true"), "{manifest}");
    assert!(!manifest.contains("../../"), "{manifest}");
    assert!(manifest.contains("path = \"/r/runtime\""), "{manifest}");
    assert!(manifest.ends_with("\n[workspace]\n"), "{manifest}");
    assert_eq!(dependencies(&manifest), ["specwright-runtime"]);
}
