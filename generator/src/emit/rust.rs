//! Model names and type references as Rust tokens.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{
    Api, Constraints, Primitive, TypeDef, TypeKind, TypeRef, cannot_be_raw, is_keyword,
};

/// Where a type is named from: inside the `types` module, or the module holding the client.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Root,
}

/// How code at the client's root writes the runtime's item `name`: bare when the root
/// re-exports it, else through `runtime` (the model leaves out a re-export a schema's name
/// would shadow).
pub fn root_item(api: &crate::model::Api, name: &str) -> TokenStream {
    let item = ident(name);
    match api.root_exports.has(name) {
        true => quote!(#item),
        false => quote!(runtime::#item),
    }
}

/// [`root_item`] as a doc link's path.
pub fn root_doc_path(api: &crate::model::Api, name: &str) -> String {
    match api.root_exports.has(name) {
        true => name.to_owned(),
        false => format!("runtime::{name}"),
    }
}

/// An identifier from a model name; keywords become raw identifiers.
pub fn ident(name: &str) -> Ident {
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    // The model only produces valid names; this guards the constructors, which panic otherwise.
    let name = if valid { name } else { "invalid_identifier" };
    if cannot_be_raw(name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The type of a value the client decodes (a field, an item, a response body).
pub fn type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    tokens_for(api, ty, scope, Origin::Decoded)
}

/// The type of a value the caller builds rather than decodes (a parameter, or a union's
/// variant, where the format is what tells variants apart): formats are checked by
/// construction, so they are their own types, not [`Lenient`](primitive_tokens) ones.
pub fn built_type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    tokens_for(api, ty, scope, Origin::Built)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Decoded,
    Built,
}

fn tokens_for(api: &Api, ty: &TypeRef, scope: Scope, origin: Origin) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            // A name for a format (`Timestamp: {type: string, format: date-time}`) is an
            // alias of a `Lenient` type; built values use what it stands for.
            let target = unalias(api, ty);
            if origin == Origin::Built && !matches!(target, TypeRef::Named(_)) {
                return tokens_for(api, target, scope, origin);
            }
            let def = api.types.get(*id);
            if let Some(TypeKind::External(path)) = def.map(|def| &def.kind) {
                // Checked to be a path when the option was read, so it always tokenizes.
                if let Ok(path) = path.parse::<TokenStream>() {
                    return path;
                }
            }
            let name = ident(def.map_or("Value", |def| def.name.as_str()));
            match scope {
                Scope::Types => quote!(#name),
                Scope::Root => quote!(types::#name),
            }
        }
        TypeRef::Primitive(primitive) if origin == Origin::Built => {
            strict_primitive_tokens(api, *primitive)
        }
        TypeRef::Primitive(primitive) => primitive_tokens(api, *primitive),
        TypeRef::Array(item) => {
            let item = tokens_for(api, item, scope, origin);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = tokens_for(api, value, scope, origin);
            quote!(runtime::Map<#value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = tokens_for(api, inner, scope, origin);
            quote!(Option<#inner>)
        }
    }
}

/// The type an argument takes: small `Copy` values by value, `&str` rather than `&String`,
/// everything else by reference.
pub fn argument_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String) => quote!(&str),
        TypeRef::Primitive(Primitive::Bytes) => quote!(&[u8]),
        TypeRef::Primitive(
            primitive @ (Primitive::Integer
            | Primitive::Number
            | Primitive::Boolean
            | Primitive::Uuid),
        ) => strict_primitive_tokens(api, *primitive),
        TypeRef::Array(item) => {
            let item = built_type_tokens(api, item, scope);
            quote!(&[#item])
        }
        other => {
            let owned = built_type_tokens(api, other, scope);
            quote!(&#owned)
        }
    }
}

/// A decoded value of a `format` the client parses keeps the text of one that breaks it
/// (`runtime::Lenient`): formats are annotations in JSON Schema, and one odd field must not
/// cost the caller the whole response.
fn primitive_tokens(api: &Api, primitive: Primitive) -> TokenStream {
    let strict = strict_primitive_tokens(api, primitive);
    if primitive.is_parsed_format() {
        quote!(runtime::Lenient<#strict>)
    } else {
        strict
    }
}

/// The type of a value the caller builds; date-times and dates in the backend the user chose.
fn strict_primitive_tokens(api: &Api, primitive: Primitive) -> TokenStream {
    // Read only for dates: this runs for every field, parameter and item type.
    let backend = || api.options.datetime.runtime_feature().map(ident);
    match primitive {
        Primitive::DateTime | Primitive::Date if backend().is_some() => {
            let backend = backend();
            match primitive {
                Primitive::Date => quote!(runtime::#backend::Date),
                _ => quote!(runtime::#backend::DateTime),
            }
        }
        Primitive::String => quote!(String),
        Primitive::Integer => quote!(i64),
        Primitive::Number => quote!(f64),
        Primitive::Decimal => quote!(runtime::Decimal),
        Primitive::DecimalNumber => quote!(runtime::DecimalNumber),
        Primitive::Boolean => quote!(bool),
        Primitive::Uuid => quote!(runtime::Uuid),
        Primitive::DateTime => quote!(runtime::DateTime),
        Primitive::Date => quote!(runtime::Date),
        Primitive::Base64 => quote!(runtime::Base64),
        Primitive::File => quote!(runtime::File),
        Primitive::Any => quote!(runtime::Value),
        Primitive::Bytes => quote!(Vec<u8>),
        Primitive::UnknownFields => quote!(runtime::UnknownFields),
    }
}

/// Whether values of `ty` carry constraints of their own to check (through [`Validate`]).
///
/// [`Validate`]: crate::model::TypeDef::needs_validation
pub fn needs_validation(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => api.types.get(*id).is_some_and(|def| def.needs_validation),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            needs_validation(api, inner)
        }
        TypeRef::Primitive(_) => false,
    }
}

/// A `runtime::__private::Constraints` value, or `None` when there is nothing to check.
pub fn constraints_tokens(constraints: &Constraints) -> Option<TokenStream> {
    if constraints.is_empty() {
        return None;
    }
    let mut fields = Vec::new();
    let mut count = |name: &str, value: Option<usize>| {
        if let Some(value) = value {
            let name = ident(name);
            let value = Literal::usize_unsuffixed(value);
            fields.push(quote!(#name: Some(#value)));
        }
    };
    count("min_length", constraints.min_length);
    count("max_length", constraints.max_length);
    count("min_items", constraints.min_items);
    count("max_items", constraints.max_items);
    for (name, exclusive_name, bound) in [
        ("minimum", "exclusive_minimum", constraints.minimum),
        ("maximum", "exclusive_maximum", constraints.maximum),
    ] {
        if let Some(bound) = bound.filter(|b| b.value.is_finite()) {
            let name = ident(name);
            let value = Literal::f64_suffixed(bound.value);
            fields.push(quote!(#name: Some(#value)));
            if bound.exclusive {
                let exclusive_name = ident(exclusive_name);
                fields.push(quote!(#exclusive_name: true));
            }
        }
    }
    Some(
        quote!(runtime::__private::Constraints { #(#fields,)* ..runtime::__private::Constraints::NONE }),
    )
}

/// `#[cfg(feature = ...)]` for an item that any of `features` compiles in; nothing when the
/// item is always compiled.
pub fn cfg_tokens(features: Option<&[String]>) -> Option<TokenStream> {
    match features? {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// The type an alias stands for, through any chain of aliases (cycles stop where they start).
pub fn unalias<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut current = ty;
    for _ in 0..api.types.len() {
        match current {
            TypeRef::Named(id) => match api.types.get(*id) {
                Some(TypeDef {
                    kind: TypeKind::Alias(target),
                    newtype: false,
                    ..
                }) => current = target,
                _ => break,
            },
            _ => break,
        }
    }
    current
}

/// Tokens as the text a person writes, without the spaces `to_string` puts between every
/// token: kept only between two words (`impl Into`), and after commas and single colons.
pub fn text(tokens: &TokenStream) -> String {
    let tokens = tokens.to_string();
    let mut out = String::with_capacity(tokens.len());
    let parts: Vec<&str> = tokens.split(' ').filter(|part| !part.is_empty()).collect();
    for (index, part) in parts.iter().enumerate() {
        if let Some(previous) = index.checked_sub(1).and_then(|i| parts.get(i)) {
            let word = |text: &str, at_end: bool| {
                let c = if at_end {
                    text.chars().next_back()
                } else {
                    text.chars().next()
                };
                c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '\'')
            };
            if (word(previous, true) && word(part, false)) || *previous == "," || *previous == ":" {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out
}

/// What every generated type derives, unless it holds a type the user replaced.
pub const STANDARD_DERIVES: &[&str] = &["Clone", "Debug", "PartialEq"];

/// [`STANDARD_DERIVES`] and `Default`, for structs whose every field may be left out.
pub fn standard_derives(default: bool) -> &'static [&'static str] {
    match default {
        true => &["Clone", "Debug", "Default", "PartialEq"],
        false => STANDARD_DERIVES,
    }
}

/// Whether a derive path names schemars' `JsonSchema`, whose derive needs the runtime's
/// `schemars` feature and reads serde's `with` as a type.
pub fn is_schemars_derive(path: &str) -> bool {
    path.starts_with("schemars::")
}

/// `#[derive(...)]` of a generated type: the generator's own `standard` derives, unless the
/// type holds one the user replaced (of which only serde's traits may be assumed); serde's,
/// always; then the user's `extra` derives, less any already there.
pub fn derive_attr(
    standard: &[&str],
    serde: &[&str],
    holds_external: bool,
    extra: &[String],
) -> TokenStream {
    let standard = if holds_external { &[][..] } else { standard };
    let last = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let mut names: Vec<String> = standard.iter().chain(serde).map(|p| last(p)).collect();
    let mut paths: Vec<&str> = standard.iter().chain(serde).copied().collect();
    // What the user's derives build on, which a type holding a replaced one does not have.
    let implied = extra.iter().flat_map(|path| match last(path).as_str() {
        "Eq" | "PartialOrd" => &["PartialEq"][..],
        "Ord" => &["PartialEq", "Eq", "PartialOrd"][..],
        _ => &[][..],
    });
    let implied: Vec<String> = implied.map(|name| (*name).to_owned()).collect();
    for path in implied.iter().chain(extra) {
        if !names.contains(&last(path)) {
            names.push(last(path));
            paths.push(path);
        }
    }
    // Paths were checked when the options were read, so they tokenize.
    let paths = paths
        .iter()
        .filter_map(|path| path.parse::<TokenStream>().ok());
    quote!(#[derive(#(#paths),*)])
}

/// Whether values of `ty` hold a type the user replaced (so that only serde's traits hold).
pub fn holds_external(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => api
            .types
            .get(*id)
            .is_some_and(|def| def.holds_external || matches!(def.kind, TypeKind::External(_))),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            holds_external(api, inner)
        }
        TypeRef::Primitive(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn token_text_reads_as_written() {
        let tokens: proc_macro2::TokenStream =
            "body : Option < & types :: Pet > , id : impl Into < String >"
                .parse()
                .expect("tokens");
        assert_eq!(
            text(&tokens),
            "body: Option<&types::Pet>, id: impl Into<String>"
        );
    }
}
