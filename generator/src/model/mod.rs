//! Model: a resolved, named description of an API's types and operations.
//!
//! Every `$ref` is resolved to a [`TypeId`], every name is a valid and unique Rust identifier
//! (the wire name is kept beside it), and inline schemas are named from where they sit. The
//! model holds no Rust syntax: emission decides how each item is written.

mod analysis;
mod customize;
mod dedup;
pub(crate) mod features;
mod names;
mod operations;
pub mod pagination;
mod schemas;
mod view;

use foldhash::{HashMap, HashMapExt as _};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::{Diagnostic, Error, pointer_push};
use crate::load::{PathItems, WebhookItem};
use crate::options::Options;

pub use names::{cannot_be_raw, is_keyword};
pub use pagination::Pagination;

pub type TypeId = usize;

pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub default_server: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Structs of documented response headers.
    pub header_types: Vec<ResponseHeaders>,
    pub webhooks: Webhooks,
    /// One Cargo feature per tag, sorted: a crate that turns on only some of them compiles
    /// only their operations and the types those use.
    pub features: Vec<String>,
    /// The tags the document declares, in its order, when any has what OpenAPI 3.2 adds (a
    /// summary, a parent, a kind) to show; else none.
    pub tags: Vec<Tag>,
    /// How deep types nest inside one another (see [`analysis::nesting_depth`]).
    pub nesting: usize,
    /// What the user chose about the generated code; emission reads it.
    pub options: Options,
    /// The runtime's items re-exported at the client's root.
    pub root_exports: RootExports,
    /// Whether the API has decimals (`format: decimal`, `--decimal`), which need the runtime's
    /// `decimal` feature.
    pub uses_decimals: bool,
}

/// The runtime's items a caller names most, re-exported at the client's root, by `use` line.
/// An item named like a type in `types` is left out (Zenskar's `types::ValidationError`
/// beside `runtime::ValidationError`): `client::ValidationError` would read as the schema
/// while being another type. It is still `runtime::ValidationError`, which the generated code
/// then writes.
pub struct RootExports {
    /// The types of values, from the runtime's root.
    pub values: Vec<&'static str>,
    /// The types of calls (with a client), from the runtime's root.
    pub calls: Vec<&'static str>,
    /// The date-time types, from the runtime's root.
    pub dates: Vec<&'static str>,
    /// The date-time backend's `Date` and `DateTime`, from its module of the runtime.
    pub backend_dates: Vec<&'static str>,
}

