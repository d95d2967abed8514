//! The runtime of the clients that [specwright](https://crates.io/crates/specwright) generates
//! from OpenAPI documents: one crate that every generated client depends on, so that clients
//! in one program share [`Error`], [`Response`], [`DateTime`] and the rest, and the crates they
//! use (serde, reqwest, ...) come through the re-exports below, not from the consumer's own
//! dependencies.
//!
//! # Through a generated client
//!
//! This crate is used through the clients generated from it. The README's quick start, for a
//! small Bookshelf API saved as `openapi.yaml` in a new project, generates one with the
//! `specwright` command:
//!
//! ```sh
//! specwright generate openapi.yaml --crate bookshelf
//! ```
//!
//! That writes the crate `bookshelf/` and, beside it, this crate's source in
//! `specwright-runtime/` (version 0.1 is not on crates.io yet), which `bookshelf` depends on by
//! path; the project depends on `bookshelf` and tokio. A project that generates its client in
//! `build.rs` with `specwright::Config` names this crate itself instead, with the features its
//! client needs, here the mocks and tracing for its tests:
//!
//! ```toml
//! [dependencies]
//! specwright-runtime = { path = "../specwright/runtime" }
//!
//! [dev-dependencies]
//! specwright-runtime = { path = "../specwright/runtime", features = ["mock", "tracing"] }
//! ```
//!
//! A generated client re-exports this crate as `runtime`, and its common types at its root:
//! `bookshelf::Error` is this crate's [`Error`]. The quick start's `main` (not compiled here:
//! it needs the generated `bookshelf` crate):
//!
//! ```rust,ignore
//! use bookshelf::types::GetBookError;
//! use bookshelf::{Client, Error};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let api_key = std::env::var("BOOKSHELF_API_KEY")?;
//!     let client = Client::builder().api_key(api_key).build()?;
//!     match client.get_book(42).await {
//!         Ok(book) => println!("{} by {}", book.title, book.author),
//!         Err(Error::Api(refused)) => match refused.body {
//!             GetBookError::NotFound(problem) => println!("no such book: {}", problem.title),
//!             other => println!("refused with {}: {other:?}", refused.status),
//!         },
//!         Err(other) => return Err(other.into()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! What runs here: the builder holds the credentials, base URL, [limits](Limits), retries and
//! [hooks](Hooks); `get_book` returns a [`Call`], a future that, when first awaited, sends
//! the request, retrying where it may; the answer is a
//! [`Response`], which dereferences to the decoded body, or an [`Error`], whose `Api` variant
//! holds an [`ApiError`] with the operation's typed error body. Per-call settings are
//! [`RequestOptions`].
//!
//! # Features
//!
//! - `client` (default): the HTTP side (reqwest 0.13 over rustls, tokio): `HttpClient`,
//!   `Error`, `Response`, retries, pagination, streams of events ([`Events`]). Without it,
//!   what generated types need and no more, for crates generated with `--types-only`;
//! - `tracing`: one span per call, with the operation, method, path template, status, attempt
//!   and duration, and an event for every retry;
//! - `mock`: the generated clients' `mock` modules, typed helpers on a
//!   [wiremock](https://docs.rs/wiremock) server (see `mock`);
//! - `decimal`: `format: decimal` strings as `rust_decimal::Decimal`, and decimal numbers
//!   (`format: decimal`, or every `type: number` with `--decimal`) as [`DecimalNumber`], kept
//!   digit for digit;
//! - `schemars`: JSON Schemas of the runtime's types, for `--derive schemars::JsonSchema`;
//! - `chrono`, `time`, `jiff`: date-times and dates in that crate's types, for clients
//!   generated with `--datetime chrono` (or `time`, `jiff`); see [`Moment`];
//! - `webhooks`: webhook requests' signatures verified (and, for mocks, made): Standard
//!   Webhooks and GitHub's `X-Hub-Signature-256`, in `webhooks`;
//! - `middleware`: the user's own `reqwest-middleware` layers on every request (a generated
//!   `ClientBuilder::middleware`), inside the client's policy; the runtime's retries are then
//!   off unless `max_retries` is set.

