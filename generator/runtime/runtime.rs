//! Support code shared by every generated client: the HTTP plumbing, errors, lenient date-times
//! and the checks run before a request is sent. Emitted verbatim into each client so that a
//! generated crate needs no support crate of ours.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use reqwest::Method;
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
pub use serde_json::Value;
pub use uuid::Uuid;

use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON object with arbitrary keys, in a stable order.
pub type Map<T> = BTreeMap<String, T>;

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
enum Secret {
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
    base_url: String,
    schemes: &'static [SecurityScheme],
    credentials: Vec<Option<String>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    max_retries: u32,
    hooks: Hooks,
}

/// Code run on every request before it is sent and on every response as it arrives, for
/// tracing, custom headers or refreshing credentials, without changing generated code.
#[derive(Clone, Default)]
pub struct Hooks {
    on_request: Vec<RequestHook>,
    on_response: Vec<ResponseHook>,
    sleep: Option<Sleep>,
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
            return Err(BuildError(format!("`{}` cannot be a base URL", self.base_url)));
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
        Carrier::Basic => header("authorization", format!("Basic {}", base64(value.as_bytes()))),
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
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
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
}

impl RequestOptions {
    /// These options, with every setting `other` makes taking its place.
    pub fn merged(&self, other: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            max_retries: other.max_retries.or(self.max_retries),
            idempotency_key: other.idempotency_key.or_else(|| self.idempotency_key.clone()),
            headers,
        }
    }
}

/// The HTTP side of a generated `Client`.
#[derive(Clone, Debug)]
pub struct HttpClient {
    http: reqwest::Client,
    base_url: reqwest::Url,
    schemes: &'static [SecurityScheme],
    credentials: Vec<Option<Secret>>,
    hooks: Hooks,
    options: RequestOptions,
}

impl HttpClient {
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// A copy of this client whose calls use `options` on top of the current ones.
    pub fn with_options(&self, options: RequestOptions) -> Self {
        Self {
            options: self.options.merged(options),
            ..self.clone()
        }
    }

    /// Sends `request` with the first set of credentials in `security` that the client holds
    /// in full, retrying as [`should_retry`] says, and reads the whole response.
    pub async fn send<E>(
        &self,
        request: Request,
        security: &[&[usize]],
    ) -> Result<Received, Error<E>> {
        let credentials = self.credentials_for(security)?;
        let extra = self.extra_headers()?;
        let url = self.url(&request);
        let retryable = request.idempotent
            || self.options.idempotency_key.is_some()
            || is_idempotent(&request.method);
        let max_retries = if retryable {
            self.options.max_retries.unwrap_or(2)
        } else {
            0
        };
        let mut attempt = 0;
        loop {
            let mut http_request = self.http_request(&request, &url, &credentials, &extra);
            for hook in &self.hooks.on_request {
                hook(&mut http_request);
            }
            let response = match self.http.execute(http_request).await {
                Ok(response) => response,
                Err(err) if err.is_connect() && attempt < max_retries => {
                    self.wait(backoff(attempt)).await;
                    attempt += 1;
                    continue;
                }
                Err(err) => return Err(Error::from_reqwest(err)),
            };
            let status = response.status();
            let retry_in = (attempt < max_retries)
                .then(|| should_retry(status, response.headers(), attempt))
                .flatten();
            for hook in &self.hooks.on_response {
                hook(&ResponseInfo {
                    method: &request.method,
                    url: &url,
                    status,
                    headers: response.headers(),
                    attempt,
                    retry_in,
                });
            }
            if let Some(delay) = retry_in {
                self.wait(delay).await;
                attempt += 1;
                continue;
            }
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(Error::from_reqwest)?.to_vec();
            return Ok(Received {
                status,
                headers,
                body,
            });
        }
    }

    async fn wait(&self, delay: Duration) {
        match &self.hooks.sleep {
            Some(sleep) => sleep(delay).await,
            None => tokio::time::sleep(delay).await,
        }
    }

