//! Everything that can go wrong with a call, and the raw response an error keeps.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::credentials::CredentialError;
use crate::events::EventError;
use crate::response::request_id;
use crate::{HeaderMap, StatusCode, ValidationError};

/// Everything that can go wrong with a call. `E` is the operation's enum of documented error
/// responses.
#[derive(Debug)]
pub enum Error<E> {
    /// The request broke a constraint of the spec; nothing was sent.
    Validation(ValidationError),
    /// The operation needs a credential the client was not given; nothing was sent.
    MissingCredential(String),
    /// A credential's provider failed (the token endpoint refused, say); nothing was sent.
    Credential(Box<CredentialError>),
    /// The server answered with a status the spec documents as an error.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document.
    UnexpectedStatus(Box<RawResponse>),
    /// The response body did not match the documented schema.
    Decode(Box<DecodeError>),
    /// A time limit ran out: connecting, a try, the wait between two reads of the body, or
    /// the deadline of the whole call.
    Timeout(TimeoutError),
    /// The body is longer than the limit on bodies read into memory; reading stopped there.
    BodyTooLarge {
        /// The limit, in bytes ([`RequestOptions::max_body_size`](crate::RequestOptions)).
        limit: u64,
    },
    /// The server's list did not end: page after page came back empty, each with a new
    /// cursor.
    Pagination(String),
    /// One event (or record) of a stream did not decode; it is kept as it came, and the
    /// stream goes on.
    Event(Box<EventError>),
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// A middleware layer of the user's (feature `middleware`) failed the request.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

/// Which time limit ran out, and how long it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    pub limit: TimeLimit,
    pub after: Duration,
}

/// The time limits of a call; each is set on the client builder and per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLimit {
    /// Connecting to the server.
    Connect,
    /// One try: from sending the request to the last byte of a body read into memory (or,
    /// for a streamed body, to its response head).
    Try,
    /// The wait for the next bytes of a body, so that a slow but live body goes on.
    Read,
    /// The whole call: every try, and the waits between them.
    Deadline,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.limit {
            TimeLimit::Connect => "connecting",
            TimeLimit::Try => "the try",
            TimeLimit::Read => "waiting for more of the body",
            TimeLimit::Deadline => "the call's deadline",
        };
        write!(f, "{what} took longer than {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

impl Error<std::convert::Infallible> {
    /// An error of sending, which no documented error body is part of, as an error of any
    /// operation.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Self::Api(api) => match api.body {},
            Self::Validation(err) => Error::Validation(err),
            Self::MissingCredential(name) => Error::MissingCredential(name),
            Self::Credential(err) => Error::Credential(err),
            Self::UnexpectedStatus(raw) => Error::UnexpectedStatus(raw),
            Self::Decode(err) => Error::Decode(err),
            Self::Timeout(err) => Error::Timeout(err),
            Self::BodyTooLarge { limit } => Error::BodyTooLarge { limit },
            Self::Pagination(why) => Error::Pagination(why),
            Self::Event(err) => Error::Event(err),
            Self::Transport(err) => Error::Transport(err),
            Self::Middleware(err) => Error::Middleware(err),
        }
    }
}

