//! The `mock` module: for each operation, a function and a builder that set up a wiremock mock
//! of it (runtime feature `mock`). The builder fixes parameters and the body as the client
//! sends them, and answers with any documented response, typed. A paged list also gets
//! `{operation}_pages`, which serves a sequence of pages in the list's own scheme.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::operations::{Moved, expectation_tokens, page_next, query_string_format, query_style};
use super::rust::{Scope, argument_tokens, cfg_tokens, ident, type_tokens};
use crate::model::pagination::PageScheme;
use crate::model::{
    Api, BodyKind, EventStream, Operation, ParamLocation, Response, StatusMatch, StreamFraming,
};

/// The function, builder struct and builder methods that mock `operation`.
pub fn operation_mock(api: &Api, operation: &Operation) -> TokenStream {
    let cfg = cfg_tokens(operation.features.as_deref());
    let function = ident(&operation.name);
    let builder = ident(&operation.mock.builder);
    let expectation = expectation_tokens(&operation.method, &operation.path);
    let function_doc = format!(
        " A mock of [`Client::{0}`](super::Client::{0}), `{1} {2}`: say what the request must \
         hold, then answer with a `respond_` method and mount the mock.",
        operation.name, operation.method, operation.path
    );
    let builder_doc = format!(
        " A mock of [`Client::{0}`](super::Client::{0}) being set up; made by [`{0}`].",
        operation.name
    );
    let setters = operation
        .params
        .iter()
        .zip(&operation.mock.params)
        .filter_map(|(param, name)| {
            let setter = ident(name);
            let wire = &param.wire_name;
            let ty = argument_tokens(api, &param.ty, Scope::Root);
            let (what, expect) = match param.location {
                ParamLocation::Path => ("path parameter", quote!(path_param(#wire, &value))),
                ParamLocation::Query(style) => (
                    "query parameter",
                    match query_style(style) {
                        None => quote!(query_param(#wire, &value)),
                        Some(style) => quote!(query_param_styled(#wire, &value, #style)),
                    },
                ),
                ParamLocation::QueryString(format) => {
                    let format = query_string_format(format);
                    ("query string", quote!(query_string(#wire, &value, #format)))
                }
                ParamLocation::Header => ("header", quote!(header(#wire, &value))),
                ParamLocation::Cookie => return None,
            };
            let doc = format!(" Only requests whose {what} `{wire}` is `value`.");
            Some(quote! {
                #[doc = #doc]
                pub fn #setter(self, value: #ty) -> Self {
                    Self(self.0.#expect)
                }
            })
        });
    let body = operation
        .body
        .as_ref()
        .filter(|body| body.kind == BodyKind::Json)
        .map(|body| {
            let ty = type_tokens(api, &body.ty, Scope::Root);
            quote! {
                /// Only requests whose JSON body equals `body`.
                pub fn body(self, body: &#ty) -> Self {
                    Self(self.0.json_body(body))
                }
            }
        });
    let responders = operation
        .responses
        .iter()
        .zip(&operation.mock.responses)
        .map(|(response, name)| responder(api, response, name));
    let pages = pages_mock(api, operation).map(|pages| quote!(#cfg #pages));
    let stream = operation
        .stream
        .as_ref()
        .map(|stream| stream_responder(api, stream));
    quote! {
        #cfg
        #[doc = #function_doc]
        pub fn #function() -> #builder {
            #builder(#expectation)
        }

        #cfg
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a mock does nothing until it is given a response and mounted"]
        pub struct #builder(runtime::mock::Expectation);

        #cfg
        impl #builder {
            #(#setters)*
            #body
            #(#responders)*
            #stream

            /// Answers with `response`, for what the spec does not document.
            pub fn respond_with(self, response: runtime::mock::ResponseTemplate) -> runtime::mock::Mock {
                self.0.respond(response)
            }
        }

        #pages
    }
}

/// `{operation}_pages`: the mock of a paged list, serving the pages it is given in order, each
/// to the request the client makes for it, the positions read from the pages as the client
/// reads them.
fn pages_mock(api: &Api, operation: &Operation) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    let function = ident(&pagination.pages_name);
    let expectation = expectation_tokens(&operation.method, &operation.path);
    let page = type_tokens(api, &pagination.page, Scope::Root);
    let query = |index: &usize| {
        operation
            .params
            .get(*index)
            .filter(|param| matches!(param.location, ParamLocation::Query(_)))
            .map(|param| param.wire_name.as_str())
    };
    let (position, start) = match &pagination.scheme {
        PageScheme::Link => (
            quote!(runtime::mock::Position::Link("page")),
            Some(quote!(1)),
        ),
        PageScheme::NextUrl { .. } => (quote!(runtime::mock::Position::Url), None),
        PageScheme::Cursor { param, .. } | PageScheme::LastId { param, .. } => {
            let name = query(param)?;
            (quote!(runtime::mock::Position::Query(#name)), None)
        }
        PageScheme::Offset { param, .. } => {
            let name = query(param)?;
            (
                quote!(runtime::mock::Position::Query(#name)),
                Some(quote!(0)),
            )
        }
        PageScheme::Page { param, first, .. } => {
            let name = query(param)?;
            let first = Literal::i64_unsuffixed(*first);
            (
                quote!(runtime::mock::Position::Query(#name)),
                Some(quote!(#first)),
            )
        }
    };
    let next = page_next(api, operation, pagination, quote!(page), Moved::Mock)?;
    // Offsets and page numbers: the first page also answers its own position, sent or not.
    let (start, first_at) = match start {
        Some(start) => (
            Some(quote!(let mut position: i64 = #start;)),
            Some(quote!(.first_at(position.to_string()))),
        ),
        None => (None, None),
    };
    let status = match operation
        .responses
        .get(pagination.response)
        .map(|r| r.status)
    {
        Some(StatusMatch::Code(code)) => code,
        _ => 200,
    };
    let status = Literal::u16_unsuffixed(status);
    let scheme = pagination.scheme.describe(&operation.params);
    let doc = format!(
        " A mock of [`Client::{0}`](super::Client::{0}) serving `pages` in order, each to the \
         request that the page before it leads to ({scheme}). A request for a position that \
         no page leads to is answered `404`, saying where the pages lead.",
        pagination.pages_name
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #function(pages: impl IntoIterator<Item = #page>) -> runtime::mock::Pages {
            #start
            let expectation = #expectation;
            let mut mock = runtime::mock::Pages::new(expectation, #position) #first_at;
            for page in pages {
                let next = #next;
                mock = mock.page(runtime::mock::json(#status, &page), next);
            }
            mock
        }
    })
}

/// `respond_events` or `respond_records`: the mock answering with the stream form, its items
/// typed and written as the client reads them.
fn stream_responder(api: &Api, stream: &EventStream) -> TokenStream {
    let item = type_tokens(api, &stream.item, Scope::Root);
    let status = Literal::u16_unsuffixed(stream.status);
    let encode = if stream.is_text() {
        quote!(runtime::mock::plain_text)
    } else {
        quote!(runtime::mock::json_text)
    };
    let framing = match stream.framing {
        StreamFraming::Events => {
            let doc = format!(
                " Answers {} with `events`, written as server-sent events.",
                stream.status
            );
            return quote! {
                #[doc = #doc]
                pub fn respond_events(self, events: &[runtime::Event<#item>]) -> runtime::mock::Mock {
                    self.0.respond(runtime::mock::events(#status, events, #encode))
                }
            };
        }
        StreamFraming::Lines => quote!(runtime::__private::Framing::Lines),
        StreamFraming::Sequence => quote!(runtime::__private::Framing::Sequence),
    };
    let doc = format!(
        " Answers {} with `records`, one JSON text each.",
        stream.status
    );
    quote! {
        #[doc = #doc]
        pub fn respond_records(self, records: &[#item]) -> runtime::mock::Mock {
            self.0.respond(runtime::mock::records(#status, #framing, records))
        }
    }
}

/// `respond_{variant}`: the mock answering with one documented response, its body typed.
fn responder(api: &Api, response: &Response, name: &str) -> TokenStream {
    let method = ident(name);
    let (status, status_param, status_text) = match response.status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            (quote!(#code), None, code.to_string())
        }
        StatusMatch::Range(hundreds) => (
            quote!(status),
            Some(quote!(status: u16,)),
            format!("`status` (a {hundreds}XX)"),
        ),
        StatusMatch::Default => (
            quote!(status),
            Some(quote!(status: u16,)),
            "`status`".to_owned(),
        ),
    };
    let (payload, template) = match (&response.body, response.kind) {
        (Some(body), BodyKind::Json | BodyKind::Form) => {
            let ty = type_tokens(api, body, Scope::Root);
            (
                Some(quote!(body: &#ty)),
                quote!(runtime::mock::json(#status, body)),
            )
        }
        (Some(_), BodyKind::Text) => (
            Some(quote!(body: &str)),
            quote!(runtime::mock::text(#status, body)),
        ),
        (Some(_), BodyKind::Binary | BodyKind::Multipart) => (
            Some(quote!(body: &[u8])),
            quote!(runtime::mock::bytes(#status, body)),
        ),
        (None, _) => match response
            .headers
            .and_then(|index| api.header_types.get(index))
        {
            Some(headers) => {
                let ty = ident(&headers.type_name);
                let template = headers.fields.iter().fold(
                    quote!(runtime::mock::ResponseTemplate::new(#status)),
                    |template, field| {
                        let member = ident(&field.name);
                        let wire = &field.wire_name;
                        quote!(runtime::mock::with_header(#template, #wire, &headers.#member))
                    },
                );
                (Some(quote!(headers: &types::#ty)), template)
            }
            None => (None, quote!(runtime::mock::ResponseTemplate::new(#status))),
        },
    };
    // The 3.2 summary, written to be this short, when there is one.
    let said = response.summary.as_deref().unwrap_or(&response.description);
    let summary = format!(" Answers with {status_text}: {said}");
    let docs = doc_attrs([Some(summary.as_str())]);
    quote! {
        #docs
        pub fn #method(self, #status_param #payload) -> runtime::mock::Mock {
            self.0.respond(#template)
        }
    }
}

/// The `mock` module around its formatted `items`, inside `runtime::mock_items!`, which keeps
/// them only when the runtime's `mock` feature is on. Macro input is printed as one run of
/// tokens, so the module is laid out here and only its items by prettyplease.
pub fn module_text(items: &[String]) -> String {
    let mut text = String::from(
        "#[rustfmt::skip]\n\
         runtime::mock_items! {\n    \
         /// Typed mocks of the API's operations, for the tests of code that calls the client:\n    \
         /// one function per operation. Needs the runtime's `mock` feature (for tests only,\n    \
         /// in `[dev-dependencies]`).\n    \
         #[allow(dead_code, clippy::wrong_self_convention, clippy::should_implement_trait)]\n    \
         pub mod mock {\n        \
         #[allow(unused_imports)]\n        \
         use super::{runtime, types};\n",
    );
    for item in items {
        super::push_indented(&mut text, item);
    }
    text.push_str("    }\n}\n");
    text
}
