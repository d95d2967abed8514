//! `--datetime chrono`: `chrono::DateTime<FixedOffset>` for date-times with an offset,
//! `chrono::NaiveDateTime` for those without, `chrono::NaiveDate` for dates.

use ::chrono::{FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat};

use crate::moment::{Moment, backend};

/// A `format: date-time` value: [`Moment::Offset`] holds a `chrono::DateTime<FixedOffset>`.
pub type DateTime = Moment<::chrono::DateTime<FixedOffset>, NaiveDateTime>;

/// A `format: date` value.
pub type Date = NaiveDate;

const LOCAL: &str = "%Y-%m-%dT%H:%M:%S%.f";
const DATE: &str = "%Y-%m-%d";

fn parse(text: &str) -> Result<DateTime, String> {
    ::chrono::DateTime::parse_from_rfc3339(text)
        .map(Moment::Offset)
        .or_else(|_| NaiveDateTime::parse_from_str(text, LOCAL).map(Moment::Local))
        .map_err(|err| format!("`{text}` is not a date-time: {err}"))
}

fn write(value: &DateTime) -> String {
    match value {
        Moment::Offset(value) => value.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        Moment::Local(value) => value.format(LOCAL).to_string(),
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    NaiveDate::parse_from_str(text, DATE).map_err(|err| format!("`{text}` is not a date: {err}"))
}

fn write_date(value: &Date) -> String {
    value.format(DATE).to_string()
}

backend!(DateTime, parse, write, Date, parse_date, write_date);

impl From<::chrono::DateTime<FixedOffset>> for DateTime {
    fn from(value: ::chrono::DateTime<FixedOffset>) -> Self {
        Moment::Offset(value)
    }
}

impl From<::chrono::DateTime<::chrono::Utc>> for DateTime {
    fn from(value: ::chrono::DateTime<::chrono::Utc>) -> Self {
        Moment::Offset(value.fixed_offset())
    }
}

impl From<NaiveDateTime> for DateTime {
    fn from(value: NaiveDateTime) -> Self {
        Moment::Local(value)
    }
}