impl RootExports {
    fn new(options: &Options, taken: &std::collections::BTreeSet<String>) -> Self {
        let free = |names: &[&'static str]| -> Vec<&'static str> {
            names
                .iter()
                .copied()
                .filter(|name| !taken.contains(*name))
                .collect()
        };
        let calls: &[&str] = match options.types_only {
            true => &[],
            false => &[
                "ApiError",
                "BodyStream",
                "BuildError",
                "DecodeError",
                "Error",
                "RawResponse",
                "RequestOptions",
                "Response",
                "ResponseInfo",
                "TimeLimit",
                "TimeoutError",
            ],
        };
        let (dates, backend_dates): (&[&str], &[&str]) = match options.datetime.runtime_feature() {
            None => (&["DateTime"], &[]),
            Some(_) => (&["Moment"], &["Date", "DateTime"]),
        };
        Self {
            values: free(&[
                "FormatError",
                "Lenient",
                "UnknownFields",
                "Uuid",
                "ValidationError",
                "Value",
            ]),
            calls: free(calls),
            dates: free(dates),
            backend_dates: free(backend_dates),
        }
    }

    /// Whether the root holds the runtime's `name`, which root code may then write bare.
    pub fn has(&self, name: &str) -> bool {
        [&self.values, &self.calls, &self.dates, &self.backend_dates]
            .iter()
            .any(|names| names.contains(&name))
    }
}

pub struct TypeDef {
    pub name: String,
    /// JSON pointer of the schema the type was made from.
    pub origin: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// The schema itself admits `null`, so every use of the type does.
    pub nullable: bool,
    /// Reachable from a request body: optional and nullable fields then keep "absent" and
    /// "null" apart, because a server may treat them differently.
    pub in_request: bool,
    /// Holds constraints (directly or in a field's type) to check before sending.
    pub needs_validation: bool,
    /// Sample JSON documented for this schema.
    pub examples: Vec<serde_json::Value>,
    /// Sent as a `multipart/form-data` body, so it also knows how to become parts.
    pub multipart: bool,
    /// The Cargo features (any one of them) that compile this type in; `None`: always.
    pub features: Option<Vec<String>>,
    /// An alias that contains itself through lists or maps (`A: {type: array, items: A}`),
    /// which a Rust type alias cannot: it is a struct wrapping its target instead.
    pub newtype: bool,
    /// Holds a type the user replaced (`--replace`), of which nothing but serde's traits may
    /// be assumed: this type derives only those (and what the user asks for).
    pub holds_external: bool,
    /// The user's own derives for this type (`--derive`), as paths.
    pub derives: Vec<String>,
    /// The user's own attributes for this type (`--attribute`), as written.
    pub attributes: Vec<String>,
}

impl TypeDef {
    /// `name`, made from the schema at `origin`, as an alias of `target`, with nothing else
    /// said of it.
    pub fn alias(name: String, origin: String, target: TypeRef) -> Self {
        Self {
            name,
            origin,
            description: None,
            kind: TypeKind::Alias(target),
            nullable: false,
            in_request: false,
            needs_validation: false,
            examples: Vec::new(),
            multipart: false,
            features: None,
            newtype: false,
            holds_external: false,
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }
}

pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enumeration; values outside the list are kept in the `other` variant.
    Enum {
        variants: Vec<EnumVariant>,
        other: String,
        /// Integer values (`wire_value` holds the number's text) rather than strings.
        integer: bool,
    },
    /// Exactly one of several shapes: told apart by the `discriminator` property's value
    /// when there is one (unknown values are kept), else by trying them in order.
    Union {
        variants: Vec<UnionVariant>,
        discriminator: Option<Discriminator>,
    },
    Alias(TypeRef),
    /// A schema the user replaced with a type of their own (`--replace`): its Rust path.
    /// Nothing is generated for it, and nothing asks more of it than serde's traits.
    External(String),
}

pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Indirection needed because the field's type contains its owner.
    pub boxed: bool,
    /// The object's `additionalProperties`: a map holding every key not named by a property.
    pub flatten: bool,
    pub description: Option<String>,
    pub constraints: Constraints,
    pub deprecated: bool,
    /// Set by the server and not sent back (`readOnly`); never required in requests.
    pub read_only: bool,
    /// Sent but never returned (`writeOnly`); never required in responses.
    pub write_only: bool,
    /// The value the server assumes when the field is left out.
    pub default: Option<serde_json::Value>,
    /// The `pattern` the spec gives for its text (documented, not checked).
    pub pattern: Option<String>,
}

pub struct EnumVariant {
    pub name: String,
    pub wire_value: String,
    pub description: Option<String>,
}

pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// The discriminator values that select this variant.
    pub tags: Vec<String>,
    /// The variant's type leaves the discriminator property out (it was written inline for
    /// this union alone, so its one tag value says nothing); the union reads and writes it.
    pub tag_outside: bool,
}

