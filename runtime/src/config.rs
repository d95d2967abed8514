//! Client settings collected by a generated `ClientBuilder`: security schemes and credentials, hooks, and per-call options.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::{HeaderMap, HttpClient, Method, StatusCode};
use reqwest::header::{HeaderName, HeaderValue};

/// An API credential, as declared by one of the spec's security schemes.
#[derive(Clone, Copy, Debug)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    pub carrier: Carrier,
}

/// How a credential travels with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
    /// An API key in this cookie.
    Cookie(&'static str),
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
}

/// A credential ready to send; never shown by `Debug`.
#[derive(Clone)]
pub(crate) enum Secret {
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
    Cookie(String),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Settings collected by a generated `ClientBuilder`.
#[derive(Debug)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) schemes: &'static [SecurityScheme],
    pub(crate) credentials: Vec<Option<String>>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) max_retries: u32,
    pub(crate) hooks: Hooks,
}

/// Code run on every request before it is sent and on every response as it arrives, for
/// tracing, custom headers or refreshing credentials, without changing generated code.
#[derive(Clone, Default)]
pub struct Hooks {
    pub(crate) on_request: Vec<RequestHook>,
    pub(crate) on_response: Vec<ResponseHook>,
    pub(crate) sleep: Option<Sleep>,
}

/// Sees, and may change, each request before it is sent.
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// Sees each response as it arrives.
pub type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("on_request", &self.on_request.len())
            .field("on_response", &self.on_response.len())
            .field("custom_sleep", &self.sleep.is_some())
            .finish()
    }
}

/// How the client waits between retries; replaceable so that tests and other runtimes need
/// not wait for real.
pub type Sleep = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// What a response hook sees: every response, including those about to be retried.
#[derive(Debug)]
pub struct ResponseInfo<'a> {
    pub method: &'a Method,
    pub url: &'a reqwest::Url,
    pub status: StatusCode,
    pub headers: &'a HeaderMap,
    /// 0 for the first try, 1 for the first retry, ...
    pub attempt: u32,
    /// How long the client will wait before retrying; `None` when this response is final.
    pub retry_in: Option<Duration>,
}

impl ClientConfig {
    pub fn new(base_url: &str, schemes: &'static [SecurityScheme]) -> Self {
        Self {
            base_url: base_url.to_owned(),
            schemes,
            credentials: vec![None; schemes.len()],
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            http: None,
            max_retries: 2,
            hooks: Hooks::default(),
        }
    }

    pub fn max_retries(&mut self, max_retries: u32) {
        self.max_retries = max_retries;
    }

    pub fn on_request(&mut self, hook: RequestHook) {
        self.hooks.on_request.push(hook);
    }

    pub fn on_response(&mut self, hook: ResponseHook) {
        self.hooks.on_response.push(hook);
    }

    pub fn sleep(&mut self, sleep: Sleep) {
        self.hooks.sleep = Some(sleep);
    }

    pub fn base_url(&mut self, base_url: String) {
        self.base_url = base_url;
    }

    pub fn credential(&mut self, scheme: usize, value: String) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = Some(value);
        }
    }

    pub fn timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    pub fn connect_timeout(&mut self, timeout: Option<Duration>) {
        self.connect_timeout = timeout;
    }

    pub fn http_client(&mut self, http: reqwest::Client) {
        self.http = Some(http);
    }

    pub fn build(self) -> Result<HttpClient, BuildError> {
        let base_url = reqwest::Url::parse(self.base_url.trim_end_matches('/'))
            .map_err(|err| BuildError(format!("invalid base URL `{}`: {err}", self.base_url)))?;
        if base_url.cannot_be_a_base() {
            return Err(BuildError(format!(
                "`{}` cannot be a base URL",
                self.base_url
            )));
        }
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for (scheme, value) in self.schemes.iter().zip(self.credentials) {
            credentials.push(value.map(|value| secret(scheme, value)).transpose()?);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder =
                    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|err| BuildError(format!("cannot build the HTTP client: {err}")))?
            }
        };
        Ok(HttpClient {
            http,
            base_url,
            schemes: self.schemes,
            credentials,
            hooks: self.hooks,
            options: RequestOptions {
                max_retries: Some(self.max_retries),
                ..RequestOptions::default()
            },
        })
    }
}

/// A credential in the form its scheme sends it, checked now so that a bad value fails
/// when the client is built rather than on the first call. The value is never echoed.
fn secret(scheme: &SecurityScheme, value: String) -> Result<Secret, BuildError> {
    let invalid = || {
        BuildError(format!(
            "the `{}` credential contains characters not allowed in a header",
            scheme.name
        ))
    };
    let header = |name: &str, value: String| -> Result<Secret, BuildError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let mut value = HeaderValue::from_str(&value).map_err(|_| invalid())?;
        value.set_sensitive(true);
        Ok(Secret::Header(name, value))
    };
    match scheme.carrier {
        Carrier::Header(name) => header(name, value),
        Carrier::Bearer => header("authorization", format!("Bearer {value}")),
        Carrier::Basic => header(
            "authorization",
            format!("Basic {}", base64(value.as_bytes())),
        ),
        Carrier::Query(name) => Ok(Secret::Query(name, value)),
        Carrier::Cookie(name) => {
            if value.contains([';', '\r', '\n']) {
                return Err(invalid());
            }
            Ok(Secret::Cookie(format!("{name}={value}")))
        }
    }
}

/// Standard base64 with padding (RFC 4648), for basic authentication.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Why a client could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// Settings for the calls made through one client value: `client.with_options(...)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Limit for each try as a whole, replacing the client's timeout.
    pub timeout: Option<Duration>,
    /// Retries after the first try; `Some(0)` disables them.
    pub max_retries: Option<u32>,
    /// Sent as the `Idempotency-Key` header, the same on every retry; it also makes requests
    /// with non-idempotent methods (POST, PATCH) safe to retry.
    pub idempotency_key: Option<String>,
    /// More headers to send. Values with CR or LF are refused before sending.
    pub headers: Vec<(String, String)>,
    /// With the `tracing` feature: also record request and response bodies (the first 4 KiB
    /// of each, as text) as `DEBUG` events. Off by default, since bodies carry personal data.
    pub trace_bodies: Option<bool>,
}

impl RequestOptions {
    /// These options, with every setting `other` makes taking its place.
    pub fn merged(&self, other: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            max_retries: other.max_retries.or(self.max_retries),
            idempotency_key: other
                .idempotency_key
                .or_else(|| self.idempotency_key.clone()),
            headers,
            trace_bodies: other.trace_bodies.or(self.trace_bodies),
        }
    }
}
