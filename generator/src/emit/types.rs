//! Schemas to structs, enums, unions and aliases, with their `Validate` impls.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::docs::{default_note, doc_attrs, pattern_note};
use super::objects::{derives_serde, is_double_option, object_attribute};
use super::rust::{
    STANDARD_DERIVES, Scope, built_type_tokens, constraints_tokens, derive_attr, ident,
    is_schemars_derive, needs_validation, standard_derives, type_tokens, unalias,
};
use crate::model::{
    Api, Discriminator, EnumVariant, Field, Primitive, TypeDef, TypeKind, TypeRef, UnionVariant,
};

pub fn emit_type(api: &Api, def: &TypeDef) -> TokenStream {
    let docs = doc_attrs([def.description.as_deref()]);
    let non_exhaustive = non_exhaustive(def).then(|| quote!(#[non_exhaustive]));
    let docs = quote!(#docs #non_exhaustive);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => emit_struct(api, def, fields, docs),
        TypeKind::Enum {
            variants,
            other,
            integer: false,
        } => emit_enum(def, variants, other, docs),
        TypeKind::Enum {
            variants,
            other,
            integer: true,
        } => emit_integer_enum(def, variants, other, docs),
        TypeKind::Union {
            variants,
            discriminator,
        } => emit_union(api, def, variants, discriminator.as_ref(), docs),
        TypeKind::Alias(target) if def.newtype => {
            let target = type_tokens(api, target, Scope::Types);
            let validate = def.needs_validation.then(|| {
                quote! {
                    impl runtime::Validate for #name {
                        fn validate(&self, path: &str) -> Result<(), runtime::ValidationError> {
                            runtime::Validate::validate(&self.0, path)
                        }
                    }
                }
            });
            let derive = type_derive(standard_derives(true), &SERDE_BOTH, def);
            quote! {
                #docs
                #derive
                #[serde(transparent)]
                pub struct #name(pub #target);

                #validate
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(api, target, Scope::Types);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        // The user's own type stands wherever the schema is used; nothing is generated.
        TypeKind::External(_) => quote!(),
    }
}

/// How a field is written, from whether it is required and nullable.
///
/// | required | nullable | type                | absent | null    |
/// |----------|----------|---------------------|--------|---------|
/// | yes      | no       | `T`                 | error  | error   |
/// | yes      | yes      | `Option<T>`         | `None` | `None`  |
/// | no       | no       | `Option<T>`         | `None` | error   |
/// | no       | yes      | `Option<T>`         | `None` | `None`  |
///
/// In types sent in requests, the last row is `Option<Option<T>>` instead, so that "leave it
/// out" (`None`) and "set it to null" (`Some(None)`) can both be said.
fn field_tokens(api: &Api, owner: &TypeDef, field: &Field, serde_attributes: bool) -> TokenStream {
    let docs = field_docs(owner, field);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let declaration = field_declaration(api, owner, field, serde_attributes);
    // schemars reads serde's `with` as the type to describe; `double_option` is a module.
    let derives_schema = owner.derives.iter().any(|path| is_schemars_derive(path));
    let schema = (is_double_option(owner, field) && derives_schema).then(|| {
        let ty = super::rust::text(&field_type(api, owner, field));
        quote!(#[schemars(with = #ty)])
    });
    quote!(#docs #deprecated #schema #declaration)
}

fn field_docs(owner: &TypeDef, field: &Field) -> TokenStream {
    let direction = match (field.read_only, field.write_only) {
        (true, _) => Some("Read-only: set by the server; requests leave it out."),
        (_, true) => Some("Write-only: sent to the server, never returned."),
        _ => None,
    };
    let null = is_double_option(owner, field)
        .then_some("`None` leaves it out; `Some(None)` sends `null`.");
    let default = default_note(field.default.as_ref());
    let pattern = pattern_note(field.pattern.as_deref());
    doc_attrs([
        field.description.as_deref(),
        direction,
        null,
        pattern.as_deref(),
        default.as_deref(),
    ])
}

/// A field's name and type, without its docs, after its serde attributes when the struct
/// derives serde (`serde_attributes`).
fn field_declaration(
    api: &Api,
    owner: &TypeDef,
    field: &Field,
    serde_attributes: bool,
) -> TokenStream {
    let name = ident(&field.name);
    let ty = field_type(api, owner, field);
    if !serde_attributes {
        let object = object_attribute(field);
        return quote!(#object pub #name: #ty,);
    }
    if field.flatten {
        return quote! {
            #[serde(flatten)]
            pub #name: #ty,
        };
    }
    let mut serde_args = Vec::new();
    if field.name != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    match (field.required, field.nullable) {
        (true, _) => {}
        _ if is_double_option(owner, field) => serde_args.push(quote!(
            default,
            skip_serializing_if = "Option::is_none",
            with = "runtime::__private::double_option"
        )),
        (false, _) => serde_args.push(quote!(default, skip_serializing_if = "Option::is_none")),
    }
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! {
        #serde
        pub #name: #ty,
    }
}

/// The type a field is declared with (see [`field_tokens`] for the table).
pub(super) fn field_type(api: &Api, owner: &TypeDef, field: &Field) -> TokenStream {
    let mut ty = type_tokens(api, &field.ty, Scope::Types);
    if field.flatten {
        return ty;
    }
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) => quote!(Option<#ty>),
        _ if is_double_option(owner, field) => quote!(Option<Option<#ty>>),
        (false, _) => quote!(Option<#ty>),
    }
}

/// The fields `new` takes, in order; `None` when every field may be left out, and the struct
/// is made with `Default` instead.
pub fn constructor_arguments(fields: &[Field]) -> Option<Vec<&Field>> {
    let arguments: Vec<&Field> = fields.iter().filter(|f| f.required && !f.flatten).collect();
    (!arguments.iter().all(|f| f.nullable)).then_some(arguments)
}

/// Whether a type is `#[non_exhaustive]`, so that a new spec version can add to it without
/// breaking the code of callers in other crates: a struct the client only decodes (callers
/// build it with `new` or `Default` and set fields, never with a struct literal, so an
/// optional field can join it), and the enums that already keep values they do not know (a new
/// value can join them; a `match` needs a `_` arm). Structs sent in requests stay exhaustive:
/// callers build those with literals, which is worth more to them.
pub fn non_exhaustive(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct(_) => !def.in_request,
        TypeKind::Enum { .. } => true,
        TypeKind::Union { discriminator, .. } => discriminator.is_some(),
        TypeKind::Alias(_) | TypeKind::External(_) => false,
    }
}

fn emit_struct(api: &Api, def: &TypeDef, fields: &[Field], docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let all_optional = constructor_arguments(fields).is_none();
    let derives_serde = derives_serde(def);
    let field_tokens = fields
        .iter()
        .map(|field| field_tokens(api, def, field, derives_serde));
    let validate = def.needs_validation.then(|| {
        let checks = fields.iter().map(|field| field_check(api, field));
        quote! {
            impl runtime::Validate for #name {
                fn validate(&self, path: &str) -> Result<(), runtime::ValidationError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    });
    let constructor = (derives_serde && !all_optional).then(|| constructor(api, &name, fields));
    let multipart = def.multipart.then(|| multipart_impl(def, fields));
    let serde: &[&str] = if derives_serde { &SERDE_BOTH } else { &OBJECT };
    let derive = type_derive(standard_derives(all_optional), serde, def);
    let with_new = (!derives_serde && !all_optional).then(|| quote!(#[object(new)]));
    quote! {
        #docs
        #derive
        #with_new
        pub struct #name {
            #(#field_tokens)*
        }

        #constructor

        #validate

        #multipart
    }
}

/// Each field as parts: files as file parts (one per item of a list), the rest as text.
fn multipart_impl(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let writes = fields.iter().map(|field| {
        let member = ident(&field.name);
        let wire = &field.wire_name;
        if field.flatten {
            return quote! {
                for (key, value) in self.#member.iter() {
                    form.field(key, value)?;
                }
            };
        }
        let file = |value: TokenStream| quote!(form.file(#wire, #value)?;);
        let write_one = match &field.ty {
            TypeRef::Primitive(Primitive::File) => Some(file(quote!(value))),
            TypeRef::Array(item) if **item == TypeRef::Primitive(Primitive::File) => {
                let write = file(quote!(item));
                Some(quote!(for item in value { #write }))
            }
            _ => None,
        };
        let Some(write_one) = write_one else {
            return quote!(form.field(#wire, &self.#member)?;);
        };
        let optional = !field.required || field.nullable;
        // The shapes of `field_tokens`: in requests, optional and nullable is `Option<Option<T>>`.
        let nested = is_double_option(def, field);
        match (optional, nested) {
            (false, _) => quote!({ let value = &self.#member; #write_one }),
            (true, false) => quote!(if let Some(value) = &self.#member { #write_one }),
            (true, true) => quote!(if let Some(Some(value)) = &self.#member { #write_one }),
        }
    });
    quote! {
        impl runtime::__private::MultipartBody for #name {
            fn write_parts(&self, form: &mut runtime::__private::Multipart) -> Result<(), runtime::ValidationError> {
                #(#writes)*
                Ok(())
            }
        }
    }
}

/// `new` taking the required fields; the optional ones start out absent.
fn constructor(api: &Api, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let required = constructor_arguments(fields).unwrap_or_default();
    // A decoded format value (`runtime::Lenient`) is built from the value itself.
    let converted = |field: &Field| {
        !field.nullable && matches!(field.ty, TypeRef::Primitive(p) if p.is_parsed_format())
    };
    let parameters = required.iter().map(|field| {
        let name = ident(&field.name);
        let mut ty = type_tokens(api, &field.ty, Scope::Types);
        if converted(field) {
            ty = quote!(impl Into<#ty>);
        }
        if field.boxed {
            ty = quote!(Box<#ty>);
        }
        if field.nullable {
            ty = quote!(Option<#ty>);
        }
        quote!(#name: #ty)
    });
    let initializers = fields.iter().map(|field| {
        let name = ident(&field.name);
        if field.flatten {
            quote!(#name: Default::default())
        } else if field.required && converted(field) {
            quote!(#name: #name.into())
        } else if field.required {
            quote!(#name)
        } else {
            quote!(#name: None)
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

fn field_check(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire_name;
    let constrained = constraints_tokens(&field.constraints).map(|constraints| {
        quote!(runtime::__private::Constrained::check(&self.#name, &#constraints, &runtime::__private::join(path, #wire))?;)
    });
    let nested = needs_validation(api, &field.ty)
        .then(|| quote!(runtime::Validate::validate(&self.#name, &runtime::__private::join(path, #wire))?;));
    quote!(#constrained #nested)
}

fn emit_enum(
    def: &TypeDef,
    variants: &[EnumVariant],
    other: &str,
    docs: TokenStream,
) -> TokenStream {
    let wires: Vec<_> = variants
        .iter()
        .map(|v| Literal::string(&v.wire_value).into_token_stream())
        .collect();
    let variant_docs = variants.iter().map(|v| {
        let wire = format!("`{}`", v.wire_value.replace('`', "'"));
        doc_attrs([Some(wire.as_str()), v.description.as_deref()])
    });
    let values: Vec<_> = wires
        .into_iter()
        .map(|wire| (quote!(#[value = #wire]), wire))
        .collect();
    values_enum(def, variants, variant_docs, &values, other, "String", docs)
}

fn emit_integer_enum(
    def: &TypeDef,
    variants: &[EnumVariant],
    other: &str,
    docs: TokenStream,
) -> TokenStream {
    // An attribute's `= value` must be a literal, and `-1` is not one.
    let values: Vec<_> = variants
        .iter()
        .map(|v| {
            let value: i64 = v.wire_value.parse().unwrap_or_default();
            let magnitude = Literal::u64_unsuffixed(value.unsigned_abs());
            if value < 0 {
                (quote!(#[value(-#magnitude)]), quote!(-#magnitude))
            } else {
                (quote!(#[value = #magnitude]), quote!(#magnitude))
            }
        })
        .collect();
    let variant_docs = variants.iter().map(|v| {
        let wire = format!("`{}`", v.wire_value);
        doc_attrs([Some(wire.as_str()), v.description.as_deref()])
    });
    values_enum(def, variants, variant_docs, &values, other, "i64", docs)
}

/// An enum of listed values and `other`, holding any value it does not list (`String` or
/// `i64`, `value_type`), each value beside its `#[value]` attribute in `values`. Its conversions
/// and serde impls come from the runtime's `Enum` derive (`as_str` or `as_i64`, `From` the
/// value's type, `Display`), so that a value added to the spec is one variant here; a type
/// that something else reads `#[serde]` from (schemars) derives serde's `Deserialize` from the
/// value's type instead, and gets the same impls written out.
fn values_enum(
    def: &TypeDef,
    variants: &[EnumVariant],
    variant_docs: impl Iterator<Item = TokenStream>,
    values: &[(TokenStream, TokenStream)],
    other: &str,
    value_type: &str,
    docs: TokenStream,
) -> TokenStream {
    let text = value_type == "String";
    let from = value_type;
    let value_type = ident(value_type);
    let (attributes, values): (Vec<_>, Vec<_>) = values.iter().cloned().unzip();
    let standard: &[&str] = if text {
        &["Clone", "Debug", "PartialEq", "Eq", "Hash"]
    } else {
        &["Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash"]
    };
    let name = ident(&def.name);
    let other = ident(other);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    if !derives_serde(def) {
        let derive = type_derive(standard, &["runtime::Enum"], def);
        return quote! {
            #docs
            #derive
            pub enum #name {
                #(#variant_docs #attributes #idents,)*
                /// A value this client does not know, kept as it was received.
                #other(#value_type),
            }
        };
    }
    let derive = type_derive(standard, &["serde::Deserialize"], def);
    let (accessor, accessor_type, receiver, write, serialize, matched) = if text {
        (
            quote!(as_str),
            quote!(&str),
            quote!(&self),
            quote!(f.write_str(self.as_str())),
            quote!(serializer.serialize_str(self.as_str())),
            quote!(value.as_str()),
        )
    } else {
        (
            quote!(as_i64),
            quote!(i64),
            quote!(self),
            quote!(write!(f, "{}", self.as_i64())),
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(value),
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
    quote! {
        #docs
        #derive
        #[serde(from = #from)]
        pub enum #name {
            #(#variant_docs #idents,)*
            /// A value this client does not know, kept as it was received.
            #other(#value_type),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn #accessor(#receiver) -> #accessor_type {
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

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #write
            }
        }
    }
}

/// A variant's type is written with [`built_type_tokens`]: a format is what tells a variant
/// apart (a uuid from any string), so it is checked strictly rather than kept leniently as in
/// a field.
fn emit_union(
    api: &Api,
    def: &TypeDef,
    variants: &[UnionVariant],
    discriminator: Option<&Discriminator>,
    docs: TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let variant_tokens = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let mut ty = built_type_tokens(api, &variant.ty, Scope::Types);
        if variant.boxed {
            ty = quote!(Box<#ty>);
        }
        quote!(#variant_name(#ty),)
    });
    // `From` for each variant type that no other variant shares, so callers can write `.into()`.
    // Aliases are followed: two variants whose types alias one Rust type would conflict.
    let underlying: Vec<String> = variants
        .iter()
        .map(|v| built_type_tokens(api, unalias(api, &v.ty), Scope::Types).to_string())
        .collect();
    let mut seen = HashSet::new();
    let repeated: HashSet<&String> = underlying.iter().filter(|ty| !seen.insert(*ty)).collect();
    let from_impls = variants
        .iter()
        .zip(&underlying)
        .filter(|(v, ty)| !v.boxed && !repeated.contains(ty))
        .map(|(variant, _)| {
            let variant_name = ident(&variant.name);
            let ty = built_type_tokens(api, &variant.ty, Scope::Types);
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant_name(value)
                    }
                }
            }
        });
    let validate = def.needs_validation.then(|| {
        let arms = variants.iter().map(|variant| {
            let variant_name = ident(&variant.name);
            if needs_validation(api, &variant.ty) {
                quote!(Self::#variant_name(value) => runtime::Validate::validate(value, path),)
            } else {
                quote!(Self::#variant_name(_) => Ok(()),)
            }
        });
        let other = discriminator.map(|d| {
            let other = ident(&d.other);
            quote!(Self::#other(_) => Ok(()),)
        });
        quote! {
            impl runtime::Validate for #name {
                fn validate(&self, path: &str) -> Result<(), runtime::ValidationError> {
                    match self {
                        #(#arms)*
                        #other
                    }
                }
            }
        }
    });
    let Some(discriminator) = discriminator else {
        // Only objects need ranking by their keys; serde's own first-that-decodes does for
        // the rest, in the strictness order the model gave them.
        let objects = variants
            .iter()
            .any(|v| declared_keys(api, &v.ty).is_some_and(|keys| !keys.is_empty()));
        let (serde, deserialize): (&[&str], _) = if objects {
            (
                &["serde::Serialize"],
                Some(untagged_deserialize(api, def, &name, variants)),
            )
        } else {
            (&SERDE_BOTH, None)
        };
        let derive = type_derive(STANDARD_DERIVES, serde, def);
        return quote! {
            #docs
            #derive
            #[serde(untagged)]
            pub enum #name {
                #(#variant_tokens)*
            }

            #deserialize

            #(#from_impls)*

            #validate
        };
    };
    let serde_impls = tagged_serde(api, &name, variants, discriminator);
    let other = ident(&discriminator.other);
    let doc = format!(
        " A value whose `{}` names no variant this client knows, kept as it was received.",
        discriminator.property
    );
    let derive = type_derive(STANDARD_DERIVES, &[], def);
    quote! {
        #docs
        #derive
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #doc]
            #other(runtime::Value),
        }

        #serde_impls

        #(#from_impls)*

        #validate
    }
}

/// A union without a tag tries its variants in the order `runtime::__private::decode_untagged` ranks them
/// for the value at hand: for an object, the variants that account for its keys first.
fn untagged_deserialize(
    api: &Api,
    def: &TypeDef,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
) -> TokenStream {
    let declared = variants
        .iter()
        .map(|variant| match declared_keys(api, &variant.ty) {
            Some(keys) => quote!(Some(&[#(#keys),*])),
            None => quote!(None),
        });
    let arms = variants.iter().enumerate().map(|(index, variant)| {
        let index = Literal::usize_unsuffixed(index);
        let (ty, wrap) = variant_decoding(api, variant);
        quote!(#index => <#ty as serde::Deserialize>::deserialize(value).map(#wrap),)
    });
    let type_name = &def.name;
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <runtime::Value as serde::Deserialize>::deserialize(deserializer)?;
                runtime::__private::decode_untagged(
                    &value,
                    &[#(#declared),*],
                    |variant, value| match variant {
                        #(#arms)*
                        _ => Err(serde::de::Error::custom("no such variant")),
                    },
                    #type_name,
                )
            }
        }
    }
}

/// The type a union's variant decodes as, and what makes the variant of a decoded value.
fn variant_decoding(api: &Api, variant: &UnionVariant) -> (TokenStream, TokenStream) {
    let variant_name = ident(&variant.name);
    let ty = built_type_tokens(api, &variant.ty, Scope::Types);
    let wrap = if variant.boxed {
        quote!(|value| Self::#variant_name(Box::new(value)))
    } else {
        quote!(Self::#variant_name)
    };
    (ty, wrap)
}

/// The properties a variant's type declares: a struct's (unless a typed map keeps the others),
/// a union's variants' together; `None` for a type that may take any keys.
fn declared_keys<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<Vec<&'a str>> {
    declared_keys_within(api, ty, 0)
}

/// Unions nested deeper than this are taken to accept any keys.
const NESTED_UNIONS: usize = 8;

fn declared_keys_within<'a>(api: &'a Api, ty: &'a TypeRef, depth: usize) -> Option<Vec<&'a str>> {
    let id = match unalias(api, ty) {
        TypeRef::Named(id) => *id,
        TypeRef::Map(_) | TypeRef::Primitive(Primitive::Any) => return None,
        _ => return Some(Vec::new()),
    };
    match &api.types.get(id)?.kind {
        TypeKind::Struct(fields) => {
            let typed_map = fields.iter().any(|f| {
                f.flatten && !matches!(f.ty, TypeRef::Primitive(Primitive::UnknownFields))
            });
            (!typed_map).then(|| {
                fields
                    .iter()
                    .filter(|f| !f.flatten)
                    .map(|f| f.wire_name.as_str())
                    .collect()
            })
        }
        TypeKind::Enum { .. } => Some(Vec::new()),
        TypeKind::Union {
            variants,
            discriminator,
        } if depth < NESTED_UNIONS => {
            let mut keys: Vec<&str> = discriminator.iter().map(|d| d.property.as_str()).collect();
            for variant in variants {
                keys.extend(declared_keys_within(api, &variant.ty, depth + 1)?);
            }
            keys.sort_unstable();
            keys.dedup();
            Some(keys)
        }
        TypeKind::Union { .. } | TypeKind::Alias(_) | TypeKind::External(_) => None,
    }
}

/// A discriminated union reads the tag property first and decodes the variant it names. A
/// variant whose type keeps the property is read and written as it is; one that leaves the
/// tag to the union (`tag_outside`) is read without it and written with it put back first.
fn tagged_serde(
    api: &Api,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    discriminator: &Discriminator,
) -> TokenStream {
    let other = ident(&discriminator.other);
    let property = &discriminator.property;
    let expected = format!("expected an object with a `{property}` property");
    let serialize_arms = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        match variant.tags.first().filter(|_| variant.tag_outside) {
            Some(tag) => quote! {
                Self::#variant_name(value) => runtime::__private::serialize_tagged(serializer, #property, #tag, value),
            },
            None => quote!(Self::#variant_name(value) => value.serialize(serializer),),
        }
    });
    let deserialize_arms = variants
        .iter()
        .filter(|v| !v.tags.is_empty())
        .map(|variant| {
            let tags = &variant.tags;
            let (ty, wrap) = variant_decoding(api, variant);
            let value = if variant.tag_outside {
                quote!(runtime::__private::without_property(value, #property))
            } else {
                quote!(value)
            };
            quote! {
                #(Some(#tags))|* => <#ty as serde::Deserialize>::deserialize(#value)
                    .map(#wrap)
                    .map_err(serde::de::Error::custom),
            }
        });
    // A value that is not an object has no tag: it can only be a variant that is not an object
    // either (a list beside the objects, say), tried in order.
    let untagged_tries = variants.iter().map(|variant| {
        let (ty, wrap) = variant_decoding(api, variant);
        quote! {
            if let Ok(decoded) = <#ty as serde::Deserialize>::deserialize(&value) {
                return Ok((#wrap)(decoded));
            }
        }
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#other(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <runtime::Value as serde::Deserialize>::deserialize(deserializer)?;
                // Refused when no variant takes it, which lets an enclosing untagged union try
                // its other variants.
                if !value.is_object() {
                    #(#untagged_tries)*
                    return Err(serde::de::Error::custom(#expected));
                }
                let tag = value.get(#property).and_then(runtime::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#deserialize_arms)*
                    _ => Ok(Self::#other(value)),
                }
            }
        }
    }
}

/// A generated type's derives (see [`derive_attr`]), the user's attributes for it, and, when
/// it derives serde's traits, where their derives find serde.
fn type_derive(standard: &[&str], serde: &[&str], def: &TypeDef) -> TokenStream {
    let derive = derive_attr(standard, serde, def.holds_external, &def.derives);
    // Each was checked to parse as one attribute when the options were read.
    let attributes = def
        .attributes
        .iter()
        .filter_map(|attribute| attribute.parse::<TokenStream>().ok());
    let serde_crate = serde
        .iter()
        .any(|path| path.starts_with("serde::"))
        .then(|| quote!(#[serde(crate = "runtime::serde")]));
    quote!(#derive #(#attributes)* #serde_crate)
}

/// The runtime's derive of a struct's JSON form (see [`object_attribute`]).
const OBJECT: [&str; 1] = ["runtime::Object"];

/// serde's two derives, for types that use the derived implementations both ways.
const SERDE_BOTH: [&str; 2] = ["serde::Serialize", "serde::Deserialize"];
