//! Credentials that expire: a [`CredentialProvider`] gives one (and when it expires), the
//! client caches it, refreshes it before it expires and after the server refuses it with 401,
//! and concurrent calls wait for one refresh rather than each asking. OAuth 2's client
//! credentials and refresh-token grants are providers of this module ([`ClientCredentials`],
//! [`RefreshToken`]).
//!
//! The token requests are written here rather than with the `oauth2` crate: they are two form
//! posts (RFC 6749, 4.4 and 6) on the reqwest the runtime already has, while `oauth2` brings
//! its own HTTP abstraction, a second set of URL and JSON types, and the interactive flows a
//! client never runs itself; the typed answers of the token endpoint are a few lines.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::__private::SecurityScheme;
use crate::Error;
use crate::config::{Secret, secret};

/// A credential as a provider gives it: its value (a token, a key) and how long it lasts.
/// Never shown by `Debug`.
#[derive(Clone)]
pub struct Credential {
    value: String,
    expires_in: Option<Duration>,
}

impl Credential {
    /// A credential that does not expire (or whose expiry the provider does not know).
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            expires_in: None,
        }
    }

    /// A credential good for `lifetime` from now.
    pub fn expiring_in(value: impl Into<String>, lifetime: Duration) -> Self {
        Self {
            value: value.into(),
            expires_in: Some(lifetime),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("value", &"***")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// What a provider's `fetch` returns.
pub type CredentialFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credential, CredentialFailure>> + Send + 'a>>;

/// A source of credentials for one security scheme, asked when the client holds none, when
/// the one it holds is about to expire, and after the server refused it with 401.
///
/// An `async` closure returning `Result<Credential, CredentialFailure>` is one:
///
/// ```no_run
/// use specwright_runtime::{Credential, CredentialFailure};
///
/// // A small file read at once; tokio's `fs` reads without blocking, where the program has it.
/// let from_file = || async {
///     let token = std::fs::read_to_string("/run/secrets/api-token")
///         .map_err(|err| CredentialFailure::Provider(err.to_string()))?;
///     Ok(Credential::new(token.trim()))
/// };
/// # let _: &dyn specwright_runtime::CredentialProvider = &from_file;
/// ```
pub trait CredentialProvider: Send + Sync {
    /// A fresh credential.
    fn fetch(&self) -> CredentialFuture<'_>;
}

impl<F, Fut> CredentialProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Credential, CredentialFailure>> + Send + 'static,
{
    fn fetch(&self) -> CredentialFuture<'_> {
        Box::pin(self())
    }
}

/// Why a credential could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialFailure {
    /// The provider failed, as it says.
    Provider(String),
    /// The token endpoint refused, with an RFC 6749 error (5.2).
    TokenEndpoint {
        error: OAuthError,
        description: Option<String>,
    },
    /// The token endpoint could not be reached, or its answer not read.
    Transport(String),
    /// The credential has characters no request can carry.
    Invalid,
}

impl fmt::Display for CredentialFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Provider(why) => write!(f, "its provider failed: {why}"),
            Self::TokenEndpoint { error, description } => {
                write!(f, "the token endpoint refused: {error}")?;
                match description {
                    Some(description) => write!(f, " ({description})"),
                    None => Ok(()),
                }
            }
            Self::Transport(why) => write!(f, "the token endpoint could not be read: {why}"),
            Self::Invalid => f.write_str("it has characters no request can carry"),
        }
    }
}

/// The errors of an OAuth 2 token endpoint (RFC 6749, 5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthError {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    /// Another code, as the server wrote it.
    Other(String),
}

impl OAuthError {
    fn from_code(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::Other(code) => code,
        })
    }
}

/// A credential that could not be had, naming its scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialError {
    /// The security scheme's name in the spec.
    pub scheme: String,
    pub failure: CredentialFailure,
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no `{}` credential: {}", self.scheme, self.failure)
    }
}

impl std::error::Error for CredentialError {}

/// How long before its expiry a credential is renewed: a call that starts with it must not
/// arrive after it.
const RENEW_BEFORE: Duration = Duration::from_secs(30);

