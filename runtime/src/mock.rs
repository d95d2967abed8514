//! Typed mocks for the tests of code that calls generated clients (feature `mock`), on a
//! [wiremock](https://docs.rs/wiremock) server.
//!
//! A generated client's `mock` module has one function per operation. It returns a builder
//! over an [`Expectation`]: what the request must hold (the method and path always; path,
//! query and header parameters and the JSON body when given), then a `respond_*` method per
//! documented response, which takes that response's typed body and gives a [`Mock`] to mount:
//!
//! ```text
//! let server = MockServer::start().await;
//! zenskar::mock::cancel_checkout_session()
//!     .checkout_session_id(id)
//!     .respond_ok(&cancelled)
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//! ```
//!
//! Values are encoded exactly as the client encodes them, so an expectation matches the
//! request the client sends for the same values.
//!
//! A paged list's mock, `mock::{operation}_pages(pages)`, is a [`Pages`]: it serves each page
//! to the request the client makes for it in the API's own scheme, so that a test of code
//! reading a whole list reads every page.

use percent_encoding::percent_decode_str;
use serde::Serialize;

pub use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::__private::{Framing, Next, QueryString, QueryStyle, Request};
use crate::request::segment_text;
use crate::text::{number_text, scalar_text};
use crate::{Event, Method, Value};

/// What a mocked request must hold. Built by the generated `mock` functions; usable on its own
/// through [`Expectation::new`].
#[derive(Clone, Debug)]
pub struct Expectation {
    method: Method,
    template: &'static str,
    /// Path parameters' values as text, by their name in the template.
    params: Vec<(&'static str, String)>,
    /// Query pairs that must be present, decoded.
    query: Vec<(String, String)>,
    /// A whole query string that must be present, encoded as the client encodes it, as one of
    /// the query's `&`-separated parts.
    query_string: Option<String>,
    /// Headers that must be present, names lower case.
    headers: Vec<(String, String)>,
    body: Option<Value>,
    /// Why a value given to the expectation could not be encoded: such an expectation matches
    /// no request, and says why in its `Debug` output.
    unmatchable: Option<String>,
}

impl Expectation {
    /// A request with `method` to `template`, a path as the spec writes it
    /// (`/checkout/{checkout_session_id}`), whatever its parameters, query or body. The whole
    /// path must match: give the client the mock server's own URL as its base URL.
    pub fn new(method: Method, template: &'static str) -> Self {
        Self {
            method,
            template,
            params: Vec::new(),
            query: Vec::new(),
            query_string: None,
            headers: Vec::new(),
            body: None,
            unmatchable: None,
        }
    }

    /// [`Expectation::new`] for a method `Method` has no constant for (`PURGE`, a lower-case
    /// `link`), by its name as sent; a name that is not an HTTP method matches no request.
    pub fn extension(method: &'static str, template: &'static str) -> Self {
        match crate::__private::extension_method(method) {
            Ok(method) => Self::new(method, template),
            Err(err) => {
                let mut expectation = Self::new(Method::GET, template);
                expectation.cannot_encode("method", &err.message);
                expectation
            }
        }
    }

    /// Only requests whose path parameter `name` (as the template writes it) is `value`.
    pub fn path_param<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match segment_text(name, value) {
            Ok(text) => self.params.push((name, text)),
            Err(err) => self.cannot_encode(name, &err.message),
        }
        self
    }

    /// Only requests whose query holds `value` for `name`, written as OpenAPI's default style
    /// writes it (`form`, exploded), as [`query_param_styled`](Self::query_param_styled) says.
    pub fn query_param<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Self {
        self.query_param_styled(name, value, QueryStyle::FormExploded)
    }

    /// Only requests whose query holds `value` for `name`, written in `style` as the client
    /// writes it (a list exploded is every one of its pairs). Other query pairs are allowed.
    pub fn query_param_styled<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Self {
        let mut request = Request::new(Method::GET, "", "");
        match request.try_query(name, value, style) {
            Ok(()) => self.query.append(&mut request.query),
            Err(err) => self.cannot_encode(name, &err.message),
        }
        self
    }

