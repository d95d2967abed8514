//! The README's Rust and TOML examples are copies of files that are compiled and run
//! (`examples/build-rs-consumer` and its tests), so they cannot drift from working code.
//! Every such block is preceded by `<!-- from: PATH -->`, and its lines are a run of that
//! file's lines (indentation aside, so that an excerpt from inside a function reads flush left),
//! or by `<!-- not compiled: WHY -->` for a line of configuration shown in passing.

use std::path::Path;

/// `(source path, block text)` for every fenced block in `readme` whose language is `rust` or
/// `toml` and that is not marked `not compiled`; the path is `None` when no `from` comment
/// precedes the block.
fn compiled_languages_blocks(readme: &str) -> Vec<(Option<String>, String)> {
    let mut blocks = Vec::new();
    let mut from = None;
    let mut exempt = false;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("<!-- not compiled: ") {
            exempt = true;
            continue;
        }
        if let Some(path) = line
            .strip_prefix("<!-- from: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            from = Some(path.to_owned());
            continue;
        }
        if let Some(language) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            if (language == "rust" || language == "toml") && !exempt {
                blocks.push((from.take(), body.join("\n")));
            }
            from = None;
            exempt = false;
        } else if !line.trim().is_empty() {
            from = None;
            exempt = false;
        }
    }
    blocks
}

/// Whether `block`'s lines appear, in a run, among `file`'s lines, leading spaces ignored.
fn is_excerpt_of(block: &str, file: &str) -> bool {
    let wanted: Vec<&str> = block.lines().map(str::trim_start).collect();
    let have: Vec<&str> = file.lines().map(str::trim_start).collect();
    !wanted.is_empty() && have.windows(wanted.len()).any(|window| window == wanted)
}

#[test]
fn readme_examples_are_the_tested_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let blocks = compiled_languages_blocks(&readme);
    assert!(
        blocks.len() >= 5,
        "only {} Rust and TOML blocks",
        blocks.len()
    );
    for (from, block) in blocks {
        let Some(from) = from else {
            panic!("a README block has no `<!-- from: PATH -->` above it:\n{block}");
        };
        let file =
            std::fs::read_to_string(root.join(&from)).unwrap_or_else(|err| panic!("{from}: {err}"));
        assert!(
            is_excerpt_of(&block, &file),
            "the README's block from {from} is not in that file:\n{block}"
        );
    }
}

#[test]
fn an_edited_block_is_noticed() {
    let file = "fn main() {\n    let a = 1;\n    let b = 2;\n}\n";
    assert!(is_excerpt_of("let a = 1;\nlet b = 2;", file));
    assert!(!is_excerpt_of("let a = 1;\nlet b = 3;", file));
    assert!(!is_excerpt_of("let b = 2;\nlet a = 1;", file));
    let readme = "<!-- from: a.rs -->\n```rust\nx\n```\n\n```toml\ny\n```\n```sh\nz\n```\n\
                  <!-- not compiled: shown in passing -->\n```toml\nw\n```\n";
    assert_eq!(
        compiled_languages_blocks(readme),
        [
            (Some("a.rs".to_owned()), "x".to_owned()),
            (None, "y".to_owned())
        ]
    );
}
