//! `--datetime chrono`, `time` and `jiff` (`option-specs/datetimes.yaml`): date-times with an
//! offset decode to the crate's offset type, those without (Zenskar's
//! `2023-01-01T12:34:56`) to its civil type, dates to its date type; and every value
//! re-encodes exactly as received.

mod chrono_client {
    include!(concat!(env!("OUT_DIR"), "/datetimes_chrono.rs"));
}
mod time_client {
    include!(concat!(env!("OUT_DIR"), "/datetimes_time.rs"));
}
mod jiff_client {
    include!(concat!(env!("OUT_DIR"), "/datetimes_jiff.rs"));
}

use specwright_runtime::Moment;

/// The seed's offset-less date-time, a date, and two RFC 3339 values, one written in a form
/// no backend writes back by itself (`+00:00` rather than `Z`, a fraction).
const EVENT: &str = r#"{"at":"2023-01-01T12:34:56","on":"2023-01-01","seen":["2023-01-01T12:34:56+00:00","2023-06-01T08:00:00.5+02:00"]}"#;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> String {
    let decoded: T = serde_json::from_str(json).expect("decodes");
    serde_json::to_string(&decoded).expect("encodes")
}

#[test]
fn every_backend_re_encodes_what_it_received() {
    assert_eq!(round_trip::<chrono_client::types::Event>(EVENT), EVENT);
    assert_eq!(round_trip::<time_client::types::Event>(EVENT), EVENT);
    assert_eq!(round_trip::<jiff_client::types::Event>(EVENT), EVENT);
}

#[test]
fn chrono_types_come_out_without_conversion_code() {
    let event: chrono_client::types::Event = serde_json::from_str(EVENT).expect("decodes");
    let at = event.at.get().expect("a date-time");
    let noon = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
        .and_then(|day| day.and_hms_opt(12, 34, 56))
        .expect("a date-time");
    assert_eq!(at, &Moment::Local(noon));
    let seen = event.seen.unwrap_or_default();
    let with_offset: &chrono::DateTime<chrono::FixedOffset> = seen[1]
        .get()
        .expect("a date-time")
        .as_offset()
        .expect("an offset");
    assert_eq!(with_offset.offset().local_minus_utc(), 2 * 3600);
    assert_eq!(with_offset.timestamp_subsec_millis(), 500);
    let on: &chrono::NaiveDate = event.on.as_ref().expect("a date").get().expect("valid");
    assert_eq!(
        on,
        &chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date")
    );
}

#[test]
fn time_types_come_out_without_conversion_code() {
    let event: time_client::types::Event = serde_json::from_str(EVENT).expect("decodes");
    let at = event.at.get().expect("a date-time");
    assert_eq!(
        at,
        &Moment::Local(time::macros::datetime!(2023-01-01 12:34:56))
    );
    let seen = event.seen.unwrap_or_default();
    let with_offset: &time::OffsetDateTime = seen[1]
        .get()
        .expect("a date-time")
        .as_offset()
        .expect("an offset");
    assert_eq!(
        with_offset,
        &time::macros::datetime!(2023-06-01 08:00:00.5 +02:00)
    );
    let on: &time::Date = event.on.as_ref().expect("a date").get().expect("valid");
    assert_eq!(on, &time::macros::date!(2023 - 01 - 01));
}

#[test]
fn jiff_types_come_out_without_conversion_code() {
    let event: jiff_client::types::Event = serde_json::from_str(EVENT).expect("decodes");
    let at = event.at.get().expect("a date-time");
    assert_eq!(
        at,
        &Moment::Local(jiff::civil::date(2023, 1, 1).at(12, 34, 56, 0))
    );
    let seen = event.seen.unwrap_or_default();
    let instant: &jiff::Timestamp = seen[1]
        .get()
        .expect("a date-time")
        .as_offset()
        .expect("an offset");
    assert_eq!(instant.to_string(), "2023-06-01T06:00:00.5Z");
    let on: &jiff::civil::Date = event.on.as_ref().expect("a date").get().expect("valid");
    assert_eq!(on, &jiff::civil::date(2023, 1, 1));
}

#[test]
fn a_value_that_is_no_date_time_is_kept_and_reported() {
    let odd = r#"{"at":"yesterday"}"#;
    assert_eq!(round_trip::<chrono_client::types::Event>(odd), odd);
    let event: jiff_client::types::Event = serde_json::from_str(odd).expect("decodes");
    let message = event
        .at
        .get()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(message.contains("yesterday"), "{message}");
}

/// Parameters are the backend's types too, and go out as RFC 3339 (or as given, without an
/// offset), as the mock expects them.
#[tokio::test]
async fn parameters_are_sent_in_the_backends_types() {
    let server = specwright_runtime::mock::MockServer::start().await;
    let since = chrono::DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").expect("valid");
    let day = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).expect("a date");
    let event: chrono_client::types::Event = serde_json::from_str(EVENT).expect("decodes");
    chrono_client::mock::list_events()
        .since(&since.into())
        .day(&day)
        .respond_ok(&vec![event.clone()])
        .expect(1)
        .mount(&server)
        .await;
    let client = chrono_client::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the client builds");
    let params = chrono_client::types::ListEventsParams {
        since: Some(since.into()),
        day: Some(day),
    };
    let events = client.list_events(&params).await.expect("listed");
    assert_eq!(events.into_body(), vec![event]);
}
