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
    let lines = lines.iter().map(|line| {
        let line = doc_literal(line);
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `#[doc]` attributes, one per line, from lines already cleaned and laid out (a nested list,
/// whose indentation [`doc_attrs`] would remove).
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = doc_literal(line);
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
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
    use super::{clean, doc_literal};

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
}
