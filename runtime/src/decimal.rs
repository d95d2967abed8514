//! Decimals (feature `decimal`): `rust_decimal::Decimal` for `format: decimal` strings (in
//! [`Lenient`](crate::Lenient), like every parsed format), and [`DecimalNumber`] for decimals
//! that travel as JSON numbers, kept digit for digit: `12345678901234567.89` comes back as it
//! went, where an `f64` would give `12345678901234568`.

use std::fmt;
use std::str::FromStr;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use rust_decimal::Decimal;

use crate::__private::{Constrained, Constraints};
use crate::{Format, FormatError, ValidationError};

/// serde_json's name for the text of a JSON value as it was written (feature `raw_value`).
/// Asked for by name, so that numbers keep their digits from serde_json's own deserializers
/// while any other deserializer still gives a plain number.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl Format for Decimal {
    const NAME: &'static str = "decimal";

    fn parse_format(text: &str) -> Result<Self, String> {
        parse(text)
    }

    fn writes_as(&self, text: &str) -> bool {
        self.to_string() == text
    }
}

/// A `format: decimal` string: JSON Schema's string keywords, on its text.
impl Constrained for Decimal {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.to_string().as_str().check(constraints, path)
    }
}

fn parse(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|err| format!("`{text}` is not a decimal: {err}"))
}

/// A decimal that travels as a JSON number, digit for digit. A number that `Decimal` cannot
/// hold (more than 28 digits after the point, or beyond about 7.9e28) still decodes: its text is
/// kept, sent back as it came, and [`DecimalNumber::get`] reports the problem.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DecimalNumber {
    value: Result<Decimal, FormatError>,
    /// The number's text as received, when writing the value would give other text (`1e3`,
    /// `1.0E+2`) or there is no value.
    received: Option<Box<str>>,
}

impl DecimalNumber {
    /// The decimal, or why the number received is not one.
    pub fn get(&self) -> Result<&Decimal, &FormatError> {
        self.value.as_ref()
    }

    fn from_text(text: &str) -> Self {
        let value = parse(text).map_err(|message| FormatError {
            text: text.to_owned(),
            message,
        });
        let written_alike = value.as_ref().is_ok_and(|value| value.to_string() == text);
        Self {
            value,
            received: (!written_alike).then(|| text.into()),
        }
    }

    fn text(&self) -> String {
        match (&self.received, &self.value) {
            (Some(text), _) => text.to_string(),
            (None, Ok(value)) => value.to_string(),
            (None, Err(err)) => err.text.clone(),
        }
    }
}

impl From<Decimal> for DecimalNumber {
    fn from(value: Decimal) -> Self {
        Self {
            value: Ok(value),
            received: None,
        }
    }
}

impl FromStr for DecimalNumber {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        parse(text).map(Self::from)
    }
}

impl fmt::Display for DecimalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Constrained for DecimalNumber {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        use rust_decimal::prelude::ToPrimitive as _;
        match &self.value {
            // Bounds are `f64`s, as the spec's numbers are read.
            Ok(value) => value.to_f64().unwrap_or(f64::NAN).check(constraints, path),
            Err(_) => Ok(()),
        }
    }
}

impl Serialize for DecimalNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.text())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DecimalNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE, NumberText)
    }
}

/// Reads a JSON number's text: as written, from serde_json's deserializers; as the number
/// they give, from any other (serde's buffered `Content`, say).
struct NumberText;

impl<'de> Visitor<'de> for NumberText {
    type Value = DecimalNumber;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DecimalNumber, A::Error> {
        let key: Option<String> = map.next_key()?;
        if key.as_deref() != Some(RAW_VALUE) {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Map,
                &self,
            ));
        }
        let text: String = map.next_value()?;
        let text = text.trim();
        // The raw text of anything else than a number (a string, an object) is refused, so
        // that a union tries its other variants.
        if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            return Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Other(text),
                &self,
            ));
        }
        Ok(DecimalNumber::from_text(text))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<DecimalNumber, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<DecimalNumber, E> {
        Ok(DecimalNumber::from(Decimal::from(value)))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<DecimalNumber, E> {
        Ok(DecimalNumber::from(Decimal::from(value)))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<DecimalNumber, E> {
        // Shortest text that reads back as the same `f64`: `0.1`, not its binary expansion.
        Ok(DecimalNumber::from_text(&value.to_string()))
    }
}