    fn url(&self, request: &Request) -> reqwest::Url {
        let mut url = self.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    fn extra_headers<E>(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error<E>> {
        let mut headers = Vec::new();
        let key = self.options.idempotency_key.iter().map(|key| ("idempotency-key", key.as_str()));
        let extra = self.options.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        for (name, value) in key.chain(extra) {
            let invalid = || ValidationError {
                path: name.to_owned(),
                message: "is not a valid HTTP header (names are tokens; values hold no CR or LF)"
                    .to_owned(),
            };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let header_value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.push((header_name, header_value));
        }
        Ok(headers)
    }

    /// One try's request, built afresh so that every retry sends the same bytes.
    fn http_request(
        &self,
        request: &Request,
        url: &reqwest::Url,
        credentials: &[Secret],
        extra: &[(HeaderName, HeaderValue)],
    ) -> reqwest::Request {
        let mut url = url.clone();
        let mut cookies: Vec<&str> = request.cookies.iter().map(String::as_str).collect();
        let mut secret_headers = Vec::new();
        for secret in credentials {
            match secret {
                Secret::Header(name, value) => secret_headers.push((name.clone(), value.clone())),
                Secret::Query(name, value) => {
                    url.query_pairs_mut().append_pair(name, value);
                }
                Secret::Cookie(cookie) => cookies.push(cookie.as_str()),
            }
        }
        let mut http_request = reqwest::Request::new(request.method.clone(), url);
        let headers = http_request.headers_mut();
        for (name, value) in request.headers.iter().chain(&secret_headers).chain(extra) {
            headers.append(name.clone(), value.clone());
        }
        if let Ok(mut cookie) = HeaderValue::from_str(&cookies.join("; ")) {
            if !cookies.is_empty() {
                cookie.set_sensitive(true);
                headers.insert(reqwest::header::COOKIE, cookie);
            }
        }
        if let Some((media_type, body)) = &request.body {
            headers.insert(reqwest::header::CONTENT_TYPE, media_type.clone());
            *http_request.body_mut() = Some(body.clone().into());
        }
        if let Some(timeout) = self.options.timeout {
            *http_request.timeout_mut() = Some(timeout);
        }
        http_request
    }

    fn credentials_for<E>(&self, security: &[&[usize]]) -> Result<Vec<Secret>, Error<E>> {
        if security.is_empty() {
            return Ok(Vec::new());
        }
        for alternative in security {
            let held: Option<Vec<Secret>> = alternative
                .iter()
                .map(|&index| self.credentials.get(index)?.clone())
                .collect();
            if let Some(held) = held {
                return Ok(held);
            }
        }
        let wanted: Vec<&str> = security
            .first()
            .map(|first| {
                first
                    .iter()
                    .filter_map(|&index| self.schemes.get(index).map(|scheme| scheme.name))
                    .collect()
            })
            .unwrap_or_default();
        Err(Error::MissingCredential(wanted.join(" + ")))
    }
}

/// One request being assembled by a generated method.
#[derive(Debug)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    body: Option<(HeaderValue, Vec<u8>)>,
    idempotent: bool,
}

/// How a query parameter's lists and objects are written (OpenAPI's `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `ids=1&ids=2`, and an object's properties as parameters of their own.
    FormExploded,
    /// `ids=1,2`, and an object as `key,value,key,value`.
    Form,
    /// `ids=1%202`.
    SpaceDelimited,
    /// `ids=1|2`.
    PipeDelimited,
    /// `filter[key]=value`.
    DeepObject,
}