pub struct Discriminator {
    /// The property whose value names the variant.
    pub property: String,
    /// The variant that holds values with a tag no variant claims.
    pub other: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// A list item or map value that may be `null`.
    Nullable(Box<TypeRef>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    /// Any `type: integer`, `i64`: `format: int32` is an annotation, and a server that sends a
    /// larger value must not cost the caller the response.
    Integer,
    /// Any `type: number`, `f64`: `format: float` too, since `f32` would change the decimal
    /// value it re-encodes (`0.1` becomes `0.10000000149011612`).
    Number,
    /// A decimal written as a string (`type: string, format: decimal`): `rust_decimal::Decimal`,
    /// lenient like the other parsed formats.
    Decimal,
    /// A decimal written as a JSON number (`format: decimal`, or any `type: number` with
    /// `--decimal`), kept digit for digit.
    DecimalNumber,
    Boolean,
    Uuid,
    DateTime,
    /// A calendar date (`format: date`).
    Date,
    /// Bytes written in base64 in JSON (`format: byte`).
    Base64,
    /// A file: a `format: binary` string, sent as a file part of a multipart body.
    File,
    /// Any JSON value: the schema says nothing about its shape.
    Any,
    /// Raw bytes: a whole non-JSON body, such as a file upload or download.
    Bytes,
    /// The properties of an object that its schema does not declare, kept in the order
    /// received: a struct's catch-all, so that re-encoding loses nothing.
    UnknownFields,
}

impl Primitive {
    /// A string in a `format` the client parses: decoded leniently (`runtime::Lenient`), since
    /// a value that breaks only its format is still valid JSON Schema.
    pub fn is_parsed_format(self) -> bool {
        matches!(
            self,
            Self::Uuid | Self::DateTime | Self::Date | Self::Base64 | Self::Decimal
        )
    }
}

/// How a body travels: its media type's family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: an object's fields as parts, files among them.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: `application/octet-stream`, images, PDFs, `*/*`.
    Binary,
}

/// JSON Schema validation keywords that the client checks before sending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The keywords that apply to values of `ty`: specs put `maxLength` on numbers and
    /// `minimum` on untyped schemas, which JSON Schema ignores, and so does the client.
    pub fn applicable_to(&self, ty: &TypeRef) -> Self {
        match ty {
            TypeRef::Primitive(
                Primitive::String
                | Primitive::Uuid
                | Primitive::DateTime
                | Primitive::Date
                | Primitive::Decimal,
            ) => Self {
                min_length: self.min_length,
                max_length: self.max_length,
                ..Self::default()
            },
            TypeRef::Primitive(
                Primitive::Integer | Primitive::Number | Primitive::DecimalNumber,
            ) => Self {
                minimum: self.minimum,
                maximum: self.maximum,
                ..Self::default()
            },
            TypeRef::Array(_) => Self {
                min_items: self.min_items,
                max_items: self.max_items,
                ..Self::default()
            },
            _ => Self::default(),
        }
    }
}

pub struct Operation {
    /// The method's name, snake case.
    pub name: String,
    /// The spec's `operationId`, else the method's name: what tracing calls the operation.
    pub operation_id: String,
    /// Its names in the `mock` module.
    pub mock: MockNames,
    /// The struct holding query and header parameters, when there are any.
    pub params_type: Option<String>,
    /// The enum of documented error responses.
    pub error_type: String,
    /// The enum of success responses, when there is more than one kind.
    pub response_type: Option<String>,
    pub method: String,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives, each a set of schemes (indexes into [`Api::security_schemes`]) that must
    /// all be sent. Empty: no credentials.
    pub security: Vec<Vec<usize>>,
    /// How the operation pages through a list, when it does.
    pub pagination: Option<Pagination>,
    /// A success read as a stream of events or records, when one is documented.
    pub stream: Option<EventStream>,
    /// The `Accept` header: the media types the operation's documented responses are read
    /// as (the stream's aside), when it documents any.
    pub accept: Option<String>,
    /// For a list operation, how it pages or why it has no paginator, for
    /// `--explain-pagination`.
    pub paging_note: Option<String>,
    /// The spec's tags, in its order.
    pub tags: Vec<String>,
    /// The Cargo features (any one of them) that compile this operation in; `None`: always.
    pub features: Option<Vec<String>>,
    /// An earlier operation's parameter struct that is the same as this one's, which
    /// `params_type` then names an alias of.
    pub params_same_as: Option<String>,
    /// The name of the parameter struct this operation shares with later ones, when it is
    /// named for what they share: the struct is emitted under it, `params_type` an alias.
    pub params_shared_name: Option<String>,
    /// The error enum this one's is the same as, emitted by an earlier operation.
    pub error_same_as: Option<String>,
    /// The name of the error enum this operation shares with later ones, when it is named for
    /// what they share: the enum is emitted under it, and `error_type` is an alias of it.
    pub error_shared_name: Option<String>,
    /// The later operations whose error enums are aliases of this one's, in order.
    pub error_shared_by: Vec<String>,
}

