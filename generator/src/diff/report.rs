//! The report, as text for a terminal, Markdown for a pull request comment, or JSON for tools.
//! Changes are grouped by what they belong to; groups with a break, and breaks within each
//! group, come first.

use std::fmt::Write as _;

use super::{Change, Impact, Report, Subject};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// The worse of a change's two verdicts.
fn worst(change: &Change) -> Impact {
    change.source.min(change.wire)
}

/// The changes grouped by subject, groups in order of their worst change, then operations
/// before types before the client, then by name; changes within a group worst first, else as
/// found.
fn groups(report: &Report) -> Vec<(&Subject, Vec<&Change>)> {
    let mut groups: Vec<(&Subject, Vec<&Change>)> = Vec::new();
    for change in &report.changes {
        match groups
            .iter_mut()
            .find(|(subject, _)| **subject == change.subject)
        {
            Some((_, changes)) => changes.push(change),
            None => groups.push((&change.subject, vec![change])),
        }
    }
    for (_, changes) in &mut groups {
        changes.sort_by_key(|change| worst(change));
    }
    let rank = |subject: &Subject| match subject {
        Subject::Operation { name, .. } => (0, name.clone()),
        Subject::Type { name } => (1, name.clone()),
        Subject::Client => (2, String::new()),
    };
    groups.sort_by(|(a, a_changes), (b, b_changes)| {
        let worst_of = |changes: &[&Change]| changes.iter().map(|c| worst(c)).min();
        worst_of(a_changes)
            .cmp(&worst_of(b_changes))
            .then_with(|| rank(a).cmp(&rank(b)))
    });
    groups
}

fn heading(subject: &Subject) -> String {
    match subject {
        Subject::Operation { name, endpoint } => format!("operation `{name}` ({endpoint})"),
        Subject::Type { name } => format!("type `{name}`"),
        Subject::Client => "client credentials".to_owned(),
    }
}

struct Counts {
    source: usize,
    wire: usize,
    additive: usize,
}

fn counts(report: &Report) -> Counts {
    let count = |test: &dyn Fn(&Change) -> bool| report.changes.iter().filter(|c| test(c)).count();
    Counts {
        source: count(&|c| c.source == Impact::Breaking),
        wire: count(&|c| c.wire == Impact::Breaking),
        additive: count(&|c| c.source == Impact::Additive),
    }
}

fn title(report: &Report) -> String {
    let (old_title, old_version) = &report.old;
    let (new_title, new_version) = &report.new;
    if old_title == new_title {
        format!("{new_title} {old_version} → {new_version}")
    } else {
        format!("{old_title} {old_version} → {new_title} {new_version}")
    }
}

fn summary(report: &Report) -> String {
    let counts = counts(report);
    let changes = match report.changes.len() {
        1 => "1 change".to_owned(),
        n => format!("{n} changes"),
    };
    format!(
        "{changes}: {} break Rust callers, {} break deployed clients, {} add to the API. \
         Suggested version bump for the generated crate: {}.",
        counts.source,
        counts.wire,
        counts.additive,
        report.bump().as_str()
    )
}

fn verdict(impact: Impact) -> &'static str {
    match impact {
        Impact::Breaking => "BREAKING",
        Impact::Additive => "additive",
        Impact::Compatible => "ok",
    }
}

fn text(report: &Report) -> String {
    let mut out = format!("API changes: {}\n{}\n", title(report), summary(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("\n  source    wire      change\n");
    for (subject, changes) in groups(report) {
        let _ = writeln!(out, "{}", heading(subject));
        for change in changes {
            let _ = writeln!(
                out,
                "  {:<9} {:<9} {}\n                      at {}",
                verdict(change.source),
                verdict(change.wire),
                change.what,
                change.pointer
            );
        }
    }
    out
}

/// Text for a Markdown table cell: pipes escaped, and no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "### API changes: {}\n\n{}\n",
        cell(&title(report)),
        summary(report)
    );
    if report.changes.is_empty() {
        return out;
    }
    for (subject, changes) in groups(report) {
        let _ = write!(
            out,
            "\n#### {}\n\n| Rust source | wire | change | where |\n|---|---|---|---|\n",
            cell(&heading(subject))
        );
        for change in changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                verdict(change.source),
                verdict(change.wire),
                cell(&change.what),
                cell(&change.pointer).replace('`', "'")
            );
        }
    }
    out
}

fn json(report: &Report) -> String {
    let counts = counts(report);
    let changes: Vec<serde_json::Value> = groups(report)
        .into_iter()
        .flat_map(|(_, changes)| changes)
        .map(|change| {
            let (kind, name, endpoint) = match &change.subject {
                Subject::Operation { name, endpoint } => {
                    ("operation", name.as_str(), Some(endpoint))
                }
                Subject::Type { name } => ("type", name.as_str(), None),
                Subject::Client => ("client", "", None),
            };
            serde_json::json!({
                "subject": { "kind": kind, "name": name, "endpoint": endpoint },
                "change": change.kind.as_str(),
                "what": change.what,
                "pointer": change.pointer,
                "source": change.source.as_str(),
                "wire": change.wire.as_str(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "old": { "title": report.old.0, "version": report.old.1 },
        "new": { "title": report.new.0, "version": report.new.1 },
        "bump": report.bump().as_str(),
        "breaks": { "source": counts.source, "wire": counts.wire },
        "additive": counts.additive,
        "changes": changes,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
