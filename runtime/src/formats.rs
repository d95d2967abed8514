//! String formats the client parses (`byte`, and the lenient wrapper for every format).

use std::fmt;

use crate::__private::{Constrained, Constraints};
use crate::{Date, DateTime, Uuid, ValidationError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that travel in JSON as base64 (`format: byte`). Standard base64 is written; standard
/// and URL-safe alphabets, padded or not, are read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl std::ops::Deref for Base64 {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::decode(&text).map_err(serde::de::Error::custom)
    }
}

impl Base64 {
    fn decode(text: &str) -> Result<Self, String> {
        use base64::Engine as _;
        use base64::engine::DecodePaddingMode;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        const LENIENT: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
        const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        let decoded = if trimmed.contains(['-', '_']) {
            URL_SAFE.decode(trimmed)
        } else {
            STANDARD.decode(trimmed)
        };
        decoded
            .map(Self)
            .map_err(|err| format!("`{text}` is not base64: {err}"))
    }
}

/// A string in a `format` the client parses (date-time, date, uuid, byte) as the server sent it.
///
/// JSON Schema treats `format` as an annotation, and real servers send values that break it (a
/// `format: byte` field that is not base64, a date like `0000-00-00`). Such a value still
/// decodes, so that one odd field does not cost the rest of the response: its text is kept and
/// sent back as it was, and the problem is reported when the value is read ([`Lenient::get`]).
/// A value the caller builds (`Lenient::from(value)`) is always in its format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lenient<T> {
    pub(crate) value: Result<T, FormatError>,
    /// The text received, when writing the parsed value would not give it back exactly (an
    /// upper-case uuid, base64 without padding).
    pub(crate) received: Option<String>,
}

/// A text that breaks its `format`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FormatError {
    /// The text as received.
    pub text: String,
    pub message: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}

/// A type read from the text of a `format`.
pub trait Format: Sized {
    /// The name of the `format`, as a JSON Schema writes it (`date-time`).
    const NAME: &'static str;

    fn parse_format(text: &str) -> Result<Self, String>;

    /// Whether writing the value gives exactly `text`.
    fn writes_as(&self, text: &str) -> bool;
}

impl Format for DateTime {
    const NAME: &'static str = "date-time";

    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse(text).map_err(|err| err.to_string())
    }

    fn writes_as(&self, text: &str) -> bool {
        self.text == text
    }
}

impl Format for Date {
    const NAME: &'static str = "date";

    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse(text).map_err(|err| err.to_string())
    }

    fn writes_as(&self, text: &str) -> bool {
        self.text == text
    }
}

impl Format for Uuid {
    const NAME: &'static str = "uuid";

    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse_str(text).map_err(|err| format!("`{text}` is not a uuid: {err}"))
    }

    fn writes_as(&self, text: &str) -> bool {
        let mut buffer = Uuid::encode_buffer();
        self.hyphenated().encode_lower(&mut buffer) == text
    }
}

impl Format for Base64 {
    const NAME: &'static str = "byte";

    fn parse_format(text: &str) -> Result<Self, String> {
        Self::decode(text)
    }

    fn writes_as(&self, text: &str) -> bool {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&self.0) == text
    }
}

impl<T> Lenient<T> {
    /// The value, or why the text the server sent breaks its format.
    pub fn get(&self) -> Result<&T, &FormatError> {
        self.value.as_ref()
    }

    pub fn into_inner(self) -> Result<T, FormatError> {
        self.value
    }

    pub fn is_valid(&self) -> bool {
        self.value.is_ok()
    }
}

/// The text as it travels on the wire.
impl<T: fmt::Display> fmt::Display for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.received, &self.value) {
            (Some(text), _) => f.write_str(text),
            (None, Ok(value)) => value.fmt(f),
            (None, Err(err)) => f.write_str(&err.text),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Self {
            value: Ok(value),
            received: None,
        }
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.received, &self.value) {
            (Some(text), _) => serializer.serialize_str(text),
            (None, Ok(value)) => value.serialize(serializer),
            (None, Err(err)) => serializer.serialize_str(&err.text),
        }
    }
}

