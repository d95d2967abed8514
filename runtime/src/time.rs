//! `--datetime time`: `time::OffsetDateTime` for date-times with an offset,
//! `time::PrimitiveDateTime` for those without, `time::Date` for dates.

use ::time::format_description::BorrowedFormatItem;
use ::time::format_description::well_known::Rfc3339;
use ::time::macros::format_description;
use ::time::{OffsetDateTime, PrimitiveDateTime};

use crate::moment::{Moment, backend};

/// A `format: date-time` value: [`Moment::Offset`] holds a `time::OffsetDateTime`.
pub type DateTime = Moment<OffsetDateTime, PrimitiveDateTime>;

/// A `format: date` value.
pub type Date = ::time::Date;

const LOCAL: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");
const DATE: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");

fn parse(text: &str) -> Result<DateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(Moment::Offset)
        .or_else(|_| PrimitiveDateTime::parse(text, LOCAL).map(Moment::Local))
        .map_err(|err| format!("`{text}` is not a date-time: {err}"))
}

fn write(value: &DateTime) -> String {
    let written = match value {
        Moment::Offset(value) => value.format(&Rfc3339),
        Moment::Local(value) => value.format(LOCAL),
    };
    // Formatting fails only for years RFC 3339 cannot write, which parsing never gives.
    written.unwrap_or_default()
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, DATE).map_err(|err| format!("`{text}` is not a date: {err}"))
}

fn write_date(value: &Date) -> String {
    value.format(DATE).unwrap_or_default()
}

backend!(DateTime, parse, write, Date, parse_date, write_date);

impl From<OffsetDateTime> for DateTime {
    fn from(value: OffsetDateTime) -> Self {
        Moment::Offset(value)
    }
}

impl From<PrimitiveDateTime> for DateTime {
    fn from(value: PrimitiveDateTime) -> Self {
        Moment::Local(value)
    }
}
