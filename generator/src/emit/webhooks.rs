//! The `webhooks` module: an `Event` enum of the requests the API sends to its users, `parse`,
//! which tells the event from a request's headers and body, `unwrap`, which checks the
//! signature first, and `signed_request`, the request the API would send, for the tests of a
//! receiver. Written inside `runtime::webhook_items!`, which keeps it only with the runtime's
//! `webhooks` feature (the signature checks' crates), and in a crate with features behind
//! its own `webhooks` feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::rust::{Scope, ident, type_tokens};
use crate::model::features::WEBHOOKS;
use crate::model::{Api, Webhook};

pub fn emit_webhooks(api: &Api) -> Option<TokenStream> {
    let webhooks = &api.webhooks;
    if webhooks.events.is_empty() {
        return None;
    }
    let variants = webhooks.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let mut heading = format!(" {}", code(&event.name));
        if let Some(value) = &event.header_value {
            let header = webhooks.event_header.as_deref().unwrap_or_default();
            heading.push_str(&format!(": `{header}: {value}`"));
        }
        if let (Some(tag), Some(value)) = (&webhooks.tag, &event.tag_value) {
            heading.push_str(&format!(", `{tag}` is `{value}`"));
        }
        heading.push('.');
        let text = doc_attrs([event.description.as_deref().or(event.summary.as_deref())]);
        let deprecated = event.deprecated.then(|| quote!(#[deprecated]));
        let payload = payload_type(api, event);
        quote! {
            #[doc = #heading]
            #[doc = ""]
            #text
            #deprecated
            #variant(#payload)
        }
    });
    let names = webhooks.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let name = &event.name;
        quote!(Self::#variant(_) => #name,)
    });
    let decoders = webhooks.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let name = &event.name;
        let decode = match event.payload {
            Some(_) => quote!(runtime::webhooks::decode(body)?),
            None => quote!(body.to_vec()),
        };
        quote!(#name => Self::#variant(#decode),)
    });
    let encoders = webhooks.events.iter().map(|event| {
        let variant = ident(&event.variant);
        let encode = match event.payload {
            Some(_) => quote!(runtime::webhooks::encode(payload)),
            None => quote!(Ok(payload.clone())),
        };
        quote!(Self::#variant(payload) => #encode,)
    });
    let tell = parse_fn(api);
    let signed = signed_request_fn(api);
    let cfg = api
        .features
        .iter()
        .any(|feature| feature == WEBHOOKS)
        .then(|| quote!(#[cfg(feature = "webhooks")]));
    let overview = module_doc(api);
    let deprecated = webhooks
        .events
        .iter()
        .any(|event| event.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
            #overview
            #cfg
            #[allow(dead_code)]
            pub mod webhooks {
                #[allow(unused_imports)]
                use super::{runtime, types};

                #[allow(unused_imports)]
                pub use super::runtime::webhooks::{
                    GitHubSignature, HeaderMap, Request, Sign, StandardWebhooks, UnknownEvent,
                    Verify, WebhookError,
                };

                /// An event the API sends: which one, and its payload.
                #[derive(Clone, Debug, PartialEq)]
                #[non_exhaustive]
                pub enum Event {
                    #(#variants,)*
                    /// An event the spec does not describe (or of a kind it adds later),
                    /// kept as it came.
                    Unknown(UnknownEvent),
                }

                #deprecated
                impl Event {
                    /// The spec's name of the event; an unknown event's name as the request
                    /// gave it, if it did.
                    pub fn name(&self) -> &str {
                        match self {
                            #(#names)*
                            Self::Unknown(unknown) => unknown.name.as_deref().unwrap_or_default(),
                        }
                    }

                    /// Decodes `body` as the event the spec names `name` (a key of its
                    /// webhooks): for a receiver that knows the event from its URL or its own
                    /// routing. A name the spec does not list gives [`Event::Unknown`]. Check
                    /// the signature first ([`Verify::verify`]).
                    pub fn parse_named(name: &str, body: &[u8]) -> Result<Self, WebhookError> {
                        Ok(match name {
                            #(#decoders)*
                            _ => Self::Unknown(UnknownEvent::new(Some(name), body)),
                        })
                    }

                    /// The body the API sends for this event: its payload as JSON, an unknown
                    /// event's body as it came.
                    pub fn to_body(&self) -> Result<Vec<u8>, WebhookError> {
                        match self {
                            #(#encoders)*
                            Self::Unknown(unknown) => Ok(unknown.body.clone()),
                        }
                    }
                }

                #tell
                #signed
            }
    })
}

/// The formatted module inside `runtime::webhook_items!`, which prettyplease leaves as it is.
pub fn module_text(formatted: &str) -> String {
    let mut text = String::from("#[rustfmt::skip]\nruntime::webhook_items! {\n");
    super::push_indented(&mut text, formatted);
    text.push_str("}\n");
    text
}

/// The variant's payload: the JSON body's type, boxed, or the body as bytes. Boxed, an
/// `Event` is small whatever its largest payload, and decoding one (`decode::<Box<T>>`, in
/// serde's own frame) keeps `parse_named`'s stack frame small in a debug build too: unboxed,
/// its arms' payloads took GitHub's 270 events past a test thread's stack.
fn payload_type(api: &Api, event: &Webhook) -> TokenStream {
    match &event.payload {
        Some(ty) => {
            let ty = type_tokens(api, ty, Scope::Root);
            quote!(Box<super::#ty>)
        }
        None => quote!(Vec<u8>),
    }
}

fn module_doc(api: &Api) -> TokenStream {
    let webhooks = &api.webhooks;
    let count = webhooks.events.len();
    let plural = if count == 1 { "" } else { "s" };
    let mut lines = vec![format!(
        " The {count} event{plural} the API sends to a URL of yours (webhooks), as [`Event`]s \
         (needs the runtime's `webhooks` feature)."
    )];
    lines.push(String::new());
    let telling = match (&webhooks.event_header, &webhooks.tag) {
        (Some(header), Some(tag)) => Some(format!(
            " [`parse`] tells the event by its `{header}` header, and by the payload's `{tag}` \
             where events share a header value;"
        )),
        (Some(header), None) => Some(format!(
            " [`parse`] tells the event by its `{header}` header;"
        )),
        (None, Some(tag)) => Some(format!(
            " [`parse`] tells the event by the payload's `{tag}`;"
        )),
        (None, None) => None,
    };
    match telling {
        Some(telling) => lines.push(format!(
            "{telling} [`unwrap`] checks the request's signature first, with a [`Verify`]: \
             [`StandardWebhooks`] or [`GitHubSignature`]."
        )),
        None => lines.push(
            " Nothing in a request says which event it is: check its signature with a \
             [`Verify`] ([`StandardWebhooks`] or [`GitHubSignature`]), then decode it with \
             [`Event::parse_named`]."
                .to_owned(),
        ),
    }
    if !webhooks.signature_headers.is_empty() {
        let listed: Vec<String> = webhooks
            .signature_headers
            .iter()
            .map(|header| format!("`{header}`"))
            .collect();
        lines.push(String::new());
        lines.push(format!(
            " The spec documents the signature header{} {}.",
            if listed.len() == 1 { "" } else { "s" },
            listed.join(", ")
        ));
    }
    lines.push(String::new());
    lines.push(
        " [`signed_request`] makes the request the API would send, for the tests of a receiver."
            .to_owned(),
    );
    quote!(#(#[doc = #lines])*)
}

/// `parse` and `unwrap`, when something in a request says which event it is.
fn parse_fn(api: &Api) -> Option<TokenStream> {
    let webhooks = &api.webhooks;
    let unknown =
        |name: TokenStream| quote!(return Ok(Event::Unknown(UnknownEvent::new(#name, body))));
    // Without a header, an unknown event is named by its tag's value, when it has one.
    let by_tag = |events: &[&Webhook], tag: &str, fallback: TokenStream, binds: bool| {
        let arms = events.iter().filter_map(|event| {
            let value = event.tag_value.as_ref()?;
            let name = &event.name;
            Some(quote!(Some(#value) => #name,))
        });
        let otherwise = unknown(fallback);
        let other = match binds {
            true => quote!(other),
            false => quote!(_),
        };
        quote! {
            match runtime::webhooks::tag(body, #tag)?.as_deref() {
                #(#arms)*
                #other => #otherwise,
            }
        }
    };
    let (telling, doc) = match (&webhooks.event_header, &webhooks.tag) {
        (Some(header), tag) => {
            // Header values in the order the spec first gives them, with their events.
            let mut groups: Vec<(&str, Vec<&Webhook>)> = Vec::new();
            for event in &webhooks.events {
                let Some(value) = event.header_value.as_deref() else {
                    continue;
                };
                match groups.iter_mut().find(|(known, _)| *known == value) {
                    Some((_, events)) => events.push(event),
                    None => groups.push((value, vec![event])),
                }
            }
            let arms = groups.iter().map(|(value, events)| match (events.as_slice(), tag) {
                ([only], _) => {
                    let name = &only.name;
                    quote!(#value => #name,)
                }
                (events, Some(tag)) => {
                    let inner = by_tag(events, tag, quote!(Some(event)), false);
                    quote!(#value => #inner,)
                }
                (_, None) => quote! {
                    #value => return Err(WebhookError::Undetermined { event: event.to_owned() }),
                },
            });
            let otherwise = unknown(quote!(Some(event)));
            let doc = match tag {
                Some(tag) => format!(
                    " The event a request is, by its `{header}` header and, where events share \
                     its value, the payload's `{tag}`; a value the spec does not list gives \
                     [`Event::Unknown`]. Call it once the signature is checked ([`unwrap`] \
                     does both)."
                ),
                None => format!(
                    " The event a request is, by its `{header}` header; a value the spec does \
                     not list gives [`Event::Unknown`]. Call it once the signature is checked \
                     ([`unwrap`] does both)."
                ),
            };
            (
                quote! {
                    let event = runtime::webhooks::header(headers, #header)?;
                    let name = match event {
                        #(#arms)*
                        _ => #otherwise,
                    };
                },
                doc,
            )
        }
        (None, Some(tag)) => {
            let events: Vec<&Webhook> = webhooks.events.iter().collect();
            let inner = by_tag(&events, tag, quote!(other), true);
            (
                quote!(let name = #inner;),
                format!(
                    " The event a request is, by the payload's `{tag}`; a value the spec does \
                     not list gives [`Event::Unknown`]. Call it once the signature is checked \
                     ([`unwrap`] does both)."
                ),
            )
        }
        (None, None) => return None,
    };
    let headers_arg = match webhooks.event_header {
        Some(_) => quote!(headers),
        None => quote!(_headers),
    };
    Some(quote! {
        #[doc = #doc]
        pub fn parse(#headers_arg: &HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
            #telling
            Event::parse_named(name, body)
        }

        /// Checks that the request comes from the API (its signature, over `body` exactly as
        /// received), then tells its event with [`parse`].
        pub fn unwrap(
            verifier: &impl Verify,
            headers: &HeaderMap,
            body: &[u8],
        ) -> Result<Event, WebhookError> {
            verifier.verify(headers, body)?;
            parse(headers, body)
        }
    })
}

/// `signed_request`: the request the API would send for an event, for a receiver's tests.
fn signed_request_fn(api: &Api) -> TokenStream {
    let webhooks = &api.webhooks;
    let header = webhooks.event_header.as_ref().map(|header| {
        let values = webhooks.events.iter().map(|event| {
            let variant = ident(&event.variant);
            match &event.header_value {
                Some(value) => quote!(Event::#variant(_) => Some(#value),),
                None => quote!(Event::#variant(_) => None,),
            }
        });
        quote! {
            let value = match event {
                #(#values)*
                Event::Unknown(unknown) => unknown.name.as_deref(),
            };
            if let Some(value) = value {
                runtime::webhooks::insert_header(&mut headers, #header, value)?;
            }
        }
    });
    let mutable = header.is_some().then(|| quote!(mut));
    quote! {
        /// The request the API would send for `event` (`POST`, its JSON body and headers),
        /// signed by `signer` as the API signs: for the tests of your receiver, end to end.
        pub fn signed_request(
            signer: &impl Sign,
            event: &Event,
        ) -> Result<Request<Vec<u8>>, WebhookError> {
            let #mutable headers = HeaderMap::new();
            #header
            runtime::webhooks::request(headers, event.to_body()?, signer)
        }
    }
}
