//! Date-times and dates that keep the text they were received as.

use std::fmt;

use crate::__private::{Constrained, Constraints};
use crate::ValidationError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date-time as the server sent it: RFC 3339, or without a UTC offset
/// (`2023-01-01T12:34:56`), as some servers write them.
///
/// The text received is kept and sent back unchanged; the parsed parts are available through
/// the accessors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub(crate) text: String,
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) hour: u8,
    pub(crate) minute: u8,
    pub(crate) second: u8,
    pub(crate) nanosecond: u32,
    pub(crate) offset_seconds: Option<i32>,
}

/// Why a text is not a date-time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`; `t` and a space are accepted for `T`.
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let fail = || DateTimeError(format!("`{text}` is not a date-time (expected RFC 3339)"));
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<u32, DateTimeError> {
            let part = bytes.get(range).ok_or_else(fail)?;
            if part.iter().all(u8::is_ascii_digit) {
                Ok(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
            } else {
                Err(fail())
            }
        };
        let separator = |index: usize, allowed: &[u8]| -> Result<(), DateTimeError> {
            match bytes.get(index) {
                Some(byte) if allowed.contains(byte) => Ok(()),
                _ => Err(fail()),
            }
        };
        let year = digits(0..4)?;
        separator(4, b"-")?;
        let month = digits(5..7)?;
        separator(7, b"-")?;
        let day = digits(8..10)?;
        separator(10, b"Tt ")?;
        let hour = digits(11..13)?;
        separator(13, b":")?;
        let minute = digits(14..16)?;
        separator(16, b":")?;
        let second = digits(17..19)?;
        let mut index = 19;
        let mut nanosecond = 0;
        if bytes.get(index) == Some(&b'.') {
            let start = index + 1;
            let mut end = start;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return Err(fail());
            }
            for (position, digit) in bytes[start..end.min(start + 9)].iter().enumerate() {
                nanosecond += u32::from(digit - b'0') * 10u32.pow(8 - position as u32);
            }
            index = end;
        }
        let offset_seconds = match bytes.get(index) {
            None => None,
            Some(b'Z' | b'z') if index + 1 == bytes.len() => Some(0),
            Some(sign @ (b'+' | b'-')) if index + 6 == bytes.len() => {
                let hours = digits(index + 1..index + 3)?;
                separator(index + 3, b":")?;
                let minutes = digits(index + 4..index + 6)?;
                if hours > 23 || minutes > 59 {
                    return Err(fail());
                }
                let seconds = (hours * 3600 + minutes * 60) as i32;
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            Some(_) => return Err(fail()),
        };
        let valid = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year as i32, month)
            && hour < 24
            && minute < 60
            && second <= 60;
        if !valid {
            return Err(fail());
        }
        Ok(Self {
            text: text.to_owned(),
            year: year as i32,
            month: month as u8,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            nanosecond,
            offset_seconds,
        })
    }

    pub fn hour(&self) -> u8 {
        self.hour
    }

    pub fn minute(&self) -> u8 {
        self.minute
    }

    pub fn second(&self) -> u8 {
        self.second
    }

    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }

    /// The UTC offset in seconds; `None` when the text carried none.
    pub fn offset_seconds(&self) -> Option<i32> {
        self.offset_seconds
    }

    /// Seconds since 1970-01-01T00:00:00Z; a date-time without an offset is read as UTC.
    pub fn unix_timestamp(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds =
            i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second);
        days * 86_400 + seconds - i64::from(self.offset_seconds.unwrap_or(0))
    }
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date parts, parsing, printing and serde of types that keep the text they were parsed
/// from, so that a value re-encodes exactly as it was received.
macro_rules! kept_text {
    ($($name:ident),*) => {$(
        impl $name {
            /// The text as received (or as given to `parse`).
            pub fn as_str(&self) -> &str {
                &self.text
            }

            pub fn year(&self) -> i32 {
                self.year
            }

            pub fn month(&self) -> u8 {
                self.month
            }

            pub fn day(&self) -> u8 {
                self.day
            }
        }

        impl std::str::FromStr for $name {
            type Err = DateTimeError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl Constrained for $name {
            fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
                self.text.as_str().check(constraints, path)
            }
        }
    )*};
}

kept_text!(DateTime, Date);

