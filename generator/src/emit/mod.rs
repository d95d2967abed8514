//! Emit: the model to Rust tokens, then to formatted text.
//!
//! Each submodule writes one kind of item; none of them looks at the spec. Output depends only
//! on the model, which is built in document order, so the same spec gives byte-identical text.

mod client;
mod docs;
mod manifest;
mod mock;
mod objects;
mod operations;
mod rust;
pub(crate) mod surface;
mod types;
mod vendor;
mod webhooks;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::parse::Parser as _;

use crate::diagnostics::{Diagnostic, Error};
use crate::model::Api;
use crate::timing::Timings;

pub use client::{QuickStart, quick_start};
pub use manifest::{RuntimeDependency, VENDORED_RUNTIME_DIR, cargo_manifest, feature_notes};
pub use vendor::vendored_runtime;

/// A sample JSON value the spec documents, and the Rust type it should decode into.
#[derive(Clone, Debug)]
pub struct SpecExample {
    /// Where the example sits, for messages: a schema or an operation's body.
    pub location: String,
    /// JSON pointer of the schema the example is a sample of, in the loaded document; a
    /// harness checks the example against it.
    pub schema: String,
    /// The type's path from the client's root module, such as `types::Pet`.
    pub rust_type: String,
    pub json: serde_json::Value,
}

/// The type a value of a named schema decodes into: a schema that admits `null` is an
/// `Option` of its type, as at every place it is used.
fn schema_type(def: &crate::model::TypeDef, id: crate::model::TypeId) -> crate::model::TypeRef {
    let named = crate::model::TypeRef::Named(id);
    if def.nullable {
        crate::model::TypeRef::Nullable(Box::new(named))
    } else {
        named
    }
}

/// rustc's trait solver recurses about twice per level of types nested in types (proving
/// `Send`, `Sync` and the derives' bounds), and stops at its `recursion_limit`, 128 unless a
/// crate raises it: past about 48 levels, the code needs a higher one.
pub fn recursion_limit(api: &Api) -> Option<usize> {
    (api.nesting > 48).then(|| (api.nesting * 2 + 64).next_power_of_two())
}

pub fn examples(api: &Api) -> Vec<SpecExample> {
    let mut examples = Vec::new();
    let mut push =
        |location: String, schema: &str, rust_type: String, json: &[serde_json::Value]| {
            for json in json {
                examples.push(SpecExample {
                    location: location.clone(),
                    schema: schema.to_owned(),
                    rust_type: rust_type.clone(),
                    json: json.clone(),
                });
            }
        };
    for (id, def) in api.types.iter().enumerate() {
        push(
            format!("schema {}", def.name),
            &def.origin,
            type_path(api, &schema_type(def, id)),
            &def.examples,
        );
    }
    for operation in &api.operations {
        if let Some(body) = &operation.body {
            push(
                format!("{} request body", operation.name),
                &body.schema_pointer,
                type_path(api, &body.ty),
                &body.examples,
            );
        }
        for response in &operation.responses {
            if let Some(ty) = &response.body {
                push(
                    format!("{} response {}", operation.name, response.variant),
                    &response.schema_pointer,
                    type_path(api, ty),
                    &response.examples,
                );
            }
        }
    }
    for event in &api.webhooks.events {
        if let Some(ty) = &event.payload {
            push(
                format!("webhook {}", event.name),
                &event.schema_pointer,
                type_path(api, ty),
                &event.examples,
            );
        }
    }
    examples
}

/// Each schema of `#/components/schemas` (its key there) with the Rust type its values decode
/// into, in document order.
pub fn component_types(api: &Api) -> Vec<(String, String)> {
    api.types
        .iter()
        .enumerate()
        .filter_map(|(id, def)| {
            let key = def.origin.strip_prefix("/components/schemas/")?;
            // A `/` left in the pointer is a schema nested inside the component.
            (!key.contains('/')).then(|| {
                (
                    key.replace("~1", "/").replace("~0", "~"),
                    type_path(api, &schema_type(def, id)),
                )
            })
        })
        .collect()
}

