//! A request being assembled by a generated method: its path segments, query, headers, cookies and body.

use crate::__private::{Constrained, Constraints, Multipart, MultipartBody};
use crate::text::{number_text, scalar_text, scalar_texts};
use crate::{Method, Validate, ValidationError, Value};
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

/// One request being assembled by a generated method. Cloned to resume a stream of events.
#[derive(Clone, Debug)]
pub struct Request {
    pub(crate) method: Method,
    /// The spec's `operationId`. This and `template` are for tracing.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) operation: &'static str,
    /// The path as the spec writes it, `{parameters}` unfilled: it names the endpoint without
    /// the identifiers a filled path may carry.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// A whole query string already encoded (an `in: querystring` parameter's JSON or text),
    /// sent before the pairs of `query`.
    pub(crate) query_string: Option<String>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Option<(HeaderValue, Vec<u8>)>,
    pub(crate) idempotent: bool,
    /// A list's next page, found by URL: sent there instead of `path` and `query`.
    pub(crate) next_url: Option<String>,
    /// The first argument that could not be checked or encoded. A method builds its request
    /// step by step, as a reqwest `RequestBuilder` is built, and the call it returns fails with
    /// this, unsent, when awaited.
    pub(crate) refused: Option<ValidationError>,
}

/// How a query parameter's lists and objects are written (OpenAPI's `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `ids=1&ids=2`, and an object's properties as parameters of their own.
    FormExploded,
    /// `ids=1,2`, and an object as `key,value,key,value`.
    Form,
    /// `ids=1+2` (a space, as form encoding writes it).
    SpaceDelimited,
    /// `ids=1|2`.
    PipeDelimited,
    /// `filter[key]=value`.
    DeepObject,
}

/// How an `in: querystring` parameter (OpenAPI 3.2) writes the whole query string, by its
/// media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryString {
    /// `application/x-www-form-urlencoded`: an object's fields are the query's pairs, a list
    /// as repeated keys, absent fields left out.
    Form,
    /// JSON: the value's JSON text, percent-encoded, is the query string.
    Json,
    /// `text/*`: the text, percent-encoded, is the query string.
    Text,
}

/// The method named `name`, for the methods `Method` has no constant for (`PURGE`, `LINK`, a
/// lower-case `link`): sent exactly as written, as OpenAPI 3.2's `additionalOperations` asks.
/// A name that is not an HTTP token (RFC 9110) is refused.
pub fn extension_method(name: &'static str) -> Result<Method, ValidationError> {
    Method::from_bytes(name.as_bytes()).map_err(|_| ValidationError {
        path: "method".to_owned(),
        message: format!("`{name}` is not an HTTP method name"),
    })
}

impl Request {
    /// A request of `operation` (its `operationId`) to the endpoint `template` names; its path
    /// is added with [`path`](Self::path) and [`path_param`](Self::path_param).
    pub fn new(method: Method, operation: &'static str, template: &'static str) -> Self {
        Self {
            method,
            operation,
            template,
            path: String::new(),
            query: Vec::new(),
            query_string: None,
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            idempotent: false,
            next_url: None,
            refused: None,
        }
    }

    /// A request with a method `Method` has no constant for, by its name: see
    /// [`extension_method`]. A name that is not a method fails the call.
    pub fn extension(
        method: &'static str,
        operation: &'static str,
        template: &'static str,
    ) -> Self {
        match extension_method(method) {
            Ok(method) => Self::new(method, operation, template),
            Err(err) => {
                let mut request = Self::new(Method::GET, operation, template);
                request.refuse(Err(err));
                request
            }
        }
    }

    /// Keeps the first error of building: what the call fails with.
    fn refuse(&mut self, result: Result<(), ValidationError>) {
        if let Err(err) = result {
            self.refused.get_or_insert(err);
        }
    }

    /// The error that keeps this request from being sent, if building it met one.
    pub(crate) fn take_refusal(&mut self) -> Option<ValidationError> {
        self.refused.take()
    }

