//! Paths and operations to [`Operation`]s: parameters, bodies, responses and security.

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt as _};
use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody as SpecRequestBody, Response as SpecResponse, Schema, SecurityRequirement,
    StatusCode,
};

use super::Followed;
use super::names::{self, Namespace};
use super::pagination::{Decision, Extensions, Finder, PageScheme};
use super::schemas::TypeBuilder;
use super::{
    BodyKind, Carrier, EventStream, HeaderField, MockNames, OAuthNotes, Operation, Pagination,
    Param, ParamLocation, PathSegment, Primitive, QueryString, QueryStyle, RequestBody, Response,
    ResponseHeaders, SecurityScheme, StatusMatch, StreamFraming, TypeRef, Webhooks,
};
use crate::diagnostics::{Diagnostic, pointer_push};
use crate::load::{
    DEVICE_AUTHORIZATION_EXTENSION, ITEM_SCHEMA_EXTENSION, OAUTH2_METADATA_EXTENSION, PathItems,
    QUERYSTRING_EXTENSION, SUMMARY_EXTENSION, WebhookItem,
};
use crate::media_type::essence;
use crate::options::{PagingRule, StreamFlag};

mod webhooks;

pub use webhooks::tell_webhooks_apart;

/// The operations, security schemes, response header structs and webhooks of a document.
pub type Built = (
    Vec<Operation>,
    Vec<SecurityScheme>,
    Vec<ResponseHeaders>,
    Webhooks,
);

pub fn build<'a>(
    document: &'a OpenAPI,
    (paths, webhook_items): (PathItems, Vec<WebhookItem>),
    types: &mut TypeBuilder<'a>,
    paging_rules: &[PagingRule],
    stream_flags: &[StreamFlag],
) -> Built {
    let (mut security_schemes, scheme_keys) = security_schemes(document, types);
    let mut builder = OperationBuilder {
        document,
        near_miss: None,
        types,
        paging_rules,
        stream_flags,
        scheme_scopes: security_schemes.iter().map(|_| Vec::new()).collect(),
        scheme_keys,
        header_types: Vec::new(),
        header_types_by_response: HashMap::new(),
        mock_builders: Namespace::default(),
    };
    // Operations are named before any is built, as a name taken exactly wins over one that
    // only converts to it; those without an id are named from method and path, which never
    // match exactly.
    let listed = paths.operations();
    let wanted: Vec<String> = listed
        .iter()
        .flatten()
        .map(|listed| match listed.operation_id {
            Some(id) => id.to_owned(),
            None => format!("{} {}", listed.method, listed.path),
        })
        .collect();
    let counts: Vec<usize> = listed.iter().map(Vec::len).collect();
    let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let mut method_names = Namespace::with_reserved(&["new", "builder", "base_url"], "");
    let mut names = names::claim_exact_first(&mut method_names, &wanted, |wire| {
        names::field_name(wire, "operation")
    });
    let mut operations = Vec::new();
    let mut near_misses = Vec::new();
    // Each path item is converted here and dropped once its operations are built. Its names
    // are taken first, so that an item that fails to convert leaves the others' in line.
    for ((path, item), count) in paths.into_items().zip(counts) {
        let mut item_names: VecDeque<String> = names.drain(..count.min(names.len())).collect();
        let item_pointer = pointer_push("/paths", &path);
        let item = match item {
            Ok(ReferenceOr::Item(item)) => item,
            Ok(ReferenceOr::Reference { reference }) => {
                builder.types.diagnostics.push(Diagnostic::warning(
                    item_pointer,
                    format!("path items given by `$ref` ({reference}) are not supported; skipped"),
                ));
                continue;
            }
            Err(fault) => {
                builder.types.diagnostics.push(fault);
                continue;
            }
        };
        if let Some((first, second)) = adjacent_parameters(&path) {
            // The client can fill both in, but what it sends cannot be split apart again.
            builder.types.diagnostics.push(Diagnostic::warning(
                &item_pointer,
                format!(
                    "the path template puts `{{{first}}}` and `{{{second}}}` side by side: \
                     nothing in the URL shows where one ends and the other begins"
                ),
            ));
        }
        for listed in &item.operations {
            let name = item_names.pop_front().unwrap_or_default();
            let site = Site {
                path: &path,
                method: listed.method(),
                item_pointer: &item_pointer,
                pointer: listed.pointer(&item_pointer),
            };
            let mut operation = builder.operation(name, &site, &listed.operation, &item.parameters);
            if let Some(pagination) = &mut operation.pagination {
                name_streams(&mut method_names, &operation.name, pagination);
            }
            if let Some(stream) = &mut operation.stream {
                // `send_message_stream` of an API that names its streaming call so keeps the
                // name for the form it reads whole, and its stream form reads as events.
                let suffix = if operation.name.ends_with("stream") {
                    "events"
                } else {
                    "stream"
                };
                stream.name = if stream.only {
                    operation.name.clone()
                } else {
                    method_names.claim(&format!("{}_{suffix}", operation.name))
                };
            }
            if let Some(miss) = builder.near_miss.take() {
                near_misses.push((operations.len(), miss));
            }
            operations.push(operation);
        }
    }
    // Sentry documents no `Link` header, yet every list of its pages by one: its bare lists'
    // guesses are evidence for its other lists that take a cursor and show no next one, each
    // still warned about as a guess.
    let by_link = operations.iter().any(|operation| {
        matches!(
            operation.pagination,
            Some(Pagination {
                scheme: PageScheme::Link,
                ..
            })
        )
    });
    for (index, miss) in near_misses {
        let Some(operation) = operations.get_mut(index) else {
            continue;
        };
        match miss.by_link.filter(|_| by_link) {
            Some(mut pagination) => {
                // A guess from the API's other lists: said, as every guess is.
                builder.types.diagnostics.push(Diagnostic::warning(
                    &miss.pointer,
                    format!(
                        "this list operation {}; it is paged by the `Link` header, as the \
                         API's other lists are, a guess: if it pages otherwise, declare it \
                         with `pagination`",
                        miss.why
                    ),
                ));
                name_streams(&mut method_names, &operation.name, &mut pagination);
                operation.paging_note = Some(format!(
                    "`Link` header, rel=\"next\", as the API's other lists page ({})",
                    miss.why
                ));
                operation.pagination = Some(*pagination);
            }
            None => builder.types.diagnostics.push(Diagnostic::warning(
                miss.pointer,
                format!(
                    "this list operation {}; no paginator (declare one with `pagination`)",
                    miss.why
                ),
            )),
        }
    }
    let webhooks = builder.webhooks(webhook_items);
    for (scheme, scopes) in security_schemes.iter_mut().zip(builder.scheme_scopes) {
        scheme.oauth.scopes = scopes;
    }
    (operations, security_schemes, builder.header_types, webhooks)
}