/// A type's path from the client's root module, as written: `Vec<types::Pet>`.
fn type_path(api: &Api, ty: &crate::model::TypeRef) -> String {
    rust::text(&rust::type_tokens(api, ty, rust::Scope::Root))
}

/// Stand in for the items of the `types` module and for the operations' methods of `Client`
/// in the skeleton until they are spliced in.
const TYPES_MARKER: &str = "const __GENERATOR_TYPES_GO_HERE__: () = ();";
const METHODS_MARKER: &str = "const __GENERATOR_METHODS_GO_HERE__: () = ();";

/// Items per syntax tree formatted at once. Small trees stay in the cache while they are built,
/// printed and dropped: side by side on GitHub's spec, 16 took 0.90 s where 128 took 1.05 s and
/// 512 took 1.15 s (8 and 32 were close behind 16).
const BATCH: usize = 16;

/// The whole client as one module's worth of items, with no inner attributes, so that it can
/// be a crate's `lib.rs` or `include!`d into a module.
///
/// The items of `types` and the methods of `Client` (nearly all the output for a big spec) are
/// written and formatted in batches, which every thread takes from one queue (the first thread
/// after formatting the rest, the skeleton), then spliced into the skeleton in their order.
/// prettyplease lays out each item on its own, so the text does not depend on how the items
/// were split or which thread formatted them.
pub fn emit(api: &Api, source_name: &str, timings: &mut Timings) -> Result<String, Error> {
    let units = type_units(api);
    // Types only: no methods and no mocks, so no batches of them.
    let operations = if api.options.types_only {
        0
    } else {
        api.operations.len()
    };
    let batches: Vec<Batch<'_>> = units
        .chunks(BATCH)
        .map(Batch::Types)
        .chain(
            (0..operations)
                .step_by(BATCH)
                .map(|start| Batch::Methods(start..(start + BATCH).min(operations))),
        )
        .chain(
            (0..operations)
                .step_by(BATCH)
                .map(|start| Batch::Mocks(start..(start + BATCH).min(operations))),
        )
        .collect();
    let type_batches = units.len().div_ceil(BATCH);
    let method_batches = operations.div_ceil(BATCH);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8));
    let queue = Queue {
        api,
        batches: &batches,
        next: AtomicUsize::new(0),
    };
    let (skeleton, formatted) = timings.time("emit and format", || {
        std::thread::scope(|scope| {
            // Threads that cannot be had leave their batches to the others.
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| {
                    crate::parallel::helper()
                        .spawn_scoped(scope, || queue.work())
                        .ok()
                })
                .collect();
            let skeleton = skeleton(api).and_then(|tokens| format(tokens, source_name));
            let mut formatted = queue.work();
            for helper in helpers {
                let done = helper
                    .join()
                    .unwrap_or_else(|_| Err(internal("a formatting thread failed")));
                formatted = formatted.and_then(|mut all| {
                    all.extend(done?);
                    Ok(all)
                });
            }
            (skeleton, formatted)
        })
    });
    let (skeleton, mut formatted) = (skeleton?, formatted?);
    formatted.sort_unstable_by_key(|(index, _)| *index);
    let mut texts = formatted.into_iter().map(|(_, text)| text);
    let types: Vec<String> = texts.by_ref().take(type_batches).collect();
    let methods: Vec<String> = texts.by_ref().take(method_batches).collect();
    let mocks: Vec<String> = texts.collect();
    let mut markers = vec![(TYPES_MARKER, types.as_slice())];
    if !api.options.types_only {
        markers.push((METHODS_MARKER, methods.as_slice()));
    }
    let mut code = splice(&skeleton, &markers)?;
    if let Some(module) = webhooks::emit_webhooks(api) {
        let file: syn::File = syn::parse2(module)
            .map_err(|err| internal(&format!("the generated code does not parse: {err}")))?;
        code.push_str(&webhooks::module_text(&prettyplease::unparse(&file)));
    }
    if !mocks.is_empty() {
        code.push_str(&mock::module_text(&mocks));
    }
    Ok(code)
}

