//! The README's quick start, as a new user follows it with the installed tool and nothing else:
//! a project outside this repository with its own spec and `specwright.yaml`, the generator
//! installed into it with `cargo install`, bare `specwright` and `specwright --check` run in
//! it, the generated crate (with the runtime's source written beside it) built, and the quick
//! start's `main` run against a local server. Then `--crate` into a folder of another
//! workspace, which builds where it lands.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    std::path::absolute(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).expect("absolute")
}

fn copy(from: &Path, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).expect("the directory is made");
    }
    std::fs::copy(from, to).unwrap_or_else(|err| panic!("{}: {err}", from.display()));
}

fn succeeded(what: &str, output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what}:\n{stdout}\n{stderr}");
    stdout
}

/// A server on 127.0.0.1 that answers each of `answers` to one request, in order, and sends
/// back the requests it read, head only.
fn serve(answers: Vec<(u16, &'static str)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = std::thread::spawn(move || {
        let mut heads = Vec::new();
        for (status, body) in answers {
            let (stream, _) = listener.accept().expect("a connection");
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            heads.push(head);
            let reason = if status == 200 { "OK" } else { "Not Found" };
            let response = format!(
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
        heads
    });
    (url, server)
}

#[test]
#[ignore = "installs the generator and builds two crates outside the workspace, minutes from a cold cache; .ci/run runs it"]
fn a_new_project_generates_builds_and_calls_its_own_api_with_the_installed_tool() {
    let root = workspace();
    let example = root.join("examples/quickstart");
    let project =
        std::env::temp_dir().join(format!("specwright-quickstart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&project);
    for file in [
        "openapi.yaml",
        "specwright.yaml",
        "Cargo.toml",
        "src/main.rs",
    ] {
        copy(&example.join(file), &project.join(file));
    }
    // The workspace's lock file: the same versions, already built in the shared target.
    copy(&root.join("Cargo.lock"), &project.join("Cargo.lock"));
    let target = root.join("target/external-consumer");
    let cargo = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO"))
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs")
    };

    let tools = project.join(".tools");
    let generator = root.join("generator");
    succeeded(
        "cargo install",
        cargo(
            &project,
            &[
                "install",
                "-q",
                "--debug",
                "--locked",
                "--path",
                generator.to_str().expect("utf-8"),
                "--root",
                tools.to_str().expect("utf-8"),
            ],
        ),
    );
    let specwright = |dir: &Path, args: &[&str]| {
        Command::new(tools.join("bin/specwright"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("the installed tool runs")
    };

    // Bare `specwright` in the project regenerates what its own specwright.yaml lists.
    let wrote = succeeded("specwright", specwright(&project, &[]));
    assert!(wrote.contains("bookshelf/src/lib.rs"), "{wrote}");
    let manifest = std::fs::read_to_string(project.join("bookshelf/Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("specwright-runtime = { path = \"../specwright-runtime\""),
        "{manifest}"
    );
    assert!(project.join("specwright-runtime/src/lib.rs").is_file());
    let checked = succeeded(
        "specwright --check",
        specwright(&project.join("src"), &["--check"]),
    );
    assert!(checked.contains("up to date"), "{checked}");

    succeeded("cargo build", cargo(&project, &["build", "-q"]));
    let (url, server) = serve(vec![
        (
            200,
            r#"{"id": 42, "title": "Dune", "author": "Frank Herbert"}"#,
        ),
        (404, r#"{"title": "No book 42"}"#),
    ]);
    let run = || {
        Command::new(target.join("debug/quickstart"))
            .env("BOOKSHELF_URL", &url)
            .env("BOOKSHELF_API_KEY", "key-1")
            .output()
            .expect("main runs")
    };
    assert_eq!(succeeded("main", run()), "Dune by Frank Herbert\n");
    assert_eq!(succeeded("main", run()), "no such book: No book 42\n");
    let heads = server.join().expect("the server");
    assert!(
        heads[0].starts_with("GET /books/42 HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("x-api-key: key-1\r\n"),
        "{}",
        heads[0]
    );

    // `--crate` into a folder of a workspace that does not list it, with the default runtime.
    let other = project.join("other");
    std::fs::create_dir_all(other.join("app/src")).expect("a workspace");
    std::fs::write(
        other.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\"]\n",
    )
    .expect("written");
    std::fs::write(
        other.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nedition = \"2021\"\n",
    )
    .expect("written");
    std::fs::write(other.join("app/src/lib.rs"), "").expect("written");
    let spec = project.join("openapi.yaml");
    let generated = specwright(
        &other,
        &[
            "generate",
            spec.to_str().expect("utf-8"),
            "--crate",
            "clients/bookshelf",
        ],
    );
    let note = String::from_utf8_lossy(&generated.stderr).into_owned();
    succeeded("specwright generate --crate", generated);
    assert!(note.contains("add \"clients/bookshelf\""), "{note}");
    copy(
        &root.join("Cargo.lock"),
        &other.join("clients/bookshelf/Cargo.lock"),
    );
    succeeded(
        "cargo build of the crate",
        cargo(&other.join("clients/bookshelf"), &["build", "-q"]),
    );
    // The workspace around it still builds too.
    succeeded(
        "cargo build of the workspace",
        cargo(&other, &["build", "-q"]),
    );
    let _ = std::fs::remove_dir_all(&project);
}