impl Request {
    pub fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            idempotent: false,
        }
    }

    /// Marks a request that carries its own idempotency key (in its body, say), which makes it
    /// safe to retry whatever its method.
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent |= idempotent;
    }

    /// Adds a query parameter in `style`; `None` adds nothing.
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Result<(), ValidationError> {
        let value = serde_json::to_value(value).map_err(|err| ValidationError {
            path: name.to_owned(),
            message: format!("cannot be encoded: {err}"),
        })?;
        let joined = |items: Vec<Value>, separator: &str| {
            items.into_iter().map(scalar_text).collect::<Vec<_>>().join(separator)
        };
        match (value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), QueryStyle::FormExploded) => {
                for item in items {
                    self.query.push((name.to_owned(), scalar_text(item)));
                }
            }
            (Value::Array(items), QueryStyle::Form) => self.query.push((name.to_owned(), joined(items, ","))),
            (Value::Array(items), QueryStyle::SpaceDelimited) => self.query.push((name.to_owned(), joined(items, " "))),
            (Value::Array(items), QueryStyle::PipeDelimited) => self.query.push((name.to_owned(), joined(items, "|"))),
            (Value::Object(fields), QueryStyle::FormExploded) => {
                for (key, field) in fields {
                    self.query.push((key, scalar_text(field)));
                }
            }
            (Value::Object(fields), QueryStyle::DeepObject) => {
                for (key, field) in fields {
                    self.query.push((format!("{name}[{key}]"), scalar_text(field)));
                }
            }
            (Value::Object(fields), _) => {
                let flat: Vec<String> = fields.into_iter().flat_map(|(k, v)| [k, scalar_text(v)]).collect();
                self.query.push((name.to_owned(), flat.join(",")));
            }
            (other, _) => self.query.push((name.to_owned(), scalar_text(other))),
        }
        Ok(())
    }

    /// Adds a cookie; values that would break the `Cookie` header are refused.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), ValidationError> {
        for text in param_strings(name, value)? {
            if text.contains([';', ',', '\r', '\n']) {
                return Err(ValidationError {
                    path: name.to_owned(),
                    message: "contains characters a cookie cannot carry (`;`, `,`, CR or LF)".to_owned(),
                });
            }
            self.cookies.push(format!("{name}={text}"));
        }
        Ok(())
    }

    /// Adds a header; a value with CR, LF or other bytes a header cannot carry is refused here,
    /// before anything is sent.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), ValidationError> {
        let texts = param_strings(name, value)?;
        if texts.is_empty() {
            return Ok(());
        }
        let header = HeaderValue::from_str(&texts.join(",")).map_err(|_| ValidationError {
            path: name.to_owned(),
            message: "contains characters not allowed in an HTTP header (such as CR or LF)".to_owned(),
        })?;
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| ValidationError {
            path: name.to_owned(),
            message: "is not a valid HTTP header name".to_owned(),
        })?;
        self.headers.push((name, header));
        Ok(())
    }

    /// Sets a `multipart/form-data` body from an object's fields, files as file parts.
    pub fn multipart<T: MultipartBody + ?Sized>(&mut self, body: &T) -> Result<(), ValidationError> {
        let mut form = Multipart::default();
        body.write_parts(&mut form)?;
        let (media_type, bytes) = form.finish();
        let media_type = HeaderValue::from_str(&media_type).map_err(|_| ValidationError {
            path: "body".to_owned(),
            message: format!("has an invalid media type `{media_type}`"),
        })?;
        self.body = Some((media_type, bytes));
        Ok(())
    }

    /// Sets a body already in its wire form (text or bytes), sent with `media_type`.
    pub fn raw(&mut self, media_type: &'static str, body: Vec<u8>) -> Result<(), ValidationError> {
        let media_type = HeaderValue::from_str(media_type).map_err(|_| ValidationError {
            path: "body".to_owned(),
            message: format!("has an invalid media type `{media_type}`"),
        })?;
        self.body = Some((media_type, body));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object's fields: scalars as
    /// text, lists as repeated keys, absent fields left out.
    pub fn form<T: Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
    ) -> Result<(), ValidationError> {
        let invalid = |message: String| ValidationError {
            path: "body".to_owned(),
            message,
        };
        let fields = match serde_json::to_value(body) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err(invalid("must be an object to be sent as a form".to_owned())),
            Err(err) => return Err(invalid(format!("cannot be encoded: {err}"))),
        };
        let mut form = reqwest::Url::parse("form:").map_err(|err| invalid(err.to_string()))?;
        {
            let mut pairs = form.query_pairs_mut();
            for (name, value) in fields {
                let values = match value {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items.into_iter().map(scalar_text).collect(),
                    other => vec![scalar_text(other)],
                };
                for value in values {
                    pairs.append_pair(&name, &value);
                }
            }
        }
        self.raw(media_type, form.query().unwrap_or_default().as_bytes().to_vec())
    }

    /// Sets a JSON body, sent with `media_type` (`application/json` or a `+json` type).
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
    ) -> Result<(), ValidationError> {
        let invalid = |message: String| ValidationError {
            path: "body".to_owned(),
            message,
        };
        let media_type = HeaderValue::from_str(media_type)
            .map_err(|_| invalid(format!("has an invalid media type `{media_type}`")))?;
        let bytes = serde_json::to_vec(body)
            .map_err(|err| invalid(format!("cannot be encoded as JSON: {err}")))?;
        self.body = Some((media_type, bytes));
        Ok(())
    }
}

/// The text of a parameter value: strings as they are, other scalars as JSON, one entry per
/// item of a list, nothing for `None`.
fn param_strings<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, ValidationError> {
    let value = serde_json::to_value(value).map_err(|err| ValidationError {
        path: name.to_owned(),
        message: format!("cannot be encoded: {err}"),
    })?;
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.into_iter().map(scalar_text).collect(),
        other => vec![scalar_text(other)],
    })
}

fn scalar_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

/// Percent-encodes a path parameter so that no value can leave its path segment.
/// Empty, `.` and `..` are refused: URL parsers fold them into the surrounding path.
pub fn path_segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, ValidationError> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let text = param_strings(name, value)?.join(",");
    if text.is_empty() || text == "." || text == ".." {
        return Err(ValidationError {
            path: name.to_owned(),
            message: format!("`{text}` cannot be sent as a path segment"),
        });
    }
    Ok(percent_encoding::utf8_percent_encode(&text, SEGMENT).to_string())
}