/// A run of consecutive `types` items, or of operations whose methods go in `Client` or whose
/// mocks go in `mock`.
enum Batch<'u> {
    Types(&'u [TypeUnit]),
    Methods(Range<usize>),
    Mocks(Range<usize>),
}

/// The batches still to format, taken in order by whichever thread is free.
struct Queue<'a> {
    api: &'a Api,
    batches: &'a [Batch<'a>],
    next: AtomicUsize,
}

impl Queue<'_> {
    /// Formats batches until none is left; each with its index, for putting them in order.
    fn work(&self) -> Result<Vec<(usize, String)>, Error> {
        let mut done = Vec::new();
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(batch) = self.batches.get(index) else {
                return Ok(done);
            };
            let text = match batch {
                Batch::Types(units) => format_types(self.api, units)?,
                Batch::Methods(range) => format_methods(self.api, range.clone())?,
                Batch::Mocks(range) => format_mocks(self.api, range.clone())?,
            };
            done.push((index, text));
        }
    }
}

/// `text` with the line that is each marker replaced by its parts, in order, in one pass (the
/// whole output is copied once). Only a whole line matches: text from the spec is written as
/// doc comments and string literals, never as a line of its own.
fn splice(text: &str, markers: &[(&str, &[String])]) -> Result<String, Error> {
    let mut places = Vec::new();
    for &(marker, parts) in markers {
        let line = format!("\n    {marker}\n");
        let Some(at) = text.find(&line) else {
            return Err(internal("a splice marker was lost in formatting"));
        };
        // The marker's whole line, its newline included: the parts end with their own.
        places.push((at + 1..at + line.len(), parts));
    }
    places.sort_by_key(|(range, _)| range.start);
    let added: usize = places
        .iter()
        .flat_map(|(_, parts)| parts.iter())
        .map(String::len)
        .sum();
    let mut code = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for (range, parts) in places {
        code.push_str(&text[copied..range.start]);
        parts.iter().for_each(|part| code.push_str(part));
        copied = range.end;
    }
    code.push_str(&text[copied..]);
    Ok(code)
}

/// One item group of the `types` module, in output order.
#[derive(Clone, Copy)]
enum TypeUnit {
    Schema(usize),
    Operation(usize),
    Headers(usize),
}

fn type_units(api: &Api) -> Vec<TypeUnit> {
    schema_order(api)
        .into_iter()
        .map(TypeUnit::Schema)
        .chain((0..api.operations.len()).map(TypeUnit::Operation))
        .chain((0..api.header_types.len()).map(TypeUnit::Headers))
        .collect()
}

/// The schemas' types in the model's order, except that a type made from a schema inside
/// another type's (an inline object, enum or union) comes right after the type that holds it,
/// where a reader of that type looks for it.
fn schema_order(api: &Api) -> Vec<usize> {
    let by_origin: HashMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(id, def)| (def.origin.as_str(), id))
        .collect();
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    let mut roots = Vec::new();
    for (id, def) in api.types.iter().enumerate() {
        let mut pointer = def.origin.as_str();
        let holder = loop {
            let Some((parent, _)) = pointer.rsplit_once('/') else {
                break None;
            };
            pointer = parent;
            if let Some(&holder) = by_origin.get(pointer).filter(|&&holder| holder != id) {
                break Some(holder);
            }
        };
        match holder {
            Some(holder) => held[holder].push(id),
            None => roots.push(id),
        }
    }
    let mut order = Vec::with_capacity(api.types.len());
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(id) = stack.pop() {
        order.push(id);
        stack.extend(held[id].iter().rev());
    }
    order
}