/// A provider's credential, cached. The lock is held while fetching, so that calls that need
/// it meanwhile wait for that one fetch.
pub(crate) struct Cached {
    provider: Arc<dyn CredentialProvider>,
    held: Mutex<Option<Fetched>>,
}

struct Fetched {
    secret: Secret,
    renew_at: Option<Instant>,
    /// Counts fetches, so that a call refused with one credential renews only that one.
    generation: u64,
}

impl Cached {
    pub(crate) fn new(provider: Arc<dyn CredentialProvider>) -> Self {
        Self {
            provider,
            held: Mutex::new(None),
        }
    }

    /// The credential to send and its generation; fetched when none is held, when the one
    /// held is due for renewal, or when it is the `refused` generation.
    pub(crate) async fn get(
        &self,
        scheme: &SecurityScheme,
        refused: Option<u64>,
    ) -> Result<(Secret, u64), CredentialError> {
        let mut held = self.held.lock().await;
        if let Some(current) = held.as_ref() {
            let due = current.renew_at.is_some_and(|at| Instant::now() >= at);
            if !due && refused != Some(current.generation) {
                return Ok((current.secret.clone(), current.generation));
            }
        }
        let fail = |failure| CredentialError {
            scheme: scheme.name.to_owned(),
            failure,
        };
        let credential = self.provider.fetch().await.map_err(fail)?;
        let secret =
            secret(scheme, credential.value).map_err(|_| fail(CredentialFailure::Invalid))?;
        let generation = held.as_ref().map_or(0, |current| current.generation + 1);
        let renew_at = credential.expires_in.map(|lifetime| {
            // A short-lived credential is renewed at half its life rather than never used.
            let early = RENEW_BEFORE.min(lifetime / 2);
            Instant::now() + lifetime.saturating_sub(early)
        });
        *held = Some(Fetched {
            secret: secret.clone(),
            renew_at,
            generation,
        });
        Ok((secret, generation))
    }
}

impl fmt::Debug for Cached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cached(***)")
    }
}

/// How an OAuth 2 client authenticates to the token endpoint (RFC 6749, 2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP basic authentication with the client id and secret, which every server must
    /// accept.
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// OAuth 2's client credentials grant (RFC 6749, 4.4): a token for the client itself, from
/// the spec's `tokenUrl`, renewed as it expires.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    scopes: Vec<String>,
    auth: ClientAuth,
    /// The client's own HTTP client, for the grants its builder sets up (its proxy and TLS
    /// settings apply); else one made for each token request.
    http: Option<reqwest::Client>,
}

impl ClientCredentials {
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            auth: ClientAuth::default(),
            http: None,
        }
    }

    /// The scopes asked for, space-separated in the request.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How the client authenticates; HTTP basic by default.
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// Token requests through `http`: the client's own, with redirects off.
    pub(crate) fn with_http(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl CredentialProvider for ClientCredentials {
    fn fetch(&self) -> CredentialFuture<'_> {
        Box::pin(async move {
            let mut form = vec![("grant_type", "client_credentials".to_owned())];
            if !self.scopes.is_empty() {
                form.push(("scope", self.scopes.join(" ")));
            }
            let client = Some((self.client_id.as_str(), self.client_secret.as_str()));
            let token =
                request_token(self.http.as_ref(), &self.token_url, form, client, self.auth).await?;
            Ok(token.credential())
        })
    }
}

/// OAuth 2's refresh-token grant (RFC 6749, 6): access tokens for a user who authorized the
/// client once (the authorization code or device flow, which stay the caller's), renewed
/// with the refresh token, which the server may replace with each answer.
pub struct RefreshToken {
    token_url: String,
    client_id: String,
    client_secret: Option<String>,
    refresh_token: std::sync::Mutex<String>,
    auth: ClientAuth,
    /// The client's own HTTP client, for the grants its builder sets up (its proxy and TLS
    /// settings apply); else one made for each token request.
    http: Option<reqwest::Client>,
}