impl<'de, T: Format> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match T::parse_format(&text) {
            Ok(value) if value.writes_as(&text) => Self {
                value: Ok(value),
                received: None,
            },
            Ok(value) => Self {
                value: Ok(value),
                received: Some(text),
            },
            Err(message) => Self {
                value: Err(FormatError { text, message }),
                received: None,
            },
        })
    }
}

impl<T: Constrained> Constrained for Lenient<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        match &self.value {
            Ok(value) => value.check(constraints, path),
            Err(err) => err.text.as_str().check(constraints, path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64(json: &str) -> Result<Base64, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn base64_reads_standard_and_url_safe_padded_or_not() {
        // 0xfb 0xff 0xbf uses the two characters in which the alphabets differ.
        for text in [r#""+/+/""#, r#""-_-_""#] {
            assert_eq!(base64(text).expect(text).0, [0xfb, 0xff, 0xbf]);
        }
        for text in [r#""+/8=""#, r#""+/8""#, r#""-_8=""#, r#""-_8""#] {
            assert_eq!(base64(text).expect(text).0, [0xfb, 0xff]);
        }
    }

    #[test]
    fn base64_writes_standard_padded() {
        let json = serde_json::to_string(&Base64(vec![0xfb, 0xff])).expect("serializable");
        assert_eq!(json, r#""+/8=""#);
    }

    #[test]
    fn base64_refuses_text_outside_both_alphabets() {
        for text in [r#""not base64!""#, r#""+/-_""#, r#""a""#] {
            assert!(base64(text).is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn lenient_keeps_text_that_breaks_its_format_and_reports_it_on_get() {
        let date: Lenient<Date> = serde_json::from_str(r#""0000-00-00""#).expect("lenient");
        assert!(!date.is_valid());
        let err = date.get().expect_err("not a date");
        assert_eq!(err.text, "0000-00-00");
        assert!(err.message.contains("0000-00-00"), "{}", err.message);
        assert_eq!(
            serde_json::to_string(&date).expect("serializable"),
            r#""0000-00-00""#
        );
        assert_eq!(date.to_string(), "0000-00-00");
    }

    #[test]
    fn lenient_sends_back_valid_text_as_received_not_as_rewritten() {
        let text = r#""67E55044-10B1-426F-9247-BB680E5FE0C8""#;
        let id: Lenient<Uuid> = serde_json::from_str(text).expect("a uuid");
        assert_eq!(
            id.get().expect("valid").to_string(),
            "67e55044-10b1-426f-9247-bb680e5fe0c8"
        );
        assert_eq!(serde_json::to_string(&id).expect("serializable"), text);

        let bytes: Lenient<Base64> = serde_json::from_str(r#""-_8""#).expect("base64");
        assert_eq!(bytes.get().expect("valid").0, [0xfb, 0xff]);
        assert_eq!(
            serde_json::to_string(&bytes).expect("serializable"),
            r#""-_8""#
        );
    }

    #[test]
    fn lenient_built_from_a_value_writes_the_value() {
        let bytes = Lenient::from(Base64(vec![0xfb, 0xff]));
        assert_eq!(
            serde_json::to_string(&bytes).expect("serializable"),
            r#""+/8=""#
        );
        assert!(bytes.into_inner().is_ok());
    }

    #[test]
    fn lenient_still_refuses_a_value_that_is_not_text() {
        assert!(serde_json::from_str::<Lenient<Date>>("20240229").is_err());
    }

    #[test]
    fn lenient_checks_constraints_on_the_text_of_a_bad_value() {
        let date: Lenient<Date> = serde_json::from_str(r#""not-a-date""#).expect("lenient");
        let max = Constraints {
            max_length: Some(5),
            ..Constraints::NONE
        };
        assert!(date.check(&max, "when").is_err());
    }
}
