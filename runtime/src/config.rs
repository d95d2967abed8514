//! Client settings collected by a generated `ClientBuilder`: security schemes and credentials, hooks, and per-call options.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::__private::HttpClient;
use crate::credentials::Cached;
use crate::{
    ClientCredentials, CredentialProvider, HeaderMap, Method, RefreshToken, StatusCode, tls,
};
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

/// Where a scheme's credential comes from, as the builder was given it.
pub(crate) enum Source {
    Value(String),
    Provider(Arc<dyn CredentialProvider>),
    /// OAuth 2's grants, made into providers once the base URL that a relative `tokenUrl`
    /// resolves against is known.
    Grant(Grant),
}

pub(crate) struct Grant {
    token_url: &'static str,
    scopes: &'static [&'static str],
    client_id: String,
    client_secret: Option<String>,
    /// `None` for the client credentials grant.
    refresh_token: Option<String>,
}

impl Grant {
    fn provider(
        self,
        base_url: &reqwest::Url,
        http: &reqwest::Client,
    ) -> Result<Arc<dyn CredentialProvider>, BuildError> {
        let token_url = base_url.join(self.token_url).map_err(|err| {
            BuildError(format!(
                "the token URL `{}` does not resolve: {err}",
                self.token_url
            ))
        })?;
        Ok(match self.refresh_token {
            // Without a scope, a refresh asks for what was granted (RFC 6749, 6): the user may
            // have granted less than the operations could use.
            Some(refresh_token) => Arc::new(
                RefreshToken::new(token_url, self.client_id, self.client_secret, refresh_token)
                    .with_http(http.clone()),
            ),
            None => Arc::new(
                ClientCredentials::new(
                    token_url,
                    self.client_id,
                    self.client_secret.unwrap_or_default(),
                )
                .scopes(self.scopes.iter().copied())
                .with_http(http.clone()),
            ),
        })
    }
}

/// A scheme's credential as the built client holds it.
#[derive(Clone, Debug)]
pub(crate) enum Held {
    Fixed(Secret),
    Provided(Arc<Cached>),
}

/// Settings collected by a generated `ClientBuilder`. Its `Debug` names the credentials
/// that are set, never their values.
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) schemes: &'static [SecurityScheme],
    pub(crate) credentials: Vec<Option<Source>>,
    /// Credential headers no scheme declares, sent with every request.
    pub(crate) undeclared: Vec<(String, String)>,
    pub(crate) limits: Limits,
    pub(crate) http: Option<reqwest::ClientBuilder>,
    pub(crate) max_retries: u32,
    /// Whether `max_retries` was set, rather than left at its default.
    pub(crate) retries_set: bool,
    /// The user's middleware, outermost first.
    #[cfg(feature = "middleware")]
    pub(crate) middleware: Vec<Arc<dyn reqwest_middleware::Middleware>>,
    pub(crate) hooks: Hooks,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials: Vec<&str> = self
            .schemes
            .iter()
            .zip(&self.credentials)
            .filter(|(_, value)| value.is_some())
            .map(|(scheme, _)| scheme.name)
            .collect();
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("credentials_set", &credentials)
            .field(
                "undeclared_credentials",
                &self
                    .undeclared
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("limits", &self.limits)
            .field("own_http_client", &self.http.is_some())
            .field("max_retries", &self.max_retries)
            .field("hooks", &self.hooks)
            .finish()
    }
}

/// The limits on a call's time and on the bodies it reads into memory. The defaults (see
/// [`Limits::default`]) let every real API's answer through and stop a server that never
/// finishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connecting to the server.
    pub connect_timeout: Option<Duration>,
    /// One try: sending, the response head and a body read into memory.
    pub timeout: Option<Duration>,
    /// The wait for each next chunk of a body, streamed or not: a slow but live body goes on.
    pub read_timeout: Option<Duration>,
    /// The whole call: every try and the waits between them. A retry that would end past it
    /// is not made.
    pub deadline: Option<Duration>,
    /// The most bytes of a body read into memory (JSON, text, forms, bytes); a longer one
    /// is [`Error::BodyTooLarge`](crate::Error). Streamed bodies have no such limit.
    pub max_body_size: u64,
}

/// 64 MiB: more than any JSON document an API answers with (the largest seen in real APIs are
/// a few MiB), and little beside the memory of a machine that decodes it.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