/// The items of a cursor-paginated list as a stream: `fetch` gets one page's items and next
/// cursor, which `set_cursor` puts into the parameters for the following page. The list ends
/// at a page without a cursor (or with an empty one, or the same one again), or at an error.
pub fn paginate<'a, P, T, E, F, Fut>(
    params: P,
    fetch: F,
    set_cursor: fn(&mut P, String),
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    P: Clone + 'a,
    T: 'a,
    E: 'a,
    F: Fn(P) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>> + 'a,
{
    struct Pages<P, T, F> {
        params: P,
        buffered: std::vec::IntoIter<T>,
        last_cursor: Option<String>,
        finished: bool,
        fetch: F,
    }
    let start = Pages {
        params,
        buffered: Vec::new().into_iter(),
        last_cursor: None,
        finished: false,
        fetch,
    };
    futures_util::stream::unfold(start, move |mut pages| async move {
        loop {
            if let Some(item) = pages.buffered.next() {
                return Some((Ok(item), pages));
            }
            if pages.finished {
                return None;
            }
            match (pages.fetch)(pages.params.clone()).await {
                Err(err) => {
                    pages.finished = true;
                    return Some((Err(err), pages));
                }
                Ok((items, next)) => {
                    pages.buffered = items.into_iter();
                    match next.filter(|cursor| !cursor.is_empty()) {
                        Some(cursor) if pages.last_cursor.as_ref() != Some(&cursor) => {
                            set_cursor(&mut pages.params, cursor.clone());
                            pages.last_cursor = Some(cursor);
                        }
                        _ => pages.finished = true,
                    }
                }
            }
        }
    })
}

/// Methods that may be repeated without changing the outcome (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// How long to wait before retrying a response, or `None` when it is final: 408, 429 and
/// 5xx are retried, after `Retry-After` (seconds or an HTTP date, at most a minute) when the
/// server sends it, else after an exponential backoff with jitter.
pub fn should_retry(status: StatusCode, headers: &HeaderMap, attempt: u32) -> Option<Duration> {
    let retryable = status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error();
    if !retryable {
        return None;
    }
    match retry_after(headers, SystemTime::now()) {
        Some(delay) if delay <= Duration::from_secs(60) => Some(delay),
        Some(_) => None,
        None => Some(backoff(attempt)),
    }
}

/// The wait a `Retry-After` header asks for, as seconds or as an HTTP date after `now`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = http_date(value)?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<u64> {
    let mut parts = text.split_whitespace().skip(1);
    let day: u8 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i32 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month)? as u8 + 1;
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    u64::try_from(seconds).ok()
}

/// 0.5 s doubled per retry, at most 8 s, less up to a quarter at random so that clients that
/// failed together do not all retry together.
fn backoff(attempt: u32) -> Duration {
    let base = (0.5 * 2f64.powi(attempt.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter()))
}

/// A number in [0, 1) that differs from call to call; no cryptographic quality needed.
fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ nanos;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// A successful call's value, with the response's status and headers.
///
/// It dereferences to the value, so fields read as they would on the value itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T> Response<T> {
    pub fn into_body(self) -> T {
        self.body
    }

    /// The server's request id (`x-request-id` or `request-id`), for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// A whole response, read into memory, before it is decoded.
#[derive(Clone, Debug)]
pub struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Received {
    /// The decoded value with this response's status and headers.
    pub fn typed<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the body; a failure keeps the raw body and the path to the field that failed.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let decode_error = |path: String, message: String| {
            Error::Decode(Box::new(DecodeError {
                status: self.status,
                path,
                message,
                body: self.body.clone(),
            }))
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|err| decode_error(err.path().to_string(), err.inner().to_string()))?;
        deserializer
            .end()
            .map_err(|err| decode_error(String::new(), err.to_string()))?;
        Ok(value)
    }

    /// The body as text; a body that is not UTF-8 is a decode error.
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.clone()).map_err(|err| {
            Error::Decode(Box::new(DecodeError {
                status: self.status,
                path: String::new(),
                message: format!("the body is not UTF-8 text: {err}"),
                body: self.body.clone(),
            }))
        })
    }

    /// The body's bytes, as received.
    pub fn bytes(&self) -> Vec<u8> {
        self.body.clone()
    }

    /// A documented success with a JSON body: decoded, then `wrap`ped as the method returns it.
    pub fn ok_json<B: DeserializeOwned, T, E>(self, wrap: impl FnOnce(B) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.json()?;
        Ok(self.typed(wrap(body)))
    }

    /// A documented success with a text body.
    pub fn ok_text<T, E>(self, wrap: impl FnOnce(String) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.text()?;
        Ok(self.typed(wrap(body)))
    }

    /// A documented success with a binary body, handed over as received.
    pub fn ok_bytes<T, E>(mut self, wrap: impl FnOnce(Vec<u8>) -> T) -> Result<Response<T>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.typed(wrap(body)))
    }

    /// A documented error status with a JSON body: decoded, then `wrap`ped into the operation's
    /// error enum.
    pub fn err_json<B: DeserializeOwned, T, E>(self, wrap: impl FnOnce(B) -> E) -> Result<T, Error<E>> {
        let body = self.json()?;
        Err(self.api_error(wrap(body)))
    }

    /// A documented error status with a text body.
    pub fn err_text<T, E>(self, wrap: impl FnOnce(String) -> E) -> Result<T, Error<E>> {
        let body = self.text()?;
        Err(self.api_error(wrap(body)))
    }

    /// A documented error status with a binary body.
    pub fn err_bytes<T, E>(mut self, wrap: impl FnOnce(Vec<u8>) -> E) -> Result<T, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Err(self.api_error(wrap(body)))
    }

    /// A documented response header that is missing or does not parse, as a decode error.
    pub fn header_error<E>(&self, err: HeaderError) -> Error<E> {
        Error::Decode(Box::new(DecodeError {
            status: self.status,
            path: format!("headers.{}", err.name),
            message: err.message,
            body: self.body.clone(),
        }))
    }

    /// A documented error status, with its decoded body.
    pub fn api_error<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
        }))
    }

    /// A status the spec does not document for this operation.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(RawResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
        }))
    }
}

