//! Media types as both loading (Swagger 2.0's `consumes` and `produces`) and the model (which
//! body a response is read as) compare them.

/// A media type without its parameters, lower case: `text/event-stream; charset=utf-8` is
/// `text/event-stream`.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
