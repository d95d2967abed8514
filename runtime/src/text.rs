//! How a JSON scalar is written where text is wanted: query and path parameters, headers,
//! multipart fields.

use crate::Value;

/// Strings as they are, other scalars as JSON (`1.5`, `true`).
pub(crate) fn scalar_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}