/// The formatted items of `units`, indented as the `types` module's contents.
fn format_types(api: &Api, units: &[TypeUnit]) -> Result<String, Error> {
    let mut items = Vec::new();
    for unit in units {
        let (tokens, features) = match *unit {
            TypeUnit::Schema(id) => match api.types.get(id) {
                Some(def) => (types::emit_type(api, def), def.features.as_deref()),
                None => continue,
            },
            TypeUnit::Operation(index) => match api.operations.get(index) {
                Some(operation) => (
                    operations::emit_operation_types(api, operation),
                    operation.features.as_deref(),
                ),
                None => continue,
            },
            TypeUnit::Headers(index) => match api.header_types.get(index) {
                Some(headers) => (
                    operations::headers_struct(api, headers),
                    headers.features.as_deref(),
                ),
                None => continue,
            },
        };
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|err| internal(&format!("the generated code does not parse: {err}")))?;
        // A type's impls go with it: each of its items is gated on the type's features.
        if let Some(cfg) = rust::cfg_tokens(features) {
            for item in &mut file.items {
                let cfg = syn::Attribute::parse_outer
                    .parse2(cfg.clone())
                    .map_err(|err| internal(&format!("a cfg attribute does not parse: {err}")))?;
                if let Some(attrs) = item_attrs(item) {
                    attrs.splice(0..0, cfg);
                }
            }
        }
        items.append(&mut file.items);
    }
    let module = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Mod(syn::ItemMod {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            unsafety: None,
            mod_token: Default::default(),
            ident: proc_macro2::Ident::new("types", proc_macro2::Span::call_site()),
            content: Some((Default::default(), items)),
            semi: None,
        })],
    };
    Ok(formatted_body(&module, "mod types {\n"))
}

/// The formatted lines between `opening` and the closing brace of the one item of `file`:
/// its contents, already indented as they will stand in the whole.
fn formatted_body(file: &syn::File, opening: &str) -> String {
    let text = prettyplease::unparse(file);
    text.strip_prefix(opening)
        .and_then(|rest| rest.strip_suffix("}\n"))
        .unwrap_or_default()
        .to_owned()
}

