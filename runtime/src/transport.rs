//! Sending a request: credentials, headers, the HTTP call, and retries with backoff or `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderName, HeaderValue};

use crate::config::Secret;
use crate::datetime::days_from_civil;
use crate::trace::CallTrace;
use crate::{
    Error, HeaderMap, Hooks, Method, Received, Request, RequestOptions, ResponseInfo,
    SecurityScheme, StatusCode, ValidationError,
};

/// The HTTP side of a generated `Client`.
#[derive(Clone, Debug)]
pub struct HttpClient {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: reqwest::Url,
    pub(crate) schemes: &'static [SecurityScheme],
    pub(crate) credentials: Vec<Option<Secret>>,
    pub(crate) hooks: Hooks,
    pub(crate) options: RequestOptions,
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
    ///
    /// With the `tracing` feature, the call is one `http_call` span (fields `operation`,
    /// `method`, `path` as the spec's template, `status`, `attempt`, `retries`,
    /// `duration_ms`) and each retry an `INFO` event with its `reason` and `wait_ms`.
    pub async fn send<E>(
        &self,
        request: Request,
        security: &[&[usize]],
    ) -> Result<Received, Error<E>> {
        let trace = CallTrace::start(&request, self.options.trace_bodies.unwrap_or(false));
        trace.run(self.tries(request, security, &trace)).await
    }

    async fn tries<E>(
        &self,
        request: Request,
        security: &[&[usize]],
        trace: &CallTrace,
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
                    let delay = backoff(attempt);
                    trace.retry(attempt + 1, &"connection failed", delay);
                    self.wait(delay).await;
                    attempt += 1;
                    continue;
                }
                Err(err) => {
                    trace.finish(attempt + 1);
                    return Err(Error::from_reqwest(err));
                }
            };
            let status = response.status();
            trace.response(status, attempt + 1);
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
                trace.retry(attempt + 1, &status, delay);
                self.wait(delay).await;
                attempt += 1;
                continue;
            }
            let headers = response.headers().clone();
            let body = response.bytes().await;
            trace.finish(attempt + 1);
            let body = body.map_err(Error::from_reqwest)?.to_vec();
            trace.response_body(&body);
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
        let key = self
            .options
            .idempotency_key
            .iter()
            .map(|key| ("idempotency-key", key.as_str()));
        let extra = self
            .options
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()));
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
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
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
    let mut clock = parts
        .next()?
        .split(':')
        .map(|part| part.parse::<i64>().ok());
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
