//! Operations to client methods, with their parameter structs and response and error enums.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::client::scheme_path;
use super::docs::{
    and_list, clean, code, default_note, doc_attrs, doc_lines, paragraph_lines, pattern_note,
};
use super::rust::{
    STANDARD_DERIVES, Scope, argument_tokens, built_type_tokens, constraints_tokens, derive_attr,
    holds_external, ident, needs_validation, root_doc_path, root_item, standard_derives, text,
    type_tokens, unalias,
};
use crate::model::pagination::{FieldPath, PageScheme, Pagination, Step};
use crate::model::{
    Api, BodyKind, Operation, Param, ParamLocation, PathSegment, QueryString, QueryStyle, Response,
    ResponseHeaders, StatusMatch, TypeKind, TypeRef,
};
use crate::model::{EventStream, StreamFraming};

/// The parameter struct and response and error enums of one operation.
pub fn emit_operation_types(api: &Api, operation: &Operation) -> TokenStream {
    let params = params_struct(api, operation);
    let responses = response_enum(api, operation);
    let errors = error_enum(api, operation);
    quote!(#params #responses #errors)
}

/// `pub type Name = Same;` for an operation type that is the same as an earlier one's.
fn shared_alias(operation: &Operation, name: &Ident, same: &str, what: &str) -> TokenStream {
    let doc = format!(
        " {what} of [`Client::{0}`](super::Client::{0}): the same as [`{same}`]'s.",
        operation.name
    );
    let same = ident(same);
    quote! {
        #[doc = #doc]
        pub type #name = #same;
    }
}

/// A struct of a response's documented headers, read from a header map.
pub fn headers_struct(api: &Api, headers: &ResponseHeaders) -> TokenStream {
    let name = ident(&headers.type_name);
    let fields = headers.fields.iter().map(|field| {
        let docs = doc_attrs([field.description.as_deref()]);
        let member = ident(&field.name);
        let ty = type_tokens(api, &field.ty, Scope::Types);
        let ty = if field.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        quote!(#docs pub #member: #ty,)
    });
    let reads = headers.fields.iter().map(|field| {
        let member = ident(&field.name);
        let wire = &field.wire_name;
        if field.required {
            quote!(#member: runtime::__private::required_header(headers, #wire)?,)
        } else {
            quote!(#member: runtime::__private::optional_header(headers, #wire)?,)
        }
    });
    let plain = headers
        .fields
        .iter()
        .any(|field| holds_external(api, &field.ty));
    let derive = derive_attr(STANDARD_DERIVES, &[], plain, &[]);
    quote! {
        /// Documented response headers.
        #derive
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Reads the documented headers from a response's headers; a required one missing,
            /// or one that does not parse as its type, is an error.
            pub fn from_headers(headers: &runtime::HeaderMap) -> Result<Self, runtime::HeaderError> {
                Ok(Self { #(#reads)* })
            }
        }
    }
}

/// What a response variant carries: its body, or else its documented headers. A response
/// with both carries the body; its headers are one `from_headers` call away.
fn payload_type(api: &Api, response: &Response, scope: Scope) -> Option<TokenStream> {
    if let Some(body) = &response.body {
        return Some(type_tokens(api, body, scope));
    }
    let headers = api.header_types.get(response.headers?)?;
    let name = ident(&headers.type_name);
    Some(match scope {
        Scope::Types => quote!(#name),
        Scope::Root => quote!(types::#name),
    })
}

/// Whether the operation's parameter struct (its query and header parameters) holds a type the
/// user replaced, and so derives none of the generator's own traits.
fn params_hold_external(api: &Api, operation: &Operation) -> bool {
    operation
        .params
        .iter()
        .filter(|param| param.location != ParamLocation::Path)
        .any(|param| holds_external(api, &param.ty))
}

/// The name an operation's type is written under, and the alias keeping the operation's own
/// name when it is shared under a name of its own.
fn shared_name(
    operation: &Operation,
    own: Ident,
    shared: Option<&String>,
    what: &str,
) -> (Ident, Option<TokenStream>) {
    match shared {
        Some(shared) => (
            ident(shared),
            Some(shared_alias(operation, &own, shared, what)),
        ),
        None => (own, None),
    }
}

/// Whether the operation's parameter struct derives `Default`: every field may be left out,
/// and none holds a type the user replaced.
pub(super) fn params_default(api: &Api, operation: &Operation) -> bool {
    operation
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .all(|p| !p.required)
        && !params_hold_external(api, operation)
}

fn params_struct(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let own = ident(operation.params_type.as_deref()?);
    let what = format!("The {}", parameter_kinds(operation).to_lowercase());
    if let Some(same) = &operation.params_same_as {
        return Some(shared_alias(operation, &own, same, &what));
    }
    let (name, own_alias) =
        shared_name(operation, own, operation.params_shared_name.as_ref(), &what);
    let fields: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let all_optional = fields.iter().all(|p| !p.required);
    let doc = format!(
        " {} of [`Client::{}`](super::Client::{}).",
        parameter_kinds(operation),
        operation.name,
        operation.name
    );
    let field_tokens = fields.iter().map(|param| {
        let default = default_note(param.default.as_ref());
        let pattern = pattern_note(param.pattern.as_deref());
        let docs = doc_attrs([
            param.description.as_deref(),
            pattern.as_deref(),
            default.as_deref(),
        ]);
        let field = ident(&param.name);
        let ty = built_type_tokens(api, &param.ty, Scope::Types);
        let ty = if param.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        quote! {
            #docs
            pub #field: #ty,
        }
    });
    let derive = derive_attr(
        standard_derives(all_optional),
        &[],
        params_hold_external(api, operation),
        &[],
    );
    Some(quote! {
        #[doc = #doc]
        #derive
        pub struct #name {
            #(#field_tokens)*
        }
        #own_alias
    })
}

fn variant_tokens(api: &Api, response: &Response) -> TokenStream {
    let headers_note = headers_note(api, response, Scope::Types);
    let docs = doc_attrs([
        response.summary.as_deref(),
        Some(response.description.as_str()),
        headers_note.as_deref(),
    ]);
    let variant = ident(&response.variant);
    match payload_type(api, response, Scope::Types) {
        Some(ty) => quote!(#docs #variant(#ty),),
        None => quote!(#docs #variant,),
    }
}

/// Where to find the typed headers of a response that carries a body.
fn headers_note(api: &Api, response: &Response, scope: Scope) -> Option<String> {
    response.body.as_ref()?;
    let headers = api.header_types.get(response.headers?)?;
    let prefix = match scope {
        Scope::Types => "",
        Scope::Root => "types::",
    };
    Some(format!(
        "Its documented headers: [`{prefix}{}::from_headers`].",
        headers.type_name
    ))
}

fn response_enum(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let name = ident(operation.response_type.as_deref()?);
    let doc = format!(
        " Successful responses of [`Client::{}`](super::Client::{}).",
        operation.name, operation.name
    );
    let variants = operation
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| variant_tokens(api, r));
    let derive = responses_derive(api, operation, true);
    Some(quote! {
        #[doc = #doc]
        #derive
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    })
}

/// "Query parameters", "Query and header parameters": the kinds an operation's parameter
/// struct holds.
fn parameter_kinds(operation: &Operation) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for param in &operation.params {
        let kind = match param.location {
            ParamLocation::Path => continue,
            ParamLocation::Query(_) => "query",
            ParamLocation::QueryString(_) => "query string",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let text = format!("{} parameters", and_list(&kinds));
    let text = text.trim_start();
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn error_enum(api: &Api, operation: &Operation) -> TokenStream {
    let own = ident(&operation.error_type);
    let what = "The documented error responses";
    if let Some(same) = &operation.error_same_as {
        return shared_alias(operation, &own, same, what);
    }
    let (name, own_alias) = shared_name(operation, own, operation.error_shared_name.as_ref(), what);
    // The operations whose error types are aliases of this enum are named in its docs too,
    // the first few of them (Microsoft Graph shares one among thousands).
    const NAMED: usize = 6;
    let mut links: Vec<String> = std::iter::once(&operation.name)
        .chain(operation.error_shared_by.iter().take(NAMED - 1))
        .map(|name| format!("[`Client::{name}`](super::Client::{name})"))
        .collect();
    let unnamed = operation.error_shared_by.len().saturating_sub(NAMED - 1);
    if unnamed > 0 {
        links.push(format!("{unnamed} other operations"));
    }
    let links = and_list(&links);
    let doc = format!(
        " Error responses documented for {links}; the status and headers are in \
         [`ApiError`](super::{}).",
        root_doc_path(api, "ApiError")
    );
    let variants = operation
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| variant_tokens(api, r));
    // `#[non_exhaustive]`, like the success enum: a spec that documents one more status
    // adds a variant without breaking callers' code.
    let derive = responses_derive(api, operation, false);
    quote! {
        #[doc = #doc]
        #derive
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        #own_alias
    }
}

/// The derives of an operation's enum of success (or error) responses: none of the
/// generator's own when a body holds a type the user replaced.
fn responses_derive(api: &Api, operation: &Operation, success: bool) -> TokenStream {
    let plain = operation
        .responses
        .iter()
        .filter(|r| r.status.is_success() == success)
        .filter_map(|r| r.body.as_ref())
        .any(|body| holds_external(api, body));
    derive_attr(STANDARD_DERIVES, &[], plain, &[])
}

pub fn emit_method(api: &Api, operation: &Operation) -> TokenStream {
    let endpoint = format!("`{} {}`", operation.method, operation.path);
    let headers_doc = operation
        .response_type
        .is_none()
        .then(|| operation.responses.iter().find(|r| r.status.is_success()))
        .flatten()
        .and_then(|response| headers_note(api, response, Scope::Root));
    let only_stream = operation.stream.as_ref().filter(|stream| stream.only);
    let described = paragraph_lines([
        operation.summary.as_deref(),
        operation.description.as_deref(),
    ]);
    // Rustdoc lists a method with its first paragraph: the endpoint, when the spec says nothing.
    let (first, last) = match described.is_empty() {
        true => (Some(endpoint.as_str()), None),
        false => (None, Some(endpoint.as_str())),
    };
    let arguments: Vec<TokenStream> = arguments(api, operation)
        .into_iter()
        .map(|(name, ty)| quote!(#name: #ty))
        .collect();
    let blocks = [
        paragraph_lines([first]),
        described,
        arguments_doc(api, operation),
        returns_doc(api, operation, only_stream, !arguments.is_empty()),
        paragraph_lines([headers_doc.as_deref(), last]),
    ];
    let mut lines: Vec<String> = Vec::new();
    for block in blocks.into_iter().filter(|block| !block.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(block);
    }
    let docs = doc_lines(&lines);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&operation.name);
    let many = many_arguments(arguments.len());
    let success = success_type(api, operation);
    let error = ident(&operation.error_type);
    let response = root_item(api, "Response");
    let checks = checks(api, operation);
    let path = path_tokens(operation);
    let operation_id = &operation.operation_id;
    let template = &operation.path;
    let new = match METHOD_CONSTANTS.contains(&operation.method.as_str()) {
        true => {
            let method = ident(&operation.method);
            quote!(runtime::__private::Request::new(runtime::Method::#method, #operation_id, #template))
        }
        false => {
            let method = &operation.method;
            quote!(runtime::__private::Request::extension(#method, #operation_id, #template))
        }
    };
    let params = request_params(operation);
    let body = operation.body.as_ref().map(|body| {
        let media_type = &body.media_type;
        let idempotent =
            idempotency_check(api, &body.ty).map(|check| quote!(request.idempotent(#check);));
        let set = match body.kind {
            BodyKind::Json => quote!(request.json(#media_type, body);),
            BodyKind::Form => quote!(request.form(#media_type, body);),
            BodyKind::Multipart => quote!(request.multipart(body);),
            BodyKind::Text => quote!(request.raw(#media_type, body.as_bytes().to_vec());),
            BodyKind::Binary => quote!(request.raw(#media_type, body.to_vec());),
        };
        if body.required {
            quote!(#set #idempotent)
        } else {
            quote!(if let Some(body) = body { #set #idempotent })
        }
    });
    let security = operation.security.iter().map(|all| {
        let schemes = all
            .iter()
            .filter_map(|index| api.security_schemes.get(*index))
            .map(|scheme| scheme_path(scheme, quote!(Self)));
        quote!(&[#(#schemes),*])
    });
    let arms = status_arms(api, operation);
    // A method that is the stream asks for the stream.
    let accept = only_stream
        .map(|stream| &stream.accept)
        .or(operation.accept.as_ref())
        .map(|accept| quote!(request.accept(#accept);));
    let built = quote!(#checks #path #accept #params #body);
    let mutable = (!built.is_empty()).then(|| quote!(mut));
    let (returns, events) = match only_stream {
        Some(stream) => {
            let (item, events) = stream_form(api, stream);
            (
                quote!(runtime::EventsCall<'_, #item, types::#error>),
                Some(events),
            )
        }
        None => (
            quote!(runtime::Call<'_, #response<#success>, types::#error>),
            None,
        ),
    };
    // Built step by step, as a reqwest `RequestBuilder` is: an argument that cannot be sent
    // is kept in the request and fails the call. Sent by the runtime's one `async` body.
    // `#[inline]` leaves its code to the crates that call it, as an `async fn`'s body is: a
    // client crate does not generate code for thousands of operations its users may never
    // call.
    quote! {
        #docs
        #deprecated
        #many
        #[inline]
        pub fn #name(&self, #(#arguments),*) -> #returns {
            let #mutable request = #new;
            #built
            self.http.call(request, &[#(#security),*], |response| {
                match response.status().as_u16() {
                    #arms
                }
            })
            #events
        }
    }
}

/// Clippy's limit is seven arguments, `&self` included; a spec's parameters decide how many a
/// method has, and its stream forms and paginators take the same.
fn many_arguments(count: usize) -> Option<TokenStream> {
    (count >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// What a method that calls the deprecated operation's method carries: deprecated too, and
/// allowed the call, which the lint would warn of even inside a deprecated method.
fn deprecated_caller(operation: &Operation) -> Option<TokenStream> {
    operation
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]))
}

/// A `# Arguments` section: each path parameter with its description, where the parameter
/// struct's fields are documented, and the body.
fn arguments_doc(api: &Api, operation: &Operation) -> Vec<String> {
    let mut items: Vec<Vec<String>> = Vec::new();
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let fallback = format!("The {} path parameter.", code(&param.wire_name));
        let text = param.description.as_deref().unwrap_or(&fallback);
        items.push(list_item(&format!("`{}`", param.name), text));
    }
    if let Some(params_type) = &operation.params_type {
        let text = format!(
            "The {}, each documented on its field of [`types::{params_type}`].",
            parameter_kinds(operation).to_lowercase()
        );
        items.push(list_item("`params`", &text));
    }
    if let Some(body) = &operation.body {
        let sent = match body.kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match unalias(api, &body.ty) {
                TypeRef::Named(id) => api.types.get(*id).map(|def| {
                    format!("A [`types::{}`], sent as `{}`.", def.name, body.media_type)
                }),
                _ => None,
            },
            BodyKind::Text | BodyKind::Binary => None,
        }
        .unwrap_or_else(|| format!("Sent as `{}`.", body.media_type));
        let optional = if body.required {
            ""
        } else {
            " `None` sends no body."
        };
        let text = match &body.description {
            Some(description) => format!("{description}\n\n{sent}{optional}"),
            None => format!("{sent}{optional}"),
        };
        items.push(list_item("`body`", &text));
    }
    section("Arguments", items)
}

/// A `# Returns` section: what awaiting the call gives, status by status, in one paragraph
/// (each error variant's own docs say the rest).
fn returns_doc(
    api: &Api,
    operation: &Operation,
    only_stream: Option<&EventStream>,
    has_arguments: bool,
) -> Vec<String> {
    let mut responses: Vec<&Response> = operation.responses.iter().collect();
    responses.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    // A link to a root item, through `runtime` where the crate root does not re-export it.
    let link = |item: &str, variant: &str| {
        let shown = format!("{item}{variant}");
        match root_doc_path(api, item) {
            path if path == item => format!("[`{shown}`]"),
            path => format!("[`{shown}`]({path}{variant})"),
        }
    };
    let response_link = link("Response", "");
    let status_words = |response: &Response| match response.status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(hundreds) => format!("`{hundreds}XX`"),
        StatusMatch::Default => "any other status".to_owned(),
    };
    let listed = |responses: &[&Response]| {
        let parts: Vec<String> = responses
            .iter()
            .map(|r| format!("{} (`{}`)", status_words(r), r.variant))
            .collect();
        parts.join(", ")
    };
    let (successes, errors): (Vec<&Response>, Vec<&Response>) =
        responses.iter().partition(|r| r.status.is_success());
    let success = match (only_stream, &operation.response_type, successes.as_slice()) {
        (Some(stream), _, _) => {
            let what = match stream.framing {
                StreamFraming::Events => "server-sent events, each one's data",
                StreamFraming::Lines | StreamFraming::Sequence => "records, each",
            };
            format!(
                "the response's head, then a stream of {what} decoded as it arrives \
                 ([`runtime::Events`])"
            )
        }
        (None, Some(name), _) => format!(
            "the {response_link}, its body a [`types::{name}`]: {}",
            listed(&successes)
        ),
        (None, None, [response, ..]) => match payload_type(api, response, Scope::Root) {
            Some(ty) => format!(
                "the {response_link}, its body {} ({})",
                type_words(&ty),
                status_words(response)
            ),
            None => format!(
                "the {response_link}, with no body ({})",
                status_words(response)
            ),
        },
        (None, None, []) => format!("the {response_link}"),
    };
    let mut clauses = vec![format!("Awaiting the call gives {success}")];
    if !errors.is_empty() {
        let error = &operation.error_type;
        clauses.push(format!(
            "or {} with a [`types::{error}`] for {}",
            link("Error", "::Api"),
            listed(&errors)
        ));
    }
    if !responses.iter().any(|r| r.status == StatusMatch::Default) {
        clauses.push(format!(
            "{} for any other status",
            link("Error", "::UnexpectedStatus")
        ));
    }
    if has_arguments {
        clauses.push(format!(
            "{}, and nothing sent, for an argument the spec's constraints refuse",
            link("Error", "::Validation")
        ));
    }
    section("Returns", vec![vec![format!("{}.", clauses.join("; "))]])
}

/// A type as words with links: `[`types::Pet`]`, or in code when it is not one name.
fn type_words(ty: &TokenStream) -> String {
    let text = text(ty);
    match text.strip_prefix("types::") {
        Some(name) if name.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            format!("[`{text}`]")
        }
        _ => format!("`{text}`"),
    }
}

/// A Markdown list item of `name` and spec text: the text's first line after the name, its
/// other lines indented under it, so that its paragraphs and code stay in the item.
fn list_item(name: &str, text: &str) -> Vec<String> {
    let cleaned = clean(text);
    let mut lines = cleaned.lines();
    let first = lines.next().unwrap_or_default();
    let mut item = if first.starts_with("```") {
        vec![format!("- {name}:"), format!("  {first}")]
    } else {
        vec![format!("- {name}: {first}")]
    };
    item.extend(lines.map(|line| match line.is_empty() {
        true => String::new(),
        false => format!("  {line}"),
    }));
    item
}

/// `# title` and its list, or nothing for an empty list.
fn section(title: &str, items: Vec<Vec<String>>) -> Vec<String> {
    if items.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!("# {title}"), String::new()];
    lines.extend(items.into_iter().flatten());
    lines
}

/// The item type of a stream form, and the `.events(..)` that reads it.
fn stream_form(api: &Api, stream: &EventStream) -> (TokenStream, TokenStream) {
    let item = type_tokens(api, &stream.item, Scope::Root);
    let framing = match stream.framing {
        StreamFraming::Events => quote!(None),
        StreamFraming::Lines => quote!(Some(runtime::__private::Framing::Lines)),
        StreamFraming::Sequence => quote!(Some(runtime::__private::Framing::Sequence)),
    };
    let decode = if stream.is_text() {
        quote!(runtime::__private::text_data)
    } else {
        quote!(runtime::__private::json_data)
    };
    (quote!(#item), quote!(.events(#framing, #decode)))
}

/// `{name}_stream` for an operation with a stream form beside another: the same call, asking
/// for the stream (`Accept`, and the body's flag when it has one), read as it arrives.
pub fn emit_stream_form(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let stream = operation.stream.as_ref().filter(|stream| !stream.only)?;
    let method = ident(&operation.name);
    let name = ident(&stream.name);
    let error = ident(&operation.error_type);
    let (passed, arguments): (Vec<Ident>, Vec<TokenStream>) = arguments(api, operation)
        .into_iter()
        .map(|(name, ty)| {
            let argument = quote!(#name: #ty);
            (name, argument)
        })
        .unzip();
    let (item, events) = stream_form(api, stream);
    let many = many_arguments(arguments.len());
    let deprecated = deprecated_caller(operation);
    let accept = &stream.accept;
    let flag = stream.flag.as_ref().map(|flag| quote!(.stream_flag(#flag)));
    let what = match stream.framing {
        StreamFraming::Events => "server-sent event, its data",
        StreamFraming::Lines | StreamFraming::Sequence => "record",
    };
    let asked = match &stream.flag {
        Some(flag) => format!("`Accept: {accept}` and `{flag}: true` in the body"),
        None => format!("`Accept: {accept}`"),
    };
    let doc = format!(
        " [`Client::{}`] in its stream form, asked for with {asked}: each {what} decoded \
         as it arrives. Await the call for the response's head, then read the events; see \
         [`runtime::Events`].",
        operation.name
    );
    Some(quote! {
        #[doc = #doc]
        #deprecated
        #many
        pub fn #name(&self, #(#arguments),*) -> runtime::EventsCall<'_, #item, types::#error> {
            self.#method(#(#passed),*).accept(#accept) #flag #events
        }
    })
}

/// `{name}_pages` and `{name}_stream`: every page of a paginated list, and every item, fetched
/// as the stream is read, the next page found as the operation's scheme says.
pub fn emit_stream(api: &Api, operation: &Operation) -> Option<(TokenStream, TokenStream)> {
    let pagination = operation.pagination.as_ref()?;
    let method = ident(&operation.name);
    let error = ident(&operation.error_type);
    let (response, error_type) = (root_item(api, "Response"), root_item(api, "Error"));
    let item = type_tokens(api, &pagination.item, Scope::Root);
    let page = type_tokens(api, &pagination.page, Scope::Root);
    let pages_name = ident(&pagination.pages_name);
    let stream_name = ident(&pagination.stream_name);
    // The stream holds the parameter struct and borrows the other arguments for as long as it
    // lives.
    let (passed, arguments): (Vec<Ident>, Vec<TokenStream>) = arguments(api, operation)
        .into_iter()
        .map(|(name, ty)| {
            let ty = if name == "params" {
                owned(ty)
            } else {
                with_lifetime(ty)
            };
            let argument = quote!(#name: #ty);
            (name, argument)
        })
        .unzip();
    let params_type = match &operation.params_type {
        Some(params_type) => {
            let params_type = ident(params_type);
            quote!(types::#params_type)
        }
        None => quote!(()),
    };
    let start_params = if operation.params_type.is_some() {
        quote!(params)
    } else {
        quote!(())
    };
    let next = page_next(api, operation, pagination, quote!(page.body), Moved::Params)?;
    let fetch = page_fetch(operation, pagination)?;
    let items_owned = items_owned(api, pagination);
    let count_of = items_access(api, pagination, quote!(page)).len();
    let scheme = pagination.scheme.describe(&operation.params);
    let pages_doc = format!(
        " Every page of [`Client::{}`], each a [`{}`] with its status and headers, \
         fetched as the stream is read. The next page: {scheme}. A page seen before, or a run \
         of empty pages, ends the stream with [`{}::Pagination`]; so does any other error. \
         Take only what you need (`StreamExt::take`): no page is fetched before it is read.",
        operation.name,
        root_doc_path(api, "Response"),
        root_doc_path(api, "Error"),
    );
    let stream_doc = format!(
        " Every item of [`Client::{}`], page after page (see [`Client::{}`]).",
        operation.name, pagination.pages_name
    );
    let fetch_params = if operation.params_type.is_some() {
        quote!(params)
    } else {
        quote!(_params)
    };
    // Only the schemes that move a parameter on read the parameters.
    let next_params = match pagination.scheme {
        PageScheme::Link | PageScheme::NextUrl { .. } => quote!(_params),
        _ => quote!(params),
    };
    let deprecated = deprecated_caller(operation);
    let many = many_arguments(arguments.len());
    let pages = quote! {
        #[doc = #pages_doc]
        #deprecated
        #many
        pub fn #pages_name<'a>(
            &'a self,
            #(#arguments),*
        ) -> impl runtime::futures_util::Stream<Item = Result<#response<#page>, #error_type<types::#error>>> + 'a {
            runtime::__private::pages(
                #start_params,
                move |#fetch_params: &#params_type, url: Option<String>| {
                    let call = self.#method(#(#passed),*);
                    #fetch
                },
                |page: &#response<#page>, #next_params: &mut #params_type| -> runtime::__private::Next { #next },
                |page: &#page| #count_of,
            )
        }
    };
    let stream = quote! {
        #[doc = #stream_doc]
        #deprecated
        #many
        pub fn #stream_name<'a>(
            &'a self,
            #(#arguments),*
        ) -> impl runtime::futures_util::Stream<Item = Result<#item, #error_type<types::#error>>> + 'a {
            runtime::__private::items(self.#pages_name(#(#passed),*), |page: #page| #items_owned)
        }
    };
    Some((pages, stream))
}

/// The page's call, sent to the next page's URL when there is one; an operation with other
/// successes beside the page has its page taken out of the response enum.
fn page_fetch(operation: &Operation, pagination: &Pagination) -> Option<TokenStream> {
    let sent = quote! {
        match url {
            Some(url) => call.with_next_url(url),
            None => call,
        }
    };
    let Some(response_type) = &operation.response_type else {
        return Some(sent);
    };
    let response_type = ident(response_type);
    let variant = ident(&operation.responses.get(pagination.response)?.variant);
    Some(quote! {
        let call = #sent;
        runtime::__private::page_of(call, |response| match response {
            types::#response_type::#variant(page) => Some(page),
            _ => None,
        })
    })
}

/// What the next page's position moves: the client's parameters, or the mock's own count.
#[derive(Clone, Copy, PartialEq)]
pub enum Moved {
    /// `params`, the operation's parameter struct: the position is set there.
    Params,
    /// Nothing for a cursor; for an offset or a page number the mock's local `position`, which
    /// starts at the first page's.
    Mock,
}

/// Where a list goes on after the page at the place `page`, as a `runtime::__private::Next` expression.
pub fn page_next(
    api: &Api,
    operation: &Operation,
    pagination: &Pagination,
    page: TokenStream,
    moved: Moved,
) -> Option<TokenStream> {
    let params_param = |index: &usize| operation.params.get(*index).map(|p| ident(&p.name));
    // The page size sent, or the one the server assumes without it: a shorter page is the
    // last. A mock serves the pages it is given, short or not.
    let limit_tokens = |index: Option<&usize>| {
        let param = index.and_then(|index| operation.params.get(*index));
        let Some(param) = param.filter(|_| moved == Moved::Params) else {
            return quote!(None);
        };
        let name = ident(&param.name);
        match param.default.as_ref().and_then(serde_json::Value::as_i64) {
            Some(default) => quote!(params.#name.or(Some(#default))),
            None => quote!(params.#name),
        }
    };
    let items_of_page = || items_access(api, pagination, page.clone());
    let on_page = |path| field_access(api, page_access(pagination, page.clone()), path);
    let count = items_of_page().len();
    // A cursor the client sends back, and a position it moves on from.
    let set_cursor = |param: &usize| -> Option<TokenStream> {
        let param = params_param(param)?;
        Some(match moved {
            Moved::Params => quote!(|cursor| params.#param = Some(cursor)),
            Moved::Mock => quote!(|_| {}),
        })
    };
    let position = |param: &usize, first: TokenStream| -> Option<(TokenStream, TokenStream)> {
        let param = params_param(param)?;
        Some(match moved {
            Moved::Params => (
                quote!(params.#param.unwrap_or(#first)),
                quote!(|next| params.#param = Some(next)),
            ),
            Moved::Mock => (quote!(position), quote!(|next| position = next)),
        })
    };
    Some(match &pagination.scheme {
        PageScheme::Link => match moved {
            Moved::Params => quote!(runtime::__private::link_next(&page.headers)),
            // The mock writes the `Link` header itself, to a page number of its own.
            Moved::Mock => quote! {{
                position += 1;
                runtime::__private::Next::Params(position.to_string())
            }},
        },
        PageScheme::NextUrl { next } => {
            let next = on_page(next).cloned();
            quote!(runtime::__private::Next::url(#next))
        }
        PageScheme::Cursor { param, next } => {
            let set = set_cursor(param)?;
            let next = on_page(next).cloned();
            quote!(runtime::__private::Next::cursor(#next, #set))
        }
        PageScheme::LastId {
            param,
            has_more,
            id,
            id_on_page,
        } => {
            let set = set_cursor(param)?;
            let has_more = on_page(has_more).copied();
            let last = if *id_on_page {
                on_page(id).cloned()
            } else {
                let last = match items_of_page() {
                    Access::Place(items) => quote!(#items.last()),
                    other => {
                        let items = other.optional();
                        quote!(#items.and_then(|items| items.last()))
                    }
                };
                match field_access(api, Access::Place(quote!(item)), id) {
                    Access::Place(id) => quote!(#last.map(|item| #id.clone())),
                    other => {
                        let id = other.cloned();
                        quote!(#last.and_then(|item| #id))
                    }
                }
            };
            quote!(runtime::__private::Next::after_last(#has_more == Some(true), #last, #set))
        }
        PageScheme::Offset {
            param,
            limit,
            total,
        } => {
            let (current, set) = position(param, quote!(0))?;
            let limit = limit_tokens(limit.as_ref());
            let total = match total {
                Some(total) => on_page(total).copied(),
                None => quote!(None),
            };
            quote!(runtime::__private::Next::offset(#current, #count, #limit, #total, #set))
        }
        PageScheme::Page {
            param,
            first,
            limit,
        } => {
            let (current, set) = position(param, quote!(#first))?;
            let limit = limit_tokens(limit.as_ref());
            quote!(runtime::__private::Next::page(#current, #count, #limit, #set))
        }
    })
}

/// A borrowed type with the stream's lifetime: `&'a T`, `Option<&'a T>`.
fn with_lifetime(ty: TokenStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    for token in ty {
        let borrow =
            matches!(&token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == '&');
        tokens.extend(std::iter::once(token));
        if borrow {
            tokens.extend(quote!('a));
        }
    }
    tokens
}

/// `&T` as `T`: the parameter struct, which the stream holds.
fn owned(ty: TokenStream) -> TokenStream {
    ty.into_iter()
        .skip_while(
            |token| matches!(token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == '&'),
        )
        .collect()
}

/// A field reached from a value: a place (`page.body.data`) while every step is a plain
/// field, an `Option<&T>` once one is optional.
enum Access {
    Place(TokenStream),
    /// A place holding an `Option<T>`.
    OptionPlace(TokenStream),
    Optional(TokenStream),
}

impl Access {
    /// As an `Option<&T>`.
    fn optional(self) -> TokenStream {
        match self {
            Self::Place(place) => quote!(Some(&#place)),
            Self::OptionPlace(place) => quote!(#place.as_ref()),
            Self::Optional(optional) => optional,
        }
    }

    /// A clone of the value, as an `Option<T>`.
    fn cloned(self) -> TokenStream {
        match self {
            Self::Place(place) => quote!(Some(#place.clone())),
            Self::OptionPlace(place) => quote!(#place.clone()),
            Self::Optional(optional) => quote!(#optional.cloned()),
        }
    }

    /// A copy of the value, as an `Option<T>`.
    fn copied(self) -> TokenStream {
        match self {
            Self::Place(place) => quote!(Some(#place)),
            Self::OptionPlace(place) => place,
            Self::Optional(optional) => quote!(#optional.copied()),
        }
    }

    /// The length of the list there, absent counting as empty.
    fn len(self) -> TokenStream {
        match self {
            Self::Place(place) => quote!(#place.len()),
            other => {
                let optional = other.optional();
                quote!(#optional.map_or(0, Vec::len))
            }
        }
    }
}

/// The field at `path` from the place `start`.
fn field_access(api: &Api, start: Access, path: &FieldPath) -> Access {
    let mut access = start;
    for step in &path.steps {
        let field = ident(&step.name);
        let shape = step_shape(api, step);
        access = match (access, shape) {
            (Access::Place(place), Shape::Plain) => Access::Place(quote!(#place.#field)),
            (Access::Place(place), Shape::Optional) => Access::OptionPlace(quote!(#place.#field)),
            (Access::Place(place), Shape::Double) => {
                Access::Optional(quote!(#place.#field.as_ref().and_then(Option::as_ref)))
            }
            (Access::OptionPlace(place), shape) => {
                let optional = quote!(#place.as_ref());
                match shape {
                    Shape::Plain => Access::Optional(quote!(#optional.map(|v| &v.#field))),
                    Shape::Optional => {
                        Access::Optional(quote!(#optional.and_then(|v| v.#field.as_ref())))
                    }
                    Shape::Double => Access::Optional(
                        quote!(#optional.and_then(|v| v.#field.as_ref()).and_then(Option::as_ref)),
                    ),
                }
            }
            (Access::Optional(optional), Shape::Plain) => {
                Access::Optional(quote!(#optional.map(|v| &v.#field)))
            }
            (Access::Optional(optional), Shape::Optional) => {
                Access::Optional(quote!(#optional.and_then(|v| v.#field.as_ref())))
            }
            (Access::Optional(optional), Shape::Double) => Access::Optional(
                quote!(#optional.and_then(|v| v.#field.as_ref()).and_then(Option::as_ref)),
            ),
        };
    }
    access
}

/// Whether the page is an `Option` (a body the spec lets be `null`).
fn page_is_optional(pagination: &Pagination) -> bool {
    matches!(pagination.page, TypeRef::Nullable(_))
}

/// The page at the place `page`.
fn page_access(pagination: &Pagination, page: TokenStream) -> Access {
    if page_is_optional(pagination) {
        Access::OptionPlace(page)
    } else {
        Access::Place(page)
    }
}

/// The page's items, the page being the place `page`.
fn items_access(api: &Api, pagination: &Pagination, page: TokenStream) -> Access {
    let page = page_access(pagination, page);
    match &pagination.items {
        None => page,
        Some(path) => field_access(api, page, path),
    }
}

/// The page's items taken out of `page`, a `Vec<T>`.
fn items_owned(api: &Api, pagination: &Pagination) -> TokenStream {
    let Some(path) = &pagination.items else {
        return if page_is_optional(pagination) {
            quote!(page.unwrap_or_default())
        } else {
            quote!(page)
        };
    };
    let mut optional = page_is_optional(pagination);
    let mut expr = quote!(page);
    for step in &path.steps {
        let field = ident(&step.name);
        expr = match (optional, step_shape(api, step)) {
            (false, Shape::Plain) => quote!(#expr.#field),
            (false, Shape::Optional) => quote!(#expr.#field),
            (false, Shape::Double) => quote!(#expr.#field.flatten()),
            (true, Shape::Plain) => quote!(#expr.map(|v| v.#field)),
            (true, Shape::Optional) => quote!(#expr.and_then(|v| v.#field)),
            (true, Shape::Double) => quote!(#expr.and_then(|v| v.#field).flatten()),
        };
        optional |= !matches!(step_shape(api, step), Shape::Plain);
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// How a field is held: `T`, `Option<T>`, or `Option<Option<T>>` (optional and nullable in a
/// type a request reaches).
enum Shape {
    Plain,
    Optional,
    Double,
}

fn step_shape(api: &Api, step: &Step) -> Shape {
    let in_request = api.types.get(step.owner).is_some_and(|def| def.in_request);
    match (step.required, step.nullable) {
        (true, false) => Shape::Plain,
        (false, true) if in_request => Shape::Double,
        _ => Shape::Optional,
    }
}

/// The method's arguments, as `(name, type)`: path parameters, the parameter struct, the body.
fn arguments(api: &Api, operation: &Operation) -> Vec<(Ident, TokenStream)> {
    let mut arguments: Vec<(Ident, TokenStream)> = operation
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|param| {
            let ty = argument_tokens(api, &param.ty, Scope::Root);
            (ident(&param.name), ty)
        })
        .collect();
    if let Some(params_type) = &operation.params_type {
        let ty = ident(params_type);
        arguments.push((ident("params"), quote!(&types::#ty)));
    }
    if let Some(body) = &operation.body {
        let ty = match body.kind {
            BodyKind::Text => quote!(&str),
            BodyKind::Binary => quote!(&[u8]),
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                let ty = type_tokens(api, &body.ty, Scope::Root);
                quote!(&#ty)
            }
        };
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        arguments.push((ident("body"), ty));
    }
    arguments
}

pub(super) fn success_type(api: &Api, operation: &Operation) -> TokenStream {
    if let Some(name) = &operation.response_type {
        let name = ident(name);
        return quote!(types::#name);
    }
    operation
        .responses
        .iter()
        .find(|r| r.status.is_success())
        .and_then(|response| payload_type(api, response, Scope::Root))
        .unwrap_or_else(|| quote!(()))
}

/// Constraint checks on every argument, kept by the request before anything is built.
fn checks(api: &Api, operation: &Operation) -> TokenStream {
    let params = operation.params.iter().map(|param| {
        let name = ident(&param.name);
        let wire = &param.wire_name;
        let value = match param.location {
            ParamLocation::Path => quote!(&#name),
            _ => quote!(&params.#name),
        };
        let constrained = constraints_tokens(&param.constraints)
            .map(|c| quote!(request.constrain(#value, &#c, #wire);));
        let nested =
            needs_validation(api, &param.ty).then(|| quote!(request.validate(#value, #wire);));
        quote!(#constrained #nested)
    });
    let body = operation
        .body
        .as_ref()
        .filter(|body| needs_validation(api, &body.ty))
        .map(|body| match body.required {
            true => quote!(request.validate(body, "body");),
            false => quote!(request.validate(&body, "body");),
        });
    quote!(#(#params)* #body)
}

/// The path, piece by piece: the template's text, and each parameter encoded as a segment.
fn path_tokens(operation: &Operation) -> TokenStream {
    let pieces = operation
        .path_segments
        .iter()
        .filter_map(|segment| match segment {
            PathSegment::Literal(text) => Some(quote!(request.path(#text);)),
            PathSegment::Param(index) => {
                let param = operation.params.get(*index)?;
                let name = ident(&param.name);
                let wire = &param.wire_name;
                Some(quote!(request.path_param(#wire, &#name);))
            }
        });
    quote!(#(#pieces)*)
}

fn request_params(operation: &Operation) -> TokenStream {
    let calls = operation.params.iter().filter_map(|param| {
        let name = ident(&param.name);
        let wire = param.wire_name.to_ascii_lowercase();
        match param.location {
            ParamLocation::Path => None,
            ParamLocation::Query(style) => {
                let wire = &param.wire_name;
                Some(match query_style(style) {
                    None => quote!(request.query(#wire, &params.#name);),
                    Some(style) => quote!(request.query_styled(#wire, &params.#name, #style);),
                })
            }
            ParamLocation::QueryString(format) => {
                let wire = &param.wire_name;
                let format = query_string_format(format);
                Some(quote!(request.query_string(#wire, &params.#name, #format);))
            }
            ParamLocation::Header => Some(quote!(request.header(#wire, &params.#name);)),
            ParamLocation::Cookie => {
                let wire = &param.wire_name;
                Some(quote!(request.cookie(#wire, &params.#name);))
            }
        }
    });
    quote!(#(#calls)*)
}

/// The runtime's name for a query parameter's `style` and `explode`; `None` for `form` and
/// exploded, OpenAPI's default and most parameters' style, which the plain `query` calls (the
/// client's and the mock's) write.
pub(super) fn query_style(style: QueryStyle) -> Option<TokenStream> {
    Some(match style {
        QueryStyle::FormExploded => return None,
        QueryStyle::Form => quote!(runtime::__private::QueryStyle::Form),
        QueryStyle::SpaceDelimited => quote!(runtime::__private::QueryStyle::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(runtime::__private::QueryStyle::PipeDelimited),
        QueryStyle::DeepObject => quote!(runtime::__private::QueryStyle::DeepObject),
    })
}

/// The runtime's name for how an `in: querystring` parameter writes the query string.
pub(super) fn query_string_format(format: QueryString) -> TokenStream {
    match format {
        QueryString::Form => quote!(runtime::__private::QueryString::Form),
        QueryString::Json => quote!(runtime::__private::QueryString::Json),
        QueryString::Text => quote!(runtime::__private::QueryString::Text),
    }
}

/// The methods `http` names by a constant of `Method`; any other (`PURGE`, a lower-case `link`
/// from `additionalOperations`) goes by its name, which loading checked is an HTTP token.
const METHOD_CONSTANTS: [&str; 10] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT", "QUERY",
];

/// A mock's `runtime::mock::Expectation` of requests with `method` to `template`.
pub(super) fn expectation_tokens(method: &str, template: &str) -> TokenStream {
    match METHOD_CONSTANTS.contains(&method) {
        true => {
            let method = ident(method);
            quote!(runtime::mock::Expectation::new(runtime::Method::#method, #template))
        }
        false => quote!(runtime::mock::Expectation::extension(#method, #template)),
    }
}

/// Wire names under which a request body carries its own idempotency key.
const IDEMPOTENCY_FIELDS: [&str; 3] = ["idempotency_key", "idempotencyKey", "IdempotencyKey"];

/// An expression (over `body`) that is true when the body carries an idempotency key, which
/// makes the request safe to retry even with a non-idempotent method.
fn idempotency_check(api: &Api, body: &TypeRef) -> Option<TokenStream> {
    let TypeRef::Named(id) = unalias(api, body) else {
        return None;
    };
    let TypeKind::Struct(fields) = &api.types.get(*id)?.kind else {
        return None;
    };
    let field = fields
        .iter()
        .find(|f| IDEMPOTENCY_FIELDS.contains(&f.wire_name.as_str()))?;
    let name = ident(&field.name);
    let in_request = api.types.get(*id).is_some_and(|def| def.in_request);
    Some(match (field.required, field.nullable) {
        (true, false) => quote!(true),
        (false, true) if in_request => quote!(matches!(&body.#name, Some(Some(_)))),
        _ => quote!(body.#name.is_some()),
    })
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(hundreds) => {
            let low = Literal::u16_unsuffixed(hundreds * 100);
            let high = Literal::u16_unsuffixed(hundreds * 100 + 99);
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    }
}

fn status_arms(api: &Api, operation: &Operation) -> TokenStream {
    let mut responses: Vec<&Response> = operation.responses.iter().collect();
    // Exact codes before ranges before `default`, whatever order the spec lists them in.
    responses.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let error = ident(&operation.error_type);
    let arms = responses.iter().map(|response| {
        let pattern = status_pattern(response.status);
        let variant = ident(&response.variant);
        let success = response.status.is_success();
        // What turns the decoded payload into the method's value: a variant of the response
        // or error enum, or the payload itself.
        let wrap = match (&operation.response_type, success) {
            (_, false) => quote!(types::#error::#variant),
            (Some(name), true) => {
                let name = ident(name);
                quote!(types::#name::#variant)
            }
            (None, true) => quote!(std::convert::identity),
        };
        let Some(payload) = payload_type(api, response, Scope::Root) else {
            let value = match (&operation.response_type, success) {
                (None, true) => quote!(()),
                _ => wrap,
            };
            return match success {
                true => quote!(#pattern => Ok(response.typed(#value)),),
                false => quote!(#pattern => Err(response.api_error(#value)),),
            };
        };
        let method = match (&response.body, response.kind, success) {
            (None, _, _) => {
                // Headers alone: read them, then go on as with a decoded body.
                let finish = match success {
                    true => quote!(Ok(response.typed(#wrap(body)))),
                    false => quote!(Err(response.api_error(#wrap(body)))),
                };
                return quote! {
                    #pattern => {
                        let body = #payload::from_headers(response.headers())
                            .map_err(|err| response.header_error(err))?;
                        #finish
                    }
                };
            }
            (Some(_), BodyKind::Json | BodyKind::Form, true) => quote!(ok_json),
            (Some(_), BodyKind::Json | BodyKind::Form, false) => quote!(err_json),
            (Some(_), BodyKind::Text, true) => quote!(ok_text),
            (Some(_), BodyKind::Text, false) => quote!(err_text),
            (Some(_), BodyKind::Binary | BodyKind::Multipart, true) => quote!(ok_bytes),
            (Some(_), BodyKind::Binary | BodyKind::Multipart, false) => quote!(err_bytes),
        };
        quote!(#pattern => response.#method(#wrap),)
    });
    let has_default = responses.iter().any(|r| r.status == StatusMatch::Default);
    let fallback = (!has_default).then(|| quote!(_ => Err(response.unexpected()),));
    quote!(#(#arms)* #fallback)
}
