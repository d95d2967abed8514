//! Webhook requests checked before they are believed (feature `webhooks`): the signature an API
//! puts on each request it sends to a receiver, verified against the shared secret, and, for
//! mocks and tests, the same signature made.
//!
//! Two schemes:
//!
//! - [`StandardWebhooks`], [Standard Webhooks](https://www.standardwebhooks.com) (Svix, OpenAI,
//!   Resend, ...): headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
//!   `webhook-signature`, space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
//!   entries, under a base64 secret written with or without a `whsec_` prefix. A request whose
//!   timestamp is further from now than the tolerance ([`DEFAULT_TOLERANCE`], five minutes, the
//!   specification's recommendation; [`StandardWebhooks::tolerance`] sets another) is refused,
//!   so that a request captured once cannot be replayed later.
//! - [`GitHubSignature`], GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
//!   which signs no timestamp (a receiver that cares about replays checks
//!   `X-GitHub-Delivery` ids itself).
//!
//! Both accept several secrets, so that a receiver can rotate its key without refusing what was
//! signed with the old one, compare in constant time, and verify the body's bytes exactly as
//! received: verify before parsing, never a body re-serialized from its JSON. Both implement
//! [`Verify`], which a generated `parse` calls through [`unwrap`], and [`Sign`], with which a
//! generated mock signs a payload the way the API would. Neither shows its secrets in `Debug`,
//! and no error holds a secret or a signature.
//!
//! The HMAC is RustCrypto's `hmac` and `sha2`. The `standardwebhooks` crate was not taken: its
//! five-minute tolerance is a private constant, it brings base64 0.21 (this crate has 0.22) and
//! `time`, and it has no GitHub scheme. `runtime/tests/webhooks_reference.rs`, run by
//! `scripts/webhooks-reference.sh`, checks this module against the reference implementation, the
//! `standardwebhooks` package from PyPI, in both directions.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac as _};
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

pub use crate::HeaderMap;
use http::HeaderValue;
pub use http::Request;

mod events;

pub use events::{UnknownEvent, decode, encode, header, insert_header, request, tag};

/// How far a Standard Webhooks timestamp may be from now, either way: five minutes, as the
/// specification recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The Standard Webhooks headers, lowercase as `HeaderMap` keeps names.
pub const WEBHOOK_ID: &str = "webhook-id";
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// GitHub's signature header (`X-Hub-Signature-256`).
pub const GITHUB_SIGNATURE: &str = "x-hub-signature-256";

const SECRET_PREFIX: &str = "whsec_";
const GITHUB_PREFIX: &[u8] = b"sha256=";
/// An HMAC-SHA256 tag's length, in bytes.
const TAG_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// Padding optional: secrets and signatures are written both ways in the wild, and the
/// reference implementation accepts both.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a webhook request was refused, or its payload not read.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is not in the request.
    MissingHeader(&'static str),
    /// A header is there but cannot be read. `reason` says why; the value is never repeated,
    /// as it may be a signature.
    InvalidHeader {
        name: &'static str,
        reason: &'static str,
    },
    /// The timestamp is older than the tolerance allows: a late delivery, or a replay.
    Expired {
        /// The request's timestamp, in Unix seconds.
        timestamp: i64,
        tolerance: Duration,
    },
    /// The timestamp is further ahead of now than the tolerance allows: a sender's clock far
    /// off, or a request made to be replayed later.
    FromTheFuture {
        /// The request's timestamp, in Unix seconds.
        timestamp: i64,
        tolerance: Duration,
    },
    /// No signature of the request matches the body under any of the secrets: a forged or
    /// altered request, or a secret that is not the sender's.
    NoMatchingSignature,
    /// A secret given to the verifier cannot be used; `reason` says why, without the secret.
    InvalidSecret { reason: &'static str },
    /// The verified body does not decode as the payload.
    Body(serde_json::Error),
    /// The request is verified, but which of the documented events it is cannot be told
    /// (the spec gives several events the same header value and nothing that tells them
    /// apart): the header value. Name the event with the generated `Event::parse_named`.
    Undetermined { event: String },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader(name) => write!(f, "webhook header `{name}` is missing"),
            Self::InvalidHeader { name, reason } => write!(f, "webhook header `{name}` {reason}"),
            Self::Expired {
                timestamp,
                tolerance,
            } => write!(
                f,
                "webhook timestamp {timestamp} is more than {tolerance:?} in the past"
            ),
            Self::FromTheFuture {
                timestamp,
                tolerance,
            } => write!(
                f,
                "webhook timestamp {timestamp} is more than {tolerance:?} in the future"
            ),
            Self::NoMatchingSignature => {
                f.write_str("no webhook signature matches the body under any of the secrets")
            }
            Self::InvalidSecret { reason } => write!(f, "webhook secret {reason}"),
            Self::Body(err) => write!(f, "webhook body does not decode: {err}"),
            Self::Undetermined { event } => write!(
                f,
                "several webhook events are `{event}`, and nothing in the request tells which"
            ),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Body(err) => Some(err),
            _ => None,
        }
    }
}

