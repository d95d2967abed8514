//! `specwright diff` on one spec pair per change kind (`tests/diff/pairs.yaml`): the report
//! holds the change with the expected verdicts for Rust callers and for deployed clients, and
//! its text is pinned by a snapshot.

use std::path::{Path, PathBuf};

use serde_json::Value;
use specwright::diff::{Format, Impact};

const PAIRS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/diff/pairs.yaml");

struct Case {
    name: String,
    /// Why cargo-semver-checks cannot see this pair's break, when it cannot.
    no_semver_lint: Option<String>,
    change: String,
    source: String,
    wire: String,
    new: Value,
}

fn cases() -> (Value, Vec<Case>) {
    let text = std::fs::read_to_string(PAIRS).expect("pairs.yaml is readable");
    let pairs: Value = serde_yaml::from_str(&text).expect("pairs.yaml is YAML");
    let base = pairs["base"].clone();
    let cases = pairs["cases"]
        .as_array()
        .expect("cases is a list")
        .iter()
        .map(|case| {
            let mut new = base.clone();
            for operation in case["patch"].as_array().expect("patch is a list") {
                patch(&mut new, operation);
            }
            let expect = |key: &str| case["expect"][key].as_str().expect(key).to_owned();
            Case {
                name: case["name"].as_str().expect("name").to_owned(),
                no_semver_lint: case["no_semver_lint"].as_str().map(str::to_owned),
                change: expect("change"),
                source: expect("source"),
                wire: expect("wire"),
                new,
            }
        })
        .collect();
    (base, cases)
}

/// One JSON Patch operation (add, remove or replace); `-` appends to a list.
fn patch(document: &mut Value, operation: &Value) {
    let path = operation["path"].as_str().expect("path");
    let (parent, last) = path.rsplit_once('/').expect("a path below the root");
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent = document
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{path}: no such parent"));
    let value = operation.get("value").cloned();
    match (operation["op"].as_str(), parent) {
        (Some("remove"), Value::Object(map)) => {
            map.shift_remove(&last)
                .unwrap_or_else(|| panic!("{path}: nothing to remove"));
        }
        (Some("remove"), Value::Array(items)) => {
            items.remove(last.parse().expect("an index"));
        }
        (Some("add" | "replace"), Value::Object(map)) => {
            map.insert(last, value.expect("a value"));
        }
        (Some("add"), Value::Array(items)) if last == "-" => items.push(value.expect("a value")),
        (Some("replace"), Value::Array(items)) => {
            items[last.parse::<usize>().expect("an index")] = value.expect("a value")
        }
        (op, _) => panic!("{path}: cannot {op:?} there"),
    }
}

fn write(dir: &Path, name: &str, spec: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(spec).expect("JSON")).expect("written");
    path
}

#[test]
fn each_change_kind_is_found_and_judged() {
    let (base, cases) = cases();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-pairs");
    let mut failures = Vec::new();
    for case in &cases {
        let dir = root.join(&case.name);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let old = write(&dir, "old.json", &base);
        let new = write(&dir, "new.json", &case.new);
        // For scripts/diff-semver.sh, which checks the pairs against cargo-semver-checks.
        let gap = serde_json::json!({ "no_semver_lint": case.no_semver_lint });
        write(&dir, "case.json", &gap);
        let report =
            specwright::diff_files(&old, &new).unwrap_or_else(|err| panic!("{}: {err}", case.name));
        let found = (case.change == "none" && report.changes.is_empty())
            || report.changes.iter().any(|change| {
                change.kind.as_str() == case.change
                    && change.source.as_str() == case.source
                    && change.wire.as_str() == case.wire
            });
        if !found {
            failures.push(format!(
                "{}: no {} change judged source {}, wire {}:\n{}",
                case.name,
                case.change,
                case.source,
                case.wire,
                report.render(Format::Text)
            ));
        }
        insta::assert_snapshot!(format!("diff_{}", case.name), report.render(Format::Text));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_spec_compared_with_itself_changes_nothing() {
    let (base, _) = cases();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-same");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let spec = write(&dir, "spec.json", &base);
    let report = specwright::diff_files(&spec, &spec).expect("the spec reads");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.bump(), specwright::diff::Bump::None);
}

#[test]
fn the_bump_follows_the_worst_source_verdict() {
    let (base, cases) = cases();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-bump");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let old = write(&dir, "old.json", &base);
    for (name, bump) in [
        ("operation_removed", specwright::diff::Bump::Major),
        ("operation_added", specwright::diff::Bump::Minor),
        ("constraint_loosened", specwright::diff::Bump::Patch),
    ] {
        let case = cases.iter().find(|c| c.name == name).expect(name);
        let new = write(&dir, &format!("{name}.json"), &case.new);
        let report = specwright::diff_files(&old, &new).expect("the specs read");
        assert_eq!(report.bump(), bump, "{name}");
        let breaks = report.changes.iter().any(|c| c.source == Impact::Breaking);
        assert_eq!(
            breaks,
            report.breaks(specwright::diff::Axis::Source),
            "{name}"
        );
    }
}

#[test]
fn markdown_and_json_reports_hold_every_change() {
    let (base, cases) = cases();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-formats");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let old = write(&dir, "old.json", &base);
    let case = cases
        .iter()
        .find(|c| c.name == "field_added_required")
        .expect("case");
    let new = write(&dir, "new.json", &case.new);
    let report = specwright::diff_files(&old, &new).expect("the specs read");
    let json: Value = serde_json::from_str(&report.render(Format::Json)).expect("JSON");
    let changes = json["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), report.changes.len());
    assert_eq!(json["bump"], "major");
    assert_eq!(
        changes[0]["pointer"], "/components/schemas/NewPet/properties/shelter",
        "breaking changes come first"
    );
    assert_eq!(changes[0]["source"], "breaking");
    assert_eq!(changes[0]["wire"], "breaking");
    let markdown = report.render(Format::Markdown);
    insta::assert_snapshot!("diff_markdown", markdown);
}
