//! Descriptions from the spec to doc attributes that cannot break the output.
//!
//! Spec text is untrusted: it goes into `#[doc = r#"..."#]` string literals (with as many `#`s
//! as it takes that no quote in the text ends one), and is cleaned so that rustdoc does not run
//! it as a doctest or render it misleadingly.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Bidirectional-text controls, which can make source read differently from how it compiles.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Rustdoc compiles unmarked and `rust` code blocks as doctests; spec examples are not Rust.
/// Fences get a `text` tag, and indentation (an indented code block) is removed.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line: String = line.chars().filter(|c| !is_bidi_control(*c)).collect();
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let info = info.trim();
                let tag = if info.is_empty() || info.starts_with("rust") {
                    "text"
                } else {
                    info
                };
                out.push(format!("```{tag}"));
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.clone());
        } else {
            out.push(trimmed.trim_end().to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.join("\n")
}

/// `#[doc]` attributes, one per line, from paragraphs that may be absent.
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    doc_lines(&paragraph_lines(paragraphs))
}

/// The lines of paragraphs that may be absent, each cleaned, a blank line between two.
pub fn paragraph_lines<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.into_iter().flatten() {
        let cleaned = clean(paragraph);
        if cleaned.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(cleaned.lines().map(str::to_owned));
    }
    lines
}

