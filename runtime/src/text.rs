//! How a JSON scalar is written where text is wanted: query and path parameters, headers,
//! multipart fields.

use crate::Value;

/// The JSON text of `value` when it is a number, as its `Serialize` wrote it: a decimal kept
/// digit for digit (`runtime::DecimalNumber`) would lose digits through a `Value`.
#[cfg(feature = "client")]
pub(crate) fn number_text<T: serde::Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_string(value)
        .ok()
        .filter(|text| text.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
}

/// A parameter or form field's texts: one per item of a list, none for `null`.
#[cfg(feature = "client")]
pub(crate) fn scalar_texts(value: Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.into_iter().map(scalar_text).collect(),
        other => vec![scalar_text(other)],
    }
}

/// Strings as they are, other scalars as JSON (`1.5`, `true`).
pub(crate) fn scalar_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}