/// Everything that can go wrong with a call. `E` is the operation's enum of documented error
/// responses.
#[derive(Debug)]
pub enum Error<E> {
    /// The request broke a constraint of the spec; nothing was sent.
    Validation(ValidationError),
    /// The operation needs a credential the client was not given; nothing was sent.
    MissingCredential(String),
    /// The server answered with a status the spec documents as an error.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document.
    UnexpectedStatus(Box<RawResponse>),
    /// The response body did not match the documented schema.
    Decode(Box<DecodeError>),
    /// No complete response arrived within the configured timeout.
    Timeout(reqwest::Error),
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The URL is dropped from the error: it may carry an API key in its query.
    fn from_reqwest(err: reqwest::Error) -> Self {
        let err = err.without_url();
        if err.is_timeout() {
            Self::Timeout(err)
        } else {
            Self::Transport(err)
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(err) => Some(err.status),
            Self::UnexpectedStatus(raw) => Some(raw.status),
            Self::Decode(err) => Some(err.status),
            Self::Timeout(err) | Self::Transport(err) => err.status(),
            Self::Validation(_) | Self::MissingCredential(_) => None,
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
            Self::Api(err) => write!(f, "the server answered {}: {:?}", err.status, err.body),
            Self::UnexpectedStatus(raw) => write!(
                f,
                "the server answered {}, which the API does not document",
                raw.status
            ),
            Self::Decode(err) => write!(f, "{err}"),
            Self::Timeout(err) => write!(f, "timed out: {err}"),
            Self::Transport(err) => write!(f, "transport error: {err}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Timeout(err) | Self::Transport(err) => Some(err),
            Self::Validation(err) => Some(err),
            Self::Decode(err) => Some(err.as_ref()),
            _ => None,
        }
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
    pub body: Vec<u8>,
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
                Some((cut, _)) => write!(f, "{:?}... ({} bytes in all)", &text[..cut], self.0.len()),
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

/// A documented response header that is missing or does not parse as its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    pub name: &'static str,
    pub message: String,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response header `{}`: {}", self.name, self.message)
    }
}

impl std::error::Error for HeaderError {}

/// A response header as `T`, `None` when absent. The text is read as a string first (strings,
/// enums, uuids, dates), then as JSON (numbers, booleans); repeated headers are joined by `, `.
pub fn optional_header<T: DeserializeOwned>(headers: &HeaderMap, name: &'static str) -> Result<Option<T>, HeaderError> {
    let mut texts = Vec::new();
    for value in headers.get_all(name) {
        texts.push(value.to_str().map_err(|_| HeaderError {
            name,
            message: "is not visible ASCII text".to_owned(),
        })?);
    }
    if texts.is_empty() {
        return Ok(None);
    }
    let text = texts.join(", ");
    let as_string = serde_json::from_value(Value::String(text.clone()));
    match as_string {
        Ok(value) => Ok(Some(value)),
        Err(err) => serde_json::from_str(&text).map(Some).map_err(|_| HeaderError {
            name,
            message: format!("`{text}` does not parse: {err}"),
        }),
    }
}

/// A response header the spec says is always sent.
pub fn required_header<T: DeserializeOwned>(headers: &HeaderMap, name: &'static str) -> Result<T, HeaderError> {
    optional_header(headers, name)?.ok_or_else(|| HeaderError {
        name,
        message: "is missing".to_owned(),
    })
}

/// A response body that did not decode.
#[derive(Clone)]
pub struct DecodeError {
    pub status: StatusCode,
    /// Path to the field that failed, such as `data[0].created_at`.
    pub path: String,
    pub message: String,
    pub body: Vec<u8>,
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

/// A request value that breaks a constraint of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the value sits, such as `body.reason`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Joins a field onto a validation path.
pub fn join(path: &str, field: &str) -> String {
    format!("{path}.{field}")
}

/// A type whose values are checked against the spec's constraints before sending.
pub trait Validate {
    fn validate(&self, path: &str) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(path))
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .enumerate()
            .try_for_each(|(index, item)| item.validate(&format!("{path}[{index}]")))
    }
}