/// A success response read as it arrives: server-sent events, JSON Lines or a JSON text
/// sequence, each item typed.
pub struct EventStream {
    pub framing: StreamFraming,
    /// Each event's data, or each record.
    pub item: TypeRef,
    /// The client method: the operation's own name when it has no other success form, else
    /// `{name}_stream` beside the method that reads the other form.
    pub name: String,
    /// Whether the operation has no other success form, so that its method is the stream.
    pub only: bool,
    /// The request body's boolean property that asks for the stream form (OpenAI's `stream`).
    pub flag: Option<String>,
    /// The `Accept` header of the stream method.
    pub accept: String,
    /// The status the stream comes with.
    pub status: u16,
}

impl EventStream {
    /// Whether each item is text as it came (no schema, or a string one), not JSON.
    pub fn is_text(&self) -> bool {
        self.item == TypeRef::Primitive(Primitive::String)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFraming {
    /// `text/event-stream`.
    Events,
    /// `application/jsonl`, `application/x-ndjson`, `application/x-jsonlines`.
    Lines,
    /// `application/json-seq` (RFC 7464).
    Sequence,
}

/// The names of one operation's mock builder (in the `mock` module) and of its methods.
pub struct MockNames {
    /// The builder type.
    pub builder: String,
    /// The method that fixes each parameter's value, by index in [`Operation::params`].
    pub params: Vec<String>,
    /// The method that answers with each response, by index in [`Operation::responses`].
    pub responses: Vec<String>,
}

pub enum PathSegment {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    /// A query parameter, serialized in this style.
    Query(QueryStyle),
    /// The whole query string (OpenAPI 3.2's `in: querystring`), written as this says.
    QueryString(QueryString),
    Header,
    Cookie,
}

/// How an `in: querystring` parameter writes the whole query string, by its media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryString {
    /// `application/x-www-form-urlencoded`: an object's properties are the query's pairs.
    Form,
    /// JSON: the value's JSON text, percent-encoded.
    Json,
    /// `text/*`: the text itself, percent-encoded.
    Text,
}

/// How a query parameter's arrays and objects are written (OpenAPI's `style` and `explode`).
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

pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    pub constraints: Constraints,
    /// The value the server assumes when the parameter is left out.
    pub default: Option<serde_json::Value>,
    /// The `pattern` the spec gives for its text (documented, not checked).
    pub pattern: Option<String>,
}

/// The requests the API sends to its users, and how a receiver tells which event each is.
#[derive(Default)]
pub struct Webhooks {
    pub events: Vec<Webhook>,
    /// The request header that names the event (GitHub's `X-GitHub-Event`), when every
    /// webhook documents its value.
    pub event_header: Option<String>,
    /// The payload property whose value tells apart the events that the header does not
    /// (GitHub's `action`), or all of them when there is no header (OpenAI's `type`).
    pub tag: Option<String>,
    /// The signature headers the webhooks document, as the spec spells them.
    pub signature_headers: Vec<String>,
}

/// One webhook: an event the API sends, with its payload.
pub struct Webhook {
    /// The spec's name of the event (the key under `webhooks`).
    pub name: String,
    /// The variant of the `Event` enum.
    pub variant: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The JSON payload's type; `None` when the body is not JSON (kept as bytes).
    pub payload: Option<TypeRef>,
    /// What the event header says for this event.
    pub header_value: Option<String>,
    /// What the payload's [`Webhooks::tag`] property says for this event.
    pub tag_value: Option<String>,
    pub examples: Vec<serde_json::Value>,
    /// JSON pointer of the payload's schema, which the examples are samples of.
    pub schema_pointer: String,
}

