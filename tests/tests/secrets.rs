//! No credential shows: every public value that can hold one (the builder, the client, the
//! per-call options with a header of the user's own, and every error a call can end with,
//! including one whose URL carried a query credential) is built with secrets in it, and its
//! `Debug` and `Display` are searched for them.

mod api {
    include!(concat!(env!("OUT_DIR"), "/security.rs"));
}

use api::{Client, Error, RequestOptions};

const SECRETS: [&str; 6] = [
    "bearer-secret-1",
    "basic-user-2",
    "basic-password-3",
    "query-secret-4",
    "cookie-secret-5",
    "per-call-secret-6",
];

fn builder(base_url: &str) -> api::ClientBuilder {
    Client::builder()
        .token(SECRETS[0])
        .basic(SECRETS[1], SECRETS[2])
        .query_key(SECRETS[3])
        .session_cookie(SECRETS[4])
        .base_url(base_url)
}

fn shows_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows `{secret}`: {text}");
    }
    // Basic credentials travel base64-encoded; that form is a secret too.
    assert!(!text.contains("YmFzaWMtdXNlci0y"), "{what}: {text}");
}

#[tokio::test]
async fn no_debug_display_or_error_shows_a_credential() {
    let builder = builder("http://127.0.0.1:9");
    shows_no_secret("ClientBuilder's Debug", &format!("{builder:?}"));
    let client = builder.build().expect("builds");
    shows_no_secret("Client's Debug", &format!("{client:?}"));
    let options = RequestOptions {
        headers: vec![("authorization".to_owned(), SECRETS[5].to_owned())],
        ..Default::default()
    };
    shows_no_secret("RequestOptions' Debug", &format!("{options:?}"));
    let scoped = client.with_options(options);
    shows_no_secret("a scoped client's Debug", &format!("{scoped:?}"));

    // Nothing listens on port 9: the connection fails with the query key in the URL.
    let err = scoped
        .with_options(RequestOptions {
            max_retries: Some(0),
            ..Default::default()
        })
        .with_query_and_cookie()
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    shows_no_secret("a transport error's Debug", &format!("{err:?}"));
    shows_no_secret("a transport error's Display", &err.to_string());
    let mut source = std::error::Error::source(&err);
    while let Some(inner) = source {
        shows_no_secret("an error's source", &format!("{inner} {inner:?}"));
        source = inner.source();
    }
}

#[test]
fn a_credential_that_cannot_be_sent_is_refused_without_echoing_it() {
    for (what, builder) in [
        (
            "a header",
            Client::builder().token("bearer-secret-1\r\nx: y"),
        ),
        (
            "a cookie",
            Client::builder().session_cookie("cookie-secret-5\u{1}"),
        ),
        (
            "a cookie",
            Client::builder().session_cookie("cookie-secret-5; admin=1"),
        ),
    ] {
        let err = builder.build().expect_err(what);
        shows_no_secret("a build error", &format!("{err} {err:?}"));
        assert!(
            err.to_string()
                .contains("credential contains characters not allowed in a header"),
            "{err}"
        );
    }
}