impl Default for Limits {
    /// Connect 10 s, a try 60 s, 30 s between chunks of a body, 2 minutes for the whole
    /// call, bodies in memory up to 64 MiB.
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: Some(Duration::from_secs(60)),
            read_timeout: Some(Duration::from_secs(30)),
            deadline: Some(Duration::from_secs(120)),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
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
            credentials: schemes.iter().map(|_| None).collect(),
            undeclared: Vec::new(),
            limits: Limits::default(),
            http: None,
            max_retries: 2,
            retries_set: false,
            #[cfg(feature = "middleware")]
            middleware: Vec::new(),
            hooks: Hooks::default(),
        }
    }

    pub fn max_retries(&mut self, max_retries: u32) {
        self.max_retries = max_retries;
        self.retries_set = true;
    }

    /// A layer of the user's, run on every request the client sends (each retry included),
    /// inside the client's own policy: see [`middleware_items`](crate::middleware_items).
    #[cfg(feature = "middleware")]
    pub fn middleware(&mut self, layer: Arc<dyn reqwest_middleware::Middleware>) {
        self.middleware.push(layer);
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
            *slot = Some(Source::Value(value));
        }
    }

    /// The scheme's credential from `provider`, cached and renewed (see [`CredentialProvider`]).
    pub fn credential_provider(
        &mut self,
        scheme: usize,
        provider: impl CredentialProvider + 'static,
    ) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = Some(Source::Provider(Arc::new(provider)));
        }
    }

    /// The scheme's tokens from OAuth 2's client credentials grant at `token_url` (resolved
    /// against the base URL), asking for `scopes`.
    pub fn client_credentials(
        &mut self,
        scheme: usize,
        (token_url, scopes): (&'static str, &'static [&'static str]),
        client_id: String,
        client_secret: String,
    ) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = Some(Source::Grant(Grant {
                token_url,
                scopes,
                client_id,
                client_secret: Some(client_secret),
                refresh_token: None,
            }));
        }
    }

    /// The scheme's tokens from OAuth 2's refresh-token grant at `token_url` (resolved
    /// against the base URL), for the scopes the user granted; a public client has no
    /// secret.
    pub fn refresh_token(
        &mut self,
        scheme: usize,
        token_url: &'static str,
        client: (String, Option<String>),
        refresh_token: String,
    ) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = Some(Source::Grant(Grant {
                token_url,
                scopes: &[],
                client_id: client.0,
                client_secret: client.1,
                refresh_token: Some(refresh_token),
            }));
        }
    }

    /// A credential header that no scheme of the spec declares, sent with every request to
    /// the base URL's origin (and nowhere else), never shown.
    pub fn credential_header(&mut self, name: String, value: String) {
        self.undeclared.push((name, value));
    }

    pub fn timeout(&mut self, timeout: Option<Duration>) {
        self.limits.timeout = timeout;
    }

    pub fn connect_timeout(&mut self, timeout: Option<Duration>) {
        self.limits.connect_timeout = timeout;
    }

    pub fn read_timeout(&mut self, timeout: Option<Duration>) {
        self.limits.read_timeout = timeout;
    }

    pub fn deadline(&mut self, deadline: Option<Duration>) {
        self.limits.deadline = deadline;
    }

    pub fn max_body_size(&mut self, bytes: u64) {
        self.limits.max_body_size = bytes;
    }

    /// The user's own `reqwest` settings (proxies, certificates, connection pools), with the
    /// runtime's policy applied on top when the client is built: no redirects followed (a 3xx
    /// is a response, so no credential is ever sent to the origin a `Location` names), no
    /// `Referer`, the connect time-out. Every other limit the runtime keeps itself.
    ///
    /// Its TLS is the builder's own, and reqwest needs a rustls crypto provider for it: the
    /// process's default if the program installed one, else aws-lc-rs if the program's reqwest
    /// has its `rustls` feature (reqwest's default), else none, and reqwest would panic when it
    /// builds the client. So that it never does, a client built from a builder when the
    /// process has no default provider installs ring as the default first. A program that
    /// wants another provider installs it before it builds a client (a later
    /// `install_default` fails, as a second one always does).
    pub fn http_client(&mut self, http: reqwest::ClientBuilder) {
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
        let mut undeclared = Vec::with_capacity(self.undeclared.len());
        for (name, value) in self.undeclared {
            let header = sensitive_header(&name, &value).ok_or_else(|| {
                BuildError(format!(
                    "the credential header `{name}` has a name or value no header can hold"
                ))
            })?;
            undeclared.push(header);
        }
        // A builder of the user's keeps its TLS, provider included (see `http_client`).
        let builder = match self.http {
            Some(http) => {
                if rustls::crypto::CryptoProvider::get_default().is_none() {
                    // Another thread may install one meanwhile: theirs stands.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                http
            }
            None => {
                let tls = tls::default_config()
                    .map_err(|err| BuildError(format!("cannot set up TLS: {err}")))?;
                reqwest::Client::builder().tls_backend_preconfigured(tls)
            }
        };
        let mut builder = builder
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if let Some(timeout) = self.limits.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        let http = builder
            .build()
            .map_err(|err| BuildError(format!("cannot build the HTTP client: {err}")))?;
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for (scheme, source) in self.schemes.iter().zip(self.credentials) {
            let provided = |provider| Held::Provided(Arc::new(Cached::new(provider)));
            credentials.push(match source {
                None => None,
                Some(Source::Value(value)) => Some(Held::Fixed(secret(scheme, value)?)),
                Some(Source::Provider(provider)) => Some(provided(provider)),
                // Token requests go through the client's own HTTP client.
                Some(Source::Grant(grant)) => Some(provided(grant.provider(&base_url, &http)?)),
            });
        }
        // A stack of the user's layers most often retries itself: two retry loops, one
        // inside the other, would multiply the tries. The runtime's retries are then off
        // unless asked for.
        #[cfg(feature = "middleware")]
        let with_layers = !self.middleware.is_empty();
        #[cfg(not(feature = "middleware"))]
        let with_layers = false;
        let max_retries = match (with_layers, self.retries_set) {
            (true, false) => 0,
            _ => self.max_retries,
        };
        #[cfg(feature = "middleware")]
        let layers = with_layers
            .then(|| reqwest_middleware::ClientWithMiddleware::new(http.clone(), self.middleware));
        Ok(HttpClient {
            #[cfg(feature = "middleware")]
            layers,
            http,
            base_url,
            schemes: self.schemes,
            credentials,
            undeclared,
            hooks: self.hooks,
            limits: self.limits,
            options: RequestOptions {
                max_retries: Some(max_retries),
                ..RequestOptions::default()
            },
        })
    }
}