/// So that a generated `parse` decodes with `?`.
impl From<serde_json::Error> for WebhookError {
    fn from(err: serde_json::Error) -> Self {
        Self::Body(err)
    }
}

/// A signature scheme's check of a request: its headers, and its body as received.
pub trait Verify {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError>;
}

/// A signature scheme's signing of a request, as the API does before it sends one: for mocks
/// and tests of a receiver.
pub trait Sign {
    /// Sets the scheme's headers on `headers` for `body`, replacing any already there.
    fn sign_request(&self, body: &[u8], headers: &mut HeaderMap);
}

/// The payload of a verified request, decoded from its JSON body. The body is verified as
/// received, then decoded: a request that fails verification is never parsed.
pub fn unwrap<T: DeserializeOwned>(
    verifier: &(impl Verify + ?Sized),
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, WebhookError> {
    verifier.verify(headers, body)?;
    Ok(serde_json::from_slice(body)?)
}

/// The [Standard Webhooks](https://www.standardwebhooks.com) scheme, with one or more secrets
/// and a timestamp tolerance ([`DEFAULT_TOLERANCE`] unless set).
///
/// ```
/// # use specwright_runtime::webhooks::{StandardWebhooks, WebhookError};
/// let verifier = StandardWebhooks::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let body = br#"{"type":"invoice.paid"}"#;
/// let headers = verifier.headers("msg_1", 1_700_000_000, body);
/// let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_010);
/// verifier.verify_at(&headers, body, then)?;
/// # Ok::<(), WebhookError>(())
/// ```
#[derive(Clone)]
pub struct StandardWebhooks {
    keys: Vec<HmacSha256>,
    tolerance: Duration,
}

impl StandardWebhooks {
    /// A verifier for one secret: base64 (padded or not), with or without its `whsec_`
    /// prefix; whitespace around it is dropped. An error never shows the secret.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Ok(Self {
            keys: vec![standard_key(secret)?],
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Another secret accepted beside those given before: while a receiver rotates its key,
    /// requests signed with either verify. [`sign`](Self::sign) signs with each.
    pub fn with_secret(mut self, secret: &str) -> Result<Self, WebhookError> {
        self.keys.push(standard_key(secret)?);
        Ok(self)
    }

    /// How far a timestamp may be from now, either way, for a request to verify.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a request as of now: see [`verify_at`](Self::verify_at).
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Checks a request as of `now`: the three headers are there, the timestamp is within the
    /// tolerance of `now`, and some `v1` signature of `webhook-signature` is the HMAC of
    /// `{id}.{timestamp}.{body}` under one of the secrets. Entries of other versions are
    /// skipped, as the specification asks, so that a sender can add schemes.
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = single_header(headers, WEBHOOK_ID)?;
        let timestamp_text = single_header(headers, WEBHOOK_TIMESTAMP)?;
        let timestamp = parse_timestamp(timestamp_text)?;
        // Before the signature, as the reference implementation does: an expired request is
        // refused as expired whatever it is signed with.
        self.check_time(timestamp, now)?;
        let signatures = standard_signatures(headers)?;
        // The timestamp is signed as its header's text, which is what the sender signed.
        let signed = self.keys.iter().map(|key| {
            let mut mac = key.clone();
            mac.update(id);
            mac.update(b".");
            mac.update(timestamp_text);
            mac.update(b".");
            mac.update(body);
            mac
        });
        for mac in signed {
            if signatures
                .iter()
                .any(|signature| mac.clone().verify_slice(signature).is_ok())
            {
                return Ok(());
            }
        }
        Err(WebhookError::NoMatchingSignature)
    }

    /// The `webhook-signature` value for a request: one `v1,` entry per secret, space
    /// separated, as a sender mid-rotation sends.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let timestamp = timestamp.to_string();
        let entries: Vec<String> = self
            .keys
            .iter()
            .map(|key| {
                let mut mac = key.clone();
                mac.update(id.as_bytes());
                mac.update(b".");
                mac.update(timestamp.as_bytes());
                mac.update(b".");
                mac.update(body);
                format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
            })
            .collect();
        entries.join(" ")
    }

    /// The three headers of a signed request. An `id` no header can hold (one with control
    /// characters) is sent and signed with each of those replaced by `_`, so the headers
    /// always verify.
    pub fn headers(&self, id: &str, timestamp: i64, body: &[u8]) -> HeaderMap {
        let id: String = id
            .chars()
            .map(|c| if c.is_ascii_control() { '_' } else { c })
            .collect();
        let mut headers = HeaderMap::new();
        insert(&mut headers, WEBHOOK_ID, &id);
        insert(&mut headers, WEBHOOK_TIMESTAMP, &timestamp.to_string());
        insert(
            &mut headers,
            WEBHOOK_SIGNATURE,
            &self.sign(&id, timestamp, body),
        );
        headers
    }

    fn check_time(&self, timestamp: i64, now: SystemTime) -> Result<(), WebhookError> {
        // In nanoseconds, as i128: no timestamp, clock or tolerance overflows, and a tolerance
        // of less than a second means what it says.
        const NANOS: i128 = 1_000_000_000;
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i128::try_from(since.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        let then = i128::from(timestamp) * NANOS;
        let tolerance = i128::try_from(self.tolerance.as_nanos()).unwrap_or(i128::MAX);
        if now - then > tolerance {
            Err(WebhookError::Expired {
                timestamp,
                tolerance: self.tolerance,
            })
        } else if then - now > tolerance {
            Err(WebhookError::FromTheFuture {
                timestamp,
                tolerance: self.tolerance,
            })
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for StandardWebhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooks")
            .field("secrets", &Redacted(self.keys.len()))
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Verify for StandardWebhooks {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        StandardWebhooks::verify(self, headers, body)
    }
}

impl Sign for StandardWebhooks {
    /// The id is derived from the body (`msg_` and the first 16 hex digits of its SHA-256), so
    /// that a mock's request is the same from run to run but for its timestamp, which is now.
    fn sign_request(&self, body: &[u8], headers: &mut HeaderMap) {
        let digest = Sha256::digest(body);
        let id = format!("msg_{}", &hex(&digest[..8]));
        let now = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        headers.extend(self.headers(&id, now, body));
    }
}

/// GitHub's signature: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256 of the body>`,
/// with one or more secrets.
///
/// ```
/// # use specwright_runtime::webhooks::{GitHubSignature, WebhookError};
/// let verifier = GitHubSignature::new("It's a Secret to Everybody");
/// let headers = verifier.headers(b"Hello, World!");
/// verifier.verify(&headers, b"Hello, World!")?;
/// # Ok::<(), WebhookError>(())
/// ```
#[derive(Clone)]
pub struct GitHubSignature {
    keys: Vec<HmacSha256>,
}

impl GitHubSignature {
    /// A verifier for the webhook's secret, the one the sender signs with now: any bytes, as
    /// GitHub takes any text.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self {
            keys: vec![keyed(secret.as_ref())],
        }
    }

    /// Another secret accepted beside those given before, while the receiver rotates its key.
    /// [`sign`](Self::sign) still signs with the first, as GitHub sends one signature.
    pub fn with_secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.keys.push(keyed(secret.as_ref()));
        self
    }

    /// Checks that `X-Hub-Signature-256` is the HMAC of `body` under one of the secrets.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        let value = single_header(headers, GITHUB_SIGNATURE)?;
        let signature = value.strip_prefix(GITHUB_PREFIX).and_then(unhex).ok_or(
            WebhookError::InvalidHeader {
                name: GITHUB_SIGNATURE,
                reason: "is not `sha256=` and 64 hex digits",
            },
        )?;
        for key in &self.keys {
            let mut mac = key.clone();
            mac.update(body);
            if mac.verify_slice(&signature).is_ok() {
                return Ok(());
            }
        }
        Err(WebhookError::NoMatchingSignature)
    }

    /// The `X-Hub-Signature-256` value for `body`, under the first secret.
    pub fn sign(&self, body: &[u8]) -> String {
        // `keys` is never empty: `new` puts one in and nothing takes one out.
        let Some(key) = self.keys.first() else {
            return String::new();
        };
        let mut mac = key.clone();
        mac.update(body);
        format!("sha256={}", hex(&mac.finalize().into_bytes()))
    }

    /// The signature header of a request carrying `body`.
    pub fn headers(&self, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        insert(&mut headers, GITHUB_SIGNATURE, &self.sign(body));
        headers
    }
}