pub struct RequestBody {
    pub kind: BodyKind,
    pub ty: TypeRef,
    pub required: bool,
    pub media_type: String,
    pub description: Option<String>,
    pub examples: Vec<serde_json::Value>,
    /// JSON pointer of the body's schema, which the examples are samples of.
    pub schema_pointer: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` and the like: the hundreds digit.
    Range(u16),
    Default,
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        match self {
            Self::Code(code) => (200..400).contains(&code),
            Self::Range(hundreds) => hundreds == 2 || hundreds == 3,
            Self::Default => false,
        }
    }
}

pub struct Response {
    pub status: StatusMatch,
    /// The media type the body is read as, when it has one.
    pub media_type: Option<String>,
    /// Name of the variant in the operation's response or error enum.
    pub variant: String,
    /// The short summary OpenAPI 3.2 adds beside the description.
    pub summary: Option<String>,
    pub description: String,
    pub kind: BodyKind,
    pub body: Option<TypeRef>,
    pub examples: Vec<serde_json::Value>,
    /// JSON pointer of the body's schema, which the examples are samples of.
    pub schema_pointer: String,
    /// The struct (an index into [`Api::header_types`]) holding the response headers the
    /// spec documents.
    pub headers: Option<usize>,
}

pub struct ResponseHeaders {
    /// The struct's name.
    pub type_name: String,
    pub fields: Vec<HeaderField>,
    /// The Cargo features (any one of them) that compile this struct in; `None`: always.
    pub features: Option<Vec<String>>,
}

pub struct HeaderField {
    pub name: String,
    /// The header's name, lower case.
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub key: String,
    /// Snake-case name for the client's setter.
    pub name: String,
    /// The setter that takes a `CredentialProvider` instead of a value.
    pub provider_setter: String,
    /// The setter of an OAuth 2 client id and secret, for a `clientCredentials` flow.
    pub client_credentials_setter: Option<String>,
    /// The setter of a refresh token, for a flow whose tokens a refresh token renews.
    pub refresh_token_setter: Option<String>,
    pub description: Option<String>,
    pub carrier: Carrier,
    /// Where an OAuth 2 token is obtained, as far as OpenAPI 3.2 adds to what the spec says.
    pub oauth: OAuthNotes,
}

/// What OpenAPI 3.2 says of where an OAuth 2 scheme's token comes from: the caller obtains
/// it, and these say where.
#[derive(Default)]
pub struct OAuthNotes {
    /// The authorization server's metadata (RFC 8414), `oauth2MetadataUrl`.
    pub metadata_url: Option<String>,
    /// The device authorization flow (RFC 8628): its device authorization and token URLs.
    pub device_authorization: Option<(String, String)>,
    /// The `clientCredentials` flow's `tokenUrl`, as the spec writes it (maybe relative to
    /// the server).
    pub client_credentials_url: Option<String>,
    /// The `tokenUrl` where a refresh token is redeemed: the `authorizationCode` flow's, else
    /// the `password` flow's, else the device flow's.
    pub refresh_url: Option<String>,
    /// The scopes the operations ask of this scheme, in the order the spec first names them:
    /// a client's own token is asked for all of them.
    pub scopes: Vec<String>,
}

/// A tag the document declares, for the docs: OpenAPI 3.2 gives tags a summary, a parent to
/// nest under and a kind.
pub struct Tag {
    pub name: String,
    pub summary: Option<String>,
    /// The tag this one is nested under, an index into [`Api::tags`].
    pub parent: Option<usize>,
    pub kind: Option<String>,
    /// The Cargo feature of the tag's operations (standalone crates whose operations use it).
    pub feature: Option<String>,
}

/// How a credential travels with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// An API key in the named header.
    Header(String),
    /// An API key in the named query parameter.
    Query(String),
    /// An API key in the named cookie.
    Cookie(String),
    /// `Authorization: Bearer <token>`: http bearer, and OAuth 2 and OpenID Connect with a
    /// token the caller obtained.
    Bearer,
    /// `Authorization: Basic ...` from a user name and password.
    Basic,
}

/// The name in `#/components/{section}/{name}`, with JSON pointer and URI escapes undone.
pub(crate) fn component_key(reference: &str, section: &str) -> Option<String> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    let name = crate::load::percent_decode(name);
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// Where a `$ref` (or an item written in place) leads, through one section of `#/components`.
pub(crate) enum Followed<'d, T> {
    /// The item, and the JSON pointer it sits at.
    Item(&'d T, String),
    /// A reference that names no entry of the section, and the pointer where it is written:
    /// the component that passes it on when it ends a chain.
    Missing(&'d str, String),
    /// The chain comes back to a component it has passed: an error at its start.
    Cycle(Diagnostic),
}

/// Follows `item` through `#/components/{section}` (whose entries are `entries`) until it
/// reaches something that is not a `$ref`: a component may itself be a `$ref` to another of
/// its section. Each hop goes to an entry not yet passed, so the walk ends within the
/// section's length.
pub(crate) fn follow<'d, T>(
    item: &'d ReferenceOr<T>,
    at: String,
    section: &str,
    entries: Option<&'d IndexMap<String, ReferenceOr<T>>>,
) -> Followed<'d, T> {
    match item {
        ReferenceOr::Item(item) => Followed::Item(item, at),
        ReferenceOr::Reference { reference } => follow_reference(reference, at, section, entries),
    }
}

