//! `specs/formats.yaml`: string formats as their own types, boolean enums, documented
//! defaults, and read-only and write-only fields.

mod api {
    include!(concat!(env!("OUT_DIR"), "/formats.rs"));
}

use api::runtime::{Base64, Date, File};
use api::types::{Account, CreateAccountParams, Settings, SettingsTheme};
use api::{Client, Error};
use generator_tests::{decode, encode, round_trip};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FULL: &str = r#"{
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "name": "Ann",
    "created_on": "2024-02-29",
    "updated_at": "2024-03-01T10:00:00",
    "opens_at": "09:30:00",
    "email": "ann@example.com",
    "homepage": "https://example.com/ann",
    "avatar": "aGVsbG8=",
    "signature": "signed",
    "small": -5,
    "big": 9007199254740993,
    "ratio": 0.25,
    "precise": 0.1,
    "rating": "five",
    "verified": true,
    "flag": false,
    "settings": {"theme": "solarized", "tags": [], "limits": {"daily": 3}, "note": null}
}"#;

#[test]
fn every_format_round_trips() {
    round_trip::<Account>(FULL).expect("round trip");
    let account: Account = decode(FULL);
    let created_on = account
        .created_on
        .as_ref()
        .and_then(|date| date.get().ok())
        .expect("a valid date");
    assert_eq!(
        (created_on.year(), created_on.month(), created_on.day()),
        (2024, 2, 29)
    );
    assert_eq!(
        account
            .avatar
            .as_ref()
            .and_then(|bytes| bytes.get().ok())
            .map(|bytes| bytes.as_slice()),
        Some(&b"hello"[..])
    );
    assert_eq!(account.signature, Some(File::new("signed")));
    assert_eq!(account.big, Some(9_007_199_254_740_993));
    assert_eq!(account.verified, Some(true));
    assert_eq!(account.flag, Some(false));
    let settings = account.settings.expect("present");
    assert_eq!(
        settings.theme,
        Some(SettingsTheme::Unknown("solarized".into()))
    );
    assert_eq!(
        settings.note,
        Some(None),
        "explicit null kept apart from absent"
    );
}

/// JSON Schema treats `format` as an annotation: a value that breaks only its format still
/// decodes, keeps its text for re-encoding, and reports the problem when it is read.
#[test]
fn values_that_break_only_their_format_decode_and_report_when_read() {
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-01",
        "2024-01-01T00:00:00",
        "0000-00-00",
    ] {
        let json = json!({"name": "a", "created_on": bad}).to_string();
        round_trip::<Account>(&json).expect("a broken date keeps the response");
        let account: Account = decode(&json);
        let created_on = account.created_on.expect("kept");
        let err = created_on.get().expect_err("reported when read");
        assert_eq!(err.text, bad);
        assert!(err.message.contains("not a date"), "{err}");
        assert_eq!(created_on.to_string(), bad);
    }
    assert!(Date::parse("2000-02-29").is_ok());
    let broken = r#"{"id": "not-a-uuid", "name": "a", "avatar": "not base64!"}"#;
    round_trip::<Account>(broken).expect("broken uuid and base64 keep the response");
    let account: Account = decode(broken);
    assert!(account.avatar.as_ref().is_some_and(|a| a.get().is_err()));
    assert!(account.id.as_ref().is_some_and(|id| id.get().is_err()));

    // Valid in a form the client would write otherwise: the parsed value, and the text as sent.
    let url_safe: Account = decode(r#"{"name": "a", "avatar": "_-8"}"#);
    let avatar = url_safe.avatar.as_ref().expect("present");
    assert_eq!(avatar.get().ok(), Some(&Base64(vec![0xff, 0xef])));
    assert_eq!(encode(&url_safe)["avatar"], "_-8");
    let upper: Account = decode(r#"{"name": "a", "id": "123E4567-E89B-12D3-A456-426614174000"}"#);
    assert_eq!(encode(&upper)["id"], "123E4567-E89B-12D3-A456-426614174000");

    // A value the caller builds is in its format by construction, and written canonically.
    let mut built = Account::new("Ann".into());
    built.avatar = Some(Base64(vec![0xff, 0xef]).into());
    assert_eq!(encode(&built)["avatar"], "/+8=");
}

#[test]
fn read_only_fields_are_optional_in_requests_and_write_only_in_responses() {
    // `id` and `created_on` are required and read-only, `password` required and write-only:
    // a request is built without the first two, and a response decodes without the third.
    let request = Account::new("Ann".into());
    assert_eq!(encode(&request), json!({"name": "Ann"}));
    let response: Account = decode(
        r#"{"id": "123e4567-e89b-12d3-a456-426614174000", "name": "Ann", "created_on": "2024-01-01"}"#,
    );
    assert_eq!(response.password, None);
}

#[test]
fn defaults_and_patterns_are_documented_not_enforced() {
    let lax: Account = decode(r#"{"name": "a", "handle": "NOT LOWER"}"#);
    assert_eq!(
        lax.handle.as_deref(),
        Some("NOT LOWER"),
        "the server judges its own patterns"
    );
    let settings = Settings::default();
    assert_eq!(
        encode(&settings),
        json!({}),
        "defaults are the server's to apply"
    );
    let source = include_str!(concat!(env!("OUT_DIR"), "/formats.rs"));
    for note in [
        "Default: `\"light\"`.",
        "Default: `3`.",
        "Default: `0.5`.",
        "Default: `false`.",
        "Default: `[\"a\",\"b'c\"]`.",
        "Default: `{\"daily\":10}`.",
        "Default: `20`.",
        "Pattern: `^[a-z']{3,}$`.",
    ] {
        assert!(source.contains(note), "missing {note}");
    }
    assert!(
        !source.contains('\u{202e}'),
        "bidi control reached the output"
    );
}

#[tokio::test]
async fn date_parameters_go_out_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/accounts"))
        .and(query_param("since", "2024-01-31"))
        .and(query_param("page_size", "5"))
        .and(body_json(json!({"name": "Ann", "password": "pw"})))
        .respond_with(ResponseTemplate::new(201).set_body_raw(FULL, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("builds");
    let params = CreateAccountParams {
        page_size: Some(5),
        since: Some(Date::parse("2024-01-31").expect("a date")),
    };
    let body = Account {
        password: Some("pw".into()),
        ..Account::new("Ann".into())
    };
    let created = client
        .create_account(&params, &body)
        .await
        .map_err(|err: Error<_>| err.to_string())
        .expect("created");
    assert_eq!(created.name, "Ann");
}

/// `format: int32` and `format: float` are annotations too: a larger integer still decodes, and
/// a decimal re-encodes as the same number (as `f32` it would not: `0.1` would come back as
/// `0.10000000149011612`).
#[test]
fn sized_number_formats_keep_every_value() {
    let json = r#"{"name": "a", "small": 3000000000, "ratio": 0.1}"#;
    round_trip::<Account>(json).expect("round trip");
    let account: Account = decode(json);
    assert_eq!(account.small, Some(3_000_000_000));
    assert_eq!(encode(&account)["ratio"], json!(0.1));
}