/// A credential in the form its scheme sends it, checked now so that a bad value fails
/// when the client is built rather than on the first call. The value is never echoed.
pub(crate) fn secret(scheme: &SecurityScheme, value: String) -> Result<Secret, BuildError> {
    let invalid = || {
        BuildError(format!(
            "the `{}` credential contains characters not allowed in a header",
            scheme.name
        ))
    };
    let header = |name: &str, value: String| sensitive_header(name, &value).ok_or_else(invalid);
    match scheme.carrier {
        Carrier::Header(name) => header(name, value),
        Carrier::Bearer => header("authorization", format!("Bearer {value}")),
        Carrier::Basic => header(
            "authorization",
            format!("Basic {}", base64(value.as_bytes())),
        ),
        Carrier::Query(name) => Ok(Secret::Query(name, value)),
        Carrier::Cookie(name) => {
            // Checked here: a control byte would make the whole `Cookie` header unsendable.
            if value.contains(';') || value.chars().any(char::is_control) {
                return Err(invalid());
            }
            Ok(Secret::Cookie(format!("{name}={value}")))
        }
    }
}

/// A header carrying a credential, marked sensitive; `None` for a name or value no header can
/// hold.
fn sensitive_header(name: &str, value: &str) -> Option<Secret> {
    let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(Secret::Header(name, value))
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

/// Settings for the calls made through one client value: `client.with_options(...)`. Its
/// `Debug` shows the names of extra headers, not their values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Limit for each try, replacing the client's timeout.
    pub timeout: Option<Duration>,
    /// Limit for the wait between two chunks of a body, replacing the client's.
    pub read_timeout: Option<Duration>,
    /// Limit for the whole call, every retry and wait included, replacing the client's.
    pub deadline: Option<Duration>,
    /// The most bytes of a body read into memory, replacing the client's limit.
    pub max_body_size: Option<u64>,
    /// Retries after the first try; `Some(0)` disables them.
    pub max_retries: Option<u32>,
    /// Sent as the `Idempotency-Key` header, the same on every retry; it also makes requests
    /// with non-idempotent methods (POST, PATCH) safe to retry.
    pub idempotency_key: Option<String>,
    /// More headers to send, each replacing the client's header of the same name (a
    /// credential's too). Values with CR or LF are refused before sending.
    pub headers: Vec<(String, String)>,
    /// With the `tracing` feature: also record request and response bodies (the first 4 KiB
    /// of each, as text) as `DEBUG` events. Off by default, since bodies carry personal data.
    pub trace_bodies: Option<bool>,
    /// Credentials for these calls, by the scheme's name in the spec, in place of the
    /// client's: see [`RequestOptions::credential`]. Never shown by `Debug`.
    pub credentials: Vec<(String, String)>,
}

impl RequestOptions {
    /// These options with `value` as the credential of the scheme named `scheme` in the spec
    /// (`"ApiKeyAuth"`), for a server that acts for many accounts with one client.
    pub fn credential(mut self, scheme: impl Into<String>, value: impl Into<String>) -> Self {
        self.credentials.push((scheme.into(), value.into()));
        self
    }

    /// These options, with every setting `other` makes taking its place.
    pub fn merged(&self, other: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            read_timeout: other.read_timeout.or(self.read_timeout),
            deadline: other.deadline.or(self.deadline),
            max_body_size: other.max_body_size.or(self.max_body_size),
            max_retries: other.max_retries.or(self.max_retries),
            idempotency_key: other
                .idempotency_key
                .or_else(|| self.idempotency_key.clone()),
            headers,
            trace_bodies: other.trace_bodies.or(self.trace_bodies),
            credentials: {
                let mut credentials = self.credentials.clone();
                credentials.extend(other.credentials);
                credentials
            },
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("deadline", &self.deadline)
            .field("max_body_size", &self.max_body_size)
            .field("max_retries", &self.max_retries)
            .field("idempotency_key", &self.idempotency_key)
            .field("header_names", &headers)
            .field("trace_bodies", &self.trace_bodies)
            .field(
                "credential_schemes",
                &self
                    .credentials
                    .iter()
                    .map(|(scheme, _)| scheme.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}