/// [`follow`] from a `$ref` written at `at`.
pub(crate) fn follow_reference<'d, T>(
    reference: &'d str,
    at: String,
    section: &str,
    entries: Option<&'d IndexMap<String, ReferenceOr<T>>>,
) -> Followed<'d, T> {
    let section_pointer = format!("/components/{section}");
    let start = reference;
    let mut passed: Vec<&str> = Vec::new();
    let mut position_of: HashMap<usize, usize> = HashMap::new();
    let (mut reference, mut written_at) = (reference, at.clone());
    loop {
        let found = component_key(reference, section).and_then(|key| entries?.get_full(&key));
        let Some((index, key, entry)) = found else {
            return Followed::Missing(reference, written_at);
        };
        passed.push(reference);
        if let Some(&first) = position_of.get(&index) {
            let cycle = passed.get(first..).unwrap_or_default().join(" -> ");
            return Followed::Cycle(Diagnostic::error(
                at,
                format!(
                    "`$ref: {start}` leads into a cycle of references that names nothing: {cycle}"
                ),
            ));
        }
        position_of.insert(index, passed.len() - 1);
        let pointer = pointer_push(&section_pointer, key);
        match entry {
            ReferenceOr::Item(item) => return Followed::Item(item, pointer),
            ReferenceOr::Reference { reference: next } => {
                reference = next;
                written_at = pointer;
            }
        }
    }
}

/// Every name the `types` module holds: the schemas' types and each operation's own.
fn type_module_names(
    types: &[TypeDef],
    operations: &[Operation],
    header_types: &[ResponseHeaders],
) -> std::collections::BTreeSet<String> {
    let operation_names = operations.iter().flat_map(|operation| {
        [
            operation.params_type.as_deref(),
            operation.params_shared_name.as_deref(),
            Some(operation.error_type.as_str()),
            operation.error_shared_name.as_deref(),
            operation.response_type.as_deref(),
        ]
        .into_iter()
        .flatten()
    });
    types
        .iter()
        .map(|def| def.name.as_str())
        .chain(operation_names)
        .chain(
            header_types
                .iter()
                .map(|headers| headers.type_name.as_str()),
        )
        .map(str::to_owned)
        .collect()
}