    /// Checks an argument's nested constraints (`path` names it in the error).
    pub fn validate<T: Validate + ?Sized>(&mut self, value: &T, path: &str) {
        let checked = value.validate(path);
        self.refuse(checked);
    }

    /// Checks an argument against the spec's `constraints` (`path` names it in the error).
    pub fn constrain<T: Constrained + ?Sized>(
        &mut self,
        value: &T,
        constraints: &Constraints,
        path: &str,
    ) {
        let checked = value.check(constraints, path);
        self.refuse(checked);
    }

    /// Appends `literal`, a piece of the path as the spec writes it.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends the path parameter `name`, percent-encoded as [`path_segment`] does.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match path_segment(name, value) {
            Ok(segment) => self.path.push_str(&segment),
            Err(err) => self.refuse(Err(err)),
        }
    }

    /// Marks a request that carries its own idempotency key (in its body, say), which makes it
    /// safe to retry whatever its method.
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent |= idempotent;
    }

    /// Adds a query parameter as OpenAPI writes it by default (`style: form`, exploded: a list
    /// is one pair per item); `None` adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.query_styled(name, value, QueryStyle::FormExploded);
    }

    /// Adds a query parameter in `style`; `None` adds nothing.
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) {
        let added = self.try_query(name, value, style);
        self.refuse(added);
    }

    /// What [`query`](Self::query) does, the error returned.
    pub(crate) fn try_query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Result<(), ValidationError> {
        if let Some(number) = number_text(value) {
            self.query.push((name.to_owned(), number));
            return Ok(());
        }
        let value = serde_json::to_value(value).map_err(|err| ValidationError {
            path: name.to_owned(),
            message: format!("cannot be encoded: {err}"),
        })?;
        let joined = |items: Vec<Value>, separator: &str| {
            items
                .into_iter()
                .map(scalar_text)
                .collect::<Vec<_>>()
                .join(separator)
        };
        match (value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), QueryStyle::FormExploded) => {
                for item in items {
                    self.query.push((name.to_owned(), scalar_text(item)));
                }
            }
            (Value::Array(items), QueryStyle::Form) => {
                self.query.push((name.to_owned(), joined(items, ",")))
            }
            (Value::Array(items), QueryStyle::SpaceDelimited) => {
                self.query.push((name.to_owned(), joined(items, " ")))
            }
            (Value::Array(items), QueryStyle::PipeDelimited) => {
                self.query.push((name.to_owned(), joined(items, "|")))
            }
            (Value::Object(fields), QueryStyle::FormExploded) => {
                for (key, field) in fields {
                    self.query.push((key, scalar_text(field)));
                }
            }
            (Value::Object(fields), QueryStyle::DeepObject) => {
                for (key, field) in fields {
                    self.query
                        .push((format!("{name}[{key}]"), scalar_text(field)));
                }
            }
            (Value::Object(fields), _) => {
                let flat: Vec<String> = fields
                    .into_iter()
                    .flat_map(|(k, v)| [k, scalar_text(v)])
                    .collect();
                self.query.push((name.to_owned(), flat.join(",")));
            }
            (other, _) => self.query.push((name.to_owned(), scalar_text(other))),
        }
        Ok(())
    }

    /// Sets the whole query string from an `in: querystring` parameter (`name` is for errors):
    /// `None` sets nothing.
    pub fn query_string<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        format: QueryString,
    ) {
        let added = self.try_query_string(name, value, format);
        self.refuse(added);
    }

    /// What [`query_string`](Self::query_string) does, the error returned.
    pub(crate) fn try_query_string<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        format: QueryString,
    ) -> Result<(), ValidationError> {
        let invalid = |message: String| ValidationError {
            path: name.to_owned(),
            message,
        };
        let text = match format {
            QueryString::Form => {
                let pairs = form_pairs(value, "a query string").map_err(invalid)?;
                self.query.extend(pairs.unwrap_or_default());
                return Ok(());
            }
            // Written by the value's own `Serialize`, as a JSON body is: a decimal keeps its
            // digits.
            QueryString::Json => match serde_json::to_string(value) {
                Ok(text) if text == "null" => return Ok(()),
                Ok(text) => text,
                Err(err) => return Err(invalid(format!("cannot be encoded as JSON: {err}"))),
            },
            QueryString::Text => match serde_json::to_value(value) {
                Ok(Value::Null) => return Ok(()),
                Ok(value) => scalar_text(value),
                Err(err) => return Err(invalid(format!("cannot be encoded: {err}"))),
            },
        };
        self.query_string = Some(encode_query_string(&text));
        Ok(())
    }

    /// Adds a cookie; values that would break the `Cookie` header are refused.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let added = self.try_cookie(name, value);
        self.refuse(added);
    }

    /// What [`cookie`](Self::cookie) does, the error returned.
    fn try_cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ValidationError> {
        for text in param_strings(name, value)? {
            if text.contains([';', ',', '\r', '\n']) {
                return Err(ValidationError {
                    path: name.to_owned(),
                    message: "contains characters a cookie cannot carry (`;`, `,`, CR or LF)"
                        .to_owned(),
                });
            }
            self.cookies.push(format!("{name}={text}"));
        }
        Ok(())
    }

    /// Adds a header; a value with CR, LF or other bytes a header cannot carry is refused here,
    /// before anything is sent.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let added = self.try_header(name, value);
        self.refuse(added);
    }

    /// What [`header`](Self::header) does, the error returned.
    pub(crate) fn try_header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let texts = param_strings(name, value)?;
        if texts.is_empty() {
            return Ok(());
        }
        let header = HeaderValue::from_str(&texts.join(",")).map_err(|_| ValidationError {
            path: name.to_owned(),
            message: "contains characters not allowed in an HTTP header (such as CR or LF)"
                .to_owned(),
        })?;
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| ValidationError {
            path: name.to_owned(),
            message: "is not a valid HTTP header name".to_owned(),
        })?;
        self.headers.push((name, header));
        Ok(())
    }

    /// Sets `Accept` to `media_types` (a list as the header writes it), in place of any; a
    /// text no header can carry sets nothing.
    pub fn accept(&mut self, media_types: &str) {
        let Ok(value) = HeaderValue::from_str(media_types) else {
            return;
        };
        self.headers
            .retain(|(name, _)| *name != reqwest::header::ACCEPT);
        self.headers.push((reqwest::header::ACCEPT, value));
    }

    /// Sets the JSON body's top-level property `name` to `true`, as an API that streams only
    /// when asked in the body wants (OpenAI's `stream`). A body that is not a JSON object is
    /// left as it is.
    pub(crate) fn set_body_flag(&mut self, name: &str) {
        let Some((_, bytes)) = &mut self.body else {
            return;
        };
        if let Ok(crate::Value::Object(mut object)) = serde_json::from_slice(bytes) {
            object.insert(name.to_owned(), crate::Value::Bool(true));
            if let Ok(encoded) = serde_json::to_vec(&object) {
                *bytes = encoded;
            }
        }
    }

    /// Sets a `multipart/form-data` body from an object's fields, files as file parts.
    pub fn multipart<T: MultipartBody + ?Sized>(&mut self, body: &T) {
        let added = self.try_multipart(body);
        self.refuse(added);
    }

    /// What [`multipart`](Self::multipart) does, the error returned.
    fn try_multipart<T: MultipartBody + ?Sized>(
        &mut self,
        body: &T,
    ) -> Result<(), ValidationError> {
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
    pub fn raw(&mut self, media_type: &'static str, body: Vec<u8>) {
        let added = self.try_raw(media_type, body);
        self.refuse(added);
    }

    /// What [`raw`](Self::raw) does, the error returned.
    fn try_raw(&mut self, media_type: &'static str, body: Vec<u8>) -> Result<(), ValidationError> {
        let media_type = HeaderValue::from_str(media_type).map_err(|_| ValidationError {
            path: "body".to_owned(),
            message: format!("has an invalid media type `{media_type}`"),
        })?;
        self.body = Some((media_type, body));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object's fields: scalars as
    /// text, lists as repeated keys, absent fields left out.
    pub fn form<T: Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        let added = self.try_form(media_type, body);
        self.refuse(added);
    }

    /// What [`form`](Self::form) does, the error returned.
    fn try_form<T: Serialize + ?Sized>(
        &mut self,
        media_type: &'static str,
        body: &T,
    ) -> Result<(), ValidationError> {
        let invalid = |message: String| ValidationError {
            path: "body".to_owned(),
            message,
        };
        let Some(fields) = form_pairs(body, "a form").map_err(invalid)? else {
            return Err(invalid("must be an object to be sent as a form".to_owned()));
        };
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.try_raw(media_type, form.into_bytes())
    }

    /// Sets a JSON body, sent with `media_type` (`application/json` or a `+json` type).
    pub fn json<T: Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        let added = self.try_json(media_type, body);
        self.refuse(added);
    }

    /// What [`json`](Self::json) does, the error returned.
    fn try_json<T: Serialize + ?Sized>(
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

/// An object's fields as the pairs of `what` (a form): scalars as text, a list as repeated
/// keys, absent fields left out; `None` for `null`.
fn form_pairs<T: Serialize + ?Sized>(
    value: &T,
    what: &str,
) -> Result<Option<Vec<(String, String)>>, String> {
    let fields = match serde_json::to_value(value) {
        Ok(Value::Object(fields)) => fields,
        Ok(Value::Null) => return Ok(None),
        Ok(_) => return Err(format!("must be an object to be sent as {what}")),
        Err(err) => return Err(format!("cannot be encoded: {err}")),
    };
    let pairs = fields
        .into_iter()
        .flat_map(|(name, value)| {
            scalar_texts(value)
                .into_iter()
                .map(move |text| (name.clone(), text))
        })
        .collect();
    Ok(Some(pairs))
}

/// Text percent-encoded to stand as a whole query string: every byte but RFC 3986's
/// unreserved characters, so that none reads as a separator (`&`, `=`, `+`, `#`).
pub(crate) fn encode_query_string(text: &str) -> String {
    const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, QUERY).to_string()
}