impl fmt::Debug for GitHubSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitHubSignature")
            .field("secrets", &Redacted(self.keys.len()))
            .finish()
    }
}

impl Verify for GitHubSignature {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        GitHubSignature::verify(self, headers, body)
    }
}

impl Sign for GitHubSignature {
    fn sign_request(&self, body: &[u8], headers: &mut HeaderMap) {
        headers.extend(self.headers(body));
    }
}

/// How many secrets a verifier holds, shown in place of them.
struct Redacted(usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} redacted]", self.0)
    }
}

/// An HMAC-SHA256 keyed with `secret`. RFC 2104's key preparation is done here (a key longer
/// than the hash's block is hashed, a shorter one padded with zeros), which is what
/// `new_from_slice` does, because that returns a `Result` HMAC never fails and this would
/// otherwise unwrap.
fn keyed(secret: &[u8]) -> HmacSha256 {
    let mut block = [0u8; 64];
    if secret.len() > block.len() {
        let digest = Sha256::digest(secret);
        block[..digest.len()].copy_from_slice(&digest);
    } else {
        block[..secret.len()].copy_from_slice(secret);
    }
    <HmacSha256 as hmac::Mac>::new(&block.into())
}

/// A Standard Webhooks secret: base64 after an optional `whsec_` prefix, around which
/// whitespace (a line end read from a file) is dropped.
fn standard_key(secret: &str) -> Result<HmacSha256, WebhookError> {
    let secret = secret.trim();
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    // The decoder's error names the offending byte and its offset, a piece of the secret: it
    // is dropped, not wrapped.
    let key = BASE64
        .decode(encoded)
        .map_err(|_| WebhookError::InvalidSecret {
            reason: "is not base64 (after its `whsec_` prefix, if any)",
        })?;
    if key.is_empty() {
        return Err(WebhookError::InvalidSecret { reason: "is empty" });
    }
    Ok(keyed(&key))
}

