//! The support code every client carries, kept as a real Rust file in `generator/runtime/`
//! so that it is compiled, linted and tested through the checked-in clients.

const RUNTIME_SOURCE: &str = include_str!("../../runtime/runtime.rs");

/// The runtime's items as written, comments and macro bodies included (a token stream would
/// print `macro_rules!` bodies as one unformatted run), indented as the body of
/// `pub mod runtime`. Its inner doc comments (`//!`) cannot follow `mod runtime {`, so they
/// are left out. The source holds no literal that spans lines, so indenting changes no text.
pub fn runtime_text() -> String {
    let mut text = String::with_capacity(RUNTIME_SOURCE.len() * 11 / 10);
    for line in RUNTIME_SOURCE
        .lines()
        .filter(|line| !line.starts_with("//!"))
    {
        if !line.is_empty() {
            text.push_str("    ");
            text.push_str(line);
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proc_macro2::TokenStream;

    /// Indenting changed no literal: the spliced text reads as the same tokens as the source.
    #[test]
    fn the_indented_runtime_is_the_same_code() {
        let tokens = |text: &str| {
            TokenStream::from_str(text)
                .map(|tokens| tokens.to_string())
                .unwrap_or_else(|err| format!("does not tokenize: {err}"))
        };
        let source: String = super::RUNTIME_SOURCE
            .lines()
            .filter(|line| !line.starts_with("//!"))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(tokens(&super::runtime_text()), tokens(&source));
    }
}