impl<T: Validate> Validate for Map<T> {
    fn validate(&self, path: &str) -> Result<(), ValidationError> {
        self.iter()
            .try_for_each(|(key, item)| item.validate(&join(path, key)))
    }
}

/// The JSON Schema validation keywords of one value.
#[derive(Clone, Copy, Debug)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Constraints {
    pub const NONE: Self = Self {
        min_length: None,
        max_length: None,
        minimum: None,
        exclusive_minimum: false,
        maximum: None,
        exclusive_maximum: false,
        min_items: None,
        max_items: None,
    };
}

/// A value that [`Constraints`] apply to.
pub trait Constrained {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError>;
}

fn invalid(path: &str, message: String) -> Result<(), ValidationError> {
    Err(ValidationError {
        path: path.to_owned(),
        message,
    })
}

impl<T: Constrained + ?Sized> Constrained for &T {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        (**self).check(constraints, path)
    }
}

impl Constrained for String {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_str().check(constraints, path)
    }
}

impl Constrained for Uuid {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.to_string().check(constraints, path)
    }
}

impl Constrained for str {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let length = self.chars().count();
        if let Some(max) = constraints.max_length.filter(|max| length > *max) {
            return invalid(path, format!("must be at most {max} characters long (it is {length})"));
        }
        if let Some(min) = constraints.min_length.filter(|min| length < *min) {
            return invalid(path, format!("must be at least {min} characters long (it is {length})"));
        }
        Ok(())
    }
}

macro_rules! constrained_number {
    ($($number:ty),*) => {$(
        impl Constrained for $number {
            fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
                check_number(*self as f64, constraints, path)
            }
        }
    )*};
}

constrained_number!(i32, i64, f32, f64);

fn check_number(value: f64, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
    if let Some(min) = constraints.minimum {
        if value < min || (constraints.exclusive_minimum && value == min) {
            let relation = if constraints.exclusive_minimum { "greater than" } else { "at least" };
            return invalid(path, format!("must be {relation} {min} (it is {value})"));
        }
    }
    if let Some(max) = constraints.maximum {
        if value > max || (constraints.exclusive_maximum && value == max) {
            let relation = if constraints.exclusive_maximum { "less than" } else { "at most" };
            return invalid(path, format!("must be {relation} {max} (it is {value})"));
        }
    }
    Ok(())
}

impl<T> Constrained for Vec<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_slice().check(constraints, path)
    }
}

impl<T> Constrained for [T] {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        let count = self.len();
        if let Some(max) = constraints.max_items.filter(|max| count > *max) {
            return invalid(path, format!("must have at most {max} items (it has {count})"));
        }
        if let Some(min) = constraints.min_items.filter(|min| count < *min) {
            return invalid(path, format!("must have at least {min} items (it has {count})"));
        }
        Ok(())
    }
}

impl<T: Constrained> Constrained for Option<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        self.as_ref()
            .map_or(Ok(()), |value| value.check(constraints, path))
    }
}

/// Writes a union's variant whose type leaves the tag to the union: the tag property first,
/// then the variant's own fields.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{Error as _, SerializeMap as _};
    let Value::Object(fields) = serde_json::to_value(value).map_err(S::Error::custom)? else {
        return Err(S::Error::custom("a tagged variant must be written as an object"));
    };
    let own = || fields.iter().filter(|(key, _)| key.as_str() != property);
    let mut map = serializer.serialize_map(Some(own().count() + 1))?;
    map.serialize_entry(property, tag)?;
    for (key, field) in own() {
        map.serialize_entry(key, field)?;
    }
    map.end()
}

/// The object without the tag property, for a variant whose type leaves the tag to its union.
pub fn without_property(mut value: Value, property: &str) -> Value {
    if let Some(fields) = value.as_object_mut() {
        // The other keys keep their order (`remove` would swap the last one into its place).
        fields.shift_remove(property);
    }
    value
}

