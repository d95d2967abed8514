//! A response: the decoded value with its status and headers, and the whole body before decoding.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::{ApiError, DecodeError, Error, HeaderError, HeaderMap, RawResponse, StatusCode};

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

pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// A whole response, read into memory (under the body limit), before it is decoded. The body
/// is held once: errors that keep it share it.
#[derive(Clone, Debug)]
pub struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
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
        String::from_utf8(self.body.to_vec()).map_err(|err| {
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
        self.body.to_vec()
    }

    /// A documented success with a JSON body: decoded, then `wrap`ped as the method returns it.
    pub fn ok_json<B: DeserializeOwned, T, E>(
        self,
        wrap: impl FnOnce(B) -> T,
    ) -> Result<Response<T>, Error<E>> {
        let body = self.json()?;
        Ok(self.typed(wrap(body)))
    }

    /// A documented success with a text body.
    pub fn ok_text<T, E>(self, wrap: impl FnOnce(String) -> T) -> Result<Response<T>, Error<E>> {
        let body = self.text()?;
        Ok(self.typed(wrap(body)))
    }

    /// A documented success with a binary body, handed over as received.
    pub fn ok_bytes<T, E>(
        mut self,
        wrap: impl FnOnce(Vec<u8>) -> T,
    ) -> Result<Response<T>, Error<E>> {
        // No copy when the body is held only here, as it is once decoding starts.
        let body = Vec::from(std::mem::take(&mut self.body));
        Ok(self.typed(wrap(body)))
    }

    /// A documented error status with a JSON body: decoded, then `wrap`ped into the operation's
    /// error enum.
    pub fn err_json<B: DeserializeOwned, T, E>(
        self,
        wrap: impl FnOnce(B) -> E,
    ) -> Result<T, Error<E>> {
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
        let body = Vec::from(std::mem::take(&mut self.body));
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

/// An error while a body is read: a time-out, a connection that broke, a body too long.
pub type BodyError = Error<Infallible>;

type Chunks = Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, BodyError>> + Send>>;

/// A response body as it arrives, a chunk at a time ([`Call::stream_body`]): at most the read
/// time-out between chunks, no limit on the total, so that it can be written to a file or
/// parsed as it comes without ever being held whole. The stream ends after its last chunk, or
/// with one error.
///
/// [`Call::stream_body`]: crate::Call::stream_body
pub struct BodyStream {
    chunks: Chunks,
}

impl BodyStream {
    pub(crate) fn new(response: reqwest::Response, read_timeout: Option<Duration>) -> Self {
        let chunks = futures_util::stream::unfold(Some(response), move |response| async move {
            let mut response = response?;
            match crate::transport::next_chunk(&mut response, read_timeout).await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        });
        Self {
            chunks: Box::pin(chunks),
        }
    }
}

impl futures_util::Stream for BodyStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyStream")
    }
}