#[cfg(feature = "chrono")]
pub mod chrono;
#[cfg(feature = "client")]
mod config;
#[cfg(feature = "client")]
mod credentials;
mod datetime;
#[cfg(feature = "decimal")]
mod decimal;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod events;
mod fields;
mod formats;
mod headers;
#[cfg(feature = "jiff")]
pub mod jiff;
#[cfg(feature = "mock")]
pub mod mock;
mod moment;
mod multipart;
mod object;
#[cfg(feature = "client")]
mod pagination;
#[cfg(feature = "client")]
mod request;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "schemars")]
mod schema;
#[cfg(feature = "source")]
#[doc(hidden)]
pub mod source;
mod text;
#[cfg(feature = "time")]
pub mod time;
#[cfg(feature = "client")]
mod tls;
#[cfg(feature = "client")]
mod trace;
#[cfg(feature = "client")]
mod transport;
mod unions;
mod validation;
#[cfg(feature = "webhooks")]
pub mod webhooks;

use std::collections::BTreeMap;

pub use datetime::{Date, DateTime, DateTimeError};
#[cfg(feature = "decimal")]
pub use decimal::{Decimal, DecimalNumber};
pub use fields::UnknownFields;
pub use formats::{Base64, Format, FormatError, Lenient};
pub use headers::HeaderError;
pub use moment::Moment;
pub use multipart::File;
/// The derives on generated structs and enums: their JSON form, read from the type.
pub use specwright_macros::{Enum, Object};
pub use validation::{Validate, ValidationError};

#[cfg(feature = "client")]
pub use config::{
    BuildError, DEFAULT_MAX_BODY_SIZE, Hooks, Limits, RequestHook, RequestOptions, ResponseHook,
    ResponseInfo, Sleep,
};
#[cfg(feature = "client")]
pub use credentials::{
    ClientAuth, ClientCredentials, Credential, CredentialError, CredentialFailure,
    CredentialFuture, CredentialProvider, OAuthError, RefreshToken,
};
#[cfg(feature = "client")]
pub use error::{ApiError, DecodeError, Error, RawResponse, TimeLimit, TimeoutError};
#[cfg(feature = "client")]
pub use events::{Event, EventError, EventParser, Events, RawEvent, RecordParser, TooLarge};
#[cfg(feature = "client")]
pub use pagination::MAX_EMPTY_PAGES;
#[cfg(feature = "client")]
pub use response::{BodyError, BodyStream, Response};
#[cfg(feature = "client")]
pub use transport::{Call, EventsCall, StreamCall};

pub use http::{HeaderMap, Method, StatusCode};
pub use serde_json::Value;
pub use uuid::Uuid;

/// The HTTP side's crates, re-exported like the others (feature `client`).
#[cfg(feature = "client")]
pub use bytes::Bytes;
/// The middleware crate a generated `ClientBuilder::middleware` takes layers of (feature
/// `middleware`).
#[cfg(feature = "middleware")]
pub use reqwest_middleware;
/// The rustls reqwest builds on, for a program to choose its TLS cryptography with (see
/// a generated `ClientBuilder::http_client`) without naming a version of its own.
#[cfg(feature = "client")]
pub use rustls;
#[cfg(feature = "client")]
pub use {futures_util, reqwest};
/// The crates generated code reaches through this one, so that a consumer's own versions of
/// them never clash with the client's. Generated types derive with
/// `#[serde(crate = "runtime::serde")]`.
pub use {serde, serde_json, uuid};

/// A JSON object with arbitrary keys, in a stable order.
pub type Map<T> = BTreeMap<String, T>;