/// `#[doc]` attributes, one per line, from lines already cleaned and laid out (a nested list,
/// whose indentation [`doc_attrs`] would remove), long ones wrapped.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = wrap(lines);
    let lines = lines.iter().map(|line| {
        let line = doc_literal(line);
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The longest doc line, leading spaces included, that wrapping leaves: with `/// ` and an item
/// nested two levels deep (a field of a struct in `types`), 100 columns.
const WIDTH: usize = 88;

/// Long lines broken at spaces for the source's reader, so that rustdoc renders the same: only
/// paragraph text is broken (not fences, tables, headings or HTML), never inside a code span,
/// and never before a word that would start a block (a list marker, a quote, a heading, a
/// fence) or after a `\` (a hard break). A list item's lines go on under its text.
fn wrap(lines: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_fence = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(line.clone());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let wrappable = !in_fence
            && indent < 4
            && line.chars().count() > WIDTH
            && !trimmed.starts_with(['#', '<', '>'])
            && !trimmed.contains('|');
        if wrappable {
            wrap_line(line, indent, &mut out);
        } else {
            out.push(line.clone());
        }
    }
    out
}

fn wrap_line(line: &str, indent: usize, out: &mut Vec<String>) {
    let (prefix, text) = line.split_at(indent);
    let marker = list_marker(text);
    let continuation = " ".repeat(indent + marker);
    let pieces = pieces(text);
    let mut current = prefix.to_owned();
    let mut current_width = indent;
    for (index, piece) in pieces.iter().enumerate() {
        let width = piece.chars().count();
        if index > 0 && current_width + 1 + width > WIDTH {
            out.push(std::mem::replace(&mut current, continuation.clone()));
            current_width = continuation.len();
        } else if index > 0 {
            current.push(' ');
            current_width += 1;
        }
        current.push_str(piece);
        current_width += width;
    }
    out.push(current);
}

/// The width of the list marker a line starts with (`- `, `1. `), or 0.
fn list_marker(text: &str) -> usize {
    if text.starts_with("- ") || text.starts_with("* ") || text.starts_with("+ ") {
        return 2;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    if (1..=9).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")) {
        digits + 2
    } else {
        0
    }
}

/// `text` split at the spaces a line may break at: single spaces outside code spans, before a
/// word that cannot start a block and not after a `\`.
fn pieces(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    // The length of the backtick run that opened the code span we are in.
    let mut code: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'`' => {
                let run = bytes[at..].iter().take_while(|b| **b == b'`').count();
                code = match code {
                    None if closes(bytes, at + run, run) => Some(run),
                    Some(open) if open == run => None,
                    other => other,
                };
                at += run;
                continue;
            }
            b' ' if code.is_none()
                && at > start
                && bytes[at - 1] != b' '
                && bytes[at - 1] != b'\\'
                && can_start_line(&text[at + 1..]) =>
            {
                pieces.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
    pieces.push(&text[start..]);
    pieces
}

/// Whether a run of `run` backticks follows `from` in `bytes`: an opening run without one is
/// literal text, not a code span.
fn closes(bytes: &[u8], from: usize, run: usize) -> bool {
    let mut at = from;
    while at < bytes.len() {
        if bytes[at] == b'`' {
            let length = bytes[at..].iter().take_while(|b| **b == b'`').count();
            if length == run {
                return true;
            }
            at += length;
        } else {
            at += 1;
        }
    }
    false
}

/// Whether a line may start with `rest` and go on the paragraph: a letter, an opening bracket
/// or quote, a single backtick, or a number that is not a list marker.
fn can_start_line(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() => true,
        Some('(' | '"' | '\'') => true,
        Some('[') => !rest.starts_with("[^"),
        Some('`') => !rest.starts_with("```"),
        Some(c) if c.is_ascii_digit() => {
            let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            !after.starts_with(['.', ')'])
        }
        _ => false,
    }
}

/// Spec text as one cleaned line, for a list item or a comment: its lines joined by spaces.
pub fn one_line(text: &str) -> String {
    clean(text)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Spec text as Markdown code (`` `text` ``): a backtick in it would end the span.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// One doc line as a raw string literal, after the space that follows `///`. Docs are most of a
/// big client's text; a raw literal is neither escaped here nor unescaped when parsed for
/// formatting, which an ordinary one is, character by character.
fn doc_literal(line: &str) -> Literal {
    if line.is_empty() {
        return Literal::string("");
    }
    // Enough `#`s that no quote in the line followed by `#`s can end the literal early.
    let hashes = line
        .match_indices('"')
        .map(|(at, _)| 1 + line[at + 1..].bytes().take_while(|b| *b == b'#').count())
        .max()
        .unwrap_or(0);
    let hashes = "#".repeat(hashes);
    // Rust allows at most 255 `#`s; a line that needs more is escaped the ordinary way.
    format!("r{hashes}\" {line}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(&format!(" {line}")))
}

/// "Pattern: `regex`." for a documented pattern (which the client does not check).
pub fn pattern_note(pattern: Option<&str>) -> Option<String> {
    pattern.map(|pattern| format!("Pattern: `{}`.", pattern.replace('`', "'")))
}

/// "Default: `value`." for a documented default, shortened when long.
pub fn default_note(default: Option<&serde_json::Value>) -> Option<String> {
    let text = default?.to_string().replace('`', "'");
    let text = if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    };
    Some(format!("Default: `{text}`."))
}

/// Items as prose: "a", "a and b", "a, b and c".
pub fn and_list(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{WIDTH, clean, doc_literal, wrap};

    #[test]
    fn doc_lines_are_raw_literals_that_keep_their_text() {
        let many_hashes = format!("\"{}", "#".repeat(300));
        let lines = [
            &many_hashes,
            "plain",
            "say \"hi\"",
            "a \"# b",
            "\"##\"",
            "back\\slash",
            "tab\there",
            "ünï",
            "",
        ];
        for line in lines {
            let literal = doc_literal(line);
            let parsed: syn::LitStr = syn::parse_quote!(#literal);
            let expected = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            assert_eq!(parsed.value(), expected, "{line:?}");
        }
    }

    #[test]
    fn fences_become_text_and_indents_go() {
        let cleaned = clean("Example:\r\n```\nfn main() {}\n```\n    indented\n```rust\nx\n");
        assert_eq!(
            cleaned,
            "Example:\n```text\nfn main() {}\n```\nindented\n```text\nx\n```"
        );
    }

    #[test]
    fn bidi_controls_are_removed() {
        assert_eq!(clean("a\u{202E}b"), "ab");
    }

    fn wrapped(text: &str) -> Vec<String> {
        wrap(&text.lines().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn long_lines_break_at_spaces_between_words_only() {
        let words = "word ".repeat(40);
        let lines = wrapped(words.trim_end());
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| line.chars().count() <= WIDTH));
        assert_eq!(lines.join(" "), words.trim_end());
    }

    #[test]
    fn code_spans_fences_tables_and_markers_are_not_broken() {
        let span = format!(
            "{} `a b c d e f g h i j k l m n o p q r s t u v w x y z` end",
            "x ".repeat(30)
        );
        let lines = wrapped(&span);
        assert!(
            lines
                .iter()
                .any(|line| line.contains("`a b c d e f g h i j k l m n o p q r s t u v w x y z`"))
        );
        let table = format!("| {} |", "cell ".repeat(30));
        assert_eq!(wrapped(&table), vec![table]);
        let fence = format!("```text\n{}\n```", "code ".repeat(30));
        assert_eq!(wrapped(&fence).len(), 3);
        // A break before `- `, `1.` or `#` would start a list or a heading.
        let risky = format!("{} - 1. # > ``` 2) =", "y".repeat(WIDTH - 2));
        assert_eq!(wrapped(&risky), vec![risky]);
    }

    #[test]
    fn a_list_items_lines_go_on_under_its_text() {
        let item = format!("- `name`: {}", "long words ".repeat(12).trim_end());
        let lines = wrapped(&item);
        assert!(lines.len() > 1);
        assert!(
            lines[1..]
                .iter()
                .all(|line| line.starts_with("  ") && !line.starts_with("   "))
        );
    }
}
