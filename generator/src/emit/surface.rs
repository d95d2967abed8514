//! The Rust API that generated items show their callers, as text: what `diff` compares to tell
//! whether code written against one client still compiles against another. Each function
//! prints what the emitter writes, through the emitter's own helpers, so the two cannot drift.

use super::operations::success_type;
use super::rust::{Scope, built_type_tokens, text, type_tokens};
use super::types::field_type;
use crate::model::{Api, Field, Operation, Param, TypeDef, TypeRef};

pub use super::rust::unalias;
pub use super::types::{constructor_arguments, non_exhaustive};

/// A struct field's declared type, `Option<types::Pet>`.
pub fn field(api: &Api, owner: &TypeDef, field: &Field) -> String {
    text(&field_type(api, owner, field))
}

/// The type a query or header parameter has in the operation's parameter struct.
pub fn param(api: &Api, param: &Param) -> String {
    let ty = text(&built_type_tokens(api, &param.ty, Scope::Types));
    if param.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A decoded value's type, as a union variant, an alias target or a response body holds it.
pub fn decoded(api: &Api, ty: &TypeRef) -> String {
    text(&type_tokens(api, ty, Scope::Types))
}

/// A built value's type, as a union variant holds it.
pub fn built(api: &Api, ty: &TypeRef) -> String {
    text(&built_type_tokens(api, ty, Scope::Types))
}

/// A method's result type: `types::Pet`, or the enum of its successes.
pub fn result(api: &Api, operation: &Operation) -> String {
    text(&success_type(api, operation))
}