    /// Only requests whose whole query string is `value`, written in `format` as the client
    /// writes an `in: querystring` parameter: a form's pairs must each be present, JSON or
    /// text must be one `&`-separated part of the query.
    pub fn query_string<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        format: QueryString,
    ) -> Self {
        let mut request = Request::new(Method::GET, "", "");
        match request.try_query_string(name, value, format) {
            Ok(()) => {
                self.query.append(&mut request.query);
                if let Some(text) = request.query_string {
                    self.query_string = Some(text);
                }
            }
            Err(err) => self.cannot_encode(name, &err.message),
        }
        self
    }

    /// Only requests with header `name` set to `value`, written as the client writes it.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let mut request = Request::new(Method::GET, "", "");
        match request.try_header(name, value) {
            Ok(()) => self
                .headers
                .extend(request.headers.iter().map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })),
            Err(err) => self.cannot_encode(name, &err.message),
        }
        self
    }

    /// Only requests whose body is this JSON value (compared as JSON: key order and
    /// whitespace do not matter).
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_value(body) {
            Ok(body) => self.body = Some(body),
            Err(err) => self.cannot_encode("body", &err),
        }
        self
    }

    /// The mock: this expectation, answered by `response`. Mount it on a [`MockServer`].
    pub fn respond(self, response: ResponseTemplate) -> Mock {
        Mock::given(self).respond_with(response)
    }

    fn cannot_encode(&mut self, what: &str, err: &dyn std::fmt::Display) {
        self.unmatchable
            .get_or_insert_with(|| format!("`{what}` could not be encoded: {err}"));
    }

    fn path_matches(&self, path: &str) -> bool {
        let actual: Vec<String> = path
            .split('/')
            .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
            .collect();
        // The whole path, segment by segment: a template that matched only the path's end
        // would answer for another operation (`/items/{id}` for `/orgs/1/items/5`).
        let wanted: Vec<&str> = self.template.split('/').collect();
        wanted.len() == actual.len()
            && wanted
                .iter()
                .zip(&actual)
                .all(|(template, text)| self.segment_matches(&parts(template), text))
    }

    /// Whether `text` is what the template's segment `parts` gives: literals exactly,
    /// parameters given a value exactly, the others anything non-empty.
    fn segment_matches(&self, parts: &[Part<'_>], text: &str) -> bool {
        match parts.split_first() {
            None => text.is_empty(),
            Some((Part::Literal(literal), rest)) => text
                .strip_prefix(literal)
                .is_some_and(|text| self.segment_matches(rest, text)),
            Some((Part::Param(name), rest)) => match self.param(name) {
                Some(value) => text
                    .strip_prefix(value)
                    .is_some_and(|text| self.segment_matches(rest, text)),
                None => text
                    .char_indices()
                    .skip(1)
                    .map(|(at, _)| at)
                    .chain([text.len()])
                    .filter(|&at| at > 0)
                    .any(|at| self.segment_matches(rest, &text[at..])),
            },
        }
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(param, _)| *param == name)
            .map(|(_, value)| value.as_str())
    }
}

impl wiremock::Match for Expectation {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if self.unmatchable.is_some() || request.method.as_str() != self.method.as_str() {
            return false;
        }
        if !self.path_matches(request.url.path()) {
            return false;
        }
        let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        if !self.query.iter().all(|pair| pairs.contains(pair)) {
            return false;
        }
        if let Some(wanted) = &self.query_string {
            let parts = request.url.query().unwrap_or_default().split('&');
            if !parts.into_iter().any(|part| part == wanted) {
                return false;
            }
        }
        let headers_match = self.headers.iter().all(|(name, value)| {
            request
                .headers
                .get_all(name.as_str())
                .iter()
                .any(|sent| sent.as_bytes() == value.as_bytes())
        });
        headers_match
            && self.body.as_ref().is_none_or(|body| {
                serde_json::from_slice::<Value>(&request.body).is_ok_and(|sent| sent == *body)
            })
    }
}

