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
    for expected in ["--check", "generate", "diff", "Exit codes"] {
        assert!(help.contains(expected), "--help lacks {expected}:\n{help}");
    }
    let help = text(&run(&["diff", "--help"]).stdout);
    for expected in ["--format", "--fail-on", "markdown", "wire"] {
        assert!(
            help.contains(expected),
            "diff --help lacks {expected}:\n{help}"
        );
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

/// The Zenskar spec with one operation renamed: a break for Rust callers (the method's name),
/// none on the wire (the endpoint is the same).
fn zenskar_with_renamed_operation(dir: &Path) -> PathBuf {
    let spec = std::fs::read_to_string(ZENSKAR).expect("the Zenskar spec");
    assert!(spec.contains("operationId: cancel_checkout_session"));
    let renamed = spec.replace(
        "operationId: cancel_checkout_session",
        "operationId: abandon_checkout_session",
    );
    let path = dir.join("zenskar-next.yaml");
    std::fs::write(&path, renamed).expect("written");
    path
}

#[test]
fn diff_exits_1_only_for_the_axes_fail_on_names() {
    let dir = scratch("diff-exit");
    let new = zenskar_with_renamed_operation(&dir);
    let new = path_str(&new);
    let plain = run(&["diff", ZENSKAR, new]);
    assert_eq!(plain.status.code(), Some(0), "no --fail-on: a report only");
    let report = text(&plain.stdout);
    assert!(
        report.contains("method renamed from `cancel_checkout_session`"),
        "{report}"
    );
    assert!(report.contains("Suggested version bump for the generated crate: major"));
    assert_eq!(
        run(&["diff", ZENSKAR, new, "--fail-on", "wire"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["diff", ZENSKAR, new, "--fail-on", "source"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["diff", ZENSKAR, new, "--fail-on", "wire,source"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["diff", ZENSKAR, ZENSKAR, "--fail-on", "source,wire"])
            .status
            .code(),
        Some(0),
        "a spec breaks nothing against itself"
    );
}

#[test]
fn diff_writes_json_and_markdown() {
    let dir = scratch("diff-formats");
    let new = zenskar_with_renamed_operation(&dir);
    let output = run(&["diff", ZENSKAR, path_str(&new), "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("--format json writes JSON");
    assert_eq!(report["bump"], "major");
    assert_eq!(report["breaks"]["source"], 1);
    assert_eq!(report["breaks"]["wire"], 0);
    assert_eq!(report["changes"][0]["change"], "operation_renamed");
    assert_eq!(
        report["changes"][0]["pointer"],
        "/paths/~1checkout~1{checkout_session_id}~1cancel/post"
    );
    let output = run(&["diff", ZENSKAR, path_str(&new), "--format", "markdown"]);
    let markdown = text(&output.stdout);
    assert!(markdown.starts_with("### API changes"), "{markdown}");
    assert!(
        markdown.contains("| BREAKING | ok | method renamed"),
        "{markdown}"
    );
}

#[test]
fn diff_reports_bad_input_as_generate_does_and_exits_2() {
    let dir = scratch("diff-bad");
    let broken = dir.join("broken.yaml");
    std::fs::write(
        &broken,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nothing'}\n",
    )
    .expect("written");
    let output = run(&["diff", ZENSKAR, path_str(&broken)]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("broken.yaml:7:"), "{message}");
    assert!(
        message.contains("#/components/responses/Nothing"),
        "{message}"
    );
    assert!(output.stdout.is_empty());
    assert_eq!(run(&["diff", ZENSKAR]).status.code(), Some(2), "usage");
    assert_eq!(
        run(&["diff", ZENSKAR, ZENSKAR, "--fail-on", "nothing"])
            .status
            .code(),
        Some(2),
        "usage"
    );
}

/// `--check` on a scratch repository whose spec changed after its client was committed.
#[test]
fn check_prints_what_the_spec_change_does_to_the_api() {
    let repo = scratch("check-summary");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::create_dir_all(repo.join("specs")).expect("specs");
    std::fs::copy(ZENSKAR, repo.join("specs/zenskar.yaml")).expect("copied");
    let generated = repo.join("generated");
    let output = run(&[
        "generate",
        path_str(&repo.join("specs/zenskar.yaml")),
        "--crate",
        path_str(&generated),
        "--name",
        "zenskar",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "client"]);
    let current = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--check")
        .env("GENERATOR_WORKSPACE", &repo)
        .output()
        .expect("runs");
    assert_eq!(current.status.code(), Some(0), "{}", text(&current.stdout));

    let next = zenskar_with_renamed_operation(&repo);
    std::fs::rename(next, repo.join("specs/zenskar.yaml")).expect("spec changed");
    let stale = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--check")
        .env("GENERATOR_WORKSPACE", &repo)
        .output()
        .expect("runs");
    assert_eq!(stale.status.code(), Some(1));
    let report = text(&stale.stdout);
    assert!(
        report.contains("What specs/zenskar.yaml changes since generated was last committed"),
        "{report}"
    );
    assert!(
        report.contains("method renamed from `cancel_checkout_session`"),
        "{report}"
    );
}
