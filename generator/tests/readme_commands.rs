//! Every command the README and CONTRIBUTING.md show in a `sh` block names what exists: a
//! package, binary, test, bench or path of this workspace, a script, and flags the installed
//! `specwright` takes. A command that names something gone fails here, not in a reader's shell.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The commands of every ```sh block (continuation lines joined, comments and blank lines left
/// out), and the inline code spans of the prose that start with `cargo ` or `specwright `.
fn commands(markdown: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in markdown.lines() {
        if let Some(language) = line.strip_prefix("```") {
            in_block = !in_block && (language == "sh" || language == "bash");
            continue;
        }
        if !in_block {
            commands.extend(
                line.split('`')
                    .skip(1)
                    .step_by(2)
                    .filter(|span| span.starts_with("cargo ") || span.starts_with("specwright "))
                    .map(|span| span.replace('…', " ").trim().to_owned()),
            );
            continue;
        }
        let code = match line.find(" #") {
            Some(at) => &line[..at],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        let (code, continued) = match code.trim_end().strip_suffix('\\') {
            Some(code) => (code, true),
            None => (code, false),
        };
        pending.push_str(code.trim());
        pending.push(' ');
        if !continued {
            if !pending.trim().is_empty() {
                commands.push(pending.trim().to_owned());
            }
            pending.clear();
        }
    }
    commands
}

/// The workspace's packages: `(name, directory)`.
fn packages() -> Vec<(String, PathBuf)> {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml"))
            .expect("TOML");
    let members = manifest["workspace"]["members"]
        .as_array()
        .expect("members");
    members
        .iter()
        .filter_map(toml::Value::as_str)
        .map(|member| {
            let dir = root().join(member);
            let package: toml::Table = toml::from_str(
                &std::fs::read_to_string(dir.join("Cargo.toml")).expect("a member's manifest"),
            )
            .expect("TOML");
            let name = package["package"]["name"]
                .as_str()
                .expect("a name")
                .to_owned();
            (name, dir)
        })
        .collect()
}

/// The stems of the `.rs` files and the folders in `dir`, as Cargo discovers targets there.
fn targets(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .collect()
}

fn help(subcommand: Option<&str>) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_specwright"))
        .args(subcommand)
        .arg("--help")
        .output()
        .expect("the generator runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What is wrong with one command, if anything.
fn problems(command: &str) -> Vec<String> {
    let packages = packages();
    let words: Vec<&str> = command
        .split_whitespace()
        .skip_while(|word| word.contains('=') && !word.starts_with('-'))
        .collect();
    let value_of = |flags: &[&str]| -> Vec<&str> {
        words
            .windows(2)
            .filter(|pair| flags.contains(&pair[0]))
            .map(|pair| pair[1])
            .collect()
    };
    let mut problems = Vec::new();
    match words.first().copied() {
        Some("cargo") => {
            let mut selected: Vec<&(String, PathBuf)> = Vec::new();
            for name in value_of(&["-p", "--package"]) {
                match packages.iter().find(|(package, _)| package == name) {
                    Some(package) => selected.push(package),
                    None => problems.push(format!("no package `{name}`")),
                }
            }
            if selected.is_empty() {
                selected.extend(packages.iter());
            }
            let found_in = |kind: &str, name: &str| {
                selected.iter().any(|(_, dir)| {
                    let place = match kind {
                        "bin" => dir.join("src/bin"),
                        "bench" => dir.join("benches"),
                        _ => dir.join("tests"),
                    };
                    targets(&place).iter().any(|target| target == name)
                        || (kind == "bin"
                            && dir.join("src/main.rs").is_file()
                            && packages
                                .iter()
                                .any(|(package, d)| package == name && d == dir))
                })
            };
            for (flag, kind) in [("--bin", "bin"), ("--test", "test"), ("--bench", "bench")] {
                for name in value_of(&[flag]) {
                    if !found_in(kind, name) {
                        problems.push(format!("no {kind} `{name}`"));
                    }
                }
            }
            for path in value_of(&["--path", "--manifest-path"]) {
                if !root().join(path).exists() {
                    problems.push(format!("no path `{path}`"));
                }
            }
            if words.get(1) == Some(&"clippy") {
                let separator = words.iter().position(|word| *word == "--");
                let deny = words.iter().position(|word| *word == "-D");
                if deny.is_some() && (separator.is_none() || separator > deny) {
                    problems.push("clippy's `-D` goes after `--`".to_owned());
                }
            }
        }
        Some("specwright") => {
            let subcommand = words
                .get(1)
                .copied()
                .filter(|word| ["generate", "diff"].contains(word));
            let help = help(subcommand);
            for word in &words[1..] {
                let flag = word.split('=').next().unwrap_or(word);
                if flag.starts_with("--") && !help.contains(flag) {
                    problems.push(format!("`specwright` has no flag `{flag}`"));
                }
            }
        }
        Some(first) => {
            let script = match first {
                "bash" | "sh" => words.get(1).copied(),
                other => Some(other),
            }
            .filter(|word| word.starts_with("scripts/") || word.starts_with(".ci/"));
            if let Some(script) = script.filter(|script| !root().join(script).is_file()) {
                problems.push(format!("no script `{script}`"));
            }
        }
        None => {}
    }
    problems
}

#[test]
fn every_command_shown_names_what_exists() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for file in ["README.md", "CONTRIBUTING.md"] {
        let text = std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        for command in commands(&text) {
            seen += 1;
            for problem in problems(&command) {
                failures.push(format!("{file}: `{command}`: {problem}"));
            }
        }
    }
    assert!(seen >= 10, "only {seen} commands");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrong_command_is_noticed() {
    assert_eq!(
        problems("cargo bench -p generator"),
        ["no package `generator`"]
    );
    assert_eq!(
        problems("cargo clippy --workspace --all-targets -D warnings"),
        ["clippy's `-D` goes after `--`"]
    );
    assert!(problems("cargo clippy --workspace --all-targets -- -D warnings").is_empty());
    assert_eq!(
        problems("cargo run -p specwright --bin nothing"),
        ["no bin `nothing`"]
    );
    assert!(problems("cargo run -p specwright-harness --release --bin corpus -- x").is_empty());
    assert_eq!(
        problems("cargo run -p specwright --release --bin corpus -- x"),
        ["no bin `corpus`"]
    );
    assert!(problems("cargo test -p specwright --test cli").is_empty());
    assert_eq!(
        problems("specwright generate a.yaml --frobnicate"),
        ["`specwright` has no flag `--frobnicate`"]
    );
    assert!(problems("specwright generate a.yaml --crate x --runtime-path y").is_empty());
    assert_eq!(
        problems("scripts/nothing.sh --ci"),
        ["no script `scripts/nothing.sh`"]
    );
    assert!(problems("CI=true bash .ci/run").is_empty());
    assert_eq!(
        commands(
            "```sh\ncargo run \\\n  --release # why\n# alone\n```\n```rust\ncargo x\n```\nsay `cargo test -p a` or `b`\n"
        ),
        ["cargo run --release", "cargo test -p a"]
    );
}