/// The body of a generated client's `mock` module: the items as written when the `mock`
/// feature is on, nothing otherwise. A generated crate (or a `build.rs` consumer) thus gets
/// its mocks by turning on this crate's `mock` feature, in `[dev-dependencies]` for tests only.
#[cfg(feature = "mock")]
#[doc(hidden)]
#[macro_export]
macro_rules! mock_items {
    ($($item:item)*) => { $($item)* };
}

/// The body of a generated client's `mock` module: the items as written when the `mock`
/// feature is on, nothing otherwise. Matched as bare tokens, not parsed as items: a client of
/// thousands of operations has a million lines of mocks to skip.
#[cfg(not(feature = "mock"))]
#[doc(hidden)]
#[macro_export]
macro_rules! mock_items {
    ($($tokens:tt)*) => {};
}

/// The body of a generated `webhooks` module: the items as written when the `webhooks`
/// feature is on (its signature checks need `hmac` and `sha2`), nothing otherwise.
#[cfg(feature = "webhooks")]
#[doc(hidden)]
#[macro_export]
macro_rules! webhook_items {
    ($($item:item)*) => { $($item)* };
}

/// The body of a generated `webhooks` module: nothing, as the `webhooks` feature is off.
#[cfg(not(feature = "webhooks"))]
#[doc(hidden)]
#[macro_export]
macro_rules! webhook_items {
    ($($tokens:tt)*) => {};
}

/// Items of a generated `ClientBuilder` that need the `middleware` feature: its `middleware`
/// method, when the feature is on.
#[cfg(feature = "middleware")]
#[doc(hidden)]
#[macro_export]
macro_rules! middleware_items {
    ($($item:item)*) => { $($item)* };
}

/// Items of a generated `ClientBuilder` that need the `middleware` feature: nothing, as it
/// is off.
#[cfg(not(feature = "middleware"))]
#[doc(hidden)]
#[macro_export]
macro_rules! middleware_items {
    ($($tokens:tt)*) => {};
}

/// Declares, in generated code, a runtime feature the code needs: expands to nothing when the
/// feature is on, and otherwise to a compile error that names the feature to turn on (rather
/// than leaving the user with "could not find `chrono` in `runtime`").
macro_rules! requires_feature {
    ($($name:ident => $feature:literal,)*) => {$(
        #[cfg(feature = $feature)]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! $name {
            () => {};
        }

        #[cfg(not(feature = $feature))]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! $name {
            () => {
                compile_error!(concat!(
                    "this client needs the `", $feature,
                    "` feature of `specwright-runtime`: turn it on where the runtime is a dependency"
                ));
            };
        }
    )*};
}

requires_feature! {
    requires_decimal => "decimal",
    requires_schemars => "schemars",
    requires_chrono => "chrono",
    requires_time => "time",
    requires_jiff => "jiff",
}

/// What generated code calls and users never name, out of the documented API (serde's own
/// `__private` is the model): its items may change with any release of the generator.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "client")]
    pub use crate::config::{Carrier, ClientConfig, SecurityScheme};
    #[cfg(feature = "client")]
    pub use crate::events::{Framing, json_data, text_data};
    pub use crate::fields::double_option;
    pub use crate::headers::{optional_header, required_header};
    pub use crate::multipart::{Multipart, MultipartBody};
    pub use crate::object::{
        Key, Object, ObjectWriter, Rest, deserialize_object, field, missing, skip,
    };
    #[cfg(feature = "client")]
    pub use crate::pagination::{Next, items, link_next, page_of, pages};
    #[cfg(feature = "client")]
    pub use crate::request::{QueryString, QueryStyle, Request, extension_method, path_segment};
    #[cfg(feature = "client")]
    pub use crate::response::Received;
    #[cfg(feature = "client")]
    pub use crate::transport::{HttpClient, retry_after, should_retry};
    pub use crate::unions::{decode_untagged, serialize_tagged, without_property};
    pub use crate::validation::{Constrained, Constraints, join};
}
