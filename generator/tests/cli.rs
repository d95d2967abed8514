//! The command line as a user runs it: exit codes, messages, and files written or left alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ZENSKAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/zenskar.yaml");

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn help_explains_the_commands() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = text(&output.stdout);
    for expected in ["--check", "generate", "Exit codes"] {
        assert!(help.contains(expected), "--help lacks {expected}:\n{help}");
    }
    let output = run(&["generate", "--help"]);
    let help = text(&output.stdout);
    for expected in ["--out", "--crate", "--name"] {
        assert!(
            help.contains(expected),
            "generate --help lacks {expected}:\n{help}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(run(&["generate"]).status.code(), Some(2));
    assert_eq!(
        run(&["generate", ZENSKAR]).status.code(),
        Some(2),
        "--out or --crate is required"
    );
}

#[test]
fn generate_writes_a_module_file_and_check_compares_it() {
    let dir = scratch("module");
    let out = dir.join("zenskar.rs");
    let output = run(&["generate", ZENSKAR, "--out", path_str(&out)]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let code = std::fs::read_to_string(&out).expect("written");
    assert!(code.contains("pub async fn cancel_checkout_session("));

    let check = run(&["generate", ZENSKAR, "--out", path_str(&out), "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));

    std::fs::write(
        &out,
        code.replace("cancel_checkout_session", "renamed_by_hand"),
    )
    .expect("edit");
    let before = std::fs::read(&out).expect("read");
    let check = run(&["generate", ZENSKAR, "--out", path_str(&out), "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let diff = text(&check.stdout);
    assert!(
        diff.contains("-") && diff.contains("+") && diff.contains("cancel_checkout_session"),
        "{diff}"
    );
    assert!(text(&check.stderr).contains("stale"));
    assert_eq!(
        std::fs::read(&out).expect("read"),
        before,
        "--check never writes"
    );
}

#[test]
fn generate_crate_writes_a_manifest_and_lib() {
    let dir = scratch("crate");
    let output = run(&[
        "generate",
        ZENSKAR,
        "--crate",
        path_str(&dir),
        "--name",
        "zenskar_client",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"zenskar_client\""));
    assert!(manifest.contains("reqwest"));
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib");
    assert!(lib.contains("//! `zenskar_client`"));
}

#[test]
fn a_bad_spec_fails_with_its_location_and_leaves_the_output_alone() {
    let dir = scratch("bad");
    let out = dir.join("client.rs");
    std::fs::write(&out, "// previous output\n").expect("seed output");
    let cases = [
        (
            "broken.yaml",
            "openapi: 3.1.0\ninfo: [unclosed\n",
            "invalid YAML",
        ),
        (
            "swagger.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "Swagger 2.0",
        ),
        (
            "version.json",
            r#"{"openapi": "4.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            "unsupported OpenAPI version",
        ),
        ("empty.yaml", "", "empty"),
        (
            "dangling.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
            "#/components/schemas/A/properties/b",
        ),
    ];
    for (file, contents, expected) in cases {
        let spec = dir.join(file);
        std::fs::write(&spec, contents).expect("write spec");
        let output = run(&["generate", path_str(&spec), "--out", path_str(&out)]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{file}: expected `{expected}` in:\n{stderr}"
        );
        assert!(
            stderr.contains(file),
            "{file}: the message names the file:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&out).expect("read"),
            "// previous output\n"
        );
    }
}

#[test]
fn the_repository_clients_are_current() {
    let output = run(&["--check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "run `cargo run` to regenerate:\n{}",
        text(&output.stdout)
    );
}

#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    // `generator ... 2>&1 | head -1`: the reader goes away before the messages are written.
    let dir = scratch("closed-pipe");
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
    )
    .expect("spec written");
    let out = dir.join("out.rs");
    let mut child = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["generate", path_str(&spec), "--out", path_str(&out)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the generator runs");
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().expect("it exits");
    assert_eq!(
        status.code(),
        Some(1),
        "exit 1 for the bad spec, not a panic's 101"
    );
}