/// Where a paged list's mock finds the page a request asks for.
#[derive(Clone, Copy, Debug)]
pub enum Position {
    /// In this query parameter: a cursor, an offset, a page number, the last item's id.
    Query(&'static str),
    /// In the request's path and query: the next page's URL, as a page's body gives it.
    Url,
    /// In this query parameter of the URL that the mock itself puts in each page's `Link`
    /// header (`rel="next"`), as GitHub's lists do.
    Link(&'static str),
}

/// A mock of a paged list: its pages in order, each served to the request that asks for it.
///
/// The first page answers a request that names no later page. Page *n + 1* answers the request
/// that the position page *n* gives leads to (its [`Next`]); with [`Position::Link`], page *n*
/// also gets a `Link` header to it. A request for a position no page gives is answered `404`
/// with a text saying which positions the pages lead to, so a test sees a client that lost
/// its place; the last page's own `Next` is not served, so a last page that says more follows
/// ends the list with that error.
#[derive(Clone, Debug)]
#[must_use = "a mock does nothing until it is mounted"]
pub struct Pages {
    expectation: Expectation,
    position: Position,
    first: Option<String>,
    pages: Vec<(ResponseTemplate, Next)>,
}

impl Pages {
    /// No pages yet, for requests matching `expectation`, positioned as `position` says.
    pub fn new(expectation: Expectation, position: Position) -> Self {
        Self {
            expectation,
            position,
            first: None,
            pages: Vec::new(),
        }
    }

    /// The position that also names the first page (`0` for an offset, `1` for a page number),
    /// for a client that sends it.
    pub fn first_at(mut self, position: impl Into<String>) -> Self {
        self.first = Some(position.into());
        self
    }

    /// One more page: `response`, after which the list goes on at `next`.
    pub fn page(mut self, response: ResponseTemplate, next: Next) -> Self {
        self.pages.push((response, next));
        self
    }

    /// The mock to mount, to which `expect` and the like can still be added.
    pub fn mock(self) -> Mock {
        let expectation = self.expectation.clone();
        Mock::given(expectation).respond_with(self)
    }

    /// Mounts the mock on `server`.
    pub async fn mount(self, server: &MockServer) {
        self.mock().mount(server).await;
    }

    /// The page `request` asks for, if any page is at its position.
    fn index(&self, request: &wiremock::Request) -> Result<usize, String> {
        let asked = match self.position {
            Position::Query(name) | Position::Link(name) => {
                let Some(value) = request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                else {
                    return Ok(0);
                };
                if self.first.as_deref() == Some(value.as_str()) {
                    return Ok(0);
                }
                let found = self.leads().position(|next| match next {
                    Next::Params(position) => *position == value,
                    Next::Url(_) | Next::End | Next::Stuck(_) => false,
                });
                return found.map(|at| at + 1).ok_or(format!("`{name}={value}`"));
            }
            Position::Url => request_target(&request.url),
        };
        let found = self.leads().position(|next| match next {
            Next::Url(url) => request
                .url
                .join(url)
                .is_ok_and(|url| request_target(&url) == asked),
            Next::Params(_) | Next::End | Next::Stuck(_) => false,
        });
        // A request that no page's URL leads to is the first: the URLs are the server's own.
        Ok(found.map_or(0, |at| at + 1))
    }

    /// Where each page but the last leads.
    fn leads(&self) -> impl Iterator<Item = &Next> {
        let leading = self.pages.len().saturating_sub(1);
        self.pages.iter().take(leading).map(|(_, next)| next)
    }
}

impl wiremock::Respond for Pages {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let index = match self.index(request) {
            Ok(index) => index,
            Err(asked) => {
                let leads: Vec<String> = self
                    .leads()
                    .map(|next| match next {
                        Next::Params(position) | Next::Url(position) => position.clone(),
                        Next::End | Next::Stuck(_) => "the end".to_owned(),
                    })
                    .collect();
                return text(
                    404,
                    &format!(
                        "this mock of a paged list has no page at {asked}; its pages lead to: {}",
                        leads.join(", ")
                    ),
                );
            }
        };
        let Some((response, _)) = self.pages.get(index) else {
            return text(404, "this mock of a paged list has no pages");
        };
        match (self.position, self.leads().nth(index)) {
            (Position::Link(name), Some(Next::Params(position))) => {
                let mut url = request.url.clone();
                let kept: Vec<(String, String)> = url
                    .query_pairs()
                    .into_owned()
                    .filter(|(key, _)| key != name)
                    .collect();
                url.query_pairs_mut()
                    .clear()
                    .extend_pairs(kept)
                    .append_pair(name, position);
                // Absolute, as GitHub writes them, on the host the request was sent to: the
                // mock server sees only the request's path and query.
                let target = request_target(&url);
                let link = match request
                    .headers
                    .get("host")
                    .and_then(|host| host.to_str().ok())
                {
                    Some(host) => format!("<{}://{host}{target}>; rel=\"next\"", url.scheme()),
                    None => format!("<{target}>; rel=\"next\""),
                };
                response.clone().append_header("link", link.as_str())
            }
            _ => response.clone(),
        }
    }
}

/// A URL's path and query, which is what the mock server sees of a request to it.
fn request_target(url: &reqwest::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// A piece of one path segment of a template: `v1.{format}` is `v1.` then `format`.
enum Part<'a> {
    Literal(&'a str),
    Param(&'a str),
}

fn parts(segment: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => match rest.find('}') {
                Some(end) => {
                    parts.push(Part::Param(&rest[1..end]));
                    rest = &rest[end + 1..];
                }
                None => {
                    parts.push(Part::Literal(rest));
                    rest = "";
                }
            },
            Some(at) => {
                parts.push(Part::Literal(&rest[..at]));
                rest = &rest[at..];
            }
            None => {
                parts.push(Part::Literal(rest));
                rest = "";
            }
        }
    }
    parts
}

/// A response with `status` and `body` as JSON. A body that cannot be encoded as JSON (a map
/// with non-string keys) is sent as text saying so, which the client then fails to decode.
pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> ResponseTemplate {
    match serde_json::to_vec(body) {
        Ok(bytes) => ResponseTemplate::new(status).set_body_raw(bytes, "application/json"),
        Err(err) => ResponseTemplate::new(status).set_body_raw(
            format!("the mock could not encode the body: {err}"),
            "text/plain",
        ),
    }
}

/// A response with `status` and a text body.
pub fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "text/plain")
}

