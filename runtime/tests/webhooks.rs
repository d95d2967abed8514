//! `webhooks`: Standard Webhooks and GitHub signatures verified, refused for each way a request
//! can be wrong, and never a panic or a secret in what a hostile request gets back.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderValue;
use specwright_runtime::HeaderMap;
use specwright_runtime::webhooks::{
    self, DEFAULT_TOLERANCE, GitHubSignature, Sign, StandardWebhooks, Verify, WebhookError,
};

/// The example of the Standard Webhooks libraries' own tests.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: i64 = 1_614_265_330;
const BODY: &[u8] = br#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const OTHER_SECRET: &str = "whsec_aGVsbG8gd29ybGQsIHRoaXMgaXMgYSBrZXk=";

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).expect("after 1970"))
}

fn verifier() -> StandardWebhooks {
    StandardWebhooks::new(SECRET).expect("the example secret")
}

fn request(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_str(id).expect("id"));
    headers.insert(
        "webhook-timestamp",
        HeaderValue::from_str(timestamp).expect("timestamp"),
    );
    headers.insert(
        "webhook-signature",
        HeaderValue::from_str(signature).expect("signature"),
    );
    headers
}

fn example() -> HeaderMap {
    request(ID, &TIMESTAMP.to_string(), SIGNATURE)
}

#[test]
fn signs_the_reference_example() {
    assert_eq!(verifier().sign(ID, TIMESTAMP, BODY), SIGNATURE);
}

#[test]
fn verifies_the_reference_example() {
    let checked = verifier().verify_at(&example(), BODY, at(TIMESTAMP + 10));
    assert!(checked.is_ok(), "{checked:?}");
}