impl<E> Error<E> {
    /// The URL is dropped from the error: it may carry an API key in its query. `connect` is
    /// the connect timeout, the one limit reqwest itself keeps.
    pub(crate) fn from_reqwest(err: reqwest::Error, connect: Option<Duration>) -> Self {
        let err = err.without_url();
        match connect {
            // The runtime keeps every other limit itself.
            Some(after) if err.is_timeout() => Self::Timeout(TimeoutError {
                limit: TimeLimit::Connect,
                after,
            }),
            _ => Self::Transport(err),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(err) => Some(err.status),
            Self::UnexpectedStatus(raw) => Some(raw.status),
            Self::Decode(err) => Some(err.status),
            Self::Transport(err) => err.status(),
            Self::Middleware(_) => None,
            Self::Validation(_)
            | Self::MissingCredential(_)
            | Self::Credential(_)
            | Self::Timeout(_)
            | Self::BodyTooLarge { .. }
            | Self::Pagination(_)
            | Self::Event(_) => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(err: ValidationError) -> Self {
        Self::Validation(err)
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(err) => write!(f, "invalid request: {err}"),
            Self::MissingCredential(name) => {
                write!(f, "the client holds no credential for {name}")
            }
            Self::Credential(err) => write!(f, "{err}"),
            Self::Api(err) => {
                write!(f, "the server answered {}: ", err.status)?;
                bounded_debug(f, &err.body, 1000)
            }
            Self::UnexpectedStatus(raw) => write!(
                f,
                "the server answered {}, which the API does not document",
                raw.status
            ),
            Self::Decode(err) => write!(f, "{err}"),
            Self::Timeout(err) => write!(f, "timed out: {err}"),
            Self::BodyTooLarge { limit } => write!(
                f,
                "the response body is longer than the limit of {limit} bytes (max_body_size)"
            ),
            Self::Pagination(why) => write!(f, "the list did not end: {why}"),
            Self::Event(err) => write!(f, "{err}"),
            Self::Transport(err) => write!(f, "transport error: {err}"),
            Self::Middleware(err) => write!(f, "a middleware layer failed: {err}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Timeout(err) => Some(err),
            Self::Transport(err) => Some(err),
            Self::Middleware(err) => Some(err.as_ref()),
            Self::Validation(err) => Some(err),
            Self::Decode(err) => Some(err.as_ref()),
            Self::Event(err) => Some(err.as_ref()),
            Self::Credential(err) => Some(err.as_ref()),
            _ => None,
        }
    }
}

/// `value`'s `Debug`, cut after `limit` characters: an error body can be as long as the body
/// limit, and a message is no place for megabytes.
fn bounded_debug(f: &mut fmt::Formatter<'_>, value: &impl fmt::Debug, limit: usize) -> fmt::Result {
    struct Bounded<'a, 'b> {
        out: &'a mut fmt::Formatter<'b>,
        left: usize,
        cut: bool,
    }
    impl fmt::Write for Bounded<'_, '_> {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            if self.left == 0 {
                self.cut = true;
                // Stops the value's formatting early; the caller tells this apart.
                return Err(fmt::Error);
            }
            let end = text
                .char_indices()
                .nth(self.left)
                .map_or(text.len(), |(at, _)| at);
            self.left = self.left.saturating_sub(text[..end].chars().count());
            self.out.write_str(&text[..end])?;
            if end < text.len() {
                self.cut = true;
                return Err(fmt::Error);
            }
            Ok(())
        }
    }
    let mut bounded = Bounded {
        out: f,
        left: limit,
        cut: false,
    };
    let written = fmt::write(&mut bounded, format_args!("{value:?}"));
    match (written, bounded.cut) {
        (_, true) => f.write_str("..."),
        (result, false) => result,
    }
}

/// A documented error response.
#[derive(Debug)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
}

impl<E> ApiError<E> {
    /// The server's request id (`x-request-id` or `request-id`), for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

/// A response kept as it came.
#[derive(Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &BodyDebug(&self.body))
            .finish()
    }
}

/// A body in `Debug` output: its text when it is UTF-8, cut after 1,000 characters, and its
/// length otherwise (a list of byte values helps nobody).
struct BodyDebug<'a>(&'a [u8]);

impl fmt::Debug for BodyDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 1000;
        match std::str::from_utf8(self.0) {
            Ok(text) => match text.char_indices().nth(SHOWN) {
                Some((cut, _)) => {
                    write!(f, "{:?}... ({} bytes in all)", &text[..cut], self.0.len())
                }
                None => write!(f, "{text:?}"),
            },
            Err(_) => write!(f, "<{} bytes, not UTF-8>", self.0.len()),
        }
    }
}

impl RawResponse {
    /// The server's request id (`x-request-id` or `request-id`), for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A response body that did not decode.
#[derive(Clone)]
pub struct DecodeError {
    pub status: StatusCode,
    /// Path to the field that failed, such as `data[0].created_at`.
    pub path: String,
    pub message: String,
    pub body: Bytes,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body", &BodyDebug(&self.body))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response at `{}`: {}",
            self.status, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: Vec<u8>) -> RawResponse {
        let body = Bytes::from(body);
        RawResponse {
            status: StatusCode::BAD_GATEWAY,
            headers: HeaderMap::new(),
            body,
        }
    }