/// A server's URL with each `{variable}` replaced by its default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// Builds the model, or reports every problem that prevents it. With `per_tag_features`,
/// operations and types are assigned the Cargo features of their tags.
pub fn build(
    document: &OpenAPI,
    paths: PathItems,
    webhooks: Vec<WebhookItem>,
    per_tag_features: bool,
    options: &Options,
) -> Result<(Api, Vec<Diagnostic>), Error> {
    let mut diagnostics = Vec::new();
    let mut types = schemas::TypeBuilder::new(document, &mut diagnostics, options.decimal);
    types.declare_components();
    let (mut operations, security_schemes, mut header_types, mut webhooks) = operations::build(
        document,
        (paths, webhooks),
        &mut types,
        &options.pagination,
        &options.stream_flags,
    );
    let mut type_defs = types.finish();
    // Before `dedup`, which may make the enums that fix a tag aliases of others.
    operations::tell_webhooks_apart(&mut webhooks, &type_defs);
    // Before `dedup`: a replaced schema is no longer the shape it was, so nothing merges with it.
    customize::replace(&mut type_defs, options, &mut diagnostics);
    let kept_names = dedup::merge_identical(&mut type_defs, &mut operations, &mut header_types);
    analysis::analyse(&mut type_defs, &operations, &mut diagnostics);
    let nesting = analysis::nesting_depth(&type_defs);
    customize::mark_external_holders(&mut type_defs);
    customize::derives(&mut type_defs, options, &mut diagnostics);
    customize::attributes(&mut type_defs, options, &mut diagnostics);
    let tags = features::tags(document, &operations, per_tag_features, &mut diagnostics);
    let features = if per_tag_features {
        features::assign(
            &mut type_defs,
            &mut operations,
            &mut header_types,
            &webhooks,
        )
    } else {
        Vec::new()
    };
    for (alias, target) in kept_names {
        let features = type_defs.get(target).and_then(|def| def.features.clone());
        if let Some(def) = type_defs.get_mut(alias) {
            def.features = features;
        }
    }
    dedup::share_operation_types(&mut operations, &type_defs, &header_types);
    // A schema reached along several paths (a property of a component that several `allOf`s
    // include) is looked at more than once; its findings are reported once.
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.pointer.clone(), d.message.clone())));
    if diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == crate::diagnostics::Severity::Error)
    {
        return Err(Error { diagnostics });
    }
    let uses_decimals = customize::uses_decimals(&type_defs, &operations, &header_types);
    let root_exports = RootExports::new(
        options,
        &type_module_names(&type_defs, &operations, &header_types),
    );
    let api = Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        default_server: document.servers.first().map(server_url),
        types: type_defs,
        operations,
        security_schemes,
        header_types,
        webhooks,
        features,
        tags,
        nesting,
        uses_decimals,
        root_exports,
        options: options.clone(),
    };
    Ok((api, diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(to: &str) -> ReferenceOr<u8> {
        ReferenceOr::Reference {
            reference: format!("#/components/examples/{to}"),
        }
    }

    #[test]
    fn chains_are_followed_to_their_end_and_loops_named() {
        let entries: IndexMap<String, ReferenceOr<u8>> = [
            ("A", reference("B")),
            ("B", reference("C~1d")),
            ("C/d", ReferenceOr::Item(7)),
            ("Loop", reference("Round")),
            ("Round", reference("Loop")),
            ("Dangling", reference("Nothing")),
        ]
        .into_iter()
        .map(|(key, entry)| (key.to_owned(), entry))
        .collect();
        let follow =
            |to: &'static str| follow_reference(to, "/at".into(), "examples", Some(&entries));
        match follow("#/components/examples/A") {
            Followed::Item(item, at) => {
                assert_eq!((*item, at.as_str()), (7, "/components/examples/C~1d"))
            }
            _ => panic!("A leads to C/d"),
        }
        match follow("#/components/examples/Dangling") {
            Followed::Missing(reference, at) => assert_eq!(
                (reference, at.as_str()),
                (
                    "#/components/examples/Nothing",
                    "/components/examples/Dangling"
                )
            ),
            _ => panic!("Dangling leads nowhere"),
        }
        match follow("#/components/examples/Round") {
            Followed::Cycle(fault) => {
                assert_eq!(fault.pointer, "/at");
                assert!(
                    fault.message.ends_with(
                        "#/components/examples/Round -> #/components/examples/Loop -> #/components/examples/Round"
                    ),
                    "{}",
                    fault.message
                );
            }
            _ => panic!("Round goes round"),
        }
    }
}
