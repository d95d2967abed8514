//! JSON Schemas of the runtime's types (feature `schemars`), so that generated types can
//! derive `schemars::JsonSchema` (`--derive schemars::JsonSchema`): each describes what the
//! type reads and writes on the wire.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::{Base64, Date, DateTime, File, Format, Lenient, Moment, UnknownFields};

/// A string in the type's format: what a lenient value reads and writes.
impl<T: Format> JsonSchema for Lenient<T> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("string-{}", T::NAME))
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": T::NAME })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// The properties an object's schema does not declare: any, of any value.
impl JsonSchema for UnknownFields {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("UnknownFields")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "object", "additionalProperties": true })
    }

    fn inline_schema() -> bool {
        true
    }
}

macro_rules! string_format {
    ($($ty:ty => $format:literal,)*) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(concat!("string-", $format))
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "format": $format })
            }

            fn inline_schema() -> bool {
                true
            }
        }
    )*};
}

string_format! {
    DateTime => "date-time",
    Date => "date",
    Base64 => "byte",
    File => "binary",
}

/// A date-time of a date-time crate: a string, with or without an offset.
impl<O, L> JsonSchema for Moment<O, L> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("string-date-time")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// A decimal written as a JSON number.
#[cfg(feature = "decimal")]
impl JsonSchema for crate::DecimalNumber {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("number")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }

    fn inline_schema() -> bool {
        true
    }
}
