//! Date-times and dates in the types of a date-time crate (features `chrono`, `time`, `jiff`):
//! what a client generated with `--datetime chrono` (or `time`, `jiff`) uses in place of the
//! runtime's own [`DateTime`](crate::DateTime) and [`Date`](crate::Date).

/// A date-time in a date-time crate's types: with a UTC offset, as RFC 3339 requires, or
/// without one (`2023-01-01T12:34:56`), as some servers send them, whose zone only the
/// server knows. The crates' offset-aware types cannot say "no offset", so the two are kept
/// apart rather than an offset made up. Decoded values are [`Lenient`](crate::Lenient), which
/// also keeps the exact text received, so either kind re-encodes as it came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Moment<Offset, Local> {
    /// A date-time with its UTC offset: `chrono::DateTime<FixedOffset>`,
    /// `time::OffsetDateTime` or `jiff::Timestamp`.
    Offset(Offset),
    /// A date-time sent without an offset: `chrono::NaiveDateTime`,
    /// `time::PrimitiveDateTime` or `jiff::civil::DateTime`.
    Local(Local),
}

impl<Offset, Local> Moment<Offset, Local> {
    /// The date-time with its offset; `None` for one sent without.
    pub fn as_offset(&self) -> Option<&Offset> {
        match self {
            Self::Offset(value) => Some(value),
            Self::Local(_) => None,
        }
    }

    /// The date-time sent without an offset; `None` for one with.
    pub fn as_local(&self) -> Option<&Local> {
        match self {
            Self::Offset(_) => None,
            Self::Local(value) => Some(value),
        }
    }
}

/// For one backend: `Format` and `Constrained` for its date-time and date types, and serde,
/// `Display` and `FromStr` for its `Moment`, all through `parse` and `write`, which read and
/// write the wire text. A backend module calls it with its `DateTime` alias, its `Date` type,
/// and the functions that read and write each.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
macro_rules! backend {
    ($moment:ty, $parse:path, $write:path, $date:ty, $parse_date:path, $write_date:path) => {
        impl $crate::Format for $moment {
            const NAME: &'static str = "date-time";

            fn parse_format(text: &str) -> Result<Self, String> {
                $parse(text)
            }

            fn writes_as(&self, text: &str) -> bool {
                $write(self) == text
            }
        }

        impl $crate::Format for $date {
            const NAME: &'static str = "date";

            fn parse_format(text: &str) -> Result<Self, String> {
                $parse_date(text)
            }

            fn writes_as(&self, text: &str) -> bool {
                $write_date(self) == text
            }
        }

        impl $crate::__private::Constrained for $moment {
            fn check(
                &self,
                constraints: &$crate::__private::Constraints,
                path: &str,
            ) -> Result<(), $crate::ValidationError> {
                $crate::__private::Constrained::check($write(self).as_str(), constraints, path)
            }
        }

        impl $crate::__private::Constrained for $date {
            fn check(
                &self,
                constraints: &$crate::__private::Constraints,
                path: &str,
            ) -> Result<(), $crate::ValidationError> {
                $crate::__private::Constrained::check($write_date(self).as_str(), constraints, path)
            }
        }

        impl std::fmt::Display for $moment {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$write(self))
            }
        }

        impl std::str::FromStr for $moment {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                $parse(text)
            }
        }

        impl serde::Serialize for $moment {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&$write(self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $moment {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                $parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
pub(crate) use backend;