/// Decodes a union without a tag. serde's `untagged` takes the first variant that decodes, and
/// a struct whose fields are all optional decodes from any object. Here, for an object, the
/// variants whose declared properties leave the fewest of its keys undeclared (then: match
/// the most) are tried first, and those that take any keys (a map, a free-form value: `None`
/// in `declared`) last, since a struct keeps what it does not declare but a map forgets what
/// the struct would have typed; otherwise, and among equals, the variants' own order,
/// strictest first.
pub fn decode_untagged<T, E: serde::de::Error>(
    value: &Value,
    declared: &[Option<&[&str]>],
    decode: impl Fn(usize, &Value) -> Result<T, serde_json::Error>,
    type_name: &str,
) -> Result<T, E> {
    let mut order: Vec<usize> = (0..declared.len()).collect();
    if let Value::Object(fields) = value {
        let rank = |index: usize| match declared.get(index).copied().flatten() {
            None => (usize::MAX, 0),
            Some(names) => {
                let matched = fields.keys().filter(|key| names.contains(&key.as_str())).count();
                (fields.len() - matched, usize::MAX - matched)
            }
        };
        order.sort_by_key(|index| (rank(*index), *index));
    }
    let mut first_error = None;
    for index in order {
        match decode(index, value) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    let reason = first_error.map_or_else(String::new, |err| format!(": {err}"));
    Err(E::custom(format!("the value matches no variant of `{type_name}`{reason}")))
}

/// The properties of an object that its schema does not declare, in the order received.
///
/// Kept so that a value read from the server and sent back (a read-modify-write) does not
/// erase what this client does not know about; they are written after the declared fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnknownFields(Vec<(String, Value)>);

impl UnknownFields {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// Sets a property, in place if it is already there; returns the value it replaced.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.0.iter_mut().find(|(name, _)| *name == key) {
            Some((_, old)) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(name, _)| name == key)?;
        Some(self.0.remove(index).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = UnknownFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UnknownFields, A::Error> {
                let mut fields = UnknownFields(Vec::with_capacity(map.size_hint().unwrap_or(0)));
                // Pushed, not inserted: a search per key would make a large object quadratic.
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    fields.0.push(entry);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_map(Fields)
    }
}

/// Serde helper for fields that are optional and nullable in a request: `None` leaves the
/// field out, `Some(None)` sends an explicit `null`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// A date-time as the server sent it: RFC 3339, or without a UTC offset
/// (`2023-01-01T12:34:56`), as some servers write them.
///
/// The text received is kept and sent back unchanged; the parsed parts are available through
/// the accessors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: String,
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    offset_seconds: Option<i32>,
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

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
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
    text: String,
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let fail = || DateTimeError(format!("`{text}` is not a date (expected YYYY-MM-DD)"));
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(fail());
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
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

/// Bytes that travel in JSON as base64 (`format: byte`). Standard base64 is written; standard
/// and URL-safe alphabets, padded or not, are read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl std::ops::Deref for Base64 {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::decode(&text).map_err(serde::de::Error::custom)
    }
}

impl Base64 {
    fn decode(text: &str) -> Result<Self, String> {
        use base64::Engine as _;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        use base64::engine::DecodePaddingMode;
        const LENIENT: GeneralPurposeConfig =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
        const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        let decoded = if trimmed.contains(['-', '_']) {
            URL_SAFE.decode(trimmed)
        } else {
            STANDARD.decode(trimmed)
        };
        decoded.map(Self).map_err(|err| format!("`{text}` is not base64: {err}"))
    }
}

/// A string in a `format` the client parses (date-time, date, uuid, byte) as the server sent it.
///
/// JSON Schema treats `format` as an annotation, and real servers send values that break it (a
/// `format: byte` field that is not base64, a date like `0000-00-00`). Such a value still
/// decodes, so that one odd field does not cost the rest of the response: its text is kept and
/// sent back as it was, and the problem is reported when the value is read ([`Lenient::get`]).
/// A value the caller builds (`Lenient::from(value)`) is always in its format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lenient<T> {
    value: Result<T, FormatError>,
    /// The text received, when writing the parsed value would not give it back exactly (an
    /// upper-case uuid, base64 without padding).
    received: Option<String>,
}

/// A text that breaks its `format`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FormatError {
    /// The text as received.
    pub text: String,
    pub message: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}

/// A type read from the text of a `format`.
pub trait Format: Sized {
    fn parse_format(text: &str) -> Result<Self, String>;

    /// Whether writing the value gives exactly `text`.
    fn writes_as(&self, text: &str) -> bool;
}

impl Format for DateTime {
    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse(text).map_err(|err| err.to_string())
    }

    fn writes_as(&self, text: &str) -> bool {
        self.text == text
    }
}

impl Format for Date {
    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse(text).map_err(|err| err.to_string())
    }

    fn writes_as(&self, text: &str) -> bool {
        self.text == text
    }
}