#[test]
fn a_tampered_body_does_not_verify() {
    let tampered = br#"{"test": 2432232315}"#;
    let checked = verifier().verify_at(&example(), tampered, at(TIMESTAMP));
    assert!(matches!(checked, Err(WebhookError::NoMatchingSignature)));
    // The bytes as received: a body re-serialized with other spacing is not the one signed.
    let respaced = br#"{"test":2432232314}"#;
    let checked = verifier().verify_at(&example(), respaced, at(TIMESTAMP));
    assert!(matches!(checked, Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn a_tampered_id_does_not_verify() {
    let headers = request(
        "msg_p5jXN8AQM9LWM0D4loKWxJeK",
        &TIMESTAMP.to_string(),
        SIGNATURE,
    );
    let checked = verifier().verify_at(&headers, BODY, at(TIMESTAMP));
    assert!(matches!(checked, Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn a_tampered_timestamp_does_not_verify() {
    let headers = request(ID, &(TIMESTAMP + 1).to_string(), SIGNATURE);
    let checked = verifier().verify_at(&headers, BODY, at(TIMESTAMP));
    assert!(matches!(checked, Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn a_tampered_signature_does_not_verify() {
    let headers = request(
        ID,
        &TIMESTAMP.to_string(),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
    );
    let checked = verifier().verify_at(&headers, BODY, at(TIMESTAMP));
    assert!(matches!(checked, Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn the_tolerance_is_five_minutes_either_way_by_default() {
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    let five_minutes = 300;
    let edge = verifier().verify_at(&example(), BODY, at(TIMESTAMP + five_minutes));
    assert!(edge.is_ok(), "{edge:?}");
    let edge = verifier().verify_at(&example(), BODY, at(TIMESTAMP - five_minutes));
    assert!(edge.is_ok(), "{edge:?}");

    let expired = verifier().verify_at(&example(), BODY, at(TIMESTAMP + five_minutes + 1));
    match expired {
        Err(WebhookError::Expired {
            timestamp,
            tolerance,
        }) => {
            assert_eq!(timestamp, TIMESTAMP);
            assert_eq!(tolerance, DEFAULT_TOLERANCE);
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    let future = verifier().verify_at(&example(), BODY, at(TIMESTAMP - five_minutes - 1));
    match future {
        Err(WebhookError::FromTheFuture {
            timestamp,
            tolerance,
        }) => {
            assert_eq!(timestamp, TIMESTAMP);
            assert_eq!(tolerance, DEFAULT_TOLERANCE);
        }
        other => panic!("expected FromTheFuture, got {other:?}"),
    }
}

#[test]
fn the_tolerance_is_settable() {
    let strict = verifier().tolerance(Duration::from_secs(10));
    assert!(
        strict
            .verify_at(&example(), BODY, at(TIMESTAMP + 10))
            .is_ok()
    );
    assert!(matches!(
        strict.verify_at(&example(), BODY, at(TIMESTAMP + 11)),
        Err(WebhookError::Expired { tolerance, .. }) if tolerance == Duration::from_secs(10)
    ));
    assert!(matches!(
        strict.verify_at(&example(), BODY, at(TIMESTAMP - 11)),
        Err(WebhookError::FromTheFuture { .. })
    ));
    // Below a second it means what it says.
    let exact = verifier().tolerance(Duration::from_millis(500));
    let half_a_second_late = at(TIMESTAMP) + Duration::from_millis(400);
    assert!(
        exact
            .verify_at(&example(), BODY, half_a_second_late)
            .is_ok()
    );
    let late = at(TIMESTAMP) + Duration::from_millis(600);
    assert!(matches!(
        exact.verify_at(&example(), BODY, late),
        Err(WebhookError::Expired { .. })
    ));
    let lenient = verifier().tolerance(Duration::from_secs(3600));
    assert!(
        lenient
            .verify_at(&example(), BODY, at(TIMESTAMP + 3600))
            .is_ok()
    );
}

#[test]
fn an_expired_request_is_refused_even_with_a_good_signature_now() {
    // `verify` reads the clock: the example, from 2021, is long expired.
    assert!(matches!(
        verifier().verify(&example(), BODY),
        Err(WebhookError::Expired { .. })
    ));
}

#[test]
fn a_fresh_request_verifies_against_the_clock() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("seconds");
    let headers = verifier().headers("msg_fresh", now, BODY);
    assert!(verifier().verify(&headers, BODY).is_ok());
}

#[test]
fn a_receiver_rotating_its_key_accepts_both() {
    let old = StandardWebhooks::new(SECRET).expect("old");
    let new = StandardWebhooks::new(OTHER_SECRET).expect("new");
    let rotating = StandardWebhooks::new(OTHER_SECRET)
        .and_then(|verifier| verifier.with_secret(SECRET))
        .expect("both");
    for sender in [&old, &new] {
        let headers = sender.headers(ID, TIMESTAMP, BODY);
        let checked = rotating.verify_at(&headers, BODY, at(TIMESTAMP));
        assert!(checked.is_ok(), "{checked:?}");
    }
    let stranger = StandardWebhooks::new("whsec_c3RyYW5nZXI=").expect("stranger");
    let headers = stranger.headers(ID, TIMESTAMP, BODY);
    assert!(matches!(
        rotating.verify_at(&headers, BODY, at(TIMESTAMP)),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn a_sender_rotating_its_key_signs_with_both() {
    let rotating = StandardWebhooks::new(SECRET)
        .and_then(|verifier| verifier.with_secret(OTHER_SECRET))
        .expect("both");
    let signature = rotating.sign(ID, TIMESTAMP, BODY);
    let entries: Vec<&str> = signature.split(' ').collect();
    assert_eq!(entries.len(), 2, "{signature}");
    assert_eq!(entries[0], SIGNATURE);
    assert!(entries[1].starts_with("v1,"));

    let headers = rotating.headers(ID, TIMESTAMP, BODY);
    for receiver in [SECRET, OTHER_SECRET] {
        let receiver = StandardWebhooks::new(receiver).expect("one key");
        let checked = receiver.verify_at(&headers, BODY, at(TIMESTAMP));
        assert!(checked.is_ok(), "{checked:?}");
    }
}

#[test]
fn other_versions_and_malformed_entries_are_skipped() {
    let signature = format!("v2,abc v1 v1,not-base64! v1,AAAA {SIGNATURE} v1a,xyz");
    let headers = request(ID, &TIMESTAMP.to_string(), &signature);
    let checked = verifier().verify_at(&headers, BODY, at(TIMESTAMP));
    assert!(checked.is_ok(), "{checked:?}");

    let only_v2 = request(ID, &TIMESTAMP.to_string(), "v2,abc v1a,xyz");
    assert!(matches!(
        verifier().verify_at(&only_v2, BODY, at(TIMESTAMP)),
        Err(WebhookError::InvalidHeader {
            name: "webhook-signature",
            ..
        })
    ));
    // A signature split over two header lines is read from both.
    let mut split = request(ID, &TIMESTAMP.to_string(), "v1,AAAA");
    split.append("webhook-signature", HeaderValue::from_static(SIGNATURE));
    assert!(verifier().verify_at(&split, BODY, at(TIMESTAMP)).is_ok());
}

#[test]
fn a_secret_is_read_with_or_without_its_prefix_and_padding() {
    let bare = SECRET.strip_prefix("whsec_").expect("prefixed");
    let without = StandardWebhooks::new(bare).expect("no prefix");
    assert_eq!(without.sign(ID, TIMESTAMP, BODY), SIGNATURE);
    let padded = StandardWebhooks::new("whsec_c3RyYW5nZXI=").expect("padded");
    let unpadded = StandardWebhooks::new("whsec_c3RyYW5nZXI").expect("unpadded");
    assert_eq!(
        padded.sign(ID, TIMESTAMP, BODY),
        unpadded.sign(ID, TIMESTAMP, BODY)
    );
    let with_line_end = StandardWebhooks::new(&format!("{SECRET}\n")).expect("trimmed");
    assert_eq!(with_line_end.sign(ID, TIMESTAMP, BODY), SIGNATURE);
}

#[test]
fn a_bad_secret_is_an_error_that_does_not_echo_it() {
    for secret in [
        "whsec_not base64!",
        "whsec_sekrit-sekrit",
        "whsec_",
        "",
        "é",
    ] {
        let err = StandardWebhooks::new(secret).expect_err(secret);
        assert!(
            matches!(err, WebhookError::InvalidSecret { .. }),
            "{secret}: {err:?}"
        );
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(!shown.contains("base64!"), "{shown}");
        let rotated = verifier().with_secret(secret);
        assert!(matches!(rotated, Err(WebhookError::InvalidSecret { .. })));
    }
}

#[test]
fn missing_headers_are_named() {
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = example();
        headers.remove(name);
        match verifier().verify_at(&headers, BODY, at(TIMESTAMP)) {
            Err(WebhookError::MissingHeader(missing)) => assert_eq!(missing, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    let err = verifier()
        .verify_at(&HeaderMap::new(), BODY, at(TIMESTAMP))
        .expect_err("no headers");
    assert!(err.to_string().contains("webhook-id"), "{err}");
}

#[test]
fn garbled_headers_are_refused_without_echoing_them() {
    for timestamp in [
        "",
        "soon",
        "1614265330.5",
        "-1614265330",
        "+1614265330",
        " 1",
        "99999999999999999999999",
    ] {
        let headers = request(ID, timestamp, SIGNATURE);
        match verifier().verify_at(&headers, BODY, at(TIMESTAMP)) {
            Err(WebhookError::InvalidHeader { name, .. }) => {
                assert_eq!(name, "webhook-timestamp", "{timestamp:?}");
            }
            other => panic!("{timestamp:?}: {other:?}"),
        }
    }
    let empty_id = request("", &TIMESTAMP.to_string(), SIGNATURE);
    assert!(matches!(
        verifier().verify_at(&empty_id, BODY, at(TIMESTAMP)),
        Err(WebhookError::InvalidHeader {
            name: "webhook-id",
            ..
        })
    ));
    let mut twice = example();
    twice.append("webhook-id", HeaderValue::from_static("msg_other"));
    assert!(matches!(
        verifier().verify_at(&twice, BODY, at(TIMESTAMP)),
        Err(WebhookError::InvalidHeader {
            name: "webhook-id",
            ..
        })
    ));
    let forged = "v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3JnZWQgc2lnbmF0dXI=";
    let headers = request(ID, &TIMESTAMP.to_string(), forged);
    let err = verifier()
        .verify_at(&headers, BODY, at(TIMESTAMP))
        .expect_err("forged");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("Zm9yZ2Vk"), "{shown}");
}

#[test]
fn hostile_headers_never_panic() {
    let non_utf8 = HeaderValue::from_bytes(b"\xff\xfe\x80v1,\xc3").expect("obs-text");
    let huge = "v1,".to_owned() + &"A".repeat(1 << 20);
    let many = vec!["v1,AAAA"; 20_000].join(" ");
    let values = [
        non_utf8.clone(),
        HeaderValue::from_static(""),
        HeaderValue::from_static(" "),
        HeaderValue::from_static(","),
        HeaderValue::from_static("v1,"),
        HeaderValue::from_static("v1,="),
        HeaderValue::from_static("v1,===="),
        HeaderValue::from_str(&huge).expect("huge"),
        HeaderValue::from_str(&many).expect("many"),
    ];
    let standard = verifier();
    let github = GitHubSignature::new("secret");
    for value in &values {
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let mut headers = example();
            headers.insert(name, value.clone());
            let checked = standard.verify_at(&headers, BODY, at(TIMESTAMP));
            // A non-UTF-8 id verifies nothing, but only because nothing signed it.
            assert!(checked.is_err(), "{name}: {value:?}");
        }
        let mut headers = HeaderMap::new();
        headers.insert("x-hub-signature-256", value.clone());
        assert!(github.verify(&headers, BODY).is_err());
    }
    // The extremes of time.
    let headers = request(ID, &i64::MAX.to_string(), SIGNATURE);
    assert!(matches!(
        standard.verify_at(&headers, BODY, at(TIMESTAMP)),
        Err(WebhookError::FromTheFuture { .. })
    ));
    let headers = request(ID, "0", SIGNATURE);
    assert!(matches!(
        standard.verify_at(&headers, BODY, at(TIMESTAMP)),
        Err(WebhookError::Expired { .. })
    ));
    let forever = standard.clone().tolerance(Duration::MAX);
    let headers = forever.headers(ID, i64::MAX, BODY);
    assert!(forever.verify_at(&headers, BODY, UNIX_EPOCH).is_ok());
    let before_1970 = UNIX_EPOCH - Duration::from_secs(10);
    assert!(matches!(
        standard.verify_at(&example(), BODY, before_1970),
        Err(WebhookError::FromTheFuture { .. })
    ));
}

#[test]
fn an_id_no_header_holds_is_cleaned_and_still_verifies() {
    let headers = verifier().headers("msg\n1\r\0", TIMESTAMP, BODY);
    assert_eq!(headers["webhook-id"], "msg_1__");
    assert!(verifier().verify_at(&headers, BODY, at(TIMESTAMP)).is_ok());
    // Bytes beyond ASCII are kept and signed as sent.
    let headers = verifier().headers("msg_é", TIMESTAMP, BODY);
    assert!(verifier().verify_at(&headers, BODY, at(TIMESTAMP)).is_ok());
}

#[test]
fn github_documented_example() {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    let github = GitHubSignature::new("It's a Secret to Everybody");
    let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert_eq!(github.sign(b"Hello, World!"), expected);
    let headers = github.headers(b"Hello, World!");
    assert_eq!(headers["x-hub-signature-256"], expected);
    assert!(github.verify(&headers, b"Hello, World!").is_ok());
    let mut upper = HeaderMap::new();
    upper.insert(
        "X-Hub-Signature-256",
        HeaderValue::from_str(&expected.to_uppercase().replace("SHA256=", "sha256="))
            .expect("value"),
    );
    assert!(github.verify(&upper, b"Hello, World!").is_ok());
    assert!(matches!(
        github.verify(&headers, b"Hello, World?"),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn github_refuses_what_is_not_its_signature() {
    let github = GitHubSignature::new("It's a Secret to Everybody");
    assert!(matches!(
        github.verify(&HeaderMap::new(), b"Hello, World!"),
        Err(WebhookError::MissingHeader("x-hub-signature-256"))
    ));
    for value in [
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17a",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043g17",
        "sha256=",
    ] {
        let mut headers = HeaderMap::new();
        headers.insert("x-hub-signature-256", HeaderValue::from_static(value));
        let err = github.verify(&headers, b"Hello, World!").expect_err(value);
        assert!(
            matches!(
                err,
                WebhookError::InvalidHeader {
                    name: "x-hub-signature-256",
                    ..
                }
            ),
            "{value}: {err:?}"
        );
        assert!(!format!("{err} {err:?}").contains("757107"), "{err}");
    }
}

#[test]
fn github_rotation() {
    let old = GitHubSignature::new("old secret");
    let new = GitHubSignature::new("new secret");
    let rotating = GitHubSignature::new("new secret").with_secret("old secret");
    for sender in [&old, &new] {
        let headers = sender.headers(b"{}");
        assert!(rotating.verify(&headers, b"{}").is_ok());
    }
    assert_eq!(rotating.sign(b"{}"), new.sign(b"{}"));
    let headers = GitHubSignature::new("stranger").headers(b"{}");
    assert!(matches!(
        rotating.verify(&headers, b"{}"),
        Err(WebhookError::NoMatchingSignature)
    ));
    // Keys longer than SHA-256's block are hashed first, as RFC 2104 says.
    let long = "k".repeat(200);
    let signer = GitHubSignature::new(&long);
    assert!(
        GitHubSignature::new(long.as_bytes())
            .verify(&signer.headers(b"{}"), b"{}")
            .is_ok()
    );
}

#[test]
fn debug_shows_no_key_material() {
    let standard = verifier().with_secret(OTHER_SECRET).expect("second secret");
    let shown = format!("{standard:?} {standard:#?}");
    assert!(shown.contains("redacted"), "{shown}");
    for secret in [SECRET, OTHER_SECRET] {
        let encoded = secret.strip_prefix("whsec_").expect("prefixed");
        assert!(!shown.contains(encoded), "{shown}");
    }
    assert!(!shown.contains("whsec_"), "{shown}");
    let github = GitHubSignature::new("It's a Secret to Everybody");
    let shown = format!("{github:?} {github:#?}");
    assert!(shown.contains("redacted"), "{shown}");
    assert!(!shown.contains("Secret"), "{shown}");
}

#[test]
fn the_traits_sign_and_verify_a_request() {
    let verifiers: [&dyn Verify; 2] = [&verifier(), &GitHubSignature::new("secret")];
    let signers: [&dyn Sign; 2] = [&verifier(), &GitHubSignature::new("secret")];
    for (signer, verifier) in signers.iter().zip(verifiers) {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        signer.sign_request(BODY, &mut headers);
        assert_eq!(headers["content-type"], "application/json");
        assert!(verifier.verify(&headers, BODY).is_ok());
        let payload: serde_json::Value =
            webhooks::unwrap(verifier, &headers, BODY).expect("verified and decoded");
        assert_eq!(payload["test"], 2_432_232_314_u64);
        assert!(matches!(
            webhooks::unwrap::<serde_json::Value>(verifier, &headers, b"{}"),
            Err(WebhookError::NoMatchingSignature)
        ));
    }
}

#[test]
fn the_derived_id_depends_on_the_body_alone() {
    let mut first = HeaderMap::new();
    verifier().sign_request(BODY, &mut first);
    let mut second = HeaderMap::new();
    verifier().sign_request(BODY, &mut second);
    assert_eq!(first["webhook-id"], second["webhook-id"]);
    let id = first["webhook-id"].to_str().expect("ascii");
    assert!(id.starts_with("msg_") && id.len() == 20, "{id}");
    let mut other = HeaderMap::new();
    verifier().sign_request(b"{}", &mut other);
    assert_ne!(first["webhook-id"], other["webhook-id"]);
    // Signing again replaces the headers rather than adding a second set.
    verifier().sign_request(b"{}", &mut first);
    assert_eq!(first.get_all("webhook-signature").iter().count(), 1);
    assert!(verifier().verify(&first, b"{}").is_ok());
}

#[test]
fn a_verified_body_that_is_not_the_payload_is_a_body_error() {
    let body = b"not json";
    let headers = verifier().headers(ID, TIMESTAMP, body);
    let lenient = verifier().tolerance(Duration::MAX);
    let err =
        webhooks::unwrap::<serde_json::Value>(&lenient, &headers, body).expect_err("not JSON");
    assert!(matches!(err, WebhookError::Body(_)), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    let unknown = WebhookError::Undetermined {
        event: "issues".to_owned(),
    };
    assert!(unknown.to_string().contains("issues"));
}
