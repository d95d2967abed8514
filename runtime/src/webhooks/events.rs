//! What a generated `webhooks` module calls to tell an event from a request and to make the
//! request the API would send: reading the event header and the payload's tag, decoding and
//! encoding payloads, and keeping what it does not know.

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserializer, Serialize};

use super::{Sign, WebhookError};
use crate::HeaderMap;

/// An event the spec does not describe, kept as it came: for a receiver that logs it, passes it
/// on, or reads it once a newer spec names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEvent {
    /// What the request called it (its event header, or its payload's tag), if anything.
    pub name: Option<String>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl UnknownEvent {
    pub fn new(name: Option<&str>, body: &[u8]) -> Self {
        Self {
            name: name.map(str::to_owned),
            body: body.to_vec(),
        }
    }
}

/// The value of the header that names the event.
pub fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    let value = headers.get(name).ok_or(WebhookError::MissingHeader(name))?;
    value.to_str().map_err(|_| WebhookError::InvalidHeader {
        name,
        reason: "is not visible ASCII",
    })
}

/// The string the JSON object `body` holds at its top-level key `property`, if it is one; the
/// rest of the body is skipped unread, not built.
pub fn tag(body: &[u8], property: &str) -> Result<Option<String>, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let found = deserializer.deserialize_any(TagVisitor { property })?;
    deserializer.end()?;
    Ok(found)
}

struct TagVisitor<'p> {
    property: &'p str,
}

impl<'de> Visitor<'de> for TagVisitor<'_> {
    type Value = Option<String>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.property && found.is_none() {
                found = map
                    .next_value::<serde_json::Value>()?
                    .as_str()
                    .map(str::to_owned);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    // Any other JSON value has no properties: the event is not told by its tag.
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A payload from its JSON body.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    Ok(serde_json::from_slice(body)?)
}

/// A payload's JSON body.
pub fn encode<T: Serialize>(payload: &T) -> Result<Vec<u8>, WebhookError> {
    Ok(serde_json::to_vec(payload)?)
}

/// Sets the header that names the event, as the API would.
pub fn insert_header(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
) -> Result<(), WebhookError> {
    let value = value.parse().map_err(|_| WebhookError::InvalidHeader {
        name,
        reason: "cannot hold this event's name",
    })?;
    headers.insert(name, value);
    Ok(())
}

/// The `POST` the API would send: `body` as JSON with `headers`, signed by `signer`.
pub fn request(
    mut headers: HeaderMap,
    body: Vec<u8>,
    signer: &impl Sign,
) -> Result<http::Request<Vec<u8>>, WebhookError> {
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    signer.sign_request(&body, &mut headers);
    let mut request = http::Request::new(body);
    *request.method_mut() = http::Method::POST;
    *request.headers_mut() = headers;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_read_from_the_top_level_only() {
        let body = br#"{"data": {"type": "inner"}, "type": "outer", "n": [1, {"type": 2}]}"#;
        assert_eq!(tag(body, "type").ok().flatten().as_deref(), Some("outer"));
        assert_eq!(tag(br#"{"type": 3}"#, "type").ok().flatten(), None);
        assert_eq!(tag(b"[1, 2]", "type").ok().flatten(), None);
        assert!(matches!(
            tag(b"{\"type\": ", "type"),
            Err(WebhookError::Body(_))
        ));
        assert!(matches!(tag(b"{} x", "type"), Err(WebhookError::Body(_))));
    }

    #[test]
    fn a_missing_or_unreadable_header_is_an_error() {
        let mut headers = HeaderMap::new();
        assert!(matches!(
            header(&headers, "x-github-event"),
            Err(WebhookError::MissingHeader("x-github-event"))
        ));
        if let Ok(value) = http::HeaderValue::from_bytes(b"caf\xe9") {
            headers.insert("x-github-event", value);
        }
        assert!(matches!(
            header(&headers, "x-github-event"),
            Err(WebhookError::InvalidHeader { .. })
        ));
    }
}