/// A response with `status` and a binary body.
pub fn bytes(status: u16, body: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_vec(), "application/octet-stream")
}

/// A `text/event-stream` response with `status` and `events` written as server-sent events,
/// each one's data by `encode` ([`json_text`] or [`plain_text`], as the client decodes it):
/// its name unless `message`, its id and retry when set, a `data:` line per line of data.
pub fn events<T>(status: u16, events: &[Event<T>], encode: fn(&T) -> String) -> ResponseTemplate {
    let mut text = String::new();
    for event in events {
        // A line end in a name or an id would end the field early.
        let one_line = |value: &str| value.replace(['\r', '\n'], " ");
        if event.event != "message" {
            text.push_str(&format!("event: {}\n", one_line(&event.event)));
        }
        if let Some(id) = &event.id {
            text.push_str(&format!("id: {}\n", one_line(id)));
        }
        if let Some(retry) = event.retry {
            text.push_str(&format!("retry: {}\n", retry.as_millis()));
        }
        for line in encode(&event.data).split('\n') {
            text.push_str(&format!("data: {}\n", line.trim_end_matches('\r')));
        }
        text.push('\n');
    }
    ResponseTemplate::new(status).set_body_raw(text, "text/event-stream")
}

/// A response with `status` and `records` as JSON Lines (`application/x-ndjson`) or a JSON
/// text sequence (`application/json-seq`).
pub fn records<T: Serialize>(status: u16, framing: Framing, records: &[T]) -> ResponseTemplate {
    let mut body = Vec::new();
    for record in records {
        if framing == Framing::Sequence {
            body.push(0x1e);
        }
        body.extend_from_slice(json_text(record).as_bytes());
        body.push(b'\n');
    }
    let media_type = match framing {
        Framing::Lines => "application/x-ndjson",
        Framing::Sequence => "application/json-seq",
    };
    ResponseTemplate::new(status).set_body_raw(body, media_type)
}

/// Data as JSON, on one line; a value JSON cannot hold is `null`.
pub fn json_text<T: Serialize + ?Sized>(data: &T) -> String {
    serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned())
}

/// Text data as it is.
#[allow(
    clippy::ptr_arg,
    reason = "it is an encoder of `Event<String>`'s data, `fn(&T)`"
)]
pub fn plain_text(data: &String) -> String {
    data.clone()
}

