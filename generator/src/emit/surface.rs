//! The Rust API that generated items show their callers, as text: what `diff` compares to tell
//! whether code written against one client still compiles against another. Each function
//! prints what the emitter writes, through the emitter's own helpers, so the two cannot drift.

use super::operations::{arguments, success_type};
use super::rust::{Scope, built_type_tokens, type_tokens};
use super::types::field_type;
use crate::model::{Api, Field, Operation, Param, TypeDef, TypeRef};

pub use super::rust::unalias;
pub use super::types::{constructor_arguments, non_exhaustive};

/// A struct field's declared type, `Option<types::Pet>`.
pub fn field(api: &Api, owner: &TypeDef, field: &Field) -> String {
    tidy(&field_type(api, owner, field).to_string())
}

/// The type a query or header parameter has in the operation's parameter struct.
pub fn param(api: &Api, param: &Param) -> String {
    let ty = tidy(&built_type_tokens(api, &param.ty, Scope::Types).to_string());
    if param.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A decoded value's type, as a union variant, an alias target or a response body holds it.
pub fn decoded(api: &Api, ty: &TypeRef) -> String {
    tidy(&type_tokens(api, ty, Scope::Types).to_string())
}

/// A built value's type, as a union variant holds it.
pub fn built(api: &Api, ty: &TypeRef) -> String {
    tidy(&built_type_tokens(api, ty, Scope::Types).to_string())
}

/// A method's arguments and result: `(id: &str, body: &types::Pet) -> types::Pet`.
pub fn method(api: &Api, operation: &Operation) -> String {
    let arguments: Vec<String> = arguments(api, operation)
        .iter()
        .map(|argument| tidy(&argument.to_string()))
        .collect();
    let success = tidy(&success_type(api, operation).to_string());
    format!("({}) -> {success}", arguments.join(", "))
}

/// Token text without the spaces `to_string` puts between every token: kept only between two
/// words (`impl Into`), and after commas and single colons.
fn tidy(tokens: &str) -> String {
    let mut out = String::with_capacity(tokens.len());
    let parts: Vec<&str> = tokens.split(' ').filter(|part| !part.is_empty()).collect();
    for (index, part) in parts.iter().enumerate() {
        if let Some(previous) = index.checked_sub(1).and_then(|i| parts.get(i)) {
            let word = |text: &str, at_end: bool| {
                let c = if at_end {
                    text.chars().next_back()
                } else {
                    text.chars().next()
                };
                c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '\'')
            };
            if (word(previous, true) && word(part, false)) || *previous == "," || *previous == ":" {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn token_text_reads_as_written() {
        assert_eq!(
            tidy("body : Option < & types :: Pet > , id : impl Into < String >"),
            "body: Option<&types::Pet>, id: impl Into<String>"
        );
    }
}