/// The client methods that stream a list's items and its pages.
fn name_streams(method_names: &mut Namespace, operation: &str, pagination: &mut Pagination) {
    pagination.stream_name = method_names.claim(&format!("{operation}_stream"));
    pagination.pages_name = method_names.claim(&format!("{operation}_pages"));
}

/// The names of an operation's mock builder's methods: `body` and `respond_with` are the
/// runtime's; each response is answered by `respond_` and its variant's name, each parameter
/// set by its own name.
fn mock_names(builder: &str, params: &[Param], responses: &[Response]) -> MockNames {
    let mut methods = Namespace::with_reserved(
        &["body", "respond_with", "respond_events", "respond_records"],
        "",
    );
    let responses = responses
        .iter()
        .map(|response| {
            let variant = names::field_name(&response.variant, "response");
            methods.claim(&format!("respond_{}", variant.trim_end_matches('_')))
        })
        .collect();
    let params = params
        .iter()
        .map(|param| methods.claim(&param.name))
        .collect();
    MockNames {
        builder: builder.to_owned(),
        params,
        responses,
    }
}

/// The first two parameters that a path template puts side by side, as in `/{name}{ext}`.
fn adjacent_parameters(path: &str) -> Option<(&str, &str)> {
    let (before, after) = path.split_once("}{")?;
    let first = before.rsplit_once('{')?.1;
    let second = after.split_once('}')?.0;
    Some((first, second))
}

fn security_schemes(
    document: &OpenAPI,
    types: &mut TypeBuilder<'_>,
) -> (Vec<SecurityScheme>, IndexMap<String, Option<usize>>) {
    let mut schemes = Vec::new();
    let mut keys = IndexMap::new();
    let mut setter_names = Namespace::with_reserved(
        &[
            "base_url",
            "timeout",
            "connect_timeout",
            "build",
            "bearer_token",
            "credential_header",
            "middleware",
            "max_retries",
            "read_timeout",
            "deadline",
            "max_body_size",
            "http_client",
            "on_request",
            "on_response",
            "sleep",
        ],
        "_credential",
    );
    let Some(components) = &document.components else {
        return (schemes, keys);
    };
    for (key, scheme) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", key);
        let (carrier, description) = match scheme {
            ReferenceOr::Item(scheme) => carrier(scheme),
            ReferenceOr::Reference { .. } => (None, None),
        };
        let supported = match carrier {
            Some(carrier) => {
                let name = setter_names.claim(&names::field_name(key, "credential"));
                let oauth = match scheme {
                    ReferenceOr::Item(scheme) => oauth_notes(scheme),
                    ReferenceOr::Reference { .. } => OAuthNotes::default(),
                };
                Some(SecurityScheme {
                    key: key.clone(),
                    provider_setter: setter_names.claim(&format!("{name}_provider")),
                    client_credentials_setter: oauth
                        .client_credentials_url
                        .as_ref()
                        .map(|_| setter_names.claim(&format!("{name}_client_credentials"))),
                    refresh_token_setter: oauth
                        .refresh_url
                        .as_ref()
                        .map(|_| setter_names.claim(&format!("{name}_refresh_token"))),
                    name,
                    description,
                    carrier,
                    oauth,
                })
            }
            None => {
                types.diagnostics.push(Diagnostic::warning(
                    pointer,
                    "this security scheme is not supported (only apiKey, http bearer and basic, \
                     oauth2 and openIdConnect with a caller-supplied token); operations that \
                     need it get no credential from the client",
                ));
                None
            }
        };
        keys.insert(
            key.clone(),
            supported.map(|scheme| {
                schemes.push(scheme);
                schemes.len() - 1
            }),
        );
    }
    (schemes, keys)
}

fn carrier(scheme: &openapiv3::SecurityScheme) -> (Option<Carrier>, Option<String>) {
    use openapiv3::SecurityScheme as Scheme;
    match scheme {
        Scheme::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let carrier = match location {
                APIKeyLocation::Header => Carrier::Header(name.clone()),
                APIKeyLocation::Query => Carrier::Query(name.clone()),
                APIKeyLocation::Cookie => Carrier::Cookie(name.clone()),
            };
            (Some(carrier), description.clone())
        }
        Scheme::HTTP {
            scheme,
            description,
            ..
        } => {
            let carrier = match scheme.to_ascii_lowercase().as_str() {
                "bearer" => Some(Carrier::Bearer),
                "basic" => Some(Carrier::Basic),
                _ => None,
            };
            (carrier, description.clone())
        }
        Scheme::OAuth2 { description, .. } | Scheme::OpenIDConnect { description, .. } => {
            (Some(Carrier::Bearer), description.clone())
        }
    }
}

