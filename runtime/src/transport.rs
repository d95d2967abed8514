//! Sending a request: credentials, headers, the HTTP call, and retries with backoff or `Retry-After`.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
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

/// What a client method returns: a future of the decoded response, sent when it is first
/// polled. A named type rather than each method's own `async` future: the sending is one
/// future compiled once, here, and a method adds only the plain function that reads its
/// responses. (Checking an `async` body per operation was the larger part of compiling a
/// client with thousands of them.)
#[must_use = "a call is sent only when it is awaited"]
pub struct Call<'a, T, E> {
    state: CallState<'a, E>,
    decode: fn(Received) -> Result<T, Error<E>>,
}

type Sending<'a> = Pin<Box<dyn Future<Output = Result<Received, Error<Infallible>>> + Send + 'a>>;

enum CallState<'a, E> {
    /// The request could not be built; the error is returned at the first poll.
    Failed(Error<E>),
    Sending(Sending<'a>),
    /// The result was returned.
    Done,
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let CallState::Sending(sending) = &mut this.state {
            let Poll::Ready(received) = sending.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            this.state = CallState::Done;
            return Poll::Ready(match received {
                Ok(response) => (this.decode)(response),
                Err(error) => Err(error.widen()),
            });
        }
        match std::mem::replace(&mut this.state, CallState::Done) {
            CallState::Failed(error) => Poll::Ready(Err(error)),
            // Polled again after it completed: a future may then do anything but panic here.
            _ => Poll::Pending,
        }
    }
}

impl<T, E> std::fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