/// The formatted methods of the operations in `range`, indented as `Client`'s impl items.
fn format_methods(api: &Api, range: Range<usize>) -> Result<String, Error> {
    let operations = api.operations.get(range).unwrap_or_default();
    let methods = operations
        .iter()
        .map(|operation| client::operation_methods(api, operation));
    let file: syn::File = syn::parse2(quote!(impl Client { #(#methods)* }))
        .map_err(|err| internal(&format!("the generated code does not parse: {err}")))?;
    Ok(formatted_body(&file, "impl Client {\n"))
}

/// The formatted mocks of the operations in `range`, indented as the `mock` module's items.
fn format_mocks(api: &Api, range: Range<usize>) -> Result<String, Error> {
    let operations = api.operations.get(range).unwrap_or_default();
    let mocks = operations
        .iter()
        .map(|operation| mock::operation_mock(api, operation));
    let file: syn::File = syn::parse2(quote!(mod mock { #(#mocks)* }))
        .map_err(|err| internal(&format!("the generated code does not parse: {err}")))?;
    Ok(formatted_body(&file, "mod mock {\n"))
}

/// `text`'s lines, each indented one level more (blank lines left blank), for formatted items
/// written inside a macro invocation, which prettyplease leaves as it is.
fn push_indented(out: &mut String, text: &str) {
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn internal(message: &str) -> Error {
    Error::single(Diagnostic::error("", format!("internal error: {message}")))
}

/// Everything but the items of `types` and the operations' methods, which markers stand in for.
fn skeleton(api: &Api) -> Result<TokenStream, Error> {
    let marker_tokens = |marker: &str| -> Result<TokenStream, Error> {
        marker
            .parse()
            .map_err(|_| internal("a splice marker does not tokenize"))
    };
    let client = match api.options.types_only {
        true => None,
        false => Some(client::emit_client(api, marker_tokens(METHODS_MARKER)?)),
    };
    let marker = marker_tokens(TYPES_MARKER)?;
    let reexports = root_reexports(api);
    let requires = runtime_features(api).into_iter().map(|feature| {
        let requires = rust::ident(&format!("requires_{feature}"));
        quote!(runtime::#requires!();)
    });
    Ok(quote! {
        /// The runtime this client shares with every other generated client: its `Error`,
        /// `Response`, `DateTime` and the rest are the same types in each.
        pub use ::specwright_runtime as runtime;

        #(#requires)*

        #reexports

        #client

        /// The API's schemas, and the parameter, response and error types of its operations.
        #[allow(clippy::large_enum_variant, clippy::derive_partial_eq_without_eq)]
        pub mod types {
            #[allow(unused_imports)]
            use super::runtime::{self, serde};

            #marker
        }
    })
}

/// The runtime's Cargo features the code needs beyond its defaults: the date-time backend's,
/// `decimal` when a decimal is used anywhere, and `schemars` for its derive.
pub fn runtime_features(api: &Api) -> Vec<&'static str> {
    let mut features: Vec<&'static str> =
        api.options.datetime.runtime_feature().into_iter().collect();
    if api.uses_decimals {
        features.push("decimal");
    }
    let schemas = api
        .options
        .derives
        .iter()
        .any(|derive| rust::is_schemars_derive(&derive.path));
    if schemas {
        features.push("schemars");
    }
    features
}

/// The runtime's types a caller names most, at the client's root: those of values (always),
/// of calls (with a client), and the date-time type of the backend chosen.
fn root_reexports(api: &Api) -> TokenStream {
    let exports = &api.root_exports;
    let line = |names: &[&str], module: TokenStream| {
        let names: Vec<Ident> = names.iter().map(|name| rust::ident(name)).collect();
        match names.as_slice() {
            [] => quote!(),
            [one] => quote!(pub use #module::#one;),
            _ => quote!(pub use #module::{#(#names),*};),
        }
    };
    let values = line(&exports.values, quote!(runtime));
    let calls = line(&exports.calls, quote!(runtime));
    let dates = line(&exports.dates, quote!(runtime));
    let backend = api.options.datetime.runtime_feature().map(|feature| {
        let backend = rust::ident(feature);
        line(&exports.backend_dates, quote!(runtime::#backend))
    });
    quote!(#values #calls #dates #backend)
}

fn format(tokens: TokenStream, source_name: &str) -> Result<String, Error> {
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|err| internal(&format!("the generated code does not parse: {err}")))?;
    // prettyplease lays code out differently from rustfmt, and output must not depend on the
    // user's rustfmt version, so `cargo fmt` is told to leave generated items alone.
    // A client `include!`d into a private module, or into a binary, uses only part of what
    // it holds; unused parts are expected there, not a problem to warn about.
    for item in &mut file.items {
        let allow: syn::Attribute = match item {
            syn::Item::Use(_) => syn::parse_quote!(#[allow(unused_imports)]),
            _ => syn::parse_quote!(#[allow(dead_code)]),
        };
        if let Some(attrs) = item_attrs(item) {
            attrs.push(allow);
            attrs.push(syn::parse_quote!(#[rustfmt::skip]));
        }
    }
    let header = format!(
        "// @generated by specwright {} from `{source_name}`.\n\
         // Do not edit: change the spec or the generator and regenerate.\n\n",
        env!("CARGO_PKG_VERSION")
    );
    Ok(header + &prettyplease::unparse(&file))
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Const(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Mod(item) => Some(&mut item.attrs),
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Type(item) => Some(&mut item.attrs),
        syn::Item::Use(item) => Some(&mut item.attrs),
        _ => None,
    }
}