/// Where an OAuth 2 scheme's token is obtained, from the 3.2 fields loading kept.
fn oauth_notes(scheme: &openapiv3::SecurityScheme) -> OAuthNotes {
    let openapiv3::SecurityScheme::OAuth2 {
        flows, extensions, ..
    } = scheme
    else {
        return OAuthNotes::default();
    };
    let text = |value: Option<&serde_json::Value>| value?.as_str().map(str::to_owned);
    let device = flows.extensions.get(DEVICE_AUTHORIZATION_EXTENSION);
    let device_authorization = device.and_then(|flow| {
        Some((
            text(flow.get("deviceAuthorizationUrl"))?,
            text(flow.get("tokenUrl"))?,
        ))
    });
    let given = |url: &str| (!url.trim().is_empty()).then(|| url.to_owned());
    let refresh_url = flows
        .authorization_code
        .as_ref()
        .and_then(|flow| given(&flow.token_url))
        .or_else(|| {
            flows
                .password
                .as_ref()
                .and_then(|flow| given(&flow.token_url))
        })
        .or_else(|| {
            device_authorization
                .as_ref()
                .map(|(_, token)| token.clone())
        });
    OAuthNotes {
        metadata_url: text(extensions.get(OAUTH2_METADATA_EXTENSION)),
        client_credentials_url: flows
            .client_credentials
            .as_ref()
            .and_then(|flow| given(&flow.token_url)),
        refresh_url,
        device_authorization,
        scopes: Vec::new(),
    }
}

/// Where an operation sits: its path, the method it is sent with, and the pointers of its
/// path item and of itself (which is not always one segment below: `additionalOperations`).
struct Site<'s> {
    path: &'s str,
    method: String,
    item_pointer: &'s str,
    pointer: String,
}

/// A list operation whose shape almost pages: warned about at the end, unless the API's other
/// lists page by the `Link` header and its cursor can travel there too.
struct NearMiss {
    pointer: String,
    why: String,
    by_link: Option<Box<Pagination>>,
}

struct OperationBuilder<'a, 'b> {
    document: &'a OpenAPI,
    /// The near miss of the operation just built.
    near_miss: Option<NearMiss>,
    types: &'b mut TypeBuilder<'a>,
    /// The user's `pagination` rules.
    paging_rules: &'b [PagingRule],
    /// The user's stream flags.
    stream_flags: &'b [StreamFlag],
    scheme_keys: IndexMap<String, Option<usize>>,
    /// Per scheme, the scopes operations ask of it, in the order they are first asked.
    scheme_scopes: Vec<Vec<String>>,
    header_types: Vec<ResponseHeaders>,
    /// Header structs already made, by the JSON pointer of the response that declares them:
    /// a response shared through `#/components/responses` shares one struct.
    header_types_by_response: HashMap<String, usize>,
    /// The `mock` module's builder types, one per operation.
    mock_builders: Namespace,
}