impl RefreshToken {
    /// A public client has no secret.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret,
            refresh_token: std::sync::Mutex::new(refresh_token.into()),
            auth: ClientAuth::default(),
            http: None,
        }
    }

    /// How the client authenticates; HTTP basic by default (a public client sends its id in
    /// the body).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// The refresh token now held, which the server may have replaced; store it to resume
    /// later without the user.
    pub fn current_refresh_token(&self) -> String {
        self.refresh_token
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Token requests through `http`: the client's own, with redirects off.
    pub(crate) fn with_http(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("refresh_token", &"***")
            .finish()
    }
}

impl CredentialProvider for RefreshToken {
    fn fetch(&self) -> CredentialFuture<'_> {
        Box::pin(async move {
            let form = vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", self.current_refresh_token()),
            ];
            let (client, auth) = match &self.client_secret {
                Some(secret) => (Some((self.client_id.as_str(), secret.as_str())), self.auth),
                None => (None, ClientAuth::Body),
            };
            let mut form = form;
            if client.is_none() {
                form.push(("client_id", self.client_id.clone()));
            }
            let token =
                request_token(self.http.as_ref(), &self.token_url, form, client, auth).await?;
            if let Some(rotated) = &token.refresh_token {
                *self
                    .refresh_token
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = rotated.clone();
            }
            Ok(token.credential())
        })
    }
}

/// The HTTP client of token requests made by a provider built on its own: no redirects (a
/// token request answered by a redirect must not carry the client's secret elsewhere),
/// bounded in time, with the runtime's TLS.
fn token_client() -> Result<reqwest::Client, CredentialFailure> {
    let tls = crate::tls::default_config()
        .map_err(|err| CredentialFailure::Transport(format!("cannot set up TLS: {err}")))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|err| CredentialFailure::Transport(err.without_url().to_string()))
}

/// A token endpoint's successful answer (RFC 6749, 5.1).
#[derive(serde::Deserialize)]
struct Token {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

impl Token {
    fn credential(&self) -> Credential {
        match self.expires_in {
            Some(seconds) => {
                Credential::expiring_in(self.access_token.clone(), Duration::from_secs(seconds))
            }
            None => Credential::new(self.access_token.clone()),
        }
    }
}

#[derive(serde::Deserialize)]
struct TokenRefusal {
    error: String,
    error_description: Option<String>,
}

/// The most bytes of a token endpoint's answer read: a token is a few KiB.
const TOKEN_BODY_LIMIT: u64 = 64 * 1024;

async fn request_token(
    http: Option<&reqwest::Client>,
    token_url: &str,
    mut form: Vec<(&'static str, String)>,
    client: Option<(&str, &str)>,
    auth: ClientAuth,
) -> Result<Token, CredentialFailure> {
    let transport =
        |err: reqwest::Error| CredentialFailure::Transport(err.without_url().to_string());
    let own;
    let http = match http {
        Some(http) => http,
        None => {
            own = token_client()?;
            &own
        }
    };
    let mut request = http
        .post(token_url)
        .header(reqwest::header::ACCEPT, "application/json");
    if let Some((id, secret)) = client {
        match auth {
            ClientAuth::Basic => {
                // RFC 6749, 2.3.1: each form-encoded before they are joined.
                let encode = |text: &str| {
                    form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
                };
                request = request.basic_auth(encode(id), Some(encode(secret)));
            }
            ClientAuth::Body => {
                form.push(("client_id", id.to_owned()));
                form.push(("client_secret", secret.to_owned()));
            }
        }
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&form)
        .finish();
    let response = request
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    let body = crate::transport::read_body(response, TOKEN_BODY_LIMIT, None)
        .await
        .map_err(|err| CredentialFailure::Transport(err.to_string()))?;
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|err| {
            CredentialFailure::Transport(format!("its answer is not a token: {err}"))
        });
    }
    match serde_json::from_slice::<TokenRefusal>(&body) {
        Ok(refusal) => Err(CredentialFailure::TokenEndpoint {
            error: OAuthError::from_code(&refusal.error),
            description: refusal.error_description,
        }),
        Err(_) => Err(CredentialFailure::Transport(format!(
            "it answered {status}"
        ))),
    }
}

impl<E> From<CredentialError> for Error<E> {
    fn from(err: CredentialError) -> Self {
        Error::Credential(Box::new(err))
    }
}