impl Format for Uuid {
    fn parse_format(text: &str) -> Result<Self, String> {
        Self::parse_str(text).map_err(|err| format!("`{text}` is not a uuid: {err}"))
    }

    fn writes_as(&self, text: &str) -> bool {
        let mut buffer = Uuid::encode_buffer();
        self.hyphenated().encode_lower(&mut buffer) == text
    }
}

impl Format for Base64 {
    fn parse_format(text: &str) -> Result<Self, String> {
        Self::decode(text)
    }

    fn writes_as(&self, text: &str) -> bool {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&self.0) == text
    }
}

impl<T> Lenient<T> {
    /// The value, or why the text the server sent breaks its format.
    pub fn get(&self) -> Result<&T, &FormatError> {
        self.value.as_ref()
    }

    pub fn into_inner(self) -> Result<T, FormatError> {
        self.value
    }

    pub fn is_valid(&self) -> bool {
        self.value.is_ok()
    }
}

/// The text as it travels on the wire.
impl<T: fmt::Display> fmt::Display for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.received, &self.value) {
            (Some(text), _) => f.write_str(text),
            (None, Ok(value)) => value.fmt(f),
            (None, Err(err)) => f.write_str(&err.text),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Self { value: Ok(value), received: None }
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.received, &self.value) {
            (Some(text), _) => serializer.serialize_str(text),
            (None, Ok(value)) => value.serialize(serializer),
            (None, Err(err)) => serializer.serialize_str(&err.text),
        }
    }
}

impl<'de, T: Format> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match T::parse_format(&text) {
            Ok(value) if value.writes_as(&text) => Self { value: Ok(value), received: None },
            Ok(value) => Self { value: Ok(value), received: Some(text) },
            Err(message) => Self { value: Err(FormatError { text, message }), received: None },
        })
    }
}

impl<T: Constrained> Constrained for Lenient<T> {
    fn check(&self, constraints: &Constraints, path: &str) -> Result<(), ValidationError> {
        match &self.value {
            Ok(value) => value.check(constraints, path),
            Err(err) => err.text.as_str().check(constraints, path),
        }
    }
}

/// A file to upload as a part of a `multipart/form-data` body (a `format: binary` field).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Sent as the part's `filename`.
    pub file_name: Option<String>,
    /// Sent as the part's `Content-Type`; `application/octet-stream` when unset.
    pub content_type: Option<String>,
}

impl File {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Outside a multipart body (where specs sometimes put `format: binary` too) a file is its
/// contents as a string.
impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::new(text.into_bytes()))
    }
}

/// A type sent as a `multipart/form-data` body: it adds its fields to a [`Multipart`].
pub trait MultipartBody {
    fn write_parts(&self, form: &mut Multipart) -> Result<(), ValidationError>;
}

/// The parts of a `multipart/form-data` body being assembled.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Multipart {
    /// Adds a field: strings as they are, other scalars and objects as JSON, one part per item
    /// of a list, nothing for `None`.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), ValidationError> {
        let value = serde_json::to_value(value).map_err(|err| ValidationError {
            path: join("body", name),
            message: format!("cannot be encoded: {err}"),
        })?;
        let items = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let mut head = format!("Content-Disposition: form-data; name=\"{}\"\r\n", disposition_escape(name));
            // OpenAPI's default for a part that is an object or a list is JSON.
            if item.is_object() || item.is_array() {
                head.push_str("Content-Type: application/json\r\n");
            }
            self.parts.push((head.into_bytes(), scalar_text(item).into_bytes()));
        }
        Ok(())
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &File) -> Result<(), ValidationError> {
        let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
        if content_type.contains(['\r', '\n']) {
            return Err(ValidationError {
                path: join("body", name),
                message: "has a content type with CR or LF".to_owned(),
            });
        }
        let file_name = disposition_escape(file.file_name.as_deref().unwrap_or(name));
        let head = format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n",
            disposition_escape(name)
        );
        self.parts.push((head.into_bytes(), file.bytes.clone()));
        Ok(())
    }

    /// The body and its media type, with a boundary that occurs in no part.
    pub fn finish(self) -> (String, Vec<u8>) {
        let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
        let boundary = loop {
            seed = seed.wrapping_mul(0x0100_0000_01b3).wrapping_add(self.parts.len() as u64 + 1);
            let candidate = format!("------------------------{seed:016x}");
            let clashes = self.parts.iter().any(|(head, body)| {
                contains(body, candidate.as_bytes()) || contains(head, candidate.as_bytes())
            });
            if !clashes {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for (head, content) in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            body.extend_from_slice(head);
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// Quotes, CR and LF in a part's name or file name, percent-encoded as browsers do.
fn disposition_escape(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}
