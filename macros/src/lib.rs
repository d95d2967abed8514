//! The derives that generated clients put on their types, re-exported by `specwright-runtime`
//! as `runtime::Object` and `runtime::Enum`: each type's JSON form is read from the type
//! itself, so that a reviewer sees a field or a value once, and a spec that adds one changes
//! the generated code in one place.
//!
//! They expand to what the generator used to write out beside each type (see the runtime's
//! `object` module): one map visitor shared by every struct, keys matched as text, a call per
//! field. serde's own derive expands each struct into a field enum with a visitor of its own,
//! a sequence visitor and a map visitor, which made two thirds of a large client's compile
//! time (PERFORMANCE.md); these expand to about a third of that code and never buffer an
//! object. Written here rather than taken from a crate because no derive produces this lean
//! form with a streamed catch-all.
//!
//! The code they expand to names the runtime as `runtime`, as all generated code does.

use proc_macro::TokenStream;
use proc_macro2::{Ident, TokenStream as Tokens};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;
use syn::{
    Attribute, Data, DeriveInput, Error, Fields, GenericArgument, LitStr, Meta, PathArguments,
    Type, parse_macro_input,
};

/// A struct written and read as a JSON object.
///
/// A field's property is its name (without `r#`), or `#[object(rename = "...")]`. A field of
/// type `Option<T>` may be absent and is left out when `None`; `Option<Option<T>>` tells an
/// absent property (`None`) from a `null` one (`Some(None)`); `#[object(required)]` on an
/// `Option<T>` field writes `null` for `None`, for a property that must be there but may be
/// null. Any other field is required. One field marked `#[object(rest)]` (a
/// `runtime::UnknownFields`, or a `runtime::Map<T>`) keeps every other property, in order.
/// `#[object(new)]` on the struct adds `new`, taking the fields that must be given.
#[proc_macro_derive(Object, attributes(object))]
pub fn derive_object(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    object(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// An enum of the values a schema lists, each unit variant's written as `#[value = ...]` (a
/// string, or an integer; `#[value(-1)]` for a negative one), and one variant holding a value it does not list (`String`, or
/// `i64`), kept as received. String enums get `as_str`, integer ones `as_i64`; both convert
/// from the value's type, serialize as it, and display it.
#[proc_macro_derive(Enum, attributes(value))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    values_enum(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The files of this crate, for the runtime's `source` module: the generator writes them
/// beside a crate whose runtime it vendors. Each crate embeds its own files, since a
/// published crate can reach no file outside its package.
#[doc(hidden)]
#[proc_macro]
pub fn __files(_: TokenStream) -> TokenStream {
    let manifest = include_str!("../Cargo.toml");
    let lib = include_str!("lib.rs");
    quote!(&[("Cargo.toml", #manifest), ("src/lib.rs", #lib)]).into()
}

/// How a field is written and read.
enum Kind {
    Required,
    /// `Option<T>`: absent is `None`, and `None` is left out.
    Optional,
    /// `Option<T>` that must be there: `None` is written as `null`; absent is read as `None`.
    Nullable,
    /// `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`.
    DoubleOption,
    Rest,
}

struct Field<'a> {
    member: &'a Ident,
    wire: String,
    kind: Kind,
    ty: &'a Type,
}

fn object(input: &DeriveInput) -> syn::Result<Tokens> {
    let Data::Struct(data) = &input.data else {
        return Err(Error::new(input.ident.span(), "`Object` is for structs"));
    };
    let named = match &data.fields {
        Fields::Named(named) => named.named.iter().collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(_) => {
            return Err(Error::new(
                input.ident.span(),
                "`Object` needs named fields",
            ));
        }
    };
    let mut with_new = false;
    for attr in object_attributes(&input.attrs) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("new") {
                with_new = true;
                Ok(())
            } else {
                Err(meta.error("expected `new`"))
            }
        })?;
    }
    let mut fields = Vec::new();
    for field in named {
        let Some(member) = &field.ident else {
            continue;
        };
        let (mut rename, mut required, mut rest) = (None, false, false);
        for attr in object_attributes(&field.attrs) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("required") {
                    required = true;
                } else if meta.path.is_ident("rest") {
                    rest = true;
                } else {
                    return Err(meta.error("expected `rename`, `required` or `rest`"));
                }
                Ok(())
            })?;
        }
        let kind = match option_inner(&field.ty) {
            _ if rest => Kind::Rest,
            None => Kind::Required,
            Some(_) if required => Kind::Nullable,
            Some(inner) if option_inner(inner).is_some() => Kind::DoubleOption,
            Some(_) => Kind::Optional,
        };
        let wire = rename.unwrap_or_else(|| {
            let name = member.to_string();
            name.strip_prefix("r#").unwrap_or(&name).to_owned()
        });
        fields.push(Field {
            member,
            wire,
            kind,
            ty: &field.ty,
        });
    }
    let name = &input.ident;
    let deprecated = data
        .fields
        .iter()
        .any(|field| field.attrs.iter().any(|a| a.path().is_ident("deprecated")));
    let allow = deprecated.then(|| quote!(#[allow(deprecated)]));
    let serialize = serialize(&fields);
    let from_map = from_map(&fields);
    let type_name = name.to_string();
    let constructor = with_new.then(|| constructor(name, &fields));
    Ok(quote! {
        impl runtime::serde::Serialize for #name {
            #allow
            fn serialize<S: runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl runtime::__private::Object for #name {
            const NAME: &'static str = #type_name;

            #allow
            #from_map
        }

        impl<'de> runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::__private::deserialize_object(deserializer)
            }
        }

        #constructor
    })
}

