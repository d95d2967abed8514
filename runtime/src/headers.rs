//! Typed response headers: what the generated `from_headers` of a response's header struct
//! reads with. Part of the types, so there with or without the `client` feature.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::{HeaderMap, Value};

/// A documented response header that is missing or does not parse as its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    pub name: &'static str,
    pub message: String,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response header `{}`: {}", self.name, self.message)
    }
}

impl std::error::Error for HeaderError {}

/// A response header as `T`, `None` when absent. The text is read as a string first (strings,
/// enums, uuids, dates), then as JSON (numbers, booleans); repeated headers are joined by `, `.
pub fn optional_header<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &'static str,
) -> Result<Option<T>, HeaderError> {
    let mut texts = Vec::new();
    for value in headers.get_all(name) {
        texts.push(value.to_str().map_err(|_| HeaderError {
            name,
            message: "is not visible ASCII text".to_owned(),
        })?);
    }
    if texts.is_empty() {
        return Ok(None);
    }
    let text = texts.join(", ");
    let as_string = serde_json::from_value(Value::String(text.clone()));
    match as_string {
        Ok(value) => Ok(Some(value)),
        Err(err) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| HeaderError {
                name,
                message: format!("`{text}` does not parse: {err}"),
            }),
    }
}

/// A response header the spec says is always sent.
pub fn required_header<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &'static str,
) -> Result<T, HeaderError> {
    optional_header(headers, name)?.ok_or_else(|| HeaderError {
        name,
        message: "is missing".to_owned(),
    })
}