/// `response` with the header `name` set to `value` as the client reads headers back: strings
/// as they are, numbers and booleans as JSON, lists joined by `, `; `None` sets nothing.
pub fn with_header<T: Serialize + ?Sized>(
    response: ResponseTemplate,
    name: &str,
    value: &T,
) -> ResponseTemplate {
    if let Some(number) = number_text(value) {
        return response.insert_header(name, number.as_str());
    }
    let text = match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => return response,
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(scalar_text)
            .collect::<Vec<_>>()
            .join(", "),
        Ok(value) => scalar_text(value),
    };
    response.insert_header(name, text.as_str())
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use super::*;
    use crate::__private::path_segment;

    fn get(template: &'static str) -> Expectation {
        Expectation::new(Method::GET, template)
    }

    #[test]
    fn a_parameter_without_a_value_matches_any_non_empty_text() {
        let any = get("/items/{id}");
        assert!(any.path_matches("/items/5"));
        assert!(any.path_matches("/items/abc"));
        assert!(!any.path_matches("/items/"));
        assert!(!any.path_matches("/items"));
        assert!(!any.path_matches("/items/5/extra"));
        assert!(!any.path_matches("/other/5"));
    }

    #[test]
    fn an_extension_method_is_expected_by_name_and_a_bad_name_matches_nothing() {
        let purge = Expectation::extension("PURGE", "/cache");
        assert_eq!(purge.method.as_str(), "PURGE");
        assert!(purge.unmatchable.is_none());
        let bad = Expectation::extension("NOT A METHOD", "/cache");
        assert!(bad.unmatchable.is_some_and(|why| why.contains("`method`")));
    }

    #[test]
    fn a_query_string_is_expected_as_the_client_encodes_it() {
        let json =
            get("/items").query_string("q", &serde_json::json!({"a": "b c"}), QueryString::Json);
        assert_eq!(
            json.query_string.as_deref(),
            Some("%7B%22a%22%3A%22b%20c%22%7D")
        );
        let form =
            get("/items").query_string("q", &serde_json::json!({"a": "b c"}), QueryString::Form);
        assert_eq!(form.query, [("a".to_owned(), "b c".to_owned())]);
        assert!(form.query_string.is_none());
    }

    #[test]
    fn a_parameter_with_a_value_matches_only_that_value() {
        let five = get("/items/{id}").path_param("id", &5);
        assert!(five.path_matches("/items/5"));
        assert!(!five.path_matches("/items/6"));
        assert!(!five.path_matches("/items/55"));
    }

    #[test]
    fn the_last_value_given_for_a_parameter_wins() {
        let six = get("/items/{id}").path_param("id", &5).path_param("id", &6);
        assert!(six.path_matches("/items/6"));
        assert!(!six.path_matches("/items/5"));
    }

    #[test]
    fn values_are_compared_decoded() {
        let encoded = path_segment("id", "a/b c").expect("encodable");
        let slash = get("/items/{id}").path_param("id", "a/b c");
        assert!(slash.path_matches(&format!("/items/{encoded}")));
        assert!(!slash.path_matches("/items/a/b%20c"));
    }

    #[test]
    fn two_parameters_in_one_segment() {
        let any = get("/files/{name}.{ext}");
        assert!(any.path_matches("/files/report.pdf"));
        assert!(!any.path_matches("/files/.pdf"));
        assert!(!any.path_matches("/files/report"));

        let pdf = get("/files/{name}.{ext}").path_param("ext", "pdf");
        assert!(pdf.path_matches("/files/report.v2.pdf"));
        assert!(!pdf.path_matches("/files/report.txt"));

        let report = get("/files/{name}.{ext}").path_param("name", "report");
        assert!(report.path_matches("/files/report.tar.gz"));
        assert!(!report.path_matches("/files/summary.pdf"));
    }

    #[test]
    fn a_path_that_only_ends_like_the_template_is_another_operation() {
        assert!(get("/items/{id}").path_matches("/items/5"));
        assert!(!get("/items/{id}").path_matches("/api/v1/items/5"));
        assert!(!get("/items/{id}").path_matches("/orgs/1/items/5"));
    }

    #[test]
    fn a_path_that_does_not_end_with_the_template_does_not_match() {
        let any = get("/items/{id}");
        assert!(!any.path_matches("/api/v1/items"));
        assert!(!any.path_matches("/api/v1/itemsx/5"));
        assert!(!any.path_matches("/api/items/5/v1"));
    }

    #[test]
    fn literal_segments_match_exactly() {
        let versioned = get("/v1.{format}/status");
        assert!(versioned.path_matches("/v1.json/status"));
        assert!(!versioned.path_matches("/v2.json/status"));
        assert!(!versioned.path_matches("/v1.json/statuses"));
    }

    #[test]
    fn a_list_parameter_matches_as_the_client_sends_it() {
        let ids = [1, 2];
        let sent = format!("/items/{}", path_segment("ids", &ids).expect("encodable"));
        assert!(
            get("/items/{ids}")
                .path_param("ids", &ids)
                .path_matches(&sent)
        );
    }
}