/// A calendar date (`format: date`), `YYYY-MM-DD`; the text received is kept for re-encoding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    pub(crate) text: String,
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let fail = || DateTimeError(format!("`{text}` is not a date (expected YYYY-MM-DD)"));
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(fail());
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        let (year, month, day) = (number(0..4) as i32, number(5..7), number(8..10));
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(fail());
        }
        Ok(Self {
            text: text.to_owned(),
            year,
            month: month as u8,
            day: day as u8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_date_time_without_an_offset() {
        let at = DateTime::parse("2023-01-01T12:34:56").expect("offset-less");
        let parts = (
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
        );
        assert_eq!(parts, (2023, 1, 1, 12, 34, 56));
        assert_eq!(at.offset_seconds(), None);
        assert_eq!(at.nanosecond(), 0);
    }

    #[test]
    fn parses_rfc_3339_offsets() {
        let cases = [
            ("2023-01-01T12:34:56Z", Some(0)),
            ("2023-01-01T12:34:56z", Some(0)),
            ("2023-01-01T12:34:56+05:30", Some(19_800)),
            ("2023-01-01T12:34:56-08:00", Some(-28_800)),
        ];
        for (text, offset) in cases {
            let at = DateTime::parse(text).expect(text);
            assert_eq!(at.offset_seconds(), offset, "{text}");
        }
    }

    #[test]
    fn reads_fractions_to_the_nanosecond() {
        let at = DateTime::parse("2023-01-01T12:34:56.5Z").expect("a fraction");
        assert_eq!(at.nanosecond(), 500_000_000);
        // Digits past the ninth are kept in the text but cannot be represented.
        let at = DateTime::parse("2023-01-01T12:34:56.1234567891Z").expect("a long fraction");
        assert_eq!(at.nanosecond(), 123_456_789);
    }

    #[test]
    fn unix_timestamp_applies_the_offset() {
        let utc = DateTime::parse("1994-11-06T08:49:37Z").expect("valid");
        let plus_two = DateTime::parse("1994-11-06T10:49:37+02:00").expect("valid");
        let local = DateTime::parse("1994-11-06 08:49:37").expect("valid");
        assert_eq!(utc.unix_timestamp(), 784_111_777);
        assert_eq!(plus_two.unix_timestamp(), 784_111_777);
        assert_eq!(local.unix_timestamp(), 784_111_777);
    }

    #[test]
    fn serializes_exactly_the_text_received() {
        for text in [
            "2023-01-01T12:34:56",
            "2023-01-01t12:34:56.120-00:00",
            "2023-01-01 12:34:56+05:30",
        ] {
            let json = format!("\"{text}\"");
            let at: DateTime = serde_json::from_str(&json).expect(text);
            assert_eq!(serde_json::to_string(&at).expect("serializable"), json);
            assert_eq!(at.to_string(), text);
        }
    }

    #[test]
    fn refuses_text_that_is_not_a_date_time() {
        for text in [
            "",
            "garbage",
            "2023-01-01",
            "2023-01-01T12:34",
            "2023-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T12:34:56.Z",
            "2023-01-01T12:34:56+0530",
            "2023-01-01T12:34:56+24:00",
            "2023-01-01T12:34:56Zjunk",
            "2023-01-01X12:34:56Z",
        ] {
            assert!(DateTime::parse(text).is_err(), "{text:?} was accepted");
        }
        assert!(serde_json::from_str::<DateTime>("\"tomorrow\"").is_err());
    }

    #[test]
    fn accepts_leap_days_only_in_leap_years() {
        assert!(DateTime::parse("2024-02-29T00:00:00Z").is_ok());
        assert!(DateTime::parse("2000-02-29T00:00:00Z").is_ok());
        assert!(DateTime::parse("1900-02-29T00:00:00Z").is_err());
    }

    #[test]
    fn date_parses_and_keeps_its_text() {
        let date: Date = serde_json::from_str("\"2024-02-29\"").expect("a leap day");
        assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
        assert_eq!(
            serde_json::to_string(&date).expect("serializable"),
            "\"2024-02-29\""
        );
    }

    #[test]
    fn date_refuses_other_shapes_and_impossible_days() {
        for text in [
            "2023-02-29",
            "0000-00-00",
            "2023-1-01",
            "2023-01-01T00:00:00Z",
            "2023/01/01",
            "2023-04-31",
        ] {
            assert!(Date::parse(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn days_from_civil_counts_from_the_unix_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