impl HttpClient {
    /// The call of one operation: `request` (or the error building it gave) sent as [`send`]
    /// does, and the response read by `decode`.
    ///
    /// [`send`]: Self::send
    pub fn call<'a, T, E>(
        &'a self,
        request: Result<Request, Error<E>>,
        security: &'static [&'static [usize]],
        decode: fn(Received) -> Result<T, Error<E>>,
    ) -> Call<'a, T, E> {
        let state = match request {
            Ok(request) => CallState::Sending(self.sending(request, security)),
            Err(error) => CallState::Failed(error),
        };
        Call { state, decode }
    }

    /// Not generic: the one sending future every operation's call shares.
    fn sending(&self, request: Request, security: &'static [&'static [usize]]) -> Sending<'_> {
        Box::pin(self.send(request, security))
    }

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
        // The server's number, however large or odd: a wait no `Duration` holds is no wait
        // the client can honour, so it is refused rather than panicking.
        return Duration::try_from_secs_f64(seconds).ok();
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
    if parts.next()? != "GMT" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month)? as u8 + 1;
    let seconds = days_from_civil(year, month, day)
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Carrier, ClientConfig};

    fn retry_after_header(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(value).expect("a valid header value"),
        );
        headers
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, the example date of RFC 9110.
    fn rfc_example_now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    #[test]
    fn retry_after_reads_seconds() {
        let headers = retry_after_header("120");
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(120))
        );
    }

    #[test]
    fn retry_after_reads_an_imf_fixdate_relative_to_now() {
        let headers = retry_after_header("Sun, 06 Nov 1994 08:50:07 GMT");
        assert_eq!(
            retry_after(&headers, rfc_example_now()),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn retry_after_a_past_date_is_no_wait() {
        let headers = retry_after_header("Sat, 05 Nov 1994 08:49:37 GMT");
        assert_eq!(
            retry_after(&headers, rfc_example_now()),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_refuses_negative_seconds_garbage_and_other_time_zones() {
        for value in ["-5", "soon", "Sun, 06 Nov 1994 08:50:07 CET", "NaN"] {
            let headers = retry_after_header(value);
            assert_eq!(retry_after(&headers, rfc_example_now()), None, "{value}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), rfc_example_now()), None);
    }

    #[test]
    fn retry_after_refuses_more_seconds_than_a_duration_holds() {
        let headers = retry_after_header("99999999999999999999");
        let delay = std::panic::catch_unwind(|| retry_after(&headers, SystemTime::now()));
        assert!(
            matches!(delay, Ok(None)),
            "expected the header to be ignored, got {delay:?}"
        );
    }

    #[test]
    fn retry_after_refuses_an_http_date_with_an_impossible_hour() {
        let headers = retry_after_header("Sun, 06 Nov 1994 9999999999999999:00:00 GMT");
        let delay = std::panic::catch_unwind(|| retry_after(&headers, rfc_example_now()));
        assert!(
            matches!(delay, Ok(None)),
            "expected the header to be ignored, got {delay:?}"
        );
    }

    #[test]
    fn should_retry_timeouts_rate_limits_and_server_errors_only() {
        let none = HeaderMap::new();
        for status in [
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            assert!(should_retry(status, &none, 0).is_some(), "{status}");
        }
        for status in [
            StatusCode::NOT_FOUND,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ] {
            assert_eq!(should_retry(status, &none, 0), None, "{status}");
        }
    }

    #[test]
    fn should_retry_waits_as_long_as_retry_after_asks() {
        let headers = retry_after_header("3");
        assert_eq!(
            should_retry(StatusCode::TOO_MANY_REQUESTS, &headers, 0),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn should_retry_gives_up_when_retry_after_exceeds_a_minute() {
        let headers = retry_after_header("61");
        assert_eq!(
            should_retry(StatusCode::SERVICE_UNAVAILABLE, &headers, 0),
            None
        );
    }

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight_less_a_quarter_at_most() {
        for (attempt, base) in [(0, 0.5), (1, 1.0), (3, 4.0), (4, 8.0), (30, 8.0)] {
            let delay = backoff(attempt).as_secs_f64();
            assert!(
                delay <= base && delay >= base * 0.75,
                "attempt {attempt}: {delay} s"
            );
        }
    }

    static SCHEMES: [SecurityScheme; 4] = [
        SecurityScheme {
            name: "Key",
            carrier: Carrier::Header("x-api-key"),
        },
        SecurityScheme {
            name: "QueryKey",
            carrier: Carrier::Query("api_key"),
        },
        SecurityScheme {
            name: "CookieKey",
            carrier: Carrier::Cookie("session"),
        },
        SecurityScheme {
            name: "Basic",
            carrier: Carrier::Basic,
        },
    ];

    fn client(base_url: &str, credentials: &[(usize, &str)]) -> HttpClient {
        let mut config = ClientConfig::new(base_url, &SCHEMES);
        for (scheme, value) in credentials {
            config.credential(*scheme, (*value).to_owned());
        }
        config.build().expect("a valid configuration")
    }

    #[test]
    fn url_keeps_the_base_path_and_encodes_the_query() {
        let http = client("http://api.test/v1/", &[]);
        let mut request = Request::new(Method::GET, "op", "/items", "/items".to_owned());
        request.query.push(("q".to_owned(), "a b&c".to_owned()));
        assert_eq!(
            http.url(&request).as_str(),
            "http://api.test/v1/items?q=a+b%26c"
        );
    }

    #[test]
    fn credentials_travel_as_their_carrier_says() {
        let http = client(
            "http://api.test",
            &[(0, "k1"), (1, "k 2"), (2, "c3"), (3, "user:pass")],
        );
        let security: &[&[usize]] = &[&[0, 1, 2, 3]];
        let credentials = http
            .credentials_for::<()>(security)
            .expect("all credentials held");
        let request = Request::new(Method::GET, "op", "/items", "/items".to_owned());
        let url = http.url(&request);
        let sent = http.http_request(&request, &url, &credentials, &[]);
        let header = |name: &str| sent.headers().get(name).map(|value| value.as_bytes());
        assert_eq!(header("x-api-key"), Some(&b"k1"[..]));
        assert_eq!(header("authorization"), Some(&b"Basic dXNlcjpwYXNz"[..]));
        assert_eq!(header("cookie"), Some(&b"session=c3"[..]));
        assert_eq!(sent.url().query(), Some("api_key=k+2"));
    }

    #[test]
    fn credentials_come_from_the_first_alternative_held_in_full() {
        let http = client("http://api.test", &[(1, "q")]);
        let credentials = http
            .credentials_for::<()>(&[&[0, 1], &[1]])
            .expect("the second alternative is held");
        assert!(
            matches!(credentials.as_slice(), [Secret::Query("api_key", value)] if value == "q")
        );
    }

    #[test]
    fn a_missing_credential_names_the_first_alternative() {
        let http = client("http://api.test", &[]);
        let err = http
            .credentials_for::<()>(&[&[0, 3], &[1]])
            .expect_err("no credential held");
        assert!(
            matches!(&err, Error::MissingCredential(names) if names == "Key + Basic"),
            "{err:?}"
        );
    }

    #[test]
    fn extra_headers_with_line_breaks_are_refused() {
        let http = client("http://api.test", &[]).with_options(RequestOptions {
            headers: vec![("x-note".to_owned(), "a\r\nx-injected: 1".to_owned())],
            ..RequestOptions::default()
        });
        let err = http.extra_headers::<()>().expect_err("CR LF refused");
        assert!(
            matches!(&err, Error::Validation(err) if err.path == "x-note"),
            "{err:?}"
        );
    }

    #[test]
    fn only_idempotent_methods_are_idempotent() {
        assert!(is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