impl<'a> OperationBuilder<'a, '_> {
    fn operation<'s>(
        &mut self,
        name: String,
        site: &Site<'_>,
        operation: &'s openapiv3::Operation,
        inherited: &'s [ReferenceOr<Parameter>],
    ) -> Operation
    where
        'a: 's,
    {
        let (path, method, pointer) = (site.path, site.method.as_str(), site.pointer.as_str());
        let prefix = names::type_name(&name, "Operation");
        let params = self.params(operation, (inherited, site.item_pointer), &prefix, pointer);
        let path_segments = self.path_segments(path, &params, site.item_pointer);
        let body = operation.request_body.as_ref().and_then(|body| {
            let hint = format!("{prefix}Request");
            self.body(body, &hint, &pointer_push(pointer, "requestBody"))
        });
        let responses = self.responses(operation, &prefix, pointer);
        let stream = self.stream(operation, &prefix, pointer, body.as_ref(), &responses);
        let accept = accept_header(responses.iter().filter_map(|r| r.media_type.as_deref()));
        let (pagination, paging_note) =
            self.pagination(method, operation, &params, &responses, pointer);
        let successes = responses.iter().filter(|r| r.status.is_success()).count();
        let has_query_or_header = params.iter().any(|p| p.location != ParamLocation::Path);
        Operation {
            params_type: has_query_or_header
                .then(|| self.types.claim_name(&format!("{prefix}Params"))),
            error_type: self.types.claim_name(&format!("{prefix}Error")),
            response_type: (successes > 1)
                .then(|| self.types.claim_name(&format!("{prefix}Response"))),
            operation_id: operation
                .operation_id
                .clone()
                .unwrap_or_else(|| name.clone()),
            mock: mock_names(&self.mock_builders.claim(&prefix), &params, &responses),
            name,
            method: method.to_owned(),
            path: path.to_owned(),
            path_segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            body,
            responses,
            security: self.security(operation, pointer),
            pagination,
            paging_note,
            stream,
            accept,
            tags: operation.tags.clone(),
            features: None,
            params_same_as: None,
            params_shared_name: None,
            error_same_as: None,
            error_shared_name: None,
            error_shared_by: Vec::new(),
        }
    }

    /// The operation's parameters, the path item's (`inherited`, at its pointer) among them.
    fn params<'s>(
        &mut self,
        operation: &'s openapiv3::Operation,
        (inherited, item_pointer): (&'s [ReferenceOr<Parameter>], &str),
        prefix: &str,
        pointer: &str,
    ) -> Vec<Param>
    where
        'a: 's,
    {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut merged: IndexMap<(String, &'static str), (&'s Parameter, String)> = IndexMap::new();
        let sources = [
            (inherited, item_pointer.to_owned()),
            (operation.parameters.as_slice(), pointer.to_owned()),
        ];
        for (list, base) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let at = pointer_push(&pointer_push(&base, "parameters"), &index.to_string());
                let entries = self.document.components.as_ref().map(|c| &c.parameters);
                if let Some((parameter, at)) =
                    self.component(parameter, at, "parameters", "a parameter", entries)
                {
                    let data = parameter.parameter_data_ref();
                    merged.insert(
                        (data.name.clone(), location_key(parameter)),
                        (parameter, at),
                    );
                }
            }
        }
        let mut param_names = Namespace::with_reserved(&["body", "params", "self"], "_param");
        let mut params = Vec::new();
        let has_query = merged.keys().any(|(_, location)| *location == "query");
        let mut has_querystring = false;
        for (parameter, at) in merged.into_values() {
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { parameter_data, .. } if is_querystring(parameter) => {
                    let conflict = match (has_query, has_querystring) {
                        (true, _) => Some("cannot be combined with `in: query` parameters"),
                        (false, true) => Some("may appear only once in an operation"),
                        (false, false) => None,
                    };
                    if let Some(conflict) = conflict {
                        self.types.diagnostics.push(Diagnostic::warning(
                            at,
                            format!(
                                "an `in: querystring` parameter (the whole query string) \
                                 {conflict}; `{}` is not sent",
                                parameter_data.name
                            ),
                        ));
                        continue;
                    }
                    has_querystring = true;
                    match self.querystring(&parameter_data.format, &at) {
                        Some(querystring) => ParamLocation::QueryString(querystring),
                        None => continue,
                    }
                }
                Parameter::Query {
                    style,
                    parameter_data,
                    ..
                } => {
                    let explode = parameter_data
                        .explode
                        .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                    ParamLocation::Query(match style {
                        openapiv3::QueryStyle::Form if explode => QueryStyle::FormExploded,
                        openapiv3::QueryStyle::Form => QueryStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                    })
                }
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            let data = parameter.parameter_data_ref();
            let (schema, schema_pointer) = match (&data.format, location) {
                (ParameterSchemaOrContent::Schema(schema), _) => {
                    (Some(schema), pointer_push(&at, "schema"))
                }
                (ParameterSchemaOrContent::Content(content), ParamLocation::QueryString(_)) => {
                    match content.first() {
                        Some((media_type, media)) => (
                            media.schema.as_ref(),
                            pointer_push(
                                &pointer_push(&pointer_push(&at, "content"), media_type),
                                "schema",
                            ),
                        ),
                        None => (None, String::new()),
                    }
                }
                (ParameterSchemaOrContent::Content(_), _) => {
                    self.types.diagnostics.push(Diagnostic::warning(
                        at,
                        "parameters described by `content` are not supported yet; not sent",
                    ));
                    continue;
                }
            };
            let hint = format!("{prefix}{}", names::type_name(&data.name, "Param"));
            let resolved = match (schema, location) {
                // Text is sent as it is, whatever its schema says, as a text body is.
                (_, ParamLocation::QueryString(QueryString::Text)) | (None, _) => None,
                (Some(schema), _) => Some(self.types.resolve(schema, &hint, &schema_pointer)),
            };
            let ty = match (&resolved, location) {
                (Some(resolved), _) => resolved.ty.clone(),
                (None, ParamLocation::QueryString(QueryString::Text)) => {
                    super::TypeRef::Primitive(super::Primitive::String)
                }
                (None, _) => super::TypeRef::Primitive(super::Primitive::Any),
            };
            let constraints = resolved
                .as_ref()
                .map(|resolved| resolved.constraints.applicable_to(&ty))
                .unwrap_or_default();
            let (description, default, pattern) = match resolved {
                Some(resolved) => (resolved.description, resolved.default, resolved.pattern),
                None => (None, None, None),
            };
            params.push(Param {
                name: param_names.claim(&names::field_name(&data.name, "param")),
                wire_name: data.name.clone(),
                location,
                constraints,
                ty,
                required: data.required || location == ParamLocation::Path,
                description: data.description.clone().or(description),
                default,
                pattern,
            });
        }
        params
    }

    /// How an `in: querystring` parameter at `at` writes the query string, from its one media
    /// type; `None`, with a warning, when it cannot be written.
    fn querystring(&mut self, format: &ParameterSchemaOrContent, at: &str) -> Option<QueryString> {
        let ParameterSchemaOrContent::Content(content) = format else {
            self.types.diagnostics.push(Diagnostic::warning(
                pointer_push(at, "schema"),
                "an `in: querystring` parameter is described by `content` (a media type and \
                 its schema), not by `schema`; not sent",
            ));
            return None;
        };
        let Some((media_type, _)) = content.first() else {
            self.types.diagnostics.push(Diagnostic::warning(
                pointer_push(at, "content"),
                "an `in: querystring` parameter needs a media type in `content`; not sent",
            ));
            return None;
        };
        if content.len() > 1 {
            self.types.diagnostics.push(Diagnostic::warning(
                pointer_push(at, "content"),
                format!(
                    "a parameter's `content` holds one media type; the first, `{media_type}`, is used"
                ),
            ));
        }
        match media_kind(media_type) {
            Some(BodyKind::Form) => Some(QueryString::Form),
            Some(BodyKind::Json) => Some(QueryString::Json),
            Some(BodyKind::Text) => Some(QueryString::Text),
            _ => {
                self.types.diagnostics.push(Diagnostic::warning(
                    pointer_push(&pointer_push(at, "content"), media_type),
                    format!(
                        "a query string of type `{media_type}` cannot be written (only \
                         `application/x-www-form-urlencoded`, JSON and `text/*` can); not sent"
                    ),
                ));
                None
            }
        }
    }

    /// `item`, or the component its chain of `$ref`s through `#/components/{section}` leads
    /// to, with the pointer it sits at; a chain that leads nowhere is an error (`what` names
    /// what the section holds).
    fn component<'s, T>(
        &mut self,
        item: &'s ReferenceOr<T>,
        at: String,
        section: &str,
        what: &str,
        entries: Option<&'s IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<(&'s T, String)> {
        match super::follow(item, at, section, entries) {
            Followed::Item(item, at) => Some((item, at)),
            Followed::Missing(reference, at) => {
                self.types.diagnostics.push(Diagnostic::error(
                    at,
                    format!("`$ref: {reference}` does not name {what} in #/components/{section}"),
                ));
                None
            }
            Followed::Cycle(fault) => {
                self.types.diagnostics.push(fault);
                None
            }
        }
    }

    fn path_segments(&mut self, path: &str, params: &[Param], path_item: &str) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some((literal, after_open)) = rest.split_once('{') {
            let Some((wire, after_close)) = after_open.split_once('}') else {
                break;
            };
            if !literal.is_empty() {
                segments.push(PathSegment::Literal(literal.to_owned()));
            }
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == wire)
            {
                Some(index) => segments.push(PathSegment::Param(index)),
                None => self.types.diagnostics.push(Diagnostic::error(
                    path_item,
                    format!("the path template names `{{{wire}}}`, but no path parameter `{wire}` is declared"),
                )),
            }
            rest = after_close;
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        segments
    }

    /// A request body; an inline schema's type is named `hint`.
    fn body<'s>(
        &mut self,
        body: &'s ReferenceOr<SpecRequestBody>,
        hint: &str,
        pointer: &str,
    ) -> Option<RequestBody>
    where
        'a: 's,
    {
        let entries = self.document.components.as_ref().map(|c| &c.request_bodies);
        let (body, pointer) = self.component(
            body,
            pointer.to_owned(),
            "requestBodies",
            "a request body",
            entries,
        )?;
        let Some((kind, media_type, media)) = pick_media(&body.content, false) else {
            let listed: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.types.diagnostics.push(Diagnostic::warning(
                pointer_push(&pointer, "content"),
                format!(
                    "request bodies of type {} are not supported yet; the operation sends no body",
                    listed.join(", ")
                ),
            ));
            return None;
        };
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(&pointer, "content"), media_type),
            "schema",
        );
        let ty = match (kind, &media.schema) {
            (BodyKind::Text, _) => super::TypeRef::Primitive(super::Primitive::String),
            (BodyKind::Binary, _) => super::TypeRef::Primitive(super::Primitive::Bytes),
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(schema)) => {
                self.types.resolve(schema, hint, &schema_pointer).ty
            }
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => {
                super::TypeRef::Primitive(super::Primitive::Any)
            }
        };
        if kind == BodyKind::Multipart && !self.types.mark_multipart(&ty) {
            self.types.diagnostics.push(Diagnostic::warning(
                schema_pointer,
                "a `multipart/form-data` body must be an object with properties; the operation sends no body",
            ));
            return None;
        }
        Some(RequestBody {
            kind,
            ty,
            required: body.required,
            media_type: media_type.to_owned(),
            description: body.description.clone(),
            examples: if kind == BodyKind::Json {
                self.media_examples(
                    media,
                    &pointer_push(&pointer_push(&pointer, "content"), media_type),
                )
            } else {
                Vec::new()
            },
            schema_pointer,
        })
    }

    fn responses<'s>(
        &mut self,
        operation: &'s openapiv3::Operation,
        prefix: &str,
        pointer: &str,
    ) -> Vec<Response>
    where
        'a: 's,
    {
        let base = pointer_push(pointer, "responses");
        let mut entries: Vec<(StatusMatch, &'s ReferenceOr<SpecResponse>, String)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let (matcher, key) = match status {
                    StatusCode::Code(code) => (StatusMatch::Code(*code), code.to_string()),
                    StatusCode::Range(hundreds) => {
                        (StatusMatch::Range(*hundreds), format!("{hundreds}XX"))
                    }
                };
                (matcher, response, pointer_push(&base, &key))
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            entries.push((
                StatusMatch::Default,
                default,
                pointer_push(&base, "default"),
            ));
        }
        let mut variant_names = Namespace::default();
        let mut responses = Vec::new();
        for (status, response, at) in entries {
            let entries = self.document.components.as_ref().map(|c| &c.responses);
            let Some((response, at)) =
                self.component(response, at, "responses", "a response", entries)
            else {
                continue;
            };
            let variant = variant_names.claim(&status_variant(status));
            // A success's stream form is read by the stream method; an error's is read whole.
            let media = pick_media(&response.content, status.is_success());
            // A multipart response is handed over as its raw bytes.
            let kind = match media.map_or(BodyKind::Json, |(kind, _, _)| kind) {
                BodyKind::Multipart => BodyKind::Binary,
                other => other,
            };
            let schema_pointer = media.map_or_else(String::new, |(_, media_type, _)| {
                pointer_push(
                    &pointer_push(&pointer_push(&at, "content"), media_type),
                    "schema",
                )
            });
            let body = media.and_then(|(kind, _, media)| {
                match kind {
                    BodyKind::Text => {
                        return Some(super::TypeRef::Primitive(super::Primitive::String));
                    }
                    BodyKind::Binary | BodyKind::Multipart => {
                        return Some(super::TypeRef::Primitive(super::Primitive::Bytes));
                    }
                    BodyKind::Json | BodyKind::Form => {}
                }
                let schema = media.schema.as_ref()?;
                Some(
                    self.types
                        .resolve(schema, &format!("{prefix}{variant}Body"), &schema_pointer)
                        .value_type(),
                )
            });
            let headers =
                self.response_headers(response, &format!("{prefix}{variant}Headers"), &at);
            responses.push(Response {
                status,
                media_type: media.map(|(_, media_type, _)| media_type.to_owned()),
                variant,
                summary: response
                    .extensions
                    .get(SUMMARY_EXTENSION)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
                description: response.description.clone(),
                kind,
                headers,
                body,
                examples: match media {
                    Some((BodyKind::Json, media_type, media)) => self.media_examples(
                        media,
                        &pointer_push(&pointer_push(&at, "content"), media_type),
                    ),
                    _ => Vec::new(),
                },
                schema_pointer,
            });
        }
        responses
    }

    /// The documented headers of a response (`Content-Type` aside, which OpenAPI says to
    /// ignore), as fields of a struct named `type_name`.
    fn response_headers<'s>(
        &mut self,
        response: &'s SpecResponse,
        type_name: &str,
        at: &str,
    ) -> Option<usize>
    where
        'a: 's,
    {
        if let Some(&index) = self.header_types_by_response.get(at) {
            return Some(index);
        }
        let type_name = match at.strip_prefix("/components/responses/") {
            Some(component) => format!("{component}Headers"),
            None => type_name.to_owned(),
        };
        let type_name = type_name.as_str();
        let base = pointer_push(at, "headers");
        let mut found = Vec::new();
        for (name, header) in &response.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let pointer = pointer_push(&base, name);
            let Some((format, required, description, pointer)) = self.header(header, pointer)
            else {
                continue;
            };
            let ty = match format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let hint = format!("{type_name}{}", names::type_name(name, "Header"));
                    self.types
                        .resolve(schema, &hint, &pointer_push(&pointer, "schema"))
                        .ty
                }
                ParameterSchemaOrContent::Content(_) => {
                    super::TypeRef::Primitive(super::Primitive::String)
                }
            };
            found.push((name.to_ascii_lowercase(), required, description, ty));
        }
        if found.is_empty() {
            return None;
        }
        let wire_names: Vec<&str> = found.iter().map(|(name, ..)| name.as_str()).collect();
        let mut field_names =
            names::claim_exact_first(&mut Namespace::default(), &wire_names, |wire| {
                names::field_name(wire, "header")
            });
        let fields = found
            .iter()
            .map(|(wire_name, required, description, ty)| HeaderField {
                name: field_names.pop_front().unwrap_or_default(),
                wire_name: wire_name.clone(),
                ty: ty.clone(),
                required: *required,
                description: description.clone(),
            })
            .collect();
        self.header_types.push(ResponseHeaders {
            type_name: self.types.claim_name(type_name),
            fields,
            features: None,
        });
        let index = self.header_types.len() - 1;
        self.header_types_by_response.insert(at.to_owned(), index);
        Some(index)
    }

    /// A response header's schema, whether it is required, and its description, with the
    /// pointer they were found at. Specs also point header `$ref`s at parameters, which hold
    /// the same; a reference to neither is skipped with a warning, as headers are extras.
    #[allow(clippy::type_complexity)]
    fn header<'s>(
        &mut self,
        header: &'s ReferenceOr<openapiv3::Header>,
        pointer: String,
    ) -> Option<(&'s ParameterSchemaOrContent, bool, Option<String>, String)>
    where
        'a: 's,
    {
        let components = self.document.components.as_ref();
        let (reference, at) =
            match super::follow(header, pointer, "headers", components.map(|c| &c.headers)) {
                Followed::Item(header, at) => {
                    return Some((
                        &header.format,
                        header.required,
                        header.description.clone(),
                        at,
                    ));
                }
                Followed::Missing(reference, at) => (reference, at),
                Followed::Cycle(fault) => {
                    self.types.diagnostics.push(fault);
                    return None;
                }
            };
        let (reference, at) = if super::component_key(reference, "parameters").is_some() {
            let parameters = components.map(|c| &c.parameters);
            match super::follow_reference(reference, at.clone(), "parameters", parameters) {
                Followed::Item(parameter, found_at) => {
                    self.types.diagnostics.push(Diagnostic::warning(
                        at,
                        format!("`$ref: {reference}` points at a parameter, not a header; its schema is used"),
                    ));
                    let data = parameter.parameter_data_ref();
                    return Some((
                        &data.format,
                        data.required,
                        data.description.clone(),
                        found_at,
                    ));
                }
                Followed::Missing(reference, at) => (reference, at),
                Followed::Cycle(fault) => {
                    self.types.diagnostics.push(fault);
                    return None;
                }
            }
        } else {
            (reference, at)
        };
        self.types.diagnostics.push(Diagnostic::warning(
            at,
            format!("`$ref: {reference}` does not name a header in #/components/headers; the header is left out"),
        ));
        None
    }

    /// The media type's `example`, and the values of its `examples` map, `$ref`s to
    /// `#/components/examples` followed; `at` is the media type's pointer. A reference to no
    /// example is passed over: examples only feed docs and tests.
    fn media_examples(&mut self, media: &MediaType, at: &str) -> Vec<serde_json::Value> {
        let mut examples: Vec<serde_json::Value> = media.example.iter().cloned().collect();
        let entries = self.document.components.as_ref().map(|c| &c.examples);
        let base = pointer_push(at, "examples");
        for (name, example) in &media.examples {
            match super::follow(example, pointer_push(&base, name), "examples", entries) {
                Followed::Item(example, _) => examples.extend(example.value.clone()),
                Followed::Missing(..) => {}
                Followed::Cycle(fault) => self.types.diagnostics.push(fault),
            }
        }
        examples
    }

    /// The first success that documents a stream form (events, JSON Lines, a JSON text
    /// sequence), its items typed by the media type's schema: each event's `data`, as
    /// OpenAI's specs write it, or each record (an array's items, for a record stream
    /// described as the whole array). Named by [`build`], once every name is known.
    fn stream<'s>(
        &mut self,
        operation: &'s openapiv3::Operation,
        prefix: &str,
        pointer: &str,
        body: Option<&RequestBody>,
        responses: &[Response],
    ) -> Option<EventStream>
    where
        'a: 's,
    {
        let base = pointer_push(pointer, "responses");
        let (code, response) =
            operation
                .responses
                .responses
                .iter()
                .find_map(|(status, response)| match status {
                    StatusCode::Code(code) if (200..300).contains(code) => Some((*code, response)),
                    _ => None,
                })?;
        let at = pointer_push(&base, &code.to_string());
        let entries = self.document.components.as_ref().map(|c| &c.responses);
        let (response, at) = self.component(response, at, "responses", "a response", entries)?;
        let (media_type, media, framing) =
            response.content.iter().find_map(|(media_type, media)| {
                Some((media_type, media, stream_framing(media_type)?))
            })?;
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(&at, "content"), media_type),
            "schema",
        );
        let item_name = match framing {
            StreamFraming::Events => "Event",
            StreamFraming::Lines | StreamFraming::Sequence => "Record",
        };
        let hint = format!("{prefix}{item_name}");
        let item = match (media.extensions.get(ITEM_SCHEMA_EXTENSION), &media.schema) {
            // OpenAPI 3.2: `itemSchema` is each item; for events, the event object, whose
            // `data` is typed by `contentSchema` (the SSE entry of the media-type registry).
            (Some(item_schema), _) => {
                let item_pointer = pointer_push(
                    &pointer_push(&pointer_push(&at, "content"), media_type),
                    "itemSchema",
                );
                let (schema, pointer) = match framing {
                    StreamFraming::Events => (
                        item_schema.pointer("/properties/data/contentSchema"),
                        pointer_push(&item_pointer, "properties/data/contentSchema"),
                    ),
                    StreamFraming::Lines | StreamFraming::Sequence => {
                        (Some(item_schema), item_pointer)
                    }
                };
                match schema
                    .map(|schema| serde_json::from_value::<ReferenceOr<Schema>>(schema.clone()))
                {
                    Some(Ok(schema)) => self.types.resolve(&schema, &hint, &pointer).value_type(),
                    Some(Err(err)) => {
                        self.types.diagnostics.push(Diagnostic::warning(
                            pointer,
                            format!("this item schema cannot be read ({err}); items are text"),
                        ));
                        TypeRef::Primitive(Primitive::String)
                    }
                    None => TypeRef::Primitive(Primitive::String),
                }
            }
            (None, Some(schema)) => {
                let ty = self
                    .types
                    .resolve(schema, &hint, &schema_pointer)
                    .value_type();
                match (framing, ty) {
                    (StreamFraming::Events, ty) => ty,
                    (_, TypeRef::Array(item)) => *item,
                    (_, ty) => ty,
                }
            }
            (None, None) => TypeRef::Primitive(Primitive::String),
        };
        let only = pick_media(&response.content, true).is_none();
        let operation_id = operation.operation_id.as_deref().unwrap_or_default();
        let flag = self
            .stream_flags
            .iter()
            .find(|rule| rule.operation == "*" || rule.operation == operation_id)
            .map(|rule| rule.property.clone())
            .or_else(|| {
                operation
                    .extensions
                    .get("x-speakeasy-stream-request-field")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            })
            .or_else(|| {
                // An API that streams only when asked has a boolean property for it: OpenAI's
                // `stream`, Letta's `streaming`.
                let body = body.filter(|body| body.kind == BodyKind::Json)?;
                let finder = Finder { types: self.types };
                STREAM_FLAGS.iter().find_map(|name| {
                    finder
                        .typed(&body.ty, &[name], Primitive::Boolean)
                        .map(|_| (*name).to_owned())
                })
            })
            .filter(|_| body.is_some_and(|body| body.kind == BodyKind::Json));
        // Errors are still read in their own media types, after the stream's.
        let errors: Vec<String> = responses
            .iter()
            .filter(|r| !r.status.is_success())
            .filter_map(|r| r.media_type.as_deref())
            .map(|media_type| format!("{media_type};q=0.9"))
            .collect();
        let accept = accept_header(
            std::iter::once(media_type.as_str()).chain(errors.iter().map(String::as_str)),
        )?;
        Some(EventStream {
            framing,
            item,
            name: String::new(),
            only,
            flag,
            accept,
            status: code,
        })
    }

    /// How the operation pages, as [`pagination`](super::pagination) decides for a GET (or
    /// an operation a rule or an extension declares), with the decision noted for
    /// `--explain-pagination` and a near miss warned about.
    fn pagination(
        &mut self,
        method: &str,
        operation: &openapiv3::Operation,
        params: &[Param],
        responses: &[Response],
        pointer: &str,
    ) -> (Option<Pagination>, Option<String>) {
        let operation_id = operation.operation_id.as_deref().unwrap_or_default();
        let rule = self
            .paging_rules
            .iter()
            .find(|rule| rule.applies_to(operation_id));
        let extensions = Extensions::read(&operation.extensions);
        let declared = rule.is_some() || extensions.rule.is_some();
        if method != "GET" && !declared {
            return (None, None);
        }
        let documents_link = responses
            .iter()
            .filter(|r| r.status.is_success())
            .filter_map(|r| r.headers.and_then(|index| self.header_types.get(index)))
            .any(|headers| headers.fields.iter().any(|f| f.wire_name == "link"));
        let finder = Finder { types: self.types };
        match finder.decide(params, responses, documents_link, &extensions, rule) {
            Decision::Paged(pagination) => {
                let note = pagination.scheme.describe(params);
                (Some(*pagination), Some(note))
            }
            Decision::Unpaged(why) => (None, Some(format!("not paged: {why}"))),
            Decision::NearMiss { why, by_link } => {
                self.near_miss = Some(NearMiss {
                    pointer: pointer.to_owned(),
                    why: why.clone(),
                    by_link,
                });
                (None, Some(format!("not paged: {why}")))
            }
            Decision::Guessed { pagination, why } => {
                self.types.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!(
                        "this list operation is paged by the `Link` header, a guess: {why}; \
                         if the API pages otherwise, declare it with `pagination`"
                    ),
                ));
                let note = format!("{}, guessed: {why}", pagination.scheme.describe(params));
                (Some(*pagination), Some(note))
            }
            Decision::NotAList => (None, None),
        }
    }

    fn security(&mut self, operation: &openapiv3::Operation, pointer: &str) -> Vec<Vec<usize>> {
        let requirements: &[SecurityRequirement] = operation
            .security
            .as_deref()
            .or(self.document.security.as_deref())
            .unwrap_or_default();
        let mut alternatives = Vec::new();
        for requirement in requirements {
            let mut all = Vec::new();
            let mut usable = true;
            for (key, scopes) in requirement {
                match self.scheme_keys.get(key) {
                    Some(Some(index)) => {
                        all.push(*index);
                        if let Some(asked) = self.scheme_scopes.get_mut(*index) {
                            for scope in scopes {
                                if !asked.contains(scope) {
                                    asked.push(scope.clone());
                                }
                            }
                        }
                    }
                    Some(None) => usable = false,
                    None => {
                        usable = false;
                        self.types.diagnostics.push(Diagnostic::error(
                            pointer_push(pointer, "security"),
                            format!("security scheme `{key}` is not defined in #/components/securitySchemes"),
                        ));
                    }
                }
            }
            if usable {
                alternatives.push(all);
            }
        }
        alternatives
    }
}

