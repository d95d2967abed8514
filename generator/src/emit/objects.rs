//! A struct's `Serialize` and `Deserialize`, written out over `runtime::object`'s helpers
//! rather than derived: serde's derive costs nearly four times as much to compile (see that
//! module and PERFORMANCE.md). The impls behave as the derive with the attributes
//! `field_declaration` writes would: the same keys, the same handling of absent and `null`
//! properties, the same errors; but they read a JSON object only (never an array, which the
//! derive also took), and the catch-all streams, as `flatten` does not.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::rust::{ident, is_schemars_derive};
use crate::model::{Field, TypeDef};

/// Whether a struct keeps serde's derive: when something else reads the `#[serde]` attributes
/// on it, as the user's own attributes and schemars' derive do.
pub fn derives_serde(def: &TypeDef) -> bool {
    def.attributes.iter().any(|a| a.starts_with("#[serde"))
        || def.derives.iter().any(|path| is_schemars_derive(path))
}

/// Whether a field is `Option<Option<T>>`: optional and nullable in a type sent in requests,
/// where "leave it out" and "send null" differ.
pub fn is_double_option(owner: &TypeDef, field: &Field) -> bool {
    !field.required && field.nullable && owner.in_request
}

pub fn object_impls(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let allow = fields
        .iter()
        .any(|field| field.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let serialize = serialize(fields);
    let from_map = from_map(def, fields);
    let type_name = &def.name;
    quote! {
        impl serde::Serialize for #name {
            #allow
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl runtime::object::Object for #name {
            const NAME: &'static str = #type_name;

            #allow
            #from_map
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::object::deserialize_object(deserializer)
            }
        }
    }
}

/// Declared fields in order, then the catch-all's properties.
fn serialize(fields: &[Field]) -> TokenStream {
    if fields.is_empty() {
        return quote!(runtime::object::ObjectWriter::new(serializer)?.end());
    }
    let writes = fields.iter().map(|field| {
        let member = ident(&field.name);
        let wire = &field.wire_name;
        if field.flatten {
            quote!(object.rest(&self.#member)?;)
        } else if field.required {
            quote!(object.field(#wire, &self.#member)?;)
        } else {
            quote!(object.optional(#wire, &self.#member)?;)
        }
    });
    quote! {
        let mut object = runtime::object::ObjectWriter::new(serializer)?;
        #(#writes)*
        object.end()
    }
}

/// One local per field, filled key by key, then the struct built from them. Each read is a
/// `Result` and the match has one `?`, and the required fields are taken in one match: an
/// early return drops every local still live, so a `?` per field would make the function's
/// code grow with the square of its field count.
fn from_map(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let map = free_name("map", fields);
    let key = free_name("key", fields);
    let key_type = quote!(runtime::object::Key<'de>);
    let declared: Vec<&Field> = fields.iter().filter(|field| !field.flatten).collect();
    let catch_all = fields.iter().find(|field| field.flatten);
    let slots = declared.iter().map(|field| {
        let slot = ident(&field.name);
        quote!(let mut #slot = None;)
    });
    let catch_all_slot = catch_all.map(|field| {
        let slot = ident(&field.name);
        quote!(let mut #slot = Default::default();)
    });
    let other = match catch_all {
        Some(field) => {
            let slot = ident(&field.name);
            quote!(runtime::object::Rest::take(&mut #slot, #key.into_string(), &mut #map))
        }
        None => quote!(runtime::object::skip(&mut #map)),
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
                let slot = ident(&field.name);
                let wire = &field.wire_name;
                quote!(#wire => runtime::object::field(&mut #map, &mut #slot, #wire),)
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
        .filter(|field| field.required && !field.nullable)
        .collect();
    let members = fields.iter().map(|field| {
        let member = ident(&field.name);
        let optional = !field.required || field.nullable;
        if optional && !field.flatten && !is_double_option(def, field) {
            quote!(#member: #member.unwrap_or_default(),)
        } else {
            quote!(#member,)
        }
    });
    let built = quote!(Ok(Self { #(#members)* }));
    let names: Vec<Ident> = required.iter().map(|field| ident(&field.name)).collect();
    let wires = required.iter().map(|field| &field.wire_name);
    let build = match names.as_slice() {
        [] => built,
        [name] => quote! {
            match #name {
                Some(#name) => #built,
                None => Err(serde::de::Error::missing_field(#(#wires)*)),
            }
        },
        _ => quote! {
            match (#(#names),*) {
                (#(Some(#names)),*) => #built,
                (#(#names),*) => Err(runtime::object::missing(&[#((#wires, #names.is_some())),*])),
            }
        },
    };
    quote! {
        fn from_map<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
            #(#slots)*
            #catch_all_slot
            #reads
            #build
        }
    }
}

/// `base`, or `base` with underscores after it, whichever no field of the struct is named.
fn free_name(base: &str, fields: &[Field]) -> Ident {
    let mut name = base.to_owned();
    while fields.iter().any(|field| field.name == name) {
        name.push('_');
    }
    ident(&name)
}
