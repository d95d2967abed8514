//! The support code every client carries, kept as a real Rust file in `generator/runtime/`
//! so that it is compiled, linted and tested through the checked-in clients.

use std::str::FromStr;

use proc_macro2::TokenStream;

use crate::diagnostics::{Diagnostic, Error};

const RUNTIME_SOURCE: &str = include_str!("../../runtime/runtime.rs");

pub fn runtime_tokens() -> Result<TokenStream, Error> {
    // Inner doc comments (`//!`) cannot follow `mod runtime {`, so they are left out.
    let items: String = RUNTIME_SOURCE
        .lines()
        .filter(|line| !line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    TokenStream::from_str(&items).map_err(|err| {
        Error::single(Diagnostic::error(
            "",
            format!("internal error: the runtime source does not tokenize: {err}"),
        ))
    })
}