/// The text of a parameter value: strings as they are, other scalars as JSON, one entry per
/// item of a list, nothing for `None`.
fn param_strings<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Vec<String>, ValidationError> {
    if let Some(number) = number_text(value) {
        return Ok(vec![number]);
    }
    let value = serde_json::to_value(value).map_err(|err| ValidationError {
        path: name.to_owned(),
        message: format!("cannot be encoded: {err}"),
    })?;
    Ok(scalar_texts(value))
}

/// A path parameter's text before encoding: scalars as text, a list's items joined by `,`
/// (OpenAPI's `simple` style).
pub(crate) fn segment_text<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, ValidationError> {
    Ok(param_strings(name, value)?.join(","))
}

/// Percent-encodes a path parameter so that no value can leave its path segment.
/// Empty, `.` and `..` are refused: URL parsers fold them into the surrounding path.
pub fn path_segment<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, ValidationError> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let text = segment_text(name, value)?;
    if text.is_empty() || text == "." || text == ".." {
        return Err(ValidationError {
            path: name.to_owned(),
            message: format!("`{text}` cannot be sent as a path segment"),
        });
    }
    Ok(percent_encoding::utf8_percent_encode(&text, SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query_of<T: Serialize + ?Sized>(value: &T, style: QueryStyle) -> Vec<(String, String)> {
        let mut request = Request::new(Method::GET, "op", "/");
        request.try_query("ids", value, style).expect("encodable");
        request.query
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn path_segment_refuses_empty_dot_and_dot_dot() {
        for value in ["", ".", ".."] {
            let err = path_segment("id", value).expect_err(value);
            assert_eq!(err.path, "id");
        }
    }

    #[test]
    fn path_segment_encodes_slashes_spaces_and_reserved_characters() {
        assert_eq!(
            path_segment("id", "a/b c?d#e%").expect("encodable"),
            "a%2Fb%20c%3Fd%23e%25"
        );
        assert_eq!(
            path_segment("id", "a-b_c.d~e").expect("encodable"),
            "a-b_c.d~e"
        );
    }

    #[test]
    fn path_segment_writes_numbers_and_lists_as_text() {
        assert_eq!(path_segment("id", &42).expect("encodable"), "42");
        assert_eq!(path_segment("ids", &[1, 2]).expect("encodable"), "1%2C2");
    }

    #[test]
    fn query_form_exploded_repeats_lists_and_spreads_objects() {
        assert_eq!(
            query_of(&[1, 2], QueryStyle::FormExploded),
            pairs(&[("ids", "1"), ("ids", "2")])
        );
        assert_eq!(
            query_of(&json!({"b": "x", "a": 2}), QueryStyle::FormExploded),
            pairs(&[("b", "x"), ("a", "2")])
        );
    }

    #[test]
    fn query_form_joins_lists_and_objects_with_commas() {
        assert_eq!(
            query_of(&["a", "b"], QueryStyle::Form),
            pairs(&[("ids", "a,b")])
        );
        assert_eq!(
            query_of(&json!({"k": "v", "n": 1}), QueryStyle::Form),
            pairs(&[("ids", "k,v,n,1")])
        );
    }

    #[test]
    fn query_space_and_pipe_delimited_join_lists() {
        assert_eq!(
            query_of(&[1, 2], QueryStyle::SpaceDelimited),
            pairs(&[("ids", "1 2")])
        );
        assert_eq!(
            query_of(&[1, 2], QueryStyle::PipeDelimited),
            pairs(&[("ids", "1|2")])
        );
    }

    #[test]
    fn query_deep_object_names_each_property() {
        assert_eq!(
            query_of(&json!({"status": "open", "min": 3}), QueryStyle::DeepObject),
            pairs(&[("ids[status]", "open"), ("ids[min]", "3")])
        );
    }

    #[test]
    fn query_scalars_are_text_whatever_the_style() {
        assert_eq!(query_of("a b", QueryStyle::Form), pairs(&[("ids", "a b")]));
        assert_eq!(
            query_of(&true, QueryStyle::PipeDelimited),
            pairs(&[("ids", "true")])
        );
    }

    #[test]
    fn query_none_adds_nothing() {
        for style in [
            QueryStyle::FormExploded,
            QueryStyle::Form,
            QueryStyle::SpaceDelimited,
            QueryStyle::PipeDelimited,
            QueryStyle::DeepObject,
        ] {
            assert!(query_of(&None::<Vec<i32>>, style).is_empty(), "{style:?}");
        }
    }

    #[test]
    fn header_refuses_line_breaks_and_joins_lists() {
        let mut request = Request::new(Method::GET, "op", "/");
        let err = request
            .try_header("x-note", "a\r\nx-injected: 1")
            .expect_err("CR LF refused");
        assert_eq!(err.path, "x-note");
        request.try_header("x-ids", &[1, 2]).expect("encodable");
        request
            .try_header("x-none", &None::<String>)
            .expect("nothing to add");
        assert_eq!(request.headers.len(), 1);
        assert_eq!(request.headers[0].1.as_bytes(), b"1,2");
    }

    #[test]
    fn cookie_refuses_separators() {
        let mut request = Request::new(Method::GET, "op", "/");
        assert!(request.try_cookie("session", "a;b").is_err());
        assert!(request.try_cookie("session", "a,b").is_err());
        request.try_cookie("session", "abc").expect("a plain value");
        assert_eq!(request.cookies, ["session=abc"]);
    }

    #[test]
    fn form_encodes_fields_repeats_lists_and_leaves_out_none() {
        let mut request = Request::new(Method::POST, "op", "/");
        let body = json!({"name": "a b&c", "tags": ["x", "y"], "gone": null, "n": 1});
        request
            .try_form("application/x-www-form-urlencoded", &body)
            .expect("an object");
        let (media_type, bytes) = request.body.expect("a body");
        assert_eq!(media_type, "application/x-www-form-urlencoded");
        assert_eq!(
            String::from_utf8(bytes).expect("ASCII"),
            "name=a+b%26c&tags=x&tags=y&n=1"
        );
    }

    #[test]
    fn form_refuses_a_body_that_is_not_an_object() {
        let mut request = Request::new(Method::POST, "op", "/");
        assert!(
            request
                .try_form("application/x-www-form-urlencoded", &[1])
                .is_err()
        );
    }

    #[test]
    fn json_sets_the_media_type_and_body() {
        let mut request = Request::new(Method::POST, "op", "/");
        request
            .try_json("application/merge-patch+json", &json!({"b": 1, "a": null}))
            .expect("encodable");
        let (media_type, bytes) = request.body.expect("a body");
        assert_eq!(media_type, "application/merge-patch+json");
        assert_eq!(bytes, br#"{"b":1,"a":null}"#);
    }

    #[test]
    fn a_query_string_is_form_pairs_or_one_encoded_text() {
        let mut request = Request::new(Method::GET, "op", "/");
        let filter = json!({"species": "cat", "names": ["a b", "c"], "gone": null});
        request
            .try_query_string("filter", &filter, QueryString::Form)
            .expect("an object");
        assert_eq!(
            request.query,
            pairs(&[("species", "cat"), ("names", "a b"), ("names", "c")])
        );
        assert_eq!(request.query_string, None);
        let err = request
            .try_query_string("filter", &[1], QueryString::Form)
            .expect_err("not an object");
        assert_eq!(err.path, "filter");

        let mut request = Request::new(Method::GET, "op", "/");
        request
            .try_query_string("q", &json!({"a": [1, 2], "b": "x&y=z#"}), QueryString::Json)
            .expect("encodable");
        assert_eq!(
            request.query_string.as_deref(),
            Some("%7B%22a%22%3A%5B1%2C2%5D%2C%22b%22%3A%22x%26y%3Dz%23%22%7D")
        );
        request
            .try_query_string("q", "$.a.b[1:1]", QueryString::Text)
            .expect("text");
        assert_eq!(request.query_string.as_deref(), Some("%24.a.b%5B1%3A1%5D"));

        let mut request = Request::new(Method::GET, "op", "/");
        for format in [QueryString::Form, QueryString::Json, QueryString::Text] {
            request
                .try_query_string("q", &None::<String>, format)
                .expect("nothing to send");
        }
        assert!(request.query.is_empty() && request.query_string.is_none());
    }

    #[test]
    fn extension_methods_are_sent_as_written() {
        let method = extension_method("PURGE").expect("a token");
        assert_eq!(method.as_str(), "PURGE");
        assert_eq!(extension_method("link").expect("a token").as_str(), "link");
        for bad in ["", "A B", "GET\r\n"] {
            let err = extension_method(bad).expect_err(bad);
            assert_eq!(err.path, "method");
        }
    }

    #[test]
    fn the_first_error_of_building_is_kept_and_the_path_is_built_in_pieces() {
        let mut request = Request::new(Method::GET, "op", "/items/{id}");
        request.path("/items/");
        request.path_param("id", "a/b");
        assert_eq!(request.path, "/items/a%2Fb");
        request.path_param("id", "..");
        request.header("x-note", "a\r\nb");
        assert_eq!(
            request.take_refusal().map(|err| err.path),
            Some("id".to_owned())
        );
        let mut request = Request::extension("A B", "op", "/");
        assert_eq!(
            request.take_refusal().map(|err| err.path),
            Some("method".to_owned())
        );
    }

    #[test]
    fn idempotent_is_sticky() {
        let mut request = Request::new(Method::POST, "op", "/");
        request.idempotent(true);
        request.idempotent(false);
        assert!(request.idempotent);
    }
}