    #[test]
    fn raw_response_debug_shows_a_utf8_body_as_text() {
        let debug = format!("{:?}", raw(br#"{"error":"down"}"#.to_vec()));
        assert!(debug.contains(r#"body: "{\"error\":\"down\"}""#), "{debug}");
    }

    #[test]
    fn raw_response_debug_shows_only_the_length_of_binary_bodies() {
        let debug = format!("{:?}", raw(vec![0xff, 0xfe, 0x00]));
        assert!(debug.contains("body: <3 bytes, not UTF-8>"), "{debug}");
    }

    #[test]
    fn raw_response_debug_cuts_long_bodies_on_a_character_boundary() {
        // Two bytes a character: a cut by bytes would split one.
        let debug = format!("{:?}", raw("é".repeat(5000).into_bytes()));
        assert!(debug.contains("... (10000 bytes in all)"), "{debug}");
        assert_eq!(debug.matches('é').count(), 1000);
        assert!(debug.len() < 2500, "{} bytes of Debug", debug.len());
    }

    #[test]
    fn an_api_errors_display_is_bounded() {
        let err: Error<String> = Error::Api(Box::new(ApiError {
            status: StatusCode::BAD_REQUEST,
            headers: HeaderMap::new(),
            body: "é".repeat(1_000_000),
        }));
        let shown = err.to_string();
        assert!(
            shown.starts_with("the server answered 400 Bad Request: \"éé"),
            "{}",
            &shown[..60]
        );
        assert!(shown.ends_with("..."));
        assert!(
            shown.chars().count() < 1100,
            "{} characters",
            shown.chars().count()
        );
        let short: Error<&str> = Error::Api(Box::new(ApiError {
            status: StatusCode::NOT_FOUND,
            headers: HeaderMap::new(),
            body: "gone",
        }));
        assert_eq!(
            short.to_string(),
            "the server answered 404 Not Found: \"gone\""
        );
    }

    #[test]
    fn decode_error_debug_is_bounded_too() {
        let err = DecodeError {
            status: StatusCode::OK,
            path: "data[0]".to_owned(),
            message: "invalid type".to_owned(),
            body: "x".repeat(100_000).into_bytes().into(),
        };
        let debug = format!("{err:?}");
        assert!(debug.contains("(100000 bytes in all)"), "{debug}");
        assert!(debug.len() < 1500, "{} bytes of Debug", debug.len());
        assert_eq!(
            err.to_string(),
            "cannot decode the 200 OK response at `data[0]`: invalid type"
        );
    }

    #[test]
    fn request_id_reads_either_header() {
        let mut response = raw(Vec::new());
        assert_eq!(response.request_id(), None);
        response
            .headers
            .insert("request-id", "r-2".parse().expect("a header value"));
        assert_eq!(response.request_id(), Some("r-2"));
        response
            .headers
            .insert("x-request-id", "r-1".parse().expect("a header value"));
        assert_eq!(response.request_id(), Some("r-1"));
    }

    #[test]
    fn status_is_known_only_when_the_server_answered() {
        let unexpected: Error<()> = Error::UnexpectedStatus(Box::new(raw(Vec::new())));
        assert_eq!(unexpected.status(), Some(StatusCode::BAD_GATEWAY));
        let missing: Error<()> = Error::MissingCredential("Key".to_owned());
        assert_eq!(missing.status(), None);
        assert_eq!(
            missing.to_string(),
            "the client holds no credential for Key"
        );
    }

    #[test]
    fn a_validation_error_is_the_source() {
        use std::error::Error as _;
        let err: Error<()> = ValidationError {
            path: "body.name".to_owned(),
            message: "is too long".to_owned(),
        }
        .into();
        assert_eq!(err.to_string(), "invalid request: `body.name` is too long");
        let source = err.source().expect("a source");
        assert_eq!(source.to_string(), "`body.name` is too long");
    }
}