fn location_key(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Query { .. } if is_querystring(parameter) => "querystring",
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Whether a parameter was `in: querystring` (OpenAPI 3.2), which `openapiv3` cannot read and
/// loading marked.
fn is_querystring(parameter: &Parameter) -> bool {
    match parameter {
        Parameter::Query { parameter_data, .. } => {
            parameter_data.extensions.get(QUERYSTRING_EXTENSION)
                == Some(&serde_json::Value::Bool(true))
        }
        _ => false,
    }
}

/// A media type's family, by its essence (parameters such as `; charset=utf-8` aside); `None`
/// for a `multipart/*` type other than `form-data`.
fn media_kind(media_type: &str) -> Option<BodyKind> {
    let essence = essence(media_type);
    if essence == "application/json" || essence.ends_with("+json") {
        Some(BodyKind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else if essence.starts_with("text/") {
        Some(BodyKind::Text)
    } else if essence == "multipart/form-data" {
        Some(BodyKind::Multipart)
    } else if essence.starts_with("multipart/") {
        None
    } else {
        Some(BodyKind::Binary)
    }
}

/// The media type a body is sent or read as, when several are offered: JSON first
/// (`application/json`, `+json` vendor types, with parameters such as `; charset=utf-8`),
/// then a form, then `multipart/form-data`, then text, then anything else as raw bytes.
/// Other `multipart/*` types are not supported. With `skip_streams`, a stream form (events,
/// JSON Lines) is not one of them.
fn pick_media(
    content: &IndexMap<String, MediaType>,
    skip_streams: bool,
) -> Option<(BodyKind, &str, &MediaType)> {
    let preference = |kind: BodyKind| match kind {
        BodyKind::Json => 0,
        BodyKind::Form => 1,
        BodyKind::Multipart => 2,
        BodyKind::Text => 3,
        BodyKind::Binary => 4,
    };
    content
        .iter()
        .filter(|(media_type, _)| !skip_streams || stream_framing(media_type).is_none())
        .filter_map(|(media_type, media)| {
            Some((media_kind(media_type)?, media_type.as_str(), media))
        })
        .min_by_key(|(kind, _, _)| preference(*kind))
}

/// The boolean body properties, in order of preference, that ask an API for its stream form
/// when no rule or extension names one.
const STREAM_FLAGS: [&str; 2] = ["stream", "streaming"];

/// How a media type's body is a stream of items, when it is one.
fn stream_framing(media_type: &str) -> Option<StreamFraming> {
    match essence(media_type).as_str() {
        "text/event-stream" => Some(StreamFraming::Events),
        "application/jsonl"
        | "application/x-ndjson"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(StreamFraming::Lines),
        "application/json-seq" => Some(StreamFraming::Sequence),
        _ => None,
    }
}

/// The `Accept` header naming `media_types`, once each in order; `None` for none, and media
/// types no header can carry are left out.
fn accept_header<'m>(media_types: impl IntoIterator<Item = &'m str>) -> Option<String> {
    let mut listed: Vec<&str> = Vec::new();
    for media_type in media_types {
        let fits = media_type
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic());
        if fits && !listed.contains(&media_type) {
            listed.push(media_type);
        }
    }
    (!listed.is_empty()).then(|| listed.join(", "))
}

fn status_variant(status: StatusMatch) -> String {
    let known = match status {
        StatusMatch::Default => "Default",
        StatusMatch::Range(1) => "Informational",
        StatusMatch::Range(2) => "Success",
        StatusMatch::Range(3) => "Redirection",
        StatusMatch::Range(4) => "ClientError",
        StatusMatch::Range(5) => "ServerError",
        StatusMatch::Range(_) => "",
        StatusMatch::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            206 => "PartialContent",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => "",
        },
    };
    match (known, status) {
        ("", StatusMatch::Code(code)) => format!("Status{code}"),
        ("", StatusMatch::Range(hundreds)) => format!("Status{hundreds}xx"),
        (known, _) => known.to_owned(),
    }
}
