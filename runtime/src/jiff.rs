//! `--datetime jiff`: `jiff::Timestamp` for date-times with an offset,
//! `jiff::civil::DateTime` for those without, `jiff::civil::Date` for dates.

use ::jiff::Timestamp;
use ::jiff::civil;

use crate::moment::{Moment, backend};

/// A `format: date-time` value: [`Moment::Offset`] holds a `jiff::Timestamp` (the instant;
/// the offset it was written with stays in the text a decoded value keeps).
pub type DateTime = Moment<Timestamp, civil::DateTime>;

/// A `format: date` value.
pub type Date = civil::Date;

fn parse(text: &str) -> Result<DateTime, String> {
    text.parse::<Timestamp>()
        .map(Moment::Offset)
        .or_else(|_| text.parse::<civil::DateTime>().map(Moment::Local))
        .map_err(|err| format!("`{text}` is not a date-time: {err}"))
}

fn write(value: &DateTime) -> String {
    match value {
        Moment::Offset(value) => value.to_string(),
        Moment::Local(value) => value.to_string(),
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|err| format!("`{text}` is not a date: {err}"))
}

fn write_date(value: &Date) -> String {
    value.to_string()
}

backend!(DateTime, parse, write, Date, parse_date, write_date);

impl From<Timestamp> for DateTime {
    fn from(value: Timestamp) -> Self {
        Moment::Offset(value)
    }
}

impl From<civil::DateTime> for DateTime {
    fn from(value: civil::DateTime) -> Self {
        Moment::Local(value)
    }
}