fn object_attributes(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("object"))
}

/// `T` when `ty` is written `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Declared fields in order, then the catch-all's properties.
fn serialize(fields: &[Field]) -> Tokens {
    if fields.is_empty() {
        return quote!(runtime::__private::ObjectWriter::new(serializer)?.end());
    }
    let writes = fields.iter().map(|field| {
        let member = field.member;
        let wire = &field.wire;
        match field.kind {
            Kind::Rest => quote!(object.rest(&self.#member)?;),
            Kind::Required | Kind::Nullable => quote!(object.field(#wire, &self.#member)?;),
            Kind::Optional | Kind::DoubleOption => {
                quote!(object.optional(#wire, &self.#member)?;)
            }
        }
    });
    quote! {
        let mut object = runtime::__private::ObjectWriter::new(serializer)?;
        #(#writes)*
        object.end()
    }
}

/// One local per field, filled key by key, then the struct built from them. Each read is a
/// `Result` and the match has one `?`, and the required fields are taken in one match: an
/// early return drops every local still live, so a `?` per field would make the function's
/// code grow with the square of its field count.
fn from_map(fields: &[Field]) -> Tokens {
    let map = free_name("map", fields);
    let key = free_name("key", fields);
    let key_type = quote!(runtime::__private::Key<'de>);
    let declared: Vec<&Field> = fields
        .iter()
        .filter(|field| !matches!(field.kind, Kind::Rest))
        .collect();
    let catch_all = fields.iter().find(|field| matches!(field.kind, Kind::Rest));
    let slots = declared.iter().map(|field| {
        let slot = field.member;
        quote!(let mut #slot = None;)
    });
    let catch_all_slot = catch_all.map(|field| {
        let slot = field.member;
        quote!(let mut #slot = Default::default();)
    });
    let other = match catch_all {
        Some(field) => {
            let slot = field.member;
            quote!(runtime::__private::Rest::take(&mut #slot, #key.into_string(), &mut #map))
        }
        None => quote!(runtime::__private::skip(&mut #map)),
    };
    let reads = match (declared.is_empty(), catch_all.is_some()) {
        (true, false) => quote! {
            while #map.next_key::<#key_type>()?.is_some() {
                #other?;
            }
        },
        (true, true) => quote! {
            while let Some(#key) = #map.next_key::<#key_type>()? {
                #other?;
            }
        },
        (false, _) => {
            let arms = declared.iter().map(|field| {
                let slot = field.member;
                let wire = &field.wire;
                quote!(#wire => runtime::__private::field(&mut #map, &mut #slot, #wire),)
            });
            quote! {
                while let Some(#key) = #map.next_key::<#key_type>()? {
                    match #key.as_str() {
                        #(#arms)*
                        _ => #other,
                    }?;
                }
            }
        }
    };
    let required: Vec<&Field> = declared
        .iter()
        .copied()
        .filter(|field| matches!(field.kind, Kind::Required))
        .collect();
    let members = fields.iter().map(|field| {
        let member = field.member;
        match field.kind {
            Kind::Optional | Kind::Nullable => quote!(#member: #member.unwrap_or_default(),),
            Kind::Required | Kind::DoubleOption | Kind::Rest => quote!(#member,),
        }
    });
    let built = quote!(Ok(Self { #(#members)* }));
    let names: Vec<&Ident> = required.iter().map(|field| field.member).collect();
    let wires = required.iter().map(|field| &field.wire);
    let build = match names.as_slice() {
        [] => built,
        [name] => quote! {
            match #name {
                Some(#name) => #built,
                None => Err(runtime::serde::de::Error::missing_field(#(#wires)*)),
            }
        },
        _ => quote! {
            match (#(#names),*) {
                (#(Some(#names)),*) => #built,
                (#(#names),*) => Err(runtime::__private::missing(&[#((#wires, #names.is_some())),*])),
            }
        },
    };
    quote! {
        fn from_map<'de, A: runtime::serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
            #(#slots)*
            #catch_all_slot
            #reads
            #build
        }
    }
}

/// `new` taking the fields that must be given, in order: the required ones, and those that
/// must be there but may be null. A date-time, uuid or other format kept as
/// `runtime::Lenient` is taken as anything that converts into it (the value itself).
fn constructor(name: &Ident, fields: &[Field]) -> Tokens {
    let lenient = |ty: &Type| match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Lenient"),
        _ => false,
    };
    let parameters = fields.iter().filter_map(|field| {
        let member = field.member;
        let ty = field.ty;
        match field.kind {
            Kind::Required if lenient(ty) => Some(quote!(#member: impl Into<#ty>)),
            Kind::Required | Kind::Nullable => Some(quote!(#member: #ty)),
            Kind::Optional | Kind::DoubleOption | Kind::Rest => None,
        }
    });
    let initializers = fields.iter().map(|field| {
        let member = field.member;
        match field.kind {
            Kind::Required if lenient(field.ty) => quote!(#member: #member.into()),
            Kind::Required | Kind::Nullable => quote!(#member),
            Kind::Optional | Kind::DoubleOption => quote!(#member: None),
            Kind::Rest => quote!(#member: Default::default()),
        }
    });
    quote! {
        impl #name {
            /// A value with the required fields; every optional field is left out.
            #[allow(clippy::too_many_arguments, deprecated)]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#initializers),* }
            }
        }
    }
}

/// `base`, or `base` with underscores after it, whichever no field of the struct is named.
fn free_name(base: &str, fields: &[Field]) -> Ident {
    let mut name = base.to_owned();
    while fields.iter().any(|field| *field.member == name) {
        name.push('_');
    }
    format_ident!("{name}")
}

fn values_enum(input: &DeriveInput) -> syn::Result<Tokens> {
    let Data::Enum(data) = &input.data else {
        return Err(Error::new(input.ident.span(), "`Enum` is for enums"));
    };
    let mut idents = Vec::new();
    let mut values = Vec::new();
    let mut other = None;
    for variant in &data.variants {
        match &variant.fields {
            Fields::Unit => {
                let value = variant
                    .attrs
                    .iter()
                    .find(|attr| attr.path().is_ident("value"))
                    .ok_or_else(|| Error::new(variant.span(), "expected `#[value = ...]`"))?;
                // `#[value = 1]`, or `#[value(-1)]`: `= -1` is not an attribute's literal.
                let value = match &value.meta {
                    Meta::List(list) => list.tokens.clone(),
                    meta => meta.require_name_value()?.value.to_token_stream(),
                };
                idents.push(&variant.ident);
                values.push(value);
            }
            Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 && other.is_none() => {
                other = Some((&variant.ident, &unnamed.unnamed[0].ty));
            }
            _ => {
                return Err(Error::new(
                    variant.span(),
                    "expected unit variants and one holding any other value",
                ));
            }
        }
    }
    let Some((other, other_type)) = other else {
        return Err(Error::new(
            input.ident.span(),
            "expected a variant holding any other value",
        ));
    };
    let name = &input.ident;
    let text = other_type.to_token_stream().to_string() == "String";
    let serde = quote!(runtime::serde);
    // A string enum and an integer one differ in the value's type and how it is read.
    let (value_type, getter, matched, serialize, display) = if text {
        (
            quote!(String),
            quote!(as_str(&self) -> &str),
            quote!(value.as_str()),
            quote!(serializer.serialize_str(self.as_str())),
            // `write_str`, as a `str` displays: it ignores width and fill.
            quote!(f.write_str(self.as_str())),
        )
    } else {
        (
            quote!(i64),
            quote!(as_i64(self) -> i64),
            quote!(value),
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(write!(f, "{}", self.as_i64())),
        )
    };
    let from_str = text.then(|| {
        quote! {
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::from(value.to_owned())
                }
            }
        }
    });
    Ok(quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn #getter {
                match self {
                    #(Self::#idents => #values,)*
                    Self::#other(value) => value,
                }
            }
        }

        impl From<#value_type> for #name {
            fn from(value: #value_type) -> Self {
                match #matched {
                    #(#values => Self::#idents,)*
                    _ => Self::#other(value),
                }
            }
        }

        #from_str

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#value_type as #serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }
    })
}