/// The one value of a header, as bytes: a signature scheme signs bytes, and a header sent
/// twice leaves it unclear which was signed.
fn single_header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a [u8], WebhookError> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(WebhookError::MissingHeader(name))?;
    if values.next().is_some() {
        return Err(WebhookError::InvalidHeader {
            name,
            reason: "is sent more than once",
        });
    }
    if value.is_empty() {
        return Err(WebhookError::InvalidHeader {
            name,
            reason: "is empty",
        });
    }
    Ok(value.as_bytes())
}

/// Unix seconds, digits only: the specification's form, and nothing a float parser or a sign
/// would let through.
fn parse_timestamp(text: &[u8]) -> Result<i64, WebhookError> {
    let invalid = WebhookError::InvalidHeader {
        name: WEBHOOK_TIMESTAMP,
        reason: "is not a whole number of seconds since 1970 (Unix time)",
    };
    if !text.iter().all(u8::is_ascii_digit) {
        return Err(invalid);
    }
    std::str::from_utf8(text)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or(invalid)
}

/// The decoded `v1` signatures of every `webhook-signature` value. An entry of another
/// version, or one that is not base64 of a tag's length, is skipped: it cannot match, and one
/// malformed entry should not hide a good one beside it.
fn standard_signatures(headers: &HeaderMap) -> Result<Vec<Vec<u8>>, WebhookError> {
    let mut values = headers.get_all(WEBHOOK_SIGNATURE).iter().peekable();
    if values.peek().is_none() {
        return Err(WebhookError::MissingHeader(WEBHOOK_SIGNATURE));
    }
    let mut any_v1 = false;
    let mut signatures = Vec::new();
    for value in values {
        for entry in value.as_bytes().split(|&byte| byte == b' ') {
            let Some(encoded) = entry.strip_prefix(b"v1,") else {
                continue;
            };
            any_v1 = true;
            // Base64 of a 32-byte tag is 44 characters; a longer entry is not decoded.
            if encoded.len() > 64 {
                continue;
            }
            if let Ok(signature) = BASE64.decode(encoded) {
                if signature.len() == TAG_LEN {
                    signatures.push(signature);
                }
            }
        }
    }
    if !any_v1 {
        return Err(WebhookError::InvalidHeader {
            name: WEBHOOK_SIGNATURE,
            reason: "holds no `v1,` signature",
        });
    }
    Ok(signatures)
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    // Every value written here is visible ASCII or text from a `&str` cleaned of control
    // characters, which a header holds: the check cannot fail.
    if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
        headers.insert(name, value);
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// A tag's 64 hex digits, either case, as bytes.
fn unhex(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() != TAG_LEN * 2 {
        return None;
    }
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    text.chunks_exact(2)
        .map(|pair| match pair {
            [high, low] => Some((digit(*high)? << 4) | digit(*low)?),
            _ => None,
        })
        .collect()
}
